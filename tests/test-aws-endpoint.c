/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-aws-endpoint"

#include "config.h"

#include <glib.h>
#include <string.h>

#include "wharf-aws-endpoint.h"
#include "wharf-aws-error.h"

typedef struct
{
  const char *region;
  const char *fips;
  const char *dualstack;
  const char *expected;
} RegionCase;

/* Host names from ECR's endpoint rule set (endpoint-rule-set-1.json). */
static const RegionCase region_cases[] = {
  { "us-east-1", NULL, NULL, "https://api.ecr.us-east-1.amazonaws.com" },
  { "eu-west-1", "false", "false", "https://api.ecr.eu-west-1.amazonaws.com" },
  { "ap-southeast-2", NULL, NULL, "https://api.ecr.ap-southeast-2.amazonaws.com" },
  { "il-central-1", NULL, NULL, "https://api.ecr.il-central-1.amazonaws.com" },
  { "cn-north-1", NULL, NULL, "https://api.ecr.cn-north-1.amazonaws.com.cn" },
  { "cn-northwest-1", NULL, NULL, "https://api.ecr.cn-northwest-1.amazonaws.com.cn" },
  { "us-gov-west-1", NULL, NULL, "https://api.ecr.us-gov-west-1.amazonaws.com" },
  { "us-gov-east-1", "true", NULL, "https://api.ecr-fips.us-gov-east-1.amazonaws.com" },
  { "us-east-1", "true", NULL, "https://api.ecr-fips.us-east-1.amazonaws.com" },
  { "us-east-1", "TRUE", NULL, "https://api.ecr-fips.us-east-1.amazonaws.com" },
  { "us-east-1", NULL, "true", "https://ecr.us-east-1.api.aws" },
  { "us-east-1", "true", "true", "https://ecr-fips.us-east-1.api.aws" },
  { "cn-north-1", NULL, "true", "https://ecr.cn-north-1.api.amazonwebservices.com.cn" },
  { "cn-north-1", "true", NULL, "https://api.ecr-fips.cn-north-1.amazonaws.com.cn" },
  { "us-iso-east-1", NULL, NULL, "https://api.ecr.us-iso-east-1.c2s.ic.gov" },
  { "us-isob-east-1", NULL, NULL, "https://api.ecr.us-isob-east-1.sc2s.sgov.gov" },
  /* A region the table does not know yet belongs to the default partition. */
  { "xx-newplace-7", NULL, NULL, "https://api.ecr.xx-newplace-7.amazonaws.com" },
};

static void
init_inputs (WharfAwsEndpointInputs *inputs,
             const char             *region)
{
  *inputs = (WharfAwsEndpointInputs) { 0 };
  inputs->region = region;
  inputs->endpoint_prefix = "api.ecr";
  inputs->dualstack_prefix = "ecr";
}

