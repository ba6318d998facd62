/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-ecr-listing"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-ecr-listing.h"

#include "wharf-ecr-client-private.h"
#include "wharf-ecr-json-private.h"
#include "wharf-ecr-reader-private.h"
#include "wharf-ecr-validate.h"

typedef enum
{
  LISTING_REPOSITORIES,
  LISTING_IMAGES,
} ListingKind;

struct _WharfEcrListing
{
  GObject          parent_instance;

  WharfEcrClient  *client;
  ListingKind      kind;
  char            *repository;
  WharfTagStatus   tag_status;
  GListStore      *store;

  GCancellable    *cancellable;   /* ours; cancelled by _cancel() and the caller's */
  GCancellable    *external;
  gulong           external_id;

  char            *next_token;
  guint            n_items_loaded;
  guint            n_pages;
  gboolean         has_more;
  gboolean         loading;
  GError          *error;

  /* The pipeline (see page_answered_cb): at most one request in flight and one page whose
   * items are being built in a worker thread. */
  char            *requested_token;  /* sent with the request in flight (or last answered) */
  gboolean         requesting;
  gboolean         building;
  char            *building_token;   /* the nextToken of the page being built */
  struct _Page    *held_page;        /* answered while the previous page was being built */
  GError          *held_error;       /* the same, for a failed request */
  gboolean         finished;
};

G_DEFINE_FINAL_TYPE (WharfEcrListing, wharf_ecr_listing, G_TYPE_OBJECT)

/* An answered page, its body not yet read. The main thread only finds the nextToken (and
 * where the items are) with the strict reader, so that the next request can go out while a
 * worker builds the models; a body the reader refuses goes to json-glib in the worker,
 * which finds the token then. */
typedef struct _Page
{
  WharfAwsResponse *response;
  gboolean          scanned;
  gsize             items_offset;
  char             *token;        /* scanned: the nextToken, NULL for none */
  char             *sent_token;   /* the nextToken this page was asked for with */
} Page;

static void
page_free (Page *page)
{
  g_clear_pointer (&page->response, wharf_aws_response_unref);
  g_free (page->token);
  g_free (page->sent_token);
  g_free (page);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Page, page_free)

enum {
  PROP_0,
  PROP_STORE,
  PROP_N_ITEMS_LOADED,
  PROP_N_PAGES,
  PROP_HAS_MORE,
  PROP_LOADING,
  PROP_ERROR,
  N_PROPS
};

enum {
  PAGE_LOADED,
  DONE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
wharf_ecr_listing_finalize (GObject *object)
{
  WharfEcrListing *self = (WharfEcrListing *) object;

  g_assert (self->external_id == 0);

  g_clear_object (&self->client);
  g_free (self->repository);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->external);
  g_free (self->next_token);
  g_clear_error (&self->error);
  g_free (self->requested_token);
  g_free (self->building_token);
  g_clear_pointer (&self->held_page, page_free);
  g_clear_error (&self->held_error);

  G_OBJECT_CLASS (wharf_ecr_listing_parent_class)->finalize (object);
}

