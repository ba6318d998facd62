/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-lifecycle-policy"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "wharf-lifecycle-policy.h"

#include "wharf-policy-private.h"

struct _WharfLifecycleDocument
{
  GPtrArray *rules;   /* WharfLifecycleRule */
};

G_DEFINE_BOXED_TYPE (WharfLifecycleRule, wharf_lifecycle_rule,
                     wharf_lifecycle_rule_copy, wharf_lifecycle_rule_free)
G_DEFINE_BOXED_TYPE (WharfLifecycleDocument, wharf_lifecycle_document,
                     wharf_lifecycle_document_copy, wharf_lifecycle_document_free)

/* ---- Rules ---- */

WharfLifecycleRule *
wharf_lifecycle_rule_new (void)
{
  WharfLifecycleRule *self = g_new0 (WharfLifecycleRule, 1);

  self->tag_status = g_strdup ("tagged");
  self->count_type = g_strdup ("imageCountMoreThan");
  self->count_number = 1;
  self->action = g_strdup ("expire");
  return self;
}

WharfLifecycleRule *
wharf_lifecycle_rule_copy (const WharfLifecycleRule *self)
{
  WharfLifecycleRule *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (WharfLifecycleRule, 1);
  copy->priority = self->priority;
  copy->description = g_strdup (self->description);
  copy->tag_status = g_strdup (self->tag_status);
  copy->tag_prefixes = g_strdupv (self->tag_prefixes);
  copy->tag_patterns = g_strdupv (self->tag_patterns);
  copy->count_type = g_strdup (self->count_type);
  copy->count_unit = g_strdup (self->count_unit);
  copy->count_number = self->count_number;
  copy->action = g_strdup (self->action);
  return copy;
}

void
wharf_lifecycle_rule_free (WharfLifecycleRule *self)
{
  if (self == NULL)
    return;
  g_free (self->description);
  g_free (self->tag_status);
  g_strfreev (self->tag_prefixes);
  g_strfreev (self->tag_patterns);
  g_free (self->count_type);
  g_free (self->count_unit);
  g_free (self->action);
  g_free (self);
}

gboolean
wharf_lifecycle_rule_equal (const WharfLifecycleRule *a,
                            const WharfLifecycleRule *b)
{
  return a->priority == b->priority &&
         g_strcmp0 (a->description, b->description) == 0 &&
         g_strcmp0 (a->tag_status, b->tag_status) == 0 &&
         wharf_policy_strv_equal0 (a->tag_prefixes, b->tag_prefixes) &&
         wharf_policy_strv_equal0 (a->tag_patterns, b->tag_patterns) &&
         g_strcmp0 (a->count_type, b->count_type) == 0 &&
         g_strcmp0 (a->count_unit, b->count_unit) == 0 &&
         a->count_number == b->count_number &&
         g_strcmp0 (a->action, b->action) == 0;
}

WharfLifecycleSelect
wharf_lifecycle_rule_get_select (const WharfLifecycleRule *self)
{
  if (g_strcmp0 (self->tag_status, "untagged") == 0)
    return WHARF_LIFECYCLE_SELECT_UNTAGGED;
  if (g_strcmp0 (self->tag_status, "any") == 0)
    return WHARF_LIFECYCLE_SELECT_ANY;
  if (self->tag_patterns != NULL && self->tag_prefixes == NULL)
    return WHARF_LIFECYCLE_SELECT_TAG_PATTERNS;
  return WHARF_LIFECYCLE_SELECT_TAG_PREFIXES;
}

void
wharf_lifecycle_rule_set_select (WharfLifecycleRule   *self,
                                 WharfLifecycleSelect  select,
                                 const char * const   *tags)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_clear_pointer (&self->tag_prefixes, g_strfreev);
  g_clear_pointer (&self->tag_patterns, g_strfreev);
  g_free (self->tag_status);

  switch (select)
    {
    case WHARF_LIFECYCLE_SELECT_TAG_PREFIXES:
    case WHARF_LIFECYCLE_SELECT_TAG_PATTERNS:
      self->tag_status = g_strdup ("tagged");
      for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
        g_strv_builder_add (builder, tags[i]);
      if (select == WHARF_LIFECYCLE_SELECT_TAG_PREFIXES)
        self->tag_prefixes = g_strv_builder_end (builder);
      else
        self->tag_patterns = g_strv_builder_end (builder);
      break;
    case WHARF_LIFECYCLE_SELECT_UNTAGGED:
      self->tag_status = g_strdup ("untagged");
      break;
    case WHARF_LIFECYCLE_SELECT_ANY:
    default:
      self->tag_status = g_strdup ("any");
      break;
    }
}

