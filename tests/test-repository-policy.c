/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-repository-policy"

#include "config.h"

#include <glib.h>
#include <string.h>

#include "wharf-repository-policy.h"

static const char seeded[] =
  "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n"
  "      \"Sid\": \"AllowPullFromCiAccount\",\n      \"Effect\": \"Allow\",\n"
  "      \"Principal\": { \"AWS\": \"arn:aws:iam::444455556666:root\" },\n"
  "      \"Action\": [\n        \"ecr:BatchGetImage\",\n        \"ecr:GetDownloadUrlForLayer\",\n"
  "        \"ecr:BatchCheckLayerAvailability\"\n      ]\n    }\n  ]\n}";

static WharfPolicyProblem *
find_problem (GPtrArray        *problems,
              int               statement,
              WharfPolicyField  field)
{
  for (guint i = 0; i < problems->len; i++)
    {
      WharfPolicyProblem *p = problems->pdata[i];

      if (p->statement == statement && p->field == field)
        return p;
    }
  return NULL;
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WharfRepositoryPolicy) policy = wharf_repository_policy_parse (seeded, NULL, NULL, &error);
  g_autoptr(WharfRepositoryPolicy) again = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *text = NULL;
  g_autofree char *words = NULL;
  WharfPolicyStatement *st;

  g_assert_no_error (error);
  g_assert_cmpuint (wharf_repository_policy_get_n_statements (policy), ==, 1);
  st = wharf_repository_policy_get_statement (policy, 0);
  g_assert_cmpstr (st->sid, ==, "AllowPullFromCiAccount");
  g_assert_cmpstr (st->effect, ==, "Allow");
  g_assert_cmpstr (st->principals[0], ==, "arn:aws:iam::444455556666:root");
  g_assert_cmpint (wharf_policy_access_from_actions ((const char * const *) st->actions), ==,
                   WHARF_POLICY_ACCESS_PULL);
  words = wharf_policy_statement_describe (st);
  g_assert_cmpstr (words, ==, "Allow pull for arn:aws:iam::444455556666:root");

  problems = wharf_repository_policy_validate (policy);
  g_assert_cmpuint (problems->len, ==, 0);

  text = wharf_repository_policy_to_json (policy);
  again = wharf_repository_policy_parse (text, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (wharf_repository_policy_equal (policy, again));
}

static void
test_principal_kinds (void)
{
  g_autoptr(WharfRepositoryPolicy) policy = wharf_repository_policy_new ();
  g_autoptr(WharfRepositoryPolicy) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  WharfPolicyStatement *st = wharf_policy_statement_new ();
  const char *principals[] = { "123456789012", "lambda.amazonaws.com",
                               "arn:aws:iam::123456789012:role/ci", NULL };

  g_assert_cmpstr (wharf_policy_principal_kind ("123456789012"), ==, "account");
  g_assert_cmpstr (wharf_policy_principal_kind ("arn:aws:iam::123456789012:user/anna"), ==, "arn");
  g_assert_cmpstr (wharf_policy_principal_kind ("arn:aws:sts::123456789012:assumed-role/r/s"), ==, "arn");
  g_assert_cmpstr (wharf_policy_principal_kind ("codebuild.amazonaws.com"), ==, "service");
  g_assert_cmpstr (wharf_policy_principal_kind ("*"), ==, "everyone");
  g_assert_null (wharf_policy_principal_kind ("12345678901"));
  g_assert_null (wharf_policy_principal_kind ("arn:aws:iam::12345678901:root"));
  g_assert_null (wharf_policy_principal_kind ("arn:aws:s3:::bucket"));
  g_assert_null (wharf_policy_principal_kind ("arn:aws:iam::123456789012:role/"));

  g_strfreev (st->principals);
  st->principals = g_strdupv ((char **) principals);
  wharf_repository_policy_add_statement (policy, st);
  text = wharf_repository_policy_to_json (policy);
  /* Services go under "Service", the rest under "AWS" */
  g_assert_nonnull (strstr (text, "\"Service\" : \"lambda.amazonaws.com\""));
  g_assert_nonnull (strstr (text, "\"AWS\" : [\n"));
  again = wharf_repository_policy_parse (text, NULL, NULL, &error);
  g_assert_no_error (error);
  st = wharf_repository_policy_get_statement (again, 0);
  g_assert_cmpuint (g_strv_length (st->principals), ==, 3);
  g_assert_true (g_strv_contains ((const char * const *) st->principals, "lambda.amazonaws.com"));
}

