/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-keyring"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <openssl/crypto.h>

#include "wharf-keyring.h"

#define ATTR_ACCOUNT_ID "account-id"
#define CONTENT_TYPE "application/json"

G_DEFINE_QUARK (wharf-keyring-error-quark, wharf_keyring_error)

const SecretSchema *
wharf_keyring_get_schema (void)
{
  static const SecretSchema schema = {
    WHARF_KEYRING_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { ATTR_ACCOUNT_ID, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

char *
wharf_keyring_new_account_id (void)
{
  return g_uuid_string_random ();
}

/* Says what went wrong in words a person can act on. */
static GError *
map_error (GError *error /* transfer full, nullable */)
{
  g_autoptr(GError) owned = error;

  if (owned == NULL)
    {
      /* libsecret reports a dismissed unlock prompt as failure without an error. */
      return g_error_new_literal (WHARF_KEYRING_ERROR, WHARF_KEYRING_ERROR_LOCKED,
                                  _("The keyring is locked. Unlock it to use the keys stored "
                                    "in Wharf."));
    }

  if (g_error_matches (owned, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_steal_pointer (&owned);

  if (g_error_matches (owned, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    return g_error_new_literal (WHARF_KEYRING_ERROR, WHARF_KEYRING_ERROR_LOCKED,
                                _("The keyring is locked. Unlock it to use the keys stored "
                                  "in Wharf."));

  if (owned->domain == G_DBUS_ERROR || owned->domain == G_IO_ERROR
      || owned->domain == G_SPAWN_ERROR)
    return g_error_new (WHARF_KEYRING_ERROR, WHARF_KEYRING_ERROR_UNAVAILABLE,
                        _("The system keyring is not available (%s). Wharf keeps access keys "
                          "only there; start a keyring such as GNOME Keyring."),
                        owned->message);

  return g_error_new (WHARF_KEYRING_ERROR, WHARF_KEYRING_ERROR_FAILED,
                      _("The system keyring failed: %s"), owned->message);
}

static GHashTable *
attributes_for (const char *account_id)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (gpointer) ATTR_ACCOUNT_ID, (gpointer) account_id);
  return attributes;
}

/* JSON string escaping into a buffer we can wipe (json-glib's builder would keep copies). */
static void
append_json_string (GString    *out,
                    const char *s)
{
  g_string_append_c (out, '"');
  for (const char *c = s; *c != '\0'; c++)
    {
      if (*c == '"' || *c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, *c);
        }
      else if ((guchar) *c < 0x20)
        g_string_append_printf (out, "\\u%04x", (guchar) *c);
      else
        g_string_append_c (out, *c);
    }
  g_string_append_c (out, '"');
}

static void
wipe_and_free (gpointer data)
{
  char *s = data;

  OPENSSL_cleanse (s, strlen (s));
  g_free (s);
}

static SecretValue *
credentials_to_secret (WharfCredentials *creds)
{
  /* Sized up front so that no reallocation leaves a copy behind. */
  gsize size = 128 + 6 * (strlen (wharf_credentials_get_access_key_id (creds))
                          + strlen (wharf_credentials_get_secret_access_key (creds))
                          + (wharf_credentials_get_session_token (creds) != NULL
                             ? strlen (wharf_credentials_get_session_token (creds)) : 0));
  GString *json = g_string_sized_new (size);
  gsize len;

  g_string_append (json, "{\"access_key_id\":");
  append_json_string (json, wharf_credentials_get_access_key_id (creds));
  g_string_append (json, ",\"secret_access_key\":");
  append_json_string (json, wharf_credentials_get_secret_access_key (creds));
  if (wharf_credentials_get_session_token (creds) != NULL)
    {
      g_string_append (json, ",\"session_token\":");
      append_json_string (json, wharf_credentials_get_session_token (creds));
    }
  g_string_append_c (json, '}');

  len = json->len;
  return secret_value_new_full (g_string_free (json, FALSE), len, CONTENT_TYPE, wipe_and_free);
}

static WharfCredentials *
secret_to_credentials (SecretValue  *value,
                       GError      **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *obj;
  JsonNode *root;
  const char *data;
  const char *key_id = NULL, *secret = NULL, *token = NULL;
  gsize len;

  data = secret_value_get (value, &len);
  if (data == NULL || !json_parser_load_from_data (parser, data, len, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    goto corrupt;

  obj = json_node_get_object (root);
  if (json_object_has_member (obj, "access_key_id"))
    key_id = json_object_get_string_member_with_default (obj, "access_key_id", NULL);
  if (json_object_has_member (obj, "secret_access_key"))
    secret = json_object_get_string_member_with_default (obj, "secret_access_key", NULL);
  if (json_object_has_member (obj, "session_token"))
    token = json_object_get_string_member_with_default (obj, "session_token", NULL);
  if (key_id == NULL || *key_id == '\0' || secret == NULL || *secret == '\0')
    goto corrupt;

  return wharf_credentials_new_with_source (key_id, secret, token, NULL, _("keyring"));

corrupt:
  g_set_error_literal (error, WHARF_KEYRING_ERROR, WHARF_KEYRING_ERROR_CORRUPT,
                       _("The keyring item of this account does not hold access keys Wharf can "
                         "read. Enter the keys again."));
  return NULL;
}

/* Store */

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, map_error (error));
}

void
wharf_keyring_store_async (const char          *account_id,
                           const char          *label,
                           WharfCredentials    *creds,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(SecretValue) value = NULL;

  g_return_if_fail (account_id != NULL && *account_id != '\0');
  g_return_if_fail (creds != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wharf_keyring_store_async);

  attributes = attributes_for (account_id);
  value = credentials_to_secret (creds);
  secret_password_storev_binary (wharf_keyring_get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                                 label != NULL ? label : _("AWS access keys for Wharf"),
                                 value, cancellable, store_cb, g_steal_pointer (&task));
}

gboolean
wharf_keyring_store_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wharf_keyring_store_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Lookup */

static void
lookup_search_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GList *items = secret_password_search_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, map_error (error));
  else if (items != NULL)
    g_task_return_error (task, map_error (NULL));  /* there, but locked */
  else
    g_task_return_new_error (task, WHARF_KEYRING_ERROR, WHARF_KEYRING_ERROR_NOT_FOUND,
                             _("No access keys are stored for this account in the keyring."));

  g_list_free_full (items, g_object_unref);
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(SecretValue) value = NULL;
  GError *error = NULL;
  WharfCredentials *creds;

  value = secret_password_lookup_binary_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, map_error (error));
      return;
    }
  if (value == NULL)
    {
      g_autoptr(GHashTable) attributes = attributes_for (g_task_get_task_data (task));
      GCancellable *cancellable = g_task_get_cancellable (task);

      /* Nothing, or an item in a keyring that stayed locked (a dismissed prompt looks the
       * same to lookup): ask again without unlocking. */
      secret_password_searchv (wharf_keyring_get_schema (), attributes, SECRET_SEARCH_ALL,
                               cancellable, lookup_search_cb, g_steal_pointer (&task));
      return;
    }

  creds = secret_to_credentials (value, &error);
  if (creds == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, creds, (GDestroyNotify) wharf_credentials_unref);
}

