/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Images: pushing a manifest (PutImage, and the in-process push of the seeds and tests),
 * getting, listing, describing and deleting them.
 */
#define G_LOG_DOMAIN "wharf-sandbox-ops"

#include "config.h"

#include <string.h>

#include "wharf-ecr-validate.h"
#include "wharf-sandbox-ops-private.h"
#include "wharf-sandbox-registry-private.h"

/* Images */

char *
sb_generate_manifest (guint64  seed,
                      guint64  size,
                      guint    n_layers,
                      gboolean oci)
{
  const char *type = oci ? MT_OCI_MANIFEST : MT_DOCKER_V2;
  const char *config_type = oci ? "application/vnd.oci.image.config.v1+json"
                                : "application/vnd.docker.container.image.v1+json";
  const char *layer_type = oci ? "application/vnd.oci.image.layer.v1.tar+gzip"
                               : "application/vnd.docker.image.rootfs.diff.tar.gzip";
  GString *s = g_string_new (NULL);
  guint64 config_size = 1000 + seed % 6000;
  guint64 remaining = size > config_size ? size - config_size : (guint64) n_layers;
  char seed_text[64];

  g_snprintf (seed_text, sizeof seed_text, "config-%" G_GUINT64_FORMAT, seed);
  {
    g_autofree char *config_digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, seed_text, -1);

    g_string_append_printf (s,
                            "{\n   \"schemaVersion\": 2,\n   \"mediaType\": \"%s\",\n"
                            "   \"config\": {\n      \"mediaType\": \"%s\",\n"
                            "      \"size\": %" G_GUINT64_FORMAT ",\n      \"digest\": \"sha256:%s\"\n   },\n"
                            "   \"layers\": [",
                            type, config_type, config_size, config_digest);
  }
  n_layers = MAX (n_layers, 1);
  for (guint i = 0; i < n_layers; i++)
    {
      guint64 layer_size = i + 1 < n_layers ? remaining / (2u << i) : remaining;
      g_autofree char *digest = NULL;

      g_snprintf (seed_text, sizeof seed_text, "layer-%" G_GUINT64_FORMAT "-%u", seed, i);
      digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, seed_text, -1);
      remaining -= layer_size;
      g_string_append_printf (s,
                              "%s\n      {\n         \"mediaType\": \"%s\",\n"
                              "         \"size\": %" G_GUINT64_FORMAT ",\n         \"digest\": \"sha256:%s\"\n      }",
                              i > 0 ? "," : "", layer_type, layer_size, digest);
    }
  g_string_append (s, "\n   ]\n}");
  return g_string_free (s, FALSE);
}

static gboolean
is_index_type (const char *media_type)
{
  return g_str_equal (media_type, MT_DOCKER_LIST) || g_str_equal (media_type, MT_OCI_INDEX);
}

static gboolean
scan_on_push_for (SbRegistry *registry,
                  SbRepo     *repo)
{
  JsonArray *rules = json_node_get_array (registry->scan_rules);

  if (json_array_get_length (rules) == 0)
    return repo->scan_on_push;
  for (guint i = 0; i < json_array_get_length (rules); i++)
    {
      JsonObject *rule = json_array_get_object_element (rules, i);
      const char *frequency = json_object_get_string_member_with_default (rule, "scanFrequency", "");
      JsonArray *filters = json_object_get_array_member (rule, "repositoryFilters");

      if (g_str_equal (frequency, "MANUAL"))
        continue;
      for (guint k = 0; filters && k < json_array_get_length (filters); k++)
        {
          JsonObject *f = json_array_get_object_element (filters, k);

          if (sb_wildcard_match (json_object_get_string_member_with_default (f, "filter", ""),
                                 repo->name))
            return TRUE;
        }
    }
  return FALSE;
}

static gboolean
manifest_size_member (JsonObject *o,
                      guint64    *size)
{
  JsonNode *node = json_object_get_member (o, "size");

  if (!node || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
      || json_node_get_int (node) < 0)
    return FALSE;
  *size += json_node_get_int (node);
  return TRUE;
}

