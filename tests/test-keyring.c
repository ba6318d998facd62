/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Against the real gnome-keyring that build-aux/wharf-test-session starts. */
#define G_LOG_DOMAIN "test-keyring"

#include "config.h"

#include <string.h>

#include "wharf-keyring.h"
#include "wharf-test-utils.h"

typedef struct
{
  gboolean          done;
  gboolean          ok;
  WharfCredentials *creds;
  GError           *error;
} Result;

static void
result_clear (Result *r)
{
  g_clear_pointer (&r->creds, wharf_credentials_unref);
  g_clear_error (&r->error);
  r->done = FALSE;
  r->ok = FALSE;
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Result *r = user_data;

  r->ok = wharf_keyring_store_finish (result, &r->error);
  r->done = TRUE;
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Result *r = user_data;

  r->creds = wharf_keyring_lookup_finish (result, &r->error);
  r->ok = r->creds != NULL;
  r->done = TRUE;
}

static void
delete_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Result *r = user_data;

  r->ok = wharf_keyring_delete_finish (result, &r->error);
  r->done = TRUE;
}

static void
provider_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Result *r = user_data;

  r->creds = wharf_credentials_provider_get_credentials_finish (WHARF_CREDENTIALS_PROVIDER (source),
                                                                result, &r->error);
  r->ok = r->creds != NULL;
  r->done = TRUE;
}

static void
store (const char       *account_id,
       WharfCredentials *creds)
{
  Result r = { 0 };

  wharf_keyring_store_async (account_id, "Wharf test account", creds, NULL, store_cb, &r);
  wharf_test_wait_for (r.done);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
}

static WharfCredentials *
lookup (const char  *account_id,
        GError     **error)
{
  Result r = { 0 };

  wharf_keyring_lookup_async (account_id, NULL, lookup_cb, &r);
  wharf_test_wait_for (r.done);
  if (r.error != NULL)
    g_propagate_error (error, r.error);
  return r.creds;
}

static gboolean
delete (const char *account_id)
{
  Result r = { 0 };

  wharf_keyring_delete_async (account_id, NULL, delete_cb, &r);
  wharf_test_wait_for (r.done);
  g_assert_no_error (r.error);
  return r.ok;
}

static gboolean
skip_without_bus (void)
{
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("DBUS_SESSION_BUS_ADDRESS is not set: run under build-aux/wharf-test-session, "
                   "which starts a private bus and a throw-away gnome-keyring");
      return TRUE;
    }
  return FALSE;
}

static gboolean
contains (const char *haystack,
          gsize       len,
          const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; n <= len && i <= len - n; i++)
    if (haystack[i] == needle[0] && memcmp (haystack + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* Every regular file under @dir that contains @needle. */
static void
find_in_files (const char *dir_path,
               const char *needle,
               GPtrArray  *hits,
               guint      *n_files)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *contents = NULL;
      gsize len;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          find_in_files (path, needle, hits, n_files);
          continue;
        }
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;  /* sockets, pipes */
      if (!g_file_get_contents (path, &contents, &len, NULL))
        continue;
      (*n_files)++;
      if (contains (contents, len, needle))
        g_ptr_array_add (hits, g_steal_pointer (&path));
    }
}

static void
assert_not_on_disk (const char *needle)
{
  const char *vars[] = { "HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
                         "XDG_STATE_HOME", "XDG_RUNTIME_DIR" };
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func (g_free);
  guint n_files = 0;

  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      const char *dir = g_getenv (vars[i]);
      if (dir != NULL && *dir != '\0')
        find_in_files (dir, needle, hits, &n_files);
    }

  g_test_message ("searched %u files for the secret", n_files);
  for (guint i = 0; i < hits->len; i++)
    g_test_message ("secret in plain text in %s", (char *) g_ptr_array_index (hits, i));
  g_assert_cmpuint (hits->len, ==, 0);
}

static gboolean
keyring_file_written (void)
{
  const char *data = g_getenv ("XDG_DATA_HOME");
  g_autofree char *dir_path = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  dir_path = data != NULL ? g_build_filename (data, "keyrings", NULL)
                          : g_build_filename (g_get_user_data_dir (), "keyrings", NULL);
  dir = g_dir_open (dir_path, 0, NULL);
  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".keyring"))
      return TRUE;
  return FALSE;
}

