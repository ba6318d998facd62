/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-sandbox-store"

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "wharf-sandbox-private.h"

static void
sb_image_free (SbImage *image)
{
  g_free (image->digest);
  g_free (image->manifest);
  g_free (image->media_type);
  g_free (image->artifact_media_type);
  g_ptr_array_unref (image->tags);
  g_clear_pointer (&image->children, g_ptr_array_unref);
  g_free (image);
}

static void
sb_repo_free (SbRepo *repo)
{
  g_free (repo->name);
  g_free (repo->tag_mutability);
  g_ptr_array_unref (repo->mutability_filters);
  g_free (repo->encryption_type);
  g_free (repo->kms_key);
  g_ptr_array_unref (repo->tag_keys);
  g_ptr_array_unref (repo->tag_values);
  g_free (repo->policy);
  g_free (repo->lifecycle_policy);
  g_free (repo->preview_policy);
  g_clear_pointer (&repo->preview_results, g_array_unref);
  g_hash_table_unref (repo->by_digest);
  g_hash_table_unref (repo->by_tag);
  g_ptr_array_unref (repo->images);
  g_free (repo);
}

SbRegistry *
sb_registry_new (const char *account,
                 const char *region)
{
  SbRegistry *registry = g_new0 (SbRegistry, 1);

  registry->account = g_strdup (account);
  registry->region = g_strdup (region);
  registry->repos = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_repo_free);
  registry->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  registry->next_repo_seq = 1;
  registry->scan_type = g_strdup ("BASIC");
  {
    g_autoptr(JsonArray) rules = json_array_new ();

    registry->scan_rules = json_node_init_array (json_node_alloc (), rules);
  }
  return registry;
}

void
sb_registry_free (SbRegistry *registry)
{
  g_hash_table_unref (registry->by_name);
  g_ptr_array_unref (registry->repos);
  g_free (registry->account);
  g_free (registry->region);
  g_free (registry->scan_type);
  json_node_unref (registry->scan_rules);
  g_free (registry);
}

SbRepo *
sb_registry_add_repo (SbRegistry *registry,
                      const char *name,
                      gint64      created_at)
{
  SbRepo *repo = g_new0 (SbRepo, 1);

  g_assert (!g_hash_table_contains (registry->by_name, name));

  repo->seq = registry->next_repo_seq++;
  repo->name = g_strdup (name);
  repo->created_at = created_at;
  repo->tag_mutability = g_strdup ("MUTABLE");
  repo->mutability_filters = g_ptr_array_new_with_free_func (g_free);
  repo->encryption_type = g_strdup ("AES256");
  repo->tag_keys = g_ptr_array_new_with_free_func (g_free);
  repo->tag_values = g_ptr_array_new_with_free_func (g_free);
  repo->images = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_image_free);
  repo->by_digest = g_hash_table_new (g_str_hash, g_str_equal);
  repo->by_tag = g_hash_table_new (g_str_hash, g_str_equal);
  repo->next_image_seq = 1;

  g_ptr_array_add (registry->repos, repo);
  g_hash_table_insert (registry->by_name, repo->name, repo);
  return repo;
}

void
sb_registry_remove_repo (SbRegistry *registry,
                         SbRepo     *repo)
{
  g_hash_table_remove (registry->by_name, repo->name);
  g_ptr_array_remove (registry->repos, repo);
}

char *
sb_repo_arn (SbRegistry *registry,
             SbRepo     *repo)
{
  return g_strdup_printf ("arn:aws:ecr:%s:%s:repository/%s",
                          registry->region, registry->account, repo->name);
}

static JsonNode *
timestamp_node (gint64 usec)
{
  return json_node_init_double (json_node_alloc (), usec / (double) G_USEC_PER_SEC);
}

