/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-sts"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <openssl/crypto.h>

#include "wharf-sts.h"

#include "wharf-aws-endpoint.h"
#include "wharf-aws-error.h"
#include "wharf-aws-http-private.h"
#include "wharf-sigv4.h"

/* The STS client's one session for every call. */
static SoupSession *sts_session;

/* ---- Endpoints ------------------------------------------------------------------------- */

/* The regions whose STS calls went to the global endpoint under sts_regional_endpoints =
 * legacy (botocore's list). */
static const char *const legacy_global_regions[] = {
  "ap-northeast-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "aws-global",
  "ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3",
  "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2", NULL,
};

char *
wharf_sts_resolve_endpoint (WharfAwsConfig  *config,
                            const char      *profile,
                            const char      *region,
                            char           **signing_region,
                            GError         **error)
{
  WharfAwsEndpointInputs inputs = { 0 };
  const char *regional = NULL;
  gboolean global = FALSE;
  char *url;

  g_return_val_if_fail (config == NULL || WHARF_IS_AWS_CONFIG (config), NULL);

  if (region != NULL && *region == '\0')
    region = NULL;
  if (region != NULL && !wharf_aws_region_is_valid (region))
    {
      g_set_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_REGION,
                   _("“%s” is not a valid AWS region name (like “eu-west-1”)."), region);
      return NULL;
    }

  regional = g_getenv ("AWS_STS_REGIONAL_ENDPOINTS");
  if ((regional == NULL || *regional == '\0') && config != NULL)
    regional = wharf_aws_config_get (config, profile, "sts_regional_endpoints");
  if (region == NULL || g_strcmp0 (region, "aws-global") == 0)
    global = TRUE;
  else if (regional != NULL && g_ascii_strcasecmp (regional, "legacy") == 0)
    global = g_strv_contains (legacy_global_regions, region);

  inputs.region = global ? "us-east-1" : region;
  inputs.endpoint_prefix = "sts";
  wharf_aws_endpoint_inputs_from_config (&inputs, "STS", config, profile);
  /* STS has no dual-stack endpoints here (as before, only the environment's setting is read). */
  inputs.profile_use_dualstack = NULL;

  url = wharf_aws_endpoint_resolve (&inputs, error);
  if (url == NULL)
    return NULL;

  /* No override: the global endpoint has its own host name. */
  if (global && g_str_equal (url, "https://sts.us-east-1.amazonaws.com"))
    {
      g_free (url);
      url = g_strdup ("https://sts.amazonaws.com");
    }
  if (signing_region != NULL)
    *signing_region = g_strdup (global ? "us-east-1" : region);
  return url;
}

/* ---- XML ------------------------------------------------------------------------------- */

/* Collects the text of every leaf element as "A/B/C" → text. */
typedef struct
{
  GString    *path;
  GString    *text;
  GHashTable *values;
  char       *root;
} XmlCollect;

static void
xml_start (GMarkupParseContext  *context,
           const char           *element,
           const char          **names,
           const char          **values,
           gpointer              user_data,
           GError              **error)
{
  XmlCollect *c = user_data;

  if (c->root == NULL)
    c->root = g_strdup (element);
  if (c->path->len > 0)
    g_string_append_c (c->path, '/');
  g_string_append (c->path, element);
  g_string_truncate (c->text, 0);
}

static void
xml_end (GMarkupParseContext  *context,
         const char           *element,
         gpointer              user_data,
         GError              **error)
{
  XmlCollect *c = user_data;
  char *slash;

  if (!g_hash_table_contains (c->values, c->path->str))
    g_hash_table_insert (c->values, g_strdup (c->path->str), g_strdup (c->text->str));
  g_string_truncate (c->text, 0);
  slash = strrchr (c->path->str, '/');
  g_string_truncate (c->path, slash != NULL ? (gsize) (slash - c->path->str) : 0);
}

static void
xml_text (GMarkupParseContext  *context,
          const char           *text,
          gsize                 len,
          gpointer              user_data,
          GError              **error)
{
  XmlCollect *c = user_data;

  g_string_append_len (c->text, text, len);
}

static void
wipe_value (gpointer data)
{
  char *s = data;

  OPENSSL_cleanse (s, strlen (s));
  g_free (s);
}

