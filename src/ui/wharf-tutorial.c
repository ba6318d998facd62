/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-tutorial"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-tutorial.h"

#include "wharf-commands.h"
#include "wharf-container-login.h"
#include "wharf-create-repository-dialog.h"
#include "wharf-ecr-client.h"
#include "wharf-ecr-validate.h"
#include "wharf-practice.h"

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

  GtkLabel          *pull_label;
  GtkSwitch         *pull_check;

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

G_DEFINE_FINAL_TYPE (WharfTutorial, wharf_tutorial, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_ACCOUNT,
  PROP_REGION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void wharf_tutorial_update (WharfTutorial *self);
static void wharf_tutorial_load_repository (WharfTutorial *self);
static void wharf_tutorial_update_polling (WharfTutorial *self);

/* ---- Small helpers ---- */

static void
toast (WharfTutorial *self,
       const char    *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *t = adw_toast_new (escaped);

  adw_toast_set_timeout (t, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

/* The main window does it: it lists the accounts and repositories. */
static void
activate_parent_action (WharfTutorial *self,
                        const char    *action_name)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), action_name, NULL);
}

static gboolean
is_practice (WharfTutorial *self)
{
  return self->account != NULL &&
         wharf_account_get_source (self->account) == WHARF_ACCOUNT_SOURCE_PRACTICE;
}

static Step
current_step (WharfTutorial *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->stack);

  for (guint i = 0; i <= N_STEPS; i++)
    if (g_strcmp0 (name, step_ids[i]) == 0)
      return i;

  return STEP_PREREQUISITES;
}

static char *
dup_region (WharfTutorial *self)
{
  if (self->client != NULL)
    return g_strdup (wharf_ecr_client_get_region (self->client));

  return g_strdup (self->region != NULL ? self->region : WHARF_FALLBACK_REGION);
}

static WharfContainerTool
container_tool (WharfTutorial *self)
{
  WharfContainerTool tool = g_settings_get_enum (self->settings, "container-tool");
  g_autofree char *docker = NULL;
  g_autofree char *podman = NULL;

  if (tool != WHARF_CONTAINER_TOOL_AUTO)
    return tool;

  /* As the push commands do: Docker when it is there, else Podman. */
  docker = g_find_program_in_path ("docker");
  if (docker != NULL)
    return WHARF_CONTAINER_TOOL_DOCKER;
  podman = g_find_program_in_path ("podman");
  return podman != NULL ? WHARF_CONTAINER_TOOL_PODMAN : WHARF_CONTAINER_TOOL_DOCKER;
}

static gboolean
has_container_tool (void)
{
  g_autofree char *docker = g_find_program_in_path ("docker");
  g_autofree char *podman = g_find_program_in_path ("podman");

  return docker != NULL || podman != NULL;
}

/* The repository's address, or one with the parts that are known so far. */
static char *
dup_repository_uri (WharfTutorial *self)
{
  g_autofree char *region = NULL;
  g_autofree char *name = NULL;
  const char *account_id = NULL;

  if (self->repository != NULL)
    return g_strdup (wharf_repository_get_uri (self->repository));

  region = dup_region (self);
  name = g_settings_get_string (self->settings, "tutorial-repository");
  if (self->account != NULL)
    account_id = wharf_account_get_account_id (self->account);

  return g_strdup_printf ("%s.dkr.ecr.%s.amazonaws.com/%s",
                          account_id != NULL ? account_id : "ACCOUNT_ID", region,
                          *name != '\0' ? name : "my-app");
}

static void
set_done (WharfTutorial *self,
          Step           step,
          gboolean       done)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) completed = NULL;
  GtkImage *icon;

  g_assert (step < N_STEPS);

  icon = self->step_icons[step];
  gtk_image_set_from_icon_name (icon, done ? "emblem-ok-symbolic" : "radio-symbolic");
  if (done)
    gtk_widget_add_css_class (GTK_WIDGET (icon), "success");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (icon), "success");

  if (self->done[step] == done)
    return;
  self->done[step] = done;

  builder = g_strv_builder_new ();
  for (guint i = 0; i < N_STEPS; i++)
    if (self->done[i])
      g_strv_builder_add (builder, step_ids[i]);
  completed = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "tutorial-completed", (const char * const *) completed);
}

static void
set_check (WharfTutorial *self,
           const char    *icon_name,
           const char    *css_class,
           const char    *text)
{
  gtk_image_set_from_icon_name (self->check_icon, icon_name);
  gtk_widget_remove_css_class (GTK_WIDGET (self->check_icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->check_icon), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->check_icon), "error");
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->check_icon), css_class);
  gtk_label_set_label (self->check_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->check_label), text);
}

/* A row's icon: a green tick once its part is done. */
static void
set_row_icon (AdwActionRow *row,
              gboolean      done,
              const char   *icon_name)
{
  adw_action_row_set_icon_name (row, done ? "emblem-ok-symbolic" : icon_name);
  if (done)
    gtk_widget_add_css_class (GTK_WIDGET (row), "wharf-done");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "wharf-done");
}