JsonObject *
sb_repo_to_json (SbRegistry *registry,
                 SbRepo     *repo)
{
  JsonObject *o = json_object_new ();
  JsonObject *scan = json_object_new ();
  JsonObject *enc = json_object_new ();

  g_autofree char *arn = sb_repo_arn (registry, repo);
  g_autofree char *uri = registry->registry_host
                         ? g_strdup_printf ("%s/%s", registry->registry_host, repo->name)
                         : g_strdup_printf ("%s.dkr.ecr.%s.amazonaws.com/%s",
                                            registry->account, registry->region, repo->name);

  json_object_set_string_member (o, "repositoryArn", arn);
  json_object_set_string_member (o, "registryId", registry->account);
  json_object_set_string_member (o, "repositoryName", repo->name);
  json_object_set_string_member (o, "repositoryUri", uri);
  json_object_set_member (o, "createdAt", timestamp_node (repo->created_at));
  json_object_set_string_member (o, "imageTagMutability", repo->tag_mutability);
  if (repo->mutability_filters->len > 0)
    {
      JsonArray *filters = json_array_new ();

      for (guint i = 0; i < repo->mutability_filters->len; i++)
        {
          JsonObject *f = json_object_new ();

          json_object_set_string_member (f, "filterType", "WILDCARD");
          json_object_set_string_member (f, "filter", repo->mutability_filters->pdata[i]);
          json_array_add_object_element (filters, f);
        }
      json_object_set_array_member (o, "imageTagMutabilityExclusionFilters", filters);
    }
  json_object_set_boolean_member (scan, "scanOnPush", repo->scan_on_push);
  json_object_set_object_member (o, "imageScanningConfiguration", scan);
  json_object_set_string_member (enc, "encryptionType", repo->encryption_type);
  if (repo->kms_key)
    json_object_set_string_member (enc, "kmsKey", repo->kms_key);
  json_object_set_object_member (o, "encryptionConfiguration", enc);
  return o;
}

SbImage *
sb_repo_find_image (SbRepo     *repo,
                    const char *digest,
                    const char *tag)
{
  if (digest)
    return g_hash_table_lookup (repo->by_digest, digest);
  if (tag)
    return g_hash_table_lookup (repo->by_tag, tag);
  return NULL;
}

static guint
image_index (SbRepo  *repo,
             SbImage *image)
{
  guint lo = 0, hi = repo->images->len;

  /* images are kept in ascending seq order */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      SbImage *m = repo->images->pdata[mid];

      if (m->seq < image->seq)
        lo = mid + 1;
      else
        hi = mid;
    }
  g_assert (lo < repo->images->len && repo->images->pdata[lo] == image);
  return lo;
}

void
sb_repo_remove_image (SbRepo  *repo,
                      SbImage *image)
{
  for (guint i = 0; i < image->tags->len; i++)
    g_hash_table_remove (repo->by_tag, image->tags->pdata[i]);
  g_hash_table_remove (repo->by_digest, image->digest);
  if (image->children)
    {
      for (guint i = 0; i < image->children->len; i++)
        {
          SbImage *child = g_hash_table_lookup (repo->by_digest, image->children->pdata[i]);

          if (child && child->n_parents > 0)
            child->n_parents--;
        }
    }
  g_ptr_array_remove_index (repo->images, image_index (repo, image));
}

void
sb_repo_untag (SbRepo     *repo,
               SbImage    *image,
               const char *tag)
{
  for (guint i = 0; i < image->tags->len; i++)
    {
      if (g_str_equal (image->tags->pdata[i], tag))
        {
          g_hash_table_remove (repo->by_tag, tag);
          g_ptr_array_remove_index (image->tags, i);
          return;
        }
    }
}

