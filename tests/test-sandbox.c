/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The sandbox over real HTTP on loopback: requests are built with libsoup and signed with
 * wharf_sigv4_sign(), as any AWS client would. With WHARF_RECORD_DIR set, every exchange is
 * recorded into $WHARF_RECORD_DIR/test-sandbox.jsonl for the contract tests.
 */
#define G_LOG_DOMAIN "test-sandbox"

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "wharf-sandbox.h"
#include "wharf-sigv4.h"
#include "wharf-test-sandbox.h"
#include "wharf-test-utils.h"

#define TARGET_PREFIX "AmazonEC2ContainerRegistry_V20150921."
#define ACCOUNT WHARF_SANDBOX_PRACTICE_ACCOUNT_ID

typedef struct
{
  WharfSandbox *sandbox;
  SoupSession  *session;
  char         *tmpdir;
} Fixture;

typedef struct
{
  const char *key_id;       /* NULL: practice key */
  const char *secret;
  const char *region;       /* NULL: us-east-1 */
  GTimeSpan   time_offset;
  gboolean    unsigned_request;
  const char *target;       /* full X-Amz-Target; NULL: from the operation */
} Sign;

typedef struct
{
  guint       status;
  char       *raw;
  char       *content_type;
  char       *request_id;
  JsonObject *body;
  const char *type;          /* __type, when an error */
  const char *message;
  GError     *error;         /* transport failure */
} Reply;

static void
reply_free (Reply *r)
{
  g_free (r->raw);
  g_free (r->content_type);
  g_free (r->request_id);
  g_clear_pointer (&r->body, json_object_unref);
  g_clear_error (&r->error);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->tmpdir = wharf_test_make_tmp_dir ("test-sandbox-XXXXXX");
  f->session = soup_session_new ();
  f->sandbox = wharf_test_sandbox_start (NULL, data, "test-sandbox.jsonl");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->sandbox);
  g_clear_object (&f->session);
  /* let the closed connections go */
  wharf_test_drain_main_context ();
  wharf_test_remove_tree (f->tmpdir);
  g_free (f->tmpdir);
}

static Reply *
send_to (Fixture    *f,
         const char *url,
         const char *operation,
         const char *body,
         const Sign *s)
{
  static const Sign defaults = { 0 };
  g_autoptr(WharfSigv4Request) req = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *host = NULL;
  g_autofree char *target = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  SoupMessageHeaders *headers;
  Reply *r = g_new0 (Reply, 1);

  if (!s)
    s = &defaults;
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  host = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uri));
  target = s->target ? g_strdup (s->target) : g_strconcat (TARGET_PREFIX, operation, NULL);

  req = wharf_sigv4_request_new ("POST", "/", NULL);
  wharf_sigv4_request_add_header (req, "Host", host);
  wharf_sigv4_request_add_header (req, "Content-Type", "application/x-amz-json-1.1");
  wharf_sigv4_request_add_header (req, "X-Amz-Target", target);
  wharf_sigv4_request_set_body (req, body, strlen (body));
  if (!s->unsigned_request)
    {
      WharfSigv4Params p;
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) when = g_date_time_add (now, s->time_offset);
      g_autofree char *auth = NULL;

      wharf_sigv4_params_init (&p);
      p.access_key_id = s->key_id ? s->key_id : WHARF_SANDBOX_PRACTICE_ACCESS_KEY_ID;
      p.secret_access_key = s->secret ? s->secret : WHARF_SANDBOX_PRACTICE_SECRET_ACCESS_KEY;
      p.region = s->region ? s->region : "us-east-1";
      p.service = "ecr";
      p.time = when;
      auth = wharf_sigv4_sign (req, &p);
    }

  msg = soup_message_new ("POST", url);
  headers = soup_message_get_request_headers (msg);
  for (guint i = 0; i < wharf_sigv4_request_get_n_headers (req); i++)
    {
      const char *name, *value;

      wharf_sigv4_request_get_header_nth (req, i, &name, &value);
      if (g_ascii_strcasecmp (name, "Content-Type") != 0)
        soup_message_headers_replace (headers, name, value);
    }
  {
    g_autoptr(GBytes) request_body = g_bytes_new (body, strlen (body));

    soup_message_set_request_body_from_bytes (msg, "application/x-amz-json-1.1", request_body);
  }

  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    wharf_test_result_cb, &result);
  wharf_test_wait_result (&result);

  bytes = soup_session_send_and_read_finish (f->session, result, &r->error);
  if (!bytes)
    return r;
  r->status = soup_message_get_status (msg);
  r->raw = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  r->content_type = g_strdup (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL));
  r->request_id = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                          "x-amzn-RequestId"));
  if (json_parser_load_from_data (parser, r->raw, -1, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      r->body = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
      r->type = json_object_get_string_member_with_default (r->body, "__type", NULL);
      r->message = json_object_get_string_member_with_default (r->body, "message", NULL);
    }
  return r;
}

static Reply *
send_op (Fixture    *f,
         const char *operation,
         const char *body,
         const Sign *s)
{
  return send_to (f, wharf_sandbox_get_url (f->sandbox), operation, body, s);
}

/* Calls @operation and asserts success; returns the output object. */
static JsonObject *
ok_in (Fixture    *f,
       const char *region,
       const char *operation,
       const char *body)
{
  Sign s = { .region = region };
  g_autoptr(Reply) r = send_op (f, operation, body, &s);

  g_assert_no_error (r->error);
  if (r->status != 200)
    g_error ("%s %s → %u %s", operation, body, r->status, r->raw);
  g_assert_nonnull (r->body);
  g_assert_nonnull (r->request_id);
  g_assert_cmpstr (r->content_type, ==, "application/x-amz-json-1.1");
  return json_object_ref (r->body);
}

static JsonObject *
ok (Fixture    *f,
    const char *operation,
    const char *body)
{
  return ok_in (f, NULL, operation, body);
}

/* Calls @operation and asserts the error; returns the message (owned by nobody: copied). */
static char *
fails (Fixture    *f,
       const char *operation,
       const char *body,
       guint       status,
       const char *type)
{
  g_autoptr(Reply) r = send_op (f, operation, body, NULL);

  g_assert_no_error (r->error);
  if (r->status != status || g_strcmp0 (r->type, type) != 0)
    g_error ("%s %s → %u %s (expected %u %s)", operation, body, r->status, r->raw, status, type);
  g_assert_nonnull (r->request_id);
  g_assert_nonnull (r->message);
  return g_strdup (r->message);
}

static void
assert_fails (Fixture    *f,
              const char *operation,
              const char *body,
              guint       status,
              const char *type)
{
  g_free (fails (f, operation, body, status, type));
}

/* The content of blob @i (0 the config, 1 and 2 the layers) of image @n. */
static char *
blob_content (guint n,
              guint i)
{
  return g_strdup_printf ("blob %u of image %u", i, n);
}

static char *
blob_digest (guint n,
             guint i)
{
  g_autofree char *content = blob_content (n, i);
  g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, content, -1);

  return g_strconcat ("sha256:", hex, NULL);
}

/* A manifest naming the blobs of image @n (upload_blobs() stores them), with the sizes
 * given (the sandbox, as ECR, takes an image's size from its manifest). */
static char *
make_manifest (guint   n,
               guint64 config_size,
               guint64 layer1,
               guint64 layer2)
{
  g_autofree char *config = blob_digest (n, 0);
  g_autofree char *first = blob_digest (n, 1);
  g_autofree char *second = blob_digest (n, 2);

  return g_strdup_printf ("{\"schemaVersion\":2,"
                          "\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
                          "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\","
                          "\"size\":%" G_GUINT64_FORMAT ",\"digest\":\"%s\"},"
                          "\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\","
                          "\"size\":%" G_GUINT64_FORMAT ",\"digest\":\"%s\"},"
                          "{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\","
                          "\"size\":%" G_GUINT64_FORMAT ",\"digest\":\"%s\"}]}",
                          config_size, config, layer1, first, layer2, second);
}

static char *
json_string (const char *text)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), text);

  return json_to_string (node, FALSE);
}

/* Uploads the blobs of image @n that @repo lacks with ECR's layer operations, as a client
 * does before PutImage. */
static void
upload_blobs (Fixture    *f,
              const char *repo,
              guint       n)
{
  for (guint k = 0; k < 3; k++)
    {
      g_autofree char *digest = blob_digest (n, k);
      g_autofree char *content = blob_content (n, k);
      g_autofree char *blob = g_base64_encode ((const guchar *) content, strlen (content));
      g_autofree char *check = g_strdup_printf ("{\"repositoryName\":\"%s\",\"layerDigests\":"
                                                "[\"%s\"]}", repo, digest);
      g_autofree char *start = NULL, *part = NULL, *complete = NULL;
      g_autoptr(JsonObject) available = ok (f, "BatchCheckLayerAvailability", check);
      g_autoptr(JsonObject) started = NULL, sent = NULL, done = NULL;
      JsonArray *layers = json_object_get_array_member (available, "layers");
      const char *upload_id;

      if (json_array_get_length (layers) == 1
          && g_str_equal (json_object_get_string_member (json_array_get_object_element (layers, 0),
                                                         "layerAvailability"), "AVAILABLE"))
        continue;
      start = g_strdup_printf ("{\"repositoryName\":\"%s\"}", repo);
      started = ok (f, "InitiateLayerUpload", start);
      upload_id = json_object_get_string_member (started, "uploadId");
      part = g_strdup_printf ("{\"repositoryName\":\"%s\",\"uploadId\":\"%s\",\"partFirstByte\":0,"
                              "\"partLastByte\":%" G_GSIZE_FORMAT ",\"layerPartBlob\":\"%s\"}",
                              repo, upload_id, strlen (content) - 1, blob);
      sent = ok (f, "UploadLayerPart", part);
      complete = g_strdup_printf ("{\"repositoryName\":\"%s\",\"uploadId\":\"%s\","
                                  "\"layerDigests\":[\"%s\"]}", repo, upload_id, digest);
      done = ok (f, "CompleteLayerUpload", complete);
      g_assert_cmpstr (json_object_get_string_member (done, "layerDigest"), ==, digest);
    }
}

