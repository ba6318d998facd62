/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "wharf-aws-client.h"
#include "wharf-aws-config.h"
#include "wharf-credentials.h"

G_BEGIN_DECLS

/* Test hooks: the source of the backoff jitter (a double in [0, 1)), and the retry quota. */
typedef double (*WharfAwsRandomFunc) (gpointer user_data);

#define WHARF_AWS_RETRY_QUOTA_INITIAL   500
#define WHARF_AWS_RETRY_COST            5
#define WHARF_AWS_RETRY_TIMEOUT_COST    10
#define WHARF_AWS_RETRY_SUCCESS_REFUND  1
#define WHARF_AWS_MAX_BACKOFF_MS        20000
/* A server Date this far from ours, with a clock-skew error, corrects the clock. */
#define WHARF_AWS_CLOCK_SKEW_THRESHOLD  (4 * 60)

void   wharf_aws_client_set_random_func   (WharfAwsClient     *self,
                                           WharfAwsRandomFunc  func,
                                           gpointer            user_data);
guint  wharf_aws_client_get_retry_quota   (WharfAwsClient     *self);
void   wharf_aws_client_set_retry_quota   (WharfAwsClient     *self,
                                           guint               tokens);

/* Lowers the response size cap (WHARF_AWS_CLIENT_MAX_RESPONSE_SIZE) for tests. */
void   wharf_aws_client_set_max_response_size (WharfAwsClient *self,
                                               gsize           bytes);

/* ---- The retry policy (wharf-aws-retry.c) ---- */

/* The delay before retry number @attempt (1 = after the first attempt failed), for a jitter
 * value @random in [0, 1): min (random × 2^(attempt-1) s, 20 s), in milliseconds. */
guint    wharf_aws_retry_delay_ms              (guint         attempt,
                                                double        random);
/* A success gives back to @quota what its retry took (@retry_cost), or
 * WHARF_AWS_RETRY_SUCCESS_REFUND when it needed none; never above the initial quota. */
void     wharf_aws_retry_quota_refund          (guint        *quota,
                                                guint         retry_cost);
/* An error answer (@error from wharf_aws_error_from_response()) worth another attempt:
 * throttling, a transient AWS code, or HTTP 500/502/503/504. */
gboolean wharf_aws_retry_is_retryable_response (const GError *error,
                                                guint         status);
/* An answer that blames the request's time (a wrong clock) rather than its signature. */
gboolean wharf_aws_retry_is_skew_error         (const GError *error);
/* The server's clock minus ours, in seconds, from the Date header; FALSE without one. */
gboolean wharf_aws_retry_server_clock_offset   (SoupMessage  *msg,
                                                gint64       *offset);
/* Attempts per call: AWS_MAX_ATTEMPTS > the profile's max_attempts > 3 (values outside 1–100
 * are ignored with a message). @config nullable. */
guint    wharf_aws_retry_max_attempts_from_config (WharfAwsConfig *config,
                                                   const char     *profile);

/* ---- Requests (wharf-aws-request.c) ---- */

/* `POST` @uri's path with X-Amz-Target @target and the JSON @body, signed with SigV4 for
 * @region and @service at @signing_time. Never follows a redirect. */
SoupMessage *wharf_aws_request_new_json (GUri             *uri,
                                         const char       *target,
                                         GBytes           *body,
                                         WharfCredentials *credentials,
                                         const char       *region,
                                         const char       *service,
                                         GDateTime        *signing_time);

/* ---- Responses (wharf-aws-response.c) ---- */

/* Runs in any thread. Fails with JSON_PARSER_ERROR when @body is not JSON, and with
 * G_IO_ERROR_INVALID_DATA when it is JSON but not an object. */
JsonObject *wharf_aws_response_parse_body (GBytes       *body,
                                           GError      **error);
/* The error for a 2xx body that @parse_error says could not be read as an object. */
GError     *wharf_aws_response_body_error (guint         status,
                                           const char   *request_id,
                                           const GError *parse_error);

G_END_DECLS
