/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The images view's actions: reload, push commands, copying image URIs and pull commands
 * of the selection, scanning, the details, deleting the selected images (with the dialogs
 * before and after), and the context menu that offers them on a row.
 */
#define G_LOG_DOMAIN "wharf-images-view"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-commands.h"
#include "wharf-image-format.h"
#include "wharf-images-view-private.h"
#include "wharf-problem-host.h"
#include "wharf-push-commands.h"

/* Shown in the delete dialog before "and N more". */
#define DELETE_LIST_MAX 12

/* ---- Actions ---- */

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WharfImagesView *self = (WharfImagesView *) widget;

  wharf_image_details_set_image (self->details, NULL, NULL, NULL, 0);
  wharf_scan_results_set_image (self->scan_results, NULL, NULL, NULL);
  wharf_images_view_start_listing (self);
}

/* After a page failed: the rest, from that page on, below the rows already shown. */
static void
load_rest_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  wharf_images_view_load_rest ((WharfImagesView *) widget);
}

static void
push_commands_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  WharfImagesView *self = (WharfImagesView *) widget;
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GPtrArray) images = NULL;
  const char *tag = NULL;
  WharfPushCommands *dialog;

  if (self->repository == NULL || self->client == NULL)
    return;

  /* With one tagged image selected, pull that one. */
  images = wharf_images_view_dup_selected_images (self);
  if (images->len == 1)
    {
      const char * const *tags = wharf_image_get_tags (g_ptr_array_index (images, 0));

      tag = tags[0];
    }

  dialog = wharf_push_commands_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                    self->client, self->repository, tag);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
copy_uri_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  WharfImagesView *self = (WharfImagesView *) widget;
  g_autoptr(GPtrArray) images = wharf_images_view_dup_selected_images (self);
  g_autoptr(GString) text = g_string_new (NULL);
  const char *mode = g_variant_get_string (parameter, NULL);
  const char *uri;

  if (self->repository == NULL || images->len == 0)
    return;

  uri = wharf_repository_get_uri (self->repository);
  for (guint i = 0; i < images->len; i++)
    {
      WharfImage *image = g_ptr_array_index (images, i);
      const char * const *tags = wharf_image_get_tags (image);
      g_autofree char *image_uri = NULL;

      if (g_str_equal (mode, "tag") && tags[0] != NULL)
        image_uri = wharf_commands_image_uri (uri, tags[0], NULL);
      else
        image_uri = wharf_commands_image_uri (uri, NULL, wharf_image_get_digest (image));

      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, image_uri);
    }

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text->str);
  wharf_images_view_add_toast (self, images->len == 1 ? _("Image URI copied")
                                                    : _("Image URIs copied"));
}

static WharfCommandShell
current_shell (WharfImagesView *self)
{
  return g_settings_get_enum (self->settings, "command-shell") == 1
    ? WHARF_COMMAND_SHELL_POWERSHELL : WHARF_COMMAND_SHELL_POSIX;
}

static void
copy_pull_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  WharfImagesView *self = (WharfImagesView *) widget;
  g_autoptr(GPtrArray) images = wharf_images_view_dup_selected_images (self);
  g_autoptr(GString) text = g_string_new (NULL);
  WharfContainerTool tool;

  if (self->repository == NULL || images->len == 0)
    return;

  tool = g_str_equal (g_variant_get_string (parameter, NULL), "podman")
    ? WHARF_CONTAINER_TOOL_PODMAN : WHARF_CONTAINER_TOOL_DOCKER;

  for (guint i = 0; i < images->len; i++)
    {
      WharfImage *image = g_ptr_array_index (images, i);
      const char * const *tags = wharf_image_get_tags (image);
      g_autofree char *image_uri = wharf_commands_image_uri (wharf_repository_get_uri (self->repository),
                                                             tags[0], wharf_image_get_digest (image));
      g_autofree char *command = wharf_commands_pull (tool, current_shell (self), image_uri);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, command);
    }

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text->str);
  wharf_images_view_add_toast (self, _("Pull command copied"));
}

static void
scan_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WharfImagesView *self = (WharfImagesView *) widget;

  gtk_toggle_button_set_active (self->pane_button, TRUE);
  gtk_stack_set_visible_child_name (self->side_stack, "scan");
  wharf_images_view_update_side_pane (self);
  wharf_scan_results_start_scan (self->scan_results);
}

static void
show_details_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  WharfImagesView *self = (WharfImagesView *) widget;

  gtk_toggle_button_set_active (self->pane_button, TRUE);
  gtk_stack_set_visible_child_name (self->side_stack, "details");
}

