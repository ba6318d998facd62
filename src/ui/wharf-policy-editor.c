/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-policy-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-policy-editor-private.h"

#include "wharf-policy.h"
#include "wharf-problem-host.h"

typedef struct
{
  WharfEcrClient  *client;
  WharfRepository *repository;
  GCancellable    *cancellable;      /* this repository's work */

  gpointer         draft;            /* of class->draft_type */
  char            *saved_text;       /* on ECR; NULL when there is none */
  GPtrArray       *rows;             /* WharfPolicyRow, in draft order */
  gboolean         json_invalid;
  gboolean         problems_ok;
  gboolean         busy;             /* a save or delete is on its way */
  gboolean         syncing;

  /* Template children of the subclass, bound by wharf_policy_editor_class_bind_template(). */
  AdwToastOverlay *toast_overlay;
  GtkStack        *state_stack;
  GtkSpinner      *loading_spinner;
  AdwStatusPage   *load_error_page;
  GtkLabel        *status_label;
  GtkRevealer     *message_revealer;
  GtkWidget       *message_box;
  GtkImage        *message_icon;
  GtkLabel        *message_label;
  GtkStack        *mode_stack;
  GtkBox          *rows_box;
  GtkWidget       *empty_page;
  GtkWidget       *intro_group;
  GtkTextView     *json_view;
  GtkRevealer     *json_error_revealer;
  GtkLabel        *json_error_label;

  /* Explanations of refusals, added under the load error and the message on first use. */
  WharfProblemView *load_problem;
  WharfProblemView *message_problem;
} WharfPolicyEditorPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (WharfPolicyEditor, wharf_policy_editor, ADW_TYPE_BIN)

