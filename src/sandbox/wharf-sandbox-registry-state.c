/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The registry's state beside the blob store: upload sessions (shared by /v2/ uploads
 * and ECR's layer operations), which repository may read which blob (links made by an
 * upload or a mount), the blobs each manifest names, and the garbage collection of the
 * blobs no image references any more.
 */
#define G_LOG_DOMAIN "wharf-sandbox-registry"

#include "config.h"

#include <string.h>

#include "wharf-sandbox-registry-private.h"

/* A finished upload no manifest names yet survives a garbage collection this long. */
#define PENDING_GRACE      ((gint64) G_TIME_SPAN_HOUR)
/* Upload sessions each hold an open file: an abandoned one goes after a day, and no client
 * may hold more than this many at once (the sandbox would run out of file descriptors). */
#define UPLOAD_LIFETIME    ((gint64) 24 * G_TIME_SPAN_HOUR)
#define MAX_UPLOADS        256

struct _SbDist
{
  SbBlobs    *blobs;
  GHashTable *uploads;         /* uuid → SbUpload * */
  GHashTable *links;           /* "account/region/repository@digest" → gint64 * (linked at) */
  GHashTable *manifest_blobs;  /* manifest digest → GPtrArray * of blob digests */
};

static void
sb_upload_free (SbUpload *upload)
{
  g_free (upload->uuid);
  g_free (upload->account);
  g_free (upload->region);
  g_free (upload->repository);
  sb_blob_writer_free (upload->writer);
  g_free (upload);
}

SbDist *
sb_dist_new (const char *state_path,
             GError    **error)
{
  SbBlobs *blobs = sb_blobs_new (state_path, error);
  SbDist *dist;

  if (!blobs)
    return NULL;
  dist = g_new0 (SbDist, 1);
  dist->blobs = blobs;
  dist->uploads = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) sb_upload_free);
  dist->links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  dist->manifest_blobs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify) g_ptr_array_unref);
  return dist;
}

void
sb_dist_free (SbDist *dist)
{
  if (!dist)
    return;
  g_hash_table_unref (dist->uploads);
  g_hash_table_unref (dist->links);
  g_hash_table_unref (dist->manifest_blobs);
  sb_blobs_free (dist->blobs);
  g_free (dist);
}

SbBlobs *
sb_dist_get_blobs (SbDist *dist)
{
  return dist->blobs;
}

/* Uploads and links */

SbUpload *
sb_dist_start_upload (SbDist     *dist,
                      const char *account,
                      const char *region,
                      const char *repository,
                      gint64      now,
                      GError    **error)
{
  SbBlobWriter *writer;
  SbUpload *upload;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, dist->uploads);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (now - ((SbUpload *) value)->started_at >= UPLOAD_LIFETIME)
      g_hash_table_iter_remove (&iter);
  if (g_hash_table_size (dist->uploads) >= MAX_UPLOADS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES,
                   "%u uploads are in progress: finish or cancel one first", MAX_UPLOADS);
      return NULL;
    }
  writer = sb_blob_writer_new (dist->blobs, SB_MAX_LAYER_SIZE, error);
  if (!writer)
    return NULL;
  upload = g_new0 (SbUpload, 1);
  upload->uuid = g_uuid_string_random ();
  upload->account = g_strdup (account);
  upload->region = g_strdup (region);
  upload->repository = g_strdup (repository);
  upload->writer = writer;
  upload->started_at = now;
  g_hash_table_insert (dist->uploads, upload->uuid, upload);
  return upload;
}

SbUpload *
sb_dist_lookup_upload (SbDist     *dist,
                       const char *uuid,
                       const char *account,
                       const char *region,
                       const char *repository)
{
  SbUpload *upload = uuid ? g_hash_table_lookup (dist->uploads, uuid) : NULL;

  if (!upload || !g_str_equal (upload->account, account) || !g_str_equal (upload->region, region)
      || !g_str_equal (upload->repository, repository))
    return NULL;
  return upload;
}

SbUpload *
sb_dist_find_upload (SbDist     *dist,
                     const char *uuid)
{
  return g_hash_table_lookup (dist->uploads, uuid);
}

void
sb_dist_drop_upload (SbDist     *dist,
                     const char *uuid)
{
  g_hash_table_remove (dist->uploads, uuid);
}

static char *
link_key (const char *account,
          const char *region,
          const char *repository,
          const char *digest)
{
  return g_strdup_printf ("%s/%s/%s@%s", account, region, repository, digest);
}

void
sb_dist_link_blob (SbDist     *dist,
                   const char *account,
                   const char *region,
                   const char *repository,
                   const char *digest,
                   gint64      now)
{
  gint64 *at = g_new (gint64, 1);

  *at = now;
  g_hash_table_replace (dist->links, link_key (account, region, repository, digest), at);
}