/* PutImage; returns the digest. */
static char *
put_image (Fixture    *f,
           const char *repo,
           const char *manifest,
           const char *tag)
{
  g_autofree char *quoted = json_string (manifest);
  g_autofree char *tag_part = tag ? g_strdup_printf (",\"imageTag\":\"%s\"", tag) : g_strdup ("");
  g_autofree char *body = g_strdup_printf ("{\"repositoryName\":\"%s\",\"imageManifest\":%s%s}",
                                           repo, quoted, tag_part);
  g_autoptr(JsonObject) out = ok (f, "PutImage", body);
  JsonObject *image = json_object_get_object_member (out, "image");

  return g_strdup (json_object_get_string_member (json_object_get_object_member (image, "imageId"),
                                                  "imageDigest"));
}

static char *
push (Fixture    *f,
      const char *repo,
      guint       n,
      const char *tag)
{
  g_autofree char *manifest = make_manifest (n, 1000 + n, 2000, 3000);

  upload_blobs (f, repo, n);
  return put_image (f, repo, manifest, tag);
}

static void
create_repo (Fixture    *f,
             const char *name)
{
  g_autofree char *body = g_strdup_printf ("{\"repositoryName\":\"%s\"}", name);
  g_autoptr(JsonObject) out = ok (f, "CreateRepository", body);

  g_assert_true (json_object_has_member (out, "repository"));
}

/* Authentication */

static void
test_auth (Fixture       *f,
           gconstpointer  data)
{
  Sign unsigned_req = { .unsigned_request = TRUE };
  Sign unknown = { .key_id = "AKIAUNKNOWNKEY000000", .secret = "whatever" };
  Sign bad_secret = { .secret = "not-the-secret" };
  Sign stale = { .time_offset = -20 * G_TIME_SPAN_MINUTE };
  Sign future = { .time_offset = 20 * G_TIME_SPAN_MINUTE };
  Sign wrong_target = { .target = "AmazonEC2ContainerRegistry_V20150921.DoSomethingElse" };
  g_autoptr(Reply) r1 = send_op (f, "DescribeRegistry", "{}", &unsigned_req);
  g_autoptr(Reply) r2 = send_op (f, "DescribeRegistry", "{}", &unknown);
  g_autoptr(Reply) r3 = send_op (f, "DescribeRegistry", "{}", &bad_secret);
  g_autoptr(Reply) r4 = send_op (f, "DescribeRegistry", "{}", &stale);
  g_autoptr(Reply) r5 = send_op (f, "DescribeRegistry", "{}", &future);
  g_autoptr(Reply) r6 = send_op (f, "DescribeRegistry", "{}", &wrong_target);
  g_autoptr(JsonObject) registry = ok (f, "DescribeRegistry", "{}");

  g_assert_cmpuint (r1->status, ==, 403);
  g_assert_cmpstr (r1->type, ==, "MissingAuthenticationTokenException");
  g_assert_nonnull (r1->request_id);
  g_assert_cmpuint (r2->status, ==, 400);
  g_assert_cmpstr (r2->type, ==, "UnrecognizedClientException");
  g_assert_cmpuint (r3->status, ==, 403);
  g_assert_cmpstr (r3->type, ==, "InvalidSignatureException");
  g_assert_true (g_str_has_prefix (r3->message, "The request signature we calculated does not match"));
  g_assert_cmpuint (r4->status, ==, 403);
  g_assert_cmpstr (r4->type, ==, "InvalidSignatureException");
  g_assert_true (g_str_has_prefix (r4->message, "Signature expired: "));
  g_assert_cmpstr (r5->type, ==, "InvalidSignatureException");
  g_assert_true (g_str_has_prefix (r5->message, "Signature not yet current: "));
  g_assert_cmpuint (r6->status, ==, 400);
  g_assert_cmpstr (r6->type, ==, "UnknownOperationException");
  g_assert_cmpstr (json_object_get_string_member (registry, "registryId"), ==, ACCOUNT);
}

static void
test_added_key (Fixture       *f,
                gconstpointer  data)
{
  Sign mine = { .key_id = "AKIATESTKEY000000001", .secret = "test/secret" };
  g_autoptr(Reply) before = send_op (f, "DescribeRegistry", "{}", &mine);
  g_autoptr(Reply) after = NULL;
  g_autoptr(JsonObject) practice = ok (f, "DescribeRegistry", "{}");

  g_assert_cmpstr (before->type, ==, "UnrecognizedClientException");
  wharf_sandbox_add_key (f->sandbox, "AKIATESTKEY000000001", "test/secret", "444455556666");
  after = send_op (f, "DescribeRegistry", "{}", &mine);
  g_assert_cmpuint (after->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (after->body, "registryId"), ==, "444455556666");
  g_assert_cmpstr (wharf_sandbox_get_account_id (f->sandbox), ==, "444455556666");
  g_assert_cmpstr (json_object_get_string_member (practice, "registryId"), ==, ACCOUNT);
}

/* Protocol errors */

static void
test_protocol (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *m1 = NULL, *m2 = NULL;

  assert_fails (f, "DescribeRepositories", "{not json", 400, "SerializationException");
  assert_fails (f, "DescribeRepositories", "[1,2]", 400, "SerializationException");
  m1 = fails (f, "CreateRepository", "{\"repositoryName\": 42}", 400, "SerializationException");
  assert_fails (f, "DescribeRepositories", "{\"maxResults\": \"ten\"}", 400, "SerializationException");
  assert_fails (f, "DeleteRepository", "{\"repositoryName\": \"x1\", \"force\": \"yes\"}", 400, "SerializationException");
  /* types are checked before anything else, as the service's deserializer does */
  assert_fails (f, "DescribeImages", "{\"repositoryName\": \"no-such-repo\", \"maxResults\": \"x\"}", 400,
                "SerializationException");
  assert_fails (f, "BatchDeleteImage", "{\"repositoryName\": \"no-such-repo\", \"imageIds\": {}}", 400,
                "SerializationException");
  m2 = fails (f, "CreateRepository", "{}", 400, "ValidationException");
  g_assert_nonnull (strstr (m2, "repositoryName"));
  assert_fails (f, "DescribeRepositories", "{\"maxResults\": 0}", 400, "InvalidParameterException");
  assert_fails (f, "DescribeRepositories", "{\"maxResults\": 1001}", 400, "InvalidParameterException");
  assert_fails (f, "DescribeRepositories", "{\"registryId\": \"999999999999\"}", 400, "AccessDeniedException");
  /* an empty body is an empty input */
  {
    g_autoptr(JsonObject) out = ok (f, "DescribeRepositories", "");

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (out, "repositories")), ==, 0);
  }
}

/* Repositories */

static void
test_repositories (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonObject) created = NULL, kms = NULL, dsse = NULL, described = NULL, deleted = NULL;
  JsonObject *repo, *enc;
  g_autofree char *msg = NULL;
  g_autofree char *too_long = NULL;
  g_autofree char *body = NULL;

  created = ok (f, "CreateRepository",
                "{\"repositoryName\":\"team-a/api\",\"imageScanningConfiguration\":{\"scanOnPush\":true},"
                "\"tags\":[{\"Key\":\"team\",\"Value\":\"a\"}]}");
  repo = json_object_get_object_member (created, "repository");
  g_assert_cmpstr (json_object_get_string_member (repo, "repositoryArn"), ==,
                   "arn:aws:ecr:us-east-1:" ACCOUNT ":repository/team-a/api");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (repo, "repositoryUri"), "127.0.0.1:"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (repo, "repositoryUri"), "/team-a/api"));
  g_assert_cmpstr (json_object_get_string_member (repo, "registryId"), ==, ACCOUNT);
  g_assert_cmpstr (json_object_get_string_member (repo, "imageTagMutability"), ==, "MUTABLE");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (repo, "imageScanningConfiguration"), "scanOnPush"));
  enc = json_object_get_object_member (repo, "encryptionConfiguration");
  g_assert_cmpstr (json_object_get_string_member (enc, "encryptionType"), ==, "AES256");
  g_assert_false (json_object_has_member (enc, "kmsKey"));
  g_assert_cmpfloat (json_object_get_double_member (repo, "createdAt"), >, 1.6e9);

  msg = fails (f, "CreateRepository", "{\"repositoryName\":\"team-a/api\"}", 400,
               "RepositoryAlreadyExistsException");
  g_assert_nonnull (strstr (msg, "team-a/api"));
  assert_fails (f, "CreateRepository", "{\"repositoryName\":\"Team-A\"}", 400, "InvalidParameterException");
  assert_fails (f, "CreateRepository", "{\"repositoryName\":\"a\"}", 400, "InvalidParameterException");
  assert_fails (f, "CreateRepository", "{\"repositoryName\":\"a//b\"}", 400, "InvalidParameterException");
  too_long = g_strnfill (257, 'a');
  body = g_strdup_printf ("{\"repositoryName\":\"%s\"}", too_long);
  assert_fails (f, "CreateRepository", body, 400, "InvalidParameterException");
  assert_fails (f, "CreateRepository",
                "{\"repositoryName\":\"tagged\",\"tags\":[{\"Key\":\"aws:x\",\"Value\":\"y\"}]}",
                400, "InvalidTagParameterException");
  assert_fails (f, "CreateRepository",
                "{\"repositoryName\":\"enc\",\"encryptionConfiguration\":{\"encryptionType\":\"AES256\",\"kmsKey\":\"alias/x\"}}",
                400, "InvalidParameterException");
  assert_fails (f, "CreateRepository",
                "{\"repositoryName\":\"enc\",\"imageTagMutability\":\"SOMETIMES\"}",
                400, "InvalidParameterException");
  assert_fails (f, "CreateRepository",
                "{\"repositoryName\":\"enc\",\"imageTagMutability\":\"IMMUTABLE_WITH_EXCLUSION\"}",
                400, "InvalidParameterException");

  kms = ok (f, "CreateRepository",
            "{\"repositoryName\":\"secure\",\"encryptionConfiguration\":{\"encryptionType\":\"KMS\"}}");
  enc = json_object_get_object_member (json_object_get_object_member (kms, "repository"), "encryptionConfiguration");
  g_assert_cmpstr (json_object_get_string_member (enc, "encryptionType"), ==, "KMS");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (enc, "kmsKey"),
                                   "arn:aws:kms:us-east-1:" ACCOUNT ":key/"));
  dsse = ok (f, "CreateRepository",
             "{\"repositoryName\":\"secure2\",\"encryptionConfiguration\":{\"encryptionType\":\"KMS_DSSE\",\"kmsKey\":\"alias/team\"}}");
  enc = json_object_get_object_member (json_object_get_object_member (dsse, "repository"), "encryptionConfiguration");
  g_assert_cmpstr (json_object_get_string_member (enc, "kmsKey"), ==, "arn:aws:kms:us-east-1:" ACCOUNT ":alias/team");

  described = ok (f, "DescribeRepositories", "{\"repositoryNames\":[\"secure\",\"team-a/api\"]}");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (described, "repositories")), ==, 2);
  assert_fails (f, "DescribeRepositories", "{\"repositoryNames\":[\"secure\",\"nope\"]}", 400,
                "RepositoryNotFoundException");

  /* not empty without force */
  g_free (push (f, "team-a/api", 1, "v1"));
  assert_fails (f, "DeleteRepository", "{\"repositoryName\":\"team-a/api\"}", 400, "RepositoryNotEmptyException");
  g_assert_true (wharf_sandbox_has_repository (f->sandbox, NULL, "team-a/api"));
  deleted = ok (f, "DeleteRepository", "{\"repositoryName\":\"team-a/api\",\"force\":true}");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (deleted, "repository"), "repositoryName"),
                   ==, "team-a/api");
  g_assert_false (wharf_sandbox_has_repository (f->sandbox, NULL, "team-a/api"));
  assert_fails (f, "DeleteRepository", "{\"repositoryName\":\"team-a/api\"}", 400, "RepositoryNotFoundException");
}

