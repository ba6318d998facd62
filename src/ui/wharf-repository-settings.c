/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-repository-settings"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-repository-settings.h"

#include "wharf-ecr-validate.h"
#include "wharf-problem-host.h"

struct _WharfRepositorySettings
{
  AdwBin               parent_instance;

  WharfEcrClient      *client;
  WharfRepository     *repository;
  GCancellable        *cancellable;
  gboolean             updating;     /* the UI is being set from the model */
  GPtrArray           *filter_rows;  /* AdwEntryRow */
  GPtrArray           *tag_rows;     /* AdwActionRow, "tag-key" data */

  GtkRevealer         *refusal_revealer;
  GtkLabel            *refusal_label;
  WharfProblemView    *refusal_problem;
  AdwActionRow        *uri_row;
  AdwActionRow        *arn_row;
  AdwActionRow        *registry_row;
  AdwActionRow        *created_row;
  AdwActionRow        *encryption_row;
  GtkSwitch           *immutable_switch;
  AdwPreferencesGroup *filters_group;
  GtkWidget           *add_filter_button;
  GtkSwitch           *scan_switch;
  AdwPreferencesGroup *resource_tags_group;
  AdwEntryRow         *new_tag_key_row;
  AdwEntryRow         *new_tag_value_row;
};

G_DEFINE_FINAL_TYPE (WharfRepositorySettings, wharf_repository_settings, ADW_TYPE_BIN)

enum {
  CHANGED,
  SHOW_TOAST,
  CREDENTIALS_FAILED,
  REPOSITORY_GONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void wharf_repository_settings_sync (WharfRepositorySettings *self);

static void
toast (WharfRepositorySettings *self,
       const char              *message)
{
  g_signal_emit (self, signals[SHOW_TOAST], 0, message);
}

/* ECR no longer knows the repository (deleted elsewhere): "repository-gone" lets the page
 * drop it. TRUE when @error says so. A missing lifecycle policy is also NOT_FOUND, so the
 * AWS code decides. */
static gboolean
repository_gone (WharfRepositorySettings *self,
                 const GError            *error)
{
  if (g_strcmp0 (wharf_aws_error_get_aws_code (error), "RepositoryNotFoundException") != 0)
    return FALSE;

  g_signal_emit (self, signals[REPOSITORY_GONE], 0);
  return TRUE;
}

/* Says what ECR refused and that the screen shows the previous value again. */
static void
report_refusal (WharfRepositorySettings *self,
                const char              *what,
                const GError            *error)
{
  g_autofree char *message = NULL;

  if (repository_gone (self, error))
    return;

  if (g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_EXPIRED_CREDENTIALS) ||
      g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_CREDENTIALS))
    g_signal_emit (self, signals[CREDENTIALS_FAILED], 0, error->message);

  /* Translators: the first %s says what was changed ("Tag immutability"), the second is
   * the service's error message */
  message = g_strdup_printf (_("%s was not changed: %s"), what, error->message);

  /* Stays until dismissed or the next change succeeds: the switch moved back, and the
   * person should be able to read why. */
  gtk_label_set_label (self->refusal_label, message);
  wharf_problem_view_show_error (self->refusal_problem, error,
                                 self->repository ? wharf_repository_get_name (self->repository) : NULL,
                                 self->repository ? wharf_repository_get_kms_key (self->repository) : NULL);
  gtk_revealer_set_reveal_child (self->refusal_revealer, TRUE);
}

static void
toast_success (WharfRepositorySettings *self,
               const char              *message)
{
  gtk_revealer_set_reveal_child (self->refusal_revealer, FALSE);
  toast (self, message);
}

static void
dismiss_refusal_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  WharfRepositorySettings *self = WHARF_REPOSITORY_SETTINGS (widget);

  gtk_revealer_set_reveal_child (self->refusal_revealer, FALSE);
}

/* ---- Refreshing after a change ---- */

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(WharfRepositorySettings) self = user_data;
  g_autoptr(GPtrArray) repositories = NULL;
  g_autoptr(GError) error = NULL;

  repositories = wharf_ecr_client_describe_repositories_finish (WHARF_ECR_CLIENT (object), result,
                                                                NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL && repository_gone (self, error))
    return;

  if (error != NULL || repositories->len == 0)
    {
      if (error != NULL)
        g_warning ("Could not read the repository again: %s", error->message);
      return;
    }

  g_set_object (&self->repository, g_ptr_array_index (repositories, 0));
  wharf_repository_settings_sync (self);
  g_signal_emit (self, signals[CHANGED], 0, self->repository);
}

