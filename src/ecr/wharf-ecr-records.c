/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-ecr-records"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wharf-ecr-records.h"
#include "wharf-ecr-records-private.h"
#include "wharf-ecr-validate.h"

/* ImageId */

G_DEFINE_BOXED_TYPE (WharfImageId, wharf_image_id, wharf_image_id_copy, wharf_image_id_free)

WharfImageId *
wharf_image_id_new (const char *digest,
                    const char *tag)
{
  WharfImageId *self = g_new0 (WharfImageId, 1);

  self->digest = g_strdup (digest);
  self->tag = g_strdup (tag);
  return self;
}

WharfImageId *
wharf_image_id_copy (const WharfImageId *self)
{
  return wharf_image_id_new (self->digest, self->tag);
}

void
wharf_image_id_free (WharfImageId *self)
{
  if (!self)
    return;
  g_free (self->digest);
  g_free (self->tag);
  g_free (self);
}

const char *
wharf_image_id_get_label (const WharfImageId *self)
{
  return self->tag ? self->tag : self->digest;
}

/* ImageFailure */

G_DEFINE_BOXED_TYPE (WharfImageFailure, wharf_image_failure,
                     wharf_image_failure_copy, wharf_image_failure_free)

WharfImageFailure *
wharf_image_failure_new (const char *digest,
                         const char *tag,
                         const char *code,
                         const char *reason)
{
  WharfImageFailure *self = g_new0 (WharfImageFailure, 1);

  self->digest = g_strdup (digest);
  self->tag = g_strdup (tag);
  self->code = g_strdup (code);
  self->reason = g_strdup (reason);
  return self;
}

WharfImageFailure *
wharf_image_failure_copy (const WharfImageFailure *self)
{
  return wharf_image_failure_new (self->digest, self->tag, self->code, self->reason);
}

void
wharf_image_failure_free (WharfImageFailure *self)
{
  if (!self)
    return;
  g_free (self->digest);
  g_free (self->tag);
  g_free (self->code);
  g_free (self->reason);
  g_free (self);
}

/* ResourceTag */

G_DEFINE_BOXED_TYPE (WharfResourceTag, wharf_resource_tag,
                     wharf_resource_tag_copy, wharf_resource_tag_free)

WharfResourceTag *
wharf_resource_tag_new (const char *key,
                        const char *value)
{
  WharfResourceTag *self = g_new0 (WharfResourceTag, 1);

  self->key = g_strdup (key);
  self->value = g_strdup (value ? value : "");
  return self;
}

WharfResourceTag *
wharf_resource_tag_copy (const WharfResourceTag *self)
{
  return wharf_resource_tag_new (self->key, self->value);
}

void
wharf_resource_tag_free (WharfResourceTag *self)
{
  if (!self)
    return;
  g_free (self->key);
  g_free (self->value);
  g_free (self);
}

/* ImageManifest */

G_DEFINE_BOXED_TYPE (WharfImageManifest, wharf_image_manifest,
                     wharf_image_manifest_copy, wharf_image_manifest_free)

WharfImageManifest *
wharf_image_manifest_copy (const WharfImageManifest *self)
{
  WharfImageManifest *copy = g_new0 (WharfImageManifest, 1);

  copy->repository_name = g_strdup (self->repository_name);
  copy->registry_id = g_strdup (self->registry_id);
  copy->digest = g_strdup (self->digest);
  copy->tag = g_strdup (self->tag);
  copy->manifest = g_strdup (self->manifest);
  copy->media_type = g_strdup (self->media_type);
  return copy;
}

void
wharf_image_manifest_free (WharfImageManifest *self)
{
  if (!self)
    return;
  g_free (self->repository_name);
  g_free (self->registry_id);
  g_free (self->digest);
  g_free (self->tag);
  g_free (self->manifest);
  g_free (self->media_type);
  g_free (self);
}

/* RepositoryOptions */

struct _WharfRepositoryOptions
{
  char                *name;
  WharfTagMutability   mutability;
  gboolean             mutability_set;
  GPtrArray           *exclusion_filters;  /* of char* */
  gboolean             scan_on_push;
  gboolean             scan_on_push_set;
  WharfEncryptionType  encryption_type;
  gboolean             encryption_set;
  char                *kms_key;
  GPtrArray           *resource_tags;      /* of WharfResourceTag */
};

G_DEFINE_BOXED_TYPE (WharfRepositoryOptions, wharf_repository_options,
                     wharf_repository_options_copy, wharf_repository_options_free)

WharfRepositoryOptions *
wharf_repository_options_new (const char *name)
{
  WharfRepositoryOptions *self = g_new0 (WharfRepositoryOptions, 1);

  self->name = g_strdup (name ? name : "");
  self->exclusion_filters = g_ptr_array_new_with_free_func (g_free);
  self->resource_tags = g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_resource_tag_free);
  return self;
}

