/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-ecr-explain"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "wharf-ecr-explain-private.h"

#include "wharf-aws-error.h"

typedef enum
{
  TIER_PULL,
  TIER_READ,
  TIER_PUSH,
  TIER_FULL,
} Tier;

static const struct
{
  const char *name;
  const char *grants;
} managed_policies[] = {
  [TIER_PULL] = { "AmazonEC2ContainerRegistryPullOnly",
                  N_("Pulling images only: sign Docker or Podman in and download images and "
                     "their layers. Nothing can be listed, pushed or changed.") },
  [TIER_READ] = { "AmazonEC2ContainerRegistryReadOnly",
                  N_("Reading everything: list and describe repositories and images, read "
                     "scan results and policies, and pull images. Nothing can be pushed or "
                     "changed.") },
  [TIER_PUSH] = { "AmazonEC2ContainerRegistryPowerUser",
                  N_("Reading everything and pushing images. It cannot create or delete "
                     "repositories, or change their settings and policies.") },
  [TIER_FULL] = { "AmazonEC2ContainerRegistryFullAccess",
                  N_("Everything in Amazon ECR, including creating and deleting "
                     "repositories, deleting images and changing policies and registry "
                     "settings. Give it only to people who administer the registry.") },
};

/* How an action is scoped in IAM: on one repository, or on "*" (the action has no
 * resource-level permissions). */
typedef enum
{
  SCOPE_REPOSITORY,
  SCOPE_ANY,
} Scope;

static const struct
{
  const char *operation;
  Scope scope;
  Tier tier;
  const char *title;
} actions[] = {
  { "BatchCheckLayerAvailability", SCOPE_REPOSITORY, TIER_PULL, N_("Not allowed to check image layers") },
  { "BatchDeleteImage", SCOPE_REPOSITORY, TIER_FULL, N_("Not allowed to delete images") },
  { "BatchGetImage", SCOPE_REPOSITORY, TIER_PULL, N_("Not allowed to pull images") },
  { "BatchGetRepositoryScanningConfiguration", SCOPE_REPOSITORY, TIER_FULL, N_("Not allowed to read scanning settings") },
  { "CompleteLayerUpload", SCOPE_REPOSITORY, TIER_PUSH, N_("Not allowed to push images") },
  { "CreateRepository", SCOPE_REPOSITORY, TIER_FULL, N_("Not allowed to create repositories") },
  { "DeleteLifecyclePolicy", SCOPE_REPOSITORY, TIER_FULL, N_("Not allowed to delete the lifecycle policy") },
  { "DeleteRepository", SCOPE_REPOSITORY, TIER_FULL, N_("Not allowed to delete repositories") },
  { "DeleteRepositoryPolicy", SCOPE_REPOSITORY, TIER_FULL, N_("Not allowed to delete the repository policy") },
  { "DescribeImageScanFindings", SCOPE_REPOSITORY, TIER_READ, N_("Not allowed to read scan results") },
  { "DescribeImages", SCOPE_REPOSITORY, TIER_READ, N_("Not allowed to list images") },
  { "DescribeRegistry", SCOPE_ANY, TIER_FULL, N_("Not allowed to read the registry settings") },
  { "DescribeRepositories", SCOPE_REPOSITORY, TIER_READ, N_("Not allowed to list repositories") },
  { "GetAuthorizationToken", SCOPE_ANY, TIER_PULL, N_("Not allowed to log Docker or Podman in") },
  { "GetDownloadUrlForLayer", SCOPE_REPOSITORY, TIER_PULL, N_("Not allowed to pull images") },
  { "GetLifecyclePolicy", SCOPE_REPOSITORY, TIER_READ, N_("Not allowed to read the lifecycle policy") },
  { "GetLifecyclePolicyPreview", SCOPE_REPOSITORY, TIER_READ, N_("Not allowed to preview the lifecycle policy") },
  { "GetRegistryScanningConfiguration", SCOPE_ANY, TIER_FULL, N_("Not allowed to read the registry scanning settings") },
  { "GetRepositoryPolicy", SCOPE_REPOSITORY, TIER_READ, N_("Not allowed to read the repository policy") },
  { "InitiateLayerUpload", SCOPE_REPOSITORY, TIER_PUSH, N_("Not allowed to push images") },
  { "ListImages", SCOPE_REPOSITORY, TIER_READ, N_("Not allowed to list images") },
  { "ListTagsForResource", SCOPE_REPOSITORY, TIER_READ, N_("Not allowed to read the repository’s tags") },
  { "PutImage", SCOPE_REPOSITORY, TIER_PUSH, N_("Not allowed to push or tag images") },
  { "PutImageScanningConfiguration", SCOPE_REPOSITORY, TIER_FULL, N_("Not allowed to change scan on push") },
  { "PutImageTagMutability", SCOPE_REPOSITORY, TIER_FULL, N_("Not allowed to change tag immutability") },
  { "PutLifecyclePolicy", SCOPE_REPOSITORY, TIER_FULL, N_("Not allowed to save the lifecycle policy") },
  { "PutRegistryScanningConfiguration", SCOPE_ANY, TIER_FULL, N_("Not allowed to change the registry scanning settings") },
  { "SetRepositoryPolicy", SCOPE_REPOSITORY, TIER_FULL, N_("Not allowed to save the repository policy") },
  { "StartImageScan", SCOPE_REPOSITORY, TIER_FULL, N_("Not allowed to start a scan") },
  { "StartLifecyclePolicyPreview", SCOPE_REPOSITORY, TIER_FULL, N_("Not allowed to preview the lifecycle policy") },
  { "TagResource", SCOPE_REPOSITORY, TIER_FULL, N_("Not allowed to tag the repository") },
  { "UntagResource", SCOPE_REPOSITORY, TIER_FULL, N_("Not allowed to untag the repository") },
  { "UploadLayerPart", SCOPE_REPOSITORY, TIER_PUSH, N_("Not allowed to push images") },
};


