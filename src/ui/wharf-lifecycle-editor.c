/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-lifecycle-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wharf-lifecycle-editor.h"

#include "wharf-lifecycle-policy.h"
#include "wharf-lifecycle-rule-row.h"
#include "wharf-policy-editor-private.h"

/* The first wait of the preview while ECR evaluates it; the client waits longer each time. */
#define PREVIEW_POLL_MS 500

struct _WharfLifecycleEditor
{
  WharfPolicyEditor       parent_instance;      /* the draft is a WharfLifecycleDocument */

  GCancellable           *preview_cancellable;  /* the running preview */
  WharfLifecycleDocument *undo_draft;           /* before a template replaced it */
  WharfLifecycleDocument *preview_draft;        /* what the shown preview evaluated */
  char                   *preview_text;

  GtkStack               *preview_stack;
  GtkSpinner             *preview_spinner;
  GtkLabel               *preview_summary;
  GtkWidget              *preview_stale_label;
  GtkListBox             *preview_list;
  GtkLabel               *preview_error_label;
};

G_DEFINE_FINAL_TYPE (WharfLifecycleEditor, wharf_lifecycle_editor, WHARF_TYPE_POLICY_EDITOR)

GtkWidget *
wharf_lifecycle_editor_new (void)
{
  return g_object_new (WHARF_TYPE_LIFECYCLE_EDITOR, NULL);
}

static WharfPolicyEditor *
as_editor (WharfLifecycleEditor *self)
{
  return WHARF_POLICY_EDITOR (self);
}

static WharfLifecycleDocument *
get_draft (WharfLifecycleEditor *self)
{
  return wharf_policy_editor_get_draft (as_editor (self));
}

/* ---- The model and rows, for the shared editor ---- */

static void
update_actions (WharfPolicyEditor *editor,
                const char        *text,
                gboolean           empty)
{
  WharfLifecycleEditor *self = WHARF_LIFECYCLE_EDITOR (editor);
  GtkWidget *widget = GTK_WIDGET (editor);
  gboolean have_repo = wharf_policy_editor_get_repository (editor) != NULL &&
                       wharf_policy_editor_get_client (editor) != NULL;
  gboolean previewing = self->preview_cancellable != NULL;

  gtk_widget_action_set_enabled (widget, "lifecycle.preview",
                                 have_repo && !wharf_policy_editor_is_busy (editor) &&
                                 !previewing && !empty);
  gtk_widget_action_set_enabled (widget, "lifecycle.cancel-preview", previewing);
  gtk_widget_action_set_enabled (widget, "lifecycle.undo-template", self->undo_draft != NULL);

  if (self->preview_text != NULL &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->preview_stack), "running") != 0)
    gtk_widget_set_visible (self->preview_stale_label, g_strcmp0 (text, self->preview_text) != 0);
}

/* Run order: rules by priority, lowest first. */
static guint
run_position (WharfLifecycleDocument *doc,
              guint                   index)
{
  WharfLifecycleRule *rule = wharf_lifecycle_document_get_rule (doc, index);
  guint position = 1;

  for (guint i = 0; i < wharf_lifecycle_document_get_n_rules (doc); i++)
    {
      WharfLifecycleRule *other = wharf_lifecycle_document_get_rule (doc, i);

      if (other->priority < rule->priority || (other->priority == rule->priority && i < index))
        position++;
    }
  return position;
}

static void
show_row (WharfPolicyEditor *editor,
          WharfPolicyRow    *row,
          guint              index)
{
  WharfLifecycleDocument *draft = wharf_policy_editor_get_draft (editor);

  wharf_lifecycle_rule_row_set_rule (WHARF_LIFECYCLE_RULE_ROW (row),
                                     wharf_lifecycle_document_get_rule (draft, index),
                                     index + 1, run_position (draft, index),
                                     wharf_lifecycle_document_get_n_rules (draft));
}

static GPtrArray *
validate (WharfPolicyEditor *editor)
{
  return wharf_lifecycle_document_validate (wharf_policy_editor_get_draft (editor));
}

/* ---- Loading, saving, deleting ---- */

