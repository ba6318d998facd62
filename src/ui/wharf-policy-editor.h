/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wharf-ecr-client.h"
#include "wharf-policy-row.h"

G_BEGIN_DECLS

#define WHARF_TYPE_POLICY_EDITOR (wharf_policy_editor_get_type ())

G_DECLARE_DERIVABLE_TYPE (WharfPolicyEditor, wharf_policy_editor, WHARF, POLICY_EDITOR, AdwBin)

/* A repository's policy as a form of rows and as JSON text, kept in step and checked as
 * ECR checks it; loaded from, saved to and deleted in ECR. The lifecycle and permissions
 * editors derive from it. Actions PREFIX.save, .delete and .reload (the subclass's
 * prefix). Signal "repository-gone" (no arguments): ECR no longer knows the repository
 * shown (deleted elsewhere); the page that holds the editor drops it. */
struct _WharfPolicyEditorClass
{
  AdwBinClass parent_class;

  /* The draft, the editor's model: a boxed type (WharfLifecycleDocument,
   * WharfRepositoryPolicy), a list of items, each shown by a row of row_type. */
  GType        draft_type;
  GType        row_type;
  gpointer   (*draft_new)         (void);
  gpointer   (*draft_parse)       (const char     *text,
                                   int            *line,
                                   int            *column,
                                   GError        **error);
  gboolean   (*draft_equal)       (gconstpointer   a,
                                   gconstpointer   b);
  char      *(*draft_to_json)     (gconstpointer   draft);
  guint      (*draft_n_items)     (gconstpointer   draft);
  void       (*draft_remove_item) (gpointer        draft,
                                   guint           index);
  /* Puts @item (taken) into @draft at @index. */
  void       (*draft_set_item)    (gpointer        draft,
                                   guint           index,
                                   gpointer        item);

  /* The draft's problems: a GPtrArray of WharfPolicyProblem. */
  GPtrArray *(*validate)          (WharfPolicyEditor   *self);
  /* Shows item @index of the draft in @row. */
  void       (*show_row)          (WharfPolicyEditor   *self,
                                   WharfPolicyRow      *row,
                                   guint                index);

  /* ECR's policy text of the repository (NULL: none; not found is an error). */
  void       (*load_async)        (WharfPolicyEditor   *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
  char      *(*load_finish)       (WharfPolicyEditor   *self,
                                   GAsyncResult        *result,
                                   GError             **error);
  void       (*save_async)        (WharfPolicyEditor   *self,
                                   const char          *text,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
  gboolean   (*save_finish)       (WharfPolicyEditor   *self,
                                   GAsyncResult        *result,
                                   GError             **error);
  void       (*delete_async)      (WharfPolicyEditor   *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
  gboolean   (*delete_finish)     (WharfPolicyEditor   *self,
                                   GAsyncResult        *result,
                                   GError             **error);

  /* Nullable: forgets the subclass's state of the repository shown before. */
  void       (*reset)             (WharfPolicyEditor   *self);
  /* Nullable: after the shared actions and status, the subclass's. @text: the draft. */
  void       (*update_actions)    (WharfPolicyEditor   *self,
                                   const char          *text,
                                   gboolean             empty);
  /* Texts for the person (new strings): the body of the question before deleting the
   * policy of @repository_name, and why it could not be deleted. */
  char      *(*describe_delete)   (WharfPolicyEditor   *self,
                                   const char          *repository_name);
  char      *(*describe_delete_failure) (WharfPolicyEditor *self,
                                         const GError      *error);

  /* PREFIX.save, .delete, .reload; set before wharf_policy_editor_class_bind_template(). */
  const char  *action_prefix;
  /* Texts for the person, marked for translation with N_ in class_init. */
  const char  *no_policy;          /* the status without policy or draft */
  const char  *fix_problems;       /* why a draft with problems is not sent */
  const char  *saved;              /* toasts */
  const char  *deleted;
  const char  *delete_heading;
  /* Whether a policy that the form cannot show says why in the message bar. */
  gboolean     explain_unreadable;
};

/* @client, @repository nullable (nothing to edit). The same repository again (its
 * settings changed) keeps the draft. */
void wharf_policy_editor_set_repository (WharfPolicyEditor *self,
                                         WharfEcrClient    *client,
                                         WharfRepository   *repository);

G_END_DECLS
