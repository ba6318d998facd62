/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-aws-config"

#include "config.h"

#include <string.h>

#include "wharf-aws-config.h"
#include "wharf-test-utils.h"

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "aws-config", name, NULL);
}

static WharfAwsConfig *
load_sample (void)
{
  g_autoptr(WharfAwsConfig) config = wharf_aws_config_new ();
  g_autofree char *config_path = data_path ("config");
  g_autofree char *credentials_path = data_path ("credentials");
  g_autoptr(GError) error = NULL;

  g_assert_true (wharf_aws_config_load_file (config, config_path, WHARF_AWS_CONFIG_FILE_CONFIG,
                                             &error));
  g_assert_no_error (error);
  g_assert_true (wharf_aws_config_load_file (config, credentials_path,
                                             WHARF_AWS_CONFIG_FILE_CREDENTIALS, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&config);
}

static void
test_profile_names (void)
{
  g_autoptr(WharfAwsConfig) config = load_sample ();
  g_autoptr(GPtrArray) names = wharf_aws_config_get_profile_names (config);
  const char *want[] = { "default", "dev", "sso-dev", "legacy-sso", "admin", "ci", "helper",
                         "broken-helper", "settings-only", "half", "creds-only" };

  g_assert_cmpuint (names->len, ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    g_assert_cmpstr (g_ptr_array_index (names, i), ==, want[i]);

  /* Sections the AWS CLI does not treat as profiles */
  g_assert_false (wharf_aws_config_has_profile (config, "notaprofile"));
  g_assert_false (wharf_aws_config_has_profile (config, "plugins"));
  g_assert_false (wharf_aws_config_has_profile (config, "my-sso"));
  g_assert_false (wharf_aws_config_has_profile (config, "local-ecr"));
  g_assert_null (wharf_aws_config_get_profile (config, "notaprofile"));
}

static void
test_kinds (void)
{
  g_autoptr(WharfAwsConfig) config = load_sample ();
  struct {
    const char          *name;
    WharfAwsProfileKind  kind;
    gboolean             usable;
    const char          *region;
    const char          *reason_part;
  } want[] = {
    { "default", WHARF_AWS_PROFILE_KIND_STATIC_KEYS, TRUE, "eu-west-1", NULL },
    { "dev", WHARF_AWS_PROFILE_KIND_STATIC_KEYS, TRUE, "us-east-1", NULL },
    { "sso-dev", WHARF_AWS_PROFILE_KIND_SSO, TRUE, "us-west-2", NULL },
    { "legacy-sso", WHARF_AWS_PROFILE_KIND_SSO, TRUE, NULL, NULL },
    { "admin", WHARF_AWS_PROFILE_KIND_ASSUME_ROLE, TRUE, "us-east-1", NULL },
    { "ci", WHARF_AWS_PROFILE_KIND_WEB_IDENTITY, FALSE, NULL, "web identity" },
    { "helper", WHARF_AWS_PROFILE_KIND_CREDENTIAL_PROCESS, TRUE, "ap-southeast-2", NULL },
    { "broken-helper", WHARF_AWS_PROFILE_KIND_CREDENTIAL_PROCESS, FALSE, NULL,
      "credential_process" },
    { "settings-only", WHARF_AWS_PROFILE_KIND_NONE, FALSE, "ca-central-1", "no credentials" },
    { "half", WHARF_AWS_PROFILE_KIND_STATIC_KEYS, FALSE, NULL, "no secret access key" },
    { "creds-only", WHARF_AWS_PROFILE_KIND_STATIC_KEYS, TRUE, NULL, NULL },
  };
  g_autoptr(GListModel) model = wharf_aws_config_list_profiles (config);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, G_N_ELEMENTS (want));
  g_assert_true (g_list_model_get_item_type (model) == WHARF_TYPE_AWS_PROFILE);

  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      g_autoptr(WharfAwsProfile) p = g_list_model_get_item (model, i);
      g_autofree char *name = NULL;
      g_autofree char *reason = NULL;
      gboolean usable;
      int kind;

      g_test_message ("profile %s", want[i].name);
      g_assert_cmpstr (wharf_aws_profile_get_name (p), ==, want[i].name);
      g_assert_cmpint (wharf_aws_profile_get_kind (p), ==, want[i].kind);
      g_assert_cmpint (wharf_aws_config_get_profile_kind (config, want[i].name), ==, want[i].kind);
      g_assert_cmpint (wharf_aws_profile_get_usable (p), ==, want[i].usable);
      g_assert_cmpstr (wharf_aws_profile_get_region (p), ==, want[i].region);
      if (want[i].reason_part != NULL)
        g_assert_nonnull (strstr (wharf_aws_profile_get_unusable_reason (p), want[i].reason_part));
      else
        g_assert_null (wharf_aws_profile_get_unusable_reason (p));

      /* The same through properties, as list views bind them */
      g_object_get (p, "name", &name, "usable", &usable, "kind", &kind, "unusable-reason", &reason,
                    NULL);
      g_assert_cmpstr (name, ==, want[i].name);
      g_assert_cmpint (usable, ==, want[i].usable);
      g_assert_cmpint (kind, ==, want[i].kind);
      g_assert_cmpstr (reason, ==, wharf_aws_profile_get_unusable_reason (p));
    }
}

