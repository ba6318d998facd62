/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * "Sign in with IAM Identity Center": the device authorization flow for a profile's
 * sso-session (or legacy sso_start_url). Shows the code, opens the browser, waits for the
 * approval and stores the token in the AWS CLI's cache (~/.aws/sso/cache), so the AWS CLI
 * is signed in too. Emits "signed-in" and closes when done.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WHARF_TYPE_SSO_SIGN_IN_DIALOG (wharf_sso_sign_in_dialog_get_type ())
G_DECLARE_FINAL_TYPE (WharfSsoSignInDialog, wharf_sso_sign_in_dialog, WHARF, SSO_SIGN_IN_DIALOG,
                      AdwWindow)

/* @profile: an SSO profile, or a role profile whose source chain ends in one. */
WharfSsoSignInDialog *wharf_sso_sign_in_dialog_new (GtkWindow  *parent,
                                                    const char *profile);

G_END_DECLS
