/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The sandbox's content-addressed blob store: layers and configs pushed through the
 * registry protocol or ECR's layer operations live as files
 * <root>/sha256/<first two hex digits>/<64 hex digits>, written to a temporary file while
 * hashed, then renamed into place. <root> is "<state file>.blobs", or a temporary directory
 * removed with the store when the sandbox keeps its state in memory.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SbBlobs SbBlobs;
typedef struct _SbBlobWriter SbBlobWriter;

#define SB_BLOBS_ERROR (sb_blobs_error_quark ())

/**
 * SbBlobsError:
 * @SB_BLOBS_ERROR_DIGEST: the content does not have the digest the client named
 * @SB_BLOBS_ERROR_SIZE: the content is larger than the store accepts
 * @SB_BLOBS_ERROR_IO: the disk refused
 */
typedef enum {
  SB_BLOBS_ERROR_DIGEST,
  SB_BLOBS_ERROR_SIZE,
  SB_BLOBS_ERROR_IO,
} SbBlobsError;

GQuark        sb_blobs_error_quark     (void);

/* @state_path: the sandbox's state file, or NULL for a temporary store. */
SbBlobs      *sb_blobs_new             (const char   *state_path,
                                        GError      **error);
void          sb_blobs_free            (SbBlobs      *blobs);
const char   *sb_blobs_get_root        (SbBlobs      *blobs);

/* TRUE when @digest is "sha256:" and 64 lowercase hex digits. */
gboolean      sb_blobs_digest_is_valid (const char   *digest);
/* The file of @digest (which need not exist); NULL for an invalid digest. */
char         *sb_blobs_get_path        (SbBlobs      *blobs,
                                        const char   *digest);
/* TRUE with its size when the store holds @digest. */
gboolean      sb_blobs_lookup          (SbBlobs      *blobs,
                                        const char   *digest,
                                        guint64      *size);
/* Removes every blob whose digest is not in @keep (a set of "sha256:…" strings). Returns
 * how many were removed. */
guint         sb_blobs_collect         (SbBlobs      *blobs,
                                        GHashTable   *keep);
/* Every digest in the store (for tests and the GC). */
GPtrArray    *sb_blobs_list            (SbBlobs      *blobs);

/* A blob being written: appended to a temporary file under <root>/uploads while hashed. */
SbBlobWriter *sb_blob_writer_new       (SbBlobs      *blobs,
                                        guint64       max_size,
                                        GError      **error);
void          sb_blob_writer_free      (SbBlobWriter *writer);
gboolean      sb_blob_writer_write     (SbBlobWriter *writer,
                                        const void   *data,
                                        gsize         len,
                                        GError      **error);
guint64       sb_blob_writer_get_size  (SbBlobWriter *writer);
/* Finishes the blob: checks that its digest is @expected (when not NULL), moves it into
 * the store and returns its digest. The writer cannot be used afterwards, whatever the
 * result (a digest mismatch discards the content). */
char         *sb_blob_writer_commit    (SbBlobWriter *writer,
                                        const char   *expected,
                                        GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbBlobWriter, sb_blob_writer_free)

G_END_DECLS
