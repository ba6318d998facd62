/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-sso"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <openssl/crypto.h>

#include "wharf-sso.h"

#include "wharf-aws-endpoint.h"
#include "wharf-aws-error.h"
#include "wharf-aws-http-private.h"

G_DEFINE_QUARK (wharf-sso-error-quark, wharf_sso_error)

static gboolean
nonempty (const char *s)
{
  return s != NULL && *s != '\0';
}

static void
wipe_free (char *s)
{
  if (s != NULL)
    {
      OPENSSL_cleanse (s, strlen (s));
      g_free (s);
    }
}

/* ---- Settings -------------------------------------------------------------------------- */

void
wharf_sso_settings_free (WharfSsoSettings *self)
{
  if (self == NULL)
    return;
  g_free (self->profile);
  g_free (self->session_name);
  g_free (self->start_url);
  g_free (self->sso_region);
  g_free (self->account_id);
  g_free (self->role_name);
  g_strfreev (self->scopes);
  g_free (self);
}

static GStrv
parse_scopes (const char *value)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (!nonempty (value))
    {
      g_strv_builder_add (builder, WHARF_SSO_SCOPE_ACCOUNT_ACCESS);
      return g_strv_builder_end (builder);
    }
  parts = g_strsplit (value, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }
  return g_strv_builder_end (builder);
}

WharfSsoSettings *
wharf_sso_settings_from_session (WharfAwsConfig  *config,
                                 const char      *session,
                                 GError         **error)
{
  g_autoptr(WharfSsoSettings) self = g_new0 (WharfSsoSettings, 1);
  const char *start_url = wharf_aws_config_get_sso_session_setting (config, session,
                                                                    "sso_start_url");
  const char *region = wharf_aws_config_get_sso_session_setting (config, session, "sso_region");

  g_return_val_if_fail (WHARF_IS_AWS_CONFIG (config), NULL);
  g_return_val_if_fail (session != NULL, NULL);

  if (!nonempty (start_url) || !nonempty (region))
    {
      g_set_error (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_CONFIG,
                   _("The section [sso-session %s] is missing or does not set both "
                     "sso_start_url and sso_region."), session);
      return NULL;
    }
  if (!wharf_aws_region_is_valid (region))
    {
      g_set_error (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_CONFIG,
                   _("The sso_region “%s” of [sso-session %s] is not a valid region name."),
                   region, session);
      return NULL;
    }
  self->session_name = g_strdup (session);
  self->start_url = g_strdup (start_url);
  self->sso_region = g_strdup (region);
  self->scopes = parse_scopes (wharf_aws_config_get_sso_session_setting (config, session,
                                                                         "sso_registration_scopes"));
  return g_steal_pointer (&self);
}

WharfSsoSettings *
wharf_sso_settings_from_profile (WharfAwsConfig  *config,
                                 const char      *profile,
                                 GError         **error)
{
  g_autoptr(WharfSsoSettings) self = NULL;
  const char *session, *start_url, *region;

  g_return_val_if_fail (WHARF_IS_AWS_CONFIG (config), NULL);
  g_return_val_if_fail (profile != NULL, NULL);

  session = wharf_aws_config_get (config, profile, "sso_session");
  start_url = wharf_aws_config_get (config, profile, "sso_start_url");
  region = wharf_aws_config_get (config, profile, "sso_region");

  if (nonempty (session))
    {
      self = wharf_sso_settings_from_session (config, session, error);
      if (self == NULL)
        return NULL;
      /* As botocore: values repeated in the profile must agree with the session. */
      if ((nonempty (start_url) && g_strcmp0 (start_url, self->start_url) != 0)
          || (nonempty (region) && g_strcmp0 (region, self->sso_region) != 0))
        {
          g_set_error (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_CONFIG,
                       _("The profile “%s” sets sso_start_url or sso_region to values that "
                         "differ from its [sso-session %s]."), profile, session);
          return NULL;
        }
    }
  else
    {
      if (!nonempty (start_url) || !nonempty (region))
        {
          g_set_error (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_CONFIG,
                       _("The profile “%s” uses IAM Identity Center but sets neither "
                         "sso_session nor both sso_start_url and sso_region."), profile);
          return NULL;
        }
      if (!wharf_aws_region_is_valid (region))
        {
          g_set_error (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_CONFIG,
                       _("The sso_region “%s” of the profile “%s” is not a valid region name."),
                       region, profile);
          return NULL;
        }
      self = g_new0 (WharfSsoSettings, 1);
      self->start_url = g_strdup (start_url);
      self->sso_region = g_strdup (region);
      self->scopes = parse_scopes (NULL);
    }

  self->profile = g_strdup (profile);
  if (nonempty (wharf_aws_config_get (config, profile, "sso_account_id")))
    self->account_id = g_strdup (wharf_aws_config_get (config, profile, "sso_account_id"));
  if (nonempty (wharf_aws_config_get (config, profile, "sso_role_name")))
    self->role_name = g_strdup (wharf_aws_config_get (config, profile, "sso_role_name"));
  return g_steal_pointer (&self);
}

const char *
wharf_sso_settings_get_cache_key (const WharfSsoSettings *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->session_name != NULL ? self->session_name : self->start_url;
}

/* ---- Tokens ---------------------------------------------------------------------------- */

WharfSsoToken *
wharf_sso_token_new (void)
{
  return g_new0 (WharfSsoToken, 1);
}

WharfSsoToken *
wharf_sso_token_copy (const WharfSsoToken *self)
{
  WharfSsoToken *copy = g_new0 (WharfSsoToken, 1);

  copy->access_token = g_strdup (self->access_token);
  copy->expires_at = self->expires_at != NULL ? g_date_time_ref (self->expires_at) : NULL;
  copy->refresh_token = g_strdup (self->refresh_token);
  copy->client_id = g_strdup (self->client_id);
  copy->client_secret = g_strdup (self->client_secret);
  copy->registration_expires_at = self->registration_expires_at != NULL
                                  ? g_date_time_ref (self->registration_expires_at) : NULL;
  copy->region = g_strdup (self->region);
  copy->start_url = g_strdup (self->start_url);
  return copy;
}

