/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One small HTTP exchange for the services outside the JSON 1.1 engine (STS, SSO, SSO-OIDC):
 * send, read the whole (capped) body, map transport failures into WHARF_AWS_ERROR.
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define WHARF_AWS_HTTP_TIMEOUT_SECONDS 30
#define WHARF_AWS_HTTP_MAX_BODY (1024 * 1024)

/* Takes a reference on @msg. */
void    wharf_aws_http_send_async  (SoupMessage          *msg,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
/* The body (never NULL on success, maybe empty) and the HTTP status. */
GBytes *wharf_aws_http_send_finish (GAsyncResult         *result,
                                    guint                *status,
                                    GError              **error);

/* "a=b&c=d" with AWS's percent-encoding (unreserved characters only). @pairs: name, value,
 * …, NULL; a NULL value skips its pair. */
char   *wharf_aws_http_form_encode (const char *const    *pairs);

G_END_DECLS
