/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WHARF_TYPE_PREFERENCES_WINDOW (wharf_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (WharfPreferencesWindow, wharf_preferences_window, WHARF, PREFERENCES_WINDOW, AdwPreferencesWindow)

WharfPreferencesWindow *wharf_preferences_window_new (GtkWindow *transient_for);

G_END_DECLS
