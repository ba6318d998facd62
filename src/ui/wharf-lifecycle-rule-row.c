/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-lifecycle-rule-row"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-lifecycle-rule-row.h"

struct _WharfLifecycleRuleRow
{
  WharfPolicyRow       parent_instance;

  guint                run_position;
  guint                n_rules;

  AdwPreferencesGroup *group;
  GtkWidget           *remove_button;
  AdwActionRow        *priority_row;
  GtkSpinButton       *priority_spin;
  AdwActionRow        *description_row;
  GtkEditable         *description_entry;
  AdwActionRow        *select_row;
  GtkToggleButton     *prefixes_toggle;
  GtkToggleButton     *patterns_toggle;
  GtkToggleButton     *untagged_toggle;
  GtkToggleButton     *any_toggle;
  AdwActionRow        *tags_row;
  GtkEditable         *tags_entry;
  AdwActionRow        *count_type_row;
  GtkToggleButton     *count_toggle;
  GtkToggleButton     *age_toggle;
  AdwActionRow        *count_row;
  GtkSpinButton       *count_spin;
  AdwActionRow        *action_row;
};

G_DEFINE_FINAL_TYPE (WharfLifecycleRuleRow, wharf_lifecycle_rule_row, WHARF_TYPE_POLICY_ROW)

GtkWidget *
wharf_lifecycle_rule_row_new (void)
{
  return g_object_new (WHARF_TYPE_LIFECYCLE_RULE_ROW, NULL);
}

/* The rule that an edit of the person changes; NULL while the row shows one. */
static WharfLifecycleRule *
edited_rule (WharfLifecycleRuleRow *self)
{
  return wharf_policy_row_get_edited_item (WHARF_POLICY_ROW (self));
}

static WharfLifecycleSelect
current_select (WharfLifecycleRuleRow *self)
{
  if (gtk_toggle_button_get_active (self->patterns_toggle))
    return WHARF_LIFECYCLE_SELECT_TAG_PATTERNS;
  if (gtk_toggle_button_get_active (self->untagged_toggle))
    return WHARF_LIFECYCLE_SELECT_UNTAGGED;
  if (gtk_toggle_button_get_active (self->any_toggle))
    return WHARF_LIFECYCLE_SELECT_ANY;
  return WHARF_LIFECYCLE_SELECT_TAG_PREFIXES;
}

static char **
split_tags (const char *text)
{
  return wharf_policy_row_split_list (text, ",");
}

static void
label_control (GtkWidget  *widget,
               const char *label,
               guint       number)
{
  /* Translators: an accessible name: "Rule 2: Priority" */
  g_autofree char *name = g_strdup_printf (_("Rule %u: %s"), number, label);

  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

/* Titles, hints and accessible names that follow the selection and count type. */
static void
update_labels (WharfPolicyRow *row)
{
  WharfLifecycleRuleRow *self = WHARF_LIFECYCLE_RULE_ROW (row);
  guint number = wharf_policy_row_get_number (row);
  WharfLifecycleSelect select = current_select (self);
  gboolean by_age = gtk_toggle_button_get_active (self->age_toggle);
  const char *tags_title = select == WHARF_LIFECYCLE_SELECT_TAG_PATTERNS ? _("Tag Patterns")
                                                                        : _("Tag Prefixes");
  const char *count_title = by_age ? _("Days Since Push") : _("Images to Keep");
  g_autofree char *title = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->tags_row),
                          select == WHARF_LIFECYCLE_SELECT_TAG_PREFIXES ||
                          select == WHARF_LIFECYCLE_SELECT_TAG_PATTERNS);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->tags_row), tags_title);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->count_row), count_title);

  /* Translators: %u is the rule's number in the form */
  title = g_strdup_printf (_("Rule %u"), number);
  adw_preferences_group_set_title (self->group, title);

  label_control (GTK_WIDGET (self->priority_spin), _("Priority"), number);
  label_control (GTK_WIDGET (self->description_entry), _("Description"), number);
  label_control (GTK_WIDGET (self->prefixes_toggle), _("Tag Prefix"), number);
  label_control (GTK_WIDGET (self->patterns_toggle), _("Tag Pattern"), number);
  label_control (GTK_WIDGET (self->untagged_toggle), _("Untagged"), number);
  label_control (GTK_WIDGET (self->any_toggle), _("Any"), number);
  label_control (GTK_WIDGET (self->tags_entry), tags_title, number);
  label_control (GTK_WIDGET (self->count_toggle), _("Beyond a Count"), number);
  label_control (GTK_WIDGET (self->age_toggle), _("After Days"), number);
  label_control (GTK_WIDGET (self->count_spin), count_title, number);
  label_control (self->remove_button, _("Remove Rule"), number);
}

/* ---- Problems ---- */