SbImage *
sb_repo_insert_image (SbRepo     *repo,
                      const char *digest,
                      const char *manifest,
                      const char *media_type,
                      const char *artifact_media_type,
                      guint64     size,
                      GPtrArray  *children,
                      gint64      pushed_at)
{
  SbImage *image = g_new0 (SbImage, 1);

  image->seq = repo->next_image_seq++;
  image->digest = g_strdup (digest);
  image->manifest = g_strdup (manifest);
  image->media_type = g_strdup (media_type);
  image->artifact_media_type = g_strdup (artifact_media_type);
  image->tags = g_ptr_array_new_with_free_func (g_free);
  image->pushed_at = pushed_at;
  image->size = size;
  if (children)
    {
      image->children = g_ptr_array_ref (children);
      for (guint i = 0; i < children->len; i++)
        {
          SbImage *child = g_hash_table_lookup (repo->by_digest, children->pdata[i]);

          if (child)
            child->n_parents++;
        }
    }
  g_ptr_array_add (repo->images, image);
  g_hash_table_insert (repo->by_digest, image->digest, image);
  return image;
}

void
sb_repo_attach_tag (SbRepo     *repo,
                    SbImage    *image,
                    const char *tag)
{
  SbImage *previous = g_hash_table_lookup (repo->by_tag, tag);
  char *copy;

  if (previous == image)
    return;
  if (previous)
    sb_repo_untag (repo, previous, tag);
  copy = g_strdup (tag);
  g_ptr_array_add (image->tags, copy);
  g_hash_table_insert (repo->by_tag, copy, image);
}

gboolean
sb_wildcard_match (const char *pattern,
                   const char *text)
{
  const char *star = NULL, *resume = NULL;

  while (*text)
    {
      if (*pattern == '*')
        {
          star = pattern++;
          resume = text;
        }
      else if (*pattern == *text)
        {
          pattern++;
          text++;
        }
      else if (star)
        {
          pattern = star + 1;
          text = ++resume;
        }
      else
        return FALSE;
    }
  while (*pattern == '*')
    pattern++;
  return *pattern == '\0';
}

gboolean
sb_repo_tag_is_immutable (SbRepo     *repo,
                          const char *tag)
{
  gboolean matched = FALSE;

  for (guint i = 0; i < repo->mutability_filters->len && !matched; i++)
    matched = sb_wildcard_match (repo->mutability_filters->pdata[i], tag);

  if (g_str_equal (repo->tag_mutability, "IMMUTABLE"))
    return TRUE;
  if (g_str_equal (repo->tag_mutability, "IMMUTABLE_WITH_EXCLUSION"))
    return !matched;
  if (g_str_equal (repo->tag_mutability, "MUTABLE_WITH_EXCLUSION"))
    return matched;
  return FALSE;
}

/* Persistence */

static JsonArray *
strv_array (GPtrArray *strings)
{
  JsonArray *a = json_array_new ();

  for (guint i = 0; strings && i < strings->len; i++)
    json_array_add_string_element (a, strings->pdata[i]);
  return a;
}

static void
set_opt_string (JsonObject *o,
                const char *name,
                const char *value)
{
  if (value)
    json_object_set_string_member (o, name, value);
}

