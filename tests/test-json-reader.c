/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-json-reader"

#include "config.h"

#include <math.h>
#include <string.h>

#include "wharf-json-reader.h"

/* The input under test, escaped: TAP output must stay UTF-8. */
static void
note_input (const char *json)
{
  g_autofree char *escaped = g_strescape (json, NULL);

  g_test_message ("%s", escaped);
}

/* Reads one string value from @text; NULL (and the error in *error) when refused. */
static char *
read_string (const char  *text,
             GError     **error)
{
  WharfJsonReader r;
  const char *out = NULL;
  char *copy = NULL;
  gsize len = 0;

  wharf_json_reader_init (&r, text, strlen (text));
  if (wharf_json_reader_read_string (&r, &out, &len, error)
      && wharf_json_reader_end (&r, error))
    {
      g_assert_cmpuint (strlen (out), ==, len);
      copy = g_strdup (out);
    }
  wharf_json_reader_clear (&r);
  return copy;
}

static gboolean
read_number (const char      *text,
             WharfJsonNumber *number,
             GError         **error)
{
  WharfJsonReader r;
  gboolean ok;

  wharf_json_reader_init (&r, text, strlen (text));
  ok = wharf_json_reader_read_number (&r, number, error) && wharf_json_reader_end (&r, error);
  wharf_json_reader_clear (&r);
  return ok;
}

/* Whether @text is accepted as a whole (skipped). */
static gboolean
accepts (const char *text,
         gsize       len,
         int        *code)
{
  g_autoptr(GError) error = NULL;
  WharfJsonReader r;
  gboolean ok;

  wharf_json_reader_init (&r, text, len);
  ok = wharf_json_reader_skip (&r, &error) && wharf_json_reader_end (&r, &error);
  wharf_json_reader_clear (&r);
  if (!ok)
    {
      g_assert_true (error->domain == WHARF_JSON_READER_ERROR);
      g_assert_true (g_str_has_prefix (error->message, "JSON at byte "));
      if (code)
        *code = error->code;
    }
  return ok;
}

