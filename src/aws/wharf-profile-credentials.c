/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-profile-credentials"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <openssl/crypto.h>

#include "wharf-profile-credentials.h"

#include "wharf-aws-error.h"
#include "wharf-sso.h"
#include "wharf-sts.h"

#define MFA_HANDLER_KEY "wharf-mfa-handler"

typedef struct
{
  WharfMfaHandler handler;
  gpointer        user_data;
  GDestroyNotify  destroy;
} MfaHook;

static void
mfa_hook_free (MfaHook *hook)
{
  if (hook->destroy != NULL)
    hook->destroy (hook->user_data);
  g_free (hook);
}

void
wharf_profile_credentials_set_mfa_handler (WharfCredentialsProvider *provider,
                                           WharfMfaHandler           handler,
                                           gpointer                  user_data,
                                           GDestroyNotify            destroy)
{
  MfaHook *hook = NULL;

  g_return_if_fail (WHARF_IS_CREDENTIALS_PROVIDER (provider));

  if (handler != NULL)
    {
      hook = g_new0 (MfaHook, 1);
      hook->handler = handler;
      hook->user_data = user_data;
      hook->destroy = destroy;
    }
  g_object_set_data_full (G_OBJECT (provider), MFA_HANDLER_KEY, hook,
                          (GDestroyNotify) mfa_hook_free);
}

/* One profile's role settings, read when the chain is walked. */
typedef struct
{
  char *profile;
  char *role_arn;
  char *session_name;
  char *external_id;
  char *mfa_serial;
  int   duration_seconds;
} RoleHop;

static void
role_hop_free (RoleHop *hop)
{
  g_free (hop->profile);
  g_free (hop->role_arn);
  g_free (hop->session_name);
  g_free (hop->external_id);
  g_free (hop->mfa_serial);
  g_free (hop);
}

typedef enum
{
  BASE_STATIC_KEYS,
  BASE_ENVIRONMENT,
  BASE_PROCESS,
  BASE_SSO,
} BaseKind;

typedef struct
{
  WharfAwsConfig           *config;
  WharfCredentialsProvider *owner;       /* nullable */
  char                     *profile;     /* the one asked for */
  char                     *region;      /* nullable: the global STS endpoint */
  GPtrArray                *hops;        /* RoleHop *, outermost first */
  guint                     next_hop;    /* counts down: hops->len … 1 */
  BaseKind                  base_kind;
  char                     *base_profile;
  WharfSsoSettings         *sso;
  char                     *sso_token;   /* access token, wiped */
  WharfCredentials         *current;
} Resolve;

static void
resolve_free (Resolve *r)
{
  g_clear_object (&r->config);
  g_clear_object (&r->owner);
  g_free (r->profile);
  g_free (r->region);
  g_ptr_array_unref (r->hops);
  g_free (r->base_profile);
  g_clear_pointer (&r->sso, wharf_sso_settings_free);
  if (r->sso_token != NULL)
    OPENSSL_cleanse (r->sso_token, strlen (r->sso_token));
  g_free (r->sso_token);
  g_clear_pointer (&r->current, wharf_credentials_unref);
  g_free (r);
}

static gboolean
nonempty (const char *s)
{
  return s != NULL && *s != '\0';
}

static gboolean
read_hop (WharfAwsConfig  *config,
          const char      *profile,
          RoleHop        **out,
          GError         **error)
{
  RoleHop *hop = g_new0 (RoleHop, 1);
  const char *duration = wharf_aws_config_get (config, profile, "duration_seconds");

  hop->profile = g_strdup (profile);
  hop->role_arn = g_strdup (wharf_aws_config_get (config, profile, "role_arn"));
  hop->session_name = g_strdup (wharf_aws_config_get (config, profile, "role_session_name"));
  if (!nonempty (hop->session_name))
    {
      g_free (hop->session_name);
      hop->session_name = wharf_sts_default_session_name ();
    }
  hop->external_id = g_strdup (wharf_aws_config_get (config, profile, "external_id"));
  hop->mfa_serial = g_strdup (wharf_aws_config_get (config, profile, "mfa_serial"));
  if (nonempty (duration))
    {
      char *end = NULL;
      gint64 value;

      errno = 0;
      value = g_ascii_strtoll (duration, &end, 10);
      if (errno != 0 || end == duration || *end != '\0' || value < WHARF_STS_MIN_DURATION
          || value > WHARF_STS_MAX_DURATION)
        {
          g_set_error (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_CONFIG,
                       _("The profile “%s” sets duration_seconds to “%s”; it must be a number "
                         "of seconds from %d to %d."), profile, duration,
                       WHARF_STS_MIN_DURATION, WHARF_STS_MAX_DURATION);
          role_hop_free (hop);
          return FALSE;
        }
      hop->duration_seconds = (int) value;
    }
  *out = hop;
  return TRUE;
}

