/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WHARF_TYPE_POLICY_ROW (wharf_policy_row_get_type ())

G_DECLARE_DERIVABLE_TYPE (WharfPolicyRow, wharf_policy_row, WHARF, POLICY_ROW, AdwBin)

/* The form of one item of a policy (a lifecycle rule, a repository policy statement): the
 * row holds a copy of its item, which edits change in place. Each field shows its problem
 * as its row's subtitle and on its control. Signals: "changed" after the person edited a
 * field; "remove-requested". A subclass's template calls "remove_clicked_cb". */
struct _WharfPolicyRowClass
{
  AdwBinClass parent_class;

  /* The boxed type of the item. */
  GType         item_type;

  /* Shows the item in the controls. */
  void        (*show_item)        (WharfPolicyRow *self);
  /* Titles, hints and accessible names that follow the item and its number. */
  void        (*update_labels)    (WharfPolicyRow *self);
  /* The subtitle of @row (a field's row) without a problem; nullable. */
  const char *(*default_subtitle) (WharfPolicyRow *self,
                                   GtkWidget      *row);
};

/* From the subclass's class_init, after its template is set. */
void          wharf_policy_row_class_bind_template (GtkWidgetClass *widget_class);

/* Registers where problems of @field show (@field 0 is the document: problems of a field
 * without a row show there too): on @row, an AdwActionRow or AdwExpanderRow (expanded
 * then), and @control (nullable). @field -1: a row without problems of its own, whose
 * subtitle still follows default_subtitle. */
void          wharf_policy_row_add_field     (WharfPolicyRow *self,
                                              int             field,
                                              GtkWidget      *row,
                                              GtkWidget      *control);

/* Shows a copy of @item as item @number (1-based) of the policy. */
void          wharf_policy_row_set_item      (WharfPolicyRow *self,
                                              gconstpointer   item,
                                              guint           number);
gconstpointer wharf_policy_row_get_item      (WharfPolicyRow *self);
/* A copy of the item (free it as its boxed type). */
gpointer      wharf_policy_row_dup_item      (WharfPolicyRow *self);
guint         wharf_policy_row_get_number    (WharfPolicyRow *self);
/* The item for an edit of the person to change, or NULL while the row shows an item
 * (the change is the row's own) or has none. */
gpointer      wharf_policy_row_get_edited_item (WharfPolicyRow *self);
/* While TRUE, changes of the controls are the row's own, not the person's edits. */
void          wharf_policy_row_set_showing   (WharfPolicyRow *self,
                                              gboolean        showing);
/* After an edit to the item: updates the labels and emits "changed". */
void          wharf_policy_row_changed       (WharfPolicyRow *self);

void          wharf_policy_row_clear_problems (WharfPolicyRow *self);
/* The first error shown on a field's row stays. */
void          wharf_policy_row_add_problem   (WharfPolicyRow *self,
                                              int             field,
                                              const char     *message,
                                              gboolean        is_warning);

/* Splits at any of @separators, strips, drops empty parts. */
char        **wharf_policy_row_split_list    (const char     *text,
                                              const char     *separators);

G_END_DECLS
