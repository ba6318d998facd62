/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-policy-row"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-policy-row.h"

typedef struct
{
  int        field;
  GtkWidget *row;       /* AdwActionRow or AdwExpanderRow */
  GtkWidget *control;   /* nullable */
} Field;

typedef struct
{
  gpointer  item;
  guint     number;
  gboolean  showing;
  GArray   *fields;     /* Field, borrowed from the subclass's template */
} WharfPolicyRowPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (WharfPolicyRow, wharf_policy_row, ADW_TYPE_BIN)

enum {
  CHANGED,
  REMOVE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- Item ---- */

void
wharf_policy_row_set_item (WharfPolicyRow *self,
                           gconstpointer   item,
                           guint           number)
{
  WharfPolicyRowPrivate *priv = wharf_policy_row_get_instance_private (self);
  WharfPolicyRowClass *klass;

  g_return_if_fail (WHARF_IS_POLICY_ROW (self));
  g_return_if_fail (item != NULL);

  klass = WHARF_POLICY_ROW_GET_CLASS (self);
  priv->showing = TRUE;
  if (priv->item != item)
    {
      if (priv->item != NULL)
        g_boxed_free (klass->item_type, priv->item);
      priv->item = g_boxed_copy (klass->item_type, item);
    }
  priv->number = number;
  klass->show_item (self);
  klass->update_labels (self);
  priv->showing = FALSE;
}

gconstpointer
wharf_policy_row_get_item (WharfPolicyRow *self)
{
  WharfPolicyRowPrivate *priv = wharf_policy_row_get_instance_private (self);

  g_return_val_if_fail (WHARF_IS_POLICY_ROW (self), NULL);

  return priv->item;
}

gpointer
wharf_policy_row_dup_item (WharfPolicyRow *self)
{
  WharfPolicyRowPrivate *priv = wharf_policy_row_get_instance_private (self);

  g_return_val_if_fail (WHARF_IS_POLICY_ROW (self), NULL);

  if (priv->item == NULL)
    return NULL;
  return g_boxed_copy (WHARF_POLICY_ROW_GET_CLASS (self)->item_type, priv->item);
}

guint
wharf_policy_row_get_number (WharfPolicyRow *self)
{
  WharfPolicyRowPrivate *priv = wharf_policy_row_get_instance_private (self);

  g_return_val_if_fail (WHARF_IS_POLICY_ROW (self), 0);

  return priv->number;
}

gpointer
wharf_policy_row_get_edited_item (WharfPolicyRow *self)
{
  WharfPolicyRowPrivate *priv = wharf_policy_row_get_instance_private (self);

  g_return_val_if_fail (WHARF_IS_POLICY_ROW (self), NULL);

  return priv->showing ? NULL : priv->item;
}

void
wharf_policy_row_set_showing (WharfPolicyRow *self,
                              gboolean        showing)
{
  WharfPolicyRowPrivate *priv = wharf_policy_row_get_instance_private (self);

  g_return_if_fail (WHARF_IS_POLICY_ROW (self));

  priv->showing = showing;
}

void
wharf_policy_row_changed (WharfPolicyRow *self)
{
  g_return_if_fail (WHARF_IS_POLICY_ROW (self));

  WHARF_POLICY_ROW_GET_CLASS (self)->update_labels (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
remove_clicked_cb (WharfPolicyRow *self)
{
  g_signal_emit (self, signals[REMOVE_REQUESTED], 0);
}

char **
wharf_policy_row_split_list (const char *text,
                             const char *separators)
{
  g_auto(GStrv) parts = g_strsplit_set (text, separators, -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (parts[i][0] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }
  return g_strv_builder_end (builder);
}

/* ---- Problems ---- */

void
wharf_policy_row_add_field (WharfPolicyRow *self,
                            int             field,
                            GtkWidget      *row,
                            GtkWidget      *control)
{
  WharfPolicyRowPrivate *priv = wharf_policy_row_get_instance_private (self);
  Field entry = { field, row, control };

  g_return_if_fail (WHARF_IS_POLICY_ROW (self));
  g_return_if_fail (ADW_IS_ACTION_ROW (row) || ADW_IS_EXPANDER_ROW (row));

  g_array_append_val (priv->fields, entry);
}

static void
set_subtitle (GtkWidget  *row,
              const char *text)
{
  if (ADW_IS_EXPANDER_ROW (row))
    adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), text ? text : "");
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
}

void
wharf_policy_row_clear_problems (WharfPolicyRow *self)
{
  WharfPolicyRowPrivate *priv = wharf_policy_row_get_instance_private (self);
  WharfPolicyRowClass *klass;

  g_return_if_fail (WHARF_IS_POLICY_ROW (self));

  klass = WHARF_POLICY_ROW_GET_CLASS (self);
  for (guint i = 0; i < priv->fields->len; i++)
    {
      Field *entry = &g_array_index (priv->fields, Field, i);

      set_subtitle (entry->row, klass->default_subtitle (self, entry->row));
      gtk_widget_remove_css_class (entry->row, "wharf-problem");
      gtk_widget_remove_css_class (entry->row, "wharf-warning");
      if (entry->control == NULL)
        continue;
      gtk_widget_remove_css_class (entry->control, "error");
      gtk_widget_remove_css_class (entry->control, "warning");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (entry->control),
                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (entry->control), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static Field *
find_field (WharfPolicyRow *self,
            int             field)
{
  WharfPolicyRowPrivate *priv = wharf_policy_row_get_instance_private (self);
  Field *document = NULL;

  for (guint i = 0; i < priv->fields->len; i++)
    {
      Field *entry = &g_array_index (priv->fields, Field, i);

      if (entry->field == field)
        return entry;
      if (entry->field == 0 && document == NULL)
        document = entry;
    }
  return document;
}

void
wharf_policy_row_add_problem (WharfPolicyRow *self,
                              int             field,
                              const char     *message,
                              gboolean        is_warning)
{
  GtkWidget *row, *control;
  Field *entry;

  g_return_if_fail (WHARF_IS_POLICY_ROW (self));

  if ((entry = find_field (self, field)) == NULL)
    return;
  row = entry->row;
  control = entry->control;
  if (ADW_IS_EXPANDER_ROW (row))
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);

  if (gtk_widget_has_css_class (row, "wharf-problem"))
    return;
  gtk_widget_remove_css_class (row, "wharf-warning");
  set_subtitle (row, message);
  gtk_widget_add_css_class (row, is_warning ? "wharf-warning" : "wharf-problem");
  if (control != NULL)
    {
      gtk_widget_add_css_class (control, is_warning ? "warning" : "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (control),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
      if (!is_warning)
        gtk_accessible_update_state (GTK_ACCESSIBLE (control),
                                     GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
}

/* ---- GObject ---- */

static void
wharf_policy_row_dispose (GObject *object)
{
  WharfPolicyRowPrivate *priv = wharf_policy_row_get_instance_private (WHARF_POLICY_ROW (object));

  /* The subclass disposed its template: the widgets are gone. */
  g_array_set_size (priv->fields, 0);

  G_OBJECT_CLASS (wharf_policy_row_parent_class)->dispose (object);
}

static void
wharf_policy_row_finalize (GObject *object)
{
  WharfPolicyRow *self = WHARF_POLICY_ROW (object);
  WharfPolicyRowPrivate *priv = wharf_policy_row_get_instance_private (self);

  if (priv->item != NULL)
    g_boxed_free (WHARF_POLICY_ROW_GET_CLASS (self)->item_type, priv->item);
  g_array_unref (priv->fields);

  G_OBJECT_CLASS (wharf_policy_row_parent_class)->finalize (object);
}

void
wharf_policy_row_class_bind_template (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, remove_clicked_cb);
}

static void
wharf_policy_row_class_init (WharfPolicyRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wharf_policy_row_dispose;
  object_class->finalize = wharf_policy_row_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[REMOVE_REQUESTED] = g_signal_new ("remove-requested", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 0);
}

static void
wharf_policy_row_init (WharfPolicyRow *self)
{
  WharfPolicyRowPrivate *priv = wharf_policy_row_get_instance_private (self);

  priv->fields = g_array_new (FALSE, FALSE, sizeof (Field));
}