void
wharf_sso_token_free (WharfSsoToken *self)
{
  if (self == NULL)
    return;
  wipe_free (self->access_token);
  wipe_free (self->refresh_token);
  g_free (self->client_id);
  wipe_free (self->client_secret);
  g_clear_pointer (&self->expires_at, g_date_time_unref);
  g_clear_pointer (&self->registration_expires_at, g_date_time_unref);
  g_free (self->region);
  g_free (self->start_url);
  g_free (self);
}

gboolean
wharf_sso_token_expires_within (const WharfSsoToken *self,
                                GDateTime           *now,
                                GTimeSpan            margin)
{
  g_autoptr(GDateTime) clock = NULL;

  g_return_val_if_fail (self != NULL, TRUE);

  if (self->expires_at == NULL || self->access_token == NULL)
    return TRUE;
  if (now == NULL)
    now = clock = g_date_time_new_now_utc ();
  return g_date_time_difference (self->expires_at, now) <= margin;
}

gboolean
wharf_sso_token_has_registration (const WharfSsoToken *self,
                                  GDateTime           *now)
{
  g_autoptr(GDateTime) clock = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!nonempty (self->client_id) || !nonempty (self->client_secret))
    return FALSE;
  if (self->registration_expires_at == NULL)
    return TRUE;
  if (now == NULL)
    now = clock = g_date_time_new_now_utc ();
  return g_date_time_difference (self->registration_expires_at, now) > G_TIME_SPAN_MINUTE;
}

char *
wharf_sso_cache_dir (void)
{
  return g_build_filename (g_get_home_dir (), ".aws", "sso", "cache", NULL);
}

char *
wharf_sso_cache_path (const char *cache_key)
{
  g_autofree char *sha1 = NULL;
  g_autofree char *name = NULL;
  g_autofree char *dir = wharf_sso_cache_dir ();

  g_return_val_if_fail (cache_key != NULL, NULL);

  sha1 = g_compute_checksum_for_string (G_CHECKSUM_SHA1, cache_key, -1);
  name = g_strconcat (sha1, ".json", NULL);
  return g_build_filename (dir, name, NULL);
}

static GDateTime *
parse_time (const char *text)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *fixed = NULL;

  if (text == NULL)
    return NULL;
  /* The AWS CLI v1 wrote "2019-11-14T04:05:45UTC". */
  if (g_str_has_suffix (text, "UTC"))
    {
      fixed = g_strdup (text);
      strcpy (fixed + strlen (fixed) - 3, "Z");
      text = fixed;
    }
  return g_date_time_new_from_iso8601 (text, utc);
}

static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  /* %Y does not pad years before 1000, and ISO 8601 needs four digits to read back. */
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ",
                          g_date_time_get_year (utc),
                          g_date_time_get_month (utc),
                          g_date_time_get_day_of_month (utc),
                          g_date_time_get_hour (utc),
                          g_date_time_get_minute (utc),
                          g_date_time_get_second (utc));
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
member_int (JsonObject *object,
            const char *name,
            gint64     *value)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    *value = json_node_get_int (node);
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    *value = (gint64) json_node_get_double (node);
  else
    return FALSE;
  return TRUE;
}

