/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * WharfScanResults: the vulnerability scan of one image — a summary by severity, the
 * findings (filter by severity, search, sort, export as CSV), and what to do when there
 * is no result yet: scan now, wait for a running scan (polled with backoff), or read why
 * the image cannot be scanned (unsupported, failed, the daily limit).
 */
#pragma once

#include <adwaita.h>

#include "wharf-ecr-client.h"

G_BEGIN_DECLS

#define WHARF_TYPE_SCAN_RESULTS (wharf_scan_results_get_type ())

G_DECLARE_FINAL_TYPE (WharfScanResults, wharf_scan_results, WHARF, SCAN_RESULTS, AdwBin)

/* @image NULL clears (and stops polling). */
void             wharf_scan_results_set_image  (WharfScanResults *self,
                                                WharfEcrClient   *client,
                                                WharfRepository  *repository,
                                                WharfImage       *image);
WharfImage      *wharf_scan_results_get_image  (WharfScanResults *self);
/* Starts a scan of the shown image (StartImageScan) and follows it until it completes. */
void             wharf_scan_results_start_scan (WharfScanResults *self);
/* The findings loaded last, or NULL. */
WharfScanResult *wharf_scan_results_get_result (WharfScanResults *self);

/* The findings as CSV text (RFC 4180, header line first, CRLF line ends). */
char            *wharf_scan_results_build_csv  (GListModel       *findings);

G_END_DECLS
