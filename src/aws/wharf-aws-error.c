/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-aws"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "wharf-aws-error.h"

typedef struct
{
  char   *aws_code;
  char   *aws_message;
  char   *request_id;
  guint   http_status;
  GError *cause;
  /* Where the request went: set by the request engine (wharf_aws_error_set_context()). */
  char   *operation;
  char   *region;
  char   *endpoint;   /* only when overridden */
} WharfAwsErrorPrivate;

static void
wharf_aws_error_private_init (WharfAwsErrorPrivate *priv)
{
  priv->aws_code = NULL;
  priv->aws_message = NULL;
  priv->request_id = NULL;
  priv->http_status = 0;
  priv->cause = NULL;
  priv->operation = NULL;
  priv->region = NULL;
  priv->endpoint = NULL;
}

static void
wharf_aws_error_private_copy (const WharfAwsErrorPrivate *src,
                              WharfAwsErrorPrivate       *dest)
{
  dest->aws_code = g_strdup (src->aws_code);
  dest->aws_message = g_strdup (src->aws_message);
  dest->request_id = g_strdup (src->request_id);
  dest->http_status = src->http_status;
  dest->cause = src->cause != NULL ? g_error_copy (src->cause) : NULL;
  dest->operation = g_strdup (src->operation);
  dest->region = g_strdup (src->region);
  dest->endpoint = g_strdup (src->endpoint);
}

static void
wharf_aws_error_private_clear (WharfAwsErrorPrivate *priv)
{
  g_clear_pointer (&priv->aws_code, g_free);
  g_clear_pointer (&priv->aws_message, g_free);
  g_clear_pointer (&priv->request_id, g_free);
  g_clear_error (&priv->cause);
  g_clear_pointer (&priv->operation, g_free);
  g_clear_pointer (&priv->region, g_free);
  g_clear_pointer (&priv->endpoint, g_free);
}

G_DEFINE_EXTENDED_ERROR (WharfAwsError, wharf_aws_error)

static const WharfAwsErrorPrivate *
get_private (const GError *error)
{
  if (!error || error->domain != WHARF_AWS_ERROR)
    return NULL;
  return wharf_aws_error_get_private (error);
}

const char *
wharf_aws_error_get_aws_code (const GError *error)
{
  const WharfAwsErrorPrivate *priv = get_private (error);

  return priv ? priv->aws_code : NULL;
}

const char *
wharf_aws_error_get_aws_message (const GError *error)
{
  const WharfAwsErrorPrivate *priv = get_private (error);

  return priv ? priv->aws_message : NULL;
}

const char *
wharf_aws_error_get_request_id (const GError *error)
{
  const WharfAwsErrorPrivate *priv = get_private (error);

  return priv ? priv->request_id : NULL;
}

guint
wharf_aws_error_get_http_status (const GError *error)
{
  const WharfAwsErrorPrivate *priv = get_private (error);

  return priv ? priv->http_status : 0;
}

const GError *
wharf_aws_error_get_cause (const GError *error)
{
  const WharfAwsErrorPrivate *priv = get_private (error);

  return priv ? priv->cause : NULL;
}

const char *
wharf_aws_error_get_operation (const GError *error)
{
  const WharfAwsErrorPrivate *priv = get_private (error);

  return priv ? priv->operation : NULL;
}

const char *
wharf_aws_error_get_region (const GError *error)
{
  const WharfAwsErrorPrivate *priv = get_private (error);

  return priv ? priv->region : NULL;
}

const char *
wharf_aws_error_get_endpoint (const GError *error)
{
  const WharfAwsErrorPrivate *priv = get_private (error);

  return priv ? priv->endpoint : NULL;
}

void
wharf_aws_error_set_context (GError     *error,
                             const char *operation,
                             const char *region,
                             const char *endpoint)
{
  WharfAwsErrorPrivate *priv;

  if (error == NULL || error->domain != WHARF_AWS_ERROR)
    return;

  priv = wharf_aws_error_get_private (error);
  g_free (priv->operation);
  priv->operation = g_strdup (operation);
  g_free (priv->region);
  priv->region = g_strdup (region);
  g_free (priv->endpoint);
  priv->endpoint = g_strdup (endpoint);
}

/* Header and body bytes come from the network; what reaches a message, a label or a log
 * must be UTF-8 (invalid sequences become U+FFFD). */
static char *
dup_valid_utf8 (const char *text)
{
  if (text == NULL)
    return NULL;
  if (g_utf8_validate (text, -1, NULL))
    return g_strdup (text);
  return g_utf8_make_valid (text, -1);
}

