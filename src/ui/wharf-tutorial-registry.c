/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the tutorial's steps do with the registry: find the person's repository (or
 * create it), log Docker or Podman in, wait for the pushed image to arrive (or simulate a
 * push in practice mode), and apply the good habits (a pull policy for another account,
 * lifecycle rules, scan on push).
 */
#define G_LOG_DOMAIN "wharf-tutorial"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-tutorial-private.h"

#include "wharf-commands.h"
#include "wharf-container-login.h"
#include "wharf-create-repository-dialog.h"
#include "wharf-ecr-validate.h"
#include "wharf-practice.h"

/* ---- Repository ---- */

static void
set_repository (WharfTutorial   *self,
                WharfRepository *repository)
{
  if (repository != NULL &&
      (self->repository == NULL ||
       g_strcmp0 (wharf_repository_get_name (repository), wharf_repository_get_name (self->repository)) != 0))
    {
      /* Another repository: what arrived in the old one does not count. */
      g_clear_object (&self->image);
      self->pulled = FALSE;
      self->policy_applied = FALSE;
      self->lifecycle_applied = FALSE;
    }

  g_set_object (&self->repository, repository);
  g_clear_pointer (&self->repository_error, g_free);
  wharf_tutorial_set_done (self, STEP_REPOSITORY, repository != NULL);
  if (repository != NULL)
    g_settings_set_string (self->settings, "tutorial-repository",
                           wharf_repository_get_name (repository));
}

static gboolean poll_timeout_cb (gpointer user_data);

static void
describe_repository_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(WharfTutorial) self = user_data;
  g_autoptr(GPtrArray) repositories = NULL;
  g_autoptr(GError) error = NULL;

  repositories = wharf_ecr_client_describe_repositories_finish (WHARF_ECR_CLIENT (object), result,
                                                                NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->checking_repository = FALSE;

  if (repositories != NULL && repositories->len > 0)
    {
      set_repository (self, g_ptr_array_index (repositories, 0));
      /* Whether something was pushed already (after a restart, say). */
      if (self->image == NULL && !self->polling)
        poll_timeout_cb (self);
    }
  else
    {
      g_autofree char *name = g_settings_get_string (self->settings, "tutorial-repository");
      g_autofree char *region = wharf_tutorial_dup_region (self);

      g_clear_object (&self->repository);
      g_clear_object (&self->image);
      wharf_tutorial_set_done (self, STEP_REPOSITORY, FALSE);
      g_free (self->repository_error);
      if (g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_NOT_FOUND) || error == NULL)
        /* Translators: a repository name, then an AWS region */
        self->repository_error = g_strdup_printf (_("There is no repository “%s” in %s"), name, region);
      else
        self->repository_error = g_strdup (error->message);
    }

  wharf_tutorial_update (self);
  wharf_tutorial_update_polling (self);
}

void
wharf_tutorial_load_repository (WharfTutorial *self)
{
  g_autofree char *name = g_settings_get_string (self->settings, "tutorial-repository");
  const char *names[] = { name, NULL };

  if (self->client == NULL || *name == '\0')
    return;

  self->checking_repository = TRUE;
  wharf_ecr_client_describe_repositories_async (self->client, names, 0, NULL,
                                                self->client_cancellable,
                                                describe_repository_cb, g_object_ref (self));
  wharf_tutorial_update_check (self);
}

static void
repository_created_cb (WharfTutorial               *self,
                       WharfRepository             *repository,
                       WharfCreateRepositoryDialog *dialog)
{
  set_repository (self, repository);
  wharf_tutorial_update (self);

  /* The main window lists it too. */
  wharf_tutorial_activate_parent_action (self, "win.refresh");
}

