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
  "access-denied", "delay",
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
               "expired-token, access-denied or delay=MS; OPERATION an operation name or *; "
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
