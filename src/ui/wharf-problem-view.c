/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-problem-view"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-problem-view.h"

struct _WharfProblemView
{
  GtkWidget         parent_instance;

  WharfExplanation *explanation;
  gboolean          show_title;
  guint             copied_id;
  GtkButton        *copied_button;
  char             *copied_label;

  GtkWidget        *box;
  GtkLabel         *title_label;
  GtkLabel         *body_label;
  GtkLabel         *remedy_label;
  GtkWidget        *buttons;
  GtkButton        *fix_button;
  GtkButton        *copy_policy_button;
  GtkButton        *copy_details_button;
  GtkListBox       *facts_list;
  GtkWidget        *policy_box;
  GtkLabel         *policy_heading;
  GtkTextView      *policy_view;
  GtkExpander      *aws_expander;
  GtkLabel         *aws_message_label;
  GtkLabel         *aws_code_label;
  GtkButton        *copy_aws_button;
};

G_DEFINE_FINAL_TYPE (WharfProblemView, wharf_problem_view, GTK_TYPE_WIDGET)

enum {
  FIX,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

const char *
wharf_problem_view_fix_label (WharfExplanationFix fix)
{
  switch (fix)
    {
    case WHARF_EXPLANATION_FIX_SIGN_IN:
      return _("_Sign In…");
    case WHARF_EXPLANATION_FIX_ENTER_CODE:
      return _("_Enter Code…");
    case WHARF_EXPLANATION_FIX_EDIT_ACCOUNT:
    case WHARF_EXPLANATION_FIX_CHECK_ENDPOINT:
      return _("_Edit Account…");
    case WHARF_EXPLANATION_FIX_CHOOSE_REGION:
      return _("Choose _Region…");
    case WHARF_EXPLANATION_FIX_OPEN_PERMISSIONS:
      return _("Open _Permissions");
    case WHARF_EXPLANATION_FIX_RETRY:
      return _("_Try Again");
    case WHARF_EXPLANATION_FIX_REQUEST_QUOTA:
      return _("Open Service _Quotas");
    case WHARF_EXPLANATION_FIX_ASK_ADMIN:
    case WHARF_EXPLANATION_FIX_SET_CLOCK:
    case WHARF_EXPLANATION_FIX_NONE:
    default:
      return NULL;
    }
}

static void
restore_copied_label (WharfProblemView *self)
{
  if (self->copied_button != NULL && self->copied_label != NULL)
    gtk_button_set_label (self->copied_button, self->copied_label);
  self->copied_button = NULL;
  g_clear_pointer (&self->copied_label, g_free);
  g_clear_handle_id (&self->copied_id, g_source_remove);
}

static gboolean
copied_timeout_cb (gpointer user_data)
{
  WharfProblemView *self = user_data;

  self->copied_id = 0;
  restore_copied_label (self);
  return G_SOURCE_REMOVE;
}

/* Copies @text and says so on the button for a moment. */
static void
copy_text (WharfProblemView *self,
           GtkButton        *button,
           const char       *text)
{
  if (text == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  restore_copied_label (self);
  self->copied_button = button;
  self->copied_label = g_strdup (gtk_button_get_label (button));
  gtk_button_set_label (button, _("Copied"));
  self->copied_id = g_timeout_add_seconds (2, copied_timeout_cb, self);
}

static void
fix_clicked_cb (WharfProblemView *self)
{
  if (self->explanation != NULL)
    g_signal_emit (self, signals[FIX], 0, (int) wharf_explanation_get_fix (self->explanation));
}

static void
copy_policy_clicked_cb (WharfProblemView *self)
{
  if (self->explanation != NULL)
    copy_text (self, self->copy_policy_button,
               wharf_explanation_get_policy_json (self->explanation));
}

static void
copy_details_clicked_cb (WharfProblemView *self)
{
  g_autofree char *text = NULL;

  if (self->explanation == NULL)
    return;
  text = wharf_explanation_to_text (self->explanation);
  copy_text (self, self->copy_details_button, text);
}

static void
copy_aws_clicked_cb (WharfProblemView *self)
{
  g_autoptr(GString) text = NULL;
  const char *code, *request_id;

  if (self->explanation == NULL)
    return;
  text = g_string_new (wharf_explanation_get_aws_message (self->explanation));
  code = wharf_explanation_get_aws_code (self->explanation);
  request_id = wharf_explanation_get_request_id (self->explanation);
  if (code != NULL)
    g_string_append_printf (text, "\n%s: %s", _("AWS error"), code);
  if (request_id != NULL)
    g_string_append_printf (text, "\n%s: %s", _("Request id"), request_id);
  copy_text (self, self->copy_aws_button, text->str);
}

static void
add_fact (WharfProblemView *self,
          const char       *title,
          const char       *value)
{
  g_autofree char *escaped = NULL;
  GtkWidget *row;

  if (value == NULL || *value == '\0')
    return;
  /* Rows read markup; names and messages from AWS are text. */
  escaped = g_markup_escape_text (value, -1);
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
  gtk_list_box_append (self->facts_list, row);
}

static const char *
denied_by_words (WharfDeniedBy denied_by)
{
  switch (denied_by)
    {
    case WHARF_DENIED_BY_NO_IDENTITY_POLICY:
      return _("No identity policy allows it");
    case WHARF_DENIED_BY_IDENTITY_POLICY:
      return _("An identity policy denies it");
    case WHARF_DENIED_BY_NO_PERMISSIONS_BOUNDARY:
      return _("The permissions boundary does not allow it");
    case WHARF_DENIED_BY_PERMISSIONS_BOUNDARY:
      return _("The permissions boundary denies it");
    case WHARF_DENIED_BY_NO_SESSION_POLICY:
      return _("The session policy does not allow it");
    case WHARF_DENIED_BY_SESSION_POLICY:
      return _("The session policy denies it");
    case WHARF_DENIED_BY_NO_SERVICE_CONTROL_POLICY:
      return _("No service control policy (SCP) allows it");
    case WHARF_DENIED_BY_SERVICE_CONTROL_POLICY:
      return _("A service control policy (SCP) denies it");
    case WHARF_DENIED_BY_NO_RESOURCE_CONTROL_POLICY:
    case WHARF_DENIED_BY_RESOURCE_CONTROL_POLICY:
      return _("A resource control policy (RCP) denies it");
    case WHARF_DENIED_BY_NO_RESOURCE_POLICY:
      return _("The repository policy does not allow it");
    case WHARF_DENIED_BY_RESOURCE_POLICY:
      return _("The repository policy denies it");
    case WHARF_DENIED_BY_NO_VPC_ENDPOINT_POLICY:
    case WHARF_DENIED_BY_VPC_ENDPOINT_POLICY:
      return _("A VPC endpoint policy denies it");
    case WHARF_DENIED_BY_EXPLICIT_DENY:
      return _("A policy denies it explicitly");
    case WHARF_DENIED_BY_UNKNOWN:
    default:
      return NULL;
    }
}

static void
clear_facts (WharfProblemView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->facts_list))) != NULL)
    gtk_list_box_remove (self->facts_list, child);
}

