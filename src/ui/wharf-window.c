/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-window"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-window.h"

#include "wharf-account-manager.h"
#include "wharf-aws-config.h"
#include "wharf-add-account-dialog.h"
#include "wharf-create-repository-dialog.h"
#include "wharf-ecr-client.h"
#include "wharf-practice.h"
#include "wharf-region-list.h"
#include "wharf-repository-page.h"
#include "wharf-repository-row.h"
#include "wharf-sso-sign-in-dialog.h"
#include "wharf-sso.h"
#include "wharf-sts.h"
#include "wharf-tutorial.h"

struct _WharfWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  GCancellable         *cancellable;
  GCancellable         *load_cancellable;

  WharfAccountManager  *accounts;
  WharfAccount         *account;
  char                 *region;
  WharfEcrClient       *client;
  WharfEcrListing      *listing;

  GListStore           *repositories;
  GtkFilterListModel   *filter_model;
  GtkSortListModel     *sort_model;
  GtkSingleSelection   *selection;
  GtkStringFilter      *name_filter;
  char                 *pending_select;
  char                 *credentials_message;
  gboolean              replacing;

  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkStack             *content;
  AdwStatusPage        *empty_page;
  AdwWindowTitle       *sidebar_title;
  GtkMenuButton        *account_button;
  GtkLabel             *account_label;
  GtkMenuButton        *region_button;
  GtkLabel             *region_label;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkRevealer          *credentials_banner;
  GtkRevealer          *practice_banner;
  GtkLabel             *credentials_banner_label;
  GtkButton            *credentials_banner_button;
  GtkStack             *sidebar_stack;
  GtkSpinner           *loading_spinner;
  GtkListView          *repository_list;
  AdwStatusPage        *sidebar_error;
  GtkLabel             *sidebar_error_label;
  GtkRevealer          *progress_revealer;
  GtkSpinner           *progress_spinner;
  GtkLabel             *progress_label;
  GtkRevealer          *partial_revealer;
  GtkLabel             *partial_label;
  WharfRepositoryPage  *repository_page;
  GMenu                *account_section;
  WharfTutorial        *tutorial;     /* weak */

  /* Who the current account is signed in as, in the account menu. */
  GHashTable           *identities;   /* Wharf account id → WharfCallerIdentity */
  GCancellable         *identity_cancellable;
  GtkWidget            *identity_box;
  GtkLabel             *identity_title;
  GtkLabel             *identity_detail;
  GtkLabel             *identity_account;
};

G_DEFINE_FINAL_TYPE (WharfWindow, wharf_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_ACCOUNT,
  PROP_ACCOUNT_ID,
  PROP_REGION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void wharf_window_reload (WharfWindow *self);

WharfWindow *
wharf_window_new (GtkApplication *application)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  return g_object_new (WHARF_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

void
wharf_window_add_toast (WharfWindow *self,
                        AdwToast    *toast)
{
  g_return_if_fail (WHARF_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
wharf_window_toast (WharfWindow *self,
                    const char  *message)
{
  /* A toast's title is markup; messages are text ("<data>" in a parser's words). */
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* The sidebar's error state; a plain label, so the message is text, not markup. */
static void
wharf_window_show_sidebar_error (WharfWindow *self,
                                 const char  *message)
{
  gtk_label_set_text (self->sidebar_error_label, message);
  gtk_stack_set_visible_child_name (self->sidebar_stack, "error");
}

static gboolean
is_credentials_error (const GError *error)
{
  return g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_EXPIRED_CREDENTIALS) ||
         g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_INVALID_CREDENTIALS) ||
         g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_CREDENTIALS_UNAVAILABLE);
}

/* ---- State ---- */

static void
wharf_window_save_state (WharfWindow *self)
{
  int width = 0;
  int height = 0;

  g_assert (WHARF_IS_WINDOW (self));

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (self->settings);
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (self->settings);
}

static gboolean
wharf_window_close_request (GtkWindow *window)
{
  WharfWindow *self = WHARF_WINDOW (window);

  wharf_window_save_state (self);

  return GTK_WINDOW_CLASS (wharf_window_parent_class)->close_request (window);
}

/* ---- Account menu ---- */

static void
wharf_window_rebuild_account_menu (WharfWindow *self)
{
  GListModel *model = wharf_account_manager_get_accounts (self->accounts);
  guint n = g_list_model_get_n_items (model);

  g_menu_remove_all (self->account_section);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WharfAccount) account = g_list_model_get_item (model, i);
      g_autoptr(GMenuItem) item = g_menu_item_new (wharf_account_get_label (account), NULL);

      g_menu_item_set_action_and_target_value (item, "win.account",
                                               g_variant_new_string (wharf_account_get_id (account)));
      g_menu_append_item (self->account_section, item);
    }
}

