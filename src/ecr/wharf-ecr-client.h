/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * WharfEcrClient: Amazon ECR's API with typed arguments and results, one _async/_finish
 * pair per operation, on top of WharfAwsClient (signing, retries, errors).
 *
 * Errors: the service's in WHARF_AWS_ERROR (with the AWS code and message), a malformed
 * response in WHARF_ECR_ERROR_INVALID_DATA, a bad argument in
 * WHARF_ECR_ERROR_INVALID_ARGUMENT (checked before anything is sent), cancellation as
 * G_IO_ERROR_CANCELLED.
 *
 * Policy texts (repository and lifecycle policies) are JSON documents by nature and are
 * passed as strings.
 *
 * The sections below match the files that implement them: wharf-ecr-client-repositories.c
 * (repositories, resource tags), -registry.c, -images.c, -scanning.c and -policies.c, on the
 * engine in wharf-ecr-client.c (wharf-ecr-client-private.h says how an operation is built).
 */
#pragma once

#include <gio/gio.h>

#include "wharf-authorization-token.h"
#include "wharf-aws-client.h"
#include "wharf-ecr-enums.h"
#include "wharf-ecr-records.h"
#include "wharf-ecr-listing.h"
#include "wharf-ecr-types.h"
#include "wharf-image.h"
#include "wharf-lifecycle-preview-result.h"
#include "wharf-repository.h"
#include "wharf-scan-finding.h"
#include "wharf-scan-result.h"
#include "wharf-scan-summary-loader.h"

G_BEGIN_DECLS

#define WHARF_ECR_SIGNING_NAME     "ecr"
#define WHARF_ECR_TARGET_PREFIX    "AmazonEC2ContainerRegistry_V20150921"
#define WHARF_ECR_ENDPOINT_PREFIX  "api.ecr"
/* The largest page ECR serves. */
#define WHARF_ECR_MAX_PAGE_SIZE    1000
/* The largest number of image ids per batch call. */
#define WHARF_ECR_MAX_BATCH_SIZE   100

#define WHARF_TYPE_ECR_CLIENT (wharf_ecr_client_get_type ())
G_DECLARE_FINAL_TYPE (WharfEcrClient, wharf_ecr_client, WHARF, ECR_CLIENT, GObject)

/* @region nullable (resolved as WharfAwsClient does); @provider nullable (default chain). */
WharfEcrClient *wharf_ecr_client_new                 (const char               *region,
                                                      WharfCredentialsProvider *provider);
WharfEcrClient *wharf_ecr_client_new_for_aws_client  (WharfAwsClient           *aws_client);
WharfAwsClient *wharf_ecr_client_get_aws_client      (WharfEcrClient           *self);
/* See wharf_aws_client_set_endpoint(). */
void            wharf_ecr_client_set_endpoint        (WharfEcrClient           *self,
                                                      const char               *url);
const char     *wharf_ecr_client_get_endpoint        (WharfEcrClient           *self);
const char     *wharf_ecr_client_get_region          (WharfEcrClient           *self);
/* Page size of the listings and "all pages" calls (1–1000, default 1000). */
void            wharf_ecr_client_set_page_size       (WharfEcrClient           *self,
                                                      guint                     page_size);
guint           wharf_ecr_client_get_page_size       (WharfEcrClient           *self);

/* ---- Repositories ---- */

void             wharf_ecr_client_create_repository_async  (WharfEcrClient               *self,
                                                            const WharfRepositoryOptions *options,
                                                            GCancellable                 *cancellable,
                                                            GAsyncReadyCallback           callback,
                                                            gpointer                      user_data);
WharfRepository *wharf_ecr_client_create_repository_finish (WharfEcrClient  *self,
                                                            GAsyncResult    *result,
                                                            GError         **error);

/* One page. @names: NULL for all repositories, else those (a missing one is an error).
 * @max_results: 0 for the client's page size. @next_token: nullable. */
