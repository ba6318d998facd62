/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * WharfEcrClient against the in-process WharfSandbox over real HTTP on 127.0.0.1.
 * With WHARF_RECORD_DIR set, every request and response is recorded into
 * $WHARF_RECORD_DIR/test-ecr-client.jsonl for the botocore contract test.
 */
#define G_LOG_DOMAIN "test-ecr-client"

#include "config.h"

#include <glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "wharf-credentials.h"
#include "wharf-ecr-client.h"
#include "wharf-sandbox.h"
#include "wharf-test-sandbox.h"
#include "wharf-test-utils.h"

#define MT_OCI "application/vnd.oci.image.manifest.v1+json"

typedef struct
{
  WharfSandbox   *sandbox;
  WharfEcrClient *client;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->sandbox = wharf_test_sandbox_start (NULL, data ? data : "empty", "test-ecr-client.jsonl");
  f->client = wharf_test_ecr_client_new (wharf_sandbox_get_url (f->sandbox));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->client);
  wharf_test_sandbox_stop (&f->sandbox);
}

#define CALL(result_var, call_expr) \
  G_STMT_START { \
    g_clear_object (&result_var); \
    call_expr; \
    wharf_test_wait_result (&result_var); \
  } G_STMT_END

/* ---- Helpers ---- */

static char *
make_manifest (const char *seed_text,
               guint       n_layers)
{
  GString *s = g_string_new (NULL);
  g_autofree char *config = g_compute_checksum_for_string (G_CHECKSUM_SHA256, seed_text, -1);
  guint i;

  g_string_append_printf (s, "{\"schemaVersion\": 2, \"mediaType\": \"%s\", "
                          "\"config\": {\"mediaType\": \"application/vnd.oci.image.config.v1+json\", "
                          "\"size\": 1469, \"digest\": \"sha256:%s\"}, \"layers\": [", MT_OCI, config);
  for (i = 0; i < n_layers; i++)
    {
      g_autofree char *text = g_strdup_printf ("%s/%u", seed_text, i);
      g_autofree char *layer = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);

      g_string_append_printf (s, "%s{\"mediaType\": \"application/vnd.oci.image.layer.v1.tar+gzip\", "
                              "\"size\": %u, \"digest\": \"sha256:%s\"}",
                              i ? ", " : "", 1000000 + i, layer);
    }
  g_string_append (s, "]}");
  return g_string_free (s, FALSE);
}

/* Uploads one blob into @repository through the sandbox's registry protocol (a monolithic
 * upload), as docker does before it pushes a manifest. */
static void
upload_blob (Fixture    *f,
             const char *repository,
             const char *content)
{
  g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, content, -1);
  g_autofree char *url = g_strdup_printf ("%s/v2/%s/blobs/uploads/?digest=sha256:%s",
                                          wharf_sandbox_get_url (f->sandbox), repository, hex);
  g_autofree char *password = wharf_sandbox_issue_registry_password (f->sandbox, NULL);
  g_autofree char *user_pass = g_strconcat ("AWS:", password, NULL);
  g_autofree char *encoded = g_base64_encode ((const guchar *) user_pass, strlen (user_pass));
  g_autofree char *authorization = g_strconcat ("Basic ", encoded, NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) body = g_bytes_new (content, strlen (content));
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                authorization);
  soup_message_set_request_body_from_bytes (msg, "application/octet-stream", body);
  CALL (result, soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL,
                                                  wharf_test_result_cb, &result));
  reply = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 201);
}

/* Uploads the blobs make_manifest (@seed_text, @n_layers) names. */
static void
upload_manifest_blobs (Fixture    *f,
                       const char *repository,
                       const char *seed_text,
                       guint       n_layers)
{
  upload_blob (f, repository, seed_text);
  for (guint i = 0; i < n_layers; i++)
    {
      g_autofree char *text = g_strdup_printf ("%s/%u", seed_text, i);

      upload_blob (f, repository, text);
    }
}

static WharfRepository *
create_repository (Fixture    *f,
                   const char *name)
{
  g_autoptr(WharfRepositoryOptions) options = wharf_repository_options_new (name);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  WharfRepository *repository;

  CALL (result, wharf_ecr_client_create_repository_async (f->client, options, NULL,
                                                          wharf_test_result_cb, &result));
  repository = wharf_ecr_client_create_repository_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (repository);
  return repository;
}

static char *
push (Fixture    *f,
      const char *repository,
      const char *tag,
      const char *seed_text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *unique = g_strdup_printf ("%s:%s:%s", repository, tag ? tag : "-", seed_text);
  char *digest;

  digest = wharf_sandbox_push_image (f->sandbox, NULL, repository, tag, 10000 + strlen (unique), &error);
  g_assert_no_error (error);
  g_assert_nonnull (digest);
  return digest;
}

/* Streams a listing to its end; returns the store. */
static GListStore *
run_listing (WharfEcrListing *listing,
             GError         **error)
{
  wharf_test_wait_for (!wharf_ecr_listing_get_loading (listing));
  if (wharf_ecr_listing_get_error (listing))
    g_propagate_error (error, g_error_copy (wharf_ecr_listing_get_error (listing)));
  return g_object_ref (wharf_ecr_listing_get_store (listing));
}

/* ---- Repositories ---- */