static void
set_label (GtkLabel   *label,
           const char *text)
{
  gtk_label_set_label (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

/* ---- Texts that depend on the account and the repository ---- */

static char *
build_policy_text (WharfTutorial *self,
                   const char    *account_id)
{
  g_autofree char *region = dup_region (self);
  const char *partition = g_str_has_prefix (region, "cn-") ? "aws-cn" : "aws";

  return g_strdup_printf ("{\n"
                          "  \"Version\": \"2012-10-17\",\n"
                          "  \"Statement\": [{\n"
                          "    \"Sid\": \"AllowPullFromAccount%s\",\n"
                          "    \"Effect\": \"Allow\",\n"
                          "    \"Principal\": {\"AWS\": \"arn:%s:iam::%s:root\"},\n"
                          "    \"Action\": [\n"
                          "      \"ecr:BatchCheckLayerAvailability\",\n"
                          "      \"ecr:BatchGetImage\",\n"
                          "      \"ecr:GetDownloadUrlForLayer\"\n"
                          "    ]\n"
                          "  }]\n"
                          "}",
                          account_id, partition, account_id);
}

static char *
build_lifecycle_text (void)
{
  return g_strdup_printf ("{\n"
                          "  \"rules\": [{\n"
                          "    \"rulePriority\": 1,\n"
                          "    \"description\": \"Expire untagged images %d days after they were pushed\",\n"
                          "    \"selection\": {\"tagStatus\": \"untagged\", \"countType\": \"sinceImagePushed\", "
                          "\"countUnit\": \"days\", \"countNumber\": %d},\n"
                          "    \"action\": {\"type\": \"expire\"}\n"
                          "  }]\n"
                          "}",
                          LIFECYCLE_DAYS, LIFECYCLE_DAYS);
}

static gboolean
is_account_id (const char *text)
{
  if (strlen (text) != 12)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static void
update_policy (WharfTutorial *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->account_id_entry));
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  gboolean valid = is_account_id (trimmed);
  g_autofree char *policy = build_policy_text (self, valid ? trimmed : "ACCOUNT_ID");

  gtk_label_set_label (self->policy_label, policy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->policy_button),
                            valid && self->client != NULL && self->repository != NULL);

  if (*trimmed != '\0' && !valid)
    {
      set_label (self->account_id_error,
                 _("An AWS account ID is exactly 12 digits, such as 123456789012."));
      gtk_widget_add_css_class (GTK_WIDGET (self->account_id_entry), "error");
    }
  else
    {
      set_label (self->account_id_error, NULL);
      gtk_widget_remove_css_class (GTK_WIDGET (self->account_id_entry), "error");
    }
}

static void
update_commands (WharfTutorial *self)
{
  g_autofree char *region = dup_region (self);
  g_autofree char *uri = dup_repository_uri (self);
  g_autofree char *login = NULL;
  g_autofree char *build = NULL;
  g_autofree char *tag = NULL;
  g_autofree char *push = NULL;
  g_autofree char *pull = NULL;
  g_autofree char *image_uri = NULL;
  WharfCommandContext context = { 0 };
  WharfContainerTool tool = container_tool (self);
  WharfCommandShell shell = g_settings_get_enum (self->settings, "command-shell");

  context.tool = tool;
  context.shell = shell;
  context.region = region;
  context.repository_uri = uri;
  context.tag = TUTORIAL_TAG;
  if (self->account != NULL)
    context.profile = wharf_account_get_profile (self->account);
  if (is_practice (self))
    context.endpoint_url = wharf_practice_get_url (wharf_practice_get_default ());

  login = wharf_commands_build_step (&context, WHARF_COMMAND_STEP_LOGIN);
  build = wharf_commands_build_step (&context, WHARF_COMMAND_STEP_BUILD);
  tag = wharf_commands_build_step (&context, WHARF_COMMAND_STEP_TAG);
  push = wharf_commands_build_step (&context, WHARF_COMMAND_STEP_PUSH);

  /* Pull what arrived: by its tag when it has ours, else by digest. */
  if (self->image != NULL && !g_strv_contains (wharf_image_get_tags (self->image), TUTORIAL_TAG))
    {
      const char * const *tags = wharf_image_get_tags (self->image);

      image_uri = wharf_commands_image_uri (uri, tags[0],
                                            tags[0] == NULL ? wharf_image_get_digest (self->image) : NULL);
    }
  else
    image_uri = wharf_commands_image_uri (uri, TUTORIAL_TAG, NULL);
  pull = wharf_commands_pull (tool, shell, image_uri);

  gtk_label_set_label (self->login_label, login);
  gtk_label_set_label (self->build_label, build);
  gtk_label_set_label (self->tag_label, tag);
  gtk_label_set_label (self->push_label, push);
  gtk_label_set_label (self->pull_label, pull);

  gtk_label_set_label (self->install_apt_label, "sudo apt install podman");
  gtk_label_set_label (self->install_dnf_label, "sudo dnf install podman");
}

static void
update_tool_row (AdwActionRow *row,
                 const char   *program)
{
  g_autofree char *path = g_find_program_in_path (program);
  g_autofree char *subtitle = NULL;

  if (path != NULL)
    /* Translators: %s is the path of a program, such as /usr/bin/docker */
    subtitle = g_strdup_printf (_("Installed: %s"), path);
  else
    subtitle = g_strdup (_("Not installed"));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (row, subtitle);
  set_row_icon (row, path != NULL, "application-x-executable-symbolic");
}

static void
update_prerequisites (WharfTutorial *self)
{
  gboolean tool = has_container_tool ();

  if (self->account != NULL)
    {
      g_autofree char *description = wharf_account_dup_description (self->account);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->account_row),
                                     wharf_account_get_label (self->account));
      adw_action_row_set_subtitle (self->account_row, description);
      set_row_icon (self->account_row, TRUE, "avatar-default-symbolic");
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->account_row), _("No account yet"));
      adw_action_row_set_subtitle (self->account_row,
                                   _("Add the access key of an IAM user, pick an AWS CLI profile, or practise first."));
      set_row_icon (self->account_row, FALSE, "avatar-default-symbolic");
    }
  gtk_widget_set_visible (GTK_WIDGET (self->practice_button), !is_practice (self));

  update_tool_row (self->docker_row, "docker");
  update_tool_row (self->podman_row, "podman");
  gtk_revealer_set_reveal_child (self->install_revealer, !tool);

  set_done (self, STEP_PREREQUISITES, self->account != NULL && (tool || is_practice (self)));
}

static void
update_repository_row (WharfTutorial *self)
{
  g_autofree char *name = g_settings_get_string (self->settings, "tutorial-repository");

  if (self->repository != NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->repository_row),
                                     wharf_repository_get_name (self->repository));
      adw_action_row_set_subtitle (self->repository_row, wharf_repository_get_uri (self->repository));
      set_row_icon (self->repository_row, TRUE, "folder-symbolic");
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->repository_row),
                                     *name != '\0' ? name : _("None yet"));
      adw_action_row_set_subtitle (self->repository_row,
                                   self->repository_error != NULL ? self->repository_error
                                   : _("The wizard takes a minute; a name like “hello-app” is fine."));
      set_row_icon (self->repository_row, FALSE, "folder-symbolic");
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), self->client != NULL);
  /* Once there is a repository, creating another is no longer the thing to do. */
  if (self->repository != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->create_button), "suggested-action");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->create_button), "suggested-action");
  gtk_widget_set_sensitive (GTK_WIDGET (self->existing_entry), self->client != NULL);
}

