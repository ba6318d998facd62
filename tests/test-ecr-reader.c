/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The listing's fast path (wharf-ecr-reader-private.h: models straight from the text with
 * WharfJsonReader) against the json-glib path (wharf_aws_response_parse() + the
 * _new_from_json() parsers): over every page of the sandbox's "big" and "demo" seeds, every
 * file of the ECR model and AWS response fuzz corpora, and hand-written edge cases, both
 * must give the same models (every property) or the same error.
 */
#define G_LOG_DOMAIN "test-ecr-reader"

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "wharf-ecr-client.h"
#include "wharf-ecr-json-private.h"
#include "wharf-ecr-reader-private.h"
#include "wharf-sandbox.h"
#include "wharf-test-sandbox.h"
#include "wharf-test-utils.h"

/* ---- comparing models ---- */

static void
assert_same_model (GObject *a,
                   GObject *b)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n = 0;

  g_assert_true (G_OBJECT_TYPE (a) == G_OBJECT_TYPE (b));
  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (a), &n);
  g_assert_cmpuint (n, >, 5);
  for (guint i = 0; i < n; i++)
    {
      g_auto(GValue) va = G_VALUE_INIT;
      g_auto(GValue) vb = G_VALUE_INIT;
      GType type = pspecs[i]->value_type;

      g_value_init (&va, type);
      g_value_init (&vb, type);
      g_object_get_property (a, pspecs[i]->name, &va);
      g_object_get_property (b, pspecs[i]->name, &vb);

      if (type == G_TYPE_STRV)
        {
          const char * const *sa = g_value_get_boxed (&va);
          const char * const *sb = g_value_get_boxed (&vb);

          g_assert_nonnull (sa);
          g_assert_nonnull (sb);
          if (!g_strv_equal (sa, sb))
            g_error ("property %s differs", pspecs[i]->name);
        }
      else if (type == G_TYPE_DATE_TIME)
        {
          GDateTime *da = g_value_get_boxed (&va);
          GDateTime *db = g_value_get_boxed (&vb);

          if ((da == NULL) != (db == NULL)
              || (da && (g_date_time_difference (da, db) != 0
                         || g_date_time_get_utc_offset (da) != g_date_time_get_utc_offset (db))))
            g_error ("property %s differs", pspecs[i]->name);
        }
      else if (type == G_TYPE_STRING || G_TYPE_IS_ENUM (type) || type == G_TYPE_BOOLEAN
               || type == G_TYPE_INT || type == G_TYPE_INT64 || type == G_TYPE_UINT)
        {
          if (g_param_values_cmp (pspecs[i], &va, &vb) != 0)
            g_error ("property %s differs", pspecs[i]->name);
        }
      else
        g_error ("property %s: no comparison for %s", pspecs[i]->name, g_type_name (type));
    }
}

static void
assert_same_error (const GError *a,
                   const GError *b)
{
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  if (a->domain != b->domain || a->code != b->code || g_strcmp0 (a->message, b->message) != 0)
    g_error ("different errors: “%s” (%s %d) and “%s” (%s %d)", a->message,
             g_quark_to_string (a->domain), a->code, b->message, g_quark_to_string (b->domain),
             b->code);
}

/* ---- pages ---- */

typedef struct
{
  guint pages;
  guint fast;       /* read by the reader, no fallback */
  guint failed;     /* both paths: the same error */
  guint items;
  guint skipped;    /* text json-glib mishandles (see compare_text) */
} Tally;