static void
test_repository_lifecycle (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(WharfRepositoryOptions) options = wharf_repository_options_new ("team/web-app");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WharfRepository) repository = NULL;
  g_autoptr(WharfRepository) deleted = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) tags = NULL;
  g_autoptr(GPtrArray) new_tags = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *token = NULL;
  const char *names[] = { "team/web-app", NULL };
  const char *remove_keys[] = { "team", NULL };

  wharf_repository_options_set_tag_mutability (options, WHARF_TAG_MUTABILITY_IMMUTABLE_WITH_EXCLUSION);
  wharf_repository_options_add_exclusion_filter (options, "latest");
  wharf_repository_options_add_exclusion_filter (options, "dev-*");
  wharf_repository_options_set_scan_on_push (options, TRUE);
  wharf_repository_options_set_encryption (options, WHARF_ENCRYPTION_TYPE_KMS,
                                           "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
  wharf_repository_options_add_resource_tag (options, "team", "platform");
  wharf_repository_options_add_resource_tag (options, "cost-center", "42");

  CALL (result, wharf_ecr_client_create_repository_async (f->client, options, NULL,
                                                          wharf_test_result_cb, &result));
  repository = wharf_ecr_client_create_repository_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wharf_repository_get_name (repository), ==, "team/web-app");
  g_assert_cmpstr (wharf_repository_get_namespace (repository), ==, "team");
  g_assert_cmpint (wharf_repository_get_tag_mutability (repository), ==,
                   WHARF_TAG_MUTABILITY_IMMUTABLE_WITH_EXCLUSION);
  g_assert_cmpstr (wharf_repository_get_exclusion_filters (repository)[1], ==, "dev-*");
  g_assert_true (wharf_repository_get_scan_on_push (repository));
  g_assert_cmpint (wharf_repository_get_encryption_type (repository), ==, WHARF_ENCRYPTION_TYPE_KMS);
  g_assert_nonnull (wharf_repository_get_kms_key (repository));
  g_assert_true (g_str_has_suffix (wharf_repository_get_uri (repository), "/team/web-app"));
  g_assert_cmpstr (wharf_repository_get_registry_id (repository), ==, WHARF_SANDBOX_PRACTICE_ACCOUNT_ID);
  g_assert_nonnull (wharf_repository_get_created_at (repository));
  g_assert_true (wharf_sandbox_has_repository (f->sandbox, NULL, "team/web-app"));

  /* The same name again. */
  CALL (result, wharf_ecr_client_create_repository_async (f->client, options, NULL,
                                                          wharf_test_result_cb, &result));
  g_assert_null (wharf_ecr_client_create_repository_finish (f->client, result, &error));
  g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_ALREADY_EXISTS);
  g_assert_cmpstr (wharf_aws_error_get_aws_code (error), ==, "RepositoryAlreadyExistsException");
  g_clear_error (&error);

  /* Described by name. */
  CALL (result, wharf_ecr_client_describe_repositories_async (f->client, names, 0, NULL, NULL,
                                                              wharf_test_result_cb, &result));
  page = wharf_ecr_client_describe_repositories_finish (f->client, result, &token, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_null (token);
  g_assert_cmpstr (wharf_repository_get_arn (g_ptr_array_index (page, 0)), ==,
                   wharf_repository_get_arn (repository));

  /* Resource tags. */
  CALL (result, wharf_ecr_client_list_tags_for_resource_async (f->client, wharf_repository_get_arn (repository),
                                                               NULL,
                                                               wharf_test_result_cb, &result));
  tags = wharf_ecr_client_list_tags_for_resource_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tags->len, ==, 2);

  new_tags = g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_resource_tag_free);
  g_ptr_array_add (new_tags, wharf_resource_tag_new ("owner", "ana@example.com"));
  CALL (result, wharf_ecr_client_tag_resource_async (f->client, wharf_repository_get_arn (repository),
                                                     new_tags, NULL,
                                                     wharf_test_result_cb, &result));
  g_assert_true (wharf_ecr_client_tag_resource_finish (f->client, result, &error));
  g_assert_no_error (error);
  CALL (result, wharf_ecr_client_untag_resource_async (f->client, wharf_repository_get_arn (repository),
                                                       remove_keys, NULL,
                                                       wharf_test_result_cb, &result));
  g_assert_true (wharf_ecr_client_untag_resource_finish (f->client, result, &error));
  g_assert_no_error (error);
  g_clear_pointer (&tags, g_ptr_array_unref);
  CALL (result, wharf_ecr_client_list_tags_for_resource_async (f->client, wharf_repository_get_arn (repository),
                                                               NULL,
                                                               wharf_test_result_cb, &result));
  tags = wharf_ecr_client_list_tags_for_resource_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tags->len, ==, 2);
  for (guint i = 0; i < tags->len; i++)
    g_assert_cmpstr (((WharfResourceTag *) g_ptr_array_index (tags, i))->key, !=, "team");

  /* Settings. */
  CALL (result, wharf_ecr_client_put_image_tag_mutability_async (f->client, "team/web-app",
                                                                 WHARF_TAG_MUTABILITY_MUTABLE, NULL,
                                                                 NULL,
                                                                 wharf_test_result_cb, &result));
  g_assert_true (wharf_ecr_client_put_image_tag_mutability_finish (f->client, result, &error));
  g_assert_no_error (error);
  CALL (result, wharf_ecr_client_put_image_scanning_configuration_async (f->client, "team/web-app", FALSE,
                                                                         NULL,
                                                                         wharf_test_result_cb, &result));
  g_assert_true (wharf_ecr_client_put_image_scanning_configuration_finish (f->client, result, &error));
  g_assert_no_error (error);
  g_clear_pointer (&page, g_ptr_array_unref);
  CALL (result, wharf_ecr_client_describe_repositories_async (f->client, names, 0, NULL, NULL,
                                                              wharf_test_result_cb, &result));
  page = wharf_ecr_client_describe_repositories_finish (f->client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (wharf_repository_get_tag_mutability (g_ptr_array_index (page, 0)), ==,
                   WHARF_TAG_MUTABILITY_MUTABLE);
  g_assert_false (wharf_repository_get_scan_on_push (g_ptr_array_index (page, 0)));

  /* Not empty: refused without force, gone with it. */
  digest = push (f, "team/web-app", "v1", "a");
  CALL (result, wharf_ecr_client_delete_repository_async (f->client, "team/web-app", FALSE, NULL,
                                                          wharf_test_result_cb, &result));
  g_assert_null (wharf_ecr_client_delete_repository_finish (f->client, result, &error));
  g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_CONFLICT);
  g_assert_cmpstr (wharf_aws_error_get_aws_code (error), ==, "RepositoryNotEmptyException");
  g_clear_error (&error);
  g_assert_true (wharf_sandbox_has_repository (f->sandbox, NULL, "team/web-app"));

  CALL (result, wharf_ecr_client_delete_repository_async (f->client, "team/web-app", TRUE, NULL,
                                                          wharf_test_result_cb, &result));
  deleted = wharf_ecr_client_delete_repository_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wharf_repository_get_name (deleted), ==, "team/web-app");
  g_assert_false (wharf_sandbox_has_repository (f->sandbox, NULL, "team/web-app"));

  /* And now it is not found. */
  CALL (result, wharf_ecr_client_delete_repository_async (f->client, "team/web-app", TRUE, NULL,
                                                          wharf_test_result_cb, &result));
  g_assert_null (wharf_ecr_client_delete_repository_finish (f->client, result, &error));
  g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_NOT_FOUND);
}

static void
test_invalid_arguments (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(WharfRepositoryOptions) options = wharf_repository_options_new ("Team/Web");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WharfImageId) bad_tag = wharf_image_id_new (NULL, "-bad");

  CALL (result, wharf_ecr_client_create_repository_async (f->client, options, NULL,
                                                          wharf_test_result_cb, &result));
  g_assert_null (wharf_ecr_client_create_repository_finish (f->client, result, &error));
  g_assert_error (error, WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "lowercase"));
  g_clear_error (&error);

  CALL (result, wharf_ecr_client_start_image_scan_async (f->client, "web", bad_tag, NULL,
                                                         wharf_test_result_cb, &result));
  wharf_ecr_client_start_image_scan_finish (f->client, result, &error);
  g_assert_error (error, WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  CALL (result, wharf_ecr_client_get_lifecycle_policy_async (f->client, "a", NULL,
                                                             wharf_test_result_cb, &result));
  g_assert_null (wharf_ecr_client_get_lifecycle_policy_finish (f->client, result, &error));
  g_assert_error (error, WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_ARGUMENT);

  /* Nothing reached the service. */
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, NULL), ==, 0);
}

/* ---- Pagination ---- */

