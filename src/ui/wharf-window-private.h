/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * WharfWindow's instance and what its files share. Each file calls only those listed
 * below it, so that they do not call each other in circles:
 *   wharf-window.c               the class: state, template, the repository page's signals
 *   wharf-window-actions.c       the win.* actions
 *   wharf-window-account.c       choosing the account and region; the account menu's list
 *   wharf-window-repositories.c  connecting, the repository list, the repository shown
 *   wharf-window-identity.c      who is signed in; the credentials banner
 * Not for other classes.
 */
#pragma once

#include <adwaita.h>

#include "wharf-account-manager.h"
#include "wharf-ecr-client.h"
#include "wharf-problem-host.h"
#include "wharf-problem-view.h"
#include "wharf-repository-page.h"
#include "wharf-sts.h"
#include "wharf-tutorial.h"
#include "wharf-window.h"

G_BEGIN_DECLS

struct _WharfWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  GCancellable         *cancellable;
  GCancellable         *load_cancellable;

  WharfAccountManager  *accounts;
  WharfAccount         *account;
  char                 *region;
  WharfEcrClient       *client;
  WharfEcrListing      *listing;
  GSignalGroup         *listing_signals;

  GListStore           *repositories;
  GtkFilterListModel   *filter_model;
  GtkSortListModel     *sort_model;
  GtkSingleSelection   *selection;
  GtkStringFilter      *name_filter;
  char                 *pending_select;
  char                 *credentials_message;
  gboolean              replacing;

  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkStack             *content;
  AdwStatusPage        *empty_page;
  AdwWindowTitle       *sidebar_title;
  GtkMenuButton        *account_button;
  GtkLabel             *account_label;
  GtkMenuButton        *region_button;
  GtkLabel             *region_label;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkRevealer          *credentials_banner;
  GtkRevealer          *practice_banner;
  GtkLabel             *credentials_banner_label;
  GtkButton            *credentials_banner_button;
  GtkStack             *sidebar_stack;
  GtkSpinner           *loading_spinner;
  GtkListView          *repository_list;
  AdwStatusPage        *sidebar_error;
  GtkLabel             *sidebar_error_label;
  WharfProblemView     *sidebar_problem;
  GtkRevealer          *progress_revealer;
  GtkSpinner           *progress_spinner;
  GtkLabel             *progress_label;
  GtkRevealer          *partial_revealer;
  GtkLabel             *partial_label;
  WharfRepositoryPage  *repository_page;
  GMenu                *account_section;
  WharfTutorial        *tutorial;     /* weak */

  /* Who the current account is signed in as, in the account menu. */
  GHashTable           *identities;   /* Wharf account id → WharfCallerIdentity */
  GCancellable         *identity_cancellable;
  GtkWidget            *identity_box;
  GtkLabel             *identity_title;
  GtkLabel             *identity_detail;
  GtkLabel             *identity_account;
};

enum {
  PROP_0,
  PROP_ACCOUNT,
  PROP_ACCOUNT_ID,
  PROP_REGION,
  N_PROPS
};

/* wharf-window-actions.c */
void     wharf_window_class_actions_init      (WharfWindowClass *klass);
/* Starts the sandbox, then shows practice mode's account. */
void     wharf_window_start_practice          (WharfWindow      *self);

/* wharf-window-account.c; the class installs the properties. */
extern GParamSpec *wharf_window_properties[N_PROPS];

void     wharf_window_set_up_accounts         (WharfWindow      *self);
void     wharf_window_update_switchers        (WharfWindow      *self);
void     wharf_window_set_account             (WharfWindow      *self,
                                               WharfAccount     *account,
                                               gboolean          remember);
void     wharf_window_set_region              (WharfWindow      *self,
                                               const char       *region,
                                               gboolean          remember);

/* wharf-window-repositories.c */
void     wharf_window_update_actions          (WharfWindow      *self);
/* Connects to the current account and region from scratch. */
void     wharf_window_reload                  (WharfWindow      *self);
void     wharf_window_watch_listings          (WharfWindow      *self);
void     wharf_window_start_listing           (WharfWindow      *self);
void     wharf_window_load_rest               (WharfWindow      *self);
void     wharf_window_update_sidebar_page     (WharfWindow      *self);
void     wharf_window_show_repository         (WharfWindow      *self,
                                               WharfRepository  *repository);
gboolean wharf_window_select_by_name          (WharfWindow      *self,
                                               const char       *name);

/* wharf-window-identity.c */
void     wharf_window_build_identity          (WharfWindow      *self);
/* @identity and @error NULL: still checking. */
void     wharf_window_show_identity           (WharfWindow               *self,
                                               const WharfCallerIdentity *identity,
                                               const GError              *error);
void     wharf_window_lookup_identity         (WharfWindow      *self);
void     wharf_window_show_credentials_banner (WharfWindow      *self,
                                               const char       *message,
                                               const GError     *cause);

/* wharf-window-problems.c: the window explains and fixes its views' refusals. */
void wharf_window_problem_handler_init (WharfProblemHandlerInterface *iface);

G_END_DECLS
