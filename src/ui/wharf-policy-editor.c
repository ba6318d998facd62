/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-policy-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-policy-editor-private.h"

#include "wharf-policy-private.h"

/* ---- Template and lifetime ---- */

void
wharf_policy_editor_class_bind_template (GtkWidgetClass *widget_class,
                                         gsize           offset,
                                         const char     *rows_box_id)
{
  static const struct { const char *id; gsize member; } children[] = {
    { "toast_overlay", G_STRUCT_OFFSET (WharfPolicyEditor, toast_overlay) },
    { "state_stack", G_STRUCT_OFFSET (WharfPolicyEditor, state_stack) },
    { "loading_spinner", G_STRUCT_OFFSET (WharfPolicyEditor, loading_spinner) },
    { "load_error_page", G_STRUCT_OFFSET (WharfPolicyEditor, load_error_page) },
    { "status_label", G_STRUCT_OFFSET (WharfPolicyEditor, status_label) },
    { "message_revealer", G_STRUCT_OFFSET (WharfPolicyEditor, message_revealer) },
    { "message_box", G_STRUCT_OFFSET (WharfPolicyEditor, message_box) },
    { "message_icon", G_STRUCT_OFFSET (WharfPolicyEditor, message_icon) },
    { "message_label", G_STRUCT_OFFSET (WharfPolicyEditor, message_label) },
    { "mode_stack", G_STRUCT_OFFSET (WharfPolicyEditor, mode_stack) },
    { "empty_page", G_STRUCT_OFFSET (WharfPolicyEditor, empty_page) },
    { "intro_group", G_STRUCT_OFFSET (WharfPolicyEditor, intro_group) },
    { "json_view", G_STRUCT_OFFSET (WharfPolicyEditor, json_view) },
    { "json_error_revealer", G_STRUCT_OFFSET (WharfPolicyEditor, json_error_revealer) },
    { "json_error_label", G_STRUCT_OFFSET (WharfPolicyEditor, json_error_label) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (children); i++)
    gtk_widget_class_bind_template_child_full (widget_class, children[i].id, FALSE,
                                               offset + children[i].member);
  gtk_widget_class_bind_template_child_full (widget_class, rows_box_id, FALSE,
                                             offset + G_STRUCT_OFFSET (WharfPolicyEditor,
                                                                       rows_box));
}

void
wharf_policy_editor_class_add_signals (GtkWidgetClass *widget_class)
{
  g_signal_new ("repository-gone", G_TYPE_FROM_CLASS (widget_class), G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void json_changed_cb (WharfPolicyEditor *self,
                             GtkTextBuffer     *buffer);

void
wharf_policy_editor_init (WharfPolicyEditor          *self,
                          GtkWidget                  *widget,
                          const WharfPolicyEditorOps *ops)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->json_view);

  self->widget = widget;
  self->ops = ops;
  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();
  self->draft = ops->draft_new ();

  gtk_text_buffer_create_tag (buffer, "error", "underline", PANGO_UNDERLINE_ERROR, NULL);
  /* The buffer and the rows live inside the editor, so @self outlives their signals. */
  g_signal_connect_swapped (buffer, "changed", G_CALLBACK (json_changed_cb), self);

  gtk_stack_set_visible_child_name (self->state_stack, "loading");
  wharf_policy_editor_draft_changed (self, TRUE, TRUE);
}

void
wharf_policy_editor_dispose (WharfPolicyEditor *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->repository);
}

void
wharf_policy_editor_finalize (WharfPolicyEditor *self)
{
  g_clear_pointer (&self->draft, self->ops->draft_free);
  g_clear_pointer (&self->saved_text, g_free);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
}

/* ---- Messages ---- */

void
wharf_policy_editor_show_message (WharfPolicyEditor *self,
                                  const char        *style,
                                  const char        *text)
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

void
wharf_policy_editor_show_error (WharfPolicyEditor *self,
                                const char        *format,
                                ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  wharf_policy_editor_show_message (self, "error", text);
}

void
wharf_policy_editor_hide_message (WharfPolicyEditor *self)
{
  gtk_revealer_set_reveal_child (self->message_revealer, FALSE);
}

