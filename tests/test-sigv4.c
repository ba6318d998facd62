/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sigv4"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "wharf-sigv4.h"

/* The AWS SigV4 test suite, aws-c-auth layout */

static char *
find_suite (char **why_missing)
{
  const char *env = g_getenv ("WHARF_SIGV4_SUITE");
  const char *shared = g_getenv ("WHARF_SHARED_DIR");
  g_autofree char *path = NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);  /* explicit: a missing folder is a failure, not a skip */

  if (shared == NULL || *shared == '\0')
    {
      *why_missing = g_strdup ("the AWS SigV4 test suite is missing: neither WHARF_SIGV4_SUITE "
                               "nor WHARF_SHARED_DIR is set");
      return NULL;
    }

  path = g_build_filename (shared, "testdata", "aws-sigv4-suite", "v4", NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      *why_missing = g_strdup_printf ("the AWS SigV4 test suite is missing: %s does not exist "
                                      "(set WHARF_SIGV4_SUITE to its v4 folder)", path);
      return NULL;
    }

  return g_steal_pointer (&path);
}

typedef struct
{
  WharfSigv4Request *req;
  WharfSigv4Params   params;
  GDateTime         *time;
  char              *access_key_id;
  char              *secret;
  char              *token;
  char              *region;
  char              *service;
} SuiteCase;

static void
suite_case_free (SuiteCase *c)
{
  g_clear_pointer (&c->req, wharf_sigv4_request_free);
  g_clear_pointer (&c->time, g_date_time_unref);
  g_free (c->access_key_id);
  g_free (c->secret);
  g_free (c->token);
  g_free (c->region);
  g_free (c->service);
  g_free (c);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SuiteCase, suite_case_free)

/* request.txt: request line, headers (continuation lines start with whitespace), a blank
 * line, the body. The target may contain raw spaces ("GET /example space/ HTTP/1.1"). */
static WharfSigv4Request *
parse_request (const char  *text,
               gsize        len,
               GError     **error)
{
  g_autoptr(WharfSigv4Request) req = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  const char *p = text;
  const char *end = text + len;
  const char *eol;
  g_autofree char *line = NULL;
  const char *sp1, *sp2;
  g_autofree char *method = NULL;
  g_autofree char *target = NULL;
  char *question;

  eol = memchr (p, '\n', end - p);
  if (eol == NULL)
    eol = end;
  line = g_strndup (p, eol - p);
  g_strchomp (line);
  p = eol < end ? eol + 1 : end;

  sp1 = strchr (line, ' ');
  sp2 = strrchr (line, ' ');
  if (sp1 == NULL || sp2 == sp1 || !g_str_has_prefix (sp2 + 1, "HTTP/"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bad request line “%s”", line);
      return NULL;
    }
  method = g_strndup (line, sp1 - line);
  target = g_strndup (sp1 + 1, sp2 - sp1 - 1);
  question = strchr (target, '?');
  if (question != NULL)
    *question = '\0';
  req = wharf_sigv4_request_new (method, target, question != NULL ? question + 1 : NULL);

  while (p < end)
    {
      g_autofree char *hline = NULL;
      const char *colon;

      eol = memchr (p, '\n', end - p);
      if (eol == NULL)
        eol = end;
      hline = g_strndup (p, eol - p);
      if (*hline != '\0' && hline[strlen (hline) - 1] == '\r')
        hline[strlen (hline) - 1] = '\0';
      p = eol < end ? eol + 1 : end;

      if (*hline == '\0')
        break;  /* the body follows */

      if ((*hline == ' ' || *hline == '\t') && values->len > 0)
        {
          /* A folded (multi-line) value */
          char *prev = g_ptr_array_index (values, values->len - 1);
          values->pdata[values->len - 1] = g_strconcat (prev, "\n", hline, NULL);
          g_free (prev);
          continue;
        }

      colon = strchr (hline, ':');
      if (colon == NULL || colon == hline)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bad header line “%s”",
                       hline);
          return NULL;
        }
      g_ptr_array_add (names, g_strndup (hline, colon - hline));
      g_ptr_array_add (values, g_strdup (colon + 1));
    }

  for (guint i = 0; i < names->len; i++)
    wharf_sigv4_request_add_header (req, g_ptr_array_index (names, i),
                                    g_ptr_array_index (values, i));
  if (p < end)
    wharf_sigv4_request_set_body (req, p, end - p);

  return g_steal_pointer (&req);
}

static const char *
member_string (JsonObject *obj,
               const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
member_bool (JsonObject *obj,
             const char *name,
             gboolean    fallback)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  return json_node_get_boolean (node);
}