GPtrArray *
sb_dist_manifest_blobs (const char *manifest)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  GPtrArray *digests = g_ptr_array_new_with_free_func (g_free);
  JsonObject *m, *config;
  JsonNode *node;

  if (!json_parser_load_from_data (parser, manifest, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return digests;
  m = json_node_get_object (json_parser_get_root (parser));
  node = json_object_get_member (m, "config");
  if (node && JSON_NODE_HOLDS_OBJECT (node))
    {
      config = json_node_get_object (node);
      if (sb_blobs_digest_is_valid (json_object_get_string_member_with_default (config, "digest", NULL)))
        g_ptr_array_add (digests, g_strdup (json_object_get_string_member (config, "digest")));
    }
  node = json_object_get_member (m, "layers");
  if (node && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *layers = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (layers); i++)
        {
          JsonNode *ln = json_array_get_element (layers, i);
          const char *d;

          if (!JSON_NODE_HOLDS_OBJECT (ln))
            continue;
          d = json_object_get_string_member_with_default (json_node_get_object (ln), "digest", NULL);
          if (sb_blobs_digest_is_valid (d))
            g_ptr_array_add (digests, g_strdup (d));
        }
    }
  return digests;
}

/* The blobs of @image, parsed once per manifest digest (content-addressed, never stale). */
static GPtrArray *
image_blobs (SbDist  *dist,
             SbImage *image)
{
  GPtrArray *digests = g_hash_table_lookup (dist->manifest_blobs, image->digest);

  if (!digests)
    {
      digests = sb_dist_manifest_blobs (image->manifest);
      g_hash_table_insert (dist->manifest_blobs, g_strdup (image->digest), digests);
    }
  return digests;
}

static gboolean
repo_references_blob (SbDist     *dist,
                      SbRepo     *repo,
                      const char *digest)
{
  for (guint i = 0; i < repo->images->len; i++)
    {
      GPtrArray *digests = image_blobs (dist, repo->images->pdata[i]);

      for (guint k = 0; k < digests->len; k++)
        if (g_str_equal (digests->pdata[k], digest))
          return TRUE;
    }
  return FALSE;
}

gboolean
sb_dist_repo_has_blob (SbDist     *dist,
                       SbRegistry *registry,
                       SbRepo     *repo,
                       const char *digest,
                       guint64    *size)
{
  g_autofree char *key = NULL;

  if (!sb_blobs_lookup (dist->blobs, digest, size))
    return FALSE;
  key = link_key (registry->account, registry->region, repo->name, digest);
  return g_hash_table_contains (dist->links, key) || repo_references_blob (dist, repo, digest);
}

char *
sb_dist_find_missing_blob (SbDist     *dist,
                           SbRegistry *registry,
                           SbRepo     *repo,
                           const char *manifest)
{
  g_autoptr(GPtrArray) digests = sb_dist_manifest_blobs (manifest);

  for (guint i = 0; i < digests->len; i++)
    if (!sb_dist_repo_has_blob (dist, registry, repo, digests->pdata[i], NULL))
      return g_strdup (digests->pdata[i]);
  return NULL;
}

void
sb_dist_image_pushed (SbDist     *dist,
                      SbRegistry *registry,
                      SbRepo     *repo,
                      const char *manifest)
{
  g_autoptr(GPtrArray) digests = sb_dist_manifest_blobs (manifest);

  for (guint i = 0; i < digests->len; i++)
    {
      g_autofree char *key = link_key (registry->account, registry->region, repo->name,
                                       digests->pdata[i]);

      g_hash_table_remove (dist->links, key);
    }
}

guint
sb_dist_collect_garbage (WharfSandbox *self)
{
  SbDist *dist = sb_sandbox_get_dist (self);
  g_autoptr(GHashTable) keep = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) live = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) expired = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;
  gint64 now = wharf_sandbox_get_now (self);
  guint removed;

  g_hash_table_iter_init (&iter, sb_sandbox_get_registries (self));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SbRegistry *registry = value;

      for (guint r = 0; r < registry->repos->len; r++)
        {
          SbRepo *repo = registry->repos->pdata[r];

          for (guint i = 0; i < repo->images->len; i++)
            {
              SbImage *image = repo->images->pdata[i];
              GPtrArray *digests = image_blobs (dist, image);

              g_hash_table_add (live, image->digest);
              for (guint k = 0; k < digests->len; k++)
                g_hash_table_add (keep, digests->pdata[k]);
            }
        }
    }
  g_hash_table_iter_init (&iter, dist->links);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (now - *(gint64 *) value < PENDING_GRACE)
        g_hash_table_add (keep, strrchr (key, '@') + 1);
      else
        g_ptr_array_add (expired, key);
    }
  removed = sb_blobs_collect (dist->blobs, keep);
  for (guint i = 0; i < expired->len; i++)
    g_hash_table_remove (dist->links, expired->pdata[i]);
  /* the cache only needs the manifests of images that still exist */
  g_hash_table_iter_init (&iter, dist->manifest_blobs);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (live, key))
      g_hash_table_iter_remove (&iter);
  return removed;
}
