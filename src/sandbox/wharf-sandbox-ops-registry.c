/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The registry: its description and authorization tokens. */
#define G_LOG_DOMAIN "wharf-sandbox-ops"

#include "config.h"

#include <string.h>

#include "wharf-sandbox-ops-private.h"
#include "wharf-sandbox-registry-private.h"

/* Registry */

JsonObject *
op_describe_registry (SbCall     *call,
                      JsonObject *in)
{
  JsonObject *out = json_object_new ();
  JsonObject *replication = json_object_new ();

  json_object_set_string_member (out, "registryId", call->registry->account);
  json_object_set_array_member (replication, "rules", json_array_new ());
  json_object_set_object_member (out, "replicationConfiguration", replication);
  return out;
}

JsonObject *
op_get_authorization_token (SbCall     *call,
                            JsonObject *in)
{
  JsonArray *ids, *list;
  JsonObject *out;
  guint n;

  if (!in_array (call, in, "registryIds", FALSE, 1, 10, &ids))
    return NULL;
  for (guint i = 0; ids && i < json_array_get_length (ids); i++)
    {
      JsonNode *node = json_array_get_element (ids, i);
      const char *id;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          sb_call_fail (call, "SerializationException",
                        "Cannot deserialize 'registryIds': %s can not be converted to a String",
                        json_kind (node));
          return NULL;
        }
      id = json_node_get_string (node);
      if (strlen (id) != 12 || strspn (id, "0123456789") != 12)
        {
          sb_call_fail (call, "InvalidParameterException",
                        "Invalid parameter at 'registryIds' failed to satisfy constraint: "
                        "'must satisfy regular expression pattern: [0-9]{12}'");
          return NULL;
        }
    }

  out = json_object_new ();
  list = json_array_new ();
  n = ids ? json_array_get_length (ids) : 1;
  for (guint i = 0; i < n; i++)
    {
      const char *account = ids ? json_array_get_string_element (ids, i) : call->registry->account;
      JsonObject *data = json_object_new ();
      g_autofree char *password = NULL;
      g_autofree char *user_pass = NULL;
      g_autofree char *endpoint = NULL;

      /* the registry protocol's password (wharf-sandbox-registry.c) */
      password = sb_dist_issue_password (call->token_key, account, call->registry->region,
                                         call->now + SB_PASSWORD_LIFETIME);
      user_pass = g_strconcat ("AWS:", password, NULL);
      if (call->registry->registry_host)
        endpoint = g_strdup_printf ("http://%s", call->registry->registry_host);
      else
        endpoint = g_strdup_printf ("https://%s.dkr.ecr.%s.amazonaws.com", account,
                                    call->registry->region);
      set_take_string (data, "authorizationToken",
                       g_base64_encode ((const guchar *) user_pass, strlen (user_pass)));
      json_object_set_member (data, "expiresAt", ts (call->now + 12 * G_TIME_SPAN_HOUR));
      json_object_set_string_member (data, "proxyEndpoint", endpoint);
      json_array_add_object_element (list, data);
    }
  json_object_set_array_member (out, "authorizationData", list);
  return out;
}
