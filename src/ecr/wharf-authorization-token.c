/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-authorization-token"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wharf-authorization-token.h"

#include "wharf-ecr-json-private.h"

struct _WharfAuthorizationToken
{
  GObject     parent_instance;

  char       *user_name;
  char       *password;
  gsize       password_len;
  char       *proxy_endpoint;
  char       *registry;
  GDateTime  *expires_at;
};

G_DEFINE_FINAL_TYPE (WharfAuthorizationToken, wharf_authorization_token, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_USER_NAME,
  PROP_PROXY_ENDPOINT,
  PROP_REGISTRY,
  PROP_EXPIRES_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
wipe_string (char  **str,
             gsize   len)
{
  if (*str)
    {
      /* volatile so that the wipe is not optimised away */
      volatile char *p = *str;
      gsize i;

      for (i = 0; i < len; i++)
        p[i] = 0;
      g_clear_pointer (str, g_free);
    }
}

static void
wharf_authorization_token_finalize (GObject *object)
{
  WharfAuthorizationToken *self = (WharfAuthorizationToken *) object;

  wipe_string (&self->password, self->password_len);
  g_free (self->user_name);
  g_free (self->proxy_endpoint);
  g_free (self->registry);
  g_clear_pointer (&self->expires_at, g_date_time_unref);

  G_OBJECT_CLASS (wharf_authorization_token_parent_class)->finalize (object);
}

static void
wharf_authorization_token_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  WharfAuthorizationToken *self = WHARF_AUTHORIZATION_TOKEN (object);

  switch (prop_id)
    {
    case PROP_USER_NAME:
      g_value_set_string (value, self->user_name);
      break;
    case PROP_PROXY_ENDPOINT:
      g_value_set_string (value, self->proxy_endpoint);
      break;
    case PROP_REGISTRY:
      g_value_set_string (value, self->registry);
      break;
    case PROP_EXPIRES_AT:
      g_value_set_boxed (value, self->expires_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wharf_authorization_token_class_init (WharfAuthorizationTokenClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = wharf_authorization_token_finalize;
  object_class->get_property = wharf_authorization_token_get_property;

  properties[PROP_USER_NAME] = g_param_spec_string ("user-name", NULL, NULL, NULL, flags);
  properties[PROP_PROXY_ENDPOINT] = g_param_spec_string ("proxy-endpoint", NULL, NULL, NULL, flags);
  properties[PROP_REGISTRY] = g_param_spec_string ("registry", NULL, NULL, NULL, flags);
  properties[PROP_EXPIRES_AT] =
    g_param_spec_boxed ("expires-at", NULL, NULL, G_TYPE_DATE_TIME, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wharf_authorization_token_init (WharfAuthorizationToken *self)
{
}

static gboolean
is_base64 (const char *text)
{
  gsize len = strlen (text);
  gsize i;

  if (len == 0 || len % 4 != 0)
    return FALSE;
  for (i = 0; i < len; i++)
    {
      char c = text[i];

      if (g_ascii_isalnum (c) || c == '+' || c == '/')
        continue;
      if (c == '=' && i >= len - 2 && (i == len - 1 || text[len - 1] == '='))
        continue;
      return FALSE;
    }
  return TRUE;
}

/* The user name is shown and passed to `docker login --username`: UTF-8 without control
 * characters (ECR's is "AWS"). */
static gboolean
valid_user_name (const char *name,
                 gsize       len)
{
  const char *end = name + len;

  if (!g_utf8_validate_len (name, len, NULL))
    return FALSE;
  for (const char *p = name; p < end; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* The password is written to docker's standard input, where a line ends it. */
static gboolean
valid_password (const char *password,
                gsize       len)
{
  return len > 0
         && g_utf8_validate_len (password, len, NULL)
         && memchr (password, '\n', len) == NULL
         && memchr (password, '\r', len) == NULL;
}

WharfAuthorizationToken *
wharf_authorization_token_new_from_json (JsonObject  *object,
                                         GError     **error)
{
  g_autoptr(WharfAuthorizationToken) self = NULL;
  const char *token, *endpoint, *colon, *host;
  guchar *decoded;
  gsize decoded_len = 0;

  g_return_val_if_fail (object, NULL);

  self = g_object_new (WHARF_TYPE_AUTHORIZATION_TOKEN, NULL);

  if (!wharf_ecr_json_get_string (object, "authorizationToken", TRUE, &token, error) ||
      !wharf_ecr_json_get_string (object, "proxyEndpoint", TRUE, &endpoint, error) ||
      !wharf_ecr_json_get_timestamp (object, "expiresAt", &self->expires_at, error))
    return NULL;
  if (!self->expires_at)
    {
      wharf_ecr_json_missing ("expiresAt", error);
      return NULL;
    }

  if (!is_base64 (token))
    {
      wharf_ecr_json_bad_value ("authorizationToken", error);
      return NULL;
    }

  decoded = g_base64_decode (token, &decoded_len);
  colon = decoded ? memchr (decoded, ':', decoded_len) : NULL;
  if (!colon || colon == (const char *) decoded || memchr (decoded, '\0', decoded_len)
      || !valid_user_name ((const char *) decoded, colon - (const char *) decoded)
      || !valid_password (colon + 1, decoded_len - (colon + 1 - (const char *) decoded)))
    {
      char *wipe = (char *) decoded;

      wipe_string (&wipe, decoded_len);
      wharf_ecr_json_bad_value ("authorizationToken", error);
      return NULL;
    }

  self->user_name = g_strndup ((const char *) decoded, colon - (const char *) decoded);
  self->password_len = decoded_len - (colon + 1 - (const char *) decoded);
  self->password = g_strndup (colon + 1, self->password_len);
  {
    char *wipe = (char *) decoded;

    wipe_string (&wipe, decoded_len);
  }

  self->proxy_endpoint = g_strdup (endpoint);
  host = strstr (endpoint, "://");
  host = host ? host + 3 : endpoint;
  self->registry = g_strndup (host, strcspn (host, "/"));
  if (!*self->registry)
    {
      wharf_ecr_json_bad_value ("proxyEndpoint", error);
      return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
wharf_authorization_token_get_user_name (WharfAuthorizationToken *self)
{
  g_return_val_if_fail (WHARF_IS_AUTHORIZATION_TOKEN (self), NULL);
  return self->user_name;
}

const char *
wharf_authorization_token_get_password (WharfAuthorizationToken *self)
{
  g_return_val_if_fail (WHARF_IS_AUTHORIZATION_TOKEN (self), NULL);
  return self->password;
}

const char *
wharf_authorization_token_get_proxy_endpoint (WharfAuthorizationToken *self)
{
  g_return_val_if_fail (WHARF_IS_AUTHORIZATION_TOKEN (self), NULL);
  return self->proxy_endpoint;
}

const char *
wharf_authorization_token_get_registry (WharfAuthorizationToken *self)
{
  g_return_val_if_fail (WHARF_IS_AUTHORIZATION_TOKEN (self), NULL);
  return self->registry;
}

GDateTime *
wharf_authorization_token_get_expires_at (WharfAuthorizationToken *self)
{
  g_return_val_if_fail (WHARF_IS_AUTHORIZATION_TOKEN (self), NULL);
  return self->expires_at;
}
