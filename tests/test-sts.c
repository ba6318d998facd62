/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Role profiles (role_arn with source_profile or credential_source) through the default
 * credentials provider, STS AssumeRole and GetCallerIdentity against the in-process
 * sandbox over real HTTP on 127.0.0.1; the temporary keys then call ECR.
 * With WHARF_RECORD_DIR set, the exchanges are recorded into $WHARF_RECORD_DIR/test-sts.jsonl.
 */
#define G_LOG_DOMAIN "test-sts"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "wharf-aws-error.h"
#include "wharf-credentials.h"
#include "wharf-ecr-client.h"
#include "wharf-profile-credentials.h"
#include "wharf-sandbox-auth.h"
#include "wharf-sandbox.h"
#include "wharf-sts.h"
#include "wharf-test-sandbox.h"
#include "wharf-test-utils.h"

#define ROLE_DEV "arn:aws:iam::444455556666:role/Dev"
#define ROLE_OPS "arn:aws:iam::777788889999:role/Ops"
#define MFA_SERIAL "arn:aws:iam::111122223333:mfa/alice"

typedef struct
{
  char         *dir;
  char         *config_path;
  char         *credentials_path;
  WharfSandbox *sandbox;
} Fixture;

static void
write_config (Fixture    *f,
              const char *text)
{
  wharf_test_write_file (f->config_path, text);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  wharf_test_clear_aws_env ();
  f->dir = wharf_test_make_tmp_dir ("wharf-sts-XXXXXX");
  f->config_path = g_build_filename (f->dir, "config", NULL);
  f->credentials_path = g_build_filename (f->dir, "credentials", NULL);
  g_setenv ("AWS_CONFIG_FILE", f->config_path, TRUE);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", f->credentials_path, TRUE);
  wharf_test_write_file (f->credentials_path,
                         "[base]\naws_access_key_id = " WHARF_SANDBOX_PRACTICE_ACCESS_KEY_ID "\n"
                         "aws_secret_access_key = " WHARF_SANDBOX_PRACTICE_SECRET_ACCESS_KEY "\n");

  f->sandbox = wharf_test_sandbox_start (NULL, NULL, "test-sts.jsonl");
  g_setenv ("AWS_ENDPOINT_URL_STS", wharf_sandbox_get_url (f->sandbox), TRUE);
  g_setenv ("AWS_REGION", "eu-west-1", TRUE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  wharf_test_sandbox_stop (&f->sandbox);
  g_unlink (f->config_path);
  g_unlink (f->credentials_path);
  g_rmdir (f->dir);
  g_free (f->config_path);
  g_free (f->credentials_path);
  g_free (f->dir);
  wharf_test_clear_aws_env ();
}

static WharfCredentials *
get_credentials (WharfCredentialsProvider  *provider,
                 GError                   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  wharf_credentials_provider_get_credentials_async (provider, NULL, wharf_test_result_cb, &result);
  wharf_test_wait_result (&result);
  return wharf_credentials_provider_get_credentials_finish (provider, result, error);
}

static WharfCallerIdentity *
who_am_i (WharfCredentialsProvider  *provider,
          GError                   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  wharf_caller_identity_lookup_async (provider, "eu-west-1", NULL, NULL,
                                      wharf_test_result_cb, &result);
  wharf_test_wait_result (&result);
  return wharf_caller_identity_lookup_finish (result, error);
}

/* DescribeRepositories with @provider against the sandbox. */
static gboolean
call_ecr (Fixture                  *f,
          WharfCredentialsProvider *provider,
          GError                  **error)
{
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

/* ---- Tests ---- */

static void
test_source_profile (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(WharfCredentialsProvider) provider = NULL;
  g_autoptr(WharfCredentials) creds = NULL;
  g_autoptr(WharfCallerIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  write_config (f, "[profile dev]\nrole_arn = " ROLE_DEV "\nsource_profile = base\n"
                   "role_session_name = alice\nduration_seconds = 1800\n");
  wharf_sandbox_sts_add_role (f->sandbox, ROLE_DEV, NULL, NULL, NULL);

  provider = wharf_default_credentials_provider_new ("dev");
  creds = get_credentials (provider, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (wharf_credentials_get_access_key_id (creds), "ASIA"));
  g_assert_nonnull (wharf_credentials_get_session_token (creds));
  g_assert_nonnull (wharf_credentials_get_expiration (creds));
  /* DurationSeconds was sent: about 30 minutes, not STS's default hour. */
  g_assert_false (wharf_credentials_expires_within (creds, NULL, 25 * G_TIME_SPAN_MINUTE));
  g_assert_true (wharf_credentials_expires_within (creds, NULL, 31 * G_TIME_SPAN_MINUTE));
  g_assert_nonnull (strstr (wharf_credentials_get_source (creds), "dev"));

  /* The temporary keys work for ECR, in the role's account. */
  g_assert_true (call_ecr (f, provider, &error));
  g_assert_no_error (error);

  identity = who_am_i (provider, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (identity->account, ==, "444455556666");
  g_assert_cmpstr (identity->arn, ==, "arn:aws:sts::444455556666:assumed-role/Dev/alice");
  g_assert_true (g_str_has_suffix (identity->user_id, ":alice"));
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, "AssumeRole"), ==, 1);
}

static void
test_environment (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(WharfCredentialsProvider) provider = NULL;
  g_autoptr(WharfCredentials) creds = NULL;
  g_autoptr(WharfCallerIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  write_config (f, "[profile env-role]\nrole_arn = " ROLE_DEV "\n"
                   "credential_source = Environment\n");
  wharf_sandbox_sts_add_role (f->sandbox, ROLE_DEV, NULL, NULL, NULL);

  /* Without the environment's keys it says what is missing. */
  provider = wharf_default_credentials_provider_new ("env-role");
  creds = get_credentials (provider, &error);
  g_assert_null (creds);
  g_assert_error (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "AWS_ACCESS_KEY_ID"));
  g_clear_error (&error);
  g_clear_object (&provider);

  g_setenv ("AWS_ACCESS_KEY_ID", WHARF_SANDBOX_PRACTICE_ACCESS_KEY_ID, TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", WHARF_SANDBOX_PRACTICE_SECRET_ACCESS_KEY, TRUE);
  provider = wharf_default_credentials_provider_new ("env-role");
  creds = get_credentials (provider, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (wharf_credentials_get_access_key_id (creds), "ASIA"));
  identity = who_am_i (provider, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (identity->arn, "arn:aws:sts::444455556666:assumed-role/Dev/"
                                   "wharf-"));
  g_assert_true (call_ecr (f, provider, &error));
  g_assert_no_error (error);
}

static void
test_external_id (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  write_config (f, "[profile no-id]\nrole_arn = " ROLE_DEV "\nsource_profile = base\n"
                   "[profile wrong-id]\nrole_arn = " ROLE_DEV "\nsource_profile = base\n"
                   "external_id = guess\n"
                   "[profile right-id]\nrole_arn = " ROLE_DEV "\nsource_profile = base\n"
                   "external_id = partner-7f3a\n");
  wharf_sandbox_sts_add_role (f->sandbox, ROLE_DEV, "partner-7f3a", NULL, NULL);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(WharfCredentialsProvider) provider =
        wharf_default_credentials_provider_new (i == 0 ? "no-id" : "wrong-id");
      g_autoptr(WharfCredentials) creds = get_credentials (provider, &error);

      g_assert_null (creds);
      g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_ACCESS_DENIED);
      g_assert_cmpstr (wharf_aws_error_get_aws_code (error), ==, "AccessDenied");
      g_assert_nonnull (strstr (error->message, "sts:AssumeRole"));
      g_clear_error (&error);
    }

  {
    g_autoptr(WharfCredentialsProvider) provider =
      wharf_default_credentials_provider_new ("right-id");
    g_autoptr(WharfCredentials) creds = get_credentials (provider, &error);

    g_assert_no_error (error);
    g_assert_nonnull (creds);
  }
}

typedef struct
{
  const char *code;    /* NULL: the person cancels */
  guint       asked;
  char       *serial;
  char       *profile;
} MfaAnswer;

static gboolean
reply_later_cb (gpointer user_data)
{
  gpointer *pair = user_data;
  MfaAnswer *answer = pair[1];

  wharf_mfa_request_reply (pair[0], answer->code);
  g_free (pair);
  return G_SOURCE_REMOVE;
}

static void
mfa_handler (WharfMfaRequest *request,
             gpointer         user_data)
{
  MfaAnswer *answer = user_data;
  gpointer *pair = g_new (gpointer, 2);

  answer->asked++;
  g_free (answer->serial);
  answer->serial = g_strdup (wharf_mfa_request_get_serial (request));
  g_free (answer->profile);
  answer->profile = g_strdup (wharf_mfa_request_get_profile (request));
  /* Answer from the main loop, as a dialog would. */
  pair[0] = request;
  pair[1] = answer;
  g_idle_add (reply_later_cb, pair);
}

static void
test_mfa (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  MfaAnswer right = { "123456", 0, NULL, NULL };
  MfaAnswer wrong = { "000000", 0, NULL, NULL };
  MfaAnswer cancel = { NULL, 0, NULL, NULL };

  write_config (f, "[profile admin]\nrole_arn = " ROLE_DEV "\nsource_profile = base\n"
                   "mfa_serial = " MFA_SERIAL "\n");
  wharf_sandbox_sts_add_role (f->sandbox, ROLE_DEV, NULL, MFA_SERIAL, "123456");

  /* No one to ask: a clear error, not a silent failure. */
  {
    g_autoptr(WharfCredentialsProvider) provider = wharf_default_credentials_provider_new ("admin");
    g_autoptr(WharfCredentials) creds = get_credentials (provider, &error);

    g_assert_null (creds);
    g_assert_error (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_UNSUPPORTED);
    g_assert_nonnull (strstr (error->message, "MFA"));
    g_clear_error (&error);
  }

  /* The wrong code */
  {
    g_autoptr(WharfCredentialsProvider) provider = wharf_default_credentials_provider_new ("admin");
    g_autoptr(WharfCredentials) creds = NULL;

    wharf_profile_credentials_set_mfa_handler (provider, mfa_handler, &wrong, NULL);
    creds = get_credentials (provider, &error);
    g_assert_null (creds);
    g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_ACCESS_DENIED);
    g_assert_cmpstr (wharf_aws_error_get_aws_code (error), ==, "AccessDenied");
    g_assert_nonnull (strstr (error->message, "MFA"));
    g_assert_cmpuint (wrong.asked, ==, 1);
    g_clear_error (&error);
  }

  /* The person cancels the dialog */
  {
    g_autoptr(WharfCredentialsProvider) provider = wharf_default_credentials_provider_new ("admin");
    g_autoptr(WharfCredentials) creds = NULL;
    guint before = wharf_sandbox_get_request_count (f->sandbox, "AssumeRole");

    wharf_profile_credentials_set_mfa_handler (provider, mfa_handler, &cancel, NULL);
    creds = get_credentials (provider, &error);
    g_assert_null (creds);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, "AssumeRole"), ==, before);
    g_clear_error (&error);
  }

  /* The right code; cached afterwards, so it is asked once */
  {
    g_autoptr(WharfCredentialsProvider) provider = wharf_default_credentials_provider_new ("admin");
    g_autoptr(WharfCredentials) creds = NULL;
    g_autoptr(WharfCredentials) again = NULL;

    wharf_profile_credentials_set_mfa_handler (provider, mfa_handler, &right, NULL);
    creds = get_credentials (provider, &error);
    g_assert_no_error (error);
    g_assert_nonnull (creds);
    g_assert_cmpuint (right.asked, ==, 1);
    g_assert_cmpstr (right.serial, ==, MFA_SERIAL);
    g_assert_cmpstr (right.profile, ==, "admin");
    again = get_credentials (provider, &error);
    g_assert_no_error (error);
    g_assert_true (again == creds);
    g_assert_cmpuint (right.asked, ==, 1);
    g_assert_true (call_ecr (f, provider, &error));
    g_assert_no_error (error);
  }

  g_free (right.serial);
  g_free (right.profile);
  g_free (wrong.serial);
  g_free (wrong.profile);
  g_free (cancel.serial);
  g_free (cancel.profile);
}

