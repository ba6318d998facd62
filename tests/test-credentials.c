/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-credentials"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "wharf-credentials.h"
#include "wharf-test-utils.h"

typedef struct
{
  char *dir;
  char *config_path;
  char *credentials_path;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  wharf_test_clear_aws_env ();
  /* A space in the folder name: credential_process must quote it right. */
  f->dir = wharf_test_make_tmp_dir ("wharf-creds XXXXXX");
  f->config_path = g_build_filename (f->dir, "config", NULL);
  f->credentials_path = g_build_filename (f->dir, "credentials", NULL);
  g_setenv ("AWS_CONFIG_FILE", f->config_path, TRUE);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", f->credentials_path, TRUE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  wharf_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->config_path);
  g_free (f->credentials_path);
  wharf_test_clear_aws_env ();
}

typedef struct
{
  gboolean          done;
  WharfCredentials *creds;
  GError           *error;
} Result;

static void
got_credentials_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Result *r = user_data;

  r->creds = wharf_credentials_provider_get_credentials_finish (WHARF_CREDENTIALS_PROVIDER (source),
                                                                result, &r->error);
  r->done = TRUE;
}

static WharfCredentials *
get_credentials (WharfCredentialsProvider  *provider,
                 GError                   **error)
{
  Result r = { 0 };

  wharf_credentials_provider_get_credentials_async (provider, NULL, got_credentials_cb, &r);
  wharf_test_wait_for (r.done);
  g_assert_true ((r.creds == NULL) != (r.error == NULL));
  if (r.error != NULL)
    g_propagate_error (error, r.error);
  return r.creds;
}

/* A credential_process helper: counts its runs in <dir>/count, checks that its one
 * argument arrived whole, and prints <dir>/expiration as the Expiration. */
static char *
write_helper (Fixture    *f,
              const char *body)
{
  g_autofree char *path = g_build_filename (f->dir, "aws helper.sh", NULL);
  g_autofree char *script = g_strdup_printf ("#!/bin/sh\n"
                                             "cd \"$(dirname \"$0\")\" || exit 9\n"
                                             "echo x >> count\n"
                                             "%s\n", body);
  g_autofree char *quoted = g_shell_quote (path);

  wharf_test_write_file_mode (path, script, 0755);
  return g_strdup_printf ("%s --profile 'team a'", quoted);
}

static void
write_config_with_process (Fixture    *f,
                           const char *command)
{
  g_autofree char *config = g_strdup_printf ("[default]\nregion = eu-west-1\n\n"
                                             "[profile helper]\ncredential_process = %s\n",
                                             command);
  wharf_test_write_file_mode (f->config_path, config, 0600);
}

static guint
run_count (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "count", NULL);
  g_autofree char *text = NULL;
  guint n = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  for (const char *c = text; *c != '\0'; c++)
    n += *c == '\n';
  return n;
}

static char *
iso_in (GTimeSpan from_now)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add (now, from_now);

  return g_date_time_format (then, "%Y-%m-%dT%H:%M:%SZ");
}

#define GOOD_JSON_SCRIPT \
  "[ \"$1\" = --profile ] && [ \"$2\" = 'team a' ] || { echo \"bad args: $*\" >&2; exit 4; }\n" \
  "exp=$(cat expiration 2>/dev/null)\n" \
  "printf '{\"Version\": 1, \"AccessKeyId\": \"ASIAPROCESS%s\", " \
  "\"SecretAccessKey\": \"process-secret\", \"SessionToken\": \"process-token\"" \
  "%s}\\n' \"$(wc -l < count | tr -d ' ')\" \"${exp:+, \\\"Expiration\\\": \\\"$exp\\\"}\""

/* Tests */

