/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-aws"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>

#include "wharf-aws-endpoint.h"
#include "wharf-aws-error.h"

/* The partitions of the AWS endpoint rule sets (partitions.json): which regions they hold,
 * their DNS suffixes, and whether they have dual-stack endpoints. */
typedef struct
{
  const char *name;
  const char *region_prefix;   /* matched against "<prefix>-<word>-<n>" */
  const char *dns_suffix;
  const char *dualstack_suffix; /* NULL: no dual-stack */
} Partition;

static const Partition partitions[] = {
  { "aws-cn", "cn", "amazonaws.com.cn", "api.amazonwebservices.com.cn" },
  { "aws-us-gov", "us-gov", "amazonaws.com", "api.aws" },
  { "aws-iso", "us-iso", "c2s.ic.gov", NULL },
  { "aws-iso-b", "us-isob", "sc2s.sgov.gov", NULL },
  { "aws-iso-e", "eu-isoe", "cloud.adc-e.uk", NULL },
  { "aws-iso-f", "us-isof", "csp.hci.ic.gov", NULL },
  { "aws-eusc", "eusc-de", "amazonaws.eu", NULL },
};

/* The default partition also serves regions it does not know yet (as the rule sets do). */
static const Partition aws_partition = { "aws", NULL, "amazonaws.com", "api.aws" };

gboolean
wharf_aws_region_is_valid (const char *region)
{
  gsize len;

  if (!region)
    return FALSE;

  len = strlen (region);
  if (len == 0 || len > 63)
    return FALSE;
  if (region[0] == '-' || region[len - 1] == '-')
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = region[i];

      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
        return FALSE;
    }

  return TRUE;
}

/* "<prefix>-<letters>-<digits>", like the partitions' regionRegex. */
static gboolean
region_in_partition (const char      *region,
                     const Partition *partition)
{
  gsize prefix_len = strlen (partition->region_prefix);
  const char *rest;
  const char *dash;

  if (strncmp (region, partition->region_prefix, prefix_len) != 0 || region[prefix_len] != '-')
    return FALSE;

  rest = region + prefix_len + 1;
  dash = strchr (rest, '-');
  if (!dash || dash == rest)
    return FALSE;
  for (const char *p = rest; p < dash; p++)
    if (!g_ascii_isalnum (*p))
      return FALSE;
  if (dash[1] == '\0')
    return FALSE;
  for (const char *p = dash + 1; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;

  return TRUE;
}

static const Partition *
partition_for_region (const char *region)
{
  for (gsize i = 0; i < G_N_ELEMENTS (partitions); i++)
    if (region_in_partition (region, &partitions[i]))
      return &partitions[i];

  return &aws_partition;
}

const char *
wharf_aws_endpoint_dns_suffix (const char *region)
{
  g_return_val_if_fail (region != NULL, NULL);

  return partition_for_region (region)->dns_suffix;
}

gboolean
wharf_aws_config_bool (const char *value)
{
  if (!value)
    return FALSE;

  while (g_ascii_isspace (*value))
    value++;

  return g_ascii_strncasecmp (value, "true", 4) == 0
         && (value[4] == '\0' || g_ascii_isspace (value[4]));
}

gboolean
wharf_aws_host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;
  gsize len;

  if (!host || *host == '\0')
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0
      || g_ascii_strcasecmp (host, "localhost.") == 0)
    return TRUE;

  /* "[::1]" as it appears in a URL. */
  len = strlen (host);
  if (host[0] == '[' && len > 2 && host[len - 1] == ']')
    bare = g_strndup (host + 1, len - 2);
  else
    bare = g_strdup (host);

  address = g_inet_address_new_from_string (bare);
  if (!address)
    return FALSE;

  /* 127.0.0.0/8 and ::1. An IPv4-mapped ::ffff:127.x is not accepted: it is never needed. */
  return g_inet_address_get_is_loopback (address);
}