static void
wharf_ecr_listing_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  WharfEcrListing *self = WHARF_ECR_LISTING (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_N_ITEMS_LOADED:
      g_value_set_uint (value, self->n_items_loaded);
      break;
    case PROP_N_PAGES:
      g_value_set_uint (value, self->n_pages);
      break;
    case PROP_HAS_MORE:
      g_value_set_boolean (value, self->has_more);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wharf_ecr_listing_class_init (WharfEcrListingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = wharf_ecr_listing_finalize;
  object_class->get_property = wharf_ecr_listing_get_property;

  properties[PROP_STORE] = g_param_spec_object ("store", NULL, NULL, G_TYPE_LIST_STORE, flags);
  properties[PROP_N_ITEMS_LOADED] =
    g_param_spec_uint ("n-items-loaded", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_PAGES] = g_param_spec_uint ("n-pages", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_HAS_MORE] = g_param_spec_boolean ("has-more", NULL, NULL, FALSE, flags);
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE, flags);
  properties[PROP_ERROR] = g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[PAGE_LOADED] = g_signal_new ("page-loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
wharf_ecr_listing_init (WharfEcrListing *self)
{
  self->cancellable = g_cancellable_new ();
}

/* Ends the listing; drops the reference the listing held on itself. */
static void
finish (WharfEcrListing *self,
        GError          *error)
{
  g_autoptr(WharfEcrListing) hold G_GNUC_UNUSED = self;   /* the self-reference taken at start */

  if (self->external_id)
    {
      g_cancellable_disconnect (self->external, self->external_id);
      self->external_id = 0;
    }

  g_object_freeze_notify (G_OBJECT (self));
  if (error)
    {
      self->error = error;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  if (self->has_more)
    {
      self->has_more = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_MORE]);
    }
  self->loading = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  g_object_thaw_notify (G_OBJECT (self));

  g_signal_emit (self, signals[DONE], 0);
}

/* Ends the listing once; a request still in flight is cancelled and its answer ignored. */
static void
end (WharfEcrListing *self,
     GError          *error)
{
  g_assert (!self->finished);
  self->finished = TRUE;
  if (self->requesting)
    g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->held_page, page_free);
  g_clear_error (&self->held_error);
  finish (self, error);
}

static void fetch_page (WharfEcrListing *self);
static void build_page (WharfEcrListing *self,
                        Page            *page);

/* ---- worker thread: response text → models ---- */

typedef struct
{
  ListingKind  kind;
  Page        *page;
} BuildData;

static void
build_data_free (BuildData *data)
{
  g_clear_pointer (&data->page, page_free);
  g_free (data);
}

typedef struct
{
  GPtrArray *items;
  gboolean   token_read;   /* the page was read through json-glib: its token is here */
  char      *token;
} BuildResult;

static void
build_result_free (BuildResult *result)
{
  g_clear_pointer (&result->items, g_ptr_array_unref);
  g_free (result->token);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuildResult, build_result_free)

/* json-glib's way, for a body the strict reader refused: the errors come in the order the
 * whole path has always had (not JSON, then nextToken, then the items). */
static gboolean
build_from_tree (BuildData    *data,
                 const char   *member,
                 GType         item_type,
                 BuildResult  *result,
                 GError      **error)
{
  Page *page = data->page;
  g_autoptr(JsonObject) object = NULL;
  const char *token = NULL;

  object = wharf_aws_response_parse (page->response, error);
  if (!object)
    return FALSE;
  if (!page->scanned)
    {
      if (!wharf_ecr_json_get_string (object, "nextToken", FALSE, &token, error))
        return FALSE;
      if (token && *token == '\0')
        token = NULL;
      if (token && g_strcmp0 (token, page->sent_token) == 0)
        {
          g_set_error_literal (error, WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_DATA,
                               _("The service sent the same page twice"));
          return FALSE;
        }
      result->token_read = TRUE;
      result->token = g_strdup (token);
    }
  result->items = wharf_ecr_page_items_from_json (object, member, item_type, error);
  return result->items != NULL;
}

/* The models of a page, built where they are not in the main loop's way; the body is freed
 * there too. The GObjects are only handed over once complete. */
static void
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  BuildData *data = task_data;
  Page *page = data->page;
  const char *member = data->kind == LISTING_REPOSITORIES ? "repositories" : "imageDetails";
  GType item_type = data->kind == LISTING_REPOSITORIES ? WHARF_TYPE_REPOSITORY
                                                       : WHARF_TYPE_IMAGE;
  g_autoptr(BuildResult) result = g_new0 (BuildResult, 1);
  GError *error = NULL;

  if (page->scanned)
    {
      const char *text;
      gsize len;

      text = g_bytes_get_data (wharf_aws_response_get_body (page->response), &len);
      result->items = wharf_ecr_page_read_items (text, len, member, page->items_offset,
                                                 item_type, &error);
      /* Not expected after a good scan, but json-glib would still have the last word. */
      if (!result->items && error->domain == WHARF_JSON_READER_ERROR)
        {
          g_debug ("Reading the page through json-glib: %s", error->message);
          g_clear_error (&error);
          build_from_tree (data, member, item_type, result, &error);
        }
    }
  else
    build_from_tree (data, member, item_type, result, &error);

  if (!result->items)
    {
      g_task_return_error (task, error);
      return;
    }

  g_clear_pointer (&page->response, wharf_aws_response_unref);
  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) build_result_free);
}