static void
check_repository_listing (Fixture *f,
                          guint    page_size,
                          guint    expected_items)
{
  g_autoptr(WharfEcrListing) listing = NULL;
  g_autoptr(GListStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint pages_seen = 0, n, i, expected_pages;

  wharf_ecr_client_set_page_size (f->client, page_size);
  listing = wharf_ecr_client_list_repositories (f->client, NULL, NULL);
  g_assert_true (wharf_ecr_listing_get_loading (listing));

  store = run_listing (listing, &error);
  g_assert_no_error (error);
  n = g_list_model_get_n_items (G_LIST_MODEL (store));
  g_assert_cmpuint (n, ==, expected_items);
  g_assert_cmpuint (wharf_ecr_listing_get_n_items_loaded (listing), ==, expected_items);
  g_assert_false (wharf_ecr_listing_get_has_more (listing));
  g_assert_false (wharf_ecr_listing_get_loading (listing));
  pages_seen = wharf_ecr_listing_get_n_pages (listing);
  /* ECR may end with a full page and no token, or with a token and an empty last page. */
  expected_pages = MAX (1, (expected_items + page_size - 1) / page_size);
  g_assert_cmpuint (pages_seen, >=, expected_pages);
  g_assert_cmpuint (pages_seen, <=, expected_pages + 1);
  for (i = 0; i < n; i++)
    {
      g_autoptr(WharfRepository) repository = g_list_model_get_item (G_LIST_MODEL (store), i);

      g_assert_true (g_hash_table_add (seen, g_strdup (wharf_repository_get_name (repository))));
    }
}

static void
test_repository_pagination (Fixture       *f,
                            gconstpointer  data)
{
  const guint page = 4;
  g_autoptr(WharfRepository) first = NULL;
  guint created;

  /* 0, 1, exactly a page, a page + 1 */
  check_repository_listing (f, page, 0);
  first = create_repository (f, "boundary/repo-0");
  created = 1;
  check_repository_listing (f, page, 1);
  for (; created < page; created++)
    {
      g_autofree char *name = g_strdup_printf ("boundary/repo-%u", created);

      g_assert_true (wharf_sandbox_create_repository (f->sandbox, NULL, name, NULL));
    }
  check_repository_listing (f, page, page);
  g_assert_true (wharf_sandbox_create_repository (f->sandbox, NULL, "boundary/repo-last", NULL));
  check_repository_listing (f, page, page + 1);
}

static void
test_repository_pagination_many (Fixture       *f,
                                 gconstpointer  data)
{
  guint total = wharf_sandbox_get_n_repositories (f->sandbox, NULL);

  g_assert_cmpuint (total, >=, 10000);
  check_repository_listing (f, WHARF_ECR_MAX_PAGE_SIZE, total);
}

static void
check_image_listing (Fixture        *f,
                     const char     *repository,
                     WharfTagStatus  tag_status,
                     guint           page_size,
                     guint           expected)
{
  g_autoptr(WharfEcrListing) listing = NULL;
  g_autoptr(GListStore) store = g_list_store_new (WHARF_TYPE_IMAGE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GListStore) result = NULL;
  guint i, n;

  wharf_ecr_client_set_page_size (f->client, page_size);
  listing = wharf_ecr_client_list_images (f->client, repository, tag_status, store, NULL);
  g_assert_true (wharf_ecr_listing_get_store (listing) == store);
  result = run_listing (listing, &error);
  g_assert_no_error (error);
  n = g_list_model_get_n_items (G_LIST_MODEL (store));
  g_assert_cmpuint (n, ==, expected);
  for (i = 0; i < n; i++)
    {
      g_autoptr(WharfImage) image = g_list_model_get_item (G_LIST_MODEL (store), i);

      g_assert_true (g_hash_table_add (seen, g_strdup (wharf_image_get_digest (image))));
      g_assert_cmpstr (wharf_image_get_repository_name (image), ==, repository);
      if (tag_status == WHARF_TAG_STATUS_UNTAGGED)
        g_assert_false (wharf_image_get_is_tagged (image));
      if (tag_status == WHARF_TAG_STATUS_TAGGED)
        g_assert_true (wharf_image_get_is_tagged (image));
    }
}

static void
test_image_pagination (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(WharfRepository) repository = create_repository (f, "pages");
  const guint page = 3;
  guint i;

  g_assert_cmpstr (wharf_repository_get_name (repository), ==, "pages");

  check_image_listing (f, "pages", WHARF_TAG_STATUS_ANY, page, 0);
  for (i = 0; i < page + 1; i++)
    {
      g_autofree char *tag = g_strdup_printf ("v%u", i);
      g_autofree char *seed = g_strdup_printf ("%u", i);
      g_autofree char *digest = push (f, "pages", tag, seed);

      g_assert_true (g_str_has_prefix (digest, "sha256:"));

      if (i == 0)
        check_image_listing (f, "pages", WHARF_TAG_STATUS_ANY, page, 1);
      if (i == page - 1)
        check_image_listing (f, "pages", WHARF_TAG_STATUS_ANY, page, page);
    }
  check_image_listing (f, "pages", WHARF_TAG_STATUS_ANY, page, page + 1);

  /* Filters. */
  g_free (push (f, "pages", NULL, "untagged-1"));
  g_free (push (f, "pages", NULL, "untagged-2"));
  check_image_listing (f, "pages", WHARF_TAG_STATUS_UNTAGGED, page, 2);
  check_image_listing (f, "pages", WHARF_TAG_STATUS_TAGGED, page, page + 1);
  check_image_listing (f, "pages", WHARF_TAG_STATUS_ANY, page, page + 3);
}

static void
test_image_pagination_big (Fixture       *f,
                           gconstpointer  data)
{
  int total = wharf_sandbox_count_images (f->sandbox, NULL, "big", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (total, >=, 10000);
  check_image_listing (f, "big", WHARF_TAG_STATUS_ANY, WHARF_ECR_MAX_PAGE_SIZE, total);

  /* ListImages over every page. */
  wharf_ecr_client_set_page_size (f->client, WHARF_ECR_MAX_PAGE_SIZE);
  CALL (result, wharf_ecr_client_list_images_async (f->client, "big", WHARF_TAG_STATUS_ANY, NULL,
                                                    wharf_test_result_cb, &result));
  ids = wharf_ecr_client_list_images_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, >=, (guint) total);
}

/* ---- Cancellation ---- */

typedef struct
{
  GCancellable *cancellable;
  guint         pages;
} CancelState;

static void
cancel_after_first_page_cb (WharfEcrListing *listing,
                            guint            n_new,
                            CancelState     *state)
{
  state->pages++;
  g_cancellable_cancel (state->cancellable);
}

static void
test_listing_cancel (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(WharfEcrListing) listing = NULL;
  g_autoptr(GListStore) store = NULL;
  g_autoptr(GError) error = NULL;
  CancelState state = { cancellable, 0 };
  guint requests_before, requests_after;

  wharf_ecr_client_set_page_size (f->client, 100);
  requests_before = wharf_sandbox_get_request_count (f->sandbox, "DescribeImages");
  listing = wharf_ecr_client_list_images (f->client, "big", WHARF_TAG_STATUS_ANY, NULL, cancellable);
  g_signal_connect (listing, "page-loaded", G_CALLBACK (cancel_after_first_page_cb), &state);
  store = run_listing (listing, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (state.pages, ==, 1);
  /* What arrived stays; nothing more was asked for. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 100);
  requests_after = wharf_sandbox_get_request_count (f->sandbox, "DescribeImages");
  g_assert_cmpuint (requests_after - requests_before, ==, 1);
  g_assert_false (wharf_ecr_listing_get_has_more (listing));
}

static void
test_call_cancel (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;

  /* The answer would come late; the person gave up before. */
  g_assert_true (wharf_sandbox_add_fault (f->sandbox, "delay=5000:DescribeRepositories:1", &error));
  g_assert_no_error (error);
  wharf_ecr_client_describe_repositories_async (f->client, NULL, 0, NULL, cancellable,
                                                wharf_test_result_cb, &result);
  g_cancellable_cancel (cancellable);
  wharf_test_wait_result (&result);
  page = wharf_ecr_client_describe_repositories_finish (f->client, result, NULL, &error);
  g_assert_null (page);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_listing_cancel_method (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(WharfEcrListing) listing = NULL;
  g_autoptr(GListStore) store = NULL;
  g_autoptr(GError) error = NULL;

  listing = wharf_ecr_client_list_repositories (f->client, NULL, NULL);
  wharf_ecr_listing_cancel (listing);
  store = run_listing (listing, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
}

/* ---- Images ---- */

static GPtrArray *
ids_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_image_id_free);
}

static void
test_images (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(WharfRepository) repository = create_repository (f, "images");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WharfImageManifest) put = NULL;
  g_autoptr(GPtrArray) ids = ids_new ();
  g_autoptr(GPtrArray) manifests = NULL;
  g_autoptr(GPtrArray) failures = NULL;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autofree char *manifest = make_manifest ("images-1", 3);
  g_autofree char *token = NULL;
  g_autofree char *other = NULL;
  WharfImage *image;

  g_assert_cmpstr (wharf_repository_get_name (repository), ==, "images");
  upload_manifest_blobs (f, "images", "images-1", 3);

  CALL (result, wharf_ecr_client_put_image_async (f->client, "images", manifest, MT_OCI, "v1", NULL,
                                                  NULL, wharf_test_result_cb, &result));
  put = wharf_ecr_client_put_image_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (put->digest, "sha256:"));
  g_assert_cmpstr (put->tag, ==, "v1");
  g_assert_cmpstr (put->manifest, ==, manifest);
  {
    g_autofree char *stored = wharf_sandbox_lookup_tag (f->sandbox, NULL, "images", "v1");

    g_assert_cmpstr (stored, ==, put->digest);
  }

  /* Tag the same manifest again. */
  {
    g_autoptr(WharfImageManifest) again = NULL;

    CALL (result, wharf_ecr_client_put_image_async (f->client, "images", manifest, MT_OCI, "latest",
                                                    put->digest, NULL,
                                                    wharf_test_result_cb, &result));
    again = wharf_ecr_client_put_image_finish (f->client, result, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (again->digest, ==, put->digest);
  }

  /* A bad manifest is the service's validation error. */
  {
    g_autoptr(WharfImageManifest) bad = NULL;

    CALL (result, wharf_ecr_client_put_image_async (f->client, "images", "{not json", MT_OCI, "bad", NULL,
                                                    NULL, wharf_test_result_cb, &result));
    bad = wharf_ecr_client_put_image_finish (f->client, result, &error);
    g_assert_null (bad);
    g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_VALIDATION);
    g_clear_error (&error);
  }

  other = push (f, "images", NULL, "untagged");

  /* BatchGetImage: one found, one missing. */
  g_ptr_array_add (ids, wharf_image_id_new (NULL, "v1"));
  g_ptr_array_add (ids, wharf_image_id_new (NULL, "nope"));
  CALL (result, wharf_ecr_client_batch_get_image_async (f->client, "images", ids, NULL, NULL,
                                                        wharf_test_result_cb, &result));
  manifests = wharf_ecr_client_batch_get_image_finish (f->client, result, &failures, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (manifests->len, ==, 1);
  g_assert_cmpstr (((WharfImageManifest *) g_ptr_array_index (manifests, 0))->manifest, ==, manifest);
  g_assert_cmpuint (failures->len, ==, 1);
  g_assert_cmpstr (((WharfImageFailure *) g_ptr_array_index (failures, 0))->tag, ==, "nope");
  g_assert_cmpstr (((WharfImageFailure *) g_ptr_array_index (failures, 0))->code, ==, "ImageNotFound");
  g_clear_pointer (&failures, g_ptr_array_unref);

  /* ListImages: a tagged image is listed once per tag. */
  CALL (result, wharf_ecr_client_list_images_async (f->client, "images", WHARF_TAG_STATUS_ANY, NULL,
                                                    wharf_test_result_cb, &result));
  listed = wharf_ecr_client_list_images_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 3);

  /* DescribeImages, one page, untagged only. */
  CALL (result, wharf_ecr_client_describe_images_async (f->client, "images", WHARF_TAG_STATUS_UNTAGGED,
                                                        NULL, 0, NULL, NULL,
                                                        wharf_test_result_cb, &result));
  images = wharf_ecr_client_describe_images_finish (f->client, result, &token, &error);
  g_assert_no_error (error);
  g_assert_null (token);
  g_assert_cmpuint (images->len, ==, 1);
  image = g_ptr_array_index (images, 0);
  g_assert_cmpstr (wharf_image_get_digest (image), ==, other);
  g_assert_false (wharf_image_get_is_tagged (image));
  g_assert_cmpint (wharf_image_get_size (image), >, 0);
  g_assert_nonnull (wharf_image_get_pushed_at (image));
}