/* Compares the two paths over one page; gives the (json-glib) nextToken. */
static char *
compare_page (GBytes     *body,
              const char *member,
              GType       item_type,
              Tally      *tally)
{
  g_autoptr(WharfAwsResponse) response = wharf_aws_response_new (body, 200, "test-request");
  g_autoptr(GPtrArray) old_items = NULL;
  g_autoptr(GPtrArray) new_items = NULL;
  g_autoptr(GError) old_error = NULL;
  g_autoptr(GError) new_error = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *new_token = NULL;
  g_auto(WharfEcrPageScan) scan = { WHARF_JSON_READER_ABSENT, NULL };
  const char *old_token = NULL;
  const char *text;
  gsize len;

  /* The json-glib path, as the listing took it before. */
  object = wharf_aws_response_parse (response, &old_error);
  if (object && wharf_ecr_json_get_string (object, "nextToken", FALSE, &old_token, &old_error))
    old_items = wharf_ecr_page_items_from_json (object, member, item_type, &old_error);

  new_items = wharf_ecr_page_read (response, member, item_type, &new_token, &new_error);

  tally->pages++;
  if (!old_items)
    {
      g_assert_null (new_items);
      assert_same_error (old_error, new_error);
      tally->failed++;
      return NULL;
    }
  g_assert_no_error (new_error);
  g_assert_nonnull (new_items);
  g_assert_cmpstr (old_token, ==, new_token);
  g_assert_cmpuint (old_items->len, ==, new_items->len);
  for (guint i = 0; i < old_items->len; i++)
    assert_same_model (g_ptr_array_index (old_items, i), g_ptr_array_index (new_items, i));
  tally->items += old_items->len;

  /* Whether the reader alone read it (as the listing's main thread and worker do). */
  text = g_bytes_get_data (body, &len);
  if (wharf_ecr_page_scan (text, len, member, &scan, NULL))
    {
      g_autoptr(GPtrArray) fast = wharf_ecr_page_read_items (text, len, member,
                                                             scan.items_offset, item_type,
                                                             NULL);
      if (fast)
        {
          g_assert_cmpuint (fast->len, ==, old_items->len);
          g_assert_cmpstr (scan.next_token, ==, old_token);
          tally->fast++;
        }
    }

  return g_strdup (old_token);
}

/* Compares the two paths over one object, as an image and as a repository; the fast path
 * is only judged where the reader takes the text (else the caller falls back). */
static void
compare_object (const char *text,
                gsize       len,
                Tally      *tally)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gboolean parsed;

  parsed = json_parser_load_from_data (parser, text, (gssize) len, NULL)
           && json_parser_get_root (parser) != NULL
           && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser));

  for (guint kind = 0; kind < 2; kind++)
    {
      WharfJsonReader reader;
      g_autoptr(GObject) fast = NULL;
      g_autoptr(GObject) slow = NULL;
      g_autoptr(GError) fast_error = NULL;
      g_autoptr(GError) slow_error = NULL;
      WharfJsonType type;

      /* As the listing does: the whole text is checked first. */
      wharf_json_reader_init (&reader, text, len);
      if (wharf_json_reader_skip (&reader, &fast_error) && wharf_json_reader_end (&reader, &fast_error))
        wharf_json_reader_seek (&reader, 0);
      if (!fast_error && wharf_json_reader_peek (&reader, &type, &fast_error)
          && type == WHARF_JSON_OBJECT)
        {
          fast = kind == 0 ? G_OBJECT (wharf_ecr_read_image (&reader, &fast_error))
                           : G_OBJECT (wharf_ecr_read_repository (&reader, &fast_error));
          if (fast && !wharf_json_reader_end (&reader, &fast_error))
            g_clear_object (&fast);
        }
      else if (!fast_error)
        g_set_error_literal (&fast_error, WHARF_JSON_READER_ERROR,
                             WHARF_JSON_READER_ERROR_WRONG_TYPE, "not an object");
      wharf_json_reader_clear (&reader);

      tally->pages++;
      if (fast_error && fast_error->domain == WHARF_JSON_READER_ERROR)
        {
          /* Falls back to json-glib: nothing to compare. */
          continue;
        }
      /* The reader never takes text that json-glib refuses. */
      g_assert_true (parsed);

      {
        JsonObject *object = json_node_get_object (json_parser_get_root (parser));

        slow = kind == 0 ? G_OBJECT (wharf_image_new_from_json (object, &slow_error))
                         : G_OBJECT (wharf_repository_new_from_json (object, &slow_error));
      }
      if (!slow)
        {
          g_assert_null (fast);
          assert_same_error (slow_error, fast_error);
          tally->failed++;
        }
      else
        {
          g_assert_no_error (fast_error);
          assert_same_model (slow, fast);
          tally->fast++;
          tally->items++;
        }
    }
}

