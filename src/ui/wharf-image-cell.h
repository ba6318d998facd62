/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * WharfImageCell: the bin around each cell of the images column view. It holds the row's
 * item, so that a right click can tell which image it landed on (GTK 4.8 has no API that
 * maps a point to a column view row).
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WHARF_TYPE_IMAGE_CELL (wharf_image_cell_get_type ())

G_DECLARE_FINAL_TYPE (WharfImageCell, wharf_image_cell, WHARF, IMAGE_CELL, AdwBin)

GObject *wharf_image_cell_get_item (WharfImageCell *self);
void     wharf_image_cell_set_item (WharfImageCell *self,
                                    GObject        *item);

G_END_DECLS
