/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-scan-result"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wharf-scan-result.h"

#include "wharf-ecr-enums.h"
#include "wharf-ecr-json-private.h"

struct _WharfScanResult
{
  GObject          parent_instance;

  WharfScanStatus  status;
  char            *description;
  GDateTime       *completed_at;
  GDateTime       *source_updated_at;
  gboolean         has_counts;
  int              counts[WHARF_N_SEVERITIES];
  GListStore      *findings;
};

G_DEFINE_FINAL_TYPE (WharfScanResult, wharf_scan_result, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATUS,
  PROP_DESCRIPTION,
  PROP_COMPLETED_AT,
  PROP_VULNERABILITY_SOURCE_UPDATED_AT,
  PROP_HAS_COUNTS,
  PROP_CRITICAL,
  PROP_HIGH,
  PROP_MEDIUM,
  PROP_LOW,
  PROP_INFORMATIONAL,
  PROP_UNDEFINED,
  PROP_TOTAL_FINDINGS,
  PROP_FINDINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
wharf_scan_result_finalize (GObject *object)
{
  WharfScanResult *self = (WharfScanResult *) object;

  g_free (self->description);
  g_clear_pointer (&self->completed_at, g_date_time_unref);
  g_clear_pointer (&self->source_updated_at, g_date_time_unref);
  g_clear_object (&self->findings);

  G_OBJECT_CLASS (wharf_scan_result_parent_class)->finalize (object);
}

static void
wharf_scan_result_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  WharfScanResult *self = WHARF_SCAN_RESULT (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_COMPLETED_AT:
      g_value_set_boxed (value, self->completed_at);
      break;
    case PROP_VULNERABILITY_SOURCE_UPDATED_AT:
      g_value_set_boxed (value, self->source_updated_at);
      break;
    case PROP_HAS_COUNTS:
      g_value_set_boolean (value, self->has_counts);
      break;
    case PROP_CRITICAL:
    case PROP_HIGH:
    case PROP_MEDIUM:
    case PROP_LOW:
    case PROP_INFORMATIONAL:
    case PROP_UNDEFINED:
      g_value_set_int (value, wharf_scan_result_get_count (self, prop_id - PROP_CRITICAL));
      break;
    case PROP_TOTAL_FINDINGS:
      g_value_set_int (value, wharf_scan_result_get_total_findings (self));
      break;
    case PROP_FINDINGS:
      g_value_set_object (value, self->findings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wharf_scan_result_class_init (WharfScanResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = wharf_scan_result_finalize;
  object_class->get_property = wharf_scan_result_get_property;

  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, WHARF_TYPE_SCAN_STATUS, WHARF_SCAN_STATUS_NONE, flags);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  properties[PROP_COMPLETED_AT] =
    g_param_spec_boxed ("completed-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_VULNERABILITY_SOURCE_UPDATED_AT] =
    g_param_spec_boxed ("vulnerability-source-updated-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_HAS_COUNTS] = g_param_spec_boolean ("has-counts", NULL, NULL, FALSE, flags);
  properties[PROP_CRITICAL] = g_param_spec_int ("critical", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_HIGH] = g_param_spec_int ("high", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_MEDIUM] = g_param_spec_int ("medium", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_LOW] = g_param_spec_int ("low", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_INFORMATIONAL] = g_param_spec_int ("informational", NULL, NULL, -1, G_MAXINT, -1,
                                                     flags);
  properties[PROP_UNDEFINED] = g_param_spec_int ("undefined", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_TOTAL_FINDINGS] = g_param_spec_int ("total-findings", NULL, NULL, -1, G_MAXINT,
                                                      -1, flags);
  properties[PROP_FINDINGS] = g_param_spec_object ("findings", NULL, NULL, G_TYPE_LIST_MODEL,
                                                   flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wharf_scan_result_init (WharfScanResult *self)
{
  self->findings = g_list_store_new (WHARF_TYPE_SCAN_FINDING);
}

static int
compare_findings (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  WharfScanFinding *fa = (WharfScanFinding *) a;
  WharfScanFinding *fb = (WharfScanFinding *) b;
  int diff;
  double sa, sb;

  diff = (int) wharf_scan_finding_get_severity (fa) - (int) wharf_scan_finding_get_severity (fb);
  if (diff != 0)
    return diff;
  sa = wharf_scan_finding_get_cvss_score (fa);
  sb = wharf_scan_finding_get_cvss_score (fb);
  if (sa != sb)
    return sa > sb ? -1 : 1;
  return g_strcmp0 (wharf_scan_finding_get_name (fa), wharf_scan_finding_get_name (fb));
}

WharfScanResult *
wharf_scan_result_new_from_json (JsonObject  *response,
                                 GError     **error)
{
  g_autoptr(WharfScanResult) self = NULL;
  JsonObject *status_object;
  const char *status, *description;

  g_return_val_if_fail (response, NULL);

  self = g_object_new (WHARF_TYPE_SCAN_RESULT, NULL);

  if (!wharf_ecr_json_get_object (response, "imageScanStatus", TRUE, &status_object, error) ||
      !wharf_ecr_json_get_string (status_object, "status", TRUE, &status, error) ||
      !wharf_ecr_json_get_string (status_object, "description", FALSE, &description, error))
    return NULL;

  self->status = wharf_scan_status_from_string (status);
  self->description = g_strdup (description);

  if (!wharf_scan_result_add_findings_from_json (self, response, error))
    return NULL;

  return g_steal_pointer (&self);
}

gboolean
wharf_scan_result_add_findings_from_json (WharfScanResult *self,
                                          JsonObject      *response,
                                          GError         **error)
{
  JsonObject *findings_object, *counts;
  JsonArray *findings, *enhanced;
  g_autoptr(GPtrArray) parsed = g_ptr_array_new_with_free_func (g_object_unref);
  guint i, n;

  g_return_val_if_fail (WHARF_IS_SCAN_RESULT (self), FALSE);

  if (!wharf_ecr_json_get_object (response, "imageScanFindings", FALSE, &findings_object, error))
    return FALSE;
  if (!findings_object)
    return TRUE;

  if (!wharf_ecr_json_get_object (findings_object, "findingSeverityCounts", FALSE, &counts,
                                  error) ||
      !wharf_ecr_json_get_array (findings_object, "findings", FALSE, &findings, error) ||
      !wharf_ecr_json_get_array (findings_object, "enhancedFindings", FALSE, &enhanced, error))
    return FALSE;

  if (!self->completed_at &&
      !wharf_ecr_json_get_timestamp (findings_object, "imageScanCompletedAt", &self->completed_at,
                                     error))
    return FALSE;
  if (!self->source_updated_at &&
      !wharf_ecr_json_get_timestamp (findings_object, "vulnerabilitySourceUpdatedAt",
                                     &self->source_updated_at, error))
    return FALSE;

  if (counts && !self->has_counts)
    {
      if (!wharf_ecr_parse_severity_counts (counts, self->counts, error))
        return FALSE;
      self->has_counts = TRUE;
    }
  else if (!self->has_counts && self->status == WHARF_SCAN_STATUS_COMPLETE)
    {
      /* A complete scan without counts found nothing. */
      self->has_counts = TRUE;
    }

  n = findings ? json_array_get_length (findings) : 0;
  for (i = 0; i < n; i++)
    {
      JsonObject *object = wharf_ecr_json_array_get_object (findings, i, "findings", error);
      WharfScanFinding *finding;

      if (!object || !(finding = wharf_scan_finding_new_from_json (object, error)))
        return FALSE;
      g_ptr_array_add (parsed, finding);
    }
  n = enhanced ? json_array_get_length (enhanced) : 0;
  for (i = 0; i < n; i++)
    {
      JsonObject *object = wharf_ecr_json_array_get_object (enhanced, i, "enhancedFindings", error);
      WharfScanFinding *finding;

      if (!object || !(finding = wharf_scan_finding_new_from_enhanced_json (object, error)))
        return FALSE;
      g_ptr_array_add (parsed, finding);
    }

  for (i = 0; i < parsed->len; i++)
    g_list_store_insert_sorted (self->findings, g_ptr_array_index (parsed, i), compare_findings,
                                NULL);

  return TRUE;
}

WharfScanStatus
wharf_scan_result_get_status (WharfScanResult *self)
{
  g_return_val_if_fail (WHARF_IS_SCAN_RESULT (self), WHARF_SCAN_STATUS_NONE);
  return self->status;
}

const char *
wharf_scan_result_get_description (WharfScanResult *self)
{
  g_return_val_if_fail (WHARF_IS_SCAN_RESULT (self), NULL);
  return self->description;
}

GDateTime *
wharf_scan_result_get_completed_at (WharfScanResult *self)
{
  g_return_val_if_fail (WHARF_IS_SCAN_RESULT (self), NULL);
  return self->completed_at;
}

GDateTime *
wharf_scan_result_get_vulnerability_source_updated_at (WharfScanResult *self)
{
  g_return_val_if_fail (WHARF_IS_SCAN_RESULT (self), NULL);
  return self->source_updated_at;
}

gboolean
wharf_scan_result_get_has_counts (WharfScanResult *self)
{
  g_return_val_if_fail (WHARF_IS_SCAN_RESULT (self), FALSE);
  return self->has_counts;
}

int
wharf_scan_result_get_count (WharfScanResult *self,
                             WharfSeverity    severity)
{
  g_return_val_if_fail (WHARF_IS_SCAN_RESULT (self), -1);
  g_return_val_if_fail ((guint) severity < WHARF_N_SEVERITIES, -1);
  return self->has_counts ? self->counts[severity] : -1;
}

int
wharf_scan_result_get_total_findings (WharfScanResult *self)
{
  gint64 total = 0;
  guint i;

  g_return_val_if_fail (WHARF_IS_SCAN_RESULT (self), -1);

  if (!self->has_counts)
    return -1;
  for (i = 0; i < WHARF_N_SEVERITIES; i++)
    total += self->counts[i];
  return (int) MIN (total, G_MAXINT);
}

gboolean
wharf_scan_result_get_counts (WharfScanResult *self,
                              int             *counts)
{
  g_return_val_if_fail (WHARF_IS_SCAN_RESULT (self), FALSE);

  if (!self->has_counts)
    return FALSE;
  memcpy (counts, self->counts, sizeof self->counts);
  return TRUE;
}

GListModel *
wharf_scan_result_get_findings (WharfScanResult *self)
{
  g_return_val_if_fail (WHARF_IS_SCAN_RESULT (self), NULL);
  return G_LIST_MODEL (self->findings);
}
