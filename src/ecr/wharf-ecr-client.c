/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-ecr-client"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wharf-ecr-client.h"

#include "wharf-ecr-json-private.h"
#include "wharf-ecr-records-private.h"
#include "wharf-ecr-validate.h"

/* BatchGetRepositoryScanningConfiguration takes at most 25 names. */
#define SCANNING_CONFIGURATION_BATCH 25
/* GetLifecyclePolicyPreview serves at most 100 results a page. */
#define LIFECYCLE_PREVIEW_PAGE 100
#define LIFECYCLE_PREVIEW_TIMEOUT_US (5 * 60 * G_USEC_PER_SEC)
/* A hostile service could send nextTokens forever; no real listing has this many pages. */
#define MAX_PAGES 100000

struct _WharfEcrClient
{
  GObject         parent_instance;

  WharfAwsClient *aws;
  guint           page_size;
};

G_DEFINE_FINAL_TYPE (WharfEcrClient, wharf_ecr_client, G_TYPE_OBJECT)

static void
wharf_ecr_client_finalize (GObject *object)
{
  WharfEcrClient *self = (WharfEcrClient *) object;

  g_clear_object (&self->aws);

  G_OBJECT_CLASS (wharf_ecr_client_parent_class)->finalize (object);
}

static void
wharf_ecr_client_class_init (WharfEcrClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = wharf_ecr_client_finalize;
}

static void
wharf_ecr_client_init (WharfEcrClient *self)
{
  self->page_size = WHARF_ECR_MAX_PAGE_SIZE;
}

WharfEcrClient *
wharf_ecr_client_new (const char               *region,
                      WharfCredentialsProvider *provider)
{
  g_autoptr(WharfAwsClient) aws = NULL;

  aws = wharf_aws_client_new (WHARF_ECR_SIGNING_NAME, WHARF_ECR_TARGET_PREFIX,
                              WHARF_ECR_ENDPOINT_PREFIX, region, provider);
  return wharf_ecr_client_new_for_aws_client (aws);
}

WharfEcrClient *
wharf_ecr_client_new_for_aws_client (WharfAwsClient *aws_client)
{
  WharfEcrClient *self;

  g_return_val_if_fail (WHARF_IS_AWS_CLIENT (aws_client), NULL);

  self = g_object_new (WHARF_TYPE_ECR_CLIENT, NULL);
  self->aws = g_object_ref (aws_client);
  return self;
}

WharfAwsClient *
wharf_ecr_client_get_aws_client (WharfEcrClient *self)
{
  g_return_val_if_fail (WHARF_IS_ECR_CLIENT (self), NULL);
  return self->aws;
}

void
wharf_ecr_client_set_endpoint (WharfEcrClient *self,
                               const char     *url)
{
  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));
  wharf_aws_client_set_endpoint (self->aws, url);
}

const char *
wharf_ecr_client_get_endpoint (WharfEcrClient *self)
{
  g_return_val_if_fail (WHARF_IS_ECR_CLIENT (self), NULL);
  return wharf_aws_client_get_endpoint (self->aws);
}

const char *
wharf_ecr_client_get_region (WharfEcrClient *self)
{
  g_return_val_if_fail (WHARF_IS_ECR_CLIENT (self), NULL);
  return wharf_aws_client_get_region (self->aws);
}

void
wharf_ecr_client_set_page_size (WharfEcrClient *self,
                                guint           page_size)
{
  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));
  self->page_size = CLAMP (page_size, 1, WHARF_ECR_MAX_PAGE_SIZE);
}

guint
wharf_ecr_client_get_page_size (WharfEcrClient *self)
{
  g_return_val_if_fail (WHARF_IS_ECR_CLIENT (self), WHARF_ECR_MAX_PAGE_SIZE);
  return self->page_size;
}

/* ---- Helpers ---- */

static gboolean
return_invalid (GTask *task,
                char  *reason)
{
  g_task_return_new_error (task, WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_ARGUMENT, "%s", reason);
  g_free (reason);
  return FALSE;
}

/* Checks a repository name; on failure returns the error through @task. */
static gboolean
check_repository (GTask      *task,
                  const char *repository)
{
  char *reason = NULL;

  if (!wharf_ecr_validate_repository_name (repository, &reason))
    return return_invalid (task, reason);
  return TRUE;
}

static gboolean
check_not_empty (GTask      *task,
                 const char *value,
                 const char *what)
{
  if (!value || !*value)
    return return_invalid (task, g_strdup_printf (_("%s is missing"), what));
  return TRUE;
}

static gboolean
check_image_id (GTask              *task,
                const WharfImageId *id)
{
  char *reason = NULL;

  if (!id || ((!id->digest || !*id->digest) && (!id->tag || !*id->tag)))
    return return_invalid (task, g_strdup (_("An image needs a digest or a tag")));
  if (id->tag && *id->tag && !wharf_ecr_validate_image_tag (id->tag, &reason))
    return return_invalid (task, reason);
  return TRUE;
}

static JsonObject *
image_id_to_json (const WharfImageId *id)
{
  JsonObject *object = json_object_new ();

  if (id->digest && *id->digest)
    json_object_set_string_member (object, "imageDigest", id->digest);
  if (id->tag && *id->tag)
    json_object_set_string_member (object, "imageTag", id->tag);
  return object;
}

static JsonArray *
image_ids_to_json (GPtrArray *ids,
                   guint      start,
                   guint      count)
{
  JsonArray *array = json_array_new ();
  guint i;

  for (i = start; i < start + count && i < ids->len; i++)
    json_array_add_object_element (array, image_id_to_json (g_ptr_array_index (ids, i)));
  return array;
}

static JsonObject *
repository_input (const char *repository)
{
  JsonObject *input = json_object_new ();

  json_object_set_string_member (input, "repositoryName", repository);
  return input;
}

static gboolean
parse_image_id (JsonObject    *object,
                const char    *member,
                WharfImageId **out,
                GError       **error)
{
  const char *digest, *tag;

  *out = NULL;
  if (!wharf_ecr_json_get_string (object, "imageDigest", FALSE, &digest, error) ||
      !wharf_ecr_json_get_string (object, "imageTag", FALSE, &tag, error))
    return FALSE;
  if (!digest && !tag)
    return wharf_ecr_json_missing (member, error);
  *out = wharf_image_id_new (digest, tag);
  return TRUE;
}

/* Appends ECR's ImageFailure list to @failures. */
static gboolean
parse_failures (JsonObject *response,
                GPtrArray  *failures,
                GError    **error)
{
  JsonArray *array;
  guint i, n;

  if (!wharf_ecr_json_get_array (response, "failures", FALSE, &array, error))
    return FALSE;
  n = array ? json_array_get_length (array) : 0;
  for (i = 0; i < n; i++)
    {
      JsonObject *object = wharf_ecr_json_array_get_object (array, i, "failures", error);
      JsonObject *id_object = NULL;
      const char *code, *reason, *digest = NULL, *tag = NULL;

      if (!object ||
          !wharf_ecr_json_get_object (object, "imageId", FALSE, &id_object, error) ||
          !wharf_ecr_json_get_string (object, "failureCode", FALSE, &code, error) ||
          !wharf_ecr_json_get_string (object, "failureReason", FALSE, &reason, error))
        return FALSE;
      if (id_object &&
          (!wharf_ecr_json_get_string (id_object, "imageDigest", FALSE, &digest, error) ||
           !wharf_ecr_json_get_string (id_object, "imageTag", FALSE, &tag, error)))
        return FALSE;
      g_ptr_array_add (failures, wharf_image_failure_new (digest, tag, code, reason));
    }
  return TRUE;
}

static gboolean
parse_next_token (JsonObject  *response,
                  char       **next_token,
                  GError     **error)
{
  const char *token;

  if (!wharf_ecr_json_get_string (response, "nextToken", FALSE, &token, error))
    return FALSE;
  *next_token = token && *token ? g_strdup (token) : NULL;
  return TRUE;
}

/* ---- Single calls ---- */

typedef gpointer (*ParseFunc) (JsonObject *response,
                               GError    **error);

typedef struct
{
  ParseFunc      parse;
  GDestroyNotify destroy;
} SimpleCall;

static void
simple_call_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SimpleCall *call = g_task_get_task_data (task);
  g_autoptr(JsonObject) response = NULL;
  g_autoptr(GError) error = NULL;
  gpointer value;

  response = wharf_aws_client_call_finish (WHARF_AWS_CLIENT (source), result, &error);
  if (!response)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!call->parse)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  value = call->parse (response, &error);
  if (error)
    {
      g_assert (!value);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, value, call->destroy);
}

/* Sends @input (transfer full) and returns parse (response) through @task (transfer full);
 * without @parse the task returns TRUE. */
static void
simple_call (WharfEcrClient *self,
             GTask          *task,
             const char     *operation,
             JsonObject     *input,
             ParseFunc       parse,
             GDestroyNotify  destroy)
{
  SimpleCall *call = g_new0 (SimpleCall, 1);
  g_autoptr(JsonObject) owned_input = input;

  call->parse = parse;
  call->destroy = destroy;
  g_task_set_task_data (task, call, g_free);
  wharf_aws_client_call_async (self->aws, operation, owned_input, g_task_get_cancellable (task),
                               simple_call_cb, task);
}

static GTask *
new_task (WharfEcrClient      *self,
          gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  return task;
}

