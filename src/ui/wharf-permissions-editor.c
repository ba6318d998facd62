/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-permissions-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-permissions-editor.h"

#include "wharf-policy-statement-row.h"
#include "wharf-repository-policy.h"

struct _WharfPermissionsEditor
{
  AdwBin                 parent_instance;

  WharfEcrClient        *client;
  WharfRepository       *repository;
  GCancellable          *cancellable;

  WharfRepositoryPolicy *draft;
  char                  *saved_text;    /* on ECR; NULL when there is none */
  GPtrArray             *rows;          /* WharfPolicyStatementRow, in draft order */
  gboolean               json_invalid;
  gboolean               problems_ok;
  gboolean               busy;
  gboolean               syncing;

  AdwToastOverlay       *toast_overlay;
  GtkStack              *state_stack;
  GtkSpinner            *loading_spinner;
  AdwStatusPage         *load_error_page;
  GtkLabel              *status_label;
  GtkRevealer           *message_revealer;
  GtkWidget             *message_box;
  GtkImage              *message_icon;
  GtkLabel              *message_label;
  GtkStack              *mode_stack;
  GtkBox                *statements_box;
  GtkWidget             *empty_page;
  GtkWidget             *intro_group;
  GtkTextView           *json_view;
  GtkRevealer           *json_error_revealer;
  GtkLabel              *json_error_label;
};

G_DEFINE_FINAL_TYPE (WharfPermissionsEditor, wharf_permissions_editor, ADW_TYPE_BIN)

static void draft_changed (WharfPermissionsEditor *self,
                           gboolean                rebuild,
                           gboolean                rewrite_json);

GtkWidget *
wharf_permissions_editor_new (void)
{
  return g_object_new (WHARF_TYPE_PERMISSIONS_EDITOR, NULL);
}

/* ---- Messages ---- */

static void
show_message (WharfPermissionsEditor *self,
              const char             *style,
              const char             *text)
{
  gtk_widget_remove_css_class (self->message_box, "error");
  gtk_widget_remove_css_class (self->message_box, "warning");
  gtk_widget_remove_css_class (self->message_box, "info");
  gtk_widget_add_css_class (self->message_box, style);
  gtk_image_set_from_icon_name (self->message_icon,
                                g_str_equal (style, "error") ? "dialog-error-symbolic"
                                : g_str_equal (style, "warning") ? "dialog-warning-symbolic"
                                : "dialog-information-symbolic");
  gtk_label_set_text (self->message_label, text);
  gtk_revealer_set_reveal_child (self->message_revealer, TRUE);
}

static void
hide_message (WharfPermissionsEditor *self)
{
  gtk_revealer_set_reveal_child (self->message_revealer, FALSE);
}

static void
dismiss_message_cb (WharfPermissionsEditor *self)
{
  hide_message (self);
}

