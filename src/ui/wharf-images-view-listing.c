/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The images view's listing: loading a repository's images page by page, the count and the
 * loading/empty/error pages, the selection and the side pane that follow it, and toasts.
 * wharf-images-view.c (the class) and -actions.c call it; it calls neither.
 */
#define G_LOG_DOMAIN "wharf-images-view"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "wharf-aws-error.h"
#include "wharf-images-view-private.h"
#include "wharf-problem-host.h"

guint wharf_images_view_signals[WHARF_IMAGES_VIEW_N_SIGNALS];

/* ---- Helpers ---- */

void
wharf_images_view_add_toast (WharfImagesView *self,
                             const char      *text)
{
  /* A toast's title is markup; messages are text ("<data>" in a parser's words). */
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

GPtrArray *
wharf_images_view_dup_selected_images (WharfImagesView *self)
{
  g_autoptr(GtkBitset) selected = NULL;
  GtkBitsetIter iter;
  GPtrArray *images = g_ptr_array_new_with_free_func (g_object_unref);
  guint position;

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position);
       ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    g_ptr_array_add (images, g_list_model_get_item (G_LIST_MODEL (self->selection), position));

  return images;
}

static void
format_count (char   *buf,
              gsize   len,
              guint   n)
{
  const struct lconv *conv = localeconv ();
  const char *separator = conv->thousands_sep != NULL && *conv->thousands_sep != '\0'
    ? conv->thousands_sep : ",";
  char digits[16];
  GString *out;
  int n_digits;

  /* Group the digits ("10,000"); the C locale has no separator, use a comma there. */
  n_digits = g_snprintf (digits, sizeof digits, "%u", n);
  out = g_string_new (NULL);
  for (int i = 0; i < n_digits; i++)
    {
      if (i > 0 && (n_digits - i) % 3 == 0)
        g_string_append (out, separator);
      g_string_append_c (out, digits[i]);
    }
  g_strlcpy (buf, out->str, len);
  g_string_free (out, TRUE);
}

void
wharf_images_view_update_count (WharfImagesView *self)
{
  g_autofree char *text = NULL;
  guint loaded = self->images != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->images)) : 0;
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->sort_model));
  char loaded_text[32];
  char shown_text[32];

  format_count (loaded_text, sizeof loaded_text, loaded);
  format_count (shown_text, sizeof shown_text, shown);

  if (self->repository == NULL)
    text = g_strdup ("");
  else if (self->loading)
    /* Translators: while more pages are coming, "1,000 of … loaded". */
    text = g_strdup_printf (_("%s of … loaded"), loaded_text);
  else if (shown != loaded)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s of %s image shown",
                                         "%s of %s images shown", loaded),
                            shown_text, loaded_text);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s image", "%s images", loaded),
                            loaded_text);

  gtk_label_set_text (self->count_label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->count_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

static void
update_stack (WharfImagesView *self)
{
  guint loaded = self->images != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->images)) : 0;
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->sort_model));
  const char *current = gtk_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (current, "error") == 0 && loaded == 0)
    return;

  if (shown > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else if (loaded > 0)
    gtk_stack_set_visible_child_name (self->stack, "no-match");
  else if (self->loading)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  else
    gtk_stack_set_visible_child_name (self->stack, "empty");
}

void
wharf_images_view_update_actions (WharfImagesView *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  guint64 n = gtk_bitset_get_size (selected);
  gboolean have_repo = self->repository != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "image.copy-uri", n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "image.copy-pull", n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "image.delete", n > 0 && !self->deleting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "image.scan", n == 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "image.show-details", n == 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "repo.reload", have_repo);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "repo.push-commands", have_repo);
}

void
wharf_images_view_update_side_pane (WharfImagesView *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  guint64 n = gtk_bitset_get_size (selected);
  g_autoptr(WharfImage) image = NULL;

  if (n == 1)
    image = g_list_model_get_item (G_LIST_MODEL (self->selection), gtk_bitset_get_nth (selected, 0));

  wharf_image_details_set_image (self->details, self->client, self->repository, image, n);
  wharf_scan_results_set_image (self->scan_results, self->client, self->repository, image);
}

void
wharf_images_view_selection_changed_cb (WharfImagesView *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

  /* The details open with the first image chosen, unless the person closed them. */
  if (gtk_bitset_get_size (selected) == 1 && !self->pane_closed_by_user)
    gtk_toggle_button_set_active (self->pane_button, TRUE);

  wharf_images_view_update_actions (self);
  wharf_images_view_update_side_pane (self);
}

void
wharf_images_view_pane_button_clicked_cb (WharfImagesView *self,
                                          GtkButton       *button)
{
  self->pane_closed_by_user = !gtk_toggle_button_get_active (self->pane_button);
}

void
wharf_images_view_items_changed_cb (WharfImagesView *self)
{
  wharf_images_view_update_count (self);
  update_stack (self);
}

static gboolean
pulse_cb (gpointer user_data)
{
  WharfImagesView *self = user_data;

  gtk_progress_bar_pulse (self->progress_bar);

  return G_SOURCE_CONTINUE;
}