static gpointer
propagate_pointer (WharfEcrClient  *self,
                   GAsyncResult    *result,
                   gpointer         source_tag,
                   GError         **error)
{
  g_return_val_if_fail (WHARF_IS_ECR_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
propagate_boolean (WharfEcrClient  *self,
                   GAsyncResult    *result,
                   gpointer         source_tag,
                   GError         **error)
{
  g_return_val_if_fail (WHARF_IS_ECR_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

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
  guint i;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));
  g_return_if_fail (options);

  task = new_task (self, wharf_ecr_client_create_repository_async, cancellable, callback,
                   user_data);

  if (!wharf_repository_options_validate (options, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  input = repository_input (wharf_repository_options_get_name (options));

  if (wharf_repository_options_get_mutability (options, &mutability))
    json_object_set_string_member (input, "imageTagMutability",
                                   wharf_tag_mutability_to_string (mutability));
  filters = wharf_repository_options_get_exclusion_filters (options);
  if (filters->len > 0)
    {
      JsonArray *array = json_array_new ();

      for (i = 0; i < filters->len; i++)
        {
          JsonObject *filter = json_object_new ();

          json_object_set_string_member (filter, "filterType", "WILDCARD");
          json_object_set_string_member (filter, "filter", g_ptr_array_index (filters, i));
          json_array_add_object_element (array, filter);
        }
      json_object_set_array_member (input, "imageTagMutabilityExclusionFilters", array);
    }
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
    {
      JsonArray *array = json_array_new ();

      for (i = 0; i < tags->len; i++)
        {
          const WharfResourceTag *tag = g_ptr_array_index (tags, i);
          JsonObject *object = json_object_new ();

          json_object_set_string_member (object, "Key", tag->key);
          json_object_set_string_member (object, "Value", tag->value);
          json_array_add_object_element (array, object);
        }
      json_object_set_array_member (input, "tags", array);
    }

  simple_call (self, g_steal_pointer (&task), "CreateRepository", g_steal_pointer (&input),
               parse_repository_member, g_object_unref);
}

WharfRepository *
wharf_ecr_client_create_repository_finish (WharfEcrClient  *self,
                                           GAsyncResult    *result,
                                           GError         **error)
{
  return propagate_pointer (self, result, wharf_ecr_client_create_repository_async, error);
}

/* ---- DescribeRepositories (one page) ---- */

typedef struct
{
  GPtrArray *items;
  char      *next_token;
} Page;

static void
page_free (Page *page)
{
  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_free (page->next_token);
  g_free (page);
}

static gpointer
parse_repositories_page (JsonObject *response,
                         GError    **error)
{
  Page *page = g_new0 (Page, 1);
  JsonArray *array;
  guint i, n;

  page->items = g_ptr_array_new_with_free_func (g_object_unref);
  if (!wharf_ecr_json_get_array (response, "repositories", FALSE, &array, error) ||
      !parse_next_token (response, &page->next_token, error))
    goto fail;
  n = array ? json_array_get_length (array) : 0;
  for (i = 0; i < n; i++)
    {
      JsonObject *object = wharf_ecr_json_array_get_object (array, i, "repositories", error);
      WharfRepository *repository;

      if (!object || !(repository = wharf_repository_new_from_json (object, error)))
        goto fail;
      g_ptr_array_add (page->items, repository);
    }
  return page;

fail:
  page_free (page);
  return NULL;
}

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
  g_autoptr(JsonObject) input = json_object_new ();

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = new_task (self, wharf_ecr_client_describe_repositories_async, cancellable, callback,
                   user_data);

  if (names && names[0])
    {
      const char * const *n;

      for (n = names; *n; n++)
        if (!check_repository (task, *n))
          return;
      json_object_set_array_member (input, "repositoryNames",
                                    wharf_ecr_json_array_from_strv (names));
    }
  else
    {
      json_object_set_int_member (input, "maxResults",
                                  max_results ? MIN (max_results, WHARF_ECR_MAX_PAGE_SIZE)
                                              : self->page_size);
    }
  if (next_token && *next_token)
    json_object_set_string_member (input, "nextToken", next_token);

  simple_call (self, g_steal_pointer (&task), "DescribeRepositories", g_steal_pointer (&input),
               parse_repositories_page, (GDestroyNotify) page_free);
}

static GPtrArray *
finish_page (Page   *page,
             char  **next_token)
{
  GPtrArray *items;

  if (!page)
    {
      if (next_token)
        *next_token = NULL;
      return NULL;
    }
  items = g_steal_pointer (&page->items);
  if (next_token)
    *next_token = g_steal_pointer (&page->next_token);
  page_free (page);
  return items;
}

GPtrArray *
wharf_ecr_client_describe_repositories_finish (WharfEcrClient  *self,
                                               GAsyncResult    *result,
                                               char           **next_token,
                                               GError         **error)
{
  return finish_page (propagate_pointer (self, result, wharf_ecr_client_describe_repositories_async,
                                         error),
                      next_token);
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

  task = new_task (self, wharf_ecr_client_delete_repository_async, cancellable, callback,
                   user_data);
  if (!check_repository (task, name))
    return;

  input = repository_input (name);
  if (force)
    json_object_set_boolean_member (input, "force", TRUE);
  simple_call (self, g_steal_pointer (&task), "DeleteRepository", input,
               parse_repository_member, g_object_unref);
}

WharfRepository *
wharf_ecr_client_delete_repository_finish (WharfEcrClient  *self,
                                           GAsyncResult    *result,
                                           GError         **error)
{
  return propagate_pointer (self, result, wharf_ecr_client_delete_repository_async, error);
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

  task = new_task (self, wharf_ecr_client_put_image_tag_mutability_async, cancellable, callback,
                   user_data);

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

  input = repository_input (repository);
  json_object_set_string_member (input, "imageTagMutability",
                                 wharf_tag_mutability_to_string (mutability));
  if (exclusion_filters && exclusion_filters[0])
    {
      JsonArray *array = json_array_new ();

      for (f = exclusion_filters; *f; f++)
        {
          JsonObject *filter = json_object_new ();

          json_object_set_string_member (filter, "filterType", "WILDCARD");
          json_object_set_string_member (filter, "filter", *f);
          json_array_add_object_element (array, filter);
        }
      json_object_set_array_member (input, "imageTagMutabilityExclusionFilters", array);
    }
  simple_call (self, g_steal_pointer (&task), "PutImageTagMutability", input, NULL, NULL);
}

gboolean
wharf_ecr_client_put_image_tag_mutability_finish (WharfEcrClient  *self,
                                                  GAsyncResult    *result,
                                                  GError         **error)
{
  return propagate_boolean (self, result, wharf_ecr_client_put_image_tag_mutability_async, error);
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

  task = new_task (self, wharf_ecr_client_put_image_scanning_configuration_async, cancellable,
                   callback, user_data);
  if (!check_repository (task, repository))
    return;

  input = repository_input (repository);
  scanning = json_object_new ();
  json_object_set_boolean_member (scanning, "scanOnPush", !!scan_on_push);
  json_object_set_object_member (input, "imageScanningConfiguration", scanning);
  simple_call (self, g_steal_pointer (&task), "PutImageScanningConfiguration", input, NULL, NULL);
}

gboolean
wharf_ecr_client_put_image_scanning_configuration_finish (WharfEcrClient  *self,
                                                          GAsyncResult    *result,
                                                          GError         **error)
{
  return propagate_boolean (self, result, wharf_ecr_client_put_image_scanning_configuration_async,
                            error);
}

/* ---- Resource tags ---- */

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
  JsonArray *array;
  guint i;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = new_task (self, wharf_ecr_client_tag_resource_async, cancellable, callback, user_data);
  if (!check_not_empty (task, resource_arn, _("The resource ARN")))
    return;
  if (!tags || tags->len == 0)
    {
      return_invalid (task, g_strdup (_("Add at least one tag")));
      return;
    }

  array = json_array_new ();
  for (i = 0; i < tags->len; i++)
    {
      const WharfResourceTag *tag = g_ptr_array_index (tags, i);
      JsonObject *object;
      char *reason = NULL;

      if (!wharf_ecr_validate_resource_tag_key (tag->key, &reason) ||
          !wharf_ecr_validate_resource_tag_value (tag->value, &reason))
        {
          json_array_unref (array);
          return_invalid (task, reason);
          return;
        }
      object = json_object_new ();
      json_object_set_string_member (object, "Key", tag->key);
      json_object_set_string_member (object, "Value", tag->value ? tag->value : "");
      json_array_add_object_element (array, object);
    }

  input = json_object_new ();
  json_object_set_string_member (input, "resourceArn", resource_arn);
  json_object_set_array_member (input, "tags", array);
  simple_call (self, g_steal_pointer (&task), "TagResource", input, NULL, NULL);
}

gboolean
wharf_ecr_client_tag_resource_finish (WharfEcrClient  *self,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  return propagate_boolean (self, result, wharf_ecr_client_tag_resource_async, error);
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

  task = new_task (self, wharf_ecr_client_untag_resource_async, cancellable, callback, user_data);
  if (!check_not_empty (task, resource_arn, _("The resource ARN")))
    return;
  if (!tag_keys || !tag_keys[0])
    {
      return_invalid (task, g_strdup (_("Choose at least one tag to remove")));
      return;
    }

  input = json_object_new ();
  json_object_set_string_member (input, "resourceArn", resource_arn);
  json_object_set_array_member (input, "tagKeys", wharf_ecr_json_array_from_strv (tag_keys));
  simple_call (self, g_steal_pointer (&task), "UntagResource", input, NULL, NULL);
}

gboolean
wharf_ecr_client_untag_resource_finish (WharfEcrClient  *self,
                                        GAsyncResult    *result,
                                        GError         **error)
{
  return propagate_boolean (self, result, wharf_ecr_client_untag_resource_async, error);
}

static gpointer
parse_tags (JsonObject *response,
            GError    **error)
{
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_resource_tag_free);
  JsonArray *array;
  guint i, n;

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
  JsonObject *input;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = new_task (self, wharf_ecr_client_list_tags_for_resource_async, cancellable, callback,
                   user_data);
  if (!check_not_empty (task, resource_arn, _("The resource ARN")))
    return;

  input = json_object_new ();
  json_object_set_string_member (input, "resourceArn", resource_arn);
  simple_call (self, g_steal_pointer (&task), "ListTagsForResource", input,
               parse_tags, (GDestroyNotify) g_ptr_array_unref);
}

