/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-json-reader"

#include "config.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "wharf-json-reader.h"

G_DEFINE_QUARK (wharf-json-reader-error-quark, wharf_json_reader_error)

#define IS_WS(c)    ((c) == ' ' || (c) == '\n' || (c) == '\r' || (c) == '\t')
#define IS_DIGIT(c) ((c) >= '0' && (c) <= '9')

/* Messages are for logs and bug reports, not for people: not translated. The format's
 * first argument is the byte offset. */
#define FAIL(self, error, code, ...)                                                      \
  (g_set_error ((error), WHARF_JSON_READER_ERROR, (code),                                 \
                "JSON at byte %" G_GSIZE_FORMAT ": " __VA_ARGS__),                        \
   FALSE)

void
wharf_json_reader_init (WharfJsonReader *self,
                        const char      *data,
                        gsize            len)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL || len == 0);

  memset (self, 0, sizeof *self);
  self->data = data ? data : "";
  self->len = len;
}

void
wharf_json_reader_clear (WharfJsonReader *self)
{
  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->scratch, g_free);
  self->scratch_size = 0;
}

static inline void
skip_ws (WharfJsonReader *self)
{
  while (self->pos < self->len && IS_WS (self->data[self->pos]))
    self->pos++;
}

static void
scratch_reserve (WharfJsonReader *self,
                 gsize            needed)
{
  gsize size;

  if (needed <= self->scratch_size)
    return;
  size = MAX (self->scratch_size, 256);
  while (size < needed)
    size *= 2;
  self->scratch = g_realloc (self->scratch, size);
  self->scratch_size = size;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Four hex digits at @p (bounds checked by the caller). */
static int
hex4 (const char *p)
{
  int a = hex_value (p[0]), b = hex_value (p[1]), c = hex_value (p[2]), d = hex_value (p[3]);

  if (a < 0 || b < 0 || c < 0 || d < 0)
    return -1;
  return (a << 12) | (b << 8) | (c << 4) | d;
}

/* The length of the valid UTF-8 sequence (2–4 bytes) at @p, 0 when invalid: no overlong
 * forms, no surrogates, nothing above U+10FFFF (as g_utf8_validate()). */
static gsize
utf8_sequence (const guchar *p,
               gsize         avail)
{
  guchar c = p[0];

  if (c >= 0xC2 && c <= 0xDF)
    return avail >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF)
    {
      guchar lo = c == 0xE0 ? 0xA0 : 0x80;
      guchar hi = c == 0xED ? 0x9F : 0xBF;

      return avail >= 3 && p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 ? 3 : 0;
    }
  if (c >= 0xF0 && c <= 0xF4)
    {
      guchar lo = c == 0xF0 ? 0x90 : 0x80;
      guchar hi = c == 0xF4 ? 0x8F : 0xBF;

      return avail >= 4 && p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80
             && (p[3] & 0xC0) == 0x80 ? 4 : 0;
    }
  return 0;
}

/* Whether any of the 8 bytes in @v is '"', '\\', below 0x20 or above 0x7F (the bytes a
 * string scan must stop at). Word-at-a-time: no false negatives. */
static inline gboolean
has_special_byte (guint64 v)
{
  const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
  const guint64 highs = G_GUINT64_CONSTANT (0x8080808080808080);
  guint64 quote = v ^ (ones * '"');
  guint64 backslash = v ^ (ones * '\\');
  guint64 t;

  t = ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash)
      | ((v - ones * 0x20) & ~v) | v;
  return (t & highs) != 0;
}

/* Reads the string at pos (at its opening quote). With @copy, decodes it into the scratch
 * buffer (NUL-terminated, length in *out_len); without, only checks it. *escaped (if
 * given) says whether it had escapes, that is whether the decoded text differs from the
 * raw bytes between the quotes. */