/* ---- main thread ---- */

/* The next step once nothing is being built: a held answer, or the next request. */
static void
continue_listing (WharfEcrListing *self)
{
  g_autoptr(GError) error = NULL;

  if (self->held_error)
    {
      end (self, g_steal_pointer (&self->held_error));
      return;
    }
  if (self->held_page)
    {
      build_page (self, g_steal_pointer (&self->held_page));
      return;
    }
  if (self->requesting)
    return;
  if (g_cancellable_set_error_if_cancelled (self->cancellable, &error))
    {
      end (self, g_steal_pointer (&error));
      return;
    }
  fetch_page (self);
}

static void
page_built_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(WharfEcrListing) self = user_data;   /* the build's reference */
  g_autoptr(BuildResult) built = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (self->building && !self->finished);
  self->building = FALSE;

  built = g_task_propagate_pointer (G_TASK (result), &error);
  if (!built)
    {
      end (self, g_steal_pointer (&error));
      return;
    }
  items = g_steal_pointer (&built->items);
  if (built->token_read)
    {
      /* Read through json-glib: the token was not known before. */
      g_free (self->building_token);
      self->building_token = g_steal_pointer (&built->token);
    }

  g_list_store_splice (self->store, g_list_model_get_n_items (G_LIST_MODEL (self->store)), 0,
                       items->pdata, items->len);

  g_free (self->next_token);
  self->next_token = g_steal_pointer (&self->building_token);
  self->n_items_loaded += items->len;
  self->n_pages++;

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS_LOADED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PAGES]);
  if (self->has_more != (self->next_token ? TRUE : FALSE))
    {
      self->has_more = self->next_token ? TRUE : FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_MORE]);
    }
  g_object_thaw_notify (G_OBJECT (self));

  g_signal_emit (self, signals[PAGE_LOADED], 0, items->len);

  if (!self->next_token)
    {
      end (self, NULL);
      return;
    }
  if (self->n_pages >= WHARF_ECR_MAX_PAGES)
    {
      end (self, g_error_new (WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_DATA,
                              _("The service sent too many pages")));
      return;
    }
  if (g_cancellable_set_error_if_cancelled (self->cancellable, &error))
    {
      end (self, g_steal_pointer (&error));
      return;
    }
  continue_listing (self);
}

/* Takes @page. */
static void
build_page (WharfEcrListing *self,
            Page            *page)
{
  g_autoptr(GTask) task = NULL;
  BuildData *data;
  const char *token = page->token;

  g_assert (!self->building);
  self->building = TRUE;
  g_free (self->building_token);
  self->building_token = g_strdup (token);

  /* Read-ahead: the next request goes out while this page's items are built. Not for the
   * first page: a listing cancelled after it (the person saw what they wanted) asks for
   * nothing more. */
  if (token && self->n_pages >= 1 && self->n_pages + 1 < WHARF_ECR_MAX_PAGES && !self->requesting
      && !g_cancellable_is_cancelled (self->cancellable))
    fetch_page (self);

  data = g_new0 (BuildData, 1);
  data->kind = self->kind;
  data->page = page;
  task = g_task_new (NULL, NULL, page_built_cb, g_object_ref (self));
  g_task_set_source_tag (task, build_page);
  g_task_set_name (task, "[wharf] ECR listing page");
  g_task_set_task_data (task, data, (GDestroyNotify) build_data_free);
  g_task_run_in_thread (task, build_thread);
}