static SuiteCase *
load_case (const char  *dir,
           GError     **error)
{
  g_autoptr(SuiteCase) c = g_new0 (SuiteCase, 1);
  g_autofree char *context_path = g_build_filename (dir, "context.json", NULL);
  g_autofree char *request_path = g_build_filename (dir, "request.txt", NULL);
  g_autofree char *request_text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *ctx, *creds;
  const char *timestamp;
  gsize len;

  if (!json_parser_load_from_file (parser, context_path, error))
    return NULL;
  if (json_parser_get_root (parser) == NULL
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: not an object", context_path);
      return NULL;
    }
  ctx = json_node_get_object (json_parser_get_root (parser));
  creds = json_object_get_object_member (ctx, "credentials");
  timestamp = member_string (ctx, "timestamp");
  if (creds == NULL || member_string (creds, "access_key_id") == NULL
      || member_string (creds, "secret_access_key") == NULL || timestamp == NULL
      || member_string (ctx, "region") == NULL || member_string (ctx, "service") == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s lacks credentials, region, service or timestamp", context_path);
      return NULL;
    }

  c->access_key_id = g_strdup (member_string (creds, "access_key_id"));
  c->secret = g_strdup (member_string (creds, "secret_access_key"));
  c->token = g_strdup (member_string (creds, "token"));
  c->region = g_strdup (member_string (ctx, "region"));
  c->service = g_strdup (member_string (ctx, "service"));
  c->time = g_date_time_new_from_iso8601 (timestamp, NULL);
  if (c->time == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bad timestamp “%s”", timestamp);
      return NULL;
    }

  wharf_sigv4_params_init (&c->params);
  c->params.access_key_id = c->access_key_id;
  c->params.secret_access_key = c->secret;
  c->params.session_token = c->token;
  c->params.region = c->region;
  c->params.service = c->service;
  c->params.time = c->time;
  c->params.normalize_path = member_bool (ctx, "normalize", TRUE);
  c->params.sign_body = member_bool (ctx, "sign_body", FALSE);
  c->params.omit_session_token = member_bool (ctx, "omit_session_token", FALSE);

  if (!g_file_get_contents (request_path, &request_text, &len, error))
    return NULL;
  c->req = parse_request (request_text, len, error);
  if (c->req == NULL)
    return NULL;

  return g_steal_pointer (&c);
}

static char *
read_expected (const char *dir,
               const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, &error))
    {
      g_test_fail_printf ("expected file missing or unreadable: %s", error->message);
      return NULL;
    }
  return text;
}

static char *
authorization_line (const char *signed_request)
{
  g_auto(GStrv) lines = g_strsplit (signed_request, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (lines[i], "Authorization:", 14) == 0)
      return g_strdup (lines[i] + 14);
  return NULL;
}

static void
test_suite_case (gconstpointer data)
{
  const char *dir = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SuiteCase) c = NULL;
  g_autofree char *want_creq = read_expected (dir, "header-canonical-request.txt");
  g_autofree char *want_sts = read_expected (dir, "header-string-to-sign.txt");
  g_autofree char *want_sig = read_expected (dir, "header-signature.txt");
  g_autofree char *creq = NULL;
  g_autofree char *sts = NULL;
  g_autofree char *sig = NULL;
  g_autofree char *date8 = NULL;
  g_autofree char *authorization = NULL;
  g_autofree char *signed_request = NULL;
  g_autofree char *signed_request_path = g_build_filename (dir, "header-signed-request.txt", NULL);
  guint8 key[32];

  if (want_creq == NULL || want_sts == NULL || want_sig == NULL)
    return;  /* already failed */

  c = load_case (dir, &error);
  g_assert_no_error (error);

  creq = wharf_sigv4_canonical_request (c->req, &c->params);
  g_assert_cmpstr (creq, ==, want_creq);

  sts = wharf_sigv4_string_to_sign (creq, &c->params);
  g_assert_cmpstr (sts, ==, want_sts);

  date8 = wharf_sigv4_format_date8 (c->time);
  wharf_sigv4_signing_key (c->secret, date8, c->region, c->service, key);
  sig = wharf_sigv4_signature (key, sts);
  g_assert_cmpstr (sig, ==, want_sig);

  /* The one-call client path agrees with the stages and with the signed request. */
  authorization = wharf_sigv4_sign (c->req, &c->params);
  g_assert_true (g_str_has_suffix (authorization, want_sig));
  g_assert_cmpstr (wharf_sigv4_request_get_header (c->req, "Authorization"), ==, authorization);
  if (g_file_get_contents (signed_request_path, &signed_request, NULL, NULL))
    {
      g_autofree char *want_auth = authorization_line (signed_request);
      g_assert_cmpstr (authorization, ==, want_auth);
    }

  /* The server side accepts it (it always normalises, as AWS does for these services). */
  if (c->params.normalize_path)
    {
      wharf_sigv4_verify (c->req, c->secret, &error);
      g_assert_no_error (error);
    }
}

static void
test_suite_missing (gconstpointer data)
{
  g_test_skip (data);
}

