/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * WharfEcrClient: the registry as a whole (DescribeRegistry, GetAuthorizationToken).
 */
#define G_LOG_DOMAIN "wharf-ecr-client-registry"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-ecr-client.h"
#include "wharf-ecr-client-private.h"

#include "wharf-ecr-json-private.h"

/* ---- DescribeRegistry ---- */

static gpointer
parse_registry (JsonObject *response,
                GError    **error)
{
  g_autoptr(WharfRegistryInfo) info = g_new0 (WharfRegistryInfo, 1);
  const char *registry_id;
  JsonObject *replication;

  if (!wharf_ecr_json_get_string (response, "registryId", TRUE, &registry_id, error) ||
      !wharf_ecr_json_get_object (response, "replicationConfiguration", FALSE, &replication, error))
    return NULL;
  info->registry_id = g_strdup (registry_id);
  if (replication)
    {
      JsonArray *rules;

      if (!wharf_ecr_json_get_array (replication, "rules", FALSE, &rules, error))
        return NULL;
      info->n_replication_rules = rules ? json_array_get_length (rules) : 0;
    }
  return g_steal_pointer (&info);
}

void
wharf_ecr_client_describe_registry_async (WharfEcrClient      *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = wharf_ecr_client_new_task (self, wharf_ecr_client_describe_registry_async, cancellable,
                                    callback, user_data);
  wharf_ecr_client_simple_call (self, task, "DescribeRegistry", json_object_new (),
                                parse_registry, (GDestroyNotify) wharf_registry_info_free);
}

WharfRegistryInfo *
wharf_ecr_client_describe_registry_finish (WharfEcrClient  *self,
                                           GAsyncResult    *result,
                                           GError         **error)
{
  return wharf_ecr_client_propagate_pointer (self, result,
                                             wharf_ecr_client_describe_registry_async, error);
}

/* ---- GetAuthorizationToken ---- */

static gpointer
parse_authorization (JsonObject *response,
                     GError    **error)
{
  JsonArray *array;
  JsonObject *object;

  if (!wharf_ecr_json_get_array (response, "authorizationData", TRUE, &array, error))
    return NULL;
  if (json_array_get_length (array) == 0)
    {
      wharf_ecr_json_missing ("authorizationData", error);
      return NULL;
    }
  object = wharf_ecr_json_array_get_object (array, 0, "authorizationData", error);
  if (!object)
    return NULL;
  return wharf_authorization_token_new_from_json (object, error);
}

void
wharf_ecr_client_get_authorization_token_async (WharfEcrClient      *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = wharf_ecr_client_new_task (self, wharf_ecr_client_get_authorization_token_async,
                                    cancellable, callback, user_data);
  wharf_ecr_client_simple_call (self, task, "GetAuthorizationToken", json_object_new (),
                                parse_authorization, g_object_unref);
}

WharfAuthorizationToken *
wharf_ecr_client_get_authorization_token_finish (WharfEcrClient  *self,
                                                 GAsyncResult    *result,
                                                 GError         **error)
{
  return wharf_ecr_client_propagate_pointer (self, result,
                                             wharf_ecr_client_get_authorization_token_async,
                                             error);
}
