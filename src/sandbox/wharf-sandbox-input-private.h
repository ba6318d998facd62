/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The input readers of the ECR operations (wharf-sandbox-input.c). Each returns FALSE (or
 * NULL) after failing the call with ECR's error (sb_call_fail()); a member that is absent
 * or null reads as NULL unless it is required.
 */
#pragma once

#include "wharf-sandbox-private.h"

G_BEGIN_DECLS

/* The JSON token name of @node, as ECR's deserializer names it in its messages. */
const char *json_kind             (JsonNode     *node);
/* Returns the member or NULL when absent or null; FALSE on a type error or when a
 * required member is missing. */
gboolean    in_member             (SbCall       *call,
                                   JsonObject   *in,
                                   const char   *name,
                                   gboolean      required,
                                   JsonNodeType  type,
                                   GType         value_type,
                                   const char   *type_name,
                                   JsonNode    **out);
gboolean    in_string             (SbCall       *call,
                                   JsonObject   *in,
                                   const char   *name,
                                   gboolean      required,
                                   const char  **out);
gboolean    in_bool               (SbCall       *call,
                                   JsonObject   *in,
                                   const char   *name,
                                   gboolean     *out,
                                   gboolean     *present);
/* A list of [min, max] elements. */
gboolean    in_array              (SbCall       *call,
                                   JsonObject   *in,
                                   const char   *name,
                                   gboolean      required,
                                   guint         min,
                                   guint         max,
                                   JsonArray   **out);
gboolean    in_object             (SbCall       *call,
                                   JsonObject   *in,
                                   const char   *name,
                                   gboolean      required,
                                   JsonObject  **out);
/* An integer member within [min, max]; *out keeps its value when absent. */
gboolean    in_int                (SbCall       *call,
                                   JsonObject   *in,
                                   const char   *name,
                                   gint64        min,
                                   gint64        max,
                                   gint64       *out,
                                   gboolean     *present);
/* NULL-terminated @allowed; a NULL @value passes. */
gboolean    check_enum            (SbCall       *call,
                                   const char   *name,
                                   const char   *value,
                                   const char *const *allowed);
/* Length in characters within [min, max]; a NULL @value passes. */
gboolean    check_length          (SbCall       *call,
                                   const char   *name,
                                   const char   *value,
                                   glong         min,
                                   glong         max);
gboolean    check_repository_name (SbCall       *call,
                                   const char   *member,
                                   const char   *name);
/* registryId: absent or the caller's own account. */
gboolean    check_registry_id     (SbCall       *call,
                                   JsonObject   *in);
gboolean    valid_digest          (const char   *digest);
/* Looks up the input's repository (repositoryName + registryId). */
SbRepo     *in_repo               (SbCall       *call,
                                   JsonObject   *in);
/* Reads one ImageIdentifier; returns FALSE only on a type error (call failed). */
gboolean    in_image_id           (SbCall       *call,
                                   JsonNode     *node,
                                   const char  **digest,
                                   const char  **tag);
/* Resolves an image id; on failure returns NULL with an ImageFailure code and reason (the
 * call does not fail). */
SbImage    *resolve_image_id      (SbRepo       *repo,
                                   const char   *digest,
                                   const char   *tag,
                                   const char  **code,
                                   const char  **reason);
/* "{imageDigest:'…', imageTag:'…'}" for error messages. */
char       *image_id_text         (const char   *digest,
                                   const char   *tag);
/* resolve_image_id() of element @index of imageIds (checked by check_image_ids()). */
SbImage    *resolve_image_id_at   (SbRepo       *repo,
                                   JsonArray    *ids,
                                   guint         index,
                                   const char  **digest,
                                   const char  **tag,
                                   const char  **code,
                                   const char  **reason);
/* Checks that every element of imageIds is an ImageIdentifier. */
gboolean    check_image_ids       (SbCall       *call,
                                   JsonArray    *ids);
/* resolve_image_id(), failing the call when there is no such image (ImageNotFoundException)
 * or the id is invalid (InvalidParameterException at @member). */
SbImage    *need_image            (SbCall       *call,
                                   SbRepo       *repo,
                                   const char   *member,
                                   const char   *digest,
                                   const char   *tag);
/* filter.tagStatus (and, with @image_status, filter.imageStatus); "ANY" when absent. */
gboolean    in_filter             (SbCall       *call,
                                   JsonObject   *in,
                                   const char  **tag_status,
                                   const char  **image_status);
gboolean    tag_status_matches    (const char   *tag_status,
                                   SbImage      *image);

G_END_DECLS