static void
test_suite_folder_missing (gconstpointer data)
{
  g_test_fail_printf ("WHARF_SIGV4_SUITE=%s is not a folder of test cases", (const char *) data);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static void
add_suite_tests (void)
{
  g_autofree char *why_missing = NULL;
  g_autofree char *suite = find_suite (&why_missing);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  if (suite == NULL)
    {
      g_test_add_data_func_full ("/sigv4/suite", g_steal_pointer (&why_missing),
                                 test_suite_missing, g_free);
      return;
    }

  dir = g_dir_open (suite, 0, NULL);
  if (dir == NULL)
    {
      g_test_add_data_func_full ("/sigv4/suite", g_steal_pointer (&suite),
                                 test_suite_folder_missing, g_free);
      return;
    }

  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (suite, name, NULL);
      g_autofree char *request = g_build_filename (path, "request.txt", NULL);

      /* A case folder is one with a request; its expected files are checked in the case. */
      if (g_file_test (request, G_FILE_TEST_EXISTS))
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *case_name = g_ptr_array_index (names, i);
      g_autofree char *test_path = g_strdup_printf ("/sigv4/suite/%s", case_name);

      g_test_add_data_func_full (test_path, g_build_filename (suite, case_name, NULL),
                                 test_suite_case, g_free);
    }

  if (names->len == 0)
    g_test_add_data_func_full ("/sigv4/suite", g_steal_pointer (&suite),
                               test_suite_folder_missing, g_free);
}

/* Edge cases beyond the suite. Expected signatures come from botocore's SigV4Auth at
 * 2024-01-02T03:04:05Z with the keys below. */

#define EDGE_KEY_ID "AKIAIOSFODNN7EXAMPLE"
#define EDGE_SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

typedef struct
{
  GDateTime        *time;
  WharfSigv4Params  params;
} Edge;

static void
edge_setup (Edge          *e,
            gconstpointer  data)
{
  e->time = g_date_time_new_utc (2024, 1, 2, 3, 4, 5);
  wharf_sigv4_params_init (&e->params);
  e->params.access_key_id = EDGE_KEY_ID;
  e->params.secret_access_key = EDGE_SECRET;
  e->params.region = "us-east-1";
  e->params.service = "service";
  e->params.time = e->time;
}

static void
edge_teardown (Edge          *e,
               gconstpointer  data)
{
  g_date_time_unref (e->time);
}

static WharfSigv4Request *
describe_images_request (void)
{
  static const char body[] = "{\"repositoryName\":\"team/app\",\"maxResults\":100}";
  WharfSigv4Request *req = wharf_sigv4_request_new ("POST", "/", NULL);

  wharf_sigv4_request_add_header (req, "Host", "api.ecr.us-east-1.amazonaws.com");
  wharf_sigv4_request_add_header (req, "X-Amz-Target",
                                  "AmazonEC2ContainerRegistry_V20150921.DescribeImages");
  wharf_sigv4_request_add_header (req, "Content-Type", "application/x-amz-json-1.1");
  wharf_sigv4_request_add_header (req, "User-Agent", "wharf/0.1");
  wharf_sigv4_request_set_body (req, body, strlen (body));
  return req;
}

static void
test_edge_ecr_botocore (Edge          *e,
                        gconstpointer  data)
{
  g_autoptr(WharfSigv4Request) req = describe_images_request ();
  g_autofree char *auth = NULL;

  e->params.service = "ecr";
  e->params.session_token = "FQoGZXIvYXdzEXAMPLETOKEN";
  auth = wharf_sigv4_sign (req, &e->params);
  g_assert_cmpstr (auth, ==,
                   "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240102/us-east-1/ecr/"
                   "aws4_request, SignedHeaders=content-type;host;x-amz-date;"
                   "x-amz-security-token;x-amz-target, Signature="
                   "39af66913d0fb23af92ffdaa311bc8e8b631e2ce06ccc0f09c40142c5a1c81cd");
  g_assert_cmpstr (wharf_sigv4_request_get_header (req, "x-amz-date"), ==, "20240102T030405Z");
  g_assert_cmpstr (wharf_sigv4_request_get_header (req, "X-Amz-Security-Token"), ==,
                   "FQoGZXIvYXdzEXAMPLETOKEN");

  /* Signing again (a retry) replaces the headers instead of piling them up. */
  g_free (auth);
  auth = wharf_sigv4_sign (req, &e->params);
  g_assert_true (g_str_has_suffix (auth,
                                   "39af66913d0fb23af92ffdaa311bc8e8"
                                   "b631e2ce06ccc0f09c40142c5a1c81cd"));
  g_assert_cmpuint (wharf_sigv4_request_get_n_headers (req), ==, 7);
}

