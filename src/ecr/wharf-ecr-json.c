/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-ecr-json"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "wharf-ecr-json-private.h"

/* Years 1–9999 are what GDateTime can hold. */
#define MAX_EPOCH_SECONDS G_GINT64_CONSTANT (253402300799)

gboolean
wharf_ecr_json_missing (const char  *member,
                        GError     **error)
{
  g_set_error (error, WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_DATA,
               _("The service sent a malformed response: “%s” is missing"), member);
  return FALSE;
}

gboolean
wharf_ecr_json_wrong_type (const char  *member,
                           const char  *expected,
                           GError     **error)
{
  g_set_error (error, WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_DATA,
               _("The service sent a malformed response: “%s” is not %s"), member, expected);
  return FALSE;
}

gboolean
wharf_ecr_json_bad_value (const char  *member,
                          GError     **error)
{
  g_set_error (error, WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_DATA,
               _("The service sent a malformed response: “%s” has a value out of range"),
               member);
  return FALSE;
}

/* NULL when absent or null. */
static JsonNode *
get_member (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (!node || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

gboolean
wharf_ecr_json_get_string (JsonObject  *object,
                           const char  *member,
                           gboolean     required,
                           const char **out,
                           GError     **error)
{
  JsonNode *node = get_member (object, member);

  *out = NULL;
  if (!node)
    return required ? wharf_ecr_json_missing (member, error) : TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return wharf_ecr_json_wrong_type (member, _("a string"), error);
  *out = json_node_get_string (node);
  return TRUE;
}

gboolean
wharf_ecr_json_get_boolean (JsonObject  *object,
                            const char  *member,
                            gboolean    *out,
                            GError     **error)
{
  JsonNode *node = get_member (object, member);

  if (!node)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return wharf_ecr_json_wrong_type (member, _("true or false"), error);
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
node_get_number (JsonNode   *node,
                 const char *member,
                 double     *d,
                 gint64     *i,
                 gboolean   *is_int,
                 GError    **error)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return wharf_ecr_json_wrong_type (member, _("a number"), error);
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *i = json_node_get_int (node);
      *d = (double) *i;
      *is_int = TRUE;
      return TRUE;
    }
  if (type == G_TYPE_DOUBLE)
    {
      *d = json_node_get_double (node);
      if (!isfinite (*d))
        return wharf_ecr_json_bad_value (member, error);
      *is_int = FALSE;
      return TRUE;
    }
  return wharf_ecr_json_wrong_type (member, _("a number"), error);
}

gboolean
wharf_ecr_json_get_int (JsonObject  *object,
                        const char  *member,
                        gint64       min,
                        gint64       max,
                        gint64      *out,
                        gboolean    *present,
                        GError     **error)
{
  JsonNode *node = get_member (object, member);
  double d;
  gint64 i = 0;
  gboolean is_int;

  if (present)
    *present = FALSE;
  if (!node)
    return TRUE;
  if (!node_get_number (node, member, &d, &i, &is_int, error))
    return FALSE;
  if (!is_int)
    {
      /* json-glib reads integers beyond 64 bits as doubles. */
      if (d != floor (d) || d < (double) min || d > (double) max)
        return wharf_ecr_json_bad_value (member, error);
      i = (gint64) d;
    }
  if (i < min || i > max)
    return wharf_ecr_json_bad_value (member, error);
  *out = i;
  if (present)
    *present = TRUE;
  return TRUE;
}

gboolean
wharf_ecr_json_get_double (JsonObject  *object,
                           const char  *member,
                           double      *out,
                           gboolean    *present,
                           GError     **error)
{
  JsonNode *node = get_member (object, member);
  gint64 i;
  gboolean is_int;
  double d;

  if (present)
    *present = FALSE;
  if (!node)
    return TRUE;
  if (!node_get_number (node, member, &d, &i, &is_int, error))
    return FALSE;
  *out = d;
  if (present)
    *present = TRUE;
  return TRUE;
}

gboolean
wharf_ecr_timestamp_from_seconds (double       seconds,
                                  const char  *member,
                                  GDateTime  **out,
                                  GError     **error)
{
  g_autoptr(GDateTime) whole = NULL;

  *out = NULL;
  if (!isfinite (seconds) || seconds < 0 || seconds > (double) MAX_EPOCH_SECONDS)
    return wharf_ecr_json_bad_value (member, error);
  whole = g_date_time_new_from_unix_utc ((gint64) floor (seconds));
  if (!whole)
    return wharf_ecr_json_bad_value (member, error);
  *out = g_date_time_add (whole, (GTimeSpan) ((seconds - floor (seconds)) * G_USEC_PER_SEC));
  if (!*out)
    return wharf_ecr_json_bad_value (member, error);
  return TRUE;
}

gboolean
wharf_ecr_timestamp_from_string (const char  *text,
                                 const char  *member,
                                 GDateTime  **out,
                                 GError     **error)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  *out = g_date_time_new_from_iso8601 (text, utc);
  if (!*out)
    return wharf_ecr_json_bad_value (member, error);
  return TRUE;
}

