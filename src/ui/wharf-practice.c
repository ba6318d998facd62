/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-practice"

#include "config.h"

#include <glib/gi18n.h>
#include <sys/random.h>

#include "wharf-practice.h"

#include <adwaita.h>

#include "wharf-credentials.h"

struct _WharfPractice
{
  GObject                   parent_instance;

  char                     *state_path;
  WharfSandbox             *sandbox;
  WharfCredentialsProvider *provider;
  gboolean                  starting;
  gboolean                  watching_shutdown;
};

G_DEFINE_FINAL_TYPE (WharfPractice, wharf_practice, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_URL,
  N_PROPS
};

enum {
  RESTARTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The practice banner's look (the banner itself is in wharf-window.ui). */
static void
ensure_style (void)
{
  static gboolean done;
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr(GtkCssProvider) provider = NULL;

  if (done || display == NULL)
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, RESOURCE_BASE "/wharf-practice.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  done = TRUE;
}

WharfPractice *
wharf_practice_get_default (void)
{
  static WharfPractice *session;

  ensure_style ();

  /* Main thread only, like every widget that uses it. */
  if (session == NULL)
    session = g_object_new (WHARF_TYPE_PRACTICE, NULL);

  return session;
}

/* Random bytes from the kernel; the keys only need to be unguessable by other local
 * programs for the life of this process. */
static void
fill_random (guint8 *buffer,
             gsize   len)
{
  gsize done = 0;

  while (done < len)
    {
      ssize_t n = getrandom (buffer + done, len - done, 0);

      if (n <= 0)
        break;
      done += n;
    }

  for (; done < len; done++)
    buffer[done] = g_random_int_range (0, 256);
}

static char *
random_text (const char *alphabet,
             gsize       len)
{
  gsize n_alphabet = strlen (alphabet);
  g_autofree guint8 *bytes = g_malloc (len);
  char *text = g_malloc (len + 1);

  fill_random (bytes, len);
  for (gsize i = 0; i < len; i++)
    text[i] = alphabet[bytes[i] % n_alphabet];
  text[len] = '\0';
  memset (bytes, 0, len);

  return text;
}

/* ---- Starting ---- */

static void
application_shutdown_cb (WharfPractice *self)
{
  g_autoptr(GError) error = NULL;

  /* The sandbox coalesces its writes; the last change must not be lost when Wharf quits. */
  if (self->sandbox != NULL && !wharf_sandbox_flush (self->sandbox, &error))
    g_warning ("Could not save the practice state: %s", error->message);
}

static void
start_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  const char *state_path = task_data;
  g_autofree char *folder = g_path_get_dirname (state_path);
  g_autoptr(WharfSandbox) sandbox = NULL;
  g_autoptr(GError) error = NULL;

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               /* Translators: %s is a folder, then the system's reason */
                               _("Could not create the folder %s: %s"), folder,
                               g_strerror (saved));
      return;
    }

  sandbox = wharf_sandbox_new (state_path, &error);
  if (sandbox == NULL ||
      !wharf_sandbox_seed (sandbox, "demo", &error) ||
      !wharf_sandbox_flush (sandbox, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&sandbox), g_object_unref);
}

