/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Manifests and tags: GET/HEAD/PUT/DELETE /v2/<name>/manifests/<reference> on the same
 * images as the JSON API, and the tag list with its pagination.
 */
#define G_LOG_DOMAIN "wharf-sandbox-registry"

#include "config.h"

#include <string.h>

#include "wharf-ecr-validate.h"
#include "wharf-sandbox-registry-request-private.h"

#define MAX_TAGS_PAGE      1000

static gboolean
is_known_manifest_type (const char *type)
{
  return g_str_equal (type, MT_DOCKER_V2) || g_str_equal (type, MT_DOCKER_LIST)
         || g_str_equal (type, MT_OCI_MANIFEST) || g_str_equal (type, MT_OCI_INDEX);
}

static gboolean
accepts (SoupServerMessage *msg,
         const char        *media_type)
{
  const char *accept = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                      "Accept");
  g_auto(GStrv) items = NULL;

  if (!accept || !*accept)
    return TRUE;
  items = g_strsplit (accept, ",", -1);
  for (guint i = 0; items[i]; i++)
    {
      g_autofree char *item = g_strstrip (g_strdup (items[i]));
      char *semicolon = strchr (item, ';');

      if (semicolon)
        *semicolon = '\0';
      g_strstrip (item);
      if (g_str_equal (item, "*/*") || g_str_equal (item, media_type))
        return TRUE;
    }
  return FALSE;
}

void
sb_reg_serve_manifest_get (Request *r)
{
  gboolean by_digest = g_str_has_prefix (r->route.arg, "sha256:");
  SbImage *image = sb_repo_find_image (r->repo, by_digest ? r->route.arg : NULL,
                                       by_digest ? NULL : r->route.arg);
  gsize len;

  if (!image)
    {
      sb_reg_respond_error (r->msg, 404, "MANIFEST_UNKNOWN",
                            "Requested image not found");
      return;
    }
  /* an index only to a client that says it reads indexes, as ECR and Distribution do */
  if ((g_str_equal (image->media_type, MT_OCI_INDEX) || g_str_equal (image->media_type, MT_DOCKER_LIST))
      && !accepts (r->msg, image->media_type))
    {
      sb_reg_respond_error (r->msg, 404, "MANIFEST_UNKNOWN",
                            "The manifest is an index (%s), but the Accept header does not "
                            "allow it",
                            image->media_type);
      return;
    }
  len = strlen (image->manifest);
  sb_reg_set_header (r->msg, "Docker-Content-Digest", image->digest);
  if (g_str_equal (soup_server_message_get_method (r->msg), "HEAD"))
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (r->msg);

      sb_reg_set_header (r->msg, API_VERSION_HEADER, API_VERSION);
      soup_server_message_set_status (r->msg, 200, NULL);
      soup_message_headers_set_content_type (headers, image->media_type, NULL);
      soup_message_headers_set_content_length (headers, len);
      return;
    }
  image->last_pull = r->now;
  sb_sandbox_changed (r->self);
  sb_reg_respond_bytes (r->msg, 200, image->media_type, image->manifest, len);
}

