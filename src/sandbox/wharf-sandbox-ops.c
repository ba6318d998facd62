/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The ECR operations of the sandbox. Each handler reads its input as the service model
 * describes it (type errors are SerializationException, a missing required member is
 * ValidationException, a violated constraint InvalidParameterException, as ECR answers)
 * and either returns the output object or fails the call with ECR's error and message.
 */
#define G_LOG_DOMAIN "wharf-sandbox-ops"

#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "wharf-ecr-validate.h"
#include "wharf-sandbox-private.h"
#include "wharf-sandbox-registry-private.h"

#define MT_DOCKER_V1       "application/vnd.docker.distribution.manifest.v1+json"
#define MT_DOCKER_V1_JWS   "application/vnd.docker.distribution.manifest.v1+prettyjws"
#define MT_DOCKER_V2       "application/vnd.docker.distribution.manifest.v2+json"
#define MT_DOCKER_LIST     "application/vnd.docker.distribution.manifest.list.v2+json"
#define MT_OCI_MANIFEST    "application/vnd.oci.image.manifest.v1+json"
#define MT_OCI_INDEX       "application/vnd.oci.image.index.v1+json"

#define MAX_RESOURCE_TAGS 50

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

static const char *
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

/* Returns the member or NULL when absent or null; FALSE on a type error or when a
 * required member is missing. */
static gboolean
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

static gboolean
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

static gboolean
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

static gboolean
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

static gboolean
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
static gboolean
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

static gboolean
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

static gboolean
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

static gboolean
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

static gboolean
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

static gboolean
valid_digest (const char *digest)
{
  return g_str_has_prefix (digest, "sha256:") && strlen (digest) == 71
         && strspn (digest + 7, "0123456789abcdef") == 64;
}

/* Looks up the input's repository (repositoryName + registryId). */
static SbRepo *
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

/* Output helpers */

static void
set_take_string (JsonObject *o,
                 const char *name,
                 char       *value)
{
  json_object_set_string_member (o, name, value);
  g_free (value);
}

static JsonNode *
ts (gint64 usec)
{
  return json_node_init_double (json_node_alloc (), usec / (double) G_USEC_PER_SEC);
}

static JsonObject *
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

static char *
image_id_text (const char *digest,
               const char *tag)
{
  return g_strdup_printf ("{imageDigest:'%s', imageTag:'%s'}",
                          digest ? digest : "null", tag ? tag : "null");
}

static void
set_common (JsonObject *out,
            SbCall     *call,
            SbRepo     *repo)
{
  json_object_set_string_member (out, "registryId", call->registry->account);
  json_object_set_string_member (out, "repositoryName", repo->name);
}

static JsonArray *
tags_array (GPtrArray *tags)
{
  JsonArray *a = json_array_new ();

  for (guint i = 0; i < tags->len; i++)
    json_array_add_string_element (a, tags->pdata[i]);
  return a;
}

/* Pagination tokens: opaque, bound to the request they continue (operation, repository,
 * filter) by an HMAC with the sandbox's token key. */

static char *
token_mac (SbCall     *call,
           const char *scope,
           const char *position)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, call->token_key, 32);
  g_autofree char *hex = NULL;

  g_hmac_update (hmac, (const guchar *) scope, -1);
  g_hmac_update (hmac, (const guchar *) "\n", 1);
  g_hmac_update (hmac, (const guchar *) position, -1);
  hex = g_strdup (g_hmac_get_string (hmac));
  hex[32] = '\0';
  return g_steal_pointer (&hex);
}

static char *
token_make (SbCall     *call,
            const char *scope,
            guint64     a,
            guint64     b)
{
  g_autofree char *position = g_strdup_printf ("%" G_GUINT64_FORMAT ".%" G_GUINT64_FORMAT, a, b);
  g_autofree char *mac = token_mac (call, scope, position);
  g_autofree char *raw = g_strdup_printf ("v1.%s.%s", position, mac);

  return g_base64_encode ((const guchar *) raw, strlen (raw));
}

static gboolean
token_parse (SbCall     *call,
             const char *scope,
             const char *token,
             guint64    *a,
             guint64    *b)
{
  gsize len = 0;
  g_autofree guchar *raw = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *position = NULL;
  g_autofree char *mac = NULL;

  raw = g_base64_decode (token, &len);
  if (raw && len > 0 && len < 200)
    {
      text = g_strndup ((const char *) raw, len);
      parts = g_strsplit (text, ".", -1);
    }
  if (!parts || g_strv_length (parts) != 4 || !g_str_equal (parts[0], "v1")
      || parts[1][0] == '\0' || strspn (parts[1], "0123456789") != strlen (parts[1])
      || parts[2][0] == '\0' || strspn (parts[2], "0123456789") != strlen (parts[2]))
    goto bad;
  position = g_strdup_printf ("%s.%s", parts[1], parts[2]);
  mac = token_mac (call, scope, position);
  if (!g_str_equal (mac, parts[3]))
    goto bad;
  *a = g_ascii_strtoull (parts[1], NULL, 10);
  *b = g_ascii_strtoull (parts[2], NULL, 10);
  return TRUE;

bad:
  sb_call_fail (call, "InvalidParameterException",
                "Invalid parameter at 'nextToken' failed to satisfy constraint: 'The "
                "nextToken is not valid for this request'");
  return FALSE;
}

/* Reads maxResults/nextToken. @has_ids: the request names items, which excludes paging. */
static gboolean
in_paging (SbCall     *call,
           JsonObject *in,
           const char *scope,
           gint64      max,
           gboolean    has_ids,
           const char *ids_member,
           gint64     *page_size,
           gboolean   *has_token,
           guint64    *a,
           guint64    *b)
{
  const char *token;
  gboolean has_max = FALSE;

  *page_size = 100;
  *has_token = FALSE;
  *a = *b = 0;
  if (!in_int (call, in, "maxResults", 1, max, page_size, &has_max)
      || !in_string (call, in, "nextToken", FALSE, &token))
    return FALSE;
  if (has_ids && (has_max || token))
    {
      sb_call_fail (call, "InvalidParameterException",
                    "Invalid parameter at '%s' failed to satisfy constraint: 'maxResults and "
                    "nextToken cannot be used together with %s'", ids_member, ids_member);
      return FALSE;
    }
  if (token)
    {
      if (!token_parse (call, scope, token, a, b))
        return FALSE;
      *has_token = TRUE;
    }
  return TRUE;
}

