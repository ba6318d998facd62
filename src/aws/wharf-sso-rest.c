/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-sso"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "wharf-sso.h"
#include "wharf-sso-private.h"

#include "wharf-aws-endpoint.h"
#include "wharf-aws-error.h"
#include "wharf-aws-http-private.h"

/* The endpoints of SSO-OIDC and of the portal, and the REST-JSON exchange both speak. */

/* ---- Endpoints ------------------------------------------------------------------------- */

static char *
resolve_endpoint (WharfAwsConfig  *config,
                  const char      *profile,
                  const char      *region,
                  const char      *prefix,
                  const char      *service_id,
                  GError         **error)
{
  WharfAwsEndpointInputs inputs = { 0 };

  inputs.region = region;
  inputs.endpoint_prefix = prefix;
  wharf_aws_endpoint_inputs_from_config (&inputs, service_id, config, profile);
  /* The profile's FIPS and dual-stack settings were never read for IAM Identity Center; only
   * the environment's are. */
  inputs.profile_use_fips = NULL;
  inputs.profile_use_dualstack = NULL;
  return wharf_aws_endpoint_resolve (&inputs, error);
}

char *
wharf_sso_resolve_portal_endpoint (WharfAwsConfig  *config,
                                   const char      *profile,
                                   const char      *sso_region,
                                   GError         **error)
{
  return resolve_endpoint (config, profile, sso_region, "portal.sso", "SSO", error);
}

char *
wharf_sso_resolve_oidc_endpoint (WharfAwsConfig  *config,
                                 const char      *profile,
                                 const char      *sso_region,
                                 GError         **error)
{
  return resolve_endpoint (config, profile, sso_region, "oidc", "SSO_OIDC", error);
}

/* ---- REST-JSON calls ------------------------------------------------------------------- */

/* The one session of the SSO-OIDC and portal calls. */
static SoupSession *sso_session;

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
  if (data != NULL && len > 0 && (object = wharf_sso_parse_object (data, len, NULL)) != NULL)
    return g_strdup (wharf_sso_member_string (object, "error"));
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
  object = wharf_sso_parse_object (text, len, &error);
  OPENSSL_cleanse ((gpointer) text, len);
  if (object == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, object, (GDestroyNotify) json_object_unref);
}

/* POST @path with a JSON body (unsigned), or GET @path_and_query with the bearer token. */
void
wharf_sso_rest_call (const char          *endpoint,
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

  g_task_set_source_tag (task, wharf_sso_rest_call);
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
      bytes = g_bytes_new_with_free_func (body, len, (GDestroyNotify) wharf_sso_wipe_free, body);
      soup_message_set_request_body_from_bytes (data->msg, "application/json", bytes);
    }
  wharf_aws_http_send_async (wharf_aws_http_service_session (&sso_session), data->msg,
                             cancellable, rest_done_cb, g_steal_pointer (&task));
}

JsonObject *
wharf_sso_rest_finish (GAsyncResult  *result,
                       char         **oauth,
                       GError       **error)
{
  if (oauth != NULL)
    *oauth = g_strdup (g_object_get_data (G_OBJECT (result), "oauth-error"));
  return g_task_propagate_pointer (G_TASK (result), error);
}

GError *
wharf_sso_bad_answer (const char *operation)
{
  /* Translators: %s is an operation such as CreateToken */
  g_autofree char *text = g_strdup_printf (_("IAM Identity Center sent a malformed %s answer."),
                                           operation);

  return wharf_aws_error_new_full (WHARF_AWS_ERROR_PROTOCOL, NULL, NULL, NULL, 200, text);
}
