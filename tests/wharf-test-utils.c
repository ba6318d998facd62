/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-test-utils"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "wharf-test-utils.h"

struct _WharfTestWait
{
  const char *what;
  const char *file;
  const char *func;
  int         line;
  guint       timeout_id;
  gboolean    expired;
};

static guint deadline_seconds = 60;

void
wharf_test_set_deadline (guint seconds)
{
  g_return_if_fail (seconds > 0);

  deadline_seconds = seconds;
}

static gboolean
wait_expired_cb (gpointer user_data)
{
  WharfTestWait *wait = user_data;

  wait->expired = TRUE;
  wait->timeout_id = 0;
  return G_SOURCE_REMOVE;
}

WharfTestWait *
wharf_test_wait_begin (const char *what,
                       const char *file,
                       int         line,
                       const char *func)
{
  WharfTestWait *wait = g_new0 (WharfTestWait, 1);

  wait->what = what;
  wait->file = file;
  wait->line = line;
  wait->func = func;
  /* A source rather than a clock check: it also wakes a main context that has nothing else
   * to do, so a wait that will never end fails instead of hanging. */
  wait->timeout_id = g_timeout_add_seconds (deadline_seconds, wait_expired_cb, wait);
  return wait;
}

void
wharf_test_wait_iterate (WharfTestWait *wait)
{
  if (wait->expired)
    {
      g_autofree char *message = g_strdup_printf ("timed out after %u s waiting for %s",
                                                  deadline_seconds, wait->what);

      g_assertion_message (G_LOG_DOMAIN, wait->file, wait->line, wait->func, message);
    }
  g_main_context_iteration (NULL, TRUE);
}

void
wharf_test_wait_end (WharfTestWait *wait)
{
  g_clear_handle_id (&wait->timeout_id, g_source_remove);
  g_free (wait);
}

void
wharf_test_result_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

GAsyncResult *
wharf_test_wait_result (GAsyncResult **slot)
{
  wharf_test_wait_for (*slot != NULL);
  return *slot;
}

void
wharf_test_drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

void
wharf_test_clear_aws_env (void)
{
  g_auto(GStrv) env = g_get_environ ();

  for (guint i = 0; env[i]; i++)
    if (g_str_has_prefix (env[i], "AWS_"))
      {
        g_autofree char *name = g_strndup (env[i], strcspn (env[i], "="));

        g_unsetenv (name);
      }
}

char *
wharf_test_make_tmp_dir (const char *tmpl)
{
  g_autoptr(GError) error = NULL;
  char *path = g_dir_make_tmp (tmpl, &error);

  g_assert_no_error (error);
  g_assert_nonnull (path);
  return path;
}

void
wharf_test_write_file (const char *path,
                       const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

void
wharf_test_write_file_mode (const char *path,
                            const char *text,
                            int         mode)
{
  wharf_test_write_file (path, text);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
}

void
wharf_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        wharf_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

gboolean
wharf_test_bench_record (const char *key,
                         JsonObject *entry)
{
  const char *build_root = g_getenv ("WHARF_BUILD_ROOT");
  g_autoptr(JsonObject) owned = entry;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  if (build_root == NULL)
    return TRUE;
  path = g_build_filename (build_root, "bench-results.json", NULL);

  /* Other benchmarks write into the same file: keep their keys. */
  if (g_file_test (path, G_FILE_TEST_EXISTS)
      && json_parser_load_from_file (parser, path, NULL)
      && json_parser_get_root (parser) != NULL
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    root = json_node_copy (json_parser_get_root (parser));
  else
    root = json_node_init_object (json_node_alloc (), json_object_new ());

  json_object_set_object_member (json_node_get_object (root), key, g_steal_pointer (&owned));

  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);

  if (!g_file_set_contents (path, text, -1, &error))
    {
      g_printerr ("%s: cannot write %s: %s\n", g_get_prgname (), path, error->message);
      return FALSE;
    }
  return TRUE;
}
