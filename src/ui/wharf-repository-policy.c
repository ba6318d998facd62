/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-repository-policy"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "wharf-repository-policy.h"

#include "wharf-policy-private.h"

#define DEFAULT_VERSION "2012-10-17"

struct _WharfRepositoryPolicy
{
  char      *version;
  GPtrArray *statements;   /* WharfPolicyStatement */
};

G_DEFINE_BOXED_TYPE (WharfPolicyStatement, wharf_policy_statement,
                     wharf_policy_statement_copy, wharf_policy_statement_free)
G_DEFINE_BOXED_TYPE (WharfRepositoryPolicy, wharf_repository_policy,
                     wharf_repository_policy_copy, wharf_repository_policy_free)

/* ---- Action groups ---- */

static const char * const pull_actions[] = {
  "ecr:BatchGetImage",
  "ecr:GetDownloadUrlForLayer",
  "ecr:BatchCheckLayerAvailability",
  NULL
};

static const char * const push_actions[] = {
  "ecr:BatchGetImage",
  "ecr:GetDownloadUrlForLayer",
  "ecr:BatchCheckLayerAvailability",
  "ecr:PutImage",
  "ecr:InitiateLayerUpload",
  "ecr:UploadLayerPart",
  "ecr:CompleteLayerUpload",
  NULL
};

static const char * const manage_actions[] = {
  "ecr:BatchGetImage",
  "ecr:GetDownloadUrlForLayer",
  "ecr:BatchCheckLayerAvailability",
  "ecr:PutImage",
  "ecr:InitiateLayerUpload",
  "ecr:UploadLayerPart",
  "ecr:CompleteLayerUpload",
  "ecr:DescribeRepositories",
  "ecr:DescribeImages",
  "ecr:ListImages",
  "ecr:BatchDeleteImage",
  "ecr:GetRepositoryPolicy",
  "ecr:SetRepositoryPolicy",
  "ecr:DeleteRepositoryPolicy",
  "ecr:GetLifecyclePolicy",
  "ecr:PutLifecyclePolicy",
  "ecr:DeleteLifecyclePolicy",
  "ecr:StartLifecyclePolicyPreview",
  "ecr:GetLifecyclePolicyPreview",
  "ecr:PutImageTagMutability",
  "ecr:PutImageScanningConfiguration",
  "ecr:StartImageScan",
  "ecr:DescribeImageScanFindings",
  "ecr:ListTagsForResource",
  "ecr:TagResource",
  "ecr:UntagResource",
  NULL
};

static const char * const all_actions[] = { "ecr:*", NULL };

const char * const *
wharf_policy_access_actions (WharfPolicyAccess access)
{
  switch (access)
    {
    case WHARF_POLICY_ACCESS_PULL:
      return pull_actions;
    case WHARF_POLICY_ACCESS_PUSH:
      return push_actions;
    case WHARF_POLICY_ACCESS_MANAGE:
      return manage_actions;
    case WHARF_POLICY_ACCESS_ALL:
      return all_actions;
    case WHARF_POLICY_ACCESS_CUSTOM:
    default:
      return NULL;
    }
}

static gboolean
same_set (const char * const *a,
          const char * const *b)
{
  guint na = a ? g_strv_length ((char **) a) : 0;
  guint nb = b ? g_strv_length ((char **) b) : 0;

  if (na != nb)
    return FALSE;
  for (guint i = 0; i < na; i++)
    if (!g_strv_contains (b, a[i]))
      return FALSE;
  return TRUE;
}

WharfPolicyAccess
wharf_policy_access_from_actions (const char * const *actions)
{
  for (WharfPolicyAccess a = WHARF_POLICY_ACCESS_PULL; a < WHARF_POLICY_ACCESS_CUSTOM; a++)
    if (same_set (actions, wharf_policy_access_actions (a)))
      return a;
  return WHARF_POLICY_ACCESS_CUSTOM;
}

/* ---- Statements ---- */

WharfPolicyStatement *
wharf_policy_statement_new (void)
{
  WharfPolicyStatement *self = g_new0 (WharfPolicyStatement, 1);

  self->effect = g_strdup ("Allow");
  self->principals = g_new0 (char *, 1);
  self->actions = g_strdupv ((char **) pull_actions);
  return self;
}