static void
page_answered_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(WharfEcrListing) self = user_data;   /* the request's reference */
  g_autoptr(WharfAwsResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Page) page = NULL;

  self->requesting = FALSE;
  response = wharf_aws_client_call_bytes_finish (WHARF_AWS_CLIENT (source), result, &error);
  if (self->finished)
    return;

  if (response)
    {
      g_auto(WharfEcrPageScan) scan = { WHARF_JSON_READER_ABSENT, NULL };
      g_autoptr(GError) scan_error = NULL;
      const char *text;
      gsize len;

      page = g_new0 (Page, 1);
      page->response = g_steal_pointer (&response);
      page->sent_token = g_strdup (self->requested_token);

      /* Only the top level is decoded here; the items are checked, not built. */
      text = g_bytes_get_data (wharf_aws_response_get_body (page->response), &len);
      if (wharf_ecr_page_scan (text, len,
                               self->kind == LISTING_REPOSITORIES ? "repositories"
                                                                  : "imageDetails",
                               &scan, &scan_error))
        {
          page->scanned = TRUE;
          page->items_offset = scan.items_offset;
          page->token = g_steal_pointer (&scan.next_token);
          if (page->token && *page->token == '\0')
            g_clear_pointer (&page->token, g_free);
          if (page->token && g_strcmp0 (page->token, page->sent_token) == 0)
            error = g_error_new (WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_DATA,
                                 _("The service sent the same page twice"));
        }
      else if (scan_error->domain != WHARF_JSON_READER_ERROR)
        error = g_steal_pointer (&scan_error);   /* a nextToken that is not a string */
      else
        g_debug ("Page left to json-glib: %s", scan_error->message);
    }

  if (error)
    {
      if (self->building)
        self->held_error = g_steal_pointer (&error);   /* after the page being built */
      else
        end (self, g_steal_pointer (&error));
      return;
    }

  if (self->building)
    {
      self->held_page = g_steal_pointer (&page);
      return;
    }
  build_page (self, g_steal_pointer (&page));
}

static void
fetch_page (WharfEcrListing *self)
{
  WharfEcrClient *client = self->client;
  g_autoptr(JsonObject) input = NULL;
  const char *token = self->building ? self->building_token : self->next_token;
  const char *operation;

  g_assert (!self->requesting && !self->finished);

  /* As wharf_ecr_client_describe_repositories_async() / _describe_images_async() send it. */
  if (self->kind == LISTING_REPOSITORIES)
    {
      operation = "DescribeRepositories";
      input = json_object_new ();
      wharf_ecr_input_set_page (input, client, 0, token);
    }
  else
    {
      operation = "DescribeImages";
      input = wharf_ecr_input_new (self->repository);
      wharf_ecr_input_set_page (input, client, 0, token);
      wharf_ecr_input_set_tag_status (input, self->tag_status);
    }

  g_free (self->requested_token);
  self->requested_token = g_strdup (token);
  self->requesting = TRUE;
  wharf_aws_client_call_bytes_async (wharf_ecr_client_get_aws_client (client), operation, input,
                                     self->cancellable, page_answered_cb, g_object_ref (self));
}

static gboolean
invalid_repository_cb (gpointer user_data)
{
  WharfEcrListing *self = user_data;
  g_autofree char *reason = NULL;

  wharf_ecr_validate_repository_name (self->repository, &reason);
  end (self, g_error_new (WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_ARGUMENT, "%s",
                          reason ? reason : ""));
  return G_SOURCE_REMOVE;
}

static void
external_cancelled_cb (GCancellable    *cancellable,
                       WharfEcrListing *self)
{
  g_cancellable_cancel (self->cancellable);
}

