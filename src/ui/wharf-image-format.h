/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Words and numbers for images, shared by the images view, the details and the scan
 * results: dates ("3 days ago"), digests, sizes, media types and scan summaries.
 */
#pragma once

#include <glib.h>

#include "wharf-ecr-client.h"

G_BEGIN_DECLS

/* "sha256:0123456789ab…" */
char       *wharf_format_short_digest     (const char *digest);
/* "just now", "5 minutes ago", "3 days ago", "in 2 hours"; @now nullable (the real clock);
 * NULL @date gives "Never". */
char       *wharf_format_relative_date    (GDateTime  *date,
                                           GDateTime  *now);
/* The local date and time in full, or NULL for a NULL @date. */
char       *wharf_format_exact_date       (GDateTime  *date);
/* "Docker image", "OCI index", "Helm chart" … or the media type itself. */
char       *wharf_format_media_type       (const char *manifest_media_type,
                                           const char *artifact_media_type);
/* "2 critical · 5 high", "No findings", "Scanning…", "Not scanned" … */
char       *wharf_format_scan_summary     (WharfScanStatus status,
                                           const int      *counts /* nullable */);
/* A CSS class for the most severe count, "none" without findings. */
const char *wharf_format_scan_css_class   (WharfScanStatus status,
                                           const int      *counts /* nullable */);
/* The image's counts into @counts (WHARF_N_SEVERITIES); FALSE without a summary. */
gboolean    wharf_format_image_counts     (WharfImage     *image,
                                           int            *counts);

G_END_DECLS
