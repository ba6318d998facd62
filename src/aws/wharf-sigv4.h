/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * AWS Signature Version 4 in explicit stages (canonical request, string to sign, signing
 * key, signature, Authorization value), on a neutral request type so that the client
 * (libsoup) and the sandbox (SoupServer) share it. Pure code: the time is an argument.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define WHARF_SIGV4_ALGORITHM "AWS4-HMAC-SHA256"

#define WHARF_SIGV4_ERROR (wharf_sigv4_error_quark ())

/**
 * WharfSigv4Error:
 * @WHARF_SIGV4_ERROR_MISSING: the request carries no Authorization header
 * @WHARF_SIGV4_ERROR_MALFORMED: the Authorization header (or X-Amz-Date) cannot be parsed
 *   or lacks a part (AWS: IncompleteSignature)
 * @WHARF_SIGV4_ERROR_UNSUPPORTED_ALGORITHM: not AWS4-HMAC-SHA256
 * @WHARF_SIGV4_ERROR_MISSING_HEADER: a header named in SignedHeaders (or a header that
 *   must be signed: host, x-amz-date) is absent or unsigned
 * @WHARF_SIGV4_ERROR_DATE_MISMATCH: the credential scope's date is not X-Amz-Date's date
 * @WHARF_SIGV4_ERROR_SIGNATURE_MISMATCH: the signature does not match (AWS:
 *   SignatureDoesNotMatch / InvalidSignatureException)
 */
typedef enum
{
  WHARF_SIGV4_ERROR_MISSING,
  WHARF_SIGV4_ERROR_MALFORMED,
  WHARF_SIGV4_ERROR_UNSUPPORTED_ALGORITHM,
  WHARF_SIGV4_ERROR_MISSING_HEADER,
  WHARF_SIGV4_ERROR_DATE_MISMATCH,
  WHARF_SIGV4_ERROR_SIGNATURE_MISMATCH,
} WharfSigv4Error;

GQuark wharf_sigv4_error_quark (void);

typedef struct _WharfSigv4Request WharfSigv4Request;

/* @path as on the wire (percent-encoded), e.g. "/"; @query without '?', nullable. */
WharfSigv4Request *wharf_sigv4_request_new            (const char               *method,
                                                       const char               *path,
                                                       const char               *query);
void               wharf_sigv4_request_free           (WharfSigv4Request        *req);
const char        *wharf_sigv4_request_get_method     (const WharfSigv4Request  *req);
const char        *wharf_sigv4_request_get_path       (const WharfSigv4Request  *req);
const char        *wharf_sigv4_request_get_query      (const WharfSigv4Request  *req);
/* Order and duplicates are kept. */
void               wharf_sigv4_request_add_header     (WharfSigv4Request        *req,
                                                       const char               *name,
                                                       const char               *value);
/* Removes every header called @name (case-insensitive); returns how many. */
guint              wharf_sigv4_request_remove_header  (WharfSigv4Request        *req,
                                                       const char               *name);
/* The first header called @name (case-insensitive), or NULL. */
const char        *wharf_sigv4_request_get_header     (const WharfSigv4Request  *req,
                                                       const char               *name);
guint              wharf_sigv4_request_get_n_headers  (const WharfSigv4Request  *req);
void               wharf_sigv4_request_get_header_nth (const WharfSigv4Request  *req,
                                                       guint                     i,
                                                       const char              **name,
                                                       const char              **value);
/* The body is copied. */
void               wharf_sigv4_request_set_body       (WharfSigv4Request        *req,
                                                       const void               *data,
                                                       gsize                     len);
const guint8      *wharf_sigv4_request_get_body       (const WharfSigv4Request  *req,
                                                       gsize                    *len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WharfSigv4Request, wharf_sigv4_request_free)

typedef struct
{
  const char *access_key_id;
  const char *secret_access_key;
  const char *session_token;      /* nullable */
  const char *region;
  const char *service;            /* signing name: "ecr"; "s3" turns off double encoding */
  GDateTime  *time;               /* the signing time; converted to UTC, never read inside */
  gboolean    normalize_path;     /* remove dot segments, collapse slashes (not for s3) */
  gboolean    sign_body;          /* add (and sign) x-amz-content-sha256 */
  gboolean    omit_session_token; /* add X-Amz-Security-Token after signing, unsigned */
} WharfSigv4Params;

