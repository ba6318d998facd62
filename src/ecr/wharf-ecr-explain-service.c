/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-ecr-explain"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wharf-ecr-explain-private.h"

#include "wharf-aws-error.h"
#include "wharf-sso.h"

/* Regions an account has to enable before it can use them (AWS Account Management
 * Reference Guide, "Enable or disable AWS Regions in your account"). */
static const char *const opt_in_regions[] = {
  "af-south-1", "ap-east-1", "ap-east-2", "ap-south-2", "ap-southeast-3", "ap-southeast-4",
  "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-west-1", "eu-central-2",
  "eu-south-1", "eu-south-2", "il-central-1", "me-central-1", "me-south-1", "mx-central-1",
};

/* Every region ECR serves, as the AWS General Reference lists its endpoints. */
static const char *const ecr_regions[] = {
  "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "ca-west-1",
  "mx-central-1", "sa-east-1", "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2",
  "eu-west-3", "eu-south-1", "eu-south-2", "eu-north-1", "ap-east-1", "ap-east-2",
  "ap-south-1", "ap-south-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
  "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
  "ap-southeast-6", "ap-southeast-7", "af-south-1", "il-central-1", "me-central-1",
  "me-south-1", "us-gov-east-1", "us-gov-west-1", "cn-north-1", "cn-northwest-1",
};

static gboolean
in_list (const char        *value,
         const char *const *list,
         gsize              n)
{
  if (value == NULL)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (g_str_equal (list[i], value))
      return TRUE;
  return FALSE;
}

gboolean
wharf_ecr_region_is_opt_in (const char *region)
{
  return in_list (region, opt_in_regions, G_N_ELEMENTS (opt_in_regions));
}


/* ---------------------------------------------------------------------------------------
 * Regions and endpoints
 * ------------------------------------------------------------------------------------- */

/* Whether the requests went to AWS's regional endpoint, or to a local stand-in for it (the
 * practice registry, a test double on loopback) that answers as the region would. Any other
 * endpoint_url is someone else's server, whose refusals say nothing about the region. */
static gboolean
endpoint_is_regional (const Match *m)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;

  if (m->ctx->endpoint_url == NULL)
    return TRUE;
  uri = g_uri_parse (m->ctx->endpoint_url, G_URI_FLAGS_NONE, NULL);
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  return host != NULL && (g_str_equal (host, "127.0.0.1") || g_str_equal (host, "::1") ||
                          g_ascii_strcasecmp (host, "localhost") == 0);
}

gboolean
wharf_explain_region_not_enabled_applies (const Match *m)
{
  return wharf_ecr_region_is_opt_in (m->ctx->region) && endpoint_is_regional (m);
}

void
wharf_explain_region_not_enabled (WharfExplanation *self,
                            const Match      *m)
{
  self->kind = WHARF_EXPLANATION_REGION_NOT_ENABLED;
  self->fix = WHARF_EXPLANATION_FIX_CHOOSE_REGION;
  wharf_explain_take_texts (self,
              g_strdup (_("This region is not enabled for the account")),
              /* Translators: %s is a region code such as "me-central-1" */
              g_strdup_printf (_("%s is an opt-in region: an account can use it only after "
                                 "someone enables it. Until then AWS answers every request "
                                 "there as if the keys were unknown. (If the region is "
                                 "enabled, the keys may have been deleted instead.)"),
                               m->ctx->region),
              g_strdup (_("Choose another region, or ask the account’s administrator to "
                          "enable this one (AWS console → Account → AWS Regions). Enabling a "
                          "region can take a few minutes.")));
}

static gboolean
resolver_failed (const Match *m)
{
  const GError *cause = wharf_aws_error_get_cause (m->error);

  return cause != NULL && cause->domain == G_RESOLVER_ERROR;
}

gboolean
wharf_explain_region_unavailable_applies (const Match *m)
{
  if (m->ctx->endpoint_url != NULL || m->ctx->region == NULL)
    return FALSE;
  return resolver_failed (m) ||
         !in_list (m->ctx->region, ecr_regions, G_N_ELEMENTS (ecr_regions));
}

