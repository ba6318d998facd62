/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-ecr-reader"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "wharf-ecr-reader-private.h"

#include "wharf-ecr-json-private.h"

/*
 * Each object is read in two steps: wharf_json_reader_scan_object() notes where the members
 * we know are (checking, not decoding, everything), then each is read from there in the
 * order of the json-glib parsers, so that the first error is the same one. Strings that must
 * live until the model is built are copied into one buffer per object (an "arena"), and
 * the model's constructor copies them once.
 */

#define ABSENT WHARF_JSON_READER_ABSENT

typedef struct
{
  WharfJsonReader *r;
  GString         *arena;
  GArray          *list;     /* arena offsets of the strings of one list */
} Item;

static void
item_init (Item            *item,
           WharfJsonReader *r)
{
  item->r = r;
  item->arena = g_string_sized_new (512);
  item->list = g_array_new (FALSE, FALSE, sizeof (gsize));
}

static void
item_clear (Item *item)
{
  g_string_free (item->arena, TRUE);
  g_array_unref (item->list);
}

/* Resolved after all reads: the arena may move while it grows. */
#define ARENA_STR(item, off) ((off) == ABSENT ? NULL : (const char *) (item)->arena->str + (off))

/* Positions the reader at member @off and gives its type; FALSE in *present when the
 * member is absent or null (as wharf-ecr-json.c's get_member()). */
static gboolean
at_member (Item           *item,
           gsize           off,
           gboolean       *present,
           WharfJsonType  *type,
           GError        **error)
{
  *present = FALSE;
  if (off == ABSENT)
    return TRUE;
  wharf_json_reader_seek (item->r, off);
  if (!wharf_json_reader_peek (item->r, type, error))
    return FALSE;
  *present = *type != WHARF_JSON_NULL;
  return TRUE;
}

static gsize
arena_add (Item       *item,
           const char *text,
           gsize       len)
{
  gsize off = item->arena->len;

  g_string_append_len (item->arena, text, len);
  g_string_append_c (item->arena, '\0');
  return off;
}

/* *out: arena offset, ABSENT when absent. */
static gboolean
get_string (Item        *item,
            gsize        off,
            const char  *member,
            gboolean     required,
            gsize       *out,
            GError     **error)
{
  WharfJsonType type;
  gboolean present;
  const char *text;
  gsize len;

  *out = ABSENT;
  if (!at_member (item, off, &present, &type, error))
    return FALSE;
  if (!present)
    return required ? wharf_ecr_json_missing (member, error) : TRUE;
  if (type != WHARF_JSON_STRING)
    return wharf_ecr_json_wrong_type (member, _("a string"), error);
  if (!wharf_json_reader_read_string (item->r, &text, &len, error))
    return FALSE;
  *out = arena_add (item, text, len);
  return TRUE;
}

static gboolean
get_boolean (Item        *item,
             gsize        off,
             const char  *member,
             gboolean    *out,
             GError     **error)
{
  WharfJsonType type;
  gboolean present;

  if (!at_member (item, off, &present, &type, error))
    return FALSE;
  if (!present)
    return TRUE;
  if (type != WHARF_JSON_BOOLEAN)
    return wharf_ecr_json_wrong_type (member, _("true or false"), error);
  return wharf_json_reader_read_boolean (item->r, out, error);
}

static gboolean
get_int (Item        *item,
         gsize        off,
         const char  *member,
         gint64       min,
         gint64       max,
         gint64      *out,
         GError     **error)
{
  WharfJsonNumber number;
  WharfJsonType type;
  gboolean present;
  gint64 i;

  if (!at_member (item, off, &present, &type, error))
    return FALSE;
  if (!present)
    return TRUE;
  if (type != WHARF_JSON_NUMBER)
    return wharf_ecr_json_wrong_type (member, _("a number"), error);
  if (!wharf_json_reader_read_number (item->r, &number, error))
    return FALSE;
  if (number.is_int)
    i = number.i;
  else
    {
      double d = number.d;

      if (!isfinite (d))
        return wharf_ecr_json_bad_value (member, error);
      if (d != floor (d) || d < (double) min || d > (double) max)
        return wharf_ecr_json_bad_value (member, error);
      i = (gint64) d;
    }
  if (i < min || i > max)
    return wharf_ecr_json_bad_value (member, error);
  *out = i;
  return TRUE;
}

