/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-images-view"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "wharf-aws-error.h"
#include "wharf-commands.h"
#include "wharf-ecr-client.h"
#include "wharf-ecr-listing.h"
#include "wharf-image-details.h"
#include "wharf-image-format.h"
#include "wharf-images-view.h"
#include "wharf-push-commands.h"
#include "wharf-scan-results.h"

/* Shown in the delete dialog before "and N more". */
#define DELETE_LIST_MAX 12

struct _WharfImagesView
{
  AdwBin               parent_instance;

  GCancellable        *cancellable;        /* the view's life */
  GCancellable        *load_cancellable;   /* the current listing */
  WharfEcrClient      *client;
  WharfRepository     *repository;
  WharfEcrListing     *listing;
  GListStore          *images;
  GSettings           *settings;

  GtkFilterListModel  *filter_model;
  GtkSortListModel    *sort_model;
  GtkMultiSelection   *selection;
  GtkStringFilter     *search_filter;
  GtkCustomFilter     *tag_filter;
  guint                pulse_source;
  gboolean             loading;
  gboolean             deleting;
  gboolean             pane_closed_by_user;
  gboolean             list_touched;
  guint                scroll_source;
  gboolean             scroll_requested;   /* clicked, scrolled or typed in since loading began */

  AdwToastOverlay     *toast_overlay;
  GtkSearchEntry      *search_entry;
  GtkToggleButton     *all_button;
  GtkToggleButton     *tagged_button;
  GtkToggleButton     *untagged_button;
  GtkSpinner          *loading_spinner;
  GtkLabel            *count_label;
  GtkWidget           *toolbar;
  GtkWidget           *filter_box;
  GtkWidget           *reload_button;
  GtkProgressBar      *progress_bar;
  GtkRevealer         *partial_banner;
  GtkLabel            *partial_label;
  GtkStack            *stack;
  AdwStatusPage       *error_page;
  GtkColumnView       *column_view;
  GtkColumnViewColumn *tags_column;
  GtkColumnViewColumn *digest_column;
  GtkColumnViewColumn *size_column;
  GtkColumnViewColumn *pushed_column;
  GtkColumnViewColumn *pulled_column;
  GtkColumnViewColumn *scan_column;
  GtkColumnViewColumn *type_column;
  GtkPaned            *paned;
  guint                layout_source;
  int                  column_level;      /* how many columns are hidden for width */
  GtkStack            *side_stack;
  GtkToggleButton     *pane_button;
  WharfImageDetails   *details;
  WharfScanResults    *scan_results;
  GMenuModel          *image_menu;
  GtkWidget           *context_menu;
};

G_DEFINE_FINAL_TYPE (WharfImagesView, wharf_images_view, ADW_TYPE_BIN)

