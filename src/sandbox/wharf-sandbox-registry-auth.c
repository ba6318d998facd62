/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The registry's credentials: the passwords GetAuthorizationToken issues (HTTP Basic
 * with the user "AWS", as ECR does) and the signed URLs GetDownloadUrlForLayer hands out.
 *
 * A password names the (account, region) it was issued for and its expiry, with an
 * HMAC-SHA256 under a key derived from the sandbox's secret, so it cannot be forged and
 * it selects the registry a request reaches: every region is served on the sandbox's one
 * address.
 */
#define G_LOG_DOMAIN "wharf-sandbox-registry"

#include "config.h"

#include <string.h>

#include "wharf-sandbox-registry-private.h"

#define PASSWORD_CONTEXT   "wharf-sandbox registry password v1"
#define DOWNLOAD_CONTEXT   "wharf-sandbox layer download v1"

static void
derive_key (const guint8 *token_key,
            const char   *context,
            guint8        key[32])
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, token_key, 32);
  gsize len = 32;

  g_hmac_update (hmac, (const guchar *) context, -1);
  g_hmac_get_digest (hmac, key, &len);
}

static char *
sign_text (const guint8 *token_key,
           const char   *context,
           const char   *text)
{
  guint8 key[32];
  char *mac;

  derive_key (token_key, context, key);
  mac = g_compute_hmac_for_string (G_CHECKSUM_SHA256, key, sizeof key, text, -1);
  memset (key, 0, sizeof key);
  return mac;
}

static gboolean
equal_in_constant_time (const char *a,
                        const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  guint8 diff = la != lb;

  for (gsize i = 0; i < MIN (la, lb); i++)
    diff |= a[i] ^ b[i];
  return diff == 0;
}

char *
sb_dist_issue_password (const guint8 *token_key,
                        const char   *account,
                        const char   *region,
                        gint64        expires_at)
{
  g_autofree char *claims = g_strdup_printf ("%s:%s:%" G_GINT64_FORMAT, account, region,
                                             expires_at / G_USEC_PER_SEC);
  g_autofree char *mac = sign_text (token_key, PASSWORD_CONTEXT, claims);
  g_autofree char *text = g_strconcat ("wharf1:", claims, ":", mac, NULL);

  return g_base64_encode ((const guchar *) text, strlen (text));
}

AuthResult
sb_dist_check_password (WharfSandbox       *self,
                        SoupServerMessage  *msg,
                        char              **account,
                        char              **region)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  g_autofree guchar *decoded = NULL;
  g_autofree char *user_pass = NULL;
  g_autofree char *password_text = NULL;
  g_autofree char *mac = NULL;
  g_autofree char *claims = NULL;
  g_auto(GStrv) parts = NULL;
  gsize len;
  gint64 expires;
  char *end;

  if (!header || g_ascii_strncasecmp (header, "Basic ", 6) != 0)
    return AUTH_MISSING;
  decoded = g_base64_decode (header + 6, &len);
  user_pass = g_strndup ((const char *) decoded, len);
  if (!g_str_has_prefix (user_pass, "AWS:"))
    return AUTH_INVALID;
  g_free (decoded);
  decoded = g_base64_decode (user_pass + 4, &len);
  password_text = g_strndup ((const char *) decoded, len);
  parts = g_strsplit (password_text, ":", -1);
  if (g_strv_length (parts) != 5 || !g_str_equal (parts[0], "wharf1"))
    return AUTH_INVALID;
  claims = g_strdup_printf ("%s:%s:%s", parts[1], parts[2], parts[3]);
  mac = sign_text (sb_sandbox_get_token_key (self), PASSWORD_CONTEXT, claims);
  if (!equal_in_constant_time (mac, parts[4]))
    return AUTH_INVALID;
  expires = g_ascii_strtoll (parts[3], &end, 10);
  if (*end || expires * G_USEC_PER_SEC <= wharf_sandbox_get_now (self))
    return AUTH_EXPIRED;
  *account = g_strdup (parts[1]);
  *region = g_strdup (parts[2]);
  return AUTH_OK;
}

char *
sb_dist_download_url (WharfSandbox *self,
                      const char   *digest,
                      gint64        expires_at)
{
  g_autofree char *claims = NULL;
  g_autofree char *mac = NULL;

  if (!wharf_sandbox_get_url (self))
    return NULL;
  claims = g_strdup_printf ("%s:%" G_GINT64_FORMAT, digest, expires_at / G_USEC_PER_SEC);
  mac = sign_text (sb_sandbox_get_token_key (self), DOWNLOAD_CONTEXT, claims);
  return g_strdup_printf ("%s" DOWNLOAD_PREFIX "%s?X-Amz-Expires=%" G_GINT64_FORMAT
                          "&X-Amz-Signature=%s",
                          wharf_sandbox_get_url (self), digest, expires_at / G_USEC_PER_SEC, mac);
}

gboolean
sb_dist_check_download_url (WharfSandbox *self,
                            const char   *digest,
                            const char   *expires,
                            const char   *signature)
{
  g_autofree char *claims = g_strdup_printf ("%s:%s", digest, expires);
  g_autofree char *mac = sign_text (sb_sandbox_get_token_key (self), DOWNLOAD_CONTEXT, claims);

  return equal_in_constant_time (mac, signature)
         && g_ascii_strtoll (expires, NULL, 10) * G_USEC_PER_SEC > wharf_sandbox_get_now (self);
}
