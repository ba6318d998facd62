/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-image-details"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-image-details.h"
#include "wharf-image-format.h"

struct _WharfImageDetails
{
  AdwBin             parent_instance;

  GCancellable      *cancellable;
  WharfEcrClient    *client;
  WharfRepository   *repository;
  WharfImage        *image;

  GtkStack          *stack;
  AdwStatusPage     *empty_page;
  GtkLabel          *tags_label;
  GtkLabel          *digest_label;
  GtkLabel          *size_label;
  GtkLabel          *pushed_label;
  GtkLabel          *pulled_label;
  GtkLabel          *scan_label;
  GtkLabel          *media_type_label;
  GtkLabel          *artifact_type_label;
  AdwPreferencesGroup *platforms_group;
  GtkSpinner        *platforms_spinner;
  GtkListBox        *platforms_list;
  GtkLabel          *platforms_error_label;
};

G_DEFINE_FINAL_TYPE (WharfImageDetails, wharf_image_details, ADW_TYPE_BIN)

void
wharf_platform_image_free (WharfPlatformImage *self)
{
  if (self == NULL)
    return;

  g_free (self->os);
  g_free (self->architecture);
  g_free (self->variant);
  g_free (self->digest);
  g_free (self->media_type);
  g_free (self);
}

gboolean
wharf_image_details_is_index_media_type (const char *media_type)
{
  return g_strcmp0 (media_type, "application/vnd.oci.image.index.v1+json") == 0 ||
         g_strcmp0 (media_type, "application/vnd.docker.distribution.manifest.list.v2+json") == 0;
}

static const char *
dup_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

GPtrArray *
wharf_image_details_parse_index (const char  *manifest,
                                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) platforms = NULL;
  JsonNode *root;
  JsonNode *manifests_node;
  JsonArray *manifests;

  g_return_val_if_fail (manifest != NULL, NULL);

  if (!json_parser_load_from_data (parser, manifest, -1, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    goto invalid;

  manifests_node = json_object_get_member (json_node_get_object (root), "manifests");
  if (manifests_node == NULL || !JSON_NODE_HOLDS_ARRAY (manifests_node))
    goto invalid;

  manifests = json_node_get_array (manifests_node);
  platforms = g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_platform_image_free);

  for (guint i = 0; i < json_array_get_length (manifests); i++)
    {
      JsonNode *node = json_array_get_element (manifests, i);
      JsonObject *entry;
      JsonNode *platform_node;
      JsonNode *size_node;
      WharfPlatformImage *platform;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        goto invalid;
      entry = json_node_get_object (node);
      if (dup_string_member (entry, "digest") == NULL)
        goto invalid;

      platform = g_new0 (WharfPlatformImage, 1);
      platform->digest = g_strdup (dup_string_member (entry, "digest"));
      platform->media_type = g_strdup (dup_string_member (entry, "mediaType"));
      platform->size = -1;
      size_node = json_object_get_member (entry, "size");
      if (size_node != NULL && JSON_NODE_HOLDS_VALUE (size_node) &&
          json_node_get_value_type (size_node) == G_TYPE_INT64)
        platform->size = json_node_get_int (size_node);

      platform_node = json_object_get_member (entry, "platform");
      if (platform_node != NULL && JSON_NODE_HOLDS_OBJECT (platform_node))
        {
          JsonObject *p = json_node_get_object (platform_node);

          platform->os = g_strdup (dup_string_member (p, "os"));
          platform->architecture = g_strdup (dup_string_member (p, "architecture"));
          platform->variant = g_strdup (dup_string_member (p, "variant"));
        }
      if (platform->os == NULL)
        platform->os = g_strdup ("unknown");
      if (platform->architecture == NULL)
        platform->architecture = g_strdup ("unknown");

      g_ptr_array_add (platforms, platform);
    }

  return g_steal_pointer (&platforms);

invalid:
  g_set_error_literal (error, WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_DATA,
                       _("The image index is not valid: it has no list of platform manifests."));
  return NULL;
}

WharfImage *
wharf_image_details_get_image (WharfImageDetails *self)
{
  g_return_val_if_fail (WHARF_IS_IMAGE_DETAILS (self), NULL);

  return self->image;
}

static void
clear_platforms (WharfImageDetails *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->platforms_list))) != NULL)
    gtk_list_box_remove (self->platforms_list, child);
  gtk_widget_set_visible (GTK_WIDGET (self->platforms_error_label), FALSE);
}

