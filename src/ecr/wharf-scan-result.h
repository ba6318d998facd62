/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "wharf-ecr-types.h"
#include "wharf-scan-finding.h"

G_BEGIN_DECLS

#define WHARF_TYPE_SCAN_RESULT (wharf_scan_result_get_type ())
G_DECLARE_FINAL_TYPE (WharfScanResult, wharf_scan_result, WHARF, SCAN_RESULT, GObject)

/* An image's scan: status, summary counts and (when fetched) the findings.
 * Properties (read-only): "status" (WharfScanStatus), "description" (nullable),
 * "completed-at", "vulnerability-source-updated-at" (nullable GDateTime),
 * "has-counts", "critical" … "undefined" (int, -1 without counts), "total-findings",
 * "findings" (GListModel of WharfScanFinding, never NULL; sorted most severe first). */

/* From a DescribeImageScanFindings response page (imageScanStatus + imageScanFindings);
 * imageScanStatus is required. Findings of later pages are added with
 * wharf_scan_result_add_findings_from_json(). */
WharfScanResult *wharf_scan_result_new_from_json            (JsonObject      *response,
                                                             GError         **error);
gboolean         wharf_scan_result_add_findings_from_json   (WharfScanResult *self,
                                                             JsonObject      *response,
                                                             GError         **error);

WharfScanStatus  wharf_scan_result_get_status                (WharfScanResult *self);
const char      *wharf_scan_result_get_description           (WharfScanResult *self);
GDateTime       *wharf_scan_result_get_completed_at          (WharfScanResult *self);
GDateTime       *wharf_scan_result_get_vulnerability_source_updated_at (WharfScanResult *self);
gboolean         wharf_scan_result_get_has_counts            (WharfScanResult *self);
/* -1 without counts. */
int              wharf_scan_result_get_count                 (WharfScanResult *self,
                                                              WharfSeverity    severity);
int              wharf_scan_result_get_total_findings        (WharfScanResult *self);
/* Fills WHARF_N_SEVERITIES counts; FALSE (and nothing filled) without counts. */
gboolean         wharf_scan_result_get_counts                (WharfScanResult *self,
                                                              int             *counts);
GListModel      *wharf_scan_result_get_findings              (WharfScanResult *self);

G_END_DECLS
