/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-aws-client"

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>
#include <sys/socket.h>

#include "wharf-aws-client.h"
#include "wharf-aws-client-private.h"
#include "wharf-aws-config.h"
#include "wharf-aws-error.h"
#include "wharf-aws-http-private.h"
#include "wharf-credentials.h"
#include "wharf-sigv4.h"
#include "wharf-test-utils.h"

/*
 * The request engine against a SoupServer on a random loopback port in this process: what
 * the server receives, how each error form is mapped, the retry rules, cancellation,
 * timeouts, clock-skew correction, and that no secret reaches the log.
 */

#define TEST_ACCESS_KEY  "AKIDWHARFTEST0000001"
#define TEST_SECRET      "wJalrXUtnFEMI/K7MDENG+bPxRfiCY-TEST-SECRET"
#define TEST_TOKEN       "FwoGZXIvYXdzEJr-TEST-SESSION-TOKEN//////////wEaDM"
#define TEST_AUTH_TOKEN  "QVdTOmV5SndZWGxzYjJGa0lqb2lWR1Z6ZEM-AUTH-TOKEN"
#define TARGET_PREFIX    "AmazonEC2ContainerRegistry_V20150921"

/* ---- log capture ------------------------------------------------------------------------ */

static GString *captured_log;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  if (captured_log != NULL)
    {
      for (gsize i = 0; i < n_fields; i++)
        {
          if (fields[i].length < 0)
            g_string_append (captured_log, fields[i].value);
          else
            g_string_append_len (captured_log, fields[i].value, fields[i].length);
          g_string_append_c (captured_log, ' ');
        }
      g_string_append_c (captured_log, '\n');
    }

  /* Debug output is captured, not printed: it would only fill the test log. */
  if (log_level & G_LOG_LEVEL_DEBUG)
    return G_LOG_WRITER_HANDLED;

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static GLogFunc previous_handler;

/* g_test_init() routes g_log() through a default handler of its own; capture there too. */
static void
capture_handler (const char     *log_domain,
                 GLogLevelFlags  log_level,
                 const char     *message,
                 gpointer        user_data)
{
  if (captured_log != NULL)
    g_string_append_printf (captured_log, "%s: %s\n", log_domain ? log_domain : "", message);

  if (log_level & G_LOG_LEVEL_DEBUG)
    return;

  previous_handler (log_domain, log_level, message, user_data);
}

/* ---- a credential provider that counts, and can fail ------------------------------------ */

#define TEST_TYPE_PROVIDER (test_provider_get_type ())
G_DECLARE_FINAL_TYPE (TestProvider, test_provider, TEST, PROVIDER, GObject)

struct _TestProvider
{
  GObject  parent_instance;
  guint    calls;
  guint    invalidations;
  gboolean fail;
  GQuark   fail_domain;   /* with fail_code: fail in this domain instead */
  int      fail_code;
};

#define TEST_CAUSE_MESSAGE "The sign-in of the portal “example” has expired"
static G_DEFINE_QUARK (test-provider-error-quark, test_provider_error)

static void
test_provider_get_credentials_async (WharfCredentialsProvider *provider,
                                     GCancellable             *cancellable,
                                     GAsyncReadyCallback       callback,
                                     gpointer                  user_data)
{
  TestProvider *self = TEST_PROVIDER (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  self->calls++;
  if (self->fail_domain != 0)
    g_task_return_new_error (task, self->fail_domain, self->fail_code, TEST_CAUSE_MESSAGE);
  else if (self->fail)
    g_task_return_new_error (task, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_PROFILE_NOT_FOUND,
                             "The profile “nowhere” does not exist");
  else
    g_task_return_pointer (task, wharf_credentials_new (TEST_ACCESS_KEY, TEST_SECRET, NULL, NULL),
                           (GDestroyNotify) wharf_credentials_unref);
}

static WharfCredentials *
test_provider_get_credentials_finish (WharfCredentialsProvider  *provider,
                                      GAsyncResult              *result,
                                      GError                   **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_provider_invalidate (WharfCredentialsProvider *provider)
{
  TEST_PROVIDER (provider)->invalidations++;
}

static void
test_provider_iface_init (WharfCredentialsProviderInterface *iface)
{
  iface->get_credentials_async = test_provider_get_credentials_async;
  iface->get_credentials_finish = test_provider_get_credentials_finish;
  iface->invalidate = test_provider_invalidate;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestProvider, test_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (WHARF_TYPE_CREDENTIALS_PROVIDER,
                                                      test_provider_iface_init))

static void
test_provider_class_init (TestProviderClass *klass)
{
}

static void
test_provider_init (TestProvider *self)
{
}

/* ---- the fake service ------------------------------------------------------------------- */

typedef struct
{
  guint      status;
  char      *body;
  GPtrArray *headers;  /* name, value, name, value … */
  gboolean   hang;     /* never answer */
  gboolean   chunked;  /* no Content-Length */
  gint64     clock_skew; /* seconds: answer RequestTimeTooSkewed unless X-Amz-Date is this far
                            ahead of our clock */
} Response;

typedef struct
{
  char      *method;
  char      *path;
  GPtrArray *headers;  /* name, value, … in wire order */
  char      *body;
  gboolean   signature_ok;
  char      *signature_error;
} Request;

typedef struct
{
  SoupServer      *server;
  char            *url;
  GQueue           responses;
  GPtrArray       *requests;
  WharfAwsClient  *client;
  GCancellable    *cancel_on_request;
  double           random;
  GCancellable    *cancel_on_backoff;

  /* the call in flight */
  gboolean         done;
  JsonObject      *result;
  GError          *error;
} Fixture;

static void
response_free (Response *r)
{
  g_free (r->body);
  g_clear_pointer (&r->headers, g_ptr_array_unref);
  g_free (r);
}

static void
request_free (Request *r)
{
  g_free (r->method);
  g_free (r->path);
  g_clear_pointer (&r->headers, g_ptr_array_unref);
  g_free (r->body);
  g_free (r->signature_error);
  g_free (r);
}

static Response *
add_response (Fixture    *f,
              guint       status,
              const char *body,
              ...)
{
  Response *r = g_new0 (Response, 1);
  va_list args;
  const char *name;

  r->status = status;
  r->body = g_strdup (body);
  r->headers = g_ptr_array_new_with_free_func (g_free);

  va_start (args, body);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      g_ptr_array_add (r->headers, g_strdup (name));
      g_ptr_array_add (r->headers, g_strdup (va_arg (args, const char *)));
    }
  va_end (args);

  g_queue_push_tail (&f->responses, r);
  return r;
}

static const char *
request_header (Request    *r,
                const char *name)
{
  for (guint i = 0; i + 1 < r->headers->len; i += 2)
    if (g_ascii_strcasecmp (g_ptr_array_index (r->headers, i), name) == 0)
      return g_ptr_array_index (r->headers, i + 1);
  return NULL;
}

static guint
request_header_count (Request    *r,
                      const char *name)
{
  guint n = 0;

  for (guint i = 0; i + 1 < r->headers->len; i += 2)
    if (g_ascii_strcasecmp (g_ptr_array_index (r->headers, i), name) == 0)
      n++;
  return n;
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *f = user_data;
  Request *r = g_new0 (Request, 1);
  g_autoptr(WharfSigv4Request) sreq = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeadersIter iter;
  SoupMessageHeaders *response_headers;
  SoupMessageBody *request_body;
  const char *name;
  const char *value;
  Response *response;

  r->method = g_strdup (soup_server_message_get_method (msg));
  r->path = g_strdup (g_uri_get_path (soup_server_message_get_uri (msg)));
  r->headers = g_ptr_array_new_with_free_func (g_free);

  sreq = wharf_sigv4_request_new (r->method, r->path, g_uri_get_query (soup_server_message_get_uri (msg)));
  soup_message_headers_iter_init (&iter, soup_server_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      g_ptr_array_add (r->headers, g_strdup (name));
      g_ptr_array_add (r->headers, g_strdup (value));
      wharf_sigv4_request_add_header (sreq, name, value);
    }

  request_body = soup_server_message_get_request_body (msg);
  body = soup_message_body_flatten (request_body);
  r->body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  wharf_sigv4_request_set_body (sreq, g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  r->signature_ok = wharf_sigv4_verify (sreq, TEST_SECRET, &error);
  if (!r->signature_ok)
    r->signature_error = g_strdup (error->message);

  g_ptr_array_add (f->requests, r);

  if (f->cancel_on_request != NULL)
    g_cancellable_cancel (f->cancel_on_request);

  /* Without a scripted answer: an empty success. */
  if (g_queue_is_empty (&f->responses))
    add_response (f, 200, "{}", NULL);
  response = g_queue_pop_head (&f->responses);

  if (response->hang)
    {
      soup_server_message_pause (msg);
      response_free (response);
      return;
    }

  response_headers = soup_server_message_get_response_headers (msg);

  if (response->clock_skew != 0)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) server_now = g_date_time_add_seconds (now, (double) response->clock_skew);
      g_autoptr(GDateTime) amz_date = NULL;
      g_autofree char *date = soup_date_time_to_string (server_now, SOUP_DATE_HTTP);
      const char *x_amz_date = request_header (r, "X-Amz-Date");

      amz_date = x_amz_date ? wharf_sigv4_parse_amz_date (x_amz_date, NULL) : NULL;
      soup_message_headers_replace (response_headers, "Date", date);

      if (!amz_date
          || ABS (g_date_time_difference (amz_date, server_now)) > 5 * G_TIME_SPAN_MINUTE)
        {
          soup_server_message_set_status (msg, 400, NULL);
          soup_message_headers_replace (response_headers, "x-amzn-RequestId", "skew-request");
          static const char skew_body[] = "{\"__type\":\"RequestTimeTooSkewed\",\"message\":"
                                          "\"Signature expired\"}";

          soup_server_message_set_response (msg, "application/x-amz-json-1.1", SOUP_MEMORY_COPY,
                                            skew_body, strlen (skew_body));
          response_free (response);
          return;
        }
    }

  for (guint i = 0; i + 1 < response->headers->len; i += 2)
    soup_message_headers_replace (response_headers, g_ptr_array_index (response->headers, i),
                                  g_ptr_array_index (response->headers, i + 1));
  soup_server_message_set_status (msg, response->status, NULL);
  if (response->body != NULL && response->chunked)
    {
      SoupMessageBody *response_body = soup_server_message_get_response_body (msg);
      gsize len = strlen (response->body);

      soup_message_headers_set_encoding (response_headers, SOUP_ENCODING_CHUNKED);
      soup_message_headers_replace (response_headers, "Content-Type", "application/x-amz-json-1.1");
      for (gsize i = 0; i < len; i += 100)
        soup_message_body_append (response_body, SOUP_MEMORY_COPY, response->body + i,
                                  MIN (100, len - i));
      soup_message_body_complete (response_body);
    }
  else if (response->body != NULL)
    soup_server_message_set_response (msg, "application/x-amz-json-1.1", SOUP_MEMORY_COPY,
                                      response->body, strlen (response->body));
  response_free (response);
}

