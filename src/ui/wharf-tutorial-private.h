/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * WharfTutorial's instance and what its files share. Each file calls only those listed
 * below it:
 *   wharf-tutorial.c           the class: account and client, navigation, progress
 *   wharf-tutorial-registry.c  the steps' work with the registry
 *   wharf-tutorial-steps.c     what each step shows and whether it is done
 * Not for other classes.
 */
#pragma once

#include "wharf-commands.h"
#include "wharf-ecr-client.h"
#include "wharf-tutorial.h"

G_BEGIN_DECLS

typedef enum
{
  STEP_PREREQUISITES,
  STEP_REPOSITORY,
  STEP_LOGIN,
  STEP_PUSH,
  STEP_PULL,
  STEP_HABITS,
  N_STEPS
} Step;

#define STEP_FINISHED N_STEPS

static const char * const step_ids[N_STEPS + 1] = {
  "prerequisites", "repository", "login", "push", "pull", "habits", "finished",
};

#define TUTORIAL_TAG          "latest"
#define POLL_FIRST_DELAY_MS   1000
#define POLL_MAX_DELAY_MS     20000
#define LIFECYCLE_DAYS        14

struct _WharfTutorial
{
  AdwWindow          parent_instance;

  WharfAccountManager *accounts;
  char              *region;            /* the window's; the client's may differ */
  GSettings         *settings;
  GCancellable      *cancellable;       /* the tutorial's life */
  GCancellable      *client_cancellable;/* the current client's requests */
  GCancellable      *poll_cancellable;

  WharfAccount      *account;           /* the window's */
  WharfEcrClient    *client;
  gboolean           connecting;
  WharfRepository   *repository;
  char              *repository_error;
  gboolean           checking_repository;
  WharfImage        *image;
  guint              poll_id;
  gboolean           polling;
  guint              poll_delay_ms;
  char              *poll_error;
  gboolean           logging_in;
  gboolean           logged_in;
  char              *registry_host;     /* the token's proxyEndpoint host, once known */
  gboolean           verifying;         /* asking BatchGetImage for the arrived manifest */
  char              *verified_digest;   /* the image's digest, once its manifest hashed to it */
  char              *verify_error;
  gboolean           pulling;
  gboolean           pulled;            /* "Pull Now" succeeded in this run */
  gboolean           policy_applied;
  gboolean           lifecycle_applied;
  gboolean           done[N_STEPS];

  AdwToastOverlay   *toast_overlay;
  AdwLeaflet        *leaflet;
  GtkWidget         *content;
  GtkListBox        *steps_list;
  GtkImage          *step_icons[N_STEPS];
  GtkStack          *stack;
  AdwWindowTitle    *window_title;
  GtkActionBar      *action_bar;
  GtkButton         *next_button;
  GtkImage          *check_icon;
  GtkLabel          *check_label;

  AdwActionRow      *account_row;
  GtkButton         *add_account_button;
  GtkButton         *practice_button;
  AdwActionRow      *docker_row;
  AdwActionRow      *podman_row;
  GtkRevealer       *install_revealer;
  GtkLabel          *install_apt_label;
  GtkLabel          *install_dnf_label;

  AdwActionRow      *repository_row;
  GtkButton         *create_button;
  AdwEntryRow       *existing_entry;

  GtkLabel          *login_label;
  GtkButton         *login_button;
  GtkSpinner        *login_spinner;
  GtkSwitch         *login_check;
  GtkLabel          *login_note;

  GtkLabel          *build_label;
  GtkLabel          *tag_label;
  GtkLabel          *push_label;
  GtkButton         *simulate_button;
  AdwActionRow      *arrival_row;
  GtkSpinner        *arrival_spinner;
  GtkLabel          *push_note;

  GtkLabel          *pull_label;
  GtkButton         *pull_button;
  GtkSpinner        *pull_spinner;
  GtkSwitch         *pull_check;
  GtkLabel          *pull_note;

