/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-credentials"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-credentials.h"

#include "wharf-aws-config.h"
#include "wharf-caching-credentials.h"
#include "wharf-profile-credentials.h"

/*
 * The AWS CLI's default chain: the environment, then the profile (role and IAM Identity
 * Center profiles through wharf-profile-credentials.c, static keys, credential_process).
 * The chain fetches afresh each time; wharf_default_credentials_provider_new() wraps it in a
 * caching provider.
 */

#define WHARF_TYPE_CHAIN_CREDENTIALS_PROVIDER (wharf_chain_credentials_provider_get_type ())
G_DECLARE_FINAL_TYPE (WharfChainCredentialsProvider, wharf_chain_credentials_provider,
                      WHARF, CHAIN_CREDENTIALS_PROVIDER, GObject)

struct _WharfChainCredentialsProvider
{
  GObject                   parent_instance;
  char                     *profile;  /* explicit; NULL: AWS_PROFILE or "default" */
  WharfCredentialsProvider *owner;    /* weak: the caching provider around this one */
};

static void chain_provider_iface_init (WharfCredentialsProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (WharfChainCredentialsProvider, wharf_chain_credentials_provider,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (WHARF_TYPE_CREDENTIALS_PROVIDER,
                                                      chain_provider_iface_init))

static void
wharf_chain_credentials_provider_finalize (GObject *object)
{
  WharfChainCredentialsProvider *self = WHARF_CHAIN_CREDENTIALS_PROVIDER (object);

  if (self->owner != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->owner), (gpointer *) &self->owner);
  g_free (self->profile);

  G_OBJECT_CLASS (wharf_chain_credentials_provider_parent_class)->finalize (object);
}

static void
wharf_chain_credentials_provider_class_init (WharfChainCredentialsProviderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wharf_chain_credentials_provider_finalize;
}

static void
wharf_chain_credentials_provider_init (WharfChainCredentialsProvider *self)
{
}

/* One fetch: its task (source object: the chain) and the profile it reads. */
typedef struct
{
  GTask    *task;
  char     *profile;
  gboolean  profile_chosen;  /* explicit or AWS_PROFILE */
} Fetch;

/* Takes @creds and @error (one of them NULL) and ends @fetch. */
static void
finish_fetch (Fetch            *fetch,
              WharfCredentials *creds,
              GError           *error)
{
  if (creds != NULL)
    g_task_return_pointer (fetch->task, creds, (GDestroyNotify) wharf_credentials_unref);
  else
    g_task_return_error (fetch->task, error);

  g_object_unref (fetch->task);
  g_free (fetch->profile);
  g_free (fetch);
}

static void
process_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Fetch *fetch = user_data;
  GError *error = NULL;
  g_autoptr(WharfCredentials) creds = wharf_credential_process_run_finish (result, &error);
  WharfCredentials *labelled = NULL;

  if (creds != NULL && wharf_credentials_expires_within (creds, NULL, 0))
    {
      g_autofree char *when = g_date_time_format_iso8601 (wharf_credentials_get_expiration (creds));

      g_set_error (&error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_EXPIRED,
                   _("The credential process of the profile “%s” returned credentials that "
                     "expired at %s."), fetch->profile, when);
    }
  else if (creds != NULL)
    {
      g_autofree char *source_label =
        g_strdup_printf (_("profile “%s” (credential_process)"), fetch->profile);

      labelled = wharf_credentials_copy_with_source (creds, source_label);
    }

  finish_fetch (fetch, labelled, labelled != NULL ? NULL : error);
  if (labelled != NULL)
    g_clear_error (&error);
}

static void
profile_resolved_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Fetch *fetch = user_data;
  GError *error = NULL;
  WharfCredentials *creds = wharf_profile_credentials_resolve_finish (result, &error);

  finish_fetch (fetch, creds, error);
}

