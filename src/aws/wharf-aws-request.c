/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-aws"

#include "config.h"

#include <string.h>

#include "wharf-aws-client-private.h"

#include "wharf-sigv4.h"

/* Building one JSON 1.1 request: `POST /` with X-Amz-Target and the JSON body, signed with
 * SigV4. */

#define JSON_CONTENT_TYPE "application/x-amz-json-1.1"

/* "host" or "host:port" as the Host header carries it (port only when not the default). */
static char *
host_header (GUri *uri)
{
  const char *host = g_uri_get_host (uri);
  const char *scheme = g_uri_get_scheme (uri);
  int port = g_uri_get_port (uri);
  gboolean ipv6 = strchr (host, ':') != NULL;
  int default_port = g_ascii_strcasecmp (scheme, "https") == 0 ? 443 : 80;

  if (port > 0 && port != default_port)
    return g_strdup_printf (ipv6 ? "[%s]:%d" : "%s:%d", host, port);
  return g_strdup_printf (ipv6 ? "[%s]" : "%s", host);
}

SoupMessage *
wharf_aws_request_new_json (GUri             *uri,
                            const char       *target,
                            GBytes           *body,
                            WharfCredentials *credentials,
                            const char       *region,
                            const char       *service,
                            GDateTime        *signing_time)
{
  g_autoptr(WharfSigv4Request) req = NULL;
  g_autofree char *host = NULL;
  g_autofree char *authorization = NULL;
  g_autoptr(GUri) request_uri = NULL;
  SoupMessageHeaders *headers;
  WharfSigv4Params params;
  SoupMessage *msg;
  const char *path;

  path = g_uri_get_path (uri);
  if (!path || *path == '\0')
    path = "/";

  host = host_header (uri);

  req = wharf_sigv4_request_new ("POST", path, NULL);
  wharf_sigv4_request_add_header (req, "Host", host);
  wharf_sigv4_request_add_header (req, "X-Amz-Target", target);
  wharf_sigv4_request_add_header (req, "Content-Type", JSON_CONTENT_TYPE);
  wharf_sigv4_request_set_body (req, g_bytes_get_data (body, NULL),
                                g_bytes_get_size (body));

  wharf_sigv4_params_init (&params);
  params.access_key_id = wharf_credentials_get_access_key_id (credentials);
  params.secret_access_key = wharf_credentials_get_secret_access_key (credentials);
  params.session_token = wharf_credentials_get_session_token (credentials);
  params.region = region;
  params.service = service;
  params.time = signing_time;

  authorization = wharf_sigv4_sign (req, &params);
  /* Nothing below keeps it; it is only on the request. */
  g_clear_pointer (&authorization, g_free);

  request_uri = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), NULL,
                             g_uri_get_host (uri), g_uri_get_port (uri), path, NULL, NULL);

  msg = soup_message_new_from_uri ("POST", request_uri);
  /* A signed request must never be replayed somewhere else. IDEMPOTENT lets libsoup reuse
   * a kept-alive connection for a POST (otherwise every call pays a new TCP and TLS
   * handshake); it may then resend the request once when that idle connection turns out to
   * be closed before any response, which is what the retry policy would do anyway. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT | SOUP_MESSAGE_IDEMPOTENT);
  /* Sets Content-Length; Content-Type comes with the signed headers below. */
  soup_message_set_request_body_from_bytes (msg, NULL, body);

  headers = soup_message_get_request_headers (msg);
  for (guint i = 0; i < wharf_sigv4_request_get_n_headers (req); i++)
    {
      const char *name;
      const char *value;

      wharf_sigv4_request_get_header_nth (req, i, &name, &value);
      soup_message_headers_replace (headers, name, value);
    }

  return msg;
}