/* Index of the first image with seq >= @seq. */
static guint
image_lower_bound (SbRepo  *repo,
                   guint64  seq)
{
  guint lo = 0, hi = repo->images->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (((SbImage *) repo->images->pdata[mid])->seq < seq)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static guint
repo_lower_bound (SbRegistry *registry,
                  guint64     seq)
{
  guint lo = 0, hi = registry->repos->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (((SbRepo *) registry->repos->pdata[mid])->seq < seq)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* Resource tags */

static gboolean
in_resource_tags (SbCall     *call,
                  JsonObject *in,
                  gboolean    required,
                  GPtrArray  *keys,
                  GPtrArray  *values)
{
  JsonArray *tags;

  if (!in_array (call, in, "tags", required, 0, G_MAXUINT, &tags))
    return FALSE;
  for (guint i = 0; tags && i < json_array_get_length (tags); i++)
    {
      JsonNode *node = json_array_get_element (tags, i);
      JsonObject *tag;
      const char *key, *value;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          sb_call_fail (call, "SerializationException",
                        "Cannot deserialize 'tags': %s can not be converted to a Tag",
                        json_kind (node));
          return FALSE;
        }
      tag = json_node_get_object (node);
      if (!in_string (call, tag, "Key", TRUE, &key) || !in_string (call, tag, "Value", TRUE, &value))
        return FALSE;
      if (g_str_has_prefix (key, "aws:"))
        {
          sb_call_fail (call, "InvalidTagParameterException",
                        "Invalid parameter at 'tags' failed to satisfy constraint: 'Tag keys "
                        "cannot start with the reserved prefix aws:'");
          return FALSE;
        }
      if (!wharf_ecr_validate_resource_tag_key (key, NULL))
        {
          sb_call_fail (call, "InvalidTagParameterException",
                        "Invalid parameter at 'tags' failed to satisfy constraint: 'Tag key "
                        "'%s' must be 1 to 128 characters of letters, digits, spaces and "
                        "_ . : / = + - @'", key);
          return FALSE;
        }
      if (!wharf_ecr_validate_resource_tag_value (value, NULL))
        {
          sb_call_fail (call, "InvalidTagParameterException",
                        "Invalid parameter at 'tags' failed to satisfy constraint: 'Tag value "
                        "of key '%s' must be 0 to 256 characters of letters, digits, spaces "
                        "and _ . : / = + - @'", key);
          return FALSE;
        }
      g_ptr_array_add (keys, g_strdup (key));
      g_ptr_array_add (values, g_strdup (value));
    }
  return TRUE;
}

static gboolean
merge_resource_tags (SbCall    *call,
                     SbRepo    *repo,
                     GPtrArray *keys,
                     GPtrArray *values)
{
  guint n = repo->tag_keys->len;

  /* count first: a failing request changes nothing */
  for (guint i = 0; i < keys->len; i++)
    {
      gboolean known = FALSE;

      for (guint k = 0; k < repo->tag_keys->len && !known; k++)
        known = g_str_equal (repo->tag_keys->pdata[k], keys->pdata[i]);
      for (guint j = 0; j < i && !known; j++)
        known = g_str_equal (keys->pdata[j], keys->pdata[i]);
      if (!known)
        n++;
    }
  if (n > MAX_RESOURCE_TAGS)
    {
      sb_call_fail (call, "TooManyTagsException",
                    "The repository would have %u tags; a resource can have at most %d tags",
                    n, MAX_RESOURCE_TAGS);
      return FALSE;
    }
  for (guint i = 0; i < keys->len; i++)
    {
      gboolean done = FALSE;

      for (guint k = 0; k < repo->tag_keys->len && !done; k++)
        {
          if (g_str_equal (repo->tag_keys->pdata[k], keys->pdata[i]))
            {
              g_free (repo->tag_values->pdata[k]);
              repo->tag_values->pdata[k] = g_strdup (values->pdata[i]);
              done = TRUE;
            }
        }
      if (!done)
        {
          g_ptr_array_add (repo->tag_keys, g_strdup (keys->pdata[i]));
          g_ptr_array_add (repo->tag_values, g_strdup (values->pdata[i]));
        }
    }
  return TRUE;
}

static const char *const mutability_values[] = {
  "MUTABLE", "IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION", NULL
};

/* Reads imageTagMutability + imageTagMutabilityExclusionFilters. */
static gboolean
in_mutability (SbCall      *call,
               JsonObject  *in,
               gboolean     required,
               const char **mutability,
               GPtrArray   *filters)
{
  JsonArray *list;
  gboolean with_exclusion;

  if (!in_string (call, in, "imageTagMutability", required, mutability)
      || !check_enum (call, "imageTagMutability", *mutability, mutability_values)
      || !in_array (call, in, "imageTagMutabilityExclusionFilters", FALSE, 1, 5, &list))
    return FALSE;
  with_exclusion = *mutability && g_str_has_suffix (*mutability, "_WITH_EXCLUSION");
  if (with_exclusion && !list)
    {
      sb_call_fail (call, "InvalidParameterException",
                    "Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to "
                    "satisfy constraint: 'Exclusion filters are required when "
                    "imageTagMutability is %s'", *mutability);
      return FALSE;
    }
  if (!with_exclusion && list)
    {
      sb_call_fail (call, "InvalidParameterException",
                    "Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to "
                    "satisfy constraint: 'Exclusion filters can only be used with "
                    "IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION'");
      return FALSE;
    }
  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      static const char *const types[] = { "WILDCARD", NULL };
      const char *type, *filter;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          sb_call_fail (call, "SerializationException",
                        "Cannot deserialize 'imageTagMutabilityExclusionFilters': %s can not "
                        "be converted to an ImageTagMutabilityExclusionFilter",
                        json_kind (node));
          return FALSE;
        }
      if (!in_string (call, json_node_get_object (node), "filterType", TRUE, &type)
          || !in_string (call, json_node_get_object (node), "filter", TRUE, &filter)
          || !check_enum (call, "filterType", type, types))
        return FALSE;
      if (!wharf_ecr_validate_tag_mutability_filter (filter, NULL))
        {
          sb_call_fail (call, "InvalidParameterException",
                        "Invalid parameter at 'filter' failed to satisfy constraint: 'must "
                        "satisfy regular expression pattern: ^[0-9a-zA-Z._*-]{1,128}$'");
          return FALSE;
        }
      g_ptr_array_add (filters, g_strdup (filter));
    }
  return TRUE;
}

static void
set_mutability (SbRepo     *repo,
                const char *mutability,
                GPtrArray  *filters)
{
  g_free (repo->tag_mutability);
  repo->tag_mutability = g_strdup (mutability);
  g_ptr_array_set_size (repo->mutability_filters, 0);
  for (guint i = 0; i < filters->len; i++)
    g_ptr_array_add (repo->mutability_filters, g_strdup (filters->pdata[i]));
}

static JsonArray *
mutability_filters_json (SbRepo *repo)
{
  JsonArray *a = json_array_new ();

  for (guint i = 0; i < repo->mutability_filters->len; i++)
    {
      JsonObject *f = json_object_new ();

      json_object_set_string_member (f, "filterType", "WILDCARD");
      json_object_set_string_member (f, "filter", repo->mutability_filters->pdata[i]);
      json_array_add_object_element (a, f);
    }
  return a;
}

/* Repositories */

static char *
default_kms_key (SbRegistry *registry)
{
  g_autofree char *seed = g_strdup_printf ("aws/ecr %s %s", registry->account, registry->region);
  g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, seed, -1);

  /* the AWS managed key aws/ecr of the account and region, as a key ARN */
  return g_strdup_printf ("arn:aws:kms:%s:%s:key/%.8s-%.4s-4%.3s-8%.3s-%.12s",
                          registry->region, registry->account,
                          hex, hex + 8, hex + 12, hex + 15, hex + 18);
}

static char *
kms_key_arn (SbRegistry *registry,
             const char *key)
{
  if (g_str_has_prefix (key, "arn:"))
    return g_strdup (key);
  if (g_str_has_prefix (key, "alias/"))
    return g_strdup_printf ("arn:aws:kms:%s:%s:%s", registry->region, registry->account, key);
  return g_strdup_printf ("arn:aws:kms:%s:%s:key/%s", registry->region, registry->account, key);
}

SbRepo *
sb_create_repository (SbCall     *call,
                      const char *name)
{
  if (!check_repository_name (call, "repositoryName", name))
    return NULL;
  if (g_hash_table_contains (call->registry->by_name, name))
    {
      sb_call_fail (call, "RepositoryAlreadyExistsException",
                    "The repository with name '%s' already exists in the registry with id '%s'",
                    name, call->registry->account);
      return NULL;
    }
  call->changed = TRUE;
  return sb_registry_add_repo (call->registry, name, call->now);
}

