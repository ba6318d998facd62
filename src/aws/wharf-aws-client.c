/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-aws"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "wharf-aws-client.h"
#include "wharf-aws-client-private.h"
#include "wharf-aws-config.h"
#include "wharf-aws-endpoint.h"
#include "wharf-aws-http-private.h"

/*
 * The AWS JSON 1.1 request engine: `POST /` with X-Amz-Target and a JSON body, signed with
 * SigV4, sent through one SoupSession per client, with the retry behaviour of the AWS SDKs'
 * "standard" mode (attempts, exponential backoff with jitter, a retry quota), clock-skew
 * correction and a whole-attempt timeout.
 *
 * Nothing secret is ever logged: no bodies, no headers; only the operation, the attempt,
 * the HTTP status, the latency, the request id and the AWS error code.
 *
 * Beside it: wharf-aws-request.c builds and signs a request, wharf-aws-retry.c is the retry
 * policy, wharf-aws-response.c the answer, wharf-aws-http.c the session and the capped body.
 */

struct _WharfAwsClient
{
  GObject                   parent_instance;

  char                     *signing_name;
  char                     *target_prefix;
  char                     *endpoint_prefix;
  char                     *explicit_region;
  char                     *profile;
  char                     *explicit_endpoint;
  WharfAwsConfig           *config;
  gboolean                  config_loaded;   /* set, or the default files were tried */
  GError                   *config_error;    /* why loading the default files failed */

  /* Resolved from the above, the environment and the profile. */
  char                     *region;
  char                     *endpoint;
  gboolean                  endpoint_overridden;  /* not the region's own endpoint */
  GError                   *endpoint_error;
  guint                     configured_max_attempts;

  WharfCredentialsProvider *credentials;
  SoupSession              *session;

  guint                     max_attempts;   /* 0: configured_max_attempts */
  guint                     connect_timeout;
  guint                     request_timeout_ms;
  gint64                    clock_offset;
  guint                     retry_quota;
  gsize                     max_response_size;

  WharfAwsRandomFunc        random_func;
  gpointer                  random_data;
};

G_DEFINE_FINAL_TYPE (WharfAwsClient, wharf_aws_client, G_TYPE_OBJECT)

typedef struct
{
  char          *operation;
  GBytes        *body;
  char          *endpoint;
  GUri          *uri;
  char          *region;
  gboolean       raw;            /* hand back the body unparsed (call_bytes) */

  guint          attempt;        /* 1-based, counts attempts that used up max_attempts */
  guint          max_attempts;
  gboolean       skew_retried;
  guint          retry_cost;     /* tokens taken for the last retry; 0 when none */

  GCancellable  *attempt_cancellable;
  gulong         cancelled_id;
  GSource       *timeout_source;
  gboolean       timed_out;
  gint64         attempt_start;

  GSource       *delay_source;
  GSource       *delay_cancel_source;

  SoupMessage   *msg;
  GInputStream  *stream;
  GBytes        *response;
} CallData;

static void start_attempt (GTask *task);

static void
call_data_stop_attempt (CallData     *data,
                        GCancellable *cancellable)
{
  if (data->timeout_source != NULL)
    {
      g_source_destroy (data->timeout_source);
      g_clear_pointer (&data->timeout_source, g_source_unref);
    }
  if (data->cancelled_id != 0)
    {
      g_cancellable_disconnect (cancellable, data->cancelled_id);
      data->cancelled_id = 0;
    }
  g_clear_object (&data->attempt_cancellable);
  g_clear_object (&data->stream);
  g_clear_object (&data->msg);
  g_clear_pointer (&data->response, g_bytes_unref);
}

static void
call_data_stop_delay (CallData *data)
{
  if (data->delay_source != NULL)
    {
      g_source_destroy (data->delay_source);
      g_clear_pointer (&data->delay_source, g_source_unref);
    }
  if (data->delay_cancel_source != NULL)
    {
      g_source_destroy (data->delay_cancel_source);
      g_clear_pointer (&data->delay_cancel_source, g_source_unref);
    }
}

static void
call_data_free (CallData *data)
{
  /* The task's cancellable may be gone already; disconnecting needs it, so the attempt is
   * always stopped before the task returns. */
  g_assert (data->cancelled_id == 0);
  call_data_stop_attempt (data, NULL);
  call_data_stop_delay (data);
  g_free (data->operation);
  g_clear_pointer (&data->body, g_bytes_unref);
  g_free (data->endpoint);
  g_clear_pointer (&data->uri, g_uri_unref);
  g_free (data->region);
  g_free (data);
}

