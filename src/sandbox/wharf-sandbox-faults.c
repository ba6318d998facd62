/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Injected faults (--fault KIND[:OPERATION[:COUNT]]): parsing a specification and picking
 * the fault a request meets. wharf-sandbox.c answers with it.
 */
#define G_LOG_DOMAIN "wharf-sandbox-faults"

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "wharf-sandbox-private.h"

/* In the order of SbFaultKind. */
static const char *const fault_names[] = {
  "throttle", "500", "503", "reset", "truncate", "invalid-json", "html", "expired-token",
  "access-denied", "denied-old", "denied-no-identity-policy", "denied-identity-policy",
  "denied-boundary", "denied-session-policy", "denied-scp", "denied-repository-policy",
  "kms-denied", "region-not-enabled", "limit-images", "limit-tags", "delay",
};

G_STATIC_ASSERT (G_N_ELEMENTS (fault_names) == FAULT_DELAY + 1);

const char *
sb_fault_kind_name (SbFaultKind kind)
{
  return fault_names[kind];
}

void
sb_fault_free (SbFault *fault)
{
  g_free (fault->operation);
  g_free (fault);
}

SbFault *
sb_fault_parse (const char *spec,
                GError    **error)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *kind = NULL;
  SbFault fault = { 0, NULL, 1, 1000 };
  char *eq;
  guint n, i;

  parts = g_strsplit (spec, ":", -1);
  n = g_strv_length (parts);
  if (n < 1 || n > 3 || parts[0][0] == '\0')
    goto bad;
  kind = g_strdup (parts[0]);
  eq = strchr (kind, '=');
  if (eq)
    *eq++ = '\0';
  for (i = 0; i < G_N_ELEMENTS (fault_names); i++)
    if (g_str_equal (kind, fault_names[i]))
      break;
  if (i == G_N_ELEMENTS (fault_names))
    goto bad;
  fault.kind = i;
  if (fault.kind == FAULT_DELAY)
    {
      guint64 ms;

      if (eq && !g_ascii_string_to_unsigned (eq, 10, 0, 600000, &ms, NULL))
        goto bad;
      fault.delay_ms = eq ? ms : 1000;
    }
  else if (eq)
    goto bad;
  if (n >= 2 && !g_str_equal (parts[1], "*") && parts[1][0] != '\0')
    {
      if (!sb_lookup_operation (parts[1]))
        {
          g_set_error (error, WHARF_SANDBOX_ERROR, WHARF_SANDBOX_ERROR_FAULT,
                       _("Fault “%s”: the sandbox has no operation “%s”"), spec, parts[1]);
          return NULL;
        }
      fault.operation = g_strdup (parts[1]);
    }
  if (n == 3)
    {
      guint64 count;

      if (g_str_equal (parts[2], "*"))
        fault.remaining = -1;
      else if (g_ascii_string_to_unsigned (parts[2], 10, 1, G_MAXINT, &count, NULL))
        fault.remaining = count;
      else
        {
          g_free (fault.operation);
          goto bad;
        }
    }
  return g_memdup2 (&fault, sizeof fault);

bad:
  g_set_error (error, WHARF_SANDBOX_ERROR, WHARF_SANDBOX_ERROR_FAULT,
               _("Cannot understand the fault “%s”: expected KIND[:OPERATION[:COUNT]] where "
               "KIND is throttle, 500, 503, reset, truncate, invalid-json, html, "
               "expired-token, access-denied, denied-old, denied-no-identity-policy, "
               "denied-identity-policy, denied-boundary, denied-session-policy, denied-scp, "
               "denied-repository-policy, kms-denied, region-not-enabled, limit-images, "
               "limit-tags or delay=MS; OPERATION an operation name or *; "
               "COUNT a number or *"), spec);
  return NULL;
}

SbFault *
sb_fault_take (GPtrArray  *faults,
               const char *operation)
{
  for (guint i = 0; i < faults->len; i++)
    {
      SbFault *fault = faults->pdata[i];

      if (fault->remaining == 0 || (fault->operation && !g_str_equal (fault->operation, operation)))
        continue;
      if (fault->remaining > 0)
        fault->remaining--;
      return fault;
    }
  return NULL;
}

/* ---- Refusals ----
 *
 * The message formats are IAM's ("Access denied error messages", IAM User Guide), as ECR
 * passes them on; KMS's refusal of the repository's key comes as ECR's KmsException with
 * KMS's own error code in kmsError; an opt-in region the account has not enabled answers
 * every request as if the key were unknown; the quotas are ECR's LimitExceededException
 * messages (Amazon ECR service quotas). tests/test-ecr-explain.c holds the real samples. */

