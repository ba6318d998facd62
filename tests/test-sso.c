/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IAM Identity Center: the AWS CLI's token cache, token refresh, the device authorization
 * sign-in, the portal's role credentials and listings, all against the in-process sandbox
 * over real HTTP on 127.0.0.1.
 *
 * `test-sso --serve` is a helper for tests/contract/test_sso_sts.py: it starts a sandbox,
 * signs in with Wharf's device flow (approving it itself), so that Wharf's code writes the
 * token cache into $HOME/.aws/sso/cache, prints one JSON line (sandbox URL, session name,
 * access token) and serves until its standard input closes.
 * `test-sso --serve-no-login` serves without signing in (tests/ui/test_sso.py: the app
 * signs in); the line "approve" on its standard input approves the latest device sign-in and
 * prints its user code, and "expire" ends every token and session (the portal and ECR then
 * refuse them) and prints "expired". Without login it also lists the account Staging
 * (555566667777, roles ReadOnly and AdminAccess, repository staging/api in eu-west-1) for
 * tests/ui/test_sso_accounts.py. Both also accept the role …:role/Deploy, and …:role/Guarded with
 * the MFA device arn:aws:iam::111122223333:mfa/alice and the code 123456.
 */
#define G_LOG_DOMAIN "test-sso"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <gio/gunixinputstream.h>
#include <json-glib/json-glib.h>

#include "wharf-aws-error.h"
#include "wharf-credentials.h"
#include "wharf-ecr-client.h"
#include "wharf-sandbox-auth.h"
#include "wharf-sandbox.h"
#include "wharf-sso-credentials.h"
#include "wharf-sso.h"
#include "wharf-sts.h"
#include "wharf-test-sandbox.h"
#include "wharf-test-utils.h"

#define SESSION "corp"
#define START_URL "https://corp-example.awsapps.com/start"
#define ACCOUNT "222233334444"
#define ROLE "Developer"
#define STAGING "555566667777"
#define CONFIG_TEXT \
  "[profile sso-dev]\nsso_session = " SESSION "\nsso_account_id = " ACCOUNT "\n" \
  "sso_role_name = " ROLE "\nregion = eu-west-1\n" \
  "[sso-session " SESSION "]\nsso_start_url = " START_URL "\nsso_region = eu-west-1\n" \
  "sso_registration_scopes = sso:account:access\n" \
  "[profile legacy]\nsso_start_url = " START_URL "\nsso_region = eu-west-1\n" \
  "sso_account_id = " ACCOUNT "\nsso_role_name = " ROLE "\n"

typedef struct
{
  char         *dir;
  char         *config_path;
  WharfSandbox *sandbox;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *cache = wharf_sso_cache_dir ();

  wharf_test_clear_aws_env ();
  wharf_test_remove_tree (cache);
  f->dir = wharf_test_make_tmp_dir ("wharf-sso-XXXXXX");
  f->config_path = g_build_filename (f->dir, "config", NULL);
  wharf_test_write_file (f->config_path, CONFIG_TEXT);
  g_setenv ("AWS_CONFIG_FILE", f->config_path, TRUE);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", f->config_path, TRUE);

  f->sandbox = wharf_test_sandbox_start (NULL, NULL, "test-sso.jsonl");
  wharf_sandbox_sso_add_assignment (f->sandbox, ACCOUNT, "Development", "dev@example.com", ROLE);
  g_setenv ("AWS_ENDPOINT_URL_SSO", wharf_sandbox_get_url (f->sandbox), TRUE);
  g_setenv ("AWS_ENDPOINT_URL_SSO_OIDC", wharf_sandbox_get_url (f->sandbox), TRUE);
  g_setenv ("AWS_ENDPOINT_URL_STS", wharf_sandbox_get_url (f->sandbox), TRUE);
  wharf_sso_set_poll_unit_ms (5);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *cache = wharf_sso_cache_dir ();

  wharf_test_sandbox_stop (&f->sandbox);
  wharf_test_remove_tree (f->dir);
  wharf_test_remove_tree (cache);
  g_free (f->config_path);
  g_free (f->dir);
  wharf_test_clear_aws_env ();
  wharf_sso_set_poll_unit_ms (0);
}

/* Iterates until @count requests of @operation were served. */
static void
wait_for_requests (Fixture    *f,
                   const char *operation,
                   guint       count)
{
  wharf_test_wait_for (wharf_sandbox_get_request_count (f->sandbox, operation) >= count);
}

static WharfCredentials *
get_credentials (const char  *profile,
                 GError     **error)
{
  g_autoptr(WharfCredentialsProvider) provider = wharf_default_credentials_provider_new (profile);
  g_autoptr(GAsyncResult) result = NULL;

  wharf_credentials_provider_get_credentials_async (provider, NULL, wharf_test_result_cb, &result);
  wharf_test_wait_result (&result);
  return wharf_credentials_provider_get_credentials_finish (provider, result, error);
}

static gboolean
call_ecr (Fixture          *f,
          WharfCredentials *creds,
          GError          **error)
{
  g_autoptr(WharfCredentialsProvider) provider = wharf_static_credentials_provider_new (creds);
  g_autoptr(WharfEcrClient) client = wharf_ecr_client_new ("eu-west-1", provider);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) repos = NULL;

  wharf_ecr_client_set_endpoint (client, wharf_sandbox_get_url (f->sandbox));
  wharf_ecr_client_describe_repositories_async (client, NULL, 0, NULL, NULL,
                                                wharf_test_result_cb, &result);
  wharf_test_wait_result (&result);
  repos = wharf_ecr_client_describe_repositories_finish (client, result, NULL, error);
  return repos != NULL;
}

