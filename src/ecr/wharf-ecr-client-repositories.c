/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * WharfEcrClient: repositories and their settings (CreateRepository, DescribeRepositories,
 * DeleteRepository, PutImageTagMutability, PutImageScanningConfiguration) and resource tags
 * (TagResource, UntagResource, ListTagsForResource).
 */
#define G_LOG_DOMAIN "wharf-ecr-client-repositories"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-ecr-client.h"
#include "wharf-ecr-client-private.h"

#include "wharf-ecr-json-private.h"
#include "wharf-ecr-records-private.h"
#include "wharf-ecr-validate.h"

static gpointer
parse_repository_member (JsonObject *response,
                         GError    **error)
{
  JsonObject *object;

  if (!wharf_ecr_json_get_object (response, "repository", TRUE, &object, error))
    return NULL;
  return wharf_repository_new_from_json (object, error);
}

/* ---- CreateRepository ---- */

void
wharf_ecr_client_create_repository_async (WharfEcrClient               *self,
                                          const WharfRepositoryOptions *options,
                                          GCancellable                 *cancellable,
                                          GAsyncReadyCallback           callback,
                                          gpointer                      user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) input = NULL;
  WharfTagMutability mutability;
  WharfEncryptionType encryption;
  const char *kms_key;
  gboolean scan_on_push;
  GPtrArray *filters, *tags;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));
  g_return_if_fail (options);

  task = wharf_ecr_client_new_task (self, wharf_ecr_client_create_repository_async, cancellable,
                                    callback, user_data);

  if (!wharf_repository_options_validate (options, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  input = wharf_ecr_input_new (wharf_repository_options_get_name (options));

  if (wharf_repository_options_get_mutability (options, &mutability))
    json_object_set_string_member (input, "imageTagMutability",
                                   wharf_tag_mutability_to_string (mutability));
  filters = wharf_repository_options_get_exclusion_filters (options);
  wharf_ecr_json_set_wildcard_filters (input, "imageTagMutabilityExclusionFilters",
                                       (const char * const *) filters->pdata, filters->len,
                                       FALSE);
  if (wharf_repository_options_get_scan_on_push (options, &scan_on_push))
    {
      JsonObject *scanning = json_object_new ();

      json_object_set_boolean_member (scanning, "scanOnPush", scan_on_push);
      json_object_set_object_member (input, "imageScanningConfiguration", scanning);
    }
  if (wharf_repository_options_get_encryption (options, &encryption, &kms_key))
    {
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "encryptionType",
                                     wharf_encryption_type_to_string (encryption));
      if (kms_key)
        json_object_set_string_member (object, "kmsKey", kms_key);
      json_object_set_object_member (input, "encryptionConfiguration", object);
    }
  tags = wharf_repository_options_get_resource_tags (options);
  if (tags->len > 0)
    wharf_ecr_input_set_resource_tags (input, tags);

  wharf_ecr_client_simple_call (self, g_steal_pointer (&task), "CreateRepository",
                                g_steal_pointer (&input), parse_repository_member,
                                g_object_unref);
}

WharfRepository *
wharf_ecr_client_create_repository_finish (WharfEcrClient  *self,
                                           GAsyncResult    *result,
                                           GError         **error)
{
  return wharf_ecr_client_propagate_pointer (self, result,
                                             wharf_ecr_client_create_repository_async, error);
}

/* ---- DescribeRepositories (one page) ---- */

void
wharf_ecr_client_describe_repositories_async (WharfEcrClient      *self,
                                              const char * const  *names,
                                              guint                max_results,
                                              const char          *next_token,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  JsonObject *input;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = wharf_ecr_client_new_task (self, wharf_ecr_client_describe_repositories_async,
                                    cancellable, callback, user_data);

  input = json_object_new ();
  if (names && names[0])
    {
      if (!wharf_ecr_check_repositories (task, names))
        {
          json_object_unref (input);
          return;
        }
      json_object_set_array_member (input, "repositoryNames",
                                    wharf_ecr_json_array_from_strv (names));
      if (next_token && *next_token)
        json_object_set_string_member (input, "nextToken", next_token);
    }
  else
    wharf_ecr_input_set_page (input, self, max_results, next_token);

  wharf_ecr_client_page_call (self, g_steal_pointer (&task), "DescribeRepositories", input,
                              "repositories", WHARF_TYPE_REPOSITORY);
}

