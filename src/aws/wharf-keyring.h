/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Access keys the person typed into Wharf, kept only in the Secret Service (libsecret).
 * One item per Wharf account, found by the attribute "account-id" (a Wharf-made UUID);
 * the secret is a small JSON object {"access_key_id", "secret_access_key", "session_token"}.
 */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "wharf-credentials.h"

G_BEGIN_DECLS

/* Not APPLICATION_ID: development builds and tests share the stored accounts. */
#define WHARF_KEYRING_SCHEMA_NAME "io.github.wharfapp.Wharf.Account"

#define WHARF_KEYRING_ERROR (wharf_keyring_error_quark ())

/**
 * WharfKeyringError:
 * @WHARF_KEYRING_ERROR_NOT_FOUND: no keys are stored for this account
 * @WHARF_KEYRING_ERROR_LOCKED: the keyring is locked and was not unlocked
 * @WHARF_KEYRING_ERROR_UNAVAILABLE: no Secret Service (no keyring daemon, no session bus)
 * @WHARF_KEYRING_ERROR_CORRUPT: the stored item is not what Wharf wrote
 * @WHARF_KEYRING_ERROR_FAILED: any other failure of the Secret Service
 */
typedef enum
{
  WHARF_KEYRING_ERROR_NOT_FOUND,
  WHARF_KEYRING_ERROR_LOCKED,
  WHARF_KEYRING_ERROR_UNAVAILABLE,
  WHARF_KEYRING_ERROR_CORRUPT,
  WHARF_KEYRING_ERROR_FAILED,
} WharfKeyringError;

GQuark              wharf_keyring_error_quark   (void);
const SecretSchema *wharf_keyring_get_schema    (void);

/* A new account id (a random UUID). */
char               *wharf_keyring_new_account_id (void);

/* Stores (or replaces: "update" is the same call) the keys of @account_id. @label is what
 * Seahorse shows; nullable for a default. Expiration is not stored. */
void              wharf_keyring_store_async    (const char           *account_id,
                                                const char           *label,
                                                WharfCredentials     *creds,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean          wharf_keyring_store_finish   (GAsyncResult         *result,
                                                GError              **error);

/* WHARF_KEYRING_ERROR_NOT_FOUND when nothing is stored. */
void              wharf_keyring_lookup_async   (const char           *account_id,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
WharfCredentials *wharf_keyring_lookup_finish  (GAsyncResult         *result,
                                                GError              **error);

/* TRUE when an item was deleted, FALSE without error when there was none. */
void              wharf_keyring_delete_async   (const char           *account_id,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean          wharf_keyring_delete_finish  (GAsyncResult         *result,
                                                GError              **error);

/* A provider that reads the account's keys from the keyring (cached until invalidated). */
WharfCredentialsProvider *wharf_keyring_credentials_provider_new (const char *account_id);

G_END_DECLS
