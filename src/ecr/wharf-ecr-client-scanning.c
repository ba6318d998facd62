/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * WharfEcrClient: image scanning (the registry's scanning configuration, each repository's,
 * StartImageScan, DescribeImageScanFindings).
 */
#define G_LOG_DOMAIN "wharf-ecr-client-scanning"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-ecr-client.h"
#include "wharf-ecr-client-private.h"

#include "wharf-ecr-json-private.h"

/* BatchGetRepositoryScanningConfiguration takes at most 25 names. */
#define SCANNING_CONFIGURATION_BATCH 25

/* ---- Registry scanning ---- */

static gboolean
parse_filter_list (JsonObject  *object,
                   const char  *member,
                   GStrv       *out,
                   GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;
  guint i, n;

  if (!wharf_ecr_json_get_array (object, member, FALSE, &array, error))
    return FALSE;
  n = array ? json_array_get_length (array) : 0;
  for (i = 0; i < n; i++)
    {
      JsonObject *filter = wharf_ecr_json_array_get_object (array, i, member, error);
      const char *value;

      if (!filter || !wharf_ecr_json_get_string (filter, "filter", TRUE, &value, error))
        return FALSE;
      g_strv_builder_add (builder, value);
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

static WharfRegistryScanningConfiguration *
parse_registry_scanning_configuration (JsonObject  *object,
                                       GError     **error)
{
  g_autoptr(WharfRegistryScanningConfiguration) configuration = NULL;
  const char *scan_type;
  JsonArray *rules;
  guint i, n;

  configuration = wharf_registry_scanning_configuration_new (WHARF_SCAN_TYPE_BASIC);
  if (!wharf_ecr_json_get_string (object, "scanType", FALSE, &scan_type, error) ||
      !wharf_ecr_json_get_array (object, "rules", FALSE, &rules, error))
    return NULL;
  if (scan_type && !wharf_scan_type_from_string (scan_type, &configuration->scan_type))
    {
      wharf_ecr_json_bad_value ("scanType", error);
      return NULL;
    }
  n = rules ? json_array_get_length (rules) : 0;
  for (i = 0; i < n; i++)
    {
      JsonObject *rule_object = wharf_ecr_json_array_get_object (rules, i, "rules", error);
      g_auto(GStrv) filters = NULL;
      const char *frequency_str;
      WharfScanFrequency frequency;
      WharfScanningRule *rule;

      if (!rule_object ||
          !wharf_ecr_json_get_string (rule_object, "scanFrequency", TRUE, &frequency_str, error) ||
          !parse_filter_list (rule_object, "repositoryFilters", &filters, error))
        return NULL;
      if (!wharf_scan_frequency_from_string (frequency_str, &frequency))
        {
          wharf_ecr_json_bad_value ("scanFrequency", error);
          return NULL;
        }
      rule = wharf_scanning_rule_new (frequency, (const char * const *) filters);
      wharf_registry_scanning_configuration_add_rule (configuration, rule);
    }
  return g_steal_pointer (&configuration);
}

static gpointer
parse_get_registry_scanning (JsonObject *response,
                             GError    **error)
{
  WharfRegistryScanningConfiguration *configuration;
  const char *registry_id;
  JsonObject *object;

  if (!wharf_ecr_json_get_string (response, "registryId", FALSE, &registry_id, error) ||
      !wharf_ecr_json_get_object (response, "scanningConfiguration", TRUE, &object, error))
    return NULL;
  configuration = parse_registry_scanning_configuration (object, error);
  if (configuration)
    configuration->registry_id = g_strdup (registry_id);
  return configuration;
}

static gpointer
parse_put_registry_scanning (JsonObject *response,
                             GError    **error)
{
  JsonObject *object;

  if (!wharf_ecr_json_get_object (response, "registryScanningConfiguration", TRUE, &object, error))
    return NULL;
  return parse_registry_scanning_configuration (object, error);
}

void
wharf_ecr_client_get_registry_scanning_configuration_async (WharfEcrClient      *self,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = wharf_ecr_client_new_task (self,
                                    wharf_ecr_client_get_registry_scanning_configuration_async,
                                    cancellable, callback, user_data);
  wharf_ecr_client_simple_call (self, task, "GetRegistryScanningConfiguration", json_object_new (),
                                parse_get_registry_scanning,
                                (GDestroyNotify) wharf_registry_scanning_configuration_free);
}

WharfRegistryScanningConfiguration *
wharf_ecr_client_get_registry_scanning_configuration_finish (WharfEcrClient  *self,
                                                             GAsyncResult    *result,
                                                             GError         **error)
{
  return wharf_ecr_client_propagate_pointer (self, result,
                                             wharf_ecr_client_get_registry_scanning_configuration_async,
                                             error);
}

void
wharf_ecr_client_put_registry_scanning_configuration_async (WharfEcrClient                           *self,
                                                            const WharfRegistryScanningConfiguration *configuration,
                                                            GCancellable                             *cancellable,
                                                            GAsyncReadyCallback                       callback,
                                                            gpointer                                  user_data)
{
  GTask *task;
  JsonObject *input;
  JsonArray *rules;
  guint i;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));
  g_return_if_fail (configuration);

  task = wharf_ecr_client_new_task (self,
                                    wharf_ecr_client_put_registry_scanning_configuration_async,
                                    cancellable, callback, user_data);

  input = json_object_new ();
  json_object_set_string_member (input, "scanType",
                                 wharf_scan_type_to_string (configuration->scan_type));
  rules = json_array_new ();
  for (i = 0; i < configuration->rules->len; i++)
    {
      const WharfScanningRule *rule = g_ptr_array_index (configuration->rules, i);
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "scanFrequency",
                                     wharf_scan_frequency_to_string (rule->frequency));
      wharf_ecr_json_set_wildcard_filters (object, "repositoryFilters",
                                           (const char * const *) rule->repository_filters, -1,
                                           TRUE);
      json_array_add_object_element (rules, object);
    }
  json_object_set_array_member (input, "rules", rules);

  wharf_ecr_client_simple_call (self, task, "PutRegistryScanningConfiguration", input,
                                parse_put_registry_scanning,
                                (GDestroyNotify) wharf_registry_scanning_configuration_free);
}

