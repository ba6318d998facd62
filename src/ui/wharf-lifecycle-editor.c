/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-lifecycle-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wharf-lifecycle-editor.h"

#include "wharf-lifecycle-policy.h"
#include "wharf-lifecycle-rule-row.h"

/* How often the preview is polled while ECR evaluates it. */
#define PREVIEW_POLL_MS 500

struct _WharfLifecycleEditor
{
  AdwBin                  parent_instance;

  WharfEcrClient         *client;
  WharfRepository        *repository;
  GCancellable           *cancellable;          /* this repository's work */
  GCancellable           *preview_cancellable;  /* the running preview */

  WharfLifecycleDocument *draft;
  WharfLifecycleDocument *undo_draft;           /* before a template replaced it */
  WharfLifecycleDocument *preview_draft;        /* what the shown preview evaluated */
  char                   *saved_text;           /* on ECR; NULL when there is none */
  char                   *preview_text;
  GPtrArray              *rows;                 /* WharfLifecycleRuleRow, in draft order */
  gboolean                json_invalid;
  gboolean                problems_ok;
  gboolean                busy;                 /* a save or delete is on its way */
  gboolean                syncing;

  AdwToastOverlay        *toast_overlay;
  GtkStack               *state_stack;
  GtkSpinner             *loading_spinner;
  AdwStatusPage          *load_error_page;
  GtkLabel               *status_label;
  GtkRevealer            *message_revealer;
  GtkWidget              *message_box;
  GtkImage               *message_icon;
  GtkLabel               *message_label;
  GtkStack               *mode_stack;
  GtkBox                 *rules_box;
  GtkWidget              *empty_page;
  GtkWidget              *intro_group;
  GtkTextView            *json_view;
  GtkRevealer            *json_error_revealer;
  GtkLabel               *json_error_label;
  GtkStack               *preview_stack;
  GtkSpinner             *preview_spinner;
  GtkLabel               *preview_summary;
  GtkWidget              *preview_stale_label;
  GtkListBox             *preview_list;
  GtkLabel               *preview_error_label;
};

G_DEFINE_FINAL_TYPE (WharfLifecycleEditor, wharf_lifecycle_editor, ADW_TYPE_BIN)

static void load_css (void);
static void wharf_lifecycle_editor_draft_changed (WharfLifecycleEditor *self,
                                                  gboolean              rebuild_rows,
                                                  gboolean              rewrite_json);

GtkWidget *
wharf_lifecycle_editor_new (void)
{
  return g_object_new (WHARF_TYPE_LIFECYCLE_EDITOR, NULL);
}

/* ---- Messages ---- */

static void
show_message (WharfLifecycleEditor *self,
              const char           *style,
              const char           *text)
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
hide_message (WharfLifecycleEditor *self)
{
  gtk_revealer_set_reveal_child (self->message_revealer, FALSE);
}

static void
dismiss_message_cb (WharfLifecycleEditor *self)
{
  hide_message (self);
}

static void
toast (WharfLifecycleEditor *self,
       const char           *text)
{
  AdwToast *t = adw_toast_new (text);

  adw_toast_set_timeout (t, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static gboolean
is_credentials_error (const GError *error)
{
  return g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_EXPIRED_CREDENTIALS) ||
         g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_CREDENTIALS);
}

/* ---- State ---- */

static char *
draft_text (WharfLifecycleEditor *self)
{
  return wharf_lifecycle_document_to_json (self->draft);
}

