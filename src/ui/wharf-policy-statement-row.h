/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wharf-policy-row.h"
#include "wharf-repository-policy.h"

G_BEGIN_DECLS

#define WHARF_TYPE_POLICY_STATEMENT_ROW (wharf_policy_statement_row_get_type ())

G_DECLARE_FINAL_TYPE (WharfPolicyStatementRow, wharf_policy_statement_row, WHARF,
                      POLICY_STATEMENT_ROW, WharfPolicyRow)

/* The form of one repository policy statement (its problems: WharfPolicyField). */
GtkWidget                  *wharf_policy_statement_row_new            (void);
void                        wharf_policy_statement_row_set_statement  (WharfPolicyStatementRow    *self,
                                                                       const WharfPolicyStatement *statement,
                                                                       guint                       number);

G_END_DECLS
