/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Models straight from response text, without a json-glib tree: the hot path of listings
 * (DescribeImages and DescribeRepositories pages of up to 1000 items).
 *
 * The rules are those of wharf_image_new_from_json() and wharf_repository_new_from_json()
 * (same checks in the same order, same WHARF_ECR_ERROR_INVALID_DATA messages; a repeated
 * member counts once, the last time, as in json-glib). Text that WharfJsonReader refuses
 * fails with WHARF_JSON_READER_ERROR: the caller then takes the json-glib path, so odd but
 * accepted JSON still reads exactly as before (tests/test-ecr-reader.c compares the two).
 */
#pragma once

#include "wharf-aws-client.h"
#include "wharf-image.h"
#include "wharf-json-reader.h"
#include "wharf-repository.h"

G_BEGIN_DECLS

/* Read the object at the reader's position (and leave the reader after it). */
WharfImage      *wharf_ecr_read_image      (WharfJsonReader  *reader,
                                            GError          **error);
WharfRepository *wharf_ecr_read_repository (WharfJsonReader  *reader,
                                            GError          **error);

/* The top level of a listing page. */
typedef struct
{
  gsize  items_offset;   /* where the items member's value is; WHARF_JSON_READER_ABSENT */
  char  *next_token;     /* NULL when absent or null */
} WharfEcrPageScan;

void        wharf_ecr_page_scan_clear  (WharfEcrPageScan  *scan);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (WharfEcrPageScan, wharf_ecr_page_scan_clear)

/* Checks the whole text and finds the items (member @items_member) and nextToken. */
gboolean    wharf_ecr_page_scan        (const char        *data,
                                        gsize              len,
                                        const char        *items_member,
                                        WharfEcrPageScan  *scan,
                                        GError           **error);

/* The models (of @item_type: WHARF_TYPE_IMAGE or WHARF_TYPE_REPOSITORY) of a page scanned
 * by wharf_ecr_page_scan(). */
GPtrArray  *wharf_ecr_page_read_items  (const char        *data,
                                        gsize              len,
                                        const char        *items_member,
                                        gsize              items_offset,
                                        GType              item_type,
                                        GError           **error);

/* The same from a parsed response (the json-glib path). */
GPtrArray  *wharf_ecr_page_items_from_json (JsonObject    *response,
                                            const char    *items_member,
                                            GType          item_type,
                                            GError       **error);

/* A whole page from the raw response: the reader, else (for text it refuses) json-glib,
 * with exactly the errors of wharf_aws_client_call_finish() and the json-glib path. Gives
 * the page's nextToken (NULL when none) in @next_token. Any thread. */
GPtrArray  *wharf_ecr_page_read        (WharfAwsResponse  *response,
                                        const char        *items_member,
                                        GType              item_type,
                                        char             **next_token,
                                        GError           **error);

G_END_DECLS
