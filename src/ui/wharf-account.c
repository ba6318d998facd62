/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-account"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wharf-account.h"
#include "wharf-sso-credentials.h"

struct _WharfAccount
{
  GObject             parent_instance;

  char               *id;
  WharfAccountSource  source;
  char               *label;
  char               *profile;
  char               *access_key_id;
  char               *region;
  char               *account_id;
  char               *sso_start_url;
  char               *sso_region;
  char               *sso_session;
  char               *account_name;
  char               *role_name;
};

G_DEFINE_FINAL_TYPE (WharfAccount, wharf_account, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_SOURCE,
  PROP_LABEL,
  PROP_PROFILE,
  PROP_ACCESS_KEY_ID,
  PROP_REGION,
  PROP_ACCOUNT_ID,
  PROP_SSO_START_URL,
  PROP_SSO_REGION,
  PROP_SSO_SESSION,
  PROP_ACCOUNT_NAME,
  PROP_ROLE_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const source_nicks[] = { "environment", "profile", "keys", "practice", "sso" };

WharfAccount *
wharf_account_new (const char         *id,
                   WharfAccountSource  source,
                   const char         *label)
{
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (source <= WHARF_ACCOUNT_SOURCE_SSO, NULL);

  return g_object_new (WHARF_TYPE_ACCOUNT,
                       "id", id,
                       "source", source,
                       "label", label,
                       NULL);
}

WharfAccount *
wharf_account_new_from_variant (GVariant *dict)
{
  g_autoptr(GVariantDict) d = NULL;
  const char *id = NULL;
  const char *source = NULL;
  const char *label = NULL;
  const char *value = NULL;
  WharfAccount *self;
  int source_index = -1;

  g_return_val_if_fail (dict != NULL, NULL);

  if (!g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT))
    return NULL;

  d = g_variant_dict_new (dict);
  if (!g_variant_dict_lookup (d, "id", "&s", &id) || *id == '\0' ||
      !g_variant_dict_lookup (d, "source", "&s", &source))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (source_nicks); i++)
    if (g_str_equal (source, source_nicks[i]))
      source_index = i;

  /* The environment account is never saved; anything else unknown is from a newer Wharf. */
  if (source_index != WHARF_ACCOUNT_SOURCE_PROFILE && source_index != WHARF_ACCOUNT_SOURCE_KEYS &&
      source_index != WHARF_ACCOUNT_SOURCE_SSO)
    return NULL;

  if (!g_variant_dict_lookup (d, "label", "&s", &label))
    label = id;

  self = wharf_account_new (id, source_index, label);

  if (g_variant_dict_lookup (d, "profile", "&s", &value))
    wharf_account_set_profile (self, value);
  if (g_variant_dict_lookup (d, "access-key-id", "&s", &value))
    wharf_account_set_access_key_id (self, value);
  if (g_variant_dict_lookup (d, "region", "&s", &value))
    wharf_account_set_region (self, value);
  if (g_variant_dict_lookup (d, "account-id", "&s", &value))
    wharf_account_set_account_id (self, value);
  if (g_variant_dict_lookup (d, "sso-start-url", "&s", &value))
    wharf_account_set_sso_start_url (self, value);
  if (g_variant_dict_lookup (d, "sso-region", "&s", &value))
    wharf_account_set_sso_region (self, value);
  if (g_variant_dict_lookup (d, "sso-session", "&s", &value))
    wharf_account_set_sso_session (self, value);
  if (g_variant_dict_lookup (d, "account-name", "&s", &value))
    wharf_account_set_account_name (self, value);
  if (g_variant_dict_lookup (d, "role-name", "&s", &value))
    wharf_account_set_role_name (self, value);

  if (source_index == WHARF_ACCOUNT_SOURCE_PROFILE && self->profile == NULL)
    g_clear_object (&self);
  else if (source_index == WHARF_ACCOUNT_SOURCE_KEYS && self->access_key_id == NULL)
    g_clear_object (&self);
  else if (source_index == WHARF_ACCOUNT_SOURCE_SSO &&
           (self->sso_start_url == NULL || self->sso_region == NULL ||
            self->account_id == NULL || self->role_name == NULL))
    g_clear_object (&self);

  return self;
}

