/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-sandbox-paging"

#include "config.h"

#include <string.h>

#include "wharf-sandbox-ops-private.h"

/* Pagination tokens: opaque, bound to the request they continue (operation, repository,
 * filter) by an HMAC with the sandbox's token key. */

static char *
token_mac (SbCall     *call,
           const char *scope,
           const char *position)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, call->token_key, 32);
  g_autofree char *hex = NULL;

  g_hmac_update (hmac, (const guchar *) scope, -1);
  g_hmac_update (hmac, (const guchar *) "\n", 1);
  g_hmac_update (hmac, (const guchar *) position, -1);
  hex = g_strdup (g_hmac_get_string (hmac));
  hex[32] = '\0';
  return g_steal_pointer (&hex);
}

char *
token_make (SbCall     *call,
            const char *scope,
            guint64     a,
            guint64     b)
{
  g_autofree char *position = g_strdup_printf ("%" G_GUINT64_FORMAT ".%" G_GUINT64_FORMAT, a, b);
  g_autofree char *mac = token_mac (call, scope, position);
  g_autofree char *raw = g_strdup_printf ("v1.%s.%s", position, mac);

  return g_base64_encode ((const guchar *) raw, strlen (raw));
}

static gboolean
token_parse (SbCall     *call,
             const char *scope,
             const char *token,
             guint64    *a,
             guint64    *b)
{
  gsize len = 0;
  g_autofree guchar *raw = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *position = NULL;
  g_autofree char *mac = NULL;

  raw = g_base64_decode (token, &len);
  if (raw && len > 0 && len < 200)
    {
      text = g_strndup ((const char *) raw, len);
      parts = g_strsplit (text, ".", -1);
    }
  if (!parts || g_strv_length (parts) != 4 || !g_str_equal (parts[0], "v1")
      || parts[1][0] == '\0' || strspn (parts[1], "0123456789") != strlen (parts[1])
      || parts[2][0] == '\0' || strspn (parts[2], "0123456789") != strlen (parts[2]))
    goto bad;
  position = g_strdup_printf ("%s.%s", parts[1], parts[2]);
  mac = token_mac (call, scope, position);
  if (!g_str_equal (mac, parts[3]))
    goto bad;
  *a = g_ascii_strtoull (parts[1], NULL, 10);
  *b = g_ascii_strtoull (parts[2], NULL, 10);
  return TRUE;

bad:
  sb_call_fail (call, "InvalidParameterException",
                "Invalid parameter at 'nextToken' failed to satisfy constraint: 'The "
                "nextToken is not valid for this request'");
  return FALSE;
}

gboolean
in_paging (SbCall     *call,
           JsonObject *in,
           const char *scope,
           gint64      max,
           gboolean    has_ids,
           const char *ids_member,
           gint64     *page_size,
           gboolean   *has_token,
           guint64    *a,
           guint64    *b)
{
  const char *token;
  gboolean has_max = FALSE;

  *page_size = 100;
  *has_token = FALSE;
  *a = *b = 0;
  if (!in_int (call, in, "maxResults", 1, max, page_size, &has_max)
      || !in_string (call, in, "nextToken", FALSE, &token))
    return FALSE;
  if (has_ids && (has_max || token))
    {
      sb_call_fail (call, "InvalidParameterException",
                    "Invalid parameter at '%s' failed to satisfy constraint: 'maxResults and "
                    "nextToken cannot be used together with %s'", ids_member, ids_member);
      return FALSE;
    }
  if (token)
    {
      if (!token_parse (call, scope, token, a, b))
        return FALSE;
      *has_token = TRUE;
    }
  return TRUE;
}

/* Index of the first item with seq >= @seq in @items, ascending by their guint64 seq at
 * @seq_offset. */
static guint
seq_lower_bound (GPtrArray *items,
                 gsize      seq_offset,
                 guint64    seq)
{
  guint lo = 0, hi = items->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (G_STRUCT_MEMBER (guint64, items->pdata[mid], seq_offset) < seq)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

guint
image_lower_bound (SbRepo  *repo,
                   guint64  seq)
{
  return seq_lower_bound (repo->images, G_STRUCT_OFFSET (SbImage, seq), seq);
}

guint
repo_lower_bound (SbRegistry *registry,
                  guint64     seq)
{
  return seq_lower_bound (registry->repos, G_STRUCT_OFFSET (SbRepo, seq), seq);
}