static void
test_chained (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(WharfCredentialsProvider) provider = NULL;
  g_autoptr(WharfCredentials) creds = NULL;
  g_autoptr(WharfCallerIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  write_config (f, "[profile dev]\nrole_arn = " ROLE_DEV "\nsource_profile = base\n"
                   "[profile ops]\nrole_arn = " ROLE_OPS "\nsource_profile = dev\n"
                   "role_session_name = ops-session\n");
  wharf_sandbox_sts_add_role (f->sandbox, ROLE_DEV, NULL, NULL, NULL);
  wharf_sandbox_sts_add_role (f->sandbox, ROLE_OPS, NULL, NULL, NULL);

  provider = wharf_default_credentials_provider_new ("ops");
  creds = get_credentials (provider, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, "AssumeRole"), ==, 2);
  identity = who_am_i (provider, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (identity->arn, ==,
                   "arn:aws:sts::777788889999:assumed-role/Ops/ops-session");
  g_assert_true (call_ecr (f, provider, &error));
  g_assert_no_error (error);
}

static void
test_cycle (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *profiles[] = { "a", "b", "missing-source" };

  write_config (f, "[profile a]\nrole_arn = " ROLE_DEV "\nsource_profile = b\n"
                   "[profile b]\nrole_arn = " ROLE_OPS "\nsource_profile = c\n"
                   "[profile c]\nrole_arn = " ROLE_OPS "\nsource_profile = a\n"
                   "[profile missing-source]\nrole_arn = " ROLE_OPS "\nsource_profile = nowhere\n");

  for (guint i = 0; i < G_N_ELEMENTS (profiles); i++)
    {
      g_autoptr(WharfCredentialsProvider) provider =
        wharf_default_credentials_provider_new (profiles[i]);
      g_autoptr(WharfCredentials) creds = get_credentials (provider, &error);

      g_assert_null (creds);
      if (i < 2)
        {
          g_assert_error (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_CONFIG);
          g_assert_nonnull (strstr (error->message, "loop"));
        }
      else
        {
          g_assert_error (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_PROFILE_NOT_FOUND);
          g_assert_nonnull (strstr (error->message, "nowhere"));
        }
      g_clear_error (&error);
    }
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, "AssumeRole"), ==, 0);
}