static void
update_actions (WharfLifecycleEditor *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean have_repo = self->repository != NULL && self->client != NULL;
  gboolean previewing = self->preview_cancellable != NULL;
  g_autofree char *text = draft_text (self);
  gboolean dirty = self->json_invalid || g_strcmp0 (text, self->saved_text) != 0;
  gboolean empty = wharf_lifecycle_document_get_n_rules (self->draft) == 0;

  gtk_widget_action_set_enabled (widget, "lifecycle.save", have_repo && !self->busy && dirty && !empty);
  gtk_widget_action_set_enabled (widget, "lifecycle.preview",
                                 have_repo && !self->busy && !previewing && !empty);
  gtk_widget_action_set_enabled (widget, "lifecycle.cancel-preview", previewing);
  gtk_widget_action_set_enabled (widget, "lifecycle.delete",
                                 have_repo && !self->busy && self->saved_text != NULL);
  gtk_widget_action_set_enabled (widget, "lifecycle.undo-template", self->undo_draft != NULL);

  if (self->busy)
    gtk_label_set_text (self->status_label, _("Talking to ECR…"));
  else if (self->saved_text == NULL)
    gtk_label_set_text (self->status_label, empty ? _("No lifecycle policy") : _("Draft, not saved yet"));
  else if (dirty)
    gtk_label_set_text (self->status_label, _("Unsaved changes"));
  else
    gtk_label_set_text (self->status_label, _("Saved in ECR"));

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
validate (WharfLifecycleEditor *self)
{
  g_autoptr(GPtrArray) problems = wharf_lifecycle_document_validate (self->draft);
  guint n = wharf_lifecycle_document_get_n_rules (self->draft);

  for (guint i = 0; i < self->rows->len; i++)
    {
      WharfLifecycleRuleRow *row = self->rows->pdata[i];

      wharf_lifecycle_rule_row_set_rule (row, wharf_lifecycle_document_get_rule (self->draft, i),
                                         i + 1, run_position (self->draft, i), n);
      wharf_lifecycle_rule_row_clear_problems (row);
    }
  for (guint i = 0; i < problems->len; i++)
    {
      WharfLifecycleProblem *p = problems->pdata[i];

      if (p->rule >= 0 && (guint) p->rule < self->rows->len)
        wharf_lifecycle_rule_row_add_problem (self->rows->pdata[p->rule], p->field, p->message,
                                              p->is_warning);
    }
  self->problems_ok = wharf_lifecycle_problems_ok (problems);
  gtk_widget_set_visible (self->empty_page, n == 0);
  gtk_widget_set_visible (self->intro_group, n > 0);
}

static void
row_changed_cb (WharfLifecycleEditor  *self,
                WharfLifecycleRuleRow *row)
{
  guint index;

  if (!g_ptr_array_find (self->rows, row, &index))
    return;

  /* The row holds its rule; the draft takes a copy in the same place. */
  wharf_lifecycle_document_set_rule (self->draft, index,
                                     wharf_lifecycle_rule_copy (wharf_lifecycle_rule_row_get_rule (row)));
  wharf_lifecycle_editor_draft_changed (self, FALSE, TRUE);
}

static void
row_remove_requested_cb (WharfLifecycleEditor  *self,
                         WharfLifecycleRuleRow *row)
{
  guint index;

  if (!g_ptr_array_find (self->rows, row, &index))
    return;
  wharf_lifecycle_document_remove_rule (self->draft, index);
  wharf_lifecycle_editor_draft_changed (self, TRUE, TRUE);
}

static void
rebuild_rows (WharfLifecycleEditor *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->rules_box))) != NULL)
    gtk_box_remove (self->rules_box, child);
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; i < wharf_lifecycle_document_get_n_rules (self->draft); i++)
    {
      GtkWidget *row = wharf_lifecycle_rule_row_new ();

      g_signal_connect_object (row, "changed", G_CALLBACK (row_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (row, "remove-requested", G_CALLBACK (row_remove_requested_cb),
                               self, G_CONNECT_SWAPPED);
      gtk_box_append (self->rules_box, row);
      g_ptr_array_add (self->rows, row);
    }
}

static void
write_json (WharfLifecycleEditor *self)
{
  g_autofree char *text = draft_text (self);

  self->syncing = TRUE;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->json_view), text, -1);
  self->syncing = FALSE;
  self->json_invalid = FALSE;
  gtk_revealer_set_reveal_child (self->json_error_revealer, FALSE);
}

static void
wharf_lifecycle_editor_draft_changed (WharfLifecycleEditor *self,
                                      gboolean              rebuild,
                                      gboolean              rewrite_json)
{
  if (rebuild)
    rebuild_rows (self);
  if (rewrite_json)
    write_json (self);
  validate (self);
  update_actions (self);
}

