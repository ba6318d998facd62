/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-container-login"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "wharf-container-login.h"
#include "wharf-test-utils.h"

#define SERVER   "111122223333.dkr.ecr.us-east-1.amazonaws.com"
#define PASSWORD "eyJwYXlsb2FkIjoic2VjcmV0In0=.with spaces and 'quotes'"

/* The fake programs in tests/fake-bin record into this file; set up once in main(), before
 * any thread exists, because the environment is not thread-safe. */
static char *log_path;
static char *fail_path;

typedef struct
{
  char *log_path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->log_path = log_path;
  g_remove (log_path);
  g_remove (fail_path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_remove (log_path);
  g_remove (fail_path);
}

static gboolean
run_login_to (const char  *program,
              const char  *server,
              char       **output,
              GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  wharf_container_login_async (program, "AWS", PASSWORD, server, NULL, wharf_test_result_cb,
                               &result);
  wharf_test_wait_result (&result);

  return wharf_container_login_finish (result, output, error);
}

static gboolean
run_login (const char  *program,
           char       **output,
           GError     **error)
{
  return run_login_to (program, SERVER, output, error);
}

static JsonObject *
read_single_record (const char *path)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (g_strstrip (contents), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  json_parser_load_from_data (parser, lines[0], -1, &error);
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
check_password_on_stdin_only (JsonObject *record,
                              const char *program)
{
  JsonArray *argv = json_object_get_array_member (record, "argv");

  g_assert_cmpstr (json_object_get_string_member (record, "program"), ==, program);
  g_assert_cmpstr (json_object_get_string_member (record, "stdin"), ==, PASSWORD);
  g_assert_cmpuint (json_array_get_length (argv), ==, 6);
  g_assert_cmpstr (json_array_get_string_element (argv, 1), ==, "login");
  g_assert_cmpstr (json_array_get_string_element (argv, 2), ==, "--username");
  g_assert_cmpstr (json_array_get_string_element (argv, 3), ==, "AWS");
  g_assert_cmpstr (json_array_get_string_element (argv, 4), ==, "--password-stdin");
  g_assert_cmpstr (json_array_get_string_element (argv, 5), ==, SERVER);
  for (guint i = 0; i < json_array_get_length (argv); i++)
    g_assert_null (strstr (json_array_get_string_element (argv, i), "eyJwYXlsb2Fk"));
}

static void
test_docker (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autofree char *program = wharf_container_login_find_program (WHARF_CONTAINER_TOOL_DOCKER);
  g_autofree char *output = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (program);
  g_assert_true (g_str_has_suffix (program, "fake-bin/docker"));

  g_assert_true (run_login (program, &output, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (output, ==, "Login Succeeded");

  record = read_single_record (fixture->log_path);
  check_password_on_stdin_only (record, "docker");
}

static void
test_podman (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autofree char *output = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(GError) error = NULL;

  /* A bare name is looked up on PATH. */
  g_assert_true (run_login ("podman", &output, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (output, ==, "Login Succeeded!");

  record = read_single_record (fixture->log_path);
  check_password_on_stdin_only (record, "podman");
}

static void
test_failure (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autofree char *output = NULL;
  g_autoptr(GError) error = NULL;

  wharf_test_write_file (fail_path, "Get \"https://" SERVER "/v2/\": denied");
  g_assert_false (run_login ("docker", &output, &error));
  g_assert_error (error, WHARF_CONTAINER_LOGIN_ERROR, WHARF_CONTAINER_LOGIN_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "Error response from daemon"));
  g_assert_nonnull (strstr (error->message, "denied"));
  g_assert_null (output);
}

static void
test_not_found (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (run_login ("/nonexistent/docker", NULL, &error));
  g_assert_error (error, WHARF_CONTAINER_LOGIN_ERROR, WHARF_CONTAINER_LOGIN_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (fixture->log_path, G_FILE_TEST_EXISTS));
}

static void
test_hostile_server (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* A server that would read as an option never reaches the program. */
  wharf_container_login_async ("docker", "AWS", PASSWORD, "--password=x", NULL,
                               wharf_test_result_cb, &result);
  wharf_test_wait_result (&result);
  g_assert_false (wharf_container_login_finish (result, NULL, &error));
  g_assert_error (error, WHARF_CONTAINER_LOGIN_ERROR, WHARF_CONTAINER_LOGIN_ERROR_INVALID);
  g_assert_false (g_file_test (fixture->log_path, G_FILE_TEST_EXISTS));
}

/* Practice mode: Podman logs in to the sandbox's loopback registry with
 * --tls-verify=false, the password still only on its standard input. */
static void
test_podman_practice (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autofree char *output = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *argv;

  g_assert_true (run_login_to ("podman", "127.0.0.1:41234", &output, &error));
  g_assert_no_error (error);

  record = read_single_record (fixture->log_path);
  argv = json_object_get_array_member (record, "argv");
  g_assert_cmpstr (json_object_get_string_member (record, "stdin"), ==, PASSWORD);
  g_assert_cmpuint (json_array_get_length (argv), ==, 7);
  g_assert_cmpstr (json_array_get_string_element (argv, 1), ==, "login");
  g_assert_cmpstr (json_array_get_string_element (argv, 2), ==, "--tls-verify=false");
  g_assert_cmpstr (json_array_get_string_element (argv, 6), ==, "127.0.0.1:41234");
  for (guint i = 0; i < json_array_get_length (argv); i++)
    g_assert_null (strstr (json_array_get_string_element (argv, i), "eyJwYXlsb2Fk"));
}

/* A pull that fails reports what the tool said; its argv names the image, with
 * --tls-verify=false for Podman and the practice registry. Nothing on stdin. */
static void
test_pull_failure (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *argv;

  wharf_test_write_file (fail_path, "manifest unknown");
  wharf_container_pull_async ("podman", "127.0.0.1:41234/hello-app:latest", NULL,
                              wharf_test_result_cb, &result);
  wharf_test_wait_result (&result);
  g_assert_false (wharf_container_pull_finish (result, NULL, &error));
  g_assert_error (error, WHARF_CONTAINER_LOGIN_ERROR, WHARF_CONTAINER_LOGIN_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "manifest unknown"));

  record = read_single_record (fixture->log_path);
  argv = json_object_get_array_member (record, "argv");
  g_assert_cmpuint (json_array_get_length (argv), ==, 4);
  g_assert_cmpstr (json_array_get_string_element (argv, 1), ==, "pull");
  g_assert_cmpstr (json_array_get_string_element (argv, 2), ==, "--tls-verify=false");
  g_assert_cmpstr (json_array_get_string_element (argv, 3), ==, "127.0.0.1:41234/hello-app:latest");
  g_assert_cmpstr (json_object_get_string_member (record, "stdin"), ==, "");
}

static void
test_pull_hostile_image (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  wharf_container_pull_async ("docker", "--all-tags", NULL, wharf_test_result_cb, &result);
  wharf_test_wait_result (&result);
  g_assert_false (wharf_container_pull_finish (result, NULL, &error));
  g_assert_error (error, WHARF_CONTAINER_LOGIN_ERROR, WHARF_CONTAINER_LOGIN_ERROR_INVALID);
  g_assert_false (g_file_test (fixture->log_path, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *tmpdir = NULL;
  g_autofree char *fake_bin = NULL;
  g_autofree char *path = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  wharf_test_set_deadline (20);
  tmpdir = wharf_test_make_tmp_dir ("wharf-login-XXXXXX");
  log_path = g_build_filename (tmpdir, "tool.jsonl", NULL);
  fail_path = g_strconcat (log_path, ".fail", NULL);
  fake_bin = g_test_build_filename (G_TEST_DIST, "fake-bin", NULL);
  path = g_strdup_printf ("%s:%s", fake_bin, g_getenv ("PATH"));
  g_setenv ("PATH", path, TRUE);
  g_setenv ("WHARF_FAKE_TOOL_LOG", log_path, TRUE);
  g_unsetenv ("WHARF_FAKE_TOOL_FAIL");

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/container-login/docker", test_docker);
  ADD ("/container-login/podman", test_podman);
  ADD ("/container-login/failure", test_failure);
  ADD ("/container-login/not-found", test_not_found);
  ADD ("/container-login/hostile-server", test_hostile_server);
  ADD ("/container-login/podman-practice", test_podman_practice);
  ADD ("/container-login/pull-failure", test_pull_failure);
  ADD ("/container-login/pull-hostile-image", test_pull_hostile_image);
#undef ADD

  status = g_test_run ();

  g_rmdir (tmpdir);
  g_free (log_path);
  g_free (fail_path);

  return status;
}