enum {
  REPOSITORY_GONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void scroll_to_top (WharfImagesView *self);

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

static WharfImage *
cell_get_image (GtkWidget *widget)
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
  WharfImage *image = cell_get_image (widget);
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
  WharfImage *image = cell_get_image (label);

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

static char *
image_search_text (gpointer item)
{
  WharfImage *image = WHARF_IMAGE (item);
  g_autofree char *tags = g_strjoinv ("\n", (char **) wharf_image_get_tags (image));

  return g_strdup_printf ("%s\n%s", tags, wharf_image_get_digest (image));
}

/* ---- Helpers ---- */

static void
add_toast (WharfImagesView *self,
           const char      *text)
{
  /* A toast's title is markup; messages are text ("<data>" in a parser's words). */
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static GPtrArray *
dup_selected_images (WharfImagesView *self)
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

static void
update_count (WharfImagesView *self)
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

static void
update_actions (WharfImagesView *self)
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

static void
update_side_pane (WharfImagesView *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  guint64 n = gtk_bitset_get_size (selected);
  g_autoptr(WharfImage) image = NULL;

  if (n == 1)
    image = g_list_model_get_item (G_LIST_MODEL (self->selection), gtk_bitset_get_nth (selected, 0));

  wharf_image_details_set_image (self->details, self->client, self->repository, image, n);
  wharf_scan_results_set_image (self->scan_results, self->client, self->repository, image);
}

static void
selection_changed_cb (WharfImagesView *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

  /* The details open with the first image chosen, unless the person closed them. */
  if (gtk_bitset_get_size (selected) == 1 && !self->pane_closed_by_user)
    gtk_toggle_button_set_active (self->pane_button, TRUE);

  update_actions (self);
  update_side_pane (self);
}

static void
pane_button_clicked_cb (WharfImagesView *self,
                        GtkButton       *button)
{
  self->pane_closed_by_user = !gtk_toggle_button_get_active (self->pane_button);
}

static void
items_changed_cb (WharfImagesView *self)
{
  update_count (self);
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
  update_count (self);
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

  update_count (self);
  update_stack (self);
}

/* ECR no longer knows the repository (deleted elsewhere while it is shown): tell whoever
 * shows the view, which drops the repository. TRUE when @error says so. */
static gboolean
repository_gone (WharfImagesView *self,
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
  g_signal_emit (self, signals[REPOSITORY_GONE], 0, message);
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

  if (error != NULL && repository_gone (self, error))
    return;

  if (error != NULL)
    {
      if (g_list_model_get_n_items (G_LIST_MODEL (self->images)) == 0)
        {
          g_autofree char *escaped = g_markup_escape_text (error->message, -1);

          adw_status_page_set_description (self->error_page, escaped);
          gtk_stack_set_visible_child_name (self->stack, "error");
        }
      else
        {
          /* The rows loaded so far stay; Retry goes on from the page that failed. */
          g_autofree char *text = g_strdup_printf (_("Not every image could be loaded: %s"),
                                                   error->message);

          gtk_label_set_label (self->partial_label, text);
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

static void
stop_listing (WharfImagesView *self)
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

static void
start_listing (WharfImagesView *self)
{
  stop_listing (self);
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
static void
load_rest_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  WharfImagesView *self = WHARF_IMAGES_VIEW (widget);
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

  start_listing (self);
  update_actions (self);
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

/* ---- Actions ---- */

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WharfImagesView *self = WHARF_IMAGES_VIEW (widget);

  wharf_image_details_set_image (self->details, NULL, NULL, NULL, 0);
  wharf_scan_results_set_image (self->scan_results, NULL, NULL, NULL);
  start_listing (self);
}

static void
push_commands_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  WharfImagesView *self = WHARF_IMAGES_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GPtrArray) images = NULL;
  const char *tag = NULL;
  WharfPushCommands *dialog;

  if (self->repository == NULL || self->client == NULL)
    return;

  /* With one tagged image selected, pull that one. */
  images = dup_selected_images (self);
  if (images->len == 1)
    {
      const char * const *tags = wharf_image_get_tags (g_ptr_array_index (images, 0));

      tag = tags[0];
    }

  dialog = wharf_push_commands_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                    self->client, self->repository, tag);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
copy_uri_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  WharfImagesView *self = WHARF_IMAGES_VIEW (widget);
  g_autoptr(GPtrArray) images = dup_selected_images (self);
  g_autoptr(GString) text = g_string_new (NULL);
  const char *mode = g_variant_get_string (parameter, NULL);
  const char *uri;

  if (self->repository == NULL || images->len == 0)
    return;

  uri = wharf_repository_get_uri (self->repository);
  for (guint i = 0; i < images->len; i++)
    {
      WharfImage *image = g_ptr_array_index (images, i);
      const char * const *tags = wharf_image_get_tags (image);
      g_autofree char *image_uri = NULL;

      if (g_str_equal (mode, "tag") && tags[0] != NULL)
        image_uri = wharf_commands_image_uri (uri, tags[0], NULL);
      else
        image_uri = wharf_commands_image_uri (uri, NULL, wharf_image_get_digest (image));

      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, image_uri);
    }

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text->str);
  add_toast (self, images->len == 1 ? _("Image URI copied") : _("Image URIs copied"));
}

static WharfCommandShell
current_shell (WharfImagesView *self)
{
  return g_settings_get_enum (self->settings, "command-shell") == 1
    ? WHARF_COMMAND_SHELL_POWERSHELL : WHARF_COMMAND_SHELL_POSIX;
}

