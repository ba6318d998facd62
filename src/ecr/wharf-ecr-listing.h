/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * WharfEcrListing: one streaming listing (repositories or images). Each page is appended
 * to a GListStore as it arrives, so a list view fills while the rest is loading. Created by
 * wharf_ecr_client_list_repositories() / _list_images(); it starts at once and keeps
 * itself alive until it is done.
 *
 * Properties (read-only, notified in the main context of the caller):
 *   "store"          GListStore the items are appended to
 *   "n-items-loaded" guint, items appended so far by this listing
 *   "n-pages"        guint, pages received so far
 *   "has-more"       gboolean, TRUE while another page is known to follow
 *   "loading"        gboolean, TRUE until done (success, error or cancelled)
 *   "error"          GError (boxed), nullable; set before "done" when the listing failed
 *                    or was cancelled (G_IO_ERROR_CANCELLED)
 * Signals:
 *   "page-loaded" (guint n_new_items)  after each page was appended
 *   "done" ()                          once, at the end; check wharf_ecr_listing_get_error()
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define WHARF_TYPE_ECR_LISTING (wharf_ecr_listing_get_type ())
G_DECLARE_FINAL_TYPE (WharfEcrListing, wharf_ecr_listing, WHARF, ECR_LISTING, GObject)

GListStore   *wharf_ecr_listing_get_store          (WharfEcrListing *self);
guint         wharf_ecr_listing_get_n_items_loaded (WharfEcrListing *self);
guint         wharf_ecr_listing_get_n_pages        (WharfEcrListing *self);
gboolean      wharf_ecr_listing_get_has_more       (WharfEcrListing *self);
gboolean      wharf_ecr_listing_get_loading        (WharfEcrListing *self);
const GError *wharf_ecr_listing_get_error          (WharfEcrListing *self);
/* Stops before the next page; "done" follows with G_IO_ERROR_CANCELLED (items already
 * appended stay). Also happens when the cancellable given at creation is cancelled. */
void          wharf_ecr_listing_cancel             (WharfEcrListing *self);
/* A new listing that goes on where @self (done, after an error) stopped: it asks again for
 * the page that failed and appends to the same store. Its "n-items-loaded" counts only
 * what it appends. */
WharfEcrListing *wharf_ecr_listing_resume          (WharfEcrListing *self,
                                                    GCancellable    *cancellable);

G_END_DECLS
