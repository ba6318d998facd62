/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-ecr-types"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wharf-ecr-types.h"

G_DEFINE_QUARK (wharf-ecr-error-quark, wharf_ecr_error)

static gboolean
lookup (const char * const *names,
        guint               n_names,
        const char         *str,
        int                *value)
{
  guint i;

  if (!str)
    return FALSE;
  for (i = 0; i < n_names; i++)
    if (strcmp (names[i], str) == 0)
      {
        *value = (int) i;
        return TRUE;
      }
  return FALSE;
}

#define DEFINE_ENUM_STRINGS(Type, prefix, ...)                                  \
  static const char * const prefix##_names[] = { __VA_ARGS__ };                 \
  const char *                                                                  \
  prefix##_to_string (Type value)                                               \
  {                                                                             \
    if ((guint) value < G_N_ELEMENTS (prefix##_names))                          \
      return prefix##_names[value];                                             \
    return NULL;                                                                \
  }                                                                             \
  gboolean                                                                      \
  prefix##_from_string (const char *str,                                        \
                        Type       *value)                                      \
  {                                                                             \
    int v;                                                                      \
    if (!lookup (prefix##_names, G_N_ELEMENTS (prefix##_names), str, &v))       \
      return FALSE;                                                             \
    if (value)                                                                  \
      *value = (Type) v;                                                        \
    return TRUE;                                                                \
  }

DEFINE_ENUM_STRINGS (WharfTagMutability, wharf_tag_mutability,
                     "MUTABLE", "IMMUTABLE", "MUTABLE_WITH_EXCLUSION", "IMMUTABLE_WITH_EXCLUSION")
DEFINE_ENUM_STRINGS (WharfEncryptionType, wharf_encryption_type, "AES256", "KMS", "KMS_DSSE")
DEFINE_ENUM_STRINGS (WharfSeverity, wharf_severity,
                     "CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNDEFINED")
DEFINE_ENUM_STRINGS (WharfScanType, wharf_scan_type, "BASIC", "ENHANCED")
DEFINE_ENUM_STRINGS (WharfScanFrequency, wharf_scan_frequency,
                     "SCAN_ON_PUSH", "CONTINUOUS_SCAN", "MANUAL")
DEFINE_ENUM_STRINGS (WharfLifecyclePreviewStatus, wharf_lifecycle_preview_status,
                     "IN_PROGRESS", "COMPLETE", "EXPIRED", "FAILED")
DEFINE_ENUM_STRINGS (WharfImageAction, wharf_image_action, "EXPIRE", "TRANSITION")

static const char * const scan_status_names[] = {
  NULL, "IN_PROGRESS", "COMPLETE", "FAILED", "UNSUPPORTED_IMAGE", "ACTIVE", "PENDING",
  "SCAN_ELIGIBILITY_EXPIRED", "FINDINGS_UNAVAILABLE", "LIMIT_EXCEEDED", "IMAGE_ARCHIVED",
};

const char *
wharf_scan_status_to_string (WharfScanStatus value)
{
  if ((guint) value < G_N_ELEMENTS (scan_status_names))
    return scan_status_names[value];
  return NULL;
}

WharfScanStatus
wharf_scan_status_from_string (const char *str)
{
  guint i;

  if (!str)
    return WHARF_SCAN_STATUS_NONE;
  for (i = 1; i < G_N_ELEMENTS (scan_status_names); i++)
    if (strcmp (scan_status_names[i], str) == 0)
      return (WharfScanStatus) i;
  return WHARF_SCAN_STATUS_UNKNOWN;
}

const char *
wharf_tag_status_to_string (WharfTagStatus value)
{
  switch (value)
    {
    case WHARF_TAG_STATUS_TAGGED:
      return "TAGGED";
    case WHARF_TAG_STATUS_UNTAGGED:
      return "UNTAGGED";
    case WHARF_TAG_STATUS_ANY:
    default:
      return "ANY";
    }
}

const char *
wharf_severity_get_label (WharfSeverity value)
{
  switch (value)
    {
    case WHARF_SEVERITY_CRITICAL:
      return _("Critical");
    case WHARF_SEVERITY_HIGH:
      return _("High");
    case WHARF_SEVERITY_MEDIUM:
      return _("Medium");
    case WHARF_SEVERITY_LOW:
      return _("Low");
    case WHARF_SEVERITY_INFORMATIONAL:
      return _("Informational");
    case WHARF_SEVERITY_UNDEFINED:
    default:
      return _("Undefined");
    }
}

const char *
wharf_scan_status_get_label (WharfScanStatus value)
{
  switch (value)
    {
    case WHARF_SCAN_STATUS_NONE:
      return _("Not scanned");
    case WHARF_SCAN_STATUS_IN_PROGRESS:
      return _("Scanning");
    case WHARF_SCAN_STATUS_COMPLETE:
      return _("Complete");
    case WHARF_SCAN_STATUS_FAILED:
      return _("Failed");
    case WHARF_SCAN_STATUS_UNSUPPORTED_IMAGE:
      return _("Unsupported image");
    case WHARF_SCAN_STATUS_ACTIVE:
      return _("Active");
    case WHARF_SCAN_STATUS_PENDING:
      return _("Pending");
    case WHARF_SCAN_STATUS_SCAN_ELIGIBILITY_EXPIRED:
      return _("Scan eligibility expired");
    case WHARF_SCAN_STATUS_FINDINGS_UNAVAILABLE:
      return _("Findings unavailable");
    case WHARF_SCAN_STATUS_LIMIT_EXCEEDED:
      return _("Scan limit exceeded");
    case WHARF_SCAN_STATUS_IMAGE_ARCHIVED:
      return _("Image archived");
    case WHARF_SCAN_STATUS_UNKNOWN:
    default:
      return _("Unknown");
    }
}

const char *
wharf_tag_mutability_get_label (WharfTagMutability value)
{
  switch (value)
    {
    case WHARF_TAG_MUTABILITY_IMMUTABLE:
      return _("Immutable");
    case WHARF_TAG_MUTABILITY_MUTABLE_WITH_EXCLUSION:
      return _("Mutable with exceptions");
    case WHARF_TAG_MUTABILITY_IMMUTABLE_WITH_EXCLUSION:
      return _("Immutable with exceptions");
    case WHARF_TAG_MUTABILITY_UNKNOWN:
      /* Translators: tag mutability that this version of Wharf does not know */
      return _("Unknown (set by a newer ECR)");
    case WHARF_TAG_MUTABILITY_MUTABLE:
    default:
      return _("Mutable");
    }
}

const char *
wharf_encryption_type_get_label (WharfEncryptionType value)
{
  switch (value)
    {
    case WHARF_ENCRYPTION_TYPE_KMS:
      return _("AWS KMS");
    case WHARF_ENCRYPTION_TYPE_KMS_DSSE:
      return _("AWS KMS, dual-layer");
    case WHARF_ENCRYPTION_TYPE_UNKNOWN:
      /* Translators: an encryption type that this version of Wharf does not know */
      return _("Unknown encryption (set by a newer ECR)");
    case WHARF_ENCRYPTION_TYPE_AES256:
    default:
      return _("AES-256 (Amazon S3 managed)");
    }
}