static void
batch_get_image_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  WharfImageDetails *self;
  g_autoptr(GPtrArray) manifests = NULL;
  g_autoptr(GPtrArray) failures = NULL;
  g_autoptr(GPtrArray) platforms = NULL;
  g_autoptr(GError) error = NULL;
  WharfImageManifest *manifest;

  manifests = wharf_ecr_client_batch_get_image_finish (WHARF_ECR_CLIENT (object), result,
                                                       &failures, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = WHARF_IMAGE_DETAILS (user_data);
  gtk_spinner_stop (self->platforms_spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->platforms_spinner), FALSE);

  if (error == NULL && (manifests == NULL || manifests->len == 0))
    {
      const char *reason = NULL;

      if (failures != NULL && failures->len > 0)
        reason = ((WharfImageFailure *) g_ptr_array_index (failures, 0))->reason;
      g_set_error (&error, WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_DATA, "%s",
                   reason != NULL ? reason : _("The service did not return the image index."));
    }

  if (error == NULL)
    {
      manifest = g_ptr_array_index (manifests, 0);
      if (manifest->manifest == NULL)
        g_set_error_literal (&error, WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_DATA,
                             _("The service did not return the image index."));
      else
        platforms = wharf_image_details_parse_index (manifest->manifest, &error);
    }

  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Could not read the platforms: %s"),
                                               error->message);

      gtk_label_set_text (self->platforms_error_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->platforms_error_label), TRUE);
      return;
    }

  for (guint i = 0; i < platforms->len; i++)
    {
      WharfPlatformImage *platform = g_ptr_array_index (platforms, i);
      g_autofree char *title = NULL;
      g_autofree char *short_digest = wharf_format_short_digest (platform->digest);
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (platform->variant != NULL)
        title = g_strdup_printf ("%s/%s/%s", platform->os, platform->architecture,
                                 platform->variant);
      else
        title = g_strdup_printf ("%s/%s", platform->os, platform->architecture);

      if (platform->size >= 0)
        {
          g_autofree char *size = g_format_size (platform->size);

          /* Translators: a digest and the manifest's size. */
          subtitle = g_strdup_printf (_("%s · manifest %s"), short_digest, size);
        }
      else
        subtitle = g_strdup (short_digest);

      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_tooltip_text (row, platform->digest);
      gtk_list_box_append (self->platforms_list, row);
    }
}

static void
load_platforms (WharfImageDetails *self)
{
  g_autoptr(GPtrArray) ids = NULL;
  static const char * const accepted[] = {
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
    NULL
  };

  ids = g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_image_id_free);
  g_ptr_array_add (ids, wharf_image_id_new (wharf_image_get_digest (self->image), NULL));

  gtk_widget_set_visible (GTK_WIDGET (self->platforms_spinner), TRUE);
  gtk_spinner_start (self->platforms_spinner);

  wharf_ecr_client_batch_get_image_async (self->client,
                                          wharf_repository_get_name (self->repository),
                                          ids, accepted, self->cancellable,
                                          batch_get_image_cb, self);
}

static void
set_value (GtkLabel   *label,
           const char *text)
{
  gtk_label_set_text (label, text != NULL && *text != '\0' ? text : "—");
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), text);
}

static void
update_scan_label (WharfImageDetails *self)
{
  g_autofree char *text = NULL;
  int counts[WHARF_N_SEVERITIES];
  gboolean has_counts;

  if (self->image == NULL)
    return;

  has_counts = wharf_format_image_counts (self->image, counts);
  text = wharf_format_scan_summary (wharf_image_get_scan_status (self->image),
                                    has_counts ? counts : NULL);
  set_value (self->scan_label, text);
}

static void
image_scan_changed_cb (WharfImageDetails *self)
{
  update_scan_label (self);
}