static JsonObject *
op_create_repository (SbCall     *call,
                      JsonObject *in)
{
  static const char *const enc_types[] = { "AES256", "KMS", "KMS_DSSE", NULL };
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) filters = g_ptr_array_new_with_free_func (g_free);
  const char *name, *mutability = NULL, *enc_type = "AES256", *kms_key = NULL;
  JsonObject *scan = NULL, *enc = NULL, *out;
  gboolean scan_on_push = FALSE;
  SbRepo *repo;

  if (!in_string (call, in, "repositoryName", TRUE, &name)
      || !check_registry_id (call, in)
      || !check_repository_name (call, "repositoryName", name)
      || !in_resource_tags (call, in, FALSE, keys, values)
      || !in_mutability (call, in, FALSE, &mutability, filters)
      || !in_object (call, in, "imageScanningConfiguration", FALSE, &scan)
      || (scan && !in_bool (call, scan, "scanOnPush", &scan_on_push, NULL))
      || !in_object (call, in, "encryptionConfiguration", FALSE, &enc))
    return NULL;
  if (enc)
    {
      if (!in_string (call, enc, "encryptionType", TRUE, &enc_type)
          || !check_enum (call, "encryptionType", enc_type, enc_types)
          || !in_string (call, enc, "kmsKey", FALSE, &kms_key)
          || !check_length (call, "kmsKey", kms_key, 1, 2048))
        return NULL;
      if (kms_key && g_str_equal (enc_type, "AES256"))
        {
          sb_call_fail (call, "InvalidParameterException",
                        "Invalid parameter at 'encryptionConfiguration' failed to satisfy "
                        "constraint: 'kmsKey can only be specified when encryptionType is KMS "
                        "or KMS_DSSE'");
          return NULL;
        }
      if (kms_key && !wharf_ecr_validate_kms_key (kms_key, NULL))
        {
          sb_call_fail (call, "KmsException",
                        "The KMS key '%s' is not a key id, key ARN, alias name or alias ARN",
                        kms_key);
          return NULL;
        }
    }
  if (keys->len > MAX_RESOURCE_TAGS)
    {
      sb_call_fail (call, "TooManyTagsException",
                    "The repository would have %u tags; a resource can have at most %d tags",
                    keys->len, MAX_RESOURCE_TAGS);
      return NULL;
    }

  repo = sb_create_repository (call, name);
  if (!repo)
    return NULL;
  if (mutability)
    set_mutability (repo, mutability, filters);
  repo->scan_on_push = scan_on_push;
  g_free (repo->encryption_type);
  repo->encryption_type = g_strdup (enc_type);
  if (!g_str_equal (enc_type, "AES256"))
    repo->kms_key = kms_key ? kms_key_arn (call->registry, kms_key)
                            : default_kms_key (call->registry);
  merge_resource_tags (call, repo, keys, values);

  out = json_object_new ();
  json_object_set_object_member (out, "repository", sb_repo_to_json (call->registry, repo));
  return out;
}

static JsonObject *
op_describe_repositories (SbCall     *call,
                          JsonObject *in)
{
  JsonArray *names, *list;
  JsonObject *out;
  gint64 page_size;
  gboolean has_token;
  guint64 a, b;
  guint start;

  if (!check_registry_id (call, in)
      || !in_array (call, in, "repositoryNames", FALSE, 1, 100, &names)
      || !in_paging (call, in, "DescribeRepositories", 1000, names != NULL, "repositoryNames",
                     &page_size, &has_token, &a, &b))
    return NULL;

  out = json_object_new ();
  list = json_array_new ();
  json_object_set_array_member (out, "repositories", list);
  if (names)
    {
      for (guint i = 0; i < json_array_get_length (names); i++)
        {
          JsonNode *node = json_array_get_element (names, i);
          const char *name;
          SbRepo *repo;

          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
            {
              sb_call_fail (call, "SerializationException",
                            "Cannot deserialize 'repositoryNames': %s can not be converted "
                            "to a String", json_kind (node));
              goto fail;
            }
          name = json_node_get_string (node);
          if (!check_repository_name (call, "repositoryNames", name))
            goto fail;
          repo = g_hash_table_lookup (call->registry->by_name, name);
          if (!repo)
            {
              sb_call_fail (call, "RepositoryNotFoundException",
                            "The repository with name '%s' does not exist in the registry "
                            "with id '%s'", name, call->registry->account);
              goto fail;
            }
          json_array_add_object_element (list, sb_repo_to_json (call->registry, repo));
        }
      return out;
    }

  start = has_token ? repo_lower_bound (call->registry, a) : 0;
  for (guint i = start; i < call->registry->repos->len; i++)
    {
      SbRepo *repo = call->registry->repos->pdata[i];

      if (json_array_get_length (list) == (guint) page_size)
        {
          set_take_string (out, "nextToken",
                           token_make (call, "DescribeRepositories", repo->seq, 0));
          break;
        }
      json_array_add_object_element (list, sb_repo_to_json (call->registry, repo));
    }
  return out;

fail:
  json_object_unref (out);
  return NULL;
}

static JsonObject *
op_delete_repository (SbCall     *call,
                      JsonObject *in)
{
  gboolean force = FALSE;
  SbRepo *repo;
  JsonObject *out;

  if (!in_bool (call, in, "force", &force, NULL) || !(repo = in_repo (call, in)))
    return NULL;
  if (repo->images->len > 0 && !force)
    {
      sb_call_fail (call, "RepositoryNotEmptyException",
                    "The repository with name '%s' in registry with id '%s' cannot be deleted "
                    "because it still contains images", repo->name, call->registry->account);
      return NULL;
    }
  out = json_object_new ();
  json_object_set_object_member (out, "repository", sb_repo_to_json (call->registry, repo));
  sb_registry_remove_repo (call->registry, repo);
  call->changed = TRUE;
  return out;
}

static JsonObject *
op_put_image_tag_mutability (SbCall     *call,
                             JsonObject *in)
{
  g_autoptr(GPtrArray) filters = g_ptr_array_new_with_free_func (g_free);
  const char *mutability;
  SbRepo *repo;
  JsonObject *out;

  if (!(repo = in_repo (call, in)) || !in_mutability (call, in, TRUE, &mutability, filters))
    return NULL;
  set_mutability (repo, mutability, filters);
  call->changed = TRUE;
  out = json_object_new ();
  set_common (out, call, repo);
  json_object_set_string_member (out, "imageTagMutability", repo->tag_mutability);
  if (repo->mutability_filters->len > 0)
    json_object_set_array_member (out, "imageTagMutabilityExclusionFilters",
                                  mutability_filters_json (repo));
  return out;
}

static JsonObject *
op_put_image_scanning_configuration (SbCall     *call,
                                     JsonObject *in)
{
  JsonObject *scan, *out, *conf;
  gboolean scan_on_push = FALSE;
  SbRepo *repo;

  if (!(repo = in_repo (call, in))
      || !in_object (call, in, "imageScanningConfiguration", TRUE, &scan)
      || !in_bool (call, scan, "scanOnPush", &scan_on_push, NULL))
    return NULL;
  repo->scan_on_push = scan_on_push;
  call->changed = TRUE;
  out = json_object_new ();
  set_common (out, call, repo);
  conf = json_object_new ();
  json_object_set_boolean_member (conf, "scanOnPush", repo->scan_on_push);
  json_object_set_object_member (out, "imageScanningConfiguration", conf);
  return out;
}

