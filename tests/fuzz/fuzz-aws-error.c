/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzzes the request engine's error mapping: an HTTP status, the x-amzn-ErrorType and
 * request id headers, and a body, as a hostile or broken server (or proxy) may send them.
 * Input: two bytes of status, then the error-type header up to '\n', the request id up to
 * '\n', and the body (the rest).
 */
#define G_LOG_DOMAIN "fuzz-aws-error"

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "wharf-aws-error.h"

/* Takes bytes up to '\n' (or the end) as a string; NULL when the field is "-". */
static char *
take_line (const guint8 **p,
           const guint8  *end)
{
  const guint8 *nl = memchr (*p, '\n', end - *p);
  const guint8 *stop = nl ? nl : end;
  char *line = g_strndup ((const char *) *p, stop - *p);

  *p = nl ? nl + 1 : end;
  if (g_str_equal (line, "-"))
    g_clear_pointer (&line, g_free);
  return line;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  const guint8 *p = data, *end = data + size;
  g_autofree char *error_type = NULL;
  g_autofree char *request_id = NULL;
  g_autofree char *normalized = NULL;
  g_autoptr(GError) error = NULL;
  guint status;

  if (size < 2)
    return 0;
  /* 100…699: every class, including nonsense ones. */
  status = 100 + ((data[0] << 8 | data[1]) % 600);
  p += 2;
  error_type = take_line (&p, end);
  request_id = take_line (&p, end);

  error = wharf_aws_error_from_response (status, error_type, request_id,
                                         (const char *) p, end - p);
  g_assert (error != NULL);
  g_assert (error->domain == WHARF_AWS_ERROR);
  g_assert (error->message != NULL);
  g_assert (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpuint (wharf_aws_error_get_http_status (error), ==, status);
  if (wharf_aws_error_get_request_id (error))
    g_assert (g_utf8_validate (wharf_aws_error_get_request_id (error), -1, NULL));
  if (wharf_aws_error_get_aws_message (error))
    g_assert (g_utf8_validate (wharf_aws_error_get_aws_message (error), -1, NULL));
  if (wharf_aws_error_get_aws_code (error))
    {
      const char *code = wharf_aws_error_get_aws_code (error);

      g_assert (g_utf8_validate (code, -1, NULL));

      (void) wharf_aws_error_code_is_throttling (code);
      (void) wharf_aws_error_code_is_transient (code);
      (void) wharf_aws_error_code_from_aws (code, status);
    }

  {
    /* Errors are copied when a GTask returns them. */
    g_autoptr(GError) copy = g_error_copy (error);

    g_assert_cmpstr (wharf_aws_error_get_aws_code (copy), ==,
                     wharf_aws_error_get_aws_code (error));
  }

  if (error_type)
    normalized = wharf_aws_error_normalize_code (error_type);
  if (normalized)
    g_assert (g_utf8_validate (normalized, -1, NULL));
  return 0;
}