void
wharf_image_details_set_image (WharfImageDetails *self,
                               WharfEcrClient    *client,
                               WharfRepository   *repository,
                               WharfImage        *image,
                               guint              n_selected)
{
  g_return_if_fail (WHARF_IS_IMAGE_DETAILS (self));

  if (self->image == image && image != NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (self->image != NULL)
    g_signal_handlers_disconnect_by_func (self->image, image_scan_changed_cb, self);

  g_set_object (&self->client, client);
  g_set_object (&self->repository, repository);
  g_set_object (&self->image, image);
  clear_platforms (self);
  gtk_widget_set_visible (GTK_WIDGET (self->platforms_group), FALSE);

  if (image == NULL)
    {
      if (n_selected > 1)
        {
          g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                 "%u Image Selected",
                                                                 "%u Images Selected",
                                                                 n_selected),
                                                    n_selected);

          adw_status_page_set_title (self->empty_page, title);
          adw_status_page_set_description (self->empty_page,
                                           _("Copy, scan or delete them with the buttons above the list."));
        }
      else
        {
          adw_status_page_set_title (self->empty_page, _("No Image Selected"));
          adw_status_page_set_description (self->empty_page,
                                           _("Select an image to see its details."));
        }
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  {
    const char * const *tags = wharf_image_get_tags (image);
    g_autofree char *tags_text = g_strjoinv (", ", (char **) tags);
    g_autofree char *size = NULL;
    g_autofree char *pushed = wharf_format_exact_date (wharf_image_get_pushed_at (image));
    g_autofree char *pulled = wharf_format_exact_date (wharf_image_get_last_recorded_pull_time (image));
    g_autofree char *media_type = wharf_format_media_type (wharf_image_get_image_manifest_media_type (image), NULL);
    const char *artifact = wharf_image_get_artifact_media_type (image);

    if (tags[0] == NULL)
      {
        gtk_label_set_text (self->tags_label, _("This image has no tags. Pull it by its digest."));
        gtk_widget_add_css_class (GTK_WIDGET (self->tags_label), "dim-label");
      }
    else
      {
        gtk_label_set_text (self->tags_label, tags_text);
        gtk_widget_remove_css_class (GTK_WIDGET (self->tags_label), "dim-label");
      }

    gtk_label_set_text (self->digest_label, wharf_image_get_digest (image));
    if (wharf_image_get_size (image) >= 0)
      size = g_format_size (wharf_image_get_size (image));
    set_value (self->size_label, size);
    set_value (self->pushed_label, pushed);
    set_value (self->pulled_label, pulled != NULL ? pulled : _("Never"));
    gtk_label_set_text (self->media_type_label, media_type);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->media_type_label),
                                 wharf_image_get_image_manifest_media_type (image));
    if (artifact == NULL ||
        g_str_equal (artifact, "application/vnd.oci.image.config.v1+json") ||
        g_str_equal (artifact, "application/vnd.docker.container.image.v1+json"))
      {
        set_value (self->artifact_type_label, artifact != NULL ? _("Container image") : NULL);
      }
    else
      {
        g_autofree char *artifact_text = wharf_format_media_type (NULL, artifact);

        set_value (self->artifact_type_label, artifact_text);
      }
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->artifact_type_label), artifact);
    update_scan_label (self);

    g_signal_connect_object (image, "notify::total-findings",
                             G_CALLBACK (image_scan_changed_cb), self, G_CONNECT_SWAPPED);
    g_signal_connect_object (image, "notify::scan-status",
                             G_CALLBACK (image_scan_changed_cb), self, G_CONNECT_SWAPPED);
  }

  gtk_stack_set_visible_child_name (self->stack, "details");

  if (client != NULL && repository != NULL &&
      wharf_image_details_is_index_media_type (wharf_image_get_image_manifest_media_type (image)))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->platforms_group), TRUE);
      load_platforms (self);
    }
}

static void
copy_digest_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  WharfImageDetails *self = WHARF_IMAGE_DETAILS (widget);

  if (self->image == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), wharf_image_get_digest (self->image));
}

static void
wharf_image_details_dispose (GObject *object)
{
  WharfImageDetails *self = WHARF_IMAGE_DETAILS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->image != NULL)
    g_signal_handlers_disconnect_by_func (self->image, image_scan_changed_cb, self);
  g_clear_object (&self->image);
  g_clear_object (&self->repository);
  g_clear_object (&self->client);

  /* The template's root is both a bound child and AdwBin's child: let AdwBin drop it
   * first, so that it is not unparented twice. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), WHARF_TYPE_IMAGE_DETAILS);

  G_OBJECT_CLASS (wharf_image_details_parent_class)->dispose (object);
}

static void
wharf_image_details_class_init (WharfImageDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wharf_image_details_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/wharf-image-details.ui");
  gtk_widget_class_bind_template_child (widget_class, WharfImageDetails, stack);
  gtk_widget_class_bind_template_child (widget_class, WharfImageDetails, empty_page);
  gtk_widget_class_bind_template_child (widget_class, WharfImageDetails, tags_label);
  gtk_widget_class_bind_template_child (widget_class, WharfImageDetails, digest_label);
  gtk_widget_class_bind_template_child (widget_class, WharfImageDetails, size_label);
  gtk_widget_class_bind_template_child (widget_class, WharfImageDetails, pushed_label);
  gtk_widget_class_bind_template_child (widget_class, WharfImageDetails, pulled_label);
  gtk_widget_class_bind_template_child (widget_class, WharfImageDetails, scan_label);
  gtk_widget_class_bind_template_child (widget_class, WharfImageDetails, media_type_label);
  gtk_widget_class_bind_template_child (widget_class, WharfImageDetails, artifact_type_label);
  gtk_widget_class_bind_template_child (widget_class, WharfImageDetails, platforms_group);
  gtk_widget_class_bind_template_child (widget_class, WharfImageDetails, platforms_spinner);
  gtk_widget_class_bind_template_child (widget_class, WharfImageDetails, platforms_list);
  gtk_widget_class_bind_template_child (widget_class, WharfImageDetails, platforms_error_label);

  gtk_widget_class_install_action (widget_class, "image.copy-digest", NULL, copy_digest_action);
}

static void
wharf_image_details_init (WharfImageDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}
