/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-sso"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "wharf-sso.h"
#include "wharf-sso-credentials.h"
#include "wharf-sso-private.h"

#include "wharf-aws-endpoint.h"

/* Where a sign-in comes from: a profile or sso-session of ~/.aws/config, or what a person
 * typed. */

G_DEFINE_QUARK (wharf-sso-error-quark, wharf_sso_error)

/* ---- Settings -------------------------------------------------------------------------- */

void
wharf_sso_settings_free (WharfSsoSettings *self)
{
  if (self == NULL)
    return;
  g_free (self->profile);
  g_free (self->session_name);
  g_free (self->start_url);
  g_free (self->sso_region);
  g_free (self->account_id);
  g_free (self->role_name);
  g_strfreev (self->scopes);
  g_free (self);
}

static GStrv
parse_scopes (const char *value)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (!wharf_sso_nonempty (value))
    {
      g_strv_builder_add (builder, WHARF_SSO_SCOPE_ACCOUNT_ACCESS);
      return g_strv_builder_end (builder);
    }
  parts = g_strsplit (value, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }
  return g_strv_builder_end (builder);
}

WharfSsoSettings *
wharf_sso_settings_from_session (WharfAwsConfig  *config,
                                 const char      *session,
                                 GError         **error)
{
  g_autoptr(WharfSsoSettings) self = g_new0 (WharfSsoSettings, 1);
  const char *start_url = wharf_aws_config_get_sso_session_setting (config, session,
                                                                    "sso_start_url");
  const char *region = wharf_aws_config_get_sso_session_setting (config, session, "sso_region");

  g_return_val_if_fail (WHARF_IS_AWS_CONFIG (config), NULL);
  g_return_val_if_fail (session != NULL, NULL);

  if (!wharf_sso_nonempty (start_url) || !wharf_sso_nonempty (region))
    {
      g_set_error (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_CONFIG,
                   _("The section [sso-session %s] is missing or does not set both "
                     "sso_start_url and sso_region."), session);
      return NULL;
    }
  if (!wharf_aws_region_is_valid (region))
    {
      g_set_error (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_CONFIG,
                   _("The sso_region “%s” of [sso-session %s] is not a valid region name."),
                   region, session);
      return NULL;
    }
  self->session_name = g_strdup (session);
  self->start_url = g_strdup (start_url);
  self->sso_region = g_strdup (region);
  self->scopes = parse_scopes (wharf_aws_config_get_sso_session_setting (config, session,
                                                                         "sso_registration_scopes"));
  return g_steal_pointer (&self);
}

WharfSsoSettings *
wharf_sso_settings_from_profile (WharfAwsConfig  *config,
                                 const char      *profile,
                                 GError         **error)
{
  g_autoptr(WharfSsoSettings) self = NULL;
  const char *session, *start_url, *region;

  g_return_val_if_fail (WHARF_IS_AWS_CONFIG (config), NULL);
  g_return_val_if_fail (profile != NULL, NULL);

  session = wharf_aws_config_get (config, profile, "sso_session");
  start_url = wharf_aws_config_get (config, profile, "sso_start_url");
  region = wharf_aws_config_get (config, profile, "sso_region");

  if (wharf_sso_nonempty (session))
    {
      self = wharf_sso_settings_from_session (config, session, error);
      if (self == NULL)
        return NULL;
      /* As botocore: values repeated in the profile must agree with the session. */
      if ((wharf_sso_nonempty (start_url) && g_strcmp0 (start_url, self->start_url) != 0)
          || (wharf_sso_nonempty (region) && g_strcmp0 (region, self->sso_region) != 0))
        {
          g_set_error (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_CONFIG,
                       _("The profile “%s” sets sso_start_url or sso_region to values that "
                         "differ from its [sso-session %s]."), profile, session);
          return NULL;
        }
    }
  else
    {
      if (!wharf_sso_nonempty (start_url) || !wharf_sso_nonempty (region))
        {
          g_set_error (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_CONFIG,
                       _("The profile “%s” uses IAM Identity Center but sets neither "
                         "sso_session nor both sso_start_url and sso_region."), profile);
          return NULL;
        }
      if (!wharf_aws_region_is_valid (region))
        {
          g_set_error (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_CONFIG,
                       _("The sso_region “%s” of the profile “%s” is not a valid region name."),
                       region, profile);
          return NULL;
        }
      self = g_new0 (WharfSsoSettings, 1);
      self->start_url = g_strdup (start_url);
      self->sso_region = g_strdup (region);
      self->scopes = parse_scopes (NULL);
    }

  self->profile = g_strdup (profile);
  if (wharf_sso_nonempty (wharf_aws_config_get (config, profile, "sso_account_id")))
    self->account_id = g_strdup (wharf_aws_config_get (config, profile, "sso_account_id"));
  if (wharf_sso_nonempty (wharf_aws_config_get (config, profile, "sso_role_name")))
    self->role_name = g_strdup (wharf_aws_config_get (config, profile, "sso_role_name"));
  return g_steal_pointer (&self);
}