static int
find_action (const char *operation)
{
  if (operation == NULL)
    return -1;
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    if (g_str_equal (actions[i].operation, operation))
      return (int) i;
  return -1;
}

static int
find_action_by_iam_name (const char *iam_action)
{
  if (iam_action == NULL || !g_str_has_prefix (iam_action, "ecr:"))
    return -1;
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    if (g_ascii_strcasecmp (actions[i].operation, iam_action + 4) == 0)
      return (int) i;
  return -1;
}

const char *
wharf_ecr_operation_get_iam_action (const char *operation)
{
  static GHashTable *names;
  int i = find_action (operation);

  if (i < 0)
    return NULL;

  if (g_once_init_enter (&names))
    {
      GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

      for (guint j = 0; j < G_N_ELEMENTS (actions); j++)
        g_hash_table_insert (table, (gpointer) actions[j].operation,
                             g_strconcat ("ecr:", actions[j].operation, NULL));
      g_once_init_leave (&names, table);
    }
  return g_hash_table_lookup (names, actions[i].operation);
}


/* The policy type named after "because no …" or "with an explicit deny in a(n) …". */
static WharfDeniedBy
denied_by_from_text (const char *type,
                     gboolean    explicit_deny)
{
  static const struct
  {
    const char *words;
    WharfDeniedBy implicit;
    WharfDeniedBy explicit;
  } types[] = {
    { "identity-based policy", WHARF_DENIED_BY_NO_IDENTITY_POLICY, WHARF_DENIED_BY_IDENTITY_POLICY },
    { "permissions boundary", WHARF_DENIED_BY_NO_PERMISSIONS_BOUNDARY, WHARF_DENIED_BY_PERMISSIONS_BOUNDARY },
    { "session policy", WHARF_DENIED_BY_NO_SESSION_POLICY, WHARF_DENIED_BY_SESSION_POLICY },
    { "service control policy", WHARF_DENIED_BY_NO_SERVICE_CONTROL_POLICY, WHARF_DENIED_BY_SERVICE_CONTROL_POLICY },
    { "resource control policy", WHARF_DENIED_BY_NO_RESOURCE_CONTROL_POLICY, WHARF_DENIED_BY_RESOURCE_CONTROL_POLICY },
    { "resource-based policy", WHARF_DENIED_BY_NO_RESOURCE_POLICY, WHARF_DENIED_BY_RESOURCE_POLICY },
    { "vpc endpoint policy", WHARF_DENIED_BY_NO_VPC_ENDPOINT_POLICY, WHARF_DENIED_BY_VPC_ENDPOINT_POLICY },
  };
  g_autofree char *lower = g_ascii_strdown (type, -1);

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_str_has_prefix (lower, types[i].words))
      return explicit_deny ? types[i].explicit : types[i].implicit;
  return explicit_deny ? WHARF_DENIED_BY_EXPLICIT_DENY : WHARF_DENIED_BY_UNKNOWN;
}

