/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-application"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-application.h"
#include "wharf-preferences-window.h"
#include "wharf-window.h"

struct _WharfApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (WharfApplication, wharf_application, ADW_TYPE_APPLICATION)

WharfApplication *
wharf_application_new (void)
{
  return g_object_new (WHARF_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}

static void
wharf_application_activate (GApplication *app)
{
  GtkWindow *window;

  g_assert (WHARF_IS_APPLICATION (app));

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (wharf_window_new (GTK_APPLICATION (app)));

  gtk_window_present (window);
}

static void
wharf_application_quit_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  WharfApplication *self = user_data;
  GList *windows;

  g_assert (WHARF_IS_APPLICATION (self));

  /* Closing the windows lets each one save its state and cancel its work. */
  windows = gtk_application_get_windows (GTK_APPLICATION (self));
  while (windows != NULL)
    {
      GtkWindow *window = windows->data;
      windows = windows->next;
      gtk_window_destroy (window);
    }

  g_application_quit (G_APPLICATION (self));
}

static void
wharf_application_about_action (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  static const char *developers[] = { "The Wharf developers", NULL };
  WharfApplication *self = user_data;
  GtkWindow *window;

  g_assert (WHARF_IS_APPLICATION (self));

  window = gtk_application_get_active_window (GTK_APPLICATION (self));

  adw_show_about_window (window,
                         "application-name", _("Wharf"),
                         "application-icon", APPLICATION_ID,
                         "developer-name", _("The Wharf developers"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Manage your Amazon ECR private registries: create repositories, "
                                       "push and pull images, read scan results and clean up."),
                         "website", "https://wharfapp.github.io",
                         "issue-url", "https://github.com/wharfapp/wharf/issues",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "copyright", "© 2026 The Wharf developers",
                         "developers", developers,
                         /* Translators: Replace "translator-credits" with your names, one name per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
wharf_application_preferences_action (GSimpleAction *action,
                                      GVariant      *parameter,
                                      gpointer       user_data)
{
  WharfApplication *self = user_data;
  WharfPreferencesWindow *preferences;
  GtkWindow *window;

  g_assert (WHARF_IS_APPLICATION (self));

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  preferences = wharf_preferences_window_new (window);
  gtk_window_present (GTK_WINDOW (preferences));
}

static const GActionEntry app_actions[] = {
  { "quit", wharf_application_quit_action },
  { "about", wharf_application_about_action },
  { "preferences", wharf_application_preferences_action },
};

static void
wharf_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<primary>q", NULL };
  static const char *preferences_accels[] = { "<primary>comma", NULL };
  static const char *shortcuts_accels[] = { "<primary>question", NULL };

  G_APPLICATION_CLASS (wharf_application_parent_class)->startup (app);

  gtk_window_set_default_icon_name (APPLICATION_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (app),
                                   app_actions,
                                   G_N_ELEMENTS (app_actions),
                                   app);

  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", preferences_accels);
  /* GtkApplicationWindow provides win.show-help-overlay from gtk/help-overlay.ui;
   * app.shortcuts forwards to it so the primary menu and the docs can name one action. */
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay", shortcuts_accels);
}

static void
wharf_application_shortcuts_action (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  WharfApplication *self = user_data;
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

static void
wharf_application_class_init (WharfApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = wharf_application_activate;
  app_class->startup = wharf_application_startup;
}

static void
wharf_application_init (WharfApplication *self)
{
  static const GActionEntry shortcuts_entry[] = {
    { "shortcuts", wharf_application_shortcuts_action },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), shortcuts_entry, 1, self);
}
