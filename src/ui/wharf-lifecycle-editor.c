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
  AdwBin                  parent_instance;

  WharfPolicyEditor       editor;               /* the draft is a WharfLifecycleDocument */
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

G_DEFINE_FINAL_TYPE (WharfLifecycleEditor, wharf_lifecycle_editor, ADW_TYPE_BIN)

GtkWidget *
wharf_lifecycle_editor_new (void)
{
  return g_object_new (WHARF_TYPE_LIFECYCLE_EDITOR, NULL);
}

static WharfLifecycleDocument *
get_draft (WharfLifecycleEditor *self)
{
  return self->editor.draft;
}

static void
dismiss_message_cb (WharfLifecycleEditor *self)
{
  wharf_policy_editor_hide_message (&self->editor);
}

/* ---- The model and rows, for the shared editor ---- */

static void
update_actions_cb (GtkWidget  *widget,
                   const char *text,
                   gboolean    empty)
{
  WharfLifecycleEditor *self = WHARF_LIFECYCLE_EDITOR (widget);
  gboolean have_repo = self->editor.repository != NULL && self->editor.client != NULL;
  gboolean previewing = self->preview_cancellable != NULL;

  gtk_widget_action_set_enabled (widget, "lifecycle.preview",
                                 have_repo && !self->editor.busy && !previewing && !empty);
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
row_show (gconstpointer  draft,
          GtkWidget     *row,
          guint          index)
{
  wharf_lifecycle_rule_row_set_rule (WHARF_LIFECYCLE_RULE_ROW (row),
                                     wharf_lifecycle_document_get_rule (draft, index),
                                     index + 1, run_position ((WharfLifecycleDocument *) draft, index),
                                     wharf_lifecycle_document_get_n_rules (draft));
}

/* The row holds its rule; the draft takes a copy in the same place. */
static void
row_store (gpointer   draft,
           GtkWidget *row,
           guint      index)
{
  const WharfLifecycleRule *rule = wharf_lifecycle_rule_row_get_rule (WHARF_LIFECYCLE_RULE_ROW (row));

  wharf_lifecycle_document_set_rule (draft, index, wharf_lifecycle_rule_copy (rule));
}

static const WharfPolicyEditorOps editor_ops = {
  .draft_new = (gpointer (*) (void)) wharf_lifecycle_document_new,
  .draft_parse = (gpointer (*) (const char *, int *, int *, GError **)) wharf_lifecycle_document_parse,
  .draft_free = (void (*) (gpointer)) wharf_lifecycle_document_free,
  .draft_equal = (gboolean (*) (gconstpointer, gconstpointer)) wharf_lifecycle_document_equal,
  .draft_to_json = (char *(*) (gconstpointer)) wharf_lifecycle_document_to_json,
  .draft_n_items = (guint (*) (gconstpointer)) wharf_lifecycle_document_get_n_rules,
  .draft_remove_item = (void (*) (gpointer, guint)) wharf_lifecycle_document_remove_rule,
  .draft_validate = (GPtrArray *(*) (gconstpointer)) wharf_lifecycle_document_validate,
  .row_new = wharf_lifecycle_rule_row_new,
  .row_show = row_show,
  .row_store = row_store,
  .row_clear_problems = (void (*) (GtkWidget *)) wharf_lifecycle_rule_row_clear_problems,
  .row_add_problem = (void (*) (GtkWidget *, int, const char *, gboolean)) wharf_lifecycle_rule_row_add_problem,
  .update_actions = update_actions_cb,
  .action_prefix = "lifecycle",
  .no_policy = N_("No lifecycle policy"),
  .fix_problems = N_("ECR would refuse this policy: fix the problems marked in the rules, then try again."),
};

/* ---- Loading ---- */

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  WharfLifecycleEditor *self = user_data;
  g_autoptr(WharfLifecyclePolicy) policy = NULL;
  g_autoptr(GError) error = NULL;

  policy = wharf_ecr_client_get_lifecycle_policy_finish (WHARF_ECR_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* A policy the form cannot show stays, as ECR has it, in the JSON view. */
  wharf_policy_editor_finish_load (&self->editor, policy != NULL ? policy->text : NULL, error, NULL);
}

static void
load (WharfLifecycleEditor *self)
{
  if (!wharf_policy_editor_begin_load (&self->editor))
    return;
  wharf_ecr_client_get_lifecycle_policy_async (self->editor.client,
                                               wharf_repository_get_name (self->editor.repository),
                                               self->editor.cancellable, load_cb, self);
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

void
wharf_lifecycle_editor_set_repository (WharfLifecycleEditor *self,
                                       WharfEcrClient       *client,
                                       WharfRepository      *repository)
{
  g_return_if_fail (WHARF_IS_LIFECYCLE_EDITOR (self));
  g_return_if_fail (!client || WHARF_IS_ECR_CLIENT (client));
  g_return_if_fail (!repository || WHARF_IS_REPOSITORY (repository));

  /* The same repository again (its settings changed): keep the draft. */
  if (!wharf_policy_editor_switch_repository (&self->editor, client, repository))
    return;
  reset_preview (self);
  g_clear_pointer (&self->undo_draft, wharf_lifecycle_document_free);
  wharf_policy_editor_set_draft (&self->editor, wharf_lifecycle_document_new ());
  load (self);
}

/* ---- Actions ---- */

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  load (WHARF_LIFECYCLE_EDITOR (widget));
}

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
  gtk_stack_set_visible_child_name (self->editor.mode_stack, "form");
  wharf_policy_editor_draft_changed (&self->editor, TRUE, TRUE);
  if (self->editor.rows->len > 0)
    gtk_widget_grab_focus (g_ptr_array_index (self->editor.rows, self->editor.rows->len - 1));
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
  gtk_stack_set_visible_child_name (self->editor.mode_stack, "form");
  wharf_policy_editor_set_draft (&self->editor, wharf_lifecycle_document_new_from_template (template_id, count));

  if (had_rules)
    {
      AdwToast *t = adw_toast_new (_("The template replaced the rules"));

      adw_toast_set_button_label (t, _("_Undo"));
      adw_toast_set_action_name (t, "lifecycle.undo-template");
      adw_toast_overlay_add_toast (self->editor.toast_overlay, t);
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
  wharf_policy_editor_set_draft (&self->editor, g_steal_pointer (&self->undo_draft));
}

static void
show_json_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  gtk_stack_set_visible_child_name (WHARF_LIFECYCLE_EDITOR (widget)->editor.mode_stack, "json");
}

