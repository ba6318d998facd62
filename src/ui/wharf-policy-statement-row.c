/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-policy-statement-row"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-policy-statement-row.h"

struct _WharfPolicyStatementRow
{
  WharfPolicyRow        parent_instance;

  AdwPreferencesGroup  *group;
  GtkWidget            *remove_button;
  AdwActionRow         *sid_row;
  GtkEditable          *sid_entry;
  AdwActionRow         *effect_row;
  GtkToggleButton      *allow_toggle;
  GtkToggleButton      *deny_toggle;
  AdwActionRow         *principals_row;
  GtkEditable          *principals_entry;
  AdwActionRow         *access_row;
  GtkToggleButton      *pull_toggle;
  GtkToggleButton      *push_toggle;
  GtkToggleButton      *manage_toggle;
  GtkToggleButton      *all_toggle;
  GtkToggleButton      *custom_toggle;
  AdwActionRow         *actions_row;
  GtkEditable          *actions_entry;
  AdwExpanderRow       *conditions_row;
  GtkTextView          *conditions_view;
};

G_DEFINE_FINAL_TYPE (WharfPolicyStatementRow, wharf_policy_statement_row, WHARF_TYPE_POLICY_ROW)

GtkWidget *
wharf_policy_statement_row_new (void)
{
  return g_object_new (WHARF_TYPE_POLICY_STATEMENT_ROW, NULL);
}

static const WharfPolicyStatement *
get_statement (WharfPolicyStatementRow *self)
{
  return wharf_policy_row_get_item (WHARF_POLICY_ROW (self));
}

/* The statement that an edit of the person changes; NULL while the row shows one. */
static WharfPolicyStatement *
edited_statement (WharfPolicyStatementRow *self)
{
  return wharf_policy_row_get_edited_item (WHARF_POLICY_ROW (self));
}

static char **
split_list (const char *text)
{
  return wharf_policy_row_split_list (text, ",\n");
}

