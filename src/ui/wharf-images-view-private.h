/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * WharfImagesView is one class over five files:
 *
 *   wharf-images-view.c          the widget: loading the listing, the count, the stack of
 *                                empty/loading/error pages, the details pane, the lifecycle;
 *   wharf-images-view-columns.c  the table's cells and the columns' sort keys;
 *   wharf-images-view-model.c    images → tag and search filters → sort → selection, and
 *                                keeping the list at its top while pages arrive;
 *   wharf-images-view-actions.c  the repo. and image. actions (copy URIs and pull commands,
 *                                bulk delete, …) and the context menu;
 *   wharf-images-view-layout.c   the adaptive layout: columns and toolbar for the width,
 *                                the details beside or under the list.
 */
#pragma once

#include <adwaita.h>

#include "wharf-ecr-client.h"
#include "wharf-ecr-listing.h"
#include "wharf-image-details.h"
#include "wharf-images-view.h"
#include "wharf-problem-view.h"
#include "wharf-scan-results.h"

G_BEGIN_DECLS

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
  WharfProblemView    *error_problem;
  GtkWidget           *partial_details_button;
  GError              *partial_error;
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

/* wharf-images-view.c */
/* wharf-images-view-listing.c */
enum {
  WHARF_IMAGES_VIEW_REPOSITORY_GONE,
  WHARF_IMAGES_VIEW_N_SIGNALS
};

extern guint wharf_images_view_signals[WHARF_IMAGES_VIEW_N_SIGNALS];

void        wharf_images_view_update_count (WharfImagesView *self);
void        wharf_images_view_stop_listing (WharfImagesView *self);
void        wharf_images_view_selection_changed_cb (WharfImagesView *self);
void        wharf_images_view_items_changed_cb (WharfImagesView *self);
void        wharf_images_view_pane_button_clicked_cb (WharfImagesView *self,
                                                      GtkButton       *button);
void        wharf_images_view_add_toast           (WharfImagesView *self,
                                                   const char      *text);
GPtrArray  *wharf_images_view_dup_selected_images (WharfImagesView *self);
void        wharf_images_view_update_actions      (WharfImagesView *self);
void        wharf_images_view_update_side_pane    (WharfImagesView *self);
void        wharf_images_view_start_listing       (WharfImagesView *self);
void        wharf_images_view_load_rest           (WharfImagesView *self);
gboolean    wharf_images_view_repository_gone     (WharfImagesView *self,
                                                   const GError    *error);

/* wharf-images-view-columns.c */
void        wharf_images_view_class_init_columns  (GtkWidgetClass  *widget_class);
void        wharf_images_view_init_columns        (WharfImagesView *self);
WharfImage *wharf_images_view_cell_get_image      (GtkWidget       *cell);

/* wharf-images-view-model.c */
void        wharf_images_view_class_init_model    (GtkWidgetClass  *widget_class);
void        wharf_images_view_init_model          (WharfImagesView *self);

/* wharf-images-view-actions.c */
void        wharf_images_view_class_init_actions  (GtkWidgetClass  *widget_class);
void        wharf_images_view_init_actions        (WharfImagesView *self);

/* wharf-images-view-layout.c */
void        wharf_images_view_class_init_layout   (GtkWidgetClass  *widget_class);

G_END_DECLS
