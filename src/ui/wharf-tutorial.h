/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * WharfTutorial: the guided first steps with Amazon ECR, beside the main window: the
 * prerequisites, a private repository, logging Docker or Podman in, building and pushing,
 * pulling, and good habits (access from another account, cleaning up, scanning). Each
 * step explains itself in plain words, fills in the commands for the person's own account,
 * region and repository, and checks when it is done. Progress is kept in GSettings
 * ("tutorial-step", "tutorial-repository", "tutorial-completed").
 */
#pragma once

#include <adwaita.h>

#include "wharf-window.h"

G_BEGIN_DECLS

#define WHARF_TYPE_TUTORIAL (wharf_tutorial_get_type ())

G_DECLARE_FINAL_TYPE (WharfTutorial, wharf_tutorial, WHARF, TUTORIAL, AdwWindow)

/* Shows the tutorial of @window (one per window), at the step where it was left. */
WharfTutorial *wharf_tutorial_present (WharfWindow *window);

G_END_DECLS
