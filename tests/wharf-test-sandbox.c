/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-test-sandbox"

#include "config.h"

#include "wharf-credentials.h"
#include "wharf-test-sandbox.h"

WharfSandbox *
wharf_test_sandbox_start (const char *state_path,
                          const char *seed,
                          const char *record_name)
{
  const char *record_dir = g_getenv ("WHARF_RECORD_DIR");
  g_autoptr(WharfSandbox) sandbox = NULL;
  g_autoptr(GError) error = NULL;

  sandbox = wharf_sandbox_new (state_path, &error);
  g_assert_no_error (error);
  if (seed)
    {
      g_assert_true (wharf_sandbox_seed (sandbox, seed, &error));
      g_assert_no_error (error);
    }
  if (record_name && record_dir && *record_dir)
    {
      g_autofree char *path = g_build_filename (record_dir, record_name, NULL);

      g_assert_true (wharf_sandbox_set_record_path (sandbox, path, &error));
      g_assert_no_error (error);
    }
  g_assert_true (wharf_sandbox_listen (sandbox, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wharf_sandbox_get_port (sandbox), >, 0);
  return g_steal_pointer (&sandbox);
}

void
wharf_test_sandbox_stop (WharfSandbox **sandbox)
{
  if (*sandbox)
    wharf_sandbox_set_record_path (*sandbox, NULL, NULL);
  g_clear_object (sandbox);
}

WharfEcrClient *
wharf_test_ecr_client_new (const char *url)
{
  g_autoptr(WharfCredentials) credentials = NULL;
  g_autoptr(WharfCredentialsProvider) provider = NULL;
  WharfEcrClient *client;

  credentials = wharf_credentials_new (WHARF_SANDBOX_PRACTICE_ACCESS_KEY_ID,
                                       WHARF_SANDBOX_PRACTICE_SECRET_ACCESS_KEY, NULL, NULL);
  provider = wharf_static_credentials_provider_new (credentials);
  client = wharf_ecr_client_new (WHARF_SANDBOX_DEFAULT_REGION, provider);
  wharf_ecr_client_set_endpoint (client, url);
  return client;
}
