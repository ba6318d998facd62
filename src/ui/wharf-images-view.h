/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * WharfImagesView: the images of one repository in a sortable, filterable column view,
 * streamed in page by page, with the details and scan results of the selected image and
 * the actions on images (copy URI or pull command, scan, delete, export findings).
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Declared in src/ecr; repeated here so that including this header needs no more. */
typedef struct _WharfEcrClient  WharfEcrClient;
typedef struct _WharfRepository WharfRepository;

#define WHARF_TYPE_IMAGES_VIEW (wharf_images_view_get_type ())

G_DECLARE_FINAL_TYPE (WharfImagesView, wharf_images_view, WHARF, IMAGES_VIEW, AdwBin)

GtkWidget       *wharf_images_view_new            (void);

/* Shows @repository's images, listed through @client. A NULL @repository clears the view
 * and cancels whatever is still loading. */
void             wharf_images_view_set_repository (WharfImagesView *self,
                                                   WharfEcrClient  *client,
                                                   WharfRepository *repository);
WharfRepository *wharf_images_view_get_repository (WharfImagesView *self);

G_END_DECLS
