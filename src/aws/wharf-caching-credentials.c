/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-caching-credentials"

#include "config.h"

#include "wharf-caching-credentials.h"

struct _WharfCachingCredentialsProvider
{
  GObject                   parent_instance;

  WharfCredentialsProvider *inner;
  WharfCredentials         *cached;
  GPtrArray                *waiters;      /* GTask, while a fetch runs */
  GCancellable             *cancellable;  /* the running fetch; cancelled in dispose */
  guint                     generation;   /* bumped by invalidate() */
  gboolean                  fetching;
};

static void caching_provider_iface_init (WharfCredentialsProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (WharfCachingCredentialsProvider, wharf_caching_credentials_provider,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (WHARF_TYPE_CREDENTIALS_PROVIDER,
                                                      caching_provider_iface_init))

/* A waiting caller's watch on its own cancellable. */
typedef struct
{
  GSource *cancel_source;
} Waiter;

static void
waiter_free (Waiter *w)
{
  if (w->cancel_source != NULL)
    {
      g_source_destroy (w->cancel_source);
      g_source_unref (w->cancel_source);
    }
  g_free (w);
}

static void
wharf_caching_credentials_provider_dispose (GObject *object)
{
  WharfCachingCredentialsProvider *self = WHARF_CACHING_CREDENTIALS_PROVIDER (object);

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (wharf_caching_credentials_provider_parent_class)->dispose (object);
}

static void
wharf_caching_credentials_provider_finalize (GObject *object)
{
  WharfCachingCredentialsProvider *self = WHARF_CACHING_CREDENTIALS_PROVIDER (object);

  g_clear_object (&self->inner);
  g_clear_pointer (&self->cached, wharf_credentials_unref);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (wharf_caching_credentials_provider_parent_class)->finalize (object);
}

static void
wharf_caching_credentials_provider_class_init (WharfCachingCredentialsProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wharf_caching_credentials_provider_dispose;
  object_class->finalize = wharf_caching_credentials_provider_finalize;
}

static void
wharf_caching_credentials_provider_init (WharfCachingCredentialsProvider *self)
{
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
}

/* A fetch in flight; it keeps the provider alive (the waiters' tasks hold it too). */
typedef struct
{
  WharfCachingCredentialsProvider *self;
  guint                            generation;
} Fetch;

static void
fetch_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Fetch *fetch = user_data;
  WharfCachingCredentialsProvider *self = fetch->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(WharfCredentials) creds = NULL;
  g_autoptr(GPtrArray) waiters = NULL;

  creds = wharf_credentials_provider_get_credentials_finish (WHARF_CREDENTIALS_PROVIDER (source),
                                                             result, &error);

  waiters = g_steal_pointer (&self->waiters);
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->fetching = FALSE;

  if (creds != NULL && fetch->generation == self->generation)
    {
      g_clear_pointer (&self->cached, wharf_credentials_unref);
      self->cached = wharf_credentials_ref (creds);
    }

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      g_task_set_task_data (task, NULL, NULL);  /* drops the cancel watch */
      if (creds != NULL)
        g_task_return_pointer (task, wharf_credentials_ref (creds),
                               (GDestroyNotify) wharf_credentials_unref);
      else
        g_task_return_error (task, g_error_copy (error));
    }

  g_object_unref (fetch->self);
  g_free (fetch);
}

static void
start_fetch (WharfCachingCredentialsProvider *self)
{
  Fetch *fetch = g_new0 (Fetch, 1);

  fetch->self = g_object_ref (self);
  fetch->generation = self->generation;
  self->fetching = TRUE;

  wharf_credentials_provider_get_credentials_async (self->inner, self->cancellable,
                                                    fetch_done_cb, fetch);
}

static gboolean
waiter_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  GTask *task = user_data;
  WharfCachingCredentialsProvider *self = g_task_get_source_object (task);
  guint index;

  /* Answer this caller now; the fetch goes on for the others and the cache. */
  if (g_ptr_array_find (self->waiters, task, &index))
    {
      g_autoptr(GTask) owned = g_object_ref (task);

      g_ptr_array_remove_index (self->waiters, index);
      g_task_set_task_data (owned, NULL, NULL);
      g_task_return_error_if_cancelled (owned);
    }
  return G_SOURCE_REMOVE;
}

static void
caching_provider_get_credentials_async (WharfCredentialsProvider *provider,
                                        GCancellable             *cancellable,
                                        GAsyncReadyCallback       callback,
                                        gpointer                  user_data)
{
  WharfCachingCredentialsProvider *self = WHARF_CACHING_CREDENTIALS_PROVIDER (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, caching_provider_get_credentials_async);

  if (self->cached != NULL
      && !wharf_credentials_expires_within (self->cached, NULL, WHARF_CREDENTIALS_REFRESH_MARGIN))
    {
      g_task_return_pointer (task, wharf_credentials_ref (self->cached),
                             (GDestroyNotify) wharf_credentials_unref);
      return;
    }

  if (cancellable != NULL)
    {
      Waiter *w = g_new0 (Waiter, 1);

      w->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (w->cancel_source, G_SOURCE_FUNC (waiter_cancelled_cb), task, NULL);
      g_source_attach (w->cancel_source, g_task_get_context (task));
      g_task_set_task_data (task, w, (GDestroyNotify) waiter_free);
    }

  /* One fetch for every caller that asks meanwhile. */
  g_ptr_array_add (self->waiters, g_steal_pointer (&task));
  if (!self->fetching)
    start_fetch (self);
}

static WharfCredentials *
caching_provider_get_credentials_finish (WharfCredentialsProvider  *provider,
                                         GAsyncResult              *result,
                                         GError                   **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
caching_provider_invalidate (WharfCredentialsProvider *provider)
{
  WharfCachingCredentialsProvider *self = WHARF_CACHING_CREDENTIALS_PROVIDER (provider);

  g_clear_pointer (&self->cached, wharf_credentials_unref);
  self->generation++;
  wharf_credentials_provider_invalidate (self->inner);
}

static void
caching_provider_iface_init (WharfCredentialsProviderInterface *iface)
{
  iface->get_credentials_async = caching_provider_get_credentials_async;
  iface->get_credentials_finish = caching_provider_get_credentials_finish;
  iface->invalidate = caching_provider_invalidate;
}

WharfCredentialsProvider *
wharf_caching_credentials_provider_new (WharfCredentialsProvider *inner)
{
  WharfCachingCredentialsProvider *self;

  g_return_val_if_fail (WHARF_IS_CREDENTIALS_PROVIDER (inner), NULL);

  self = g_object_new (WHARF_TYPE_CACHING_CREDENTIALS_PROVIDER, NULL);
  self->inner = g_object_ref (inner);
  return WHARF_CREDENTIALS_PROVIDER (self);
}

WharfCredentialsProvider *
wharf_caching_credentials_provider_get_inner (WharfCachingCredentialsProvider *self)
{
  g_return_val_if_fail (WHARF_IS_CACHING_CREDENTIALS_PROVIDER (self), NULL);
  return self->inner;
}
