/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The AWS CLI's shared files (~/.aws/config and ~/.aws/credentials): profiles, sso-session
 * and services sections, nested settings. Read only: Wharf never writes them.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define WHARF_AWS_CONFIG_ERROR (wharf_aws_config_error_quark ())

/**
 * WharfAwsConfigError:
 * @WHARF_AWS_CONFIG_ERROR_READ: a file exists but cannot be read
 * @WHARF_AWS_CONFIG_ERROR_PARSE: a line is not valid (the message names file and line)
 */
typedef enum
{
  WHARF_AWS_CONFIG_ERROR_READ,
  WHARF_AWS_CONFIG_ERROR_PARSE,
} WharfAwsConfigError;

GQuark wharf_aws_config_error_quark (void);

/**
 * WharfAwsProfileKind:
 * @WHARF_AWS_PROFILE_KIND_NONE: no credentials (settings only)
 * @WHARF_AWS_PROFILE_KIND_STATIC_KEYS: aws_access_key_id and aws_secret_access_key
 * @WHARF_AWS_PROFILE_KIND_CREDENTIAL_PROCESS: credential_process
 * @WHARF_AWS_PROFILE_KIND_SSO: IAM Identity Center (sso_session, sso_start_url, …)
 * @WHARF_AWS_PROFILE_KIND_ASSUME_ROLE: role_arn with source_profile or credential_source
 * @WHARF_AWS_PROFILE_KIND_WEB_IDENTITY: role_arn with web_identity_token_file
 *
 * The kind is the source the AWS CLI would use, in its order: role assumption, web
 * identity, SSO, keys in the credentials file, credential_process, keys in the config file.
 */
typedef enum
{
  WHARF_AWS_PROFILE_KIND_NONE,
  WHARF_AWS_PROFILE_KIND_STATIC_KEYS,
  WHARF_AWS_PROFILE_KIND_CREDENTIAL_PROCESS,
  WHARF_AWS_PROFILE_KIND_SSO,
  WHARF_AWS_PROFILE_KIND_ASSUME_ROLE,
  WHARF_AWS_PROFILE_KIND_WEB_IDENTITY,
} WharfAwsProfileKind;

#define WHARF_TYPE_AWS_PROFILE_KIND (wharf_aws_profile_kind_get_type ())
GType wharf_aws_profile_kind_get_type (void) G_GNUC_CONST;

/* One profile as the UI lists it; properties: name, region, kind, usable, unusable-reason. */
#define WHARF_TYPE_AWS_PROFILE (wharf_aws_profile_get_type ())
G_DECLARE_FINAL_TYPE (WharfAwsProfile, wharf_aws_profile, WHARF, AWS_PROFILE, GObject)

const char          *wharf_aws_profile_get_name            (WharfAwsProfile *self);
/* nullable */
const char          *wharf_aws_profile_get_region          (WharfAwsProfile *self);
WharfAwsProfileKind  wharf_aws_profile_get_kind            (WharfAwsProfile *self);
gboolean             wharf_aws_profile_get_usable          (WharfAwsProfile *self);
/* Translated, e.g. "uses IAM Identity Center (SSO), which Wharf does not support yet";
 * NULL when usable. */
const char          *wharf_aws_profile_get_unusable_reason (WharfAwsProfile *self);

#define WHARF_TYPE_AWS_CONFIG (wharf_aws_config_get_type ())
G_DECLARE_FINAL_TYPE (WharfAwsConfig, wharf_aws_config, WHARF, AWS_CONFIG, GObject)

typedef enum
{
  WHARF_AWS_CONFIG_FILE_CONFIG,       /* [default], [profile x], [sso-session x], [services x] */
  WHARF_AWS_CONFIG_FILE_CREDENTIALS,  /* [x] */
} WharfAwsConfigFileKind;