static void
refresh (WharfRepositorySettings *self)
{
  const char *names[2] = { wharf_repository_get_name (self->repository), NULL };

  wharf_ecr_client_describe_repositories_async (self->client, names, 0, NULL, self->cancellable,
                                                refresh_cb, g_object_ref (self));
}

/* After a switch's change was sent: on success, say what the switch now means and read the
 * repository again; on a refusal, say why and put the switch back. @error: NULL on success. */
static void
switch_change_done (WharfRepositorySettings *self,
                    const GError            *error,
                    const char              *what,
                    GtkSwitch               *sw,
                    const char              *on_message,
                    const char              *off_message)
{
  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      report_refusal (self, what, error);
      wharf_repository_settings_sync (self);
      return;
    }

  toast_success (self, gtk_switch_get_active (sw) ? on_message : off_message);
  refresh (self);
}

/* ---- Tag immutability ---- */

static char **
collect_filters (WharfRepositorySettings *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->filter_rows->len; i++)
    {
      const char *text = gtk_editable_get_text (g_ptr_array_index (self->filter_rows, i));

      if (*text != '\0')
        g_strv_builder_add (builder, text);
    }

  return g_strv_builder_end (builder);
}

static void
put_mutability_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(WharfRepositorySettings) self = user_data;
  g_autoptr(GError) error = NULL;

  wharf_ecr_client_put_image_tag_mutability_finish (WHARF_ECR_CLIENT (object), result, &error);
  switch_change_done (self, error, _("Tag immutability"), self->immutable_switch,
                      _("Tags are now immutable"), _("Tags are now mutable"));
}

static void
apply_mutability (WharfRepositorySettings *self)
{
  g_auto(GStrv) filters = collect_filters (self);
  gboolean immutable = gtk_switch_get_active (self->immutable_switch);
  gboolean with_filters = filters[0] != NULL;
  WharfTagMutability mutability;

  for (guint i = 0; filters[i] != NULL; i++)
    {
      g_autofree char *reason = NULL;

      if (!wharf_ecr_validate_tag_mutability_filter (filters[i], &reason))
        {
          toast (self, reason);
          wharf_repository_settings_sync (self);
          return;
        }
    }

  if (immutable)
    mutability = with_filters ? WHARF_TAG_MUTABILITY_IMMUTABLE_WITH_EXCLUSION
                              : WHARF_TAG_MUTABILITY_IMMUTABLE;
  else
    mutability = with_filters ? WHARF_TAG_MUTABILITY_MUTABLE_WITH_EXCLUSION
                              : WHARF_TAG_MUTABILITY_MUTABLE;

  wharf_ecr_client_put_image_tag_mutability_async (self->client,
                                                   wharf_repository_get_name (self->repository),
                                                   mutability,
                                                   (const char * const *) filters,
                                                   self->cancellable,
                                                   put_mutability_cb, g_object_ref (self));
}

static gboolean
immutable_state_set_cb (WharfRepositorySettings *self,
                        gboolean                 state,
                        GtkSwitch               *sw)
{
  if (self->updating || self->repository == NULL)
    return FALSE;

  apply_mutability (self);
  return FALSE;
}

static void
filter_applied_cb (WharfRepositorySettings *self)
{
  if (self->updating || self->repository == NULL)
    return;

  apply_mutability (self);
}

static void
remove_filter_clicked_cb (WharfRepositorySettings *self,
                          GtkButton               *button)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_ENTRY_ROW);
  gboolean had_text;

  if (row == NULL)
    return;

  had_text = *gtk_editable_get_text (GTK_EDITABLE (row)) != '\0';
  g_ptr_array_remove (self->filter_rows, row);
  adw_preferences_group_remove (self->filters_group, row);
  gtk_widget_set_sensitive (self->add_filter_button,
                            self->filter_rows->len < WHARF_ECR_TAG_MUTABILITY_FILTERS_MAX);
  if (had_text)
    apply_mutability (self);
}

