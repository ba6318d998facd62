/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What each step of the tutorial shows: the texts and commands filled in for the account,
 * region and repository, the ticks of the steps that are done (kept in GSettings), and the
 * line at the bottom that says whether the current step is. Reads the tutorial's state,
 * never asks the registry.
 */
#define G_LOG_DOMAIN "wharf-tutorial"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-tutorial-private.h"

#include "wharf-commands.h"
#include "wharf-practice.h"

/* ---- Small helpers ---- */

void
wharf_tutorial_toast (WharfTutorial *self,
                      const char    *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *t = adw_toast_new (escaped);

  adw_toast_set_timeout (t, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

/* The main window does it: it lists the accounts and repositories. */
void
wharf_tutorial_activate_parent_action (WharfTutorial *self,
                                       const char    *action_name)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), action_name, NULL);
}

gboolean
wharf_tutorial_is_practice (WharfTutorial *self)
{
  return self->account != NULL &&
         wharf_account_get_source (self->account) == WHARF_ACCOUNT_SOURCE_PRACTICE;
}

Step
wharf_tutorial_current_step (WharfTutorial *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->stack);

  for (guint i = 0; i <= N_STEPS; i++)
    if (g_strcmp0 (name, step_ids[i]) == 0)
      return i;

  return STEP_PREREQUISITES;
}

char *
wharf_tutorial_dup_region (WharfTutorial *self)
{
  if (self->client != NULL)
    return g_strdup (wharf_ecr_client_get_region (self->client));

  return g_strdup (self->region != NULL ? self->region : WHARF_FALLBACK_REGION);
}

WharfContainerTool
wharf_tutorial_container_tool (WharfTutorial *self)
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

gboolean
wharf_tutorial_has_container_tool (void)
{
  g_autofree char *docker = g_find_program_in_path ("docker");
  g_autofree char *podman = g_find_program_in_path ("podman");

  return docker != NULL || podman != NULL;
}

/* The repository's address (its repositoryUri), or one with the parts that are known so
 * far: the registry's own address when it told us (practice mode's sandbox, a token's
 * proxyEndpoint), else ECR's usual form. */
static char *
dup_repository_uri (WharfTutorial *self)
{
  g_autofree char *region = NULL;
  g_autofree char *name = NULL;
  const char *account_id = NULL;
  const char *host = NULL;

  if (self->repository != NULL)
    return g_strdup (wharf_repository_get_uri (self->repository));

  region = wharf_tutorial_dup_region (self);
  name = g_settings_get_string (self->settings, "tutorial-repository");
  if (self->account != NULL)
    account_id = wharf_account_get_account_id (self->account);

  if (wharf_tutorial_is_practice (self))
    host = wharf_practice_get_registry_host (wharf_practice_get_default ());
  if (host == NULL)
    host = self->registry_host;
  if (host != NULL)
    return g_strdup_printf ("%s/%s", host, *name != '\0' ? name : "my-app");

  return g_strdup_printf ("%s.dkr.ecr.%s.amazonaws.com/%s",
                          account_id != NULL ? account_id : "ACCOUNT_ID", region,
                          *name != '\0' ? name : "my-app");
}

char *
wharf_tutorial_dup_pull_uri (WharfTutorial *self)
{
  g_autofree char *uri = dup_repository_uri (self);

  /* Pull what arrived: by its tag when it has ours, else by its first tag or digest. */
  if (self->image != NULL && !g_strv_contains (wharf_image_get_tags (self->image), TUTORIAL_TAG))
    {
      const char * const *tags = wharf_image_get_tags (self->image);

      return wharf_commands_image_uri (uri, tags[0],
                                       tags[0] == NULL ? wharf_image_get_digest (self->image) : NULL);
    }

  return wharf_commands_image_uri (uri, TUTORIAL_TAG, NULL);
}

gboolean
wharf_tutorial_push_checked (WharfTutorial *self)
{
  if (self->image == NULL)
    return FALSE;
  if (!wharf_tutorial_is_practice (self))
    return TRUE;

  return g_strcmp0 (self->verified_digest, wharf_image_get_digest (self->image)) == 0;
}

