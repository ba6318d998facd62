/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Reading an ECR request's input as the service model describes it: a member of the wrong
 * JSON type is a SerializationException, a missing required member a ValidationException,
 * a violated constraint an InvalidParameterException, with ECR's messages.
 */
#define G_LOG_DOMAIN "wharf-sandbox-input"

#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "wharf-ecr-validate.h"
#include "wharf-sandbox-input-private.h"

void
sb_call_fail (SbCall     *call,
              const char *type,
              const char *format,
              ...)
{
  va_list args;

  if (call->error_type)
    return;
  call->error_type = g_strdup (type);
  va_start (args, format);
  call->error_message = g_strdup_vprintf (format, args);
  va_end (args);
  call->status = 400;
}

/* Input readers */

const char *
json_kind (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "START_OBJECT";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "START_ARRAY";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "VALUE_STRING";
    case G_TYPE_BOOLEAN:
      return "VALUE_BOOLEAN";
    case G_TYPE_DOUBLE:
      return "VALUE_NUMBER_FLOAT";
    default:
      return "VALUE_NUMBER_INT";
    }
}

gboolean
in_member (SbCall      *call,
           JsonObject  *in,
           const char  *name,
           gboolean     required,
           JsonNodeType type,
           GType        value_type,
           const char  *type_name,
           JsonNode   **out)
{
  JsonNode *node = in ? json_object_get_member (in, name) : NULL;

  *out = NULL;
  if (!node || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        {
          sb_call_fail (call, "ValidationException",
                        "1 validation error detected: Value null at '%s' failed to satisfy "
                        "constraint: Member must not be null", name);
          return FALSE;
        }
      return TRUE;
    }
  if (JSON_NODE_TYPE (node) != type
      || (type == JSON_NODE_VALUE && json_node_get_value_type (node) != value_type
          && !(value_type == G_TYPE_DOUBLE && json_node_get_value_type (node) == G_TYPE_INT64)))
    {
      sb_call_fail (call, "SerializationException",
                    "Cannot deserialize '%s': %s can not be converted to %s",
                    name, json_kind (node), type_name);
      return FALSE;
    }
  *out = node;
  return TRUE;
}

gboolean
in_string (SbCall      *call,
           JsonObject  *in,
           const char  *name,
           gboolean     required,
           const char **out)
{
  JsonNode *node;

  *out = NULL;
  if (!in_member (call, in, name, required, JSON_NODE_VALUE, G_TYPE_STRING, "a String", &node))
    return FALSE;
  if (node)
    *out = json_node_get_string (node);
  return TRUE;
}

gboolean
in_bool (SbCall     *call,
         JsonObject *in,
         const char *name,
         gboolean   *out,
         gboolean   *present)
{
  JsonNode *node;

  if (present)
    *present = FALSE;
  if (!in_member (call, in, name, FALSE, JSON_NODE_VALUE, G_TYPE_BOOLEAN, "a Boolean", &node))
    return FALSE;
  if (node)
    {
      *out = json_node_get_boolean (node);
      if (present)
        *present = TRUE;
    }
  return TRUE;
}

gboolean
in_array (SbCall     *call,
          JsonObject *in,
          const char *name,
          gboolean    required,
          guint       min,
          guint       max,
          JsonArray **out)
{
  JsonNode *node;
  guint len;

  *out = NULL;
  if (!in_member (call, in, name, required, JSON_NODE_ARRAY, G_TYPE_INVALID, "a List", &node))
    return FALSE;
  if (!node)
    return TRUE;
  len = json_array_get_length (json_node_get_array (node));
  if (len < min || len > max)
    {
      sb_call_fail (call, "InvalidParameterException",
                    "Invalid parameter at '%s' failed to satisfy constraint: 'Member must "
                    "have length between %u and %u inclusive'", name, min, max);
      return FALSE;
    }
  *out = json_node_get_array (node);
  return TRUE;
}

gboolean
in_object (SbCall      *call,
           JsonObject  *in,
           const char  *name,
           gboolean     required,
           JsonObject **out)
{
  JsonNode *node;

  *out = NULL;
  if (!in_member (call, in, name, required, JSON_NODE_OBJECT, G_TYPE_INVALID, "a Structure", &node))
    return FALSE;
  if (node)
    *out = json_node_get_object (node);
  return TRUE;
}