/* Walks role_arn → source_profile links down to the source of the first credentials. */
static gboolean
walk_chain (Resolve  *r,
            GError  **error)
{
  g_autoptr(GPtrArray) visited = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *current = g_strdup (r->profile);

  for (;;)
    {
      WharfAwsProfileKind kind;
      const char *source_profile, *credential_source;
      RoleHop *hop = NULL;

      if (!wharf_aws_config_has_profile (r->config, current))
        {
          if (visited->len == 0)
            g_set_error (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_PROFILE_NOT_FOUND,
                         _("The profile “%s” does not exist."), current);
          else
            g_set_error (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_PROFILE_NOT_FOUND,
                         _("The profile “%s” names the source profile “%s”, which does not "
                           "exist."), (const char *) g_ptr_array_index (visited, visited->len - 1),
                         current);
          return FALSE;
        }

      g_ptr_array_add (visited, g_strdup (current));
      kind = wharf_aws_config_get_profile_kind (r->config, current);
      switch (kind)
        {
        case WHARF_AWS_PROFILE_KIND_ASSUME_ROLE:
          if (!read_hop (r->config, current, &hop, error))
            return FALSE;
          g_ptr_array_add (r->hops, hop);
          source_profile = wharf_aws_config_get (r->config, current, "source_profile");
          credential_source = wharf_aws_config_get (r->config, current, "credential_source");
          if (nonempty (source_profile) && nonempty (credential_source))
            {
              g_set_error (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_CONFIG,
                           _("The profile “%s” sets both source_profile and credential_source; "
                             "it may set only one."), current);
              return FALSE;
            }
          if (nonempty (credential_source))
            {
              if (g_ascii_strcasecmp (credential_source, "Environment") != 0)
                {
                  g_set_error (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_UNSUPPORTED,
                               _("The profile “%s” takes its credentials from “%s”, which Wharf "
                                 "does not support; only “Environment” is supported."),
                               current, credential_source);
                  return FALSE;
                }
              r->base_kind = BASE_ENVIRONMENT;
              r->base_profile = g_strdup (current);
              return TRUE;
            }
          if (!nonempty (source_profile))
            {
              g_set_error (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_CONFIG,
                           _("The profile “%s” has a role_arn but neither source_profile nor "
                             "credential_source."), current);
              return FALSE;
            }
          /* As the AWS CLI: a profile may name itself when it holds the keys too. */
          if (g_str_equal (source_profile, current))
            {
              if (!nonempty (wharf_aws_config_get (r->config, current, "aws_access_key_id"))
                  || !nonempty (wharf_aws_config_get (r->config, current,
                                                      "aws_secret_access_key")))
                {
                  g_set_error (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_CONFIG,
                               _("The profile “%s” is its own source profile but has no access "
                                 "keys."), current);
                  return FALSE;
                }
              r->base_kind = BASE_STATIC_KEYS;
              r->base_profile = g_strdup (current);
              return TRUE;
            }
          for (guint i = 0; i < visited->len; i++)
            if (g_str_equal (g_ptr_array_index (visited, i), source_profile))
              {
                g_autoptr(GString) chain = g_string_new (NULL);

                for (guint j = 0; j < visited->len; j++)
                  g_string_append_printf (chain, "%s → ",
                                          (const char *) g_ptr_array_index (visited, j));
                g_string_append (chain, source_profile);
                g_set_error (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_CONFIG,
                             _("The source profiles of “%s” form a loop: %s."), r->profile,
                             chain->str);
                return FALSE;
              }
          g_free (current);
          current = g_strdup (source_profile);
          continue;

        case WHARF_AWS_PROFILE_KIND_STATIC_KEYS:
          {
            g_autoptr(WharfAwsProfile) p = wharf_aws_config_get_profile (r->config, current);

            if (!wharf_aws_profile_get_usable (p))
              {
                g_set_error (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_INCOMPLETE,
                             _("The profile “%s” %s."), current,
                             wharf_aws_profile_get_unusable_reason (p));
                return FALSE;
              }
          }
          r->base_kind = BASE_STATIC_KEYS;
          r->base_profile = g_strdup (current);
          return TRUE;

        case WHARF_AWS_PROFILE_KIND_CREDENTIAL_PROCESS:
          r->base_kind = BASE_PROCESS;
          r->base_profile = g_strdup (current);
          return TRUE;

        case WHARF_AWS_PROFILE_KIND_SSO:
          r->sso = wharf_sso_settings_from_profile (r->config, current, error);
          if (r->sso == NULL)
            return FALSE;
          if (r->sso->account_id == NULL || r->sso->role_name == NULL)
            {
              g_set_error (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_CONFIG,
                           _("The profile “%s” uses IAM Identity Center but does not set both "
                             "sso_account_id and sso_role_name."), current);
              return FALSE;
            }
          r->base_kind = BASE_SSO;
          r->base_profile = g_strdup (current);
          return TRUE;

        case WHARF_AWS_PROFILE_KIND_WEB_IDENTITY:
          g_set_error (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_UNSUPPORTED,
                       _("The profile “%s” uses a web identity token, which Wharf does not "
                         "support yet."), current);
          return FALSE;

        case WHARF_AWS_PROFILE_KIND_NONE:
        default:
          g_set_error (error, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_NOT_FOUND,
                       _("The profile “%s” has no credentials."), current);
          return FALSE;
        }
    }
}