SbImage *
sb_put_image (SbCall     *call,
              SbRepo     *repo,
              const char *manifest,
              const char *media_type,
              const char *tag,
              const char *expected_digest)
{
  static const char *const supported[] = {
    MT_DOCKER_V1, MT_DOCKER_V1_JWS, MT_DOCKER_V2, MT_DOCKER_LIST, MT_OCI_MANIFEST, MT_OCI_INDEX,
    NULL
  };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) children = NULL;
  g_autofree char *hex = NULL;
  g_autofree char *digest = NULL;
  const char *manifest_type = NULL, *artifact_type = NULL;
  JsonObject *m;
  JsonNode *node;
  guint64 size = 0;
  SbImage *image, *holder;

  if (tag && !wharf_ecr_validate_image_tag (tag, NULL))
    {
      sb_call_fail (call, "InvalidParameterException",
                    "Invalid parameter at 'imageTag' failed to satisfy constraint: 'must be 1 "
                    "to 300 characters of letters, digits, _ . and -, not starting with . or -'");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, manifest, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      sb_call_fail (call, "InvalidParameterException",
                    "Invalid parameter at 'ImageManifest' failed to satisfy constraint: "
                    "'Invalid JSON syntax'");
      return NULL;
    }
  m = json_node_get_object (json_parser_get_root (parser));
  node = json_object_get_member (m, "mediaType");
  if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    manifest_type = json_node_get_string (node);
  if (manifest_type && media_type && !g_str_equal (manifest_type, media_type))
    {
      sb_call_fail (call, "InvalidParameterException",
                    "Invalid parameter at 'imageManifestMediaType' failed to satisfy "
                    "constraint: 'The media type %s does not match the manifest's mediaType %s'",
                    media_type, manifest_type);
      return NULL;
    }
  if (!manifest_type)
    manifest_type = media_type;
  if (!manifest_type && json_object_get_int_member_with_default (m, "schemaVersion", 0) == 1)
    manifest_type = MT_DOCKER_V1_JWS;
  if (!manifest_type)
    {
      sb_call_fail (call, "InvalidParameterException",
                    "Invalid parameter at 'imageManifestMediaType' failed to satisfy "
                    "constraint: 'The manifest has no mediaType; imageManifestMediaType is "
                    "required'");
      return NULL;
    }
  if (!g_strv_contains (supported, manifest_type))
    {
      sb_call_fail (call, "InvalidParameterException",
                    "Invalid parameter at 'imageManifestMediaType' failed to satisfy "
                    "constraint: 'Unsupported manifest media type %s'", manifest_type);
      return NULL;
    }

  hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, manifest, -1);
  digest = g_strconcat ("sha256:", hex, NULL);
  if (expected_digest && !g_str_equal (expected_digest, digest))
    {
      sb_call_fail (call, "ImageDigestDoesNotMatchException",
                    "The digest %s does not match the digest %s of the image manifest",
                    expected_digest, digest);
      return NULL;
    }

  if (is_index_type (manifest_type))
    {
      JsonArray *manifests = NULL;
      GString *missing = g_string_new (NULL);

      node = json_object_get_member (m, "manifests");
      if (node && JSON_NODE_HOLDS_ARRAY (node))
        manifests = json_node_get_array (node);
      if (!manifests)
        {
          g_string_free (missing, TRUE);
          sb_call_fail (call, "InvalidParameterException",
                        "Invalid parameter at 'ImageManifest' failed to satisfy constraint: "
                        "'An image index must have a manifests list'");
          return NULL;
        }
      children = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < json_array_get_length (manifests); i++)
        {
          JsonNode *cn = json_array_get_element (manifests, i);
          const char *cd = NULL;
          SbImage *child;

          if (JSON_NODE_HOLDS_OBJECT (cn))
            cd = json_object_get_string_member_with_default (json_node_get_object (cn), "digest", NULL);
          if (!cd || !valid_digest (cd))
            {
              g_string_free (missing, TRUE);
              sb_call_fail (call, "InvalidParameterException",
                            "Invalid parameter at 'ImageManifest' failed to satisfy "
                            "constraint: 'Invalid digest in manifests[%u]'", i);
              return NULL;
            }
          child = g_hash_table_lookup (repo->by_digest, cd);
          if (!child)
            g_string_append_printf (missing, "%s%s", missing->len ? ", " : "", cd);
          else
            size += child->size;
          g_ptr_array_add (children, g_strdup (cd));
        }
      if (missing->len > 0)
        {
          sb_call_fail (call, "ReferencedImagesNotFoundException",
                        "The following images referenced in the manifest list were not found: "
                        "[%s]", missing->str);
          g_string_free (missing, TRUE);
          return NULL;
        }
      g_string_free (missing, TRUE);
    }
  else if (!g_str_has_prefix (manifest_type, MT_DOCKER_V1_JWS)
           && !g_str_equal (manifest_type, MT_DOCKER_V1))
    {
      JsonObject *config = NULL;
      JsonArray *layers = NULL;

      node = json_object_get_member (m, "config");
      if (node && JSON_NODE_HOLDS_OBJECT (node))
        config = json_node_get_object (node);
      node = json_object_get_member (m, "layers");
      if (node && JSON_NODE_HOLDS_ARRAY (node))
        layers = json_node_get_array (node);
      if (!config || !layers || !manifest_size_member (config, &size))
        {
          sb_call_fail (call, "InvalidParameterException",
                        "Invalid parameter at 'ImageManifest' failed to satisfy constraint: "
                        "'An image manifest must have a config with a size and a layers list'");
          return NULL;
        }
      artifact_type = json_object_get_string_member_with_default (config, "mediaType", NULL);
      for (guint i = 0; i < json_array_get_length (layers); i++)
        {
          JsonNode *ln = json_array_get_element (layers, i);

          if (!JSON_NODE_HOLDS_OBJECT (ln) || !manifest_size_member (json_node_get_object (ln), &size))
            {
              sb_call_fail (call, "InvalidParameterException",
                            "Invalid parameter at 'ImageManifest' failed to satisfy "
                            "constraint: 'layers[%u] has no valid size'", i);
              return NULL;
            }
        }
    }

  image = g_hash_table_lookup (repo->by_digest, digest);
  holder = tag ? g_hash_table_lookup (repo->by_tag, tag) : NULL;
  if (image && (!tag || holder == image))
    {
      if (tag)
        sb_call_fail (call, "ImageAlreadyExistsException",
                      "Image with digest '%s' and tag '%s' already exists in the repository "
                      "with name '%s' in registry with id '%s'",
                      digest, tag, repo->name, call->registry->account);
      else
        sb_call_fail (call, "ImageAlreadyExistsException",
                      "Image with digest '%s' already exists in the repository with name '%s' "
                      "in registry with id '%s'", digest, repo->name, call->registry->account);
      return NULL;
    }
  if (holder && sb_repo_tag_is_immutable (repo, tag))
    {
      sb_call_fail (call, "ImageTagAlreadyExistsException",
                    "The image tag '%s' already exists in the '%s' repository and cannot be "
                    "overwritten because the tag is immutable.", tag, repo->name);
      return NULL;
    }

  if (!image)
    {
      image = sb_repo_insert_image (repo, digest, manifest, manifest_type, artifact_type, size,
                                    children, call->now);
      if (!children && scan_on_push_for (call->registry, repo))
        image->scan_started = call->now;
    }
  if (tag)
    sb_repo_attach_tag (repo, image, tag);
  call->changed = TRUE;
  return image;
}