void
wharf_tutorial_create_clicked_cb (WharfTutorial *self)
{
  WharfCreateRepositoryDialog *dialog;

  if (self->client == NULL)
    return;

  dialog = wharf_create_repository_dialog_new (GTK_WINDOW (self), self->client, NULL,
                                               self->account != NULL
                                               ? wharf_account_get_account_id (self->account) : NULL);
  g_signal_connect_object (dialog, "created", G_CALLBACK (repository_created_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
wharf_tutorial_existing_apply_cb (WharfTutorial *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->existing_entry));
  g_autofree char *name = g_strstrip (g_strdup (text));
  g_autofree char *reason = NULL;

  if (!wharf_ecr_validate_repository_name (name, &reason))
    {
      g_free (self->repository_error);
      self->repository_error = g_steal_pointer (&reason);
      wharf_tutorial_update_repository_row (self);
      wharf_tutorial_update_check (self);
      return;
    }

  g_clear_object (&self->repository);
  g_settings_set_string (self->settings, "tutorial-repository", name);
  wharf_tutorial_load_repository (self);
}

/* ---- Login ---- */

static void
login_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(WharfTutorial) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!wharf_container_login_finish (result, NULL, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->logging_in = FALSE;
  self->logged_in = error == NULL;
  wharf_tutorial_update_login (self);
  if (error != NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is what Docker or Podman said */
      message = g_strdup_printf (_("The login failed: %s"), error->message);
      wharf_tutorial_set_label (self->login_note, message);
    }
  wharf_tutorial_update_check (self);
}

static void
login_token_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(WharfTutorial) self = user_data;
  g_autoptr(WharfAuthorizationToken) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *program = NULL;
  g_autofree char *server = NULL;

  token = wharf_ecr_client_get_authorization_token_finish (WHARF_ECR_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (token != NULL)
    {
      program = wharf_container_login_find_program (wharf_tutorial_container_tool (self));
      server = wharf_commands_endpoint_host (wharf_authorization_token_get_proxy_endpoint (token));
      /* The registry's own address, for the commands until a repository names it. */
      g_free (self->registry_host);
      self->registry_host = g_strdup (server);
    }

  if (token == NULL || program == NULL || server == NULL)
    {
      g_autofree char *message = NULL;

      self->logging_in = FALSE;
      wharf_tutorial_update_login (self);
      message = g_strdup_printf (_("The login failed: %s"),
                                 error != NULL ? error->message
                                 : program == NULL ? _("Docker or Podman is not installed")
                                 : _("ECR gave no registry address"));
      wharf_tutorial_set_label (self->login_note, message);
      return;
    }

  wharf_container_login_async (program, wharf_authorization_token_get_user_name (token),
                               wharf_authorization_token_get_password (token), server,
                               self->client_cancellable, login_done_cb, g_object_ref (self));
}

void
wharf_tutorial_login_clicked_cb (WharfTutorial *self)
{
  if (self->client == NULL || self->logging_in)
    return;

  self->logging_in = TRUE;
  wharf_tutorial_set_label (self->login_note, _("Logging in…"));
  wharf_tutorial_update_login (self);
  wharf_ecr_client_get_authorization_token_async (self->client, self->client_cancellable,
                                                  login_token_cb, g_object_ref (self));
}

void
wharf_tutorial_login_check_toggled_cb (WharfTutorial *self)
{
  wharf_tutorial_update_login (self);
  wharf_tutorial_update_check (self);
}

void
wharf_tutorial_pull_check_toggled_cb (WharfTutorial *self)
{
  wharf_tutorial_update_pull (self);
  wharf_tutorial_update_check (self);
}

/* ---- Pulling ---- */

static void
pull_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(WharfTutorial) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!wharf_container_pull_finish (result, NULL, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->pulling = FALSE;
  self->pulled = error == NULL;
  wharf_tutorial_update_pull (self);
  if (error != NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is what Docker or Podman said */
      message = g_strdup_printf (_("The pull failed: %s"), error->message);
      wharf_tutorial_set_label (self->pull_note, message);
    }
  wharf_tutorial_update_check (self);
}

/* Runs the pull command the step shows, with the tool the commands name; done when the
 * tool says it succeeded. */
void
wharf_tutorial_pull_clicked_cb (WharfTutorial *self)
{
  g_autofree char *program = NULL;
  g_autofree char *image_uri = NULL;

  if (self->client == NULL || self->image == NULL || self->pulling)
    return;

  program = wharf_container_login_find_program (wharf_tutorial_container_tool (self));
  if (program == NULL)
    {
      wharf_tutorial_set_label (self->pull_note, _("Docker or Podman is not installed"));
      return;
    }

  image_uri = wharf_tutorial_dup_pull_uri (self);
  self->pulling = TRUE;
  wharf_tutorial_update_pull (self);
  wharf_container_pull_async (program, image_uri, self->client_cancellable,
                              pull_done_cb, g_object_ref (self));
}

/* ---- Waiting for the push ---- */

static gboolean
scan_still_running (WharfImage *image)
{
  WharfScanStatus status = wharf_image_get_scan_status (image);

  return status == WHARF_SCAN_STATUS_IN_PROGRESS || status == WHARF_SCAN_STATUS_PENDING;
}

static void
schedule_poll (WharfTutorial *self)
{
  g_clear_handle_id (&self->poll_id, g_source_remove);
  self->poll_id = g_timeout_add (self->poll_delay_ms, poll_timeout_cb, self);
  /* Back off: a push takes a while, and each look is a request. */
  self->poll_delay_ms = MIN (self->poll_delay_ms * 3 / 2, POLL_MAX_DELAY_MS);
}

/* ---- Checking what arrived (practice mode) ---- */

static void
verify_manifest_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(WharfTutorial) self = user_data;
  g_autoptr(GPtrArray) manifests = NULL;
  g_autoptr(GError) error = NULL;
  const char *digest;

  manifests = wharf_ecr_client_batch_get_image_finish (WHARF_ECR_CLIENT (object), result, NULL,
                                                       &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->verifying = FALSE;
  g_clear_pointer (&self->verify_error, g_free);
  if (self->image == NULL)
    return;

  digest = wharf_image_get_digest (self->image);
  if (manifests == NULL)
    /* Translators: %s is the error message */
    self->verify_error = g_strdup_printf (_("Could not read the image’s manifest: %s"), error->message);
  else if (manifests->len == 0)
    self->verify_error = g_strdup (_("The registry lists the image but does not give its manifest."));
  else
    {
      WharfImageManifest *manifest = g_ptr_array_index (manifests, 0);
      g_autofree char *hash = NULL;
      g_autofree char *computed = NULL;

      if (manifest->manifest != NULL)
        {
          hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, manifest->manifest, -1);
          computed = g_strconcat ("sha256:", hash, NULL);
        }

      if (g_strcmp0 (computed, digest) == 0)
        {
          g_free (self->verified_digest);
          self->verified_digest = g_strdup (digest);
        }
      else
        /* Translators: the digest the registry lists, then the one its manifest hashes to */
        self->verify_error = g_strdup_printf (_("The image’s digest %s does not match its manifest (%s)."),
                                              digest, computed != NULL ? computed : "?");
    }

  wharf_tutorial_update_push (self);
  wharf_tutorial_update_pull (self);
  wharf_tutorial_update_check (self);
}

