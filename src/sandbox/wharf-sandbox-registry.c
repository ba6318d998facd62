/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The registry protocol of the sandbox: the Docker Registry HTTP API V2 / OCI Distribution
 * 1.1 under /v2/, as ECR's registry endpoint speaks it, on the same store as the JSON API.
 *
 * Authentication is ECR's: HTTP Basic with the user "AWS" and the password that
 * GetAuthorizationToken issued. The password names the (account, region) it was issued
 * for and its expiry, with an HMAC-SHA256 under a key derived from the sandbox's secret,
 * so it cannot be forged and it selects the registry a request reaches: every region is
 * served on the sandbox's one address.
 *
 * Blob uploads stream: an early handler turns off the accumulation of the request body
 * and appends each chunk to the upload's file while hashing it.
 */
#define G_LOG_DOMAIN "wharf-sandbox-registry"

#include "config.h"

#include <glib/gi18n.h>

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wharf-ecr-validate.h"
#include "wharf-sandbox-registry-private.h"

#define MT_DOCKER_V2       "application/vnd.docker.distribution.manifest.v2+json"
#define MT_DOCKER_LIST     "application/vnd.docker.distribution.manifest.list.v2+json"
#define MT_OCI_MANIFEST    "application/vnd.oci.image.manifest.v1+json"
#define MT_OCI_INDEX       "application/vnd.oci.image.index.v1+json"

#define API_VERSION_HEADER "Docker-Distribution-API-Version"
#define API_VERSION        "registry/2.0"
#define PASSWORD_CONTEXT   "wharf-sandbox registry password v1"
#define DOWNLOAD_CONTEXT   "wharf-sandbox layer download v1"
#define DOWNLOAD_PREFIX    "/layer-download/"
/* A finished upload no manifest names yet survives a garbage collection this long. */
#define PENDING_GRACE      ((gint64) G_TIME_SPAN_HOUR)
#define MAX_TAGS_PAGE      1000

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

/* Passwords */

static void
derive_key (const guint8 *token_key,
            const char   *context,
            guint8        key[32])
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, token_key, 32);
  gsize len = 32;

  g_hmac_update (hmac, (const guchar *) context, -1);
  g_hmac_get_digest (hmac, key, &len);
}

static char *
sign_text (const guint8 *token_key,
           const char   *context,
           const char   *text)
{
  guint8 key[32];
  char *mac;

  derive_key (token_key, context, key);
  mac = g_compute_hmac_for_string (G_CHECKSUM_SHA256, key, sizeof key, text, -1);
  memset (key, 0, sizeof key);
  return mac;
}

static gboolean
equal_in_constant_time (const char *a,
                        const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  guint8 diff = la != lb;

  for (gsize i = 0; i < MIN (la, lb); i++)
    diff |= a[i] ^ b[i];
  return diff == 0;
}

char *
sb_dist_issue_password (const guint8 *token_key,
                        const char   *account,
                        const char   *region,
                        gint64        expires_at)
{
  g_autofree char *claims = g_strdup_printf ("%s:%s:%" G_GINT64_FORMAT, account, region,
                                             expires_at / G_USEC_PER_SEC);
  g_autofree char *mac = sign_text (token_key, PASSWORD_CONTEXT, claims);
  g_autofree char *text = g_strconcat ("wharf1:", claims, ":", mac, NULL);

  return g_base64_encode ((const guchar *) text, strlen (text));
}

typedef enum
{
  AUTH_OK,
  AUTH_MISSING,
  AUTH_INVALID,
  AUTH_EXPIRED,
} AuthResult;

/* Checks the Authorization header; fills the (account, region) the password names. */
static AuthResult
check_password (WharfSandbox       *self,
                SoupServerMessage  *msg,
                char              **account,
                char              **region)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  g_autofree guchar *decoded = NULL;
  g_autofree char *user_pass = NULL;
  g_autofree char *password_text = NULL;
  g_autofree char *mac = NULL;
  g_autofree char *claims = NULL;
  g_auto(GStrv) parts = NULL;
  gsize len;
  gint64 expires;
  char *end;

  if (!header || g_ascii_strncasecmp (header, "Basic ", 6) != 0)
    return AUTH_MISSING;
  decoded = g_base64_decode (header + 6, &len);
  user_pass = g_strndup ((const char *) decoded, len);
  if (!g_str_has_prefix (user_pass, "AWS:"))
    return AUTH_INVALID;
  g_free (decoded);
  decoded = g_base64_decode (user_pass + 4, &len);
  password_text = g_strndup ((const char *) decoded, len);
  parts = g_strsplit (password_text, ":", -1);
  if (g_strv_length (parts) != 5 || !g_str_equal (parts[0], "wharf1"))
    return AUTH_INVALID;
  claims = g_strdup_printf ("%s:%s:%s", parts[1], parts[2], parts[3]);
  mac = sign_text (sb_sandbox_get_token_key (self), PASSWORD_CONTEXT, claims);
  if (!equal_in_constant_time (mac, parts[4]))
    return AUTH_INVALID;
  expires = g_ascii_strtoll (parts[3], &end, 10);
  if (*end || expires * G_USEC_PER_SEC <= wharf_sandbox_get_now (self))
    return AUTH_EXPIRED;
  *account = g_strdup (parts[1]);
  *region = g_strdup (parts[2]);
  return AUTH_OK;
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
  SbBlobWriter *writer = sb_blob_writer_new (dist->blobs, SB_MAX_LAYER_SIZE, error);
  SbUpload *upload;

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