static void
test_refresh (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(WharfCredentialsProvider) provider = NULL;
  g_autoptr(WharfCredentials) first = NULL;
  g_autoptr(WharfCredentials) second = NULL;
  g_autoptr(GError) error = NULL;

  write_config (f, "[profile dev]\nrole_arn = " ROLE_DEV "\nsource_profile = base\n");
  wharf_sandbox_sts_add_role (f->sandbox, ROLE_DEV, NULL, NULL, NULL);
  provider = wharf_default_credentials_provider_new ("dev");

  /* Sessions shorter than the refresh margin are fetched again on the next use. */
  wharf_sandbox_sts_set_max_session_seconds (f->sandbox, 60);
  first = get_credentials (provider, &error);
  g_assert_no_error (error);
  second = get_credentials (provider, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wharf_credentials_get_access_key_id (first), !=,
                   wharf_credentials_get_access_key_id (second));
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, "AssumeRole"), ==, 2);

  /* Keys that expire while cached: ECR refuses them once, then the provider assumes the
   * role again. */
  wharf_sandbox_sts_set_max_session_seconds (f->sandbox, 0);
  wharf_credentials_provider_invalidate (provider);
  g_assert_true (call_ecr (f, provider, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, "AssumeRole"), ==, 3);
  wharf_sandbox_expire_sessions (f->sandbox);
  g_assert_false (call_ecr (f, provider, &error));
  g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_EXPIRED_CREDENTIALS);
  g_clear_error (&error);
  g_assert_true (call_ecr (f, provider, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wharf_sandbox_get_request_count (f->sandbox, "AssumeRole"), ==, 4);
  g_assert_cmpuint (wharf_sandbox_get_n_active_sessions (f->sandbox), ==, 1);
}