static void
test_describe_image_ids (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(WharfRepository) repository = create_repository (f, "described");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = ids_new ();
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GPtrArray) failures = NULL;
  guint i;

  g_assert_cmpstr (wharf_repository_get_name (repository), ==, "described");

  /* 230 images over three chunks of at most 100, and two that do not exist. */
  for (i = 0; i < 230; i++)
    {
      g_autofree char *tag = g_strdup_printf ("t%03u", i);
      g_autofree char *digest = push (f, "described", tag, tag);

      g_ptr_array_add (ids, wharf_image_id_new (digest, NULL));
      if (i == 50)
        g_ptr_array_add (ids, wharf_image_id_new (NULL, "missing-1"));
      if (i == 180)
        g_ptr_array_add (ids, wharf_image_id_new ("sha256:0000000000000000000000000000000000000000000000000000000000000000", NULL));
    }

  CALL (result, wharf_ecr_client_describe_image_ids_async (f->client, "described", ids, NULL,
                                                           wharf_test_result_cb, &result));
  images = wharf_ecr_client_describe_image_ids_finish (f->client, result, &failures, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (images->len, ==, 230);
  g_assert_cmpuint (failures->len, ==, 2);
  g_assert_cmpstr (((WharfImageFailure *) g_ptr_array_index (failures, 0))->tag, ==, "missing-1");
  g_assert_cmpstr (((WharfImageFailure *) g_ptr_array_index (failures, 1))->code, ==, "ImageNotFound");
}

