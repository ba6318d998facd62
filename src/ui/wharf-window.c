/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * WharfWindow: the class, its template and state, and what the repository page and the
 * list tell it. Its other parts are listed in wharf-window-private.h.
 */
#define G_LOG_DOMAIN "wharf-window"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-window-private.h"

#include "wharf-problem-host.h"

#include "wharf-practice.h"
#include "wharf-region-list.h"
#include "wharf-repository-row.h"

G_DEFINE_FINAL_TYPE_WITH_CODE (WharfWindow, wharf_window, ADW_TYPE_APPLICATION_WINDOW,
                               G_IMPLEMENT_INTERFACE (WHARF_TYPE_PROBLEM_HANDLER,
                                                      wharf_window_problem_handler_init))

WharfWindow *
wharf_window_new (GtkApplication *application)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  return g_object_new (WHARF_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

void
wharf_window_add_toast (WharfWindow *self,
                        AdwToast    *toast)
{
  g_return_if_fail (WHARF_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* ---- State ---- */

static void
wharf_window_save_state (WharfWindow *self)
{
  int width = 0;
  int height = 0;

  g_assert (WHARF_IS_WINDOW (self));

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (self->settings);
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (self->settings);
}

static gboolean
wharf_window_close_request (GtkWindow *window)
{
  WharfWindow *self = WHARF_WINDOW (window);

  wharf_window_save_state (self);

  return GTK_WINDOW_CLASS (wharf_window_parent_class)->close_request (window);
}

/* ---- Repository list and page ---- */

static void
selection_changed_cb (WharfWindow *self)
{
  WharfRepository *repository = gtk_single_selection_get_selected_item (self->selection);

  if (self->replacing)
    return;

  if (repository == wharf_repository_page_get_repository (self->repository_page))
    return;

  wharf_window_show_repository (self, repository);

  /* Narrow: choosing a repository opens it, as a tap on a row would. */
  if (repository != NULL && adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content));
}

static void
repository_list_activate_cb (WharfWindow *self,
                             guint        position)
{
  gtk_single_selection_set_selected (self->selection, position);
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content));
}

static void
search_changed_cb (WharfWindow *self)
{
  gtk_string_filter_set_search (self->name_filter,
                                gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  wharf_window_update_sidebar_page (self);
}

static void
search_activate_cb (WharfWindow *self)
{
  /* Enter opens the first match. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->selection)) > 0)
    {
      gtk_single_selection_set_selected (self->selection, 0);
      adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content));
    }
}

static void
search_stop_cb (WharfWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->repository_list));
}

static void
repository_deleted_cb (WharfWindow         *self,
                       WharfRepository     *repository,
                       WharfRepositoryPage *page)
{
  guint position;

  if (self->repositories != NULL &&
      g_list_store_find (self->repositories, repository, &position))
    g_list_store_remove (self->repositories, position);

  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  wharf_window_show_repository (self, NULL);
  wharf_window_update_sidebar_page (self);
  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

/* Deleted elsewhere while it was shown: dropped like a deletion, and the person is told. */
static void
repository_gone_cb (WharfWindow         *self,
                    WharfRepository     *repository,
                    const char          *message,
                    WharfRepositoryPage *page)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);
  guint n = self->repositories != NULL
            ? g_list_model_get_n_items (G_LIST_MODEL (self->repositories)) : 0;

  /* By name: a refresh of the list since the page opened made new objects. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WharfRepository) item = g_list_model_get_item (G_LIST_MODEL (self->repositories), i);

      if (g_strcmp0 (wharf_repository_get_name (item), wharf_repository_get_name (repository)) == 0)
        {
          g_list_store_remove (self->repositories, i);
          break;
        }
    }
  repository_deleted_cb (self, repository, page);
  adw_toast_set_timeout (toast, 10);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
repository_changed_cb (WharfWindow         *self,
                       WharfRepository     *old_repository,
                       WharfRepository     *new_repository,
                       WharfRepositoryPage *page)
{
  guint position;

  /* Settings changed: keep the list's object in step with ECR, and the row selected
   * without reloading the page that is showing it. */
  if (self->repositories != NULL &&
      g_list_store_find (self->repositories, old_repository, &position))
    {
      self->replacing = TRUE;
      g_list_store_splice (self->repositories, position, 1, (gpointer *) &new_repository, 1);
      wharf_window_select_by_name (self, wharf_repository_get_name (new_repository));
      self->replacing = FALSE;
    }
}