/* Resource tags by ARN */

static SbRepo *
in_resource_arn (SbCall     *call,
                 JsonObject *in)
{
  g_autofree char *prefix = NULL;
  const char *arn, *name;
  SbRepo *repo;

  if (!in_string (call, in, "resourceArn", TRUE, &arn))
    return NULL;
  if (!g_str_has_prefix (arn, "arn:aws:ecr:") || !strstr (arn, ":repository/"))
    {
      sb_call_fail (call, "InvalidParameterException",
                    "Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid "
                    "ARN: %s'", arn);
      return NULL;
    }
  prefix = g_strdup_printf ("arn:aws:ecr:%s:%s:repository/", call->registry->region,
                            call->registry->account);
  name = strstr (arn, ":repository/") + strlen (":repository/");
  repo = g_str_has_prefix (arn, prefix) ? g_hash_table_lookup (call->registry->by_name, name)
                                        : NULL;
  if (!repo)
    sb_call_fail (call, "RepositoryNotFoundException",
                  "The repository with name '%s' does not exist in the registry with id '%s'",
                  name, call->registry->account);
  return repo;
}

static JsonObject *
op_tag_resource (SbCall     *call,
                 JsonObject *in)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  SbRepo *repo;

  if (!(repo = in_resource_arn (call, in))
      || !in_resource_tags (call, in, TRUE, keys, values)
      || !merge_resource_tags (call, repo, keys, values))
    return NULL;
  call->changed = TRUE;
  return json_object_new ();
}

static JsonObject *
op_untag_resource (SbCall     *call,
                   JsonObject *in)
{
  JsonArray *keys;
  SbRepo *repo;

  if (!(repo = in_resource_arn (call, in))
      || !in_array (call, in, "tagKeys", TRUE, 0, G_MAXUINT, &keys))
    return NULL;
  for (guint i = 0; i < json_array_get_length (keys); i++)
    {
      JsonNode *node = json_array_get_element (keys, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          sb_call_fail (call, "SerializationException",
                        "Cannot deserialize 'tagKeys': %s can not be converted to a String",
                        json_kind (node));
          return NULL;
        }
    }
  for (guint i = 0; i < json_array_get_length (keys); i++)
    {
      const char *key = json_array_get_string_element (keys, i);

      for (guint k = 0; k < repo->tag_keys->len; k++)
        {
          if (g_str_equal (repo->tag_keys->pdata[k], key))
            {
              g_ptr_array_remove_index (repo->tag_keys, k);
              g_ptr_array_remove_index (repo->tag_values, k);
              break;
            }
        }
    }
  call->changed = TRUE;
  return json_object_new ();
}

static JsonObject *
op_list_tags_for_resource (SbCall     *call,
                           JsonObject *in)
{
  JsonObject *out;
  JsonArray *tags;
  SbRepo *repo;

  if (!(repo = in_resource_arn (call, in)))
    return NULL;
  out = json_object_new ();
  tags = json_array_new ();
  for (guint i = 0; i < repo->tag_keys->len; i++)
    {
      JsonObject *tag = json_object_new ();

      json_object_set_string_member (tag, "Key", repo->tag_keys->pdata[i]);
      json_object_set_string_member (tag, "Value", repo->tag_values->pdata[i]);
      json_array_add_object_element (tags, tag);
    }
  json_object_set_array_member (out, "tags", tags);
  return out;
}

/* Registry */

static JsonObject *
op_describe_registry (SbCall     *call,
                      JsonObject *in)
{
  JsonObject *out = json_object_new ();
  JsonObject *replication = json_object_new ();

  json_object_set_string_member (out, "registryId", call->registry->account);
  json_object_set_array_member (replication, "rules", json_array_new ());
  json_object_set_object_member (out, "replicationConfiguration", replication);
  return out;
}

static JsonObject *
op_get_authorization_token (SbCall     *call,
                            JsonObject *in)
{
  JsonArray *ids, *list;
  JsonObject *out;
  guint n;

  if (!in_array (call, in, "registryIds", FALSE, 1, 10, &ids))
    return NULL;
  for (guint i = 0; ids && i < json_array_get_length (ids); i++)
    {
      JsonNode *node = json_array_get_element (ids, i);
      const char *id;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          sb_call_fail (call, "SerializationException",
                        "Cannot deserialize 'registryIds': %s can not be converted to a String",
                        json_kind (node));
          return NULL;
        }
      id = json_node_get_string (node);
      if (strlen (id) != 12 || strspn (id, "0123456789") != 12)
        {
          sb_call_fail (call, "InvalidParameterException",
                        "Invalid parameter at 'registryIds' failed to satisfy constraint: "
                        "'must satisfy regular expression pattern: [0-9]{12}'");
          return NULL;
        }
    }

  out = json_object_new ();
  list = json_array_new ();
  n = ids ? json_array_get_length (ids) : 1;
  for (guint i = 0; i < n; i++)
    {
      const char *account = ids ? json_array_get_string_element (ids, i) : call->registry->account;
      JsonObject *data = json_object_new ();
      g_autofree char *password = NULL;
      g_autofree char *user_pass = NULL;
      g_autofree char *endpoint = NULL;

      /* the registry protocol's password (wharf-sandbox-registry.c) */
      password = sb_dist_issue_password (call->token_key, account, call->registry->region,
                                         call->now + SB_PASSWORD_LIFETIME);
      user_pass = g_strconcat ("AWS:", password, NULL);
      if (call->registry->registry_host)
        endpoint = g_strdup_printf ("http://%s", call->registry->registry_host);
      else
        endpoint = g_strdup_printf ("https://%s.dkr.ecr.%s.amazonaws.com", account,
                                    call->registry->region);
      set_take_string (data, "authorizationToken",
                       g_base64_encode ((const guchar *) user_pass, strlen (user_pass)));
      json_object_set_member (data, "expiresAt", ts (call->now + 12 * G_TIME_SPAN_HOUR));
      json_object_set_string_member (data, "proxyEndpoint", endpoint);
      json_array_add_object_element (list, data);
    }
  json_object_set_array_member (out, "authorizationData", list);
  return out;
}

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

static JsonObject *
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

/* Reads one ImageIdentifier; returns FALSE only on a type error (call failed). */
static gboolean
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
static SbImage *
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

static void
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