static void
set_draft (WharfLifecycleEditor   *self,
           WharfLifecycleDocument *draft)
{
  g_clear_pointer (&self->draft, wharf_lifecycle_document_free);
  self->draft = draft;
  wharf_lifecycle_editor_draft_changed (self, TRUE, TRUE);
}

static void
json_changed_cb (WharfLifecycleEditor *self,
                 GtkTextBuffer        *buffer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WharfLifecycleDocument) doc = NULL;
  g_autofree char *text = NULL;
  GtkTextIter start, end;
  int line = 0, column = 0;

  if (self->syncing)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag_by_name (buffer, "error", &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  doc = wharf_lifecycle_document_parse (text, &line, &column, &error);
  if (doc == NULL)
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
  if (wharf_lifecycle_document_equal (doc, self->draft))
    {
      update_actions (self);
      return;
    }
  g_clear_pointer (&self->draft, wharf_lifecycle_document_free);
  self->draft = g_steal_pointer (&doc);
  wharf_lifecycle_editor_draft_changed (self, TRUE, FALSE);
}

/* Whether the draft may be sent; otherwise says why and shows where. */
static gboolean
check_before_sending (WharfLifecycleEditor *self)
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
                    _("ECR would refuse this policy: fix the problems marked in the rules, then try again."));
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
  WharfLifecycleEditor *self = user_data;
  g_autoptr(WharfLifecyclePolicy) policy = NULL;
  g_autoptr(GError) error = NULL;

  policy = wharf_ecr_client_get_lifecycle_policy_finish (WHARF_ECR_CLIENT (object), result, &error);
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

  if (policy == NULL)
    {
      set_draft (self, wharf_lifecycle_document_new ());
      return;
    }

  {
    g_autoptr(GError) parse_error = NULL;
    WharfLifecycleDocument *doc = wharf_lifecycle_document_parse (policy->text, NULL, NULL, &parse_error);

    if (doc != NULL)
      {
        set_draft (self, doc);
        /* ECR's text as Wharf would write it, so that an unchanged draft is not "unsaved". */
        self->saved_text = draft_text (self);
        update_actions (self);
        return;
      }

    /* A policy the form cannot show: keep its text, as ECR has it, in the JSON view. */
    self->saved_text = g_strdup (policy->text);
    set_draft (self, wharf_lifecycle_document_new ());
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->json_view), policy->text, -1);
    gtk_stack_set_visible_child_name (self->mode_stack, "json");
  }
}

static void
load (WharfLifecycleEditor *self)
{
  if (self->repository == NULL || self->client == NULL)
    return;
  gtk_stack_set_visible_child_name (self->state_stack, "loading");
  gtk_spinner_start (self->loading_spinner);
  wharf_ecr_client_get_lifecycle_policy_async (self->client,
                                               wharf_repository_get_name (self->repository),
                                               self->cancellable, load_cb, self);
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
  if (repository != NULL && self->repository != NULL && client == self->client &&
      g_strcmp0 (wharf_repository_get_name (repository), wharf_repository_get_name (self->repository)) == 0)
    {
      g_set_object (&self->repository, repository);
      return;
    }

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  reset_preview (self);

  g_set_object (&self->client, client);
  g_set_object (&self->repository, repository);
  g_clear_pointer (&self->saved_text, g_free);
  g_clear_pointer (&self->undo_draft, wharf_lifecycle_document_free);
  self->busy = FALSE;
  hide_message (self);
  gtk_stack_set_visible_child_name (self->mode_stack, "form");
  set_draft (self, wharf_lifecycle_document_new ());
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

  rule->priority = wharf_lifecycle_document_next_priority (self->draft);
  wharf_lifecycle_rule_set_select (rule, WHARF_LIFECYCLE_SELECT_UNTAGGED, NULL);
  g_free (rule->count_type);
  rule->count_type = g_strdup ("sinceImagePushed");
  rule->count_unit = g_strdup ("days");
  rule->count_number = 14;
  wharf_lifecycle_document_add_rule (self->draft, rule);
  gtk_stack_set_visible_child_name (self->mode_stack, "form");
  wharf_lifecycle_editor_draft_changed (self, TRUE, TRUE);
  if (self->rows->len > 0)
    gtk_widget_grab_focus (g_ptr_array_index (self->rows, self->rows->len - 1));
}