static void
test_strings (void)
{
  static const struct { const char *json, *text; } cases[] = {
    { "\"\"", "" },
    { "\"plain ASCII text that is longer than eight bytes\"", "plain ASCII text that is longer than eight bytes" },
    { "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t" },
    { "\"\\u0041\\u00e9\\u20AC\"", "A\xc3\xa9\xe2\x82\xac" },
    { "\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80" },
    { "\"\\uDBFF\\uDFFF\"", "\xf4\x8f\xbf\xbf" },
    { "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80" },
    { "  \"x\"  ", "x" },
  };
  static const struct { const char *json; int code; } refused[] = {
    { "\"open", WHARF_JSON_READER_ERROR_SYNTAX },
    { "\"a\\x\"", WHARF_JSON_READER_ERROR_SYNTAX },
    { "\"\\u12\"", WHARF_JSON_READER_ERROR_SYNTAX },
    { "\"\\u12G4\"", WHARF_JSON_READER_ERROR_SYNTAX },
    { "\"tab\there\"", WHARF_JSON_READER_ERROR_SYNTAX },
    { "\"\\ud83d\"", WHARF_JSON_READER_ERROR_UNSUPPORTED },
    { "\"\\ud83dx\"", WHARF_JSON_READER_ERROR_UNSUPPORTED },
    { "\"\\ud83d\\u0041\"", WHARF_JSON_READER_ERROR_UNSUPPORTED },
    { "\"\\ude00\"", WHARF_JSON_READER_ERROR_UNSUPPORTED },
    { "\"a\\u0000b\"", WHARF_JSON_READER_ERROR_UNSUPPORTED },
    { "\"\xc3\"", WHARF_JSON_READER_ERROR_SYNTAX },           /* truncated sequence */
    { "\"\xc0\xaf\"", WHARF_JSON_READER_ERROR_SYNTAX },       /* overlong */
    { "\"\xed\xa0\x80\"", WHARF_JSON_READER_ERROR_SYNTAX },   /* a surrogate in UTF-8 */
    { "\"\xf4\x90\x80\x80\"", WHARF_JSON_READER_ERROR_SYNTAX }, /* above U+10FFFF */
    { "\"\xff\"", WHARF_JSON_READER_ERROR_SYNTAX },
    { "'single'", WHARF_JSON_READER_ERROR_SYNTAX },
    { "42", WHARF_JSON_READER_ERROR_WRONG_TYPE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = read_string (cases[i].json, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = read_string (refused[i].json, &error);

      note_input (refused[i].json);
      g_assert_null (text);
      g_assert_error (error, WHARF_JSON_READER_ERROR, refused[i].code);
    }
}

static void
test_numbers (void)
{
  static const struct { const char *json; gboolean is_int; gint64 i; double d; } cases[] = {
    { "0", TRUE, 0, 0 },
    { "-0", TRUE, 0, 0 },
    { "52428800", TRUE, 52428800, 52428800 },
    { "-17", TRUE, -17, -17 },
    { "9223372036854775807", TRUE, G_MAXINT64, (double) G_MAXINT64 },
    { "-9223372036854775808", TRUE, G_MININT64, (double) G_MININT64 },
    { "1.5", FALSE, 0, 1.5 },
    { "-1.5e3", FALSE, 0, -1500 },
    { "1E+5", FALSE, 0, 100000 },
    { "2.5e-3", FALSE, 0, 0.0025 },
    { "1766973773.1571779", FALSE, 0, 1766973773.1571779 },
    { "1e400", FALSE, 0, INFINITY },
    { "-1e400", FALSE, 0, -INFINITY },
  };
  static const struct { const char *json; int code; } refused[] = {
    { "9223372036854775808", WHARF_JSON_READER_ERROR_UNSUPPORTED },
    { "-9223372036854775809", WHARF_JSON_READER_ERROR_UNSUPPORTED },
    { "18446744073709551616", WHARF_JSON_READER_ERROR_UNSUPPORTED },
    { "01", WHARF_JSON_READER_ERROR_SYNTAX },
    { "1.", WHARF_JSON_READER_ERROR_SYNTAX },
    { ".5", WHARF_JSON_READER_ERROR_SYNTAX },
    { "-", WHARF_JSON_READER_ERROR_SYNTAX },
    { "- 1", WHARF_JSON_READER_ERROR_SYNTAX },
    { "1e", WHARF_JSON_READER_ERROR_SYNTAX },
    { "0x10", WHARF_JSON_READER_ERROR_SYNTAX },
    { "+1", WHARF_JSON_READER_ERROR_SYNTAX },
    { "\"1\"", WHARF_JSON_READER_ERROR_WRONG_TYPE },
  };
  WharfJsonNumber n;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (read_number (cases[i].json, &n, &error));
      g_assert_no_error (error);
      g_assert_cmpint (n.is_int, ==, cases[i].is_int);
      if (n.is_int)
        g_assert_cmpint (n.i, ==, cases[i].i);
      g_assert_true (n.d == cases[i].d);
    }
  /* -0.0 keeps its sign, as json-glib's does. */
  g_assert_true (read_number ("-0.0", &n, NULL));
  g_assert_false (n.is_int);
  g_assert_true (signbit (n.d));

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;

      note_input (refused[i].json);
      g_assert_false (read_number (refused[i].json, &n, &error));
      g_assert_error (error, WHARF_JSON_READER_ERROR, refused[i].code);
    }
}

static void
test_structure (void)
{
  static const char * const good[] = {
    "{}", "[]", " { } ", "{\"a\":[1,2,{\"b\":null}],\"c\":true,\"d\":false}", "null", "\"s\"",
    "[[[]],[{}]]", "{\"\":1}", "\n\r\t[1]\n",
  };
  static const struct { const char *json; int code; } bad[] = {
    { "", WHARF_JSON_READER_ERROR_SYNTAX },
    { "   ", WHARF_JSON_READER_ERROR_SYNTAX },
    { "{", WHARF_JSON_READER_ERROR_SYNTAX },
    { "{\"a\"}", WHARF_JSON_READER_ERROR_SYNTAX },
    { "{\"a\":}", WHARF_JSON_READER_ERROR_SYNTAX },
    { "{\"a\":1,}", WHARF_JSON_READER_ERROR_SYNTAX },
    { "[1,]", WHARF_JSON_READER_ERROR_SYNTAX },
    { "[,1]", WHARF_JSON_READER_ERROR_SYNTAX },
    { "[1 2]", WHARF_JSON_READER_ERROR_SYNTAX },
    { "{a:1}", WHARF_JSON_READER_ERROR_SYNTAX },
    { "{\"a\":1]", WHARF_JSON_READER_ERROR_SYNTAX },
    { "[1}", WHARF_JSON_READER_ERROR_SYNTAX },
    { "{} x", WHARF_JSON_READER_ERROR_SYNTAX },
    { "{}{}", WHARF_JSON_READER_ERROR_SYNTAX },
    { "truex", WHARF_JSON_READER_ERROR_SYNTAX },
    { "TRUE", WHARF_JSON_READER_ERROR_SYNTAX },
    { "nul", WHARF_JSON_READER_ERROR_SYNTAX },
    { "[1 /* c */]", WHARF_JSON_READER_ERROR_SYNTAX },
    { "\xef\xbb\xbf{}", WHARF_JSON_READER_ERROR_SYNTAX },
  };
  g_autoptr(GString) deep = g_string_new (NULL);
  int code = -1;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      note_input (good[i]);
      g_assert_true (accepts (good[i], strlen (good[i]), NULL));
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      note_input (bad[i].json);
      g_assert_false (accepts (bad[i].json, strlen (bad[i].json), &code));
      g_assert_cmpint (code, ==, bad[i].code);
    }
  /* A NUL byte is never JSON. */
  g_assert_false (accepts ("[1]\0", 4, NULL));
  g_assert_false (accepts ("[\"a\0\"]", 6, NULL));

  /* Nesting: up to the limit, not beyond (and no recursion either way). */
  for (guint i = 0; i < WHARF_JSON_READER_MAX_DEPTH; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < WHARF_JSON_READER_MAX_DEPTH; i++)
    g_string_append_c (deep, ']');
  g_assert_true (accepts (deep->str, deep->len, NULL));
  g_string_prepend_c (deep, '[');
  g_string_append_c (deep, ']');
  g_assert_false (accepts (deep->str, deep->len, &code));
  g_assert_cmpint (code, ==, WHARF_JSON_READER_ERROR_UNSUPPORTED);
  g_string_truncate (deep, 0);
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  g_assert_false (accepts (deep->str, deep->len, &code));
}