static gboolean
scan_string (WharfJsonReader  *self,
             gboolean          copy,
             gsize            *out_len,
             gboolean         *escaped,
             GError          **error)
{
  const guchar *data = (const guchar *) self->data;
  gsize pos = self->pos + 1;
  gsize n = 0;

  g_assert (self->data[self->pos] == '"');

  if (copy)
    scratch_reserve (self, 64);
  if (escaped)
    *escaped = FALSE;

  for (;;)
    {
      gsize run = pos;
      guchar c = 0;

      /* The common case: printable ASCII, sixteen or eight bytes at a time. */
#ifdef __SSE2__
      while (pos + 16 <= self->len)
        {
          __m128i v = _mm_loadu_si128 ((const __m128i *) (const void *) (data + pos));
          /* Signed: bytes from 0x80 up are negative, so "below 0x20" takes them too. */
          __m128i special = _mm_or_si128 (_mm_or_si128 (_mm_cmpeq_epi8 (v, _mm_set1_epi8 ('"')),
                                                        _mm_cmpeq_epi8 (v, _mm_set1_epi8 ('\\'))),
                                          _mm_cmplt_epi8 (v, _mm_set1_epi8 (0x20)));
          int mask = _mm_movemask_epi8 (special);

          if (mask != 0)
            {
              pos += (gsize) __builtin_ctz ((unsigned int) mask);
              break;
            }
          pos += 16;
        }
#endif
      while (pos + 8 <= self->len)
        {
          guint64 v;

          memcpy (&v, data + pos, sizeof v);
          if (has_special_byte (v))
            break;
          pos += 8;
        }
      while (pos < self->len)
        {
          c = data[pos];
          if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
            break;
          pos++;
        }
      if (copy && pos > run)
        {
          scratch_reserve (self, n + (pos - run) + 1);
          memcpy (self->scratch + n, data + run, pos - run);
          n += pos - run;
        }
      if (pos >= self->len)
        {
          self->pos = pos;
          return FAIL (self, error, WHARF_JSON_READER_ERROR_SYNTAX, "unterminated string",
                       self->pos);
        }

      if (c == '"')
        {
          pos++;
          break;
        }
      else if (c >= 0x80)
        {
          gsize len = utf8_sequence (data + pos, self->len - pos);

          if (len == 0)
            {
              self->pos = pos;
              return FAIL (self, error, WHARF_JSON_READER_ERROR_SYNTAX, "invalid UTF-8",
                           self->pos);
            }
          if (copy)
            {
              scratch_reserve (self, n + len + 1);
              memcpy (self->scratch + n, data + pos, len);
              n += len;
            }
          pos += len;
        }
      else if (c < 0x20)
        {
          self->pos = pos;
          return FAIL (self, error, WHARF_JSON_READER_ERROR_SYNTAX,
                       "control character in a string", self->pos);
        }
      else
        {
          /* An escape. */
          char e;
          char utf8[4];
          int len = 1;

          if (escaped)
            *escaped = TRUE;

          if (pos + 1 >= self->len)
            {
              self->pos = pos;
              return FAIL (self, error, WHARF_JSON_READER_ERROR_SYNTAX, "unterminated string",
                           self->pos);
            }
          e = self->data[pos + 1];
          switch (e)
            {
            case '"': utf8[0] = '"'; break;
            case '\\': utf8[0] = '\\'; break;
            case '/': utf8[0] = '/'; break;
            case 'b': utf8[0] = '\b'; break;
            case 'f': utf8[0] = '\f'; break;
            case 'n': utf8[0] = '\n'; break;
            case 'r': utf8[0] = '\r'; break;
            case 't': utf8[0] = '\t'; break;
            case 'u':
              {
                gunichar ch;
                int unit;

                if (self->len - pos < 6 || (unit = hex4 (self->data + pos + 2)) < 0)
                  {
                    self->pos = pos;
                    return FAIL (self, error, WHARF_JSON_READER_ERROR_SYNTAX,
                                 "bad \\u escape", self->pos);
                  }
                ch = (gunichar) unit;
                if (ch >= 0xD800 && ch <= 0xDBFF)
                  {
                    int low;

                    if (self->len - pos < 12 || self->data[pos + 6] != '\\'
                        || self->data[pos + 7] != 'u'
                        || (low = hex4 (self->data + pos + 8)) < 0
                        || low < 0xDC00 || low > 0xDFFF)
                      {
                        self->pos = pos;
                        return FAIL (self, error, WHARF_JSON_READER_ERROR_UNSUPPORTED,
                                     "unpaired surrogate", self->pos);
                      }
                    ch = 0x10000 + ((ch - 0xD800) << 10) + ((gunichar) low - 0xDC00);
                    pos += 6;
                  }
                else if (ch >= 0xDC00 && ch <= 0xDFFF)
                  {
                    self->pos = pos;
                    return FAIL (self, error, WHARF_JSON_READER_ERROR_UNSUPPORTED,
                                 "unpaired surrogate", self->pos);
                  }
                else if (ch == 0)
                  {
                    self->pos = pos;
                    return FAIL (self, error, WHARF_JSON_READER_ERROR_UNSUPPORTED,
                                 "U+0000 in a string", self->pos);
                  }
                len = g_unichar_to_utf8 (ch, utf8);
                pos += 4;
              }
              break;
            default:
              self->pos = pos;
              return FAIL (self, error, WHARF_JSON_READER_ERROR_SYNTAX, "bad escape",
                           self->pos);
            }
          pos += 2;
          if (copy)
            {
              scratch_reserve (self, n + len + 1);
              memcpy (self->scratch + n, utf8, len);
              n += len;
            }
        }
    }

  if (copy)
    {
      self->scratch[n] = '\0';
      if (out_len)
        *out_len = n;
    }
  self->pos = pos;
  return TRUE;
}