WharfRepositoryOptions *
wharf_repository_options_copy (const WharfRepositoryOptions *self)
{
  WharfRepositoryOptions *copy = wharf_repository_options_new (self->name);
  guint i;

  copy->mutability = self->mutability;
  copy->mutability_set = self->mutability_set;
  for (i = 0; i < self->exclusion_filters->len; i++)
    g_ptr_array_add (copy->exclusion_filters, g_strdup (g_ptr_array_index (self->exclusion_filters,
                                                                           i)));
  copy->scan_on_push = self->scan_on_push;
  copy->scan_on_push_set = self->scan_on_push_set;
  copy->encryption_type = self->encryption_type;
  copy->encryption_set = self->encryption_set;
  copy->kms_key = g_strdup (self->kms_key);
  for (i = 0; i < self->resource_tags->len; i++)
    g_ptr_array_add (copy->resource_tags,
                     wharf_resource_tag_copy (g_ptr_array_index (self->resource_tags, i)));
  return copy;
}

void
wharf_repository_options_free (WharfRepositoryOptions *self)
{
  if (!self)
    return;
  g_free (self->name);
  g_ptr_array_unref (self->exclusion_filters);
  g_free (self->kms_key);
  g_ptr_array_unref (self->resource_tags);
  g_free (self);
}

const char *
wharf_repository_options_get_name (const WharfRepositoryOptions *self)
{
  return self->name;
}

void
wharf_repository_options_set_tag_mutability (WharfRepositoryOptions *self,
                                             WharfTagMutability      mutability)
{
  self->mutability = mutability;
  self->mutability_set = TRUE;
}

void
wharf_repository_options_add_exclusion_filter (WharfRepositoryOptions *self,
                                               const char             *filter)
{
  g_ptr_array_add (self->exclusion_filters, g_strdup (filter ? filter : ""));
}

void
wharf_repository_options_set_scan_on_push (WharfRepositoryOptions *self,
                                           gboolean                scan_on_push)
{
  self->scan_on_push = !!scan_on_push;
  self->scan_on_push_set = TRUE;
}

void
wharf_repository_options_set_encryption (WharfRepositoryOptions *self,
                                         WharfEncryptionType     type,
                                         const char             *kms_key)
{
  self->encryption_type = type;
  self->encryption_set = TRUE;
  g_free (self->kms_key);
  self->kms_key = kms_key && *kms_key ? g_strdup (kms_key) : NULL;
}

void
wharf_repository_options_add_resource_tag (WharfRepositoryOptions *self,
                                           const char             *key,
                                           const char             *value)
{
  g_ptr_array_add (self->resource_tags, wharf_resource_tag_new (key, value));
}

static gboolean
invalid (GError    **error,
         char       *reason)
{
  g_set_error_literal (error, WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_ARGUMENT, reason);
  g_free (reason);
  return FALSE;
}

gboolean
wharf_repository_options_validate (const WharfRepositoryOptions *self,
                                   GError                      **error)
{
  char *reason = NULL;
  gboolean with_exclusion;
  guint i, j;

  g_return_val_if_fail (self, FALSE);

  if (!wharf_ecr_validate_repository_name (self->name, &reason))
    return invalid (error, reason);

  /* An UNKNOWN value is only ever read from the service; there is no name to send. */
  if (self->mutability_set && !wharf_tag_mutability_to_string (self->mutability))
    return invalid (error, g_strdup (_("Choose whether tags are mutable")));
  if (self->encryption_set && !wharf_encryption_type_to_string (self->encryption_type))
    return invalid (error, g_strdup (_("Choose an encryption type")));

  with_exclusion = self->mutability_set &&
                   (self->mutability == WHARF_TAG_MUTABILITY_MUTABLE_WITH_EXCLUSION ||
                    self->mutability == WHARF_TAG_MUTABILITY_IMMUTABLE_WITH_EXCLUSION);
  if (with_exclusion && self->exclusion_filters->len == 0)
    return invalid (error, g_strdup (_("Add at least one tag filter for the exceptions")));
  if (!with_exclusion && self->exclusion_filters->len > 0)
    return invalid (error,
                    g_strdup (_("Tag filters are only used with exceptions to tag mutability")));
  if (self->exclusion_filters->len > WHARF_ECR_TAG_MUTABILITY_FILTERS_MAX)
    return invalid (error, g_strdup_printf (_("At most %d tag filters are allowed"),
                                            WHARF_ECR_TAG_MUTABILITY_FILTERS_MAX));
  for (i = 0; i < self->exclusion_filters->len; i++)
    if (!wharf_ecr_validate_tag_mutability_filter (g_ptr_array_index (self->exclusion_filters, i),
                                                   &reason))
      return invalid (error, reason);

  if (self->kms_key)
    {
      if (!self->encryption_set || self->encryption_type == WHARF_ENCRYPTION_TYPE_AES256)
        return invalid (error, g_strdup (_("A KMS key can only be used with KMS encryption")));
      if (!wharf_ecr_validate_kms_key (self->kms_key, &reason))
        return invalid (error, reason);
    }

  if (self->resource_tags->len > WHARF_ECR_RESOURCE_TAGS_MAX)
    return invalid (error, g_strdup_printf (_("At most %d tags are allowed"),
                                            WHARF_ECR_RESOURCE_TAGS_MAX));
  for (i = 0; i < self->resource_tags->len; i++)
    {
      const WharfResourceTag *tag = g_ptr_array_index (self->resource_tags, i);

      if (!wharf_ecr_validate_resource_tag_key (tag->key, &reason) ||
          !wharf_ecr_validate_resource_tag_value (tag->value, &reason))
        return invalid (error, reason);
      for (j = 0; j < i; j++)
        {
          const WharfResourceTag *other = g_ptr_array_index (self->resource_tags, j);

          if (g_strcmp0 (other->key, tag->key) == 0)
            return invalid (error, g_strdup_printf (_("The tag key “%s” is used twice"), tag->key));
        }
    }

  return TRUE;
}

