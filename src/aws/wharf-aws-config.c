/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-aws-config"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "wharf-aws-config.h"

G_DEFINE_QUARK (wharf-aws-config-error-quark, wharf_aws_config_error)

G_DEFINE_ENUM_TYPE (WharfAwsProfileKind, wharf_aws_profile_kind,
  G_DEFINE_ENUM_VALUE (WHARF_AWS_PROFILE_KIND_NONE, "none"),
  G_DEFINE_ENUM_VALUE (WHARF_AWS_PROFILE_KIND_STATIC_KEYS, "static-keys"),
  G_DEFINE_ENUM_VALUE (WHARF_AWS_PROFILE_KIND_CREDENTIAL_PROCESS, "credential-process"),
  G_DEFINE_ENUM_VALUE (WHARF_AWS_PROFILE_KIND_SSO, "sso"),
  G_DEFINE_ENUM_VALUE (WHARF_AWS_PROFILE_KIND_ASSUME_ROLE, "assume-role"),
  G_DEFINE_ENUM_VALUE (WHARF_AWS_PROFILE_KIND_WEB_IDENTITY, "web-identity"))

/* Storage */

typedef struct
{
  char       *value;
  GHashTable *sub;  /* nullable; lowercase key → value, for "s3 =" + indented lines */
} Setting;

static void
setting_free (gpointer data)
{
  Setting *s = data;

  g_free (s->value);
  g_clear_pointer (&s->sub, g_hash_table_unref);
  g_free (s);
}

static GHashTable *
section_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, setting_free);
}

static GHashTable *
sections_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                (GDestroyNotify) g_hash_table_unref);
}

/* Profile */

struct _WharfAwsProfile
{
  GObject              parent_instance;
  char                *name;
  char                *region;
  WharfAwsProfileKind  kind;
  char                *unusable_reason;
};

G_DEFINE_FINAL_TYPE (WharfAwsProfile, wharf_aws_profile, G_TYPE_OBJECT)

enum {
  PROFILE_PROP_0,
  PROFILE_PROP_NAME,
  PROFILE_PROP_REGION,
  PROFILE_PROP_KIND,
  PROFILE_PROP_USABLE,
  PROFILE_PROP_UNUSABLE_REASON,
  PROFILE_N_PROPS
};

static GParamSpec *profile_properties[PROFILE_N_PROPS];

static void
wharf_aws_profile_finalize (GObject *object)
{
  WharfAwsProfile *self = WHARF_AWS_PROFILE (object);

  g_free (self->name);
  g_free (self->region);
  g_free (self->unusable_reason);

  G_OBJECT_CLASS (wharf_aws_profile_parent_class)->finalize (object);
}