GError *
wharf_aws_error_new_full (WharfAwsErrorCode  code,
                          const char        *aws_code,
                          const char        *aws_message,
                          const char        *request_id,
                          guint              http_status,
                          const char        *message)
{
  g_autofree char *valid_message = NULL;
  GError *error;
  WharfAwsErrorPrivate *priv;

  g_return_val_if_fail (message != NULL, NULL);

  valid_message = dup_valid_utf8 (message);
  error = g_error_new_literal (WHARF_AWS_ERROR, code, valid_message);
  priv = wharf_aws_error_get_private (error);
  priv->aws_code = dup_valid_utf8 (aws_code);
  priv->aws_message = dup_valid_utf8 (aws_message);
  priv->request_id = dup_valid_utf8 (request_id);
  priv->http_status = http_status;

  return error;
}

GError *
wharf_aws_error_new_with_cause (WharfAwsErrorCode  code,
                                const GError      *cause,
                                const char        *message)
{
  GError *error;
  WharfAwsErrorPrivate *priv;

  g_return_val_if_fail (cause != NULL, NULL);

  error = wharf_aws_error_new_full (code, NULL, NULL, NULL, 0,
                                    message != NULL ? message : cause->message);
  priv = wharf_aws_error_get_private (error);
  priv->cause = g_error_copy (cause);

  return error;
}

/* Codes from the SDKs' "standard" retry mode (botocore retries/standard.py). */
static const char * const throttling_codes[] = {
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "RequestThrottledException",
  "TooManyRequestsException",
  "ProvisionedThroughputExceededException",
  "TransactionInProgressException",
  "RequestLimitExceeded",
  "BandwidthLimitExceeded",
  "LimitExceededException",
  "RequestThrottled",
  "SlowDown",
  "PriorRequestNotComplete",
  "EC2ThrottledException",
  NULL
};

static const char * const transient_codes[] = {
  "RequestTimeout",
  "RequestTimeoutException",
  "PriorRequestNotComplete",
  NULL
};

gboolean
wharf_aws_error_code_is_throttling (const char *aws_code)
{
  return aws_code != NULL && g_strv_contains (throttling_codes, aws_code);
}

gboolean
wharf_aws_error_code_is_transient (const char *aws_code)
{
  return aws_code != NULL && g_strv_contains (transient_codes, aws_code);
}

