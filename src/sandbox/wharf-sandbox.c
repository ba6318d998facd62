/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-sandbox"

#include "config.h"

#include <glib/gi18n.h>

#include <errno.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>

#include "wharf-sandbox.h"
#include "wharf-sandbox-private.h"
#include "wharf-sandbox-auth-private.h"
#include "wharf-sandbox-registry-private.h"
#include "wharf-sigv4.h"

#define TARGET_PREFIX "AmazonEC2ContainerRegistry_V20150921."
#define JSON_CONTENT_TYPE "application/x-amz-json-1.1"
#define MAX_SKEW ((GTimeSpan) 15 * G_TIME_SPAN_MINUTE)
#define SAVE_DELAY_MS 250

G_DEFINE_QUARK (wharf-sandbox-error-quark, wharf_sandbox_error)

typedef struct
{
  char *access_key_id;
  char *secret_access_key;
  char *account_id;
} SbKey;

struct _WharfSandbox
{
  GObject     parent_instance;

  char       *state_path;
  char       *seed;
  GHashTable *registries;        /* "account/region" → SbRegistry * */
  GPtrArray  *keys;              /* SbKey * */
  gboolean    custom_keys;
  guint8      token_key[32];

  SoupServer *server;
  char       *url;
  guint16     port;

  GPtrArray  *faults;            /* SbFault * */
  FILE       *record;
  gint64      clock_offset;
  guint       save_id;
  gboolean    dirty;

  GHashTable *request_counts;    /* operation → GUINT_TO_POINTER (count) */
  guint       n_requests;

  SbDist     *dist;              /* the registry protocol's blobs and uploads */
  char       *registry_host;     /* "127.0.0.1:PORT" while listening */
};

G_DEFINE_FINAL_TYPE (WharfSandbox, wharf_sandbox, G_TYPE_OBJECT)

static void
sb_key_free (SbKey *key)
{
  g_free (key->access_key_id);
  sb_wipe (key->secret_access_key);
  g_free (key->account_id);
  g_free (key);
}

/* State */

static gboolean save_now (WharfSandbox *self,
                          GError      **error);

static gboolean
save_timeout_cb (gpointer data)
{
  WharfSandbox *self = data;
  g_autoptr(GError) error = NULL;

  self->save_id = 0;
  if (!save_now (self, &error))
    g_warning ("Could not save the sandbox state: %s", error->message);
  return G_SOURCE_REMOVE;
}

static void
mark_dirty (WharfSandbox *self)
{
  self->dirty = TRUE;
  if (self->state_path && !self->save_id)
    self->save_id = g_timeout_add (SAVE_DELAY_MS, save_timeout_cb, self);
}

static gboolean
save_now (WharfSandbox *self,
          GError      **error)
{
  g_clear_handle_id (&self->save_id, g_source_remove);
  if (!self->state_path || !self->dirty)
    return TRUE;
  if (!sb_state_write (self->state_path, self->registries, self->seed, self->token_key, error))
    return FALSE;
  self->dirty = FALSE;
  return TRUE;
}

gint64
wharf_sandbox_get_now (WharfSandbox *self)
{
  g_return_val_if_fail (WHARF_IS_SANDBOX (self), 0);
  return g_get_real_time () + self->clock_offset;
}

static SbRegistry *
get_registry (WharfSandbox *self,
              const char   *account,
              const char   *region)
{
  g_autofree char *key = g_strdup_printf ("%s/%s", account, region);
  SbRegistry *registry = g_hash_table_lookup (self->registries, key);

  if (!registry)
    {
      registry = sb_registry_new (account, region);
      registry->registry_host = self->registry_host;
      if (self->seed)
        sb_seed_registry (registry, self->seed, wharf_sandbox_get_now (self), NULL);
      g_hash_table_insert (self->registries, g_steal_pointer (&key), registry);
      mark_dirty (self);
    }
  return registry;
}

/* GObject */