static AdwEntryRow *
add_filter_row (WharfRepositorySettings *self,
                const char              *text)
{
  GtkWidget *row = adw_entry_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  GtkWidget *apply;
  g_autofree char *title = NULL;

  /* Translators: %u is the number of an exception pattern, 1 to 5 */
  title = g_strdup_printf (_("Exception %u"), self->filter_rows->len + 1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_signal_connect_object (row, "entry-activated", G_CALLBACK (filter_applied_cb), self,
                           G_CONNECT_SWAPPED);

  /* Not AdwEntryRow's own apply button: in libadwaita 1.2 it has no accessible name. */
  apply = gtk_button_new_from_icon_name ("object-select-symbolic");
  gtk_widget_set_valign (apply, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (apply, "flat");
  gtk_widget_set_tooltip_text (apply, _("Apply"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (apply), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Apply"), -1);
  g_signal_connect_object (apply, "clicked", G_CALLBACK (filter_applied_cb), self,
                           G_CONNECT_SWAPPED);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), apply);

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove Exception"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Remove Exception"), -1);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_filter_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), remove);

  g_ptr_array_add (self->filter_rows, row);
  adw_preferences_group_add (self->filters_group, row);
  gtk_widget_set_sensitive (self->add_filter_button,
                            self->filter_rows->len < WHARF_ECR_TAG_MUTABILITY_FILTERS_MAX);

  return ADW_ENTRY_ROW (row);
}

static void
add_filter_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  WharfRepositorySettings *self = WHARF_REPOSITORY_SETTINGS (widget);
  AdwEntryRow *row;

  if (self->filter_rows->len >= WHARF_ECR_TAG_MUTABILITY_FILTERS_MAX)
    return;

  row = add_filter_row (self, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (row));
}

/* ---- Scan on push ---- */

static void
put_scanning_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(WharfRepositorySettings) self = user_data;
  g_autoptr(GError) error = NULL;

  wharf_ecr_client_put_image_scanning_configuration_finish (WHARF_ECR_CLIENT (object), result,
                                                            &error);
  switch_change_done (self, error, _("Scan on push"), self->scan_switch,
                      _("Images will be scanned when pushed"),
                      _("Images will no longer be scanned when pushed"));
}

static gboolean
scan_state_set_cb (WharfRepositorySettings *self,
                   gboolean                 state,
                   GtkSwitch               *sw)
{
  if (self->updating || self->repository == NULL)
    return FALSE;

  wharf_ecr_client_put_image_scanning_configuration_async (self->client,
                                                           wharf_repository_get_name (self->repository),
                                                           state, self->cancellable,
                                                           put_scanning_cb, g_object_ref (self));
  return FALSE;
}

/* ---- Resource tags ---- */

static void remove_tag_clicked_cb (WharfRepositorySettings *self,
                                   GtkButton               *button);

static void
clear_tag_rows (WharfRepositorySettings *self)
{
  for (guint i = 0; i < self->tag_rows->len; i++)
    adw_preferences_group_remove (self->resource_tags_group, g_ptr_array_index (self->tag_rows, i));
  g_ptr_array_set_size (self->tag_rows, 0);
}

static void
add_tag_row (WharfRepositorySettings *self,
             const char              *key,
             const char              *value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autofree char *remove_label = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), key);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), *value != '\0' ? value : _("(no value)"));
  gtk_widget_add_css_class (row, "property");
  g_object_set_data_full (G_OBJECT (row), "tag-key", g_strdup (key), g_free);

  /* Translators: %s is a resource tag key */
  remove_label = g_strdup_printf (_("Remove Tag “%s”"), key);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  remove_label, -1);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_tag_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);

  /* Keep the two "new tag" rows last. */
  g_object_ref (self->new_tag_key_row);
  g_object_ref (self->new_tag_value_row);
  adw_preferences_group_remove (self->resource_tags_group, GTK_WIDGET (self->new_tag_key_row));
  adw_preferences_group_remove (self->resource_tags_group, GTK_WIDGET (self->new_tag_value_row));
  adw_preferences_group_add (self->resource_tags_group, row);
  adw_preferences_group_add (self->resource_tags_group, GTK_WIDGET (self->new_tag_key_row));
  adw_preferences_group_add (self->resource_tags_group, GTK_WIDGET (self->new_tag_value_row));
  g_object_unref (self->new_tag_key_row);
  g_object_unref (self->new_tag_value_row);

  g_ptr_array_add (self->tag_rows, row);
}