/* Each text as an object, and as the only item of a page of each kind. */
static void
compare_text (const char *text,
              gsize       len,
              Tally      *tally)
{
  static const char * const prefixes[] = { "{\"imageDetails\": [", "{\"repositories\": [" };
  static const char * const members[] = { "imageDetails", "repositories" };
  GType types[] = { WHARF_TYPE_IMAGE, WHARF_TYPE_REPOSITORY };
  WharfJsonReader reader;
  gboolean trailing;

  /* A whole value followed by more text ("{}{}", "1{…}"): json-glib 1.6 loses memory on
   * such text (see tests/fuzz/lsan-fuzz.supp), which would fail the ASan run of this test.
   * The reader refuses it, so the listing leaves it to json-glib anyway; fuzz-json-reader
   * covers it. */
  wharf_json_reader_init (&reader, text, len);
  trailing = wharf_json_reader_skip (&reader, NULL) && !wharf_json_reader_end (&reader, NULL);
  wharf_json_reader_clear (&reader);
  if (trailing)
    {
      tally->skipped++;
      return;
    }

  compare_object (text, len, tally);
  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      g_autoptr(GString) page = g_string_new (prefixes[i]);
      g_autoptr(GBytes) body = NULL;

      g_string_append_len (page, text, len);
      g_string_append (page, "], \"nextToken\": \"t\"}");
      body = g_string_free_to_bytes (g_steal_pointer (&page));
      g_free (compare_page (body, members[i], types[i], tally));
    }
  {
    g_autoptr(GBytes) body = g_bytes_new (text, len);

    g_free (compare_page (body, "imageDetails", WHARF_TYPE_IMAGE, tally));
    g_free (compare_page (body, "repositories", WHARF_TYPE_REPOSITORY, tally));
  }
}

/* ---- the sandbox ---- */

typedef struct
{
  WharfSandbox   *sandbox;
  WharfEcrClient *client;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->sandbox = wharf_test_sandbox_start (NULL, data, NULL);
  f->client = wharf_test_ecr_client_new (wharf_sandbox_get_url (f->sandbox));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->client);
  wharf_test_sandbox_stop (&f->sandbox);
}

