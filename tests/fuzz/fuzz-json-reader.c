/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzzes the strict JSON reader (src/aws/wharf-json-reader.c) against json-glib: whatever
 * text the reader accepts, json-glib must accept too and read as the same values (same
 * types, same numbers to the bit, same strings, the last of repeated members); skipping
 * and scanning the text must agree with reading it. The whole input is the JSON text.
 */
#define G_LOG_DOMAIN "fuzz-json-reader"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "fuzz-common.h"
#include "wharf-json-reader.h"

/* The value at the reader as a json-glib node (recursion bounded by the reader's depth). */
static JsonNode *
read_node (WharfJsonReader  *r,
           GError          **error)
{
  WharfJsonType type;

  if (!wharf_json_reader_peek (r, &type, error))
    return NULL;
  switch (type)
    {
    case WHARF_JSON_NULL:
      return wharf_json_reader_read_null (r, error) ? json_node_new (JSON_NODE_NULL) : NULL;
    case WHARF_JSON_BOOLEAN:
      {
        gboolean b;

        if (!wharf_json_reader_read_boolean (r, &b, error))
          return NULL;
        return json_node_init_boolean (json_node_alloc (), b);
      }
    case WHARF_JSON_NUMBER:
      {
        WharfJsonNumber n;

        if (!wharf_json_reader_read_number (r, &n, error))
          return NULL;
        if (n.is_int && n.d != (double) n.i)
          fuzz_fail ("integer %" G_GINT64_FORMAT " with double %g", n.i, n.d);
        return n.is_int ? json_node_init_int (json_node_alloc (), n.i)
                        : json_node_init_double (json_node_alloc (), n.d);
      }
    case WHARF_JSON_STRING:
      {
        const char *s;
        gsize len;

        if (!wharf_json_reader_read_string (r, &s, &len, error))
          return NULL;
        if (strlen (s) != len || !g_utf8_validate (s, len, NULL))
          fuzz_fail ("string of %" G_GSIZE_FORMAT " bytes is not NUL-free UTF-8", len);
        return json_node_init_string (json_node_alloc (), s);
      }
    case WHARF_JSON_ARRAY:
      {
        g_autoptr(JsonArray) array = json_array_new ();

        if (!wharf_json_reader_begin_array (r, error))
          return NULL;
        for (;;)
          {
            gboolean more;
            JsonNode *element;

            if (!wharf_json_reader_next_element (r, &more, error))
              return NULL;
            if (!more)
              break;
            element = read_node (r, error);
            if (!element)
              return NULL;
            json_array_add_element (array, element);
          }
        return json_node_init_array (json_node_alloc (), array);
      }
    case WHARF_JSON_OBJECT:
    default:
      {
        g_autoptr(JsonObject) object = json_object_new ();

        if (!wharf_json_reader_begin_object (r, error))
          return NULL;
        for (;;)
          {
            const char *name;
            g_autofree char *key = NULL;
            JsonNode *member;

            if (!wharf_json_reader_next_member (r, &name, error))
              return NULL;
            if (!name)
              break;
            key = g_strdup (name);
            member = read_node (r, error);
            if (!member)
              return NULL;
            json_object_set_member (object, key, member);
          }
        return json_node_init_object (json_node_alloc (), object);
      }
    }
}