gboolean
wharf_repository_options_get_mutability (const WharfRepositoryOptions *self,
                                         WharfTagMutability           *mutability)
{
  *mutability = self->mutability;
  return self->mutability_set;
}

GPtrArray *
wharf_repository_options_get_exclusion_filters (const WharfRepositoryOptions *self)
{
  return self->exclusion_filters;
}

gboolean
wharf_repository_options_get_scan_on_push (const WharfRepositoryOptions *self,
                                           gboolean                     *scan_on_push)
{
  *scan_on_push = self->scan_on_push;
  return self->scan_on_push_set;
}

gboolean
wharf_repository_options_get_encryption (const WharfRepositoryOptions *self,
                                         WharfEncryptionType          *type,
                                         const char                  **kms_key)
{
  *type = self->encryption_type;
  *kms_key = self->kms_key;
  return self->encryption_set;
}

GPtrArray *
wharf_repository_options_get_resource_tags (const WharfRepositoryOptions *self)
{
  return self->resource_tags;
}

/* ScanningRule */

G_DEFINE_BOXED_TYPE (WharfScanningRule, wharf_scanning_rule,
                     wharf_scanning_rule_copy, wharf_scanning_rule_free)

WharfScanningRule *
wharf_scanning_rule_new (WharfScanFrequency  frequency,
                         const char * const *repository_filters)
{
  WharfScanningRule *self = g_new0 (WharfScanningRule, 1);

  self->frequency = frequency;
  self->repository_filters = repository_filters ? g_strdupv ((char **) repository_filters)
                                                : g_new0 (char *, 1);
  return self;
}

WharfScanningRule *
wharf_scanning_rule_copy (const WharfScanningRule *self)
{
  return wharf_scanning_rule_new (self->frequency, (const char * const *) self->repository_filters);
}

void
wharf_scanning_rule_free (WharfScanningRule *self)
{
  if (!self)
    return;
  g_strfreev (self->repository_filters);
  g_free (self);
}

/* RegistryScanningConfiguration */

G_DEFINE_BOXED_TYPE (WharfRegistryScanningConfiguration, wharf_registry_scanning_configuration,
                     wharf_registry_scanning_configuration_copy,
                     wharf_registry_scanning_configuration_free)

WharfRegistryScanningConfiguration *
wharf_registry_scanning_configuration_new (WharfScanType scan_type)
{
  WharfRegistryScanningConfiguration *self = g_new0 (WharfRegistryScanningConfiguration, 1);

  self->scan_type = scan_type;
  self->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_scanning_rule_free);
  return self;
}

WharfRegistryScanningConfiguration *
wharf_registry_scanning_configuration_copy (const WharfRegistryScanningConfiguration *self)
{
  WharfRegistryScanningConfiguration *copy = wharf_registry_scanning_configuration_new (self->scan_type);
  guint i;

  copy->registry_id = g_strdup (self->registry_id);
  for (i = 0; i < self->rules->len; i++)
    g_ptr_array_add (copy->rules, wharf_scanning_rule_copy (g_ptr_array_index (self->rules, i)));
  return copy;
}

void
wharf_registry_scanning_configuration_free (WharfRegistryScanningConfiguration *self)
{
  if (!self)
    return;
  g_free (self->registry_id);
  g_ptr_array_unref (self->rules);
  g_free (self);
}