/* One raw answer of the sandbox. */
static GBytes *
call (Fixture    *f,
      const char *operation,
      JsonObject *input)
{
  WharfAwsClient *aws = wharf_ecr_client_get_aws_client (f->client);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(WharfAwsResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  wharf_aws_client_call_bytes_async (aws, operation, input, NULL, wharf_test_result_cb, &result);
  wharf_test_wait_result (&result);
  response = wharf_aws_client_call_bytes_finish (aws, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wharf_aws_response_get_status (response), ==, 200);
  return g_bytes_ref (wharf_aws_response_get_body (response));
}

/* Every page of a listing, compared; returns how many items there were. */
static guint
compare_listing (Fixture    *f,
                 const char *operation,
                 const char *repository,
                 int         page_size,
                 Tally      *tally)
{
  const char *member = repository ? "imageDetails" : "repositories";
  GType type = repository ? WHARF_TYPE_IMAGE : WHARF_TYPE_REPOSITORY;
  g_autofree char *token = NULL;
  guint before = tally->items;
  guint pages = 0;

  do
    {
      g_autoptr(JsonObject) input = json_object_new ();
      g_autoptr(GBytes) body = NULL;
      char *next;

      if (repository)
        json_object_set_string_member (input, "repositoryName", repository);
      json_object_set_int_member (input, "maxResults", page_size);
      if (token)
        json_object_set_string_member (input, "nextToken", token);
      body = call (f, operation, input);
      next = compare_page (body, member, type, tally);
      g_free (token);
      token = next;
      g_assert_cmpuint (++pages, <, 1000);
    }
  while (token && *token);

  return tally->items - before;
}

static void
test_sandbox_big (Fixture       *f,
                  gconstpointer  data)
{
  Tally tally = { 0 };

  g_assert_cmpuint (compare_listing (f, "DescribeImages", "big", 1000, &tally), ==, 10000);
  /* Ten full pages (and maybe an empty last one), every one read by the reader alone. */
  g_assert_cmpuint (tally.pages, >=, 10);
  g_assert_cmpuint (tally.fast, ==, tally.pages);
  g_assert_cmpuint (tally.failed, ==, 0);
}

static void
test_sandbox_demo (Fixture       *f,
                   gconstpointer  data)
{
  Tally tally = { 0 };
  Tally repos = { 0 };
  g_autoptr(GBytes) all = NULL;
  g_autoptr(GPtrArray) repositories = NULL;
  g_autoptr(WharfAwsResponse) response = NULL;
  g_autofree char *token = NULL;
  guint images = 0;

  /* Small pages, so that there are several. */
  g_assert_cmpuint (compare_listing (f, "DescribeRepositories", NULL, 5, &repos), >=, 13);
  g_assert_cmpuint (repos.pages, >=, 3);
  g_assert_cmpuint (repos.fast, ==, repos.pages);

  {
    g_autoptr(JsonObject) input = json_object_new ();

    json_object_set_int_member (input, "maxResults", 1000);
    all = call (f, "DescribeRepositories", input);
  }
  response = wharf_aws_response_new (all, 200, NULL);
  repositories = wharf_ecr_page_read (response, "repositories", WHARF_TYPE_REPOSITORY, &token,
                                      NULL);
  g_assert_nonnull (repositories);
  for (guint i = 0; i < repositories->len; i++)
    images += compare_listing (f, "DescribeImages",
                               wharf_repository_get_name (g_ptr_array_index (repositories, i)),
                               3, &tally);
  g_assert_cmpuint (images, >, 20);
  g_assert_cmpuint (tally.fast, ==, tally.pages);
  g_assert_cmpuint (tally.failed, ==, 0);
}

/* ---- the fuzz corpora ---- */

static void
compare_corpus (const char *name,
                Tally      *tally)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", name, NULL);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *file;
  guint files = 0;

  dir = g_dir_open (dir_path, 0, &error);
  g_assert_no_error (error);
  while ((file = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (dir_path, file, NULL);
      g_autofree char *contents = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (path, &contents, &len, &error));
      g_assert_no_error (error);
      g_test_message ("%s", path);
      compare_text (contents, len, tally);
      /* The fuzz targets take the first byte as a selector. */
      if (len > 0)
        compare_text (contents + 1, len - 1, tally);
      files++;
    }
  g_assert_cmpuint (files, >, 5);
}

static void
test_corpus (void)
{
  Tally tally = { 0 };

  compare_corpus ("ecr-models", &tally);
  compare_corpus ("aws-responses", &tally);
  compare_corpus ("json-reader", &tally);
  /* The corpora hold both models the reader builds and ones both paths refuse. */
  g_assert_cmpuint (tally.fast, >, 10);
  g_assert_cmpuint (tally.failed, >, 10);
  g_assert_cmpuint (tally.items, >, 5);
}

/* ---- edge cases ---- */