static void
set_loading (WharfImagesView *self,
             gboolean         loading)
{
  self->loading = loading;
  gtk_widget_set_visible (GTK_WIDGET (self->loading_spinner), loading);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), loading);
  if (loading)
    {
      gtk_spinner_start (self->loading_spinner);
      if (self->pulse_source == 0)
        self->pulse_source = g_timeout_add (150, pulse_cb, self);
    }
  else
    {
      gtk_spinner_stop (self->loading_spinner);
      g_clear_handle_id (&self->pulse_source, g_source_remove);
    }
  wharf_images_view_update_count (self);
  update_stack (self);
}

/* ---- Loading ---- */

static void
listing_page_loaded_cb (WharfImagesView *self,
                        guint            n_new_items,
                        WharfEcrListing *listing)
{
  if (listing != self->listing)
    return;

  wharf_images_view_update_count (self);
  update_stack (self);
}

/* ECR no longer knows the repository (deleted elsewhere while it is shown): tell whoever
 * shows the view, which drops the repository. TRUE when @error says so. */
gboolean
wharf_images_view_repository_gone (WharfImagesView *self,
                                   const GError    *error)
{
  g_autofree char *message = NULL;
  g_autofree char *escaped = NULL;

  if (!g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_NOT_FOUND)
      || g_strcmp0 (wharf_aws_error_get_aws_code (error), "RepositoryNotFoundException") != 0
      || self->repository == NULL)
    return FALSE;

  /* Translators: %s is a repository name */
  message = g_strdup_printf (_("The repository “%s” no longer exists. It was deleted "
                               "elsewhere."), wharf_repository_get_name (self->repository));
  escaped = g_markup_escape_text (message, -1);
  adw_status_page_set_description (self->error_page, escaped);
  gtk_stack_set_visible_child_name (self->stack, "error");
  g_signal_emit (self, wharf_images_view_signals[WHARF_IMAGES_VIEW_REPOSITORY_GONE], 0, message);
  return TRUE;
}

static void
listing_done_cb (WharfImagesView *self,
                 WharfEcrListing *listing)
{
  const GError *error;

  if (listing != self->listing)
    return;

  error = wharf_ecr_listing_get_error (listing);
  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_loading (self, FALSE);

  if (error != NULL && wharf_images_view_repository_gone (self, error))
    return;

  if (error != NULL)
    {
      if (g_list_model_get_n_items (G_LIST_MODEL (self->images)) == 0)
        {
          g_autofree char *escaped = g_markup_escape_text (error->message, -1);

          adw_status_page_set_description (self->error_page, escaped);
          wharf_problem_view_show_error (self->error_problem, error,
                                         wharf_repository_get_name (self->repository),
                                         wharf_repository_get_kms_key (self->repository));
          gtk_stack_set_visible_child_name (self->stack, "error");
        }
      else
        {
          /* The rows loaded so far stay; Retry goes on from the page that failed. */
          g_autofree char *text = g_strdup_printf (_("Not every image could be loaded: %s"),
                                                   error->message);

          gtk_label_set_label (self->partial_label, text);
          g_clear_error (&self->partial_error);
          self->partial_error = g_error_copy (error);
          gtk_revealer_set_reveal_child (self->partial_banner, TRUE);
        }
    }
}

static void
watch_listing (WharfImagesView *self)
{
  g_signal_connect_object (self->listing, "page-loaded",
                           G_CALLBACK (listing_page_loaded_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->listing, "done",
                           G_CALLBACK (listing_done_cb), self, G_CONNECT_SWAPPED);
}

void
wharf_images_view_stop_listing (WharfImagesView *self)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);

  if (self->listing != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->listing, self);
      wharf_ecr_listing_cancel (self->listing);
      g_clear_object (&self->listing);
    }
}

void
wharf_images_view_start_listing (WharfImagesView *self)
{
  wharf_images_view_stop_listing (self);
  gtk_revealer_set_reveal_child (self->partial_banner, FALSE);

  self->images = g_list_store_new (WHARF_TYPE_IMAGE);
  gtk_filter_list_model_set_model (self->filter_model, G_LIST_MODEL (self->images));
  g_object_unref (self->images);   /* the filter model holds it */

  if (self->repository == NULL || self->client == NULL)
    {
      set_loading (self, FALSE);
      return;
    }

  self->load_cancellable = g_cancellable_new ();
  self->list_touched = FALSE;
  set_loading (self, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "loading");

  self->listing = wharf_ecr_client_list_images (self->client,
                                                wharf_repository_get_name (self->repository),
                                                WHARF_TAG_STATUS_ANY, self->images,
                                                self->load_cancellable);
  watch_listing (self);
}

/* After a page failed: the rest, from that page on, below the rows already shown. */
void
wharf_images_view_load_rest (WharfImagesView *self)
{
  g_autoptr(WharfEcrListing) failed = NULL;

  gtk_revealer_set_reveal_child (self->partial_banner, FALSE);
  if (self->listing == NULL || wharf_ecr_listing_get_loading (self->listing)
      || self->load_cancellable == NULL)
    return;

  failed = g_steal_pointer (&self->listing);
  g_signal_handlers_disconnect_by_data (failed, self);
  self->listing = wharf_ecr_listing_resume (failed, self->load_cancellable);
  set_loading (self, TRUE);
  watch_listing (self);
}
