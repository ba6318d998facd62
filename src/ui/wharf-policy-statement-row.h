/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wharf-repository-policy.h"

G_BEGIN_DECLS

#define WHARF_TYPE_POLICY_STATEMENT_ROW (wharf_policy_statement_row_get_type ())

G_DECLARE_FINAL_TYPE (WharfPolicyStatementRow, wharf_policy_statement_row, WHARF, POLICY_STATEMENT_ROW, AdwBin)

/* The form of one repository policy statement. Signals: "changed", "remove-requested". */
GtkWidget                  *wharf_policy_statement_row_new            (void);
void                        wharf_policy_statement_row_set_statement  (WharfPolicyStatementRow    *self,
                                                                       const WharfPolicyStatement *statement,
                                                                       guint                       number);
const WharfPolicyStatement *wharf_policy_statement_row_get_statement  (WharfPolicyStatementRow    *self);
void                        wharf_policy_statement_row_clear_problems (WharfPolicyStatementRow    *self);
void                        wharf_policy_statement_row_add_problem    (WharfPolicyStatementRow    *self,
                                                                       WharfPolicyField            field,
                                                                       const char                 *message,
                                                                       gboolean                    is_warning);

G_END_DECLS