static const char *
default_subtitle (WharfPolicyRow *row,
                  GtkWidget      *field_row)
{
  WharfLifecycleRuleRow *self = WHARF_LIFECYCLE_RULE_ROW (row);

  if (field_row == GTK_WIDGET (self->priority_row))
    return _("Lower numbers run first; each rule needs its own number");
  if (field_row == GTK_WIDGET (self->tags_row))
    return current_select (self) == WHARF_LIFECYCLE_SELECT_TAG_PATTERNS
      ? _("Comma-separated; * matches any text")
      : _("Comma-separated, such as v, release-");
  if (field_row == GTK_WIDGET (self->action_row))
    return _("Expired images are deleted within 24 hours");
  return NULL;
}

/* ---- Showing a rule ---- */

static void
set_text_if_different (GtkEditable *editable,
                       const char  *text)
{
  if (g_strcmp0 (gtk_editable_get_text (editable), text ? text : "") != 0)
    gtk_editable_set_text (editable, text ? text : "");
}

void
wharf_lifecycle_rule_row_set_rule (WharfLifecycleRuleRow    *self,
                                   const WharfLifecycleRule *rule,
                                   guint                     number,
                                   guint                     run_position,
                                   guint                     n_rules)
{
  g_return_if_fail (WHARF_IS_LIFECYCLE_RULE_ROW (self));
  g_return_if_fail (rule != NULL);

  self->run_position = run_position;
  self->n_rules = n_rules;
  wharf_policy_row_set_item (WHARF_POLICY_ROW (self), rule, number);
}

static void
show_item (WharfPolicyRow *row)
{
  WharfLifecycleRuleRow *self = WHARF_LIFECYCLE_RULE_ROW (row);
  const WharfLifecycleRule *rule = wharf_policy_row_get_item (row);
  g_autofree char *tags = NULL;
  g_autofree char *words = NULL;
  g_autofree char *description = NULL;
  GtkToggleButton *select_toggle;
  WharfLifecycleSelect select;
  char **list;

  gtk_spin_button_set_value (self->priority_spin, (double) CLAMP (rule->priority, 0, 999999));
  set_text_if_different (self->description_entry, rule->description);

  select = wharf_lifecycle_rule_get_select (rule);
  select_toggle = select == WHARF_LIFECYCLE_SELECT_TAG_PATTERNS ? self->patterns_toggle
                  : select == WHARF_LIFECYCLE_SELECT_UNTAGGED ? self->untagged_toggle
                  : select == WHARF_LIFECYCLE_SELECT_ANY ? self->any_toggle
                  : self->prefixes_toggle;
  gtk_toggle_button_set_active (select_toggle, TRUE);

  list = select == WHARF_LIFECYCLE_SELECT_TAG_PATTERNS ? rule->tag_patterns : rule->tag_prefixes;
  tags = list != NULL ? g_strjoinv (", ", list) : g_strdup ("");
  {
    g_auto(GStrv) shown = split_tags (gtk_editable_get_text (self->tags_entry));

    /* Keep what the person is typing ("v, ") when it means the same list. */
    if (!g_strv_equal ((const char * const *) shown,
                       list != NULL ? (const char * const *) list : (const char * const *) (char *[]) { NULL }))
      gtk_editable_set_text (self->tags_entry, tags);
  }

  gtk_toggle_button_set_active (g_strcmp0 (rule->count_type, "sinceImagePushed") == 0
                                ? self->age_toggle : self->count_toggle, TRUE);
  gtk_spin_button_set_value (self->count_spin, (double) CLAMP (rule->count_number, 0, 1000000));

  words = wharf_lifecycle_rule_describe (rule);
  if (self->n_rules > 1)
    /* Translators: "Runs 1st of 3 · Untagged images: expire after 7 days"; %u of %u, then the rule in words */
    description = g_strdup_printf (_("Runs %u of %u · %s"), self->run_position, self->n_rules, words);
  else
    description = g_steal_pointer (&words);
  adw_preferences_group_set_description (self->group, description);
}

/* ---- Edits ---- */

static void
priority_changed_cb (WharfLifecycleRuleRow *self)
{
  WharfLifecycleRule *rule;

  if ((rule = edited_rule (self)) == NULL)
    return;
  rule->priority = gtk_spin_button_get_value_as_int (self->priority_spin);
  wharf_policy_row_changed (WHARF_POLICY_ROW (self));
}

static void
description_changed_cb (WharfLifecycleRuleRow *self)
{
  const char *text = gtk_editable_get_text (self->description_entry);
  WharfLifecycleRule *rule;

  if ((rule = edited_rule (self)) == NULL)
    return;
  g_free (rule->description);
  rule->description = text[0] != '\0' ? g_strdup (text) : NULL;
  wharf_policy_row_changed (WHARF_POLICY_ROW (self));
}

static void
select_toggled_cb (WharfLifecycleRuleRow *self,
                   GtkToggleButton       *button)
{
  g_auto(GStrv) tags = NULL;
  WharfLifecycleRule *rule;

  /* Each change toggles two buttons: act on the one switched on. */
  if ((rule = edited_rule (self)) == NULL || !gtk_toggle_button_get_active (button))
    return;
  tags = split_tags (gtk_editable_get_text (self->tags_entry));
  wharf_lifecycle_rule_set_select (rule, current_select (self), (const char * const *) tags);
  wharf_policy_row_changed (WHARF_POLICY_ROW (self));
}