void
wharf_tutorial_set_done (WharfTutorial *self,
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

void
wharf_tutorial_set_label (GtkLabel   *label,
                          const char *text)
{
  gtk_label_set_label (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

/* ---- Texts that depend on the account and the repository ---- */

char *
wharf_tutorial_build_policy_text (WharfTutorial *self,
                                  const char    *account_id)
{
  g_autofree char *region = wharf_tutorial_dup_region (self);
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

char *
wharf_tutorial_build_lifecycle_text (void)
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

gboolean
wharf_tutorial_is_account_id (const char *text)
{
  if (strlen (text) != 12)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

void
wharf_tutorial_update_policy (WharfTutorial *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->account_id_entry));
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  gboolean valid = wharf_tutorial_is_account_id (trimmed);
  g_autofree char *policy = wharf_tutorial_build_policy_text (self, valid ? trimmed : "ACCOUNT_ID");

  gtk_label_set_label (self->policy_label, policy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->policy_button),
                            valid && self->client != NULL && self->repository != NULL);

  if (*trimmed != '\0' && !valid)
    {
      wharf_tutorial_set_label (self->account_id_error,
                                _("An AWS account ID is exactly 12 digits, such as 123456789012."));
      gtk_widget_add_css_class (GTK_WIDGET (self->account_id_entry), "error");
    }
  else
    {
      wharf_tutorial_set_label (self->account_id_error, NULL);
      gtk_widget_remove_css_class (GTK_WIDGET (self->account_id_entry), "error");
    }
}

void
wharf_tutorial_update_commands (WharfTutorial *self)
{
  g_autofree char *region = wharf_tutorial_dup_region (self);
  g_autofree char *uri = dup_repository_uri (self);
  g_autofree char *login = NULL;
  g_autofree char *build = NULL;
  g_autofree char *tag = NULL;
  g_autofree char *push = NULL;
  g_autofree char *pull = NULL;
  g_autofree char *image_uri = NULL;
  WharfCommandContext context = { 0 };
  WharfContainerTool tool = wharf_tutorial_container_tool (self);
  WharfCommandShell shell = g_settings_get_enum (self->settings, "command-shell");

  context.tool = tool;
  context.shell = shell;
  context.region = region;
  context.repository_uri = uri;
  context.tag = TUTORIAL_TAG;
  if (self->account != NULL)
    context.profile = wharf_account_get_profile (self->account);
  if (wharf_tutorial_is_practice (self))
    context.endpoint_url = wharf_practice_get_url (wharf_practice_get_default ());

  login = wharf_commands_build_step (&context, WHARF_COMMAND_STEP_LOGIN);
  build = wharf_commands_build_step (&context, WHARF_COMMAND_STEP_BUILD);
  tag = wharf_commands_build_step (&context, WHARF_COMMAND_STEP_TAG);
  push = wharf_commands_build_step (&context, WHARF_COMMAND_STEP_PUSH);

  image_uri = wharf_tutorial_dup_pull_uri (self);
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

void
wharf_tutorial_update_prerequisites (WharfTutorial *self)
{
  gboolean tool = wharf_tutorial_has_container_tool ();

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
  gtk_widget_set_visible (GTK_WIDGET (self->practice_button), !wharf_tutorial_is_practice (self));

  update_tool_row (self->docker_row, "docker");
  update_tool_row (self->podman_row, "podman");
  gtk_revealer_set_reveal_child (self->install_revealer, !tool);

  wharf_tutorial_set_done (self, STEP_PREREQUISITES,
                           self->account != NULL && (tool || wharf_tutorial_is_practice (self)));
}

void
wharf_tutorial_update_repository_row (WharfTutorial *self)
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

void
wharf_tutorial_update_login (WharfTutorial *self)
{
  gboolean practice = wharf_tutorial_is_practice (self);
  g_autofree char *note = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->login_button),
                            !self->logging_in && self->client != NULL && wharf_tutorial_has_container_tool ());
  gtk_spinner_set_spinning (self->login_spinner, self->logging_in);
  gtk_widget_set_visible (GTK_WIDGET (self->login_spinner), self->logging_in);

  if (practice && !wharf_tutorial_has_container_tool ())
    wharf_tutorial_set_label (self->login_note,
                              _("Without Docker or Podman there is nothing to log in: read the command to see "
                                "how it works, then switch on “I ran it”."));
  else if (!wharf_tutorial_has_container_tool ())
    wharf_tutorial_set_label (self->login_note, _("Install Docker or Podman first (step 1)."));
  else if (self->logged_in)
    wharf_tutorial_set_label (self->login_note,
                              _("Logged in. The password is valid for 12 hours."));
  else if (!self->logging_in && practice)
    {
      g_autofree char *keys = NULL;

      /* Translators: the two %s are the practice access key ID and secret access key,
       * which are public and only ever work with Wharf's sandbox */
      keys = g_strdup_printf (_("To run the command yourself, give the AWS CLI the practice keys, for "
                                "example as the variables AWS_ACCESS_KEY_ID=%s and "
                                "AWS_SECRET_ACCESS_KEY=%s. They are public and work only here, never on AWS."),
                              WHARF_SANDBOX_PRACTICE_ACCESS_KEY_ID, WHARF_SANDBOX_PRACTICE_SECRET_ACCESS_KEY);
      note = g_strdup_printf ("%s\n\n%s",
                              _("The practice registry runs on this computer (127.0.0.1) and talks without "
                                "encryption. Docker allows that for a local address; Podman needs "
                                "--tls-verify=false, which its commands here include. Never use that option "
                                "with AWS. “Log In Now” does the same from Wharf: the password goes to the "
                                "tool’s input, never to its command line."),
                              keys);
      wharf_tutorial_set_label (self->login_note, note);
    }
  else if (!self->logging_in)
    wharf_tutorial_set_label (self->login_note,
                              _("“Log In Now” does the same from Wharf: the password goes to the tool’s input, never to its command line."));

  wharf_tutorial_set_done (self, STEP_LOGIN,
                           self->logged_in || gtk_switch_get_active (self->login_check));
}

void
wharf_tutorial_update_push (WharfTutorial *self)
{
  gboolean practice = wharf_tutorial_is_practice (self);
  gboolean tool = wharf_tutorial_has_container_tool ();
  gboolean waiting = (self->image == NULL && self->polling) || self->verifying;

  /* Only for a person with neither Docker nor Podman: everyone else pushes for real. */
  gtk_widget_set_visible (GTK_WIDGET (self->simulate_button),
                          practice && !tool && self->image == NULL);
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
      if (practice && self->verify_error != NULL)
        {
          g_autofree char *with_error = g_strdup_printf ("%s\n%s", subtitle, self->verify_error);

          g_free (subtitle);
          subtitle = g_steal_pointer (&with_error);
        }
      else if (practice && wharf_tutorial_push_checked (self))
        {
          /* Translators: after the image's tags, digest and scan status */
          g_autofree char *checked = g_strdup_printf ("%s\n%s", subtitle,
                                                      _("Digest checked: the manifest the registry holds hashes to it, so this is exactly what was pushed."));

          g_free (subtitle);
          subtitle = g_steal_pointer (&checked);
        }
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->arrival_row), _("Image arrived"));
      adw_action_row_set_subtitle (self->arrival_row, subtitle);
      set_row_icon (self->arrival_row, wharf_tutorial_push_checked (self), "document-send-symbolic");
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
                                   : practice && !tool
                                   ? _("Without Docker or Podman you cannot push for real: “Simulate Push” sends a freshly made image to the practice registry, as a push would.")
                                   : _("Wharf looks at the repository every few seconds."));
      set_row_icon (self->arrival_row, FALSE, "document-send-symbolic");
    }

  gtk_spinner_set_spinning (self->arrival_spinner, waiting);
  gtk_widget_set_visible (GTK_WIDGET (self->arrival_spinner), waiting);

  if (practice && tool)
    wharf_tutorial_set_label (self->push_note,
                              _("Practice mode: these commands push to the practice registry on this computer. "
                                "Podman’s include --tls-verify=false because that registry talks without "
                                "encryption; Docker allows that for a local address by itself. Once the image "
                                "arrives, Wharf checks that the registry holds exactly what was pushed."));
  else
    wharf_tutorial_set_label (self->push_note, NULL);

  wharf_tutorial_set_done (self, STEP_PUSH, wharf_tutorial_push_checked (self));
}

