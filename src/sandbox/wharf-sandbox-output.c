/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Pieces of the ECR operations' output shared by their handlers. */
#define G_LOG_DOMAIN "wharf-sandbox-output"

#include "config.h"

#include "wharf-sandbox-ops-private.h"

void
set_take_string (JsonObject *o,
                 const char *name,
                 char       *value)
{
  json_object_set_string_member (o, name, value);
  g_free (value);
}

JsonNode *
ts (gint64 usec)
{
  return json_node_init_double (json_node_alloc (), usec / (double) G_USEC_PER_SEC);
}

JsonObject *
image_id_json (const char *digest,
               const char *tag)
{
  JsonObject *o = json_object_new ();

  if (digest)
    json_object_set_string_member (o, "imageDigest", digest);
  if (tag)
    json_object_set_string_member (o, "imageTag", tag);
  return o;
}

void
set_common (JsonObject *out,
            SbCall     *call,
            SbRepo     *repo)
{
  json_object_set_string_member (out, "registryId", call->registry->account);
  json_object_set_string_member (out, "repositoryName", repo->name);
}

JsonArray *
tags_array (GPtrArray *tags)
{
  JsonArray *a = json_array_new ();

  for (guint i = 0; i < tags->len; i++)
    json_array_add_string_element (a, tags->pdata[i]);
  return a;
}

void
add_failure (JsonArray  *failures,
             const char *digest,
             const char *tag,
             const char *code,
             const char *reason)
{
  JsonObject *f = json_object_new ();

  json_object_set_object_member (f, "imageId", image_id_json (digest, tag));
  json_object_set_string_member (f, "failureCode", code);
  json_object_set_string_member (f, "failureReason", reason);
  json_array_add_object_element (failures, f);
}

JsonObject *
image_scan_status_json (const char *status)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "status", status);
  json_object_set_string_member (o, "description",
                                 g_str_equal (status, "COMPLETE")
                                 ? "The scan was completed successfully."
                                 : "The scan is in progress.");
  return o;
}
