/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ecr-explain"

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "wharf-aws-error.h"
#include "wharf-ecr-explain.h"
#include "wharf-sso.h"

/*
 * Each message below is the shape AWS really sends, taken from public reports (the source
 * is named beside it), with account ids and names as they were or anonymised the same way.
 */

static GError *
aws_error (const char *aws_code,
           guint       status,
           const char *message)
{
  return wharf_aws_error_new_full (wharf_aws_error_code_from_aws (aws_code, status), aws_code,
                                   message, "0c6e1a6c-1f5b-4d55-9b43-4f1d3f3c2a10", status,
                                   message != NULL ? message : aws_code);
}

static JsonObject *
parse_policy (const char *text,
              JsonParser *parser)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  g_assert_nonnull (text);
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_node_get_object (root);
}

/* The one statement of an identity policy: allows exactly @action on exactly @resource. */
static void
assert_identity_policy (const WharfExplanation *e,
                        const char             *action,
                        const char             *resource)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *policy = parse_policy (wharf_explanation_get_policy_json (e), parser);
  JsonArray *statements;
  JsonObject *statement;

  g_assert_cmpstr (json_object_get_string_member (policy, "Version"), ==, "2012-10-17");
  statements = json_object_get_array_member (policy, "Statement");
  g_assert_cmpuint (json_array_get_length (statements), ==, 1);
  statement = json_array_get_object_element (statements, 0);
  g_assert_cmpstr (json_object_get_string_member (statement, "Effect"), ==, "Allow");
  g_assert_cmpstr (json_object_get_string_member (statement, "Action"), ==, action);
  g_assert_cmpstr (json_object_get_string_member (statement, "Resource"), ==, resource);
}

static void
assert_texts (const WharfExplanation *e)
{
  g_autofree char *text = wharf_explanation_to_text (e);

  g_assert_nonnull (wharf_explanation_get_title (e));
  g_assert_nonnull (wharf_explanation_get_body (e));
  g_assert_nonnull (wharf_explanation_get_remedy (e));
  g_assert_true (g_utf8_validate (wharf_explanation_get_body (e), -1, NULL));
  /* AWS's own words are always kept, verbatim, for the expert. */
  g_assert_nonnull (strstr (text, wharf_explanation_get_aws_message (e)));
}

/* aws-actions/amazon-ecr-login#232: a push to another account's repository. */
#define CROSS_ACCOUNT_PUSH \
  "User: arn:aws:sts::111111111111:assumed-role/cp-sw-actions-runner/GitHubActions is not " \
  "authorized to perform: ecr:InitiateLayerUpload on resource: " \
  "arn:aws:ecr:us-west-2:222222222222:repository/runner-test because no resource-based " \
  "policy allows the ecr:InitiateLayerUpload action"

static void
test_access_denied_no_identity_policy (void)
{
  /* The IAM User Guide's form, without "on resource" when IAM does not name one. */
  g_autoptr(GError) error = aws_error ("AccessDeniedException", 400,
    "User: arn:aws:iam::777788889999:user/MaryMajor is not authorized to perform: "
    "ecr:DescribeRepositories because no identity-based policy allows the "
    "ecr:DescribeRepositories action");
  WharfExplanationContext ctx = {
    .operation = "DescribeRepositories", .account_id = "777788889999",
    .region = "eu-west-1",
  };
  g_autoptr(WharfExplanation) e = wharf_explanation_new (error, &ctx);

  g_assert_cmpint (wharf_explanation_get_kind (e), ==, WHARF_EXPLANATION_ACCESS_DENIED);
  g_assert_cmpstr (wharf_explanation_get_rule (e), ==, "access-denied");
  g_assert_cmpint (wharf_explanation_get_denied_by (e), ==, WHARF_DENIED_BY_NO_IDENTITY_POLICY);
  g_assert_cmpint (wharf_explanation_get_fix (e), ==, WHARF_EXPLANATION_FIX_ASK_ADMIN);
  g_assert_cmpstr (wharf_explanation_get_principal (e), ==, "arn:aws:iam::777788889999:user/MaryMajor");
  g_assert_cmpstr (wharf_explanation_get_action (e), ==, "ecr:DescribeRepositories");
  g_assert_cmpstr (wharf_explanation_get_resource (e), ==,
                   "arn:aws:ecr:eu-west-1:777788889999:repository/*");
  g_assert_cmpstr (wharf_explanation_get_managed_policy (e), ==,
                   "AmazonEC2ContainerRegistryReadOnly");
  g_assert_nonnull (wharf_explanation_get_managed_policy_grants (e));
  assert_identity_policy (e, "ecr:DescribeRepositories",
                          "arn:aws:ecr:eu-west-1:777788889999:repository/*");
  g_assert_nonnull (strstr (wharf_explanation_get_body (e), "MaryMajor"));
  g_assert_nonnull (strstr (wharf_explanation_get_remedy (e), "AmazonEC2ContainerRegistryReadOnly"));
  g_assert_cmpstr (wharf_explanation_get_request_id (e), ==, "0c6e1a6c-1f5b-4d55-9b43-4f1d3f3c2a10");
  g_assert_nonnull (wharf_explanation_get_source (e));
  assert_texts (e);
}

