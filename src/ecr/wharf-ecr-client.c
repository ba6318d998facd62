/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * WharfEcrClient itself and the engine its operations share (wharf-ecr-client-private.h):
 * argument checks, request builders, single calls, listing pages through the pull reader,
 * the chunked/paged state machine and the lifecycle preview's poller. The operations live
 * in wharf-ecr-client-<resource>.c; nothing here calls them.
 */
#define G_LOG_DOMAIN "wharf-ecr-client"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-ecr-client.h"
#include "wharf-ecr-client-private.h"

#include "wharf-ecr-json-private.h"
#include "wharf-ecr-reader-private.h"
#include "wharf-ecr-validate.h"

/* GetLifecyclePolicyPreview serves at most 100 results a page. */
#define LIFECYCLE_PREVIEW_PAGE 100
#define LIFECYCLE_PREVIEW_TIMEOUT_US (5 * 60 * G_USEC_PER_SEC)
/* A listing page larger than this is read in a worker thread, as the engine parses one. */
#define PAGE_READ_IN_THREAD_MIN_SIZE (16 * 1024)

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

/* ---- Tasks ---- */

GTask *
wharf_ecr_client_new_task (WharfEcrClient      *self,
                           gpointer             source_tag,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  return task;
}

gpointer
wharf_ecr_client_propagate_pointer (WharfEcrClient  *self,
                                    GAsyncResult    *result,
                                    gpointer         source_tag,
                                    GError         **error)
{
  g_return_val_if_fail (WHARF_IS_ECR_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
wharf_ecr_client_propagate_boolean (WharfEcrClient  *self,
                                    GAsyncResult    *result,
                                    gpointer         source_tag,
                                    GError         **error)
{
  g_return_val_if_fail (WHARF_IS_ECR_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Argument checks ---- */

gboolean
wharf_ecr_return_invalid (GTask *task,
                          char  *reason)
{
  g_task_return_new_error (task, WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_ARGUMENT, "%s", reason);
  g_free (reason);
  return FALSE;
}

gboolean
wharf_ecr_check_repository (GTask      *task,
                            const char *repository)
{
  char *reason = NULL;

  if (!wharf_ecr_validate_repository_name (repository, &reason))
    return wharf_ecr_return_invalid (task, reason);
  return TRUE;
}

gboolean
wharf_ecr_check_repositories (GTask              *task,
                              const char * const *repositories)
{
  const char * const *r;

  if (!repositories || !repositories[0])
    return wharf_ecr_return_invalid (task, g_strdup (_("Choose at least one repository")));
  for (r = repositories; *r; r++)
    if (!wharf_ecr_check_repository (task, *r))
      return FALSE;
  return TRUE;
}

gboolean
wharf_ecr_check_not_empty (GTask      *task,
                           const char *value,
                           const char *what)
{
  if (!value || !*value)
    return wharf_ecr_return_invalid (task, g_strdup_printf (_("%s is missing"), what));
  return TRUE;
}

gboolean
wharf_ecr_check_image_id (GTask              *task,
                          const WharfImageId *id)
{
  char *reason = NULL;

  if (!id || ((!id->digest || !*id->digest) && (!id->tag || !*id->tag)))
    return wharf_ecr_return_invalid (task, g_strdup (_("An image needs a digest or a tag")));
  if (id->tag && *id->tag && !wharf_ecr_validate_image_tag (id->tag, &reason))
    return wharf_ecr_return_invalid (task, reason);
  return TRUE;
}

gboolean
wharf_ecr_check_image_ids (GTask     *task,
                           GPtrArray *image_ids)
{
  guint i;

  if (!image_ids || image_ids->len == 0)
    return wharf_ecr_return_invalid (task, g_strdup (_("Choose at least one image")));
  for (i = 0; i < image_ids->len; i++)
    if (!wharf_ecr_check_image_id (task, g_ptr_array_index (image_ids, i)))
      return FALSE;
  return TRUE;
}

/* ---- Request builders ---- */

JsonObject *
wharf_ecr_input_new (const char *repository)
{
  JsonObject *input = json_object_new ();

  json_object_set_string_member (input, "repositoryName", repository);
  return input;
}

void
wharf_ecr_input_set_page (JsonObject     *input,
                          WharfEcrClient *client,
                          guint           max_results,
                          const char     *next_token)
{
  json_object_set_int_member (input, "maxResults",
                              max_results ? MIN (max_results, WHARF_ECR_MAX_PAGE_SIZE)
                                          : client->page_size);
  if (next_token && *next_token)
    json_object_set_string_member (input, "nextToken", next_token);
}

void
wharf_ecr_input_set_tag_status (JsonObject     *input,
                                WharfTagStatus  tag_status)
{
  JsonObject *filter;

  if (tag_status == WHARF_TAG_STATUS_ANY)
    return;
  filter = json_object_new ();
  json_object_set_string_member (filter, "tagStatus", wharf_tag_status_to_string (tag_status));
  json_object_set_object_member (input, "filter", filter);
}

void
wharf_ecr_json_set_wildcard_filters (JsonObject         *object,
                                     const char         *member,
                                     const char * const *filters,
                                     gssize              n_filters,
                                     gboolean            always)
{
  JsonArray *array;
  gsize i, n;

  if (n_filters >= 0)
    n = filters ? (gsize) n_filters : 0;
  else
    n = filters ? g_strv_length ((char **) filters) : 0;
  if (n == 0 && !always)
    return;

  array = json_array_new ();
  for (i = 0; i < n; i++)
    {
      JsonObject *filter = json_object_new ();

      json_object_set_string_member (filter, "filterType", "WILDCARD");
      json_object_set_string_member (filter, "filter", filters[i]);
      json_array_add_object_element (array, filter);
    }
  json_object_set_array_member (object, member, array);
}

void
wharf_ecr_input_set_resource_tags (JsonObject *input,
                                   GPtrArray  *tags)
{
  JsonArray *array = json_array_new ();
  guint i;

  for (i = 0; i < tags->len; i++)
    {
      const WharfResourceTag *tag = g_ptr_array_index (tags, i);
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "Key", tag->key);
      json_object_set_string_member (object, "Value", tag->value ? tag->value : "");
      json_array_add_object_element (array, object);
    }
  json_object_set_array_member (input, "tags", array);
}

JsonObject *
wharf_ecr_image_id_to_json (const WharfImageId *id)
{
  JsonObject *object = json_object_new ();

  if (id->digest && *id->digest)
    json_object_set_string_member (object, "imageDigest", id->digest);
  if (id->tag && *id->tag)
    json_object_set_string_member (object, "imageTag", id->tag);
  return object;
}

JsonArray *
wharf_ecr_image_ids_to_json (GPtrArray *ids)
{
  JsonArray *array = json_array_new ();
  guint i;

  for (i = 0; i < ids->len; i++)
    json_array_add_object_element (array, wharf_ecr_image_id_to_json (g_ptr_array_index (ids, i)));
  return array;
}

/* ---- Page tokens ---- */

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

/* Moves on to @token (transfer full) after page *@n_pages: a token that repeats the previous
 * one would loop forever, and no real listing has WHARF_ECR_MAX_PAGES pages. */
static gboolean
advance_token (char     **next_token,
               char      *token,
               guint     *n_pages,
               gboolean   follow,
               GError   **error)
{
  if (token && g_strcmp0 (token, *next_token) == 0)
    {
      g_free (token);
      g_set_error (error, WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_DATA,
                   _("The service sent the same page twice"));
      return FALSE;
    }
  g_free (*next_token);
  *next_token = token;
  (*n_pages)++;
  if (*next_token && follow && *n_pages >= WHARF_ECR_MAX_PAGES)
    {
      g_set_error (error, WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_DATA,
                   _("The service sent too many pages"));
      return FALSE;
    }
  return TRUE;
}

/* ---- Single calls ---- */

typedef struct
{
  WharfEcrParseFunc parse;
  GDestroyNotify    destroy;
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

void
wharf_ecr_client_simple_call (WharfEcrClient    *self,
                              GTask             *task,
                              const char        *operation,
                              JsonObject        *input,
                              WharfEcrParseFunc  parse,
                              GDestroyNotify     destroy)
{
  SimpleCall *call = g_new0 (SimpleCall, 1);
  g_autoptr(JsonObject) owned_input = input;

  call->parse = parse;
  call->destroy = destroy;
  g_task_set_task_data (task, call, g_free);
  wharf_aws_client_call_async (self->aws, operation, owned_input, g_task_get_cancellable (task),
                               simple_call_cb, task);
}

/* ---- Listing pages ---- */

typedef struct
{
  const char       *items_member;
  GType             item_type;
  WharfAwsResponse *response;
} PageCall;

typedef struct
{
  GPtrArray *items;
  char      *next_token;
} Page;

static void
page_call_free (PageCall *call)
{
  g_clear_pointer (&call->response, wharf_aws_response_unref);
  g_free (call);
}

static void
page_free (Page *page)
{
  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_free (page->next_token);
  g_free (page);
}

/* Any thread. */
static void
page_read (GTask *task)
{
  PageCall *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  Page *page = g_new0 (Page, 1);

  page->items = wharf_ecr_page_read (call->response, call->items_member, call->item_type,
                                     &page->next_token, &error);
  g_clear_pointer (&call->response, wharf_aws_response_unref);
  if (!page->items)
    {
      page_free (page);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, page, (GDestroyNotify) page_free);
}

static void
page_read_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  page_read (task);
}

static void
page_call_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PageCall *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GBytes *body;

  call->response = wharf_aws_client_call_bytes_finish (WHARF_AWS_CLIENT (source), result, &error);
  if (!call->response)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  body = wharf_aws_response_get_body (call->response);
  if (g_bytes_get_size (body) < PAGE_READ_IN_THREAD_MIN_SIZE)
    page_read (task);
  else
    g_task_run_in_thread (task, page_read_thread);
}

void
wharf_ecr_client_page_call (WharfEcrClient *self,
                            GTask          *task,
                            const char     *operation,
                            JsonObject     *input,
                            const char     *items_member,
                            GType           item_type)
{
  PageCall *call = g_new0 (PageCall, 1);
  g_autoptr(JsonObject) owned_input = input;

  call->items_member = items_member;
  call->item_type = item_type;
  g_task_set_task_data (task, call, (GDestroyNotify) page_call_free);
  wharf_aws_client_call_bytes_async (self->aws, operation, owned_input,
                                     g_task_get_cancellable (task), page_call_cb, task);
}

GPtrArray *
wharf_ecr_client_propagate_page (WharfEcrClient  *self,
                                 GAsyncResult    *result,
                                 gpointer         source_tag,
                                 char           **next_token,
                                 GError         **error)
{
  Page *page = wharf_ecr_client_propagate_pointer (self, result, source_tag, error);
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

/* ---- Chunked and paged calls ---- */

static void
chunked_free (WharfEcrChunked *state)
{
  g_clear_object (&state->client);
  g_free (state->repository);
  g_clear_pointer (&state->ids, g_ptr_array_unref);
  g_clear_pointer (&state->queue, g_ptr_array_unref);
  g_clear_pointer (&state->current, g_ptr_array_unref);
  g_free (state->next_token);
  if (state->result && state->result_free)
    state->result_free (state->result);
  g_strfreev (state->media_types);
  g_free (state);
}

WharfEcrChunked *
wharf_ecr_chunked_new (WharfEcrClient      *client,
                       const char          *operation,
                       const char          *repository,
                       GPtrArray           *ids,
                       guint                chunk_size,
                       WharfEcrChunkedNext  next,
                       WharfEcrChunkedTake  take)
{
  WharfEcrChunked *state = g_new0 (WharfEcrChunked, 1);

  state->client = g_object_ref (client);
  state->operation = operation;
  state->repository = g_strdup (repository);
  state->ids = ids ? g_ptr_array_ref (ids) : NULL;
  state->chunk_size = chunk_size;
  state->next = next;
  state->take = take;
  state->queue = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

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

gboolean
wharf_ecr_chunked_pop_slice (WharfEcrChunked *state)
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
  WharfEcrChunked *state = g_task_get_task_data (task);
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
  WharfEcrChunked *state = g_task_get_task_data (task);
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

void
wharf_ecr_chunked_start (GTask           *task,
                         WharfEcrChunked *state)
{
  g_task_set_task_data (task, state, (GDestroyNotify) chunked_free);
  chunked_send (task);
}

gboolean
wharf_ecr_chunked_want_page (WharfEcrChunked *state)
{
  if (!state->started)
    return TRUE;
  return state->next_token && state->all_pages;
}

gboolean
wharf_ecr_chunked_take_token (WharfEcrChunked  *state,
                              JsonObject       *response,
                              GError          **error)
{
  char *token = NULL;

  if (!parse_next_token (response, &token, error))
    return FALSE;
  return advance_token (&state->next_token, token, &state->n_pages, state->all_pages, error);
}

/* ---- GetLifecyclePolicyPreview's poller ----
 * Polls until COMPLETE, then reads every page. ECR evaluates for seconds to minutes: each
 * IN_PROGRESS answer makes the next wait half as long again, up to PREVIEW_POLL_MAX_MS (or
 * the interval asked for, when that is longer). */
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

  if (!advance_token (&state->next_token, g_steal_pointer (&token), &state->n_pages, TRUE,
                      &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
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
  g_autoptr(JsonObject) input = wharf_ecr_input_new (state->repository);

  wharf_ecr_input_set_page (input, state->client, LIFECYCLE_PREVIEW_PAGE, state->next_token);
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
wharf_ecr_client_poll_lifecycle_preview (WharfEcrClient *self,
                                         GTask          *task,
                                         const char     *repository,
                                         guint           poll_interval_ms)
{
  Preview *state = g_new0 (Preview, 1);

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

int
wharf_ecr_lifecycle_preview_get_expiring_total (GTask *task)
{
  Preview *state = g_task_get_task_data (task);

  return state ? state->expiring_total : -1;
}