static double
fixture_random (gpointer user_data)
{
  Fixture *f = user_data;

  /* Called when the backoff delay is chosen, just before it starts. */
  if (f->cancel_on_backoff != NULL)
    g_cancellable_cancel (f->cancel_on_backoff);

  return f->random;
}

static WharfAwsClient *
new_client (Fixture    *f,
            const char *endpoint)
{
  g_autoptr(WharfCredentials) credentials = NULL;
  g_autoptr(WharfCredentialsProvider) provider = NULL;
  g_autoptr(WharfAwsConfig) config = wharf_aws_config_new ();
  WharfAwsClient *client;

  credentials = wharf_credentials_new (TEST_ACCESS_KEY, TEST_SECRET, TEST_TOKEN, NULL);
  provider = wharf_static_credentials_provider_new (credentials);
  client = wharf_aws_client_new ("ecr", TARGET_PREFIX, "api.ecr", "us-east-1", provider);
  /* No profile files: every setting comes from the test. */
  wharf_aws_client_set_config (client, config);
  wharf_aws_client_set_endpoint (client, endpoint);
  wharf_aws_client_set_random_func (client, fixture_random, f);
  return client;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_queue_init (&f->responses);
  f->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  f->random = 0.0;

  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, server_cb, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (f->server);
  g_assert_nonnull (uris);
  f->url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  f->client = new_client (f, f->url);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->client);
  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_queue_clear_full (&f->responses, (GDestroyNotify) response_free);
  g_clear_pointer (&f->requests, g_ptr_array_unref);
  g_clear_pointer (&f->result, json_object_unref);
  g_clear_error (&f->error);
  g_clear_object (&f->cancel_on_request);
  g_clear_object (&f->cancel_on_backoff);
  g_free (f->url);

  /* Let closed connections finish. */
  wharf_test_drain_main_context ();
}

static void
call_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fixture *f = user_data;

  f->result = wharf_aws_client_call_finish (WHARF_AWS_CLIENT (object), result, &f->error);
  f->done = TRUE;
}

/* Iterates the main context until the call finishes, with a deadline. */
static void
run_call (Fixture      *f,
          const char   *operation,
          JsonObject   *input,
          GCancellable *cancellable)
{
  g_clear_pointer (&f->result, json_object_unref);
  g_clear_error (&f->error);
  f->done = FALSE;

  wharf_aws_client_call_async (f->client, operation, input, cancellable, call_cb, f);

  wharf_test_wait_for (f->done);
  g_assert_true ((!f->result) != (!f->error));
}

/* ---- what the server receives ----------------------------------------------------------- */

static void
test_request_shape (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JsonObject) input = json_object_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *expected_host = NULL;
  g_autoptr(GUri) uri = NULL;
  Request *r;
  JsonObject *sent;

  json_object_set_string_member (input, "repositoryName", "team/ünï \"quoted\"");
  json_object_set_int_member (input, "maxResults", 5);
  add_response (f, 200, "{\"repositories\":[{\"repositoryName\":\"a\"}]}",
                "x-amzn-RequestId", "req-shape-1", NULL);

  run_call (f, "DescribeRepositories", input, NULL);
  g_assert_no_error (f->error);
  g_assert_true (json_object_has_member (f->result, "repositories"));

  g_assert_cmpuint (f->requests->len, ==, 1);
  r = g_ptr_array_index (f->requests, 0);
  for (guint i = 0; i + 1 < r->headers->len; i += 2)
    if (g_ascii_strcasecmp (g_ptr_array_index (r->headers, i), "Authorization") != 0
        && g_ascii_strcasecmp (g_ptr_array_index (r->headers, i), "X-Amz-Security-Token") != 0)
      g_test_message ("received %s: %s", (char *) g_ptr_array_index (r->headers, i),
                      (char *) g_ptr_array_index (r->headers, i + 1));
  g_assert_cmpstr (r->method, ==, "POST");
  g_assert_cmpstr (r->path, ==, "/");
  g_assert_cmpstr (request_header (r, "X-Amz-Target"), ==,
                   TARGET_PREFIX ".DescribeRepositories");
  g_assert_cmpstr (request_header (r, "Content-Type"), ==, "application/x-amz-json-1.1");
  g_assert_cmpstr (request_header (r, "X-Amz-Security-Token"), ==, TEST_TOKEN);
  g_assert_true (g_str_has_prefix (request_header (r, "User-Agent"), "wharf/" PACKAGE_VERSION));

  /* Exactly one Host, with the port, and the signature verifies over what arrived. */
  uri = g_uri_parse (f->url, G_URI_FLAGS_NONE, NULL);
  expected_host = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uri));
  g_assert_cmpuint (request_header_count (r, "Host"), ==, 1);
  g_assert_cmpstr (request_header (r, "Host"), ==, expected_host);
  g_assert_cmpstr (r->signature_error, ==, NULL);
  g_assert_true (r->signature_ok);
  g_assert_nonnull (strstr (request_header (r, "Authorization"), "Credential=" TEST_ACCESS_KEY
                                                                 "/"));
  g_assert_nonnull (strstr (request_header (r, "Authorization"), "/us-east-1/ecr/aws4_request"));
  g_assert_nonnull (strstr (request_header (r, "Authorization"),
                            "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;"
                            "x-amz-target,"));

  /* The body is the input, as JSON. */
  g_assert_true (json_parser_load_from_data (parser, r->body, -1, NULL));
  sent = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (sent, "repositoryName"), ==,
                   "team/ünï \"quoted\"");
  g_assert_cmpint (json_object_get_int_member (sent, "maxResults"), ==, 5);
}