static void
test_access_denied_old_format (void)
{
  /* buildkite/elastic-ci-stack-for-aws#166: the older message says no reason. */
  g_autoptr(GError) error = aws_error ("AccessDeniedException", 400,
    "User: arn:aws:sts::053722134931:assumed-role/buildkite-IAMRole-XXX is not authorized "
    "to perform: ecr:GetAuthorizationToken on resource: *");
  WharfExplanationContext ctx = { .operation = "GetAuthorizationToken", .region = "us-east-1" };
  g_autoptr(WharfExplanation) e = wharf_explanation_new (error, &ctx);

  g_assert_cmpint (wharf_explanation_get_kind (e), ==, WHARF_EXPLANATION_ACCESS_DENIED);
  g_assert_cmpint (wharf_explanation_get_denied_by (e), ==, WHARF_DENIED_BY_UNKNOWN);
  g_assert_cmpstr (wharf_explanation_get_resource (e), ==, "*");
  g_assert_cmpstr (wharf_explanation_get_managed_policy (e), ==,
                   "AmazonEC2ContainerRegistryPullOnly");
  assert_identity_policy (e, "ecr:GetAuthorizationToken", "*");
  assert_texts (e);
}

static void
test_access_denied_repository (void)
{
  /* exercism/website#520: a repository ARN, no reason given. */
  g_autoptr(GError) error = aws_error ("AccessDeniedException", 400,
    "User: arn:aws:sts::591712695352:assumed-role/webserver-ecs/76e79460e97a4825bed4a06f32d2f48a "
    "is not authorized to perform: ecr:DescribeImages on resource: "
    "arn:aws:ecr:eu-west-2:591712695352:repository/c-representer");
  WharfExplanationContext ctx = {
    .operation = "DescribeImages", .account_id = "591712695352", .region = "eu-west-2",
    .repository_name = "c-representer",
  };
  g_autoptr(WharfExplanation) e = wharf_explanation_new (error, &ctx);

  g_assert_cmpstr (wharf_explanation_get_action (e), ==, "ecr:DescribeImages");
  g_assert_cmpstr (wharf_explanation_get_resource (e), ==,
                   "arn:aws:ecr:eu-west-2:591712695352:repository/c-representer");
  assert_identity_policy (e, "ecr:DescribeImages",
                          "arn:aws:ecr:eu-west-2:591712695352:repository/c-representer");
  g_assert_cmpstr (wharf_explanation_get_title (e), ==, "Not allowed to list images");
  assert_texts (e);
}

static void
test_access_denied_explicit (void)
{
  /* aws/aws-cli#5592: an explicit deny, policy type not named. */
  g_autoptr(GError) error = aws_error ("AccessDeniedException", 400,
    "User: arn:aws:iam::123456789012:user/dev is not authorized to perform: "
    "ecr:GetAuthorizationToken on resource: * with an explicit deny");
  WharfExplanationContext ctx = { .operation = "GetAuthorizationToken" };
  g_autoptr(WharfExplanation) e = wharf_explanation_new (error, &ctx);

  g_assert_cmpint (wharf_explanation_get_denied_by (e), ==, WHARF_DENIED_BY_EXPLICIT_DENY);
  g_assert_cmpint (wharf_explanation_get_fix (e), ==, WHARF_EXPLANATION_FIX_ASK_ADMIN);
  /* Granting does not undo a Deny: no policy to copy. */
  g_assert_null (wharf_explanation_get_policy_json (e));
  g_assert_null (wharf_explanation_get_managed_policy (e));
  assert_texts (e);
}

