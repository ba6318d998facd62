/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Lifecycle policies: validation as ECR documents it, and an evaluation of the rules
 * against a repository's images for the preview. Rules run in rulePriority order; an image
 * selected by a rule is not considered by later rules; within a rule, images are ordered
 * newest first by push time, and imageCountMoreThan keeps the newest countNumber of them
 * while sinceImagePushed expires those pushed more than countNumber days ago. Manifests
 * that an image index references are left to their index.
 */
#define G_LOG_DOMAIN "wharf-sandbox-lifecycle"

#include "config.h"

#include <string.h>

#include "wharf-sandbox-private.h"

typedef struct
{
  gint64      priority;
  const char *tag_status;
  JsonArray  *prefixes;
  JsonArray  *patterns;
  gboolean    count_more_than;
  gint64      count_number;
} Rule;

static gboolean
string_list (JsonObject *o,
             const char *name,
             JsonArray **out,
             char      **reason)
{
  JsonNode *node = json_object_get_member (o, name);
  JsonArray *a;

  *out = NULL;
  if (!node)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (a = json_node_get_array (node)) == 0)
    {
      *reason = g_strdup_printf ("'%s' must be a non-empty list of strings", name);
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);

      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING
          || json_node_get_string (e)[0] == '\0')
        {
          *reason = g_strdup_printf ("'%s' must be a non-empty list of strings", name);
          return FALSE;
        }
    }
  *out = a;
  return TRUE;
}