static void
start_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  WharfPractice *self = WHARF_PRACTICE (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(WharfSandbox) sandbox = NULL;
  g_autoptr(WharfCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key_id = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *suffix = NULL;

  self->starting = FALSE;

  sandbox = g_task_propagate_pointer (G_TASK (result), &error);
  if (sandbox == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A new pair for every start: it never leaves this process. */
  suffix = random_text ("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 12);
  key_id = g_strconcat ("AKIAPRAC", suffix, NULL);
  secret = random_text ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40);
  wharf_sandbox_add_key (sandbox, key_id, secret, NULL);

  if (!wharf_sandbox_listen (sandbox, 0, &error))
    {
      memset (secret, 0, strlen (secret));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  credentials = wharf_credentials_new (key_id, secret, NULL, NULL);
  memset (secret, 0, strlen (secret));

  g_set_object (&self->provider, NULL);
  self->provider = wharf_static_credentials_provider_new (credentials);
  g_set_object (&self->sandbox, sandbox);

  g_debug ("Practice sandbox listening on %s", wharf_sandbox_get_url (sandbox));

  if (!self->watching_shutdown && g_application_get_default () != NULL)
    {
      g_signal_connect_object (g_application_get_default (), "shutdown",
                               G_CALLBACK (application_shutdown_cb), self, G_CONNECT_SWAPPED);
      self->watching_shutdown = TRUE;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
  g_task_return_boolean (task, TRUE);
}

void
wharf_practice_start_async (WharfPractice       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) load = NULL;

  g_return_if_fail (WHARF_IS_PRACTICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wharf_practice_start_async);

  if (self->sandbox != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (self->starting)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("Practice mode is starting already"));
      return;
    }

  self->starting = TRUE;
  /* Loading does not follow @cancellable: a half-started sandbox is of no use to anyone. */
  load = g_task_new (self, NULL, start_loaded_cb, g_steal_pointer (&task));
  g_task_set_source_tag (load, wharf_practice_start_async);
  g_task_set_task_data (load, g_strdup (self->state_path), g_free);
  g_task_run_in_thread (load, start_thread);
}

gboolean
wharf_practice_start_finish (WharfPractice  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Reset ---- */

static void
reset_started_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  WharfPractice *self = WHARF_PRACTICE (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!wharf_practice_start_finish (self, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_signal_emit (self, signals[RESTARTED], 0);
  g_task_return_boolean (task, TRUE);
}

static void
reset_deleted_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WharfPractice *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!g_file_delete_finish (G_FILE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  wharf_practice_start_async (self, NULL, reset_started_cb, g_steal_pointer (&task));
}

void
wharf_practice_reset_async (WharfPractice       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GFile) file = NULL;

  g_return_if_fail (WHARF_IS_PRACTICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wharf_practice_reset_async);

  if (self->starting)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("Practice mode is starting; try again in a moment"));
      return;
    }

  /* Stop first: the sandbox writes its state when it goes, and that write must come
   * before the file is deleted. */
  g_clear_object (&self->provider);
  g_clear_object (&self->sandbox);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);

  file = g_file_new_for_path (self->state_path);
  g_file_delete_async (file, G_PRIORITY_DEFAULT, NULL, reset_deleted_cb, g_steal_pointer (&task));
}