/* Reads the number at pos; @out may be NULL to only check it. */
static gboolean
scan_number (WharfJsonReader  *self,
             WharfJsonNumber  *out,
             GError          **error)
{
  const char *data = self->data;
  gsize start = self->pos;
  gsize pos = start;
  gsize digits_start;
  gboolean negative = FALSE;
  gboolean is_int = TRUE;

  if (pos < self->len && data[pos] == '-')
    {
      negative = TRUE;
      pos++;
    }
  digits_start = pos;
  if (pos < self->len && data[pos] == '0')
    pos++;
  else if (pos < self->len && data[pos] >= '1' && data[pos] <= '9')
    while (pos < self->len && IS_DIGIT (data[pos]))
      pos++;
  else
    {
      self->pos = pos;
      return FAIL (self, error, WHARF_JSON_READER_ERROR_SYNTAX, "bad number", self->pos);
    }

  if (pos < self->len && data[pos] == '.')
    {
      is_int = FALSE;
      pos++;
      if (pos >= self->len || !IS_DIGIT (data[pos]))
        {
          self->pos = pos;
          return FAIL (self, error, WHARF_JSON_READER_ERROR_SYNTAX, "bad number", self->pos);
        }
      while (pos < self->len && IS_DIGIT (data[pos]))
        pos++;
    }
  if (pos < self->len && (data[pos] == 'e' || data[pos] == 'E'))
    {
      is_int = FALSE;
      pos++;
      if (pos < self->len && (data[pos] == '+' || data[pos] == '-'))
        pos++;
      if (pos >= self->len || !IS_DIGIT (data[pos]))
        {
          self->pos = pos;
          return FAIL (self, error, WHARF_JSON_READER_ERROR_SYNTAX, "bad number", self->pos);
        }
      while (pos < self->len && IS_DIGIT (data[pos]))
        pos++;
    }

  if (is_int)
    {
      /* Exactly representable, or refused: json-glib wraps integers beyond 64 bits. */
      guint64 limit = negative ? (guint64) G_MAXINT64 + 1 : (guint64) G_MAXINT64;
      guint64 value = 0;

      for (gsize i = digits_start; i < pos; i++)
        {
          guint digit = (guint) (data[i] - '0');

          if (value > (limit - digit) / 10)
            {
              self->pos = start;
              return FAIL (self, error, WHARF_JSON_READER_ERROR_UNSUPPORTED,
                           "integer beyond 64 bits", self->pos);
            }
          value = value * 10 + digit;
        }
      if (out)
        {
          out->is_int = TRUE;
          if (negative)
            out->i = value == (guint64) G_MAXINT64 + 1 ? G_MININT64 : -(gint64) value;
          else
            out->i = (gint64) value;
          out->d = (double) out->i;
        }
    }
  else if (out)
    {
      gsize n = pos - start;

      /* json-glib converts with g_strtod(), which agrees with g_ascii_strtod() on every
       * standard JSON number. */
      scratch_reserve (self, n + 1);
      memcpy (self->scratch, data + start, n);
      self->scratch[n] = '\0';
      out->is_int = FALSE;
      out->i = 0;
      out->d = g_ascii_strtod (self->scratch, NULL);
    }

  self->pos = pos;
  return TRUE;
}

