/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-repository-page"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-repository-page.h"

#include "wharf-images-view.h"
#include "wharf-lifecycle-editor.h"
#include "wharf-permissions-editor.h"
#include "wharf-problem-host.h"
#include "wharf-repository-settings.h"

struct _WharfRepositoryPage
{
  AdwBin                   parent_instance;

  WharfEcrClient          *client;
  WharfRepository         *repository;
  GCancellable            *cancellable;
  gboolean                 folded;

  AdwToastOverlay         *toast_overlay;
  GtkWidget               *back_button;
  AdwViewSwitcherTitle    *switcher_title;
  AdwViewStack            *view_stack;
  AdwBin                  *images_bin;
  WharfImagesView         *images_view;
  WharfRepositorySettings *settings;
  WharfLifecycleEditor    *lifecycle_editor;
  WharfPermissionsEditor  *permissions_editor;
};

G_DEFINE_FINAL_TYPE (WharfRepositoryPage, wharf_repository_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_FOLDED,
  N_PROPS
};

enum {
  DELETED,
  GONE,
  CHANGED,
  CREDENTIALS_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
wharf_repository_page_toast (WharfRepositoryPage *self,
                             const char          *message)
{
  /* A toast's title is markup; messages are text. */
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
wharf_repository_page_add_toast (WharfRepositoryPage *self,
                                 AdwToast            *toast)
{
  g_return_if_fail (WHARF_IS_REPOSITORY_PAGE (self));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static gboolean
is_credentials_error (const GError *error)
{
  return g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_EXPIRED_CREDENTIALS) ||
         g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_CREDENTIALS);
}

/* ECR says the repository no longer exists (deleted elsewhere): "gone" lets the window drop
 * it. TRUE when @error says so. */
static void
emit_gone (WharfRepositoryPage *self,
           WharfRepository     *repository)
{
  g_autofree char *message = NULL;

  /* Translators: %s is a repository name */
  message = g_strdup_printf (_("The repository “%s” no longer exists. It was deleted "
                               "elsewhere."), wharf_repository_get_name (repository));
  g_signal_emit (self, signals[GONE], 0, repository, message);
}

static gboolean
repository_gone (WharfRepositoryPage *self,
                 WharfRepository     *repository,
                 const GError        *error)
{
  if (!g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_NOT_FOUND)
      || g_strcmp0 (wharf_aws_error_get_aws_code (error), "RepositoryNotFoundException") != 0)
    return FALSE;

  emit_gone (self, repository);
  return TRUE;
}

/* The Settings, Lifecycle or Permissions tab found the repository gone. */
static void
tab_repository_gone_cb (WharfRepositoryPage *self)
{
  if (self->repository != NULL)
    emit_gone (self, self->repository);
}

static void
images_repository_gone_cb (WharfRepositoryPage *self,
                           const char          *message,
                           WharfImagesView     *images_view)
{
  if (self->repository != NULL)
    g_signal_emit (self, signals[GONE], 0, self->repository, message);
}

void
wharf_repository_page_set_repository (WharfRepositoryPage *self,
                                      WharfEcrClient      *client,
                                      WharfRepository     *repository)
{
  g_return_if_fail (WHARF_IS_REPOSITORY_PAGE (self));
  g_return_if_fail (!client || WHARF_IS_ECR_CLIENT (client));
  g_return_if_fail (!repository || WHARF_IS_REPOSITORY (repository));

  /* Work for the previous repository must not land on this one. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_set_object (&self->client, client);
  g_set_object (&self->repository, repository);

  adw_view_switcher_title_set_title (self->switcher_title,
                                     repository != NULL ? wharf_repository_get_name (repository) : NULL);
  wharf_images_view_set_repository (self->images_view, repository != NULL ? client : NULL, repository);
  wharf_repository_settings_set_repository (self->settings, client, repository);
  wharf_lifecycle_editor_set_repository (self->lifecycle_editor, client, repository);
  wharf_permissions_editor_set_repository (self->permissions_editor, client, repository);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "repo.delete", repository != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "repo.copy-uri", repository != NULL);
}

WharfRepository *
wharf_repository_page_get_repository (WharfRepositoryPage *self)
{
  g_return_val_if_fail (WHARF_IS_REPOSITORY_PAGE (self), NULL);

  return self->repository;
}

/* ---- Actions ---- */

static void
copy_uri_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  WharfRepositoryPage *self = WHARF_REPOSITORY_PAGE (widget);

  if (self->repository == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget),
                          wharf_repository_get_uri (self->repository));
  wharf_repository_page_toast (self, _("Repository URI copied"));
}

