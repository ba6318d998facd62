/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Repository policies and lifecycle policies: one handler puts, gets and deletes either
 * kind; lifecycle policies also have previews.
 */
#define G_LOG_DOMAIN "wharf-sandbox-ops"

#include "config.h"

#include "wharf-sandbox-ops-private.h"

/* What tells a repository policy from a lifecycle policy. */
typedef struct
{
  const char *text_member;      /* of the policy text in the output */
  const char *title;            /* "Repository policy", for the not-found message */
  const char *not_found_type;
  gsize       offset;           /* of the policy text (char *, nullable) in SbRepo */
  /* Reads, checks and validates the text a Put or Set request brings. */
  gboolean  (*read_text) (SbCall      *call,
                          JsonObject  *in,
                          const char **text);
  gboolean    evaluated;        /* lifecycle: lifecycle_put_at, lifecycle_run_at */
} PolicyKind;

typedef enum
{
  POLICY_PUT,
  POLICY_GET,
  POLICY_DELETE,
} PolicyAction;

static gboolean
in_lifecycle_text (SbCall      *call,
                   JsonObject  *in,
                   gboolean     required,
                   const char **text)
{
  g_autofree char *reason = NULL;

  if (!in_string (call, in, "lifecyclePolicyText", required, text)
      || !check_length (call, "lifecyclePolicyText", *text, 100, 30720))
    return FALSE;
  if (*text && !sb_lifecycle_validate (*text, &reason))
    {
      sb_call_fail (call, "InvalidParameterException",
                    "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: "
                    "'Lifecycle policy validation failure: %s'", reason);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_lifecycle_text (SbCall      *call,
                     JsonObject  *in,
                     const char **text)
{
  return in_lifecycle_text (call, in, TRUE, text);
}

static gboolean
read_repository_policy_text (SbCall      *call,
                             JsonObject  *in,
                             const char **text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gboolean force = FALSE;
  JsonNode *root;

  if (!in_string (call, in, "policyText", TRUE, text)
      || !check_length (call, "policyText", *text, 0, 10240)
      || !in_bool (call, in, "force", &force, NULL))
    return FALSE;
  if (!json_parser_load_from_data (parser, *text, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (root = json_parser_get_root (parser))
      || !json_object_has_member (json_node_get_object (root), "Statement"))
    {
      sb_call_fail (call, "InvalidParameterException",
                    "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid "
                    "repository policy provided'");
      return FALSE;
    }
  return TRUE;
}

static const PolicyKind repository_policy = {
  "policyText", "Repository policy", "RepositoryPolicyNotFoundException",
  G_STRUCT_OFFSET (SbRepo, policy), read_repository_policy_text, FALSE,
};

static const PolicyKind lifecycle_policy = {
  "lifecyclePolicyText", "Lifecycle policy", "LifecyclePolicyNotFoundException",
  G_STRUCT_OFFSET (SbRepo, lifecycle_policy), read_lifecycle_text, TRUE,
};

static char **
policy_slot (const PolicyKind *kind,
             SbRepo           *repo)
{
  return G_STRUCT_MEMBER_P (repo, kind->offset);
}

static JsonObject *
policy_out (SbCall           *call,
            const PolicyKind *kind,
            SbRepo           *repo,
            const char       *text)
{
  JsonObject *out = json_object_new ();

  set_common (out, call, repo);
  json_object_set_string_member (out, kind->text_member, text);
  return out;
}

static gboolean
need_policy (SbCall           *call,
             const PolicyKind *kind,
             SbRepo           *repo)
{
  if (*policy_slot (kind, repo))
    return TRUE;
  sb_call_fail (call, kind->not_found_type,
                "%s does not exist for the repository with name '%s' in the registry with id "
                "'%s'", kind->title, repo->name, call->registry->account);
  return FALSE;
}

/* PutLifecyclePolicy, SetRepositoryPolicy, Get… and Delete… of either kind. */
static JsonObject *
policy_op (SbCall           *call,
           JsonObject       *in,
           const PolicyKind *kind,
           PolicyAction      action)
{
  const char *text;
  JsonObject *out;
  SbRepo *repo;
  char **slot;

  if (!(repo = in_repo (call, in)))
    return NULL;
  slot = policy_slot (kind, repo);
  if (action == POLICY_PUT)
    {
      if (!kind->read_text (call, in, &text))
        return NULL;
      g_free (*slot);
      *slot = g_strdup (text);
      if (kind->evaluated)
        {
          repo->lifecycle_put_at = call->now;
          repo->lifecycle_run_at = 0;
        }
      call->changed = TRUE;
      return policy_out (call, kind, repo, text);
    }

  if (!need_policy (call, kind, repo))
    return NULL;
  out = policy_out (call, kind, repo, *slot);
  if (kind->evaluated && repo->lifecycle_run_at)
    json_object_set_member (out, "lastEvaluatedAt", ts (repo->lifecycle_run_at));
  if (action == POLICY_DELETE)
    {
      g_clear_pointer (slot, g_free);
      call->changed = TRUE;
    }
  return out;
}

JsonObject *
op_set_repository_policy (SbCall     *call,
                          JsonObject *in)
{
  return policy_op (call, in, &repository_policy, POLICY_PUT);
}

JsonObject *
op_get_repository_policy (SbCall     *call,
                          JsonObject *in)
{
  return policy_op (call, in, &repository_policy, POLICY_GET);
}

JsonObject *
op_delete_repository_policy (SbCall     *call,
                             JsonObject *in)
{
  return policy_op (call, in, &repository_policy, POLICY_DELETE);
}

JsonObject *
op_put_lifecycle_policy (SbCall     *call,
                         JsonObject *in)
{
  return policy_op (call, in, &lifecycle_policy, POLICY_PUT);
}

JsonObject *
op_get_lifecycle_policy (SbCall     *call,
                         JsonObject *in)
{
  return policy_op (call, in, &lifecycle_policy, POLICY_GET);
}

JsonObject *
op_delete_lifecycle_policy (SbCall     *call,
                            JsonObject *in)
{
  return policy_op (call, in, &lifecycle_policy, POLICY_DELETE);
}

/* Lifecycle policy previews */

JsonObject *
op_start_lifecycle_policy_preview (SbCall     *call,
                                   JsonObject *in)
{
  const char *text;
  JsonObject *out;
  SbRepo *repo;

  if (!(repo = in_repo (call, in)) || !in_lifecycle_text (call, in, FALSE, &text))
    return NULL;
  if (!text)
    {
      if (!need_policy (call, &lifecycle_policy, repo))
        return NULL;
      text = repo->lifecycle_policy;
    }
  g_free (repo->preview_policy);
  repo->preview_policy = g_strdup (text);
  g_clear_pointer (&repo->preview_results, g_array_unref);
  repo->preview_results = sb_lifecycle_evaluate (text, repo, call->now);
  repo->preview_polls_left = repo->preview_polls;
  out = policy_out (call, &lifecycle_policy, repo, text);
  json_object_set_string_member (out, "status", "IN_PROGRESS");
  return out;
}

JsonObject *
op_get_lifecycle_policy_preview (SbCall     *call,
                                 JsonObject *in)
{
  g_autofree char *scope = NULL;
  const char *tag_status;
  JsonArray *ids, *list;
  JsonObject *out, *summary;
  gint64 page_size;
  gboolean has_token;
  guint64 a, b;
  SbRepo *repo;
  g_autoptr(GHashTable) wanted = NULL;
  guint expiring = 0;

  if (!(repo = in_repo (call, in))
      || !in_array (call, in, "imageIds", FALSE, 1, 100, &ids)
      || !in_filter (call, in, &tag_status, NULL))
    return NULL;
  scope = g_strdup_printf ("GetLifecyclePolicyPreview\n%s\n%s", repo->name, tag_status);
  if (!in_paging (call, in, scope, 100, ids != NULL, "imageIds", &page_size, &has_token, &a, &b))
    return NULL;
  if (!repo->preview_policy)
    {
      sb_call_fail (call, "LifecyclePolicyPreviewNotFoundException",
                    "There is no dry run for this repository: call StartLifecyclePolicyPreview "
                    "first");
      return NULL;
    }
  if (ids)
    {
      wanted = g_hash_table_new (NULL, NULL);
      for (guint i = 0; i < json_array_get_length (ids); i++)
        {
          const char *d, *t, *code, *reason;
          SbImage *image;

          if (!in_image_id (call, json_array_get_element (ids, i), &d, &t))
            return NULL;
          image = resolve_image_id (repo, d, t, &code, &reason);
          if (image)
            g_hash_table_add (wanted, image);
        }
    }

  out = policy_out (call, &lifecycle_policy, repo, repo->preview_policy);
  if (repo->preview_polls_left > 0)
    {
      /* Still evaluating (wharf_sandbox_set_lifecycle_preview_polls()): no results yet. */
      repo->preview_polls_left--;
      json_object_set_string_member (out, "status", "IN_PROGRESS");
      json_object_set_array_member (out, "previewResults", json_array_new ());
      return out;
    }
  json_object_set_string_member (out, "status", "COMPLETE");
  list = json_array_new ();
  for (guint i = 0; i < repo->preview_results->len; i++)
    {
      SbPreviewResult *r = &g_array_index (repo->preview_results, SbPreviewResult, i);
      SbImage *image = g_hash_table_lookup (repo->by_digest, r->digest);
      JsonObject *o, *action;

      if (!image)
        continue;
      expiring++;
      if ((has_token && i < a) || (wanted && !g_hash_table_contains (wanted, image))
          || !tag_status_matches (tag_status, image))
        continue;
      if (json_object_has_member (out, "nextToken"))
        continue;
      if (json_array_get_length (list) == (guint) page_size)
        {
          set_take_string (out, "nextToken", token_make (call, scope, i, 0));
          continue;
        }
      o = json_object_new ();
      if (image->tags->len > 0)
        json_object_set_array_member (o, "imageTags", tags_array (image->tags));
      json_object_set_string_member (o, "imageDigest", image->digest);
      json_object_set_member (o, "imagePushedAt", ts (image->pushed_at));
      action = json_object_new ();
      json_object_set_string_member (action, "type", "EXPIRE");
      json_object_set_object_member (o, "action", action);
      json_object_set_int_member (o, "appliedRulePriority", r->priority);
      json_object_set_string_member (o, "storageClass", "STANDARD");
      json_array_add_object_element (list, o);
    }
  json_object_set_array_member (out, "previewResults", list);
  summary = json_object_new ();
  json_object_set_int_member (summary, "expiringImageTotalCount", expiring);
  json_object_set_object_member (out, "summary", summary);
  return out;
}