  AdwEntryRow       *account_id_entry;
  GtkLabel          *account_id_error;
  GtkLabel          *policy_label;
  GtkButton         *policy_button;
  GtkLabel          *policy_status;
  GtkLabel          *lifecycle_label;
  GtkButton         *lifecycle_button;
  GtkLabel          *lifecycle_status;
  AdwActionRow      *scan_row;
  GtkButton         *scan_button;
};

/* wharf-tutorial-registry.c; the *_cb are the template's callbacks. */
void        wharf_tutorial_load_repository        (WharfTutorial *self);
/* Polls while the push step is shown, a repository is known, and the image has not arrived
 * (or its scan is still running). */
void        wharf_tutorial_update_polling         (WharfTutorial *self);
void        wharf_tutorial_stop_polling           (WharfTutorial *self);
void        wharf_tutorial_create_clicked_cb      (WharfTutorial *self);
void        wharf_tutorial_existing_apply_cb      (WharfTutorial *self);
void        wharf_tutorial_login_clicked_cb       (WharfTutorial *self);
void        wharf_tutorial_login_check_toggled_cb (WharfTutorial *self);
void        wharf_tutorial_pull_check_toggled_cb  (WharfTutorial *self);
void        wharf_tutorial_simulate_clicked_cb    (WharfTutorial *self);
void        wharf_tutorial_pull_clicked_cb        (WharfTutorial *self);
void        wharf_tutorial_account_id_changed_cb  (WharfTutorial *self);
void        wharf_tutorial_policy_clicked_cb      (WharfTutorial *self);
void        wharf_tutorial_lifecycle_clicked_cb   (WharfTutorial *self);
void        wharf_tutorial_scan_clicked_cb        (WharfTutorial *self);

/* wharf-tutorial-steps.c */
void        wharf_tutorial_toast                  (WharfTutorial *self,
                                                   const char    *message);
/* The main window does it: it lists the accounts and repositories. */
void        wharf_tutorial_activate_parent_action (WharfTutorial *self,
                                                   const char    *action_name);
gboolean    wharf_tutorial_is_practice            (WharfTutorial *self);
gboolean    wharf_tutorial_has_container_tool     (void);
/* Whether the arrived image counts: in practice mode its manifest must hash to its digest. */
gboolean    wharf_tutorial_push_checked           (WharfTutorial *self);
/* The address to pull (the arrived image by our tag, else its first tag or digest). */
char       *wharf_tutorial_dup_pull_uri           (WharfTutorial *self);
Step        wharf_tutorial_current_step           (WharfTutorial *self);
char       *wharf_tutorial_dup_region             (WharfTutorial *self);
WharfContainerTool
            wharf_tutorial_container_tool         (WharfTutorial *self);
gboolean    wharf_tutorial_is_account_id          (const char    *text);
char       *wharf_tutorial_build_policy_text      (WharfTutorial *self,
                                                   const char    *account_id);
char       *wharf_tutorial_build_lifecycle_text   (void);
void        wharf_tutorial_set_label              (GtkLabel      *label,
                                                   const char    *text);
void        wharf_tutorial_set_done               (WharfTutorial *self,
                                                   Step           step,
                                                   gboolean       done);
void        wharf_tutorial_update_policy          (WharfTutorial *self);
void        wharf_tutorial_update_commands        (WharfTutorial *self);
void        wharf_tutorial_update_prerequisites   (WharfTutorial *self);
void        wharf_tutorial_update_repository_row  (WharfTutorial *self);
void        wharf_tutorial_update_login           (WharfTutorial *self);
void        wharf_tutorial_update_push            (WharfTutorial *self);
void        wharf_tutorial_update_pull            (WharfTutorial *self);
void        wharf_tutorial_update_habits          (WharfTutorial *self);
/* The line at the bottom: is the current step done? */
void        wharf_tutorial_update_check           (WharfTutorial *self);
/* Everything the steps show. */
void        wharf_tutorial_update                 (WharfTutorial *self);

G_END_DECLS
