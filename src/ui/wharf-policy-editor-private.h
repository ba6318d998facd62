/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the lifecycle and permissions editors share: the message bar and toasts, the form
 * and the JSON view kept in step (a JSON mistake shown with its line), the status line,
 * loading, and the save and delete flow with its refusals. Each editor embeds a
 * WharfPolicyEditor, binds its template children into it and describes its model and rows
 * with a WharfPolicyEditorOps. Also the helpers their row widgets share.
 */
#pragma once

#include <adwaita.h>

#include "wharf-ecr-client.h"

G_BEGIN_DECLS

typedef struct
{
  /* A draft is the editor's model (WharfLifecycleDocument, WharfRepositoryPolicy). */
  gpointer    (*draft_new)          (void);
  gpointer    (*draft_parse)        (const char     *text,
                                     int            *line,
                                     int            *column,
                                     GError        **error);
  void        (*draft_free)         (gpointer        draft);
  gboolean    (*draft_equal)        (gconstpointer   a,
                                     gconstpointer   b);
  char       *(*draft_to_json)      (gconstpointer   draft);
  guint       (*draft_n_items)      (gconstpointer   draft);
  void        (*draft_remove_item)  (gpointer        draft,
                                     guint           index);
  /* A GPtrArray of problems (WharfPolicyProblem). */
  GPtrArray  *(*draft_validate)     (gconstpointer   draft);

  /* One row per item ("changed" and "remove-requested" signals). */
  GtkWidget  *(*row_new)            (void);
  /* Shows item @index of @draft in @row. */
  void        (*row_show)           (gconstpointer   draft,
                                     GtkWidget      *row,
                                     guint           index);
  /* Puts a copy of @row's item into @draft at @index. */
  void        (*row_store)          (gpointer        draft,
                                     GtkWidget      *row,
                                     guint           index);
  void        (*row_clear_problems) (GtkWidget      *row);
  void        (*row_add_problem)    (GtkWidget      *row,
                                     int             field,
                                     const char     *message,
                                     gboolean        is_warning);

  /* After the shared actions and status: the editor's own (nullable). @text: the draft. */
  void        (*update_actions)     (GtkWidget      *editor,
                                     const char     *text,
                                     gboolean        empty);

  const char  *action_prefix;       /* PREFIX.save, PREFIX.delete */
  const char  *no_policy;           /* translatable: the status without policy or draft */
  const char  *fix_problems;        /* translatable: why a draft with problems is not sent */
} WharfPolicyEditorOps;

typedef struct
{
  GtkWidget                  *widget;          /* the editor that embeds this */
  const WharfPolicyEditorOps *ops;

  WharfEcrClient             *client;
  WharfRepository            *repository;
  GCancellable               *cancellable;     /* this repository's work */

  gpointer                    draft;
  char                       *saved_text;      /* on ECR; NULL when there is none */
  GPtrArray                  *rows;            /* row widgets, in draft order */
  gboolean                    json_invalid;
  gboolean                    problems_ok;
  gboolean                    busy;            /* a save or delete is on its way */
  gboolean                    syncing;

  /* Template children, bound by wharf_policy_editor_class_bind_template(). */
  AdwToastOverlay            *toast_overlay;
  GtkStack                   *state_stack;
  GtkSpinner                 *loading_spinner;
  AdwStatusPage              *load_error_page;
  GtkLabel                   *status_label;
  GtkRevealer                *message_revealer;
  GtkWidget                  *message_box;
  GtkImage                   *message_icon;
  GtkLabel                   *message_label;
  GtkStack                   *mode_stack;
  GtkBox                     *rows_box;
  GtkWidget                  *empty_page;
  GtkWidget                  *intro_group;
  GtkTextView                *json_view;
  GtkRevealer                *json_error_revealer;
  GtkLabel                   *json_error_label;
} WharfPolicyEditor;

/* @offset: where the editor's instance struct holds its WharfPolicyEditor; @rows_box_id the
 * template id of the box that holds the rows. */
void     wharf_policy_editor_class_bind_template (GtkWidgetClass             *widget_class,
                                                  gsize                       offset,
                                                  const char                 *rows_box_id);
/* Installs "repository-gone" (no arguments): ECR no longer knows the repository shown
 * (deleted elsewhere); the page that holds the editor drops it. */
void     wharf_policy_editor_class_add_signals   (GtkWidgetClass             *widget_class);
/* From the editor's init, after gtk_widget_init_template(). */
void     wharf_policy_editor_init                (WharfPolicyEditor          *self,
                                                  GtkWidget                  *widget,
                                                  const WharfPolicyEditorOps *ops);
