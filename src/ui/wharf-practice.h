/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * WharfPractice: practice mode. The in-process WharfSandbox on a free loopback port, its
 * state in the app's data folder (practice-state.json), and a key pair made up at random
 * on each start that only ever lives in this process's memory. One session per process.
 */
#pragma once

#include <gtk/gtk.h>

#include "wharf-account.h"
#include "wharf-ecr-client.h"
#include "wharf-sandbox.h"

G_BEGIN_DECLS

/* The Wharf account id of practice mode (never saved with the other accounts). */
#define WHARF_PRACTICE_ACCOUNT_ID "practice"
#define WHARF_PRACTICE_REGION     WHARF_SANDBOX_DEFAULT_REGION

#define WHARF_TYPE_PRACTICE (wharf_practice_get_type ())

G_DECLARE_FINAL_TYPE (WharfPractice, wharf_practice, WHARF, PRACTICE, GObject)

/* The session of this process (not started until wharf_practice_start_async()).
 * Properties: "running" (boolean), "url" (nullable). Signal "restarted": the sandbox was
 * reset and listens again (on a new port): clients made before must be made again. */
WharfPractice   *wharf_practice_get_default     (void);

/* Starts the sandbox if it is not running: loads the state (off the main thread), seeds
 * "demo" into a fresh state, adds a new random key pair, listens on 127.0.0.1:0. */
void             wharf_practice_start_async     (WharfPractice        *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean         wharf_practice_start_finish    (WharfPractice        *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* Stops the sandbox, deletes the practice state and starts again with the demo seed.
 * Emits "restarted" on success. */
void             wharf_practice_reset_async     (WharfPractice        *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean         wharf_practice_reset_finish    (WharfPractice        *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

gboolean         wharf_practice_get_running     (WharfPractice        *self);
/* "http://127.0.0.1:PORT", or NULL while stopped. */
const char      *wharf_practice_get_url         (WharfPractice        *self);
/* "127.0.0.1:PORT": the registry docker/podman push to and pull from; NULL while stopped. */
const char      *wharf_practice_get_registry_host (WharfPractice      *self);
/* The practice state file (in the data folder). */
const char      *wharf_practice_get_state_path  (WharfPractice        *self);
/* nullable while stopped */
WharfSandbox    *wharf_practice_get_sandbox     (WharfPractice        *self);
/* The static provider with this run's keys (transfer none); NULL while stopped. */
WharfCredentialsProvider *
                 wharf_practice_get_credentials_provider (WharfPractice *self);

/* A client for @region (nullable: WHARF_PRACTICE_REGION) that talks to the sandbox; NULL
 * with an error while stopped. */
WharfEcrClient  *wharf_practice_create_client   (WharfPractice        *self,
                                                 const char           *region,
                                                 GError              **error);

/* Asks whether to reset the practice data (a destructive dialog over @parent), then resets.
 * Finishes with G_IO_ERROR_CANCELLED when the person declines; the caller tells the outcome.
 * Once confirmed, the reset runs to its end: half of one would leave neither state. */
void             wharf_practice_ask_reset_async  (WharfPractice        *self,
                                                  GtkWindow            *parent,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean         wharf_practice_ask_reset_finish (WharfPractice        *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

/* A new practice account (source PRACTICE, id WHARF_PRACTICE_ACCOUNT_ID). */
WharfAccount    *wharf_practice_new_account     (void);

/* An image manifest (Docker schema 2) with a config and two layers whose digests are new
 * each time, as a build would make: for "Simulate push". */
char            *wharf_practice_generate_manifest (void);

G_END_DECLS
