/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ECR's layer operations (InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload,
 * BatchCheckLayerAvailability, GetDownloadUrlForLayer) on the blob store and the upload
 * sessions the registry protocol uses, so a layer uploaded one way is seen the other.
 */
#define G_LOG_DOMAIN "wharf-sandbox-layers"

#include "config.h"

#include <string.h>

#include "wharf-ecr-validate.h"
#include "wharf-sandbox-registry-private.h"

static JsonNode *
member (SbCall      *call,
        JsonObject  *in,
        const char  *name,
        gboolean     required,
        JsonNodeType type,
        GType        value_type,
        const char  *type_name,
        gboolean    *ok)
{
  JsonNode *node = in ? json_object_get_member (in, name) : NULL;

  *ok = TRUE;
  if (!node || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        {
          sb_call_fail (call, "ValidationException",
                        "1 validation error detected: Value null at '%s' failed to satisfy "
                        "constraint: Member must not be null", name);
          *ok = FALSE;
        }
      return NULL;
    }
  if (JSON_NODE_TYPE (node) != type
      || (type == JSON_NODE_VALUE && json_node_get_value_type (node) != value_type))
    {
      sb_call_fail (call, "SerializationException",
                    "Cannot deserialize '%s': the value can not be converted to %s",
                    name, type_name);
      *ok = FALSE;
      return NULL;
    }
  return node;
}

static gboolean
in_string (SbCall      *call,
           JsonObject  *in,
           const char  *name,
           gboolean     required,
           const char **out)
{
  gboolean ok;
  JsonNode *node = member (call, in, name, required, JSON_NODE_VALUE, G_TYPE_STRING, "a String",
                           &ok);

  *out = node ? json_node_get_string (node) : NULL;
  return ok;
}