/* Pull reading of a page-like document, and scan/seek with a repeated member. */
static void
test_pull (void)
{
  const char *text = "{\"items\": [{\"n\": 1, \"s\": \"a\"}, {\"n\": 2.5, \"s\": \"b\\n\"}],"
                     " \"skip\": {\"x\": [null, true, {\"y\": \"z\"}]},"
                     " \"next\": \"first\", \"next\": \"t\\u00e9\"}";
  const char * const names[] = { "items", "next", "missing" };
  gsize offsets[G_N_ELEMENTS (names)];
  g_autoptr(GError) error = NULL;
  WharfJsonReader r;
  const char *name, *s;
  WharfJsonNumber n;
  WharfJsonType type;
  gboolean more, b;
  guint count = 0;

  wharf_json_reader_init (&r, text, strlen (text));
  g_assert_true (wharf_json_reader_scan_object (&r, names, G_N_ELEMENTS (names), offsets,
                                                &error));
  g_assert_no_error (error);
  g_assert_true (wharf_json_reader_end (&r, &error));
  g_assert_cmpuint (offsets[2], ==, WHARF_JSON_READER_ABSENT);

  /* The last "next" counts. */
  wharf_json_reader_seek (&r, offsets[1]);
  g_assert_true (wharf_json_reader_read_string (&r, &s, NULL, &error));
  g_assert_cmpstr (s, ==, "t\xc3\xa9");

  wharf_json_reader_seek (&r, offsets[0]);
  g_assert_true (wharf_json_reader_peek (&r, &type, &error));
  g_assert_cmpint (type, ==, WHARF_JSON_ARRAY);
  g_assert_true (wharf_json_reader_begin_array (&r, &error));
  for (;;)
    {
      g_assert_true (wharf_json_reader_next_element (&r, &more, &error));
      if (!more)
        break;
      g_assert_true (wharf_json_reader_begin_object (&r, &error));
      g_assert_true (wharf_json_reader_next_member (&r, &name, &error));
      g_assert_cmpstr (name, ==, "n");
      g_assert_true (wharf_json_reader_read_number (&r, &n, &error));
      g_assert_true (wharf_json_reader_next_member (&r, &name, &error));
      g_assert_cmpstr (name, ==, "s");
      /* Asking for the wrong type is an error, and reads nothing. */
      g_assert_false (wharf_json_reader_read_boolean (&r, &b, &error));
      g_assert_error (error, WHARF_JSON_READER_ERROR, WHARF_JSON_READER_ERROR_WRONG_TYPE);
      g_clear_error (&error);
      g_assert_true (wharf_json_reader_read_string (&r, &s, NULL, &error));
      g_assert_cmpstr (s, ==, count == 0 ? "a" : "b\n");
      g_assert_true (wharf_json_reader_next_member (&r, &name, &error));
      g_assert_null (name);
      count++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 2);
  g_assert_cmpfloat (n.d, ==, 2.5);
  wharf_json_reader_clear (&r);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-reader/strings", test_strings);
  g_test_add_func ("/json-reader/numbers", test_numbers);
  g_test_add_func ("/json-reader/structure", test_structure);
  g_test_add_func ("/json-reader/pull", test_pull);

  return g_test_run ();
}