void
wharf_tutorial_update_pull (WharfTutorial *self)
{
  gboolean tool = wharf_tutorial_has_container_tool ();

  gtk_widget_set_visible (GTK_WIDGET (self->pull_button), tool);
  gtk_widget_set_sensitive (GTK_WIDGET (self->pull_button),
                            !self->pulling && self->image != NULL && self->client != NULL);
  gtk_spinner_set_spinning (self->pull_spinner, self->pulling);
  gtk_widget_set_visible (GTK_WIDGET (self->pull_spinner), self->pulling);

  if (self->pulling)
    wharf_tutorial_set_label (self->pull_note, _("Pulling…"));
  else if (self->pulled)
    wharf_tutorial_set_label (self->pull_note,
                              _("Pulled: the tool fetched the image from the registry and said so."));
  else if (!tool)
    wharf_tutorial_set_label (self->pull_note,
                              _("Without Docker or Podman there is nothing to pull with: read the command, then switch on “I pulled it”."));
  else if (self->image == NULL)
    wharf_tutorial_set_label (self->pull_note, _("Push an image first (step 4)."));
  else
    wharf_tutorial_set_label (self->pull_note,
                              _("“Pull Now” runs the command above with your container tool and checks that it "
                                "succeeds. If you pulled somewhere else, switch on “I pulled it”."));

  wharf_tutorial_set_done (self, STEP_PULL, self->pulled || gtk_switch_get_active (self->pull_check));
}

