/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The sandbox's registry protocol (Docker Registry HTTP API V2 / OCI Distribution 1.1
 * under /v2/), its authentication, its upload sessions and the blob store it shares with
 * ECR's layer operations. Internal to src/sandbox/.
 */
#pragma once

#include <libsoup/soup.h>

#include "wharf-sandbox-blobs.h"
#include "wharf-sandbox-private.h"

G_BEGIN_DECLS

/* ECR's quotas (https://docs.aws.amazon.com/AmazonECR/latest/userguide/service-quotas.html). */
#define SB_MAX_LAYER_SIZE      ((guint64) 52000 * 1024 * 1024)  /* "Layer size" */
#define SB_MIN_LAYER_PART_SIZE ((guint64) 5 * 1024 * 1024)      /* "Layer part size", min */
#define SB_MAX_LAYER_PART_SIZE ((guint64) 10 * 1024 * 1024)     /* "Layer part size", max */
#define SB_MAX_LAYER_PARTS     4200                             /* "Layer parts" */
#define SB_MAX_MANIFEST_SIZE   ((gsize) 4 * 1024 * 1024)        /* PutImage imageManifest */
/* A registry password, like ECR's, is valid for 12 hours. */
#define SB_PASSWORD_LIFETIME   ((gint64) 12 * G_TIME_SPAN_HOUR)
/* A layer download URL, like an S3 pre-signed URL from GetDownloadUrlForLayer. */
#define SB_DOWNLOAD_URL_LIFETIME ((gint64) 60 * G_TIME_SPAN_MINUTE)
/* The path of those URLs: DOWNLOAD_PREFIX "<digest>?X-Amz-Expires=…&X-Amz-Signature=…". */
#define DOWNLOAD_PREFIX    "/layer-download/"

typedef struct _SbDist SbDist;

/* An upload in progress (a /v2/ upload session or an InitiateLayerUpload uploadId). */
typedef struct
{
  char         *uuid;
  char         *account;
  char         *region;
  char         *repository;
  SbBlobWriter *writer;
  gint64        started_at;
  guint         n_parts;      /* UploadLayerPart calls */
  guint64       last_part_size;
  gboolean      part_too_small; /* a part below the minimum was followed by another */
} SbUpload;

/* wharf-sandbox-registry.c: adds the /v2/ and layer-download handlers to @server. */
void        sb_dist_install              (WharfSandbox *self,
                                          SoupServer   *server);

/* wharf-sandbox-registry-auth.c: passwords and signed download URLs. */
typedef enum
{
  AUTH_OK,
  AUTH_MISSING,
  AUTH_INVALID,
  AUTH_EXPIRED,
} AuthResult;

/* Checks the Authorization header; fills the (account, region) the password names. */
AuthResult  sb_dist_check_password       (WharfSandbox       *self,
                                          SoupServerMessage  *msg,
                                          char              **account,
                                          char              **region);
/* The registry password GetAuthorizationToken issues for (@account, @region), valid until
 * @expires_at (µs, sandbox clock): opaque, verifiable only with @token_key. */
char       *sb_dist_issue_password       (const guint8 *token_key,
                                          const char   *account,
                                          const char   *region,
                                          gint64        expires_at);
/* TRUE when @signature signs (@digest, @expires) of a download URL not yet expired. */
gboolean    sb_dist_check_download_url   (WharfSandbox *self,
                                          const char   *digest,
                                          const char   *expires,
                                          const char   *signature);
/* A URL on the sandbox that serves @digest until @expires_at, like the pre-signed S3 URL
 * of GetDownloadUrlForLayer; NULL while the sandbox does not listen. */
char       *sb_dist_download_url         (WharfSandbox *self,
                                          const char   *digest,
                                          gint64        expires_at);

/* wharf-sandbox-registry-state.c */
SbDist     *sb_dist_new                  (const char   *state_path,
                                          GError      **error);
void        sb_dist_free                 (SbDist       *dist);
SbBlobs    *sb_dist_get_blobs            (SbDist       *dist);
/* Upload sessions shared with ECR's layer operations. Starting one drops the sessions
 * older than a day; G_IO_ERROR_TOO_MANY_OPEN_FILES when too many are still open. */
SbUpload   *sb_dist_start_upload         (SbDist       *dist,
                                          const char   *account,
                                          const char   *region,
                                          const char   *repository,
                                          gint64        now,
                                          GError      **error);
SbUpload   *sb_dist_lookup_upload        (SbDist       *dist,
                                          const char   *uuid,
                                          const char   *account,
                                          const char   *region,
                                          const char   *repository);
/* The upload @uuid whoever started it, or NULL. */
SbUpload   *sb_dist_find_upload          (SbDist       *dist,
                                          const char   *uuid);
void        sb_dist_drop_upload          (SbDist       *dist,
                                          const char   *uuid);
/* Records that @repository may read @digest (a finished upload or a mount). */
void        sb_dist_link_blob            (SbDist       *dist,
                                          const char   *account,
                                          const char   *region,
                                          const char   *repository,
                                          const char   *digest,
                                          gint64        now);
/* TRUE when the store holds @digest and @repo may read it (an image of @repo references
 * it, or it was uploaded or mounted into @repo). */
gboolean    sb_dist_repo_has_blob        (SbDist       *dist,
                                          SbRegistry   *registry,
                                          SbRepo       *repo,
                                          const char   *digest,
                                          guint64      *size);
/* The blob digests (config and layers) an image manifest names; empty for an index. */
GPtrArray  *sb_dist_manifest_blobs       (const char   *manifest);
/* NULL when every blob @manifest names is in @repo, else the first missing digest. */
char       *sb_dist_find_missing_blob    (SbDist       *dist,
                                          SbRegistry   *registry,
                                          SbRepo       *repo,
                                          const char   *manifest);
/* After a push: the blobs are now held by an image. */
void        sb_dist_image_pushed         (SbDist       *dist,
                                          SbRegistry   *registry,
                                          SbRepo       *repo,
                                          const char   *manifest);
/* Removes the blobs no image references any more (uploads in progress and blobs uploaded
 * within the last hour for a manifest still to come are kept). */
guint       sb_dist_collect_garbage      (WharfSandbox *self);

/* wharf-sandbox-layers.c: ECR's layer operations. */
JsonObject *sb_op_initiate_layer_upload  (SbCall       *call,
                                          JsonObject   *input);
JsonObject *sb_op_upload_layer_part      (SbCall       *call,
                                          JsonObject   *input);
JsonObject *sb_op_complete_layer_upload  (SbCall       *call,
                                          JsonObject   *input);
JsonObject *sb_op_batch_check_layer_availability (SbCall     *call,
                                                  JsonObject *input);
JsonObject *sb_op_get_download_url_for_layer     (SbCall     *call,
                                                  JsonObject *input);
/* PutImage: LayersNotFoundException when the manifest names a blob the repository lacks. */
gboolean    sb_layers_check_put_image    (SbCall       *call,
                                          SbRepo       *repo,
                                          const char   *manifest);

/* wharf-sandbox.c: what the registry needs of the sandbox. */
SbDist     *sb_sandbox_get_dist          (WharfSandbox *self);
SbRegistry *sb_sandbox_get_registry      (WharfSandbox *self,
                                          const char   *account,
                                          const char   *region);
GHashTable *sb_sandbox_get_registries    (WharfSandbox *self);
void        sb_sandbox_changed           (WharfSandbox *self);
const guint8 *sb_sandbox_get_token_key   (WharfSandbox *self);

G_END_DECLS