static void
apply_template_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  WharfLifecycleEditor *self = WHARF_LIFECYCLE_EDITOR (widget);
  int template_id = g_variant_get_int32 (parameter);
  gint64 count = template_id == WHARF_LIFECYCLE_TEMPLATE_EXPIRE_UNTAGGED ? 14 : 10;
  gboolean had_rules = wharf_lifecycle_document_get_n_rules (self->draft) > 0;

  if (template_id < WHARF_LIFECYCLE_TEMPLATE_KEEP_LAST || template_id > WHARF_LIFECYCLE_TEMPLATE_KEEP_RELEASES)
    return;

  g_clear_pointer (&self->undo_draft, wharf_lifecycle_document_free);
  if (had_rules)
    self->undo_draft = wharf_lifecycle_document_copy (self->draft);
  gtk_stack_set_visible_child_name (self->mode_stack, "form");
  set_draft (self, wharf_lifecycle_document_new_from_template (template_id, count));

  if (had_rules)
    {
      AdwToast *t = adw_toast_new (_("The template replaced the rules"));

      adw_toast_set_button_label (t, _("_Undo"));
      adw_toast_set_action_name (t, "lifecycle.undo-template");
      adw_toast_overlay_add_toast (self->toast_overlay, t);
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
  set_draft (self, g_steal_pointer (&self->undo_draft));
}

static void
show_json_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  gtk_stack_set_visible_child_name (WHARF_LIFECYCLE_EDITOR (widget)->mode_stack, "json");
}

/* Save */

static void
put_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data);

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WharfLifecycleEditor *self = WHARF_LIFECYCLE_EDITOR (widget);
  g_autofree char *text = NULL;

  if (self->repository == NULL || !check_before_sending (self))
    return;

  text = draft_text (self);
  self->busy = TRUE;
  update_actions (self);
  wharf_ecr_client_put_lifecycle_policy_async (self->client,
                                               wharf_repository_get_name (self->repository),
                                               text, self->cancellable, put_done_cb, self);
}

static void
put_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  WharfLifecycleEditor *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  wharf_ecr_client_put_lifecycle_policy_finish (WHARF_ECR_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->busy = FALSE;
  if (error != NULL)
    {
      if (is_credentials_error (error))
        /* Translators: %s is the AWS error message */
        message = g_strdup_printf (_("ECR did not accept the account’s credentials: %s"), error->message);
      else
        /* Translators: %s is the AWS error message; the draft stays in the editor */
        message = g_strdup_printf (_("ECR refused the policy; your draft is kept. %s"), error->message);
      show_message (self, "error", message);
      update_actions (self);
      return;
    }

  g_free (self->saved_text);
  self->saved_text = draft_text (self);
  hide_message (self);
  update_actions (self);
  toast (self, _("Lifecycle policy saved"));
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
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->busy = FALSE;
  if (error != NULL && !g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_NOT_FOUND))
    {
      /* Translators: %s is the AWS error message */
      g_autofree char *message = g_strdup_printf (_("Could not delete the lifecycle policy: %s"),
                                                  error->message);

      show_message (self, "error", message);
      update_actions (self);
      return;
    }

  g_clear_pointer (&self->saved_text, g_free);
  update_actions (self);
  toast (self, _("Lifecycle policy deleted; the draft stays here"));
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  WharfLifecycleEditor *self = user_data;

  if (g_strcmp0 (response, "delete") != 0 || self->repository == NULL || self->busy)
    return;

  self->busy = TRUE;
  update_actions (self);
  wharf_ecr_client_delete_lifecycle_policy_async (self->client,
                                                  wharf_repository_get_name (self->repository),
                                                  self->cancellable, delete_done_cb, self);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WharfLifecycleEditor *self = WHARF_LIFECYCLE_EDITOR (widget);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (self->repository == NULL || self->saved_text == NULL)
    return;

  body = g_strdup_printf (/* Translators: %s is a repository name */
                          _("ECR stops expiring images in “%s”. Images that the policy would have expired stay, and keep costing storage."),
                          wharf_repository_get_name (self->repository));
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("Delete the Lifecycle Policy?"), body);
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
      update_actions (self);
      return;
    }

  n = g_list_model_get_n_items (results);
  gtk_list_box_bind_model (self->preview_list, results, create_preview_row, self, NULL);
  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u image would expire",
                                          "%u images would expire", n), n);
  gtk_label_set_text (self->preview_summary, summary);
  gtk_stack_set_visible_child_name (self->preview_stack, n > 0 ? "results" : "empty");
  update_actions (self);
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
      update_actions (self);
      return;
    }

  wharf_ecr_client_get_lifecycle_policy_preview_async (self->client,
                                                       wharf_repository_get_name (self->repository),
                                                       PREVIEW_POLL_MS, self->preview_cancellable,
                                                       preview_done_cb, self);
}