void
wharf_tutorial_update_habits (WharfTutorial *self)
{
  gboolean scan_on = self->repository != NULL && wharf_repository_get_scan_on_push (self->repository);
  gboolean ready = self->client != NULL && self->repository != NULL;
  g_autofree char *lifecycle = wharf_tutorial_build_lifecycle_text ();

  wharf_tutorial_update_policy (self);
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
    wharf_tutorial_set_done (self, STEP_HABITS, TRUE);
}

/* The line at the bottom: is the current step done? */
void
wharf_tutorial_update_check (WharfTutorial *self)
{
  Step step = wharf_tutorial_current_step (self);
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
      else if (!wharf_tutorial_has_container_tool () && !wharf_tutorial_is_practice (self))
        set_check (self, "dialog-warning-symbolic", "warning", _("Not yet: install Docker or Podman"));
      else if (!wharf_tutorial_has_container_tool ())
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
      if (wharf_tutorial_push_checked (self))
        set_check (self, "emblem-ok-symbolic", "success", _("Done: the image has arrived"));
      else if (self->image != NULL && self->verify_error != NULL)
        set_check (self, "dialog-warning-symbolic", "warning", self->verify_error);
      else if (self->image != NULL)
        set_check (self, "content-loading-symbolic", NULL, _("Checking the image’s digest…"));
      else if (self->repository == NULL)
        set_check (self, "dialog-warning-symbolic", "warning", _("Create a repository in step 2 first"));
      else
        set_check (self, "content-loading-symbolic", NULL, _("Waiting for your push…"));
      break;

    case STEP_PULL:
      if (self->done[STEP_PULL])
        set_check (self, "emblem-ok-symbolic", "success", _("Done: pulled"));
      else
        set_check (self, "radio-symbolic", NULL,
                   wharf_tutorial_has_container_tool ()
                   ? _("Not yet: pull with “Pull Now”, or switch on “I pulled it” once you have")
                   : _("Not yet: switch on “I pulled it” once you have"));
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

void
wharf_tutorial_update (WharfTutorial *self)
{
  wharf_tutorial_update_prerequisites (self);
  wharf_tutorial_update_repository_row (self);
  wharf_tutorial_update_commands (self);
  wharf_tutorial_update_login (self);
  wharf_tutorial_update_push (self);
  wharf_tutorial_update_pull (self);
  wharf_tutorial_update_habits (self);
  wharf_tutorial_update_check (self);
}
