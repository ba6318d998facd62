/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-add-account-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wharf-add-account-dialog.h"

#include "wharf-aws-config.h"
#include "wharf-mfa-dialog.h"
#include "wharf-region-list.h"
#include "wharf-sso-credentials.h"
#include "wharf-sso-sign-in-dialog.h"

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

  /* IAM Identity Center */
  WharfSsoSettings     *sso_signed_in;          /* the organisation signed in to (or being) */
  char                 *sso_token;              /* its access token, for the listings; wiped */
  char                 *sso_session;            /* the chosen config sso-session, nullable */
  GCancellable         *sso_cancellable;        /* listing the accounts */
  GCancellable         *sso_roles_cancellable;  /* listing one account's roles */
  gboolean              sso_setting_url;
  gboolean              sso_has_portals;
  gboolean              sso_dialog_open;
  gboolean              sso_dialog_done;

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
  AdwPreferencesGroup  *sso_start_group;
  AdwPreferencesGroup  *sso_sessions_group;
  GtkListBox           *sso_sessions_list;
  AdwEntryRow          *sso_url_row;
  AdwComboRow          *sso_region_row;
  GtkWidget            *sso_sign_in_button;
  AdwPreferencesGroup  *sso_signed_group;
  AdwActionRow         *sso_signed_row;
  AdwPreferencesGroup  *sso_accounts_group;
  GtkSearchEntry       *sso_account_search;
  GtkWidget            *sso_accounts_status_box;
  GtkLabel             *sso_accounts_status;
  GtkSpinner           *sso_accounts_spinner;
  GtkListBox           *sso_accounts_list;
  AdwPreferencesGroup  *sso_roles_group;
  GtkWidget            *sso_roles_status_box;
  GtkLabel             *sso_roles_status;
  GtkSpinner           *sso_roles_spinner;
  GtkListBox           *sso_roles_list;
  AdwPreferencesGroup  *sso_ecr_region_group;
  AdwComboRow          *sso_ecr_region_row;
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

static gboolean
on_sso_page (WharfAddAccountDialog *self)
{
  return g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "sso") == 0;
}

static WharfSsoAccount *selected_sso_account (WharfAddAccountDialog *self);
static const char      *selected_sso_role    (WharfAddAccountDialog *self);

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
  else if (on_sso_page (self))
    ready = self->sso_token != NULL && selected_sso_account (self) != NULL &&
            selected_sso_role (self) != NULL;
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
  else if (on_sso_page (self))
    {
      WharfSsoAccount *chosen = selected_sso_account (self);
      const char *role = selected_sso_role (self);
      g_autoptr(WharfSsoSettings) settings = NULL;
      g_autofree char *id = NULL;

      if (chosen == NULL || role == NULL || self->sso_signed_in == NULL)
        return;

      region = combo_region (self->sso_ecr_region_row);
      /* The same account and role of the same organisation is the same Wharf account. */
      id = g_strdup_printf ("sso:%s:%s@%s", chosen->account_id, role,
                            self->sso_signed_in->start_url);
      account = wharf_account_new (id, WHARF_ACCOUNT_SOURCE_SSO,
                                   chosen->account_name != NULL ? chosen->account_name
                                                                : chosen->account_id);
      wharf_account_set_sso_start_url (account, self->sso_signed_in->start_url);
      wharf_account_set_sso_region (account, self->sso_signed_in->sso_region);
      wharf_account_set_sso_session (account, self->sso_signed_in->session_name);
      wharf_account_set_account_id (account, chosen->account_id);
      wharf_account_set_account_name (account, chosen->account_name);
      wharf_account_set_role_name (account, role);
      settings = wharf_account_dup_sso_settings (account);
      provider = wharf_sso_credentials_provider_new (settings);
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

/* ---- IAM Identity Center ---- */

typedef struct
{
  char *session;    /* nullable: a legacy profile's sso_start_url */
  char *start_url;
  char *region;
} SsoPortal;

static void
sso_portal_free (SsoPortal *portal)
{
  g_free (portal->session);
  g_free (portal->start_url);
  g_free (portal->region);
  g_free (portal);
}

static void
wipe_string (char **s)
{
  if (*s != NULL)
    memset (*s, 0, strlen (*s));
  g_clear_pointer (s, g_free);
}

static GtkWidget *
choice_row_new (const char *title,
                const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *mark = gtk_image_new_from_icon_name ("object-select-symbolic");

  /* Names come from the service: never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_add_css_class (mark, "choice-mark");
  gtk_accessible_update_property (GTK_ACCESSIBLE (mark), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Chosen"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), mark);
  return row;
}

static void
list_box_clear (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

/* A loading, empty or failed list says so in words (and the service's message). */
static void
set_status (GtkLabel   *label,
            GtkSpinner *spinner,
            const char *title,
            const char *detail,
            gboolean    loading)
{
  g_autofree char *text = detail != NULL ? g_strconcat (title, "\n", detail, NULL)
                                         : g_strdup (title);

  gtk_label_set_label (label, text);
  gtk_widget_set_visible (GTK_WIDGET (spinner), loading);
  gtk_spinner_set_spinning (spinner, loading);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (label)), TRUE);
}