static void
test_batch_delete (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(WharfRepository) repository = create_repository (f, "deleted");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = ids_new ();
  g_autoptr(WharfBatchDeleteResult) outcome = NULL;
  guint i;

  g_assert_cmpstr (wharf_repository_get_name (repository), ==, "deleted");

  for (i = 0; i < 250; i++)
    {
      g_autofree char *tag = g_strdup_printf ("d%03u", i);
      g_autofree char *digest = push (f, "deleted", tag, tag);

      g_ptr_array_add (ids, wharf_image_id_new (digest, NULL));
    }
  g_ptr_array_add (ids, wharf_image_id_new (NULL, "never-existed"));
  g_assert_cmpint (wharf_sandbox_count_images (f->sandbox, NULL, "deleted", NULL), ==, 250);

  CALL (result, wharf_ecr_client_batch_delete_image_async (f->client, "deleted", ids, NULL,
                                                           wharf_test_result_cb, &result));
  outcome = wharf_ecr_client_batch_delete_image_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outcome->deleted->len, ==, 250);
  g_assert_cmpuint (outcome->failures->len, ==, 1);
  g_assert_cmpstr (((WharfImageFailure *) g_ptr_array_index (outcome->failures, 0))->tag, ==, "never-existed");
  g_assert_nonnull (((WharfImageFailure *) g_ptr_array_index (outcome->failures, 0))->reason);
  g_assert_cmpint (wharf_sandbox_count_images (f->sandbox, NULL, "deleted", NULL), ==, 0);
  /* Three requests of at most 100. */
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, "BatchDeleteImage"), ==, 3);
}

/* ---- Scanning ---- */

static void
test_scanning (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(WharfRepository) repository = create_repository (f, "scanned");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WharfImageManifest) pushed = NULL;
  g_autoptr(WharfImageId) id = NULL;
  g_autoptr(WharfScanResult) scan = NULL;
  g_autofree char *manifest = make_manifest ("scan-1", 2);
  WharfScanStatus status;
  GListModel *findings;

  g_assert_cmpstr (wharf_repository_get_name (repository), ==, "scanned");
  upload_manifest_blobs (f, "scanned", "scan-1", 2);

  /* A fixed manifest, so a fixed digest, so the sandbox's findings are always the same. */
  CALL (result, wharf_ecr_client_put_image_async (f->client, "scanned", manifest, MT_OCI, "v1", NULL,
                                                  NULL, wharf_test_result_cb, &result));
  pushed = wharf_ecr_client_put_image_finish (f->client, result, &error);
  g_assert_no_error (error);
  id = wharf_image_id_new (pushed->digest, NULL);

  /* No scan yet. */
  CALL (result, wharf_ecr_client_describe_image_scan_findings_async (f->client, "scanned", id, TRUE, NULL,
                                                                     wharf_test_result_cb, &result));
  g_assert_null (wharf_ecr_client_describe_image_scan_findings_finish (f->client, result, &error));
  g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_NOT_FOUND);
  g_assert_cmpstr (wharf_aws_error_get_aws_code (error), ==, "ScanNotFoundException");
  g_clear_error (&error);

  CALL (result, wharf_ecr_client_start_image_scan_async (f->client, "scanned", id, NULL,
                                                         wharf_test_result_cb, &result));
  status = wharf_ecr_client_start_image_scan_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, WHARF_SCAN_STATUS_IN_PROGRESS);

  wharf_sandbox_advance_clock (f->sandbox, 60 * G_USEC_PER_SEC);

  wharf_ecr_client_set_page_size (f->client, 2);   /* several pages of findings */
  CALL (result, wharf_ecr_client_describe_image_scan_findings_async (f->client, "scanned", id, TRUE, NULL,
                                                                     wharf_test_result_cb, &result));
  scan = wharf_ecr_client_describe_image_scan_findings_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (wharf_scan_result_get_status (scan), ==, WHARF_SCAN_STATUS_COMPLETE);
  g_assert_true (wharf_scan_result_get_has_counts (scan));
  findings = wharf_scan_result_get_findings (scan);
  /* Several pages of two: every page was fetched, the findings add up to the counts. */
  g_assert_cmpint (wharf_scan_result_get_total_findings (scan), >, 2);
  g_assert_cmpint ((int) g_list_model_get_n_items (findings), ==, wharf_scan_result_get_total_findings (scan));
  if (g_list_model_get_n_items (findings) > 1)
    {
      g_autoptr(WharfScanFinding) a = g_list_model_get_item (findings, 0);
      g_autoptr(WharfScanFinding) b = g_list_model_get_item (findings, 1);

      g_assert_cmpint (wharf_scan_finding_get_severity (a), <=, wharf_scan_finding_get_severity (b));
    }
}

static void
loaded_cb (WharfScanSummaryLoader *loader,
           WharfImage             *image,
           guint                  *n_loaded)
{
  (*n_loaded)++;
}

/* Whether every summary arrived; never more than two calls at a time on the way. */
static gboolean
summaries_loaded (WharfScanSummaryLoader *loader)
{
  g_assert_cmpuint (wharf_scan_summary_loader_get_n_in_flight (loader), <=, 2);
  return wharf_scan_summary_loader_get_n_pending (loader) == 0;
}

static void
test_scan_summary_loader (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(WharfRepository) repository = create_repository (f, "summaries");
  g_autoptr(WharfScanSummaryLoader) loader = wharf_scan_summary_loader_new (f->client, 2);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  guint n_loaded = 0, i;

  g_assert_cmpstr (wharf_repository_get_name (repository), ==, "summaries");

  for (i = 0; i < 6; i++)
    {
      g_autofree char *tag = g_strdup_printf ("s%u", i);
      g_autofree char *digest = push (f, "summaries", tag, tag);

      /* Scan the even ones. */
      if (i % 2 == 0)
        {
          g_autoptr(WharfImageId) id = wharf_image_id_new (digest, NULL);

          CALL (result, wharf_ecr_client_start_image_scan_async (f->client, "summaries", id, NULL,
                                                                 wharf_test_result_cb, &result));
          wharf_ecr_client_start_image_scan_finish (f->client, result, &error);
          g_assert_no_error (error);
        }
    }
  wharf_sandbox_advance_clock (f->sandbox, 60 * G_USEC_PER_SEC);

  CALL (result, wharf_ecr_client_describe_images_async (f->client, "summaries", WHARF_TAG_STATUS_ANY, NULL,
                                                        0, NULL, NULL,
                                                        wharf_test_result_cb, &result));
  page = wharf_ecr_client_describe_images_finish (f->client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 6);

  g_signal_connect (loader, "loaded", G_CALLBACK (loaded_cb), &n_loaded);
  for (i = 0; i < page->len; i++)
    {
      /* Twice each: de-duplicated. */
      wharf_scan_summary_loader_request (loader, g_ptr_array_index (page, i));
      wharf_scan_summary_loader_request (loader, g_ptr_array_index (page, i));
      g_assert_cmpuint (wharf_scan_summary_loader_get_n_pending (loader), <=, page->len);
      g_assert_cmpuint (wharf_scan_summary_loader_get_n_in_flight (loader), <=, 2);
    }
  g_assert_cmpuint (wharf_scan_summary_loader_get_n_pending (loader), ==, 6);
  g_assert_cmpuint (wharf_scan_summary_loader_get_n_in_flight (loader), ==, 2);
  wharf_test_wait_for (summaries_loaded (loader));

  g_assert_cmpuint (n_loaded, ==, 6);
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, "DescribeImageScanFindings"), ==, 6);
  for (i = 0; i < page->len; i++)
    {
      WharfImage *image = g_ptr_array_index (page, i);
      const char *tag = wharf_image_get_tags (image)[0];
      gboolean scanned = (tag[1] - '0') % 2 == 0;

      if (scanned)
        {
          g_assert_cmpint (wharf_image_get_scan_status (image), ==, WHARF_SCAN_STATUS_COMPLETE);
          g_assert_true (wharf_image_get_has_scan_summary (image));
          g_assert_cmpint (wharf_image_get_total_findings (image), >=, 0);
        }
      else
        {
          g_assert_cmpint (wharf_image_get_scan_status (image), ==, WHARF_SCAN_STATUS_NONE);
          g_assert_false (wharf_image_get_has_scan_summary (image));
        }
    }

  /* Loaded once: asking again does not go to the service. */
  wharf_scan_summary_loader_request (loader, g_ptr_array_index (page, 0));
  g_assert_cmpuint (wharf_scan_summary_loader_get_n_pending (loader), ==, 0);
}

