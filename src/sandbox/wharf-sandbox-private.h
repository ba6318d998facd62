/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The sandbox's registry model and its operation handlers, shared by the files of
 * src/sandbox/ (not installed, not for the other layers).
 */
#pragma once

#include <json-glib/json-glib.h>

#include "wharf-sandbox.h"
#include "wharf-sigv4.h"

G_BEGIN_DECLS

#define SB_USEC_PER_DAY ((gint64) 24 * 3600 * G_USEC_PER_SEC)
/* How long a basic scan stays IN_PROGRESS on the sandbox clock. */
#define SB_SCAN_DURATION ((gint64) 3 * G_USEC_PER_SEC)

typedef struct
{
  guint64    seq;
  char      *digest;
  char      *manifest;            /* exactly as pushed */
  char      *media_type;
  char      *artifact_media_type; /* nullable */
  GPtrArray *tags;                /* char *, in the order they were attached */
  gint64     pushed_at;           /* µs since the epoch, sandbox clock */
  gint64     last_pull;           /* 0 = never */
  guint64    size;
  GPtrArray *children;            /* char * digests of an index's manifests, else NULL */
  guint      n_parents;           /* indexes in the repository that reference this image */
  gint64     scan_started;        /* 0 = never scanned */
} SbImage;

typedef struct
{
  char  *digest;
  int    priority;
} SbPreviewResult;

typedef struct
{
  guint64     seq;
  char       *name;
  gint64      created_at;
  char       *tag_mutability;
  GPtrArray  *mutability_filters; /* char * wildcard filters */
  gboolean    scan_on_push;
  char       *encryption_type;
  char       *kms_key;            /* nullable */
  GPtrArray  *tag_keys;           /* resource tags, parallel to tag_values */
  GPtrArray  *tag_values;
  char       *policy;             /* nullable */
  char       *lifecycle_policy;   /* nullable */
  gint64      lifecycle_put_at;   /* when the policy was put */
  gint64      lifecycle_run_at;   /* when it last expired images; 0 = never */
  char       *preview_policy;     /* nullable: no preview started */
  GArray     *preview_results;    /* SbPreviewResult */
  guint       preview_polls;      /* IN_PROGRESS answers after each start (tests; not saved) */
  guint       preview_polls_left;
  GPtrArray  *images;             /* SbImage *, owned, ascending seq */
  GHashTable *by_digest;          /* digest → SbImage * */
  GHashTable *by_tag;             /* tag → SbImage * */
  guint64     next_image_seq;
} SbRepo;

typedef struct
{
  char       *account;
  char       *region;
  GPtrArray  *repos;             /* SbRepo *, owned, ascending seq */
  GHashTable *by_name;           /* name → SbRepo * */
  guint64     next_repo_seq;
  char       *scan_type;         /* BASIC | ENHANCED */
  JsonNode   *scan_rules;        /* array, as put */
  const char *registry_host;     /* "127.0.0.1:PORT" while the sandbox listens (not owned) */
} SbRegistry;

/* One API call being served. */
typedef struct
{
  SbRegistry   *registry;
  const char   *operation;
  gint64        now;             /* sandbox clock, µs */
  const guint8 *token_key;       /* 32 bytes: HMAC key for nextToken */
  gboolean      changed;         /* the state must be saved */
  WharfSandbox *sandbox;         /* nullable: in-process calls without the registry */
  /* error out */
  guint         status;
  char         *error_type;
  char         *error_message;
} SbCall;

typedef JsonObject *(*SbOperationFunc) (SbCall     *call,
                                        JsonObject *input);

/* wharf-sandbox-store.c */
SbRegistry *sb_registry_new          (const char *account,
                                      const char *region);
void        sb_registry_free         (SbRegistry *registry);
SbRepo     *sb_registry_add_repo     (SbRegistry *registry,
                                      const char *name,
                                      gint64      created_at);
void        sb_registry_remove_repo  (SbRegistry *registry,
                                      SbRepo     *repo);
char       *sb_repo_arn              (SbRegistry *registry,
                                      SbRepo     *repo);
JsonObject *sb_repo_to_json          (SbRegistry *registry,
                                      SbRepo     *repo);
/* Adds or re-tags. Returns the image (new or existing) or NULL with @error set to an ECR
 * __type in error->message's prefix form: use sb_push_image via SbCall instead. */
