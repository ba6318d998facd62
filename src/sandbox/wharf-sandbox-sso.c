/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-sandbox-sso"

#include "config.h"

#include <glib/gi18n.h>

#include <json-glib/json-glib.h>
#include <string.h>

#include "wharf-sandbox-auth.h"
#include "wharf-sandbox-auth-private.h"

#define JSON_TYPE "application/json"
#define ACCESS_TOKEN_SECONDS (8 * 3600)
#define CLIENT_SECONDS (90 * 24 * 3600)
#define DEVICE_SECONDS 600
#define ROLE_SESSION_SECONDS 3600
#define DEFAULT_PAGE 20
#define MAX_PAGE 100

static SbClient *
add_client (WharfSandbox *self,
            const char   *client_id,
            const char   *client_secret)
{
  SbClient *c = g_new0 (SbClient, 1);

  c->client_id = g_strdup (client_id);
  c->client_secret = g_strdup (client_secret);
  c->expires = wharf_sandbox_get_now (self) + (gint64) CLIENT_SECONDS * G_USEC_PER_SEC;
  g_hash_table_replace (sb_auth_get (self)->clients, c->client_id, c);
  return c;
}

static SbToken *
add_token (WharfSandbox *self,
           const char   *access_token,
           const char   *client_id,
           guint         seconds)
{
  SbToken *t = g_new0 (SbToken, 1);

  t->access_token = g_strdup (access_token);
  t->client_id = g_strdup (client_id);
  t->expires = wharf_sandbox_get_now (self) + (gint64) seconds * G_USEC_PER_SEC;
  g_hash_table_replace (sb_auth_get (self)->tokens, t->access_token, t);
  return t;
}

/* ---- In-process controls --------------------------------------------------------------- */

void
wharf_sandbox_sso_add_assignment (WharfSandbox *self,
                                  const char   *account_id,
                                  const char   *account_name,
                                  const char   *email,
                                  const char   *role_name)
{
  SbAssignment *a;

  g_return_if_fail (WHARF_IS_SANDBOX (self));
  g_return_if_fail (account_id && strlen (account_id) == 12
                    && strspn (account_id, "0123456789") == 12);
  g_return_if_fail (role_name);

  a = g_new0 (SbAssignment, 1);
  a->account_id = g_strdup (account_id);
  a->account_name = g_strdup (account_name ? account_name : account_id);
  a->email = g_strdup (email ? email : "wharf@example.com");
  a->role_name = g_strdup (role_name);
  g_ptr_array_add (sb_auth_get (self)->assignments, a);
}

void
wharf_sandbox_sso_add_token (WharfSandbox *self,
                             const char   *access_token,
                             const char   *refresh_token,
                             const char   *client_id,
                             const char   *client_secret,
                             guint         lifetime_seconds)
{
  g_return_if_fail (WHARF_IS_SANDBOX (self));
  g_return_if_fail (access_token);
  g_return_if_fail (!refresh_token || client_id);

  if (client_id && client_secret)
    add_client (self, client_id, client_secret);
  add_token (self, access_token, client_id, lifetime_seconds);
  if (refresh_token)
    g_hash_table_replace (sb_auth_get (self)->refresh, g_strdup (refresh_token),
                          g_strdup (client_id));
}

gboolean
wharf_sandbox_sso_approve (WharfSandbox *self,
                           const char   *user_code)
{
  GHashTableIter iter;
  SbDevice *d;

  g_return_val_if_fail (WHARF_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (user_code, FALSE);

  g_hash_table_iter_init (&iter, sb_auth_get (self)->devices);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &d))
    if (g_str_equal (d->user_code, user_code))
      {
        d->approved = TRUE;
        return TRUE;
      }
  return FALSE;
}

void
wharf_sandbox_sso_slow_down (WharfSandbox *self)
{
  g_return_if_fail (WHARF_IS_SANDBOX (self));
  sb_auth_get (self)->slow_down = TRUE;
}

void
wharf_sandbox_sso_expire_tokens (WharfSandbox *self)
{
  SbAuth *auth;
  GHashTableIter iter;
  gpointer value;
  gint64 now;

  g_return_if_fail (WHARF_IS_SANDBOX (self));

  auth = sb_auth_get (self);
  now = wharf_sandbox_get_now (self);
  g_hash_table_iter_init (&iter, auth->tokens);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((SbToken *) value)->expires = MIN (((SbToken *) value)->expires, now);
  g_hash_table_iter_init (&iter, auth->devices);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((SbDevice *) value)->expires = MIN (((SbDevice *) value)->expires, now);
}