JsonObject *
op_put_image (SbCall     *call,
              JsonObject *in)
{
  const char *manifest, *media_type, *tag, *digest;
  JsonObject *out, *img;
  SbImage *image;
  SbRepo *repo;

  if (!(repo = in_repo (call, in))
      || !in_string (call, in, "imageManifest", TRUE, &manifest)
      || !check_length (call, "imageManifest", manifest, 1, 4194304)
      || !in_string (call, in, "imageManifestMediaType", FALSE, &media_type)
      || !in_string (call, in, "imageTag", FALSE, &tag)
      || !check_length (call, "imageTag", tag, 1, 300)
      || !in_string (call, in, "imageDigest", FALSE, &digest))
    return NULL;
  if (!sb_layers_check_put_image (call, repo, manifest))
    return NULL;
  image = sb_put_image (call, repo, manifest, media_type, tag, digest);
  if (!image)
    return NULL;
  out = json_object_new ();
  img = json_object_new ();
  set_common (img, call, repo);
  json_object_set_object_member (img, "imageId", image_id_json (image->digest, tag));
  json_object_set_string_member (img, "imageManifest", image->manifest);
  json_object_set_string_member (img, "imageManifestMediaType", image->media_type);
  json_object_set_object_member (out, "image", img);
  return out;
}