static void
test_validation_messages (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WharfRepositoryPolicy) policy = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  WharfPolicyProblem *p;

  policy = wharf_repository_policy_parse (
    "{\"Version\": \"2012-10-17\", \"Statement\": ["
    "{\"Sid\": \"bad sid\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"12345\"}, \"Action\": \"ecr:BatchGetImage\"},"
    "{\"Effect\": \"Permit\", \"Principal\": {\"AWS\": \"arn:aws:iam::1:root\"}, \"Action\": []},"
    "{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": [\"s3:GetObject\"]},"
    "{\"Effect\": \"Allow\", \"Action\": [\"ecr:*\"], \"Condition\": {}}]}",
    NULL, NULL, &error);
  g_assert_no_error (error);
  problems = wharf_repository_policy_validate (policy);

  g_assert_nonnull (find_problem (problems, 0, WHARF_POLICY_FIELD_SID));
  g_assert_nonnull ((p = find_problem (problems, 0, WHARF_POLICY_FIELD_PRINCIPALS)));
  g_assert_cmpstr (p->message, ==, "“12345” is not an account ID: an account ID has 12 digits.");
  g_assert_nonnull (find_problem (problems, 1, WHARF_POLICY_FIELD_EFFECT));
  g_assert_nonnull ((p = find_problem (problems, 1, WHARF_POLICY_FIELD_PRINCIPALS)));
  g_assert_nonnull (strstr (p->message, "well-formed IAM ARN"));
  g_assert_nonnull ((p = find_problem (problems, 1, WHARF_POLICY_FIELD_ACTIONS)));
  g_assert_cmpstr (p->message, ==, "Choose at least one action.");
  g_assert_nonnull ((p = find_problem (problems, 2, WHARF_POLICY_FIELD_PRINCIPALS)));
  g_assert_true (p->is_warning);
  g_assert_nonnull ((p = find_problem (problems, 2, WHARF_POLICY_FIELD_ACTIONS)));
  g_assert_nonnull (strstr (p->message, "s3:GetObject"));
  g_assert_nonnull ((p = find_problem (problems, 3, WHARF_POLICY_FIELD_PRINCIPALS)));
  g_assert_nonnull (strstr (p->message, "at least one principal"));
  g_assert_false (wharf_policy_problems_ok (problems));
}

static void
test_warning_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WharfRepositoryPolicy) policy = wharf_repository_policy_parse (
    "{\"Version\": \"2012-10-17\", \"Statement\": {\"Sid\": \"Public\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": [\"ecr:BatchGetImage\"]}}",
    NULL, NULL, &error);
  g_autoptr(GPtrArray) problems = NULL;

  g_assert_no_error (error);
  problems = wharf_repository_policy_validate (policy);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_true (wharf_policy_problems_ok (problems));
}

