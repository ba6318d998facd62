/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The images table's columns: a cell factory per column, the texts, style classes and
 * tooltips of the cells, and the sort keys the columns' sorters in the .ui call.
 */
#define G_LOG_DOMAIN "wharf-images-view"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-image-format.h"
#include "wharf-images-view-private.h"

/* ---- Closures used by the column factories and sorters ---- */

static char *
tags_label_cb (gpointer            item,
               const char * const *tags)
{
  if (tags == NULL || tags[0] == NULL)
    return g_strdup (_("untagged"));

  return g_strjoinv (", ", (char **) tags);
}

static char **
tags_css_cb (gpointer item,
             gboolean is_tagged)
{
  const char *tagged[] = { NULL };
  const char *untagged[] = { "dim-label", NULL };

  return g_strdupv ((char **) (is_tagged ? tagged : untagged));
}

static char *
short_digest_cb (gpointer    item,
                 const char *digest)
{
  return wharf_format_short_digest (digest);
}

static char *
size_cb (gpointer item,
         gint64   size)
{
  if (size < 0)
    return g_strdup ("—");

  return g_format_size (size);
}

static char *
relative_date_cb (gpointer   item,
                  GDateTime *date)
{
  return wharf_format_relative_date (date, NULL);
}

static char **
date_css_cb (gpointer   item,
             GDateTime *date)
{
  const char *none[] = { NULL };
  const char *never[] = { "dim-label", NULL };

  return g_strdupv ((char **) (date != NULL ? none : never));
}

/* The date columns sort on the images' microseconds: through the GDateTime properties, a
 * GDateTime would be made and kept for every image of the list (see wharf-image.c). */
static gint64
pushed_sort_key_cb (gpointer item)
{
  return wharf_image_get_pushed_at_usec (WHARF_IMAGE (item));
}

static gint64
pulled_sort_key_cb (gpointer item)
{
  return wharf_image_get_last_recorded_pull_time_usec (WHARF_IMAGE (item));
}

static WharfImage *
list_item_image (GObject *item)
{
  GObject *image;

  if (GTK_IS_LIST_ITEM (item))
    image = gtk_list_item_get_item (GTK_LIST_ITEM (item));
  else
    image = item;

  return WHARF_IS_IMAGE (image) ? WHARF_IMAGE (image) : NULL;
}

static char *
scan_label_cb (gpointer        this,
               GObject        *item,
               WharfScanStatus status,
               int             total)
{
  WharfImage *image = list_item_image (item);
  int counts[WHARF_N_SEVERITIES];
  gboolean has_counts;

  if (image == NULL)
    return g_strdup ("");

  has_counts = wharf_format_image_counts (image, counts);

  return wharf_format_scan_summary (status, has_counts ? counts : NULL);
}

