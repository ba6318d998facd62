/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the C tests share: waiting for an async result or a condition by iterating the main
 * context with a deadline (never a sleep), a clean AWS environment, and temporary files.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* How long one wait may take before the test fails; 60 s unless a program sets another. */
void          wharf_test_set_deadline       (guint          seconds);

/* A GAsyncReadyCallback whose user data is a GAsyncResult **: it stores a reference to the
 * result there (the slot must be NULL) and wakes the main context. */
void          wharf_test_result_cb          (GObject       *source,
                                             GAsyncResult  *result,
                                             gpointer       user_data);
/* Iterates the main context until *@slot holds a result, and returns it (owned by *@slot). */
GAsyncResult *wharf_test_wait_result        (GAsyncResult **slot);

typedef struct _WharfTestWait WharfTestWait;

WharfTestWait *wharf_test_wait_begin        (const char    *what,
                                             const char    *file,
                                             int            line,
                                             const char    *func);
void          wharf_test_wait_iterate       (WharfTestWait *wait);
void          wharf_test_wait_end           (WharfTestWait *wait);

/* Iterates the main context until @condition holds; fails the test, naming the condition,
 * when the deadline passes first. */
#define wharf_test_wait_for(condition) \
  G_STMT_START { \
    WharfTestWait *wharf_test_wait_ = wharf_test_wait_begin (#condition, __FILE__, __LINE__, \
                                                             G_STRFUNC); \
    while (!(condition)) \
      wharf_test_wait_iterate (wharf_test_wait_); \
    wharf_test_wait_end (wharf_test_wait_); \
  } G_STMT_END

/* Dispatches whatever is ready without blocking, e.g. closed connections after a teardown. */
void          wharf_test_drain_main_context (void);

/* Unsets every AWS_* variable, so that nothing from the outside changes what a test sees. */
void          wharf_test_clear_aws_env      (void);

/* A new folder in the temporary directory, from a g_dir_make_tmp() template. */
char         *wharf_test_make_tmp_dir       (const char    *tmpl);
/* Writes @text to @path, making its folder first; the test fails on an error. */
void          wharf_test_write_file         (const char    *path,
                                             const char    *text);
/* The same, then sets @path's permissions to @mode. */
void          wharf_test_write_file_mode    (const char    *path,
                                             const char    *text,
                                             int            mode);
/* Removes @path and everything below it; a missing path is not an error. */
void          wharf_test_remove_tree        (const char    *path);

/* A benchmark's figures: merges @entry (taken) as @key into
 * $WHARF_BUILD_ROOT/bench-results.json, keeping the other benchmarks' keys. Without
 * WHARF_BUILD_ROOT it does nothing; on an error it says so on stderr and returns FALSE. */
gboolean      wharf_test_bench_record       (const char    *key,
                                             JsonObject    *entry);

G_END_DECLS
