/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ecr-validate"

#include "config.h"

#include <glib.h>
#include <string.h>

#include "wharf-ecr-validate.h"

typedef gboolean (*Validator) (const char *value, char **reason);

typedef struct
{
  const char *value;
  const char *reason_part;   /* NULL: valid */
} Case;

static void
run_cases (Validator   validate,
           const Case *cases,
           gsize       n_cases)
{
  gsize i;

  for (i = 0; i < n_cases; i++)
    {
      g_autofree char *reason = NULL;
      gboolean ok = validate (cases[i].value, &reason);

      if (!cases[i].reason_part)
        {
          if (!ok)
            g_error ("“%s” should be valid, got: %s", cases[i].value, reason);
          g_assert_null (reason);
        }
      else
        {
          if (ok)
            g_error ("“%s” should be invalid (%s)", cases[i].value, cases[i].reason_part);
          g_assert_nonnull (reason);
          if (!strstr (reason, cases[i].reason_part))
            g_error ("“%s”: reason “%s” does not mention “%s”", cases[i].value, reason,
                     cases[i].reason_part);
          /* NULL reason pointers are allowed. */
          g_assert_false (validate (cases[i].value, NULL));
        }
    }
}

static void
test_repository_name (void)
{
  g_autofree char *max = g_strnfill (256, 'a');
  g_autofree char *too_long = g_strnfill (257, 'a');
  const Case cases[] = {
    { "ab", NULL },
    { "web-app", NULL },
    { "team/web-app", NULL },
    { "team/sub.team/web_app", NULL },
    { "a__b", NULL },
    { "a---b", NULL },
    { "0numeric", NULL },
    { "a.b-c_d/e", NULL },
    { max, NULL },
    { "", "Enter" },
    { NULL, "Enter" },
    { "a", "at least 2" },
    { too_long, "at most 256" },
    { "Web-App", "lowercase" },
    { "web app", "lowercase" },
    { "web@app", "lowercase" },
    { "wéb", "lowercase" },
    { "-web", "start or end" },
    { "web-", "start or end" },
    { "/web", "start or end" },
    { "web/", "start or end" },
    { ".web", "start or end" },
    { "we..b", "Two separators" },
    { "we//b", "Two separators" },
    { "we-/b", "Two separators" },
    { "we/_b", "Two separators" },
    { "we___b", "Two separators" },
    { "we_-b", "Two separators" },
    { "we._b", "Two separators" },
  };

  run_cases (wharf_ecr_validate_repository_name, cases, G_N_ELEMENTS (cases));
}

static void
test_image_tag (void)
{
  g_autofree char *max = g_strnfill (300, 'v');
  g_autofree char *too_long = g_strnfill (301, 'v');
  const Case cases[] = {
    { "latest", NULL },
    { "v1.2.3", NULL },
    { "V1_2-rc.1", NULL },
    { "_private", NULL },
    { "sha-0123abcd", NULL },
    { max, NULL },
    { "", "Enter" },
    { NULL, "Enter" },
    { too_long, "at most 300" },
    { ".hidden", "cannot start" },
    { "-dash", "cannot start" },
    { "has space", "Use only" },
    { "a:b", "Use only" },
    { "a/b", "Use only" },
    { "ünïcode", "Use only" },
  };

  run_cases (wharf_ecr_validate_image_tag, cases, G_N_ELEMENTS (cases));
}

