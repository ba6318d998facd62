/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-ecr-explain"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wharf-ecr-explain-private.h"

#include "wharf-aws-error.h"

/* ---------------------------------------------------------------------------------------
 * The table
 * ------------------------------------------------------------------------------------- */

#define ANY_CODE (-1)

typedef struct
{
  const char *id;
  int code;                  /* WharfAwsErrorCode, or ANY_CODE */
  const char *aws_code;      /* AWS's error code, case-insensitive; NULL: any */
  const char *pattern;       /* lower-case words in AWS's message; NULL: any */
  const char *operation;     /* NULL: any */
  gboolean (*applies) (const Match *m);
  void (*explain) (WharfExplanation *self, const Match *m);
} Rule;

/* First match wins: the specific before the general. */
static const Rule rules[] = {
  { "sso-sign-in", ANY_CODE, NULL, NULL, NULL, wharf_explain_sso_sign_in_applies, wharf_explain_sso_sign_in },
  { "mfa", ANY_CODE, NULL, NULL, NULL, wharf_explain_mfa_applies, wharf_explain_mfa },
  { "kms", ANY_CODE, "KmsException", NULL, NULL, NULL, wharf_explain_kms_exception },
  { "access-denied", WHARF_AWS_ERROR_ACCESS_DENIED, NULL, NULL, NULL, NULL, wharf_explain_access_denied },
  { "access-denied", ANY_CODE, NULL, "is not authorized to perform", NULL, NULL, wharf_explain_access_denied },
  { "clock-skew", ANY_CODE, NULL, NULL, NULL, wharf_explain_clock_skew_applies, wharf_explain_clock_skew },
  { "expired-token", ANY_CODE, NULL, NULL, NULL, wharf_explain_expired_token_applies, wharf_explain_expired_token },
  { "region-not-enabled", ANY_CODE, "UnrecognizedClientException", NULL, NULL,
    wharf_explain_region_not_enabled_applies, wharf_explain_region_not_enabled },
  { "invalid-keys", ANY_CODE, NULL, NULL, NULL, wharf_explain_invalid_keys_applies, wharf_explain_invalid_keys },
  { "endpoint-config", WHARF_AWS_ERROR_INVALID_ENDPOINT, NULL, NULL, NULL, NULL, wharf_explain_endpoint_config },
  { "not-ecr", ANY_CODE, NULL, NULL, NULL, wharf_explain_not_ecr_applies, wharf_explain_not_ecr },
  { "region-unavailable", WHARF_AWS_ERROR_NETWORK, NULL, NULL, NULL, wharf_explain_region_unavailable_applies,
    wharf_explain_region_unavailable },
  { "quota-images", ANY_CODE, "LimitExceededException", "number of images", NULL, NULL,
    wharf_explain_quota_images },
  { "quota-image-tags", ANY_CODE, "LimitExceededException", "tags per image", NULL, NULL,
    wharf_explain_quota_image_tags },
  { "quota-repositories", ANY_CODE, "LimitExceededException", NULL, "CreateRepository",
    NULL, wharf_explain_quota_repositories },
  { "quota-scan", ANY_CODE, "LimitExceededException", NULL, "StartImageScan", NULL,
    wharf_explain_quota_scan },
  { "quota-resource-tags", ANY_CODE, "TooManyTagsException", NULL, NULL, NULL,
    wharf_explain_quota_resource_tags },
  { "quota-lifecycle-length", ANY_CODE, NULL, NULL, "PutLifecyclePolicy",
    wharf_explain_lifecycle_length_applies, wharf_explain_quota_lifecycle_length },
  { "quota-lifecycle-length", ANY_CODE, NULL, NULL, "StartLifecyclePolicyPreview",
    wharf_explain_lifecycle_length_applies, wharf_explain_quota_lifecycle_length },
  { "quota", ANY_CODE, "LimitExceededException", NULL, NULL, NULL, wharf_explain_quota_other },
  { "throttled", WHARF_AWS_ERROR_THROTTLED, NULL, NULL, NULL, NULL, wharf_explain_throttled },
};

static gboolean
rule_matches (const Rule  *rule,
              const Match *m)
{
  if (rule->code != ANY_CODE && !wharf_explain_is_code (m, rule->code))
    return FALSE;
  if (rule->aws_code != NULL && !wharf_explain_aws_code_is (m, rule->aws_code))
    return FALSE;
  if (rule->pattern != NULL && !wharf_explain_message_has (m, rule->pattern))
    return FALSE;
  if (rule->operation != NULL && g_strcmp0 (rule->operation, m->ctx->operation) != 0)
    return FALSE;
  if (rule->applies != NULL && !rule->applies (m))
    return FALSE;
  return TRUE;
}