static void
list_tags_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(WharfRepositorySettings) self = user_data;
  g_autoptr(GPtrArray) tags = NULL;
  g_autoptr(GError) error = NULL;

  tags = wharf_ecr_client_list_tags_for_resource_finish (WHARF_ECR_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  clear_tag_rows (self);
  if (error != NULL && repository_gone (self, error))
    return;
  if (error != NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the error message */
      message = g_strdup_printf (_("Could not read the resource tags: %s"), error->message);
      toast (self, message);
      return;
    }

  for (guint i = 0; i < tags->len; i++)
    {
      WharfResourceTag *tag = g_ptr_array_index (tags, i);
      add_tag_row (self, tag->key, tag->value != NULL ? tag->value : "");
    }
}

typedef struct
{
  WharfRepositorySettings *self;
  char                    *key;
  char                    *value;
} TagData;

static void
tag_data_free (TagData *data)
{
  g_clear_object (&data->self);
  g_free (data->key);
  g_free (data->value);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TagData, tag_data_free)

static TagData *
tag_data_new (WharfRepositorySettings *self,
              const char              *key,
              const char              *value)
{
  TagData *data = g_new0 (TagData, 1);

  data->self = g_object_ref (self);
  data->key = g_strdup (key);
  data->value = g_strdup (value);
  return data;
}

static void
tag_resource_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TagData) data = user_data;
  WharfRepositorySettings *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!wharf_ecr_client_tag_resource_finish (WHARF_ECR_CLIENT (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* What was typed stays in the rows, so it can be corrected. */
      report_refusal (self, _("Resource tags"), error);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->new_tag_key_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->new_tag_value_row), "");
  /* Translators: %s is a resource tag key */
  message = g_strdup_printf (_("Tag “%s” saved"), data->key);
  toast_success (self, message);

  wharf_ecr_client_list_tags_for_resource_async (self->client,
                                                 wharf_repository_get_arn (self->repository),
                                                 self->cancellable, list_tags_cb,
                                                 g_object_ref (self));
}

static void
add_tag_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  WharfRepositorySettings *self = WHARF_REPOSITORY_SETTINGS (widget);
  const char *key = gtk_editable_get_text (GTK_EDITABLE (self->new_tag_key_row));
  const char *value = gtk_editable_get_text (GTK_EDITABLE (self->new_tag_value_row));
  g_autoptr(GPtrArray) tags = NULL;
  g_autofree char *reason = NULL;

  if (self->repository == NULL)
    return;

  gtk_widget_remove_css_class (GTK_WIDGET (self->new_tag_key_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->new_tag_value_row), "error");

  if (!wharf_ecr_validate_resource_tag_key (key, &reason))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->new_tag_key_row), "error");
      toast (self, reason);
      return;
    }
  if (!wharf_ecr_validate_resource_tag_value (value, &reason))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->new_tag_value_row), "error");
      toast (self, reason);
      return;
    }

  tags = g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_resource_tag_free);
  g_ptr_array_add (tags, wharf_resource_tag_new (key, value));
  wharf_ecr_client_tag_resource_async (self->client, wharf_repository_get_arn (self->repository),
                                       tags, self->cancellable, tag_resource_cb,
                                       tag_data_new (self, key, value));
}

static void
add_tag_activated_cb (WharfRepositorySettings *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "settings.add-tag", NULL);
}

static void
untag_resource_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TagData) data = user_data;
  WharfRepositorySettings *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!wharf_ecr_client_untag_resource_finish (WHARF_ECR_CLIENT (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      report_refusal (self, _("Resource tags"), error);
      return;
    }

  for (guint i = 0; i < self->tag_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->tag_rows, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "tag-key"), data->key) == 0)
        {
          adw_preferences_group_remove (self->resource_tags_group, row);
          g_ptr_array_remove_index (self->tag_rows, i);
          break;
        }
    }

  /* Translators: %s is a resource tag key */
  message = g_strdup_printf (_("Tag “%s” removed"), data->key);
  toast_success (self, message);
}

