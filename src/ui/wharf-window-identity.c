/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the window knows of the current account's credentials: who they sign in as (in
 * the account menu, looked up with GetCallerIdentity), and the banner that says why AWS
 * refused them and how to fix that. Calls nothing else of the window.
 */
#define G_LOG_DOMAIN "wharf-window"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-window-private.h"

#include "wharf-practice.h"
#include "wharf-sso-sign-in-dialog.h"
#include "wharf-sso.h"

/* ---- Credentials banner ---- */

static void
set_banner_button (WharfWindow *self,
                   const char  *label,
                   const char  *accessible_label,
                   const char  *action)
{
  gtk_button_set_label (self->credentials_banner_button, label);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->credentials_banner_button), action);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->credentials_banner_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label, -1);
}

/* @reason: the provider's words, which tell an expired session from no sign-in at all. */
static void
show_sign_in_banner (WharfWindow *self,
                     const char  *reason)
{
  g_autofree char *text = NULL;

  /* Translators: %s says why, e.g. "Your IAM Identity Center session has expired." */
  text = g_strdup_printf (_("%s\nSign in to IAM Identity Center to renew this account’s credentials."),
                          reason);
  gtk_label_set_label (self->credentials_banner_label, text);
  set_banner_button (self, _("_Sign In…"), _("Sign In…"), "win.reenter-keys");
}

/* The cause is unknown (ECR itself refused the credentials): an IAM Identity Center profile
 * (or a role on top of one) is still fixed by signing in, which only its config tells. */
static void
sso_check_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(WharfWindow) self = user_data;

  if (wharf_sso_profile_check_finish (result, NULL))
    {
      g_autofree char *text = NULL;

      /* Translators: %s is the message of AWS */
      text = g_strdup_printf (_("AWS no longer accepts these credentials: %s\nSign in to IAM Identity Center to renew them."),
                              self->credentials_message != NULL ? self->credentials_message : "");
      gtk_label_set_label (self->credentials_banner_label, text);
      set_banner_button (self, _("_Sign In…"), _("Sign In…"), "win.reenter-keys");
    }
}

/* Expired or refused credentials: say so above the list, with the way to fix them. @cause
 * is the credential provider's own error (wharf_aws_error_get_cause()), when known. */
void
wharf_window_show_credentials_banner (WharfWindow  *self,
                                      const char   *message,
                                      const GError *cause)
{
  g_autofree char *text = NULL;
  gboolean typed = self->account != NULL &&
                   wharf_account_get_source (self->account) == WHARF_ACCOUNT_SOURCE_KEYS;

  g_free (self->credentials_message);
  self->credentials_message = g_strdup (message);
  gtk_revealer_set_reveal_child (self->credentials_banner, TRUE);

  if (g_error_matches (cause, WHARF_SSO_ERROR, WHARF_SSO_ERROR_LOGIN_REQUIRED))
    {
      show_sign_in_banner (self, cause->message);
      return;
    }
  /* ECR refused role credentials of IAM Identity Center: a new sign-in gets new ones. */
  if (cause == NULL && self->account != NULL &&
      wharf_account_get_source (self->account) == WHARF_ACCOUNT_SOURCE_SSO)
    {
      show_sign_in_banner (self, message);
      return;
    }

  /* The MFA dialog was cancelled: nothing is wrong with the credentials. */
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      gtk_label_set_label (self->credentials_banner_label,
                           _("No MFA code was entered, so Wharf could not use this profile’s role."));
      set_banner_button (self, _("_Try Again"), _("Try Again"), "win.refresh");
      return;
    }

  /* STS refused AssumeRole: a wrong MFA code, the role's trust policy or the source's
   * permissions. */
  if (g_error_matches (cause, WHARF_AWS_ERROR, WHARF_AWS_ERROR_ACCESS_DENIED))
    {
      const char *aws_message = wharf_aws_error_get_aws_message (cause);

      /* Translators: %s is the message of AWS */
      text = g_strdup_printf (_("AWS did not let these credentials assume the profile’s role: %s\nTry again (with a new MFA code if one is asked for), or ask an administrator whether you may use the role."),
                              aws_message != NULL ? aws_message : cause->message);
      gtk_label_set_label (self->credentials_banner_label, text);
      set_banner_button (self, _("_Try Again"), _("Try Again"), "win.refresh");
      return;
    }

  if (typed)
    /* Translators: %s is the message of AWS */
    text = g_strdup_printf (_("AWS no longer accepts this account’s access key: %s"), message);
  else
    /* Translators: %s is the message of AWS */
    text = g_strdup_printf (_("AWS no longer accepts these credentials: %s\nRenew them where they come from (the environment or the AWS CLI profile), or add an access key."), message);

  gtk_label_set_label (self->credentials_banner_label, text);
  set_banner_button (self, typed ? _("_Re-enter Keys…") : _("_Add Access Key…"),
                     typed ? _("Re-enter Keys…") : _("Add Access Key…"), "win.reenter-keys");
  if (cause == NULL && !typed && self->account != NULL &&
      wharf_account_get_profile (self->account) != NULL)
    wharf_sso_profile_check_async (wharf_account_get_profile (self->account), self->cancellable,
                                   sso_check_cb, g_object_ref (self));
}