static gboolean
get_timestamp (Item        *item,
               gsize        off,
               const char  *member,
               GDateTime  **out,
               GError     **error)
{
  WharfJsonType type;
  gboolean present;

  *out = NULL;
  if (!at_member (item, off, &present, &type, error))
    return FALSE;
  if (!present)
    return TRUE;
  if (type == WHARF_JSON_NUMBER)
    {
      WharfJsonNumber number;

      if (!wharf_json_reader_read_number (item->r, &number, error))
        return FALSE;
      return wharf_ecr_timestamp_from_seconds (number.is_int ? (double) number.i : number.d,
                                               member, out, error);
    }
  if (type == WHARF_JSON_STRING)
    {
      const char *text;

      if (!wharf_json_reader_read_string (item->r, &text, NULL, error))
        return FALSE;
      return wharf_ecr_timestamp_from_string (text, member, out, error);
    }
  return wharf_ecr_json_wrong_type (member, _("a time"), error);
}

/* *present says whether the member is there and an object (the reader is then at it). */
static gboolean
get_object (Item        *item,
            gsize        off,
            const char  *member,
            gboolean    *present,
            GError     **error)
{
  WharfJsonType type;

  if (!at_member (item, off, present, &type, error))
    return FALSE;
  if (*present && type != WHARF_JSON_OBJECT)
    return wharf_ecr_json_wrong_type (member, _("an object"), error);
  return TRUE;
}

static gboolean
get_array (Item        *item,
           gsize        off,
           const char  *member,
           gboolean    *present,
           GError     **error)
{
  WharfJsonType type;

  if (!at_member (item, off, present, &type, error))
    return FALSE;
  if (*present && type != WHARF_JSON_ARRAY)
    return wharf_ecr_json_wrong_type (member, _("a list"), error);
  return TRUE;
}

/* The strings of a list into item->list (emptied first). */
static gboolean
get_strv (Item        *item,
          gsize        off,
          const char  *member,
          GError     **error)
{
  gboolean present;

  g_array_set_size (item->list, 0);
  if (!get_array (item, off, member, &present, error))
    return FALSE;
  if (!present)
    return TRUE;
  if (!wharf_json_reader_begin_array (item->r, error))
    return FALSE;
  for (;;)
    {
      WharfJsonType type;
      const char *text;
      gboolean more;
      gsize len, at;

      if (!wharf_json_reader_next_element (item->r, &more, error))
        return FALSE;
      if (!more)
        return TRUE;
      if (!wharf_json_reader_peek (item->r, &type, error))
        return FALSE;
      if (type != WHARF_JSON_STRING)
        return wharf_ecr_json_wrong_type (member, _("a list of strings"), error);
      if (!wharf_json_reader_read_string (item->r, &text, &len, error))
        return FALSE;
      at = arena_add (item, text, len);
      g_array_append_val (item->list, at);
    }
}

/* item->list as a NULL-terminated array into the arena (valid until the arena grows). */
static const char **
list_to_strv (Item *item)
{
  const char **strv = g_new (const char *, item->list->len + 1);

  for (guint i = 0; i < item->list->len; i++)
    strv[i] = item->arena->str + g_array_index (item->list, gsize, i);
  strv[item->list->len] = NULL;
  return strv;
}

/* ---- ImageDetail (wharf-image.c: parse_image) ---- */

enum {
  IMG_DIGEST,
  IMG_REPOSITORY,
  IMG_REGISTRY,
  IMG_TAGS,
  IMG_SIZE,
  IMG_PUSHED_AT,
  IMG_PULLED_AT,
  IMG_MANIFEST_TYPE,
  IMG_ARTIFACT_TYPE,
  IMG_SCAN_STATUS,
  IMG_SUMMARY,
  IMG_N
};

static const char * const image_members[IMG_N] = {
  "imageDigest", "repositoryName", "registryId", "imageTags", "imageSizeInBytes",
  "imagePushedAt", "lastRecordedPullTime", "imageManifestMediaType", "artifactMediaType",
  "imageScanStatus", "imageScanFindingsSummary",
};

static const char * const scan_status_members[] = { "status", "description" };
static const char * const summary_members[] = { "imageScanCompletedAt", "findingSeverityCounts" };

