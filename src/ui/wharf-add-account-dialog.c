/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-add-account-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wharf-add-account-dialog.h"

#include "wharf-aws-config.h"
#include "wharf-mfa-dialog.h"
#include "wharf-region-list.h"

struct _WharfAddAccountDialog
{
  AdwWindow             parent_instance;

  WharfAccountManager  *manager;
  WharfAccount         *reenter;
  GCancellable         *cancellable;
  GtkListBox           *profile_list;     /* rows with "profile" data (WharfAwsProfile) */
  gboolean              busy;
  gboolean              disposed;

  /* While verifying / saving */
  WharfEcrClient       *client;
  WharfAccount         *pending;
  WharfCredentials     *pending_keys;

  AdwViewSwitcherTitle *switcher_title;
  GtkWidget            *add_button;
  GtkSpinner           *spinner;
  GtkRevealer          *error_revealer;
  GtkLabel             *error_label;
  GtkRevealer          *progress_revealer;
  GtkLabel             *progress_label;
  AdwViewStack         *view_stack;
  AdwEntryRow          *label_row;
  AdwEntryRow          *key_id_row;
  AdwEntryRow          *secret_row;
  AdwEntryRow          *token_row;
  AdwComboRow          *keys_region_row;
  AdwPreferencesGroup  *profiles_group;
  AdwActionRow         *profiles_status_row;
  AdwComboRow          *profile_region_row;
};

G_DEFINE_FINAL_TYPE (WharfAddAccountDialog, wharf_add_account_dialog, ADW_TYPE_WINDOW)

enum {
  ACCOUNT_ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (WharfAddAccountDialog *self,
            const char            *message)
{
  gtk_label_set_label (self->error_label, message);
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
}

static gboolean
on_keys_page (WharfAddAccountDialog *self)
{
  return g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "keys") == 0;
}

static WharfAwsProfile *
selected_profile (WharfAddAccountDialog *self)
{
  GtkListBoxRow *row;

  if (self->profile_list == NULL)
    return NULL;

  row = gtk_list_box_get_selected_row (self->profile_list);
  return row != NULL ? g_object_get_data (G_OBJECT (row), "profile") : NULL;
}

static void
update_buttons (WharfAddAccountDialog *self)
{
  gboolean ready;

  if (self->disposed)
    return;

  if (on_keys_page (self))
    ready = *gtk_editable_get_text (GTK_EDITABLE (self->key_id_row)) != '\0' &&
            *gtk_editable_get_text (GTK_EDITABLE (self->secret_row)) != '\0';
  else
    ready = selected_profile (self) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "account.add", ready && !self->busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->busy);
  gtk_spinner_set_spinning (self->spinner, self->busy);
  gtk_revealer_set_reveal_child (self->progress_revealer, self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->view_stack), !self->busy);
}

static void
input_changed_cb (WharfAddAccountDialog *self)
{
  update_buttons (self);
}

static const char *
combo_region (AdwComboRow *row)
{
  guint i = adw_combo_row_get_selected (row);

  if (i >= wharf_region_list_get_n_regions ())
    return WHARF_FALLBACK_REGION;
  return wharf_region_list_get_nth (i)->code;
}

static void
combo_set_region (AdwComboRow *row,
                  const char  *code)
{
  for (guint i = 0; i < wharf_region_list_get_n_regions (); i++)
    if (g_strcmp0 (wharf_region_list_get_nth (i)->code, code) == 0)
      {
        adw_combo_row_set_selected (row, i);
        return;
      }
}

