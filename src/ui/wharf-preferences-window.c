/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-preferences-window.h"

struct _WharfPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  AdwComboRow          *container_tool_row;
  AdwComboRow          *command_shell_row;
};

G_DEFINE_FINAL_TYPE (WharfPreferencesWindow, wharf_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The combo rows list these in this order; GSettings keeps the nick. */
static const char * const container_tools[] = { "auto", "docker", "podman", NULL };
static const char * const command_shells[] = { "posix", "powershell", NULL };

static gboolean
nick_to_index (GValue   *value,
               GVariant *variant,
               gpointer  user_data)
{
  const char * const *nicks = user_data;
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; nicks[i] != NULL; i++)
    {
      if (g_str_equal (nicks[i], nick))
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  g_value_set_uint (value, 0);
  return TRUE;
}

static GVariant *
index_to_nick (const GValue       *value,
               const GVariantType *expected_type,
               gpointer            user_data)
{
  const char * const *nicks = user_data;
  guint index = g_value_get_uint (value);

  if (index >= g_strv_length ((char **) nicks))
    return NULL;

  return g_variant_new_string (nicks[index]);
}

WharfPreferencesWindow *
wharf_preferences_window_new (GtkWindow *transient_for)
{
  return g_object_new (WHARF_TYPE_PREFERENCES_WINDOW,
                       "transient-for", transient_for,
                       NULL);
}

static void
wharf_preferences_window_finalize (GObject *object)
{
  WharfPreferencesWindow *self = WHARF_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (wharf_preferences_window_parent_class)->finalize (object);
}

static void
wharf_preferences_window_class_init (WharfPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = wharf_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/wharf-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WharfPreferencesWindow, container_tool_row);
  gtk_widget_class_bind_template_child (widget_class, WharfPreferencesWindow, command_shell_row);
}

static void
wharf_preferences_window_init (WharfPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);

  g_settings_bind_with_mapping (self->settings, "container-tool",
                                self->container_tool_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                nick_to_index, index_to_nick,
                                (gpointer) container_tools, NULL);
  g_settings_bind_with_mapping (self->settings, "command-shell",
                                self->command_shell_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                nick_to_index, index_to_nick,
                                (gpointer) command_shells, NULL);
}
