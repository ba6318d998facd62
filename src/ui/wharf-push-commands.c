/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-push-commands"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wharf-commands.h"
#include "wharf-container-login.h"
#include "wharf-image-format.h"
#include "wharf-push-commands.h"

typedef struct
{
  GtkWidget  *row;
  GtkWidget  *button;
  GtkSpinner *spinner;
  char       *program;     /* full path, NULL when not installed */
  GDateTime  *expires_at;  /* of the last successful login in this session */
  gboolean    busy;
} ToolState;

struct _WharfPushCommands
{
  AdwWindow        parent_instance;

  GCancellable    *cancellable;
  GSettings       *settings;
  WharfEcrClient  *client;
  WharfRepository *repository;
  char            *tag;
  ToolState        tools[2];   /* docker, podman */
  guint            expiry_source;

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle  *window_title;
  GtkToggleButton *docker_button;
  GtkToggleButton *podman_button;
  GtkToggleButton *posix_button;
  GtkToggleButton *powershell_button;
  GtkLabel        *login_output_label;
  GtkLabel        *practice_note;
  GtkLabel        *step_labels[WHARF_COMMAND_N_STEPS];
};

G_DEFINE_FINAL_TYPE (WharfPushCommands, wharf_push_commands, ADW_TYPE_WINDOW)

static const char * const step_nicks[WHARF_COMMAND_N_STEPS] = {
  "login", "build", "tag", "push", "pull",
};

/* Logins made in this session, by "tool registry": the expiry time (GDateTime). Shared by
 * every dialog, so that reopening the dialog still says how long a login lasts. */
static GHashTable *
login_expiries (void)
{
  static GHashTable *table;

  if (table == NULL)
    table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                   (GDestroyNotify) g_date_time_unref);

  return table;
}

static char *
login_key (WharfPushCommands *self,
           guint              tool)
{
  g_autofree char *host = wharf_commands_registry_host (wharf_repository_get_uri (self->repository));

  return g_strdup_printf ("%s %s", tool == 0 ? "docker" : "podman", host);
}

static WharfContainerTool
selected_tool (WharfPushCommands *self)
{
  return gtk_toggle_button_get_active (self->podman_button)
    ? WHARF_CONTAINER_TOOL_PODMAN : WHARF_CONTAINER_TOOL_DOCKER;
}

static WharfCommandShell
selected_shell (WharfPushCommands *self)
{
  return gtk_toggle_button_get_active (self->powershell_button)
    ? WHARF_COMMAND_SHELL_POWERSHELL : WHARF_COMMAND_SHELL_POSIX;
}

/* The endpoint to name in the aws command: only when it is not AWS's own (practice mode
 * or a profile's endpoint_url), so that the command reaches the same service. */
static const char *
custom_endpoint (WharfPushCommands *self)
{
  const char *endpoint = wharf_ecr_client_get_endpoint (self->client);

  if (endpoint == NULL || strstr (endpoint, ".amazonaws.com") != NULL)
    return NULL;

  return endpoint;
}

static void
update_commands (WharfPushCommands *self)
{
  WharfAwsClient *aws = wharf_ecr_client_get_aws_client (self->client);
  WharfCommandContext context = {
    .tool = selected_tool (self),
    .shell = selected_shell (self),
    .region = wharf_ecr_client_get_region (self->client),
    .repository_uri = wharf_repository_get_uri (self->repository),
    .tag = self->tag,
    .profile = aws != NULL ? wharf_aws_client_get_profile (aws) : NULL,
    .endpoint_url = custom_endpoint (self),
  };
  g_autofree char *host = wharf_commands_registry_host (context.repository_uri);

  for (guint step = 0; step < WHARF_COMMAND_N_STEPS; step++)
    {
      g_autofree char *text = wharf_commands_build_step (&context, step);

      gtk_label_set_text (self->step_labels[step], text);
    }

  /* Only for the practice registry (loopback, plain HTTP); ECR's is never one. */
  gtk_widget_set_visible (GTK_WIDGET (self->practice_note),
                          wharf_commands_is_loopback_host (host));
}