static void
show_settings_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  WharfRepositoryPage *self = WHARF_REPOSITORY_PAGE (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "settings");
}

void
wharf_repository_page_show_permissions (WharfRepositoryPage *self)
{
  g_return_if_fail (WHARF_IS_REPOSITORY_PAGE (self));

  adw_view_stack_set_visible_child_name (self->view_stack, "permissions");
}

static void
push_first_image_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  WharfRepositoryPage *self = WHARF_REPOSITORY_PAGE (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "images");
  gtk_widget_activate_action (GTK_WIDGET (self->images_view), "repo.push-commands", NULL);
}

typedef struct
{
  WharfRepositoryPage *self;
  WharfRepository     *repository;
  gboolean             force;
} DeleteData;

static void
delete_data_free (DeleteData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->repository);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeleteData, delete_data_free)

static void
delete_data_closure_free (gpointer  data,
                          GClosure *closure)
{
  delete_data_free (data);
}

static void
delete_repository_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(DeleteData) data = user_data;
  WharfRepositoryPage *self = data->self;
  g_autoptr(WharfRepository) deleted = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  deleted = wharf_ecr_client_delete_repository_finish (WHARF_ECR_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "repo.delete", TRUE);

  if (error != NULL && repository_gone (self, data->repository, error))
    return;

  if (error != NULL)
    {
      if (is_credentials_error (error))
        g_signal_emit (self, signals[CREDENTIALS_FAILED], 0, error->message);
      /* Translators: %s is the error message */
      message = g_strdup_printf (_("Could not delete the repository: %s"), error->message);
      wharf_repository_page_add_toast (self, wharf_problem_toast_new (GTK_WIDGET (self), message, error,
                                                                      wharf_repository_get_name (data->repository),
                                                                      wharf_repository_get_kms_key (data->repository)));
      return;
    }

  /* Translators: %s is a repository name */
  message = g_strdup_printf (_("Repository “%s” deleted"), wharf_repository_get_name (data->repository));
  g_signal_emit (self, signals[DELETED], 0, data->repository);
  wharf_repository_page_toast (self, message);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  DeleteData *data = user_data;
  WharfRepositoryPage *self = data->self;

  if (g_strcmp0 (response, "delete") != 0 || data->repository != self->repository)
    return;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "repo.delete", FALSE);
  wharf_repository_page_toast (self, _("Deleting repository…"));
  wharf_ecr_client_delete_repository_async (self->client,
                                            wharf_repository_get_name (data->repository),
                                            data->force, self->cancellable,
                                            delete_repository_cb,
                                            g_memdup2 (&(DeleteData) {
                                                         g_object_ref (self),
                                                         g_object_ref (data->repository),
                                                         data->force }, sizeof (DeleteData)));
}

static void
confirm_name_changed_cb (GtkEditable      *entry,
                         AdwMessageDialog *dialog)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "repository-name");

  adw_message_dialog_set_response_enabled (dialog, "delete",
                                           g_strcmp0 (gtk_editable_get_text (entry), name) == 0);
}