/* ---- MFA ------------------------------------------------------------------------------- */

struct _WharfMfaRequest
{
  GTask *task;
  char  *profile;
  char  *serial;
};

const char *
wharf_mfa_request_get_profile (WharfMfaRequest *request)
{
  return request->profile;
}

const char *
wharf_mfa_request_get_serial (WharfMfaRequest *request)
{
  return request->serial;
}

GCancellable *
wharf_mfa_request_get_cancellable (WharfMfaRequest *request)
{
  return g_task_get_cancellable (request->task);
}

static void assume_hop (GTask      *task,
                        const char *token_code);
static void next_hop   (GTask      *task);

void
wharf_mfa_request_reply (WharfMfaRequest *request,
                         const char      *code)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (request != NULL);

  task = g_steal_pointer (&request->task);
  if (!g_task_return_error_if_cancelled (task))
    {
      if (code == NULL || *code == '\0')
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 _("No MFA code was given for the profile “%s”."),
                                 request->profile);
      else
        assume_hop (g_steal_pointer (&task), code);
    }

  g_free (request->profile);
  g_free (request->serial);
  g_free (request);
}

/* ---- The chain, asynchronously --------------------------------------------------------- */

static void
assume_role_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Resolve *r = g_task_get_task_data (task);
  GError *error = NULL;
  WharfCredentials *creds = wharf_sts_assume_role_finish (result, &error);

  if (creds == NULL)
    {
      RoleHop *hop = g_ptr_array_index (r->hops, r->next_hop);

      if (error->domain == WHARF_AWS_ERROR)
        g_prefix_error (&error, _("Could not assume the role of the profile “%s”: "),
                        hop->profile);
      g_task_return_error (task, error);
      return;
    }
  g_clear_pointer (&r->current, wharf_credentials_unref);
  r->current = creds;
  next_hop (g_steal_pointer (&task));
}