const char *
wharf_sso_settings_get_cache_key (const WharfSsoSettings *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->session_name != NULL ? self->session_name : self->start_url;
}

/* ---- Settings typed in Wharf ---------------------------------------------------------- */

WharfSsoSettings *
wharf_sso_settings_new (const char *session_name,
                        const char *start_url,
                        const char *sso_region,
                        const char *account_id,
                        const char *role_name)
{
  WharfSsoSettings *self;
  const char *scopes[] = { WHARF_SSO_SCOPE_ACCOUNT_ACCESS, NULL };

  g_return_val_if_fail (start_url != NULL, NULL);
  g_return_val_if_fail (sso_region != NULL, NULL);

  self = g_new0 (WharfSsoSettings, 1);
  self->session_name = wharf_sso_nonempty (session_name) ? g_strdup (session_name) : NULL;
  self->start_url = g_strdup (start_url);
  self->sso_region = g_strdup (sso_region);
  self->account_id = wharf_sso_nonempty (account_id) ? g_strdup (account_id) : NULL;
  self->role_name = wharf_sso_nonempty (role_name) ? g_strdup (role_name) : NULL;
  self->scopes = g_strdupv ((char **) scopes);
  return self;
}

WharfSsoSettings *
wharf_sso_settings_dup (const WharfSsoSettings *settings)
{
  WharfSsoSettings *copy;

  g_return_val_if_fail (settings != NULL, NULL);

  copy = wharf_sso_settings_new (settings->session_name, settings->start_url,
                                 settings->sso_region, settings->account_id,
                                 settings->role_name);
  copy->profile = g_strdup (settings->profile);
  if (settings->scopes != NULL)
    {
      g_strfreev (copy->scopes);
      copy->scopes = g_strdupv (settings->scopes);
    }
  return copy;
}

gboolean
wharf_sso_start_url_is_valid (const char  *start_url,
                              char       **reason)
{
  g_autoptr(GUri) uri = NULL;

  if (!wharf_sso_nonempty (start_url))
    {
      if (reason != NULL)
        *reason = g_strdup (_("Enter the start URL of your organisation’s AWS access portal."));
      return FALSE;
    }
  if (strpbrk (start_url, " \t\r\n") != NULL)
    {
      if (reason != NULL)
        *reason = g_strdup (_("A start URL has no spaces."));
      return FALSE;
    }
  uri = g_uri_parse (start_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "https") != 0
      || !wharf_sso_nonempty (g_uri_get_host (uri)))
    {
      if (reason != NULL)
        *reason = g_strdup (_("A start URL begins with https://, as in "
                              "https://my-company.awsapps.com/start."));
      return FALSE;
    }
  if (g_uri_get_userinfo (uri) != NULL)
    {
      if (reason != NULL)
        *reason = g_strdup (_("A start URL has no user name or password in it."));
      return FALSE;
    }
  return TRUE;
}