static WharfImage *
read_image (Item    *item,
            GError **error)
{
  WharfJsonReader *r = item->r;
  WharfImageFields fields = { 0 };
  gsize off[IMG_N];
  gsize digest, repository, registry, manifest, artifact;
  gsize status = ABSENT, description = ABSENT;
  g_autoptr(GDateTime) pushed_at = NULL;
  g_autoptr(GDateTime) pulled_at = NULL;
  g_autoptr(GDateTime) completed_at = NULL;
  g_autofree const char **tags = NULL;
  gboolean has_status, has_summary;
  gsize end;

  g_string_truncate (item->arena, 0);
  if (!wharf_json_reader_scan_object (r, image_members, IMG_N, off, error))
    return NULL;
  end = wharf_json_reader_get_offset (r);

  fields.size = -1;
  if (!get_string (item, off[IMG_DIGEST], "imageDigest", TRUE, &digest, error) ||
      !get_string (item, off[IMG_REPOSITORY], "repositoryName", TRUE, &repository, error) ||
      !get_string (item, off[IMG_REGISTRY], "registryId", FALSE, &registry, error) ||
      !get_strv (item, off[IMG_TAGS], "imageTags", error) ||
      !get_int (item, off[IMG_SIZE], "imageSizeInBytes", 0, G_MAXINT64, &fields.size, error) ||
      !get_timestamp (item, off[IMG_PUSHED_AT], "imagePushedAt", &pushed_at, error) ||
      !get_timestamp (item, off[IMG_PULLED_AT], "lastRecordedPullTime", &pulled_at, error) ||
      !get_string (item, off[IMG_MANIFEST_TYPE], "imageManifestMediaType", FALSE, &manifest,
                   error) ||
      !get_string (item, off[IMG_ARTIFACT_TYPE], "artifactMediaType", FALSE, &artifact,
                   error) ||
      !get_object (item, off[IMG_SCAN_STATUS], "imageScanStatus", &has_status, error) ||
      !get_object (item, off[IMG_SUMMARY], "imageScanFindingsSummary", &has_summary, error))
    return NULL;

  if (item->arena->str[digest] == '\0')
    {
      wharf_ecr_json_bad_value ("imageDigest", error);
      return NULL;
    }

  if (has_status)
    {
      gsize status_off[G_N_ELEMENTS (scan_status_members)];

      wharf_json_reader_seek (r, off[IMG_SCAN_STATUS]);
      if (!wharf_json_reader_scan_object (r, scan_status_members,
                                          G_N_ELEMENTS (scan_status_members), status_off, error) ||
          !get_string (item, status_off[0], "status", FALSE, &status, error) ||
          !get_string (item, status_off[1], "description", FALSE, &description, error))
        return NULL;
    }

  if (has_summary)
    {
      gsize summary_off[G_N_ELEMENTS (summary_members)];
      gboolean has_counts;

      wharf_json_reader_seek (r, off[IMG_SUMMARY]);
      if (!wharf_json_reader_scan_object (r, summary_members, G_N_ELEMENTS (summary_members),
                                          summary_off, error) ||
          !get_timestamp (item, summary_off[0], "imageScanCompletedAt", &completed_at, error) ||
          !get_object (item, summary_off[1], "findingSeverityCounts", &has_counts, error))
        return NULL;
      if (has_counts)
        {
          const char *names[WHARF_N_SEVERITIES];
          gsize counts_off[WHARF_N_SEVERITIES];

          for (guint i = 0; i < WHARF_N_SEVERITIES; i++)
            names[i] = wharf_severity_to_string (i);
          wharf_json_reader_seek (r, summary_off[1]);
          if (!wharf_json_reader_scan_object (r, names, WHARF_N_SEVERITIES, counts_off, error))
            return NULL;
          for (guint i = 0; i < WHARF_N_SEVERITIES; i++)
            {
              gint64 n = 0;

              if (!get_int (item, counts_off[i], names[i], 0, G_MAXINT, &n, error))
                return NULL;
              fields.counts[i] = (int) n;
            }
        }
      /* A summary without counts means no findings. */
      fields.has_scan_summary = TRUE;
    }

  wharf_json_reader_seek (r, end);

  tags = list_to_strv (item);
  fields.digest = ARENA_STR (item, digest);
  fields.repository_name = ARENA_STR (item, repository);
  fields.registry_id = ARENA_STR (item, registry);
  fields.tags = tags;
  fields.pushed_at = pushed_at;
  fields.last_recorded_pull_time = pulled_at;
  fields.scan_completed_at = completed_at;
  fields.image_manifest_media_type = ARENA_STR (item, manifest);
  fields.artifact_media_type = ARENA_STR (item, artifact);
  fields.scan_status = has_status && status != ABSENT
                         ? wharf_scan_status_from_string (ARENA_STR (item, status))
                         : WHARF_SCAN_STATUS_NONE;
  fields.scan_status_description = ARENA_STR (item, description);
  return wharf_image_new_from_fields (&fields);
}