GPtrArray *
wharf_ecr_client_describe_repositories_finish (WharfEcrClient  *self,
                                               GAsyncResult    *result,
                                               char           **next_token,
                                               GError         **error)
{
  return wharf_ecr_client_propagate_page (self, result,
                                          wharf_ecr_client_describe_repositories_async,
                                          next_token, error);
}

/* ---- DeleteRepository ---- */

void
wharf_ecr_client_delete_repository_async (WharfEcrClient      *self,
                                          const char          *name,
                                          gboolean             force,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  JsonObject *input;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = wharf_ecr_client_new_task (self, wharf_ecr_client_delete_repository_async, cancellable,
                                    callback, user_data);
  if (!wharf_ecr_check_repository (task, name))
    return;

  input = wharf_ecr_input_new (name);
  if (force)
    json_object_set_boolean_member (input, "force", TRUE);
  wharf_ecr_client_simple_call (self, g_steal_pointer (&task), "DeleteRepository", input,
                                parse_repository_member, g_object_unref);
}

WharfRepository *
wharf_ecr_client_delete_repository_finish (WharfEcrClient  *self,
                                           GAsyncResult    *result,
                                           GError         **error)
{
  return wharf_ecr_client_propagate_pointer (self, result,
                                             wharf_ecr_client_delete_repository_async, error);
}

/* ---- PutImageTagMutability ---- */