/* ---- configuration ---------------------------------------------------------------------- */

static const char *
nonempty_env (const char *name)
{
  const char *value = g_getenv (name);

  return (value != NULL && *value != '\0') ? value : NULL;
}

static void
resolve_configuration (WharfAwsClient *self)
{
  WharfAwsConfig *config = self->config;
  g_autofree char *service_id = NULL;
  WharfAwsEndpointInputs inputs = { 0 };
  const char *profile_name;

  g_clear_pointer (&self->region, g_free);
  g_clear_pointer (&self->endpoint, g_free);
  self->endpoint_overridden = FALSE;
  g_clear_error (&self->endpoint_error);

  profile_name = self->profile;
  if (!profile_name)
    profile_name = wharf_aws_config_get_default_profile_name ();

  /* Region: explicit > AWS_REGION > AWS_DEFAULT_REGION > profile. */
  if (self->explicit_region != NULL)
    self->region = g_strdup (self->explicit_region);
  else
    self->region = wharf_aws_config_resolve_region (config, profile_name);
  if (self->region != NULL)
    g_strstrip (self->region);

  /* Attempts: AWS_MAX_ATTEMPTS > profile > 3. */
  self->configured_max_attempts = wharf_aws_retry_max_attempts_from_config (config,
                                                                            profile_name);

  if (self->region != NULL && !wharf_aws_region_is_valid (self->region))
    {
      g_set_error (&self->endpoint_error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_REGION,
                   _("“%s” is not a valid AWS region name (like “eu-west-1”)."),
                   self->region);
      return;
    }

  if (self->explicit_endpoint != NULL)
    {
      if (wharf_aws_endpoint_check_url (self->explicit_endpoint, &self->endpoint_error))
        self->endpoint = g_strdup (self->explicit_endpoint);
      self->endpoint_overridden = TRUE;
      return;
    }

  inputs.region = self->region;
  inputs.endpoint_prefix = self->endpoint_prefix;
  inputs.dualstack_prefix = self->signing_name;
  service_id = wharf_aws_endpoint_service_id (self->signing_name);
  wharf_aws_endpoint_inputs_from_config (&inputs, service_id, config, profile_name);

  self->endpoint = wharf_aws_endpoint_resolve (&inputs, &self->endpoint_error);

  /* Whether a configured endpoint_url replaced the region's own: an explanation of a
   * refusal must not blame AWS's region for what another server said. */
  if (self->endpoint != NULL)
    {
      WharfAwsEndpointInputs regional = inputs;
      g_autofree char *default_endpoint = NULL;

      regional.env_service_endpoint = NULL;
      regional.env_endpoint = NULL;
      regional.profile_service_endpoint = NULL;
      regional.profile_endpoint = NULL;
      default_endpoint = wharf_aws_endpoint_resolve (&regional, NULL);
      self->endpoint_overridden = g_strcmp0 (default_endpoint, self->endpoint) != 0;
    }
}

/* ---- object ----------------------------------------------------------------------------- */

static void
wharf_aws_client_finalize (GObject *object)
{
  WharfAwsClient *self = (WharfAwsClient *) object;

  g_free (self->signing_name);
  g_free (self->target_prefix);
  g_free (self->endpoint_prefix);
  g_free (self->explicit_region);
  g_free (self->profile);
  g_free (self->explicit_endpoint);
  g_free (self->region);
  g_free (self->endpoint);
  g_clear_error (&self->endpoint_error);
  g_clear_object (&self->config);
  g_clear_error (&self->config_error);
  g_clear_object (&self->credentials);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (wharf_aws_client_parent_class)->finalize (object);
}

static void
wharf_aws_client_class_init (WharfAwsClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = wharf_aws_client_finalize;
}

static double
default_random (gpointer user_data)
{
  return g_random_double ();
}

static void
wharf_aws_client_init (WharfAwsClient *self)
{
  self->connect_timeout = WHARF_AWS_CLIENT_DEFAULT_CONNECT_TIMEOUT;
  self->request_timeout_ms = WHARF_AWS_CLIENT_DEFAULT_REQUEST_TIMEOUT * 1000;
  self->retry_quota = WHARF_AWS_RETRY_QUOTA_INITIAL;
  self->max_response_size = WHARF_AWS_CLIENT_MAX_RESPONSE_SIZE;
  self->random_func = default_random;

  /* Debugging aids, documented in wharf-aws-client.h: a short timeout and a wrong clock
   * let the fault tests reach those paths against the real app. */
  {
    const char *value;
    guint64 msec = 0;
    gint64 offset = 0;

    if ((value = nonempty_env ("WHARF_REQUEST_TIMEOUT_MS")) != NULL
        && g_ascii_string_to_unsigned (value, 10, 1, G_MAXUINT, &msec, NULL))
      self->request_timeout_ms = (guint) msec;
    if ((value = nonempty_env ("WHARF_CLOCK_OFFSET_SECONDS")) != NULL
        && g_ascii_string_to_signed (value, 10, -366 * 86400, 366 * 86400, &offset, NULL))
      self->clock_offset = offset;
  }

  self->session = wharf_aws_http_session_new (self->connect_timeout);
  soup_session_set_idle_timeout (self->session, 60);
}