/* Save */

static void
put_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  WharfLifecycleEditor *self = user_data;
  g_autoptr(GError) error = NULL;

  wharf_ecr_client_put_lifecycle_policy_finish (WHARF_ECR_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (wharf_policy_editor_finish_save (&self->editor, error))
    wharf_policy_editor_toast (&self->editor, _("Lifecycle policy saved"));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WharfLifecycleEditor *self = WHARF_LIFECYCLE_EDITOR (widget);
  g_autofree char *text = wharf_policy_editor_begin_save (&self->editor);

  if (text == NULL)
    return;
  wharf_ecr_client_put_lifecycle_policy_async (self->editor.client,
                                               wharf_repository_get_name (self->editor.repository),
                                               text, self->editor.cancellable, put_done_cb, self);
}

/* Delete */

static void
delete_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  WharfLifecycleEditor *self = user_data;
  g_autoptr(GError) error = NULL;

  wharf_ecr_client_delete_lifecycle_policy_finish (WHARF_ECR_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      wharf_policy_editor_repository_gone (&self->editor, error))
    return;

  if (wharf_policy_editor_finish_delete (&self->editor, error))
    wharf_policy_editor_toast (&self->editor, _("Lifecycle policy deleted; the draft stays here"));
  else
    /* Translators: %s is the AWS error message */
    wharf_policy_editor_show_error (&self->editor, _("Could not delete the lifecycle policy: %s"),
                                    error->message);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  WharfLifecycleEditor *self = user_data;

  if (!wharf_policy_editor_begin_delete (&self->editor, response))
    return;
  wharf_ecr_client_delete_lifecycle_policy_async (self->editor.client,
                                                  wharf_repository_get_name (self->editor.repository),
                                                  self->editor.cancellable, delete_done_cb, self);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WharfLifecycleEditor *self = WHARF_LIFECYCLE_EDITOR (widget);
  g_autofree char *body = NULL;

  if (self->editor.repository == NULL || self->editor.saved_text == NULL)
    return;

  body = g_strdup_printf (/* Translators: %s is a repository name */
                          _("ECR stops expiring images in “%s”. Images that the policy would have expired stay, and keep costing storage."),
                          wharf_repository_get_name (self->editor.repository));
  wharf_policy_editor_confirm_delete (&self->editor, _("Delete the Lifecycle Policy?"), body,
                                      G_CALLBACK (delete_response_cb));
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

  g_clear_object (&self->preview_cancellable);
  gtk_spinner_stop (self->preview_spinner);
  if (error != NULL)
    {
      gtk_label_set_text (self->preview_error_label, error->message);
      gtk_stack_set_visible_child_name (self->preview_stack, "error");
      g_clear_pointer (&self->preview_text, g_free);
      wharf_policy_editor_update_actions (&self->editor);
      return;
    }

  n = g_list_model_get_n_items (results);
  gtk_list_box_bind_model (self->preview_list, results, create_preview_row, self, NULL);
  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u image would expire",
                                          "%u images would expire", n), n);
  gtk_label_set_text (self->preview_summary, summary);
  gtk_stack_set_visible_child_name (self->preview_stack, n > 0 ? "results" : "empty");
  wharf_policy_editor_update_actions (&self->editor);
}

