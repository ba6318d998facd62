/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-credential-process"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <openssl/crypto.h>

#include "wharf-credentials.h"

/* credential_process: run the profile's helper without a shell, with a timeout, and read the
 * Version 1 JSON it prints. Its output holds the secret: it is wiped and never quoted. */

static const char *
json_string_member (JsonObject *obj,
                    const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

WharfCredentials *
wharf_credential_process_parse (const char  *output,
                                gsize        len,
                                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) json_error = NULL;
  g_autoptr(GDateTime) expiration = NULL;
  JsonObject *obj;
  JsonNode *version;
  const char *key_id, *secret, *token, *expires;

  g_return_val_if_fail (output != NULL || len == 0, NULL);

  /* Never quote the output in a message: it holds the secret. */
  if (!json_parser_load_from_data (parser, output != NULL ? output : "", len, &json_error)
      || json_parser_get_root (parser) == NULL
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_PROCESS_OUTPUT,
                           _("The credential process did not print a JSON object."));
      return NULL;
    }
  obj = json_node_get_object (json_parser_get_root (parser));

  version = json_object_get_member (obj, "Version");
  if (version == NULL || !JSON_NODE_HOLDS_VALUE (version)
      || json_node_get_value_type (version) != G_TYPE_INT64 || json_node_get_int (version) != 1)
    {
      g_set_error_literal (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_PROCESS_OUTPUT,
                           _("The credential process printed an unsupported format: "
                             "“Version” must be 1."));
      return NULL;
    }

  key_id = json_string_member (obj, "AccessKeyId");
  secret = json_string_member (obj, "SecretAccessKey");
  if (key_id == NULL || *key_id == '\0' || secret == NULL || *secret == '\0')
    {
      g_set_error_literal (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_PROCESS_OUTPUT,
                           _("The credential process did not print both “AccessKeyId” and "
                             "“SecretAccessKey”."));
      return NULL;
    }

  token = json_string_member (obj, "SessionToken");
  if (token == NULL && json_object_has_member (obj, "SessionToken")
      && !JSON_NODE_HOLDS_NULL (json_object_get_member (obj, "SessionToken")))
    {
      g_set_error_literal (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_PROCESS_OUTPUT,
                           _("The credential process printed a “SessionToken” that is not "
                             "text."));
      return NULL;
    }

  expires = json_string_member (obj, "Expiration");
  if (expires != NULL)
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

      expiration = g_date_time_new_from_iso8601 (expires, utc);
      if (expiration == NULL)
        {
          g_set_error (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_PROCESS_OUTPUT,
                       _("The credential process printed an “Expiration” that is not an "
                         "ISO 8601 time: “%s”."), expires);
          return NULL;
        }
    }
  else if (json_object_has_member (obj, "Expiration")
           && !JSON_NODE_HOLDS_NULL (json_object_get_member (obj, "Expiration")))
    {
      g_set_error_literal (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_PROCESS_OUTPUT,
                           _("The credential process printed an “Expiration” that is not "
                             "text."));
      return NULL;
    }

  return wharf_credentials_new (key_id, secret, token, expiration);
}

typedef struct
{
  GSubprocess  *process;
  GCancellable *cancellable;   /* ours: cancelled on timeout or by the caller's */
  GCancellable *caller;
  gulong        caller_handler;
  GSource      *timeout;
  guint         timeout_seconds;
  gboolean      timed_out;
  char         *program;
} ProcessRun;

static void
process_run_free (ProcessRun *run)
{
  if (run->timeout != NULL)
    {
      g_source_destroy (run->timeout);
      g_clear_pointer (&run->timeout, g_source_unref);
    }
  if (run->caller_handler != 0)
    g_cancellable_disconnect (run->caller, run->caller_handler);
  g_clear_object (&run->caller);
  g_clear_object (&run->cancellable);
  g_clear_object (&run->process);
  g_free (run->program);
  g_free (run);
}

static void
wipe_bytes (GBytes *bytes)
{
  gsize len;
  gconstpointer data;

  if (bytes == NULL)
    return;
  /* We hold the only reference to the buffer communicate() filled. */
  data = g_bytes_get_data (bytes, &len);
  if (data != NULL && len > 0)
    OPENSSL_cleanse ((gpointer) data, len);
}