static void
update_login (WharfTutorial *self)
{
  gboolean practice = is_practice (self);

  gtk_widget_set_visible (GTK_WIDGET (self->login_button), !practice);
  gtk_widget_set_sensitive (GTK_WIDGET (self->login_button),
                            !self->logging_in && self->client != NULL && has_container_tool ());
  gtk_spinner_set_spinning (self->login_spinner, self->logging_in);
  gtk_widget_set_visible (GTK_WIDGET (self->login_spinner), self->logging_in);

  if (practice)
    set_label (self->login_note,
               _("Practice mode has no registry for Docker or Podman to log in to. Read the "
                 "command to see how it works, then switch on “I ran it”."));
  else if (!has_container_tool ())
    set_label (self->login_note, _("Install Docker or Podman first (step 1)."));
  else if (self->logged_in)
    set_label (self->login_note, _("Logged in. The password is valid for 12 hours."));
  else if (!self->logging_in)
    set_label (self->login_note,
               _("“Log In Now” does the same from Wharf: the password goes to the tool’s input, never to its command line."));

  set_done (self, STEP_LOGIN,
            self->logged_in || gtk_switch_get_active (self->login_check));
}

static void
update_push (WharfTutorial *self)
{
  gboolean waiting = self->image == NULL && self->polling;

  gtk_widget_set_visible (GTK_WIDGET (self->simulate_button), is_practice (self) && self->image == NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->simulate_button),
                            self->client != NULL && self->repository != NULL);

  if (self->image != NULL)
    {
      const char *digest = wharf_image_get_digest (self->image);
      g_autofree char *short_digest = g_strndup (digest, strlen ("sha256:") + 12);
      g_autofree char *subtitle = NULL;
      WharfScanStatus scan = wharf_image_get_scan_status (self->image);

      /* Translators: the image's tags, then its digest, then its scan status */
      subtitle = g_strdup_printf (_("%s · %s… · Scan: %s"),
                                  wharf_image_get_tags_text (self->image), short_digest,
                                  scan == WHARF_SCAN_STATUS_NONE ? _("not scanned")
                                  : wharf_scan_status_get_label (scan));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->arrival_row), _("Image arrived"));
      adw_action_row_set_subtitle (self->arrival_row, subtitle);
      set_row_icon (self->arrival_row, TRUE, "document-send-symbolic");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->arrival_row), digest);
    }
  else if (self->repository == NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->arrival_row),
                                     _("No repository yet"));
      adw_action_row_set_subtitle (self->arrival_row, _("Create one in step 2 first."));
      set_row_icon (self->arrival_row, FALSE, "document-send-symbolic");
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->arrival_row),
                                     _("Waiting for an image…"));
      adw_action_row_set_subtitle (self->arrival_row,
                                   self->poll_error != NULL ? self->poll_error
                                   : is_practice (self)
                                   ? _("Practice mode has no registry to push to: “Simulate Push” sends a freshly made image to the sandbox, as a push would.")
                                   : _("Wharf looks at the repository every few seconds."));
      set_row_icon (self->arrival_row, FALSE, "document-send-symbolic");
    }

  gtk_spinner_set_spinning (self->arrival_spinner, waiting);
  gtk_widget_set_visible (GTK_WIDGET (self->arrival_spinner), waiting);

  set_done (self, STEP_PUSH, self->image != NULL);
}

static void
update_habits (WharfTutorial *self)
{
  gboolean scan_on = self->repository != NULL && wharf_repository_get_scan_on_push (self->repository);
  gboolean ready = self->client != NULL && self->repository != NULL;
  g_autofree char *lifecycle = build_lifecycle_text ();

  update_policy (self);
  gtk_label_set_label (self->lifecycle_label, lifecycle);
  gtk_widget_set_sensitive (GTK_WIDGET (self->lifecycle_button), ready && !self->lifecycle_applied);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scan_button), ready);
  gtk_widget_set_visible (GTK_WIDGET (self->scan_button), !scan_on);
  adw_action_row_set_subtitle (self->scan_row,
                               scan_on ? _("On: every new image is checked for known vulnerabilities")
                               : _("Check every new image for known vulnerabilities as it arrives"));
  set_row_icon (self->scan_row, scan_on, "security-high-symbolic");

  /* Sticky: what was applied in an earlier run is not known to this one. */
  if (self->policy_applied || self->lifecycle_applied || scan_on)
    set_done (self, STEP_HABITS, TRUE);
}

