/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-region-list"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-region-list.h"

/* Ordered as the AWS console lists them; the group names are menu sections. */
static const WharfRegion regions[] = {
  { "us-east-1",      N_("US East (N. Virginia)"),          N_("United States") },
  { "us-east-2",      N_("US East (Ohio)"),                 N_("United States") },
  { "us-west-1",      N_("US West (N. California)"),        N_("United States") },
  { "us-west-2",      N_("US West (Oregon)"),               N_("United States") },
  { "ca-central-1",   N_("Canada (Central)"),               N_("Americas") },
  { "ca-west-1",      N_("Canada West (Calgary)"),          N_("Americas") },
  { "mx-central-1",   N_("Mexico (Central)"),               N_("Americas") },
  { "sa-east-1",      N_("South America (São Paulo)"),      N_("Americas") },
  { "eu-central-1",   N_("Europe (Frankfurt)"),             N_("Europe") },
  { "eu-central-2",   N_("Europe (Zurich)"),                N_("Europe") },
  { "eu-west-1",      N_("Europe (Ireland)"),               N_("Europe") },
  { "eu-west-2",      N_("Europe (London)"),                N_("Europe") },
  { "eu-west-3",      N_("Europe (Paris)"),                 N_("Europe") },
  { "eu-south-1",     N_("Europe (Milan)"),                 N_("Europe") },
  { "eu-south-2",     N_("Europe (Spain)"),                 N_("Europe") },
  { "eu-north-1",     N_("Europe (Stockholm)"),             N_("Europe") },
  { "ap-east-1",      N_("Asia Pacific (Hong Kong)"),       N_("Asia Pacific") },
  { "ap-east-2",      N_("Asia Pacific (Taipei)"),          N_("Asia Pacific") },
  { "ap-south-1",     N_("Asia Pacific (Mumbai)"),          N_("Asia Pacific") },
  { "ap-south-2",     N_("Asia Pacific (Hyderabad)"),       N_("Asia Pacific") },
  { "ap-northeast-1", N_("Asia Pacific (Tokyo)"),           N_("Asia Pacific") },
  { "ap-northeast-2", N_("Asia Pacific (Seoul)"),           N_("Asia Pacific") },
  { "ap-northeast-3", N_("Asia Pacific (Osaka)"),           N_("Asia Pacific") },
  { "ap-southeast-1", N_("Asia Pacific (Singapore)"),       N_("Asia Pacific") },
  { "ap-southeast-2", N_("Asia Pacific (Sydney)"),          N_("Asia Pacific") },
  { "ap-southeast-3", N_("Asia Pacific (Jakarta)"),         N_("Asia Pacific") },
  { "ap-southeast-4", N_("Asia Pacific (Melbourne)"),       N_("Asia Pacific") },
  { "ap-southeast-5", N_("Asia Pacific (Malaysia)"),        N_("Asia Pacific") },
  { "ap-southeast-6", N_("Asia Pacific (New Zealand)"),     N_("Asia Pacific") },
  { "ap-southeast-7", N_("Asia Pacific (Thailand)"),        N_("Asia Pacific") },
  { "af-south-1",     N_("Africa (Cape Town)"),             N_("Africa and Middle East") },
  { "il-central-1",   N_("Israel (Tel Aviv)"),              N_("Africa and Middle East") },
  { "me-central-1",   N_("Middle East (UAE)"),              N_("Africa and Middle East") },
  { "me-south-1",     N_("Middle East (Bahrain)"),          N_("Africa and Middle East") },
  { "us-gov-east-1",  N_("AWS GovCloud (US-East)"),         N_("AWS GovCloud and China") },
  { "us-gov-west-1",  N_("AWS GovCloud (US-West)"),         N_("AWS GovCloud and China") },
  { "cn-north-1",     N_("China (Beijing)"),                N_("AWS GovCloud and China") },
  { "cn-northwest-1", N_("China (Ningxia)"),                N_("AWS GovCloud and China") },
};

guint
wharf_region_list_get_n_regions (void)
{
  return G_N_ELEMENTS (regions);
}

const WharfRegion *
wharf_region_list_get_nth (guint i)
{
  g_return_val_if_fail (i < G_N_ELEMENTS (regions), NULL);

  return &regions[i];
}

const WharfRegion *
wharf_region_list_lookup (const char *code)
{
  if (code == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (regions); i++)
    if (g_str_equal (regions[i].code, code))
      return &regions[i];

  return NULL;
}

const char *
wharf_region_list_get_name (const char *code)
{
  const WharfRegion *region = wharf_region_list_lookup (code);

  return region != NULL ? _(region->name) : code;
}

char *
wharf_region_list_dup_title (const char *code)
{
  const WharfRegion *region = wharf_region_list_lookup (code);

  if (region == NULL)
    return g_strdup (code);

  /* Translators: a region's name and its code, "US East (N. Virginia) — us-east-1" */
  return g_strdup_printf (_("%s — %s"), _(region->name), region->code);
}

GMenuModel *
wharf_region_list_build_menu (const char *action)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) section = NULL;
  const char *group = NULL;

  g_return_val_if_fail (action != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (regions); i++)
    {
      g_autoptr(GMenuItem) item = NULL;
      g_autofree char *title = NULL;

      if (group == NULL || !g_str_equal (group, regions[i].group))
        {
          if (section != NULL)
            g_menu_append_section (menu, _(group), G_MENU_MODEL (section));
          g_clear_object (&section);
          section = g_menu_new ();
          group = regions[i].group;
        }

      title = wharf_region_list_dup_title (regions[i].code);
      item = g_menu_item_new (title, NULL);
      g_menu_item_set_action_and_target_value (item, action,
                                               g_variant_new_string (regions[i].code));
      g_menu_append_item (section, item);
    }
  if (section != NULL)
    g_menu_append_section (menu, _(group), G_MENU_MODEL (section));

  return G_MENU_MODEL (g_steal_pointer (&menu));
}
