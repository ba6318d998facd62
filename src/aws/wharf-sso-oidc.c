/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-sso"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-sso.h"
#include "wharf-sso-private.h"

#include "wharf-aws-error.h"

/* SSO-OIDC: refreshing a token, a valid token from the cache, and the device authorization
 * sign-in (RegisterClient, StartDeviceAuthorization, CreateToken). */

/* A token from a CreateToken answer; registration and URL copied from @base. */
static WharfSsoToken *
token_from_answer (JsonObject          *answer,
                   const WharfSsoToken *base)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *access_token = wharf_sso_member_string (answer, "accessToken");
  const char *refresh_token = wharf_sso_member_string (answer, "refreshToken");
  gint64 expires_in = 0;
  WharfSsoToken *token;

  if (!wharf_sso_nonempty (access_token) || !wharf_sso_member_int (answer, "expiresIn", &expires_in)
      || expires_in <= 0)
    return NULL;
  token = wharf_sso_token_copy (base);
  wharf_sso_wipe_free (token->access_token);
  token->access_token = g_strdup (access_token);
  g_clear_pointer (&token->expires_at, g_date_time_unref);
  token->expires_at = g_date_time_add_seconds (now, (double) expires_in);
  if (wharf_sso_nonempty (refresh_token))
    {
      wharf_sso_wipe_free (token->refresh_token);
      token->refresh_token = g_strdup (refresh_token);
    }
  return token;
}

/* ---- Refresh --------------------------------------------------------------------------- */

static void
refresh_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const WharfSsoToken *base = g_task_get_task_data (task);
  g_autofree char *oauth = NULL;
  GError *error = NULL;
  g_autoptr(JsonObject) answer = wharf_sso_rest_finish (result, &oauth, &error);
  WharfSsoToken *token;

  if (answer == NULL)
    {
      if (oauth != NULL && (g_str_equal (oauth, "invalid_grant")
                            || g_str_equal (oauth, "expired_token")
                            || g_str_equal (oauth, "invalid_client")))
        {
          g_task_return_new_error (task, WHARF_SSO_ERROR, WHARF_SSO_ERROR_LOGIN_REQUIRED,
                                   _("Your IAM Identity Center session has ended (%s). Sign in "
                                     "again."), error->message);
          g_error_free (error);
        }
      else
        g_task_return_error (task, error);
      return;
    }
  token = token_from_answer (answer, base);
  if (token == NULL)
    g_task_return_error (task, wharf_sso_bad_answer ("CreateToken"));
  else
    g_task_return_pointer (task, token, (GDestroyNotify) wharf_sso_token_free);
}

void
wharf_sso_refresh_token_async (const char          *oidc_endpoint,
                               const WharfSsoToken *token,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(JsonObject) input = json_object_new ();

  g_return_if_fail (oidc_endpoint != NULL && token != NULL);

  g_task_set_source_tag (task, wharf_sso_refresh_token_async);
  g_task_set_task_data (task, wharf_sso_token_copy (token), (GDestroyNotify) wharf_sso_token_free);
  if (!wharf_sso_nonempty (token->refresh_token) || !wharf_sso_nonempty (token->client_id)
      || !wharf_sso_nonempty (token->client_secret))
    {
      g_task_return_new_error (task, WHARF_SSO_ERROR, WHARF_SSO_ERROR_LOGIN_REQUIRED,
                               _("Your IAM Identity Center session has expired. Sign in "
                                 "again."));
      return;
    }
  json_object_set_string_member (input, "clientId", token->client_id);
  json_object_set_string_member (input, "clientSecret", token->client_secret);
  json_object_set_string_member (input, "grantType", "refresh_token");
  json_object_set_string_member (input, "refreshToken", token->refresh_token);
  wharf_sso_rest_call (oidc_endpoint, "POST", "/token", input, NULL, cancellable, refresh_cb,
                       g_steal_pointer (&task));
}