/* The line at the bottom: is the current step done? */
static void
update_check (WharfTutorial *self)
{
  Step step = current_step (self);
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->action_bar), step != STEP_FINISHED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tutorial.back", step > 0);
  gtk_button_set_label (self->next_button, step == STEP_HABITS ? _("_Finish") : _("_Next"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->next_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  step == STEP_HABITS ? _("Finish") : _("Next"), -1);

  if (step == STEP_FINISHED)
    return;

  if (step != STEP_PREREQUISITES && self->account == NULL)
    {
      set_check (self, "dialog-warning-symbolic", "warning",
                 _("Add an account or start practice mode in step 1"));
      return;
    }

  if (step != STEP_PREREQUISITES && self->client == NULL)
    {
      set_check (self, "content-loading-symbolic", NULL, _("Connecting…"));
      return;
    }

  switch (step)
    {
    case STEP_PREREQUISITES:
      if (self->account == NULL)
        set_check (self, "radio-symbolic", NULL, _("Not yet: add an account, or practise without AWS"));
      else if (!has_container_tool () && !is_practice (self))
        set_check (self, "dialog-warning-symbolic", "warning", _("Not yet: install Docker or Podman"));
      else if (!has_container_tool ())
        set_check (self, "emblem-ok-symbolic", "success",
                   _("Done: practice mode needs no container tool"));
      else
        set_check (self, "emblem-ok-symbolic", "success", _("Done: you have an account and a container tool"));
      break;

    case STEP_REPOSITORY:
      if (self->repository != NULL)
        {
          /* Translators: %s is a repository name */
          text = g_strdup_printf (_("Done: repository “%s” exists"),
                                  wharf_repository_get_name (self->repository));
          set_check (self, "emblem-ok-symbolic", "success", text);
        }
      else if (self->checking_repository)
        set_check (self, "content-loading-symbolic", NULL, _("Checking the repository…"));
      else if (self->repository_error != NULL)
        set_check (self, "dialog-warning-symbolic", "warning", self->repository_error);
      else
        set_check (self, "radio-symbolic", NULL, _("Not yet: create a repository"));
      break;

    case STEP_LOGIN:
      if (self->done[STEP_LOGIN])
        set_check (self, "emblem-ok-symbolic", "success", _("Done: logged in"));
      else
        set_check (self, "radio-symbolic", NULL, _("Not yet: log in, or switch on “I ran it” once you have"));
      break;

    case STEP_PUSH:
      if (self->image != NULL)
        set_check (self, "emblem-ok-symbolic", "success", _("Done: the image has arrived"));
      else if (self->repository == NULL)
        set_check (self, "dialog-warning-symbolic", "warning", _("Create a repository in step 2 first"));
      else
        set_check (self, "content-loading-symbolic", NULL, _("Waiting for your push…"));
      break;

    case STEP_PULL:
      if (self->done[STEP_PULL])
        set_check (self, "emblem-ok-symbolic", "success", _("Done: pulled"));
      else
        set_check (self, "radio-symbolic", NULL, _("Not yet: switch on “I pulled it” once you have"));
      break;

    case STEP_HABITS:
      {
        int n = (self->policy_applied ? 1 : 0) + (self->lifecycle_applied ? 1 : 0) +
                (self->repository != NULL && wharf_repository_get_scan_on_push (self->repository) ? 1 : 0);

        /* Translators: how many of the three good habits are in place */
        text = g_strdup_printf (ngettext ("%d of 3 in place", "%d of 3 in place", n), n);
        set_check (self, n > 0 ? "emblem-ok-symbolic" : "radio-symbolic", n > 0 ? "success" : NULL, text);
      }
      break;

    case STEP_FINISHED:
    default:
      g_assert_not_reached ();
    }
}

static void
wharf_tutorial_update (WharfTutorial *self)
{
  update_prerequisites (self);
  update_repository_row (self);
  update_commands (self);
  update_login (self);
  update_push (self);
  set_done (self, STEP_PULL, gtk_switch_get_active (self->pull_check));
  update_habits (self);
  update_check (self);
}

/* ---- Repository ---- */

static void
set_repository (WharfTutorial   *self,
                WharfRepository *repository)
{
  if (repository != NULL &&
      (self->repository == NULL ||
       g_strcmp0 (wharf_repository_get_name (repository), wharf_repository_get_name (self->repository)) != 0))
    {
      /* Another repository: what arrived in the old one does not count. */
      g_clear_object (&self->image);
      self->policy_applied = FALSE;
      self->lifecycle_applied = FALSE;
    }

  g_set_object (&self->repository, repository);
  g_clear_pointer (&self->repository_error, g_free);
  set_done (self, STEP_REPOSITORY, repository != NULL);
  if (repository != NULL)
    g_settings_set_string (self->settings, "tutorial-repository",
                           wharf_repository_get_name (repository));
}

static gboolean poll_timeout_cb (gpointer user_data);

static void
describe_repository_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(WharfTutorial) self = user_data;
  g_autoptr(GPtrArray) repositories = NULL;
  g_autoptr(GError) error = NULL;

  repositories = wharf_ecr_client_describe_repositories_finish (WHARF_ECR_CLIENT (object), result,
                                                                NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->checking_repository = FALSE;

  if (repositories != NULL && repositories->len > 0)
    {
      set_repository (self, g_ptr_array_index (repositories, 0));
      /* Whether something was pushed already (after a restart, say). */
      if (self->image == NULL && !self->polling)
        poll_timeout_cb (self);
    }
  else
    {
      g_autofree char *name = g_settings_get_string (self->settings, "tutorial-repository");
      g_autofree char *region = dup_region (self);

      g_clear_object (&self->repository);
      g_clear_object (&self->image);
      set_done (self, STEP_REPOSITORY, FALSE);
      g_free (self->repository_error);
      if (g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_NOT_FOUND) || error == NULL)
        /* Translators: a repository name, then an AWS region */
        self->repository_error = g_strdup_printf (_("There is no repository “%s” in %s"), name, region);
      else
        self->repository_error = g_strdup (error->message);
    }

  wharf_tutorial_update (self);
  wharf_tutorial_update_polling (self);
}

static void
wharf_tutorial_load_repository (WharfTutorial *self)
{
  g_autofree char *name = g_settings_get_string (self->settings, "tutorial-repository");
  const char *names[] = { name, NULL };

  if (self->client == NULL || *name == '\0')
    return;

  self->checking_repository = TRUE;
  wharf_ecr_client_describe_repositories_async (self->client, names, 0, NULL,
                                                self->client_cancellable,
                                                describe_repository_cb, g_object_ref (self));
  update_check (self);
}

static void
repository_created_cb (WharfTutorial               *self,
                       WharfRepository             *repository,
                       WharfCreateRepositoryDialog *dialog)
{
  set_repository (self, repository);
  wharf_tutorial_update (self);

  /* The main window lists it too. */
  activate_parent_action (self, "win.refresh");
}