static const char * const edge_cases[] = {
  /* Minimal and full objects of both kinds. */
  "{\"imageDigest\": \"sha256:a\", \"repositoryName\": \"web\"}",
  "{\"repositoryName\": \"web\", \"repositoryArn\": \"arn:x\"}",
  "{\"registryId\": \"1\", \"repositoryName\": \"web\", \"imageDigest\": \"sha256:a\","
  " \"imageTags\": [\"v1\", \"latest\"], \"imageSizeInBytes\": 123, \"imagePushedAt\": 1.5,"
  " \"lastRecordedPullTime\": \"2024-02-29T12:00:00Z\", \"imageManifestMediaType\": \"m\","
  " \"artifactMediaType\": \"a\", \"imageScanStatus\": {\"status\": \"COMPLETE\","
  " \"description\": \"ok\"}, \"imageScanFindingsSummary\": {\"imageScanCompletedAt\": 7,"
  " \"findingSeverityCounts\": {\"CRITICAL\": 1, \"HIGH\": 2.0, \"LOW\": 3}}}",
  "{\"repositoryName\": \"team/app/web\", \"repositoryArn\": \"arn:x\", \"repositoryUri\": \"u\","
  " \"registryId\": \"1\", \"createdAt\": 1700000000.123456, \"imageTagMutability\":"
  " \"IMMUTABLE_WITH_EXCLUSION\", \"imageTagMutabilityExclusionFilters\": [{\"filter\": \"dev*\","
  " \"filterType\": \"WILDCARD\"}, {\"filter\": \"tmp*\"}], \"imageScanningConfiguration\":"
  " {\"scanOnPush\": true}, \"encryptionConfiguration\": {\"encryptionType\": \"KMS\","
  " \"kmsKey\": \"arn:key\"}}",
  /* Unknown members, nulls, repeated members (the last counts). */
  "{\"imageDigest\": \"sha256:a\", \"repositoryName\": \"web\", \"x\": {\"y\": [1, {\"z\": null}]},"
  " \"imageTags\": null, \"imageScanStatus\": null, \"imageSizeInBytes\": null}",
  "{\"imageDigest\": 5, \"repositoryName\": \"web\", \"imageDigest\": \"sha256:b\"}",
  "{\"imageDigest\": \"sha256:b\", \"repositoryName\": \"web\", \"imageDigest\": 5}",
  "{\"repositoryName\": \"a\", \"repositoryArn\": \"arn\", \"repositoryName\": \"b\"}",
  /* Missing and mistyped members, in every position. */
  "{\"repositoryName\": \"web\"}",
  "{\"imageDigest\": \"\", \"repositoryName\": \"web\"}",
  "{\"imageDigest\": \"\", \"repositoryName\": \"web\", \"imageSizeInBytes\": \"big\"}",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\", \"imageTags\": [\"a\", 1]}",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\", \"imageTags\": [\"a\", null]}",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\", \"imageTags\": \"a\"}",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\", \"imageSizeInBytes\": -1}",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\", \"imageSizeInBytes\": 1.5}",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\", \"imageSizeInBytes\": 1e300}",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\", \"imageSizeInBytes\": 9223372036854775807}",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\", \"imageSizeInBytes\": 4e18}",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\", \"imageSizeInBytes\": 9.3e18}",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\", \"imagePushedAt\": true}",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\", \"imagePushedAt\": -1}",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\", \"imagePushedAt\": 1e400}",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\", \"imagePushedAt\": \"not a time\"}",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\", \"imagePushedAt\": 253402300799.9}",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\", \"imageScanStatus\": []}",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\", \"imageScanStatus\": {\"status\": 1}}",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\", \"imageScanStatus\": {\"status\": \"NEW\"}}",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\", \"imageScanFindingsSummary\": {}}",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\", \"imageScanFindingsSummary\":"
  " {\"findingSeverityCounts\": {\"HIGH\": -1}}}",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\", \"imageScanFindingsSummary\":"
  " {\"findingSeverityCounts\": {\"HIGH\": 2147483648}}}",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\", \"imageScanFindingsSummary\":"
  " {\"findingSeverityCounts\": []}}",
  "{\"repositoryName\": \"\", \"repositoryArn\": \"arn\", \"createdAt\": \"x\"}",
  "{\"repositoryName\": \"a\", \"repositoryArn\": \"arn\", \"imageTagMutabilityExclusionFilters\": [1]}",
  "{\"repositoryName\": \"a\", \"repositoryArn\": \"arn\", \"imageTagMutabilityExclusionFilters\": [{}]}",
  "{\"repositoryName\": \"a\", \"repositoryArn\": \"arn\", \"imageTagMutabilityExclusionFilters\":"
  " [{\"filter\": \"x\", \"filterType\": 2}]}",
  "{\"repositoryName\": \"a\", \"repositoryArn\": \"arn\", \"imageScanningConfiguration\":"
  " {\"scanOnPush\": 1}}",
  "{\"repositoryName\": \"a\", \"repositoryArn\": \"arn\", \"encryptionConfiguration\": {}}",
  "{\"repositoryName\": \"a\", \"repositoryArn\": \"arn\", \"encryptionConfiguration\":"
  " {\"encryptionType\": \"KMS\", \"kmsKey\": 3}}",
  /* Values a newer ECR may send: kept, as unknown. */
  "{\"repositoryName\": \"a\", \"repositoryArn\": \"arn\", \"imageTagMutability\": \"SOMETIMES\","
  " \"encryptionConfiguration\": {\"encryptionType\": \"ROT13\"}}",
  /* Strings: escapes, surrogate pairs, non-ASCII. */
  "{\"imageDigest\": \"sha256:\\u0061\\n\\t\\\"\\\\\\/\\b\\f\\r\", \"repositoryName\": \"w\\u00e9b\","
  " \"imageTags\": [\"\\ud83d\\ude00\", \"caf\xc3\xa9\", \"\xe2\x82\xac\xf0\x9f\x98\x80\"]}",
  "{\"image\\u0044igest\": \"d\", \"repositoryName\": \"web\"}",
  /* Text the reader leaves to json-glib (both must still agree). */
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\", /* comment */ \"imageSizeInBytes\": 1}",
  "{'imageDigest': 'd', \"repositoryName\": \"web\"}",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\", \"imageSizeInBytes\": 0x10}",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\", \"imageSizeInBytes\": 18446744073709551616}",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\", \"imageSizeInBytes\": 012}",
  "{\"imageDigest\": \"d\\u0000e\", \"repositoryName\": \"web\"}",
  "{\"imageDigest\": \"d\\ud800\", \"repositoryName\": \"web\"}",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\"} trailing",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\"}{}",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\",}",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"we\tb\"}",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\xff\"}",
  "{\"imageDigest\": \"d\", \"repositoryName\": \"web\"",
  "[]",
  "",
  "null",
};

