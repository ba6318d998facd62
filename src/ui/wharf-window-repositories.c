/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The repositories the window lists: connecting to the current account and region,
 * loading the list page by page into the sidebar, and showing the one selected. Which
 * window actions work depends on the connection, so they are updated here too.
 */
#define G_LOG_DOMAIN "wharf-window"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-window-private.h"

#include "wharf-problem-host.h"

/* The sidebar's error state; a plain label, so the message is text, not markup. */
static void
wharf_window_show_sidebar_error (WharfWindow  *self,
                                 const GError *error)
{
  gtk_label_set_text (self->sidebar_error_label, error->message);
  wharf_problem_view_show_error (self->sidebar_problem, error, NULL, NULL);
  gtk_stack_set_visible_child_name (self->sidebar_stack, "error");
}

/* An opt-in region the account has not enabled answers as if the keys were unknown: the
 * credentials are fine, and the sidebar's explanation says what is wrong. */
static gboolean
region_not_enabled (WharfWindow  *self,
                    const GError *error)
{
  g_autoptr(WharfExplanation) explanation = wharf_problem_explain (GTK_WIDGET (self), error,
                                                                   NULL, NULL);

  return wharf_explanation_get_kind (explanation) == WHARF_EXPLANATION_REGION_NOT_ENABLED;
}

static gboolean
is_credentials_error (const GError *error)
{
  return g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_EXPIRED_CREDENTIALS) ||
         g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_CREDENTIALS) ||
         g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_CREDENTIALS_UNAVAILABLE);
}

void
wharf_window_update_actions (WharfWindow *self)
{
  gboolean has_account = self->account != NULL;
  gboolean removable = has_account &&
                       wharf_account_get_source (self->account) != WHARF_ACCOUNT_SOURCE_ENVIRONMENT;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-repository", self->client != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh", self->client != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.remove-account", removable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", has_account);
  gtk_widget_set_sensitive (GTK_WIDGET (self->region_button), has_account);
}

void
wharf_window_show_repository (WharfWindow     *self,
                              WharfRepository *repository)
{
  if (repository == NULL)
    {
      wharf_repository_page_set_repository (self->repository_page, NULL, NULL);
      gtk_stack_set_visible_child_name (self->content,
                                        self->account != NULL ? "no-selection" : "welcome");
      return;
    }

  wharf_repository_page_set_repository (self->repository_page, self->client, repository);
  gtk_stack_set_visible_child_name (self->content, "repository");
}

/* Selects the repository named @name when it is in the list; TRUE when found. */
gboolean
wharf_window_select_by_name (WharfWindow *self,
                             const char  *name)
{
  GListModel *model = G_LIST_MODEL (self->selection);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WharfRepository) repository = g_list_model_get_item (model, i);

      if (g_strcmp0 (wharf_repository_get_name (repository), name) == 0)
        {
          gtk_single_selection_set_selected (self->selection, i);
          gtk_widget_activate_action (GTK_WIDGET (self->repository_list), "list.scroll-to-item",
                                      "u", i);
          return TRUE;
        }
    }

  return FALSE;
}

void
wharf_window_update_sidebar_page (WharfWindow *self)
{
  guint n_total = g_list_model_get_n_items (G_LIST_MODEL (self->repositories));
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  gboolean loading = self->listing != NULL && wharf_ecr_listing_get_loading (self->listing);
  const char *page = gtk_stack_get_visible_child_name (self->sidebar_stack);

  if (self->account == NULL)
    page = "no-account";
  else if (g_strcmp0 (page, "error") == 0 && !loading && n_total == 0)
    page = "error";
  else if (n_total == 0)
    page = loading || self->client == NULL ? "loading" : "empty";
  else if (n_shown == 0)
    page = "no-results";
  else
    page = "list";

  gtk_stack_set_visible_child_name (self->sidebar_stack, page);
  gtk_spinner_set_spinning (self->loading_spinner, g_str_equal (page, "loading"));
}

static void
listing_page_loaded_cb (WharfWindow     *self,
                        guint            n_new_items,
                        WharfEcrListing *listing)
{
  g_autofree char *text = NULL;
  /* The store, not the listing: a resumed listing counts only what it appends. */
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->repositories));

  if (listing != self->listing)
    return;

  if (wharf_ecr_listing_get_has_more (listing))
    {
      text = g_strdup_printf (ngettext ("Loaded %u repository, loading more…",
                                        "Loaded %u repositories, loading more…", n), n);
      gtk_label_set_label (self->progress_label, text);
      gtk_spinner_set_spinning (self->progress_spinner, TRUE);
      gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);
    }

  if (self->pending_select != NULL && wharf_window_select_by_name (self, self->pending_select))
    g_clear_pointer (&self->pending_select, g_free);

  wharf_window_update_sidebar_page (self);
}