char *
sb_dist_download_url (WharfSandbox *self,
                      const char   *digest,
                      gint64        expires_at)
{
  g_autofree char *claims = NULL;
  g_autofree char *mac = NULL;

  if (!wharf_sandbox_get_url (self))
    return NULL;
  claims = g_strdup_printf ("%s:%" G_GINT64_FORMAT, digest, expires_at / G_USEC_PER_SEC);
  mac = sign_text (sb_sandbox_get_token_key (self), DOWNLOAD_CONTEXT, claims);
  return g_strdup_printf ("%s" DOWNLOAD_PREFIX "%s?X-Amz-Expires=%" G_GINT64_FORMAT
                          "&X-Amz-Signature=%s",
                          wharf_sandbox_get_url (self), digest, expires_at / G_USEC_PER_SEC, mac);
}

/* Responses */

static void
set_header (SoupServerMessage *msg,
            const char        *name,
            const char        *value)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), name, value);
}

static void
respond_bytes (SoupServerMessage *msg,
               guint              status,
               const char        *content_type,
               const char        *body,
               gsize              len)
{
  set_header (msg, API_VERSION_HEADER, API_VERSION);
  soup_server_message_set_status (msg, status, NULL);
  if (content_type)
    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, len);
  else
    soup_message_headers_set_content_length (soup_server_message_get_response_headers (msg), 0);
}

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              JsonNode          *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  gsize len;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  respond_bytes (msg, status, "application/json; charset=utf-8", text, len);
}

/* The registry's error body: {"errors":[{"code":…,"message":…,"detail":…}]}. */
static void
respond_error_detail (SoupServerMessage *msg,
                      guint              status,
                      const char        *code,
                      JsonNode          *detail,   /* taken, nullable */
                      const char        *format,
                      ...) G_GNUC_PRINTF (5, 6);

static void
respond_error_detail (SoupServerMessage *msg,
                      guint              status,
                      const char        *code,
                      JsonNode          *detail,
                      const char        *format,
                      ...)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *message = NULL;
  JsonObject *o = json_object_new ();
  JsonObject *e = json_object_new ();
  JsonArray *errors = json_array_new ();
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_debug ("%s %s → %u %s: %s", soup_server_message_get_method (msg),
           g_uri_get_path (soup_server_message_get_uri (msg)), status, code, message);
  json_object_set_string_member (e, "code", code);
  json_object_set_string_member (e, "message", message);
  if (detail)
    json_object_set_member (e, "detail", detail);
  json_array_add_object_element (errors, e);
  json_object_set_array_member (o, "errors", errors);
  root = json_node_init_object (json_node_alloc (), o);
  json_object_unref (o);
  respond_json (msg, status, root);
}

#define respond_error(msg, status, code, ...) \
  respond_error_detail (msg, status, code, NULL, __VA_ARGS__)

static JsonNode *
digest_detail (const char *digest)
{
  JsonObject *o = json_object_new ();
  JsonNode *node;

  json_object_set_string_member (o, "digest", digest);
  node = json_node_init_object (json_node_alloc (), o);
  json_object_unref (o);
  return node;
}

static void
respond_unauthorized (WharfSandbox      *self,
                      SoupServerMessage *msg,
                      AuthResult         result)
{
  g_autofree char *challenge = g_strdup_printf ("Basic realm=\"%s/\",service=\"ecr.amazonaws.com\"",
                                                wharf_sandbox_get_url (self));

  if (result == AUTH_EXPIRED)
    {
      respond_error (msg, 403, "DENIED",
                     "Your authorization token has expired. Reauthenticate and try again.");
      return;
    }
  set_header (msg, "WWW-Authenticate", challenge);
  respond_error (msg, 401, "UNAUTHORIZED",
                 result == AUTH_MISSING ? "authentication required"
                                        : "Your authorization token is invalid. Get one from "
                                          "GetAuthorizationToken (aws ecr get-login-password).");
}

/* Routes */

typedef enum
{
  ROUTE_BASE,
  ROUTE_BLOB,
  ROUTE_UPLOAD,
  ROUTE_MANIFEST,
  ROUTE_TAGS,
  ROUTE_REFERRERS,
} RouteKind;

typedef struct
{
  RouteKind kind;
  char     *name;
  char     *arg;    /* digest, uuid (maybe ""), reference; NULL for BASE and TAGS */
} Route;

