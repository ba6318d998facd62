/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-permissions-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-permissions-editor.h"

#include "wharf-policy-editor-private.h"
#include "wharf-policy-statement-row.h"
#include "wharf-repository-policy.h"

struct _WharfPermissionsEditor
{
  AdwBin            parent_instance;

  WharfPolicyEditor editor;   /* the draft is a WharfRepositoryPolicy */
};

G_DEFINE_FINAL_TYPE (WharfPermissionsEditor, wharf_permissions_editor, ADW_TYPE_BIN)

GtkWidget *
wharf_permissions_editor_new (void)
{
  return g_object_new (WHARF_TYPE_PERMISSIONS_EDITOR, NULL);
}

static void
dismiss_message_cb (WharfPermissionsEditor *self)
{
  wharf_policy_editor_hide_message (&self->editor);
}

/* ---- The model and rows, for the shared editor ---- */

static void
update_actions_cb (GtkWidget  *widget,
                   const char *text,
                   gboolean    empty)
{
  WharfPolicyEditor *editor = &WHARF_PERMISSIONS_EDITOR (widget)->editor;

  gtk_widget_action_set_enabled (widget, "permissions.add-template",
                                 editor->repository != NULL && editor->client != NULL);
}

static void
row_show (gconstpointer  draft,
          GtkWidget     *row,
          guint          index)
{
  wharf_policy_statement_row_set_statement (WHARF_POLICY_STATEMENT_ROW (row),
                                            wharf_repository_policy_get_statement (draft, index),
                                            index + 1);
}

static void
row_store (gpointer   draft,
           GtkWidget *row,
           guint      index)
{
  const WharfPolicyStatement *statement =
    wharf_policy_statement_row_get_statement (WHARF_POLICY_STATEMENT_ROW (row));

  wharf_repository_policy_set_statement (draft, index, wharf_policy_statement_copy (statement));
}

static const WharfPolicyEditorOps editor_ops = {
  .draft_new = (gpointer (*) (void)) wharf_repository_policy_new,
  .draft_parse = (gpointer (*) (const char *, int *, int *, GError **)) wharf_repository_policy_parse,
  .draft_free = (void (*) (gpointer)) wharf_repository_policy_free,
  .draft_equal = (gboolean (*) (gconstpointer, gconstpointer)) wharf_repository_policy_equal,
  .draft_to_json = (char *(*) (gconstpointer)) wharf_repository_policy_to_json,
  .draft_n_items = (guint (*) (gconstpointer)) wharf_repository_policy_get_n_statements,
  .draft_remove_item = (void (*) (gpointer, guint)) wharf_repository_policy_remove_statement,
  .draft_validate = (GPtrArray *(*) (gconstpointer)) wharf_repository_policy_validate,
  .row_new = wharf_policy_statement_row_new,
  .row_show = row_show,
  .row_store = row_store,
  .row_clear_problems = (void (*) (GtkWidget *)) wharf_policy_statement_row_clear_problems,
  .row_add_problem = (void (*) (GtkWidget *, int, const char *, gboolean)) wharf_policy_statement_row_add_problem,
  .update_actions = update_actions_cb,
  .action_prefix = "permissions",
  .no_policy = N_("No repository policy"),
  .fix_problems = N_("ECR would refuse this policy: fix the problems marked in the statements, then try again."),
};

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

  text = wharf_ecr_client_get_repository_policy_finish (WHARF_ECR_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* A policy the form cannot show (NotPrincipal, Federated, …) says why. */
  if (!wharf_policy_editor_finish_load (&self->editor, text, error, &parse_error))
    wharf_policy_editor_show_message (&self->editor, "info", parse_error->message);
}

static void
load (WharfPermissionsEditor *self)
{
  if (!wharf_policy_editor_begin_load (&self->editor))
    return;
  wharf_ecr_client_get_repository_policy_async (self->editor.client,
                                                wharf_repository_get_name (self->editor.repository),
                                                self->editor.cancellable, load_cb, self);
}