void
wharf_keyring_lookup_async (const char          *account_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (account_id != NULL && *account_id != '\0');

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wharf_keyring_lookup_async);
  g_task_set_task_data (task, g_strdup (account_id), g_free);

  attributes = attributes_for (account_id);
  secret_password_lookupv (wharf_keyring_get_schema (), attributes, cancellable, lookup_cb,
                           g_steal_pointer (&task));
}

WharfCredentials *
wharf_keyring_lookup_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wharf_keyring_lookup_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Delete */

static void
delete_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean deleted;

  deleted = secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, map_error (error));
  else
    g_task_return_boolean (task, deleted);
}

void
wharf_keyring_delete_async (const char          *account_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (account_id != NULL && *account_id != '\0');

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wharf_keyring_delete_async);

  attributes = attributes_for (account_id);
  secret_password_clearv (wharf_keyring_get_schema (), attributes, cancellable, delete_cb,
                          g_steal_pointer (&task));
}

gboolean
wharf_keyring_delete_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wharf_keyring_delete_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Provider */

#define WHARF_TYPE_KEYRING_CREDENTIALS_PROVIDER (wharf_keyring_credentials_provider_get_type ())
G_DECLARE_FINAL_TYPE (WharfKeyringCredentialsProvider, wharf_keyring_credentials_provider,
                      WHARF, KEYRING_CREDENTIALS_PROVIDER, GObject)