GPtrArray *
wharf_ecr_client_list_tags_for_resource_finish (WharfEcrClient  *self,
                                                GAsyncResult    *result,
                                                GError         **error)
{
  return propagate_pointer (self, result, wharf_ecr_client_list_tags_for_resource_async, error);
}

/* ---- DescribeRegistry ---- */

static gpointer
parse_registry (JsonObject *response,
                GError    **error)
{
  g_autoptr(WharfRegistryInfo) info = g_new0 (WharfRegistryInfo, 1);
  const char *registry_id;
  JsonObject *replication;

  if (!wharf_ecr_json_get_string (response, "registryId", TRUE, &registry_id, error) ||
      !wharf_ecr_json_get_object (response, "replicationConfiguration", FALSE, &replication, error))
    return NULL;
  info->registry_id = g_strdup (registry_id);
  if (replication)
    {
      JsonArray *rules;

      if (!wharf_ecr_json_get_array (replication, "rules", FALSE, &rules, error))
        return NULL;
      info->n_replication_rules = rules ? json_array_get_length (rules) : 0;
    }
  return g_steal_pointer (&info);
}

void
wharf_ecr_client_describe_registry_async (WharfEcrClient      *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = new_task (self, wharf_ecr_client_describe_registry_async, cancellable, callback,
                   user_data);
  simple_call (self, task, "DescribeRegistry", json_object_new (),
               parse_registry, (GDestroyNotify) wharf_registry_info_free);
}

WharfRegistryInfo *
wharf_ecr_client_describe_registry_finish (WharfEcrClient  *self,
                                           GAsyncResult    *result,
                                           GError         **error)
{
  return propagate_pointer (self, result, wharf_ecr_client_describe_registry_async, error);
}

/* ---- GetAuthorizationToken ---- */

static gpointer
parse_authorization (JsonObject *response,
                     GError    **error)
{
  JsonArray *array;
  JsonObject *object;

  if (!wharf_ecr_json_get_array (response, "authorizationData", TRUE, &array, error))
    return NULL;
  if (json_array_get_length (array) == 0)
    {
      wharf_ecr_json_missing ("authorizationData", error);
      return NULL;
    }
  object = wharf_ecr_json_array_get_object (array, 0, "authorizationData", error);
  if (!object)
    return NULL;
  return wharf_authorization_token_new_from_json (object, error);
}

void
wharf_ecr_client_get_authorization_token_async (WharfEcrClient      *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = new_task (self, wharf_ecr_client_get_authorization_token_async, cancellable, callback,
                   user_data);
  simple_call (self, task, "GetAuthorizationToken", json_object_new (),
               parse_authorization, g_object_unref);
}

WharfAuthorizationToken *
wharf_ecr_client_get_authorization_token_finish (WharfEcrClient  *self,
                                                 GAsyncResult    *result,
                                                 GError         **error)
{
  return propagate_pointer (self, result, wharf_ecr_client_get_authorization_token_async, error);
}

/* ---- Registry scanning ---- */

static gboolean
parse_filter_list (JsonObject  *object,
                   const char  *member,
                   GStrv       *out,
                   GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;
  guint i, n;

  if (!wharf_ecr_json_get_array (object, member, FALSE, &array, error))
    return FALSE;
  n = array ? json_array_get_length (array) : 0;
  for (i = 0; i < n; i++)
    {
      JsonObject *filter = wharf_ecr_json_array_get_object (array, i, member, error);
      const char *value;

      if (!filter || !wharf_ecr_json_get_string (filter, "filter", TRUE, &value, error))
        return FALSE;
      g_strv_builder_add (builder, value);
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

static WharfRegistryScanningConfiguration *
parse_registry_scanning_configuration (JsonObject  *object,
                                       GError     **error)
{
  g_autoptr(WharfRegistryScanningConfiguration) configuration = NULL;
  const char *scan_type;
  JsonArray *rules;
  guint i, n;

  configuration = wharf_registry_scanning_configuration_new (WHARF_SCAN_TYPE_BASIC);
  if (!wharf_ecr_json_get_string (object, "scanType", FALSE, &scan_type, error) ||
      !wharf_ecr_json_get_array (object, "rules", FALSE, &rules, error))
    return NULL;
  if (scan_type && !wharf_scan_type_from_string (scan_type, &configuration->scan_type))
    {
      wharf_ecr_json_bad_value ("scanType", error);
      return NULL;
    }
  n = rules ? json_array_get_length (rules) : 0;
  for (i = 0; i < n; i++)
    {
      JsonObject *rule_object = wharf_ecr_json_array_get_object (rules, i, "rules", error);
      g_auto(GStrv) filters = NULL;
      const char *frequency_str;
      WharfScanFrequency frequency;
      WharfScanningRule *rule;

      if (!rule_object ||
          !wharf_ecr_json_get_string (rule_object, "scanFrequency", TRUE, &frequency_str, error) ||
          !parse_filter_list (rule_object, "repositoryFilters", &filters, error))
        return NULL;
      if (!wharf_scan_frequency_from_string (frequency_str, &frequency))
        {
          wharf_ecr_json_bad_value ("scanFrequency", error);
          return NULL;
        }
      rule = wharf_scanning_rule_new (frequency, (const char * const *) filters);
      wharf_registry_scanning_configuration_add_rule (configuration, rule);
    }
  return g_steal_pointer (&configuration);
}

static gpointer
parse_get_registry_scanning (JsonObject *response,
                             GError    **error)
{
  WharfRegistryScanningConfiguration *configuration;
  const char *registry_id;
  JsonObject *object;

  if (!wharf_ecr_json_get_string (response, "registryId", FALSE, &registry_id, error) ||
      !wharf_ecr_json_get_object (response, "scanningConfiguration", TRUE, &object, error))
    return NULL;
  configuration = parse_registry_scanning_configuration (object, error);
  if (configuration)
    configuration->registry_id = g_strdup (registry_id);
  return configuration;
}

static gpointer
parse_put_registry_scanning (JsonObject *response,
                             GError    **error)
{
  JsonObject *object;

  if (!wharf_ecr_json_get_object (response, "registryScanningConfiguration", TRUE, &object, error))
    return NULL;
  return parse_registry_scanning_configuration (object, error);
}

void
wharf_ecr_client_get_registry_scanning_configuration_async (WharfEcrClient      *self,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = new_task (self, wharf_ecr_client_get_registry_scanning_configuration_async, cancellable,
                   callback, user_data);
  simple_call (self, task, "GetRegistryScanningConfiguration", json_object_new (),
               parse_get_registry_scanning, (GDestroyNotify) wharf_registry_scanning_configuration_free);
}

WharfRegistryScanningConfiguration *
wharf_ecr_client_get_registry_scanning_configuration_finish (WharfEcrClient  *self,
                                                             GAsyncResult    *result,
                                                             GError         **error)
{
  return propagate_pointer (self, result,
                            wharf_ecr_client_get_registry_scanning_configuration_async,
                            error);
}

void
wharf_ecr_client_put_registry_scanning_configuration_async (WharfEcrClient                           *self,
                                                            const WharfRegistryScanningConfiguration *configuration,
                                                            GCancellable                             *cancellable,
                                                            GAsyncReadyCallback                       callback,
                                                            gpointer                                  user_data)
{
  g_autoptr(GTask) task = NULL;
  JsonObject *input;
  JsonArray *rules;
  guint i;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));
  g_return_if_fail (configuration);

  task = new_task (self, wharf_ecr_client_put_registry_scanning_configuration_async, cancellable,
                   callback, user_data);

  input = json_object_new ();
  json_object_set_string_member (input, "scanType",
                                 wharf_scan_type_to_string (configuration->scan_type));
  rules = json_array_new ();
  for (i = 0; i < configuration->rules->len; i++)
    {
      const WharfScanningRule *rule = g_ptr_array_index (configuration->rules, i);
      JsonObject *object = json_object_new ();
      JsonArray *filters = json_array_new ();
      char **f;

      json_object_set_string_member (object, "scanFrequency",
                                     wharf_scan_frequency_to_string (rule->frequency));
      for (f = rule->repository_filters; f && *f; f++)
        {
          JsonObject *filter = json_object_new ();

          json_object_set_string_member (filter, "filter", *f);
          json_object_set_string_member (filter, "filterType", "WILDCARD");
          json_array_add_object_element (filters, filter);
        }
      json_object_set_array_member (object, "repositoryFilters", filters);
      json_array_add_object_element (rules, object);
    }
  json_object_set_array_member (input, "rules", rules);

  simple_call (self, g_steal_pointer (&task), "PutRegistryScanningConfiguration", input,
               parse_put_registry_scanning, (GDestroyNotify) wharf_registry_scanning_configuration_free);
}