WharfPolicyStatement *
wharf_policy_statement_copy (const WharfPolicyStatement *self)
{
  WharfPolicyStatement *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (WharfPolicyStatement, 1);
  copy->sid = g_strdup (self->sid);
  copy->effect = g_strdup (self->effect);
  copy->principals = g_strdupv (self->principals);
  copy->actions = g_strdupv (self->actions);
  copy->conditions = g_strdup (self->conditions);
  return copy;
}

void
wharf_policy_statement_free (WharfPolicyStatement *self)
{
  if (self == NULL)
    return;
  g_free (self->sid);
  g_free (self->effect);
  g_strfreev (self->principals);
  g_strfreev (self->actions);
  g_free (self->conditions);
  g_free (self);
}

/* A missing list is the same as an empty one here. */
static gboolean
strv_equal0 (char **a,
             char **b)
{
  return wharf_policy_strv_equal0 (a != NULL && a[0] != NULL ? a : NULL,
                                   b != NULL && b[0] != NULL ? b : NULL);
}

gboolean
wharf_policy_statement_equal (const WharfPolicyStatement *a,
                              const WharfPolicyStatement *b)
{
  return g_strcmp0 (a->sid, b->sid) == 0 &&
         g_strcmp0 (a->effect, b->effect) == 0 &&
         strv_equal0 (a->principals, b->principals) &&
         strv_equal0 (a->actions, b->actions) &&
         g_strcmp0 (a->conditions, b->conditions) == 0;
}

static gboolean
all_digits (const char *s,
            gsize       n)
{
  if (strlen (s) != n)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* arn:PARTITION:iam::ACCOUNT:root|user/…|role/… or arn:PARTITION:sts::ACCOUNT:assumed-role/… */
static gboolean
is_iam_arn (const char *s)
{
  g_auto(GStrv) parts = g_strsplit (s, ":", 6);
  const char *resource;

  if (g_strv_length (parts) != 6 || !g_str_equal (parts[0], "arn"))
    return FALSE;
  if (!g_str_equal (parts[1], "aws") && !g_str_equal (parts[1], "aws-cn") &&
      !g_str_equal (parts[1], "aws-us-gov"))
    return FALSE;
  if (parts[3][0] != '\0' || !all_digits (parts[4], 12))
    return FALSE;
  resource = parts[5];
  if (g_str_equal (parts[2], "iam"))
    return g_str_equal (resource, "root") ||
           (g_str_has_prefix (resource, "user/") && resource[5] != '\0') ||
           (g_str_has_prefix (resource, "role/") && resource[5] != '\0');
  if (g_str_equal (parts[2], "sts"))
    return g_str_has_prefix (resource, "assumed-role/") && strchr (resource + 13, '/') != NULL;
  return FALSE;
}

static gboolean
is_service (const char *s)
{
  const char *suffix = g_str_has_suffix (s, ".amazonaws.com") ? ".amazonaws.com"
                       : g_str_has_suffix (s, ".amazonaws.com.cn") ? ".amazonaws.com.cn" : NULL;
  gsize n;

  if (suffix == NULL)
    return FALSE;
  n = strlen (s) - strlen (suffix);
  if (n == 0)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_islower (s[i]) && !g_ascii_isdigit (s[i]) && s[i] != '-' && s[i] != '.')
      return FALSE;
  return TRUE;
}

const char *
wharf_policy_principal_kind (const char *principal)
{
  if (principal == NULL)
    return NULL;
  if (g_str_equal (principal, "*"))
    return "everyone";
  if (all_digits (principal, 12))
    return "account";
  if (is_iam_arn (principal))
    return "arn";
  if (is_service (principal))
    return "service";
  return NULL;
}