WharfExplanation *
wharf_explanation_new (const GError                  *error,
                       const WharfExplanationContext *context)
{
  static const WharfExplanationContext empty = { 0 };
  WharfExplanationContext filled;
  WharfExplanation *self;
  Match m = { 0 };
  const char *aws_message;

  g_return_val_if_fail (error != NULL, NULL);

  self = g_new0 (WharfExplanation, 1);
  self->rule = "none";
  self->kind = WHARF_EXPLANATION_NONE;

  aws_message = wharf_aws_error_get_aws_message (error);
  self->aws_message = g_strdup (aws_message != NULL && *aws_message ? aws_message
                                                                   : error->message);
  self->aws_code = g_strdup (wharf_aws_error_get_aws_code (error));
  self->request_id = g_strdup (wharf_aws_error_get_request_id (error));

  /* What the request engine recorded in the error fills what the caller left out. */
  filled = context != NULL ? *context : empty;
  if (filled.operation == NULL)
    filled.operation = wharf_aws_error_get_operation (error);
  if (filled.region == NULL)
    filled.region = wharf_aws_error_get_region (error);
  if (filled.endpoint_url == NULL)
    filled.endpoint_url = wharf_aws_error_get_endpoint (error);

  m.error = error;
  m.ctx = &filled;
  m.aws_code = self->aws_code;
  m.message = self->aws_message;
  wharf_explain_parse_access_denied (&m);

  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    if (rule_matches (&rules[i], &m))
      {
        self->rule = rules[i].id;
        rules[i].explain (self, &m);
        break;
      }

  wharf_explain_match_clear (&m);
  return self;
}

void
wharf_explanation_free (WharfExplanation *self)
{
  if (self == NULL)
    return;
  g_free (self->title);
  g_free (self->body);
  g_free (self->remedy);
  g_free (self->principal);
  g_free (self->action);
  g_free (self->resource);
  g_free (self->kms_key);
  g_free (self->policy_json);
  g_free (self->quota_default);
  g_free (self->aws_message);
  g_free (self->aws_code);
  g_free (self->request_id);
  g_free (self);
}

WharfExplanationKind
wharf_explanation_get_kind (const WharfExplanation *self)
{
  return self->kind;
}

const char *
wharf_explanation_get_rule (const WharfExplanation *self)
{
  return self->rule;
}

WharfExplanationFix
wharf_explanation_get_fix (const WharfExplanation *self)
{
  return self->fix;
}

const char *
wharf_explanation_get_title (const WharfExplanation *self)
{
  return self->title;
}

const char *
wharf_explanation_get_body (const WharfExplanation *self)
{
  return self->body;
}

const char *
wharf_explanation_get_remedy (const WharfExplanation *self)
{
  return self->remedy;
}

const char *
wharf_explanation_get_principal (const WharfExplanation *self)
{
  return self->principal;
}

const char *
wharf_explanation_get_action (const WharfExplanation *self)
{
  return self->action;
}

const char *
wharf_explanation_get_resource (const WharfExplanation *self)
{
  return self->resource;
}

WharfDeniedBy
wharf_explanation_get_denied_by (const WharfExplanation *self)
{
  return self->denied_by;
}

const char *
wharf_explanation_get_kms_key (const WharfExplanation *self)
{
  return self->kms_key;
}

const char *
wharf_explanation_get_managed_policy (const WharfExplanation *self)
{
  return self->managed_policy;
}

const char *
wharf_explanation_get_managed_policy_grants (const WharfExplanation *self)
{
  return self->managed_policy_grants;
}

const char *
wharf_explanation_get_policy_json (const WharfExplanation *self)
{
  return self->policy_json;
}

const char *
wharf_explanation_get_quota_name (const WharfExplanation *self)
{
  return self->quota_name;
}

const char *
wharf_explanation_get_quota_default (const WharfExplanation *self)
{
  return self->quota_default;
}

gboolean
wharf_explanation_get_quota_adjustable (const WharfExplanation *self)
{
  return self->quota_adjustable;
}

const char *
wharf_explanation_get_source (const WharfExplanation *self)
{
  if (self->source == NULL && self->managed_policy != NULL)
    return _(MANAGED_POLICIES_SOURCE);
  return self->source != NULL ? _(self->source) : NULL;
}

const char *
wharf_explanation_get_aws_message (const WharfExplanation *self)
{
  return self->aws_message;
}

const char *
wharf_explanation_get_aws_code (const WharfExplanation *self)
{
  return self->aws_code;
}

const char *
wharf_explanation_get_request_id (const WharfExplanation *self)
{
  return self->request_id;
}

static void
append_line (GString    *text,
             const char *label,
             const char *value)
{
  if (value == NULL || *value == '\0')
    return;
  if (label != NULL)
    g_string_append_printf (text, "%s: %s\n", label, value);
  else
    g_string_append_printf (text, "%s\n", value);
}

char *
wharf_explanation_to_text (const WharfExplanation *self)
{
  GString *text = g_string_new (NULL);

  append_line (text, NULL, self->title);
  append_line (text, NULL, self->body);
  append_line (text, NULL, self->remedy);
  g_string_append_c (text, '\n');
  append_line (text, _("Identity"), self->principal);
  append_line (text, _("Action"), self->action);
  append_line (text, _("Resource"), self->resource);
  append_line (text, _("KMS key"), self->kms_key);
  append_line (text, _("AWS managed policy"), self->managed_policy);
  append_line (text, _("Quota"), self->quota_name);
  append_line (text, _("Default"), self->quota_default);
  append_line (text, _("AWS error"), self->aws_code);
  append_line (text, _("AWS message"), self->aws_message);
  append_line (text, _("Request id"), self->request_id);
  if (self->policy_json != NULL)
    g_string_append_printf (text, "\n%s\n", self->policy_json);
  return g_string_free (text, FALSE);
}

