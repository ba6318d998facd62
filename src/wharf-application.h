/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WHARF_TYPE_APPLICATION (wharf_application_get_type ())

G_DECLARE_FINAL_TYPE (WharfApplication, wharf_application, WHARF, APPLICATION, AdwApplication)

WharfApplication *wharf_application_new (void);

G_END_DECLS