WharfAwsClient *
wharf_aws_client_new (const char               *signing_name,
                      const char               *target_prefix,
                      const char               *endpoint_prefix,
                      const char               *region,
                      WharfCredentialsProvider *credentials)
{
  WharfAwsClient *self;

  g_return_val_if_fail (signing_name != NULL, NULL);
  g_return_val_if_fail (target_prefix != NULL, NULL);
  g_return_val_if_fail (endpoint_prefix != NULL, NULL);
  g_return_val_if_fail (!credentials || WHARF_IS_CREDENTIALS_PROVIDER (credentials), NULL);

  self = g_object_new (WHARF_TYPE_AWS_CLIENT, NULL);
  self->signing_name = g_strdup (signing_name);
  self->target_prefix = g_strdup (target_prefix);
  self->endpoint_prefix = g_strdup (endpoint_prefix);
  self->explicit_region = (region != NULL && *region != '\0') ? g_strdup (region) : NULL;

  if (credentials != NULL)
    self->credentials = g_object_ref (credentials);
  else
    self->credentials = wharf_default_credentials_provider_new (NULL);

  resolve_configuration (self);

  return self;
}

void
wharf_aws_client_set_profile (WharfAwsClient *self,
                              const char     *profile)
{
  g_return_if_fail (WHARF_IS_AWS_CLIENT (self));

  if (g_strcmp0 (self->profile, profile) == 0)
    return;

  g_free (self->profile);
  self->profile = g_strdup (profile);
  resolve_configuration (self);
}

const char *
wharf_aws_client_get_profile (WharfAwsClient *self)
{
  g_return_val_if_fail (WHARF_IS_AWS_CLIENT (self), NULL);

  return self->profile;
}

void
wharf_aws_client_set_config (WharfAwsClient *self,
                             WharfAwsConfig *config)
{
  g_return_if_fail (WHARF_IS_AWS_CLIENT (self));
  g_return_if_fail (!config || WHARF_IS_AWS_CONFIG (config));

  g_set_object (&self->config, config);
  self->config_loaded = config != NULL;
  g_clear_error (&self->config_error);
  resolve_configuration (self);
}

void
wharf_aws_client_set_endpoint (WharfAwsClient *self,
                               const char     *url)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (WHARF_IS_AWS_CLIENT (self));

  if (url)
    stripped = wharf_aws_endpoint_normalize_url (url);

  g_free (self->explicit_endpoint);
  self->explicit_endpoint = g_steal_pointer (&stripped);
  resolve_configuration (self);
}

const char *
wharf_aws_client_get_endpoint (WharfAwsClient *self)
{
  g_return_val_if_fail (WHARF_IS_AWS_CLIENT (self), NULL);

  return self->endpoint;
}

WharfCredentialsProvider *
wharf_aws_client_get_credentials_provider (WharfAwsClient *self)
{
  g_return_val_if_fail (WHARF_IS_AWS_CLIENT (self), NULL);

  return self->credentials;
}

const char *
wharf_aws_client_get_region (WharfAwsClient *self)
{
  g_return_val_if_fail (WHARF_IS_AWS_CLIENT (self), NULL);

  return self->region;
}

void
wharf_aws_client_set_max_attempts (WharfAwsClient *self,
                                   guint           max_attempts)
{
  g_return_if_fail (WHARF_IS_AWS_CLIENT (self));
  g_return_if_fail (max_attempts >= 1);

  self->max_attempts = max_attempts;
}

guint
wharf_aws_client_get_max_attempts (WharfAwsClient *self)
{
  g_return_val_if_fail (WHARF_IS_AWS_CLIENT (self), 0);

  return self->max_attempts ? self->max_attempts : self->configured_max_attempts;
}

void
wharf_aws_client_set_connect_timeout (WharfAwsClient *self,
                                      guint           seconds)
{
  g_return_if_fail (WHARF_IS_AWS_CLIENT (self));

  self->connect_timeout = seconds;
  soup_session_set_timeout (self->session, seconds);
}

