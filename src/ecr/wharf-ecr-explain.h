/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What a refusal from AWS means and what to do about it, in plain words.
 *
 * One table (wharf-ecr-explain.c) keyed by what identifies each case: the error as the
 * request engine keeps it (code, AWS error code, AWS message, cause), the operation, and
 * what Wharf knows of the account. Each entry turns the error into a WharfExplanation: a
 * headline, what it means, what to do, the one fix Wharf can offer, and for a missing
 * permission the smallest AWS managed policy and a minimal policy JSON for an
 * administrator. AWS's own words, code and request id are kept verbatim beside it.
 *
 * No GTK: the UI only renders an explanation.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  WHARF_EXPLANATION_NONE,               /* nothing to add to AWS's own words */
  WHARF_EXPLANATION_ACCESS_DENIED,      /* a policy does not allow the action */
  WHARF_EXPLANATION_KMS,                /* the repository's KMS key refuses the caller */
  WHARF_EXPLANATION_REGION_NOT_ENABLED, /* an opt-in region the account has not enabled */
  WHARF_EXPLANATION_REGION_UNAVAILABLE, /* no ECR endpoint for that region name */
  WHARF_EXPLANATION_ENDPOINT_MISMATCH,  /* FIPS or dual-stack where it cannot be served */
  WHARF_EXPLANATION_NOT_ECR,            /* an endpoint override that is not ECR */
  WHARF_EXPLANATION_QUOTA,              /* a service quota was reached */
  WHARF_EXPLANATION_THROTTLED,          /* request rate quota, after Wharf's retries */
  WHARF_EXPLANATION_EXPIRED_TOKEN,      /* temporary credentials have expired */
  WHARF_EXPLANATION_CLOCK_SKEW,         /* this computer's clock is off */
  WHARF_EXPLANATION_MFA_REQUIRED,       /* the profile needs an MFA code */
  WHARF_EXPLANATION_INVALID_KEYS,       /* keys deleted, deactivated or mistyped */
  WHARF_EXPLANATION_SIGN_IN_EXPIRED,    /* IAM Identity Center sign-in has ended */
} WharfExplanationKind;

/* Which kind of policy refused, as the access denied message says. */
typedef enum
{
  WHARF_DENIED_BY_UNKNOWN,                 /* the message does not say (older format) */
  WHARF_DENIED_BY_NO_IDENTITY_POLICY,      /* "because no identity-based policy allows" */
  WHARF_DENIED_BY_IDENTITY_POLICY,         /* "with an explicit deny in an identity-based policy" */
  WHARF_DENIED_BY_NO_PERMISSIONS_BOUNDARY,
  WHARF_DENIED_BY_PERMISSIONS_BOUNDARY,
  WHARF_DENIED_BY_NO_SESSION_POLICY,
  WHARF_DENIED_BY_SESSION_POLICY,
  WHARF_DENIED_BY_NO_SERVICE_CONTROL_POLICY,
  WHARF_DENIED_BY_SERVICE_CONTROL_POLICY,
  WHARF_DENIED_BY_NO_RESOURCE_CONTROL_POLICY,
  WHARF_DENIED_BY_RESOURCE_CONTROL_POLICY,
  WHARF_DENIED_BY_NO_RESOURCE_POLICY,      /* the repository (or registry, key) policy */
  WHARF_DENIED_BY_RESOURCE_POLICY,
  WHARF_DENIED_BY_NO_VPC_ENDPOINT_POLICY,
  WHARF_DENIED_BY_VPC_ENDPOINT_POLICY,
  WHARF_DENIED_BY_EXPLICIT_DENY,           /* "with an explicit deny", no policy type */
} WharfDeniedBy;

/* The one action that fixes the problem, as far as Wharf can offer it. */
typedef enum
{
  WHARF_EXPLANATION_FIX_NONE,
  WHARF_EXPLANATION_FIX_ASK_ADMIN,        /* copy the policy for an administrator */
  WHARF_EXPLANATION_FIX_OPEN_PERMISSIONS, /* the repository's own policy refuses */
  WHARF_EXPLANATION_FIX_SIGN_IN,          /* IAM Identity Center sign-in */
  WHARF_EXPLANATION_FIX_ENTER_CODE,       /* an MFA code */
  WHARF_EXPLANATION_FIX_EDIT_ACCOUNT,     /* new keys or another profile */
  WHARF_EXPLANATION_FIX_CHOOSE_REGION,
  WHARF_EXPLANATION_FIX_RETRY,            /* wait and try again */
  WHARF_EXPLANATION_FIX_SET_CLOCK,
  WHARF_EXPLANATION_FIX_REQUEST_QUOTA,    /* ask for a higher quota */
  WHARF_EXPLANATION_FIX_CHECK_ENDPOINT,
} WharfExplanationFix;