/* An empty configuration; add files with wharf_aws_config_load_file(). */
WharfAwsConfig  *wharf_aws_config_new                   (void);
/* A missing file is not an error (nothing is added). Safe to call from a thread on a
 * config nobody else uses yet. Files loaded later win over earlier ones per key, and the
 * credentials file always wins over the config file. */
gboolean         wharf_aws_config_load_file             (WharfAwsConfig          *self,
                                                         const char              *path,
                                                         WharfAwsConfigFileKind   kind,
                                                         GError                 **error);
gboolean         wharf_aws_config_load_data             (WharfAwsConfig          *self,
                                                         const char              *data,
                                                         gssize                   len,
                                                         WharfAwsConfigFileKind   kind,
                                                         const char              *origin,
                                                         GError                 **error);

/* $AWS_CONFIG_FILE or ~/.aws/config; $AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials
 * ("~" expanded with g_get_home_dir()). */
char            *wharf_aws_config_get_config_file_path      (void);
char            *wharf_aws_config_get_credentials_file_path (void);

/* Both default files. Blocking but small: fine in a thread; use the _async pair on the
 * main thread. */
WharfAwsConfig  *wharf_aws_config_load_default          (GError                 **error);
void             wharf_aws_config_load_default_async    (GCancellable            *cancellable,
                                                         GAsyncReadyCallback      callback,
                                                         gpointer                 user_data);
WharfAwsConfig  *wharf_aws_config_load_default_finish   (GAsyncResult            *result,
                                                         GError                 **error);

/* AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default". */
const char      *wharf_aws_config_get_default_profile_name (void);

/* Profile names in the order they first appear ("default" first); transfer container. */
GPtrArray       *wharf_aws_config_get_profile_names     (WharfAwsConfig          *self);
gboolean         wharf_aws_config_has_profile           (WharfAwsConfig          *self,
                                                         const char              *profile);
/* A GListModel of WharfAwsProfile, for the account chooser; transfer full. */
GListModel      *wharf_aws_config_list_profiles         (WharfAwsConfig          *self);
/* transfer full, nullable when there is no such profile */
WharfAwsProfile *wharf_aws_config_get_profile           (WharfAwsConfig          *self,
                                                         const char              *profile);
WharfAwsProfileKind wharf_aws_config_get_profile_kind   (WharfAwsConfig          *self,
                                                         const char              *profile);

/*
 * Any setting of a profile, credentials file first; @key is case-insensitive, and
 * "s3.max_concurrent_requests" reaches an indented sub-setting. NULL when unset.
 */
const char      *wharf_aws_config_get                   (WharfAwsConfig          *self,
                                                         const char              *profile,
                                                         const char              *key);
/* As _get(), but only from the credentials file or only from the config file. */
const char      *wharf_aws_config_get_from              (WharfAwsConfig          *self,
                                                         WharfAwsConfigFileKind   kind,
                                                         const char              *profile,
                                                         const char              *key);
/* The profile's `services = name` → [services name] → `@service =` → @key, e.g.
 * ("work", "ecr", "endpoint_url"). */
const char      *wharf_aws_config_get_service_setting   (WharfAwsConfig          *self,
                                                         const char              *profile,
                                                         const char              *service,
                                                         const char              *key);
/* The names of the [sso-session NAME] sections in the order they first appear (each once,
 * whether or not a profile uses it); transfer full (the array frees its strings). */
GPtrArray       *wharf_aws_config_get_sso_session_names (WharfAwsConfig          *self);
/* A setting of [sso-session @session]. */
const char      *wharf_aws_config_get_sso_session_setting (WharfAwsConfig        *self,
                                                           const char            *session,
                                                           const char            *key);

/* AWS_REGION > AWS_DEFAULT_REGION > the profile's region (@self and @profile nullable;
 * @profile NULL = the default profile name). NULL when none is set. */
char            *wharf_aws_config_resolve_region        (WharfAwsConfig          *self,
                                                         const char              *profile);

G_END_DECLS
