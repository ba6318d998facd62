/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Image scanning: basic scans and their findings, and the registry's scanning
 * configuration.
 */
#define G_LOG_DOMAIN "wharf-sandbox-ops"

#include "config.h"

#include "wharf-sandbox-ops-private.h"

/* Scans */

static SbImage *
in_one_image (SbCall      *call,
              JsonObject  *in,
              SbRepo      *repo,
              const char **tag_out)
{
  JsonObject *id;
  const char *d, *t;
  SbImage *image;

  if (!in_object (call, in, "imageId", TRUE, &id)
      || !in_string (call, id, "imageDigest", FALSE, &d)
      || !in_string (call, id, "imageTag", FALSE, &t)
      || !(image = need_image (call, repo, "imageId", d, t)))
    return NULL;
  *tag_out = t;
  return image;
}

JsonObject *
op_start_image_scan (SbCall     *call,
                     JsonObject *in)
{
  const char *tag = NULL;
  JsonObject *out;
  SbImage *image;
  SbRepo *repo;

  if (!(repo = in_repo (call, in)) || !(image = in_one_image (call, in, repo, &tag)))
    return NULL;
  if (image->children || g_str_has_prefix (image->media_type, MT_DOCKER_V1_JWS)
      || g_str_equal (image->media_type, MT_DOCKER_V1))
    {
      sb_call_fail (call, "UnsupportedImageTypeException",
                    "The image %s has the media type %s, which basic scanning does not support.",
                    image->digest, image->media_type);
      return NULL;
    }
  if (image->scan_started && call->now - image->scan_started < SB_USEC_PER_DAY)
    {
      sb_call_fail (call, "LimitExceededException",
                    "The scan quota per image has been exceeded. Wait and try again. (A basic "
                    "scan can be started once per image every 24 hours; this image was last "
                    "scanned %" G_GINT64_FORMAT " minutes ago.)",
                    (call->now - image->scan_started) / G_TIME_SPAN_MINUTE);
      return NULL;
    }
  image->scan_started = call->now;
  call->changed = TRUE;
  out = json_object_new ();
  set_common (out, call, repo);
  json_object_set_object_member (out, "imageId", image_id_json (image->digest, tag));
  json_object_set_object_member (out, "imageScanStatus", image_scan_status_json ("IN_PROGRESS"));
  return out;
}

JsonObject *
op_describe_image_scan_findings (SbCall     *call,
                                 JsonObject *in)
{
  g_autoptr(GPtrArray) findings = NULL;
  g_autofree char *scope = NULL;
  const char *tag = NULL, *status;
  JsonObject *out, *result;
  JsonArray *list;
  gint64 page_size;
  gboolean has_token;
  guint64 a, b;
  SbImage *image;
  SbRepo *repo;

  if (!(repo = in_repo (call, in)) || !(image = in_one_image (call, in, repo, &tag)))
    return NULL;
  scope = g_strdup_printf ("DescribeImageScanFindings\n%s\n%s", repo->name, image->digest);
  if (!in_paging (call, in, scope, 1000, FALSE, NULL, &page_size, &has_token, &a, &b))
    return NULL;
  status = sb_scan_status (image, call->now);
  if (!status)
    {
      g_autofree char *id_text = image_id_text (tag ? NULL : image->digest, tag);

      sb_call_fail (call, "ScanNotFoundException",
                    "Image scan does not exist for the image with '%s' in the repository with "
                    "name '%s' in the registry with id '%s'",
                    id_text, repo->name, call->registry->account);
      return NULL;
    }

  out = json_object_new ();
  set_common (out, call, repo);
  json_object_set_object_member (out, "imageId", image_id_json (image->digest, tag));
  json_object_set_object_member (out, "imageScanStatus", image_scan_status_json (status));
  if (!g_str_equal (status, "COMPLETE"))
    return out;

  findings = sb_scan_findings (image->digest);
  result = json_object_new ();
  json_object_set_member (result, "imageScanCompletedAt", ts (image->scan_started + SB_SCAN_DURATION));
  json_object_set_member (result, "vulnerabilitySourceUpdatedAt",
                          ts (image->scan_started - 6 * G_TIME_SPAN_HOUR));
  json_object_set_object_member (result, "findingSeverityCounts", sb_severity_counts (findings));
  list = json_array_new ();
  for (guint i = has_token ? (guint) a : 0; i < findings->len; i++)
    {
      if (json_array_get_length (list) == (guint) page_size)
        {
          set_take_string (out, "nextToken", token_make (call, scope, i, 0));
          break;
        }
      json_array_add_object_element (list, sb_finding_to_json (findings->pdata[i]));
    }
  json_object_set_array_member (result, "findings", list);
  json_object_set_object_member (out, "imageScanFindings", result);
  return out;
}

