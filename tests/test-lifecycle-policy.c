/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-lifecycle-policy"

#include "config.h"

#include <glib.h>
#include <string.h>

#include "wharf-lifecycle-policy.h"

static const char two_rules[] =
  "{\"rules\": ["
  "{\"rulePriority\": 1, \"description\": \"Keep five release candidates\","
  " \"selection\": {\"tagStatus\": \"tagged\", \"tagPrefixList\": [\"rc-\"],"
  " \"countType\": \"imageCountMoreThan\", \"countNumber\": 5}, \"action\": {\"type\": \"expire\"}},"
  "{\"rulePriority\": 20,"
  " \"selection\": {\"tagStatus\": \"untagged\", \"countType\": \"sinceImagePushed\","
  " \"countUnit\": \"days\", \"countNumber\": 7}, \"action\": {\"type\": \"expire\"}}]}";

static GPtrArray *
problems_for (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WharfLifecycleDocument) doc = wharf_lifecycle_document_parse (text, NULL, NULL, &error);

  g_assert_no_error (error);
  return wharf_lifecycle_document_validate (doc);
}

static WharfLifecycleProblem *
find_problem (GPtrArray           *problems,
              int                  rule,
              WharfLifecycleField  field)
{
  for (guint i = 0; i < problems->len; i++)
    {
      WharfLifecycleProblem *p = problems->pdata[i];

      if (p->rule == rule && p->field == field)
        return p;
    }
  return NULL;
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WharfLifecycleDocument) doc = wharf_lifecycle_document_parse (two_rules, NULL, NULL, &error);
  g_autoptr(WharfLifecycleDocument) again = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  WharfLifecycleRule *rule;

  g_assert_no_error (error);
  g_assert_cmpuint (wharf_lifecycle_document_get_n_rules (doc), ==, 2);
  rule = wharf_lifecycle_document_get_rule (doc, 0);
  g_assert_cmpint (rule->priority, ==, 1);
  g_assert_cmpstr (rule->description, ==, "Keep five release candidates");
  g_assert_cmpint (wharf_lifecycle_rule_get_select (rule), ==, WHARF_LIFECYCLE_SELECT_TAG_PREFIXES);
  g_assert_cmpstr (rule->tag_prefixes[0], ==, "rc-");
  g_assert_cmpint (rule->count_number, ==, 5);
  rule = wharf_lifecycle_document_get_rule (doc, 1);
  g_assert_cmpint (wharf_lifecycle_rule_get_select (rule), ==, WHARF_LIFECYCLE_SELECT_UNTAGGED);
  g_assert_cmpstr (rule->count_unit, ==, "days");

  problems = wharf_lifecycle_document_validate (doc);
  g_assert_cmpuint (problems->len, ==, 0);

  text = wharf_lifecycle_document_to_json (doc);
  again = wharf_lifecycle_document_parse (text, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (wharf_lifecycle_document_equal (doc, again));
  text2 = wharf_lifecycle_document_to_json (again);
  g_assert_cmpstr (text, ==, text2);
  /* ECR's documented member order, indented */
  g_assert_true (g_str_has_prefix (text, "{\n  \"rules\" : [\n    {\n      \"rulePriority\" : 1,"));
}

static void
test_syntax_error_position (void)
{
  g_autoptr(GError) error = NULL;
  int line = -1, column = -1;
  WharfLifecycleDocument *doc;

  doc = wharf_lifecycle_document_parse ("{\n  \"rules\": [\n    {,\n  ]\n}", &line, &column, &error);
  g_assert_null (doc);
  g_assert_error (error, WHARF_POLICY_ERROR, WHARF_POLICY_ERROR_SYNTAX);
  g_assert_cmpint (line, ==, 3);
  g_assert_cmpint (column, >, 0);
  g_assert_true (g_str_has_prefix (error->message, "Line 3, column "));
  g_assert_null (strstr (error->message, "<data>"));
}