static void
test_resource_tags (Fixture       *f,
                    gconstpointer  data)
{
  const char *arn = "arn:aws:ecr:us-east-1:" ACCOUNT ":repository/tagged";
  g_autofree char *body = NULL;
  g_autoptr(JsonObject) listed = NULL, listed2 = NULL, e1 = NULL, e2 = NULL;
  GString *many = g_string_new ("{\"resourceArn\":\"arn:aws:ecr:us-east-1:" ACCOUNT ":repository/tagged\",\"tags\":[");

  create_repo (f, "tagged");
  body = g_strdup_printf ("{\"resourceArn\":\"%s\",\"tags\":[{\"Key\":\"team\",\"Value\":\"a\"},{\"Key\":\"env\",\"Value\":\"prod\"}]}", arn);
  e1 = ok (f, "TagResource", body);
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"resourceArn\":\"%s\"}", arn);
  listed = ok (f, "ListTagsForResource", body);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (listed, "tags")), ==, 2);
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"resourceArn\":\"%s\",\"tagKeys\":[\"team\"]}", arn);
  e2 = ok (f, "UntagResource", body);
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"resourceArn\":\"%s\"}", arn);
  listed2 = ok (f, "ListTagsForResource", body);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (listed2, "tags")), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (listed2, "tags"), 0), "Key"),
                   ==, "env");
  assert_fails (f, "ListTagsForResource", "{\"resourceArn\":\"not-an-arn\"}", 400, "InvalidParameterException");
  assert_fails (f, "ListTagsForResource", "{\"resourceArn\":\"arn:aws:ecr:us-east-1:" ACCOUNT ":repository/none\"}",
                400, "RepositoryNotFoundException");
  for (int i = 0; i < 50; i++)
    g_string_append_printf (many, "%s{\"Key\":\"k%d\",\"Value\":\"v\"}", i ? "," : "", i);
  g_string_append (many, "]}");
  assert_fails (f, "TagResource", many->str, 400, "TooManyTagsException");
  g_string_free (many, TRUE);
}

/* Pagination */

static guint
count_repository_pages (Fixture    *f,
                        const char *region,
                        guint      *total)
{
  g_autofree char *token = NULL;
  guint pages = 0;

  *total = 0;
  do
    {
      g_autofree char *body = token ? g_strdup_printf ("{\"maxResults\":5,\"nextToken\":\"%s\"}", token)
                                    : g_strdup ("{\"maxResults\":5}");
      g_autoptr(JsonObject) out = ok_in (f, region, "DescribeRepositories", body);
      guint n = json_array_get_length (json_object_get_array_member (out, "repositories"));

      g_assert_cmpuint (n, <=, 5);
      *total += n;
      pages++;
      g_clear_pointer (&token, g_free);
      if (json_object_has_member (out, "nextToken"))
        {
          g_assert_cmpuint (n, ==, 5);
          token = g_strdup (json_object_get_string_member (out, "nextToken"));
        }
    }
  while (token);
  return pages;
}

static void
test_repository_pagination (Fixture       *f,
                            gconstpointer  data)
{
  static const struct { const char *region; guint n; guint pages; } cases[] = {
    { "eu-west-1", 0, 1 }, { "eu-west-2", 1, 1 }, { "eu-west-3", 5, 1 }, { "eu-north-1", 6, 2 },
    { "ap-south-1", 11, 3 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      guint total;

      for (guint i = 0; i < cases[c].n; i++)
        {
          g_autofree char *body = g_strdup_printf ("{\"repositoryName\":\"repo-%02u\"}", i);
          g_autoptr(JsonObject) out = ok_in (f, cases[c].region, "CreateRepository", body);

          g_assert_true (json_object_has_member (out, "repository"));
        }
      g_assert_cmpuint (count_repository_pages (f, cases[c].region, &total), ==, cases[c].pages);
      g_assert_cmpuint (total, ==, cases[c].n);
    }
  /* regions are separate registries */
  g_assert_cmpuint (wharf_sandbox_get_n_repositories (f->sandbox, "eu-north-1"), ==, 6);
  g_assert_cmpuint (wharf_sandbox_get_n_repositories (f->sandbox, NULL), ==, 0);
}

static void
test_bad_tokens (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonObject) page = NULL;
  g_autofree char *body = NULL;
  const char *token;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("repo-%u", i);

      create_repo (f, name);
      g_free (push (f, name, i, "latest"));
      g_free (push (f, name, i + 10, "previous"));
    }
  page = ok (f, "DescribeRepositories", "{\"maxResults\":1}");
  token = json_object_get_string_member (page, "nextToken");
  g_assert_nonnull (token);

  assert_fails (f, "DescribeRepositories", "{\"nextToken\":\"garbage\"}", 400, "InvalidParameterException");
  assert_fails (f, "DescribeRepositories", "{\"nextToken\":\"djEuMS4wLmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZm\"}",
                400, "InvalidParameterException");
  /* a token belongs to the request that produced it */
  body = g_strdup_printf ("{\"repositoryName\":\"repo-0\",\"nextToken\":\"%s\"}", token);
  assert_fails (f, "ListImages", body, 400, "InvalidParameterException");
  /* paging and ids exclude each other */
  assert_fails (f, "DescribeRepositories", "{\"repositoryNames\":[\"repo-0\"],\"maxResults\":1}", 400,
                "InvalidParameterException");
  assert_fails (f, "DescribeImages",
                "{\"repositoryName\":\"repo-0\",\"imageIds\":[{\"imageTag\":\"latest\"}],\"maxResults\":1}",
                400, "InvalidParameterException");
}

static void
test_image_pagination (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *token = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint pages = 0;

  create_repo (f, "paged");
  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *tag = g_strdup_printf ("t%u", i);

      g_free (push (f, "paged", i, i % 3 == 2 ? NULL : tag));
    }
  /* ListImages lists one entry per tag: 5 tagged + 2 untagged = 7; pages of 3 → 3 pages */
  do
    {
      g_autofree char *body = token ? g_strdup_printf ("{\"repositoryName\":\"paged\",\"maxResults\":3,\"nextToken\":\"%s\"}", token)
                                    : g_strdup ("{\"repositoryName\":\"paged\",\"maxResults\":3}");
      g_autoptr(JsonObject) out = ok (f, "ListImages", body);
      JsonArray *ids = json_object_get_array_member (out, "imageIds");

      pages++;
      for (guint i = 0; i < json_array_get_length (ids); i++)
        {
          JsonObject *id = json_array_get_object_element (ids, i);
          g_autofree char *key = g_strdup_printf ("%s/%s", json_object_get_string_member (id, "imageDigest"),
                                                  json_object_get_string_member_with_default (id, "imageTag", ""));

          g_assert_true (g_hash_table_add (seen, g_steal_pointer (&key)));
        }
      g_clear_pointer (&token, g_free);
      if (json_object_has_member (out, "nextToken"))
        token = g_strdup (json_object_get_string_member (out, "nextToken"));
    }
  while (token);
  g_assert_cmpuint (pages, ==, 3);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 7);

  {
    g_autoptr(JsonObject) tagged = ok (f, "ListImages", "{\"repositoryName\":\"paged\",\"filter\":{\"tagStatus\":\"TAGGED\"}}");
    g_autoptr(JsonObject) untagged = ok (f, "DescribeImages", "{\"repositoryName\":\"paged\",\"filter\":{\"tagStatus\":\"UNTAGGED\"}}");
    g_autoptr(JsonObject) exact = ok (f, "DescribeImages", "{\"repositoryName\":\"paged\",\"maxResults\":7}");
    g_autoptr(JsonObject) plus = ok (f, "DescribeImages", "{\"repositoryName\":\"paged\",\"maxResults\":6}");

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (tagged, "imageIds")), ==, 5);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (untagged, "imageDetails")), ==, 2);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (exact, "imageDetails")), ==, 7);
    g_assert_false (json_object_has_member (exact, "nextToken"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (plus, "imageDetails")), ==, 6);
    g_assert_true (json_object_has_member (plus, "nextToken"));
  }
  {
    /* a page boundary inside one image's tags */
    g_autofree char *digest = NULL;
    g_autoptr(JsonObject) p1 = NULL, p2 = NULL;
    g_autofree char *body = NULL;
    JsonArray *ids;

    g_assert_true (wharf_sandbox_create_repository (f->sandbox, NULL, "multitag", NULL));
    digest = push (f, "multitag", 101, "one");
    {
      g_autofree char *manifest = make_manifest (101, 1101, 2000, 3000);

      /* the same manifest again under two more tags */
      g_free (put_image (f, "multitag", manifest, "two"));
      g_free (put_image (f, "multitag", manifest, "three"));
    }
    p1 = ok (f, "ListImages", "{\"repositoryName\":\"multitag\",\"maxResults\":2}");
    ids = json_object_get_array_member (p1, "imageIds");
    g_assert_cmpuint (json_array_get_length (ids), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (ids, 1), "imageTag"), ==, "two");
    body = g_strdup_printf ("{\"repositoryName\":\"multitag\",\"maxResults\":2,\"nextToken\":\"%s\"}",
                            json_object_get_string_member (p1, "nextToken"));
    p2 = ok (f, "ListImages", body);
    ids = json_object_get_array_member (p2, "imageIds");
    g_assert_cmpuint (json_array_get_length (ids), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (ids, 0), "imageTag"), ==, "three");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (ids, 0), "imageDigest"), ==, digest);
    g_assert_false (json_object_has_member (p2, "nextToken"));
  }
  {
    g_autoptr(JsonObject) empty = NULL;

    create_repo (f, "empty");
    empty = ok (f, "DescribeImages", "{\"repositoryName\":\"empty\",\"maxResults\":1}");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (empty, "imageDetails")), ==, 0);
    g_assert_false (json_object_has_member (empty, "nextToken"));
  }
}