/* The KMS action ECR needs on the caller's behalf for @operation. */
static const char *
kms_action (const char *operation)
{
  static const char *const push_operations[] = {
    "PutImage", "InitiateLayerUpload", "UploadLayerPart", "CompleteLayerUpload", NULL,
  };

  if (g_str_equal (operation, "CreateRepository"))
    return "CreateGrant";
  if (g_strv_contains (push_operations, operation))
    return "GenerateDataKey";
  return "Decrypt";
}

gboolean
sb_fault_refusal (SbFaultKind           kind,
                  const SbRefusalFacts *facts,
                  SbRefusal            *refusal)
{
  g_autofree char *resource = NULL;
  g_autofree char *denied = NULL;
  const char *op = facts->operation;
  const char *reason = NULL;

  refusal->status = 400;
  refusal->type = "AccessDeniedException";
  refusal->message = NULL;
  refusal->kms_error = NULL;

  resource = facts->repository != NULL
             ? g_strdup_printf ("arn:aws:ecr:%s:%s:repository/%s", facts->region, facts->account,
                                facts->repository)
             : g_strdup ("*");
  denied = g_strdup_printf ("User: %s is not authorized to perform: ecr:%s on resource: %s",
                            facts->caller_arn, op, resource);

  switch (kind)
    {
    case FAULT_DENIED_OLD:
      refusal->message = g_steal_pointer (&denied);
      return TRUE;
    case FAULT_DENIED_NO_IDENTITY_POLICY:
      refusal->message = g_strdup_printf ("%s because no identity-based policy allows the ecr:%s "
                                          "action", denied, op);
      return TRUE;
    case FAULT_DENIED_IDENTITY_POLICY:
      reason = "an identity-based policy";
      break;
    case FAULT_DENIED_BOUNDARY:
      refusal->message = g_strdup_printf ("%s because no permissions boundary allows the ecr:%s "
                                          "action", denied, op);
      return TRUE;
    case FAULT_DENIED_SESSION_POLICY:
      refusal->message = g_strdup_printf ("%s because no session policy allows the ecr:%s "
                                          "action", denied, op);
      return TRUE;
    case FAULT_DENIED_SCP:
      reason = "a service control policy";
      break;
    case FAULT_DENIED_REPOSITORY_POLICY:
      reason = "a resource-based policy";
      break;
    case FAULT_KMS_DENIED:
      {
        g_autofree char *key = NULL;
        const char *action = kms_action (op);

        key = facts->kms_key != NULL && g_str_has_prefix (facts->kms_key, "arn:")
              ? g_strdup (facts->kms_key)
              : g_strdup_printf ("arn:aws:kms:%s:%s:key/%s", facts->region, facts->account,
                                 facts->kms_key != NULL ? facts->kms_key
                                                        : "1234abcd-12ab-34cd-56ef-1234567890ab");
        refusal->type = "KmsException";
        refusal->kms_error = "AccessDeniedException";
        refusal->message = g_strdup_printf ("User: %s is not authorized to perform: kms:%s on "
                                            "resource: %s because no resource-based policy "
                                            "allows the kms:%s action",
                                            facts->caller_arn, action, key, action);
        return TRUE;
      }
    case FAULT_REGION_NOT_ENABLED:
      refusal->type = "UnrecognizedClientException";
      refusal->message = g_strdup ("The security token included in the request is invalid.");
      return TRUE;
    case FAULT_LIMIT_IMAGES:
      refusal->type = "LimitExceededException";
      refusal->message = g_strdup_printf ("The repository with name '%s' in registry with id "
                                          "'%s' already has the maximum allowed number of "
                                          "images which is '10000'",
                                          facts->repository ? facts->repository : "",
                                          facts->account);
      return TRUE;
    case FAULT_LIMIT_TAGS:
      refusal->type = "LimitExceededException";
      refusal->message = g_strdup_printf ("Adding tag '%s' to an image in the repository with "
                                          "name '%s' in registry with id '%s' exceeds the "
                                          "maximum allowed number of tags per image which is "
                                          "'1000'",
                                          facts->image_tag ? facts->image_tag : "latest",
                                          facts->repository ? facts->repository : "",
                                          facts->account);
      return TRUE;
    case FAULT_THROTTLE:
    case FAULT_500:
    case FAULT_503:
    case FAULT_RESET:
    case FAULT_TRUNCATE:
    case FAULT_INVALID_JSON:
    case FAULT_HTML:
    case FAULT_EXPIRED_TOKEN:
    case FAULT_ACCESS_DENIED:
    case FAULT_DELAY:
    default:
      return FALSE;
    }

  refusal->message = g_strdup_printf ("%s with an explicit deny in %s", denied, reason);
  return TRUE;
}