static char *
join_tags (char **tags)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    g_string_append_printf (s, "%s%s", i > 0 ? ", " : "", tags[i]);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

char *
wharf_lifecycle_rule_describe (const WharfLifecycleRule *self)
{
  g_autofree char *what = NULL;
  g_autofree char *tags = NULL;
  g_autofree char *count = NULL;

  switch (wharf_lifecycle_rule_get_select (self))
    {
    case WHARF_LIFECYCLE_SELECT_TAG_PREFIXES:
      tags = join_tags (self->tag_prefixes);
      /* Translators: %s is a list of tag prefixes */
      what = g_strdup_printf (_("Tags starting with %s"), tags);
      break;
    case WHARF_LIFECYCLE_SELECT_TAG_PATTERNS:
      tags = join_tags (self->tag_patterns);
      /* Translators: %s is a list of tag patterns */
      what = g_strdup_printf (_("Tags matching %s"), tags);
      break;
    case WHARF_LIFECYCLE_SELECT_UNTAGGED:
      what = g_strdup (_("Untagged images"));
      break;
    case WHARF_LIFECYCLE_SELECT_ANY:
    default:
      what = g_strdup (_("All remaining images"));
      break;
    }

  if (g_strcmp0 (self->count_type, "sinceImagePushed") == 0)
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "expire after %d day",
                                          "expire after %d days", (gulong) self->count_number),
                             (int) self->count_number);
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "keep the newest %d",
                                          "keep the newest %d", (gulong) self->count_number),
                             (int) self->count_number);

  /* Translators: "Untagged images: expire after 14 days" */
  return g_strdup_printf (_("%s: %s"), what, count);
}

/* ---- Problems ---- */

gboolean
wharf_lifecycle_problems_ok (GPtrArray *problems)
{
  return wharf_policy_problems_ok (problems);
}

/* ---- Documents ---- */

WharfLifecycleDocument *
wharf_lifecycle_document_new (void)
{
  WharfLifecycleDocument *self = g_new0 (WharfLifecycleDocument, 1);

  self->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_lifecycle_rule_free);
  return self;
}

WharfLifecycleDocument *
wharf_lifecycle_document_copy (const WharfLifecycleDocument *self)
{
  WharfLifecycleDocument *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = wharf_lifecycle_document_new ();
  for (guint i = 0; i < self->rules->len; i++)
    g_ptr_array_add (copy->rules, wharf_lifecycle_rule_copy (self->rules->pdata[i]));
  return copy;
}

void
wharf_lifecycle_document_free (WharfLifecycleDocument *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->rules);
  g_free (self);
}

gboolean
wharf_lifecycle_document_equal (const WharfLifecycleDocument *a,
                                const WharfLifecycleDocument *b)
{
  if (a->rules->len != b->rules->len)
    return FALSE;
  for (guint i = 0; i < a->rules->len; i++)
    if (!wharf_lifecycle_rule_equal (a->rules->pdata[i], b->rules->pdata[i]))
      return FALSE;
  return TRUE;
}

guint
wharf_lifecycle_document_get_n_rules (const WharfLifecycleDocument *self)
{
  return self->rules->len;
}

WharfLifecycleRule *
wharf_lifecycle_document_get_rule (const WharfLifecycleDocument *self,
                                   guint                         index)
{
  g_return_val_if_fail (index < self->rules->len, NULL);
  return self->rules->pdata[index];
}

void
wharf_lifecycle_document_add_rule (WharfLifecycleDocument *self,
                                   WharfLifecycleRule     *rule)
{
  g_ptr_array_add (self->rules, rule);
}

void
wharf_lifecycle_document_set_rule (WharfLifecycleDocument *self,
                                   guint                   index,
                                   WharfLifecycleRule     *rule)
{
  g_return_if_fail (index < self->rules->len);
  g_return_if_fail (rule != NULL);

  wharf_lifecycle_rule_free (self->rules->pdata[index]);
  self->rules->pdata[index] = rule;
}