/* ---- Repository (wharf-repository.c: parse_repository) ---- */

enum {
  REPO_NAME,
  REPO_ARN,
  REPO_URI,
  REPO_REGISTRY,
  REPO_CREATED_AT,
  REPO_MUTABILITY,
  REPO_FILTERS,
  REPO_SCANNING,
  REPO_ENCRYPTION,
  REPO_N
};

static const char * const repository_members[REPO_N] = {
  "repositoryName", "repositoryArn", "repositoryUri", "registryId", "createdAt",
  "imageTagMutability", "imageTagMutabilityExclusionFilters", "imageScanningConfiguration",
  "encryptionConfiguration",
};

static const char * const filter_members[] = { "filter", "filterType" };
static const char * const scanning_members[] = { "scanOnPush" };
static const char * const encryption_members[] = { "encryptionType", "kmsKey" };

static WharfRepository *
read_repository (Item    *item,
                 GError **error)
{
  WharfJsonReader *r = item->r;
  WharfRepositoryFields fields = { 0 };
  gsize off[REPO_N];
  gsize name, arn, uri, registry, mutability, kms_key = ABSENT;
  g_autoptr(GDateTime) created_at = NULL;
  g_autofree const char **filters = NULL;
  gboolean has_filters, has_scanning, has_encryption;
  gsize end;

  g_string_truncate (item->arena, 0);
  g_array_set_size (item->list, 0);
  if (!wharf_json_reader_scan_object (r, repository_members, REPO_N, off, error))
    return NULL;
  end = wharf_json_reader_get_offset (r);

  if (!get_string (item, off[REPO_NAME], "repositoryName", TRUE, &name, error) ||
      !get_string (item, off[REPO_ARN], "repositoryArn", TRUE, &arn, error) ||
      !get_string (item, off[REPO_URI], "repositoryUri", FALSE, &uri, error) ||
      !get_string (item, off[REPO_REGISTRY], "registryId", FALSE, &registry, error) ||
      !get_timestamp (item, off[REPO_CREATED_AT], "createdAt", &created_at, error) ||
      !get_string (item, off[REPO_MUTABILITY], "imageTagMutability", FALSE, &mutability,
                   error) ||
      !get_array (item, off[REPO_FILTERS], "imageTagMutabilityExclusionFilters", &has_filters,
                  error) ||
      !get_object (item, off[REPO_SCANNING], "imageScanningConfiguration", &has_scanning,
                   error) ||
      !get_object (item, off[REPO_ENCRYPTION], "encryptionConfiguration", &has_encryption,
                   error))
    return NULL;

  if (item->arena->str[name] == '\0')
    {
      wharf_ecr_json_bad_value ("repositoryName", error);
      return NULL;
    }

  /* A newer ECR may add values: the repository stays listed, with the value unknown. */
  fields.tag_mutability = WHARF_TAG_MUTABILITY_MUTABLE;
  if (mutability != ABSENT
      && !wharf_tag_mutability_from_string (ARENA_STR (item, mutability), &fields.tag_mutability))
    fields.tag_mutability = WHARF_TAG_MUTABILITY_UNKNOWN;

  if (has_filters)
    {
      wharf_json_reader_seek (r, off[REPO_FILTERS]);
      if (!wharf_json_reader_begin_array (r, error))
        return NULL;
      for (;;)
        {
          gsize filter_off[G_N_ELEMENTS (filter_members)];
          gsize value, type, next;
          WharfJsonType element;
          gboolean more;

          if (!wharf_json_reader_next_element (r, &more, error))
            return NULL;
          if (!more)
            break;
          if (!wharf_json_reader_peek (r, &element, error))
            return NULL;
          if (element != WHARF_JSON_OBJECT)
            {
              wharf_ecr_json_wrong_type ("imageTagMutabilityExclusionFilters",
                                         _("a list of objects"), error);
              return NULL;
            }
          if (!wharf_json_reader_scan_object (r, filter_members, G_N_ELEMENTS (filter_members),
                                              filter_off, error))
            return NULL;
          next = wharf_json_reader_get_offset (r);
          if (!get_string (item, filter_off[0], "filter", TRUE, &value, error) ||
              !get_string (item, filter_off[1], "filterType", FALSE, &type, error))
            return NULL;
          g_array_append_val (item->list, value);
          wharf_json_reader_seek (r, next);
        }
    }

  fields.scan_on_push = FALSE;
  if (has_scanning)
    {
      gsize scanning_off[G_N_ELEMENTS (scanning_members)];

      wharf_json_reader_seek (r, off[REPO_SCANNING]);
      if (!wharf_json_reader_scan_object (r, scanning_members, G_N_ELEMENTS (scanning_members),
                                          scanning_off, error) ||
          !get_boolean (item, scanning_off[0], "scanOnPush", &fields.scan_on_push, error))
        return NULL;
    }

  fields.encryption_type = WHARF_ENCRYPTION_TYPE_AES256;
  if (has_encryption)
    {
      gsize encryption_off[G_N_ELEMENTS (encryption_members)];
      gsize type;

      wharf_json_reader_seek (r, off[REPO_ENCRYPTION]);
      if (!wharf_json_reader_scan_object (r, encryption_members,
                                          G_N_ELEMENTS (encryption_members), encryption_off,
                                          error) ||
          !get_string (item, encryption_off[0], "encryptionType", TRUE, &type, error) ||
          !get_string (item, encryption_off[1], "kmsKey", FALSE, &kms_key, error))
        return NULL;
      if (!wharf_encryption_type_from_string (ARENA_STR (item, type), &fields.encryption_type))
        fields.encryption_type = WHARF_ENCRYPTION_TYPE_UNKNOWN;
    }

  wharf_json_reader_seek (r, end);

  filters = list_to_strv (item);
  fields.name = ARENA_STR (item, name);
  fields.arn = ARENA_STR (item, arn);
  fields.uri = ARENA_STR (item, uri);
  fields.registry_id = ARENA_STR (item, registry);
  fields.created_at = created_at;
  fields.exclusion_filters = filters;
  fields.kms_key = ARENA_STR (item, kms_key);
  return wharf_repository_new_from_fields (&fields);
}