static void
wharf_aws_profile_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  WharfAwsProfile *self = WHARF_AWS_PROFILE (object);

  switch (prop_id)
    {
    case PROFILE_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROFILE_PROP_REGION:
      g_value_set_string (value, self->region);
      break;
    case PROFILE_PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROFILE_PROP_USABLE:
      g_value_set_boolean (value, self->unusable_reason == NULL);
      break;
    case PROFILE_PROP_UNUSABLE_REASON:
      g_value_set_string (value, self->unusable_reason);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wharf_aws_profile_class_init (WharfAwsProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = wharf_aws_profile_finalize;
  object_class->get_property = wharf_aws_profile_get_property;

  profile_properties[PROFILE_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  profile_properties[PROFILE_PROP_REGION] =
    g_param_spec_string ("region", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  profile_properties[PROFILE_PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, WHARF_TYPE_AWS_PROFILE_KIND,
                       WHARF_AWS_PROFILE_KIND_NONE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  profile_properties[PROFILE_PROP_USABLE] =
    g_param_spec_boolean ("usable", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  profile_properties[PROFILE_PROP_UNUSABLE_REASON] =
    g_param_spec_string ("unusable-reason", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, PROFILE_N_PROPS, profile_properties);
}

static void
wharf_aws_profile_init (WharfAwsProfile *self)
{
}

const char *
wharf_aws_profile_get_name (WharfAwsProfile *self)
{
  g_return_val_if_fail (WHARF_IS_AWS_PROFILE (self), NULL);
  return self->name;
}

const char *
wharf_aws_profile_get_region (WharfAwsProfile *self)
{
  g_return_val_if_fail (WHARF_IS_AWS_PROFILE (self), NULL);
  return self->region;
}

WharfAwsProfileKind
wharf_aws_profile_get_kind (WharfAwsProfile *self)
{
  g_return_val_if_fail (WHARF_IS_AWS_PROFILE (self), WHARF_AWS_PROFILE_KIND_NONE);
  return self->kind;
}

gboolean
wharf_aws_profile_get_usable (WharfAwsProfile *self)
{
  g_return_val_if_fail (WHARF_IS_AWS_PROFILE (self), FALSE);
  return self->unusable_reason == NULL;
}

const char *
wharf_aws_profile_get_unusable_reason (WharfAwsProfile *self)
{
  g_return_val_if_fail (WHARF_IS_AWS_PROFILE (self), NULL);
  return self->unusable_reason;
}

/* Config */

struct _WharfAwsConfig
{
  GObject     parent_instance;
  GHashTable *profiles[2];   /* by WharfAwsConfigFileKind: name → section */
  GHashTable *sso_sessions;  /* name → section */
  GHashTable *services;      /* name → section */
  GPtrArray  *profile_order; /* names, first appearance */
  GPtrArray  *sso_session_order; /* names, first appearance */
};

G_DEFINE_FINAL_TYPE (WharfAwsConfig, wharf_aws_config, G_TYPE_OBJECT)

static void
wharf_aws_config_finalize (GObject *object)
{
  WharfAwsConfig *self = WHARF_AWS_CONFIG (object);

  g_hash_table_unref (self->profiles[0]);
  g_hash_table_unref (self->profiles[1]);
  g_hash_table_unref (self->sso_sessions);
  g_hash_table_unref (self->services);
  g_ptr_array_unref (self->profile_order);
  g_ptr_array_unref (self->sso_session_order);

  G_OBJECT_CLASS (wharf_aws_config_parent_class)->finalize (object);
}

static void
wharf_aws_config_class_init (WharfAwsConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wharf_aws_config_finalize;
}

static void
wharf_aws_config_init (WharfAwsConfig *self)
{
  self->profiles[0] = sections_new ();
  self->profiles[1] = sections_new ();
  self->sso_sessions = sections_new ();
  self->services = sections_new ();
  self->profile_order = g_ptr_array_new_with_free_func (g_free);
  self->sso_session_order = g_ptr_array_new_with_free_func (g_free);
}

WharfAwsConfig *
wharf_aws_config_new (void)
{
  return g_object_new (WHARF_TYPE_AWS_CONFIG, NULL);
}

/* Parsing: the subset of Python's configparser that botocore relies on, plus inline
 * comments after whitespace (as the AWS CLI documents). */

typedef struct
{
  char       *header;   /* as written between the brackets, trimmed */
  guint       line;
  GHashTable *settings;
} ParsedSection;

static void
parsed_section_free (gpointer data)
{
  ParsedSection *s = data;

  g_free (s->header);
  g_hash_table_unref (s->settings);
  g_free (s);
}

/* Cuts a comment that starts with # or ; after whitespace, then trims. */
static void
strip_inline_comment (char *s)
{
  for (char *c = s; *c != '\0'; c++)
    {
      if ((*c == '#' || *c == ';') && c > s && g_ascii_isspace (c[-1]))
        {
          *c = '\0';
          break;
        }
    }
  g_strstrip (s);
}

static gboolean
split_key_value (char  *line,
                 char **key,
                 char **value)
{
  char *delim = line + strcspn (line, "=:");

  if (*delim == '\0')
    return FALSE;
  *delim = '\0';
  *key = g_strstrip (line);
  *value = delim + 1;
  strip_inline_comment (*value);
  return **key != '\0';
}

static gboolean
parse_data (const char  *data,
            gsize        len,
            const char  *origin,
            GPtrArray   *sections,
            GError     **error)
{
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = g_strndup (data, len);
  ParsedSection *current = NULL;
  Setting *last = NULL;   /* the setting continuation lines extend */

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, WHARF_AWS_CONFIG_ERROR, WHARF_AWS_CONFIG_ERROR_PARSE,
                   _("%s is not a text file in UTF-8"), origin);
      return FALSE;
    }

  lines = g_strsplit (text, "\n", -1);
  for (guint n = 0; lines[n] != NULL; n++)
    {
      char *line = lines[n];
      gsize line_len = strlen (line);
      gboolean indented;
      char *trimmed;
      char *key, *value;

      if (line_len > 0 && line[line_len - 1] == '\r')
        line[--line_len] = '\0';
      if (n == 0 && g_str_has_prefix (line, "\xef\xbb\xbf"))
        line += 3;  /* a byte order mark from a Windows editor */

      indented = *line == ' ' || *line == '\t';
      trimmed = g_strstrip (line);

      if (*trimmed == '\0' || *trimmed == '#' || *trimmed == ';')
        continue;

      if (*trimmed == '[' && !indented)
        {
          char *close = strchr (trimmed, ']');

          if (close == NULL)
            {
              g_set_error (error, WHARF_AWS_CONFIG_ERROR, WHARF_AWS_CONFIG_ERROR_PARSE,
                           _("%s, line %u: the section name has no closing “]”"),
                           origin, n + 1);
              return FALSE;
            }
          *close = '\0';
          strip_inline_comment (close + 1);
          if (close[1] != '\0')
            {
              g_set_error (error, WHARF_AWS_CONFIG_ERROR, WHARF_AWS_CONFIG_ERROR_PARSE,
                           _("%s, line %u: unexpected text after the section name"),
                           origin, n + 1);
              return FALSE;
            }

          current = g_new0 (ParsedSection, 1);
          current->header = g_strstrip (g_strdup (trimmed + 1));
          current->line = n + 1;
          current->settings = section_new ();
          g_ptr_array_add (sections, current);
          last = NULL;
          continue;
        }

      if (current == NULL)
        {
          g_set_error (error, WHARF_AWS_CONFIG_ERROR, WHARF_AWS_CONFIG_ERROR_PARSE,
                       _("%s, line %u: a setting before the first [section]"), origin, n + 1);
          return FALSE;
        }

      if (indented && last != NULL)
        {
          if (last->sub != NULL || *last->value == '\0')
            {
              /* "s3 =" followed by indented "name = value" lines */
              if (!split_key_value (trimmed, &key, &value))
                {
                  g_set_error (error, WHARF_AWS_CONFIG_ERROR, WHARF_AWS_CONFIG_ERROR_PARSE,
                               _("%s, line %u: “%s” is not a nested setting (expected "
                                 "“name = value”)"), origin, n + 1, trimmed);
                  return FALSE;
                }
              if (last->sub == NULL)
                last->sub = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
              g_hash_table_replace (last->sub, g_ascii_strdown (key, -1), g_strdup (value));
            }
          else
            {
              /* A continued (multi-line) value */
              char *joined;

              strip_inline_comment (trimmed);
              joined = g_strconcat (last->value, "\n", trimmed, NULL);
              g_free (last->value);
              last->value = joined;
            }
          continue;
        }

      if (!split_key_value (trimmed, &key, &value))
        {
          g_set_error (error, WHARF_AWS_CONFIG_ERROR, WHARF_AWS_CONFIG_ERROR_PARSE,
                       _("%s, line %u: “%s” is not a setting (expected “name = value”)"),
                       origin, n + 1, trimmed);
          return FALSE;
        }

      last = g_new0 (Setting, 1);
      last->value = g_strdup (value);
      g_hash_table_replace (current->settings, g_ascii_strdown (key, -1), last);
    }

  return TRUE;
}

static void
merge_section (GHashTable *into,
               const char *name,
               GHashTable *settings)
{
  GHashTable *target = g_hash_table_lookup (into, name);
  GHashTableIter iter;
  gpointer key, value;

  if (target == NULL)
    {
      g_hash_table_insert (into, g_strdup (name), g_hash_table_ref (settings));
      return;
    }

  /* A later section of the same name (or a later file) wins per key. */
  g_hash_table_iter_init (&iter, settings);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Setting *src = value;
      Setting *copy = g_new0 (Setting, 1);

      copy->value = g_strdup (src->value);
      if (src->sub != NULL)
        copy->sub = g_hash_table_ref (src->sub);
      g_hash_table_replace (target, g_strdup (key), copy);
    }
}

static void
note_profile (WharfAwsConfig *self,
              const char     *name)
{
  for (guint i = 0; i < self->profile_order->len; i++)
    if (strcmp (g_ptr_array_index (self->profile_order, i), name) == 0)
      return;

  if (strcmp (name, "default") == 0)
    g_ptr_array_insert (self->profile_order, 0, g_strdup (name));
  else
    g_ptr_array_add (self->profile_order, g_strdup (name));
}

/* "profile  name" → "name"; NULL when @header is not "profile <name>" */
static char *
strip_prefix_word (const char *header,
                   const char *word)
{
  gsize n = strlen (word);
  const char *rest;

  if (strncmp (header, word, n) != 0 || !g_ascii_isspace (header[n]))
    return NULL;
  rest = header + n;
  while (g_ascii_isspace (*rest))
    rest++;
  return *rest != '\0' ? g_strdup (rest) : NULL;
}

gboolean
wharf_aws_config_load_data (WharfAwsConfig          *self,
                            const char              *data,
                            gssize                   len,
                            WharfAwsConfigFileKind   kind,
                            const char              *origin,
                            GError                 **error)
{
  g_autoptr(GPtrArray) sections = g_ptr_array_new_with_free_func (parsed_section_free);

  g_return_val_if_fail (WHARF_IS_AWS_CONFIG (self), FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (kind == WHARF_AWS_CONFIG_FILE_CONFIG
                        || kind == WHARF_AWS_CONFIG_FILE_CREDENTIALS, FALSE);

  if (len < 0)
    len = strlen (data);
  if (origin == NULL)
    origin = kind == WHARF_AWS_CONFIG_FILE_CONFIG ? "config" : "credentials";

  /* Parse everything first: a broken file adds nothing. */
  if (!parse_data (data != NULL ? data : "", len, origin, sections, error))
    return FALSE;

  for (guint i = 0; i < sections->len; i++)
    {
      ParsedSection *s = g_ptr_array_index (sections, i);
      g_autofree char *name = NULL;

      if (kind == WHARF_AWS_CONFIG_FILE_CREDENTIALS)
        {
          merge_section (self->profiles[kind], s->header, s->settings);
          note_profile (self, s->header);
          continue;
        }

      if (strcmp (s->header, "default") == 0)
        name = g_strdup ("default");
      else
        name = strip_prefix_word (s->header, "profile");

      if (name != NULL)
        {
          merge_section (self->profiles[kind], name, s->settings);
          note_profile (self, name);
        }
      else if ((name = strip_prefix_word (s->header, "sso-session")) != NULL)
        {
          if (!g_hash_table_contains (self->sso_sessions, name))
            g_ptr_array_add (self->sso_session_order, g_strdup (name));
          merge_section (self->sso_sessions, name, s->settings);
        }
      else if ((name = strip_prefix_word (s->header, "services")) != NULL)
        merge_section (self->services, name, s->settings);
      else
        g_debug ("%s, line %u: ignoring section [%s] (the AWS CLI ignores it too)",
                 origin, s->line, s->header);
    }

  return TRUE;
}

gboolean
wharf_aws_config_load_file (WharfAwsConfig          *self,
                            const char              *path,
                            WharfAwsConfigFileKind   kind,
                            GError                 **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len;

  g_return_val_if_fail (WHARF_IS_AWS_CONFIG (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_set_error (error, WHARF_AWS_CONFIG_ERROR, WHARF_AWS_CONFIG_ERROR_READ,
                   _("Cannot read %s: %s"), path, local_error->message);
      return FALSE;
    }

  return wharf_aws_config_load_data (self, contents, len, kind, path, error);
}

static char *
expand_home (const char *path)
{
  if (path[0] == '~' && (path[1] == '/' || path[1] == '\0'))
    return g_build_filename (g_get_home_dir (), path + 1, NULL);
  return g_strdup (path);
}

static char *
file_path (const char *env,
           const char *name)
{
  const char *value = g_getenv (env);

  if (value != NULL && *value != '\0')
    return expand_home (value);
  return g_build_filename (g_get_home_dir (), ".aws", name, NULL);
}

char *
wharf_aws_config_get_config_file_path (void)
{
  return file_path ("AWS_CONFIG_FILE", "config");
}

char *
wharf_aws_config_get_credentials_file_path (void)
{
  return file_path ("AWS_SHARED_CREDENTIALS_FILE", "credentials");
}

WharfAwsConfig *
wharf_aws_config_load_default (GError **error)
{
  g_autoptr(WharfAwsConfig) self = wharf_aws_config_new ();
  g_autofree char *config_path = wharf_aws_config_get_config_file_path ();
  g_autofree char *credentials_path = wharf_aws_config_get_credentials_file_path ();

  if (!wharf_aws_config_load_file (self, config_path, WHARF_AWS_CONFIG_FILE_CONFIG, error)
      || !wharf_aws_config_load_file (self, credentials_path, WHARF_AWS_CONFIG_FILE_CREDENTIALS,
                                      error))
    return NULL;

  return g_steal_pointer (&self);
}

static void
load_default_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  GError *error = NULL;
  WharfAwsConfig *config = wharf_aws_config_load_default (&error);

  if (config == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, config, g_object_unref);
}

void
wharf_aws_config_load_default_async (GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, wharf_aws_config_load_default_async);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, load_default_thread);
}

WharfAwsConfig *
wharf_aws_config_load_default_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == wharf_aws_config_load_default_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
wharf_aws_config_get_default_profile_name (void)
{
  const char *name = g_getenv ("AWS_PROFILE");

  if (name == NULL || *name == '\0')
    name = g_getenv ("AWS_DEFAULT_PROFILE");
  if (name == NULL || *name == '\0')
    name = "default";
  return name;
}

/* Lookups */

static const char *
section_get (GHashTable *section,
             const char *key)
{
  g_autofree char *lower = NULL;
  const char *dot;
  Setting *s;

  if (section == NULL)
    return NULL;

  lower = g_ascii_strdown (key, -1);
  dot = strchr (lower, '.');
  if (dot == NULL)
    {
      s = g_hash_table_lookup (section, lower);
      return s != NULL ? s->value : NULL;
    }

  lower[dot - lower] = '\0';
  s = g_hash_table_lookup (section, lower);
  if (s == NULL || s->sub == NULL)
    return NULL;
  return g_hash_table_lookup (s->sub, dot + 1);
}

const char *
wharf_aws_config_get_from (WharfAwsConfig          *self,
                           WharfAwsConfigFileKind   kind,
                           const char              *profile,
                           const char              *key)
{
  g_return_val_if_fail (WHARF_IS_AWS_CONFIG (self), NULL);
  g_return_val_if_fail (profile != NULL && key != NULL, NULL);
  g_return_val_if_fail (kind == WHARF_AWS_CONFIG_FILE_CONFIG
                        || kind == WHARF_AWS_CONFIG_FILE_CREDENTIALS, NULL);

  return section_get (g_hash_table_lookup (self->profiles[kind], profile), key);
}

const char *
wharf_aws_config_get (WharfAwsConfig *self,
                      const char     *profile,
                      const char     *key)
{
  const char *value;

  g_return_val_if_fail (WHARF_IS_AWS_CONFIG (self), NULL);
  g_return_val_if_fail (profile != NULL && key != NULL, NULL);

  value = wharf_aws_config_get_from (self, WHARF_AWS_CONFIG_FILE_CREDENTIALS, profile, key);
  if (value == NULL)
    value = wharf_aws_config_get_from (self, WHARF_AWS_CONFIG_FILE_CONFIG, profile, key);
  return value;
}

const char *
wharf_aws_config_get_service_setting (WharfAwsConfig *self,
                                      const char     *profile,
                                      const char     *service,
                                      const char     *key)
{
  g_autofree char *path = NULL;
  const char *services;

  g_return_val_if_fail (WHARF_IS_AWS_CONFIG (self), NULL);
  g_return_val_if_fail (profile != NULL && service != NULL && key != NULL, NULL);

  services = wharf_aws_config_get (self, profile, "services");
  if (services == NULL)
    return NULL;

  path = g_strconcat (service, ".", key, NULL);
  return section_get (g_hash_table_lookup (self->services, services), path);
}

const char *
wharf_aws_config_get_sso_session_setting (WharfAwsConfig *self,
                                          const char     *session,
                                          const char     *key)
{
  g_return_val_if_fail (WHARF_IS_AWS_CONFIG (self), NULL);
  g_return_val_if_fail (session != NULL && key != NULL, NULL);

  return section_get (g_hash_table_lookup (self->sso_sessions, session), key);
}

GPtrArray *
wharf_aws_config_get_sso_session_names (WharfAwsConfig *self)
{
  GPtrArray *names;

  g_return_val_if_fail (WHARF_IS_AWS_CONFIG (self), NULL);

  names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < self->sso_session_order->len; i++)
    g_ptr_array_add (names, g_strdup (g_ptr_array_index (self->sso_session_order, i)));
  return names;
}

