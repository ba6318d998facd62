/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * WharfSandbox: a local service on 127.0.0.1 that speaks ECR's JSON 1.1 API
 * (X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.<Operation>) with ECR's own
 * validation, limits and errors. Every request's SigV4 signature is verified with the
 * sandbox's key pairs. Used by practice mode, the tests and the benchmarks.
 *
 * State is kept per (account, region): the account is the one of the key pair that signed
 * the request, the region the one in the signature's credential scope. A seed ("demo",
 * "big", "many") is applied to every (account, region) on its first use, so the seeded
 * repositories appear whatever region a client picks; the default region
 * (WHARF_SANDBOX_DEFAULT_REGION) of the default account is seeded at once.
 *
 * Timing: ECR semantics (push times, scan progress, the daily scan limit, lifecycle
 * "sinceImagePushed") follow the sandbox clock, which tests can move forward with
 * wharf_sandbox_advance_clock(). The freshness of a signature (15 minutes) is checked
 * against the real clock.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The fixed practice key pair; never valid on AWS. */
#define WHARF_SANDBOX_PRACTICE_ACCESS_KEY_ID     "AKIAWHARFPRACTICE001"
#define WHARF_SANDBOX_PRACTICE_SECRET_ACCESS_KEY "wharf/practice/secret/key/not+for+aws0000000"
#define WHARF_SANDBOX_PRACTICE_ACCOUNT_ID        "111122223333"
#define WHARF_SANDBOX_DEFAULT_REGION             "us-east-1"

#define WHARF_SANDBOX_ERROR (wharf_sandbox_error_quark ())

/**
 * WharfSandboxError:
 * @WHARF_SANDBOX_ERROR_STATE: the state file is unreadable or corrupt (it is left untouched)
 * @WHARF_SANDBOX_ERROR_SEED: unknown seed name
 * @WHARF_SANDBOX_ERROR_FAULT: a fault spec could not be parsed
 * @WHARF_SANDBOX_ERROR_LISTEN: listening failed, or a non-loopback address was asked for
 * @WHARF_SANDBOX_ERROR_INVALID: bad input to an in-process call (e.g. a repository name)
 * @WHARF_SANDBOX_ERROR_NOT_FOUND: no such repository or image
 * @WHARF_SANDBOX_ERROR_CONFLICT: the repository exists already, or a tag is immutable
 */
typedef enum {
  WHARF_SANDBOX_ERROR_STATE,
  WHARF_SANDBOX_ERROR_SEED,
  WHARF_SANDBOX_ERROR_FAULT,
  WHARF_SANDBOX_ERROR_LISTEN,
  WHARF_SANDBOX_ERROR_INVALID,
  WHARF_SANDBOX_ERROR_NOT_FOUND,
  WHARF_SANDBOX_ERROR_CONFLICT,
} WharfSandboxError;

GQuark wharf_sandbox_error_quark (void);

#define WHARF_TYPE_SANDBOX (wharf_sandbox_get_type ())
G_DECLARE_FINAL_TYPE (WharfSandbox, wharf_sandbox, WHARF, SANDBOX, GObject)

/* @state_path: a JSON file to load from and save to (atomically, coalesced), or NULL to keep
 * the state in memory. A missing file is a fresh state; an unreadable or corrupt one is an
 * error (WHARF_SANDBOX_ERROR_STATE) and is never overwritten.
 * The new sandbox accepts the practice key pair until wharf_sandbox_add_key() adds another
 * (then it accepts both). */
WharfSandbox *wharf_sandbox_new (const char *state_path,
                                 GError    **error);

/* @seed: "empty", "demo" (a dozen realistic repositories), "big" (demo + repository "big"
 * with 10,000 images) or "many" (demo + 10,000 repositories "many/repo-00000"…).
 * Applies to every (account, region) not present in the state yet. */
gboolean wharf_sandbox_seed (WharfSandbox *self,
                             const char   *seed,
                             GError      **error);

/* @account_id: 12 digits, or NULL for WHARF_SANDBOX_PRACTICE_ACCOUNT_ID. */
void wharf_sandbox_add_key (WharfSandbox *self,
                            const char   *access_key_id,
                            const char   *secret_access_key,
                            const char   *account_id);

/* The account used by the in-process inspection calls below: the account of the first key
 * added, else the practice account. */
const char *wharf_sandbox_get_account_id (WharfSandbox *self);

/* Listens on 127.0.0.1:@port (0 picks a free port). */
gboolean wharf_sandbox_listen (WharfSandbox *self,
                               guint16       port,
                               GError      **error);
/* "http://127.0.0.1:PORT" (no trailing slash); NULL before listen. */
const char *wharf_sandbox_get_url  (WharfSandbox *self);
guint16     wharf_sandbox_get_port (WharfSandbox *self);

