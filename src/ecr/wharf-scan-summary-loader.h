/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * WharfScanSummaryLoader: fetches scan summaries (status and severity counts) on demand for
 * images whose listing did not include them, typically the rows a list view shows.
 * Requests are de-duplicated (by repository and digest), at most "max-in-flight" run at
 * once, the most recently requested image first; results are set on the WharfImage
 * (wharf_image_set_scan_summary()), so bound rows update by themselves. An image without a
 * scan gets WHARF_SCAN_STATUS_NONE; a failed request leaves the image as it was and
 * emits "failed".
 *
 * Properties: "max-in-flight" (guint, construct), "n-pending" (guint, queued + running).
 * Signals: "loaded" (WharfImage *), "failed" (WharfImage *, GError *).
 */
#pragma once

#include <gio/gio.h>

#include "wharf-image.h"

G_BEGIN_DECLS

typedef struct _WharfEcrClient WharfEcrClient;

#define WHARF_SCAN_SUMMARY_LOADER_DEFAULT_MAX_IN_FLIGHT 4

#define WHARF_TYPE_SCAN_SUMMARY_LOADER (wharf_scan_summary_loader_get_type ())
G_DECLARE_FINAL_TYPE (WharfScanSummaryLoader, wharf_scan_summary_loader,
                      WHARF, SCAN_SUMMARY_LOADER, GObject)

/* @max_in_flight: 0 for the default (4). */
WharfScanSummaryLoader *wharf_scan_summary_loader_new        (WharfEcrClient         *client,
                                                              guint                   max_in_flight);
/* Queues @image unless it is queued, running, or was loaded already. */
void                    wharf_scan_summary_loader_request    (WharfScanSummaryLoader *self,
                                                              WharfImage             *image);
/* Queues @image again even if it was loaded (after StartImageScan, for example). */
void                    wharf_scan_summary_loader_refresh    (WharfScanSummaryLoader *self,
                                                              WharfImage             *image);
/* Drops the queue and cancels running requests (e.g. when the view switches repository). */
void                    wharf_scan_summary_loader_cancel_all (WharfScanSummaryLoader *self);
guint                   wharf_scan_summary_loader_get_n_pending    (WharfScanSummaryLoader *self);
/* Requests running now (at most "max-in-flight"). */
guint                   wharf_scan_summary_loader_get_n_in_flight  (WharfScanSummaryLoader *self);
guint                   wharf_scan_summary_loader_get_max_in_flight (WharfScanSummaryLoader *self);

G_END_DECLS
