/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The content-addressed blob store. Nothing here holds a whole blob in memory: a writer
 * appends each chunk to its temporary file and hashes it on the way, and the registry
 * serves a blob from its file in chunks.
 */
#define G_LOG_DOMAIN "wharf-sandbox-blobs"

#include "config.h"

#include <glib/gi18n.h>

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "wharf-sandbox-blobs.h"

G_DEFINE_QUARK (sb-blobs-error-quark, sb_blobs_error)

struct _SbBlobs
{
  char    *root;
  gboolean temporary;
};

struct _SbBlobWriter
{
  SbBlobs   *blobs;
  char      *path;
  int        fd;
  GChecksum *checksum;
  guint64    size;
  guint64    max_size;
};

static gboolean
make_dir (const char *path,
          GError    **error)
{
  if (g_mkdir_with_parents (path, 0700) < 0)
    {
      int saved = errno;

      g_set_error (error, SB_BLOBS_ERROR, SB_BLOBS_ERROR_IO,
                   _("Cannot create the blob folder %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

SbBlobs *
sb_blobs_new (const char *state_path,
              GError    **error)
{
  SbBlobs *blobs = g_new0 (SbBlobs, 1);
  g_autofree char *uploads = NULL;

  if (state_path)
    blobs->root = g_strconcat (state_path, ".blobs", NULL);
  else
    {
      blobs->root = g_dir_make_tmp ("wharf-sandbox-blobs-XXXXXX", error);
      blobs->temporary = TRUE;
      if (!blobs->root)
        {
          g_free (blobs);
          return NULL;
        }
    }
  uploads = g_build_filename (blobs->root, "uploads", NULL);
  if (!make_dir (uploads, error))
    {
      sb_blobs_free (blobs);
      return NULL;
    }
  return blobs;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
sb_blobs_free (SbBlobs *blobs)
{
  if (!blobs)
    return;
  if (blobs->temporary)
    remove_tree (blobs->root);
  else
    {
      /* uploads do not survive a restart: their hash state is in memory */
      g_autofree char *uploads = g_build_filename (blobs->root, "uploads", NULL);

      remove_tree (uploads);
    }
  g_free (blobs->root);
  g_free (blobs);
}

const char *
sb_blobs_get_root (SbBlobs *blobs)
{
  return blobs->root;
}

gboolean
sb_blobs_digest_is_valid (const char *digest)
{
  const char *hex;

  if (!digest || !g_str_has_prefix (digest, "sha256:"))
    return FALSE;
  hex = digest + strlen ("sha256:");
  return strlen (hex) == 64 && strspn (hex, "0123456789abcdef") == 64;
}

char *
sb_blobs_get_path (SbBlobs    *blobs,
                   const char *digest)
{
  const char *hex;
  char prefix[3];

  if (!sb_blobs_digest_is_valid (digest))
    return NULL;
  hex = digest + strlen ("sha256:");
  prefix[0] = hex[0];
  prefix[1] = hex[1];
  prefix[2] = '\0';
  return g_build_filename (blobs->root, "sha256", prefix, hex, NULL);
}

gboolean
sb_blobs_lookup (SbBlobs    *blobs,
                 const char *digest,
                 guint64    *size)
{
  g_autofree char *path = sb_blobs_get_path (blobs, digest);
  GStatBuf st;

  if (!path || g_stat (path, &st) < 0 || !S_ISREG (st.st_mode))
    return FALSE;
  if (size)
    *size = st.st_size;
  return TRUE;
}

GPtrArray *
sb_blobs_list (SbBlobs *blobs)
{
  g_autofree char *top = g_build_filename (blobs->root, "sha256", NULL);
  g_autoptr(GDir) dir = g_dir_open (top, 0, NULL);
  GPtrArray *digests = g_ptr_array_new_with_free_func (g_free);
  const char *prefix;

  while (dir && (prefix = g_dir_read_name (dir)))
    {
      g_autofree char *sub = g_build_filename (top, prefix, NULL);
      g_autoptr(GDir) subdir = g_dir_open (sub, 0, NULL);
      const char *name;

      while (subdir && (name = g_dir_read_name (subdir)))
        {
          char *digest = g_strconcat ("sha256:", name, NULL);

          if (sb_blobs_digest_is_valid (digest))
            g_ptr_array_add (digests, digest);
          else
            g_free (digest);
        }
    }
  return digests;
}

guint
sb_blobs_collect (SbBlobs    *blobs,
                  GHashTable *keep)
{
  g_autoptr(GPtrArray) digests = sb_blobs_list (blobs);
  guint removed = 0;

  for (guint i = 0; i < digests->len; i++)
    {
      const char *digest = digests->pdata[i];
      g_autofree char *path = NULL;

      if (g_hash_table_contains (keep, digest))
        continue;
      path = sb_blobs_get_path (blobs, digest);
      if (g_unlink (path) == 0)
        {
          g_debug ("Removed unreferenced blob %s", digest);
          removed++;
        }
    }
  return removed;
}

/* Writers */

SbBlobWriter *
sb_blob_writer_new (SbBlobs *blobs,
                    guint64  max_size,
                    GError **error)
{
  g_autoptr(SbBlobWriter) writer = g_new0 (SbBlobWriter, 1);
  g_autofree char *name = g_uuid_string_random ();

  writer->blobs = blobs;
  writer->fd = -1;
  writer->max_size = max_size;
  writer->path = g_build_filename (blobs->root, "uploads", name, NULL);
  writer->fd = g_open (writer->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (writer->fd < 0)
    {
      int saved = errno;

      g_set_error (error, SB_BLOBS_ERROR, SB_BLOBS_ERROR_IO,
                   _("Cannot create the upload file %s: %s"), writer->path, g_strerror (saved));
      g_clear_pointer (&writer->path, g_free);
      return NULL;
    }
  writer->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  return g_steal_pointer (&writer);
}

void
sb_blob_writer_free (SbBlobWriter *writer)
{
  if (!writer)
    return;
  if (writer->fd >= 0)
    close (writer->fd);
  if (writer->path)
    g_unlink (writer->path);
  g_free (writer->path);
  g_clear_pointer (&writer->checksum, g_checksum_free);
  g_free (writer);
}

gboolean
sb_blob_writer_write (SbBlobWriter *writer,
                      const void   *data,
                      gsize         len,
                      GError      **error)
{
  const guint8 *p = data;
  gsize left = len;

  g_return_val_if_fail (writer->fd >= 0, FALSE);

  if (writer->size + len > writer->max_size)
    {
      g_set_error (error, SB_BLOBS_ERROR, SB_BLOBS_ERROR_SIZE,
                   _("The blob is larger than %" G_GUINT64_FORMAT " bytes"), writer->max_size);
      return FALSE;
    }
  while (left > 0)
    {
      gssize n = write (writer->fd, p, left);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, SB_BLOBS_ERROR, SB_BLOBS_ERROR_IO,
                       _("Cannot write the upload file: %s"), g_strerror (saved));
          return FALSE;
        }
      p += n;
      left -= n;
    }
  g_checksum_update (writer->checksum, data, len);
  writer->size += len;
  return TRUE;
}

guint64
sb_blob_writer_get_size (SbBlobWriter *writer)
{
  return writer->size;
}

char *
sb_blob_writer_commit (SbBlobWriter *writer,
                       const char   *expected,
                       GError      **error)
{
  g_autofree char *digest = NULL;
  g_autofree char *target = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (writer->fd >= 0, NULL);

  digest = g_strconcat ("sha256:", g_checksum_get_string (writer->checksum), NULL);
  if (close (writer->fd) < 0)
    {
      int saved = errno;

      writer->fd = -1;
      g_set_error (error, SB_BLOBS_ERROR, SB_BLOBS_ERROR_IO,
                   _("Cannot write the upload file: %s"), g_strerror (saved));
      return NULL;
    }
  writer->fd = -1;
  if (expected && !g_str_equal (expected, digest))
    {
      g_set_error (error, SB_BLOBS_ERROR, SB_BLOBS_ERROR_DIGEST,
                   _("The content has digest %s, not %s"), digest, expected);
      return NULL;
    }
  target = sb_blobs_get_path (writer->blobs, digest);
  dir = g_path_get_dirname (target);
  if (!make_dir (dir, error))
    return NULL;
  if (g_rename (writer->path, target) < 0)
    {
      int saved = errno;

      g_set_error (error, SB_BLOBS_ERROR, SB_BLOBS_ERROR_IO,
                   _("Cannot store the blob %s: %s"), digest, g_strerror (saved));
      return NULL;
    }
  g_clear_pointer (&writer->path, g_free);
  return g_steal_pointer (&digest);
}