static void
option_toggled_cb (WharfPushCommands *self,
                   GtkToggleButton   *button)
{
  if (!gtk_toggle_button_get_active (button))
    return;

  update_commands (self);

  g_settings_set_enum (self->settings, "container-tool",
                       selected_tool (self) == WHARF_CONTAINER_TOOL_PODMAN ? 2 : 1);
  g_settings_set_enum (self->settings, "command-shell",
                       selected_shell (self) == WHARF_COMMAND_SHELL_POWERSHELL ? 1 : 0);
}

static void
copy_command_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  WharfPushCommands *self = WHARF_PUSH_COMMANDS (widget);
  const char *nick = g_variant_get_string (parameter, NULL);

  for (guint step = 0; step < WHARF_COMMAND_N_STEPS; step++)
    {
      if (g_str_equal (nick, step_nicks[step]))
        {
          gdk_clipboard_set_text (gtk_widget_get_clipboard (widget),
                                  gtk_label_get_text (self->step_labels[step]));
          adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Command copied")));
          return;
        }
    }
}

/* ---- Logging in from Wharf ---- */

static void
update_login_rows (WharfPushCommands *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  for (guint i = 0; i < G_N_ELEMENTS (self->tools); i++)
    {
      ToolState *tool = &self->tools[i];
      g_autofree char *key = login_key (self, i);
      GDateTime *expires = g_hash_table_lookup (login_expiries (), key);
      g_autofree char *subtitle = NULL;

      if (tool->program == NULL)
        {
          subtitle = g_strdup (_("Not installed on this computer"));
          gtk_widget_set_sensitive (tool->button, FALSE);
          gtk_button_set_label (GTK_BUTTON (tool->button), _("Log In"));
        }
      else if (expires != NULL && g_date_time_compare (expires, now) > 0)
        {
          g_autofree char *relative = wharf_format_relative_date (expires, now);
          g_autoptr(GDateTime) local = g_date_time_to_local (expires);
          g_autofree char *time = g_date_time_format (local, "%H:%M");

          /* Translators: "Logged in until 21:14 (expires in 12 hours)". */
          subtitle = g_strdup_printf (_("Logged in until %s (expires %s)"), time, relative);
          gtk_widget_set_sensitive (tool->button, !tool->busy);
          gtk_button_set_label (GTK_BUTTON (tool->button), _("Renew"));
        }
      else
        {
          if (expires != NULL)
            subtitle = g_strdup (_("The login has expired: log in again"));
          else
            subtitle = g_strdup (tool->program);
          gtk_widget_set_sensitive (tool->button, !tool->busy);
          gtk_button_set_label (GTK_BUTTON (tool->button), _("Log In"));
        }

      adw_action_row_set_subtitle (ADW_ACTION_ROW (tool->row), subtitle);
      gtk_widget_set_visible (GTK_WIDGET (tool->spinner), tool->busy);
      gtk_spinner_set_spinning (tool->spinner, tool->busy);
    }
}

static gboolean
expiry_tick_cb (gpointer user_data)
{
  update_login_rows (user_data);

  return G_SOURCE_CONTINUE;
}

typedef struct
{
  WharfPushCommands *self;
  guint              tool;
  GDateTime         *expires_at;
} LoginData;

static void
login_data_free (LoginData *data)
{
  g_clear_pointer (&data->expires_at, g_date_time_unref);
  g_free (data);
}

static void
show_login_output (WharfPushCommands *self,
                   const char        *text,
                   gboolean           failed)
{
  gtk_label_set_text (self->login_output_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->login_output_label), text != NULL && *text != '\0');
  if (failed)
    gtk_widget_add_css_class (GTK_WIDGET (self->login_output_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->login_output_label), "error");
}

