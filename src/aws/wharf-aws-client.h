/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "wharf-aws-config.h"
#include "wharf-aws-error.h"
#include "wharf-credentials.h"

G_BEGIN_DECLS

#define WHARF_TYPE_AWS_CLIENT (wharf_aws_client_get_type ())

G_DECLARE_FINAL_TYPE (WharfAwsClient, wharf_aws_client, WHARF, AWS_CLIENT, GObject)

/* Defaults; each is settable per client. */
#define WHARF_AWS_CLIENT_DEFAULT_MAX_ATTEMPTS     3
#define WHARF_AWS_CLIENT_DEFAULT_CONNECT_TIMEOUT  10   /* seconds */
#define WHARF_AWS_CLIENT_DEFAULT_REQUEST_TIMEOUT  60   /* seconds, whole attempt */
#define WHARF_AWS_CLIENT_MAX_RESPONSE_SIZE        (64 * 1024 * 1024)

/* @region may be NULL: then it is resolved (AWS_REGION > AWS_DEFAULT_REGION > the profile,
 * see wharf_aws_client_set_profile()). The endpoint is resolved from the region, the
 * environment and the profile (wharf-aws-endpoint.h) unless set explicitly. Problems with
 * the region or the endpoint are reported by the first call. @credentials may be NULL, then
 * the default provider chain is used.
 *
 * Profile settings come from the WharfAwsConfig given with wharf_aws_client_set_config();
 * without one, the default files are loaded asynchronously before the first call, so the
 * getters reflect only the environment and explicit settings until then. */
WharfAwsClient *wharf_aws_client_new            (const char               *signing_name,
                                                 const char               *target_prefix,
                                                 const char               *endpoint_prefix,
                                                 const char               *region,
                                                 WharfCredentialsProvider *credentials);

/* The profile whose region, endpoint_url, services, use_fips_endpoint and max_attempts
 * settings apply (NULL: AWS_PROFILE or "default"). Resolves the endpoint again. */
void         wharf_aws_client_set_profile       (WharfAwsClient *self,
                                                 const char     *profile);
const char  *wharf_aws_client_get_profile       (WharfAwsClient *self);

/* The parsed AWS config files to take profile settings from; NULL: none (the default files
 * are then loaded before the first call). Resolves the endpoint again. */
void         wharf_aws_client_set_config        (WharfAwsClient *self,
                                                 WharfAwsConfig *config);

/* Explicit override, wins over resolution; http only to loopback (else the next call fails
 * with WHARF_AWS_ERROR_INSECURE_ENDPOINT). NULL returns to resolution. */
void         wharf_aws_client_set_endpoint      (WharfAwsClient *self,
                                                 const char     *url);
/* The provider the client signs with (transfer none). */
WharfCredentialsProvider *
             wharf_aws_client_get_credentials_provider (WharfAwsClient *self);

/* The endpoint the next call uses, or NULL when it cannot be resolved. */
const char  *wharf_aws_client_get_endpoint      (WharfAwsClient *self);
const char  *wharf_aws_client_get_region        (WharfAwsClient *self);

/* Total attempts per call including the first (>= 1). Default from AWS_MAX_ATTEMPTS, the
 * profile's max_attempts, else 3. */
void         wharf_aws_client_set_max_attempts  (WharfAwsClient *self,
                                                 guint           max_attempts);
guint        wharf_aws_client_get_max_attempts  (WharfAwsClient *self);
/* Seconds; 0 means no limit. */
void         wharf_aws_client_set_connect_timeout (WharfAwsClient *self,
                                                   guint           seconds);
void         wharf_aws_client_set_request_timeout (WharfAwsClient *self,
                                                   guint           seconds);
/* Milliseconds; for tests that want a short whole-request timeout. The environment variable
 * WHARF_REQUEST_TIMEOUT_MS (debugging) sets the default of every new client. */
void         wharf_aws_client_set_request_timeout_ms (WharfAwsClient *self,
                                                      guint           msec);
/* Seconds the server's clock is ahead of ours; set automatically on clock-skew errors. The
 * environment variable WHARF_CLOCK_OFFSET_SECONDS (debugging) sets the starting value of
 * every new client, as if the computer's clock were that far behind. */
void         wharf_aws_client_set_clock_offset  (WharfAwsClient *self,
                                                 gint64          seconds);
gint64       wharf_aws_client_get_clock_offset  (WharfAwsClient *self);

void         wharf_aws_client_call_async        (WharfAwsClient      *self,
                                                 const char          *operation,
                                                 JsonObject          *input,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
/* transfer full */
JsonObject  *wharf_aws_client_call_finish       (WharfAwsClient *self,
                                                 GAsyncResult   *result,
                                                 GError        **error);

/* A successful (2xx) answer as it came: the body unparsed, for callers that read large
 * responses themselves (wharf-json-reader.h). Immutable, refcounted, usable in any thread. */
typedef struct _WharfAwsResponse WharfAwsResponse;

/* As the engine makes it (for tests and tools that read saved bodies). */
WharfAwsResponse *wharf_aws_response_new         (GBytes           *body,
                                                  guint             status,
                                                  const char       *request_id);
WharfAwsResponse *wharf_aws_response_ref         (WharfAwsResponse *self);
void              wharf_aws_response_unref       (WharfAwsResponse *self);
/* The body (may be empty). */
GBytes           *wharf_aws_response_get_body    (WharfAwsResponse *self);
guint             wharf_aws_response_get_status  (WharfAwsResponse *self);
/* Nullable. */
const char       *wharf_aws_response_get_request_id (WharfAwsResponse *self);
/* The body as wharf_aws_client_call_finish() would have given it: the object (transfer
 * full; an empty body is an empty object), or the same WHARF_AWS_ERROR_PROTOCOL error. */
JsonObject       *wharf_aws_response_parse       (WharfAwsResponse *self,
                                                  GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WharfAwsResponse, wharf_aws_response_unref)

/* As wharf_aws_client_call_async() (same signing, retries and error handling; AWS error
 * bodies are parsed as there), but a success is handed back unparsed. */
void              wharf_aws_client_call_bytes_async  (WharfAwsClient      *self,
                                                      const char          *operation,
                                                      JsonObject          *input,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* transfer full */
WharfAwsResponse *wharf_aws_client_call_bytes_finish (WharfAwsClient  *self,
                                                      GAsyncResult    *result,
                                                      GError         **error);

G_END_DECLS