void
sb_reg_serve_manifest_put (Request *r)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *manifest = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *location = NULL;
  const char *reference = r->route.arg;
  gboolean by_digest = g_str_has_prefix (reference, "sha256:");
  const char *header_type, *body_type, *type, *subject_digest = NULL;
  SbCall call = { 0 };
  JsonObject *m;
  JsonNode *subject;
  SbImage *image;
  gsize len;
  const char *data = g_bytes_get_data (r->body, &len);

  header_type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (r->msg),
                                                        NULL);
  if (r->body_too_large)
    {
      sb_reg_respond_error (r->msg, 400, "MANIFEST_INVALID",
                            "manifest invalid: the manifest is larger than ECR's limit of %"
                            G_GSIZE_FORMAT " bytes", SB_MAX_MANIFEST_SIZE);
      return;
    }
  if (!by_digest && !wharf_ecr_validate_image_tag (reference, NULL))
    {
      sb_reg_respond_error (r->msg, 400, "TAG_INVALID",
                            "manifest tag did not match URI: '%s' is not a valid image tag",
                            reference);
      return;
    }
  manifest = g_strndup (data ? data : "", len);
  if (len == 0 || strlen (manifest) != len || !g_utf8_validate (manifest, len, NULL)
      || !json_parser_load_from_data (parser, manifest, len, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      sb_reg_respond_error (r->msg, 400, "MANIFEST_INVALID", "manifest invalid: not a JSON object");
      return;
    }
  m = json_node_get_object (json_parser_get_root (parser));
  body_type = sb_reg_json_string (m, "mediaType");
  if (header_type && (g_str_equal (header_type, "application/json")
                      || g_str_equal (header_type, "application/octet-stream")))
    header_type = NULL;
  if (header_type && body_type && !g_str_equal (header_type, body_type))
    {
      sb_reg_respond_error (r->msg, 400, "MANIFEST_INVALID",
                            "manifest invalid: the Content-Type %s does not match the manifest's "
                            "mediaType %s", header_type, body_type);
      return;
    }
  type = header_type ? header_type : body_type;
  if (!type || !is_known_manifest_type (type))
    {
      sb_reg_respond_error (r->msg, 400, "MANIFEST_INVALID",
                            "manifest invalid: unsupported manifest media type %s",
                            type ? type : "(none)");
      return;
    }
  content_type = g_strdup (type);
  if (!g_str_equal (type, MT_OCI_INDEX) && !g_str_equal (type, MT_DOCKER_LIST))
    {
      missing = sb_dist_find_missing_blob (r->dist, r->registry, r->repo, manifest);
      if (missing)
        {
          sb_reg_respond_error_detail (r->msg, 400, "MANIFEST_BLOB_UNKNOWN",
                                       sb_reg_digest_detail (missing),
                                       "blob unknown to registry: %s", missing);
          return;
        }
    }
  subject = json_object_get_member (m, "subject");
  if (subject && JSON_NODE_HOLDS_OBJECT (subject))
    subject_digest = sb_reg_json_string (json_node_get_object (subject), "digest");

  call.registry = r->registry;
  call.operation = "PutImage";
  call.now = r->now;
  call.token_key = sb_sandbox_get_token_key (r->self);
  call.sandbox = r->self;
  image = sb_put_image (&call, r->repo, manifest, content_type, by_digest ? NULL : reference,
                        by_digest ? reference : NULL);
  if (!image && g_strcmp0 (call.error_type, "ImageAlreadyExistsException") == 0)
    {
      g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, manifest, -1);
      g_autofree char *digest = g_strconcat ("sha256:", hex, NULL);

      image = g_hash_table_lookup (r->repo->by_digest, digest);
    }
  if (!image)
    {
      const char *type_name = call.error_type ? call.error_type : "";

      if (g_str_equal (type_name, "ImageTagAlreadyExistsException"))
        sb_reg_respond_error (r->msg, 400, "TAG_INVALID", "%s", call.error_message);
      else if (g_str_equal (type_name, "ImageDigestDoesNotMatchException"))
        sb_reg_respond_error_detail (r->msg, 400, "DIGEST_INVALID",
                                     sb_reg_digest_detail (reference), "%s", call.error_message);
      else if (g_str_equal (type_name, "ReferencedImagesNotFoundException"))
        sb_reg_respond_error (r->msg, 400, "MANIFEST_BLOB_UNKNOWN", "%s", call.error_message);
      else
        sb_reg_respond_error (r->msg, 400, "MANIFEST_INVALID", "manifest invalid: %s",
                              call.error_message ? call.error_message : "");
      g_free (call.error_type);
      g_free (call.error_message);
      return;
    }
  g_free (call.error_type);
  g_free (call.error_message);
  sb_dist_image_pushed (r->dist, r->registry, r->repo, manifest);
  sb_sandbox_changed (r->self);

  location = sb_reg_repo_path (r, "manifests", image->digest);
  sb_reg_set_header (r->msg, "Location", location);
  sb_reg_set_header (r->msg, "Docker-Content-Digest", image->digest);
  if (subject_digest)
    sb_reg_set_header (r->msg, "OCI-Subject", subject_digest);
  sb_reg_respond_bytes (r->msg, 201, NULL, NULL, 0);
}

void
sb_reg_serve_manifest_delete (Request *r)
{
  gboolean by_digest = g_str_has_prefix (r->route.arg, "sha256:");
  SbImage *image = sb_repo_find_image (r->repo, by_digest ? r->route.arg : NULL,
                                       by_digest ? NULL : r->route.arg);

  if (!image)
    {
      sb_reg_respond_error (r->msg, 404, "MANIFEST_UNKNOWN", "Requested image not found");
      return;
    }
  if (!by_digest && image->tags->len > 1)
    sb_repo_untag (r->repo, image, r->route.arg);
  else
    {
      if (image->n_parents > 0)
        {
          sb_reg_respond_error (r->msg, 409, "DENIED",
                                "Requested image is referenced by an image index in this "
                                "repository");
          return;
        }
      sb_repo_remove_image (r->repo, image);
      sb_dist_collect_garbage (r->self);
    }
  sb_sandbox_changed (r->self);
  sb_reg_respond_bytes (r->msg, 202, NULL, NULL, 0);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

void
sb_reg_serve_tags (Request *r)
{
  g_autoptr(GPtrArray) tags = g_ptr_array_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *n_text = sb_reg_query_get (r, "n");
  const char *last = sb_reg_query_get (r, "last");
  JsonObject *o;
  JsonArray *list;
  GHashTableIter iter;
  gpointer key;
  guint64 n = MAX_TAGS_PAGE;
  guint start = 0, count;
  char *end;

  if (n_text)
    {
      n = g_ascii_strtoull (n_text, &end, 10);
      if (*n_text == '\0' || *end || n > MAX_TAGS_PAGE)
        {
          sb_reg_respond_error (r->msg, 400, "PAGINATION_NUMBER_INVALID",
                                "invalid number of results requested: n must be 0 to %d",
                                MAX_TAGS_PAGE);
          return;
        }
    }
  g_hash_table_iter_init (&iter, r->repo->by_tag);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (tags, key);
  g_ptr_array_sort (tags, compare_strings);
  if (last)
    while (start < tags->len && strcmp (tags->pdata[start], last) <= 0)
      start++;
  count = MIN ((guint64) (tags->len - start), n);

  o = json_object_new ();
  json_object_set_string_member (o, "name", r->repo->name);
  list = json_array_new ();
  for (guint i = start; i < start + count; i++)
    json_array_add_string_element (list, tags->pdata[i]);
  json_object_set_array_member (o, "tags", list);
  if (start + count < tags->len && count > 0)
    {
      g_autofree char *escaped = g_uri_escape_string (tags->pdata[start + count - 1], NULL, FALSE);
      g_autofree char *link = g_strdup_printf ("</v2/%s/tags/list?n=%" G_GUINT64_FORMAT
                                               "&last=%s>; rel=\"next\"",
                                               r->repo->name, n, escaped);

      sb_reg_set_header (r->msg, "Link", link);
    }
  root = json_node_init_object (json_node_alloc (), o);
  json_object_unref (o);
  sb_reg_respond_json (r->msg, 200, root);
}