static char *
iso_in (GTimeSpan delta)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add (now, delta);

  return g_date_time_format (then, "%Y-%m-%dT%H:%M:%SZ");
}

/* A cache file as `aws sso login` (AWS CLI v2) writes it. */
static void
write_cli_cache (const char *cache_key,
                 const char *access_token,
                 GTimeSpan   expires_in,
                 const char *refresh_token,
                 const char *client_id,
                 const char *client_secret)
{
  g_autofree char *path = wharf_sso_cache_path (cache_key);
  g_autofree char *expires = iso_in (expires_in);
  g_autofree char *registration = iso_in (80 * G_TIME_SPAN_DAY);
  g_autofree char *text = NULL;

  if (refresh_token)
    text = g_strdup_printf ("{\"startUrl\": \"" START_URL "\", \"region\": \"eu-west-1\", "
                            "\"accessToken\": \"%s\", \"expiresAt\": \"%s\", "
                            "\"clientId\": \"%s\", \"clientSecret\": \"%s\", "
                            "\"registrationExpiresAt\": \"%s\", \"refreshToken\": \"%s\"}",
                            access_token, expires, client_id, client_secret, registration,
                            refresh_token);
  else
    text = g_strdup_printf ("{\"startUrl\": \"" START_URL "\", \"region\": \"eu-west-1\", "
                            "\"accessToken\": \"%s\", \"expiresAt\": \"%s\"}",
                            access_token, expires);
  wharf_test_write_file (path, text);
}

/* ---- Tests ---- */

static void
test_cache_format (void)
{
  g_autoptr(WharfSsoToken) token = wharf_sso_token_new ();
  g_autoptr(WharfSsoToken) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *home_cache = wharf_sso_cache_dir ();
  g_autofree char *path = wharf_sso_cache_path (SESSION);
  g_autofree char *expected = g_build_filename (home_cache,
                                                /* sha1 ("corp") */
                                                "ee0bfd2552fbd840c02cc48b6e823320543c450f.json",
                                                NULL);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  JsonObject *o;
  GStatBuf st;

  wharf_test_remove_tree (home_cache);
  g_assert_cmpstr (path, ==, expected);
  g_assert_true (g_str_has_prefix (home_cache, g_get_home_dir ()));

  token->access_token = g_strdup ("aoa-secret");
  token->expires_at = g_date_time_new_from_iso8601 ("2026-11-27T10:00:00Z", utc);
  token->refresh_token = g_strdup ("aor-secret");
  token->client_id = g_strdup ("client-1");
  token->client_secret = g_strdup ("client-secret");
  token->registration_expires_at = g_date_time_new_from_iso8601 ("2027-02-25T10:00:00Z", utc);
  token->region = g_strdup ("eu-west-1");
  token->start_url = g_strdup (START_URL);
  g_assert_true (wharf_sso_token_save (token, path, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* The AWS CLI's field names and time format */
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "accessToken"), ==, "aoa-secret");
  g_assert_cmpstr (json_object_get_string_member (o, "expiresAt"), ==, "2026-11-27T10:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (o, "refreshToken"), ==, "aor-secret");
  g_assert_cmpstr (json_object_get_string_member (o, "clientId"), ==, "client-1");
  g_assert_cmpstr (json_object_get_string_member (o, "clientSecret"), ==, "client-secret");
  g_assert_cmpstr (json_object_get_string_member (o, "registrationExpiresAt"), ==,
                   "2027-02-25T10:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (o, "region"), ==, "eu-west-1");
  g_assert_cmpstr (json_object_get_string_member (o, "startUrl"), ==, START_URL);

  loaded = wharf_sso_token_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->access_token, ==, "aoa-secret");
  g_assert_true (g_date_time_equal (loaded->expires_at, token->expires_at));
  g_assert_true (wharf_sso_token_has_registration (loaded, token->expires_at));

  /* An existing file with looser permissions is tightened when rewritten. */
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  g_assert_true (wharf_sso_token_save (token, path, &error));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* Malformed files are errors, never crashes */
  wharf_test_write_file (path, "{\"accessToken\": 5}");
  g_assert_null (wharf_sso_token_load (path, &error));
  g_assert_error (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_CACHE);
  g_clear_error (&error);
  wharf_test_write_file (path, "[");
  g_assert_null (wharf_sso_token_load (path, &error));
  g_assert_error (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_CACHE);
  g_clear_error (&error);
  /* The AWS CLI v1 time format */
  wharf_test_write_file (path,
                         "{\"accessToken\": \"a\", \"expiresAt\": \"2019-11-14T04:05:45UTC\"}");
  g_clear_pointer (&loaded, wharf_sso_token_free);
  loaded = wharf_sso_token_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_date_time_to_unix (loaded->expires_at), ==, 1573704345);
  g_unlink (path);
  g_assert_null (wharf_sso_token_load (path, &error));
  g_assert_error (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_LOGIN_REQUIRED);
  wharf_test_remove_tree (home_cache);
}