void
wharf_lifecycle_document_remove_rule (WharfLifecycleDocument *self,
                                      guint                   index)
{
  g_return_if_fail (index < self->rules->len);
  g_ptr_array_remove_index (self->rules, index);
}

gint64
wharf_lifecycle_document_next_priority (const WharfLifecycleDocument *self)
{
  gint64 max = 0;

  for (guint i = 0; i < self->rules->len; i++)
    max = MAX (max, ((WharfLifecycleRule *) self->rules->pdata[i])->priority);
  return max + 1;
}

static gboolean
get_string (JsonObject  *o,
            const char  *name,
            const char  *path,
            char       **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_autofree char *full = g_strdup_printf ("%s.%s", path, name);

      return wharf_policy_wrong_type (error, full);
    }
  *out = json_node_dup_string (node);
  return TRUE;
}

static gboolean
get_int (JsonObject  *o,
         const char  *name,
         const char  *path,
         gint64      *out,
         GError     **error)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_autofree char *full = g_strdup_printf ("%s.%s", path, name);

      g_set_error (error, WHARF_POLICY_ERROR, WHARF_POLICY_ERROR_STRUCTURE,
                   /* Translators: %s is a JSON path such as rules[0].rulePriority */
                   _("“%s” must be a whole number."), full);
      return FALSE;
    }
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
get_strv (JsonObject  *o,
          const char  *name,
          const char  *path,
          GStrv       *out,
          GError     **error)
{
  JsonNode *node = json_object_get_member (o, name);
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autofree char *full = NULL;
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  full = g_strdup_printf ("%s.%s", path, name);
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, WHARF_POLICY_ERROR, WHARF_POLICY_ERROR_STRUCTURE,
                   /* Translators: %s is a JSON path such as rules[0].selection.tagPrefixList */
                   _("“%s” must be a list of strings."), full);
      return FALSE;
    }
  array = json_node_get_array (node);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *e = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
        {
          g_set_error (error, WHARF_POLICY_ERROR, WHARF_POLICY_ERROR_STRUCTURE,
                       _("“%s” must be a list of strings."), full);
          return FALSE;
        }
      g_strv_builder_add (builder, json_node_get_string (e));
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
get_object (JsonObject  *o,
            const char  *name,
            const char  *path,
            JsonObject **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (o, name);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *full = g_strdup_printf ("%s.%s", path, name);

      return wharf_policy_wrong_type (error, full);
    }
  *out = json_node_get_object (node);
  return TRUE;
}

WharfLifecycleDocument *
wharf_lifecycle_document_parse (const char  *text,
                                int         *line,
                                int         *column,
                                GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(WharfLifecycleDocument) doc = NULL;
  JsonObject *object;
  JsonNode *rules;
  JsonArray *list;

  g_return_val_if_fail (text != NULL, NULL);

  if (!(root = wharf_policy_json_parse (text, line, column, error)))
    return NULL;
  object = json_node_get_object (root);
  rules = json_object_get_member (object, "rules");
  if (rules == NULL || !JSON_NODE_HOLDS_ARRAY (rules))
    {
      g_set_error_literal (error, WHARF_POLICY_ERROR, WHARF_POLICY_ERROR_STRUCTURE,
                           _("The policy needs a “rules” list."));
      return NULL;
    }

  doc = wharf_lifecycle_document_new ();
  list = json_node_get_array (rules);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      g_autoptr(WharfLifecycleRule) rule = g_new0 (WharfLifecycleRule, 1);
      g_autofree char *path = g_strdup_printf ("rules[%u]", i);
      g_autofree char *selection_path = g_strdup_printf ("rules[%u].selection", i);
      g_autofree char *action_path = g_strdup_printf ("rules[%u].action", i);
      JsonObject *r, *selection, *action;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          wharf_policy_wrong_type (error, path);
          return NULL;
        }
      r = json_node_get_object (node);
      if (!get_int (r, "rulePriority", path, &rule->priority, error) ||
          !get_string (r, "description", path, &rule->description, error) ||
          !get_object (r, "selection", path, &selection, error) ||
          !get_object (r, "action", path, &action, error))
        return NULL;
      if (selection != NULL &&
          (!get_string (selection, "tagStatus", selection_path, &rule->tag_status, error) ||
           !get_strv (selection, "tagPrefixList", selection_path, &rule->tag_prefixes, error) ||
           !get_strv (selection, "tagPatternList", selection_path, &rule->tag_patterns, error) ||
           !get_string (selection, "countType", selection_path, &rule->count_type, error) ||
           !get_string (selection, "countUnit", selection_path, &rule->count_unit, error) ||
           !get_int (selection, "countNumber", selection_path, &rule->count_number, error)))
        return NULL;
      if (action != NULL && !get_string (action, "type", action_path, &rule->action, error))
        return NULL;
      g_ptr_array_add (doc->rules, g_steal_pointer (&rule));
    }
  return g_steal_pointer (&doc);
}

