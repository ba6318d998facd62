/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the lifecycle and repository policy models share in their implementation: JSON
 * text in and out, and making their lists of problems. GLib + json-glib only. */
#pragma once

#include <json-glib/json-glib.h>

#include "wharf-policy.h"

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

/* An empty list of WharfPolicyProblem that frees them. */
GPtrArray *wharf_policy_problems_new (void);
/* Takes @message. */
void       wharf_policy_problems_add (GPtrArray  *problems,
                                      int         index,
                                      guint       field,
                                      gboolean    is_warning,
                                      char       *message);

G_END_DECLS