enum {
  REPOSITORY_GONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define GET_PRIV(self) \
  ((WharfPolicyEditorPrivate *) wharf_policy_editor_get_instance_private (self))

/* ---- Accessors ---- */

WharfEcrClient *
wharf_policy_editor_get_client (WharfPolicyEditor *self)
{
  g_return_val_if_fail (WHARF_IS_POLICY_EDITOR (self), NULL);

  return GET_PRIV (self)->client;
}

WharfRepository *
wharf_policy_editor_get_repository (WharfPolicyEditor *self)
{
  g_return_val_if_fail (WHARF_IS_POLICY_EDITOR (self), NULL);

  return GET_PRIV (self)->repository;
}

const char *
wharf_policy_editor_get_repository_name (WharfPolicyEditor *self)
{
  WharfPolicyEditorPrivate *priv = GET_PRIV (self);

  g_return_val_if_fail (WHARF_IS_POLICY_EDITOR (self), NULL);

  return priv->repository != NULL ? wharf_repository_get_name (priv->repository) : NULL;
}

gboolean
wharf_policy_editor_is_busy (WharfPolicyEditor *self)
{
  g_return_val_if_fail (WHARF_IS_POLICY_EDITOR (self), FALSE);

  return GET_PRIV (self)->busy;
}

gpointer
wharf_policy_editor_get_draft (WharfPolicyEditor *self)
{
  g_return_val_if_fail (WHARF_IS_POLICY_EDITOR (self), NULL);

  return GET_PRIV (self)->draft;
}

static void
free_draft (WharfPolicyEditor *self)
{
  WharfPolicyEditorPrivate *priv = GET_PRIV (self);

  if (priv->draft != NULL)
    g_boxed_free (WHARF_POLICY_EDITOR_GET_CLASS (self)->draft_type, g_steal_pointer (&priv->draft));
}

/* ---- Messages ---- */

/* @style: "error", "warning" or "info". */
static void
show_message (WharfPolicyEditor *self,
              const char        *style,
              const char        *text)
{
  WharfPolicyEditorPrivate *priv = GET_PRIV (self);

  gtk_widget_remove_css_class (priv->message_box, "error");
  gtk_widget_remove_css_class (priv->message_box, "warning");
  gtk_widget_remove_css_class (priv->message_box, "info");
  gtk_widget_add_css_class (priv->message_box, style);
  gtk_image_set_from_icon_name (priv->message_icon,
                                g_str_equal (style, "error") ? "dialog-error-symbolic"
                                : g_str_equal (style, "warning") ? "dialog-warning-symbolic"
                                : "dialog-information-symbolic");
  gtk_label_set_text (priv->message_label, text);
  /* Only a refusal is explained (show_message_problem()). */
  if (priv->message_problem != NULL)
    wharf_problem_view_set_explanation (priv->message_problem, NULL);
  gtk_revealer_set_reveal_child (priv->message_revealer, TRUE);
}

G_GNUC_PRINTF (2, 3)
static void
show_error (WharfPolicyEditor *self,
            const char        *format,
            ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  show_message (self, "error", text);
}

static void
hide_message (WharfPolicyEditor *self)
{
  WharfPolicyEditorPrivate *priv = GET_PRIV (self);

  gtk_revealer_set_reveal_child (priv->message_revealer, FALSE);
  if (priv->message_problem != NULL)
    wharf_problem_view_set_explanation (priv->message_problem, NULL);
}

static const char *
repository_name (WharfPolicyEditor *self)
{
  WharfRepository *repository = GET_PRIV (self)->repository;

  return repository != NULL ? wharf_repository_get_name (repository) : NULL;
}

static const char *
repository_kms_key (WharfPolicyEditor *self)
{
  WharfRepository *repository = GET_PRIV (self)->repository;

  return repository != NULL ? wharf_repository_get_kms_key (repository) : NULL;
}

/* The subclasses' templates share the load error page: its explanation goes above its
 * button. */
static void
show_load_problem (WharfPolicyEditor *self,
                   const GError      *error)
{
  WharfPolicyEditorPrivate *priv = GET_PRIV (self);

  if (priv->load_problem == NULL)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
      GtkWidget *child = adw_status_page_get_child (priv->load_error_page);

      if (child != NULL)
        {
          g_object_ref (child);
          adw_status_page_set_child (priv->load_error_page, NULL);
        }
      priv->load_problem = WHARF_PROBLEM_VIEW (wharf_problem_view_new ());
      wharf_problem_view_connect_fix (priv->load_problem, NULL);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (priv->load_problem));
      if (child != NULL)
        {
          gtk_box_append (GTK_BOX (box), child);
          g_object_unref (child);
        }
      adw_status_page_set_child (priv->load_error_page, box);
    }
  wharf_problem_view_show_error (priv->load_problem, error, repository_name (self),
                                 repository_kms_key (self));
}

/* A refused save or delete: the explanation under the message. */
static void
show_message_problem (WharfPolicyEditor *self,
                      const GError      *error)
{
  WharfPolicyEditorPrivate *priv = GET_PRIV (self);

  if (priv->message_problem == NULL)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

      gtk_widget_set_hexpand (box, TRUE);
      g_object_ref (priv->message_label);
      gtk_box_remove (GTK_BOX (priv->message_box), GTK_WIDGET (priv->message_label));
      gtk_box_insert_child_after (GTK_BOX (priv->message_box), box,
                                  GTK_WIDGET (priv->message_icon));
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (priv->message_label));
      g_object_unref (priv->message_label);
      priv->message_problem = WHARF_PROBLEM_VIEW (wharf_problem_view_new ());
      wharf_problem_view_connect_fix (priv->message_problem, NULL);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (priv->message_problem));
    }
  wharf_problem_view_show_error (priv->message_problem, error, repository_name (self),
                                 repository_kms_key (self));
}

static void
dismiss_message_cb (WharfPolicyEditor *self)
{
  hide_message (self);
}

void
wharf_policy_editor_add_toast (WharfPolicyEditor *self,
                               AdwToast          *toast)
{
  g_return_if_fail (WHARF_IS_POLICY_EDITOR (self));

  adw_toast_overlay_add_toast (GET_PRIV (self)->toast_overlay, toast);
}

void
wharf_policy_editor_toast (WharfPolicyEditor *self,
                           const char        *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 4);
  wharf_policy_editor_add_toast (self, toast);
}

/* ---- State ---- */