static void
test_request_empty_input (Fixture       *f,
                          gconstpointer  data)
{
  Request *r;

  run_call (f, "GetAuthorizationToken", NULL, NULL);
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->requests->len, ==, 1);
  r = g_ptr_array_index (f->requests, 0);
  g_assert_cmpstr (r->body, ==, "{}");
  g_assert_true (r->signature_ok);
}

static void
test_endpoint_with_path (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->url, "ecr-proxy/", NULL);
  Request *r;

  g_clear_object (&f->client);
  f->client = new_client (f, url);
  run_call (f, "ListImages", NULL, NULL);
  g_assert_no_error (f->error);
  r = g_ptr_array_index (f->requests, 0);
  g_assert_cmpstr (r->path, ==, "/ecr-proxy/");
  g_assert_true (r->signature_ok);
}

static void
test_success_bodies (Fixture       *f,
                     gconstpointer  data)
{
  /* An empty 200 is an empty result; anything but a JSON object is a protocol error. */
  add_response (f, 200, "", NULL);
  run_call (f, "DeleteLifecyclePolicy", NULL, NULL);
  g_assert_no_error (f->error);
  g_assert_cmpuint (json_object_get_size (f->result), ==, 0);

  add_response (f, 200, "[1, 2]", NULL);
  run_call (f, "DescribeImages", NULL, NULL);
  g_assert_error (f->error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_PROTOCOL);
  g_assert_cmpuint (wharf_aws_error_get_http_status (f->error), ==, 200);

  add_response (f, 200, "<html>hello</html>", NULL);
  run_call (f, "DescribeImages", NULL, NULL);
  g_assert_error (f->error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (f->error->message, "200"));

  add_response (f, 200, "{\"repositories\": [", NULL);
  run_call (f, "DescribeImages", NULL, NULL);
  g_assert_error (f->error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_PROTOCOL);

  /* None of these was retried. */
  g_assert_cmpuint (f->requests->len, ==, 4);
}

/* ---- error forms ------------------------------------------------------------------------ */

typedef struct
{
  guint       status;
  const char *error_type_header;
  const char *request_id_header;
  const char *request_id;
  const char *body;
  int         code;
  const char *aws_code;
  const char *message_part;
} ErrorCase;

static const ErrorCase error_cases[] = {
  { 400, NULL, "x-amzn-RequestId", "r-1",
    "{\"__type\":\"com.amazonaws.ecr#RepositoryNotFoundException\",\"message\":\"The repository with name 'x' does not exist in the registry with id '111122223333'\"}",
    WHARF_AWS_ERROR_NOT_FOUND, "RepositoryNotFoundException", "does not exist" },
  { 400, NULL, "x-amz-request-id", "r-2",
    "{\"__type\":\"RepositoryAlreadyExistsException\",\"Message\":\"The repository already exists\"}",
    WHARF_AWS_ERROR_ALREADY_EXISTS, "RepositoryAlreadyExistsException", "already exists" },
  { 400, NULL, NULL, NULL,
    "{\"__type\":\"aws.protocols#ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/\",\"errorMessage\":\"1 validation error detected\"}",
    WHARF_AWS_ERROR_VALIDATION, "ValidationException", "1 validation error" },
  { 403, "AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/", "x-amzn-RequestId", "r-4",
    "",
    WHARF_AWS_ERROR_ACCESS_DENIED, "AccessDeniedException", NULL },
  { 403, "AccessDeniedException", NULL, NULL,
    "{\"Message\":\"User: arn:aws:iam::111122223333:user/x is not authorized to perform: ecr:CreateRepository\"}",
    WHARF_AWS_ERROR_ACCESS_DENIED, "AccessDeniedException", "not authorized" },
  { 400, NULL, NULL, NULL, "{\"__type\":\"UnrecognizedClientException\",\"message\":\"The security token included in the request is invalid.\"}",
    WHARF_AWS_ERROR_INVALID_CREDENTIALS, "UnrecognizedClientException", "security token" },
  { 403, NULL, NULL, NULL, "{\"__type\":\"InvalidSignatureException\",\"message\":\"The request signature we calculated does not match\"}",
    WHARF_AWS_ERROR_INVALID_CREDENTIALS, "InvalidSignatureException", "does not match" },
  { 403, NULL, NULL, NULL, "{\"__type\":\"MissingAuthenticationTokenException\",\"message\":\"Missing Authentication Token\"}",
    WHARF_AWS_ERROR_INVALID_CREDENTIALS, "MissingAuthenticationTokenException", NULL },
  { 400, NULL, NULL, NULL, "{\"__type\":\"ExpiredTokenException\",\"message\":\"The security token included in the request is expired\"}",
    WHARF_AWS_ERROR_EXPIRED_CREDENTIALS, "ExpiredTokenException", "expired" },
  { 400, NULL, NULL, NULL, "{\"__type\":\"com.amazonaws.ecr#ImageNotFoundException\",\"message\":\"gone\"}",
    WHARF_AWS_ERROR_NOT_FOUND, "ImageNotFoundException", "gone" },
  { 400, NULL, NULL, NULL, "{\"__type\":\"LifecyclePolicyNotFoundException\"}",
    WHARF_AWS_ERROR_NOT_FOUND, "LifecyclePolicyNotFoundException", "LifecyclePolicyNotFoundException" },
  { 400, NULL, NULL, NULL, "{\"__type\":\"RepositoryNotEmptyException\",\"message\":\"contains images\"}",
    WHARF_AWS_ERROR_CONFLICT, "RepositoryNotEmptyException", "contains images" },
  { 400, NULL, NULL, NULL, "{\"__type\":\"ImageTagAlreadyExistsException\",\"message\":\"immutable\"}",
    WHARF_AWS_ERROR_CONFLICT, "ImageTagAlreadyExistsException", "immutable" },
  { 400, NULL, NULL, NULL, "{\"__type\":\"TooManyTagsException\",\"message\":\"50\"}",
    WHARF_AWS_ERROR_LIMIT_EXCEEDED, "TooManyTagsException", NULL },
  { 400, NULL, NULL, NULL, "{\"__type\":\"InvalidTagParameterException\",\"message\":\"bad tag\"}",
    WHARF_AWS_ERROR_VALIDATION, "InvalidTagParameterException", "bad tag" },
  { 400, NULL, NULL, NULL, "{\"__type\":\"SerializationException\"}",
    WHARF_AWS_ERROR_VALIDATION, "SerializationException", NULL },
  { 400, NULL, NULL, NULL, "{\"__type\":\"KmsException\",\"message\":\"KMS said no\",\"kmsError\":\"x\"}",
    WHARF_AWS_ERROR_FAILED, "KmsException", "KMS said no" },
  { 501, NULL, NULL, NULL, "{\"__type\":\"NotImplemented\",\"message\":\"nope\"}",
    WHARF_AWS_ERROR_SERVER, "NotImplemented", "nope" },
  /* A proxy's page, a cut-off body, nothing at all. */
  { 502, NULL, NULL, NULL, "<html><body><h1>502 Bad Gateway</h1></body></html>",
    WHARF_AWS_ERROR_PROTOCOL, NULL, "502" },
  { 400, NULL, NULL, NULL, "{\"__type\":\"RepositoryNotFoundExc",
    WHARF_AWS_ERROR_PROTOCOL, NULL, "400" },
  { 400, NULL, "x-amzn-RequestId", "r-empty", "",
    WHARF_AWS_ERROR_PROTOCOL, NULL, "400" },
  { 404, NULL, NULL, NULL, "",
    WHARF_AWS_ERROR_NOT_FOUND, NULL, "404" },
  { 400, NULL, NULL, NULL, "\"just a string\"",
    WHARF_AWS_ERROR_PROTOCOL, NULL, "400" },
};

