/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-sso"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <openssl/crypto.h>

#include "wharf-sso.h"
#include "wharf-sso-private.h"

#include "wharf-aws-error.h"

/* The access token and the shared cache the AWS CLI keeps in ~/.aws/sso/cache. */

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
  wharf_sso_wipe_free (self->access_token);
  wharf_sso_wipe_free (self->refresh_token);
  g_free (self->client_id);
  wharf_sso_wipe_free (self->client_secret);
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

  if (!wharf_sso_nonempty (self->client_id) || !wharf_sso_nonempty (self->client_secret))
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

const char *
wharf_sso_member_string (JsonObject *object,
                         const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
wharf_sso_member_int (JsonObject *object,
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

JsonObject *
wharf_sso_parse_object (const char  *data,
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
  g_autoptr(JsonObject) object = wharf_sso_parse_object (data, len, NULL);
  g_autoptr(WharfSsoToken) token = NULL;
  const char *access_token, *expires_at, *registration;

  if (object == NULL)
    {
      g_set_error_literal (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_CACHE,
                           _("The IAM Identity Center token cache file is not a JSON object."));
      return NULL;
    }
  access_token = wharf_sso_member_string (object, "accessToken");
  expires_at = wharf_sso_member_string (object, "expiresAt");
  token = wharf_sso_token_new ();
  if (!wharf_sso_nonempty (access_token) || (token->expires_at = parse_time (expires_at)) == NULL)
    {
      g_set_error_literal (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_CACHE,
                           _("The IAM Identity Center token cache file has no “accessToken” or "
                             "no valid “expiresAt”."));
      return NULL;
    }
  token->access_token = g_strdup (access_token);
  token->refresh_token = g_strdup (wharf_sso_member_string (object, "refreshToken"));
  token->client_id = g_strdup (wharf_sso_member_string (object, "clientId"));
  token->client_secret = g_strdup (wharf_sso_member_string (object, "clientSecret"));
  registration = wharf_sso_member_string (object, "registrationExpiresAt");
  if (registration != NULL)
    token->registration_expires_at = parse_time (registration);
  token->region = g_strdup (wharf_sso_member_string (object, "region"));
  token->start_url = g_strdup (wharf_sso_member_string (object, "startUrl"));
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

void
wharf_sso_token_load_thread (GTask        *task,
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

void
wharf_sso_token_save_async (const WharfSsoToken *token,
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
