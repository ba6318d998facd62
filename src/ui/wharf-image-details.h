/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * WharfImageDetails: everything about one image — all tags, the full digest, media
 * types, size, dates, scan status, and for a multi-architecture index its platform
 * images (read from the index manifest with BatchGetImage).
 */
#pragma once

#include <adwaita.h>

#include "wharf-ecr-client.h"

G_BEGIN_DECLS

#define WHARF_TYPE_IMAGE_DETAILS (wharf_image_details_get_type ())

G_DECLARE_FINAL_TYPE (WharfImageDetails, wharf_image_details, WHARF, IMAGE_DETAILS, AdwBin)

/* @image NULL shows @n_selected ("3 images selected") or, when 0, an empty state. */
void        wharf_image_details_set_image (WharfImageDetails *self,
                                           WharfEcrClient    *client,
                                           WharfRepository   *repository,
                                           WharfImage        *image,
                                           guint              n_selected);
WharfImage *wharf_image_details_get_image (WharfImageDetails *self);

/* Parses an image index (OCI index or Docker manifest list) into a GPtrArray of
 * WharfPlatformImage; NULL with an error when @manifest is not an index. */
typedef struct
{
  char   *os;
  char   *architecture;
  char   *variant;      /* nullable */
  char   *digest;
  char   *media_type;   /* nullable */
  gint64  size;         /* -1 unknown */
} WharfPlatformImage;

void       wharf_platform_image_free     (WharfPlatformImage *self);
GPtrArray *wharf_image_details_parse_index (const char  *manifest,
                                            GError     **error);
/* Whether @media_type is an image index / manifest list. */
gboolean   wharf_image_details_is_index_media_type (const char *media_type);

G_END_DECLS