/* The registry protocol (Docker Registry HTTP API V2 / OCI Distribution under /v2/) on the
 * same port: "127.0.0.1:PORT", the host of every repository URI and of docker/podman login,
 * for every region (the password says which account and region); NULL before listen. */
const char *wharf_sandbox_get_registry_host (WharfSandbox *self);
/* A registry password for the default account in @region (NULL = default region), as
 * GetAuthorizationToken issues it: user "AWS", valid 12 hours on the sandbox clock. */
char       *wharf_sandbox_issue_registry_password (WharfSandbox *self,
                                                   const char   *region);
/* Removes blobs no image references (normally run after each delete); returns how many. */
guint       wharf_sandbox_collect_garbage (WharfSandbox *self);
/* The folder of the content-addressed blobs ("<state>.blobs" or a temporary folder). */
const char *wharf_sandbox_get_blob_dir    (WharfSandbox *self);

/* Fault spec (same as the command's --fault):
 *   KIND[:OPERATION[:COUNT]]
 * KIND: throttle (400 ThrottlingException) | 500 (InternalFailure/ServerException) |
 *       503 (ServiceUnavailableException) | reset (connection closed, no response) |
 *       truncate (a 200 whose body is cut short) | invalid-json (200, body not JSON) |
 *       html (502 text/html error page) | expired-token (400 ExpiredTokenException) |
 *       access-denied (400 AccessDeniedException) | delay=MS (answers normally after MS ms)
 * OPERATION: an operation name such as DescribeImages, or * for every operation (default).
 * COUNT: how many matching requests it affects (default 1), or * for all of them.
 * Faults apply to requests that pass authentication, in the order they were added. */
gboolean wharf_sandbox_add_fault (WharfSandbox *self,
                                  const char   *spec,
                                  GError      **error);
void     wharf_sandbox_clear_faults (WharfSandbox *self);

/* Appends every request and its response as JSON lines (see the brief's format), flushed
 * per line. NULL stops recording. */
gboolean wharf_sandbox_set_record_path (WharfSandbox *self,
                                        const char   *path,
                                        GError      **error);

/* Moves the sandbox clock forward (tests: scan progress, the daily scan limit, lifecycle
 * ages). */
void   wharf_sandbox_advance_clock (WharfSandbox *self,
                                    GTimeSpan     delta);
/* The sandbox clock, µs since the epoch. */
gint64 wharf_sandbox_get_now       (WharfSandbox *self);

/* Writes a pending state change now (normally coalesced into an idle). */
gboolean wharf_sandbox_flush (WharfSandbox *self,
                              GError      **error);

/* Requests served (authenticated or not) for @operation, or all when NULL. */
guint wharf_sandbox_get_request_count (WharfSandbox *self,
                                       const char   *operation);

/* In-process helpers for tests (the default account; @region NULL = default region). */
gboolean wharf_sandbox_create_repository (WharfSandbox *self,
                                          const char   *region,
                                          const char   *name,
                                          GError      **error);
/* Pushes a generated single-platform image manifest of about @size bytes (layers + config);
 * @tag may be NULL (untagged). Returns the digest ("sha256:…"). */
char    *wharf_sandbox_push_image        (WharfSandbox *self,
                                          const char   *region,
                                          const char   *repository,
                                          const char   *tag,
                                          guint64       size,
                                          GError      **error);
gboolean wharf_sandbox_has_repository    (WharfSandbox *self,
                                          const char   *region,
                                          const char   *name);
guint    wharf_sandbox_get_n_repositories (WharfSandbox *self,
                                           const char   *region);
/* @tag_status: "TAGGED", "UNTAGGED", "ANY" or NULL (= ANY). -1 when no such repository. */
int      wharf_sandbox_count_images      (WharfSandbox *self,
                                          const char   *region,
                                          const char   *repository,
                                          const char   *tag_status);
/* The digest @tag points at, or NULL. */
char    *wharf_sandbox_lookup_tag        (WharfSandbox *self,
                                          const char   *region,
                                          const char   *repository,
                                          const char   *tag);
/* A repository as DescribeRepositories shows it (plus "imageCount"), or NULL. */
JsonObject *wharf_sandbox_dup_repository (WharfSandbox *self,
                                          const char   *region,
                                          const char   *name);
/* ECR evaluates a lifecycle policy preview for a while: after each
 * StartLifecyclePolicyPreview on @repository, the next @n_polls GetLifecyclePolicyPreview
 * calls answer IN_PROGRESS (with no results), then COMPLETE. 0, the default, answers
 * COMPLETE at once. Kept in memory only. WHARF_SANDBOX_ERROR_NOT_FOUND without @repository. */
gboolean wharf_sandbox_set_lifecycle_preview_polls (WharfSandbox *self,
                                                    const char   *region,
                                                    const char   *repository,
                                                    guint         n_polls,
                                                    GError      **error);

G_END_DECLS
