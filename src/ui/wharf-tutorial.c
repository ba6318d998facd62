/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * WharfTutorial: the class, the account and client it follows, moving between the steps,
 * and the progress kept in GSettings. Its other parts are listed in
 * wharf-tutorial-private.h.
 */
#define G_LOG_DOMAIN "wharf-tutorial"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-tutorial-private.h"

#include "wharf-practice.h"

G_DEFINE_FINAL_TYPE (WharfTutorial, wharf_tutorial, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_ACCOUNT,
  PROP_REGION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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
      wharf_tutorial_toast (self, error->message);
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
  wharf_tutorial_stop_polling (self);

  g_clear_object (&self->client);
  g_clear_object (&self->repository);
  g_clear_object (&self->image);
  g_clear_pointer (&self->repository_error, g_free);
  g_clear_pointer (&self->registry_host, g_free);
  g_clear_pointer (&self->verified_digest, g_free);
  g_clear_pointer (&self->verify_error, g_free);
  self->verifying = FALSE;
  self->pulling = FALSE;
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
  wharf_tutorial_activate_parent_action (self, "win.add-account");
}

static void
practice_clicked_cb (WharfTutorial *self)
{
  wharf_tutorial_activate_parent_action (self, "win.practice");
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
  wharf_tutorial_toast (self, _("Copied to the clipboard"));
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
  Step step = wharf_tutorial_current_step (self);
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
    wharf_tutorial_update_prerequisites (self);
  if (step == STEP_REPOSITORY && self->repository == NULL)
    wharf_tutorial_load_repository (self);
  wharf_tutorial_update_check (self);
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
  Step step = wharf_tutorial_current_step (self);

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
  Step step = wharf_tutorial_current_step (self);

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
  wharf_tutorial_set_label (self->policy_status, NULL);
  wharf_tutorial_set_label (self->lifecycle_status, NULL);

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
                           G_CALLBACK (wharf_tutorial_update_commands), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::command-shell",
                           G_CALLBACK (wharf_tutorial_update_commands), self, G_CONNECT_SWAPPED);

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
  g_clear_pointer (&self->registry_host, g_free);
  g_clear_pointer (&self->verified_digest, g_free);
  g_clear_pointer (&self->verify_error, g_free);

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
  BIND (push_note);
  BIND (pull_label);
  BIND (pull_button);
  BIND (pull_spinner);
  BIND (pull_check);
  BIND (pull_note);
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
  gtk_widget_class_bind_template_callback (widget_class, copy_clicked_cb);
  /* Defined in wharf-tutorial-registry.c, under the names the template uses. */
  gtk_widget_class_bind_template_callback_full (widget_class, "create_clicked_cb",
                                                G_CALLBACK (wharf_tutorial_create_clicked_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "existing_apply_cb",
                                                G_CALLBACK (wharf_tutorial_existing_apply_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "login_clicked_cb",
                                                G_CALLBACK (wharf_tutorial_login_clicked_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "login_check_toggled_cb",
                                                G_CALLBACK (wharf_tutorial_login_check_toggled_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "simulate_clicked_cb",
                                                G_CALLBACK (wharf_tutorial_simulate_clicked_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "pull_clicked_cb",
                                                G_CALLBACK (wharf_tutorial_pull_clicked_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "pull_check_toggled_cb",
                                                G_CALLBACK (wharf_tutorial_pull_check_toggled_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "account_id_changed_cb",
                                                G_CALLBACK (wharf_tutorial_account_id_changed_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "policy_clicked_cb",
                                                G_CALLBACK (wharf_tutorial_policy_clicked_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "lifecycle_clicked_cb",
                                                G_CALLBACK (wharf_tutorial_lifecycle_clicked_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "scan_clicked_cb",
                                                G_CALLBACK (wharf_tutorial_scan_clicked_cb));
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
