/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-account-manager"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-account-manager.h"
#include "wharf-keyring.h"
#include "wharf-mfa-dialog.h"
#include "wharf-practice.h"
#include "wharf-sso-credentials.h"

struct _WharfAccountManager
{
  GObject       parent_instance;

  GSettings    *settings;
  GListStore   *accounts;
  WharfAccount *environment;
};

G_DEFINE_FINAL_TYPE (WharfAccountManager, wharf_account_manager, G_TYPE_OBJECT)

static WharfAccount *
create_environment_account (void)
{
  const char *key_id = g_getenv ("AWS_ACCESS_KEY_ID");
  const char *secret = g_getenv ("AWS_SECRET_ACCESS_KEY");
  const char *profile = g_getenv ("AWS_PROFILE");
  g_autofree char *label = NULL;
  g_autofree char *region = NULL;
  WharfAccount *account;

  if (key_id != NULL && *key_id != '\0' && secret != NULL && *secret != '\0')
    {
      g_autofree char *abbreviated = wharf_account_abbreviate_key_id (key_id);
      /* Translators: %s is an abbreviated access key id, "AKIA…1234" */
      label = g_strdup_printf (_("Environment (%s)"), abbreviated);
      profile = NULL;
    }
  else if (profile != NULL && *profile != '\0')
    {
      /* Translators: %s is the name of an AWS CLI profile */
      label = g_strdup_printf (_("Profile “%s”"), profile);
      key_id = NULL;
    }
  else
    return NULL;

  account = wharf_account_new (WHARF_ENVIRONMENT_ACCOUNT_ID,
                               WHARF_ACCOUNT_SOURCE_ENVIRONMENT, label);
  wharf_account_set_access_key_id (account, key_id);
  wharf_account_set_profile (account, profile);

  /* AWS_REGION > AWS_DEFAULT_REGION; a profile's own region is read later, off the main
   * thread, by the client. */
  {
    const char *env_region = g_getenv ("AWS_REGION");

    if (env_region == NULL || *env_region == '\0')
      env_region = g_getenv ("AWS_DEFAULT_REGION");
    region = g_strdup (env_region);
  }
  wharf_account_set_region (account, region);

  return account;
}

static void
load_accounts (WharfAccountManager *self)
{
  g_autoptr(GVariant) value = g_settings_get_value (self->settings, "accounts");
  g_autoptr(GPtrArray) loaded = g_ptr_array_new_with_free_func (g_object_unref);
  GVariantIter iter;
  GVariant *child;

  if (self->environment != NULL)
    g_ptr_array_add (loaded, g_object_ref (self->environment));

  g_variant_iter_init (&iter, value);
  while ((child = g_variant_iter_next_value (&iter)))
    {
      WharfAccount *account = wharf_account_new_from_variant (child);

      if (account != NULL)
        g_ptr_array_add (loaded, account);
      else
        g_warning ("Ignoring an unusable entry of the accounts setting");

      g_variant_unref (child);
    }

  g_list_store_splice (self->accounts, 0, g_list_model_get_n_items (G_LIST_MODEL (self->accounts)),
                       loaded->pdata, loaded->len);
}

static void
store_accounts (WharfAccountManager *self)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("aa{sv}"));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WharfAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      if (wharf_account_get_source (account) == WHARF_ACCOUNT_SOURCE_ENVIRONMENT ||
          wharf_account_get_source (account) == WHARF_ACCOUNT_SOURCE_PRACTICE)
        continue;
      g_variant_builder_add_value (&builder, wharf_account_to_variant (account));
    }

  g_settings_set_value (self->settings, "accounts", g_variant_builder_end (&builder));
}

WharfAccountManager *
wharf_account_manager_new (GSettings *settings)
{
  WharfAccountManager *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (WHARF_TYPE_ACCOUNT_MANAGER, NULL);
  self->settings = g_object_ref (settings);
  self->environment = create_environment_account ();
  load_accounts (self);

  return self;
}

GListModel *
wharf_account_manager_get_accounts (WharfAccountManager *self)
{
  g_return_val_if_fail (WHARF_IS_ACCOUNT_MANAGER (self), NULL);

  return G_LIST_MODEL (self->accounts);
}