static void
wharf_sandbox_finalize (GObject *object)
{
  WharfSandbox *self = WHARF_SANDBOX (object);
  g_autoptr(GError) error = NULL;

  if (!save_now (self, &error))
    g_warning ("Could not save the sandbox state: %s", error->message);
  if (self->server)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_pointer (&self->dist, sb_dist_free);
  g_clear_pointer (&self->registry_host, g_free);
  g_clear_pointer (&self->record, fclose);
  g_hash_table_unref (self->registries);
  g_hash_table_unref (self->request_counts);
  g_ptr_array_unref (self->keys);
  g_ptr_array_unref (self->faults);
  g_free (self->state_path);
  g_free (self->seed);
  g_free (self->url);
  memset (self->token_key, 0, sizeof self->token_key);

  G_OBJECT_CLASS (wharf_sandbox_parent_class)->finalize (object);
}

static void
wharf_sandbox_class_init (WharfSandboxClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wharf_sandbox_finalize;
}

static void
add_key (WharfSandbox *self,
         const char   *access_key_id,
         const char   *secret_access_key,
         const char   *account_id)
{
  SbKey *key = g_new0 (SbKey, 1);

  key->access_key_id = g_strdup (access_key_id);
  key->secret_access_key = g_strdup (secret_access_key);
  key->account_id = g_strdup (account_id ? account_id : WHARF_SANDBOX_PRACTICE_ACCOUNT_ID);
  g_ptr_array_add (self->keys, key);
}

static void
wharf_sandbox_init (WharfSandbox *self)
{
  self->registries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) sb_registry_free);
  self->keys = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_key_free);
  self->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_fault_free);
  self->request_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < sizeof self->token_key; i++)
    self->token_key[i] = g_random_int_range (0, 256);
  add_key (self, WHARF_SANDBOX_PRACTICE_ACCESS_KEY_ID, WHARF_SANDBOX_PRACTICE_SECRET_ACCESS_KEY,
           WHARF_SANDBOX_PRACTICE_ACCOUNT_ID);
}

WharfSandbox *
wharf_sandbox_new (const char *state_path,
                   GError    **error)
{
  g_autoptr(WharfSandbox) self = g_object_new (WHARF_TYPE_SANDBOX, NULL);

  if (state_path)
    {
      if (!sb_state_read (state_path, self->registries, &self->seed, self->token_key, error))
        return NULL;
      /* only now: a file that failed to load is never written */
      self->state_path = g_strdup (state_path);
    }
  self->dist = sb_dist_new (state_path, error);
  if (!self->dist)
    return NULL;
  return g_steal_pointer (&self);
}

gboolean
wharf_sandbox_seed (WharfSandbox *self,
                    const char   *seed,
                    GError      **error)
{
  g_return_val_if_fail (WHARF_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (seed, FALSE);

  if (!sb_seed_is_known (seed))
    {
      g_set_error (error, WHARF_SANDBOX_ERROR, WHARF_SANDBOX_ERROR_SEED,
                   _("Unknown seed “%s” (known: empty, demo, big, many)"), seed);
      return FALSE;
    }
  g_free (self->seed);
  self->seed = g_strdup (seed);
  mark_dirty (self);
  get_registry (self, wharf_sandbox_get_account_id (self), WHARF_SANDBOX_DEFAULT_REGION);
  return TRUE;
}

void
wharf_sandbox_add_key (WharfSandbox *self,
                       const char   *access_key_id,
                       const char   *secret_access_key,
                       const char   *account_id)
{
  g_return_if_fail (WHARF_IS_SANDBOX (self));
  g_return_if_fail (access_key_id && secret_access_key);
  g_return_if_fail (!account_id || (strlen (account_id) == 12
                                    && strspn (account_id, "0123456789") == 12));

  if (!self->custom_keys)
    {
      /* the first added key becomes the default account; the practice pair stays valid */
      SbKey *practice = g_ptr_array_steal_index (self->keys, 0);

      self->custom_keys = TRUE;
      add_key (self, access_key_id, secret_access_key, account_id);
      g_ptr_array_add (self->keys, practice);
      return;
    }
  add_key (self, access_key_id, secret_access_key, account_id);
}

const char *
wharf_sandbox_get_account_id (WharfSandbox *self)
{
  g_return_val_if_fail (WHARF_IS_SANDBOX (self), NULL);
  return ((SbKey *) self->keys->pdata[0])->account_id;
}

void
wharf_sandbox_advance_clock (WharfSandbox *self,
                             GTimeSpan     delta)
{
  g_return_if_fail (WHARF_IS_SANDBOX (self));
  self->clock_offset += delta;
}

gboolean
wharf_sandbox_flush (WharfSandbox *self,
                     GError      **error)
{
  g_return_val_if_fail (WHARF_IS_SANDBOX (self), FALSE);
  return save_now (self, error);
}

guint
wharf_sandbox_get_request_count (WharfSandbox *self,
                                 const char   *operation)
{
  g_return_val_if_fail (WHARF_IS_SANDBOX (self), 0);
  if (!operation)
    return self->n_requests;
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->request_counts, operation));
}