static void
test_registry_scanning (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(WharfRepository) a = create_repository (f, "scan-a");
  g_autoptr(WharfRepository) b = create_repository (f, "scan-b");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WharfRegistryScanningConfiguration) configuration = NULL;
  g_autoptr(WharfRegistryScanningConfiguration) stored = NULL;
  g_autoptr(WharfRegistryScanningConfiguration) fetched = NULL;
  g_autoptr(GPtrArray) per_repository = NULL;
  const char *filters[] = { "scan-*", NULL };
  const char *names[] = { "scan-a", "scan-b", "scan-missing", NULL };
  WharfRepositoryScanningConfiguration *first;
  guint i, n_failed = 0;

  g_assert_cmpstr (wharf_repository_get_name (a), ==, "scan-a");
  g_assert_cmpstr (wharf_repository_get_name (b), ==, "scan-b");

  configuration = wharf_registry_scanning_configuration_new (WHARF_SCAN_TYPE_BASIC);
  wharf_registry_scanning_configuration_add_rule (configuration,
                                                  wharf_scanning_rule_new (WHARF_SCAN_FREQUENCY_SCAN_ON_PUSH, filters));
  CALL (result, wharf_ecr_client_put_registry_scanning_configuration_async (f->client, configuration, NULL,
                                                                            wharf_test_result_cb, &result));
  stored = wharf_ecr_client_put_registry_scanning_configuration_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->rules->len, ==, 1);

  CALL (result, wharf_ecr_client_get_registry_scanning_configuration_async (f->client, NULL,
                                                                            wharf_test_result_cb, &result));
  fetched = wharf_ecr_client_get_registry_scanning_configuration_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fetched->scan_type, ==, WHARF_SCAN_TYPE_BASIC);
  g_assert_cmpuint (fetched->rules->len, ==, 1);
  g_assert_cmpint (((WharfScanningRule *) g_ptr_array_index (fetched->rules, 0))->frequency, ==,
                   WHARF_SCAN_FREQUENCY_SCAN_ON_PUSH);
  g_assert_cmpstr (((WharfScanningRule *) g_ptr_array_index (fetched->rules, 0))->repository_filters[0], ==, "scan-*");

  CALL (result, wharf_ecr_client_batch_get_repository_scanning_configuration_async (f->client, names, NULL,
                                                                                    wharf_test_result_cb, &result));
  per_repository = wharf_ecr_client_batch_get_repository_scanning_configuration_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (per_repository->len, ==, 3);
  for (i = 0; i < per_repository->len; i++)
    if (((WharfRepositoryScanningConfiguration *) g_ptr_array_index (per_repository, i))->failure_code)
      n_failed++;
  g_assert_cmpuint (n_failed, ==, 1);
  first = g_ptr_array_index (per_repository, 0);
  g_assert_cmpstr (first->repository_name, ==, "scan-a");
  g_assert_cmpint (first->frequency, ==, WHARF_SCAN_FREQUENCY_SCAN_ON_PUSH);
}

/* ---- Registry ---- */

static void
test_registry (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WharfRegistryInfo) info = NULL;
  g_autoptr(WharfAuthorizationToken) token = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  CALL (result, wharf_ecr_client_describe_registry_async (f->client, NULL,
                                                          wharf_test_result_cb, &result));
  info = wharf_ecr_client_describe_registry_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->registry_id, ==, WHARF_SANDBOX_PRACTICE_ACCOUNT_ID);

  CALL (result, wharf_ecr_client_get_authorization_token_async (f->client, NULL,
                                                                wharf_test_result_cb, &result));
  token = wharf_ecr_client_get_authorization_token_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wharf_authorization_token_get_user_name (token), ==, "AWS");
  g_assert_cmpuint (strlen (wharf_authorization_token_get_password (token)), >, 0);
  g_assert_cmpstr (wharf_authorization_token_get_registry (token), ==, wharf_sandbox_get_registry_host (f->sandbox));
  g_assert_cmpint (g_date_time_compare (wharf_authorization_token_get_expires_at (token), now), >, 0);
}

/* ---- Policies ---- */

#define LIFECYCLE_POLICY \
  "{\"rules\": [{\"rulePriority\": 1, \"description\": \"Expire untagged\"," \
  " \"selection\": {\"tagStatus\": \"untagged\", \"countType\": \"imageCountMoreThan\", \"countNumber\": 1}," \
  " \"action\": {\"type\": \"expire\"}}]}"

