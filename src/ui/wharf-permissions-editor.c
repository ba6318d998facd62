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
  WharfPolicyEditor parent_instance;   /* the draft is a WharfRepositoryPolicy */
};

G_DEFINE_FINAL_TYPE (WharfPermissionsEditor, wharf_permissions_editor, WHARF_TYPE_POLICY_EDITOR)

GtkWidget *
wharf_permissions_editor_new (void)
{
  return g_object_new (WHARF_TYPE_PERMISSIONS_EDITOR, NULL);
}

/* ---- The model and rows, for the shared editor ---- */

static void
update_actions (WharfPolicyEditor *editor,
                const char        *text,
                gboolean           empty)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (editor), "permissions.add-template",
                                 wharf_policy_editor_get_repository (editor) != NULL &&
                                 wharf_policy_editor_get_client (editor) != NULL);
}

static void
show_row (WharfPolicyEditor *editor,
          WharfPolicyRow    *row,
          guint              index)
{
  WharfRepositoryPolicy *draft = wharf_policy_editor_get_draft (editor);

  wharf_policy_statement_row_set_statement (WHARF_POLICY_STATEMENT_ROW (row),
                                            wharf_repository_policy_get_statement (draft, index),
                                            index + 1);
}

static GPtrArray *
validate (WharfPolicyEditor *editor)
{
  return wharf_repository_policy_validate (wharf_policy_editor_get_draft (editor));
}

/* ---- Loading, saving, deleting ---- */

static void
get_policy_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *text;

  text = wharf_ecr_client_get_repository_policy_finish (WHARF_ECR_CLIENT (object), result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, text, g_free);
}

static void
load_async (WharfPolicyEditor   *editor,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = g_task_new (editor, cancellable, callback, user_data);

  g_task_set_source_tag (task, load_async);
  wharf_ecr_client_get_repository_policy_async (wharf_policy_editor_get_client (editor),
                                                wharf_policy_editor_get_repository_name (editor),
                                                cancellable, get_policy_cb, task);
}

static void
save_async (WharfPolicyEditor   *editor,
            const char          *text,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = wharf_policy_editor_client_task_new (editor, cancellable, callback, user_data,
                                                     wharf_ecr_client_set_repository_policy_finish);

  wharf_ecr_client_set_repository_policy_async (wharf_policy_editor_get_client (editor),
                                                wharf_policy_editor_get_repository_name (editor),
                                                text, FALSE, cancellable,
                                                wharf_policy_editor_client_done_cb, task);
}

static void
delete_async (WharfPolicyEditor   *editor,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  GTask *task;

  task = wharf_policy_editor_client_task_new (editor, cancellable, callback, user_data,
                                              wharf_ecr_client_delete_repository_policy_finish);

  wharf_ecr_client_delete_repository_policy_async (wharf_policy_editor_get_client (editor),
                                                   wharf_policy_editor_get_repository_name (editor),
                                                   cancellable,
                                                   wharf_policy_editor_client_done_cb, task);
}

static char *
describe_delete (WharfPolicyEditor *editor,
                 const char        *name)
{
  return g_strdup_printf (/* Translators: %s is a repository name */
                          _("Everyone the policy lets in loses access to “%s”; identities of this account keep what IAM allows them."),
                          name);
}

static char *
describe_delete_failure (WharfPolicyEditor *editor,
                         const GError      *error)
{
  /* Translators: %s is the AWS error message */
  return g_strdup_printf (_("Could not delete the repository policy: %s"), error->message);
}

void
wharf_permissions_editor_set_repository (WharfPermissionsEditor *self,
                                         WharfEcrClient         *client,
                                         WharfRepository        *repository)
{
  g_return_if_fail (WHARF_IS_PERMISSIONS_EDITOR (self));

  wharf_policy_editor_set_repository (WHARF_POLICY_EDITOR (self), client, repository);
}

/* ---- Actions ---- */