/* The leaf texts, or NULL when @xml is not well-formed; *root receives the root element. */
static GHashTable *
xml_collect (const char  *xml,
             gssize       len,
             char       **root)
{
  static const GMarkupParser parser = { xml_start, xml_end, xml_text, NULL, NULL };
  XmlCollect c = { 0 };
  g_autoptr(GMarkupParseContext) context = NULL;
  gboolean ok;

  if (xml == NULL)
    return NULL;
  if (len < 0)
    len = strlen (xml);
  c.path = g_string_new (NULL);
  c.text = g_string_new (NULL);
  c.values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wipe_value);
  context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &c, NULL);
  ok = g_markup_parse_context_parse (context, xml, len, NULL)
       && g_markup_parse_context_end_parse (context, NULL)
       && c.root != NULL;
  OPENSSL_cleanse (c.text->str, c.text->len);
  g_string_free (c.text, TRUE);
  g_string_free (c.path, TRUE);
  if (!ok)
    {
      g_hash_table_unref (c.values);
      g_free (c.root);
      return NULL;
    }
  *root = c.root;
  return c.values;
}

static const char *
xml_get (GHashTable *values,
         const char *path)
{
  const char *v = g_hash_table_lookup (values, path);

  return v != NULL && *v != '\0' ? v : NULL;
}

GError *
wharf_sts_error_from_response (guint       http_status,
                               const char *xml,
                               gsize       len)
{
  g_autofree char *root = NULL;
  g_autoptr(GHashTable) values = xml_collect (xml, len, &root);
  const char *code = NULL, *message = NULL, *request_id = NULL;
  g_autofree char *text = NULL;

  if (values != NULL && g_str_equal (root, "ErrorResponse"))
    {
      code = xml_get (values, "ErrorResponse/Error/Code");
      message = xml_get (values, "ErrorResponse/Error/Message");
      request_id = xml_get (values, "ErrorResponse/RequestId");
    }
  else if (values != NULL && g_str_equal (root, "Error"))
    {
      code = xml_get (values, "Error/Code");
      message = xml_get (values, "Error/Message");
      request_id = xml_get (values, "Error/RequestId");
    }

  if (code == NULL)
    {
      text = g_strdup_printf (_("The security token service answered with HTTP status %u and "
                                "no error details."), http_status);
      return wharf_aws_error_new_full (http_status >= 500 ? WHARF_AWS_ERROR_SERVER
                                                          : WHARF_AWS_ERROR_PROTOCOL,
                                       NULL, NULL, NULL, http_status, text);
    }

  text = message != NULL ? g_strdup_printf ("%s: %s", code, message) : g_strdup (code);
  return wharf_aws_error_new_full (wharf_aws_error_code_from_aws (code, http_status), code,
                                   message, request_id, http_status, text);
}

static GError *
malformed (const char *what)
{
  g_autofree char *text = g_strdup_printf (_("The security token service sent a malformed "
                                             "%s answer."), what);

  return wharf_aws_error_new_full (WHARF_AWS_ERROR_PROTOCOL, NULL, NULL, NULL, 200, text);
}

WharfCredentials *
wharf_sts_parse_assume_role_response (const char  *xml,
                                      gssize       len,
                                      GError     **error)
{
  g_autofree char *root = NULL;
  g_autoptr(GHashTable) values = xml_collect (xml, len, &root);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) expiration = NULL;
  const char *key_id, *secret, *token, *expires;
  const char *prefix = "AssumeRoleResponse/AssumeRoleResult/Credentials/";
  g_autofree char *p_key = g_strconcat (prefix, "AccessKeyId", NULL);
  g_autofree char *p_secret = g_strconcat (prefix, "SecretAccessKey", NULL);
  g_autofree char *p_token = g_strconcat (prefix, "SessionToken", NULL);
  g_autofree char *p_expires = g_strconcat (prefix, "Expiration", NULL);

  if (values == NULL || !g_str_equal (root, "AssumeRoleResponse"))
    {
      g_propagate_error (error, malformed ("AssumeRole"));
      return NULL;
    }
  key_id = xml_get (values, p_key);
  secret = xml_get (values, p_secret);
  token = xml_get (values, p_token);
  expires = xml_get (values, p_expires);
  if (key_id == NULL || secret == NULL || token == NULL || expires == NULL
      || (expiration = g_date_time_new_from_iso8601 (expires, utc)) == NULL)
    {
      g_propagate_error (error, malformed ("AssumeRole"));
      return NULL;
    }
  return wharf_credentials_new (key_id, secret, token, expiration);
}