void
wharf_explain_region_unavailable (WharfExplanation *self,
                            const Match      *m)
{
  if (m->ctx->fips || m->ctx->dualstack)
    {
      self->kind = WHARF_EXPLANATION_ENDPOINT_MISMATCH;
      self->fix = WHARF_EXPLANATION_FIX_EDIT_ACCOUNT;
      wharf_explain_take_texts (self, g_strdup (m->ctx->fips ? _("No FIPS endpoint in this region")
                                               : _("No dual-stack endpoint in this region")),
                  /* Translators: %s is a region code */
                  g_strdup_printf (_("The account asks for a %s endpoint, and ECR has none "
                                     "in %s (its address does not exist)."),
                                   m->ctx->fips ? "FIPS" : _("dual-stack"), m->ctx->region),
                  g_strdup (_("Turn off use_fips_endpoint or use_dualstack_endpoint for this "
                              "profile, or choose a region that has one.")));
      return;
    }

  self->kind = WHARF_EXPLANATION_REGION_UNAVAILABLE;
  self->fix = WHARF_EXPLANATION_FIX_CHOOSE_REGION;
  wharf_explain_take_texts (self, g_strdup (_("Amazon ECR is not available in this region")),
              /* Translators: %s is a region code */
              g_strdup_printf (_("There is no Amazon ECR endpoint for “%s”: the region name "
                                 "may be misspelt, or ECR does not run there."),
                               m->ctx->region),
              g_strdup (_("Choose one of the regions Wharf lists.")));
}

void
wharf_explain_endpoint_config (WharfExplanation *self,
                         const Match      *m)
{
  self->kind = WHARF_EXPLANATION_ENDPOINT_MISMATCH;
  self->fix = WHARF_EXPLANATION_FIX_EDIT_ACCOUNT;
  wharf_explain_take_texts (self, g_strdup (_("The endpoint settings do not fit together")),
              g_strdup (m->message),
              g_strdup (_("A custom endpoint_url cannot also ask for FIPS or dual-stack "
                          "endpoints: remove one of them from the profile (or from "
                          "AWS_USE_FIPS_ENDPOINT / AWS_USE_DUALSTACK_ENDPOINT).")));
}

gboolean
wharf_explain_not_ecr_applies (const Match *m)
{
  if (wharf_explain_aws_code_is (m, "UnknownOperationException") || wharf_explain_aws_code_is (m, "InvalidAction") ||
      wharf_explain_aws_code_is (m, "UnknownOperation"))
    return TRUE;
  return wharf_explain_is_code (m, WHARF_AWS_ERROR_PROTOCOL) && m->ctx->endpoint_url != NULL;
}

void
wharf_explain_not_ecr (WharfExplanation *self,
                 const Match      *m)
{
  self->kind = WHARF_EXPLANATION_NOT_ECR;
  self->fix = WHARF_EXPLANATION_FIX_CHECK_ENDPOINT;
  wharf_explain_take_texts (self, g_strdup (_("The endpoint is not Amazon ECR")),
              m->ctx->endpoint_url != NULL
              /* Translators: %s is a URL */
              ? g_strdup_printf (_("The account sends its requests to %s instead of AWS, and "
                                   "what answers there does not speak ECR’s API."),
                                 m->ctx->endpoint_url)
              : g_strdup (_("What answered does not know ECR’s operations: the requests did "
                            "not reach Amazon ECR.")),
              g_strdup (_("Check endpoint_url in the profile, AWS_ENDPOINT_URL_ECR and "
                          "AWS_ENDPOINT_URL, or remove them to use AWS.")));
}

/* ---------------------------------------------------------------------------------------
 * Quotas and throttling
 * ------------------------------------------------------------------------------------- */

static void
set_quota (WharfExplanation *self,
           const char       *name,
           const char       *default_value,
           gboolean          adjustable)
{
  self->kind = WHARF_EXPLANATION_QUOTA;
  self->quota_name = name;
  self->quota_default = g_strdup (default_value);
  self->quota_adjustable = adjustable;
  self->source = QUOTAS_SOURCE;
  self->fix = adjustable ? WHARF_EXPLANATION_FIX_REQUEST_QUOTA : WHARF_EXPLANATION_FIX_NONE;
}