void
wharf_aws_client_set_request_timeout (WharfAwsClient *self,
                                      guint           seconds)
{
  g_return_if_fail (WHARF_IS_AWS_CLIENT (self));
  g_return_if_fail (seconds <= G_MAXUINT / 1000);

  self->request_timeout_ms = seconds * 1000;
}

void
wharf_aws_client_set_request_timeout_ms (WharfAwsClient *self,
                                         guint           msec)
{
  g_return_if_fail (WHARF_IS_AWS_CLIENT (self));

  self->request_timeout_ms = msec;
}

void
wharf_aws_client_set_clock_offset (WharfAwsClient *self,
                                   gint64          seconds)
{
  g_return_if_fail (WHARF_IS_AWS_CLIENT (self));

  self->clock_offset = seconds;
}

gint64
wharf_aws_client_get_clock_offset (WharfAwsClient *self)
{
  g_return_val_if_fail (WHARF_IS_AWS_CLIENT (self), 0);

  return self->clock_offset;
}

void
wharf_aws_client_set_random_func (WharfAwsClient     *self,
                                  WharfAwsRandomFunc  func,
                                  gpointer            user_data)
{
  g_return_if_fail (WHARF_IS_AWS_CLIENT (self));

  self->random_func = func ? func : default_random;
  self->random_data = func ? user_data : NULL;
}

guint
wharf_aws_client_get_retry_quota (WharfAwsClient *self)
{
  g_return_val_if_fail (WHARF_IS_AWS_CLIENT (self), 0);

  return self->retry_quota;
}

void
wharf_aws_client_set_retry_quota (WharfAwsClient *self,
                                  guint           tokens)
{
  g_return_if_fail (WHARF_IS_AWS_CLIENT (self));

  self->retry_quota = MIN (tokens, WHARF_AWS_RETRY_QUOTA_INITIAL);
}

void
wharf_aws_client_set_max_response_size (WharfAwsClient *self,
                                        gsize           bytes)
{
  g_return_if_fail (WHARF_IS_AWS_CLIENT (self));
  g_return_if_fail (bytes > 0);

  self->max_response_size = bytes;
}

/* ---- the call --------------------------------------------------------------------------- */

static void
return_error (GTask  *task,
              GError *error)
{
  WharfAwsClient *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);

  /* What the explanation of a refusal needs to know about where the request went. */
  if (error->domain == WHARF_AWS_ERROR && wharf_aws_error_get_operation (error) == NULL)
    wharf_aws_error_set_context (error, data->operation,
                                 data->region != NULL ? data->region : self->region,
                                 self->endpoint_overridden ? self->endpoint : NULL);

  call_data_stop_attempt (data, g_task_get_cancellable (task));
  call_data_stop_delay (data);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static gboolean
return_if_cancelled (GTask *task)
{
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      return_error (task, error);
      return TRUE;
    }
  return FALSE;
}

static gboolean
retry_delay_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  CallData *data = g_task_get_task_data (task);

  call_data_stop_delay (data);
  start_attempt (task);

  return G_SOURCE_REMOVE;
}

static gboolean
retry_delay_cancelled_cb (GCancellable *cancellable,
                          gpointer      user_data)
{
  GTask *task = user_data;

  /* Stops the delay at once; the pending timeout goes with it. */
  return_if_cancelled (task);

  return G_SOURCE_REMOVE;
}

/* Takes @error; either schedules another attempt or returns @error. */
static void
retry_or_fail (GTask    *task,
               GError   *error,
               gboolean  retryable,
               guint     cost)
{
  WharfAwsClient *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  guint delay_ms;

  call_data_stop_attempt (data, cancellable);

  if (!retryable)
    {
      return_error (task, error);
      return;
    }

  if (data->attempt >= data->max_attempts)
    {
      g_debug ("%s: giving up after %u attempts", data->operation, data->attempt);
      return_error (task, error);
      return;
    }

  if (self->retry_quota < cost)
    {
      g_debug ("%s: retry quota exhausted (%u left, %u needed)", data->operation,
               self->retry_quota, cost);
      return_error (task, error);
      return;
    }

  self->retry_quota -= cost;
  data->retry_cost = cost;

  delay_ms = wharf_aws_retry_delay_ms (data->attempt, self->random_func (self->random_data));
  g_debug ("%s: attempt %u failed (%s), retrying in %u ms", data->operation, data->attempt,
           wharf_aws_error_get_aws_code (error) ? wharf_aws_error_get_aws_code (error)
                                                : "no AWS code",
           delay_ms);
  g_error_free (error);

  data->attempt++;

  data->delay_source = g_timeout_source_new (delay_ms);
  g_source_set_static_name (data->delay_source, "[wharf] AWS retry delay");
  g_source_set_callback (data->delay_source, retry_delay_done_cb, task, NULL);
  g_source_attach (data->delay_source, g_task_get_context (task));

  if (cancellable != NULL)
    {
      data->delay_cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_static_name (data->delay_cancel_source, "[wharf] AWS retry cancel");
      g_source_set_callback (data->delay_cancel_source,
                             G_SOURCE_FUNC (retry_delay_cancelled_cb), task, NULL);
      g_source_attach (data->delay_cancel_source, g_task_get_context (task));
    }
}

