/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Basic scan findings: generated deterministically from the image digest, so that the same
 * image always shows the same findings, and different images show different mixes of
 * severities, packages and CVE names.
 */
#define G_LOG_DOMAIN "wharf-sandbox-scan"

#include "config.h"

#include <string.h>

#include "wharf-sandbox-private.h"

static const struct
{
  const char *name;
  const char *version;
} packages[] = {
  { "openssl", "3.0.11-1~deb12u1" },
  { "glibc", "2.36-9+deb12u3" },
  { "zlib", "1:1.2.13.dfsg-1" },
  { "curl", "7.88.1-10+deb12u4" },
  { "libxml2", "2.9.14+dfsg-1.3" },
  { "busybox", "1.36.1-r2" },
  { "expat", "2.5.0-1" },
  { "ncurses", "6.4-4" },
  { "sqlite3", "3.40.1-2" },
  { "krb5", "1.20.1-2+deb12u1" },
  { "perl", "5.36.0-7+deb12u1" },
  { "python3.11", "3.11.2-6" },
  { "openssh", "1:9.2p1-2+deb12u1" },
  { "tar", "1.34+dfsg-1.2" },
  { "gnutls28", "3.7.9-2" },
  { "systemd", "252.19-1~deb12u1" },
  { "libpng1.6", "1.6.39-2" },
  { "pcre2", "10.42-1" },
  { "nghttp2", "1.52.0-1" },
  { "shadow", "1:4.13+dfsg1-1" },
};

static const char *const flaws[] = {
  "A buffer overflow in PKG before the fixed release allows remote attackers to cause a "
  "denial of service or possibly execute arbitrary code via crafted input.",
  "An integer overflow in PKG can lead to an out-of-bounds write when processing an "
  "untrusted file.",
  "A use-after-free in PKG allows an attacker to crash the process by sending a specially "
  "crafted message.",
  "Improper input validation in PKG allows a local user to read memory they should not "
  "have access to.",
  "A NULL pointer dereference in PKG can be triggered by a malformed request, causing a "
  "denial of service.",
  "A flaw in certificate verification in PKG may allow a man-in-the-middle attacker to "
  "spoof a trusted peer.",
};

static const char *const severities[] = {
  "CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNDEFINED",
};

static void
finding_free (SbFinding *f)
{
  g_free (f->name);
  g_free (f->description);
  g_free (f->uri);
  g_free (f->package_name);
  g_free (f->package_version);
  g_free (f->cvss2_vector);
  g_free (f);
}

static int
severity_rank (const char *severity)
{
  for (guint i = 0; i < G_N_ELEMENTS (severities); i++)
    if (g_str_equal (severities[i], severity))
      return i;
  return G_N_ELEMENTS (severities);
}

static int
compare_findings (gconstpointer a,
                  gconstpointer b)
{
  const SbFinding *fa = *(SbFinding **) a, *fb = *(SbFinding **) b;
  int d = severity_rank (fa->severity) - severity_rank (fb->severity);

  return d != 0 ? d : strcmp (fa->name, fb->name);
}