/* An integer member within [min, max]; *out keeps its value when absent. */
gboolean
in_int (SbCall     *call,
        JsonObject *in,
        const char *name,
        gint64      min,
        gint64      max,
        gint64     *out,
        gboolean   *present)
{
  JsonNode *node = in ? json_object_get_member (in, name) : NULL;
  gint64 v;

  if (present)
    *present = FALSE;
  if (!node || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      sb_call_fail (call, "SerializationException",
                    "Cannot deserialize '%s': %s can not be converted to an Integer",
                    name, json_kind (node));
      return FALSE;
    }
  v = json_node_get_int (node);
  if (v < min || v > max)
    {
      sb_call_fail (call, "InvalidParameterException",
                    "Invalid parameter at '%s' failed to satisfy constraint: 'Member must "
                    "have value %s %" G_GINT64_FORMAT "'", name,
                    v < min ? "greater than or equal to" : "less than or equal to",
                    v < min ? min : max);
      return FALSE;
    }
  *out = v;
  if (present)
    *present = TRUE;
  return TRUE;
}

gboolean
check_enum (SbCall     *call,
            const char *name,
            const char *value,
            const char *const *allowed)
{
  g_autofree char *joined = NULL;

  if (!value || g_strv_contains (allowed, value))
    return TRUE;
  joined = g_strjoinv (", ", (char **) allowed);
  sb_call_fail (call, "InvalidParameterException",
                "Invalid parameter at '%s' failed to satisfy constraint: 'Member must satisfy "
                "enum value set: [%s]'", name, joined);
  return FALSE;
}

gboolean
check_length (SbCall     *call,
              const char *name,
              const char *value,
              glong       min,
              glong       max)
{
  glong len;

  if (!value)
    return TRUE;
  len = g_utf8_strlen (value, -1);
  if (len >= min && len <= max)
    return TRUE;
  sb_call_fail (call, "InvalidParameterException",
                "Invalid parameter at '%s' failed to satisfy constraint: 'Member must have "
                "length %s %ld'", name,
                len < min ? "greater than or equal to" : "less than or equal to",
                len < min ? min : max);
  return FALSE;
}

gboolean
check_repository_name (SbCall     *call,
                       const char *member,
                       const char *name)
{
  if (!check_length (call, member, name, 2, 256))
    return FALSE;
  if (wharf_ecr_validate_repository_name (name, NULL))
    return TRUE;
  sb_call_fail (call, "InvalidParameterException",
                "Invalid parameter at '%s' failed to satisfy constraint: 'must satisfy regular "
                "expression pattern: (?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+"
                "(?:[._-][a-z0-9]+)*'", member);
  return FALSE;
}

gboolean
check_registry_id (SbCall     *call,
                   JsonObject *in)
{
  const char *id;

  if (!in_string (call, in, "registryId", FALSE, &id))
    return FALSE;
  if (!id || g_str_equal (id, call->registry->account))
    return TRUE;
  if (strlen (id) != 12 || strspn (id, "0123456789") != 12)
    {
      sb_call_fail (call, "InvalidParameterException",
                    "Invalid parameter at 'registryId' failed to satisfy constraint: 'must "
                    "satisfy regular expression pattern: [0-9]{12}'");
      return FALSE;
    }
  sb_call_fail (call, "AccessDeniedException",
                "User: arn:aws:iam::%s:user/wharf-practice is not authorized to perform: "
                "ecr:%s on resource: arn:aws:ecr:%s:%s:repository/* because no "
                "resource-based policy allows the ecr:%s action",
                call->registry->account, call->operation, call->registry->region, id,
                call->operation);
  return FALSE;
}

gboolean
valid_digest (const char *digest)
{
  return g_str_has_prefix (digest, "sha256:") && strlen (digest) == 71
         && strspn (digest + 7, "0123456789abcdef") == 64;
}

/* Looks up the input's repository (repositoryName + registryId). */
SbRepo *
in_repo (SbCall     *call,
         JsonObject *in)
{
  const char *name;
  SbRepo *repo;

  if (!in_string (call, in, "repositoryName", TRUE, &name)
      || !check_repository_name (call, "repositoryName", name)
      || !check_registry_id (call, in))
    return NULL;
  repo = g_hash_table_lookup (call->registry->by_name, name);
  if (!repo)
    sb_call_fail (call, "RepositoryNotFoundException",
                  "The repository with name '%s' does not exist in the registry with id '%s'",
                  name, call->registry->account);
  return repo;
}

/* Reads one ImageIdentifier; returns FALSE only on a type error (call failed). */
gboolean
in_image_id (SbCall      *call,
             JsonNode    *node,
             const char **digest,
             const char **tag)
{
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      sb_call_fail (call, "SerializationException",
                    "Cannot deserialize 'imageIds': %s can not be converted to an "
                    "ImageIdentifier", json_kind (node));
      return FALSE;
    }
  return in_string (call, json_node_get_object (node), "imageDigest", FALSE, digest)
         && in_string (call, json_node_get_object (node), "imageTag", FALSE, tag);
}

