/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The account and region the window shows: choosing them (from the account and region
 * menus, the settings, or an AWS CLI profile's region), the account menu's list, and the
 * buttons that name them.
 */
#define G_LOG_DOMAIN "wharf-window"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-window-private.h"

#include "wharf-aws-config.h"
#include "wharf-region-list.h"

GParamSpec *wharf_window_properties[N_PROPS];

/* ---- Account menu ---- */

static void
wharf_window_rebuild_account_menu (WharfWindow *self)
{
  GListModel *model = wharf_account_manager_get_accounts (self->accounts);
  guint n = g_list_model_get_n_items (model);

  g_menu_remove_all (self->account_section);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WharfAccount) account = g_list_model_get_item (model, i);
      g_autoptr(GMenuItem) item = g_menu_item_new (wharf_account_get_label (account), NULL);

      g_menu_item_set_action_and_target_value (item, "win.account",
                                               g_variant_new_string (wharf_account_get_id (account)));
      g_menu_append_item (self->account_section, item);
    }
}

void
wharf_window_update_switchers (WharfWindow *self)
{
  g_autofree char *region_title = wharf_region_list_dup_title (self->region);

  if (self->account != NULL)
    {
      g_autofree char *description = wharf_account_dup_description (self->account);

      gtk_label_set_label (self->account_label, wharf_account_get_label (self->account));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->account_button), description);
      adw_window_title_set_subtitle (self->sidebar_title, wharf_region_list_get_name (self->region));
    }
  else
    {
      gtk_label_set_label (self->account_label, _("No Account"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->account_button), _("Switch Account"));
      adw_window_title_set_subtitle (self->sidebar_title, NULL);
    }

  gtk_label_set_label (self->region_label, self->region);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->region_button), region_title);

  /* A screen reader says "Account" and "Region", then what is chosen. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->account_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  gtk_label_get_label (self->account_label), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->region_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, region_title, -1);
  gtk_revealer_set_reveal_child (self->practice_banner,
                                 self->account != NULL &&
                                 wharf_account_get_source (self->account) == WHARF_ACCOUNT_SOURCE_PRACTICE);
}

/* ---- Choosing ---- */

void
wharf_window_set_region (WharfWindow *self,
                         const char  *region,
                         gboolean     remember)
{
  if (region == NULL || *region == '\0')
    region = WHARF_FALLBACK_REGION;

  if (g_strcmp0 (self->region, region) == 0)
    return;

  g_free (self->region);
  self->region = g_strdup (region);
  if (remember)
    g_settings_set_string (self->settings, "selected-region", region);

  wharf_window_update_switchers (self);
  g_object_notify_by_pspec (G_OBJECT (self), wharf_window_properties[PROP_REGION]);
}

/* AWS_PROFILE without AWS_REGION: the profile's region, read without blocking, as the
 * AWS CLI would use it. */
static void
profile_region_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(WharfWindow) self = user_data;
  g_autoptr(WharfAwsConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *region = NULL;
  WharfAccount *account = self->account;

  config = wharf_aws_config_load_default_finish (result, &error);
  if (config == NULL || account == NULL ||
      wharf_account_get_source (account) != WHARF_ACCOUNT_SOURCE_ENVIRONMENT ||
      wharf_account_get_region (account) != NULL)
    return;

  region = wharf_aws_config_resolve_region (config, wharf_account_get_profile (account));
  if (region == NULL)
    return;
  wharf_account_set_region (account, region);

  /* A region the person chose for this account stays. */
  {
    g_autofree char *chosen_account = g_settings_get_string (self->settings, "selected-account");
    g_autofree char *chosen_region = g_settings_get_string (self->settings, "selected-region");

    if (*chosen_region != '\0' && g_str_equal (chosen_account, wharf_account_get_id (account)))
      return;
  }

  if (g_strcmp0 (self->region, region) != 0)
    {
      wharf_window_set_region (self, region, FALSE);
      wharf_window_reload (self);
    }
}

void
wharf_window_set_account (WharfWindow  *self,
                          WharfAccount *account,
                          gboolean      remember)
{
  if (!g_set_object (&self->account, account))
    return;

  if (account != NULL &&
      wharf_account_get_source (account) == WHARF_ACCOUNT_SOURCE_ENVIRONMENT &&
      wharf_account_get_region (account) == NULL &&
      wharf_account_get_profile (account) != NULL)
    wharf_aws_config_load_default_async (self->cancellable, profile_region_cb,
                                         g_object_ref (self));

  if (account != NULL)
    {
      g_autofree char *remembered = g_settings_get_string (self->settings, "selected-region");
      g_autofree char *remembered_account = g_settings_get_string (self->settings, "selected-account");
      const char *region = wharf_account_get_region (account);

      /* The region last chosen for this account wins over the account's own. */
      if (*remembered != '\0' && g_str_equal (remembered_account, wharf_account_get_id (account)))
        region = remembered;
      wharf_window_set_region (self, region, FALSE);

      if (remember)
        {
          g_settings_set_string (self->settings, "selected-account", wharf_account_get_id (account));
          g_settings_set_string (self->settings, "selected-region", self->region);
        }
    }

  gtk_stack_set_visible_child_name (self->content, account != NULL ? "no-selection" : "welcome");
  /* Narrow and no account: the welcome page (with its Add button) comes first. */
  if (account == NULL)
    adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content));
  wharf_window_update_switchers (self);
  g_object_notify_by_pspec (G_OBJECT (self), wharf_window_properties[PROP_ACCOUNT]);
  g_object_notify_by_pspec (G_OBJECT (self), wharf_window_properties[PROP_ACCOUNT_ID]);
  wharf_window_reload (self);
}

static void
accounts_changed_cb (WharfWindow *self)
{
  wharf_window_rebuild_account_menu (self);

  /* The current account was removed: show the first remaining one, if any. */
  if (self->account != NULL &&
      wharf_account_manager_lookup (self->accounts, wharf_account_get_id (self->account)) == NULL)
    {
      g_autoptr(WharfAccount) first =
        g_list_model_get_item (wharf_account_manager_get_accounts (self->accounts), 0);

      wharf_window_set_account (self, first, TRUE);
    }
  else
    wharf_window_update_switchers (self);
}

/* The accounts (the settings' and the environment's), listed in the account menu. */
void
wharf_window_set_up_accounts (WharfWindow *self)
{
  self->accounts = wharf_account_manager_new (self->settings);
  g_signal_connect_object (wharf_account_manager_get_accounts (self->accounts), "items-changed",
                           G_CALLBACK (accounts_changed_cb), self, G_CONNECT_SWAPPED);
  wharf_window_rebuild_account_menu (self);
}
