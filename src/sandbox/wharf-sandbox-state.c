/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The --state file: every registry, the seed and the key of the pagination tokens as one
 * JSON document, written atomically. A file that cannot be read or parsed is an error and
 * is never overwritten (wharf-sandbox.c only writes after a successful read).
 */
#define G_LOG_DOMAIN "wharf-sandbox-state"

#include "config.h"

#include <glib/gi18n.h>

#include <stdlib.h>
#include <string.h>

#include "wharf-sandbox-private.h"

#define STATE_VERSION 1

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

gboolean
sb_state_write (const char   *path,
                GHashTable   *registries,
                const char   *seed,
                const guint8 *token_key,
                GError      **error)
{
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *token_hex = NULL;
  g_autofree const char **names = NULL;
  guint n_names;
  JsonObject *o;
  JsonArray *list;
  gsize len;

  o = json_object_new ();
  json_object_set_int_member (o, "version", STATE_VERSION);
  if (seed)
    json_object_set_string_member (o, "seed", seed);
  token_hex = g_malloc (65);
  for (guint i = 0; i < 32; i++)
    g_snprintf (token_hex + 2 * i, 3, "%02x", token_key[i]);
  json_object_set_string_member (o, "tokenKey", token_hex);
  list = json_array_new ();
  names = (const char **) g_hash_table_get_keys_as_array (registries, &n_names);
  qsort (names, n_names, sizeof (char *), compare_keys);
  for (guint i = 0; i < n_names; i++)
    json_array_add_element (list, sb_registry_serialize (g_hash_table_lookup (registries,
                                                                              names[i])));
  json_object_set_array_member (o, "registries", list);
  root = json_node_init_object (json_node_alloc (), o);
  json_object_unref (o);

  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  return g_file_set_contents (path, text, len, error);
}

gboolean
sb_state_read (const char  *path,
               GHashTable  *registries,
               char       **seed,
               guint8      *token_key,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *contents = NULL;
  JsonNode *root;
  JsonObject *o;
  JsonArray *list;
  const char *token_hex;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_set_error (error, WHARF_SANDBOX_ERROR, WHARF_SANDBOX_ERROR_STATE,
                   _("Cannot read the state file %s: %s"), path, local_error->message);
      return FALSE;
    }
  if (!json_parser_load_from_data (parser, contents, len, &local_error))
    {
      g_set_error (error, WHARF_SANDBOX_ERROR, WHARF_SANDBOX_ERROR_STATE,
                   _("The state file %s is not valid JSON (%s); it was left untouched: move it "
                     "away or choose another file"), path, local_error->message);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (!root || !JSON_NODE_HOLDS_OBJECT (root)
      || json_object_get_int_member_with_default (o = json_node_get_object (root), "version", 0) != STATE_VERSION
      || !json_object_has_member (o, "registries")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "registries")))
    {
      g_set_error (error, WHARF_SANDBOX_ERROR, WHARF_SANDBOX_ERROR_STATE,
                   _("The state file %s is not a Wharf sandbox state (version %d); it was left "
                     "untouched: move it away or choose another file"), path, STATE_VERSION);
      return FALSE;
    }

  token_hex = json_object_get_string_member_with_default (o, "tokenKey", "");
  if (strlen (token_hex) == 64 && strspn (token_hex, "0123456789abcdef") == 64)
    for (guint i = 0; i < 32; i++)
      token_key[i] = g_ascii_xdigit_value (token_hex[2 * i]) * 16
                     + g_ascii_xdigit_value (token_hex[2 * i + 1]);
  if (json_object_get_string_member_with_default (o, "seed", NULL))
    {
      g_free (*seed);
      *seed = g_strdup (json_object_get_string_member (o, "seed"));
    }

  list = json_object_get_array_member (o, "registries");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      SbRegistry *registry;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, WHARF_SANDBOX_ERROR, WHARF_SANDBOX_ERROR_STATE,
                       _("The state file %s is damaged (registry %u is not an object); it was "
                         "left untouched"), path, i);
          return FALSE;
        }
      registry = sb_registry_deserialize (json_node_get_object (node), &local_error);
      if (!registry)
        {
          g_set_error (error, WHARF_SANDBOX_ERROR, WHARF_SANDBOX_ERROR_STATE,
                       _("The state file %s is damaged (%s); it was left untouched: move it "
                         "away or choose another file"), path, local_error->message);
          return FALSE;
        }
      g_hash_table_insert (registries,
                           g_strdup_printf ("%s/%s", registry->account, registry->region),
                           registry);
    }
  return TRUE;
}
