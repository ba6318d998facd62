/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * AWS STS over the Query protocol (form-encoded POST, XML answers): AssumeRole and
 * GetCallerIdentity, signed with SigV4 (service "sts"). Errors are in WHARF_AWS_ERROR with
 * the AWS code kept (wharf_aws_error_get_aws_code()).
 */
#pragma once

#include <gio/gio.h>

#include "wharf-aws-client.h"
#include "wharf-aws-config.h"
#include "wharf-credentials.h"

G_BEGIN_DECLS

#define WHARF_STS_API_VERSION "2011-06-15"
/* AssumeRole's own default and limits for DurationSeconds. */
#define WHARF_STS_DEFAULT_DURATION 3600
#define WHARF_STS_MIN_DURATION     900
#define WHARF_STS_MAX_DURATION     43200

/*
 * The STS endpoint for @region: AWS_ENDPOINT_URL_STS > AWS_ENDPOINT_URL > the profile's
 * [services] sts endpoint_url > the profile's endpoint_url, else the regional endpoint
 * sts.<region>.<partition suffix>, or the global https://sts.amazonaws.com when @region is
 * NULL or when the profile sets `sts_regional_endpoints = legacy` for one of the regions
 * that the legacy global endpoint served. @config and @profile are nullable.
 * *@signing_region receives the region to sign with (us-east-1 for the global endpoint).
 */
char *wharf_sts_resolve_endpoint (WharfAwsConfig  *config,
                                  const char      *profile,
                                  const char      *region,
                                  char           **signing_region,
                                  GError         **error);

typedef struct
{
  const char *role_arn;           /* required */
  const char *role_session_name;  /* required */
  int         duration_seconds;   /* 0: STS's default (1 hour) */
  const char *external_id;        /* nullable */
  const char *serial_number;      /* nullable: the MFA device */
  const char *token_code;         /* nullable: the MFA code */
} WharfStsAssumeRoleParams;

/* A default RoleSessionName: "wharf-<seconds since the epoch>". */
char *wharf_sts_default_session_name (void);

/* Calls AssumeRole at @endpoint signed with @source; the result's source label is
 * @source_label (nullable). */
void              wharf_sts_assume_role_async  (const char                     *endpoint,
                                                const char                     *signing_region,
                                                WharfCredentials               *source,
                                                const WharfStsAssumeRoleParams *params,
                                                const char                     *source_label,
                                                GCancellable                   *cancellable,
                                                GAsyncReadyCallback             callback,
                                                gpointer                        user_data);
WharfCredentials *wharf_sts_assume_role_finish (GAsyncResult                   *result,
                                                GError                        **error);

/* Who the credentials belong to. Boxed. */
typedef struct
{
  char *account;
  char *arn;
  char *user_id;
} WharfCallerIdentity;

#define WHARF_TYPE_CALLER_IDENTITY (wharf_caller_identity_get_type ())
GType                wharf_caller_identity_get_type (void) G_GNUC_CONST;
WharfCallerIdentity *wharf_caller_identity_copy     (const WharfCallerIdentity *self);
void                 wharf_caller_identity_free     (WharfCallerIdentity       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WharfCallerIdentity, wharf_caller_identity_free)

void                 wharf_sts_get_caller_identity_async  (const char           *endpoint,
                                                           const char           *signing_region,
                                                           WharfCredentials     *credentials,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
WharfCallerIdentity *wharf_sts_get_caller_identity_finish (GAsyncResult         *result,
                                                           GError              **error);

/*
 * For the UI: who is @provider signed in as? Gets the credentials, resolves the STS
 * endpoint for @region (nullable: global) from the environment, or uses @endpoint when not
 * NULL, and calls GetCallerIdentity.
 */
void                 wharf_caller_identity_lookup_async   (WharfCredentialsProvider *provider,
                                                           const char           *region,
                                                           const char           *endpoint,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
WharfCallerIdentity *wharf_caller_identity_lookup_finish  (GAsyncResult         *result,
                                                           GError              **error);

/*
 * As wharf_caller_identity_lookup_async(), for the account and region of @client: signs
 * with its credentials provider, and resolves the STS endpoint the way @client resolves its
 * own, from its region and profile (AWS_ENDPOINT_URL_STS > AWS_ENDPOINT_URL > the profile's
 * [services] sts endpoint_url > …, see wharf_sts_resolve_endpoint(); the AWS config files
 * are read off the main thread), unless @endpoint is given (nullable; practice mode's
 * sandbox). The credentials provider's errors come back as they are.
 */
void                 wharf_caller_identity_lookup_for_client_async  (WharfAwsClient       *client,
                                                                     const char           *endpoint,
                                                                     GCancellable         *cancellable,
                                                                     GAsyncReadyCallback   callback,
                                                                     gpointer              user_data);
WharfCallerIdentity *wharf_caller_identity_lookup_for_client_finish (GAsyncResult         *result,
                                                                     GError              **error);

/* The XML parsers (exposed for tests). A Query-protocol ErrorResponse, or anything that is
 * not the expected answer, is an error in WHARF_AWS_ERROR. */
WharfCredentials    *wharf_sts_parse_assume_role_response        (const char  *xml,
                                                                  gssize       len,
                                                                  GError     **error);
WharfCallerIdentity *wharf_sts_parse_caller_identity_response    (const char  *xml,
                                                                  gssize       len,
                                                                  GError     **error);
/* Builds the error for a non-2xx Query-protocol response. Never NULL. */
GError              *wharf_sts_error_from_response               (guint        http_status,
                                                                  const char  *xml,
                                                                  gsize        len);

G_END_DECLS