static void
test_regions (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (region_cases); i++)
    {
      const RegionCase *c = &region_cases[i];
      WharfAwsEndpointInputs inputs;
      g_autoptr(GError) error = NULL;
      g_autofree char *url = NULL;

      init_inputs (&inputs, c->region);
      inputs.env_use_fips = c->fips;
      inputs.env_use_dualstack = c->dualstack;

      url = wharf_aws_endpoint_resolve (&inputs, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (url, ==, c->expected);

      /* The profile's settings give the same result as the environment's. */
      g_clear_pointer (&url, g_free);
      init_inputs (&inputs, c->region);
      inputs.profile_use_fips = c->fips;
      inputs.profile_use_dualstack = c->dualstack;
      url = wharf_aws_endpoint_resolve (&inputs, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (url, ==, c->expected);
    }
}

static void
test_fips_env_beats_profile (void)
{
  WharfAwsEndpointInputs inputs;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  /* AWS_USE_FIPS_ENDPOINT=false wins over use_fips_endpoint = true. */
  init_inputs (&inputs, "us-west-2");
  inputs.env_use_fips = "false";
  inputs.profile_use_fips = "true";
  url = wharf_aws_endpoint_resolve (&inputs, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, "https://api.ecr.us-west-2.amazonaws.com");

  g_clear_pointer (&url, g_free);
  init_inputs (&inputs, "us-west-2");
  inputs.env_use_fips = "";
  inputs.profile_use_fips = "true";
  url = wharf_aws_endpoint_resolve (&inputs, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, "https://api.ecr-fips.us-west-2.amazonaws.com");
}

typedef struct
{
  const char *env_service;
  const char *env_global;
  const char *profile_service;
  const char *profile_global;
  const char *expected;
} OverrideCase;

static const OverrideCase override_cases[] = {
  { "https://svc.example", "https://global.example", "https://psvc.example", "https://pglobal.example", "https://svc.example" },
  { NULL, "https://global.example", "https://psvc.example", "https://pglobal.example", "https://global.example" },
  { "", "https://global.example", "https://psvc.example", "https://pglobal.example", "https://global.example" },
  { NULL, NULL, "https://psvc.example", "https://pglobal.example", "https://psvc.example" },
  { NULL, NULL, NULL, "https://pglobal.example", "https://pglobal.example" },
  { NULL, NULL, NULL, NULL, "https://api.ecr.eu-central-1.amazonaws.com" },
  /* Spaces and a root path's slashes go; a longer path stays as written. */
  { "http://127.0.0.1:4566/ ", NULL, NULL, NULL, "http://127.0.0.1:4566" },
  { NULL, "https://ecr.example//", NULL, NULL, "https://ecr.example" },
  { NULL, "https://proxy.example/ecr/", NULL, NULL, "https://proxy.example/ecr/" },
  { NULL, NULL, NULL, "https://proxy.example/ecr", "https://proxy.example/ecr" },
};

static void
test_override_order (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (override_cases); i++)
    {
      const OverrideCase *c = &override_cases[i];
      WharfAwsEndpointInputs inputs;
      g_autoptr(GError) error = NULL;
      g_autofree char *url = NULL;

      init_inputs (&inputs, "eu-central-1");
      inputs.env_service_endpoint = c->env_service;
      inputs.env_endpoint = c->env_global;
      inputs.profile_service_endpoint = c->profile_service;
      inputs.profile_endpoint = c->profile_global;

      url = wharf_aws_endpoint_resolve (&inputs, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (url, ==, c->expected);
    }
}

static void
test_ignore_configured (void)
{
  WharfAwsEndpointInputs inputs;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  init_inputs (&inputs, "eu-central-1");
  inputs.env_service_endpoint = "https://svc.example";
  inputs.profile_endpoint = "https://pglobal.example";
  inputs.env_ignore_endpoints = "true";
  url = wharf_aws_endpoint_resolve (&inputs, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, "https://api.ecr.eu-central-1.amazonaws.com");
}

static void
test_custom_endpoint_without_region (void)
{
  WharfAwsEndpointInputs inputs;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  /* The endpoint does not need the region (signing does; the client checks that). */
  init_inputs (&inputs, NULL);
  inputs.env_endpoint = "http://localhost:9000";
  url = wharf_aws_endpoint_resolve (&inputs, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, "http://localhost:9000");
}

static void
test_custom_endpoint_with_fips (void)
{
  WharfAwsEndpointInputs inputs;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  init_inputs (&inputs, "us-east-1");
  inputs.env_endpoint = "https://ecr.example";
  inputs.profile_use_fips = "true";
  url = wharf_aws_endpoint_resolve (&inputs, &error);
  g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_ENDPOINT);
  g_assert_null (url);
  g_assert_true (strstr (error->message, "FIPS") != NULL);

  g_clear_error (&error);
  init_inputs (&inputs, "us-east-1");
  inputs.profile_service_endpoint = "https://ecr.example";
  inputs.env_use_dualstack = "true";
  url = wharf_aws_endpoint_resolve (&inputs, &error);
  g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_ENDPOINT);
  g_assert_null (url);
}