char *
wharf_policy_statement_describe (const WharfPolicyStatement *self)
{
  g_autoptr(GString) who = g_string_new (NULL);
  const char *what;

  for (guint i = 0; self->principals != NULL && self->principals[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (who, ", ");
      g_string_append (who, g_str_equal (self->principals[i], "*") ? _("everyone")
                                                                  : self->principals[i]);
    }
  if (who->len == 0)
    g_string_append (who, _("nobody yet"));

  switch (wharf_policy_access_from_actions ((const char * const *) self->actions))
    {
    case WHARF_POLICY_ACCESS_PULL:
      what = _("pull");
      break;
    case WHARF_POLICY_ACCESS_PUSH:
      what = _("push and pull");
      break;
    case WHARF_POLICY_ACCESS_MANAGE:
      what = _("manage");
      break;
    case WHARF_POLICY_ACCESS_ALL:
      what = _("every action");
      break;
    case WHARF_POLICY_ACCESS_CUSTOM:
    default:
      what = _("chosen actions");
      break;
    }

  if (g_strcmp0 (self->effect, "Deny") == 0)
    /* Translators: "Deny push and pull for 444455556666" */
    return g_strdup_printf (_("Deny %s for %s"), what, who->str);
  /* Translators: "Allow pull for 444455556666" */
  return g_strdup_printf (_("Allow %s for %s"), what, who->str);
}

/* ---- Policies ---- */

WharfRepositoryPolicy *
wharf_repository_policy_new (void)
{
  WharfRepositoryPolicy *self = g_new0 (WharfRepositoryPolicy, 1);

  self->version = g_strdup (DEFAULT_VERSION);
  self->statements = g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_policy_statement_free);
  return self;
}

WharfRepositoryPolicy *
wharf_repository_policy_copy (const WharfRepositoryPolicy *self)
{
  WharfRepositoryPolicy *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = wharf_repository_policy_new ();
  g_free (copy->version);
  copy->version = g_strdup (self->version);
  for (guint i = 0; i < self->statements->len; i++)
    g_ptr_array_add (copy->statements, wharf_policy_statement_copy (self->statements->pdata[i]));
  return copy;
}

void
wharf_repository_policy_free (WharfRepositoryPolicy *self)
{
  if (self == NULL)
    return;
  g_free (self->version);
  g_ptr_array_unref (self->statements);
  g_free (self);
}

gboolean
wharf_repository_policy_equal (const WharfRepositoryPolicy *a,
                               const WharfRepositoryPolicy *b)
{
  if (g_strcmp0 (a->version, b->version) != 0 || a->statements->len != b->statements->len)
    return FALSE;
  for (guint i = 0; i < a->statements->len; i++)
    if (!wharf_policy_statement_equal (a->statements->pdata[i], b->statements->pdata[i]))
      return FALSE;
  return TRUE;
}

const char *
wharf_repository_policy_get_version (const WharfRepositoryPolicy *self)
{
  return self->version;
}

guint
wharf_repository_policy_get_n_statements (const WharfRepositoryPolicy *self)
{
  return self->statements->len;
}

WharfPolicyStatement *
wharf_repository_policy_get_statement (const WharfRepositoryPolicy *self,
                                       guint                        index)
{
  g_return_val_if_fail (index < self->statements->len, NULL);
  return self->statements->pdata[index];
}

void
wharf_repository_policy_add_statement (WharfRepositoryPolicy *self,
                                       WharfPolicyStatement  *statement)
{
  g_ptr_array_add (self->statements, statement);
}

void
wharf_repository_policy_set_statement (WharfRepositoryPolicy *self,
                                       guint                  index,
                                       WharfPolicyStatement  *statement)
{
  g_return_if_fail (index < self->statements->len);
  g_return_if_fail (statement != NULL);

  wharf_policy_statement_free (self->statements->pdata[index]);
  self->statements->pdata[index] = statement;
}

void
wharf_repository_policy_remove_statement (WharfRepositoryPolicy *self,
                                          guint                  index)
{
  g_return_if_fail (index < self->statements->len);
  g_ptr_array_remove_index (self->statements, index);
}

/* A string or a list of strings, appended to @builder. */
static gboolean
add_strings (GStrvBuilder  *builder,
             JsonNode      *node,
             const char    *path,
             GError       **error)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_strv_builder_add (builder, json_node_get_string (node));
      return TRUE;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *e = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
            return wharf_policy_wrong_type (error, path);
          g_strv_builder_add (builder, json_node_get_string (e));
        }
      return TRUE;
    }
  return wharf_policy_wrong_type (error, path);
}