static void
test_settings (void)
{
  g_autoptr(WharfAwsConfig) config = load_sample ();

  /* Credentials file wins; the config file still has its own value. */
  g_assert_cmpstr (wharf_aws_config_get (config, "dev", "region"), ==, "us-east-1");
  g_assert_cmpstr (wharf_aws_config_get_from (config, WHARF_AWS_CONFIG_FILE_CONFIG, "dev",
                                              "region"), ==, "us-east-2");
  g_assert_cmpstr (wharf_aws_config_get (config, "dev", "output"), ==, "yaml");
  g_assert_cmpstr (wharf_aws_config_get (config, "dev", "max_attempts"), ==, "5");
  g_assert_cmpstr (wharf_aws_config_get (config, "DEV", "region"), ==, NULL);
  g_assert_cmpstr (wharf_aws_config_get (config, "dev", "MAX_ATTEMPTS"), ==, "5");

  /* Inline comments only after whitespace */
  g_assert_cmpstr (wharf_aws_config_get (config, "default", "aws_secret_access_key"), ==,
                   "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  g_assert_cmpstr (wharf_aws_config_get (config, "dev", "aws_secret_access_key"), ==,
                   "devsecret/with+plus#not-a-comment");
  g_assert_cmpstr (wharf_aws_config_get (config, "default", "cli_pager"), ==, "");

  /* Nested settings */
  g_assert_cmpstr (wharf_aws_config_get (config, "dev", "s3.max_concurrent_requests"), ==, "10");
  g_assert_cmpstr (wharf_aws_config_get (config, "dev", "s3.max_queue_size"), ==, "1000");
  g_assert_cmpstr (wharf_aws_config_get (config, "dev", "s3"), ==, "");
  g_assert_null (wharf_aws_config_get (config, "dev", "s3.nothing"));
  g_assert_null (wharf_aws_config_get (config, "dev", "region.sub"));

  /* services → ecr → endpoint_url */
  g_assert_cmpstr (wharf_aws_config_get_service_setting (config, "dev", "ecr", "endpoint_url"),
                   ==, "http://127.0.0.1:4566");
  g_assert_cmpstr (wharf_aws_config_get_service_setting (config, "dev", "s3", "endpoint_url"),
                   ==, "http://127.0.0.1:9000");
  g_assert_null (wharf_aws_config_get_service_setting (config, "default", "ecr", "endpoint_url"));

  g_assert_cmpstr (wharf_aws_config_get (config, "settings-only", "use_fips_endpoint"), ==, "true");
  g_assert_cmpstr (wharf_aws_config_get (config, "settings-only", "endpoint_url"), ==,
                   "https://ecr.example.internal");
  g_assert_cmpstr (wharf_aws_config_get (config, "helper", "credential_process"), ==,
                   "/opt/bin/aws-helper --profile \"team a\" --format json");

  g_assert_cmpstr (wharf_aws_config_get_sso_session_setting (config, "my-sso", "sso_start_url"),
                   ==, "https://my-sso-portal.awsapps.com/start");
  g_assert_cmpstr (wharf_aws_config_get_sso_session_setting (config, "my-sso",
                                                             "sso_registration_scopes"),
                   ==, "sso:account:access");
  g_assert_null (wharf_aws_config_get (config, "nobody", "region"));
}