static void
test_store_lookup_update_delete (void)
{
  g_autofree char *account_id = NULL;
  g_autofree char *other_account = NULL;
  g_autofree char *uniq = NULL;
  g_autofree char *secret1 = NULL;
  g_autofree char *secret2 = NULL;
  g_autofree char *token = NULL;
  g_autoptr(WharfCredentials) first = NULL;
  g_autoptr(WharfCredentials) second = NULL;
  g_autoptr(GError) error = NULL;

  if (skip_without_bus ())
    return;

  account_id = wharf_keyring_new_account_id ();
  other_account = wharf_keyring_new_account_id ();
  g_assert_true (g_uuid_string_is_valid (account_id));
  g_assert_cmpstr (account_id, !=, other_account);

  uniq = g_uuid_string_random ();
  secret1 = g_strdup_printf ("wharf/keyring+test\"%s", uniq);
  secret2 = g_strdup_printf ("second-wharf-secret-%s", uniq);
  token = g_strdup_printf ("wharf-session-token-%s", uniq);
  first = wharf_credentials_new ("AKIAKEYRINGTEST00001", secret1, token, NULL);
  second = wharf_credentials_new ("AKIAKEYRINGTEST00002", secret2, NULL, NULL);

  /* store, lookup */
  store (account_id, first);
  {
    g_autoptr(WharfCredentials) got = lookup (account_id, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (wharf_credentials_get_access_key_id (got), ==, "AKIAKEYRINGTEST00001");
    g_assert_cmpstr (wharf_credentials_get_secret_access_key (got), ==, secret1);
    g_assert_cmpstr (wharf_credentials_get_session_token (got), ==, token);
  }

  /* Another account sees nothing. */
  {
    g_autoptr(WharfCredentials) got = lookup (other_account, &error);

    g_assert_null (got);
    g_assert_error (error, WHARF_KEYRING_ERROR, WHARF_KEYRING_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  g_assert_true (keyring_file_written ());
  assert_not_on_disk (secret1);
  assert_not_on_disk (token);

  /* update = store again: replaces, does not add a second item */
  store (account_id, second);
  {
    g_autoptr(WharfCredentials) got = lookup (account_id, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (wharf_credentials_get_access_key_id (got), ==, "AKIAKEYRINGTEST00002");
    g_assert_cmpstr (wharf_credentials_get_secret_access_key (got), ==, secret2);
    g_assert_null (wharf_credentials_get_session_token (got));
  }
  assert_not_on_disk (secret2);

  /* The provider reads the same item. */
  {
    g_autoptr(WharfCredentialsProvider) provider =
      wharf_keyring_credentials_provider_new (account_id);
    Result r = { 0 };

    wharf_credentials_provider_get_credentials_async (provider, NULL, provider_cb, &r);
    wharf_test_wait_for (r.done);
    g_assert_no_error (r.error);
    g_assert_cmpstr (wharf_credentials_get_secret_access_key (r.creds), ==, secret2);
    result_clear (&r);
  }

  /* delete, lookup after delete, delete again */
  g_assert_true (delete (account_id));
  {
    g_autoptr(WharfCredentials) got = lookup (account_id, &error);

    g_assert_null (got);
    g_assert_error (error, WHARF_KEYRING_ERROR, WHARF_KEYRING_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  g_assert_false (delete (account_id));

  assert_not_on_disk (secret1);
  assert_not_on_disk (secret2);
  assert_not_on_disk (token);
}

static void
test_unavailable (void)
{
  const char *saved;

  if (skip_without_bus ())
    return;

  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WharfCredentials) got = lookup ("00000000-0000-4000-8000-000000000000", &error);

      g_assert_null (got);
      g_assert_error (error, WHARF_KEYRING_ERROR, WHARF_KEYRING_ERROR_UNAVAILABLE);
      g_print ("%s\n", error->message);
      return;
    }

  /* A bus that is not there: the child (a fresh process) cannot reach any keyring. */
  saved = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  {
    g_autofree char *keep = g_strdup (saved);

    g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/wharf-no-bus", TRUE);
    g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", keep, TRUE);
  }
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*keyring is not available*");
}

static void
test_corrupt_item (void)
{
  g_autofree char *account_id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WharfCredentials) got = NULL;

  if (skip_without_bus ())
    return;

  /* An item of our schema that another program (or an old Wharf) wrote differently. */
  account_id = wharf_keyring_new_account_id ();
  g_assert_true (secret_password_store_sync (wharf_keyring_get_schema (), SECRET_COLLECTION_DEFAULT,
                                             "not Wharf's JSON", "hunter2", NULL, &error,
                                             "account-id", account_id, NULL));
  g_assert_no_error (error);

  got = lookup (account_id, &error);
  g_assert_null (got);
  g_assert_error (error, WHARF_KEYRING_ERROR, WHARF_KEYRING_ERROR_CORRUPT);
  g_assert_null (strstr (error->message, "hunter2"));
  g_clear_error (&error);

  g_assert_true (delete (account_id));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  wharf_test_set_deadline (30);

  g_test_add_func ("/keyring/store-lookup-update-delete", test_store_lookup_update_delete);
  g_test_add_func ("/keyring/corrupt-item", test_corrupt_item);
  g_test_add_func ("/keyring/unavailable", test_unavailable);

  return g_test_run ();
}
