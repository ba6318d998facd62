/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The sandbox's registry protocol (/v2/) over real HTTP on loopback, driven with libsoup as
 * a registry client would: status codes, the headers clients depend on, error bodies,
 * authentication, immutability, and the garbage collection of blobs.
 */
#define G_LOG_DOMAIN "test-registry"

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "wharf-sandbox.h"
#include "wharf-sigv4.h"

#define MT_DOCKER_V2   "application/vnd.docker.distribution.manifest.v2+json"
#define MT_OCI         "application/vnd.oci.image.manifest.v1+json"
#define MT_OCI_INDEX   "application/vnd.oci.image.index.v1+json"
#define MT_CONFIG      "application/vnd.oci.image.config.v1+json"
#define MT_LAYER       "application/vnd.oci.image.layer.v1.tar"

typedef struct
{
  WharfSandbox *sandbox;
  SoupSession  *session;
  char         *password;
} Fixture;

typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;
  GBytes             *body;
  JsonNode           *json;
} Reply;

static void
reply_free (Reply *r)
{
  g_clear_pointer (&r->headers, soup_message_headers_unref);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_clear_pointer (&r->json, json_node_unref);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->sandbox = wharf_sandbox_new (data, &error);
  g_assert_no_error (error);
  wharf_sandbox_listen (f->sandbox, 0, &error);
  g_assert_no_error (error);
  f->session = soup_session_new ();
  f->password = wharf_sandbox_issue_registry_password (f->sandbox, NULL);
  g_assert_true (wharf_sandbox_create_repository (f->sandbox, NULL, "team/app", &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->sandbox);
  g_clear_object (&f->session);
  g_free (f->password);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  GAsyncResult **out = data;

  *out = g_object_ref (result);
}

/* @path is below the sandbox's URL; @password NULL = the fixture's, "" = none. */
static Reply *
request_full (Fixture    *f,
              const char *method,
              const char *path,
              const char *content_type,
              const void *body,
              gsize       len,
              const char *password,
              const char *extra_header,
              const char *extra_value)
{
  g_autofree char *url = g_strconcat (wharf_sandbox_get_url (f->sandbox), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  Reply *r = g_new0 (Reply, 1);
  gint64 deadline;

  g_assert_nonnull (msg);
  if (!password)
    password = f->password;
  if (*password)
    {
      g_autofree char *user_pass = g_strconcat ("AWS:", password, NULL);
      g_autofree char *encoded = g_base64_encode ((const guchar *) user_pass, strlen (user_pass));
      g_autofree char *value = g_strconcat ("Basic ", encoded, NULL);

      soup_message_headers_replace (headers, "Authorization", value);
    }
  if (extra_header)
    soup_message_headers_replace (headers, extra_header, extra_value);
  if (body || content_type)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, len);

      soup_message_set_request_body_from_bytes (msg, content_type ? content_type : "application/octet-stream",
                                                bytes);
    }
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, send_cb, &result);
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (!result && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (result);
  r->body = soup_session_send_and_read_finish (f->session, result, &error);
  g_assert_no_error (error);
  r->status = soup_message_get_status (msg);
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  if (g_bytes_get_size (r->body) > 0
      && json_parser_load_from_data (parser, g_bytes_get_data (r->body, NULL),
                                     g_bytes_get_size (r->body), NULL))
    r->json = json_node_ref (json_parser_get_root (parser));
  return r;
}

static Reply *
request (Fixture    *f,
         const char *method,
         const char *path)
{
  return request_full (f, method, path, NULL, NULL, 0, NULL, NULL, NULL);
}

static const char *
header (Reply      *r,
        const char *name)
{
  return soup_message_headers_get_one (r->headers, name);
}

/* The first error code of a registry error body. */
static const char *
error_code (Reply *r)
{
  JsonObject *o;
  JsonArray *errors;

  if (!r->json || !JSON_NODE_HOLDS_OBJECT (r->json))
    return NULL;
  o = json_node_get_object (r->json);
  errors = json_object_get_array_member (o, "errors");
  if (!errors || json_array_get_length (errors) == 0)
    return NULL;
  return json_object_get_string_member (json_array_get_object_element (errors, 0), "code");
}

static char *
digest_of (const void *data,
           gsize       len)
{
  g_autofree char *hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);

  return g_strconcat ("sha256:", hex, NULL);
}

/* Pushes @data monolithically into @repo; returns its digest. */
static char *
push_blob (Fixture    *f,
           const char *repo,
           const void *data,
           gsize       len)
{
  g_autofree char *digest = digest_of (data, len);
  g_autofree char *path = g_strdup_printf ("/v2/%s/blobs/uploads/?digest=%s", repo, digest);
  g_autoptr(Reply) r = request_full (f, "POST", path, "application/octet-stream", data, len,
                                     NULL, NULL, NULL);

  g_assert_cmpuint (r->status, ==, 201);
  g_assert_cmpstr (header (r, "Docker-Content-Digest"), ==, digest);
  return g_steal_pointer (&digest);
}

/* An OCI image manifest of a config and layers pushed into @repo; @salt varies them. */
static char *
push_image_blobs (Fixture    *f,
                  const char *repo,
                  const char *salt,
                  guint64    *size)
{
  g_autofree char *config = g_strdup_printf ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"salt\":\"%s\"}", salt);
  g_autofree char *layer = g_strdup_printf ("layer content %s", salt);
  g_autofree char *config_digest = push_blob (f, repo, config, strlen (config));
  g_autofree char *layer_digest = push_blob (f, repo, layer, strlen (layer));

  *size = strlen (config) + strlen (layer);
  return g_strdup_printf ("{\"schemaVersion\":2,\"mediaType\":\"" MT_OCI "\","
                          "\"config\":{\"mediaType\":\"" MT_CONFIG "\",\"size\":%zu,\"digest\":\"%s\"},"
                          "\"layers\":[{\"mediaType\":\"" MT_LAYER "\",\"size\":%zu,\"digest\":\"%s\"}]}",
                          strlen (config), config_digest, strlen (layer), layer_digest);
}