static void
create_clicked_cb (WharfTutorial *self)
{
  WharfCreateRepositoryDialog *dialog;

  if (self->client == NULL)
    return;

  dialog = wharf_create_repository_dialog_new (GTK_WINDOW (self), self->client, NULL,
                                               self->account != NULL
                                               ? wharf_account_get_account_id (self->account) : NULL);
  g_signal_connect_object (dialog, "created", G_CALLBACK (repository_created_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
existing_apply_cb (WharfTutorial *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->existing_entry));
  g_autofree char *name = g_strstrip (g_strdup (text));
  g_autofree char *reason = NULL;

  if (!wharf_ecr_validate_repository_name (name, &reason))
    {
      g_free (self->repository_error);
      self->repository_error = g_steal_pointer (&reason);
      update_repository_row (self);
      update_check (self);
      return;
    }

  g_clear_object (&self->repository);
  g_settings_set_string (self->settings, "tutorial-repository", name);
  wharf_tutorial_load_repository (self);
}

/* ---- Login ---- */

static void
login_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(WharfTutorial) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!wharf_container_login_finish (result, NULL, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->logging_in = FALSE;
  self->logged_in = error == NULL;
  update_login (self);
  if (error != NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is what Docker or Podman said */
      message = g_strdup_printf (_("The login failed: %s"), error->message);
      set_label (self->login_note, message);
    }
  update_check (self);
}

static void
login_token_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(WharfTutorial) self = user_data;
  g_autoptr(WharfAuthorizationToken) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *program = NULL;
  g_autofree char *server = NULL;

  token = wharf_ecr_client_get_authorization_token_finish (WHARF_ECR_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (token != NULL)
    {
      program = wharf_container_login_find_program (container_tool (self));
      server = wharf_commands_endpoint_host (wharf_authorization_token_get_proxy_endpoint (token));
    }

  if (token == NULL || program == NULL || server == NULL)
    {
      g_autofree char *message = NULL;

      self->logging_in = FALSE;
      update_login (self);
      message = g_strdup_printf (_("The login failed: %s"),
                                 error != NULL ? error->message
                                 : program == NULL ? _("Docker or Podman is not installed")
                                 : _("ECR gave no registry address"));
      set_label (self->login_note, message);
      return;
    }

  wharf_container_login_async (program, wharf_authorization_token_get_user_name (token),
                               wharf_authorization_token_get_password (token), server,
                               self->client_cancellable, login_done_cb, g_object_ref (self));
}

static void
login_clicked_cb (WharfTutorial *self)
{
  if (self->client == NULL || is_practice (self) || self->logging_in)
    return;

  self->logging_in = TRUE;
  set_label (self->login_note, _("Logging in…"));
  update_login (self);
  wharf_ecr_client_get_authorization_token_async (self->client, self->client_cancellable,
                                                  login_token_cb, g_object_ref (self));
}

static void
login_check_toggled_cb (WharfTutorial *self)
{
  update_login (self);
  update_check (self);
}

static void
pull_check_toggled_cb (WharfTutorial *self)
{
  set_done (self, STEP_PULL, gtk_switch_get_active (self->pull_check));
  update_check (self);
}

/* ---- Waiting for the push ---- */

static gboolean
scan_still_running (WharfImage *image)
{
  WharfScanStatus status = wharf_image_get_scan_status (image);

  return status == WHARF_SCAN_STATUS_IN_PROGRESS || status == WHARF_SCAN_STATUS_PENDING;
}

static void
schedule_poll (WharfTutorial *self)
{
  g_clear_handle_id (&self->poll_id, g_source_remove);
  self->poll_id = g_timeout_add (self->poll_delay_ms, poll_timeout_cb, self);
  /* Back off: a push takes a while, and each look is a request. */
  self->poll_delay_ms = MIN (self->poll_delay_ms * 3 / 2, POLL_MAX_DELAY_MS);
}

static void
describe_images_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(WharfTutorial) self = user_data;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GError) error = NULL;
  WharfImage *newest = NULL;

  images = wharf_ecr_client_describe_images_finish (WHARF_ECR_CLIENT (object), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_pointer (&self->poll_error, g_free);
  if (images == NULL)
    /* Translators: %s is the error message; Wharf keeps trying */
    self->poll_error = g_strdup_printf (_("Could not look: %s. Trying again…"), error->message);
  else
    for (guint i = 0; i < images->len; i++)
      {
        WharfImage *image = g_ptr_array_index (images, i);
        GDateTime *pushed = wharf_image_get_pushed_at (image);

        if (newest == NULL ||
            (pushed != NULL && wharf_image_get_pushed_at (newest) != NULL &&
             g_date_time_compare (pushed, wharf_image_get_pushed_at (newest)) > 0))
          newest = image;
      }

  if (newest != NULL)
    g_set_object (&self->image, newest);

  /* Keep looking until an image is there and its scan has finished (a single look when
   * the push step is not shown). */
  if (self->polling && (self->image == NULL || scan_still_running (self->image)))
    schedule_poll (self);
  else
    self->polling = FALSE;

  update_push (self);
  update_commands (self);
  update_check (self);
}

static gboolean
poll_timeout_cb (gpointer user_data)
{
  WharfTutorial *self = user_data;

  self->poll_id = 0;
  if (self->client == NULL || self->repository == NULL)
    {
      self->polling = FALSE;
      return G_SOURCE_REMOVE;
    }

  g_cancellable_cancel (self->poll_cancellable);
  g_clear_object (&self->poll_cancellable);
  self->poll_cancellable = g_cancellable_new ();
  wharf_ecr_client_describe_images_async (self->client,
                                          wharf_repository_get_name (self->repository),
                                          WHARF_TAG_STATUS_ANY, NULL, 100, NULL,
                                          self->poll_cancellable,
                                          describe_images_cb, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
stop_polling (WharfTutorial *self)
{
  self->polling = FALSE;
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_cancellable_cancel (self->poll_cancellable);
}

/* Polls while the push step is shown, a repository is known, and the image has not arrived
 * (or its scan is still running). */
static void
wharf_tutorial_update_polling (WharfTutorial *self)
{
  gboolean wanted = current_step (self) == STEP_PUSH && self->client != NULL &&
                    self->repository != NULL &&
                    (self->image == NULL || scan_still_running (self->image));

  if (!wanted)
    {
      /* A single look started elsewhere may be under way: leave it be. */
      if (self->polling)
        stop_polling (self);
      update_push (self);
      return;
    }

  if (!self->polling)
    {
      self->polling = TRUE;
      self->poll_delay_ms = POLL_FIRST_DELAY_MS;
      g_clear_handle_id (&self->poll_id, g_source_remove);
      self->poll_id = g_idle_add (poll_timeout_cb, self);
    }
  update_push (self);
}

static void
put_image_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(WharfTutorial) self = user_data;
  g_autoptr(WharfImageManifest) manifest = NULL;
  g_autoptr(GError) error = NULL;

  manifest = wharf_ecr_client_put_image_finish (WHARF_ECR_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->simulate_button), TRUE);
  if (manifest == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the error message */
      message = g_strdup_printf (_("The simulated push failed: %s"), error->message);
      toast (self, message);
      return;
    }

  /* Look at once: the person is watching. */
  g_clear_object (&self->image);
  stop_polling (self);
  wharf_tutorial_update_polling (self);
}

