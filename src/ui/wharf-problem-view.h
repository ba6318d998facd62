/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Shows a refusal from AWS as a WharfExplanation: what it means and what to do above, the
 * facts (who, which action, which resource, the quota), the policy an administrator can
 * grant, and AWS's own words one click away, copyable, with the request id.
 *
 * The view only renders: the one fix it offers is a "fix" signal that the window or page
 * hosting it turns into an action (sign in, enter a code, edit the account, …).
 */
#pragma once

#include <adwaita.h>

#include "wharf-ecr-explain.h"

G_BEGIN_DECLS

#define WHARF_TYPE_PROBLEM_VIEW (wharf_problem_view_get_type ())
G_DECLARE_FINAL_TYPE (WharfProblemView, wharf_problem_view, WHARF, PROBLEM_VIEW, GtkWidget)

GtkWidget              *wharf_problem_view_new             (void);
/* Takes @explanation; NULL clears the view. */
void                    wharf_problem_view_set_explanation (WharfProblemView *self,
                                                            WharfExplanation *explanation);
const WharfExplanation *wharf_problem_view_get_explanation (WharfProblemView *self);
/* Whether the headline is shown (a dialog shows it as its heading instead). */
void                    wharf_problem_view_set_show_title  (WharfProblemView *self,
                                                            gboolean          show_title);

/* The label of the button for @fix ("Sign In…"), or NULL when Wharf has no button for it. */
const char             *wharf_problem_view_fix_label       (WharfExplanationFix fix);

/* A dialog over @parent with the whole explanation; "fix" on the returned view's signal. */
WharfProblemView       *wharf_problem_dialog_present       (GtkWindow        *parent,
                                                            WharfExplanation *explanation);

G_END_DECLS