WharfRegistryScanningConfiguration *
wharf_ecr_client_put_registry_scanning_configuration_finish (WharfEcrClient  *self,
                                                             GAsyncResult    *result,
                                                             GError         **error)
{
  return propagate_pointer (self, result,
                            wharf_ecr_client_put_registry_scanning_configuration_async,
                            error);
}

/* ---- Chunked calls ----
 * One state machine for every call that sends a list in chunks (BatchDeleteImage,
 * BatchGetImage, DescribeImages by id, BatchGetRepositoryScanningConfiguration) or follows
 * nextToken (ListImages, DescribeImageScanFindings). */

typedef struct _Chunked Chunked;

/* Builds the input of the next request, NULL when done. */
typedef JsonObject *(*ChunkedNext)  (Chunked *state);
/* Takes the response in; FALSE with @error on malformed data. */
typedef gboolean    (*ChunkedTake)  (Chunked    *state,
                                     JsonObject *response,
                                     GError    **error);
/* A request failed as a whole: TRUE if handled (continue), FALSE to fail the task. */
typedef gboolean    (*ChunkedFail)  (Chunked      *state,
                                     const GError *error);

struct _Chunked
{
  WharfEcrClient *client;
  const char     *operation;
  char           *repository;
  GPtrArray      *ids;           /* input ids (of WharfImageId or char *) */
  GPtrArray      *queue;         /* of GPtrArray slices still to send (split on not found) */
  GPtrArray      *current;       /* slice being sent */
  guint           chunk_size;
  char           *next_token;
  guint           n_pages;
  gboolean        all_pages;
  gboolean        started;
  WharfTagStatus  tag_status;
  ChunkedNext     next;
  ChunkedTake     take;
  ChunkedFail     fail;
  gpointer        result;
  GDestroyNotify  result_free;
  GPtrArray      *failures;      /* of WharfImageFailure */
  GStrv           media_types;   /* BatchGetImage's acceptedMediaTypes */
};

static void
chunked_free (Chunked *state)
{
  g_clear_object (&state->client);
  g_free (state->repository);
  g_clear_pointer (&state->ids, g_ptr_array_unref);
  g_clear_pointer (&state->queue, g_ptr_array_unref);
  g_clear_pointer (&state->current, g_ptr_array_unref);
  g_free (state->next_token);
  if (state->result && state->result_free)
    state->result_free (state->result);
  g_clear_pointer (&state->failures, g_ptr_array_unref);
  g_strfreev (state->media_types);
  g_free (state);
}

static Chunked *
chunked_new (WharfEcrClient *client,
             const char     *operation,
             const char     *repository,
             GPtrArray      *ids,
             guint           chunk_size)
{
  Chunked *state = g_new0 (Chunked, 1);

  state->client = g_object_ref (client);
  state->operation = operation;
  state->repository = g_strdup (repository);
  state->ids = ids ? g_ptr_array_ref (ids) : NULL;
  state->chunk_size = chunk_size;
  state->queue = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  state->failures = g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_image_failure_free);

  /* Slices keep references to the input's elements; the input outlives them. */
  if (ids)
    {
      guint start;

      for (start = 0; start < ids->len; start += chunk_size)
        {
          GPtrArray *slice = g_ptr_array_new ();
          guint i;

          for (i = start; i < ids->len && i < start + chunk_size; i++)
            g_ptr_array_add (slice, g_ptr_array_index (ids, i));
          g_ptr_array_add (state->queue, slice);
        }
    }
  return state;
}

/* Pops the next slice of ids into state->current; FALSE when none is left. */
static gboolean
chunked_pop_slice (Chunked *state)
{
  g_clear_pointer (&state->current, g_ptr_array_unref);
  if (state->queue->len == 0)
    return FALSE;
  state->current = g_ptr_array_steal_index (state->queue, 0);
  return TRUE;
}

static void chunked_send (GTask *task);

static void
chunked_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Chunked *state = g_task_get_task_data (task);
  g_autoptr(JsonObject) response = NULL;
  g_autoptr(GError) error = NULL;

  response = wharf_aws_client_call_finish (WHARF_AWS_CLIENT (source), result, &error);
  if (!response)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          state->fail && state->fail (state, error))
        {
          chunked_send (g_steal_pointer (&task));
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!state->take (state, response, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  chunked_send (g_steal_pointer (&task));
}

static void
chunked_send (GTask *task)
{
  Chunked *state = g_task_get_task_data (task);
  g_autoptr(JsonObject) input = NULL;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  input = state->next (state);
  if (!input)
    {
      gpointer result = g_steal_pointer (&state->result);

      g_task_return_pointer (task, result, state->result_free);
      g_object_unref (task);
      return;
    }
  state->started = TRUE;
  wharf_aws_client_call_async (state->client->aws, state->operation, input,
                               g_task_get_cancellable (task), chunked_cb, task);
}

/* Next input for paginated calls: first page, then while there is a nextToken. */
static gboolean
chunked_want_page (Chunked *state)
{
  if (!state->started)
    return TRUE;
  return state->next_token && state->all_pages;
}

/* Takes the nextToken in; a token that repeats the previous one would loop forever. */
static gboolean
chunked_take_token (Chunked    *state,
                    JsonObject *response,
                    GError    **error)
{
  g_autofree char *token = NULL;

  if (!parse_next_token (response, &token, error))
    return FALSE;
  if (token && g_strcmp0 (token, state->next_token) == 0)
    {
      g_set_error (error, WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_DATA,
                   _("The service sent the same page twice"));
      return FALSE;
    }
  g_free (state->next_token);
  state->next_token = g_steal_pointer (&token);
  state->n_pages++;
  if (state->next_token && state->all_pages && state->n_pages >= MAX_PAGES)
    {
      g_set_error (error, WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_DATA,
                   _("The service sent too many pages"));
      return FALSE;
    }
  return TRUE;
}

/* ---- PutImage ---- */

static gboolean
parse_image_object (JsonObject          *object,
                    WharfImageManifest **out,
                    GError             **error)
{
  g_autoptr(WharfImageManifest) manifest = g_new0 (WharfImageManifest, 1);
  const char *repository, *registry_id, *text, *media_type;
  JsonObject *id_object;
  g_autoptr(WharfImageId) id = NULL;

  if (!wharf_ecr_json_get_string (object, "repositoryName", FALSE, &repository, error) ||
      !wharf_ecr_json_get_string (object, "registryId", FALSE, &registry_id, error) ||
      !wharf_ecr_json_get_object (object, "imageId", TRUE, &id_object, error) ||
      !parse_image_id (id_object, "imageId", &id, error) ||
      !wharf_ecr_json_get_string (object, "imageManifest", FALSE, &text, error) ||
      !wharf_ecr_json_get_string (object, "imageManifestMediaType", FALSE, &media_type, error))
    return FALSE;

  manifest->repository_name = g_strdup (repository);
  manifest->registry_id = g_strdup (registry_id);
  manifest->digest = g_steal_pointer (&id->digest);
  manifest->tag = g_steal_pointer (&id->tag);
  manifest->manifest = g_strdup (text);
  manifest->media_type = g_strdup (media_type);
  *out = g_steal_pointer (&manifest);
  return TRUE;
}

static gpointer
parse_put_image (JsonObject *response,
                 GError    **error)
{
  JsonObject *object;
  WharfImageManifest *manifest = NULL;

  if (!wharf_ecr_json_get_object (response, "image", TRUE, &object, error) ||
      !parse_image_object (object, &manifest, error))
    return NULL;
  return manifest;
}

void
wharf_ecr_client_put_image_async (WharfEcrClient      *self,
                                  const char          *repository,
                                  const char          *manifest,
                                  const char          *media_type,
                                  const char          *tag,
                                  const char          *digest,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  JsonObject *input;
  char *reason = NULL;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = new_task (self, wharf_ecr_client_put_image_async, cancellable, callback, user_data);
  if (!check_repository (task, repository) ||
      !check_not_empty (task, manifest, _("The image manifest")))
    return;
  if (tag && !wharf_ecr_validate_image_tag (tag, &reason))
    {
      return_invalid (task, reason);
      return;
    }

  input = repository_input (repository);
  json_object_set_string_member (input, "imageManifest", manifest);
  if (media_type)
    json_object_set_string_member (input, "imageManifestMediaType", media_type);
  if (tag)
    json_object_set_string_member (input, "imageTag", tag);
  if (digest)
    json_object_set_string_member (input, "imageDigest", digest);
  simple_call (self, g_steal_pointer (&task), "PutImage", input,
               parse_put_image, (GDestroyNotify) wharf_image_manifest_free);
}

WharfImageManifest *
wharf_ecr_client_put_image_finish (WharfEcrClient  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  return propagate_pointer (self, result, wharf_ecr_client_put_image_async, error);
}

/* ---- BatchGetImage ---- */

typedef struct
{
  GPtrArray *images;
  GPtrArray *failures;
} ImagesAndFailures;

static void
images_and_failures_free (ImagesAndFailures *value)
{
  g_clear_pointer (&value->images, g_ptr_array_unref);
  g_clear_pointer (&value->failures, g_ptr_array_unref);
  g_free (value);
}

static JsonObject *
batch_get_image_next (Chunked *state)
{
  JsonObject *input;

  if (!chunked_pop_slice (state))
    return NULL;
  input = repository_input (state->repository);
  json_object_set_array_member (input, "imageIds", image_ids_to_json (state->current, 0,
                                                                      state->current->len));
  if (state->media_types && state->media_types[0])
    json_object_set_array_member (input, "acceptedMediaTypes",
                                  wharf_ecr_json_array_from_strv ((const char * const *) state->media_types));
  return input;
}

static gboolean
batch_get_image_take (Chunked    *state,
                      JsonObject *response,
                      GError    **error)
{
  ImagesAndFailures *value = state->result;
  JsonArray *images;
  guint i, n;

  if (!wharf_ecr_json_get_array (response, "images", FALSE, &images, error) ||
      !parse_failures (response, value->failures, error))
    return FALSE;
  n = images ? json_array_get_length (images) : 0;
  for (i = 0; i < n; i++)
    {
      JsonObject *object = wharf_ecr_json_array_get_object (images, i, "images", error);
      WharfImageManifest *manifest;

      if (!object || !parse_image_object (object, &manifest, error))
        return FALSE;
      g_ptr_array_add (value->images, manifest);
    }
  return TRUE;
}

static gboolean
check_image_ids (GTask     *task,
                 GPtrArray *image_ids)
{
  guint i;

  if (!image_ids || image_ids->len == 0)
    return return_invalid (task, g_strdup (_("Choose at least one image")));
  for (i = 0; i < image_ids->len; i++)
    if (!check_image_id (task, g_ptr_array_index (image_ids, i)))
      return FALSE;
  return TRUE;
}

void
wharf_ecr_client_batch_get_image_async (WharfEcrClient      *self,
                                        const char          *repository,
                                        GPtrArray           *image_ids,
                                        const char * const  *accepted_media_types,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Chunked *state;
  ImagesAndFailures *value;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = new_task (self, wharf_ecr_client_batch_get_image_async, cancellable, callback, user_data);
  if (!check_repository (task, repository) || !check_image_ids (task, image_ids))
    return;

  state = chunked_new (self, "BatchGetImage", repository, image_ids, WHARF_ECR_MAX_BATCH_SIZE);
  state->next = batch_get_image_next;
  state->take = batch_get_image_take;
  value = g_new0 (ImagesAndFailures, 1);
  value->images = g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_image_manifest_free);
  value->failures = g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_image_failure_free);
  state->result = value;
  state->result_free = (GDestroyNotify) images_and_failures_free;
  state->media_types = g_strdupv ((char **) accepted_media_types);
  g_task_set_task_data (task, state, (GDestroyNotify) chunked_free);
  chunked_send (g_steal_pointer (&task));
}