G_DEFINE_BOXED_TYPE (WharfCallerIdentity, wharf_caller_identity,
                     wharf_caller_identity_copy, wharf_caller_identity_free)

WharfCallerIdentity *
wharf_caller_identity_copy (const WharfCallerIdentity *self)
{
  WharfCallerIdentity *copy = g_new0 (WharfCallerIdentity, 1);

  copy->account = g_strdup (self->account);
  copy->arn = g_strdup (self->arn);
  copy->user_id = g_strdup (self->user_id);
  return copy;
}

void
wharf_caller_identity_free (WharfCallerIdentity *self)
{
  if (self == NULL)
    return;
  g_free (self->account);
  g_free (self->arn);
  g_free (self->user_id);
  g_free (self);
}

WharfCallerIdentity *
wharf_sts_parse_caller_identity_response (const char  *xml,
                                          gssize       len,
                                          GError     **error)
{
  g_autofree char *root = NULL;
  g_autoptr(GHashTable) values = xml_collect (xml, len, &root);
  const char *account, *arn, *user_id;
  WharfCallerIdentity *identity;

  if (values == NULL || !g_str_equal (root, "GetCallerIdentityResponse"))
    {
      g_propagate_error (error, malformed ("GetCallerIdentity"));
      return NULL;
    }
  account = xml_get (values, "GetCallerIdentityResponse/GetCallerIdentityResult/Account");
  arn = xml_get (values, "GetCallerIdentityResponse/GetCallerIdentityResult/Arn");
  user_id = xml_get (values, "GetCallerIdentityResponse/GetCallerIdentityResult/UserId");
  if (account == NULL || arn == NULL || user_id == NULL)
    {
      g_propagate_error (error, malformed ("GetCallerIdentity"));
      return NULL;
    }
  identity = g_new0 (WharfCallerIdentity, 1);
  identity->account = g_strdup (account);
  identity->arn = g_strdup (arn);
  identity->user_id = g_strdup (user_id);
  return identity;
}

/* ---- Query calls ----------------------------------------------------------------------- */

typedef enum
{
  QUERY_ASSUME_ROLE,
  QUERY_CALLER_IDENTITY,
} QueryKind;

typedef struct
{
  QueryKind  kind;
  char      *source_label;
} QueryData;

static void
query_data_free (QueryData *data)
{
  g_free (data->source_label);
  g_free (data);
}

static void
query_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QueryData *data = g_task_get_task_data (task);
  GError *error = NULL;
  guint status = 0;
  g_autoptr(GBytes) body = wharf_aws_http_send_finish (result, &status, &error);
  const char *text;
  gsize len;

  if (body == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  text = g_bytes_get_data (body, &len);
  if (status < 200 || status > 299)
    {
      g_task_return_error (task, wharf_sts_error_from_response (status, text, len));
      return;
    }

  if (data->kind == QUERY_ASSUME_ROLE)
    {
      g_autoptr(WharfCredentials) creds = wharf_sts_parse_assume_role_response (text, len, &error);

      /* The answer held the secret; we own the only copy of the buffer. */
      OPENSSL_cleanse ((gpointer) text, len);

      if (creds == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task,
                               wharf_credentials_copy_with_source (creds, data->source_label),
                               (GDestroyNotify) wharf_credentials_unref);
    }
  else
    {
      WharfCallerIdentity *identity = wharf_sts_parse_caller_identity_response (text, len, &error);

      if (identity == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, identity, (GDestroyNotify) wharf_caller_identity_free);
    }
}

