/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Blob uploads under /v2/<name>/blobs/uploads/: monolithic (POST with ?digest=),
 * sessions (POST, PATCH chunks, PUT to finish, GET status, DELETE) and cross-repository
 * mounts.
 *
 * Uploads stream: the early handler turns off the accumulation of the request body and
 * appends each chunk to the upload's file while hashing it.
 */
#define G_LOG_DOMAIN "wharf-sandbox-registry"

#include "config.h"

#include "wharf-sandbox-registry-request-private.h"

/* Streaming uploads: set up by the early handler, consumed by the handler. */
typedef struct
{
  SbDist       *dist;
  char         *uuid;          /* the session appended to, or NULL */
  SbBlobWriter *writer;        /* a monolithic upload's own writer */
  gboolean      bad_range;
  guint64       expected_start;
  GError       *error;
} Incoming;

static void
incoming_free (Incoming *in)
{
  g_free (in->uuid);
  sb_blob_writer_free (in->writer);
  g_clear_error (&in->error);
  g_free (in);
}

static SbBlobWriter *
incoming_writer (Incoming *in)
{
  SbUpload *upload;

  if (in->writer)
    return in->writer;
  upload = in->uuid ? sb_dist_find_upload (in->dist, in->uuid) : NULL;
  return upload ? upload->writer : NULL;
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  Incoming *in = user_data;
  SbBlobWriter *writer;
  gsize len;
  const void *data = g_bytes_get_data (chunk, &len);

  if (in->error || in->bad_range || !(writer = incoming_writer (in)))
    return;
  sb_blob_writer_write (writer, data, len, &in->error);
}

/* "start-end" (or "bytes=start-end") → start, end; FALSE when malformed or out of range. */
static gboolean
parse_range (const char *text,
             guint64    *start,
             guint64    *end)
{
  g_auto(GStrv) parts = NULL;

  if (!text)
    return FALSE;
  if (g_str_has_prefix (text, "bytes="))
    text += 6;
  parts = g_strsplit (text, "-", -1);
  return g_strv_length (parts) == 2
         && g_ascii_string_to_unsigned (parts[0], 10, 0, G_MAXINT64, start, NULL)
         && g_ascii_string_to_unsigned (parts[1], 10, 0, G_MAXINT64, end, NULL)
         && *end >= *start;
}

void
sb_reg_upload_prepare (SbDist            *dist,
                       SoupServerMessage *msg,
                       const Route       *route,
                       GHashTable        *query,
                       const char        *account,
                       const char        *region)
{
  const char *method = soup_server_message_get_method (msg);
  Incoming *in;

  in = g_new0 (Incoming, 1);
  in->dist = dist;
  if (g_str_equal (method, "POST"))
    {
      if (query && g_hash_table_lookup (query, "digest") && !g_hash_table_lookup (query, "mount"))
        in->writer = sb_blob_writer_new (sb_dist_get_blobs (dist), SB_MAX_LAYER_SIZE, &in->error);
    }
  else
    {
      SbUpload *upload = sb_dist_lookup_upload (dist, route->arg, account, region, route->name);
      SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
      const char *range = soup_message_headers_get_one (headers, "Content-Range");
      guint64 start, end;

      if (upload)
        {
          in->uuid = g_strdup (upload->uuid);
          in->expected_start = sb_blob_writer_get_size (upload->writer);
          /* the range must continue the upload and say how long the chunk is */
          if (range && g_str_equal (method, "PATCH")
              && (!parse_range (range, &start, &end) || start != in->expected_start
                  || (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
                      && (guint64) soup_message_headers_get_content_length (headers)
                         != end - start + 1)))
            in->bad_range = TRUE;
        }
    }
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), in);
  g_object_set_data_full (G_OBJECT (msg), "wharf-sandbox-incoming", in,
                          (GDestroyNotify) incoming_free);
}

static void
respond_upload_error (Request *r,
                      GError  *error)
{
  if (g_error_matches (error, SB_BLOBS_ERROR, SB_BLOBS_ERROR_SIZE))
    sb_reg_respond_error (r->msg, 400, "SIZE_INVALID", "%s (ECR's layer size limit)",
                          error->message);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES))
    sb_reg_respond_error (r->msg, 429, "TOOMANYREQUESTS", "%s", error->message);
  else if (g_error_matches (error, SB_BLOBS_ERROR, SB_BLOBS_ERROR_DIGEST))
    sb_reg_respond_error (r->msg, 400, "DIGEST_INVALID", "%s", error->message);
  else
    sb_reg_respond_error (r->msg, 500, "UNKNOWN", "%s", error->message);
}

static void
respond_upload_status (Request  *r,
                       SbUpload *upload,
                       guint     status)
{
  g_autofree char *location = sb_reg_repo_path (r, "blobs/uploads", upload->uuid);
  guint64 size = sb_blob_writer_get_size (upload->writer);
  g_autofree char *range = g_strdup_printf ("0-%" G_GUINT64_FORMAT, size > 0 ? size - 1 : 0);

  sb_reg_set_header (r->msg, "Location", location);
  sb_reg_set_header (r->msg, "Docker-Upload-UUID", upload->uuid);
  sb_reg_set_header (r->msg, "Range", range);
  sb_reg_respond_bytes (r->msg, status, NULL, NULL, 0);
}

