/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wharf-lifecycle-policy.h"
#include "wharf-policy-row.h"

G_BEGIN_DECLS

#define WHARF_TYPE_LIFECYCLE_RULE_ROW (wharf_lifecycle_rule_row_get_type ())

G_DECLARE_FINAL_TYPE (WharfLifecycleRuleRow, wharf_lifecycle_rule_row, WHARF, LIFECYCLE_RULE_ROW,
                      WharfPolicyRow)

/* The form of one lifecycle rule (its problems: WharfLifecycleField). */
GtkWidget                *wharf_lifecycle_rule_row_new          (void);
/* Shows @rule as rule @number (1-based) of @n_rules, running in @run_position (1-based). */
void                      wharf_lifecycle_rule_row_set_rule     (WharfLifecycleRuleRow    *self,
                                                                 const WharfLifecycleRule *rule,
                                                                 guint                     number,
                                                                 guint                     run_position,
                                                                 guint                     n_rules);

G_END_DECLS