static WharfSsoAccount *
selected_sso_account (WharfAddAccountDialog *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->sso_accounts_list);

  return row != NULL ? g_object_get_data (G_OBJECT (row), "sso-account") : NULL;
}

static const char *
selected_sso_role (WharfAddAccountDialog *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->sso_roles_list);

  return row != NULL ? g_object_get_data (G_OBJECT (row), "sso-role") : NULL;
}

/* Back to choosing the organisation; the start URL and region stay as they were. */
static void
sso_reset (WharfAddAccountDialog *self)
{
  g_cancellable_cancel (self->sso_cancellable);
  g_clear_object (&self->sso_cancellable);
  g_cancellable_cancel (self->sso_roles_cancellable);
  g_clear_object (&self->sso_roles_cancellable);
  wipe_string (&self->sso_token);
  g_clear_pointer (&self->sso_signed_in, wharf_sso_settings_free);

  list_box_clear (self->sso_roles_list);
  list_box_clear (self->sso_accounts_list);
  gtk_editable_set_text (GTK_EDITABLE (self->sso_account_search), "");
  gtk_widget_set_visible (GTK_WIDGET (self->sso_start_group), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->sso_sessions_group), self->sso_has_portals);
  gtk_widget_set_visible (GTK_WIDGET (self->sso_signed_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->sso_accounts_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->sso_roles_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->sso_ecr_region_group), FALSE);
}

static void
sso_change_cb (WharfAddAccountDialog *self)
{
  sso_reset (self);
  show_error (self, NULL);
  update_buttons (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->sso_url_row));
}

static void
sso_session_selected_cb (WharfAddAccountDialog *self,
                         GtkListBoxRow         *row)
{
  SsoPortal *portal = row != NULL ? g_object_get_data (G_OBJECT (row), "sso-portal") : NULL;

  if (self->disposed || portal == NULL)
    return;

  self->sso_setting_url = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->sso_url_row), portal->start_url);
  self->sso_setting_url = FALSE;
  combo_set_region (self->sso_region_row, portal->region);
  g_free (self->sso_session);
  self->sso_session = g_strdup (portal->session);
  show_error (self, NULL);
}

static void
sso_url_changed_cb (WharfAddAccountDialog *self)
{
  GtkListBoxRow *row;

  if (self->disposed || self->sso_setting_url)
    return;

  /* A typed address is not the configured session any more. */
  row = gtk_list_box_get_selected_row (self->sso_sessions_list);
  if (row != NULL)
    {
      SsoPortal *portal = g_object_get_data (G_OBJECT (row), "sso-portal");

      if (g_strcmp0 (portal->start_url, gtk_editable_get_text (GTK_EDITABLE (self->sso_url_row))) != 0)
        gtk_list_box_unselect_all (self->sso_sessions_list);
    }
  if (gtk_list_box_get_selected_row (self->sso_sessions_list) == NULL)
    g_clear_pointer (&self->sso_session, g_free);
}