static void
test_lifecycle_policy (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(WharfRepository) repository = create_repository (f, "lifecycle");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WharfLifecyclePolicy) policy = NULL;
  g_autoptr(GListModel) preview = NULL;
  WharfLifecyclePreviewStatus status;
  int expiring = 0;
  guint i;

  g_assert_cmpstr (wharf_repository_get_name (repository), ==, "lifecycle");

  for (i = 0; i < 5; i++)
    {
      g_autofree char *seed = g_strdup_printf ("untagged-%u", i);

      wharf_sandbox_advance_clock (f->sandbox, G_USEC_PER_SEC);
      g_free (push (f, "lifecycle", NULL, seed));
    }
  g_free (push (f, "lifecycle", "keep", "tagged"));

  /* None yet. */
  CALL (result, wharf_ecr_client_get_lifecycle_policy_async (f->client, "lifecycle", NULL,
                                                             wharf_test_result_cb, &result));
  g_assert_null (wharf_ecr_client_get_lifecycle_policy_finish (f->client, result, &error));
  g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  CALL (result, wharf_ecr_client_put_lifecycle_policy_async (f->client, "lifecycle", LIFECYCLE_POLICY, NULL,
                                                             wharf_test_result_cb, &result));
  g_assert_true (wharf_ecr_client_put_lifecycle_policy_finish (f->client, result, &error));
  g_assert_no_error (error);

  CALL (result, wharf_ecr_client_get_lifecycle_policy_async (f->client, "lifecycle", NULL,
                                                             wharf_test_result_cb, &result));
  policy = wharf_ecr_client_get_lifecycle_policy_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (policy->text, "imageCountMoreThan"));
  g_assert_cmpstr (policy->repository_name, ==, "lifecycle");

  CALL (result, wharf_ecr_client_start_lifecycle_policy_preview_async (f->client, "lifecycle", NULL, NULL,
                                                                       wharf_test_result_cb, &result));
  status = wharf_ecr_client_start_lifecycle_policy_preview_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, WHARF_LIFECYCLE_PREVIEW_STATUS_IN_PROGRESS);

  CALL (result, wharf_ecr_client_get_lifecycle_policy_preview_async (f->client, "lifecycle", 10, NULL,
                                                                     wharf_test_result_cb, &result));
  preview = wharf_ecr_client_get_lifecycle_policy_preview_finish (f->client, result, &expiring, &error);
  g_assert_no_error (error);
  /* Keep 1 untagged: 4 of 5 expire; the tagged one stays. */
  g_assert_cmpuint (g_list_model_get_n_items (preview), ==, 4);
  g_assert_cmpint (expiring, ==, 4);
  for (i = 0; i < 4; i++)
    {
      g_autoptr(WharfLifecyclePreviewResult) item = g_list_model_get_item (preview, i);

      g_assert_cmpint (wharf_lifecycle_preview_result_get_action (item), ==, WHARF_IMAGE_ACTION_EXPIRE);
      g_assert_cmpint (wharf_lifecycle_preview_result_get_applied_rule_priority (item), ==, 1);
      g_assert_cmpuint (g_strv_length ((char **) wharf_lifecycle_preview_result_get_tags (item)), ==, 0);
    }

  CALL (result, wharf_ecr_client_delete_lifecycle_policy_async (f->client, "lifecycle", NULL,
                                                                wharf_test_result_cb, &result));
  g_assert_true (wharf_ecr_client_delete_lifecycle_policy_finish (f->client, result, &error));
  g_assert_no_error (error);
  CALL (result, wharf_ecr_client_delete_lifecycle_policy_async (f->client, "lifecycle", NULL,
                                                                wharf_test_result_cb, &result));
  g_assert_false (wharf_ecr_client_delete_lifecycle_policy_finish (f->client, result, &error));
  g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_NOT_FOUND);
}

/* A repository with three untagged images, LIFECYCLE_POLICY and a started preview that the
 * sandbox keeps IN_PROGRESS for @n_polls polls. */
static void
start_slow_preview (Fixture    *f,
                    const char *name,
                    guint       n_polls)
{
  g_autoptr(WharfRepository) repository = create_repository (f, name);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (wharf_repository_get_name (repository), ==, name);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *seed = g_strdup_printf ("%s-%u", name, i);

      wharf_sandbox_advance_clock (f->sandbox, G_USEC_PER_SEC);
      g_free (push (f, name, NULL, seed));
    }
  CALL (result, wharf_ecr_client_put_lifecycle_policy_async (f->client, name, LIFECYCLE_POLICY, NULL,
                                                             wharf_test_result_cb, &result));
  g_assert_true (wharf_ecr_client_put_lifecycle_policy_finish (f->client, result, &error));
  g_assert_no_error (error);
  g_assert_true (wharf_sandbox_set_lifecycle_preview_polls (f->sandbox, NULL, name, n_polls, &error));
  g_assert_no_error (error);
  CALL (result, wharf_ecr_client_start_lifecycle_policy_preview_async (f->client, name, NULL, NULL,
                                                                       wharf_test_result_cb, &result));
  wharf_ecr_client_start_lifecycle_policy_preview_finish (f->client, result, &error);
  g_assert_no_error (error);
}

/* ECR answers IN_PROGRESS while it evaluates: the client keeps polling, then reads the results. */
static void
test_lifecycle_preview_in_progress (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) preview = NULL;
  int expiring = 0;

  start_slow_preview (f, "slow-preview", 3);
  CALL (result, wharf_ecr_client_get_lifecycle_policy_preview_async (f->client, "slow-preview", 10, NULL,
                                                                     wharf_test_result_cb, &result));
  preview = wharf_ecr_client_get_lifecycle_policy_preview_finish (f->client, result, &expiring, &error);
  g_assert_no_error (error);
  /* Three IN_PROGRESS answers, then the one page of results. */
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, "GetLifecyclePolicyPreview"), ==, 4);
  /* Keep 1 untagged: 2 of 3 expire. */
  g_assert_cmpuint (g_list_model_get_n_items (preview), ==, 2);
  g_assert_cmpint (expiring, ==, 2);
}

static void
test_lifecycle_preview_cancel (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) preview = NULL;

  start_slow_preview (f, "endless-preview", G_MAXUINT);
  /* A minute between polls: only cancelling ends the wait before the test's deadline. */
  wharf_ecr_client_get_lifecycle_policy_preview_async (f->client, "endless-preview", 60000, cancellable,
                                                       wharf_test_result_cb, &result);
  wharf_test_wait_for (wharf_sandbox_get_request_count (f->sandbox,
                                                       "GetLifecyclePolicyPreview") >= 1);
  /* Let the IN_PROGRESS answer arrive, so that the client is waiting. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (result);

  g_cancellable_cancel (cancellable);
  wharf_test_wait_result (&result);
  preview = wharf_ecr_client_get_lifecycle_policy_preview_finish (f->client, result, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (preview);
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, "GetLifecyclePolicyPreview"), ==, 1);
}

#define REPOSITORY_POLICY \
  "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"AllowPull\", \"Effect\": \"Allow\"," \
  " \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}," \
  " \"Action\": [\"ecr:BatchGetImage\", \"ecr:GetDownloadUrlForLayer\"]}]}"

static void
test_repository_policy (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(WharfRepository) repository = create_repository (f, "policy");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpstr (wharf_repository_get_name (repository), ==, "policy");

  CALL (result, wharf_ecr_client_get_repository_policy_async (f->client, "policy", NULL,
                                                              wharf_test_result_cb, &result));
  g_assert_null (wharf_ecr_client_get_repository_policy_finish (f->client, result, &error));
  g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  CALL (result, wharf_ecr_client_set_repository_policy_async (f->client, "policy", REPOSITORY_POLICY, FALSE,
                                                              NULL, wharf_test_result_cb, &result));
  g_assert_true (wharf_ecr_client_set_repository_policy_finish (f->client, result, &error));
  g_assert_no_error (error);

  CALL (result, wharf_ecr_client_get_repository_policy_async (f->client, "policy", NULL,
                                                              wharf_test_result_cb, &result));
  text = wharf_ecr_client_get_repository_policy_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "AllowPull"));

  CALL (result, wharf_ecr_client_delete_repository_policy_async (f->client, "policy", NULL,
                                                                 wharf_test_result_cb, &result));
  g_assert_true (wharf_ecr_client_delete_repository_policy_finish (f->client, result, &error));
  g_assert_no_error (error);
}

/* ---- Faults ---- */