static void
get_policy_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(WharfLifecyclePolicy) policy = NULL;
  GError *error = NULL;

  policy = wharf_ecr_client_get_lifecycle_policy_finish (WHARF_ECR_CLIENT (object), result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_strdup (policy != NULL ? policy->text : NULL), g_free);
}

static void
load_async (WharfPolicyEditor   *editor,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = g_task_new (editor, cancellable, callback, user_data);

  g_task_set_source_tag (task, load_async);
  wharf_ecr_client_get_lifecycle_policy_async (wharf_policy_editor_get_client (editor),
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
                                                     wharf_ecr_client_put_lifecycle_policy_finish);

  wharf_ecr_client_put_lifecycle_policy_async (wharf_policy_editor_get_client (editor),
                                               wharf_policy_editor_get_repository_name (editor),
                                               text, cancellable,
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
                                              wharf_ecr_client_delete_lifecycle_policy_finish);

  wharf_ecr_client_delete_lifecycle_policy_async (wharf_policy_editor_get_client (editor),
                                                  wharf_policy_editor_get_repository_name (editor),
                                                  cancellable,
                                                  wharf_policy_editor_client_done_cb, task);
}

static char *
describe_delete (WharfPolicyEditor *editor,
                 const char        *name)
{
  return g_strdup_printf (/* Translators: %s is a repository name */
                          _("ECR stops expiring images in “%s”. Images that the policy would have expired stay, and keep costing storage."),
                          name);
}

static char *
describe_delete_failure (WharfPolicyEditor *editor,
                         const GError      *error)
{
  /* Translators: %s is the AWS error message */
  return g_strdup_printf (_("Could not delete the lifecycle policy: %s"), error->message);
}

static void
reset_preview (WharfLifecycleEditor *self)
{
  if (self->preview_cancellable != NULL)
    {
      g_cancellable_cancel (self->preview_cancellable);
      g_clear_object (&self->preview_cancellable);
    }
  g_clear_pointer (&self->preview_text, g_free);
  g_clear_pointer (&self->preview_draft, wharf_lifecycle_document_free);
  gtk_list_box_bind_model (self->preview_list, NULL, NULL, NULL, NULL);
  gtk_widget_set_visible (self->preview_stale_label, FALSE);
  gtk_stack_set_visible_child_name (self->preview_stack, "idle");
}

/* Another repository: its preview and template undo are not this one's. */
static void
reset (WharfPolicyEditor *editor)
{
  WharfLifecycleEditor *self = WHARF_LIFECYCLE_EDITOR (editor);

  reset_preview (self);
  g_clear_pointer (&self->undo_draft, wharf_lifecycle_document_free);
}

void
wharf_lifecycle_editor_set_repository (WharfLifecycleEditor *self,
                                       WharfEcrClient       *client,
                                       WharfRepository      *repository)
{
  g_return_if_fail (WHARF_IS_LIFECYCLE_EDITOR (self));

  wharf_policy_editor_set_repository (as_editor (self), client, repository);
}

/* ---- Actions ---- */

static void
add_rule_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  WharfLifecycleEditor *self = WHARF_LIFECYCLE_EDITOR (widget);
  WharfLifecycleRule *rule = wharf_lifecycle_rule_new ();

  rule->priority = wharf_lifecycle_document_next_priority (get_draft (self));
  wharf_lifecycle_rule_set_select (rule, WHARF_LIFECYCLE_SELECT_UNTAGGED, NULL);
  g_free (rule->count_type);
  rule->count_type = g_strdup ("sinceImagePushed");
  rule->count_unit = g_strdup ("days");
  rule->count_number = 14;
  wharf_lifecycle_document_add_rule (get_draft (self), rule);
  wharf_policy_editor_item_added (as_editor (self));
}

