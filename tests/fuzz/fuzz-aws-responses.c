/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzzes the parsers of what AWS's other services answer and what the AWS CLI leaves on
 * disk: STS AssumeRole and GetCallerIdentity responses (XML), STS error responses, and the
 * IAM Identity Center token cache (JSON). The first byte picks the parser (and for STS errors
 * the HTTP status); the rest is the response. A parse is a complete value or an error with a
 * message, and an SSO token that parsed is written and read back the same.
 */
#define G_LOG_DOMAIN "fuzz-aws-responses"

#include "config.h"

#include "fuzz-common.h"
#include "wharf-aws-error.h"
#include "wharf-credentials.h"
#include "wharf-sso.h"
#include "wharf-sts.h"

static void
check_error (GError *error)
{
  g_assert (error != NULL && error->message != NULL);
  g_assert (g_utf8_validate (error->message, -1, NULL));
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  const char *text;
  gsize len;

  if (size < 1)
    return 0;
  text = (const char *) data + 1;
  len = size - 1;

  switch (data[0] % 4)
    {
    case 0:
      {
        WharfCredentials *creds = wharf_sts_parse_assume_role_response (text, len, &error);

        if (creds)
          {
            g_assert (wharf_credentials_get_access_key_id (creds) != NULL);
            g_assert (wharf_credentials_get_secret_access_key (creds) != NULL);
            wharf_credentials_unref (creds);
          }
        else
          check_error (error);
      }
      break;

    case 1:
      {
        g_autoptr(WharfCallerIdentity) who =
          wharf_sts_parse_caller_identity_response (text, len, &error);

        if (!who)
          check_error (error);
      }
      break;

    case 2:
      {
        /* 400…599 from the low bits of the selector byte. */
        guint status = 400 + (data[0] >> 2) % 200;
        g_autoptr(GError) sts_error = wharf_sts_error_from_response (status, text, len);

        check_error (sts_error);
        g_assert (sts_error->domain == WHARF_AWS_ERROR);
      }
      break;

    default:
      {
        g_autoptr(WharfSsoToken) token = wharf_sso_token_from_json (text, len, &error);

        if (token)
          {
            g_autofree char *saved = wharf_sso_token_to_json (token);
            g_autoptr(WharfSsoToken) again = NULL;

            g_assert (token->access_token != NULL && token->expires_at != NULL);
            again = wharf_sso_token_from_json (saved, -1, &error);
            if (!again)
              fuzz_fail ("a saved SSO token does not load: %s\n%s", error->message, saved);
            g_assert_cmpstr (again->access_token, ==, token->access_token);
            g_assert_cmpstr (again->refresh_token, ==, token->refresh_token);
            g_assert (g_date_time_equal (again->expires_at, token->expires_at));
          }
        else
          check_error (error);
      }
      break;
    }
  return 0;
}