/* ---- Who is signed in ---- */

/* A few words for the account menu; the whole message goes in the tooltip. */
static const char *
identity_failure_text (const GError *error)
{
  const GError *cause = wharf_aws_error_get_cause (error);

  if (cause != NULL)
    error = cause;

  if (g_error_matches (error, WHARF_SSO_ERROR, WHARF_SSO_ERROR_LOGIN_REQUIRED))
    return _("The IAM Identity Center sign-in has expired.");
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return _("No MFA code was entered.");
  if (error->domain == WHARF_CREDENTIALS_ERROR ||
      g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_CREDENTIALS_UNAVAILABLE))
    return _("No credentials are available.");
  if (g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_CREDENTIALS) ||
      g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_EXPIRED_CREDENTIALS))
    return _("AWS does not accept the credentials.");
  if (g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_ACCESS_DENIED))
    return _("AWS denied access.");
  if (g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_NETWORK) ||
      g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_TIMEOUT))
    return _("AWS could not be reached.");
  return _("AWS gave no answer Wharf understands.");
}

/* @identity and @error NULL: still checking. */
void
wharf_window_show_identity (WharfWindow               *self,
                            const WharfCallerIdentity *identity,
                            const GError              *error)
{
  g_autofree char *summary = NULL;

  gtk_widget_set_visible (self->identity_box, self->account != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->identity_account), identity != NULL);

  if (identity != NULL)
    {
      g_autofree char *account = NULL;

      /* Translators: %s is a 12-digit AWS account id */
      account = g_strdup_printf (_("Account %s"), identity->account);
      gtk_label_set_label (self->identity_title, _("Signed in as"));
      gtk_label_set_label (self->identity_detail, identity->arn);
      gtk_label_set_label (self->identity_account, account);
      gtk_widget_set_tooltip_text (self->identity_box, identity->user_id);
      /* Translators: the first %s is an ARN, the second a 12-digit AWS account id */
      summary = g_strdup_printf (_("Signed in as %s, account %s"), identity->arn,
                                 identity->account);
    }
  else if (error != NULL)
    {
      const char *text = identity_failure_text (error);

      gtk_label_set_label (self->identity_title, _("Not Known Who Is Signed In"));
      gtk_label_set_label (self->identity_detail, text);
      gtk_widget_set_tooltip_text (self->identity_box, error->message);
      /* Translators: %s says why, e.g. "AWS could not be reached." */
      summary = g_strdup_printf (_("Not known who is signed in: %s"), text);
    }
  else
    {
      gtk_label_set_label (self->identity_title, _("Signed in as"));
      gtk_label_set_label (self->identity_detail, _("Checking…"));
      gtk_widget_set_tooltip_text (self->identity_box, NULL);
      summary = g_strdup (_("Checking who is signed in…"));
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->identity_box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, summary, -1);
}