static void
toast (WharfPermissionsEditor *self,
       const char             *text)
{
  AdwToast *t = adw_toast_new (text);

  adw_toast_set_timeout (t, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

/* ---- State ---- */

static char *
draft_text (WharfPermissionsEditor *self)
{
  return wharf_repository_policy_to_json (self->draft);
}

static void
update_actions (WharfPermissionsEditor *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean have_repo = self->repository != NULL && self->client != NULL;
  g_autofree char *text = draft_text (self);
  gboolean dirty = self->json_invalid || g_strcmp0 (text, self->saved_text) != 0;
  gboolean empty = wharf_repository_policy_get_n_statements (self->draft) == 0;

  gtk_widget_action_set_enabled (widget, "permissions.save", have_repo && !self->busy && dirty && !empty);
  gtk_widget_action_set_enabled (widget, "permissions.delete",
                                 have_repo && !self->busy && self->saved_text != NULL);
  gtk_widget_action_set_enabled (widget, "permissions.add-template", have_repo);

  if (self->busy)
    gtk_label_set_text (self->status_label, _("Talking to ECR…"));
  else if (self->saved_text == NULL)
    gtk_label_set_text (self->status_label, empty ? _("No repository policy") : _("Draft, not saved yet"));
  else if (dirty)
    gtk_label_set_text (self->status_label, _("Unsaved changes"));
  else
    gtk_label_set_text (self->status_label, _("Saved in ECR"));
}

static void
validate (WharfPermissionsEditor *self)
{
  g_autoptr(GPtrArray) problems = wharf_repository_policy_validate (self->draft);
  guint n = wharf_repository_policy_get_n_statements (self->draft);

  for (guint i = 0; i < self->rows->len; i++)
    {
      WharfPolicyStatementRow *row = self->rows->pdata[i];

      wharf_policy_statement_row_set_statement (row, wharf_repository_policy_get_statement (self->draft, i),
                                                i + 1);
      wharf_policy_statement_row_clear_problems (row);
    }
  for (guint i = 0; i < problems->len; i++)
    {
      WharfPolicyProblem *p = problems->pdata[i];

      if (p->statement >= 0 && (guint) p->statement < self->rows->len)
        wharf_policy_statement_row_add_problem (self->rows->pdata[p->statement], p->field,
                                                p->message, p->is_warning);
    }
  self->problems_ok = wharf_policy_problems_ok (problems);
  gtk_widget_set_visible (self->empty_page, n == 0);
  gtk_widget_set_visible (self->intro_group, n > 0);
}

static void
row_changed_cb (WharfPermissionsEditor  *self,
                WharfPolicyStatementRow *row)
{
  guint index;

  if (!g_ptr_array_find (self->rows, row, &index))
    return;

  wharf_repository_policy_set_statement (self->draft, index,
                                         wharf_policy_statement_copy (wharf_policy_statement_row_get_statement (row)));
  draft_changed (self, FALSE, TRUE);
}

static void
row_remove_requested_cb (WharfPermissionsEditor  *self,
                         WharfPolicyStatementRow *row)
{
  guint index;

  if (!g_ptr_array_find (self->rows, row, &index))
    return;
  wharf_repository_policy_remove_statement (self->draft, index);
  draft_changed (self, TRUE, TRUE);
}

static void
rebuild_rows (WharfPermissionsEditor *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->statements_box))) != NULL)
    gtk_box_remove (self->statements_box, child);
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; i < wharf_repository_policy_get_n_statements (self->draft); i++)
    {
      GtkWidget *row = wharf_policy_statement_row_new ();

      g_signal_connect_object (row, "changed", G_CALLBACK (row_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (row, "remove-requested", G_CALLBACK (row_remove_requested_cb),
                               self, G_CONNECT_SWAPPED);
      gtk_box_append (self->statements_box, row);
      g_ptr_array_add (self->rows, row);
    }
}

static void
write_json (WharfPermissionsEditor *self)
{
  g_autofree char *text = draft_text (self);

  self->syncing = TRUE;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->json_view), text, -1);
  self->syncing = FALSE;
  self->json_invalid = FALSE;
  gtk_revealer_set_reveal_child (self->json_error_revealer, FALSE);
}

static void
draft_changed (WharfPermissionsEditor *self,
               gboolean                rebuild,
               gboolean                rewrite_json)
{
  if (rebuild)
    rebuild_rows (self);
  if (rewrite_json)
    write_json (self);
  validate (self);
  update_actions (self);
}

static void
set_draft (WharfPermissionsEditor *self,
           WharfRepositoryPolicy  *draft)
{
  g_clear_pointer (&self->draft, wharf_repository_policy_free);
  self->draft = draft;
  draft_changed (self, TRUE, TRUE);
}