/* ---- Saving after verification ---- */

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(WharfAddAccountDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!wharf_account_manager_save_finish (WHARF_ACCOUNT_MANAGER (object), result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->busy = FALSE;
      update_buttons (self);
      /* Translators: %s is the error message of the keyring */
      message = g_strdup_printf (_("The keys are valid, but the keyring could not store them: %s"),
                                 error->message);
      show_error (self, message);
      return;
    }

  g_signal_emit (self, signals[ACCOUNT_ADDED], 0, self->pending);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
verify_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(WharfAddAccountDialog) self = user_data;
  g_autoptr(WharfRegistryInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = wharf_ecr_client_describe_registry_finish (WHARF_ECR_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    {
      g_autofree char *message = NULL;

      self->busy = FALSE;
      update_buttons (self);
      /* Everything typed stays, so that it can be corrected. */
      /* Translators: %s is the message of AWS */
      message = g_strdup_printf (_("Amazon ECR did not accept these credentials: %s"), error->message);
      show_error (self, message);
      return;
    }

  wharf_account_set_account_id (self->pending, info->registry_id);
  if (wharf_account_get_label (self->pending) == NULL)
    {
      /* Translators: %s is a 12-digit AWS account id */
      g_autofree char *label = g_strdup_printf (_("Account %s"), info->registry_id);
      wharf_account_set_label (self->pending, label);
    }

  gtk_label_set_label (self->progress_label, _("Saving…"));
  wharf_account_manager_save_async (self->manager, self->pending, self->pending_keys,
                                    self->cancellable, save_cb, g_object_ref (self));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  WharfAddAccountDialog *self = WHARF_ADD_ACCOUNT_DIALOG (widget);
  g_autoptr(WharfCredentialsProvider) provider = NULL;
  g_autoptr(WharfAccount) account = NULL;
  const char *profile_name = NULL;
  const char *region;

  if (self->busy)
    return;

  show_error (self, NULL);
  g_clear_pointer (&self->pending_keys, wharf_credentials_unref);

  if (on_keys_page (self))
    {
      g_autofree char *key_id = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->key_id_row))));
      g_autofree char *secret = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->secret_row))));
      g_autofree char *token = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->token_row))));
      const char *label = gtk_editable_get_text (GTK_EDITABLE (self->label_row));

      region = combo_region (self->keys_region_row);
      self->pending_keys = wharf_credentials_new (key_id, secret, *token != '\0' ? token : NULL, NULL);
      /* The typed secret is copied into the credentials; wipe our copies. */
      memset (secret, 0, strlen (secret));
      memset (token, 0, strlen (token));

      if (self->reenter != NULL)
        account = g_object_ref (self->reenter);
      else
        {
          g_autofree char *id = wharf_account_manager_new_id ();
          account = wharf_account_new (id, WHARF_ACCOUNT_SOURCE_KEYS, NULL);
        }
      wharf_account_set_label (account, *label != '\0' ? label : NULL);
      wharf_account_set_access_key_id (account, key_id);
      provider = wharf_static_credentials_provider_new (self->pending_keys);
    }
  else
    {
      WharfAwsProfile *profile = selected_profile (self);
      g_autofree char *id = NULL;
      g_autofree char *label = NULL;

      if (profile == NULL)
        return;

      profile_name = wharf_aws_profile_get_name (profile);
      region = combo_region (self->profile_region_row);
      id = g_strconcat ("profile:", profile_name, NULL);
      /* Translators: %s is the name of an AWS CLI profile */
      label = g_strdup_printf (_("Profile “%s”"), profile_name);
      account = wharf_account_new (id, WHARF_ACCOUNT_SOURCE_PROFILE, label);
      wharf_account_set_profile (account, profile_name);
      provider = wharf_default_credentials_provider_new (profile_name);
      wharf_profile_credentials_set_mfa_handler (provider, wharf_mfa_dialog_handler, NULL, NULL);
    }

  wharf_account_set_region (account, region);
  g_set_object (&self->pending, account);

  self->busy = TRUE;
  gtk_label_set_label (self->progress_label, _("Checking the credentials with Amazon ECR…"));
  update_buttons (self);

  g_clear_object (&self->client);
  self->client = wharf_account_manager_new_client (provider, profile_name, region);
  wharf_ecr_client_describe_registry_async (self->client, self->cancellable,
                                            verify_cb, g_object_ref (self));
}

/* ---- Profiles ---- */