JsonObject *
op_batch_get_image (SbCall     *call,
                    JsonObject *in)
{
  JsonArray *ids, *accepted, *images, *failures;
  JsonObject *out;
  SbRepo *repo;

  if (!(repo = in_repo (call, in))
      || !in_array (call, in, "imageIds", TRUE, 1, 100, &ids)
      || !in_array (call, in, "acceptedMediaTypes", FALSE, 1, 100, &accepted)
      || !check_image_ids (call, ids))
    return NULL;

  out = json_object_new ();
  images = json_array_new ();
  failures = json_array_new ();
  for (guint i = 0; i < json_array_get_length (ids); i++)
    {
      const char *d, *t, *code = NULL, *reason = NULL;
      SbImage *image = resolve_image_id_at (repo, ids, i, &d, &t, &code, &reason);
      gboolean ok_type = TRUE;
      JsonObject *img;

      if (image && accepted)
        {
          ok_type = FALSE;
          for (guint k = 0; k < json_array_get_length (accepted) && !ok_type; k++)
            {
              JsonNode *n = json_array_get_element (accepted, k);

              ok_type = JSON_NODE_HOLDS_VALUE (n)
                        && json_node_get_value_type (n) == G_TYPE_STRING
                        && g_str_equal (json_node_get_string (n), image->media_type);
            }
          if (!ok_type)
            {
              code = "ImageNotFound";
              reason = "Requested image not found in any of the accepted media types";
            }
        }
      if (!image || !ok_type)
        {
          add_failure (failures, d, t, code, reason);
          continue;
        }
      img = json_object_new ();
      set_common (img, call, repo);
      json_object_set_object_member (img, "imageId", image_id_json (image->digest, t));
      json_object_set_string_member (img, "imageManifest", image->manifest);
      json_object_set_string_member (img, "imageManifestMediaType", image->media_type);
      json_array_add_object_element (images, img);
      image->last_pull = call->now;
      call->changed = TRUE;
    }
  json_object_set_array_member (out, "images", images);
  json_object_set_array_member (out, "failures", failures);
  return out;
}

JsonObject *
op_list_images (SbCall     *call,
                JsonObject *in)
{
  g_autofree char *scope = NULL;
  const char *tag_status, *image_status;
  JsonArray *list;
  JsonObject *out;
  gint64 page_size;
  gboolean has_token, active;
  guint64 a, b;
  SbRepo *repo;
  guint n = 0;

  if (!(repo = in_repo (call, in)) || !in_filter (call, in, &tag_status, &image_status))
    return NULL;
  scope = g_strdup_printf ("ListImages\n%s\n%s\n%s", repo->name, tag_status, image_status);
  if (!in_paging (call, in, scope, 1000, FALSE, NULL, &page_size, &has_token, &a, &b))
    return NULL;

  /* every stored image is ACTIVE */
  active = g_str_equal (image_status, "ACTIVE") || g_str_equal (image_status, "ANY");
  out = json_object_new ();
  list = json_array_new ();
  for (guint i = has_token ? image_lower_bound (repo, a) : 0; active && i < repo->images->len; i++)
    {
      SbImage *image = repo->images->pdata[i];
      guint first = (has_token && image->seq == a) ? (guint) b : 0;

      if (!tag_status_matches (tag_status, image))
        continue;
      if (image->tags->len == 0)
        {
          if (n == page_size)
            {
              set_take_string (out, "nextToken", token_make (call, scope, image->seq, 0));
              break;
            }
          json_array_add_object_element (list, image_id_json (image->digest, NULL));
          n++;
          continue;
        }
      for (guint t = first; t < image->tags->len; t++)
        {
          if (n == page_size)
            {
              set_take_string (out, "nextToken", token_make (call, scope, image->seq, t));
              goto done;
            }
          json_array_add_object_element (list, image_id_json (image->digest, image->tags->pdata[t]));
          n++;
        }
    }
done:
  json_object_set_array_member (out, "imageIds", list);
  return out;
}

static JsonObject *
image_detail_json (SbCall  *call,
                   SbRepo  *repo,
                   SbImage *image)
{
  JsonObject *o = json_object_new ();
  const char *status;

  set_common (o, call, repo);
  json_object_set_string_member (o, "imageDigest", image->digest);
  if (image->tags->len > 0)
    json_object_set_array_member (o, "imageTags", tags_array (image->tags));
  json_object_set_int_member (o, "imageSizeInBytes", image->size);
  json_object_set_member (o, "imagePushedAt", ts (image->pushed_at));
  status = sb_scan_status (image, call->now);
  if (status)
    {
      json_object_set_object_member (o, "imageScanStatus", image_scan_status_json (status));
      if (g_str_equal (status, "COMPLETE"))
        {
          g_autoptr(GPtrArray) findings = sb_scan_findings (image->digest);
          JsonObject *summary = json_object_new ();

          json_object_set_member (summary, "imageScanCompletedAt",
                                  ts (image->scan_started + SB_SCAN_DURATION));
          json_object_set_member (summary, "vulnerabilitySourceUpdatedAt",
                                  ts (image->scan_started - 6 * G_TIME_SPAN_HOUR));
          json_object_set_object_member (summary, "findingSeverityCounts",
                                         sb_severity_counts (findings));
          json_object_set_object_member (o, "imageScanFindingsSummary", summary);
        }
    }
  json_object_set_string_member (o, "imageManifestMediaType", image->media_type);
  if (image->artifact_media_type)
    json_object_set_string_member (o, "artifactMediaType", image->artifact_media_type);
  if (image->last_pull)
    json_object_set_member (o, "lastRecordedPullTime", ts (image->last_pull));
  json_object_set_string_member (o, "imageStatus", "ACTIVE");
  return o;
}

