/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * WharfAccount as the "accounts" setting keeps it: every source that is saved survives the
 * a{sv} round trip, nothing secret is in it, and incomplete or unknown entries are refused.
 */
#define G_LOG_DOMAIN "test-account"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "wharf-account.h"

static void
test_sso_round_trip (void)
{
  g_autoptr(WharfAccount) account = wharf_account_new ("sso:555566667777:AdminAccess",
                                                       WHARF_ACCOUNT_SOURCE_SSO, "Staging");
  g_autoptr(WharfAccount) back = NULL;
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(WharfSsoSettings) settings = NULL;
  g_autofree char *text = NULL;
  g_autofree char *description = NULL;

  wharf_account_set_sso_start_url (account, "https://corp-example.awsapps.com/start");
  wharf_account_set_sso_region (account, "eu-west-1");
  wharf_account_set_sso_session (account, "corp");
  wharf_account_set_account_id (account, "555566667777");
  wharf_account_set_account_name (account, "Staging");
  wharf_account_set_role_name (account, "AdminAccess");
  wharf_account_set_region (account, "eu-central-1");

  variant = g_variant_ref_sink (wharf_account_to_variant (account));
  text = g_variant_print (variant, FALSE);
  /* Settings, not secrets */
  g_assert_null (strstr (text, "Token"));
  g_assert_null (strstr (text, "token"));

  back = wharf_account_new_from_variant (variant);
  g_assert_nonnull (back);
  g_assert_cmpint (wharf_account_get_source (back), ==, WHARF_ACCOUNT_SOURCE_SSO);
  g_assert_cmpstr (wharf_account_get_id (back), ==, "sso:555566667777:AdminAccess");
  g_assert_cmpstr (wharf_account_get_label (back), ==, "Staging");
  g_assert_cmpstr (wharf_account_get_sso_start_url (back), ==,
                   "https://corp-example.awsapps.com/start");
  g_assert_cmpstr (wharf_account_get_sso_region (back), ==, "eu-west-1");
  g_assert_cmpstr (wharf_account_get_sso_session (back), ==, "corp");
  g_assert_cmpstr (wharf_account_get_account_id (back), ==, "555566667777");
  g_assert_cmpstr (wharf_account_get_account_name (back), ==, "Staging");
  g_assert_cmpstr (wharf_account_get_role_name (back), ==, "AdminAccess");
  g_assert_cmpstr (wharf_account_get_region (back), ==, "eu-central-1");

  description = wharf_account_dup_description (back);
  g_assert_cmpstr (description, ==, "IAM Identity Center · Role AdminAccess · 555566667777");

  settings = wharf_account_dup_sso_settings (back);
  g_assert_nonnull (settings);
  g_assert_cmpstr (settings->session_name, ==, "corp");
  g_assert_cmpstr (settings->start_url, ==, "https://corp-example.awsapps.com/start");
  g_assert_cmpstr (settings->sso_region, ==, "eu-west-1");
  g_assert_cmpstr (settings->account_id, ==, "555566667777");
  g_assert_cmpstr (settings->role_name, ==, "AdminAccess");
  g_assert_cmpstr (wharf_sso_settings_get_cache_key (settings), ==, "corp");
}

static void
test_sso_without_session (void)
{
  g_autoptr(WharfAccount) account = wharf_account_new ("sso:a", WHARF_ACCOUNT_SOURCE_SSO, NULL);
  g_autoptr(WharfAccount) back = NULL;
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(WharfSsoSettings) settings = NULL;

  wharf_account_set_sso_start_url (account, "https://d-1234567890.awsapps.com/start");
  wharf_account_set_sso_region (account, "us-east-2");
  wharf_account_set_account_id (account, "222233334444");
  wharf_account_set_role_name (account, "ReadOnly");

  variant = g_variant_ref_sink (wharf_account_to_variant (account));
  back = wharf_account_new_from_variant (variant);
  g_assert_nonnull (back);
  g_assert_null (wharf_account_get_sso_session (back));
  g_assert_null (wharf_account_get_account_name (back));
  settings = wharf_account_dup_sso_settings (back);
  /* The legacy form: the AWS CLI keys the cache by the start URL. */
  g_assert_cmpstr (wharf_sso_settings_get_cache_key (settings), ==,
                   "https://d-1234567890.awsapps.com/start");
}

static GVariant *
entry (const char *first_key,
       ...)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  va_list args;

  va_start (args, first_key);
  for (const char *key = first_key; key != NULL; key = va_arg (args, const char *))
    g_variant_builder_add (&builder, "{sv}", key, g_variant_new_string (va_arg (args, const char *)));
  va_end (args);
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

static void
test_sso_incomplete (void)
{
  const char *missing[] = { "sso-start-url", "sso-region", "account-id", "role-name" };

  /* Each of these is needed to get credentials: without it the entry is unusable. */
  for (guint i = 0; i < G_N_ELEMENTS (missing); i++)
    {
      g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
      const char *pairs[][2] = {
        { "id", "sso:x" }, { "source", "sso" },
        { "sso-start-url", "https://corp-example.awsapps.com/start" },
        { "sso-region", "eu-west-1" }, { "account-id", "222233334444" },
        { "role-name", "Developer" },
      };
      g_autoptr(GVariant) variant = NULL;
      g_autoptr(WharfAccount) account = NULL;

      for (guint j = 0; j < G_N_ELEMENTS (pairs); j++)
        if (!g_str_equal (pairs[j][0], missing[i]))
          g_variant_builder_add (&builder, "{sv}", pairs[j][0], g_variant_new_string (pairs[j][1]));
      variant = g_variant_ref_sink (g_variant_builder_end (&builder));
      account = wharf_account_new_from_variant (variant);
      g_assert_null (account);
    }
}

static void
test_other_sources (void)
{
  g_autoptr(GVariant) profile = entry ("id", "profile:work", "source", "profile",
                                       "profile", "work", NULL);
  g_autoptr(GVariant) keys = entry ("id", "k1", "source", "keys",
                                    "access-key-id", "AKIAEXAMPLE0000001", NULL);
  g_autoptr(GVariant) practice = entry ("id", "practice", "source", "practice", NULL);
  g_autoptr(GVariant) future = entry ("id", "f", "source", "quantum", NULL);
  g_autoptr(WharfAccount) account = NULL;

  account = wharf_account_new_from_variant (profile);
  g_assert_cmpint (wharf_account_get_source (account), ==, WHARF_ACCOUNT_SOURCE_PROFILE);
  g_assert_null (wharf_account_dup_sso_settings (account));
  g_clear_object (&account);
  account = wharf_account_new_from_variant (keys);
  g_assert_cmpint (wharf_account_get_source (account), ==, WHARF_ACCOUNT_SOURCE_KEYS);
  g_clear_object (&account);
  /* Never saved, or from a newer Wharf */
  g_assert_null (wharf_account_new_from_variant (practice));
  g_assert_null (wharf_account_new_from_variant (future));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/account/sso/round-trip", test_sso_round_trip);
  g_test_add_func ("/account/sso/without-session", test_sso_without_session);
  g_test_add_func ("/account/sso/incomplete", test_sso_incomplete);
  g_test_add_func ("/account/other-sources", test_other_sources);

  return g_test_run ();
}