static WharfEcrListing *
start (WharfEcrClient *client,
       ListingKind     kind,
       const char     *repository,
       WharfTagStatus  tag_status,
       GListStore     *store,
       GType           item_type,
       const char     *next_token,
       GCancellable   *cancellable)
{
  WharfEcrListing *self = g_object_new (WHARF_TYPE_ECR_LISTING, NULL);

  self->client = g_object_ref (client);
  self->kind = kind;
  self->repository = g_strdup (repository);
  self->tag_status = tag_status;
  self->store = store ? g_object_ref (store) : g_list_store_new (item_type);
  self->loading = TRUE;
  self->has_more = TRUE;
  self->next_token = g_strdup (next_token);

  /* Kept alive by this reference until finish(). */
  g_object_ref (self);

  if (cancellable)
    {
      self->external = g_object_ref (cancellable);
      self->external_id = g_cancellable_connect (cancellable, G_CALLBACK (external_cancelled_cb),
                                                 self, NULL);
    }

  if (kind == LISTING_IMAGES && !wharf_ecr_validate_repository_name (repository, NULL))
    {
      /* Reported like a failed first page: after start() has returned. */
      GSource *source = g_idle_source_new ();

      g_source_set_static_name (source, "[wharf] ECR listing error");
      g_source_set_callback (source, invalid_repository_cb, g_object_ref (self), g_object_unref);
      g_source_attach (source, g_main_context_get_thread_default ());
      g_source_unref (source);
      return self;
    }

  fetch_page (self);
  return self;
}

WharfEcrListing *
wharf_ecr_client_list_repositories (WharfEcrClient *self,
                                    GListStore     *store,
                                    GCancellable   *cancellable)
{
  g_return_val_if_fail (WHARF_IS_ECR_CLIENT (self), NULL);
  g_return_val_if_fail (!store || G_IS_LIST_STORE (store), NULL);

  return start (self, LISTING_REPOSITORIES, NULL, WHARF_TAG_STATUS_ANY, store,
                WHARF_TYPE_REPOSITORY, NULL, cancellable);
}

WharfEcrListing *
wharf_ecr_client_list_images (WharfEcrClient *self,
                              const char     *repository,
                              WharfTagStatus  tag_status,
                              GListStore     *store,
                              GCancellable   *cancellable)
{
  g_return_val_if_fail (WHARF_IS_ECR_CLIENT (self), NULL);
  g_return_val_if_fail (repository, NULL);
  g_return_val_if_fail (!store || G_IS_LIST_STORE (store), NULL);

  return start (self, LISTING_IMAGES, repository, tag_status, store, WHARF_TYPE_IMAGE, NULL,
                cancellable);
}

WharfEcrListing *
wharf_ecr_listing_resume (WharfEcrListing *self,
                          GCancellable    *cancellable)
{
  g_return_val_if_fail (WHARF_IS_ECR_LISTING (self), NULL);
  g_return_val_if_fail (!self->loading, NULL);

  return start (self->client, self->kind, self->repository, self->tag_status, self->store,
                self->kind == LISTING_REPOSITORIES ? WHARF_TYPE_REPOSITORY : WHARF_TYPE_IMAGE,
                self->next_token, cancellable);
}

GListStore *
wharf_ecr_listing_get_store (WharfEcrListing *self)
{
  g_return_val_if_fail (WHARF_IS_ECR_LISTING (self), NULL);
  return self->store;
}

guint
wharf_ecr_listing_get_n_items_loaded (WharfEcrListing *self)
{
  g_return_val_if_fail (WHARF_IS_ECR_LISTING (self), 0);
  return self->n_items_loaded;
}

guint
wharf_ecr_listing_get_n_pages (WharfEcrListing *self)
{
  g_return_val_if_fail (WHARF_IS_ECR_LISTING (self), 0);
  return self->n_pages;
}

gboolean
wharf_ecr_listing_get_has_more (WharfEcrListing *self)
{
  g_return_val_if_fail (WHARF_IS_ECR_LISTING (self), FALSE);
  return self->has_more;
}

gboolean
wharf_ecr_listing_get_loading (WharfEcrListing *self)
{
  g_return_val_if_fail (WHARF_IS_ECR_LISTING (self), FALSE);
  return self->loading;
}

const GError *
wharf_ecr_listing_get_error (WharfEcrListing *self)
{
  g_return_val_if_fail (WHARF_IS_ECR_LISTING (self), NULL);
  return self->error;
}

void
wharf_ecr_listing_cancel (WharfEcrListing *self)
{
  g_return_if_fail (WHARF_IS_ECR_LISTING (self));
  g_cancellable_cancel (self->cancellable);
}