static char *
stderr_text (GBytes *bytes)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;

  if (data == NULL || len == 0)
    return NULL;

  /* Enough to explain; a runaway helper must not flood the dialog. */
  text = g_utf8_make_valid (data, MIN (len, 2000));
  g_strstrip (text);
  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ProcessRun *run = g_task_get_task_data (task);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err_text = NULL;
  WharfCredentials *creds;
  const char *data;
  gsize len;

  g_subprocess_communicate_finish (G_SUBPROCESS (source), result, &out, &err, &error);
  if (run->timeout != NULL)
    {
      g_source_destroy (run->timeout);
      g_clear_pointer (&run->timeout, g_source_unref);
    }

  if (run->timed_out)
    {
      wipe_bytes (out);
      g_task_return_new_error (task, WHARF_CREDENTIALS_ERROR,
                               WHARF_CREDENTIALS_ERROR_PROCESS_FAILED,
                               _("The credential process “%s” did not finish within %u "
                                 "seconds."),
                               run->program, run->timeout_seconds);
      return;
    }
  if (error != NULL)
    {
      wipe_bytes (out);
      g_subprocess_force_exit (run->process);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, WHARF_CREDENTIALS_ERROR,
                                 WHARF_CREDENTIALS_ERROR_PROCESS_FAILED,
                                 _("Cannot read the output of the credential process “%s”: %s"),
                                 run->program, error->message);
      return;
    }

  err_text = stderr_text (err);

  if (!g_subprocess_get_if_exited (run->process))
    {
      wipe_bytes (out);
      g_task_return_new_error (task, WHARF_CREDENTIALS_ERROR,
                               WHARF_CREDENTIALS_ERROR_PROCESS_FAILED,
                               _("The credential process “%s” crashed.%s%s"), run->program,
                               err_text != NULL ? "\n" : "", err_text != NULL ? err_text : "");
      return;
    }
  if (g_subprocess_get_exit_status (run->process) != 0)
    {
      wipe_bytes (out);
      g_task_return_new_error (task, WHARF_CREDENTIALS_ERROR,
                               WHARF_CREDENTIALS_ERROR_PROCESS_FAILED,
                               _("The credential process “%s” failed with exit status %d.%s%s"),
                               run->program, g_subprocess_get_exit_status (run->process),
                               err_text != NULL ? "\n" : "", err_text != NULL ? err_text : "");
      return;
    }

  data = out != NULL ? g_bytes_get_data (out, &len) : NULL;
  if (data == NULL)
    len = 0;
  creds = wharf_credential_process_parse (data, len, &error);
  wipe_bytes (out);
  if (creds == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, creds, (GDestroyNotify) wharf_credentials_unref);
}

static gboolean
process_timeout_cb (gpointer user_data)
{
  ProcessRun *run = user_data;

  run->timed_out = TRUE;
  g_subprocess_force_exit (run->process);
  /* Grandchildren may keep the pipes open: stop reading now. */
  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *caller,
                     gpointer      user_data)
{
  GCancellable *ours = user_data;

  g_cancellable_cancel (ours);
}

void
wharf_credential_process_run_async (const char          *command_line,
                                    guint                timeout_seconds,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  ProcessRun *run;

  g_return_if_fail (command_line != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wharf_credential_process_run_async);

  /* Like the AWS CLI: split as a shell would, but run without one. */
  if (!g_shell_parse_argv (command_line, NULL, &argv, &error))
    {
      g_task_return_new_error (task, WHARF_CREDENTIALS_ERROR,
                               WHARF_CREDENTIALS_ERROR_PROCESS_FAILED,
                               _("The credential_process command cannot be read: %s"),
                               error->message);
      return;
    }

  run = g_new0 (ProcessRun, 1);
  run->program = g_strdup (argv[0]);
  run->timeout_seconds = timeout_seconds > 0 ? timeout_seconds
                                             : WHARF_CREDENTIAL_PROCESS_TIMEOUT_SECONDS;
  run->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, run, (GDestroyNotify) process_run_free);

  if (cancellable != NULL)
    {
      run->caller = g_object_ref (cancellable);
      run->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                   run->cancellable, NULL);
    }

  run->process = g_subprocess_newv ((const char *const *) argv,
                                    G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                    | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                    &error);
  if (run->process == NULL)
    {
      g_task_return_new_error (task, WHARF_CREDENTIALS_ERROR,
                               WHARF_CREDENTIALS_ERROR_PROCESS_FAILED,
                               _("Cannot run the credential process “%s”: %s"),
                               run->program, error->message);
      return;
    }

  run->timeout = g_timeout_source_new_seconds (run->timeout_seconds);
  g_source_set_callback (run->timeout, process_timeout_cb, run, NULL);
  g_source_attach (run->timeout, g_task_get_context (task));
  g_subprocess_communicate_async (run->process, NULL, run->cancellable, communicate_cb,
                                  g_steal_pointer (&task));
}

WharfCredentials *
wharf_credential_process_run_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == wharf_credential_process_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
