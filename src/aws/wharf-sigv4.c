/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-sigv4"

#include "config.h"

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "wharf-sigv4.h"
#include "wharf-sigv4-private.h"

G_DEFINE_QUARK (wharf-sigv4-error-quark, wharf_sigv4_error)

typedef struct
{
  char *name;
  char *value;
} Header;

struct _WharfSigv4Request
{
  char      *method;
  char      *path;
  char      *query;
  GPtrArray *headers;  /* Header */
  guint8    *body;
  gsize      body_len;
};

/* Headers botocore never signs: proxies and tools change them on the way. */
static const char *const unsigned_headers[] = {
  "authorization", "user-agent", "expect", "x-amzn-trace-id",
};

static void
header_free (gpointer data)
{
  Header *h = data;

  g_free (h->name);
  g_free (h->value);
  g_free (h);
}

WharfSigv4Request *
wharf_sigv4_request_new (const char *method,
                         const char *path,
                         const char *query)
{
  WharfSigv4Request *req;

  g_return_val_if_fail (method != NULL, NULL);

  req = g_new0 (WharfSigv4Request, 1);
  req->method = g_strdup (method);
  req->path = g_strdup (path != NULL && *path != '\0' ? path : "/");
  req->query = g_strdup (query != NULL ? query : "");
  req->headers = g_ptr_array_new_with_free_func (header_free);

  return req;
}

void
wharf_sigv4_request_free (WharfSigv4Request *req)
{
  if (req == NULL)
    return;

  g_free (req->method);
  g_free (req->path);
  g_free (req->query);
  g_ptr_array_unref (req->headers);
  g_free (req->body);
  g_free (req);
}

const char *
wharf_sigv4_request_get_method (const WharfSigv4Request *req)
{
  g_return_val_if_fail (req != NULL, NULL);
  return req->method;
}

const char *
wharf_sigv4_request_get_path (const WharfSigv4Request *req)
{
  g_return_val_if_fail (req != NULL, NULL);
  return req->path;
}

const char *
wharf_sigv4_request_get_query (const WharfSigv4Request *req)
{
  g_return_val_if_fail (req != NULL, NULL);
  return req->query;
}

void
wharf_sigv4_request_add_header (WharfSigv4Request *req,
                                const char        *name,
                                const char        *value)
{
  Header *h;

  g_return_if_fail (req != NULL);
  g_return_if_fail (name != NULL);

  h = g_new0 (Header, 1);
  h->name = g_strdup (name);
  h->value = g_strdup (value != NULL ? value : "");
  g_ptr_array_add (req->headers, h);
}

guint
wharf_sigv4_request_remove_header (WharfSigv4Request *req,
                                   const char        *name)
{
  guint removed = 0;

  g_return_val_if_fail (req != NULL, 0);
  g_return_val_if_fail (name != NULL, 0);

  for (guint i = 0; i < req->headers->len;)
    {
      Header *h = g_ptr_array_index (req->headers, i);

      if (g_ascii_strcasecmp (h->name, name) == 0)
        {
          g_ptr_array_remove_index (req->headers, i);
          removed++;
        }
      else
        i++;
    }

  return removed;
}

const char *
wharf_sigv4_request_get_header (const WharfSigv4Request *req,
                                const char              *name)
{
  g_return_val_if_fail (req != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < req->headers->len; i++)
    {
      Header *h = g_ptr_array_index (req->headers, i);

      if (g_ascii_strcasecmp (h->name, name) == 0)
        return h->value;
    }

  return NULL;
}

guint
wharf_sigv4_request_get_n_headers (const WharfSigv4Request *req)
{
  g_return_val_if_fail (req != NULL, 0);
  return req->headers->len;
}

void
wharf_sigv4_request_get_header_nth (const WharfSigv4Request  *req,
                                    guint                     i,
                                    const char              **name,
                                    const char              **value)
{
  Header *h;

  g_return_if_fail (req != NULL);
  g_return_if_fail (i < req->headers->len);

  h = g_ptr_array_index (req->headers, i);
  if (name != NULL)
    *name = h->name;
  if (value != NULL)
    *value = h->value;
}