static void
apply_template_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  WharfLifecycleEditor *self = WHARF_LIFECYCLE_EDITOR (widget);
  int template_id = g_variant_get_int32 (parameter);
  gint64 count = template_id == WHARF_LIFECYCLE_TEMPLATE_EXPIRE_UNTAGGED ? 14 : 10;
  gboolean had_rules = wharf_lifecycle_document_get_n_rules (get_draft (self)) > 0;

  if (template_id < WHARF_LIFECYCLE_TEMPLATE_KEEP_LAST || template_id > WHARF_LIFECYCLE_TEMPLATE_KEEP_RELEASES)
    return;

  g_clear_pointer (&self->undo_draft, wharf_lifecycle_document_free);
  if (had_rules)
    self->undo_draft = wharf_lifecycle_document_copy (get_draft (self));
  wharf_policy_editor_show_mode (as_editor (self), "form");
  wharf_policy_editor_set_draft (as_editor (self),
                                 wharf_lifecycle_document_new_from_template (template_id, count));

  if (had_rules)
    {
      AdwToast *t = adw_toast_new (_("The template replaced the rules"));

      adw_toast_set_button_label (t, _("_Undo"));
      adw_toast_set_action_name (t, "lifecycle.undo-template");
      wharf_policy_editor_add_toast (as_editor (self), t);
    }
}

static void
undo_template_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  WharfLifecycleEditor *self = WHARF_LIFECYCLE_EDITOR (widget);

  if (self->undo_draft == NULL)
    return;
  wharf_policy_editor_set_draft (as_editor (self), g_steal_pointer (&self->undo_draft));
}

static void
show_json_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  wharf_policy_editor_show_mode (WHARF_POLICY_EDITOR (widget), "json");
}

/* Preview */

static char *
format_pushed (GDateTime *pushed)
{
  g_autoptr(GDateTime) local = NULL;

  if (pushed == NULL)
    return g_strdup (_("push date unknown"));
  local = g_date_time_to_local (pushed);
  /* Translators: a push date, see g_date_time_format(); e.g. "Pushed 3 Mar 2026" */
  return g_date_time_format (local, _("Pushed %-d %b %Y"));
}

static GtkWidget *
create_preview_row (gpointer item,
                    gpointer user_data)
{
  WharfLifecycleEditor *self = user_data;
  WharfLifecyclePreviewResult *result = item;
  const char *tags = wharf_lifecycle_preview_result_get_tags_text (result);
  const char *digest = wharf_lifecycle_preview_result_get_digest (result);
  int priority = wharf_lifecycle_preview_result_get_applied_rule_priority (result);
  g_autofree char *short_digest = NULL;
  g_autofree char *pushed = format_pushed (wharf_lifecycle_preview_result_get_pushed_at (result));
  g_autofree char *rule_text = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *title = NULL;
  GtkWidget *row = adw_action_row_new ();
  const char * const *tag_list;
  GtkWidget *icon;

  /* "sha256:" and 12 hex digits, as docker shows an image id */
  short_digest = g_strndup (digest, MIN (strlen (digest), strlen ("sha256:") + 12));

  for (guint i = 0; self->preview_draft != NULL &&
                    i < wharf_lifecycle_document_get_n_rules (self->preview_draft); i++)
    {
      WharfLifecycleRule *rule = wharf_lifecycle_document_get_rule (self->preview_draft, i);

      if (rule->priority == priority)
        {
          rule_text = rule->description != NULL
            /* Translators: "Rule 1 (priority 10): Drop old builds" */
            ? g_strdup_printf (_("Rule %u (priority %d): %s"), i + 1, priority, rule->description)
            /* Translators: "Rule 1 (priority 10)" */
            : g_strdup_printf (_("Rule %u (priority %d)"), i + 1, priority);
          break;
        }
    }
  if (rule_text == NULL)
    rule_text = priority >= 0 ? g_strdup_printf (_("Priority %d"), priority) : g_strdup (_("Rule unknown"));

  tag_list = wharf_lifecycle_preview_result_get_tags (result);
  title = g_strdup (tag_list != NULL && tag_list[0] != NULL && tags != NULL ? tags : _("Untagged image"));
  /* Translators: image digest · push date, then on a new line the rule that expires it */
  subtitle = g_strdup_printf (_("%s · %s\n%s"), short_digest, pushed, rule_text);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_tooltip_text (row, digest);
  icon = gtk_image_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_add_css_class (icon, "dim-label");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  return row;
}