/* Images */

static void
test_images (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *manifest = make_manifest (1, 1500, 10000, 20000);
  g_autofree char *manifest_sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, manifest, -1);
  g_autofree char *expected = NULL;
  g_autofree char *d1 = NULL, *d2 = NULL, *body = NULL, *quoted = NULL;
  g_autoptr(JsonObject) details = NULL, got = NULL, listed = NULL, deleted = NULL, again = NULL;
  JsonArray *images;
  JsonObject *detail;

  create_repo (f, "app");
  expected = g_strconcat ("sha256:", manifest_sha, NULL);
  upload_blobs (f, "app", 1);
  d1 = put_image (f, "app", manifest, "v1");
  g_assert_cmpstr (d1, ==, expected);

  details = ok (f, "DescribeImages", "{\"repositoryName\":\"app\",\"imageIds\":[{\"imageTag\":\"v1\"}]}");
  detail = json_array_get_object_element (json_object_get_array_member (details, "imageDetails"), 0);
  g_assert_cmpint (json_object_get_int_member (detail, "imageSizeInBytes"), ==, 1500 + 10000 + 20000);
  g_assert_cmpstr (json_object_get_string_member (detail, "imageDigest"), ==, d1);
  g_assert_cmpstr (json_object_get_string_member (detail, "imageManifestMediaType"), ==,
                   "application/vnd.docker.distribution.manifest.v2+json");
  g_assert_cmpstr (json_object_get_string_member (detail, "artifactMediaType"), ==,
                   "application/vnd.docker.container.image.v1+json");
  g_assert_cmpfloat (json_object_get_double_member (detail, "imagePushedAt"), >, 1.6e9);

  /* pushing the same manifest with the same tag again */
  quoted = json_string (manifest);
  body = g_strdup_printf ("{\"repositoryName\":\"app\",\"imageManifest\":%s,\"imageTag\":\"v1\"}", quoted);
  assert_fails (f, "PutImage", body, 400, "ImageAlreadyExistsException");
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"repositoryName\":\"app\",\"imageManifest\":%s,\"imageDigest\":\"sha256:%064d\"}", quoted, 0);
  assert_fails (f, "PutImage", body, 400, "ImageDigestDoesNotMatchException");
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"repositoryName\":\"app\",\"imageManifest\":%s,\"imageTag\":\".bad\"}", quoted);
  assert_fails (f, "PutImage", body, 400, "InvalidParameterException");
  g_clear_pointer (&body, g_free);
  assert_fails (f, "PutImage", "{\"repositoryName\":\"app\",\"imageManifest\":\"not json\"}", 400, "InvalidParameterException");
  assert_fails (f, "PutImage", "{\"repositoryName\":\"nope\",\"imageManifest\":\"{}\"}", 400, "RepositoryNotFoundException");

  /* moving the tag leaves the previous image untagged */
  d2 = push (f, "app", 2, "v1");
  g_assert_cmpstr (d2, !=, d1);
  g_assert_cmpint (wharf_sandbox_count_images (f->sandbox, NULL, "app", "UNTAGGED"), ==, 1);
  {
    g_autofree char *now_at = wharf_sandbox_lookup_tag (f->sandbox, NULL, "app", "v1");

    g_assert_cmpstr (now_at, ==, d2);
  }
  listed = ok (f, "ListImages", "{\"repositoryName\":\"app\",\"filter\":{\"tagStatus\":\"UNTAGGED\"}}");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (listed, "imageIds"), 0),
                                                  "imageDigest"), ==, d1);

  /* BatchGetImage: found, missing, malformed */
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"repositoryName\":\"app\",\"imageIds\":[{\"imageTag\":\"v1\"},{\"imageDigest\":\"%s\"},"
                          "{\"imageTag\":\"missing\"},{\"imageDigest\":\"sha256:xyz\"},{}]}", d1);
  got = ok (f, "BatchGetImage", body);
  images = json_object_get_array_member (got, "images");
  g_assert_cmpuint (json_array_get_length (images), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (images, 1), "imageManifest"), ==, manifest);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (got, "failures")), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (got, "failures"), 0),
                                                  "failureCode"), ==, "ImageNotFound");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (got, "failures"), 1),
                                                  "failureCode"), ==, "InvalidImageDigest");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (got, "failures"), 2),
                                                  "failureCode"), ==, "MissingDigestAndTag");

  assert_fails (f, "DescribeImages", "{\"repositoryName\":\"app\",\"imageIds\":[{\"imageTag\":\"missing\"}]}", 400,
                "ImageNotFoundException");

  /* BatchDeleteImage by tag then by digest */
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"repositoryName\":\"app\",\"imageIds\":[{\"imageTag\":\"v1\"},{\"imageDigest\":\"%s\"},{\"imageTag\":\"gone\"}]}", d1);
  deleted = ok (f, "BatchDeleteImage", body);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (deleted, "imageIds")), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (deleted, "failures")), ==, 1);
  g_assert_cmpint (wharf_sandbox_count_images (f->sandbox, NULL, "app", NULL), ==, 0);

  /* 101 image ids are too many */
  {
    GString *s = g_string_new ("{\"repositoryName\":\"app\",\"imageIds\":[");

    for (int i = 0; i < 101; i++)
      g_string_append_printf (s, "%s{\"imageTag\":\"t%d\"}", i ? "," : "", i);
    g_string_append (s, "]}");
    assert_fails (f, "BatchDeleteImage", s->str, 400, "InvalidParameterException");
    assert_fails (f, "BatchGetImage", s->str, 400, "InvalidParameterException");
    g_string_free (s, TRUE);
  }

  again = ok (f, "GetAuthorizationToken", "{}");
  {
    JsonObject *auth = json_array_get_object_element (json_object_get_array_member (again, "authorizationData"), 0);
    gsize len;
    g_autofree guchar *decoded = g_base64_decode (json_object_get_string_member (auth, "authorizationToken"), &len);
    double expires = json_object_get_double_member (auth, "expiresAt");
    double now = wharf_sandbox_get_now (f->sandbox) / (double) G_USEC_PER_SEC;

    g_assert_true (len > 4 && memcmp (decoded, "AWS:", 4) == 0);
    g_assert_cmpfloat (expires, >, now + 11.9 * 3600);
    g_assert_cmpfloat (expires, <, now + 12.1 * 3600);
    g_assert_cmpstr (json_object_get_string_member (auth, "proxyEndpoint"), ==,
                     wharf_sandbox_get_url (f->sandbox));
  }
}

static void
test_index (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *c1 = NULL, *c2 = NULL, *index = NULL, *missing = NULL, *di = NULL, *body = NULL;
  g_autoptr(JsonObject) details = NULL, refused = NULL, removed = NULL;
  JsonObject *detail;

  create_repo (f, "multi");
  c1 = push (f, "multi", 1, NULL);
  c2 = push (f, "multi", 2, NULL);
  index = g_strdup_printf ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                           "{\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"size\":500,\"digest\":\"%s\",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
                           "{\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"size\":500,\"digest\":\"%s\",\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\"}}]}",
                           c1, c2);
  missing = g_strdup_printf ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                             "{\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"size\":500,\"digest\":\"sha256:%064d\"}]}", 7);
  {
    g_autofree char *quoted = json_string (missing);

    body = g_strdup_printf ("{\"repositoryName\":\"multi\",\"imageManifest\":%s,\"imageTag\":\"broken\"}", quoted);
    assert_fails (f, "PutImage", body, 400, "ReferencedImagesNotFoundException");
  }
  di = put_image (f, "multi", index, "latest");
  details = ok (f, "DescribeImages", "{\"repositoryName\":\"multi\",\"imageIds\":[{\"imageTag\":\"latest\"}]}");
  detail = json_array_get_object_element (json_object_get_array_member (details, "imageDetails"), 0);
  g_assert_cmpstr (json_object_get_string_member (detail, "imageManifestMediaType"), ==, "application/vnd.oci.image.index.v1+json");
  g_assert_cmpint (json_object_get_int_member (detail, "imageSizeInBytes"), ==, 2 * (2000 + 3000) + 1001 + 1002);

  /* a child manifest cannot be deleted while the index references it */
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"repositoryName\":\"multi\",\"imageIds\":[{\"imageDigest\":\"%s\"}]}", c1);
  refused = ok (f, "BatchDeleteImage", body);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (refused, "failures"), 0),
                                                  "failureCode"), ==, "ImageReferencedByManifestList");
  /* deleting the index keeps the children, untagged */
  removed = ok (f, "BatchDeleteImage", "{\"repositoryName\":\"multi\",\"imageIds\":[{\"imageTag\":\"latest\"}]}");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (removed, "imageIds")), ==, 1);
  g_assert_cmpint (wharf_sandbox_count_images (f->sandbox, NULL, "multi", "UNTAGGED"), ==, 2);
  {
    g_autoptr(JsonObject) ok_now = ok (f, "BatchDeleteImage", body);

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ok_now, "failures")), ==, 0);
  }
}

