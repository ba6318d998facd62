/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wharf-policy-editor.h"

G_BEGIN_DECLS

#define WHARF_TYPE_LIFECYCLE_EDITOR (wharf_lifecycle_editor_get_type ())

G_DECLARE_FINAL_TYPE (WharfLifecycleEditor, wharf_lifecycle_editor, WHARF, LIFECYCLE_EDITOR,
                      WharfPolicyEditor)

/* A repository's lifecycle policy: a form of rules and its JSON text, kept in sync, checked
 * as ECR checks it, previewed by ECR against the repository's images before it is saved.
 * Actions: lifecycle.add-rule, .save, .delete, .preview, .cancel-preview, .reload,
 * .apply-template (int32), .undo-template, .show-json. */
GtkWidget *wharf_lifecycle_editor_new            (void);
/* @client, @repository nullable (nothing to edit); see wharf_policy_editor_set_repository(). */
void       wharf_lifecycle_editor_set_repository (WharfLifecycleEditor *self,
                                                  WharfEcrClient       *client,
                                                  WharfRepository      *repository);

G_END_DECLS
