/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-sigv4"

#include "config.h"

#include <string.h>

#include <openssl/crypto.h>

#include "wharf-sigv4.h"
#include "wharf-sigv4-private.h"

/* The server side of SigV4, for the sandbox: reading an Authorization header and checking a
 * request's signature against the secret of the key it names. */

static gboolean
is_lower_hex (const char *s,
              gsize       n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
      return FALSE;
  return TRUE;
}

static gboolean
valid_signed_headers (const char *s)
{
  gboolean segment_empty = TRUE;

  if (s == NULL || *s == '\0')
    return FALSE;

  for (const char *c = s; *c != '\0'; c++)
    {
      if (*c == ';')
        {
          if (segment_empty)
            return FALSE;
          segment_empty = TRUE;
        }
      /* A header name is an RFC 9110 token (tchar), lowercased. */
      else if (g_ascii_islower (*c) || g_ascii_isdigit (*c)
               || strchr ("!#$%&'*+-.^_`|~", *c) != NULL)
        segment_empty = FALSE;
      else
        return FALSE;
    }

  return !segment_empty;
}

gboolean
wharf_sigv4_parse_authorization (const char  *value,
                                 char       **access_key_id,
                                 char       **date8,
                                 char       **region,
                                 char       **service,
                                 char       **signed_headers,
                                 char       **signature,
                                 GError     **error)
{
  g_autofree char *credential = NULL;
  g_autofree char *headers = NULL;
  g_autofree char *sig = NULL;
  g_auto(GStrv) parts = NULL;
  g_auto(GStrv) scope = NULL;
  const char *rest;
  gsize alg_len;

  if (value == NULL || *value == '\0')
    {
      g_set_error_literal (error, WHARF_SIGV4_ERROR, WHARF_SIGV4_ERROR_MISSING,
                           "Missing Authentication Token");
      return FALSE;
    }

  while (g_ascii_isspace (*value))
    value++;
  alg_len = strcspn (value, " \t");
  if (alg_len != strlen (WHARF_SIGV4_ALGORITHM)
      || strncmp (value, WHARF_SIGV4_ALGORITHM, alg_len) != 0)
    {
      g_set_error (error, WHARF_SIGV4_ERROR, WHARF_SIGV4_ERROR_UNSUPPORTED_ALGORITHM,
                   "Unsupported authorization type “%.*s”; only " WHARF_SIGV4_ALGORITHM
                   " is accepted", (int) MIN (alg_len, 64), value);
      return FALSE;
    }
  rest = value + alg_len;

  parts = g_strsplit (rest, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *part = g_strstrip (parts[i]);
      char **slot;
      const char *eq = strchr (part, '=');

      if (*part == '\0')
        continue;
      if (eq == NULL)
        {
          g_set_error (error, WHARF_SIGV4_ERROR, WHARF_SIGV4_ERROR_MALFORMED,
                       "Authorization header part “%.64s” is not a key=value pair", part);
          return FALSE;
        }

      if (strncmp (part, "Credential=", 11) == 0)
        slot = &credential;
      else if (strncmp (part, "SignedHeaders=", 14) == 0)
        slot = &headers;
      else if (strncmp (part, "Signature=", 10) == 0)
        slot = &sig;
      else
        {
          g_set_error (error, WHARF_SIGV4_ERROR, WHARF_SIGV4_ERROR_MALFORMED,
                       "Authorization header has an unknown part “%.*s”",
                       (int) MIN (eq - part, 64), part);
          return FALSE;
        }

      if (*slot != NULL)
        {
          g_set_error (error, WHARF_SIGV4_ERROR, WHARF_SIGV4_ERROR_MALFORMED,
                       "Authorization header repeats “%.*s”", (int) MIN (eq - part, 64), part);
          return FALSE;
        }
      *slot = g_strdup (eq + 1);
    }

  if (credential == NULL || headers == NULL || sig == NULL)
    {
      g_set_error (error, WHARF_SIGV4_ERROR, WHARF_SIGV4_ERROR_MALFORMED,
                   "Authorization header requires 'Credential', 'SignedHeaders' and "
                   "'Signature' parameters%s%s%s",
                   credential == NULL ? "; Credential is missing" : "",
                   headers == NULL ? "; SignedHeaders is missing" : "",
                   sig == NULL ? "; Signature is missing" : "");
      return FALSE;
    }

  scope = g_strsplit (credential, "/", -1);
  if (g_strv_length (scope) != 5 || *scope[0] == '\0' || strlen (scope[1]) != 8
      || !wharf_sigv4_all_digits (scope[1], 8) || *scope[2] == '\0' || *scope[3] == '\0'
      || strcmp (scope[4], "aws4_request") != 0)
    {
      g_set_error (error, WHARF_SIGV4_ERROR, WHARF_SIGV4_ERROR_MALFORMED,
                   "Credential should be scoped to a valid region and service, in the form "
                   "<key id>/<YYYYMMDD>/<region>/<service>/aws4_request, not “%.128s”",
                   credential);
      return FALSE;
    }

  if (!valid_signed_headers (headers))
    {
      g_set_error (error, WHARF_SIGV4_ERROR, WHARF_SIGV4_ERROR_MALFORMED,
                   "SignedHeaders must be lowercase header names separated by ';', not "
                   "“%.128s”", headers);
      return FALSE;
    }

  if (strlen (sig) != 64 || !is_lower_hex (sig, 64))
    {
      g_set_error_literal (error, WHARF_SIGV4_ERROR, WHARF_SIGV4_ERROR_MALFORMED,
                           "Signature must be 64 lowercase hexadecimal digits");
      return FALSE;
    }

  if (access_key_id != NULL)
    *access_key_id = g_strdup (scope[0]);
  if (date8 != NULL)
    *date8 = g_strdup (scope[1]);
  if (region != NULL)
    *region = g_strdup (scope[2]);
  if (service != NULL)
    *service = g_strdup (scope[3]);
  if (signed_headers != NULL)
    *signed_headers = g_steal_pointer (&headers);
  if (signature != NULL)
    *signature = g_steal_pointer (&sig);

  return TRUE;
}

