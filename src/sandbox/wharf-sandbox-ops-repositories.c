/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Repositories: create, describe, delete, their tag mutability and scan-on-push settings,
 * and their resource tags.
 */
#define G_LOG_DOMAIN "wharf-sandbox-ops"

#include "config.h"

#include <string.h>

#include "wharf-ecr-validate.h"
#include "wharf-sandbox-ops-private.h"

#define MAX_RESOURCE_TAGS 50

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

JsonObject *
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

JsonObject *
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

JsonObject *
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

JsonObject *
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

JsonObject *
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

JsonObject *
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

JsonObject *
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

JsonObject *
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