JsonNode *
sb_registry_serialize (SbRegistry *registry)
{
  g_autoptr(JsonObject) o = json_object_new ();
  JsonArray *repos = json_array_new ();

  json_object_set_string_member (o, "account", registry->account);
  json_object_set_string_member (o, "region", registry->region);
  json_object_set_int_member (o, "nextRepoSeq", registry->next_repo_seq);
  json_object_set_string_member (o, "scanType", registry->scan_type);
  json_object_set_member (o, "scanRules", json_node_copy (registry->scan_rules));

  for (guint i = 0; i < registry->repos->len; i++)
    {
      SbRepo *repo = registry->repos->pdata[i];
      JsonObject *r = json_object_new ();
      JsonArray *images = json_array_new ();
      JsonArray *tags = json_array_new ();

      json_object_set_int_member (r, "seq", repo->seq);
      json_object_set_string_member (r, "name", repo->name);
      json_object_set_int_member (r, "createdAt", repo->created_at);
      json_object_set_string_member (r, "tagMutability", repo->tag_mutability);
      json_object_set_array_member (r, "mutabilityFilters", strv_array (repo->mutability_filters));
      json_object_set_boolean_member (r, "scanOnPush", repo->scan_on_push);
      json_object_set_string_member (r, "encryptionType", repo->encryption_type);
      set_opt_string (r, "kmsKey", repo->kms_key);
      for (guint t = 0; t < repo->tag_keys->len; t++)
        {
          JsonObject *tag = json_object_new ();

          json_object_set_string_member (tag, "Key", repo->tag_keys->pdata[t]);
          json_object_set_string_member (tag, "Value", repo->tag_values->pdata[t]);
          json_array_add_object_element (tags, tag);
        }
      json_object_set_array_member (r, "tags", tags);
      set_opt_string (r, "policy", repo->policy);
      set_opt_string (r, "lifecyclePolicy", repo->lifecycle_policy);
      json_object_set_int_member (r, "lifecyclePutAt", repo->lifecycle_put_at);
      json_object_set_int_member (r, "lifecycleRunAt", repo->lifecycle_run_at);
      json_object_set_int_member (r, "nextImageSeq", repo->next_image_seq);

      for (guint k = 0; k < repo->images->len; k++)
        {
          SbImage *image = repo->images->pdata[k];
          JsonObject *im = json_object_new ();

          json_object_set_int_member (im, "seq", image->seq);
          json_object_set_string_member (im, "digest", image->digest);
          json_object_set_string_member (im, "manifest", image->manifest);
          json_object_set_string_member (im, "mediaType", image->media_type);
          set_opt_string (im, "artifactMediaType", image->artifact_media_type);
          json_object_set_array_member (im, "tags", strv_array (image->tags));
          json_object_set_int_member (im, "pushedAt", image->pushed_at);
          json_object_set_int_member (im, "lastPull", image->last_pull);
          json_object_set_int_member (im, "size", image->size);
          if (image->children)
            json_object_set_array_member (im, "children", strv_array (image->children));
          json_object_set_int_member (im, "scanStarted", image->scan_started);
          json_array_add_object_element (images, im);
        }
      json_object_set_array_member (r, "images", images);
      json_array_add_object_element (repos, r);
    }
  json_object_set_array_member (o, "repositories", repos);
  /* The node takes its own reference; ours goes with @o. */
  return json_node_init_object (json_node_alloc (), o);
}

/* Strict readers: a state file that does not have the expected shape is refused. */
static gboolean
need_member (JsonObject  *o,
             const char  *name,
             JsonNodeType type,
             GType        value_type,
             GError     **error)
{
  JsonNode *n = json_object_get_member (o, name);

  if (!n || JSON_NODE_TYPE (n) != type
      || (type == JSON_NODE_VALUE && value_type != G_TYPE_INVALID
          && json_node_get_value_type (n) != value_type))
    {
      g_set_error (error, WHARF_SANDBOX_ERROR, WHARF_SANDBOX_ERROR_STATE,
                   _("member “%s” is missing or has the wrong type"), name);
      return FALSE;
    }
  return TRUE;
}

static const char *
opt_string (JsonObject *o,
            const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    return json_node_get_string (n);
  return NULL;
}

static GPtrArray *
read_strings (JsonObject *o,
              const char *name,
              GError    **error)
{
  JsonArray *a;
  GPtrArray *out;

  if (!need_member (o, name, JSON_NODE_ARRAY, G_TYPE_INVALID, error))
    return NULL;
  a = json_object_get_array_member (o, name);
  out = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *n = json_array_get_element (a, i);

      if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
        {
          g_set_error (error, WHARF_SANDBOX_ERROR, WHARF_SANDBOX_ERROR_STATE,
                       _("“%s” must hold strings"), name);
          g_ptr_array_unref (out);
          return NULL;
        }
      g_ptr_array_add (out, g_strdup (json_node_get_string (n)));
    }
  return out;
}

