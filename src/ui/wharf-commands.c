/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-commands"

#include "config.h"

#include <string.h>

#include "wharf-commands.h"

const char *
wharf_container_tool_get_program (WharfContainerTool tool)
{
  return tool == WHARF_CONTAINER_TOOL_PODMAN ? "podman" : "docker";
}

const char *
wharf_container_tool_get_title (WharfContainerTool tool)
{
  /* Product names, not translated. */
  return tool == WHARF_CONTAINER_TOOL_PODMAN ? "Podman" : "Docker";
}

static gboolean
is_plain_word (const char *arg)
{
  if (*arg == '\0')
    return FALSE;

  for (const char *p = arg; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        continue;
      if (strchr ("-_./:@=+,", *p) != NULL)
        continue;
      return FALSE;
    }

  return TRUE;
}

char *
wharf_commands_quote (WharfCommandShell  shell,
                      const char        *arg)
{
  GString *out;

  g_return_val_if_fail (arg != NULL, NULL);

  /* PowerShell reads a leading '@' as a splat and a ',' as an array. */
  if (is_plain_word (arg) &&
      !(shell == WHARF_COMMAND_SHELL_POWERSHELL && (arg[0] == '@' || strchr (arg, ',') != NULL)))
    return g_strdup (arg);

  out = g_string_new ("'");
  for (const char *p = arg; *p; p++)
    {
      if (*p != '\'')
        g_string_append_c (out, *p);
      else if (shell == WHARF_COMMAND_SHELL_POWERSHELL)
        g_string_append (out, "''");
      else
        g_string_append (out, "'\\''");
    }
  g_string_append_c (out, '\'');

  return g_string_free (out, FALSE);
}

char *
wharf_commands_registry_host (const char *repository_uri)
{
  const char *slash;

  g_return_val_if_fail (repository_uri != NULL, NULL);

  slash = strchr (repository_uri, '/');
  if (slash == NULL)
    return g_strdup (repository_uri);

  return g_strndup (repository_uri, slash - repository_uri);
}

char *
wharf_commands_repository_name (const char *repository_uri)
{
  const char *slash;

  g_return_val_if_fail (repository_uri != NULL, NULL);

  slash = strchr (repository_uri, '/');
  if (slash == NULL)
    return g_strdup ("");

  return g_strdup (slash + 1);
}

gboolean
wharf_commands_is_loopback_host (const char *host)
{
  g_autofree char *name = NULL;
  const char *colon;

  if (host == NULL || *host == '\0')
    return FALSE;

  if (host[0] == '[')
    {
      const char *close = strchr (host, ']');

      if (close == NULL)
        return FALSE;
      name = g_strndup (host + 1, close - host - 1);
      return g_strcmp0 (name, "::1") == 0;
    }

  colon = strchr (host, ':');
  name = colon != NULL ? g_strndup (host, colon - host) : g_strdup (host);

  if (g_ascii_strcasecmp (name, "localhost") == 0)
    return TRUE;

  /* 127.a.b.c, four numbers only */
  if (g_str_has_prefix (name, "127."))
    {
      g_auto(GStrv) parts = g_strsplit (name, ".", -1);

      if (g_strv_length (parts) != 4)
        return FALSE;
      for (guint i = 0; i < 4; i++)
        {
          guint64 value;

          if (!g_ascii_string_to_unsigned (parts[i], 10, 0, 255, &value, NULL))
            return FALSE;
        }
      return TRUE;
    }

  return FALSE;
}

/* Podman refuses plain HTTP unless told; Docker allows it for loopback on its own. */
static gboolean
needs_tls_verify_false (WharfContainerTool  tool,
                        const char         *repository_uri)
{
  g_autofree char *host = NULL;

  if (tool != WHARF_CONTAINER_TOOL_PODMAN)
    return FALSE;

  host = wharf_commands_registry_host (repository_uri);
  return wharf_commands_is_loopback_host (host);
}