static void
test_session_token_checked (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(WharfCredentialsProvider) provider = NULL;
  g_autoptr(WharfCredentials) creds = NULL;
  g_autoptr(WharfCredentials) forged = NULL;
  g_autoptr(WharfCredentialsProvider) forged_provider = NULL;
  g_autoptr(GError) error = NULL;

  write_config (f, "[profile dev]\nrole_arn = " ROLE_DEV "\nsource_profile = base\n");
  wharf_sandbox_sts_add_role (f->sandbox, ROLE_DEV, NULL, NULL, NULL);
  provider = wharf_default_credentials_provider_new ("dev");
  creds = get_credentials (provider, &error);
  g_assert_no_error (error);

  /* The right key pair with someone else's session token is refused. */
  forged = wharf_credentials_new (wharf_credentials_get_access_key_id (creds),
                                  wharf_credentials_get_secret_access_key (creds),
                                  "IQoJb3JpZ2luX2VjEnot-the-token", NULL);
  forged_provider = wharf_static_credentials_provider_new (forged);
  g_assert_false (call_ecr (f, forged_provider, &error));
  g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_CREDENTIALS);
  g_clear_error (&error);
  g_assert_null (who_am_i (forged_provider, &error));
  g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_CREDENTIALS);
  g_assert_cmpstr (wharf_aws_error_get_aws_code (error), ==, "InvalidClientTokenId");
}