static void
test_edge_repeated_keys (Edge          *e,
                         gconstpointer  data)
{
  g_autoptr(WharfSigv4Request) req = wharf_sigv4_request_new ("GET", "/", "b=2&a=3&a=1&c=");
  g_autofree char *auth = NULL;
  g_autofree char *query = NULL;

  wharf_sigv4_request_add_header (req, "Host", "example.amazonaws.com");
  auth = wharf_sigv4_sign (req, &e->params);
  g_assert_true (g_str_has_suffix (auth,
                                   "a923da7f375609ef6eb6e95a83b7db85"
                                   "b43837f1a650e0e879aab6c09444a01b"));

  /* Sorted by encoded key, then by value; a value-less key signs as "key=". */
  query = wharf_sigv4_canonical_query ("z&b=2&a=3&a=1&a=10&&c=%7e&d=%2F+x");
  g_assert_cmpstr (query, ==, "a=1&a=10&a=3&b=2&c=~&d=%2F%2Bx&z=");
}

static void
test_edge_empty_query_value (Edge          *e,
                             gconstpointer  data)
{
  g_autofree char *q1 = wharf_sigv4_canonical_query ("Param1=&Param2");
  g_autofree char *q2 = wharf_sigv4_canonical_query ("");
  g_autofree char *q3 = wharf_sigv4_canonical_query (NULL);
  g_autofree char *q4 = wharf_sigv4_canonical_query ("k=a%20b%zz&%E1%88%B4=%e1%88%b4");

  g_assert_cmpstr (q1, ==, "Param1=&Param2=");
  g_assert_cmpstr (q2, ==, "");
  g_assert_cmpstr (q3, ==, "");
  /* A broken escape is taken literally, and so encoded; case of hex digits normalised. */
  g_assert_cmpstr (q4, ==, "%E1%88%B4=%E1%88%B4&k=a%20b%25zz");
}

static void
test_edge_header_tabs_unicode_path (Edge          *e,
                                    gconstpointer  data)
{
  g_autoptr(WharfSigv4Request) req = wharf_sigv4_request_new ("GET", "/docs/caf%C3%A9", NULL);
  g_autofree char *auth = NULL;
  g_autofree char *creq = NULL;

  wharf_sigv4_request_add_header (req, "Host", "example.amazonaws.com");
  wharf_sigv4_request_add_header (req, "X-Custom", " \ta\t\tb  c\t");
  wharf_sigv4_request_add_header (req, "X-Amzn-Trace-Id", "Root=1-abc");
  wharf_sigv4_request_add_header (req, "Expect", "100-continue");

  creq = wharf_sigv4_canonical_request (req, &e->params);
  g_assert_nonnull (strstr (creq, "\n/docs/caf%25C3%25A9\n"));
  g_assert_nonnull (strstr (creq, "\nx-custom:a b c\n"));
  g_assert_null (strstr (creq, "trace"));
  g_assert_null (strstr (creq, "expect"));

  auth = wharf_sigv4_sign (req, &e->params);
  g_assert_true (g_str_has_suffix (auth,
                                   "SignedHeaders=host;x-amz-date;x-custom, Signature="
                                   "d880568609428ad39d3f45e3ee3b5135"
                                   "aa3630dd4d8fdca827cb4716148af84c"));
}