void
wharf_sigv4_request_set_body (WharfSigv4Request *req,
                              const void        *data,
                              gsize              len)
{
  g_return_if_fail (req != NULL);
  g_return_if_fail (data != NULL || len == 0);

  g_clear_pointer (&req->body, g_free);
  req->body = len > 0 ? g_memdup2 (data, len) : NULL;
  req->body_len = len;
}

const guint8 *
wharf_sigv4_request_get_body (const WharfSigv4Request *req,
                              gsize                   *len)
{
  g_return_val_if_fail (req != NULL, NULL);

  if (len != NULL)
    *len = req->body_len;
  return req->body;
}

void
wharf_sigv4_params_init (WharfSigv4Params *p)
{
  g_return_if_fail (p != NULL);

  memset (p, 0, sizeof *p);
  p->normalize_path = TRUE;
}

/* Crypto helpers */

static const char hex_digits[] = "0123456789abcdef";

static void
to_hex (const guint8 *data,
        gsize         len,
        char         *out /* 2 * len + 1 */)
{
  for (gsize i = 0; i < len; i++)
    {
      out[2 * i] = hex_digits[data[i] >> 4];
      out[2 * i + 1] = hex_digits[data[i] & 0xf];
    }
  out[2 * len] = '\0';
}

static EVP_MAC *
get_hmac (void)
{
  static gsize once = 0;
  static EVP_MAC *mac;

  /* Fetching an algorithm is costly; the fetched object is immutable and thread-safe. */
  if (g_once_init_enter (&once))
    {
      mac = EVP_MAC_fetch (NULL, OSSL_MAC_NAME_HMAC, NULL);
      if (mac == NULL)
        g_error ("OpenSSL has no HMAC implementation");
      g_once_init_leave (&once, 1);
    }

  return mac;
}

static void
hmac_sha256 (const guint8 *key,
             gsize         key_len,
             const void   *data,
             gsize         data_len,
             guint8        out[32])
{
  EVP_MAC_CTX *ctx;
  OSSL_PARAM params[2];
  size_t out_len = 0;
  char digest[] = "SHA256";

  params[0] = OSSL_PARAM_construct_utf8_string (OSSL_MAC_PARAM_DIGEST, digest, 0);
  params[1] = OSSL_PARAM_construct_end ();

  ctx = EVP_MAC_CTX_new (get_hmac ());
  if (ctx == NULL
      || !EVP_MAC_init (ctx, key, key_len, params)
      || !EVP_MAC_update (ctx, data, data_len)
      || !EVP_MAC_final (ctx, out, &out_len, 32)
      || out_len != 32)
    g_error ("HMAC-SHA256 failed in OpenSSL");

  EVP_MAC_CTX_free (ctx);
}

static void
sha256 (const void *data,
        gsize       len,
        guint8      out[32])
{
  unsigned int out_len = 0;

  if (!EVP_Digest (data, len, out, &out_len, EVP_sha256 (), NULL) || out_len != 32)
    g_error ("SHA-256 failed in OpenSSL");
}

char *
wharf_sigv4_sha256_hex (const void *data,
                        gsize       len)
{
  guint8 digest[32];
  char *hex = g_malloc (65);

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  sha256 (data != NULL ? data : "", len, digest);
  to_hex (digest, 32, hex);
  return hex;
}

/* Dates */

char *
wharf_sigv4_format_amz_date (GDateTime *time)
{
  g_autoptr(GDateTime) utc = NULL;

  g_return_val_if_fail (time != NULL, NULL);

  utc = g_date_time_to_utc (time);
  return g_date_time_format (utc, "%Y%m%dT%H%M%SZ");
}

