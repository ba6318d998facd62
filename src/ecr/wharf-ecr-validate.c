/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-ecr-validate"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wharf-ecr-validate.h"

static gboolean
fail (char       **reason,
      const char  *message)
{
  if (reason)
    *reason = g_strdup (message);
  return FALSE;
}

G_GNUC_PRINTF (2, 3)
static gboolean
failf (char       **reason,
       const char  *format,
       ...)
{
  if (reason)
    {
      va_list args;

      va_start (args, format);
      *reason = g_strdup_vprintf (format, args);
      va_end (args);
    }
  return FALSE;
}

static gboolean
ok (char **reason)
{
  if (reason)
    *reason = NULL;
  return TRUE;
}

static inline gboolean
is_lower_alnum (char c)
{
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static inline gboolean
is_repository_separator (char c)
{
  return c == '.' || c == '_' || c == '-' || c == '/';
}

/* A run of separators between two alphanumeric segments: ".", "_", "__", "/" or any
 * number of "-" (the model's (\.|_|__|-+) and \/). */
static gboolean
separator_run_is_valid (const char *run,
                        gsize       len)
{
  gsize i;

  if (len == 1)
    return TRUE;
  if (len == 2 && run[0] == '_' && run[1] == '_')
    return TRUE;
  for (i = 0; i < len; i++)
    if (run[i] != '-')
      return FALSE;
  return TRUE;
}

gboolean
wharf_ecr_validate_repository_name (const char  *name,
                                    char       **reason)
{
  gsize len;
  gsize i;

  if (!name || !*name)
    return fail (reason, _("Enter a repository name"));

  len = strlen (name);

  for (i = 0; i < len; i++)
    {
      char c = name[i];

      if (is_lower_alnum (c) || is_repository_separator (c))
        continue;
      if (c >= 'A' && c <= 'Z')
        return fail (reason,
                     _("Use only lowercase letters, digits, and . _ - / (no capital letters)"));
      if (c == ' ')
        return fail (reason, _("Use only lowercase letters, digits, and . _ - / (no spaces)"));
      return fail (reason, _("Use only lowercase letters, digits, and . _ - /"));
    }

  if (len < WHARF_ECR_REPOSITORY_NAME_MIN)
    return failf (reason, _("A repository name needs at least %d characters"),
                  WHARF_ECR_REPOSITORY_NAME_MIN);
  if (len > WHARF_ECR_REPOSITORY_NAME_MAX)
    return failf (reason, _("A repository name can have at most %d characters (this one has %u)"),
                  WHARF_ECR_REPOSITORY_NAME_MAX, (guint) MIN (len, G_MAXUINT));

  if (!is_lower_alnum (name[0]) || !is_lower_alnum (name[len - 1]))
    return fail (reason, _("A name cannot start or end with a separator (. _ - /)"));

  for (i = 0; i < len;)
    {
      gsize start = i;

      if (is_lower_alnum (name[i]))
        {
          i++;
          continue;
        }
      while (i < len && is_repository_separator (name[i]))
        i++;
      if (!separator_run_is_valid (name + start, i - start))
        return fail (reason,
                     _("Two separators cannot follow each other (only “__” and repeated “-” are allowed)"));
    }

  return ok (reason);
}

static inline gboolean
is_tag_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '.' || c == '-';
}

gboolean
wharf_ecr_validate_image_tag (const char  *tag,
                              char       **reason)
{
  gsize len;
  gsize i;

  if (!tag || !*tag)
    return fail (reason, _("Enter a tag"));

  len = strlen (tag);
  for (i = 0; i < len; i++)
    if (!is_tag_char (tag[i]))
      return fail (reason, _("Use only letters, digits, and _ . - in a tag"));

  if (len > WHARF_ECR_IMAGE_TAG_MAX)
    return failf (reason, _("A tag can have at most %d characters"), WHARF_ECR_IMAGE_TAG_MAX);

  if (tag[0] == '.' || tag[0] == '-')
    return fail (reason, _("A tag cannot start with “.” or “-”"));

  return ok (reason);
}