static void
simulate_clicked_cb (WharfTutorial *self)
{
  g_autofree char *manifest = NULL;

  if (!is_practice (self) || self->client == NULL || self->repository == NULL)
    return;

  manifest = wharf_practice_generate_manifest ();
  gtk_widget_set_sensitive (GTK_WIDGET (self->simulate_button), FALSE);
  wharf_ecr_client_put_image_async (self->client, wharf_repository_get_name (self->repository),
                                    manifest, "application/vnd.docker.distribution.manifest.v2+json",
                                    TUTORIAL_TAG, NULL, self->client_cancellable,
                                    put_image_cb, g_object_ref (self));
}

/* ---- Good habits ---- */

static void
account_id_changed_cb (WharfTutorial *self)
{
  update_policy (self);
}

static void
set_policy_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(WharfTutorial) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!wharf_ecr_client_set_repository_policy_finish (WHARF_ECR_CLIENT (object), result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: %s is the error message */
      message = g_strdup_printf (_("Not applied: %s"), error->message);
      set_label (self->policy_status, message);
      update_policy (self);
      return;
    }

  self->policy_applied = TRUE;
  set_label (self->policy_status, _("Applied: the account can pull"));
  update_habits (self);
  update_check (self);
}

static void
get_policy_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(WharfTutorial) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *existing = NULL;
  g_autofree char *trimmed = NULL;
  g_autofree char *policy = NULL;

  existing = wharf_ecr_client_get_repository_policy_finish (WHARF_ECR_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (existing != NULL || !g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_NOT_FOUND))
    {
      /* A policy is there already: replacing it could lock someone out, so leave it. */
      set_label (self->policy_status,
                 existing != NULL
                 ? _("Not applied: this repository has a policy already. Add the statement in the repository’s permissions instead.")
                 : error->message);
      update_policy (self);
      return;
    }

  trimmed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->account_id_entry))));
  policy = build_policy_text (self, trimmed);
  wharf_ecr_client_set_repository_policy_async (self->client,
                                                wharf_repository_get_name (self->repository),
                                                policy, FALSE, self->client_cancellable,
                                                set_policy_cb, g_object_ref (self));
}

static void
policy_clicked_cb (WharfTutorial *self)
{
  g_autofree char *trimmed = NULL;

  trimmed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->account_id_entry))));
  if (self->client == NULL || self->repository == NULL || !is_account_id (trimmed))
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->policy_button), FALSE);
  set_label (self->policy_status, _("Applying…"));
  wharf_ecr_client_get_repository_policy_async (self->client,
                                                wharf_repository_get_name (self->repository),
                                                self->client_cancellable,
                                                get_policy_cb, g_object_ref (self));
}

static void
put_lifecycle_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(WharfTutorial) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!wharf_ecr_client_put_lifecycle_policy_finish (WHARF_ECR_CLIENT (object), result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Not applied: %s"), error->message);
      set_label (self->lifecycle_status, message);
      update_habits (self);
      return;
    }

  self->lifecycle_applied = TRUE;
  set_label (self->lifecycle_status, _("Applied: untagged images expire after 14 days"));
  update_habits (self);
  update_check (self);
}

static void
get_lifecycle_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(WharfTutorial) self = user_data;
  g_autoptr(WharfLifecyclePolicy) existing = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  existing = wharf_ecr_client_get_lifecycle_policy_finish (WHARF_ECR_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (existing != NULL || !g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_NOT_FOUND))
    {
      set_label (self->lifecycle_status,
                 existing != NULL
                 ? _("Not applied: this repository has lifecycle rules already; Wharf leaves them as they are.")
                 : error->message);
      update_habits (self);
      return;
    }

  text = build_lifecycle_text ();
  wharf_ecr_client_put_lifecycle_policy_async (self->client,
                                               wharf_repository_get_name (self->repository),
                                               text, self->client_cancellable,
                                               put_lifecycle_cb, g_object_ref (self));
}

static void
lifecycle_clicked_cb (WharfTutorial *self)
{
  if (self->client == NULL || self->repository == NULL)
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->lifecycle_button), FALSE);
  set_label (self->lifecycle_status, _("Applying…"));
  wharf_ecr_client_get_lifecycle_policy_async (self->client,
                                               wharf_repository_get_name (self->repository),
                                               self->client_cancellable,
                                               get_lifecycle_cb, g_object_ref (self));
}

static void
scan_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(WharfTutorial) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!wharf_ecr_client_put_image_scanning_configuration_finish (WHARF_ECR_CLIENT (object),
                                                                 result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Not applied: %s"), error->message);
      toast (self, message);
      update_habits (self);
      return;
    }

  /* Read the repository again: its settings changed. */
  wharf_tutorial_load_repository (self);
}

static void
scan_clicked_cb (WharfTutorial *self)
{
  if (self->client == NULL || self->repository == NULL)
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->scan_button), FALSE);
  wharf_ecr_client_put_image_scanning_configuration_async (self->client,
                                                           wharf_repository_get_name (self->repository),
                                                           TRUE, self->client_cancellable,
                                                           scan_done_cb, g_object_ref (self));
}

