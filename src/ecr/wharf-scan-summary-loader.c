/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-scan-summary-loader"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-scan-summary-loader.h"

#include "wharf-ecr-client.h"

typedef enum
{
  STATE_QUEUED = 1,
  STATE_RUNNING,
  STATE_DONE,
} ImageState;

struct _WharfScanSummaryLoader
{
  GObject         parent_instance;

  WharfEcrClient *client;
  guint           max_in_flight;
  GQueue          queue;        /* of WharfImage (ref), most recent first */
  GHashTable     *states;       /* "repository\ndigest" → ImageState */
  guint           n_running;
  GCancellable   *cancellable;
  guint           generation;   /* bumped by cancel_all: late answers are dropped */
};

G_DEFINE_FINAL_TYPE (WharfScanSummaryLoader, wharf_scan_summary_loader, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MAX_IN_FLIGHT,
  PROP_N_PENDING,
  N_PROPS
};

enum {
  LOADED,
  FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  WharfScanSummaryLoader *loader;
  WharfImage             *image;
  char                   *key;
  guint                   generation;
} Request;

static void
request_free (Request *request)
{
  g_clear_object (&request->loader);
  g_clear_object (&request->image);
  g_free (request->key);
  g_free (request);
}

static void
wharf_scan_summary_loader_dispose (GObject *object)
{
  WharfScanSummaryLoader *self = (WharfScanSummaryLoader *) object;

  g_cancellable_cancel (self->cancellable);
  g_queue_clear_full (&self->queue, g_object_unref);

  G_OBJECT_CLASS (wharf_scan_summary_loader_parent_class)->dispose (object);
}