/* Calls AssumeRole for hop r->next_hop with r->current. */
static void
assume_hop (GTask      *task,
            const char *token_code)
{
  Resolve *r = g_task_get_task_data (task);
  RoleHop *hop = g_ptr_array_index (r->hops, r->next_hop);
  WharfStsAssumeRoleParams params = { 0 };
  g_autofree char *endpoint = NULL;
  g_autofree char *signing_region = NULL;
  g_autofree char *label = NULL;
  GError *error = NULL;

  endpoint = wharf_sts_resolve_endpoint (r->config, hop->profile, r->region, &signing_region,
                                         &error);
  if (endpoint == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  params.role_arn = hop->role_arn;
  params.role_session_name = hop->session_name;
  params.duration_seconds = hop->duration_seconds;
  params.external_id = nonempty (hop->external_id) ? hop->external_id : NULL;
  if (token_code != NULL)
    {
      params.serial_number = hop->mfa_serial;
      params.token_code = token_code;
    }
  /* Translators: %s is a profile name */
  label = g_strdup_printf (_("profile “%s” (assumed role)"), hop->profile);
  g_debug ("AssumeRole %s for profile %s at %s", hop->role_arn, hop->profile, endpoint);
  wharf_sts_assume_role_async (endpoint, signing_region, r->current, &params, label,
                               g_task_get_cancellable (task), assume_role_cb, task);
}

static void
next_hop (GTask *task)
{
  Resolve *r = g_task_get_task_data (task);
  RoleHop *hop;
  MfaHook *hook;
  WharfMfaRequest *request;

  if (r->next_hop == 0)
    {
      g_task_return_pointer (task, wharf_credentials_ref (r->current),
                             (GDestroyNotify) wharf_credentials_unref);
      g_object_unref (task);
      return;
    }
  r->next_hop--;
  hop = g_ptr_array_index (r->hops, r->next_hop);
  if (!nonempty (hop->mfa_serial))
    {
      assume_hop (task, NULL);
      return;
    }

  hook = r->owner != NULL ? g_object_get_data (G_OBJECT (r->owner), MFA_HANDLER_KEY) : NULL;
  if (hook == NULL)
    {
      g_task_return_new_error (task, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_UNSUPPORTED,
                               _("The profile “%s” needs an MFA code from %s, and nothing can "
                                 "ask for it here."), hop->profile, hop->mfa_serial);
      g_object_unref (task);
      return;
    }
  request = g_new0 (WharfMfaRequest, 1);
  request->task = task;
  request->profile = g_strdup (hop->profile);
  request->serial = g_strdup (hop->mfa_serial);
  hook->handler (request, hook->user_data);
}

static void
base_done (GTask            *task,
           WharfCredentials *creds,
           GError           *error)
{
  Resolve *r = g_task_get_task_data (task);

  if (creds == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (wharf_credentials_expires_within (creds, NULL, 0))
    {
      g_autofree char *when = g_date_time_format_iso8601 (wharf_credentials_get_expiration (creds));

      g_task_return_new_error (task, WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_EXPIRED,
                               _("The credentials of the profile “%s” expired at %s."),
                               r->base_profile, when);
      wharf_credentials_unref (creds);
      g_object_unref (task);
      return;
    }
  r->current = creds;
  r->next_hop = r->hops->len;
  next_hop (task);
}

static void
process_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  Resolve *r = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(WharfCredentials) creds = wharf_credential_process_run_finish (result, &error);
  g_autofree char *label = NULL;

  if (creds == NULL)
    {
      base_done (task, NULL, error);
      return;
    }
  label = g_strdup_printf (_("profile “%s” (credential_process)"), r->base_profile);
  base_done (task, wharf_credentials_copy_with_source (creds, label), NULL);
}

static void
sso_role_credentials_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GTask *task = user_data;
  Resolve *r = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(WharfCredentials) creds = wharf_sso_get_role_credentials_finish (result, &error);
  g_autofree char *label = NULL;

  if (creds == NULL)
    {
      /* The portal refuses a token the cache still calls valid: sign in again. */
      if (g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_CREDENTIALS)
          || g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_EXPIRED_CREDENTIALS))
        {
          GError *login = g_error_new (WHARF_SSO_ERROR, WHARF_SSO_ERROR_LOGIN_REQUIRED,
                                       _("The IAM Identity Center session of the profile “%s” "
                                         "is no longer valid (%s). Sign in again."),
                                       r->base_profile, error->message);
          g_error_free (error);
          error = login;
        }
      base_done (task, NULL, error);
      return;
    }
  /* Translators: %s is a profile name */
  label = g_strdup_printf (_("profile “%s” (IAM Identity Center)"), r->base_profile);
  base_done (task, wharf_credentials_copy_with_source (creds, label), NULL);
}