/* ---- Account and client ---- */

static void
create_client_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(WharfTutorial) self = user_data;
  g_autoptr(WharfEcrClient) client = NULL;
  g_autoptr(GError) error = NULL;

  client = wharf_account_manager_create_client_finish (WHARF_ACCOUNT_MANAGER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->connecting = FALSE;
  if (client == NULL)
    {
      toast (self, error->message);
      wharf_tutorial_update (self);
      return;
    }

  g_set_object (&self->client, client);
  wharf_tutorial_update (self);
  wharf_tutorial_load_repository (self);
}

/* Connects to the account and region again (the main window's, through the properties). */
static void
wharf_tutorial_reconnect (WharfTutorial *self)
{

  g_cancellable_cancel (self->client_cancellable);
  g_clear_object (&self->client_cancellable);
  self->client_cancellable = g_cancellable_new ();
  stop_polling (self);

  g_clear_object (&self->client);
  g_clear_object (&self->repository);
  g_clear_object (&self->image);
  g_clear_pointer (&self->repository_error, g_free);
  self->logging_in = FALSE;
  self->checking_repository = FALSE;

  if (self->account != NULL)
    {
      self->connecting = TRUE;
      wharf_account_manager_create_client_async (self->accounts, self->account, self->region,
                                                 self->client_cancellable,
                                                 create_client_cb, g_object_ref (self));
    }

  wharf_tutorial_update (self);
}

static void
add_account_clicked_cb (WharfTutorial *self)
{
  activate_parent_action (self, "win.add-account");
}

static void
practice_clicked_cb (WharfTutorial *self)
{
  activate_parent_action (self, "win.practice");
}

/* ---- Navigation ---- */

static void
copy_clicked_cb (GtkButton     *button,
                 WharfTutorial *self)
{
  GtkWidget *label = gtk_widget_get_prev_sibling (GTK_WIDGET (button));

  if (!GTK_IS_LABEL (label))
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)),
                          gtk_label_get_label (GTK_LABEL (label)));
  toast (self, _("Copied to the clipboard"));
}

static void
go_to (WharfTutorial *self,
       Step           step)
{
  gtk_stack_set_visible_child_name (self->stack, step_ids[step]);
}

static void
page_changed_cb (WharfTutorial *self)
{
  Step step = current_step (self);
  g_autofree char *subtitle = NULL;

  if (self->settings == NULL)
    return;

  g_settings_set_string (self->settings, "tutorial-step", step_ids[step]);

  if (step < N_STEPS)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->steps_list, step);

      gtk_list_box_select_row (self->steps_list, row);
      /* Translators: the tutorial's progress, "Step 2 of 6" */
      subtitle = g_strdup_printf (_("Step %d of %d"), step + 1, N_STEPS);
    }
  else
    {
      gtk_list_box_unselect_all (self->steps_list);
      subtitle = g_strdup (_("Done"));
    }
  adw_window_title_set_subtitle (self->window_title, subtitle);

  /* Things outside Wharf may have changed meanwhile (a tool installed, a push). */
  if (step == STEP_PREREQUISITES)
    update_prerequisites (self);
  if (step == STEP_REPOSITORY && self->repository == NULL)
    wharf_tutorial_load_repository (self);
  update_check (self);
  wharf_tutorial_update_polling (self);
}

static void
step_row_activated_cb (WharfTutorial *self,
                       GtkListBoxRow *row)
{
  go_to (self, gtk_list_box_row_get_index (row));
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
show_steps_clicked_cb (WharfTutorial *self)
{
  adw_leaflet_set_visible_child (self->leaflet, gtk_widget_get_first_child (GTK_WIDGET (self->leaflet)));
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WharfTutorial *self = WHARF_TUTORIAL (widget);
  Step step = current_step (self);

  if (step >= N_STEPS)
    return;
  if (step == STEP_HABITS)
    {
      go_to (self, STEP_FINISHED);
      return;
    }
  go_to (self, step + 1);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WharfTutorial *self = WHARF_TUTORIAL (widget);
  Step step = current_step (self);

  if (step > 0)
    go_to (self, step - 1);
}

static void
restart_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  WharfTutorial *self = WHARF_TUTORIAL (widget);

  g_settings_delay (self->settings);
  g_settings_reset (self->settings, "tutorial-step");
  g_settings_reset (self->settings, "tutorial-repository");
  g_settings_reset (self->settings, "tutorial-completed");
  g_settings_apply (self->settings);

  for (guint i = 0; i < N_STEPS; i++)
    self->done[i] = FALSE;
  self->logged_in = FALSE;
  self->policy_applied = FALSE;
  self->lifecycle_applied = FALSE;
  gtk_switch_set_active (self->login_check, FALSE);
  gtk_switch_set_active (self->pull_check, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->existing_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->account_id_entry), "");
  set_label (self->policy_status, NULL);
  set_label (self->lifecycle_status, NULL);

  wharf_tutorial_reconnect (self);
  go_to (self, STEP_PREREQUISITES);
}

/* ---- Creation ---- */

static void
wharf_tutorial_restore (WharfTutorial *self)
{
  g_auto(GStrv) completed = g_settings_get_strv (self->settings, "tutorial-completed");
  g_autofree char *step = g_settings_get_string (self->settings, "tutorial-step");

  for (guint i = 0; i < N_STEPS; i++)
    self->done[i] = g_strv_contains ((const char * const *) completed, step_ids[i]);

  /* Ticks are facts only the person knows: take them from the saved progress. */
  gtk_switch_set_active (self->login_check,
                         g_strv_contains ((const char * const *) completed, step_ids[STEP_LOGIN]));
  gtk_switch_set_active (self->pull_check,
                         g_strv_contains ((const char * const *) completed, step_ids[STEP_PULL]));

  for (guint i = 0; i <= N_STEPS; i++)
    if (g_str_equal (step, step_ids[i]))
      {
        go_to (self, i);
        break;
      }
}