static void
credentials_failed_cb (WharfWindow         *self,
                       const char          *message,
                       WharfRepositoryPage *page)
{
  wharf_window_show_credentials_banner (self, message, NULL);
}

static void
practice_restarted_cb (WharfWindow *self)
{
  /* The sandbox listens on a new port: connect again. */
  if (self->account != NULL &&
      wharf_account_get_source (self->account) == WHARF_ACCOUNT_SOURCE_PRACTICE)
    wharf_window_reload (self);
}

/* ---- GObject ---- */

static void
wharf_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  WharfWindow *self = WHARF_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    case PROP_ACCOUNT_ID:
      g_value_set_string (value, self->account != NULL ? wharf_account_get_id (self->account) : "");
      break;
    case PROP_REGION:
      g_value_set_string (value, self->region);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wharf_window_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  WharfWindow *self = WHARF_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT_ID:
      {
        WharfAccount *account = wharf_account_manager_lookup (self->accounts,
                                                              g_value_get_string (value));
        if (account != NULL)
          wharf_window_set_account (self, account, TRUE);
      }
      break;
    case PROP_REGION:
      {
        const char *region = g_value_get_string (value);

        if (region != NULL && g_strcmp0 (region, self->region) != 0)
          {
            wharf_window_set_region (self, region, TRUE);
            if (self->account != NULL)
              g_settings_set_string (self->settings, "selected-account",
                                     wharf_account_get_id (self->account));
            wharf_window_reload (self);
          }
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wharf_window_dispose (GObject *object)
{
  WharfWindow *self = WHARF_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_weak_pointer (&self->tutorial);
  if (self->listing != NULL)
    {
      g_signal_group_set_target (self->listing_signals, NULL);
      wharf_ecr_listing_cancel (self->listing);
      g_clear_object (&self->listing);
    }
  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_data (wharf_account_manager_get_accounts (self->accounts), self);

  gtk_widget_dispose_template (GTK_WIDGET (self), WHARF_TYPE_WINDOW);

  g_clear_object (&self->selection);
  g_clear_object (&self->client);
  g_clear_object (&self->repositories);

  G_OBJECT_CLASS (wharf_window_parent_class)->dispose (object);
}

static void
wharf_window_finalize (GObject *object)
{
  WharfWindow *self = WHARF_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->accounts);
  g_clear_object (&self->account);
  g_clear_pointer (&self->region, g_free);
  g_clear_pointer (&self->pending_select, g_free);
  g_clear_pointer (&self->credentials_message, g_free);
  g_clear_pointer (&self->identities, g_hash_table_unref);
  g_clear_object (&self->identity_cancellable);
  g_clear_object (&self->listing_signals);

  G_OBJECT_CLASS (wharf_window_parent_class)->finalize (object);
}

