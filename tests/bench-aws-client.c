/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Whole calls per second through the request engine (credentials, signing, HTTP on loopback,
 * JSON parsing), one at a time and eight in flight, against an in-process SoupServer. */
#define G_LOG_DOMAIN "bench-aws-client"

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "wharf-aws-client.h"
#include "wharf-test-utils.h"

static const char response_body[] =
  "{\"repositories\":[{\"repositoryArn\":\"arn:aws:ecr:eu-west-1:111122223333:repository/team/web\","
  "\"registryId\":\"111122223333\",\"repositoryName\":\"team/web\","
  "\"repositoryUri\":\"111122223333.dkr.ecr.eu-west-1.amazonaws.com/team/web\","
  "\"createdAt\":1.7E9,\"imageTagMutability\":\"MUTABLE\"}]}";

typedef struct
{
  WharfAwsClient *client;
  guint           started;
  guint           finished;
  guint           failed;
  guint           in_flight;
  gint64          deadline;
} Bench;

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "x-amzn-RequestId", "bench");
  soup_server_message_set_response (msg, "application/x-amz-json-1.1", SOUP_MEMORY_STATIC,
                                    response_body, strlen (response_body));
}

static void start_call (Bench *b);

static void
call_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Bench *b = user_data;
  g_autoptr(JsonObject) output = NULL;
  g_autoptr(GError) error = NULL;

  output = wharf_aws_client_call_finish (WHARF_AWS_CLIENT (object), result, &error);
  if (!output)
    {
      g_printerr ("bench-aws-client: %s\n", error->message);
      b->failed++;
    }
  b->finished++;
  b->in_flight--;

  if (g_get_monotonic_time () < b->deadline && b->failed == 0)
    start_call (b);
}

static void
start_call (Bench *b)
{
  g_autoptr(JsonObject) input = json_object_new ();

  json_object_set_string_member (input, "repositoryName", "team/web");
  b->started++;
  b->in_flight++;
  wharf_aws_client_call_async (b->client, "DescribeRepositories", input, NULL, call_cb, b);
}

static double
run (WharfAwsClient *client,
     guint           parallel)
{
  Bench b = { .client = client };
  gint64 start;

  start = g_get_monotonic_time ();
  b.deadline = start + 2 * G_USEC_PER_SEC;
  for (guint i = 0; i < parallel; i++)
    start_call (&b);
  while (b.in_flight > 0)
    g_main_context_iteration (NULL, TRUE);

  if (b.failed > 0)
    return -1;

  return b.finished / ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(WharfCredentials) credentials = NULL;
  g_autoptr(WharfCredentialsProvider) provider = NULL;
  g_autoptr(WharfAwsConfig) config = wharf_aws_config_new ();
  g_autoptr(WharfAwsClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  JsonObject *entry;
  GSList *uris;
  double sequential;
  double parallel;

  soup_server_add_handler (server, NULL, server_cb, NULL, NULL);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      g_printerr ("bench-aws-client: %s\n", error->message);
      return 1;
    }
  uris = soup_server_get_uris (server);
  url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  credentials = wharf_credentials_new ("AKIAIOSFODNN7EXAMPLE",
                                       "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", NULL, NULL);
  provider = wharf_static_credentials_provider_new (credentials);
  client = wharf_aws_client_new ("ecr", "AmazonEC2ContainerRegistry_V20150921", "api.ecr",
                                 "eu-west-1", provider);
  wharf_aws_client_set_config (client, config);
  wharf_aws_client_set_endpoint (client, url);

  /* Warm up: the first call opens the connection. */
  run (client, 1);

  sequential = run (client, 1);
  parallel = run (client, 8);
  if (sequential < 0 || parallel < 0)
    return 1;

  g_print ("aws-client: %.0f DescribeRepositories calls per second one at a time, "
           "%.0f with eight in flight (loopback, keep-alive)\n", sequential, parallel);

  entry = json_object_new ();
  json_object_set_int_member (entry, "sequential_calls_per_s", (gint64) sequential);
  json_object_set_int_member (entry, "parallel8_calls_per_s", (gint64) parallel);
  return wharf_test_bench_record ("aws_client", entry) ? 0 : 1;
}