GPtrArray *
sb_scan_findings (const char *digest)
{
  GPtrArray *findings = g_ptr_array_new_with_free_func ((GDestroyNotify) finding_free);
  const char *hex = g_str_has_prefix (digest, "sha256:") ? digest + 7 : digest;
  guint32 seed = 0;
  g_autoptr(GRand) rand = NULL;
  guint n;

  for (guint i = 0; i < 8 && g_ascii_isxdigit (hex[i]); i++)
    seed = seed * 16 + g_ascii_xdigit_value (hex[i]);
  rand = g_rand_new_with_seed (seed);

  /* about one image in eight is clean */
  n = g_rand_int_range (rand, 0, 8) == 0 ? 0 : (guint) g_rand_int_range (rand, 1, 28);
  for (guint i = 0; i < n; i++)
    {
      SbFinding *f = g_new0 (SbFinding, 1);
      guint p = g_rand_int_range (rand, 0, G_N_ELEMENTS (packages));
      int roll = g_rand_int_range (rand, 0, 100);
      int year = g_rand_int_range (rand, 2018, 2026);
      int number = g_rand_int_range (rand, 1000, 49999);
      gboolean duplicate = FALSE;

      f->severity = roll < 6 ? "CRITICAL" : roll < 24 ? "HIGH" : roll < 60 ? "MEDIUM"
                    : roll < 85 ? "LOW" : roll < 95 ? "INFORMATIONAL" : "UNDEFINED";
      f->name = g_strdup_printf ("CVE-%d-%d", year, number);
      for (guint k = 0; k < findings->len && !duplicate; k++)
        duplicate = g_str_equal (((SbFinding *) findings->pdata[k])->name, f->name);
      if (duplicate)
        {
          finding_free (f);
          continue;
        }
      f->package_name = g_strdup (packages[p].name);
      f->package_version = g_strdup (packages[p].version);
      {
        g_auto(GStrv) halves = g_strsplit (flaws[g_rand_int_range (rand, 0, G_N_ELEMENTS (flaws))],
                                           "PKG", 2);

        f->description = g_strjoinv (packages[p].name, halves);
      }
      f->uri = g_strdup_printf ("https://security-tracker.debian.org/tracker/%s", f->name);
      if (!g_str_equal (f->severity, "UNDEFINED") && !g_str_equal (f->severity, "INFORMATIONAL"))
        {
          double base = g_str_equal (f->severity, "CRITICAL") ? 9.0
                        : g_str_equal (f->severity, "HIGH") ? 7.0
                        : g_str_equal (f->severity, "MEDIUM") ? 4.0 : 1.0;
          static const char *const vectors[] = {
            "AV:N/AC:L/Au:N/C:P/I:P/A:P", "AV:N/AC:M/Au:N/C:N/I:N/A:P",
            "AV:L/AC:L/Au:N/C:C/I:C/A:C", "AV:N/AC:H/Au:N/C:P/I:N/A:N",
          };

          f->cvss2 = base + g_rand_int_range (rand, 0, 10) / 10.0;
          if (f->cvss2 > 10.0)
            f->cvss2 = 10.0;
          f->cvss2_vector = g_strdup (vectors[g_rand_int_range (rand, 0, G_N_ELEMENTS (vectors))]);
        }
      g_ptr_array_add (findings, f);
    }
  g_ptr_array_sort (findings, compare_findings);
  return findings;
}

static void
add_attribute (JsonArray  *attributes,
               const char *key,
               const char *value)
{
  JsonObject *a = json_object_new ();

  json_object_set_string_member (a, "key", key);
  json_object_set_string_member (a, "value", value);
  json_array_add_object_element (attributes, a);
}

JsonObject *
sb_finding_to_json (SbFinding *f)
{
  JsonObject *o = json_object_new ();
  JsonArray *attributes = json_array_new ();

  json_object_set_string_member (o, "name", f->name);
  json_object_set_string_member (o, "description", f->description);
  json_object_set_string_member (o, "uri", f->uri);
  json_object_set_string_member (o, "severity", f->severity);
  add_attribute (attributes, "package_version", f->package_version);
  add_attribute (attributes, "package_name", f->package_name);
  if (f->cvss2_vector)
    {
      char score[G_ASCII_DTOSTR_BUF_SIZE];

      add_attribute (attributes, "CVSS2_VECTOR", f->cvss2_vector);
      g_ascii_formatd (score, sizeof score, "%.1f", f->cvss2);
      add_attribute (attributes, "CVSS2_SCORE", score);
    }
  json_object_set_array_member (o, "attributes", attributes);
  return o;
}

JsonObject *
sb_severity_counts (GPtrArray *findings)
{
  JsonObject *o = json_object_new ();

  for (guint i = 0; i < findings->len; i++)
    {
      SbFinding *f = findings->pdata[i];

      json_object_set_int_member (o, f->severity,
                                  json_object_get_int_member_with_default (o, f->severity, 0) + 1);
    }
  return o;
}

const char *
sb_scan_status (SbImage *image,
                gint64   now)
{
  if (!image->scan_started)
    return NULL;
  return now < image->scan_started + SB_SCAN_DURATION ? "IN_PROGRESS" : "COMPLETE";
}
