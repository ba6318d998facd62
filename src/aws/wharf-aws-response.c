/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-aws"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-aws-client.h"
#include "wharf-aws-client-private.h"

#include "wharf-aws-error.h"

/* A JSON 1.1 answer: the body of a success as it came, and reading it as an object. */

struct _WharfAwsResponse
{
  gatomicrefcount  ref_count;
  GBytes          *body;
  guint            status;
  char            *request_id;
};

WharfAwsResponse *
wharf_aws_response_new (GBytes     *body,
                        guint       status,
                        const char *request_id)
{
  WharfAwsResponse *self = g_new0 (WharfAwsResponse, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->body = g_bytes_ref (body);
  self->status = status;
  self->request_id = g_strdup (request_id);
  return self;
}

WharfAwsResponse *
wharf_aws_response_ref (WharfAwsResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
wharf_aws_response_unref (WharfAwsResponse *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_bytes_unref (self->body);
  g_free (self->request_id);
  g_free (self);
}

GBytes *
wharf_aws_response_get_body (WharfAwsResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->body;
}

guint
wharf_aws_response_get_status (WharfAwsResponse *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->status;
}

const char *
wharf_aws_response_get_request_id (WharfAwsResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->request_id;
}

GError *
wharf_aws_response_body_error (guint         status,
                               const char   *request_id,
                               const GError *parse_error)
{
  g_autofree char *message = NULL;

  if (g_error_matches (parse_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA))
    message = g_strdup_printf (_("The service answered HTTP %u with JSON that is not "
                                 "an object."),
                               status);
  else
    {
      /* The parser's words ("<data>:1:23: Parse error: …") mean nothing to a person. */
      g_autofree char *valid = g_utf8_make_valid (parse_error->message, -1);

      /* The parser quotes the body, which may not be UTF-8. */
      g_debug ("HTTP %u body is not JSON: %s", status, valid);
      message = g_strdup_printf (_("The service answered HTTP %u with a response that "
                                   "is not valid JSON."),
                                 status);
    }
  return wharf_aws_error_new_full (WHARF_AWS_ERROR_PROTOCOL, NULL, NULL, request_id, status,
                                   message);
}

JsonObject *
wharf_aws_response_parse_body (GBytes  *body,
                               GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);
  JsonNode *root;

  if (!json_parser_load_from_data (parser, data, (gssize) len, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (!root || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not an object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

JsonObject *
wharf_aws_response_parse (WharfAwsResponse  *self,
                          GError           **error)
{
  g_autoptr(GError) parse_error = NULL;
  JsonObject *object;

  g_return_val_if_fail (self != NULL, NULL);

  if (g_bytes_get_size (self->body) == 0)
    return json_object_new ();
  object = wharf_aws_response_parse_body (self->body, &parse_error);
  if (!object)
    g_propagate_error (error, wharf_aws_response_body_error (self->status, self->request_id,
                                                             parse_error));
  return object;
}