static gboolean
scan_literal (WharfJsonReader  *self,
              const char       *word,
              GError          **error)
{
  gsize n = strlen (word);

  if (self->len - self->pos < n || memcmp (self->data + self->pos, word, n) != 0)
    return FAIL (self, error, WHARF_JSON_READER_ERROR_SYNTAX, "unexpected character",
                 self->pos);
  self->pos += n;
  return TRUE;
}

gboolean
wharf_json_reader_peek (WharfJsonReader  *self,
                        WharfJsonType    *type,
                        GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (type != NULL, FALSE);

  skip_ws (self);
  if (self->pos >= self->len)
    return FAIL (self, error, WHARF_JSON_READER_ERROR_SYNTAX, "unexpected end", self->pos);

  switch (self->data[self->pos])
    {
    case '{':
      *type = WHARF_JSON_OBJECT;
      return TRUE;
    case '[':
      *type = WHARF_JSON_ARRAY;
      return TRUE;
    case '"':
      *type = WHARF_JSON_STRING;
      return TRUE;
    case 't':
    case 'f':
      *type = WHARF_JSON_BOOLEAN;
      return TRUE;
    case 'n':
      *type = WHARF_JSON_NULL;
      return TRUE;
    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      *type = WHARF_JSON_NUMBER;
      return TRUE;
    default:
      return FAIL (self, error, WHARF_JSON_READER_ERROR_SYNTAX, "unexpected character",
                   self->pos);
    }
}

static gboolean
expect_type (WharfJsonReader  *self,
             WharfJsonType     expected,
             GError          **error)
{
  WharfJsonType type;

  if (!wharf_json_reader_peek (self, &type, error))
    return FALSE;
  if (type != expected)
    return FAIL (self, error, WHARF_JSON_READER_ERROR_WRONG_TYPE, "a value of another type",
                 self->pos);
  return TRUE;
}

static gboolean
begin (WharfJsonReader  *self,
       guint8            kind,
       GError          **error)
{
  if (self->depth >= WHARF_JSON_READER_MAX_DEPTH)
    return FAIL (self, error, WHARF_JSON_READER_ERROR_UNSUPPORTED, "nested too deeply",
                 self->pos);
  self->pos++;
  self->depth++;
  self->kinds[self->depth] = kind;
  self->fresh = TRUE;
  return TRUE;
}

gboolean
wharf_json_reader_begin_object (WharfJsonReader  *self,
                                GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return expect_type (self, WHARF_JSON_OBJECT, error) && begin (self, '{', error);
}

gboolean
wharf_json_reader_begin_array (WharfJsonReader  *self,
                               GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return expect_type (self, WHARF_JSON_ARRAY, error) && begin (self, '[', error);
}

/* The separator before the next item of the innermost container: TRUE in *more when an
 * item follows, FALSE when the container ended (then it is closed). */