/* Faults */

gboolean
wharf_sandbox_add_fault (WharfSandbox *self,
                         const char   *spec,
                         GError      **error)
{
  SbFault *fault;

  g_return_val_if_fail (WHARF_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (spec, FALSE);

  fault = sb_fault_parse (spec, error);
  if (!fault)
    return FALSE;
  g_ptr_array_add (self->faults, fault);
  return TRUE;
}

void
wharf_sandbox_clear_faults (WharfSandbox *self)
{
  g_return_if_fail (WHARF_IS_SANDBOX (self));
  g_ptr_array_set_size (self->faults, 0);
}

/* Recording */

gboolean
wharf_sandbox_set_record_path (WharfSandbox *self,
                               const char   *path,
                               GError      **error)
{
  FILE *file = NULL;

  g_return_val_if_fail (WHARF_IS_SANDBOX (self), FALSE);

  if (path)
    {
      file = g_fopen (path, "ae");
      if (!file)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Cannot open the record file %s: %s"), path, g_strerror (saved));
          return FALSE;
        }
    }
  g_clear_pointer (&self->record, fclose);
  self->record = file;
  return TRUE;
}

static JsonArray *
headers_json (SoupMessageHeaders *headers)
{
  JsonArray *a = json_array_new ();
  SoupMessageHeadersIter iter;
  const char *name, *value;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      JsonArray *pair = json_array_new ();

      json_array_add_string_element (pair, name);
      json_array_add_string_element (pair, value);
      json_array_add_array_element (a, pair);
    }
  return a;
}

static char *
body_text (const char *data,
           gsize       len)
{
  if (g_utf8_validate (data, len, NULL))
    return g_strndup (data, len);
  return g_utf8_make_valid (data, len);
}

/* One request in flight. */
typedef struct
{
  WharfSandbox      *self;
  SoupServerMessage *msg;
  char              *request_id;
  char              *operation;     /* NULL until known */
  char              *account;
  char              *region;
  char              *caller_arn;    /* who signed, as GetCallerIdentity says */
  GBytes            *body;
  JsonObject        *record;        /* NULL when not recording */
} Exchange;

static void
exchange_free (Exchange *x)
{
  g_object_unref (x->self);
  g_object_unref (x->msg);
  g_free (x->request_id);
  g_free (x->operation);
  g_free (x->account);
  g_free (x->region);
  g_free (x->caller_arn);
  g_bytes_unref (x->body);
  g_clear_pointer (&x->record, json_object_unref);
  g_free (x);
}

static void
write_record (Exchange   *x,
              JsonObject *response)
{
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *line = NULL;

  if (!x->record || !x->self->record)
    {
      g_clear_pointer (&response, json_object_unref);
      return;
    }
  json_object_set_string_member (x->record, "operation", x->operation ? x->operation : "");
  if (response)
    json_object_set_object_member (x->record, "response", response);
  else
    json_object_set_null_member (x->record, "response");
  root = json_node_init_object (json_node_alloc (), x->record);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  line = json_generator_to_data (generator, NULL);
  fputs (line, x->self->record);
  fputc ('\n', x->self->record);
  fflush (x->self->record);
}

