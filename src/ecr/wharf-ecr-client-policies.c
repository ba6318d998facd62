/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * WharfEcrClient: a repository's policies: the lifecycle policy (Put, Get, Delete, and its
 * preview: StartLifecyclePolicyPreview, GetLifecyclePolicyPreview) and the repository
 * (permissions) policy (Set, Get, Delete).
 */
#define G_LOG_DOMAIN "wharf-ecr-client-policies"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wharf-ecr-client.h"
#include "wharf-ecr-client-private.h"

#include "wharf-ecr-json-private.h"

/* The largest policy text ECR takes. */
#define POLICY_TEXT_MAX 30720

static gboolean
check_policy_text (GTask      *task,
                   const char *text)
{
  if (!text || !*text)
    return wharf_ecr_return_invalid (task, g_strdup (_("The policy is empty")));
  if (strlen (text) > POLICY_TEXT_MAX)
    return wharf_ecr_return_invalid (task,
                                     g_strdup (_("A policy can have at most 30720 characters")));
  return TRUE;
}

/* The operations that only name the repository: Get… and Delete… of either policy. */
static void
repository_call (WharfEcrClient      *self,
                 gpointer             source_tag,
                 const char          *operation,
                 const char          *repository,
                 WharfEcrParseFunc    parse,
                 GDestroyNotify       destroy,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  task = wharf_ecr_client_new_task (self, source_tag, cancellable, callback, user_data);
  if (!wharf_ecr_check_repository (task, repository))
    return;
  wharf_ecr_client_simple_call (self, g_steal_pointer (&task), operation,
                                wharf_ecr_input_new (repository), parse, destroy);
}

/* Put… of either policy: @policy_text as @member, and force when asked. */
static void
put_policy_call (WharfEcrClient      *self,
                 gpointer             source_tag,
                 const char          *operation,
                 const char          *repository,
                 const char          *member,
                 const char          *policy_text,
                 gboolean             force,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  JsonObject *input;

  task = wharf_ecr_client_new_task (self, source_tag, cancellable, callback, user_data);
  if (!wharf_ecr_check_repository (task, repository) || !check_policy_text (task, policy_text))
    return;

  input = wharf_ecr_input_new (repository);
  json_object_set_string_member (input, member, policy_text);
  if (force)
    json_object_set_boolean_member (input, "force", TRUE);
  wharf_ecr_client_simple_call (self, g_steal_pointer (&task), operation, input, NULL, NULL);
}

/* ---- Lifecycle policies ---- */

void
wharf_ecr_client_put_lifecycle_policy_async (WharfEcrClient      *self,
                                             const char          *repository,
                                             const char          *policy_text,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  put_policy_call (self, wharf_ecr_client_put_lifecycle_policy_async, "PutLifecyclePolicy",
                   repository, "lifecyclePolicyText", policy_text, FALSE, cancellable, callback,
                   user_data);
}

gboolean
wharf_ecr_client_put_lifecycle_policy_finish (WharfEcrClient  *self,
                                              GAsyncResult    *result,
                                              GError         **error)
{
  return wharf_ecr_client_propagate_boolean (self, result,
                                             wharf_ecr_client_put_lifecycle_policy_async, error);
}

static gpointer
parse_lifecycle_policy (JsonObject *response,
                        GError    **error)
{
  g_autoptr(WharfLifecyclePolicy) policy = g_new0 (WharfLifecyclePolicy, 1);
  const char *repository, *registry_id, *text;

  if (!wharf_ecr_json_get_string (response, "repositoryName", FALSE, &repository, error) ||
      !wharf_ecr_json_get_string (response, "registryId", FALSE, &registry_id, error) ||
      !wharf_ecr_json_get_string (response, "lifecyclePolicyText", TRUE, &text, error) ||
      !wharf_ecr_json_get_timestamp (response, "lastEvaluatedAt", &policy->last_evaluated_at,
                                     error))
    return NULL;
  policy->repository_name = g_strdup (repository);
  policy->registry_id = g_strdup (registry_id);
  policy->text = g_strdup (text);
  return g_steal_pointer (&policy);
}

void
wharf_ecr_client_get_lifecycle_policy_async (WharfEcrClient      *self,
                                             const char          *repository,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  repository_call (self, wharf_ecr_client_get_lifecycle_policy_async, "GetLifecyclePolicy",
                   repository, parse_lifecycle_policy,
                   (GDestroyNotify) wharf_lifecycle_policy_free, cancellable, callback, user_data);
}

WharfLifecyclePolicy *
wharf_ecr_client_get_lifecycle_policy_finish (WharfEcrClient  *self,
                                              GAsyncResult    *result,
                                              GError         **error)
{
  return wharf_ecr_client_propagate_pointer (self, result,
                                             wharf_ecr_client_get_lifecycle_policy_async, error);
}

void
wharf_ecr_client_delete_lifecycle_policy_async (WharfEcrClient      *self,
                                                const char          *repository,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data)
{
  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  repository_call (self, wharf_ecr_client_delete_lifecycle_policy_async, "DeleteLifecyclePolicy",
                   repository, NULL, NULL, cancellable, callback, user_data);
}

gboolean
wharf_ecr_client_delete_lifecycle_policy_finish (WharfEcrClient  *self,
                                                 GAsyncResult    *result,
                                                 GError         **error)
{
  return wharf_ecr_client_propagate_boolean (self, result,
                                             wharf_ecr_client_delete_lifecycle_policy_async,
                                             error);
}