static JsonObject *
op_batch_get_image (SbCall     *call,
                    JsonObject *in)
{
  JsonArray *ids, *accepted, *images, *failures;
  JsonObject *out;
  SbRepo *repo;

  if (!(repo = in_repo (call, in))
      || !in_array (call, in, "imageIds", TRUE, 1, 100, &ids)
      || !in_array (call, in, "acceptedMediaTypes", FALSE, 1, 100, &accepted))
    return NULL;
  for (guint i = 0; i < json_array_get_length (ids); i++)
    {
      const char *d, *t;

      if (!in_image_id (call, json_array_get_element (ids, i), &d, &t))
        return NULL;
    }

  out = json_object_new ();
  images = json_array_new ();
  failures = json_array_new ();
  for (guint i = 0; i < json_array_get_length (ids); i++)
    {
      JsonObject *id = json_array_get_object_element (ids, i);
      const char *d = json_object_get_string_member_with_default (id, "imageDigest", NULL);
      const char *t = json_object_get_string_member_with_default (id, "imageTag", NULL);
      const char *code = NULL, *reason = NULL;
      SbImage *image = resolve_image_id (repo, d, t, &code, &reason);
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

static const char *const tag_status_values[] = { "TAGGED", "UNTAGGED", "ANY", NULL };
static const char *const image_status_values[] = { "ACTIVE", "ARCHIVED", "ACTIVATING", "ANY", NULL };

static gboolean
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

static gboolean
tag_status_matches (const char *tag_status,
                    SbImage    *image)
{
  if (g_str_equal (tag_status, "TAGGED"))
    return image->tags->len > 0;
  if (g_str_equal (tag_status, "UNTAGGED"))
    return image->tags->len == 0;
  return TRUE;
}

static JsonObject *
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

static JsonObject *
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
          const char *d, *t, *code = NULL, *reason = NULL;
          SbImage *image;

          if (!in_image_id (call, json_array_get_element (ids, i), &d, &t))
            goto fail;
          image = resolve_image_id (repo, d, t, &code, &reason);
          if (!image)
            {
              g_autofree char *id_text = image_id_text (d, t);

              if (g_str_equal (code, "ImageNotFound") || g_str_equal (code, "ImageTagDoesNotMatchDigest"))
                sb_call_fail (call, "ImageNotFoundException",
                              "The image with imageId %s does not exist within the repository "
                              "with name '%s' in the registry with id '%s'",
                              id_text, repo->name, call->registry->account);
              else
                sb_call_fail (call, "InvalidParameterException",
                              "Invalid parameter at 'imageIds' failed to satisfy constraint: "
                              "'%s'", reason);
              goto fail;
            }
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

static JsonObject *
op_batch_delete_image (SbCall     *call,
                       JsonObject *in)
{
  JsonArray *ids, *deleted, *failures;
  JsonObject *out;
  SbRepo *repo;

  if (!(repo = in_repo (call, in)) || !in_array (call, in, "imageIds", TRUE, 1, 100, &ids))
    return NULL;
  for (guint i = 0; i < json_array_get_length (ids); i++)
    {
      const char *d, *t;

      if (!in_image_id (call, json_array_get_element (ids, i), &d, &t))
        return NULL;
    }

  out = json_object_new ();
  deleted = json_array_new ();
  failures = json_array_new ();
  for (guint i = 0; i < json_array_get_length (ids); i++)
    {
      JsonObject *id = json_array_get_object_element (ids, i);
      const char *d = json_object_get_string_member_with_default (id, "imageDigest", NULL);
      const char *t = json_object_get_string_member_with_default (id, "imageTag", NULL);
      const char *code = NULL, *reason = NULL;
      SbImage *image = resolve_image_id (repo, d, t, &code, &reason);
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

/* Scans */

static SbImage *
in_one_image (SbCall      *call,
              JsonObject  *in,
              SbRepo      *repo,
              const char **tag_out)
{
  JsonObject *id;
  const char *d, *t, *code = NULL, *reason = NULL;
  SbImage *image;

  if (!in_object (call, in, "imageId", TRUE, &id)
      || !in_string (call, id, "imageDigest", FALSE, &d)
      || !in_string (call, id, "imageTag", FALSE, &t))
    return NULL;
  image = resolve_image_id (repo, d, t, &code, &reason);
  if (!image)
    {
      g_autofree char *id_text = image_id_text (d, t);

      if (g_str_equal (code, "ImageNotFound") || g_str_equal (code, "ImageTagDoesNotMatchDigest"))
        sb_call_fail (call, "ImageNotFoundException",
                      "The image with imageId %s does not exist within the repository with "
                      "name '%s' in the registry with id '%s'",
                      id_text, repo->name, call->registry->account);
      else
        sb_call_fail (call, "InvalidParameterException",
                      "Invalid parameter at 'imageId' failed to satisfy constraint: '%s'", reason);
      return NULL;
    }
  *tag_out = t;
  return image;
}

static JsonObject *
op_start_image_scan (SbCall     *call,
                     JsonObject *in)
{
  const char *tag = NULL;
  JsonObject *out;
  SbImage *image;
  SbRepo *repo;

  if (!(repo = in_repo (call, in)) || !(image = in_one_image (call, in, repo, &tag)))
    return NULL;
  if (image->children || g_str_has_prefix (image->media_type, MT_DOCKER_V1_JWS)
      || g_str_equal (image->media_type, MT_DOCKER_V1))
    {
      sb_call_fail (call, "UnsupportedImageTypeException",
                    "The image %s has the media type %s, which basic scanning does not support.",
                    image->digest, image->media_type);
      return NULL;
    }
  if (image->scan_started && call->now - image->scan_started < SB_USEC_PER_DAY)
    {
      sb_call_fail (call, "LimitExceededException",
                    "The scan quota per image has been exceeded. Wait and try again. (A basic "
                    "scan can be started once per image every 24 hours; this image was last "
                    "scanned %" G_GINT64_FORMAT " minutes ago.)",
                    (call->now - image->scan_started) / G_TIME_SPAN_MINUTE);
      return NULL;
    }
  image->scan_started = call->now;
  call->changed = TRUE;
  out = json_object_new ();
  set_common (out, call, repo);
  json_object_set_object_member (out, "imageId", image_id_json (image->digest, tag));
  json_object_set_object_member (out, "imageScanStatus", image_scan_status_json ("IN_PROGRESS"));
  return out;
}

static JsonObject *
op_describe_image_scan_findings (SbCall     *call,
                                 JsonObject *in)
{
  g_autoptr(GPtrArray) findings = NULL;
  g_autofree char *scope = NULL;
  const char *tag = NULL, *status;
  JsonObject *out, *result;
  JsonArray *list;
  gint64 page_size;
  gboolean has_token;
  guint64 a, b;
  SbImage *image;
  SbRepo *repo;

  if (!(repo = in_repo (call, in)) || !(image = in_one_image (call, in, repo, &tag)))
    return NULL;
  scope = g_strdup_printf ("DescribeImageScanFindings\n%s\n%s", repo->name, image->digest);
  if (!in_paging (call, in, scope, 1000, FALSE, NULL, &page_size, &has_token, &a, &b))
    return NULL;
  status = sb_scan_status (image, call->now);
  if (!status)
    {
      g_autofree char *id_text = image_id_text (tag ? NULL : image->digest, tag);

      sb_call_fail (call, "ScanNotFoundException",
                    "Image scan does not exist for the image with '%s' in the repository with "
                    "name '%s' in the registry with id '%s'",
                    id_text, repo->name, call->registry->account);
      return NULL;
    }

  out = json_object_new ();
  set_common (out, call, repo);
  json_object_set_object_member (out, "imageId", image_id_json (image->digest, tag));
  json_object_set_object_member (out, "imageScanStatus", image_scan_status_json (status));
  if (!g_str_equal (status, "COMPLETE"))
    return out;

  findings = sb_scan_findings (image->digest);
  result = json_object_new ();
  json_object_set_member (result, "imageScanCompletedAt", ts (image->scan_started + SB_SCAN_DURATION));
  json_object_set_member (result, "vulnerabilitySourceUpdatedAt",
                          ts (image->scan_started - 6 * G_TIME_SPAN_HOUR));
  json_object_set_object_member (result, "findingSeverityCounts", sb_severity_counts (findings));
  list = json_array_new ();
  for (guint i = has_token ? (guint) a : 0; i < findings->len; i++)
    {
      if (json_array_get_length (list) == (guint) page_size)
        {
          set_take_string (out, "nextToken", token_make (call, scope, i, 0));
          break;
        }
      json_array_add_object_element (list, sb_finding_to_json (findings->pdata[i]));
    }
  json_object_set_array_member (result, "findings", list);
  json_object_set_object_member (out, "imageScanFindings", result);
  return out;
}

/* Lifecycle policies */

static gboolean
in_lifecycle_text (SbCall      *call,
                   JsonObject  *in,
                   gboolean     required,
                   const char **text)
{
  g_autofree char *reason = NULL;

  if (!in_string (call, in, "lifecyclePolicyText", required, text)
      || !check_length (call, "lifecyclePolicyText", *text, 100, 30720))
    return FALSE;
  if (*text && !sb_lifecycle_validate (*text, &reason))
    {
      sb_call_fail (call, "InvalidParameterException",
                    "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: "
                    "'Lifecycle policy validation failure: %s'", reason);
      return FALSE;
    }
  return TRUE;
}

static JsonObject *
lifecycle_out (SbCall     *call,
               SbRepo     *repo,
               const char *text)
{
  JsonObject *out = json_object_new ();

  set_common (out, call, repo);
  json_object_set_string_member (out, "lifecyclePolicyText", text);
  return out;
}

static gboolean
need_lifecycle (SbCall *call,
                SbRepo *repo)
{
  if (repo->lifecycle_policy)
    return TRUE;
  sb_call_fail (call, "LifecyclePolicyNotFoundException",
                "Lifecycle policy does not exist for the repository with name '%s' in the "
                "registry with id '%s'", repo->name, call->registry->account);
  return FALSE;
}

static JsonObject *
op_put_lifecycle_policy (SbCall     *call,
                         JsonObject *in)
{
  const char *text;
  SbRepo *repo;

  if (!(repo = in_repo (call, in)) || !in_lifecycle_text (call, in, TRUE, &text))
    return NULL;
  g_free (repo->lifecycle_policy);
  repo->lifecycle_policy = g_strdup (text);
  repo->lifecycle_put_at = call->now;
  repo->lifecycle_run_at = 0;
  call->changed = TRUE;
  return lifecycle_out (call, repo, text);
}

static JsonObject *
op_get_lifecycle_policy (SbCall     *call,
                         JsonObject *in)
{
  SbRepo *repo;
  JsonObject *out;

  if (!(repo = in_repo (call, in)) || !need_lifecycle (call, repo))
    return NULL;
  out = lifecycle_out (call, repo, repo->lifecycle_policy);
  if (repo->lifecycle_run_at)
    json_object_set_member (out, "lastEvaluatedAt", ts (repo->lifecycle_run_at));
  return out;
}

static JsonObject *
op_delete_lifecycle_policy (SbCall     *call,
                            JsonObject *in)
{
  JsonObject *out;
  SbRepo *repo;

  if (!(repo = in_repo (call, in)) || !need_lifecycle (call, repo))
    return NULL;
  out = lifecycle_out (call, repo, repo->lifecycle_policy);
  if (repo->lifecycle_run_at)
    json_object_set_member (out, "lastEvaluatedAt", ts (repo->lifecycle_run_at));
  g_clear_pointer (&repo->lifecycle_policy, g_free);
  call->changed = TRUE;
  return out;
}

static JsonObject *
op_start_lifecycle_policy_preview (SbCall     *call,
                                   JsonObject *in)
{
  const char *text;
  JsonObject *out;
  SbRepo *repo;

  if (!(repo = in_repo (call, in)) || !in_lifecycle_text (call, in, FALSE, &text))
    return NULL;
  if (!text)
    {
      if (!need_lifecycle (call, repo))
        return NULL;
      text = repo->lifecycle_policy;
    }
  g_free (repo->preview_policy);
  repo->preview_policy = g_strdup (text);
  g_clear_pointer (&repo->preview_results, g_array_unref);
  repo->preview_results = sb_lifecycle_evaluate (text, repo, call->now);
  repo->preview_polls_left = repo->preview_polls;
  out = lifecycle_out (call, repo, text);
  json_object_set_string_member (out, "status", "IN_PROGRESS");
  return out;
}

static JsonObject *
op_get_lifecycle_policy_preview (SbCall     *call,
                                 JsonObject *in)
{
  g_autofree char *scope = NULL;
  const char *tag_status;
  JsonArray *ids, *list;
  JsonObject *out, *summary;
  gint64 page_size;
  gboolean has_token;
  guint64 a, b;
  SbRepo *repo;
  g_autoptr(GHashTable) wanted = NULL;
  guint expiring = 0;

  if (!(repo = in_repo (call, in))
      || !in_array (call, in, "imageIds", FALSE, 1, 100, &ids)
      || !in_filter (call, in, &tag_status, NULL))
    return NULL;
  scope = g_strdup_printf ("GetLifecyclePolicyPreview\n%s\n%s", repo->name, tag_status);
  if (!in_paging (call, in, scope, 100, ids != NULL, "imageIds", &page_size, &has_token, &a, &b))
    return NULL;
  if (!repo->preview_policy)
    {
      sb_call_fail (call, "LifecyclePolicyPreviewNotFoundException",
                    "There is no dry run for this repository: call StartLifecyclePolicyPreview "
                    "first");
      return NULL;
    }
  if (ids)
    {
      wanted = g_hash_table_new (NULL, NULL);
      for (guint i = 0; i < json_array_get_length (ids); i++)
        {
          const char *d, *t, *code, *reason;
          SbImage *image;

          if (!in_image_id (call, json_array_get_element (ids, i), &d, &t))
            return NULL;
          image = resolve_image_id (repo, d, t, &code, &reason);
          if (image)
            g_hash_table_add (wanted, image);
        }
    }

  out = lifecycle_out (call, repo, repo->preview_policy);
  if (repo->preview_polls_left > 0)
    {
      /* Still evaluating (wharf_sandbox_set_lifecycle_preview_polls()): no results yet. */
      repo->preview_polls_left--;
      json_object_set_string_member (out, "status", "IN_PROGRESS");
      json_object_set_array_member (out, "previewResults", json_array_new ());
      return out;
    }
  json_object_set_string_member (out, "status", "COMPLETE");
  list = json_array_new ();
  for (guint i = 0; i < repo->preview_results->len; i++)
    {
      SbPreviewResult *r = &g_array_index (repo->preview_results, SbPreviewResult, i);
      SbImage *image = g_hash_table_lookup (repo->by_digest, r->digest);
      JsonObject *o, *action;

      if (!image)
        continue;
      expiring++;
      if ((has_token && i < a) || (wanted && !g_hash_table_contains (wanted, image))
          || !tag_status_matches (tag_status, image))
        continue;
      if (json_object_has_member (out, "nextToken"))
        continue;
      if (json_array_get_length (list) == (guint) page_size)
        {
          set_take_string (out, "nextToken", token_make (call, scope, i, 0));
          continue;
        }
      o = json_object_new ();
      if (image->tags->len > 0)
        json_object_set_array_member (o, "imageTags", tags_array (image->tags));
      json_object_set_string_member (o, "imageDigest", image->digest);
      json_object_set_member (o, "imagePushedAt", ts (image->pushed_at));
      action = json_object_new ();
      json_object_set_string_member (action, "type", "EXPIRE");
      json_object_set_object_member (o, "action", action);
      json_object_set_int_member (o, "appliedRulePriority", r->priority);
      json_object_set_string_member (o, "storageClass", "STANDARD");
      json_array_add_object_element (list, o);
    }
  json_object_set_array_member (out, "previewResults", list);
  summary = json_object_new ();
  json_object_set_int_member (summary, "expiringImageTotalCount", expiring);
  json_object_set_object_member (out, "summary", summary);
  return out;
}

/* Repository policies */

static JsonObject *
policy_out (SbCall     *call,
            SbRepo     *repo,
            const char *text)
{
  JsonObject *out = json_object_new ();

  set_common (out, call, repo);
  json_object_set_string_member (out, "policyText", text);
  return out;
}

static gboolean
need_policy (SbCall *call,
             SbRepo *repo)
{
  if (repo->policy)
    return TRUE;
  sb_call_fail (call, "RepositoryPolicyNotFoundException",
                "Repository policy does not exist for the repository with name '%s' in the "
                "registry with id '%s'", repo->name, call->registry->account);
  return FALSE;
}

static JsonObject *
op_set_repository_policy (SbCall     *call,
                          JsonObject *in)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gboolean force = FALSE;
  const char *text;
  JsonNode *root;
  SbRepo *repo;

  if (!(repo = in_repo (call, in))
      || !in_string (call, in, "policyText", TRUE, &text)
      || !check_length (call, "policyText", text, 0, 10240)
      || !in_bool (call, in, "force", &force, NULL))
    return NULL;
  if (!json_parser_load_from_data (parser, text, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (root = json_parser_get_root (parser))
      || !json_object_has_member (json_node_get_object (root), "Statement"))
    {
      sb_call_fail (call, "InvalidParameterException",
                    "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid "
                    "repository policy provided'");
      return NULL;
    }
  g_free (repo->policy);
  repo->policy = g_strdup (text);
  call->changed = TRUE;
  return policy_out (call, repo, text);
}

static JsonObject *
op_get_repository_policy (SbCall     *call,
                          JsonObject *in)
{
  SbRepo *repo;

  if (!(repo = in_repo (call, in)) || !need_policy (call, repo))
    return NULL;
  return policy_out (call, repo, repo->policy);
}

static JsonObject *
op_delete_repository_policy (SbCall     *call,
                             JsonObject *in)
{
  JsonObject *out;
  SbRepo *repo;

  if (!(repo = in_repo (call, in)) || !need_policy (call, repo))
    return NULL;
  out = policy_out (call, repo, repo->policy);
  g_clear_pointer (&repo->policy, g_free);
  call->changed = TRUE;
  return out;
}

/* Registry scanning */

static JsonObject *
registry_scanning_json (SbRegistry *registry)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "scanType", registry->scan_type);
  json_object_set_member (o, "rules", json_node_copy (registry->scan_rules));
  return o;
}

static JsonObject *
op_get_registry_scanning_configuration (SbCall     *call,
                                        JsonObject *in)
{
  JsonObject *out = json_object_new ();

  json_object_set_string_member (out, "registryId", call->registry->account);
  json_object_set_object_member (out, "scanningConfiguration", registry_scanning_json (call->registry));
  return out;
}

static JsonObject *
op_put_registry_scanning_configuration (SbCall     *call,
                                        JsonObject *in)
{
  static const char *const scan_types[] = { "BASIC", "ENHANCED", NULL };
  static const char *const frequencies[] = { "SCAN_ON_PUSH", "CONTINUOUS_SCAN", "MANUAL", NULL };
  static const char *const filter_types[] = { "WILDCARD", NULL };
  const char *scan_type;
  JsonArray *rules, *clean;
  JsonObject *out;

  if (!in_string (call, in, "scanType", FALSE, &scan_type)
      || !check_enum (call, "scanType", scan_type, scan_types)
      || !in_array (call, in, "rules", FALSE, 0, 2, &rules))
    return NULL;
  if (!scan_type)
    scan_type = call->registry->scan_type;

  clean = json_array_new ();
  for (guint i = 0; rules && i < json_array_get_length (rules); i++)
    {
      JsonNode *node = json_array_get_element (rules, i);
      JsonObject *rule, *crule;
      JsonArray *filters, *cfilters;
      const char *frequency;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          sb_call_fail (call, "SerializationException",
                        "Cannot deserialize 'rules': %s can not be converted to a "
                        "RegistryScanningRule", json_kind (node));
          goto fail;
        }
      rule = json_node_get_object (node);
      if (!in_string (call, rule, "scanFrequency", TRUE, &frequency)
          || !check_enum (call, "scanFrequency", frequency, frequencies)
          || !in_array (call, rule, "repositoryFilters", TRUE, 0, 100, &filters))
        goto fail;
      if (g_str_equal (frequency, "CONTINUOUS_SCAN") && g_str_equal (scan_type, "BASIC"))
        {
          sb_call_fail (call, "ValidationException",
                        "CONTINUOUS_SCAN is only valid with the ENHANCED scan type");
          goto fail;
        }
      crule = json_object_new ();
      cfilters = json_array_new ();
      json_object_set_string_member (crule, "scanFrequency", frequency);
      json_object_set_array_member (crule, "repositoryFilters", cfilters);
      json_array_add_object_element (clean, crule);
      for (guint k = 0; k < json_array_get_length (filters); k++)
        {
          JsonNode *fn = json_array_get_element (filters, k);
          const char *filter, *type;
          JsonObject *cf;

          if (!JSON_NODE_HOLDS_OBJECT (fn))
            {
              sb_call_fail (call, "SerializationException",
                            "Cannot deserialize 'repositoryFilters': %s can not be converted "
                            "to a ScanningRepositoryFilter", json_kind (fn));
              goto fail;
            }
          if (!in_string (call, json_node_get_object (fn), "filter", TRUE, &filter)
              || !in_string (call, json_node_get_object (fn), "filterType", TRUE, &type)
              || !check_enum (call, "filterType", type, filter_types)
              || !check_length (call, "filter", filter, 1, 255))
            goto fail;
          cf = json_object_new ();
          json_object_set_string_member (cf, "filter", filter);
          json_object_set_string_member (cf, "filterType", type);
          json_array_add_object_element (cfilters, cf);
        }
    }

  if (scan_type != call->registry->scan_type)
    {
      g_free (call->registry->scan_type);
      call->registry->scan_type = g_strdup (scan_type);
    }
  json_node_unref (call->registry->scan_rules);
  call->registry->scan_rules = json_node_init_array (json_node_alloc (), clean);
  json_array_unref (clean);
  call->changed = TRUE;
  out = json_object_new ();
  json_object_set_object_member (out, "registryScanningConfiguration",
                                 registry_scanning_json (call->registry));
  return out;

fail:
  json_array_unref (clean);
  return NULL;
}

static JsonObject *
op_batch_get_repository_scanning_configuration (SbCall     *call,
                                                JsonObject *in)
{
  JsonArray *names, *configs, *failures, *rules;
  JsonObject *out;

  if (!in_array (call, in, "repositoryNames", TRUE, 1, 25, &names))
    return NULL;
  for (guint i = 0; i < json_array_get_length (names); i++)
    {
      JsonNode *node = json_array_get_element (names, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          sb_call_fail (call, "SerializationException",
                        "Cannot deserialize 'repositoryNames': %s can not be converted to a "
                        "String", json_kind (node));
          return NULL;
        }
      if (!check_repository_name (call, "repositoryNames", json_node_get_string (node)))
        return NULL;
    }

  rules = json_node_get_array (call->registry->scan_rules);
  out = json_object_new ();
  configs = json_array_new ();
  failures = json_array_new ();
  for (guint i = 0; i < json_array_get_length (names); i++)
    {
      const char *name = json_array_get_string_element (names, i);
      SbRepo *repo = g_hash_table_lookup (call->registry->by_name, name);
      JsonObject *c;
      JsonArray *applied = json_array_new ();
      const char *frequency = NULL;
      g_autofree char *arn = NULL;

      if (!repo)
        {
          JsonObject *f = json_object_new ();

          json_array_unref (applied);
          json_object_set_string_member (f, "repositoryName", name);
          json_object_set_string_member (f, "failureCode", "REPOSITORY_NOT_FOUND");
          json_object_set_string_member (f, "failureReason", "REPOSITORY_NOT_FOUND");
          json_array_add_object_element (failures, f);
          continue;
        }
      for (guint r = 0; r < json_array_get_length (rules) && !frequency; r++)
        {
          JsonObject *rule = json_array_get_object_element (rules, r);
          JsonArray *filters = json_object_get_array_member (rule, "repositoryFilters");

          for (guint k = 0; k < json_array_get_length (filters); k++)
            {
              JsonObject *f = json_array_get_object_element (filters, k);

              if (sb_wildcard_match (json_object_get_string_member (f, "filter"), repo->name))
                {
                  frequency = json_object_get_string_member (rule, "scanFrequency");
                  json_array_add_element (applied, json_node_copy (json_array_get_element (filters, k)));
                }
            }
        }
      if (!frequency)
        frequency = json_array_get_length (rules) == 0 && repo->scan_on_push ? "SCAN_ON_PUSH" : "MANUAL";
      c = json_object_new ();
      arn = sb_repo_arn (call->registry, repo);
      json_object_set_string_member (c, "repositoryArn", arn);
      json_object_set_string_member (c, "repositoryName", repo->name);
      json_object_set_boolean_member (c, "scanOnPush", g_str_equal (frequency, "SCAN_ON_PUSH"));
      json_object_set_string_member (c, "scanFrequency", frequency);
      json_object_set_array_member (c, "appliedScanFilters", applied);
      json_array_add_object_element (configs, c);
    }
  json_object_set_array_member (out, "scanningConfigurations", configs);
  json_object_set_array_member (out, "failures", failures);
  return out;
}

/* The top-level members of the served operations and their JSON types (one type per name
 * across ECR's input shapes), so that a member of the wrong type is a SerializationException
 * before any other check, as the service's deserializer answers. */
static const struct
{
  const char  *name;
  JsonNodeType type;
  GType        value_type;
  const char  *type_name;
} member_types[] = {
  { "acceptedMediaTypes", JSON_NODE_ARRAY, G_TYPE_INVALID, "a List" },
  { "encryptionConfiguration", JSON_NODE_OBJECT, G_TYPE_INVALID, "a Structure" },
  { "filter", JSON_NODE_OBJECT, G_TYPE_INVALID, "a Structure" },
  { "force", JSON_NODE_VALUE, G_TYPE_BOOLEAN, "a Boolean" },
  { "imageDigest", JSON_NODE_VALUE, G_TYPE_STRING, "a String" },
  { "imageId", JSON_NODE_OBJECT, G_TYPE_INVALID, "a Structure" },
  { "imageIds", JSON_NODE_ARRAY, G_TYPE_INVALID, "a List" },
  { "imageManifest", JSON_NODE_VALUE, G_TYPE_STRING, "a String" },
  { "imageManifestMediaType", JSON_NODE_VALUE, G_TYPE_STRING, "a String" },
  { "imageScanningConfiguration", JSON_NODE_OBJECT, G_TYPE_INVALID, "a Structure" },
  { "imageTag", JSON_NODE_VALUE, G_TYPE_STRING, "a String" },
  { "imageTagMutability", JSON_NODE_VALUE, G_TYPE_STRING, "a String" },
  { "imageTagMutabilityExclusionFilters", JSON_NODE_ARRAY, G_TYPE_INVALID, "a List" },
  { "lifecyclePolicyText", JSON_NODE_VALUE, G_TYPE_STRING, "a String" },
  { "maxResults", JSON_NODE_VALUE, G_TYPE_INT64, "an Integer" },
  { "nextToken", JSON_NODE_VALUE, G_TYPE_STRING, "a String" },
  { "policyText", JSON_NODE_VALUE, G_TYPE_STRING, "a String" },
  { "registryId", JSON_NODE_VALUE, G_TYPE_STRING, "a String" },
  { "registryIds", JSON_NODE_ARRAY, G_TYPE_INVALID, "a List" },
  { "repositoryName", JSON_NODE_VALUE, G_TYPE_STRING, "a String" },
  { "repositoryNames", JSON_NODE_ARRAY, G_TYPE_INVALID, "a List" },
  { "resourceArn", JSON_NODE_VALUE, G_TYPE_STRING, "a String" },
  { "rules", JSON_NODE_ARRAY, G_TYPE_INVALID, "a List" },
  { "scanType", JSON_NODE_VALUE, G_TYPE_STRING, "a String" },
  { "tagKeys", JSON_NODE_ARRAY, G_TYPE_INVALID, "a List" },
  { "tags", JSON_NODE_ARRAY, G_TYPE_INVALID, "a List" },
};

gboolean
sb_check_input_types (SbCall     *call,
                      JsonObject *in)
{
  for (guint i = 0; in && i < G_N_ELEMENTS (member_types); i++)
    {
      JsonNode *node;

      if (!in_member (call, in, member_types[i].name, FALSE, member_types[i].type,
                      member_types[i].value_type, member_types[i].type_name, &node))
        return FALSE;
    }
  return TRUE;
}

static const struct
{
  const char     *name;
  SbOperationFunc func;
} operations[] = {
  { "BatchCheckLayerAvailability", sb_op_batch_check_layer_availability },
  { "BatchDeleteImage", op_batch_delete_image },
  { "BatchGetImage", op_batch_get_image },
  { "BatchGetRepositoryScanningConfiguration", op_batch_get_repository_scanning_configuration },
  { "CompleteLayerUpload", sb_op_complete_layer_upload },
  { "CreateRepository", op_create_repository },
  { "DeleteLifecyclePolicy", op_delete_lifecycle_policy },
  { "DeleteRepository", op_delete_repository },
  { "DeleteRepositoryPolicy", op_delete_repository_policy },
  { "DescribeImageScanFindings", op_describe_image_scan_findings },
  { "DescribeImages", op_describe_images },
  { "DescribeRegistry", op_describe_registry },
  { "DescribeRepositories", op_describe_repositories },
  { "GetAuthorizationToken", op_get_authorization_token },
  { "GetDownloadUrlForLayer", sb_op_get_download_url_for_layer },
  { "GetLifecyclePolicy", op_get_lifecycle_policy },
  { "GetLifecyclePolicyPreview", op_get_lifecycle_policy_preview },
  { "GetRegistryScanningConfiguration", op_get_registry_scanning_configuration },
  { "GetRepositoryPolicy", op_get_repository_policy },
  { "InitiateLayerUpload", sb_op_initiate_layer_upload },
  { "ListImages", op_list_images },
  { "ListTagsForResource", op_list_tags_for_resource },
  { "PutImage", op_put_image },
  { "PutImageScanningConfiguration", op_put_image_scanning_configuration },
  { "PutImageTagMutability", op_put_image_tag_mutability },
  { "PutLifecyclePolicy", op_put_lifecycle_policy },
  { "PutRegistryScanningConfiguration", op_put_registry_scanning_configuration },
  { "SetRepositoryPolicy", op_set_repository_policy },
  { "StartImageScan", op_start_image_scan },
  { "StartLifecyclePolicyPreview", op_start_lifecycle_policy_preview },
  { "TagResource", op_tag_resource },
  { "UntagResource", op_untag_resource },
  { "UploadLayerPart", sb_op_upload_layer_part },
};

SbOperationFunc
sb_lookup_operation (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (operations); i++)
    if (g_str_equal (operations[i].name, name))
      return operations[i].func;
  return NULL;
}
