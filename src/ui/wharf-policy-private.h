/* SPDX-License-Identifier: GPL-3.0-or-later */
/* JSON helpers shared by the lifecycle and repository policy models. */
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

G_END_DECLS