/* Responses */

static void
respond (Exchange   *x,
         guint       status,
         const char *content_type,
         char       *body)   /* taken */
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (x->msg);
  gsize len = strlen (body);

  g_debug ("%s %s → %u (%s)", x->region ? x->region : "-",
           x->operation ? x->operation : "(no operation)", status, x->request_id);
  soup_message_headers_replace (headers, "x-amzn-RequestId", x->request_id);
  soup_server_message_set_status (x->msg, status, NULL);
  soup_server_message_set_response (x->msg, content_type, SOUP_MEMORY_COPY, body, len);
  soup_message_headers_set_content_length (headers, len);
  if (x->record)
    {
      JsonObject *r = json_object_new ();

      json_object_set_int_member (r, "status", status);
      json_object_set_array_member (r, "headers", headers_json (headers));
      json_object_set_string_member (r, "body", body);
      write_record (x, r);
    }
  g_free (body);
}

static void
respond_json (Exchange   *x,
              guint       status,
              JsonObject *object)   /* taken */
{
  g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), object);

  json_object_unref (object);
  respond (x, status, JSON_CONTENT_TYPE, json_to_string (root, FALSE));
}

static void
respond_error (Exchange   *x,
               guint       status,
               const char *type,
               const char *message)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "__type", type);
  if (message)
    json_object_set_string_member (o, "message", message);
  respond_json (x, status, o);
}

