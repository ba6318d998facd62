/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-lifecycle-rule-row"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-lifecycle-rule-row.h"

#include "wharf-policy-editor-private.h"

struct _WharfLifecycleRuleRow
{
  AdwBin               parent_instance;

  WharfLifecycleRule  *rule;
  guint                number;
  gboolean             updating;

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

G_DEFINE_FINAL_TYPE (WharfLifecycleRuleRow, wharf_lifecycle_rule_row, ADW_TYPE_BIN)

enum {
  CHANGED,
  REMOVE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GtkWidget *
wharf_lifecycle_rule_row_new (void)
{
  return g_object_new (WHARF_TYPE_LIFECYCLE_RULE_ROW, NULL);
}

const WharfLifecycleRule *
wharf_lifecycle_rule_row_get_rule (WharfLifecycleRuleRow *self)
{
  g_return_val_if_fail (WHARF_IS_LIFECYCLE_RULE_ROW (self), NULL);

  return self->rule;
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
update_labels (WharfLifecycleRuleRow *self)
{
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
  title = g_strdup_printf (_("Rule %u"), self->number);
  adw_preferences_group_set_title (self->group, title);

  label_control (GTK_WIDGET (self->priority_spin), _("Priority"), self->number);
  label_control (GTK_WIDGET (self->description_entry), _("Description"), self->number);
  label_control (GTK_WIDGET (self->prefixes_toggle), _("Tag Prefix"), self->number);
  label_control (GTK_WIDGET (self->patterns_toggle), _("Tag Pattern"), self->number);
  label_control (GTK_WIDGET (self->untagged_toggle), _("Untagged"), self->number);
  label_control (GTK_WIDGET (self->any_toggle), _("Any"), self->number);
  label_control (GTK_WIDGET (self->tags_entry), tags_title, self->number);
  label_control (GTK_WIDGET (self->count_toggle), _("Beyond a Count"), self->number);
  label_control (GTK_WIDGET (self->age_toggle), _("After Days"), self->number);
  label_control (GTK_WIDGET (self->count_spin), count_title, self->number);
  label_control (self->remove_button, _("Remove Rule"), self->number);
}

static void
emit_changed (WharfLifecycleRuleRow *self)
{
  update_labels (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* ---- Problems ---- */

static const char *
default_subtitle (WharfLifecycleRuleRow *self,
                  AdwActionRow          *row)
{
  if (row == self->priority_row)
    return _("Lower numbers run first; each rule needs its own number");
  if (row == self->tags_row)
    return current_select (self) == WHARF_LIFECYCLE_SELECT_TAG_PATTERNS
      ? _("Comma-separated; * matches any text")
      : _("Comma-separated, such as v, release-");
  if (row == self->count_type_row)
    return NULL;
  if (row == self->action_row)
    return _("Expired images are deleted within 24 hours");
  return NULL;
}

static AdwActionRow *
row_for_field (WharfLifecycleRuleRow *self,
               WharfLifecycleField    field,
               GtkWidget            **control)
{
  *control = NULL;
  switch (field)
    {
    case WHARF_LIFECYCLE_FIELD_PRIORITY:
      *control = GTK_WIDGET (self->priority_spin);
      return self->priority_row;
    case WHARF_LIFECYCLE_FIELD_DESCRIPTION:
      *control = GTK_WIDGET (self->description_entry);
      return self->description_row;
    case WHARF_LIFECYCLE_FIELD_TAG_STATUS:
      return self->select_row;
    case WHARF_LIFECYCLE_FIELD_TAG_LIST:
      *control = GTK_WIDGET (self->tags_entry);
      return self->tags_row;
    case WHARF_LIFECYCLE_FIELD_COUNT_TYPE:
      return self->count_type_row;
    case WHARF_LIFECYCLE_FIELD_COUNT_NUMBER:
      *control = GTK_WIDGET (self->count_spin);
      return self->count_row;
    case WHARF_LIFECYCLE_FIELD_ACTION:
    case WHARF_LIFECYCLE_FIELD_DOCUMENT:
    default:
      return self->action_row;
    }
}

void
wharf_lifecycle_rule_row_clear_problems (WharfLifecycleRuleRow *self)
{
  AdwActionRow *rows[] = { self->priority_row, self->description_row, self->select_row,
                           self->tags_row, self->count_type_row, self->count_row,
                           self->action_row };
  GtkWidget *controls[] = { GTK_WIDGET (self->priority_spin), GTK_WIDGET (self->description_entry),
                            GTK_WIDGET (self->tags_entry), GTK_WIDGET (self->count_spin) };

  g_return_if_fail (WHARF_IS_LIFECYCLE_RULE_ROW (self));

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    wharf_policy_row_reset (GTK_WIDGET (rows[i]), default_subtitle (self, rows[i]));
  for (guint i = 0; i < G_N_ELEMENTS (controls); i++)
    wharf_policy_row_reset_control (controls[i]);
}

void
wharf_lifecycle_rule_row_add_problem (WharfLifecycleRuleRow *self,
                                      WharfLifecycleField    field,
                                      const char            *message,
                                      gboolean               is_warning)
{
  GtkWidget *control;
  AdwActionRow *row;

  g_return_if_fail (WHARF_IS_LIFECYCLE_RULE_ROW (self));

  row = row_for_field (self, field, &control);
  wharf_policy_row_mark_problem (GTK_WIDGET (row), control, message, is_warning);
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
  g_autofree char *tags = NULL;
  g_autofree char *words = NULL;
  g_autofree char *description = NULL;
  GtkToggleButton *select_toggle;
  WharfLifecycleSelect select;
  char **list;

  g_return_if_fail (WHARF_IS_LIFECYCLE_RULE_ROW (self));
  g_return_if_fail (rule != NULL);

  self->updating = TRUE;

  if (self->rule != rule)
    {
      g_clear_pointer (&self->rule, wharf_lifecycle_rule_free);
      self->rule = wharf_lifecycle_rule_copy (rule);
    }
  self->number = number;

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
  if (n_rules > 1)
    /* Translators: "Runs 1st of 3 · Untagged images: expire after 7 days"; %u of %u, then the rule in words */
    description = g_strdup_printf (_("Runs %u of %u · %s"), run_position, n_rules, words);
  else
    description = g_steal_pointer (&words);
  adw_preferences_group_set_description (self->group, description);

  update_labels (self);
  self->updating = FALSE;
}

/* ---- Edits ---- */

static void
remove_clicked_cb (WharfLifecycleRuleRow *self)
{
  g_signal_emit (self, signals[REMOVE_REQUESTED], 0);
}

static void
priority_changed_cb (WharfLifecycleRuleRow *self)
{
  if (self->updating || self->rule == NULL)
    return;
  self->rule->priority = gtk_spin_button_get_value_as_int (self->priority_spin);
  emit_changed (self);
}

static void
description_changed_cb (WharfLifecycleRuleRow *self)
{
  const char *text = gtk_editable_get_text (self->description_entry);

  if (self->updating || self->rule == NULL)
    return;
  g_free (self->rule->description);
  self->rule->description = text[0] != '\0' ? g_strdup (text) : NULL;
  emit_changed (self);
}

static void
select_toggled_cb (WharfLifecycleRuleRow *self,
                   GtkToggleButton       *button)
{
  g_auto(GStrv) tags = NULL;

  /* Each change toggles two buttons: act on the one switched on. */
  if (self->updating || self->rule == NULL || !gtk_toggle_button_get_active (button))
    return;
  tags = split_tags (gtk_editable_get_text (self->tags_entry));
  wharf_lifecycle_rule_set_select (self->rule, current_select (self), (const char * const *) tags);
  emit_changed (self);
}

static void
tags_changed_cb (WharfLifecycleRuleRow *self)
{
  g_auto(GStrv) tags = NULL;

  if (self->updating || self->rule == NULL)
    return;
  tags = split_tags (gtk_editable_get_text (self->tags_entry));
  wharf_lifecycle_rule_set_select (self->rule, current_select (self), (const char * const *) tags);
  emit_changed (self);
}

static void
count_type_toggled_cb (WharfLifecycleRuleRow *self,
                       GtkToggleButton       *button)
{
  gboolean by_age;

  if (self->updating || self->rule == NULL || !gtk_toggle_button_get_active (button))
    return;
  by_age = gtk_toggle_button_get_active (self->age_toggle);
  g_free (self->rule->count_type);
  g_clear_pointer (&self->rule->count_unit, g_free);
  self->rule->count_type = g_strdup (by_age ? "sinceImagePushed" : "imageCountMoreThan");
  if (by_age)
    self->rule->count_unit = g_strdup ("days");
  emit_changed (self);
}

static void
count_changed_cb (WharfLifecycleRuleRow *self)
{
  if (self->updating || self->rule == NULL)
    return;
  self->rule->count_number = gtk_spin_button_get_value_as_int (self->count_spin);
  emit_changed (self);
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
wharf_lifecycle_rule_row_finalize (GObject *object)
{
  WharfLifecycleRuleRow *self = WHARF_LIFECYCLE_RULE_ROW (object);

  g_clear_pointer (&self->rule, wharf_lifecycle_rule_free);

  G_OBJECT_CLASS (wharf_lifecycle_rule_row_parent_class)->finalize (object);
}

static void
wharf_lifecycle_rule_row_class_init (WharfLifecycleRuleRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wharf_lifecycle_rule_row_dispose;
  object_class->finalize = wharf_lifecycle_rule_row_finalize;

  wharf_policy_row_class_add_signals (G_TYPE_FROM_CLASS (klass), signals);

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
  gtk_widget_class_bind_template_callback (widget_class, remove_clicked_cb);
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
  gtk_widget_init_template (GTK_WIDGET (self));
}