gboolean
wharf_sigv4_verify (const WharfSigv4Request  *req,
                    const char               *secret_access_key,
                    GError                  **error)
{
  g_autofree char *access_key_id = NULL;
  g_autofree char *date8 = NULL;
  g_autofree char *region = NULL;
  g_autofree char *service = NULL;
  g_autofree char *signed_headers = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *request_date8 = NULL;
  g_autoptr(GDateTime) time = NULL;
  g_auto(GStrv) names = NULL;
  WharfSigv4Params p;
  const char *amz_date;
  const char *content_sha;

  g_return_val_if_fail (req != NULL, FALSE);
  g_return_val_if_fail (secret_access_key != NULL, FALSE);

  if (!wharf_sigv4_parse_authorization (wharf_sigv4_request_get_header (req, "Authorization"),
                                        &access_key_id, &date8, &region, &service,
                                        &signed_headers, &signature, error))
    return FALSE;

  amz_date = wharf_sigv4_request_get_header (req, "X-Amz-Date");
  if (amz_date == NULL)
    {
      g_set_error_literal (error, WHARF_SIGV4_ERROR, WHARF_SIGV4_ERROR_MISSING_HEADER,
                           "Authorization header requires existence of a 'X-Amz-Date' header");
      return FALSE;
    }
  time = wharf_sigv4_parse_amz_date (amz_date, error);
  if (time == NULL)
    return FALSE;

  request_date8 = wharf_sigv4_format_date8 (time);
  if (strcmp (request_date8, date8) != 0)
    {
      g_set_error (error, WHARF_SIGV4_ERROR, WHARF_SIGV4_ERROR_DATE_MISMATCH,
                   "Date in Credential scope does not match YYYYMMDD from ISO-8601 version "
                   "of date from HTTP: '%s' != '%s', from '%s'",
                   date8, request_date8, amz_date);
      return FALSE;
    }

  names = g_strsplit (signed_headers, ";", -1);
  if (!g_strv_contains ((const char *const *) names, "host")
      || !g_strv_contains ((const char *const *) names, "x-amz-date"))
    {
      g_set_error (error, WHARF_SIGV4_ERROR, WHARF_SIGV4_ERROR_MISSING_HEADER,
                   "'Host' and 'X-Amz-Date' must be signed; SignedHeaders is '%s'",
                   signed_headers);
      return FALSE;
    }
  for (guint i = 0; names[i] != NULL; i++)
    if (wharf_sigv4_request_get_header (req, names[i]) == NULL)
      {
        g_set_error (error, WHARF_SIGV4_ERROR, WHARF_SIGV4_ERROR_MISSING_HEADER,
                     "Header '%s' is named in SignedHeaders but is not in the request",
                     names[i]);
        return FALSE;
      }

  content_sha = wharf_sigv4_request_get_header (req, "x-amz-content-sha256");
  if (content_sha != NULL && g_strv_contains ((const char *const *) names, "x-amz-content-sha256"))
    {
      gsize body_len = 0;
      const guint8 *body = wharf_sigv4_request_get_body (req, &body_len);
      g_autofree char *body_hash = wharf_sigv4_sha256_hex (body, body_len);
      g_autofree char *claimed = wharf_sigv4_canonical_header_value (content_sha);

      if (strcmp (claimed, body_hash) != 0)
        {
          g_set_error_literal (error, WHARF_SIGV4_ERROR, WHARF_SIGV4_ERROR_SIGNATURE_MISMATCH,
                               "The provided 'x-amz-content-sha256' header does not match what "
                               "was computed.");
          return FALSE;
        }
    }

  wharf_sigv4_params_init (&p);
  p.access_key_id = access_key_id;
  p.region = region;
  p.service = service;
  p.time = time;

  canonical = wharf_sigv4_build_canonical_request (req, &p, (const char *const *) names, NULL);
  expected = wharf_sigv4_compute_signature (canonical, &p, secret_access_key);

  if (CRYPTO_memcmp (expected, signature, 64) != 0)
    {
      g_set_error_literal (error, WHARF_SIGV4_ERROR, WHARF_SIGV4_ERROR_SIGNATURE_MISMATCH,
                           "The request signature we calculated does not match the signature "
                           "you provided. Check your AWS Secret Access Key and signing method.");
      return FALSE;
    }

  return TRUE;
}
