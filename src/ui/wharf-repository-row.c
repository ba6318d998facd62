/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-repository-row"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-repository-row.h"
#include "wharf-repository.h"

struct _WharfRepositoryRow
{
  GtkWidget        parent_instance;

  WharfRepository *repository;

  GtkWidget       *box;
  GtkLabel        *namespace_label;
  GtkLabel        *name_label;
};

G_DEFINE_FINAL_TYPE (WharfRepositoryRow, wharf_repository_row, GTK_TYPE_WIDGET)

GtkWidget *
wharf_repository_row_new (void)
{
  return g_object_new (WHARF_TYPE_REPOSITORY_ROW, NULL);
}

void
wharf_repository_row_set_repository (WharfRepositoryRow *self,
                                     WharfRepository    *repository)
{
  const char *ns = NULL;

  g_return_if_fail (WHARF_IS_REPOSITORY_ROW (self));
  g_return_if_fail (!repository || WHARF_IS_REPOSITORY (repository));

  if (!g_set_object (&self->repository, repository))
    return;

  if (repository == NULL)
    {
      gtk_label_set_label (self->namespace_label, NULL);
      gtk_label_set_label (self->name_label, NULL);
      return;
    }

  ns = wharf_repository_get_namespace (repository);
  if (ns != NULL)
    {
      g_autofree char *prefix = g_strconcat (ns, "/", NULL);
      gtk_label_set_label (self->namespace_label, prefix);
    }
  else
    gtk_label_set_label (self->namespace_label, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->namespace_label), ns != NULL);

  gtk_label_set_label (self->name_label, wharf_repository_get_short_name (repository));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), wharf_repository_get_name (repository));

  /* Read as one name, not as two labels. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  wharf_repository_get_name (repository),
                                  -1);
}

WharfRepository *
wharf_repository_row_get_repository (WharfRepositoryRow *self)
{
  g_return_val_if_fail (WHARF_IS_REPOSITORY_ROW (self), NULL);

  return self->repository;
}

static void
wharf_repository_row_dispose (GObject *object)
{
  WharfRepositoryRow *self = WHARF_REPOSITORY_ROW (object);

  g_clear_object (&self->repository);
  gtk_widget_dispose_template (GTK_WIDGET (self), WHARF_TYPE_REPOSITORY_ROW);

  G_OBJECT_CLASS (wharf_repository_row_parent_class)->dispose (object);
}

static void
wharf_repository_row_class_init (WharfRepositoryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wharf_repository_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/wharf-repository-row.ui");
  gtk_widget_class_bind_template_child (widget_class, WharfRepositoryRow, box);
  gtk_widget_class_bind_template_child (widget_class, WharfRepositoryRow, namespace_label);
  gtk_widget_class_bind_template_child (widget_class, WharfRepositoryRow, name_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
wharf_repository_row_init (WharfRepositoryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