static const char *
profile_kind_label (WharfAwsProfileKind kind)
{
  switch (kind)
    {
    case WHARF_AWS_PROFILE_KIND_STATIC_KEYS: return _("Access key");
    case WHARF_AWS_PROFILE_KIND_CREDENTIAL_PROCESS: return _("Credential process");
    case WHARF_AWS_PROFILE_KIND_SSO: return _("IAM Identity Center (SSO)");
    case WHARF_AWS_PROFILE_KIND_ASSUME_ROLE: return _("Assumed role");
    case WHARF_AWS_PROFILE_KIND_WEB_IDENTITY: return _("Web identity");
    case WHARF_AWS_PROFILE_KIND_NONE:
    default: return _("No credentials");
    }
}

static void
profile_selected_cb (WharfAddAccountDialog *self,
                     GtkListBoxRow         *row,
                     GtkListBox            *list)
{
  WharfAwsProfile *profile = row != NULL ? g_object_get_data (G_OBJECT (row), "profile") : NULL;

  if (self->disposed)
    return;

  if (profile != NULL && wharf_aws_profile_get_region (profile) != NULL)
    combo_set_region (self->profile_region_row, wharf_aws_profile_get_region (profile));
  update_buttons (self);
}

static void
load_profiles_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(WharfAddAccountDialog) self = user_data;
  g_autoptr(WharfAwsConfig) config = NULL;
  g_autoptr(GListModel) profiles = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  config = wharf_aws_config_load_default_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->profiles_status_row),
                                     _("The AWS CLI configuration could not be read"));
      adw_action_row_set_subtitle (self->profiles_status_row, error->message);
      return;
    }

  profiles = wharf_aws_config_list_profiles (config);
  n = g_list_model_get_n_items (profiles);
  if (n == 0)
    {
      g_autofree char *path = wharf_aws_config_get_config_file_path ();
      g_autofree char *subtitle = NULL;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->profiles_status_row),
                                     _("No profiles found"));
      /* Translators: %s is a file path */
      subtitle = g_strdup_printf (_("Nothing is configured in %s; enter an access key instead."), path);
      adw_action_row_set_subtitle (self->profiles_status_row, subtitle);
      return;
    }

  adw_preferences_group_remove (self->profiles_group, GTK_WIDGET (self->profiles_status_row));
  self->profiles_status_row = NULL;

  self->profile_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->profile_list, GTK_SELECTION_SINGLE);
  gtk_widget_add_css_class (GTK_WIDGET (self->profile_list), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->profile_list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Profiles"), -1);
  g_signal_connect_object (self->profile_list, "row-selected",
                           G_CALLBACK (profile_selected_cb), self, G_CONNECT_SWAPPED);
  adw_preferences_group_add (self->profiles_group, GTK_WIDGET (self->profile_list));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WharfAwsProfile) profile = g_list_model_get_item (profiles, i);
      const char *region = wharf_aws_profile_get_region (profile);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *mark = gtk_image_new_from_icon_name ("object-select-symbolic");
      g_autofree char *subtitle = NULL;

      if (wharf_aws_profile_get_usable (profile))
        /* Translators: a profile's kind of credentials and its region, "Access key · eu-west-1" */
        subtitle = g_strdup_printf (_("%s · %s"),
                                    profile_kind_label (wharf_aws_profile_get_kind (profile)),
                                    region != NULL ? region : _("no region set"));
      else
        subtitle = g_strdup (wharf_aws_profile_get_unusable_reason (profile));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), wharf_aws_profile_get_name (profile));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_add_css_class (mark, "choice-mark");
      gtk_accessible_update_property (GTK_ACCESSIBLE (mark), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Chosen"), -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), mark);
      g_object_set_data_full (G_OBJECT (row), "profile", g_object_ref (profile), g_object_unref);

      /* Say why, and do not offer what cannot work. */
      gtk_widget_set_sensitive (row, wharf_aws_profile_get_usable (profile));
      gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), wharf_aws_profile_get_usable (profile));

      gtk_list_box_append (self->profile_list, row);
    }
}

static void
page_changed_cb (WharfAddAccountDialog *self)
{
  show_error (self, NULL);
  update_buttons (self);
}