static void
test_access_denied_policy_types (void)
{
  /* The reasons the IAM User Guide lists ("Access denied error messages"). */
  static const struct
  {
    const char *tail;
    WharfDeniedBy denied_by;
    gboolean grant;   /* whether granting would fix it */
  } cases[] = {
    { " with an explicit deny in an identity-based policy", WHARF_DENIED_BY_IDENTITY_POLICY, FALSE },
    { " because no permissions boundary allows the ecr:CreateRepository action",
      WHARF_DENIED_BY_NO_PERMISSIONS_BOUNDARY, TRUE },
    { " with an explicit deny in a permissions boundary", WHARF_DENIED_BY_PERMISSIONS_BOUNDARY, FALSE },
    { " because no session policy allows the ecr:CreateRepository action",
      WHARF_DENIED_BY_NO_SESSION_POLICY, TRUE },
    { " with an explicit deny in a session policy", WHARF_DENIED_BY_SESSION_POLICY, FALSE },
    { " with an explicit deny in a service control policy",
      WHARF_DENIED_BY_SERVICE_CONTROL_POLICY, FALSE },
    /* "the phrase can appear even when the denial is implicit", capitalised (IAM guide). */
    { " due to an explicit deny in a Service Control Policy",
      WHARF_DENIED_BY_SERVICE_CONTROL_POLICY, FALSE },
    { " because no service control policy allows the ecr:CreateRepository action",
      WHARF_DENIED_BY_NO_SERVICE_CONTROL_POLICY, TRUE },
    { " with an explicit deny in a resource control policy",
      WHARF_DENIED_BY_RESOURCE_CONTROL_POLICY, FALSE },
    { " with an explicit deny in a resource-based policy", WHARF_DENIED_BY_RESOURCE_POLICY, FALSE },
    { " because no VPC endpoint policy allows the ecr:CreateRepository action",
      WHARF_DENIED_BY_NO_VPC_ENDPOINT_POLICY, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *message = g_strconcat (
        "User: arn:aws:iam::123456789012:user/dev is not authorized to perform: "
        "ecr:CreateRepository on resource: arn:aws:ecr:us-east-1:123456789012:repository/app",
        cases[i].tail, NULL);
      g_autoptr(GError) error = aws_error ("AccessDeniedException", 400, message);
      WharfExplanationContext ctx = {
        .operation = "CreateRepository", .account_id = "123456789012", .region = "us-east-1",
      };
      g_autoptr(WharfExplanation) e = wharf_explanation_new (error, &ctx);

      g_test_message ("%s", cases[i].tail);
      g_assert_cmpint (wharf_explanation_get_kind (e), ==, WHARF_EXPLANATION_ACCESS_DENIED);
      g_assert_cmpint (wharf_explanation_get_denied_by (e), ==, cases[i].denied_by);
      g_assert_cmpstr (wharf_explanation_get_resource (e), ==,
                       "arn:aws:ecr:us-east-1:123456789012:repository/app");
      if (cases[i].grant)
        assert_identity_policy (e, "ecr:CreateRepository",
                                "arn:aws:ecr:us-east-1:123456789012:repository/app");
      else
        g_assert_null (wharf_explanation_get_policy_json (e));
      assert_texts (e);
    }
}

static void
test_access_denied_resource_policy (void)
{
  g_autoptr(GError) error = aws_error ("AccessDeniedException", 400, CROSS_ACCOUNT_PUSH);
  /* Seen from the pushing account: the repository is someone else's. */
  WharfExplanationContext theirs = {
    .operation = "InitiateLayerUpload", .account_id = "111111111111", .region = "us-west-2",
  };
  /* Seen from the owner's account, on that repository's page. */
  WharfExplanationContext own = {
    .operation = "InitiateLayerUpload", .account_id = "222222222222", .region = "us-west-2",
    .repository_name = "runner-test",
  };
  g_autoptr(WharfExplanation) e1 = wharf_explanation_new (error, &theirs);
  g_autoptr(WharfExplanation) e2 = wharf_explanation_new (error, &own);

  g_assert_cmpint (wharf_explanation_get_denied_by (e1), ==, WHARF_DENIED_BY_NO_RESOURCE_POLICY);
  g_assert_cmpint (wharf_explanation_get_fix (e1), ==, WHARF_EXPLANATION_FIX_ASK_ADMIN);
  g_assert_cmpstr (wharf_explanation_get_managed_policy (e1), ==,
                   "AmazonEC2ContainerRegistryPowerUser");
  g_assert_nonnull (strstr (wharf_explanation_get_remedy (e1), "another account"));
  assert_identity_policy (e1, "ecr:InitiateLayerUpload",
                          "arn:aws:ecr:us-west-2:222222222222:repository/runner-test");

  g_assert_cmpint (wharf_explanation_get_fix (e2), ==, WHARF_EXPLANATION_FIX_OPEN_PERMISSIONS);
  g_assert_nonnull (strstr (wharf_explanation_get_remedy (e2), "Permissions"));
  assert_texts (e1);
  assert_texts (e2);
}

static void
test_access_denied_registry_protocol (void)
{
  /* ZhangYuanhan-AI/CelebASpoofChallengeSubmissionExample#9: docker push's "denied:". */
  g_autoptr(GError) error = wharf_aws_error_new_full (WHARF_AWS_ERROR_ACCESS_DENIED, NULL, NULL,
    NULL, 403,
    "denied: User: arn:aws:iam::871259748386:root is not authorized to perform: "
    "ecr:InitiateLayerUpload on resource: "
    "arn:aws:ecr:us-west-2:692230297653:repository/celeba-spoof-challenge-871259748386");
  g_autoptr(WharfExplanation) e = wharf_explanation_new (error, NULL);

  g_assert_cmpint (wharf_explanation_get_kind (e), ==, WHARF_EXPLANATION_ACCESS_DENIED);
  g_assert_cmpstr (wharf_explanation_get_principal (e), ==, "arn:aws:iam::871259748386:root");
  g_assert_cmpstr (wharf_explanation_get_action (e), ==, "ecr:InitiateLayerUpload");
  assert_identity_policy (e, "ecr:InitiateLayerUpload",
                          "arn:aws:ecr:us-west-2:692230297653:repository/celeba-spoof-challenge-871259748386");
  assert_texts (e);
}

static void
test_access_denied_without_message (void)
{
  /* A 403 with no usable body: the context fills in the action and resource. */
  g_autoptr(GError) error = aws_error ("AccessDeniedException", 403, "");
  WharfExplanationContext ctx = {
    .operation = "BatchDeleteImage", .account_id = "123456789012", .region = "cn-north-1",
    .repository_name = "team/app", .identity_arn = "arn:aws-cn:iam::123456789012:user/ops",
  };
  g_autoptr(WharfExplanation) e = wharf_explanation_new (error, &ctx);

  g_assert_cmpstr (wharf_explanation_get_action (e), ==, "ecr:BatchDeleteImage");
  g_assert_cmpstr (wharf_explanation_get_principal (e), ==, "arn:aws-cn:iam::123456789012:user/ops");
  assert_identity_policy (e, "ecr:BatchDeleteImage",
                          "arn:aws-cn:ecr:cn-north-1:123456789012:repository/team/app");
  g_assert_cmpstr (wharf_explanation_get_managed_policy (e), ==,
                   "AmazonEC2ContainerRegistryFullAccess");
}

static void
test_kms (void)
{
  /* KMS's refusal in IAM's format, as ECR passes it on in a KmsException. */
  g_autoptr(GError) error = aws_error ("KmsException", 400,
    "User: arn:aws:sts::123456789012:assumed-role/Developer/alice is not authorized to "
    "perform: kms:CreateGrant on resource: "
    "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab because no "
    "resource-based policy allows the kms:CreateGrant action");
  WharfExplanationContext ctx = { .operation = "CreateRepository", .region = "us-east-1" };
  g_autoptr(WharfExplanation) e = wharf_explanation_new (error, &ctx);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *statement;

  g_assert_cmpint (wharf_explanation_get_kind (e), ==, WHARF_EXPLANATION_KMS);
  g_assert_cmpstr (wharf_explanation_get_kms_key (e), ==,
                   "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
  g_assert_nonnull (strstr (wharf_explanation_get_body (e), "1234abcd-12ab"));
  statement = parse_policy (wharf_explanation_get_policy_json (e), parser);
  /* A key policy names the role, not the session. */
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (statement, "Principal"), "AWS"),
                   ==, "arn:aws:iam::123456789012:role/Developer");
  g_assert_cmpstr (json_object_get_string_member (statement, "Action"), ==, "kms:CreateGrant");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_object_get_object_member (statement, "Condition"),
                                                    "StringEquals"), "kms:ViaService"),
                   ==, "ecr.us-east-1.amazonaws.com");
  assert_texts (e);
}