static void
route_clear (Route *route)
{
  g_clear_pointer (&route->name, g_free);
  g_clear_pointer (&route->arg, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Route, route_clear)

/* Splits "/v2/<name>/<kind>/<arg>"; the name may hold slashes. */
static gboolean
parse_route (const char *path,
             Route      *route)
{
  static const struct
  {
    const char *infix;
    RouteKind   kind;
  } kinds[] = {
    { "/blobs/uploads/", ROUTE_UPLOAD },
    { "/blobs/", ROUTE_BLOB },
    { "/manifests/", ROUTE_MANIFEST },
    { "/referrers/", ROUTE_REFERRERS },
  };
  const char *rest;

  if (g_str_equal (path, "/v2") || g_str_equal (path, "/v2/"))
    {
      route->kind = ROUTE_BASE;
      return TRUE;
    }
  if (!g_str_has_prefix (path, "/v2/"))
    return FALSE;
  rest = path + 4;
  if (g_str_has_suffix (rest, "/tags/list"))
    {
      route->kind = ROUTE_TAGS;
      route->name = g_strndup (rest, strlen (rest) - strlen ("/tags/list"));
      return route->name[0] != '\0';
    }
  if (g_str_has_suffix (rest, "/blobs/uploads"))
    {
      route->kind = ROUTE_UPLOAD;
      route->name = g_strndup (rest, strlen (rest) - strlen ("/blobs/uploads"));
      route->arg = g_strdup ("");
      return route->name[0] != '\0';
    }
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      const char *at = g_strrstr (rest, kinds[i].infix);
      const char *arg;

      if (!at || at == rest)
        continue;
      arg = at + strlen (kinds[i].infix);
      if (strchr (arg, '/'))
        continue;
      if (kinds[i].kind != ROUTE_UPLOAD && arg[0] == '\0')
        continue;
      route->kind = kinds[i].kind;
      route->name = g_strndup (rest, at - rest);
      route->arg = g_strdup (arg);
      return TRUE;
    }
  return FALSE;
}

/* One registry request being served. */
typedef struct
{
  WharfSandbox      *self;
  SbDist            *dist;
  SoupServerMessage *msg;
  GHashTable        *query;
  Route              route;
  SbRegistry        *registry;
  SbRepo            *repo;
  gint64             now;
} Request;

static const char *
query_get (Request    *r,
           const char *name)
{
  return r->query ? g_hash_table_lookup (r->query, name) : NULL;
}

static char *
repo_path (Request    *r,
           const char *kind,
           const char *arg)
{
  return g_strdup_printf ("/v2/%s/%s/%s", r->route.name, kind, arg);
}

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
  upload = in->uuid ? g_hash_table_lookup (in->dist->uploads, in->uuid) : NULL;
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

/* "start-end" → start, end; FALSE when malformed. */
static gboolean
parse_range (const char *text,
             guint64    *start,
             guint64    *end)
{
  char *p;

  if (!text)
    return FALSE;
  if (g_str_has_prefix (text, "bytes="))
    text += 6;
  *start = g_ascii_strtoull (text, &p, 10);
  if (p == text || *p != '-')
    return FALSE;
  text = p + 1;
  *end = g_ascii_strtoull (text, &p, 10);
  return p != text && *p == '\0' && *end >= *start;
}

static void
early_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  WharfSandbox *self = user_data;
  SbDist *dist = sb_sandbox_get_dist (self);
  const char *method = soup_server_message_get_method (msg);
  g_auto(Route) route = { 0 };
  g_autofree char *account = NULL, *region = NULL;
  Incoming *in;

  if (!parse_route (path, &route) || route.kind != ROUTE_UPLOAD
      || !(g_str_equal (method, "PATCH") || g_str_equal (method, "PUT")
           || g_str_equal (method, "POST")))
    return;

  /* never keep an upload's body in memory, whether it is accepted or not */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  if (check_password (self, msg, &account, &region) != AUTH_OK)
    return;

  in = g_new0 (Incoming, 1);
  in->dist = dist;
  if (g_str_equal (method, "POST"))
    {
      if (query && g_hash_table_lookup (query, "digest") && !g_hash_table_lookup (query, "mount"))
        in->writer = sb_blob_writer_new (dist->blobs, SB_MAX_LAYER_SIZE, &in->error);
    }
  else
    {
      SbUpload *upload = sb_dist_lookup_upload (dist, route.arg, account, region, route.name);
      SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
      const char *range = soup_message_headers_get_one (headers, "Content-Range");
      guint64 start, end;

      if (upload)
        {
          in->uuid = g_strdup (upload->uuid);
          in->expected_start = sb_blob_writer_get_size (upload->writer);
          if (range && g_str_equal (method, "PATCH")
              && (!parse_range (range, &start, &end) || start != in->expected_start))
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
    respond_error (r->msg, 400, "SIZE_INVALID", "%s (ECR's layer size limit)", error->message);
  else if (g_error_matches (error, SB_BLOBS_ERROR, SB_BLOBS_ERROR_DIGEST))
    respond_error (r->msg, 400, "DIGEST_INVALID", "%s", error->message);
  else
    respond_error (r->msg, 500, "UNKNOWN", "%s", error->message);
}

static void
respond_upload_status (Request  *r,
                       SbUpload *upload,
                       guint     status)
{
  g_autofree char *location = repo_path (r, "blobs/uploads", upload->uuid);
  guint64 size = sb_blob_writer_get_size (upload->writer);
  g_autofree char *range = g_strdup_printf ("0-%" G_GUINT64_FORMAT, size > 0 ? size - 1 : 0);

  set_header (r->msg, "Location", location);
  set_header (r->msg, "Docker-Upload-UUID", upload->uuid);
  set_header (r->msg, "Range", range);
  respond_bytes (r->msg, status, NULL, NULL, 0);
}

static void
respond_blob_created (Request    *r,
                      const char *digest)
{
  g_autofree char *location = repo_path (r, "blobs", digest);

  set_header (r->msg, "Location", location);
  set_header (r->msg, "Docker-Content-Digest", digest);
  respond_bytes (r->msg, 201, NULL, NULL, 0);
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
      respond_error_detail (r->msg, 400, "DIGEST_INVALID", NULL,
                            "provided digest did not match uploaded content: %s is not a "
                            "sha256 digest", expected ? expected : "(none)");
      return;
    }
  digest = sb_blob_writer_commit (writer, expected, &error);
  if (!digest)
    {
      if (g_error_matches (error, SB_BLOBS_ERROR, SB_BLOBS_ERROR_DIGEST))
        respond_error_detail (r->msg, 400, "DIGEST_INVALID", digest_detail (expected),
                              "provided digest did not match uploaded content");
      else
        respond_upload_error (r, error);
      return;
    }
  sb_dist_link_blob (r->dist, r->registry->account, r->registry->region, r->repo->name, digest,
                     r->now);
  respond_blob_created (r, digest);
}