static char *
scan_tooltip_text (WharfImage *image)
{
  g_autoptr(GString) text = NULL;

  if (!wharf_image_get_has_scan_summary (image))
    {
      const char *description = wharf_image_get_scan_status_description (image);

      return g_strdup (description != NULL
                       ? description
                       : wharf_scan_status_get_label (wharf_image_get_scan_status (image)));
    }

  text = g_string_new (NULL);
  for (guint s = 0; s < WHARF_N_SEVERITIES; s++)
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append_printf (text, "%s: %d", wharf_severity_get_label (s),
                              MAX (0, wharf_image_get_severity_count (image, s)));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char **
scan_css_cb (gpointer        this,
             GObject        *item,
             WharfScanStatus status,
             int             total)
{
  WharfImage *image = list_item_image (item);
  int counts[WHARF_N_SEVERITIES];
  gboolean has_counts;
  const char *classes[] = { "wharf-severity", NULL, NULL };

  if (image == NULL)
    return g_strdupv ((char **) classes);

  has_counts = wharf_format_image_counts (image, counts);
  if (!has_counts ||
      (status != WHARF_SCAN_STATUS_COMPLETE && status != WHARF_SCAN_STATUS_ACTIVE))
    {
      /* No pill for "Not scanned", "Scanning…" and the like: plain, dimmed words. */
      const char *plain[] = { "dim-label", NULL };

      return g_strdupv ((char **) plain);
    }
  classes[1] = wharf_format_scan_css_class (status, counts);

  return g_strdupv ((char **) classes);
}

/* Sorts by the worst findings first: each severity outweighs every lower one. */
static gint64
scan_rank_cb (gpointer item,
              int      total)
{
  WharfImage *image = WHARF_IMAGE (item);
  gint64 rank = 0;

  if (!wharf_image_get_has_scan_summary (image))
    return -1;

  for (guint s = 0; s < WHARF_N_SEVERITIES; s++)
    rank = rank * 10000 + MIN (9999, MAX (0, wharf_image_get_severity_count (image, s)));

  return rank;
}

static char *
media_type_label_cb (gpointer    item,
                     const char *manifest_media_type,
                     const char *artifact_media_type)
{
  return wharf_format_media_type (manifest_media_type, artifact_media_type);
}

static char *
media_type_tooltip_text (WharfImage *image)
{
  const char *manifest_media_type = wharf_image_get_image_manifest_media_type (image);
  const char *artifact_media_type = wharf_image_get_artifact_media_type (image);

  if (artifact_media_type != NULL && *artifact_media_type != '\0')
    return g_strdup_printf ("%s\n%s", manifest_media_type ?: "", artifact_media_type);

  return g_strdup (manifest_media_type);
}

/* Tooltips are computed when asked for, not bound: in GTK 4.8 every
 * gtk_widget_set_tooltip_text () queries the pointer position from the display server, and
 * the bound texts were set again for each row rebound while pages arrive or the list
 * scrolls. */

typedef char * (*TooltipTextFunc) (WharfImage *image);

static char *
tags_tooltip_text (WharfImage *image)
{
  return tags_label_cb (image, wharf_image_get_tags (image));
}

static char *
digest_tooltip_text (WharfImage *image)
{
  return g_strdup (wharf_image_get_digest (image));
}

static char *
pushed_tooltip_text (WharfImage *image)
{
  return wharf_format_exact_date (wharf_image_get_pushed_at (image));
}

static char *
pulled_tooltip_text (WharfImage *image)
{
  return wharf_format_exact_date (wharf_image_get_last_recorded_pull_time (image));
}

/* ---- Cells ---- */

/* Each cell is one label, made and filled here. GTK 4.8 keeps about 200 rows of cells alive
 * whatever the number of images (1,442 cells with 10,000 images), and as
 * GtkBuilderListItemFactory templates (a bin holding the item around the label, a
 * GtkBuilder parse and expression watches per cell) they took 9 MB more heap than plain
 * labels (issue #10, measured with massif). The label carries its image as qdata,
 * borrowed: the list item holds the image from bind to unbind. */

typedef enum
{
  CELL_TAGS,
  CELL_DIGEST,
  CELL_SIZE,
  CELL_PUSHED,
  CELL_PULLED,
  CELL_SCAN,
  CELL_MEDIA_TYPE,
  N_CELLS
} CellKind;

static const TooltipTextFunc cell_tooltips[N_CELLS] = {
  [CELL_TAGS] = tags_tooltip_text,
  [CELL_DIGEST] = digest_tooltip_text,
  [CELL_PUSHED] = pushed_tooltip_text,
  [CELL_PULLED] = pulled_tooltip_text,
  [CELL_SCAN] = scan_tooltip_text,
  [CELL_MEDIA_TYPE] = media_type_tooltip_text,
};

static GQuark cell_image_quark;

WharfImage *
wharf_images_view_cell_get_image (GtkWidget *widget)
{
  return g_object_get_qdata (G_OBJECT (widget), cell_image_quark);
}

static gboolean
cell_query_tooltip_cb (GtkWidget  *widget,
                       int         x,
                       int         y,
                       gboolean    keyboard,
                       GtkTooltip *tooltip,
                       gpointer    user_data)
{
  TooltipTextFunc func = cell_tooltips[GPOINTER_TO_INT (user_data)];
  WharfImage *image = wharf_images_view_cell_get_image (widget);
  g_autofree char *text = NULL;

  if (image == NULL || func == NULL)
    return FALSE;

  text = func (image);
  if (text == NULL || *text == '\0')
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);

  return TRUE;
}

static void
cell_set_classes (GtkWidget *label,
                  char     **classes)
{
  gtk_widget_set_css_classes (label, (const char **) classes);
  g_strfreev (classes);
}

static void
scan_cell_update (GtkWidget  *label,
                  WharfImage *image)
{
  WharfScanStatus status = wharf_image_get_scan_status (image);
  int total = wharf_image_get_total_findings (image);
  g_autofree char *text = scan_label_cb (NULL, G_OBJECT (image), status, total);

  gtk_label_set_text (GTK_LABEL (label), text);
  cell_set_classes (label, scan_css_cb (NULL, G_OBJECT (image), status, total));
}

static void
scan_cell_changed_cb (WharfImage *image,
                      GParamSpec *pspec,
                      GtkWidget  *label)
{
  scan_cell_update (label, image);
}

