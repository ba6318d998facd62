/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Logging Docker or Podman in to a registry: runs `TOOL login --username USER
 * --password-stdin SERVER` and writes the password to its standard input only — never to
 * argv, a file or a log. Also pulling an image with the tool. No GTK.
 */
#pragma once

#include <gio/gio.h>

#include "wharf-commands.h"

G_BEGIN_DECLS

#define WHARF_CONTAINER_LOGIN_ERROR (wharf_container_login_error_quark ())

/**
 * WharfContainerLoginError:
 * @WHARF_CONTAINER_LOGIN_ERROR_NOT_FOUND: the program is not installed (not on PATH)
 * @WHARF_CONTAINER_LOGIN_ERROR_FAILED: the program ran and reported a failure; the message
 *   holds what it printed
 * @WHARF_CONTAINER_LOGIN_ERROR_INVALID: the server or user name is unusable
 */
typedef enum
{
  WHARF_CONTAINER_LOGIN_ERROR_NOT_FOUND,
  WHARF_CONTAINER_LOGIN_ERROR_FAILED,
  WHARF_CONTAINER_LOGIN_ERROR_INVALID,
} WharfContainerLoginError;

GQuark   wharf_container_login_error_quark (void);

/* The full path of the tool's program on PATH, or NULL. AUTO finds Docker, else Podman. */
char    *wharf_container_login_find_program (WharfContainerTool tool);

/* Runs the login. @program is a path or a name looked up on PATH. @password is copied into
 * memory that is wiped when the login ends. Cancelling stops the program. */
void     wharf_container_login_async        (const char          *program,
                                             const char          *username,
                                             const char          *password,
                                             const char          *server,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
/* TRUE when the program exited with status 0; @output (nullable) gets what it printed
 * (stdout then stderr, trimmed). On failure the error message holds that output. */
gboolean wharf_container_login_finish       (GAsyncResult        *result,
                                             char               **output,
                                             GError             **error);

/* Pulls @image_uri with the tool (`TOOL pull [--tls-verify=false] IMAGE`, the flag for
 * Podman and a loopback registry), as the tutorial's pull step does in practice mode.
 * Errors and @output as for the login. */
void     wharf_container_pull_async         (const char          *program,
                                             const char          *image_uri,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean wharf_container_pull_finish        (GAsyncResult        *result,
                                             char               **output,
                                             GError             **error);

G_END_DECLS
