/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-mfa-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "wharf-mfa-dialog.h"

struct _WharfMfaDialog
{
  AdwMessageDialog  parent_instance;

  WharfMfaRequest  *request;       /* until answered */
  gulong            cancelled_id;
  GtkEntry         *code_entry;
};

G_DEFINE_FINAL_TYPE (WharfMfaDialog, wharf_mfa_dialog, ADW_TYPE_MESSAGE_DIALOG)

static gboolean
code_is_valid (const char *code)
{
  gsize len = strlen (code);

  if (len < 6 || len > 8)
    return FALSE;
  for (const char *p = code; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static void
answer (WharfMfaDialog *self,
        const char     *code)
{
  WharfMfaRequest *request = g_steal_pointer (&self->request);

  if (request == NULL)
    return;
  if (self->cancelled_id != 0)
    {
      g_cancellable_disconnect (wharf_mfa_request_get_cancellable (request), self->cancelled_id);
      self->cancelled_id = 0;
    }
  wharf_mfa_request_reply (request, code);
}

static void
code_changed_cb (WharfMfaDialog *self)
{
  const char *code = gtk_editable_get_text (GTK_EDITABLE (self->code_entry));

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "continue",
                                           code_is_valid (code));
}

static void
wharf_mfa_dialog_response (AdwMessageDialog *dialog,
                           const char       *response)
{
  WharfMfaDialog *self = WHARF_MFA_DIALOG (dialog);
  g_autofree char *code = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->code_entry)));

  if (g_str_equal (response, "continue") && code_is_valid (code))
    answer (self, code);
  else
    answer (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->code_entry), "");
}

static gboolean
close_idle_cb (gpointer user_data)
{
  GtkWindow *window = user_data;

  gtk_window_close (window);
  return G_SOURCE_REMOVE;
}

static void
request_cancelled_cb (GCancellable *cancellable,
                      gpointer      user_data)
{
  /* The caller gave up (the window went away): close in the main context. */
  g_idle_add_full (G_PRIORITY_DEFAULT, close_idle_cb, g_object_ref (user_data), g_object_unref);
}

static void
wharf_mfa_dialog_dispose (GObject *object)
{
  WharfMfaDialog *self = WHARF_MFA_DIALOG (object);

  answer (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), WHARF_TYPE_MFA_DIALOG);

  G_OBJECT_CLASS (wharf_mfa_dialog_parent_class)->dispose (object);
}

static void
wharf_mfa_dialog_class_init (WharfMfaDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->dispose = wharf_mfa_dialog_dispose;
  dialog_class->response = wharf_mfa_dialog_response;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/wharfapp/Wharf/wharf-mfa-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, WharfMfaDialog, code_entry);
  gtk_widget_class_bind_template_callback (widget_class, code_changed_cb);
}

static void
wharf_mfa_dialog_init (WharfMfaDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

WharfMfaDialog *
wharf_mfa_dialog_new (GtkWindow       *parent,
                      WharfMfaRequest *request)
{
  WharfMfaDialog *self;
  g_autofree char *body = NULL;
  GCancellable *cancellable;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  self = g_object_new (WHARF_TYPE_MFA_DIALOG,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
  self->request = request;
  /* Translators: the first %s is a profile name, the second an MFA device ARN */
  body = g_strdup_printf (_("The profile “%s” assumes a role that needs a code from the MFA "
                            "device %s."), wharf_mfa_request_get_profile (request),
                          wharf_mfa_request_get_serial (request));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
  cancellable = wharf_mfa_request_get_cancellable (request);
  if (cancellable != NULL)
    self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (request_cancelled_cb),
                                                self, NULL);
  return self;
}

void
wharf_mfa_dialog_handler (WharfMfaRequest *request,
                          gpointer         user_data)
{
  GApplication *app = g_application_get_default ();
  GtkWindow *parent = GTK_IS_APPLICATION (app)
                      ? gtk_application_get_active_window (GTK_APPLICATION (app)) : NULL;
  WharfMfaDialog *dialog = wharf_mfa_dialog_new (parent, request);

  gtk_window_present (GTK_WINDOW (dialog));
}
