/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the parts of IAM Identity Center share: the settings (wharf-sso-settings.c), the token
 * cache (wharf-sso-token.c), the REST-JSON exchange (wharf-sso-rest.c), the OIDC sign-in
 * (wharf-sso-oidc.c) and the portal (wharf-sso-portal.c).
 */
#pragma once

#include <string.h>

#include <json-glib/json-glib.h>
#include <openssl/crypto.h>

#include "wharf-sso.h"

G_BEGIN_DECLS

static inline gboolean
wharf_sso_nonempty (const char *s)
{
  return s != NULL && *s != '\0';
}

/* Frees a string that may be a secret (a token, a client secret), wiping it first. */
static inline void
wharf_sso_wipe_free (char *s)
{
  if (s != NULL)
    {
      OPENSSL_cleanse (s, strlen (s));
      g_free (s);
    }
}

/* JSON members of the type asked for, else NULL / FALSE. @object nullable. */
const char *wharf_sso_member_string (JsonObject  *object,
                                     const char  *name);
gboolean    wharf_sso_member_int    (JsonObject  *object,
                                     const char  *name,
                                     gint64      *value);
/* @data as a JSON object (transfer full), or WHARF_AWS_ERROR_PROTOCOL. */
JsonObject *wharf_sso_parse_object  (const char  *data,
                                     gssize       len,
                                     GError     **error);

/* The token cache off the main thread: a GTaskThreadFunc that loads the path in the task
 * data, and a save of a copy of @token to @path. */
void        wharf_sso_token_load_thread (GTask               *task,
                                         gpointer             source,
                                         gpointer             task_data,
                                         GCancellable        *cancellable);
void        wharf_sso_token_save_async  (const WharfSsoToken *token,
                                         const char          *path,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);

/* POST @path_and_query with a JSON body (unsigned), or GET it with the bearer token, on the
 * one session of SSO-OIDC and the portal. The result is the answer object; @oauth receives
 * the OAuth "error" code of a refused OIDC call. */
void        wharf_sso_rest_call   (const char          *endpoint,
                                   const char          *method,
                                   const char          *path_and_query,
                                   JsonObject          *input,
                                   const char          *bearer_token,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
JsonObject *wharf_sso_rest_finish (GAsyncResult        *result,
                                   char               **oauth,
                                   GError             **error);
/* WHARF_AWS_ERROR_PROTOCOL for a 2xx answer without what @operation returns. */
GError     *wharf_sso_bad_answer  (const char          *operation);

G_END_DECLS