/* In practice mode, asks for the arrived image's manifest and checks that it hashes to the
 * digest the registry lists: the image that arrived is exactly the one pushed. */
static void
verify_image (WharfTutorial *self)
{
  /* Whatever was pushed: without this list ECR would answer only for Docker's format. */
  static const char * const media_types[] = {
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.oci.image.index.v1+json",
    NULL,
  };
  g_autoptr(GPtrArray) ids = NULL;

  if (!wharf_tutorial_is_practice (self) || self->image == NULL || self->verifying ||
      self->client == NULL || self->repository == NULL || wharf_tutorial_push_checked (self))
    return;

  self->verifying = TRUE;
  g_clear_pointer (&self->verify_error, g_free);
  ids = g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_image_id_free);
  g_ptr_array_add (ids, wharf_image_id_new (wharf_image_get_digest (self->image), NULL));
  wharf_ecr_client_batch_get_image_async (self->client,
                                          wharf_repository_get_name (self->repository),
                                          ids, media_types, self->client_cancellable,
                                          verify_manifest_cb, g_object_ref (self));
}

static void
describe_images_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(WharfTutorial) self = user_data;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GError) error = NULL;
  WharfImage *newest = NULL;

  images = wharf_ecr_client_describe_images_finish (WHARF_ECR_CLIENT (object), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_pointer (&self->poll_error, g_free);
  if (images == NULL)
    /* Translators: %s is the error message; Wharf keeps trying */
    self->poll_error = g_strdup_printf (_("Could not look: %s. Trying again…"), error->message);
  else
    for (guint i = 0; i < images->len; i++)
      {
        WharfImage *image = g_ptr_array_index (images, i);
        GDateTime *pushed = wharf_image_get_pushed_at (image);

        if (newest == NULL ||
            (pushed != NULL && wharf_image_get_pushed_at (newest) != NULL &&
             g_date_time_compare (pushed, wharf_image_get_pushed_at (newest)) > 0))
          newest = image;
      }

  if (newest != NULL)
    g_set_object (&self->image, newest);
  verify_image (self);

  /* Keep looking until an image is there and its scan has finished (a single look when
   * the push step is not shown). */
  if (self->polling && (self->image == NULL || scan_still_running (self->image)))
    schedule_poll (self);
  else
    self->polling = FALSE;

  wharf_tutorial_update_push (self);
  wharf_tutorial_update_commands (self);
  wharf_tutorial_update_check (self);
}