static void
wharf_repository_page_confirm_delete (WharfRepositoryPage *self,
                                      WharfRepository     *repository,
                                      gboolean             has_images)
{
  GtkWidget *dialog;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  const char *name = wharf_repository_get_name (repository);
  DeleteData *data;

  /* Translators: %s is a repository name */
  heading = g_strdup_printf (_("Delete “%s”?"), name);
  if (has_images)
    /* Translators: %s is a repository name */
    body = g_strdup_printf (_("This repository still holds images. They are deleted with it and cannot be recovered; anything that pulls them will fail.\n\nType “%s” to confirm."), name);
  else
    body = g_strdup (_("The repository is empty. Deleting it cannot be undone."));

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", has_images ? _("_Delete With Images") : _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  if (has_images)
    {
      GtkWidget *entry = gtk_entry_new ();

      gtk_entry_set_placeholder_text (GTK_ENTRY (entry), name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Repository name to confirm"),
                                      -1);
      g_object_set_data_full (G_OBJECT (dialog), "repository-name", g_strdup (name), g_free);
      g_signal_connect (entry, "changed", G_CALLBACK (confirm_name_changed_cb), dialog);
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
      adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "delete", FALSE);
    }

  data = g_new0 (DeleteData, 1);
  data->self = g_object_ref (self);
  data->repository = g_object_ref (repository);
  data->force = has_images;
  g_signal_connect_data (dialog, "response", G_CALLBACK (delete_response_cb), data,
                         delete_data_closure_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
check_images_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(DeleteData) data = user_data;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next_token = NULL;

  images = wharf_ecr_client_describe_images_finish (WHARF_ECR_CLIENT (object), result,
                                                    &next_token, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_widget_action_set_enabled (GTK_WIDGET (data->self), "repo.delete", TRUE);

  if (error != NULL && repository_gone (data->self, data->repository, error))
    return;

  if (error != NULL)
    {
      g_autofree char *message = NULL;

      if (is_credentials_error (error))
        g_signal_emit (data->self, signals[CREDENTIALS_FAILED], 0, error->message);
      /* Translators: %s is the error message */
      message = g_strdup_printf (_("Could not check the repository’s images: %s"), error->message);
      wharf_repository_page_add_toast (data->self,
                                       wharf_problem_toast_new (GTK_WIDGET (data->self), message, error,
                                                                wharf_repository_get_name (data->repository),
                                                                wharf_repository_get_kms_key (data->repository)));
      return;
    }

  wharf_repository_page_confirm_delete (data->self, data->repository,
                                        images->len > 0 || next_token != NULL);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WharfRepositoryPage *self = WHARF_REPOSITORY_PAGE (widget);
  DeleteData *data;

  if (self->repository == NULL || self->client == NULL)
    return;

  /* Ask ECR first whether images are left: then the person confirms by typing the name. */
  gtk_widget_action_set_enabled (widget, "repo.delete", FALSE);
  data = g_new0 (DeleteData, 1);
  data->self = g_object_ref (self);
  data->repository = g_object_ref (self->repository);
  wharf_ecr_client_describe_images_async (self->client, wharf_repository_get_name (self->repository),
                                          WHARF_TAG_STATUS_ANY, NULL, 1, NULL, self->cancellable,
                                          check_images_cb, data);
}

/* ---- Settings' signals ---- */

static void
settings_changed_cb (WharfRepositoryPage     *self,
                     WharfRepository         *repository,
                     WharfRepositorySettings *settings)
{
  g_autoptr(WharfRepository) old = NULL;

  if (self->repository == NULL ||
      g_strcmp0 (wharf_repository_get_name (self->repository), wharf_repository_get_name (repository)) != 0)
    return;

  old = g_steal_pointer (&self->repository);
  self->repository = g_object_ref (repository);
  g_signal_emit (self, signals[CHANGED], 0, old, repository);
}

static void
settings_toast_cb (WharfRepositoryPage     *self,
                   const char              *message,
                   WharfRepositorySettings *settings)
{
  wharf_repository_page_toast (self, message);
}

static void
settings_credentials_failed_cb (WharfRepositoryPage     *self,
                                const char              *message,
                                WharfRepositorySettings *settings)
{
  g_signal_emit (self, signals[CREDENTIALS_FAILED], 0, message);
}

/* ---- GObject ---- */

static void
wharf_repository_page_dispose (GObject *object)
{
  WharfRepositoryPage *self = WHARF_REPOSITORY_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  /* The toast overlay is both AdwBin's child and a template child: let AdwBin drop it
   * first, or its own dispose would unparent it again after the template freed it. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), WHARF_TYPE_REPOSITORY_PAGE);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->repository);

  G_OBJECT_CLASS (wharf_repository_page_parent_class)->dispose (object);
}

static void
wharf_repository_page_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  WharfRepositoryPage *self = WHARF_REPOSITORY_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wharf_repository_page_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  WharfRepositoryPage *self = WHARF_REPOSITORY_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      if (self->folded != g_value_get_boolean (value))
        {
          self->folded = g_value_get_boolean (value);
          gtk_widget_set_visible (self->back_button, self->folded);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wharf_repository_page_class_init (WharfRepositoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wharf_repository_page_dispose;
  object_class->get_property = wharf_repository_page_get_property;
  object_class->set_property = wharf_repository_page_set_property;

  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[DELETED] = g_signal_new ("deleted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, WHARF_TYPE_REPOSITORY);
  signals[GONE] = g_signal_new ("gone", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 2, WHARF_TYPE_REPOSITORY,
                                G_TYPE_STRING);
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                   WHARF_TYPE_REPOSITORY, WHARF_TYPE_REPOSITORY);
  signals[CREDENTIALS_FAILED] = g_signal_new ("credentials-failed", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                              G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (WHARF_TYPE_REPOSITORY_SETTINGS);
  g_type_ensure (WHARF_TYPE_IMAGES_VIEW);
  g_type_ensure (WHARF_TYPE_LIFECYCLE_EDITOR);
  g_type_ensure (WHARF_TYPE_PERMISSIONS_EDITOR);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/wharf-repository-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WharfRepositoryPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, WharfRepositoryPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, WharfRepositoryPage, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, WharfRepositoryPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, WharfRepositoryPage, images_bin);
  gtk_widget_class_bind_template_child (widget_class, WharfRepositoryPage, settings);
  gtk_widget_class_bind_template_child (widget_class, WharfRepositoryPage, lifecycle_editor);
  gtk_widget_class_bind_template_child (widget_class, WharfRepositoryPage, permissions_editor);

  gtk_widget_class_install_action (widget_class, "repo.copy-uri", NULL, copy_uri_action);
  gtk_widget_class_install_action (widget_class, "repo.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "repo.show-settings", NULL, show_settings_action);
  gtk_widget_class_install_action (widget_class, "repo.push-first-image", NULL,
                                   push_first_image_action);
}

static void
wharf_repository_page_init (WharfRepositoryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  gtk_widget_set_visible (self->back_button, FALSE);

  self->images_view = WHARF_IMAGES_VIEW (wharf_images_view_new ());
  adw_bin_set_child (self->images_bin, GTK_WIDGET (self->images_view));
  g_signal_connect_object (self->images_view, "repository-gone",
                           G_CALLBACK (images_repository_gone_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->settings, "repository-gone",
                           G_CALLBACK (tab_repository_gone_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->lifecycle_editor, "repository-gone",
                           G_CALLBACK (tab_repository_gone_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->permissions_editor, "repository-gone",
                           G_CALLBACK (tab_repository_gone_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed",
                           G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "show-toast",
                           G_CALLBACK (settings_toast_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "credentials-failed",
                           G_CALLBACK (settings_credentials_failed_cb), self, G_CONNECT_SWAPPED);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "repo.delete", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "repo.copy-uri", FALSE);
}