/* Where the account's credentials come from: decides how an expired token is renewed. */
typedef enum
{
  WHARF_CREDENTIAL_KIND_UNKNOWN,
  WHARF_CREDENTIAL_KIND_KEYS,        /* long-term access keys (typed, or a profile's) */
  WHARF_CREDENTIAL_KIND_ASSUME_ROLE, /* a profile that assumes a role */
  WHARF_CREDENTIAL_KIND_MFA,         /* a profile that assumes a role with an MFA code */
  WHARF_CREDENTIAL_KIND_SSO,         /* IAM Identity Center */
  WHARF_CREDENTIAL_KIND_ENVIRONMENT, /* AWS_ACCESS_KEY_ID & co. */
  WHARF_CREDENTIAL_KIND_PROCESS,     /* credential_process */
} WharfCredentialKind;

/* What Wharf knows around the refused request. Every member may be NULL / 0. */
typedef struct
{
  const char          *operation;       /* the ECR operation, "DescribeRepositories" */
  const char          *identity_arn;    /* the signed-in identity (GetCallerIdentity) */
  const char          *account_id;      /* the registry's account */
  const char          *region;
  const char          *repository_name; /* when the request names one repository */
  const char          *kms_key;         /* the repository's KMS key, when known */
  const char          *endpoint_url;    /* the endpoint, when overridden */
  gboolean             fips;
  gboolean             dualstack;
  WharfCredentialKind  credential_kind;
} WharfExplanationContext;

typedef struct _WharfExplanation WharfExplanation;

/* Never NULL: an error nothing in the table recognises gives kind
 * WHARF_EXPLANATION_NONE, with AWS's words (or the error's message) kept. */
WharfExplanation   *wharf_explanation_new              (const GError                  *error,
                                                        const WharfExplanationContext *context);
void                wharf_explanation_free             (WharfExplanation              *self);

WharfExplanationKind wharf_explanation_get_kind        (const WharfExplanation *self);
/* The id of the table entry that matched ("access-denied", "quota-images", …), for tests
 * and logs; "none" when nothing did. */
const char         *wharf_explanation_get_rule         (const WharfExplanation *self);
WharfExplanationFix wharf_explanation_get_fix          (const WharfExplanation *self);
/* A short headline, what it means, and what to do: plain, translated sentences. */
const char         *wharf_explanation_get_title        (const WharfExplanation *self);
const char         *wharf_explanation_get_body         (const WharfExplanation *self);
const char         *wharf_explanation_get_remedy       (const WharfExplanation *self);

/* From the access denied message (or the context when the message does not say). */
const char         *wharf_explanation_get_principal    (const WharfExplanation *self);
const char         *wharf_explanation_get_action       (const WharfExplanation *self);
const char         *wharf_explanation_get_resource     (const WharfExplanation *self);
WharfDeniedBy       wharf_explanation_get_denied_by    (const WharfExplanation *self);
const char         *wharf_explanation_get_kms_key      (const WharfExplanation *self);

/* A missing permission: the smallest AWS managed policy that covers the action (its exact
 * name) and what it grants; and a minimal policy, ready to copy, that allows exactly the
 * refused action on exactly the refused resource (an identity policy, or for a KMS key a
 * key policy statement). NULL where they do not apply. */
const char         *wharf_explanation_get_managed_policy (const WharfExplanation *self);
const char         *wharf_explanation_get_managed_policy_grants (const WharfExplanation *self);
const char         *wharf_explanation_get_policy_json  (const WharfExplanation *self);

/* A quota: its name as the Service Quotas console lists it, its default, whether it can be
 * raised, and where those figures come from. */
const char         *wharf_explanation_get_quota_name   (const WharfExplanation *self);
const char         *wharf_explanation_get_quota_default (const WharfExplanation *self);
gboolean            wharf_explanation_get_quota_adjustable (const WharfExplanation *self);
const char         *wharf_explanation_get_source       (const WharfExplanation *self);

/* AWS's own words, verbatim (or the error's message when AWS sent none), its code and
 * request id. */
const char         *wharf_explanation_get_aws_message  (const WharfExplanation *self);
const char         *wharf_explanation_get_aws_code     (const WharfExplanation *self);
const char         *wharf_explanation_get_request_id   (const WharfExplanation *self);

/* Everything above as plain text, for the clipboard or a bug report. */
char               *wharf_explanation_to_text          (const WharfExplanation *self);

/* The IAM action of an ECR operation ("ecr:DescribeImages"), or NULL. */
const char         *wharf_ecr_operation_get_iam_action (const char *operation);

/* Whether @region is one that an account must enable before use (an opt-in region). */
gboolean            wharf_ecr_region_is_opt_in         (const char *region);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WharfExplanation, wharf_explanation_free)

G_END_DECLS
