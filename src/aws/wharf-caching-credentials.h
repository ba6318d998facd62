/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A provider that caches what an inner provider fetches: every caller that asks while a fetch
 * runs shares that one fetch, and the credentials are kept until
 * WHARF_CREDENTIALS_REFRESH_MARGIN before they expire. The inner provider fetches afresh
 * each time it is asked; the default chain and IAM Identity Center roles use this.
 */
#pragma once

#include "wharf-credentials.h"

G_BEGIN_DECLS

#define WHARF_TYPE_CACHING_CREDENTIALS_PROVIDER (wharf_caching_credentials_provider_get_type ())
G_DECLARE_FINAL_TYPE (WharfCachingCredentialsProvider, wharf_caching_credentials_provider,
                      WHARF, CACHING_CREDENTIALS_PROVIDER, GObject)

/* Fetches through @inner (a reference is taken), with a cancellable of its own that is
 * cancelled when the caching provider is disposed: a caller that gives up is answered at once
 * and the fetch goes on for the others and the cache. */
WharfCredentialsProvider *
wharf_caching_credentials_provider_new       (WharfCredentialsProvider        *inner);
WharfCredentialsProvider *
wharf_caching_credentials_provider_get_inner (WharfCachingCredentialsProvider *self);

G_END_DECLS