static void
serve_upload (Request  *r,
              Incoming *in)
{
  const char *method = soup_server_message_get_method (r->msg);
  SbUpload *upload = NULL;

  if (g_str_equal (method, "POST"))
    {
      const char *mount = query_get (r, "mount");
      const char *from = query_get (r, "from");
      const char *digest = query_get (r, "digest");

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
            respond_error (r->msg, 500, "UNKNOWN", "The upload was not received");
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
      respond_error (r->msg, 404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry");
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
      respond_bytes (r->msg, 204, NULL, NULL, 0);
      return;
    }
  if (!in || g_strcmp0 (in->uuid, upload->uuid) != 0)
    {
      respond_error (r->msg, 404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry");
      return;
    }
  if (in->bad_range)
    {
      g_autofree char *range = g_strdup_printf ("0-%" G_GUINT64_FORMAT,
                                                in->expected_start > 0 ? in->expected_start - 1 : 0);

      set_header (r->msg, "Location", g_uri_get_path (soup_server_message_get_uri (r->msg)));
      set_header (r->msg, "Range", range);
      set_header (r->msg, "Docker-Upload-UUID", upload->uuid);
      respond_error (r->msg, 416, "BLOB_UPLOAD_INVALID",
                     "the Content-Range does not continue the upload at byte %" G_GUINT64_FORMAT,
                     in->expected_start);
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
      finish_blob (r, upload->writer, query_get (r, "digest"));
      sb_dist_drop_upload (r->dist, upload->uuid);
      return;
    }
  respond_error (r->msg, 405, "UNSUPPORTED", "The operation is unsupported.");
}

/* Streams a blob as the response body in 256 KiB chunks read as the previous one is written,
 * never accumulated: the memory used does not grow with the blob. */
typedef struct
{
  int    fd;
  guint8 buffer[256 * 1024];
} Outgoing;

static void
outgoing_free (Outgoing *out)
{
  if (out->fd >= 0)
    close (out->fd);
  g_free (out);
}

static void
write_next_chunk_cb (SoupServerMessage *msg,
                     gpointer           user_data)
{
  Outgoing *out = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  gssize n;

  if (out->fd < 0)
    return;
  do
    n = read (out->fd, out->buffer, sizeof out->buffer);
  while (n < 0 && errno == EINTR);
  if (n > 0)
    soup_message_body_append (body, SOUP_MEMORY_COPY, out->buffer, n);
  else
    {
      close (out->fd);
      out->fd = -1;
      soup_message_body_complete (body);
    }
  soup_server_message_unpause (msg);
}

static gboolean
stream_file (SoupServerMessage *msg,
             const char        *path,
             guint64            size)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  Outgoing *out = g_new0 (Outgoing, 1);

  out->fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (out->fd < 0)
    {
      g_free (out);
      return FALSE;
    }
  soup_message_headers_set_content_length (headers, size);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (write_next_chunk_cb), out);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (write_next_chunk_cb), out);
  g_object_set_data_full (G_OBJECT (msg), "wharf-sandbox-outgoing", out,
                          (GDestroyNotify) outgoing_free);
  return TRUE;
}