gboolean
wharf_aws_endpoint_check_url (const char *url,
                              GError    **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *scheme;
  const char *host;

  if (!url || *url == '\0')
    {
      g_set_error_literal (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_ENDPOINT,
                           _("The endpoint URL is empty."));
      return FALSE;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, &local_error);
  if (!uri)
    {
      g_set_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_ENDPOINT,
                   _("The endpoint URL “%s” is not a valid URL: %s"), url, local_error->message);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_ENDPOINT,
                   _("The endpoint URL “%s” must start with https://."), url);
      return FALSE;
    }

  if (!host || *host == '\0')
    {
      g_set_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_ENDPOINT,
                   _("The endpoint URL “%s” has no host name."), url);
      return FALSE;
    }

  if (g_uri_get_userinfo (uri) != NULL)
    {
      /* Not quoted back: the part before '@' may be a password. */
      g_set_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_ENDPOINT,
                   _("The endpoint URL for %s must not contain a user name or password."),
                   host != NULL ? host : "?");
      return FALSE;
    }

  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_ENDPOINT,
                   _("The endpoint URL “%s” must not contain a query or a fragment."), url);
      return FALSE;
    }

  if (g_ascii_strcasecmp (scheme, "http") == 0 && !wharf_aws_host_is_loopback (host))
    {
      g_set_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INSECURE_ENDPOINT,
                   _("The endpoint “%s” uses plain http://, which would send requests "
                     "unencrypted. Use https://; plain http:// is only allowed to this "
                     "computer (127.0.0.1, ::1 or localhost)."),
                   url);
      return FALSE;
    }

  return TRUE;
}

void
wharf_aws_endpoint_inputs_from_environment (WharfAwsEndpointInputs *inputs,
                                            const char             *service_env_suffix)
{
  g_autofree char *name = NULL;

  g_return_if_fail (inputs != NULL);

  if (service_env_suffix != NULL)
    {
      name = g_strconcat ("AWS_ENDPOINT_URL_", service_env_suffix, NULL);
      inputs->env_service_endpoint = g_getenv (name);
    }
  inputs->env_endpoint = g_getenv ("AWS_ENDPOINT_URL");
  inputs->env_ignore_endpoints = g_getenv ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
  inputs->env_use_fips = g_getenv ("AWS_USE_FIPS_ENDPOINT");
  inputs->env_use_dualstack = g_getenv ("AWS_USE_DUALSTACK_ENDPOINT");
}

char *
wharf_aws_endpoint_service_id (const char *name)
{
  char *id;

  g_return_val_if_fail (name != NULL, NULL);

  id = g_ascii_strup (name, -1);
  for (char *p = id; *p; p++)
    if (*p == '-' || *p == ' ')
      *p = '_';
  return id;
}

void
wharf_aws_endpoint_inputs_from_config (WharfAwsEndpointInputs *inputs,
                                       const char             *service_id,
                                       WharfAwsConfig         *config,
                                       const char             *profile)
{
  g_autofree char *services_key = NULL;

  g_return_if_fail (inputs != NULL);
  g_return_if_fail (service_id != NULL);
  g_return_if_fail (config == NULL || WHARF_IS_AWS_CONFIG (config));

  wharf_aws_endpoint_inputs_from_environment (inputs, service_id);
  if (config == NULL)
    return;

  services_key = g_ascii_strdown (service_id, -1);
  inputs->profile_service_endpoint = wharf_aws_config_get_service_setting (config, profile,
                                                                           services_key,
                                                                           "endpoint_url");
  inputs->profile_endpoint = wharf_aws_config_get (config, profile, "endpoint_url");
  inputs->profile_ignore_endpoints = wharf_aws_config_get (config, profile,
                                                           "ignore_configured_endpoint_urls");
  inputs->profile_use_fips = wharf_aws_config_get (config, profile, "use_fips_endpoint");
  inputs->profile_use_dualstack = wharf_aws_config_get (config, profile,
                                                        "use_dualstack_endpoint");
}

static gboolean
nonempty (const char *s)
{
  if (!s)
    return FALSE;
  while (g_ascii_isspace (*s))
    s++;
  return *s != '\0';
}

/* The environment's setting wins over the profile's when it is set at all. */
static gboolean
setting_bool (const char *env_value,
              const char *profile_value)
{
  if (nonempty (env_value))
    return wharf_aws_config_bool (env_value);
  return wharf_aws_config_bool (profile_value);
}

