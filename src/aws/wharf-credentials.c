/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-credentials"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <openssl/crypto.h>

#include "wharf-credentials.h"

#include "wharf-aws-config.h"
#include "wharf-profile-credentials.h"

G_DEFINE_QUARK (wharf-credentials-error-quark, wharf_credentials_error)

/* WharfCredentials */

struct _WharfCredentials
{
  gatomicrefcount  ref_count;
  char            *access_key_id;
  char            *secret_access_key;
  char            *session_token;
  GDateTime       *expiration;
  char            *source;
};

G_DEFINE_BOXED_TYPE (WharfCredentials, wharf_credentials,
                     wharf_credentials_ref, wharf_credentials_unref)

static void
wipe_string (char *s)
{
  if (s != NULL)
    {
      OPENSSL_cleanse (s, strlen (s));
      g_free (s);
    }
}

WharfCredentials *
wharf_credentials_new_with_source (const char *access_key_id,
                                   const char *secret_access_key,
                                   const char *session_token,
                                   GDateTime  *expiration,
                                   const char *source)
{
  WharfCredentials *self;

  g_return_val_if_fail (access_key_id != NULL, NULL);
  g_return_val_if_fail (secret_access_key != NULL, NULL);

  self = g_new0 (WharfCredentials, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->access_key_id = g_strdup (access_key_id);
  self->secret_access_key = g_strdup (secret_access_key);
  self->session_token = session_token != NULL && *session_token != '\0'
                        ? g_strdup (session_token) : NULL;
  self->expiration = expiration != NULL ? g_date_time_ref (expiration) : NULL;
  self->source = g_strdup (source);

  return self;
}

WharfCredentials *
wharf_credentials_new (const char *access_key_id,
                       const char *secret_access_key,
                       const char *session_token,
                       GDateTime  *expiration)
{
  return wharf_credentials_new_with_source (access_key_id, secret_access_key, session_token,
                                            expiration, NULL);
}

WharfCredentials *
wharf_credentials_ref (WharfCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
wharf_credentials_unref (WharfCredentials *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->access_key_id);
  wipe_string (self->secret_access_key);
  wipe_string (self->session_token);
  g_clear_pointer (&self->expiration, g_date_time_unref);
  g_free (self->source);
  g_free (self);
}

const char *
wharf_credentials_get_access_key_id (const WharfCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->access_key_id;
}

const char *
wharf_credentials_get_secret_access_key (const WharfCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->secret_access_key;
}

const char *
wharf_credentials_get_session_token (const WharfCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->session_token;
}

GDateTime *
wharf_credentials_get_expiration (const WharfCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->expiration;
}

const char *
wharf_credentials_get_source (const WharfCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->source;
}

gboolean
wharf_credentials_expires_within (const WharfCredentials *self,
                                  GDateTime              *now,
                                  GTimeSpan               margin)
{
  g_autoptr(GDateTime) clock = NULL;

  g_return_val_if_fail (self != NULL, TRUE);

  if (self->expiration == NULL)
    return FALSE;
  if (now == NULL)
    now = clock = g_date_time_new_now_utc ();

  return g_date_time_difference (self->expiration, now) <= margin;
}

/* The interface */

G_DEFINE_INTERFACE (WharfCredentialsProvider, wharf_credentials_provider, G_TYPE_OBJECT)

static void
wharf_credentials_provider_default_init (WharfCredentialsProviderInterface *iface)
{
}

void
wharf_credentials_provider_get_credentials_async (WharfCredentialsProvider *self,
                                                  GCancellable             *cancellable,
                                                  GAsyncReadyCallback       callback,
                                                  gpointer                  user_data)
{
  g_return_if_fail (WHARF_IS_CREDENTIALS_PROVIDER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  WHARF_CREDENTIALS_PROVIDER_GET_IFACE (self)->get_credentials_async (self, cancellable,
                                                                      callback, user_data);
}

WharfCredentials *
wharf_credentials_provider_get_credentials_finish (WharfCredentialsProvider  *self,
                                                   GAsyncResult              *result,
                                                   GError                   **error)
{
  g_return_val_if_fail (WHARF_IS_CREDENTIALS_PROVIDER (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  return WHARF_CREDENTIALS_PROVIDER_GET_IFACE (self)->get_credentials_finish (self, result, error);
}

void
wharf_credentials_provider_invalidate (WharfCredentialsProvider *self)
{
  WharfCredentialsProviderInterface *iface;

  g_return_if_fail (WHARF_IS_CREDENTIALS_PROVIDER (self));

  iface = WHARF_CREDENTIALS_PROVIDER_GET_IFACE (self);
  if (iface->invalidate != NULL)
    iface->invalidate (self);
}

static WharfCredentials *
task_propagate_credentials (GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Static provider */

#define WHARF_TYPE_STATIC_CREDENTIALS_PROVIDER (wharf_static_credentials_provider_get_type ())
G_DECLARE_FINAL_TYPE (WharfStaticCredentialsProvider, wharf_static_credentials_provider,
                      WHARF, STATIC_CREDENTIALS_PROVIDER, GObject)

struct _WharfStaticCredentialsProvider
{
  GObject           parent_instance;
  WharfCredentials *creds;
};

static void static_provider_iface_init (WharfCredentialsProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (WharfStaticCredentialsProvider, wharf_static_credentials_provider,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (WHARF_TYPE_CREDENTIALS_PROVIDER,
                                                      static_provider_iface_init))

static void
wharf_static_credentials_provider_finalize (GObject *object)
{
  WharfStaticCredentialsProvider *self = WHARF_STATIC_CREDENTIALS_PROVIDER (object);

  g_clear_pointer (&self->creds, wharf_credentials_unref);

  G_OBJECT_CLASS (wharf_static_credentials_provider_parent_class)->finalize (object);
}

static void
wharf_static_credentials_provider_class_init (WharfStaticCredentialsProviderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wharf_static_credentials_provider_finalize;
}

static void
wharf_static_credentials_provider_init (WharfStaticCredentialsProvider *self)
{
}

static void
static_provider_get_credentials_async (WharfCredentialsProvider *provider,
                                       GCancellable             *cancellable,
                                       GAsyncReadyCallback       callback,
                                       gpointer                  user_data)
{
  WharfStaticCredentialsProvider *self = WHARF_STATIC_CREDENTIALS_PROVIDER (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, static_provider_get_credentials_async);
  g_task_return_pointer (task, wharf_credentials_ref (self->creds),
                         (GDestroyNotify) wharf_credentials_unref);
}

static WharfCredentials *
static_provider_get_credentials_finish (WharfCredentialsProvider  *provider,
                                        GAsyncResult              *result,
                                        GError                   **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return task_propagate_credentials (result, error);
}

static void
static_provider_iface_init (WharfCredentialsProviderInterface *iface)
{
  iface->get_credentials_async = static_provider_get_credentials_async;
  iface->get_credentials_finish = static_provider_get_credentials_finish;
}

WharfCredentialsProvider *
wharf_static_credentials_provider_new (WharfCredentials *creds)
{
  WharfStaticCredentialsProvider *self;

  g_return_val_if_fail (creds != NULL, NULL);

  self = g_object_new (WHARF_TYPE_STATIC_CREDENTIALS_PROVIDER, NULL);
  self->creds = wharf_credentials_ref (creds);
  return WHARF_CREDENTIALS_PROVIDER (self);
}

/* credential_process */

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

  return task_propagate_credentials (result, error);
}

/* The default chain */

#define WHARF_TYPE_DEFAULT_CREDENTIALS_PROVIDER (wharf_default_credentials_provider_get_type ())
G_DECLARE_FINAL_TYPE (WharfDefaultCredentialsProvider, wharf_default_credentials_provider,
                      WHARF, DEFAULT_CREDENTIALS_PROVIDER, GObject)

struct _WharfDefaultCredentialsProvider
{
  GObject           parent_instance;
  char             *profile;       /* explicit; NULL: AWS_PROFILE or "default" */
  WharfCredentials *cached;
  GPtrArray        *waiters;       /* GTask, while a fetch runs */
  GCancellable     *cancellable;   /* the running fetch; cancelled in dispose */
  guint             generation;    /* bumped by invalidate() */
  gboolean          fetching;
};

static void default_provider_iface_init (WharfCredentialsProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (WharfDefaultCredentialsProvider, wharf_default_credentials_provider,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (WHARF_TYPE_CREDENTIALS_PROVIDER,
                                                      default_provider_iface_init))

typedef struct
{
  GSource *cancel_source;
} Waiter;

static void
waiter_free (Waiter *w)
{
  if (w->cancel_source != NULL)
    {
      g_source_destroy (w->cancel_source);
      g_source_unref (w->cancel_source);
    }
  g_free (w);
}

static void
wharf_default_credentials_provider_dispose (GObject *object)
{
  WharfDefaultCredentialsProvider *self = WHARF_DEFAULT_CREDENTIALS_PROVIDER (object);

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (wharf_default_credentials_provider_parent_class)->dispose (object);
}

static void
wharf_default_credentials_provider_finalize (GObject *object)
{
  WharfDefaultCredentialsProvider *self = WHARF_DEFAULT_CREDENTIALS_PROVIDER (object);

  g_free (self->profile);
  g_clear_pointer (&self->cached, wharf_credentials_unref);
  g_ptr_array_unref (self->waiters);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (wharf_default_credentials_provider_parent_class)->finalize (object);
}

static void
wharf_default_credentials_provider_class_init (WharfDefaultCredentialsProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wharf_default_credentials_provider_dispose;
  object_class->finalize = wharf_default_credentials_provider_finalize;
}

static void
wharf_default_credentials_provider_init (WharfDefaultCredentialsProvider *self)
{
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
}

/* A fetch in flight; it keeps the provider alive (the waiters' tasks hold it too). */
typedef struct
{
  WharfDefaultCredentialsProvider *self;
  char                            *profile;
  gboolean                         profile_chosen;  /* explicit or AWS_PROFILE */
  guint                            generation;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_object_unref (fetch->self);
  g_free (fetch->profile);
  g_free (fetch);
}

static void
finish_fetch (Fetch            *fetch,
              WharfCredentials *creds,
              GError           *error)
{
  WharfDefaultCredentialsProvider *self = fetch->self;
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->waiters);

  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->fetching = FALSE;

  if (creds != NULL && fetch->generation == self->generation)
    {
      g_clear_pointer (&self->cached, wharf_credentials_unref);
      self->cached = wharf_credentials_ref (creds);
    }

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      g_task_set_task_data (task, NULL, NULL);  /* drops the cancel watch */
      if (creds != NULL)
        g_task_return_pointer (task, wharf_credentials_ref (creds),
                               (GDestroyNotify) wharf_credentials_unref);
      else
        g_task_return_error (task, g_error_copy (error));
    }

  if (creds != NULL)
    wharf_credentials_unref (creds);
  g_clear_error (&error);
  fetch_free (fetch);
}

static void
process_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Fetch *fetch = user_data;
  GError *error = NULL;
  g_autoptr(WharfCredentials) creds = wharf_credential_process_run_finish (result, &error);
  WharfCredentials *labelled = NULL;

  if (creds != NULL && wharf_credentials_expires_within (creds, NULL, 0))
    {
      g_autofree char *when = g_date_time_format_iso8601 (wharf_credentials_get_expiration (creds));

      g_set_error (&error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_EXPIRED,
                   _("The credential process of the profile “%s” returned credentials that "
                     "expired at %s."), fetch->profile, when);
    }
  else if (creds != NULL)
    {
      g_autofree char *source_label =
        g_strdup_printf (_("profile “%s” (credential_process)"), fetch->profile);

      labelled = wharf_credentials_new_with_source (wharf_credentials_get_access_key_id (creds),
                                                    wharf_credentials_get_secret_access_key (creds),
                                                    wharf_credentials_get_session_token (creds),
                                                    wharf_credentials_get_expiration (creds),
                                                    source_label);
    }

  finish_fetch (fetch, labelled, labelled != NULL ? NULL : error);
  if (labelled != NULL)
    g_clear_error (&error);
}

static void
profile_resolved_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Fetch *fetch = user_data;
  GError *error = NULL;
  WharfCredentials *creds = wharf_profile_credentials_resolve_finish (result, &error);

  finish_fetch (fetch, creds, error);
}

static void
config_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WharfAwsConfig) config = wharf_aws_config_load_default_finish (result, &error);
  g_autoptr(WharfAwsProfile) profile = NULL;
  g_autofree char *config_path = wharf_aws_config_get_config_file_path ();
  g_autofree char *credentials_path = wharf_aws_config_get_credentials_file_path ();
  const char *key_id, *secret, *token;

  if (config == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        finish_fetch (fetch, NULL, g_steal_pointer (&error));
      else
        finish_fetch (fetch, NULL,
                      g_error_new_literal (WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_CONFIG,
                                           error->message));
      return;
    }

  profile = wharf_aws_config_get_profile (config, fetch->profile);
  if (profile == NULL)
    {
      if (fetch->profile_chosen)
        finish_fetch (fetch, NULL,
                      g_error_new (WHARF_CREDENTIALS_ERROR,
                                   WHARF_CREDENTIALS_ERROR_PROFILE_NOT_FOUND,
                                   _("The profile “%s” is not in %s or %s."),
                                   fetch->profile, config_path, credentials_path));
      else
        finish_fetch (fetch, NULL,
                      g_error_new (WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_NOT_FOUND,
                                   _("No AWS credentials found. Wharf looked in the environment "
                                     "(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) and for the "
                                     "profile “%s” in %s and %s."),
                                   fetch->profile, config_path, credentials_path));
      return;
    }

  switch (wharf_aws_profile_get_kind (profile))
    {
    case WHARF_AWS_PROFILE_KIND_SSO:
    case WHARF_AWS_PROFILE_KIND_ASSUME_ROLE:
      /* Role chains and IAM Identity Center: wharf-profile-credentials.c */
      wharf_profile_credentials_resolve_async (config, fetch->profile,
                                               WHARF_CREDENTIALS_PROVIDER (fetch->self),
                                               fetch->self->cancellable, profile_resolved_cb,
                                               fetch);
      return;

    case WHARF_AWS_PROFILE_KIND_WEB_IDENTITY:
      finish_fetch (fetch, NULL,
                    g_error_new (WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_UNSUPPORTED,
                                 /* Translators: the second %s is a reason such as "uses IAM
                                  * Identity Center (SSO), which Wharf does not support yet" */
                                 _("The profile “%s” %s."), fetch->profile,
                                 wharf_aws_profile_get_unusable_reason (profile)));
      return;

    case WHARF_AWS_PROFILE_KIND_STATIC_KEYS:
      key_id = wharf_aws_config_get (config, fetch->profile, "aws_access_key_id");
      secret = wharf_aws_config_get (config, fetch->profile, "aws_secret_access_key");
      token = wharf_aws_config_get (config, fetch->profile, "aws_session_token");
      if (token == NULL)
        token = wharf_aws_config_get (config, fetch->profile, "aws_security_token");
      if (!wharf_aws_profile_get_usable (profile))
        {
          finish_fetch (fetch, NULL,
                        g_error_new (WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_INCOMPLETE,
                                     _("The profile “%s” %s."), fetch->profile,
                                     wharf_aws_profile_get_unusable_reason (profile)));
          return;
        }
      {
        g_autofree char *source_label = g_strdup_printf (_("profile “%s”"), fetch->profile);
        finish_fetch (fetch,
                      wharf_credentials_new_with_source (key_id, secret, token, NULL, source_label),
                      NULL);
      }
      return;

    case WHARF_AWS_PROFILE_KIND_CREDENTIAL_PROCESS:
      wharf_credential_process_run_async (wharf_aws_config_get (config, fetch->profile,
                                                                "credential_process"),
                                          WHARF_CREDENTIAL_PROCESS_TIMEOUT_SECONDS,
                                          fetch->self->cancellable, process_done_cb, fetch);
      return;

    case WHARF_AWS_PROFILE_KIND_NONE:
    default:
      finish_fetch (fetch, NULL,
                    g_error_new (WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_NOT_FOUND,
                                 _("No AWS credentials found. The profile “%s” has no access "
                                   "keys and no credential_process, and the environment has no "
                                   "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."),
                                 fetch->profile));
      return;
    }
}