/* ---- Lifecycle policy preview ---- */

static gpointer
parse_preview_status (JsonObject *response,
                      GError    **error)
{
  const char *status;
  WharfLifecyclePreviewStatus value;

  if (!wharf_ecr_json_get_string (response, "status", TRUE, &status, error))
    return NULL;
  if (!wharf_lifecycle_preview_status_from_string (status, &value))
    {
      wharf_ecr_json_bad_value ("status", error);
      return NULL;
    }
  return GINT_TO_POINTER (value + 1);
}

void
wharf_ecr_client_start_lifecycle_policy_preview_async (WharfEcrClient      *self,
                                                       const char          *repository,
                                                       const char          *policy_text,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  JsonObject *input;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = wharf_ecr_client_new_task (self, wharf_ecr_client_start_lifecycle_policy_preview_async,
                                    cancellable, callback, user_data);
  if (!wharf_ecr_check_repository (task, repository))
    return;
  if (policy_text && !check_policy_text (task, policy_text))
    return;

  input = wharf_ecr_input_new (repository);
  if (policy_text)
    json_object_set_string_member (input, "lifecyclePolicyText", policy_text);
  wharf_ecr_client_simple_call (self, g_steal_pointer (&task), "StartLifecyclePolicyPreview",
                                input, parse_preview_status, NULL);
}

WharfLifecyclePreviewStatus
wharf_ecr_client_start_lifecycle_policy_preview_finish (WharfEcrClient  *self,
                                                        GAsyncResult    *result,
                                                        GError         **error)
{
  gpointer value;

  value = wharf_ecr_client_propagate_pointer (self, result,
                                              wharf_ecr_client_start_lifecycle_policy_preview_async,
                                              error);
  if (!value)
    return WHARF_LIFECYCLE_PREVIEW_STATUS_FAILED;
  return (WharfLifecyclePreviewStatus) (GPOINTER_TO_INT (value) - 1);
}

void
wharf_ecr_client_get_lifecycle_policy_preview_async (WharfEcrClient      *self,
                                                     const char          *repository,
                                                     guint                poll_interval_ms,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = wharf_ecr_client_new_task (self, wharf_ecr_client_get_lifecycle_policy_preview_async,
                                    cancellable, callback, user_data);
  if (!wharf_ecr_check_repository (task, repository))
    return;
  wharf_ecr_client_poll_lifecycle_preview (self, g_steal_pointer (&task), repository,
                                           poll_interval_ms);
}

GListModel *
wharf_ecr_client_get_lifecycle_policy_preview_finish (WharfEcrClient  *self,
                                                      GAsyncResult    *result,
                                                      int             *expiring_total,
                                                      GError         **error)
{
  GListModel *model;

  model = wharf_ecr_client_propagate_pointer (self, result,
                                              wharf_ecr_client_get_lifecycle_policy_preview_async,
                                              error);
  if (expiring_total)
    *expiring_total = model ? wharf_ecr_lifecycle_preview_get_expiring_total (G_TASK (result))
                            : -1;
  return model;
}

/* ---- Repository policies ---- */

void
wharf_ecr_client_set_repository_policy_async (WharfEcrClient      *self,
                                              const char          *repository,
                                              const char          *policy_text,
                                              gboolean             force,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  put_policy_call (self, wharf_ecr_client_set_repository_policy_async, "SetRepositoryPolicy",
                   repository, "policyText", policy_text, force, cancellable, callback,
                   user_data);
}

gboolean
wharf_ecr_client_set_repository_policy_finish (WharfEcrClient  *self,
                                               GAsyncResult    *result,
                                               GError         **error)
{
  return wharf_ecr_client_propagate_boolean (self, result,
                                             wharf_ecr_client_set_repository_policy_async, error);
}

static gpointer
parse_repository_policy (JsonObject *response,
                         GError    **error)
{
  const char *text;

  if (!wharf_ecr_json_get_string (response, "policyText", TRUE, &text, error))
    return NULL;
  return g_strdup (text);
}

void
wharf_ecr_client_get_repository_policy_async (WharfEcrClient      *self,
                                              const char          *repository,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  repository_call (self, wharf_ecr_client_get_repository_policy_async, "GetRepositoryPolicy",
                   repository, parse_repository_policy, g_free, cancellable, callback,
                   user_data);
}

char *
wharf_ecr_client_get_repository_policy_finish (WharfEcrClient  *self,
                                               GAsyncResult    *result,
                                               GError         **error)
{
  return wharf_ecr_client_propagate_pointer (self, result,
                                             wharf_ecr_client_get_repository_policy_async, error);
}

void
wharf_ecr_client_delete_repository_policy_async (WharfEcrClient      *self,
                                                 const char          *repository,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data)
{
  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  repository_call (self, wharf_ecr_client_delete_repository_policy_async,
                   "DeleteRepositoryPolicy", repository, NULL, NULL, cancellable, callback,
                   user_data);
}

gboolean
wharf_ecr_client_delete_repository_policy_finish (WharfEcrClient  *self,
                                                  GAsyncResult    *result,
                                                  GError         **error)
{
  return wharf_ecr_client_propagate_boolean (self, result,
                                             wharf_ecr_client_delete_repository_policy_async,
                                             error);
}