/* Reads IAM's access denied message: "User: ARN is not authorized to perform: ACTION
 * [on resource: ARN] [because no TYPE allows the ACTION action | with an explicit deny
 * [in a(n) TYPE]]". The registry protocol prefixes it with "denied: ". */
gboolean
wharf_explain_parse_access_denied (Match *m)
{
  static GRegex *head, *explicit_deny, *implicit_deny;
  g_autoptr(GMatchInfo) info = NULL;

  if (m->message == NULL)
    return FALSE;

  if (g_once_init_enter (&head))
    {
      explicit_deny = g_regex_new ("(?:with|due to) an explicit deny(?: in (?:an? |the )?([A-Za-z -]+?))?"
                                   "(?:[.:]|$| \\()",
                                   G_REGEX_CASELESS, 0, NULL);
      implicit_deny = g_regex_new ("because no ([A-Za-z -]+?) allows",
                                   G_REGEX_CASELESS, 0, NULL);
      g_once_init_leave (&head,
                         g_regex_new ("(?:User|Principal): (\\S+) is not authorized to perform: "
                                      "([A-Za-z0-9-]+:[A-Za-z0-9*]+)"
                                      "(?: on resource: (\\S+?)(?:[.,]?(?: |$)))?",
                                      0, 0, NULL));
    }

  if (!g_regex_match (head, m->message, 0, &info))
    return FALSE;

  m->principal = g_match_info_fetch (info, 1);
  m->action = g_match_info_fetch (info, 2);
  m->resource = g_match_info_fetch (info, 3);
  if (m->resource != NULL && *m->resource == '\0')
    g_clear_pointer (&m->resource, g_free);
  g_clear_pointer (&info, g_match_info_free);

  if (g_regex_match (implicit_deny, m->message, 0, &info))
    {
      g_autofree char *type = g_match_info_fetch (info, 1);
      m->denied_by = denied_by_from_text (type, FALSE);
    }
  else
    {
      g_clear_pointer (&info, g_match_info_free);
      if (g_regex_match (explicit_deny, m->message, 0, &info))
        {
          g_autofree char *type = g_match_info_fetch (info, 1);
          m->denied_by = denied_by_from_text (type != NULL ? type : "", TRUE);
        }
      else
        m->denied_by = WHARF_DENIED_BY_UNKNOWN;
    }
  return TRUE;
}

static const char *
partition_of (const char *region)
{
  if (region != NULL && g_str_has_prefix (region, "cn-"))
    return "aws-cn";
  if (region != NULL && g_str_has_prefix (region, "us-gov-"))
    return "aws-us-gov";
  return "aws";
}

/* The resource a policy must name: what the message said, else what the request was on. */
static char *
resource_for (const Match *m,
              int          action_index)
{
  const WharfExplanationContext *ctx = m->ctx;

  if (m->resource != NULL)
    return g_strdup (m->resource);
  if (action_index >= 0 && actions[action_index].scope == SCOPE_ANY)
    return g_strdup ("*");
  if (ctx->region == NULL || ctx->account_id == NULL)
    return g_strdup ("*");
  return g_strdup_printf ("arn:%s:ecr:%s:%s:repository/%s", partition_of (ctx->region),
                          ctx->region, ctx->account_id,
                          ctx->repository_name != NULL ? ctx->repository_name : "*");
}

static char *
to_pretty_json (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  return json_generator_to_data (generator, NULL);
}