static void
label_control (GtkWidget  *widget,
               const char *label,
               guint       number)
{
  /* Translators: an accessible name: "Statement 2: Principals" */
  g_autofree char *name = g_strdup_printf (_("Statement %u: %s"), number, label);

  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
update_labels (WharfPolicyRow *row)
{
  WharfPolicyStatementRow *self = WHARF_POLICY_STATEMENT_ROW (row);
  const WharfPolicyStatement *statement = get_statement (self);
  guint number = wharf_policy_row_get_number (row);
  g_autofree char *title = g_strdup_printf (_("Statement %u"), number);
  g_autofree char *words = statement ? wharf_policy_statement_describe (statement) : NULL;

  adw_preferences_group_set_title (self->group, title);
  adw_preferences_group_set_description (self->group, words);
  label_control (GTK_WIDGET (self->sid_entry), _("Statement ID"), number);
  label_control (GTK_WIDGET (self->allow_toggle), _("Allow"), number);
  label_control (GTK_WIDGET (self->deny_toggle), _("Deny"), number);
  label_control (GTK_WIDGET (self->principals_entry), _("Principals"), number);
  label_control (GTK_WIDGET (self->pull_toggle), _("Pull"), number);
  label_control (GTK_WIDGET (self->push_toggle), _("Push"), number);
  label_control (GTK_WIDGET (self->manage_toggle), _("Manage"), number);
  label_control (GTK_WIDGET (self->all_toggle), _("All"), number);
  label_control (GTK_WIDGET (self->custom_toggle), _("Custom"), number);
  label_control (GTK_WIDGET (self->actions_entry), _("Actions"), number);
  label_control (GTK_WIDGET (self->conditions_view), _("Conditions JSON"), number);
  label_control (self->remove_button, _("Remove Statement"), number);
}

/* ---- Problems ---- */

static const char *
default_subtitle (WharfPolicyRow *policy_row,
                  GtkWidget      *row)
{
  WharfPolicyStatementRow *self = WHARF_POLICY_STATEMENT_ROW (policy_row);
  const WharfPolicyStatement *statement = get_statement (self);

  if (row == GTK_WIDGET (self->sid_row))
    return _("Optional; letters and digits");
  if (row == GTK_WIDGET (self->principals_row))
    return _("Account IDs, IAM ARNs or services such as lambda.amazonaws.com, separated by commas; * is everyone");
  if (row == GTK_WIDGET (self->actions_row))
    return _("ECR actions, separated by commas");
  if (row == GTK_WIDGET (self->conditions_row))
    return statement != NULL && statement->conditions != NULL
      ? _("Applies only when the conditions hold") : _("None: a JSON object, when needed");
  return NULL;
}

/* ---- Showing a statement ---- */

static void
set_list_if_different (GtkEditable *editable,
                       char       **list)
{
  g_auto(GStrv) shown = split_list (gtk_editable_get_text (editable));
  char *empty[] = { NULL };

  if (!g_strv_equal ((const char * const *) shown, (const char * const *) (list ? list : empty)))
    {
      g_autofree char *text = list ? g_strjoinv (", ", list) : g_strdup ("");

      gtk_editable_set_text (editable, text);
    }
}

static void
show_access (WharfPolicyStatementRow *self)
{
  GtkToggleButton *buttons[] = { self->pull_toggle, self->push_toggle, self->manage_toggle,
                                 self->all_toggle, self->custom_toggle };
  WharfPolicyAccess access =
    wharf_policy_access_from_actions ((const char * const *) get_statement (self)->actions);

  gtk_toggle_button_set_active (buttons[access], TRUE);
}

void
wharf_policy_statement_row_set_statement (WharfPolicyStatementRow    *self,
                                          const WharfPolicyStatement *statement,
                                          guint                       number)
{
  g_return_if_fail (WHARF_IS_POLICY_STATEMENT_ROW (self));
  g_return_if_fail (statement != NULL);

  wharf_policy_row_set_item (WHARF_POLICY_ROW (self), statement, number);
}

static void
show_item (WharfPolicyRow *row)
{
  WharfPolicyStatementRow *self = WHARF_POLICY_STATEMENT_ROW (row);
  const WharfPolicyStatement *statement = get_statement (self);
  GtkTextBuffer *buffer;
  g_autofree char *conditions = NULL;
  GtkTextIter start, end;

  if (g_strcmp0 (gtk_editable_get_text (self->sid_entry), statement->sid ? statement->sid : "") != 0)
    gtk_editable_set_text (self->sid_entry, statement->sid ? statement->sid : "");
  gtk_toggle_button_set_active (g_strcmp0 (statement->effect, "Deny") == 0 ? self->deny_toggle
                                                                           : self->allow_toggle, TRUE);
  set_list_if_different (self->principals_entry, statement->principals);
  set_list_if_different (self->actions_entry, statement->actions);
  show_access (self);

  buffer = gtk_text_view_get_buffer (self->conditions_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  conditions = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_strstrip (conditions);
  if (g_strcmp0 (conditions, statement->conditions ? statement->conditions : "") != 0)
    {
      gtk_text_buffer_set_text (buffer, statement->conditions ? statement->conditions : "", -1);
      adw_expander_row_set_expanded (self->conditions_row, statement->conditions != NULL);
    }
}

/* ---- Edits ---- */

static void
sid_changed_cb (WharfPolicyStatementRow *self)
{
  const char *text = gtk_editable_get_text (self->sid_entry);
  WharfPolicyStatement *statement;

  if ((statement = edited_statement (self)) == NULL)
    return;
  g_free (statement->sid);
  statement->sid = text[0] != '\0' ? g_strdup (text) : NULL;
  wharf_policy_row_changed (WHARF_POLICY_ROW (self));
}

static void
effect_toggled_cb (WharfPolicyStatementRow *self,
                   GtkToggleButton         *button)
{
  WharfPolicyStatement *statement;

  if ((statement = edited_statement (self)) == NULL || !gtk_toggle_button_get_active (button))
    return;
  g_free (statement->effect);
  statement->effect = g_strdup (button == self->deny_toggle ? "Deny" : "Allow");
  wharf_policy_row_changed (WHARF_POLICY_ROW (self));
}

static void
principals_changed_cb (WharfPolicyStatementRow *self)
{
  WharfPolicyStatement *statement;

  if ((statement = edited_statement (self)) == NULL)
    return;
  g_strfreev (statement->principals);
  statement->principals = split_list (gtk_editable_get_text (self->principals_entry));
  wharf_policy_row_changed (WHARF_POLICY_ROW (self));
}

static void
access_toggled_cb (WharfPolicyStatementRow *self,
                   GtkToggleButton         *button)
{
  WharfPolicyAccess access;
  WharfPolicyStatement *statement;

  if ((statement = edited_statement (self)) == NULL || !gtk_toggle_button_get_active (button))
    return;
  access = button == self->pull_toggle ? WHARF_POLICY_ACCESS_PULL
           : button == self->push_toggle ? WHARF_POLICY_ACCESS_PUSH
           : button == self->manage_toggle ? WHARF_POLICY_ACCESS_MANAGE
           : WHARF_POLICY_ACCESS_ALL;
  g_strfreev (statement->actions);
  statement->actions = g_strdupv ((char **) wharf_policy_access_actions (access));
  wharf_policy_row_set_showing (WHARF_POLICY_ROW (self), TRUE);
  set_list_if_different (self->actions_entry, statement->actions);
  wharf_policy_row_set_showing (WHARF_POLICY_ROW (self), FALSE);
  wharf_policy_row_changed (WHARF_POLICY_ROW (self));
}

static void
actions_changed_cb (WharfPolicyStatementRow *self)
{
  WharfPolicyStatement *statement;

  if ((statement = edited_statement (self)) == NULL)
    return;
  g_strfreev (statement->actions);
  statement->actions = split_list (gtk_editable_get_text (self->actions_entry));
  wharf_policy_row_set_showing (WHARF_POLICY_ROW (self), TRUE);
  show_access (self);
  wharf_policy_row_set_showing (WHARF_POLICY_ROW (self), FALSE);
  wharf_policy_row_changed (WHARF_POLICY_ROW (self));
}

static void
conditions_changed_cb (WharfPolicyStatementRow *self,
                       GtkTextBuffer           *buffer)
{
  g_autofree char *text = NULL;
  GtkTextIter start, end;
  WharfPolicyStatement *statement;

  if ((statement = edited_statement (self)) == NULL)
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_strstrip (text);
  g_free (statement->conditions);
  statement->conditions = text[0] != '\0' ? g_steal_pointer (&text) : NULL;
  wharf_policy_row_changed (WHARF_POLICY_ROW (self));
}

/* ---- GObject ---- */

static void
wharf_policy_statement_row_dispose (GObject *object)
{
  /* AdwBin would unparent its child again after the template did. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), WHARF_TYPE_POLICY_STATEMENT_ROW);

  G_OBJECT_CLASS (wharf_policy_statement_row_parent_class)->dispose (object);
}

static void
wharf_policy_statement_row_class_init (WharfPolicyStatementRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  WharfPolicyRowClass *row_class = WHARF_POLICY_ROW_CLASS (klass);

  object_class->dispose = wharf_policy_statement_row_dispose;

  row_class->item_type = WHARF_TYPE_POLICY_STATEMENT;
  row_class->show_item = show_item;
  row_class->update_labels = update_labels;
  row_class->default_subtitle = default_subtitle;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/wharf-policy-statement-row.ui");
  gtk_widget_class_bind_template_child (widget_class, WharfPolicyStatementRow, group);
  gtk_widget_class_bind_template_child (widget_class, WharfPolicyStatementRow, remove_button);
  gtk_widget_class_bind_template_child (widget_class, WharfPolicyStatementRow, sid_row);
  gtk_widget_class_bind_template_child (widget_class, WharfPolicyStatementRow, sid_entry);
  gtk_widget_class_bind_template_child (widget_class, WharfPolicyStatementRow, effect_row);
  gtk_widget_class_bind_template_child (widget_class, WharfPolicyStatementRow, allow_toggle);
  gtk_widget_class_bind_template_child (widget_class, WharfPolicyStatementRow, deny_toggle);
  gtk_widget_class_bind_template_child (widget_class, WharfPolicyStatementRow, principals_row);
  gtk_widget_class_bind_template_child (widget_class, WharfPolicyStatementRow, principals_entry);
  gtk_widget_class_bind_template_child (widget_class, WharfPolicyStatementRow, access_row);
  gtk_widget_class_bind_template_child (widget_class, WharfPolicyStatementRow, pull_toggle);
  gtk_widget_class_bind_template_child (widget_class, WharfPolicyStatementRow, push_toggle);
  gtk_widget_class_bind_template_child (widget_class, WharfPolicyStatementRow, manage_toggle);
  gtk_widget_class_bind_template_child (widget_class, WharfPolicyStatementRow, all_toggle);
  gtk_widget_class_bind_template_child (widget_class, WharfPolicyStatementRow, custom_toggle);
  gtk_widget_class_bind_template_child (widget_class, WharfPolicyStatementRow, actions_row);
  gtk_widget_class_bind_template_child (widget_class, WharfPolicyStatementRow, actions_entry);
  gtk_widget_class_bind_template_child (widget_class, WharfPolicyStatementRow, conditions_row);
  gtk_widget_class_bind_template_child (widget_class, WharfPolicyStatementRow, conditions_view);
  wharf_policy_row_class_bind_template (widget_class);
  gtk_widget_class_bind_template_callback (widget_class, sid_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, effect_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, principals_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, access_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, actions_changed_cb);
}

static void
wharf_policy_statement_row_init (WharfPolicyStatementRow *self)
{
  WharfPolicyRow *row = WHARF_POLICY_ROW (self);

  gtk_widget_init_template (GTK_WIDGET (self));

  wharf_policy_row_add_field (row, WHARF_POLICY_FIELD_SID,
                              GTK_WIDGET (self->sid_row), GTK_WIDGET (self->sid_entry));
  wharf_policy_row_add_field (row, WHARF_POLICY_FIELD_EFFECT, GTK_WIDGET (self->effect_row), NULL);
  wharf_policy_row_add_field (row, WHARF_POLICY_FIELD_PRINCIPALS, GTK_WIDGET (self->principals_row),
                              GTK_WIDGET (self->principals_entry));
  wharf_policy_row_add_field (row, -1, GTK_WIDGET (self->access_row), NULL);
  wharf_policy_row_add_field (row, WHARF_POLICY_FIELD_ACTIONS,
                              GTK_WIDGET (self->actions_row), GTK_WIDGET (self->actions_entry));
  wharf_policy_row_add_field (row, WHARF_POLICY_FIELD_CONDITIONS, GTK_WIDGET (self->conditions_row),
                              GTK_WIDGET (self->conditions_view));
  /* The document's problems show on the first row. */
  wharf_policy_row_add_field (row, WHARF_POLICY_FIELD_DOCUMENT, GTK_WIDGET (self->sid_row), NULL);

  g_signal_connect_object (gtk_text_view_get_buffer (self->conditions_view), "changed",
                           G_CALLBACK (conditions_changed_cb), self, G_CONNECT_SWAPPED);
}