static void
test_settings (void)
{
  g_autoptr(WharfAwsConfig) config = wharf_aws_config_new ();
  g_autoptr(WharfSsoSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  const char *bad[] = { "no-session", "mismatch", "no-region" };

  g_assert_true (wharf_aws_config_load_data (config, CONFIG_TEXT
                                             "[profile no-session]\nsso_session = nowhere\n"
                                             "[profile mismatch]\nsso_session = " SESSION "\n"
                                             "sso_region = us-east-1\n"
                                             "[profile no-region]\nsso_start_url = " START_URL
                                             "\n", -1, WHARF_AWS_CONFIG_FILE_CONFIG, "test",
                                             &error));
  g_assert_no_error (error);

  settings = wharf_sso_settings_from_profile (config, "sso-dev", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (settings->session_name, ==, SESSION);
  g_assert_cmpstr (settings->start_url, ==, START_URL);
  g_assert_cmpstr (settings->sso_region, ==, "eu-west-1");
  g_assert_cmpstr (settings->account_id, ==, ACCOUNT);
  g_assert_cmpstr (settings->role_name, ==, ROLE);
  g_assert_cmpstr (settings->scopes[0], ==, "sso:account:access");
  g_assert_cmpstr (wharf_sso_settings_get_cache_key (settings), ==, SESSION);
  g_clear_pointer (&settings, wharf_sso_settings_free);

  settings = wharf_sso_settings_from_profile (config, "legacy", &error);
  g_assert_no_error (error);
  g_assert_null (settings->session_name);
  g_assert_cmpstr (wharf_sso_settings_get_cache_key (settings), ==, START_URL);
  g_clear_pointer (&settings, wharf_sso_settings_free);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_null (wharf_sso_settings_from_profile (config, bad[i], &error));
      g_assert_error (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_CONFIG);
      g_clear_error (&error);
    }

  /* Endpoints: regional by default; the AWS CLI's variables override. */
  wharf_test_clear_aws_env ();
  {
    g_autofree char *portal = wharf_sso_resolve_portal_endpoint (NULL, NULL, "eu-west-1", &error);
    g_autofree char *oidc = wharf_sso_resolve_oidc_endpoint (NULL, NULL, "eu-west-1", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (portal, ==, "https://portal.sso.eu-west-1.amazonaws.com");
    g_assert_cmpstr (oidc, ==, "https://oidc.eu-west-1.amazonaws.com");
  }
  g_setenv ("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:7001", TRUE);
  g_setenv ("AWS_ENDPOINT_URL_SSO_OIDC", "http://localhost:7002/", TRUE);
  {
    g_autofree char *portal = wharf_sso_resolve_portal_endpoint (NULL, NULL, "eu-west-1", &error);
    g_autofree char *oidc = wharf_sso_resolve_oidc_endpoint (NULL, NULL, "eu-west-1", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (portal, ==, "http://127.0.0.1:7001");
    g_assert_cmpstr (oidc, ==, "http://localhost:7002");
  }
  g_setenv ("AWS_ENDPOINT_URL_SSO", "http://portal.example.com", TRUE);
  g_assert_null (wharf_sso_resolve_portal_endpoint (NULL, NULL, "eu-west-1", &error));
  g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INSECURE_ENDPOINT);
  wharf_test_clear_aws_env ();
}

static void
test_cli_cache (Fixture       *f,
                gconstpointer  data)
{
  const char *profile = data;
  g_autoptr(WharfCredentials) creds = NULL;
  g_autoptr(WharfCredentialsProvider) provider = NULL;
  g_autoptr(WharfCallerIdentity) identity = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* Signed in with `aws sso login` (the legacy form keys the cache by the start URL). */
  write_cli_cache (g_str_equal (profile, "legacy") ? START_URL : SESSION, "aoa-from-cli",
                   6 * G_TIME_SPAN_HOUR, NULL, NULL, NULL);
  wharf_sandbox_sso_add_token (f->sandbox, "aoa-from-cli", NULL, NULL, NULL, 6 * 3600);

  creds = get_credentials (profile, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (wharf_credentials_get_access_key_id (creds), "ASIA"));
  g_assert_nonnull (wharf_credentials_get_session_token (creds));
  g_assert_nonnull (strstr (wharf_credentials_get_source (creds), "IAM Identity Center"));
  /* An hour, from the portal's epoch milliseconds */
  g_assert_false (wharf_credentials_expires_within (creds, NULL, 55 * G_TIME_SPAN_MINUTE));
  g_assert_true (wharf_credentials_expires_within (creds, NULL, 61 * G_TIME_SPAN_MINUTE));
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, "GetRoleCredentials"), ==, 1);
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, "CreateToken"), ==, 0);

  /* The role credentials work for ECR, and STS says who that is. */
  g_assert_true (call_ecr (f, creds, &error));
  g_assert_no_error (error);
  provider = wharf_static_credentials_provider_new (creds);
  wharf_caller_identity_lookup_async (provider, "eu-west-1", NULL, NULL,
                                      wharf_test_result_cb, &result);
  wharf_test_wait_result (&result);
  identity = wharf_caller_identity_lookup_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (identity->account, ==, ACCOUNT);
  g_assert_true (g_str_has_prefix (identity->arn, "arn:aws:sts::" ACCOUNT
                                   ":assumed-role/AWSReservedSSO_" ROLE "_"));
}

