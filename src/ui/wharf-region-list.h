/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The AWS regions that offer Amazon ECR, with the names people know them by.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  const char *code;    /* "us-east-1" */
  const char *name;    /* untranslated; use wharf_region_list_get_name () */
  const char *group;   /* untranslated geography, for menus */
} WharfRegion;

guint              wharf_region_list_get_n_regions (void);
const WharfRegion *wharf_region_list_get_nth       (guint       i);
/* NULL when @code is not a region Wharf knows. */
const WharfRegion *wharf_region_list_lookup        (const char *code);
/* The translated name ("US East (N. Virginia)"), or @code itself for an unknown region. */
const char        *wharf_region_list_get_name      (const char *code);
/* "US East (N. Virginia) — us-east-1", or just @code for an unknown region. */
char              *wharf_region_list_dup_title     (const char *code);
/* A GMenu with a section per geography and one item per region for @action
 * ("win.region"), whose target is the region code. */
GMenuModel        *wharf_region_list_build_menu    (const char *action);

G_END_DECLS
