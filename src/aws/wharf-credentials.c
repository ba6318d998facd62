/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-credentials"

#include "config.h"

#include <string.h>

#include <openssl/crypto.h>

#include "wharf-credentials.h"

G_DEFINE_QUARK (wharf-credentials-error-quark, wharf_credentials_error)

/* WharfCredentials */

struct _WharfCredentials
{
  gatomicrefcount  ref_count;
  char            *access_key_id;
  char            *secret_access_key;
  char            *session_token;
  GDateTime       *expiration;
  char            *source;
};

G_DEFINE_BOXED_TYPE (WharfCredentials, wharf_credentials,
                     wharf_credentials_ref, wharf_credentials_unref)

static void
wipe_string (char *s)
{
  if (s != NULL)
    {
      OPENSSL_cleanse (s, strlen (s));
      g_free (s);
    }
}

WharfCredentials *
wharf_credentials_new_with_source (const char *access_key_id,
                                   const char *secret_access_key,
                                   const char *session_token,
                                   GDateTime  *expiration,
                                   const char *source)
{
  WharfCredentials *self;

  g_return_val_if_fail (access_key_id != NULL, NULL);
  g_return_val_if_fail (secret_access_key != NULL, NULL);

  self = g_new0 (WharfCredentials, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->access_key_id = g_strdup (access_key_id);
  self->secret_access_key = g_strdup (secret_access_key);
  self->session_token = session_token != NULL && *session_token != '\0'
                        ? g_strdup (session_token) : NULL;
  self->expiration = expiration != NULL ? g_date_time_ref (expiration) : NULL;
  self->source = g_strdup (source);

  return self;
}

WharfCredentials *
wharf_credentials_new (const char *access_key_id,
                       const char *secret_access_key,
                       const char *session_token,
                       GDateTime  *expiration)
{
  return wharf_credentials_new_with_source (access_key_id, secret_access_key, session_token,
                                            expiration, NULL);
}

WharfCredentials *
wharf_credentials_copy_with_source (const WharfCredentials *self,
                                    const char             *source)
{
  g_return_val_if_fail (self != NULL, NULL);

  return wharf_credentials_new_with_source (self->access_key_id, self->secret_access_key,
                                            self->session_token, self->expiration, source);
}

WharfCredentials *
wharf_credentials_ref (WharfCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
wharf_credentials_unref (WharfCredentials *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->access_key_id);
  wipe_string (self->secret_access_key);
  wipe_string (self->session_token);
  g_clear_pointer (&self->expiration, g_date_time_unref);
  g_free (self->source);
  g_free (self);
}

const char *
wharf_credentials_get_access_key_id (const WharfCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->access_key_id;
}

const char *
wharf_credentials_get_secret_access_key (const WharfCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->secret_access_key;
}

const char *
wharf_credentials_get_session_token (const WharfCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->session_token;
}

GDateTime *
wharf_credentials_get_expiration (const WharfCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->expiration;
}

const char *
wharf_credentials_get_source (const WharfCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->source;
}

gboolean
wharf_credentials_expires_within (const WharfCredentials *self,
                                  GDateTime              *now,
                                  GTimeSpan               margin)
{
  g_autoptr(GDateTime) clock = NULL;

  g_return_val_if_fail (self != NULL, TRUE);

  if (self->expiration == NULL)
    return FALSE;
  if (now == NULL)
    now = clock = g_date_time_new_now_utc ();

  return g_date_time_difference (self->expiration, now) <= margin;
}

/* The interface */

G_DEFINE_INTERFACE (WharfCredentialsProvider, wharf_credentials_provider, G_TYPE_OBJECT)

static void
wharf_credentials_provider_default_init (WharfCredentialsProviderInterface *iface)
{
}

void
wharf_credentials_provider_get_credentials_async (WharfCredentialsProvider *self,
                                                  GCancellable             *cancellable,
                                                  GAsyncReadyCallback       callback,
                                                  gpointer                  user_data)
{
  g_return_if_fail (WHARF_IS_CREDENTIALS_PROVIDER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  WHARF_CREDENTIALS_PROVIDER_GET_IFACE (self)->get_credentials_async (self, cancellable,
                                                                      callback, user_data);
}

WharfCredentials *
wharf_credentials_provider_get_credentials_finish (WharfCredentialsProvider  *self,
                                                   GAsyncResult              *result,
                                                   GError                   **error)
{
  g_return_val_if_fail (WHARF_IS_CREDENTIALS_PROVIDER (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  return WHARF_CREDENTIALS_PROVIDER_GET_IFACE (self)->get_credentials_finish (self, result, error);
}

void
wharf_credentials_provider_invalidate (WharfCredentialsProvider *self)
{
  WharfCredentialsProviderInterface *iface;

  g_return_if_fail (WHARF_IS_CREDENTIALS_PROVIDER (self));

  iface = WHARF_CREDENTIALS_PROVIDER_GET_IFACE (self);
  if (iface->invalidate != NULL)
    iface->invalidate (self);
}

static WharfCredentials *
task_propagate_credentials (GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Static provider */

#define WHARF_TYPE_STATIC_CREDENTIALS_PROVIDER (wharf_static_credentials_provider_get_type ())
G_DECLARE_FINAL_TYPE (WharfStaticCredentialsProvider, wharf_static_credentials_provider,
                      WHARF, STATIC_CREDENTIALS_PROVIDER, GObject)

struct _WharfStaticCredentialsProvider
{
  GObject           parent_instance;
  WharfCredentials *creds;
};

static void static_provider_iface_init (WharfCredentialsProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (WharfStaticCredentialsProvider, wharf_static_credentials_provider,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (WHARF_TYPE_CREDENTIALS_PROVIDER,
                                                      static_provider_iface_init))

static void
wharf_static_credentials_provider_finalize (GObject *object)
{
  WharfStaticCredentialsProvider *self = WHARF_STATIC_CREDENTIALS_PROVIDER (object);

  g_clear_pointer (&self->creds, wharf_credentials_unref);

  G_OBJECT_CLASS (wharf_static_credentials_provider_parent_class)->finalize (object);
}

static void
wharf_static_credentials_provider_class_init (WharfStaticCredentialsProviderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wharf_static_credentials_provider_finalize;
}

static void
wharf_static_credentials_provider_init (WharfStaticCredentialsProvider *self)
{
}

static void
static_provider_get_credentials_async (WharfCredentialsProvider *provider,
                                       GCancellable             *cancellable,
                                       GAsyncReadyCallback       callback,
                                       gpointer                  user_data)
{
  WharfStaticCredentialsProvider *self = WHARF_STATIC_CREDENTIALS_PROVIDER (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, static_provider_get_credentials_async);
  g_task_return_pointer (task, wharf_credentials_ref (self->creds),
                         (GDestroyNotify) wharf_credentials_unref);
}

static WharfCredentials *
static_provider_get_credentials_finish (WharfCredentialsProvider  *provider,
                                        GAsyncResult              *result,
                                        GError                   **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return task_propagate_credentials (result, error);
}

static void
static_provider_iface_init (WharfCredentialsProviderInterface *iface)
{
  iface->get_credentials_async = static_provider_get_credentials_async;
  iface->get_credentials_finish = static_provider_get_credentials_finish;
}

WharfCredentialsProvider *
wharf_static_credentials_provider_new (WharfCredentials *creds)
{
  WharfStaticCredentialsProvider *self;

  g_return_val_if_fail (creds != NULL, NULL);

  self = g_object_new (WHARF_TYPE_STATIC_CREDENTIALS_PROVIDER, NULL);
  self->creds = wharf_credentials_ref (creds);
  return WHARF_CREDENTIALS_PROVIDER (self);
}
