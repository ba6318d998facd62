/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What a subclass of WharfPolicyEditor uses: its template, the draft, the repository
 * shown, messages and toasts.
 */
#pragma once

#include "wharf-policy-editor.h"

G_BEGIN_DECLS

/* From the subclass's class_init, after its template and class->action_prefix are set:
 * binds the shared template children (ids toast_overlay, state_stack, loading_spinner,
 * load_error_page, status_label, message_revealer, message_box, message_icon,
 * message_label, mode_stack, empty_page, intro_group, json_view, json_error_revealer,
 * json_error_label, and @rows_box_id: the box of the rows), the callback
 * dismiss_message_cb, and installs the shared actions. */
void             wharf_policy_editor_class_bind_template (WharfPolicyEditorClass *klass,
                                                          const char             *rows_box_id);

WharfEcrClient  *wharf_policy_editor_get_client          (WharfPolicyEditor      *self);
WharfRepository *wharf_policy_editor_get_repository      (WharfPolicyEditor      *self);
/* The name of the repository shown (NULL without one). */
const char      *wharf_policy_editor_get_repository_name (WharfPolicyEditor      *self);
/* Whether a save or delete is on its way. */
gboolean         wharf_policy_editor_is_busy             (WharfPolicyEditor      *self);

/* The draft (of class->draft_type), owned by the editor. */
gpointer         wharf_policy_editor_get_draft           (WharfPolicyEditor      *self);
/* Takes @draft, shows it. */
void             wharf_policy_editor_set_draft           (WharfPolicyEditor      *self,
                                                          gpointer                draft);
/* After a change to the draft: validates and updates; @rebuild the rows, @rewrite_json
 * the JSON view. */
void             wharf_policy_editor_draft_changed       (WharfPolicyEditor      *self,
                                                          gboolean                rebuild,
                                                          gboolean                rewrite_json);
/* After an item was added to the end of the draft: shows it in the form, focused. */
void             wharf_policy_editor_item_added          (WharfPolicyEditor      *self);
/* The draft as JSON text (new string). */
char            *wharf_policy_editor_draft_text          (WharfPolicyEditor      *self);
void             wharf_policy_editor_update_actions      (WharfPolicyEditor      *self);
/* Whether the draft may be sent; otherwise says why and shows where. */
gboolean         wharf_policy_editor_check_before_sending (WharfPolicyEditor     *self);
/* @mode: "form" or "json". */
void             wharf_policy_editor_show_mode           (WharfPolicyEditor      *self,
                                                          const char             *mode);

/* For a subclass's save_async and delete_async: the GTask to give, with
 * wharf_policy_editor_client_done_cb, to the ECR client's call; @finish (also its source
 * tag) is the call's _finish, whose answer completes the task. */
typedef gboolean (*WharfPolicyEditorClientFinish) (WharfEcrClient  *client,
                                                   GAsyncResult    *result,
                                                   GError         **error);
GTask           *wharf_policy_editor_client_task_new     (WharfPolicyEditor      *self,
                                                          GCancellable           *cancellable,
                                                          GAsyncReadyCallback     callback,
                                                          gpointer                user_data,
                                                          WharfPolicyEditorClientFinish finish);
void             wharf_policy_editor_client_done_cb      (GObject                *object,
                                                          GAsyncResult           *result,
                                                          gpointer                task);

void             wharf_policy_editor_toast               (WharfPolicyEditor      *self,
                                                          const char             *text);
void             wharf_policy_editor_add_toast           (WharfPolicyEditor      *self,
                                                          AdwToast               *toast);

G_END_DECLS