static gboolean
next_item (WharfJsonReader  *self,
           char              close,
           gboolean         *more,
           GError          **error)
{
  gboolean fresh = self->fresh;
  char c;

  if (G_UNLIKELY (self->depth == 0 || self->kinds[self->depth] != (close == '}' ? '{' : '[')))
    {
      g_critical ("%s: not inside %s", G_STRFUNC, close == '}' ? "an object" : "an array");
      return FALSE;
    }

  self->fresh = FALSE;
  skip_ws (self);
  if (self->pos >= self->len)
    return FAIL (self, error, WHARF_JSON_READER_ERROR_SYNTAX, "unexpected end", self->pos);
  c = self->data[self->pos];
  if (c == close)
    {
      self->pos++;
      self->depth--;
      *more = FALSE;
      return TRUE;
    }
  if (!fresh)
    {
      if (c != ',')
        return FAIL (self, error, WHARF_JSON_READER_ERROR_SYNTAX, "expected ',' or '%c'",
                     self->pos, close);
      self->pos++;
      skip_ws (self);
    }
  *more = TRUE;
  return TRUE;
}

/* After next_item for an object: the member name and its ':'. *escaped as for
 * scan_string(). */
static gboolean
member_name (WharfJsonReader  *self,
             gboolean          copy,
             gboolean         *escaped,
             GError          **error)
{
  if (self->pos >= self->len || self->data[self->pos] != '"')
    return FAIL (self, error, WHARF_JSON_READER_ERROR_SYNTAX, "expected a member name",
                 self->pos);
  if (!scan_string (self, copy, NULL, escaped, error))
    return FALSE;
  skip_ws (self);
  if (self->pos >= self->len || self->data[self->pos] != ':')
    return FAIL (self, error, WHARF_JSON_READER_ERROR_SYNTAX, "expected ':'", self->pos);
  self->pos++;
  return TRUE;
}

gboolean
wharf_json_reader_next_member (WharfJsonReader  *self,
                               const char      **name,
                               GError          **error)
{
  gboolean more;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  *name = NULL;
  if (!next_item (self, '}', &more, error))
    return FALSE;
  if (!more)
    return TRUE;
  if (!member_name (self, TRUE, NULL, error))
    return FALSE;
  *name = self->scratch;
  return TRUE;
}

gboolean
wharf_json_reader_next_element (WharfJsonReader  *self,
                                gboolean         *more,
                                GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (more != NULL, FALSE);

  return next_item (self, ']', more, error);
}

gboolean
wharf_json_reader_read_string (WharfJsonReader  *self,
                               const char      **out,
                               gsize            *len,
                               GError          **error)
{
  gsize n = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  *out = NULL;
  if (!expect_type (self, WHARF_JSON_STRING, error)
      || !scan_string (self, TRUE, &n, NULL, error))
    return FALSE;
  *out = self->scratch;
  if (len)
    *len = n;
  return TRUE;
}

gboolean
wharf_json_reader_read_number (WharfJsonReader  *self,
                               WharfJsonNumber  *out,
                               GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  return expect_type (self, WHARF_JSON_NUMBER, error) && scan_number (self, out, error);
}

gboolean
wharf_json_reader_read_boolean (WharfJsonReader  *self,
                                gboolean         *out,
                                GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!expect_type (self, WHARF_JSON_BOOLEAN, error))
    return FALSE;
  *out = self->data[self->pos] == 't';
  return scan_literal (self, *out ? "true" : "false", error);
}

gboolean
wharf_json_reader_read_null (WharfJsonReader  *self,
                             GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return expect_type (self, WHARF_JSON_NULL, error) && scan_literal (self, "null", error);
}

