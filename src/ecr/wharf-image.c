/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-image"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wharf-image.h"

#include "wharf-ecr-enums.h"
#include "wharf-ecr-json-private.h"

/* A listing holds thousands of images, so each keeps little (issue #10): the strings that
 * repeat from image to image (repository, registry, media types, scan description) are
 * shared interned GRefStrings, the tags one block, and times plain microseconds; a
 * GDateTime is only made when a getter asks for it (for the rows shown, not the list). */

enum {
  TIME_PUSHED,
  TIME_PULLED,
  TIME_SCAN_COMPLETED,
  N_TIMES
};

#define NO_TIME G_MININT64

struct _WharfImage
{
  GObject          parent_instance;

  char            *digest;
  char           **tags;                      /* one block (pack_strv); NULL: untagged */
  char            *tags_text;                 /* built on first use */
  const char      *image_manifest_media_type; /* interned GRefStrings (share_string) */
  const char      *artifact_media_type;
  const char      *repository_name;
  const char      *registry_id;
  const char      *scan_status_description;
  GDateTime      **dates;                     /* N_TIMES, made by the getters; or NULL */
  gint64           size;
  gint64           times[N_TIMES];            /* unix µs, or NO_TIME */

  WharfScanStatus  scan_status;
  gboolean         has_scan_summary;
  int              counts[WHARF_N_SEVERITIES];
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

static const char * const no_tags[] = { NULL };

/* Nullable in, nullable out; release with g_ref_string_release(). */
static const char *
share_string (const char *text)
{
  return text ? g_ref_string_new_intern (text) : NULL;
}

static void
unshare_string (const char **text)
{
  g_clear_pointer ((char **) text, g_ref_string_release);
}

/* @strv in one allocation (the pointers, then the strings), freed with g_free(); NULL for
 * an empty or NULL @strv. */
static char **
pack_strv (const char * const *strv)
{
  gsize n = 0, bytes = 0;
  char **packed;
  char *text;

  if (!strv)
    return NULL;
  for (; strv[n]; n++)
    bytes += strlen (strv[n]) + 1;
  if (n == 0)
    return NULL;

  packed = g_malloc (sizeof (char *) * (n + 1) + bytes);
  text = (char *) (packed + n + 1);
  for (gsize i = 0; i < n; i++)
    {
      gsize len = strlen (strv[i]) + 1;

      memcpy (text, strv[i], len);
      packed[i] = text;
      text += len;
    }
  packed[n] = NULL;
  return packed;
}

static gint64
time_from_date (GDateTime *date)
{
  if (!date)
    return NO_TIME;
  return g_date_time_to_unix (date) * G_USEC_PER_SEC + g_date_time_get_microsecond (date);
}

static GDateTime *
get_date (WharfImage *self,
          guint       which)
{
  gint64 usec = self->times[which];

  if (usec == NO_TIME)
    return NULL;
  if (!self->dates)
    self->dates = g_new0 (GDateTime *, N_TIMES);
  if (!self->dates[which])
    {
      /* Floor division: the seconds of a time before 1970 round down. */
      gint64 seconds = usec / G_USEC_PER_SEC - (usec % G_USEC_PER_SEC < 0 ? 1 : 0);
      g_autoptr(GDateTime) whole = g_date_time_new_from_unix_utc (seconds);

      self->dates[which] = g_date_time_add (whole, usec - seconds * G_USEC_PER_SEC);
    }
  return self->dates[which];
}

static void
free_dates (WharfImage *self)
{
  if (!self->dates)
    return;
  for (guint i = 0; i < N_TIMES; i++)
    g_clear_pointer (&self->dates[i], g_date_time_unref);
  g_clear_pointer (&self->dates, g_free);
}

static void
wharf_image_finalize (GObject *object)
{
  WharfImage *self = (WharfImage *) object;

  g_free (self->digest);
  g_free (self->tags);
  g_free (self->tags_text);
  unshare_string (&self->image_manifest_media_type);
  unshare_string (&self->artifact_media_type);
  unshare_string (&self->repository_name);
  unshare_string (&self->registry_id);
  unshare_string (&self->scan_status_description);
  free_dates (self);

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
      g_value_set_boxed (value, wharf_image_get_tags (self));
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
      g_value_set_boxed (value, wharf_image_get_pushed_at (self));
      break;
    case PROP_LAST_RECORDED_PULL_TIME:
      g_value_set_boxed (value, wharf_image_get_last_recorded_pull_time (self));
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
      g_value_set_boxed (value, wharf_image_get_scan_completed_at (self));
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
  for (guint i = 0; i < N_TIMES; i++)
    self->times[i] = NO_TIME;
}

static gboolean
parse_image (WharfImage *self,
             JsonObject *object,
             GError    **error)
{
  const char *digest, *repository, *registry_id, *manifest_type, *artifact_type;
  JsonObject *scan_status, *summary;
  g_auto(GStrv) tags = NULL;
  g_autoptr(GDateTime) pushed_at = NULL;
  g_autoptr(GDateTime) pulled_at = NULL;

  if (!wharf_ecr_json_get_string (object, "imageDigest", TRUE, &digest, error) ||
      !wharf_ecr_json_get_string (object, "repositoryName", TRUE, &repository, error) ||
      !wharf_ecr_json_get_string (object, "registryId", FALSE, &registry_id, error) ||
      !wharf_ecr_json_get_strv (object, "imageTags", &tags, error) ||
      !wharf_ecr_json_get_int (object, "imageSizeInBytes", 0, G_MAXINT64, &self->size, NULL,
                               error) ||
      !wharf_ecr_json_get_timestamp (object, "imagePushedAt", &pushed_at, error) ||
      !wharf_ecr_json_get_timestamp (object, "lastRecordedPullTime", &pulled_at, error) ||
      !wharf_ecr_json_get_string (object, "imageManifestMediaType", FALSE, &manifest_type, error) ||
      !wharf_ecr_json_get_string (object, "artifactMediaType", FALSE, &artifact_type, error) ||
      !wharf_ecr_json_get_object (object, "imageScanStatus", FALSE, &scan_status, error) ||
      !wharf_ecr_json_get_object (object, "imageScanFindingsSummary", FALSE, &summary, error))
    return FALSE;

  if (!*digest)
    return wharf_ecr_json_bad_value ("imageDigest", error);

  self->digest = g_strdup (digest);
  self->tags = pack_strv ((const char * const *) tags);
  self->times[TIME_PUSHED] = time_from_date (pushed_at);
  self->times[TIME_PULLED] = time_from_date (pulled_at);
  self->repository_name = share_string (repository);
  self->registry_id = share_string (registry_id ? registry_id : "");
  self->image_manifest_media_type = share_string (manifest_type);
  self->artifact_media_type = share_string (artifact_type);

  if (scan_status)
    {
      const char *status, *description;

      if (!wharf_ecr_json_get_string (scan_status, "status", FALSE, &status, error) ||
          !wharf_ecr_json_get_string (scan_status, "description", FALSE, &description, error))
        return FALSE;
      self->scan_status = status ? wharf_scan_status_from_string (status) : WHARF_SCAN_STATUS_NONE;
      self->scan_status_description = share_string (description);
    }

  if (summary)
    {
      g_autoptr(GDateTime) completed_at = NULL;
      JsonObject *counts;

      if (!wharf_ecr_json_get_timestamp (summary, "imageScanCompletedAt", &completed_at,
                                         error) ||
          !wharf_ecr_json_get_object (summary, "findingSeverityCounts", FALSE, &counts, error))
        return FALSE;
      self->times[TIME_SCAN_COMPLETED] = time_from_date (completed_at);
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

WharfImage *
wharf_image_new_from_fields (const WharfImageFields *fields)
{
  WharfImage *self;
  guint i;

  g_return_val_if_fail (fields != NULL, NULL);
  g_return_val_if_fail (fields->digest != NULL && fields->repository_name != NULL, NULL);

  self = g_object_new (WHARF_TYPE_IMAGE, NULL);
  self->digest = g_strdup (fields->digest);
  self->repository_name = share_string (fields->repository_name);
  self->registry_id = share_string (fields->registry_id ? fields->registry_id : "");
  self->tags = pack_strv (fields->tags);
  self->size = fields->size;
  self->times[TIME_PUSHED] = time_from_date (fields->pushed_at);
  self->times[TIME_PULLED] = time_from_date (fields->last_recorded_pull_time);
  self->times[TIME_SCAN_COMPLETED] = time_from_date (fields->scan_completed_at);
  self->image_manifest_media_type = share_string (fields->image_manifest_media_type);
  self->artifact_media_type = share_string (fields->artifact_media_type);
  self->scan_status = fields->scan_status;
  self->scan_status_description = share_string (fields->scan_status_description);
  self->has_scan_summary = fields->has_scan_summary;
  for (i = 0; i < WHARF_N_SEVERITIES; i++)
    self->counts[i] = fields->has_scan_summary ? fields->counts[i] : -1;
  return self;
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
  return self->tags ? (const char * const *) self->tags : no_tags;
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

  /* gettext's strings live as long as the process. */
  if (!wharf_image_get_is_tagged (self))
    return _("<untagged>");
  if (!self->tags_text)
    self->tags_text = g_strjoinv (", ", self->tags);
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
  return get_date (self, TIME_PUSHED);
}

GDateTime *
wharf_image_get_last_recorded_pull_time (WharfImage *self)
{
  g_return_val_if_fail (WHARF_IS_IMAGE (self), NULL);
  return get_date (self, TIME_PULLED);
}

gint64
wharf_image_get_pushed_at_usec (WharfImage *self)
{
  g_return_val_if_fail (WHARF_IS_IMAGE (self), G_MININT64);
  return self->times[TIME_PUSHED];
}

gint64
wharf_image_get_last_recorded_pull_time_usec (WharfImage *self)
{
  g_return_val_if_fail (WHARF_IS_IMAGE (self), G_MININT64);
  return self->times[TIME_PULLED];
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
  return get_date (self, TIME_SCAN_COMPLETED);
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
      unshare_string (&self->scan_status_description);
      self->scan_status_description = share_string (description);
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

  if (self->times[TIME_SCAN_COMPLETED] != time_from_date (completed_at))
    {
      self->times[TIME_SCAN_COMPLETED] = time_from_date (completed_at);
      if (self->dates)
        g_clear_pointer (&self->dates[TIME_SCAN_COMPLETED], g_date_time_unref);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCAN_COMPLETED_AT]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}