static void
container_login_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  LoginData *data = user_data;
  WharfPushCommands *self = data->self;
  g_autofree char *output = NULL;
  g_autoptr(GError) error = NULL;
  ToolState *tool;

  if (!wharf_container_login_finish (result, &output, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      login_data_free (data);
      return;
    }

  tool = &self->tools[data->tool];
  tool->busy = FALSE;

  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("%s could not log in:\n%s"),
                                               data->tool == 0 ? "Docker" : "Podman",
                                               error->message);

      show_login_output (self, text, TRUE);
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Login failed")));
    }
  else
    {
      g_autofree char *key = login_key (self, data->tool);
      g_autofree char *toast = g_strdup_printf (_("%s is logged in"),
                                                data->tool == 0 ? "Docker" : "Podman");

      g_hash_table_replace (login_expiries (), g_steal_pointer (&key),
                            g_date_time_ref (data->expires_at));
      show_login_output (self, output, FALSE);
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (toast));
    }

  update_login_rows (self);
  login_data_free (data);
}

static void
authorization_token_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  LoginData *data = user_data;
  WharfPushCommands *self = data->self;
  g_autoptr(WharfAuthorizationToken) token = NULL;
  g_autoptr(GError) error = NULL;
  ToolState *tool;

  token = wharf_ecr_client_get_authorization_token_finish (WHARF_ECR_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      login_data_free (data);
      return;
    }

  tool = &self->tools[data->tool];

  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Amazon ECR did not give a login token: %s"),
                                               error->message);

      tool->busy = FALSE;
      show_login_output (self, text, TRUE);
      update_login_rows (self);
      login_data_free (data);
      return;
    }

  data->expires_at = g_date_time_ref (wharf_authorization_token_get_expires_at (token));
  wharf_container_login_async (tool->program,
                               wharf_authorization_token_get_user_name (token),
                               wharf_authorization_token_get_password (token),
                               wharf_authorization_token_get_registry (token),
                               self->cancellable, container_login_cb, data);
}

static void
container_login_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  WharfPushCommands *self = WHARF_PUSH_COMMANDS (widget);
  guint index = g_str_equal (g_variant_get_string (parameter, NULL), "podman") ? 1 : 0;
  ToolState *tool = &self->tools[index];
  LoginData *data;

  if (tool->program == NULL || tool->busy)
    return;

  tool->busy = TRUE;
  show_login_output (self, NULL, FALSE);
  update_login_rows (self);

  data = g_new0 (LoginData, 1);
  data->self = self;
  data->tool = index;
  wharf_ecr_client_get_authorization_token_async (self->client, self->cancellable,
                                                  authorization_token_cb, data);
}

/* ---- GObject ---- */

WharfPushCommands *
wharf_push_commands_new (GtkWindow       *parent,
                         WharfEcrClient  *client,
                         WharfRepository *repository,
                         const char      *tag)
{
  WharfPushCommands *self;
  int tool_setting;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (WHARF_IS_ECR_CLIENT (client), NULL);
  g_return_val_if_fail (WHARF_IS_REPOSITORY (repository), NULL);

  self = g_object_new (WHARF_TYPE_PUSH_COMMANDS,
                       "transient-for", parent,
                       NULL);
  self->client = g_object_ref (client);
  self->repository = g_object_ref (repository);
  self->tag = g_strdup (tag);

  adw_window_title_set_subtitle (self->window_title, wharf_repository_get_uri (repository));

  /* Preselect from the preferences; "auto" means Docker when it is installed. */
  tool_setting = g_settings_get_enum (self->settings, "container-tool");
  if (tool_setting == 2 || (tool_setting == 0 && self->tools[0].program == NULL &&
                            self->tools[1].program != NULL))
    gtk_toggle_button_set_active (self->podman_button, TRUE);
  if (g_settings_get_enum (self->settings, "command-shell") == 1)
    gtk_toggle_button_set_active (self->powershell_button, TRUE);

  update_commands (self);
  update_login_rows (self);
  self->expiry_source = g_timeout_add_seconds (30, expiry_tick_cb, self);

  return self;
}

static void
wharf_push_commands_dispose (GObject *object)
{
  WharfPushCommands *self = WHARF_PUSH_COMMANDS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->expiry_source, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), WHARF_TYPE_PUSH_COMMANDS);

  G_OBJECT_CLASS (wharf_push_commands_parent_class)->dispose (object);
}