static void
serve_blob (Request *r)
{
  const char *method = soup_server_message_get_method (r->msg);
  const char *digest = r->route.arg;
  g_autofree char *path = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (r->msg);
  guint64 size;
  char length[32];

  if (g_str_equal (method, "DELETE"))
    {
      respond_error (r->msg, 405, "UNSUPPORTED", "The operation is unsupported.");
      return;
    }
  if (!g_str_equal (method, "GET") && !g_str_equal (method, "HEAD"))
    {
      respond_error (r->msg, 405, "UNSUPPORTED", "The operation is unsupported.");
      return;
    }
  if (!sb_blobs_digest_is_valid (digest))
    {
      respond_error_detail (r->msg, 400, "DIGEST_INVALID", digest_detail (digest),
                            "provided digest is not a valid sha256 digest");
      return;
    }
  if (!sb_dist_repo_has_blob (r->dist, r->registry, r->repo, digest, &size))
    {
      respond_error_detail (r->msg, 404, "BLOB_UNKNOWN", digest_detail (digest),
                            "blob unknown to registry");
      return;
    }
  set_header (r->msg, API_VERSION_HEADER, API_VERSION);
  set_header (r->msg, "Docker-Content-Digest", digest);
  set_header (r->msg, "Accept-Ranges", "bytes");
  set_header (r->msg, "Cache-Control", "max-age=31536000");
  g_snprintf (length, sizeof length, "%" G_GUINT64_FORMAT, size);
  soup_server_message_set_status (r->msg, 200, NULL);
  if (g_str_equal (method, "HEAD"))
    {
      soup_message_headers_set_content_type (headers, "application/octet-stream", NULL);
      soup_message_headers_set_content_length (headers, size);
      return;
    }
  path = sb_blobs_get_path (r->dist->blobs, digest);
  soup_message_headers_set_content_type (headers, "application/octet-stream", NULL);
  if (!stream_file (r->msg, path, size))
    respond_error (r->msg, 500, "UNKNOWN", "The blob %s cannot be read", digest);
}

/* Manifests */

static const char *
json_string_member (JsonObject *o,
                    const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

static gboolean
is_known_manifest_type (const char *type)
{
  return g_str_equal (type, MT_DOCKER_V2) || g_str_equal (type, MT_DOCKER_LIST)
         || g_str_equal (type, MT_OCI_MANIFEST) || g_str_equal (type, MT_OCI_INDEX);
}

static gboolean
accepts (SoupServerMessage *msg,
         const char        *media_type)
{
  const char *accept = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                      "Accept");
  g_auto(GStrv) items = NULL;

  if (!accept || !*accept)
    return TRUE;
  items = g_strsplit (accept, ",", -1);
  for (guint i = 0; items[i]; i++)
    {
      g_autofree char *item = g_strstrip (g_strdup (items[i]));
      char *semicolon = strchr (item, ';');

      if (semicolon)
        *semicolon = '\0';
      g_strstrip (item);
      if (g_str_equal (item, "*/*") || g_str_equal (item, media_type))
        return TRUE;
    }
  return FALSE;
}

static void
serve_manifest_get (Request *r)
{
  gboolean by_digest = g_str_has_prefix (r->route.arg, "sha256:");
  SbImage *image = sb_repo_find_image (r->repo, by_digest ? r->route.arg : NULL,
                                       by_digest ? NULL : r->route.arg);
  gsize len;

  if (!image)
    {
      respond_error (r->msg, 404, "MANIFEST_UNKNOWN",
                     "Requested image not found");
      return;
    }
  /* an index only to a client that says it reads indexes, as ECR and Distribution do */
  if ((g_str_equal (image->media_type, MT_OCI_INDEX) || g_str_equal (image->media_type, MT_DOCKER_LIST))
      && !accepts (r->msg, image->media_type))
    {
      respond_error (r->msg, 404, "MANIFEST_UNKNOWN",
                     "The manifest is an index (%s), but the Accept header does not allow it",
                     image->media_type);
      return;
    }
  len = strlen (image->manifest);
  set_header (r->msg, "Docker-Content-Digest", image->digest);
  if (g_str_equal (soup_server_message_get_method (r->msg), "HEAD"))
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (r->msg);

      set_header (r->msg, API_VERSION_HEADER, API_VERSION);
      soup_server_message_set_status (r->msg, 200, NULL);
      soup_message_headers_set_content_type (headers, image->media_type, NULL);
      soup_message_headers_set_content_length (headers, len);
      return;
    }
  image->last_pull = r->now;
  sb_sandbox_changed (r->self);
  respond_bytes (r->msg, 200, image->media_type, image->manifest, len);
}

