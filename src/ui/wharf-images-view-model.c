/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The images view's list models: the images → the tag and search filters → the columns'
 * sort → the selection; and the list kept at its top while pages arrive, after a new sort
 * order and after a new filter.
 */
#define G_LOG_DOMAIN "wharf-images-view"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-images-view-private.h"

static char *
image_search_text (gpointer item)
{
  WharfImage *image = WHARF_IMAGE (item);
  g_autofree char *tags = g_strjoinv ("\n", (char **) wharf_image_get_tags (image));

  return g_strdup_printf ("%s\n%s", tags, wharf_image_get_digest (image));
}

/* ---- Keeping the top ---- */

/* Newer images sort above the rows already shown, and the view keeps its place on the row
 * it shows, so it would drift down the list while pages arrive: stay at the top until the
 * person moves in the list. */
static gboolean
scroll_to_top_cb (gpointer user_data)
{
  WharfImagesView *self = user_data;
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view));

  self->scroll_source = 0;
  if (!self->list_touched || self->scroll_requested)
    gtk_adjustment_set_value (adjustment, 0);
  self->scroll_requested = FALSE;

  return G_SOURCE_REMOVE;
}

/* After a new sort order or filter the list starts at its top; the view itself would stay
 * on the row it showed, wherever that row went. */
static void
scroll_to_top (WharfImagesView *self)
{
  self->scroll_requested = TRUE;
  if (self->scroll_source == 0)
    self->scroll_source = g_idle_add (scroll_to_top_cb, self);
}

static void
sorter_changed_cb (WharfImagesView *self)
{
  scroll_to_top (self);
}

static void
vadjustment_changed_cb (GtkAdjustment   *adjustment,
                        WharfImagesView *self)
{
  /* Not from here: the list view ignores its adjustment while it updates it. */
  if (!self->list_touched && gtk_adjustment_get_value (adjustment) > 0 && self->scroll_source == 0)
    self->scroll_source = g_idle_add (scroll_to_top_cb, self);
}

static gboolean
list_event_cb (GtkEventControllerLegacy *controller,
               GdkEvent                 *event,
               WharfImagesView          *self)
{
  switch ((int) gdk_event_get_event_type (event))
    {
    case GDK_BUTTON_PRESS:
    case GDK_SCROLL:
    case GDK_KEY_PRESS:
    case GDK_TOUCH_BEGIN:
      self->list_touched = TRUE;
      break;
    default:
      break;
    }

  return GDK_EVENT_PROPAGATE;
}

/* ---- Filters ---- */

static gboolean
tag_filter_func (gpointer item,
                 gpointer user_data)
{
  WharfImagesView *self = user_data;
  gboolean tagged = wharf_image_get_is_tagged (WHARF_IMAGE (item));

  if (gtk_toggle_button_get_active (self->tagged_button))
    return tagged;
  if (gtk_toggle_button_get_active (self->untagged_button))
    return !tagged;

  return TRUE;
}

static void
search_changed_cb (WharfImagesView *self,
                   GtkSearchEntry  *entry)
{
  gtk_string_filter_set_search (self->search_filter,
                                gtk_editable_get_text (GTK_EDITABLE (entry)));
  scroll_to_top (self);
}

static void
tag_status_changed_cb (WharfImagesView *self,
                       GtkToggleButton *button)
{
  /* Each change toggles two buttons: filter once, on the one that became active. */
  if (!gtk_toggle_button_get_active (button))
    return;

  gtk_filter_changed (GTK_FILTER (self->tag_filter), GTK_FILTER_CHANGE_DIFFERENT);
  scroll_to_top (self);
}

void
wharf_images_view_class_init_model (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, tag_status_changed_cb);
}

void
wharf_images_view_init_model (WharfImagesView *self)
{
  g_autoptr(GtkEveryFilter) filter = NULL;
  GtkExpression *search;
  GtkSorter *sorter;
  GtkEventController *legacy;

  search = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                        G_CALLBACK (image_search_text), NULL, NULL);
  self->search_filter = gtk_string_filter_new (search);
  gtk_string_filter_set_ignore_case (self->search_filter, TRUE);
  gtk_string_filter_set_match_mode (self->search_filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  self->tag_filter = gtk_custom_filter_new (tag_filter_func, self, NULL);

  filter = gtk_every_filter_new ();
  gtk_multi_filter_append (GTK_MULTI_FILTER (filter), GTK_FILTER (self->tag_filter));
  gtk_multi_filter_append (GTK_MULTI_FILTER (filter), GTK_FILTER (self->search_filter));

  self->filter_model = gtk_filter_list_model_new (NULL, GTK_FILTER (g_steal_pointer (&filter)));

  sorter = gtk_column_view_get_sorter (self->column_view);
  self->sort_model = gtk_sort_list_model_new (G_LIST_MODEL (self->filter_model),
                                              g_object_ref (sorter));
  g_signal_connect_object (sorter, "changed", G_CALLBACK (sorter_changed_cb), self,
                           G_CONNECT_SWAPPED);
  /* Not incremental: GTK 4.8's incremental sort restarts with every page that arrives and
   * shows the list half sorted meanwhile. A page is merged into the sorted list (the sort
   * model keeps the sorted run and sorts only the new items), so a page of 1,000 costs a
   * merge, not a resort of the whole list. */
  gtk_sort_list_model_set_incremental (self->sort_model, FALSE);

  self->selection = gtk_multi_selection_new (G_LIST_MODEL (self->sort_model));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  gtk_column_view_sort_by_column (self->column_view, self->pushed_column, GTK_SORT_DESCENDING);

  g_signal_connect_object (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view)),
                           "value-changed", G_CALLBACK (vadjustment_changed_cb), self, 0);
  g_signal_connect_object (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view)),
                           "changed", G_CALLBACK (vadjustment_changed_cb), self, 0);

  legacy = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (legacy, GTK_PHASE_CAPTURE);
  g_signal_connect (legacy, "event", G_CALLBACK (list_event_cb), self);
  gtk_widget_add_controller (gtk_widget_get_parent (GTK_WIDGET (self->column_view)), legacy);
}