char *
wharf_aws_endpoint_normalize_url (const char *url)
{
  g_autofree char *copy = NULL;
  const char *authority;
  const char *path;

  g_return_val_if_fail (url, NULL);

  copy = g_strstrip (g_strdup (url));

  /* "https://host/" and "https://host//" mean the root: drop the slashes so that the URL
   * reads as the host alone. A longer path keeps its form, as botocore keeps it. */
  authority = strstr (copy, "://");
  if (!authority)
    return g_steal_pointer (&copy);
  path = strchr (authority + 3, '/');
  if (path && strspn (path, "/") == strlen (path))
    copy[path - copy] = '\0';

  return g_steal_pointer (&copy);
}

char *
wharf_aws_endpoint_resolve (const WharfAwsEndpointInputs *inputs,
                            GError                      **error)
{
  const Partition *partition;
  const char *override = NULL;
  const char *prefix;
  const char *suffix;
  gboolean fips;
  gboolean dualstack;
  g_autofree char *url = NULL;

  g_return_val_if_fail (inputs != NULL, NULL);
  g_return_val_if_fail (inputs->endpoint_prefix != NULL, NULL);

  fips = setting_bool (inputs->env_use_fips, inputs->profile_use_fips);
  dualstack = setting_bool (inputs->env_use_dualstack, inputs->profile_use_dualstack);

  if (!setting_bool (inputs->env_ignore_endpoints, inputs->profile_ignore_endpoints))
    {
      if (nonempty (inputs->env_service_endpoint))
        override = inputs->env_service_endpoint;
      else if (nonempty (inputs->env_endpoint))
        override = inputs->env_endpoint;
      else if (nonempty (inputs->profile_service_endpoint))
        override = inputs->profile_service_endpoint;
      else if (nonempty (inputs->profile_endpoint))
        override = inputs->profile_endpoint;
    }

  if (override != NULL)
    {
      /* As the service's endpoint rule set says: a custom endpoint is used as it is, so
       * asking for FIPS or dual-stack on top of it cannot be honoured. */
      if (fips)
        {
          g_set_error_literal (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_ENDPOINT,
                               _("FIPS endpoints cannot be combined with a custom endpoint URL; "
                                 "unset use_fips_endpoint or the endpoint URL."));
          return NULL;
        }
      if (dualstack)
        {
          g_set_error_literal (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_ENDPOINT,
                               _("Dual-stack endpoints cannot be combined with a custom "
                                 "endpoint URL; unset use_dualstack_endpoint or the endpoint "
                                 "URL."));
          return NULL;
        }

      url = wharf_aws_endpoint_normalize_url (override);
      if (!wharf_aws_endpoint_check_url (url, error))
        return NULL;
      return g_steal_pointer (&url);
    }

  if (!inputs->region || *inputs->region == '\0')
    {
      g_set_error_literal (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_REGION,
                           _("No AWS region is set. Choose a region, or set AWS_REGION or a "
                             "region in the profile."));
      return NULL;
    }

  if (!wharf_aws_region_is_valid (inputs->region))
    {
      g_set_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_REGION,
                   _("“%s” is not a valid AWS region name (like “eu-west-1”)."),
                   inputs->region);
      return NULL;
    }

  partition = partition_for_region (inputs->region);

  if (dualstack && !partition->dualstack_suffix)
    {
      g_set_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_ENDPOINT,
                   _("Dual-stack endpoints are not available in the region “%s”."),
                   inputs->region);
      return NULL;
    }

  /* Host names as in the endpoint rule set: api.ecr / api.ecr-fips on the DNS suffix,
   * ecr / ecr-fips on the dual-stack suffix. */
  if (dualstack)
    {
      prefix = inputs->dualstack_prefix ? inputs->dualstack_prefix : inputs->endpoint_prefix;
      suffix = partition->dualstack_suffix;
    }
  else
    {
      prefix = inputs->endpoint_prefix;
      suffix = partition->dns_suffix;
    }

  url = g_strdup_printf ("https://%s%s.%s.%s", prefix, fips ? "-fips" : "", inputs->region,
                         suffix);

  return g_steal_pointer (&url);
}
