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

#include "wharf-account-manager.h"

G_BEGIN_DECLS

#define WHARF_TYPE_TUTORIAL (wharf_tutorial_get_type ())

G_DECLARE_FINAL_TYPE (WharfTutorial, wharf_tutorial, WHARF, TUTORIAL, AdwWindow)

/* The tutorial beside @parent, at the step where it was left, for @account (nullable) in
 * @region. It follows the properties "account" (WharfAccount) and "region": bind them to
 * the window's. Buttons that add an account, start practice mode or refresh the list
 * activate @parent's "win.add-account", "win.practice" and "win.refresh". */
WharfTutorial *wharf_tutorial_new (GtkWindow           *parent,
                                   WharfAccountManager *accounts,
                                   WharfAccount        *account,
                                   const char          *region);

G_END_DECLS
