/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A lifecycle policy document as a list of rules: parse, serialise, validate. Pure logic
 * (GLib + json-glib), no GTK, so that it is unit-testable without a display.
 *
 * The type is WharfLifecycleDocument (src/ecr already names the GetLifecyclePolicy result
 * WharfLifecyclePolicy).
 */
#pragma once

#include <glib-object.h>

#include "wharf-policy.h"

G_BEGIN_DECLS

/* Text limits of PutLifecyclePolicy's lifecyclePolicyText. */
#define WHARF_LIFECYCLE_TEXT_MIN_LENGTH 100
#define WHARF_LIFECYCLE_TEXT_MAX_LENGTH 30720
/* ECR allows at most this many wildcards in one tag pattern. */
#define WHARF_LIFECYCLE_MAX_WILDCARDS   4

typedef enum
{
  WHARF_LIFECYCLE_FIELD_DOCUMENT,
  WHARF_LIFECYCLE_FIELD_PRIORITY,
  WHARF_LIFECYCLE_FIELD_DESCRIPTION,
  WHARF_LIFECYCLE_FIELD_TAG_STATUS,
  WHARF_LIFECYCLE_FIELD_TAG_LIST,
  WHARF_LIFECYCLE_FIELD_COUNT_TYPE,
  WHARF_LIFECYCLE_FIELD_COUNT_NUMBER,
  WHARF_LIFECYCLE_FIELD_ACTION,
} WharfLifecycleField;

/* The form's four kinds of selection. */
typedef enum
{
  WHARF_LIFECYCLE_SELECT_TAG_PREFIXES,
  WHARF_LIFECYCLE_SELECT_TAG_PATTERNS,
  WHARF_LIFECYCLE_SELECT_UNTAGGED,
  WHARF_LIFECYCLE_SELECT_ANY,
} WharfLifecycleSelect;

/* One rule as the document says it; fields keep what was written, even when invalid, so
 * that validation can point at it. */
typedef struct
{
  gint64  priority;       /* rulePriority; 0 when absent */
  char   *description;    /* nullable */
  char   *tag_status;     /* "tagged", "untagged", "any" (or what was written); nullable */
  GStrv   tag_prefixes;   /* tagPrefixList; NULL when absent */
  GStrv   tag_patterns;   /* tagPatternList; NULL when absent */
  char   *count_type;     /* "imageCountMoreThan", "sinceImagePushed"; nullable */
  char   *count_unit;     /* "days" or NULL */
  gint64  count_number;   /* 0 when absent */
  char   *action;         /* "expire"; nullable */
} WharfLifecycleRule;

#define WHARF_TYPE_LIFECYCLE_RULE (wharf_lifecycle_rule_get_type ())
GType               wharf_lifecycle_rule_get_type (void) G_GNUC_CONST;
/* A new rule: tagged with no list, image count more than 1, expire. */
WharfLifecycleRule *wharf_lifecycle_rule_new      (void);
WharfLifecycleRule *wharf_lifecycle_rule_copy     (const WharfLifecycleRule *self);
void                wharf_lifecycle_rule_free     (WharfLifecycleRule *self);
gboolean            wharf_lifecycle_rule_equal    (const WharfLifecycleRule *a,
                                                   const WharfLifecycleRule *b);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WharfLifecycleRule, wharf_lifecycle_rule_free)

WharfLifecycleSelect wharf_lifecycle_rule_get_select (const WharfLifecycleRule *self);
/* Sets tag_status and keeps only the list that @select uses (@tags: nullable). */
void                 wharf_lifecycle_rule_set_select (WharfLifecycleRule   *self,
                                                      WharfLifecycleSelect  select,
                                                      const char * const   *tags);
/* The rule in words, e.g. “Tagged v*: keep the newest 10”. */
char                *wharf_lifecycle_rule_describe   (const WharfLifecycleRule *self);

/* Its problems are WharfPolicyProblem (rule, WharfLifecycleField). */
typedef WharfPolicyProblem WharfLifecycleProblem;

typedef struct _WharfLifecycleDocument WharfLifecycleDocument;

#define WHARF_TYPE_LIFECYCLE_DOCUMENT (wharf_lifecycle_document_get_type ())
GType                   wharf_lifecycle_document_get_type   (void) G_GNUC_CONST;
WharfLifecycleDocument *wharf_lifecycle_document_new        (void);
/* Errors: WHARF_POLICY_ERROR_SYNTAX (@line, @column nullable outs, 1-based, 0 when
 * unknown) or _STRUCTURE. Valid JSON with invalid values parses: see _validate(). */
WharfLifecycleDocument *wharf_lifecycle_document_parse      (const char  *text,
                                                             int         *line,
                                                             int         *column,
                                                             GError     **error);
WharfLifecycleDocument *wharf_lifecycle_document_copy       (const WharfLifecycleDocument *self);
void                    wharf_lifecycle_document_free       (WharfLifecycleDocument *self);
gboolean                wharf_lifecycle_document_equal      (const WharfLifecycleDocument *a,
                                                             const WharfLifecycleDocument *b);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WharfLifecycleDocument, wharf_lifecycle_document_free)

guint               wharf_lifecycle_document_get_n_rules   (const WharfLifecycleDocument *self);
/* Borrowed; the document owns its rules. */
WharfLifecycleRule *wharf_lifecycle_document_get_rule      (const WharfLifecycleDocument *self,
                                                            guint                         index);
/* Takes ownership of @rule. */
void                wharf_lifecycle_document_add_rule      (WharfLifecycleDocument *self,
                                                            WharfLifecycleRule     *rule);
/* Replaces the rule at @index; takes ownership of @rule. */
void                wharf_lifecycle_document_set_rule      (WharfLifecycleDocument *self,
                                                            guint                   index,
                                                            WharfLifecycleRule     *rule);
void                wharf_lifecycle_document_remove_rule   (WharfLifecycleDocument *self,
                                                            guint                   index);
/* The lowest priority number above every rule's (1 for an empty document). */
gint64              wharf_lifecycle_document_next_priority (const WharfLifecycleDocument *self);
/* Indented JSON, members in ECR's documented order. */
char               *wharf_lifecycle_document_to_json       (const WharfLifecycleDocument *self);
/* Every problem, in rule order: a GPtrArray of WharfPolicyProblem (empty when none). */
GPtrArray          *wharf_lifecycle_document_validate      (const WharfLifecycleDocument *self);
/* TRUE when _validate() finds no error (warnings allowed). */
gboolean            wharf_lifecycle_problems_ok            (GPtrArray *problems);

/* Templates, as drafts to adjust. */
typedef enum
{
  WHARF_LIFECYCLE_TEMPLATE_KEEP_LAST,          /* any image: keep the newest N */
  WHARF_LIFECYCLE_TEMPLATE_EXPIRE_UNTAGGED,    /* untagged images: expire after N days */
  WHARF_LIFECYCLE_TEMPLATE_KEEP_RELEASES,      /* untagged after 1 day; keep N tagged v* and release*; other tags after 30 days */
} WharfLifecycleTemplate;

WharfLifecycleDocument *wharf_lifecycle_document_new_from_template (WharfLifecycleTemplate template_id,
                                                                    gint64                 count);

G_END_DECLS
