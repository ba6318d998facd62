/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "wharf-ecr-records.h"

G_BEGIN_DECLS

/* Each returns whether the option was set. */
gboolean   wharf_repository_options_get_mutability        (const WharfRepositoryOptions *self,
                                                           WharfTagMutability           *mutability);
gboolean   wharf_repository_options_get_scan_on_push      (const WharfRepositoryOptions *self,
                                                           gboolean                     *scan_on_push);
gboolean   wharf_repository_options_get_encryption        (const WharfRepositoryOptions *self,
                                                           WharfEncryptionType          *type,
                                                           const char                  **kms_key);
/* Of char *. */
GPtrArray *wharf_repository_options_get_exclusion_filters (const WharfRepositoryOptions *self);
/* Of WharfResourceTag. */
GPtrArray *wharf_repository_options_get_resource_tags     (const WharfRepositoryOptions *self);

G_END_DECLS