char *
wharf_policy_editor_draft_text (WharfPolicyEditor *self)
{
  g_return_val_if_fail (WHARF_IS_POLICY_EDITOR (self), NULL);

  return WHARF_POLICY_EDITOR_GET_CLASS (self)->draft_to_json (GET_PRIV (self)->draft);
}

void
wharf_policy_editor_update_actions (WharfPolicyEditor *self)
{
  WharfPolicyEditorClass *klass = WHARF_POLICY_EDITOR_GET_CLASS (self);
  WharfPolicyEditorPrivate *priv = GET_PRIV (self);
  gboolean have_repo = priv->repository != NULL && priv->client != NULL;
  g_autofree char *text = wharf_policy_editor_draft_text (self);
  g_autofree char *save = g_strconcat (klass->action_prefix, ".save", NULL);
  g_autofree char *delete = g_strconcat (klass->action_prefix, ".delete", NULL);
  gboolean dirty = priv->json_invalid || g_strcmp0 (text, priv->saved_text) != 0;
  gboolean empty = klass->draft_n_items (priv->draft) == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), save,
                                 have_repo && !priv->busy && dirty && !empty);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), delete,
                                 have_repo && !priv->busy && priv->saved_text != NULL);

  if (priv->busy)
    gtk_label_set_text (priv->status_label, _("Talking to ECR…"));
  else if (priv->saved_text == NULL)
    gtk_label_set_text (priv->status_label,
                        empty ? _(klass->no_policy) : _("Draft, not saved yet"));
  else if (dirty)
    gtk_label_set_text (priv->status_label, _("Unsaved changes"));
  else
    gtk_label_set_text (priv->status_label, _("Saved in ECR"));

  if (klass->update_actions != NULL)
    klass->update_actions (self, text, empty);
}

static void
validate (WharfPolicyEditor *self)
{
  WharfPolicyEditorClass *klass = WHARF_POLICY_EDITOR_GET_CLASS (self);
  WharfPolicyEditorPrivate *priv = GET_PRIV (self);
  g_autoptr(GPtrArray) problems = klass->validate (self);
  guint n = klass->draft_n_items (priv->draft);

  for (guint i = 0; i < priv->rows->len; i++)
    {
      klass->show_row (self, priv->rows->pdata[i], i);
      wharf_policy_row_clear_problems (priv->rows->pdata[i]);
    }
  for (guint i = 0; i < problems->len; i++)
    {
      WharfPolicyProblem *p = problems->pdata[i];

      if (p->index >= 0 && (guint) p->index < priv->rows->len)
        wharf_policy_row_add_problem (priv->rows->pdata[p->index], p->field, p->message,
                                      p->is_warning);
    }
  priv->problems_ok = wharf_policy_problems_ok (problems);
  gtk_widget_set_visible (priv->empty_page, n == 0);
  gtk_widget_set_visible (priv->intro_group, n > 0);
}

static void
row_changed_cb (WharfPolicyEditor *self,
                WharfPolicyRow    *row)
{
  WharfPolicyEditorPrivate *priv = GET_PRIV (self);
  guint index;

  if (!g_ptr_array_find (priv->rows, row, &index))
    return;
  WHARF_POLICY_EDITOR_GET_CLASS (self)->draft_set_item (priv->draft, index,
                                                        wharf_policy_row_dup_item (row));
  wharf_policy_editor_draft_changed (self, FALSE, TRUE);
}

static void
row_remove_requested_cb (WharfPolicyEditor *self,
                         WharfPolicyRow    *row)
{
  WharfPolicyEditorPrivate *priv = GET_PRIV (self);
  guint index;

  if (!g_ptr_array_find (priv->rows, row, &index))
    return;
  WHARF_POLICY_EDITOR_GET_CLASS (self)->draft_remove_item (priv->draft, index);
  wharf_policy_editor_draft_changed (self, TRUE, TRUE);
}