gboolean
wharf_aws_config_has_profile (WharfAwsConfig *self,
                              const char     *profile)
{
  g_return_val_if_fail (WHARF_IS_AWS_CONFIG (self), FALSE);
  g_return_val_if_fail (profile != NULL, FALSE);

  return g_hash_table_contains (self->profiles[0], profile)
         || g_hash_table_contains (self->profiles[1], profile);
}

GPtrArray *
wharf_aws_config_get_profile_names (WharfAwsConfig *self)
{
  GPtrArray *names;

  g_return_val_if_fail (WHARF_IS_AWS_CONFIG (self), NULL);

  names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < self->profile_order->len; i++)
    g_ptr_array_add (names, g_strdup (g_ptr_array_index (self->profile_order, i)));
  return names;
}

static gboolean
has (WharfAwsConfig *self,
     const char     *profile,
     const char     *key)
{
  const char *value = wharf_aws_config_get (self, profile, key);
  return value != NULL && *value != '\0';
}

static gboolean
has_in (WharfAwsConfig         *self,
        WharfAwsConfigFileKind  kind,
        const char             *profile,
        const char             *key)
{
  const char *value = wharf_aws_config_get_from (self, kind, profile, key);
  return value != NULL && *value != '\0';
}

/* The source the AWS CLI would pick, and why Wharf cannot use it (NULL if it can). */
static WharfAwsProfileKind
classify (WharfAwsConfig  *self,
          const char      *profile,
          char           **reason)
{
  WharfAwsProfileKind kind;
  g_autofree char *why = NULL;
  gboolean key_id, secret;

  if (has (self, profile, "role_arn"))
    {
      if (has (self, profile, "web_identity_token_file"))
        {
          kind = WHARF_AWS_PROFILE_KIND_WEB_IDENTITY;
          why = g_strdup (_("uses a web identity token, which Wharf does not support yet"));
        }
      else
        {
          kind = WHARF_AWS_PROFILE_KIND_ASSUME_ROLE;
          if (!has (self, profile, "source_profile") && !has (self, profile, "credential_source"))
            why = g_strdup (_("assumes an IAM role but sets neither source_profile nor "
                              "credential_source"));
        }
    }
  else if (has (self, profile, "sso_session") || has (self, profile, "sso_start_url")
           || has (self, profile, "sso_account_id") || has (self, profile, "sso_role_name"))
    {
      kind = WHARF_AWS_PROFILE_KIND_SSO;
      if (!has (self, profile, "sso_account_id") || !has (self, profile, "sso_role_name"))
        why = g_strdup (_("uses IAM Identity Center (SSO) but does not set both sso_account_id "
                          "and sso_role_name"));
      else if (!has (self, profile, "sso_session")
               && (!has (self, profile, "sso_start_url") || !has (self, profile, "sso_region")))
        why = g_strdup (_("uses IAM Identity Center (SSO) but sets neither sso_session nor both "
                          "sso_start_url and sso_region"));
    }
  else if (has_in (self, WHARF_AWS_CONFIG_FILE_CREDENTIALS, profile, "aws_access_key_id")
           || has_in (self, WHARF_AWS_CONFIG_FILE_CREDENTIALS, profile, "aws_secret_access_key")
           || (!has (self, profile, "credential_process")
               && (has (self, profile, "aws_access_key_id")
                   || has (self, profile, "aws_secret_access_key"))))
    {
      kind = WHARF_AWS_PROFILE_KIND_STATIC_KEYS;
      key_id = has (self, profile, "aws_access_key_id");
      secret = has (self, profile, "aws_secret_access_key");
      if (!secret)
        why = g_strdup (_("has an access key ID but no secret access key"));
      else if (!key_id)
        why = g_strdup (_("has a secret access key but no access key ID"));
    }
  else if (has (self, profile, "credential_process"))
    {
      g_auto(GStrv) argv = NULL;
      g_autoptr(GError) error = NULL;

      kind = WHARF_AWS_PROFILE_KIND_CREDENTIAL_PROCESS;
      if (!g_shell_parse_argv (wharf_aws_config_get (self, profile, "credential_process"),
                               NULL, &argv, &error))
        why = g_strdup_printf (_("its credential_process command cannot be read: %s"),
                               error->message);
    }
  else
    {
      kind = WHARF_AWS_PROFILE_KIND_NONE;
      why = g_strdup (_("has no credentials"));
    }

  if (reason != NULL)
    *reason = g_steal_pointer (&why);
  return kind;
}

