/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-aws-http"

#include "config.h"

#include <glib/gi18n.h>
#include <openssl/crypto.h>

#include "wharf-aws-http-private.h"

#include "wharf-aws-error.h"

#define READ_CHUNK_SIZE (64 * 1024)

SoupSession *
wharf_aws_http_session_new (guint timeout_seconds)
{
  SoupSession *session = soup_session_new ();

  soup_session_set_user_agent (session, PACKAGE_NAME "/" PACKAGE_VERSION);
  soup_session_set_timeout (session, timeout_seconds);
  soup_session_remove_feature_by_type (session, SOUP_TYPE_AUTH_MANAGER);
  return session;
}

SoupSession *
wharf_aws_http_service_session (SoupSession **slot)
{
  g_return_val_if_fail (slot != NULL, NULL);

  if (*slot == NULL)
    *slot = wharf_aws_http_session_new (WHARF_AWS_HTTP_TIMEOUT_SECONDS);
  return *slot;
}

/* ---- Reading a body -------------------------------------------------------------------- */

typedef struct
{
  GInputStream *stream;
  GByteArray   *body;
  gsize         max_size;
  guint8       *chunk;
} BodyRead;

static void
body_read_free (BodyRead *r)
{
  if (r->body != NULL)
    {
      OPENSSL_cleanse (r->body->data, r->body->len);
      g_byte_array_unref (r->body);
    }
  OPENSSL_cleanse (r->chunk, READ_CHUNK_SIZE);
  g_free (r->chunk);
  g_clear_object (&r->stream);
  g_free (r);
}

static void
body_close_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BodyRead *r = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* The whole body is here already; a failure to close only costs the connection. */
  if (!g_input_stream_close_finish (G_INPUT_STREAM (source), result, &error))
    g_debug ("Closing the response stream: %s", error->message);

  g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&r->body)),
                         (GDestroyNotify) g_bytes_unref);
}

static void
body_chunk_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BodyRead *r = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (n < 0)
    {
      g_task_return_error (task, error);
      return;
    }
  if (n == 0)
    {
      g_input_stream_close_async (r->stream, G_PRIORITY_DEFAULT, cancellable, body_close_cb,
                                  g_steal_pointer (&task));
      return;
    }
  if (r->body->len + (gsize) n > r->max_size)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                               "The body is larger than %" G_GSIZE_FORMAT " bytes", r->max_size);
      return;
    }
  g_byte_array_append (r->body, r->chunk, n);
  g_input_stream_read_async (r->stream, r->chunk, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                             cancellable, body_chunk_cb, g_steal_pointer (&task));
}

void
wharf_aws_http_read_body_async (GInputStream        *stream,
                                gsize                max_size,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  BodyRead *r = g_new0 (BodyRead, 1);

  g_return_if_fail (G_IS_INPUT_STREAM (stream));

  g_task_set_source_tag (task, wharf_aws_http_read_body_async);
  r->stream = g_object_ref (stream);
  r->body = g_byte_array_new ();
  r->max_size = max_size;
  r->chunk = g_malloc (READ_CHUNK_SIZE);
  g_task_set_task_data (task, r, (GDestroyNotify) body_read_free);

  g_input_stream_read_async (stream, r->chunk, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT, cancellable,
                             body_chunk_cb, g_steal_pointer (&task));
}

GBytes *
wharf_aws_http_read_body_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == wharf_aws_http_read_body_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GError *
wharf_aws_http_transport_error (GError     *error,
                                const char *host,
                                gboolean    answer_begun)
{
  g_autofree char *message = NULL;
  WharfAwsErrorCode code = WHARF_AWS_ERROR_NETWORK;
  GError *new_error;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      code = WHARF_AWS_ERROR_TIMEOUT;
      if (host != NULL)
        message = g_strdup_printf (_("The connection to %s timed out."), host);
      else
        message = g_strdup (_("The service did not answer in time."));
    }
  else if (host != NULL && answer_begun)
    /* Translators: the answer had begun when the connection failed; %s is a host name,
     * then the reason */
    message = g_strdup_printf (_("The answer from %s was cut off: %s"), host, error->message);
  else if (host != NULL)
    message = g_strdup_printf (_("Could not reach %s: %s"), host, error->message);
  else
    message = g_strdup_printf (_("The service could not be reached: %s"), error->message);

  /* The transport's own error stays as the cause: an unknown host (G_RESOLVER_ERROR) says
   * that the region or the endpoint does not exist. */
  new_error = wharf_aws_error_new_with_cause (code, error, message);
  g_error_free (error);
  return new_error;
}

/* ---- One exchange ---------------------------------------------------------------------- */

static void
exchange_read_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = g_task_get_task_data (task);
  GError *error = NULL;
  GBytes *body = wharf_aws_http_read_body_finish (result, &error);

  if (body != NULL)
    g_task_return_pointer (task, body, (GDestroyNotify) g_bytes_unref);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
    {
      g_error_free (error);
      g_task_return_error (task,
                           wharf_aws_error_new_full (WHARF_AWS_ERROR_PROTOCOL, NULL, NULL, NULL,
                                                     soup_message_get_status (msg),
                                                     _("The service sent a response that is "
                                                       "too large.")));
    }
  else
    g_task_return_error (task, wharf_aws_http_transport_error (error, NULL, TRUE));
}

static void
exchange_send_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GInputStream) stream = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, wharf_aws_http_transport_error (error, NULL, FALSE));
      return;
    }
  wharf_aws_http_read_body_async (stream, WHARF_AWS_HTTP_MAX_BODY, cancellable,
                                  exchange_read_cb, g_steal_pointer (&task));
}

void
wharf_aws_http_send_async (SoupSession         *session,
                           SoupMessage         *msg,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (SOUP_IS_MESSAGE (msg));

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, wharf_aws_http_send_async);
  g_task_set_task_data (task, g_object_ref (msg), g_object_unref);

  soup_session_send_async (session, msg, G_PRIORITY_DEFAULT, cancellable, exchange_send_cb,
                           g_steal_pointer (&task));
}

GBytes *
wharf_aws_http_send_finish (GAsyncResult  *result,
                            guint         *status,
                            GError       **error)
{
  GTask *task = G_TASK (result);
  SoupMessage *msg = g_task_get_task_data (task);

  g_return_val_if_fail (g_task_get_source_tag (task) == wharf_aws_http_send_async, NULL);

  if (status != NULL)
    *status = msg != NULL ? soup_message_get_status (msg) : 0;
  return g_task_propagate_pointer (task, error);
}

char *
wharf_aws_http_form_encode (const char *const *pairs)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; pairs[i] != NULL; i += 2)
    {
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (pairs[i + 1] == NULL)
        continue;
      name = g_uri_escape_string (pairs[i], NULL, FALSE);
      value = g_uri_escape_string (pairs[i + 1], NULL, FALSE);
      if (s->len > 0)
        g_string_append_c (s, '&');
      g_string_append_printf (s, "%s=%s", name, value);
    }
  return g_string_free (s, FALSE);
}
