/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The referrers API: GET /v2/<name>/referrers/<digest>, an OCI index of the manifests
 * whose subject is <digest>, optionally filtered by artifactType.
 */
#define G_LOG_DOMAIN "wharf-sandbox-registry"

#include "config.h"

#include <string.h>

#include "wharf-sandbox-registry-request-private.h"

void
sb_reg_serve_referrers (Request *r)
{
  const char *digest = r->route.arg;
  const char *filter = sb_reg_query_get (r, "artifactType");
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  JsonArray *manifests = json_array_new ();
  JsonObject *index = json_object_new ();
  gsize len;

  if (!sb_blobs_digest_is_valid (digest))
    {
      json_array_unref (manifests);
      json_object_unref (index);
      sb_reg_respond_error_detail (r->msg, 400, "DIGEST_INVALID", sb_reg_digest_detail (digest),
                                   "provided digest is not a valid sha256 digest");
      return;
    }
  for (guint i = 0; i < r->repo->images->len; i++)
    {
      SbImage *image = r->repo->images->pdata[i];
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *m, *d;
      JsonNode *subject, *annotations;
      const char *artifact_type;

      if (!strstr (image->manifest, "\"subject\"")
          || !json_parser_load_from_data (parser, image->manifest, -1, NULL)
          || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        continue;
      m = json_node_get_object (json_parser_get_root (parser));
      subject = json_object_get_member (m, "subject");
      if (!subject || !JSON_NODE_HOLDS_OBJECT (subject)
          || g_strcmp0 (sb_reg_json_string (json_node_get_object (subject), "digest"), digest) != 0)
        continue;
      artifact_type = sb_reg_json_string (m, "artifactType");
      if (!artifact_type && json_object_has_member (m, "config")
          && JSON_NODE_HOLDS_OBJECT (json_object_get_member (m, "config")))
        artifact_type = sb_reg_json_string (json_object_get_object_member (m, "config"),
                                            "mediaType");
      if (filter && g_strcmp0 (filter, artifact_type) != 0)
        continue;
      d = json_object_new ();
      json_object_set_string_member (d, "mediaType", image->media_type);
      json_object_set_string_member (d, "digest", image->digest);
      json_object_set_int_member (d, "size", strlen (image->manifest));
      if (artifact_type)
        json_object_set_string_member (d, "artifactType", artifact_type);
      annotations = json_object_get_member (m, "annotations");
      if (annotations && JSON_NODE_HOLDS_OBJECT (annotations))
        json_object_set_member (d, "annotations", json_node_copy (annotations));
      json_array_add_object_element (manifests, d);
    }
  json_object_set_int_member (index, "schemaVersion", 2);
  json_object_set_string_member (index, "mediaType", MT_OCI_INDEX);
  json_object_set_array_member (index, "manifests", manifests);
  root = json_node_init_object (json_node_alloc (), index);
  json_object_unref (index);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  if (filter)
    sb_reg_set_header (r->msg, "OCI-Filters-Applied", "artifactType");
  sb_reg_respond_bytes (r->msg, 200, MT_OCI_INDEX, text, len);
}
