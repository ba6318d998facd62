/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * WharfPushCommands: the steps to push to and pull from one repository (authenticate,
 * build, tag, push, pull), filled in for its account, region and address, for Docker or
 * Podman in a POSIX shell or PowerShell, each with a copy button; and logging Docker or
 * Podman in from Wharf (the password goes to the tool's standard input only).
 */
#pragma once

#include <adwaita.h>

#include "wharf-ecr-client.h"

G_BEGIN_DECLS

#define WHARF_TYPE_PUSH_COMMANDS (wharf_push_commands_get_type ())

G_DECLARE_FINAL_TYPE (WharfPushCommands, wharf_push_commands, WHARF, PUSH_COMMANDS, AdwWindow)

/* @tag nullable: the tag the tag/push/pull steps use ("latest" without). */
WharfPushCommands *wharf_push_commands_new (GtkWindow       *parent,
                                            WharfEcrClient  *client,
                                            WharfRepository *repository,
                                            const char      *tag);

G_END_DECLS