typedef struct
{
  const char        *spec;
  gboolean           recovers;     /* retried to success by the engine */
  GQuark             domain;
  int                code;
} FaultCase;

static void
test_faults (Fixture       *f,
             gconstpointer  data)
{
  const FaultCase cases[] = {
    { "throttle:DescribeRepositories:1", TRUE, 0, 0 },
    { "500:DescribeRepositories:1", TRUE, 0, 0 },
    { "503:DescribeRepositories:1", TRUE, 0, 0 },
    { "reset:DescribeRepositories:1", TRUE, 0, 0 },
    { "delay=200:DescribeRepositories:1", TRUE, 0, 0 },
    { "throttle:DescribeRepositories:*", FALSE, WHARF_AWS_ERROR, WHARF_AWS_ERROR_THROTTLED },
    { "500:DescribeRepositories:*", FALSE, WHARF_AWS_ERROR, WHARF_AWS_ERROR_SERVER },
    { "reset:DescribeRepositories:*", FALSE, WHARF_AWS_ERROR, WHARF_AWS_ERROR_NETWORK },
    /* Cut short against its Content-Length: a network or protocol error, either way clear. */
    { "truncate:DescribeRepositories:*", FALSE, WHARF_AWS_ERROR, -1 },
    { "invalid-json:DescribeRepositories:*", FALSE, WHARF_AWS_ERROR, WHARF_AWS_ERROR_PROTOCOL },
    { "html:DescribeRepositories:*", FALSE, WHARF_AWS_ERROR, -1 },
    { "expired-token:DescribeRepositories:1", FALSE, WHARF_AWS_ERROR, WHARF_AWS_ERROR_EXPIRED_CREDENTIALS },
    { "access-denied:DescribeRepositories:1", FALSE, WHARF_AWS_ERROR, WHARF_AWS_ERROR_ACCESS_DENIED },
  };
  guint i;

  g_assert_true (wharf_sandbox_create_repository (f->sandbox, NULL, "faulty", NULL));

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) page = NULL;

      g_test_message ("fault %s", cases[i].spec);
      wharf_sandbox_clear_faults (f->sandbox);
      g_assert_true (wharf_sandbox_add_fault (f->sandbox, cases[i].spec, &error));
      g_assert_no_error (error);

      CALL (result, wharf_ecr_client_describe_repositories_async (f->client, NULL, 0, NULL, NULL,
                                                                  wharf_test_result_cb, &result));
      page = wharf_ecr_client_describe_repositories_finish (f->client, result, NULL, &error);
      if (cases[i].recovers)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (page->len, ==, 1);
        }
      else
        {
          g_assert_null (page);
          g_assert_nonnull (error);
          if (error->domain != cases[i].domain || (cases[i].code >= 0 && error->code != cases[i].code))
            g_error ("%s: unexpected error %s %d: %s", cases[i].spec,
                     g_quark_to_string (error->domain), error->code, error->message);
          /* The message says something, never an empty string. */
          g_assert_cmpuint (strlen (error->message), >, 0);
        }
    }
  wharf_sandbox_clear_faults (f->sandbox);
}

static void
test_fault_mid_listing (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(WharfEcrListing) listing = NULL;
  g_autoptr(GListStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint i;

  for (i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("mid/repo-%u", i);

      g_assert_true (wharf_sandbox_create_repository (f->sandbox, NULL, name, NULL));
    }
  wharf_ecr_client_set_page_size (f->client, 2);

  /* The first page is fine, every later request fails: the listing stops with an error and
   * keeps what it has. The first call is let through by a delay fault counted first. */
  g_assert_true (wharf_sandbox_add_fault (f->sandbox, "delay=1:DescribeRepositories:1", &error));
  g_assert_true (wharf_sandbox_add_fault (f->sandbox, "500:DescribeRepositories:*", &error));
  g_assert_no_error (error);

  listing = wharf_ecr_client_list_repositories (f->client, NULL, NULL);
  store = run_listing (listing, &error);
  g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_SERVER);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  g_assert_cmpuint (wharf_ecr_listing_get_n_pages (listing), ==, 1);
  g_assert_nonnull (wharf_ecr_listing_get_error (listing));
}

static void
test_malformed_page_in_listing (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WharfRepository) repository = create_repository (f, "malformed");
  g_autofree char *digest = push (f, "malformed", "v1", "m");
  g_autoptr(WharfImageId) id = wharf_image_id_new (digest, NULL);

  g_assert_cmpstr (wharf_repository_get_name (repository), ==, "malformed");

  /* A truncated 200 in the middle of a multi-request operation is an error, not a crash or a
   * partial success. */
  g_assert_true (wharf_sandbox_add_fault (f->sandbox, "truncate:StartImageScan:*", &error));
  g_assert_no_error (error);
  CALL (result, wharf_ecr_client_start_image_scan_async (f->client, "malformed", id, NULL,
                                                         wharf_test_result_cb, &result));
  wharf_ecr_client_start_image_scan_finish (f->client, result, &error);
  g_assert_nonnull (error);
  g_assert_true (error->domain == WHARF_AWS_ERROR || error->domain == WHARF_ECR_ERROR);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  wharf_test_set_deadline (120);

#define ADD(path, seed, func) \
  g_test_add ("/ecr-client/" path, Fixture, seed, fixture_setup, func, fixture_teardown)

  ADD ("repositories/lifecycle", NULL, test_repository_lifecycle);
  ADD ("repositories/invalid-arguments", NULL, test_invalid_arguments);
  ADD ("repositories/pagination", NULL, test_repository_pagination);
  ADD ("repositories/pagination-10000", "many", test_repository_pagination_many);
  ADD ("images/put-get-list-describe", NULL, test_images);
  ADD ("images/pagination", NULL, test_image_pagination);
  ADD ("images/pagination-10000", "big", test_image_pagination_big);
  ADD ("images/describe-ids-chunked", NULL, test_describe_image_ids);
  ADD ("images/batch-delete-chunked", NULL, test_batch_delete);
  ADD ("listing/cancel-mid-listing", "big", test_listing_cancel);
  ADD ("listing/cancel-method", "demo", test_listing_cancel_method);
  ADD ("calls/cancel", "demo", test_call_cancel);
  ADD ("scanning/findings", NULL, test_scanning);
  ADD ("scanning/summary-loader", NULL, test_scan_summary_loader);
  ADD ("scanning/registry-configuration", NULL, test_registry_scanning);
  ADD ("registry/describe-and-token", NULL, test_registry);
  ADD ("policies/lifecycle", NULL, test_lifecycle_policy);
  ADD ("policies/lifecycle-preview-in-progress", NULL, test_lifecycle_preview_in_progress);
  ADD ("policies/lifecycle-preview-cancel", NULL, test_lifecycle_preview_cancel);
  ADD ("policies/repository", NULL, test_repository_policy);
  ADD ("faults/each-kind", NULL, test_faults);
  ADD ("faults/mid-listing", NULL, test_fault_mid_listing);
  ADD ("faults/malformed-response", NULL, test_malformed_page_in_listing);

#undef ADD

  return g_test_run ();
}
