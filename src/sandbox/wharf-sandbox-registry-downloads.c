/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Blob downloads: GET/HEAD /v2/<name>/blobs/<digest>, and the URLs of
 * GetDownloadUrlForLayer (/layer-download/<digest>, as ECR's pre-signed S3 URLs).
 */
#define G_LOG_DOMAIN "wharf-sandbox-registry"

#include "config.h"

#include <string.h>

#include "wharf-sandbox-registry-request-private.h"

void
sb_reg_serve_blob (Request *r)
{
  const char *method = soup_server_message_get_method (r->msg);
  const char *digest = r->route.arg;
  g_autofree char *path = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (r->msg);
  guint64 size;
  char length[32];

  if (g_str_equal (method, "DELETE"))
    {
      sb_reg_respond_error (r->msg, 405, "UNSUPPORTED", "The operation is unsupported.");
      return;
    }
  if (!g_str_equal (method, "GET") && !g_str_equal (method, "HEAD"))
    {
      sb_reg_respond_error (r->msg, 405, "UNSUPPORTED", "The operation is unsupported.");
      return;
    }
  if (!sb_blobs_digest_is_valid (digest))
    {
      sb_reg_respond_error_detail (r->msg, 400, "DIGEST_INVALID", sb_reg_digest_detail (digest),
                                   "provided digest is not a valid sha256 digest");
      return;
    }
  if (!sb_dist_repo_has_blob (r->dist, r->registry, r->repo, digest, &size))
    {
      sb_reg_respond_error_detail (r->msg, 404, "BLOB_UNKNOWN", sb_reg_digest_detail (digest),
                                   "blob unknown to registry");
      return;
    }
  sb_reg_set_header (r->msg, API_VERSION_HEADER, API_VERSION);
  sb_reg_set_header (r->msg, "Docker-Content-Digest", digest);
  sb_reg_set_header (r->msg, "Accept-Ranges", "bytes");
  sb_reg_set_header (r->msg, "Cache-Control", "max-age=31536000");
  g_snprintf (length, sizeof length, "%" G_GUINT64_FORMAT, size);
  soup_server_message_set_status (r->msg, 200, NULL);
  if (g_str_equal (method, "HEAD"))
    {
      soup_message_headers_set_content_type (headers, "application/octet-stream", NULL);
      soup_message_headers_set_content_length (headers, size);
      return;
    }
  path = sb_blobs_get_path (sb_dist_get_blobs (r->dist), digest);
  soup_message_headers_set_content_type (headers, "application/octet-stream", NULL);
  if (!sb_reg_stream_file (r->msg, path, size))
    sb_reg_respond_error (r->msg, 500, "UNKNOWN", "The blob %s cannot be read", digest);
}

/* GetDownloadUrlForLayer's URLs: /layer-download/<digest>?X-Amz-Expires=…&X-Amz-Signature=… */
void
sb_reg_serve_download (SoupServer        *server,
                       SoupServerMessage *msg,
                       const char        *path,
                       GHashTable        *query,
                       gpointer           user_data)
{
  WharfSandbox *self = user_data;
  SbDist *dist = sb_sandbox_get_dist (self);
  const char *digest;
  const char *expires = query ? g_hash_table_lookup (query, "X-Amz-Expires") : NULL;
  const char *signature = query ? g_hash_table_lookup (query, "X-Amz-Signature") : NULL;
  g_autofree char *blob_path = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  guint64 size;

  if (!g_str_has_prefix (path, DOWNLOAD_PREFIX) || !expires || !signature)
    {
      soup_server_message_set_status (msg, 403, NULL);
      soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_STATIC,
                                        "<Error><Code>AccessDenied</Code></Error>", 40);
      return;
    }
  digest = path + strlen (DOWNLOAD_PREFIX);
  if (!sb_dist_check_download_url (self, digest, expires, signature))
    {
      static const char denied[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
                                   "AccessDenied</Code><Message>Request has expired or the "
                                   "signature does not match</Message></Error>";

      soup_server_message_set_status (msg, 403, NULL);
      soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_STATIC,
                                        denied, strlen (denied));
      return;
    }
  if (!(g_str_equal (method, "GET") || g_str_equal (method, "HEAD"))
      || !sb_blobs_lookup (sb_dist_get_blobs (dist), digest, &size))
    {
      static const char missing[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
                                    "NoSuchKey</Code><Message>The specified key does not "
                                    "exist.</Message></Error>";

      soup_server_message_set_status (msg, 404, NULL);
      soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_STATIC,
                                        missing, strlen (missing));
      return;
    }
  /* what S3 sends with an object */
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_content_type (headers, "application/octet-stream", NULL);
  soup_message_headers_replace (headers, "ETag", digest + strlen ("sha256:"));
  soup_message_headers_replace (headers, "Accept-Ranges", "bytes");
  if (g_str_equal (method, "HEAD"))
    {
      soup_message_headers_set_content_length (headers, size);
      return;
    }
  blob_path = sb_blobs_get_path (sb_dist_get_blobs (dist), digest);
  if (!sb_reg_stream_file (msg, blob_path, size))
    soup_server_message_set_status (msg, 500, NULL);
}
