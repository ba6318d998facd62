/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "wharf-aws-client.h"

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

/* The delay before retry number @attempt (1 = after the first attempt failed), for a jitter
 * value @random in [0, 1): min (random × 2^(attempt-1) s, 20 s), in milliseconds. */
guint  wharf_aws_retry_delay_ms           (guint               attempt,
                                           double              random);

G_END_DECLS