static void
json_changed_cb (WharfPermissionsEditor *self,
                 GtkTextBuffer          *buffer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WharfRepositoryPolicy) policy = NULL;
  g_autofree char *text = NULL;
  GtkTextIter start, end;
  int line = 0, column = 0;

  if (self->syncing)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag_by_name (buffer, "error", &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  policy = wharf_repository_policy_parse (text, &line, &column, &error);
  if (policy == NULL)
    {
      self->json_invalid = TRUE;
      gtk_label_set_text (self->json_error_label, error->message);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->json_view),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, error->message, -1);
      gtk_revealer_set_reveal_child (self->json_error_revealer, TRUE);
      if (line > 0)
        {
          GtkTextIter line_start, line_end;

          gtk_text_buffer_get_iter_at_line (buffer, &line_start, line - 1);
          line_end = line_start;
          if (!gtk_text_iter_ends_line (&line_end))
            gtk_text_iter_forward_to_line_end (&line_end);
          gtk_text_buffer_apply_tag_by_name (buffer, "error", &line_start, &line_end);
        }
      update_actions (self);
      return;
    }

  self->json_invalid = FALSE;
  gtk_revealer_set_reveal_child (self->json_error_revealer, FALSE);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->json_view), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  if (wharf_repository_policy_equal (policy, self->draft))
    {
      update_actions (self);
      return;
    }
  g_clear_pointer (&self->draft, wharf_repository_policy_free);
  self->draft = g_steal_pointer (&policy);
  draft_changed (self, TRUE, FALSE);
}

static gboolean
check_before_sending (WharfPermissionsEditor *self)
{
  if (self->json_invalid)
    {
      g_autofree char *message =
        /* Translators: %s is a JSON syntax error with its line and column */
        g_strdup_printf (_("The JSON has a mistake, so nothing was sent: %s"),
                         gtk_label_get_text (self->json_error_label));

      gtk_stack_set_visible_child_name (self->mode_stack, "json");
      show_message (self, "error", message);
      return FALSE;
    }
  if (!self->problems_ok)
    {
      gtk_stack_set_visible_child_name (self->mode_stack, "form");
      show_message (self, "error",
                    _("ECR would refuse this policy: fix the problems marked in the statements, then try again."));
      return FALSE;
    }
  hide_message (self);
  return TRUE;
}

/* ---- Loading ---- */

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  WharfPermissionsEditor *self = user_data;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) parse_error = NULL;
  WharfRepositoryPolicy *policy;

  text = wharf_ecr_client_get_repository_policy_finish (WHARF_ECR_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_stop (self->loading_spinner);
  if (error != NULL && !g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_NOT_FOUND))
    {
      adw_status_page_set_description (self->load_error_page, error->message);
      gtk_stack_set_visible_child_name (self->state_stack, "error");
      return;
    }

  g_clear_pointer (&self->saved_text, g_free);
  hide_message (self);
  gtk_stack_set_visible_child_name (self->state_stack, "editor");

  if (text == NULL)
    {
      set_draft (self, wharf_repository_policy_new ());
      return;
    }

  policy = wharf_repository_policy_parse (text, NULL, NULL, &parse_error);
  if (policy != NULL)
    {
      set_draft (self, policy);
      self->saved_text = draft_text (self);
      update_actions (self);
      return;
    }

  /* A policy the form cannot show (NotPrincipal, Federated, …): its text, as ECR has it. */
  self->saved_text = g_strdup (text);
  set_draft (self, wharf_repository_policy_new ());
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->json_view), text, -1);
  gtk_stack_set_visible_child_name (self->mode_stack, "json");
  show_message (self, "info", parse_error->message);
}

static void
load (WharfPermissionsEditor *self)
{
  if (self->repository == NULL || self->client == NULL)
    return;
  gtk_stack_set_visible_child_name (self->state_stack, "loading");
  gtk_spinner_start (self->loading_spinner);
  wharf_ecr_client_get_repository_policy_async (self->client,
                                                wharf_repository_get_name (self->repository),
                                                self->cancellable, load_cb, self);
}