const char *
wharf_sandbox_sso_get_last_user_code (WharfSandbox *self)
{
  g_return_val_if_fail (WHARF_IS_SANDBOX (self), NULL);
  return sb_auth_get (self)->last_user_code;
}

/* ---- Replies --------------------------------------------------------------------------- */

static void
reply_json (SbAuthReply *reply,
            guint        status,
            JsonObject  *object)   /* taken */
{
  g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), object);

  json_object_unref (object);
  reply->status = status;
  reply->content_type = g_strdup (JSON_TYPE);
  reply->body = json_to_string (root, FALSE);
}

/* SSO-OIDC errors: the exception in x-amzn-ErrorType, the OAuth error in the body. */
static void
oidc_error (SbAuthReply *reply,
            guint        status,
            const char  *type,
            const char  *oauth,
            const char  *description)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "error", oauth);
  json_object_set_string_member (o, "error_description", description);
  reply->error_type = g_strdup (type);
  reply_json (reply, status, o);
}

/* The portal's errors: the exception in x-amzn-ErrorType, {"message": …}. */
static void
portal_error (SbAuthReply *reply,
              guint        status,
              const char  *type,
              const char  *message)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "message", message);
  reply->error_type = g_strdup (type);
  reply_json (reply, status, o);
}

/* ---- SSO-OIDC -------------------------------------------------------------------------- */