static void
test_edge_cases (void)
{
  Tally tally = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (edge_cases); i++)
    {
      g_autofree char *escaped = g_strescape (edge_cases[i], NULL);

      g_test_message ("%s", escaped);
      compare_text (edge_cases[i], strlen (edge_cases[i]), &tally);
    }
  g_assert_cmpuint (tally.fast, >, 20);
  g_assert_cmpuint (tally.failed, >, 20);
}

/* A nesting deeper than the reader takes still reads as json-glib reads it. */
static void
test_deep_nesting (void)
{
  g_autoptr(GString) text = g_string_new ("{\"imageDigest\": \"d\", \"repositoryName\": \"web\", \"x\": ");
  Tally tally = { 0 };

  for (guint i = 0; i < WHARF_JSON_READER_MAX_DEPTH + 10; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < WHARF_JSON_READER_MAX_DEPTH + 10; i++)
    g_string_append_c (text, ']');
  g_string_append_c (text, '}');
  compare_text (text->str, text->len, &tally);
  g_assert_cmpuint (tally.items, >, 0);
}

/* Values a newer ECR may add keep the repository, on both paths. */
static void
test_unknown_enums (void)
{
  const char *text = "{\"repositories\": [{\"repositoryName\": \"web\", \"repositoryArn\": \"arn:x\","
                     " \"imageTagMutability\": \"IMMUTABLE_SOMETIMES\","
                     " \"encryptionConfiguration\": {\"encryptionType\": \"AES512\"}}]}";
  g_autoptr(GBytes) body = g_bytes_new_static (text, strlen (text));
  g_autoptr(WharfAwsResponse) response = wharf_aws_response_new (body, 200, NULL);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *token = NULL;
  Tally tally = { 0 };
  WharfRepository *repository;

  items = wharf_ecr_page_read (response, "repositories", WHARF_TYPE_REPOSITORY, &token, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  repository = g_ptr_array_index (items, 0);
  g_assert_cmpstr (wharf_repository_get_name (repository), ==, "web");
  g_assert_cmpint (wharf_repository_get_tag_mutability (repository), ==,
                   WHARF_TAG_MUTABILITY_UNKNOWN);
  g_assert_cmpint (wharf_repository_get_encryption_type (repository), ==,
                   WHARF_ENCRYPTION_TYPE_UNKNOWN);
  g_assert_cmpstr (wharf_tag_mutability_get_label (WHARF_TAG_MUTABILITY_UNKNOWN), !=,
                   wharf_tag_mutability_get_label (WHARF_TAG_MUTABILITY_MUTABLE));
  g_assert_null (wharf_tag_mutability_to_string (WHARF_TAG_MUTABILITY_UNKNOWN));
  g_assert_null (wharf_encryption_type_to_string (WHARF_ENCRYPTION_TYPE_UNKNOWN));

  /* And json-glib's path agrees. */
  g_free (compare_page (body, "repositories", WHARF_TYPE_REPOSITORY, &tally));
  g_assert_cmpuint (tally.fast, ==, 1);
  g_assert_cmpuint (tally.items, ==, 1);

  /* An unknown value can never be sent back. */
  {
    g_autoptr(WharfRepositoryOptions) options = wharf_repository_options_new ("web");

    wharf_repository_options_set_tag_mutability (options, WHARF_TAG_MUTABILITY_UNKNOWN);
    g_assert_false (wharf_repository_options_validate (options, &error));
    g_assert_error (error, WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_ARGUMENT);
  }
}

/* The engine's raw answer and the parsed one fail the same way on a body that is not JSON. */
static void
test_not_json (void)
{
  const char *text = "<html>oops</html>";
  g_autoptr(GBytes) body = g_bytes_new_static (text, strlen (text));
  g_autoptr(WharfAwsResponse) response = wharf_aws_response_new (body, 200, "req-1");
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  items = wharf_ecr_page_read (response, "imageDetails", WHARF_TYPE_IMAGE, &token, &error);
  g_assert_null (items);
  g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_PROTOCOL);
  g_assert_cmpstr (wharf_aws_error_get_request_id (error), ==, "req-1");
  g_assert_cmpuint (wharf_aws_error_get_http_status (error), ==, 200);
}

