/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-commands"

#include "config.h"

#include <glib.h>
#include <string.h>

#include "wharf-commands.h"

#define URI "111122223333.dkr.ecr.us-east-1.amazonaws.com/team/web-app"

static void
check_step (WharfContainerTool  tool,
            WharfCommandShell   shell,
            WharfCommandStep    step,
            const char         *expected)
{
  WharfCommandContext context = {
    .tool = tool,
    .shell = shell,
    .region = "us-east-1",
    .repository_uri = URI,
    .tag = "v1.2",
  };
  g_autofree char *text = wharf_commands_build_step (&context, step);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_push_guide_docker_posix (void)
{
  check_step (WHARF_CONTAINER_TOOL_DOCKER, WHARF_COMMAND_SHELL_POSIX, WHARF_COMMAND_STEP_LOGIN,
              "aws ecr get-login-password --region us-east-1 | docker login --username AWS "
              "--password-stdin 111122223333.dkr.ecr.us-east-1.amazonaws.com");
  check_step (WHARF_CONTAINER_TOOL_DOCKER, WHARF_COMMAND_SHELL_POSIX, WHARF_COMMAND_STEP_BUILD,
              "docker build -t web-app:v1.2 .");
  check_step (WHARF_CONTAINER_TOOL_DOCKER, WHARF_COMMAND_SHELL_POSIX, WHARF_COMMAND_STEP_TAG,
              "docker tag web-app:v1.2 " URI ":v1.2");
  check_step (WHARF_CONTAINER_TOOL_DOCKER, WHARF_COMMAND_SHELL_POSIX, WHARF_COMMAND_STEP_PUSH,
              "docker push " URI ":v1.2");
  check_step (WHARF_CONTAINER_TOOL_DOCKER, WHARF_COMMAND_SHELL_POSIX, WHARF_COMMAND_STEP_PULL,
              "docker pull " URI ":v1.2");
}

static void
test_push_guide_podman_posix (void)
{
  check_step (WHARF_CONTAINER_TOOL_PODMAN, WHARF_COMMAND_SHELL_POSIX, WHARF_COMMAND_STEP_LOGIN,
              "aws ecr get-login-password --region us-east-1 | podman login --username AWS "
              "--password-stdin 111122223333.dkr.ecr.us-east-1.amazonaws.com");
  check_step (WHARF_CONTAINER_TOOL_PODMAN, WHARF_COMMAND_SHELL_POSIX, WHARF_COMMAND_STEP_BUILD,
              "podman build -t web-app:v1.2 .");
  check_step (WHARF_CONTAINER_TOOL_PODMAN, WHARF_COMMAND_SHELL_POSIX, WHARF_COMMAND_STEP_PUSH,
              "podman push " URI ":v1.2");
  /* "auto" writes Docker's commands. */
  check_step (WHARF_CONTAINER_TOOL_AUTO, WHARF_COMMAND_SHELL_POSIX, WHARF_COMMAND_STEP_PUSH,
              "docker push " URI ":v1.2");
}

static void
test_push_guide_powershell (void)
{
  check_step (WHARF_CONTAINER_TOOL_DOCKER, WHARF_COMMAND_SHELL_POWERSHELL,
              WHARF_COMMAND_STEP_LOGIN,
              "aws ecr get-login-password --region us-east-1 | docker login --username AWS "
              "--password-stdin 111122223333.dkr.ecr.us-east-1.amazonaws.com");
  check_step (WHARF_CONTAINER_TOOL_PODMAN, WHARF_COMMAND_SHELL_POWERSHELL,
              WHARF_COMMAND_STEP_TAG,
              "podman tag web-app:v1.2 " URI ":v1.2");
}

static void
test_push_guide_options (void)
{
  WharfCommandContext context = {
    .tool = WHARF_CONTAINER_TOOL_DOCKER,
    .shell = WHARF_COMMAND_SHELL_POSIX,
    .region = "eu-west-3",
    .repository_uri = "111122223333.dkr.ecr.eu-west-3.amazonaws.com/app",
    .profile = "work account",
    .endpoint_url = "http://127.0.0.1:4566",
  };
  g_autofree char *login = NULL;
  g_autofree char *build = NULL;
  g_autofree char *ps_login = NULL;

  login = wharf_commands_build_step (&context, WHARF_COMMAND_STEP_LOGIN);
  g_assert_cmpstr (login, ==,
                   "aws ecr get-login-password --region eu-west-3 --profile 'work account' "
                   "--endpoint-url http://127.0.0.1:4566 | docker login --username AWS "
                   "--password-stdin 111122223333.dkr.ecr.eu-west-3.amazonaws.com");

  /* Without a tag the guide uses "latest"; the local name is the repository's. */
  build = wharf_commands_build_step (&context, WHARF_COMMAND_STEP_BUILD);
  g_assert_cmpstr (build, ==, "docker build -t app:latest .");

  context.shell = WHARF_COMMAND_SHELL_POWERSHELL;
  context.profile = "it's mine";
  ps_login = wharf_commands_build_step (&context, WHARF_COMMAND_STEP_LOGIN);
  g_assert_true (g_str_has_prefix (ps_login, "aws ecr get-login-password --region eu-west-3 "
                                             "--profile 'it''s mine' "));
}

#define PRACTICE_URI "127.0.0.1:41234/hello-app"

static char *
practice_step (WharfContainerTool  tool,
               WharfCommandShell   shell,
               WharfCommandStep    step)
{
  WharfCommandContext context = {
    .tool = tool,
    .shell = shell,
    .region = "us-east-1",
    .repository_uri = PRACTICE_URI,
    .endpoint_url = "http://127.0.0.1:41234",
  };

  return wharf_commands_build_step (&context, step);
}

/* Practice mode: every command names the sandbox's registry; Podman gets
 * --tls-verify=false for login, push and pull (it speaks plain HTTP), Docker needs
 * nothing (it allows loopback registries over HTTP by itself). */
static void
test_push_guide_practice (void)
{
  static const struct {
    WharfContainerTool tool;
    WharfCommandShell shell;
    WharfCommandStep step;
    const char *expected;
  } cases[] = {
    { WHARF_CONTAINER_TOOL_PODMAN, WHARF_COMMAND_SHELL_POSIX, WHARF_COMMAND_STEP_LOGIN,
      "aws ecr get-login-password --region us-east-1 --endpoint-url http://127.0.0.1:41234 | "
      "podman login --tls-verify=false --username AWS --password-stdin 127.0.0.1:41234" },
    { WHARF_CONTAINER_TOOL_PODMAN, WHARF_COMMAND_SHELL_POSIX, WHARF_COMMAND_STEP_BUILD,
      "podman build -t hello-app:latest ." },
    { WHARF_CONTAINER_TOOL_PODMAN, WHARF_COMMAND_SHELL_POSIX, WHARF_COMMAND_STEP_TAG,
      "podman tag hello-app:latest " PRACTICE_URI ":latest" },
    { WHARF_CONTAINER_TOOL_PODMAN, WHARF_COMMAND_SHELL_POSIX, WHARF_COMMAND_STEP_PUSH,
      "podman push --tls-verify=false " PRACTICE_URI ":latest" },
    { WHARF_CONTAINER_TOOL_PODMAN, WHARF_COMMAND_SHELL_POWERSHELL, WHARF_COMMAND_STEP_PULL,
      "podman pull --tls-verify=false " PRACTICE_URI ":latest" },
    { WHARF_CONTAINER_TOOL_DOCKER, WHARF_COMMAND_SHELL_POSIX, WHARF_COMMAND_STEP_LOGIN,
      "aws ecr get-login-password --region us-east-1 --endpoint-url http://127.0.0.1:41234 | "
      "docker login --username AWS --password-stdin 127.0.0.1:41234" },
    { WHARF_CONTAINER_TOOL_DOCKER, WHARF_COMMAND_SHELL_POSIX, WHARF_COMMAND_STEP_PUSH,
      "docker push " PRACTICE_URI ":latest" },
    { WHARF_CONTAINER_TOOL_AUTO, WHARF_COMMAND_SHELL_POSIX, WHARF_COMMAND_STEP_PULL,
      "docker pull " PRACTICE_URI ":latest" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = practice_step (cases[i].tool, cases[i].shell, cases[i].step);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

/* ECR's registry is never loopback: no --tls-verify=false for AWS, whatever the tool. */
static void
test_push_guide_aws_verifies_tls (void)
{
  for (WharfCommandStep step = 0; step < WHARF_COMMAND_N_STEPS; step++)
    {
      WharfCommandContext context = {
        .tool = WHARF_CONTAINER_TOOL_PODMAN,
        .shell = WHARF_COMMAND_SHELL_POSIX,
        .region = "us-east-1",
        .repository_uri = URI,
      };
      g_autofree char *text = wharf_commands_build_step (&context, step);

      g_assert_null (strstr (text, "tls-verify"));
    }
}

static void
test_loopback_host (void)
{
  static const struct {
    const char *host;
    gboolean loopback;
  } cases[] = {
    { "127.0.0.1:41234", TRUE },
    { "127.0.0.1", TRUE },
    { "127.1.2.3:5000", TRUE },
    { "localhost:5000", TRUE },
    { "LOCALHOST", TRUE },
    { "[::1]:5000", TRUE },
    { "111122223333.dkr.ecr.us-east-1.amazonaws.com", FALSE },
    { "127.0.0.1.example.com", FALSE },
    { "127.0.0.256", FALSE },
    { "localhost.example.com", FALSE },
    { "[::2]:5000", FALSE },
    { "10.0.0.1:5000", FALSE },
    { "", FALSE },
    { NULL, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (wharf_commands_is_loopback_host (cases[i].host), ==, cases[i].loopback);
}

static void
test_practice_pull_and_login (void)
{
  g_autofree char *podman = wharf_commands_pull (WHARF_CONTAINER_TOOL_PODMAN,
                                                 WHARF_COMMAND_SHELL_POSIX,
                                                 PRACTICE_URI "@sha256:ab");
  g_autofree char *docker = wharf_commands_pull (WHARF_CONTAINER_TOOL_DOCKER,
                                                 WHARF_COMMAND_SHELL_POSIX,
                                                 PRACTICE_URI ":latest");
  g_auto(GStrv) podman_argv = wharf_commands_login_argv ("/usr/bin/podman", "AWS",
                                                         "127.0.0.1:41234");
  g_auto(GStrv) docker_argv = wharf_commands_login_argv ("/usr/bin/docker", "AWS",
                                                         "127.0.0.1:41234");
  g_auto(GStrv) aws_argv = wharf_commands_login_argv ("podman", "AWS",
                                                      "111122223333.dkr.ecr.us-east-1.amazonaws.com");
  const char *podman_expected[] = { "/usr/bin/podman", "login", "--tls-verify=false",
                                    "--username", "AWS", "--password-stdin",
                                    "127.0.0.1:41234", NULL };
  const char *docker_expected[] = { "/usr/bin/docker", "login", "--username", "AWS",
                                    "--password-stdin", "127.0.0.1:41234", NULL };
  const char *aws_expected[] = { "podman", "login", "--username", "AWS", "--password-stdin",
                                 "111122223333.dkr.ecr.us-east-1.amazonaws.com", NULL };

  g_assert_cmpstr (podman, ==, "podman pull --tls-verify=false " PRACTICE_URI "@sha256:ab");
  g_assert_cmpstr (docker, ==, "docker pull " PRACTICE_URI ":latest");
  g_assert_cmpstrv (podman_argv, podman_expected);
  g_assert_cmpstrv (docker_argv, docker_expected);
  g_assert_cmpstrv (aws_argv, aws_expected);
}

static void
test_pull_argv (void)
{
  g_auto(GStrv) practice = wharf_commands_pull_argv ("/usr/bin/podman", PRACTICE_URI ":latest");
  g_auto(GStrv) docker = wharf_commands_pull_argv ("docker", PRACTICE_URI ":latest");
  g_auto(GStrv) aws = wharf_commands_pull_argv ("podman", URI ":v1");
  const char *practice_expected[] = { "/usr/bin/podman", "pull", "--tls-verify=false",
                                      PRACTICE_URI ":latest", NULL };
  const char *docker_expected[] = { "docker", "pull", PRACTICE_URI ":latest", NULL };
  const char *aws_expected[] = { "podman", "pull", URI ":v1", NULL };

  g_assert_cmpstrv (practice, practice_expected);
  g_assert_cmpstrv (docker, docker_expected);
  g_assert_cmpstrv (aws, aws_expected);
}

static void
test_quote (void)
{
  static const struct {
    WharfCommandShell shell;
    const char *in;
    const char *out;
  } cases[] = {
    { WHARF_COMMAND_SHELL_POSIX, "plain-word_1.0", "plain-word_1.0" },
    { WHARF_COMMAND_SHELL_POSIX, "a/b:c@sha256:ff", "a/b:c@sha256:ff" },
    { WHARF_COMMAND_SHELL_POSIX, "", "''" },
    { WHARF_COMMAND_SHELL_POSIX, "two words", "'two words'" },
    { WHARF_COMMAND_SHELL_POSIX, "it's", "'it'\\''s'" },
    { WHARF_COMMAND_SHELL_POSIX, "$(rm -rf ~)", "'$(rm -rf ~)'" },
    { WHARF_COMMAND_SHELL_POSIX, "`x`;y|z&", "'`x`;y|z&'" },
    { WHARF_COMMAND_SHELL_POWERSHELL, "plain", "plain" },
    { WHARF_COMMAND_SHELL_POWERSHELL, "it's", "'it''s'" },
    { WHARF_COMMAND_SHELL_POWERSHELL, "$env:HOME", "'$env:HOME'" },
    { WHARF_COMMAND_SHELL_POWERSHELL, "@splat", "'@splat'" },
    { WHARF_COMMAND_SHELL_POWERSHELL, "a,b", "'a,b'" },
    { WHARF_COMMAND_SHELL_POSIX, "a,b", "a,b" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *quoted = wharf_commands_quote (cases[i].shell, cases[i].in);

      g_assert_cmpstr (quoted, ==, cases[i].out);
    }
}

static void
test_image_uri (void)
{
  g_autofree char *by_tag = wharf_commands_image_uri (URI, "latest", "sha256:ab");
  g_autofree char *by_digest = wharf_commands_image_uri (URI, NULL, "sha256:ab");
  g_autofree char *host = wharf_commands_registry_host (URI);
  g_autofree char *name = wharf_commands_repository_name (URI);
  g_autofree char *pull = wharf_commands_pull (WHARF_CONTAINER_TOOL_PODMAN,
                                               WHARF_COMMAND_SHELL_POSIX, by_digest);

  g_assert_cmpstr (by_tag, ==, URI ":latest");
  g_assert_cmpstr (by_digest, ==, URI "@sha256:ab");
  g_assert_cmpstr (host, ==, "111122223333.dkr.ecr.us-east-1.amazonaws.com");
  g_assert_cmpstr (name, ==, "team/web-app");
  g_assert_cmpstr (pull, ==, "podman pull " URI "@sha256:ab");
}

static void
test_login_argv (void)
{
  g_auto(GStrv) argv = wharf_commands_login_argv ("/usr/bin/docker", "AWS",
                                                  "111122223333.dkr.ecr.us-east-1.amazonaws.com");
  const char *expected[] = { "/usr/bin/docker", "login", "--username", "AWS",
                             "--password-stdin",
                             "111122223333.dkr.ecr.us-east-1.amazonaws.com", NULL };

  g_assert_cmpstrv (argv, expected);
}

static void
test_endpoint_host (void)
{
  static const struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "https://111122223333.dkr.ecr.us-east-1.amazonaws.com", "111122223333.dkr.ecr.us-east-1.amazonaws.com" },
    { "https://host.example:8443/v2/", "host.example:8443" },
    { "host.example", "host.example" },
    { "https://user@evil", NULL },
    { "https://", NULL },
    { "", NULL },
    { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *host = wharf_commands_endpoint_host (cases[i].in);

      g_assert_cmpstr (host, ==, cases[i].out);
    }
}

static void
test_csv_field (void)
{
  static const struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "CVE-2024-0001", "CVE-2024-0001" },
    { "a, b", "\"a, b\"" },
    { "say \"hi\"", "\"say \"\"hi\"\"\"" },
    { "line\nbreak", "\"line\nbreak\"" },
    { " padded", "\" padded\"" },
    { "", "" },
    { NULL, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *field = wharf_commands_csv_field (cases[i].in);

      g_assert_cmpstr (field, ==, cases[i].out);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/commands/push-guide/docker-posix", test_push_guide_docker_posix);
  g_test_add_func ("/commands/push-guide/podman-posix", test_push_guide_podman_posix);
  g_test_add_func ("/commands/push-guide/powershell", test_push_guide_powershell);
  g_test_add_func ("/commands/push-guide/options", test_push_guide_options);
  g_test_add_func ("/commands/push-guide/practice", test_push_guide_practice);
  g_test_add_func ("/commands/push-guide/aws-verifies-tls", test_push_guide_aws_verifies_tls);
  g_test_add_func ("/commands/loopback-host", test_loopback_host);
  g_test_add_func ("/commands/practice-pull-and-login", test_practice_pull_and_login);
  g_test_add_func ("/commands/pull-argv", test_pull_argv);
  g_test_add_func ("/commands/quote", test_quote);
  g_test_add_func ("/commands/image-uri", test_image_uri);
  g_test_add_func ("/commands/login-argv", test_login_argv);
  g_test_add_func ("/commands/endpoint-host", test_endpoint_host);
  g_test_add_func ("/commands/csv-field", test_csv_field);

  return g_test_run ();
}
