/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the fuzz targets: a critical (a failed g_return_if_fail, a GLib misuse) is a
 * finding, so it aborts like a crash. */
#pragma once

#include <stdarg.h>
#include <stdlib.h>

#include <glib.h>
#include <glib/gprintf.h>

static inline void
fuzz_init_logging (void)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR);
  g_setenv ("G_MESSAGES_DEBUG", "", TRUE);
}

/* A broken invariant: abort (libFuzzer saves the input on SIGABRT, not on g_error's trap). */
static inline void G_GNUC_PRINTF (1, 2) G_GNUC_NORETURN
fuzz_fail (const char *format,
           ...)
{
  va_list args;

  va_start (args, format);
  g_vfprintf (stderr, format, args);
  va_end (args);
  fputc ('\n', stderr);
  abort ();
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);
int LLVMFuzzerInitialize (int *argc, char ***argv);

#ifndef FUZZ_OWN_INITIALIZE
/* The set-up of a target that needs nothing more. One that does defines FUZZ_OWN_INITIALIZE
 * before including this header, and an LLVMFuzzerInitialize that calls fuzz_init_logging(). */
int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init_logging ();
  return 0;
}
#endif