static int
compare_sso_accounts (gconstpointer a,
                      gconstpointer b)
{
  const WharfSsoAccount *x = *(WharfSsoAccount * const *) a;
  const WharfSsoAccount *y = *(WharfSsoAccount * const *) b;
  int by_name = g_utf8_collate (x->account_name != NULL ? x->account_name : "",
                                y->account_name != NULL ? y->account_name : "");

  return by_name != 0 ? by_name : g_strcmp0 (x->account_id, y->account_id);
}

static void
sso_roles_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(WharfAddAccountDialog) self = user_data;
  g_autoptr(GPtrArray) roles = NULL;
  g_autoptr(GError) error = NULL;

  roles = wharf_sso_list_account_roles_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->disposed)
    return;

  if (roles == NULL)
    {
      set_status (self->sso_roles_status, self->sso_roles_spinner,
                  _("The roles could not be loaded"), error->message, FALSE);
      return;
    }
  if (roles->len == 0)
    {
      set_status (self->sso_roles_status, self->sso_roles_spinner,
                  _("No roles in this account"),
                  _("You have no permission set in this account. Choose another account, or ask "
                    "your administrator to assign you one."), FALSE);
      return;
    }

  gtk_widget_set_visible (self->sso_roles_status_box, FALSE);
  for (guint i = 0; i < roles->len; i++)
    {
      GtkWidget *row = choice_row_new (g_ptr_array_index (roles, i), NULL);

      g_object_set_data_full (G_OBJECT (row), "sso-role", g_strdup (g_ptr_array_index (roles, i)),
                              g_free);
      gtk_list_box_append (self->sso_roles_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->sso_roles_list), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->sso_ecr_region_group), TRUE);
  /* Nothing to choose between: choose it. */
  if (roles->len == 1)
    gtk_list_box_select_row (self->sso_roles_list, gtk_list_box_get_row_at_index (self->sso_roles_list, 0));
  update_buttons (self);
}

static void
sso_account_selected_cb (WharfAddAccountDialog *self,
                         GtkListBoxRow         *row)
{
  WharfSsoAccount *account = row != NULL ? g_object_get_data (G_OBJECT (row), "sso-account") : NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *portal = NULL;

  if (self->disposed)
    return;

  g_cancellable_cancel (self->sso_roles_cancellable);
  g_clear_object (&self->sso_roles_cancellable);
  list_box_clear (self->sso_roles_list);
  gtk_widget_set_visible (GTK_WIDGET (self->sso_roles_list), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->sso_roles_group), account != NULL);
  update_buttons (self);
  if (account == NULL || self->sso_token == NULL)
    return;

  portal = wharf_sso_resolve_portal_endpoint (NULL, NULL, self->sso_signed_in->sso_region, &error);
  if (portal == NULL)
    {
      set_status (self->sso_roles_status, self->sso_roles_spinner,
                  _("The roles could not be loaded"), error->message, FALSE);
      return;
    }
  set_status (self->sso_roles_status, self->sso_roles_spinner, _("Loading roles…"), NULL, TRUE);
  self->sso_roles_cancellable = g_cancellable_new ();
  wharf_sso_list_account_roles_async (portal, self->sso_token, account->account_id, 0,
                                      self->sso_roles_cancellable, sso_roles_cb,
                                      g_object_ref (self));
}

static void
sso_role_selected_cb (WharfAddAccountDialog *self)
{
  update_buttons (self);
}