static JsonObject *
parse_object (const char  *data,
              gssize       len,
              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (data == NULL || !json_parser_load_from_data (parser, data, len, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_PROTOCOL,
                           _("The answer is not a JSON object."));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

WharfSsoToken *
wharf_sso_token_from_json (const char  *data,
                           gssize       len,
                           GError     **error)
{
  g_autoptr(JsonObject) object = parse_object (data, len, NULL);
  g_autoptr(WharfSsoToken) token = NULL;
  const char *access_token, *expires_at, *registration;

  if (object == NULL)
    {
      g_set_error_literal (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_CACHE,
                           _("The IAM Identity Center token cache file is not a JSON object."));
      return NULL;
    }
  access_token = member_string (object, "accessToken");
  expires_at = member_string (object, "expiresAt");
  token = wharf_sso_token_new ();
  if (!nonempty (access_token) || (token->expires_at = parse_time (expires_at)) == NULL)
    {
      g_set_error_literal (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_CACHE,
                           _("The IAM Identity Center token cache file has no “accessToken” or "
                             "no valid “expiresAt”."));
      return NULL;
    }
  token->access_token = g_strdup (access_token);
  token->refresh_token = g_strdup (member_string (object, "refreshToken"));
  token->client_id = g_strdup (member_string (object, "clientId"));
  token->client_secret = g_strdup (member_string (object, "clientSecret"));
  registration = member_string (object, "registrationExpiresAt");
  if (registration != NULL)
    token->registration_expires_at = parse_time (registration);
  token->region = g_strdup (member_string (object, "region"));
  token->start_url = g_strdup (member_string (object, "startUrl"));
  return g_steal_pointer (&token);
}

char *
wharf_sso_token_to_json (const WharfSsoToken *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *expires = NULL;
  g_autofree char *registration = NULL;

  g_return_val_if_fail (self != NULL && self->access_token != NULL && self->expires_at != NULL,
                        NULL);

  expires = format_time (self->expires_at);
  json_builder_begin_object (builder);
  if (self->start_url != NULL)
    {
      json_builder_set_member_name (builder, "startUrl");
      json_builder_add_string_value (builder, self->start_url);
    }
  if (self->region != NULL)
    {
      json_builder_set_member_name (builder, "region");
      json_builder_add_string_value (builder, self->region);
    }
  json_builder_set_member_name (builder, "accessToken");
  json_builder_add_string_value (builder, self->access_token);
  json_builder_set_member_name (builder, "expiresAt");
  json_builder_add_string_value (builder, expires);
  if (self->client_id != NULL)
    {
      json_builder_set_member_name (builder, "clientId");
      json_builder_add_string_value (builder, self->client_id);
    }
  if (self->client_secret != NULL)
    {
      json_builder_set_member_name (builder, "clientSecret");
      json_builder_add_string_value (builder, self->client_secret);
    }
  if (self->registration_expires_at != NULL)
    {
      registration = format_time (self->registration_expires_at);
      json_builder_set_member_name (builder, "registrationExpiresAt");
      json_builder_add_string_value (builder, registration);
    }
  if (self->refresh_token != NULL)
    {
      json_builder_set_member_name (builder, "refreshToken");
      json_builder_add_string_value (builder, self->refresh_token);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

WharfSsoToken *
wharf_sso_token_load (const char  *path,
                      GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;
  WharfSsoToken *token;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &data, &len, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error_literal (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_LOGIN_REQUIRED,
                             _("You are not signed in to IAM Identity Center."));
      else
        g_set_error (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_CACHE,
                     _("Cannot read the IAM Identity Center token cache: %s"), local->message);
      return NULL;
    }
  token = wharf_sso_token_from_json (data, len, error);
  OPENSSL_cleanse (data, len);
  if (token == NULL)
    g_prefix_error (error, "%s: ", path);
  return token;
}

gboolean
wharf_sso_token_save (const WharfSsoToken  *self,
                      const char           *path,
                      GError              **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GError) local = NULL;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_CACHE,
                   _("Cannot create the folder %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  json = wharf_sso_token_to_json (self);
  ok = g_file_set_contents_full (path, json, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_ONLY_EXISTING,
                                 0600, &local);
  OPENSSL_cleanse (json, strlen (json));
  if (!ok)
    {
      g_set_error (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_CACHE,
                   _("Cannot write the IAM Identity Center token cache: %s"), local->message);
      return FALSE;
    }
  /* An existing file keeps its mode across the atomic rename only if we say so. */
  g_chmod (path, 0600);
  return TRUE;
}

/* Loading and saving off the main thread. */

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  WharfSsoToken *token = wharf_sso_token_load (task_data, &error);

  if (token == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, token, (GDestroyNotify) wharf_sso_token_free);
}

typedef struct
{
  WharfSsoToken *token;
  char          *path;
} SaveData;

static void
save_data_free (SaveData *data)
{
  wharf_sso_token_free (data->token);
  g_free (data->path);
  g_free (data);
}

static void
save_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveData *data = task_data;
  GError *error = NULL;

  if (!wharf_sso_token_save (data->token, data->path, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
save_async (const WharfSsoToken *token,
            const char          *path,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  SaveData *data = g_new0 (SaveData, 1);

  data->token = wharf_sso_token_copy (token);
  data->path = g_strdup (path);
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);
  g_task_run_in_thread (task, save_thread);
}

/* ---- Endpoints ------------------------------------------------------------------------- */

static char *
resolve_endpoint (WharfAwsConfig  *config,
                  const char      *profile,
                  const char      *region,
                  const char      *prefix,
                  const char      *env_suffix,
                  const char      *services_key,
                  GError         **error)
{
  WharfAwsEndpointInputs inputs = { 0 };

  inputs.region = region;
  inputs.endpoint_prefix = prefix;
  wharf_aws_endpoint_inputs_from_environment (&inputs, env_suffix);
  if (config != NULL)
    {
      inputs.profile_service_endpoint = wharf_aws_config_get_service_setting (config, profile,
                                                                              services_key,
                                                                              "endpoint_url");
      inputs.profile_endpoint = wharf_aws_config_get (config, profile, "endpoint_url");
      inputs.profile_ignore_endpoints = wharf_aws_config_get (config, profile,
                                                              "ignore_configured_endpoint_urls");
    }
  return wharf_aws_endpoint_resolve (&inputs, error);
}

char *
wharf_sso_resolve_portal_endpoint (WharfAwsConfig  *config,
                                   const char      *profile,
                                   const char      *sso_region,
                                   GError         **error)
{
  return resolve_endpoint (config, profile, sso_region, "portal.sso", "SSO", "sso", error);
}

char *
wharf_sso_resolve_oidc_endpoint (WharfAwsConfig  *config,
                                 const char      *profile,
                                 const char      *sso_region,
                                 GError         **error)
{
  return resolve_endpoint (config, profile, sso_region, "oidc", "SSO_OIDC", "sso_oidc", error);
}

/* ---- REST-JSON calls ------------------------------------------------------------------- */

/* One session for SSO-OIDC and the portal: Wharf calls them from the main thread only. */
static SoupSession *
sso_session (void)
{
  static SoupSession *session;

  if (session == NULL)
    session = wharf_aws_http_session_new (WHARF_AWS_HTTP_TIMEOUT_SECONDS);
  return session;
}

typedef struct
{
  SoupMessage *msg;
} RestData;

static void
rest_data_free (RestData *data)
{
  g_clear_object (&data->msg);
  g_free (data);
}

/* The OAuth error of an SSO-OIDC answer ("authorization_pending", …), or NULL. */
static char *
oauth_error (const GError *error,
             GBytes       *body)
{
  static const struct { const char *code; const char *oauth; } map[] = {
    { "AuthorizationPendingException", "authorization_pending" },
    { "SlowDownException", "slow_down" },
    { "ExpiredTokenException", "expired_token" },
    { "AccessDeniedException", "access_denied" },
    { "InvalidGrantException", "invalid_grant" },
    { "InvalidClientException", "invalid_client" },
    { "UnauthorizedClientException", "unauthorized_client" },
  };
  const char *code = wharf_aws_error_get_aws_code (error);
  g_autoptr(JsonObject) object = NULL;
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;

  for (guint i = 0; code != NULL && i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (code, map[i].code))
      return g_strdup (map[i].oauth);
  if (data != NULL && len > 0 && (object = parse_object (data, len, NULL)) != NULL)
    return g_strdup (member_string (object, "error"));
  return NULL;
}

static void
rest_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RestData *data = g_task_get_task_data (task);
  GError *error = NULL;
  guint status = 0;
  g_autoptr(GBytes) body = wharf_aws_http_send_finish (result, &status, &error);
  SoupMessageHeaders *headers = soup_message_get_response_headers (data->msg);
  const char *text;
  gsize len;
  JsonObject *object;

  if (body == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  text = g_bytes_get_data (body, &len);
  if (status < 200 || status > 299)
    {
      const char *request_id = soup_message_headers_get_one (headers, "x-amzn-RequestId");
      g_autofree char *oauth = NULL;

      error = wharf_aws_error_from_response (status,
                                             soup_message_headers_get_one (headers,
                                                                           "x-amzn-ErrorType"),
                                             request_id, text, len);
      oauth = oauth_error (error, body);
      if (oauth != NULL)
        g_object_set_data_full (G_OBJECT (task), "oauth-error", g_steal_pointer (&oauth), g_free);
      g_task_return_error (task, error);
      return;
    }
  object = parse_object (text, len, &error);
  OPENSSL_cleanse ((gpointer) text, len);
  if (object == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, object, (GDestroyNotify) json_object_unref);
}

/* POST @path with a JSON body (unsigned), or GET @path_and_query with the bearer token. */
static void
rest_call (const char          *endpoint,
           const char          *method,
           const char          *path_and_query,
           JsonObject          *input,          /* nullable */
           const char          *bearer_token,   /* nullable */
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *base = NULL;
  RestData *data = g_new0 (RestData, 1);

  g_task_set_source_tag (task, rest_call);
  g_task_set_task_data (task, data, (GDestroyNotify) rest_data_free);

  if (!wharf_aws_endpoint_check_url (endpoint, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  base = g_str_has_suffix (endpoint, "/") ? g_strndup (endpoint, strlen (endpoint) - 1)
                                          : g_strdup (endpoint);
  url = g_strconcat (base, path_and_query, NULL);
  data->msg = soup_message_new (method, url);
  if (data->msg == NULL)
    {
      g_task_return_new_error (task, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_ENDPOINT,
                               _("The endpoint URL “%s” is not valid."), endpoint);
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (data->msg), "Accept",
                                "application/json");
  if (bearer_token != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (data->msg),
                                  "x-amz-sso_bearer_token", bearer_token);
  if (input != NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), input);
      g_autoptr(GBytes) bytes = NULL;
      gsize len = 0;
      char *body;

      json_generator_set_root (generator, root);
      body = json_generator_to_data (generator, &len);
      bytes = g_bytes_new_with_free_func (body, len, (GDestroyNotify) wipe_free, body);
      soup_message_set_request_body_from_bytes (data->msg, "application/json", bytes);
    }
  wharf_aws_http_send_async (sso_session (), data->msg, cancellable, rest_done_cb,
                             g_steal_pointer (&task));
}

static JsonObject *
rest_finish (GAsyncResult  *result,
             char         **oauth,
             GError       **error)
{
  if (oauth != NULL)
    *oauth = g_strdup (g_object_get_data (G_OBJECT (result), "oauth-error"));
  return g_task_propagate_pointer (G_TASK (result), error);
}

static GError *
bad_answer (const char *operation)
{
  /* Translators: %s is an operation such as CreateToken */
  g_autofree char *text = g_strdup_printf (_("IAM Identity Center sent a malformed %s answer."),
                                           operation);

  return wharf_aws_error_new_full (WHARF_AWS_ERROR_PROTOCOL, NULL, NULL, NULL, 200, text);
}

/* A token from a CreateToken answer; registration and URL copied from @base. */
static WharfSsoToken *
token_from_answer (JsonObject          *answer,
                   const WharfSsoToken *base)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *access_token = member_string (answer, "accessToken");
  const char *refresh_token = member_string (answer, "refreshToken");
  gint64 expires_in = 0;
  WharfSsoToken *token;

  if (!nonempty (access_token) || !member_int (answer, "expiresIn", &expires_in)
      || expires_in <= 0)
    return NULL;
  token = wharf_sso_token_copy (base);
  wipe_free (token->access_token);
  token->access_token = g_strdup (access_token);
  g_clear_pointer (&token->expires_at, g_date_time_unref);
  token->expires_at = g_date_time_add_seconds (now, (double) expires_in);
  if (nonempty (refresh_token))
    {
      wipe_free (token->refresh_token);
      token->refresh_token = g_strdup (refresh_token);
    }
  return token;
}

/* ---- Refresh --------------------------------------------------------------------------- */

static void
refresh_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const WharfSsoToken *base = g_task_get_task_data (task);
  g_autofree char *oauth = NULL;
  GError *error = NULL;
  g_autoptr(JsonObject) answer = rest_finish (result, &oauth, &error);
  WharfSsoToken *token;

  if (answer == NULL)
    {
      if (oauth != NULL && (g_str_equal (oauth, "invalid_grant")
                            || g_str_equal (oauth, "expired_token")
                            || g_str_equal (oauth, "invalid_client")))
        {
          g_task_return_new_error (task, WHARF_SSO_ERROR, WHARF_SSO_ERROR_LOGIN_REQUIRED,
                                   _("Your IAM Identity Center session has ended (%s). Sign in "
                                     "again."), error->message);
          g_error_free (error);
        }
      else
        g_task_return_error (task, error);
      return;
    }
  token = token_from_answer (answer, base);
  if (token == NULL)
    g_task_return_error (task, bad_answer ("CreateToken"));
  else
    g_task_return_pointer (task, token, (GDestroyNotify) wharf_sso_token_free);
}

void
wharf_sso_refresh_token_async (const char          *oidc_endpoint,
                               const WharfSsoToken *token,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(JsonObject) input = json_object_new ();

  g_return_if_fail (oidc_endpoint != NULL && token != NULL);

  g_task_set_source_tag (task, wharf_sso_refresh_token_async);
  g_task_set_task_data (task, wharf_sso_token_copy (token), (GDestroyNotify) wharf_sso_token_free);
  if (!nonempty (token->refresh_token) || !nonempty (token->client_id)
      || !nonempty (token->client_secret))
    {
      g_task_return_new_error (task, WHARF_SSO_ERROR, WHARF_SSO_ERROR_LOGIN_REQUIRED,
                               _("Your IAM Identity Center session has expired. Sign in "
                                 "again."));
      return;
    }
  json_object_set_string_member (input, "clientId", token->client_id);
  json_object_set_string_member (input, "clientSecret", token->client_secret);
  json_object_set_string_member (input, "grantType", "refresh_token");
  json_object_set_string_member (input, "refreshToken", token->refresh_token);
  rest_call (oidc_endpoint, "POST", "/token", input, NULL, cancellable, refresh_cb,
             g_steal_pointer (&task));
}

WharfSsoToken *
wharf_sso_refresh_token_finish (GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- A valid token --------------------------------------------------------------------- */

typedef struct
{
  char          *oidc_endpoint;
  char          *path;
  WharfSsoToken *refreshed;
} GetTokenData;

static void
get_token_data_free (GetTokenData *data)
{
  g_free (data->oidc_endpoint);
  g_free (data->path);
  wharf_sso_token_free (data->refreshed);
  g_free (data);
}

static void
get_token_saved_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GetTokenData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* A cache we cannot write does not stop this session; the next start signs in again. */
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("Could not store the refreshed IAM Identity Center token: %s", error->message);
  g_task_return_pointer (task, g_steal_pointer (&data->refreshed),
                         (GDestroyNotify) wharf_sso_token_free);
}

static void
get_token_refreshed_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GetTokenData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->refreshed = wharf_sso_refresh_token_finish (result, &error);
  if (data->refreshed == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_debug ("Refreshed the IAM Identity Center token");
  save_async (data->refreshed, data->path, NULL, get_token_saved_cb, g_steal_pointer (&task));
}

static void
get_token_loaded_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GetTokenData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(WharfSsoToken) token = g_task_propagate_pointer (G_TASK (result), &error);

  if (token == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!wharf_sso_token_expires_within (token, NULL, WHARF_SSO_TOKEN_REFRESH_MARGIN))
    {
      g_task_return_pointer (task, g_steal_pointer (&token), (GDestroyNotify) wharf_sso_token_free);
      return;
    }
  if (nonempty (token->refresh_token) && wharf_sso_token_has_registration (token, NULL))
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      wharf_sso_refresh_token_async (data->oidc_endpoint, token, cancellable,
                                     get_token_refreshed_cb, g_steal_pointer (&task));
      return;
    }
  /* Still valid for a while, but nothing can refresh it: use it until it expires. */
  if (!wharf_sso_token_expires_within (token, NULL, 0))
    {
      g_task_return_pointer (task, g_steal_pointer (&token), (GDestroyNotify) wharf_sso_token_free);
      return;
    }
  g_task_return_new_error (task, WHARF_SSO_ERROR, WHARF_SSO_ERROR_LOGIN_REQUIRED,
                           _("Your IAM Identity Center session has expired. Sign in again."));
}