static void
copy_pull_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  WharfImagesView *self = WHARF_IMAGES_VIEW (widget);
  g_autoptr(GPtrArray) images = dup_selected_images (self);
  g_autoptr(GString) text = g_string_new (NULL);
  WharfContainerTool tool;

  if (self->repository == NULL || images->len == 0)
    return;

  tool = g_str_equal (g_variant_get_string (parameter, NULL), "podman")
    ? WHARF_CONTAINER_TOOL_PODMAN : WHARF_CONTAINER_TOOL_DOCKER;

  for (guint i = 0; i < images->len; i++)
    {
      WharfImage *image = g_ptr_array_index (images, i);
      const char * const *tags = wharf_image_get_tags (image);
      g_autofree char *image_uri = wharf_commands_image_uri (wharf_repository_get_uri (self->repository),
                                                             tags[0], wharf_image_get_digest (image));
      g_autofree char *command = wharf_commands_pull (tool, current_shell (self), image_uri);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, command);
    }

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text->str);
  add_toast (self, _("Pull command copied"));
}

static void
scan_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WharfImagesView *self = WHARF_IMAGES_VIEW (widget);

  gtk_toggle_button_set_active (self->pane_button, TRUE);
  gtk_stack_set_visible_child_name (self->side_stack, "scan");
  update_side_pane (self);
  wharf_scan_results_start_scan (self->scan_results);
}

static void
show_details_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  WharfImagesView *self = WHARF_IMAGES_VIEW (widget);

  gtk_toggle_button_set_active (self->pane_button, TRUE);
  gtk_stack_set_visible_child_name (self->side_stack, "details");
}

typedef struct
{
  WharfImagesView *self;
  GPtrArray       *images;   /* of WharfImage */
} DeleteData;

static void
delete_data_free (DeleteData *data)
{
  g_clear_object (&data->self);
  g_clear_pointer (&data->images, g_ptr_array_unref);
  g_free (data);
}

static void
remove_deleted (WharfImagesView *self,
                GHashTable      *deleted_digests)
{
  g_autoptr(GPtrArray) kept = NULL;
  guint n;

  if (g_hash_table_size (deleted_digests) == 0)
    return;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->images));
  kept = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      WharfImage *image = g_list_model_get_item (G_LIST_MODEL (self->images), i);

      if (g_hash_table_contains (deleted_digests, wharf_image_get_digest (image)))
        g_object_unref (image);
      else
        g_ptr_array_add (kept, image);
    }

  /* One change for the whole list rather than one per image. */
  g_list_store_splice (self->images, 0, n, kept->pdata, kept->len);
}