static void
cell_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  CellKind kind = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), kind == CELL_SIZE ? 1.0 : 0.0);
  if (kind == CELL_TAGS || kind == CELL_SCAN || kind == CELL_MEDIA_TYPE)
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (kind == CELL_SCAN)
    gtk_widget_set_halign (label, GTK_ALIGN_START);
  if (kind == CELL_DIGEST)
    gtk_widget_add_css_class (label, "wharf-digest");
  else if (kind == CELL_SIZE)
    gtk_widget_add_css_class (label, "numeric");
  else if (kind == CELL_MEDIA_TYPE)
    gtk_widget_add_css_class (label, "dim-label");
  if (cell_tooltips[kind] != NULL)
    {
      gtk_widget_set_has_tooltip (label, TRUE);
      g_signal_connect (label, "query-tooltip", G_CALLBACK (cell_query_tooltip_cb), user_data);
    }

  gtk_list_item_set_child (list_item, label);
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  CellKind kind = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  WharfImage *image = WHARF_IMAGE (gtk_list_item_get_item (list_item));
  g_autofree char *text = NULL;
  GDateTime *date;

  g_object_set_qdata (G_OBJECT (label), cell_image_quark, image);

  switch (kind)
    {
    case CELL_TAGS:
      text = tags_label_cb (image, wharf_image_get_tags (image));
      cell_set_classes (label, tags_css_cb (image, wharf_image_get_is_tagged (image)));
      break;
    case CELL_DIGEST:
      text = short_digest_cb (image, wharf_image_get_digest (image));
      break;
    case CELL_SIZE:
      text = size_cb (image, wharf_image_get_size (image));
      break;
    case CELL_PUSHED:
    case CELL_PULLED:
      date = kind == CELL_PUSHED ? wharf_image_get_pushed_at (image)
                                 : wharf_image_get_last_recorded_pull_time (image);
      text = relative_date_cb (image, date);
      cell_set_classes (label, date_css_cb (image, date));
      break;
    case CELL_SCAN:
      /* The one column that changes while shown: scans finish. */
      scan_cell_update (label, image);
      g_signal_connect_object (image, "notify::scan-status", G_CALLBACK (scan_cell_changed_cb),
                               label, 0);
      g_signal_connect_object (image, "notify::total-findings",
                               G_CALLBACK (scan_cell_changed_cb), label, 0);
      return;
    case CELL_MEDIA_TYPE:
      text = media_type_label_cb (image, wharf_image_get_image_manifest_media_type (image),
                                  wharf_image_get_artifact_media_type (image));
      break;
    case N_CELLS:
    default:
      g_assert_not_reached ();
    }

  gtk_label_set_text (GTK_LABEL (label), text);
}

static void
cell_unbind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  GtkWidget *label = gtk_list_item_get_child (list_item);
  WharfImage *image = wharf_images_view_cell_get_image (label);

  if (image != NULL && GPOINTER_TO_INT (user_data) == CELL_SCAN)
    g_signal_handlers_disconnect_by_func (image, scan_cell_changed_cb, label);
  g_object_set_qdata (G_OBJECT (label), cell_image_quark, NULL);
}

static void
set_cell_factory (GtkColumnViewColumn *column,
                  CellKind             kind)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), GINT_TO_POINTER (kind));
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), GINT_TO_POINTER (kind));
  g_signal_connect (factory, "unbind", G_CALLBACK (cell_unbind_cb), GINT_TO_POINTER (kind));
  gtk_column_view_column_set_factory (column, factory);
}


void
wharf_images_view_class_init_columns (GtkWidgetClass *widget_class)
{
  /* The sorters' expressions. */
  gtk_widget_class_bind_template_callback (widget_class, pushed_sort_key_cb);
  gtk_widget_class_bind_template_callback (widget_class, pulled_sort_key_cb);
  gtk_widget_class_bind_template_callback (widget_class, scan_rank_cb);
  gtk_widget_class_bind_template_callback (widget_class, media_type_label_cb);

  cell_image_quark = g_quark_from_static_string ("wharf-images-view-cell-image");
}

void
wharf_images_view_init_columns (WharfImagesView *self)
{
  set_cell_factory (self->tags_column, CELL_TAGS);
  set_cell_factory (self->digest_column, CELL_DIGEST);
  set_cell_factory (self->size_column, CELL_SIZE);
  set_cell_factory (self->pushed_column, CELL_PUSHED);
  set_cell_factory (self->pulled_column, CELL_PULLED);
  set_cell_factory (self->scan_column, CELL_SCAN);
  set_cell_factory (self->type_column, CELL_MEDIA_TYPE);
}