static JsonNode *
strv_node (char **strv)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; strv[i] != NULL; i++)
    json_array_add_string_element (array, strv[i]);
  json_node_take_array (node, array);
  return node;
}

char *
wharf_lifecycle_document_to_json (const WharfLifecycleDocument *self)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();
  JsonArray *rules = json_array_new ();

  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->rules->len; i++)
    {
      WharfLifecycleRule *rule = self->rules->pdata[i];
      JsonObject *r = json_object_new ();
      JsonObject *selection = json_object_new ();
      JsonObject *action = json_object_new ();

      json_object_set_int_member (r, "rulePriority", rule->priority);
      if (rule->description != NULL && rule->description[0] != '\0')
        json_object_set_string_member (r, "description", rule->description);
      if (rule->tag_status != NULL)
        json_object_set_string_member (selection, "tagStatus", rule->tag_status);
      if (rule->tag_prefixes != NULL)
        json_object_set_member (selection, "tagPrefixList", strv_node (rule->tag_prefixes));
      if (rule->tag_patterns != NULL)
        json_object_set_member (selection, "tagPatternList", strv_node (rule->tag_patterns));
      if (rule->count_type != NULL)
        json_object_set_string_member (selection, "countType", rule->count_type);
      if (rule->count_unit != NULL)
        json_object_set_string_member (selection, "countUnit", rule->count_unit);
      json_object_set_int_member (selection, "countNumber", rule->count_number);
      json_object_set_object_member (r, "selection", selection);
      if (rule->action != NULL)
        json_object_set_string_member (action, "type", rule->action);
      json_object_set_object_member (r, "action", action);
      json_array_add_object_element (rules, r);
    }
  json_object_set_array_member (object, "rules", rules);
  json_node_take_object (root, object);
  return wharf_policy_json_to_text (root);
}

static guint
count_wildcards (const char *pattern)
{
  guint n = 0;

  for (const char *c = pattern; *c != '\0'; c++)
    n += *c == '*';
  return n;
}

static void
validate_tag_list (GPtrArray  *problems,
                   int         index,
                   char      **tags,
                   gboolean    patterns)
{
  if (tags == NULL || tags[0] == NULL)
    {
      wharf_policy_problems_add (problems, index, WHARF_LIFECYCLE_FIELD_TAG_LIST, FALSE,
                                 g_strdup (patterns ? _("Enter at least one tag pattern, such as “release-*”.")
                                                    : _("Enter at least one tag prefix, such as “v”.")));
      return;
    }
  for (guint k = 0; tags[k] != NULL; k++)
    {
      if (tags[k][0] == '\0')
        {
          wharf_policy_problems_add (problems, index, WHARF_LIFECYCLE_FIELD_TAG_LIST, FALSE,
                                     g_strdup (_("A tag prefix or pattern cannot be empty.")));
          return;
        }
      if (patterns && count_wildcards (tags[k]) > WHARF_LIFECYCLE_MAX_WILDCARDS)
        {
          wharf_policy_problems_add (problems, index, WHARF_LIFECYCLE_FIELD_TAG_LIST, FALSE,
                                     /* Translators: %s is a tag pattern, %d the largest number of “*” */
                                     g_strdup_printf (_("The pattern “%s” has more than %d wildcards (*)."),
                                                      tags[k], WHARF_LIFECYCLE_MAX_WILDCARDS));
          return;
        }
      if (!patterns && strchr (tags[k], '*') != NULL)
        {
          wharf_policy_problems_add (problems, index, WHARF_LIFECYCLE_FIELD_TAG_LIST, FALSE,
                                     /* Translators: %s is a tag prefix */
                                     g_strdup_printf (_("The prefix “%s” contains “*”: prefixes match literally; choose tag patterns for wildcards."),
                                                      tags[k]));
          return;
        }
    }
}