static void
test_kms_key_unusable (void)
{
  g_autoptr(GError) error = aws_error ("KmsException", 400,
    "arn:aws:kms:eu-west-1:123456789012:key/0000aaaa-bbbb-cccc-dddd-eeeeffff0000 is disabled.");
  WharfExplanationContext ctx = { .operation = "PutImage", .region = "eu-west-1" };
  g_autoptr(WharfExplanation) e = wharf_explanation_new (error, &ctx);

  g_assert_cmpint (wharf_explanation_get_kind (e), ==, WHARF_EXPLANATION_KMS);
  g_assert_nonnull (strstr (wharf_explanation_get_title (e), "cannot be used"));
  g_assert_null (wharf_explanation_get_policy_json (e));
}

static void
test_region_not_enabled (void)
{
  /* An opt-in region that is not enabled answers as if the keys were unknown. */
  g_autoptr(GError) error = aws_error ("UnrecognizedClientException", 400,
                                       "The security token included in the request is invalid.");
  WharfExplanationContext optin = { .operation = "DescribeRepositories", .region = "me-central-1" };
  WharfExplanationContext usual = { .operation = "DescribeRepositories", .region = "us-east-1" };
  g_autoptr(WharfExplanation) e1 = wharf_explanation_new (error, &optin);
  g_autoptr(WharfExplanation) e2 = wharf_explanation_new (error, &usual);

  g_assert_cmpint (wharf_explanation_get_kind (e1), ==, WHARF_EXPLANATION_REGION_NOT_ENABLED);
  g_assert_cmpint (wharf_explanation_get_fix (e1), ==, WHARF_EXPLANATION_FIX_CHOOSE_REGION);
  g_assert_nonnull (strstr (wharf_explanation_get_body (e1), "me-central-1"));
  g_assert_cmpint (wharf_explanation_get_kind (e2), ==, WHARF_EXPLANATION_INVALID_KEYS);
  g_assert_cmpint (wharf_explanation_get_fix (e2), ==, WHARF_EXPLANATION_FIX_EDIT_ACCOUNT);
  g_assert_true (wharf_ecr_region_is_opt_in ("af-south-1"));
  g_assert_false (wharf_ecr_region_is_opt_in ("eu-west-1"));
}