static Reply *
put_manifest (Fixture    *f,
              const char *repo,
              const char *reference,
              const char *media_type,
              const char *manifest)
{
  g_autofree char *path = g_strdup_printf ("/v2/%s/manifests/%s", repo, reference);

  return request_full (f, "PUT", path, media_type, manifest, strlen (manifest), NULL, NULL, NULL);
}

/* A JSON API call signed with the practice key; returns the HTTP status. */
static guint
json_call (Fixture    *f,
           const char *operation,
           const char *body)
{
  g_autofree char *host = g_strdup_printf ("127.0.0.1:%u", wharf_sandbox_get_port (f->sandbox));
  g_autofree char *target = g_strconcat ("AmazonEC2ContainerRegistry_V20150921.", operation, NULL);
  g_autoptr(WharfSigv4Request) req = wharf_sigv4_request_new ("POST", "/", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", wharf_sandbox_get_url (f->sandbox));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) request_body = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) reply = NULL;
  g_autofree char *auth = NULL;
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  WharfSigv4Params p;
  gint64 deadline;

  wharf_sigv4_request_add_header (req, "Host", host);
  wharf_sigv4_request_add_header (req, "Content-Type", "application/x-amz-json-1.1");
  wharf_sigv4_request_add_header (req, "X-Amz-Target", target);
  wharf_sigv4_request_set_body (req, body, strlen (body));
  wharf_sigv4_params_init (&p);
  p.access_key_id = WHARF_SANDBOX_PRACTICE_ACCESS_KEY_ID;
  p.secret_access_key = WHARF_SANDBOX_PRACTICE_SECRET_ACCESS_KEY;
  p.region = WHARF_SANDBOX_DEFAULT_REGION;
  p.service = "ecr";
  p.time = now;
  auth = wharf_sigv4_sign (req, &p);
  for (guint i = 0; i < wharf_sigv4_request_get_n_headers (req); i++)
    {
      const char *name, *value;

      wharf_sigv4_request_get_header_nth (req, i, &name, &value);
      if (g_ascii_strcasecmp (name, "Content-Type") != 0)
        soup_message_headers_replace (headers, name, value);
    }
  soup_message_set_request_body_from_bytes (msg, "application/x-amz-json-1.1", request_body);
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, send_cb, &result);
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (!result && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (result);
  reply = soup_session_send_and_read_finish (f->session, result, NULL);
  g_assert_nonnull (reply);
  return soup_message_get_status (msg);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

static guint
count_blob_files (Fixture *f)
{
  g_autofree char *top = g_build_filename (wharf_sandbox_get_blob_dir (f->sandbox), "sha256", NULL);
  g_autoptr(GDir) dir = g_dir_open (top, 0, NULL);
  const char *prefix;
  guint n = 0;

  while (dir && (prefix = g_dir_read_name (dir)))
    {
      g_autofree char *sub = g_build_filename (top, prefix, NULL);
      g_autoptr(GDir) subdir = g_dir_open (sub, 0, NULL);

      while (subdir && g_dir_read_name (subdir))
        n++;
    }
  return n;
}

/* Tests */

static void
test_auth (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(Reply) none = request_full (f, "GET", "/v2/", NULL, NULL, 0, "", NULL, NULL);
  g_autoptr(Reply) forged = NULL;
  g_autoptr(Reply) good = NULL;
  g_autoptr(Reply) expired = NULL;
  g_autoptr(Reply) sigv4 = NULL;
  g_autofree char *tampered = g_strdup (f->password);

  g_assert_cmpuint (none->status, ==, 401);
  g_assert_true (g_str_has_prefix (header (none, "WWW-Authenticate"), "Basic realm="));
  g_assert_cmpstr (error_code (none), ==, "UNAUTHORIZED");
  g_assert_cmpstr (header (none, "Docker-Distribution-API-Version"), ==, "registry/2.0");

  /* one character changed: the HMAC no longer matches */
  tampered[4] = tampered[4] == 'A' ? 'B' : 'A';
  forged = request_full (f, "GET", "/v2/", NULL, NULL, 0, tampered, NULL, NULL);
  g_assert_cmpuint (forged->status, ==, 401);
  g_assert_cmpstr (error_code (forged), ==, "UNAUTHORIZED");

  /* SigV4 keys do not open the registry: the token is the only way in */
  sigv4 = request_full (f, "GET", "/v2/team/app/tags/list", NULL, NULL, 0, "",
                        "Authorization", "AWS4-HMAC-SHA256 Credential=AKIAWHARFPRACTICE001/20260101/us-east-1/ecr/aws4_request");
  g_assert_cmpuint (sigv4->status, ==, 401);

  good = request (f, "GET", "/v2/");
  g_assert_cmpuint (good->status, ==, 200);
  g_assert_cmpstr (header (good, "Docker-Distribution-API-Version"), ==, "registry/2.0");

  wharf_sandbox_advance_clock (f->sandbox, 12 * G_TIME_SPAN_HOUR + G_TIME_SPAN_MINUTE);
  expired = request (f, "GET", "/v2/");
  g_assert_cmpuint (expired->status, ==, 403);
  g_assert_cmpstr (error_code (expired), ==, "DENIED");
}

static void
test_regions (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *west = wharf_sandbox_issue_registry_password (f->sandbox, "eu-west-1");
  g_autoptr(Reply) missing = NULL;
  g_autoptr(Reply) found = NULL;
  g_autoptr(GError) error = NULL;

  /* the password chooses the registry: team/app exists only in us-east-1 */
  missing = request_full (f, "GET", "/v2/team/app/tags/list", NULL, NULL, 0, west, NULL, NULL);
  g_assert_cmpuint (missing->status, ==, 404);
  g_assert_cmpstr (error_code (missing), ==, "NAME_UNKNOWN");
  g_assert_true (wharf_sandbox_create_repository (f->sandbox, "eu-west-1", "team/app", &error));
  found = request_full (f, "GET", "/v2/team/app/tags/list", NULL, NULL, 0, west, NULL, NULL);
  g_assert_cmpuint (found->status, ==, 200);
}

static void
test_blob_uploads (Fixture       *f,
                   gconstpointer  data)
{
  static const char part1[] = "the first part, ";
  static const char part2[] = "and the second part";
  g_autofree char *whole = g_strconcat (part1, part2, NULL);
  g_autofree char *digest = digest_of (whole, strlen (whole));
  g_autofree char *location = NULL;
  g_autofree char *path = NULL;
  g_autofree char *range = NULL;
  g_autoptr(Reply) start = NULL, patch1 = NULL, status = NULL, bad = NULL, patch2 = NULL;
  g_autoptr(Reply) wrong = NULL, restart = NULL, finish = NULL, head = NULL, get = NULL;
  g_autoptr(Reply) unknown = NULL, cancel = NULL, gone = NULL, missing_repo = NULL;

  start = request_full (f, "POST", "/v2/team/app/blobs/uploads/", NULL, NULL, 0, NULL, NULL, NULL);
  g_assert_cmpuint (start->status, ==, 202);
  g_assert_nonnull (header (start, "Docker-Upload-UUID"));
  g_assert_cmpstr (header (start, "Range"), ==, "0-0");
  location = g_strdup (header (start, "Location"));
  g_assert_true (g_str_has_prefix (location, "/v2/team/app/blobs/uploads/"));

  range = g_strdup_printf ("0-%zu", strlen (part1) - 1);
  patch1 = request_full (f, "PATCH", location, "application/octet-stream", part1, strlen (part1),
                         NULL, "Content-Range", range);
  g_assert_cmpuint (patch1->status, ==, 202);
  g_assert_cmpstr (header (patch1, "Range"), ==, range);

  status = request (f, "GET", location);
  g_assert_cmpuint (status->status, ==, 204);
  g_assert_cmpstr (header (status, "Range"), ==, range);

  /* a chunk that does not continue the upload */
  bad = request_full (f, "PATCH", location, "application/octet-stream", part2, strlen (part2),
                      NULL, "Content-Range", "100-120");
  g_assert_cmpuint (bad->status, ==, 416);
  g_assert_cmpstr (error_code (bad), ==, "BLOB_UPLOAD_INVALID");

  g_free (range);
  range = g_strdup_printf ("%zu-%zu", strlen (part1), strlen (whole) - 1);
  patch2 = request_full (f, "PATCH", location, "application/octet-stream", part2, strlen (part2),
                         NULL, "Content-Range", range);
  g_assert_cmpuint (patch2->status, ==, 202);

  path = g_strdup_printf ("%s?digest=%s", location, digest);
  finish = request_full (f, "PUT", path, "application/octet-stream", NULL, 0, NULL, NULL, NULL);
  g_assert_cmpuint (finish->status, ==, 201);
  g_assert_cmpstr (header (finish, "Docker-Content-Digest"), ==, digest);

  g_free (path);
  path = g_strdup_printf ("/v2/team/app/blobs/%s", digest);
  head = request (f, "HEAD", path);
  g_assert_cmpuint (head->status, ==, 200);
  g_assert_cmpstr (header (head, "Docker-Content-Digest"), ==, digest);
  g_assert_cmpint (soup_message_headers_get_content_length (head->headers), ==, strlen (whole));
  g_assert_cmpstr (header (head, "Content-Type"), ==, "application/octet-stream");
  get = request (f, "GET", path);
  g_assert_cmpuint (get->status, ==, 200);
  g_assert_cmpmem (g_bytes_get_data (get->body, NULL), g_bytes_get_size (get->body), whole, strlen (whole));

  /* the finished session is gone */
  unknown = request (f, "GET", location);
  g_assert_cmpuint (unknown->status, ==, 404);
  g_assert_cmpstr (error_code (unknown), ==, "BLOB_UPLOAD_UNKNOWN");

  /* a wrong digest refuses the content */
  restart = request_full (f, "POST", "/v2/team/app/blobs/uploads/", NULL, NULL, 0, NULL, NULL, NULL);
  g_free (path);
  path = g_strdup_printf ("%s?digest=sha256:%064d", header (restart, "Location"), 0);
  wrong = request_full (f, "PUT", path, "application/octet-stream", "xyz", 3, NULL, NULL, NULL);
  g_assert_cmpuint (wrong->status, ==, 400);
  g_assert_cmpstr (error_code (wrong), ==, "DIGEST_INVALID");

  /* cancel */
  g_clear_pointer (&restart, reply_free);
  restart = request_full (f, "POST", "/v2/team/app/blobs/uploads/", NULL, NULL, 0, NULL, NULL, NULL);
  cancel = request (f, "DELETE", header (restart, "Location"));
  g_assert_cmpuint (cancel->status, ==, 204);
  gone = request (f, "GET", header (restart, "Location"));
  g_assert_cmpuint (gone->status, ==, 404);

  /* ECR does not create a repository on push */
  missing_repo = request_full (f, "POST", "/v2/no/such/blobs/uploads/", NULL, NULL, 0, NULL, NULL, NULL);
  g_assert_cmpuint (missing_repo->status, ==, 404);
  g_assert_cmpstr (error_code (missing_repo), ==, "NAME_UNKNOWN");
}

static void
test_blob_unknown_and_mount (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *digest = push_blob (f, "team/app", "shared layer", 12);
  g_autofree char *path = NULL;
  g_autoptr(Reply) other = NULL, mount = NULL, after = NULL, refused = NULL;

  g_assert_true (wharf_sandbox_create_repository (f->sandbox, NULL, "team/other", &error));
  /* blobs are per repository */
  path = g_strdup_printf ("/v2/team/other/blobs/%s", digest);
  other = request (f, "HEAD", path);
  g_assert_cmpuint (other->status, ==, 404);
  g_free (path);
  path = g_strdup_printf ("/v2/team/other/blobs/uploads/?mount=%s&from=team/app", digest);
  mount = request_full (f, "POST", path, NULL, NULL, 0, NULL, NULL, NULL);
  g_assert_cmpuint (mount->status, ==, 201);
  g_assert_cmpstr (header (mount, "Docker-Content-Digest"), ==, digest);
  g_free (path);
  path = g_strdup_printf ("/v2/team/other/blobs/%s", digest);
  after = request (f, "HEAD", path);
  g_assert_cmpuint (after->status, ==, 200);

  /* a source that does not hold it: an ordinary upload starts */
  g_free (path);
  path = g_strdup_printf ("/v2/team/other/blobs/uploads/?mount=sha256:%064d&from=team/app", 0);
  refused = request_full (f, "POST", path, NULL, NULL, 0, NULL, NULL, NULL);
  g_assert_cmpuint (refused->status, ==, 202);
  g_assert_nonnull (header (refused, "Docker-Upload-UUID"));
}

static void
test_manifests (Fixture       *f,
                gconstpointer  data)
{
  guint64 size;
  g_autofree char *manifest = push_image_blobs (f, "team/app", "one", &size);
  g_autofree char *digest = digest_of (manifest, strlen (manifest));
  g_autofree char *path = NULL;
  g_autofree char *tagged = NULL;
  g_autoptr(Reply) put = NULL, get = NULL, head = NULL, by_digest = NULL, mismatch = NULL;
  g_autoptr(Reply) missing_blob = NULL, unknown = NULL, invalid = NULL, index_put = NULL;
  g_autoptr(Reply) index_no_accept = NULL, index_accept = NULL;
  g_autoptr(JsonObject) repo = NULL;
  g_autofree char *index = NULL;
  g_autofree char *index_digest = NULL;

  put = put_manifest (f, "team/app", "v1", MT_OCI, manifest);
  g_assert_cmpuint (put->status, ==, 201);
  g_assert_cmpstr (header (put, "Docker-Content-Digest"), ==, digest);
  path = g_strdup_printf ("/v2/team/app/manifests/%s", digest);
  g_assert_cmpstr (header (put, "Location"), ==, path);

  /* the JSON API sees the image */
  tagged = wharf_sandbox_lookup_tag (f->sandbox, NULL, "team/app", "v1");
  g_assert_cmpstr (tagged, ==, digest);
  g_assert_cmpint (wharf_sandbox_count_images (f->sandbox, NULL, "team/app", NULL), ==, 1);

  get = request_full (f, "GET", "/v2/team/app/manifests/v1", NULL, NULL, 0, NULL, "Accept", MT_OCI);
  g_assert_cmpuint (get->status, ==, 200);
  g_assert_cmpstr (header (get, "Content-Type"), ==, MT_OCI);
  g_assert_cmpstr (header (get, "Docker-Content-Digest"), ==, digest);
  g_assert_cmpmem (g_bytes_get_data (get->body, NULL), g_bytes_get_size (get->body), manifest, strlen (manifest));
  head = request (f, "HEAD", path);
  g_assert_cmpuint (head->status, ==, 200);
  g_assert_cmpint (soup_message_headers_get_content_length (head->headers), ==, strlen (manifest));

  /* a digest reference must be the content's digest */
  mismatch = put_manifest (f, "team/app", "sha256:0000000000000000000000000000000000000000000000000000000000000000", MT_OCI, manifest);
  g_assert_cmpuint (mismatch->status, ==, 400);
  g_assert_cmpstr (error_code (mismatch), ==, "DIGEST_INVALID");
  by_digest = put_manifest (f, "team/app", digest, MT_OCI, manifest);
  g_assert_cmpuint (by_digest->status, ==, 201);

  /* the Content-Type must match the body */
  invalid = put_manifest (f, "team/app", "v2", MT_DOCKER_V2, manifest);
  g_assert_cmpuint (invalid->status, ==, 400);
  g_assert_cmpstr (error_code (invalid), ==, "MANIFEST_INVALID");

  /* a blob never uploaded */
  {
    g_autofree char *bad = g_strdup_printf ("{\"schemaVersion\":2,\"mediaType\":\"" MT_OCI "\","
                                            "\"config\":{\"mediaType\":\"" MT_CONFIG "\",\"size\":3,\"digest\":\"sha256:%064d\"},"
                                            "\"layers\":[]}", 1);

    missing_blob = put_manifest (f, "team/app", "broken", MT_OCI, bad);
    g_assert_cmpuint (missing_blob->status, ==, 400);
    g_assert_cmpstr (error_code (missing_blob), ==, "MANIFEST_BLOB_UNKNOWN");
  }

  unknown = request (f, "GET", "/v2/team/app/manifests/nope");
  g_assert_cmpuint (unknown->status, ==, 404);
  g_assert_cmpstr (error_code (unknown), ==, "MANIFEST_UNKNOWN");

  /* an index over the image */
  index = g_strdup_printf ("{\"schemaVersion\":2,\"mediaType\":\"" MT_OCI_INDEX "\",\"manifests\":["
                           "{\"mediaType\":\"" MT_OCI "\",\"size\":%zu,\"digest\":\"%s\","
                           "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}",
                           strlen (manifest), digest);
  index_digest = digest_of (index, strlen (index));
  index_put = put_manifest (f, "team/app", "multi", MT_OCI_INDEX, index);
  g_assert_cmpuint (index_put->status, ==, 201);
  index_no_accept = request_full (f, "GET", "/v2/team/app/manifests/multi", NULL, NULL, 0, NULL,
                                  "Accept", MT_DOCKER_V2);
  g_assert_cmpuint (index_no_accept->status, ==, 404);
  index_accept = request_full (f, "GET", "/v2/team/app/manifests/multi", NULL, NULL, 0, NULL,
                               "Accept", MT_OCI_INDEX ", " MT_OCI);
  g_assert_cmpuint (index_accept->status, ==, 200);
  g_assert_cmpstr (header (index_accept, "Docker-Content-Digest"), ==, index_digest);

  repo = wharf_sandbox_dup_repository (f->sandbox, NULL, "team/app");
  g_assert_cmpint (json_object_get_int_member (repo, "imageCount"), ==, 2);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (repo, "repositoryUri"),
                                   wharf_sandbox_get_registry_host (f->sandbox)));
}