static void
rebuild_rows (WharfPolicyEditor *self)
{
  WharfPolicyEditorClass *klass = WHARF_POLICY_EDITOR_GET_CLASS (self);
  WharfPolicyEditorPrivate *priv = GET_PRIV (self);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (priv->rows_box))) != NULL)
    gtk_box_remove (priv->rows_box, child);
  g_ptr_array_set_size (priv->rows, 0);

  for (guint i = 0; i < klass->draft_n_items (priv->draft); i++)
    {
      GtkWidget *row = g_object_new (klass->row_type, NULL);

      /* The rows live inside the editor, so @self outlives their signals. */
      g_signal_connect_swapped (row, "changed", G_CALLBACK (row_changed_cb), self);
      g_signal_connect_swapped (row, "remove-requested",
                                G_CALLBACK (row_remove_requested_cb), self);
      gtk_box_append (priv->rows_box, row);
      g_ptr_array_add (priv->rows, row);
    }
}

static void
write_json (WharfPolicyEditor *self)
{
  WharfPolicyEditorPrivate *priv = GET_PRIV (self);
  g_autofree char *text = wharf_policy_editor_draft_text (self);

  priv->syncing = TRUE;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (priv->json_view), text, -1);
  priv->syncing = FALSE;
  priv->json_invalid = FALSE;
  gtk_revealer_set_reveal_child (priv->json_error_revealer, FALSE);
}

void
wharf_policy_editor_draft_changed (WharfPolicyEditor *self,
                                   gboolean           rebuild,
                                   gboolean           rewrite_json)
{
  g_return_if_fail (WHARF_IS_POLICY_EDITOR (self));

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
  g_return_if_fail (WHARF_IS_POLICY_EDITOR (self));

  free_draft (self);
  GET_PRIV (self)->draft = draft;
  wharf_policy_editor_draft_changed (self, TRUE, TRUE);
}

void
wharf_policy_editor_show_mode (WharfPolicyEditor *self,
                               const char        *mode)
{
  g_return_if_fail (WHARF_IS_POLICY_EDITOR (self));

  gtk_stack_set_visible_child_name (GET_PRIV (self)->mode_stack, mode);
}

void
wharf_policy_editor_item_added (WharfPolicyEditor *self)
{
  WharfPolicyEditorPrivate *priv = GET_PRIV (self);

  g_return_if_fail (WHARF_IS_POLICY_EDITOR (self));

  gtk_stack_set_visible_child_name (priv->mode_stack, "form");
  wharf_policy_editor_draft_changed (self, TRUE, TRUE);
  if (priv->rows->len > 0)
    gtk_widget_grab_focus (g_ptr_array_index (priv->rows, priv->rows->len - 1));
}

/* Says what is wrong with the JSON, under the view and to screen readers, and underlines
 * the line of the mistake. */
