/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wharf-ecr-client.h"

G_BEGIN_DECLS

#define WHARF_TYPE_REPOSITORY_PAGE (wharf_repository_page_get_type ())

G_DECLARE_FINAL_TYPE (WharfRepositoryPage, wharf_repository_page, WHARF, REPOSITORY_PAGE, AdwBin)

/* One repository: its images and its settings, as two pages of an AdwViewStack.
 * Signals: "deleted" (WharfRepository) after the repository was deleted;
 * "gone" (WharfRepository, message) when ECR says it no longer exists (deleted elsewhere);
 * "changed" (old WharfRepository, new WharfRepository) after ECR accepted a settings change;
 * "credentials-failed" (message) when ECR refused the account's credentials. */
void             wharf_repository_page_set_repository (WharfRepositoryPage *self,
                                                       WharfEcrClient      *client,
                                                       WharfRepository     *repository);
WharfRepository *wharf_repository_page_get_repository (WharfRepositoryPage *self);
void             wharf_repository_page_add_toast      (WharfRepositoryPage *self,
                                                       AdwToast            *toast);
/* Shows the Permissions tab (the repository policy). */
void             wharf_repository_page_show_permissions (WharfRepositoryPage *self);

G_END_DECLS