void
wharf_sso_get_token_async (WharfSsoSettings    *settings,
                           const char          *oidc_endpoint,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GTask) load = NULL;
  GetTokenData *data = g_new0 (GetTokenData, 1);

  g_return_if_fail (settings != NULL && oidc_endpoint != NULL);

  g_task_set_source_tag (task, wharf_sso_get_token_async);
  data->oidc_endpoint = g_strdup (oidc_endpoint);
  data->path = wharf_sso_cache_path (wharf_sso_settings_get_cache_key (settings));
  g_task_set_task_data (task, data, (GDestroyNotify) get_token_data_free);

  load = g_task_new (NULL, cancellable, get_token_loaded_cb, g_steal_pointer (&task));
  g_task_set_task_data (load, g_strdup (data->path), g_free);
  g_task_run_in_thread (load, load_thread);
}

WharfSsoToken *
wharf_sso_get_token_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wharf_sso_get_token_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- The device authorization sign-in -------------------------------------------------- */

static guint poll_unit_ms = 0;

void
wharf_sso_set_poll_unit_ms (guint unit_ms)
{
  poll_unit_ms = unit_ms;
}

typedef struct
{
  WharfSsoSettings       *settings;
  char                   *oidc_endpoint;
  char                   *path;
  WharfSsoDeviceCodeFunc  code_func;
  gpointer                code_data;
  WharfSsoToken          *base;         /* registration, region, start URL */
  char                   *device_code;
  int                     interval;     /* seconds */
  gint64                  deadline;     /* monotonic µs */
  GSource                *timer;
  GCancellable           *cancellable;
  gulong                  cancel_id;
  WharfSsoToken          *result;
} Login;