WharfTutorial *
wharf_tutorial_new (GtkWindow           *parent,
                    WharfAccountManager *accounts,
                    WharfAccount        *account,
                    const char          *region)
{
  WharfTutorial *self;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (WHARF_IS_ACCOUNT_MANAGER (accounts), NULL);
  g_return_val_if_fail (account == NULL || WHARF_IS_ACCOUNT (account), NULL);

  self = g_object_new (WHARF_TYPE_TUTORIAL,
                       "transient-for", parent,
                       "destroy-with-parent", TRUE,
                       NULL);
  self->accounts = g_object_ref (accounts);
  g_set_object (&self->account, account);
  self->region = g_strdup (region);

  g_signal_connect_object (wharf_practice_get_default (), "restarted",
                           G_CALLBACK (wharf_tutorial_reconnect), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::container-tool",
                           G_CALLBACK (update_commands), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::command-shell",
                           G_CALLBACK (update_commands), self, G_CONNECT_SWAPPED);

  wharf_tutorial_restore (self);
  wharf_tutorial_reconnect (self);
  page_changed_cb (self);

  return self;
}

static void
wharf_tutorial_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  WharfTutorial *self = WHARF_TUTORIAL (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    case PROP_REGION:
      g_value_set_string (value, self->region);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wharf_tutorial_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  WharfTutorial *self = WHARF_TUTORIAL (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      if (g_set_object (&self->account, g_value_get_object (value)))
        {
          g_object_notify_by_pspec (object, pspec);
          wharf_tutorial_reconnect (self);
        }
      break;
    case PROP_REGION:
      if (g_strcmp0 (self->region, g_value_get_string (value)) != 0)
        {
          g_free (self->region);
          self->region = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
          wharf_tutorial_reconnect (self);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wharf_tutorial_dispose (GObject *object)
{
  WharfTutorial *self = WHARF_TUTORIAL (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->client_cancellable);
  g_cancellable_cancel (self->poll_cancellable);
  g_clear_handle_id (&self->poll_id, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), WHARF_TYPE_TUTORIAL);

  g_clear_object (&self->client);
  g_clear_object (&self->repository);
  g_clear_object (&self->image);
  g_clear_object (&self->account);
  g_clear_object (&self->accounts);

  G_OBJECT_CLASS (wharf_tutorial_parent_class)->dispose (object);
}

static void
wharf_tutorial_finalize (GObject *object)
{
  WharfTutorial *self = WHARF_TUTORIAL (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->client_cancellable);
  g_clear_object (&self->poll_cancellable);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->repository_error, g_free);
  g_clear_pointer (&self->poll_error, g_free);
  g_clear_pointer (&self->region, g_free);

  G_OBJECT_CLASS (wharf_tutorial_parent_class)->finalize (object);
}

static void
wharf_tutorial_class_init (WharfTutorialClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wharf_tutorial_dispose;
  object_class->finalize = wharf_tutorial_finalize;
  object_class->get_property = wharf_tutorial_get_property;
  object_class->set_property = wharf_tutorial_set_property;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, WHARF_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REGION] =
    g_param_spec_string ("region", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/wharf-tutorial.ui");

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, WharfTutorial, name)
  BIND (toast_overlay);
  BIND (leaflet);
  BIND (content);
  BIND (steps_list);
  BIND (stack);
  BIND (window_title);
  BIND (action_bar);
  BIND (next_button);
  BIND (check_icon);
  BIND (check_label);
  BIND (account_row);
  BIND (add_account_button);
  BIND (practice_button);
  BIND (docker_row);
  BIND (podman_row);
  BIND (install_revealer);
  BIND (install_apt_label);
  BIND (install_dnf_label);
  BIND (repository_row);
  BIND (create_button);
  BIND (existing_entry);
  BIND (login_label);
  BIND (login_button);
  BIND (login_spinner);
  BIND (login_check);
  BIND (login_note);
  BIND (build_label);
  BIND (tag_label);
  BIND (push_label);
  BIND (simulate_button);
  BIND (arrival_row);
  BIND (arrival_spinner);
  BIND (pull_label);
  BIND (pull_check);
  BIND (account_id_entry);
  BIND (account_id_error);
  BIND (policy_label);
  BIND (policy_button);
  BIND (policy_status);
  BIND (lifecycle_label);
  BIND (lifecycle_button);
  BIND (lifecycle_status);
  BIND (scan_row);
  BIND (scan_button);
#undef BIND
  gtk_widget_class_bind_template_child_full (widget_class, "step_icon_0", FALSE,
                                             G_STRUCT_OFFSET (WharfTutorial, step_icons[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "step_icon_1", FALSE,
                                             G_STRUCT_OFFSET (WharfTutorial, step_icons[1]));
  gtk_widget_class_bind_template_child_full (widget_class, "step_icon_2", FALSE,
                                             G_STRUCT_OFFSET (WharfTutorial, step_icons[2]));
  gtk_widget_class_bind_template_child_full (widget_class, "step_icon_3", FALSE,
                                             G_STRUCT_OFFSET (WharfTutorial, step_icons[3]));
  gtk_widget_class_bind_template_child_full (widget_class, "step_icon_4", FALSE,
                                             G_STRUCT_OFFSET (WharfTutorial, step_icons[4]));
  gtk_widget_class_bind_template_child_full (widget_class, "step_icon_5", FALSE,
                                             G_STRUCT_OFFSET (WharfTutorial, step_icons[5]));

  gtk_widget_class_bind_template_callback (widget_class, add_account_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, practice_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, create_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, existing_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, login_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, login_check_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, simulate_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, pull_check_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, account_id_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, policy_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, lifecycle_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, scan_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, page_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, step_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, show_steps_clicked_cb);

  gtk_widget_class_install_action (widget_class, "tutorial.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "tutorial.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "tutorial.restart", NULL, restart_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
wharf_tutorial_init (WharfTutorial *self)
{
  self->cancellable = g_cancellable_new ();
  self->client_cancellable = g_cancellable_new ();
  self->poll_cancellable = g_cancellable_new ();
  self->poll_delay_ms = POLL_FIRST_DELAY_MS;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}
