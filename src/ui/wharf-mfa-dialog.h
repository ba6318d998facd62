/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Asks for the code of an MFA device when a role profile names mfa_serial.
 */
#pragma once

#include <adwaita.h>

#include "wharf-profile-credentials.h"

G_BEGIN_DECLS

#define WHARF_TYPE_MFA_DIALOG (wharf_mfa_dialog_get_type ())
G_DECLARE_FINAL_TYPE (WharfMfaDialog, wharf_mfa_dialog, WHARF, MFA_DIALOG, AdwMessageDialog)

/* Takes @request: the dialog answers it exactly once (NULL when it is dismissed). */
WharfMfaDialog *wharf_mfa_dialog_new     (GtkWindow       *parent,
                                          WharfMfaRequest *request);

/* A WharfMfaHandler: shows the dialog over the application's active window. */
void            wharf_mfa_dialog_handler (WharfMfaRequest *request,
                                          gpointer         user_data);

G_END_DECLS