GVariant *
wharf_account_to_variant (WharfAccount *self)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  g_return_val_if_fail (WHARF_IS_ACCOUNT (self), NULL);

  g_variant_builder_add (&builder, "{sv}", "id", g_variant_new_string (self->id));
  g_variant_builder_add (&builder, "{sv}", "source",
                         g_variant_new_string (source_nicks[self->source]));
  if (self->label != NULL)
    g_variant_builder_add (&builder, "{sv}", "label", g_variant_new_string (self->label));
  if (self->profile != NULL)
    g_variant_builder_add (&builder, "{sv}", "profile", g_variant_new_string (self->profile));
  if (self->access_key_id != NULL)
    g_variant_builder_add (&builder, "{sv}", "access-key-id",
                           g_variant_new_string (self->access_key_id));
  if (self->region != NULL)
    g_variant_builder_add (&builder, "{sv}", "region", g_variant_new_string (self->region));
  if (self->account_id != NULL)
    g_variant_builder_add (&builder, "{sv}", "account-id",
                           g_variant_new_string (self->account_id));
  if (self->sso_start_url != NULL)
    g_variant_builder_add (&builder, "{sv}", "sso-start-url",
                           g_variant_new_string (self->sso_start_url));
  if (self->sso_region != NULL)
    g_variant_builder_add (&builder, "{sv}", "sso-region",
                           g_variant_new_string (self->sso_region));
  if (self->sso_session != NULL)
    g_variant_builder_add (&builder, "{sv}", "sso-session",
                           g_variant_new_string (self->sso_session));
  if (self->account_name != NULL)
    g_variant_builder_add (&builder, "{sv}", "account-name",
                           g_variant_new_string (self->account_name));
  if (self->role_name != NULL)
    g_variant_builder_add (&builder, "{sv}", "role-name", g_variant_new_string (self->role_name));

  return g_variant_builder_end (&builder);
}

const char *
wharf_account_get_id (WharfAccount *self)
{
  g_return_val_if_fail (WHARF_IS_ACCOUNT (self), NULL);
  return self->id;
}

WharfAccountSource
wharf_account_get_source (WharfAccount *self)
{
  g_return_val_if_fail (WHARF_IS_ACCOUNT (self), 0);
  return self->source;
}