static void
serve_manifest_put (Request *r)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (r->msg));
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *manifest = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *location = NULL;
  const char *reference = r->route.arg;
  gboolean by_digest = g_str_has_prefix (reference, "sha256:");
  const char *header_type, *body_type, *type, *subject_digest = NULL;
  SbCall call = { 0 };
  JsonObject *m;
  JsonNode *subject;
  SbImage *image;
  gsize len;
  const char *data = g_bytes_get_data (body, &len);

  header_type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (r->msg),
                                                        NULL);
  if (len > SB_MAX_MANIFEST_SIZE)
    {
      respond_error (r->msg, 400, "MANIFEST_INVALID",
                     "manifest invalid: the manifest is larger than ECR's limit of %" G_GSIZE_FORMAT
                     " bytes", SB_MAX_MANIFEST_SIZE);
      return;
    }
  if (!by_digest && !wharf_ecr_validate_image_tag (reference, NULL))
    {
      respond_error (r->msg, 400, "TAG_INVALID",
                     "manifest tag did not match URI: '%s' is not a valid image tag", reference);
      return;
    }
  manifest = g_strndup (data ? data : "", len);
  if (len == 0 || strlen (manifest) != len || !g_utf8_validate (manifest, len, NULL)
      || !json_parser_load_from_data (parser, manifest, len, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      respond_error (r->msg, 400, "MANIFEST_INVALID", "manifest invalid: not a JSON object");
      return;
    }
  m = json_node_get_object (json_parser_get_root (parser));
  body_type = json_string_member (m, "mediaType");
  if (header_type && (g_str_equal (header_type, "application/json")
                      || g_str_equal (header_type, "application/octet-stream")))
    header_type = NULL;
  if (header_type && body_type && !g_str_equal (header_type, body_type))
    {
      respond_error (r->msg, 400, "MANIFEST_INVALID",
                     "manifest invalid: the Content-Type %s does not match the manifest's "
                     "mediaType %s", header_type, body_type);
      return;
    }
  type = header_type ? header_type : body_type;
  if (!type || !is_known_manifest_type (type))
    {
      respond_error (r->msg, 400, "MANIFEST_INVALID",
                     "manifest invalid: unsupported manifest media type %s",
                     type ? type : "(none)");
      return;
    }
  content_type = g_strdup (type);
  if (!g_str_equal (type, MT_OCI_INDEX) && !g_str_equal (type, MT_DOCKER_LIST))
    {
      missing = sb_dist_find_missing_blob (r->dist, r->registry, r->repo, manifest);
      if (missing)
        {
          respond_error_detail (r->msg, 400, "MANIFEST_BLOB_UNKNOWN", digest_detail (missing),
                                "blob unknown to registry: %s", missing);
          return;
        }
    }
  subject = json_object_get_member (m, "subject");
  if (subject && JSON_NODE_HOLDS_OBJECT (subject))
    subject_digest = json_string_member (json_node_get_object (subject), "digest");

  call.registry = r->registry;
  call.operation = "PutImage";
  call.now = r->now;
  call.token_key = sb_sandbox_get_token_key (r->self);
  call.sandbox = r->self;
  image = sb_put_image (&call, r->repo, manifest, content_type, by_digest ? NULL : reference,
                        by_digest ? reference : NULL);
  if (!image && g_strcmp0 (call.error_type, "ImageAlreadyExistsException") == 0)
    {
      g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, manifest, -1);
      g_autofree char *digest = g_strconcat ("sha256:", hex, NULL);

      image = g_hash_table_lookup (r->repo->by_digest, digest);
    }
  if (!image)
    {
      const char *type_name = call.error_type ? call.error_type : "";

      if (g_str_equal (type_name, "ImageTagAlreadyExistsException"))
        respond_error (r->msg, 400, "TAG_INVALID", "%s", call.error_message);
      else if (g_str_equal (type_name, "ImageDigestDoesNotMatchException"))
        respond_error_detail (r->msg, 400, "DIGEST_INVALID", digest_detail (reference),
                              "%s", call.error_message);
      else if (g_str_equal (type_name, "ReferencedImagesNotFoundException"))
        respond_error (r->msg, 400, "MANIFEST_BLOB_UNKNOWN", "%s", call.error_message);
      else
        respond_error (r->msg, 400, "MANIFEST_INVALID", "manifest invalid: %s",
                       call.error_message ? call.error_message : "");
      g_free (call.error_type);
      g_free (call.error_message);
      return;
    }
  g_free (call.error_type);
  g_free (call.error_message);
  sb_dist_image_pushed (r->dist, r->registry, r->repo, manifest);
  sb_sandbox_changed (r->self);

  location = repo_path (r, "manifests", image->digest);
  set_header (r->msg, "Location", location);
  set_header (r->msg, "Docker-Content-Digest", image->digest);
  if (subject_digest)
    set_header (r->msg, "OCI-Subject", subject_digest);
  respond_bytes (r->msg, 201, NULL, NULL, 0);
}