WharfSsoToken *
wharf_sso_refresh_token_finish (GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- A valid token --------------------------------------------------------------------- */

typedef struct
{
  char          *oidc_endpoint;
  char          *path;
  WharfSsoToken *refreshed;
} GetTokenData;

static void
get_token_data_free (GetTokenData *data)
{
  g_free (data->oidc_endpoint);
  g_free (data->path);
  wharf_sso_token_free (data->refreshed);
  g_free (data);
}

static void
get_token_saved_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GetTokenData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* A cache we cannot write does not stop this session; the next start signs in again. */
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("Could not store the refreshed IAM Identity Center token: %s", error->message);
  g_task_return_pointer (task, g_steal_pointer (&data->refreshed),
                         (GDestroyNotify) wharf_sso_token_free);
}

static void
get_token_refreshed_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GetTokenData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->refreshed = wharf_sso_refresh_token_finish (result, &error);
  if (data->refreshed == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_debug ("Refreshed the IAM Identity Center token");
  wharf_sso_token_save_async (data->refreshed, data->path, NULL, get_token_saved_cb,
                              g_steal_pointer (&task));
}

static void
get_token_loaded_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GetTokenData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(WharfSsoToken) token = g_task_propagate_pointer (G_TASK (result), &error);

  if (token == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!wharf_sso_token_expires_within (token, NULL, WHARF_SSO_TOKEN_REFRESH_MARGIN))
    {
      g_task_return_pointer (task, g_steal_pointer (&token), (GDestroyNotify) wharf_sso_token_free);
      return;
    }
  if (wharf_sso_nonempty (token->refresh_token) && wharf_sso_token_has_registration (token, NULL))
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      wharf_sso_refresh_token_async (data->oidc_endpoint, token, cancellable,
                                     get_token_refreshed_cb, g_steal_pointer (&task));
      return;
    }
  /* Still valid for a while, but nothing can refresh it: use it until it expires. */
  if (!wharf_sso_token_expires_within (token, NULL, 0))
    {
      g_task_return_pointer (task, g_steal_pointer (&token), (GDestroyNotify) wharf_sso_token_free);
      return;
    }
  g_task_return_new_error (task, WHARF_SSO_ERROR, WHARF_SSO_ERROR_LOGIN_REQUIRED,
                           _("Your IAM Identity Center session has expired. Sign in again."));
}

void
wharf_sso_get_token_async (WharfSsoSettings    *settings,
                           const char          *oidc_endpoint,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GTask) load = NULL;
  GetTokenData *data = g_new0 (GetTokenData, 1);

  g_return_if_fail (settings != NULL && oidc_endpoint != NULL);

  g_task_set_source_tag (task, wharf_sso_get_token_async);
  data->oidc_endpoint = g_strdup (oidc_endpoint);
  data->path = wharf_sso_cache_path (wharf_sso_settings_get_cache_key (settings));
  g_task_set_task_data (task, data, (GDestroyNotify) get_token_data_free);

  load = g_task_new (NULL, cancellable, get_token_loaded_cb, g_steal_pointer (&task));
  g_task_set_task_data (load, g_strdup (data->path), g_free);
  g_task_run_in_thread (load, wharf_sso_token_load_thread);
}

WharfSsoToken *
wharf_sso_get_token_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wharf_sso_get_token_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- The device authorization sign-in -------------------------------------------------- */

static guint poll_unit_ms = 0;

void
wharf_sso_set_poll_unit_ms (guint unit_ms)
{
  poll_unit_ms = unit_ms;
}

typedef struct
{
  WharfSsoSettings       *settings;
  char                   *oidc_endpoint;
  char                   *path;
  WharfSsoDeviceCodeFunc  code_func;
  gpointer                code_data;
  WharfSsoToken          *base;         /* registration, region, start URL */
  char                   *device_code;
  int                     interval;     /* seconds */
  gint64                  deadline;     /* monotonic µs */
  GSource                *timer;
  GCancellable           *cancellable;
  gulong                  cancel_id;
  WharfSsoToken          *result;
} Login;

