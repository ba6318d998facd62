/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-sso"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-sso.h"
#include "wharf-sso-private.h"

#include "wharf-aws-error.h"
#include "wharf-aws-http-private.h"

/* The access portal: the role credentials, and the accounts and roles a person may use. */

/* ---- The portal ------------------------------------------------------------------------ */

static GError *
portal_error (GError *error)
{
  const char *code = wharf_aws_error_get_aws_code (error);

  /* The portal answers 401 UnauthorizedException for an unknown or expired token, and 403
   * ForbiddenException for a role the person has no assignment for. */
  if (g_strcmp0 (code, "UnauthorizedException") == 0 || g_strcmp0 (code, "ForbiddenException") == 0)
    {
      GError *mapped = wharf_aws_error_new_full (g_str_equal (code, "ForbiddenException")
                                                 ? WHARF_AWS_ERROR_ACCESS_DENIED
                                                 : WHARF_AWS_ERROR_EXPIRED_CREDENTIALS,
                                                 code,
                                                 wharf_aws_error_get_aws_message (error),
                                                 wharf_aws_error_get_request_id (error),
                                                 wharf_aws_error_get_http_status (error),
                                                 error->message);
      g_error_free (error);
      return mapped;
    }
  return error;
}

static void
role_credentials_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(JsonObject) answer = wharf_sso_rest_finish (result, NULL, &error);
  JsonNode *node;
  JsonObject *role;
  const char *key_id, *secret, *token;
  gint64 expiration_ms = 0;
  g_autoptr(GDateTime) expiration = NULL;

  if (answer == NULL)
    {
      g_task_return_error (task, portal_error (error));
      return;
    }
  node = json_object_get_member (answer, "roleCredentials");
  role = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  key_id = wharf_sso_member_string (role, "accessKeyId");
  secret = wharf_sso_member_string (role, "secretAccessKey");
  token = wharf_sso_member_string (role, "sessionToken");
  if (!wharf_sso_nonempty (key_id) || !wharf_sso_nonempty (secret) || !wharf_sso_nonempty (token)
      || !wharf_sso_member_int (role, "expiration", &expiration_ms) || expiration_ms <= 0)
    {
      g_task_return_error (task, wharf_sso_bad_answer ("GetRoleCredentials"));
      return;
    }
  expiration = g_date_time_new_from_unix_utc (expiration_ms / 1000);
  g_task_return_pointer (task, wharf_credentials_new (key_id, secret, token, expiration),
                         (GDestroyNotify) wharf_credentials_unref);
}

static char *
query_string (const char *const *pairs)
{
  return wharf_aws_http_form_encode (pairs);
}

void
wharf_sso_get_role_credentials_async (const char          *portal_endpoint,
                                      const char          *access_token,
                                      const char          *account_id,
                                      const char          *role_name,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *query = NULL;
  g_autofree char *path = NULL;
  const char *pairs[] = { "role_name", role_name, "account_id", account_id, NULL };

  g_return_if_fail (portal_endpoint != NULL && access_token != NULL);
  g_return_if_fail (account_id != NULL && role_name != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wharf_sso_get_role_credentials_async);
  query = query_string (pairs);
  path = g_strconcat ("/federation/credentials?", query, NULL);
  wharf_sso_rest_call (portal_endpoint, "GET", path, NULL, access_token, cancellable,
                       role_credentials_cb, g_steal_pointer (&task));
}