void       wharf_ecr_client_describe_repositories_async  (WharfEcrClient      *self,
                                                          const char * const  *names,
                                                          guint                max_results,
                                                          const char          *next_token,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
/* Returns the repositories (GPtrArray of WharfRepository, transfer container + refs) and
 * the token of the next page (NULL on the last page). */
GPtrArray *wharf_ecr_client_describe_repositories_finish (WharfEcrClient  *self,
                                                          GAsyncResult    *result,
                                                          char           **next_token,
                                                          GError         **error);

/* Streams every repository into @store (nullable: a new GListStore of WharfRepository),
 * a page (the client's page size) at a time. Returns the listing (transfer full; it also
 * keeps itself alive until done). */
WharfEcrListing *wharf_ecr_client_list_repositories (WharfEcrClient *self,
                                                     GListStore     *store,
                                                     GCancellable   *cancellable);

/* @force: delete the images too. Returns the repository as it was. */
void             wharf_ecr_client_delete_repository_async  (WharfEcrClient      *self,
                                                            const char          *name,
                                                            gboolean             force,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
WharfRepository *wharf_ecr_client_delete_repository_finish (WharfEcrClient  *self,
                                                            GAsyncResult    *result,
                                                            GError         **error);

/* @exclusion_filters: NULL or empty unless @mutability is *_WITH_EXCLUSION. */
void     wharf_ecr_client_put_image_tag_mutability_async  (WharfEcrClient      *self,
                                                           const char          *repository,
                                                           WharfTagMutability   mutability,
                                                           const char * const  *exclusion_filters,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean wharf_ecr_client_put_image_tag_mutability_finish (WharfEcrClient  *self,
                                                           GAsyncResult    *result,
                                                           GError         **error);

void     wharf_ecr_client_put_image_scanning_configuration_async  (WharfEcrClient      *self,
                                                                   const char          *repository,
                                                                   gboolean             scan_on_push,
                                                                   GCancellable        *cancellable,
                                                                   GAsyncReadyCallback  callback,
                                                                   gpointer             user_data);
gboolean wharf_ecr_client_put_image_scanning_configuration_finish (WharfEcrClient  *self,
                                                                   GAsyncResult    *result,
                                                                   GError         **error);

/* ---- Resource tags (any ECR ARN) ---- */

/* @tags: GPtrArray of WharfResourceTag. */
void     wharf_ecr_client_tag_resource_async    (WharfEcrClient      *self,
                                                 const char          *resource_arn,
                                                 GPtrArray           *tags,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean wharf_ecr_client_tag_resource_finish   (WharfEcrClient  *self,
                                                 GAsyncResult    *result,
                                                 GError         **error);
void     wharf_ecr_client_untag_resource_async  (WharfEcrClient      *self,
                                                 const char          *resource_arn,
                                                 const char * const  *tag_keys,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean wharf_ecr_client_untag_resource_finish (WharfEcrClient  *self,
                                                 GAsyncResult    *result,
                                                 GError         **error);
void       wharf_ecr_client_list_tags_for_resource_async  (WharfEcrClient      *self,
                                                           const char          *resource_arn,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
/* GPtrArray of WharfResourceTag. */
GPtrArray *wharf_ecr_client_list_tags_for_resource_finish (WharfEcrClient  *self,
                                                           GAsyncResult    *result,
                                                           GError         **error);

/* ---- Registry ---- */

void               wharf_ecr_client_describe_registry_async  (WharfEcrClient      *self,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
WharfRegistryInfo *wharf_ecr_client_describe_registry_finish (WharfEcrClient  *self,
                                                              GAsyncResult    *result,
                                                              GError         **error);

void                     wharf_ecr_client_get_authorization_token_async  (WharfEcrClient      *self,
                                                                          GCancellable        *cancellable,
                                                                          GAsyncReadyCallback  callback,
                                                                          gpointer             user_data);
WharfAuthorizationToken *wharf_ecr_client_get_authorization_token_finish (WharfEcrClient  *self,
                                                                          GAsyncResult    *result,
                                                                          GError         **error);

/* ---- Images ---- */

/* @media_type, @tag, @digest nullable. Returns what the service stored (manifest included). */
void                wharf_ecr_client_put_image_async  (WharfEcrClient      *self,
                                                       const char          *repository,
                                                       const char          *manifest,
                                                       const char          *media_type,
                                                       const char          *tag,
                                                       const char          *digest,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
WharfImageManifest *wharf_ecr_client_put_image_finish (WharfEcrClient  *self,
                                                       GAsyncResult    *result,
                                                       GError         **error);

/* @image_ids: GPtrArray of WharfImageId (any number; 100 per request).
 * @accepted_media_types: nullable. */
void       wharf_ecr_client_batch_get_image_async  (WharfEcrClient      *self,
                                                    const char          *repository,
                                                    GPtrArray           *image_ids,
                                                    const char * const  *accepted_media_types,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
/* GPtrArray of WharfImageManifest; @failures (nullable out) a GPtrArray of WharfImageFailure. */
GPtrArray *wharf_ecr_client_batch_get_image_finish (WharfEcrClient  *self,
                                                    GAsyncResult    *result,
                                                    GPtrArray      **failures,
                                                    GError         **error);

/* Every page. Returns a GPtrArray of WharfImageId (one per tag, untagged images by digest
 * only, as ECR lists them). */
void       wharf_ecr_client_list_images_async  (WharfEcrClient      *self,
                                                const char          *repository,
                                                WharfTagStatus       tag_status,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GPtrArray *wharf_ecr_client_list_images_finish (WharfEcrClient  *self,
                                                GAsyncResult    *result,
                                                GError         **error);

/* One page of DescribeImages. @image_ids (GPtrArray of WharfImageId, at most 100) or
 * NULL for a listing filtered by @tag_status; @max_results 0 for the page size, ignored
 * with @image_ids. */
void       wharf_ecr_client_describe_images_async  (WharfEcrClient      *self,
                                                    const char          *repository,
                                                    WharfTagStatus       tag_status,
                                                    GPtrArray           *image_ids,
                                                    guint                max_results,
                                                    const char          *next_token,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
/* GPtrArray of WharfImage. */
GPtrArray *wharf_ecr_client_describe_images_finish (WharfEcrClient  *self,
                                                    GAsyncResult    *result,
                                                    char           **next_token,
                                                    GError         **error);

/* Streams the images of @repository (DescribeImages filtered by @tag_status) into @store
 * (nullable: a new GListStore of WharfImage), a page at a time. */
WharfEcrListing *wharf_ecr_client_list_images (WharfEcrClient *self,
                                               const char     *repository,
                                               WharfTagStatus  tag_status,
                                               GListStore     *store,
                                               GCancellable   *cancellable);

/* Any number of image ids, 100 per request. Images that do not exist come back as failures
 * ("ImageNotFound"), not as an error. */
void       wharf_ecr_client_describe_image_ids_async  (WharfEcrClient      *self,
                                                       const char          *repository,
                                                       GPtrArray           *image_ids,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
/* GPtrArray of WharfImage; @failures (nullable out) GPtrArray of WharfImageFailure. */
GPtrArray *wharf_ecr_client_describe_image_ids_finish (WharfEcrClient  *self,
                                                       GAsyncResult    *result,
                                                       GPtrArray      **failures,
                                                       GError         **error);

/* Any number of image ids, 100 per request. Per-image failures are in the result; an error
 * is returned only when a request failed as a whole (then the result of earlier chunks is
 * lost to the caller, but their images are gone: list again). */
void                    wharf_ecr_client_batch_delete_image_async  (WharfEcrClient      *self,
                                                                    const char          *repository,
                                                                    GPtrArray           *image_ids,
                                                                    GCancellable        *cancellable,
                                                                    GAsyncReadyCallback  callback,
                                                                    gpointer             user_data);
WharfBatchDeleteResult *wharf_ecr_client_batch_delete_image_finish (WharfEcrClient  *self,
                                                                    GAsyncResult    *result,
                                                                    GError         **error);

/* ---- Scanning ---- */

/* The registry's scanning configuration. */
void wharf_ecr_client_get_registry_scanning_configuration_async (WharfEcrClient      *self,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
WharfRegistryScanningConfiguration *
     wharf_ecr_client_get_registry_scanning_configuration_finish (WharfEcrClient  *self,
                                                                  GAsyncResult    *result,
                                                                  GError         **error);
/* Returns the configuration as the service stored it. */
void wharf_ecr_client_put_registry_scanning_configuration_async (WharfEcrClient                           *self,
                                                                 const WharfRegistryScanningConfiguration *configuration,
                                                                 GCancellable                             *cancellable,
                                                                 GAsyncReadyCallback                       callback,
                                                                 gpointer                                  user_data);
WharfRegistryScanningConfiguration *
     wharf_ecr_client_put_registry_scanning_configuration_finish (WharfEcrClient  *self,
                                                                  GAsyncResult    *result,
                                                                  GError         **error);
/* Any number of repositories (25 per request). Returns a GPtrArray of
 * WharfRepositoryScanningConfiguration: one per repository, failures included (with
 * failure_code set). */
void       wharf_ecr_client_batch_get_repository_scanning_configuration_async  (WharfEcrClient      *self,
                                                                                const char * const  *repositories,
                                                                                GCancellable        *cancellable,
                                                                                GAsyncReadyCallback  callback,
                                                                                gpointer             user_data);
GPtrArray *wharf_ecr_client_batch_get_repository_scanning_configuration_finish (WharfEcrClient  *self,
                                                                                GAsyncResult    *result,
                                                                                GError         **error);

void            wharf_ecr_client_start_image_scan_async  (WharfEcrClient      *self,
                                                          const char          *repository,
                                                          const WharfImageId  *image_id,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
WharfScanStatus wharf_ecr_client_start_image_scan_finish (WharfEcrClient  *self,
                                                          GAsyncResult    *result,
                                                          GError         **error);

/* @all_pages: TRUE fetches every page of findings; FALSE only the status and counts (one
 * small request, what the scan summary loader uses). */
void             wharf_ecr_client_describe_image_scan_findings_async  (WharfEcrClient      *self,
                                                                       const char          *repository,
                                                                       const WharfImageId  *image_id,
                                                                       gboolean             all_pages,
                                                                       GCancellable        *cancellable,
                                                                       GAsyncReadyCallback  callback,
                                                                       gpointer             user_data);
WharfScanResult *wharf_ecr_client_describe_image_scan_findings_finish (WharfEcrClient  *self,
                                                                       GAsyncResult    *result,
                                                                       GError         **error);

/* ---- Lifecycle policies ---- */

void     wharf_ecr_client_put_lifecycle_policy_async  (WharfEcrClient      *self,
                                                       const char          *repository,
                                                       const char          *policy_text,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean wharf_ecr_client_put_lifecycle_policy_finish (WharfEcrClient  *self,
                                                       GAsyncResult    *result,
                                                       GError         **error);
/* No policy: WHARF_AWS_ERROR_NOT_FOUND (LifecyclePolicyNotFoundException). */
void                  wharf_ecr_client_get_lifecycle_policy_async  (WharfEcrClient      *self,
                                                                    const char          *repository,
                                                                    GCancellable        *cancellable,
                                                                    GAsyncReadyCallback  callback,
                                                                    gpointer             user_data);
WharfLifecyclePolicy *wharf_ecr_client_get_lifecycle_policy_finish (WharfEcrClient  *self,
                                                                    GAsyncResult    *result,
                                                                    GError         **error);
void     wharf_ecr_client_delete_lifecycle_policy_async  (WharfEcrClient      *self,
                                                          const char          *repository,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean wharf_ecr_client_delete_lifecycle_policy_finish (WharfEcrClient  *self,
                                                          GAsyncResult    *result,
                                                          GError         **error);
/* @policy_text nullable: preview the repository's current policy. Returns the status. */
void     wharf_ecr_client_start_lifecycle_policy_preview_async  (WharfEcrClient      *self,
                                                                 const char          *repository,
                                                                 const char          *policy_text,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
WharfLifecyclePreviewStatus
         wharf_ecr_client_start_lifecycle_policy_preview_finish (WharfEcrClient  *self,
                                                                 GAsyncResult    *result,
                                                                 GError         **error);
/* Polls until the preview is COMPLETE (first after @poll_interval_ms, default 1000 when 0,
 * each further wait 1.5 times the last, at most 5 s; up to 5 minutes in all), then fetches
 * every page. FAILED/EXPIRED is WHARF_ECR_ERROR_FAILED.
 * Returns a GListModel of WharfLifecyclePreviewResult; @expiring_total (nullable out) the
 * summary's expiringImageTotalCount (-1 when absent). */
void        wharf_ecr_client_get_lifecycle_policy_preview_async  (WharfEcrClient      *self,
                                                                  const char          *repository,
                                                                  guint                poll_interval_ms,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
GListModel *wharf_ecr_client_get_lifecycle_policy_preview_finish (WharfEcrClient  *self,
                                                                  GAsyncResult    *result,
                                                                  int             *expiring_total,
                                                                  GError         **error);

/* ---- Repository policies ---- */

/* @force: allow a policy that would lock the caller out. */
void     wharf_ecr_client_set_repository_policy_async  (WharfEcrClient      *self,
                                                        const char          *repository,
                                                        const char          *policy_text,
                                                        gboolean             force,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean wharf_ecr_client_set_repository_policy_finish (WharfEcrClient  *self,
                                                        GAsyncResult    *result,
                                                        GError         **error);
/* No policy: WHARF_AWS_ERROR_NOT_FOUND (RepositoryPolicyNotFoundException). */
void     wharf_ecr_client_get_repository_policy_async  (WharfEcrClient      *self,
                                                        const char          *repository,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
char    *wharf_ecr_client_get_repository_policy_finish (WharfEcrClient  *self,
                                                        GAsyncResult    *result,
                                                        GError         **error);
void     wharf_ecr_client_delete_repository_policy_async  (WharfEcrClient      *self,
                                                           const char          *repository,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean wharf_ecr_client_delete_repository_policy_finish (WharfEcrClient  *self,
                                                           GAsyncResult    *result,
                                                           GError         **error);

G_END_DECLS