/* Ends the preview; TRUE when it failed with @error (nullable), which it then shows. */
static gboolean
end_preview (WharfLifecycleEditor *self,
             const GError         *error)
{
  g_clear_object (&self->preview_cancellable);
  gtk_spinner_stop (self->preview_spinner);
  if (error == NULL)
    return FALSE;

  gtk_label_set_text (self->preview_error_label, error->message);
  gtk_stack_set_visible_child_name (self->preview_stack, "error");
  g_clear_pointer (&self->preview_text, g_free);
  wharf_policy_editor_update_actions (as_editor (self));
  return TRUE;
}

static void
preview_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  WharfLifecycleEditor *self = user_data;
  g_autoptr(GListModel) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  int total = -1;
  guint n;

  results = wharf_ecr_client_get_lifecycle_policy_preview_finish (WHARF_ECR_CLIENT (object),
                                                                  result, &total, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (end_preview (self, error))
    return;

  n = g_list_model_get_n_items (results);
  gtk_list_box_bind_model (self->preview_list, results, create_preview_row, self, NULL);
  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u image would expire",
                                          "%u images would expire", n), n);
  gtk_label_set_text (self->preview_summary, summary);
  gtk_stack_set_visible_child_name (self->preview_stack, n > 0 ? "results" : "empty");
  wharf_policy_editor_update_actions (as_editor (self));
}

static void
preview_started_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  WharfLifecycleEditor *self = user_data;
  WharfPolicyEditor *editor = WHARF_POLICY_EDITOR (self);
  g_autoptr(GError) error = NULL;

  wharf_ecr_client_start_lifecycle_policy_preview_finish (WHARF_ECR_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    {
      end_preview (self, error);
      return;
    }

  wharf_ecr_client_get_lifecycle_policy_preview_async (wharf_policy_editor_get_client (editor),
                                                       wharf_policy_editor_get_repository_name (editor),
                                                       PREVIEW_POLL_MS, self->preview_cancellable,
                                                       preview_done_cb, self);
}

static void
preview_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  WharfLifecycleEditor *self = WHARF_LIFECYCLE_EDITOR (widget);
  WharfPolicyEditor *editor = WHARF_POLICY_EDITOR (widget);

  if (wharf_policy_editor_get_repository (editor) == NULL || self->preview_cancellable != NULL ||
      !wharf_policy_editor_check_before_sending (editor))
    return;

  g_free (self->preview_text);
  self->preview_text = wharf_policy_editor_draft_text (editor);
  g_clear_pointer (&self->preview_draft, wharf_lifecycle_document_free);
  self->preview_draft = wharf_lifecycle_document_copy (get_draft (self));

  /* Cancelled by the person (Cancel), by another repository (reset_preview) or dispose. */
  self->preview_cancellable = g_cancellable_new ();

  gtk_list_box_bind_model (self->preview_list, NULL, NULL, NULL, NULL);
  gtk_widget_set_visible (self->preview_stale_label, FALSE);
  gtk_spinner_start (self->preview_spinner);
  gtk_stack_set_visible_child_name (self->preview_stack, "running");
  wharf_policy_editor_update_actions (editor);

  wharf_ecr_client_start_lifecycle_policy_preview_async (wharf_policy_editor_get_client (editor),
                                                         wharf_policy_editor_get_repository_name (editor),
                                                         self->preview_text, self->preview_cancellable,
                                                         preview_started_cb, self);
}

static void
cancel_preview_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  WharfLifecycleEditor *self = WHARF_LIFECYCLE_EDITOR (widget);

  gtk_spinner_stop (self->preview_spinner);
  reset_preview (self);
  wharf_policy_editor_update_actions (as_editor (self));
}

/* ---- GObject ---- */