static void
show_json_error (WharfPolicyEditor *self,
                 GtkTextBuffer     *buffer,
                 const char        *message,
                 int                line)
{
  WharfPolicyEditorPrivate *priv = GET_PRIV (self);

  priv->json_invalid = TRUE;
  gtk_label_set_text (priv->json_error_label, message);
  gtk_accessible_update_property (GTK_ACCESSIBLE (priv->json_view),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
  gtk_revealer_set_reveal_child (priv->json_error_revealer, TRUE);
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
  WharfPolicyEditorClass *klass = WHARF_POLICY_EDITOR_GET_CLASS (self);
  WharfPolicyEditorPrivate *priv = GET_PRIV (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GtkTextIter start, end;
  int line = 0, column = 0;
  gpointer draft;

  if (priv->syncing)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag_by_name (buffer, "error", &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  draft = klass->draft_parse (text, &line, &column, &error);
  if (draft == NULL)
    {
      show_json_error (self, buffer, error->message, line);
      wharf_policy_editor_update_actions (self);
      return;
    }

  priv->json_invalid = FALSE;
  gtk_revealer_set_reveal_child (priv->json_error_revealer, FALSE);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (priv->json_view),
                                 GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  if (klass->draft_equal (draft, priv->draft))
    {
      g_boxed_free (klass->draft_type, draft);
      wharf_policy_editor_update_actions (self);
      return;
    }
  free_draft (self);
  priv->draft = draft;
  wharf_policy_editor_draft_changed (self, TRUE, FALSE);
}

gboolean
wharf_policy_editor_check_before_sending (WharfPolicyEditor *self)
{
  WharfPolicyEditorPrivate *priv = GET_PRIV (self);

  g_return_val_if_fail (WHARF_IS_POLICY_EDITOR (self), FALSE);

  if (priv->json_invalid)
    {
      gtk_stack_set_visible_child_name (priv->mode_stack, "json");
      show_error (self,
                  /* Translators: %s is a JSON syntax error with its line and column */
                  _("The JSON has a mistake, so nothing was sent: %s"),
                  gtk_label_get_text (priv->json_error_label));
      return FALSE;
    }
  if (!priv->problems_ok)
    {
      gtk_stack_set_visible_child_name (priv->mode_stack, "form");
      show_message (self, "error", _(WHARF_POLICY_EDITOR_GET_CLASS (self)->fix_problems));
      return FALSE;
    }
  hide_message (self);
  return TRUE;
}

/* ---- Loading ---- */

/* A missing policy is NOT_FOUND too: only the AWS code tells a missing repository. TRUE
 * when @error (nullable) says the repository no longer exists: emits "repository-gone",
 * and the editor is no longer busy. */
static gboolean
repository_gone (WharfPolicyEditor *self,
                 const GError      *error)
{
  WharfPolicyEditorPrivate *priv = GET_PRIV (self);

  if (error == NULL ||
      g_strcmp0 (wharf_aws_error_get_aws_code (error), "RepositoryNotFoundException") != 0)
    return FALSE;

  priv->busy = FALSE;
  gtk_spinner_stop (priv->loading_spinner);
  wharf_policy_editor_update_actions (self);
  /* The page may clear this editor's repository from a handler: nothing after this. */
  g_signal_emit (self, signals[REPOSITORY_GONE], 0);
  return TRUE;
}

/* With ECR's answer: @error (not-found is no policy), or @text (NULL: none) in the form.
 * FALSE when the form cannot show @text: it stays, as ECR has it, in the JSON view, and
 * @parse_error says why. */
static gboolean
show_loaded (WharfPolicyEditor  *self,
             const char         *text,
             const GError       *error,
             GError            **parse_error)
{
  WharfPolicyEditorClass *klass = WHARF_POLICY_EDITOR_GET_CLASS (self);
  WharfPolicyEditorPrivate *priv = GET_PRIV (self);
  gpointer draft;

  if (repository_gone (self, error))
    return TRUE;

  gtk_spinner_stop (priv->loading_spinner);
  if (error != NULL && !g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_NOT_FOUND))
    {
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);

      adw_status_page_set_description (priv->load_error_page, escaped);
      show_load_problem (self, error);
      gtk_stack_set_visible_child_name (priv->state_stack, "error");
      return TRUE;
    }

  g_clear_pointer (&priv->saved_text, g_free);
  hide_message (self);
  gtk_stack_set_visible_child_name (priv->state_stack, "editor");

  if (error != NULL || text == NULL)
    {
      wharf_policy_editor_set_draft (self, klass->draft_new ());
      return TRUE;
    }

  draft = klass->draft_parse (text, NULL, NULL, parse_error);
  if (draft != NULL)
    {
      wharf_policy_editor_set_draft (self, draft);
      /* ECR's text as Wharf would write it, so that an unchanged draft is not "unsaved". */
      priv->saved_text = wharf_policy_editor_draft_text (self);
      wharf_policy_editor_update_actions (self);
      return TRUE;
    }

  /* A policy the form cannot show: keep its text, as ECR has it, in the JSON view. */
  priv->saved_text = g_strdup (text);
  wharf_policy_editor_set_draft (self, klass->draft_new ());
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (priv->json_view), text, -1);
  gtk_stack_set_visible_child_name (priv->mode_stack, "json");
  return FALSE;
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  WharfPolicyEditor *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autofree char *text = NULL;

  text = WHARF_POLICY_EDITOR_GET_CLASS (self)->load_finish (self, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* A policy the form cannot show (NotPrincipal, Federated, …) may say why. */
  if (!show_loaded (self, text, error, &parse_error) &&
      WHARF_POLICY_EDITOR_GET_CLASS (self)->explain_unreadable)
    show_message (self, "info", parse_error->message);
}

static void
load (WharfPolicyEditor *self)
{
  WharfPolicyEditorPrivate *priv = GET_PRIV (self);

  if (priv->repository == NULL || priv->client == NULL)
    return;
  gtk_stack_set_visible_child_name (priv->state_stack, "loading");
  gtk_spinner_start (priv->loading_spinner);
  WHARF_POLICY_EDITOR_GET_CLASS (self)->load_async (self, priv->cancellable, load_cb, self);
}

void
wharf_policy_editor_set_repository (WharfPolicyEditor *self,
                                    WharfEcrClient    *client,
                                    WharfRepository   *repository)
{
  WharfPolicyEditorClass *klass = WHARF_POLICY_EDITOR_GET_CLASS (self);
  WharfPolicyEditorPrivate *priv = GET_PRIV (self);

  g_return_if_fail (WHARF_IS_POLICY_EDITOR (self));
  g_return_if_fail (!client || WHARF_IS_ECR_CLIENT (client));
  g_return_if_fail (!repository || WHARF_IS_REPOSITORY (repository));

  /* The same repository again (its settings changed): keep the draft. */
  if (repository != NULL && priv->repository != NULL && client == priv->client &&
      g_strcmp0 (wharf_repository_get_name (repository),
                 wharf_repository_get_name (priv->repository)) == 0)
    {
      g_set_object (&priv->repository, repository);
      return;
    }

  g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  priv->cancellable = g_cancellable_new ();

  g_set_object (&priv->client, client);
  g_set_object (&priv->repository, repository);
  g_clear_pointer (&priv->saved_text, g_free);
  priv->busy = FALSE;
  hide_message (self);
  gtk_stack_set_visible_child_name (priv->mode_stack, "form");

  if (klass->reset != NULL)
    klass->reset (self);
  wharf_policy_editor_set_draft (self, klass->draft_new ());
  load (self);
}

/* ---- Save ---- */

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  WharfPolicyEditor *self = user_data;
  WharfPolicyEditorPrivate *priv = GET_PRIV (self);
  g_autoptr(GError) error = NULL;

  WHARF_POLICY_EDITOR_GET_CLASS (self)->save_finish (self, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || repository_gone (self, error))
    return;

  priv->busy = FALSE;
  if (error != NULL)
    {
      if (g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_EXPIRED_CREDENTIALS) ||
          g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_CREDENTIALS))
        /* Translators: %s is the AWS error message */
        show_error (self, _("ECR did not accept the account’s credentials: %s"), error->message);
      else
        /* Translators: %s is the AWS error message; the draft stays in the editor */
        show_error (self, _("ECR refused the policy; your draft is kept. %s"), error->message);
      show_message_problem (self, error);
      wharf_policy_editor_update_actions (self);
      return;
    }

  g_free (priv->saved_text);
  priv->saved_text = wharf_policy_editor_draft_text (self);
  hide_message (self);
  wharf_policy_editor_update_actions (self);
  wharf_policy_editor_toast (self, _(WHARF_POLICY_EDITOR_GET_CLASS (self)->saved));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WharfPolicyEditor *self = WHARF_POLICY_EDITOR (widget);
  WharfPolicyEditorPrivate *priv = GET_PRIV (self);
  g_autofree char *text = NULL;

  if (priv->repository == NULL || !wharf_policy_editor_check_before_sending (self))
    return;
  text = wharf_policy_editor_draft_text (self);
  priv->busy = TRUE;
  wharf_policy_editor_update_actions (self);
  WHARF_POLICY_EDITOR_GET_CLASS (self)->save_async (self, text, priv->cancellable, save_cb, self);
}

