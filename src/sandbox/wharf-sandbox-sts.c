/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-sandbox-sts"

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "wharf-sandbox-auth.h"
#include "wharf-sandbox-auth-private.h"
#include "wharf-sigv4.h"

#define STS_NAMESPACE "https://sts.amazonaws.com/doc/2011-06-15/"
#define STS_VERSION "2011-06-15"
#define XML_CONTENT_TYPE "text/xml"
#define MAX_SKEW ((GTimeSpan) 15 * G_TIME_SPAN_MINUTE)

/* ---- Temporary keys on ECR requests ---------------------------------------------------- */

gboolean
sb_auth_lookup_session (WharfSandbox  *self,
                        const char    *access_key_id,
                        const char    *session_token,
                        const char   **secret_access_key,
                        const char   **account_id,
                        const char   **error_type,
                        const char   **error_message)
{
  SbAuth *auth = sb_auth_get (self);
  SbSession *s = g_hash_table_lookup (auth->sessions, access_key_id);

  if (!s || !session_token || strlen (session_token) != strlen (s->session_token)
      || memcmp (session_token, s->session_token, strlen (session_token)) != 0)
    {
      *error_type = "UnrecognizedClientException";
      *error_message = "The security token included in the request is invalid.";
      return FALSE;
    }
  if (s->expires <= wharf_sandbox_get_now (self))
    {
      *error_type = "ExpiredTokenException";
      *error_message = "The security token included in the request is expired";
      return FALSE;
    }
  *secret_access_key = s->secret_access_key;
  *account_id = s->account_id;
  return TRUE;
}

/* ---- In-process controls --------------------------------------------------------------- */

void
wharf_sandbox_sts_add_role (WharfSandbox *self,
                            const char   *role_arn,
                            const char   *external_id,
                            const char   *mfa_serial,
                            const char   *mfa_code)
{
  SbAuth *auth;
  SbRole *role;

  g_return_if_fail (WHARF_IS_SANDBOX (self));
  g_return_if_fail (role_arn);
  g_return_if_fail (!mfa_serial == !mfa_code);

  auth = sb_auth_get (self);
  role = g_new0 (SbRole, 1);
  role->role_arn = g_strdup (role_arn);
  role->external_id = g_strdup (external_id);
  role->mfa_serial = g_strdup (mfa_serial);
  role->mfa_code = g_strdup (mfa_code);
  g_hash_table_replace (auth->roles, role->role_arn, role);
}

void
wharf_sandbox_sts_set_max_session_seconds (WharfSandbox *self,
                                           guint         seconds)
{
  g_return_if_fail (WHARF_IS_SANDBOX (self));
  sb_auth_get (self)->max_session = seconds;
}

void
wharf_sandbox_expire_sessions (WharfSandbox *self)
{
  GHashTableIter iter;
  SbSession *s;
  gint64 now;

  g_return_if_fail (WHARF_IS_SANDBOX (self));

  now = wharf_sandbox_get_now (self);
  g_hash_table_iter_init (&iter, sb_auth_get (self)->sessions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &s))
    s->expires = MIN (s->expires, now);
}

guint
wharf_sandbox_get_n_active_sessions (WharfSandbox *self)
{
  GHashTableIter iter;
  SbSession *s;
  gint64 now;
  guint n = 0;

  g_return_val_if_fail (WHARF_IS_SANDBOX (self), 0);

  now = wharf_sandbox_get_now (self);
  g_hash_table_iter_init (&iter, sb_auth_get (self)->sessions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &s))
    if (s->expires > now)
      n++;
  return n;
}

/* ---- STS over the Query protocol ------------------------------------------------------- */

static void
sts_error (SbAuthReply *reply,
           guint        status,
           const char  *code,
           const char  *message,
           const char  *request_id)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  reply->status = status;
  reply->content_type = g_strdup (XML_CONTENT_TYPE);
  reply->body = g_strdup_printf ("<ErrorResponse xmlns=\"" STS_NAMESPACE "\">\n"
                                 "  <Error>\n"
                                 "    <Type>%s</Type>\n"
                                 "    <Code>%s</Code>\n"
                                 "    <Message>%s</Message>\n"
                                 "  </Error>\n"
                                 "  <RequestId>%s</RequestId>\n"
                                 "</ErrorResponse>\n",
                                 status >= 500 ? "Receiver" : "Sender", code, escaped,
                                 request_id);
}