static void
test_unsupported (void)
{
  const char *cases[][2] = {
    { "{\"Statement\": [{\"Effect\": \"Allow\", \"NotAction\": \"ecr:*\"}]}", "Statement[0].NotAction" },
    { "{\"Statement\": [{\"Principal\": {\"Federated\": \"x\"}}]}", "Statement[0].Principal.Federated" },
    { "{\"Statement\": [{\"Principal\": {\"AWS\": 1}}]}", "Statement[0].Principal.AWS" },
    { "{\"Version\": \"2012-10-17\"}", "“Statement”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      WharfRepositoryPolicy *policy = wharf_repository_policy_parse (cases[i][0], NULL, NULL, &error);

      g_assert_null (policy);
      g_assert_error (error, WHARF_POLICY_ERROR, WHARF_POLICY_ERROR_STRUCTURE);
      g_assert_nonnull (strstr (error->message, cases[i][1]));
    }
}

static void
test_templates (void)
{
  g_autoptr(WharfRepositoryPolicy) policy = wharf_repository_policy_new ();
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(WharfRepositoryPolicy) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *text = NULL;
  WharfPolicyStatement *st;

  g_assert_false (wharf_policy_template_check_subject (WHARF_POLICY_TEMPLATE_PULL_FOR_ACCOUNT,
                                                       "4444", &reason));
  g_assert_nonnull (strstr (reason, "12 digits"));
  g_assert_true (wharf_policy_template_check_subject (WHARF_POLICY_TEMPLATE_PULL_FOR_ACCOUNT,
                                                      "444455556666", NULL));
  g_assert_true (wharf_policy_template_check_subject (WHARF_POLICY_TEMPLATE_PUSH_FOR_ROLE,
                                                      "arn:aws:iam::444455556666:role/ci", NULL));
  g_assert_false (wharf_policy_template_check_subject (WHARF_POLICY_TEMPLATE_PUSH_FOR_ROLE,
                                                       "arn:aws:iam::444455556666:user/ci", NULL));
  g_assert_true (wharf_policy_template_check_subject (WHARF_POLICY_TEMPLATE_LAMBDA_READ,
                                                      "arn:aws:lambda:us-east-1:444455556666:function:*", NULL));

  st = wharf_policy_statement_new_from_template (WHARF_POLICY_TEMPLATE_PULL_FOR_ACCOUNT, "444455556666", policy);
  g_assert_cmpstr (st->sid, ==, "AllowPullFromAccount");
  wharf_repository_policy_add_statement (policy, st);
  st = wharf_policy_statement_new_from_template (WHARF_POLICY_TEMPLATE_PULL_FOR_ACCOUNT, "777788889999", policy);
  g_assert_cmpstr (st->sid, ==, "AllowPullFromAccount2");
  wharf_repository_policy_add_statement (policy, st);
  st = wharf_policy_statement_new_from_template (WHARF_POLICY_TEMPLATE_PUSH_FOR_ROLE,
                                                 "arn:aws:iam::444455556666:role/ci", policy);
  g_assert_cmpint (wharf_policy_access_from_actions ((const char * const *) st->actions), ==,
                   WHARF_POLICY_ACCESS_PUSH);
  wharf_repository_policy_add_statement (policy, st);
  st = wharf_policy_statement_new_from_template (WHARF_POLICY_TEMPLATE_LAMBDA_READ,
                                                 "arn:aws:lambda:us-east-1:444455556666:function:*", policy);
  g_assert_cmpstr (st->principals[0], ==, "lambda.amazonaws.com");
  g_assert_nonnull (strstr (st->conditions, "aws:sourceArn"));
  wharf_repository_policy_add_statement (policy, st);

  problems = wharf_repository_policy_validate (policy);
  g_assert_cmpuint (problems->len, ==, 0);
  text = wharf_repository_policy_to_json (policy);
  again = wharf_repository_policy_parse (text, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (wharf_repository_policy_equal (policy, again));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/repository-policy/round-trip", test_round_trip);
  g_test_add_func ("/repository-policy/principal-kinds", test_principal_kinds);
  g_test_add_func ("/repository-policy/validation-messages", test_validation_messages);
  g_test_add_func ("/repository-policy/warning-only", test_warning_only);
  g_test_add_func ("/repository-policy/unsupported", test_unsupported);
  g_test_add_func ("/repository-policy/templates", test_templates);

  return g_test_run ();
}