static void
sso_token_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  Resolve *r = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(WharfSsoToken) token = wharf_sso_get_token_finish (result, &error);
  g_autofree char *portal = NULL;

  if (token == NULL)
    {
      base_done (task, NULL, error);
      return;
    }
  portal = wharf_sso_resolve_portal_endpoint (r->config, r->base_profile, r->sso->sso_region,
                                              &error);
  if (portal == NULL)
    {
      base_done (task, NULL, error);
      return;
    }
  wharf_sso_get_role_credentials_async (portal, token->access_token, r->sso->account_id,
                                        r->sso->role_name, g_task_get_cancellable (task),
                                        sso_role_credentials_cb, task);
}

static void
start_base (GTask *task)
{
  Resolve *r = g_task_get_task_data (task);
  const char *key_id, *secret, *token;
  g_autofree char *label = NULL;
  GError *error = NULL;

  switch (r->base_kind)
    {
    case BASE_STATIC_KEYS:
      key_id = wharf_aws_config_get (r->config, r->base_profile, "aws_access_key_id");
      secret = wharf_aws_config_get (r->config, r->base_profile, "aws_secret_access_key");
      token = wharf_aws_config_get (r->config, r->base_profile, "aws_session_token");
      if (token == NULL)
        token = wharf_aws_config_get (r->config, r->base_profile, "aws_security_token");
      label = g_strdup_printf (_("profile “%s”"), r->base_profile);
      base_done (task, wharf_credentials_new_with_source (key_id, secret, token, NULL, label),
                 NULL);
      return;

    case BASE_ENVIRONMENT:
      key_id = g_getenv ("AWS_ACCESS_KEY_ID");
      secret = g_getenv ("AWS_SECRET_ACCESS_KEY");
      token = g_getenv ("AWS_SESSION_TOKEN");
      if (!nonempty (token))
        token = g_getenv ("AWS_SECURITY_TOKEN");
      if (!nonempty (key_id) || !nonempty (secret))
        {
          base_done (task, NULL,
                     g_error_new (WHARF_CREDENTIALS_ERROR, WHARF_CREDENTIALS_ERROR_NOT_FOUND,
                                  _("The profile “%s” takes its credentials from the "
                                    "environment, but AWS_ACCESS_KEY_ID and "
                                    "AWS_SECRET_ACCESS_KEY are not both set."),
                                  r->base_profile));
          return;
        }
      base_done (task, wharf_credentials_new_with_source (key_id, secret, token, NULL,
                                                          _("environment")),
                 NULL);
      return;

    case BASE_PROCESS:
      wharf_credential_process_run_async (wharf_aws_config_get (r->config, r->base_profile,
                                                                "credential_process"),
                                          WHARF_CREDENTIAL_PROCESS_TIMEOUT_SECONDS,
                                          g_task_get_cancellable (task), process_cb, task);
      return;

    case BASE_SSO:
    default:
      {
        g_autofree char *oidc = wharf_sso_resolve_oidc_endpoint (r->config, r->base_profile,
                                                                 r->sso->sso_region, &error);

        if (oidc == NULL)
          {
            base_done (task, NULL, error);
            return;
          }
        wharf_sso_get_token_async (r->sso, oidc, g_task_get_cancellable (task), sso_token_cb,
                                   task);
      }
      return;
    }
}

void
wharf_profile_credentials_resolve_async (WharfAwsConfig           *config,
                                         const char               *profile,
                                         WharfCredentialsProvider *owner,
                                         GCancellable             *cancellable,
                                         GAsyncReadyCallback       callback,
                                         gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  Resolve *r;

  g_return_if_fail (WHARF_IS_AWS_CONFIG (config));
  g_return_if_fail (profile != NULL);
  g_return_if_fail (owner == NULL || WHARF_IS_CREDENTIALS_PROVIDER (owner));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wharf_profile_credentials_resolve_async);
  r = g_new0 (Resolve, 1);
  r->config = g_object_ref (config);
  r->owner = owner != NULL ? g_object_ref (owner) : NULL;
  r->profile = g_strdup (profile);
  r->region = wharf_aws_config_resolve_region (config, profile);
  r->hops = g_ptr_array_new_with_free_func ((GDestroyNotify) role_hop_free);
  g_task_set_task_data (task, r, (GDestroyNotify) resolve_free);

  if (!walk_chain (r, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  start_base (g_steal_pointer (&task));
}

WharfCredentials *
wharf_profile_credentials_resolve_finish (GAsyncResult  *result,
                                          GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == wharf_profile_credentials_resolve_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
