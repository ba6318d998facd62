/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "wharf-ecr-types.h"

G_BEGIN_DECLS

#define WHARF_TYPE_SCAN_FINDING (wharf_scan_finding_get_type ())
G_DECLARE_FINAL_TYPE (WharfScanFinding, wharf_scan_finding, WHARF, SCAN_FINDING, GObject)

/* Properties (read-only): "name" (CVE id or title), "severity" (WharfSeverity),
 * "description", "uri", "package-name", "package-version" (nullable), "cvss-score"
 * (double, < 0 when absent). */

/* From ECR's ImageScanFinding (basic scanning; package and CVSS from its attributes
 * "package_name", "package_version", "CVSS3_SCORE"/"CVSS2_SCORE"). Required: name,
 * severity. */
WharfScanFinding *wharf_scan_finding_new_from_json          (JsonObject *object,
                                                             GError    **error);
/* From ECR's EnhancedImageScanFinding (Amazon Inspector). Required: severity and one of
 * packageVulnerabilityDetails.vulnerabilityId or title. */
WharfScanFinding *wharf_scan_finding_new_from_enhanced_json (JsonObject *object,
                                                             GError    **error);

const char       *wharf_scan_finding_get_name            (WharfScanFinding *self);
WharfSeverity     wharf_scan_finding_get_severity        (WharfScanFinding *self);
const char       *wharf_scan_finding_get_description     (WharfScanFinding *self);
const char       *wharf_scan_finding_get_uri             (WharfScanFinding *self);
const char       *wharf_scan_finding_get_package_name    (WharfScanFinding *self);
const char       *wharf_scan_finding_get_package_version (WharfScanFinding *self);
double            wharf_scan_finding_get_cvss_score      (WharfScanFinding *self);

G_END_DECLS