/* Writes a raw HTTP response on the stolen connection and closes it (faults). */
static void
respond_raw_and_close (Exchange   *x,
                       const char *raw,
                       const char *fault)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (x->msg);

  if (x->record)
    {
      json_object_set_string_member (x->record, "fault", fault);
      if (raw)
        {
          JsonObject *r = json_object_new ();

          json_object_set_int_member (r, "status", 200);
          json_object_set_array_member (r, "headers", json_array_new ());
          json_object_set_string_member (r, "body", raw);
          write_record (x, r);
        }
      else
        write_record (x, NULL);
    }
  if (!stream)
    return;
  if (raw)
    g_output_stream_write_all (g_io_stream_get_output_stream (stream), raw, strlen (raw),
                               NULL, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

/* Serving */

static const char *
member_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A refusal in the shape real ECR answers with, naming the caller, the repository the
 * request names and its key. FALSE when @kind is not a refusal. */
static gboolean
apply_refusal (Exchange    *x,
               SbFaultKind  kind)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *input = NULL;
  JsonNode *encryption;
  SbRefusalFacts facts = { 0 };
  SbRefusal refusal;
  SbRegistry *registry;
  SbRepo *repo = NULL;
  gsize len;
  const char *data = g_bytes_get_data (x->body, &len);

  if (data != NULL && len > 0 && json_parser_load_from_data (parser, data, len, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    input = json_node_get_object (json_parser_get_root (parser));

  facts.operation = x->operation;
  facts.caller_arn = x->caller_arn != NULL ? x->caller_arn : "";
  facts.account = x->account;
  facts.region = x->region;
  facts.repository = member_string (input, "repositoryName");
  facts.image_tag = member_string (input, "imageTag");
  registry = get_registry (x->self, x->account, x->region);
  if (facts.repository != NULL)
    repo = g_hash_table_lookup (registry->by_name, facts.repository);
  if (repo != NULL)
    facts.kms_key = repo->kms_key;
  encryption = input != NULL ? json_object_get_member (input, "encryptionConfiguration") : NULL;
  if (facts.kms_key == NULL && encryption != NULL && JSON_NODE_HOLDS_OBJECT (encryption))
    facts.kms_key = member_string (json_node_get_object (encryption), "kmsKey");

  if (!sb_fault_refusal (kind, &facts, &refusal))
    return FALSE;

  if (refusal.kms_error != NULL)
    {
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "__type", refusal.type);
      json_object_set_string_member (o, "kmsError", refusal.kms_error);
      json_object_set_string_member (o, "message", refusal.message);
      respond_json (x, refusal.status, o);
    }
  else
    respond_error (x, refusal.status, refusal.type, refusal.message);
  g_free (refusal.message);
  return TRUE;
}

static gboolean
apply_fault (Exchange *x,
             SbFault  *fault)
{
  g_autofree char *message = NULL;

  /* Mark every injected fault in the recording, so that the contract tests can tell an
   * answer we broke on purpose from a sandbox bug. */
  if (x->record != NULL && fault->kind != FAULT_DELAY)
    json_object_set_string_member (x->record, "fault", sb_fault_kind_name (fault->kind));

  switch (fault->kind)
    {
    case FAULT_THROTTLE:
      respond_error (x, 400, "ThrottlingException", "Rate exceeded");
      return TRUE;
    case FAULT_500:
      respond_error (x, 500, "ServerException",
                     "We encountered an internal error. Please try again.");
      return TRUE;
    case FAULT_503:
      respond_error (x, 503, "ServiceUnavailableException", "Service Unavailable");
      return TRUE;
    case FAULT_RESET:
      respond_raw_and_close (x, NULL, "reset");
      return TRUE;
    case FAULT_TRUNCATE:
      {
        g_autofree char *raw = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: " JSON_CONTENT_TYPE
                                                "\r\nx-amzn-RequestId: %s\r\nContent-Length: 4096\r\n"
                                                "\r\n{\"repositories\": [{\"repositoryArn\": \"arn:aws:ecr:",
                                                x->request_id);

        respond_raw_and_close (x, raw, "truncate");
        return TRUE;
      }
    case FAULT_INVALID_JSON:
      respond (x, 200, JSON_CONTENT_TYPE, g_strdup ("{\"repositories\": [ this is not JSON"));
      return TRUE;
    case FAULT_HTML:
      respond (x, 502, "text/html",
               g_strdup ("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                         "<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"));
      return TRUE;
    case FAULT_EXPIRED_TOKEN:
      respond_error (x, 400, "ExpiredTokenException",
                     "The security token included in the request is expired");
      return TRUE;
    case FAULT_ACCESS_DENIED:
      message = g_strdup_printf ("User: arn:aws:iam::%s:user/wharf-practice is not authorized "
                                 "to perform: ecr:%s on resource: * because no identity-based "
                                 "policy allows the ecr:%s action",
                                 x->account, x->operation, x->operation);
      respond_error (x, 400, "AccessDeniedException", message);
      return TRUE;
    case FAULT_DELAY:
      return FALSE;
    default:
      return apply_refusal (x, fault->kind);
    }
}

static void
run_operation (Exchange *x)
{
  WharfSandbox *self = x->self;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  SbOperationFunc func = sb_lookup_operation (x->operation);
  JsonObject *input = NULL, *output;
  SbCall call = { 0 };
  gsize len;
  const char *data = g_bytes_get_data (x->body, &len);

  if (len > 0)
    {
      JsonNode *root;

      if (!json_parser_load_from_data (parser, data, len, &error))
        {
          respond_error (x, 400, "SerializationException", error->message);
          return;
        }
      root = json_parser_get_root (parser);
      if (!root || !JSON_NODE_HOLDS_OBJECT (root))
        {
          respond_error (x, 400, "SerializationException",
                         "Start of structure or map expected at the top of the request body");
          return;
        }
      input = json_node_get_object (root);
    }

  call.registry = get_registry (self, x->account, x->region);
  call.operation = x->operation;
  call.now = wharf_sandbox_get_now (self);
  call.token_key = self->token_key;
  call.sandbox = self;
  if (sb_registry_run_lifecycle (call.registry, call.now))
    mark_dirty (self);
  output = sb_check_input_types (&call, input) ? func (&call, input) : NULL;
  if (call.changed)
    mark_dirty (self);
  if (output)
    respond_json (x, 200, output);
  else
    {
      g_assert (call.error_type);
      respond_error (x, call.status ? call.status : 400, call.error_type, call.error_message);
    }
  g_free (call.error_type);
  g_free (call.error_message);
}

static gboolean
delay_done_cb (gpointer data)
{
  Exchange *x = data;

  run_operation (x);
  soup_server_message_unpause (x->msg);
  exchange_free (x);
  return G_SOURCE_REMOVE;
}

static SbKey *
find_key (WharfSandbox *self,
          const char   *access_key_id)
{
  for (guint i = 0; i < self->keys->len; i++)
    {
      SbKey *key = self->keys->pdata[i];

      if (g_str_equal (key->access_key_id, access_key_id))
        return key;
    }
  return NULL;
}

gboolean
sb_sandbox_lookup_key (WharfSandbox  *self,
                       const char    *access_key_id,
                       const char   **secret_access_key,
                       const char   **account_id)
{
  SbKey *key = find_key (self, access_key_id);

  if (!key)
    return FALSE;
  *secret_access_key = key->secret_access_key;
  *account_id = key->account_id;
  return TRUE;
}

/* Checks the request's signature; on failure responds and returns FALSE. */
static gboolean
authenticate (Exchange          *x,
              WharfSigv4Request *req)
{
  const char *authorization = wharf_sigv4_request_get_header (req, "Authorization");
  const char *amz_date = wharf_sigv4_request_get_header (req, "X-Amz-Date");
  g_autofree char *key_id = NULL, *date8 = NULL, *region = NULL, *service = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) signed_at = NULL;
  g_autoptr(GDateTime) now = NULL;
  GTimeSpan skew;
  SbKey *key;
  const char *secret = NULL, *account = NULL;
  const char *session_error = NULL, *session_message = NULL;

  if (!authorization)
    {
      respond_error (x, 403, "MissingAuthenticationTokenException", "Missing Authentication Token");
      return FALSE;
    }
  if (!wharf_sigv4_parse_authorization (authorization, &key_id, &date8, &region, &service,
                                        NULL, NULL, &error))
    {
      respond_error (x, 400, "IncompleteSignatureException", error->message);
      return FALSE;
    }
  key = find_key (x->self, key_id);
  if (key)
    {
      secret = key->secret_access_key;
      account = key->account_id;
    }
  else if (!sb_auth_lookup_session (x->self, key_id,
                                    wharf_sigv4_request_get_header (req, "X-Amz-Security-Token"),
                                    &secret, &account, &session_error, &session_message))
    {
      respond_error (x, 400, session_error, session_message);
      return FALSE;
    }
  if (!g_str_equal (service, "ecr"))
    {
      g_autofree char *message = g_strdup_printf ("Credential should be scoped to correct service: 'ecr'. ");

      respond_error (x, 403, "InvalidSignatureException", message);
      return FALSE;
    }
  if (!amz_date || !(signed_at = wharf_sigv4_parse_amz_date (amz_date, NULL)))
    {
      respond_error (x, 400, "IncompleteSignatureException",
                     "Authorization header requires existence of either a 'X-Amz-Date' or a "
                     "'Date' header.");
      return FALSE;
    }
  now = g_date_time_new_now_utc ();
  skew = g_date_time_difference (now, signed_at);
  if (skew > MAX_SKEW || skew < -MAX_SKEW)
    {
      g_autofree char *now_text = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
      g_autoptr(GDateTime) limit = g_date_time_add (now, skew > 0 ? -MAX_SKEW : MAX_SKEW);
      g_autofree char *limit_text = g_date_time_format (limit, "%Y%m%dT%H%M%SZ");
      g_autofree char *message = NULL;

      if (skew > 0)
        message = g_strdup_printf ("Signature expired: %s is now earlier than %s (%s - 15 min.)",
                                   amz_date, limit_text, now_text);
      else
        message = g_strdup_printf ("Signature not yet current: %s is still later than %s (%s + 15 min.)",
                                   amz_date, limit_text, now_text);
      respond_error (x, 403, "InvalidSignatureException", message);
      return FALSE;
    }
  if (!wharf_sigv4_verify (req, secret, &error))
    {
      if (g_error_matches (error, WHARF_SIGV4_ERROR, WHARF_SIGV4_ERROR_SIGNATURE_MISMATCH))
        respond_error (x, 403, "InvalidSignatureException",
                       "The request signature we calculated does not match the signature you "
                       "provided. Check your AWS Secret Access Key and signing method. Consult "
                       "the service documentation for details.");
      else
        respond_error (x, 403, "InvalidSignatureException", error->message);
      return FALSE;
    }
  x->account = g_strdup (account);
  x->region = g_steal_pointer (&region);
  if (key)
    x->caller_arn = g_strdup_printf ("arn:aws:iam::%s:user/wharf-%s", account,
                                     g_str_equal (key_id, WHARF_SANDBOX_PRACTICE_ACCESS_KEY_ID)
                                     ? "practice" : "user");
  else
    {
      SbSession *session = g_hash_table_lookup (sb_auth_get (x->self)->sessions, key_id);

      x->caller_arn = g_strdup (session != NULL ? session->arn : "");
    }
  return TRUE;
}

static void
count_request (WharfSandbox *self,
               const char   *operation)
{
  self->n_requests++;
  if (operation)
    {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->request_counts, operation));

      g_hash_table_replace (self->request_counts, g_strdup (operation), GUINT_TO_POINTER (n + 1));
    }
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  WharfSandbox *self = user_data;
  g_autoptr(WharfSigv4Request) req = NULL;
  g_autoptr(GBytes) body = NULL;
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value, *target;
  Exchange *x;
  SbFault *fault;

  x = g_new0 (Exchange, 1);
  x->self = g_object_ref (self);
  x->msg = g_object_ref (msg);
  x->request_id = g_uuid_string_random ();
  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  x->body = g_bytes_ref (body);

  req = wharf_sigv4_request_new (soup_server_message_get_method (msg), g_uri_get_path (uri),
                                 g_uri_get_query (uri));
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    wharf_sigv4_request_add_header (req, name, value);
  wharf_sigv4_request_set_body (req, g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  target = soup_message_headers_get_one (headers, "X-Amz-Target");
  if (target && g_str_has_prefix (target, TARGET_PREFIX))
    x->operation = g_strdup (target + strlen (TARGET_PREFIX));

  if (self->record)
    {
      JsonObject *r = json_object_new ();
      gsize len;
      const char *data = g_bytes_get_data (body, &len);
      g_autofree char *text = body_text (data ? data : "", len);

      x->record = json_object_new ();
      json_object_set_string_member (x->record, "operation", "");
      json_object_set_string_member (r, "method", soup_server_message_get_method (msg));
      json_object_set_string_member (r, "path", g_uri_get_path (uri));
      json_object_set_string_member (r, "query", g_uri_get_query (uri) ? g_uri_get_query (uri) : "");
      json_object_set_array_member (r, "headers", headers_json (headers));
      json_object_set_string_member (r, "body", text);
      json_object_set_object_member (x->record, "request", r);
    }

  /* STS, SSO-OIDC and the SSO portal: wharf-sandbox-sts.c, wharf-sandbox-sso.c */
  {
    SbAuthReply reply = { 0 };

    if (!x->operation && sb_auth_dispatch (self, req, x->request_id, &reply))
      {
        x->operation = g_steal_pointer (&reply.operation);
        count_request (self, x->operation);
        if (reply.error_type)
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "x-amzn-ErrorType", reply.error_type);
        respond (x, reply.status, reply.content_type, g_steal_pointer (&reply.body));
        g_free (reply.content_type);
        g_free (reply.error_type);
        goto out;
      }
  }

  count_request (self, x->operation);

  if (!g_str_equal (soup_server_message_get_method (msg), "POST") || !g_str_equal (path, "/"))
    {
      respond_error (x, 404, "UnknownOperationException",
                     "The sandbox serves ECR's JSON API: POST / with X-Amz-Target");
      goto out;
    }
  if (!authenticate (x, req))
    goto out;
  if (!x->operation || !sb_lookup_operation (x->operation))
    {
      g_autofree char *message = g_strdup_printf ("Unknown operation %s", target ? target : "(no X-Amz-Target)");

      respond_error (x, 400, "UnknownOperationException", message);
      goto out;
    }

  fault = sb_fault_take (self->faults, x->operation);
  if (fault && fault->kind == FAULT_DELAY)
    {
      soup_server_message_pause (msg);
      g_timeout_add (fault->delay_ms, delay_done_cb, x);
      return;
    }
  if (fault && apply_fault (x, fault))
    goto out;
  run_operation (x);