/* ---- the listing over a server whose pages the reader does not all take ---- */

typedef struct
{
  SoupServer *server;
  char       *url;
  gboolean    repeat_token;   /* page 2 names itself as the next page */
} PageServer;

static char *
image_json (guint n)
{
  return g_strdup_printf ("{\"imageDigest\": \"sha256:%04u\", \"repositoryName\": \"web\","
                          " \"imageTags\": [\"t%u\"], \"imagePushedAt\": %u.25}", n, n, n);
}

static void
page_handler_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  PageServer *ps = user_data;
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) body = g_string_new ("{\"imageDetails\": [");
  const char *token = NULL;
  guint page = 1;

  g_assert_true (json_parser_load_from_data (parser, request->data, request->length, NULL));
  token = json_object_get_string_member_with_default (
    json_node_get_object (json_parser_get_root (parser)), "nextToken", NULL);
  if (g_strcmp0 (token, "p2") == 0)
    page = 2;
  else if (g_strcmp0 (token, "p3") == 0)
    page = 3;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *item = image_json ((page - 1) * 3 + i);

      g_string_append_printf (body, "%s%s", i ? ", " : "", item);
    }
  g_string_append (body, "]");
  if (page == 2)
    /* json-glib takes comments, the strict reader does not: this page takes the other road. */
    g_string_append_printf (body, " /* page two */, \"nextToken\": \"%s\"",
                            ps->repeat_token ? "p2" : "p3");
  else if (page == 1)
    g_string_append (body, ", \"nextToken\": \"p2\"");
  g_string_append (body, "}");

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/x-amz-json-1.1", SOUP_MEMORY_COPY,
                                    body->str, body->len);
}