/* Reads past a scalar or the opening of a container at pos. */
static inline gboolean
skip_start (WharfJsonReader  *self,
            GError          **error)
{
  skip_ws (self);
  if (self->pos >= self->len)
    return FAIL (self, error, WHARF_JSON_READER_ERROR_SYNTAX, "unexpected end", self->pos);

  switch (self->data[self->pos])
    {
    case '"':
      return scan_string (self, FALSE, NULL, NULL, error);
    case '{':
      return begin (self, '{', error);
    case '[':
      return begin (self, '[', error);
    case 't':
      return scan_literal (self, "true", error);
    case 'f':
      return scan_literal (self, "false", error);
    case 'n':
      return scan_literal (self, "null", error);
    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return scan_number (self, NULL, error);
    default:
      return FAIL (self, error, WHARF_JSON_READER_ERROR_SYNTAX, "unexpected character",
                   self->pos);
    }
}

/* wharf_json_reader_skip() without the checks of a public entry point. */
static gboolean
skip_value (WharfJsonReader  *self,
            GError          **error)
{
  guint base = self->depth;

  if (!skip_start (self, error))
    return FALSE;

  /* Iterative, so that a hostile nesting costs no stack. */
  while (self->depth > base)
    {
      gboolean object = self->kinds[self->depth] == '{';
      gboolean more;

      if (!next_item (self, object ? '}' : ']', &more, error))
        return FALSE;
      if (!more)
        continue;
      if (object && !member_name (self, FALSE, NULL, error))
        return FALSE;
      if (!skip_start (self, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
wharf_json_reader_skip (WharfJsonReader  *self,
                        GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return skip_value (self, error);
}

gboolean
wharf_json_reader_scan_object (WharfJsonReader    *self,
                               const char * const *names,
                               guint               n_names,
                               gsize              *offsets,
                               GError            **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (n_names == 0 || (names != NULL && offsets != NULL), FALSE);

  for (guint i = 0; i < n_names; i++)
    offsets[i] = WHARF_JSON_READER_ABSENT;

  if (!wharf_json_reader_begin_object (self, error))
    return FALSE;
  for (;;)
    {
      const char *name;
      gsize name_start, name_len;
      gboolean more, escaped;

      if (!next_item (self, '}', &more, error))
        return FALSE;
      if (!more)
        return TRUE;

      /* Compared as it is on the wire unless it has escapes (member names hardly ever do). */
      if (self->pos >= self->len || self->data[self->pos] != '"')
        return FAIL (self, error, WHARF_JSON_READER_ERROR_SYNTAX, "expected a member name",
                     self->pos);
      name_start = self->pos + 1;
      if (!scan_string (self, FALSE, NULL, &escaped, error))
        return FALSE;
      name = self->data + name_start;
      name_len = self->pos - 1 - name_start;
      if (escaped)
        {
          gsize after = self->pos;

          self->pos = name_start - 1;
          if (!scan_string (self, TRUE, &name_len, NULL, error))
            return FALSE;
          self->pos = after;
          name = self->scratch;
        }
      skip_ws (self);
      if (self->pos >= self->len || self->data[self->pos] != ':')
        return FAIL (self, error, WHARF_JSON_READER_ERROR_SYNTAX, "expected ':'", self->pos);
      self->pos++;
      skip_ws (self);

      for (guint i = 0; i < n_names; i++)
        if ((name_len == 0 || names[i][0] == name[0]) && strncmp (names[i], name, name_len) == 0
            && names[i][name_len] == '\0')
          {
            offsets[i] = self->pos;
            break;
          }
      if (!skip_value (self, error))
        return FALSE;
    }
}

gsize
wharf_json_reader_get_offset (WharfJsonReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  skip_ws (self);
  return self->pos;
}

void
wharf_json_reader_seek (WharfJsonReader *self,
                        gsize            offset)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (offset <= self->len);

  self->pos = offset;
  self->fresh = FALSE;
}

gboolean
wharf_json_reader_end (WharfJsonReader  *self,
                       GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  skip_ws (self);
  if (self->pos != self->len)
    return FAIL (self, error, WHARF_JSON_READER_ERROR_SYNTAX, "text after the end",
                 self->pos);
  return TRUE;
}
