/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * State shared by wharf-sandbox-sts.c and wharf-sandbox-sso.c, kept by wharf-sandbox-auth.c
 * on the sandbox object (in memory only: sessions and tokens do not survive a restart, as on AWS they would not
 * survive their short lifetimes either).
 */
#pragma once

#include "wharf-sandbox-auth.h"
#include "wharf-sandbox-private.h"

G_BEGIN_DECLS

typedef struct
{
  char   *access_key_id;
  char   *secret_access_key;
  char   *session_token;
  char   *account_id;
  char   *arn;
  char   *user_id;
  gint64  expires;          /* sandbox clock, µs */
} SbSession;

typedef struct
{
  char *role_arn;
  char *external_id;
  char *mfa_serial;
  char *mfa_code;
} SbRole;

typedef struct
{
  char   *client_id;
  char   *client_secret;
  gint64  expires;          /* sandbox clock, µs */
} SbClient;

typedef struct
{
  char     *device_code;
  char     *user_code;
  char     *client_id;
  gboolean  approved;
  gint64    expires;
} SbDevice;

typedef struct
{
  char   *access_token;
  char   *client_id;        /* nullable */
  gint64  expires;
} SbToken;

typedef struct
{
  char *account_id;
  char *account_name;
  char *email;
  char *role_name;
} SbAssignment;

typedef struct
{
  GHashTable *roles;        /* role ARN → SbRole */
  GHashTable *sessions;     /* access key id → SbSession */
  guint       max_session;  /* seconds, 0 = no cap */
  GHashTable *clients;      /* client id → SbClient */
  GHashTable *devices;      /* device code → SbDevice */
  GHashTable *tokens;       /* access token → SbToken */
  GHashTable *refresh;      /* refresh token → client id (g_strdup'd) */
  GPtrArray  *assignments;  /* SbAssignment, in the order added */
  gboolean    slow_down;
  char       *last_user_code;
} SbAuth;

/* wharf-sandbox-auth.c */
SbAuth     *sb_auth_get             (WharfSandbox *self);
/* Random text of @len characters from an alphabet of letters and digits (uppercase only
 * with @upper). */
char       *sb_auth_random          (guint         len,
                                     gboolean      upper);
/* A new temporary key pair valid for @seconds (capped by max_session). */
SbSession  *sb_auth_new_session     (WharfSandbox *self,
                                     const char   *account_id,
                                     const char   *arn,
                                     const char   *user_id,
                                     guint         seconds);
/* "2026-11-27T10:00:00Z" of a sandbox-clock time. */
char       *sb_auth_format_time     (gint64        usec);

/* wharf-sandbox-sso.c */
gboolean    sb_sso_dispatch         (WharfSandbox            *self,
                                     const WharfSigv4Request *req,
                                     const char              *request_id,
                                     SbAuthReply             *reply);

G_END_DECLS
