/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The in-process sandbox as the integration tests start it: on a free loopback port,
 * recording into $WHARF_RECORD_DIR/<record_name> for the contract tests when that is set.
 */
#pragma once

#include "wharf-ecr-client.h"
#include "wharf-sandbox.h"

G_BEGIN_DECLS

/* A listening sandbox with its state in @state_path (NULL: in memory), seeded with @seed
 * (NULL: none) and recording into @record_name; the test fails on any error. */
WharfSandbox   *wharf_test_sandbox_start      (const char    *state_path,
                                               const char    *seed,
                                               const char    *record_name);
/* Stops recording and releases *@sandbox. */
void            wharf_test_sandbox_stop       (WharfSandbox **sandbox);
/* An ECR client for the sandbox (or a stand-in) at @url: its default region, its practice
 * keys. */
WharfEcrClient *wharf_test_ecr_client_new     (const char    *url);

G_END_DECLS