WharfCredentials *
wharf_sso_get_role_credentials_finish (GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == wharf_sso_get_role_credentials_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
wharf_sso_account_free (WharfSsoAccount *self)
{
  if (self == NULL)
    return;
  g_free (self->account_id);
  g_free (self->account_name);
  g_free (self->email_address);
  g_free (self);
}

/* Both listings: follow nextToken until it is absent. */
typedef struct
{
  char      *endpoint;
  char      *access_token;
  char      *account_id;     /* NULL: ListAccounts */
  guint      page_size;
  GPtrArray *items;
  guint      pages;
} Listing;

static void
listing_free (Listing *listing)
{
  g_free (listing->endpoint);
  wharf_sso_wipe_free (listing->access_token);
  g_free (listing->account_id);
  g_ptr_array_unref (listing->items);
  g_free (listing);
}

#define MAX_LISTING_PAGES 1000

static void listing_next (GTask      *task,
                          const char *next_token);

static void
listing_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Listing *listing = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonObject) answer = wharf_sso_rest_finish (result, NULL, &error);
  const char *list_name = listing->account_id != NULL ? "roleList" : "accountList";
  const char *operation = listing->account_id != NULL ? "ListAccountRoles" : "ListAccounts";
  const char *next_token;
  JsonNode *node;
  JsonArray *list;

  if (answer == NULL)
    {
      g_task_return_error (task, portal_error (error));
      return;
    }
  node = json_object_get_member (answer, list_name);
  if (node != NULL && JSON_NODE_HOLDS_NULL (node))
    node = NULL;
  if (node != NULL && !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_task_return_error (task, wharf_sso_bad_answer (operation));
      return;
    }
  list = node != NULL ? json_node_get_array (node) : NULL;
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonNode *item_node = json_array_get_element (list, i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (item_node) ? json_node_get_object (item_node)
                                                            : NULL;

      if (listing->account_id != NULL)
        {
          const char *role = wharf_sso_member_string (item, "roleName");

          if (!wharf_sso_nonempty (role))
            {
              g_task_return_error (task, wharf_sso_bad_answer (operation));
              return;
            }
          g_ptr_array_add (listing->items, g_strdup (role));
        }
      else
        {
          WharfSsoAccount *account;

          if (!wharf_sso_nonempty (wharf_sso_member_string (item, "accountId")))
            {
              g_task_return_error (task, wharf_sso_bad_answer (operation));
              return;
            }
          account = g_new0 (WharfSsoAccount, 1);
          account->account_id = g_strdup (wharf_sso_member_string (item, "accountId"));
          account->account_name = g_strdup (wharf_sso_member_string (item, "accountName"));
          account->email_address = g_strdup (wharf_sso_member_string (item, "emailAddress"));
          g_ptr_array_add (listing->items, account);
        }
    }
  next_token = wharf_sso_member_string (answer, "nextToken");
  if (wharf_sso_nonempty (next_token))
    {
      /* A service that never stops paging must not keep us busy forever. */
      if (++listing->pages >= MAX_LISTING_PAGES)
        {
          g_task_return_error (task, wharf_sso_bad_answer (operation));
          return;
        }
      listing_next (g_steal_pointer (&task), next_token);
      return;
    }
  g_task_return_pointer (task, g_ptr_array_ref (listing->items),
                         (GDestroyNotify) g_ptr_array_unref);
}

static void
listing_next (GTask      *task,
              const char *next_token)
{
  Listing *listing = g_task_get_task_data (task);
  g_autofree char *page_size = listing->page_size > 0 ? g_strdup_printf ("%u", listing->page_size)
                                                      : NULL;
  g_autofree char *query = NULL;
  g_autofree char *path = NULL;
  const char *pairs[] = {
    "account_id", listing->account_id,
    "max_result", page_size,
    "next_token", next_token,
    NULL,
  };

  query = query_string (pairs);
  path = g_strconcat (listing->account_id != NULL ? "/assignment/roles" : "/assignment/accounts",
                      *query != '\0' ? "?" : "", query, NULL);
  wharf_sso_rest_call (listing->endpoint, "GET", path, NULL, listing->access_token,
                       g_task_get_cancellable (task), listing_cb, task);
}

static void
listing_start (const char          *portal_endpoint,
               const char          *access_token,
               const char          *account_id,
               guint                page_size,
               gpointer             source_tag,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Listing *listing = g_new0 (Listing, 1);

  g_task_set_source_tag (task, source_tag);
  listing->endpoint = g_strdup (portal_endpoint);
  listing->access_token = g_strdup (access_token);
  listing->account_id = g_strdup (account_id);
  listing->page_size = page_size;
  listing->items = account_id != NULL
                   ? g_ptr_array_new_with_free_func (g_free)
                   : g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_sso_account_free);
  g_task_set_task_data (task, listing, (GDestroyNotify) listing_free);
  listing_next (task, NULL);
}

void
wharf_sso_list_accounts_async (const char          *portal_endpoint,
                               const char          *access_token,
                               guint                page_size,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (portal_endpoint != NULL && access_token != NULL);
  listing_start (portal_endpoint, access_token, NULL, page_size, wharf_sso_list_accounts_async,
                 cancellable, callback, user_data);
}

GPtrArray *
wharf_sso_list_accounts_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wharf_sso_list_accounts_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
wharf_sso_list_account_roles_async (const char          *portal_endpoint,
                                    const char          *access_token,
                                    const char          *account_id,
                                    guint                page_size,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (portal_endpoint != NULL && access_token != NULL && account_id != NULL);
  listing_start (portal_endpoint, access_token, account_id, page_size,
                 wharf_sso_list_account_roles_async, cancellable, callback, user_data);
}

GPtrArray *
wharf_sso_list_account_roles_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == wharf_sso_list_account_roles_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
