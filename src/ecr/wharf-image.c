/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-image"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-image.h"

#include "wharf-ecr-enums.h"
#include "wharf-ecr-json-private.h"

struct _WharfImage
{
  GObject          parent_instance;

  char            *digest;
  GStrv            tags;
  char            *tags_text;
  gint64           size;
  GDateTime       *pushed_at;
  GDateTime       *last_recorded_pull_time;
  char            *image_manifest_media_type;
  char            *artifact_media_type;
  char            *repository_name;
  char            *registry_id;

  WharfScanStatus  scan_status;
  char            *scan_status_description;
  gboolean         has_scan_summary;
  int              counts[WHARF_N_SEVERITIES];
  GDateTime       *scan_completed_at;
};

G_DEFINE_FINAL_TYPE (WharfImage, wharf_image, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DIGEST,
  PROP_TAGS,
  PROP_IS_TAGGED,
  PROP_TAGS_TEXT,
  PROP_SIZE,
  PROP_PUSHED_AT,
  PROP_LAST_RECORDED_PULL_TIME,
  PROP_IMAGE_MANIFEST_MEDIA_TYPE,
  PROP_ARTIFACT_MEDIA_TYPE,
  PROP_REPOSITORY_NAME,
  PROP_REGISTRY_ID,
  PROP_SCAN_STATUS,
  PROP_SCAN_STATUS_DESCRIPTION,
  PROP_HAS_SCAN_SUMMARY,
  /* In WharfSeverity order. */
  PROP_CRITICAL,
  PROP_HIGH,
  PROP_MEDIUM,
  PROP_LOW,
  PROP_INFORMATIONAL,
  PROP_UNDEFINED,
  PROP_TOTAL_FINDINGS,
  PROP_SCAN_COMPLETED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
wharf_image_finalize (GObject *object)
{
  WharfImage *self = (WharfImage *) object;

  g_free (self->digest);
  g_strfreev (self->tags);
  g_free (self->tags_text);
  g_clear_pointer (&self->pushed_at, g_date_time_unref);
  g_clear_pointer (&self->last_recorded_pull_time, g_date_time_unref);
  g_free (self->image_manifest_media_type);
  g_free (self->artifact_media_type);
  g_free (self->repository_name);
  g_free (self->registry_id);
  g_free (self->scan_status_description);
  g_clear_pointer (&self->scan_completed_at, g_date_time_unref);

  G_OBJECT_CLASS (wharf_image_parent_class)->finalize (object);
}

static void
wharf_image_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  WharfImage *self = WHARF_IMAGE (object);

  switch (prop_id)
    {
    case PROP_DIGEST:
      g_value_set_string (value, self->digest);
      break;
    case PROP_TAGS:
      g_value_set_boxed (value, self->tags);
      break;
    case PROP_IS_TAGGED:
      g_value_set_boolean (value, wharf_image_get_is_tagged (self));
      break;
    case PROP_TAGS_TEXT:
      g_value_set_string (value, wharf_image_get_tags_text (self));
      break;
    case PROP_SIZE:
      g_value_set_int64 (value, self->size);
      break;
    case PROP_PUSHED_AT:
      g_value_set_boxed (value, self->pushed_at);
      break;
    case PROP_LAST_RECORDED_PULL_TIME:
      g_value_set_boxed (value, self->last_recorded_pull_time);
      break;
    case PROP_IMAGE_MANIFEST_MEDIA_TYPE:
      g_value_set_string (value, self->image_manifest_media_type);
      break;
    case PROP_ARTIFACT_MEDIA_TYPE:
      g_value_set_string (value, self->artifact_media_type);
      break;
    case PROP_REPOSITORY_NAME:
      g_value_set_string (value, self->repository_name);
      break;
    case PROP_REGISTRY_ID:
      g_value_set_string (value, self->registry_id);
      break;
    case PROP_SCAN_STATUS:
      g_value_set_enum (value, self->scan_status);
      break;
    case PROP_SCAN_STATUS_DESCRIPTION:
      g_value_set_string (value, self->scan_status_description);
      break;
    case PROP_HAS_SCAN_SUMMARY:
      g_value_set_boolean (value, self->has_scan_summary);
      break;
    case PROP_CRITICAL:
    case PROP_HIGH:
    case PROP_MEDIUM:
    case PROP_LOW:
    case PROP_INFORMATIONAL:
    case PROP_UNDEFINED:
      g_value_set_int (value, wharf_image_get_severity_count (self, prop_id - PROP_CRITICAL));
      break;
    case PROP_TOTAL_FINDINGS:
      g_value_set_int (value, wharf_image_get_total_findings (self));
      break;
    case PROP_SCAN_COMPLETED_AT:
      g_value_set_boxed (value, self->scan_completed_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wharf_image_class_init (WharfImageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = wharf_image_finalize;
  object_class->get_property = wharf_image_get_property;

  properties[PROP_DIGEST] = g_param_spec_string ("digest", NULL, NULL, NULL, flags);
  properties[PROP_TAGS] = g_param_spec_boxed ("tags", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_IS_TAGGED] = g_param_spec_boolean ("is-tagged", NULL, NULL, FALSE, flags);
  properties[PROP_TAGS_TEXT] = g_param_spec_string ("tags-text", NULL, NULL, NULL, flags);
  properties[PROP_SIZE] = g_param_spec_int64 ("size", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_PUSHED_AT] = g_param_spec_boxed ("pushed-at", NULL, NULL, G_TYPE_DATE_TIME,
                                                   flags);
  properties[PROP_LAST_RECORDED_PULL_TIME] =
    g_param_spec_boxed ("last-recorded-pull-time", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_IMAGE_MANIFEST_MEDIA_TYPE] =
    g_param_spec_string ("image-manifest-media-type", NULL, NULL, NULL, flags);
  properties[PROP_ARTIFACT_MEDIA_TYPE] =
    g_param_spec_string ("artifact-media-type", NULL, NULL, NULL, flags);
  properties[PROP_REPOSITORY_NAME] = g_param_spec_string ("repository-name", NULL, NULL, NULL,
                                                          flags);
  properties[PROP_REGISTRY_ID] = g_param_spec_string ("registry-id", NULL, NULL, NULL, flags);
  properties[PROP_SCAN_STATUS] =
    g_param_spec_enum ("scan-status", NULL, NULL, WHARF_TYPE_SCAN_STATUS,
                       WHARF_SCAN_STATUS_NONE, flags);
  properties[PROP_SCAN_STATUS_DESCRIPTION] =
    g_param_spec_string ("scan-status-description", NULL, NULL, NULL, flags);
  properties[PROP_HAS_SCAN_SUMMARY] = g_param_spec_boolean ("has-scan-summary", NULL, NULL, FALSE,
                                                            flags);
  properties[PROP_CRITICAL] = g_param_spec_int ("critical", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_HIGH] = g_param_spec_int ("high", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_MEDIUM] = g_param_spec_int ("medium", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_LOW] = g_param_spec_int ("low", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_INFORMATIONAL] = g_param_spec_int ("informational", NULL, NULL, -1, G_MAXINT, -1,
                                                     flags);
  properties[PROP_UNDEFINED] = g_param_spec_int ("undefined", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_TOTAL_FINDINGS] = g_param_spec_int ("total-findings", NULL, NULL, -1, G_MAXINT,
                                                      -1, flags);
  properties[PROP_SCAN_COMPLETED_AT] =
    g_param_spec_boxed ("scan-completed-at", NULL, NULL, G_TYPE_DATE_TIME, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wharf_image_init (WharfImage *self)
{
  self->size = -1;
}

static gboolean
parse_image (WharfImage *self,
             JsonObject *object,
             GError    **error)
{
  const char *digest, *repository, *registry_id, *manifest_type, *artifact_type;
  JsonObject *scan_status, *summary;

  if (!wharf_ecr_json_get_string (object, "imageDigest", TRUE, &digest, error) ||
      !wharf_ecr_json_get_string (object, "repositoryName", TRUE, &repository, error) ||
      !wharf_ecr_json_get_string (object, "registryId", FALSE, &registry_id, error) ||
      !wharf_ecr_json_get_strv (object, "imageTags", &self->tags, error) ||
      !wharf_ecr_json_get_int (object, "imageSizeInBytes", 0, G_MAXINT64, &self->size, NULL,
                               error) ||
      !wharf_ecr_json_get_timestamp (object, "imagePushedAt", &self->pushed_at, error) ||
      !wharf_ecr_json_get_timestamp (object, "lastRecordedPullTime",
                                     &self->last_recorded_pull_time, error) ||
      !wharf_ecr_json_get_string (object, "imageManifestMediaType", FALSE, &manifest_type, error) ||
      !wharf_ecr_json_get_string (object, "artifactMediaType", FALSE, &artifact_type, error) ||
      !wharf_ecr_json_get_object (object, "imageScanStatus", FALSE, &scan_status, error) ||
      !wharf_ecr_json_get_object (object, "imageScanFindingsSummary", FALSE, &summary, error))
    return FALSE;

  if (!*digest)
    return wharf_ecr_json_bad_value ("imageDigest", error);

  self->digest = g_strdup (digest);
  self->repository_name = g_strdup (repository);
  self->registry_id = g_strdup (registry_id ? registry_id : "");
  self->image_manifest_media_type = g_strdup (manifest_type);
  self->artifact_media_type = g_strdup (artifact_type);

  if (scan_status)
    {
      const char *status, *description;

      if (!wharf_ecr_json_get_string (scan_status, "status", FALSE, &status, error) ||
          !wharf_ecr_json_get_string (scan_status, "description", FALSE, &description, error))
        return FALSE;
      self->scan_status = status ? wharf_scan_status_from_string (status) : WHARF_SCAN_STATUS_NONE;
      self->scan_status_description = g_strdup (description);
    }

  if (summary)
    {
      JsonObject *counts;

      if (!wharf_ecr_json_get_timestamp (summary, "imageScanCompletedAt", &self->scan_completed_at,
                                         error) ||
          !wharf_ecr_json_get_object (summary, "findingSeverityCounts", FALSE, &counts, error))
        return FALSE;
      if (counts && !wharf_ecr_parse_severity_counts (counts, self->counts, error))
        return FALSE;
      /* A summary without counts means no findings. */
      self->has_scan_summary = TRUE;
    }
  else
    {
      guint i;

      for (i = 0; i < WHARF_N_SEVERITIES; i++)
        self->counts[i] = -1;
    }

  return TRUE;
}

WharfImage *
wharf_image_new_from_json (JsonObject  *object,
                           GError     **error)
{
  g_autoptr(WharfImage) self = NULL;

  g_return_val_if_fail (object, NULL);

  self = g_object_new (WHARF_TYPE_IMAGE, NULL);
  if (!parse_image (self, object, error))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
wharf_image_get_digest (WharfImage *self)
{
  g_return_val_if_fail (WHARF_IS_IMAGE (self), NULL);
  return self->digest;
}

const char * const *
wharf_image_get_tags (WharfImage *self)
{
  g_return_val_if_fail (WHARF_IS_IMAGE (self), NULL);
  return (const char * const *) self->tags;
}

gboolean
wharf_image_get_is_tagged (WharfImage *self)
{
  g_return_val_if_fail (WHARF_IS_IMAGE (self), FALSE);
  return self->tags && self->tags[0];
}

const char *
wharf_image_get_tags_text (WharfImage *self)
{
  g_return_val_if_fail (WHARF_IS_IMAGE (self), NULL);

  if (!self->tags_text)
    {
      if (wharf_image_get_is_tagged (self))
        self->tags_text = g_strjoinv (", ", self->tags);
      else
        self->tags_text = g_strdup (_("<untagged>"));
    }
  return self->tags_text;
}

gint64
wharf_image_get_size (WharfImage *self)
{
  g_return_val_if_fail (WHARF_IS_IMAGE (self), -1);
  return self->size;
}

GDateTime *
wharf_image_get_pushed_at (WharfImage *self)
{
  g_return_val_if_fail (WHARF_IS_IMAGE (self), NULL);
  return self->pushed_at;
}

GDateTime *
wharf_image_get_last_recorded_pull_time (WharfImage *self)
{
  g_return_val_if_fail (WHARF_IS_IMAGE (self), NULL);
  return self->last_recorded_pull_time;
}

const char *
wharf_image_get_image_manifest_media_type (WharfImage *self)
{
  g_return_val_if_fail (WHARF_IS_IMAGE (self), NULL);
  return self->image_manifest_media_type;
}

const char *
wharf_image_get_artifact_media_type (WharfImage *self)
{
  g_return_val_if_fail (WHARF_IS_IMAGE (self), NULL);
  return self->artifact_media_type;
}

const char *
wharf_image_get_repository_name (WharfImage *self)
{
  g_return_val_if_fail (WHARF_IS_IMAGE (self), NULL);
  return self->repository_name;
}

const char *
wharf_image_get_registry_id (WharfImage *self)
{
  g_return_val_if_fail (WHARF_IS_IMAGE (self), NULL);
  return self->registry_id;
}

WharfImageId *
wharf_image_dup_id (WharfImage *self)
{
  g_return_val_if_fail (WHARF_IS_IMAGE (self), NULL);
  return wharf_image_id_new (self->digest, self->tags ? self->tags[0] : NULL);
}

WharfScanStatus
wharf_image_get_scan_status (WharfImage *self)
{
  g_return_val_if_fail (WHARF_IS_IMAGE (self), WHARF_SCAN_STATUS_NONE);
  return self->scan_status;
}

const char *
wharf_image_get_scan_status_description (WharfImage *self)
{
  g_return_val_if_fail (WHARF_IS_IMAGE (self), NULL);
  return self->scan_status_description;
}

gboolean
wharf_image_get_has_scan_summary (WharfImage *self)
{
  g_return_val_if_fail (WHARF_IS_IMAGE (self), FALSE);
  return self->has_scan_summary;
}

int
wharf_image_get_severity_count (WharfImage    *self,
                                WharfSeverity  severity)
{
  g_return_val_if_fail (WHARF_IS_IMAGE (self), -1);
  g_return_val_if_fail ((guint) severity < WHARF_N_SEVERITIES, -1);

  if (!self->has_scan_summary)
    return -1;
  return self->counts[severity];
}

int
wharf_image_get_total_findings (WharfImage *self)
{
  gint64 total = 0;
  guint i;

  g_return_val_if_fail (WHARF_IS_IMAGE (self), -1);

  if (!self->has_scan_summary)
    return -1;
  for (i = 0; i < WHARF_N_SEVERITIES; i++)
    total += self->counts[i];
  return (int) MIN (total, G_MAXINT);
}

GDateTime *
wharf_image_get_scan_completed_at (WharfImage *self)
{
  g_return_val_if_fail (WHARF_IS_IMAGE (self), NULL);
  return self->scan_completed_at;
}

void
wharf_image_set_scan_summary (WharfImage      *self,
                              WharfScanStatus  status,
                              const char      *description,
                              const int       *counts,
                              GDateTime       *completed_at)
{
  gboolean had_summary;
  int old_counts[WHARF_N_SEVERITIES];
  guint i;

  g_return_if_fail (WHARF_IS_IMAGE (self));

  g_object_freeze_notify (G_OBJECT (self));

  if (self->scan_status != status)
    {
      self->scan_status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCAN_STATUS]);
    }
  if (g_strcmp0 (self->scan_status_description, description) != 0)
    {
      g_free (self->scan_status_description);
      self->scan_status_description = g_strdup (description);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCAN_STATUS_DESCRIPTION]);
    }

  had_summary = self->has_scan_summary;
  for (i = 0; i < WHARF_N_SEVERITIES; i++)
    old_counts[i] = had_summary ? self->counts[i] : -1;

  self->has_scan_summary = counts ? TRUE : FALSE;
  for (i = 0; i < WHARF_N_SEVERITIES; i++)
    self->counts[i] = counts ? MAX (counts[i], 0) : -1;

  if (had_summary != self->has_scan_summary)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_SCAN_SUMMARY]);
  for (i = 0; i < WHARF_N_SEVERITIES; i++)
    if (old_counts[i] != self->counts[i])
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CRITICAL + i]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL_FINDINGS]);

  if (!(self->scan_completed_at == completed_at ||
        (self->scan_completed_at && completed_at &&
         g_date_time_equal (self->scan_completed_at, completed_at))))
    {
      g_clear_pointer (&self->scan_completed_at, g_date_time_unref);
      self->scan_completed_at = completed_at ? g_date_time_ref (completed_at) : NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCAN_COMPLETED_AT]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}