void
wharf_policy_editor_toast (WharfPolicyEditor *self,
                           const char        *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* ---- State ---- */

char *
wharf_policy_editor_draft_text (WharfPolicyEditor *self)
{
  return self->ops->draft_to_json (self->draft);
}

void
wharf_policy_editor_update_actions (WharfPolicyEditor *self)
{
  gboolean have_repo = self->repository != NULL && self->client != NULL;
  g_autofree char *text = wharf_policy_editor_draft_text (self);
  g_autofree char *save = g_strconcat (self->ops->action_prefix, ".save", NULL);
  g_autofree char *delete = g_strconcat (self->ops->action_prefix, ".delete", NULL);
  gboolean dirty = self->json_invalid || g_strcmp0 (text, self->saved_text) != 0;
  gboolean empty = self->ops->draft_n_items (self->draft) == 0;

  gtk_widget_action_set_enabled (self->widget, save, have_repo && !self->busy && dirty && !empty);
  gtk_widget_action_set_enabled (self->widget, delete,
                                 have_repo && !self->busy && self->saved_text != NULL);

  if (self->busy)
    gtk_label_set_text (self->status_label, _("Talking to ECR…"));
  else if (self->saved_text == NULL)
    gtk_label_set_text (self->status_label,
                        empty ? _(self->ops->no_policy) : _("Draft, not saved yet"));
  else if (dirty)
    gtk_label_set_text (self->status_label, _("Unsaved changes"));
  else
    gtk_label_set_text (self->status_label, _("Saved in ECR"));

  if (self->ops->update_actions != NULL)
    self->ops->update_actions (self->widget, text, empty);
}

static void
validate (WharfPolicyEditor *self)
{
  g_autoptr(GPtrArray) problems = self->ops->draft_validate (self->draft);
  guint n = self->ops->draft_n_items (self->draft);

  for (guint i = 0; i < self->rows->len; i++)
    {
      self->ops->row_show (self->draft, self->rows->pdata[i], i);
      self->ops->row_clear_problems (self->rows->pdata[i]);
    }
  for (guint i = 0; i < problems->len; i++)
    {
      WharfPolicyProblem *p = problems->pdata[i];

      if (p->index >= 0 && (guint) p->index < self->rows->len)
        self->ops->row_add_problem (self->rows->pdata[p->index], p->field, p->message,
                                    p->is_warning);
    }
  self->problems_ok = wharf_policy_problems_ok (problems);
  gtk_widget_set_visible (self->empty_page, n == 0);
  gtk_widget_set_visible (self->intro_group, n > 0);
}

static void
row_changed_cb (WharfPolicyEditor *self,
                GtkWidget         *row)
{
  guint index;

  if (!g_ptr_array_find (self->rows, row, &index))
    return;
  self->ops->row_store (self->draft, row, index);
  wharf_policy_editor_draft_changed (self, FALSE, TRUE);
}

static void
row_remove_requested_cb (WharfPolicyEditor *self,
                         GtkWidget         *row)
{
  guint index;

  if (!g_ptr_array_find (self->rows, row, &index))
    return;
  self->ops->draft_remove_item (self->draft, index);
  wharf_policy_editor_draft_changed (self, TRUE, TRUE);
}

static void
rebuild_rows (WharfPolicyEditor *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->rows_box))) != NULL)
    gtk_box_remove (self->rows_box, child);
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; i < self->ops->draft_n_items (self->draft); i++)
    {
      GtkWidget *row = self->ops->row_new ();

      g_signal_connect_swapped (row, "changed", G_CALLBACK (row_changed_cb), self);
      g_signal_connect_swapped (row, "remove-requested",
                                G_CALLBACK (row_remove_requested_cb), self);
      gtk_box_append (self->rows_box, row);
      g_ptr_array_add (self->rows, row);
    }
}

static void
write_json (WharfPolicyEditor *self)
{
  g_autofree char *text = wharf_policy_editor_draft_text (self);

  self->syncing = TRUE;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->json_view), text, -1);
  self->syncing = FALSE;
  self->json_invalid = FALSE;
  gtk_revealer_set_reveal_child (self->json_error_revealer, FALSE);
}

void
wharf_policy_editor_draft_changed (WharfPolicyEditor *self,
                                   gboolean           rebuild,
                                   gboolean           rewrite_json)
{
  if (rebuild)
    rebuild_rows (self);
  if (rewrite_json)
    write_json (self);
  validate (self);
  wharf_policy_editor_update_actions (self);
}

void
wharf_policy_editor_set_draft (WharfPolicyEditor *self,
                               gpointer           draft)
{
  g_clear_pointer (&self->draft, self->ops->draft_free);
  self->draft = draft;
  wharf_policy_editor_draft_changed (self, TRUE, TRUE);
}

/* Says what is wrong with the JSON, under the view and to screen readers, and underlines
 * the line of the mistake. */
static void
show_json_error (WharfPolicyEditor *self,
                 GtkTextBuffer     *buffer,
                 const char        *message,
                 int                line)
{
  self->json_invalid = TRUE;
  gtk_label_set_text (self->json_error_label, message);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->json_view),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
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
}

