/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Inside the explanation table: the explanation itself, what a rule sees (Match), the
 * helpers rules share, and the rules' functions, by the file that holds them.
 */
#pragma once

#include <gio/gio.h>

#include "wharf-ecr-explain.h"

G_BEGIN_DECLS

#define QUOTAS_SOURCE \
  N_("Amazon ECR service quotas, Amazon ECR User Guide (read December 2026)")
#define MANAGED_POLICIES_SOURCE \
  N_("AWS managed policies for Amazon ECR, Amazon ECR User Guide (read December 2026)")
#define ACCESS_DENIED_SOURCE \
  N_("Access denied error messages, IAM User Guide (read December 2026)")

struct _WharfExplanation
{
  WharfExplanationKind kind;
  const char *rule;
  WharfExplanationFix fix;
  char *title;
  char *body;
  char *remedy;
  char *principal;
  char *action;
  char *resource;
  WharfDeniedBy denied_by;
  char *kms_key;
  const char *managed_policy;
  const char *managed_policy_grants;
  char *policy_json;
  const char *quota_name;
  char *quota_default;
  gboolean quota_adjustable;
  const char *source;
  char *aws_message;
  char *aws_code;
  char *request_id;
};


/* What a rule sees. */
typedef struct
{
  const GError *error;
  const WharfExplanationContext *ctx;
  const char *aws_code;
  const char *message;   /* AWS's message, else the error's */
  /* Parsed from an access denied message (NULL when it is not one). */
  char *principal;
  char *action;
  char *resource;
  WharfDeniedBy denied_by;
} Match;

/* wharf-ecr-explain-match.c */
void     wharf_explain_match_clear   (Match            *m);
void     wharf_explain_set_texts     (WharfExplanation *self,
                                      const char       *title,
                                      const char       *body,
                                      const char       *remedy);
void     wharf_explain_take_texts    (WharfExplanation *self,
                                      char             *title,
                                      char             *body,
                                      char             *remedy);
gboolean wharf_explain_aws_code_is   (const Match      *m,
                                      const char       *code);
gboolean wharf_explain_message_has   (const Match      *m,
                                      const char       *words);
gboolean wharf_explain_cause_matches (const Match      *m,
                                      GQuark            domain,
                                      int               code);
gboolean wharf_explain_is_code       (const Match      *m,
                                      int               code);

/* wharf-ecr-explain-access.c: missing permissions and KMS keys. */
gboolean wharf_explain_parse_access_denied (Match *m);
void     wharf_explain_access_denied       (WharfExplanation *self, const Match *m);
void     wharf_explain_kms_exception       (WharfExplanation *self, const Match *m);

/* wharf-ecr-explain-service.c: regions, endpoints, quotas, throttling, credentials. */
gboolean wharf_explain_region_not_enabled_applies (const Match *m);
void     wharf_explain_region_not_enabled         (WharfExplanation *self, const Match *m);
gboolean wharf_explain_region_unavailable_applies (const Match *m);
void     wharf_explain_region_unavailable         (WharfExplanation *self, const Match *m);
void     wharf_explain_endpoint_config            (WharfExplanation *self, const Match *m);
gboolean wharf_explain_not_ecr_applies            (const Match *m);
void     wharf_explain_not_ecr                    (WharfExplanation *self, const Match *m);
void     wharf_explain_quota_images               (WharfExplanation *self, const Match *m);
void     wharf_explain_quota_image_tags           (WharfExplanation *self, const Match *m);
void     wharf_explain_quota_repositories         (WharfExplanation *self, const Match *m);
void     wharf_explain_quota_resource_tags        (WharfExplanation *self, const Match *m);
gboolean wharf_explain_lifecycle_length_applies   (const Match *m);
void     wharf_explain_quota_lifecycle_length     (WharfExplanation *self, const Match *m);
void     wharf_explain_quota_scan                 (WharfExplanation *self, const Match *m);
void     wharf_explain_quota_other                (WharfExplanation *self, const Match *m);
void     wharf_explain_throttled                  (WharfExplanation *self, const Match *m);
gboolean wharf_explain_sso_sign_in_applies        (const Match *m);
void     wharf_explain_sso_sign_in                (WharfExplanation *self, const Match *m);
gboolean wharf_explain_mfa_applies                (const Match *m);
void     wharf_explain_mfa                        (WharfExplanation *self, const Match *m);
gboolean wharf_explain_expired_token_applies      (const Match *m);
void     wharf_explain_expired_token              (WharfExplanation *self, const Match *m);
gboolean wharf_explain_clock_skew_applies         (const Match *m);
void     wharf_explain_clock_skew                 (WharfExplanation *self, const Match *m);
gboolean wharf_explain_invalid_keys_applies       (const Match *m);
void     wharf_explain_invalid_keys               (WharfExplanation *self, const Match *m);

G_END_DECLS
