/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Strict readers of JSON members for the models: a member that is absent or null is
 * "absent"; a member of the wrong type is an error (WHARF_ECR_ERROR_INVALID_DATA) naming
 * the member, so that a malformed or hostile response never becomes a silent zero.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "wharf-ecr-types.h"

G_BEGIN_DECLS

gboolean wharf_ecr_json_missing        (const char  *member,
                                        GError     **error);
gboolean wharf_ecr_json_wrong_type     (const char  *member,
                                        const char  *expected,
                                        GError     **error);
gboolean wharf_ecr_json_bad_value      (const char  *member,
                                        GError     **error);

/* *out borrowed from @object; NULL when absent (then an error if @required). */
gboolean wharf_ecr_json_get_string     (JsonObject  *object,
                                        const char  *member,
                                        gboolean     required,
                                        const char **out,
                                        GError     **error);
/* *out left untouched when absent. */
gboolean wharf_ecr_json_get_boolean    (JsonObject  *object,
                                        const char  *member,
                                        gboolean    *out,
                                        GError     **error);
/* An integral number in [min, max]; *out left untouched when absent, *present says. */
gboolean wharf_ecr_json_get_int        (JsonObject  *object,
                                        const char  *member,
                                        gint64       min,
                                        gint64       max,
                                        gint64      *out,
                                        gboolean    *present,
                                        GError     **error);
gboolean wharf_ecr_json_get_double     (JsonObject  *object,
                                        const char  *member,
                                        double      *out,
                                        gboolean    *present,
                                        GError     **error);
/* Seconds since the epoch (a number) or an ISO 8601 string; NULL when absent. */
gboolean wharf_ecr_json_get_timestamp  (JsonObject  *object,
                                        const char  *member,
                                        GDateTime  **out,
                                        GError     **error);
/* The conversions of wharf_ecr_json_get_timestamp(), for readers of other sources. */
gboolean wharf_ecr_timestamp_from_seconds (double       seconds,
                                           const char  *member,
                                           GDateTime  **out,
                                           GError     **error);
gboolean wharf_ecr_timestamp_from_string  (const char  *text,
                                           const char  *member,
                                           GDateTime  **out,
                                           GError     **error);
/* *out borrowed; NULL when absent (then an error if @required). */
gboolean wharf_ecr_json_get_object     (JsonObject  *object,
                                        const char  *member,
                                        gboolean     required,
                                        JsonObject **out,
                                        GError     **error);
gboolean wharf_ecr_json_get_array      (JsonObject  *object,
                                        const char  *member,
                                        gboolean     required,
                                        JsonArray  **out,
                                        GError     **error);
/* A list of strings; an empty GStrv when absent. */
gboolean wharf_ecr_json_get_strv       (JsonObject  *object,
                                        const char  *member,
                                        GStrv       *out,
                                        GError     **error);
/* Element @index of @array as an object (error naming @member otherwise). */
JsonObject *wharf_ecr_json_array_get_object (JsonArray   *array,
                                             guint        index,
                                             const char  *member,
                                             GError     **error);

/* Reads ECR's FindingSeverityCounts ({ "CRITICAL": n, … }; absent severities are 0) into
 * WHARF_N_SEVERITIES counts. */
gboolean wharf_ecr_parse_severity_counts (JsonObject *object,
                                          int        *counts,
                                          GError    **error);

/* Builders for requests. */
JsonArray *wharf_ecr_json_array_from_strv (const char * const *strv);

G_END_DECLS