/* ---- GObject ---- */

WharfAddAccountDialog *
wharf_add_account_dialog_new (GtkWindow           *parent,
                              WharfAccountManager *manager,
                              WharfAccount        *reenter)
{
  WharfAddAccountDialog *self;

  g_return_val_if_fail (WHARF_IS_ACCOUNT_MANAGER (manager), NULL);
  g_return_val_if_fail (!reenter || WHARF_IS_ACCOUNT (reenter), NULL);

  self = g_object_new (WHARF_TYPE_ADD_ACCOUNT_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->manager = g_object_ref (manager);

  if (reenter != NULL)
    {
      self->reenter = g_object_ref (reenter);
      gtk_window_set_title (GTK_WINDOW (self), _("Re-enter Access Key"));
      adw_view_switcher_title_set_title (self->switcher_title, _("Re-enter Access Key"));
      adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, FALSE);
      adw_view_stack_page_set_visible (adw_view_stack_get_page (self->view_stack,
                                                                adw_view_stack_get_child_by_name (self->view_stack, "profile")),
                                       FALSE);
      gtk_button_set_label (GTK_BUTTON (self->add_button), _("_Save"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->add_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Save"), -1);
      gtk_editable_set_text (GTK_EDITABLE (self->label_row), wharf_account_get_label (reenter));
      gtk_editable_set_text (GTK_EDITABLE (self->key_id_row),
                             wharf_account_get_access_key_id (reenter) != NULL
                             ? wharf_account_get_access_key_id (reenter) : "");
      combo_set_region (self->keys_region_row, wharf_account_get_region (reenter));
    }
  else
    wharf_aws_config_load_default_async (self->cancellable, load_profiles_cb, g_object_ref (self));

  update_buttons (self);
  return self;
}

static void
wharf_add_account_dialog_dispose (GObject *object)
{
  WharfAddAccountDialog *self = WHARF_ADD_ACCOUNT_DIALOG (object);

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), WHARF_TYPE_ADD_ACCOUNT_DIALOG);
  g_clear_object (&self->manager);
  g_clear_object (&self->reenter);
  g_clear_object (&self->client);
  g_clear_object (&self->pending);
  g_clear_pointer (&self->pending_keys, wharf_credentials_unref);

  G_OBJECT_CLASS (wharf_add_account_dialog_parent_class)->dispose (object);
}

static void
wharf_add_account_dialog_finalize (GObject *object)
{
  WharfAddAccountDialog *self = WHARF_ADD_ACCOUNT_DIALOG (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (wharf_add_account_dialog_parent_class)->finalize (object);
}

static void
wharf_add_account_dialog_class_init (WharfAddAccountDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wharf_add_account_dialog_dispose;
  object_class->finalize = wharf_add_account_dialog_finalize;

  signals[ACCOUNT_ADDED] = g_signal_new ("account-added", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, WHARF_TYPE_ACCOUNT);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/wharf-add-account-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, view_stack);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, label_row);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, key_id_row);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, secret_row);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, token_row);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, keys_region_row);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, profiles_group);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, profiles_status_row);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, profile_region_row);
  gtk_widget_class_bind_template_callback (widget_class, input_changed_cb);

  gtk_widget_class_install_action (widget_class, "account.add", NULL, add_action);
}

static void
wharf_add_account_dialog_init (WharfAddAccountDialog *self)
{
  g_autoptr(GtkStringList) regions = gtk_string_list_new (NULL);

  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < wharf_region_list_get_n_regions (); i++)
    {
      g_autofree char *title = wharf_region_list_dup_title (wharf_region_list_get_nth (i)->code);
      gtk_string_list_append (regions, title);
    }
  adw_combo_row_set_model (self->keys_region_row, G_LIST_MODEL (regions));
  adw_combo_row_set_model (self->profile_region_row, G_LIST_MODEL (regions));

  g_signal_connect_object (self->view_stack, "notify::visible-child",
                           G_CALLBACK (page_changed_cb), self, G_CONNECT_SWAPPED);
}