void
wharf_permissions_editor_set_repository (WharfPermissionsEditor *self,
                                         WharfEcrClient         *client,
                                         WharfRepository        *repository)
{
  g_return_if_fail (WHARF_IS_PERMISSIONS_EDITOR (self));
  g_return_if_fail (!client || WHARF_IS_ECR_CLIENT (client));
  g_return_if_fail (!repository || WHARF_IS_REPOSITORY (repository));

  if (repository != NULL && self->repository != NULL && client == self->client &&
      g_strcmp0 (wharf_repository_get_name (repository), wharf_repository_get_name (self->repository)) == 0)
    {
      g_set_object (&self->repository, repository);
      return;
    }

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_set_object (&self->client, client);
  g_set_object (&self->repository, repository);
  g_clear_pointer (&self->saved_text, g_free);
  self->busy = FALSE;
  hide_message (self);
  gtk_stack_set_visible_child_name (self->mode_stack, "form");
  set_draft (self, wharf_repository_policy_new ());
  load (self);
}

/* ---- Actions ---- */

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  load (WHARF_PERMISSIONS_EDITOR (widget));
}

static void
add_statement_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  WharfPermissionsEditor *self = WHARF_PERMISSIONS_EDITOR (widget);

  wharf_repository_policy_add_statement (self->draft, wharf_policy_statement_new ());
  gtk_stack_set_visible_child_name (self->mode_stack, "form");
  draft_changed (self, TRUE, TRUE);
  if (self->rows->len > 0)
    gtk_widget_grab_focus (g_ptr_array_index (self->rows, self->rows->len - 1));
}

/* Templates: a dialog asks for the account, role or function. */

typedef struct
{
  WharfPermissionsEditor *self;
  WharfPolicyTemplate     template_id;
  GtkEditable            *entry;
  GtkLabel               *hint;
} TemplateData;

static void
template_data_free (gpointer  data,
                    GClosure *closure)
{
  TemplateData *td = data;

  g_clear_object (&td->self);
  g_free (td);
}

static void
template_entry_changed_cb (GtkEditable      *entry,
                           AdwMessageDialog *dialog)
{
  TemplateData *td = g_object_get_data (G_OBJECT (dialog), "template-data");
  g_autofree char *reason = NULL;
  g_autofree char *subject = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  gboolean ok = wharf_policy_template_check_subject (td->template_id, subject, &reason);

  adw_message_dialog_set_response_enabled (dialog, "add", ok);
  gtk_label_set_text (td->hint, ok || subject[0] == '\0' ? "" : reason);
}

static void
template_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      TemplateData     *td)
{
  WharfPermissionsEditor *self = td->self;
  g_autofree char *subject = NULL;

  if (g_strcmp0 (response, "add") != 0)
    return;
  subject = g_strstrip (g_strdup (gtk_editable_get_text (td->entry)));
  if (!wharf_policy_template_check_subject (td->template_id, subject, NULL))
    return;

  wharf_repository_policy_add_statement (self->draft,
                                         wharf_policy_statement_new_from_template (td->template_id,
                                                                                   subject,
                                                                                   self->draft));
  gtk_stack_set_visible_child_name (self->mode_stack, "form");
  draft_changed (self, TRUE, TRUE);
  toast (self, _("Statement added: save to apply it"));
}

static void
template_entry_activate_cb (GtkEntry         *entry,
                            AdwMessageDialog *dialog)
{
  if (adw_message_dialog_get_response_enabled (dialog, "add"))
    {
      adw_message_dialog_response (dialog, "add");
      gtk_window_close (GTK_WINDOW (dialog));
    }
}