static void
preview_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  WharfLifecycleEditor *self = WHARF_LIFECYCLE_EDITOR (widget);

  if (self->repository == NULL || self->preview_cancellable != NULL || !check_before_sending (self))
    return;

  g_free (self->preview_text);
  self->preview_text = draft_text (self);
  g_clear_pointer (&self->preview_draft, wharf_lifecycle_document_free);
  self->preview_draft = wharf_lifecycle_document_copy (self->draft);

  /* Cancelled by the person (Cancel), by another repository (reset_preview) or dispose. */
  self->preview_cancellable = g_cancellable_new ();

  gtk_list_box_bind_model (self->preview_list, NULL, NULL, NULL, NULL);
  gtk_widget_set_visible (self->preview_stale_label, FALSE);
  gtk_spinner_start (self->preview_spinner);
  gtk_stack_set_visible_child_name (self->preview_stack, "running");
  update_actions (self);

  wharf_ecr_client_start_lifecycle_policy_preview_async (self->client,
                                                         wharf_repository_get_name (self->repository),
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
  update_actions (self);
}

/* ---- GObject ---- */

static void
wharf_lifecycle_editor_dispose (GObject *object)
{
  WharfLifecycleEditor *self = WHARF_LIFECYCLE_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  if (self->preview_cancellable != NULL)
    g_cancellable_cancel (self->preview_cancellable);
  /* AdwBin would unparent its child again after the template did. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), WHARF_TYPE_LIFECYCLE_EDITOR);
  g_clear_object (&self->preview_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->repository);

  G_OBJECT_CLASS (wharf_lifecycle_editor_parent_class)->dispose (object);
}

static void
wharf_lifecycle_editor_finalize (GObject *object)
{
  WharfLifecycleEditor *self = WHARF_LIFECYCLE_EDITOR (object);

  g_clear_pointer (&self->draft, wharf_lifecycle_document_free);
  g_clear_pointer (&self->undo_draft, wharf_lifecycle_document_free);
  g_clear_pointer (&self->preview_draft, wharf_lifecycle_document_free);
  g_clear_pointer (&self->saved_text, g_free);
  g_clear_pointer (&self->preview_text, g_free);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

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
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleEditor, state_stack);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleEditor, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleEditor, load_error_page);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleEditor, status_label);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleEditor, message_revealer);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleEditor, message_box);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleEditor, message_icon);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleEditor, message_label);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleEditor, mode_stack);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleEditor, rules_box);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleEditor, empty_page);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleEditor, intro_group);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleEditor, json_view);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleEditor, json_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleEditor, json_error_label);
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
wharf_lifecycle_editor_init (WharfLifecycleEditor *self)
{
  GtkTextBuffer *buffer;

  load_css ();
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();
  self->draft = wharf_lifecycle_document_new ();

  buffer = gtk_text_view_get_buffer (self->json_view);
  gtk_text_buffer_create_tag (buffer, "error", "underline", PANGO_UNDERLINE_ERROR, NULL);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (json_changed_cb), self, G_CONNECT_SWAPPED);

  gtk_stack_set_visible_child_name (self->state_stack, "loading");
  wharf_lifecycle_editor_draft_changed (self, TRUE, TRUE);
}