static gboolean
int_member (JsonObject *o,
            const char *name,
            gint64     *out)
{
  JsonNode *node = json_object_get_member (o, name);

  if (!node || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

static const char *
string_member (JsonObject *o,
               const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  if (!node || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static int
compare_rules (gconstpointer a,
               gconstpointer b)
{
  const Rule *ra = a, *rb = b;

  return ra->priority < rb->priority ? -1 : ra->priority > rb->priority;
}

/* Parses @root into rules sorted by priority; NULL with @reason on a violation. */
static GArray *
parse_rules (JsonNode *root,
             char    **reason)
{
  g_autoptr(GArray) rules = g_array_new (FALSE, TRUE, sizeof (Rule));
  JsonNode *rules_node;
  JsonArray *list;
  gint64 any_priority = -1, max_priority = 0;

  if (!JSON_NODE_HOLDS_OBJECT (root)
      || !(rules_node = json_object_get_member (json_node_get_object (root), "rules"))
      || !JSON_NODE_HOLDS_ARRAY (rules_node)
      || json_array_get_length (list = json_node_get_array (rules_node)) == 0)
    {
      *reason = g_strdup ("the policy must be an object with a non-empty 'rules' list");
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *rn = json_array_get_element (list, i);
      JsonObject *r, *selection, *action;
      const char *count_type, *unit, *action_type;
      Rule rule = { 0 };

      if (!JSON_NODE_HOLDS_OBJECT (rn))
        {
          *reason = g_strdup_printf ("rules[%u] must be an object", i);
          return NULL;
        }
      r = json_node_get_object (rn);
      if (!int_member (r, "rulePriority", &rule.priority) || rule.priority < 1)
        {
          *reason = g_strdup_printf ("rules[%u].rulePriority must be a whole number of 1 or more", i);
          return NULL;
        }
      for (guint k = 0; k < rules->len; k++)
        {
          if (g_array_index (rules, Rule, k).priority == rule.priority)
            {
              *reason = g_strdup_printf ("rulePriority %" G_GINT64_FORMAT " is used by two rules",
                                         rule.priority);
              return NULL;
            }
        }
      if (json_object_has_member (r, "description") && !string_member (r, "description"))
        {
          *reason = g_strdup_printf ("rules[%u].description must be a string", i);
          return NULL;
        }
      if (!json_object_has_member (r, "selection")
          || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (r, "selection")))
        {
          *reason = g_strdup_printf ("rules[%u].selection is required", i);
          return NULL;
        }
      selection = json_object_get_object_member (r, "selection");
      rule.tag_status = string_member (selection, "tagStatus");
      if (!rule.tag_status || (!g_str_equal (rule.tag_status, "tagged")
                               && !g_str_equal (rule.tag_status, "untagged")
                               && !g_str_equal (rule.tag_status, "any")))
        {
          *reason = g_strdup_printf ("rules[%u].selection.tagStatus must be tagged, untagged or any", i);
          return NULL;
        }
      if (!string_list (selection, "tagPrefixList", &rule.prefixes, reason)
          || !string_list (selection, "tagPatternList", &rule.patterns, reason))
        return NULL;
      if (g_str_equal (rule.tag_status, "tagged"))
        {
          if (!rule.prefixes && !rule.patterns)
            {
              *reason = g_strdup_printf ("rules[%u]: a tagged selection needs tagPrefixList or tagPatternList", i);
              return NULL;
            }
          if (rule.prefixes && rule.patterns)
            {
              *reason = g_strdup_printf ("rules[%u]: use either tagPrefixList or tagPatternList, not both", i);
              return NULL;
            }
        }
      else if (rule.prefixes || rule.patterns)
        {
          *reason = g_strdup_printf ("rules[%u]: tagPrefixList and tagPatternList are only allowed with tagStatus tagged", i);
          return NULL;
        }
      for (guint k = 0; rule.patterns && k < json_array_get_length (rule.patterns); k++)
        {
          const char *p = json_array_get_string_element (rule.patterns, k);
          guint stars = 0;

          for (const char *c = p; *c; c++)
            stars += *c == '*';
          if (stars > 4)
            {
              *reason = g_strdup_printf ("rules[%u]: the tag pattern '%s' has more than 4 wildcards", i, p);
              return NULL;
            }
        }
      count_type = string_member (selection, "countType");
      if (!count_type || (!g_str_equal (count_type, "imageCountMoreThan")
                          && !g_str_equal (count_type, "sinceImagePushed")))
        {
          *reason = g_strdup_printf ("rules[%u].selection.countType must be imageCountMoreThan or sinceImagePushed", i);
          return NULL;
        }
      rule.count_more_than = g_str_equal (count_type, "imageCountMoreThan");
      unit = string_member (selection, "countUnit");
      if (rule.count_more_than && json_object_has_member (selection, "countUnit"))
        {
          *reason = g_strdup_printf ("rules[%u]: countUnit is not allowed with imageCountMoreThan", i);
          return NULL;
        }
      if (!rule.count_more_than && (!unit || !g_str_equal (unit, "days")))
        {
          *reason = g_strdup_printf ("rules[%u]: sinceImagePushed needs countUnit days", i);
          return NULL;
        }
      if (!int_member (selection, "countNumber", &rule.count_number) || rule.count_number < 1)
        {
          *reason = g_strdup_printf ("rules[%u].selection.countNumber must be a whole number of 1 or more", i);
          return NULL;
        }
      if (!json_object_has_member (r, "action")
          || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (r, "action")))
        {
          *reason = g_strdup_printf ("rules[%u].action is required", i);
          return NULL;
        }
      action = json_object_get_object_member (r, "action");
      action_type = string_member (action, "type");
      if (!action_type || !g_str_equal (action_type, "expire"))
        {
          *reason = g_strdup_printf ("rules[%u].action.type must be expire", i);
          return NULL;
        }
      if (g_str_equal (rule.tag_status, "any"))
        any_priority = rule.priority;
      max_priority = MAX (max_priority, rule.priority);
      g_array_append_val (rules, rule);
    }
  if (any_priority != -1 && any_priority != max_priority)
    {
      *reason = g_strdup ("a rule with tagStatus any must have the highest rulePriority");
      return NULL;
    }
  g_array_sort (rules, compare_rules);
  return g_steal_pointer (&rules);
}

gboolean
sb_lifecycle_validate (const char *text,
                       char      **reason)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GArray) rules = NULL;

  if (!json_parser_load_from_data (parser, text, -1, NULL))
    {
      *reason = g_strdup ("the policy is not valid JSON");
      return FALSE;
    }
  rules = parse_rules (json_parser_get_root (parser), reason);
  return rules != NULL;
}

static gboolean
has_tag_where (SbImage    *image,
               const char *pattern,
               gboolean    prefix)
{
  for (guint i = 0; i < image->tags->len; i++)
    {
      const char *tag = image->tags->pdata[i];

      if (prefix ? g_str_has_prefix (tag, pattern) : sb_wildcard_match (pattern, tag))
        return TRUE;
    }
  return FALSE;
}