/* ---- Delete ---- */

static void
delete_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  WharfPolicyEditor *self = user_data;
  WharfPolicyEditorClass *klass = WHARF_POLICY_EDITOR_GET_CLASS (self);
  WharfPolicyEditorPrivate *priv = GET_PRIV (self);
  g_autoptr(GError) error = NULL;

  klass->delete_finish (self, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || repository_gone (self, error))
    return;

  priv->busy = FALSE;
  if (error != NULL && !g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_NOT_FOUND))
    {
      g_autofree char *text = klass->describe_delete_failure (self, error);

      wharf_policy_editor_update_actions (self);
      show_message (self, "error", text);
      show_message_problem (self, error);
      return;
    }
  /* Deleted, or already gone. */
  g_clear_pointer (&priv->saved_text, g_free);
  wharf_policy_editor_update_actions (self);
  wharf_policy_editor_toast (self, _(klass->deleted));
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  WharfPolicyEditor *self = user_data;
  WharfPolicyEditorPrivate *priv = GET_PRIV (self);

  if (g_strcmp0 (response, "delete") != 0 || priv->repository == NULL || priv->busy)
    return;
  priv->busy = TRUE;
  wharf_policy_editor_update_actions (self);
  WHARF_POLICY_EDITOR_GET_CLASS (self)->delete_async (self, priv->cancellable, delete_cb, self);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WharfPolicyEditor *self = WHARF_POLICY_EDITOR (widget);
  WharfPolicyEditorClass *klass = WHARF_POLICY_EDITOR_GET_CLASS (self);
  WharfPolicyEditorPrivate *priv = GET_PRIV (self);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (priv->repository == NULL || priv->saved_text == NULL)
    return;

  body = klass->describe_delete (self, wharf_repository_get_name (priv->repository));
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _(klass->delete_heading), body);
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

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  load (WHARF_POLICY_EDITOR (widget));
}