static void
update (WharfProblemView *self)
{
  const WharfExplanation *e = self->explanation;
  const char *fix_label;
  const char *title;
  const char *policy;
  const char *quota;
  g_autofree char *code_line = NULL;
  gboolean kms;

  clear_facts (self);
  restore_copied_label (self);
  gtk_widget_set_visible (self->box, e != NULL);
  if (e == NULL)
    return;

  title = wharf_explanation_get_title (e);
  gtk_label_set_text (self->title_label, title != NULL ? title : "");
  gtk_widget_set_visible (GTK_WIDGET (self->title_label), self->show_title && title != NULL);
  gtk_label_set_text (self->body_label, wharf_explanation_get_body (e) != NULL
                                        ? wharf_explanation_get_body (e) : "");
  gtk_widget_set_visible (GTK_WIDGET (self->body_label), wharf_explanation_get_body (e) != NULL);
  gtk_label_set_text (self->remedy_label, wharf_explanation_get_remedy (e) != NULL
                                          ? wharf_explanation_get_remedy (e) : "");
  gtk_widget_set_visible (GTK_WIDGET (self->remedy_label),
                          wharf_explanation_get_remedy (e) != NULL);

  fix_label = wharf_problem_view_fix_label (wharf_explanation_get_fix (e));
  if (fix_label != NULL)
    {
      g_autofree char *plain = g_strdup (fix_label);
      char *w, *r;

      /* The accessible name is the label without its mnemonic. */
      for (w = r = plain; *r != '\0'; r++)
        if (*r != '_')
          *w++ = *r;
      *w = '\0';
      gtk_button_set_label (self->fix_button, fix_label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->fix_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, plain, -1);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->fix_button), fix_label != NULL);

  policy = wharf_explanation_get_policy_json (e);
  kms = wharf_explanation_get_kind (e) == WHARF_EXPLANATION_KMS;
  gtk_widget_set_visible (GTK_WIDGET (self->copy_policy_button), policy != NULL);
  gtk_widget_set_visible (self->policy_box, policy != NULL);
  gtk_label_set_text (self->policy_heading,
                      kms ? _("Key policy statement for the key’s administrator")
                          : _("Identity policy for an administrator"));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->policy_view),
                            policy != NULL ? policy : "", -1);

  add_fact (self, _("Identity"), wharf_explanation_get_principal (e));
  add_fact (self, _("Action"), wharf_explanation_get_action (e));
  if (!kms)
    add_fact (self, _("Resource"), wharf_explanation_get_resource (e));
  add_fact (self, _("KMS key"), wharf_explanation_get_kms_key (e));
  add_fact (self, _("Refused by"), denied_by_words (wharf_explanation_get_denied_by (e)));
  if (wharf_explanation_get_managed_policy (e) != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (wharf_explanation_get_managed_policy_grants (e), -1);
      g_autofree char *title_text = g_markup_escape_text (wharf_explanation_get_managed_policy (e), -1);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title_text);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
      gtk_list_box_append (self->facts_list, row);
    }
  quota = wharf_explanation_get_quota_name (e);
  if (quota != NULL || wharf_explanation_get_quota_default (e) != NULL)
    {
      g_autofree char *value = NULL;
      const char *default_value = wharf_explanation_get_quota_default (e);
      const char *raise = wharf_explanation_get_quota_adjustable (e)
                          ? _("can be raised") : _("cannot be raised");

      if (quota != NULL && default_value != NULL)
        /* Translators: a quota's name, its default value, then "can be raised" or not */
        value = g_strdup_printf (_("%s: %s by default; %s"), quota, default_value, raise);
      else if (default_value != NULL)
        /* Translators: a default value, then "can be raised" or not */
        value = g_strdup_printf (_("%s by default; %s"), default_value, raise);
      else
        value = g_strdup_printf ("%s (%s)", quota, raise);
      add_fact (self, _("Quota"), value);
    }
  add_fact (self, _("Source"), wharf_explanation_get_source (e));
  gtk_widget_set_visible (GTK_WIDGET (self->facts_list),
                          gtk_widget_get_first_child (GTK_WIDGET (self->facts_list)) != NULL);

  gtk_label_set_text (self->aws_message_label, wharf_explanation_get_aws_message (e));
  if (wharf_explanation_get_aws_code (e) != NULL && wharf_explanation_get_request_id (e) != NULL)
    /* Translators: an AWS error code, then a request id */
    code_line = g_strdup_printf (_("%s · request id %s"), wharf_explanation_get_aws_code (e),
                                 wharf_explanation_get_request_id (e));
  else if (wharf_explanation_get_aws_code (e) != NULL)
    code_line = g_strdup (wharf_explanation_get_aws_code (e));
  else if (wharf_explanation_get_request_id (e) != NULL)
    /* Translators: %s is a request id */
    code_line = g_strdup_printf (_("Request id %s"), wharf_explanation_get_request_id (e));
  gtk_label_set_text (self->aws_code_label, code_line != NULL ? code_line : "");
  gtk_widget_set_visible (GTK_WIDGET (self->aws_code_label), code_line != NULL);
  /* Nothing to explain: AWS's words are the explanation, shown at once. */
  gtk_expander_set_expanded (self->aws_expander,
                             wharf_explanation_get_kind (e) == WHARF_EXPLANATION_NONE);
}