JsonObject *
op_describe_images (SbCall     *call,
                    JsonObject *in)
{
  g_autofree char *scope = NULL;
  const char *tag_status, *image_status;
  JsonArray *ids, *list;
  JsonObject *out;
  gint64 page_size;
  gboolean has_token, active;
  guint64 a, b;
  SbRepo *repo;

  if (!(repo = in_repo (call, in))
      || !in_array (call, in, "imageIds", FALSE, 1, 100, &ids)
      || !in_filter (call, in, &tag_status, &image_status))
    return NULL;
  scope = g_strdup_printf ("DescribeImages\n%s\n%s\n%s", repo->name, tag_status, image_status);
  if (!in_paging (call, in, scope, 1000, ids != NULL, "imageIds", &page_size, &has_token, &a, &b))
    return NULL;

  out = json_object_new ();
  list = json_array_new ();
  json_object_set_array_member (out, "imageDetails", list);
  if (ids)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

      for (guint i = 0; i < json_array_get_length (ids); i++)
        {
          const char *d, *t;
          SbImage *image;

          if (!in_image_id (call, json_array_get_element (ids, i), &d, &t)
              || !(image = need_image (call, repo, "imageIds", d, t)))
            goto fail;
          if (g_hash_table_add (seen, image))
            json_array_add_object_element (list, image_detail_json (call, repo, image));
        }
      return out;
    }

  active = g_str_equal (image_status, "ACTIVE") || g_str_equal (image_status, "ANY");
  for (guint i = has_token ? image_lower_bound (repo, a) : 0; active && i < repo->images->len; i++)
    {
      SbImage *image = repo->images->pdata[i];

      if (!tag_status_matches (tag_status, image))
        continue;
      if (json_array_get_length (list) == (guint) page_size)
        {
          set_take_string (out, "nextToken", token_make (call, scope, image->seq, 0));
          break;
        }
      json_array_add_object_element (list, image_detail_json (call, repo, image));
    }
  return out;

fail:
  json_object_unref (out);
  return NULL;
}

JsonObject *
op_batch_delete_image (SbCall     *call,
                       JsonObject *in)
{
  JsonArray *ids, *deleted, *failures;
  JsonObject *out;
  SbRepo *repo;

  if (!(repo = in_repo (call, in))
      || !in_array (call, in, "imageIds", TRUE, 1, 100, &ids)
      || !check_image_ids (call, ids))
    return NULL;

  out = json_object_new ();
  deleted = json_array_new ();
  failures = json_array_new ();
  for (guint i = 0; i < json_array_get_length (ids); i++)
    {
      const char *d, *t, *code = NULL, *reason = NULL;
      SbImage *image = resolve_image_id_at (repo, ids, i, &d, &t, &code, &reason);
      gboolean removes_image;

      if (!image)
        {
          add_failure (failures, d, t, code, reason);
          continue;
        }
      removes_image = !t || image->tags->len <= 1;
      if (removes_image && image->n_parents > 0)
        {
          add_failure (failures, d, t, "ImageReferencedByManifestList",
                       "Requested image is referenced by an image index in this repository");
          continue;
        }
      if (!removes_image)
        {
          sb_repo_untag (repo, image, t);
          json_array_add_object_element (deleted, image_id_json (image->digest, t));
        }
      else
        {
          if (image->tags->len == 0)
            json_array_add_object_element (deleted, image_id_json (image->digest, NULL));
          for (guint k = 0; k < image->tags->len; k++)
            json_array_add_object_element (deleted, image_id_json (image->digest, image->tags->pdata[k]));
          sb_repo_remove_image (repo, image);
        }
      call->changed = TRUE;
    }
  json_object_set_array_member (out, "imageIds", deleted);
  json_object_set_array_member (out, "failures", failures);
  if (call->changed && call->sandbox)
    sb_dist_collect_garbage (call->sandbox);
  return out;
}