static const struct
{
  const char        *aws_code;
  WharfAwsErrorCode  code;
} code_map[] = {
  { "LimitExceededException", WHARF_AWS_ERROR_LIMIT_EXCEEDED },
  { "TooManyTagsException", WHARF_AWS_ERROR_LIMIT_EXCEEDED },
  { "AccessDeniedException", WHARF_AWS_ERROR_ACCESS_DENIED },
  { "AccessDenied", WHARF_AWS_ERROR_ACCESS_DENIED },
  { "UnrecognizedClientException", WHARF_AWS_ERROR_INVALID_CREDENTIALS },
  { "InvalidSignatureException", WHARF_AWS_ERROR_INVALID_CREDENTIALS },
  { "SignatureDoesNotMatch", WHARF_AWS_ERROR_INVALID_CREDENTIALS },
  { "InvalidClientTokenId", WHARF_AWS_ERROR_INVALID_CREDENTIALS },
  { "MissingAuthenticationTokenException", WHARF_AWS_ERROR_INVALID_CREDENTIALS },
  { "MissingAuthenticationToken", WHARF_AWS_ERROR_INVALID_CREDENTIALS },
  { "IncompleteSignature", WHARF_AWS_ERROR_INVALID_CREDENTIALS },
  { "IncompleteSignatureException", WHARF_AWS_ERROR_INVALID_CREDENTIALS },
  { "ExpiredTokenException", WHARF_AWS_ERROR_EXPIRED_CREDENTIALS },
  { "ExpiredToken", WHARF_AWS_ERROR_EXPIRED_CREDENTIALS },
  { "RequestExpired", WHARF_AWS_ERROR_EXPIRED_CREDENTIALS },
  { "RequestTimeTooSkewed", WHARF_AWS_ERROR_EXPIRED_CREDENTIALS },
  { "RepositoryNotFoundException", WHARF_AWS_ERROR_NOT_FOUND },
  { "ImageNotFoundException", WHARF_AWS_ERROR_NOT_FOUND },
  { "LifecyclePolicyNotFoundException", WHARF_AWS_ERROR_NOT_FOUND },
  { "RepositoryPolicyNotFoundException", WHARF_AWS_ERROR_NOT_FOUND },
  { "ScanNotFoundException", WHARF_AWS_ERROR_NOT_FOUND },
  { "LifecyclePolicyPreviewNotFoundException", WHARF_AWS_ERROR_NOT_FOUND },
  { "RegistryPolicyNotFoundException", WHARF_AWS_ERROR_NOT_FOUND },
  { "PullThroughCacheRuleNotFoundException", WHARF_AWS_ERROR_NOT_FOUND },
  { "RepositoryCreationTemplateNotFoundException", WHARF_AWS_ERROR_NOT_FOUND },
  { "LayersNotFoundException", WHARF_AWS_ERROR_NOT_FOUND },
  { "UploadNotFoundException", WHARF_AWS_ERROR_NOT_FOUND },
  { "RepositoryAlreadyExistsException", WHARF_AWS_ERROR_ALREADY_EXISTS },
  { "ImageAlreadyExistsException", WHARF_AWS_ERROR_ALREADY_EXISTS },
  { "PullThroughCacheRuleAlreadyExistsException", WHARF_AWS_ERROR_ALREADY_EXISTS },
  { "TemplateAlreadyExistsException", WHARF_AWS_ERROR_ALREADY_EXISTS },
  { "LayerAlreadyExistsException", WHARF_AWS_ERROR_ALREADY_EXISTS },
  { "InvalidParameterException", WHARF_AWS_ERROR_VALIDATION },
  { "ValidationException", WHARF_AWS_ERROR_VALIDATION },
  { "SerializationException", WHARF_AWS_ERROR_VALIDATION },
  { "InvalidTagParameterException", WHARF_AWS_ERROR_VALIDATION },
  { "InvalidLayerPartException", WHARF_AWS_ERROR_VALIDATION },
  { "InvalidLayerException", WHARF_AWS_ERROR_VALIDATION },
  { "ImageDigestDoesNotMatchException", WHARF_AWS_ERROR_VALIDATION },
  { "EmptyUploadException", WHARF_AWS_ERROR_VALIDATION },
  { "UnsupportedImageTypeException", WHARF_AWS_ERROR_VALIDATION },
  { "RepositoryNotEmptyException", WHARF_AWS_ERROR_CONFLICT },
  { "ImageTagAlreadyExistsException", WHARF_AWS_ERROR_CONFLICT },
  { "ReferencedImagesNotFoundException", WHARF_AWS_ERROR_NOT_FOUND },
};

WharfAwsErrorCode
wharf_aws_error_code_from_aws (const char *aws_code,
                               guint       http_status)
{
  if (aws_code != NULL)
    {
      for (gsize i = 0; i < G_N_ELEMENTS (code_map); i++)
        if (strcmp (code_map[i].aws_code, aws_code) == 0)
          return code_map[i].code;

      if (wharf_aws_error_code_is_throttling (aws_code))
        return WHARF_AWS_ERROR_THROTTLED;
    }

  if (http_status == 429)
    return WHARF_AWS_ERROR_THROTTLED;
  if (http_status >= 500 && http_status < 600)
    return WHARF_AWS_ERROR_SERVER;
  if (!aws_code)
    {
      if (http_status == 403)
        return WHARF_AWS_ERROR_ACCESS_DENIED;
      if (http_status == 404)
        return WHARF_AWS_ERROR_NOT_FOUND;
    }

  return WHARF_AWS_ERROR_FAILED;
}

char *
wharf_aws_error_normalize_code (const char *raw)
{
  const char *start;
  const char *end;
  const char *hash;
  const char *colon;

  if (!raw)
    return NULL;

  start = raw;
  end = raw + strlen (raw);

  /* "aws.protocols#Code:http://internal.amazon.com/coral/…": the URI after ':' goes first,
   * as it may contain '#' itself. */
  colon = strchr (start, ':');
  if (colon != NULL)
    end = colon;

  hash = memchr (start, '#', end - start);
  if (hash != NULL)
    {
      /* The last '#' before the ':' ends the namespace. */
      const char *p;

      for (p = hash; p < end; p++)
        if (*p == '#')
          hash = p;
      start = hash + 1;
    }

  while (start < end && g_ascii_isspace (*start))
    start++;
  while (end > start && g_ascii_isspace (end[-1]))
    end--;

  if (start == end)
    return NULL;

  /* A header may hold any bytes: the code is shown and compared as UTF-8. */
  return g_utf8_make_valid (start, end - start);
}