gboolean
wharf_ecr_json_get_timestamp (JsonObject  *object,
                              const char  *member,
                              GDateTime  **out,
                              GError     **error)
{
  JsonNode *node = get_member (object, member);
  GType type;

  *out = NULL;
  if (!node)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return wharf_ecr_json_wrong_type (member, _("a time"), error);

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
    {
      double seconds = type == G_TYPE_INT64 ? (double) json_node_get_int (node)
                                            : json_node_get_double (node);

      return wharf_ecr_timestamp_from_seconds (seconds, member, out, error);
    }
  if (type == G_TYPE_STRING)
    return wharf_ecr_timestamp_from_string (json_node_get_string (node), member, out, error);
  return wharf_ecr_json_wrong_type (member, _("a time"), error);
}

gboolean
wharf_ecr_json_get_object (JsonObject  *object,
                           const char  *member,
                           gboolean     required,
                           JsonObject **out,
                           GError     **error)
{
  JsonNode *node = get_member (object, member);

  *out = NULL;
  if (!node)
    return required ? wharf_ecr_json_missing (member, error) : TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wharf_ecr_json_wrong_type (member, _("an object"), error);
  *out = json_node_get_object (node);
  return TRUE;
}

gboolean
wharf_ecr_json_get_array (JsonObject  *object,
                          const char  *member,
                          gboolean     required,
                          JsonArray  **out,
                          GError     **error)
{
  JsonNode *node = get_member (object, member);

  *out = NULL;
  if (!node)
    return required ? wharf_ecr_json_missing (member, error) : TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wharf_ecr_json_wrong_type (member, _("a list"), error);
  *out = json_node_get_array (node);
  return TRUE;
}

gboolean
wharf_ecr_json_get_strv (JsonObject  *object,
                         const char  *member,
                         GStrv       *out,
                         GError     **error)
{
  JsonArray *array;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint i, n;

  *out = NULL;
  if (!wharf_ecr_json_get_array (object, member, FALSE, &array, error))
    return FALSE;
  n = array ? json_array_get_length (array) : 0;
  for (i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        return wharf_ecr_json_wrong_type (member, _("a list of strings"), error);
      g_strv_builder_add (builder, json_node_get_string (node));
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

JsonObject *
wharf_ecr_json_array_get_object (JsonArray   *array,
                                 guint        index,
                                 const char  *member,
                                 GError     **error)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!node || !JSON_NODE_HOLDS_OBJECT (node))
    {
      wharf_ecr_json_wrong_type (member, _("a list of objects"), error);
      return NULL;
    }
  return json_node_get_object (node);
}

JsonArray *
wharf_ecr_json_array_from_strv (const char * const *strv)
{
  JsonArray *array = json_array_new ();

  for (; strv && *strv; strv++)
    json_array_add_string_element (array, *strv);
  return array;
}

gboolean
wharf_ecr_parse_severity_counts (JsonObject *object,
                                 int        *counts,
                                 GError    **error)
{
  guint i;

  for (i = 0; i < WHARF_N_SEVERITIES; i++)
    {
      gint64 n = 0;

      if (!wharf_ecr_json_get_int (object, wharf_severity_to_string (i), 0, G_MAXINT, &n, NULL,
                                   error))
        return FALSE;
      counts[i] = (int) n;
    }
  return TRUE;
}