void
wharf_problem_view_set_explanation (WharfProblemView *self,
                                    WharfExplanation *explanation)
{
  g_return_if_fail (WHARF_IS_PROBLEM_VIEW (self));

  g_clear_pointer (&self->explanation, wharf_explanation_free);
  self->explanation = explanation;
  update (self);
}

const WharfExplanation *
wharf_problem_view_get_explanation (WharfProblemView *self)
{
  g_return_val_if_fail (WHARF_IS_PROBLEM_VIEW (self), NULL);

  return self->explanation;
}

void
wharf_problem_view_set_show_title (WharfProblemView *self,
                                   gboolean          show_title)
{
  g_return_if_fail (WHARF_IS_PROBLEM_VIEW (self));

  self->show_title = !!show_title;
  update (self);
}

GtkWidget *
wharf_problem_view_new (void)
{
  return g_object_new (WHARF_TYPE_PROBLEM_VIEW, NULL);
}

static void
dialog_fix_cb (WharfProblemView *view,
               int               fix,
               AdwMessageDialog *dialog)
{
  /* The host acts on the same signal; the dialog has done its part. */
  gtk_window_close (GTK_WINDOW (dialog));
}

WharfProblemView *
wharf_problem_dialog_present (GtkWindow        *parent,
                              WharfExplanation *explanation)
{
  GtkWidget *dialog;
  GtkWidget *view;
  const char *title;

  g_return_val_if_fail (explanation != NULL, NULL);

  title = wharf_explanation_get_title (explanation);
  dialog = adw_message_dialog_new (parent, title != NULL ? title : _("AWS Refused"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dialog), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title != NULL ? title : _("AWS Refused"), -1);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_set_default_size (GTK_WINDOW (dialog), 560, -1);

  view = wharf_problem_view_new ();
  wharf_problem_view_set_show_title (WHARF_PROBLEM_VIEW (view), FALSE);
  wharf_problem_view_set_explanation (WHARF_PROBLEM_VIEW (view), explanation);
  g_signal_connect_object (view, "fix", G_CALLBACK (dialog_fix_cb), dialog, G_CONNECT_AFTER);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), view);

  gtk_window_present (GTK_WINDOW (dialog));
  return WHARF_PROBLEM_VIEW (view);
}