static void
test_error_forms (Fixture       *f,
                  gconstpointer  data)
{
  /* One attempt each: the retry rules have their own tests. */
  wharf_aws_client_set_max_attempts (f->client, 1);

  for (gsize i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      const ErrorCase *c = &error_cases[i];
      Response *r;

      g_test_message ("error case %" G_GSIZE_FORMAT ": %u %s", i, c->status, c->body);
      r = add_response (f, c->status, c->body, NULL);
      if (c->error_type_header != NULL)
        {
          g_ptr_array_add (r->headers, g_strdup ("x-amzn-ErrorType"));
          g_ptr_array_add (r->headers, g_strdup (c->error_type_header));
        }
      if (c->request_id_header != NULL)
        {
          g_ptr_array_add (r->headers, g_strdup (c->request_id_header));
          g_ptr_array_add (r->headers, g_strdup (c->request_id));
        }

      run_call (f, "CreateRepository", NULL, NULL);
      g_assert_error (f->error, WHARF_AWS_ERROR, c->code);
      g_assert_cmpstr (wharf_aws_error_get_aws_code (f->error), ==, c->aws_code);
      g_assert_cmpuint (wharf_aws_error_get_http_status (f->error), ==, c->status);
      g_assert_cmpstr (wharf_aws_error_get_request_id (f->error), ==, c->request_id);
      if (c->message_part != NULL)
        g_assert_nonnull (strstr (f->error->message, c->message_part));
      g_assert_cmpstr (f->error->message, !=, "");
    }

  g_assert_cmpuint (f->requests->len, ==, G_N_ELEMENTS (error_cases));
}

static void
test_error_copy_keeps_details (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");

  static const char body[] = "{\"__type\":\"a.b#ScanNotFoundException\",\"message\":\"no scan\"}";

  error = wharf_aws_error_from_response (400, NULL, "req-9", body, strlen (body));
  copy = g_error_copy (error);
  g_assert_error (copy, WHARF_AWS_ERROR, WHARF_AWS_ERROR_NOT_FOUND);
  g_assert_cmpstr (wharf_aws_error_get_aws_code (copy), ==, "ScanNotFoundException");
  g_assert_cmpstr (wharf_aws_error_get_aws_message (copy), ==, "no scan");
  g_assert_cmpstr (wharf_aws_error_get_request_id (copy), ==, "req-9");
  g_assert_cmpuint (wharf_aws_error_get_http_status (copy), ==, 400);

  g_assert_null (wharf_aws_error_get_aws_code (other));
  g_assert_cmpuint (wharf_aws_error_get_http_status (other), ==, 0);
  g_assert_null (wharf_aws_error_get_aws_code (NULL));
}

/* Header bytes are not UTF-8 by contract; nothing of them may reach a message as is. */
static void
test_error_invalid_utf8_headers (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  static const char body[] = "{\"message\":\"bad\"}";

  error = wharf_aws_error_from_response (400, "ns#Validation\xa8\xa0" "Exception",
                                         "req-\xff\xfe" "1",
                                         body, strlen (body));
  g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_FAILED);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpstr (wharf_aws_error_get_aws_code (error), ==,
                   "Validation\xef\xbf\xbd\xef\xbf\xbd" "Exception");
  g_assert_cmpstr (wharf_aws_error_get_request_id (error), ==,
                   "req-\xef\xbf\xbd\xef\xbf\xbd" "1");
  g_assert_nonnull (strstr (error->message, "Validation\xef\xbf\xbd"));
  g_clear_error (&error);

  /* No body: the request id alone. */
  error = wharf_aws_error_from_response (503, NULL, "\xc3", NULL, 0);
  g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_SERVER);
  g_assert_cmpstr (wharf_aws_error_get_request_id (error), ==, "\xef\xbf\xbd");

  code = wharf_aws_error_normalize_code ("\x80" "Throttling");
  g_assert_cmpstr (code, ==, "\xef\xbf\xbd" "Throttling");
}

static void
test_normalize_code (void)
{
  static const char * const cases[][2] = {
    { "ThrottlingException", "ThrottlingException" },
    { "com.amazonaws.ecr#RepositoryNotFoundException", "RepositoryNotFoundException" },
    { "aws.protocols#AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/",
      "AccessDeniedException" },
    { "AccessDeniedException:http://internal.amazon.com/coral/com.amazon#x/", "AccessDeniedException" },
    { " ValidationException ", "ValidationException" },
    { "", NULL },
    { "ns#", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *code = wharf_aws_error_normalize_code (cases[i][0]);

      g_assert_cmpstr (code, ==, cases[i][1]);
    }

  g_assert_null (wharf_aws_error_normalize_code (NULL));
}

static void
test_code_table (void)
{
  static const char * const throttled[] = {
    "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded", "Throttling",
    "ProvisionedThroughputExceededException", "SlowDown",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (throttled); i++)
    {
      g_assert_cmpint (wharf_aws_error_code_from_aws (throttled[i], 400), ==,
                       WHARF_AWS_ERROR_THROTTLED);
      g_assert_true (wharf_aws_error_code_is_throttling (throttled[i]));
    }

  g_assert_cmpint (wharf_aws_error_code_from_aws ("LimitExceededException", 400), ==,
                   WHARF_AWS_ERROR_LIMIT_EXCEEDED);
  g_assert_cmpint (wharf_aws_error_code_from_aws ("InvalidClientTokenId", 403), ==,
                   WHARF_AWS_ERROR_INVALID_CREDENTIALS);
  g_assert_cmpint (wharf_aws_error_code_from_aws ("ExpiredToken", 403), ==,
                   WHARF_AWS_ERROR_EXPIRED_CREDENTIALS);
  g_assert_cmpint (wharf_aws_error_code_from_aws ("RequestExpired", 400), ==,
                   WHARF_AWS_ERROR_EXPIRED_CREDENTIALS);
  g_assert_cmpint (wharf_aws_error_code_from_aws ("RepositoryPolicyNotFoundException", 400), ==,
                   WHARF_AWS_ERROR_NOT_FOUND);
  g_assert_cmpint (wharf_aws_error_code_from_aws ("LifecyclePolicyPreviewNotFoundException", 400),
                   ==, WHARF_AWS_ERROR_NOT_FOUND);
  g_assert_cmpint (wharf_aws_error_code_from_aws ("ImageAlreadyExistsException", 400), ==,
                   WHARF_AWS_ERROR_ALREADY_EXISTS);
  g_assert_cmpint (wharf_aws_error_code_from_aws ("InvalidLayerPartException", 400), ==,
                   WHARF_AWS_ERROR_VALIDATION);
  g_assert_cmpint (wharf_aws_error_code_from_aws ("InternalFailure", 500), ==,
                   WHARF_AWS_ERROR_SERVER);
  g_assert_cmpint (wharf_aws_error_code_from_aws ("SomethingNew", 400), ==,
                   WHARF_AWS_ERROR_FAILED);
  g_assert_true (wharf_aws_error_code_is_transient ("RequestTimeoutException"));
  g_assert_false (wharf_aws_error_code_is_transient ("ValidationException"));
}

/* ---- retries ---------------------------------------------------------------------------- */

static void
test_retry_delay (void)
{
  g_assert_cmpuint (wharf_aws_retry_delay_ms (1, 0.0), ==, 0);
  g_assert_cmpuint (wharf_aws_retry_delay_ms (1, 0.5), ==, 500);
  g_assert_cmpuint (wharf_aws_retry_delay_ms (2, 0.5), ==, 1000);
  g_assert_cmpuint (wharf_aws_retry_delay_ms (3, 0.5), ==, 2000);
  g_assert_cmpuint (wharf_aws_retry_delay_ms (5, 1.0), ==, 16000);
  g_assert_cmpuint (wharf_aws_retry_delay_ms (6, 1.0), ==, 20000);
  g_assert_cmpuint (wharf_aws_retry_delay_ms (60, 0.9), ==, 20000);
}

static void
test_retry_throttling (Fixture       *f,
                       gconstpointer  data)
{
  add_response (f, 400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}", NULL);
  add_response (f, 200, "{\"ok\":true}", NULL);

  run_call (f, "DescribeRepositories", NULL, NULL);
  g_assert_no_error (f->error);
  g_assert_true (json_object_get_boolean_member (f->result, "ok"));
  g_assert_cmpuint (f->requests->len, ==, 2);
  /* The retry's cost came back with the success. */
  g_assert_cmpuint (wharf_aws_client_get_retry_quota (f->client), ==,
                    WHARF_AWS_RETRY_QUOTA_INITIAL);
  /* Each attempt was signed on its own. */
  g_assert_true (((Request *) g_ptr_array_index (f->requests, 1))->signature_ok);
}

static void
test_retry_throttling_header_only (Fixture       *f,
                                   gconstpointer  data)
{
  add_response (f, 429, "", "x-amzn-ErrorType", "TooManyRequestsException:http://x/", NULL);
  add_response (f, 200, "{}", NULL);

  run_call (f, "DescribeRepositories", NULL, NULL);
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->requests->len, ==, 2);
}

