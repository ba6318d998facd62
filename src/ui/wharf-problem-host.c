/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-problem-host"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-problem-host.h"

G_DEFINE_INTERFACE (WharfProblemHandler, wharf_problem_handler, GTK_TYPE_WINDOW)

static void
wharf_problem_handler_default_init (WharfProblemHandlerInterface *iface)
{
}

/* The main window @widget is in, or the one its dialog is transient for. */
static WharfProblemHandler *
find_window (GtkWidget *widget)
{
  GtkRoot *root = widget != NULL ? gtk_widget_get_root (widget) : NULL;
  GtkWindow *window = GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;

  while (window != NULL && !WHARF_IS_PROBLEM_HANDLER (window))
    window = gtk_window_get_transient_for (window);
  return window != NULL ? WHARF_PROBLEM_HANDLER (window) : NULL;
}

gboolean
wharf_problem_is_explainable (const GError *error)
{
  return error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

WharfExplanation *
wharf_problem_explain (GtkWidget    *widget,
                       const GError *error,
                       const char   *repository_name,
                       const char   *kms_key)
{
  WharfExplanationContext context = { 0 };
  WharfProblemHandler *window = find_window (widget);

  g_return_val_if_fail (error != NULL, NULL);

  context.repository_name = repository_name;
  context.kms_key = kms_key;
  if (window != NULL)
    WHARF_PROBLEM_HANDLER_GET_IFACE (window)->fill_context (window, &context);
  return wharf_explanation_new (error, &context);
}

void
wharf_problem_view_show_error (WharfProblemView *view,
                               const GError     *error,
                               const char       *repository_name,
                               const char       *kms_key)
{
  WharfExplanation *explanation;

  g_return_if_fail (WHARF_IS_PROBLEM_VIEW (view));

  if (!wharf_problem_is_explainable (error))
    {
      wharf_problem_view_set_explanation (view, NULL);
      return;
    }
  explanation = wharf_problem_explain (GTK_WIDGET (view), error, repository_name, kms_key);
  /* Nothing to add to the message the host already shows. */
  if (wharf_explanation_get_kind (explanation) == WHARF_EXPLANATION_NONE)
    g_clear_pointer (&explanation, wharf_explanation_free);
  wharf_problem_view_set_explanation (view, explanation);
}

static void
fix_cb (WharfProblemView *view,
        int               fix,
        gpointer          user_data)
{
  const char *retry_action = user_data;
  WharfProblemHandler *window = find_window (GTK_WIDGET (view));

  if (fix == WHARF_EXPLANATION_FIX_RETRY && retry_action != NULL)
    {
      gtk_widget_activate_action (GTK_WIDGET (view), retry_action, NULL);
      return;
    }
  if (window != NULL)
    WHARF_PROBLEM_HANDLER_GET_IFACE (window)->fix (window, fix);
}

void
wharf_problem_view_connect_fix (WharfProblemView *view,
                                const char       *retry_action)
{
  g_return_if_fail (WHARF_IS_PROBLEM_VIEW (view));

  /* Action names are static strings. */
  g_signal_connect (view, "fix", G_CALLBACK (fix_cb), (gpointer) retry_action);
}

/* ---- Toasts ---- */

typedef struct
{
  GWeakRef  host;
  GError   *error;
  char     *repository_name;
  char     *kms_key;
} ToastData;

static void
toast_data_free (gpointer user_data)
{
  ToastData *data = user_data;

  g_weak_ref_clear (&data->host);
  g_clear_error (&data->error);
  g_free (data->repository_name);
  g_free (data->kms_key);
  g_free (data);
}

static void
dialog_fix_cb (WharfProblemView *view,
               int               fix,
               gpointer          user_data)
{
  WharfProblemHandler *window = user_data;

  WHARF_PROBLEM_HANDLER_GET_IFACE (window)->fix (window, fix);
}

void
wharf_problem_dialog_show_error (GtkWidget    *host,
                                 const GError *error,
                                 const char   *repository_name,
                                 const char   *kms_key)
{
  GtkRoot *root = gtk_widget_get_root (host);
  WharfProblemHandler *window = find_window (host);
  WharfProblemView *view;

  g_return_if_fail (error != NULL);

  /* Over the dialog that failed, if that is where it failed. */
  view = wharf_problem_dialog_present (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                       wharf_problem_explain (host, error, repository_name,
                                                              kms_key));
  if (window != NULL)
    g_signal_connect_object (view, "fix", G_CALLBACK (dialog_fix_cb), window, 0);
}

static void
details_clicked_cb (AdwToast *toast,
                    gpointer  user_data)
{
  ToastData *data = user_data;
  g_autoptr(GtkWidget) host = g_weak_ref_get (&data->host);

  if (host == NULL)
    return;
  wharf_problem_dialog_show_error (host, data->error, data->repository_name, data->kms_key);
}

AdwToast *
wharf_problem_toast_new (GtkWidget    *host,
                         const char   *message,
                         const GError *error,
                         const char   *repository_name,
                         const char   *kms_key)
{
  /* A toast's title is markup; messages are text. */
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);
  ToastData *data;

  /* Long enough to reach the button. */
  adw_toast_set_timeout (toast, 10);
  if (!wharf_problem_is_explainable (error))
    return toast;

  data = g_new0 (ToastData, 1);
  g_weak_ref_init (&data->host, host);
  data->error = g_error_copy (error);
  data->repository_name = g_strdup (repository_name);
  data->kms_key = g_strdup (kms_key);
  adw_toast_set_button_label (toast, _("_Details"));
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (details_clicked_cb), data,
                         (GClosureNotify) (void (*) (void)) toast_data_free, 0);
  return toast;
}

void
wharf_problem_toast_add (GtkWidget    *host,
                         const char   *message,
                         const GError *error,
                         const char   *repository_name,
                         const char   *kms_key)
{
  AdwToast *toast = wharf_problem_toast_new (host, message, error, repository_name, kms_key);
  GtkWidget *overlay = gtk_widget_get_ancestor (host, ADW_TYPE_TOAST_OVERLAY);
  WharfProblemHandler *window;

  if (overlay != NULL)
    {
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
      return;
    }
  window = find_window (host);
  if (window != NULL)
    WHARF_PROBLEM_HANDLER_GET_IFACE (window)->add_toast (window, toast);
  else
    g_object_unref (toast);
}
