/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IAM Identity Center (SSO), in the AWS CLI's own formats:
 *  - the token cache ~/.aws/sso/cache/<sha1>.json shared with `aws sso login`;
 *  - the SSO-OIDC service (REST-JSON, unsigned): RegisterClient, StartDeviceAuthorization,
 *    CreateToken (device code and refresh token grants);
 *  - the SSO portal (REST-JSON, bearer token in x-amz-sso_bearer_token): GetRoleCredentials,
 *    ListAccounts, ListAccountRoles.
 * HTTP errors are in WHARF_AWS_ERROR with the AWS code kept; token and flow problems in
 * WHARF_SSO_ERROR.
 */
#pragma once

#include <gio/gio.h>

#include "wharf-aws-config.h"
#include "wharf-credentials.h"

G_BEGIN_DECLS

#define WHARF_SSO_ERROR (wharf_sso_error_quark ())

/**
 * WharfSsoError:
 * @WHARF_SSO_ERROR_LOGIN_REQUIRED: there is no usable token: the person must sign in
 *   (wharf_sso_login_async()) — the UI offers "Sign in with IAM Identity Center"
 * @WHARF_SSO_ERROR_CONFIG: the profile's SSO settings are missing or contradictory
 * @WHARF_SSO_ERROR_CACHE: the token cache file cannot be read or written, or is malformed
 * @WHARF_SSO_ERROR_EXPIRED: the device code expired before the person approved it
 * @WHARF_SSO_ERROR_DENIED: the person denied the sign-in
 */
typedef enum
{
  WHARF_SSO_ERROR_LOGIN_REQUIRED,
  WHARF_SSO_ERROR_CONFIG,
  WHARF_SSO_ERROR_CACHE,
  WHARF_SSO_ERROR_EXPIRED,
  WHARF_SSO_ERROR_DENIED,
} WharfSsoError;

GQuark wharf_sso_error_quark (void);

#define WHARF_SSO_SCOPE_ACCOUNT_ACCESS "sso:account:access"
#define WHARF_SSO_CLIENT_NAME "wharf"
#define WHARF_SSO_DEVICE_GRANT "urn:ietf:params:oauth:grant-type:device_code"
/* A cached access token is refreshed this long before it expires (as botocore). */
#define WHARF_SSO_TOKEN_REFRESH_MARGIN (15 * G_TIME_SPAN_MINUTE)

/* A profile's SSO settings, from [profile x] and its [sso-session y]. */
typedef struct
{
  char  *profile;
  char  *session_name;     /* NULL in the legacy form (sso_start_url in the profile) */
  char  *start_url;
  char  *sso_region;
  char  *account_id;       /* nullable for a bare sso-session used to sign in only */
  char  *role_name;        /* nullable likewise */
  GStrv  scopes;           /* sso_registration_scopes; never NULL */
} WharfSsoSettings;

WharfSsoSettings *wharf_sso_settings_from_profile (WharfAwsConfig   *config,
                                                   const char       *profile,
                                                   GError          **error);
/* The settings of [sso-session @session] alone (no account or role). */
WharfSsoSettings *wharf_sso_settings_from_session (WharfAwsConfig   *config,
                                                   const char       *session,
                                                   GError          **error);
void              wharf_sso_settings_free         (WharfSsoSettings *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WharfSsoSettings, wharf_sso_settings_free)

/* The cache key: the session name, or the start URL in the legacy form. */
const char       *wharf_sso_settings_get_cache_key (const WharfSsoSettings *self);

/* ---- The token cache ---- */

typedef struct
{
  char      *access_token;
  GDateTime *expires_at;               /* UTC */
  char      *refresh_token;            /* nullable */
  char      *client_id;                /* nullable */
  char      *client_secret;            /* nullable */
  GDateTime *registration_expires_at;  /* nullable */
  char      *region;                   /* nullable */
  char      *start_url;                /* nullable */
} WharfSsoToken;

WharfSsoToken *wharf_sso_token_new              (void);
WharfSsoToken *wharf_sso_token_copy             (const WharfSsoToken *self);
/* Wipes the secrets. */
void           wharf_sso_token_free             (WharfSsoToken       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WharfSsoToken, wharf_sso_token_free)
/* TRUE when the access token expires within @margin of @now (@now nullable: the clock). */
gboolean       wharf_sso_token_expires_within   (const WharfSsoToken *self,
                                                 GDateTime           *now,
                                                 GTimeSpan            margin);
/* TRUE when the client registration is present and not expired. */
gboolean       wharf_sso_token_has_registration (const WharfSsoToken *self,
                                                 GDateTime           *now);

/* $HOME/.aws/sso/cache (g_get_home_dir ()). */
char          *wharf_sso_cache_dir              (void);
/* <cache dir>/<sha1 hex of @cache_key>.json */
char          *wharf_sso_cache_path             (const char          *cache_key);

/* The AWS CLI's JSON (accessToken, expiresAt "2026-11-27T10:00:00Z", refreshToken,
 * clientId, clientSecret, registrationExpiresAt, region, startUrl). */