GPtrArray *
wharf_lifecycle_document_validate (const WharfLifecycleDocument *self)
{
  GPtrArray *problems = wharf_policy_problems_new ();
  gint64 max_priority = G_MININT64;

  g_return_val_if_fail (self != NULL, problems);

  if (self->rules->len == 0)
    wharf_policy_problems_add (problems, -1, WHARF_LIFECYCLE_FIELD_DOCUMENT, FALSE,
                               g_strdup (_("A lifecycle policy needs at least one rule.")));

  for (guint i = 0; i < self->rules->len; i++)
    max_priority = MAX (max_priority, ((WharfLifecycleRule *) self->rules->pdata[i])->priority);

  for (guint i = 0; i < self->rules->len; i++)
    {
      WharfLifecycleRule *rule = self->rules->pdata[i];
      gboolean tagged = g_strcmp0 (rule->tag_status, "tagged") == 0;

      /* Priority */
      if (rule->priority < 1)
        wharf_policy_problems_add (problems, i, WHARF_LIFECYCLE_FIELD_PRIORITY, FALSE,
                                   g_strdup (_("The priority must be a whole number of 1 or more.")));
      else
        {
          for (guint k = 0; k < self->rules->len; k++)
            {
              if (k != i && ((WharfLifecycleRule *) self->rules->pdata[k])->priority == rule->priority)
                {
                  wharf_policy_problems_add (problems, i, WHARF_LIFECYCLE_FIELD_PRIORITY, FALSE,
                                             /* Translators: %d is a rule priority, %u a rule number */
                                             g_strdup_printf (_("Priority %d is also used by rule %u; each rule needs its own."),
                                                              (int) rule->priority, k + 1));
                  break;
                }
            }
        }

      /* Selection */
      if (g_strcmp0 (rule->tag_status, "tagged") != 0 &&
          g_strcmp0 (rule->tag_status, "untagged") != 0 &&
          g_strcmp0 (rule->tag_status, "any") != 0)
        wharf_policy_problems_add (problems, i, WHARF_LIFECYCLE_FIELD_TAG_STATUS, FALSE,
                                   g_strdup (_("The image status must be tagged, untagged or any.")));
      else if (tagged)
        {
          if (rule->tag_prefixes != NULL && rule->tag_patterns != NULL)
            wharf_policy_problems_add (problems, i, WHARF_LIFECYCLE_FIELD_TAG_LIST, FALSE,
                                       g_strdup (_("Use either tag prefixes or tag patterns in one rule, not both.")));
          else
            validate_tag_list (problems, i,
                               rule->tag_patterns != NULL ? rule->tag_patterns : rule->tag_prefixes,
                               rule->tag_patterns != NULL);
        }
      else
        {
          if (rule->tag_prefixes != NULL || rule->tag_patterns != NULL)
            wharf_policy_problems_add (problems, i, WHARF_LIFECYCLE_FIELD_TAG_LIST, FALSE,
                                       g_strdup (_("Tag prefixes and patterns are only allowed for tagged images.")));
          if (g_strcmp0 (rule->tag_status, "any") == 0 && rule->priority != max_priority)
            wharf_policy_problems_add (problems, i, WHARF_LIFECYCLE_FIELD_PRIORITY, FALSE,
                                       g_strdup (_("A rule for any image must come last: give it the highest priority number.")));
        }

      /* Count */
      if (g_strcmp0 (rule->count_type, "imageCountMoreThan") == 0)
        {
          if (rule->count_unit != NULL)
            wharf_policy_problems_add (problems, i, WHARF_LIFECYCLE_FIELD_COUNT_TYPE, FALSE,
                                       g_strdup (_("An image count has no unit (remove “countUnit”).")));
        }
      else if (g_strcmp0 (rule->count_type, "sinceImagePushed") == 0)
        {
          if (g_strcmp0 (rule->count_unit, "days") != 0)
            wharf_policy_problems_add (problems, i, WHARF_LIFECYCLE_FIELD_COUNT_TYPE, FALSE,
                                       g_strdup (_("The age since push is counted in days (“countUnit”: “days”).")));
        }
      else
        wharf_policy_problems_add (problems, i, WHARF_LIFECYCLE_FIELD_COUNT_TYPE, FALSE,
                                   g_strdup (_("The count type must be an image count or days since push.")));

      if (rule->count_number < 1)
        wharf_policy_problems_add (problems, i, WHARF_LIFECYCLE_FIELD_COUNT_NUMBER, FALSE,
                                   g_strdup (_("The count must be 1 or more.")));

      if (g_strcmp0 (rule->action, "expire") != 0)
        wharf_policy_problems_add (problems, i, WHARF_LIFECYCLE_FIELD_ACTION, FALSE,
                                   g_strdup (_("The only action is “expire”.")));
    }

  if (self->rules->len > 0)
    {
      g_autofree char *text = wharf_lifecycle_document_to_json (self);
      gsize len = strlen (text);

      if (len < WHARF_LIFECYCLE_TEXT_MIN_LENGTH || len > WHARF_LIFECYCLE_TEXT_MAX_LENGTH)
        wharf_policy_problems_add (problems, -1, WHARF_LIFECYCLE_FIELD_DOCUMENT, FALSE,
                                   /* Translators: %d and %d are lengths in characters */
                                   g_strdup_printf (_("The policy text must be between %d and %d characters long."),
                                                    WHARF_LIFECYCLE_TEXT_MIN_LENGTH,
                                                    WHARF_LIFECYCLE_TEXT_MAX_LENGTH));
    }

  return problems;
}