static void
wharf_window_update_actions (WharfWindow *self)
{
  gboolean has_account = self->account != NULL;
  gboolean removable = has_account &&
                       wharf_account_get_source (self->account) != WHARF_ACCOUNT_SOURCE_ENVIRONMENT;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-repository", self->client != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh", self->client != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.remove-account", removable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", has_account);
  gtk_widget_set_sensitive (GTK_WIDGET (self->region_button), has_account);
}

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
static void
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
static void
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
static void
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

static void
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

/* ---- Repository list ---- */

static void
wharf_window_show_repository (WharfWindow     *self,
                              WharfRepository *repository)
{
  if (repository == NULL)
    {
      wharf_repository_page_set_repository (self->repository_page, NULL, NULL);
      gtk_stack_set_visible_child_name (self->content,
                                        self->account != NULL ? "no-selection" : "welcome");
      return;
    }

  wharf_repository_page_set_repository (self->repository_page, self->client, repository);
  gtk_stack_set_visible_child_name (self->content, "repository");
}

static void
selection_changed_cb (WharfWindow *self)
{
  WharfRepository *repository = gtk_single_selection_get_selected_item (self->selection);

  if (self->replacing)
    return;

  if (repository == wharf_repository_page_get_repository (self->repository_page))
    return;

  wharf_window_show_repository (self, repository);

  /* Narrow: choosing a repository opens it, as a tap on a row would. */
  if (repository != NULL && adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content));
}

static void
repository_list_activate_cb (WharfWindow *self,
                             guint        position)
{
  gtk_single_selection_set_selected (self->selection, position);
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content));
}

/* Selects the repository named @name when it is in the list; TRUE when found. */
static gboolean
wharf_window_select_by_name (WharfWindow *self,
                             const char  *name)
{
  GListModel *model = G_LIST_MODEL (self->selection);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WharfRepository) repository = g_list_model_get_item (model, i);

      if (g_strcmp0 (wharf_repository_get_name (repository), name) == 0)
        {
          gtk_single_selection_set_selected (self->selection, i);
          gtk_widget_activate_action (GTK_WIDGET (self->repository_list), "list.scroll-to-item",
                                      "u", i);
          return TRUE;
        }
    }

  return FALSE;
}

static void
wharf_window_update_sidebar_page (WharfWindow *self)
{
  guint n_total = g_list_model_get_n_items (G_LIST_MODEL (self->repositories));
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  gboolean loading = self->listing != NULL && wharf_ecr_listing_get_loading (self->listing);
  const char *page = gtk_stack_get_visible_child_name (self->sidebar_stack);

  if (self->account == NULL)
    page = "no-account";
  else if (g_strcmp0 (page, "error") == 0 && !loading && n_total == 0)
    page = "error";
  else if (n_total == 0)
    page = loading || self->client == NULL ? "loading" : "empty";
  else if (n_shown == 0)
    page = "no-results";
  else
    page = "list";

  gtk_stack_set_visible_child_name (self->sidebar_stack, page);
  gtk_spinner_set_spinning (self->loading_spinner, g_str_equal (page, "loading"));
}

static void
listing_page_loaded_cb (WharfWindow     *self,
                        guint            n_new_items,
                        WharfEcrListing *listing)
{
  g_autofree char *text = NULL;
  /* The store, not the listing: a resumed listing counts only what it appends. */
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->repositories));

  if (listing != self->listing)
    return;

  if (wharf_ecr_listing_get_has_more (listing))
    {
      text = g_strdup_printf (ngettext ("Loaded %u repository, loading more…",
                                        "Loaded %u repositories, loading more…", n), n);
      gtk_label_set_label (self->progress_label, text);
      gtk_spinner_set_spinning (self->progress_spinner, TRUE);
      gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);
    }

  if (self->pending_select != NULL && wharf_window_select_by_name (self, self->pending_select))
    g_clear_pointer (&self->pending_select, g_free);

  wharf_window_update_sidebar_page (self);
}

static void
listing_done_cb (WharfWindow     *self,
                 WharfEcrListing *listing)
{
  const GError *error = wharf_ecr_listing_get_error (listing);

  if (listing != self->listing)
    return;

  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
  gtk_spinner_set_spinning (self->progress_spinner, FALSE);

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->repositories));

      if (is_credentials_error (error))
        {
          wharf_window_show_credentials_banner (self, error->message,
                                                wharf_aws_error_get_cause (error));
        }

      if (n == 0)
        {
          wharf_window_show_sidebar_error (self, error->message);
        }
      else
        {
          g_autofree char *message = NULL;

          /* The rows loaded so far stay; the message stays beside them with a Retry that
           * goes on from the page that failed. */
          /* Translators: %s is the error message */
          message = g_strdup_printf (_("Not every repository could be loaded: %s"), error->message);
          gtk_label_set_label (self->partial_label, message);
          gtk_widget_set_tooltip_text (GTK_WIDGET (self->partial_label), message);
          gtk_revealer_set_reveal_child (self->partial_revealer, TRUE);
        }
    }
  else if (error == NULL)
    gtk_revealer_set_reveal_child (self->credentials_banner, FALSE);

  if (self->pending_select != NULL && wharf_window_select_by_name (self, self->pending_select))
    g_clear_pointer (&self->pending_select, g_free);

  wharf_window_update_sidebar_page (self);
}