static gboolean
find_account (WharfAccountManager *self,
              const char          *id,
              guint               *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WharfAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      if (g_strcmp0 (wharf_account_get_id (account), id) == 0)
        {
          *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

WharfAccount *
wharf_account_manager_lookup (WharfAccountManager *self,
                              const char          *id)
{
  guint position;
  g_autoptr(WharfAccount) account = NULL;

  g_return_val_if_fail (WHARF_IS_ACCOUNT_MANAGER (self), NULL);

  if (id == NULL || !find_account (self, id, &position))
    return NULL;

  account = g_list_model_get_item (G_LIST_MODEL (self->accounts), position);
  return account; /* the store keeps it alive */
}

void
wharf_account_manager_add_unsaved (WharfAccountManager *self,
                                   WharfAccount        *account)
{
  guint position;

  g_return_if_fail (WHARF_IS_ACCOUNT_MANAGER (self));
  g_return_if_fail (WHARF_IS_ACCOUNT (account));

  if (!find_account (self, wharf_account_get_id (account), &position))
    g_list_store_append (self->accounts, account);
}

WharfAccount *
wharf_account_manager_get_environment_account (WharfAccountManager *self)
{
  g_return_val_if_fail (WHARF_IS_ACCOUNT_MANAGER (self), NULL);

  return self->environment;
}

char *
wharf_account_manager_new_id (void)
{
  return wharf_keyring_new_account_id ();
}

/* ---- Saving ---- */

static void
save_commit (GTask *task)
{
  WharfAccountManager *self = g_task_get_source_object (task);
  WharfAccount *account = g_task_get_task_data (task);
  guint position;

  if (find_account (self, wharf_account_get_id (account), &position))
    g_list_store_splice (self->accounts, position, 1, (gpointer *) &account, 1);
  else
    g_list_store_append (self->accounts, account);

  store_accounts (self);
  g_task_return_boolean (task, TRUE);
}

static void
save_store_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* Nothing reaches GSettings unless the secret is safely in the keyring. */
  if (!wharf_keyring_store_finish (result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  save_commit (task);
}

void
wharf_account_manager_save_async (WharfAccountManager *self,
                                  WharfAccount        *account,
                                  WharfCredentials    *keys,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (WHARF_IS_ACCOUNT_MANAGER (self));
  g_return_if_fail (WHARF_IS_ACCOUNT (account));
  g_return_if_fail (wharf_account_get_source (account) != WHARF_ACCOUNT_SOURCE_ENVIRONMENT);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wharf_account_manager_save_async);
  g_task_set_task_data (task, g_object_ref (account), g_object_unref);

  if (keys == NULL)
    {
      save_commit (task);
      return;
    }

  wharf_account_set_access_key_id (account, wharf_credentials_get_access_key_id (keys));

  /* Translators: the label of a keyring item; %s is the account's name in Wharf */
  label = g_strdup_printf (_("Wharf: AWS access key of “%s”"), wharf_account_get_label (account));
  wharf_keyring_store_async (wharf_account_get_id (account), label, keys, cancellable,
                             save_store_cb, g_steal_pointer (&task));
}

gboolean
wharf_account_manager_save_finish (WharfAccountManager  *self,
                                   GAsyncResult         *result,
                                   GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Removing ---- */

static void
remove_delete_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WharfAccountManager *self = g_task_get_source_object (task);
  WharfAccount *account = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  guint position;

  /* FALSE without an error: there was nothing stored (a profile account). */
  if (!wharf_keyring_delete_finish (result, &error) && error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (find_account (self, wharf_account_get_id (account), &position))
    g_list_store_remove (self->accounts, position);
  store_accounts (self);

  g_task_return_boolean (task, TRUE);
}

void
wharf_account_manager_remove_async (WharfAccountManager *self,
                                    WharfAccount        *account,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WHARF_IS_ACCOUNT_MANAGER (self));
  g_return_if_fail (WHARF_IS_ACCOUNT (account));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wharf_account_manager_remove_async);
  g_task_set_task_data (task, g_object_ref (account), g_object_unref);

  if (wharf_account_get_source (account) == WHARF_ACCOUNT_SOURCE_ENVIRONMENT)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("The environment’s account cannot be removed; unset its variables instead."));
      return;
    }

  wharf_keyring_delete_async (wharf_account_get_id (account), cancellable,
                              remove_delete_cb, g_steal_pointer (&task));
}