static void
test_region_unavailable (void)
{
  g_autoptr(GError) cause = g_error_new_literal (G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                                                 "Error resolving “api.ecr.us-east-7.amazonaws.com”");
  g_autoptr(GError) error = wharf_aws_error_new_with_cause (WHARF_AWS_ERROR_NETWORK, cause,
    "Could not reach api.ecr.us-east-7.amazonaws.com: Error resolving");
  g_autoptr(GError) plain = wharf_aws_error_new_full (WHARF_AWS_ERROR_NETWORK, NULL, NULL, NULL, 0,
    "Could not reach api.ecr.xx-nowhere-1.amazonaws.com");
  WharfExplanationContext ctx = { .operation = "DescribeRepositories", .region = "us-east-7" };
  WharfExplanationContext fips = { .operation = "DescribeRepositories", .region = "eu-west-1",
                                   .fips = TRUE };
  WharfExplanationContext unknown = { .region = "xx-nowhere-1" };
  WharfExplanationContext known = { .region = "eu-west-1" };
  g_autoptr(WharfExplanation) e1 = wharf_explanation_new (error, &ctx);
  g_autoptr(WharfExplanation) e2 = wharf_explanation_new (error, &fips);
  g_autoptr(WharfExplanation) e3 = wharf_explanation_new (plain, &unknown);
  g_autoptr(WharfExplanation) e4 = wharf_explanation_new (plain, &known);

  g_assert_cmpint (wharf_explanation_get_kind (e1), ==, WHARF_EXPLANATION_REGION_UNAVAILABLE);
  g_assert_nonnull (strstr (wharf_explanation_get_body (e1), "us-east-7"));
  g_assert_cmpint (wharf_explanation_get_kind (e2), ==, WHARF_EXPLANATION_ENDPOINT_MISMATCH);
  g_assert_nonnull (strstr (wharf_explanation_get_title (e2), "FIPS"));
  g_assert_cmpint (wharf_explanation_get_kind (e3), ==, WHARF_EXPLANATION_REGION_UNAVAILABLE);
  /* A plain network failure in a real region is not explained away. */
  g_assert_cmpint (wharf_explanation_get_kind (e4), ==, WHARF_EXPLANATION_NONE);
  g_assert_cmpstr (wharf_explanation_get_aws_message (e4), ==,
                   "Could not reach api.ecr.xx-nowhere-1.amazonaws.com");
}

/* What the request engine records in the error fills what the context leaves out. */
static void
test_error_context (void)
{
  g_autoptr(GError) error = aws_error ("UnrecognizedClientException", 400,
                                       "The security token included in the request is invalid.");
  g_autoptr(GError) overridden = g_error_copy (error);
  g_autoptr(GError) local = g_error_copy (error);
  g_autoptr(GError) cause = g_error_new_literal (G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                                                 "Error resolving “api.ecr.us-east-7.amazonaws.com”");
  g_autoptr(GError) unresolved = wharf_aws_error_new_with_cause (WHARF_AWS_ERROR_NETWORK, cause,
    "Could not reach api.ecr.us-east-7.amazonaws.com: Error resolving");
  WharfExplanationContext given = { .region = "eu-west-1" };
  g_autoptr(WharfExplanation) e1 = NULL;
  g_autoptr(WharfExplanation) e2 = NULL;
  g_autoptr(WharfExplanation) e3 = NULL;
  g_autoptr(WharfExplanation) e4 = NULL;
  g_autoptr(WharfExplanation) e5 = NULL;

  wharf_aws_error_set_context (error, "DescribeRepositories", "me-central-1", NULL);
  e1 = wharf_explanation_new (error, NULL);
  g_assert_cmpint (wharf_explanation_get_kind (e1), ==, WHARF_EXPLANATION_REGION_NOT_ENABLED);
  g_assert_nonnull (strstr (wharf_explanation_get_body (e1), "me-central-1"));

  /* The context wins over the error. */
  e2 = wharf_explanation_new (error, &given);
  g_assert_cmpint (wharf_explanation_get_kind (e2), ==, WHARF_EXPLANATION_INVALID_KEYS);

  /* Someone else's server says nothing about the region; a local stand-in for AWS (the
   * practice registry) answers as the region would. */
  wharf_aws_error_set_context (overridden, "DescribeRepositories", "me-central-1",
                               "https://ecr.example.com");
  e3 = wharf_explanation_new (overridden, NULL);
  g_assert_cmpint (wharf_explanation_get_kind (e3), ==, WHARF_EXPLANATION_INVALID_KEYS);
  wharf_aws_error_set_context (local, "DescribeRepositories", "me-central-1",
                               "http://127.0.0.1:4567");
  e4 = wharf_explanation_new (local, NULL);
  g_assert_cmpint (wharf_explanation_get_kind (e4), ==, WHARF_EXPLANATION_REGION_NOT_ENABLED);

  /* The transport's cause and the recorded region: no such ECR region. */
  wharf_aws_error_set_context (unresolved, "DescribeRepositories", "us-east-7", NULL);
  e5 = wharf_explanation_new (unresolved, NULL);
  g_assert_cmpint (wharf_explanation_get_kind (e5), ==, WHARF_EXPLANATION_REGION_UNAVAILABLE);
  g_assert_cmpint (wharf_explanation_get_fix (e5), ==, WHARF_EXPLANATION_FIX_CHOOSE_REGION);
  g_assert_nonnull (strstr (wharf_explanation_get_body (e5), "us-east-7"));
}