static void
watch_listing (WharfWindow *self)
{
  g_signal_connect_object (self->listing, "page-loaded",
                           G_CALLBACK (listing_page_loaded_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->listing, "done",
                           G_CALLBACK (listing_done_cb), self, G_CONNECT_SWAPPED);
}

static void
wharf_window_start_listing (WharfWindow *self)
{
  g_autoptr(GListStore) store = g_list_store_new (WHARF_TYPE_REPOSITORY);

  if (self->listing != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->listing, self);
      wharf_ecr_listing_cancel (self->listing);
      g_clear_object (&self->listing);
    }
  gtk_revealer_set_reveal_child (self->partial_revealer, FALSE);

  g_set_object (&self->repositories, store);
  gtk_filter_list_model_set_model (self->filter_model, G_LIST_MODEL (store));

  if (self->client == NULL)
    {
      wharf_window_update_sidebar_page (self);
      return;
    }

  gtk_stack_set_visible_child_name (self->sidebar_stack, "loading");
  self->listing = wharf_ecr_client_list_repositories (self->client, store, self->load_cancellable);
  watch_listing (self);
  wharf_window_update_sidebar_page (self);
}

/* Retry after a later page failed: asks again for that page and goes on, keeping the rows. */
static void
wharf_window_load_rest_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  WharfWindow *self = WHARF_WINDOW (widget);
  g_autoptr(WharfEcrListing) failed = NULL;
  const GError *error;

  if (self->listing == NULL || wharf_ecr_listing_get_loading (self->listing)
      || self->load_cancellable == NULL)
    return;
  error = wharf_ecr_listing_get_error (self->listing);
  if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  failed = g_steal_pointer (&self->listing);
  g_signal_handlers_disconnect_by_data (failed, self);
  self->listing = wharf_ecr_listing_resume (failed, self->load_cancellable);
  gtk_revealer_set_reveal_child (self->partial_revealer, FALSE);
  watch_listing (self);
  wharf_window_update_sidebar_page (self);
}

static void
create_client_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(WharfWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WharfEcrClient) client = NULL;

  client = wharf_account_manager_create_client_finish (WHARF_ACCOUNT_MANAGER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    {
      wharf_window_show_identity (self, NULL, error);
      wharf_window_show_sidebar_error (self, error->message);
      if (is_credentials_error (error))
        {
          wharf_window_show_credentials_banner (self, error->message,
                                                wharf_aws_error_get_cause (error));
        }
      return;
    }

  g_set_object (&self->client, client);
  wharf_window_update_actions (self);
  wharf_window_start_listing (self);
  wharf_window_lookup_identity (self);
}

/* Connects to the current account and region from scratch. */
static void
wharf_window_reload (WharfWindow *self)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  g_signal_connect_object (self->cancellable, "cancelled",
                           G_CALLBACK (g_cancellable_cancel), self->load_cancellable,
                           G_CONNECT_SWAPPED);

  g_clear_object (&self->client);
  gtk_revealer_set_reveal_child (self->credentials_banner, FALSE);
  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
  wharf_window_show_repository (self, NULL);
  wharf_window_start_listing (self);
  wharf_window_update_actions (self);
  wharf_window_show_identity (self,
                              self->account != NULL
                              ? g_hash_table_lookup (self->identities,
                                                     wharf_account_get_id (self->account))
                              : NULL,
                              NULL);

  if (self->account == NULL)
    return;

  wharf_account_manager_create_client_async (self->accounts, self->account, self->region,
                                             self->load_cancellable,
                                             create_client_cb, g_object_ref (self));
}

/* ---- Account and region ---- */

static void
wharf_window_update_switchers (WharfWindow *self)
{
  g_autofree char *region_title = wharf_region_list_dup_title (self->region);

  if (self->account != NULL)
    {
      g_autofree char *description = wharf_account_dup_description (self->account);

      gtk_label_set_label (self->account_label, wharf_account_get_label (self->account));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->account_button), description);
      adw_window_title_set_subtitle (self->sidebar_title, wharf_region_list_get_name (self->region));
    }
  else
    {
      gtk_label_set_label (self->account_label, _("No Account"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->account_button), _("Switch Account"));
      adw_window_title_set_subtitle (self->sidebar_title, NULL);
    }

  gtk_label_set_label (self->region_label, self->region);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->region_button), region_title);

  /* A screen reader says "Account" and "Region", then what is chosen. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->account_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  gtk_label_get_label (self->account_label), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->region_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, region_title, -1);
  gtk_revealer_set_reveal_child (self->practice_banner,
                                 self->account != NULL &&
                                 wharf_account_get_source (self->account) == WHARF_ACCOUNT_SOURCE_PRACTICE);
}

static void
wharf_window_set_region (WharfWindow *self,
                         const char  *region,
                         gboolean     remember)
{
  if (region == NULL || *region == '\0')
    region = WHARF_FALLBACK_REGION;

  if (g_strcmp0 (self->region, region) == 0)
    return;

  g_free (self->region);
  self->region = g_strdup (region);
  if (remember)
    g_settings_set_string (self->settings, "selected-region", region);

  wharf_window_update_switchers (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGION]);
}

/* AWS_PROFILE without AWS_REGION: the profile's region, read without blocking, as the
 * AWS CLI would use it. */
