/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Where a refused request reaches a person: explain it with what the window knows (who is
 * signed in, the account, the region, how the account gets its credentials) and carry out
 * the fix the explanation offers. For views that show a WharfProblemView inline, and for
 * failures that only show as a toast (a "Details" button opens the explanation).
 */
#pragma once

#include <adwaita.h>

#include "wharf-problem-view.h"

G_BEGIN_DECLS

/* What a window that hosts views offers to explain and fix their refusals. The window
 * implements it; this file finds it by walking up from a widget, so views and dialogs need
 * not know the window (nor the window them, through this). */
#define WHARF_TYPE_PROBLEM_HANDLER (wharf_problem_handler_get_type ())
G_DECLARE_INTERFACE (WharfProblemHandler, wharf_problem_handler, WHARF, PROBLEM_HANDLER, GtkWindow)

struct _WharfProblemHandlerInterface
{
  GTypeInterface parent_iface;

  /* Fills what @context leaves NULL: who is signed in, the account, the region, how the
   * account gets its credentials. Strings stay owned by the handler. */
  void (*fill_context) (WharfProblemHandler     *self,
                        WharfExplanationContext *context);
  /* Carries out @fix (sign in, choose a region, open the permissions, …). */
  void (*fix)          (WharfProblemHandler     *self,
                        WharfExplanationFix      fix);
  /* Shows @toast (owned by the handler then) where the window shows its toasts. */
  void (*add_toast)    (WharfProblemHandler     *self,
                        AdwToast                *toast);
};

/* Explains @error for the window @widget is in (or the window its dialog is transient
 * for). @repository_name and @kms_key: the repository the request named, when it named
 * one. Never NULL. */
WharfExplanation *wharf_problem_explain          (GtkWidget        *widget,
                                                  const GError     *error,
                                                  const char       *repository_name,
                                                  const char       *kms_key);

/* Whether @error is worth explaining: a refusal or failure, not a cancellation. */
gboolean          wharf_problem_is_explainable  (const GError     *error);

/* Shows @error in @view explained (NULL, a cancellation, or an error the table has nothing
 * to add to, hides it). */
void              wharf_problem_view_show_error (WharfProblemView *view,
                                                 const GError     *error,
                                                 const char       *repository_name,
                                                 const char       *kms_key);

/* Carries out @view's "fix": Try Again activates @retry_action (a detailed action name
 * such as "win.refresh") on @view, everything else goes to the window. */
void              wharf_problem_view_connect_fix (WharfProblemView *view,
                                                  const char       *retry_action);

/* Opens the explanation of @error in a dialog over the window @host is in. */
void              wharf_problem_dialog_show_error (GtkWidget      *host,
                                                   const GError   *error,
                                                   const char     *repository_name,
                                                   const char     *kms_key);

/* A toast saying @message (text, not markup) with a "Details" button that opens the
 * explanation of @error over the window @host is in. */
AdwToast         *wharf_problem_toast_new       (GtkWidget        *host,
                                                 const char       *message,
                                                 const GError     *error,
                                                 const char       *repository_name,
                                                 const char       *kms_key);

/* The same toast, added to the nearest AdwToastOverlay around @host (or the window's). */
void              wharf_problem_toast_add       (GtkWidget        *host,
                                                 const char       *message,
                                                 const GError     *error,
                                                 const char       *repository_name,
                                                 const char       *kms_key);

G_END_DECLS
