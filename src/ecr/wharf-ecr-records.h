/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Small plain records of the ECR API: arguments and results that are not list rows.
 * Each is a boxed type with public fields, a _new, a _copy and a _free.
 */
#pragma once

#include <glib-object.h>

#include "wharf-ecr-types.h"

G_BEGIN_DECLS

/* An image by digest and/or tag (ECR's ImageIdentifier). */
typedef struct
{
  char *digest;   /* "sha256:…", nullable */
  char *tag;      /* nullable */
} WharfImageId;

#define WHARF_TYPE_IMAGE_ID (wharf_image_id_get_type ())
GType         wharf_image_id_get_type (void) G_GNUC_CONST;
WharfImageId *wharf_image_id_new      (const char         *digest,
                                       const char         *tag);
WharfImageId *wharf_image_id_copy     (const WharfImageId *self);
void          wharf_image_id_free     (WharfImageId       *self);
/* "tag" if tagged, else the digest. */
const char   *wharf_image_id_get_label (const WharfImageId *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WharfImageId, wharf_image_id_free)

/* One image a batch call could not handle (ECR's ImageFailure). */
typedef struct
{
  char *digest;       /* nullable */
  char *tag;          /* nullable */
  char *code;         /* "ImageNotFound", "ImageReferencedByManifestList", … */
  char *reason;       /* the service's words */
} WharfImageFailure;

#define WHARF_TYPE_IMAGE_FAILURE (wharf_image_failure_get_type ())
GType              wharf_image_failure_get_type (void) G_GNUC_CONST;
WharfImageFailure *wharf_image_failure_new      (const char *digest,
                                                 const char *tag,
                                                 const char *code,
                                                 const char *reason);
WharfImageFailure *wharf_image_failure_copy     (const WharfImageFailure *self);
void               wharf_image_failure_free     (WharfImageFailure       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WharfImageFailure, wharf_image_failure_free)

/* A resource tag (key/value), not an image tag. */
typedef struct
{
  char *key;
  char *value;
} WharfResourceTag;

#define WHARF_TYPE_RESOURCE_TAG (wharf_resource_tag_get_type ())
GType             wharf_resource_tag_get_type (void) G_GNUC_CONST;
WharfResourceTag *wharf_resource_tag_new      (const char             *key,
                                               const char             *value);
WharfResourceTag *wharf_resource_tag_copy     (const WharfResourceTag *self);
void              wharf_resource_tag_free     (WharfResourceTag       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WharfResourceTag, wharf_resource_tag_free)

/* An image manifest as BatchGetImage / PutImage return it. */
typedef struct
{
  char *repository_name;
  char *registry_id;
  char *digest;        /* nullable (BatchGetImage by tag always has it) */
  char *tag;           /* nullable */
  char *manifest;      /* the manifest document; nullable in PutImage's answer */
  char *media_type;    /* nullable */
} WharfImageManifest;

#define WHARF_TYPE_IMAGE_MANIFEST (wharf_image_manifest_get_type ())
GType               wharf_image_manifest_get_type (void) G_GNUC_CONST;
WharfImageManifest *wharf_image_manifest_copy     (const WharfImageManifest *self);
void                wharf_image_manifest_free     (WharfImageManifest       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WharfImageManifest, wharf_image_manifest_free)

/* Arguments of CreateRepository. Build with _new (name) and the setters; everything but the
 * name is optional (the service's defaults: MUTABLE, no scan on push, AES256). */
typedef struct _WharfRepositoryOptions WharfRepositoryOptions;

#define WHARF_TYPE_REPOSITORY_OPTIONS (wharf_repository_options_get_type ())
GType                   wharf_repository_options_get_type (void) G_GNUC_CONST;
WharfRepositoryOptions *wharf_repository_options_new      (const char *name);
WharfRepositoryOptions *wharf_repository_options_copy     (const WharfRepositoryOptions *self);
void                    wharf_repository_options_free     (WharfRepositoryOptions *self);
const char             *wharf_repository_options_get_name (const WharfRepositoryOptions *self);
void wharf_repository_options_set_tag_mutability   (WharfRepositoryOptions *self,
                                                    WharfTagMutability      mutability);
/* Exclusion filters (wildcard patterns) for the *_WITH_EXCLUSION mutabilities; at most 5. */
void wharf_repository_options_add_exclusion_filter (WharfRepositoryOptions *self,
                                                    const char             *filter);
void wharf_repository_options_set_scan_on_push     (WharfRepositoryOptions *self,
                                                    gboolean                scan_on_push);
/* @kms_key: nullable (the AWS managed key); only for KMS and KMS_DSSE. */
void wharf_repository_options_set_encryption       (WharfRepositoryOptions *self,
                                                    WharfEncryptionType     type,
                                                    const char             *kms_key);
void wharf_repository_options_add_resource_tag     (WharfRepositoryOptions *self,
                                                    const char             *key,
                                                    const char             *value);
/* Checks every value with wharf-ecr-validate.h and the combinations (filters only with a
 * *_WITH_EXCLUSION mutability and then at least one; a KMS key only with KMS encryption;
 * unique tag keys). WHARF_ECR_ERROR_INVALID_ARGUMENT with the reason. */