static void
batch_delete_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DeleteData *data = user_data;
  WharfImagesView *self = data->self;
  g_autoptr(WharfBatchDeleteResult) deleted = NULL;
  g_autoptr(GHashTable) digests = NULL;
  g_autoptr(GError) error = NULL;

  deleted = wharf_ecr_client_batch_delete_image_finish (WHARF_ECR_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      delete_data_free (data);
      return;
    }

  self->deleting = FALSE;
  update_actions (self);

  if (error != NULL && repository_gone (self, error))
    {
      delete_data_free (data);
      return;
    }

  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Could not delete the images: %s"), error->message);

      add_toast (self, text);
      /* Earlier chunks may be gone already: list again to show what is left. */
      start_listing (self);
      delete_data_free (data);
      return;
    }

  digests = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < deleted->deleted->len; i++)
    {
      WharfImageId *id = g_ptr_array_index (deleted->deleted, i);

      if (id->digest != NULL)
        g_hash_table_add (digests, id->digest);
    }
  remove_deleted (self, digests);

  if (deleted->failures->len == 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u image deleted",
                                                            "%u images deleted",
                                                            g_hash_table_size (digests)),
                                               g_hash_table_size (digests));

      add_toast (self, text);
    }
  else
    {
      g_autoptr(GString) body = g_string_new (NULL);
      AdwMessageDialog *dialog;
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

      for (guint i = 0; i < deleted->failures->len; i++)
        {
          WharfImageFailure *failure = g_ptr_array_index (deleted->failures, i);
          g_autofree char *label = failure->tag != NULL ? g_strdup (failure->tag)
                                                        : wharf_format_short_digest (failure->digest);

          if (i >= DELETE_LIST_MAX)
            {
              g_string_append_printf (body, "\n%s",
                                      _("…and more."));
              break;
            }
          g_string_append_printf (body, "\n• %s: %s", label,
                                  failure->reason != NULL ? failure->reason : failure->code);
        }

      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                           NULL, NULL));
      adw_message_dialog_format_heading (dialog,
                                         g_dngettext (GETTEXT_PACKAGE,
                                                      "%u Image Was Not Deleted",
                                                      "%u Images Were Not Deleted",
                                                      deleted->failures->len),
                                         deleted->failures->len);
      adw_message_dialog_format_body (dialog, _("%u deleted. Amazon ECR refused the others:%s"),
                                      g_hash_table_size (digests), body->str);
      adw_message_dialog_add_response (dialog, "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }

  delete_data_free (data);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    DeleteData       *data)
{
  WharfImagesView *self = data->self;
  g_autoptr(GPtrArray) ids = NULL;

  if (!g_str_equal (response, "delete") || self->repository == NULL)
    {
      delete_data_free (data);
      return;
    }

  ids = g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_image_id_free);
  for (guint i = 0; i < data->images->len; i++)
    g_ptr_array_add (ids, wharf_image_id_new (wharf_image_get_digest (g_ptr_array_index (data->images, i)),
                                              NULL));

  self->deleting = TRUE;
  update_actions (self);
  add_toast (self, _("Deleting…"));

  /* The client sends the ids in chunks of 100, as ECR allows. */
  wharf_ecr_client_batch_delete_image_async (self->client,
                                             wharf_repository_get_name (self->repository),
                                             ids, self->cancellable, batch_delete_cb, data);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WharfImagesView *self = WHARF_IMAGES_VIEW (widget);
  g_autoptr(GPtrArray) images = dup_selected_images (self);
  g_autoptr(GString) body = g_string_new (NULL);
  AdwMessageDialog *dialog;
  GtkRoot *root = gtk_widget_get_root (widget);
  DeleteData *data;

  if (self->repository == NULL || images->len == 0 || self->deleting)
    return;

  g_string_append (body, _("These images and all their tags are deleted from the repository. "
                           "Anything that pulls them will fail. This cannot be undone."));
  g_string_append_c (body, '\n');
  for (guint i = 0; i < images->len; i++)
    {
      WharfImage *image = g_ptr_array_index (images, i);
      g_autofree char *digest = wharf_format_short_digest (wharf_image_get_digest (image));

      if (i >= DELETE_LIST_MAX)
        {
          guint rest = images->len - i;

          g_string_append_c (body, '\n');
          g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE, "…and %u more image",
                                                     "…and %u more images", rest), rest);
          break;
        }

      if (wharf_image_get_is_tagged (image))
        {
          g_autofree char *tags = g_strjoinv (", ", (char **) wharf_image_get_tags (image));

          g_string_append_printf (body, "\n• %s (%s)", tags, digest);
        }
      else
        g_string_append_printf (body, "\n• %s (%s)", digest, _("untagged"));
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       NULL, body->str));
  adw_message_dialog_format_heading (dialog,
                                     g_dngettext (GETTEXT_PACKAGE, "Delete %u Image?",
                                                  "Delete %u Images?", images->len),
                                     images->len);
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  data = g_new0 (DeleteData, 1);
  data->self = g_object_ref (self);
  data->images = g_steal_pointer (&images);
  g_signal_connect (dialog, "response", G_CALLBACK (delete_response_cb), data);

  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- Context menu ---- */

static guint
find_position (WharfImagesView *self,
               gpointer         item)
{
  GListModel *model = G_LIST_MODEL (self->selection);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) other = g_list_model_get_item (model, i);

      if (other == item)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

static void
context_pressed_cb (GtkGestureClick *gesture,
                    int              n_press,
                    double           x,
                    double           y,
                    WharfImagesView *self)
{
  GtkWidget *picked;
  GObject *item = NULL;
  GdkRectangle rect = { (int) x, (int) y, 1, 1 };

  picked = gtk_widget_pick (GTK_WIDGET (self->column_view), x, y, GTK_PICK_DEFAULT);
  for (GtkWidget *w = picked; w != NULL && w != GTK_WIDGET (self->column_view);
       w = gtk_widget_get_parent (w))
    {
      /* The label, or the column view's cell around it where the label does not fill it
       * (the vulnerabilities pill). */
      GtkWidget *child = gtk_widget_get_first_child (w);
      WharfImage *image = cell_get_image (w);

      if (image == NULL && child != NULL)
        image = cell_get_image (child);
      if (image != NULL)
        {
          item = G_OBJECT (image);
          break;
        }
    }

  if (item != NULL)
    {
      guint position = find_position (self, item);

      if (position != GTK_INVALID_LIST_POSITION &&
          !gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), position))
        gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
    }

  if (self->context_menu == NULL)
    {
      self->context_menu = gtk_popover_menu_new_from_model (self->image_menu);
      gtk_widget_set_parent (self->context_menu, GTK_WIDGET (self->column_view));
      gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
      gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);
    }

  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu), &rect);
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

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