/* Registry scanning */

static JsonObject *
registry_scanning_json (SbRegistry *registry)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "scanType", registry->scan_type);
  json_object_set_member (o, "rules", json_node_copy (registry->scan_rules));
  return o;
}

JsonObject *
op_get_registry_scanning_configuration (SbCall     *call,
                                        JsonObject *in)
{
  JsonObject *out = json_object_new ();

  json_object_set_string_member (out, "registryId", call->registry->account);
  json_object_set_object_member (out, "scanningConfiguration", registry_scanning_json (call->registry));
  return out;
}

JsonObject *
op_put_registry_scanning_configuration (SbCall     *call,
                                        JsonObject *in)
{
  static const char *const scan_types[] = { "BASIC", "ENHANCED", NULL };
  static const char *const frequencies[] = { "SCAN_ON_PUSH", "CONTINUOUS_SCAN", "MANUAL", NULL };
  static const char *const filter_types[] = { "WILDCARD", NULL };
  const char *scan_type;
  JsonArray *rules, *clean;
  JsonObject *out;

  if (!in_string (call, in, "scanType", FALSE, &scan_type)
      || !check_enum (call, "scanType", scan_type, scan_types)
      || !in_array (call, in, "rules", FALSE, 0, 2, &rules))
    return NULL;
  if (!scan_type)
    scan_type = call->registry->scan_type;

  clean = json_array_new ();
  for (guint i = 0; rules && i < json_array_get_length (rules); i++)
    {
      JsonNode *node = json_array_get_element (rules, i);
      JsonObject *rule, *crule;
      JsonArray *filters, *cfilters;
      const char *frequency;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          sb_call_fail (call, "SerializationException",
                        "Cannot deserialize 'rules': %s can not be converted to a "
                        "RegistryScanningRule", json_kind (node));
          goto fail;
        }
      rule = json_node_get_object (node);
      if (!in_string (call, rule, "scanFrequency", TRUE, &frequency)
          || !check_enum (call, "scanFrequency", frequency, frequencies)
          || !in_array (call, rule, "repositoryFilters", TRUE, 0, 100, &filters))
        goto fail;
      if (g_str_equal (frequency, "CONTINUOUS_SCAN") && g_str_equal (scan_type, "BASIC"))
        {
          sb_call_fail (call, "ValidationException",
                        "CONTINUOUS_SCAN is only valid with the ENHANCED scan type");
          goto fail;
        }
      crule = json_object_new ();
      cfilters = json_array_new ();
      json_object_set_string_member (crule, "scanFrequency", frequency);
      json_object_set_array_member (crule, "repositoryFilters", cfilters);
      json_array_add_object_element (clean, crule);
      for (guint k = 0; k < json_array_get_length (filters); k++)
        {
          JsonNode *fn = json_array_get_element (filters, k);
          const char *filter, *type;
          JsonObject *cf;

          if (!JSON_NODE_HOLDS_OBJECT (fn))
            {
              sb_call_fail (call, "SerializationException",
                            "Cannot deserialize 'repositoryFilters': %s can not be converted "
                            "to a ScanningRepositoryFilter", json_kind (fn));
              goto fail;
            }
          if (!in_string (call, json_node_get_object (fn), "filter", TRUE, &filter)
              || !in_string (call, json_node_get_object (fn), "filterType", TRUE, &type)
              || !check_enum (call, "filterType", type, filter_types)
              || !check_length (call, "filter", filter, 1, 255))
            goto fail;
          cf = json_object_new ();
          json_object_set_string_member (cf, "filter", filter);
          json_object_set_string_member (cf, "filterType", type);
          json_array_add_object_element (cfilters, cf);
        }
    }

  if (scan_type != call->registry->scan_type)
    {
      g_free (call->registry->scan_type);
      call->registry->scan_type = g_strdup (scan_type);
    }
  json_node_unref (call->registry->scan_rules);
  call->registry->scan_rules = json_node_init_array (json_node_alloc (), clean);
  json_array_unref (clean);
  call->changed = TRUE;
  out = json_object_new ();
  json_object_set_object_member (out, "registryScanningConfiguration",
                                 registry_scanning_json (call->registry));
  return out;

