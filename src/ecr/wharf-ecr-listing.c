/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-ecr-listing"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-ecr-listing.h"

#include "wharf-ecr-client.h"

/* A hostile service could send nextTokens forever. */
#define MAX_PAGES 100000

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
};

G_DEFINE_FINAL_TYPE (WharfEcrListing, wharf_ecr_listing, G_TYPE_OBJECT)

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
  g_autoptr(WharfEcrListing) hold = self;   /* the self-reference taken at start */

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

static void fetch_page (WharfEcrListing *self);

static void
page_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  WharfEcrListing *self = user_data;   /* the self-reference */
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  if (self->kind == LISTING_REPOSITORIES)
    items = wharf_ecr_client_describe_repositories_finish (WHARF_ECR_CLIENT (source), result,
                                                           &token, &error);
  else
    items = wharf_ecr_client_describe_images_finish (WHARF_ECR_CLIENT (source), result, &token,
                                                     &error);

  if (!items)
    {
      finish (self, g_steal_pointer (&error));
      return;
    }

  if (token && g_strcmp0 (token, self->next_token) == 0)
    {
      finish (self, g_error_new (WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_DATA,
                                 _("The service sent the same page twice")));
      return;
    }

  g_list_store_splice (self->store, g_list_model_get_n_items (G_LIST_MODEL (self->store)), 0,
                       items->pdata, items->len);

  g_free (self->next_token);
  self->next_token = g_steal_pointer (&token);
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
      finish (self, NULL);
      return;
    }
  if (self->n_pages >= MAX_PAGES)
    {
      finish (self, g_error_new (WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_DATA,
                                 _("The service sent too many pages")));
      return;
    }
  if (g_cancellable_set_error_if_cancelled (self->cancellable, &error))
    {
      finish (self, g_steal_pointer (&error));
      return;
    }
  fetch_page (self);
}

static void
fetch_page (WharfEcrListing *self)
{
  if (self->kind == LISTING_REPOSITORIES)
    wharf_ecr_client_describe_repositories_async (self->client, NULL, 0, self->next_token,
                                                  self->cancellable, page_cb, self);
  else
    wharf_ecr_client_describe_images_async (self->client, self->repository, self->tag_status,
                                            NULL, 0, self->next_token,
                                            self->cancellable, page_cb, self);
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

  /* Kept alive by this reference until finish(). */
  g_object_ref (self);

  if (cancellable)
    {
      self->external = g_object_ref (cancellable);
      self->external_id = g_cancellable_connect (cancellable, G_CALLBACK (external_cancelled_cb),
                                                 self, NULL);
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
                WHARF_TYPE_REPOSITORY, cancellable);
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

  return start (self, LISTING_IMAGES, repository, tag_status, store, WHARF_TYPE_IMAGE, cancellable);
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