static void
remove_tag_clicked_cb (WharfRepositorySettings *self,
                       GtkButton               *button)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_ACTION_ROW);
  const char *key;
  const char *keys[2] = { NULL, NULL };

  if (row == NULL || self->repository == NULL)
    return;

  key = g_object_get_data (G_OBJECT (row), "tag-key");
  keys[0] = key;
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  wharf_ecr_client_untag_resource_async (self->client, wharf_repository_get_arn (self->repository),
                                         keys, self->cancellable, untag_resource_cb,
                                         tag_data_new (self, key, NULL));
}

/* ---- Model → UI ---- */

static void
wharf_repository_settings_sync (WharfRepositorySettings *self)
{
  WharfRepository *repository = self->repository;
  WharfTagMutability mutability;
  const char * const *filters;

  self->updating = TRUE;

  for (guint i = 0; i < self->filter_rows->len; i++)
    adw_preferences_group_remove (self->filters_group, g_ptr_array_index (self->filter_rows, i));
  g_ptr_array_set_size (self->filter_rows, 0);

  if (repository == NULL)
    {
      self->updating = FALSE;
      return;
    }

  adw_action_row_set_subtitle (self->uri_row, wharf_repository_get_uri (repository));
  adw_action_row_set_subtitle (self->arn_row, wharf_repository_get_arn (repository));
  adw_action_row_set_subtitle (self->registry_row, wharf_repository_get_registry_id (repository));

  if (wharf_repository_get_created_at (repository) != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (wharf_repository_get_created_at (repository));
      /* Translators: a date and time, see g_date_time_format () */
      g_autofree char *text = g_date_time_format (local, _("%-d %B %Y, %H:%M"));
      adw_action_row_set_subtitle (self->created_row, g_strstrip (text));
    }
  else
    adw_action_row_set_subtitle (self->created_row, _("Unknown"));

  {
    WharfEncryptionType type = wharf_repository_get_encryption_type (repository);
    const char *key = wharf_repository_get_kms_key (repository);
    g_autofree char *text = NULL;

    if (type == WHARF_ENCRYPTION_TYPE_AES256)
      text = g_strdup (_("AES-256, managed by ECR"));
    else if (type == WHARF_ENCRYPTION_TYPE_UNKNOWN)
      text = g_strdup (wharf_encryption_type_get_label (type));
    else if (key != NULL)
      /* Translators: first %s is "AWS KMS" or "Dual-layer AWS KMS", the second a key ARN */
      text = g_strdup_printf (_("%s with key %s"), wharf_encryption_type_get_label (type), key);
    else
      /* Translators: %s is "AWS KMS" or "Dual-layer AWS KMS" */
      text = g_strdup_printf (_("%s with the AWS managed key"), wharf_encryption_type_get_label (type));
    adw_action_row_set_subtitle (self->encryption_row, text);
  }

  mutability = wharf_repository_get_tag_mutability (repository);
  /* The switch can only say immutable or not; a value from a newer ECR is named beside it. */
  adw_action_row_set_subtitle (ADW_ACTION_ROW (gtk_widget_get_ancestor (GTK_WIDGET (self->immutable_switch),
                                                                        ADW_TYPE_ACTION_ROW)),
                               mutability == WHARF_TAG_MUTABILITY_UNKNOWN
                                 ? wharf_tag_mutability_get_label (mutability) : "");
  gtk_switch_set_active (self->immutable_switch,
                         mutability == WHARF_TAG_MUTABILITY_IMMUTABLE ||
                         mutability == WHARF_TAG_MUTABILITY_IMMUTABLE_WITH_EXCLUSION);
  gtk_switch_set_state (self->immutable_switch, gtk_switch_get_active (self->immutable_switch));
  filters = wharf_repository_get_exclusion_filters (repository);
  for (guint i = 0; filters != NULL && filters[i] != NULL; i++)
    add_filter_row (self, filters[i]);
  gtk_widget_set_sensitive (self->add_filter_button,
                            self->filter_rows->len < WHARF_ECR_TAG_MUTABILITY_FILTERS_MAX);

  gtk_switch_set_active (self->scan_switch, wharf_repository_get_scan_on_push (repository));
  gtk_switch_set_state (self->scan_switch, wharf_repository_get_scan_on_push (repository));

  self->updating = FALSE;
}

