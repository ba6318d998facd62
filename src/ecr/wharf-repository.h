/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "wharf-ecr-types.h"

G_BEGIN_DECLS

#define WHARF_TYPE_REPOSITORY (wharf_repository_get_type ())
G_DECLARE_FINAL_TYPE (WharfRepository, wharf_repository, WHARF, REPOSITORY, GObject)

/* Properties (all read-only): "name", "arn", "uri", "registry-id", "created-at"
 * (GDateTime, nullable), "tag-mutability" (WharfTagMutability), "exclusion-filters"
 * (GStrv, never NULL), "scan-on-push", "encryption-type" (WharfEncryptionType),
 * "kms-key" (nullable), "namespace" (the part before the last "/", nullable) and
 * "short-name" (the part after it). */

/* From ECR's Repository shape. Required: repositoryName, repositoryArn. Wrong types are
 * errors (WHARF_ECR_ERROR_INVALID_DATA); unknown members are ignored; an enumeration value
 * this client does not know becomes WHARF_TAG_MUTABILITY_UNKNOWN /
 * WHARF_ENCRYPTION_TYPE_UNKNOWN. */
WharfRepository    *wharf_repository_new_from_json        (JsonObject      *object,
                                                           GError         **error);

/* Everything a repository is made of, all borrowed (the constructor copies), for builders
 * that read the response themselves. A NULL uri or registry_id becomes "", NULL
 * exclusion_filters none. */
typedef struct
{
  const char          *name;
  const char          *arn;
  const char          *uri;
  const char          *registry_id;
  GDateTime           *created_at;     /* nullable */
  WharfTagMutability   tag_mutability;
  const char * const  *exclusion_filters;
  gboolean             scan_on_push;
  WharfEncryptionType  encryption_type;
  const char          *kms_key;        /* nullable */
} WharfRepositoryFields;

WharfRepository    *wharf_repository_new_from_fields      (const WharfRepositoryFields *fields);

const char         *wharf_repository_get_name             (WharfRepository *self);
const char         *wharf_repository_get_arn              (WharfRepository *self);
const char         *wharf_repository_get_uri              (WharfRepository *self);
const char         *wharf_repository_get_registry_id      (WharfRepository *self);
GDateTime          *wharf_repository_get_created_at       (WharfRepository *self);
WharfTagMutability  wharf_repository_get_tag_mutability   (WharfRepository *self);
const char * const *wharf_repository_get_exclusion_filters (WharfRepository *self);
gboolean            wharf_repository_get_scan_on_push     (WharfRepository *self);
WharfEncryptionType wharf_repository_get_encryption_type  (WharfRepository *self);
const char         *wharf_repository_get_kms_key          (WharfRepository *self);
/* "team/app/web" → namespace "team/app", short name "web"; "web" → NULL, "web". */
const char         *wharf_repository_get_namespace        (WharfRepository *self);
const char         *wharf_repository_get_short_name       (WharfRepository *self);

G_END_DECLS