static void
login_free (Login *login)
{
  if (login->timer != NULL)
    {
      g_source_destroy (login->timer);
      g_source_unref (login->timer);
    }
  if (login->cancel_id != 0)
    g_cancellable_disconnect (login->cancellable, login->cancel_id);
  g_clear_object (&login->cancellable);
  wharf_sso_settings_free (login->settings);
  g_free (login->oidc_endpoint);
  g_free (login->path);
  wharf_sso_token_free (login->base);
  wharf_sso_wipe_free (login->device_code);
  wharf_sso_token_free (login->result);
  g_free (login);
}

static WharfSsoSettings *
settings_copy (const WharfSsoSettings *s)
{
  WharfSsoSettings *copy = g_new0 (WharfSsoSettings, 1);

  copy->profile = g_strdup (s->profile);
  copy->session_name = g_strdup (s->session_name);
  copy->start_url = g_strdup (s->start_url);
  copy->sso_region = g_strdup (s->sso_region);
  copy->account_id = g_strdup (s->account_id);
  copy->role_name = g_strdup (s->role_name);
  copy->scopes = g_strdupv (s->scopes);
  return copy;
}

static void poll_token (GTask *task);

static gboolean
poll_timer_cb (gpointer user_data)
{
  GTask *task = user_data;
  Login *login = g_task_get_task_data (task);

  g_clear_pointer (&login->timer, g_source_unref);
  poll_token (task);
  return G_SOURCE_REMOVE;
}

static void
schedule_poll (GTask *task)
{
  Login *login = g_task_get_task_data (task);
  guint unit = poll_unit_ms != 0 ? poll_unit_ms : 1000;

  login->timer = g_timeout_source_new ((guint) login->interval * unit);
  g_source_set_callback (login->timer, poll_timer_cb, task, NULL);
  g_source_attach (login->timer, g_task_get_context (task));
}

static gboolean
login_cancelled_idle_cb (gpointer user_data)
{
  GTask *task = user_data;
  Login *login = g_task_get_task_data (task);

  /* Only while waiting between polls: an HTTP call in flight sees the cancellable itself. */
  if (login->timer != NULL)
    {
      g_source_destroy (login->timer);
      g_clear_pointer (&login->timer, g_source_unref);
      g_task_return_error_if_cancelled (task);
      g_object_unref (task);
    }
  return G_SOURCE_REMOVE;
}

static void
login_cancelled_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  GTask *task = user_data;
  GSource *idle = g_idle_source_new ();

  /* The handler may run in any thread; finish in the task's context. */
  g_source_set_callback (idle, login_cancelled_idle_cb, g_object_ref (task), g_object_unref);
  g_source_attach (idle, g_task_get_context (task));
  g_source_unref (idle);
}

static void
login_saved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Login *login = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&login->result),
                         (GDestroyNotify) wharf_sso_token_free);
}

static void
poll_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Login *login = g_task_get_task_data (task);
  g_autofree char *oauth = NULL;
  GError *error = NULL;
  g_autoptr(JsonObject) answer = wharf_sso_rest_finish (result, &oauth, &error);

  if (answer != NULL)
    {
      login->result = token_from_answer (answer, login->base);
      if (login->result == NULL)
        {
          g_task_return_error (task, wharf_sso_bad_answer ("CreateToken"));
          return;
        }
      wharf_sso_token_save_async (login->result, login->path, NULL, login_saved_cb,
                                  g_steal_pointer (&task));
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_strcmp0 (oauth, "authorization_pending") == 0 || g_strcmp0 (oauth, "slow_down") == 0)
    {
      g_clear_error (&error);
      if (g_strcmp0 (oauth, "slow_down") == 0)
        login->interval += 5;
      if (g_get_monotonic_time () >= login->deadline)
        {
          g_task_return_new_error (task, WHARF_SSO_ERROR, WHARF_SSO_ERROR_EXPIRED,
                                   _("The sign-in code expired before it was approved. Start "
                                     "again."));
          return;
        }
      if (g_task_return_error_if_cancelled (task))
        return;
      schedule_poll (g_steal_pointer (&task));
      return;
    }
  if (g_strcmp0 (oauth, "expired_token") == 0)
    {
      g_task_return_new_error (task, WHARF_SSO_ERROR, WHARF_SSO_ERROR_EXPIRED,
                               _("The sign-in code expired before it was approved. Start "
                                 "again."));
      g_error_free (error);
      return;
    }
  if (g_strcmp0 (oauth, "access_denied") == 0)
    {
      g_task_return_new_error (task, WHARF_SSO_ERROR, WHARF_SSO_ERROR_DENIED,
                               _("The sign-in was denied."));
      g_error_free (error);
      return;
    }
  g_task_return_error (task, error);
}