static void
test_boxed (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) soon = g_date_time_add_minutes (now, 3);
  g_autoptr(GDateTime) later = g_date_time_add_hours (now, 2);
  g_autoptr(WharfCredentials) a = wharf_credentials_new ("AKID", "secret", "", NULL);
  g_autoptr(WharfCredentials) b = wharf_credentials_new ("AKID", "secret", "token", soon);
  g_autoptr(WharfCredentials) c = wharf_credentials_new ("AKID", "secret", NULL, later);
  WharfCredentials *copy;

  g_assert_cmpstr (wharf_credentials_get_access_key_id (a), ==, "AKID");
  g_assert_cmpstr (wharf_credentials_get_secret_access_key (a), ==, "secret");
  g_assert_null (wharf_credentials_get_session_token (a));  /* empty means none */
  g_assert_null (wharf_credentials_get_expiration (a));
  g_assert_false (wharf_credentials_expires_within (a, NULL, WHARF_CREDENTIALS_REFRESH_MARGIN));

  g_assert_cmpstr (wharf_credentials_get_session_token (b), ==, "token");
  g_assert_true (wharf_credentials_expires_within (b, NULL, WHARF_CREDENTIALS_REFRESH_MARGIN));
  g_assert_false (wharf_credentials_expires_within (b, NULL, 0));
  g_assert_false (wharf_credentials_expires_within (c, NULL, WHARF_CREDENTIALS_REFRESH_MARGIN));

  copy = g_boxed_copy (WHARF_TYPE_CREDENTIALS, c);
  g_assert_true (copy == c);
  g_boxed_free (WHARF_TYPE_CREDENTIALS, copy);
  g_assert_cmpstr (wharf_credentials_get_access_key_id (c), ==, "AKID");
}

static void
test_static_provider (void)
{
  g_autoptr(WharfCredentials) creds = wharf_credentials_new ("AKIDSTATIC", "s", NULL, NULL);
  g_autoptr(WharfCredentialsProvider) provider = wharf_static_credentials_provider_new (creds);
  g_autoptr(GError) error = NULL;
  g_autoptr(WharfCredentials) got = get_credentials (provider, &error);

  g_assert_no_error (error);
  g_assert_true (got == creds);
  wharf_credentials_provider_invalidate (provider);  /* no-op, must not crash */
}

