/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What signing (wharf-sigv4.c) and verifying (wharf-sigv4-verify.c) share.
 */
#pragma once

#include "wharf-sigv4.h"

G_BEGIN_DECLS

/* TRUE when the first @n bytes of @s are ASCII digits. */
gboolean wharf_sigv4_all_digits              (const char              *s,
                                              gsize                    n);
/* Trims, folds line breaks and squashes runs of whitespace to one space. */
char    *wharf_sigv4_canonical_header_value  (const char              *value);
/* @only: when not NULL (server side), exactly these lowercase header names are signed and
 * nothing is added; otherwise (client side) every header but the unsigned ones, plus those
 * wharf_sigv4_sign() would add. */
char    *wharf_sigv4_build_canonical_request (const WharfSigv4Request *req,
                                              const WharfSigv4Params  *p,
                                              const char *const       *only,
                                              char                   **signed_headers_out);
/* Runs stages 2–4 (string to sign, signing key, signature) for @canonical. */
char    *wharf_sigv4_compute_signature       (const char              *canonical,
                                              const WharfSigv4Params  *p,
                                              const char              *secret);

G_END_DECLS