static void
test_retry_503 (Fixture       *f,
                gconstpointer  data)
{
  add_response (f, 503, "<html>Service Unavailable</html>", NULL);
  add_response (f, 200, "{\"ok\":true}", NULL);

  run_call (f, "DescribeRepositories", NULL, NULL);
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->requests->len, ==, 2);
}

static void
test_retry_500_exhausts (Fixture       *f,
                         gconstpointer  data)
{
  for (int i = 0; i < 5; i++)
    add_response (f, 500, "{\"__type\":\"ServerException\",\"message\":\"boom\"}", NULL);

  run_call (f, "DescribeRepositories", NULL, NULL);
  g_assert_error (f->error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_SERVER);
  g_assert_cmpstr (wharf_aws_error_get_aws_code (f->error), ==, "ServerException");
  g_assert_cmpuint (wharf_aws_error_get_http_status (f->error), ==, 500);
  /* The default: three attempts in all. */
  g_assert_cmpuint (f->requests->len, ==, 3);
  g_assert_cmpuint (wharf_aws_client_get_retry_quota (f->client), ==,
                    WHARF_AWS_RETRY_QUOTA_INITIAL - 2 * WHARF_AWS_RETRY_COST);

  /* An explicit setting wins. */
  g_ptr_array_set_size (f->requests, 0);
  for (int i = 0; i < 5; i++)
    add_response (f, 500, "{\"__type\":\"ServerException\",\"message\":\"boom\"}", NULL);
  wharf_aws_client_set_max_attempts (f->client, 5);
  run_call (f, "DescribeRepositories", NULL, NULL);
  g_assert_error (f->error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_SERVER);
  g_assert_cmpuint (f->requests->len, ==, 5);
}

static void
test_retry_never_4xx (Fixture       *f,
                      gconstpointer  data)
{
  add_response (f, 400, "{\"__type\":\"InvalidParameterException\",\"message\":\"bad name\"}", NULL);
  add_response (f, 200, "{}", NULL);

  run_call (f, "CreateRepository", NULL, NULL);
  g_assert_error (f->error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_VALIDATION);
  g_assert_cmpuint (f->requests->len, ==, 1);
  /* The success queued for a retry was never asked for. */
  g_assert_cmpuint (g_queue_get_length (&f->responses), ==, 1);
  g_queue_clear_full (&f->responses, (GDestroyNotify) response_free);

  add_response (f, 403, "{\"__type\":\"AccessDeniedException\",\"message\":\"no\"}", NULL);
  run_call (f, "CreateRepository", NULL, NULL);
  g_assert_error (f->error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_ACCESS_DENIED);
  g_assert_cmpuint (f->requests->len, ==, 2);
}

static void
test_retry_quota (Fixture       *f,
                  gconstpointer  data)
{
  /* Not enough tokens for a retry: the throttling error comes back at once. */
  wharf_aws_client_set_retry_quota (f->client, WHARF_AWS_RETRY_COST - 1);
  add_response (f, 400, "{\"__type\":\"ThrottlingException\"}", NULL);
  add_response (f, 200, "{}", NULL);

  run_call (f, "DescribeRepositories", NULL, NULL);
  g_assert_error (f->error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_THROTTLED);
  g_assert_cmpuint (f->requests->len, ==, 1);

  /* A success without retries gives one token back. */
  run_call (f, "DescribeRepositories", NULL, NULL);
  g_assert_no_error (f->error);
  g_assert_cmpuint (wharf_aws_client_get_retry_quota (f->client), ==, WHARF_AWS_RETRY_COST);
}

/* A server that accepts connections and closes them at once. */
typedef struct
{
  GSocketService *service;
  guint           connections;
  char           *url;
} ClosingServer;

static gboolean
closing_incoming_cb (GSocketService    *service,
                     GSocketConnection *connection,
                     GObject           *source,
                     gpointer           user_data)
{
  ClosingServer *s = user_data;
  GSocket *socket = g_socket_connection_get_socket (connection);
  struct linger linger = { 1, 0 };

  s->connections++;
  /* SO_LINGER 0: close with a reset, like a crashing proxy. */
  setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
  g_socket_close (socket, NULL);
  return TRUE;
}

static void
closing_server_start (ClosingServer *s)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  s->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (s->service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  g_signal_connect (s->service, "incoming", G_CALLBACK (closing_incoming_cb), s);
  g_socket_service_start (s->service);
  s->url = g_strdup_printf ("http://127.0.0.1:%u",
                            g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));
}

static void
closing_server_stop (ClosingServer *s)
{
  g_socket_service_stop (s->service);
  g_socket_listener_close (G_SOCKET_LISTENER (s->service));
  g_clear_object (&s->service);
  g_free (s->url);
}

static void
test_retry_connection_reset (Fixture       *f,
                             gconstpointer  data)
{
  ClosingServer s = { 0 };

  closing_server_start (&s);

  /* AWS_MAX_ATTEMPTS is read when the client is made. */
  g_setenv ("AWS_MAX_ATTEMPTS", "4", TRUE);
  g_clear_object (&f->client);
  f->client = new_client (f, s.url);
  g_unsetenv ("AWS_MAX_ATTEMPTS");
  g_assert_cmpuint (wharf_aws_client_get_max_attempts (f->client), ==, 4);

  run_call (f, "DescribeRepositories", NULL, NULL);
  g_assert_error (f->error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_NETWORK);
  g_assert_cmpuint (wharf_aws_error_get_http_status (f->error), ==, 0);
  g_assert_cmpuint (s.connections, ==, 4);

  closing_server_stop (&s);
}