static const char *
raise_sentence (gboolean adjustable)
{
  return adjustable
         ? _("The quota can be raised: request an increase in the Service Quotas console "
             "(Amazon Elastic Container Registry).")
         : _("AWS does not raise this quota.");
}

void
wharf_explain_quota_images (WharfExplanation *self,
                      const Match      *m)
{
  set_quota (self, "Images per repository", "100,000", TRUE);
  wharf_explain_take_texts (self, g_strdup (_("The repository is full")),
              g_strdup (_("A repository holds at most a fixed number of images (the quota "
                          "“Images per repository”, 100,000 by default), and this one has "
                          "reached it.")),
              g_strconcat (_("Delete images you no longer need, or let a lifecycle rule "
                             "expire old ones."), " ", raise_sentence (TRUE), NULL));
}

void
wharf_explain_quota_image_tags (WharfExplanation *self,
                          const Match      *m)
{
  set_quota (self, "Tags per image", "1,000", FALSE);
  wharf_explain_take_texts (self, g_strdup (_("The image has too many tags")),
              g_strdup (_("An image can carry at most 1,000 tags, and this one has them "
                          "all.")),
              g_strconcat (_("Remove tags this image no longer needs, or tag a new image."),
                           " ", raise_sentence (FALSE), NULL));
}

void
wharf_explain_quota_repositories (WharfExplanation *self,
                            const Match      *m)
{
  set_quota (self, "Registered repositories", "100,000", TRUE);
  wharf_explain_take_texts (self, g_strdup (_("The registry has reached its number of repositories")),
              g_strdup (_("An account can have only so many repositories in one region (the "
                          "quota “Registered repositories”, 100,000 by default), and this "
                          "one has reached it.")),
              g_strconcat (_("Delete repositories you no longer need."), " ",
                           raise_sentence (TRUE), NULL));
}

void
wharf_explain_quota_resource_tags (WharfExplanation *self,
                             const Match      *m)
{
  set_quota (self, "Tags per repository", "50", FALSE);
  wharf_explain_take_texts (self, g_strdup (_("Too many tags on the repository")),
              g_strdup (_("A repository can carry at most 50 resource tags (key and value "
                          "pairs).")),
              g_strconcat (_("Remove some tags before adding new ones."), " ",
                           raise_sentence (FALSE), NULL));
}

gboolean
wharf_explain_lifecycle_length_applies (const Match *m)
{
  return wharf_explain_message_has (m, "lifecyclepolicytext") &&
         (wharf_explain_message_has (m, "length") || wharf_explain_message_has (m, "30720"));
}

void
wharf_explain_quota_lifecycle_length (WharfExplanation *self,
                                const Match      *m)
{
  set_quota (self, "Lifecycle policy length", "30,720", FALSE);
  wharf_explain_take_texts (self, g_strdup (_("The lifecycle policy is too long")),
              g_strdup (_("A lifecycle policy may be at most 30,720 characters long, "
                          "spaces included.")),
              g_strconcat (_("Merge rules that select the same images, or shorten the "
                             "descriptions and tag prefixes."), " ", raise_sentence (FALSE),
                           NULL));
}

void
wharf_explain_quota_scan (WharfExplanation *self,
                    const Match      *m)
{
  set_quota (self, "Image scans", _("one scan per image every 24 hours"), FALSE);
  wharf_explain_take_texts (self, g_strdup (_("This image was scanned less than a day ago")),
              g_strdup (_("Basic scanning scans each image at most once every 24 hours.")),
              g_strconcat (_("Read the results of the last scan, or try again tomorrow."),
                           " ", raise_sentence (FALSE), NULL));
}

void
wharf_explain_quota_other (WharfExplanation *self,
                     const Match      *m)
{
  set_quota (self, NULL, NULL, TRUE);
  wharf_explain_take_texts (self, g_strdup (_("A service quota was reached")),
              g_strdup (_("The request would have gone over one of the account’s Amazon ECR "
                          "quotas. AWS’s message below names it.")),
              g_strdup (_("Free up what the quota counts, or request an increase in the "
                          "Service Quotas console (Amazon Elastic Container Registry), if "
                          "that quota can be raised.")));
}