static gboolean
poll_timeout_cb (gpointer user_data)
{
  WharfTutorial *self = user_data;

  self->poll_id = 0;
  if (self->client == NULL || self->repository == NULL)
    {
      self->polling = FALSE;
      return G_SOURCE_REMOVE;
    }

  g_cancellable_cancel (self->poll_cancellable);
  g_clear_object (&self->poll_cancellable);
  self->poll_cancellable = g_cancellable_new ();
  wharf_ecr_client_describe_images_async (self->client,
                                          wharf_repository_get_name (self->repository),
                                          WHARF_TAG_STATUS_ANY, NULL, 100, NULL,
                                          self->poll_cancellable,
                                          describe_images_cb, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

void
wharf_tutorial_stop_polling (WharfTutorial *self)
{
  self->polling = FALSE;
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_cancellable_cancel (self->poll_cancellable);
}

/* Polls while the push step is shown, a repository is known, and the image has not arrived
 * (or its scan is still running). */
void
wharf_tutorial_update_polling (WharfTutorial *self)
{
  gboolean wanted = wharf_tutorial_current_step (self) == STEP_PUSH && self->client != NULL &&
                    self->repository != NULL &&
                    (self->image == NULL || scan_still_running (self->image));

  if (!wanted)
    {
      /* A single look started elsewhere may be under way: leave it be. */
      if (self->polling)
        wharf_tutorial_stop_polling (self);
      wharf_tutorial_update_push (self);
      return;
    }

  if (!self->polling)
    {
      self->polling = TRUE;
      self->poll_delay_ms = POLL_FIRST_DELAY_MS;
      g_clear_handle_id (&self->poll_id, g_source_remove);
      self->poll_id = g_idle_add (poll_timeout_cb, self);
    }
  wharf_tutorial_update_push (self);
}

void
wharf_tutorial_simulate_clicked_cb (WharfTutorial *self)
{
  WharfSandbox *sandbox = wharf_practice_get_sandbox (wharf_practice_get_default ());
  g_autoptr(GError) error = NULL;
  g_autofree char *digest = NULL;

  if (!wharf_tutorial_is_practice (self) || sandbox == NULL || self->repository == NULL)
    return;

  /* Made inside the practice sandbox, as its seeded images are: its PutImage, as ECR's,
   * refuses a manifest whose layers were never uploaded. In memory, so it does not block. */
  digest = wharf_sandbox_push_image (sandbox, WHARF_PRACTICE_REGION,
                                     wharf_repository_get_name (self->repository), TUTORIAL_TAG,
                                     g_random_int_range (8, 40) * 1024 * 1024, &error);
  if (digest == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the error message */
      message = g_strdup_printf (_("The simulated push failed: %s"), error->message);
      wharf_tutorial_toast (self, message);
      return;
    }

  /* Look at once: the person is watching. */
  g_clear_object (&self->image);
  wharf_tutorial_stop_polling (self);
  wharf_tutorial_update_polling (self);
}

/* ---- Good habits ---- */

void
wharf_tutorial_account_id_changed_cb (WharfTutorial *self)
{
  wharf_tutorial_update_policy (self);
}

static void
set_policy_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(WharfTutorial) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!wharf_ecr_client_set_repository_policy_finish (WHARF_ECR_CLIENT (object), result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: %s is the error message */
      message = g_strdup_printf (_("Not applied: %s"), error->message);
      wharf_tutorial_set_label (self->policy_status, message);
      wharf_tutorial_update_policy (self);
      return;
    }

  self->policy_applied = TRUE;
  wharf_tutorial_set_label (self->policy_status, _("Applied: the account can pull"));
  wharf_tutorial_update_habits (self);
  wharf_tutorial_update_check (self);
}

static void
get_policy_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(WharfTutorial) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *existing = NULL;
  g_autofree char *trimmed = NULL;
  g_autofree char *policy = NULL;

  existing = wharf_ecr_client_get_repository_policy_finish (WHARF_ECR_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (existing != NULL || !g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_NOT_FOUND))
    {
      /* A policy is there already: replacing it could lock someone out, so leave it. */
      wharf_tutorial_set_label (self->policy_status,
                                existing != NULL
                                ? _("Not applied: this repository has a policy already. Add the statement in the repository’s permissions instead.")
                                : error->message);
      wharf_tutorial_update_policy (self);
      return;
    }

  trimmed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->account_id_entry))));
  policy = wharf_tutorial_build_policy_text (self, trimmed);
  wharf_ecr_client_set_repository_policy_async (self->client,
                                                wharf_repository_get_name (self->repository),
                                                policy, FALSE, self->client_cancellable,
                                                set_policy_cb, g_object_ref (self));
}