static void
query_call (GTask            *task,
            const char       *endpoint,
            const char       *signing_region,
            WharfCredentials *creds,
            const char       *form)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(WharfSigv4Request) req = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *authorization = NULL;
  g_autofree char *host = NULL;
  g_autofree char *url = NULL;
  WharfSigv4Params params;
  SoupMessageHeaders *headers;
  const char *path;

  if (!wharf_aws_endpoint_check_url (endpoint, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  url = g_str_has_suffix (endpoint, "/") ? g_strdup (endpoint) : g_strconcat (endpoint, "/", NULL);
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, &error);
  if (uri == NULL)
    {
      g_task_return_new_error (task, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_ENDPOINT,
                               _("The endpoint URL “%s” is not valid."), endpoint);
      return;
    }
  path = g_uri_get_path (uri);
  if (path == NULL || *path == '\0')
    path = "/";
  if (g_uri_get_port (uri) > 0)
    host = g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
  else
    host = g_strdup (g_uri_get_host (uri));

  req = wharf_sigv4_request_new ("POST", path, NULL);
  wharf_sigv4_request_add_header (req, "Host", host);
  wharf_sigv4_request_add_header (req, "Content-Type",
                                  "application/x-www-form-urlencoded; charset=utf-8");
  wharf_sigv4_request_set_body (req, form, strlen (form));
  wharf_sigv4_params_init (&params);
  params.access_key_id = wharf_credentials_get_access_key_id (creds);
  params.secret_access_key = wharf_credentials_get_secret_access_key (creds);
  params.session_token = wharf_credentials_get_session_token (creds);
  params.region = signing_region != NULL ? signing_region : "us-east-1";
  params.service = "sts";
  params.time = now;
  authorization = wharf_sigv4_sign (req, &params);

  msg = soup_message_new_from_uri ("POST", uri);
  headers = soup_message_get_request_headers (msg);
  for (guint i = 0; i < wharf_sigv4_request_get_n_headers (req); i++)
    {
      const char *name, *value;

      wharf_sigv4_request_get_header_nth (req, i, &name, &value);
      if (g_ascii_strcasecmp (name, "Host") == 0 || g_ascii_strcasecmp (name, "Content-Type") == 0)
        continue;
      soup_message_headers_replace (headers, name, value);
    }
  body = g_bytes_new (form, strlen (form));
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded; charset=utf-8",
                                            body);

  wharf_aws_http_send_async (wharf_aws_http_service_session (&sts_session), msg,
                             g_task_get_cancellable (task), query_done_cb, task);
}

char *
wharf_sts_default_session_name (void)
{
  return g_strdup_printf ("wharf-%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
}

void
wharf_sts_assume_role_async (const char                     *endpoint,
                             const char                     *signing_region,
                             WharfCredentials               *source,
                             const WharfStsAssumeRoleParams *params,
                             const char                     *source_label,
                             GCancellable                   *cancellable,
                             GAsyncReadyCallback             callback,
                             gpointer                        user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *form = NULL;
  QueryData *data;

  g_return_if_fail (endpoint != NULL);
  g_return_if_fail (source != NULL);
  g_return_if_fail (params != NULL && params->role_arn != NULL
                    && params->role_session_name != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wharf_sts_assume_role_async);
  data = g_new0 (QueryData, 1);
  data->kind = QUERY_ASSUME_ROLE;
  data->source_label = g_strdup (source_label);
  g_task_set_task_data (task, data, (GDestroyNotify) query_data_free);

  if (params->duration_seconds > 0)
    duration = g_strdup_printf ("%d", params->duration_seconds);
  {
    const char *pairs[] = {
      "Action", "AssumeRole",
      "Version", WHARF_STS_API_VERSION,
      "RoleArn", params->role_arn,
      "RoleSessionName", params->role_session_name,
      "DurationSeconds", duration,
      "ExternalId", params->external_id,
      "SerialNumber", params->serial_number,
      "TokenCode", params->token_code,
      NULL,
    };
    form = wharf_aws_http_form_encode (pairs);
  }
  query_call (g_steal_pointer (&task), endpoint, signing_region, source, form);
  OPENSSL_cleanse (form, strlen (form));
}

WharfCredentials *
wharf_sts_assume_role_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wharf_sts_assume_role_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
wharf_sts_get_caller_identity_async (const char          *endpoint,
                                     const char          *signing_region,
                                     WharfCredentials    *credentials,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  QueryData *data;

  g_return_if_fail (endpoint != NULL);
  g_return_if_fail (credentials != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wharf_sts_get_caller_identity_async);
  data = g_new0 (QueryData, 1);
  data->kind = QUERY_CALLER_IDENTITY;
  g_task_set_task_data (task, data, (GDestroyNotify) query_data_free);
  query_call (g_steal_pointer (&task), endpoint, signing_region, credentials,
              "Action=GetCallerIdentity&Version=" WHARF_STS_API_VERSION);
}

WharfCallerIdentity *
wharf_sts_get_caller_identity_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == wharf_sts_get_caller_identity_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
