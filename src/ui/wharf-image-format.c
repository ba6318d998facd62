/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-image-format"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wharf-image-format.h"

char *
wharf_format_short_digest (const char *digest)
{
  const char *colon;

  if (digest == NULL)
    return g_strdup ("");

  colon = strchr (digest, ':');
  if (colon != NULL && strlen (colon + 1) > 12)
    return g_strdup_printf ("%.*s…", (int) (colon - digest) + 1 + 12, digest);

  return g_strdup (digest);
}

char *
wharf_format_relative_date (GDateTime *date,
                            GDateTime *now)
{
  g_autoptr(GDateTime) real_now = NULL;
  GTimeSpan span;
  gboolean future;
  gint64 n;

  if (date == NULL)
    return g_strdup (_("Never"));

  if (now == NULL)
    now = real_now = g_date_time_new_now_utc ();

  span = g_date_time_difference (now, date);
  future = span < 0;
  if (future)
    span = -span;

  if (span < G_TIME_SPAN_MINUTE)
    return g_strdup (future ? _("in a moment") : _("just now"));

  if (span < G_TIME_SPAN_HOUR)
    {
      n = span / G_TIME_SPAN_MINUTE;
      return future
        ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d minute", "in %d minutes", n), (int) n)
        : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago", n), (int) n);
    }

  if (span < G_TIME_SPAN_DAY)
    {
      n = span / G_TIME_SPAN_HOUR;
      return future
        ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d hour", "in %d hours", n), (int) n)
        : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago", n), (int) n);
    }

  if (span < 60 * G_TIME_SPAN_DAY)
    {
      n = span / G_TIME_SPAN_DAY;
      return future
        ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d day", "in %d days", n), (int) n)
        : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago", n), (int) n);
    }

  if (span < 730 * G_TIME_SPAN_DAY)
    {
      n = span / (30 * G_TIME_SPAN_DAY);
      return future
        ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d month", "in %d months", n), (int) n)
        : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d month ago", "%d months ago", n), (int) n);
    }

  n = span / (365 * G_TIME_SPAN_DAY);
  return future
    ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d year", "in %d years", n), (int) n)
    : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d year ago", "%d years ago", n), (int) n);
}

char *
wharf_format_exact_date (GDateTime *date)
{
  g_autoptr(GDateTime) local = NULL;

  if (date == NULL)
    return NULL;

  local = g_date_time_to_local (date);

  /* Translators: a full date and time, see g_date_time_format(). */
  return g_date_time_format (local, _("%-d %B %Y, %H:%M:%S %Z"));
}

char *
wharf_format_media_type (const char *manifest_media_type,
                         const char *artifact_media_type)
{
  static const struct {
    const char *media_type;
    const char *label;
  } artifacts[] = {
    { "application/vnd.cncf.helm.config.v1+json", N_("Helm chart") },
    { "application/vnd.dev.cosign.artifact.sig.v1+json", N_("Signature") },
    { "application/vnd.cncf.notary.signature", N_("Signature") },
    { "application/vnd.dev.sigstore.bundle.v0.3+json", N_("Signature") },
    { "application/vnd.in-toto+json", N_("Attestation") },
    { "application/spdx+json", N_("SBOM") },
    { "application/vnd.cyclonedx+json", N_("SBOM") },
    { "application/vnd.wasm.config.v1+json", N_("WebAssembly module") },
  };
  static const struct {
    const char *media_type;
    const char *label;
  } manifests[] = {
    { "application/vnd.docker.distribution.manifest.v2+json", N_("Docker image") },
    { "application/vnd.docker.distribution.manifest.list.v2+json", N_("Docker manifest list") },
    { "application/vnd.docker.distribution.manifest.v1+json", N_("Docker image (v1)") },
    { "application/vnd.docker.distribution.manifest.v1+prettyjws", N_("Docker image (v1)") },
    { "application/vnd.oci.image.manifest.v1+json", N_("OCI image") },
    { "application/vnd.oci.image.index.v1+json", N_("OCI index") },
  };

  if (artifact_media_type != NULL && *artifact_media_type != '\0' &&
      !g_str_equal (artifact_media_type, "application/vnd.docker.container.image.v1+json") &&
      !g_str_equal (artifact_media_type, "application/vnd.oci.image.config.v1+json"))
    {
      for (guint i = 0; i < G_N_ELEMENTS (artifacts); i++)
        if (g_str_equal (artifact_media_type, artifacts[i].media_type))
          return g_strdup (_(artifacts[i].label));
      return g_strdup (artifact_media_type);
    }

  if (manifest_media_type == NULL || *manifest_media_type == '\0')
    return g_strdup (_("Unknown"));

  for (guint i = 0; i < G_N_ELEMENTS (manifests); i++)
    if (g_str_equal (manifest_media_type, manifests[i].media_type))
      return g_strdup (_(manifests[i].label));

  return g_strdup (manifest_media_type);
}