static void
wharf_scan_summary_loader_finalize (GObject *object)
{
  WharfScanSummaryLoader *self = (WharfScanSummaryLoader *) object;

  g_clear_object (&self->client);
  g_clear_pointer (&self->states, g_hash_table_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (wharf_scan_summary_loader_parent_class)->finalize (object);
}

static void
wharf_scan_summary_loader_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  WharfScanSummaryLoader *self = WHARF_SCAN_SUMMARY_LOADER (object);

  switch (prop_id)
    {
    case PROP_MAX_IN_FLIGHT:
      g_value_set_uint (value, self->max_in_flight);
      break;
    case PROP_N_PENDING:
      g_value_set_uint (value, wharf_scan_summary_loader_get_n_pending (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wharf_scan_summary_loader_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  WharfScanSummaryLoader *self = WHARF_SCAN_SUMMARY_LOADER (object);

  switch (prop_id)
    {
    case PROP_MAX_IN_FLIGHT:
      self->max_in_flight = g_value_get_uint (value);
      if (self->max_in_flight == 0)
        self->max_in_flight = WHARF_SCAN_SUMMARY_LOADER_DEFAULT_MAX_IN_FLIGHT;
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wharf_scan_summary_loader_class_init (WharfScanSummaryLoaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wharf_scan_summary_loader_dispose;
  object_class->finalize = wharf_scan_summary_loader_finalize;
  object_class->get_property = wharf_scan_summary_loader_get_property;
  object_class->set_property = wharf_scan_summary_loader_set_property;

  properties[PROP_MAX_IN_FLIGHT] =
    g_param_spec_uint ("max-in-flight", NULL, NULL, 0, 64,
                       WHARF_SCAN_SUMMARY_LOADER_DEFAULT_MAX_IN_FLIGHT,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_PENDING] =
    g_param_spec_uint ("n-pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[LOADED] = g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, WHARF_TYPE_IMAGE);
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, WHARF_TYPE_IMAGE, G_TYPE_ERROR);
}

static void
wharf_scan_summary_loader_init (WharfScanSummaryLoader *self)
{
  self->max_in_flight = WHARF_SCAN_SUMMARY_LOADER_DEFAULT_MAX_IN_FLIGHT;
  self->states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
}

WharfScanSummaryLoader *
wharf_scan_summary_loader_new (WharfEcrClient *client,
                               guint           max_in_flight)
{
  WharfScanSummaryLoader *self;

  g_return_val_if_fail (WHARF_IS_ECR_CLIENT (client), NULL);

  self = g_object_new (WHARF_TYPE_SCAN_SUMMARY_LOADER, "max-in-flight", max_in_flight, NULL);
  self->client = g_object_ref (client);
  return self;
}

static char *
image_key (WharfImage *image)
{
  return g_strconcat (wharf_image_get_repository_name (image), "\n",
                      wharf_image_get_digest (image), NULL);
}

static void pump (WharfScanSummaryLoader *self);

static void
findings_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Request *request = user_data;
  WharfScanSummaryLoader *self = request->loader;
  g_autoptr(WharfScanResult) scan = NULL;
  g_autoptr(GError) error = NULL;

  scan = wharf_ecr_client_describe_image_scan_findings_finish (WHARF_ECR_CLIENT (source), result,
                                                               &error);

  if (request->generation != self->generation)
    {
      /* cancel_all() already forgot this request. */
      request_free (request);
      return;
    }

  self->n_running--;

  if (scan)
    {
      int counts[WHARF_N_SEVERITIES];
      WharfScanStatus status = wharf_scan_result_get_status (scan);
      gboolean has_counts = wharf_scan_result_get_counts (scan, counts);

      wharf_image_set_scan_summary (request->image, status,
                                    wharf_scan_result_get_description (scan),
                                    has_counts ? counts : NULL,
                                    wharf_scan_result_get_completed_at (scan));
      /* A scan still running is fetched again when the row asks again. */
      if (status == WHARF_SCAN_STATUS_IN_PROGRESS || status == WHARF_SCAN_STATUS_PENDING)
        g_hash_table_remove (self->states, request->key);
      else
        g_hash_table_insert (self->states, g_strdup (request->key), GINT_TO_POINTER (STATE_DONE));
      g_signal_emit (self, signals[LOADED], 0, request->image);
    }
  else if (g_strcmp0 (wharf_aws_error_get_aws_code (error), "ScanNotFoundException") == 0)
    {
      wharf_image_set_scan_summary (request->image, WHARF_SCAN_STATUS_NONE, NULL, NULL, NULL);
      g_hash_table_insert (self->states, g_strdup (request->key), GINT_TO_POINTER (STATE_DONE));
      g_signal_emit (self, signals[LOADED], 0, request->image);
    }
  else
    {
      g_hash_table_remove (self->states, request->key);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_signal_emit (self, signals[FAILED], 0, request->image, error);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);
  request_free (request);
  pump (self);
}

static void
pump (WharfScanSummaryLoader *self)
{
  while (self->n_running < self->max_in_flight && !g_queue_is_empty (&self->queue))
    {
      g_autoptr(WharfImage) image = g_queue_pop_head (&self->queue);
      g_autoptr(WharfImageId) id = wharf_image_id_new (wharf_image_get_digest (image), NULL);
      Request *request = g_new0 (Request, 1);

      request->loader = g_object_ref (self);
      request->image = g_object_ref (image);
      request->key = image_key (image);
      request->generation = self->generation;
      g_hash_table_insert (self->states, g_strdup (request->key), GINT_TO_POINTER (STATE_RUNNING));
      self->n_running++;

      wharf_ecr_client_describe_image_scan_findings_async (self->client,
                                                           wharf_image_get_repository_name (image),
                                                           id, FALSE, self->cancellable,
                                                           findings_cb, request);
    }
}

static void
enqueue (WharfScanSummaryLoader *self,
         WharfImage             *image,
         gboolean                force)
{
  g_autofree char *key = image_key (image);
  ImageState state = GPOINTER_TO_INT (g_hash_table_lookup (self->states, key));

  if (state == STATE_QUEUED || state == STATE_RUNNING)
    return;
  if (state == STATE_DONE && !force)
    return;

  g_hash_table_insert (self->states, g_steal_pointer (&key), GINT_TO_POINTER (STATE_QUEUED));
  /* The row asked last is the one on screen now. */
  g_queue_push_head (&self->queue, g_object_ref (image));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);
  pump (self);
}

void
wharf_scan_summary_loader_request (WharfScanSummaryLoader *self,
                                   WharfImage             *image)
{
  g_return_if_fail (WHARF_IS_SCAN_SUMMARY_LOADER (self));
  g_return_if_fail (WHARF_IS_IMAGE (image));

  enqueue (self, image, FALSE);
}

void
wharf_scan_summary_loader_refresh (WharfScanSummaryLoader *self,
                                   WharfImage             *image)
{
  g_return_if_fail (WHARF_IS_SCAN_SUMMARY_LOADER (self));
  g_return_if_fail (WHARF_IS_IMAGE (image));

  enqueue (self, image, TRUE);
}

void
wharf_scan_summary_loader_cancel_all (WharfScanSummaryLoader *self)
{
  g_return_if_fail (WHARF_IS_SCAN_SUMMARY_LOADER (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->generation++;
  self->n_running = 0;
  g_queue_clear_full (&self->queue, g_object_unref);
  g_queue_init (&self->queue);
  /* Forget what was queued or running; keep what was loaded. */
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, self->states);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      if (GPOINTER_TO_INT (value) != STATE_DONE)
        g_hash_table_iter_remove (&iter);
  }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);
}

guint
wharf_scan_summary_loader_get_n_pending (WharfScanSummaryLoader *self)
{
  g_return_val_if_fail (WHARF_IS_SCAN_SUMMARY_LOADER (self), 0);
  return g_queue_get_length (&self->queue) + self->n_running;
}

guint
wharf_scan_summary_loader_get_n_in_flight (WharfScanSummaryLoader *self)
{
  g_return_val_if_fail (WHARF_IS_SCAN_SUMMARY_LOADER (self), 0);
  return self->n_running;
}

guint
wharf_scan_summary_loader_get_max_in_flight (WharfScanSummaryLoader *self)
{
  g_return_val_if_fail (WHARF_IS_SCAN_SUMMARY_LOADER (self), 0);
  return self->max_in_flight;
}