static char *
sid_for (const char *action)
{
  GString *sid = g_string_new ("Allow");
  const char *p = strchr (action, ':');

  for (p = p != NULL ? p + 1 : action; *p; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (sid, *p);
  return g_string_free (sid, FALSE);
}

/* A whole identity policy that allows exactly @action on exactly @resource. */
static char *
identity_policy_json (const char *action,
                      const char *resource)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *sid = sid_for (action);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "Version");
  json_builder_add_string_value (b, "2012-10-17");
  json_builder_set_member_name (b, "Statement");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "Sid");
  json_builder_add_string_value (b, sid);
  json_builder_set_member_name (b, "Effect");
  json_builder_add_string_value (b, "Allow");
  json_builder_set_member_name (b, "Action");
  json_builder_add_string_value (b, action);
  json_builder_set_member_name (b, "Resource");
  json_builder_add_string_value (b, resource);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return to_pretty_json (root);
}

/* An assumed-role session ARN names its role in a key policy's Principal. */
static char *
principal_for_policy (const char *arn)
{
  g_auto(GStrv) parts = NULL;

  if (arn == NULL)
    return NULL;
  parts = g_strsplit (arn, ":", 6);
  if (g_strv_length (parts) == 6 && g_str_equal (parts[2], "sts") &&
      g_str_has_prefix (parts[5], "assumed-role/"))
    {
      const char *role = parts[5] + strlen ("assumed-role/");
      const char *slash = strchr (role, '/');
      g_autofree char *name = slash ? g_strndup (role, slash - role) : g_strdup (role);

      return g_strdup_printf ("arn:%s:iam::%s:role/%s", parts[1], parts[4], name);
    }
  return g_strdup (arn);
}

/* The KMS permissions ECR uses on the caller's behalf for an operation. */
static const char *const *
kms_actions_for (const char *operation)
{
  static const char *const create[] = { "kms:CreateGrant", "kms:DescribeKey", "kms:RetireGrant", NULL };
  static const char *const push[] = { "kms:GenerateDataKey", "kms:Decrypt", NULL };
  static const char *const pull[] = { "kms:Decrypt", NULL };
  static const char *const remove[] = { "kms:RetireGrant", NULL };

  if (operation == NULL)
    return pull;
  if (g_str_equal (operation, "CreateRepository"))
    return create;
  if (g_str_equal (operation, "DeleteRepository"))
    return remove;
  if (g_str_equal (operation, "InitiateLayerUpload") ||
      g_str_equal (operation, "UploadLayerPart") ||
      g_str_equal (operation, "CompleteLayerUpload") ||
      g_str_equal (operation, "PutImage"))
    return push;
  return pull;
}

/* A key policy statement that lets @principal use the key through ECR only. */
static char *
key_policy_json (const char *principal,
                 const char *kms_action,
                 const char *operation,
                 const char *region)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *via = g_strdup_printf ("ecr.%s.%s", region != NULL ? region : "us-east-1",
                                          g_strcmp0 (partition_of (region), "aws-cn") == 0
                                          ? "amazonaws.com.cn" : "amazonaws.com");

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "Sid");
  json_builder_add_string_value (b, "AllowUseThroughAmazonECR");
  json_builder_set_member_name (b, "Effect");
  json_builder_add_string_value (b, "Allow");
  json_builder_set_member_name (b, "Principal");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "AWS");
  json_builder_add_string_value (b, principal);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "Action");
  if (kms_action != NULL)
    json_builder_add_string_value (b, kms_action);
  else
    {
      const char *const *list = kms_actions_for (operation);

      json_builder_begin_array (b);
      for (; *list; list++)
        json_builder_add_string_value (b, *list);
      json_builder_end_array (b);
    }
  json_builder_set_member_name (b, "Resource");
  json_builder_add_string_value (b, "*");
  json_builder_set_member_name (b, "Condition");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "StringEquals");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kms:ViaService");
  json_builder_add_string_value (b, via);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return to_pretty_json (root);
}

/* ---------------------------------------------------------------------------------------
 * Missing permissions
 * ------------------------------------------------------------------------------------- */

static const char *
who (const Match *m)
{
  if (m->principal != NULL)
    return m->principal;
  if (m->ctx->identity_arn != NULL)
    return m->ctx->identity_arn;
  return _("the signed-in identity");
}