struct _WharfKeyringCredentialsProvider
{
  GObject           parent_instance;
  char             *account_id;
  WharfCredentials *cached;
};

static void keyring_provider_iface_init (WharfCredentialsProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (WharfKeyringCredentialsProvider, wharf_keyring_credentials_provider,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (WHARF_TYPE_CREDENTIALS_PROVIDER,
                                                      keyring_provider_iface_init))

static void
wharf_keyring_credentials_provider_finalize (GObject *object)
{
  WharfKeyringCredentialsProvider *self = WHARF_KEYRING_CREDENTIALS_PROVIDER (object);

  g_free (self->account_id);
  g_clear_pointer (&self->cached, wharf_credentials_unref);

  G_OBJECT_CLASS (wharf_keyring_credentials_provider_parent_class)->finalize (object);
}

static void
wharf_keyring_credentials_provider_class_init (WharfKeyringCredentialsProviderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wharf_keyring_credentials_provider_finalize;
}

static void
wharf_keyring_credentials_provider_init (WharfKeyringCredentialsProvider *self)
{
}

static void
provider_lookup_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WharfKeyringCredentialsProvider *self = g_task_get_source_object (task);
  GError *error = NULL;
  WharfCredentials *creds = wharf_keyring_lookup_finish (result, &error);

  if (creds == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_clear_pointer (&self->cached, wharf_credentials_unref);
  self->cached = wharf_credentials_ref (creds);
  g_task_return_pointer (task, creds, (GDestroyNotify) wharf_credentials_unref);
}

static void
keyring_provider_get_credentials_async (WharfCredentialsProvider *provider,
                                        GCancellable             *cancellable,
                                        GAsyncReadyCallback       callback,
                                        gpointer                  user_data)
{
  WharfKeyringCredentialsProvider *self = WHARF_KEYRING_CREDENTIALS_PROVIDER (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, keyring_provider_get_credentials_async);

  if (self->cached != NULL)
    {
      g_task_return_pointer (task, wharf_credentials_ref (self->cached),
                             (GDestroyNotify) wharf_credentials_unref);
      return;
    }

  wharf_keyring_lookup_async (self->account_id, cancellable, provider_lookup_cb,
                              g_steal_pointer (&task));
}

static WharfCredentials *
keyring_provider_get_credentials_finish (WharfCredentialsProvider  *provider,
                                         GAsyncResult              *result,
                                         GError                   **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
keyring_provider_invalidate (WharfCredentialsProvider *provider)
{
  WharfKeyringCredentialsProvider *self = WHARF_KEYRING_CREDENTIALS_PROVIDER (provider);

  g_clear_pointer (&self->cached, wharf_credentials_unref);
}

static void
keyring_provider_iface_init (WharfCredentialsProviderInterface *iface)
{
  iface->get_credentials_async = keyring_provider_get_credentials_async;
  iface->get_credentials_finish = keyring_provider_get_credentials_finish;
  iface->invalidate = keyring_provider_invalidate;
}

WharfCredentialsProvider *
wharf_keyring_credentials_provider_new (const char *account_id)
{
  WharfKeyringCredentialsProvider *self;

  g_return_val_if_fail (account_id != NULL && *account_id != '\0', NULL);

  self = g_object_new (WHARF_TYPE_KEYRING_CREDENTIALS_PROVIDER, NULL);
  self->account_id = g_strdup (account_id);
  return WHARF_CREDENTIALS_PROVIDER (self);
}