void
wharf_tutorial_policy_clicked_cb (WharfTutorial *self)
{
  g_autofree char *trimmed = NULL;

  trimmed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->account_id_entry))));
  if (self->client == NULL || self->repository == NULL || !wharf_tutorial_is_account_id (trimmed))
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->policy_button), FALSE);
  wharf_tutorial_set_label (self->policy_status, _("Applying…"));
  wharf_ecr_client_get_repository_policy_async (self->client,
                                                wharf_repository_get_name (self->repository),
                                                self->client_cancellable,
                                                get_policy_cb, g_object_ref (self));
}

static void
put_lifecycle_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(WharfTutorial) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!wharf_ecr_client_put_lifecycle_policy_finish (WHARF_ECR_CLIENT (object), result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Not applied: %s"), error->message);
      wharf_tutorial_set_label (self->lifecycle_status, message);
      wharf_tutorial_update_habits (self);
      return;
    }

  self->lifecycle_applied = TRUE;
  wharf_tutorial_set_label (self->lifecycle_status,
                            _("Applied: untagged images expire after 14 days"));
  wharf_tutorial_update_habits (self);
  wharf_tutorial_update_check (self);
}

static void
get_lifecycle_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(WharfTutorial) self = user_data;
  g_autoptr(WharfLifecyclePolicy) existing = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  existing = wharf_ecr_client_get_lifecycle_policy_finish (WHARF_ECR_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (existing != NULL || !g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_NOT_FOUND))
    {
      wharf_tutorial_set_label (self->lifecycle_status,
                                existing != NULL
                                ? _("Not applied: this repository has lifecycle rules already; Wharf leaves them as they are.")
                                : error->message);
      wharf_tutorial_update_habits (self);
      return;
    }

  text = wharf_tutorial_build_lifecycle_text ();
  wharf_ecr_client_put_lifecycle_policy_async (self->client,
                                               wharf_repository_get_name (self->repository),
                                               text, self->client_cancellable,
                                               put_lifecycle_cb, g_object_ref (self));
}

void
wharf_tutorial_lifecycle_clicked_cb (WharfTutorial *self)
{
  if (self->client == NULL || self->repository == NULL)
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->lifecycle_button), FALSE);
  wharf_tutorial_set_label (self->lifecycle_status, _("Applying…"));
  wharf_ecr_client_get_lifecycle_policy_async (self->client,
                                               wharf_repository_get_name (self->repository),
                                               self->client_cancellable,
                                               get_lifecycle_cb, g_object_ref (self));
}

static void
scan_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(WharfTutorial) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!wharf_ecr_client_put_image_scanning_configuration_finish (WHARF_ECR_CLIENT (object),
                                                                 result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Not applied: %s"), error->message);
      wharf_tutorial_toast (self, message);
      wharf_tutorial_update_habits (self);
      return;
    }

  /* Read the repository again: its settings changed. */
  wharf_tutorial_load_repository (self);
}

void
wharf_tutorial_scan_clicked_cb (WharfTutorial *self)
{
  if (self->client == NULL || self->repository == NULL)
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->scan_button), FALSE);
  wharf_ecr_client_put_image_scanning_configuration_async (self->client,
                                                           wharf_repository_get_name (self->repository),
                                                           TRUE, self->client_cancellable,
                                                           scan_done_cb, g_object_ref (self));
}