static void
test_retry_connection_refused (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *url = NULL;

  /* A port that was free a moment ago and has nobody listening. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_assert_true (g_socket_bind (socket, address, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  url = g_strdup_printf ("http://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  g_clear_object (&f->client);
  f->client = new_client (f, url);
  wharf_aws_client_set_max_attempts (f->client, 2);
  run_call (f, "DescribeRepositories", NULL, NULL);
  g_assert_error (f->error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_NETWORK);
  /* Two attempts: one retry paid for. */
  g_assert_cmpuint (wharf_aws_client_get_retry_quota (f->client), ==,
                    WHARF_AWS_RETRY_QUOTA_INITIAL - WHARF_AWS_RETRY_COST);
}

/* ---- cancellation and timeouts ---------------------------------------------------------- */

static void
test_cancel_during_backoff (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  /* A delay of most of a second, cancelled as it starts; the queued success must never be
   * fetched. */
  f->random = 0.99;
  f->cancel_on_backoff = g_object_ref (cancellable);
  add_response (f, 503, "{\"__type\":\"ServiceUnavailableException\"}", NULL);
  add_response (f, 200, "{}", NULL);

  run_call (f, "DescribeRepositories", NULL, cancellable);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->requests->len, ==, 1);

  /* Nothing is left running: the delay's timeout went with the call. */
  wharf_test_drain_main_context ();
  g_assert_cmpuint (f->requests->len, ==, 1);
}

static void
test_cancel_during_request (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Response *r;

  /* The server gets the request, never answers, and the caller gives up meanwhile. */
  r = add_response (f, 200, "{}", NULL);
  r->hang = TRUE;
  f->cancel_on_request = g_object_ref (cancellable);

  run_call (f, "DescribeRepositories", NULL, cancellable);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->requests->len, ==, 1);
}

static void
test_cancel_before (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_cancellable_cancel (cancellable);
  run_call (f, "DescribeRepositories", NULL, cancellable);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->requests->len, ==, 0);
}

static void
test_request_timeout (Fixture       *f,
                      gconstpointer  data)
{
  Response *r;

  r = add_response (f, 200, "{}", NULL);
  r->hang = TRUE;
  r = add_response (f, 200, "{}", NULL);
  r->hang = TRUE;

  wharf_aws_client_set_request_timeout_ms (f->client, 200);
  wharf_aws_client_set_max_attempts (f->client, 2);

  run_call (f, "DescribeRepositories", NULL, NULL);
  g_assert_error (f->error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_TIMEOUT);
  /* Timeouts are retried, at the higher cost. */
  g_assert_cmpuint (f->requests->len, ==, 2);
  g_assert_cmpuint (wharf_aws_client_get_retry_quota (f->client), ==,
                    WHARF_AWS_RETRY_QUOTA_INITIAL - WHARF_AWS_RETRY_TIMEOUT_COST);
}

static void
test_timeout_then_success (Fixture       *f,
                           gconstpointer  data)
{
  Response *r;

  r = add_response (f, 200, "{}", NULL);
  r->hang = TRUE;
  add_response (f, 200, "{\"second\":1}", NULL);
  wharf_aws_client_set_request_timeout_ms (f->client, 200);

  run_call (f, "DescribeRepositories", NULL, NULL);
  g_assert_no_error (f->error);
  g_assert_true (json_object_has_member (f->result, "second"));
}

/* ---- clock skew ------------------------------------------------------------------------- */

static void
test_clock_skew (Fixture       *f,
                 gconstpointer  data)
{
  Response *r;

  /* The server's clock is an hour ahead; only one attempt is allowed, and the correction
   * must not use it up. */
  wharf_aws_client_set_max_attempts (f->client, 1);
  r = add_response (f, 200, "{\"ok\":true}", NULL);
  r->clock_skew = 3600;
  r = add_response (f, 200, "{\"ok\":true}", NULL);
  r->clock_skew = 3600;

  run_call (f, "DescribeRepositories", NULL, NULL);
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->requests->len, ==, 2);
  g_assert_cmpint (ABS (wharf_aws_client_get_clock_offset (f->client) - 3600), <=, 5);
  g_assert_true (((Request *) g_ptr_array_index (f->requests, 1))->signature_ok);

  /* The next call uses the corrected clock straight away. */
  r = add_response (f, 200, "{}", NULL);
  r->clock_skew = 3600;
  run_call (f, "DescribeRepositories", NULL, NULL);
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->requests->len, ==, 3);
}

static void
test_clock_skew_only_once (Fixture       *f,
                           gconstpointer  data)
{
  /* A skew error while the Date agrees with us is not a clock problem: no correction. */
  add_response (f, 400, "{\"__type\":\"InvalidSignatureException\",\"message\":\"Signature expired: 20200101T000000Z is now earlier than ...\"}",
                NULL);
  run_call (f, "DescribeRepositories", NULL, NULL);
  g_assert_error (f->error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_CREDENTIALS);
  g_assert_cmpuint (f->requests->len, ==, 1);
  g_assert_cmpint (wharf_aws_client_get_clock_offset (f->client), ==, 0);
}

/* ---- configuration ---------------------------------------------------------------------- */

static void
test_insecure_endpoint (Fixture       *f,
                        gconstpointer  data)
{
  g_clear_object (&f->client);
  f->client = new_client (f, "http://ecr.example.com:8080");
  g_assert_null (wharf_aws_client_get_endpoint (f->client));

  run_call (f, "DescribeRepositories", NULL, NULL);
  g_assert_error (f->error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INSECURE_ENDPOINT);
  g_assert_cmpuint (f->requests->len, ==, 0);
}

static void
test_invalid_region (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(WharfCredentials) credentials = wharf_credentials_new (TEST_ACCESS_KEY, TEST_SECRET,
                                                                   NULL, NULL);
  g_autoptr(WharfCredentialsProvider) provider = wharf_static_credentials_provider_new (credentials);
  g_autoptr(WharfAwsConfig) config = wharf_aws_config_new ();

  g_clear_object (&f->client);
  f->client = wharf_aws_client_new ("ecr", TARGET_PREFIX, "api.ecr", "us-east-1.evil.example/",
                                    provider);
  wharf_aws_client_set_config (f->client, config);
  run_call (f, "DescribeRepositories", NULL, NULL);
  g_assert_error (f->error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_REGION);
  g_assert_cmpuint (f->requests->len, ==, 0);
}