static void
test_dualstack_unsupported (void)
{
  WharfAwsEndpointInputs inputs;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  init_inputs (&inputs, "us-iso-east-1");
  inputs.env_use_dualstack = "true";
  url = wharf_aws_endpoint_resolve (&inputs, &error);
  g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_ENDPOINT);
  g_assert_null (url);
}

static void
test_invalid_region (void)
{
  static const char * const invalid[] = {
    "", "US-EAST-1", "us east 1", "-us-east-1", "us-east-1-", "us-east-1.evil.com",
    "us-east-1/x", "eu_west_1", "ünïcode-1",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      WharfAwsEndpointInputs inputs;
      g_autoptr(GError) error = NULL;
      g_autofree char *url = NULL;

      g_assert_false (wharf_aws_region_is_valid (invalid[i]));
      init_inputs (&inputs, invalid[i]);
      url = wharf_aws_endpoint_resolve (&inputs, &error);
      g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_REGION);
      g_assert_null (url);
    }

  g_assert_false (wharf_aws_region_is_valid (NULL));
  g_assert_true (wharf_aws_region_is_valid ("us-east-1"));
  g_assert_true (wharf_aws_region_is_valid ("eusc-de-east-1"));
}

static void
test_missing_region (void)
{
  WharfAwsEndpointInputs inputs;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  init_inputs (&inputs, NULL);
  url = wharf_aws_endpoint_resolve (&inputs, &error);
  g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_REGION);
  g_assert_null (url);
}

typedef struct
{
  const char *url;
  int         code;  /* -1: accepted */
} UrlCase;

static const UrlCase url_cases[] = {
  { "https://api.ecr.us-east-1.amazonaws.com", -1 },
  { "HTTPS://ecr.example:8443", -1 },
  { "http://127.0.0.1:4566", -1 },
  { "http://127.1.2.3", -1 },
  { "http://[::1]:8080", -1 },
  { "http://localhost:8080", -1 },
  { "http://LOCALHOST", -1 },
  { "http://ecr.example", WHARF_AWS_ERROR_INSECURE_ENDPOINT },
  { "http://10.0.0.1:4566", WHARF_AWS_ERROR_INSECURE_ENDPOINT },
  { "http://128.0.0.1", WHARF_AWS_ERROR_INSECURE_ENDPOINT },
  { "http://localhost.evil.example", WHARF_AWS_ERROR_INSECURE_ENDPOINT },
  { "http://127.0.0.1.nip.io", WHARF_AWS_ERROR_INSECURE_ENDPOINT },
  { "http://[::2]", WHARF_AWS_ERROR_INSECURE_ENDPOINT },
  { "http://[::ffff:127.0.0.1]", WHARF_AWS_ERROR_INSECURE_ENDPOINT },
  { "ftp://127.0.0.1", WHARF_AWS_ERROR_INVALID_ENDPOINT },
  { "api.ecr.us-east-1.amazonaws.com", WHARF_AWS_ERROR_INVALID_ENDPOINT },
  { "https://", WHARF_AWS_ERROR_INVALID_ENDPOINT },
  { "https://user:pw@ecr.example", WHARF_AWS_ERROR_INVALID_ENDPOINT },
  { "https://ecr.example/?x=1", WHARF_AWS_ERROR_INVALID_ENDPOINT },
  { "", WHARF_AWS_ERROR_INVALID_ENDPOINT },
};

static void
test_check_url (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (url_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok;

      ok = wharf_aws_endpoint_check_url (url_cases[i].url, &error);
      if (url_cases[i].code < 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_test_message ("%s", url_cases[i].url);
          g_assert_error (error, WHARF_AWS_ERROR, url_cases[i].code);
          g_assert_false (ok);
        }
    }
}