static void
wharf_lifecycle_editor_dispose (GObject *object)
{
  WharfLifecycleEditor *self = WHARF_LIFECYCLE_EDITOR (object);

  if (self->preview_cancellable != NULL)
    g_cancellable_cancel (self->preview_cancellable);
  /* AdwBin would unparent its child again after the template did. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), WHARF_TYPE_LIFECYCLE_EDITOR);
  g_clear_object (&self->preview_cancellable);

  G_OBJECT_CLASS (wharf_lifecycle_editor_parent_class)->dispose (object);
}

static void
wharf_lifecycle_editor_finalize (GObject *object)
{
  WharfLifecycleEditor *self = WHARF_LIFECYCLE_EDITOR (object);

  g_clear_pointer (&self->undo_draft, wharf_lifecycle_document_free);
  g_clear_pointer (&self->preview_draft, wharf_lifecycle_document_free);
  g_clear_pointer (&self->preview_text, g_free);

  G_OBJECT_CLASS (wharf_lifecycle_editor_parent_class)->finalize (object);
}

static void
wharf_lifecycle_editor_class_init (WharfLifecycleEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  WharfPolicyEditorClass *editor_class = WHARF_POLICY_EDITOR_CLASS (klass);

  object_class->dispose = wharf_lifecycle_editor_dispose;
  object_class->finalize = wharf_lifecycle_editor_finalize;

  editor_class->draft_type = WHARF_TYPE_LIFECYCLE_DOCUMENT;
  editor_class->row_type = WHARF_TYPE_LIFECYCLE_RULE_ROW;
  editor_class->draft_new = (gpointer (*) (void)) wharf_lifecycle_document_new;
  editor_class->draft_parse = (gpointer (*) (const char *, int *, int *, GError **))
    wharf_lifecycle_document_parse;
  editor_class->draft_equal = (gboolean (*) (gconstpointer, gconstpointer))
    wharf_lifecycle_document_equal;
  editor_class->draft_to_json = (char *(*) (gconstpointer)) wharf_lifecycle_document_to_json;
  editor_class->draft_n_items = (guint (*) (gconstpointer)) wharf_lifecycle_document_get_n_rules;
  editor_class->draft_remove_item = (void (*) (gpointer, guint))
    wharf_lifecycle_document_remove_rule;
  editor_class->draft_set_item = (void (*) (gpointer, guint, gpointer))
    wharf_lifecycle_document_set_rule;
  editor_class->validate = validate;
  editor_class->show_row = show_row;
  editor_class->load_async = load_async;
  editor_class->save_async = save_async;
  editor_class->delete_async = delete_async;
  editor_class->reset = reset;
  editor_class->update_actions = update_actions;
  editor_class->describe_delete = describe_delete;
  editor_class->describe_delete_failure = describe_delete_failure;
  editor_class->action_prefix = "lifecycle";
  editor_class->no_policy = N_("No lifecycle policy");
  editor_class->fix_problems = N_("ECR would refuse this policy: fix the problems marked in the rules, then try again.");
  editor_class->saved = N_("Lifecycle policy saved");
  editor_class->deleted = N_("Lifecycle policy deleted; the draft stays here");
  editor_class->delete_heading = N_("Delete the Lifecycle Policy?");

  g_type_ensure (WHARF_TYPE_LIFECYCLE_RULE_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/wharf-lifecycle-editor.ui");
  wharf_policy_editor_class_bind_template (editor_class, "rules_box");
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleEditor, preview_stack);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleEditor, preview_spinner);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleEditor, preview_summary);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleEditor, preview_stale_label);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleEditor, preview_list);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleEditor, preview_error_label);

  gtk_widget_class_install_action (widget_class, "lifecycle.add-rule", NULL, add_rule_action);
  gtk_widget_class_install_action (widget_class, "lifecycle.preview", NULL, preview_action);
  gtk_widget_class_install_action (widget_class, "lifecycle.cancel-preview", NULL, cancel_preview_action);
  gtk_widget_class_install_action (widget_class, "lifecycle.apply-template", "i", apply_template_action);
  gtk_widget_class_install_action (widget_class, "lifecycle.undo-template", NULL, undo_template_action);
  gtk_widget_class_install_action (widget_class, "lifecycle.show-json", NULL, show_json_action);
}

static void
wharf_lifecycle_editor_init (WharfLifecycleEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
