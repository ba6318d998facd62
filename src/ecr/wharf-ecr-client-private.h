/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The engine behind WharfEcrClient's operations, shared by the files that implement them
 * by resource (wharf-ecr-client-repositories.c, -images.c, -scanning.c, -policies.c,
 * -registry.c) and by WharfEcrListing. It lives in wharf-ecr-client.c and calls none of
 * them.
 *
 * An operation is usually four steps:
 *
 *   task = wharf_ecr_client_new_task (self, wharf_ecr_client_<op>_async, …);
 *   if (!wharf_ecr_check_repository (task, repository))      // checks fail through @task
 *     return;
 *   input = wharf_ecr_input_new (repository);                 // request builders
 *   wharf_ecr_client_simple_call (self, g_steal_pointer (&task), "<Op>", input,
 *                                 parse_<op>, free_func);     // or _page_call, or chunked
 *
 * and its _finish is wharf_ecr_client_propagate_pointer() (or _boolean, _page).
 */
#pragma once

#include "wharf-ecr-client.h"

G_BEGIN_DECLS

/* A hostile service could send nextTokens forever; no real listing has this many pages. */
#define WHARF_ECR_MAX_PAGES 100000

/* ---- Tasks ---- */

GTask     *wharf_ecr_client_new_task          (WharfEcrClient       *self,
                                               gpointer              source_tag,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gpointer   wharf_ecr_client_propagate_pointer (WharfEcrClient       *self,
                                               GAsyncResult         *result,
                                               gpointer              source_tag,
                                               GError              **error);
gboolean   wharf_ecr_client_propagate_boolean (WharfEcrClient       *self,
                                               GAsyncResult         *result,
                                               gpointer              source_tag,
                                               GError              **error);

/* ---- Argument checks: on failure each returns WHARF_ECR_ERROR_INVALID_ARGUMENT through
 * @task (which the caller then drops) and FALSE. ---- */

/* Takes @reason. */
gboolean   wharf_ecr_return_invalid           (GTask                *task,
                                               char                 *reason);
gboolean   wharf_ecr_check_repository         (GTask                *task,
                                               const char           *repository);
/* Each of @repositories; FALSE also when there is none. */
gboolean   wharf_ecr_check_repositories       (GTask                *task,
                                               const char * const   *repositories);
/* @what: the thing, translated, as "%s is missing" names it. */
gboolean   wharf_ecr_check_not_empty          (GTask                *task,
                                               const char           *value,
                                               const char           *what);
gboolean   wharf_ecr_check_image_id           (GTask                *task,
                                               const WharfImageId   *id);
/* At least one, each valid. */
gboolean   wharf_ecr_check_image_ids          (GTask                *task,
                                               GPtrArray            *image_ids);

/* ---- Request builders ---- */

/* A new input with repositoryName = @repository. */
JsonObject *wharf_ecr_input_new               (const char           *repository);
/* maxResults (@max_results, or the client's page size when 0; at most a full page) and
 * nextToken when @next_token is set. */
void        wharf_ecr_input_set_page          (JsonObject           *input,
                                               WharfEcrClient       *client,
                                               guint                 max_results,
                                               const char           *next_token);
/* filter.tagStatus, unless @tag_status is WHARF_TAG_STATUS_ANY. */
void        wharf_ecr_input_set_tag_status    (JsonObject           *input,
                                               WharfTagStatus        tag_status);
/* @member of @object = [{filterType: WILDCARD, filter}, …] of the @n_filters (-1: up to a
 * NULL) of @filters (nullable); nothing when there is none, unless @always. */
void        wharf_ecr_json_set_wildcard_filters (JsonObject         *object,
                                                 const char         *member,
                                                 const char * const *filters,
                                                 gssize              n_filters,
                                                 gboolean            always);
/* tags = [{Key, Value}, …] of WharfResourceTag. */
void        wharf_ecr_input_set_resource_tags (JsonObject           *input,
                                               GPtrArray            *tags);
JsonObject *wharf_ecr_image_id_to_json        (const WharfImageId   *id);
JsonArray  *wharf_ecr_image_ids_to_json       (GPtrArray            *ids);

/* ---- One request, one answer ---- */

/* Turns a response into the task's value; NULL with @error on malformed data. */
typedef gpointer (*WharfEcrParseFunc) (JsonObject  *response,
                                       GError     **error);

/* Sends @input (transfer full) and returns @parse (response) through @task (transfer
 * full); without @parse the task returns TRUE. */
void       wharf_ecr_client_simple_call       (WharfEcrClient       *self,
                                               GTask                *task,
                                               const char           *operation,
                                               JsonObject           *input,
                                               WharfEcrParseFunc     parse,
                                               GDestroyNotify        destroy);

/* One page of a listing (DescribeRepositories, DescribeImages): the models of @item_type
 * in @items_member, read by the pull reader (wharf-ecr-reader-private.h). Transfer full
 * of @input and @task; finish with wharf_ecr_client_propagate_page(). */
void       wharf_ecr_client_page_call         (WharfEcrClient       *self,
                                               GTask                *task,
                                               const char           *operation,
                                               JsonObject           *input,
                                               const char           *items_member,
                                               GType                 item_type);
GPtrArray *wharf_ecr_client_propagate_page    (WharfEcrClient       *self,
                                               GAsyncResult         *result,
                                               gpointer              source_tag,
                                               char                **next_token,
                                               GError              **error);

/* ---- Chunked and paged calls ----
 * One state machine for every call that sends a list in chunks (BatchDeleteImage,
 * BatchGetImage, DescribeImages by id, BatchGetRepositoryScanningConfiguration) or follows
 * nextToken (ListImages, DescribeImageScanFindings). */

typedef struct _WharfEcrChunked WharfEcrChunked;

/* Builds the input of the next request, NULL when done. */
typedef JsonObject *(*WharfEcrChunkedNext) (WharfEcrChunked  *state);
/* Takes the response in; FALSE with @error on malformed data. */
typedef gboolean    (*WharfEcrChunkedTake) (WharfEcrChunked  *state,
                                            JsonObject       *response,
                                            GError          **error);
/* A request failed as a whole: TRUE if handled (continue), FALSE to fail the task. */
typedef gboolean    (*WharfEcrChunkedFail) (WharfEcrChunked  *state,
                                            const GError     *error);

struct _WharfEcrChunked
{
  WharfEcrClient      *client;
  const char          *operation;
  char                *repository;
  GPtrArray           *ids;           /* input ids (of WharfImageId or char *) */
  GPtrArray           *queue;         /* of GPtrArray slices still to send (split on not found) */
  GPtrArray           *current;       /* slice being sent */
  guint                chunk_size;
  char                *next_token;
  guint                n_pages;
  gboolean             all_pages;
  gboolean             started;
  WharfTagStatus       tag_status;
  WharfEcrChunkedNext  next;
  WharfEcrChunkedTake  take;
  WharfEcrChunkedFail  fail;
  gpointer             result;
  GDestroyNotify       result_free;
  GStrv                media_types;   /* BatchGetImage's acceptedMediaTypes */
};

/* @ids (nullable) are sent in slices of @chunk_size. */
WharfEcrChunked *wharf_ecr_chunked_new        (WharfEcrClient       *client,
                                               const char           *operation,
                                               const char           *repository,
                                               GPtrArray            *ids,
                                               guint                 chunk_size,
                                               WharfEcrChunkedNext   next,
                                               WharfEcrChunkedTake   take);
/* Runs @state (transfer full) for @task (transfer full); the task returns state->result
 * (freed with state->result_free) once next() gives NULL. */
void       wharf_ecr_chunked_start            (GTask                *task,
                                               WharfEcrChunked      *state);
/* Pops the next slice of ids into state->current; FALSE when none is left. */
gboolean   wharf_ecr_chunked_pop_slice        (WharfEcrChunked      *state);
/* For paged calls: the first page, then while there is a nextToken and all pages are
 * wanted. */
gboolean   wharf_ecr_chunked_want_page        (WharfEcrChunked      *state);
/* Takes a page's nextToken in (refusing one that repeats, or too many pages). */
gboolean   wharf_ecr_chunked_take_token       (WharfEcrChunked      *state,
                                               JsonObject           *response,
                                               GError              **error);

/* ---- GetLifecyclePolicyPreview's poller ---- */

/* Polls until the preview is COMPLETE (backing off from @poll_interval_ms, 0 for the
 * default), then reads every page; @task (transfer full) returns a GListModel of
 * WharfLifecyclePreviewResult. */
void       wharf_ecr_client_poll_lifecycle_preview (WharfEcrClient  *self,
                                                    GTask           *task,
                                                    const char      *repository,
                                                    guint            poll_interval_ms);
/* The summary's expiringImageTotalCount of a finished poll, -1 when unknown. */
int        wharf_ecr_lifecycle_preview_get_expiring_total (GTask *task);

G_END_DECLS
