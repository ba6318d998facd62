/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzzes SigV4 on arbitrary requests, both sides:
 *  - client: canonical request, string to sign and signing of a request parsed from the
 *    input; when the request is well-formed HTTP (token header names, values without
 *    CR/LF, a Host header, a path starting with '/'), what wharf_sigv4_sign() produced must
 *    pass wharf_sigv4_verify() with the same secret and fail with another;
 *  - server: wharf_sigv4_verify() and wharf_sigv4_parse_authorization() on the request as
 *    given (its own Authorization and X-Amz-Date headers, hostile ones included).
 *
 * Input, as the AWS SigV4 suite's .req files:
 *   METHOD SP TARGET [SP VERSION] LF    (TARGET = path ['?' query])
 *   (NAME ':' VALUE LF)*                (a line starting with space or tab continues a value)
 *   LF
 *   BODY
 * The first byte before all that holds flags: sign_body, omit_session_token, a session
 * token, service "s3" (no double encoding, no normalisation).
 */
#define G_LOG_DOMAIN "fuzz-sigv4"

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "wharf-sigv4.h"

#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

static gboolean
is_token (const char *s)
{
  if (!*s)
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isalnum (*s) && !strchr ("!#$%&'*+-.^_`|~", *s))
      return FALSE;
  return TRUE;
}

static gboolean
is_field_value (const char *s)
{
  for (; *s; s++)
    if ((guchar) *s < 0x20 && *s != '\t')
      return FALSE;
  return TRUE;
}

typedef struct
{
  char *name;
  GString *value;
} Header;

static void
header_free (Header *h)
{
  g_free (h->name);
  g_string_free (h->value, TRUE);
  g_free (h);
}

/* Returns NULL when the request line is unusable. *well_formed says whether the invariant
 * applies. */
static WharfSigv4Request *
parse_request (const char *text,
               gsize       len,
               gboolean   *well_formed)
{
  g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func ((GDestroyNotify) header_free);
  g_auto(GStrv) parts = NULL;
  g_autofree char *line0 = NULL;
  g_autofree char *path = NULL;
  const char *p = text, *end = text + len, *nl, *query = NULL, *q;
  WharfSigv4Request *req;
  gboolean has_host = FALSE;

  *well_formed = TRUE;
  nl = memchr (p, '\n', end - p);
  line0 = g_strndup (p, (nl ? nl : end) - p);
  p = nl ? nl + 1 : end;
  parts = g_strsplit (line0, " ", 3);
  if (!parts[0] || !parts[1] || !*parts[0])
    return NULL;

  q = strchr (parts[1], '?');
  path = q ? g_strndup (parts[1], q - parts[1]) : g_strdup (parts[1]);
  query = q ? q + 1 : NULL;
  if (path[0] != '/' || !is_token (parts[0]))
    *well_formed = FALSE;

  while (p < end)
    {
      g_autofree char *line = NULL;
      const char *colon;
      Header *h;

      nl = memchr (p, '\n', end - p);
      line = g_strndup (p, (nl ? nl : end) - p);
      p = nl ? nl + 1 : end;
      if (!*line)
        break;
      if ((line[0] == ' ' || line[0] == '\t') && headers->len > 0)
        {
          h = g_ptr_array_index (headers, headers->len - 1);
          g_string_append_c (h->value, ',');
          g_string_append (h->value, line);
          continue;
        }
      colon = strchr (line, ':');
      if (!colon)
        {
          *well_formed = FALSE;
          continue;
        }
      h = g_new0 (Header, 1);
      h->name = g_strndup (line, colon - line);
      h->value = g_string_new (colon + 1);
      g_ptr_array_add (headers, h);
    }

  req = wharf_sigv4_request_new (parts[0], path, query);
  for (guint i = 0; i < headers->len; i++)
    {
      Header *h = g_ptr_array_index (headers, i);

      if (!is_token (h->name) || !is_field_value (h->value->str))
        *well_formed = FALSE;
      if (g_ascii_strcasecmp (h->name, "host") == 0)
        has_host = TRUE;
      wharf_sigv4_request_add_header (req, h->name, h->value->str);
    }
  if (!has_host)
    *well_formed = FALSE;
  if (p < end)
    wharf_sigv4_request_set_body (req, p, end - p);
  return req;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(WharfSigv4Request) req = NULL;
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *signed_headers = NULL;
  g_autofree char *sts = NULL;
  g_autofree char *auth = NULL;
  WharfSigv4Params params;
  gboolean well_formed;
  const char *value;
  guint8 flags;

  if (size < 1)
    return 0;
  flags = data[0];
  req = parse_request ((const char *) data + 1, size - 1, &well_formed);
  if (!req)
    return 0;

  /* Server side first, on the request exactly as it came. */
  value = wharf_sigv4_request_get_header (req, "Authorization");
  if (value)
    {
      g_autofree char *key_id = NULL, *date8 = NULL, *region = NULL, *service = NULL;
      g_autofree char *signed_list = NULL, *signature = NULL;

      if (!wharf_sigv4_parse_authorization (value, &key_id, &date8, &region, &service,
                                            &signed_list, &signature, &error))
        {
          g_assert (error != NULL);
          g_clear_error (&error);
        }
    }
  value = wharf_sigv4_request_get_header (req, "X-Amz-Date");
  if (value)
    {
      GDateTime *parsed = wharf_sigv4_parse_amz_date (value, NULL);

      g_clear_pointer (&parsed, g_date_time_unref);
    }
  if (!wharf_sigv4_verify (req, SECRET, &error))
    {
      g_assert (error != NULL && error->domain == WHARF_SIGV4_ERROR);
      g_clear_error (&error);
    }

  /* Client side. */
  time = g_date_time_new_utc (2015, 8, 30, 12, 36, 0);
  wharf_sigv4_params_init (&params);
  params.access_key_id = "AKIDEXAMPLE";
  params.secret_access_key = SECRET;
  params.region = "us-east-1";
  params.service = (flags & 8) ? "s3" : "ecr";
  params.normalize_path = !(flags & 8);
  params.time = time;
  params.sign_body = (flags & 1) != 0;
  params.omit_session_token = (flags & 2) != 0;
  params.session_token = (flags & 4) ? "IQoJb3JpZ2luX2VjEPT//////////wEaCXVzLWVhc3QtMSJHMEUCIQ" : NULL;

  canonical = wharf_sigv4_canonical_request_full (req, &params, &signed_headers);
  g_assert (canonical != NULL);
  sts = wharf_sigv4_string_to_sign (canonical, &params);
  g_assert (sts != NULL);
  auth = wharf_sigv4_sign (req, &params);
  g_assert (auth != NULL);
  g_assert_cmpstr (wharf_sigv4_request_get_header (req, "Authorization"), ==, auth);

  /* The sandbox must accept what the client signs (verification assumes ECR's rules:
   * path normalisation on, double encoding). */
  if (well_formed && !(flags & 8))
    {
      if (!wharf_sigv4_verify (req, SECRET, &error))
        fuzz_fail ("a request signed by wharf_sigv4_sign() failed verification: %s\n%s",
                 error->message, canonical);
      g_assert (!wharf_sigv4_verify (req, SECRET "x", NULL));
    }
  return 0;
}
