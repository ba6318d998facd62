/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Shared by the files of the ECR operations (wharf-sandbox-ops*.c): the output and paging
 * helpers and the handlers that the table in wharf-sandbox-ops.c serves.
 */
#pragma once

#include "wharf-sandbox-input-private.h"

G_BEGIN_DECLS

#define MT_DOCKER_V1       "application/vnd.docker.distribution.manifest.v1+json"
#define MT_DOCKER_V1_JWS   "application/vnd.docker.distribution.manifest.v1+prettyjws"
#define MT_DOCKER_V2       "application/vnd.docker.distribution.manifest.v2+json"
#define MT_DOCKER_LIST     "application/vnd.docker.distribution.manifest.list.v2+json"
#define MT_OCI_MANIFEST    "application/vnd.oci.image.manifest.v1+json"
#define MT_OCI_INDEX       "application/vnd.oci.image.index.v1+json"

/* wharf-sandbox-output.c */
void        set_take_string        (JsonObject *o,
                                    const char *name,
                                    char       *value);
/* A timestamp member: seconds since the epoch as a number. */
JsonNode   *ts                     (gint64      usec);
JsonObject *image_id_json          (const char *digest,
                                    const char *tag);
/* registryId + repositoryName */
void        set_common             (JsonObject *out,
                                    SbCall     *call,
                                    SbRepo     *repo);
JsonArray  *tags_array             (GPtrArray  *tags);
/* Appends an ImageFailure. */
void        add_failure            (JsonArray  *failures,
                                    const char *digest,
                                    const char *tag,
                                    const char *code,
                                    const char *reason);
JsonObject *image_scan_status_json (const char *status);

/* wharf-sandbox-paging.c: opaque nextToken values bound to the request they continue */
char       *token_make             (SbCall     *call,
                                    const char *scope,
                                    guint64     a,
                                    guint64     b);
/* Reads maxResults/nextToken. @has_ids: the request names items, which excludes paging. */
gboolean    in_paging              (SbCall     *call,
                                    JsonObject *in,
                                    const char *scope,
                                    gint64      max,
                                    gboolean    has_ids,
                                    const char *ids_member,
                                    gint64     *page_size,
                                    gboolean   *has_token,
                                    guint64    *a,
                                    guint64    *b);
/* Index of the first image (repository) with seq >= @seq. */
guint       image_lower_bound      (SbRepo     *repo,
                                    guint64     seq);
guint       repo_lower_bound       (SbRegistry *registry,
                                    guint64     seq);

/* The handlers, by resource (SbOperationFunc) */

/* wharf-sandbox-ops-repositories.c */
JsonObject *op_create_repository                (SbCall *call, JsonObject *in);
JsonObject *op_describe_repositories            (SbCall *call, JsonObject *in);
JsonObject *op_delete_repository                (SbCall *call, JsonObject *in);
JsonObject *op_put_image_tag_mutability         (SbCall *call, JsonObject *in);
JsonObject *op_put_image_scanning_configuration (SbCall *call, JsonObject *in);
JsonObject *op_tag_resource                     (SbCall *call, JsonObject *in);
JsonObject *op_untag_resource                   (SbCall *call, JsonObject *in);
JsonObject *op_list_tags_for_resource           (SbCall *call, JsonObject *in);

/* wharf-sandbox-ops-registry.c */
JsonObject *op_describe_registry                (SbCall *call, JsonObject *in);
JsonObject *op_get_authorization_token          (SbCall *call, JsonObject *in);

/* wharf-sandbox-ops-images.c */
JsonObject *op_put_image                        (SbCall *call, JsonObject *in);
JsonObject *op_batch_get_image                  (SbCall *call, JsonObject *in);
JsonObject *op_list_images                      (SbCall *call, JsonObject *in);
JsonObject *op_describe_images                  (SbCall *call, JsonObject *in);
JsonObject *op_batch_delete_image               (SbCall *call, JsonObject *in);

/* wharf-sandbox-ops-scanning.c */
JsonObject *op_start_image_scan                 (SbCall *call, JsonObject *in);
JsonObject *op_describe_image_scan_findings     (SbCall *call, JsonObject *in);
JsonObject *op_get_registry_scanning_configuration (SbCall *call, JsonObject *in);
JsonObject *op_put_registry_scanning_configuration (SbCall *call, JsonObject *in);
JsonObject *op_batch_get_repository_scanning_configuration (SbCall *call, JsonObject *in);

/* wharf-sandbox-ops-policies.c */
JsonObject *op_set_repository_policy            (SbCall *call, JsonObject *in);
JsonObject *op_get_repository_policy            (SbCall *call, JsonObject *in);
JsonObject *op_delete_repository_policy         (SbCall *call, JsonObject *in);
JsonObject *op_put_lifecycle_policy             (SbCall *call, JsonObject *in);
JsonObject *op_get_lifecycle_policy             (SbCall *call, JsonObject *in);
JsonObject *op_delete_lifecycle_policy          (SbCall *call, JsonObject *in);
JsonObject *op_start_lifecycle_policy_preview   (SbCall *call, JsonObject *in);
JsonObject *op_get_lifecycle_policy_preview     (SbCall *call, JsonObject *in);

G_END_DECLS