gboolean wharf_repository_options_validate         (const WharfRepositoryOptions *self,
                                                    GError                      **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WharfRepositoryOptions, wharf_repository_options_free)

/* A registry scanning rule: how often, for which repositories (wildcard filters). */
typedef struct
{
  WharfScanFrequency   frequency;
  GStrv                repository_filters;  /* NULL-terminated */
} WharfScanningRule;

#define WHARF_TYPE_SCANNING_RULE (wharf_scanning_rule_get_type ())
GType              wharf_scanning_rule_get_type (void) G_GNUC_CONST;
WharfScanningRule *wharf_scanning_rule_new      (WharfScanFrequency       frequency,
                                                 const char * const      *repository_filters);
WharfScanningRule *wharf_scanning_rule_copy     (const WharfScanningRule *self);
void               wharf_scanning_rule_free     (WharfScanningRule       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WharfScanningRule, wharf_scanning_rule_free)

typedef struct
{
  char          *registry_id;   /* nullable (not part of Put's arguments) */
  WharfScanType  scan_type;
  GPtrArray     *rules;         /* of WharfScanningRule, never NULL */
} WharfRegistryScanningConfiguration;

#define WHARF_TYPE_REGISTRY_SCANNING_CONFIGURATION (wharf_registry_scanning_configuration_get_type ())
GType wharf_registry_scanning_configuration_get_type (void) G_GNUC_CONST;
WharfRegistryScanningConfiguration *wharf_registry_scanning_configuration_new  (WharfScanType scan_type);
WharfRegistryScanningConfiguration *wharf_registry_scanning_configuration_copy (const WharfRegistryScanningConfiguration *self);
void wharf_registry_scanning_configuration_free     (WharfRegistryScanningConfiguration *self);
/* Takes ownership of @rule. */
void wharf_registry_scanning_configuration_add_rule (WharfRegistryScanningConfiguration *self,
                                                     WharfScanningRule                  *rule);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WharfRegistryScanningConfiguration, wharf_registry_scanning_configuration_free)

/* A repository's effective scanning configuration, or why it could not be read. */
typedef struct
{
  char               *repository_name;
  char               *repository_arn;       /* nullable */
  gboolean            scan_on_push;
  WharfScanFrequency  frequency;
  GStrv               applied_filters;      /* NULL-terminated, maybe empty */
  char               *failure_code;         /* NULL unless this repository failed */
  char               *failure_reason;       /* NULL unless this repository failed */
} WharfRepositoryScanningConfiguration;

#define WHARF_TYPE_REPOSITORY_SCANNING_CONFIGURATION (wharf_repository_scanning_configuration_get_type ())
GType wharf_repository_scanning_configuration_get_type (void) G_GNUC_CONST;
WharfRepositoryScanningConfiguration *wharf_repository_scanning_configuration_copy (const WharfRepositoryScanningConfiguration *self);
void wharf_repository_scanning_configuration_free (WharfRepositoryScanningConfiguration *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WharfRepositoryScanningConfiguration, wharf_repository_scanning_configuration_free)

/* Result of a batch delete: what went, and what did not, with the service's reasons. */
typedef struct
{
  GPtrArray *deleted;    /* of WharfImageId */
  GPtrArray *failures;   /* of WharfImageFailure */
} WharfBatchDeleteResult;

#define WHARF_TYPE_BATCH_DELETE_RESULT (wharf_batch_delete_result_get_type ())
GType                   wharf_batch_delete_result_get_type (void) G_GNUC_CONST;
WharfBatchDeleteResult *wharf_batch_delete_result_new      (void);
WharfBatchDeleteResult *wharf_batch_delete_result_copy     (const WharfBatchDeleteResult *self);
void                    wharf_batch_delete_result_free     (WharfBatchDeleteResult *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WharfBatchDeleteResult, wharf_batch_delete_result_free)

/* A lifecycle policy as GetLifecyclePolicy returns it. */
typedef struct
{
  char      *repository_name;
  char      *registry_id;        /* nullable */
  char      *text;               /* the policy JSON document */
  GDateTime *last_evaluated_at;  /* nullable */
} WharfLifecyclePolicy;

#define WHARF_TYPE_LIFECYCLE_POLICY (wharf_lifecycle_policy_get_type ())
GType                 wharf_lifecycle_policy_get_type (void) G_GNUC_CONST;
WharfLifecyclePolicy *wharf_lifecycle_policy_copy     (const WharfLifecyclePolicy *self);
void                  wharf_lifecycle_policy_free     (WharfLifecyclePolicy *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WharfLifecyclePolicy, wharf_lifecycle_policy_free)

/* The registry as DescribeRegistry returns it (replication rules counted, not modelled). */
typedef struct
{
  char  *registry_id;
  guint  n_replication_rules;
} WharfRegistryInfo;

#define WHARF_TYPE_REGISTRY_INFO (wharf_registry_info_get_type ())
GType              wharf_registry_info_get_type (void) G_GNUC_CONST;
WharfRegistryInfo *wharf_registry_info_copy     (const WharfRegistryInfo *self);
void               wharf_registry_info_free     (WharfRegistryInfo *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WharfRegistryInfo, wharf_registry_info_free)

G_END_DECLS