static gboolean
read_image (SbRepo     *repo,
            JsonObject *im,
            GError    **error)
{
  g_autoptr(GPtrArray) tags = NULL;
  g_autoptr(GPtrArray) children = NULL;
  SbImage *image;
  guint64 seq;

  if (!need_member (im, "seq", JSON_NODE_VALUE, G_TYPE_INT64, error)
      || !need_member (im, "digest", JSON_NODE_VALUE, G_TYPE_STRING, error)
      || !need_member (im, "manifest", JSON_NODE_VALUE, G_TYPE_STRING, error)
      || !need_member (im, "mediaType", JSON_NODE_VALUE, G_TYPE_STRING, error)
      || !need_member (im, "pushedAt", JSON_NODE_VALUE, G_TYPE_INT64, error)
      || !need_member (im, "size", JSON_NODE_VALUE, G_TYPE_INT64, error)
      || !(tags = read_strings (im, "tags", error)))
    return FALSE;
  if (json_object_has_member (im, "children")
      && !(children = read_strings (im, "children", error)))
    return FALSE;

  seq = json_object_get_int_member (im, "seq");
  if (g_hash_table_contains (repo->by_digest, json_object_get_string_member (im, "digest"))
      || (repo->images->len > 0
          && ((SbImage *) repo->images->pdata[repo->images->len - 1])->seq >= seq))
    {
      g_set_error (error, WHARF_SANDBOX_ERROR, WHARF_SANDBOX_ERROR_STATE,
                   _("repository “%s” lists an image twice or out of order"), repo->name);
      return FALSE;
    }

  image = sb_repo_insert_image (repo,
                                json_object_get_string_member (im, "digest"),
                                json_object_get_string_member (im, "manifest"),
                                json_object_get_string_member (im, "mediaType"),
                                opt_string (im, "artifactMediaType"),
                                json_object_get_int_member (im, "size"),
                                children,
                                json_object_get_int_member (im, "pushedAt"));
  image->seq = seq;
  image->last_pull = json_object_get_int_member_with_default (im, "lastPull", 0);
  image->scan_started = json_object_get_int_member_with_default (im, "scanStarted", 0);
  for (guint i = 0; i < tags->len; i++)
    sb_repo_attach_tag (repo, image, tags->pdata[i]);
  return TRUE;
}