static void
test_structure_errors (void)
{
  const char *cases[][2] = {
    { "[1, 2]", "JSON object" },
    { "{\"rule\": []}", "“rules”" },
    { "{\"rules\": [{\"rulePriority\": \"1\"}]}", "rules[0].rulePriority" },
    { "{\"rules\": [{\"rulePriority\": 1, \"selection\": {\"tagPrefixList\": \"v\"}}]}",
      "rules[0].selection.tagPrefixList" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      WharfLifecycleDocument *doc = wharf_lifecycle_document_parse (cases[i][0], NULL, NULL, &error);

      g_assert_null (doc);
      g_assert_error (error, WHARF_POLICY_ERROR, WHARF_POLICY_ERROR_STRUCTURE);
      g_assert_nonnull (strstr (error->message, cases[i][1]));
    }
}

static void
test_validation_messages (void)
{
  g_autoptr(GPtrArray) dup = NULL;
  g_autoptr(GPtrArray) any = NULL;
  g_autoptr(GPtrArray) tagged = NULL;
  g_autoptr(GPtrArray) wild = NULL;
  g_autoptr(GPtrArray) count = NULL;
  g_autoptr(GPtrArray) empty = NULL;
  WharfLifecycleProblem *p;

  dup = problems_for ("{\"rules\": ["
                      "{\"rulePriority\": 3, \"selection\": {\"tagStatus\": \"untagged\", \"countType\": \"imageCountMoreThan\", \"countNumber\": 1}, \"action\": {\"type\": \"expire\"}},"
                      "{\"rulePriority\": 3, \"selection\": {\"tagStatus\": \"untagged\", \"countType\": \"imageCountMoreThan\", \"countNumber\": 2}, \"action\": {\"type\": \"expire\"}}]}");
  g_assert_nonnull ((p = find_problem (dup, 0, WHARF_LIFECYCLE_FIELD_PRIORITY)));
  g_assert_cmpstr (p->message, ==, "Priority 3 is also used by rule 2; each rule needs its own.");
  g_assert_nonnull (find_problem (dup, 1, WHARF_LIFECYCLE_FIELD_PRIORITY));
  g_assert_false (wharf_lifecycle_problems_ok (dup));

  any = problems_for ("{\"rules\": ["
                      "{\"rulePriority\": 1, \"selection\": {\"tagStatus\": \"any\", \"countType\": \"imageCountMoreThan\", \"countNumber\": 10}, \"action\": {\"type\": \"expire\"}},"
                      "{\"rulePriority\": 2, \"selection\": {\"tagStatus\": \"untagged\", \"countType\": \"sinceImagePushed\", \"countUnit\": \"days\", \"countNumber\": 2}, \"action\": {\"type\": \"expire\"}}]}");
  g_assert_nonnull ((p = find_problem (any, 0, WHARF_LIFECYCLE_FIELD_PRIORITY)));
  g_assert_nonnull (strstr (p->message, "highest priority number"));
  g_assert_null (find_problem (any, 1, WHARF_LIFECYCLE_FIELD_PRIORITY));

  tagged = problems_for ("{\"rules\": [{\"rulePriority\": 1, \"selection\": {\"tagStatus\": \"tagged\", \"countType\": \"imageCountMoreThan\", \"countNumber\": 10}, \"action\": {\"type\": \"expire\"}}]}");
  g_assert_nonnull ((p = find_problem (tagged, 0, WHARF_LIFECYCLE_FIELD_TAG_LIST)));
  g_assert_nonnull (strstr (p->message, "at least one tag prefix"));

  wild = problems_for ("{\"rules\": [{\"rulePriority\": 1, \"selection\": {\"tagStatus\": \"tagged\", \"tagPatternList\": [\"*test*1*2*3\", \"t*1*2*3*4*5\"], \"countType\": \"imageCountMoreThan\", \"countNumber\": 10}, \"action\": {\"type\": \"expire\"}}]}");
  g_assert_nonnull ((p = find_problem (wild, 0, WHARF_LIFECYCLE_FIELD_TAG_LIST)));
  g_assert_cmpstr (p->message, ==, "The pattern “t*1*2*3*4*5” has more than 4 wildcards (*).");
  g_assert_cmpuint (wild->len, ==, 1);

  count = problems_for ("{\"rules\": [{\"rulePriority\": 0, \"selection\": {\"tagStatus\": \"untagged\", \"tagPrefixList\": [\"v\"], \"countType\": \"sinceImagePushed\", \"countNumber\": 0}, \"action\": {\"type\": \"delete\"}}]}");
  g_assert_nonnull (find_problem (count, 0, WHARF_LIFECYCLE_FIELD_PRIORITY));
  g_assert_nonnull (find_problem (count, 0, WHARF_LIFECYCLE_FIELD_TAG_LIST));
  g_assert_nonnull ((p = find_problem (count, 0, WHARF_LIFECYCLE_FIELD_COUNT_TYPE)));
  g_assert_nonnull (strstr (p->message, "days"));
  g_assert_nonnull ((p = find_problem (count, 0, WHARF_LIFECYCLE_FIELD_COUNT_NUMBER)));
  g_assert_cmpstr (p->message, ==, "The count must be 1 or more.");
  g_assert_nonnull (find_problem (count, 0, WHARF_LIFECYCLE_FIELD_ACTION));

  empty = problems_for ("{\"rules\": []}");
  g_assert_nonnull (find_problem (empty, -1, WHARF_LIFECYCLE_FIELD_DOCUMENT));
}

static void
test_templates (void)
{
  for (WharfLifecycleTemplate t = WHARF_LIFECYCLE_TEMPLATE_KEEP_LAST;
       t <= WHARF_LIFECYCLE_TEMPLATE_KEEP_RELEASES; t++)
    {
      g_autoptr(WharfLifecycleDocument) doc = wharf_lifecycle_document_new_from_template (t, 10);
      g_autoptr(GPtrArray) problems = wharf_lifecycle_document_validate (doc);
      g_autofree char *text = wharf_lifecycle_document_to_json (doc);

      g_assert_cmpuint (problems->len, ==, 0);
      g_assert_cmpuint (strlen (text), >=, WHARF_LIFECYCLE_TEXT_MIN_LENGTH);
    }
}

static void
test_select (void)
{
  g_autoptr(WharfLifecycleRule) rule = wharf_lifecycle_rule_new ();
  const char *tags[] = { "v*", NULL };
  g_autofree char *words = NULL;

  wharf_lifecycle_rule_set_select (rule, WHARF_LIFECYCLE_SELECT_TAG_PATTERNS, tags);
  g_assert_cmpstr (rule->tag_status, ==, "tagged");
  g_assert_null (rule->tag_prefixes);
  g_assert_cmpstr (rule->tag_patterns[0], ==, "v*");
  g_assert_cmpint (wharf_lifecycle_rule_get_select (rule), ==, WHARF_LIFECYCLE_SELECT_TAG_PATTERNS);
  rule->count_number = 3;
  words = wharf_lifecycle_rule_describe (rule);
  g_assert_cmpstr (words, ==, "Tags matching v*: keep the newest 3");

  wharf_lifecycle_rule_set_select (rule, WHARF_LIFECYCLE_SELECT_ANY, tags);
  g_assert_cmpstr (rule->tag_status, ==, "any");
  g_assert_null (rule->tag_patterns);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lifecycle-policy/round-trip", test_round_trip);
  g_test_add_func ("/lifecycle-policy/syntax-error-position", test_syntax_error_position);
  g_test_add_func ("/lifecycle-policy/structure-errors", test_structure_errors);
  g_test_add_func ("/lifecycle-policy/validation-messages", test_validation_messages);
  g_test_add_func ("/lifecycle-policy/templates", test_templates);
  g_test_add_func ("/lifecycle-policy/select", test_select);

  return g_test_run ();
}
