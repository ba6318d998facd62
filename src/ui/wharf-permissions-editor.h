/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wharf-policy-editor.h"

G_BEGIN_DECLS

#define WHARF_TYPE_PERMISSIONS_EDITOR (wharf_permissions_editor_get_type ())

G_DECLARE_FINAL_TYPE (WharfPermissionsEditor, wharf_permissions_editor, WHARF, PERMISSIONS_EDITOR,
                      WharfPolicyEditor)

/* A repository's policy (who may pull, push, manage): statements in a form and the JSON
 * text, kept in sync, checked before sending. Actions: permissions.add-statement, .save,
 * .delete, .reload, .add-template (int32: WharfPolicyTemplate). */
GtkWidget *wharf_permissions_editor_new            (void);
/* @client, @repository nullable; see wharf_policy_editor_set_repository(). */
void       wharf_permissions_editor_set_repository (WharfPermissionsEditor *self,
                                                    WharfEcrClient         *client,
                                                    WharfRepository        *repository);

G_END_DECLS
