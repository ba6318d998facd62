/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The sandbox's sign-in services, in their real protocols on the same port as ECR:
 *  - STS (Query protocol: POST / form-encoded, XML answers, SigV4 "sts"): AssumeRole and
 *    GetCallerIdentity. AssumeRole hands out temporary keys (ASIA…) with a session token,
 *    which ECR calls then accept (the token must match, and they expire on the sandbox
 *    clock: ExpiredTokenException).
 *  - SSO-OIDC (REST-JSON, unsigned): POST /client/register, /device_authorization, /token
 *    (device code grant with authorization_pending / slow_down / expired_token, refresh
 *    token grant).
 *  - The SSO portal (REST-JSON, x-amz-sso_bearer_token): GET /federation/credentials,
 *    /assignment/accounts, /assignment/roles (paged with max_result / next_token).
 * The functions below are the in-process controls tests use.
 */
#pragma once

#include "wharf-sandbox.h"

G_BEGIN_DECLS

/* ---- STS ---- */

/* Lets anyone with valid keys assume @role_arn ("arn:aws:iam::<12 digits>:role/<name>").
 * @external_id (nullable) must then be sent; with @mfa_serial (nullable), SerialNumber must
 * match it and TokenCode must be @mfa_code. A role that was never added is AccessDenied. */
void     wharf_sandbox_sts_add_role               (WharfSandbox *self,
                                                   const char   *role_arn,
                                                   const char   *external_id,
                                                   const char   *mfa_serial,
                                                   const char   *mfa_code);
/* Caps the lifetime of the temporary keys AssumeRole and GetRoleCredentials hand out
 * (0: no cap, the default). */
void     wharf_sandbox_sts_set_max_session_seconds (WharfSandbox *self,
                                                    guint         seconds);
/* Every temporary key handed out so far expires now. */
void     wharf_sandbox_expire_sessions            (WharfSandbox *self);
/* Temporary keys handed out and not expired on the sandbox clock. */
guint    wharf_sandbox_get_n_active_sessions      (WharfSandbox *self);

/* ---- IAM Identity Center ---- */

/* Gives the signed-in person access to @role_name in @account_id (12 digits). */
void     wharf_sandbox_sso_add_assignment         (WharfSandbox *self,
                                                   const char   *account_id,
                                                   const char   *account_name,
                                                   const char   *email,
                                                   const char   *role_name);
/* Registers a token as if `aws sso login` had fetched it: @client_id/@client_secret
 * (nullable) become a registered client, @refresh_token (nullable) refreshes for it. */
void     wharf_sandbox_sso_add_token              (WharfSandbox *self,
                                                   const char   *access_token,
                                                   const char   *refresh_token,
                                                   const char   *client_id,
                                                   const char   *client_secret,
                                                   guint         lifetime_seconds);
/* The person approves the device sign-in showing @user_code. FALSE: no such code. */
gboolean wharf_sandbox_sso_approve                (WharfSandbox *self,
                                                   const char   *user_code);
/* The next CreateToken poll of a pending device sign-in answers slow_down. */
void     wharf_sandbox_sso_slow_down              (WharfSandbox *self);
/* Every access token and pending device code expires now (refresh tokens stay valid). */
void     wharf_sandbox_sso_expire_tokens          (WharfSandbox *self);
/* The user code of the most recent device authorization, or NULL. */
const char *wharf_sandbox_sso_get_last_user_code  (WharfSandbox *self);

G_END_DECLS
