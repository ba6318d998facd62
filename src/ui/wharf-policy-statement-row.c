/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-policy-statement-row"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-policy-statement-row.h"

#include "wharf-policy-editor-private.h"

struct _WharfPolicyStatementRow
{
  AdwBin                parent_instance;

  WharfPolicyStatement *statement;
  guint                 number;
  gboolean              updating;

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

G_DEFINE_FINAL_TYPE (WharfPolicyStatementRow, wharf_policy_statement_row, ADW_TYPE_BIN)

enum {
  CHANGED,
  REMOVE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GtkWidget *
wharf_policy_statement_row_new (void)
{
  return g_object_new (WHARF_TYPE_POLICY_STATEMENT_ROW, NULL);
}

const WharfPolicyStatement *
wharf_policy_statement_row_get_statement (WharfPolicyStatementRow *self)
{
  g_return_val_if_fail (WHARF_IS_POLICY_STATEMENT_ROW (self), NULL);

  return self->statement;
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
update_labels (WharfPolicyStatementRow *self)
{
  g_autofree char *title = g_strdup_printf (_("Statement %u"), self->number);
  g_autofree char *words = self->statement ? wharf_policy_statement_describe (self->statement) : NULL;

  adw_preferences_group_set_title (self->group, title);
  adw_preferences_group_set_description (self->group, words);
  label_control (GTK_WIDGET (self->sid_entry), _("Statement ID"), self->number);
  label_control (GTK_WIDGET (self->allow_toggle), _("Allow"), self->number);
  label_control (GTK_WIDGET (self->deny_toggle), _("Deny"), self->number);
  label_control (GTK_WIDGET (self->principals_entry), _("Principals"), self->number);
  label_control (GTK_WIDGET (self->pull_toggle), _("Pull"), self->number);
  label_control (GTK_WIDGET (self->push_toggle), _("Push"), self->number);
  label_control (GTK_WIDGET (self->manage_toggle), _("Manage"), self->number);
  label_control (GTK_WIDGET (self->all_toggle), _("All"), self->number);
  label_control (GTK_WIDGET (self->custom_toggle), _("Custom"), self->number);
  label_control (GTK_WIDGET (self->actions_entry), _("Actions"), self->number);
  label_control (GTK_WIDGET (self->conditions_view), _("Conditions JSON"), self->number);
  label_control (self->remove_button, _("Remove Statement"), self->number);
}

static void
emit_changed (WharfPolicyStatementRow *self)
{
  update_labels (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* ---- Problems ---- */

static const char *
default_subtitle (WharfPolicyStatementRow *self,
                  GtkWidget               *row)
{
  if (row == GTK_WIDGET (self->sid_row))
    return _("Optional; letters and digits");
  if (row == GTK_WIDGET (self->principals_row))
    return _("Account IDs, IAM ARNs or services such as lambda.amazonaws.com, separated by commas; * is everyone");
  if (row == GTK_WIDGET (self->actions_row))
    return _("ECR actions, separated by commas");
  if (row == GTK_WIDGET (self->conditions_row))
    return self->statement != NULL && self->statement->conditions != NULL
      ? _("Applies only when the conditions hold") : _("None: a JSON object, when needed");
  return NULL;
}

void
wharf_policy_statement_row_clear_problems (WharfPolicyStatementRow *self)
{
  GtkWidget *rows[] = { GTK_WIDGET (self->sid_row), GTK_WIDGET (self->effect_row),
                        GTK_WIDGET (self->principals_row), GTK_WIDGET (self->access_row),
                        GTK_WIDGET (self->actions_row), GTK_WIDGET (self->conditions_row) };
  GtkWidget *controls[] = { GTK_WIDGET (self->sid_entry), GTK_WIDGET (self->principals_entry),
                            GTK_WIDGET (self->actions_entry), GTK_WIDGET (self->conditions_view) };

  g_return_if_fail (WHARF_IS_POLICY_STATEMENT_ROW (self));

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    wharf_policy_row_reset (rows[i], default_subtitle (self, rows[i]));
  for (guint i = 0; i < G_N_ELEMENTS (controls); i++)
    wharf_policy_row_reset_control (controls[i]);
}

void
wharf_policy_statement_row_add_problem (WharfPolicyStatementRow *self,
                                        WharfPolicyField         field,
                                        const char              *message,
                                        gboolean                 is_warning)
{
  GtkWidget *row, *control = NULL;

  g_return_if_fail (WHARF_IS_POLICY_STATEMENT_ROW (self));

  switch (field)
    {
    case WHARF_POLICY_FIELD_SID:
      row = GTK_WIDGET (self->sid_row);
      control = GTK_WIDGET (self->sid_entry);
      break;
    case WHARF_POLICY_FIELD_EFFECT:
      row = GTK_WIDGET (self->effect_row);
      break;
    case WHARF_POLICY_FIELD_PRINCIPALS:
      row = GTK_WIDGET (self->principals_row);
      control = GTK_WIDGET (self->principals_entry);
      break;
    case WHARF_POLICY_FIELD_ACTIONS:
      row = GTK_WIDGET (self->actions_row);
      control = GTK_WIDGET (self->actions_entry);
      break;
    case WHARF_POLICY_FIELD_CONDITIONS:
      row = GTK_WIDGET (self->conditions_row);
      control = GTK_WIDGET (self->conditions_view);
      adw_expander_row_set_expanded (self->conditions_row, TRUE);
      break;
    case WHARF_POLICY_FIELD_DOCUMENT:
    default:
      row = GTK_WIDGET (self->sid_row);
      break;
    }

  wharf_policy_row_mark_problem (row, control, message, is_warning);
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
    wharf_policy_access_from_actions ((const char * const *) self->statement->actions);

  gtk_toggle_button_set_active (buttons[access], TRUE);
}

void
wharf_policy_statement_row_set_statement (WharfPolicyStatementRow    *self,
                                          const WharfPolicyStatement *statement,
                                          guint                       number)
{
  GtkTextBuffer *buffer;
  g_autofree char *conditions = NULL;
  GtkTextIter start, end;

  g_return_if_fail (WHARF_IS_POLICY_STATEMENT_ROW (self));
  g_return_if_fail (statement != NULL);

  self->updating = TRUE;
  if (self->statement != statement)
    {
      g_clear_pointer (&self->statement, wharf_policy_statement_free);
      self->statement = wharf_policy_statement_copy (statement);
    }
  self->number = number;

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

  update_labels (self);
  self->updating = FALSE;
}

/* ---- Edits ---- */

static void
remove_clicked_cb (WharfPolicyStatementRow *self)
{
  g_signal_emit (self, signals[REMOVE_REQUESTED], 0);
}

static void
sid_changed_cb (WharfPolicyStatementRow *self)
{
  const char *text = gtk_editable_get_text (self->sid_entry);

  if (self->updating || self->statement == NULL)
    return;
  g_free (self->statement->sid);
  self->statement->sid = text[0] != '\0' ? g_strdup (text) : NULL;
  emit_changed (self);
}

static void
effect_toggled_cb (WharfPolicyStatementRow *self,
                   GtkToggleButton         *button)
{
  if (self->updating || self->statement == NULL || !gtk_toggle_button_get_active (button))
    return;
  g_free (self->statement->effect);
  self->statement->effect = g_strdup (button == self->deny_toggle ? "Deny" : "Allow");
  emit_changed (self);
}

static void
principals_changed_cb (WharfPolicyStatementRow *self)
{
  if (self->updating || self->statement == NULL)
    return;
  g_strfreev (self->statement->principals);
  self->statement->principals = split_list (gtk_editable_get_text (self->principals_entry));
  emit_changed (self);
}

static void
access_toggled_cb (WharfPolicyStatementRow *self,
                   GtkToggleButton         *button)
{
  WharfPolicyAccess access;

  if (self->updating || self->statement == NULL || !gtk_toggle_button_get_active (button))
    return;
  access = button == self->pull_toggle ? WHARF_POLICY_ACCESS_PULL
           : button == self->push_toggle ? WHARF_POLICY_ACCESS_PUSH
           : button == self->manage_toggle ? WHARF_POLICY_ACCESS_MANAGE
           : WHARF_POLICY_ACCESS_ALL;
  g_strfreev (self->statement->actions);
  self->statement->actions = g_strdupv ((char **) wharf_policy_access_actions (access));
  self->updating = TRUE;
  set_list_if_different (self->actions_entry, self->statement->actions);
  self->updating = FALSE;
  emit_changed (self);
}

static void
actions_changed_cb (WharfPolicyStatementRow *self)
{
  if (self->updating || self->statement == NULL)
    return;
  g_strfreev (self->statement->actions);
  self->statement->actions = split_list (gtk_editable_get_text (self->actions_entry));
  self->updating = TRUE;
  show_access (self);
  self->updating = FALSE;
  emit_changed (self);
}

static void
conditions_changed_cb (WharfPolicyStatementRow *self,
                       GtkTextBuffer           *buffer)
{
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  if (self->updating || self->statement == NULL)
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_strstrip (text);
  g_free (self->statement->conditions);
  self->statement->conditions = text[0] != '\0' ? g_steal_pointer (&text) : NULL;
  emit_changed (self);
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
wharf_policy_statement_row_finalize (GObject *object)
{
  WharfPolicyStatementRow *self = WHARF_POLICY_STATEMENT_ROW (object);

  g_clear_pointer (&self->statement, wharf_policy_statement_free);

  G_OBJECT_CLASS (wharf_policy_statement_row_parent_class)->finalize (object);
}

static void
wharf_policy_statement_row_class_init (WharfPolicyStatementRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wharf_policy_statement_row_dispose;
  object_class->finalize = wharf_policy_statement_row_finalize;

  wharf_policy_row_class_add_signals (G_TYPE_FROM_CLASS (klass), signals);

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
  gtk_widget_class_bind_template_callback (widget_class, remove_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, sid_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, effect_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, principals_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, access_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, actions_changed_cb);
}

static void
wharf_policy_statement_row_init (WharfPolicyStatementRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (gtk_text_view_get_buffer (self->conditions_view), "changed",
                           G_CALLBACK (conditions_changed_cb), self, G_CONNECT_SWAPPED);
}