static const char *
severity_word (WharfSeverity severity)
{
  switch (severity)
    {
    case WHARF_SEVERITY_CRITICAL: return _("critical");
    case WHARF_SEVERITY_HIGH: return _("high");
    case WHARF_SEVERITY_MEDIUM: return _("medium");
    case WHARF_SEVERITY_LOW: return _("low");
    case WHARF_SEVERITY_INFORMATIONAL: return _("informational");
    case WHARF_SEVERITY_UNDEFINED:
    default: return _("undefined");
    }
}

char *
wharf_format_scan_summary (WharfScanStatus  status,
                           const int       *counts)
{
  switch (status)
    {
    case WHARF_SCAN_STATUS_NONE:
      return g_strdup (_("Not scanned"));
    case WHARF_SCAN_STATUS_IN_PROGRESS:
    case WHARF_SCAN_STATUS_PENDING:
      return g_strdup (_("Scanning…"));
    case WHARF_SCAN_STATUS_FAILED:
      return g_strdup (_("Scan failed"));
    case WHARF_SCAN_STATUS_UNSUPPORTED_IMAGE:
      return g_strdup (_("Not supported"));
    case WHARF_SCAN_STATUS_SCAN_ELIGIBILITY_EXPIRED:
      return g_strdup (_("Scanning expired"));
    case WHARF_SCAN_STATUS_FINDINGS_UNAVAILABLE:
      return g_strdup (_("Findings unavailable"));
    case WHARF_SCAN_STATUS_LIMIT_EXCEEDED:
      return g_strdup (_("Scan limit reached"));
    case WHARF_SCAN_STATUS_IMAGE_ARCHIVED:
      return g_strdup (_("Archived"));
    case WHARF_SCAN_STATUS_UNKNOWN:
      return g_strdup (_("Unknown"));
    case WHARF_SCAN_STATUS_COMPLETE:
    case WHARF_SCAN_STATUS_ACTIVE:
    default:
      break;
    }

  if (counts == NULL)
    return g_strdup (_("Scanned"));

  {
    g_autoptr(GString) text = g_string_new (NULL);
    guint shown = 0;

    for (guint s = 0; s < WHARF_N_SEVERITIES && shown < 2; s++)
      {
        if (counts[s] <= 0)
          continue;
        if (text->len > 0)
          g_string_append (text, " · ");
        /* Translators: a number of findings and a severity word, "2 critical". */
        g_string_append_printf (text, C_("findings", "%d %s"), counts[s], severity_word (s));
        shown++;
      }

    if (shown == 0)
      return g_strdup (_("No findings"));

    {
      int rest = 0;
      guint s;
      guint counted = 0;

      for (s = 0; s < WHARF_N_SEVERITIES; s++)
        {
          if (counts[s] <= 0)
            continue;
          if (counted++ >= 2)
            rest += counts[s];
        }
      if (rest > 0)
        /* Translators: findings of lower severities not named, "+3". */
        g_string_append_printf (text, C_("findings", " · +%d"), rest);
    }

    return g_string_free (g_steal_pointer (&text), FALSE);
  }
}

const char *
wharf_format_scan_css_class (WharfScanStatus  status,
                             const int       *counts)
{
  static const char * const classes[] = {
    "critical", "high", "medium", "low", "informational", "undefined",
  };

  if (counts == NULL ||
      (status != WHARF_SCAN_STATUS_COMPLETE && status != WHARF_SCAN_STATUS_ACTIVE))
    return "none";

  for (guint s = 0; s < WHARF_N_SEVERITIES; s++)
    if (counts[s] > 0)
      return classes[s];

  return "none";
}

gboolean
wharf_format_image_counts (WharfImage *image,
                           int        *counts)
{
  if (image == NULL || !wharf_image_get_has_scan_summary (image))
    return FALSE;

  for (guint s = 0; s < WHARF_N_SEVERITIES; s++)
    counts[s] = MAX (0, wharf_image_get_severity_count (image, s));

  return TRUE;
}