SbImage    *sb_repo_find_image       (SbRepo     *repo,
                                      const char *digest,
                                      const char *tag);
void        sb_repo_remove_image     (SbRepo     *repo,
                                      SbImage    *image);
void        sb_repo_untag            (SbRepo     *repo,
                                      SbImage    *image,
                                      const char *tag);
SbImage    *sb_repo_insert_image     (SbRepo     *repo,
                                      const char *digest,
                                      const char *manifest,
                                      const char *media_type,
                                      const char *artifact_media_type,
                                      guint64     size,
                                      GPtrArray  *children,
                                      gint64      pushed_at);
void        sb_repo_attach_tag       (SbRepo     *repo,
                                      SbImage    *image,
                                      const char *tag);
gboolean    sb_repo_tag_is_immutable (SbRepo     *repo,
                                      const char *tag);
gboolean    sb_wildcard_match        (const char *pattern,
                                      const char *text);

JsonNode   *sb_registry_serialize    (SbRegistry *registry);
SbRegistry *sb_registry_deserialize  (JsonObject *object,
                                      GError    **error);

/* wharf-sandbox-ops.c: the table of served operations */
SbOperationFunc sb_lookup_operation  (const char *name);
/* SerializationException when a known top-level member has the wrong JSON type. */
gboolean    sb_check_input_types     (SbCall     *call,
                                      JsonObject *input);
/* wharf-sandbox-input.c: fails the call with an ECR error (the first failure wins). */
void        sb_call_fail             (SbCall     *call,
                                      const char *type,
                                      const char *format,
                                      ...) G_GNUC_PRINTF (3, 4);
/* wharf-sandbox-ops-images.c: the in-process push shared by PutImage, the seeds and
 * wharf_sandbox_push_image(). */
SbImage    *sb_put_image             (SbCall     *call,
                                      SbRepo     *repo,
                                      const char *manifest,
                                      const char *media_type,
                                      const char *tag,
                                      const char *expected_digest);
/* A Docker v2 (or, with @oci, OCI) image manifest of @size bytes (config + layers). */
char       *sb_generate_manifest     (guint64     seed,
                                      guint64     size,
                                      guint       n_layers,
                                      gboolean    oci);
/* wharf-sandbox-ops-repositories.c */
SbRepo     *sb_create_repository     (SbCall     *call,
                                      const char *name);

/* wharf-sandbox-scan.c */
typedef struct
{
  char       *name;
  char       *description;
  char       *uri;
  const char *severity;
  char       *package_name;
  char       *package_version;
  double      cvss2;
  char       *cvss2_vector;
} SbFinding;

GPtrArray  *sb_scan_findings         (const char *digest);   /* SbFinding *, owned */
JsonObject *sb_finding_to_json       (SbFinding  *finding);
JsonObject *sb_severity_counts       (GPtrArray  *findings);
/* The scan status of @image now, or NULL when never scanned. */
const char *sb_scan_status           (SbImage    *image,
                                      gint64      now);

/* wharf-sandbox-lifecycle.c */
/* Validates a lifecycle policy; on failure returns FALSE with an ECR-style reason. */
gboolean    sb_lifecycle_validate    (const char *text,
                                      char      **reason);
/* Evaluates @text against @repo's images; returns SbPreviewResult in an array. */
GArray     *sb_lifecycle_evaluate    (const char *text,
                                      SbRepo     *repo,
                                      gint64      now);

/* Runs the lifecycle policies that are due (ECR evaluates each policy within 24 hours,
 * then daily): expires the images they select. Returns TRUE when images were removed. */
gboolean    sb_registry_run_lifecycle (SbRegistry *registry,
                                       gint64      now);

/* wharf-sandbox-state.c: the --state file. Reading a missing file succeeds and adds
 * nothing; otherwise the registries are added to @registries ("account/region" → SbRegistry),
 * and @seed and the 32 bytes of @token_key are replaced when the file has them. */
gboolean    sb_state_read            (const char   *path,
                                      GHashTable   *registries,
                                      char        **seed,
                                      guint8       *token_key,
                                      GError      **error);
/* Writes atomically. */
gboolean    sb_state_write           (const char   *path,
                                      GHashTable   *registries,
                                      const char   *seed,
                                      const guint8 *token_key,
                                      GError      **error);

