/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-aws"

#include "config.h"

#include <string.h>

#include "wharf-aws-client-private.h"

#include "wharf-aws-error.h"

/*
 * The retry policy of the AWS SDKs' "standard" mode, as the JSON 1.1 engine applies it: which
 * answers are worth another attempt, the backoff with jitter before it, and when a wrong clock
 * is to blame. The quota and the attempt count live with the client.
 */

guint
wharf_aws_retry_delay_ms (guint  attempt,
                          double random)
{
  double delay;

  g_return_val_if_fail (attempt >= 1, 0);

  random = CLAMP (random, 0.0, 1.0);
  /* 2^(attempt-1) grows past the cap quickly; stop before the double can overflow. */
  if (attempt > 32)
    return WHARF_AWS_MAX_BACKOFF_MS;

  delay = random * (double) (1u << MIN (attempt - 1, 31)) * 1000.0;
  if (delay > WHARF_AWS_MAX_BACKOFF_MS)
    return WHARF_AWS_MAX_BACKOFF_MS;

  return (guint) delay;
}

void
wharf_aws_retry_quota_refund (guint *quota,
                              guint  retry_cost)
{
  *quota = MIN (WHARF_AWS_RETRY_QUOTA_INITIAL,
                *quota + (retry_cost ? retry_cost : WHARF_AWS_RETRY_SUCCESS_REFUND));
}

gboolean
wharf_aws_retry_is_retryable_response (const GError *error,
                                       guint         status)
{
  const char *code = wharf_aws_error_get_aws_code (error);

  return wharf_aws_error_code_is_throttling (code) || wharf_aws_error_code_is_transient (code)
         || status == 500 || status == 502 || status == 503 || status == 504;
}

gboolean
wharf_aws_retry_is_skew_error (const GError *error)
{
  const char *code = wharf_aws_error_get_aws_code (error);
  const char *message = wharf_aws_error_get_aws_message (error);

  if (!code)
    return FALSE;

  if (g_str_equal (code, "RequestTimeTooSkewed") || g_str_equal (code, "RequestExpired")
      || g_str_equal (code, "RequestInTheFuture"))
    return TRUE;

  if ((g_str_equal (code, "InvalidSignatureException") || g_str_equal (code, "SignatureDoesNotMatch"))
      && message != NULL
      && (strstr (message, "Signature expired") != NULL
          || strstr (message, "Signature not yet current") != NULL))
    return TRUE;

  return FALSE;
}

/* The server's clock minus ours, in seconds, from the Date header; FALSE without one. */
gboolean
wharf_aws_retry_server_clock_offset (SoupMessage *msg,
                                     gint64      *offset)
{
  const char *date = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                   "Date");
  g_autoptr(GDateTime) server_time = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (!date)
    return FALSE;

  server_time = soup_date_time_new_from_http_string (date);
  if (!server_time)
    return FALSE;

  now = g_date_time_new_now_utc ();
  *offset = g_date_time_difference (server_time, now) / G_TIME_SPAN_SECOND;
  return TRUE;
}

static guint
parse_attempts (const char *value)
{
  g_autofree char *copy = NULL;
  guint64 n = 0;

  if (!value)
    return 0;
  copy = g_strstrip (g_strdup (value));
  if (!g_ascii_string_to_unsigned (copy, 10, 1, 100, &n, NULL))
    {
      g_message ("Ignoring max_attempts “%s”: not a number from 1 to 100", value);
      return 0;
    }
  return (guint) n;
}

guint
wharf_aws_retry_max_attempts_from_config (WharfAwsConfig *config,
                                          const char     *profile)
{
  const char *env = g_getenv ("AWS_MAX_ATTEMPTS");
  guint attempts = 0;

  if (env != NULL && *env != '\0')
    attempts = parse_attempts (env);
  if (attempts == 0 && config != NULL)
    attempts = parse_attempts (wharf_aws_config_get (config, profile, "max_attempts"));
  if (attempts == 0)
    attempts = WHARF_AWS_CLIENT_DEFAULT_MAX_ATTEMPTS;
  return attempts;
}
