/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzzes every JSON-to-model parser of src/ecr (wharf_*_new_from_json) with what a hostile
 * or broken service could answer. The first byte picks the parser; the rest is the JSON
 * text. A parsed model has each of its properties read (as list views and expressions do)
 * and its getters called; a rejected one must say why.
 */
#define G_LOG_DOMAIN "fuzz-ecr-models"

#include "config.h"

#include <json-glib/json-glib.h>

#include "fuzz-common.h"
#include "wharf-authorization-token.h"
#include "wharf-image.h"
#include "wharf-lifecycle-preview-result.h"
#include "wharf-repository.h"
#include "wharf-scan-finding.h"
#include "wharf-scan-result.h"

static void
read_properties (GObject *object)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n = 0;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n);
  for (guint i = 0; i < n; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      if (!(pspecs[i]->flags & G_PARAM_READABLE))
        continue;
      g_value_init (&value, pspecs[i]->value_type);
      g_object_get_property (object, pspecs[i]->name, &value);
      if (G_VALUE_HOLDS_STRING (&value) && g_value_get_string (&value))
        g_assert (g_utf8_validate (g_value_get_string (&value), -1, NULL));
    }
}

static void
check_strv (const char * const *strv)
{
  for (; strv && *strv; strv++)
    g_assert (g_utf8_validate (*strv, -1, NULL));
}

static GObject *
parse_image (JsonObject *object, GError **error)
{
  g_autoptr(WharfImage) image = wharf_image_new_from_json (object, error);

  if (image)
    {
      g_autoptr(WharfImageId) id = wharf_image_dup_id (image);

      check_strv (wharf_image_get_tags (image));
      (void) wharf_image_get_tags_text (image);
      for (int s = 0; s < WHARF_N_SEVERITIES; s++)
        (void) wharf_image_get_severity_count (image, s);
      (void) wharf_image_get_total_findings (image);
      g_assert (id != NULL);
      (void) wharf_image_id_get_label (id);
    }
  return (GObject *) g_steal_pointer (&image);
}

static GObject *
parse_repository (JsonObject *object, GError **error)
{
  g_autoptr(WharfRepository) repo = wharf_repository_new_from_json (object, error);

  if (repo)
    {
      check_strv (wharf_repository_get_exclusion_filters (repo));
      (void) wharf_repository_get_namespace (repo);
      (void) wharf_repository_get_short_name (repo);
    }
  return (GObject *) g_steal_pointer (&repo);
}

static GObject *
parse_token (JsonObject *object, GError **error)
{
  g_autoptr(WharfAuthorizationToken) token = wharf_authorization_token_new_from_json (object,
                                                                                     error);

  if (token)
    {
      (void) wharf_authorization_token_get_user_name (token);
      (void) wharf_authorization_token_get_password (token);
      (void) wharf_authorization_token_get_registry (token);
    }
  return (GObject *) g_steal_pointer (&token);
}

static GObject *
parse_preview (JsonObject *object, GError **error)
{
  g_autoptr(WharfLifecyclePreviewResult) result =
    wharf_lifecycle_preview_result_new_from_json (object, error);

  if (result)
    {
      check_strv (wharf_lifecycle_preview_result_get_tags (result));
      (void) wharf_lifecycle_preview_result_get_tags_text (result);
    }
  return (GObject *) g_steal_pointer (&result);
}

static GObject *
parse_finding (JsonObject *object, GError **error)
{
  return (GObject *) wharf_scan_finding_new_from_json (object, error);
}

static GObject *
parse_enhanced_finding (JsonObject *object, GError **error)
{
  return (GObject *) wharf_scan_finding_new_from_enhanced_json (object, error);
}

/* A DescribeImageScanFindings response, then the same again as the next page. */
static GObject *
parse_scan_result (JsonObject *object, GError **error)
{
  g_autoptr(WharfScanResult) result = wharf_scan_result_new_from_json (object, error);

  if (result)
    {
      GListModel *findings;
      int counts[WHARF_N_SEVERITIES];

      if (!wharf_scan_result_add_findings_from_json (result, object, error))
        return NULL;
      findings = wharf_scan_result_get_findings (result);
      for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
        {
          g_autoptr(GObject) finding = g_list_model_get_item (findings, i);

          read_properties (finding);
        }
      (void) wharf_scan_result_get_counts (result, counts);
      (void) wharf_scan_result_get_total_findings (result);
    }
  return (GObject *) g_steal_pointer (&result);
}

typedef GObject *(*ParseFunc) (JsonObject *object, GError **error);

static const ParseFunc parsers[] = {
  parse_image,
  parse_repository,
  parse_token,
  parse_preview,
  parse_finding,
  parse_enhanced_finding,
  parse_scan_result,
};

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GObject) model = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  if (size < 1)
    return 0;
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, (const char *) data + 1, size - 1, NULL))
    return 0;
  root = json_parser_get_root (parser);
  if (!root || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;

  model = parsers[data[0] % G_N_ELEMENTS (parsers)] (json_node_get_object (root), &error);
  if (model)
    {
      g_assert (error == NULL);
      read_properties (model);
    }
  else
    {
      g_assert (error != NULL && error->message != NULL);
      g_assert (g_utf8_validate (error->message, -1, NULL));
    }
  return 0;
}
