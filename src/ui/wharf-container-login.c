/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-container-login"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wharf-container-login.h"

G_DEFINE_QUARK (wharf-container-login-error-quark, wharf_container_login_error)

typedef struct
{
  GSubprocess *subprocess;
  char        *password;
  char        *program;
  gulong       cancelled_id;
  GCancellable *cancellable;
} LoginData;

static void
login_data_free (LoginData *data)
{
  if (data->cancelled_id != 0)
    g_cancellable_disconnect (data->cancellable, data->cancelled_id);
  g_clear_object (&data->cancellable);
  if (data->password != NULL)
    {
      explicit_bzero (data->password, strlen (data->password));
      g_free (data->password);
    }
  g_clear_object (&data->subprocess);
  g_free (data->program);
  g_free (data);
}

char *
wharf_container_login_find_program (WharfContainerTool tool)
{
  if (tool == WHARF_CONTAINER_TOOL_AUTO)
    {
      char *path = g_find_program_in_path ("docker");

      return path != NULL ? path : g_find_program_in_path ("podman");
    }

  return g_find_program_in_path (wharf_container_tool_get_program (tool));
}

static gboolean
is_safe_argument (const char *value)
{
  if (value == NULL || *value == '\0' || *value == '-')
    return FALSE;

  for (const char *p = value; *p; p++)
    if (g_ascii_iscntrl (*p) || g_ascii_isspace (*p))
      return FALSE;

  return TRUE;
}

static char *
join_output (const char *out,
             const char *err)
{
  g_autofree char *o = g_strstrip (g_strdup (out != NULL ? out : ""));
  g_autofree char *e = g_strstrip (g_strdup (err != NULL ? err : ""));

  if (*o != '\0' && *e != '\0')
    return g_strdup_printf ("%s\n%s", o, e);

  return g_strdup (*o != '\0' ? o : e);
}

static void
cancelled_cb (GCancellable *cancellable,
              GSubprocess  *subprocess)
{
  g_subprocess_force_exit (subprocess);
}

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GSubprocess *subprocess = G_SUBPROCESS (object);
  g_autoptr(GTask) task = user_data;
  LoginData *data = g_task_get_task_data (task);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *output = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_subprocess_communicate_utf8_finish (subprocess, result, &out, &err, &error))
    {
      g_subprocess_force_exit (subprocess);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  output = join_output (out, err);

  if (g_subprocess_get_if_exited (subprocess) && g_subprocess_get_exit_status (subprocess) == 0)
    {
      g_task_return_pointer (task, g_steal_pointer (&output), g_free);
      return;
    }

  if (*output == '\0')
    {
      g_free (output);
      if (g_subprocess_get_if_exited (subprocess))
        output = g_strdup_printf (_("%s exited with status %d."), data->program,
                                  g_subprocess_get_exit_status (subprocess));
      else
        output = g_strdup_printf (_("%s was stopped."), data->program);
    }

  g_task_return_new_error (task, WHARF_CONTAINER_LOGIN_ERROR,
                           WHARF_CONTAINER_LOGIN_ERROR_FAILED, "%s", output);
}

/* Starts @argv with its output read; the task's data holds the password (or NULL), which
 * goes to its standard input. Takes @task. */
static void
start_program (GTask         *task,
               char         **argv,
               GCancellable  *cancellable)
{
  LoginData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->subprocess = g_subprocess_newv ((const char * const *) argv,
                                        G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                        &error);
  if (data->subprocess == NULL)
    {
      g_task_return_new_error (task, WHARF_CONTAINER_LOGIN_ERROR,
                               WHARF_CONTAINER_LOGIN_ERROR_NOT_FOUND,
                               _("Could not start %s: %s"), data->program, error->message);
      g_object_unref (task);
      return;
    }

  if (cancellable != NULL)
    {
      data->cancellable = g_object_ref (cancellable);
      data->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb),
                                                  g_object_ref (data->subprocess),
                                                  g_object_unref);
    }

  g_subprocess_communicate_utf8_async (data->subprocess, data->password, cancellable,
                                       communicate_cb, task);
}

/* The full path of @program, or NULL after returning NOT_FOUND on @task. */
static char *
find_program (GTask      *task,
              const char *program)
{
  LoginData *data = g_task_get_task_data (task);
  g_autofree char *path = NULL;

  path = g_path_is_absolute (program) ? g_strdup (program) : g_find_program_in_path (program);
  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_task_return_new_error (task, WHARF_CONTAINER_LOGIN_ERROR,
                               WHARF_CONTAINER_LOGIN_ERROR_NOT_FOUND,
                               _("%s is not installed."), data->program);
      return NULL;
    }

  return g_steal_pointer (&path);
}

void
wharf_container_login_async (const char          *program,
                             const char          *username,
                             const char          *password,
                             const char          *server,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;
  g_auto(GStrv) argv = NULL;
  LoginData *data;

  g_return_if_fail (program != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wharf_container_login_async);

  data = g_new0 (LoginData, 1);
  data->password = g_strdup (password);
  data->program = g_path_get_basename (program);
  g_task_set_task_data (task, data, (GDestroyNotify) login_data_free);

  if (!is_safe_argument (username) || !is_safe_argument (server))
    {
      g_task_return_new_error (task, WHARF_CONTAINER_LOGIN_ERROR,
                               WHARF_CONTAINER_LOGIN_ERROR_INVALID,
                               _("The registry address or user name is not usable."));
      return;
    }

  path = find_program (task, program);
  if (path == NULL)
    return;

  argv = wharf_commands_login_argv (path, username, server);
  start_program (g_steal_pointer (&task), argv, cancellable);
}

/* The program's output on success; both operations finish alike. */
static gboolean
finish_with_output (GAsyncResult  *result,
                    char         **output,
                    GError       **error)
{
  g_autofree char *text = g_task_propagate_pointer (G_TASK (result), error);

  if (text == NULL)
    return FALSE;
  if (output != NULL)
    *output = g_steal_pointer (&text);
  return TRUE;
}

gboolean
wharf_container_login_finish (GAsyncResult  *result,
                              char         **output,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wharf_container_login_async,
                        FALSE);

  return finish_with_output (result, output, error);
}

void
wharf_container_pull_async (const char          *program,
                            const char          *image_uri,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;
  g_auto(GStrv) argv = NULL;
  LoginData *data;

  g_return_if_fail (program != NULL);
  g_return_if_fail (image_uri != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wharf_container_pull_async);

  data = g_new0 (LoginData, 1);
  data->program = g_path_get_basename (program);
  g_task_set_task_data (task, data, (GDestroyNotify) login_data_free);

  if (!is_safe_argument (image_uri))
    {
      g_task_return_new_error (task, WHARF_CONTAINER_LOGIN_ERROR,
                               WHARF_CONTAINER_LOGIN_ERROR_INVALID,
                               _("The image address is not usable."));
      return;
    }

  path = find_program (task, program);
  if (path == NULL)
    return;

  argv = wharf_commands_pull_argv (path, image_uri);
  start_program (g_steal_pointer (&task), argv, cancellable);
}

gboolean
wharf_container_pull_finish (GAsyncResult  *result,
                             char         **output,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wharf_container_pull_async,
                        FALSE);

  return finish_with_output (result, output, error);
}
