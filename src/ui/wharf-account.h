/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * An AWS account as Wharf shows it: where its credentials come from and the non-secret
 * details that are remembered in GSettings. Secrets never live here: typed keys are in the
 * keyring, everything else is read by the AWS CLI's chain when a request needs it.
 */
#pragma once

#include <glib-object.h>

#include "wharf-sso.h"

G_BEGIN_DECLS

/**
 * WharfAccountSource:
 * @WHARF_ACCOUNT_SOURCE_ENVIRONMENT: the process environment (AWS_ACCESS_KEY_ID… or
 *   AWS_PROFILE), as the AWS CLI would use it; never saved
 * @WHARF_ACCOUNT_SOURCE_PROFILE: a profile of ~/.aws/config or ~/.aws/credentials
 * @WHARF_ACCOUNT_SOURCE_KEYS: an access key the person typed; the secret is in the keyring
 * @WHARF_ACCOUNT_SOURCE_PRACTICE: practice mode, the local sandbox (see wharf-practice.h);
 *   never saved
 * @WHARF_ACCOUNT_SOURCE_SSO: an account and role of IAM Identity Center chosen in Wharf
 *   (start URL, SSO region, account id, role name); the token is in the AWS CLI's cache
 */
typedef enum
{
  WHARF_ACCOUNT_SOURCE_ENVIRONMENT,
  WHARF_ACCOUNT_SOURCE_PROFILE,
  WHARF_ACCOUNT_SOURCE_KEYS,
  WHARF_ACCOUNT_SOURCE_PRACTICE,
  WHARF_ACCOUNT_SOURCE_SSO,
} WharfAccountSource;

#define WHARF_TYPE_ACCOUNT (wharf_account_get_type ())

G_DECLARE_FINAL_TYPE (WharfAccount, wharf_account, WHARF, ACCOUNT, GObject)

WharfAccount       *wharf_account_new                (const char         *id,
                                                      WharfAccountSource  source,
                                                      const char         *label);
/* Reads one entry of the "accounts" setting (a{sv}); NULL when it is unusable. */
WharfAccount       *wharf_account_new_from_variant   (GVariant           *dict);
/* An a{sv} for the "accounts" setting: no secret in it. */
GVariant           *wharf_account_to_variant         (WharfAccount       *self);

const char         *wharf_account_get_id             (WharfAccount       *self);
WharfAccountSource  wharf_account_get_source         (WharfAccount       *self);
const char         *wharf_account_get_label          (WharfAccount       *self);
void                wharf_account_set_label          (WharfAccount       *self,
                                                      const char         *label);
/* The profile name (PROFILE, or ENVIRONMENT through AWS_PROFILE); nullable. */
const char         *wharf_account_get_profile        (WharfAccount       *self);
void                wharf_account_set_profile        (WharfAccount       *self,
                                                      const char         *profile);
/* The access key id (KEYS, or ENVIRONMENT with keys): not a secret, shown to tell keys
 * apart; nullable. */
const char         *wharf_account_get_access_key_id  (WharfAccount       *self);
void                wharf_account_set_access_key_id  (WharfAccount       *self,
                                                      const char         *access_key_id);
/* The region Wharf opens this account in; nullable. */
const char         *wharf_account_get_region         (WharfAccount       *self);
void                wharf_account_set_region         (WharfAccount       *self,
                                                      const char         *region);
/* The 12-digit account id ECR answered with when the account was verified; nullable. */
const char         *wharf_account_get_account_id     (WharfAccount       *self);
void                wharf_account_set_account_id     (WharfAccount       *self,
                                                      const char         *account_id);
/* IAM Identity Center (SSO accounts); all nullable. The sso-session name is set when the
 * start URL was chosen from ~/.aws/config, so that Wharf shares that session's token. */
const char         *wharf_account_get_sso_start_url  (WharfAccount       *self);
void                wharf_account_set_sso_start_url  (WharfAccount       *self,
                                                      const char         *start_url);
const char         *wharf_account_get_sso_region     (WharfAccount       *self);
void                wharf_account_set_sso_region     (WharfAccount       *self,
                                                      const char         *sso_region);
const char         *wharf_account_get_sso_session    (WharfAccount       *self);
void                wharf_account_set_sso_session    (WharfAccount       *self,
                                                      const char         *sso_session);
const char         *wharf_account_get_account_name   (WharfAccount       *self);
void                wharf_account_set_account_name   (WharfAccount       *self,
                                                      const char         *account_name);
const char         *wharf_account_get_role_name      (WharfAccount       *self);
void                wharf_account_set_role_name      (WharfAccount       *self,
                                                      const char         *role_name);
/* The IAM Identity Center settings of an SSO account (account and role included); NULL for
 * other sources or when incomplete. */
WharfSsoSettings   *wharf_account_dup_sso_settings   (WharfAccount       *self);
/* "AKIA…1234": enough of a key id to recognise it. */
char               *wharf_account_abbreviate_key_id  (const char         *access_key_id);
/* A line that says where the credentials come from, for subtitles. */
char               *wharf_account_dup_description    (WharfAccount       *self);

G_END_DECLS
