/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Signatures per second for a typical ECR DescribeImages request (build + sign). */
#define G_LOG_DOMAIN "bench-sign"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "wharf-sigv4.h"

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

static gboolean
merge_result (const char  *path,
              double       per_second,
              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) gen = NULL;
  g_autofree char *text = NULL;
  JsonObject *sign;

  /* Other benchmarks write into the same file: keep their keys. */
  if (g_file_test (path, G_FILE_TEST_EXISTS)
      && json_parser_load_from_file (parser, path, NULL)
      && json_parser_get_root (parser) != NULL
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    root = json_node_copy (json_parser_get_root (parser));
  else
    root = json_node_init_object (json_node_alloc (), json_object_new ());

  sign = json_object_new ();
  json_object_set_int_member (sign, "wharf_per_s", (gint64) per_second);
  json_object_set_object_member (json_node_get_object (root), "sign", sign);

  gen = json_generator_new ();
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);

  return g_file_set_contents (path, text, -1, error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 27, 8, 0, 0);
  g_autoptr(GError) error = NULL;
  const char *build_root = g_getenv ("WHARF_BUILD_ROOT");
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

  if (build_root != NULL)
    {
      g_autofree char *path = g_build_filename (build_root, "bench-results.json", NULL);

      if (!merge_result (path, per_second, &error))
        {
          g_printerr ("bench-sign: cannot write %s: %s\n", path, error->message);
          return 1;
        }
    }

  return 0;
}