WharfRegistryScanningConfiguration *
wharf_ecr_client_put_registry_scanning_configuration_finish (WharfEcrClient  *self,
                                                             GAsyncResult    *result,
                                                             GError         **error)
{
  return wharf_ecr_client_propagate_pointer (self, result,
                                             wharf_ecr_client_put_registry_scanning_configuration_async,
                                             error);
}

/* ---- BatchGetRepositoryScanningConfiguration (any number) ---- */

static JsonObject *
scanning_configuration_next (WharfEcrChunked *state)
{
  JsonObject *input;
  JsonArray *names;
  guint i;

  if (!wharf_ecr_chunked_pop_slice (state))
    return NULL;
  input = json_object_new ();
  names = json_array_new ();
  for (i = 0; i < state->current->len; i++)
    json_array_add_string_element (names, g_ptr_array_index (state->current, i));
  json_object_set_array_member (input, "repositoryNames", names);
  return input;
}

static gboolean
scanning_configuration_take (WharfEcrChunked  *state,
                             JsonObject       *response,
                             GError          **error)
{
  GPtrArray *result = state->result;
  JsonArray *configurations, *failures;
  guint i, n;

  if (!wharf_ecr_json_get_array (response, "scanningConfigurations", FALSE, &configurations,
                                 error) ||
      !wharf_ecr_json_get_array (response, "failures", FALSE, &failures, error))
    return FALSE;

  n = configurations ? json_array_get_length (configurations) : 0;
  for (i = 0; i < n; i++)
    {
      JsonObject *object = wharf_ecr_json_array_get_object (configurations, i,
                                                            "scanningConfigurations", error);
      g_autoptr(WharfRepositoryScanningConfiguration) configuration = NULL;
      const char *name, *arn, *frequency = NULL;

      if (!object)
        return FALSE;
      configuration = g_new0 (WharfRepositoryScanningConfiguration, 1);
      if (!wharf_ecr_json_get_string (object, "repositoryName", TRUE, &name, error) ||
          !wharf_ecr_json_get_string (object, "repositoryArn", FALSE, &arn, error) ||
          !wharf_ecr_json_get_boolean (object, "scanOnPush", &configuration->scan_on_push, error) ||
          !wharf_ecr_json_get_string (object, "scanFrequency", FALSE, &frequency, error) ||
          !parse_filter_list (object, "appliedScanFilters", &configuration->applied_filters, error))
        return FALSE;
      configuration->repository_name = g_strdup (name);
      configuration->repository_arn = g_strdup (arn);
      if (frequency && !wharf_scan_frequency_from_string (frequency, &configuration->frequency))
        return wharf_ecr_json_bad_value ("scanFrequency", error);
      if (!frequency)
        configuration->frequency = configuration->scan_on_push ? WHARF_SCAN_FREQUENCY_SCAN_ON_PUSH
                                                               : WHARF_SCAN_FREQUENCY_MANUAL;
      g_ptr_array_add (result, g_steal_pointer (&configuration));
    }

  n = failures ? json_array_get_length (failures) : 0;
  for (i = 0; i < n; i++)
    {
      JsonObject *object = wharf_ecr_json_array_get_object (failures, i, "failures", error);
      WharfRepositoryScanningConfiguration *configuration;
      const char *name, *code, *reason;

      if (!object ||
          !wharf_ecr_json_get_string (object, "repositoryName", TRUE, &name, error) ||
          !wharf_ecr_json_get_string (object, "failureCode", FALSE, &code, error) ||
          !wharf_ecr_json_get_string (object, "failureReason", FALSE, &reason, error))
        return FALSE;
      configuration = g_new0 (WharfRepositoryScanningConfiguration, 1);
      configuration->repository_name = g_strdup (name);
      configuration->applied_filters = g_new0 (char *, 1);
      configuration->failure_code = g_strdup (code ? code : "Failed");
      configuration->failure_reason = g_strdup (reason);
      g_ptr_array_add (result, configuration);
    }
  return TRUE;
}