static void
wharf_window_class_init (WharfWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = wharf_window_dispose;
  object_class->finalize = wharf_window_finalize;
  object_class->get_property = wharf_window_get_property;
  object_class->set_property = wharf_window_set_property;

  window_class->close_request = wharf_window_close_request;

  wharf_window_properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, WHARF_TYPE_ACCOUNT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  wharf_window_properties[PROP_ACCOUNT_ID] =
    g_param_spec_string ("account-id", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  wharf_window_properties[PROP_REGION] =
    g_param_spec_string ("region", NULL, NULL, WHARF_FALLBACK_REGION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, wharf_window_properties);

  g_type_ensure (WHARF_TYPE_REPOSITORY_PAGE);
  g_type_ensure (WHARF_TYPE_PROBLEM_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/wharf-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, content);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, account_button);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, account_label);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, region_button);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, region_label);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, credentials_banner);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, practice_banner);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, credentials_banner_label);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, credentials_banner_button);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, repository_list);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, sidebar_error);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, sidebar_error_label);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, sidebar_problem);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, progress_spinner);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, partial_revealer);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, partial_label);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, repository_page);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, account_section);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, repository_list_activate_cb);

  wharf_window_class_actions_init (klass);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  gtk_list_item_set_child (item, wharf_repository_row_new ());
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  wharf_repository_row_set_repository (WHARF_REPOSITORY_ROW (gtk_list_item_get_child (item)),
                                       gtk_list_item_get_item (item));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  wharf_repository_row_set_repository (WHARF_REPOSITORY_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
wharf_window_init (WharfWindow *self)
{
  g_autoptr(GMenuModel) region_menu = NULL;
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autofree char *selected_account = NULL;
  GtkExpression *name_expression;
  GtkSorter *sorter;
  WharfAccount *account;

  gtk_widget_init_template (GTK_WIDGET (self));
  wharf_problem_view_connect_fix (self->sidebar_problem, "win.refresh");

  self->cancellable = g_cancellable_new ();
  self->load_cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APPLICATION_ID);
  self->region = g_strdup (WHARF_FALLBACK_REGION);
  self->identities = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) wharf_caller_identity_free);
  wharf_window_build_identity (self);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  /* Repositories: store → filter (search) → sort (by name) → selection → list view. The
   * listing appends a whole page (up to 1,000) at once, so the list is sorted once per page,
   * not per item; an incremental sort would keep moving the rows under the person's eyes
   * while 10,000 repositories stream in. */
  name_expression = gtk_property_expression_new (WHARF_TYPE_REPOSITORY, NULL, "name");
  self->name_filter = gtk_string_filter_new (gtk_expression_ref (name_expression));
  gtk_string_filter_set_match_mode (self->name_filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  gtk_string_filter_set_ignore_case (self->name_filter, TRUE);
  self->repositories = g_list_store_new (WHARF_TYPE_REPOSITORY);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->repositories)),
                                                  GTK_FILTER (self->name_filter));
  sorter = GTK_SORTER (gtk_string_sorter_new (name_expression));
  self->sort_model = gtk_sort_list_model_new (G_LIST_MODEL (self->filter_model), sorter);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->sort_model));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (wharf_window_update_sidebar_page), self, G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), NULL);
  gtk_list_view_set_factory (self->repository_list, factory);
  gtk_list_view_set_model (self->repository_list, GTK_SELECTION_MODEL (self->selection));
  wharf_window_watch_listings (self);

  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));

  region_menu = wharf_region_list_build_menu ("win.region");
  gtk_menu_button_set_menu_model (self->region_button, region_menu);

  g_signal_connect_object (self->repository_page, "deleted",
                           G_CALLBACK (repository_deleted_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->repository_page, "gone",
                           G_CALLBACK (repository_gone_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->repository_page, "changed",
                           G_CALLBACK (repository_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->repository_page, "credentials-failed",
                           G_CALLBACK (credentials_failed_cb), self, G_CONNECT_SWAPPED);

  /* Accounts: the remembered one, else the environment's, else the first saved. */
  wharf_window_set_up_accounts (self);

  selected_account = g_settings_get_string (self->settings, "selected-account");
  account = wharf_account_manager_lookup (self->accounts, selected_account);
  if (account == NULL)
    account = wharf_account_manager_get_environment_account (self->accounts);
  if (account == NULL)
    {
      g_autoptr(WharfAccount) first =
        g_list_model_get_item (wharf_account_manager_get_accounts (self->accounts), 0);
      account = first; /* the store keeps it */
    }

  wharf_window_update_switchers (self);
  wharf_window_update_actions (self);
  if (account != NULL)
    wharf_window_set_account (self, account, FALSE);
  else
    {
      wharf_window_update_sidebar_page (self);
      adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content));
    }

  /* Practice mode is never saved as an account: start it again when it was shown last. */
  g_signal_connect_object (wharf_practice_get_default (), "restarted",
                           G_CALLBACK (practice_restarted_cb), self, G_CONNECT_SWAPPED);
  if (g_strcmp0 (selected_account, WHARF_PRACTICE_ACCOUNT_ID) == 0)
    wharf_window_start_practice (self);
}