static void
test_endpoints (void)
{
  g_autoptr(GError) config = wharf_aws_error_new_full (WHARF_AWS_ERROR_INVALID_ENDPOINT, NULL,
    NULL, NULL, 0, "A custom endpoint cannot be combined with FIPS");
  g_autoptr(GError) html = wharf_aws_error_new_full (WHARF_AWS_ERROR_PROTOCOL, NULL, NULL,
    NULL, 200, "The answer from localhost was not AWS JSON");
  g_autoptr(GError) unknown_op = aws_error ("UnknownOperationException", 400, NULL);
  WharfExplanationContext ctx = { .endpoint_url = "http://127.0.0.1:9000" };
  g_autoptr(WharfExplanation) e1 = wharf_explanation_new (config, NULL);
  g_autoptr(WharfExplanation) e2 = wharf_explanation_new (html, &ctx);
  g_autoptr(WharfExplanation) e3 = wharf_explanation_new (unknown_op, NULL);
  g_autoptr(WharfExplanation) e4 = wharf_explanation_new (html, NULL);

  g_assert_cmpint (wharf_explanation_get_kind (e1), ==, WHARF_EXPLANATION_ENDPOINT_MISMATCH);
  g_assert_cmpint (wharf_explanation_get_kind (e2), ==, WHARF_EXPLANATION_NOT_ECR);
  g_assert_nonnull (strstr (wharf_explanation_get_body (e2), "http://127.0.0.1:9000"));
  g_assert_cmpint (wharf_explanation_get_fix (e2), ==, WHARF_EXPLANATION_FIX_CHECK_ENDPOINT);
  g_assert_cmpint (wharf_explanation_get_kind (e3), ==, WHARF_EXPLANATION_NOT_ECR);
  /* Without an override, a proxy's page is not blamed on the endpoint setting. */
  g_assert_cmpint (wharf_explanation_get_kind (e4), ==, WHARF_EXPLANATION_NONE);
}

