/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wharf-ecr-client.h"

G_BEGIN_DECLS

#define WHARF_TYPE_CREATE_REPOSITORY_DIALOG (wharf_create_repository_dialog_get_type ())

G_DECLARE_FINAL_TYPE (WharfCreateRepositoryDialog, wharf_create_repository_dialog, WHARF, CREATE_REPOSITORY_DIALOG, AdwWindow)

/* The step-by-step creation of a repository. @existing: the repositories already listed
 * (a GListModel of WharfRepository; nullable), so that a taken name is caught before
 * anything is sent. @account_id nullable: shown in the image address preview.
 * Signal "created" (WharfRepository) once ECR created it; the dialog then closes. */
WharfCreateRepositoryDialog *wharf_create_repository_dialog_new (GtkWindow      *parent,
                                                                 WharfEcrClient *client,
                                                                 GListStore     *existing,
                                                                 const char     *account_id);

G_END_DECLS
