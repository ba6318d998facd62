/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * wharf-sandbox: runs the local ECR-compatible service until SIGINT or SIGTERM.
 */
#define G_LOG_DOMAIN "wharf-sandbox-main"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wharf-sandbox.h"

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_listen (const char *value,
              guint16    *port,
              GError    **error)
{
  const char *colon = strrchr (value, ':');
  g_autofree char *host = NULL;
  guint64 p;

  if (!colon)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--listen needs HOST:PORT, for example 127.0.0.1:4566"));
      return FALSE;
    }
  host = g_strndup (value, colon - value);
  if (!g_str_equal (host, "127.0.0.1") && !g_str_equal (host, "localhost"))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("The sandbox listens on the loopback address only (127.0.0.1), not on “%s”"),
                   host);
      return FALSE;
    }
  if (!g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &p, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a port number (0–65535)"), colon + 1);
      return FALSE;
    }
  *port = p;
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *listen = NULL;
  g_autofree char *state = NULL;
  g_autofree char *seed = NULL;
  g_autofree char *key_id = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *account = NULL;
  g_autofree char *record = NULL;
  g_auto(GStrv) faults = NULL;
  GOptionEntry entries[] = {
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
      N_("Listen on 127.0.0.1:PORT (PORT 0, the default, picks a free port)"), "127.0.0.1:PORT" },
    { "state", 's', 0, G_OPTION_ARG_FILENAME, &state,
      N_("Keep the state in FILE (JSON, written atomically); without it the state lives in memory"), "FILE" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed,
      N_("Fill each new region with: empty (default), demo (a dozen repositories), big (demo + "
         "repository “big” with 10,000 images) or many (demo + 10,000 repositories)"), "NAME" },
    { "access-key-id", 0, 0, G_OPTION_ARG_STRING, &key_id,
      N_("Accept this access key id (with --secret-access-key) besides the practice key"), "ID" },
    { "secret-access-key", 0, 0, G_OPTION_ARG_STRING, &secret,
      N_("The secret of --access-key-id (prefer WHARF_SANDBOX_SECRET_ACCESS_KEY: argv is visible to others)"), "KEY" },
    { "account-id", 0, 0, G_OPTION_ARG_STRING, &account,
      N_("The 12-digit account of --access-key-id (default 111122223333)"), "ID" },
    { "record", 0, 0, G_OPTION_ARG_FILENAME, &record,
      N_("Append every request and response to FILE as JSON lines"), "FILE.jsonl" },
    { "fault", 0, 0, G_OPTION_ARG_STRING_ARRAY, &faults,
      N_("Inject a fault: KIND[:OPERATION[:COUNT]], KIND one of throttle, 500, 503, reset, "
         "truncate, invalid-json, html, expired-token, access-denied, delay=MS; OPERATION a "
         "name or * (default); COUNT a number (default 1) or *. Repeatable"), "SPEC" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WharfSandbox) sandbox = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  guint16 port = 0;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("— a local ECR-compatible service for practice and tests"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Speaks Amazon ECR's JSON API on 127.0.0.1 and verifies every request's Signature "
      "Version 4.\n"
      "It always accepts the practice key pair (never valid on AWS):\n"
      "  access key id      " WHARF_SANDBOX_PRACTICE_ACCESS_KEY_ID "\n"
      "  secret access key  " WHARF_SANDBOX_PRACTICE_SECRET_ACCESS_KEY "\n"
      "  account id         " WHARF_SANDBOX_PRACTICE_ACCOUNT_ID "\n"
      "Each (account, region) has its own registry; a seed fills every region on its first "
      "use, and us-east-1 at once.\n"
      "Example:\n"
      "  wharf-sandbox --listen 127.0.0.1:4566 --seed demo &\n"
      "  AWS_ACCESS_KEY_ID=" WHARF_SANDBOX_PRACTICE_ACCESS_KEY_ID " "
      "AWS_SECRET_ACCESS_KEY=… aws --endpoint-url http://127.0.0.1:4566 --region us-east-1 "
      "ecr describe-repositories\n"));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("wharf-sandbox: %s\n", error->message);
      return 2;
    }
  if (!secret && key_id)
    secret = g_strdup (g_getenv ("WHARF_SANDBOX_SECRET_ACCESS_KEY"));
  if ((key_id == NULL) != (secret == NULL))
    {
      g_printerr ("wharf-sandbox: %s\n",
                  _("--access-key-id and --secret-access-key go together"));
      return 2;
    }
  if (account && (strlen (account) != 12 || strspn (account, "0123456789") != 12))
    {
      g_printerr ("wharf-sandbox: %s\n", _("--account-id must be 12 digits"));
      return 2;
    }
  if (listen && !parse_listen (listen, &port, &error))
    {
      g_printerr ("wharf-sandbox: %s\n", error->message);
      return 2;
    }

  sandbox = wharf_sandbox_new (state, &error);
  if (!sandbox)
    {
      g_printerr ("wharf-sandbox: %s\n", error->message);
      return 1;
    }
  if (key_id)
    wharf_sandbox_add_key (sandbox, key_id, secret, account);
  if (secret)
    memset (secret, 0, strlen (secret));
  for (guint i = 0; faults && faults[i]; i++)
    {
      if (!wharf_sandbox_add_fault (sandbox, faults[i], &error))
        {
          g_printerr ("wharf-sandbox: %s\n", error->message);
          return 2;
        }
    }
  if (record && !wharf_sandbox_set_record_path (sandbox, record, &error))
    {
      g_printerr ("wharf-sandbox: %s\n", error->message);
      return 1;
    }
  if (seed && !wharf_sandbox_seed (sandbox, seed, &error))
    {
      g_printerr ("wharf-sandbox: %s\n", error->message);
      return 2;
    }
  if (!wharf_sandbox_flush (sandbox, &error))
    {
      g_printerr ("wharf-sandbox: %s\n", error->message);
      return 1;
    }
  if (!wharf_sandbox_listen (sandbox, port, &error))
    {
      g_printerr ("wharf-sandbox: %s\n", error->message);
      return 1;
    }

  /* machine-readable: the first line is the URL, the second the accepted key id */
  printf ("Listening on %s\n", wharf_sandbox_get_url (sandbox));
  printf ("Access key id: %s\n", key_id ? key_id : WHARF_SANDBOX_PRACTICE_ACCESS_KEY_ID);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);

  if (!wharf_sandbox_flush (sandbox, &error))
    {
      g_printerr ("wharf-sandbox: %s\n", error->message);
      return 1;
    }
  return 0;
}
