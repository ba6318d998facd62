/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Credentials of one profile of the AWS CLI's files, following its chain: role_arn with
 * source_profile (itself any kind, chained roles too, cycles detected) or
 * credential_source = Environment → STS AssumeRole (external_id, role_session_name,
 * duration_seconds, mfa_serial); IAM Identity Center (sso_session or the legacy
 * sso_start_url) → the shared token cache → the portal's GetRoleCredentials; static keys;
 * credential_process. The default credentials provider uses it for role and SSO profiles.
 */
#pragma once

#include <gio/gio.h>

#include "wharf-aws-config.h"
#include "wharf-credentials.h"

G_BEGIN_DECLS

/* A pending question for an MFA code (mfa_serial). Answer exactly once. */
typedef struct _WharfMfaRequest WharfMfaRequest;

const char   *wharf_mfa_request_get_profile     (WharfMfaRequest *request);
const char   *wharf_mfa_request_get_serial      (WharfMfaRequest *request);
/* Cancelled when the caller gave up (close the dialog). */
GCancellable *wharf_mfa_request_get_cancellable (WharfMfaRequest *request);
/* @code: the digits the person typed, or NULL when they cancelled. Frees @request. */
void          wharf_mfa_request_reply           (WharfMfaRequest *request,
                                                 const char      *code);

/* Called on the main context of the credentials request; the UI shows a dialog. */
typedef void (*WharfMfaHandler) (WharfMfaRequest *request,
                                 gpointer         user_data);

/* Installs the MFA hook on a provider (kept with the provider's data). Without a hook, a
 * profile with mfa_serial fails with WHARF_CREDENTIALS_ERROR_UNSUPPORTED. */
void wharf_profile_credentials_set_mfa_handler (WharfCredentialsProvider *provider,
                                                WharfMfaHandler           handler,
                                                gpointer                  user_data,
                                                GDestroyNotify            destroy);

/* Resolves @profile's credentials from @config. @owner (nullable) supplies the hooks. */
void              wharf_profile_credentials_resolve_async  (WharfAwsConfig           *config,
                                                            const char               *profile,
                                                            WharfCredentialsProvider *owner,
                                                            GCancellable             *cancellable,
                                                            GAsyncReadyCallback       callback,
                                                            gpointer                  user_data);
WharfCredentials *wharf_profile_credentials_resolve_finish (GAsyncResult             *result,
                                                            GError                  **error);

G_END_DECLS
