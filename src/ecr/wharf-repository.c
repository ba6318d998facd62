/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-repository"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wharf-repository.h"

#include "wharf-ecr-enums.h"
#include "wharf-ecr-json-private.h"

struct _WharfRepository
{
  GObject              parent_instance;

  char                *name;
  char                *arn;
  char                *uri;
  char                *registry_id;
  GDateTime           *created_at;
  WharfTagMutability   tag_mutability;
  GStrv                exclusion_filters;
  gboolean             scan_on_push;
  WharfEncryptionType  encryption_type;
  char                *kms_key;
  char                *namespace;
  const char          *short_name;  /* points into name */
};

G_DEFINE_FINAL_TYPE (WharfRepository, wharf_repository, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_ARN,
  PROP_URI,
  PROP_REGISTRY_ID,
  PROP_CREATED_AT,
  PROP_TAG_MUTABILITY,
  PROP_EXCLUSION_FILTERS,
  PROP_SCAN_ON_PUSH,
  PROP_ENCRYPTION_TYPE,
  PROP_KMS_KEY,
  PROP_NAMESPACE,
  PROP_SHORT_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
wharf_repository_finalize (GObject *object)
{
  WharfRepository *self = (WharfRepository *) object;

  g_free (self->name);
  g_free (self->arn);
  g_free (self->uri);
  g_free (self->registry_id);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_strfreev (self->exclusion_filters);
  g_free (self->kms_key);
  g_free (self->namespace);

  G_OBJECT_CLASS (wharf_repository_parent_class)->finalize (object);
}

static void
wharf_repository_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  WharfRepository *self = WHARF_REPOSITORY (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_ARN:
      g_value_set_string (value, self->arn);
      break;
    case PROP_URI:
      g_value_set_string (value, self->uri);
      break;
    case PROP_REGISTRY_ID:
      g_value_set_string (value, self->registry_id);
      break;
    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;
    case PROP_TAG_MUTABILITY:
      g_value_set_enum (value, self->tag_mutability);
      break;
    case PROP_EXCLUSION_FILTERS:
      g_value_set_boxed (value, self->exclusion_filters);
      break;
    case PROP_SCAN_ON_PUSH:
      g_value_set_boolean (value, self->scan_on_push);
      break;
    case PROP_ENCRYPTION_TYPE:
      g_value_set_enum (value, self->encryption_type);
      break;
    case PROP_KMS_KEY:
      g_value_set_string (value, self->kms_key);
      break;
    case PROP_NAMESPACE:
      g_value_set_string (value, self->namespace);
      break;
    case PROP_SHORT_NAME:
      g_value_set_string (value, self->short_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wharf_repository_class_init (WharfRepositoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = wharf_repository_finalize;
  object_class->get_property = wharf_repository_get_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_ARN] = g_param_spec_string ("arn", NULL, NULL, NULL, flags);
  properties[PROP_URI] = g_param_spec_string ("uri", NULL, NULL, NULL, flags);
  properties[PROP_REGISTRY_ID] = g_param_spec_string ("registry-id", NULL, NULL, NULL, flags);
  properties[PROP_CREATED_AT] = g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME,
                                                    flags);
  properties[PROP_TAG_MUTABILITY] =
    g_param_spec_enum ("tag-mutability", NULL, NULL, WHARF_TYPE_TAG_MUTABILITY,
                       WHARF_TAG_MUTABILITY_MUTABLE, flags);
  properties[PROP_EXCLUSION_FILTERS] =
    g_param_spec_boxed ("exclusion-filters", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_SCAN_ON_PUSH] = g_param_spec_boolean ("scan-on-push", NULL, NULL, FALSE, flags);
  properties[PROP_ENCRYPTION_TYPE] =
    g_param_spec_enum ("encryption-type", NULL, NULL, WHARF_TYPE_ENCRYPTION_TYPE,
                       WHARF_ENCRYPTION_TYPE_AES256, flags);
  properties[PROP_KMS_KEY] = g_param_spec_string ("kms-key", NULL, NULL, NULL, flags);
  properties[PROP_NAMESPACE] = g_param_spec_string ("namespace", NULL, NULL, NULL, flags);
  properties[PROP_SHORT_NAME] = g_param_spec_string ("short-name", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wharf_repository_init (WharfRepository *self)
{
}

static gboolean
parse_repository (WharfRepository *self,
                  JsonObject      *object,
                  GError         **error)
{
  const char *name, *arn, *uri, *registry_id, *mutability, *slash;
  JsonObject *scanning, *encryption;
  JsonArray *filters;

  if (!wharf_ecr_json_get_string (object, "repositoryName", TRUE, &name, error) ||
      !wharf_ecr_json_get_string (object, "repositoryArn", TRUE, &arn, error) ||
      !wharf_ecr_json_get_string (object, "repositoryUri", FALSE, &uri, error) ||
      !wharf_ecr_json_get_string (object, "registryId", FALSE, &registry_id, error) ||
      !wharf_ecr_json_get_timestamp (object, "createdAt", &self->created_at, error) ||
      !wharf_ecr_json_get_string (object, "imageTagMutability", FALSE, &mutability, error) ||
      !wharf_ecr_json_get_array (object, "imageTagMutabilityExclusionFilters", FALSE, &filters,
                                 error) ||
      !wharf_ecr_json_get_object (object, "imageScanningConfiguration", FALSE, &scanning, error) ||
      !wharf_ecr_json_get_object (object, "encryptionConfiguration", FALSE, &encryption, error))
    return FALSE;

  if (!*name)
    return wharf_ecr_json_bad_value ("repositoryName", error);

  self->name = g_strdup (name);
  self->arn = g_strdup (arn);
  self->uri = g_strdup (uri ? uri : "");
  self->registry_id = g_strdup (registry_id ? registry_id : "");

  /* A newer ECR may add values: the repository stays listed, with the value unknown. */
  if (mutability && !wharf_tag_mutability_from_string (mutability, &self->tag_mutability))
    self->tag_mutability = WHARF_TAG_MUTABILITY_UNKNOWN;

  {
    g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
    guint i, n = filters ? json_array_get_length (filters) : 0;

    for (i = 0; i < n; i++)
      {
        JsonObject *filter = wharf_ecr_json_array_get_object (filters, i,
                                                              "imageTagMutabilityExclusionFilters",
                                                              error);
        const char *value, *type;

        if (!filter ||
            !wharf_ecr_json_get_string (filter, "filter", TRUE, &value, error) ||
            !wharf_ecr_json_get_string (filter, "filterType", FALSE, &type, error))
          return FALSE;
        g_strv_builder_add (builder, value);
      }
    self->exclusion_filters = g_strv_builder_end (builder);
  }

  if (scanning &&
      !wharf_ecr_json_get_boolean (scanning, "scanOnPush", &self->scan_on_push, error))
    return FALSE;

  if (encryption)
    {
      const char *type, *key;

      if (!wharf_ecr_json_get_string (encryption, "encryptionType", TRUE, &type, error) ||
          !wharf_ecr_json_get_string (encryption, "kmsKey", FALSE, &key, error))
        return FALSE;
      if (!wharf_encryption_type_from_string (type, &self->encryption_type))
        self->encryption_type = WHARF_ENCRYPTION_TYPE_UNKNOWN;
      self->kms_key = g_strdup (key);
    }

  slash = strrchr (self->name, '/');
  if (slash)
    {
      self->namespace = g_strndup (self->name, slash - self->name);
      self->short_name = slash + 1;
    }
  else
    self->short_name = self->name;

  return TRUE;
}

WharfRepository *
wharf_repository_new_from_json (JsonObject  *object,
                                GError     **error)
{
  g_autoptr(WharfRepository) self = NULL;

  g_return_val_if_fail (object, NULL);

  self = g_object_new (WHARF_TYPE_REPOSITORY, NULL);
  if (!parse_repository (self, object, error))
    return NULL;
  return g_steal_pointer (&self);
}

WharfRepository *
wharf_repository_new_from_fields (const WharfRepositoryFields *fields)
{
  WharfRepository *self;
  const char *slash;

  g_return_val_if_fail (fields != NULL, NULL);
  g_return_val_if_fail (fields->name != NULL && fields->arn != NULL, NULL);

  self = g_object_new (WHARF_TYPE_REPOSITORY, NULL);
  self->name = g_strdup (fields->name);
  self->arn = g_strdup (fields->arn);
  self->uri = g_strdup (fields->uri ? fields->uri : "");
  self->registry_id = g_strdup (fields->registry_id ? fields->registry_id : "");
  self->created_at = fields->created_at ? g_date_time_ref (fields->created_at) : NULL;
  self->tag_mutability = fields->tag_mutability;
  if (fields->exclusion_filters)
    self->exclusion_filters = g_strdupv ((char **) fields->exclusion_filters);
  else
    self->exclusion_filters = g_new0 (char *, 1);
  self->scan_on_push = fields->scan_on_push;
  self->encryption_type = fields->encryption_type;
  self->kms_key = g_strdup (fields->kms_key);

  slash = strrchr (self->name, '/');
  if (slash)
    {
      self->namespace = g_strndup (self->name, slash - self->name);
      self->short_name = slash + 1;
    }
  else
    self->short_name = self->name;
  return self;
}

const char *
wharf_repository_get_name (WharfRepository *self)
{
  g_return_val_if_fail (WHARF_IS_REPOSITORY (self), NULL);
  return self->name;
}

const char *
wharf_repository_get_arn (WharfRepository *self)
{
  g_return_val_if_fail (WHARF_IS_REPOSITORY (self), NULL);
  return self->arn;
}

const char *
wharf_repository_get_uri (WharfRepository *self)
{
  g_return_val_if_fail (WHARF_IS_REPOSITORY (self), NULL);
  return self->uri;
}

const char *
wharf_repository_get_registry_id (WharfRepository *self)
{
  g_return_val_if_fail (WHARF_IS_REPOSITORY (self), NULL);
  return self->registry_id;
}

GDateTime *
wharf_repository_get_created_at (WharfRepository *self)
{
  g_return_val_if_fail (WHARF_IS_REPOSITORY (self), NULL);
  return self->created_at;
}

WharfTagMutability
wharf_repository_get_tag_mutability (WharfRepository *self)
{
  g_return_val_if_fail (WHARF_IS_REPOSITORY (self), WHARF_TAG_MUTABILITY_MUTABLE);
  return self->tag_mutability;
}

const char * const *
wharf_repository_get_exclusion_filters (WharfRepository *self)
{
  g_return_val_if_fail (WHARF_IS_REPOSITORY (self), NULL);
  return (const char * const *) self->exclusion_filters;
}

gboolean
wharf_repository_get_scan_on_push (WharfRepository *self)
{
  g_return_val_if_fail (WHARF_IS_REPOSITORY (self), FALSE);
  return self->scan_on_push;
}

WharfEncryptionType
wharf_repository_get_encryption_type (WharfRepository *self)
{
  g_return_val_if_fail (WHARF_IS_REPOSITORY (self), WHARF_ENCRYPTION_TYPE_AES256);
  return self->encryption_type;
}

const char *
wharf_repository_get_kms_key (WharfRepository *self)
{
  g_return_val_if_fail (WHARF_IS_REPOSITORY (self), NULL);
  return self->kms_key;
}

const char *
wharf_repository_get_namespace (WharfRepository *self)
{
  g_return_val_if_fail (WHARF_IS_REPOSITORY (self), NULL);
  return self->namespace;
}

const char *
wharf_repository_get_short_name (WharfRepository *self)
{
  g_return_val_if_fail (WHARF_IS_REPOSITORY (self), NULL);
  return self->short_name;
}
