/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-sso-sign-in-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-sso-sign-in-dialog.h"

#include "wharf-aws-config.h"
#include "wharf-sso-credentials.h"
#include "wharf-sso.h"

/* Role profiles chain to their source; this many links at most. */
#define MAX_CHAIN 16

struct _WharfSsoSignInDialog
{
  AdwWindow         parent_instance;

  char             *profile;    /* a profile of ~/.aws/config, or … */
  WharfSsoSettings *settings;   /* … settings chosen in Wharf */
  char             *uri;
  GCancellable     *cancellable;

  GtkStack         *stack;
  GtkLabel         *code_label;
  GtkLabel         *uri_label;
  AdwStatusPage    *error_page;
};

G_DEFINE_FINAL_TYPE (WharfSsoSignInDialog, wharf_sso_sign_in_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (WharfSsoSignInDialog *self,
            const char           *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  adw_status_page_set_description (self->error_page, escaped);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static void
launch_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(WharfSsoSignInDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (g_app_info_launch_default_for_uri_finish (result, &error)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* No browser here (or it failed): the person can still open the address elsewhere. */
  g_debug ("Could not open %s: %s", self->uri, error->message);
  /* Translators: %s is a web address */
  text = g_strdup_printf (_("No browser could be opened. Open this address on any device: %s"),
                          self->uri);
  gtk_label_set_label (self->uri_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->uri_label), TRUE);
}

static void
open_browser_cb (WharfSsoSignInDialog *self)
{
  g_autoptr(GAppLaunchContext) context = NULL;

  if (self->uri == NULL)
    return;
  context = G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (
    gtk_widget_get_display (GTK_WIDGET (self))));
  g_app_info_launch_default_for_uri_async (self->uri, context, self->cancellable, launch_cb,
                                           g_object_ref (self));
}

static void
code_cb (const WharfSsoDeviceCode *code,
         gpointer                  user_data)
{
  WharfSsoSignInDialog *self = user_data;

  g_free (self->uri);
  self->uri = g_strdup (code->verification_uri_complete != NULL
                        ? code->verification_uri_complete : code->verification_uri);
  gtk_label_set_label (self->code_label, code->user_code);
  gtk_stack_set_visible_child_name (self->stack, "code");
  open_browser_cb (self);
}

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(WharfSsoSignInDialog) self = user_data;
  g_autoptr(WharfSsoToken) token = NULL;
  g_autoptr(GError) error = NULL;

  token = wharf_sso_login_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (token == NULL)
    {
      show_error (self, error->message);
      return;
    }
  g_signal_emit (self, signals[SIGNED_IN], 0);
  gtk_window_close (GTK_WINDOW (self));
}

/* The SSO profile at the end of @profile's source_profile chain. */
static const char *
find_sso_profile (WharfAwsConfig *config,
                  const char     *profile)
{
  for (guint i = 0; profile != NULL && i < MAX_CHAIN; i++)
    {
      switch (wharf_aws_config_get_profile_kind (config, profile))
        {
        case WHARF_AWS_PROFILE_KIND_SSO:
          return profile;
        case WHARF_AWS_PROFILE_KIND_ASSUME_ROLE:
          profile = wharf_aws_config_get (config, profile, "source_profile");
          break;
        default:
          return NULL;
        }
    }
  return NULL;
}

static void
config_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(WharfSsoSignInDialog) self = user_data;
  g_autoptr(WharfAwsConfig) config = NULL;
  g_autoptr(WharfSsoSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *oidc = NULL;
  const char *sso_profile;

  config = wharf_aws_config_load_default_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (config == NULL)
    {
      show_error (self, error->message);
      return;
    }
  sso_profile = find_sso_profile (config, self->profile);
  if (sso_profile == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("The profile “%s” does not use IAM Identity Center."), self->profile);

      show_error (self, message);
      return;
    }
  settings = wharf_sso_settings_from_profile (config, sso_profile, &error);
  if (settings != NULL)
    oidc = wharf_sso_resolve_oidc_endpoint (config, sso_profile, settings->sso_region, &error);
  if (oidc == NULL)
    {
      show_error (self, error->message);
      return;
    }
  wharf_sso_login_async (settings, oidc, code_cb, self, self->cancellable, login_cb,
                         g_object_ref (self));
}

static void
start (WharfSsoSignInDialog *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  gtk_stack_set_visible_child_name (self->stack, "starting");

  if (self->settings != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *oidc = wharf_sso_resolve_oidc_endpoint (NULL, NULL,
                                                               self->settings->sso_region,
                                                               &error);

      if (oidc == NULL)
        {
          show_error (self, error->message);
          return;
        }
      wharf_sso_login_async (self->settings, oidc, code_cb, self, self->cancellable, login_cb,
                             g_object_ref (self));
      return;
    }

  wharf_aws_config_load_default_async (self->cancellable, config_loaded_cb, g_object_ref (self));
}

static void
try_again_cb (WharfSsoSignInDialog *self)
{
  start (self);
}

static void
wharf_sso_sign_in_dialog_dispose (GObject *object)
{
  WharfSsoSignInDialog *self = WHARF_SSO_SIGN_IN_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), WHARF_TYPE_SSO_SIGN_IN_DIALOG);

  G_OBJECT_CLASS (wharf_sso_sign_in_dialog_parent_class)->dispose (object);
}