static void
test_profile_settings (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(WharfCredentials) credentials = wharf_credentials_new (TEST_ACCESS_KEY, TEST_SECRET,
                                                                   NULL, NULL);
  g_autoptr(WharfCredentialsProvider) provider = wharf_static_credentials_provider_new (credentials);
  g_autoptr(WharfAwsConfig) config = wharf_aws_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  wharf_test_clear_aws_env ();

  text = g_strdup_printf ("[default]\n"
                          "region = eu-west-1\n"
                          "max_attempts = 5\n"
                          "\n"
                          "[profile fips]\n"
                          "region = us-gov-west-1\n"
                          "use_fips_endpoint = true\n"
                          "\n"
                          "[profile local]\n"
                          "region = ap-south-1\n"
                          "endpoint_url = https://global.example\n"
                          "services = local-services\n"
                          "\n"
                          "[services local-services]\n"
                          "ecr =\n"
                          "  endpoint_url = %s\n",
                          f->url);
  g_assert_true (wharf_aws_config_load_data (config, text, -1, WHARF_AWS_CONFIG_FILE_CONFIG,
                                             "test", &error));
  g_assert_no_error (error);

  g_clear_object (&f->client);
  f->client = wharf_aws_client_new ("ecr", TARGET_PREFIX, "api.ecr", NULL, provider);
  wharf_aws_client_set_config (f->client, config);
  g_assert_cmpstr (wharf_aws_client_get_region (f->client), ==, "eu-west-1");
  g_assert_cmpstr (wharf_aws_client_get_endpoint (f->client), ==,
                   "https://api.ecr.eu-west-1.amazonaws.com");
  g_assert_cmpuint (wharf_aws_client_get_max_attempts (f->client), ==, 5);

  /* The environment beats the profile. */
  g_setenv ("AWS_REGION", "cn-north-1", TRUE);
  g_setenv ("AWS_MAX_ATTEMPTS", "2", TRUE);
  wharf_aws_client_set_config (f->client, config);
  g_assert_cmpstr (wharf_aws_client_get_region (f->client), ==, "cn-north-1");
  g_assert_cmpstr (wharf_aws_client_get_endpoint (f->client), ==,
                   "https://api.ecr.cn-north-1.amazonaws.com.cn");
  g_assert_cmpuint (wharf_aws_client_get_max_attempts (f->client), ==, 2);
  g_unsetenv ("AWS_REGION");
  g_unsetenv ("AWS_MAX_ATTEMPTS");

  wharf_aws_client_set_profile (f->client, "fips");
  g_assert_cmpstr (wharf_aws_client_get_endpoint (f->client), ==,
                   "https://api.ecr-fips.us-gov-west-1.amazonaws.com");

  /* The services section beats the profile's endpoint_url, and is used for real. */
  wharf_aws_client_set_profile (f->client, "local");
  g_assert_cmpstr (wharf_aws_client_get_region (f->client), ==, "ap-south-1");
  g_assert_true (g_str_has_prefix (f->url, wharf_aws_client_get_endpoint (f->client)));
  run_call (f, "DescribeRepositories", NULL, NULL);
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->requests->len, ==, 1);
  g_assert_nonnull (strstr (request_header (g_ptr_array_index (f->requests, 0), "Authorization"),
                            "/ap-south-1/ecr/aws4_request"));

  /* AWS_ENDPOINT_URL beats the services section; AWS_ENDPOINT_URL_ECR beats both. */
  g_setenv ("AWS_ENDPOINT_URL", "https://env-global.example", TRUE);
  wharf_aws_client_set_config (f->client, config);
  g_assert_cmpstr (wharf_aws_client_get_endpoint (f->client), ==, "https://env-global.example");
  g_setenv ("AWS_ENDPOINT_URL_ECR", "https://env-ecr.example/", TRUE);
  wharf_aws_client_set_config (f->client, config);
  g_assert_cmpstr (wharf_aws_client_get_endpoint (f->client), ==, "https://env-ecr.example");

  /* An explicit endpoint beats everything. */
  wharf_aws_client_set_endpoint (f->client, "https://explicit.example");
  g_assert_cmpstr (wharf_aws_client_get_endpoint (f->client), ==, "https://explicit.example");

  g_unsetenv ("AWS_ENDPOINT_URL");
  g_unsetenv ("AWS_ENDPOINT_URL_ECR");
}

static void
use_test_provider (Fixture      *f,
                   TestProvider *provider)
{
  g_autoptr(WharfAwsConfig) config = wharf_aws_config_new ();

  g_clear_object (&f->client);
  f->client = wharf_aws_client_new ("ecr", TARGET_PREFIX, "api.ecr", "eu-north-1",
                                    WHARF_CREDENTIALS_PROVIDER (provider));
  wharf_aws_client_set_config (f->client, config);
  wharf_aws_client_set_endpoint (f->client, f->url);
  wharf_aws_client_set_random_func (f->client, fixture_random, f);
}

static void
test_credentials_each_attempt (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(TestProvider) provider = g_object_new (TEST_TYPE_PROVIDER, NULL);

  use_test_provider (f, provider);
  add_response (f, 503, "", NULL);
  add_response (f, 200, "{}", NULL);
  run_call (f, "DescribeRepositories", NULL, NULL);
  g_assert_no_error (f->error);
  g_assert_cmpuint (provider->calls, ==, 2);
  /* Keys without a session token: no token header at all. */
  g_assert_null (request_header (g_ptr_array_index (f->requests, 1), "X-Amz-Security-Token"));
  g_assert_true (((Request *) g_ptr_array_index (f->requests, 1))->signature_ok);

  /* An expired token makes the provider fetch fresh credentials next time. */
  add_response (f, 400, "{\"__type\":\"ExpiredTokenException\",\"message\":\"expired\"}", NULL);
  run_call (f, "DescribeRepositories", NULL, NULL);
  g_assert_error (f->error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_EXPIRED_CREDENTIALS);
  g_assert_cmpuint (provider->invalidations, ==, 1);
}

static void
test_credentials_unavailable (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(TestProvider) provider = g_object_new (TEST_TYPE_PROVIDER, NULL);

  provider->fail = TRUE;
  use_test_provider (f, provider);
  run_call (f, "DescribeRepositories", NULL, NULL);
  g_assert_error (f->error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_CREDENTIALS_UNAVAILABLE);
  g_assert_nonnull (strstr (f->error->message, "nowhere"));
  g_assert_cmpuint (f->requests->len, ==, 0);
}

/* The provider's own error survives as the cause, copies included. */
static void
test_credentials_cause (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(TestProvider) provider = g_object_new (TEST_TYPE_PROVIDER, NULL);
  g_autoptr(GError) copy = NULL;
  const GError *cause;

  provider->fail_domain = test_provider_error_quark ();
  provider->fail_code = 42;
  use_test_provider (f, provider);
  run_call (f, "DescribeRepositories", NULL, NULL);
  g_assert_error (f->error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_CREDENTIALS_UNAVAILABLE);
  g_assert_cmpstr (f->error->message, ==, TEST_CAUSE_MESSAGE);
  g_assert_cmpuint (f->requests->len, ==, 0);

  cause = wharf_aws_error_get_cause (f->error);
  g_assert_nonnull (cause);
  g_assert_error (cause, test_provider_error_quark (), 42);
  g_assert_cmpstr (cause->message, ==, TEST_CAUSE_MESSAGE);
  g_assert_null (wharf_aws_error_get_cause (cause));

  copy = g_error_copy (f->error);
  g_assert_true (wharf_aws_error_get_cause (copy) != cause);
  g_assert_error (wharf_aws_error_get_cause (copy), test_provider_error_quark (), 42);
  g_assert_cmpstr (wharf_aws_error_get_cause (copy)->message, ==, TEST_CAUSE_MESSAGE);

  /* Errors of the service itself, and of other domains, have none. */
  g_clear_error (&f->error);
  provider->fail_domain = 0;
  add_response (f, 400, "{\"__type\":\"ExpiredTokenException\",\"message\":\"expired\"}", NULL);
  run_call (f, "DescribeRepositories", NULL, NULL);
  g_assert_error (f->error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_EXPIRED_CREDENTIALS);
  g_assert_null (wharf_aws_error_get_cause (f->error));
}

/* A refusal records where the request went: what explains it needs the operation, the
 * region and an overridden endpoint. */
static void
test_error_context (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) copy = NULL;

  wharf_aws_client_set_max_attempts (f->client, 1);
  add_response (f, 400, "{\"__type\":\"AccessDeniedException\",\"message\":\"no\"}", NULL);
  run_call (f, "DescribeImages", NULL, NULL);
  g_assert_error (f->error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_ACCESS_DENIED);
  g_assert_cmpstr (wharf_aws_error_get_operation (f->error), ==, "DescribeImages");
  g_assert_cmpstr (wharf_aws_error_get_region (f->error), ==, "us-east-1");
  /* The fixture's client talks to a local server: an override. */
  g_assert_true (g_str_has_prefix (f->url, wharf_aws_error_get_endpoint (f->error)));

  copy = g_error_copy (f->error);
  g_assert_cmpstr (wharf_aws_error_get_operation (copy), ==, "DescribeImages");
  g_assert_cmpstr (wharf_aws_error_get_endpoint (copy), ==,
                   wharf_aws_error_get_endpoint (f->error));

  /* Errors without a response carry it too. */
  g_clear_error (&f->error);
  add_response (f, 500, "{\"__type\":\"ServerException\"}", NULL);
  run_call (f, "ListImages", NULL, NULL);
  g_assert_error (f->error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_SERVER);
  g_assert_cmpstr (wharf_aws_error_get_operation (f->error), ==, "ListImages");

  /* Only in WHARF_AWS_ERROR. */
  wharf_aws_error_set_context (NULL, "X", NULL, NULL);
  g_assert_null (wharf_aws_error_get_operation (NULL));
}

