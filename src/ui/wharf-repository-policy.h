/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A repository (resource-based IAM) policy as a list of statements: parse, serialise,
 * validate, templates. Pure logic (GLib + json-glib), no GTK.
 */
#pragma once

#include <glib-object.h>

#include "wharf-policy.h"

G_BEGIN_DECLS

typedef enum
{
  WHARF_POLICY_FIELD_DOCUMENT,
  WHARF_POLICY_FIELD_SID,
  WHARF_POLICY_FIELD_EFFECT,
  WHARF_POLICY_FIELD_PRINCIPALS,
  WHARF_POLICY_FIELD_ACTIONS,
  WHARF_POLICY_FIELD_CONDITIONS,
} WharfPolicyField;

/* Groups of ECR actions the form offers. */
typedef enum
{
  WHARF_POLICY_ACCESS_PULL,     /* the three actions a docker pull needs */
  WHARF_POLICY_ACCESS_PUSH,     /* pull + the four upload actions */
  WHARF_POLICY_ACCESS_MANAGE,   /* push + describe, list, delete, policies, scanning, tags */
  WHARF_POLICY_ACCESS_ALL,      /* ecr:* */
  WHARF_POLICY_ACCESS_CUSTOM,   /* any other list */
} WharfPolicyAccess;

/* NULL-terminated, static. NULL for _CUSTOM. */
const char * const *wharf_policy_access_actions (WharfPolicyAccess access);
/* The group that @actions are exactly (in any order), else _CUSTOM. */
WharfPolicyAccess   wharf_policy_access_from_actions (const char * const *actions);

typedef struct
{
  char   *sid;          /* nullable */
  char   *effect;       /* "Allow" / "Deny" (or what was written); nullable */
  /* Principals as written: "*", an account id, an IAM ARN (the "AWS" kind) or a service
   * name ending in .amazonaws.com (the "Service" kind). */
  GStrv   principals;
  GStrv   actions;
  char   *conditions;   /* the Condition object as JSON text; NULL when none */
} WharfPolicyStatement;

#define WHARF_TYPE_POLICY_STATEMENT (wharf_policy_statement_get_type ())
GType                 wharf_policy_statement_get_type (void) G_GNUC_CONST;
/* Allow, no principal, pull actions. */
WharfPolicyStatement *wharf_policy_statement_new      (void);
WharfPolicyStatement *wharf_policy_statement_copy     (const WharfPolicyStatement *self);
void                  wharf_policy_statement_free     (WharfPolicyStatement *self);
gboolean              wharf_policy_statement_equal    (const WharfPolicyStatement *a,
                                                       const WharfPolicyStatement *b);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WharfPolicyStatement, wharf_policy_statement_free)

/* The statement in words: “Allow pull for 444455556666”. */
char *wharf_policy_statement_describe (const WharfPolicyStatement *self);

/* "account", "arn", "service", "everyone", or NULL (not a principal Wharf recognises). */
const char *wharf_policy_principal_kind (const char *principal);

typedef struct _WharfRepositoryPolicy WharfRepositoryPolicy;

#define WHARF_TYPE_REPOSITORY_POLICY (wharf_repository_policy_get_type ())
GType                  wharf_repository_policy_get_type  (void) G_GNUC_CONST;
WharfRepositoryPolicy *wharf_repository_policy_new       (void);
/* Errors as wharf_lifecycle_document_parse(). */
WharfRepositoryPolicy *wharf_repository_policy_parse     (const char  *text,
                                                          int         *line,
                                                          int         *column,
                                                          GError     **error);
WharfRepositoryPolicy *wharf_repository_policy_copy      (const WharfRepositoryPolicy *self);
void                   wharf_repository_policy_free      (WharfRepositoryPolicy *self);
gboolean               wharf_repository_policy_equal     (const WharfRepositoryPolicy *a,
                                                          const WharfRepositoryPolicy *b);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WharfRepositoryPolicy, wharf_repository_policy_free)

const char           *wharf_repository_policy_get_version      (const WharfRepositoryPolicy *self);
guint                 wharf_repository_policy_get_n_statements (const WharfRepositoryPolicy *self);
WharfPolicyStatement *wharf_repository_policy_get_statement    (const WharfRepositoryPolicy *self,
                                                                guint                        index);
/* Takes ownership. */
void                  wharf_repository_policy_add_statement    (WharfRepositoryPolicy *self,
                                                                WharfPolicyStatement  *statement);
/* Replaces the statement at @index; takes ownership. */
void                  wharf_repository_policy_set_statement    (WharfRepositoryPolicy *self,
                                                                guint                  index,
                                                                WharfPolicyStatement  *statement);
void                  wharf_repository_policy_remove_statement (WharfRepositoryPolicy *self,
                                                                guint                  index);
char                 *wharf_repository_policy_to_json          (const WharfRepositoryPolicy *self);
/* GPtrArray of WharfPolicyProblem (statement, WharfPolicyField). */
GPtrArray            *wharf_repository_policy_validate         (const WharfRepositoryPolicy *self);

typedef enum
{
  WHARF_POLICY_TEMPLATE_PULL_FOR_ACCOUNT,   /* @subject: an account id */
  WHARF_POLICY_TEMPLATE_PUSH_FOR_ROLE,      /* @subject: an IAM role ARN */
  WHARF_POLICY_TEMPLATE_LAMBDA_READ,        /* @subject: the function ARN (aws:sourceArn) */
} WharfPolicyTemplate;

/* A statement for @template_id; its Sid is unique within @policy (nullable). */
WharfPolicyStatement *wharf_policy_statement_new_from_template (WharfPolicyTemplate          template_id,
                                                                const char                  *subject,
                                                                const WharfRepositoryPolicy *policy);
/* Whether @subject fits @template_id; @reason (nullable) says why not. */
gboolean              wharf_policy_template_check_subject      (WharfPolicyTemplate  template_id,
                                                                const char          *subject,
                                                                char               **reason);

G_END_DECLS