static void
test_role_from_sso (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(WharfCredentials) creds = NULL;
  g_autoptr(WharfCredentialsProvider) provider = NULL;
  g_autoptr(WharfCallerIdentity) identity = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* A role assumed with the credentials of an IAM Identity Center profile */
  wharf_test_write_file (f->config_path, CONFIG_TEXT "[profile deploy]\n"
                         "role_arn = arn:aws:iam::" ACCOUNT ":role/Deploy\n"
                         "source_profile = sso-dev\nrole_session_name = deployer\n");
  write_cli_cache (SESSION, "aoa-from-cli", 6 * G_TIME_SPAN_HOUR, NULL, NULL, NULL);
  wharf_sandbox_sso_add_token (f->sandbox, "aoa-from-cli", NULL, NULL, NULL, 6 * 3600);
  wharf_sandbox_sts_add_role (f->sandbox, "arn:aws:iam::" ACCOUNT ":role/Deploy", NULL, NULL,
                              NULL);

  creds = get_credentials ("deploy", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, "GetRoleCredentials"), ==, 1);
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, "AssumeRole"), ==, 1);
  provider = wharf_static_credentials_provider_new (creds);
  wharf_caller_identity_lookup_async (provider, "eu-west-1", NULL, NULL,
                                      wharf_test_result_cb, &result);
  wharf_test_wait_result (&result);
  identity = wharf_caller_identity_lookup_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (identity->arn, ==, "arn:aws:sts::" ACCOUNT ":assumed-role/Deploy/deployer");
  g_assert_true (call_ecr (f, creds, &error));
  g_assert_no_error (error);
}

static void
test_refresh (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(WharfCredentials) creds = NULL;
  g_autoptr(WharfSsoToken) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = wharf_sso_cache_path (SESSION);
  GStatBuf st;

  /* The access token expired an hour ago; the refresh token is still good. */
  wharf_sandbox_sso_add_token (f->sandbox, "aoa-old", "aor-old", "client-cli", "client-secret",
                               0);
  write_cli_cache (SESSION, "aoa-old", -G_TIME_SPAN_HOUR, "aor-old", "client-cli",
                   "client-secret");

  creds = get_credentials ("sso-dev", &error);
  g_assert_no_error (error);
  g_assert_nonnull (creds);
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, "CreateToken"), ==, 1);
  g_assert_true (call_ecr (f, creds, &error));
  g_assert_no_error (error);

  /* Written back for the AWS CLI: a new access token, a rotated refresh token, 0600. */
  stored = wharf_sso_token_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->access_token, !=, "aoa-old");
  g_assert_nonnull (stored->refresh_token);
  g_assert_cmpstr (stored->refresh_token, !=, "aor-old");
  g_assert_cmpstr (stored->client_id, ==, "client-cli");
  g_assert_false (wharf_sso_token_expires_within (stored, NULL, 7 * G_TIME_SPAN_HOUR));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* The old refresh token is spent: a second refresh from the old file fails and asks the
   * person to sign in. */
  write_cli_cache (SESSION, "aoa-old", -G_TIME_SPAN_HOUR, "aor-old", "client-cli",
                   "client-secret");
  g_clear_pointer (&creds, wharf_credentials_unref);
  creds = get_credentials ("sso-dev", &error);
  g_assert_null (creds);
  g_assert_error (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_LOGIN_REQUIRED);
}

static void
test_login_required (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WharfCredentials) creds = NULL;

  /* Never signed in */
  creds = get_credentials ("sso-dev", &error);
  g_assert_null (creds);
  g_assert_error (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_LOGIN_REQUIRED);
  g_clear_error (&error);

  /* Expired, nothing to refresh with */
  write_cli_cache (SESSION, "aoa-gone", -G_TIME_SPAN_MINUTE, NULL, NULL, NULL);
  creds = get_credentials ("sso-dev", &error);
  g_assert_null (creds);
  g_assert_error (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_LOGIN_REQUIRED);
  g_clear_error (&error);

  /* Valid in the cache, but the portal no longer accepts it */
  wharf_sandbox_sso_add_token (f->sandbox, "aoa-revoked", NULL, NULL, NULL, 3600);
  write_cli_cache (SESSION, "aoa-revoked", G_TIME_SPAN_HOUR, NULL, NULL, NULL);
  wharf_sandbox_sso_expire_tokens (f->sandbox);
  creds = get_credentials ("sso-dev", &error);
  g_assert_null (creds);
  g_assert_error (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_LOGIN_REQUIRED);
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, "GetRoleCredentials"), ==, 1);
  g_clear_error (&error);

  /* No assignment for that role */
  wharf_sandbox_sso_add_token (f->sandbox, "aoa-good", NULL, NULL, NULL, 3600);
  write_cli_cache (SESSION, "aoa-good", G_TIME_SPAN_HOUR, NULL, NULL, NULL);
  wharf_test_write_file (f->config_path,
                         CONFIG_TEXT "[profile other-role]\nsso_session = " SESSION "\n"
                         "sso_account_id = " ACCOUNT "\nsso_role_name = Admin\n");
  creds = get_credentials ("other-role", &error);
  g_assert_null (creds);
  g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_ACCESS_DENIED);
  g_assert_cmpstr (wharf_aws_error_get_aws_code (error), ==, "ForbiddenException");
}

typedef struct
{
  guint  shown;
  char  *user_code;
  char  *uri_complete;
} CodeSeen;

static void
code_cb (const WharfSsoDeviceCode *code,
         gpointer                  user_data)
{
  CodeSeen *seen = user_data;

  seen->shown++;
  g_free (seen->user_code);
  seen->user_code = g_strdup (code->user_code);
  g_free (seen->uri_complete);
  seen->uri_complete = g_strdup (code->verification_uri_complete);
}