GPtrArray *
wharf_ecr_client_batch_get_image_finish (WharfEcrClient  *self,
                                         GAsyncResult    *result,
                                         GPtrArray      **failures,
                                         GError         **error)
{
  ImagesAndFailures *value;
  GPtrArray *images;

  value = propagate_pointer (self, result, wharf_ecr_client_batch_get_image_async, error);
  if (failures)
    *failures = value ? g_steal_pointer (&value->failures) : NULL;
  if (!value)
    return NULL;
  images = g_steal_pointer (&value->images);
  images_and_failures_free (value);
  return images;
}

/* ---- ListImages (all pages) ---- */

static JsonObject *
list_images_next (Chunked *state)
{
  JsonObject *input, *filter;

  if (!chunked_want_page (state))
    return NULL;
  input = repository_input (state->repository);
  json_object_set_int_member (input, "maxResults", state->client->page_size);
  if (state->next_token)
    json_object_set_string_member (input, "nextToken", state->next_token);
  if (state->tag_status != WHARF_TAG_STATUS_ANY)
    {
      filter = json_object_new ();
      json_object_set_string_member (filter, "tagStatus",
                                     wharf_tag_status_to_string (state->tag_status));
      json_object_set_object_member (input, "filter", filter);
    }
  return input;
}

static gboolean
list_images_take (Chunked    *state,
                  JsonObject *response,
                  GError    **error)
{
  JsonArray *array;
  guint i, n;

  if (!wharf_ecr_json_get_array (response, "imageIds", FALSE, &array, error))
    return FALSE;
  n = array ? json_array_get_length (array) : 0;
  for (i = 0; i < n; i++)
    {
      JsonObject *object = wharf_ecr_json_array_get_object (array, i, "imageIds", error);
      WharfImageId *id;

      if (!object || !parse_image_id (object, "imageIds", &id, error))
        return FALSE;
      g_ptr_array_add (state->result, id);
    }
  return chunked_take_token (state, response, error);
}

void
wharf_ecr_client_list_images_async (WharfEcrClient      *self,
                                    const char          *repository,
                                    WharfTagStatus       tag_status,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Chunked *state;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = new_task (self, wharf_ecr_client_list_images_async, cancellable, callback, user_data);
  if (!check_repository (task, repository))
    return;

  state = chunked_new (self, "ListImages", repository, NULL, 0);
  state->all_pages = TRUE;
  state->tag_status = tag_status;
  state->next = list_images_next;
  state->take = list_images_take;
  state->result = g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_image_id_free);
  state->result_free = (GDestroyNotify) g_ptr_array_unref;
  g_task_set_task_data (task, state, (GDestroyNotify) chunked_free);
  chunked_send (g_steal_pointer (&task));
}

GPtrArray *
wharf_ecr_client_list_images_finish (WharfEcrClient  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  return propagate_pointer (self, result, wharf_ecr_client_list_images_async, error);
}

/* ---- DescribeImages (one page) ---- */

static gpointer
parse_images_page (JsonObject *response,
                   GError    **error)
{
  Page *page = g_new0 (Page, 1);
  JsonArray *array;
  guint i, n;

  page->items = g_ptr_array_new_with_free_func (g_object_unref);
  if (!wharf_ecr_json_get_array (response, "imageDetails", FALSE, &array, error) ||
      !parse_next_token (response, &page->next_token, error))
    goto fail;
  n = array ? json_array_get_length (array) : 0;
  for (i = 0; i < n; i++)
    {
      JsonObject *object = wharf_ecr_json_array_get_object (array, i, "imageDetails", error);
      WharfImage *image;

      if (!object || !(image = wharf_image_new_from_json (object, error)))
        goto fail;
      g_ptr_array_add (page->items, image);
    }
  return page;

fail:
  page_free (page);
  return NULL;
}

void
wharf_ecr_client_describe_images_async (WharfEcrClient      *self,
                                        const char          *repository,
                                        WharfTagStatus       tag_status,
                                        GPtrArray           *image_ids,
                                        guint                max_results,
                                        const char          *next_token,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  JsonObject *input;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = new_task (self, wharf_ecr_client_describe_images_async, cancellable, callback, user_data);
  if (!check_repository (task, repository))
    return;
  if (image_ids && (image_ids->len == 0 || image_ids->len > WHARF_ECR_MAX_BATCH_SIZE))
    {
      return_invalid (task, g_strdup_printf (_("Describe between 1 and %d images at a time"),
                                             WHARF_ECR_MAX_BATCH_SIZE));
      return;
    }
  if (image_ids && !check_image_ids (task, image_ids))
    return;

  input = repository_input (repository);
  if (image_ids)
    json_object_set_array_member (input, "imageIds", image_ids_to_json (image_ids, 0,
                                                                        image_ids->len));
  else
    {
      json_object_set_int_member (input, "maxResults",
                                  max_results ? MIN (max_results, WHARF_ECR_MAX_PAGE_SIZE)
                                              : self->page_size);
      if (next_token && *next_token)
        json_object_set_string_member (input, "nextToken", next_token);
    }
  if (tag_status != WHARF_TAG_STATUS_ANY)
    {
      JsonObject *filter = json_object_new ();

      json_object_set_string_member (filter, "tagStatus", wharf_tag_status_to_string (tag_status));
      json_object_set_object_member (input, "filter", filter);
    }
  simple_call (self, g_steal_pointer (&task), "DescribeImages", input,
               parse_images_page, (GDestroyNotify) page_free);
}

GPtrArray *
wharf_ecr_client_describe_images_finish (WharfEcrClient  *self,
                                         GAsyncResult    *result,
                                         char           **next_token,
                                         GError         **error)
{
  return finish_page (propagate_pointer (self, result, wharf_ecr_client_describe_images_async,
                                         error),
                      next_token);
}

/* ---- DescribeImages by id (any number) ---- */

static JsonObject *
describe_ids_next (Chunked *state)
{
  JsonObject *input;

  if (!chunked_pop_slice (state))
    return NULL;
  input = repository_input (state->repository);
  json_object_set_array_member (input, "imageIds", image_ids_to_json (state->current, 0,
                                                                      state->current->len));
  return input;
}

static gboolean
describe_ids_take (Chunked    *state,
                   JsonObject *response,
                   GError    **error)
{
  ImagesAndFailures *value = state->result;
  Page *page = parse_images_page (response, error);
  guint i;

  if (!page)
    return FALSE;
  for (i = 0; i < page->items->len; i++)
    g_ptr_array_add (value->images, g_object_ref (g_ptr_array_index (page->items, i)));
  page_free (page);
  return parse_failures (response, value->failures, error);
}

/* DescribeImages fails as a whole (ImageNotFoundException) when one id does not exist: split
 * the slice to find which, and report those as failures. */
static gboolean
describe_ids_fail (Chunked      *state,
                   const GError *error)
{
  ImagesAndFailures *value = state->result;
  GPtrArray *current = state->current;

  if (g_strcmp0 (wharf_aws_error_get_aws_code (error), "ImageNotFoundException") != 0 || !current)
    return FALSE;

  if (current->len == 1)
    {
      const WharfImageId *id = g_ptr_array_index (current, 0);
      const char *message = wharf_aws_error_get_aws_message (error);

      g_ptr_array_add (value->failures,
                       wharf_image_failure_new (id->digest, id->tag, "ImageNotFound",
                                                message ? message : error->message));
    }
  else
    {
      GPtrArray *first = g_ptr_array_new ();
      GPtrArray *second = g_ptr_array_new ();
      guint i, half = current->len / 2;

      for (i = 0; i < current->len; i++)
        g_ptr_array_add (i < half ? first : second, g_ptr_array_index (current, i));
      g_ptr_array_insert (state->queue, 0, second);
      g_ptr_array_insert (state->queue, 0, first);
    }
  return TRUE;
}