static void
tags_changed_cb (WharfLifecycleRuleRow *self)
{
  g_auto(GStrv) tags = NULL;
  WharfLifecycleRule *rule;

  if ((rule = edited_rule (self)) == NULL)
    return;
  tags = split_tags (gtk_editable_get_text (self->tags_entry));
  wharf_lifecycle_rule_set_select (rule, current_select (self), (const char * const *) tags);
  wharf_policy_row_changed (WHARF_POLICY_ROW (self));
}

static void
count_type_toggled_cb (WharfLifecycleRuleRow *self,
                       GtkToggleButton       *button)
{
  gboolean by_age;
  WharfLifecycleRule *rule;

  if ((rule = edited_rule (self)) == NULL || !gtk_toggle_button_get_active (button))
    return;
  by_age = gtk_toggle_button_get_active (self->age_toggle);
  g_free (rule->count_type);
  g_clear_pointer (&rule->count_unit, g_free);
  rule->count_type = g_strdup (by_age ? "sinceImagePushed" : "imageCountMoreThan");
  if (by_age)
    rule->count_unit = g_strdup ("days");
  wharf_policy_row_changed (WHARF_POLICY_ROW (self));
}

static void
count_changed_cb (WharfLifecycleRuleRow *self)
{
  WharfLifecycleRule *rule;

  if ((rule = edited_rule (self)) == NULL)
    return;
  rule->count_number = gtk_spin_button_get_value_as_int (self->count_spin);
  wharf_policy_row_changed (WHARF_POLICY_ROW (self));
}

/* ---- GObject ---- */

static void
wharf_lifecycle_rule_row_dispose (GObject *object)
{
  /* AdwBin would unparent its child again after the template did. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), WHARF_TYPE_LIFECYCLE_RULE_ROW);

  G_OBJECT_CLASS (wharf_lifecycle_rule_row_parent_class)->dispose (object);
}

static void
wharf_lifecycle_rule_row_class_init (WharfLifecycleRuleRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  WharfPolicyRowClass *row_class = WHARF_POLICY_ROW_CLASS (klass);

  object_class->dispose = wharf_lifecycle_rule_row_dispose;

  row_class->item_type = WHARF_TYPE_LIFECYCLE_RULE;
  row_class->show_item = show_item;
  row_class->update_labels = update_labels;
  row_class->default_subtitle = default_subtitle;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/wharf-lifecycle-rule-row.ui");
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleRuleRow, group);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleRuleRow, remove_button);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleRuleRow, priority_row);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleRuleRow, priority_spin);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleRuleRow, description_row);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleRuleRow, description_entry);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleRuleRow, select_row);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleRuleRow, prefixes_toggle);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleRuleRow, patterns_toggle);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleRuleRow, untagged_toggle);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleRuleRow, any_toggle);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleRuleRow, tags_row);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleRuleRow, tags_entry);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleRuleRow, count_type_row);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleRuleRow, count_toggle);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleRuleRow, age_toggle);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleRuleRow, count_row);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleRuleRow, count_spin);
  gtk_widget_class_bind_template_child (widget_class, WharfLifecycleRuleRow, action_row);
  wharf_policy_row_class_bind_template (widget_class);
  gtk_widget_class_bind_template_callback (widget_class, priority_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, description_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, select_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, tags_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, count_type_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, count_changed_cb);
}

static void
wharf_lifecycle_rule_row_init (WharfLifecycleRuleRow *self)
{
  WharfPolicyRow *row = WHARF_POLICY_ROW (self);

  gtk_widget_init_template (GTK_WIDGET (self));

  wharf_policy_row_add_field (row, WHARF_LIFECYCLE_FIELD_PRIORITY,
                              GTK_WIDGET (self->priority_row), GTK_WIDGET (self->priority_spin));
  wharf_policy_row_add_field (row, WHARF_LIFECYCLE_FIELD_DESCRIPTION,
                              GTK_WIDGET (self->description_row),
                              GTK_WIDGET (self->description_entry));
  wharf_policy_row_add_field (row, WHARF_LIFECYCLE_FIELD_TAG_STATUS,
                              GTK_WIDGET (self->select_row), NULL);
  wharf_policy_row_add_field (row, WHARF_LIFECYCLE_FIELD_TAG_LIST,
                              GTK_WIDGET (self->tags_row), GTK_WIDGET (self->tags_entry));
  wharf_policy_row_add_field (row, WHARF_LIFECYCLE_FIELD_COUNT_TYPE,
                              GTK_WIDGET (self->count_type_row), NULL);
  wharf_policy_row_add_field (row, WHARF_LIFECYCLE_FIELD_COUNT_NUMBER,
                              GTK_WIDGET (self->count_row), GTK_WIDGET (self->count_spin));
  /* The document's problems show on the last row. */
  wharf_policy_row_add_field (row, WHARF_LIFECYCLE_FIELD_ACTION,
                              GTK_WIDGET (self->action_row), NULL);
  wharf_policy_row_add_field (row, WHARF_LIFECYCLE_FIELD_DOCUMENT,
                              GTK_WIDGET (self->action_row), NULL);
}
