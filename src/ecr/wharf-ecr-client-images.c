/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * WharfEcrClient: images (PutImage, BatchGetImage, ListImages, DescribeImages by page and
 * by id, BatchDeleteImage).
 */
#define G_LOG_DOMAIN "wharf-ecr-client-images"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-ecr-client.h"
#include "wharf-ecr-client-private.h"

#include "wharf-ecr-json-private.h"
#include "wharf-ecr-reader-private.h"
#include "wharf-ecr-validate.h"

/* ---- Response parts ---- */

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


typedef struct
{
  GPtrArray *images;
  GPtrArray *failures;
} ImagesAndFailures;

static ImagesAndFailures *
images_and_failures_new (GDestroyNotify image_free)
{
  ImagesAndFailures *value = g_new0 (ImagesAndFailures, 1);

  value->images = g_ptr_array_new_with_free_func (image_free);
  value->failures = g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_image_failure_free);
  return value;
}

static void
images_and_failures_free (ImagesAndFailures *value)
{
  g_clear_pointer (&value->images, g_ptr_array_unref);
  g_clear_pointer (&value->failures, g_ptr_array_unref);
  g_free (value);
}

static GPtrArray *
images_and_failures_finish (WharfEcrClient  *self,
                            GAsyncResult    *result,
                            gpointer         source_tag,
                            GPtrArray      **failures,
                            GError         **error)
{
  ImagesAndFailures *value;
  GPtrArray *images;

  value = wharf_ecr_client_propagate_pointer (self, result, source_tag, error);
  if (failures)
    *failures = value ? g_steal_pointer (&value->failures) : NULL;
  if (!value)
    return NULL;
  images = g_steal_pointer (&value->images);
  images_and_failures_free (value);
  return images;
}

/* Input of the chunked calls that send a slice of image ids. */
static JsonObject *
image_ids_next (WharfEcrChunked *state)
{
  JsonObject *input;

  if (!wharf_ecr_chunked_pop_slice (state))
    return NULL;
  input = wharf_ecr_input_new (state->repository);
  json_object_set_array_member (input, "imageIds", wharf_ecr_image_ids_to_json (state->current));
  return input;
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

  task = wharf_ecr_client_new_task (self, wharf_ecr_client_put_image_async, cancellable,
                                    callback, user_data);
  if (!wharf_ecr_check_repository (task, repository) ||
      !wharf_ecr_check_not_empty (task, manifest, _("The image manifest")))
    return;
  if (tag && !wharf_ecr_validate_image_tag (tag, &reason))
    {
      wharf_ecr_return_invalid (task, reason);
      return;
    }

  input = wharf_ecr_input_new (repository);
  json_object_set_string_member (input, "imageManifest", manifest);
  if (media_type)
    json_object_set_string_member (input, "imageManifestMediaType", media_type);
  if (tag)
    json_object_set_string_member (input, "imageTag", tag);
  if (digest)
    json_object_set_string_member (input, "imageDigest", digest);
  wharf_ecr_client_simple_call (self, g_steal_pointer (&task), "PutImage", input,
                                parse_put_image, (GDestroyNotify) wharf_image_manifest_free);
}

WharfImageManifest *
wharf_ecr_client_put_image_finish (WharfEcrClient  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  return wharf_ecr_client_propagate_pointer (self, result, wharf_ecr_client_put_image_async,
                                             error);
}

/* ---- BatchGetImage ---- */

static JsonObject *
batch_get_image_next (WharfEcrChunked *state)
{
  JsonObject *input = image_ids_next (state);
  const char * const *media_types = (const char * const *) state->media_types;

  if (input && media_types && media_types[0])
    json_object_set_array_member (input, "acceptedMediaTypes",
                                  wharf_ecr_json_array_from_strv (media_types));
  return input;
}

static gboolean
batch_get_image_take (WharfEcrChunked  *state,
                      JsonObject       *response,
                      GError          **error)
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
  WharfEcrChunked *state;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = wharf_ecr_client_new_task (self, wharf_ecr_client_batch_get_image_async, cancellable,
                                    callback, user_data);
  if (!wharf_ecr_check_repository (task, repository) ||
      !wharf_ecr_check_image_ids (task, image_ids))
    return;

  state = wharf_ecr_chunked_new (self, "BatchGetImage", repository, image_ids,
                                 WHARF_ECR_MAX_BATCH_SIZE, batch_get_image_next,
                                 batch_get_image_take);
  state->result = images_and_failures_new ((GDestroyNotify) wharf_image_manifest_free);
  state->result_free = (GDestroyNotify) images_and_failures_free;
  state->media_types = g_strdupv ((char **) accepted_media_types);
  wharf_ecr_chunked_start (g_steal_pointer (&task), state);
}

GPtrArray *
wharf_ecr_client_batch_get_image_finish (WharfEcrClient  *self,
                                         GAsyncResult    *result,
                                         GPtrArray      **failures,
                                         GError         **error)
{
  return images_and_failures_finish (self, result, wharf_ecr_client_batch_get_image_async,
                                     failures, error);
}

/* ---- ListImages (all pages) ---- */

static JsonObject *
list_images_next (WharfEcrChunked *state)
{
  JsonObject *input;

  if (!wharf_ecr_chunked_want_page (state))
    return NULL;
  input = wharf_ecr_input_new (state->repository);
  wharf_ecr_input_set_page (input, state->client, 0, state->next_token);
  wharf_ecr_input_set_tag_status (input, state->tag_status);
  return input;
}