static void
test_edge_paths (Edge          *e,
                 gconstpointer  data)
{
  struct {
    const char *service;
    gboolean    normalize;
    const char *path;
    const char *want;
  } cases[] = {
    /* An encoded slash is not a separator: no dot-segment removal across it. */
    { "service", TRUE, "/a%2F..%2Fb", "/a%252F..%252Fb" },
    { "service", TRUE, "/a/./b/../c//d/", "/a/c/d/" },
    { "service", TRUE, "/../..", "/" },
    { "service", FALSE, "/a/../b", "/a/../b" },
    { "service", TRUE, "", "/" },
    { "service", TRUE, "/caf\xc3\xa9", "/caf%C3%A9" },
    /* S3: neither normalised nor encoded twice. */
    { "s3", TRUE, "/bucket/my%20key/a%2Fb", "/bucket/my%20key/a%2Fb" },
    { "s3", TRUE, "/bucket//a/../b", "/bucket//a/../b" },
    { "s3", TRUE, "/bucket/raw space", "/bucket/raw%20space" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = NULL;

      e->params.service = cases[i].service;
      e->params.normalize_path = cases[i].normalize;
      got = wharf_sigv4_canonical_path (cases[i].path, &e->params);
      g_assert_cmpstr (got, ==, cases[i].want);
    }
}

static void
test_edge_duplicate_headers (Edge          *e,
                             gconstpointer  data)
{
  g_autoptr(WharfSigv4Request) req = wharf_sigv4_request_new ("GET", "/", NULL);
  g_autofree char *creq = NULL;
  g_autofree char *signed_headers = NULL;
  const char *name, *value;

  wharf_sigv4_request_add_header (req, "Host", "example.amazonaws.com");
  wharf_sigv4_request_add_header (req, "X-B", "2");
  wharf_sigv4_request_add_header (req, "x-a", "first");
  wharf_sigv4_request_add_header (req, "X-B", " 1 ");
  wharf_sigv4_request_add_header (req, "X-A", "second\n  line");

  g_assert_cmpstr (wharf_sigv4_request_get_header (req, "x-b"), ==, "2");
  wharf_sigv4_request_get_header_nth (req, 3, &name, &value);
  g_assert_cmpstr (name, ==, "X-B");
  g_assert_cmpstr (value, ==, " 1 ");

  creq = wharf_sigv4_canonical_request_full (req, &e->params, &signed_headers);
  g_assert_nonnull (strstr (creq, "\nx-a:first,second line\nx-amz-date:20240102T030405Z\n"
                                  "x-b:2,1\n\n"));
  g_assert_cmpstr (signed_headers, ==, "host;x-a;x-amz-date;x-b");
}

static void
test_edge_signing_key (Edge          *e,
                       gconstpointer  data)
{
  /* The example from the AWS documentation ("Deriving the signing key"). */
  guint8 key[32];
  char hex[65];
  static const char hexd[] = "0123456789abcdef";

  wharf_sigv4_signing_key ("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1",
                           "iam", key);
  for (guint i = 0; i < 32; i++)
    {
      hex[2 * i] = hexd[key[i] >> 4];
      hex[2 * i + 1] = hexd[key[i] & 0xf];
    }
  hex[64] = '\0';
  g_assert_cmpstr (hex, ==, "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

static void
test_edge_sign_body_token_omitted (Edge          *e,
                                   gconstpointer  data)
{
  g_autoptr(WharfSigv4Request) req = wharf_sigv4_request_new ("PUT", "/x", NULL);
  g_autofree char *auth = NULL;
  guint n;

  wharf_sigv4_request_add_header (req, "Host", "example.amazonaws.com");
  wharf_sigv4_request_set_body (req, "abc", 3);
  e->params.sign_body = TRUE;
  e->params.session_token = "TOKEN";
  e->params.omit_session_token = TRUE;
  auth = wharf_sigv4_sign (req, &e->params);

  g_assert_nonnull (strstr (auth, "SignedHeaders=host;x-amz-content-sha256;x-amz-date,"));
  g_assert_cmpstr (wharf_sigv4_request_get_header (req, "x-amz-content-sha256"), ==,
                   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  /* The token is sent, after the signature, unsigned. */
  n = wharf_sigv4_request_get_n_headers (req);
  g_assert_cmpstr (wharf_sigv4_request_get_header (req, "X-Amz-Security-Token"), ==, "TOKEN");
  {
    const char *name;
    wharf_sigv4_request_get_header_nth (req, n - 1, &name, NULL);
    g_assert_cmpstr (name, ==, "Authorization");
  }
}

static WharfSigv4Request *
copy_request (const WharfSigv4Request *req,
              const char              *replace_name,
              const char              *replace_value)
{
  WharfSigv4Request *copy = wharf_sigv4_request_new (wharf_sigv4_request_get_method (req),
                                                     wharf_sigv4_request_get_path (req),
                                                     wharf_sigv4_request_get_query (req));
  const guint8 *body;
  gsize len;

  for (guint i = 0; i < wharf_sigv4_request_get_n_headers (req); i++)
    {
      const char *name, *value;

      wharf_sigv4_request_get_header_nth (req, i, &name, &value);
      if (replace_name != NULL && g_ascii_strcasecmp (name, replace_name) == 0)
        value = replace_value;
      wharf_sigv4_request_add_header (copy, name, value);
    }
  body = wharf_sigv4_request_get_body (req, &len);
  wharf_sigv4_request_set_body (copy, body, len);
  return copy;
}

static void
test_edge_verify (Edge          *e,
                  gconstpointer  data)
{
  g_autoptr(WharfSigv4Request) req = describe_images_request ();
  g_autoptr(GError) error = NULL;
  g_autofree char *auth = NULL;

  e->params.service = "ecr";
  e->params.session_token = "FQoGZXIvYXdzEXAMPLETOKEN";
  auth = wharf_sigv4_sign (req, &e->params);

  g_assert_true (wharf_sigv4_verify (req, EDGE_SECRET, &error));
  g_assert_no_error (error);

  /* Wrong secret */
  g_assert_false (wharf_sigv4_verify (req, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEZ", &error));
  g_assert_error (error, WHARF_SIGV4_ERROR, WHARF_SIGV4_ERROR_SIGNATURE_MISMATCH);
  g_clear_error (&error);

  /* Tampered body */
  {
    g_autoptr(WharfSigv4Request) t = copy_request (req, NULL, NULL);
    wharf_sigv4_request_set_body (t, "{}", 2);
    g_assert_false (wharf_sigv4_verify (t, EDGE_SECRET, &error));
    g_assert_error (error, WHARF_SIGV4_ERROR, WHARF_SIGV4_ERROR_SIGNATURE_MISMATCH);
    g_clear_error (&error);
  }

  /* Tampered signed header */
  {
    g_autoptr(WharfSigv4Request) t =
      copy_request (req, "X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.DeleteRepository");
    g_assert_false (wharf_sigv4_verify (t, EDGE_SECRET, &error));
    g_assert_error (error, WHARF_SIGV4_ERROR, WHARF_SIGV4_ERROR_SIGNATURE_MISMATCH);
    g_clear_error (&error);
  }

  /* Another date */
  {
    g_autoptr(WharfSigv4Request) t = copy_request (req, "X-Amz-Date", "20240102T030406Z");
    g_assert_false (wharf_sigv4_verify (t, EDGE_SECRET, &error));
    g_assert_error (error, WHARF_SIGV4_ERROR, WHARF_SIGV4_ERROR_SIGNATURE_MISMATCH);
    g_clear_error (&error);
  }

  /* A date outside the credential scope's day */
  {
    g_autoptr(WharfSigv4Request) t = copy_request (req, "X-Amz-Date", "20240103T030405Z");
    g_assert_false (wharf_sigv4_verify (t, EDGE_SECRET, &error));
    g_assert_error (error, WHARF_SIGV4_ERROR, WHARF_SIGV4_ERROR_DATE_MISMATCH);
    g_clear_error (&error);
  }

  /* An unsigned header may change on the way (a proxy's User-Agent). */
  {
    g_autoptr(WharfSigv4Request) t = copy_request (req, "User-Agent", "proxy/2.0");
    g_assert_true (wharf_sigv4_verify (t, EDGE_SECRET, &error));
    g_assert_no_error (error);
  }

  /* A signed header removed */
  {
    g_autoptr(WharfSigv4Request) t = copy_request (req, NULL, NULL);
    wharf_sigv4_request_remove_header (t, "x-amz-target");
    g_assert_false (wharf_sigv4_verify (t, EDGE_SECRET, &error));
    g_assert_error (error, WHARF_SIGV4_ERROR, WHARF_SIGV4_ERROR_MISSING_HEADER);
    g_clear_error (&error);
  }

  /* No Authorization at all */
  {
    g_autoptr(WharfSigv4Request) t = copy_request (req, NULL, NULL);
    wharf_sigv4_request_remove_header (t, "authorization");
    g_assert_false (wharf_sigv4_verify (t, EDGE_SECRET, &error));
    g_assert_error (error, WHARF_SIGV4_ERROR, WHARF_SIGV4_ERROR_MISSING);
    g_clear_error (&error);
  }

  /* A flipped signature digit */
  {
    g_autofree char *bad = g_strdup (auth);
    g_autoptr(WharfSigv4Request) t = NULL;

    bad[strlen (bad) - 1] = bad[strlen (bad) - 1] == '0' ? '1' : '0';
    t = copy_request (req, "Authorization", bad);
    g_assert_false (wharf_sigv4_verify (t, EDGE_SECRET, &error));
    g_assert_error (error, WHARF_SIGV4_ERROR, WHARF_SIGV4_ERROR_SIGNATURE_MISMATCH);
    g_clear_error (&error);
  }

  /* A body hash header that lies about the body */
  {
    g_autoptr(WharfSigv4Request) t = describe_images_request ();
    g_autofree char *a = NULL;

    e->params.sign_body = TRUE;
    a = wharf_sigv4_sign (t, &e->params);
    g_assert_true (wharf_sigv4_verify (t, EDGE_SECRET, &error));
    g_assert_no_error (error);
    wharf_sigv4_request_set_body (t, "{}", 2);
    g_assert_false (wharf_sigv4_verify (t, EDGE_SECRET, &error));
    g_assert_error (error, WHARF_SIGV4_ERROR, WHARF_SIGV4_ERROR_SIGNATURE_MISMATCH);
    g_clear_error (&error);
  }
}

static void
test_edge_verify_botocore (Edge          *e,
                           gconstpointer  data)
{
  /* A request as botocore signed it (header order and case as it sends them). */
  static const char body[] = "{\"repositoryName\":\"team/app\",\"maxResults\":100}";
  g_autoptr(WharfSigv4Request) req = wharf_sigv4_request_new ("POST", "/", NULL);
  g_autoptr(GError) error = NULL;

  wharf_sigv4_request_add_header (req, "X-Amz-Target",
                                  "AmazonEC2ContainerRegistry_V20150921.DescribeImages");
  wharf_sigv4_request_add_header (req, "Content-Type", "application/x-amz-json-1.1");
  wharf_sigv4_request_add_header (req, "User-Agent", "aws-cli/2.9.19 Python/3.11.2 Linux");
  wharf_sigv4_request_add_header (req, "X-Amz-Date", "20240102T030405Z");
  wharf_sigv4_request_add_header (req, "X-Amz-Security-Token", "FQoGZXIvYXdzEXAMPLETOKEN");
  wharf_sigv4_request_add_header (req, "Authorization",
                                  "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240102/"
                                  "us-east-1/ecr/aws4_request, SignedHeaders=content-type;host;"
                                  "x-amz-date;x-amz-security-token;x-amz-target, Signature="
                                  "39af66913d0fb23af92ffdaa311bc8e8b631e2ce06ccc0f09c40142c5a1c81cd"
                                  );
  wharf_sigv4_request_add_header (req, "Content-Length", "46");
  wharf_sigv4_request_add_header (req, "Host", "api.ecr.us-east-1.amazonaws.com");
  wharf_sigv4_request_set_body (req, body, strlen (body));

  g_assert_true (wharf_sigv4_verify (req, EDGE_SECRET, &error));
  g_assert_no_error (error);
}

/* Every RFC 9110 token character is valid in a header name: what sign signs, verify accepts. */
static void
test_edge_verify_token_header_names (Edge          *e,
                                     gconstpointer  data)
{
  g_autoptr(WharfSigv4Request) req = wharf_sigv4_request_new ("GET", "/", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *auth = NULL;

  wharf_sigv4_request_add_header (req, "Host", "example.amazonaws.com");
  wharf_sigv4_request_add_header (req, "My~-Header", "1");
  wharf_sigv4_request_add_header (req, "X!#$%&'*+^_`|.Odd", "2");
  auth = wharf_sigv4_sign (req, &e->params);
  g_assert_nonnull (strstr (auth, "SignedHeaders=host;my~-header;x!#$%&'*+^_`|.odd;"
                                  "x-amz-date,"));

  g_assert_true (wharf_sigv4_verify (req, EDGE_SECRET, &error));
  g_assert_no_error (error);

  /* Still a signature over those headers: a changed value fails. */
  {
    g_autoptr(WharfSigv4Request) t = copy_request (req, "My~-Header", "2");

    g_assert_false (wharf_sigv4_verify (t, EDGE_SECRET, &error));
    g_assert_error (error, WHARF_SIGV4_ERROR, WHARF_SIGV4_ERROR_SIGNATURE_MISMATCH);
    g_clear_error (&error);
  }
}

static void
test_edge_parse_authorization (Edge          *e,
                               gconstpointer  data)
{
  static const char *garbage[] = {
    "",
    "garbage",
    "AWS4-HMAC-SHA256",
    "AWS4-HMAC-SHA256 ",
    "AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/ecr/aws4_request",
    "AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/ecr/aws4_request, SignedHeaders=host",
    "AWS4-HMAC-SHA256 Credential=AKID/2024010/us-east-1/ecr/aws4_request, SignedHeaders=host, "
    "Signature=0000000000000000000000000000000000000000000000000000000000000000",
    "AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/ecr/aws5_request, SignedHeaders=host, "
    "Signature=0000000000000000000000000000000000000000000000000000000000000000",
    "AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/ecr/aws4_request, SignedHeaders=Host, "
    "Signature=0000000000000000000000000000000000000000000000000000000000000000",
    "AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/ecr/aws4_request, SignedHeaders=host;;a, "
    "Signature=0000000000000000000000000000000000000000000000000000000000000000",
    "AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/ecr/aws4_request, SignedHeaders=host, "
    "Signature=00000000000000000000000000000000000000000000000000000000000000",
    "AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/ecr/aws4_request, SignedHeaders=host, "
    "Signature=000000000000000000000000000000000000000000000000000000000000000G",
    "AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/ecr/aws4_request, SignedHeaders=host, "
    "Signature=0000000000000000000000000000000000000000000000000000000000000000, "
    "Signature=0000000000000000000000000000000000000000000000000000000000000000",
    "AWS4-HMAC-SHA256 Credential=/20240102/us-east-1/ecr/aws4_request, SignedHeaders=host, "
    "Signature=0000000000000000000000000000000000000000000000000000000000000000",
    "AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/ecr/aws4_request, SignedHeaders=host, "
    "Signature=0000000000000000000000000000000000000000000000000000000000000000, Junk",
    "AWS AKID:c2lnbmF0dXJl",
    "AWS4-HMAC-SHA1 Credential=AKID/20240102/us-east-1/ecr/aws4_request, SignedHeaders=host, "
    "Signature=0000000000000000000000000000000000000000000000000000000000000000",
    "\x01\x02\xff,,,==;;",
    "AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/ecr/aws4_request, SignedHeaders=host;a\"b, "
    "Signature=0000000000000000000000000000000000000000000000000000000000000000",
  };
  g_autofree char *key = NULL, *date8 = NULL, *region = NULL, *service = NULL;
  g_autofree char *headers = NULL, *sig = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (garbage); i++)
    {
      char *out = NULL;

      g_assert_false (wharf_sigv4_parse_authorization (garbage[i], &out, NULL, NULL, NULL, NULL,
                                                       NULL, &error));
      g_assert_nonnull (error);
      g_assert_null (out);
      g_clear_error (&error);
    }
  g_assert_false (wharf_sigv4_parse_authorization (NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                                                   &error));
  g_assert_error (error, WHARF_SIGV4_ERROR, WHARF_SIGV4_ERROR_MISSING);
  g_clear_error (&error);

  /* No spaces after the commas, parts in another order: still fine. */
  g_assert_true (wharf_sigv4_parse_authorization (
    "AWS4-HMAC-SHA256 Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef,"
    "Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request,SignedHeaders=host;x-amz-date",
    &key, &date8, &region, &service, &headers, &sig, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "AKIDEXAMPLE");
  g_assert_cmpstr (date8, ==, "20150830");
  g_assert_cmpstr (region, ==, "us-east-1");
  g_assert_cmpstr (service, ==, "iam");
  g_assert_cmpstr (headers, ==, "host;x-amz-date");
  g_assert_cmpstr (sig, ==, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
}

#define ENCODED_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~%"

static char *
random_text (guint max_len)
{
  static const char alphabet[] = "AWS4-HMAC-SHA256 Credential=/,;=SignedHeaders Signature"
                                 "0123456789abcdef \t\r\n%%\xff\xc3\xa9";
  guint len = g_test_rand_int_range (0, max_len);
  char *s = g_malloc (len + 1);

  for (guint i = 0; i < len; i++)
    s[i] = alphabet[g_test_rand_int_range (0, sizeof alphabet - 1)];
  s[len] = '\0';
  return s;
}

static void
test_edge_hostile_input (Edge          *e,
                         gconstpointer  data)
{
  /* Whatever arrives on the wire is an error or a result, never a crash. */
  for (guint i = 0; i < 3000; i++)
    {
      g_autofree char *auth = random_text (200);
      g_autofree char *path = random_text (40);
      g_autofree char *query = random_text (60);
      g_autofree char *value = random_text (30);
      g_autoptr(WharfSigv4Request) req = wharf_sigv4_request_new ("POST", path, query);
      g_autoptr(GError) error = NULL;
      g_autofree char *creq = NULL;
      g_auto(GStrv) lines = NULL;

      wharf_sigv4_request_add_header (req, "Host", value);
      wharf_sigv4_request_add_header (req, "X-Amz-Date", i % 2 ? "20240102T030405Z" : value);
      wharf_sigv4_request_add_header (req, "Authorization", auth);
      wharf_sigv4_request_set_body (req, value, strlen (value));

      if (!wharf_sigv4_verify (req, EDGE_SECRET, &error))
        g_assert_nonnull (error);
      else
        g_assert_not_reached ();

      /* The canonical path and query are fully encoded, whatever came in. */
      creq = wharf_sigv4_canonical_request (req, &e->params);
      lines = g_strsplit (creq, "\n", 4);
      g_assert_cmpuint (g_strv_length (lines), ==, 4);
      g_assert_true (lines[1][0] == '/');
      g_assert_cmpuint (strspn (lines[1], ENCODED_CHARS "/"), ==, strlen (lines[1]));
      g_assert_cmpuint (strspn (lines[2], ENCODED_CHARS "=&"), ==, strlen (lines[2]));
    }
}

static void
test_edge_amz_date (Edge          *e,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) dt = wharf_sigv4_parse_amz_date ("20150830T123600Z", &error);
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (2 * 3600);
  g_autoptr(GDateTime) local = g_date_time_new (tz, 2015, 8, 30, 14, 36, 0);
  g_autofree char *formatted = wharf_sigv4_format_amz_date (local);
  const char *bad[] = { "2015-08-30T12:36:00Z", "20150830T123600", "20151330T123600Z",
                        "20150830T123600z", "", "20150830T12360AZ" };

  g_assert_no_error (error);
  g_assert_cmpint (g_date_time_to_unix (dt), ==, 1440938160);
  /* The signing time is converted to UTC. */
  g_assert_cmpstr (formatted, ==, "20150830T123600Z");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GDateTime) d = wharf_sigv4_parse_amz_date (bad[i], &error);
      g_assert_null (d);
      g_assert_error (error, WHARF_SIGV4_ERROR, WHARF_SIGV4_ERROR_MALFORMED);
      g_clear_error (&error);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  add_suite_tests ();

#define EDGE(path, fn) g_test_add ("/sigv4/edge/" path, Edge, NULL, edge_setup, fn, edge_teardown)
  EDGE ("ecr-describe-images-botocore", test_edge_ecr_botocore);
  EDGE ("query-repeated-keys", test_edge_repeated_keys);
  EDGE ("query-empty-value", test_edge_empty_query_value);
  EDGE ("header-tabs-unicode-path", test_edge_header_tabs_unicode_path);
  EDGE ("paths", test_edge_paths);
  EDGE ("duplicate-headers", test_edge_duplicate_headers);
  EDGE ("signing-key", test_edge_signing_key);
  EDGE ("sign-body-token-omitted", test_edge_sign_body_token_omitted);
  EDGE ("verify", test_edge_verify);
  EDGE ("verify-botocore", test_edge_verify_botocore);
  EDGE ("verify-token-header-names", test_edge_verify_token_header_names);
  EDGE ("parse-authorization", test_edge_parse_authorization);
  EDGE ("hostile-input", test_edge_hostile_input);
  EDGE ("amz-date", test_edge_amz_date);
#undef EDGE

  return g_test_run ();
}