static void
add_template_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  WharfPermissionsEditor *self = WHARF_PERMISSIONS_EDITOR (widget);
  int template_id = g_variant_get_int32 (parameter);
  const char *heading, *body, *label, *placeholder;
  GtkWidget *dialog, *box, *entry, *hint;
  TemplateData *td;

  switch (template_id)
    {
    case WHARF_POLICY_TEMPLATE_PULL_FOR_ACCOUNT:
      heading = _("Pull Access for Another Account");
      body = _("Identities in that account can pull this repository’s images, when their own IAM policies allow it too.");
      label = _("Account ID");
      placeholder = "123456789012";
      break;
    case WHARF_POLICY_TEMPLATE_PUSH_FOR_ROLE:
      heading = _("Push Access for a CI Role");
      body = _("The role can push and pull images, for example from a build pipeline in another account.");
      label = _("Role ARN");
      placeholder = "arn:aws:iam::123456789012:role/ci";
      break;
    case WHARF_POLICY_TEMPLATE_LAMBDA_READ:
      heading = _("Image Access for Lambda");
      body = _("Lambda can pull images for functions whose ARN matches; “*” matches any text.");
      label = _("Function ARN");
      placeholder = "arn:aws:lambda:us-east-1:123456789012:function:*";
      break;
    default:
      return;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "add", _("_Add Statement"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "add", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "add");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "add", FALSE);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  hint = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_widget_add_css_class (hint, "caption");
  gtk_widget_add_css_class (hint, "error");
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), hint);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);

  td = g_new0 (TemplateData, 1);
  td->self = g_object_ref (self);
  td->template_id = template_id;
  td->entry = GTK_EDITABLE (entry);
  td->hint = GTK_LABEL (hint);
  g_object_set_data (G_OBJECT (dialog), "template-data", td);
  g_signal_connect (entry, "changed", G_CALLBACK (template_entry_changed_cb), dialog);
  g_signal_connect (entry, "activate", G_CALLBACK (template_entry_activate_cb), dialog);
  g_signal_connect_data (dialog, "response", G_CALLBACK (template_response_cb), td,
                         template_data_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* Save */

static void
save_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  WharfPermissionsEditor *self = user_data;
  g_autoptr(GError) error = NULL;

  wharf_ecr_client_set_repository_policy_finish (WHARF_ECR_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->busy = FALSE;
  if (error != NULL)
    {
      /* Translators: %s is the AWS error message; the draft stays in the editor */
      g_autofree char *message = g_strdup_printf (_("ECR refused the policy; your draft is kept. %s"),
                                                  error->message);

      show_message (self, "error", message);
      update_actions (self);
      return;
    }

  g_free (self->saved_text);
  self->saved_text = draft_text (self);
  hide_message (self);
  update_actions (self);
  toast (self, _("Repository policy saved"));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WharfPermissionsEditor *self = WHARF_PERMISSIONS_EDITOR (widget);
  g_autofree char *text = NULL;

  if (self->repository == NULL || !check_before_sending (self))
    return;

  text = draft_text (self);
  self->busy = TRUE;
  update_actions (self);
  wharf_ecr_client_set_repository_policy_async (self->client,
                                                wharf_repository_get_name (self->repository),
                                                text, FALSE, self->cancellable, save_done_cb, self);
}

/* Delete */

static void
delete_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  WharfPermissionsEditor *self = user_data;
  g_autoptr(GError) error = NULL;

  wharf_ecr_client_delete_repository_policy_finish (WHARF_ECR_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->busy = FALSE;
  if (error != NULL && !g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_NOT_FOUND))
    {
      /* Translators: %s is the AWS error message */
      g_autofree char *message = g_strdup_printf (_("Could not delete the repository policy: %s"),
                                                  error->message);

      show_message (self, "error", message);
      update_actions (self);
      return;
    }

  g_clear_pointer (&self->saved_text, g_free);
  update_actions (self);
  toast (self, _("Repository policy deleted; the draft stays here"));
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  WharfPermissionsEditor *self = user_data;

  if (g_strcmp0 (response, "delete") != 0 || self->repository == NULL || self->busy)
    return;

  self->busy = TRUE;
  update_actions (self);
  wharf_ecr_client_delete_repository_policy_async (self->client,
                                                   wharf_repository_get_name (self->repository),
                                                   self->cancellable, delete_done_cb, self);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WharfPermissionsEditor *self = WHARF_PERMISSIONS_EDITOR (widget);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (self->repository == NULL || self->saved_text == NULL)
    return;

  body = g_strdup_printf (/* Translators: %s is a repository name */
                          _("Everyone the policy lets in loses access to “%s”; identities of this account keep what IAM allows them."),
                          wharf_repository_get_name (self->repository));
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("Delete the Repository Policy?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- GObject ---- */

static void
wharf_permissions_editor_dispose (GObject *object)
{
  WharfPermissionsEditor *self = WHARF_PERMISSIONS_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  /* AdwBin would unparent its child again after the template did. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), WHARF_TYPE_PERMISSIONS_EDITOR);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->repository);

  G_OBJECT_CLASS (wharf_permissions_editor_parent_class)->dispose (object);
}

static void
wharf_permissions_editor_finalize (GObject *object)
{
  WharfPermissionsEditor *self = WHARF_PERMISSIONS_EDITOR (object);

  g_clear_pointer (&self->draft, wharf_repository_policy_free);
  g_clear_pointer (&self->saved_text, g_free);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (wharf_permissions_editor_parent_class)->finalize (object);
}

static void
wharf_permissions_editor_class_init (WharfPermissionsEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wharf_permissions_editor_dispose;
  object_class->finalize = wharf_permissions_editor_finalize;

  g_type_ensure (WHARF_TYPE_POLICY_STATEMENT_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/wharf-permissions-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, WharfPermissionsEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, WharfPermissionsEditor, state_stack);
  gtk_widget_class_bind_template_child (widget_class, WharfPermissionsEditor, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, WharfPermissionsEditor, load_error_page);
  gtk_widget_class_bind_template_child (widget_class, WharfPermissionsEditor, status_label);
  gtk_widget_class_bind_template_child (widget_class, WharfPermissionsEditor, message_revealer);
  gtk_widget_class_bind_template_child (widget_class, WharfPermissionsEditor, message_box);
  gtk_widget_class_bind_template_child (widget_class, WharfPermissionsEditor, message_icon);
  gtk_widget_class_bind_template_child (widget_class, WharfPermissionsEditor, message_label);
  gtk_widget_class_bind_template_child (widget_class, WharfPermissionsEditor, mode_stack);
  gtk_widget_class_bind_template_child (widget_class, WharfPermissionsEditor, statements_box);
  gtk_widget_class_bind_template_child (widget_class, WharfPermissionsEditor, empty_page);
  gtk_widget_class_bind_template_child (widget_class, WharfPermissionsEditor, intro_group);
  gtk_widget_class_bind_template_child (widget_class, WharfPermissionsEditor, json_view);
  gtk_widget_class_bind_template_child (widget_class, WharfPermissionsEditor, json_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, WharfPermissionsEditor, json_error_label);
  gtk_widget_class_bind_template_callback (widget_class, dismiss_message_cb);

  gtk_widget_class_install_action (widget_class, "permissions.add-statement", NULL, add_statement_action);
  gtk_widget_class_install_action (widget_class, "permissions.add-template", "i", add_template_action);
  gtk_widget_class_install_action (widget_class, "permissions.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "permissions.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "permissions.reload", NULL, reload_action);
}

static void
load_css (void)
{
  static gsize loaded;

  if (g_once_init_enter (&loaded))
    {
      GtkCssProvider *provider = gtk_css_provider_new ();
      GdkDisplay *display = gdk_display_get_default ();

      gtk_css_provider_load_from_resource (provider, RESOURCE_BASE "/wharf-policies.css");
      if (display != NULL)
        gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                                    GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_once_init_leave (&loaded, 1);
    }
}

static void
wharf_permissions_editor_init (WharfPermissionsEditor *self)
{
  GtkTextBuffer *buffer;

  load_css ();
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();
  self->draft = wharf_repository_policy_new ();

  buffer = gtk_text_view_get_buffer (self->json_view);
  gtk_text_buffer_create_tag (buffer, "error", "underline", PANGO_UNDERLINE_ERROR, NULL);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (json_changed_cb), self, G_CONNECT_SWAPPED);

  gtk_stack_set_visible_child_name (self->state_stack, "loading");
  draft_changed (self, TRUE, TRUE);
}