WharfImage *
wharf_ecr_read_image (WharfJsonReader  *reader,
                      GError          **error)
{
  Item item;
  WharfImage *image;

  g_return_val_if_fail (reader != NULL, NULL);

  item_init (&item, reader);
  image = read_image (&item, error);
  item_clear (&item);
  return image;
}

WharfRepository *
wharf_ecr_read_repository (WharfJsonReader  *reader,
                           GError          **error)
{
  Item item;
  WharfRepository *repository;

  g_return_val_if_fail (reader != NULL, NULL);

  item_init (&item, reader);
  repository = read_repository (&item, error);
  item_clear (&item);
  return repository;
}

/* ---- pages ---- */

void
wharf_ecr_page_scan_clear (WharfEcrPageScan *scan)
{
  g_clear_pointer (&scan->next_token, g_free);
  scan->items_offset = ABSENT;
}

gboolean
wharf_ecr_page_scan (const char        *data,
                     gsize              len,
                     const char        *items_member,
                     WharfEcrPageScan  *scan,
                     GError           **error)
{
  const char *names[] = { items_member, "nextToken" };
  gsize off[G_N_ELEMENTS (names)];
  WharfJsonReader r;
  Item item;
  gsize token = ABSENT;
  gboolean ok;

  g_return_val_if_fail (items_member != NULL, FALSE);
  g_return_val_if_fail (scan != NULL, FALSE);

  scan->items_offset = ABSENT;
  scan->next_token = NULL;

  wharf_json_reader_init (&r, data, len);
  item_init (&item, &r);
  ok = wharf_json_reader_scan_object (&r, names, G_N_ELEMENTS (names), off, error) &&
       wharf_json_reader_end (&r, error) &&
       get_string (&item, off[1], "nextToken", FALSE, &token, error);
  if (ok)
    {
      scan->items_offset = off[0];
      scan->next_token = g_strdup (ARENA_STR (&item, token));
    }
  item_clear (&item);
  wharf_json_reader_clear (&r);
  return ok;
}