static void
preview_started_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  WharfLifecycleEditor *self = user_data;
  g_autoptr(GError) error = NULL;

  wharf_ecr_client_start_lifecycle_policy_preview_finish (WHARF_ECR_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    {
      g_clear_object (&self->preview_cancellable);
      gtk_spinner_stop (self->preview_spinner);
      gtk_label_set_text (self->preview_error_label, error->message);
      gtk_stack_set_visible_child_name (self->preview_stack, "error");
      g_clear_pointer (&self->preview_text, g_free);
      wharf_policy_editor_update_actions (&self->editor);
      return;
    }

  wharf_ecr_client_get_lifecycle_policy_preview_async (self->editor.client,
                                                       wharf_repository_get_name (self->editor.repository),
                                                       PREVIEW_POLL_MS, self->preview_cancellable,
                                                       preview_done_cb, self);
}

static void
preview_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  WharfLifecycleEditor *self = WHARF_LIFECYCLE_EDITOR (widget);

  if (self->editor.repository == NULL || self->preview_cancellable != NULL ||
      !wharf_policy_editor_check_before_sending (&self->editor))
    return;

  g_free (self->preview_text);
  self->preview_text = wharf_policy_editor_draft_text (&self->editor);
  g_clear_pointer (&self->preview_draft, wharf_lifecycle_document_free);
  self->preview_draft = wharf_lifecycle_document_copy (get_draft (self));

  /* Cancelled by the person (Cancel), by another repository (reset_preview) or dispose. */
  self->preview_cancellable = g_cancellable_new ();

  gtk_list_box_bind_model (self->preview_list, NULL, NULL, NULL, NULL);
  gtk_widget_set_visible (self->preview_stale_label, FALSE);
  gtk_spinner_start (self->preview_spinner);
  gtk_stack_set_visible_child_name (self->preview_stack, "running");
  wharf_policy_editor_update_actions (&self->editor);

  wharf_ecr_client_start_lifecycle_policy_preview_async (self->editor.client,
                                                         wharf_repository_get_name (self->editor.repository),
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
  wharf_policy_editor_update_actions (&self->editor);
}

/* ---- GObject ---- */

static void
wharf_lifecycle_editor_dispose (GObject *object)
{
  WharfLifecycleEditor *self = WHARF_LIFECYCLE_EDITOR (object);

  if (self->editor.cancellable != NULL)
    g_cancellable_cancel (self->editor.cancellable);
  if (self->preview_cancellable != NULL)
    g_cancellable_cancel (self->preview_cancellable);
  /* AdwBin would unparent its child again after the template did. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), WHARF_TYPE_LIFECYCLE_EDITOR);
  g_clear_object (&self->preview_cancellable);
  wharf_policy_editor_dispose (&self->editor);

  G_OBJECT_CLASS (wharf_lifecycle_editor_parent_class)->dispose (object);
}

static void
wharf_lifecycle_editor_finalize (GObject *object)
{
  WharfLifecycleEditor *self = WHARF_LIFECYCLE_EDITOR (object);

  wharf_policy_editor_finalize (&self->editor);
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

  object_class->dispose = wharf_lifecycle_editor_dispose;
  object_class->finalize = wharf_lifecycle_editor_finalize;

  g_type_ensure (WHARF_TYPE_LIFECYCLE_RULE_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/wharf-lifecycle-editor.ui");
  wharf_policy_editor_class_bind_template (widget_class, G_STRUCT_OFFSET (WharfLifecycleEditor, editor),
                                           "rules_box");
  wharf_policy_editor_class_add_signals (widget_class);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleEditor, preview_stack);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleEditor, preview_spinner);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleEditor, preview_summary);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleEditor, preview_stale_label);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleEditor, preview_list);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleEditor, preview_error_label);
  gtk_widget_class_bind_template_callback (widget_class, dismiss_message_cb);

  gtk_widget_class_install_action (widget_class, "lifecycle.add-rule", NULL, add_rule_action);
  gtk_widget_class_install_action (widget_class, "lifecycle.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "lifecycle.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "lifecycle.preview", NULL, preview_action);
  gtk_widget_class_install_action (widget_class, "lifecycle.cancel-preview", NULL, cancel_preview_action);
  gtk_widget_class_install_action (widget_class, "lifecycle.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "lifecycle.apply-template", "i", apply_template_action);
  gtk_widget_class_install_action (widget_class, "lifecycle.undo-template", NULL, undo_template_action);
  gtk_widget_class_install_action (widget_class, "lifecycle.show-json", NULL, show_json_action);
}

static void
wharf_lifecycle_editor_init (WharfLifecycleEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  wharf_policy_editor_init (&self->editor, GTK_WIDGET (self), &editor_ops);
}