static void
serve_manifest_delete (Request *r)
{
  gboolean by_digest = g_str_has_prefix (r->route.arg, "sha256:");
  SbImage *image = sb_repo_find_image (r->repo, by_digest ? r->route.arg : NULL,
                                       by_digest ? NULL : r->route.arg);

  if (!image)
    {
      respond_error (r->msg, 404, "MANIFEST_UNKNOWN", "Requested image not found");
      return;
    }
  if (!by_digest && image->tags->len > 1)
    sb_repo_untag (r->repo, image, r->route.arg);
  else
    {
      if (image->n_parents > 0)
        {
          respond_error (r->msg, 409, "DENIED",
                         "Requested image is referenced by an image index in this repository");
          return;
        }
      sb_repo_remove_image (r->repo, image);
      sb_dist_collect_garbage (r->self);
    }
  sb_sandbox_changed (r->self);
  respond_bytes (r->msg, 202, NULL, NULL, 0);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

static void
serve_tags (Request *r)
{
  g_autoptr(GPtrArray) tags = g_ptr_array_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *n_text = query_get (r, "n");
  const char *last = query_get (r, "last");
  JsonObject *o;
  JsonArray *list;
  GHashTableIter iter;
  gpointer key;
  guint64 n = MAX_TAGS_PAGE;
  guint start = 0, count;
  char *end;

  if (n_text)
    {
      n = g_ascii_strtoull (n_text, &end, 10);
      if (*n_text == '\0' || *end || n > MAX_TAGS_PAGE)
        {
          respond_error (r->msg, 400, "PAGINATION_NUMBER_INVALID",
                         "invalid number of results requested: n must be 0 to %d",
                         MAX_TAGS_PAGE);
          return;
        }
    }
  g_hash_table_iter_init (&iter, r->repo->by_tag);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (tags, key);
  g_ptr_array_sort (tags, compare_strings);
  if (last)
    while (start < tags->len && strcmp (tags->pdata[start], last) <= 0)
      start++;
  count = MIN ((guint64) (tags->len - start), n);

  o = json_object_new ();
  json_object_set_string_member (o, "name", r->repo->name);
  list = json_array_new ();
  for (guint i = start; i < start + count; i++)
    json_array_add_string_element (list, tags->pdata[i]);
  json_object_set_array_member (o, "tags", list);
  if (start + count < tags->len && count > 0)
    {
      g_autofree char *escaped = g_uri_escape_string (tags->pdata[start + count - 1], NULL, FALSE);
      g_autofree char *link = g_strdup_printf ("</v2/%s/tags/list?n=%" G_GUINT64_FORMAT
                                               "&last=%s>; rel=\"next\"",
                                               r->repo->name, n, escaped);

      set_header (r->msg, "Link", link);
    }
  root = json_node_init_object (json_node_alloc (), o);
  json_object_unref (o);
  respond_json (r->msg, 200, root);
}

static void
serve_referrers (Request *r)
{
  const char *digest = r->route.arg;
  const char *filter = query_get (r, "artifactType");
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  JsonArray *manifests = json_array_new ();
  JsonObject *index = json_object_new ();
  gsize len;

  if (!sb_blobs_digest_is_valid (digest))
    {
      json_array_unref (manifests);
      json_object_unref (index);
      respond_error_detail (r->msg, 400, "DIGEST_INVALID", digest_detail (digest),
                            "provided digest is not a valid sha256 digest");
      return;
    }
  for (guint i = 0; i < r->repo->images->len; i++)
    {
      SbImage *image = r->repo->images->pdata[i];
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *m, *d;
      JsonNode *subject, *annotations;
      const char *artifact_type;

      if (!strstr (image->manifest, "\"subject\"")
          || !json_parser_load_from_data (parser, image->manifest, -1, NULL)
          || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        continue;
      m = json_node_get_object (json_parser_get_root (parser));
      subject = json_object_get_member (m, "subject");
      if (!subject || !JSON_NODE_HOLDS_OBJECT (subject)
          || g_strcmp0 (json_string_member (json_node_get_object (subject), "digest"), digest) != 0)
        continue;
      artifact_type = json_string_member (m, "artifactType");
      if (!artifact_type && json_object_has_member (m, "config")
          && JSON_NODE_HOLDS_OBJECT (json_object_get_member (m, "config")))
        artifact_type = json_string_member (json_object_get_object_member (m, "config"),
                                            "mediaType");
      if (filter && g_strcmp0 (filter, artifact_type) != 0)
        continue;
      d = json_object_new ();
      json_object_set_string_member (d, "mediaType", image->media_type);
      json_object_set_string_member (d, "digest", image->digest);
      json_object_set_int_member (d, "size", strlen (image->manifest));
      if (artifact_type)
        json_object_set_string_member (d, "artifactType", artifact_type);
      annotations = json_object_get_member (m, "annotations");
      if (annotations && JSON_NODE_HOLDS_OBJECT (annotations))
        json_object_set_member (d, "annotations", json_node_copy (annotations));
      json_array_add_object_element (manifests, d);
    }
  json_object_set_int_member (index, "schemaVersion", 2);
  json_object_set_string_member (index, "mediaType", MT_OCI_INDEX);
  json_object_set_array_member (index, "manifests", manifests);
  root = json_node_init_object (json_node_alloc (), index);
  json_object_unref (index);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  if (filter)
    set_header (r->msg, "OCI-Filters-Applied", "artifactType");
  respond_bytes (r->msg, 200, MT_OCI_INDEX, text, len);
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  WharfSandbox *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  Incoming *in = g_object_get_data (G_OBJECT (msg), "wharf-sandbox-incoming");
  g_autofree char *account = NULL, *region = NULL;
  Request r = { 0 };
  AuthResult auth;

  r.self = self;
  r.dist = sb_sandbox_get_dist (self);
  r.msg = msg;
  r.query = query;
  r.now = wharf_sandbox_get_now (self);

  auth = check_password (self, msg, &account, &region);
  if (auth != AUTH_OK)
    {
      respond_unauthorized (self, msg, auth);
      return;
    }
  if (!parse_route (path, &r.route))
    {
      respond_error (msg, 404, "NAME_INVALID", "invalid repository name or route: %s", path);
      route_clear (&r.route);
      return;
    }
  if (r.route.kind == ROUTE_BASE)
    {
      respond_bytes (msg, 200, "application/json; charset=utf-8", "{}", 2);
      return;
    }

  r.registry = sb_sandbox_get_registry (self, account, region);
  if (!wharf_ecr_validate_repository_name (r.route.name, NULL))
    {
      respond_error (msg, 400, "NAME_INVALID", "invalid repository name: %s", r.route.name);
      route_clear (&r.route);
      return;
    }
  r.repo = g_hash_table_lookup (r.registry->by_name, r.route.name);
  if (!r.repo)
    {
      respond_error (msg, 404, "NAME_UNKNOWN",
                     "The repository with name '%s' does not exist in the registry with id '%s'",
                     r.route.name, r.registry->account);
      route_clear (&r.route);
      return;
    }
  if (sb_registry_run_lifecycle (r.registry, r.now))
    sb_sandbox_changed (self);

  switch (r.route.kind)
    {
    case ROUTE_BLOB:
      serve_blob (&r);
      break;
    case ROUTE_UPLOAD:
      serve_upload (&r, in);
      break;
    case ROUTE_MANIFEST:
      if (g_str_equal (method, "GET") || g_str_equal (method, "HEAD"))
        serve_manifest_get (&r);
      else if (g_str_equal (method, "PUT"))
        serve_manifest_put (&r);
      else if (g_str_equal (method, "DELETE"))
        serve_manifest_delete (&r);
      else
        respond_error (msg, 405, "UNSUPPORTED", "The operation is unsupported.");
      break;
    case ROUTE_TAGS:
      if (g_str_equal (method, "GET"))
        serve_tags (&r);
      else
        respond_error (msg, 405, "UNSUPPORTED", "The operation is unsupported.");
      break;
    case ROUTE_REFERRERS:
      if (g_str_equal (method, "GET"))
        serve_referrers (&r);
      else
        respond_error (msg, 405, "UNSUPPORTED", "The operation is unsupported.");
      break;
    case ROUTE_BASE:
    default:
      g_assert_not_reached ();
    }
  route_clear (&r.route);
}

/* GetDownloadUrlForLayer's URLs: /layer-download/<digest>?X-Amz-Expires=…&X-Amz-Signature=… */
static void
download_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  WharfSandbox *self = user_data;
  SbDist *dist = sb_sandbox_get_dist (self);
  const char *digest = path + strlen (DOWNLOAD_PREFIX);
  const char *expires = query ? g_hash_table_lookup (query, "X-Amz-Expires") : NULL;
  const char *signature = query ? g_hash_table_lookup (query, "X-Amz-Signature") : NULL;
  g_autofree char *claims = NULL;
  g_autofree char *mac = NULL;
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
  claims = g_strdup_printf ("%s:%s", digest, expires);
  mac = sign_text (sb_sandbox_get_token_key (self), DOWNLOAD_CONTEXT, claims);
  if (!equal_in_constant_time (mac, signature)
      || g_ascii_strtoll (expires, NULL, 10) * G_USEC_PER_SEC <= wharf_sandbox_get_now (self))
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
      || !sb_blobs_lookup (dist->blobs, digest, &size))
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
  blob_path = sb_blobs_get_path (dist->blobs, digest);
  if (!stream_file (msg, blob_path, size))
    soup_server_message_set_status (msg, 500, NULL);
}