static gboolean
parse_statement (JsonNode              *node,
                 guint                  index,
                 WharfPolicyStatement **out,
                 GError               **error)
{
  g_autoptr(WharfPolicyStatement) st = g_new0 (WharfPolicyStatement, 1);
  g_autoptr(GStrvBuilder) principals = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) actions = g_strv_builder_new ();
  g_autofree char *path = g_strdup_printf ("Statement[%u]", index);
  JsonObject *o;
  JsonNode *member;
  GList *members;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wharf_policy_wrong_type (error, path);
  o = json_node_get_object (node);

  members = json_object_get_members (o);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;

      if (!g_str_equal (name, "Sid") && !g_str_equal (name, "Effect") &&
          !g_str_equal (name, "Principal") && !g_str_equal (name, "Action") &&
          !g_str_equal (name, "Condition"))
        {
          g_set_error (error, WHARF_POLICY_ERROR, WHARF_POLICY_ERROR_STRUCTURE,
                       /* Translators: %s is a JSON path such as Statement[0].NotAction */
                       _("Wharf cannot edit “%s.%s”: a statement here has Sid, Effect, Principal, Action and Condition."),
                       path, name);
          g_list_free (members);
          return FALSE;
        }
    }
  g_list_free (members);

  if ((member = json_object_get_member (o, "Sid")) != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_STRING)
        return wharf_policy_wrong_type (error, "Sid");
      st->sid = json_node_dup_string (member);
    }
  if ((member = json_object_get_member (o, "Effect")) != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_STRING)
        return wharf_policy_wrong_type (error, "Effect");
      st->effect = json_node_dup_string (member);
    }
  if ((member = json_object_get_member (o, "Principal")) != NULL)
    {
      g_autofree char *ppath = g_strdup_printf ("%s.Principal", path);

      if (JSON_NODE_HOLDS_OBJECT (member))
        {
          JsonObject *p = json_node_get_object (member);
          GList *kinds = json_object_get_members (p);

          for (GList *l = kinds; l != NULL; l = l->next)
            {
              const char *kind = l->data;
              g_autofree char *kpath = g_strdup_printf ("%s.%s", ppath, kind);

              if (!g_str_equal (kind, "AWS") && !g_str_equal (kind, "Service"))
                {
                  g_set_error (error, WHARF_POLICY_ERROR, WHARF_POLICY_ERROR_STRUCTURE,
                               /* Translators: %s is a JSON path such as Statement[0].Principal.Federated */
                               _("Wharf cannot edit “%s”: only AWS and Service principals."),
                               kpath);
                  g_list_free (kinds);
                  return FALSE;
                }
              if (!add_strings (principals, json_object_get_member (p, kind), kpath, error))
                {
                  g_list_free (kinds);
                  return FALSE;
                }
            }
          g_list_free (kinds);
        }
      else if (!add_strings (principals, member, ppath, error))
        return FALSE;
    }
  if ((member = json_object_get_member (o, "Action")) != NULL)
    {
      g_autofree char *apath = g_strdup_printf ("%s.Action", path);

      if (!add_strings (actions, member, apath, error))
        return FALSE;
    }
  if ((member = json_object_get_member (o, "Condition")) != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (member))
        {
          g_autofree char *cpath = g_strdup_printf ("%s.Condition", path);

          return wharf_policy_wrong_type (error, cpath);
        }
      st->conditions = wharf_policy_json_to_text (member);
    }

  st->principals = g_strv_builder_end (principals);
  st->actions = g_strv_builder_end (actions);
  *out = g_steal_pointer (&st);
  return TRUE;
}

WharfRepositoryPolicy *
wharf_repository_policy_parse (const char  *text,
                               int         *line,
                               int         *column,
                               GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(WharfRepositoryPolicy) policy = NULL;
  JsonObject *object;
  JsonNode *member;

  g_return_val_if_fail (text != NULL, NULL);

  if (!(root = wharf_policy_json_parse (text, line, column, error)))
    return NULL;
  object = json_node_get_object (root);
  policy = wharf_repository_policy_new ();

  if ((member = json_object_get_member (object, "Version")) != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_STRING)
        {
          wharf_policy_wrong_type (error, "Version");
          return NULL;
        }
      g_free (policy->version);
      policy->version = json_node_dup_string (member);
    }
  member = json_object_get_member (object, "Statement");
  if (member == NULL)
    {
      g_set_error_literal (error, WHARF_POLICY_ERROR, WHARF_POLICY_ERROR_STRUCTURE,
                           _("The policy needs a “Statement” list."));
      return NULL;
    }
  if (JSON_NODE_HOLDS_OBJECT (member))
    {
      WharfPolicyStatement *st;

      if (!parse_statement (member, 0, &st, error))
        return NULL;
      g_ptr_array_add (policy->statements, st);
    }
  else if (JSON_NODE_HOLDS_ARRAY (member))
    {
      JsonArray *list = json_node_get_array (member);

      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          WharfPolicyStatement *st;

          if (!parse_statement (json_array_get_element (list, i), i, &st, error))
            return NULL;
          g_ptr_array_add (policy->statements, st);
        }
    }
  else
    {
      wharf_policy_wrong_type (error, "Statement");
      return NULL;
    }
  return g_steal_pointer (&policy);
}