static void
test_caller_identity_keys (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(WharfCredentials) creds =
    wharf_credentials_new (WHARF_SANDBOX_PRACTICE_ACCESS_KEY_ID,
                           WHARF_SANDBOX_PRACTICE_SECRET_ACCESS_KEY, NULL, NULL);
  g_autoptr(WharfCredentials) bad =
    wharf_credentials_new (WHARF_SANDBOX_PRACTICE_ACCESS_KEY_ID, "not-the-secret", NULL, NULL);
  g_autoptr(WharfCredentialsProvider) provider = wharf_static_credentials_provider_new (creds);
  g_autoptr(WharfCredentialsProvider) bad_provider = wharf_static_credentials_provider_new (bad);
  g_autoptr(WharfCallerIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  identity = who_am_i (provider, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (identity->account, ==, WHARF_SANDBOX_PRACTICE_ACCOUNT_ID);
  g_assert_cmpstr (identity->arn, ==, "arn:aws:iam::111122223333:user/wharf-practice");
  g_assert_true (g_str_has_prefix (identity->user_id, "AIDA"));

  g_assert_null (who_am_i (bad_provider, &error));
  g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_CREDENTIALS);
  g_assert_cmpstr (wharf_aws_error_get_aws_code (error), ==, "SignatureDoesNotMatch");
}

static WharfCallerIdentity *
who_is_client (WharfAwsClient  *client,
               const char      *endpoint,
               GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  wharf_caller_identity_lookup_for_client_async (client, endpoint, NULL,
                                                 wharf_test_result_cb, &result);
  wharf_test_wait_result (&result);
  return wharf_caller_identity_lookup_for_client_finish (result, error);
}

/* The STS endpoint of an ECR client's account: the environment's override, the profile's
 * [services] section, or the one given; signed with the client's provider. */
static void
test_caller_identity_for_client (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(WharfCredentials) creds =
    wharf_credentials_new (WHARF_SANDBOX_PRACTICE_ACCESS_KEY_ID,
                           WHARF_SANDBOX_PRACTICE_SECRET_ACCESS_KEY, NULL, NULL);
  g_autoptr(WharfCredentialsProvider) provider = wharf_static_credentials_provider_new (creds);
  g_autoptr(WharfAwsClient) client = NULL;
  g_autoptr(WharfCallerIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *url = g_strdup (wharf_sandbox_get_url (f->sandbox));

  client = wharf_aws_client_new ("ecr", "AmazonEC2ContainerRegistry_V20150921", "api.ecr",
                                 "eu-west-1", provider);

  /* AWS_ENDPOINT_URL_STS (the fixture's) */
  identity = who_is_client (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (identity->account, ==, WHARF_SANDBOX_PRACTICE_ACCOUNT_ID);
  g_assert_cmpstr (identity->arn, ==, "arn:aws:iam::111122223333:user/wharf-practice");
  g_clear_pointer (&identity, wharf_caller_identity_free);

  /* Without it the profile's services section decides; a profile's plain-http endpoint to
   * another host is refused before anything is sent. */
  g_unsetenv ("AWS_ENDPOINT_URL_STS");
  config = g_strdup_printf ("[profile local]\nservices = here\n"
                            "[services here]\nsts =\n  endpoint_url = %s\n"
                            "[profile plain]\nendpoint_url = http://sts.example.com\n",
                            url);
  write_config (f, config);
  wharf_aws_client_set_profile (client, "local");
  identity = who_is_client (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (identity->account, ==, WHARF_SANDBOX_PRACTICE_ACCOUNT_ID);
  g_clear_pointer (&identity, wharf_caller_identity_free);

  wharf_aws_client_set_profile (client, "plain");
  g_assert_null (who_is_client (client, NULL, &error));
  g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INSECURE_ENDPOINT);
  g_clear_error (&error);

  /* An explicit endpoint wins. */
  identity = who_is_client (client, url, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (identity->arn, ==, "arn:aws:iam::111122223333:user/wharf-practice");
}

static void
test_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WharfCredentials) creds = NULL;
  g_autoptr(WharfCallerIdentity) identity = NULL;
  const char *good =
    "<?xml version=\"1.0\"?>\n"
    "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
    "<AssumeRoleResult><AssumedRoleUser><Arn>arn</Arn><AssumedRoleId>id</AssumedRoleId>"
    "</AssumedRoleUser><Credentials><AccessKeyId>ASIAEXAMPLE</AccessKeyId>"
    "<SecretAccessKey>s&amp;cret</SecretAccessKey><SessionToken>tok</SessionToken>"
    "<Expiration>2026-11-27T10:00:00Z</Expiration></Credentials></AssumeRoleResult>"
    "</AssumeRoleResponse>";
  const char *bad[] = {
    "",
    "not xml",
    "<AssumeRoleResponse><AssumeRoleResult></AssumeRoleResult>",
    "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId>"
    "<SecretAccessKey>B</SecretAccessKey><SessionToken>C</SessionToken>"
    "<Expiration>tomorrow</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>",
    "<html><body>502 Bad Gateway</body></html>",
  };
  const char *denied =
    "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
    "<Message>No &lt;way&gt;</Message></Error><RequestId>r-1</RequestId></ErrorResponse>";
  GError *sts_error;

  creds = wharf_sts_parse_assume_role_response (good, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wharf_credentials_get_access_key_id (creds), ==, "ASIAEXAMPLE");
  g_assert_cmpstr (wharf_credentials_get_secret_access_key (creds), ==, "s&cret");
  g_assert_cmpstr (wharf_credentials_get_session_token (creds), ==, "tok");
  g_assert_cmpint (g_date_time_to_unix (wharf_credentials_get_expiration (creds)), ==,
                   1795773600);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(WharfCredentials) none = wharf_sts_parse_assume_role_response (bad[i], -1, &error);

      g_assert_null (none);
      g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_PROTOCOL);
      g_clear_error (&error);
    }

  identity = wharf_sts_parse_caller_identity_response (
    "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::1:user/x</Arn>"
    "<UserId>AIDA</UserId><Account>123456789012</Account></GetCallerIdentityResult>"
    "</GetCallerIdentityResponse>", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (identity->account, ==, "123456789012");

  sts_error = wharf_sts_error_from_response (403, denied, strlen (denied));
  g_assert_error (sts_error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_ACCESS_DENIED);
  g_assert_cmpstr (wharf_aws_error_get_aws_code (sts_error), ==, "AccessDenied");
  g_assert_cmpstr (wharf_aws_error_get_aws_message (sts_error), ==, "No <way>");
  g_assert_cmpstr (wharf_aws_error_get_request_id (sts_error), ==, "r-1");
  g_assert_cmpuint (wharf_aws_error_get_http_status (sts_error), ==, 403);
  g_clear_error (&sts_error);

  sts_error = wharf_sts_error_from_response (503, "<html>busy</html>", 17);
  g_assert_error (sts_error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_SERVER);
  g_clear_error (&sts_error);
}

static void
test_endpoints (void)
{
  g_autoptr(WharfAwsConfig) config = wharf_aws_config_new ();
  g_autoptr(GError) error = NULL;
  struct {
    const char *profile;
    const char *region;
    const char *url;
    const char *signing_region;
  } cases[] = {
    { "regional", "eu-west-1", "https://sts.eu-west-1.amazonaws.com", "eu-west-1" },
    { "regional", NULL, "https://sts.amazonaws.com", "us-east-1" },
    { "legacy", "eu-west-1", "https://sts.amazonaws.com", "us-east-1" },
    { "legacy", "af-south-1", "https://sts.af-south-1.amazonaws.com", "af-south-1" },
    { "regional", "cn-north-1", "https://sts.cn-north-1.amazonaws.com.cn", "cn-north-1" },
    { "custom", "eu-west-1", "http://127.0.0.1:4566", "eu-west-1" },
  };

  wharf_test_clear_aws_env ();
  g_assert_true (wharf_aws_config_load_data (config,
                                             "[profile regional]\n"
                                             "[profile legacy]\nsts_regional_endpoints = legacy\n"
                                             "[profile custom]\nservices = local\n"
                                             "[services local]\nsts =\n"
                                             "  endpoint_url = http://127.0.0.1:4566\n",
                                             -1, WHARF_AWS_CONFIG_FILE_CONFIG, "test", &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *signing = NULL;
      g_autofree char *url = wharf_sts_resolve_endpoint (config, cases[i].profile, cases[i].region,
                                                         &signing, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (url, ==, cases[i].url);
      g_assert_cmpstr (signing, ==, cases[i].signing_region);
    }

  /* The AWS CLI's service-specific variable wins; http only to loopback. */
  g_setenv ("AWS_ENDPOINT_URL", "http://127.0.0.1:1111", TRUE);
  g_setenv ("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:2222/", TRUE);
  {
    g_autofree char *url = wharf_sts_resolve_endpoint (config, "custom", "eu-west-1", NULL,
                                                       &error);
    g_assert_no_error (error);
    g_assert_cmpstr (url, ==, "http://127.0.0.1:2222");
  }
  g_setenv ("AWS_ENDPOINT_URL_STS", "http://sts.example.com", TRUE);
  {
    g_autofree char *url = wharf_sts_resolve_endpoint (config, "custom", "eu-west-1", NULL,
                                                       &error);
    g_assert_null (url);
    g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INSECURE_ENDPOINT);
    g_clear_error (&error);
  }
  wharf_test_clear_aws_env ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sts/parse", test_parse);
  g_test_add_func ("/sts/endpoints", test_endpoints);
  g_test_add ("/sts/caller-identity/keys", Fixture, NULL, fixture_setup, test_caller_identity_keys,
              fixture_teardown);
  g_test_add ("/sts/caller-identity/for-client", Fixture, NULL, fixture_setup,
              test_caller_identity_for_client, fixture_teardown);
  g_test_add ("/sts/assume-role/source-profile", Fixture, NULL, fixture_setup,
              test_source_profile, fixture_teardown);
  g_test_add ("/sts/assume-role/environment", Fixture, NULL, fixture_setup, test_environment,
              fixture_teardown);
  g_test_add ("/sts/assume-role/external-id", Fixture, NULL, fixture_setup, test_external_id,
              fixture_teardown);
  g_test_add ("/sts/assume-role/mfa", Fixture, NULL, fixture_setup, test_mfa, fixture_teardown);
  g_test_add ("/sts/assume-role/chained", Fixture, NULL, fixture_setup, test_chained,
              fixture_teardown);
  g_test_add ("/sts/assume-role/cycle", Fixture, NULL, fixture_setup, test_cycle,
              fixture_teardown);
  g_test_add ("/sts/assume-role/refresh", Fixture, NULL, fixture_setup, test_refresh,
              fixture_teardown);
  g_test_add ("/sts/assume-role/session-token-checked", Fixture, NULL, fixture_setup,
              test_session_token_checked, fixture_teardown);

  return g_test_run ();
}