void
wharf_ecr_client_batch_get_repository_scanning_configuration_async (WharfEcrClient      *self,
                                                                    const char * const  *repositories,
                                                                    GCancellable        *cancellable,
                                                                    GAsyncReadyCallback  callback,
                                                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GPtrArray *names;
  WharfEcrChunked *state;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = wharf_ecr_client_new_task (self,
                                    wharf_ecr_client_batch_get_repository_scanning_configuration_async,
                                    cancellable, callback, user_data);
  if (!wharf_ecr_check_repositories (task, repositories))
    return;

  names = g_ptr_array_new_with_free_func (g_free);
  for (; *repositories; repositories++)
    g_ptr_array_add (names, g_strdup (*repositories));
  state = wharf_ecr_chunked_new (self, "BatchGetRepositoryScanningConfiguration", NULL, names,
                                 SCANNING_CONFIGURATION_BATCH, scanning_configuration_next,
                                 scanning_configuration_take);
  g_ptr_array_unref (names);
  state->result = g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_repository_scanning_configuration_free);
  state->result_free = (GDestroyNotify) g_ptr_array_unref;
  wharf_ecr_chunked_start (g_steal_pointer (&task), state);
}

GPtrArray *
wharf_ecr_client_batch_get_repository_scanning_configuration_finish (WharfEcrClient  *self,
                                                                     GAsyncResult    *result,
                                                                     GError         **error)
{
  return wharf_ecr_client_propagate_pointer (self, result,
                                             wharf_ecr_client_batch_get_repository_scanning_configuration_async,
                                             error);
}

/* ---- StartImageScan ---- */

