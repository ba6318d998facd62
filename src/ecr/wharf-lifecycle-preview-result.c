/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-lifecycle-preview-result"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-lifecycle-preview-result.h"

#include "wharf-ecr-enums.h"
#include "wharf-ecr-json-private.h"

struct _WharfLifecyclePreviewResult
{
  GObject           parent_instance;

  char             *digest;
  GStrv             tags;
  char             *tags_text;
  GDateTime        *pushed_at;
  WharfImageAction  action;
  char             *target_storage_class;
  int               applied_rule_priority;
};

G_DEFINE_FINAL_TYPE (WharfLifecyclePreviewResult, wharf_lifecycle_preview_result, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DIGEST,
  PROP_TAGS,
  PROP_TAGS_TEXT,
  PROP_PUSHED_AT,
  PROP_ACTION,
  PROP_TARGET_STORAGE_CLASS,
  PROP_APPLIED_RULE_PRIORITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
wharf_lifecycle_preview_result_finalize (GObject *object)
{
  WharfLifecyclePreviewResult *self = (WharfLifecyclePreviewResult *) object;

  g_free (self->digest);
  g_strfreev (self->tags);
  g_free (self->tags_text);
  g_clear_pointer (&self->pushed_at, g_date_time_unref);
  g_free (self->target_storage_class);

  G_OBJECT_CLASS (wharf_lifecycle_preview_result_parent_class)->finalize (object);
}

static void
wharf_lifecycle_preview_result_get_property (GObject    *object,
                                             guint       prop_id,
                                             GValue     *value,
                                             GParamSpec *pspec)
{
  WharfLifecyclePreviewResult *self = WHARF_LIFECYCLE_PREVIEW_RESULT (object);

  switch (prop_id)
    {
    case PROP_DIGEST:
      g_value_set_string (value, self->digest);
      break;
    case PROP_TAGS:
      g_value_set_boxed (value, self->tags);
      break;
    case PROP_TAGS_TEXT:
      g_value_set_string (value, self->tags_text);
      break;
    case PROP_PUSHED_AT:
      g_value_set_boxed (value, self->pushed_at);
      break;
    case PROP_ACTION:
      g_value_set_enum (value, self->action);
      break;
    case PROP_TARGET_STORAGE_CLASS:
      g_value_set_string (value, self->target_storage_class);
      break;
    case PROP_APPLIED_RULE_PRIORITY:
      g_value_set_int (value, self->applied_rule_priority);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wharf_lifecycle_preview_result_class_init (WharfLifecyclePreviewResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = wharf_lifecycle_preview_result_finalize;
  object_class->get_property = wharf_lifecycle_preview_result_get_property;

  properties[PROP_DIGEST] = g_param_spec_string ("digest", NULL, NULL, NULL, flags);
  properties[PROP_TAGS] = g_param_spec_boxed ("tags", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_TAGS_TEXT] = g_param_spec_string ("tags-text", NULL, NULL, NULL, flags);
  properties[PROP_PUSHED_AT] = g_param_spec_boxed ("pushed-at", NULL, NULL, G_TYPE_DATE_TIME,
                                                   flags);
  properties[PROP_ACTION] =
    g_param_spec_enum ("action", NULL, NULL, WHARF_TYPE_IMAGE_ACTION, WHARF_IMAGE_ACTION_EXPIRE,
                       flags);
  properties[PROP_TARGET_STORAGE_CLASS] =
    g_param_spec_string ("target-storage-class", NULL, NULL, NULL, flags);
  properties[PROP_APPLIED_RULE_PRIORITY] =
    g_param_spec_int ("applied-rule-priority", NULL, NULL, -1, G_MAXINT, -1, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wharf_lifecycle_preview_result_init (WharfLifecyclePreviewResult *self)
{
  self->applied_rule_priority = -1;
}

WharfLifecyclePreviewResult *
wharf_lifecycle_preview_result_new_from_json (JsonObject  *object,
                                              GError     **error)
{
  g_autoptr(WharfLifecyclePreviewResult) self = NULL;
  const char *digest, *type, *storage_class;
  JsonObject *action;
  gint64 priority = -1;

  g_return_val_if_fail (object, NULL);

  self = g_object_new (WHARF_TYPE_LIFECYCLE_PREVIEW_RESULT, NULL);

  if (!wharf_ecr_json_get_string (object, "imageDigest", TRUE, &digest, error) ||
      !wharf_ecr_json_get_strv (object, "imageTags", &self->tags, error) ||
      !wharf_ecr_json_get_timestamp (object, "imagePushedAt", &self->pushed_at, error) ||
      !wharf_ecr_json_get_object (object, "action", TRUE, &action, error) ||
      !wharf_ecr_json_get_string (action, "type", TRUE, &type, error) ||
      !wharf_ecr_json_get_string (action, "targetStorageClass", FALSE, &storage_class, error) ||
      !wharf_ecr_json_get_int (object, "appliedRulePriority", 1, 999, &priority, NULL, error))
    return NULL;

  if (!wharf_image_action_from_string (type, &self->action))
    {
      wharf_ecr_json_bad_value ("action.type", error);
      return NULL;
    }

  self->digest = g_strdup (digest);
  self->target_storage_class = g_strdup (storage_class);
  self->applied_rule_priority = (int) priority;
  if (self->tags[0])
    self->tags_text = g_strjoinv (", ", self->tags);
  else
    self->tags_text = g_strdup (_("<untagged>"));

  return g_steal_pointer (&self);
}

const char *
wharf_lifecycle_preview_result_get_digest (WharfLifecyclePreviewResult *self)
{
  g_return_val_if_fail (WHARF_IS_LIFECYCLE_PREVIEW_RESULT (self), NULL);
  return self->digest;
}

const char * const *
wharf_lifecycle_preview_result_get_tags (WharfLifecyclePreviewResult *self)
{
  g_return_val_if_fail (WHARF_IS_LIFECYCLE_PREVIEW_RESULT (self), NULL);
  return (const char * const *) self->tags;
}

const char *
wharf_lifecycle_preview_result_get_tags_text (WharfLifecyclePreviewResult *self)
{
  g_return_val_if_fail (WHARF_IS_LIFECYCLE_PREVIEW_RESULT (self), NULL);
  return self->tags_text;
}

GDateTime *
wharf_lifecycle_preview_result_get_pushed_at (WharfLifecyclePreviewResult *self)
{
  g_return_val_if_fail (WHARF_IS_LIFECYCLE_PREVIEW_RESULT (self), NULL);
  return self->pushed_at;
}

WharfImageAction
wharf_lifecycle_preview_result_get_action (WharfLifecyclePreviewResult *self)
{
  g_return_val_if_fail (WHARF_IS_LIFECYCLE_PREVIEW_RESULT (self), WHARF_IMAGE_ACTION_EXPIRE);
  return self->action;
}

const char *
wharf_lifecycle_preview_result_get_target_storage_class (WharfLifecyclePreviewResult *self)
{
  g_return_val_if_fail (WHARF_IS_LIFECYCLE_PREVIEW_RESULT (self), NULL);
  return self->target_storage_class;
}

int
wharf_lifecycle_preview_result_get_applied_rule_priority (WharfLifecyclePreviewResult *self)
{
  g_return_val_if_fail (WHARF_IS_LIFECYCLE_PREVIEW_RESULT (self), -1);
  return self->applied_rule_priority;
}