WharfAwsProfileKind
wharf_aws_config_get_profile_kind (WharfAwsConfig *self,
                                   const char     *profile)
{
  g_return_val_if_fail (WHARF_IS_AWS_CONFIG (self), WHARF_AWS_PROFILE_KIND_NONE);
  g_return_val_if_fail (profile != NULL, WHARF_AWS_PROFILE_KIND_NONE);

  return classify (self, profile, NULL);
}

WharfAwsProfile *
wharf_aws_config_get_profile (WharfAwsConfig *self,
                              const char     *profile)
{
  WharfAwsProfile *p;
  const char *region;

  g_return_val_if_fail (WHARF_IS_AWS_CONFIG (self), NULL);
  g_return_val_if_fail (profile != NULL, NULL);

  if (!wharf_aws_config_has_profile (self, profile))
    return NULL;

  p = g_object_new (WHARF_TYPE_AWS_PROFILE, NULL);
  p->name = g_strdup (profile);
  region = wharf_aws_config_get (self, profile, "region");
  p->region = region != NULL && *region != '\0' ? g_strdup (region) : NULL;
  p->kind = classify (self, profile, &p->unusable_reason);
  return p;
}

GListModel *
wharf_aws_config_list_profiles (WharfAwsConfig *self)
{
  GListStore *store;

  g_return_val_if_fail (WHARF_IS_AWS_CONFIG (self), NULL);

  store = g_list_store_new (WHARF_TYPE_AWS_PROFILE);
  for (guint i = 0; i < self->profile_order->len; i++)
    {
      g_autoptr(WharfAwsProfile) p =
        wharf_aws_config_get_profile (self, g_ptr_array_index (self->profile_order, i));
      g_list_store_append (store, p);
    }
  return G_LIST_MODEL (store);
}

char *
wharf_aws_config_resolve_region (WharfAwsConfig *self,
                                 const char     *profile)
{
  const char *region = g_getenv ("AWS_REGION");

  g_return_val_if_fail (self == NULL || WHARF_IS_AWS_CONFIG (self), NULL);

  if (region == NULL || *region == '\0')
    region = g_getenv ("AWS_DEFAULT_REGION");
  if (profile == NULL)
    profile = wharf_aws_config_get_default_profile_name ();
  if ((region == NULL || *region == '\0') && self != NULL)
    region = wharf_aws_config_get (self, profile, "region");
  return region != NULL && *region != '\0' ? g_strdup (region) : NULL;
}