static void
assert_same (JsonNode *a,
             JsonNode *b)
{
  if (JSON_NODE_TYPE (a) != JSON_NODE_TYPE (b))
    fuzz_fail ("node types differ");

  switch (JSON_NODE_TYPE (a))
    {
    case JSON_NODE_NULL:
      return;
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (a) != json_node_get_value_type (b))
        fuzz_fail ("value types differ: %s and %s", g_type_name (json_node_get_value_type (a)),
                   g_type_name (json_node_get_value_type (b)));
      if (json_node_get_value_type (a) == G_TYPE_INT64)
        {
          if (json_node_get_int (a) != json_node_get_int (b))
            fuzz_fail ("integers differ");
        }
      else if (json_node_get_value_type (a) == G_TYPE_DOUBLE)
        {
          double da = json_node_get_double (a), db = json_node_get_double (b);

          if (memcmp (&da, &db, sizeof da) != 0)
            fuzz_fail ("doubles differ: %.17g and %.17g", da, db);
        }
      else if (json_node_get_value_type (a) == G_TYPE_BOOLEAN)
        {
          if (json_node_get_boolean (a) != json_node_get_boolean (b))
            fuzz_fail ("booleans differ");
        }
      else if (g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) != 0)
        fuzz_fail ("strings differ");
      return;
    case JSON_NODE_ARRAY:
      {
        JsonArray *x = json_node_get_array (a), *y = json_node_get_array (b);

        if (json_array_get_length (x) != json_array_get_length (y))
          fuzz_fail ("array lengths differ");
        for (guint i = 0; i < json_array_get_length (x); i++)
          assert_same (json_array_get_element (x, i), json_array_get_element (y, i));
        return;
      }
    case JSON_NODE_OBJECT:
    default:
      {
        JsonObject *x = json_node_get_object (a), *y = json_node_get_object (b);
        g_autoptr(GList) names = json_object_get_members (x);

        if (json_object_get_size (x) != json_object_get_size (y))
          fuzz_fail ("object sizes differ");
        for (GList *l = names; l; l = l->next)
          {
            JsonNode *other = json_object_get_member (y, l->data);

            if (!other)
              fuzz_fail ("member missing");
            assert_same (json_object_get_member (x, l->data), other);
          }
        return;
      }
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  const char *text = (const char *) data;
  g_autoptr(JsonNode) ours = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  WharfJsonReader r;
  gboolean skipped, scanned = FALSE;
  const char * const names[] = { "a", "imageDetails", "nextToken", "" };
  gsize offsets[G_N_ELEMENTS (names)];
  WharfJsonType type;

  /* Read it whole. */
  wharf_json_reader_init (&r, text, size);
  ours = read_node (&r, &error);
  if (ours && !wharf_json_reader_end (&r, &error))
    g_clear_pointer (&ours, json_node_unref);
  if (!ours && (!error || error->domain != WHARF_JSON_READER_ERROR || !error->message))
    fuzz_fail ("a refusal without a reader error");
  g_clear_error (&error);
  wharf_json_reader_clear (&r);

  /* Skipping agrees. */
  wharf_json_reader_init (&r, text, size);
  skipped = wharf_json_reader_skip (&r, NULL) && wharf_json_reader_end (&r, NULL);
  wharf_json_reader_clear (&r);
  if (skipped != (ours != NULL))
    fuzz_fail ("skip says %d, read says %d", skipped, ours != NULL);

  /* So does scanning an object, and going back to its members. */
  wharf_json_reader_init (&r, text, size);
  if (wharf_json_reader_peek (&r, &type, NULL) && type == WHARF_JSON_OBJECT)
    {
      scanned = wharf_json_reader_scan_object (&r, names, G_N_ELEMENTS (names), offsets, NULL)
                && wharf_json_reader_end (&r, NULL);
      if (scanned != (ours != NULL))
        fuzz_fail ("scan says %d, read says %d", scanned, ours != NULL);
      for (guint i = 0; scanned && i < G_N_ELEMENTS (names); i++)
        {
          JsonNode *member = json_object_get_member (json_node_get_object (ours), names[i]);
          g_autoptr(JsonNode) again = NULL;

          if ((offsets[i] == WHARF_JSON_READER_ABSENT) != (member == NULL))
            fuzz_fail ("scan and read disagree on member “%s”", names[i]);
          if (!member)
            continue;
          wharf_json_reader_seek (&r, offsets[i]);
          again = read_node (&r, NULL);
          if (!again)
            fuzz_fail ("member “%s” could not be read again", names[i]);
          assert_same (member, again);
        }
    }
  wharf_json_reader_clear (&r);

  if (!ours)
    return 0;

  /* What the reader takes, json-glib takes, as the same values. */
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, (gssize) size, &error))
    fuzz_fail ("the reader took what json-glib refuses: %s", error->message);
  assert_same (ours, json_parser_get_root (parser));
  return 0;
}