static char *
denied_by_sentence (WharfDeniedBy denied_by)
{
  switch (denied_by)
    {
    case WHARF_DENIED_BY_NO_IDENTITY_POLICY:
      return g_strdup (_("No policy attached to this identity (its user, group or role) "
                         "allows it. Nothing forbids it either: an administrator only has "
                         "to grant it."));
    case WHARF_DENIED_BY_IDENTITY_POLICY:
      return g_strdup (_("A policy attached to this identity forbids it with an explicit "
                         "“Deny”. Adding an “Allow” will not help: the administrator has to "
                         "change or remove that Deny statement."));
    case WHARF_DENIED_BY_NO_PERMISSIONS_BOUNDARY:
      return g_strdup (_("This identity has a permissions boundary, a ceiling on what its "
                         "policies may grant, and the boundary does not include this "
                         "action. The administrator has to widen the boundary as well as "
                         "grant the permission."));
    case WHARF_DENIED_BY_PERMISSIONS_BOUNDARY:
      return g_strdup (_("This identity’s permissions boundary forbids the action with an "
                         "explicit “Deny”. Only an administrator who can change the "
                         "boundary can lift it."));
    case WHARF_DENIED_BY_NO_SESSION_POLICY:
      return g_strdup (_("The session was started with a session policy that narrows what "
                         "the role may do, and it does not include this action. Signing in "
                         "with a different role or profile, without that session policy, "
                         "may help."));
    case WHARF_DENIED_BY_SESSION_POLICY:
      return g_strdup (_("The session was started with a session policy that forbids this "
                         "action. Sign in with a different role or profile, or ask whoever "
                         "set up the session policy."));
    case WHARF_DENIED_BY_NO_SERVICE_CONTROL_POLICY:
      return g_strdup (_("Your AWS organization’s service control policies (SCPs) do not "
                         "allow this action for this account. No policy in the account can "
                         "change that: ask the administrators of the organization."));
    case WHARF_DENIED_BY_SERVICE_CONTROL_POLICY:
      return g_strdup (_("A service control policy (SCP) of your AWS organization forbids "
                         "this action for this account. No policy in the account can change "
                         "that: ask the administrators of the organization."));
    case WHARF_DENIED_BY_NO_RESOURCE_CONTROL_POLICY:
    case WHARF_DENIED_BY_RESOURCE_CONTROL_POLICY:
      return g_strdup (_("A resource control policy (RCP) of your AWS organization forbids "
                         "this action on this resource. Only the administrators of the "
                         "organization can change it."));
    case WHARF_DENIED_BY_NO_RESOURCE_POLICY:
      return g_strdup (_("The resource’s own policy does not allow it. For a repository in "
                         "another account, that repository’s policy has to name this "
                         "identity; your own policies are not enough."));
    case WHARF_DENIED_BY_RESOURCE_POLICY:
      return g_strdup (_("The resource’s own policy, here the repository policy, forbids it "
                         "with an explicit “Deny”."));
    case WHARF_DENIED_BY_NO_VPC_ENDPOINT_POLICY:
    case WHARF_DENIED_BY_VPC_ENDPOINT_POLICY:
      return g_strdup (_("The request went through a VPC endpoint whose policy does not let "
                         "it through. The network administrator can change the endpoint "
                         "policy."));
    case WHARF_DENIED_BY_EXPLICIT_DENY:
      return g_strdup (_("A policy forbids it with an explicit “Deny”. AWS did not say which "
                         "policy; an administrator can find it with the IAM policy "
                         "simulator or CloudTrail."));
    case WHARF_DENIED_BY_UNKNOWN:
    default:
      return g_strdup (_("AWS did not say which policy refused. Most often no policy "
                         "attached to this identity allows the action."));
    }
}

/* The account of an ARN ("arn:aws:ecr:REGION:ACCOUNT:…"), or NULL. */
static char *
arn_account (const char *arn)
{
  g_auto(GStrv) parts = NULL;

  if (arn == NULL || !g_str_has_prefix (arn, "arn:"))
    return NULL;
  parts = g_strsplit (arn, ":", 6);
  if (g_strv_length (parts) < 5 || *parts[4] == '\0')
    return NULL;
  return g_strdup (parts[4]);
}

static void
explain_kms_denied (WharfExplanation *self,
                    const Match      *m);

