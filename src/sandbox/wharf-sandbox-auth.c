/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The in-memory state of the sign-in services (STS in wharf-sandbox-sts.c, SSO-OIDC and the
 * SSO portal in wharf-sandbox-sso.c): roles, temporary sessions, registered clients, device
 * sign-ins, tokens and assignments, kept on the sandbox object.
 */
#define G_LOG_DOMAIN "wharf-sandbox-auth"

#include "config.h"

#include <string.h>

#include "wharf-sandbox-auth-private.h"

#define AUTH_KEY "wharf-sandbox-auth"

void
sb_wipe (char *s)
{
  if (s)
    {
      memset (s, 0, strlen (s));
      g_free (s);
    }
}

static void
session_free (SbSession *s)
{
  g_free (s->access_key_id);
  sb_wipe (s->secret_access_key);
  sb_wipe (s->session_token);
  g_free (s->account_id);
  g_free (s->arn);
  g_free (s->user_id);
  g_free (s);
}

static void
role_free (SbRole *r)
{
  g_free (r->role_arn);
  g_free (r->external_id);
  g_free (r->mfa_serial);
  sb_wipe (r->mfa_code);
  g_free (r);
}

static void
client_free (SbClient *c)
{
  g_free (c->client_id);
  sb_wipe (c->client_secret);
  g_free (c);
}

static void
device_free (SbDevice *d)
{
  sb_wipe (d->device_code);
  g_free (d->user_code);
  g_free (d->client_id);
  g_free (d);
}

static void
token_free (SbToken *t)
{
  sb_wipe (t->access_token);
  g_free (t->client_id);
  g_free (t);
}

static void
assignment_free (SbAssignment *a)
{
  g_free (a->account_id);
  g_free (a->account_name);
  g_free (a->email);
  g_free (a->role_name);
  g_free (a);
}

static void
sso_state_init (SbAuth *auth)
{
  auth->clients = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) client_free);
  auth->devices = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) device_free);
  auth->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                        (GDestroyNotify) token_free);
  auth->refresh = g_hash_table_new_full (g_str_hash, g_str_equal, (GDestroyNotify) sb_wipe,
                                         g_free);
  auth->assignments = g_ptr_array_new_with_free_func ((GDestroyNotify) assignment_free);
}

static void
auth_free (SbAuth *auth)
{
  g_hash_table_unref (auth->roles);
  g_hash_table_unref (auth->sessions);
  g_hash_table_unref (auth->clients);
  g_hash_table_unref (auth->devices);
  g_hash_table_unref (auth->tokens);
  g_hash_table_unref (auth->refresh);
  g_ptr_array_unref (auth->assignments);
  g_free (auth->last_user_code);
  g_free (auth);
}

SbAuth *
sb_auth_get (WharfSandbox *self)
{
  SbAuth *auth = g_object_get_data (G_OBJECT (self), AUTH_KEY);

  if (!auth)
    {
      auth = g_new0 (SbAuth, 1);
      auth->roles = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify) role_free);
      auth->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                              (GDestroyNotify) session_free);
      sso_state_init (auth);
      g_object_set_data_full (G_OBJECT (self), AUTH_KEY, auth, (GDestroyNotify) auth_free);
    }
  return auth;
}

char *
sb_auth_random (guint    len,
                gboolean upper)
{
  static const char upper_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  static const char mixed_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const char *alphabet = upper ? upper_alphabet : mixed_alphabet;
  int n = (int) strlen (alphabet);
  char *s = g_new (char, len + 1);

  for (guint i = 0; i < len; i++)
    s[i] = alphabet[g_random_int_range (0, n)];
  s[len] = '\0';
  return s;
}

char *
sb_auth_format_time (gint64 usec)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ");
}

SbSession *
sb_auth_new_session (WharfSandbox *self,
                     const char   *account_id,
                     const char   *arn,
                     const char   *user_id,
                     guint         seconds)
{
  SbAuth *auth = sb_auth_get (self);
  SbSession *s = g_new0 (SbSession, 1);
  g_autofree char *key_tail = sb_auth_random (16, TRUE);
  g_autofree char *token_tail = sb_auth_random (300, FALSE);

  if (auth->max_session > 0 && seconds > auth->max_session)
    seconds = auth->max_session;
  s->access_key_id = g_strconcat ("ASIA", key_tail, NULL);
  s->secret_access_key = sb_auth_random (40, FALSE);
  s->session_token = g_strconcat ("IQoJb3JpZ2luX2VjE", token_tail, NULL);
  s->account_id = g_strdup (account_id);
  s->arn = g_strdup (arn);
  s->user_id = g_strdup (user_id);
  s->expires = wharf_sandbox_get_now (self) + (gint64) seconds * G_USEC_PER_SEC;
  g_hash_table_replace (auth->sessions, s->access_key_id, s);
  return s;
}