static void
config_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WharfAwsConfig) config = wharf_aws_config_load_default_finish (result, &error);
  g_autoptr(WharfAwsProfile) profile = NULL;
  g_autofree char *config_path = wharf_aws_config_get_config_file_path ();
  g_autofree char *credentials_path = wharf_aws_config_get_credentials_file_path ();
  WharfCredentialsProvider *owner;
  const char *key_id, *secret, *token;

  if (config == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        finish_fetch (fetch, NULL, g_steal_pointer (&error));
      else
        finish_fetch (fetch, NULL,
                      g_error_new_literal (WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_CONFIG,
                                           error->message));
      return;
    }

  profile = wharf_aws_config_get_profile (config, fetch->profile);
  if (profile == NULL)
    {
      if (fetch->profile_chosen)
        finish_fetch (fetch, NULL,
                      g_error_new (WHARF_CREDENTIALS_ERROR,
                                   WHARF_CREDENTIALS_ERROR_PROFILE_NOT_FOUND,
                                   _("The profile “%s” is not in %s or %s."),
                                   fetch->profile, config_path, credentials_path));
      else
        finish_fetch (fetch, NULL,
                      g_error_new (WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_NOT_FOUND,
                                   _("No AWS credentials found. Wharf looked in the environment "
                                     "(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) and for the "
                                     "profile “%s” in %s and %s."),
                                   fetch->profile, config_path, credentials_path));
      return;
    }

  switch (wharf_aws_profile_get_kind (profile))
    {
    case WHARF_AWS_PROFILE_KIND_SSO:
    case WHARF_AWS_PROFILE_KIND_ASSUME_ROLE:
      /* Role chains and IAM Identity Center: wharf-profile-credentials.c */
      /* The hooks (MFA) are set on the provider the callers hold, which caches this one. */
      owner = WHARF_CHAIN_CREDENTIALS_PROVIDER (g_task_get_source_object (fetch->task))->owner;
      wharf_profile_credentials_resolve_async (config, fetch->profile, owner,
                                               g_task_get_cancellable (fetch->task),
                                               profile_resolved_cb, fetch);
      return;

    case WHARF_AWS_PROFILE_KIND_WEB_IDENTITY:
      finish_fetch (fetch, NULL,
                    g_error_new (WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_UNSUPPORTED,
                                 /* Translators: the second %s is a reason such as "uses IAM
                                  * Identity Center (SSO), which Wharf does not support yet" */
                                 _("The profile “%s” %s."), fetch->profile,
                                 wharf_aws_profile_get_unusable_reason (profile)));
      return;

    case WHARF_AWS_PROFILE_KIND_STATIC_KEYS:
      key_id = wharf_aws_config_get (config, fetch->profile, "aws_access_key_id");
      secret = wharf_aws_config_get (config, fetch->profile, "aws_secret_access_key");
      token = wharf_aws_config_get (config, fetch->profile, "aws_session_token");
      if (token == NULL)
        token = wharf_aws_config_get (config, fetch->profile, "aws_security_token");
      if (!wharf_aws_profile_get_usable (profile))
        {
          finish_fetch (fetch, NULL,
                        g_error_new (WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_INCOMPLETE,
                                     _("The profile “%s” %s."), fetch->profile,
                                     wharf_aws_profile_get_unusable_reason (profile)));
          return;
        }
      {
        g_autofree char *source_label = g_strdup_printf (_("profile “%s”"), fetch->profile);
        finish_fetch (fetch,
                      wharf_credentials_new_with_source (key_id, secret, token, NULL, source_label),
                      NULL);
      }
      return;

    case WHARF_AWS_PROFILE_KIND_CREDENTIAL_PROCESS:
      wharf_credential_process_run_async (wharf_aws_config_get (config, fetch->profile,
                                                                "credential_process"),
                                          WHARF_CREDENTIAL_PROCESS_TIMEOUT_SECONDS,
                                          g_task_get_cancellable (fetch->task),
                                          process_done_cb, fetch);
      return;

    case WHARF_AWS_PROFILE_KIND_NONE:
    default:
      finish_fetch (fetch, NULL,
                    g_error_new (WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_NOT_FOUND,
                                 _("No AWS credentials found. The profile “%s” has no access "
                                   "keys and no credential_process, and the environment has no "
                                   "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."),
                                 fetch->profile));
      return;
    }
}

static void
chain_provider_get_credentials_async (WharfCredentialsProvider *provider,
                                      GCancellable             *cancellable,
                                      GAsyncReadyCallback       callback,
                                      gpointer                  user_data)
{
  WharfChainCredentialsProvider *self = WHARF_CHAIN_CREDENTIALS_PROVIDER (provider);
  Fetch *fetch = g_new0 (Fetch, 1);
  const char *env_profile = g_getenv ("AWS_PROFILE");

  fetch->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (fetch->task, chain_provider_get_credentials_async);

  if (self->profile != NULL)
    {
      fetch->profile = g_strdup (self->profile);
      fetch->profile_chosen = TRUE;
    }
  else
    {
      fetch->profile = g_strdup (wharf_aws_config_get_default_profile_name ());
      fetch->profile_chosen = env_profile != NULL && *env_profile != '\0';
    }

  /* 1. The environment, unless a profile was named explicitly (as `aws --profile`). */
  if (self->profile == NULL)
    {
      const char *key_id = g_getenv ("AWS_ACCESS_KEY_ID");
      const char *secret = g_getenv ("AWS_SECRET_ACCESS_KEY");
      const char *token = g_getenv ("AWS_SESSION_TOKEN");
      gboolean has_key = key_id != NULL && *key_id != '\0';
      gboolean has_secret = secret != NULL && *secret != '\0';

      if (token == NULL || *token == '\0')
        token = g_getenv ("AWS_SECURITY_TOKEN");

      if (has_key && has_secret)
        {
          finish_fetch (fetch,
                        wharf_credentials_new_with_source (key_id, secret, token, NULL,
                                                           _("environment")),
                        NULL);
          return;
        }
      if (has_key != has_secret)
        {
          finish_fetch (fetch, NULL,
                        g_error_new (WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_INCOMPLETE,
                                     _("The environment sets %s but not %s."),
                                     has_key ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
                                     has_key ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID"));
          return;
        }
    }

  /* 2. and 3. The profile: static keys, then credential_process. */
  wharf_aws_config_load_default_async (cancellable, config_loaded_cb, fetch);
}

static WharfCredentials *
chain_provider_get_credentials_finish (WharfCredentialsProvider  *provider,
                                       GAsyncResult              *result,
                                       GError                   **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
chain_provider_iface_init (WharfCredentialsProviderInterface *iface)
{
  iface->get_credentials_async = chain_provider_get_credentials_async;
  iface->get_credentials_finish = chain_provider_get_credentials_finish;
}

WharfCredentialsProvider *
wharf_default_credentials_provider_new (const char *profile)
{
  g_autoptr(WharfChainCredentialsProvider) chain = NULL;
  WharfCredentialsProvider *self;

  chain = g_object_new (WHARF_TYPE_CHAIN_CREDENTIALS_PROVIDER, NULL);
  chain->profile = profile != NULL && *profile != '\0' ? g_strdup (profile) : NULL;
  self = wharf_caching_credentials_provider_new (WHARF_CREDENTIALS_PROVIDER (chain));
  chain->owner = self;
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *) &chain->owner);
  return self;
}