/* The caller of a verified request. */
typedef struct
{
  const char *account_id;
  char       *arn;
  char       *user_id;
} Caller;

/* Checks the signature (service "sts"); fills @caller or the error reply. */
static gboolean
sts_authenticate (WharfSandbox            *self,
                  const WharfSigv4Request *req,
                  const char              *request_id,
                  Caller                  *caller,
                  SbAuthReply             *reply)
{
  const char *authorization = wharf_sigv4_request_get_header (req, "Authorization");
  const char *amz_date = wharf_sigv4_request_get_header (req, "X-Amz-Date");
  g_autofree char *key_id = NULL, *service = NULL;
  g_autoptr(GDateTime) signed_at = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GError) error = NULL;
  const char *secret = NULL, *account = NULL;
  GTimeSpan skew;
  SbSession *session = NULL;

  if (!authorization)
    {
      sts_error (reply, 403, "MissingAuthenticationToken",
                 "Request is missing Authentication Token", request_id);
      return FALSE;
    }
  if (!wharf_sigv4_parse_authorization (authorization, &key_id, NULL, NULL, &service, NULL, NULL,
                                        &error))
    {
      sts_error (reply, 400, "IncompleteSignature", error->message, request_id);
      return FALSE;
    }
  if (!g_str_equal (service, "sts"))
    {
      sts_error (reply, 403, "SignatureDoesNotMatch",
                 "Credential should be scoped to correct service: 'sts'. ", request_id);
      return FALSE;
    }
  if (!sb_sandbox_lookup_key (self, key_id, &secret, &account))
    {
      const char *type = NULL, *message = NULL;

      if (!sb_auth_lookup_session (self, key_id,
                                   wharf_sigv4_request_get_header (req, "X-Amz-Security-Token"),
                                   &secret, &account, &type, &message))
        {
          if (g_str_equal (type, "ExpiredTokenException"))
            sts_error (reply, 400, "ExpiredToken", "The security token included in the request "
                       "is expired", request_id);
          else
            sts_error (reply, 403, "InvalidClientTokenId",
                       "The security token included in the request is invalid.", request_id);
          return FALSE;
        }
      session = g_hash_table_lookup (sb_auth_get (self)->sessions, key_id);
    }
  if (!amz_date || !(signed_at = wharf_sigv4_parse_amz_date (amz_date, NULL)))
    {
      sts_error (reply, 400, "IncompleteSignature",
                 "Authorization header requires existence of either a 'X-Amz-Date' or a "
                 "'Date' header.", request_id);
      return FALSE;
    }
  now = g_date_time_new_now_utc ();
  skew = g_date_time_difference (now, signed_at);
  if (skew > MAX_SKEW || skew < -MAX_SKEW)
    {
      sts_error (reply, 403, "SignatureDoesNotMatch", "Signature expired or not yet current",
                 request_id);
      return FALSE;
    }
  if (!wharf_sigv4_verify (req, secret, &error))
    {
      sts_error (reply, 403, "SignatureDoesNotMatch",
                 "The request signature we calculated does not match the signature you "
                 "provided. Check your AWS Secret Access Key and signing method. Consult the "
                 "service documentation for details.", request_id);
      return FALSE;
    }

  caller->account_id = account;
  if (session)
    {
      caller->arn = g_strdup (session->arn);
      caller->user_id = g_strdup (session->user_id);
    }
  else
    {
      g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key_id, -1);
      g_autofree char *upper = g_ascii_strup (digest, 17);

      caller->arn = g_strdup_printf ("arn:aws:iam::%s:user/wharf-%s", account,
                                     g_str_equal (key_id, WHARF_SANDBOX_PRACTICE_ACCESS_KEY_ID)
                                     ? "practice" : "user");
      caller->user_id = g_strconcat ("AIDA", upper, NULL);
    }
  return TRUE;
}

static gboolean
valid_session_name (const char *name)
{
  gsize len = name ? strlen (name) : 0;

  if (len < 2 || len > 64)
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && !strchr ("_+=,.@-", *p))
      return FALSE;
  return TRUE;
}