static void
test_tags_pagination (Fixture       *f,
                      gconstpointer  data)
{
  guint64 size;
  g_autofree char *manifest = push_image_blobs (f, "team/app", "tags", &size);
  const char *tags[] = { "c", "a", "e", "b", "d" };
  g_autoptr(Reply) page1 = NULL, page2 = NULL, all = NULL;
  JsonArray *list;

  for (guint i = 0; i < G_N_ELEMENTS (tags); i++)
    {
      g_autoptr(Reply) put = put_manifest (f, "team/app", tags[i], MT_OCI, manifest);

      g_assert_cmpuint (put->status, ==, 201);
    }
  page1 = request (f, "GET", "/v2/team/app/tags/list?n=2");
  g_assert_cmpuint (page1->status, ==, 200);
  list = json_object_get_array_member (json_node_get_object (page1->json), "tags");
  g_assert_cmpuint (json_array_get_length (list), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (list, 0), ==, "a");
  g_assert_cmpstr (json_array_get_string_element (list, 1), ==, "b");
  g_assert_cmpstr (header (page1, "Link"), ==, "</v2/team/app/tags/list?n=2&last=b>; rel=\"next\"");
  page2 = request (f, "GET", "/v2/team/app/tags/list?n=2&last=d");
  list = json_object_get_array_member (json_node_get_object (page2->json), "tags");
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (list, 0), ==, "e");
  g_assert_null (header (page2, "Link"));
  all = request (f, "GET", "/v2/team/app/tags/list");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (all->json), "name"), ==, "team/app");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (all->json), "tags")), ==, 5);
}