static void
test_sso_session_names (void)
{
  g_autoptr(WharfAwsConfig) config = wharf_aws_config_new ();
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GError) error = NULL;
  const char *want[] = { "used", "unused", "later" };
  const char *data =
    "[profile dev]\nsso_session = used\n"
    "[sso-session used]\nsso_start_url = https://used.awsapps.com/start\n"
    "[sso-session unused]\nsso_start_url = https://unused.awsapps.com/start\n"
    "[sso-session]\nsso_start_url = https://no-name.awsapps.com/start\n"
    "[sso-session   ]\nsso_region = eu-west-1\n"
    "[sso-sessionglued]\nsso_region = eu-west-1\n"
    "[sso-session used]\nsso_region = eu-west-1\n";

  g_assert_true (wharf_aws_config_load_data (config, data, -1, WHARF_AWS_CONFIG_FILE_CONFIG,
                                             NULL, &error));
  g_assert_no_error (error);
  /* A later file repeats one and adds one; a broken file adds nothing; the credentials
   * file has profiles only. */
  g_assert_true (wharf_aws_config_load_data (config, "[sso-session unused]\nsso_region = us-east-1\n"
                                             "[sso-session later]\nsso_region = us-east-1\n",
                                             -1, WHARF_AWS_CONFIG_FILE_CONFIG, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (wharf_aws_config_load_data (config, "[sso-session broken]\nno equals sign\n",
                                              -1, WHARF_AWS_CONFIG_FILE_CONFIG, NULL, &error));
  g_assert_error (error, WHARF_AWS_CONFIG_ERROR, WHARF_AWS_CONFIG_ERROR_PARSE);
  g_assert_true (wharf_aws_config_load_data (config, "[sso-session creds]\nx = y\n", -1,
                                             WHARF_AWS_CONFIG_FILE_CREDENTIALS, NULL, NULL));

  names = wharf_aws_config_get_sso_session_names (config);
  g_assert_cmpuint (names->len, ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    g_assert_cmpstr (g_ptr_array_index (names, i), ==, want[i]);
  g_assert_cmpstr (wharf_aws_config_get_sso_session_setting (config, "unused", "sso_start_url"),
                   ==, "https://unused.awsapps.com/start");
  g_assert_cmpstr (wharf_aws_config_get_sso_session_setting (config, "unused", "sso_region"),
                   ==, "us-east-1");
  g_assert_cmpstr (wharf_aws_config_get_sso_session_setting (config, "used", "sso_region"),
                   ==, "eu-west-1");

  /* The sample file's one session */
  g_clear_object (&config);
  g_clear_pointer (&names, g_ptr_array_unref);
  config = load_sample ();
  names = wharf_aws_config_get_sso_session_names (config);
  g_assert_cmpuint (names->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "my-sso");
}

static void
test_windows_file (void)
{
  g_autoptr(WharfAwsConfig) config = wharf_aws_config_new ();
  g_autofree char *path = data_path ("config-windows");
  g_autoptr(GError) error = NULL;
  g_autoptr(WharfAwsProfile) win = NULL;

  g_assert_true (wharf_aws_config_load_file (config, path, WHARF_AWS_CONFIG_FILE_CONFIG, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (wharf_aws_config_get (config, "default", "region"), ==, "sa-east-1");
  g_assert_cmpstr (wharf_aws_config_get (config, "win", "aws_secret_access_key"), ==,
                   "windows-secret");
  win = wharf_aws_config_get_profile (config, "win");
  g_assert_true (wharf_aws_profile_get_usable (win));
  g_assert_cmpint (wharf_aws_profile_get_kind (win), ==, WHARF_AWS_PROFILE_KIND_STATIC_KEYS);
}

static void
test_errors (void)
{
  struct {
    const char *text;
    const char *message_part;
  } bad[] = {
    { "region = eu-west-1\n[default]\n", "line 1" },
    { "[default]\nregion = eu-west-1\n[profile x\nregion = a\n", "line 3" },
    { "[default]\n\n# fine\nno equals here\n", "line 4" },
    { "[default]\n= value\n", "line 2" },
    { "[default] trailing\n", "line 1" },
    { "[default]\ns3 =\n  nested without equals\n", "line 3" },
    { "[default]\nregion = \xff\xfe\n", "UTF-8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(WharfAwsConfig) config = wharf_aws_config_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) names = NULL;

      g_assert_false (wharf_aws_config_load_data (config, bad[i].text, -1,
                                                  WHARF_AWS_CONFIG_FILE_CONFIG,
                                                  "/home/me/.aws/config", &error));
      g_assert_error (error, WHARF_AWS_CONFIG_ERROR, WHARF_AWS_CONFIG_ERROR_PARSE);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, "/home/me/.aws/config"));
      g_assert_nonnull (strstr (error->message, bad[i].message_part));
      /* A broken file adds nothing. */
      names = wharf_aws_config_get_profile_names (config);
      g_assert_cmpuint (names->len, ==, 0);
    }

  {
    g_autoptr(WharfAwsConfig) config = wharf_aws_config_new ();
    g_autofree char *path = data_path ("config-broken");
    g_autoptr(GError) error = NULL;

    g_assert_false (wharf_aws_config_load_file (config, path, WHARF_AWS_CONFIG_FILE_CONFIG,
                                                &error));
    g_assert_error (error, WHARF_AWS_CONFIG_ERROR, WHARF_AWS_CONFIG_ERROR_PARSE);
    g_assert_nonnull (strstr (error->message, "config-broken, line 3"));
  }

  /* A folder where a file should be is unreadable, not missing. */
  {
    g_autoptr(WharfAwsConfig) config = wharf_aws_config_new ();
    g_autoptr(GError) error = NULL;
    g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "data", NULL);

    g_assert_false (wharf_aws_config_load_file (config, dir, WHARF_AWS_CONFIG_FILE_CONFIG,
                                                &error));
    g_assert_error (error, WHARF_AWS_CONFIG_ERROR, WHARF_AWS_CONFIG_ERROR_READ);
  }
}

static void
test_random_input (void)
{
  static const char alphabet[] = "[]=:#; \t\n\r\nprofile default sso-session services s3 ecr\xff";

  /* A file full of junk is a parse error or a harmless result, never a crash. */
  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr(WharfAwsConfig) config = wharf_aws_config_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GListModel) profiles = NULL;
      guint len = g_test_rand_int_range (0, 300);
      g_autofree char *text = g_malloc (len + 1);

      for (guint j = 0; j < len; j++)
        text[j] = alphabet[g_test_rand_int_range (0, sizeof alphabet - 1)];
      text[len] = '\0';

      if (!wharf_aws_config_load_data (config, text, len, i % 2 ? WHARF_AWS_CONFIG_FILE_CONFIG
                                                                 : WHARF_AWS_CONFIG_FILE_CREDENTIALS,
                                       "junk", &error))
        {
          g_assert_error (error, WHARF_AWS_CONFIG_ERROR, WHARF_AWS_CONFIG_ERROR_PARSE);
          continue;
        }
      g_assert_no_error (error);
      profiles = wharf_aws_config_list_profiles (config);
      for (guint k = 0; k < g_list_model_get_n_items (profiles); k++)
        {
          g_autoptr(WharfAwsProfile) p = g_list_model_get_item (profiles, k);
          g_assert_true (wharf_aws_profile_get_usable (p)
                         == (wharf_aws_profile_get_unusable_reason (p) == NULL));
        }
    }
}

