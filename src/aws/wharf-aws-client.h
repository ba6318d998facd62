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
/* Milliseconds; for tests that want a short whole-request timeout. */
void         wharf_aws_client_set_request_timeout_ms (WharfAwsClient *self,
                                                      guint           msec);
/* Seconds the server's clock is ahead of ours; set automatically on clock-skew errors. */
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

G_END_DECLS