static const char *
object_get_string (JsonObject *object,
                   const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (!node || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* A default wording per code, used when the service sent no message. */
static const char *
default_message (WharfAwsErrorCode code)
{
  switch (code)
    {
    case WHARF_AWS_ERROR_THROTTLED:
      return _("The service is receiving too many requests; try again later.");
    case WHARF_AWS_ERROR_ACCESS_DENIED:
      return _("Access denied.");
    case WHARF_AWS_ERROR_INVALID_CREDENTIALS:
      return _("The access key or its signature was not accepted.");
    case WHARF_AWS_ERROR_EXPIRED_CREDENTIALS:
      return _("The credentials or the request have expired.");
    case WHARF_AWS_ERROR_NOT_FOUND:
      return _("Not found.");
    case WHARF_AWS_ERROR_ALREADY_EXISTS:
      return _("It already exists.");
    case WHARF_AWS_ERROR_VALIDATION:
      return _("The service rejected a parameter.");
    case WHARF_AWS_ERROR_LIMIT_EXCEEDED:
      return _("A service limit was reached.");
    case WHARF_AWS_ERROR_CONFLICT:
      return _("The request conflicts with the current state.");
    case WHARF_AWS_ERROR_SERVER:
      return _("The service had an internal error.");
    case WHARF_AWS_ERROR_NETWORK:
    case WHARF_AWS_ERROR_TIMEOUT:
    case WHARF_AWS_ERROR_PROTOCOL:
    case WHARF_AWS_ERROR_INSECURE_ENDPOINT:
    case WHARF_AWS_ERROR_FAILED:
    case WHARF_AWS_ERROR_INVALID_REGION:
    case WHARF_AWS_ERROR_CREDENTIALS_UNAVAILABLE:
    case WHARF_AWS_ERROR_INVALID_ENDPOINT:
    default:
      return _("The request failed.");
    }
}

GError *
wharf_aws_error_from_response (guint       http_status,
                               const char *error_type_header,
                               const char *request_id,
                               const char *body,
                               gsize       body_len)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autofree char *aws_code = NULL;
  g_autofree char *message = NULL;
  const char *aws_message = NULL;
  JsonNode *root = NULL;
  WharfAwsErrorCode code;
  gboolean have_json = FALSE;

  /* The header is the most reliable source of the code; the body may repeat or refine it. */
  aws_code = wharf_aws_error_normalize_code (error_type_header);

  if (body != NULL && body_len > 0)
    {
      parser = json_parser_new_immutable ();
      if (json_parser_load_from_data (parser, body, body_len, &parse_error))
        root = json_parser_get_root (parser);

      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        {
          JsonObject *object = json_node_get_object (root);
          const char *type;

          have_json = TRUE;

          type = object_get_string (object, "__type");
          if (!type)
            type = object_get_string (object, "code");
          if (!type)
            type = object_get_string (object, "Code");
          if (!aws_code && type != NULL)
            aws_code = wharf_aws_error_normalize_code (type);

          aws_message = object_get_string (object, "message");
          if (!aws_message)
            aws_message = object_get_string (object, "Message");
          if (!aws_message)
            aws_message = object_get_string (object, "errorMessage");
          if (aws_message != NULL && *aws_message == '\0')
            aws_message = NULL;
        }
    }

  if (!have_json && !aws_code)
    {
      if (!body || body_len == 0)
        {
          /* Nothing to parse: the HTTP status is all there is. */
          code = wharf_aws_error_code_from_aws (NULL, http_status);
          if (code == WHARF_AWS_ERROR_FAILED)
            code = WHARF_AWS_ERROR_PROTOCOL;
          message = g_strdup_printf (_("The service answered HTTP %u without an error "
                                       "description."),
                                     http_status);
        }
      else
        {
          /* A proxy's HTML page or a truncated body: nothing in it can be trusted as an AWS
           * error. Whether it is retried depends on the status alone. */
          code = WHARF_AWS_ERROR_PROTOCOL;
          message = g_strdup_printf (_("The service answered HTTP %u with a response that is "
                                       "not AWS JSON (a proxy or a captive portal may be in "
                                       "the way)."),
                                     http_status);
        }

      return wharf_aws_error_new_full (code, NULL, NULL, request_id, http_status, message);
    }

  code = wharf_aws_error_code_from_aws (aws_code, http_status);

  if (aws_message != NULL && aws_code != NULL)
    message = g_strdup_printf ("%s (%s)", aws_message, aws_code);
  else if (aws_message != NULL)
    message = g_strdup (aws_message);
  else if (aws_code != NULL)
    message = g_strdup_printf ("%s (%s)", default_message (code), aws_code);
  else
    message = g_strdup_printf (_("%s (HTTP %u)"), default_message (code), http_status);

  return wharf_aws_error_new_full (code, aws_code, aws_message, request_id, http_status,
                                   message);
}