static void
test_referrers (Fixture       *f,
                gconstpointer  data)
{
  guint64 size;
  g_autofree char *manifest = push_image_blobs (f, "team/app", "subject", &size);
  g_autofree char *digest = digest_of (manifest, strlen (manifest));
  g_autofree char *empty = push_blob (f, "team/app", "{}", 2);
  g_autofree char *artifact = NULL;
  g_autofree char *artifact_digest = NULL;
  g_autofree char *path = NULL;
  g_autoptr(Reply) put = NULL, subject_put = NULL, list = NULL, filtered = NULL;
  JsonArray *manifests;

  put = put_manifest (f, "team/app", "base", MT_OCI, manifest);
  g_assert_cmpuint (put->status, ==, 201);
  artifact = g_strdup_printf ("{\"schemaVersion\":2,\"mediaType\":\"" MT_OCI "\","
                              "\"artifactType\":\"application/vnd.example.sbom\","
                              "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"size\":2,\"digest\":\"%s\"},"
                              "\"layers\":[],\"subject\":{\"mediaType\":\"" MT_OCI "\",\"size\":%zu,\"digest\":\"%s\"},"
                              "\"annotations\":{\"org.example\":\"yes\"}}",
                              empty, strlen (manifest), digest);
  artifact_digest = digest_of (artifact, strlen (artifact));
  subject_put = put_manifest (f, "team/app", artifact_digest, MT_OCI, artifact);
  g_assert_cmpuint (subject_put->status, ==, 201);
  g_assert_cmpstr (header (subject_put, "OCI-Subject"), ==, digest);

  path = g_strdup_printf ("/v2/team/app/referrers/%s", digest);
  list = request (f, "GET", path);
  g_assert_cmpuint (list->status, ==, 200);
  g_assert_cmpstr (header (list, "Content-Type"), ==, MT_OCI_INDEX);
  manifests = json_object_get_array_member (json_node_get_object (list->json), "manifests");
  g_assert_cmpuint (json_array_get_length (manifests), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (manifests, 0), "artifactType"),
                   ==, "application/vnd.example.sbom");

  g_free (path);
  path = g_strdup_printf ("/v2/team/app/referrers/%s?artifactType=application/vnd.other", digest);
  filtered = request (f, "GET", path);
  g_assert_cmpuint (filtered->status, ==, 200);
  g_assert_cmpstr (header (filtered, "OCI-Filters-Applied"), ==, "artifactType");
  manifests = json_object_get_array_member (json_node_get_object (filtered->json), "manifests");
  g_assert_cmpuint (json_array_get_length (manifests), ==, 0);
}