void     wharf_policy_editor_dispose             (WharfPolicyEditor          *self);
void     wharf_policy_editor_finalize            (WharfPolicyEditor          *self);

/* @style: "error", "warning" or "info". */
void     wharf_policy_editor_show_message        (WharfPolicyEditor          *self,
                                                  const char                 *style,
                                                  const char                 *text);
void     wharf_policy_editor_show_error          (WharfPolicyEditor          *self,
                                                  const char                 *format,
                                                  ...) G_GNUC_PRINTF (2, 3);
void     wharf_policy_editor_hide_message        (WharfPolicyEditor          *self);
void     wharf_policy_editor_toast               (WharfPolicyEditor          *self,
                                                  const char                 *text);

/* The draft as JSON text (new string). */
char    *wharf_policy_editor_draft_text          (WharfPolicyEditor          *self);
void     wharf_policy_editor_update_actions      (WharfPolicyEditor          *self);
/* Validates and updates; @rebuild the rows, @rewrite_json the JSON view. */
void     wharf_policy_editor_draft_changed       (WharfPolicyEditor          *self,
                                                  gboolean                    rebuild,
                                                  gboolean                    rewrite_json);
/* Takes @draft. */
void     wharf_policy_editor_set_draft           (WharfPolicyEditor          *self,
                                                  gpointer                    draft);
/* Whether the draft may be sent; otherwise says why and shows where. */
gboolean wharf_policy_editor_check_before_sending (WharfPolicyEditor         *self);

/* FALSE when it is the same repository again (its settings changed: the draft stays);
 * otherwise cancels the old repository's work and forgets its policy: the caller resets
 * its own state, sets a new draft and loads. */
gboolean wharf_policy_editor_switch_repository   (WharfPolicyEditor          *self,
                                                  WharfEcrClient             *client,
                                                  WharfRepository            *repository);
/* TRUE when @error (nullable) says the repository no longer exists: emits
 * "repository-gone" on the editor, which is then no longer busy. */
gboolean wharf_policy_editor_repository_gone     (WharfPolicyEditor          *self,
                                                  const GError               *error);
/* FALSE without a repository; else shows the loading page: the caller asks ECR. */
gboolean wharf_policy_editor_begin_load          (WharfPolicyEditor          *self);
/* With ECR's answer (not cancelled): @error (not-found is no policy; a repository that no
 * longer exists emits "repository-gone"), or @text (NULL: none) in the form. FALSE when the form cannot show @text: it stays, as ECR has it, in the JSON
 * view, and @parse_error says why. */
gboolean wharf_policy_editor_finish_load         (WharfPolicyEditor          *self,
                                                  const char                 *text,
                                                  const GError               *error,
                                                  GError                    **parse_error);
/* The text to send (new string), marked busy; NULL when nothing may be sent. */
char    *wharf_policy_editor_begin_save          (WharfPolicyEditor          *self);
/* TRUE when saved; otherwise shows why ECR refused it (or emits "repository-gone"). */
gboolean wharf_policy_editor_finish_save         (WharfPolicyEditor          *self,
                                                  const GError               *error);
/* Asks with @heading and @body; @response_cb gets the answer, with the editor as user data. */
void     wharf_policy_editor_confirm_delete      (WharfPolicyEditor          *self,
                                                  const char                 *heading,
                                                  const char                 *body,
                                                  GCallback                   response_cb);
/* Whether @response deletes; marks busy then. */
gboolean wharf_policy_editor_begin_delete        (WharfPolicyEditor          *self,
                                                  const char                 *response);
/* TRUE when deleted (or already gone); FALSE: the caller shows @error. The caller checks
 * wharf_policy_editor_repository_gone() first. */
gboolean wharf_policy_editor_finish_delete       (WharfPolicyEditor          *self,
                                                  const GError               *error);

/* ---- Rows ---- */

/* Installs "changed" and "remove-requested" (no arguments) into @signals[0], [1]. */
void     wharf_policy_row_class_add_signals      (GType                       type,
                                                  guint                       signals[2]);
/* Splits at any of @separators, strips, drops empty parts. */
char   **wharf_policy_row_split_list             (const char                 *text,
                                                  const char                 *separators);
/* Sets @row's subtitle (an AdwActionRow or AdwExpanderRow) and forgets its problem marks. */
void     wharf_policy_row_reset                  (GtkWidget                  *row,
                                                  const char                 *subtitle);
void     wharf_policy_row_reset_control          (GtkWidget                  *control);
/* Shows @message on @row and marks @control (nullable); the first error of a row stays. */
void     wharf_policy_row_mark_problem           (GtkWidget                  *row,
                                                  GtkWidget                  *control,
                                                  const char                 *message,
                                                  gboolean                    is_warning);

G_END_DECLS
