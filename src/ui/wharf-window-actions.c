/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The window's actions (win.*): the dialogs they open, what follows the answers, and
 * the keyboard shortcuts.
 */
#define G_LOG_DOMAIN "wharf-window"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-window-private.h"

#include "wharf-add-account-dialog.h"
#include "wharf-create-repository-dialog.h"
#include "wharf-practice.h"
#include "wharf-sso-sign-in-dialog.h"
#include "wharf-tutorial.h"

/* The actions are installed on the window's class only, so @widget is the window: a plain
 * cast, which does not call back into wharf-window.c for the type. */
#define ACTION_WINDOW(widget) ((WharfWindow *) (widget))

static void
wharf_window_toast (WharfWindow *self,
                    const char  *message)
{
  /* A toast's title is markup; messages are text ("<data>" in a parser's words). */
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* ---- Practice mode and tutorial (see wharf-practice.c, wharf-tutorial.c) ---- */

static void
practice_started_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(WharfWindow) self = user_data;
  g_autoptr(WharfAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  if (!wharf_practice_start_finish (WHARF_PRACTICE (object), result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: %s is the error message */
      message = g_strdup_printf (_("Could not start practice mode: %s"), error->message);
      wharf_window_toast (self, message);
      return;
    }

  account = wharf_practice_new_account ();
  wharf_account_manager_add_unsaved (self->accounts, account);
  wharf_window_set_account (self, wharf_account_manager_lookup (self->accounts,
                                                                WHARF_PRACTICE_ACCOUNT_ID), TRUE);
}

/* Starts the sandbox, then shows practice mode's account. */
void
wharf_window_start_practice (WharfWindow *self)
{
  wharf_practice_start_async (wharf_practice_get_default (), self->cancellable,
                              practice_started_cb, g_object_ref (self));
}

static void
wharf_window_practice_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  wharf_window_start_practice (ACTION_WINDOW (widget));
}

static void
practice_reset_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(WharfWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (wharf_practice_ask_reset_finish (WHARF_PRACTICE (object), result, &error))
    message = g_strdup (_("Practice data reset"));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else
    /* Translators: %s is the error message */
    message = g_strdup_printf (_("Could not reset the practice data: %s"), error->message);

  if (gtk_widget_get_visible (GTK_WIDGET (self)))
    {
      g_autofree char *escaped = g_markup_escape_text (message, -1);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
    }
  else if (error != NULL)
    g_warning ("%s", message);
}

static void
wharf_window_reset_practice_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  wharf_practice_ask_reset_async (wharf_practice_get_default (), GTK_WINDOW (widget),
                                  practice_reset_cb, g_object_ref (widget));
}

/* One tutorial per window; it follows the window's account and region. */
static void
wharf_window_tutorial_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  WharfWindow *self = ACTION_WINDOW (widget);

  if (self->tutorial == NULL)
    {
      g_set_weak_pointer (&self->tutorial,
                          wharf_tutorial_new (GTK_WINDOW (self), self->accounts, self->account,
                                              self->region));
      g_object_bind_property (self, "account", self->tutorial, "account", G_BINDING_DEFAULT);
      g_object_bind_property (self, "region", self->tutorial, "region", G_BINDING_DEFAULT);
    }

  gtk_window_present (GTK_WINDOW (self->tutorial));
}

/* ---- Navigation, refresh and search ---- */

static void
wharf_window_show_content_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  WharfWindow *self = ACTION_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content));
}

static void
wharf_window_show_sidebar_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  WharfWindow *self = ACTION_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

static void
wharf_window_refresh_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  WharfWindow *self = ACTION_WINDOW (widget);
  WharfRepository *selected = gtk_single_selection_get_selected_item (self->selection);

  if (selected != NULL)
    {
      g_free (self->pending_select);
      self->pending_select = g_strdup (wharf_repository_get_name (selected));
    }

  if (self->client == NULL)
    wharf_window_reload (self);
  else
    {
      gtk_revealer_set_reveal_child (self->credentials_banner, FALSE);
      wharf_window_start_listing (self);
      wharf_window_lookup_identity (self);
    }
}

