/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The accounts Wharf knows: the saved ones (non-secret details in GSettings, typed keys in
 * the keyring) and the environment's, which is available while Wharf runs with
 * AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE set and is never saved.
 */
#pragma once

#include <gio/gio.h>

#include "wharf-account.h"
#include "wharf-credentials.h"
#include "wharf-ecr-client.h"

G_BEGIN_DECLS

#define WHARF_ENVIRONMENT_ACCOUNT_ID "environment"
#define WHARF_FALLBACK_REGION        "us-east-1"

#define WHARF_TYPE_ACCOUNT_MANAGER (wharf_account_manager_get_type ())

G_DECLARE_FINAL_TYPE (WharfAccountManager, wharf_account_manager, WHARF, ACCOUNT_MANAGER, GObject)

/* @settings: the app's settings, with the "accounts" key. */
WharfAccountManager *wharf_account_manager_new              (GSettings            *settings);
/* A GListModel of WharfAccount: the environment's first, then the saved ones. */
GListModel          *wharf_account_manager_get_accounts     (WharfAccountManager  *self);
WharfAccount        *wharf_account_manager_lookup           (WharfAccountManager  *self,
                                                             const char           *id);
/* nullable */
WharfAccount        *wharf_account_manager_get_environment_account (WharfAccountManager *self);
/* Lists @account for this run only (practice mode); never saved. No-op when its id is
 * listed already. */
void                 wharf_account_manager_add_unsaved      (WharfAccountManager  *self,
                                                             WharfAccount         *account);

/* A new id for an account to be saved. */
char                *wharf_account_manager_new_id           (void);

/* Saves @account (new or changed): @keys (KEYS accounts; nullable when unchanged) go to the
 * keyring first, then the rest to GSettings. */
void                 wharf_account_manager_save_async       (WharfAccountManager  *self,
                                                             WharfAccount         *account,
                                                             WharfCredentials     *keys,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
gboolean             wharf_account_manager_save_finish      (WharfAccountManager  *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);

/* Forgets @account and deletes its keyring items. */
void                 wharf_account_manager_remove_async     (WharfAccountManager  *self,
                                                             WharfAccount         *account,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
gboolean             wharf_account_manager_remove_finish    (WharfAccountManager  *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);

/* An ECR client for @account in @region (keys are read from the keyring). */
void                 wharf_account_manager_create_client_async  (WharfAccountManager  *self,
                                                                 WharfAccount         *account,
                                                                 const char           *region,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
WharfEcrClient      *wharf_account_manager_create_client_finish (WharfAccountManager  *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);

/* A client for credentials not saved yet (to verify them); @profile nullable. */
WharfEcrClient      *wharf_account_manager_new_client       (WharfCredentialsProvider *provider,
                                                             const char               *profile,
                                                             const char               *region);

G_END_DECLS