static void
test_immutability (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonObject) out = NULL, described = NULL;
  JsonObject *repo;

  out = ok (f, "CreateRepository",
            "{\"repositoryName\":\"frozen\",\"imageTagMutability\":\"IMMUTABLE_WITH_EXCLUSION\","
            "\"imageTagMutabilityExclusionFilters\":[{\"filterType\":\"WILDCARD\",\"filter\":\"latest\"},"
            "{\"filterType\":\"WILDCARD\",\"filter\":\"dev-*\"}]}");
  repo = json_object_get_object_member (out, "repository");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (repo, "imageTagMutabilityExclusionFilters")), ==, 2);

  g_free (push (f, "frozen", 1, "v1.0"));
  g_free (push (f, "frozen", 2, "latest"));
  g_free (push (f, "frozen", 3, "dev-x"));
  {
    g_autofree char *manifest = make_manifest (4, 1, 2, 3);
    g_autofree char *quoted = json_string (manifest);
    g_autofree char *body = g_strdup_printf ("{\"repositoryName\":\"frozen\",\"imageManifest\":%s,\"imageTag\":\"v1.0\"}", quoted);
    g_autofree char *msg = NULL;

    upload_blobs (f, "frozen", 4);
    msg = fails (f, "PutImage", body, 400, "ImageTagAlreadyExistsException");

    g_assert_nonnull (strstr (msg, "v1.0"));
  }
  g_free (push (f, "frozen", 5, "latest"));   /* excluded: mutable */
  g_free (push (f, "frozen", 6, "dev-x"));    /* excluded by the wildcard */

  described = ok (f, "PutImageTagMutability",
                  "{\"repositoryName\":\"frozen\",\"imageTagMutability\":\"MUTABLE_WITH_EXCLUSION\","
                  "\"imageTagMutabilityExclusionFilters\":[{\"filterType\":\"WILDCARD\",\"filter\":\"release-*\"}]}");
  g_assert_cmpstr (json_object_get_string_member (described, "imageTagMutability"), ==, "MUTABLE_WITH_EXCLUSION");
  g_free (push (f, "frozen", 7, "v1.0"));     /* now mutable */
  g_free (push (f, "frozen", 8, "release-1"));
  {
    g_autofree char *manifest = make_manifest (9, 1, 2, 3);
    g_autofree char *quoted = json_string (manifest);
    g_autofree char *body = g_strdup_printf ("{\"repositoryName\":\"frozen\",\"imageManifest\":%s,\"imageTag\":\"release-1\"}", quoted);

    upload_blobs (f, "frozen", 9);
    assert_fails (f, "PutImage", body, 400, "ImageTagAlreadyExistsException");
  }
  assert_fails (f, "PutImageTagMutability",
                "{\"repositoryName\":\"frozen\",\"imageTagMutability\":\"IMMUTABLE\","
                "\"imageTagMutabilityExclusionFilters\":[{\"filterType\":\"WILDCARD\",\"filter\":\"x\"}]}",
                400, "InvalidParameterException");
  assert_fails (f, "PutImageTagMutability",
                "{\"repositoryName\":\"frozen\",\"imageTagMutability\":\"MUTABLE_WITH_EXCLUSION\","
                "\"imageTagMutabilityExclusionFilters\":[{\"filterType\":\"WILDCARD\",\"filter\":\"bad filter!\"}]}",
                400, "InvalidParameterException");
  {
    g_autoptr(JsonObject) plain = ok (f, "PutImageTagMutability",
                                      "{\"repositoryName\":\"frozen\",\"imageTagMutability\":\"IMMUTABLE\"}");

    g_assert_false (json_object_has_member (plain, "imageTagMutabilityExclusionFilters"));
  }
}

/* Scans */

static void
test_scans (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *digest = NULL, *msg = NULL;
  g_autoptr(JsonObject) started = NULL, progress = NULL, done = NULL, page = NULL, details = NULL, conf = NULL;
  JsonObject *findings, *counts, *detail;
  JsonArray *list;
  gint64 total = 0;

  create_repo (f, "scanned");
  digest = push (f, "scanned", 42, "v1");
  assert_fails (f, "DescribeImageScanFindings", "{\"repositoryName\":\"scanned\",\"imageId\":{\"imageTag\":\"v1\"}}",
                400, "ScanNotFoundException");
  assert_fails (f, "StartImageScan", "{\"repositoryName\":\"scanned\",\"imageId\":{\"imageTag\":\"nope\"}}",
                400, "ImageNotFoundException");

  started = ok (f, "StartImageScan", "{\"repositoryName\":\"scanned\",\"imageId\":{\"imageTag\":\"v1\"}}");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (started, "imageScanStatus"), "status"),
                   ==, "IN_PROGRESS");
  progress = ok (f, "DescribeImageScanFindings", "{\"repositoryName\":\"scanned\",\"imageId\":{\"imageTag\":\"v1\"}}");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (progress, "imageScanStatus"), "status"),
                   ==, "IN_PROGRESS");
  g_assert_false (json_object_has_member (progress, "imageScanFindings"));

  wharf_sandbox_advance_clock (f->sandbox, 5 * G_TIME_SPAN_SECOND);
  done = ok (f, "DescribeImageScanFindings", "{\"repositoryName\":\"scanned\",\"imageId\":{\"imageTag\":\"v1\"},\"maxResults\":1000}");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (done, "imageScanStatus"), "status"),
                   ==, "COMPLETE");
  findings = json_object_get_object_member (done, "imageScanFindings");
  counts = json_object_get_object_member (findings, "findingSeverityCounts");
  list = json_object_get_array_member (findings, "findings");
  {
    GList *members = json_object_get_members (counts);

    for (GList *l = members; l; l = l->next)
      total += json_object_get_int_member (counts, l->data);
    g_list_free (members);
  }
  g_assert_cmpint (total, ==, json_array_get_length (list));
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *finding = json_array_get_object_element (list, i);

      g_assert_true (g_str_has_prefix (json_object_get_string_member (finding, "name"), "CVE-"));
      g_assert_true (g_str_has_prefix (json_object_get_string_member (finding, "uri"), "https://"));
      g_assert_nonnull (json_object_get_string_member (finding, "severity"));
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (finding, "attributes")), >=, 2);
    }

  /* deterministic: the same digest gives the same findings, page by page */
  if (json_array_get_length (list) > 1)
    {
      page = ok (f, "DescribeImageScanFindings", "{\"repositoryName\":\"scanned\",\"imageId\":{\"imageTag\":\"v1\"},\"maxResults\":1}");
      g_assert_true (json_object_has_member (page, "nextToken"));
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (json_object_get_object_member (page, "imageScanFindings"), "findings"), 0), "name"),
                       ==, json_object_get_string_member (json_array_get_object_element (list, 0), "name"));
    }

  details = ok (f, "DescribeImages", "{\"repositoryName\":\"scanned\"}");
  detail = json_array_get_object_element (json_object_get_array_member (details, "imageDetails"), 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (detail, "imageScanStatus"), "status"), ==, "COMPLETE");
  g_assert_true (json_object_has_member (json_object_get_object_member (detail, "imageScanFindingsSummary"), "findingSeverityCounts"));

  /* one manual scan per image per day */
  msg = fails (f, "StartImageScan", "{\"repositoryName\":\"scanned\",\"imageId\":{\"imageTag\":\"v1\"}}",
               400, "LimitExceededException");
  g_assert_nonnull (strstr (msg, "24 hours"));
  wharf_sandbox_advance_clock (f->sandbox, 24 * G_TIME_SPAN_HOUR);
  {
    g_autoptr(JsonObject) again = ok (f, "StartImageScan", "{\"repositoryName\":\"scanned\",\"imageId\":{\"imageTag\":\"v1\"}}");

    g_assert_true (json_object_has_member (again, "imageScanStatus"));
  }

  /* scan on push */
  conf = ok (f, "PutImageScanningConfiguration",
             "{\"repositoryName\":\"scanned\",\"imageScanningConfiguration\":{\"scanOnPush\":true}}");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (conf, "imageScanningConfiguration"), "scanOnPush"));
  g_free (push (f, "scanned", 43, "v2"));
  {
    g_autoptr(JsonObject) pushed = ok (f, "DescribeImages", "{\"repositoryName\":\"scanned\",\"imageIds\":[{\"imageTag\":\"v2\"}]}");
    JsonObject *d = json_array_get_object_element (json_object_get_array_member (pushed, "imageDetails"), 0);

    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (d, "imageScanStatus"), "status"), ==, "IN_PROGRESS");
  }
  {
    g_autoptr(JsonObject) batch = ok (f, "BatchGetRepositoryScanningConfiguration",
                                      "{\"repositoryNames\":[\"scanned\",\"nope\"]}");
    JsonObject *c = json_array_get_object_element (json_object_get_array_member (batch, "scanningConfigurations"), 0);

    g_assert_cmpstr (json_object_get_string_member (c, "scanFrequency"), ==, "SCAN_ON_PUSH");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (batch, "failures")), ==, 1);
  }
}