static void
login_free (Login *login)
{
  if (login->timer != NULL)
    {
      g_source_destroy (login->timer);
      g_source_unref (login->timer);
    }
  if (login->cancel_id != 0)
    g_cancellable_disconnect (login->cancellable, login->cancel_id);
  g_clear_object (&login->cancellable);
  wharf_sso_settings_free (login->settings);
  g_free (login->oidc_endpoint);
  g_free (login->path);
  wharf_sso_token_free (login->base);
  wipe_free (login->device_code);
  wharf_sso_token_free (login->result);
  g_free (login);
}

static WharfSsoSettings *
settings_copy (const WharfSsoSettings *s)
{
  WharfSsoSettings *copy = g_new0 (WharfSsoSettings, 1);

  copy->profile = g_strdup (s->profile);
  copy->session_name = g_strdup (s->session_name);
  copy->start_url = g_strdup (s->start_url);
  copy->sso_region = g_strdup (s->sso_region);
  copy->account_id = g_strdup (s->account_id);
  copy->role_name = g_strdup (s->role_name);
  copy->scopes = g_strdupv (s->scopes);
  return copy;
}

static void poll_token (GTask *task);

static gboolean
poll_timer_cb (gpointer user_data)
{
  GTask *task = user_data;
  Login *login = g_task_get_task_data (task);

  g_clear_pointer (&login->timer, g_source_unref);
  poll_token (task);
  return G_SOURCE_REMOVE;
}