static void
test_immutability (Fixture       *f,
                   gconstpointer  data)
{
  guint64 size;
  g_autofree char *first = push_image_blobs (f, "team/app", "immutable-1", &size);
  g_autofree char *second = push_image_blobs (f, "team/app", "immutable-2", &size);
  g_autoptr(Reply) put1 = NULL, put2 = NULL, excluded1 = NULL, excluded2 = NULL;

  put1 = put_manifest (f, "team/app", "release", MT_OCI, first);
  g_assert_cmpuint (put1->status, ==, 201);
  /* IMMUTABLE_WITH_EXCLUSION for latest, through the JSON API's own store */
  g_assert_cmpuint (json_call (f, "PutImageTagMutability",
                               "{\"repositoryName\":\"team/app\","
                               "\"imageTagMutability\":\"IMMUTABLE_WITH_EXCLUSION\","
                               "\"imageTagMutabilityExclusionFilters\":"
                               "[{\"filterType\":\"WILDCARD\",\"filter\":\"latest\"}]}"), ==, 200);
  put2 = put_manifest (f, "team/app", "release", MT_OCI, second);
  g_assert_cmpuint (put2->status, ==, 400);
  g_assert_cmpstr (error_code (put2), ==, "TAG_INVALID");

  excluded1 = put_manifest (f, "team/app", "latest", MT_OCI, first);
  g_assert_cmpuint (excluded1->status, ==, 201);
  excluded2 = put_manifest (f, "team/app", "latest", MT_OCI, second);
  g_assert_cmpuint (excluded2->status, ==, 201);
}