static void
set_string (WharfAccount *self,
            char        **field,
            const char   *value,
            int           prop)
{
  if (value != NULL && *value == '\0')
    value = NULL;
  /* g_set_str () is GLib 2.76. */
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

const char *
wharf_account_get_label (WharfAccount *self)
{
  g_return_val_if_fail (WHARF_IS_ACCOUNT (self), NULL);
  return self->label;
}

void
wharf_account_set_label (WharfAccount *self,
                         const char   *label)
{
  g_return_if_fail (WHARF_IS_ACCOUNT (self));
  set_string (self, &self->label, label, PROP_LABEL);
}

const char *
wharf_account_get_profile (WharfAccount *self)
{
  g_return_val_if_fail (WHARF_IS_ACCOUNT (self), NULL);
  return self->profile;
}

void
wharf_account_set_profile (WharfAccount *self,
                           const char   *profile)
{
  g_return_if_fail (WHARF_IS_ACCOUNT (self));
  set_string (self, &self->profile, profile, PROP_PROFILE);
}

const char *
wharf_account_get_access_key_id (WharfAccount *self)
{
  g_return_val_if_fail (WHARF_IS_ACCOUNT (self), NULL);
  return self->access_key_id;
}

void
wharf_account_set_access_key_id (WharfAccount *self,
                                 const char   *access_key_id)
{
  g_return_if_fail (WHARF_IS_ACCOUNT (self));
  set_string (self, &self->access_key_id, access_key_id, PROP_ACCESS_KEY_ID);
}

const char *
wharf_account_get_region (WharfAccount *self)
{
  g_return_val_if_fail (WHARF_IS_ACCOUNT (self), NULL);
  return self->region;
}

void
wharf_account_set_region (WharfAccount *self,
                          const char   *region)
{
  g_return_if_fail (WHARF_IS_ACCOUNT (self));
  set_string (self, &self->region, region, PROP_REGION);
}

const char *
wharf_account_get_account_id (WharfAccount *self)
{
  g_return_val_if_fail (WHARF_IS_ACCOUNT (self), NULL);
  return self->account_id;
}

void
wharf_account_set_account_id (WharfAccount *self,
                              const char   *account_id)
{
  g_return_if_fail (WHARF_IS_ACCOUNT (self));
  set_string (self, &self->account_id, account_id, PROP_ACCOUNT_ID);
}

const char *
wharf_account_get_sso_start_url (WharfAccount *self)
{
  g_return_val_if_fail (WHARF_IS_ACCOUNT (self), NULL);
  return self->sso_start_url;
}

void
wharf_account_set_sso_start_url (WharfAccount *self,
                                const char   *sso_start_url)
{
  g_return_if_fail (WHARF_IS_ACCOUNT (self));
  set_string (self, &self->sso_start_url, sso_start_url, PROP_SSO_START_URL);
}

const char *
wharf_account_get_sso_region (WharfAccount *self)
{
  g_return_val_if_fail (WHARF_IS_ACCOUNT (self), NULL);
  return self->sso_region;
}

void
wharf_account_set_sso_region (WharfAccount *self,
                             const char   *sso_region)
{
  g_return_if_fail (WHARF_IS_ACCOUNT (self));
  set_string (self, &self->sso_region, sso_region, PROP_SSO_REGION);
}

const char *
wharf_account_get_sso_session (WharfAccount *self)
{
  g_return_val_if_fail (WHARF_IS_ACCOUNT (self), NULL);
  return self->sso_session;
}

void
wharf_account_set_sso_session (WharfAccount *self,
                              const char   *sso_session)
{
  g_return_if_fail (WHARF_IS_ACCOUNT (self));
  set_string (self, &self->sso_session, sso_session, PROP_SSO_SESSION);
}

const char *
wharf_account_get_account_name (WharfAccount *self)
{
  g_return_val_if_fail (WHARF_IS_ACCOUNT (self), NULL);
  return self->account_name;
}

void
wharf_account_set_account_name (WharfAccount *self,
                               const char   *account_name)
{
  g_return_if_fail (WHARF_IS_ACCOUNT (self));
  set_string (self, &self->account_name, account_name, PROP_ACCOUNT_NAME);
}

const char *
wharf_account_get_role_name (WharfAccount *self)
{
  g_return_val_if_fail (WHARF_IS_ACCOUNT (self), NULL);
  return self->role_name;
}

void
wharf_account_set_role_name (WharfAccount *self,
                            const char   *role_name)
{
  g_return_if_fail (WHARF_IS_ACCOUNT (self));
  set_string (self, &self->role_name, role_name, PROP_ROLE_NAME);
}

WharfSsoSettings *
wharf_account_dup_sso_settings (WharfAccount *self)
{
  g_return_val_if_fail (WHARF_IS_ACCOUNT (self), NULL);

  if (self->source != WHARF_ACCOUNT_SOURCE_SSO || self->sso_start_url == NULL ||
      self->sso_region == NULL || self->account_id == NULL || self->role_name == NULL)
    return NULL;

  return wharf_sso_settings_new (self->sso_session, self->sso_start_url, self->sso_region,
                                 self->account_id, self->role_name);
}

char *
wharf_account_abbreviate_key_id (const char *access_key_id)
{
  gsize len;

  if (access_key_id == NULL)
    return NULL;

  len = strlen (access_key_id);
  if (len <= 8)
    return g_strdup (access_key_id);

  return g_strdup_printf ("%.4s…%s", access_key_id, access_key_id + len - 4);
}

char *
wharf_account_dup_description (WharfAccount *self)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (WHARF_IS_ACCOUNT (self), NULL);

  key = wharf_account_abbreviate_key_id (self->access_key_id);

  switch (self->source)
    {
    case WHARF_ACCOUNT_SOURCE_ENVIRONMENT:
      if (self->profile != NULL)
        /* Translators: %s is an AWS profile name */
        return g_strdup_printf (_("From the environment: AWS_PROFILE=%s"), self->profile);
      return g_strdup (_("From the environment: AWS_ACCESS_KEY_ID"));

    case WHARF_ACCOUNT_SOURCE_PROFILE:
      /* Translators: %s is an AWS profile name */
      return g_strdup_printf (_("AWS CLI profile “%s”"), self->profile);

    case WHARF_ACCOUNT_SOURCE_KEYS:
      /* Translators: %s is an abbreviated access key id, "AKIA…1234" */
      return g_strdup_printf (_("Access key %s, kept in the keyring"), key);

    case WHARF_ACCOUNT_SOURCE_PRACTICE:
      return g_strdup (_("Practice mode: a sandbox on this computer, not AWS"));

    case WHARF_ACCOUNT_SOURCE_SSO:
      /* Translators: the first %s is an IAM role name, the second a 12-digit account id */
      return g_strdup_printf (_("IAM Identity Center · Role %s · %s"),
                              self->role_name != NULL ? self->role_name : "",
                              self->account_id != NULL ? self->account_id : "");

    default:
      g_assert_not_reached ();
    }
}

