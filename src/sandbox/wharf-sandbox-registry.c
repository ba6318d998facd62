/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The registry protocol of the sandbox: the Docker Registry HTTP API V2 / OCI Distribution
 * 1.1 under /v2/, as ECR's registry endpoint speaks it, on the same store as the JSON API.
 *
 * This file routes: it authenticates each request (-registry-auth.c), finds its registry
 * and repository, and hands it to the part that serves it: -registry-uploads.c,
 * -registry-downloads.c, -registry-manifests.c (and tags), -registry-referrers.c. Their
 * state beside the blob store is in -registry-state.c, their answers in
 * -registry-responses.c.
 */
#define G_LOG_DOMAIN "wharf-sandbox-registry"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "wharf-ecr-validate.h"
#include "wharf-sandbox-registry-request-private.h"

static void
respond_unauthorized (WharfSandbox      *self,
                      SoupServerMessage *msg,
                      AuthResult         result)
{
  g_autofree char *challenge = g_strdup_printf ("Basic realm=\"%s/\",service=\"ecr.amazonaws.com\"",
                                                wharf_sandbox_get_url (self));

  if (result == AUTH_EXPIRED)
    {
      sb_reg_respond_error (msg, 403, "DENIED",
                            "Your authorization token has expired. Reauthenticate and try again.");
      return;
    }
  sb_reg_set_header (msg, "WWW-Authenticate", challenge);
  sb_reg_respond_error (msg, 401, "UNAUTHORIZED",
                        result == AUTH_MISSING ? "authentication required"
                                               : "Your authorization token is invalid. Get one "
                                                 "from GetAuthorizationToken (aws ecr "
                                                 "get-login-password).");
}

/* Routes */

static void
route_clear (Route *route)
{
  g_clear_pointer (&route->name, g_free);
  g_clear_pointer (&route->arg, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Route, route_clear)

/* Splits "/v2/<name>/<kind>/<arg>"; the name may hold slashes. */
static gboolean
parse_route (const char *path,
             Route      *route)
{
  static const struct
  {
    const char *infix;
    RouteKind   kind;
  } kinds[] = {
    { "/blobs/uploads/", ROUTE_UPLOAD },
    { "/blobs/", ROUTE_BLOB },
    { "/manifests/", ROUTE_MANIFEST },
    { "/referrers/", ROUTE_REFERRERS },
  };
  const char *rest;

  if (g_str_equal (path, "/v2") || g_str_equal (path, "/v2/"))
    {
      route->kind = ROUTE_BASE;
      return TRUE;
    }
  if (!g_str_has_prefix (path, "/v2/"))
    return FALSE;
  rest = path + 4;
  if (g_str_has_suffix (rest, "/tags/list"))
    {
      route->kind = ROUTE_TAGS;
      route->name = g_strndup (rest, strlen (rest) - strlen ("/tags/list"));
      return route->name[0] != '\0';
    }
  if (g_str_has_suffix (rest, "/blobs/uploads"))
    {
      route->kind = ROUTE_UPLOAD;
      route->name = g_strndup (rest, strlen (rest) - strlen ("/blobs/uploads"));
      route->arg = g_strdup ("");
      return route->name[0] != '\0';
    }
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      const char *at = g_strrstr (rest, kinds[i].infix);
      const char *arg;

      if (!at || at == rest)
        continue;
      arg = at + strlen (kinds[i].infix);
      if (strchr (arg, '/'))
        continue;
      if (kinds[i].kind != ROUTE_UPLOAD && arg[0] == '\0')
        continue;
      route->kind = kinds[i].kind;
      route->name = g_strndup (rest, at - rest);
      route->arg = g_strdup (arg);
      return TRUE;
    }
  return FALSE;
}

/* Bodies other than uploads: kept in memory only up to the largest one the registry reads
 * (a manifest), so that a client cannot make the sandbox hold gigabytes. */
typedef struct
{
  GByteArray *data;
  gboolean    too_large;
} Captured;

static void
captured_free (Captured *captured)
{
  g_byte_array_unref (captured->data);
  g_free (captured);
}

static void
capture_chunk_cb (SoupServerMessage *msg,
                  GBytes            *chunk,
                  gpointer           user_data)
{
  Captured *captured = user_data;
  gsize len;
  const guint8 *data = g_bytes_get_data (chunk, &len);

  if (captured->too_large)
    return;
  if (len > SB_MAX_MANIFEST_SIZE - captured->data->len)
    {
      captured->too_large = TRUE;
      return;
    }
  g_byte_array_append (captured->data, data, len);
}

static void
capture_body (SoupServerMessage *msg)
{
  Captured *captured = g_new0 (Captured, 1);

  captured->data = g_byte_array_new ();
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (capture_chunk_cb), captured);
  g_object_set_data_full (G_OBJECT (msg), "wharf-sandbox-captured", captured,
                          (GDestroyNotify) captured_free);
}