static void
profile_region_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(WharfWindow) self = user_data;
  g_autoptr(WharfAwsConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *region = NULL;
  WharfAccount *account = self->account;

  config = wharf_aws_config_load_default_finish (result, &error);
  if (config == NULL || account == NULL ||
      wharf_account_get_source (account) != WHARF_ACCOUNT_SOURCE_ENVIRONMENT ||
      wharf_account_get_region (account) != NULL)
    return;

  region = wharf_aws_config_resolve_region (config, wharf_account_get_profile (account));
  if (region == NULL)
    return;
  wharf_account_set_region (account, region);

  /* A region the person chose for this account stays. */
  {
    g_autofree char *chosen_account = g_settings_get_string (self->settings, "selected-account");
    g_autofree char *chosen_region = g_settings_get_string (self->settings, "selected-region");

    if (*chosen_region != '\0' && g_str_equal (chosen_account, wharf_account_get_id (account)))
      return;
  }

  if (g_strcmp0 (self->region, region) != 0)
    {
      wharf_window_set_region (self, region, FALSE);
      wharf_window_reload (self);
    }
}

static void
wharf_window_set_account (WharfWindow  *self,
                          WharfAccount *account,
                          gboolean      remember)
{
  if (!g_set_object (&self->account, account))
    return;

  if (account != NULL &&
      wharf_account_get_source (account) == WHARF_ACCOUNT_SOURCE_ENVIRONMENT &&
      wharf_account_get_region (account) == NULL &&
      wharf_account_get_profile (account) != NULL)
    wharf_aws_config_load_default_async (self->cancellable, profile_region_cb,
                                         g_object_ref (self));

  if (account != NULL)
    {
      g_autofree char *remembered = g_settings_get_string (self->settings, "selected-region");
      g_autofree char *remembered_account = g_settings_get_string (self->settings, "selected-account");
      const char *region = wharf_account_get_region (account);

      /* The region last chosen for this account wins over the account's own. */
      if (*remembered != '\0' && g_str_equal (remembered_account, wharf_account_get_id (account)))
        region = remembered;
      wharf_window_set_region (self, region, FALSE);

      if (remember)
        {
          g_settings_set_string (self->settings, "selected-account", wharf_account_get_id (account));
          g_settings_set_string (self->settings, "selected-region", self->region);
        }
    }

  gtk_stack_set_visible_child_name (self->content, account != NULL ? "no-selection" : "welcome");
  /* Narrow and no account: the welcome page (with its Add button) comes first. */
  if (account == NULL)
    adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content));
  wharf_window_update_switchers (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT_ID]);
  wharf_window_reload (self);
}

static void
accounts_changed_cb (WharfWindow *self)
{
  wharf_window_rebuild_account_menu (self);

  /* The current account was removed: show the first remaining one, if any. */
  if (self->account != NULL &&
      wharf_account_manager_lookup (self->accounts, wharf_account_get_id (self->account)) == NULL)
    {
      g_autoptr(WharfAccount) first =
        g_list_model_get_item (wharf_account_manager_get_accounts (self->accounts), 0);

      wharf_window_set_account (self, first, TRUE);
    }
  else
    wharf_window_update_switchers (self);
}

/* ---- Practice mode and tutorial (see wharf-practice.c, wharf-tutorial.c) ---- */

static void
practice_started_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(WharfWindow) self = user_data;
  g_autoptr(WharfAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  if (!wharf_practice_start_finish (WHARF_PRACTICE (object), result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: %s is the error message */
      message = g_strdup_printf (_("Could not start practice mode: %s"), error->message);
      wharf_window_toast (self, message);
      return;
    }

  account = wharf_practice_new_account ();
  wharf_account_manager_add_unsaved (self->accounts, account);
  wharf_window_set_account (self, wharf_account_manager_lookup (self->accounts,
                                                                WHARF_PRACTICE_ACCOUNT_ID), TRUE);
}

static void
wharf_window_practice_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  WharfWindow *self = WHARF_WINDOW (widget);

  wharf_practice_start_async (wharf_practice_get_default (), self->cancellable,
                              practice_started_cb, g_object_ref (self));
}