static void
start_fetch (WharfDefaultCredentialsProvider *self)
{
  Fetch *fetch = g_new0 (Fetch, 1);
  const char *env_profile = g_getenv ("AWS_PROFILE");

  fetch->self = g_object_ref (self);
  fetch->generation = self->generation;
  self->fetching = TRUE;

  if (self->profile != NULL)
    {
      fetch->profile = g_strdup (self->profile);
      fetch->profile_chosen = TRUE;
    }
  else
    {
      fetch->profile = g_strdup (wharf_aws_config_get_default_profile_name ());
      fetch->profile_chosen = env_profile != NULL && *env_profile != '\0';
    }

  /* 1. The environment, unless a profile was named explicitly (as `aws --profile`). */
  if (self->profile == NULL)
    {
      const char *key_id = g_getenv ("AWS_ACCESS_KEY_ID");
      const char *secret = g_getenv ("AWS_SECRET_ACCESS_KEY");
      const char *token = g_getenv ("AWS_SESSION_TOKEN");
      gboolean has_key = key_id != NULL && *key_id != '\0';
      gboolean has_secret = secret != NULL && *secret != '\0';

      if (token == NULL || *token == '\0')
        token = g_getenv ("AWS_SECURITY_TOKEN");

      if (has_key && has_secret)
        {
          finish_fetch (fetch,
                        wharf_credentials_new_with_source (key_id, secret, token, NULL,
                                                           _("environment")),
                        NULL);
          return;
        }
      if (has_key != has_secret)
        {
          finish_fetch (fetch, NULL,
                        g_error_new (WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_INCOMPLETE,
                                     _("The environment sets %s but not %s."),
                                     has_key ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
                                     has_key ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID"));
          return;
        }
    }

  /* 2. and 3. The profile: static keys, then credential_process. */
  wharf_aws_config_load_default_async (self->cancellable, config_loaded_cb, fetch);
}

static gboolean
waiter_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  GTask *task = user_data;
  WharfDefaultCredentialsProvider *self = g_task_get_source_object (task);
  guint index;

  /* Answer this caller now; the fetch goes on for the others and the cache. */
  if (g_ptr_array_find (self->waiters, task, &index))
    {
      g_autoptr(GTask) owned = g_object_ref (task);

      g_ptr_array_remove_index (self->waiters, index);
      g_task_set_task_data (owned, NULL, NULL);
      g_task_return_error_if_cancelled (owned);
    }
  return G_SOURCE_REMOVE;
}

static void
default_provider_get_credentials_async (WharfCredentialsProvider *provider,
                                        GCancellable             *cancellable,
                                        GAsyncReadyCallback       callback,
                                        gpointer                  user_data)
{
  WharfDefaultCredentialsProvider *self = WHARF_DEFAULT_CREDENTIALS_PROVIDER (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, default_provider_get_credentials_async);

  if (self->cached != NULL
      && !wharf_credentials_expires_within (self->cached, NULL, WHARF_CREDENTIALS_REFRESH_MARGIN))
    {
      g_task_return_pointer (task, wharf_credentials_ref (self->cached),
                             (GDestroyNotify) wharf_credentials_unref);
      return;
    }

  if (cancellable != NULL)
    {
      Waiter *w = g_new0 (Waiter, 1);

      w->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (w->cancel_source, G_SOURCE_FUNC (waiter_cancelled_cb), task, NULL);
      g_source_attach (w->cancel_source, g_task_get_context (task));
      g_task_set_task_data (task, w, (GDestroyNotify) waiter_free);
    }

  g_ptr_array_add (self->waiters, g_steal_pointer (&task));

  if (!self->fetching)
    start_fetch (self);
}

static WharfCredentials *
default_provider_get_credentials_finish (WharfCredentialsProvider  *provider,
                                         GAsyncResult              *result,
                                         GError                   **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return task_propagate_credentials (result, error);
}

static void
default_provider_invalidate (WharfCredentialsProvider *provider)
{
  WharfDefaultCredentialsProvider *self = WHARF_DEFAULT_CREDENTIALS_PROVIDER (provider);

  g_clear_pointer (&self->cached, wharf_credentials_unref);
  self->generation++;
}

static void
default_provider_iface_init (WharfCredentialsProviderInterface *iface)
{
  iface->get_credentials_async = default_provider_get_credentials_async;
  iface->get_credentials_finish = default_provider_get_credentials_finish;
  iface->invalidate = default_provider_invalidate;
}

WharfCredentialsProvider *
wharf_default_credentials_provider_new (const char *profile)
{
  WharfDefaultCredentialsProvider *self;

  self = g_object_new (WHARF_TYPE_DEFAULT_CREDENTIALS_PROVIDER, NULL);
  self->profile = profile != NULL && *profile != '\0' ? g_strdup (profile) : NULL;
  return WHARF_CREDENTIALS_PROVIDER (self);
}
