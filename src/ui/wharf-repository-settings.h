/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wharf-ecr-client.h"

G_BEGIN_DECLS

#define WHARF_TYPE_REPOSITORY_SETTINGS (wharf_repository_settings_get_type ())

G_DECLARE_FINAL_TYPE (WharfRepositorySettings, wharf_repository_settings, WHARF, REPOSITORY_SETTINGS, AdwBin)

/* A repository's details and the settings that can change after creation; each change is
 * sent to ECR at once and undone on screen when ECR refuses it.
 * Signals: "changed" (WharfRepository as ECR now describes it), "show-toast" (message),
 * "credentials-failed" (message). */
void wharf_repository_settings_set_repository (WharfRepositorySettings *self,
                                               WharfEcrClient          *client,
                                               WharfRepository         *repository);

G_END_DECLS