static void
json_changed_cb (WharfPolicyEditor *self,
                 GtkTextBuffer     *buffer)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GtkTextIter start, end;
  int line = 0, column = 0;
  gpointer draft;

  if (self->syncing)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag_by_name (buffer, "error", &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  draft = self->ops->draft_parse (text, &line, &column, &error);
  if (draft == NULL)
    {
      show_json_error (self, buffer, error->message, line);
      wharf_policy_editor_update_actions (self);
      return;
    }

  self->json_invalid = FALSE;
  gtk_revealer_set_reveal_child (self->json_error_revealer, FALSE);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->json_view),
                                 GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  if (self->ops->draft_equal (draft, self->draft))
    {
      self->ops->draft_free (draft);
      wharf_policy_editor_update_actions (self);
      return;
    }
  g_clear_pointer (&self->draft, self->ops->draft_free);
  self->draft = draft;
  wharf_policy_editor_draft_changed (self, TRUE, FALSE);
}

gboolean
wharf_policy_editor_check_before_sending (WharfPolicyEditor *self)
{
  if (self->json_invalid)
    {
      gtk_stack_set_visible_child_name (self->mode_stack, "json");
      wharf_policy_editor_show_error (self,
                                      /* Translators: %s is a JSON syntax error with its line
                                       * and column */
                                      _("The JSON has a mistake, so nothing was sent: %s"),
                                      gtk_label_get_text (self->json_error_label));
      return FALSE;
    }
  if (!self->problems_ok)
    {
      gtk_stack_set_visible_child_name (self->mode_stack, "form");
      wharf_policy_editor_show_message (self, "error", _(self->ops->fix_problems));
      return FALSE;
    }
  wharf_policy_editor_hide_message (self);
  return TRUE;
}

/* ---- Loading ---- */

gboolean
wharf_policy_editor_switch_repository (WharfPolicyEditor *self,
                                       WharfEcrClient    *client,
                                       WharfRepository   *repository)
{
  if (repository != NULL && self->repository != NULL && client == self->client &&
      g_strcmp0 (wharf_repository_get_name (repository),
                 wharf_repository_get_name (self->repository)) == 0)
    {
      g_set_object (&self->repository, repository);
      return FALSE;
    }

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_set_object (&self->client, client);
  g_set_object (&self->repository, repository);
  g_clear_pointer (&self->saved_text, g_free);
  self->busy = FALSE;
  wharf_policy_editor_hide_message (self);
  gtk_stack_set_visible_child_name (self->mode_stack, "form");
  return TRUE;
}

/* A missing policy is NOT_FOUND too: only the AWS code tells a missing repository. */
gboolean
wharf_policy_editor_repository_gone (WharfPolicyEditor *self,
                                     const GError      *error)
{
  if (error == NULL ||
      g_strcmp0 (wharf_aws_error_get_aws_code (error), "RepositoryNotFoundException") != 0)
    return FALSE;

  self->busy = FALSE;
  gtk_spinner_stop (self->loading_spinner);
  wharf_policy_editor_update_actions (self);
  /* The page may clear this editor's repository from a handler: nothing after this. */
  g_signal_emit_by_name (self->widget, "repository-gone");
  return TRUE;
}

gboolean
wharf_policy_editor_begin_load (WharfPolicyEditor *self)
{
  if (self->repository == NULL || self->client == NULL)
    return FALSE;
  gtk_stack_set_visible_child_name (self->state_stack, "loading");
  gtk_spinner_start (self->loading_spinner);
  return TRUE;
}

gboolean
wharf_policy_editor_finish_load (WharfPolicyEditor  *self,
                                 const char         *text,
                                 const GError       *error,
                                 GError            **parse_error)
{
  gpointer draft;

  if (wharf_policy_editor_repository_gone (self, error))
    return TRUE;

  gtk_spinner_stop (self->loading_spinner);
  if (error != NULL && !g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_NOT_FOUND))
    {
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);

      adw_status_page_set_description (self->load_error_page, escaped);
      gtk_stack_set_visible_child_name (self->state_stack, "error");
      return TRUE;
    }

  g_clear_pointer (&self->saved_text, g_free);
  wharf_policy_editor_hide_message (self);
  gtk_stack_set_visible_child_name (self->state_stack, "editor");

  if (error != NULL || text == NULL)
    {
      wharf_policy_editor_set_draft (self, self->ops->draft_new ());
      return TRUE;
    }

  draft = self->ops->draft_parse (text, NULL, NULL, parse_error);
  if (draft != NULL)
    {
      wharf_policy_editor_set_draft (self, draft);
      /* ECR's text as Wharf would write it, so that an unchanged draft is not "unsaved". */
      self->saved_text = wharf_policy_editor_draft_text (self);
      wharf_policy_editor_update_actions (self);
      return TRUE;
    }

  /* A policy the form cannot show: keep its text, as ECR has it, in the JSON view. */
  self->saved_text = g_strdup (text);
  wharf_policy_editor_set_draft (self, self->ops->draft_new ());
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->json_view), text, -1);
  gtk_stack_set_visible_child_name (self->mode_stack, "json");
  return FALSE;
}