static JsonNode *
strings_node (GPtrArray *strings)
{
  JsonNode *node;

  if (strings->len == 1)
    return json_node_init_string (json_node_alloc (), strings->pdata[0]);

  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, json_array_new ());
  for (guint i = 0; i < strings->len; i++)
    json_array_add_string_element (json_node_get_array (node), strings->pdata[i]);
  return node;
}

char *
wharf_repository_policy_to_json (const WharfRepositoryPolicy *self)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();
  JsonArray *statements = json_array_new ();

  g_return_val_if_fail (self != NULL, NULL);

  json_object_set_string_member (object, "Version", self->version ? self->version : DEFAULT_VERSION);
  for (guint i = 0; i < self->statements->len; i++)
    {
      WharfPolicyStatement *st = self->statements->pdata[i];
      JsonObject *s = json_object_new ();
      g_autoptr(GPtrArray) aws = g_ptr_array_new ();
      g_autoptr(GPtrArray) services = g_ptr_array_new ();
      g_autoptr(GPtrArray) actions = g_ptr_array_new ();
      gboolean everyone = FALSE;

      if (st->sid != NULL && st->sid[0] != '\0')
        json_object_set_string_member (s, "Sid", st->sid);
      if (st->effect != NULL)
        json_object_set_string_member (s, "Effect", st->effect);

      for (guint k = 0; st->principals != NULL && st->principals[k] != NULL; k++)
        {
          const char *p = st->principals[k];

          if (g_str_equal (p, "*"))
            everyone = TRUE;
          else if (g_strcmp0 (wharf_policy_principal_kind (p), "service") == 0)
            g_ptr_array_add (services, (gpointer) p);
          else
            g_ptr_array_add (aws, (gpointer) p);
        }
      if (everyone && aws->len == 0 && services->len == 0)
        json_object_set_string_member (s, "Principal", "*");
      else if (everyone || aws->len > 0 || services->len > 0)
        {
          JsonObject *p = json_object_new ();

          if (everyone)
            g_ptr_array_insert (aws, 0, (gpointer) "*");
          if (aws->len > 0)
            json_object_set_member (p, "AWS", strings_node (aws));
          if (services->len > 0)
            json_object_set_member (p, "Service", strings_node (services));
          json_object_set_object_member (s, "Principal", p);
        }

      for (guint k = 0; st->actions != NULL && st->actions[k] != NULL; k++)
        g_ptr_array_add (actions, st->actions[k]);
      if (actions->len > 0)
        json_object_set_member (s, "Action", strings_node (actions));

      if (st->conditions != NULL && st->conditions[0] != '\0')
        {
          g_autoptr(JsonNode) condition = wharf_policy_json_parse (st->conditions, NULL, NULL, NULL);

          /* Invalid condition text cannot go into a document: validation reports it. */
          if (condition != NULL)
            json_object_set_member (s, "Condition", g_steal_pointer (&condition));
        }
      json_array_add_object_element (statements, s);
    }
  json_object_set_array_member (object, "Statement", statements);
  json_node_take_object (root, object);
  return wharf_policy_json_to_text (root);
}

static gboolean
valid_sid (const char *sid)
{
  for (const char *c = sid; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c))
      return FALSE;
  return TRUE;
}

static gboolean
valid_action (const char *action)
{
  const char *name;

  if (g_str_equal (action, "*"))
    return TRUE;
  if (!g_str_has_prefix (action, "ecr:"))
    return FALSE;
  name = action + 4;
  if (*name == '\0')
    return FALSE;
  for (const char *c = name; *c != '\0'; c++)
    if (!g_ascii_isalpha (*c) && *c != '*')
      return FALSE;
  return TRUE;
}