static void
test_environment (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  wharf_test_write_file_mode (f->credentials_path,
                              "[default]\naws_access_key_id = AKIAPROFILE\n"
                              "aws_secret_access_key = p\n"
                              "[other]\naws_access_key_id = AKIAOTHER\n"
                              "aws_secret_access_key = o\n", 0600);
  g_setenv ("AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT", TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", "env-secret", TRUE);
  g_setenv ("AWS_SESSION_TOKEN", "env-token", TRUE);

  {
    g_autoptr(WharfCredentialsProvider) provider = wharf_default_credentials_provider_new (NULL);
    g_autoptr(WharfCredentials) creds = get_credentials (provider, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (wharf_credentials_get_access_key_id (creds), ==, "AKIAENVIRONMENT");
    g_assert_cmpstr (wharf_credentials_get_secret_access_key (creds), ==, "env-secret");
    g_assert_cmpstr (wharf_credentials_get_session_token (creds), ==, "env-token");
    g_assert_nonnull (wharf_credentials_get_source (creds));
  }

  /* The environment beats AWS_PROFILE (as in the CLI) … */
  g_setenv ("AWS_PROFILE", "other", TRUE);
  {
    g_autoptr(WharfCredentialsProvider) provider = wharf_default_credentials_provider_new (NULL);
    g_autoptr(WharfCredentials) creds = get_credentials (provider, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (wharf_credentials_get_access_key_id (creds), ==, "AKIAENVIRONMENT");
  }

  /* … but not a profile chosen explicitly (aws --profile). */
  {
    g_autoptr(WharfCredentialsProvider) provider = wharf_default_credentials_provider_new ("other");
    g_autoptr(WharfCredentials) creds = get_credentials (provider, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (wharf_credentials_get_access_key_id (creds), ==, "AKIAOTHER");
    g_assert_null (wharf_credentials_get_session_token (creds));
  }

  /* Half a key pair is an error, not a silent fall-through to another identity. */
  g_unsetenv ("AWS_SECRET_ACCESS_KEY");
  {
    g_autoptr(WharfCredentialsProvider) provider = wharf_default_credentials_provider_new (NULL);
    g_autoptr(WharfCredentials) creds = get_credentials (provider, &error);

    g_assert_null (creds);
    g_assert_error (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_INCOMPLETE);
    g_assert_nonnull (strstr (error->message, "AWS_SECRET_ACCESS_KEY"));
    g_clear_error (&error);
  }
}

static void
test_profile (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  wharf_test_write_file_mode (f->config_path,
                              "[default]\nregion = eu-west-1\n"
                              "[profile from-config]\naws_access_key_id = AKIACONFIG\n"
                              "aws_secret_access_key = config-secret\n"
                              "[profile both]\ncredential_process = /bin/false\n", 0600);
  wharf_test_write_file_mode (f->credentials_path,
                              "[default]\naws_access_key_id = AKIADEFAULT\n"
                              "aws_secret_access_key = default-secret\n"
                              "aws_session_token = default-token\n"
                              "[both]\naws_access_key_id = AKIABOTH\n"
                              "aws_secret_access_key = both-secret\n", 0600);

  {
    g_autoptr(WharfCredentialsProvider) provider = wharf_default_credentials_provider_new (NULL);
    g_autoptr(WharfCredentials) creds = get_credentials (provider, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (wharf_credentials_get_access_key_id (creds), ==, "AKIADEFAULT");
    g_assert_cmpstr (wharf_credentials_get_secret_access_key (creds), ==, "default-secret");
    g_assert_cmpstr (wharf_credentials_get_session_token (creds), ==, "default-token");
    g_assert_null (wharf_credentials_get_expiration (creds));
  }

  g_setenv ("AWS_PROFILE", "from-config", TRUE);
  {
    g_autoptr(WharfCredentialsProvider) provider = wharf_default_credentials_provider_new (NULL);
    g_autoptr(WharfCredentials) creds = get_credentials (provider, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (wharf_credentials_get_access_key_id (creds), ==, "AKIACONFIG");
  }

  /* Keys in the credentials file come before credential_process (which would fail). */
  {
    g_autoptr(WharfCredentialsProvider) provider = wharf_default_credentials_provider_new ("both");
    g_autoptr(WharfCredentials) creds = get_credentials (provider, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (wharf_credentials_get_access_key_id (creds), ==, "AKIABOTH");
  }
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* No files at all */
  {
    g_autoptr(WharfCredentialsProvider) provider = wharf_default_credentials_provider_new (NULL);
    g_autoptr(WharfCredentials) creds = get_credentials (provider, &error);

    g_assert_null (creds);
    g_assert_error (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_NOT_FOUND);
    /* The message names what was tried. */
    g_assert_nonnull (strstr (error->message, "AWS_ACCESS_KEY_ID"));
    g_assert_nonnull (strstr (error->message, f->config_path));
    g_assert_nonnull (strstr (error->message, f->credentials_path));
    g_clear_error (&error);
  }

  wharf_test_write_file_mode (f->config_path, "[default]\nregion = eu-west-1\n", 0600);
  {
    g_autoptr(WharfCredentialsProvider) provider = wharf_default_credentials_provider_new (NULL);
    g_autoptr(WharfCredentials) creds = get_credentials (provider, &error);

    g_assert_null (creds);
    g_assert_error (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "credential_process"));
    g_clear_error (&error);
  }

  g_setenv ("AWS_PROFILE", "typo", TRUE);
  {
    g_autoptr(WharfCredentialsProvider) provider = wharf_default_credentials_provider_new (NULL);
    g_autoptr(WharfCredentials) creds = get_credentials (provider, &error);

    g_assert_null (creds);
    g_assert_error (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_PROFILE_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "typo"));
    g_clear_error (&error);
  }

  /* A broken config file is reported as such. */
  wharf_test_write_file_mode (f->config_path, "[default]\nthis is not a setting\n", 0600);
  {
    g_autoptr(WharfCredentialsProvider) provider = wharf_default_credentials_provider_new (NULL);
    g_autoptr(WharfCredentials) creds = get_credentials (provider, &error);

    g_assert_null (creds);
    g_assert_error (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_CONFIG);
    g_assert_nonnull (strstr (error->message, "line 2"));
    g_clear_error (&error);
  }
}

static void
test_unsupported (Fixture       *f,
                  gconstpointer  data)
{
  /* SSO and role profiles work now (tests/test-sso.c, tests/test-sts.c). */
  const char *profiles[] = { "web" };
  const char *words[] = { "web identity" };

  wharf_test_write_file_mode (f->config_path,
                              "[profile sso]\nsso_session = corp\nsso_account_id = 111122223333\n"
                              "sso_role_name = Dev\n[sso-session corp]\n"
                              "sso_start_url = https://corp.awsapps.com/start\n"
                              "[profile role]\nrole_arn = arn:aws:iam::111122223333:role/Dev\n"
                              "source_profile = default\n"
                              "[profile web]\nrole_arn = arn:aws:iam::111122223333:role/Ci\n"
                              "web_identity_token_file = /tmp/token\n", 0600);
  wharf_test_write_file_mode (f->credentials_path,
                              "[default]\naws_access_key_id = AKIADEFAULT\n"
                              "aws_secret_access_key = s\n"
                              "[role]\naws_access_key_id = AKIAROLEKEYS\n"
                              "aws_secret_access_key = s\n", 0600);

  for (guint i = 0; i < G_N_ELEMENTS (profiles); i++)
    {
      g_autoptr(WharfCredentialsProvider) provider =
        wharf_default_credentials_provider_new (profiles[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(WharfCredentials) creds = get_credentials (provider, &error);

      /* Never the profile's own keys instead of the role: that is another identity. */
      g_assert_null (creds);
      g_assert_error (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_UNSUPPORTED);
      g_assert_nonnull (strstr (error->message, words[i]));
      g_assert_nonnull (strstr (error->message, "not support yet"));
    }
}

static void
test_process_success (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *command = write_helper (f, GOOD_JSON_SCRIPT);
  g_autofree char *expiration_path = g_build_filename (f->dir, "expiration", NULL);
  g_autofree char *expires = iso_in (2 * G_TIME_SPAN_HOUR);
  g_autoptr(WharfCredentialsProvider) provider = NULL;
  g_autoptr(WharfCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *got_expiration = NULL;

  write_config_with_process (f, command);
  wharf_test_write_file_mode (expiration_path, expires, 0600);

  provider = wharf_default_credentials_provider_new ("helper");
  creds = get_credentials (provider, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wharf_credentials_get_access_key_id (creds), ==, "ASIAPROCESS1");
  g_assert_cmpstr (wharf_credentials_get_secret_access_key (creds), ==, "process-secret");
  g_assert_cmpstr (wharf_credentials_get_session_token (creds), ==, "process-token");
  g_assert_nonnull (wharf_credentials_get_expiration (creds));
  got_expiration = g_date_time_format (wharf_credentials_get_expiration (creds),
                                       "%Y-%m-%dT%H:%M:%SZ");
  g_assert_cmpstr (got_expiration, ==, expires);
  g_assert_nonnull (strstr (wharf_credentials_get_source (creds), "credential_process"));
  g_assert_cmpuint (run_count (f), ==, 1);
}

static void
test_process_failure (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *command =
    write_helper (f, "echo 'Your SSO token has expired; run: helper login' >&2\nexit 3");
  g_autoptr(WharfCredentialsProvider) provider = NULL;
  g_autoptr(WharfCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;

  write_config_with_process (f, command);
  provider = wharf_default_credentials_provider_new ("helper");
  creds = get_credentials (provider, &error);
  g_assert_null (creds);
  g_assert_error (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_PROCESS_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "exit status 3"));
  g_assert_nonnull (strstr (error->message, "Your SSO token has expired; run: helper login"));

  /* A program that does not exist */
  write_config_with_process (f, "/nonexistent/wharf-helper --x");
  g_clear_object (&provider);
  g_clear_error (&error);
  provider = wharf_default_credentials_provider_new ("helper");
  g_assert_null (get_credentials (provider, &error));
  g_assert_error (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_PROCESS_FAILED);
  g_assert_nonnull (strstr (error->message, "/nonexistent/wharf-helper"));
}

static void
expect_output_error (Fixture    *f,
                     const char *body,
                     int         code,
                     const char *message_part)
{
  g_autofree char *command = write_helper (f, body);
  g_autoptr(WharfCredentialsProvider) provider = NULL;
  g_autoptr(WharfCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;

  write_config_with_process (f, command);
  provider = wharf_default_credentials_provider_new ("helper");
  creds = get_credentials (provider, &error);
  g_assert_null (creds);
  g_assert_error (error, WHARF_CREDENTIALS_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, message_part));
  /* The secret never reaches the message. */
  g_assert_null (strstr (error->message, "leaky-secret"));
}

static void
test_process_bad_output (Fixture       *f,
                         gconstpointer  data)
{
  expect_output_error (f, "echo 'AccessKeyId=AKIA SecretAccessKey=leaky-secret'",
                       WHARF_CREDENTIALS_ERROR_PROCESS_OUTPUT, "JSON");
  expect_output_error (f, "echo '{\"Version\": 1, \"AccessKeyId\": \"AKIA\", "
                          "\"SecretAccessKey\": \"leaky-secret\"'",
                       WHARF_CREDENTIALS_ERROR_PROCESS_OUTPUT, "JSON");
  expect_output_error (f, "echo '[1, 2]'", WHARF_CREDENTIALS_ERROR_PROCESS_OUTPUT, "JSON");
  expect_output_error (f, "true", WHARF_CREDENTIALS_ERROR_PROCESS_OUTPUT, "JSON");
  expect_output_error (f, "echo '{\"AccessKeyId\": \"AKIA\", "
                          "\"SecretAccessKey\": \"leaky-secret\"}'",
                       WHARF_CREDENTIALS_ERROR_PROCESS_OUTPUT, "Version");
  expect_output_error (f, "echo '{\"Version\": 2, \"AccessKeyId\": \"AKIA\", "
                          "\"SecretAccessKey\": \"leaky-secret\"}'",
                       WHARF_CREDENTIALS_ERROR_PROCESS_OUTPUT, "Version");
  expect_output_error (f, "echo '{\"Version\": \"1\", \"AccessKeyId\": \"AKIA\", "
                          "\"SecretAccessKey\": \"leaky-secret\"}'",
                       WHARF_CREDENTIALS_ERROR_PROCESS_OUTPUT, "Version");
  expect_output_error (f, "echo '{\"Version\": 1, \"AccessKeyId\": \"AKIA\"}'",
                       WHARF_CREDENTIALS_ERROR_PROCESS_OUTPUT, "SecretAccessKey");
  expect_output_error (f, "echo '{\"Version\": 1, \"AccessKeyId\": \"AKIA\", "
                          "\"SecretAccessKey\": \"leaky-secret\", \"Expiration\": \"soon\"}'",
                       WHARF_CREDENTIALS_ERROR_PROCESS_OUTPUT, "Expiration");
  expect_output_error (f, "echo '{\"Version\": 1, \"AccessKeyId\": \"AKIA\", "
                          "\"SecretAccessKey\": \"leaky-secret\", \"Expiration\": "
                          "\"2001-01-01T00:00:00Z\"}'",
                       WHARF_CREDENTIALS_ERROR_EXPIRED, "2001-01-01");
}

static void
test_process_refresh (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *command = write_helper (f, GOOD_JSON_SCRIPT);
  g_autofree char *expiration_path = g_build_filename (f->dir, "expiration", NULL);
  g_autofree char *soon = iso_in (2 * G_TIME_SPAN_MINUTE);
  g_autofree char *later = iso_in (G_TIME_SPAN_HOUR);
  g_autoptr(WharfCredentialsProvider) provider = NULL;
  g_autoptr(GError) error = NULL;

  write_config_with_process (f, command);
  provider = wharf_default_credentials_provider_new ("helper");

  /* Expiring within the refresh margin: every request runs the helper again. */
  wharf_test_write_file_mode (expiration_path, soon, 0600);
  for (guint i = 1; i <= 2; i++)
    {
      g_autoptr(WharfCredentials) creds = get_credentials (provider, &error);
      g_autofree char *want = g_strdup_printf ("ASIAPROCESS%u", i);

      g_assert_no_error (error);
      g_assert_cmpstr (wharf_credentials_get_access_key_id (creds), ==, want);
      g_assert_cmpuint (run_count (f), ==, i);
    }

  /* Good for an hour: fetched once more, then served from the cache. */
  wharf_test_write_file_mode (expiration_path, later, 0600);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(WharfCredentials) creds = get_credentials (provider, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (wharf_credentials_get_access_key_id (creds), ==, "ASIAPROCESS3");
      g_assert_cmpuint (run_count (f), ==, 3);
    }

  /* invalidate() (say, after ExpiredTokenException) forces a new fetch. */
  wharf_credentials_provider_invalidate (provider);
  {
    g_autoptr(WharfCredentials) creds = get_credentials (provider, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (wharf_credentials_get_access_key_id (creds), ==, "ASIAPROCESS4");
  }
}

static void
test_caching_and_concurrency (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *command = write_helper (f, "sleep 0.3\n" GOOD_JSON_SCRIPT);
  g_autoptr(WharfCredentialsProvider) provider = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Result r[3] = { { 0 } };

  write_config_with_process (f, command);
  provider = wharf_default_credentials_provider_new ("helper");

  /* Three callers at once, one of whom gives up: the helper runs once. */
  wharf_credentials_provider_get_credentials_async (provider, NULL, got_credentials_cb, &r[0]);
  wharf_credentials_provider_get_credentials_async (provider, cancellable, got_credentials_cb,
                                                    &r[1]);
  wharf_credentials_provider_get_credentials_async (provider, NULL, got_credentials_cb, &r[2]);
  g_cancellable_cancel (cancellable);

  wharf_test_wait_for (r[1].done);
  g_assert_error (r[1].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (r[1].creds);
  g_clear_error (&r[1].error);

  wharf_test_wait_for (r[0].done);
  wharf_test_wait_for (r[2].done);
  g_assert_no_error (r[0].error);
  g_assert_no_error (r[2].error);
  g_assert_true (r[0].creds == r[2].creds);
  g_assert_cmpuint (run_count (f), ==, 1);

  /* No expiration: cached for good, even if the file changes. */
  write_config_with_process (f, "/bin/false");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(WharfCredentials) again = get_credentials (provider, &error);

    g_assert_no_error (error);
    g_assert_true (again == r[0].creds);
    g_assert_cmpuint (run_count (f), ==, 1);
  }

  wharf_credentials_unref (r[0].creds);
  wharf_credentials_unref (r[2].creds);
}

static void
process_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Result *r = user_data;

  r->creds = wharf_credential_process_run_finish (result, &r->error);
  r->done = TRUE;
}

static void
test_process_timeout (Fixture       *f,
                      gconstpointer  data)
{
  /* The sleep is a grandchild that keeps the pipes open after the shell is killed. */
  g_autofree char *command = write_helper (f, "sleep 5\necho '{}'");
  Result r = { 0 };

  wharf_credential_process_run_async (command, 1, NULL, process_done_cb, &r);
  wharf_test_wait_for (r.done);
  g_assert_null (r.creds);
  g_assert_error (r.error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_PROCESS_FAILED);
  g_assert_nonnull (strstr (r.error->message, "did not finish"));
  g_clear_error (&r.error);

  /* An unbalanced quote is reported, not run. */
  r.done = FALSE;
  wharf_credential_process_run_async ("/bin/echo 'unbalanced", 1, NULL, process_done_cb, &r);
  wharf_test_wait_for (r.done);
  g_assert_error (r.error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_PROCESS_FAILED);
  g_clear_error (&r.error);
}

static void
test_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WharfCredentials) minimal = NULL;
  const char *json = "{\"Version\": 1, \"AccessKeyId\": \"AKIA\", \"SecretAccessKey\": \"s\","
                     " \"SessionToken\": null, \"Expiration\": null, \"Extra\": [1]}";

  minimal = wharf_credential_process_parse (json, strlen (json), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wharf_credentials_get_access_key_id (minimal), ==, "AKIA");
  g_assert_null (wharf_credentials_get_session_token (minimal));
  g_assert_null (wharf_credentials_get_expiration (minimal));

  {
    const char *bad = "{\"Version\": 1, \"AccessKeyId\": \"AKIA\", \"SecretAccessKey\": \"s\","
                      " \"SessionToken\": 5}";
    g_autoptr(WharfCredentials) c = wharf_credential_process_parse (bad, strlen (bad), &error);
    g_assert_null (c);
    g_assert_error (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_PROCESS_OUTPUT);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  wharf_test_set_deadline (30);

  g_test_add_func ("/credentials/boxed", test_boxed);
  g_test_add_func ("/credentials/static-provider", test_static_provider);
  g_test_add_func ("/credentials/process/parse", test_parse);
#define ADD(path, fn) \
  g_test_add ("/credentials/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("environment", test_environment);
  ADD ("profile", test_profile);
  ADD ("not-found", test_not_found);
  ADD ("unsupported", test_unsupported);
  ADD ("process/success", test_process_success);
  ADD ("process/failure", test_process_failure);
  ADD ("process/bad-output", test_process_bad_output);
  ADD ("process/refresh", test_process_refresh);
  ADD ("process/timeout", test_process_timeout);
  ADD ("caching-and-concurrency", test_caching_and_concurrency);
#undef ADD

  return g_test_run ();
}
