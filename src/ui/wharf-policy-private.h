/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the lifecycle and repository policy models share: JSON text in and out, and their
 * lists of problems. GLib + json-glib only. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Parses @text into an object node (transfer full); WHARF_POLICY_ERROR_SYNTAX with the
 * line and column of the mistake, or _STRUCTURE when the root is not an object. */
JsonNode *wharf_policy_json_parse   (const char  *text,
                                     int         *line,
                                     int         *column,
                                     GError     **error);
/* Indented by two spaces. */
char     *wharf_policy_json_to_text (JsonNode    *root);
/* Sets WHARF_POLICY_ERROR_STRUCTURE “@path has the wrong type”; returns FALSE. */
gboolean  wharf_policy_wrong_type   (GError     **error,
                                     const char  *path);
/* Whether two NULL-terminated lists hold the same strings; NULL equals only NULL. */
gboolean  wharf_policy_strv_equal0  (char       **a,
                                     char       **b);

/* The layout of WharfLifecycleProblem and WharfPolicyProblem (each model checks it with
 * G_STATIC_ASSERT), so that one implementation makes and frees both. */
typedef struct
{
  int       index;        /* rule or statement; -1 for the document */
  int       field;        /* WharfLifecycleField or WharfPolicyField */
  gboolean  is_warning;
  char     *message;
} WharfPolicyProblemCommon;

#define WHARF_POLICY_PROBLEM_OFFSET_CHECK(Type, member, common_member) \
  G_STATIC_ASSERT (G_STRUCT_OFFSET (Type, member) == \
                   G_STRUCT_OFFSET (WharfPolicyProblemCommon, common_member))
#define WHARF_POLICY_PROBLEM_LAYOUT_CHECK(Type, index_member) \
  G_STATIC_ASSERT (sizeof (Type) == sizeof (WharfPolicyProblemCommon)); \
  G_STATIC_ASSERT (sizeof (((Type *) NULL)->field) == sizeof (int)); \
  WHARF_POLICY_PROBLEM_OFFSET_CHECK (Type, index_member, index); \
  WHARF_POLICY_PROBLEM_OFFSET_CHECK (Type, field, field); \
  WHARF_POLICY_PROBLEM_OFFSET_CHECK (Type, is_warning, is_warning); \
  WHARF_POLICY_PROBLEM_OFFSET_CHECK (Type, message, message)

void       wharf_policy_problem_common_free (gpointer   problem);
/* An empty list of problems that frees them. */
GPtrArray *wharf_policy_problems_new        (void);
/* Takes @message. */
void       wharf_policy_problems_add        (GPtrArray  *problems,
                                             int         index,
                                             int         field,
                                             gboolean    is_warning,
                                             char       *message);
/* TRUE when none of @problems (nullable) is an error: warnings do not stop a save. Either
 * kind of list (also declared in wharf-repository-policy.h). */
gboolean   wharf_policy_problems_ok         (GPtrArray  *problems);

G_END_DECLS