void
wharf_explain_throttled (WharfExplanation *self,
                   const Match      *m)
{
  self->kind = WHARF_EXPLANATION_THROTTLED;
  self->fix = WHARF_EXPLANATION_FIX_RETRY;
  self->source = QUOTAS_SOURCE;
  self->quota_adjustable = TRUE;
  if (m->ctx->operation != NULL)
    {
      /* The quota's name in the Service Quotas console. */
      self->quota_default = NULL;
      if (g_str_equal (m->ctx->operation, "BatchGetImage"))
        self->quota_default = g_strdup (_("2,000 requests per second"));
      else if (g_str_equal (m->ctx->operation, "BatchCheckLayerAvailability"))
        self->quota_default = g_strdup (_("1,000 requests per second"));
    }
  wharf_explain_take_texts (self, g_strdup (_("AWS asked Wharf to slow down")),
              m->ctx->operation != NULL
              /* Translators: %s is an ECR operation name such as DescribeImages */
              ? g_strdup_printf (_("Amazon ECR limits how many %s requests an account may "
                                   "make per second in a region (the quota “Rate of %s "
                                   "requests”). Other programs using the same account "
                                   "count too. Wharf waited and tried again, and the limit "
                                   "still held."), m->ctx->operation, m->ctx->operation)
              : g_strdup (_("Amazon ECR limits how many requests an account may make per "
                            "second in a region. Other programs using the same account "
                            "count too. Wharf waited and tried again, and the limit still "
                            "held.")),
              g_strconcat (_("Try again in a minute."), " ", raise_sentence (TRUE), NULL));
}

/* ---------------------------------------------------------------------------------------
 * Credentials
 * ------------------------------------------------------------------------------------- */

gboolean
wharf_explain_sso_sign_in_applies (const Match *m)
{
  return wharf_explain_cause_matches (m, WHARF_SSO_ERROR, WHARF_SSO_ERROR_LOGIN_REQUIRED) ||
         wharf_explain_cause_matches (m, WHARF_SSO_ERROR, WHARF_SSO_ERROR_EXPIRED) ||
         (m->ctx->credential_kind == WHARF_CREDENTIAL_KIND_SSO &&
          (wharf_explain_aws_code_is (m, "ExpiredTokenException") || wharf_explain_aws_code_is (m, "UnauthorizedException")));
}

void
wharf_explain_sso_sign_in (WharfExplanation *self,
                     const Match      *m)
{
  self->kind = WHARF_EXPLANATION_SIGN_IN_EXPIRED;
  self->fix = WHARF_EXPLANATION_FIX_SIGN_IN;
  wharf_explain_take_texts (self, g_strdup (_("Your IAM Identity Center sign-in has ended")),
              g_strdup (_("Signing in through IAM Identity Center lasts a limited time (set "
                          "by your organization, often 8 or 12 hours). It has ended, so "
                          "AWS no longer accepts this account’s requests.")),
              g_strdup (_("Sign in again. The AWS CLI shares the same sign-in.")));
}

gboolean
wharf_explain_mfa_applies (const Match *m)
{
  return (wharf_explain_is_code (m, WHARF_AWS_ERROR_CREDENTIALS_UNAVAILABLE) &&
          wharf_explain_cause_matches (m, G_IO_ERROR, G_IO_ERROR_CANCELLED)) ||
         wharf_explain_message_has (m, "multifactorauthentication failed");
}

void
wharf_explain_mfa (WharfExplanation *self,
             const Match      *m)
{
  self->kind = WHARF_EXPLANATION_MFA_REQUIRED;
  self->fix = WHARF_EXPLANATION_FIX_ENTER_CODE;
  wharf_explain_take_texts (self, g_strdup (_("This account needs an MFA code")),
              wharf_explain_message_has (m, "multifactorauthentication failed")
              ? g_strdup (_("The profile assumes a role that requires multi-factor "
                            "authentication, and AWS did not accept the code (codes change "
                            "every 30 seconds and work once)."))
              : g_strdup (_("The profile assumes a role that requires multi-factor "
                            "authentication, and no code was entered.")),
              g_strdup (_("Enter the current code from your MFA device.")));
}