static void
done_cb (WharfEcrListing *listing,
         gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

static WharfEcrListing *
list_from_page_server (gboolean    repeat_token,
                       GListStore *store)
{
  g_autoptr(WharfEcrClient) client = NULL;
  g_autoptr(GError) error = NULL;
  GSList *uris;
  g_autofree char *url = NULL;
  PageServer ps = { 0 };
  WharfEcrListing *listing;
  gboolean done = FALSE;

  ps.repeat_token = repeat_token;
  ps.server = soup_server_new (NULL, NULL);
  soup_server_add_handler (ps.server, "/", page_handler_cb, &ps, NULL);
  g_assert_true (soup_server_listen_local (ps.server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (ps.server);
  url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  client = wharf_test_ecr_client_new (url);

  listing = wharf_ecr_client_list_images (client, "web", WHARF_TAG_STATUS_ANY, store, NULL);
  g_signal_connect (listing, "done", G_CALLBACK (done_cb), &done);
  wharf_test_wait_for (done);

  soup_server_disconnect (ps.server);
  g_clear_object (&ps.server);
  return listing;
}

/* Page 2 is read through json-glib in the worker, which finds its nextToken there; the
 * listing goes on after it as after any other page. */
static void
test_listing_fallback_page (void)
{
  g_autoptr(GListStore) store = g_list_store_new (WHARF_TYPE_IMAGE);
  g_autoptr(WharfEcrListing) listing = list_from_page_server (FALSE, store);

  g_assert_no_error (wharf_ecr_listing_get_error (listing));
  g_assert_cmpuint (wharf_ecr_listing_get_n_pages (listing), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 9);
  for (guint i = 0; i < 9; i++)
    {
      g_autoptr(WharfImage) image = g_list_model_get_item (G_LIST_MODEL (store), i);
      g_autofree char *digest = g_strdup_printf ("sha256:%04u", i);
      g_autofree char *tag = g_strdup_printf ("t%u", i);

      g_assert_cmpstr (wharf_image_get_digest (image), ==, digest);
      g_assert_cmpstr (wharf_image_get_tags (image)[0], ==, tag);
      g_assert_cmpint (g_date_time_to_unix (wharf_image_get_pushed_at (image)), ==, i);
    }
}

/* The same page asked for again and again is refused on that road too. */
static void
test_listing_fallback_same_page (void)
{
  g_autoptr(GListStore) store = g_list_store_new (WHARF_TYPE_IMAGE);
  g_autoptr(WharfEcrListing) listing = list_from_page_server (TRUE, store);
  const GError *error = wharf_ecr_listing_get_error (listing);

  g_assert_error (error, WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_DATA);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/ecr-reader/sandbox/big", Fixture, "big", fixture_setup, test_sandbox_big,
              fixture_teardown);
  g_test_add ("/ecr-reader/sandbox/demo", Fixture, "demo", fixture_setup, test_sandbox_demo,
              fixture_teardown);
  g_test_add_func ("/ecr-reader/corpus", test_corpus);
  g_test_add_func ("/ecr-reader/edge-cases", test_edge_cases);
  g_test_add_func ("/ecr-reader/deep-nesting", test_deep_nesting);
  g_test_add_func ("/ecr-reader/unknown-enums", test_unknown_enums);
  g_test_add_func ("/ecr-reader/not-json", test_not_json);
  g_test_add_func ("/ecr-reader/listing/fallback-page", test_listing_fallback_page);
  g_test_add_func ("/ecr-reader/listing/fallback-same-page", test_listing_fallback_same_page);

  return g_test_run ();
}