static gboolean
attempt_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  CallData *data = g_task_get_task_data (task);

  data->timed_out = TRUE;
  g_clear_pointer (&data->timeout_source, g_source_unref);
  g_cancellable_cancel (data->attempt_cancellable);

  return G_SOURCE_REMOVE;
}

static void
forward_cancel_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  GCancellable *attempt_cancellable = user_data;

  g_cancellable_cancel (attempt_cancellable);
}

static const char *
response_header (SoupMessage *msg,
                 const char  *name)
{
  return soup_message_headers_get_one (soup_message_get_response_headers (msg), name);
}

static const char *
response_request_id (SoupMessage *msg)
{
  const char *id = response_header (msg, "x-amzn-RequestId");

  if (!id)
    id = response_header (msg, "x-amz-request-id");
  return id;
}

static double
elapsed_ms (CallData *data)
{
  return (g_get_monotonic_time () - data->attempt_start) / 1000.0;
}

/* Success bodies up to this size are parsed where they arrive. Larger ones (a page of a
 * listing is hundreds of KB and takes tens of ms to parse) go to a worker thread, so that
 * the caller's main loop keeps running meanwhile. */
#define PARSE_IN_THREAD_MIN_SIZE (16 * 1024)

/* The end of a 2xx answer: returns @object (transfer full), or the protocol error for
 * @parse_error (transfer full) when the body could not be read. */
static void
return_parsed (GTask      *task,
               JsonObject *object,
               GError     *parse_error)
{
  WharfAwsClient *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);
  guint status = soup_message_get_status (data->msg);
  G_GNUC_UNUSED g_autoptr(GError) owned_error = parse_error;

  if (!object)
    {
      return_error (task, wharf_aws_response_body_error (status, response_request_id (data->msg),
                                                         parse_error));
      return;
    }

  wharf_aws_retry_quota_refund (&self->retry_quota, data->retry_cost);

  call_data_stop_attempt (data, g_task_get_cancellable (task));
  g_task_return_pointer (task, object, (GDestroyNotify) json_object_unref);
  g_object_unref (task);
}

static void
parse_thread (GTask        *parse_task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;
  JsonObject *object;

  object = wharf_aws_response_parse_body (task_data, &error);
  if (object)
    g_task_return_pointer (parse_task, object, (GDestroyNotify) json_object_unref);
  else
    g_task_return_error (parse_task, error);
}

static void
parsed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  JsonObject *object;

  object = g_task_propagate_pointer (G_TASK (result), &error);
  return_parsed (task, object, error);
}