GPtrArray *
wharf_repository_policy_validate (const WharfRepositoryPolicy *self)
{
  GPtrArray *problems = wharf_policy_problems_new ();

  g_return_val_if_fail (self != NULL, problems);

  if (g_strcmp0 (self->version, "2012-10-17") != 0 && g_strcmp0 (self->version, "2008-10-17") != 0)
    wharf_policy_problems_add (problems, -1, WHARF_POLICY_FIELD_DOCUMENT, FALSE,
                               g_strdup (_("The policy version must be “2012-10-17” or “2008-10-17”.")));
  if (self->statements->len == 0)
    wharf_policy_problems_add (problems, -1, WHARF_POLICY_FIELD_DOCUMENT, FALSE,
                               g_strdup (_("A repository policy needs at least one statement.")));

  for (guint i = 0; i < self->statements->len; i++)
    {
      WharfPolicyStatement *st = self->statements->pdata[i];

      if (st->sid != NULL && st->sid[0] != '\0')
        {
          if (!valid_sid (st->sid))
            wharf_policy_problems_add (problems, i, WHARF_POLICY_FIELD_SID, FALSE,
                                       g_strdup (_("A statement ID may contain only letters and digits.")));
          else
            for (guint k = 0; k < i; k++)
              if (g_strcmp0 (((WharfPolicyStatement *) self->statements->pdata[k])->sid, st->sid) == 0)
                {
                  wharf_policy_problems_add (problems, i, WHARF_POLICY_FIELD_SID, FALSE,
                                             /* Translators: %u is a statement number */
                                             g_strdup_printf (_("Statement %u already uses this ID."), k + 1));
                  break;
                }
        }

      if (g_strcmp0 (st->effect, "Allow") != 0 && g_strcmp0 (st->effect, "Deny") != 0)
        wharf_policy_problems_add (problems, i, WHARF_POLICY_FIELD_EFFECT, FALSE,
                                   g_strdup (_("The effect must be Allow or Deny.")));

      if (st->principals == NULL || st->principals[0] == NULL)
        wharf_policy_problems_add (problems, i, WHARF_POLICY_FIELD_PRINCIPALS, FALSE,
                                   g_strdup (_("Name at least one principal: an account ID, an IAM ARN or a service.")));
      for (guint k = 0; st->principals != NULL && st->principals[k] != NULL; k++)
        {
          const char *p = st->principals[k];
          const char *kind = wharf_policy_principal_kind (p);

          if (kind == NULL)
            {
              if (p[0] != '\0' && g_ascii_isdigit (p[0]) && strspn (p, "0123456789") == strlen (p))
                wharf_policy_problems_add (problems, i, WHARF_POLICY_FIELD_PRINCIPALS, FALSE,
                                           /* Translators: %s is what the person typed */
                                           g_strdup_printf (_("“%s” is not an account ID: an account ID has 12 digits."), p));
              else if (g_str_has_prefix (p, "arn:"))
                wharf_policy_problems_add (problems, i, WHARF_POLICY_FIELD_PRINCIPALS, FALSE,
                                           /* Translators: %s is what the person typed */
                                           g_strdup_printf (_("“%s” is not a well-formed IAM ARN, such as arn:aws:iam::123456789012:role/name."), p));
              else
                wharf_policy_problems_add (problems, i, WHARF_POLICY_FIELD_PRINCIPALS, FALSE,
                                           /* Translators: %s is what the person typed */
                                           g_strdup_printf (_("“%s” is not an account ID, an IAM ARN or a service such as lambda.amazonaws.com."), p));
              break;
            }
          if (g_str_equal (kind, "everyone") && g_strcmp0 (st->effect, "Allow") == 0)
            wharf_policy_problems_add (problems, i, WHARF_POLICY_FIELD_PRINCIPALS, TRUE,
                                       g_strdup (_("“*” allows everyone, in every AWS account, unless a condition limits it.")));
        }

      if (st->actions == NULL || st->actions[0] == NULL)
        wharf_policy_problems_add (problems, i, WHARF_POLICY_FIELD_ACTIONS, FALSE,
                                   g_strdup (_("Choose at least one action.")));
      for (guint k = 0; st->actions != NULL && st->actions[k] != NULL; k++)
        if (!valid_action (st->actions[k]))
          {
            wharf_policy_problems_add (problems, i, WHARF_POLICY_FIELD_ACTIONS, FALSE,
                                       /* Translators: %s is an action name */
                                       g_strdup_printf (_("“%s” is not an ECR action such as ecr:BatchGetImage."),
                                                        st->actions[k]));
            break;
          }

      if (st->conditions != NULL && st->conditions[0] != '\0')
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(JsonNode) node = wharf_policy_json_parse (st->conditions, NULL, NULL, &error);

          if (node == NULL)
            wharf_policy_problems_add (problems, i, WHARF_POLICY_FIELD_CONDITIONS, FALSE,
                                       /* Translators: %s is a JSON error message */
                                       g_strdup_printf (_("The conditions are not a JSON object: %s"), error->message));
        }
    }
  return problems;
}