static void
test_registry_scanning (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonObject) before = ok (f, "GetRegistryScanningConfiguration", "{}");
  g_autoptr(JsonObject) put = NULL, after = NULL, batch = NULL, details = NULL;
  JsonObject *conf, *c, *d;

  conf = json_object_get_object_member (before, "scanningConfiguration");
  g_assert_cmpstr (json_object_get_string_member (conf, "scanType"), ==, "BASIC");
  put = ok (f, "PutRegistryScanningConfiguration",
            "{\"scanType\":\"BASIC\",\"rules\":[{\"scanFrequency\":\"SCAN_ON_PUSH\","
            "\"repositoryFilters\":[{\"filter\":\"prod-*\",\"filterType\":\"WILDCARD\"}]}]}");
  after = ok (f, "GetRegistryScanningConfiguration", "{}");
  conf = json_object_get_object_member (after, "scanningConfiguration");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (conf, "rules")), ==, 1);
  assert_fails (f, "PutRegistryScanningConfiguration",
                "{\"scanType\":\"BASIC\",\"rules\":[{\"scanFrequency\":\"CONTINUOUS_SCAN\",\"repositoryFilters\":[]}]}",
                400, "ValidationException");

  create_repo (f, "prod-api");
  create_repo (f, "dev-api");
  batch = ok (f, "BatchGetRepositoryScanningConfiguration", "{\"repositoryNames\":[\"prod-api\",\"dev-api\"]}");
  c = json_array_get_object_element (json_object_get_array_member (batch, "scanningConfigurations"), 0);
  g_assert_cmpstr (json_object_get_string_member (c, "scanFrequency"), ==, "SCAN_ON_PUSH");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (c, "appliedScanFilters")), ==, 1);
  c = json_array_get_object_element (json_object_get_array_member (batch, "scanningConfigurations"), 1);
  g_assert_cmpstr (json_object_get_string_member (c, "scanFrequency"), ==, "MANUAL");
  g_free (push (f, "prod-api", 1, "v1"));
  details = ok (f, "DescribeImages", "{\"repositoryName\":\"prod-api\"}");
  d = json_array_get_object_element (json_object_get_array_member (details, "imageDetails"), 0);
  g_assert_true (json_object_has_member (d, "imageScanStatus"));
}

/* Lifecycle policies */

static const char lifecycle_policy[] =
  "{\"rules\":["
  "{\"rulePriority\":1,\"description\":\"keep one prod\",\"selection\":{\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"prod\"],"
  "\"countType\":\"imageCountMoreThan\",\"countNumber\":1},\"action\":{\"type\":\"expire\"}},"
  "{\"rulePriority\":2,\"selection\":{\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePushed\",\"countUnit\":\"days\","
  "\"countNumber\":8},\"action\":{\"type\":\"expire\"}},"
  "{\"rulePriority\":3,\"selection\":{\"tagStatus\":\"tagged\",\"tagPatternList\":[\"dev-*\"],"
  "\"countType\":\"imageCountMoreThan\",\"countNumber\":1},\"action\":{\"type\":\"expire\"}},"
  "{\"rulePriority\":4,\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":1},"
  "\"action\":{\"type\":\"expire\"}}]}";

static void
test_lifecycle (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *prod1 = NULL, *prod2 = NULL, *prod3 = NULL, *u1 = NULL, *u2 = NULL;
  g_autofree char *dev1 = NULL, *dev2 = NULL, *misc = NULL, *other = NULL;
  g_autofree char *quoted = json_string (lifecycle_policy);
  g_autofree char *body = g_strdup_printf ("{\"repositoryName\":\"lc\",\"lifecyclePolicyText\":%s}", quoted);
  g_autoptr(JsonObject) put = NULL, got = NULL, started = NULL, preview = NULL, page = NULL, deleted = NULL;
  g_autoptr(GHashTable) expired = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *results;
  const GTimeSpan day = G_TIME_SPAN_DAY;

  create_repo (f, "lc");
  assert_fails (f, "GetLifecyclePolicy", "{\"repositoryName\":\"lc\"}", 400, "LifecyclePolicyNotFoundException");
  assert_fails (f, "GetLifecyclePolicyPreview", "{\"repositoryName\":\"lc\"}", 400, "LifecyclePolicyPreviewNotFoundException");
  assert_fails (f, "StartLifecyclePolicyPreview", "{\"repositoryName\":\"lc\"}", 400, "LifecyclePolicyNotFoundException");

  /* day 0 */
  prod1 = push (f, "lc", 1, "prod-1");
  u1 = push (f, "lc", 2, NULL);
  misc = push (f, "lc", 3, "misc");
  wharf_sandbox_advance_clock (f->sandbox, day);
  prod2 = push (f, "lc", 4, "prod-2");
  dev1 = push (f, "lc", 5, "dev-1");
  wharf_sandbox_advance_clock (f->sandbox, day);
  prod3 = push (f, "lc", 6, "prod-3");
  dev2 = push (f, "lc", 7, "dev-2");
  wharf_sandbox_advance_clock (f->sandbox, day);
  u2 = push (f, "lc", 8, NULL);
  wharf_sandbox_advance_clock (f->sandbox, day);
  other = push (f, "lc", 9, "other");
  wharf_sandbox_advance_clock (f->sandbox, 6 * day);   /* day 10 */

  put = ok (f, "PutLifecyclePolicy", body);
  g_assert_cmpstr (json_object_get_string_member (put, "lifecyclePolicyText"), ==, lifecycle_policy);
  got = ok (f, "GetLifecyclePolicy", "{\"repositoryName\":\"lc\"}");
  g_assert_cmpstr (json_object_get_string_member (got, "lifecyclePolicyText"), ==, lifecycle_policy);

  started = ok (f, "StartLifecyclePolicyPreview", "{\"repositoryName\":\"lc\"}");
  g_assert_cmpstr (json_object_get_string_member (started, "status"), ==, "IN_PROGRESS");
  preview = ok (f, "GetLifecyclePolicyPreview", "{\"repositoryName\":\"lc\"}");
  g_assert_cmpstr (json_object_get_string_member (preview, "status"), ==, "COMPLETE");
  results = json_object_get_array_member (preview, "previewResults");
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *r = json_array_get_object_element (results, i);
      const char *digest = json_object_get_string_member (r, "imageDigest");
      int priority = json_object_get_int_member (r, "appliedRulePriority");

      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (r, "action"), "type"), ==, "EXPIRE");
      g_hash_table_add (expired, (gpointer) digest);
      if (g_str_equal (digest, prod1) || g_str_equal (digest, prod2))
        g_assert_cmpint (priority, ==, 1);
      else if (g_str_equal (digest, u1))
        g_assert_cmpint (priority, ==, 2);
      else if (g_str_equal (digest, dev1))
        g_assert_cmpint (priority, ==, 3);
      else if (g_str_equal (digest, misc))
        g_assert_cmpint (priority, ==, 4);
      else
        g_error ("image %s should not expire", digest);
    }
  g_assert_cmpuint (g_hash_table_size (expired), ==, 5);
  g_assert_false (g_hash_table_contains (expired, prod3));
  g_assert_false (g_hash_table_contains (expired, u2));
  g_assert_false (g_hash_table_contains (expired, dev2));
  g_assert_false (g_hash_table_contains (expired, other));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (preview, "summary"), "expiringImageTotalCount"), ==, 5);

  page = ok (f, "GetLifecyclePolicyPreview", "{\"repositoryName\":\"lc\",\"maxResults\":2}");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "previewResults")), ==, 2);
  g_assert_true (json_object_has_member (page, "nextToken"));
  assert_fails (f, "GetLifecyclePolicyPreview", "{\"repositoryName\":\"lc\",\"maxResults\":101}", 400, "InvalidParameterException");

  /* invalid policies */
  {
    static const char *const bad[] = {
      "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"tagged\",\"countType\":\"imageCountMoreThan\",\"countNumber\":1},\"action\":{\"type\":\"expire\"}}]}",
      "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":1},\"action\":{\"type\":\"expire\"}},{\"rulePriority\":2,\"selection\":{\"tagStatus\":\"untagged\",\"countType\":\"imageCountMoreThan\",\"countNumber\":1},\"action\":{\"type\":\"expire\"}}]}",
      "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePushed\",\"countNumber\":1},\"action\":{\"type\":\"expire\"}}]}                                ",
      "{\"rules\":[]}                                                                                                      ",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autofree char *q = json_string (bad[i]);
        g_autofree char *b = g_strdup_printf ("{\"repositoryName\":\"lc\",\"lifecyclePolicyText\":%s}", q);

        assert_fails (f, "PutLifecyclePolicy", b, 400, "InvalidParameterException");
      }
  }
  /* ECR runs the policy within a day: the same images expire */
  g_assert_cmpint (wharf_sandbox_count_images (f->sandbox, NULL, "lc", NULL), ==, 9);
  g_assert_false (json_object_has_member (got, "lastEvaluatedAt"));
  wharf_sandbox_advance_clock (f->sandbox, day + G_TIME_SPAN_HOUR);
  {
    g_autoptr(JsonObject) evaluated = ok (f, "GetLifecyclePolicy", "{\"repositoryName\":\"lc\"}");

    g_assert_true (json_object_has_member (evaluated, "lastEvaluatedAt"));
  }
  /* a day later the untagged u2 has passed 8 days too */
  g_assert_cmpint (wharf_sandbox_count_images (f->sandbox, NULL, "lc", NULL), ==, 3);
  g_assert_cmpint (wharf_sandbox_count_images (f->sandbox, NULL, "lc", "UNTAGGED"), ==, 0);
  {
    g_autofree char *left = wharf_sandbox_lookup_tag (f->sandbox, NULL, "lc", "prod-3");
    g_autofree char *gone = wharf_sandbox_lookup_tag (f->sandbox, NULL, "lc", "prod-1");

    g_assert_cmpstr (left, ==, prod3);
    g_assert_null (gone);
  }
  deleted = ok (f, "DeleteLifecyclePolicy", "{\"repositoryName\":\"lc\"}");
  assert_fails (f, "GetLifecyclePolicy", "{\"repositoryName\":\"lc\"}", 400, "LifecyclePolicyNotFoundException");
}