static void
finish_response (GTask *task)
{
  WharfAwsClient *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);
  SoupMessage *msg = data->msg;
  guint status = soup_message_get_status (msg);
  const char *request_id = response_request_id (msg);
  gsize body_len = 0;
  const char *body = g_bytes_get_data (data->response, &body_len);
  GError *error;
  gint64 offset;
  gboolean retryable;

  g_debug ("%s: attempt %u: HTTP %u in %.0f ms, request id %s", data->operation, data->attempt,
           status, elapsed_ms (data), request_id ? request_id : "(none)");

  if (status >= 200 && status < 300)
    {
      g_autoptr(GBytes) bytes = NULL;
      GError *parse_error = NULL;
      JsonObject *object;

      if (data->raw)
        {
          WharfAwsResponse *response;

          response = wharf_aws_response_new (data->response, status, request_id);
          wharf_aws_retry_quota_refund (&self->retry_quota, data->retry_cost);
          call_data_stop_attempt (data, g_task_get_cancellable (task));
          g_task_return_pointer (task, response, (GDestroyNotify) wharf_aws_response_unref);
          g_object_unref (task);
          return;
        }

      if (body_len == 0)
        {
          /* An operation without output may answer with nothing at all (botocore agrees). */
          return_parsed (task, json_object_new (), NULL);
          return;
        }

      bytes = g_steal_pointer (&data->response);
      if (body_len < PARSE_IN_THREAD_MIN_SIZE)
        {
          object = wharf_aws_response_parse_body (bytes, &parse_error);
          return_parsed (task, object, parse_error);
        }
      else
        {
          g_autoptr(GTask) parse_task = g_task_new (NULL, NULL, parsed_cb, task);

          /* The whole answer is here: our timeout no longer applies. Cancelling now is
           * reported by g_task_propagate_pointer() once the parse is done, as before. */
          if (data->timeout_source != NULL)
            {
              g_source_destroy (data->timeout_source);
              g_clear_pointer (&data->timeout_source, g_source_unref);
            }
          g_task_set_source_tag (parse_task, parse_thread);
          g_task_set_name (parse_task, "[wharf] AWS response parse");
          g_task_set_task_data (parse_task, g_steal_pointer (&bytes),
                                (GDestroyNotify) g_bytes_unref);
          g_task_run_in_thread (parse_task, parse_thread);
        }
      return;
    }

  error = wharf_aws_error_from_response (status, response_header (msg, "x-amzn-ErrorType"),
                                         request_id, body, body_len);
  g_debug ("%s: attempt %u: error %s", data->operation, data->attempt,
           wharf_aws_error_get_aws_code (error) ? wharf_aws_error_get_aws_code (error)
                                                : "(no AWS code)");

  /* A wrong clock makes every signature fail: correct it once, without using an attempt. */
  if (!data->skew_retried && wharf_aws_retry_is_skew_error (error)
      && wharf_aws_retry_server_clock_offset (msg, &offset)
      && ABS (offset - self->clock_offset) > WHARF_AWS_CLOCK_SKEW_THRESHOLD)
    {
      g_debug ("%s: correcting the clock by %" G_GINT64_FORMAT " s", data->operation, offset);
      self->clock_offset = offset;
      data->skew_retried = TRUE;
      g_error_free (error);
      call_data_stop_attempt (data, g_task_get_cancellable (task));
      start_attempt (task);
      return;
    }

  if (g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_EXPIRED_CREDENTIALS))
    wharf_credentials_provider_invalidate (self->credentials);

  retryable = wharf_aws_retry_is_retryable_response (error, status);

  retry_or_fail (task, error, retryable, WHARF_AWS_RETRY_COST);
}

/* A transport failure (no complete HTTP response): cancellation, our timeout, or the
 * network. Takes @error. */
static void
transport_failed (GTask  *task,
                  GError *error)
{
  WharfAwsClient *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) owned G_GNUC_UNUSED = error;   /* freed on every return */
  g_autofree char *host = NULL;
  GError *new_error;
  gboolean retryable;
  guint cost = WHARF_AWS_RETRY_COST;

  if (g_cancellable_is_cancelled (cancellable))
    {
      return_if_cancelled (task);
      return;
    }

  host = g_strdup (g_uri_get_host (data->uri));

  if (data->timed_out || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      g_autofree char *message = NULL;

      g_debug ("%s: attempt %u: timed out after %.0f ms", data->operation, data->attempt,
               elapsed_ms (data));
      if (data->timed_out)
        {
          message = g_strdup_printf (_("The request to %s took longer than %.1f seconds."),
                                     host, self->request_timeout_ms / 1000.0);
          new_error = wharf_aws_error_new_full (WHARF_AWS_ERROR_TIMEOUT, NULL, NULL, NULL, 0,
                                                message);
        }
      else
        new_error = wharf_aws_http_transport_error (g_steal_pointer (&owned), host, FALSE);
      retry_or_fail (task, new_error, TRUE, WHARF_AWS_RETRY_TIMEOUT_COST);
      return;
    }

  g_debug ("%s: attempt %u: transport error after %.0f ms: %s", data->operation, data->attempt,
           elapsed_ms (data), error->message);

  /* Connection failures (refused, reset, closed, DNS) are transient; a TLS failure is not
   * going to fix itself. */
  retryable = error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR;
  new_error = wharf_aws_http_transport_error (g_steal_pointer (&owned), host,
                                              data->stream != NULL);

  retry_or_fail (task, new_error, retryable, cost);
}