static void
schedule_poll (GTask *task)
{
  Login *login = g_task_get_task_data (task);
  guint unit = poll_unit_ms != 0 ? poll_unit_ms : 1000;

  login->timer = g_timeout_source_new ((guint) login->interval * unit);
  g_source_set_callback (login->timer, poll_timer_cb, task, NULL);
  g_source_attach (login->timer, g_task_get_context (task));
}

static gboolean
login_cancelled_idle_cb (gpointer user_data)
{
  GTask *task = user_data;
  Login *login = g_task_get_task_data (task);

  /* Only while waiting between polls: an HTTP call in flight sees the cancellable itself. */
  if (login->timer != NULL)
    {
      g_source_destroy (login->timer);
      g_clear_pointer (&login->timer, g_source_unref);
      g_task_return_error_if_cancelled (task);
      g_object_unref (task);
    }
  return G_SOURCE_REMOVE;
}

static void
login_cancelled_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  GTask *task = user_data;
  GSource *idle = g_idle_source_new ();

  /* The handler may run in any thread; finish in the task's context. */
  g_source_set_callback (idle, login_cancelled_idle_cb, g_object_ref (task), g_object_unref);
  g_source_attach (idle, g_task_get_context (task));
  g_source_unref (idle);
}

static void
login_saved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Login *login = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&login->result),
                         (GDestroyNotify) wharf_sso_token_free);
}

static void
poll_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Login *login = g_task_get_task_data (task);
  g_autofree char *oauth = NULL;
  GError *error = NULL;
  g_autoptr(JsonObject) answer = rest_finish (result, &oauth, &error);

  if (answer != NULL)
    {
      login->result = token_from_answer (answer, login->base);
      if (login->result == NULL)
        {
          g_task_return_error (task, bad_answer ("CreateToken"));
          return;
        }
      save_async (login->result, login->path, NULL, login_saved_cb, g_steal_pointer (&task));
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_strcmp0 (oauth, "authorization_pending") == 0 || g_strcmp0 (oauth, "slow_down") == 0)
    {
      g_clear_error (&error);
      if (g_strcmp0 (oauth, "slow_down") == 0)
        login->interval += 5;
      if (g_get_monotonic_time () >= login->deadline)
        {
          g_task_return_new_error (task, WHARF_SSO_ERROR, WHARF_SSO_ERROR_EXPIRED,
                                   _("The sign-in code expired before it was approved. Start "
                                     "again."));
          return;
        }
      if (g_task_return_error_if_cancelled (task))
        return;
      schedule_poll (g_steal_pointer (&task));
      return;
    }
  if (g_strcmp0 (oauth, "expired_token") == 0)
    {
      g_task_return_new_error (task, WHARF_SSO_ERROR, WHARF_SSO_ERROR_EXPIRED,
                               _("The sign-in code expired before it was approved. Start "
                                 "again."));
      g_error_free (error);
      return;
    }
  if (g_strcmp0 (oauth, "access_denied") == 0)
    {
      g_task_return_new_error (task, WHARF_SSO_ERROR, WHARF_SSO_ERROR_DENIED,
                               _("The sign-in was denied."));
      g_error_free (error);
      return;
    }
  g_task_return_error (task, error);
}

static void
poll_token (GTask *task)
{
  Login *login = g_task_get_task_data (task);
  g_autoptr(JsonObject) input = json_object_new ();

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  json_object_set_string_member (input, "clientId", login->base->client_id);
  json_object_set_string_member (input, "clientSecret", login->base->client_secret);
  json_object_set_string_member (input, "grantType", WHARF_SSO_DEVICE_GRANT);
  json_object_set_string_member (input, "deviceCode", login->device_code);
  rest_call (login->oidc_endpoint, "POST", "/token", input, NULL, g_task_get_cancellable (task),
             poll_cb, task);
}

static void
device_authorization_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Login *login = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonObject) answer = rest_finish (result, NULL, &error);
  WharfSsoDeviceCode code = { 0 };
  gint64 expires_in = 600, interval = 5;

  if (answer == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  code.user_code = member_string (answer, "userCode");
  code.verification_uri = member_string (answer, "verificationUri");
  code.verification_uri_complete = member_string (answer, "verificationUriComplete");
  if (!nonempty (member_string (answer, "deviceCode")) || !nonempty (code.user_code)
      || !nonempty (code.verification_uri))
    {
      g_task_return_error (task, bad_answer ("StartDeviceAuthorization"));
      return;
    }
  member_int (answer, "expiresIn", &expires_in);
  member_int (answer, "interval", &interval);
  login->device_code = g_strdup (member_string (answer, "deviceCode"));
  login->interval = CLAMP (interval, 1, 60);
  code.expires_in = (int) CLAMP (expires_in, 1, 24 * 3600);
  login->deadline = g_get_monotonic_time ()
                    + (gint64) code.expires_in * (poll_unit_ms != 0 ? poll_unit_ms * 1000
                                                                   : G_USEC_PER_SEC);
  if (login->code_func != NULL)
    login->code_func (&code, login->code_data);
  if (g_task_return_error_if_cancelled (task))
    return;
  login->cancel_id = g_cancellable_connect (login->cancellable, G_CALLBACK (login_cancelled_cb),
                                            task, NULL);
  schedule_poll (g_steal_pointer (&task));
}

static void
start_device_authorization (GTask *task)
{
  Login *login = g_task_get_task_data (task);
  g_autoptr(JsonObject) input = json_object_new ();

  json_object_set_string_member (input, "clientId", login->base->client_id);
  json_object_set_string_member (input, "clientSecret", login->base->client_secret);
  json_object_set_string_member (input, "startUrl", login->settings->start_url);
  rest_call (login->oidc_endpoint, "POST", "/device_authorization", input, NULL,
             g_task_get_cancellable (task), device_authorization_cb, task);
}