void
wharf_ecr_client_describe_image_ids_async (WharfEcrClient      *self,
                                           const char          *repository,
                                           GPtrArray           *image_ids,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Chunked *state;
  ImagesAndFailures *value;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = new_task (self, wharf_ecr_client_describe_image_ids_async, cancellable, callback,
                   user_data);
  if (!check_repository (task, repository) || !check_image_ids (task, image_ids))
    return;

  state = chunked_new (self, "DescribeImages", repository, image_ids, WHARF_ECR_MAX_BATCH_SIZE);
  state->next = describe_ids_next;
  state->take = describe_ids_take;
  state->fail = describe_ids_fail;
  value = g_new0 (ImagesAndFailures, 1);
  value->images = g_ptr_array_new_with_free_func (g_object_unref);
  value->failures = g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_image_failure_free);
  state->result = value;
  state->result_free = (GDestroyNotify) images_and_failures_free;
  g_task_set_task_data (task, state, (GDestroyNotify) chunked_free);
  chunked_send (g_steal_pointer (&task));
}

GPtrArray *
wharf_ecr_client_describe_image_ids_finish (WharfEcrClient  *self,
                                            GAsyncResult    *result,
                                            GPtrArray      **failures,
                                            GError         **error)
{
  ImagesAndFailures *value;
  GPtrArray *images;

  value = propagate_pointer (self, result, wharf_ecr_client_describe_image_ids_async, error);
  if (failures)
    *failures = value ? g_steal_pointer (&value->failures) : NULL;
  if (!value)
    return NULL;
  images = g_steal_pointer (&value->images);
  images_and_failures_free (value);
  return images;
}

/* ---- BatchDeleteImage (any number) ---- */

static gboolean
batch_delete_take (Chunked    *state,
                   JsonObject *response,
                   GError    **error)
{
  WharfBatchDeleteResult *value = state->result;
  JsonArray *array;
  guint i, n;

  if (!wharf_ecr_json_get_array (response, "imageIds", FALSE, &array, error) ||
      !parse_failures (response, value->failures, error))
    return FALSE;
  n = array ? json_array_get_length (array) : 0;
  for (i = 0; i < n; i++)
    {
      JsonObject *object = wharf_ecr_json_array_get_object (array, i, "imageIds", error);
      WharfImageId *id;

      if (!object || !parse_image_id (object, "imageIds", &id, error))
        return FALSE;
      g_ptr_array_add (value->deleted, id);
    }
  return TRUE;
}

void
wharf_ecr_client_batch_delete_image_async (WharfEcrClient      *self,
                                           const char          *repository,
                                           GPtrArray           *image_ids,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Chunked *state;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = new_task (self, wharf_ecr_client_batch_delete_image_async, cancellable, callback,
                   user_data);
  if (!check_repository (task, repository) || !check_image_ids (task, image_ids))
    return;

  state = chunked_new (self, "BatchDeleteImage", repository, image_ids, WHARF_ECR_MAX_BATCH_SIZE);
  state->next = describe_ids_next;   /* the same input shape */
  state->take = batch_delete_take;
  state->result = wharf_batch_delete_result_new ();
  state->result_free = (GDestroyNotify) wharf_batch_delete_result_free;
  g_task_set_task_data (task, state, (GDestroyNotify) chunked_free);
  chunked_send (g_steal_pointer (&task));
}

WharfBatchDeleteResult *
wharf_ecr_client_batch_delete_image_finish (WharfEcrClient  *self,
                                            GAsyncResult    *result,
                                            GError         **error)
{
  return propagate_pointer (self, result, wharf_ecr_client_batch_delete_image_async, error);
}

/* ---- BatchGetRepositoryScanningConfiguration (any number) ---- */

static JsonObject *
scanning_configuration_next (Chunked *state)
{
  JsonObject *input;
  JsonArray *names;
  guint i;

  if (!chunked_pop_slice (state))
    return NULL;
  input = json_object_new ();
  names = json_array_new ();
  for (i = 0; i < state->current->len; i++)
    json_array_add_string_element (names, g_ptr_array_index (state->current, i));
  json_object_set_array_member (input, "repositoryNames", names);
  return input;
}

static gboolean
scanning_configuration_take (Chunked    *state,
                             JsonObject *response,
                             GError    **error)
{
  GPtrArray *result = state->result;
  JsonArray *configurations, *failures;
  guint i, n;

  if (!wharf_ecr_json_get_array (response, "scanningConfigurations", FALSE, &configurations,
                                 error) ||
      !wharf_ecr_json_get_array (response, "failures", FALSE, &failures, error))
    return FALSE;

  n = configurations ? json_array_get_length (configurations) : 0;
  for (i = 0; i < n; i++)
    {
      JsonObject *object = wharf_ecr_json_array_get_object (configurations, i,
                                                            "scanningConfigurations", error);
      g_autoptr(WharfRepositoryScanningConfiguration) configuration = NULL;
      const char *name, *arn, *frequency = NULL;

      if (!object)
        return FALSE;
      configuration = g_new0 (WharfRepositoryScanningConfiguration, 1);
      if (!wharf_ecr_json_get_string (object, "repositoryName", TRUE, &name, error) ||
          !wharf_ecr_json_get_string (object, "repositoryArn", FALSE, &arn, error) ||
          !wharf_ecr_json_get_boolean (object, "scanOnPush", &configuration->scan_on_push, error) ||
          !wharf_ecr_json_get_string (object, "scanFrequency", FALSE, &frequency, error) ||
          !parse_filter_list (object, "appliedScanFilters", &configuration->applied_filters, error))
        return FALSE;
      configuration->repository_name = g_strdup (name);
      configuration->repository_arn = g_strdup (arn);
      if (frequency && !wharf_scan_frequency_from_string (frequency, &configuration->frequency))
        return wharf_ecr_json_bad_value ("scanFrequency", error);
      if (!frequency)
        configuration->frequency = configuration->scan_on_push ? WHARF_SCAN_FREQUENCY_SCAN_ON_PUSH
                                                               : WHARF_SCAN_FREQUENCY_MANUAL;
      g_ptr_array_add (result, g_steal_pointer (&configuration));
    }

  n = failures ? json_array_get_length (failures) : 0;
  for (i = 0; i < n; i++)
    {
      JsonObject *object = wharf_ecr_json_array_get_object (failures, i, "failures", error);
      WharfRepositoryScanningConfiguration *configuration;
      const char *name, *code, *reason;

      if (!object ||
          !wharf_ecr_json_get_string (object, "repositoryName", TRUE, &name, error) ||
          !wharf_ecr_json_get_string (object, "failureCode", FALSE, &code, error) ||
          !wharf_ecr_json_get_string (object, "failureReason", FALSE, &reason, error))
        return FALSE;
      configuration = g_new0 (WharfRepositoryScanningConfiguration, 1);
      configuration->repository_name = g_strdup (name);
      configuration->applied_filters = g_new0 (char *, 1);
      configuration->failure_code = g_strdup (code ? code : "Failed");
      configuration->failure_reason = g_strdup (reason);
      g_ptr_array_add (result, configuration);
    }
  return TRUE;
}

void
wharf_ecr_client_batch_get_repository_scanning_configuration_async (WharfEcrClient      *self,
                                                                    const char * const  *repositories,
                                                                    GCancellable        *cancellable,
                                                                    GAsyncReadyCallback  callback,
                                                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char * const *r;
  Chunked *state;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = new_task (self, wharf_ecr_client_batch_get_repository_scanning_configuration_async,
                   cancellable, callback, user_data);
  if (!repositories || !repositories[0])
    {
      return_invalid (task, g_strdup (_("Choose at least one repository")));
      return;
    }
  for (r = repositories; *r; r++)
    {
      if (!check_repository (task, *r))
        return;
      g_ptr_array_add (names, g_strdup (*r));
    }

  state = chunked_new (self, "BatchGetRepositoryScanningConfiguration", NULL, names,
                       SCANNING_CONFIGURATION_BATCH);
  state->next = scanning_configuration_next;
  state->take = scanning_configuration_take;
  state->result = g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_repository_scanning_configuration_free);
  state->result_free = (GDestroyNotify) g_ptr_array_unref;
  g_task_set_task_data (task, state, (GDestroyNotify) chunked_free);
  chunked_send (g_steal_pointer (&task));
}

GPtrArray *
wharf_ecr_client_batch_get_repository_scanning_configuration_finish (WharfEcrClient  *self,
                                                                     GAsyncResult    *result,
                                                                     GError         **error)
{
  return propagate_pointer (self, result,
                            wharf_ecr_client_batch_get_repository_scanning_configuration_async, error);
}

/* ---- StartImageScan ---- */

static gpointer
parse_start_scan (JsonObject *response,
                  GError    **error)
{
  JsonObject *status_object;
  const char *status;

  if (!wharf_ecr_json_get_object (response, "imageScanStatus", TRUE, &status_object, error) ||
      !wharf_ecr_json_get_string (status_object, "status", TRUE, &status, error))
    return NULL;
  /* +1 so that NONE is not NULL. */
  return GINT_TO_POINTER (wharf_scan_status_from_string (status) + 1);
}