static WharfSsoSettings *
settings_for (const char *profile)
{
  g_autoptr(WharfAwsConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  WharfSsoSettings *settings;

  config = wharf_aws_config_load_default (&error);
  g_assert_no_error (error);
  settings = wharf_sso_settings_from_profile (config, profile, &error);
  g_assert_no_error (error);
  return settings;
}

static void
test_device_flow (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(WharfSsoSettings) settings = settings_for ("sso-dev");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(WharfSsoToken) token = NULL;
  g_autoptr(WharfSsoToken) stored = NULL;
  g_autoptr(WharfCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = wharf_sso_cache_path (SESSION);
  CodeSeen seen = { 0 };
  guint polls;

  wharf_sso_login_async (settings, wharf_sandbox_get_url (f->sandbox), code_cb, &seen, NULL,
                         wharf_test_result_cb, &result);

  /* The code is shown, then CreateToken hears "authorization_pending" … */
  wait_for_requests (f, "CreateToken", 2);
  g_assert_cmpuint (seen.shown, ==, 1);
  g_assert_cmpstr (seen.user_code, ==, wharf_sandbox_sso_get_last_user_code (f->sandbox));
  g_assert_nonnull (strstr (seen.uri_complete, seen.user_code));
  g_assert_null (result);
  /* … then "slow_down", and it keeps polling … */
  wharf_sandbox_sso_slow_down (f->sandbox);
  polls = wharf_sandbox_get_request_count (f->sandbox, "CreateToken");
  wait_for_requests (f, "CreateToken", polls + 2);
  g_assert_null (result);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  /* … until the person approves. */
  g_assert_true (wharf_sandbox_sso_approve (f->sandbox, seen.user_code));
  wharf_test_wait_result (&result);
  token = wharf_sso_login_finish (result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token->access_token);
  g_assert_nonnull (token->refresh_token);
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, "RegisterClient"), ==, 1);
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, "StartDeviceAuthorization"), ==,
                    1);

  /* Stored in the shared cache, where the provider (and the AWS CLI) find it. */
  stored = wharf_sso_token_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->access_token, ==, token->access_token);
  g_assert_cmpstr (stored->start_url, ==, START_URL);
  g_assert_cmpstr (stored->region, ==, "eu-west-1");
  g_assert_true (wharf_sso_token_has_registration (stored, NULL));
  polls = wharf_sandbox_get_request_count (f->sandbox, "CreateToken");
  creds = get_credentials ("sso-dev", &error);
  g_assert_no_error (error);
  g_assert_true (call_ecr (f, creds, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, "CreateToken"), ==, polls);

  /* Signing in again reuses the client registration. */
  g_clear_object (&result);
  wharf_sso_login_async (settings, wharf_sandbox_get_url (f->sandbox), code_cb, &seen, NULL,
                         wharf_test_result_cb, &result);
  wait_for_requests (f, "StartDeviceAuthorization", 2);
  wait_for_requests (f, "CreateToken", polls + 1);
  g_assert_true (wharf_sandbox_sso_approve (f->sandbox, seen.user_code));
  wharf_test_wait_result (&result);
  g_clear_pointer (&token, wharf_sso_token_free);
  token = wharf_sso_login_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, "RegisterClient"), ==, 1);

  g_free (seen.user_code);
  g_free (seen.uri_complete);
}

static void
test_device_flow_cancel (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(WharfSsoSettings) settings = settings_for ("sso-dev");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(WharfSsoToken) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = wharf_sso_cache_path (SESSION);
  CodeSeen seen = { 0 };

  wharf_sso_login_async (settings, wharf_sandbox_get_url (f->sandbox), code_cb, &seen,
                         cancellable, wharf_test_result_cb, &result);
  wait_for_requests (f, "CreateToken", 1);
  g_cancellable_cancel (cancellable);
  wharf_test_wait_result (&result);
  token = wharf_sso_login_finish (result, &error);
  g_assert_null (token);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_free (seen.user_code);
  g_free (seen.uri_complete);
}

static void
test_device_flow_expired (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(WharfSsoSettings) settings = settings_for ("sso-dev");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(WharfSsoToken) token = NULL;
  g_autoptr(GError) error = NULL;
  CodeSeen seen = { 0 };

  wharf_sso_login_async (settings, wharf_sandbox_get_url (f->sandbox), code_cb, &seen, NULL,
                         wharf_test_result_cb, &result);
  wait_for_requests (f, "CreateToken", 1);
  /* The person never approves: the device code expires. */
  wharf_sandbox_sso_expire_tokens (f->sandbox);
  wharf_test_wait_result (&result);
  token = wharf_sso_login_finish (result, &error);
  g_assert_null (token);
  g_assert_error (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_EXPIRED);
  g_free (seen.user_code);
  g_free (seen.uri_complete);
}