static gpointer
parse_start_scan (JsonObject *response,
                  GError    **error)
{
  JsonObject *status_object;
  const char *status;

  if (!wharf_ecr_json_get_object (response, "imageScanStatus", TRUE, &status_object, error) ||
      !wharf_ecr_json_get_string (status_object, "status", TRUE, &status, error))
    return NULL;
  /* +1 so that NONE is not NULL. */
  return GINT_TO_POINTER (wharf_scan_status_from_string (status) + 1);
}

void
wharf_ecr_client_start_image_scan_async (WharfEcrClient      *self,
                                         const char          *repository,
                                         const WharfImageId  *image_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  JsonObject *input;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = wharf_ecr_client_new_task (self, wharf_ecr_client_start_image_scan_async, cancellable,
                                    callback, user_data);
  if (!wharf_ecr_check_repository (task, repository) ||
      !wharf_ecr_check_image_id (task, image_id))
    return;

  input = wharf_ecr_input_new (repository);
  json_object_set_object_member (input, "imageId", wharf_ecr_image_id_to_json (image_id));
  wharf_ecr_client_simple_call (self, g_steal_pointer (&task), "StartImageScan", input,
                                parse_start_scan, NULL);
}

WharfScanStatus
wharf_ecr_client_start_image_scan_finish (WharfEcrClient  *self,
                                          GAsyncResult    *result,
                                          GError         **error)
{
  gpointer value = wharf_ecr_client_propagate_pointer (self, result,
                                                       wharf_ecr_client_start_image_scan_async,
                                                       error);

  if (!value)
    return WHARF_SCAN_STATUS_UNKNOWN;
  return (WharfScanStatus) (GPOINTER_TO_INT (value) - 1);
}

/* ---- DescribeImageScanFindings ---- */

static JsonObject *
scan_findings_next (WharfEcrChunked *state)
{
  JsonObject *input;

  if (!wharf_ecr_chunked_want_page (state))
    return NULL;
  input = wharf_ecr_input_new (state->repository);
  json_object_set_object_member (input, "imageId",
                                 wharf_ecr_image_id_to_json (g_ptr_array_index (state->ids, 0)));
  /* Only the status and counts: the smallest page. */
  wharf_ecr_input_set_page (input, state->client, state->all_pages ? 0 : 1, state->next_token);
  return input;
}

static gboolean
scan_findings_take (WharfEcrChunked  *state,
                    JsonObject       *response,
                    GError          **error)
{
  if (!state->result)
    {
      state->result = wharf_scan_result_new_from_json (response, error);
      if (!state->result)
        return FALSE;
    }
  else if (!wharf_scan_result_add_findings_from_json (state->result, response, error))
    return FALSE;
  return wharf_ecr_chunked_take_token (state, response, error);
}

void
wharf_ecr_client_describe_image_scan_findings_async (WharfEcrClient      *self,
                                                     const char          *repository,
                                                     const WharfImageId  *image_id,
                                                     gboolean             all_pages,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  WharfEcrChunked *state;

  g_return_if_fail (WHARF_IS_ECR_CLIENT (self));

  task = wharf_ecr_client_new_task (self, wharf_ecr_client_describe_image_scan_findings_async,
                                    cancellable, callback, user_data);
  if (!wharf_ecr_check_repository (task, repository) ||
      !wharf_ecr_check_image_id (task, image_id))
    return;

  ids = g_ptr_array_new_with_free_func ((GDestroyNotify) wharf_image_id_free);
  g_ptr_array_add (ids, wharf_image_id_copy (image_id));
  state = wharf_ecr_chunked_new (self, "DescribeImageScanFindings", repository, NULL, 0,
                                 scan_findings_next, scan_findings_take);
  state->ids = g_steal_pointer (&ids);
  state->all_pages = all_pages;
  state->result_free = g_object_unref;
  wharf_ecr_chunked_start (g_steal_pointer (&task), state);
}

WharfScanResult *
wharf_ecr_client_describe_image_scan_findings_finish (WharfEcrClient  *self,
                                                      GAsyncResult    *result,
                                                      GError         **error)
{
  return wharf_ecr_client_propagate_pointer (self, result,
                                             wharf_ecr_client_describe_image_scan_findings_async,
                                             error);
}