/* A hostile or broken server must not make us hold an unbounded body in memory. */
static void
response_too_large (GTask *task)
{
  WharfAwsClient *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);
  guint status = soup_message_get_status (data->msg);
  g_autofree char *size = g_format_size (self->max_response_size);
  g_autofree char *message = NULL;

  g_debug ("%s: attempt %u: response larger than %s", data->operation, data->attempt, size);
  message = g_strdup_printf (_("The service answered HTTP %u with a response larger than %s."),
                             status, size);
  return_error (task, wharf_aws_error_new_full (WHARF_AWS_ERROR_PROTOCOL, NULL, NULL,
                                                response_request_id (data->msg), status,
                                                message));
}

static void
body_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  CallData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->response = wharf_aws_http_read_body_finish (result, &error);
  if (data->response != NULL)
    finish_response (task);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
    {
      g_error_free (error);
      response_too_large (task);
    }
  else
    transport_failed (task, error);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  WharfAwsClient *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);
  GError *error = NULL;
  goffset content_length;

  data->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (!data->stream)
    {
      transport_failed (task, error);
      return;
    }

  content_length = soup_message_headers_get_content_length (
    soup_message_get_response_headers (data->msg));
  if (content_length > 0 && (guint64) content_length > self->max_response_size)
    {
      /* Refused before reading a byte of it. */
      response_too_large (task);
      return;
    }

  wharf_aws_http_read_body_async (data->stream, self->max_response_size,
                                  data->attempt_cancellable, body_cb, task);
}

static void
credentials_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  WharfAwsClient *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(WharfCredentials) credentials = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) signing_time = NULL;
  g_autofree char *target = NULL;
  GError *error = NULL;

  credentials = wharf_credentials_provider_get_credentials_finish (WHARF_CREDENTIALS_PROVIDER (object),
                                                                   result, &error);
  if (!credentials)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_clear_error (&error);
          return_if_cancelled (task);
          return;
        }

      /* One domain for callers; the provider's own message says best what is missing
       * (profile, keys, credential_process), and its error stays as the cause, so that the
       * UI can tell an expired IAM Identity Center sign-in or a refused role apart. */
      g_debug ("%s: no credentials: %s", data->operation, g_quark_to_string (error->domain));
      return_error (task, wharf_aws_error_new_with_cause (WHARF_AWS_ERROR_CREDENTIALS_UNAVAILABLE,
                                                          error, NULL));
      g_clear_error (&error);
      return;
    }

  if (return_if_cancelled (task))
    return;

  if (!wharf_credentials_get_access_key_id (credentials)
      || *wharf_credentials_get_access_key_id (credentials) == '\0'
      || !wharf_credentials_get_secret_access_key (credentials)
      || *wharf_credentials_get_secret_access_key (credentials) == '\0')
    {
      return_error (task, g_error_new_literal (WHARF_AWS_ERROR,
                                               WHARF_AWS_ERROR_CREDENTIALS_UNAVAILABLE,
                                               _("The credentials have no access key.")));
      return;
    }

  target = g_strconcat (self->target_prefix, ".", data->operation, NULL);
  now = g_date_time_new_now_utc ();
  signing_time = g_date_time_add_seconds (now, (double) self->clock_offset);
  data->msg = wharf_aws_request_new_json (data->uri, target, data->body, credentials,
                                          data->region, self->signing_name, signing_time);

  data->attempt_cancellable = g_cancellable_new ();
  data->timed_out = FALSE;
  if (cancellable != NULL)
    data->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (forward_cancel_cb),
                                                g_object_ref (data->attempt_cancellable),
                                                g_object_unref);

  if (self->request_timeout_ms > 0)
    {
      data->timeout_source = g_timeout_source_new (self->request_timeout_ms);
      g_source_set_static_name (data->timeout_source, "[wharf] AWS request timeout");
      g_source_set_callback (data->timeout_source, attempt_timeout_cb, task, NULL);
      g_source_attach (data->timeout_source, g_task_get_context (task));
    }

  data->attempt_start = g_get_monotonic_time ();
  soup_session_send_async (self->session, data->msg, G_PRIORITY_DEFAULT,
                           data->attempt_cancellable, send_cb, task);
}

static void
start_attempt (GTask *task)
{
  WharfAwsClient *self = g_task_get_source_object (task);

  if (return_if_cancelled (task))
    return;

  wharf_credentials_provider_get_credentials_async (self->credentials,
                                                    g_task_get_cancellable (task),
                                                    credentials_cb, task);
}