/* ---- Templates ---- */

static WharfLifecycleRule *
make_rule (gint64                priority,
           const char           *description,
           WharfLifecycleSelect  select,
           const char * const   *tags,
           gboolean              by_age,
           gint64                count)
{
  WharfLifecycleRule *rule = wharf_lifecycle_rule_new ();

  rule->priority = priority;
  rule->description = g_strdup (description);
  wharf_lifecycle_rule_set_select (rule, select, tags);
  g_free (rule->count_type);
  rule->count_type = g_strdup (by_age ? "sinceImagePushed" : "imageCountMoreThan");
  rule->count_unit = by_age ? g_strdup ("days") : NULL;
  rule->count_number = count;
  return rule;
}

WharfLifecycleDocument *
wharf_lifecycle_document_new_from_template (WharfLifecycleTemplate template_id,
                                            gint64                 count)
{
  WharfLifecycleDocument *doc = wharf_lifecycle_document_new ();
  static const char * const v[] = { "v", NULL };
  static const char * const release[] = { "release", NULL };

  count = MAX (count, 1);
  switch (template_id)
    {
    case WHARF_LIFECYCLE_TEMPLATE_KEEP_LAST:
      g_ptr_array_add (doc->rules,
                       make_rule (1, _("Keep only the newest images"), WHARF_LIFECYCLE_SELECT_ANY,
                                  NULL, FALSE, count));
      break;
    case WHARF_LIFECYCLE_TEMPLATE_EXPIRE_UNTAGGED:
      g_ptr_array_add (doc->rules,
                       make_rule (1, _("Expire untagged images"), WHARF_LIFECYCLE_SELECT_UNTAGGED,
                                  NULL, TRUE, count));
      break;
    case WHARF_LIFECYCLE_TEMPLATE_KEEP_RELEASES:
    default:
      g_ptr_array_add (doc->rules,
                       make_rule (1, _("Keep the newest v releases"), WHARF_LIFECYCLE_SELECT_TAG_PREFIXES,
                                  v, FALSE, count));
      g_ptr_array_add (doc->rules,
                       make_rule (2, _("Keep the newest release builds"),
                                  WHARF_LIFECYCLE_SELECT_TAG_PREFIXES, release, FALSE, count));
      g_ptr_array_add (doc->rules,
                       make_rule (3, _("Expire everything else after 30 days"),
                                  WHARF_LIFECYCLE_SELECT_ANY, NULL, TRUE, 30));
      break;
    }
  return doc;
}