SbRegistry *
sb_registry_deserialize (JsonObject *o,
                         GError    **error)
{
  SbRegistry *registry;
  JsonArray *repos;

  if (!need_member (o, "account", JSON_NODE_VALUE, G_TYPE_STRING, error)
      || !need_member (o, "region", JSON_NODE_VALUE, G_TYPE_STRING, error)
      || !need_member (o, "repositories", JSON_NODE_ARRAY, G_TYPE_INVALID, error))
    return NULL;

  registry = sb_registry_new (json_object_get_string_member (o, "account"),
                              json_object_get_string_member (o, "region"));
  if (opt_string (o, "scanType"))
    {
      g_free (registry->scan_type);
      registry->scan_type = g_strdup (opt_string (o, "scanType"));
    }
  if (json_object_has_member (o, "scanRules")
      && JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "scanRules")))
    {
      json_node_unref (registry->scan_rules);
      registry->scan_rules = json_node_copy (json_object_get_member (o, "scanRules"));
    }

  repos = json_object_get_array_member (o, "repositories");
  for (guint i = 0; i < json_array_get_length (repos); i++)
    {
      JsonNode *rn = json_array_get_element (repos, i);
      JsonObject *r;
      g_autoptr(GPtrArray) filters = NULL;
      SbRepo *repo;
      JsonArray *images, *tags;

      if (!JSON_NODE_HOLDS_OBJECT (rn))
        goto bad;
      r = json_node_get_object (rn);
      if (!need_member (r, "name", JSON_NODE_VALUE, G_TYPE_STRING, error)
          || !need_member (r, "seq", JSON_NODE_VALUE, G_TYPE_INT64, error)
          || !need_member (r, "createdAt", JSON_NODE_VALUE, G_TYPE_INT64, error)
          || !need_member (r, "tagMutability", JSON_NODE_VALUE, G_TYPE_STRING, error)
          || !need_member (r, "encryptionType", JSON_NODE_VALUE, G_TYPE_STRING, error)
          || !need_member (r, "images", JSON_NODE_ARRAY, G_TYPE_INVALID, error)
          || !need_member (r, "tags", JSON_NODE_ARRAY, G_TYPE_INVALID, error)
          || !(filters = read_strings (r, "mutabilityFilters", error)))
        goto fail;
      if (g_hash_table_contains (registry->by_name, json_object_get_string_member (r, "name")))
        goto bad;

      repo = sb_registry_add_repo (registry, json_object_get_string_member (r, "name"),
                                   json_object_get_int_member (r, "createdAt"));
      repo->seq = json_object_get_int_member (r, "seq");
      if (registry->repos->len > 1
          && ((SbRepo *) registry->repos->pdata[registry->repos->len - 2])->seq >= repo->seq)
        goto bad;
      g_free (repo->tag_mutability);
      repo->tag_mutability = g_strdup (json_object_get_string_member (r, "tagMutability"));
      g_ptr_array_extend_and_steal (repo->mutability_filters, g_steal_pointer (&filters));
      repo->scan_on_push = json_object_get_boolean_member_with_default (r, "scanOnPush", FALSE);
      g_free (repo->encryption_type);
      repo->encryption_type = g_strdup (json_object_get_string_member (r, "encryptionType"));
      repo->kms_key = g_strdup (opt_string (r, "kmsKey"));
      repo->policy = g_strdup (opt_string (r, "policy"));
      repo->lifecycle_policy = g_strdup (opt_string (r, "lifecyclePolicy"));
      repo->lifecycle_put_at = json_object_get_int_member_with_default (r, "lifecyclePutAt", repo->created_at);
      repo->lifecycle_run_at = json_object_get_int_member_with_default (r, "lifecycleRunAt", 0);

      tags = json_object_get_array_member (r, "tags");
      for (guint t = 0; t < json_array_get_length (tags); t++)
        {
          JsonNode *tn = json_array_get_element (tags, t);
          JsonObject *tag;

          if (!JSON_NODE_HOLDS_OBJECT (tn))
            goto bad;
          tag = json_node_get_object (tn);
          if (!opt_string (tag, "Key") || !opt_string (tag, "Value"))
            goto bad;
          g_ptr_array_add (repo->tag_keys, g_strdup (opt_string (tag, "Key")));
          g_ptr_array_add (repo->tag_values, g_strdup (opt_string (tag, "Value")));
        }

      images = json_object_get_array_member (r, "images");
      for (guint k = 0; k < json_array_get_length (images); k++)
        {
          JsonNode *in = json_array_get_element (images, k);

          if (!JSON_NODE_HOLDS_OBJECT (in))
            goto bad;
          if (!read_image (repo, json_node_get_object (in), error))
            goto fail;
        }
      /* Children may be listed after their index: count the references again. */
      for (guint k = 0; k < repo->images->len; k++)
        ((SbImage *) repo->images->pdata[k])->n_parents = 0;
      for (guint k = 0; k < repo->images->len; k++)
        {
          SbImage *image = repo->images->pdata[k];

          for (guint c = 0; image->children && c < image->children->len; c++)
            {
              SbImage *child = g_hash_table_lookup (repo->by_digest, image->children->pdata[c]);

              if (child)
                child->n_parents++;
            }
        }
      repo->next_image_seq = MAX ((guint64) json_object_get_int_member_with_default (r, "nextImageSeq", 1),
                                  repo->next_image_seq);
    }
  registry->next_repo_seq = json_object_get_int_member_with_default (o, "nextRepoSeq", 1);
  for (guint i = 0; i < registry->repos->len; i++)
    registry->next_repo_seq = MAX (registry->next_repo_seq,
                                   ((SbRepo *) registry->repos->pdata[i])->seq + 1);
  return registry;

bad:
  g_set_error (error, WHARF_SANDBOX_ERROR, WHARF_SANDBOX_ERROR_STATE,
               _("a repository entry has the wrong shape"));
fail:
  sb_registry_free (registry);
  return NULL;
}
