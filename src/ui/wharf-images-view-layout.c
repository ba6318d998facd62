/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The images view's adaptive layout: fewer columns and a toolbar on two lines as the view
 * narrows, and the details beside the list or under it. The view measures and allocates
 * its child itself to see its width.
 */
#define G_LOG_DOMAIN "wharf-images-view"

#include "config.h"

#include "wharf-images-view-private.h"

/* Below this width the details go under the list, so that the columns keep their room. */
#define SIDE_BY_SIDE_MIN_WIDTH 1000

/* Below these widths, the least needed columns make way so that the table fits instead of
 * scrolling sideways: Type and Last Pull first, then Digest and Size, then Pushed. Tags
 * and Vulnerabilities always stay; the details pane shows everything. */
static int
column_level_for_width (int width)
{
  if (width >= 780)
    return 0;
  if (width >= 600)
    return 1;
  if (width >= 440)
    return 2;
  return 3;
}

static void
place_in_toolbar (WharfImagesView *self,
                  GtkWidget       *child,
                  int              column,
                  int              row,
                  int              width)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (self->toolbar);
  GtkGridLayoutChild *cell = GTK_GRID_LAYOUT_CHILD (gtk_layout_manager_get_layout_child (layout, child));

  gtk_grid_layout_child_set_column (cell, column);
  gtk_grid_layout_child_set_row (cell, row);
  gtk_grid_layout_child_set_column_span (cell, width);
}

static void
update_columns (WharfImagesView *self,
                int              level)
{
  gboolean narrow = level >= 2;

  self->column_level = level;

  /* Narrow: the search entry above, the filter and buttons below it. */
  place_in_toolbar (self, GTK_WIDGET (self->search_entry), 0, 0, narrow ? 3 : 1);
  place_in_toolbar (self, self->filter_box, narrow ? 0 : 1, narrow ? 1 : 0, 1);
  place_in_toolbar (self, self->reload_button, narrow ? 1 : 2, narrow ? 1 : 0, 1);
  place_in_toolbar (self, GTK_WIDGET (self->pane_button), narrow ? 2 : 3, narrow ? 1 : 0, 1);
  gtk_widget_set_hexpand (self->filter_box, narrow);
  gtk_widget_set_halign (self->filter_box, narrow ? GTK_ALIGN_START : GTK_ALIGN_FILL);
  gtk_label_set_width_chars (self->count_label, narrow ? -1 : 14);

  gtk_column_view_column_set_visible (self->type_column, level < 1);
  gtk_column_view_column_set_visible (self->pulled_column, level < 1);
  gtk_column_view_column_set_visible (self->digest_column, level < 2);
  gtk_column_view_column_set_visible (self->size_column, level < 2);
  gtk_column_view_column_set_visible (self->pushed_column, level < 3);
}

static gboolean
update_layout_cb (gpointer user_data)
{
  WharfImagesView *self = user_data;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  GtkOrientation orientation = width >= SIDE_BY_SIDE_MIN_WIDTH
    ? GTK_ORIENTATION_HORIZONTAL : GTK_ORIENTATION_VERTICAL;

  self->layout_source = 0;
  if (column_level_for_width (width) != self->column_level)
    update_columns (self, column_level_for_width (width));
  if (gtk_orientable_get_orientation (GTK_ORIENTABLE (self->paned)) != orientation)
    {
      gtk_orientable_set_orientation (GTK_ORIENTABLE (self->paned), orientation);
      gtk_paned_set_position (self->paned, orientation == GTK_ORIENTATION_HORIZONTAL
                                           ? width - 380 : height * 45 / 100);
    }

  return G_SOURCE_REMOVE;
}

static void
wharf_images_view_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  WharfImagesView *self = (WharfImagesView *) widget;
  GtkOrientation orientation = width >= SIDE_BY_SIDE_MIN_WIDTH
    ? GTK_ORIENTATION_HORIZONTAL : GTK_ORIENTATION_VERTICAL;

  gtk_widget_allocate (adw_bin_get_child (ADW_BIN (self)), width, height, baseline, NULL);

  /* Not during the allocation itself: changing the layout queues another. */
  if ((gtk_orientable_get_orientation (GTK_ORIENTABLE (self->paned)) != orientation ||
       column_level_for_width (width) != self->column_level) &&
      self->layout_source == 0)
    self->layout_source = g_idle_add (update_layout_cb, self);
}

/* Measured and allocated here (not by AdwBin's layout manager) to see the width. */
static void
wharf_images_view_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  gtk_widget_measure (adw_bin_get_child (ADW_BIN (widget)), orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}


void
wharf_images_view_class_init_layout (GtkWidgetClass *widget_class)
{
  widget_class->size_allocate = wharf_images_view_size_allocate;
  widget_class->measure = wharf_images_view_measure;
}