/* Resolves an image id; on failure returns NULL with an ImageFailure code and reason. */
SbImage *
resolve_image_id (SbRepo      *repo,
                  const char  *digest,
                  const char  *tag,
                  const char **code,
                  const char **reason)
{
  SbImage *image;

  if (!digest && !tag)
    {
      *code = "MissingDigestAndTag";
      *reason = "Invalid request parameters: both tag and digest cannot be null";
      return NULL;
    }
  if (digest && !valid_digest (digest))
    {
      *code = "InvalidImageDigest";
      *reason = "Invalid image digest";
      return NULL;
    }
  if (tag && (strlen (tag) > 300 || !wharf_ecr_validate_image_tag (tag, NULL)))
    {
      *code = "InvalidImageTag";
      *reason = "Invalid image tag";
      return NULL;
    }
  image = digest ? g_hash_table_lookup (repo->by_digest, digest)
                 : g_hash_table_lookup (repo->by_tag, tag);
  if (image && digest && tag && g_hash_table_lookup (repo->by_tag, tag) != image)
    {
      *code = "ImageTagDoesNotMatchDigest";
      *reason = "Invalid request parameters: image tag does not match digest";
      return NULL;
    }
  if (!image)
    {
      *code = "ImageNotFound";
      *reason = "Requested image not found";
    }
  return image;
}

char *
image_id_text (const char *digest,
               const char *tag)
{
  return g_strdup_printf ("{imageDigest:'%s', imageTag:'%s'}",
                          digest ? digest : "null", tag ? tag : "null");
}

SbImage *
resolve_image_id_at (SbRepo      *repo,
                     JsonArray   *ids,
                     guint        index,
                     const char **digest,
                     const char **tag,
                     const char **code,
                     const char **reason)
{
  JsonObject *id = json_array_get_object_element (ids, index);

  *digest = json_object_get_string_member_with_default (id, "imageDigest", NULL);
  *tag = json_object_get_string_member_with_default (id, "imageTag", NULL);
  return resolve_image_id (repo, *digest, *tag, code, reason);
}

gboolean
check_image_ids (SbCall    *call,
                 JsonArray *ids)
{
  for (guint i = 0; i < json_array_get_length (ids); i++)
    {
      const char *d, *t;

      if (!in_image_id (call, json_array_get_element (ids, i), &d, &t))
        return FALSE;
    }
  return TRUE;
}

SbImage *
need_image (SbCall     *call,
            SbRepo     *repo,
            const char *member,
            const char *digest,
            const char *tag)
{
  const char *code = NULL, *reason = NULL;
  g_autofree char *id_text = NULL;
  SbImage *image = resolve_image_id (repo, digest, tag, &code, &reason);

  if (image)
    return image;
  id_text = image_id_text (digest, tag);
  if (g_str_equal (code, "ImageNotFound") || g_str_equal (code, "ImageTagDoesNotMatchDigest"))
    sb_call_fail (call, "ImageNotFoundException",
                  "The image with imageId %s does not exist within the repository with name "
                  "'%s' in the registry with id '%s'",
                  id_text, repo->name, call->registry->account);
  else
    sb_call_fail (call, "InvalidParameterException",
                  "Invalid parameter at '%s' failed to satisfy constraint: '%s'", member, reason);
  return NULL;
}

static const char *const tag_status_values[] = { "TAGGED", "UNTAGGED", "ANY", NULL };
static const char *const image_status_values[] = { "ACTIVE", "ARCHIVED", "ACTIVATING", "ANY", NULL };

gboolean
in_filter (SbCall      *call,
           JsonObject  *in,
           const char **tag_status,
           const char **image_status)
{
  JsonObject *filter;

  *tag_status = "ANY";
  if (image_status)
    *image_status = "ANY";
  if (!in_object (call, in, "filter", FALSE, &filter))
    return FALSE;
  if (!filter)
    return TRUE;
  if (!in_string (call, filter, "tagStatus", FALSE, tag_status)
      || !check_enum (call, "tagStatus", *tag_status, tag_status_values))
    return FALSE;
  if (!*tag_status)
    *tag_status = "ANY";
  if (image_status)
    {
      if (!in_string (call, filter, "imageStatus", FALSE, image_status)
          || !check_enum (call, "imageStatus", *image_status, image_status_values))
        return FALSE;
      if (!*image_status)
        *image_status = "ANY";
    }
  return TRUE;
}

gboolean
tag_status_matches (const char *tag_status,
                    SbImage    *image)
{
  if (g_str_equal (tag_status, "TAGGED"))
    return image->tags->len > 0;
  if (g_str_equal (tag_status, "UNTAGGED"))
    return image->tags->len == 0;
  return TRUE;
}