char *
wharf_commands_image_uri (const char *repository_uri,
                          const char *tag,
                          const char *digest)
{
  g_return_val_if_fail (repository_uri != NULL, NULL);

  if (tag != NULL && *tag != '\0')
    return g_strdup_printf ("%s:%s", repository_uri, tag);
  if (digest != NULL && *digest != '\0')
    return g_strdup_printf ("%s@%s", repository_uri, digest);

  return g_strdup (repository_uri);
}

static void
append_arg (GString           *out,
            WharfCommandShell  shell,
            const char        *arg)
{
  g_autofree char *quoted = wharf_commands_quote (shell, arg);

  if (out->len > 0 && out->str[out->len - 1] != ' ')
    g_string_append_c (out, ' ');
  g_string_append (out, quoted);
}

static char *
local_image_name (const WharfCommandContext *context)
{
  g_autofree char *name = NULL;
  const char *last;

  if (context->local_image != NULL && *context->local_image != '\0')
    return g_strdup (context->local_image);

  name = wharf_commands_repository_name (context->repository_uri);
  last = strrchr (name, '/');

  return g_strdup (last != NULL ? last + 1 : name);
}

char *
wharf_commands_build_step (const WharfCommandContext *context,
                           WharfCommandStep           step)
{
  g_autoptr(GString) out = NULL;
  g_autofree char *local = NULL;
  g_autofree char *local_tagged = NULL;
  g_autofree char *remote = NULL;
  const char *program;
  const char *tag;
  gboolean insecure;

  g_return_val_if_fail (context != NULL, NULL);
  g_return_val_if_fail (context->repository_uri != NULL, NULL);
  g_return_val_if_fail (step < WHARF_COMMAND_N_STEPS, NULL);

  out = g_string_new (NULL);
  program = wharf_container_tool_get_program (context->tool);
  tag = context->tag != NULL && *context->tag != '\0' ? context->tag : "latest";
  local = local_image_name (context);
  local_tagged = g_strdup_printf ("%s:%s", local, tag);
  remote = wharf_commands_image_uri (context->repository_uri, tag, NULL);
  insecure = needs_tls_verify_false (context->tool, context->repository_uri);

  switch (step)
    {
    case WHARF_COMMAND_STEP_LOGIN:
      {
        g_autofree char *host = wharf_commands_registry_host (context->repository_uri);

        append_arg (out, context->shell, "aws");
        append_arg (out, context->shell, "ecr");
        append_arg (out, context->shell, "get-login-password");
        if (context->region != NULL && *context->region != '\0')
          {
            append_arg (out, context->shell, "--region");
            append_arg (out, context->shell, context->region);
          }
        if (context->profile != NULL && *context->profile != '\0')
          {
            append_arg (out, context->shell, "--profile");
            append_arg (out, context->shell, context->profile);
          }
        if (context->endpoint_url != NULL && *context->endpoint_url != '\0')
          {
            append_arg (out, context->shell, "--endpoint-url");
            append_arg (out, context->shell, context->endpoint_url);
          }
        g_string_append (out, " |");
        append_arg (out, context->shell, program);
        append_arg (out, context->shell, "login");
        if (insecure)
          append_arg (out, context->shell, "--tls-verify=false");
        append_arg (out, context->shell, "--username");
        append_arg (out, context->shell, "AWS");
        append_arg (out, context->shell, "--password-stdin");
        append_arg (out, context->shell, host);
      }
      break;

    case WHARF_COMMAND_STEP_BUILD:
      append_arg (out, context->shell, program);
      append_arg (out, context->shell, "build");
      append_arg (out, context->shell, "-t");
      append_arg (out, context->shell, local_tagged);
      append_arg (out, context->shell, ".");
      break;

    case WHARF_COMMAND_STEP_TAG:
      append_arg (out, context->shell, program);
      append_arg (out, context->shell, "tag");
      append_arg (out, context->shell, local_tagged);
      append_arg (out, context->shell, remote);
      break;

    case WHARF_COMMAND_STEP_PUSH:
      append_arg (out, context->shell, program);
      append_arg (out, context->shell, "push");
      if (insecure)
        append_arg (out, context->shell, "--tls-verify=false");
      append_arg (out, context->shell, remote);
      break;

    case WHARF_COMMAND_STEP_PULL:
      append_arg (out, context->shell, program);
      append_arg (out, context->shell, "pull");
      if (insecure)
        append_arg (out, context->shell, "--tls-verify=false");
      append_arg (out, context->shell, remote);
      break;

    case WHARF_COMMAND_N_STEPS:
    default:
      g_assert_not_reached ();
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
wharf_commands_pull (WharfContainerTool  tool,
                     WharfCommandShell   shell,
                     const char         *image_uri)
{
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (image_uri != NULL, NULL);

  out = g_string_new (NULL);
  append_arg (out, shell, wharf_container_tool_get_program (tool));
  append_arg (out, shell, "pull");
  if (needs_tls_verify_false (tool, image_uri))
    append_arg (out, shell, "--tls-verify=false");
  append_arg (out, shell, image_uri);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
is_podman (const char *program)
{
  g_autofree char *base = g_path_get_basename (program);

  return g_strcmp0 (base, "podman") == 0;
}

char **
wharf_commands_login_argv (const char *program,
                           const char *username,
                           const char *server)
{
  g_autoptr(GStrvBuilder) builder = NULL;

  g_return_val_if_fail (program != NULL, NULL);
  g_return_val_if_fail (username != NULL, NULL);
  g_return_val_if_fail (server != NULL, NULL);

  builder = g_strv_builder_new ();
  g_strv_builder_add (builder, program);
  g_strv_builder_add (builder, "login");
  if (is_podman (program) && wharf_commands_is_loopback_host (server))
    g_strv_builder_add (builder, "--tls-verify=false");
  g_strv_builder_add (builder, "--username");
  g_strv_builder_add (builder, username);
  g_strv_builder_add (builder, "--password-stdin");
  g_strv_builder_add (builder, server);

  return g_strv_builder_end (builder);
}

char **
wharf_commands_pull_argv (const char *program,
                          const char *image_uri)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autofree char *host = NULL;

  g_return_val_if_fail (program != NULL, NULL);
  g_return_val_if_fail (image_uri != NULL, NULL);

  host = wharf_commands_registry_host (image_uri);
  builder = g_strv_builder_new ();
  g_strv_builder_add (builder, program);
  g_strv_builder_add (builder, "pull");
  if (is_podman (program) && wharf_commands_is_loopback_host (host))
    g_strv_builder_add (builder, "--tls-verify=false");
  g_strv_builder_add (builder, image_uri);

  return g_strv_builder_end (builder);
}

char *
wharf_commands_endpoint_host (const char *proxy_endpoint)
{
  const char *start;
  const char *end;

  if (proxy_endpoint == NULL || *proxy_endpoint == '\0')
    return NULL;

  start = strstr (proxy_endpoint, "://");
  start = start != NULL ? start + 3 : proxy_endpoint;
  end = start + strcspn (start, "/?#");
  if (end == start)
    return NULL;

  /* No user info and no spaces or control characters in a host. */
  for (const char *p = start; p < end; p++)
    if (*p == '@' || g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
      return NULL;

  return g_strndup (start, end - start);
}

char *
wharf_commands_csv_field (const char *value)
{
  GString *out;
  gboolean needs_quotes;
  gsize len;

  if (value == NULL)
    return g_strdup ("");

  len = strlen (value);
  needs_quotes = strpbrk (value, ",\"\r\n") != NULL ||
                 (len > 0 && (value[0] == ' ' || value[len - 1] == ' '));
  if (!needs_quotes)
    return g_strdup (value);

  out = g_string_sized_new (len + 2);
  g_string_append_c (out, '"');
  for (const char *p = value; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');

  return g_string_free (out, FALSE);
}
