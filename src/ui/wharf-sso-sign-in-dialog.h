/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * "Sign in with IAM Identity Center": the device authorization flow for a profile's
 * sso-session (or legacy sso_start_url), for settings chosen in Wharf, or for an account of
 * source WHARF_ACCOUNT_SOURCE_SSO. Shows the code, opens the browser, waits for the
 * approval and stores the token in the AWS CLI's cache (~/.aws/sso/cache), so the AWS CLI
 * is signed in too. Emits "signed-in" and closes when done.
 */
#pragma once

#include <adwaita.h>

#include "wharf-account.h"
#include "wharf-sso.h"

G_BEGIN_DECLS

#define WHARF_TYPE_SSO_SIGN_IN_DIALOG (wharf_sso_sign_in_dialog_get_type ())
G_DECLARE_FINAL_TYPE (WharfSsoSignInDialog, wharf_sso_sign_in_dialog, WHARF, SSO_SIGN_IN_DIALOG,
                      AdwWindow)

/* @profile: an SSO profile, or a role profile whose source chain ends in one. */
WharfSsoSignInDialog *wharf_sso_sign_in_dialog_new (GtkWindow  *parent,
                                                    const char *profile);
/* For settings chosen in Wharf (start URL, SSO region, optional session name); endpoints
 * from the environment or the region. @settings is copied. */
WharfSsoSignInDialog *wharf_sso_sign_in_dialog_new_for_settings (GtkWindow              *parent,
                                                                 const WharfSsoSettings *settings);
/* For an account of source WHARF_ACCOUNT_SOURCE_SSO (the window's "Sign In…" banner).
 * Present it and connect to "signed-in"; NULL when @account is not such an account. */
WharfSsoSignInDialog *wharf_sso_sign_in_dialog_new_for_account  (GtkWindow              *parent,
                                                                 WharfAccount           *account);

/* Reads the AWS config without blocking; when @profile signs in with IAM Identity Center,
 * presents the dialog and answers it (transfer none), else answers NULL. */
void                  wharf_sso_sign_in_dialog_offer_async  (GtkWindow           *parent,
                                                             const char          *profile,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
WharfSsoSignInDialog *wharf_sso_sign_in_dialog_offer_finish (GAsyncResult        *result,
                                                             GError             **error);

/* Whether @profile (or the source of its role chain) signs in with IAM Identity Center, so
 * that a credentials problem is solved by signing in (reads the AWS config off the main
 * thread). */
void                  wharf_sso_profile_check_async         (const char          *profile,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean              wharf_sso_profile_check_finish        (GAsyncResult        *result,
                                                             GError             **error);

G_END_DECLS