void
wharf_repository_settings_set_repository (WharfRepositorySettings *self,
                                          WharfEcrClient          *client,
                                          WharfRepository         *repository)
{
  g_return_if_fail (WHARF_IS_REPOSITORY_SETTINGS (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_set_object (&self->client, client);
  g_set_object (&self->repository, repository);

  gtk_revealer_set_reveal_child (self->refusal_revealer, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->new_tag_key_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->new_tag_value_row), "");
  clear_tag_rows (self);
  wharf_repository_settings_sync (self);

  if (client != NULL && repository != NULL)
    wharf_ecr_client_list_tags_for_resource_async (client, wharf_repository_get_arn (repository),
                                                   self->cancellable, list_tags_cb,
                                                   g_object_ref (self));
}

static void
wharf_repository_settings_dispose (GObject *object)
{
  WharfRepositorySettings *self = WHARF_REPOSITORY_SETTINGS (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), WHARF_TYPE_REPOSITORY_SETTINGS);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->repository);
  g_clear_pointer (&self->filter_rows, g_ptr_array_unref);
  g_clear_pointer (&self->tag_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (wharf_repository_settings_parent_class)->dispose (object);
}

static void
wharf_repository_settings_class_init (WharfRepositorySettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wharf_repository_settings_dispose;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, WHARF_TYPE_REPOSITORY);
  signals[SHOW_TOAST] = g_signal_new ("show-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[CREDENTIALS_FAILED] = g_signal_new ("credentials-failed", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                              G_TYPE_NONE, 1, G_TYPE_STRING);
  /* "repository-gone": ECR no longer knows the repository shown (deleted elsewhere). */
  signals[REPOSITORY_GONE] = g_signal_new ("repository-gone", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);

  g_type_ensure (WHARF_TYPE_PROBLEM_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/wharf-repository-settings.ui");
  gtk_widget_class_bind_template_child (widget_class, WharfRepositorySettings, refusal_revealer);
  gtk_widget_class_bind_template_child (widget_class, WharfRepositorySettings, refusal_label);
  gtk_widget_class_bind_template_child (widget_class, WharfRepositorySettings, refusal_problem);
  gtk_widget_class_bind_template_child (widget_class, WharfRepositorySettings, uri_row);
  gtk_widget_class_bind_template_child (widget_class, WharfRepositorySettings, arn_row);
  gtk_widget_class_bind_template_child (widget_class, WharfRepositorySettings, registry_row);
  gtk_widget_class_bind_template_child (widget_class, WharfRepositorySettings, created_row);
  gtk_widget_class_bind_template_child (widget_class, WharfRepositorySettings, encryption_row);
  gtk_widget_class_bind_template_child (widget_class, WharfRepositorySettings, immutable_switch);
  gtk_widget_class_bind_template_child (widget_class, WharfRepositorySettings, filters_group);
  gtk_widget_class_bind_template_child (widget_class, WharfRepositorySettings, add_filter_button);
  gtk_widget_class_bind_template_child (widget_class, WharfRepositorySettings, scan_switch);
  gtk_widget_class_bind_template_child (widget_class, WharfRepositorySettings, resource_tags_group);
  gtk_widget_class_bind_template_child (widget_class, WharfRepositorySettings, new_tag_key_row);
  gtk_widget_class_bind_template_child (widget_class, WharfRepositorySettings, new_tag_value_row);
  gtk_widget_class_bind_template_callback (widget_class, immutable_state_set_cb);
  gtk_widget_class_bind_template_callback (widget_class, scan_state_set_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_tag_activated_cb);

  gtk_widget_class_install_action (widget_class, "settings.add-filter", NULL, add_filter_action);
  gtk_widget_class_install_action (widget_class, "settings.add-tag", NULL, add_tag_action);
  gtk_widget_class_install_action (widget_class, "settings.dismiss-refusal", NULL,
                                   dismiss_refusal_action);
}

static void
wharf_repository_settings_init (WharfRepositorySettings *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  wharf_problem_view_connect_fix (self->refusal_problem, NULL);

  self->cancellable = g_cancellable_new ();
  self->filter_rows = g_ptr_array_new ();
  self->tag_rows = g_ptr_array_new ();
}
