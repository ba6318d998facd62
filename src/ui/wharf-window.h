/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wharf-account-manager.h"
#include "wharf-ecr-explain.h"

G_BEGIN_DECLS

#define WHARF_TYPE_WINDOW (wharf_window_get_type ())

G_DECLARE_FINAL_TYPE (WharfWindow, wharf_window, WHARF, WINDOW, AdwApplicationWindow)

WharfWindow *wharf_window_new        (GtkApplication *application);

/* Shows a transient message at the bottom of the window. */
void         wharf_window_add_toast  (WharfWindow    *self,
                                      AdwToast       *toast);

/* Fills what @context leaves unset with what the window knows around a refused request:
 * who is signed in, the account, the region, how the account gets its credentials. The
 * strings belong to the window; use them at once. */
void         wharf_window_fill_explanation_context (WharfWindow             *self,
                                                    WharfExplanationContext *context);
/* Carries out the fix an explanation offers (sign in, choose a region, …). */
void         wharf_window_fix_problem              (WharfWindow             *self,
                                                    WharfExplanationFix      fix);

G_END_DECLS