static void
test_listings (Fixture       *f,
               gconstpointer  data)
{
  const char *url = wharf_sandbox_get_url (f->sandbox);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GPtrArray) roles = NULL;
  g_autoptr(GError) error = NULL;
  guint before;

  wharf_sandbox_sso_add_token (f->sandbox, "aoa-list", NULL, NULL, NULL, 3600);
  wharf_sandbox_sso_add_assignment (f->sandbox, ACCOUNT, "Development", "dev@example.com",
                                    "ReadOnly");
  wharf_sandbox_sso_add_assignment (f->sandbox, ACCOUNT, "Development", "dev@example.com",
                                    "Admin");
  wharf_sandbox_sso_add_assignment (f->sandbox, "555566667777", "Staging", "stage@example.com",
                                    "ReadOnly");
  wharf_sandbox_sso_add_assignment (f->sandbox, "888899990000", "Production", "prod@example.com",
                                    "ReadOnly");

  wharf_sso_list_accounts_async (url, "aoa-list", 2, NULL, wharf_test_result_cb, &result);
  wharf_test_wait_result (&result);
  accounts = wharf_sso_list_accounts_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 3);
  g_assert_cmpstr (((WharfSsoAccount *) accounts->pdata[0])->account_id, ==, ACCOUNT);
  g_assert_cmpstr (((WharfSsoAccount *) accounts->pdata[0])->account_name, ==, "Development");
  g_assert_cmpstr (((WharfSsoAccount *) accounts->pdata[2])->account_name, ==, "Production");
  g_assert_cmpstr (((WharfSsoAccount *) accounts->pdata[2])->email_address, ==,
                   "prod@example.com");
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, "ListAccounts"), ==, 2);

  g_clear_object (&result);
  wharf_sso_list_account_roles_async (url, "aoa-list", ACCOUNT, 1, NULL,
                                      wharf_test_result_cb, &result);
  wharf_test_wait_result (&result);
  roles = wharf_sso_list_account_roles_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (roles->len, ==, 3);
  g_assert_cmpstr (roles->pdata[0], ==, ROLE);
  g_assert_cmpstr (roles->pdata[1], ==, "ReadOnly");
  g_assert_cmpstr (roles->pdata[2], ==, "Admin");
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, "ListAccountRoles"), ==, 3);

  /* A bad token is refused with the portal's own error. */
  g_clear_object (&result);
  before = wharf_sandbox_get_request_count (f->sandbox, "ListAccounts");
  wharf_sso_list_accounts_async (url, "aoa-unknown", 0, NULL, wharf_test_result_cb, &result);
  wharf_test_wait_result (&result);
  g_assert_null (wharf_sso_list_accounts_finish (result, &error));
  g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_EXPIRED_CREDENTIALS);
  g_assert_cmpstr (wharf_aws_error_get_aws_code (error), ==, "UnauthorizedException");
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, "ListAccounts"), ==, before + 1);
}

/* ---- Accounts chosen in Wharf (no profile) ---- */

static WharfCredentials *
provider_fetch (WharfCredentialsProvider  *provider,
                GError                   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  wharf_credentials_provider_get_credentials_async (provider, NULL, wharf_test_result_cb, &result);
  wharf_test_wait_result (&result);
  return wharf_credentials_provider_get_credentials_finish (provider, result, error);
}

static void
test_start_url (void)
{
  g_autofree char *reason = NULL;

  g_assert_true (wharf_sso_start_url_is_valid (START_URL, NULL));
  g_assert_true (wharf_sso_start_url_is_valid ("https://d-1234567890.awsapps.com/start/#/", NULL));
  g_assert_false (wharf_sso_start_url_is_valid ("", &reason));
  g_assert_nonnull (reason);
  g_clear_pointer (&reason, g_free);
  g_assert_false (wharf_sso_start_url_is_valid ("http://corp-example.awsapps.com/start", &reason));
  g_assert_nonnull (strstr (reason, "https://"));
  g_clear_pointer (&reason, g_free);
  g_assert_false (wharf_sso_start_url_is_valid ("corp-example.awsapps.com/start", NULL));
  g_assert_false (wharf_sso_start_url_is_valid ("https://corp example.awsapps.com", NULL));
  g_assert_false (wharf_sso_start_url_is_valid ("https://user:pw@corp.awsapps.com/start", NULL));
  g_assert_false (wharf_sso_start_url_is_valid ("https:///start", NULL));
}

static void
test_provider_login_required (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(WharfSsoSettings) settings = wharf_sso_settings_new (NULL, START_URL, "eu-west-1",
                                                                 ACCOUNT, ROLE);
  g_autoptr(WharfCredentialsProvider) provider = wharf_sso_credentials_provider_new (settings);
  g_autoptr(WharfCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;

  /* Nobody signed in to this start URL */
  creds = provider_fetch (provider, &error);
  g_assert_null (creds);
  g_assert_error (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_LOGIN_REQUIRED);
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, NULL), ==, 0);
  g_clear_error (&error);

  /* A token the cache calls valid but the portal no longer accepts */
  write_cli_cache (START_URL, "aoa-revoked", G_TIME_SPAN_HOUR, NULL, NULL, NULL);
  creds = provider_fetch (provider, &error);
  g_assert_null (creds);
  g_assert_error (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_LOGIN_REQUIRED);
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, "GetRoleCredentials"), ==, 1);
}