static void
listing_done_cb (WharfWindow     *self,
                 WharfEcrListing *listing)
{
  const GError *error = wharf_ecr_listing_get_error (listing);

  if (listing != self->listing)
    return;

  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
  gtk_spinner_set_spinning (self->progress_spinner, FALSE);

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->repositories));

      if (is_credentials_error (error) && !region_not_enabled (self, error))
        {
          wharf_window_show_credentials_banner (self, error->message,
                                                wharf_aws_error_get_cause (error));
        }

      if (n == 0)
        {
          wharf_window_show_sidebar_error (self, error);
        }
      else
        {
          g_autofree char *message = NULL;

          /* The rows loaded so far stay; the message stays beside them with a Retry that
           * goes on from the page that failed. */
          /* Translators: %s is the error message */
          message = g_strdup_printf (_("Not every repository could be loaded: %s"), error->message);
          gtk_label_set_label (self->partial_label, message);
          gtk_widget_set_tooltip_text (GTK_WIDGET (self->partial_label), message);
          gtk_revealer_set_reveal_child (self->partial_revealer, TRUE);
        }
    }
  else if (error == NULL)
    gtk_revealer_set_reveal_child (self->credentials_banner, FALSE);

  if (self->pending_select != NULL && wharf_window_select_by_name (self, self->pending_select))
    g_clear_pointer (&self->pending_select, g_free);

  wharf_window_update_sidebar_page (self);
}

/* The signals of whichever listing is current: an old one, cancelled or replaced, says
 * nothing more. */
void
wharf_window_watch_listings (WharfWindow *self)
{
  self->listing_signals = g_signal_group_new (WHARF_TYPE_ECR_LISTING);
  g_signal_group_connect_object (self->listing_signals, "page-loaded",
                                 G_CALLBACK (listing_page_loaded_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->listing_signals, "done",
                                 G_CALLBACK (listing_done_cb), self, G_CONNECT_SWAPPED);
}

void
wharf_window_start_listing (WharfWindow *self)
{
  g_autoptr(GListStore) store = g_list_store_new (WHARF_TYPE_REPOSITORY);

  if (self->listing != NULL)
    {
      g_signal_group_set_target (self->listing_signals, NULL);
      wharf_ecr_listing_cancel (self->listing);
      g_clear_object (&self->listing);
    }
  gtk_revealer_set_reveal_child (self->partial_revealer, FALSE);

  g_set_object (&self->repositories, store);
  gtk_filter_list_model_set_model (self->filter_model, G_LIST_MODEL (store));

  if (self->client == NULL)
    {
      wharf_window_update_sidebar_page (self);
      return;
    }

  gtk_stack_set_visible_child_name (self->sidebar_stack, "loading");
  self->listing = wharf_ecr_client_list_repositories (self->client, store, self->load_cancellable);
  g_signal_group_set_target (self->listing_signals, self->listing);
  wharf_window_update_sidebar_page (self);
}

/* Retry after a later page failed: asks again for that page and goes on, keeping the rows. */
void
wharf_window_load_rest (WharfWindow *self)
{
  g_autoptr(WharfEcrListing) failed = NULL;
  const GError *error;

  if (self->listing == NULL || wharf_ecr_listing_get_loading (self->listing)
      || self->load_cancellable == NULL)
    return;
  error = wharf_ecr_listing_get_error (self->listing);
  if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  failed = g_steal_pointer (&self->listing);
  g_signal_group_set_target (self->listing_signals, NULL);
  self->listing = wharf_ecr_listing_resume (failed, self->load_cancellable);
  gtk_revealer_set_reveal_child (self->partial_revealer, FALSE);
  g_signal_group_set_target (self->listing_signals, self->listing);
  wharf_window_update_sidebar_page (self);
}

static void
create_client_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(WharfWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WharfEcrClient) client = NULL;

  client = wharf_account_manager_create_client_finish (WHARF_ACCOUNT_MANAGER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    {
      wharf_window_show_identity (self, NULL, error);
      wharf_window_show_sidebar_error (self, error);
      if (is_credentials_error (error))
        {
          wharf_window_show_credentials_banner (self, error->message,
                                                wharf_aws_error_get_cause (error));
        }
      return;
    }

  g_set_object (&self->client, client);
  wharf_window_update_actions (self);
  wharf_window_start_listing (self);
  wharf_window_lookup_identity (self);
}

/* Connects to the current account and region from scratch. */
void
wharf_window_reload (WharfWindow *self)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  g_signal_connect_object (self->cancellable, "cancelled",
                           G_CALLBACK (g_cancellable_cancel), self->load_cancellable,
                           G_CONNECT_SWAPPED);

  g_clear_object (&self->client);
  gtk_revealer_set_reveal_child (self->credentials_banner, FALSE);
  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
  wharf_window_show_repository (self, NULL);
  wharf_window_start_listing (self);
  wharf_window_update_actions (self);
  wharf_window_show_identity (self,
                              self->account != NULL
                              ? g_hash_table_lookup (self->identities,
                                                     wharf_account_get_id (self->account))
                              : NULL,
                              NULL);

  if (self->account == NULL)
    return;

  wharf_account_manager_create_client_async (self->accounts, self->account, self->region,
                                             self->load_cancellable,
                                             create_client_cb, g_object_ref (self));
}