static void
early_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  WharfSandbox *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_auto(Route) route = { 0 };
  g_autofree char *account = NULL, *region = NULL;

  if (!parse_route (path, &route) || route.kind != ROUTE_UPLOAD
      || !(g_str_equal (method, "PATCH") || g_str_equal (method, "PUT")
           || g_str_equal (method, "POST")))
    {
      capture_body (msg);
      return;
    }

  /* never keep an upload's body in memory, whether it is accepted or not */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  if (sb_dist_check_password (self, msg, &account, &region) != AUTH_OK)
    return;
  sb_reg_upload_prepare (sb_sandbox_get_dist (self), msg, &route, query, account, region);
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  WharfSandbox *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  Captured *captured = g_object_get_data (G_OBJECT (msg), "wharf-sandbox-captured");
  g_autofree char *account = NULL, *region = NULL;
  g_autoptr(GBytes) body = NULL;
  Request r = { 0 };
  AuthResult auth;

  body = captured ? g_bytes_new (captured->data->data, captured->data->len) : g_bytes_new (NULL, 0);
  r.self = self;
  r.dist = sb_sandbox_get_dist (self);
  r.msg = msg;
  r.query = query;
  r.now = wharf_sandbox_get_now (self);
  r.body = body;
  r.body_too_large = captured && captured->too_large;

  auth = sb_dist_check_password (self, msg, &account, &region);
  if (auth != AUTH_OK)
    {
      respond_unauthorized (self, msg, auth);
      return;
    }
  if (!parse_route (path, &r.route))
    {
      sb_reg_respond_error (msg, 404, "NAME_INVALID", "invalid repository name or route: %s", path);
      route_clear (&r.route);
      return;
    }
  if (r.route.kind == ROUTE_BASE)
    {
      sb_reg_respond_bytes (msg, 200, "application/json; charset=utf-8", "{}", 2);
      return;
    }

  r.registry = sb_sandbox_get_registry (self, account, region);
  if (!wharf_ecr_validate_repository_name (r.route.name, NULL))
    {
      sb_reg_respond_error (msg, 400, "NAME_INVALID", "invalid repository name: %s", r.route.name);
      route_clear (&r.route);
      return;
    }
  r.repo = g_hash_table_lookup (r.registry->by_name, r.route.name);
  if (!r.repo)
    {
      sb_reg_respond_error (msg, 404, "NAME_UNKNOWN",
                            "The repository with name '%s' does not exist in the registry "
                            "with id '%s'", r.route.name, r.registry->account);
      route_clear (&r.route);
      return;
    }
  if (sb_registry_run_lifecycle (r.registry, r.now))
    sb_sandbox_changed (self);

  switch (r.route.kind)
    {
    case ROUTE_BLOB:
      sb_reg_serve_blob (&r);
      break;
    case ROUTE_UPLOAD:
      sb_reg_serve_upload (&r);
      break;
    case ROUTE_MANIFEST:
      if (g_str_equal (method, "GET") || g_str_equal (method, "HEAD"))
        sb_reg_serve_manifest_get (&r);
      else if (g_str_equal (method, "PUT"))
        sb_reg_serve_manifest_put (&r);
      else if (g_str_equal (method, "DELETE"))
        sb_reg_serve_manifest_delete (&r);
      else
        sb_reg_respond_error (msg, 405, "UNSUPPORTED", "The operation is unsupported.");
      break;
    case ROUTE_TAGS:
      if (g_str_equal (method, "GET"))
        sb_reg_serve_tags (&r);
      else
        sb_reg_respond_error (msg, 405, "UNSUPPORTED", "The operation is unsupported.");
      break;
    case ROUTE_REFERRERS:
      if (g_str_equal (method, "GET"))
        sb_reg_serve_referrers (&r);
      else
        sb_reg_respond_error (msg, 405, "UNSUPPORTED", "The operation is unsupported.");
      break;
    case ROUTE_BASE:
    default:
      g_assert_not_reached ();
    }
  route_clear (&r.route);
}

/* Docker, Podman and skopeo try HTTPS first even for an insecure registry, and fall back to
 * HTTP only when that fails. A TLS ClientHello sent to a plain-HTTP SoupServer is read as
 * the start of a request line that never ends, so each command would wait for the client's
 * TLS handshake timeout (10 s in Go). Closing a connection whose first byte is a TLS
 * handshake record (0x16) makes the fallback immediate, as a real server's refusal would. */
static gboolean
refuse_tls (GSocket *socket)
{
  guint8 first = 0;
  gssize n;

  /* never block: libsoup's socket may be a blocking one */
  do
    n = recv (g_socket_get_fd (socket), &first, 1, MSG_PEEK | MSG_DONTWAIT);
  while (n < 0 && errno == EINTR);
  if (n == 1 && first == 0x16)
    {
      g_debug ("Closing a connection that starts a TLS handshake: the sandbox speaks plain HTTP");
      g_socket_shutdown (socket, TRUE, TRUE, NULL);
    }
  return n >= 0;
}

static gboolean
first_bytes_cb (GSocket      *socket,
                GIOCondition  condition,
                gpointer      user_data)
{
  refuse_tls (socket);
  return G_SOURCE_REMOVE;
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  g_autoptr(GSource) source = NULL;

  if (!socket || g_object_get_data (G_OBJECT (socket), "wharf-sandbox-checked"))
    return;
  g_object_set_data (G_OBJECT (socket), "wharf-sandbox-checked", GINT_TO_POINTER (TRUE));
  if (refuse_tls (socket))
    return;
  /* nothing to read yet: look before libsoup's own reader, which runs at default priority */
  source = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_priority (source, G_PRIORITY_HIGH);
  g_source_set_callback (source, (GSourceFunc) (void (*) (void)) first_bytes_cb, NULL, NULL);
  g_source_attach (source, g_main_context_get_thread_default ());
}

/* A download takes no body: never keep one. */
static void
download_early_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
}

void
sb_dist_install (WharfSandbox *self,
                 SoupServer   *server)
{
  g_signal_connect (server, "request-started", G_CALLBACK (request_started_cb), NULL);
  soup_server_add_early_handler (server, "/v2", early_cb, self, NULL);
  soup_server_add_handler (server, "/v2", handler_cb, self, NULL);
  soup_server_add_early_handler (server, "/layer-download", download_early_cb, NULL, NULL);
  soup_server_add_handler (server, "/layer-download", sb_reg_serve_download, self, NULL);
}