void
wharf_ecr_client_start_image_scan_async (WharfEcrClient      *self,
                                         const char          *repository,
                                         const WharfImageId  *image_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  JsonObject *input;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = new_task (self, wharf_ecr_client_start_image_scan_async, cancellable, callback, user_data);
  if (!check_repository (task, repository) || !check_image_id (task, image_id))
    return;

  input = repository_input (repository);
  json_object_set_object_member (input, "imageId", image_id_to_json (image_id));
  simple_call (self, g_steal_pointer (&task), "StartImageScan", input, parse_start_scan, NULL);
}

WharfScanStatus
wharf_ecr_client_start_image_scan_finish (WharfEcrClient  *self,
                                          GAsyncResult    *result,
                                          GError         **error)
{
  gpointer value = propagate_pointer (self, result, wharf_ecr_client_start_image_scan_async, error);

  if (!value)
    return WHARF_SCAN_STATUS_UNKNOWN;
  return (WharfScanStatus) (GPOINTER_TO_INT (value) - 1);
}

/* ---- DescribeImageScanFindings ---- */

static JsonObject *
scan_findings_next (Chunked *state)
{
  JsonObject *input;

  if (!chunked_want_page (state))
    return NULL;
  input = repository_input (state->repository);
  json_object_set_object_member (input, "imageId",
                                 image_id_to_json (g_ptr_array_index (state->ids, 0)));
  /* Only the status and counts: the smallest page. */
  json_object_set_int_member (input, "maxResults", state->all_pages ? state->client->page_size : 1);
  if (state->next_token)
    json_object_set_string_member (input, "nextToken", state->next_token);
  return input;
}

static gboolean
scan_findings_take (Chunked    *state,
                    JsonObject *response,
                    GError    **error)
{
  if (!state->result)
    {
      state->result = wharf_scan_result_new_from_json (response, error);
      if (!state->result)
        return FALSE;
    }
  else if (!wharf_scan_result_add_findings_from_json (state->result, response, error))
    return FALSE;
  return chunked_take_token (state, response, error);
}

void
wharf_ecr_client_describe_image_scan_findings_async (WharfEcrClient      *self,
                                                     const char          *repository,
                                                     const WharfImageId  *image_id,
                                                     gboolean             all_pages,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  Chunked *state;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = new_task (self, wharf_ecr_client_describe_image_scan_findings_async, cancellable,
                   callback, user_data);
  if (!check_repository (task, repository) || !check_image_id (task, image_id))
    return;

  ids = g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_image_id_free);
  g_ptr_array_add (ids, wharf_image_id_copy (image_id));
  state = chunked_new (self, "DescribeImageScanFindings", repository, NULL, 0);
  state->ids = g_steal_pointer (&ids);
  state->all_pages = all_pages;
  state->next = scan_findings_next;
  state->take = scan_findings_take;
  state->result_free = g_object_unref;
  g_task_set_task_data (task, state, (GDestroyNotify) chunked_free);
  chunked_send (g_steal_pointer (&task));
}

WharfScanResult *
wharf_ecr_client_describe_image_scan_findings_finish (WharfEcrClient  *self,
                                                      GAsyncResult    *result,
                                                      GError         **error)
{
  return propagate_pointer (self, result, wharf_ecr_client_describe_image_scan_findings_async,
                            error);
}

/* ---- Lifecycle policies ---- */

static gboolean
check_policy_text (GTask      *task,
                   const char *text)
{
  if (!text || !*text)
    return return_invalid (task, g_strdup (_("The policy is empty")));
  if (strlen (text) > 30720)
    return return_invalid (task, g_strdup (_("A policy can have at most 30720 characters")));
  return TRUE;
}

void
wharf_ecr_client_put_lifecycle_policy_async (WharfEcrClient      *self,
                                             const char          *repository,
                                             const char          *policy_text,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  JsonObject *input;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = new_task (self, wharf_ecr_client_put_lifecycle_policy_async, cancellable, callback,
                   user_data);
  if (!check_repository (task, repository) || !check_policy_text (task, policy_text))
    return;

  input = repository_input (repository);
  json_object_set_string_member (input, "lifecyclePolicyText", policy_text);
  simple_call (self, g_steal_pointer (&task), "PutLifecyclePolicy", input, NULL, NULL);
}

gboolean
wharf_ecr_client_put_lifecycle_policy_finish (WharfEcrClient  *self,
                                              GAsyncResult    *result,
                                              GError         **error)
{
  return propagate_boolean (self, result, wharf_ecr_client_put_lifecycle_policy_async, error);
}

static gpointer
parse_lifecycle_policy (JsonObject *response,
                        GError    **error)
{
  g_autoptr(WharfLifecyclePolicy) policy = g_new0 (WharfLifecyclePolicy, 1);
  const char *repository, *registry_id, *text;

  if (!wharf_ecr_json_get_string (response, "repositoryName", FALSE, &repository, error) ||
      !wharf_ecr_json_get_string (response, "registryId", FALSE, &registry_id, error) ||
      !wharf_ecr_json_get_string (response, "lifecyclePolicyText", TRUE, &text, error) ||
      !wharf_ecr_json_get_timestamp (response, "lastEvaluatedAt", &policy->last_evaluated_at,
                                     error))
    return NULL;
  policy->repository_name = g_strdup (repository);
  policy->registry_id = g_strdup (registry_id);
  policy->text = g_strdup (text);
  return g_steal_pointer (&policy);
}

void
wharf_ecr_client_get_lifecycle_policy_async (WharfEcrClient      *self,
                                             const char          *repository,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = new_task (self, wharf_ecr_client_get_lifecycle_policy_async, cancellable, callback,
                   user_data);
  if (!check_repository (task, repository))
    return;
  simple_call (self, g_steal_pointer (&task), "GetLifecyclePolicy", repository_input (repository),
               parse_lifecycle_policy, (GDestroyNotify) wharf_lifecycle_policy_free);
}

WharfLifecyclePolicy *
wharf_ecr_client_get_lifecycle_policy_finish (WharfEcrClient  *self,
                                              GAsyncResult    *result,
                                              GError         **error)
{
  return propagate_pointer (self, result, wharf_ecr_client_get_lifecycle_policy_async, error);
}

void
wharf_ecr_client_delete_lifecycle_policy_async (WharfEcrClient      *self,
                                                const char          *repository,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = new_task (self, wharf_ecr_client_delete_lifecycle_policy_async, cancellable, callback,
                   user_data);
  if (!check_repository (task, repository))
    return;
  simple_call (self, g_steal_pointer (&task), "DeleteLifecyclePolicy",
               repository_input (repository),
               NULL, NULL);
}

gboolean
wharf_ecr_client_delete_lifecycle_policy_finish (WharfEcrClient  *self,
                                                 GAsyncResult    *result,
                                                 GError         **error)
{
  return propagate_boolean (self, result, wharf_ecr_client_delete_lifecycle_policy_async, error);
}

static gpointer
parse_preview_status (JsonObject *response,
                      GError    **error)
{
  const char *status;
  WharfLifecyclePreviewStatus value;

  if (!wharf_ecr_json_get_string (response, "status", TRUE, &status, error))
    return NULL;
  if (!wharf_lifecycle_preview_status_from_string (status, &value))
    {
      wharf_ecr_json_bad_value ("status", error);
      return NULL;
    }
  return GINT_TO_POINTER (value + 1);
}

void
wharf_ecr_client_start_lifecycle_policy_preview_async (WharfEcrClient      *self,
                                                       const char          *repository,
                                                       const char          *policy_text,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  JsonObject *input;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = new_task (self, wharf_ecr_client_start_lifecycle_policy_preview_async, cancellable,
                   callback, user_data);
  if (!check_repository (task, repository))
    return;
  if (policy_text && !check_policy_text (task, policy_text))
    return;

  input = repository_input (repository);
  if (policy_text)
    json_object_set_string_member (input, "lifecyclePolicyText", policy_text);
  simple_call (self, g_steal_pointer (&task), "StartLifecyclePolicyPreview", input,
               parse_preview_status, NULL);
}

WharfLifecyclePreviewStatus
wharf_ecr_client_start_lifecycle_policy_preview_finish (WharfEcrClient  *self,
                                                        GAsyncResult    *result,
                                                        GError         **error)
{
  gpointer value = propagate_pointer (self, result,
                                      wharf_ecr_client_start_lifecycle_policy_preview_async, error);

  if (!value)
    return WHARF_LIFECYCLE_PREVIEW_STATUS_FAILED;
  return (WharfLifecyclePreviewStatus) (GPOINTER_TO_INT (value) - 1);
}

/* GetLifecyclePolicyPreview: poll until COMPLETE, then every page. ECR evaluates for
 * seconds to minutes: each IN_PROGRESS answer makes the next wait half as long again, up to
 * PREVIEW_POLL_MAX_MS (or the interval asked for, when that is longer). */
#define PREVIEW_POLL_MAX_MS 5000

typedef struct
{
  WharfEcrClient *client;
  char           *repository;
  guint           poll_interval_ms;   /* the next wait */
  guint           poll_max_ms;
  gint64          deadline;
  char           *next_token;
  guint           n_pages;
  GListStore     *results;
  int             expiring_total;
  GSource        *wait_source;
  gulong          cancelled_id;
} Preview;

static void
preview_free (Preview *state)
{
  g_clear_object (&state->client);
  g_free (state->repository);
  g_free (state->next_token);
  g_clear_object (&state->results);
  if (state->wait_source)
    {
      g_source_destroy (state->wait_source);
      g_source_unref (state->wait_source);
    }
  g_free (state);
}

