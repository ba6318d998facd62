/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the window knows around a refused request, for its explanation, and the fixes an
 * explanation offers: the window's WharfProblemHandler (see wharf-problem-host.h).
 */
#define G_LOG_DOMAIN "wharf-window"

#include "config.h"

#include "wharf-window-private.h"

static WharfCredentialKind
credential_kind (WharfAccount *account)
{
  if (account == NULL)
    return WHARF_CREDENTIAL_KIND_UNKNOWN;

  switch (wharf_account_get_source (account))
    {
    case WHARF_ACCOUNT_SOURCE_KEYS:
    case WHARF_ACCOUNT_SOURCE_PRACTICE:
      return WHARF_CREDENTIAL_KIND_KEYS;
    case WHARF_ACCOUNT_SOURCE_SSO:
      return WHARF_CREDENTIAL_KIND_SSO;
    case WHARF_ACCOUNT_SOURCE_ENVIRONMENT:
      return WHARF_CREDENTIAL_KIND_ENVIRONMENT;
    case WHARF_ACCOUNT_SOURCE_PROFILE:
      /* Whether the profile assumes a role, asks for MFA or uses IAM Identity Center is in
       * its configuration, which the request engine reads; the explanation then falls
       * back on what AWS's answer says. */
      if (wharf_account_get_sso_start_url (account) != NULL ||
          wharf_account_get_sso_session (account) != NULL)
        return WHARF_CREDENTIAL_KIND_SSO;
      return WHARF_CREDENTIAL_KIND_UNKNOWN;
    default:
      return WHARF_CREDENTIAL_KIND_UNKNOWN;
    }
}

static void
fill_context (WharfProblemHandler     *handler,
              WharfExplanationContext *context)
{
  /* A plain cast: the type check would call back into wharf-window.c. */
  WharfWindow *self = (WharfWindow *) handler;
  const WharfCallerIdentity *identity = NULL;

  g_return_if_fail (context != NULL);

  if (self->account != NULL)
    identity = g_hash_table_lookup (self->identities, wharf_account_get_id (self->account));

  if (context->identity_arn == NULL && identity != NULL)
    context->identity_arn = identity->arn;
  if (context->account_id == NULL)
    context->account_id = identity != NULL ? identity->account
                          : self->account != NULL ? wharf_account_get_account_id (self->account)
                          : NULL;
  if (context->region == NULL)
    context->region = self->region;
  if (context->credential_kind == WHARF_CREDENTIAL_KIND_UNKNOWN)
    context->credential_kind = credential_kind (self->account);
}

static void
open_service_quotas (WharfWindow *self)
{
  g_autofree char *uri = NULL;

  /* The console opens the quotas of ECR in the region the repositories are in. */
  if (self->region != NULL)
    uri = g_strdup_printf ("https://%s.console.aws.amazon.com/servicequotas/home/services/ecr/quotas",
                           self->region);
  else
    uri = g_strdup ("https://console.aws.amazon.com/servicequotas/home/services/ecr/quotas");
  gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
}

static gboolean
popup_region_menu (gpointer user_data)
{
  WharfWindow *self = user_data;

  if (gtk_widget_is_sensitive (GTK_WIDGET (self->region_button)))
    gtk_menu_button_popup (self->region_button);
  return G_SOURCE_REMOVE;
}

static void
fix_problem (WharfProblemHandler *handler,
             WharfExplanationFix  fix)
{
  WharfWindow *self = (WharfWindow *) handler;

  switch (fix)
    {
    case WHARF_EXPLANATION_FIX_SIGN_IN:
    case WHARF_EXPLANATION_FIX_EDIT_ACCOUNT:
    case WHARF_EXPLANATION_FIX_CHECK_ENDPOINT:
      /* What the credentials banner's button does: sign in again, re-enter the keys or
       * add them. */
      gtk_widget_activate_action (GTK_WIDGET (self), "win.reenter-keys", NULL);
      break;
    case WHARF_EXPLANATION_FIX_ENTER_CODE:
    case WHARF_EXPLANATION_FIX_RETRY:
      /* Connecting again asks for a new MFA code when the profile needs one. */
      gtk_widget_activate_action (GTK_WIDGET (self), "win.refresh", NULL);
      break;
    case WHARF_EXPLANATION_FIX_CHOOSE_REGION:
      /* The region menu is in the sidebar; a folded window shows it first. The popover
       * opens once the dialog that asked for it has gone. */
      adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, popup_region_menu, g_object_ref (self),
                       g_object_unref);
      break;
    case WHARF_EXPLANATION_FIX_OPEN_PERMISSIONS:
      if (wharf_repository_page_get_repository (self->repository_page) != NULL)
        {
          adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content));
          wharf_repository_page_show_permissions (self->repository_page);
        }
      break;
    case WHARF_EXPLANATION_FIX_REQUEST_QUOTA:
      open_service_quotas (self);
      break;
    case WHARF_EXPLANATION_FIX_ASK_ADMIN:
    case WHARF_EXPLANATION_FIX_SET_CLOCK:
    case WHARF_EXPLANATION_FIX_NONE:
    default:
      break;
    }
}

static void
add_toast (WharfProblemHandler *handler,
           AdwToast            *toast)
{
  WharfWindow *self = (WharfWindow *) handler;

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
wharf_window_problem_handler_init (WharfProblemHandlerInterface *iface)
{
  iface->fill_context = fill_context;
  iface->fix = fix_problem;
  iface->add_toast = add_toast;
}