/* ---- Save and delete ---- */

char *
wharf_policy_editor_begin_save (WharfPolicyEditor *self)
{
  char *text;

  if (self->repository == NULL || !wharf_policy_editor_check_before_sending (self))
    return NULL;
  text = wharf_policy_editor_draft_text (self);
  self->busy = TRUE;
  wharf_policy_editor_update_actions (self);
  return text;
}

gboolean
wharf_policy_editor_finish_save (WharfPolicyEditor *self,
                                 const GError      *error)
{
  if (wharf_policy_editor_repository_gone (self, error))
    return FALSE;

  self->busy = FALSE;
  if (error != NULL)
    {
      if (g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_EXPIRED_CREDENTIALS) ||
          g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_CREDENTIALS))
        /* Translators: %s is the AWS error message */
        wharf_policy_editor_show_error (self,
                                        _("ECR did not accept the account’s credentials: %s"),
                                        error->message);
      else
        /* Translators: %s is the AWS error message; the draft stays in the editor */
        wharf_policy_editor_show_error (self, _("ECR refused the policy; your draft is kept. %s"),
                                        error->message);
      wharf_policy_editor_update_actions (self);
      return FALSE;
    }

  g_free (self->saved_text);
  self->saved_text = wharf_policy_editor_draft_text (self);
  wharf_policy_editor_hide_message (self);
  wharf_policy_editor_update_actions (self);
  return TRUE;
}

void
wharf_policy_editor_confirm_delete (WharfPolicyEditor *self,
                                    const char        *heading,
                                    const char        *body,
                                    GCallback          response_cb)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (self->widget)),
                                              heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", response_cb, self->widget, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
wharf_policy_editor_begin_delete (WharfPolicyEditor *self,
                                  const char        *response)
{
  if (g_strcmp0 (response, "delete") != 0 || self->repository == NULL || self->busy)
    return FALSE;
  self->busy = TRUE;
  wharf_policy_editor_update_actions (self);
  return TRUE;
}

gboolean
wharf_policy_editor_finish_delete (WharfPolicyEditor *self,
                                   const GError      *error)
{
  self->busy = FALSE;
  if (error != NULL && !g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_NOT_FOUND))
    {
      wharf_policy_editor_update_actions (self);
      return FALSE;
    }
  g_clear_pointer (&self->saved_text, g_free);
  wharf_policy_editor_update_actions (self);
  return TRUE;
}

/* ---- Rows ---- */

void
wharf_policy_row_class_add_signals (GType type,
                                    guint signals[2])
{
  signals[0] = g_signal_new ("changed", type, G_SIGNAL_RUN_LAST,
                             0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[1] = g_signal_new ("remove-requested", type, G_SIGNAL_RUN_LAST,
                             0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

char **
wharf_policy_row_split_list (const char *text,
                             const char *separators)
{
  g_auto(GStrv) parts = g_strsplit_set (text, separators, -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (parts[i][0] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }
  return g_strv_builder_end (builder);
}

static void
set_subtitle (GtkWidget  *row,
              const char *text)
{
  if (ADW_IS_EXPANDER_ROW (row))
    adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), text ? text : "");
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
}

void
wharf_policy_row_reset (GtkWidget  *row,
                        const char *subtitle)
{
  set_subtitle (row, subtitle);
  gtk_widget_remove_css_class (row, "wharf-problem");
  gtk_widget_remove_css_class (row, "wharf-warning");
}

void
wharf_policy_row_reset_control (GtkWidget *control)
{
  gtk_widget_remove_css_class (control, "error");
  gtk_widget_remove_css_class (control, "warning");
  gtk_accessible_reset_property (GTK_ACCESSIBLE (control), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  gtk_accessible_reset_state (GTK_ACCESSIBLE (control), GTK_ACCESSIBLE_STATE_INVALID);
}

void
wharf_policy_row_mark_problem (GtkWidget  *row,
                               GtkWidget  *control,
                               const char *message,
                               gboolean    is_warning)
{
  if (gtk_widget_has_css_class (row, "wharf-problem"))
    return;
  gtk_widget_remove_css_class (row, "wharf-warning");
  set_subtitle (row, message);
  gtk_widget_add_css_class (row, is_warning ? "wharf-warning" : "wharf-problem");
  if (control != NULL)
    {
      gtk_widget_add_css_class (control, is_warning ? "warning" : "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (control),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
      if (!is_warning)
        gtk_accessible_update_state (GTK_ACCESSIBLE (control),
                                     GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
}