static void
activate_cb (WharfImagesView *self,
             guint            position)
{
  gtk_toggle_button_set_active (self->pane_button, TRUE);
}

/* ---- GObject ---- */

static void
wharf_images_view_dispose (GObject *object)
{
  WharfImagesView *self = WHARF_IMAGES_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  stop_listing (self);
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

  G_OBJECT_CLASS (wharf_images_view_parent_class)->dispose (object);
}

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
  WharfImagesView *self = WHARF_IMAGES_VIEW (widget);
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

static void
wharf_images_view_class_init (WharfImagesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wharf_images_view_dispose;
  widget_class->size_allocate = wharf_images_view_size_allocate;

  /* "repository-gone" (message): ECR no longer knows the repository shown. */
  signals[REPOSITORY_GONE] = g_signal_new ("repository-gone", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_STRING);
  widget_class->measure = wharf_images_view_measure;

  g_type_ensure (WHARF_TYPE_IMAGE);
  g_type_ensure (WHARF_TYPE_IMAGE_DETAILS);
  g_type_ensure (WHARF_TYPE_SCAN_RESULTS);

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

  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, tag_status_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, pane_button_clicked_cb);
  /* The sorters' expressions. */
  gtk_widget_class_bind_template_callback (widget_class, pushed_sort_key_cb);
  gtk_widget_class_bind_template_callback (widget_class, pulled_sort_key_cb);
  gtk_widget_class_bind_template_callback (widget_class, scan_rank_cb);
  gtk_widget_class_bind_template_callback (widget_class, media_type_label_cb);

  cell_image_quark = g_quark_from_static_string ("wharf-images-view-cell-image");

  gtk_widget_class_install_action (widget_class, "repo.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "repo.load-rest", NULL, load_rest_action);
  gtk_widget_class_install_action (widget_class, "repo.push-commands", NULL, push_commands_action);
  gtk_widget_class_install_action (widget_class, "image.copy-uri", "s", copy_uri_action);
  gtk_widget_class_install_action (widget_class, "image.copy-pull", "s", copy_pull_action);
  gtk_widget_class_install_action (widget_class, "image.scan", NULL, scan_action);
  gtk_widget_class_install_action (widget_class, "image.show-details", NULL, show_details_action);
  gtk_widget_class_install_action (widget_class, "image.delete", NULL, delete_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "image.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "repo.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "image.copy-uri", "s", "tag");
}

static void
wharf_images_view_init (WharfImagesView *self)
{
  g_autoptr(GtkEveryFilter) filter = NULL;
  GtkExpression *search;
  GtkSorter *sorter;
  GtkGesture *gesture;
  GtkEventController *legacy;

  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  gtk_widget_init_template (GTK_WIDGET (self));

  set_cell_factory (self->tags_column, CELL_TAGS);
  set_cell_factory (self->digest_column, CELL_DIGEST);
  set_cell_factory (self->size_column, CELL_SIZE);
  set_cell_factory (self->pushed_column, CELL_PUSHED);
  set_cell_factory (self->pulled_column, CELL_PULLED);
  set_cell_factory (self->scan_column, CELL_SCAN);
  set_cell_factory (self->type_column, CELL_MEDIA_TYPE);

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APPLICATION_ID);

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

  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->column_view, "activate",
                           G_CALLBACK (activate_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view)),
                           "value-changed", G_CALLBACK (vadjustment_changed_cb), self, 0);
  g_signal_connect_object (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view)),
                           "changed", G_CALLBACK (vadjustment_changed_cb), self, 0);

  legacy = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (legacy, GTK_PHASE_CAPTURE);
  g_signal_connect (legacy, "event", G_CALLBACK (list_event_cb), self);
  gtk_widget_add_controller (gtk_widget_get_parent (GTK_WIDGET (self->column_view)), legacy);

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  g_signal_connect (gesture, "pressed", G_CALLBACK (context_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), GTK_EVENT_CONTROLLER (gesture));

  update_actions (self);
  update_count (self);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}