void
wharf_explain_access_denied (WharfExplanation *self,
                       const Match      *m)
{
  const char *operation = m->ctx->operation;
  int index = find_action_by_iam_name (m->action);
  g_autofree char *action = NULL;
  g_autofree char *body = NULL;
  g_autofree char *because = NULL;
  g_autofree char *remedy = NULL;
  g_autofree char *resource_account = NULL;
  gboolean resource_policy;

  if (m->action != NULL && g_str_has_prefix (m->action, "kms:"))
    {
      explain_kms_denied (self, m);
      return;
    }

  if (index < 0)
    index = find_action (operation);
  action = m->action != NULL ? g_strdup (m->action)
         : g_strdup (wharf_ecr_operation_get_iam_action (operation));

  self->kind = WHARF_EXPLANATION_ACCESS_DENIED;
  self->denied_by = m->denied_by;
  self->principal = g_strdup (m->principal != NULL ? m->principal : m->ctx->identity_arn);
  self->action = g_strdup (action);
  self->resource = resource_for (m, index);
  self->source = ACCESS_DENIED_SOURCE;

  because = denied_by_sentence (m->denied_by);
  if (action != NULL)
    /* Translators: the first %s is who (an ARN), the second an IAM action
     * ("ecr:DescribeImages"), the third a resource ARN; the last a sentence on why. */
    body = g_strdup_printf (_("AWS refused because %s may not perform %s on %s. %s"),
                            who (m), action, self->resource, because);
  else
    /* Translators: %s is who (an ARN), then a sentence on why. */
    body = g_strdup_printf (_("AWS refused because %s may not do this. %s"), who (m),
                            because);

  resource_policy = m->denied_by == WHARF_DENIED_BY_NO_RESOURCE_POLICY ||
                    m->denied_by == WHARF_DENIED_BY_RESOURCE_POLICY;
  resource_account = arn_account (self->resource);

  if (resource_policy && m->ctx->repository_name != NULL &&
      (resource_account == NULL || g_strcmp0 (resource_account, m->ctx->account_id) == 0))
    {
      self->fix = WHARF_EXPLANATION_FIX_OPEN_PERMISSIONS;
      remedy = g_strdup (_("Open the repository’s Permissions tab and check its statements: "
                           "one of them refuses this identity. Someone allowed to change the "
                           "repository policy can fix it there."));
    }
  else if (m->denied_by == WHARF_DENIED_BY_IDENTITY_POLICY ||
           m->denied_by == WHARF_DENIED_BY_PERMISSIONS_BOUNDARY ||
           m->denied_by == WHARF_DENIED_BY_SERVICE_CONTROL_POLICY ||
           m->denied_by == WHARF_DENIED_BY_RESOURCE_CONTROL_POLICY ||
           m->denied_by == WHARF_DENIED_BY_NO_RESOURCE_CONTROL_POLICY ||
           m->denied_by == WHARF_DENIED_BY_SESSION_POLICY ||
           m->denied_by == WHARF_DENIED_BY_VPC_ENDPOINT_POLICY ||
           m->denied_by == WHARF_DENIED_BY_RESOURCE_POLICY ||
           m->denied_by == WHARF_DENIED_BY_EXPLICIT_DENY)
    {
      /* A Deny is not fixed by granting: say who can lift it, offer no grant. */
      self->fix = WHARF_EXPLANATION_FIX_ASK_ADMIN;
      remedy = g_strdup (_("Send the details below to your AWS administrator: they show "
                           "exactly what was refused and why."));
    }
  else
    {
      self->fix = WHARF_EXPLANATION_FIX_ASK_ADMIN;
      if (index >= 0)
        {
          self->managed_policy = managed_policies[actions[index].tier].name;
          self->managed_policy_grants = _(managed_policies[actions[index].tier].grants);
        }
      if (action != NULL)
        self->policy_json = identity_policy_json (action, self->resource);
      if (self->managed_policy != NULL)
        /* Translators: %s is the name of an AWS managed policy */
        remedy = g_strdup_printf (_("Ask your AWS administrator to attach the AWS managed "
                                    "policy %s to this identity, or, to grant only what was "
                                    "refused, the policy below."), self->managed_policy);
      else
        remedy = g_strdup (_("Ask your AWS administrator to grant the policy below to this "
                             "identity."));
      if (resource_policy)
        {
          g_autofree char *more = g_strconcat (remedy, " ",
                                               _("The repository belongs to another "
                                                 "account: its owner must also allow this "
                                                 "identity in the repository policy."),
                                               NULL);
          g_free (remedy);
          remedy = g_steal_pointer (&more);
        }
    }

  wharf_explain_take_texts (self,
              g_strdup (index >= 0 ? _(actions[index].title) : _("Not allowed")),
              g_steal_pointer (&body), g_steal_pointer (&remedy));
}