gboolean
wharf_practice_reset_finish (WharfPractice  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Asking first ---- */

static void
ask_reset_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (wharf_practice_reset_finish (WHARF_PRACTICE (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* The dialog went without an answer (its window was closed, say): as a "no". */
static void
ask_reset_unanswered (gpointer data)
{
  g_autoptr(GTask) task = data;

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           "The practice data were not reset");
}

static void
ask_reset_response_cb (AdwMessageDialog *dialog,
                       const char       *response)
{
  g_autoptr(GTask) task = g_object_steal_data (G_OBJECT (dialog), "wharf-task");
  WharfPractice *self;

  if (task == NULL)
    return;

  if (g_strcmp0 (response, "reset") != 0)
    {
      ask_reset_unanswered (g_steal_pointer (&task));
      return;
    }

  self = g_task_get_source_object (task);
  wharf_practice_reset_async (self, NULL, ask_reset_done_cb, g_steal_pointer (&task));
}

void
wharf_practice_ask_reset_async (WharfPractice       *self,
                                GtkWindow           *parent,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GtkWidget *dialog;

  g_return_if_fail (WHARF_IS_PRACTICE (self));
  g_return_if_fail (GTK_IS_WINDOW (parent));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, wharf_practice_ask_reset_async);

  dialog = adw_message_dialog_new (parent, _("Reset Practice Data?"),
                                   _("Every repository, image and policy of practice mode is "
                                     "deleted, and the demo repositories come back as they "
                                     "were at the start. Nothing in AWS is touched."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "reset", _("_Reset"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "reset",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "wharf-task", g_steal_pointer (&task),
                          ask_reset_unanswered);
  g_signal_connect (dialog, "response", G_CALLBACK (ask_reset_response_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
wharf_practice_ask_reset_finish (WharfPractice  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Getters ---- */

gboolean
wharf_practice_get_running (WharfPractice *self)
{
  g_return_val_if_fail (WHARF_IS_PRACTICE (self), FALSE);

  return self->sandbox != NULL;
}

const char *
wharf_practice_get_url (WharfPractice *self)
{
  g_return_val_if_fail (WHARF_IS_PRACTICE (self), NULL);

  return self->sandbox != NULL ? wharf_sandbox_get_url (self->sandbox) : NULL;
}

const char *
wharf_practice_get_registry_host (WharfPractice *self)
{
  g_return_val_if_fail (WHARF_IS_PRACTICE (self), NULL);

  return self->sandbox != NULL ? wharf_sandbox_get_registry_host (self->sandbox) : NULL;
}

const char *
wharf_practice_get_state_path (WharfPractice *self)
{
  g_return_val_if_fail (WHARF_IS_PRACTICE (self), NULL);

  return self->state_path;
}

WharfSandbox *
wharf_practice_get_sandbox (WharfPractice *self)
{
  g_return_val_if_fail (WHARF_IS_PRACTICE (self), NULL);

  return self->sandbox;
}

WharfCredentialsProvider *
wharf_practice_get_credentials_provider (WharfPractice *self)
{
  g_return_val_if_fail (WHARF_IS_PRACTICE (self), NULL);

  return self->provider;
}

WharfEcrClient *
wharf_practice_create_client (WharfPractice  *self,
                              const char     *region,
                              GError        **error)
{
  WharfEcrClient *client;

  g_return_val_if_fail (WHARF_IS_PRACTICE (self), NULL);

  if (self->sandbox == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                           _("Practice mode is not running. Choose “Practice without AWS” to start it."));
      return NULL;
    }

  client = wharf_ecr_client_new (region != NULL ? region : WHARF_PRACTICE_REGION, self->provider);
  wharf_ecr_client_set_endpoint (client, wharf_sandbox_get_url (self->sandbox));

  return client;
}

WharfAccount *
wharf_practice_new_account (void)
{
  WharfAccount *account;

  account = wharf_account_new (WHARF_PRACTICE_ACCOUNT_ID, WHARF_ACCOUNT_SOURCE_PRACTICE,
                               _("Practice"));
  wharf_account_set_region (account, WHARF_PRACTICE_REGION);
  wharf_account_set_account_id (account, WHARF_SANDBOX_PRACTICE_ACCOUNT_ID);

  return account;
}

static char *
random_digest (guint64 *size_out,
               guint64  min_size,
               guint64  max_size)
{
  guint8 bytes[32];
  g_autofree char *hex = NULL;
  guint32 r;

  fill_random (bytes, sizeof bytes);
  hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, bytes, sizeof bytes);
  fill_random ((guint8 *) &r, sizeof r);
  *size_out = min_size + r % (max_size - min_size);

  return g_strconcat ("sha256:", hex, NULL);
}

char *
wharf_practice_generate_manifest (void)
{
  guint64 config_size, base_size, app_size;
  g_autofree char *config = random_digest (&config_size, 1200, 4000);
  g_autofree char *base = random_digest (&base_size, 2 * 1024 * 1024, 30 * 1024 * 1024);
  g_autofree char *app = random_digest (&app_size, 64 * 1024, 4 * 1024 * 1024);

  return g_strdup_printf ("{\n"
                          "  \"schemaVersion\": 2,\n"
                          "  \"mediaType\": \"application/vnd.docker.distribution.manifest.v2+json\",\n"
                          "  \"config\": {\n"
                          "    \"mediaType\": \"application/vnd.docker.container.image.v1+json\",\n"
                          "    \"size\": %" G_GUINT64_FORMAT ",\n"
                          "    \"digest\": \"%s\"\n"
                          "  },\n"
                          "  \"layers\": [\n"
                          "    {\n"
                          "      \"mediaType\": \"application/vnd.docker.image.rootfs.diff.tar.gzip\",\n"
                          "      \"size\": %" G_GUINT64_FORMAT ",\n"
                          "      \"digest\": \"%s\"\n"
                          "    },\n"
                          "    {\n"
                          "      \"mediaType\": \"application/vnd.docker.image.rootfs.diff.tar.gzip\",\n"
                          "      \"size\": %" G_GUINT64_FORMAT ",\n"
                          "      \"digest\": \"%s\"\n"
                          "    }\n"
                          "  ]\n"
                          "}\n",
                          config_size, config, base_size, base, app_size, app);
}

/* ---- GObject ---- */

static void
wharf_practice_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  WharfPractice *self = WHARF_PRACTICE (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, wharf_practice_get_running (self));
      break;
    case PROP_URL:
      g_value_set_string (value, wharf_practice_get_url (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wharf_practice_finalize (GObject *object)
{
  WharfPractice *self = WHARF_PRACTICE (object);

  g_clear_object (&self->provider);
  g_clear_object (&self->sandbox);
  g_clear_pointer (&self->state_path, g_free);

  G_OBJECT_CLASS (wharf_practice_parent_class)->finalize (object);
}

static void
wharf_practice_class_init (WharfPracticeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = wharf_practice_finalize;
  object_class->get_property = wharf_practice_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[RESTARTED] = g_signal_new ("restarted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
wharf_practice_init (WharfPractice *self)
{
  /* Beside the app's other data: ~/.local/share/wharf (or the sandbox of a Flatpak). */
  self->state_path = g_build_filename (g_get_user_data_dir (), "wharf", "practice-state.json",
                                       NULL);
}