static void
wharf_problem_view_dispose (GObject *object)
{
  WharfProblemView *self = WHARF_PROBLEM_VIEW (object);

  g_clear_handle_id (&self->copied_id, g_source_remove);
  g_clear_pointer (&self->copied_label, g_free);
  self->copied_button = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), WHARF_TYPE_PROBLEM_VIEW);

  G_OBJECT_CLASS (wharf_problem_view_parent_class)->dispose (object);
}

static void
wharf_problem_view_finalize (GObject *object)
{
  WharfProblemView *self = WHARF_PROBLEM_VIEW (object);

  g_clear_pointer (&self->explanation, wharf_explanation_free);

  G_OBJECT_CLASS (wharf_problem_view_parent_class)->finalize (object);
}

static void
wharf_problem_view_class_init (WharfProblemViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wharf_problem_view_dispose;
  object_class->finalize = wharf_problem_view_finalize;

  /**
   * WharfProblemView::fix:
   * @fix: the WharfExplanationFix the person asked for
   *
   * The fix button was pressed; the host carries it out.
   */
  signals[FIX] = g_signal_new ("fix", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                               NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/wharfapp/Wharf/wharf-problem-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_bind_template_child (widget_class, WharfProblemView, box);
  gtk_widget_class_bind_template_child (widget_class, WharfProblemView, title_label);
  gtk_widget_class_bind_template_child (widget_class, WharfProblemView, body_label);
  gtk_widget_class_bind_template_child (widget_class, WharfProblemView, remedy_label);
  gtk_widget_class_bind_template_child (widget_class, WharfProblemView, buttons);
  gtk_widget_class_bind_template_child (widget_class, WharfProblemView, fix_button);
  gtk_widget_class_bind_template_child (widget_class, WharfProblemView, copy_policy_button);
  gtk_widget_class_bind_template_child (widget_class, WharfProblemView, copy_details_button);
  gtk_widget_class_bind_template_child (widget_class, WharfProblemView, facts_list);
  gtk_widget_class_bind_template_child (widget_class, WharfProblemView, policy_box);
  gtk_widget_class_bind_template_child (widget_class, WharfProblemView, policy_heading);
  gtk_widget_class_bind_template_child (widget_class, WharfProblemView, policy_view);
  gtk_widget_class_bind_template_child (widget_class, WharfProblemView, aws_expander);
  gtk_widget_class_bind_template_child (widget_class, WharfProblemView, aws_message_label);
  gtk_widget_class_bind_template_child (widget_class, WharfProblemView, aws_code_label);
  gtk_widget_class_bind_template_child (widget_class, WharfProblemView, copy_aws_button);
  gtk_widget_class_bind_template_callback (widget_class, fix_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_policy_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_details_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_aws_clicked_cb);
}

static void
wharf_problem_view_init (WharfProblemView *self)
{
  self->show_title = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (self->box, FALSE);
}
