/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "wharf-ecr-records.h"
#include "wharf-ecr-types.h"

G_BEGIN_DECLS

#define WHARF_TYPE_IMAGE (wharf_image_get_type ())
G_DECLARE_FINAL_TYPE (WharfImage, wharf_image, WHARF, IMAGE, GObject)

/* Properties (read-only): "digest", "tags" (GStrv, never NULL), "is-tagged", "tags-text"
 * (tags joined by ", ", or a translated "<untagged>"), "size" (gint64 bytes, -1 unknown),
 * "pushed-at", "last-recorded-pull-time" (GDateTime, nullable), "image-manifest-media-type",
 * "artifact-media-type" (nullable), "repository-name", "registry-id",
 * and the scan summary, which may change later (notified):
 * "scan-status" (WharfScanStatus), "scan-status-description", "has-scan-summary",
 * "critical", "high", "medium", "low", "informational", "undefined" (int, -1 when there is
 * no summary), "total-findings" (-1 when unknown), "scan-completed-at" (nullable). */

/* From ECR's ImageDetail shape. Required: imageDigest, repositoryName. */
WharfImage         *wharf_image_new_from_json              (JsonObject *object,
                                                            GError    **error);

/* Everything an image is made of, all borrowed (the constructor copies what it keeps), for
 * builders that read the response themselves (wharf-ecr-reader-private.h). Fields mean
 * what the ImageDetail members mean; a NULL registry_id becomes "", NULL tags none. */
typedef struct
{
  const char         *digest;
  const char         *repository_name;
  const char         *registry_id;
  const char * const *tags;
  gint64              size;                   /* -1: unknown */
  GDateTime          *pushed_at;              /* nullable, as the two below */
  GDateTime          *last_recorded_pull_time;
  GDateTime          *scan_completed_at;
  const char         *image_manifest_media_type;
  const char         *artifact_media_type;
  WharfScanStatus     scan_status;
  const char         *scan_status_description;
  gboolean            has_scan_summary;
  int                 counts[WHARF_N_SEVERITIES];  /* read only with has_scan_summary */
} WharfImageFields;

WharfImage         *wharf_image_new_from_fields            (const WharfImageFields *fields);

const char         *wharf_image_get_digest                 (WharfImage *self);
const char * const *wharf_image_get_tags                   (WharfImage *self);
gboolean            wharf_image_get_is_tagged              (WharfImage *self);
const char         *wharf_image_get_tags_text              (WharfImage *self);
gint64              wharf_image_get_size                   (WharfImage *self);
GDateTime          *wharf_image_get_pushed_at              (WharfImage *self);
GDateTime          *wharf_image_get_last_recorded_pull_time (WharfImage *self);
/* The same two times in unix microseconds, G_MININT64 when unknown: for comparing many
 * images without making a GDateTime for each. */
gint64              wharf_image_get_pushed_at_usec         (WharfImage *self);
gint64              wharf_image_get_last_recorded_pull_time_usec (WharfImage *self);
const char         *wharf_image_get_image_manifest_media_type (WharfImage *self);
const char         *wharf_image_get_artifact_media_type    (WharfImage *self);
const char         *wharf_image_get_repository_name        (WharfImage *self);
const char         *wharf_image_get_registry_id            (WharfImage *self);
/* A new id for this image (digest, first tag or NULL). */
WharfImageId       *wharf_image_dup_id                     (WharfImage *self);

WharfScanStatus     wharf_image_get_scan_status            (WharfImage *self);
const char         *wharf_image_get_scan_status_description (WharfImage *self);
gboolean            wharf_image_get_has_scan_summary       (WharfImage *self);
/* -1 when there is no summary. */
int                 wharf_image_get_severity_count         (WharfImage    *self,
                                                            WharfSeverity  severity);
int                 wharf_image_get_total_findings         (WharfImage *self);
GDateTime          *wharf_image_get_scan_completed_at      (WharfImage *self);

/* Updates the scan properties (emits notify for those that changed). @counts: NULL for
 * no summary, else WHARF_N_SEVERITIES counts indexed by WharfSeverity. */
void                wharf_image_set_scan_summary           (WharfImage      *self,
                                                            WharfScanStatus  status,
                                                            const char      *description,
                                                            const int       *counts,
                                                            GDateTime       *completed_at);

G_END_DECLS