out:
  exchange_free (x);
}

/* Repository URIs and proxyEndpoint name the sandbox's own address while it listens. */
static void
set_registry_host (WharfSandbox *self)
{
  GHashTableIter iter;
  gpointer value;

  self->registry_host = g_strdup_printf ("127.0.0.1:%u", self->port);
  g_hash_table_iter_init (&iter, self->registries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((SbRegistry *) value)->registry_host = self->registry_host;
}

gboolean
wharf_sandbox_listen (WharfSandbox *self,
                      guint16       port,
                      GError      **error)
{
  g_autoptr(SoupServer) server = NULL;
  GSList *uris;

  g_return_val_if_fail (WHARF_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (!self->server, FALSE);

  server = soup_server_new ("server-header", "Wharf-Sandbox", NULL);
  soup_server_add_handler (server, NULL, server_cb, self, NULL);
  sb_dist_install (self, server);
  if (!soup_server_listen_local (server, port, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    {
      if (error && *error)
        g_prefix_error (error, _("Cannot listen on 127.0.0.1:%u: "), port);
      return FALSE;
    }
  uris = soup_server_get_uris (server);
  if (!uris)
    {
      g_set_error (error, WHARF_SANDBOX_ERROR, WHARF_SANDBOX_ERROR_LISTEN,
                   _("The server listens nowhere"));
      return FALSE;
    }
  self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  self->url = g_strdup_printf ("http://127.0.0.1:%u", self->port);
  self->server = g_steal_pointer (&server);
  set_registry_host (self);
  return TRUE;
}

const char *
wharf_sandbox_get_url (WharfSandbox *self)
{
  g_return_val_if_fail (WHARF_IS_SANDBOX (self), NULL);
  return self->url;
}

guint16
wharf_sandbox_get_port (WharfSandbox *self)
{
  g_return_val_if_fail (WHARF_IS_SANDBOX (self), 0);
  return self->port;
}

/* The registry protocol (wharf-sandbox-registry.c) */

const char *
wharf_sandbox_get_registry_host (WharfSandbox *self)
{
  g_return_val_if_fail (WHARF_IS_SANDBOX (self), NULL);
  return self->registry_host;
}

char *
wharf_sandbox_issue_registry_password (WharfSandbox *self,
                                       const char   *region)
{
  g_return_val_if_fail (WHARF_IS_SANDBOX (self), NULL);
  return sb_dist_issue_password (self->token_key, wharf_sandbox_get_account_id (self),
                                 region ? region : WHARF_SANDBOX_DEFAULT_REGION,
                                 wharf_sandbox_get_now (self) + SB_PASSWORD_LIFETIME);
}

guint
wharf_sandbox_collect_garbage (WharfSandbox *self)
{
  g_return_val_if_fail (WHARF_IS_SANDBOX (self), 0);
  return sb_dist_collect_garbage (self);
}

const char *
wharf_sandbox_get_blob_dir (WharfSandbox *self)
{
  g_return_val_if_fail (WHARF_IS_SANDBOX (self), NULL);
  return sb_blobs_get_root (sb_dist_get_blobs (self->dist));
}

SbDist *
sb_sandbox_get_dist (WharfSandbox *self)
{
  return self->dist;
}

SbRegistry *
sb_sandbox_get_registry (WharfSandbox *self,
                         const char   *account,
                         const char   *region)
{
  return get_registry (self, account, region);
}

GHashTable *
sb_sandbox_get_registries (WharfSandbox *self)
{
  return self->registries;
}

void
sb_sandbox_changed (WharfSandbox *self)
{
  mark_dirty (self);
}

const guint8 *
sb_sandbox_get_token_key (WharfSandbox *self)
{
  return self->token_key;
}