static void
test_repository_policy (Fixture       *f,
                        gconstpointer  data)
{
  const char *policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"pull\",\"Effect\":\"Allow\","
                       "\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"},\"Action\":[\"ecr:BatchGetImage\"]}]}";
  g_autofree char *quoted = json_string (policy);
  g_autofree char *body = g_strdup_printf ("{\"repositoryName\":\"pol\",\"policyText\":%s}", quoted);
  g_autoptr(JsonObject) set = NULL, got = NULL, deleted = NULL;

  create_repo (f, "pol");
  assert_fails (f, "GetRepositoryPolicy", "{\"repositoryName\":\"pol\"}", 400, "RepositoryPolicyNotFoundException");
  assert_fails (f, "SetRepositoryPolicy", "{\"repositoryName\":\"pol\",\"policyText\":\"nope\"}", 400, "InvalidParameterException");
  set = ok (f, "SetRepositoryPolicy", body);
  got = ok (f, "GetRepositoryPolicy", "{\"repositoryName\":\"pol\"}");
  g_assert_cmpstr (json_object_get_string_member (got, "policyText"), ==, policy);
  deleted = ok (f, "DeleteRepositoryPolicy", "{\"repositoryName\":\"pol\"}");
  g_assert_cmpstr (json_object_get_string_member (deleted, "policyText"), ==, policy);
  assert_fails (f, "DeleteRepositoryPolicy", "{\"repositoryName\":\"pol\"}", 400, "RepositoryPolicyNotFoundException");
}

/* Seeds and state */

static void
test_demo_seed (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonObject) repos = ok (f, "DescribeRepositories", "{}");
  g_autoptr(JsonObject) other_region = ok_in (f, "ap-northeast-1", "DescribeRepositories", "{}");
  g_autoptr(JsonObject) web = ok (f, "DescribeImages", "{\"repositoryName\":\"team-a/web\"}");
  guint n = json_array_get_length (json_object_get_array_member (repos, "repositories"));
  JsonArray *details = json_object_get_array_member (web, "imageDetails");
  gboolean saw_index = FALSE;

  g_assert_cmpuint (n, >=, 12);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (other_region, "repositories")), ==, n);
  for (guint i = 0; i < json_array_get_length (details); i++)
    saw_index |= g_str_equal (json_object_get_string_member (json_array_get_object_element (details, i), "imageManifestMediaType"),
                              "application/vnd.oci.image.index.v1+json");
  g_assert_true (saw_index);
  g_assert_cmpint (wharf_sandbox_count_images (f->sandbox, NULL, "team-a/api", "UNTAGGED"), >, 0);
  {
    g_autoptr(JsonObject) policy = ok (f, "GetLifecyclePolicy", "{\"repositoryName\":\"tools/ci-runner\"}");
    g_autoptr(JsonObject) repo_policy = ok (f, "GetRepositoryPolicy", "{\"repositoryName\":\"team-b/payments\"}");
    g_autoptr(JsonObject) findings = ok (f, "DescribeImageScanFindings",
                                         "{\"repositoryName\":\"nginx-custom\",\"imageId\":{\"imageTag\":\"stable\"}}");

    g_assert_true (json_object_has_member (policy, "lifecyclePolicyText"));
    g_assert_true (json_object_has_member (repo_policy, "policyText"));
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (findings, "imageScanStatus"), "status"),
                     ==, "COMPLETE");
  }
}

static void
test_big_seed (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *token = NULL;
  guint total = 0, pages = 0;

  g_assert_cmpint (wharf_sandbox_count_images (f->sandbox, NULL, "big", NULL), ==, 10000);
  do
    {
      g_autofree char *body = token ? g_strdup_printf ("{\"repositoryName\":\"big\",\"maxResults\":1000,\"nextToken\":\"%s\"}", token)
                                    : g_strdup ("{\"repositoryName\":\"big\",\"maxResults\":1000}");
      g_autoptr(JsonObject) out = ok (f, "DescribeImages", body);

      total += json_array_get_length (json_object_get_array_member (out, "imageDetails"));
      pages++;
      g_clear_pointer (&token, g_free);
      if (json_object_has_member (out, "nextToken"))
        token = g_strdup (json_object_get_string_member (out, "nextToken"));
    }
  while (token);
  g_assert_cmpuint (total, ==, 10000);
  g_assert_cmpuint (pages, ==, 10);
}

static void
test_many_seed (Fixture       *f,
                gconstpointer  data)
{
  g_assert_cmpuint (wharf_sandbox_get_n_repositories (f->sandbox, NULL), >=, 10000);
  g_assert_true (wharf_sandbox_has_repository (f->sandbox, NULL, "many/repo-09999"));
}

static void
test_state_restart (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->tmpdir, "state.json", NULL);
  g_autofree char *digest = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) described = NULL;

  g_clear_object (&f->sandbox);
  f->sandbox = wharf_test_sandbox_start (path, NULL, "test-sandbox.jsonl");
  create_repo (f, "kept");
  digest = push (f, "kept", 1, "v1");
  {
    g_autoptr(JsonObject) pol = ok (f, "PutImageTagMutability", "{\"repositoryName\":\"kept\",\"imageTagMutability\":\"IMMUTABLE\"}");

    g_assert_cmpstr (json_object_get_string_member (pol, "imageTagMutability"), ==, "IMMUTABLE");
  }
  g_clear_object (&f->sandbox);   /* writes the pending change */
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  f->sandbox = wharf_test_sandbox_start (path, NULL, "test-sandbox.jsonl");
  after = wharf_sandbox_lookup_tag (f->sandbox, NULL, "kept", "v1");
  g_assert_cmpstr (after, ==, digest);
  described = ok (f, "DescribeRepositories", "{\"repositoryNames\":[\"kept\"]}");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (described, "repositories"), 0),
                                                  "imageTagMutability"), ==, "IMMUTABLE");
  /* flush writes at once */
  create_repo (f, "later");
  wharf_sandbox_flush (f->sandbox, &error);
  g_assert_no_error (error);
  {
    g_autofree char *contents = NULL;

    g_file_get_contents (path, &contents, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (contents, "\"later\""));
  }
}

static void
test_state_corrupt (Fixture       *f,
                    gconstpointer  data)
{
  static const char *const bad[] = {
    "{\"version\": 1, \"registries\": [",
    "[]",
    "{\"version\": 99, \"registries\": []}",
    "{\"version\": 1, \"registries\": [{\"account\": 5}]}",
    "{\"version\": 1, \"registries\": [{\"account\": \"111122223333\", \"region\": \"us-east-1\", \"repositories\": [{\"name\": \"x\"}]}]}",
  };
  g_autofree char *path = g_build_filename (f->tmpdir, "state.json", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WharfSandbox) sandbox = NULL;
      g_autofree char *contents = NULL;

      g_file_set_contents (path, bad[i], -1, &error);
      g_assert_no_error (error);
      sandbox = wharf_sandbox_new (path, &error);
      g_assert_null (sandbox);
      g_assert_error (error, WHARF_SANDBOX_ERROR, WHARF_SANDBOX_ERROR_STATE);
      g_assert_nonnull (strstr (error->message, path));
      g_file_get_contents (path, &contents, NULL, NULL);
      g_assert_cmpstr (contents, ==, bad[i]);
    }
}

/* Faults */

static void
test_faults (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  static const char *const invalid[] = {
    "explode", "throttle:NoSuchOperation", "throttle:*:zero", "delay=abc", "throttle=3", "503:*:1:2", "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_clear_error (&error);
      g_assert_false (wharf_sandbox_add_fault (f->sandbox, invalid[i], &error));
      g_assert_error (error, WHARF_SANDBOX_ERROR, WHARF_SANDBOX_ERROR_FAULT);
    }
  g_assert_true (wharf_sandbox_add_fault (f->sandbox, "delay=10:ListImages:3", NULL));
  g_assert_true (wharf_sandbox_add_fault (f->sandbox, "access-denied:*:*", NULL));
}