static gboolean
in_long (SbCall     *call,
         JsonObject *in,
         const char *name,
         gint64     *out)
{
  gboolean ok;
  JsonNode *node = member (call, in, name, TRUE, JSON_NODE_VALUE, G_TYPE_INT64, "a Long", &ok);

  if (!ok)
    return FALSE;
  *out = json_node_get_int (node);
  if (*out < 0)
    {
      sb_call_fail (call, "InvalidParameterException",
                    "Invalid parameter at '%s' failed to satisfy constraint: 'Member must have "
                    "value greater than or equal to 0'", name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
in_digest_list (SbCall      *call,
                JsonObject  *in,
                JsonArray  **out)
{
  gboolean ok;
  JsonNode *node = member (call, in, "layerDigests", TRUE, JSON_NODE_ARRAY, G_TYPE_INVALID,
                           "a List", &ok);
  JsonArray *list;

  if (!ok)
    return FALSE;
  list = json_node_get_array (node);
  if (json_array_get_length (list) < 1 || json_array_get_length (list) > 100)
    {
      sb_call_fail (call, "InvalidParameterException",
                    "Invalid parameter at 'layerDigests' failed to satisfy constraint: 'Member "
                    "must have length between 1 and 100'");
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *e = json_array_get_element (list, i);

      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
        {
          sb_call_fail (call, "SerializationException",
                        "Cannot deserialize 'layerDigests': the value can not be converted to "
                        "a String");
          return FALSE;
        }
    }
  *out = list;
  return TRUE;
}

static SbRepo *
in_repo (SbCall     *call,
         JsonObject *in)
{
  const char *name, *registry_id;
  SbRepo *repo;

  if (!in_string (call, in, "repositoryName", TRUE, &name)
      || !in_string (call, in, "registryId", FALSE, &registry_id))
    return NULL;
  if (!wharf_ecr_validate_repository_name (name, NULL))
    {
      sb_call_fail (call, "InvalidParameterException",
                    "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must "
                    "satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+"
                    "(?:[._-][a-z0-9]+)*''");
      return NULL;
    }
  if (registry_id && !g_str_equal (registry_id, call->registry->account))
    {
      sb_call_fail (call, "AccessDeniedException",
                    "User: arn:aws:iam::%s:user/wharf-practice is not authorized to perform: "
                    "ecr:%s on resource: arn:aws:ecr:%s:%s:repository/%s",
                    call->registry->account, call->operation, call->registry->region,
                    registry_id, name);
      return NULL;
    }
  repo = g_hash_table_lookup (call->registry->by_name, name);
  if (!repo)
    sb_call_fail (call, "RepositoryNotFoundException",
                  "The repository with name '%s' does not exist in the registry with id '%s'",
                  name, call->registry->account);
  return repo;
}

static SbDist *
call_dist (SbCall *call)
{
  if (!call->sandbox)
    {
      sb_call_fail (call, "ServerException", "The layer store is not available in-process");
      return NULL;
    }
  return sb_sandbox_get_dist (call->sandbox);
}

static SbUpload *
in_upload (SbCall     *call,
           JsonObject *in,
           SbDist     *dist,
           SbRepo     *repo)
{
  const char *id;
  SbUpload *upload;

  if (!in_string (call, in, "uploadId", TRUE, &id))
    return NULL;
  upload = sb_dist_lookup_upload (dist, id, call->registry->account, call->registry->region,
                                  repo->name);
  if (!upload || !upload->writer)
    sb_call_fail (call, "UploadNotFoundException",
                  "Upload with id '%s' is not found for repository with name '%s' in registry "
                  "with id '%s'", id, repo->name, call->registry->account);
  return upload;
}

static void
set_common (JsonObject *out,
            SbCall     *call,
            SbRepo     *repo)
{
  json_object_set_string_member (out, "registryId", call->registry->account);
  json_object_set_string_member (out, "repositoryName", repo->name);
}

JsonObject *
sb_op_initiate_layer_upload (SbCall     *call,
                             JsonObject *in)
{
  g_autoptr(GError) error = NULL;
  SbDist *dist;
  SbRepo *repo;
  SbUpload *upload;
  JsonObject *out;

  if (!(repo = in_repo (call, in)) || !(dist = call_dist (call)))
    return NULL;
  upload = sb_dist_start_upload (dist, call->registry->account, call->registry->region,
                                 repo->name, call->now, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES))
    {
      sb_call_fail (call, "LimitExceededException", "%s", error->message);
      return NULL;
    }
  if (!upload)
    {
      sb_call_fail (call, "ServerException", "%s", error->message);
      call->status = 500;
      return NULL;
    }
  out = json_object_new ();
  json_object_set_string_member (out, "uploadId", upload->uuid);
  json_object_set_int_member (out, "partSize", SB_MIN_LAYER_PART_SIZE);
  return out;
}

JsonObject *
sb_op_upload_layer_part (SbCall     *call,
                         JsonObject *in)
{
  g_autoptr(GError) error = NULL;
  g_autofree guchar *blob = NULL;
  const char *blob_text;
  gint64 first, last;
  gsize len;
  guint64 received;
  SbDist *dist;
  SbRepo *repo;
  SbUpload *upload;
  JsonObject *out;

  if (!(repo = in_repo (call, in)) || !(dist = call_dist (call))
      || !in_long (call, in, "partFirstByte", &first)
      || !in_long (call, in, "partLastByte", &last)
      || !in_string (call, in, "layerPartBlob", TRUE, &blob_text)
      || !(upload = in_upload (call, in, dist, repo)))
    return NULL;
  blob = g_base64_decode (blob_text, &len);
  received = sb_blob_writer_get_size (upload->writer);
  if (len > SB_MAX_LAYER_PART_SIZE)
    {
      sb_call_fail (call, "InvalidParameterException",
                    "Invalid parameter at 'layerPartBlob' failed to satisfy constraint: 'Member "
                    "must have length less than or equal to %" G_GUINT64_FORMAT "'",
                    SB_MAX_LAYER_PART_SIZE);
      return NULL;
    }
  if ((guint64) first != received || last < first || (guint64) (last - first + 1) != len)
    {
      sb_call_fail (call, "InvalidLayerPartException",
                    "The layer part with first byte %" G_GINT64_FORMAT " and last byte %"
                    G_GINT64_FORMAT " does not continue the upload '%s' (%" G_GUINT64_FORMAT
                    " bytes received) or does not match the part's %" G_GSIZE_FORMAT " bytes",
                    first, last, upload->uuid, received, len);
      return NULL;
    }
  if (upload->n_parts > 0 && upload->n_parts >= SB_MAX_LAYER_PARTS)
    {
      sb_call_fail (call, "LimitExceededException",
                    "The upload '%s' has reached the limit of %d layer parts",
                    upload->uuid, SB_MAX_LAYER_PARTS);
      return NULL;
    }
  if (!sb_blob_writer_write (upload->writer, blob, len, &error))
    {
      sb_call_fail (call, "InvalidLayerPartException", "%s (ECR's layer size limit)",
                    error->message);
      return NULL;
    }
  /* only the last part may be smaller than ECR's minimum part size */
  if (upload->n_parts > 0 && upload->last_part_size < SB_MIN_LAYER_PART_SIZE)
    upload->part_too_small = TRUE;
  upload->last_part_size = len;
  upload->n_parts++;
  out = json_object_new ();
  set_common (out, call, repo);
  json_object_set_string_member (out, "uploadId", upload->uuid);
  json_object_set_int_member (out, "lastByteReceived", last);
  return out;
}

JsonObject *
sb_op_complete_layer_upload (SbCall     *call,
                             JsonObject *in)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *uuid = NULL;
  const char *expected;
  JsonArray *digests;
  SbDist *dist;
  SbRepo *repo;
  SbUpload *upload;
  JsonObject *out;

  if (!(repo = in_repo (call, in)) || !(dist = call_dist (call))
      || !in_digest_list (call, in, &digests)
      || !(upload = in_upload (call, in, dist, repo)))
    return NULL;
  if (sb_blob_writer_get_size (upload->writer) == 0)
    {
      sb_call_fail (call, "EmptyUploadException",
                    "The upload with id '%s' has no layer parts", upload->uuid);
      return NULL;
    }
  if (upload->part_too_small)
    {
      sb_call_fail (call, "LayerPartTooSmallException",
                    "Layer part size must be at least %" G_GUINT64_FORMAT " bytes, except the "
                    "last part", SB_MIN_LAYER_PART_SIZE);
      return NULL;
    }
  expected = json_array_get_string_element (digests, 0);
  uuid = g_strdup (upload->uuid);
  if (!sb_blobs_digest_is_valid (expected))
    {
      sb_call_fail (call, "InvalidLayerException",
                    "The layer digest %s is not a valid sha256 digest", expected);
      return NULL;
    }
  if (sb_dist_repo_has_blob (dist, call->registry, repo, expected, NULL))
    {
      sb_dist_drop_upload (dist, uuid);
      sb_call_fail (call, "LayerAlreadyExistsException",
                    "The layer with digest '%s' already exists in the repository with name "
                    "'%s' in registry with id '%s'", expected, repo->name, call->registry->account);
      return NULL;
    }
  digest = sb_blob_writer_commit (upload->writer, expected, &error);
  sb_dist_drop_upload (dist, uuid);
  if (!digest)
    {
      sb_call_fail (call, "InvalidLayerException", "%s", error->message);
      return NULL;
    }
  sb_dist_link_blob (dist, call->registry->account, call->registry->region, repo->name, digest,
                     call->now);
  out = json_object_new ();
  set_common (out, call, repo);
  json_object_set_string_member (out, "uploadId", uuid);
  json_object_set_string_member (out, "layerDigest", digest);
  return out;
}

JsonObject *
sb_op_batch_check_layer_availability (SbCall     *call,
                                      JsonObject *in)
{
  JsonArray *digests, *layers, *failures;
  SbDist *dist;
  SbRepo *repo;
  JsonObject *out;

  if (!(repo = in_repo (call, in)) || !(dist = call_dist (call))
      || !in_digest_list (call, in, &digests))
    return NULL;
  layers = json_array_new ();
  failures = json_array_new ();
  for (guint i = 0; i < json_array_get_length (digests); i++)
    {
      const char *digest = json_array_get_string_element (digests, i);
      guint64 size;

      if (!sb_blobs_digest_is_valid (digest))
        {
          JsonObject *f = json_object_new ();

          json_object_set_string_member (f, "layerDigest", digest);
          json_object_set_string_member (f, "failureCode", "InvalidLayerDigest");
          json_object_set_string_member (f, "failureReason", "Invalid layer digest");
          json_array_add_object_element (failures, f);
        }
      else if (!sb_dist_repo_has_blob (dist, call->registry, repo, digest, &size))
        {
          JsonObject *f = json_object_new ();

          json_object_set_string_member (f, "layerDigest", digest);
          json_object_set_string_member (f, "failureCode", "MissingLayerDigest");
          json_object_set_string_member (f, "failureReason",
                                         "Could not find layer with the specified digest");
          json_array_add_object_element (failures, f);
        }
      else
        {
          JsonObject *l = json_object_new ();

          json_object_set_string_member (l, "layerDigest", digest);
          json_object_set_string_member (l, "layerAvailability", "AVAILABLE");
          json_object_set_int_member (l, "layerSize", size);
          json_object_set_string_member (l, "mediaType", "application/octet-stream");
          json_array_add_object_element (layers, l);
        }
    }
  out = json_object_new ();
  json_object_set_array_member (out, "layers", layers);
  json_object_set_array_member (out, "failures", failures);
  return out;
}

JsonObject *
sb_op_get_download_url_for_layer (SbCall     *call,
                                  JsonObject *in)
{
  g_autofree char *url = NULL;
  const char *digest;
  SbDist *dist;
  SbRepo *repo;
  JsonObject *out;

  if (!(repo = in_repo (call, in)) || !(dist = call_dist (call))
      || !in_string (call, in, "layerDigest", TRUE, &digest))
    return NULL;
  if (!sb_blobs_digest_is_valid (digest))
    {
      sb_call_fail (call, "InvalidParameterException",
                    "Invalid parameter at 'layerDigest' failed to satisfy constraint: 'must be "
                    "a sha256 digest'");
      return NULL;
    }
  if (!sb_dist_repo_has_blob (dist, call->registry, repo, digest, NULL))
    {
      sb_call_fail (call, "LayersNotFoundException",
                    "The layer with digest '%s' does not exist in the repository with name '%s' "
                    "in the registry with id '%s'", digest, repo->name, call->registry->account);
      return NULL;
    }
  url = sb_dist_download_url (call->sandbox, digest, call->now + SB_DOWNLOAD_URL_LIFETIME);
  if (!url)
    {
      sb_call_fail (call, "UnableToGetUpstreamLayerException",
                    "The sandbox does not listen on a port, so it has no download URL");
      return NULL;
    }
  out = json_object_new ();
  json_object_set_string_member (out, "downloadUrl", url);
  json_object_set_string_member (out, "layerDigest", digest);
  return out;
}

gboolean
sb_layers_check_put_image (SbCall     *call,
                           SbRepo     *repo,
                           const char *manifest)
{
  g_autoptr(GPtrArray) digests = NULL;
  g_autoptr(GString) missing = NULL;
  SbDist *dist;

  if (!call->sandbox)
    return TRUE;
  dist = sb_sandbox_get_dist (call->sandbox);
  digests = sb_dist_manifest_blobs (manifest);
  missing = g_string_new (NULL);
  for (guint i = 0; i < digests->len; i++)
    if (!sb_dist_repo_has_blob (dist, call->registry, repo, digests->pdata[i], NULL))
      g_string_append_printf (missing, "%s%s", missing->len ? ", " : "",
                              (char *) digests->pdata[i]);
  /* as ECR: every blob must exist (the seeds' synthetic images are made inside the sandbox,
   * never through PutImage) */
  if (missing->len == 0)
    return TRUE;
  sb_call_fail (call, "LayersNotFoundException",
                "The following layers referenced in the manifest were not found in the "
                "repository with name '%s' in the registry with id '%s': [%s]",
                repo->name, call->registry->account, missing->str);
  return FALSE;
}