static gboolean
sso_account_filter (GtkListBoxRow *row,
                    gpointer       user_data)
{
  WharfAddAccountDialog *self = user_data;
  WharfSsoAccount *account = g_object_get_data (G_OBJECT (row), "sso-account");
  g_autofree char *needle = NULL;
  const char *fields[3];

  if (account == NULL || *gtk_editable_get_text (GTK_EDITABLE (self->sso_account_search)) == '\0')
    return TRUE;

  needle = g_utf8_casefold (gtk_editable_get_text (GTK_EDITABLE (self->sso_account_search)), -1);
  fields[0] = account->account_name;
  fields[1] = account->account_id;
  fields[2] = account->email_address;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *hay = fields[i] != NULL ? g_utf8_casefold (fields[i], -1) : NULL;

      if (hay != NULL && strstr (hay, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
sso_search_changed_cb (WharfAddAccountDialog *self)
{
  gtk_list_box_invalidate_filter (self->sso_accounts_list);
}

static void
sso_accounts_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(WharfAddAccountDialog) self = user_data;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;

  accounts = wharf_sso_list_accounts_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->disposed)
    return;

  if (accounts == NULL)
    {
      set_status (self->sso_accounts_status, self->sso_accounts_spinner,
                  _("The accounts could not be loaded"), error->message, FALSE);
      return;
    }
  if (accounts->len == 0)
    {
      set_status (self->sso_accounts_status, self->sso_accounts_spinner,
                  _("No accounts"),
                  _("Your user has no AWS account assigned in IAM Identity Center. Ask your "
                    "administrator to assign you an account and a permission set."), FALSE);
      return;
    }

  g_ptr_array_sort (accounts, compare_sso_accounts);
  gtk_widget_set_visible (self->sso_accounts_status_box, FALSE);
  for (guint i = 0; i < accounts->len; i++)
    {
      WharfSsoAccount *account = g_ptr_array_index (accounts, i);
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (account->email_address != NULL)
        /* Translators: a 12-digit AWS account id and an email address */
        subtitle = g_strdup_printf (_("%s · %s"), account->account_id, account->email_address);
      else
        subtitle = g_strdup (account->account_id);
      row = choice_row_new (account->account_name != NULL ? account->account_name
                                                          : account->account_id,
                            subtitle);
      /* The row owns the account from here on. */
      g_object_set_data_full (G_OBJECT (row), "sso-account", g_steal_pointer (&accounts->pdata[i]),
                              (GDestroyNotify) wharf_sso_account_free);
      gtk_list_box_append (self->sso_accounts_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->sso_account_search), accounts->len > 6);
  gtk_widget_set_visible (GTK_WIDGET (self->sso_accounts_list), TRUE);
}

static void
sso_show_signed_in (WharfAddAccountDialog *self,
                    WharfSsoToken         *token)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *portal = NULL;

  self->busy = FALSE;
  update_buttons (self);

  wipe_string (&self->sso_token);
  self->sso_token = g_strdup (token->access_token);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->sso_signed_row), FALSE);
  adw_action_row_set_subtitle (self->sso_signed_row, self->sso_signed_in->start_url);
  /* Hiding a focused entry leaves GtkText without its focus-out: move the focus first. */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->sso_start_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->sso_sessions_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->sso_signed_group), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->sso_accounts_group), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->sso_accounts_list), FALSE);
  /* Most organisations keep their repositories where they sign in. */
  combo_set_region (self->sso_ecr_region_row, self->sso_signed_in->sso_region);

  portal = wharf_sso_resolve_portal_endpoint (NULL, NULL, self->sso_signed_in->sso_region, &error);
  if (portal == NULL)
    {
      set_status (self->sso_accounts_status, self->sso_accounts_spinner,
                  _("The accounts could not be loaded"), error->message, FALSE);
      return;
    }
  set_status (self->sso_accounts_status, self->sso_accounts_spinner, _("Loading accounts…"),
              NULL, TRUE);
  self->sso_cancellable = g_cancellable_new ();
  wharf_sso_list_accounts_async (portal, self->sso_token, 0, self->sso_cancellable,
                                 sso_accounts_cb, g_object_ref (self));
}

static void
sso_sign_in_failed (WharfAddAccountDialog *self,
                    const char            *message)
{
  g_autofree char *text = NULL;

  g_clear_pointer (&self->sso_signed_in, wharf_sso_settings_free);
  self->busy = FALSE;
  update_buttons (self);
  /* Translators: %s is the message of IAM Identity Center */
  text = g_strdup_printf (_("Could not sign in to IAM Identity Center: %s"), message);
  show_error (self, text);
}

static void sso_token_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
sso_get_token (WharfAddAccountDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *oidc = wharf_sso_resolve_oidc_endpoint (NULL, NULL,
                                                           self->sso_signed_in->sso_region,
                                                           &error);

  if (oidc == NULL)
    {
      sso_sign_in_failed (self, error->message);
      return;
    }
  wharf_sso_get_token_async (self->sso_signed_in, oidc, self->cancellable, sso_token_cb,
                             g_object_ref (self));
}