static void
register_client_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Login *login = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonObject) answer = rest_finish (result, NULL, &error);
  gint64 expires_at = 0;

  if (answer == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!nonempty (member_string (answer, "clientId"))
      || !nonempty (member_string (answer, "clientSecret"))
      || !member_int (answer, "clientSecretExpiresAt", &expires_at))
    {
      g_task_return_error (task, bad_answer ("RegisterClient"));
      return;
    }
  g_free (login->base->client_id);
  login->base->client_id = g_strdup (member_string (answer, "clientId"));
  wipe_free (login->base->client_secret);
  login->base->client_secret = g_strdup (member_string (answer, "clientSecret"));
  g_clear_pointer (&login->base->registration_expires_at, g_date_time_unref);
  login->base->registration_expires_at = g_date_time_new_from_unix_utc (expires_at);
  start_device_authorization (g_steal_pointer (&task));
}

static void
login_cache_loaded_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Login *login = g_task_get_task_data (task);
  g_autoptr(WharfSsoToken) cached = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autoptr(JsonObject) input = NULL;
  g_autoptr(JsonArray) scopes = NULL;
  GCancellable *cancellable;

  if (g_task_return_error_if_cancelled (task))
    return;

  login->base = wharf_sso_token_new ();
  login->base->region = g_strdup (login->settings->sso_region);
  login->base->start_url = g_strdup (login->settings->start_url);
  /* Reuse a registration that has not expired (as the AWS CLI does). */
  if (cached != NULL && wharf_sso_token_has_registration (cached, NULL)
      && login->settings->session_name != NULL)
    {
      login->base->client_id = g_strdup (cached->client_id);
      login->base->client_secret = g_strdup (cached->client_secret);
      login->base->registration_expires_at = cached->registration_expires_at != NULL
                                             ? g_date_time_ref (cached->registration_expires_at)
                                             : NULL;
      start_device_authorization (g_steal_pointer (&task));
      return;
    }

  input = json_object_new ();
  scopes = json_array_new ();
  for (guint i = 0; login->settings->scopes[i] != NULL; i++)
    json_array_add_string_element (scopes, login->settings->scopes[i]);
  json_object_set_string_member (input, "clientName", WHARF_SSO_CLIENT_NAME);
  json_object_set_string_member (input, "clientType", "public");
  json_object_set_array_member (input, "scopes", g_steal_pointer (&scopes));
  cancellable = g_task_get_cancellable (task);
  rest_call (login->oidc_endpoint, "POST", "/client/register", input, NULL, cancellable,
             register_client_cb, g_steal_pointer (&task));
}

void
wharf_sso_login_async (WharfSsoSettings       *settings,
                       const char             *oidc_endpoint,
                       WharfSsoDeviceCodeFunc  code_func,
                       gpointer                code_data,
                       GCancellable           *cancellable,
                       GAsyncReadyCallback     callback,
                       gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) load = NULL;
  Login *login;

  g_return_if_fail (settings != NULL && settings->start_url != NULL);
  g_return_if_fail (oidc_endpoint != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wharf_sso_login_async);
  login = g_new0 (Login, 1);
  login->settings = settings_copy (settings);
  login->oidc_endpoint = g_strdup (oidc_endpoint);
  login->path = wharf_sso_cache_path (wharf_sso_settings_get_cache_key (settings));
  login->code_func = code_func;
  login->code_data = code_data;
  login->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  g_task_set_task_data (task, login, (GDestroyNotify) login_free);

  load = g_task_new (NULL, cancellable, login_cache_loaded_cb, g_steal_pointer (&task));
  g_task_set_task_data (load, g_strdup (login->path), g_free);
  g_task_run_in_thread (load, load_thread);
}

WharfSsoToken *
wharf_sso_login_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wharf_sso_login_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- The portal ------------------------------------------------------------------------ */

static GError *
portal_error (GError *error)
{
  const char *code = wharf_aws_error_get_aws_code (error);

  /* The portal answers 401 UnauthorizedException for an unknown or expired token, and 403
   * ForbiddenException for a role the person has no assignment for. */
  if (g_strcmp0 (code, "UnauthorizedException") == 0 || g_strcmp0 (code, "ForbiddenException") == 0)
    {
      GError *mapped = wharf_aws_error_new_full (g_str_equal (code, "ForbiddenException")
                                                 ? WHARF_AWS_ERROR_ACCESS_DENIED
                                                 : WHARF_AWS_ERROR_EXPIRED_CREDENTIALS,
                                                 code,
                                                 wharf_aws_error_get_aws_message (error),
                                                 wharf_aws_error_get_request_id (error),
                                                 wharf_aws_error_get_http_status (error),
                                                 error->message);
      g_error_free (error);
      return mapped;
    }
  return error;
}

static void
role_credentials_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(JsonObject) answer = rest_finish (result, NULL, &error);
  JsonNode *node;
  JsonObject *role;
  const char *key_id, *secret, *token;
  gint64 expiration_ms = 0;
  g_autoptr(GDateTime) expiration = NULL;

  if (answer == NULL)
    {
      g_task_return_error (task, portal_error (error));
      return;
    }
  node = json_object_get_member (answer, "roleCredentials");
  role = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  key_id = member_string (role, "accessKeyId");
  secret = member_string (role, "secretAccessKey");
  token = member_string (role, "sessionToken");
  if (!nonempty (key_id) || !nonempty (secret) || !nonempty (token)
      || !member_int (role, "expiration", &expiration_ms) || expiration_ms <= 0)
    {
      g_task_return_error (task, bad_answer ("GetRoleCredentials"));
      return;
    }
  expiration = g_date_time_new_from_unix_utc (expiration_ms / 1000);
  g_task_return_pointer (task, wharf_credentials_new (key_id, secret, token, expiration),
                         (GDestroyNotify) wharf_credentials_unref);
}

static char *
query_string (const char *const *pairs)
{
  return wharf_aws_http_form_encode (pairs);
}