typedef struct
{
  WharfImagesView *self;
  GPtrArray       *images;   /* of WharfImage */
} DeleteData;

static void
delete_data_free (DeleteData *data)
{
  g_clear_object (&data->self);
  g_clear_pointer (&data->images, g_ptr_array_unref);
  g_free (data);
}

static void
remove_deleted (WharfImagesView *self,
                GHashTable      *deleted_digests)
{
  g_autoptr(GPtrArray) kept = NULL;
  guint n;

  if (g_hash_table_size (deleted_digests) == 0)
    return;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->images));
  kept = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      WharfImage *image = g_list_model_get_item (G_LIST_MODEL (self->images), i);

      if (g_hash_table_contains (deleted_digests, wharf_image_get_digest (image)))
        g_object_unref (image);
      else
        g_ptr_array_add (kept, image);
    }

  /* One change for the whole list rather than one per image. */
  g_list_store_splice (self->images, 0, n, kept->pdata, kept->len);
}

static void
batch_delete_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DeleteData *data = user_data;
  WharfImagesView *self = data->self;
  g_autoptr(WharfBatchDeleteResult) deleted = NULL;
  g_autoptr(GHashTable) digests = NULL;
  g_autoptr(GError) error = NULL;

  deleted = wharf_ecr_client_batch_delete_image_finish (WHARF_ECR_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      delete_data_free (data);
      return;
    }

  self->deleting = FALSE;
  wharf_images_view_update_actions (self);

  if (error != NULL && wharf_images_view_repository_gone (self, error))
    {
      delete_data_free (data);
      return;
    }

  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Could not delete the images: %s"), error->message);

      WharfRepository *repository = self->repository;

      adw_toast_overlay_add_toast (self->toast_overlay,
                                   wharf_problem_toast_new (GTK_WIDGET (self), text, error,
                                                            repository ? wharf_repository_get_name (repository) : NULL,
                                                            repository ? wharf_repository_get_kms_key (repository) : NULL));
      /* Earlier chunks may be gone already: list again to show what is left. */
      wharf_images_view_start_listing (self);
      delete_data_free (data);
      return;
    }

  digests = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < deleted->deleted->len; i++)
    {
      WharfImageId *id = g_ptr_array_index (deleted->deleted, i);

      if (id->digest != NULL)
        g_hash_table_add (digests, id->digest);
    }
  remove_deleted (self, digests);

  if (deleted->failures->len == 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u image deleted",
                                                            "%u images deleted",
                                                            g_hash_table_size (digests)),
                                               g_hash_table_size (digests));

      wharf_images_view_add_toast (self, text);
    }
  else
    {
      g_autoptr(GString) body = g_string_new (NULL);
      AdwMessageDialog *dialog;
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

      for (guint i = 0; i < deleted->failures->len; i++)
        {
          WharfImageFailure *failure = g_ptr_array_index (deleted->failures, i);
          g_autofree char *label = failure->tag != NULL ? g_strdup (failure->tag)
                                                        : wharf_format_short_digest (failure->digest);

          if (i >= DELETE_LIST_MAX)
            {
              g_string_append_printf (body, "\n%s",
                                      _("…and more."));
              break;
            }
          g_string_append_printf (body, "\n• %s: %s", label,
                                  failure->reason != NULL ? failure->reason : failure->code);
        }

      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                           NULL, NULL));
      adw_message_dialog_format_heading (dialog,
                                         g_dngettext (GETTEXT_PACKAGE,
                                                      "%u Image Was Not Deleted",
                                                      "%u Images Were Not Deleted",
                                                      deleted->failures->len),
                                         deleted->failures->len);
      adw_message_dialog_format_body (dialog, _("%u deleted. Amazon ECR refused the others:%s"),
                                      g_hash_table_size (digests), body->str);
      adw_message_dialog_add_response (dialog, "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }

  delete_data_free (data);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    DeleteData       *data)
{
  WharfImagesView *self = data->self;
  g_autoptr(GPtrArray) ids = NULL;

  if (!g_str_equal (response, "delete") || self->repository == NULL)
    {
      delete_data_free (data);
      return;
    }

  ids = g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_image_id_free);
  for (guint i = 0; i < data->images->len; i++)
    g_ptr_array_add (ids, wharf_image_id_new (wharf_image_get_digest (g_ptr_array_index (data->images, i)),
                                              NULL));

  self->deleting = TRUE;
  wharf_images_view_update_actions (self);
  wharf_images_view_add_toast (self, _("Deleting…"));

  /* The client sends the ids in chunks of 100, as ECR allows. */
  wharf_ecr_client_batch_delete_image_async (self->client,
                                             wharf_repository_get_name (self->repository),
                                             ids, self->cancellable, batch_delete_cb, data);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WharfImagesView *self = (WharfImagesView *) widget;
  g_autoptr(GPtrArray) images = wharf_images_view_dup_selected_images (self);
  g_autoptr(GString) body = g_string_new (NULL);
  AdwMessageDialog *dialog;
  GtkRoot *root = gtk_widget_get_root (widget);
  DeleteData *data;

  if (self->repository == NULL || images->len == 0 || self->deleting)
    return;

  g_string_append (body, _("These images and all their tags are deleted from the repository. "
                           "Anything that pulls them will fail. This cannot be undone."));
  g_string_append_c (body, '\n');
  for (guint i = 0; i < images->len; i++)
    {
      WharfImage *image = g_ptr_array_index (images, i);
      g_autofree char *digest = wharf_format_short_digest (wharf_image_get_digest (image));

      if (i >= DELETE_LIST_MAX)
        {
          guint rest = images->len - i;

          g_string_append_c (body, '\n');
          g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE, "…and %u more image",
                                                     "…and %u more images", rest), rest);
          break;
        }

      if (wharf_image_get_is_tagged (image))
        {
          g_autofree char *tags = g_strjoinv (", ", (char **) wharf_image_get_tags (image));

          g_string_append_printf (body, "\n• %s (%s)", tags, digest);
        }
      else
        g_string_append_printf (body, "\n• %s (%s)", digest, _("untagged"));
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       NULL, body->str));
  adw_message_dialog_format_heading (dialog,
                                     g_dngettext (GETTEXT_PACKAGE, "Delete %u Image?",
                                                  "Delete %u Images?", images->len),
                                     images->len);
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  data = g_new0 (DeleteData, 1);
  data->self = g_object_ref (self);
  data->images = g_steal_pointer (&images);
  g_signal_connect (dialog, "response", G_CALLBACK (delete_response_cb), data);

  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- Context menu ---- */