/* An unknown host keeps the resolver's error as the cause. */
static void
test_transport_error_cause (void)
{
  GError *resolver = g_error_new_literal (G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                                          "Error resolving “api.ecr.xx-east-9.amazonaws.com”");
  g_autoptr(GError) error = wharf_aws_http_transport_error (resolver,
                                                            "api.ecr.xx-east-9.amazonaws.com",
                                                            FALSE);
  const GError *cause = wharf_aws_error_get_cause (error);

  g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "api.ecr.xx-east-9.amazonaws.com"));
  g_assert_error (cause, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND);
}

static void
test_response_too_large (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GString) big = g_string_new ("{\"padding\":\"");
  Response *r;

  for (int i = 0; i < 4096; i++)
    g_string_append_c (big, 'x');
  g_string_append (big, "\"}");

  wharf_aws_client_set_max_response_size (f->client, 1024);

  /* With a Content-Length, and chunked without one. */
  add_response (f, 200, big->str, NULL);
  run_call (f, "DescribeImages", NULL, NULL);
  g_assert_error (f->error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (f->error->message, "200"));
  g_assert_nonnull (strstr (f->error->message, "larger than"));

  r = add_response (f, 200, big->str, NULL);
  r->chunked = TRUE;
  run_call (f, "DescribeImages", NULL, NULL);
  g_assert_error (f->error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (f->error->message, "larger than"));

  /* Not retried; and a body under the cap still works, chunked or not. */
  g_assert_cmpuint (f->requests->len, ==, 2);
  r = add_response (f, 200, "{\"small\":true}", NULL);
  r->chunked = TRUE;
  run_call (f, "DescribeImages", NULL, NULL);
  g_assert_no_error (f->error);
  g_assert_true (json_object_get_boolean_member (f->result, "small"));
}

/* ---- logging ---------------------------------------------------------------------------- */

static void
test_log_redaction (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *response = NULL;
  g_autofree char *log = NULL;
  const char *authorization;
  const char *signature;
  Request *r;

  response = g_strdup_printf ("{\"authorizationData\":[{\"authorizationToken\":\"%s\","
                              "\"expiresAt\":1.7E9,\"proxyEndpoint\":"
                              "\"https://111122223333.dkr.ecr.us-east-1.amazonaws.com\"}]}",
                              TEST_AUTH_TOKEN);

  captured_log = g_string_new (NULL);

  add_response (f, 500, "{\"__type\":\"InternalFailure\",\"message\":\"" TEST_AUTH_TOKEN "\"}",
                "x-amzn-RequestId", "log-req-1", NULL);
  add_response (f, 200, response, "x-amzn-RequestId", "log-req-2", NULL);
  run_call (f, "GetAuthorizationToken", NULL, NULL);
  g_assert_no_error (f->error);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (
                       json_object_get_array_member (f->result, "authorizationData"), 0),
                     "authorizationToken"),
                   ==, TEST_AUTH_TOKEN);

  add_response (f, 400, "{\"__type\":\"ExpiredTokenException\",\"message\":\"expired\"}", NULL);
  run_call (f, "DescribeRepositories", NULL, NULL);
  g_assert_error (f->error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_EXPIRED_CREDENTIALS);

  log = g_string_free (g_steal_pointer (&captured_log), FALSE);

  /* The log is useful: operation, status, request id, attempt… */
  g_assert_nonnull (strstr (log, "GetAuthorizationToken"));
  g_assert_nonnull (strstr (log, "log-req-1"));
  g_assert_nonnull (strstr (log, "log-req-2"));
  g_assert_nonnull (strstr (log, "500"));
  g_assert_nonnull (strstr (log, "attempt 2"));

  /* …and holds no secret. */
  r = g_ptr_array_index (f->requests, 1);
  authorization = request_header (r, "Authorization");
  signature = strstr (authorization, "Signature=");
  g_assert_nonnull (signature);
  g_assert_null (strstr (log, TEST_SECRET));
  g_assert_null (strstr (log, TEST_TOKEN));
  g_assert_null (strstr (log, TEST_AUTH_TOKEN));
  g_assert_null (strstr (log, signature + strlen ("Signature=")));
  g_assert_null (strstr (log, "AWS4-HMAC-SHA256"));
  g_assert_null (strstr (log, "authorizationToken"));
}

int
main (int   argc,
      char *argv[])
{
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_log_set_debug_enabled (TRUE);
  g_setenv ("G_MESSAGES_DEBUG", "wharf-aws", TRUE);

  /* Nothing from the outside may change what these tests see. */
  wharf_test_clear_aws_env ();

  g_test_init (&argc, &argv, NULL);
  wharf_test_set_deadline (20);
  previous_handler = g_log_set_default_handler (capture_handler, NULL);

#define ADD(path, func) \
  g_test_add ("/aws-client/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("request/shape", test_request_shape);
  ADD ("request/empty-input", test_request_empty_input);
  ADD ("request/endpoint-path", test_endpoint_with_path);
  ADD ("response/success-bodies", test_success_bodies);
  ADD ("errors/forms", test_error_forms);
  g_test_add_func ("/aws-client/errors/copy", test_error_copy_keeps_details);
  g_test_add_func ("/aws-client/errors/normalize-code", test_normalize_code);
  g_test_add_func ("/aws-client/errors/invalid-utf8-headers", test_error_invalid_utf8_headers);
  g_test_add_func ("/aws-client/errors/code-table", test_code_table);
  g_test_add_func ("/aws-client/errors/transport-cause", test_transport_error_cause);
  g_test_add_func ("/aws-client/retry/delay", test_retry_delay);
  ADD ("retry/throttling", test_retry_throttling);
  ADD ("retry/throttling-header-only", test_retry_throttling_header_only);
  ADD ("retry/503", test_retry_503);
  ADD ("retry/500-exhausts", test_retry_500_exhausts);
  ADD ("retry/never-4xx", test_retry_never_4xx);
  ADD ("retry/quota", test_retry_quota);
  ADD ("retry/connection-reset", test_retry_connection_reset);
  ADD ("retry/connection-refused", test_retry_connection_refused);
  ADD ("cancel/during-backoff", test_cancel_during_backoff);
  ADD ("cancel/during-request", test_cancel_during_request);
  ADD ("cancel/before", test_cancel_before);
  ADD ("timeout/request", test_request_timeout);
  ADD ("timeout/then-success", test_timeout_then_success);
  ADD ("clock-skew/corrected", test_clock_skew);
  ADD ("clock-skew/needs-date", test_clock_skew_only_once);
  ADD ("config/insecure-endpoint", test_insecure_endpoint);
  ADD ("config/invalid-region", test_invalid_region);
  ADD ("config/profile", test_profile_settings);
  ADD ("credentials/each-attempt", test_credentials_each_attempt);
  ADD ("credentials/unavailable", test_credentials_unavailable);
  ADD ("credentials/cause", test_credentials_cause);
  ADD ("errors/context", test_error_context);
  ADD ("response/too-large", test_response_too_large);
  ADD ("log/redaction", test_log_redaction);

#undef ADD

  return g_test_run ();
}