static void
sso_dialog_signed_in_cb (WharfAddAccountDialog *self)
{
  self->sso_dialog_open = FALSE;
  self->sso_dialog_done = TRUE;
  sso_get_token (self);
}

static void
sso_dialog_destroy_cb (WharfAddAccountDialog *self)
{
  /* Closed without signing in: back to the choices, nothing lost. */
  if (!self->sso_dialog_open || self->disposed)
    return;
  self->sso_dialog_open = FALSE;
  g_clear_pointer (&self->sso_signed_in, wharf_sso_settings_free);
  self->busy = FALSE;
  update_buttons (self);
}

static void
sso_token_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(WharfAddAccountDialog) self = user_data;
  g_autoptr(WharfSsoToken) token = NULL;
  g_autoptr(GError) error = NULL;
  WharfSsoSignInDialog *dialog;

  token = wharf_sso_get_token_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->disposed)
    return;
  if (token != NULL)
    {
      sso_show_signed_in (self, token);
      return;
    }
  if (!g_error_matches (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_LOGIN_REQUIRED)
      || self->sso_dialog_done)
    {
      sso_sign_in_failed (self, error->message);
      return;
    }

  /* No valid token in the shared cache yet: the device sign-in, in its own window. */
  gtk_label_set_label (self->progress_label, _("Waiting for the sign-in in your browser…"));
  dialog = wharf_sso_sign_in_dialog_new_for_settings (GTK_WINDOW (self), self->sso_signed_in);
  self->sso_dialog_open = TRUE;
  g_signal_connect_object (dialog, "signed-in", G_CALLBACK (sso_dialog_signed_in_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (sso_dialog_destroy_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
sso_sign_in_cb (WharfAddAccountDialog *self)
{
  g_autofree char *url = NULL;
  g_autofree char *reason = NULL;

  if (self->busy || self->disposed)
    return;

  url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->sso_url_row))));
  /* Checked here, before anything is sent anywhere. */
  if (!wharf_sso_start_url_is_valid (url, &reason))
    {
      show_error (self, reason);
      gtk_widget_grab_focus (GTK_WIDGET (self->sso_url_row));
      return;
    }

  show_error (self, NULL);
  sso_reset (self);
  self->sso_signed_in = wharf_sso_settings_new (self->sso_session, url,
                                                combo_region (self->sso_region_row), NULL, NULL);
  self->sso_dialog_done = FALSE;
  /* The page turns insensitive while busy: a focused entry in it would lose the focus
   * without its focus-out (GTK 4.8), so move the focus to the button first. */
  gtk_widget_grab_focus (self->sso_sign_in_button);
  self->busy = TRUE;
  gtk_label_set_label (self->progress_label, _("Signing in to IAM Identity Center…"));
  update_buttons (self);
  sso_get_token (self);
}

/* One row for a portal, unless @seen has it already (by session name, else start URL). */
static void
sso_add_portal (WharfAddAccountDialog *self,
                GHashTable            *seen,
                const char            *session,
                const char            *start_url,
                const char            *region)
{
  g_autofree char *subtitle = NULL;
  SsoPortal *portal;
  GtkWidget *row;

  if (start_url == NULL || region == NULL
      || !wharf_sso_start_url_is_valid (start_url, NULL)
      || !g_hash_table_add (seen, g_strdup (session != NULL ? session : start_url)))
    return;

  portal = g_new0 (SsoPortal, 1);
  portal->session = g_strdup (session);
  portal->start_url = g_strdup (start_url);
  portal->region = g_strdup (region);
  /* Translators: a start URL and an AWS region code */
  subtitle = g_strdup_printf (_("%s · %s"), start_url, region);
  row = choice_row_new (session != NULL ? session : start_url,
                        session != NULL ? subtitle : region);
  g_object_set_data_full (G_OBJECT (row), "sso-portal", portal,
                          (GDestroyNotify) sso_portal_free);
  gtk_list_box_append (self->sso_sessions_list, row);
}