gboolean
wharf_explain_expired_token_applies (const Match *m)
{
  return wharf_explain_aws_code_is (m, "ExpiredTokenException") || wharf_explain_aws_code_is (m, "ExpiredToken") ||
         wharf_explain_aws_code_is (m, "RequestExpired") ||
         wharf_explain_message_has (m, "security token included in the request is expired");
}

void
wharf_explain_expired_token (WharfExplanation *self,
                       const Match      *m)
{
  const char *remedy;

  self->kind = WHARF_EXPLANATION_EXPIRED_TOKEN;
  switch (m->ctx->credential_kind)
    {
    case WHARF_CREDENTIAL_KIND_MFA:
      self->fix = WHARF_EXPLANATION_FIX_ENTER_CODE;
      remedy = _("Enter a new MFA code to start a new session.");
      break;
    case WHARF_CREDENTIAL_KIND_ENVIRONMENT:
      self->fix = WHARF_EXPLANATION_FIX_NONE;
      remedy = _("Set fresh AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN "
                 "values and start Wharf again from that environment.");
      break;
    case WHARF_CREDENTIAL_KIND_KEYS:
      self->fix = WHARF_EXPLANATION_FIX_EDIT_ACCOUNT;
      remedy = _("Temporary keys end after a few hours: edit the account and enter new "
                 "keys, or use a profile that renews them.");
      break;
    default:
      self->fix = WHARF_EXPLANATION_FIX_RETRY;
      remedy = _("Try again: Wharf asks for new credentials. If it keeps failing, check the "
                 "profile’s role or credential_process.");
      break;
    }
  wharf_explain_take_texts (self, g_strdup (_("The temporary credentials have expired")),
              g_strdup (_("This account signs requests with temporary credentials, and "
                          "they have run out.")),
              g_strdup (remedy));
}

gboolean
wharf_explain_clock_skew_applies (const Match *m)
{
  return wharf_explain_aws_code_is (m, "RequestTimeTooSkewed") ||
         (wharf_explain_aws_code_is (m, "InvalidSignatureException") &&
          (wharf_explain_message_has (m, "signature expired") || wharf_explain_message_has (m, "not yet current")));
}

void
wharf_explain_clock_skew (WharfExplanation *self,
                    const Match      *m)
{
  self->kind = WHARF_EXPLANATION_CLOCK_SKEW;
  self->fix = WHARF_EXPLANATION_FIX_SET_CLOCK;
  wharf_explain_take_texts (self, g_strdup (_("This computer’s clock is wrong")),
              g_strdup (_("AWS accepts a signed request only within 5 minutes of its own "
                          "time, and this computer’s clock is further off than that. Wharf "
                          "tried to make up for the difference, and AWS still refused.")),
              g_strdup (_("Turn on “Automatic Date & Time” in Settings → System → Date & "
                          "Time (or set the clock right), then try again.")));
}

gboolean
wharf_explain_invalid_keys_applies (const Match *m)
{
  return wharf_explain_aws_code_is (m, "UnrecognizedClientException") ||
         wharf_explain_aws_code_is (m, "InvalidClientTokenId") ||
         wharf_explain_aws_code_is (m, "InvalidSignatureException") ||
         wharf_explain_aws_code_is (m, "SignatureDoesNotMatch");
}

void
wharf_explain_invalid_keys (WharfExplanation *self,
                      const Match      *m)
{
  gboolean secret_wrong = wharf_explain_aws_code_is (m, "InvalidSignatureException") ||
                          wharf_explain_aws_code_is (m, "SignatureDoesNotMatch");

  self->kind = WHARF_EXPLANATION_INVALID_KEYS;
  self->fix = WHARF_EXPLANATION_FIX_EDIT_ACCOUNT;
  wharf_explain_take_texts (self,
              g_strdup (secret_wrong ? _("The secret access key is wrong")
                                     : _("AWS does not know these keys")),
              g_strdup (secret_wrong
                        ? _("AWS knows the access key id, but the secret access key does not "
                            "belong to it: the signature does not match.")
                        : _("The access key id is not one AWS knows: it may have been "
                            "deleted or deactivated in IAM, mistyped, or belong to another "
                            "partition (China, GovCloud).")),
              g_strdup (_("Edit the account and enter a current key pair, or choose a "
                          "profile whose keys work. An administrator can create new keys "
                          "in IAM (Users → Security credentials).")));
}