static void
test_fault_kinds (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Reply) t1 = NULL, t2 = NULL, t3 = NULL, other = NULL, s503 = NULL, s500 = NULL;
  g_autoptr(Reply) html = NULL, invalid = NULL, reset = NULL, truncated = NULL, expired = NULL;
  g_autoptr(Reply) denied = NULL, delayed = NULL, after = NULL;

  g_assert_true (wharf_sandbox_add_fault (f->sandbox, "throttle:DescribeRepositories:2", NULL));
  t1 = send_op (f, "DescribeRepositories", "{}", NULL);
  other = send_op (f, "DescribeRegistry", "{}", NULL);
  t2 = send_op (f, "DescribeRepositories", "{}", NULL);
  t3 = send_op (f, "DescribeRepositories", "{}", NULL);
  g_assert_cmpuint (t1->status, ==, 400);
  g_assert_cmpstr (t1->type, ==, "ThrottlingException");
  g_assert_cmpuint (other->status, ==, 200);
  g_assert_cmpstr (t2->type, ==, "ThrottlingException");
  g_assert_cmpuint (t3->status, ==, 200);
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, "DescribeRepositories"), ==, 3);

  g_assert_true (wharf_sandbox_add_fault (f->sandbox, "503", NULL));
  g_assert_true (wharf_sandbox_add_fault (f->sandbox, "500:*:1", NULL));
  g_assert_true (wharf_sandbox_add_fault (f->sandbox, "html:ListImages", NULL));
  g_assert_true (wharf_sandbox_add_fault (f->sandbox, "invalid-json:DescribeImages", NULL));
  g_assert_true (wharf_sandbox_add_fault (f->sandbox, "reset:BatchGetImage", NULL));
  g_assert_true (wharf_sandbox_add_fault (f->sandbox, "truncate:GetAuthorizationToken", NULL));
  g_assert_true (wharf_sandbox_add_fault (f->sandbox, "expired-token:ListTagsForResource", NULL));
  g_assert_true (wharf_sandbox_add_fault (f->sandbox, "access-denied:DeleteRepository", NULL));
  g_assert_true (wharf_sandbox_add_fault (f->sandbox, "delay=150:DescribeRegistry:*", NULL));

  s503 = send_op (f, "CreateRepository", "{\"repositoryName\":\"x1\"}", NULL);
  g_assert_cmpuint (s503->status, ==, 503);
  g_assert_cmpstr (s503->type, ==, "ServiceUnavailableException");
  s500 = send_op (f, "CreateRepository", "{\"repositoryName\":\"x1\"}", NULL);
  g_assert_cmpuint (s500->status, ==, 500);
  g_assert_cmpstr (s500->type, ==, "ServerException");
  g_assert_false (wharf_sandbox_has_repository (f->sandbox, NULL, "x1"));
  create_repo (f, "x1");

  html = send_op (f, "ListImages", "{\"repositoryName\":\"x1\"}", NULL);
  g_assert_cmpuint (html->status, ==, 502);
  g_assert_cmpstr (html->content_type, ==, "text/html");
  g_assert_null (html->body);
  invalid = send_op (f, "DescribeImages", "{\"repositoryName\":\"x1\"}", NULL);
  g_assert_cmpuint (invalid->status, ==, 200);
  g_assert_null (invalid->body);
  reset = send_op (f, "BatchGetImage", "{\"repositoryName\":\"x1\",\"imageIds\":[{\"imageTag\":\"a\"}]}", NULL);
  g_assert_nonnull (reset->error);
  truncated = send_op (f, "GetAuthorizationToken", "{}", NULL);
  g_assert_true (truncated->error || !truncated->body);
  expired = send_op (f, "ListTagsForResource", "{\"resourceArn\":\"arn:aws:ecr:us-east-1:" ACCOUNT ":repository/x1\"}", NULL);
  g_assert_cmpstr (expired->type, ==, "ExpiredTokenException");
  denied = send_op (f, "DeleteRepository", "{\"repositoryName\":\"x1\"}", NULL);
  g_assert_cmpstr (denied->type, ==, "AccessDeniedException");
  g_assert_true (wharf_sandbox_has_repository (f->sandbox, NULL, "x1"));
  delayed = send_op (f, "DescribeRegistry", "{}", NULL);
  g_assert_cmpuint (delayed->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (delayed->body, "registryId"), ==, ACCOUNT);

  wharf_sandbox_clear_faults (f->sandbox);
  after = send_op (f, "ListImages", "{\"repositoryName\":\"x1\"}", NULL);
  g_assert_cmpuint (after->status, ==, 200);
}

static void
test_record (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->tmpdir, "record.jsonl", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(Reply) bad = NULL;
  guint n = 0;

  wharf_sandbox_set_record_path (f->sandbox, path, &error);
  g_assert_no_error (error);
  create_repo (f, "recorded");
  bad = send_op (f, "DescribeRepositories", "{\"repositoryNames\":[\"nope\"]}", NULL);
  wharf_sandbox_set_record_path (f->sandbox, NULL, &error);
  g_assert_no_error (error);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *o, *req, *resp;
      JsonArray *headers;
      gboolean has_auth = FALSE, has_id = FALSE;

      if (lines[i][0] == '\0')
        continue;
      n++;
      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, NULL));
      o = json_node_get_object (json_parser_get_root (parser));
      req = json_object_get_object_member (o, "request");
      resp = json_object_get_object_member (o, "response");
      g_assert_cmpstr (json_object_get_string_member (o, "operation"), ==,
                       n == 1 ? "CreateRepository" : "DescribeRepositories");
      g_assert_cmpstr (json_object_get_string_member (req, "method"), ==, "POST");
      g_assert_cmpstr (json_object_get_string_member (req, "path"), ==, "/");
      g_assert_cmpstr (json_object_get_string_member (req, "query"), ==, "");
      headers = json_object_get_array_member (req, "headers");
      for (guint h = 0; h < json_array_get_length (headers); h++)
        has_auth |= g_ascii_strcasecmp (json_array_get_string_element (json_array_get_array_element (headers, h), 0),
                                        "Authorization") == 0;
      g_assert_true (has_auth);
      g_assert_nonnull (strstr (json_object_get_string_member (req, "body"), n == 1 ? "recorded" : "nope"));
      g_assert_cmpint (json_object_get_int_member (resp, "status"), ==, n == 1 ? 200 : 400);
      headers = json_object_get_array_member (resp, "headers");
      for (guint h = 0; h < json_array_get_length (headers); h++)
        has_id |= g_ascii_strcasecmp (json_array_get_string_element (json_array_get_array_element (headers, h), 0),
                                      "x-amzn-RequestId") == 0;
      g_assert_true (has_id);
      g_assert_nonnull (strstr (json_object_get_string_member (resp, "body"),
                                n == 1 ? "repositoryArn" : "RepositoryNotFoundException"));
    }
  g_assert_cmpuint (n, ==, 2);
}

static void
test_in_process (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *tagged = NULL;
  g_autoptr(JsonObject) repo = NULL;

  g_assert_true (wharf_sandbox_create_repository (f->sandbox, NULL, "inproc", &error));
  g_assert_no_error (error);
  g_assert_false (wharf_sandbox_create_repository (f->sandbox, NULL, "inproc", &error));
  g_assert_error (error, WHARF_SANDBOX_ERROR, WHARF_SANDBOX_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (wharf_sandbox_create_repository (f->sandbox, NULL, "Bad Name", &error));
  g_assert_error (error, WHARF_SANDBOX_ERROR, WHARF_SANDBOX_ERROR_INVALID);
  g_clear_error (&error);
  digest = wharf_sandbox_push_image (f->sandbox, NULL, "inproc", "v1", 5000000, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (digest, "sha256:"));
  tagged = wharf_sandbox_lookup_tag (f->sandbox, NULL, "inproc", "v1");
  g_assert_cmpstr (tagged, ==, digest);
  g_assert_null (wharf_sandbox_push_image (f->sandbox, NULL, "missing", NULL, 1, &error));
  g_assert_error (error, WHARF_SANDBOX_ERROR, WHARF_SANDBOX_ERROR_NOT_FOUND);
  repo = wharf_sandbox_dup_repository (f->sandbox, NULL, "inproc");
  g_assert_cmpint (json_object_get_int_member (repo, "imageCount"), ==, 1);
  {
    g_autoptr(JsonObject) details = ok (f, "DescribeImages", "{\"repositoryName\":\"inproc\"}");
    JsonObject *d = json_array_get_object_element (json_object_get_array_member (details, "imageDetails"), 0);

    g_assert_cmpint (json_object_get_int_member (d, "imageSizeInBytes"), ==, 5000000);
  }
  g_clear_error (&error);
  g_assert_false (wharf_sandbox_seed (f->sandbox, "huge", &error));
  g_assert_error (error, WHARF_SANDBOX_ERROR, WHARF_SANDBOX_ERROR_SEED);
}

/* The command */

static void
test_command (Fixture       *f,
              gconstpointer  data)
{
  const char *bin = g_getenv ("WHARF_SANDBOX_BIN");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL, refused = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL, *second = NULL, *url = NULL, *state = NULL;
  g_autofree char *refused_err = NULL;

  if (!bin)
    {
      g_test_skip ("WHARF_SANDBOX_BIN is not set (run through meson test)");
      return;
    }
  state = g_build_filename (f->tmpdir, "cmd-state.json", NULL);
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, bin, "--listen", "127.0.0.1:0",
                           "--seed", "demo", "--state", state, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "Listening on http://127.0.0.1:"));
  second = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_nonnull (strstr (second, WHARF_SANDBOX_PRACTICE_ACCESS_KEY_ID));
  url = g_strdup (line + strlen ("Listening on "));
  {
    g_autoptr(Reply) r = send_to (f, url, "DescribeRepositories", "{}", NULL);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (r->body, "repositories")), >=, 12);
  }
  g_subprocess_send_signal (proc, SIGTERM);
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  g_assert_true (g_file_test (state, G_FILE_TEST_EXISTS));

  refused = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              bin, "--listen", "0.0.0.0:0", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (refused, NULL, NULL, NULL, &refused_err, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (refused), ==, 2);
  g_assert_nonnull (strstr (refused_err, "loopback"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  wharf_test_set_deadline (30);

#define ADD(path, seed, func) \
  g_test_add ("/sandbox/" path, Fixture, seed, fixture_setup, func, fixture_teardown)

  ADD ("auth/failures", NULL, test_auth);
  ADD ("auth/added-key", NULL, test_added_key);
  ADD ("protocol/errors", NULL, test_protocol);
  ADD ("repositories/crud", NULL, test_repositories);
  ADD ("repositories/resource-tags", NULL, test_resource_tags);
  ADD ("repositories/pagination", NULL, test_repository_pagination);
  ADD ("pagination/bad-tokens", NULL, test_bad_tokens);
  ADD ("images/pagination", NULL, test_image_pagination);
  ADD ("images/put-get-delete", NULL, test_images);
  ADD ("images/index", NULL, test_index);
  ADD ("images/immutability", NULL, test_immutability);
  ADD ("scans/progress-and-limit", NULL, test_scans);
  ADD ("scans/registry-configuration", NULL, test_registry_scanning);
  ADD ("lifecycle/preview", NULL, test_lifecycle);
  ADD ("repository-policy", NULL, test_repository_policy);
  ADD ("seed/demo", "demo", test_demo_seed);
  ADD ("seed/big", "big", test_big_seed);
  ADD ("seed/many", "many", test_many_seed);
  ADD ("state/restart", NULL, test_state_restart);
  ADD ("state/corrupt", NULL, test_state_corrupt);
  ADD ("faults/specs", NULL, test_faults);
  ADD ("faults/kinds", NULL, test_fault_kinds);
  ADD ("record/format", NULL, test_record);
  ADD ("in-process", NULL, test_in_process);
  ADD ("command", NULL, test_command);
#undef ADD

  return g_test_run ();
}
