/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-ecr-explain"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-ecr-explain-private.h"

#include "wharf-aws-error.h"

void
wharf_explain_match_clear (Match *m)
{
  g_clear_pointer (&m->principal, g_free);
  g_clear_pointer (&m->action, g_free);
  g_clear_pointer (&m->resource, g_free);
}


void
wharf_explain_set_texts (WharfExplanation *self,
           const char       *title,
           const char       *body,
           const char       *remedy)
{
  g_free (self->title);
  g_free (self->body);
  g_free (self->remedy);
  self->title = g_strdup (title);
  self->body = g_strdup (body);
  self->remedy = g_strdup (remedy);
}

void
wharf_explain_take_texts (WharfExplanation *self,
            char             *title,
            char             *body,
            char             *remedy)
{
  wharf_explain_set_texts (self, title, body, remedy);
  g_free (title);
  g_free (body);
  g_free (remedy);
}

gboolean
wharf_explain_aws_code_is (const Match *m,
             const char  *code)
{
  return m->aws_code != NULL && g_ascii_strcasecmp (m->aws_code, code) == 0;
}

gboolean
wharf_explain_message_has (const Match *m,
             const char  *words)
{
  g_autofree char *lower = NULL;

  if (m->message == NULL)
    return FALSE;
  lower = g_ascii_strdown (m->message, -1);
  return strstr (lower, words) != NULL;
}

gboolean
wharf_explain_cause_matches (const Match *m,
               GQuark       domain,
               int          code)
{
  const GError *cause = wharf_aws_error_get_cause (m->error);

  return cause != NULL && cause->domain == domain && cause->code == code;
}

gboolean
wharf_explain_is_code (const Match *m,
         int          code)
{
  return m->error->domain == WHARF_AWS_ERROR && m->error->code == code;
}