static void
test_delete_and_gc (Fixture       *f,
                    gconstpointer  data)
{
  guint64 size;
  g_autofree char *manifest = push_image_blobs (f, "team/app", "gc", &size);
  g_autofree char *kept = push_image_blobs (f, "team/app", "kept", &size);
  g_autofree char *digest = digest_of (manifest, strlen (manifest));
  g_autofree char *path = NULL;
  g_autoptr(Reply) put = NULL, put_kept = NULL, del = NULL, after = NULL, by_tag = NULL, gone = NULL;
  guint before;

  put = put_manifest (f, "team/app", "doomed", MT_OCI, manifest);
  g_assert_cmpuint (put->status, ==, 201);
  put_kept = put_manifest (f, "team/app", "kept", MT_OCI, kept);
  g_assert_cmpuint (put_kept->status, ==, 201);
  before = count_blob_files (f);
  g_assert_cmpuint (before, ==, 4);

  /* DELETE by tag when it is the only tag removes the image, as BatchDeleteImage */
  del = request (f, "DELETE", "/v2/team/app/manifests/doomed");
  g_assert_cmpuint (del->status, ==, 202);
  path = g_strdup_printf ("/v2/team/app/manifests/%s", digest);
  after = request (f, "GET", path);
  g_assert_cmpuint (after->status, ==, 404);
  g_assert_cmpstr (error_code (after), ==, "MANIFEST_UNKNOWN");
  /* its two blobs are collected, the other image's are kept */
  g_assert_cmpuint (count_blob_files (f), ==, 2);

  gone = request (f, "DELETE", path);
  g_assert_cmpuint (gone->status, ==, 404);
  by_tag = request (f, "GET", "/v2/team/app/manifests/kept");
  g_assert_cmpuint (by_tag->status, ==, 200);
}

