/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One request of the registry protocol being served, and what the files that serve its
 * parts share: routes, answers in the registry's format. Internal to the registry's files
 * (wharf-sandbox-registry*.c).
 */
#pragma once

#include "wharf-sandbox-registry-private.h"

G_BEGIN_DECLS

#define MT_DOCKER_V2       "application/vnd.docker.distribution.manifest.v2+json"
#define MT_DOCKER_LIST     "application/vnd.docker.distribution.manifest.list.v2+json"
#define MT_OCI_MANIFEST    "application/vnd.oci.image.manifest.v1+json"
#define MT_OCI_INDEX       "application/vnd.oci.image.index.v1+json"

#define API_VERSION_HEADER "Docker-Distribution-API-Version"
#define API_VERSION        "registry/2.0"

typedef enum
{
  ROUTE_BASE,
  ROUTE_BLOB,
  ROUTE_UPLOAD,
  ROUTE_MANIFEST,
  ROUTE_TAGS,
  ROUTE_REFERRERS,
} RouteKind;

typedef struct
{
  RouteKind kind;
  char     *name;
  char     *arg;    /* digest, uuid (maybe ""), reference; NULL for BASE and TAGS */
} Route;

/* One registry request being served: authenticated, its repository found. */
typedef struct
{
  WharfSandbox      *self;
  SbDist            *dist;
  SoupServerMessage *msg;
  GHashTable        *query;
  Route              route;
  SbRegistry        *registry;
  SbRepo            *repo;
  gint64             now;
  /* The request body (never accumulated by libsoup), at most SB_MAX_MANIFEST_SIZE bytes;
   * longer bodies are cut and flagged. Empty for uploads, which stream to disk. */
  GBytes            *body;
  gboolean           body_too_large;
} Request;

/* wharf-sandbox-registry-responses.c */
void        sb_reg_set_header            (SoupServerMessage *msg,
                                          const char        *name,
                                          const char        *value);
void        sb_reg_respond_bytes         (SoupServerMessage *msg,
                                          guint              status,
                                          const char        *content_type,
                                          const char        *body,
                                          gsize              len);
void        sb_reg_respond_json          (SoupServerMessage *msg,
                                          guint              status,
                                          JsonNode          *root);
/* The registry's error body: {"errors":[{"code":…,"message":…,"detail":…}]}. */
void        sb_reg_respond_error_detail  (SoupServerMessage *msg,
                                          guint              status,
                                          const char        *code,
                                          JsonNode          *detail,   /* taken, nullable */
                                          const char        *format,
                                          ...) G_GNUC_PRINTF (5, 6);
#define sb_reg_respond_error(msg, status, code, ...) \
  sb_reg_respond_error_detail (msg, status, code, NULL, __VA_ARGS__)
/* {"digest": @digest}, the detail of a digest error. */
JsonNode   *sb_reg_digest_detail         (const char        *digest);
const char *sb_reg_query_get             (Request           *r,
                                          const char        *name);
/* "/v2/<name>/<kind>/<arg>" of the request's repository. */
char       *sb_reg_repo_path             (Request           *r,
                                          const char        *kind,
                                          const char        *arg);
/* Streams the file at @path as the response body, never accumulated. */
gboolean    sb_reg_stream_file           (SoupServerMessage *msg,
                                          const char        *path,
                                          guint64            size);
/* The string member @name of @o, or NULL when absent or not a string. */
const char *sb_reg_json_string           (JsonObject        *o,
                                          const char        *name);

/* wharf-sandbox-registry-uploads.c */
/* From the early handler: prepares an upload request (POST, PATCH, PUT) of an
 * authenticated (@account, @region) to stream its body to disk as it arrives. */
void        sb_reg_upload_prepare        (SbDist            *dist,
                                          SoupServerMessage *msg,
                                          const Route       *route,
                                          GHashTable        *query,
                                          const char        *account,
                                          const char        *region);
void        sb_reg_serve_upload          (Request           *r);

/* wharf-sandbox-registry-downloads.c */
void        sb_reg_serve_blob            (Request           *r);
/* The handler of GetDownloadUrlForLayer's URLs. */
void        sb_reg_serve_download        (SoupServer        *server,
                                          SoupServerMessage *msg,
                                          const char        *path,
                                          GHashTable        *query,
                                          gpointer           user_data);

/* wharf-sandbox-registry-manifests.c */
void        sb_reg_serve_manifest_get    (Request           *r);
void        sb_reg_serve_manifest_put    (Request           *r);
void        sb_reg_serve_manifest_delete (Request           *r);
void        sb_reg_serve_tags            (Request           *r);

/* wharf-sandbox-registry-referrers.c */
void        sb_reg_serve_referrers       (Request           *r);

G_END_DECLS