static void
wharf_sso_sign_in_dialog_finalize (GObject *object)
{
  WharfSsoSignInDialog *self = WHARF_SSO_SIGN_IN_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_free (self->profile);
  g_clear_pointer (&self->settings, wharf_sso_settings_free);
  g_free (self->uri);

  G_OBJECT_CLASS (wharf_sso_sign_in_dialog_parent_class)->finalize (object);
}

static gboolean
wharf_sso_sign_in_dialog_close_request (GtkWindow *window)
{
  WharfSsoSignInDialog *self = WHARF_SSO_SIGN_IN_DIALOG (window);

  /* Stop polling at once, not when the last reference goes. */
  g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (wharf_sso_sign_in_dialog_parent_class)->close_request (window);
}

static void
wharf_sso_sign_in_dialog_class_init (WharfSsoSignInDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = wharf_sso_sign_in_dialog_dispose;
  object_class->finalize = wharf_sso_sign_in_dialog_finalize;
  window_class->close_request = wharf_sso_sign_in_dialog_close_request;

  /**
   * WharfSsoSignInDialog::signed-in:
   *
   * The token is in the shared cache; credentials of the profile can be fetched again.
   */
  signals[SIGNED_IN] = g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/wharfapp/Wharf/"
                                               "wharf-sso-sign-in-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, WharfSsoSignInDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, WharfSsoSignInDialog, code_label);
  gtk_widget_class_bind_template_child (widget_class, WharfSsoSignInDialog, error_page);
  gtk_widget_class_bind_template_child (widget_class, WharfSsoSignInDialog, uri_label);
  gtk_widget_class_bind_template_callback (widget_class, open_browser_cb);
  gtk_widget_class_bind_template_callback (widget_class, try_again_cb);
}

static void
wharf_sso_sign_in_dialog_init (WharfSsoSignInDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

WharfSsoSignInDialog *
wharf_sso_sign_in_dialog_new (GtkWindow  *parent,
                              const char *profile)
{
  WharfSsoSignInDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (profile != NULL, NULL);

  self = g_object_new (WHARF_TYPE_SSO_SIGN_IN_DIALOG, "transient-for", parent, NULL);
  self->profile = g_strdup (profile);
  start (self);
  return self;
}

WharfSsoSignInDialog *
wharf_sso_sign_in_dialog_new_for_settings (GtkWindow              *parent,
                                           const WharfSsoSettings *settings)
{
  WharfSsoSignInDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (settings != NULL && settings->start_url != NULL
                        && settings->sso_region != NULL, NULL);

  self = g_object_new (WHARF_TYPE_SSO_SIGN_IN_DIALOG, "transient-for", parent, NULL);
  self->settings = wharf_sso_settings_dup (settings);
  start (self);
  return self;
}

WharfSsoSignInDialog *
wharf_sso_sign_in_dialog_new_for_account (GtkWindow    *parent,
                                          WharfAccount *account)
{
  g_autoptr(WharfSsoSettings) settings = NULL;

  g_return_val_if_fail (WHARF_IS_ACCOUNT (account), NULL);

  settings = wharf_account_dup_sso_settings (account);
  if (settings == NULL)
    return NULL;
  return wharf_sso_sign_in_dialog_new_for_settings (parent, settings);
}

typedef struct
{
  GtkWindow *parent;
  char      *profile;
} Offer;

static void
offer_free (Offer *offer)
{
  g_clear_object (&offer->parent);
  g_free (offer->profile);
  g_free (offer);
}

static void
offer_config_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Offer *offer = g_task_get_task_data (task);
  g_autoptr(WharfAwsConfig) config = NULL;
  GError *error = NULL;
  WharfSsoSignInDialog *dialog;

  config = wharf_aws_config_load_default_finish (result, &error);
  if (config == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (find_sso_profile (config, offer->profile) == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  dialog = wharf_sso_sign_in_dialog_new (offer->parent, offer->profile);
  gtk_window_present (GTK_WINDOW (dialog));
  g_task_return_pointer (task, dialog, NULL);
}

void
wharf_sso_sign_in_dialog_offer_async (GtkWindow           *parent,
                                      const char          *profile,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Offer *offer;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (profile != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wharf_sso_sign_in_dialog_offer_async);
  offer = g_new0 (Offer, 1);
  offer->parent = parent != NULL ? g_object_ref (parent) : NULL;
  offer->profile = g_strdup (profile);
  g_task_set_task_data (task, offer, (GDestroyNotify) offer_free);
  wharf_aws_config_load_default_async (cancellable, offer_config_cb, g_steal_pointer (&task));
}

WharfSsoSignInDialog *
wharf_sso_sign_in_dialog_offer_finish (GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == wharf_sso_sign_in_dialog_offer_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
check_config_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(WharfAwsConfig) config = NULL;
  GError *error = NULL;

  config = wharf_aws_config_load_default_finish (result, &error);
  if (config == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, find_sso_profile (config, g_task_get_task_data (task)) != NULL);
}

void
wharf_sso_profile_check_async (const char          *profile,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (profile != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wharf_sso_profile_check_async);
  g_task_set_task_data (task, g_strdup (profile), g_free);
  wharf_aws_config_load_default_async (cancellable, check_config_cb, g_steal_pointer (&task));
}

gboolean
wharf_sso_profile_check_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wharf_sso_profile_check_async,
                        FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