static void
poll_token (GTask *task)
{
  Login *login = g_task_get_task_data (task);
  g_autoptr(JsonObject) input = json_object_new ();

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  json_object_set_string_member (input, "clientId", login->base->client_id);
  json_object_set_string_member (input, "clientSecret", login->base->client_secret);
  json_object_set_string_member (input, "grantType", WHARF_SSO_DEVICE_GRANT);
  json_object_set_string_member (input, "deviceCode", login->device_code);
  wharf_sso_rest_call (login->oidc_endpoint, "POST", "/token", input, NULL,
                       g_task_get_cancellable (task), poll_cb, task);
}

static void
device_authorization_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Login *login = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonObject) answer = wharf_sso_rest_finish (result, NULL, &error);
  WharfSsoDeviceCode code = { 0 };
  gint64 expires_in = 600, interval = 5;

  if (answer == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  code.user_code = wharf_sso_member_string (answer, "userCode");
  code.verification_uri = wharf_sso_member_string (answer, "verificationUri");
  code.verification_uri_complete = wharf_sso_member_string (answer, "verificationUriComplete");
  if (!wharf_sso_nonempty (wharf_sso_member_string (answer, "deviceCode"))
      || !wharf_sso_nonempty (code.user_code) || !wharf_sso_nonempty (code.verification_uri))
    {
      g_task_return_error (task, wharf_sso_bad_answer ("StartDeviceAuthorization"));
      return;
    }
  wharf_sso_member_int (answer, "expiresIn", &expires_in);
  wharf_sso_member_int (answer, "interval", &interval);
  login->device_code = g_strdup (wharf_sso_member_string (answer, "deviceCode"));
  login->interval = CLAMP (interval, 1, 60);
  code.expires_in = (int) CLAMP (expires_in, 1, 24 * 3600);
  login->deadline = g_get_monotonic_time ()
                    + (gint64) code.expires_in * (poll_unit_ms != 0 ? poll_unit_ms * 1000
                                                                   : G_USEC_PER_SEC);
  if (login->code_func != NULL)
    login->code_func (&code, login->code_data);
  if (g_task_return_error_if_cancelled (task))
    return;
  login->cancel_id = g_cancellable_connect (login->cancellable, G_CALLBACK (login_cancelled_cb),
                                            task, NULL);
  schedule_poll (g_steal_pointer (&task));
}

static void
start_device_authorization (GTask *task)
{
  Login *login = g_task_get_task_data (task);
  g_autoptr(JsonObject) input = json_object_new ();

  json_object_set_string_member (input, "clientId", login->base->client_id);
  json_object_set_string_member (input, "clientSecret", login->base->client_secret);
  json_object_set_string_member (input, "startUrl", login->settings->start_url);
  wharf_sso_rest_call (login->oidc_endpoint, "POST", "/device_authorization", input, NULL,
                       g_task_get_cancellable (task), device_authorization_cb, task);
}

