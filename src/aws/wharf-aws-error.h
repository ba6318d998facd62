/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define WHARF_AWS_ERROR (wharf_aws_error_quark ())

/**
 * WharfAwsErrorCode:
 * @WHARF_AWS_ERROR_NETWORK: the service could not be reached (DNS, refused, reset, TLS).
 * @WHARF_AWS_ERROR_TIMEOUT: connecting or the whole request took longer than allowed.
 * @WHARF_AWS_ERROR_THROTTLED: the service asked to slow down (ThrottlingException, …).
 * @WHARF_AWS_ERROR_ACCESS_DENIED: the credentials are valid but not allowed to do this.
 * @WHARF_AWS_ERROR_INVALID_CREDENTIALS: the access key is unknown or the signature is wrong.
 * @WHARF_AWS_ERROR_EXPIRED_CREDENTIALS: the session token or the request has expired.
 * @WHARF_AWS_ERROR_NOT_FOUND: a repository, image, policy or scan does not exist.
 * @WHARF_AWS_ERROR_ALREADY_EXISTS: a repository or image with that name already exists.
 * @WHARF_AWS_ERROR_VALIDATION: the service rejected a parameter.
 * @WHARF_AWS_ERROR_LIMIT_EXCEEDED: an account or resource limit was reached.
 * @WHARF_AWS_ERROR_SERVER: the service failed (HTTP 5xx).
 * @WHARF_AWS_ERROR_PROTOCOL: the response was not what the protocol promises (HTML from a
 *   proxy, truncated or malformed JSON, too large).
 * @WHARF_AWS_ERROR_INSECURE_ENDPOINT: the endpoint is plain http:// to a non-loopback host.
 * @WHARF_AWS_ERROR_CONFLICT: the request conflicts with the resource's state (repository
 *   not empty, immutable tag already exists).
 * @WHARF_AWS_ERROR_FAILED: any other AWS error; the AWS code is kept in the error.
 * @WHARF_AWS_ERROR_INVALID_REGION: the region is missing or not a valid region name.
 * @WHARF_AWS_ERROR_CREDENTIALS_UNAVAILABLE: the credential provider gave no credentials
 *   (its own error message is kept).
 * @WHARF_AWS_ERROR_INVALID_ENDPOINT: the endpoint URL is malformed, or the configuration
 *   cannot be served (FIPS or dual-stack with a custom endpoint, a partition without it).
 *
 * Cancellation is reported as %G_IO_ERROR_CANCELLED, never in this domain.
 */
typedef enum
{
  WHARF_AWS_ERROR_NETWORK,
  WHARF_AWS_ERROR_TIMEOUT,
  WHARF_AWS_ERROR_THROTTLED,
  WHARF_AWS_ERROR_ACCESS_DENIED,
  WHARF_AWS_ERROR_INVALID_CREDENTIALS,
  WHARF_AWS_ERROR_EXPIRED_CREDENTIALS,
  WHARF_AWS_ERROR_NOT_FOUND,
  WHARF_AWS_ERROR_ALREADY_EXISTS,
  WHARF_AWS_ERROR_VALIDATION,
  WHARF_AWS_ERROR_LIMIT_EXCEEDED,
  WHARF_AWS_ERROR_SERVER,
  WHARF_AWS_ERROR_PROTOCOL,
  WHARF_AWS_ERROR_INSECURE_ENDPOINT,
  WHARF_AWS_ERROR_CONFLICT,
  WHARF_AWS_ERROR_FAILED,
  WHARF_AWS_ERROR_INVALID_REGION,
  WHARF_AWS_ERROR_CREDENTIALS_UNAVAILABLE,
  WHARF_AWS_ERROR_INVALID_ENDPOINT,
} WharfAwsErrorCode;

GQuark       wharf_aws_error_quark           (void);

/* The AWS error code (the `__type` without namespace), NULL when the error is not one
 * the service sent. */
const char  *wharf_aws_error_get_aws_code    (const GError *error);
/* The message the service sent (may differ from error->message), or NULL. */
const char  *wharf_aws_error_get_aws_message (const GError *error);
const char  *wharf_aws_error_get_request_id  (const GError *error);
/* 0 when no HTTP response was received. */
guint        wharf_aws_error_get_http_status (const GError *error);
/* The error that caused this one, in its own domain and code (for
 * WHARF_AWS_ERROR_CREDENTIALS_UNAVAILABLE: the credential provider's error, such as
 * WHARF_SSO_ERROR_LOGIN_REQUIRED, or G_IO_ERROR_CANCELLED when no MFA code was given);
 * NULL when there is none. */
const GError *wharf_aws_error_get_cause      (const GError *error);

/* Where the refused request went, as the request engine records it: the operation
 * ("DescribeRepositories"), the region, and the endpoint URL when it was overridden
 * (NULL for AWS's own endpoint). NULL when unknown. */
const char  *wharf_aws_error_get_operation   (const GError *error);
const char  *wharf_aws_error_get_region      (const GError *error);
const char  *wharf_aws_error_get_endpoint    (const GError *error);
/* Records them in @error (ignored for an error in another domain). */
void         wharf_aws_error_set_context     (GError       *error,
                                              const char   *operation,
                                              const char   *region,
                                              const char   *endpoint);

/* Maps an AWS error code (already stripped of namespace) and HTTP status to a code. */
WharfAwsErrorCode wharf_aws_error_code_from_aws (const char *aws_code,
                                                 guint       http_status);

/* Creates an error in WHARF_AWS_ERROR carrying the AWS details. */
GError      *wharf_aws_error_new_full        (WharfAwsErrorCode  code,
                                              const char        *aws_code,
                                              const char        *aws_message,
                                              const char        *request_id,
                                              guint              http_status,
                                              const char        *message);

/* Creates an error in WHARF_AWS_ERROR that keeps a copy of @cause (see
 * wharf_aws_error_get_cause()); @message NULL uses the cause's message. */
GError      *wharf_aws_error_new_with_cause  (WharfAwsErrorCode  code,
                                              const GError      *cause,
                                              const char        *message);

/* Builds the error for a non-2xx response: `body` may be NULL/empty/non-JSON. Header values
 * are the x-amzn-ErrorType and request id headers (nullable). Never returns NULL. */
GError      *wharf_aws_error_from_response   (guint         http_status,
                                              const char   *error_type_header,
                                              const char   *request_id,
                                              const char   *body,
                                              gsize         body_len);

/* Strips "aws.protocols#" style namespaces and ":http://…" suffixes from a `__type` or
 * x-amzn-ErrorType value. Returns a new string, or NULL when nothing is left. */
char        *wharf_aws_error_normalize_code  (const char *raw);

/* Whether the code is a throttling code (retried with the throttling cost). */
gboolean     wharf_aws_error_code_is_throttling (const char *aws_code);
/* Whether the code is a transient code (retried). */
gboolean     wharf_aws_error_code_is_transient  (const char *aws_code);

G_END_DECLS