static void
practice_reset_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(WharfWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (wharf_practice_ask_reset_finish (WHARF_PRACTICE (object), result, &error))
    message = g_strdup (_("Practice data reset"));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else
    /* Translators: %s is the error message */
    message = g_strdup_printf (_("Could not reset the practice data: %s"), error->message);

  if (gtk_widget_get_visible (GTK_WIDGET (self)))
    {
      g_autofree char *escaped = g_markup_escape_text (message, -1);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
    }
  else if (error != NULL)
    g_warning ("%s", message);
}

static void
wharf_window_reset_practice_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  wharf_practice_ask_reset_async (wharf_practice_get_default (), GTK_WINDOW (widget),
                                  practice_reset_cb, g_object_ref (widget));
}

static void
practice_restarted_cb (WharfWindow *self)
{
  /* The sandbox listens on a new port: connect again. */
  if (self->account != NULL &&
      wharf_account_get_source (self->account) == WHARF_ACCOUNT_SOURCE_PRACTICE)
    wharf_window_reload (self);
}

/* One tutorial per window; it follows the window's account and region. */
static void
wharf_window_tutorial_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  WharfWindow *self = WHARF_WINDOW (widget);

  if (self->tutorial == NULL)
    {
      g_set_weak_pointer (&self->tutorial,
                          wharf_tutorial_new (GTK_WINDOW (self), self->accounts, self->account,
                                              self->region));
      g_object_bind_property (self, "account", self->tutorial, "account", G_BINDING_DEFAULT);
      g_object_bind_property (self, "region", self->tutorial, "region", G_BINDING_DEFAULT);
    }

  gtk_window_present (GTK_WINDOW (self->tutorial));
}

/* ---- Actions ---- */

static void
wharf_window_show_content_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  WharfWindow *self = WHARF_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content));
}

static void
wharf_window_show_sidebar_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  WharfWindow *self = WHARF_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

static void
wharf_window_refresh_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  WharfWindow *self = WHARF_WINDOW (widget);
  WharfRepository *selected = gtk_single_selection_get_selected_item (self->selection);

  if (selected != NULL)
    {
      g_free (self->pending_select);
      self->pending_select = g_strdup (wharf_repository_get_name (selected));
    }

  if (self->client == NULL)
    wharf_window_reload (self);
  else
    {
      gtk_revealer_set_reveal_child (self->credentials_banner, FALSE);
      wharf_window_start_listing (self);
      wharf_window_lookup_identity (self);
    }
}