static void
test_provider_credentials (Fixture       *f,
                           gconstpointer  data)
{
  /* The session name of ~/.aws/config keys the cache when the person chose it. */
  g_autoptr(WharfSsoSettings) settings = wharf_sso_settings_new (SESSION, START_URL, "eu-west-1",
                                                                 "555566667777", "AdminAccess");
  g_autoptr(WharfCredentialsProvider) provider = wharf_sso_credentials_provider_new (settings);
  g_autoptr(WharfCredentialsProvider) fixed = NULL;
  g_autoptr(WharfCredentials) creds = NULL;
  g_autoptr(WharfCredentials) again = NULL;
  g_autoptr(WharfCallerIdentity) identity = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  wharf_sandbox_sso_add_assignment (f->sandbox, "555566667777", "Staging", "stage@example.com",
                                    "AdminAccess");
  write_cli_cache (SESSION, "aoa-staging", 6 * G_TIME_SPAN_HOUR, NULL, NULL, NULL);
  wharf_sandbox_sso_add_token (f->sandbox, "aoa-staging", NULL, NULL, NULL, 6 * 3600);

  creds = provider_fetch (provider, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (wharf_credentials_get_access_key_id (creds), "ASIA"));
  g_assert_nonnull (strstr (wharf_credentials_get_source (creds), "AdminAccess"));

  /* Cached until near expiry: no second request to the portal. */
  again = provider_fetch (provider, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wharf_credentials_get_access_key_id (again), ==,
                   wharf_credentials_get_access_key_id (creds));
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, "GetRoleCredentials"), ==, 1);

  /* They are that role in that account, and ECR takes them. */
  fixed = wharf_static_credentials_provider_new (creds);
  wharf_caller_identity_lookup_async (fixed, "eu-west-1", NULL, NULL,
                                      wharf_test_result_cb, &result);
  wharf_test_wait_result (&result);
  identity = wharf_caller_identity_lookup_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (identity->account, ==, "555566667777");
  g_assert_true (g_str_has_prefix (identity->arn, "arn:aws:sts::555566667777:assumed-role/"
                                   "AWSReservedSSO_AdminAccess_"));
  g_assert_true (call_ecr (f, creds, &error));
  g_assert_no_error (error);

  /* Forgotten on request (the engine does so after ExpiredTokenException). */
  wharf_credentials_provider_invalidate (provider);
  g_clear_pointer (&again, wharf_credentials_unref);
  again = provider_fetch (provider, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, "GetRoleCredentials"), ==, 2);
}

static void
test_provider_refresh (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(WharfSsoSettings) settings = wharf_sso_settings_new (NULL, START_URL, "eu-west-1",
                                                                 ACCOUNT, ROLE);
  g_autoptr(WharfCredentialsProvider) provider = wharf_sso_credentials_provider_new (settings);
  g_autoptr(WharfCredentials) creds = NULL;
  g_autoptr(WharfSsoToken) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = wharf_sso_cache_path (START_URL);

  /* Expired an hour ago; the refresh token still works. */
  wharf_sandbox_sso_add_token (f->sandbox, "aoa-old", "aor-old", "client-cli", "client-secret",
                               0);
  write_cli_cache (START_URL, "aoa-old", -G_TIME_SPAN_HOUR, "aor-old", "client-cli",
                   "client-secret");

  creds = provider_fetch (provider, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, "CreateToken"), ==, 1);
  g_assert_true (call_ecr (f, creds, &error));
  g_assert_no_error (error);
  stored = wharf_sso_token_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->access_token, !=, "aoa-old");
  g_assert_false (wharf_sso_token_expires_within (stored, NULL, G_TIME_SPAN_HOUR));
}

/* ---- Helper mode for the contract test ---- */

static void
serve_code_cb (const WharfSsoDeviceCode *code,
               gpointer                  user_data)
{
  WharfSandbox *sandbox = user_data;

  /* In the contract run nobody sits at a browser: approve at once. */
  wharf_sandbox_sso_approve (sandbox, code->user_code);
}

typedef struct
{
  WharfSandbox     *sandbox;
  GDataInputStream *in;
  gboolean          done;
} Serving;

/* Commands on standard input: "approve" approves the latest device sign-in and prints its
 * user code (or an empty line when there is none yet). End of input stops serving. */
static void
command_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Serving *serving = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (serving->in, result, NULL,
                                                                     NULL);

  if (!line)
    {
      serving->done = TRUE;
      return;
    }
  if (g_str_equal (g_strstrip (line), "approve"))
    {
      const char *code = wharf_sandbox_sso_get_last_user_code (serving->sandbox);

      if (code)
        wharf_sandbox_sso_approve (serving->sandbox, code);
      printf ("%s\n", code ? code : "");
      fflush (stdout);
    }
  else if (g_str_equal (line, "expire"))
    {
      wharf_sandbox_sso_expire_tokens (serving->sandbox);
      wharf_sandbox_expire_sessions (serving->sandbox);
      printf ("expired\n");
      fflush (stdout);
    }
  g_data_input_stream_read_line_async (serving->in, G_PRIORITY_DEFAULT, NULL, command_cb,
                                       serving);
}

