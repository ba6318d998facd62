/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The registry's answers: headers, JSON bodies, the registry's error format and blobs
 * streamed from disk.
 */
#define G_LOG_DOMAIN "wharf-sandbox-registry"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "wharf-sandbox-registry-request-private.h"

void
sb_reg_set_header (SoupServerMessage *msg,
                   const char        *name,
                   const char        *value)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), name, value);
}

void
sb_reg_respond_bytes (SoupServerMessage *msg,
                      guint              status,
                      const char        *content_type,
                      const char        *body,
                      gsize              len)
{
  sb_reg_set_header (msg, API_VERSION_HEADER, API_VERSION);
  soup_server_message_set_status (msg, status, NULL);
  if (content_type)
    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, len);
  else
    soup_message_headers_set_content_length (soup_server_message_get_response_headers (msg), 0);
}

void
sb_reg_respond_json (SoupServerMessage *msg,
                     guint              status,
                     JsonNode          *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  gsize len;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  sb_reg_respond_bytes (msg, status, "application/json; charset=utf-8", text, len);
}


void
sb_reg_respond_error_detail (SoupServerMessage *msg,
                             guint              status,
                             const char        *code,
                             JsonNode          *detail,
                             const char        *format,
                             ...)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *message = NULL;
  JsonObject *o = json_object_new ();
  JsonObject *e = json_object_new ();
  JsonArray *errors = json_array_new ();
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_debug ("%s %s → %u %s: %s", soup_server_message_get_method (msg),
           g_uri_get_path (soup_server_message_get_uri (msg)), status, code, message);
  json_object_set_string_member (e, "code", code);
  json_object_set_string_member (e, "message", message);
  if (detail)
    json_object_set_member (e, "detail", detail);
  json_array_add_object_element (errors, e);
  json_object_set_array_member (o, "errors", errors);
  root = json_node_init_object (json_node_alloc (), o);
  json_object_unref (o);
  sb_reg_respond_json (msg, status, root);
}


JsonNode *
sb_reg_digest_detail (const char *digest)
{
  JsonObject *o = json_object_new ();
  JsonNode *node;

  json_object_set_string_member (o, "digest", digest);
  node = json_node_init_object (json_node_alloc (), o);
  json_object_unref (o);
  return node;
}

const char *
sb_reg_query_get (Request    *r,
                  const char *name)
{
  return r->query ? g_hash_table_lookup (r->query, name) : NULL;
}

char *
sb_reg_repo_path (Request    *r,
                  const char *kind,
                  const char *arg)
{
  return g_strdup_printf ("/v2/%s/%s/%s", r->route.name, kind, arg);
}

/* Streams a blob as the response body in 256 KiB chunks read as the previous one is written,
 * never accumulated: the memory used does not grow with the blob. */
typedef struct
{
  int    fd;
  guint8 buffer[256 * 1024];
} Outgoing;

static void
outgoing_free (Outgoing *out)
{
  if (out->fd >= 0)
    close (out->fd);
  g_free (out);
}

static void
write_next_chunk_cb (SoupServerMessage *msg,
                     gpointer           user_data)
{
  Outgoing *out = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  gssize n;

  if (out->fd < 0)
    return;
  do
    n = read (out->fd, out->buffer, sizeof out->buffer);
  while (n < 0 && errno == EINTR);
  if (n > 0)
    soup_message_body_append (body, SOUP_MEMORY_COPY, out->buffer, n);
  else
    {
      close (out->fd);
      out->fd = -1;
      soup_message_body_complete (body);
    }
  soup_server_message_unpause (msg);
}

gboolean
sb_reg_stream_file (SoupServerMessage *msg,
                    const char        *path,
                    guint64            size)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  Outgoing *out = g_new0 (Outgoing, 1);

  out->fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (out->fd < 0)
    {
      g_free (out);
      return FALSE;
    }
  soup_message_headers_set_content_length (headers, size);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (write_next_chunk_cb), out);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (write_next_chunk_cb), out);
  g_object_set_data_full (G_OBJECT (msg), "wharf-sandbox-outgoing", out,
                          (GDestroyNotify) outgoing_free);
  return TRUE;
}

const char *
sb_reg_json_string (JsonObject *o,
                    const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}