static gboolean
rule_selects (Rule    *rule,
              SbImage *image)
{
  if (g_str_equal (rule->tag_status, "any"))
    return TRUE;
  if (g_str_equal (rule->tag_status, "untagged"))
    return image->tags->len == 0;
  if (image->tags->len == 0)
    return FALSE;
  /* every listed prefix or pattern must be matched by one of the image's tags */
  for (guint i = 0; rule->prefixes && i < json_array_get_length (rule->prefixes); i++)
    if (!has_tag_where (image, json_array_get_string_element (rule->prefixes, i), TRUE))
      return FALSE;
  for (guint i = 0; rule->patterns && i < json_array_get_length (rule->patterns); i++)
    if (!has_tag_where (image, json_array_get_string_element (rule->patterns, i), FALSE))
      return FALSE;
  return TRUE;
}

static int
newest_first (gconstpointer a,
              gconstpointer b)
{
  const SbImage *ia = *(SbImage **) a, *ib = *(SbImage **) b;

  if (ia->pushed_at != ib->pushed_at)
    return ia->pushed_at > ib->pushed_at ? -1 : 1;
  return ia->seq > ib->seq ? -1 : ia->seq < ib->seq;
}

static void
preview_result_clear (gpointer data)
{
  g_free (((SbPreviewResult *) data)->digest);
}

GArray *
sb_lifecycle_evaluate (const char *text,
                       SbRepo     *repo,
                       gint64      now)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GArray) rules = NULL;
  g_autoptr(GHashTable) considered = g_hash_table_new (NULL, NULL);
  g_autofree char *reason = NULL;
  GArray *results = g_array_new (FALSE, TRUE, sizeof (SbPreviewResult));

  g_array_set_clear_func (results, preview_result_clear);
  if (!json_parser_load_from_data (parser, text, -1, NULL)
      || !(rules = parse_rules (json_parser_get_root (parser), &reason)))
    return results;

  for (guint r = 0; r < rules->len; r++)
    {
      Rule *rule = &g_array_index (rules, Rule, r);
      g_autoptr(GPtrArray) selected = g_ptr_array_new ();

      for (guint i = 0; i < repo->images->len; i++)
        {
          SbImage *image = repo->images->pdata[i];

          if (image->n_parents > 0 || g_hash_table_contains (considered, image))
            continue;
          if (rule_selects (rule, image))
            g_ptr_array_add (selected, image);
        }
      for (guint i = 0; i < selected->len; i++)
        g_hash_table_add (considered, selected->pdata[i]);
      g_ptr_array_sort (selected, newest_first);

      /* oldest first in the results */
      for (guint i = selected->len; i-- > 0;)
        {
          SbImage *image = selected->pdata[i];
          gboolean expire;

          if (rule->count_more_than)
            expire = i >= (guint64) rule->count_number;
          else
            expire = image->pushed_at < now - rule->count_number * SB_USEC_PER_DAY;
          if (expire)
            {
              SbPreviewResult result = { g_strdup (image->digest), (int) rule->priority };

              g_array_append_val (results, result);
            }
        }
    }
  return results;
}

gboolean
sb_registry_run_lifecycle (SbRegistry *registry,
                           gint64      now)
{
  gboolean changed = FALSE;

  for (guint i = 0; i < registry->repos->len; i++)
    {
      SbRepo *repo = registry->repos->pdata[i];
      g_autoptr(GArray) expired = NULL;
      gint64 last;

      if (!repo->lifecycle_policy)
        continue;
      last = repo->lifecycle_run_at ? repo->lifecycle_run_at : repo->lifecycle_put_at;
      if (now < last + SB_USEC_PER_DAY)
        continue;
      expired = sb_lifecycle_evaluate (repo->lifecycle_policy, repo, now);
      for (guint k = 0; k < expired->len; k++)
        {
          SbImage *image = g_hash_table_lookup (repo->by_digest,
                                                g_array_index (expired, SbPreviewResult, k).digest);

          if (image && image->n_parents == 0)
            sb_repo_remove_image (repo, image);
        }
      repo->lifecycle_run_at = now;
      changed = TRUE;
    }
  return changed;
}