static const char *
get_string (JsonObject *o,
            const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (!n || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static JsonObject *
parse_input (const WharfSigv4Request *req)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len = 0;
  const guint8 *body = wharf_sigv4_request_get_body (req, &len);
  JsonNode *root;

  if (!len || !json_parser_load_from_data (parser, (const char *) body, len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (!root || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

/* The client, when @client_id and @client_secret match a registration that has not expired. */
static SbClient *
check_client (WharfSandbox *self,
              const char   *client_id,
              const char   *client_secret)
{
  SbClient *c = client_id ? g_hash_table_lookup (sb_auth_get (self)->clients, client_id) : NULL;

  if (!c || !client_secret || !g_str_equal (c->client_secret, client_secret)
      || c->expires <= wharf_sandbox_get_now (self))
    return NULL;
  return c;
}

static void
register_client (WharfSandbox *self,
                 JsonObject   *input,
                 SbAuthReply  *reply)
{
  const char *name = get_string (input, "clientName");
  const char *type = get_string (input, "clientType");
  g_autofree char *id_tail = sb_auth_random (22, FALSE);
  g_autofree char *client_id = g_strconcat ("wharf-sandbox-", id_tail, NULL);
  g_autofree char *secret = sb_auth_random (64, FALSE);
  SbClient *c;
  JsonObject *o;

  if (!name || !*name || !type || !g_str_equal (type, "public"))
    {
      oidc_error (reply, 400, "InvalidRequestException", "invalid_request",
                  "clientName and clientType public are required");
      return;
    }
  c = add_client (self, client_id, secret);
  o = json_object_new ();
  json_object_set_string_member (o, "clientId", c->client_id);
  json_object_set_string_member (o, "clientSecret", c->client_secret);
  json_object_set_int_member (o, "clientIdIssuedAt", wharf_sandbox_get_now (self) / G_USEC_PER_SEC);
  json_object_set_int_member (o, "clientSecretExpiresAt", c->expires / G_USEC_PER_SEC);
  reply_json (reply, 200, o);
}

static void
start_device_authorization (WharfSandbox *self,
                            JsonObject   *input,
                            SbAuthReply  *reply)
{
  SbAuth *auth = sb_auth_get (self);
  const char *start_url = get_string (input, "startUrl");
  g_autofree char *a = sb_auth_random (4, TRUE);
  g_autofree char *b = sb_auth_random (4, TRUE);
  g_autofree char *complete = NULL;
  SbClient *c = check_client (self, get_string (input, "clientId"),
                              get_string (input, "clientSecret"));
  SbDevice *d;
  JsonObject *o;

  if (!c)
    {
      oidc_error (reply, 400, "InvalidClientException", "invalid_client",
                  "The client is not registered or its secret is wrong");
      return;
    }
  if (!start_url || !g_str_has_prefix (start_url, "https://"))
    {
      oidc_error (reply, 400, "InvalidRequestException", "invalid_request",
                  "startUrl must be an https URL");
      return;
    }
  d = g_new0 (SbDevice, 1);
  d->device_code = sb_auth_random (80, FALSE);
  d->user_code = g_strdup_printf ("%s-%s", a, b);
  d->client_id = g_strdup (c->client_id);
  d->expires = wharf_sandbox_get_now (self) + (gint64) DEVICE_SECONDS * G_USEC_PER_SEC;
  g_hash_table_replace (auth->devices, d->device_code, d);
  g_free (auth->last_user_code);
  auth->last_user_code = g_strdup (d->user_code);

  complete = g_strdup_printf ("https://device.sso.us-east-1.amazonaws.com/?user_code=%s",
                              d->user_code);
  o = json_object_new ();
  json_object_set_string_member (o, "deviceCode", d->device_code);
  json_object_set_string_member (o, "userCode", d->user_code);
  json_object_set_string_member (o, "verificationUri", "https://device.sso.us-east-1.amazonaws.com/");
  json_object_set_string_member (o, "verificationUriComplete", complete);
  json_object_set_int_member (o, "expiresIn", DEVICE_SECONDS);
  json_object_set_int_member (o, "interval", 1);
  reply_json (reply, 200, o);
}

static void
issue_tokens (WharfSandbox *self,
              const char   *client_id,
              SbAuthReply  *reply)
{
  g_autofree char *access_tail = sb_auth_random (200, FALSE);
  g_autofree char *refresh_tail = sb_auth_random (200, FALSE);
  g_autofree char *access = g_strconcat ("aoa", access_tail, NULL);
  g_autofree char *refresh = g_strconcat ("aor", refresh_tail, NULL);
  JsonObject *o = json_object_new ();

  add_token (self, access, client_id, ACCESS_TOKEN_SECONDS);
  g_hash_table_replace (sb_auth_get (self)->refresh, g_strdup (refresh), g_strdup (client_id));
  json_object_set_string_member (o, "accessToken", access);
  json_object_set_string_member (o, "tokenType", "Bearer");
  json_object_set_int_member (o, "expiresIn", ACCESS_TOKEN_SECONDS);
  json_object_set_string_member (o, "refreshToken", refresh);
  reply_json (reply, 200, o);
}

static void
create_token (WharfSandbox *self,
              JsonObject   *input,
              SbAuthReply  *reply)
{
  SbAuth *auth = sb_auth_get (self);
  const char *grant = get_string (input, "grantType");
  SbClient *c = check_client (self, get_string (input, "clientId"),
                              get_string (input, "clientSecret"));

  if (!c)
    {
      oidc_error (reply, 400, "InvalidClientException", "invalid_client",
                  "The client is not registered or its secret is wrong");
      return;
    }
  if (g_strcmp0 (grant, "urn:ietf:params:oauth:grant-type:device_code") == 0)
    {
      const char *code = get_string (input, "deviceCode");
      SbDevice *d = code ? g_hash_table_lookup (auth->devices, code) : NULL;
      g_autofree char *client_id = NULL;

      if (!d || !g_str_equal (d->client_id, c->client_id))
        {
          oidc_error (reply, 400, "InvalidGrantException", "invalid_grant",
                      "Invalid device code provided");
          return;
        }
      if (d->expires <= wharf_sandbox_get_now (self))
        {
          oidc_error (reply, 400, "ExpiredTokenException", "expired_token",
                      "Device code has expired");
          return;
        }
      if (!d->approved)
        {
          if (auth->slow_down)
            {
              auth->slow_down = FALSE;
              oidc_error (reply, 400, "SlowDownException", "slow_down", "Client is polling too "
                          "quickly");
            }
          else
            oidc_error (reply, 400, "AuthorizationPendingException", "authorization_pending",
                        "Authorization is still pending");
          return;
        }
      client_id = g_strdup (c->client_id);
      g_hash_table_remove (auth->devices, code);
      issue_tokens (self, client_id, reply);
      return;
    }
  if (g_strcmp0 (grant, "refresh_token") == 0)
    {
      const char *refresh = get_string (input, "refreshToken");
      const char *owner = refresh ? g_hash_table_lookup (auth->refresh, refresh) : NULL;
      g_autofree char *client_id = NULL;

      if (!owner || !g_str_equal (owner, c->client_id))
        {
          oidc_error (reply, 400, "InvalidGrantException", "invalid_grant",
                      "Invalid refresh token provided");
          return;
        }
      /* Refresh tokens rotate: the old one is spent. */
      client_id = g_strdup (c->client_id);
      g_hash_table_remove (auth->refresh, refresh);
      issue_tokens (self, client_id, reply);
      return;
    }
  oidc_error (reply, 400, "UnsupportedGrantTypeException", "unsupported_grant_type",
              "Unsupported grant type");
}

/* ---- The portal ------------------------------------------------------------------------ */

static gboolean
check_bearer (WharfSandbox            *self,
              const WharfSigv4Request *req,
              SbAuthReply             *reply)
{
  const char *token = wharf_sigv4_request_get_header (req, "x-amz-sso_bearer_token");
  SbToken *t = token ? g_hash_table_lookup (sb_auth_get (self)->tokens, token) : NULL;

  if (!t || t->expires <= wharf_sandbox_get_now (self))
    {
      portal_error (reply, 401, "UnauthorizedException", "Session token not found or invalid");
      return FALSE;
    }
  return TRUE;
}

static void
get_role_credentials (WharfSandbox *self,
                      GHashTable   *query,
                      SbAuthReply  *reply)
{
  SbAuth *auth = sb_auth_get (self);
  const char *role_name = g_hash_table_lookup (query, "role_name");
  const char *account_id = g_hash_table_lookup (query, "account_id");
  g_autofree char *arn = NULL, *user_id = NULL, *role_tail = NULL;
  SbSession *s;
  JsonObject *o, *creds;
  gboolean found = FALSE;

  if (!role_name || !account_id)
    {
      portal_error (reply, 400, "InvalidRequestException",
                    "role_name and account_id are required");
      return;
    }
  for (guint i = 0; i < auth->assignments->len && !found; i++)
    {
      SbAssignment *a = auth->assignments->pdata[i];

      found = g_str_equal (a->account_id, account_id) && g_str_equal (a->role_name, role_name);
    }
  if (!found)
    {
      portal_error (reply, 403, "ForbiddenException", "No access");
      return;
    }
  role_tail = sb_auth_random (17, TRUE);
  arn = g_strdup_printf ("arn:aws:sts::%s:assumed-role/AWSReservedSSO_%s_0123456789abcdef/"
                         "wharf@example.com", account_id, role_name);
  user_id = g_strdup_printf ("AROA%s:wharf@example.com", role_tail);
  s = sb_auth_new_session (self, account_id, arn, user_id, ROLE_SESSION_SECONDS);

  creds = json_object_new ();
  json_object_set_string_member (creds, "accessKeyId", s->access_key_id);
  json_object_set_string_member (creds, "secretAccessKey", s->secret_access_key);
  json_object_set_string_member (creds, "sessionToken", s->session_token);
  json_object_set_int_member (creds, "expiration", s->expires / 1000);
  o = json_object_new ();
  json_object_set_object_member (o, "roleCredentials", creds);
  reply_json (reply, 200, o);
}

/* Pages over @items (gpointer) with max_result / next_token ("<index>"). */
static gboolean
page_bounds (GHashTable  *query,
             guint        n_items,
             guint       *start,
             guint       *end,
             SbAuthReply *reply)
{
  const char *max_text = g_hash_table_lookup (query, "max_result");
  const char *token = g_hash_table_lookup (query, "next_token");
  guint64 max = DEFAULT_PAGE, from = 0;

  if (max_text && !g_ascii_string_to_unsigned (max_text, 10, 1, MAX_PAGE, &max, NULL))
    {
      portal_error (reply, 400, "InvalidRequestException", "max_result is out of range");
      return FALSE;
    }
  if (token)
    {
      g_autofree guchar *raw = NULL;
      g_autofree char *text = NULL;
      gsize len = 0;

      raw = g_base64_decode (token, &len);
      text = g_strndup ((const char *) raw, len);
      if (!g_str_has_prefix (text, "wharf:")
          || !g_ascii_string_to_unsigned (text + 6, 10, 0, n_items, &from, NULL))
        {
          portal_error (reply, 400, "InvalidRequestException", "Invalid next_token");
          return FALSE;
        }
    }
  *start = (guint) from;
  *end = (guint) MIN ((guint64) n_items, from + max);
  return TRUE;
}

static void
set_next_token (JsonObject *o,
                guint       end,
                guint       n_items)
{
  g_autofree char *text = NULL;
  g_autofree char *token = NULL;

  if (end >= n_items)
    {
      json_object_set_null_member (o, "nextToken");
      return;
    }
  text = g_strdup_printf ("wharf:%u", end);
  token = g_base64_encode ((const guchar *) text, strlen (text));
  json_object_set_string_member (o, "nextToken", token);
}

static void
list_accounts (WharfSandbox *self,
               GHashTable   *query,
               SbAuthReply  *reply)
{
  SbAuth *auth = sb_auth_get (self);
  g_autoptr(GPtrArray) accounts = g_ptr_array_new ();
  JsonArray *list = NULL;
  JsonObject *o;
  guint start, end;

  for (guint i = 0; i < auth->assignments->len; i++)
    {
      SbAssignment *a = auth->assignments->pdata[i];
      gboolean seen = FALSE;

      for (guint j = 0; j < accounts->len && !seen; j++)
        seen = g_str_equal (((SbAssignment *) accounts->pdata[j])->account_id, a->account_id);
      if (!seen)
        g_ptr_array_add (accounts, a);
    }
  if (!page_bounds (query, accounts->len, &start, &end, reply))
    return;
  list = json_array_new ();
  for (guint i = start; i < end; i++)
    {
      SbAssignment *a = accounts->pdata[i];
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "accountId", a->account_id);
      json_object_set_string_member (item, "accountName", a->account_name);
      json_object_set_string_member (item, "emailAddress", a->email);
      json_array_add_object_element (list, item);
    }
  o = json_object_new ();
  set_next_token (o, end, accounts->len);
  json_object_set_array_member (o, "accountList", list);
  reply_json (reply, 200, o);
}

static void
list_account_roles (WharfSandbox *self,
                    GHashTable   *query,
                    SbAuthReply  *reply)
{
  SbAuth *auth = sb_auth_get (self);
  const char *account_id = g_hash_table_lookup (query, "account_id");
  g_autoptr(GPtrArray) roles = g_ptr_array_new ();
  JsonArray *list;
  JsonObject *o;
  guint start, end;

  if (!account_id)
    {
      portal_error (reply, 400, "InvalidRequestException", "account_id is required");
      return;
    }
  for (guint i = 0; i < auth->assignments->len; i++)
    {
      SbAssignment *a = auth->assignments->pdata[i];

      if (g_str_equal (a->account_id, account_id))
        g_ptr_array_add (roles, a);
    }
  if (!page_bounds (query, roles->len, &start, &end, reply))
    return;
  list = json_array_new ();
  for (guint i = start; i < end; i++)
    {
      SbAssignment *a = roles->pdata[i];
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "roleName", a->role_name);
      json_object_set_string_member (item, "accountId", a->account_id);
      json_array_add_object_element (list, item);
    }
  o = json_object_new ();
  set_next_token (o, end, roles->len);
  json_object_set_array_member (o, "roleList", list);
  reply_json (reply, 200, o);
}

/* ---- Routing --------------------------------------------------------------------------- */

gboolean
sb_sso_dispatch (WharfSandbox            *self,
                 const WharfSigv4Request *req,
                 const char              *request_id,
                 SbAuthReply             *reply)
{
  const char *method = wharf_sigv4_request_get_method (req);
  const char *path = wharf_sigv4_request_get_path (req);
  const char *query_text = wharf_sigv4_request_get_query (req);

  if (g_str_equal (method, "POST") && (g_str_equal (path, "/client/register")
                                       || g_str_equal (path, "/device_authorization")
                                       || g_str_equal (path, "/token")))
    {
      g_autoptr(JsonObject) input = parse_input (req);

      reply->operation = g_strdup (g_str_equal (path, "/client/register") ? "RegisterClient"
                                   : g_str_equal (path, "/token") ? "CreateToken"
                                   : "StartDeviceAuthorization");
      if (!input)
        oidc_error (reply, 400, "InvalidRequestException", "invalid_request",
                    "The request body is not a JSON object");
      else if (g_str_equal (path, "/client/register"))
        register_client (self, input, reply);
      else if (g_str_equal (path, "/token"))
        create_token (self, input, reply);
      else
        start_device_authorization (self, input, reply);
      return TRUE;
    }

  if (g_str_equal (method, "GET") && (g_str_equal (path, "/federation/credentials")
                                      || g_str_equal (path, "/assignment/accounts")
                                      || g_str_equal (path, "/assignment/roles")))
    {
      g_autoptr(GHashTable) query = NULL;

      reply->operation = g_strdup (g_str_equal (path, "/federation/credentials")
                                   ? "GetRoleCredentials"
                                   : g_str_equal (path, "/assignment/accounts")
                                   ? "ListAccounts" : "ListAccountRoles");
      if (!check_bearer (self, req, reply))
        return TRUE;
      query = g_uri_parse_params (query_text ? query_text : "", -1, "&", G_URI_PARAMS_NONE, NULL);
      if (!query)
        {
          portal_error (reply, 400, "InvalidRequestException", "The query is malformed");
          return TRUE;
        }
      if (g_str_equal (path, "/federation/credentials"))
        get_role_credentials (self, query, reply);
      else if (g_str_equal (path, "/assignment/accounts"))
        list_accounts (self, query, reply);
      else
        list_account_roles (self, query, reply);
      return TRUE;
    }
  return FALSE;
}