static void
begin_call (GTask *task)
{
  WharfAwsClient *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);

  if (!self->region && self->config_error != NULL)
    {
      /* The region was probably in the file that could not be read. */
      return_error (task, g_error_new (WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_REGION,
                                       _("No AWS region is set, and the AWS configuration "
                                         "could not be read: %s"),
                                       self->config_error->message));
      return;
    }

  if (self->endpoint_error != NULL)
    {
      return_error (task, g_error_copy (self->endpoint_error));
      return;
    }

  if (!self->region)
    {
      return_error (task, g_error_new_literal (WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_REGION,
                                               _("No AWS region is set. Choose a region, or "
                                                 "set AWS_REGION or a region in the "
                                                 "profile.")));
      return;
    }

  data->endpoint = g_strdup (self->endpoint);
  data->uri = g_uri_parse (self->endpoint, G_URI_FLAGS_ENCODED, NULL);
  /* Checked when resolved; a failure here would be a bug. */
  g_assert (data->uri != NULL);
  data->region = g_strdup (self->region);
  data->attempt = 1;
  data->max_attempts = wharf_aws_client_get_max_attempts (self);

  g_debug ("%s: calling %s in %s", data->operation, data->endpoint, data->region);

  start_attempt (task);
}

static void
config_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  WharfAwsClient *self = g_task_get_source_object (task);
  g_autoptr(WharfAwsConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  config = wharf_aws_config_load_default_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      return_if_cancelled (task);
      return;
    }

  /* Another call may have finished loading first, or a config may have been set. */
  if (!self->config_loaded)
    {
      self->config_loaded = TRUE;
      if (config != NULL)
        {
          self->config = g_steal_pointer (&config);
        }
      else
        {
          g_debug ("Could not load the AWS config files: %s", error->message);
          self->config_error = g_steal_pointer (&error);
        }
      resolve_configuration (self);
    }

  if (return_if_cancelled (task))
    return;

  begin_call (task);
}

/* Both kinds of call; @raw: hand back the body of a success unparsed. */
static void
start_call (WharfAwsClient      *self,
            const char          *operation,
            JsonObject          *input,
            gboolean             raw,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  CallData *data;
  gsize json_len = 0;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_name (task, "[wharf] AWS call");

  data = g_new0 (CallData, 1);
  data->operation = g_strdup (operation);
  data->raw = raw;
  g_task_set_task_data (task, data, (GDestroyNotify) call_data_free);

  root = json_node_new (JSON_NODE_OBJECT);
  if (input != NULL)
    json_node_set_object (root, input);
  else
    json_node_take_object (root, json_object_new ());
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, &json_len);
  data->body = g_bytes_new_take (g_steal_pointer (&json), json_len);

  if (!self->config_loaded)
    {
      /* The profile's settings decide the region and the endpoint; read the files off the
       * main thread once. */
      wharf_aws_config_load_default_async (cancellable, config_loaded_cb,
                                           g_steal_pointer (&task));
      return;
    }

  begin_call (g_steal_pointer (&task));
}

/**
 * wharf_aws_client_call_async:
 * @operation: the operation name, e.g. "DescribeRepositories"
 * @input: (nullable): the request members; NULL sends `{}`
 *
 * Calls @operation. The result is the response object; failures are in WHARF_AWS_ERROR
 * (a credential provider's failure as WHARF_AWS_ERROR_CREDENTIALS_UNAVAILABLE with its
 * message, the provider's error kept as wharf_aws_error_get_cause()) or
 * G_IO_ERROR_CANCELLED.
 */
void
wharf_aws_client_call_async (WharfAwsClient      *self,
                             const char          *operation,
                             JsonObject          *input,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (WHARF_IS_AWS_CLIENT (self));
  g_return_if_fail (operation != NULL && *operation != '\0');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  start_call (self, operation, input, FALSE, wharf_aws_client_call_async, cancellable, callback,
              user_data);
}

/**
 * wharf_aws_client_call_bytes_async:
 *
 * As wharf_aws_client_call_async(), but a success is returned as a WharfAwsResponse with
 * the body unparsed, so that a caller can read a large answer without a JSON tree (and
 * where it likes: the body is not parsed here at all).
 */
void
wharf_aws_client_call_bytes_async (WharfAwsClient      *self,
                                   const char          *operation,
                                   JsonObject          *input,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (WHARF_IS_AWS_CLIENT (self));
  g_return_if_fail (operation != NULL && *operation != '\0');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  start_call (self, operation, input, TRUE, wharf_aws_client_call_bytes_async, cancellable,
              callback, user_data);
}

WharfAwsResponse *
wharf_aws_client_call_bytes_finish (WharfAwsClient  *self,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  g_return_val_if_fail (WHARF_IS_AWS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == wharf_aws_client_call_bytes_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

JsonObject *
wharf_aws_client_call_finish (WharfAwsClient  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (WHARF_IS_AWS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wharf_aws_client_call_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