static void
wharf_push_commands_finalize (GObject *object)
{
  WharfPushCommands *self = WHARF_PUSH_COMMANDS (object);

  for (guint i = 0; i < G_N_ELEMENTS (self->tools); i++)
    {
      g_free (self->tools[i].program);
      g_clear_pointer (&self->tools[i].expires_at, g_date_time_unref);
    }
  g_clear_object (&self->settings);
  g_clear_object (&self->client);
  g_clear_object (&self->repository);
  g_free (self->tag);

  G_OBJECT_CLASS (wharf_push_commands_parent_class)->finalize (object);
}

static void
wharf_push_commands_class_init (WharfPushCommandsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wharf_push_commands_dispose;
  object_class->finalize = wharf_push_commands_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/wharf-push-commands.ui");
  gtk_widget_class_bind_template_child (widget_class, WharfPushCommands, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, WharfPushCommands, window_title);
  gtk_widget_class_bind_template_child (widget_class, WharfPushCommands, docker_button);
  gtk_widget_class_bind_template_child (widget_class, WharfPushCommands, podman_button);
  gtk_widget_class_bind_template_child (widget_class, WharfPushCommands, posix_button);
  gtk_widget_class_bind_template_child (widget_class, WharfPushCommands, powershell_button);
  gtk_widget_class_bind_template_child (widget_class, WharfPushCommands, login_output_label);
  gtk_widget_class_bind_template_child (widget_class, WharfPushCommands, practice_note);
  gtk_widget_class_bind_template_child_full (widget_class, "login_label", FALSE,
                                             G_STRUCT_OFFSET (WharfPushCommands, step_labels[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "build_label", FALSE,
                                             G_STRUCT_OFFSET (WharfPushCommands, step_labels[1]));
  gtk_widget_class_bind_template_child_full (widget_class, "tag_label", FALSE,
                                             G_STRUCT_OFFSET (WharfPushCommands, step_labels[2]));
  gtk_widget_class_bind_template_child_full (widget_class, "push_label", FALSE,
                                             G_STRUCT_OFFSET (WharfPushCommands, step_labels[3]));
  gtk_widget_class_bind_template_child_full (widget_class, "pull_label", FALSE,
                                             G_STRUCT_OFFSET (WharfPushCommands, step_labels[4]));
  gtk_widget_class_bind_template_child_full (widget_class, "docker_login_row", FALSE,
                                             G_STRUCT_OFFSET (WharfPushCommands, tools[0].row));
  gtk_widget_class_bind_template_child_full (widget_class, "docker_login_button", FALSE,
                                             G_STRUCT_OFFSET (WharfPushCommands, tools[0].button));
  gtk_widget_class_bind_template_child_full (widget_class, "docker_login_spinner", FALSE,
                                             G_STRUCT_OFFSET (WharfPushCommands, tools[0].spinner));
  gtk_widget_class_bind_template_child_full (widget_class, "podman_login_row", FALSE,
                                             G_STRUCT_OFFSET (WharfPushCommands, tools[1].row));
  gtk_widget_class_bind_template_child_full (widget_class, "podman_login_button", FALSE,
                                             G_STRUCT_OFFSET (WharfPushCommands, tools[1].button));
  gtk_widget_class_bind_template_child_full (widget_class, "podman_login_spinner", FALSE,
                                             G_STRUCT_OFFSET (WharfPushCommands, tools[1].spinner));
  gtk_widget_class_bind_template_callback (widget_class, option_toggled_cb);

  gtk_widget_class_install_action (widget_class, "repo.copy-command", "s", copy_command_action);
  gtk_widget_class_install_action (widget_class, "repo.container-login", "s", container_login_action);
}

static void
wharf_push_commands_init (WharfPushCommands *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APPLICATION_ID);
  self->tools[0].program = wharf_container_login_find_program (WHARF_CONTAINER_TOOL_DOCKER);
  self->tools[1].program = wharf_container_login_find_program (WHARF_CONTAINER_TOOL_PODMAN);
}
