/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-scan-finding"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "wharf-scan-finding.h"

#include "wharf-ecr-enums.h"
#include "wharf-ecr-json-private.h"

struct _WharfScanFinding
{
  GObject        parent_instance;

  char          *name;
  WharfSeverity  severity;
  char          *description;
  char          *uri;
  char          *package_name;
  char          *package_version;
  double         cvss_score;
};

G_DEFINE_FINAL_TYPE (WharfScanFinding, wharf_scan_finding, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_SEVERITY,
  PROP_DESCRIPTION,
  PROP_URI,
  PROP_PACKAGE_NAME,
  PROP_PACKAGE_VERSION,
  PROP_CVSS_SCORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
wharf_scan_finding_finalize (GObject *object)
{
  WharfScanFinding *self = (WharfScanFinding *) object;

  g_free (self->name);
  g_free (self->description);
  g_free (self->uri);
  g_free (self->package_name);
  g_free (self->package_version);

  G_OBJECT_CLASS (wharf_scan_finding_parent_class)->finalize (object);
}

static void
wharf_scan_finding_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  WharfScanFinding *self = WHARF_SCAN_FINDING (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_SEVERITY:
      g_value_set_enum (value, self->severity);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_URI:
      g_value_set_string (value, self->uri);
      break;
    case PROP_PACKAGE_NAME:
      g_value_set_string (value, self->package_name);
      break;
    case PROP_PACKAGE_VERSION:
      g_value_set_string (value, self->package_version);
      break;
    case PROP_CVSS_SCORE:
      g_value_set_double (value, self->cvss_score);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wharf_scan_finding_class_init (WharfScanFindingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = wharf_scan_finding_finalize;
  object_class->get_property = wharf_scan_finding_get_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_SEVERITY] =
    g_param_spec_enum ("severity", NULL, NULL, WHARF_TYPE_SEVERITY, WHARF_SEVERITY_UNDEFINED,
                       flags);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  properties[PROP_URI] = g_param_spec_string ("uri", NULL, NULL, NULL, flags);
  properties[PROP_PACKAGE_NAME] = g_param_spec_string ("package-name", NULL, NULL, NULL, flags);
  properties[PROP_PACKAGE_VERSION] = g_param_spec_string ("package-version", NULL, NULL, NULL,
                                                          flags);
  properties[PROP_CVSS_SCORE] =
    g_param_spec_double ("cvss-score", NULL, NULL, -1.0, 10.0, -1.0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wharf_scan_finding_init (WharfScanFinding *self)
{
  self->severity = WHARF_SEVERITY_UNDEFINED;
  self->cvss_score = -1.0;
}

static gboolean
parse_severity (const char     *member,
                const char     *str,
                WharfSeverity  *severity,
                GError        **error)
{
  /* Amazon Inspector also says "UNTRIAGED" for undefined. */
  if (g_strcmp0 (str, "UNTRIAGED") == 0)
    {
      *severity = WHARF_SEVERITY_UNDEFINED;
      return TRUE;
    }
  if (!wharf_severity_from_string (str, severity))
    return wharf_ecr_json_bad_value (member, error);
  return TRUE;
}

/* A CVSS base score is 0.0–10.0; anything else is treated as absent. */
static double
parse_score (const char *text)
{
  char *end = NULL;
  double score;

  if (!text || !*text)
    return -1.0;
  score = g_ascii_strtod (text, &end);
  if (end == text || *end || !isfinite (score) || score < 0.0 || score > 10.0)
    return -1.0;
  return score;
}

WharfScanFinding *
wharf_scan_finding_new_from_json (JsonObject  *object,
                                  GError     **error)
{
  g_autoptr(WharfScanFinding) self = NULL;
  const char *name, *severity, *description, *uri;
  const char *cvss3 = NULL, *cvss2 = NULL;
  JsonArray *attributes;
  guint i, n;

  g_return_val_if_fail (object, NULL);

  self = g_object_new (WHARF_TYPE_SCAN_FINDING, NULL);

  if (!wharf_ecr_json_get_string (object, "name", TRUE, &name, error) ||
      !wharf_ecr_json_get_string (object, "severity", TRUE, &severity, error) ||
      !wharf_ecr_json_get_string (object, "description", FALSE, &description, error) ||
      !wharf_ecr_json_get_string (object, "uri", FALSE, &uri, error) ||
      !wharf_ecr_json_get_array (object, "attributes", FALSE, &attributes, error))
    return NULL;

  if (!parse_severity ("severity", severity, &self->severity, error))
    return NULL;

  self->name = g_strdup (name);
  self->description = g_strdup (description);
  self->uri = g_strdup (uri);

  n = attributes ? json_array_get_length (attributes) : 0;
  for (i = 0; i < n; i++)
    {
      JsonObject *attribute = wharf_ecr_json_array_get_object (attributes, i, "attributes", error);
      const char *key, *value;

      if (!attribute ||
          !wharf_ecr_json_get_string (attribute, "key", TRUE, &key, error) ||
          !wharf_ecr_json_get_string (attribute, "value", FALSE, &value, error))
        return NULL;

      if (g_str_equal (key, "package_name") && !self->package_name)
        self->package_name = g_strdup (value);
      else if (g_str_equal (key, "package_version") && !self->package_version)
        self->package_version = g_strdup (value);
      else if (g_str_equal (key, "CVSS3_SCORE"))
        cvss3 = value;
      else if (g_str_equal (key, "CVSS2_SCORE"))
        cvss2 = value;
    }
  self->cvss_score = parse_score (cvss3);
  if (self->cvss_score < 0)
    self->cvss_score = parse_score (cvss2);

  return g_steal_pointer (&self);
}

WharfScanFinding *
wharf_scan_finding_new_from_enhanced_json (JsonObject  *object,
                                           GError     **error)
{
  g_autoptr(WharfScanFinding) self = NULL;
  const char *title, *severity, *description, *id = NULL, *source_url = NULL;
  JsonObject *details;
  double score;
  gboolean has_score;

  g_return_val_if_fail (object, NULL);

  self = g_object_new (WHARF_TYPE_SCAN_FINDING, NULL);

  if (!wharf_ecr_json_get_string (object, "title", FALSE, &title, error) ||
      !wharf_ecr_json_get_string (object, "severity", TRUE, &severity, error) ||
      !wharf_ecr_json_get_string (object, "description", FALSE, &description, error) ||
      !wharf_ecr_json_get_double (object, "score", &score, &has_score, error) ||
      !wharf_ecr_json_get_object (object, "packageVulnerabilityDetails", FALSE, &details, error))
    return NULL;
  if (!parse_severity ("severity", severity, &self->severity, error))
    return NULL;

  if (details)
    {
      JsonArray *packages;

      if (!wharf_ecr_json_get_string (details, "vulnerabilityId", FALSE, &id, error) ||
          !wharf_ecr_json_get_string (details, "sourceUrl", FALSE, &source_url, error) ||
          !wharf_ecr_json_get_array (details, "vulnerablePackages", FALSE, &packages, error))
        return NULL;
      if (packages && json_array_get_length (packages) > 0)
        {
          JsonObject *package = wharf_ecr_json_array_get_object (packages, 0, "vulnerablePackages",
                                                                 error);
          const char *name, *version;

          if (!package ||
              !wharf_ecr_json_get_string (package, "name", FALSE, &name, error) ||
              !wharf_ecr_json_get_string (package, "version", FALSE, &version, error))
            return NULL;
          self->package_name = g_strdup (name);
          self->package_version = g_strdup (version);
        }
    }

  if (!id && !title)
    {
      wharf_ecr_json_missing ("packageVulnerabilityDetails.vulnerabilityId", error);
      return NULL;
    }

  self->name = g_strdup (id ? id : title);
  self->description = g_strdup (description);
  self->uri = g_strdup (source_url);
  if (has_score && score >= 0.0 && score <= 10.0)
    self->cvss_score = score;

  return g_steal_pointer (&self);
}

const char *
wharf_scan_finding_get_name (WharfScanFinding *self)
{
  g_return_val_if_fail (WHARF_IS_SCAN_FINDING (self), NULL);
  return self->name;
}

WharfSeverity
wharf_scan_finding_get_severity (WharfScanFinding *self)
{
  g_return_val_if_fail (WHARF_IS_SCAN_FINDING (self), WHARF_SEVERITY_UNDEFINED);
  return self->severity;
}

const char *
wharf_scan_finding_get_description (WharfScanFinding *self)
{
  g_return_val_if_fail (WHARF_IS_SCAN_FINDING (self), NULL);
  return self->description;
}

const char *
wharf_scan_finding_get_uri (WharfScanFinding *self)
{
  g_return_val_if_fail (WHARF_IS_SCAN_FINDING (self), NULL);
  return self->uri;
}

const char *
wharf_scan_finding_get_package_name (WharfScanFinding *self)
{
  g_return_val_if_fail (WHARF_IS_SCAN_FINDING (self), NULL);
  return self->package_name;
}

const char *
wharf_scan_finding_get_package_version (WharfScanFinding *self)
{
  g_return_val_if_fail (WHARF_IS_SCAN_FINDING (self), NULL);
  return self->package_version;
}

double
wharf_scan_finding_get_cvss_score (WharfScanFinding *self)
{
  g_return_val_if_fail (WHARF_IS_SCAN_FINDING (self), -1.0);
  return self->cvss_score;
}