void
wharf_registry_scanning_configuration_add_rule (WharfRegistryScanningConfiguration *self,
                                                WharfScanningRule                  *rule)
{
  g_ptr_array_add (self->rules, rule);
}

/* RepositoryScanningConfiguration */

G_DEFINE_BOXED_TYPE (WharfRepositoryScanningConfiguration, wharf_repository_scanning_configuration,
                     wharf_repository_scanning_configuration_copy,
                     wharf_repository_scanning_configuration_free)

WharfRepositoryScanningConfiguration *
wharf_repository_scanning_configuration_copy (const WharfRepositoryScanningConfiguration *self)
{
  WharfRepositoryScanningConfiguration *copy = g_new0 (WharfRepositoryScanningConfiguration, 1);

  copy->repository_name = g_strdup (self->repository_name);
  copy->repository_arn = g_strdup (self->repository_arn);
  copy->scan_on_push = self->scan_on_push;
  copy->frequency = self->frequency;
  copy->applied_filters = self->applied_filters ? g_strdupv (self->applied_filters)
                                                : g_new0 (char *, 1);
  copy->failure_code = g_strdup (self->failure_code);
  copy->failure_reason = g_strdup (self->failure_reason);
  return copy;
}

void
wharf_repository_scanning_configuration_free (WharfRepositoryScanningConfiguration *self)
{
  if (!self)
    return;
  g_free (self->repository_name);
  g_free (self->repository_arn);
  g_strfreev (self->applied_filters);
  g_free (self->failure_code);
  g_free (self->failure_reason);
  g_free (self);
}

/* BatchDeleteResult */

G_DEFINE_BOXED_TYPE (WharfBatchDeleteResult, wharf_batch_delete_result,
                     wharf_batch_delete_result_copy, wharf_batch_delete_result_free)

WharfBatchDeleteResult *
wharf_batch_delete_result_new (void)
{
  WharfBatchDeleteResult *self = g_new0 (WharfBatchDeleteResult, 1);

  self->deleted = g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_image_id_free);
  self->failures = g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_image_failure_free);
  return self;
}

WharfBatchDeleteResult *
wharf_batch_delete_result_copy (const WharfBatchDeleteResult *self)
{
  WharfBatchDeleteResult *copy = wharf_batch_delete_result_new ();
  guint i;

  for (i = 0; i < self->deleted->len; i++)
    g_ptr_array_add (copy->deleted, wharf_image_id_copy (g_ptr_array_index (self->deleted, i)));
  for (i = 0; i < self->failures->len; i++)
    g_ptr_array_add (copy->failures,
                     wharf_image_failure_copy (g_ptr_array_index (self->failures, i)));
  return copy;
}

void
wharf_batch_delete_result_free (WharfBatchDeleteResult *self)
{
  if (!self)
    return;
  g_ptr_array_unref (self->deleted);
  g_ptr_array_unref (self->failures);
  g_free (self);
}

/* LifecyclePolicy */

G_DEFINE_BOXED_TYPE (WharfLifecyclePolicy, wharf_lifecycle_policy,
                     wharf_lifecycle_policy_copy, wharf_lifecycle_policy_free)

WharfLifecyclePolicy *
wharf_lifecycle_policy_copy (const WharfLifecyclePolicy *self)
{
  WharfLifecyclePolicy *copy = g_new0 (WharfLifecyclePolicy, 1);

  copy->repository_name = g_strdup (self->repository_name);
  copy->registry_id = g_strdup (self->registry_id);
  copy->text = g_strdup (self->text);
  copy->last_evaluated_at = self->last_evaluated_at ? g_date_time_ref (self->last_evaluated_at) : NULL;
  return copy;
}

void
wharf_lifecycle_policy_free (WharfLifecyclePolicy *self)
{
  if (!self)
    return;
  g_free (self->repository_name);
  g_free (self->registry_id);
  g_free (self->text);
  g_clear_pointer (&self->last_evaluated_at, g_date_time_unref);
  g_free (self);
}

/* RegistryInfo */

G_DEFINE_BOXED_TYPE (WharfRegistryInfo, wharf_registry_info,
                     wharf_registry_info_copy, wharf_registry_info_free)

WharfRegistryInfo *
wharf_registry_info_copy (const WharfRegistryInfo *self)
{
  WharfRegistryInfo *copy = g_new0 (WharfRegistryInfo, 1);

  copy->registry_id = g_strdup (self->registry_id);
  copy->n_replication_rules = self->n_replication_rules;
  return copy;
}

void
wharf_registry_info_free (WharfRegistryInfo *self)
{
  if (!self)
    return;
  g_free (self->registry_id);
  g_free (self);
}