typedef struct
{
  WharfWindow  *self;
  char         *account_id;
  GCancellable *cancellable;
} IdentityLookup;

static void
identity_lookup_free (IdentityLookup *lookup)
{
  g_object_unref (lookup->self);
  g_free (lookup->account_id);
  g_object_unref (lookup->cancellable);
  g_free (lookup);
}

static void
identity_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  IdentityLookup *lookup = user_data;
  WharfWindow *self = lookup->self;
  g_autoptr(WharfCallerIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  identity = wharf_caller_identity_lookup_for_client_finish (result, &error);

  /* Cancelled by a switch or by closing. (A cancelled MFA dialog is an error to show.) */
  if (!g_cancellable_is_cancelled (lookup->cancellable))
    {
      if (identity != NULL)
        g_hash_table_replace (self->identities, g_strdup (lookup->account_id),
                              wharf_caller_identity_copy (identity));
      else
        g_debug ("GetCallerIdentity failed: %s", error->message);

      /* Only this menu says so: the listing's own failure raises the banner. */
      if (self->account != NULL &&
          g_str_equal (wharf_account_get_id (self->account), lookup->account_id))
        wharf_window_show_identity (self, identity, error);
    }

  identity_lookup_free (lookup);
}

/* The client's account, looked up once per account (the answer does not depend on the
 * region); cancelled with the client's load. Failures are asked again on refresh. */
void
wharf_window_lookup_identity (WharfWindow *self)
{
  const WharfCallerIdentity *cached;
  const char *endpoint = NULL;
  IdentityLookup *lookup;

  if (self->account == NULL || self->client == NULL)
    return;

  cached = g_hash_table_lookup (self->identities, wharf_account_get_id (self->account));
  if (cached != NULL)
    {
      wharf_window_show_identity (self, cached, NULL);
      return;
    }

  /* Practice mode's sandbox answers STS too. */
  if (wharf_account_get_source (self->account) == WHARF_ACCOUNT_SOURCE_PRACTICE)
    endpoint = wharf_practice_get_url (wharf_practice_get_default ());

  /* One at a time; a switch (the load's cancellable) ends it too. */
  g_cancellable_cancel (self->identity_cancellable);
  g_clear_object (&self->identity_cancellable);
  self->identity_cancellable = g_cancellable_new ();
  g_signal_connect_object (self->load_cancellable, "cancelled",
                           G_CALLBACK (g_cancellable_cancel), self->identity_cancellable,
                           G_CONNECT_SWAPPED);

  wharf_window_show_identity (self, NULL, NULL);
  lookup = g_new0 (IdentityLookup, 1);
  lookup->self = g_object_ref (self);
  lookup->account_id = g_strdup (wharf_account_get_id (self->account));
  lookup->cancellable = g_object_ref (self->identity_cancellable);
  wharf_caller_identity_lookup_for_client_async (wharf_ecr_client_get_aws_client (self->client),
                                                 endpoint, lookup->cancellable, identity_cb,
                                                 lookup);
}

void
wharf_window_build_identity (WharfWindow *self)
{
  GtkPopover *popover = gtk_menu_button_get_popover (self->account_button);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);

  self->identity_title = GTK_LABEL (gtk_label_new (_("Signed in as")));
  gtk_label_set_xalign (self->identity_title, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->identity_title), "caption-heading");
  gtk_widget_add_css_class (GTK_WIDGET (self->identity_title), "dim-label");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->identity_title));

  /* An ARN has no spaces: break it anywhere rather than widen the menu. */
  self->identity_detail = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->identity_detail, 0);
  gtk_label_set_wrap (self->identity_detail, TRUE);
  gtk_label_set_wrap_mode (self->identity_detail, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (self->identity_detail, 34);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->identity_detail));

  self->identity_account = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->identity_account, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->identity_account), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->identity_account), "dim-label");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->identity_account));

  self->identity_box = box;
  if (!gtk_popover_menu_add_child (GTK_POPOVER_MENU (popover), box, "identity"))
    g_critical ("The account menu has no place for who is signed in");
  wharf_window_show_identity (self, NULL, NULL);
}
