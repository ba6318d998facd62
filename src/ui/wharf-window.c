/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-window"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-window.h"

struct _WharfWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  GCancellable         *cancellable;

  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkWidget            *content;
  AdwStatusPage        *empty_page;
};

G_DEFINE_FINAL_TYPE (WharfWindow, wharf_window, ADW_TYPE_APPLICATION_WINDOW)

WharfWindow *
wharf_window_new (GtkApplication *application)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  return g_object_new (WHARF_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

static void
wharf_window_save_state (WharfWindow *self)
{
  int width = 0;
  int height = 0;

  g_assert (WHARF_IS_WINDOW (self));

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (self->settings);
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (self->settings);
}

static gboolean
wharf_window_close_request (GtkWindow *window)
{
  WharfWindow *self = WHARF_WINDOW (window);

  wharf_window_save_state (self);

  return GTK_WINDOW_CLASS (wharf_window_parent_class)->close_request (window);
}

static void
wharf_window_show_content_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  WharfWindow *self = WHARF_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
wharf_window_show_sidebar_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  WharfWindow *self = WHARF_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

static void
wharf_window_dispose (GObject *object)
{
  WharfWindow *self = WHARF_WINDOW (object);

  g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), WHARF_TYPE_WINDOW);

  G_OBJECT_CLASS (wharf_window_parent_class)->dispose (object);
}

static void
wharf_window_finalize (GObject *object)
{
  WharfWindow *self = WHARF_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (wharf_window_parent_class)->finalize (object);
}

static void
wharf_window_class_init (WharfWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = wharf_window_dispose;
  object_class->finalize = wharf_window_finalize;

  window_class->close_request = wharf_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/wharf-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, content);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, empty_page);

  gtk_widget_class_install_action (widget_class, "win.show-content", NULL,
                                   wharf_window_show_content_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL,
                                   wharf_window_show_sidebar_action);

  /* Filled in by the accounts work; until then the button says what it will do. */
  gtk_widget_class_install_action (widget_class, "win.add-account", NULL, NULL);
}

static void
wharf_window_init (WharfWindow *self)
{
  g_autoptr(GtkCssProvider) css = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APPLICATION_ID);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-account", FALSE);
}