/* 8-4-4-4-12 hexadecimal digits. */
static gboolean
is_uuid (const char *s,
         gsize       len)
{
  static const int groups[] = { 8, 4, 4, 4, 12 };
  gsize pos = 0;
  guint g;

  if (len != 36)
    return FALSE;
  for (g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      int k;

      if (g > 0)
        {
          if (s[pos] != '-')
            return FALSE;
          pos++;
        }
      for (k = 0; k < groups[g]; k++, pos++)
        if (!g_ascii_isxdigit (s[pos]))
          return FALSE;
    }
  return pos == len;
}

/* A multi-Region key id: "mrk-" and 32 hexadecimal digits. */
static gboolean
is_multi_region_key_id (const char *s,
                        gsize       len)
{
  gsize i;

  if (len != 36 || strncmp (s, "mrk-", 4) != 0)
    return FALSE;
  for (i = 4; i < len; i++)
    if (!g_ascii_isxdigit (s[i]))
      return FALSE;
  return TRUE;
}

static gboolean
is_key_id (const char *s,
           gsize       len)
{
  return is_uuid (s, len) || is_multi_region_key_id (s, len);
}

/* "alias/" followed by 1–250 of [A-Za-z0-9/_-]. */
static gboolean
is_alias_name (const char *s,
               gsize       len)
{
  gsize i;

  if (len <= 6 || len > 256 || strncmp (s, "alias/", 6) != 0)
    return FALSE;
  for (i = 6; i < len; i++)
    if (!g_ascii_isalnum (s[i]) && s[i] != '/' && s[i] != '_' && s[i] != '-')
      return FALSE;
  return TRUE;
}

static gboolean
is_region (const char *s,
           gsize       len)
{
  gsize i;

  if (len == 0)
    return FALSE;
  for (i = 0; i < len; i++)
    if (!is_lower_alnum (s[i]) && s[i] != '-')
      return FALSE;
  return TRUE;
}

/* arn:aws[-a-z]*:kms:<region>:<12 digits>:(key/<key id>|alias/<name>) */
static gboolean
kms_arn_is_valid (const char  *arn,
                  char       **reason)
{
  g_auto(GStrv) parts = g_strsplit (arn, ":", 6);
  const char *partition;
  gsize i;

  if (g_strv_length (parts) != 6)
    return fail (reason, _("A KMS key ARN looks like arn:aws:kms:REGION:ACCOUNT:key/KEY-ID"));

  partition = parts[1];
  if (!g_str_has_prefix (partition, "aws"))
    return fail (reason, _("A KMS key ARN must be in an AWS partition (arn:aws…)"));
  for (i = 3; partition[i]; i++)
    if (!(partition[i] >= 'a' && partition[i] <= 'z') && partition[i] != '-')
      return fail (reason, _("A KMS key ARN must be in an AWS partition (arn:aws…)"));

  if (strcmp (parts[2], "kms") != 0)
    return fail (reason, _("The ARN is not a KMS ARN (its service must be “kms”)"));

  if (!is_region (parts[3], strlen (parts[3])))
    return fail (reason, _("A KMS key ARN needs the key’s region"));

  if (strlen (parts[4]) != 12)
    return fail (reason, _("A KMS key ARN needs the 12-digit account ID"));
  for (i = 0; i < 12; i++)
    if (!g_ascii_isdigit (parts[4][i]))
      return fail (reason, _("A KMS key ARN needs the 12-digit account ID"));

  if (g_str_has_prefix (parts[5], "key/"))
    {
      const char *id = parts[5] + 4;

      if (!is_key_id (id, strlen (id)))
        return fail (reason, _("The key ID in the ARN is not a valid KMS key ID"));
      return ok (reason);
    }
  if (g_str_has_prefix (parts[5], "alias/"))
    {
      if (!is_alias_name (parts[5], strlen (parts[5])))
        return fail (reason, _("The alias in the ARN is not a valid alias name"));
      return ok (reason);
    }
  return fail (reason, _("A KMS key ARN ends in key/KEY-ID or alias/NAME"));
}

