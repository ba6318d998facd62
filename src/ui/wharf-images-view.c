/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-images-view"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "wharf-aws-error.h"
#include "wharf-images-view-private.h"
#include "wharf-problem-host.h"

G_DEFINE_FINAL_TYPE (WharfImagesView, wharf_images_view, ADW_TYPE_BIN)

GtkWidget *
wharf_images_view_new (void)
{
  return g_object_new (WHARF_TYPE_IMAGES_VIEW, NULL);
}

WharfRepository *
wharf_images_view_get_repository (WharfImagesView *self)
{
  g_return_val_if_fail (WHARF_IS_IMAGES_VIEW (self), NULL);

  return self->repository;
}

void
wharf_images_view_set_repository (WharfImagesView *self,
                                  WharfEcrClient  *client,
                                  WharfRepository *repository)
{
  g_return_if_fail (WHARF_IS_IMAGES_VIEW (self));
  g_return_if_fail (!client || WHARF_IS_ECR_CLIENT (client));
  g_return_if_fail (!repository || WHARF_IS_REPOSITORY (repository));

  if (repository == NULL)
    client = NULL;

  g_set_object (&self->client, client);
  g_set_object (&self->repository, repository);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_toggle_button_set_active (self->all_button, TRUE);
  wharf_image_details_set_image (self->details, NULL, NULL, NULL, 0);
  wharf_scan_results_set_image (self->scan_results, NULL, NULL, NULL);

  wharf_images_view_start_listing (self);
  wharf_images_view_update_actions (self);
}

static void
activate_cb (WharfImagesView *self,
             guint            position)
{
  gtk_toggle_button_set_active (self->pane_button, TRUE);
}

static void
partial_details_clicked_cb (WharfImagesView *self)
{
  if (self->partial_error == NULL || self->repository == NULL)
    return;
  wharf_problem_dialog_show_error (GTK_WIDGET (self), self->partial_error,
                                   wharf_repository_get_name (self->repository),
                                   wharf_repository_get_kms_key (self->repository));
}

/* ---- GObject ---- */

static void
wharf_images_view_dispose (GObject *object)
{
  WharfImagesView *self = WHARF_IMAGES_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  wharf_images_view_stop_listing (self);
  g_clear_handle_id (&self->pulse_source, g_source_remove);
  g_clear_handle_id (&self->scroll_source, g_source_remove);
  g_clear_handle_id (&self->layout_source, g_source_remove);
  g_clear_pointer (&self->context_menu, gtk_widget_unparent);

  /* The models and the adjustment outlive the template children: they must not call back
   * into a half-disposed view (a label already gone, an idle added after the clear above). */
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->column_view != NULL)
    {
      g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);
      g_signal_handlers_disconnect_by_data (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view)),
                                            self);
    }
  g_clear_handle_id (&self->scroll_source, g_source_remove);

  /* The template's root is both a bound child and AdwBin's child: let AdwBin drop it
   * first, so that it is not unparented twice. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), WHARF_TYPE_IMAGES_VIEW);

  g_clear_object (&self->selection);
  g_clear_object (&self->client);
  g_clear_object (&self->repository);
  g_clear_object (&self->settings);
  g_clear_error (&self->partial_error);

  G_OBJECT_CLASS (wharf_images_view_parent_class)->dispose (object);
}

static void
wharf_images_view_class_init (WharfImagesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wharf_images_view_dispose;
  wharf_images_view_class_init_layout (widget_class);

  /* "repository-gone" (message): ECR no longer knows the repository shown. */
  wharf_images_view_signals[WHARF_IMAGES_VIEW_REPOSITORY_GONE] = g_signal_new ("repository-gone", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (WHARF_TYPE_IMAGE);
  g_type_ensure (WHARF_TYPE_IMAGE_DETAILS);
  g_type_ensure (WHARF_TYPE_SCAN_RESULTS);
  g_type_ensure (WHARF_TYPE_PROBLEM_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/wharf-images-view.ui");
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, all_button);
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, tagged_button);
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, untagged_button);
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, count_label);
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, toolbar);
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, filter_box);
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, reload_button);
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, stack);
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, error_page);
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, error_problem);
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, partial_banner);
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, partial_label);
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, column_view);
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, tags_column);
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, digest_column);
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, size_column);
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, pushed_column);
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, pulled_column);
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, scan_column);
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, type_column);
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, paned);
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, side_stack);
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, pane_button);
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, details);
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, scan_results);
  gtk_widget_class_bind_template_child (widget_class, WharfImagesView, image_menu);

  gtk_widget_class_bind_template_callback_full (widget_class, "pane_button_clicked_cb",
                                                G_CALLBACK (wharf_images_view_pane_button_clicked_cb));
  gtk_widget_class_bind_template_callback (widget_class, partial_details_clicked_cb);

  wharf_images_view_class_init_model (widget_class);
  wharf_images_view_class_init_columns (widget_class);
  wharf_images_view_class_init_actions (widget_class);
}

static void
wharf_images_view_init (WharfImagesView *self)
{
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  gtk_widget_init_template (GTK_WIDGET (self));

  wharf_images_view_init_columns (self);
  wharf_problem_view_connect_fix (self->error_problem, "repo.reload");

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APPLICATION_ID);

  wharf_images_view_init_model (self);

  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (wharf_images_view_selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (wharf_images_view_items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->column_view, "activate",
                           G_CALLBACK (activate_cb), self, G_CONNECT_SWAPPED);

  wharf_images_view_init_actions (self);

  wharf_images_view_update_actions (self);
  wharf_images_view_update_count (self);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}