static void
test_put_image_layers (Fixture       *f,
                       gconstpointer  data)
{
  guint64 size;
  g_autofree char *manifest = push_image_blobs (f, "team/app", "json", &size);
  g_autofree char *partial = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *body = NULL;
  char *layer;

  /* one layer replaced by a digest never uploaded: PutImage refuses it, as ECR */
  partial = g_strdup (manifest);
  layer = strstr (strstr (partial, "\"layers\""), "sha256:") + 7;
  memset (layer, '0', 64);
  escaped = g_strescape (partial, NULL);
  body = g_strdup_printf ("{\"repositoryName\":\"team/app\",\"imageTag\":\"p\",\"imageManifest\":\"%s\"}",
                          escaped);
  g_assert_cmpuint (json_call (f, "PutImage", body), ==, 400);
  g_assert_cmpint (wharf_sandbox_count_images (f->sandbox, NULL, "team/app", NULL), ==, 0);

  /* no blob ever uploaded: refused too (only the seeds make images without blobs) */
  g_free (escaped);
  g_free (body);
  g_free (partial);
  partial = g_strdup_printf ("{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":{\"mediaType\":"
                             "\"%s\",\"size\":2,\"digest\":\"sha256:%064d\"},\"layers\":[{\"mediaType\":"
                             "\"%s\",\"size\":3,\"digest\":\"sha256:%063d1\"}]}",
                             MT_OCI, MT_CONFIG, 0, MT_LAYER, 0);
  escaped = g_strescape (partial, NULL);
  body = g_strdup_printf ("{\"repositoryName\":\"team/app\",\"imageTag\":\"s\",\"imageManifest\":\"%s\"}",
                          escaped);
  g_assert_cmpuint (json_call (f, "PutImage", body), ==, 400);
  g_assert_cmpint (wharf_sandbox_count_images (f->sandbox, NULL, "team/app", NULL), ==, 0);

  g_free (escaped);
  g_free (body);
  escaped = g_strescape (manifest, NULL);
  body = g_strdup_printf ("{\"repositoryName\":\"team/app\",\"imageTag\":\"j\",\"imageManifest\":\"%s\"}",
                          escaped);
  g_assert_cmpuint (json_call (f, "PutImage", body), ==, 200);
  g_assert_cmpint (wharf_sandbox_count_images (f->sandbox, NULL, "team/app", NULL), ==, 1);
  {
    g_autoptr(Reply) get = request (f, "GET", "/v2/team/app/manifests/j");

    g_assert_cmpuint (get->status, ==, 200);
  }
}

static void
test_restart (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-registry-XXXXXX", &error);
  g_autofree char *state = g_build_filename (dir, "state.json", NULL);
  g_autofree char *manifest = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *blob_dir = NULL;
  guint64 size;
  Fixture f = { 0 };

  fixture_setup (&f, state);
  manifest = push_image_blobs (&f, "team/app", "restart", &size);
  digest = digest_of (manifest, strlen (manifest));
  {
    g_autoptr(Reply) put = put_manifest (&f, "team/app", "v1", MT_OCI, manifest);

    g_assert_cmpuint (put->status, ==, 201);
  }
  blob_dir = g_strconcat (state, ".blobs", NULL);
  g_assert_cmpstr (wharf_sandbox_get_blob_dir (f.sandbox), ==, blob_dir);
  g_clear_object (&f.sandbox);
  g_clear_object (&f.session);
  g_clear_pointer (&f.password, g_free);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  /* a new sandbox on the same state: the manifest and its blobs are there */
  f.sandbox = wharf_sandbox_new (state, &error);
  g_assert_no_error (error);
  wharf_sandbox_listen (f.sandbox, 0, &error);
  g_assert_no_error (error);
  f.session = soup_session_new ();
  f.password = wharf_sandbox_issue_registry_password (f.sandbox, NULL);
  {
    g_autoptr(Reply) get = request (&f, "GET", "/v2/team/app/manifests/v1");
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *m;
    g_autofree char *path = NULL;

    g_assert_cmpuint (get->status, ==, 200);
    g_assert_cmpstr (header (get, "Docker-Content-Digest"), ==, digest);
    g_assert_true (json_parser_load_from_data (parser, manifest, -1, NULL));
    m = json_node_get_object (json_parser_get_root (parser));
    path = g_strdup_printf ("/v2/team/app/blobs/%s",
                            json_object_get_string_member (json_object_get_object_member (m, "config"), "digest"));
    {
      g_autoptr(Reply) blob = request (&f, "GET", path);

      g_assert_cmpuint (blob->status, ==, 200);
    }
  }
  fixture_teardown (&f, NULL);
  remove_tree (dir);
}

/* A hostile client: every request is answered with a registry error, nothing crashes and
 * nothing is written outside the blob folder. */
static void
test_hostile_requests (Fixture       *f,
                       gconstpointer  data)
{
  static const char *const bad_ranges[] = { "abc", "-", "bytes=-5-3", "0-", "5-2",
                                            "0-99999999999999999999999" };
  g_autofree char *huge = NULL;
  g_autofree char *index = NULL;
  g_autofree char *self_digest = g_strdup_printf ("sha256:%064d", 7);
  g_autofree char *junk = NULL;
  g_autofree char *location = NULL;
  g_autoptr(Reply) start = NULL;
  g_autoptr(Reply) alive = NULL;

  /* names with "..", or an empty segment */
  {
    static const char *const paths[] = { "/v2/team/a..b/tags/list", "/v2/team//app/manifests/latest",
                                         "/v2/..a/blobs/uploads/" };
    g_autoptr(Reply) escaped = request (f, "GET", "/v2/team%2F..%2Fapp/tags/list");

    for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
      {
        g_autoptr(Reply) r = request (f, i == 2 ? "POST" : "GET", paths[i]);

        g_assert_cmpuint (r->status, ==, 400);
        g_assert_cmpstr (error_code (r), ==, "NAME_INVALID");
      }
    /* libsoup refuses an escaped "/.." itself, before any handler */
    g_assert_cmpuint (escaped->status, ==, 400);
  }

  /* digests with path characters */
  {
    g_autoptr(Reply) blob = request (f, "GET", "/v2/team/app/blobs/sha256:..%5C..%5Cetc%5Cpasswd");
    g_autoptr(Reply) referrers = request (f, "GET", "/v2/team/app/referrers/sha256:....x");
    g_autoptr(Reply) mount = request (f, "POST", "/v2/team/app/blobs/uploads/?mount=sha256:..%2F..%2Fx"
                                      "&from=team/app");
    g_autoptr(Reply) monolithic = request_full (f, "POST", "/v2/team/app/blobs/uploads/"
                                                "?digest=sha256:..%2F..%2F..%2Fescaped",
                                                "application/octet-stream", "x", 1, NULL, NULL, NULL);
    g_autofree char *escaped = g_build_filename (wharf_sandbox_get_blob_dir (f->sandbox), "..",
                                                 "escaped", NULL);

    g_assert_cmpuint (blob->status, ==, 400);
    g_assert_cmpstr (error_code (blob), ==, "DIGEST_INVALID");
    g_assert_cmpuint (referrers->status, ==, 400);
    g_assert_cmpstr (error_code (referrers), ==, "DIGEST_INVALID");
    g_assert_cmpuint (mount->status, ==, 202);   /* not mountable: an ordinary upload starts */
    g_assert_cmpuint (monolithic->status, ==, 400);
    g_assert_cmpstr (error_code (monolithic), ==, "DIGEST_INVALID");
    g_assert_false (g_file_test (escaped, G_FILE_TEST_EXISTS));
  }

  /* Content-Range games */
  start = request (f, "POST", "/v2/team/app/blobs/uploads/");
  g_assert_cmpuint (start->status, ==, 202);
  location = g_strdup (header (start, "Location"));
  for (guint i = 0; i < G_N_ELEMENTS (bad_ranges); i++)
    {
      g_autoptr(Reply) r = request_full (f, "PATCH", location, "application/octet-stream", "abc", 3,
                                         NULL, "Content-Range", bad_ranges[i]);

      g_assert_cmpuint (r->status, ==, 416);
      g_assert_cmpstr (error_code (r), ==, "BLOB_UPLOAD_INVALID");
    }
  {
    g_autoptr(Reply) status = request (f, "GET", location);

    g_assert_cmpuint (status->status, ==, 204);
    g_assert_cmpstr (header (status, "Range"), ==, "0-0");  /* nothing was appended */
  }

  /* a manifest beyond ECR's 4 MiB: refused without being kept whole */
  huge = g_strnfill (5 * 1024 * 1024, ' ');
  huge[0] = '{';
  huge[5 * 1024 * 1024 - 1] = '}';
  {
    g_autoptr(Reply) r = put_manifest (f, "team/app", "huge", MT_OCI, huge);

    g_assert_cmpuint (r->status, ==, 400);
    g_assert_cmpstr (error_code (r), ==, "MANIFEST_INVALID");
  }

  /* an index that names itself (by the digest it is pushed under), and one whose subject is
   * itself: a digest that cannot match, never a loop */
  index = g_strdup_printf ("{\"schemaVersion\":2,\"mediaType\":\"" MT_OCI_INDEX "\",\"manifests\":"
                           "[{\"mediaType\":\"" MT_OCI_INDEX "\",\"size\":10,\"digest\":\"%s\"}],"
                           "\"subject\":{\"mediaType\":\"" MT_OCI_INDEX "\",\"size\":10,"
                           "\"digest\":\"%s\"}}", self_digest, self_digest);
  {
    g_autoptr(Reply) by_digest = put_manifest (f, "team/app", self_digest, MT_OCI_INDEX, index);
    g_autoptr(Reply) by_tag = put_manifest (f, "team/app", "loop", MT_OCI_INDEX, index);

    g_assert_cmpuint (by_digest->status, ==, 400);
    g_assert_nonnull (error_code (by_digest));
    g_assert_cmpuint (by_tag->status, ==, 400);
    g_assert_cmpstr (error_code (by_tag), ==, "MANIFEST_BLOB_UNKNOWN");
    g_assert_cmpint (wharf_sandbox_count_images (f->sandbox, NULL, "team/app", NULL), ==, 0);
  }

  /* a 64 KiB header: libsoup drops the connection (its own limit) */
  junk = g_strnfill (64 * 1024, 'j');
  {
    g_autofree char *url = g_strconcat (wharf_sandbox_get_url (f->sandbox), "/v2/team/app/tags/list", NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GBytes) body = NULL;
    g_autoptr(GError) error = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Junk", junk);
    soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, send_cb, &result);
    while (!result)
      g_main_context_iteration (NULL, TRUE);
    body = soup_session_send_and_read_finish (f->session, result, &error);
    g_assert_true (error != NULL || soup_message_get_status (msg) >= 400);
  }
  alive = request (f, "GET", "/v2/");
  g_assert_cmpuint (alive->status, ==, 200);
}