gboolean
wharf_ecr_validate_kms_key (const char  *key,
                            char       **reason)
{
  gsize len;

  if (!key || !*key)
    return fail (reason, _("Enter a KMS key ID, key ARN, alias or alias ARN"));

  len = strlen (key);
  if (len > WHARF_ECR_KMS_KEY_MAX)
    return failf (reason, _("A KMS key can have at most %d characters"), WHARF_ECR_KMS_KEY_MAX);

  if (g_str_has_prefix (key, "arn:"))
    return kms_arn_is_valid (key, reason);

  if (g_str_has_prefix (key, "alias/"))
    {
      if (!is_alias_name (key, len))
        return fail (reason, _("An alias is “alias/” followed by letters, digits, / _ -"));
      return ok (reason);
    }

  if (is_key_id (key, len))
    return ok (reason);

  return fail (reason, _("Enter a key ID (like 1234abcd-12ab-34cd-56ef-1234567890ab), a key ARN, “alias/NAME” or an alias ARN"));
}

/* Letters, numbers, separators (spaces) and _ . : / = + - @, as AWS tagging allows. */
static gboolean
is_resource_tag_text (const char *text)
{
  const char *p;

  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;

  for (p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      switch (g_unichar_type (c))
        {
        case G_UNICODE_LOWERCASE_LETTER:
        case G_UNICODE_MODIFIER_LETTER:
        case G_UNICODE_OTHER_LETTER:
        case G_UNICODE_TITLECASE_LETTER:
        case G_UNICODE_UPPERCASE_LETTER:
        case G_UNICODE_DECIMAL_NUMBER:
        case G_UNICODE_LETTER_NUMBER:
        case G_UNICODE_OTHER_NUMBER:
        case G_UNICODE_LINE_SEPARATOR:
        case G_UNICODE_PARAGRAPH_SEPARATOR:
        case G_UNICODE_SPACE_SEPARATOR:
          continue;
        default:
          if (c < 128 && strchr ("_.:/=+-@", (char) c))
            continue;
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
wharf_ecr_validate_resource_tag_key (const char  *key,
                                     char       **reason)
{
  if (!key || !*key)
    return fail (reason, _("Enter a tag key"));

  if (!is_resource_tag_text (key))
    return fail (reason, _("Use only letters, digits, spaces, and _ . : / = + - @ in a tag key"));

  if (g_utf8_strlen (key, -1) > WHARF_ECR_RESOURCE_TAG_KEY_MAX)
    return failf (reason, _("A tag key can have at most %d characters"),
                  WHARF_ECR_RESOURCE_TAG_KEY_MAX);

  if (g_ascii_strncasecmp (key, "aws:", 4) == 0)
    return fail (reason, _("Tag keys starting with “aws:” are reserved for AWS"));

  return ok (reason);
}

gboolean
wharf_ecr_validate_resource_tag_value (const char  *value,
                                       char       **reason)
{
  if (!value)
    value = "";

  if (!is_resource_tag_text (value))
    return fail (reason, _("Use only letters, digits, spaces, and _ . : / = + - @ in a tag value"));

  if (g_utf8_strlen (value, -1) > WHARF_ECR_RESOURCE_TAG_VALUE_MAX)
    return failf (reason, _("A tag value can have at most %d characters"),
                  WHARF_ECR_RESOURCE_TAG_VALUE_MAX);

  return ok (reason);
}

gboolean
wharf_ecr_validate_tag_mutability_filter (const char  *filter,
                                          char       **reason)
{
  gsize len;
  gsize i;

  if (!filter || !*filter)
    return fail (reason, _("Enter a tag filter such as “latest” or “release-*”"));

  len = strlen (filter);
  for (i = 0; i < len; i++)
    {
      char c = filter[i];

      if (!g_ascii_isalnum (c) && c != '.' && c != '_' && c != '-' && c != '*')
        return fail (reason,
                     _("Use only letters, digits, . _ - and the wildcard * in a tag filter"));
    }

  if (len > WHARF_ECR_TAG_MUTABILITY_FILTER_MAX)
    return failf (reason, _("A tag filter can have at most %d characters"),
                  WHARF_ECR_TAG_MUTABILITY_FILTER_MAX);

  return ok (reason);
}