static void
test_kms_key (void)
{
  g_autofree char *too_long = g_strnfill (2049, 'a');
  const Case cases[] = {
    { "1234abcd-12ab-34cd-56ef-1234567890ab", NULL },
    { "mrk-1234abcd12ab34cd56ef1234567890ab", NULL },
    { "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", NULL },
    { "arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", NULL },
    { "arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab", NULL },
    { "alias/ecr-key", NULL },
    { "alias/aws/ecr", NULL },
    { "arn:aws:kms:us-east-1:111122223333:alias/ecr-key", NULL },
    { "", "Enter a KMS key" },
    { NULL, "Enter a KMS key" },
    { too_long, "at most 2048" },
    { "not-a-key", "key ID" },
    { "1234abcd-12ab-34cd-56ef-1234567890a", "key ID" },
    { "1234abcd-12ab-34cd-56ef-1234567890ag", "key ID" },
    { "alias/", "alias" },
    { "alias/has space", "alias" },
    { "arn:aws:s3:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "kms" },
    { "arn:gcp:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "partition" },
    { "arn:aws:kms:us-east-1:1111:key/1234abcd-12ab-34cd-56ef-1234567890ab", "12-digit" },
    { "arn:aws:kms::111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "region" },
    { "arn:aws:kms:us-east-1:111122223333:key/nope", "key ID" },
    { "arn:aws:kms:us-east-1:111122223333:secret/x", "key/KEY-ID" },
    { "arn:aws:kms:us-east-1", "arn:aws:kms:REGION" },
  };

  run_cases (wharf_ecr_validate_kms_key, cases, G_N_ELEMENTS (cases));
}

static void
test_resource_tag (void)
{
  g_autofree char *key_max = g_strnfill (128, 'k');
  g_autofree char *key_too_long = g_strnfill (129, 'k');
  g_autofree char *value_max = g_strnfill (256, 'v');
  g_autofree char *value_too_long = g_strnfill (257, 'v');
  const Case keys[] = {
    { "team", NULL },
    { "Cost Center", NULL },
    { "app.kubernetes.io/name", NULL },
    { "a_b.c:d/e=f+g-h@i", NULL },
    { "Équipe", NULL },
    { key_max, NULL },
    { "", "Enter a tag key" },
    { NULL, "Enter a tag key" },
    { key_too_long, "at most 128" },
    { "aws:createdBy", "reserved" },
    { "AWS:x", "reserved" },
    { "semi;colon", "Use only" },
    { "quote\"", "Use only" },
    { "tab\tkey", "Use only" },
  };
  const Case values[] = {
    { "", NULL },
    { NULL, NULL },
    { "platform team", NULL },
    { "aws:allowed-in-values", NULL },
    { value_max, NULL },
    { value_too_long, "at most 256" },
    { "a,b", "Use only" },
    { "line\nbreak", "Use only" },
  };

  run_cases (wharf_ecr_validate_resource_tag_key, keys, G_N_ELEMENTS (keys));
  run_cases (wharf_ecr_validate_resource_tag_value, values, G_N_ELEMENTS (values));
}

static void
test_tag_mutability_filter (void)
{
  g_autofree char *max = g_strnfill (128, 'f');
  g_autofree char *too_long = g_strnfill (129, 'f');
  const Case cases[] = {
    { "latest", NULL },
    { "release-*", NULL },
    { "*", NULL },
    { "v1.*.x_y", NULL },
    { max, NULL },
    { "", "Enter a tag filter" },
    { NULL, "Enter a tag filter" },
    { too_long, "at most 128" },
    { "release/*", "Use only" },
    { "a b", "Use only" },
    { "a?", "Use only" },
  };

  run_cases (wharf_ecr_validate_tag_mutability_filter, cases, G_N_ELEMENTS (cases));
}

/* Invalid UTF-8 from the network is an error, never a crash. */
static void
test_invalid_utf8 (void)
{
  const char bad[] = { 'a', (char) 0xff, 'b', 0 };

  g_assert_false (wharf_ecr_validate_repository_name (bad, NULL));
  g_assert_false (wharf_ecr_validate_image_tag (bad, NULL));
  g_assert_false (wharf_ecr_validate_kms_key (bad, NULL));
  g_assert_false (wharf_ecr_validate_resource_tag_key (bad, NULL));
  g_assert_false (wharf_ecr_validate_resource_tag_value (bad, NULL));
  g_assert_false (wharf_ecr_validate_tag_mutability_filter (bad, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ecr-validate/repository-name", test_repository_name);
  g_test_add_func ("/ecr-validate/image-tag", test_image_tag);
  g_test_add_func ("/ecr-validate/kms-key", test_kms_key);
  g_test_add_func ("/ecr-validate/resource-tag", test_resource_tag);
  g_test_add_func ("/ecr-validate/tag-mutability-filter", test_tag_mutability_filter);
  g_test_add_func ("/ecr-validate/invalid-utf8", test_invalid_utf8);

  return g_test_run ();
}