/* wharf-sandbox-faults.c */
typedef enum
{
  FAULT_THROTTLE,
  FAULT_500,
  FAULT_503,
  FAULT_RESET,
  FAULT_TRUNCATE,
  FAULT_INVALID_JSON,
  FAULT_HTML,
  FAULT_EXPIRED_TOKEN,
  FAULT_ACCESS_DENIED,
  /* Refusals in the shapes real ECR, IAM and KMS answer with (README.md). */
  FAULT_DENIED_OLD,
  FAULT_DENIED_NO_IDENTITY_POLICY,
  FAULT_DENIED_IDENTITY_POLICY,
  FAULT_DENIED_BOUNDARY,
  FAULT_DENIED_SESSION_POLICY,
  FAULT_DENIED_SCP,
  FAULT_DENIED_REPOSITORY_POLICY,
  FAULT_KMS_DENIED,
  FAULT_REGION_NOT_ENABLED,
  FAULT_LIMIT_IMAGES,
  FAULT_LIMIT_TAGS,
  FAULT_DELAY,
} SbFaultKind;

typedef struct
{
  SbFaultKind kind;
  char       *operation;   /* NULL = every operation */
  int         remaining;   /* -1 = unlimited */
  guint       delay_ms;
} SbFault;

/* "throttle", "delay"…: the KIND of a specification, as recorded. */
const char *sb_fault_kind_name       (SbFaultKind  kind);
/* KIND[:OPERATION[:COUNT]] (README.md); NULL with WHARF_SANDBOX_ERROR_FAULT. */
SbFault    *sb_fault_parse           (const char  *spec,
                                      GError     **error);
void        sb_fault_free            (SbFault     *fault);
/* The first of @faults (SbFault *, first added first) that applies to @operation, counted
 * as used; NULL when none does. */
SbFault    *sb_fault_take            (GPtrArray   *faults,
                                      const char  *operation);

/* What a refusal fault's message names. */
typedef struct
{
  const char *operation;
  const char *caller_arn;    /* as GetCallerIdentity answers for the signing key */
  const char *account;
  const char *region;
  const char *repository;    /* nullable: the request names none */
  const char *kms_key;       /* nullable: the repository's (or the request's) key */
  const char *image_tag;     /* nullable */
} SbRefusalFacts;

typedef struct
{
  guint       status;
  const char *type;          /* __type */
  char       *message;
  const char *kms_error;     /* KmsException's kmsError, or NULL */
} SbRefusal;

/* For a refusal kind, the error to answer with (free @refusal->message); FALSE for the
 * other kinds. */
gboolean    sb_fault_refusal         (SbFaultKind           kind,
                                      const SbRefusalFacts *facts,
                                      SbRefusal            *refusal);

/* wharf-sandbox-seed.c */
gboolean    sb_seed_registry         (SbRegistry *registry,
                                      const char *seed,
                                      gint64      now,
                                      GError    **error);
gboolean    sb_seed_is_known         (const char *seed);

/* wharf-sandbox-sts.c, wharf-sandbox-sso.c: STS and IAM Identity Center */
typedef struct
{
  char  *operation;      /* for counting and the record */
  guint  status;
  char  *content_type;
  char  *error_type;     /* nullable: sent as x-amzn-ErrorType */
  char  *body;
} SbAuthReply;

/* Answers the request when it is one of STS, SSO-OIDC or the SSO portal (TRUE). */
gboolean    sb_auth_dispatch         (WharfSandbox            *self,
                                      const WharfSigv4Request *req,
                                      const char              *request_id,
                                      SbAuthReply             *reply);
/* An ECR request signed with a temporary key: checks its session token and expiry. On
 * failure fills the ECR error type and message. */
gboolean    sb_auth_lookup_session   (WharfSandbox            *self,
                                      const char              *access_key_id,
                                      const char              *session_token,
                                      const char             **secret_access_key,
                                      const char             **account_id,
                                      const char             **error_type,
                                      const char             **error_message);
/* wharf-sandbox-auth.c: overwrites a secret, then frees it (NULL is ignored). */
void        sb_wipe                  (char                    *secret);
/* wharf-sandbox.c: a long-term key pair the sandbox accepts. */
gboolean    sb_sandbox_lookup_key    (WharfSandbox            *self,
                                      const char              *access_key_id,
                                      const char             **secret_access_key,
                                      const char             **account_id);

G_END_DECLS