/* The sso-sessions and legacy start URLs that ~/.aws/config's profiles use, then every
 * other [sso-session] section with a start URL and region. */
static void
sso_fill_portals (WharfAddAccountDialog *self,
                  WharfAwsConfig        *config)
{
  g_autoptr(GPtrArray) names = wharf_aws_config_get_profile_names (config);
  g_autoptr(GPtrArray) sessions = wharf_aws_config_get_sso_session_names (config);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < names->len; i++)
    {
      const char *profile = g_ptr_array_index (names, i);
      const char *session = wharf_aws_config_get (config, profile, "sso_session");

      if (session != NULL)
        sso_add_portal (self, seen, session,
                        wharf_aws_config_get_sso_session_setting (config, session, "sso_start_url"),
                        wharf_aws_config_get_sso_session_setting (config, session, "sso_region"));
      else
        sso_add_portal (self, seen, NULL,
                        wharf_aws_config_get (config, profile, "sso_start_url"),
                        wharf_aws_config_get (config, profile, "sso_region"));
    }

  for (guint i = 0; i < sessions->len; i++)
    {
      const char *session = g_ptr_array_index (sessions, i);

      sso_add_portal (self, seen, session,
                      wharf_aws_config_get_sso_session_setting (config, session, "sso_start_url"),
                      wharf_aws_config_get_sso_session_setting (config, session, "sso_region"));
    }

  self->sso_has_portals = g_hash_table_size (seen) > 0;
  gtk_widget_set_visible (GTK_WIDGET (self->sso_sessions_group), self->sso_has_portals);
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
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->profiles_status_row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->profiles_status_row),
                                     _("The AWS CLI configuration could not be read"));
      adw_action_row_set_subtitle (self->profiles_status_row, error->message);
      return;
    }

  sso_fill_portals (self, config);

  profiles = wharf_aws_config_list_profiles (config);
  n = g_list_model_get_n_items (profiles);
  if (n == 0)
    {
      g_autofree char *path = wharf_aws_config_get_config_file_path ();
      g_autofree char *subtitle = NULL;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->profiles_status_row), FALSE);
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

      /* Names, paths and reasons come from the person's files: plain text, not markup. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
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
      adw_view_stack_page_set_visible (adw_view_stack_get_page (self->view_stack,
                                                                adw_view_stack_get_child_by_name (self->view_stack, "sso")),
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
  g_cancellable_cancel (self->sso_cancellable);
  g_clear_object (&self->sso_cancellable);
  g_cancellable_cancel (self->sso_roles_cancellable);
  g_clear_object (&self->sso_roles_cancellable);
  wipe_string (&self->sso_token);
  g_clear_pointer (&self->sso_signed_in, wharf_sso_settings_free);
  g_clear_pointer (&self->sso_session, g_free);

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
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, sso_start_group);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, sso_sessions_list);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, sso_sessions_group);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, sso_accounts_status_box);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, sso_roles_status_box);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, sso_url_row);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, sso_region_row);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, sso_sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, sso_signed_group);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, sso_signed_row);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, sso_accounts_group);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, sso_account_search);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, sso_accounts_status);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, sso_accounts_spinner);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, sso_accounts_list);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, sso_roles_group);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, sso_roles_status);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, sso_roles_spinner);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, sso_roles_list);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, sso_ecr_region_group);
  gtk_widget_class_bind_template_child (widget_class, WharfAddAccountDialog, sso_ecr_region_row);
  gtk_widget_class_bind_template_callback (widget_class, sso_session_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, sso_url_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sso_sign_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, sso_change_cb);
  gtk_widget_class_bind_template_callback (widget_class, sso_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sso_account_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, sso_role_selected_cb);

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
  adw_combo_row_set_model (self->sso_region_row, G_LIST_MODEL (regions));
  adw_combo_row_set_model (self->sso_ecr_region_row, G_LIST_MODEL (regions));
  gtk_list_box_set_filter_func (self->sso_accounts_list, sso_account_filter, self, NULL);

  g_signal_connect_object (self->view_stack, "notify::visible-child",
                           G_CALLBACK (page_changed_cb), self, G_CONNECT_SWAPPED);
}