static void preview_request (GTask *task);

static void
preview_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Preview *state = g_task_get_task_data (task);
  g_autoptr(JsonObject) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  WharfLifecyclePreviewStatus status;
  const char *status_str;
  JsonArray *results;
  JsonObject *summary;
  guint i, n;

  response = wharf_aws_client_call_finish (WHARF_AWS_CLIENT (source), result, &error);
  if (!response)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!wharf_ecr_json_get_string (response, "status", TRUE, &status_str, &error) ||
      !wharf_ecr_json_get_array (response, "previewResults", FALSE, &results, &error) ||
      !wharf_ecr_json_get_object (response, "summary", FALSE, &summary, &error) ||
      !parse_next_token (response, &token, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!wharf_lifecycle_preview_status_from_string (status_str, &status))
    {
      wharf_ecr_json_bad_value ("status", &error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  switch (status)
    {
    case WHARF_LIFECYCLE_PREVIEW_STATUS_IN_PROGRESS:
      if (state->n_pages > 0)
        {
          g_task_return_new_error (task, WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_DATA,
                                   _("The lifecycle policy preview restarted while it was being read"));
          return;
        }
      if (g_get_monotonic_time () > state->deadline)
        {
          g_task_return_new_error (task, WHARF_ECR_ERROR, WHARF_ECR_ERROR_TIMEOUT,
                                   _("The lifecycle policy preview did not finish in time"));
          return;
        }
      preview_request (g_steal_pointer (&task));   /* waits first */
      return;

    case WHARF_LIFECYCLE_PREVIEW_STATUS_FAILED:
    case WHARF_LIFECYCLE_PREVIEW_STATUS_EXPIRED:
      g_task_return_new_error (task, WHARF_ECR_ERROR, WHARF_ECR_ERROR_FAILED,
                               status == WHARF_LIFECYCLE_PREVIEW_STATUS_FAILED
                                 ? _("The lifecycle policy preview failed")
                                 : _("The lifecycle policy preview expired; start it again"));
      return;

    case WHARF_LIFECYCLE_PREVIEW_STATUS_COMPLETE:
    default:
      break;
    }

  n = results ? json_array_get_length (results) : 0;
  for (i = 0; i < n; i++)
    {
      JsonObject *object = wharf_ecr_json_array_get_object (results, i, "previewResults", &error);
      g_autoptr(WharfLifecyclePreviewResult) item = NULL;

      if (!object || !(item = wharf_lifecycle_preview_result_new_from_json (object, &error)))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_list_store_append (state->results, item);
    }
  if (summary && state->expiring_total < 0)
    {
      gint64 total = -1;

      if (!wharf_ecr_json_get_int (summary, "expiringImageTotalCount", 0, G_MAXINT, &total, NULL,
                                   &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      state->expiring_total = (int) total;
    }

  state->n_pages++;
  if (token && g_strcmp0 (token, state->next_token) == 0)
    {
      g_task_return_new_error (task, WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_DATA,
                               _("The service sent the same page twice"));
      return;
    }
  g_free (state->next_token);
  state->next_token = g_steal_pointer (&token);
  if (state->next_token && state->n_pages >= MAX_PAGES)
    {
      g_task_return_new_error (task, WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_DATA,
                               _("The service sent too many pages"));
      return;
    }
  if (!state->next_token)
    {
      g_task_return_pointer (task, g_object_ref (state->results), g_object_unref);
      return;
    }
  preview_request (g_steal_pointer (&task));
}

static void
preview_send (GTask *task)
{
  Preview *state = g_task_get_task_data (task);
  g_autoptr(JsonObject) input = repository_input (state->repository);

  json_object_set_int_member (input, "maxResults", LIFECYCLE_PREVIEW_PAGE);
  if (state->next_token)
    json_object_set_string_member (input, "nextToken", state->next_token);
  wharf_aws_client_call_async (state->client->aws, "GetLifecyclePolicyPreview", input,
                               g_task_get_cancellable (task), preview_cb, task);
}

static gboolean
preview_wait_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  Preview *state = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_clear_pointer (&state->wait_source, g_source_unref);
  if (state->cancelled_id)
    {
      g_cancellable_disconnect (cancellable, state->cancelled_id);
      state->cancelled_id = 0;
    }
  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  preview_send (task);
  return G_SOURCE_REMOVE;
}

static void
preview_cancelled_cb (GCancellable *cancellable,
                      gpointer      user_data)
{
  GTask *task = user_data;
  Preview *state = g_task_get_task_data (task);

  /* Finish the wait now (from the task's context, not from the cancelling thread). */
  if (state->wait_source)
    g_source_set_ready_time (state->wait_source, 0);
}

/* Waits before every poll but the first (backing off); pages are fetched at once. */
static void
preview_request (GTask *task)
{
  Preview *state = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (state->n_pages > 0 || state->next_token)
    {
      preview_send (task);
      return;
    }

  state->wait_source = g_timeout_source_new (state->poll_interval_ms);
  state->poll_interval_ms = (guint) MIN ((guint64) state->poll_interval_ms * 3 / 2,
                                         state->poll_max_ms);
  g_source_set_callback (state->wait_source, preview_wait_done_cb, task, NULL);
  g_source_attach (state->wait_source, g_task_get_context (task));
  if (cancellable)
    state->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (preview_cancelled_cb),
                                                 task, NULL);
}

void
wharf_ecr_client_get_lifecycle_policy_preview_async (WharfEcrClient      *self,
                                                     const char          *repository,
                                                     guint                poll_interval_ms,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Preview *state;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = new_task (self, wharf_ecr_client_get_lifecycle_policy_preview_async, cancellable,
                   callback, user_data);
  if (!check_repository (task, repository))
    return;

  state = g_new0 (Preview, 1);
  state->client = g_object_ref (self);
  state->repository = g_strdup (repository);
  state->poll_interval_ms = poll_interval_ms ? poll_interval_ms : 1000;
  state->poll_max_ms = MAX (state->poll_interval_ms, PREVIEW_POLL_MAX_MS);
  state->deadline = g_get_monotonic_time () + LIFECYCLE_PREVIEW_TIMEOUT_US;
  state->results = g_list_store_new (WHARF_TYPE_LIFECYCLE_PREVIEW_RESULT);
  state->expiring_total = -1;
  g_task_set_task_data (task, state, (GDestroyNotify) preview_free);
  /* The first poll goes out at once. */
  preview_send (g_steal_pointer (&task));
}

GListModel *
wharf_ecr_client_get_lifecycle_policy_preview_finish (WharfEcrClient  *self,
                                                      GAsyncResult    *result,
                                                      int             *expiring_total,
                                                      GError         **error)
{
  GListModel *model;

  model = propagate_pointer (self, result, wharf_ecr_client_get_lifecycle_policy_preview_async,
                             error);
  if (expiring_total)
    {
      Preview *state = g_task_get_task_data (G_TASK (result));

      *expiring_total = model && state ? state->expiring_total : -1;
    }
  return model;
}

/* ---- Repository policies ---- */

void
wharf_ecr_client_set_repository_policy_async (WharfEcrClient      *self,
                                              const char          *repository,
                                              const char          *policy_text,
                                              gboolean             force,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  JsonObject *input;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = new_task (self, wharf_ecr_client_set_repository_policy_async, cancellable, callback,
                   user_data);
  if (!check_repository (task, repository) || !check_policy_text (task, policy_text))
    return;

  input = repository_input (repository);
  json_object_set_string_member (input, "policyText", policy_text);
  if (force)
    json_object_set_boolean_member (input, "force", TRUE);
  simple_call (self, g_steal_pointer (&task), "SetRepositoryPolicy", input, NULL, NULL);
}

gboolean
wharf_ecr_client_set_repository_policy_finish (WharfEcrClient  *self,
                                               GAsyncResult    *result,
                                               GError         **error)
{
  return propagate_boolean (self, result, wharf_ecr_client_set_repository_policy_async, error);
}

static gpointer
parse_repository_policy (JsonObject *response,
                         GError    **error)
{
  const char *text;

  if (!wharf_ecr_json_get_string (response, "policyText", TRUE, &text, error))
    return NULL;
  return g_strdup (text);
}

void
wharf_ecr_client_get_repository_policy_async (WharfEcrClient      *self,
                                              const char          *repository,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = new_task (self, wharf_ecr_client_get_repository_policy_async, cancellable, callback,
                   user_data);
  if (!check_repository (task, repository))
    return;
  simple_call (self, g_steal_pointer (&task), "GetRepositoryPolicy", repository_input (repository),
               parse_repository_policy, g_free);
}

char *
wharf_ecr_client_get_repository_policy_finish (WharfEcrClient  *self,
                                               GAsyncResult    *result,
                                               GError         **error)
{
  return propagate_pointer (self, result, wharf_ecr_client_get_repository_policy_async, error);
}

void
wharf_ecr_client_delete_repository_policy_async (WharfEcrClient      *self,
                                                 const char          *repository,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = new_task (self, wharf_ecr_client_delete_repository_policy_async, cancellable, callback,
                   user_data);
  if (!check_repository (task, repository))
    return;
  simple_call (self, g_steal_pointer (&task), "DeleteRepositoryPolicy",
               repository_input (repository),
               NULL, NULL);
}

gboolean
wharf_ecr_client_delete_repository_policy_finish (WharfEcrClient  *self,
                                                  GAsyncResult    *result,
                                                  GError         **error)
{
  return propagate_boolean (self, result, wharf_ecr_client_delete_repository_policy_async, error);
}
