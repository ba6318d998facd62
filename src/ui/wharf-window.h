/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wharf-account-manager.h"

G_BEGIN_DECLS

#define WHARF_TYPE_WINDOW (wharf_window_get_type ())

G_DECLARE_FINAL_TYPE (WharfWindow, wharf_window, WHARF, WINDOW, AdwApplicationWindow)

WharfWindow *wharf_window_new        (GtkApplication *application);

/* Shows a transient message at the bottom of the window. */
void         wharf_window_add_toast  (WharfWindow    *self,
                                      AdwToast       *toast);

G_END_DECLS
