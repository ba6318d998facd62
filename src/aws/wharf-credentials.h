/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * AWS credentials and where they come from: a static pair, or the AWS CLI's chain
 * (environment, shared profiles, credential_process), cached and refreshed before expiry.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define WHARF_CREDENTIALS_ERROR (wharf_credentials_error_quark ())

/**
 * WharfCredentialsError:
 * @WHARF_CREDENTIALS_ERROR_NOT_FOUND: no source in the chain had credentials
 * @WHARF_CREDENTIALS_ERROR_PROFILE_NOT_FOUND: the named profile does not exist
 * @WHARF_CREDENTIALS_ERROR_UNSUPPORTED: the profile needs something Wharf cannot do yet
 *   (web identity, credential_source other than Environment, an MFA code with no one to
 *   ask)
 * @WHARF_CREDENTIALS_ERROR_INCOMPLETE: a profile or the environment has half a key pair
 * @WHARF_CREDENTIALS_ERROR_PROCESS_FAILED: credential_process could not run, failed or
 *   timed out (the message includes its stderr)
 * @WHARF_CREDENTIALS_ERROR_PROCESS_OUTPUT: credential_process printed something that is
 *   not Version 1 credentials JSON
 * @WHARF_CREDENTIALS_ERROR_EXPIRED: the source returned credentials that already expired
 * @WHARF_CREDENTIALS_ERROR_CONFIG: the AWS config or credentials file cannot be read
 */
typedef enum
{
  WHARF_CREDENTIALS_ERROR_NOT_FOUND,
  WHARF_CREDENTIALS_ERROR_PROFILE_NOT_FOUND,
  WHARF_CREDENTIALS_ERROR_UNSUPPORTED,
  WHARF_CREDENTIALS_ERROR_INCOMPLETE,
  WHARF_CREDENTIALS_ERROR_PROCESS_FAILED,
  WHARF_CREDENTIALS_ERROR_PROCESS_OUTPUT,
  WHARF_CREDENTIALS_ERROR_EXPIRED,
  WHARF_CREDENTIALS_ERROR_CONFIG,
} WharfCredentialsError;

GQuark wharf_credentials_error_quark (void);

/* Boxed, refcounted, immutable; the secret and the token are wiped on the last unref. */
typedef struct _WharfCredentials WharfCredentials;

#define WHARF_TYPE_CREDENTIALS (wharf_credentials_get_type ())
GType             wharf_credentials_get_type              (void) G_GNUC_CONST;
WharfCredentials *wharf_credentials_new                   (const char             *access_key_id,
                                                           const char             *secret_access_key,
                                                           const char             *session_token,
                                                           GDateTime              *expiration);
WharfCredentials *wharf_credentials_ref                   (WharfCredentials       *self);
void              wharf_credentials_unref                 (WharfCredentials       *self);
const char       *wharf_credentials_get_access_key_id     (const WharfCredentials *self);
const char       *wharf_credentials_get_secret_access_key (const WharfCredentials *self);
/* nullable */
const char       *wharf_credentials_get_session_token     (const WharfCredentials *self);
/* nullable (never expires); transfer none */
GDateTime        *wharf_credentials_get_expiration        (const WharfCredentials *self);
/* TRUE when the credentials expire within @margin of @now (@now nullable: the clock). */
gboolean          wharf_credentials_expires_within        (const WharfCredentials *self,
                                                           GDateTime              *now,
                                                           GTimeSpan               margin);
/* Where they came from, for the UI ("environment", "profile work", …); nullable. */
const char       *wharf_credentials_get_source            (const WharfCredentials *self);
WharfCredentials *wharf_credentials_new_with_source       (const char             *access_key_id,
                                                           const char             *secret_access_key,
                                                           const char             *session_token,
                                                           GDateTime              *expiration,
                                                           const char             *source);

/* The same keys, token and expiration, from @source (nullable). */
WharfCredentials *wharf_credentials_copy_with_source      (const WharfCredentials *self,
                                                           const char             *source);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WharfCredentials, wharf_credentials_unref)

/* A GInterface so that SSO and role assumption can be added later. */
#define WHARF_TYPE_CREDENTIALS_PROVIDER (wharf_credentials_provider_get_type ())
G_DECLARE_INTERFACE (WharfCredentialsProvider, wharf_credentials_provider,
                     WHARF, CREDENTIALS_PROVIDER, GObject)

struct _WharfCredentialsProviderInterface
{
  GTypeInterface parent_iface;

  void              (*get_credentials_async)  (WharfCredentialsProvider  *self,
                                               GCancellable              *cancellable,
                                               GAsyncReadyCallback        callback,
                                               gpointer                   user_data);
  WharfCredentials *(*get_credentials_finish) (WharfCredentialsProvider  *self,
                                               GAsyncResult              *result,
                                               GError                   **error);
  /* Optional: forget cached credentials (e.g. after ExpiredTokenException). */
  void              (*invalidate)             (WharfCredentialsProvider  *self);
};

void              wharf_credentials_provider_get_credentials_async  (WharfCredentialsProvider  *self,
                                                                     GCancellable              *cancellable,
                                                                     GAsyncReadyCallback        callback,
                                                                     gpointer                   user_data);
WharfCredentials *wharf_credentials_provider_get_credentials_finish (WharfCredentialsProvider  *self,
                                                                     GAsyncResult              *result,
                                                                     GError                   **error);
void              wharf_credentials_provider_invalidate             (WharfCredentialsProvider  *self);

/* Always returns @creds. */
WharfCredentialsProvider *wharf_static_credentials_provider_new  (WharfCredentials *creds);

/*
 * The AWS CLI's chain: environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN) → the profile's role (role_arn: wharf-profile-credentials.h) or IAM
 * Identity Center settings (wharf-sso.h) → its static keys (credentials file, then config
 * file) → its credential_process. @profile nullable: AWS_PROFILE, else "default".
 * An explicit @profile skips the environment keys (as `aws --profile` does).
 * Results are cached and fetched again 5 minutes before they expire.
 */
WharfCredentialsProvider *wharf_default_credentials_provider_new (const char       *profile);

/* How long before expiry cached credentials are fetched again. */
#define WHARF_CREDENTIALS_REFRESH_MARGIN (5 * G_TIME_SPAN_MINUTE)

/* credential_process alone (used by the chain; exposed for tests and the UI). */
#define WHARF_CREDENTIAL_PROCESS_TIMEOUT_SECONDS 60
void              wharf_credential_process_run_async  (const char           *command_line,
                                                       guint                 timeout_seconds,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
WharfCredentials *wharf_credential_process_run_finish (GAsyncResult         *result,
                                                       GError              **error);
/* Parses credential_process output (Version 1 JSON). */
WharfCredentials *wharf_credential_process_parse      (const char           *output,
                                                       gsize                 len,
                                                       GError              **error);

G_END_DECLS