static void
add_statement_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  WharfPolicyEditor *editor = WHARF_POLICY_EDITOR (widget);

  wharf_repository_policy_add_statement (wharf_policy_editor_get_draft (editor),
                                         wharf_policy_statement_new ());
  wharf_policy_editor_item_added (editor);
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
  WharfPolicyEditor *editor = WHARF_POLICY_EDITOR (td->self);
  WharfRepositoryPolicy *draft = wharf_policy_editor_get_draft (editor);
  g_autofree char *subject = NULL;

  if (g_strcmp0 (response, "add") != 0)
    return;
  subject = g_strstrip (g_strdup (gtk_editable_get_text (td->entry)));
  if (!wharf_policy_template_check_subject (td->template_id, subject, NULL))
    return;

  wharf_repository_policy_add_statement (draft,
                                         wharf_policy_statement_new_from_template (td->template_id,
                                                                                   subject, draft));
  wharf_policy_editor_show_mode (editor, "form");
  wharf_policy_editor_draft_changed (editor, TRUE, TRUE);
  wharf_policy_editor_toast (editor, _("Statement added: save to apply it"));
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

/* ---- GObject ---- */

static void
wharf_permissions_editor_dispose (GObject *object)
{
  /* AdwBin would unparent its child again after the template did. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), WHARF_TYPE_PERMISSIONS_EDITOR);

  G_OBJECT_CLASS (wharf_permissions_editor_parent_class)->dispose (object);
}

static void
wharf_permissions_editor_class_init (WharfPermissionsEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  WharfPolicyEditorClass *editor_class = WHARF_POLICY_EDITOR_CLASS (klass);

  object_class->dispose = wharf_permissions_editor_dispose;

  editor_class->draft_type = WHARF_TYPE_REPOSITORY_POLICY;
  editor_class->row_type = WHARF_TYPE_POLICY_STATEMENT_ROW;
  editor_class->draft_new = (gpointer (*) (void)) wharf_repository_policy_new;
  editor_class->draft_parse = (gpointer (*) (const char *, int *, int *, GError **))
    wharf_repository_policy_parse;
  editor_class->draft_equal = (gboolean (*) (gconstpointer, gconstpointer))
    wharf_repository_policy_equal;
  editor_class->draft_to_json = (char *(*) (gconstpointer)) wharf_repository_policy_to_json;
  editor_class->draft_n_items = (guint (*) (gconstpointer))
    wharf_repository_policy_get_n_statements;
  editor_class->draft_remove_item = (void (*) (gpointer, guint))
    wharf_repository_policy_remove_statement;
  editor_class->draft_set_item = (void (*) (gpointer, guint, gpointer))
    wharf_repository_policy_set_statement;
  editor_class->validate = validate;
  editor_class->show_row = show_row;
  editor_class->load_async = load_async;
  editor_class->save_async = save_async;
  editor_class->delete_async = delete_async;
  editor_class->update_actions = update_actions;
  editor_class->describe_delete = describe_delete;
  editor_class->describe_delete_failure = describe_delete_failure;
  editor_class->action_prefix = "permissions";
  editor_class->no_policy = N_("No repository policy");
  editor_class->fix_problems = N_("ECR would refuse this policy: fix the problems marked in the statements, then try again.");
  editor_class->saved = N_("Repository policy saved");
  editor_class->deleted = N_("Repository policy deleted; the draft stays here");
  editor_class->delete_heading = N_("Delete the Repository Policy?");
  editor_class->explain_unreadable = TRUE;

  g_type_ensure (WHARF_TYPE_POLICY_STATEMENT_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/wharf-permissions-editor.ui");
  wharf_policy_editor_class_bind_template (editor_class, "statements_box");

  gtk_widget_class_install_action (widget_class, "permissions.add-statement", NULL, add_statement_action);
  gtk_widget_class_install_action (widget_class, "permissions.add-template", "i", add_template_action);
}

static void
wharf_permissions_editor_init (WharfPermissionsEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
