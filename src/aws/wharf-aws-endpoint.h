/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "wharf-aws-config.h"

G_BEGIN_DECLS

/* Everything endpoint resolution looks at. Strings are borrowed and nullable; boolean
 * settings are the raw strings ("true"/"false", any case) as found in the environment or the
 * profile. */
typedef struct
{
  const char *region;
  const char *endpoint_prefix;        /* "api.ecr" */
  const char *dualstack_prefix;       /* "ecr"; NULL: endpoint_prefix */

  const char *env_service_endpoint;   /* AWS_ENDPOINT_URL_<SERVICE> */
  const char *env_endpoint;           /* AWS_ENDPOINT_URL */
  const char *env_ignore_endpoints;   /* AWS_IGNORE_CONFIGURED_ENDPOINT_URLS */
  const char *env_use_fips;           /* AWS_USE_FIPS_ENDPOINT */
  const char *env_use_dualstack;      /* AWS_USE_DUALSTACK_ENDPOINT */

  const char *profile_service_endpoint; /* [services X] <service> = endpoint_url = … */
  const char *profile_endpoint;         /* endpoint_url */
  const char *profile_ignore_endpoints; /* ignore_configured_endpoint_urls */
  const char *profile_use_fips;         /* use_fips_endpoint */
  const char *profile_use_dualstack;    /* use_dualstack_endpoint */
} WharfAwsEndpointInputs;

/* Fills the env_* fields from the process environment; @service_env_suffix is "ECR". The
 * strings point into the environment (valid until it changes). */
void      wharf_aws_endpoint_inputs_from_environment (WharfAwsEndpointInputs *inputs,
                                                      const char             *service_env_suffix);

/* The id of a service in AWS_ENDPOINT_URL_<ID>: "ecr" → "ECR", "sso-oidc" → "SSO_OIDC". Its
 * lower-case form is the key of the profile's services section. */
char     *wharf_aws_endpoint_service_id       (const char *name);

/* Fills the env_* fields as wharf_aws_endpoint_inputs_from_environment() does, and the
 * profile_* fields from @profile of @config (nullable: none), for the service @service_id
 * ("ECR"). The one place that reads the override order's settings, for every client. */
void      wharf_aws_endpoint_inputs_from_config (WharfAwsEndpointInputs *inputs,
                                                 const char             *service_id,
                                                 WharfAwsConfig         *config,
                                                 const char             *profile);

/* Resolves the endpoint URL (no trailing slash) following the overrides
 * AWS_ENDPOINT_URL_<SERVICE> > AWS_ENDPOINT_URL > profile services section > profile
 * endpoint_url, otherwise the regional endpoint of the region's partition (FIPS and
 * dual-stack host names as in the service's endpoint rule set). The result is checked with
 * wharf_aws_endpoint_check_url(). */
char     *wharf_aws_endpoint_resolve          (const WharfAwsEndpointInputs *inputs,
                                               GError                      **error);

/* Trims spaces, and the slashes of a root path ("https://h:1/" → "https://h:1"). */
char     *wharf_aws_endpoint_normalize_url    (const char *url);

/* The partition's DNS suffix for @region ("amazonaws.com", "amazonaws.com.cn", …). */
const char *wharf_aws_endpoint_dns_suffix     (const char *region);

/* A region is a DNS label: lowercase letters, digits and '-', not at either end. */
gboolean  wharf_aws_region_is_valid           (const char *region);

/* Checks that @url is an absolute http(s) URL with a host and no query/fragment, and that
 * http:// goes only to loopback (127.0.0.0/8, ::1, localhost).
 * WHARF_AWS_ERROR_INSECURE_ENDPOINT or WHARF_AWS_ERROR_INVALID_ENDPOINT. */
gboolean  wharf_aws_endpoint_check_url        (const char *url,
                                               GError    **error);

/* Whether @host is a loopback name or address. */
gboolean  wharf_aws_host_is_loopback          (const char *host);

/* "true"/"false" in any case; anything else is FALSE. */
gboolean  wharf_aws_config_bool               (const char *value);

G_END_DECLS