char *
wharf_sigv4_format_date8 (GDateTime *time)
{
  g_autoptr(GDateTime) utc = NULL;

  g_return_val_if_fail (time != NULL, NULL);

  utc = g_date_time_to_utc (time);
  return g_date_time_format (utc, "%Y%m%d");
}

gboolean
wharf_sigv4_all_digits (const char *s,
                        gsize       n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

static int
digits_value (const char *s,
              gsize       n)
{
  int v = 0;

  for (gsize i = 0; i < n; i++)
    v = v * 10 + (s[i] - '0');
  return v;
}

GDateTime *
wharf_sigv4_parse_amz_date (const char  *value,
                            GError     **error)
{
  GDateTime *dt = NULL;

  /* Exactly YYYYMMDD'T'HHMMSS'Z' */
  if (value != NULL && strlen (value) == 16 && wharf_sigv4_all_digits (value, 8) && value[8] == 'T'
      && wharf_sigv4_all_digits (value + 9, 6) && value[15] == 'Z')
    dt = g_date_time_new_utc (digits_value (value, 4), digits_value (value + 4, 2),
                              digits_value (value + 6, 2), digits_value (value + 9, 2),
                              digits_value (value + 11, 2), digits_value (value + 13, 2));

  if (dt == NULL)
    g_set_error (error, WHARF_SIGV4_ERROR, WHARF_SIGV4_ERROR_MALFORMED,
                 "X-Amz-Date must have the format YYYYMMDD'T'HHMMSS'Z', not “%s”",
                 value != NULL ? value : "");
  return dt;
}

/* Canonicalisation */

static inline gboolean
is_unreserved (guchar c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_' || c == '.' || c == '~';
}

static void
uri_encode (GString    *out,
            const char *s,
            gsize       len,
            gboolean    keep_slash,
            gboolean    keep_percent)
{
  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) s[i];

      if (is_unreserved (c) || (keep_slash && c == '/') || (keep_percent && c == '%'))
        g_string_append_c (out, (char) c);
      else
        g_string_append_printf (out, "%%%02X", c);
    }
}

static gboolean
is_s3 (const WharfSigv4Params *p)
{
  return g_strcmp0 (p->service, "s3") == 0;
}

/* As botocore's remove_dot_segments(): also collapses empty segments, and keeps a
 * trailing slash only when the path ended with one. */
static char *
normalize_path (const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  g_autoptr(GPtrArray) out = g_ptr_array_new ();
  GString *result = g_string_new ("/");
  gsize len = strlen (path);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *seg = parts[i];

      if (*seg == '\0' || strcmp (seg, ".") == 0)
        continue;
      if (strcmp (seg, "..") == 0)
        {
          if (out->len > 0)
            g_ptr_array_remove_index (out, out->len - 1);
          continue;
        }
      g_ptr_array_add (out, (gpointer) seg);
    }

  for (guint i = 0; i < out->len; i++)
    {
      if (i > 0)
        g_string_append_c (result, '/');
      g_string_append (result, g_ptr_array_index (out, i));
    }
  if (out->len > 0 && len > 0 && path[len - 1] == '/')
    g_string_append_c (result, '/');

  return g_string_free (result, FALSE);
}

char *
wharf_sigv4_canonical_path (const char             *path,
                            const WharfSigv4Params *p)
{
  g_autofree char *normalized = NULL;
  GString *out;

  g_return_val_if_fail (p != NULL, NULL);

  if (path == NULL || *path == '\0')
    path = "/";

  out = g_string_sized_new (strlen (path) + 16);

  if (is_s3 (p))
    {
      /* S3 signs the path as sent: no normalisation, no second encoding. Raw bytes that
       * should have been escaped on the wire are escaped once. */
      if (*path != '/')
        g_string_append_c (out, '/');
      uri_encode (out, path, strlen (path), TRUE, TRUE);
      return g_string_free (out, FALSE);
    }

  if (p->normalize_path)
    path = normalized = normalize_path (path);
  else if (*path != '/')
    g_string_append_c (out, '/');

  /* Every other service encodes the wire path again ("double encoding"). */
  uri_encode (out, path, strlen (path), TRUE, FALSE);
  return g_string_free (out, FALSE);
}