static void
test_merge_order (void)
{
  g_autoptr(WharfAwsConfig) config = wharf_aws_config_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = NULL;

  /* Credentials before config: the credentials file still wins. Repeated sections merge. */
  g_assert_true (wharf_aws_config_load_data (config, "[b]\nregion = from-credentials\n", -1,
                                             WHARF_AWS_CONFIG_FILE_CREDENTIALS, NULL, &error));
  g_assert_true (wharf_aws_config_load_data (config,
                                             "[profile b]\nregion = from-config\noutput = text\n"
                                             "[profile a]\nregion = one\n[default]\n"
                                             "[profile a]\nregion = two\n", -1,
                                             WHARF_AWS_CONFIG_FILE_CONFIG, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (wharf_aws_config_get (config, "b", "region"), ==, "from-credentials");
  g_assert_cmpstr (wharf_aws_config_get (config, "b", "output"), ==, "text");
  g_assert_cmpstr (wharf_aws_config_get (config, "a", "region"), ==, "two");

  names = wharf_aws_config_get_profile_names (config);
  g_assert_cmpuint (names->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "default");
  g_assert_cmpstr (g_ptr_array_index (names, 1), ==, "b");
  g_assert_cmpstr (g_ptr_array_index (names, 2), ==, "a");
}

static void
test_region_resolution (void)
{
  g_autoptr(WharfAwsConfig) config = load_sample ();
  g_autofree char *r1 = NULL, *r2 = NULL, *r3 = NULL, *r4 = NULL, *r5 = NULL, *r6 = NULL;

  wharf_test_clear_aws_env ();
  r1 = wharf_aws_config_resolve_region (config, NULL);
  g_assert_cmpstr (r1, ==, "eu-west-1");
  g_setenv ("AWS_PROFILE", "helper", TRUE);
  r2 = wharf_aws_config_resolve_region (config, NULL);
  g_assert_cmpstr (r2, ==, "ap-southeast-2");
  r3 = wharf_aws_config_resolve_region (config, "settings-only");
  g_assert_cmpstr (r3, ==, "ca-central-1");
  g_setenv ("AWS_DEFAULT_REGION", "eu-north-1", TRUE);
  r4 = wharf_aws_config_resolve_region (config, "settings-only");
  g_assert_cmpstr (r4, ==, "eu-north-1");
  g_setenv ("AWS_REGION", "me-south-1", TRUE);
  r5 = wharf_aws_config_resolve_region (config, "settings-only");
  g_assert_cmpstr (r5, ==, "me-south-1");
  wharf_test_clear_aws_env ();
  r6 = wharf_aws_config_resolve_region (config, "creds-only");
  g_assert_null (r6);
}

static void
test_default_paths (void)
{
  g_autofree char *config_path = NULL;
  g_autofree char *credentials_path = NULL;
  g_autofree char *want_config = g_build_filename (g_get_home_dir (), ".aws", "config", NULL);
  g_autofree char *want_credentials = g_build_filename (g_get_home_dir (), ".aws", "credentials",
                                                        NULL);
  g_autofree char *tilde = NULL;
  g_autofree char *want_tilde = g_build_filename (g_get_home_dir (), "cfg", "aws.ini", NULL);

  wharf_test_clear_aws_env ();
  config_path = wharf_aws_config_get_config_file_path ();
  credentials_path = wharf_aws_config_get_credentials_file_path ();
  g_assert_cmpstr (config_path, ==, want_config);
  g_assert_cmpstr (credentials_path, ==, want_credentials);

  g_setenv ("AWS_CONFIG_FILE", "~/cfg/aws.ini", TRUE);
  tilde = wharf_aws_config_get_config_file_path ();
  g_assert_cmpstr (tilde, ==, want_tilde);
  wharf_test_clear_aws_env ();

  g_setenv ("AWS_DEFAULT_PROFILE", "legacy", TRUE);
  g_assert_cmpstr (wharf_aws_config_get_default_profile_name (), ==, "legacy");
  g_setenv ("AWS_PROFILE", "modern", TRUE);
  g_assert_cmpstr (wharf_aws_config_get_default_profile_name (), ==, "modern");
  wharf_test_clear_aws_env ();
  g_assert_cmpstr (wharf_aws_config_get_default_profile_name (), ==, "default");
}

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  WharfAwsConfig **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = wharf_aws_config_load_default_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_load_default_async (void)
{
  g_autofree char *config_path = data_path ("config");
  g_autofree char *credentials_path = data_path ("credentials");
  g_autofree char *missing = g_build_filename (g_get_tmp_dir (), "wharf-no-such-dir", "config",
                                               NULL);
  g_autoptr(WharfAwsConfig) config = NULL;
  g_autoptr(WharfAwsConfig) empty = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GError) error = NULL;

  wharf_test_clear_aws_env ();
  g_setenv ("AWS_CONFIG_FILE", config_path, TRUE);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", credentials_path, TRUE);

  wharf_aws_config_load_default_async (NULL, load_done_cb, &config);
  wharf_test_wait_for (config != NULL);
  g_assert_cmpstr (wharf_aws_config_get (config, "dev", "aws_access_key_id"), ==,
                   "AKIAEXAMPLEDEV000001");

  /* Files that do not exist: an empty configuration, not an error. */
  g_setenv ("AWS_CONFIG_FILE", missing, TRUE);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", missing, TRUE);
  empty = wharf_aws_config_load_default (&error);
  g_assert_no_error (error);
  names = wharf_aws_config_get_profile_names (empty);
  g_assert_cmpuint (names->len, ==, 0);
  wharf_test_clear_aws_env ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  wharf_test_set_deadline (10);

  g_test_add_func ("/aws-config/profile-names", test_profile_names);
  g_test_add_func ("/aws-config/kinds", test_kinds);
  g_test_add_func ("/aws-config/settings", test_settings);
  g_test_add_func ("/aws-config/sso-session-names", test_sso_session_names);
  g_test_add_func ("/aws-config/windows-file", test_windows_file);
  g_test_add_func ("/aws-config/errors", test_errors);
  g_test_add_func ("/aws-config/merge-order", test_merge_order);
  g_test_add_func ("/aws-config/random-input", test_random_input);
  g_test_add_func ("/aws-config/region-resolution", test_region_resolution);
  g_test_add_func ("/aws-config/default-paths", test_default_paths);
  g_test_add_func ("/aws-config/load-default-async", test_load_default_async);

  return g_test_run ();
}