void
wharf_ecr_client_put_image_tag_mutability_async (WharfEcrClient      *self,
                                                 const char          *repository,
                                                 WharfTagMutability   mutability,
                                                 const char * const  *exclusion_filters,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(WharfRepositoryOptions) options = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *input;
  const char * const *f;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = wharf_ecr_client_new_task (self, wharf_ecr_client_put_image_tag_mutability_async,
                                    cancellable, callback, user_data);

  /* The same rules as at creation. */
  options = wharf_repository_options_new (repository);
  wharf_repository_options_set_tag_mutability (options, mutability);
  for (f = exclusion_filters; f && *f; f++)
    wharf_repository_options_add_exclusion_filter (options, *f);
  if (!wharf_repository_options_validate (options, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  input = wharf_ecr_input_new (repository);
  json_object_set_string_member (input, "imageTagMutability",
                                 wharf_tag_mutability_to_string (mutability));
  wharf_ecr_json_set_wildcard_filters (input, "imageTagMutabilityExclusionFilters",
                                       exclusion_filters, -1, FALSE);
  wharf_ecr_client_simple_call (self, g_steal_pointer (&task), "PutImageTagMutability", input,
                                NULL, NULL);
}

gboolean
wharf_ecr_client_put_image_tag_mutability_finish (WharfEcrClient  *self,
                                                  GAsyncResult    *result,
                                                  GError         **error)
{
  return wharf_ecr_client_propagate_boolean (self, result,
                                             wharf_ecr_client_put_image_tag_mutability_async,
                                             error);
}

/* ---- PutImageScanningConfiguration ---- */

void
wharf_ecr_client_put_image_scanning_configuration_async (WharfEcrClient      *self,
                                                         const char          *repository,
                                                         gboolean             scan_on_push,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  JsonObject *input, *scanning;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = wharf_ecr_client_new_task (self, wharf_ecr_client_put_image_scanning_configuration_async,
                                    cancellable, callback, user_data);
  if (!wharf_ecr_check_repository (task, repository))
    return;

  input = wharf_ecr_input_new (repository);
  scanning = json_object_new ();
  json_object_set_boolean_member (scanning, "scanOnPush", !!scan_on_push);
  json_object_set_object_member (input, "imageScanningConfiguration", scanning);
  wharf_ecr_client_simple_call (self, g_steal_pointer (&task), "PutImageScanningConfiguration",
                                input, NULL, NULL);
}

gboolean
wharf_ecr_client_put_image_scanning_configuration_finish (WharfEcrClient  *self,
                                                          GAsyncResult    *result,
                                                          GError         **error)
{
  return wharf_ecr_client_propagate_boolean (self, result,
                                             wharf_ecr_client_put_image_scanning_configuration_async,
                                             error);
}

/* ---- Resource tags (any ECR ARN) ---- */

static JsonObject *
resource_input (const char *resource_arn)
{
  JsonObject *input = json_object_new ();

  json_object_set_string_member (input, "resourceArn", resource_arn);
  return input;
}

void
wharf_ecr_client_tag_resource_async (WharfEcrClient      *self,
                                     const char          *resource_arn,
                                     GPtrArray           *tags,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  JsonObject *input;
  guint i;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = wharf_ecr_client_new_task (self, wharf_ecr_client_tag_resource_async, cancellable,
                                    callback, user_data);
  if (!wharf_ecr_check_not_empty (task, resource_arn, _("The resource ARN")))
    return;
  if (!tags || tags->len == 0)
    {
      wharf_ecr_return_invalid (task, g_strdup (_("Add at least one tag")));
      return;
    }
  for (i = 0; i < tags->len; i++)
    {
      const WharfResourceTag *tag = g_ptr_array_index (tags, i);
      char *reason = NULL;

      if (!wharf_ecr_validate_resource_tag_key (tag->key, &reason) ||
          !wharf_ecr_validate_resource_tag_value (tag->value, &reason))
        {
          wharf_ecr_return_invalid (task, reason);
          return;
        }
    }

  input = resource_input (resource_arn);
  wharf_ecr_input_set_resource_tags (input, tags);
  wharf_ecr_client_simple_call (self, g_steal_pointer (&task), "TagResource", input, NULL, NULL);
}

gboolean
wharf_ecr_client_tag_resource_finish (WharfEcrClient  *self,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  return wharf_ecr_client_propagate_boolean (self, result, wharf_ecr_client_tag_resource_async,
                                             error);
}

void
wharf_ecr_client_untag_resource_async (WharfEcrClient      *self,
                                       const char          *resource_arn,
                                       const char * const  *tag_keys,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  JsonObject *input;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = wharf_ecr_client_new_task (self, wharf_ecr_client_untag_resource_async, cancellable,
                                    callback, user_data);
  if (!wharf_ecr_check_not_empty (task, resource_arn, _("The resource ARN")))
    return;
  if (!tag_keys || !tag_keys[0])
    {
      wharf_ecr_return_invalid (task, g_strdup (_("Choose at least one tag to remove")));
      return;
    }

  input = resource_input (resource_arn);
  json_object_set_array_member (input, "tagKeys", wharf_ecr_json_array_from_strv (tag_keys));
  wharf_ecr_client_simple_call (self, g_steal_pointer (&task), "UntagResource", input, NULL,
                                NULL);
}

gboolean
wharf_ecr_client_untag_resource_finish (WharfEcrClient  *self,
                                        GAsyncResult    *result,
                                        GError         **error)
{
  return wharf_ecr_client_propagate_boolean (self, result, wharf_ecr_client_untag_resource_async,
                                             error);
}

static gpointer
parse_tags (JsonObject *response,
            GError    **error)
{
  g_autoptr(GPtrArray) tags = NULL;
  JsonArray *array;
  guint i, n;

  tags = g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_resource_tag_free);
  if (!wharf_ecr_json_get_array (response, "tags", FALSE, &array, error))
    return NULL;
  n = array ? json_array_get_length (array) : 0;
  for (i = 0; i < n; i++)
    {
      JsonObject *object = wharf_ecr_json_array_get_object (array, i, "tags", error);
      const char *key, *value;

      if (!object ||
          !wharf_ecr_json_get_string (object, "Key", TRUE, &key, error) ||
          !wharf_ecr_json_get_string (object, "Value", FALSE, &value, error))
        return NULL;
      g_ptr_array_add (tags, wharf_resource_tag_new (key, value));
    }
  return g_steal_pointer (&tags);
}

void
wharf_ecr_client_list_tags_for_resource_async (WharfEcrClient      *self,
                                               const char          *resource_arn,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = wharf_ecr_client_new_task (self, wharf_ecr_client_list_tags_for_resource_async,
                                    cancellable, callback, user_data);
  if (!wharf_ecr_check_not_empty (task, resource_arn, _("The resource ARN")))
    return;

  wharf_ecr_client_simple_call (self, g_steal_pointer (&task), "ListTagsForResource",
                                resource_input (resource_arn),
                                parse_tags, (GDestroyNotify) g_ptr_array_unref);
}

GPtrArray *
wharf_ecr_client_list_tags_for_resource_finish (WharfEcrClient  *self,
                                                GAsyncResult    *result,
                                                GError         **error)
{
  return wharf_ecr_client_propagate_pointer (self, result,
                                             wharf_ecr_client_list_tags_for_resource_async,
                                             error);
}