/* "arn:aws:iam::123456789012:role/path/Name" → account and the role name. */
static gboolean
parse_role_arn (const char  *arn,
                char       **account,
                char       **name)
{
  g_auto(GStrv) parts = NULL;
  const char *resource, *slash;

  if (!arn || strlen (arn) < 20 || strlen (arn) > 2048)
    return FALSE;
  parts = g_strsplit (arn, ":", 6);
  if (g_strv_length (parts) != 6 || !g_str_equal (parts[0], "arn")
      || !g_str_equal (parts[2], "iam") || strlen (parts[4]) != 12
      || strspn (parts[4], "0123456789") != 12)
    return FALSE;
  resource = parts[5];
  if (!g_str_has_prefix (resource, "role/") || resource[5] == '\0')
    return FALSE;
  slash = strrchr (resource, '/');
  *account = g_strdup (parts[4]);
  *name = g_strdup (slash + 1);
  return **name != '\0';
}

static void
assume_role (WharfSandbox *self,
             GHashTable   *params,
             Caller       *caller,
             const char   *request_id,
             SbAuthReply  *reply)
{
  SbAuth *auth = sb_auth_get (self);
  const char *role_arn = g_hash_table_lookup (params, "RoleArn");
  const char *session_name = g_hash_table_lookup (params, "RoleSessionName");
  const char *duration_text = g_hash_table_lookup (params, "DurationSeconds");
  const char *external_id = g_hash_table_lookup (params, "ExternalId");
  const char *serial = g_hash_table_lookup (params, "SerialNumber");
  const char *code = g_hash_table_lookup (params, "TokenCode");
  g_autofree char *account = NULL, *role_name = NULL, *denied = NULL;
  g_autofree char *arn = NULL, *role_id = NULL, *user_id = NULL, *expiration = NULL;
  g_autofree char *role_tail = NULL;
  guint64 duration = 3600;
  SbRole *role;
  SbSession *s;

  if (!role_arn || !session_name)
    {
      sts_error (reply, 400, "MissingParameter", role_arn
                 ? "The request must contain the parameter RoleSessionName"
                 : "The request must contain the parameter RoleArn", request_id);
      return;
    }
  if (!parse_role_arn (role_arn, &account, &role_name))
    {
      g_autofree char *message = g_strdup_printf ("%s is invalid", role_arn);

      sts_error (reply, 400, "ValidationError", message, request_id);
      return;
    }
  if (!valid_session_name (session_name))
    {
      sts_error (reply, 400, "ValidationError",
                 "1 validation error detected: Value at 'roleSessionName' failed to satisfy "
                 "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
                 request_id);
      return;
    }
  if (duration_text)
    {
      if (!g_ascii_string_to_unsigned (duration_text, 10, 900, 43200, &duration, NULL))
        {
          sts_error (reply, 400, "ValidationError",
                     "1 validation error detected: Value at 'durationSeconds' failed to satisfy "
                     "constraint: Member must have value between 900 and 43200", request_id);
          return;
        }
    }

  denied = g_strdup_printf ("User: %s is not authorized to perform: sts:AssumeRole on resource: "
                            "%s", caller->arn, role_arn);
  role = g_hash_table_lookup (auth->roles, role_arn);
  if (!role || (role->external_id && g_strcmp0 (role->external_id, external_id) != 0))
    {
      sts_error (reply, 403, "AccessDenied", denied, request_id);
      return;
    }
  if (role->mfa_serial)
    {
      if (!serial || !code || !g_str_equal (serial, role->mfa_serial))
        {
          sts_error (reply, 403, "AccessDenied", denied, request_id);
          return;
        }
      if (!g_str_equal (code, role->mfa_code))
        {
          sts_error (reply, 403, "AccessDenied",
                     "MultiFactorAuthentication failed with invalid MFA one time pass code. ",
                     request_id);
          return;
        }
    }

  role_tail = sb_auth_random (17, TRUE);
  role_id = g_strconcat ("AROA", role_tail, NULL);
  arn = g_strdup_printf ("arn:aws:sts::%s:assumed-role/%s/%s", account, role_name, session_name);
  user_id = g_strdup_printf ("%s:%s", role_id, session_name);
  s = sb_auth_new_session (self, account, arn, user_id, (guint) duration);
  expiration = sb_auth_format_time (s->expires);

  reply->status = 200;
  reply->content_type = g_strdup (XML_CONTENT_TYPE);
  reply->body = g_strdup_printf ("<AssumeRoleResponse xmlns=\"" STS_NAMESPACE "\">\n"
                                 "  <AssumeRoleResult>\n"
                                 "    <AssumedRoleUser>\n"
                                 "      <AssumedRoleId>%s</AssumedRoleId>\n"
                                 "      <Arn>%s</Arn>\n"
                                 "    </AssumedRoleUser>\n"
                                 "    <Credentials>\n"
                                 "      <AccessKeyId>%s</AccessKeyId>\n"
                                 "      <SecretAccessKey>%s</SecretAccessKey>\n"
                                 "      <SessionToken>%s</SessionToken>\n"
                                 "      <Expiration>%s</Expiration>\n"
                                 "    </Credentials>\n"
                                 "  </AssumeRoleResult>\n"
                                 "  <ResponseMetadata>\n"
                                 "    <RequestId>%s</RequestId>\n"
                                 "  </ResponseMetadata>\n"
                                 "</AssumeRoleResponse>\n",
                                 user_id, arn, s->access_key_id, s->secret_access_key,
                                 s->session_token, expiration, request_id);
}