static void
test_quotas (void)
{
  static const struct
  {
    const char *aws_code;
    const char *operation;
    const char *message;
    const char *rule;
    const char *quota;
    gboolean adjustable;
  } cases[] = {
    /* semaphoreci/docs#404 */
    { "LimitExceededException", "PutImage",
      "The repository with name 'api' in registry with id '123456789012' already has the "
      "maximum allowed number of images which is '10000'",
      "quota-images", "Images per repository", TRUE },
    /* namespacelabs/foundation#649 */
    { "LimitExceededException", "PutImage",
      "Adding tag 'a36lq4utgaq4q' to an image in the repository with name "
      "'foundation/controller/tool' in registry with id '123456789012' exceeds the maximum "
      "allowed number of tags per image which is '1000'",
      "quota-image-tags", "Tags per image", FALSE },
    { "LimitExceededException", "CreateRepository", "Limit exceeded",
      "quota-repositories", "Registered repositories", TRUE },
    /* ECR's answer to a second scan within a day (Amazon ECR User Guide, image scanning) */
    { "LimitExceededException", "StartImageScan",
      "The scan quota per image has been exceeded. Wait and try again.",
      "quota-scan", "Image scans", FALSE },
    /* The model's documented TooManyTagsException */
    { "TooManyTagsException", "TagResource", "The list of tags on the repository is over the limit.",
      "quota-resource-tags", "Tags per repository", FALSE },
    /* botocore-style constraint message for an over-long policy */
    { "ValidationException", "PutLifecyclePolicy",
      "1 validation error detected: Value at 'lifecyclePolicyText' failed to satisfy "
      "constraint: Member must have length less than or equal to 30720",
      "quota-lifecycle-length", "Lifecycle policy length", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = aws_error (cases[i].aws_code, 400, cases[i].message);
      WharfExplanationContext ctx = { .operation = cases[i].operation };
      g_autoptr(WharfExplanation) e = wharf_explanation_new (error, &ctx);

      g_test_message ("%s", cases[i].rule);
      g_assert_cmpint (wharf_explanation_get_kind (e), ==, WHARF_EXPLANATION_QUOTA);
      g_assert_cmpstr (wharf_explanation_get_rule (e), ==, cases[i].rule);
      g_assert_cmpstr (wharf_explanation_get_quota_name (e), ==, cases[i].quota);
      g_assert_nonnull (wharf_explanation_get_quota_default (e));
      g_assert_cmpint (wharf_explanation_get_quota_adjustable (e), ==, cases[i].adjustable);
      g_assert_cmpint (wharf_explanation_get_fix (e), ==,
                       cases[i].adjustable ? WHARF_EXPLANATION_FIX_REQUEST_QUOTA
                                           : WHARF_EXPLANATION_FIX_NONE);
      g_assert_nonnull (wharf_explanation_get_source (e));
      assert_texts (e);
    }
}

static void
test_throttled (void)
{
  g_autoptr(GError) error = aws_error ("ThrottlingException", 400, "Rate exceeded");
  WharfExplanationContext ctx = { .operation = "BatchGetImage" };
  g_autoptr(WharfExplanation) e = wharf_explanation_new (error, &ctx);

  g_assert_cmpint (wharf_explanation_get_kind (e), ==, WHARF_EXPLANATION_THROTTLED);
  g_assert_cmpint (wharf_explanation_get_fix (e), ==, WHARF_EXPLANATION_FIX_RETRY);
  g_assert_nonnull (strstr (wharf_explanation_get_body (e), "Rate of BatchGetImage requests"));
  g_assert_cmpstr (wharf_explanation_get_quota_default (e), ==, "2,000 requests per second");
  g_assert_true (wharf_explanation_get_quota_adjustable (e));
  assert_texts (e);
}

static void
test_credentials (void)
{
  static const struct
  {
    const char *aws_code;
    const char *message;
    WharfCredentialKind credential_kind;
    WharfExplanationKind kind;
    WharfExplanationFix fix;
  } cases[] = {
    { "ExpiredTokenException", "The security token included in the request is expired",
      WHARF_CREDENTIAL_KIND_MFA, WHARF_EXPLANATION_EXPIRED_TOKEN, WHARF_EXPLANATION_FIX_ENTER_CODE },
    { "ExpiredTokenException", "The security token included in the request is expired",
      WHARF_CREDENTIAL_KIND_SSO, WHARF_EXPLANATION_SIGN_IN_EXPIRED, WHARF_EXPLANATION_FIX_SIGN_IN },
    { "ExpiredTokenException", "The security token included in the request is expired",
      WHARF_CREDENTIAL_KIND_KEYS, WHARF_EXPLANATION_EXPIRED_TOKEN, WHARF_EXPLANATION_FIX_EDIT_ACCOUNT },
    { "ExpiredTokenException", "The security token included in the request is expired",
      WHARF_CREDENTIAL_KIND_ASSUME_ROLE, WHARF_EXPLANATION_EXPIRED_TOKEN, WHARF_EXPLANATION_FIX_RETRY },
    { "InvalidSignatureException",
      "Signature expired: 20260101T000000Z is now earlier than 20260101T000500Z "
      "(20260101T001000Z - 5 min.)",
      WHARF_CREDENTIAL_KIND_KEYS, WHARF_EXPLANATION_CLOCK_SKEW, WHARF_EXPLANATION_FIX_SET_CLOCK },
    { "InvalidSignatureException",
      "Signature not yet current: 20260101T003000Z is still later than 20260101T001500Z "
      "(20260101T001000Z + 5 min.)",
      WHARF_CREDENTIAL_KIND_KEYS, WHARF_EXPLANATION_CLOCK_SKEW, WHARF_EXPLANATION_FIX_SET_CLOCK },
    { "InvalidSignatureException",
      "The request signature we calculated does not match the signature you provided. Check "
      "your AWS Secret Access Key and signing method. Consult the service documentation for "
      "details.",
      WHARF_CREDENTIAL_KIND_KEYS, WHARF_EXPLANATION_INVALID_KEYS, WHARF_EXPLANATION_FIX_EDIT_ACCOUNT },
    { "UnrecognizedClientException", "The security token included in the request is invalid.",
      WHARF_CREDENTIAL_KIND_KEYS, WHARF_EXPLANATION_INVALID_KEYS, WHARF_EXPLANATION_FIX_EDIT_ACCOUNT },
    /* STS's answer to a wrong MFA code (AssumeRole) */
    { "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code. ",
      WHARF_CREDENTIAL_KIND_MFA, WHARF_EXPLANATION_MFA_REQUIRED, WHARF_EXPLANATION_FIX_ENTER_CODE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = aws_error (cases[i].aws_code, 400, cases[i].message);
      WharfExplanationContext ctx = {
        .operation = "DescribeRepositories", .region = "us-east-1",
        .credential_kind = cases[i].credential_kind,
      };
      g_autoptr(WharfExplanation) e = wharf_explanation_new (error, &ctx);

      g_test_message ("%s: %s", cases[i].aws_code, cases[i].message);
      g_assert_cmpint (wharf_explanation_get_kind (e), ==, cases[i].kind);
      g_assert_cmpint (wharf_explanation_get_fix (e), ==, cases[i].fix);
      assert_texts (e);
    }
}

static void
test_credential_causes (void)
{
  g_autoptr(GError) sso = g_error_new_literal (WHARF_SSO_ERROR, WHARF_SSO_ERROR_LOGIN_REQUIRED,
                                               "The sign-in has expired");
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                     "No MFA code was entered");
  g_autoptr(GError) e_sso = wharf_aws_error_new_with_cause (WHARF_AWS_ERROR_CREDENTIALS_UNAVAILABLE,
                                                            sso, NULL);
  g_autoptr(GError) e_mfa = wharf_aws_error_new_with_cause (WHARF_AWS_ERROR_CREDENTIALS_UNAVAILABLE,
                                                            cancelled, NULL);
  g_autoptr(WharfExplanation) x_sso = wharf_explanation_new (e_sso, NULL);
  g_autoptr(WharfExplanation) x_mfa = wharf_explanation_new (e_mfa, NULL);

  g_assert_cmpint (wharf_explanation_get_kind (x_sso), ==, WHARF_EXPLANATION_SIGN_IN_EXPIRED);
  g_assert_cmpint (wharf_explanation_get_fix (x_sso), ==, WHARF_EXPLANATION_FIX_SIGN_IN);
  g_assert_cmpint (wharf_explanation_get_kind (x_mfa), ==, WHARF_EXPLANATION_MFA_REQUIRED);
  g_assert_cmpint (wharf_explanation_get_fix (x_mfa), ==, WHARF_EXPLANATION_FIX_ENTER_CODE);
  g_assert_cmpstr (wharf_explanation_get_aws_message (x_mfa), ==, "No MFA code was entered");
}

static void
test_unrecognised (void)
{
  g_autoptr(GError) error = aws_error ("RepositoryNotEmptyException", 400,
    "The repository with name 'api' in registry with id '123456789012' cannot be deleted "
    "because it still contains images");
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "Something");
  g_autoptr(WharfExplanation) e = wharf_explanation_new (error, NULL);
  g_autoptr(WharfExplanation) o = wharf_explanation_new (other, NULL);
  g_autofree char *text = wharf_explanation_to_text (e);

  g_assert_cmpint (wharf_explanation_get_kind (e), ==, WHARF_EXPLANATION_NONE);
  g_assert_cmpstr (wharf_explanation_get_rule (e), ==, "none");
  g_assert_null (wharf_explanation_get_title (e));
  g_assert_cmpstr (wharf_explanation_get_aws_code (e), ==, "RepositoryNotEmptyException");
  g_assert_nonnull (strstr (text, "still contains images"));
  g_assert_cmpint (wharf_explanation_get_kind (o), ==, WHARF_EXPLANATION_NONE);
  g_assert_cmpstr (wharf_explanation_get_aws_message (o), ==, "Something");
}