void
wharf_sso_get_role_credentials_async (const char          *portal_endpoint,
                                      const char          *access_token,
                                      const char          *account_id,
                                      const char          *role_name,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *query = NULL;
  g_autofree char *path = NULL;
  const char *pairs[] = { "role_name", role_name, "account_id", account_id, NULL };

  g_return_if_fail (portal_endpoint != NULL && access_token != NULL);
  g_return_if_fail (account_id != NULL && role_name != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wharf_sso_get_role_credentials_async);
  query = query_string (pairs);
  path = g_strconcat ("/federation/credentials?", query, NULL);
  rest_call (portal_endpoint, "GET", path, NULL, access_token, cancellable, role_credentials_cb,
             g_steal_pointer (&task));
}

WharfCredentials *
wharf_sso_get_role_credentials_finish (GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == wharf_sso_get_role_credentials_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
wharf_sso_account_free (WharfSsoAccount *self)
{
  if (self == NULL)
    return;
  g_free (self->account_id);
  g_free (self->account_name);
  g_free (self->email_address);
  g_free (self);
}

/* Both listings: follow nextToken until it is absent. */
typedef struct
{
  char      *endpoint;
  char      *access_token;
  char      *account_id;     /* NULL: ListAccounts */
  guint      page_size;
  GPtrArray *items;
  guint      pages;
} Listing;

static void
listing_free (Listing *listing)
{
  g_free (listing->endpoint);
  wipe_free (listing->access_token);
  g_free (listing->account_id);
  g_ptr_array_unref (listing->items);
  g_free (listing);
}

#define MAX_LISTING_PAGES 1000

static void listing_next (GTask      *task,
                          const char *next_token);

static void
listing_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Listing *listing = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonObject) answer = rest_finish (result, NULL, &error);
  const char *list_name = listing->account_id != NULL ? "roleList" : "accountList";
  const char *operation = listing->account_id != NULL ? "ListAccountRoles" : "ListAccounts";
  const char *next_token;
  JsonNode *node;
  JsonArray *list;

  if (answer == NULL)
    {
      g_task_return_error (task, portal_error (error));
      return;
    }
  node = json_object_get_member (answer, list_name);
  if (node != NULL && JSON_NODE_HOLDS_NULL (node))
    node = NULL;
  if (node != NULL && !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_task_return_error (task, bad_answer (operation));
      return;
    }
  list = node != NULL ? json_node_get_array (node) : NULL;
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonNode *item_node = json_array_get_element (list, i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (item_node) ? json_node_get_object (item_node)
                                                            : NULL;

      if (listing->account_id != NULL)
        {
          const char *role = member_string (item, "roleName");

          if (!nonempty (role))
            {
              g_task_return_error (task, bad_answer (operation));
              return;
            }
          g_ptr_array_add (listing->items, g_strdup (role));
        }
      else
        {
          WharfSsoAccount *account;

          if (!nonempty (member_string (item, "accountId")))
            {
              g_task_return_error (task, bad_answer (operation));
              return;
            }
          account = g_new0 (WharfSsoAccount, 1);
          account->account_id = g_strdup (member_string (item, "accountId"));
          account->account_name = g_strdup (member_string (item, "accountName"));
          account->email_address = g_strdup (member_string (item, "emailAddress"));
          g_ptr_array_add (listing->items, account);
        }
    }
  next_token = member_string (answer, "nextToken");
  if (nonempty (next_token))
    {
      /* A service that never stops paging must not keep us busy forever. */
      if (++listing->pages >= MAX_LISTING_PAGES)
        {
          g_task_return_error (task, bad_answer (operation));
          return;
        }
      listing_next (g_steal_pointer (&task), next_token);
      return;
    }
  g_task_return_pointer (task, g_ptr_array_ref (listing->items),
                         (GDestroyNotify) g_ptr_array_unref);
}

static void
listing_next (GTask      *task,
              const char *next_token)
{
  Listing *listing = g_task_get_task_data (task);
  g_autofree char *page_size = listing->page_size > 0 ? g_strdup_printf ("%u", listing->page_size)
                                                      : NULL;
  g_autofree char *query = NULL;
  g_autofree char *path = NULL;
  const char *pairs[] = {
    "account_id", listing->account_id,
    "max_result", page_size,
    "next_token", next_token,
    NULL,
  };

  query = query_string (pairs);
  path = g_strconcat (listing->account_id != NULL ? "/assignment/roles" : "/assignment/accounts",
                      *query != '\0' ? "?" : "", query, NULL);
  rest_call (listing->endpoint, "GET", path, NULL, listing->access_token,
             g_task_get_cancellable (task), listing_cb, task);
}

static void
listing_start (const char          *portal_endpoint,
               const char          *access_token,
               const char          *account_id,
               guint                page_size,
               gpointer             source_tag,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Listing *listing = g_new0 (Listing, 1);

  g_task_set_source_tag (task, source_tag);
  listing->endpoint = g_strdup (portal_endpoint);
  listing->access_token = g_strdup (access_token);
  listing->account_id = g_strdup (account_id);
  listing->page_size = page_size;
  listing->items = account_id != NULL
                   ? g_ptr_array_new_with_free_func (g_free)
                   : g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_sso_account_free);
  g_task_set_task_data (task, listing, (GDestroyNotify) listing_free);
  listing_next (task, NULL);
}

void
wharf_sso_list_accounts_async (const char          *portal_endpoint,
                               const char          *access_token,
                               guint                page_size,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (portal_endpoint != NULL && access_token != NULL);
  listing_start (portal_endpoint, access_token, NULL, page_size, wharf_sso_list_accounts_async,
                 cancellable, callback, user_data);
}

GPtrArray *
wharf_sso_list_accounts_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wharf_sso_list_accounts_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
wharf_sso_list_account_roles_async (const char          *portal_endpoint,
                                    const char          *access_token,
                                    const char          *account_id,
                                    guint                page_size,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (portal_endpoint != NULL && access_token != NULL && account_id != NULL);
  listing_start (portal_endpoint, access_token, account_id, page_size,
                 wharf_sso_list_account_roles_async, cancellable, callback, user_data);
}

GPtrArray *
wharf_sso_list_account_roles_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == wharf_sso_list_account_roles_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
