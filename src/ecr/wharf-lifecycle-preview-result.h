/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "wharf-ecr-types.h"

G_BEGIN_DECLS

#define WHARF_TYPE_LIFECYCLE_PREVIEW_RESULT (wharf_lifecycle_preview_result_get_type ())
G_DECLARE_FINAL_TYPE (WharfLifecyclePreviewResult, wharf_lifecycle_preview_result,
                      WHARF, LIFECYCLE_PREVIEW_RESULT, GObject)

/* One image a lifecycle policy would act on. Properties (read-only): "digest", "tags"
 * (GStrv), "tags-text", "pushed-at" (nullable), "action" (WharfImageAction),
 * "target-storage-class" (nullable), "applied-rule-priority" (int, -1 when absent). */

/* From ECR's LifecyclePolicyPreviewResult. Required: imageDigest, action.type. */
WharfLifecyclePreviewResult *wharf_lifecycle_preview_result_new_from_json (JsonObject *object,
                                                                           GError    **error);

const char         *wharf_lifecycle_preview_result_get_digest     (WharfLifecyclePreviewResult *self);
const char * const *wharf_lifecycle_preview_result_get_tags       (WharfLifecyclePreviewResult *self);
const char         *wharf_lifecycle_preview_result_get_tags_text  (WharfLifecyclePreviewResult *self);
GDateTime          *wharf_lifecycle_preview_result_get_pushed_at  (WharfLifecyclePreviewResult *self);
WharfImageAction    wharf_lifecycle_preview_result_get_action     (WharfLifecyclePreviewResult *self);
const char         *wharf_lifecycle_preview_result_get_target_storage_class (WharfLifecyclePreviewResult *self);
int                 wharf_lifecycle_preview_result_get_applied_rule_priority (WharfLifecyclePreviewResult *self);

G_END_DECLS