static void
test_userinfo_not_echoed (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (wharf_aws_endpoint_check_url ("https://admin:hunter2@ecr.example", &error));
  g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_ENDPOINT);
  g_assert_null (strstr (error->message, "hunter2"));
  g_assert_nonnull (strstr (error->message, "ecr.example"));
}

static void
test_http_refused_through_resolution (void)
{
  WharfAwsEndpointInputs inputs;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  init_inputs (&inputs, "us-east-1");
  inputs.profile_endpoint = "http://ecr.corp.example:8080";
  url = wharf_aws_endpoint_resolve (&inputs, &error);
  g_assert_error (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INSECURE_ENDPOINT);
  g_assert_null (url);
  /* The message says what is wrong and what is allowed. */
  g_assert_true (strstr (error->message, "http://ecr.corp.example:8080") != NULL);
  g_assert_true (strstr (error->message, "https://") != NULL);
}

static void
test_environment (void)
{
  WharfAwsEndpointInputs inputs = { 0 };

  g_setenv ("AWS_ENDPOINT_URL_ECR", "https://a.example", TRUE);
  g_setenv ("AWS_ENDPOINT_URL", "https://b.example", TRUE);
  g_setenv ("AWS_USE_FIPS_ENDPOINT", "true", TRUE);
  g_unsetenv ("AWS_USE_DUALSTACK_ENDPOINT");
  g_unsetenv ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");

  wharf_aws_endpoint_inputs_from_environment (&inputs, "ECR");
  g_assert_cmpstr (inputs.env_service_endpoint, ==, "https://a.example");
  g_assert_cmpstr (inputs.env_endpoint, ==, "https://b.example");
  g_assert_cmpstr (inputs.env_use_fips, ==, "true");
  g_assert_null (inputs.env_use_dualstack);
  g_assert_null (inputs.env_ignore_endpoints);

  g_unsetenv ("AWS_ENDPOINT_URL_ECR");
  g_unsetenv ("AWS_ENDPOINT_URL");
  g_unsetenv ("AWS_USE_FIPS_ENDPOINT");
}

static void
test_dns_suffix (void)
{
  g_assert_cmpstr (wharf_aws_endpoint_dns_suffix ("cn-north-1"), ==, "amazonaws.com.cn");
  g_assert_cmpstr (wharf_aws_endpoint_dns_suffix ("us-gov-west-1"), ==, "amazonaws.com");
  g_assert_cmpstr (wharf_aws_endpoint_dns_suffix ("eu-west-3"), ==, "amazonaws.com");
  /* "cn" must be the whole first label. */
  g_assert_cmpstr (wharf_aws_endpoint_dns_suffix ("cnx-north-1"), ==, "amazonaws.com");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/aws-endpoint/regions", test_regions);
  g_test_add_func ("/aws-endpoint/fips/env-beats-profile", test_fips_env_beats_profile);
  g_test_add_func ("/aws-endpoint/override/order", test_override_order);
  g_test_add_func ("/aws-endpoint/override/ignore-configured", test_ignore_configured);
  g_test_add_func ("/aws-endpoint/override/without-region", test_custom_endpoint_without_region);
  g_test_add_func ("/aws-endpoint/override/with-fips", test_custom_endpoint_with_fips);
  g_test_add_func ("/aws-endpoint/dualstack/unsupported", test_dualstack_unsupported);
  g_test_add_func ("/aws-endpoint/region/invalid", test_invalid_region);
  g_test_add_func ("/aws-endpoint/region/missing", test_missing_region);
  g_test_add_func ("/aws-endpoint/url/check", test_check_url);
  g_test_add_func ("/aws-endpoint/url/userinfo-not-echoed", test_userinfo_not_echoed);
  g_test_add_func ("/aws-endpoint/url/http-refused", test_http_refused_through_resolution);
  g_test_add_func ("/aws-endpoint/environment", test_environment);
  g_test_add_func ("/aws-endpoint/dns-suffix", test_dns_suffix);

  return g_test_run ();
}