static guint
find_position (WharfImagesView *self,
               gpointer         item)
{
  GListModel *model = G_LIST_MODEL (self->selection);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) other = g_list_model_get_item (model, i);

      if (other == item)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

static void
context_pressed_cb (GtkGestureClick *gesture,
                    int              n_press,
                    double           x,
                    double           y,
                    WharfImagesView *self)
{
  GtkWidget *picked;
  GObject *item = NULL;
  GdkRectangle rect = { (int) x, (int) y, 1, 1 };

  picked = gtk_widget_pick (GTK_WIDGET (self->column_view), x, y, GTK_PICK_DEFAULT);
  for (GtkWidget *w = picked; w != NULL && w != GTK_WIDGET (self->column_view);
       w = gtk_widget_get_parent (w))
    {
      /* The label, or the column view's cell around it where the label does not fill it
       * (the vulnerabilities pill). */
      GtkWidget *child = gtk_widget_get_first_child (w);
      WharfImage *image = wharf_images_view_cell_get_image (w);

      if (image == NULL && child != NULL)
        image = wharf_images_view_cell_get_image (child);
      if (image != NULL)
        {
          item = G_OBJECT (image);
          break;
        }
    }

  if (item != NULL)
    {
      guint position = find_position (self, item);

      if (position != GTK_INVALID_LIST_POSITION &&
          !gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), position))
        gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
    }

  if (self->context_menu == NULL)
    {
      self->context_menu = gtk_popover_menu_new_from_model (self->image_menu);
      gtk_widget_set_parent (self->context_menu, GTK_WIDGET (self->column_view));
      gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
      gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);
    }

  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu), &rect);
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}


void
wharf_images_view_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "repo.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "repo.load-rest", NULL, load_rest_action);
  gtk_widget_class_install_action (widget_class, "repo.push-commands", NULL, push_commands_action);
  gtk_widget_class_install_action (widget_class, "image.copy-uri", "s", copy_uri_action);
  gtk_widget_class_install_action (widget_class, "image.copy-pull", "s", copy_pull_action);
  gtk_widget_class_install_action (widget_class, "image.scan", NULL, scan_action);
  gtk_widget_class_install_action (widget_class, "image.show-details", NULL, show_details_action);
  gtk_widget_class_install_action (widget_class, "image.delete", NULL, delete_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "image.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "repo.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "image.copy-uri", "s", "tag");
}

void
wharf_images_view_init_actions (WharfImagesView *self)
{
  GtkGesture *gesture;

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  g_signal_connect (gesture, "pressed", G_CALLBACK (context_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), GTK_EVENT_CONTROLLER (gesture));
}