static void
respond_blob_created (Request    *r,
                      const char *digest)
{
  g_autofree char *location = sb_reg_repo_path (r, "blobs", digest);

  sb_reg_set_header (r->msg, "Location", location);
  sb_reg_set_header (r->msg, "Docker-Content-Digest", digest);
  sb_reg_respond_bytes (r->msg, 201, NULL, NULL, 0);
}

static void
start_session (Request *r)
{
  g_autoptr(GError) error = NULL;
  SbUpload *upload = sb_dist_start_upload (r->dist, r->registry->account, r->registry->region,
                                           r->repo->name, r->now, &error);

  if (!upload)
    {
      respond_upload_error (r, error);
      return;
    }
  respond_upload_status (r, upload, 202);
}

/* Finishes a blob; @writer cannot be written to afterwards (the caller frees it). */
static void
finish_blob (Request      *r,
             SbBlobWriter *writer,
             const char   *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *digest = NULL;

  if (!sb_blobs_digest_is_valid (expected))
    {
      sb_reg_respond_error_detail (r->msg, 400, "DIGEST_INVALID", NULL,
                                   "provided digest did not match uploaded content: %s is not a "
                                   "sha256 digest", expected ? expected : "(none)");
      return;
    }
  digest = sb_blob_writer_commit (writer, expected, &error);
  if (!digest)
    {
      if (g_error_matches (error, SB_BLOBS_ERROR, SB_BLOBS_ERROR_DIGEST))
        sb_reg_respond_error_detail (r->msg, 400, "DIGEST_INVALID", sb_reg_digest_detail (expected),
                                     "provided digest did not match uploaded content");
      else
        respond_upload_error (r, error);
      return;
    }
  sb_dist_link_blob (r->dist, r->registry->account, r->registry->region, r->repo->name, digest,
                     r->now);
  respond_blob_created (r, digest);
}

void
sb_reg_serve_upload (Request *r)
{
  Incoming *in = g_object_get_data (G_OBJECT (r->msg), "wharf-sandbox-incoming");
  const char *method = soup_server_message_get_method (r->msg);
  SbUpload *upload = NULL;

  if (g_str_equal (method, "POST"))
    {
      const char *mount = sb_reg_query_get (r, "mount");
      const char *from = sb_reg_query_get (r, "from");
      const char *digest = sb_reg_query_get (r, "digest");

      if (mount)
        {
          SbRepo *source = from ? g_hash_table_lookup (r->registry->by_name, from) : NULL;

          /* ECR mounts within one registry when the caller can read the source; anything
           * else starts an ordinary upload */
          if (source && sb_dist_repo_has_blob (r->dist, r->registry, source, mount, NULL))
            {
              sb_dist_link_blob (r->dist, r->registry->account, r->registry->region,
                                 r->repo->name, mount, r->now);
              respond_blob_created (r, mount);
            }
          else
            start_session (r);
          return;
        }
      if (digest)
        {
          if (!in || (!in->writer && !in->error))
            sb_reg_respond_error (r->msg, 500, "UNKNOWN", "The upload was not received");
          else if (in->error)
            respond_upload_error (r, in->error);
          else
            finish_blob (r, in->writer, digest);
          return;
        }
      start_session (r);
      return;
    }

  upload = sb_dist_lookup_upload (r->dist, r->route.arg, r->registry->account,
                                  r->registry->region, r->repo->name);
  if (!upload)
    {
      sb_reg_respond_error (r->msg, 404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry");
      return;
    }
  if (g_str_equal (method, "GET"))
    {
      respond_upload_status (r, upload, 204);
      return;
    }
  if (g_str_equal (method, "DELETE"))
    {
      sb_dist_drop_upload (r->dist, upload->uuid);
      sb_reg_respond_bytes (r->msg, 204, NULL, NULL, 0);
      return;
    }
  if (!in || g_strcmp0 (in->uuid, upload->uuid) != 0)
    {
      sb_reg_respond_error (r->msg, 404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry");
      return;
    }
  if (in->bad_range)
    {
      g_autofree char *range = g_strdup_printf ("0-%" G_GUINT64_FORMAT,
                                                in->expected_start > 0 ? in->expected_start - 1 : 0);

      sb_reg_set_header (r->msg, "Location", g_uri_get_path (soup_server_message_get_uri (r->msg)));
      sb_reg_set_header (r->msg, "Range", range);
      sb_reg_set_header (r->msg, "Docker-Upload-UUID", upload->uuid);
      sb_reg_respond_error (r->msg, 416, "BLOB_UPLOAD_INVALID",
                            "the Content-Range does not continue the upload at byte %"
                            G_GUINT64_FORMAT, in->expected_start);
      return;
    }
  if (in->error)
    {
      respond_upload_error (r, in->error);
      sb_dist_drop_upload (r->dist, upload->uuid);
      return;
    }
  if (g_str_equal (method, "PATCH"))
    {
      respond_upload_status (r, upload, 202);
      return;
    }
  if (g_str_equal (method, "PUT"))
    {
      /* the upload ends here whatever the outcome: its writer is finished */
      finish_blob (r, upload->writer, sb_reg_query_get (r, "digest"));
      sb_dist_drop_upload (r->dist, upload->uuid);
      return;
    }
  sb_reg_respond_error (r->msg, 405, "UNSUPPORTED", "The operation is unsupported.");
}
