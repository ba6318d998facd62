/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the lifecycle and repository policy models share: their error domain and their
 * problems. GLib only, no GTK.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define WHARF_POLICY_ERROR (wharf_policy_error_quark ())

/**
 * WharfPolicyError:
 * @WHARF_POLICY_ERROR_SYNTAX: the text is not JSON; the message names the line and column.
 * @WHARF_POLICY_ERROR_STRUCTURE: JSON, but not the shape of a policy (a member of the
 *   wrong type, a missing list); the message names the member.
 */
typedef enum
{
  WHARF_POLICY_ERROR_SYNTAX,
  WHARF_POLICY_ERROR_STRUCTURE,
} WharfPolicyError;

GQuark wharf_policy_error_quark (void);

/* A problem the service would refuse (or a warning: is_warning), on one field of one rule
 * or statement. */
typedef struct
{
  /* The rule or statement: its index in the document; -1 for the document as a whole. */
  union
  {
    int index;
    int rule;        /* in a lifecycle policy */
    int statement;   /* in a repository policy */
  };
  guint     field;        /* WharfLifecycleField or WharfPolicyField (0: the document) */
  gboolean  is_warning;
  char     *message;
} WharfPolicyProblem;

#define WHARF_TYPE_POLICY_PROBLEM (wharf_policy_problem_get_type ())
GType               wharf_policy_problem_get_type (void) G_GNUC_CONST;
WharfPolicyProblem *wharf_policy_problem_copy     (const WharfPolicyProblem *problem);
void                wharf_policy_problem_free     (WharfPolicyProblem       *problem);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WharfPolicyProblem, wharf_policy_problem_free)

/* TRUE when none of @problems (nullable, WharfPolicyProblem) is an error: warnings do not
 * stop a save. */
gboolean wharf_policy_problems_ok (GPtrArray *problems);

G_END_DECLS
