/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-policy"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "wharf-policy.h"

#include "wharf-policy-private.h"

G_DEFINE_QUARK (wharf-policy-error-quark, wharf_policy_error)

/* ---- JSON ---- */

/* json-glib says "<data>:3:4: Parse error: unexpected character…"; a person reads
 * "Line 3, column 4: unexpected character…". */
static void
syntax_error (const GError  *parse_error,
              int           *line,
              int           *column,
              GError       **error)
{
  int l = 0, c = 0, consumed = 0;
  const char *detail = parse_error->message;
  const char *marker;

  if (sscanf (parse_error->message, "<data>:%d:%d: %n", &l, &c, &consumed) == 2 && consumed > 0)
    detail = parse_error->message + consumed;
  if ((marker = strstr (detail, "Parse error: ")) != NULL)
    detail = marker + strlen ("Parse error: ");
  if (line)
    *line = l;
  if (column)
    *column = c;
  if (l > 0)
    g_set_error (error, WHARF_POLICY_ERROR, WHARF_POLICY_ERROR_SYNTAX,
                 /* Translators: a JSON syntax error; the last %s is json-glib's message */
                 _("Line %d, column %d: %s"), l, c, detail);
  else
    g_set_error (error, WHARF_POLICY_ERROR, WHARF_POLICY_ERROR_SYNTAX, "%s", detail);
}

JsonNode *
wharf_policy_json_parse (const char  *text,
                         int         *line,
                         int         *column,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (line)
    *line = 0;
  if (column)
    *column = 0;

  if (!json_parser_load_from_data (parser, text, -1, &local_error))
    {
      syntax_error (local_error, line, column, error);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, WHARF_POLICY_ERROR, WHARF_POLICY_ERROR_STRUCTURE,
                           root == NULL ? _("The policy is empty.")
                                        : _("The policy must be a JSON object ({ … })."));
      return NULL;
    }
  return json_node_copy (root);
}

char *
wharf_policy_json_to_text (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

gboolean
wharf_policy_wrong_type (GError    **error,
                         const char *path)
{
  g_set_error (error, WHARF_POLICY_ERROR, WHARF_POLICY_ERROR_STRUCTURE,
               /* Translators: %s is a JSON path such as rules[0].rulePriority or
                * Statement[0].Principal */
               _("“%s” has the wrong type."), path);
  return FALSE;
}

gboolean
wharf_policy_strv_equal0 (char **a,
                          char **b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_strv_equal ((const char * const *) a, (const char * const *) b);
}

/* ---- Problems ---- */

G_DEFINE_BOXED_TYPE (WharfPolicyProblem, wharf_policy_problem,
                     wharf_policy_problem_copy, wharf_policy_problem_free)

WharfPolicyProblem *
wharf_policy_problem_copy (const WharfPolicyProblem *problem)
{
  WharfPolicyProblem *copy = g_memdup2 (problem, sizeof *problem);

  copy->message = g_strdup (problem->message);
  return copy;
}

void
wharf_policy_problem_free (WharfPolicyProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->message);
  g_free (problem);
}

GPtrArray *
wharf_policy_problems_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_policy_problem_free);
}

void
wharf_policy_problems_add (GPtrArray *problems,
                           int        index,
                           guint      field,
                           gboolean   is_warning,
                           char      *message)
{
  WharfPolicyProblem *p = g_new0 (WharfPolicyProblem, 1);

  p->index = index;
  p->field = field;
  p->is_warning = is_warning;
  p->message = message;
  g_ptr_array_add (problems, p);
}

gboolean
wharf_policy_problems_ok (GPtrArray *problems)
{
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    if (!((WharfPolicyProblem *) problems->pdata[i])->is_warning)
      return FALSE;
  return TRUE;
}
