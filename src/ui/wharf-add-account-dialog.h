/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wharf-account-manager.h"

G_BEGIN_DECLS

#define WHARF_TYPE_ADD_ACCOUNT_DIALOG (wharf_add_account_dialog_get_type ())

G_DECLARE_FINAL_TYPE (WharfAddAccountDialog, wharf_add_account_dialog, WHARF, ADD_ACCOUNT_DIALOG, AdwWindow)

/* Adds an account from an AWS CLI profile or from typed keys, after ECR accepted them.
 * With @reenter (a KEYS account), replaces that account's keys instead.
 * Signal "account-added" (WharfAccount) once it is saved; the dialog then closes. */
WharfAddAccountDialog *wharf_add_account_dialog_new (GtkWindow           *parent,
                                                     WharfAccountManager *manager,
                                                     WharfAccount        *reenter);

G_END_DECLS