static void
get_caller_identity (Caller      *caller,
                     const char  *request_id,
                     SbAuthReply *reply)
{
  g_autofree char *arn = g_markup_escape_text (caller->arn, -1);
  g_autofree char *user_id = g_markup_escape_text (caller->user_id, -1);

  reply->status = 200;
  reply->content_type = g_strdup (XML_CONTENT_TYPE);
  reply->body = g_strdup_printf ("<GetCallerIdentityResponse xmlns=\"" STS_NAMESPACE "\">\n"
                                 "  <GetCallerIdentityResult>\n"
                                 "    <Arn>%s</Arn>\n"
                                 "    <UserId>%s</UserId>\n"
                                 "    <Account>%s</Account>\n"
                                 "  </GetCallerIdentityResult>\n"
                                 "  <ResponseMetadata>\n"
                                 "    <RequestId>%s</RequestId>\n"
                                 "  </ResponseMetadata>\n"
                                 "</GetCallerIdentityResponse>\n",
                                 arn, user_id, caller->account_id, request_id);
}

static gboolean
is_form (const WharfSigv4Request *req)
{
  const char *type = wharf_sigv4_request_get_header (req, "Content-Type");

  return type && g_ascii_strncasecmp (type, "application/x-www-form-urlencoded",
                                      strlen ("application/x-www-form-urlencoded")) == 0;
}

/* The front of the sign-in services: SSO-OIDC and the portal (wharf-sandbox-sso.c, which
 * never calls back here), else STS. */
gboolean
sb_auth_dispatch (WharfSandbox            *self,
                  const WharfSigv4Request *req,
                  const char              *request_id,
                  SbAuthReply             *reply)
{
  g_autoptr(GHashTable) params = NULL;
  const char *action, *version;
  Caller caller = { 0 };
  const guint8 *body;
  gsize len = 0;

  if (sb_sso_dispatch (self, req, request_id, reply))
    return TRUE;

  if (!g_str_equal (wharf_sigv4_request_get_method (req), "POST")
      || !g_str_equal (wharf_sigv4_request_get_path (req), "/") || !is_form (req))
    return FALSE;

  body = wharf_sigv4_request_get_body (req, &len);
  params = g_uri_parse_params (len ? (const char *) body : "", len, "&",
                               G_URI_PARAMS_WWW_FORM, NULL);
  if (!params)
    params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  action = g_hash_table_lookup (params, "Action");
  version = g_hash_table_lookup (params, "Version");
  reply->operation = g_strdup (action ? action : "");

  if (!action || (!g_str_equal (action, "AssumeRole")
                  && !g_str_equal (action, "GetCallerIdentity")))
    {
      g_autofree char *message = g_strdup_printf ("Could not find operation %s for version %s",
                                                  action ? action : "", version ? version : "");

      sts_error (reply, 400, "InvalidAction", message, request_id);
      return TRUE;
    }
  if (g_strcmp0 (version, STS_VERSION) != 0)
    {
      sts_error (reply, 400, "InvalidAction", "Unsupported version", request_id);
      return TRUE;
    }
  if (!sts_authenticate (self, req, request_id, &caller, reply))
    return TRUE;

  if (g_str_equal (action, "AssumeRole"))
    assume_role (self, params, &caller, request_id, reply);
  else
    get_caller_identity (&caller, request_id, reply);
  g_free (caller.arn);
  g_free (caller.user_id);
  return TRUE;
}
