/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef struct _WharfRepository WharfRepository;

#define WHARF_TYPE_REPOSITORY_ROW (wharf_repository_row_get_type ())

G_DECLARE_FINAL_TYPE (WharfRepositoryRow, wharf_repository_row, WHARF, REPOSITORY_ROW, GtkWidget)

/* One line of the repository sidebar: the namespace ("team-a/") dimmed before the name. */
GtkWidget       *wharf_repository_row_new            (void);
void             wharf_repository_row_set_repository (WharfRepositoryRow *self,
                                                      WharfRepository    *repository);
WharfRepository *wharf_repository_row_get_repository (WharfRepositoryRow *self);

G_END_DECLS
