/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzzes the AWS CLI config/credentials parser (WharfAwsConfig) and every lookup the app
 * makes on what it parsed. The first byte picks the file kind and whether a second file
 * (split at the first NUL) is loaded over the first, as ~/.aws/credentials over
 * ~/.aws/config.
 */
#define G_LOG_DOMAIN "fuzz-aws-config"

#include "config.h"

#include <string.h>

#define FUZZ_OWN_INITIALIZE
#include "fuzz-common.h"
#include "wharf-aws-config.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init_logging ();
  g_unsetenv ("AWS_REGION");
  g_unsetenv ("AWS_DEFAULT_REGION");
  g_unsetenv ("AWS_PROFILE");
  g_unsetenv ("AWS_DEFAULT_PROFILE");
  return 0;
}

static void
exercise (WharfAwsConfig *config)
{
  g_autoptr(GPtrArray) names = wharf_aws_config_get_profile_names (config);
  g_autoptr(GListModel) profiles = wharf_aws_config_list_profiles (config);
  guint n = g_list_model_get_n_items (profiles);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WharfAwsProfile) profile = g_list_model_get_item (profiles, i);
      const char *name = wharf_aws_profile_get_name (profile);
      const char *reason = wharf_aws_profile_get_unusable_reason (profile);
      g_autofree char *region = NULL;

      g_assert (name != NULL);
      g_assert (wharf_aws_profile_get_usable (profile) == (reason == NULL));
      (void) wharf_aws_profile_get_region (profile);
      (void) wharf_aws_profile_get_kind (profile);
      g_assert (wharf_aws_config_has_profile (config, name));
      (void) wharf_aws_config_get_profile_kind (config, name);
      (void) wharf_aws_config_get (config, name, "region");
      (void) wharf_aws_config_get (config, name, "s3.max_concurrent_requests");
      (void) wharf_aws_config_get (config, name, "aws_secret_access_key");
      (void) wharf_aws_config_get_from (config, WHARF_AWS_CONFIG_FILE_CONFIG, name,
                                        "credential_process");
      (void) wharf_aws_config_get_service_setting (config, name, "ecr", "endpoint_url");
      (void) wharf_aws_config_get_sso_session_setting (config, name, "sso_region");
      region = wharf_aws_config_resolve_region (config, name);
    }

  g_assert (names != NULL);
  for (guint i = 0; i < names->len; i++)
    g_assert (wharf_aws_config_has_profile (config, g_ptr_array_index (names, i)));
  {
    g_autoptr(WharfAwsProfile) profile = wharf_aws_config_get_profile (config, "default");

    g_assert (profile == NULL || wharf_aws_config_has_profile (config, "default"));
  }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(WharfAwsConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  WharfAwsConfigFileKind kind;
  const char *text, *split;
  gsize len;

  if (size < 1)
    return 0;

  kind = (data[0] & 1) ? WHARF_AWS_CONFIG_FILE_CREDENTIALS : WHARF_AWS_CONFIG_FILE_CONFIG;
  text = (const char *) data + 1;
  len = size - 1;
  config = wharf_aws_config_new ();

  split = (data[0] & 2) ? memchr (text, '\0', len) : NULL;
  if (split)
    {
      gsize first = split - text;

      if (!wharf_aws_config_load_data (config, text, first, WHARF_AWS_CONFIG_FILE_CONFIG,
                                       "config", &error))
        {
          g_assert (error != NULL && error->message != NULL);
          g_clear_error (&error);
        }
      text += first + 1;
      len -= first + 1;
      kind = WHARF_AWS_CONFIG_FILE_CREDENTIALS;
    }

  if (!wharf_aws_config_load_data (config, text, len, kind, "fuzz", &error))
    {
      g_assert (error != NULL && error->message != NULL);
      g_assert (g_utf8_validate (error->message, -1, NULL));
    }
  exercise (config);
  return 0;
}