static int
serve (gboolean login)
{
  g_autoptr(WharfSandbox) sandbox = NULL;
  g_autoptr(WharfAwsConfig) config = NULL;
  g_autoptr(WharfSsoSettings) settings = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(WharfSsoToken) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) raw_in = g_unix_input_stream_new (0, FALSE);
  Serving serving = { 0 };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *line = NULL;
  g_autofree char *path = NULL;
  const char *record_dir = g_getenv ("WHARF_RECORD_DIR");
  const char *session = g_getenv ("WHARF_SSO_SESSION");

  sandbox = wharf_sandbox_new (NULL, &error);
  if (sandbox && record_dir && *record_dir)
    {
      g_autofree char *record = g_build_filename (record_dir, "test-sso-serve.jsonl", NULL);

      wharf_sandbox_set_record_path (sandbox, record, &error);
    }
  if (!sandbox || error || !wharf_sandbox_listen (sandbox, 0, &error))
    {
      g_printerr ("test-sso --serve: %s\n", error->message);
      return 1;
    }
  wharf_sandbox_sso_add_assignment (sandbox, ACCOUNT, "Development", "dev@example.com", ROLE);
  wharf_sandbox_sts_add_role (sandbox, "arn:aws:iam::" ACCOUNT ":role/Deploy", NULL, NULL, NULL);
  /* For the UI test of the MFA dialog */
  wharf_sandbox_sts_add_role (sandbox, "arn:aws:iam::" ACCOUNT ":role/Guarded", NULL,
                              "arn:aws:iam::111122223333:mfa/alice", "123456");

  if (!login)
    {
      g_autoptr(GError) repo_error = NULL;

      /* A second account with two roles and a repository of its own (the first key added
       * makes its account the one the in-process calls below act on). */
      wharf_sandbox_sso_add_assignment (sandbox, STAGING, "Staging", "stage@example.com",
                                        "ReadOnly");
      wharf_sandbox_sso_add_assignment (sandbox, STAGING, "Staging", "stage@example.com",
                                        "AdminAccess");
      wharf_sandbox_add_key (sandbox, "AKIAWHARFSTAGING0001", "staging/secret/not+for+aws000000",
                             STAGING);
      if (!wharf_sandbox_create_repository (sandbox, "eu-west-1", "staging/api", &repo_error))
        {
          g_printerr ("test-sso --serve-no-login: %s\n", repo_error->message);
          return 1;
        }
      /* For the UI test: the app signs in, and "approve" on standard input approves. */
      printf ("{\"url\": \"%s\", \"account\": \"" ACCOUNT "\", \"role\": \"" ROLE "\"}\n",
              wharf_sandbox_get_url (sandbox));
      fflush (stdout);
      goto serve;
    }

  /* Sign in with the profile the contract test wrote into AWS_CONFIG_FILE. */
  config = wharf_aws_config_load_default (&error);
  if (config)
    settings = wharf_sso_settings_from_session (config, session ? session : SESSION, &error);
  if (!settings)
    {
      g_printerr ("test-sso --serve: %s\n", error->message);
      return 1;
    }
  wharf_sso_login_async (settings, wharf_sandbox_get_url (sandbox), serve_code_cb, sandbox,
                         NULL, wharf_test_result_cb, &result);
  wharf_test_wait_result (&result);
  token = wharf_sso_login_finish (result, &error);
  if (!token)
    {
      g_printerr ("test-sso --serve: %s\n", error->message);
      return 1;
    }
  path = wharf_sso_cache_path (wharf_sso_settings_get_cache_key (settings));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, wharf_sandbox_get_url (sandbox));
  json_builder_set_member_name (builder, "cache");
  json_builder_add_string_value (builder, path);
  json_builder_set_member_name (builder, "account");
  json_builder_add_string_value (builder, ACCOUNT);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, ROLE);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  line = json_generator_to_data (generator, NULL);
  printf ("%s\n", line);
  fflush (stdout);

serve:
  serving.sandbox = sandbox;
  serving.in = g_data_input_stream_new (raw_in);
  g_data_input_stream_read_line_async (serving.in, G_PRIORITY_DEFAULT, NULL, command_cb,
                                       &serving);
  while (!serving.done)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&serving.in);
  wharf_sandbox_set_record_path (sandbox, NULL, NULL);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = NULL;

  if (argc == 2 && g_str_equal (argv[1], "--serve"))
    {
      wharf_sso_set_poll_unit_ms (10);
      return serve (TRUE);
    }
  if (argc == 2 && g_str_equal (argv[1], "--serve-no-login"))
    return serve (FALSE);

  /* Never touch the real ~/.aws: a private HOME, set before GLib reads it. */
  home = g_dir_make_tmp ("wharf-sso-home-XXXXXX", NULL);
  g_assert_nonnull (home);
  g_setenv ("HOME", home, TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sso/cache/format", test_cache_format);
  g_test_add_func ("/sso/settings", test_settings);
  g_test_add ("/sso/cache/aws-cli-file", Fixture, "sso-dev", fixture_setup, test_cli_cache,
              fixture_teardown);
  g_test_add ("/sso/cache/aws-cli-file-legacy", Fixture, "legacy", fixture_setup,
              test_cli_cache, fixture_teardown);
  g_test_add ("/sso/role-from-sso-profile", Fixture, NULL, fixture_setup, test_role_from_sso,
              fixture_teardown);
  g_test_add ("/sso/token/refresh", Fixture, NULL, fixture_setup, test_refresh, fixture_teardown);
  g_test_add ("/sso/token/login-required", Fixture, NULL, fixture_setup, test_login_required,
              fixture_teardown);
  g_test_add ("/sso/device-flow/approve", Fixture, NULL, fixture_setup, test_device_flow,
              fixture_teardown);
  g_test_add ("/sso/device-flow/cancel", Fixture, NULL, fixture_setup, test_device_flow_cancel,
              fixture_teardown);
  g_test_add ("/sso/device-flow/expired", Fixture, NULL, fixture_setup, test_device_flow_expired,
              fixture_teardown);
  g_test_add ("/sso/portal/listings", Fixture, NULL, fixture_setup, test_listings,
              fixture_teardown);
  g_test_add_func ("/sso/start-url", test_start_url);
  g_test_add ("/sso/provider/login-required", Fixture, NULL, fixture_setup,
              test_provider_login_required, fixture_teardown);
  g_test_add ("/sso/provider/credentials", Fixture, NULL, fixture_setup,
              test_provider_credentials, fixture_teardown);
  g_test_add ("/sso/provider/refresh", Fixture, NULL, fixture_setup, test_provider_refresh,
              fixture_teardown);

  {
    int status = g_test_run ();

    wharf_test_remove_tree (home);
    return status;
  }
}
