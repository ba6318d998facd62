/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Client-side checks of the values ECR validates, with ECR's own limits (the service model's
 * shapes). Each function returns TRUE when @value is acceptable; otherwise FALSE and, when
 * @reason is not NULL, a sentence a person can act on (translated, newly allocated).
 * NULL input is treated as the empty string.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define WHARF_ECR_REPOSITORY_NAME_MIN          2
#define WHARF_ECR_REPOSITORY_NAME_MAX          256
#define WHARF_ECR_IMAGE_TAG_MAX                300
#define WHARF_ECR_KMS_KEY_MAX                  2048
#define WHARF_ECR_RESOURCE_TAG_KEY_MAX         128
#define WHARF_ECR_RESOURCE_TAG_VALUE_MAX       256
#define WHARF_ECR_RESOURCE_TAGS_MAX            50
#define WHARF_ECR_TAG_MUTABILITY_FILTER_MAX    128
#define WHARF_ECR_TAG_MUTABILITY_FILTERS_MAX   5

/* Model shape RepositoryName: 2–256 characters matching
 * [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*  */
gboolean wharf_ecr_validate_repository_name       (const char  *name,
                                                   char       **reason);

/* Model shape ImageTag: 1–300 characters; like Docker tags, letters, digits, "_", "." and
 * "-", not starting with "." or "-". */
gboolean wharf_ecr_validate_image_tag             (const char  *tag,
                                                   char       **reason);

/* Model shape KmsKey (1–2048): a key id (UUID or multi-Region "mrk-…"), a key ARN,
 * an alias name ("alias/…") or an alias ARN. */
gboolean wharf_ecr_validate_kms_key               (const char  *key,
                                                   char       **reason);

/* AWS resource tags: key 1–128 and value 0–256 Unicode characters of letters, digits,
 * spaces and _ . : / = + - @; a key cannot start with "aws:". */
gboolean wharf_ecr_validate_resource_tag_key      (const char  *key,
                                                   char       **reason);
gboolean wharf_ecr_validate_resource_tag_value    (const char  *value,
                                                   char       **reason);

/* Model shape ImageTagMutabilityExclusionFilterValue (filter type WILDCARD): 1–128
 * characters of letters, digits, ".", "_", "-" and the wildcard "*". */
gboolean wharf_ecr_validate_tag_mutability_filter (const char  *filter,
                                                   char       **reason);

G_END_DECLS
