/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzzes the parser of credential_process output (the Version 1 JSON a helper program
 * prints): whatever a broken or hostile helper prints is an error with a message, or
 * credentials whose parts are all there.
 */
#define G_LOG_DOMAIN "fuzz-credentials"

#include "config.h"

#include "fuzz-common.h"
#include "wharf-credentials.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  WharfCredentials *creds;

  creds = wharf_credential_process_parse ((const char *) data, size, &error);
  if (creds)
    {
      const char *key_id = wharf_credentials_get_access_key_id (creds);
      const char *secret = wharf_credentials_get_secret_access_key (creds);

      g_assert (error == NULL);
      g_assert (key_id != NULL && *key_id != '\0');
      g_assert (secret != NULL && *secret != '\0');
      /* They go into SigV4's canonical strings and HTTP headers. */
      g_assert (g_utf8_validate (key_id, -1, NULL));
      (void) wharf_credentials_get_session_token (creds);
      (void) wharf_credentials_get_expiration (creds);
      wharf_credentials_unref (creds);
    }
  else
    {
      g_assert (error != NULL && error->message != NULL);
      g_assert (g_utf8_validate (error->message, -1, NULL));
    }
  return 0;
}