static void
wharf_window_search_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  WharfWindow *self = WHARF_WINDOW (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
search_changed_cb (WharfWindow *self)
{
  gtk_string_filter_set_search (self->name_filter,
                                gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  wharf_window_update_sidebar_page (self);
}

static void
search_activate_cb (WharfWindow *self)
{
  /* Enter opens the first match. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->selection)) > 0)
    {
      gtk_single_selection_set_selected (self->selection, 0);
      adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content));
    }
}

static void
search_stop_cb (WharfWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->repository_list));
}

static void
account_added_cb (WharfWindow           *self,
                  WharfAccount          *account,
                  WharfAddAccountDialog *dialog)
{
  g_autofree char *message = NULL;

  /* New keys for the current account: connect again with them (they may be another
   * user's). */
  if (self->account == account)
    {
      g_hash_table_remove (self->identities, wharf_account_get_id (account));
      wharf_window_reload (self);
    }
  else
    wharf_window_set_account (self, account, TRUE);

  if (wharf_account_get_account_id (account) != NULL)
    /* Translators: %s is a 12-digit AWS account id */
    message = g_strdup_printf (_("Account %s added"), wharf_account_get_account_id (account));
  else
    message = g_strdup (_("Account added"));
  wharf_window_toast (self, message);
}

static void
wharf_window_add_account_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  WharfWindow *self = WHARF_WINDOW (widget);
  WharfAddAccountDialog *dialog;

  dialog = wharf_add_account_dialog_new (GTK_WINDOW (self), self->accounts, NULL);
  g_signal_connect_object (dialog, "account-added", G_CALLBACK (account_added_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
sso_signed_in_cb (WharfWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.refresh", NULL);
}

static void reenter_keys (WharfWindow *self);

static void
sso_offer_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(WharfWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  WharfSsoSignInDialog *dialog = wharf_sso_sign_in_dialog_offer_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (dialog != NULL)
    g_signal_connect_object (dialog, "signed-in", G_CALLBACK (sso_signed_in_cb), self,
                             G_CONNECT_SWAPPED);
  else
    reenter_keys (self);
}

static void
wharf_window_reenter_keys_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  WharfWindow *self = WHARF_WINDOW (widget);

  if (self->account == NULL)
    return;

  /* An IAM Identity Center account chosen in Wharf signs in to its start URL again. */
  if (wharf_account_get_source (self->account) == WHARF_ACCOUNT_SOURCE_SSO)
    {
      WharfSsoSignInDialog *dialog = wharf_sso_sign_in_dialog_new_for_account (GTK_WINDOW (self),
                                                                               self->account);

      g_signal_connect_object (dialog, "signed-in", G_CALLBACK (sso_signed_in_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  /* An IAM Identity Center profile (or a role on top of one) signs in again instead. */
  if (wharf_account_get_profile (self->account) != NULL)
    wharf_sso_sign_in_dialog_offer_async (GTK_WINDOW (self),
                                          wharf_account_get_profile (self->account),
                                          self->cancellable, sso_offer_cb, g_object_ref (self));
  else
    reenter_keys (self);
}

static void
reenter_keys (WharfWindow *self)
{
  WharfAddAccountDialog *dialog;

  if (self->account == NULL)
    return;

  /* Keys typed into Wharf can be typed again; the environment and profiles are fixed
   * outside Wharf, so offer to add keys as a new account instead. */
  if (wharf_account_get_source (self->account) == WHARF_ACCOUNT_SOURCE_KEYS)
    dialog = wharf_add_account_dialog_new (GTK_WINDOW (self), self->accounts, self->account);
  else
    dialog = wharf_add_account_dialog_new (GTK_WINDOW (self), self->accounts, NULL);
  g_signal_connect_object (dialog, "account-added", G_CALLBACK (account_added_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
remove_account_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(WharfWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!wharf_account_manager_remove_finish (WHARF_ACCOUNT_MANAGER (object), result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: %s is the error message */
      message = g_strdup_printf (_("Could not remove the account: %s"), error->message);
      wharf_window_toast (self, message);
      return;
    }

  wharf_window_toast (self, _("Account removed"));
}

static void
remove_account_response_cb (WharfWindow      *self,
                            const char       *response,
                            AdwMessageDialog *dialog)
{
  WharfAccount *account = g_object_get_data (G_OBJECT (dialog), "account");

  if (g_strcmp0 (response, "remove") != 0 || account == NULL)
    return;

  wharf_account_manager_remove_async (self->accounts, account, self->cancellable,
                                      remove_account_cb, g_object_ref (self));
}

static void
wharf_window_remove_account_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  WharfWindow *self = WHARF_WINDOW (widget);
  GtkWidget *dialog;
  g_autofree char *heading = NULL;

  if (self->account == NULL ||
      wharf_account_get_source (self->account) == WHARF_ACCOUNT_SOURCE_ENVIRONMENT)
    return;

  /* Translators: %s is the account's name */
  heading = g_strdup_printf (_("Remove “%s”?"), wharf_account_get_label (self->account));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   wharf_account_get_source (self->account) == WHARF_ACCOUNT_SOURCE_KEYS
                                   ? _("Wharf forgets this account and deletes its access key from the keyring. The account and its repositories stay in AWS.")
                                   : _("Wharf forgets this account. The AWS CLI profile, the account and its repositories stay as they are."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "account", g_object_ref (self->account), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_account_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
repository_created_cb (WharfWindow                 *self,
                       WharfRepository             *repository,
                       WharfCreateRepositoryDialog *dialog)
{
  AdwToast *toast;
  g_autofree char *title = NULL;

  if (self->repositories != NULL)
    g_list_store_append (self->repositories, repository);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  if (!wharf_window_select_by_name (self, wharf_repository_get_name (repository)))
    {
      g_free (self->pending_select);
      self->pending_select = g_strdup (wharf_repository_get_name (repository));
    }
  wharf_window_update_sidebar_page (self);
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content));

  /* Translators: %s is a repository name */
  title = g_strdup_printf (_("Repository “%s” created"), wharf_repository_get_name (repository));
  toast = adw_toast_new (title);
  /* The next step stays offered until it is taken or dismissed. */
  adw_toast_set_timeout (toast, 0);
  adw_toast_set_button_label (toast, _("_Push an Image…"));
  adw_toast_set_action_name (toast, "repo.push-first-image");
  /* The toast overlay sits above the page, so route the action through it. */
  wharf_repository_page_add_toast (self->repository_page, toast);
}

static void
wharf_window_new_repository_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  WharfWindow *self = WHARF_WINDOW (widget);
  WharfCreateRepositoryDialog *dialog;

  if (self->client == NULL)
    return;

  dialog = wharf_create_repository_dialog_new (GTK_WINDOW (self), self->client,
                                               self->repositories,
                                               self->account != NULL ? wharf_account_get_account_id (self->account) : NULL);
  g_signal_connect_object (dialog, "created", G_CALLBACK (repository_created_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
repository_deleted_cb (WharfWindow         *self,
                       WharfRepository     *repository,
                       WharfRepositoryPage *page)
{
  guint position;

  if (self->repositories != NULL &&
      g_list_store_find (self->repositories, repository, &position))
    g_list_store_remove (self->repositories, position);

  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  wharf_window_show_repository (self, NULL);
  wharf_window_update_sidebar_page (self);
  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

/* Deleted elsewhere while it was shown: dropped like a deletion, and the person is told. */
static void
repository_gone_cb (WharfWindow         *self,
                    WharfRepository     *repository,
                    const char          *message,
                    WharfRepositoryPage *page)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);
  guint n = self->repositories != NULL
            ? g_list_model_get_n_items (G_LIST_MODEL (self->repositories)) : 0;

  /* By name: a refresh of the list since the page opened made new objects. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WharfRepository) item = g_list_model_get_item (G_LIST_MODEL (self->repositories), i);

      if (g_strcmp0 (wharf_repository_get_name (item), wharf_repository_get_name (repository)) == 0)
        {
          g_list_store_remove (self->repositories, i);
          break;
        }
    }
  repository_deleted_cb (self, repository, page);
  adw_toast_set_timeout (toast, 10);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
repository_changed_cb (WharfWindow         *self,
                       WharfRepository     *old_repository,
                       WharfRepository     *new_repository,
                       WharfRepositoryPage *page)
{
  guint position;

  /* Settings changed: keep the list's object in step with ECR, and the row selected
   * without reloading the page that is showing it. */
  if (self->repositories != NULL &&
      g_list_store_find (self->repositories, old_repository, &position))
    {
      self->replacing = TRUE;
      g_list_store_splice (self->repositories, position, 1, (gpointer *) &new_repository, 1);
      wharf_window_select_by_name (self, wharf_repository_get_name (new_repository));
      self->replacing = FALSE;
    }
}

static void
credentials_failed_cb (WharfWindow         *self,
                       const char          *message,
                       WharfRepositoryPage *page)
{
  wharf_window_show_credentials_banner (self, message, NULL);
}

/* ---- GObject ---- */

static void
wharf_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  WharfWindow *self = WHARF_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    case PROP_ACCOUNT_ID:
      g_value_set_string (value, self->account != NULL ? wharf_account_get_id (self->account) : "");
      break;
    case PROP_REGION:
      g_value_set_string (value, self->region);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wharf_window_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  WharfWindow *self = WHARF_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT_ID:
      {
        WharfAccount *account = wharf_account_manager_lookup (self->accounts,
                                                              g_value_get_string (value));
        if (account != NULL)
          wharf_window_set_account (self, account, TRUE);
      }
      break;
    case PROP_REGION:
      {
        const char *region = g_value_get_string (value);

        if (region != NULL && g_strcmp0 (region, self->region) != 0)
          {
            wharf_window_set_region (self, region, TRUE);
            if (self->account != NULL)
              g_settings_set_string (self->settings, "selected-account",
                                     wharf_account_get_id (self->account));
            wharf_window_reload (self);
          }
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wharf_window_dispose (GObject *object)
{
  WharfWindow *self = WHARF_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_weak_pointer (&self->tutorial);
  if (self->listing != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->listing, self);
      wharf_ecr_listing_cancel (self->listing);
      g_clear_object (&self->listing);
    }
  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_data (wharf_account_manager_get_accounts (self->accounts), self);

  gtk_widget_dispose_template (GTK_WIDGET (self), WHARF_TYPE_WINDOW);

  g_clear_object (&self->selection);
  g_clear_object (&self->client);
  g_clear_object (&self->repositories);

  G_OBJECT_CLASS (wharf_window_parent_class)->dispose (object);
}

static void
wharf_window_finalize (GObject *object)
{
  WharfWindow *self = WHARF_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->accounts);
  g_clear_object (&self->account);
  g_clear_pointer (&self->region, g_free);
  g_clear_pointer (&self->pending_select, g_free);
  g_clear_pointer (&self->credentials_message, g_free);
  g_clear_pointer (&self->identities, g_hash_table_unref);
  g_clear_object (&self->identity_cancellable);

  G_OBJECT_CLASS (wharf_window_parent_class)->finalize (object);
}

static void
wharf_window_class_init (WharfWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = wharf_window_dispose;
  object_class->finalize = wharf_window_finalize;
  object_class->get_property = wharf_window_get_property;
  object_class->set_property = wharf_window_set_property;

  window_class->close_request = wharf_window_close_request;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, WHARF_TYPE_ACCOUNT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT_ID] =
    g_param_spec_string ("account-id", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REGION] =
    g_param_spec_string ("region", NULL, NULL, WHARF_FALLBACK_REGION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (WHARF_TYPE_REPOSITORY_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/wharf-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, content);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, account_button);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, account_label);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, region_button);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, region_label);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, credentials_banner);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, practice_banner);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, credentials_banner_label);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, credentials_banner_button);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, repository_list);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, sidebar_error);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, sidebar_error_label);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, progress_spinner);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, partial_revealer);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, partial_label);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, repository_page);
  gtk_widget_class_bind_template_child (widget_class, WharfWindow, account_section);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, repository_list_activate_cb);

  gtk_widget_class_install_action (widget_class, "win.show-content", NULL,
                                   wharf_window_show_content_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL,
                                   wharf_window_show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.add-account", NULL,
                                   wharf_window_add_account_action);
  gtk_widget_class_install_action (widget_class, "win.remove-account", NULL,
                                   wharf_window_remove_account_action);
  gtk_widget_class_install_action (widget_class, "win.reenter-keys", NULL,
                                   wharf_window_reenter_keys_action);
  gtk_widget_class_install_action (widget_class, "win.new-repository", NULL,
                                   wharf_window_new_repository_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL,
                                   wharf_window_refresh_action);
  gtk_widget_class_install_action (widget_class, "win.load-rest", NULL,
                                   wharf_window_load_rest_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL,
                                   wharf_window_search_action);
  gtk_widget_class_install_action (widget_class, "win.practice", NULL,
                                   wharf_window_practice_action);
  gtk_widget_class_install_action (widget_class, "win.reset-practice", NULL,
                                   wharf_window_reset_practice_action);
  gtk_widget_class_install_action (widget_class, "win.tutorial", NULL,
                                   wharf_window_tutorial_action);
  gtk_widget_class_install_property_action (widget_class, "win.account", "account-id");
  gtk_widget_class_install_property_action (widget_class, "win.region", "region");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-repository", NULL);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  gtk_list_item_set_child (item, wharf_repository_row_new ());
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  wharf_repository_row_set_repository (WHARF_REPOSITORY_ROW (gtk_list_item_get_child (item)),
                                       gtk_list_item_get_item (item));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  wharf_repository_row_set_repository (WHARF_REPOSITORY_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
wharf_window_init (WharfWindow *self)
{
  g_autoptr(GMenuModel) region_menu = NULL;
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autofree char *selected_account = NULL;
  GtkExpression *name_expression;
  GtkSorter *sorter;
  WharfAccount *account;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->load_cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APPLICATION_ID);
  self->region = g_strdup (WHARF_FALLBACK_REGION);
  self->identities = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) wharf_caller_identity_free);
  wharf_window_build_identity (self);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  /* Repositories: store → filter (search) → sort (by name) → selection → list view. The
   * listing appends a whole page (up to 1,000) at once, so the list is sorted once per page,
   * not per item; an incremental sort would keep moving the rows under the person's eyes
   * while 10,000 repositories stream in. */
  name_expression = gtk_property_expression_new (WHARF_TYPE_REPOSITORY, NULL, "name");
  self->name_filter = gtk_string_filter_new (gtk_expression_ref (name_expression));
  gtk_string_filter_set_match_mode (self->name_filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  gtk_string_filter_set_ignore_case (self->name_filter, TRUE);
  self->repositories = g_list_store_new (WHARF_TYPE_REPOSITORY);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->repositories)),
                                                  GTK_FILTER (self->name_filter));
  sorter = GTK_SORTER (gtk_string_sorter_new (name_expression));
  self->sort_model = gtk_sort_list_model_new (G_LIST_MODEL (self->filter_model), sorter);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->sort_model));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (wharf_window_update_sidebar_page), self, G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), NULL);
  gtk_list_view_set_factory (self->repository_list, factory);
  gtk_list_view_set_model (self->repository_list, GTK_SELECTION_MODEL (self->selection));

  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));

  region_menu = wharf_region_list_build_menu ("win.region");
  gtk_menu_button_set_menu_model (self->region_button, region_menu);

  g_signal_connect_object (self->repository_page, "deleted",
                           G_CALLBACK (repository_deleted_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->repository_page, "gone",
                           G_CALLBACK (repository_gone_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->repository_page, "changed",
                           G_CALLBACK (repository_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->repository_page, "credentials-failed",
                           G_CALLBACK (credentials_failed_cb), self, G_CONNECT_SWAPPED);

  /* Accounts: the remembered one, else the environment's, else the first saved. */
  self->accounts = wharf_account_manager_new (self->settings);
  g_signal_connect_object (wharf_account_manager_get_accounts (self->accounts), "items-changed",
                           G_CALLBACK (accounts_changed_cb), self, G_CONNECT_SWAPPED);
  wharf_window_rebuild_account_menu (self);

  selected_account = g_settings_get_string (self->settings, "selected-account");
  account = wharf_account_manager_lookup (self->accounts, selected_account);
  if (account == NULL)
    account = wharf_account_manager_get_environment_account (self->accounts);
  if (account == NULL)
    {
      g_autoptr(WharfAccount) first =
        g_list_model_get_item (wharf_account_manager_get_accounts (self->accounts), 0);
      account = first; /* the store keeps it */
    }

  wharf_window_update_switchers (self);
  wharf_window_update_actions (self);
  if (account != NULL)
    wharf_window_set_account (self, account, FALSE);
  else
    {
      wharf_window_update_sidebar_page (self);
      adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content));
    }

  /* Practice mode is never saved as an account: start it again when it was shown last. */
  g_signal_connect_object (wharf_practice_get_default (), "restarted",
                           G_CALLBACK (practice_restarted_cb), self, G_CONNECT_SWAPPED);
  if (g_strcmp0 (selected_account, WHARF_PRACTICE_ACCOUNT_ID) == 0)
    wharf_window_practice_action (GTK_WIDGET (self), "win.practice", NULL);
}