/* Docker, Podman and skopeo try HTTPS first even for an insecure registry, and fall back to
 * HTTP only when that fails. A TLS ClientHello sent to a plain-HTTP SoupServer is read as
 * the start of a request line that never ends, so each command would wait for the client's
 * TLS handshake timeout (10 s in Go). Closing a connection whose first byte is a TLS
 * handshake record (0x16) makes the fallback immediate, as a real server's refusal would. */
static gboolean
refuse_tls (GSocket *socket)
{
  guint8 first = 0;
  gssize n;

  /* never block: libsoup's socket may be a blocking one */
  do
    n = recv (g_socket_get_fd (socket), &first, 1, MSG_PEEK | MSG_DONTWAIT);
  while (n < 0 && errno == EINTR);
  if (n == 1 && first == 0x16)
    {
      g_debug ("Closing a connection that starts a TLS handshake: the sandbox speaks plain HTTP");
      g_socket_shutdown (socket, TRUE, TRUE, NULL);
    }
  return n >= 0;
}

static gboolean
first_bytes_cb (GSocket      *socket,
                GIOCondition  condition,
                gpointer      user_data)
{
  refuse_tls (socket);
  return G_SOURCE_REMOVE;
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  g_autoptr(GSource) source = NULL;

  if (!socket || g_object_get_data (G_OBJECT (socket), "wharf-sandbox-checked"))
    return;
  g_object_set_data (G_OBJECT (socket), "wharf-sandbox-checked", GINT_TO_POINTER (TRUE));
  if (refuse_tls (socket))
    return;
  /* nothing to read yet: look before libsoup's own reader, which runs at default priority */
  source = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_priority (source, G_PRIORITY_HIGH);
  g_source_set_callback (source, (GSourceFunc) (void (*) (void)) first_bytes_cb, NULL, NULL);
  g_source_attach (source, g_main_context_get_thread_default ());
}

void
sb_dist_install (WharfSandbox *self,
                 SoupServer   *server)
{
  g_signal_connect (server, "request-started", G_CALLBACK (request_started_cb), NULL);
  soup_server_add_early_handler (server, "/v2", early_cb, self, NULL);
  soup_server_add_handler (server, "/v2", handler_cb, self, NULL);
  soup_server_add_handler (server, "/layer-download", download_cb, self, NULL);
}