/* ---- Async defaults: a subclass's operations return through a GTask ---- */

static char *
wharf_policy_editor_real_load_finish (WharfPolicyEditor  *self,
                                      GAsyncResult       *result,
                                      GError            **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
wharf_policy_editor_real_boolean_finish (WharfPolicyEditor  *self,
                                         GAsyncResult       *result,
                                         GError            **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

GTask *
wharf_policy_editor_client_task_new (WharfPolicyEditor             *self,
                                     GCancellable                  *cancellable,
                                     GAsyncReadyCallback            callback,
                                     gpointer                       user_data,
                                     WharfPolicyEditorClientFinish  finish)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, (gpointer) finish);
  return task;
}

void
wharf_policy_editor_client_done_cb (GObject      *object,
                                    GAsyncResult *result,
                                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WharfPolicyEditorClientFinish finish;
  GError *error = NULL;

  finish = (WharfPolicyEditorClientFinish) g_task_get_source_tag (task);
  if (finish (WHARF_ECR_CLIENT (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* ---- GObject ---- */

void
wharf_policy_editor_class_bind_template (WharfPolicyEditorClass *klass,
                                         const char             *rows_box_id)
{
  static const struct { const char *id; gssize member; } children[] = {
    { "toast_overlay", G_STRUCT_OFFSET (WharfPolicyEditorPrivate, toast_overlay) },
    { "state_stack", G_STRUCT_OFFSET (WharfPolicyEditorPrivate, state_stack) },
    { "loading_spinner", G_STRUCT_OFFSET (WharfPolicyEditorPrivate, loading_spinner) },
    { "load_error_page", G_STRUCT_OFFSET (WharfPolicyEditorPrivate, load_error_page) },
    { "status_label", G_STRUCT_OFFSET (WharfPolicyEditorPrivate, status_label) },
    { "message_revealer", G_STRUCT_OFFSET (WharfPolicyEditorPrivate, message_revealer) },
    { "message_box", G_STRUCT_OFFSET (WharfPolicyEditorPrivate, message_box) },
    { "message_icon", G_STRUCT_OFFSET (WharfPolicyEditorPrivate, message_icon) },
    { "message_label", G_STRUCT_OFFSET (WharfPolicyEditorPrivate, message_label) },
    { "mode_stack", G_STRUCT_OFFSET (WharfPolicyEditorPrivate, mode_stack) },
    { "empty_page", G_STRUCT_OFFSET (WharfPolicyEditorPrivate, empty_page) },
    { "intro_group", G_STRUCT_OFFSET (WharfPolicyEditorPrivate, intro_group) },
    { "json_view", G_STRUCT_OFFSET (WharfPolicyEditorPrivate, json_view) },
    { "json_error_revealer", G_STRUCT_OFFSET (WharfPolicyEditorPrivate, json_error_revealer) },
    { "json_error_label", G_STRUCT_OFFSET (WharfPolicyEditorPrivate, json_error_label) },
  };
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const char *actions[] = { "save", "delete", "reload" };
  GtkWidgetActionActivateFunc activates[] = { save_action, delete_action, reload_action };

  g_return_if_fail (WHARF_IS_POLICY_EDITOR_CLASS (klass));
  g_return_if_fail (klass->action_prefix != NULL);

  /* The private data of a subclass's instance sits at the same offset as the base's. */
  for (guint i = 0; i < G_N_ELEMENTS (children); i++)
    gtk_widget_class_bind_template_child_full (widget_class, children[i].id, FALSE,
                                               WharfPolicyEditor_private_offset +
                                               children[i].member);
  gtk_widget_class_bind_template_child_full (widget_class, rows_box_id, FALSE,
                                             G_PRIVATE_OFFSET (WharfPolicyEditor, rows_box));
  gtk_widget_class_bind_template_callback (widget_class, dismiss_message_cb);

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_autofree char *name = g_strconcat (klass->action_prefix, ".", actions[i], NULL);

      gtk_widget_class_install_action (widget_class, name, NULL, activates[i]);
    }
}

static void
wharf_policy_editor_constructed (GObject *object)
{
  WharfPolicyEditor *self = WHARF_POLICY_EDITOR (object);
  WharfPolicyEditorPrivate *priv = GET_PRIV (self);
  GtkTextBuffer *buffer;

  G_OBJECT_CLASS (wharf_policy_editor_parent_class)->constructed (object);

  /* The subclass's init has set up its template by now. */
  priv->draft = WHARF_POLICY_EDITOR_GET_CLASS (self)->draft_new ();
  buffer = gtk_text_view_get_buffer (priv->json_view);
  gtk_text_buffer_create_tag (buffer, "error", "underline", PANGO_UNDERLINE_ERROR, NULL);
  /* The buffer lives inside the editor, so @self outlives its signals. */
  g_signal_connect_swapped (buffer, "changed", G_CALLBACK (json_changed_cb), self);

  gtk_stack_set_visible_child_name (priv->state_stack, "loading");
  wharf_policy_editor_draft_changed (self, TRUE, TRUE);
}

static void
wharf_policy_editor_dispose (GObject *object)
{
  WharfPolicyEditorPrivate *priv = GET_PRIV (WHARF_POLICY_EDITOR (object));

  if (priv->cancellable != NULL)
    g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  g_clear_object (&priv->client);
  g_clear_object (&priv->repository);

  G_OBJECT_CLASS (wharf_policy_editor_parent_class)->dispose (object);
}

static void
wharf_policy_editor_finalize (GObject *object)
{
  WharfPolicyEditor *self = WHARF_POLICY_EDITOR (object);
  WharfPolicyEditorPrivate *priv = GET_PRIV (self);

  free_draft (self);
  g_clear_pointer (&priv->saved_text, g_free);
  g_clear_pointer (&priv->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (wharf_policy_editor_parent_class)->finalize (object);
}

static void
wharf_policy_editor_class_init (WharfPolicyEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = wharf_policy_editor_constructed;
  object_class->dispose = wharf_policy_editor_dispose;
  object_class->finalize = wharf_policy_editor_finalize;

  klass->load_finish = wharf_policy_editor_real_load_finish;
  klass->save_finish = wharf_policy_editor_real_boolean_finish;
  klass->delete_finish = wharf_policy_editor_real_boolean_finish;

  signals[REPOSITORY_GONE] = g_signal_new ("repository-gone", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);
}

static void
wharf_policy_editor_init (WharfPolicyEditor *self)
{
  WharfPolicyEditorPrivate *priv = GET_PRIV (self);

  priv->cancellable = g_cancellable_new ();
  priv->rows = g_ptr_array_new ();
}