WharfSsoToken *wharf_sso_token_from_json        (const char          *data,
                                                 gssize               len,
                                                 GError             **error);
char          *wharf_sso_token_to_json          (const WharfSsoToken *self);

/* Blocking but small (use in threads, tests and tools); a missing file is
 * WHARF_SSO_ERROR_LOGIN_REQUIRED. Saving creates the directory (0700) and writes the file
 * atomically with mode 0600. */
WharfSsoToken *wharf_sso_token_load             (const char          *path,
                                                 GError             **error);
gboolean       wharf_sso_token_save             (const WharfSsoToken *self,
                                                 const char          *path,
                                                 GError             **error);

/* ---- Endpoints ---- */

/* AWS_ENDPOINT_URL_SSO / AWS_ENDPOINT_URL_SSO_OIDC > AWS_ENDPOINT_URL > the profile's
 * [services] sso / sso_oidc endpoint_url > the profile's endpoint_url >
 * https://portal.sso.<region>.amazonaws.com / https://oidc.<region>.amazonaws.com.
 * @config and @profile nullable. */
char *wharf_sso_resolve_portal_endpoint (WharfAwsConfig *config,
                                         const char     *profile,
                                         const char     *sso_region,
                                         GError        **error);
char *wharf_sso_resolve_oidc_endpoint   (WharfAwsConfig *config,
                                         const char     *profile,
                                         const char     *sso_region,
                                         GError        **error);

/* ---- SSO-OIDC ---- */

/* CreateToken with grant_type refresh_token: returns a new token (client registration
 * copied from @token, refresh token replaced when the answer has one). */
void           wharf_sso_refresh_token_async  (const char          *oidc_endpoint,
                                               const WharfSsoToken *token,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
WharfSsoToken *wharf_sso_refresh_token_finish (GAsyncResult        *result,
                                               GError             **error);

/* What to show the person while the device flow waits. */
typedef struct
{
  const char *user_code;
  const char *verification_uri;
  const char *verification_uri_complete;
  int         expires_in;
} WharfSsoDeviceCode;

typedef void (*WharfSsoDeviceCodeFunc) (const WharfSsoDeviceCode *code,
                                        gpointer                  user_data);

/*
 * The device authorization sign-in: reuses the client registration in the cache when it is
 * still valid, else RegisterClient (clientName "wharf", public, the settings' scopes);
 * StartDeviceAuthorization; calls @code_func (on the calling thread's main context) with the
 * user code and the URL to open; polls CreateToken on main-loop timeouts, honouring
 * authorization_pending, slow_down (+5 s) and expired_token; stores the token in the
 * shared cache. Cancellable at any point. @poll_interval_override_ms (0: the service's
 * interval) exists for tests.
 */
void           wharf_sso_login_async  (WharfSsoSettings       *settings,
                                       const char             *oidc_endpoint,
                                       WharfSsoDeviceCodeFunc  code_func,
                                       gpointer                code_data,
                                       GCancellable           *cancellable,
                                       GAsyncReadyCallback     callback,
                                       gpointer                user_data);
WharfSsoToken *wharf_sso_login_finish (GAsyncResult           *result,
                                       GError                **error);
/* Test hook: the length of one polling interval in ms (0 restores seconds). */
void           wharf_sso_set_poll_unit_ms (guint unit_ms);

/*
 * A valid access token for @settings: the shared cache, refreshed with the refresh token
 * when it expires within WHARF_SSO_TOKEN_REFRESH_MARGIN (the refreshed token is written
 * back). WHARF_SSO_ERROR_LOGIN_REQUIRED when there is none and no refresh is possible.
 */
void           wharf_sso_get_token_async  (WharfSsoSettings    *settings,
                                           const char          *oidc_endpoint,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
WharfSsoToken *wharf_sso_get_token_finish (GAsyncResult        *result,
                                           GError             **error);

/* ---- The SSO portal ---- */

void              wharf_sso_get_role_credentials_async  (const char          *portal_endpoint,
                                                         const char          *access_token,
                                                         const char          *account_id,
                                                         const char          *role_name,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
WharfCredentials *wharf_sso_get_role_credentials_finish (GAsyncResult        *result,
                                                         GError             **error);

typedef struct
{
  char *account_id;
  char *account_name;
  char *email_address;
} WharfSsoAccount;

void wharf_sso_account_free (WharfSsoAccount *self);

/* Every page (@page_size 0: the service's default). transfer full: WharfSsoAccount. */
void       wharf_sso_list_accounts_async       (const char          *portal_endpoint,
                                                const char          *access_token,
                                                guint                page_size,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GPtrArray *wharf_sso_list_accounts_finish      (GAsyncResult        *result,
                                                GError             **error);
/* transfer full: char * role names. */
void       wharf_sso_list_account_roles_async  (const char          *portal_endpoint,
                                                const char          *access_token,
                                                const char          *account_id,
                                                guint                page_size,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GPtrArray *wharf_sso_list_account_roles_finish (GAsyncResult        *result,
                                                GError             **error);

G_END_DECLS