static void
wharf_account_finalize (GObject *object)
{
  WharfAccount *self = WHARF_ACCOUNT (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->profile, g_free);
  g_clear_pointer (&self->access_key_id, g_free);
  g_clear_pointer (&self->region, g_free);
  g_clear_pointer (&self->account_id, g_free);
  g_clear_pointer (&self->sso_start_url, g_free);
  g_clear_pointer (&self->sso_region, g_free);
  g_clear_pointer (&self->sso_session, g_free);
  g_clear_pointer (&self->account_name, g_free);
  g_clear_pointer (&self->role_name, g_free);

  G_OBJECT_CLASS (wharf_account_parent_class)->finalize (object);
}

static void
wharf_account_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  WharfAccount *self = WHARF_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_SOURCE: g_value_set_int (value, self->source); break;
    case PROP_LABEL: g_value_set_string (value, self->label); break;
    case PROP_PROFILE: g_value_set_string (value, self->profile); break;
    case PROP_ACCESS_KEY_ID: g_value_set_string (value, self->access_key_id); break;
    case PROP_REGION: g_value_set_string (value, self->region); break;
    case PROP_ACCOUNT_ID: g_value_set_string (value, self->account_id); break;
    case PROP_SSO_START_URL: g_value_set_string (value, self->sso_start_url); break;
    case PROP_SSO_REGION: g_value_set_string (value, self->sso_region); break;
    case PROP_SSO_SESSION: g_value_set_string (value, self->sso_session); break;
    case PROP_ACCOUNT_NAME: g_value_set_string (value, self->account_name); break;
    case PROP_ROLE_NAME: g_value_set_string (value, self->role_name); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wharf_account_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  WharfAccount *self = WHARF_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID: self->id = g_value_dup_string (value); break;
    case PROP_SOURCE: self->source = g_value_get_int (value); break;
    case PROP_LABEL: wharf_account_set_label (self, g_value_get_string (value)); break;
    case PROP_PROFILE: wharf_account_set_profile (self, g_value_get_string (value)); break;
    case PROP_ACCESS_KEY_ID: wharf_account_set_access_key_id (self, g_value_get_string (value)); break;
    case PROP_REGION: wharf_account_set_region (self, g_value_get_string (value)); break;
    case PROP_ACCOUNT_ID: wharf_account_set_account_id (self, g_value_get_string (value)); break;
    case PROP_SSO_START_URL: wharf_account_set_sso_start_url (self, g_value_get_string (value)); break;
    case PROP_SSO_REGION: wharf_account_set_sso_region (self, g_value_get_string (value)); break;
    case PROP_SSO_SESSION: wharf_account_set_sso_session (self, g_value_get_string (value)); break;
    case PROP_ACCOUNT_NAME: wharf_account_set_account_name (self, g_value_get_string (value)); break;
    case PROP_ROLE_NAME: wharf_account_set_role_name (self, g_value_get_string (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wharf_account_class_init (WharfAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = wharf_account_finalize;
  object_class->get_property = wharf_account_get_property;
  object_class->set_property = wharf_account_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE] =
    g_param_spec_int ("source", NULL, NULL,
                      WHARF_ACCOUNT_SOURCE_ENVIRONMENT, WHARF_ACCOUNT_SOURCE_SSO,
                      WHARF_ACCOUNT_SOURCE_KEYS,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL, rw);
  properties[PROP_PROFILE] = g_param_spec_string ("profile", NULL, NULL, NULL, rw);
  properties[PROP_ACCESS_KEY_ID] = g_param_spec_string ("access-key-id", NULL, NULL, NULL, rw);
  properties[PROP_REGION] = g_param_spec_string ("region", NULL, NULL, NULL, rw);
  properties[PROP_ACCOUNT_ID] = g_param_spec_string ("account-id", NULL, NULL, NULL, rw);
  properties[PROP_SSO_START_URL] = g_param_spec_string ("sso-start-url", NULL, NULL, NULL, rw);
  properties[PROP_SSO_REGION] = g_param_spec_string ("sso-region", NULL, NULL, NULL, rw);
  properties[PROP_SSO_SESSION] = g_param_spec_string ("sso-session", NULL, NULL, NULL, rw);
  properties[PROP_ACCOUNT_NAME] = g_param_spec_string ("account-name", NULL, NULL, NULL, rw);
  properties[PROP_ROLE_NAME] = g_param_spec_string ("role-name", NULL, NULL, NULL, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wharf_account_init (WharfAccount *self)
{
}
