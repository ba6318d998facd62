/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-image-cell"

#include "config.h"

#include "wharf-image-cell.h"

struct _WharfImageCell
{
  AdwBin   parent_instance;

  GObject *item;
};

G_DEFINE_FINAL_TYPE (WharfImageCell, wharf_image_cell, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GObject *
wharf_image_cell_get_item (WharfImageCell *self)
{
  g_return_val_if_fail (WHARF_IS_IMAGE_CELL (self), NULL);

  return self->item;
}

void
wharf_image_cell_set_item (WharfImageCell *self,
                           GObject        *item)
{
  g_return_if_fail (WHARF_IS_IMAGE_CELL (self));
  g_return_if_fail (!item || G_IS_OBJECT (item));

  if (g_set_object (&self->item, item))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

static void
wharf_image_cell_dispose (GObject *object)
{
  WharfImageCell *self = WHARF_IMAGE_CELL (object);

  g_clear_object (&self->item);

  G_OBJECT_CLASS (wharf_image_cell_parent_class)->dispose (object);
}

static void
wharf_image_cell_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  WharfImageCell *self = WHARF_IMAGE_CELL (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wharf_image_cell_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  WharfImageCell *self = WHARF_IMAGE_CELL (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      wharf_image_cell_set_item (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wharf_image_cell_class_init (WharfImageCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wharf_image_cell_dispose;
  object_class->get_property = wharf_image_cell_get_property;
  object_class->set_property = wharf_image_cell_set_property;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL,
                         G_TYPE_OBJECT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wharf_image_cell_init (WharfImageCell *self)
{
}
