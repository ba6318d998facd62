/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-caller-identity"

#include "config.h"

#include "wharf-sts.h"

/*
 * Who the credentials of a provider or of a client belong to, for the UI: STS
 * GetCallerIdentity at the endpoint the client would use. Apart from wharf-sts.c so that STS
 * itself never depends on the JSON 1.1 client (which reaches STS through the credentials).
 */

typedef struct
{
  WharfCredentialsProvider *provider;
  char                     *profile;   /* for a client's lookup; NULL: the default */
  char                     *region;
  char                     *endpoint;  /* NULL: STS's for @region */
} LookupData;

static void
lookup_data_free (LookupData *data)
{
  g_clear_object (&data->provider);
  g_free (data->profile);
  g_free (data->region);
  g_free (data->endpoint);
  g_free (data);
}

static GTask *
lookup_task_new (WharfCredentialsProvider *provider,
                 const char               *region,
                 const char               *endpoint,
                 gpointer                  source_tag,
                 GCancellable             *cancellable,
                 GAsyncReadyCallback       callback,
                 gpointer                  user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  LookupData *data = g_new0 (LookupData, 1);

  g_task_set_source_tag (task, source_tag);
  data->provider = g_object_ref (provider);
  data->region = g_strdup (region);
  data->endpoint = g_strdup (endpoint);
  g_task_set_task_data (task, data, (GDestroyNotify) lookup_data_free);
  return task;
}

static void
lookup_identity_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  WharfCallerIdentity *identity = wharf_sts_get_caller_identity_finish (result, &error);

  if (identity == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, identity, (GDestroyNotify) wharf_caller_identity_free);
}

static void
lookup_credentials_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LookupData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(WharfCredentials) creds =
    wharf_credentials_provider_get_credentials_finish (WHARF_CREDENTIALS_PROVIDER (source),
                                                       result, &error);
  g_autofree char *endpoint = NULL;
  g_autofree char *signing_region = NULL;
  GCancellable *cancellable;

  if (creds == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (data->endpoint != NULL)
    {
      endpoint = g_strdup (data->endpoint);
      signing_region = g_strdup (data->region != NULL ? data->region : "us-east-1");
    }
  else
    endpoint = wharf_sts_resolve_endpoint (NULL, NULL, data->region, &signing_region, &error);
  if (endpoint == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  cancellable = g_task_get_cancellable (task);
  wharf_sts_get_caller_identity_async (endpoint, signing_region, creds, cancellable,
                                       lookup_identity_cb, g_steal_pointer (&task));
}

static void
lookup_start (GTask *task)
{
  LookupData *data = g_task_get_task_data (task);

  wharf_credentials_provider_get_credentials_async (data->provider,
                                                    g_task_get_cancellable (task),
                                                    lookup_credentials_cb, task);
}

void
wharf_caller_identity_lookup_async (WharfCredentialsProvider *provider,
                                    const char               *region,
                                    const char               *endpoint,
                                    GCancellable             *cancellable,
                                    GAsyncReadyCallback       callback,
                                    gpointer                  user_data)
{
  g_return_if_fail (WHARF_IS_CREDENTIALS_PROVIDER (provider));

  lookup_start (lookup_task_new (provider, region, endpoint, wharf_caller_identity_lookup_async,
                                 cancellable, callback, user_data));
}

WharfCallerIdentity *
wharf_caller_identity_lookup_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == wharf_caller_identity_lookup_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
client_lookup_config_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LookupData *data = g_task_get_task_data (task);
  g_autoptr(WharfAwsConfig) config = NULL;
  g_autoptr(GError) config_error = NULL;
  g_autofree char *signing_region = NULL;
  const char *profile;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  /* As the client does: unreadable files leave the environment's settings. */
  config = wharf_aws_config_load_default_finish (result, &config_error);
  if (config == NULL)
    g_debug ("Could not load the AWS config files: %s", config_error->message);

  /* The endpoint the client's profile names for STS, and the region to sign for. */
  profile = data->profile != NULL ? data->profile : wharf_aws_config_get_default_profile_name ();
  data->endpoint = wharf_sts_resolve_endpoint (config, profile, data->region, &signing_region,
                                               &error);
  if (data->endpoint == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_free (data->region);
  data->region = g_steal_pointer (&signing_region);

  lookup_start (g_steal_pointer (&task));
}

void
wharf_caller_identity_lookup_for_client_async (WharfAwsClient      *client,
                                               const char          *endpoint,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data)
{
  GTask *task;
  LookupData *data;

  g_return_if_fail (WHARF_IS_AWS_CLIENT (client));

  task = lookup_task_new (wharf_aws_client_get_credentials_provider (client),
                          wharf_aws_client_get_region (client), endpoint,
                          wharf_caller_identity_lookup_for_client_async, cancellable, callback,
                          user_data);
  data = g_task_get_task_data (task);
  data->profile = g_strdup (wharf_aws_client_get_profile (client));

  if (endpoint != NULL)
    lookup_start (task);
  else
    wharf_aws_config_load_default_async (cancellable, client_lookup_config_cb, task);
}

WharfCallerIdentity *
wharf_caller_identity_lookup_for_client_finish (GAsyncResult  *result,
                                                GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == wharf_caller_identity_lookup_for_client_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