/* ---------------------------------------------------------------------------------------
 * KMS
 * ------------------------------------------------------------------------------------- */

static char *
kms_key_from_message (const char *message)
{
  static GRegex *key_arn;
  g_autoptr(GMatchInfo) info = NULL;

  if (g_once_init_enter (&key_arn))
    g_once_init_leave (&key_arn, g_regex_new ("arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:"
                                              "(?:key|alias)/[A-Za-z0-9/_-]+",
                                              0, 0, NULL));
  if (message != NULL && g_regex_match (key_arn, message, 0, &info))
    return g_match_info_fetch (info, 0);
  return NULL;
}

static void
explain_kms_denied (WharfExplanation *self,
                    const Match      *m)
{
  g_autofree char *key = NULL;
  g_autofree char *principal = NULL;
  g_autofree char *body = NULL;

  key = g_strdup (m->resource != NULL && strstr (m->resource, ":kms:") ? m->resource : NULL);
  if (key == NULL)
    key = kms_key_from_message (m->message);
  if (key == NULL)
    key = g_strdup (m->ctx->kms_key);

  self->kind = WHARF_EXPLANATION_KMS;
  self->fix = WHARF_EXPLANATION_FIX_ASK_ADMIN;
  self->kms_key = g_strdup (key);
  self->principal = g_strdup (m->principal != NULL ? m->principal : m->ctx->identity_arn);
  self->action = g_strdup (m->action);
  self->resource = g_strdup (key);
  self->denied_by = m->denied_by;

  principal = principal_for_policy (self->principal);
  if (principal != NULL)
    self->policy_json = key_policy_json (principal, m->action, m->ctx->operation,
                                         m->ctx->region);

  if (key != NULL)
    /* Translators: %s is a KMS key ARN or id */
    body = g_strdup_printf (_("The repository is encrypted with the AWS KMS key %s, and that "
                              "key does not let %s use it. ECR itself may allow the action: "
                              "it is the key’s own policy, or its grants, that refuse."),
                            key, who (m));
  else
    /* Translators: %s is who (an ARN) */
    body = g_strdup_printf (_("The repository is encrypted with a customer managed AWS KMS "
                              "key, and that key does not let %s use it. ECR itself may "
                              "allow the action: it is the key’s own policy, or its grants, "
                              "that refuse."), who (m));

  wharf_explain_take_texts (self, g_strdup (_("The encryption key refused")), g_steal_pointer (&body),
              g_strdup (_("Ask the administrator of the key to add the statement below to "
                          "the key policy. It lets this identity use the key only through "
                          "Amazon ECR. Creating a repository needs kms:CreateGrant and "
                          "kms:DescribeKey; pushing needs kms:GenerateDataKey; pulling "
                          "needs kms:Decrypt.")));
}

void
wharf_explain_kms_exception (WharfExplanation *self,
                       const Match      *m)
{
  explain_kms_denied (self, m);
  if (m->action == NULL &&
      !wharf_explain_message_has (m, "accessdenied") && !wharf_explain_message_has (m, "not authorized") &&
      !wharf_explain_message_has (m, "access denied"))
    {
      /* A disabled, pending-deletion or missing key rather than a refusal. */
      self->fix = WHARF_EXPLANATION_FIX_ASK_ADMIN;
      g_clear_pointer (&self->policy_json, g_free);
      wharf_explain_take_texts (self, g_strdup (_("The encryption key cannot be used")),
                  self->kms_key != NULL
                  /* Translators: %s is a KMS key ARN or id */
                  ? g_strdup_printf (_("ECR could not use the AWS KMS key %s. The key may "
                                       "be disabled, scheduled for deletion, in another "
                                       "region, or it may not exist."), self->kms_key)
                  : g_strdup (_("ECR could not use the repository’s AWS KMS key. The key "
                                "may be disabled, scheduled for deletion, in another "
                                "region, or it may not exist.")),
                  g_strdup (_("Check the key in the AWS KMS console, or choose another key "
                              "(or AES-256) for new repositories.")));
    }
}

