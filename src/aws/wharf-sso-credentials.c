/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-sso-credentials"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-sso-credentials.h"

#include "wharf-aws-error.h"
#include "wharf-caching-credentials.h"

/* ---- The provider ---- */

/* Fetches afresh each time; wharf_sso_credentials_provider_new() wraps it in a cache. */
#define WHARF_TYPE_SSO_CREDENTIALS_PROVIDER (wharf_sso_credentials_provider_get_type ())
G_DECLARE_FINAL_TYPE (WharfSsoCredentialsProvider, wharf_sso_credentials_provider,
                      WHARF, SSO_CREDENTIALS_PROVIDER, GObject)

struct _WharfSsoCredentialsProvider
{
  GObject           parent_instance;

  WharfSsoSettings *settings;
};

static void provider_iface_init (WharfCredentialsProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (WharfSsoCredentialsProvider, wharf_sso_credentials_provider,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (WHARF_TYPE_CREDENTIALS_PROVIDER,
                                                      provider_iface_init))

static GError *
login_required (WharfSsoCredentialsProvider *self,
                const char                  *why)
{
  /* Translators: the first %s is a start URL, the second the service's message */
  return g_error_new (WHARF_SSO_ERROR, WHARF_SSO_ERROR_LOGIN_REQUIRED,
                      _("The IAM Identity Center session of %s is no longer valid (%s). "
                        "Sign in again."), self->settings->start_url, why);
}

/* A token or a role the service refuses means the same as no sign-in: takes @error. */
static GError *
login_required_if_refused (WharfSsoCredentialsProvider *self,
                           GError                      *error)
{
  GError *login;

  if (!g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_CREDENTIALS)
      && !g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_EXPIRED_CREDENTIALS))
    return error;

  login = login_required (self, error->message);
  g_error_free (error);
  return login;
}

static void
role_credentials_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WharfSsoCredentialsProvider *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(WharfCredentials) creds = wharf_sso_get_role_credentials_finish (result, &error);
  g_autofree char *label = NULL;

  if (creds == NULL)
    {
      /* The portal refuses a token the cache still calls valid: sign in again. */
      g_task_return_error (task, login_required_if_refused (self, error));
      return;
    }

  /* Translators: the first %s is a role name, the second a 12-digit account id */
  label = g_strdup_printf (_("IAM Identity Center role %s in %s"), self->settings->role_name,
                           self->settings->account_id);
  g_task_return_pointer (task, wharf_credentials_copy_with_source (creds, label),
                         (GDestroyNotify) wharf_credentials_unref);
}

static void
token_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WharfSsoCredentialsProvider *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;
  g_autoptr(WharfSsoToken) token = wharf_sso_get_token_finish (result, &error);
  g_autofree char *portal = NULL;

  if (token == NULL)
    {
      /* A refresh token the service refuses means the same as no token. */
      g_task_return_error (task, login_required_if_refused (self, error));
      return;
    }

  portal = wharf_sso_resolve_portal_endpoint (NULL, NULL, self->settings->sso_region, &error);
  if (portal == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  wharf_sso_get_role_credentials_async (portal, token->access_token, self->settings->account_id,
                                        self->settings->role_name, cancellable,
                                        role_credentials_cb, g_steal_pointer (&task));
}

static void
provider_get_credentials_async (WharfCredentialsProvider *provider,
                                GCancellable             *cancellable,
                                GAsyncReadyCallback       callback,
                                gpointer                  user_data)
{
  WharfSsoCredentialsProvider *self = WHARF_SSO_CREDENTIALS_PROVIDER (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *oidc = NULL;
  GError *error = NULL;

  g_task_set_source_tag (task, provider_get_credentials_async);

  oidc = wharf_sso_resolve_oidc_endpoint (NULL, NULL, self->settings->sso_region, &error);
  if (oidc == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  wharf_sso_get_token_async (self->settings, oidc, cancellable, token_cb,
                             g_steal_pointer (&task));
}

static WharfCredentials *
provider_get_credentials_finish (WharfCredentialsProvider  *provider,
                                 GAsyncResult              *result,
                                 GError                   **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
provider_iface_init (WharfCredentialsProviderInterface *iface)
{
  iface->get_credentials_async = provider_get_credentials_async;
  iface->get_credentials_finish = provider_get_credentials_finish;
}

static void
wharf_sso_credentials_provider_finalize (GObject *object)
{
  WharfSsoCredentialsProvider *self = WHARF_SSO_CREDENTIALS_PROVIDER (object);

  g_clear_pointer (&self->settings, wharf_sso_settings_free);

  G_OBJECT_CLASS (wharf_sso_credentials_provider_parent_class)->finalize (object);
}

static void
wharf_sso_credentials_provider_class_init (WharfSsoCredentialsProviderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wharf_sso_credentials_provider_finalize;
}

static void
wharf_sso_credentials_provider_init (WharfSsoCredentialsProvider *self)
{
}

WharfCredentialsProvider *
wharf_sso_credentials_provider_new (const WharfSsoSettings *settings)
{
  g_autoptr(WharfSsoCredentialsProvider) inner = NULL;

  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (settings->start_url != NULL && settings->sso_region != NULL, NULL);
  g_return_val_if_fail (settings->account_id != NULL && settings->role_name != NULL, NULL);

  inner = g_object_new (WHARF_TYPE_SSO_CREDENTIALS_PROVIDER, NULL);
  inner->settings = wharf_sso_settings_dup (settings);
  return wharf_caching_credentials_provider_new (WHARF_CREDENTIALS_PROVIDER (inner));
}