void
wharf_permissions_editor_set_repository (WharfPermissionsEditor *self,
                                         WharfEcrClient         *client,
                                         WharfRepository        *repository)
{
  g_return_if_fail (WHARF_IS_PERMISSIONS_EDITOR (self));
  g_return_if_fail (!client || WHARF_IS_ECR_CLIENT (client));
  g_return_if_fail (!repository || WHARF_IS_REPOSITORY (repository));

  if (!wharf_policy_editor_switch_repository (&self->editor, client, repository))
    return;
  wharf_policy_editor_set_draft (&self->editor, wharf_repository_policy_new ());
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
  WharfPolicyEditor *editor = &WHARF_PERMISSIONS_EDITOR (widget)->editor;

  wharf_repository_policy_add_statement (editor->draft, wharf_policy_statement_new ());
  gtk_stack_set_visible_child_name (editor->mode_stack, "form");
  wharf_policy_editor_draft_changed (editor, TRUE, TRUE);
  if (editor->rows->len > 0)
    gtk_widget_grab_focus (g_ptr_array_index (editor->rows, editor->rows->len - 1));
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

  wharf_repository_policy_add_statement (self->editor.draft,
                                         wharf_policy_statement_new_from_template (td->template_id,
                                                                                   subject,
                                                                                   self->editor.draft));
  gtk_stack_set_visible_child_name (self->editor.mode_stack, "form");
  wharf_policy_editor_draft_changed (&self->editor, TRUE, TRUE);
  wharf_policy_editor_toast (&self->editor, _("Statement added: save to apply it"));
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

  if (wharf_policy_editor_finish_save (&self->editor, error))
    wharf_policy_editor_toast (&self->editor, _("Repository policy saved"));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WharfPermissionsEditor *self = WHARF_PERMISSIONS_EDITOR (widget);
  g_autofree char *text = wharf_policy_editor_begin_save (&self->editor);

  if (text == NULL)
    return;
  wharf_ecr_client_set_repository_policy_async (self->editor.client,
                                                wharf_repository_get_name (self->editor.repository),
                                                text, FALSE, self->editor.cancellable, save_done_cb, self);
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
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      wharf_policy_editor_repository_gone (&self->editor, error))
    return;

  if (wharf_policy_editor_finish_delete (&self->editor, error))
    wharf_policy_editor_toast (&self->editor, _("Repository policy deleted; the draft stays here"));
  else
    /* Translators: %s is the AWS error message */
    wharf_policy_editor_show_error (&self->editor, _("Could not delete the repository policy: %s"),
                                    error->message);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  WharfPermissionsEditor *self = user_data;

  if (!wharf_policy_editor_begin_delete (&self->editor, response))
    return;
  wharf_ecr_client_delete_repository_policy_async (self->editor.client,
                                                   wharf_repository_get_name (self->editor.repository),
                                                   self->editor.cancellable, delete_done_cb, self);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WharfPermissionsEditor *self = WHARF_PERMISSIONS_EDITOR (widget);
  g_autofree char *body = NULL;

  if (self->editor.repository == NULL || self->editor.saved_text == NULL)
    return;

  body = g_strdup_printf (/* Translators: %s is a repository name */
                          _("Everyone the policy lets in loses access to “%s”; identities of this account keep what IAM allows them."),
                          wharf_repository_get_name (self->editor.repository));
  wharf_policy_editor_confirm_delete (&self->editor, _("Delete the Repository Policy?"), body,
                                      G_CALLBACK (delete_response_cb));
}

/* ---- GObject ---- */

static void
wharf_permissions_editor_dispose (GObject *object)
{
  WharfPermissionsEditor *self = WHARF_PERMISSIONS_EDITOR (object);

  if (self->editor.cancellable != NULL)
    g_cancellable_cancel (self->editor.cancellable);
  /* AdwBin would unparent its child again after the template did. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), WHARF_TYPE_PERMISSIONS_EDITOR);
  wharf_policy_editor_dispose (&self->editor);

  G_OBJECT_CLASS (wharf_permissions_editor_parent_class)->dispose (object);
}

static void
wharf_permissions_editor_finalize (GObject *object)
{
  WharfPermissionsEditor *self = WHARF_PERMISSIONS_EDITOR (object);

  wharf_policy_editor_finalize (&self->editor);

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
  wharf_policy_editor_class_bind_template (widget_class, G_STRUCT_OFFSET (WharfPermissionsEditor, editor),
                                           "statements_box");
  wharf_policy_editor_class_add_signals (widget_class);
  gtk_widget_class_bind_template_callback (widget_class, dismiss_message_cb);

  gtk_widget_class_install_action (widget_class, "permissions.add-statement", NULL, add_statement_action);
  gtk_widget_class_install_action (widget_class, "permissions.add-template", "i", add_template_action);
  gtk_widget_class_install_action (widget_class, "permissions.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "permissions.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "permissions.reload", NULL, reload_action);
}

static void
wharf_permissions_editor_init (WharfPermissionsEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  wharf_policy_editor_init (&self->editor, GTK_WIDGET (self), &editor_ops);
}