static void
register_client_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Login *login = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonObject) answer = wharf_sso_rest_finish (result, NULL, &error);
  gint64 expires_at = 0;

  if (answer == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!wharf_sso_nonempty (wharf_sso_member_string (answer, "clientId"))
      || !wharf_sso_nonempty (wharf_sso_member_string (answer, "clientSecret"))
      || !wharf_sso_member_int (answer, "clientSecretExpiresAt", &expires_at))
    {
      g_task_return_error (task, wharf_sso_bad_answer ("RegisterClient"));
      return;
    }
  g_free (login->base->client_id);
  login->base->client_id = g_strdup (wharf_sso_member_string (answer, "clientId"));
  wharf_sso_wipe_free (login->base->client_secret);
  login->base->client_secret = g_strdup (wharf_sso_member_string (answer, "clientSecret"));
  g_clear_pointer (&login->base->registration_expires_at, g_date_time_unref);
  login->base->registration_expires_at = g_date_time_new_from_unix_utc (expires_at);
  start_device_authorization (g_steal_pointer (&task));
}

static void
login_cache_loaded_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Login *login = g_task_get_task_data (task);
  g_autoptr(WharfSsoToken) cached = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autoptr(JsonObject) input = NULL;
  g_autoptr(JsonArray) scopes = NULL;
  GCancellable *cancellable;

  if (g_task_return_error_if_cancelled (task))
    return;

  login->base = wharf_sso_token_new ();
  login->base->region = g_strdup (login->settings->sso_region);
  login->base->start_url = g_strdup (login->settings->start_url);
  /* Reuse a registration that has not expired (as the AWS CLI does). */
  if (cached != NULL && wharf_sso_token_has_registration (cached, NULL)
      && login->settings->session_name != NULL)
    {
      login->base->client_id = g_strdup (cached->client_id);
      login->base->client_secret = g_strdup (cached->client_secret);
      login->base->registration_expires_at = cached->registration_expires_at != NULL
                                             ? g_date_time_ref (cached->registration_expires_at)
                                             : NULL;
      start_device_authorization (g_steal_pointer (&task));
      return;
    }

  input = json_object_new ();
  scopes = json_array_new ();
  for (guint i = 0; login->settings->scopes[i] != NULL; i++)
    json_array_add_string_element (scopes, login->settings->scopes[i]);
  json_object_set_string_member (input, "clientName", WHARF_SSO_CLIENT_NAME);
  json_object_set_string_member (input, "clientType", "public");
  json_object_set_array_member (input, "scopes", g_steal_pointer (&scopes));
  cancellable = g_task_get_cancellable (task);
  wharf_sso_rest_call (login->oidc_endpoint, "POST", "/client/register", input, NULL, cancellable,
                       register_client_cb, g_steal_pointer (&task));
}

void
wharf_sso_login_async (WharfSsoSettings       *settings,
                       const char             *oidc_endpoint,
                       WharfSsoDeviceCodeFunc  code_func,
                       gpointer                code_data,
                       GCancellable           *cancellable,
                       GAsyncReadyCallback     callback,
                       gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) load = NULL;
  Login *login;

  g_return_if_fail (settings != NULL && settings->start_url != NULL);
  g_return_if_fail (oidc_endpoint != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wharf_sso_login_async);
  login = g_new0 (Login, 1);
  login->settings = settings_copy (settings);
  login->oidc_endpoint = g_strdup (oidc_endpoint);
  login->path = wharf_sso_cache_path (wharf_sso_settings_get_cache_key (settings));
  login->code_func = code_func;
  login->code_data = code_data;
  login->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  g_task_set_task_data (task, login, (GDestroyNotify) login_free);

  load = g_task_new (NULL, cancellable, login_cache_loaded_cb, g_steal_pointer (&task));
  g_task_set_task_data (load, g_strdup (login->path), g_free);
  g_task_run_in_thread (load, wharf_sso_token_load_thread);
}

WharfSsoToken *
wharf_sso_login_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wharf_sso_login_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
