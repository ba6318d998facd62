/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Signatures per second for a typical ECR DescribeImages request (build + sign). */
#define G_LOG_DOMAIN "bench-sign"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "wharf-sigv4.h"
#include "wharf-test-utils.h"

static const char body[] =
  "{\"repositoryName\":\"team/web-frontend\",\"registryId\":\"111122223333\","
  "\"maxResults\":1000,\"filter\":{\"tagStatus\":\"TAGGED\"},"
  "\"nextToken\":\"ukD72mdD/mC8b5xV3susmJzzaTgp3hKwR9nRUW1yZZ6dVdF8gBGQBuq4O7fRh+dx\"}";

static void
sign_once (WharfSigv4Params *params)
{
  g_autoptr(WharfSigv4Request) req = wharf_sigv4_request_new ("POST", "/", NULL);
  g_autofree char *auth = NULL;

  wharf_sigv4_request_add_header (req, "Host", "api.ecr.eu-west-1.amazonaws.com");
  wharf_sigv4_request_add_header (req, "Content-Type", "application/x-amz-json-1.1");
  wharf_sigv4_request_add_header (req, "X-Amz-Target",
                                  "AmazonEC2ContainerRegistry_V20150921.DescribeImages");
  wharf_sigv4_request_add_header (req, "User-Agent", "wharf/" PACKAGE_VERSION);
  wharf_sigv4_request_add_header (req, "Accept-Encoding", "identity");
  wharf_sigv4_request_set_body (req, body, strlen (body));

  auth = wharf_sigv4_sign (req, params);
  g_assert (auth != NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 27, 8, 0, 0);
  JsonObject *entry;
  WharfSigv4Params params;
  gint64 start, elapsed;
  guint64 n = 0;
  double per_second;

  wharf_sigv4_params_init (&params);
  params.access_key_id = "AKIAIOSFODNN7EXAMPLE";
  params.secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  params.session_token = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKENfor+benchmarking/only==";
  params.region = "eu-west-1";
  params.service = "ecr";
  params.time = now;

  for (guint i = 0; i < 1000; i++)  /* warm up */
    sign_once (&params);

  start = g_get_monotonic_time ();
  do
    {
      for (guint i = 0; i < 1000; i++)
        sign_once (&params);
      n += 1000;
      elapsed = g_get_monotonic_time () - start;
    }
  while (elapsed < 2 * G_USEC_PER_SEC);

  per_second = n / (elapsed / (double) G_USEC_PER_SEC);
  g_print ("sign: %.0f DescribeImages signatures per second (%" G_GUINT64_FORMAT " in %.2f s)\n",
           per_second, n, elapsed / (double) G_USEC_PER_SEC);

  entry = json_object_new ();
  json_object_set_int_member (entry, "wharf_per_s", (gint64) per_second);
  return wharf_test_bench_record ("sign", entry) ? 0 : 1;
}