/* Sets the defaults (normalize_path = TRUE, everything else 0/NULL). */
void     wharf_sigv4_params_init             (WharfSigv4Params        *p);

/* "20150830T123600Z" and "20150830" for @time (in UTC). */
char    *wharf_sigv4_format_amz_date         (GDateTime               *time);
char    *wharf_sigv4_format_date8            (GDateTime               *time);
/* Parses an X-Amz-Date value ("20150830T123600Z") into a UTC GDateTime. */
GDateTime *wharf_sigv4_parse_amz_date        (const char              *value,
                                              GError                 **error);

/* Lowercase hex SHA-256 of @data. */
char    *wharf_sigv4_sha256_hex              (const void              *data,
                                              gsize                    len);

/*
 * Stage 1. The canonical request of @req as it would be signed with @p: the headers
 * wharf_sigv4_sign() adds (X-Amz-Date from p->time, X-Amz-Security-Token unless omitted,
 * x-amz-content-sha256 if sign_body) are included when @req does not carry them yet.
 * Every header is signed except user-agent, expect, x-amzn-trace-id and authorization.
 * @signed_headers (nullable) receives "host;x-amz-date".
 */
char    *wharf_sigv4_canonical_request       (const WharfSigv4Request *req,
                                              const WharfSigv4Params  *p);
char    *wharf_sigv4_canonical_request_full  (const WharfSigv4Request *req,
                                              const WharfSigv4Params  *p,
                                              char                   **signed_headers);
/* The canonical URI of @path alone (normalisation and double encoding as @p says). */
char    *wharf_sigv4_canonical_path          (const char              *path,
                                              const WharfSigv4Params  *p);
/* The canonical query string of @query (nullable): decoded, re-encoded, sorted. */
char    *wharf_sigv4_canonical_query         (const char              *query);

/* Stage 2. "AWS4-HMAC-SHA256\n<amz-date>\n<scope>\n<hex sha256 of canonical request>". */
char    *wharf_sigv4_string_to_sign          (const char              *canonical_request,
                                              const WharfSigv4Params  *p);
/* "<date8>/<region>/<service>/aws4_request" */
char    *wharf_sigv4_credential_scope        (const WharfSigv4Params  *p);

/* Stage 3. HMAC chain from "AWS4" + secret; wipe @key with OPENSSL_cleanse after use. */
void     wharf_sigv4_signing_key             (const char              *secret,
                                              const char              *date8,
                                              const char              *region,
                                              const char              *service,
                                              guint8                   key[32]);

/* Stage 4. Lowercase hex HMAC-SHA256 (@signing_key, @string_to_sign). */
char    *wharf_sigv4_signature               (const guint8             signing_key[32],
                                              const char              *string_to_sign);

/* Stage 5. "AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…". */
char    *wharf_sigv4_authorization           (const WharfSigv4Params  *p,
                                              const char              *signed_headers,
                                              const char              *signature);

/*
 * Client: removes earlier signing headers (so a request can be signed again), adds
 * X-Amz-Date, X-Amz-Security-Token (signed, or after signing when omitted),
 * x-amz-content-sha256 (if sign_body) and Authorization to @req, and returns the
 * Authorization value. Sign after every other header (Host included) is set.
 */
char    *wharf_sigv4_sign                    (WharfSigv4Request       *req,
                                              const WharfSigv4Params  *p);

/* Server: parses an Authorization value; every out parameter is nullable. */
gboolean wharf_sigv4_parse_authorization     (const char              *value,
                                              char                   **access_key_id,
                                              char                   **date8,
                                              char                   **region,
                                              char                   **service,
                                              char                   **signed_headers,
                                              char                   **signature,
                                              GError                 **error);

/*
 * Server: recomputes the signature over exactly the headers named in SignedHeaders, at
 * the request's X-Amz-Date, with the region and service of the credential scope, and
 * compares in constant time. host and x-amz-date must be signed. Checking the key id,
 * the clock skew and the region is the caller's business.
 */
gboolean wharf_sigv4_verify                  (const WharfSigv4Request *req,
                                              const char              *secret_access_key,
                                              GError                 **error);

G_END_DECLS
