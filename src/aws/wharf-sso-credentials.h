/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Credentials of one IAM Identity Center account and role, chosen in Wharf rather than in a
 * profile of ~/.aws/config: the access token of the shared cache (~/.aws/sso/cache, as the
 * AWS CLI keeps it; refreshed with its refresh token near expiry), then the portal's
 * GetRoleCredentials, cached until WHARF_CREDENTIALS_REFRESH_MARGIN before they expire.
 * A missing, expired or refused token is WHARF_SSO_ERROR_LOGIN_REQUIRED.
 */
#pragma once

#include <gio/gio.h>

#include "wharf-credentials.h"
#include "wharf-sso.h"

G_BEGIN_DECLS

/* Settings without a profile: @session_name (nullable: the legacy form, cache keyed by the
 * start URL), @account_id and @role_name nullable (to sign in and list only). Scopes are
 * sso:account:access. */
WharfSsoSettings         *wharf_sso_settings_new               (const char             *session_name,
                                                                const char             *start_url,
                                                                const char             *sso_region,
                                                                const char             *account_id,
                                                                const char             *role_name);
WharfSsoSettings         *wharf_sso_settings_dup               (const WharfSsoSettings *settings);

/* Checks a start URL typed by a person: https, a host, no spaces. @reason: translated. */
gboolean                  wharf_sso_start_url_is_valid         (const char             *start_url,
                                                                char                  **reason);

/* @settings must name an account and a role; copied. Endpoints: AWS_ENDPOINT_URL_SSO /
 * AWS_ENDPOINT_URL_SSO_OIDC / AWS_ENDPOINT_URL, else the SSO region's. */
WharfCredentialsProvider *wharf_sso_credentials_provider_new   (const WharfSsoSettings *settings);

G_END_DECLS
