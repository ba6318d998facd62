/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The HTTP layer every AWS client here shares: its SoupSession, reading a body in chunks up to
 * a byte cap, and mapping GIO/libsoup transport failures into WHARF_AWS_ERROR. The JSON 1.1
 * engine (wharf-aws-client.c) builds on the first three; the services outside it (STS, SSO,
 * SSO-OIDC) send one small exchange with wharf_aws_http_send_async().
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define WHARF_AWS_HTTP_TIMEOUT_SECONDS 30
#define WHARF_AWS_HTTP_MAX_BODY (1024 * 1024)

/* A session for one client: Wharf's User-Agent, @timeout_seconds to connect and between
 * reads, and no auth manager (nothing may answer a 401 on our behalf). */
SoupSession *wharf_aws_http_session_new      (guint                 timeout_seconds);

/* The session kept in *@slot (a static of a service's module: one per service client), made on
 * first use with WHARF_AWS_HTTP_TIMEOUT_SECONDS. For the services Wharf calls from the main
 * thread only (STS, SSO, SSO-OIDC). */
SoupSession *wharf_aws_http_service_session  (SoupSession         **slot);

/* Reads @stream to its end and closes it (handing the connection back). Fails with
 * G_IO_ERROR_MESSAGE_TOO_LARGE past @max_size bytes, else with the stream's own error; what
 * was read of a failed body is wiped. */
void         wharf_aws_http_read_body_async  (GInputStream         *stream,
                                              gsize                 max_size,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
/* The body, never NULL on success (maybe empty). */
GBytes      *wharf_aws_http_read_body_finish (GAsyncResult         *result,
                                              GError              **error);

/* Takes @error, a transport failure (no complete answer): cancellation is handed back as it
 * is, a timeout becomes WHARF_AWS_ERROR_TIMEOUT and the rest WHARF_AWS_ERROR_NETWORK. @host
 * (nullable) names the server in the message; @answer_begun: the failure cut off a body. */
GError      *wharf_aws_http_transport_error  (GError               *error,
                                              const char           *host,
                                              gboolean              answer_begun);

/* One exchange on @session: send, read the whole body (at most WHARF_AWS_HTTP_MAX_BODY),
 * map transport failures. Takes a reference on @msg. */
void         wharf_aws_http_send_async       (SoupSession          *session,
                                              SoupMessage          *msg,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
/* The body (never NULL on success, maybe empty) and the HTTP status. */
GBytes      *wharf_aws_http_send_finish      (GAsyncResult         *result,
                                              guint                *status,
                                              GError              **error);

/* "a=b&c=d" with AWS's percent-encoding (unreserved characters only). @pairs: name, value,
 * …, NULL; a NULL value skips its pair. */
char        *wharf_aws_http_form_encode      (const char *const    *pairs);

G_END_DECLS
