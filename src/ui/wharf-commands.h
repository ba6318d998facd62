/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The command texts Wharf shows and copies: authenticate, build, tag, push and pull, for
 * Docker or Podman, in a POSIX shell or in Windows PowerShell. Pure functions (no GTK, no
 * I/O), so that a unit test can check every text and its quoting.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The values follow the GSettings enums "container-tool" and "command-shell". */
typedef enum
{
  WHARF_CONTAINER_TOOL_AUTO,
  WHARF_CONTAINER_TOOL_DOCKER,
  WHARF_CONTAINER_TOOL_PODMAN,
} WharfContainerTool;

typedef enum
{
  WHARF_COMMAND_SHELL_POSIX,
  WHARF_COMMAND_SHELL_POWERSHELL,
} WharfCommandShell;

typedef enum
{
  WHARF_COMMAND_STEP_LOGIN,
  WHARF_COMMAND_STEP_BUILD,
  WHARF_COMMAND_STEP_TAG,
  WHARF_COMMAND_STEP_PUSH,
  WHARF_COMMAND_STEP_PULL,
  WHARF_COMMAND_N_STEPS,
} WharfCommandStep;

typedef struct
{
  WharfContainerTool  tool;            /* AUTO counts as Docker */
  WharfCommandShell   shell;
  const char         *region;          /* "us-east-1" */
  const char         *repository_uri;  /* "111122223333.dkr.ecr.us-east-1.amazonaws.com/name" */
  const char         *tag;             /* nullable: "latest" */
  const char         *local_image;     /* nullable: the local image name, else the repository
                                        * name's last part */
  const char         *profile;         /* nullable: adds --profile to the aws command */
  const char         *endpoint_url;    /* nullable: adds --endpoint-url (practice mode) */
} WharfCommandContext;

/* "docker" or "podman". */
const char *wharf_container_tool_get_program   (WharfContainerTool tool);
/* "Docker" or "Podman". */
const char *wharf_container_tool_get_title     (WharfContainerTool tool);

/* Quotes one argument for the shell when it needs it ("a b" → 'a b'; POSIX: ' → '\'';
 * PowerShell: ' → ''). Plain words (letters, digits, and - _ . / : @ = + ,) stay as they
 * are. */
char       *wharf_commands_quote               (WharfCommandShell  shell,
                                                const char        *arg);

/* The registry host of a repository URI (the part before the first '/'), new string. */
char       *wharf_commands_registry_host       (const char        *repository_uri);
/* The repository name of a repository URI (the part after the first '/'), new string. */
char       *wharf_commands_repository_name     (const char        *repository_uri);

/* Whether a registry host ("host[:port]") is on this computer: 127.0.0.0/8, "localhost"
 * or "[::1]". Practice mode's registry is; ECR's never is. Such a registry speaks plain
 * HTTP: Docker allows that for loopback addresses by itself, Podman needs
 * --tls-verify=false (which the commands below add for it, and only for it). */
gboolean    wharf_commands_is_loopback_host    (const char        *host);

/* "URI:tag" or, when @tag is NULL, "URI@digest". */
char       *wharf_commands_image_uri           (const char        *repository_uri,
                                                const char        *tag,
                                                const char        *digest);

/* One step of the push guide, filled in. For Podman and a loopback registry (practice
 * mode) login, push and pull carry --tls-verify=false. */
char       *wharf_commands_build_step          (const WharfCommandContext *context,
                                                WharfCommandStep           step);

/* "docker pull URI:tag" (or @digest), quoted for @shell; with --tls-verify=false for Podman
 * and a loopback registry. */
char       *wharf_commands_pull                (WharfContainerTool  tool,
                                                WharfCommandShell   shell,
                                                const char         *image_uri);

/* The argv for logging a tool in with the password on stdin: { program, "login",
 * "--username", username, "--password-stdin", server, NULL }, with "--tls-verify=false"
 * after "login" when @program is Podman and @server a loopback registry (practice mode).
 * The password never goes into argv. */
char      **wharf_commands_login_argv          (const char        *program,
                                                const char        *username,
                                                const char        *server);

/* The argv for pulling an image: { program, "pull", ["--tls-verify=false",] image_uri,
 * NULL }, the flag for Podman and a loopback registry (practice mode). */
char      **wharf_commands_pull_argv           (const char        *program,
                                                const char        *image_uri);

/* The host of a proxy endpoint ("https://host[:port]/…" → "host[:port]"), or NULL. */
char       *wharf_commands_endpoint_host       (const char        *proxy_endpoint);

/* One CSV field, quoted as RFC 4180 asks when it holds a comma, a quote, CR, LF or
 * leading/trailing spaces; NULL is an empty field. */
char       *wharf_commands_csv_field           (const char        *value);

G_END_DECLS