fail:
  json_array_unref (clean);
  return NULL;
}

JsonObject *
op_batch_get_repository_scanning_configuration (SbCall     *call,
                                                JsonObject *in)
{
  JsonArray *names, *configs, *failures, *rules;
  JsonObject *out;

  if (!in_array (call, in, "repositoryNames", TRUE, 1, 25, &names))
    return NULL;
  for (guint i = 0; i < json_array_get_length (names); i++)
    {
      JsonNode *node = json_array_get_element (names, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          sb_call_fail (call, "SerializationException",
                        "Cannot deserialize 'repositoryNames': %s can not be converted to a "
                        "String", json_kind (node));
          return NULL;
        }
      if (!check_repository_name (call, "repositoryNames", json_node_get_string (node)))
        return NULL;
    }

  rules = json_node_get_array (call->registry->scan_rules);
  out = json_object_new ();
  configs = json_array_new ();
  failures = json_array_new ();
  for (guint i = 0; i < json_array_get_length (names); i++)
    {
      const char *name = json_array_get_string_element (names, i);
      SbRepo *repo = g_hash_table_lookup (call->registry->by_name, name);
      JsonObject *c;
      JsonArray *applied = json_array_new ();
      const char *frequency = NULL;
      g_autofree char *arn = NULL;

      if (!repo)
        {
          JsonObject *f = json_object_new ();

          json_array_unref (applied);
          json_object_set_string_member (f, "repositoryName", name);
          json_object_set_string_member (f, "failureCode", "REPOSITORY_NOT_FOUND");
          json_object_set_string_member (f, "failureReason", "REPOSITORY_NOT_FOUND");
          json_array_add_object_element (failures, f);
          continue;
        }
      for (guint r = 0; r < json_array_get_length (rules) && !frequency; r++)
        {
          JsonObject *rule = json_array_get_object_element (rules, r);
          JsonArray *filters = json_object_get_array_member (rule, "repositoryFilters");

          for (guint k = 0; k < json_array_get_length (filters); k++)
            {
              JsonObject *f = json_array_get_object_element (filters, k);

              if (sb_wildcard_match (json_object_get_string_member (f, "filter"), repo->name))
                {
                  frequency = json_object_get_string_member (rule, "scanFrequency");
                  json_array_add_element (applied, json_node_copy (json_array_get_element (filters, k)));
                }
            }
        }
      if (!frequency)
        frequency = json_array_get_length (rules) == 0 && repo->scan_on_push ? "SCAN_ON_PUSH" : "MANUAL";
      c = json_object_new ();
      arn = sb_repo_arn (call->registry, repo);
      json_object_set_string_member (c, "repositoryArn", arn);
      json_object_set_string_member (c, "repositoryName", repo->name);
      json_object_set_boolean_member (c, "scanOnPush", g_str_equal (frequency, "SCAN_ON_PUSH"));
      json_object_set_string_member (c, "scanFrequency", frequency);
      json_object_set_array_member (c, "appliedScanFilters", applied);
      json_array_add_object_element (configs, c);
    }
  json_object_set_array_member (out, "scanningConfigurations", configs);
  json_object_set_array_member (out, "failures", failures);
  return out;
}