static int
hexval (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Percent-decodes @s (@len bytes); invalid escapes stay as they are, '+' stays '+'. */
static GString *
percent_decode (const char *s,
                gsize       len)
{
  GString *out = g_string_sized_new (len);

  for (gsize i = 0; i < len; i++)
    {
      if (s[i] == '%' && i + 2 < len && hexval (s[i + 1]) >= 0 && hexval (s[i + 2]) >= 0)
        {
          g_string_append_c (out, (char) (hexval (s[i + 1]) << 4 | hexval (s[i + 2])));
          i += 2;
        }
      else
        g_string_append_c (out, s[i]);
    }

  return out;
}

typedef struct
{
  char *key;
  char *value;
} QueryParam;

static int
query_param_compare (gconstpointer a,
                     gconstpointer b)
{
  const QueryParam *pa = a;
  const QueryParam *pb = b;
  int r = strcmp (pa->key, pb->key);

  return r != 0 ? r : strcmp (pa->value, pb->value);
}

static char *
encode_component (const char *s,
                  gsize       len)
{
  g_autoptr(GString) decoded = percent_decode (s, len);
  GString *out = g_string_sized_new (decoded->len * 3 / 2 + 1);

  uri_encode (out, decoded->str, decoded->len, FALSE, FALSE);
  return g_string_free (out, FALSE);
}

char *
wharf_sigv4_canonical_query (const char *query)
{
  g_autoptr(GArray) params = NULL;
  GString *out;
  const char *p;

  if (query == NULL || *query == '\0')
    return g_strdup ("");

  params = g_array_new (FALSE, FALSE, sizeof (QueryParam));
  p = query;
  while (*p != '\0')
    {
      const char *end = strchr (p, '&');
      const char *eq;
      QueryParam param;

      if (end == NULL)
        end = p + strlen (p);

      if (end > p)
        {
          eq = memchr (p, '=', end - p);
          if (eq != NULL)
            {
              param.key = encode_component (p, eq - p);
              param.value = encode_component (eq + 1, end - eq - 1);
            }
          else
            {
              param.key = encode_component (p, end - p);
              param.value = g_strdup ("");
            }
          g_array_append_val (params, param);
        }

      p = *end == '&' ? end + 1 : end;
    }

  g_array_sort (params, query_param_compare);

  out = g_string_new (NULL);
  for (guint i = 0; i < params->len; i++)
    {
      QueryParam *param = &g_array_index (params, QueryParam, i);

      if (i > 0)
        g_string_append_c (out, '&');
      g_string_append (out, param->key);
      g_string_append_c (out, '=');
      g_string_append (out, param->value);
      g_free (param->key);
      g_free (param->value);
    }

  return g_string_free (out, FALSE);
}

/* Trims, folds line breaks and squashes runs of whitespace to one space (as botocore's
 * ' '.join(value.split())). */
char *
wharf_sigv4_canonical_header_value (const char *value)
{
  GString *out = g_string_sized_new (strlen (value));
  gboolean pending_space = FALSE;

  for (const char *c = value; *c != '\0'; c++)
    {
      if (g_ascii_isspace (*c))
        {
          pending_space = out->len > 0;
          continue;
        }
      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_c (out, *c);
    }

  return g_string_free (out, FALSE);
}

typedef struct
{
  char  *name;   /* lowercase */
  char  *value;  /* canonical */
  guint  order;
} CanonicalHeader;

static void
canonical_header_clear (gpointer data)
{
  CanonicalHeader *h = data;

  g_free (h->name);
  g_free (h->value);
}

static int
canonical_header_compare (gconstpointer a,
                          gconstpointer b)
{
  const CanonicalHeader *ha = a;
  const CanonicalHeader *hb = b;
  int r = strcmp (ha->name, hb->name);

  if (r != 0)
    return r;
  return ha->order < hb->order ? -1 : ha->order > hb->order;
}

static gboolean
name_in_list (const char        *name,
              const char *const *list,
              gsize              n)
{
  for (gsize i = 0; i < n; i++)
    if (strcmp (name, list[i]) == 0)
      return TRUE;
  return FALSE;
}

static void
add_canonical_header (GArray     *headers,
                      const char *name,
                      const char *value)
{
  CanonicalHeader h;

  h.name = g_ascii_strdown (name, -1);
  h.value = wharf_sigv4_canonical_header_value (value);
  h.order = headers->len;
  g_array_append_val (headers, h);
}

/*
 * @only: when not NULL (server side), exactly these lowercase header names are signed
 * and nothing is added; otherwise (client side) every header but the unsigned ones,
 * plus those wharf_sigv4_sign() would add.
 */
char *
wharf_sigv4_build_canonical_request (const WharfSigv4Request *req,
                                     const WharfSigv4Params  *p,
                                     const char *const       *only,
                                     char                   **signed_headers_out)
{
  g_autoptr(GArray) headers = g_array_new (FALSE, FALSE, sizeof (CanonicalHeader));
  g_autofree char *path = NULL;
  g_autofree char *query = NULL;
  g_autofree char *payload_hash = NULL;
  g_autoptr(GString) signed_headers = g_string_new (NULL);
  const char *content_sha = wharf_sigv4_request_get_header (req, "x-amz-content-sha256");
  GString *out;

  g_array_set_clear_func (headers, canonical_header_clear);

  /* As botocore and AWS: a present x-amz-content-sha256 is the payload hash (S3 sends
   * UNSIGNED-PAYLOAD there); wharf_sigv4_verify() checks it against the body. */
  if (content_sha != NULL && (only == NULL || g_strv_contains (only, "x-amz-content-sha256")))
    payload_hash = wharf_sigv4_canonical_header_value (content_sha);
  else
    payload_hash = wharf_sigv4_sha256_hex (req->body, req->body_len);

  for (guint i = 0; i < req->headers->len; i++)
    {
      Header *h = g_ptr_array_index (req->headers, i);
      g_autofree char *lname = g_strstrip (g_ascii_strdown (h->name, -1));

      if (only != NULL)
        {
          if (!g_strv_contains (only, lname))
            continue;
        }
      else
        {
          if (name_in_list (lname, unsigned_headers, G_N_ELEMENTS (unsigned_headers)))
            continue;
          if (p->omit_session_token && strcmp (lname, "x-amz-security-token") == 0)
            continue;
        }

      add_canonical_header (headers, lname, h->value);
    }

  if (only == NULL)
    {
      if (wharf_sigv4_request_get_header (req, "x-amz-date") == NULL)
        {
          g_autofree char *amz_date = wharf_sigv4_format_amz_date (p->time);
          add_canonical_header (headers, "x-amz-date", amz_date);
        }
      if (p->session_token != NULL && !p->omit_session_token
          && wharf_sigv4_request_get_header (req, "x-amz-security-token") == NULL)
        add_canonical_header (headers, "x-amz-security-token", p->session_token);
      if (p->sign_body && content_sha == NULL)
        add_canonical_header (headers, "x-amz-content-sha256", payload_hash);
    }

  g_array_sort (headers, canonical_header_compare);

  path = wharf_sigv4_canonical_path (req->path, p);
  query = wharf_sigv4_canonical_query (req->query);

  out = g_string_sized_new (256);
  g_string_append (out, req->method);
  g_string_append_c (out, '\n');
  g_string_append (out, path);
  g_string_append_c (out, '\n');
  g_string_append (out, query);
  g_string_append_c (out, '\n');

  for (guint i = 0; i < headers->len; i++)
    {
      CanonicalHeader *h = &g_array_index (headers, CanonicalHeader, i);

      if (i > 0 && strcmp (h->name, g_array_index (headers, CanonicalHeader, i - 1).name) == 0)
        {
          /* A repeated header: its values joined with commas, in the order sent. */
          g_string_append_c (out, ',');
          g_string_append (out, h->value);
          continue;
        }
      if (i > 0)
        {
          g_string_append_c (out, '\n');
          g_string_append_c (signed_headers, ';');
        }
      g_string_append (out, h->name);
      g_string_append_c (out, ':');
      g_string_append (out, h->value);
      g_string_append (signed_headers, h->name);
    }
  if (headers->len > 0)
    g_string_append_c (out, '\n');

  g_string_append_c (out, '\n');
  g_string_append (out, signed_headers->str);
  g_string_append_c (out, '\n');
  g_string_append (out, payload_hash);

  if (signed_headers_out != NULL)
    *signed_headers_out = g_strdup (signed_headers->str);

  return g_string_free (out, FALSE);
}

char *
wharf_sigv4_canonical_request_full (const WharfSigv4Request  *req,
                                    const WharfSigv4Params   *p,
                                    char                    **signed_headers)
{
  g_return_val_if_fail (req != NULL, NULL);
  g_return_val_if_fail (p != NULL, NULL);
  g_return_val_if_fail (p->time != NULL, NULL);

  return wharf_sigv4_build_canonical_request (req, p, NULL, signed_headers);
}

char *
wharf_sigv4_canonical_request (const WharfSigv4Request *req,
                               const WharfSigv4Params  *p)
{
  return wharf_sigv4_canonical_request_full (req, p, NULL);
}

char *
wharf_sigv4_credential_scope (const WharfSigv4Params *p)
{
  g_autofree char *date8 = NULL;

  g_return_val_if_fail (p != NULL, NULL);
  g_return_val_if_fail (p->time != NULL, NULL);
  g_return_val_if_fail (p->region != NULL && p->service != NULL, NULL);

  date8 = wharf_sigv4_format_date8 (p->time);
  return g_strdup_printf ("%s/%s/%s/aws4_request", date8, p->region, p->service);
}

char *
wharf_sigv4_string_to_sign (const char             *canonical_request,
                            const WharfSigv4Params *p)
{
  g_autofree char *amz_date = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *hash = NULL;

  g_return_val_if_fail (canonical_request != NULL, NULL);
  g_return_val_if_fail (p != NULL, NULL);

  amz_date = wharf_sigv4_format_amz_date (p->time);
  scope = wharf_sigv4_credential_scope (p);
  hash = wharf_sigv4_sha256_hex (canonical_request, strlen (canonical_request));

  return g_strconcat (WHARF_SIGV4_ALGORITHM "\n", amz_date, "\n", scope, "\n", hash, NULL);
}

void
wharf_sigv4_signing_key (const char *secret,
                         const char *date8,
                         const char *region,
                         const char *service,
                         guint8      key[32])
{
  gsize secret_len;
  guint8 *k_secret;
  guint8 k_date[32];
  guint8 k_region[32];
  guint8 k_service[32];

  g_return_if_fail (secret != NULL && date8 != NULL && region != NULL && service != NULL);
  g_return_if_fail (key != NULL);

  secret_len = strlen (secret);
  k_secret = g_malloc (secret_len + 4);
  memcpy (k_secret, "AWS4", 4);
  memcpy (k_secret + 4, secret, secret_len);

  hmac_sha256 (k_secret, secret_len + 4, date8, strlen (date8), k_date);
  hmac_sha256 (k_date, 32, region, strlen (region), k_region);
  hmac_sha256 (k_region, 32, service, strlen (service), k_service);
  hmac_sha256 (k_service, 32, "aws4_request", strlen ("aws4_request"), key);

  OPENSSL_cleanse (k_secret, secret_len + 4);
  OPENSSL_cleanse (k_date, sizeof k_date);
  OPENSSL_cleanse (k_region, sizeof k_region);
  OPENSSL_cleanse (k_service, sizeof k_service);
  g_free (k_secret);
}

char *
wharf_sigv4_signature (const guint8  signing_key[32],
                       const char   *string_to_sign)
{
  guint8 mac[32];
  char *hex;

  g_return_val_if_fail (signing_key != NULL, NULL);
  g_return_val_if_fail (string_to_sign != NULL, NULL);

  hmac_sha256 (signing_key, 32, string_to_sign, strlen (string_to_sign), mac);
  hex = g_malloc (65);
  to_hex (mac, 32, hex);
  return hex;
}

char *
wharf_sigv4_authorization (const WharfSigv4Params *p,
                           const char             *signed_headers,
                           const char             *signature)
{
  g_autofree char *scope = NULL;

  g_return_val_if_fail (p != NULL && p->access_key_id != NULL, NULL);
  g_return_val_if_fail (signed_headers != NULL && signature != NULL, NULL);

  scope = wharf_sigv4_credential_scope (p);
  return g_strdup_printf (WHARF_SIGV4_ALGORITHM " Credential=%s/%s, SignedHeaders=%s, Signature=%s",
                          p->access_key_id, scope, signed_headers, signature);
}

/* Runs stages 2–4 for @canonical. */
char *
wharf_sigv4_compute_signature (const char             *canonical,
                               const WharfSigv4Params *p,
                               const char             *secret)
{
  g_autofree char *string_to_sign = wharf_sigv4_string_to_sign (canonical, p);
  g_autofree char *date8 = wharf_sigv4_format_date8 (p->time);
  guint8 key[32];
  char *signature;

  wharf_sigv4_signing_key (secret, date8, p->region, p->service, key);
  signature = wharf_sigv4_signature (key, string_to_sign);
  OPENSSL_cleanse (key, sizeof key);

  return signature;
}

char *
wharf_sigv4_sign (WharfSigv4Request      *req,
                  const WharfSigv4Params *p)
{
  g_autofree char *amz_date = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *signed_headers = NULL;
  g_autofree char *signature = NULL;
  char *authorization;

  g_return_val_if_fail (req != NULL, NULL);
  g_return_val_if_fail (p != NULL, NULL);
  g_return_val_if_fail (p->time != NULL, NULL);
  g_return_val_if_fail (p->access_key_id != NULL && p->secret_access_key != NULL, NULL);
  g_return_val_if_fail (p->region != NULL && p->service != NULL, NULL);

  /* Signing again (a retry) replaces the previous signature. */
  wharf_sigv4_request_remove_header (req, "Authorization");
  wharf_sigv4_request_remove_header (req, "X-Amz-Date");
  wharf_sigv4_request_remove_header (req, "X-Amz-Security-Token");
  if (p->sign_body)
    wharf_sigv4_request_remove_header (req, "x-amz-content-sha256");

  amz_date = wharf_sigv4_format_amz_date (p->time);
  wharf_sigv4_request_add_header (req, "X-Amz-Date", amz_date);
  if (p->session_token != NULL && !p->omit_session_token)
    wharf_sigv4_request_add_header (req, "X-Amz-Security-Token", p->session_token);
  if (p->sign_body)
    {
      g_autofree char *hash = wharf_sigv4_sha256_hex (req->body, req->body_len);
      wharf_sigv4_request_add_header (req, "x-amz-content-sha256", hash);
    }

  canonical = wharf_sigv4_build_canonical_request (req, p, NULL, &signed_headers);
  signature = wharf_sigv4_compute_signature (canonical, p, p->secret_access_key);
  authorization = wharf_sigv4_authorization (p, signed_headers, signature);

  if (p->session_token != NULL && p->omit_session_token)
    wharf_sigv4_request_add_header (req, "X-Amz-Security-Token", p->session_token);
  wharf_sigv4_request_add_header (req, "Authorization", authorization);

  return authorization;
}