static guint
count_uploads (Fixture *f)
{
  g_autofree char *path = g_build_filename (wharf_sandbox_get_blob_dir (f->sandbox), "uploads", NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (dir && g_dir_read_name (dir))
    n++;
  return n;
}

/* Uploads abandoned mid-way leave no file behind, and no client holds the sandbox's file
 * descriptors for good. */
static void
test_abandoned_uploads (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autofree char *user_pass = g_strconcat ("AWS:", f->password, NULL);
  g_autofree char *encoded = g_base64_encode ((const guchar *) user_pass, strlen (user_pass));
  g_autofree char *head = NULL;
  g_autoptr(Reply) refused = NULL;
  g_autoptr(Reply) again = NULL;
  gint64 deadline;

  /* a monolithic upload whose client goes away after 10 of 100,000 bytes */
  connection = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                wharf_sandbox_get_port (f->sandbox), NULL, &error);
  g_assert_no_error (error);
  head = g_strdup_printf ("POST /v2/team/app/blobs/uploads/?digest=sha256:%064d HTTP/1.1\r\n"
                          "Host: 127.0.0.1\r\nAuthorization: Basic %s\r\n"
                          "Content-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n"
                          "0123456789", 1, encoded);
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                            head, strlen (head), NULL, NULL, &error));
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (count_uploads (f) == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (count_uploads (f), ==, 1);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  while (count_uploads (f) > 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (count_uploads (f), ==, 0);

  /* sessions started and never finished: a bounded number, expired after a day */
  for (guint i = 0; i < 256; i++)
    {
      g_autoptr(Reply) r = request (f, "POST", "/v2/team/app/blobs/uploads/");

      g_assert_cmpuint (r->status, ==, 202);
    }
  refused = request (f, "POST", "/v2/team/app/blobs/uploads/");
  g_assert_cmpuint (refused->status, ==, 429);
  g_assert_cmpstr (error_code (refused), ==, "TOOMANYREQUESTS");
  g_assert_cmpuint (json_call (f, "InitiateLayerUpload", "{\"repositoryName\":\"team/app\"}"), ==, 400);
  g_assert_cmpuint (count_uploads (f), ==, 256);

  wharf_sandbox_advance_clock (f->sandbox, 25 * G_TIME_SPAN_HOUR);
  g_free (f->password);
  f->password = wharf_sandbox_issue_registry_password (f->sandbox, NULL);
  again = request (f, "POST", "/v2/team/app/blobs/uploads/");
  g_assert_cmpuint (again->status, ==, 202);
  g_assert_cmpuint (count_uploads (f), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/registry/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("auth", test_auth);
  ADD ("regions", test_regions);
  ADD ("blob-uploads", test_blob_uploads);
  ADD ("blob-unknown-and-mount", test_blob_unknown_and_mount);
  ADD ("manifests", test_manifests);
  ADD ("tags-pagination", test_tags_pagination);
  ADD ("referrers", test_referrers);
  ADD ("immutability", test_immutability);
  ADD ("delete-and-gc", test_delete_and_gc);
  ADD ("put-image-layers", test_put_image_layers);
  ADD ("hostile-requests", test_hostile_requests);
  ADD ("abandoned-uploads", test_abandoned_uploads);
#undef ADD
  g_test_add_func ("/registry/restart", test_restart);

  return g_test_run ();
}