GPtrArray *
wharf_ecr_page_read_items (const char  *data,
                           gsize        len,
                           const char  *items_member,
                           gsize        items_offset,
                           GType        item_type,
                           GError     **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean images = item_type == WHARF_TYPE_IMAGE;
  WharfJsonReader r;
  Item item;
  gboolean present, ok = TRUE;

  g_return_val_if_fail (items_member != NULL, NULL);
  g_return_val_if_fail (item_type == WHARF_TYPE_IMAGE || item_type == WHARF_TYPE_REPOSITORY,
                        NULL);

  wharf_json_reader_init (&r, data, len);
  item_init (&item, &r);

  ok = get_array (&item, items_offset, items_member, &present, error);
  if (ok && present)
    {
      ok = wharf_json_reader_begin_array (&r, error);
      while (ok)
        {
          WharfJsonType type;
          gboolean more;
          gpointer model;

          if (!wharf_json_reader_next_element (&r, &more, error))
            {
              ok = FALSE;
              break;
            }
          if (!more)
            break;
          if (!wharf_json_reader_peek (&r, &type, error))
            {
              ok = FALSE;
              break;
            }
          if (type != WHARF_JSON_OBJECT)
            {
              ok = wharf_ecr_json_wrong_type (items_member, _("a list of objects"), error);
              break;
            }
          model = images ? (gpointer) read_image (&item, error)
                         : (gpointer) read_repository (&item, error);
          if (!model)
            {
              ok = FALSE;
              break;
            }
          g_ptr_array_add (items, model);
        }
    }

  item_clear (&item);
  wharf_json_reader_clear (&r);
  return ok ? g_steal_pointer (&items) : NULL;
}

GPtrArray *
wharf_ecr_page_items_from_json (JsonObject  *response,
                                const char  *items_member,
                                GType        item_type,
                                GError     **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  JsonArray *array;
  guint i, n;

  g_return_val_if_fail (response != NULL, NULL);
  g_return_val_if_fail (item_type == WHARF_TYPE_IMAGE || item_type == WHARF_TYPE_REPOSITORY,
                        NULL);

  if (!wharf_ecr_json_get_array (response, items_member, FALSE, &array, error))
    return NULL;
  n = array ? json_array_get_length (array) : 0;
  for (i = 0; i < n; i++)
    {
      JsonObject *object = wharf_ecr_json_array_get_object (array, i, items_member, error);
      gpointer model = NULL;

      if (object)
        model = item_type == WHARF_TYPE_REPOSITORY
                  ? (gpointer) wharf_repository_new_from_json (object, error)
                  : (gpointer) wharf_image_new_from_json (object, error);
      if (!model)
        return NULL;
      g_ptr_array_add (items, model);
    }
  return g_steal_pointer (&items);
}

GPtrArray *
wharf_ecr_page_read (WharfAwsResponse  *response,
                     const char        *items_member,
                     GType              item_type,
                     char             **next_token,
                     GError           **error)
{
  g_auto(WharfEcrPageScan) scan = { ABSENT, NULL };
  g_autoptr(GError) reader_error = NULL;
  g_autoptr(JsonObject) object = NULL;
  GBytes *body;
  const char *data;
  const char *token;
  GPtrArray *items;
  gsize len;

  g_return_val_if_fail (response != NULL, NULL);
  g_return_val_if_fail (next_token != NULL, NULL);

  *next_token = NULL;
  body = wharf_aws_response_get_body (response);
  data = g_bytes_get_data (body, &len);

  if (wharf_ecr_page_scan (data, len, items_member, &scan, &reader_error))
    {
      items = wharf_ecr_page_read_items (data, len, items_member, scan.items_offset, item_type,
                                         &reader_error);
      if (items)
        {
          *next_token = g_steal_pointer (&scan.next_token);
          return items;
        }
    }
  if (reader_error->domain != WHARF_JSON_READER_ERROR)
    {
      g_propagate_error (error, g_steal_pointer (&reader_error));
      return NULL;
    }

  /* Not JSON that the reader takes: json-glib decides, as it always has. */
  g_debug ("Reading the page through json-glib: %s", reader_error->message);
  object = wharf_aws_response_parse (response, error);
  if (!object)
    return NULL;
  if (!wharf_ecr_json_get_string (object, "nextToken", FALSE, &token, error))
    return NULL;
  items = wharf_ecr_page_items_from_json (object, items_member, item_type, error);
  if (items)
    *next_token = g_strdup (token);
  return items;
}