/* ---- Templates ---- */

gboolean
wharf_policy_template_check_subject (WharfPolicyTemplate   template_id,
                                     const char           *subject,
                                     char                **reason)
{
  const char *kind = wharf_policy_principal_kind (subject);
  g_auto(GStrv) parts = NULL;

  switch (template_id)
    {
    case WHARF_POLICY_TEMPLATE_PULL_FOR_ACCOUNT:
      if (g_strcmp0 (kind, "account") == 0)
        return TRUE;
      if (reason)
        *reason = g_strdup (_("Enter an AWS account ID: 12 digits."));
      return FALSE;
    case WHARF_POLICY_TEMPLATE_PUSH_FOR_ROLE:
      if (g_strcmp0 (kind, "arn") == 0 && strstr (subject, ":role/") != NULL)
        return TRUE;
      if (reason)
        *reason = g_strdup (_("Enter an IAM role ARN, such as arn:aws:iam::123456789012:role/ci."));
      return FALSE;
    case WHARF_POLICY_TEMPLATE_LAMBDA_READ:
    default:
      parts = g_strsplit (subject ? subject : "", ":", 7);
      if (g_strv_length (parts) >= 7 && g_str_equal (parts[0], "arn") &&
          g_str_has_prefix (parts[1], "aws") && g_str_equal (parts[2], "lambda") &&
          parts[3][0] != '\0' && all_digits (parts[4], 12) && g_str_equal (parts[5], "function") &&
          parts[6][0] != '\0')
        return TRUE;
      if (reason)
        *reason = g_strdup (_("Enter a Lambda function ARN, such as arn:aws:lambda:us-east-1:123456789012:function:name (“*” allowed)."));
      return FALSE;
    }
}

static char *
unique_sid (const char                  *base,
            const WharfRepositoryPolicy *policy)
{
  for (guint n = 1;; n++)
    {
      g_autofree char *sid = n == 1 ? g_strdup (base) : g_strdup_printf ("%s%u", base, n);
      gboolean taken = FALSE;

      for (guint i = 0; policy != NULL && i < policy->statements->len; i++)
        taken |= g_strcmp0 (((WharfPolicyStatement *) policy->statements->pdata[i])->sid, sid) == 0;
      if (!taken)
        return g_steal_pointer (&sid);
    }
}

WharfPolicyStatement *
wharf_policy_statement_new_from_template (WharfPolicyTemplate          template_id,
                                          const char                  *subject,
                                          const WharfRepositoryPolicy *policy)
{
  WharfPolicyStatement *st = wharf_policy_statement_new ();
  static const char * const lambda_actions[] = {
    "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", NULL
  };
  g_autoptr(JsonNode) condition = NULL;
  JsonObject *like, *outer;

  g_strfreev (st->principals);
  g_strfreev (st->actions);

  switch (template_id)
    {
    case WHARF_POLICY_TEMPLATE_PULL_FOR_ACCOUNT:
      st->sid = unique_sid ("AllowPullFromAccount", policy);
      st->principals = g_new0 (char *, 2);
      st->principals[0] = g_strdup_printf ("arn:aws:iam::%s:root", subject);
      st->actions = g_strdupv ((char **) pull_actions);
      break;
    case WHARF_POLICY_TEMPLATE_PUSH_FOR_ROLE:
      st->sid = unique_sid ("AllowPushFromCi", policy);
      st->principals = g_new0 (char *, 2);
      st->principals[0] = g_strdup (subject);
      st->actions = g_strdupv ((char **) push_actions);
      break;
    case WHARF_POLICY_TEMPLATE_LAMBDA_READ:
    default:
      st->sid = unique_sid ("LambdaECRImageRetrievalPolicy", policy);
      st->principals = g_new0 (char *, 2);
      st->principals[0] = g_strdup ("lambda.amazonaws.com");
      st->actions = g_strdupv ((char **) lambda_actions);
      like = json_object_new ();
      json_object_set_string_member (like, "aws:sourceArn", subject);
      outer = json_object_new ();
      json_object_set_object_member (outer, "StringLike", like);
      condition = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (condition, outer);
      st->conditions = wharf_policy_json_to_text (condition);
      break;
    }
  return st;
}
