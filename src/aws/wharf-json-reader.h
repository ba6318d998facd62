/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * A small, strict JSON (RFC 8259) pull reader over a buffer, for the few large responses
 * where building a json-glib tree costs more than everything else (listing pages). It
 * allocates nothing per value: strings are decoded into one scratch buffer that is reused.
 *
 * Strict means it reads exactly standard JSON and refuses the rest with
 * WHARF_JSON_READER_ERROR, also where json-glib is lenient (comments, single quotes, hex or
 * leading-zero numbers, trailing text). It also refuses what it cannot hand back faithfully:
 * U+0000 in a string (strings come back NUL-terminated), unpaired surrogates, integers
 * beyond 64 bits, and nesting deeper than WHARF_JSON_READER_MAX_DEPTH. Whatever it accepts,
 * json-glib reads as the same values (tests/fuzz/fuzz-json-reader.c checks that), so a
 * caller can fall back to json-glib on any reader error and get today's behaviour.
 */

#define WHARF_JSON_READER_ERROR (wharf_json_reader_error_quark ())

/**
 * WharfJsonReaderError:
 * @WHARF_JSON_READER_ERROR_SYNTAX: not standard JSON (the message says where and why).
 * @WHARF_JSON_READER_ERROR_UNSUPPORTED: standard JSON that this reader refuses (see above).
 * @WHARF_JSON_READER_ERROR_WRONG_TYPE: a read_ call for a type that the next value is not.
 */
typedef enum
{
  WHARF_JSON_READER_ERROR_SYNTAX,
  WHARF_JSON_READER_ERROR_UNSUPPORTED,
  WHARF_JSON_READER_ERROR_WRONG_TYPE,
} WharfJsonReaderError;

GQuark wharf_json_reader_error_quark (void);

#define WHARF_JSON_READER_MAX_DEPTH 128

/* An offset that wharf_json_reader_scan_object() gives for a member that is not there. */
#define WHARF_JSON_READER_ABSENT G_MAXSIZE

typedef enum
{
  WHARF_JSON_NULL,
  WHARF_JSON_BOOLEAN,
  WHARF_JSON_NUMBER,
  WHARF_JSON_STRING,
  WHARF_JSON_OBJECT,
  WHARF_JSON_ARRAY,
} WharfJsonType;

/* A number as json-glib keeps it: an integer (no fraction, no exponent) as gint64, any
 * other as a double. @d holds the value as a double in both cases. */
typedef struct
{
  gboolean is_int;
  gint64   i;
  double   d;
} WharfJsonNumber;

/* On the stack; the fields are private. */
typedef struct
{
  const char *data;
  gsize       len;
  gsize       pos;
  guint       depth;
  gboolean    fresh;      /* just after '{' or '[' */
  char       *scratch;
  gsize       scratch_size;
  guint8      kinds[WHARF_JSON_READER_MAX_DEPTH + 1];
} WharfJsonReader;

/* @data must stay alive and unchanged while the reader is used. */
void     wharf_json_reader_init          (WharfJsonReader  *self,
                                          const char       *data,
                                          gsize             len);
void     wharf_json_reader_clear         (WharfJsonReader  *self);

/* The type of the next value (whitespace skipped), without reading it. */
gboolean wharf_json_reader_peek          (WharfJsonReader  *self,
                                          WharfJsonType    *type,
                                          GError          **error);

/* Objects: begin, then next_member until it gives *name == NULL (the '}' is read then).
 * After each name, read or skip exactly one value. @name is valid until the next read. */
gboolean wharf_json_reader_begin_object  (WharfJsonReader  *self,
                                          GError          **error);
gboolean wharf_json_reader_next_member   (WharfJsonReader  *self,
                                          const char      **name,
                                          GError          **error);
/* Arrays: begin, then next_element until *more is FALSE (the ']' is read then); after each
 * TRUE, read or skip exactly one value. */
gboolean wharf_json_reader_begin_array   (WharfJsonReader  *self,
                                          GError          **error);
gboolean wharf_json_reader_next_element  (WharfJsonReader  *self,
                                          gboolean         *more,
                                          GError          **error);

/* Scalars. A string is valid UTF-8 without NUL, decoded into the scratch buffer: *out is
 * valid until the next read. @len may be NULL. */
gboolean wharf_json_reader_read_string   (WharfJsonReader  *self,
                                          const char      **out,
                                          gsize            *len,
                                          GError          **error);
gboolean wharf_json_reader_read_number   (WharfJsonReader  *self,
                                          WharfJsonNumber  *out,
                                          GError          **error);
gboolean wharf_json_reader_read_boolean  (WharfJsonReader  *self,
                                          gboolean         *out,
                                          GError          **error);
gboolean wharf_json_reader_read_null     (WharfJsonReader  *self,
                                          GError          **error);

/* Reads past the next value, whatever it is, checking it as strictly as reading would. */
gboolean wharf_json_reader_skip          (WharfJsonReader  *self,
                                          GError          **error);

/* Reads the next value, an object, and notes in @offsets[i] where the value of member
 * @names[i] starts (WHARF_JSON_READER_ABSENT when it is not there; when a name repeats, the
 * last one counts, as in json-glib). Every member is checked; none is decoded. Go back to
 * a value with wharf_json_reader_seek(). */
gboolean wharf_json_reader_scan_object   (WharfJsonReader    *self,
                                          const char * const *names,
                                          guint               n_names,
                                          gsize              *offsets,
                                          GError            **error);

/* Where the next value starts (whitespace skipped). */
gsize    wharf_json_reader_get_offset    (WharfJsonReader  *self);
/* Moves to an offset taken at the current nesting level (from get_offset or scan_object),
 * to read the one value there. */
void     wharf_json_reader_seek          (WharfJsonReader  *self,
                                          gsize             offset);

/* Checks that nothing but whitespace follows. */
gboolean wharf_json_reader_end           (WharfJsonReader  *self,
                                          GError          **error);

G_END_DECLS