static void
test_hostile (void)
{
  /* A huge message, a message that almost matches, stray ARNs: no crash, no invention. */
  g_autoptr(GString) huge = g_string_new ("User: arn:aws:iam::1:user/x is not authorized to perform: ");
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = aws_error ("AccessDeniedException", 400,
                                    "User:  is not authorized to perform: ");
  g_autoptr(GError) e3 = aws_error ("AccessDeniedException", 400,
                                    "User: arn:aws:iam::123456789012:user/a\"b is not authorized "
                                    "to perform: ecr:ListImages on resource: arn:aws:ecr:us-east-1:"
                                    "123456789012:repository/x\"y");
  g_autoptr(WharfExplanation) x1 = NULL;
  g_autoptr(WharfExplanation) x2 = NULL;
  g_autoptr(WharfExplanation) x3 = NULL;

  for (int i = 0; i < 20000; i++)
    g_string_append (huge, "ecr:");
  e1 = aws_error ("AccessDeniedException", 400, huge->str);
  x1 = wharf_explanation_new (e1, NULL);
  x2 = wharf_explanation_new (e2, NULL);
  x3 = wharf_explanation_new (e3, NULL);
  g_assert_cmpint (wharf_explanation_get_kind (x1), ==, WHARF_EXPLANATION_ACCESS_DENIED);
  g_assert_cmpint (wharf_explanation_get_kind (x2), ==, WHARF_EXPLANATION_ACCESS_DENIED);
  g_assert_null (wharf_explanation_get_action (x2));
  /* Quotes in names stay inside valid JSON strings. */
  assert_identity_policy (x3, "ecr:ListImages",
                          "arn:aws:ecr:us-east-1:123456789012:repository/x\"y");
}

static void
test_iam_actions (void)
{
  g_assert_cmpstr (wharf_ecr_operation_get_iam_action ("DescribeImages"), ==, "ecr:DescribeImages");
  g_assert_cmpstr (wharf_ecr_operation_get_iam_action ("PutImage"), ==, "ecr:PutImage");
  g_assert_null (wharf_ecr_operation_get_iam_action ("Nothing"));
  g_assert_null (wharf_ecr_operation_get_iam_action (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ecr-explain/access-denied/no-identity-policy", test_access_denied_no_identity_policy);
  g_test_add_func ("/ecr-explain/access-denied/old-format", test_access_denied_old_format);
  g_test_add_func ("/ecr-explain/access-denied/repository", test_access_denied_repository);
  g_test_add_func ("/ecr-explain/access-denied/explicit", test_access_denied_explicit);
  g_test_add_func ("/ecr-explain/access-denied/policy-types", test_access_denied_policy_types);
  g_test_add_func ("/ecr-explain/access-denied/resource-policy", test_access_denied_resource_policy);
  g_test_add_func ("/ecr-explain/access-denied/registry-protocol", test_access_denied_registry_protocol);
  g_test_add_func ("/ecr-explain/access-denied/without-message", test_access_denied_without_message);
  g_test_add_func ("/ecr-explain/kms/denied", test_kms);
  g_test_add_func ("/ecr-explain/kms/unusable", test_kms_key_unusable);
  g_test_add_func ("/ecr-explain/region/not-enabled", test_region_not_enabled);
  g_test_add_func ("/ecr-explain/region/unavailable", test_region_unavailable);
  g_test_add_func ("/ecr-explain/endpoint", test_endpoints);
  g_test_add_func ("/ecr-explain/error-context", test_error_context);
  g_test_add_func ("/ecr-explain/quotas", test_quotas);
  g_test_add_func ("/ecr-explain/throttled", test_throttled);
  g_test_add_func ("/ecr-explain/credentials", test_credentials);
  g_test_add_func ("/ecr-explain/credentials/causes", test_credential_causes);
  g_test_add_func ("/ecr-explain/unrecognised", test_unrecognised);
  g_test_add_func ("/ecr-explain/hostile", test_hostile);
  g_test_add_func ("/ecr-explain/iam-actions", test_iam_actions);

  return g_test_run ();
}
