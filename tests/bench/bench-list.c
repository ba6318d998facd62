/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Wharf's side of the listing benchmarks: streams every image of a repository (or every
 * repository) from an endpoint into a GListStore through WharfEcrClient, as the app's list
 * views do, then prints one JSON line: {"items": N, "pages": P, "seconds": S}.
 *
 *   bench-list images REPOSITORY ENDPOINT
 *   bench-list repositories ENDPOINT
 *
 * Signs with the sandbox's practice keys in us-east-1. tests/bench/bench-listing.py runs it
 * and times the whole process (startup included, as for the AWS CLI and curl).
 */
#define G_LOG_DOMAIN "bench-list"

#include "config.h"

#include <stdio.h>

#include "wharf-ecr-client.h"

#define PRACTICE_ACCESS_KEY_ID     "AKIAWHARFPRACTICE001"
#define PRACTICE_SECRET_ACCESS_KEY "wharf/practice/secret/key/not+for+aws0000000"

static void
done_cb (WharfEcrListing *listing,
         gpointer         user_data)
{
  gboolean *done = user_data;

  *done = TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(WharfCredentials) creds = NULL;
  g_autoptr(WharfCredentialsProvider) provider = NULL;
  g_autoptr(WharfEcrClient) client = NULL;
  g_autoptr(WharfEcrListing) listing = NULL;
  g_autoptr(GListStore) store = NULL;
  const GError *error;
  const char *endpoint;
  gboolean images, done = FALSE;
  gint64 start;

  if (argc == 4 && g_str_equal (argv[1], "images"))
    {
      images = TRUE;
      endpoint = argv[3];
    }
  else if (argc == 3 && g_str_equal (argv[1], "repositories"))
    {
      images = FALSE;
      endpoint = argv[2];
    }
  else
    {
      g_printerr ("usage: %s images REPOSITORY ENDPOINT | repositories ENDPOINT\n", argv[0]);
      return 2;
    }

  start = g_get_monotonic_time ();
  creds = wharf_credentials_new (PRACTICE_ACCESS_KEY_ID, PRACTICE_SECRET_ACCESS_KEY, NULL, NULL);
  provider = wharf_static_credentials_provider_new (creds);
  client = wharf_ecr_client_new ("us-east-1", provider);
  wharf_ecr_client_set_endpoint (client, endpoint);
  wharf_ecr_client_set_page_size (client, WHARF_ECR_MAX_PAGE_SIZE);

  if (images)
    {
      store = g_list_store_new (WHARF_TYPE_IMAGE);
      listing = wharf_ecr_client_list_images (client, argv[2], WHARF_TAG_STATUS_ANY, store, NULL);
    }
  else
    {
      store = g_list_store_new (WHARF_TYPE_REPOSITORY);
      listing = wharf_ecr_client_list_repositories (client, store, NULL);
    }
  g_signal_connect (listing, "done", G_CALLBACK (done_cb), &done);

  while (!done)
    g_main_context_iteration (NULL, TRUE);

  error = wharf_ecr_listing_get_error (listing);
  if (error)
    {
      g_printerr ("bench-list: %s\n", error->message);
      return 1;
    }

  printf ("{\"items\": %u, \"pages\": %u, \"seconds\": %.6f}\n",
          g_list_model_get_n_items (G_LIST_MODEL (store)),
          wharf_ecr_listing_get_n_pages (listing),
          (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  return 0;
}