static gboolean
list_images_take (WharfEcrChunked  *state,
                  JsonObject       *response,
                  GError          **error)
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
  return wharf_ecr_chunked_take_token (state, response, error);
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
  WharfEcrChunked *state;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = wharf_ecr_client_new_task (self, wharf_ecr_client_list_images_async, cancellable,
                                    callback, user_data);
  if (!wharf_ecr_check_repository (task, repository))
    return;

  state = wharf_ecr_chunked_new (self, "ListImages", repository, NULL, 0, list_images_next,
                                 list_images_take);
  state->all_pages = TRUE;
  state->tag_status = tag_status;
  state->result = g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_image_id_free);
  state->result_free = (GDestroyNotify) g_ptr_array_unref;
  wharf_ecr_chunked_start (g_steal_pointer (&task), state);
}

GPtrArray *
wharf_ecr_client_list_images_finish (WharfEcrClient  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  return wharf_ecr_client_propagate_pointer (self, result, wharf_ecr_client_list_images_async,
                                             error);
}

/* ---- DescribeImages (one page) ---- */

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

  task = wharf_ecr_client_new_task (self, wharf_ecr_client_describe_images_async, cancellable,
                                    callback, user_data);
  if (!wharf_ecr_check_repository (task, repository))
    return;
  if (image_ids && (image_ids->len == 0 || image_ids->len > WHARF_ECR_MAX_BATCH_SIZE))
    {
      wharf_ecr_return_invalid (task,
                                g_strdup_printf (_("Describe between 1 and %d images at a time"),
                                                 WHARF_ECR_MAX_BATCH_SIZE));
      return;
    }
  if (image_ids && !wharf_ecr_check_image_ids (task, image_ids))
    return;

  input = wharf_ecr_input_new (repository);
  if (image_ids)
    json_object_set_array_member (input, "imageIds", wharf_ecr_image_ids_to_json (image_ids));
  else
    wharf_ecr_input_set_page (input, self, max_results, next_token);
  wharf_ecr_input_set_tag_status (input, tag_status);
  wharf_ecr_client_page_call (self, g_steal_pointer (&task), "DescribeImages", input,
                              "imageDetails", WHARF_TYPE_IMAGE);
}

GPtrArray *
wharf_ecr_client_describe_images_finish (WharfEcrClient  *self,
                                         GAsyncResult    *result,
                                         char           **next_token,
                                         GError         **error)
{
  return wharf_ecr_client_propagate_page (self, result, wharf_ecr_client_describe_images_async,
                                          next_token, error);
}

/* ---- DescribeImages by id (any number) ---- */

static gboolean
describe_ids_take (WharfEcrChunked  *state,
                   JsonObject       *response,
                   GError          **error)
{
  ImagesAndFailures *value = state->result;
  GPtrArray *images;
  const char *token;
  JsonArray *array;

  /* The checks of a page, in its order. */
  if (!wharf_ecr_json_get_array (response, "imageDetails", FALSE, &array, error) ||
      !wharf_ecr_json_get_string (response, "nextToken", FALSE, &token, error))
    return FALSE;
  images = wharf_ecr_page_items_from_json (response, "imageDetails", WHARF_TYPE_IMAGE, error);
  if (!images)
    return FALSE;
  g_ptr_array_extend_and_steal (value->images, images);
  return parse_failures (response, value->failures, error);
}

/* DescribeImages fails as a whole (ImageNotFoundException) when one id does not exist: split
 * the slice to find which, and report those as failures. */
static gboolean
describe_ids_fail (WharfEcrChunked *state,
                   const GError    *error)
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
  WharfEcrChunked *state;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = wharf_ecr_client_new_task (self, wharf_ecr_client_describe_image_ids_async, cancellable,
                                    callback, user_data);
  if (!wharf_ecr_check_repository (task, repository) ||
      !wharf_ecr_check_image_ids (task, image_ids))
    return;

  state = wharf_ecr_chunked_new (self, "DescribeImages", repository, image_ids,
                                 WHARF_ECR_MAX_BATCH_SIZE, image_ids_next, describe_ids_take);
  state->fail = describe_ids_fail;
  state->result = images_and_failures_new (g_object_unref);
  state->result_free = (GDestroyNotify) images_and_failures_free;
  wharf_ecr_chunked_start (g_steal_pointer (&task), state);
}

GPtrArray *
wharf_ecr_client_describe_image_ids_finish (WharfEcrClient  *self,
                                            GAsyncResult    *result,
                                            GPtrArray      **failures,
                                            GError         **error)
{
  return images_and_failures_finish (self, result, wharf_ecr_client_describe_image_ids_async,
                                     failures, error);
}

/* ---- BatchDeleteImage (any number) ---- */

static gboolean
batch_delete_take (WharfEcrChunked  *state,
                   JsonObject       *response,
                   GError          **error)
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
  WharfEcrChunked *state;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = wharf_ecr_client_new_task (self, wharf_ecr_client_batch_delete_image_async, cancellable,
                                    callback, user_data);
  if (!wharf_ecr_check_repository (task, repository) ||
      !wharf_ecr_check_image_ids (task, image_ids))
    return;

  state = wharf_ecr_chunked_new (self, "BatchDeleteImage", repository, image_ids,
                                 WHARF_ECR_MAX_BATCH_SIZE, image_ids_next, batch_delete_take);
  state->result = wharf_batch_delete_result_new ();
  state->result_free = (GDestroyNotify) wharf_batch_delete_result_free;
  wharf_ecr_chunked_start (g_steal_pointer (&task), state);
}

WharfBatchDeleteResult *
wharf_ecr_client_batch_delete_image_finish (WharfEcrClient  *self,
                                            GAsyncResult    *result,
                                            GError         **error)
{
  return wharf_ecr_client_propagate_pointer (self, result,
                                             wharf_ecr_client_batch_delete_image_async, error);
}