gboolean
wharf_account_manager_remove_finish (WharfAccountManager  *self,
                                     GAsyncResult         *result,
                                     GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Clients ---- */

WharfEcrClient *
wharf_account_manager_new_client (WharfCredentialsProvider *provider,
                                  const char               *profile,
                                  const char               *region)
{
  WharfEcrClient *client = wharf_ecr_client_new (region, provider);

  if (profile != NULL)
    wharf_aws_client_set_profile (wharf_ecr_client_get_aws_client (client), profile);

  return client;
}

void
wharf_account_manager_create_client_async (WharfAccountManager *self,
                                           WharfAccount        *account,
                                           const char          *region,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(WharfCredentialsProvider) provider = NULL;
  const char *profile = NULL;

  g_return_if_fail (WHARF_IS_ACCOUNT_MANAGER (self));
  g_return_if_fail (WHARF_IS_ACCOUNT (account));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wharf_account_manager_create_client_async);

  switch (wharf_account_get_source (account))
    {
    case WHARF_ACCOUNT_SOURCE_ENVIRONMENT:
      /* As the AWS CLI would: the environment's keys, else AWS_PROFILE. */
      provider = wharf_default_credentials_provider_new (NULL);
      wharf_profile_credentials_set_mfa_handler (provider, wharf_mfa_dialog_handler, NULL, NULL);
      break;

    case WHARF_ACCOUNT_SOURCE_PROFILE:
      profile = wharf_account_get_profile (account);
      provider = wharf_default_credentials_provider_new (profile);
      /* Role profiles with mfa_serial ask for the code. */
      wharf_profile_credentials_set_mfa_handler (provider, wharf_mfa_dialog_handler, NULL, NULL);
      break;

    case WHARF_ACCOUNT_SOURCE_KEYS:
      /* Reads the keyring on the first request, without blocking. */
      provider = wharf_keyring_credentials_provider_new (wharf_account_get_id (account));
      break;

    case WHARF_ACCOUNT_SOURCE_SSO:
      {
        /* The token comes from the AWS CLI's cache, the role credentials from the portal. */
        g_autoptr(WharfSsoSettings) settings = wharf_account_dup_sso_settings (account);

        if (settings == NULL)
          {
            g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                     _("This IAM Identity Center account lacks its start URL, "
                                       "account or role; remove it and add it again."));
            return;
          }
        provider = wharf_sso_credentials_provider_new (settings);
      }
      break;

    case WHARF_ACCOUNT_SOURCE_PRACTICE:
      {
        /* The in-process sandbox, with this run's in-memory keys. */
        GError *error = NULL;
        WharfEcrClient *client = wharf_practice_create_client (wharf_practice_get_default (),
                                                               region, &error);

        if (client == NULL)
          g_task_return_error (task, error);
        else
          g_task_return_pointer (task, client, g_object_unref);
        return;
      }

    default:
      g_assert_not_reached ();
    }

  g_task_return_pointer (task, wharf_account_manager_new_client (provider, profile, region),
                         g_object_unref);
}

WharfEcrClient *
wharf_account_manager_create_client_finish (WharfAccountManager  *self,
                                            GAsyncResult         *result,
                                            GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
wharf_account_manager_finalize (GObject *object)
{
  WharfAccountManager *self = WHARF_ACCOUNT_MANAGER (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->accounts);
  g_clear_object (&self->environment);

  G_OBJECT_CLASS (wharf_account_manager_parent_class)->finalize (object);
}

static void
wharf_account_manager_class_init (WharfAccountManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = wharf_account_manager_finalize;
}

static void
wharf_account_manager_init (WharfAccountManager *self)
{
  self->accounts = g_list_store_new (WHARF_TYPE_ACCOUNT);
}