static void
wharf_window_load_rest_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  wharf_window_load_rest (ACTION_WINDOW (widget));
}

static void
wharf_window_search_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  WharfWindow *self = ACTION_WINDOW (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* ---- Accounts ---- */

static void
account_added_cb (WharfWindow           *self,
                  WharfAccount          *account,
                  WharfAddAccountDialog *dialog)
{
  g_autofree char *message = NULL;

  /* New keys for the current account: connect again with them (they may be another
   * user's). */
  if (self->account == account)
    {
      g_hash_table_remove (self->identities, wharf_account_get_id (account));
      wharf_window_reload (self);
    }
  else
    wharf_window_set_account (self, account, TRUE);

  if (wharf_account_get_account_id (account) != NULL)
    /* Translators: %s is a 12-digit AWS account id */
    message = g_strdup_printf (_("Account %s added"), wharf_account_get_account_id (account));
  else
    message = g_strdup (_("Account added"));
  wharf_window_toast (self, message);
}

static void
wharf_window_add_account_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  WharfWindow *self = ACTION_WINDOW (widget);
  WharfAddAccountDialog *dialog;

  dialog = wharf_add_account_dialog_new (GTK_WINDOW (self), self->accounts, NULL);
  g_signal_connect_object (dialog, "account-added", G_CALLBACK (account_added_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
sso_signed_in_cb (WharfWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.refresh", NULL);
}

static void reenter_keys (WharfWindow *self);

static void
sso_offer_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(WharfWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  WharfSsoSignInDialog *dialog = wharf_sso_sign_in_dialog_offer_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (dialog != NULL)
    g_signal_connect_object (dialog, "signed-in", G_CALLBACK (sso_signed_in_cb), self,
                             G_CONNECT_SWAPPED);
  else
    reenter_keys (self);
}

static void
wharf_window_reenter_keys_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  WharfWindow *self = ACTION_WINDOW (widget);

  if (self->account == NULL)
    return;

  /* An IAM Identity Center account chosen in Wharf signs in to its start URL again. */
  if (wharf_account_get_source (self->account) == WHARF_ACCOUNT_SOURCE_SSO)
    {
      WharfSsoSignInDialog *dialog = wharf_sso_sign_in_dialog_new_for_account (GTK_WINDOW (self),
                                                                               self->account);

      g_signal_connect_object (dialog, "signed-in", G_CALLBACK (sso_signed_in_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  /* An IAM Identity Center profile (or a role on top of one) signs in again instead. */
  if (wharf_account_get_profile (self->account) != NULL)
    wharf_sso_sign_in_dialog_offer_async (GTK_WINDOW (self),
                                          wharf_account_get_profile (self->account),
                                          self->cancellable, sso_offer_cb, g_object_ref (self));
  else
    reenter_keys (self);
}

static void
reenter_keys (WharfWindow *self)
{
  WharfAddAccountDialog *dialog;

  if (self->account == NULL)
    return;

  /* Keys typed into Wharf can be typed again; the environment and profiles are fixed
   * outside Wharf, so offer to add keys as a new account instead. */
  if (wharf_account_get_source (self->account) == WHARF_ACCOUNT_SOURCE_KEYS)
    dialog = wharf_add_account_dialog_new (GTK_WINDOW (self), self->accounts, self->account);
  else
    dialog = wharf_add_account_dialog_new (GTK_WINDOW (self), self->accounts, NULL);
  g_signal_connect_object (dialog, "account-added", G_CALLBACK (account_added_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
remove_account_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(WharfWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!wharf_account_manager_remove_finish (WHARF_ACCOUNT_MANAGER (object), result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: %s is the error message */
      message = g_strdup_printf (_("Could not remove the account: %s"), error->message);
      wharf_window_toast (self, message);
      return;
    }

  wharf_window_toast (self, _("Account removed"));
}

static void
remove_account_response_cb (WharfWindow      *self,
                            const char       *response,
                            AdwMessageDialog *dialog)
{
  WharfAccount *account = g_object_get_data (G_OBJECT (dialog), "account");

  if (g_strcmp0 (response, "remove") != 0 || account == NULL)
    return;

  wharf_account_manager_remove_async (self->accounts, account, self->cancellable,
                                      remove_account_cb, g_object_ref (self));
}

static void
wharf_window_remove_account_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  WharfWindow *self = ACTION_WINDOW (widget);
  GtkWidget *dialog;
  g_autofree char *heading = NULL;

  if (self->account == NULL ||
      wharf_account_get_source (self->account) == WHARF_ACCOUNT_SOURCE_ENVIRONMENT)
    return;

  /* Translators: %s is the account's name */
  heading = g_strdup_printf (_("Remove “%s”?"), wharf_account_get_label (self->account));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   wharf_account_get_source (self->account) == WHARF_ACCOUNT_SOURCE_KEYS
                                   ? _("Wharf forgets this account and deletes its access key from the keyring. The account and its repositories stay in AWS.")
                                   : _("Wharf forgets this account. The AWS CLI profile, the account and its repositories stay as they are."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "account", g_object_ref (self->account), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_account_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- Repositories ---- */

static void
repository_created_cb (WharfWindow                 *self,
                       WharfRepository             *repository,
                       WharfCreateRepositoryDialog *dialog)
{
  AdwToast *toast;
  g_autofree char *title = NULL;

  if (self->repositories != NULL)
    g_list_store_append (self->repositories, repository);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  if (!wharf_window_select_by_name (self, wharf_repository_get_name (repository)))
    {
      g_free (self->pending_select);
      self->pending_select = g_strdup (wharf_repository_get_name (repository));
    }
  wharf_window_update_sidebar_page (self);
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content));

  /* Translators: %s is a repository name */
  title = g_strdup_printf (_("Repository “%s” created"), wharf_repository_get_name (repository));
  toast = adw_toast_new (title);
  /* The next step stays offered until it is taken or dismissed. */
  adw_toast_set_timeout (toast, 0);
  adw_toast_set_button_label (toast, _("_Push an Image…"));
  adw_toast_set_action_name (toast, "repo.push-first-image");
  /* The toast overlay sits above the page, so route the action through it. */
  wharf_repository_page_add_toast (self->repository_page, toast);
}

static void
wharf_window_new_repository_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  WharfWindow *self = ACTION_WINDOW (widget);
  WharfCreateRepositoryDialog *dialog;

  if (self->client == NULL)
    return;

  dialog = wharf_create_repository_dialog_new (GTK_WINDOW (self), self->client,
                                               self->repositories,
                                               self->account != NULL ? wharf_account_get_account_id (self->account) : NULL);
  g_signal_connect_object (dialog, "created", G_CALLBACK (repository_created_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
wharf_window_class_actions_init (WharfWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.show-content", NULL,
                                   wharf_window_show_content_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL,
                                   wharf_window_show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.add-account", NULL,
                                   wharf_window_add_account_action);
  gtk_widget_class_install_action (widget_class, "win.remove-account", NULL,
                                   wharf_window_remove_account_action);
  gtk_widget_class_install_action (widget_class, "win.reenter-keys", NULL,
                                   wharf_window_reenter_keys_action);
  gtk_widget_class_install_action (widget_class, "win.new-repository", NULL,
                                   wharf_window_new_repository_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL,
                                   wharf_window_refresh_action);
  gtk_widget_class_install_action (widget_class, "win.load-rest", NULL,
                                   wharf_window_load_rest_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL,
                                   wharf_window_search_action);
  gtk_widget_class_install_action (widget_class, "win.practice", NULL,
                                   wharf_window_practice_action);
  gtk_widget_class_install_action (widget_class, "win.reset-practice", NULL,
                                   wharf_window_reset_practice_action);
  gtk_widget_class_install_action (widget_class, "win.tutorial", NULL,
                                   wharf_window_tutorial_action);
  gtk_widget_class_install_property_action (widget_class, "win.account", "account-id");
  gtk_widget_class_install_property_action (widget_class, "win.region", "region");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-repository", NULL);
}
