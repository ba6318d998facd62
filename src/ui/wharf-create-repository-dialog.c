/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-create-repository-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-commands.h"
#include "wharf-create-repository-dialog.h"

#include "wharf-ecr-validate.h"
#include "wharf-problem-host.h"

#define N_STEPS 6

static const char * const step_names[N_STEPS] = {
  "name", "tags", "scanning", "encryption", "resource-tags", "review",
};

struct _WharfCreateRepositoryDialog
{
  AdwWindow            parent_instance;

  WharfEcrClient      *client;
  GListStore          *existing;
  char                *account_id;
  char                *registry_host;  /* from the token's proxyEndpoint, once known */
  GCancellable        *cancellable;
  GPtrArray           *filter_rows;    /* AdwEntryRow */
  GPtrArray           *tag_rows;       /* GtkBox with two entries, "key"/"value" data */
  gboolean             creating;
  gboolean             disposed;     /* signals still arrive while the rows go away */

  AdwToastOverlay     *toast_overlay;
  GtkButton           *back_button;
  AdwWindowTitle      *window_title;
  GtkButton           *next_button;
  GtkSpinner          *spinner;
  GtkRevealer         *error_revealer;
  GtkLabel            *error_label;
  WharfProblemView    *error_problem;
  GtkStack            *stack;
  AdwEntryRow         *name_row;
  GtkLabel            *name_feedback;
  AdwActionRow        *uri_preview_row;
  GtkListBox          *mutability_list;
  AdwPreferencesGroup *filters_group;
  GtkWidget           *add_filter_button;
  GtkSwitch           *scan_switch;
  GtkListBox          *encryption_list;
  AdwPreferencesGroup *kms_group;
  GtkListBox          *key_list;
  AdwEntryRow         *kms_key_row;
  GtkLabel            *kms_feedback;
  AdwPreferencesGroup *resource_tags_group;
  AdwActionRow        *review_name_row;
  AdwActionRow        *review_tags_row;
  AdwActionRow        *review_scan_row;
  AdwActionRow        *review_encryption_row;
  AdwActionRow        *review_resource_tags_row;
};

G_DEFINE_FINAL_TYPE (WharfCreateRepositoryDialog, wharf_create_repository_dialog, ADW_TYPE_WINDOW)

enum {
  CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The choices are lists with one selected row (keyboard, pointer and screen readers all
 * handle those); the row's index is the choice. */
enum { MUTABLE, IMMUTABLE };
enum { AES256, KMS, KMS_DSSE };
enum { MANAGED_KEY, CUSTOM_KEY };

static int
choice (GtkListBox *list)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (list);

  return row != NULL ? gtk_list_box_row_get_index (row) : 0;
}

static void
choose (GtkListBox *list,
        int         index)
{
  gtk_list_box_select_row (list, gtk_list_box_get_row_at_index (list, index));
}

static int
current_step (WharfCreateRepositoryDialog *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->stack);

  for (int i = 0; i < N_STEPS; i++)
    if (g_strcmp0 (name, step_names[i]) == 0)
      return i;

  return 0;
}

/* ---- Checks ---- */

static gboolean
name_exists (WharfCreateRepositoryDialog *self,
             const char                  *name)
{
  guint n;

  if (self->existing == NULL)
    return FALSE;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->existing));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WharfRepository) repository = g_list_model_get_item (G_LIST_MODEL (self->existing), i);

      if (g_strcmp0 (wharf_repository_get_name (repository), name) == 0)
        return TRUE;
    }

  return FALSE;
}

/* The reason the name cannot be used, or NULL when it can. */
static char *
check_name (WharfCreateRepositoryDialog *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  g_autofree char *reason = NULL;

  if (!wharf_ecr_validate_repository_name (name, &reason))
    return g_steal_pointer (&reason);

  if (name_exists (self, name))
    /* Translators: %s is a repository name */
    return g_strdup_printf (_("A repository named “%s” exists already in this region; choose another name."), name);

  return NULL;
}

static char *
check_filters (WharfCreateRepositoryDialog *self)
{
  for (guint i = 0; i < self->filter_rows->len; i++)
    {
      AdwEntryRow *row = g_ptr_array_index (self->filter_rows, i);
      const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
      g_autofree char *reason = NULL;

      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      if (*text == '\0')
        continue;
      if (!wharf_ecr_validate_tag_mutability_filter (text, &reason))
        {
          gtk_widget_add_css_class (GTK_WIDGET (row), "error");
          return g_steal_pointer (&reason);
        }
    }

  return NULL;
}

static gboolean
uses_kms (WharfCreateRepositoryDialog *self)
{
  return choice (self->encryption_list) != AES256;
}

static char *
check_encryption (WharfCreateRepositoryDialog *self)
{
  const char *key = gtk_editable_get_text (GTK_EDITABLE (self->kms_key_row));
  g_autofree char *reason = NULL;

  if (!uses_kms (self) || choice (self->key_list) != CUSTOM_KEY)
    return NULL;

  if (!wharf_ecr_validate_kms_key (key, &reason))
    return g_steal_pointer (&reason);

  return NULL;
}

static char *
check_resource_tags (WharfCreateRepositoryDialog *self)
{
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < self->tag_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->tag_rows, i);
      GtkWidget *key_row = g_object_get_data (G_OBJECT (row), "key");
      GtkWidget *value_row = g_object_get_data (G_OBJECT (row), "value");
      const char *key = gtk_editable_get_text (GTK_EDITABLE (key_row));
      const char *value = gtk_editable_get_text (GTK_EDITABLE (value_row));
      g_autofree char *reason = NULL;

      gtk_widget_remove_css_class (key_row, "error");
      gtk_widget_remove_css_class (value_row, "error");
      if (*key == '\0' && *value == '\0')
        continue;
      if (!wharf_ecr_validate_resource_tag_key (key, &reason))
        {
          gtk_widget_add_css_class (key_row, "error");
          return g_steal_pointer (&reason);
        }
      if (!wharf_ecr_validate_resource_tag_value (value, &reason))
        {
          gtk_widget_add_css_class (value_row, "error");
          return g_steal_pointer (&reason);
        }
      if (!g_hash_table_add (keys, (gpointer) key))
        {
          gtk_widget_add_css_class (key_row, "error");
          /* Translators: %s is a resource tag key */
          return g_strdup_printf (_("The key “%s” is used twice; each key can have one value."), key);
        }
    }

  return NULL;
}

/* The reason the current step cannot be left forwards, or NULL. */
static char *
check_step (WharfCreateRepositoryDialog *self,
            int                          step)
{
  switch (step)
    {
    case 0: return check_name (self);
    case 1: return check_filters (self);
    case 3: return check_encryption (self);
    case 4: return check_resource_tags (self);
    default: return NULL;
    }
}

/* ---- Building the request ---- */

static guint
count_filters (WharfCreateRepositoryDialog *self)
{
  guint n = 0;

  for (guint i = 0; i < self->filter_rows->len; i++)
    if (*gtk_editable_get_text (g_ptr_array_index (self->filter_rows, i)) != '\0')
      n++;

  return n;
}

static WharfTagMutability
chosen_mutability (WharfCreateRepositoryDialog *self)
{
  gboolean immutable = choice (self->mutability_list) == IMMUTABLE;
  gboolean filters = count_filters (self) > 0;

  if (immutable)
    return filters ? WHARF_TAG_MUTABILITY_IMMUTABLE_WITH_EXCLUSION : WHARF_TAG_MUTABILITY_IMMUTABLE;
  return filters ? WHARF_TAG_MUTABILITY_MUTABLE_WITH_EXCLUSION : WHARF_TAG_MUTABILITY_MUTABLE;
}

static WharfEncryptionType
chosen_encryption (WharfCreateRepositoryDialog *self)
{
  switch (choice (self->encryption_list))
    {
    case KMS: return WHARF_ENCRYPTION_TYPE_KMS;
    case KMS_DSSE: return WHARF_ENCRYPTION_TYPE_KMS_DSSE;
    default: return WHARF_ENCRYPTION_TYPE_AES256;
    }
}

static const char *
chosen_kms_key (WharfCreateRepositoryDialog *self)
{
  if (!uses_kms (self) || choice (self->key_list) != CUSTOM_KEY)
    return NULL;
  return gtk_editable_get_text (GTK_EDITABLE (self->kms_key_row));
}

static WharfRepositoryOptions *
build_options (WharfCreateRepositoryDialog *self)
{
  WharfRepositoryOptions *options;

  options = wharf_repository_options_new (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  wharf_repository_options_set_tag_mutability (options, chosen_mutability (self));
  for (guint i = 0; i < self->filter_rows->len; i++)
    {
      const char *text = gtk_editable_get_text (g_ptr_array_index (self->filter_rows, i));
      if (*text != '\0')
        wharf_repository_options_add_exclusion_filter (options, text);
    }
  wharf_repository_options_set_scan_on_push (options, gtk_switch_get_active (self->scan_switch));
  wharf_repository_options_set_encryption (options, chosen_encryption (self), chosen_kms_key (self));

  for (guint i = 0; i < self->tag_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->tag_rows, i);
      const char *key = gtk_editable_get_text (g_object_get_data (G_OBJECT (row), "key"));
      const char *value = gtk_editable_get_text (g_object_get_data (G_OBJECT (row), "value"));

      if (*key != '\0' || *value != '\0')
        wharf_repository_options_add_resource_tag (options, key, value);
    }

  return options;
}

static void
update_review (WharfCreateRepositoryDialog *self)
{
  g_autoptr(GString) tags_text = g_string_new (NULL);
  g_autoptr(GString) filters_text = g_string_new (NULL);
  g_autofree char *mutability = NULL;
  g_autofree char *encryption = NULL;
  const char *key = chosen_kms_key (self);

  adw_action_row_set_subtitle (self->review_name_row,
                               gtk_editable_get_text (GTK_EDITABLE (self->name_row)));

  for (guint i = 0; i < self->filter_rows->len; i++)
    {
      const char *text = gtk_editable_get_text (g_ptr_array_index (self->filter_rows, i));
      if (*text == '\0')
        continue;
      if (filters_text->len > 0)
        g_string_append (filters_text, ", ");
      g_string_append (filters_text, text);
    }
  if (filters_text->len > 0)
    /* Translators: first %s is "Mutable" or "Immutable", the second a list of patterns */
    mutability = g_strdup_printf (_("%s, except %s"),
                                  choice (self->mutability_list) == IMMUTABLE
                                  ? _("Immutable") : _("Mutable"),
                                  filters_text->str);
  else
    mutability = g_strdup (choice (self->mutability_list) == IMMUTABLE
                           ? _("Immutable") : _("Mutable"));
  adw_action_row_set_subtitle (self->review_tags_row, mutability);

  adw_action_row_set_subtitle (self->review_scan_row,
                               gtk_switch_get_active (self->scan_switch) ? _("On") : _("Off"));

  if (!uses_kms (self))
    encryption = g_strdup (_("AES-256, managed by ECR"));
  else if (key != NULL)
    /* Translators: first %s is "AWS KMS" or "Dual-layer AWS KMS", the second a key ARN */
    encryption = g_strdup_printf (_("%s with key %s"),
                                  wharf_encryption_type_get_label (chosen_encryption (self)), key);
  else
    /* Translators: %s is "AWS KMS" or "Dual-layer AWS KMS" */
    encryption = g_strdup_printf (_("%s with the AWS managed key"),
                                  wharf_encryption_type_get_label (chosen_encryption (self)));
  adw_action_row_set_subtitle (self->review_encryption_row, encryption);

  for (guint i = 0; i < self->tag_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->tag_rows, i);
      const char *k = gtk_editable_get_text (g_object_get_data (G_OBJECT (row), "key"));
      const char *v = gtk_editable_get_text (g_object_get_data (G_OBJECT (row), "value"));

      if (*k == '\0' && *v == '\0')
        continue;
      if (tags_text->len > 0)
        g_string_append (tags_text, ", ");
      g_string_append_printf (tags_text, "%s = %s", k, v);
    }
  adw_action_row_set_subtitle (self->review_resource_tags_row,
                               tags_text->len > 0 ? tags_text->str : _("None"));
}

/* ---- Navigation ---- */

static void
update_buttons (WharfCreateRepositoryDialog *self)
{
  int step;
  g_autofree char *subtitle = NULL;
  g_autofree char *reason = NULL;

  if (self->disposed)
    return;

  step = current_step (self);

  /* Translators: "Step 2 of 6: Tags" */
  subtitle = g_strdup_printf (_("Step %d of %d: %s"), step + 1, N_STEPS,
                              gtk_stack_page_get_title (gtk_stack_get_page (self->stack,
                                                                            gtk_stack_get_visible_child (self->stack))));
  adw_window_title_set_subtitle (self->window_title, subtitle);

  gtk_button_set_label (self->back_button, step == 0 ? _("_Cancel") : _("_Back"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->back_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  step == 0 ? _("Cancel") : _("Back"), -1);
  gtk_button_set_label (self->next_button, step == N_STEPS - 1 ? _("_Create") : _("_Next"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->next_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  step == N_STEPS - 1 ? _("Create") : _("Next"), -1);

  reason = step < N_STEPS - 1 ? check_step (self, step) : NULL;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next", !self->creating && reason == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.back", !self->creating);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->creating);
  gtk_spinner_set_spinning (self->spinner, self->creating);
}

static void
page_changed_cb (WharfCreateRepositoryDialog *self)
{
  if (self->disposed)
    return;

  if (current_step (self) == N_STEPS - 1)
    update_review (self);
  update_buttons (self);
}

static void
show_error (WharfCreateRepositoryDialog *self,
            const char                  *message)
{
  gtk_label_set_label (self->error_label, message);
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
  /* Only a refusal of the service is explained (create_cb). */
  wharf_problem_view_set_explanation (self->error_problem, NULL);
}

static void
create_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(WharfCreateRepositoryDialog) self = user_data;
  g_autoptr(WharfRepository) repository = NULL;
  g_autoptr(GError) error = NULL;

  repository = wharf_ecr_client_create_repository_finish (WHARF_ECR_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->creating = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->stack), TRUE);

  if (error != NULL)
    {
      g_autofree char *message = NULL;

      /* Everything typed stays; the person can go back and change it. */
      /* Translators: %s is the service's error message */
      message = g_strdup_printf (_("The repository was not created: %s"), error->message);
      show_error (self, message);
      wharf_problem_view_show_error (self->error_problem, error,
                                     gtk_editable_get_text (GTK_EDITABLE (self->name_row)),
                                     chosen_kms_key (self));
      update_buttons (self);
      return;
    }

  g_signal_emit (self, signals[CREATED], 0, repository);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
wharf_create_repository_dialog_create (WharfCreateRepositoryDialog *self)
{
  g_autoptr(WharfRepositoryOptions) options = build_options (self);
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < N_STEPS - 1; i++)
    {
      g_autofree char *reason = check_step (self, i);

      if (reason != NULL)
        {
          gtk_stack_set_visible_child_name (self->stack, step_names[i]);
          show_error (self, reason);
          return;
        }
    }

  if (!wharf_repository_options_validate (options, &error))
    {
      show_error (self, error->message);
      return;
    }

  show_error (self, NULL);
  self->creating = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->stack), FALSE);
  update_buttons (self);

  wharf_ecr_client_create_repository_async (self->client, options, self->cancellable,
                                            create_cb, g_object_ref (self));
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WharfCreateRepositoryDialog *self = WHARF_CREATE_REPOSITORY_DIALOG (widget);
  int step = current_step (self);
  g_autofree char *reason = NULL;

  if (step == N_STEPS - 1)
    {
      wharf_create_repository_dialog_create (self);
      return;
    }

  reason = check_step (self, step);
  if (reason != NULL)
    {
      show_error (self, reason);
      return;
    }

  show_error (self, NULL);
  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_SLIDE_LEFT);
  gtk_stack_set_visible_child_name (self->stack, step_names[step + 1]);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WharfCreateRepositoryDialog *self = WHARF_CREATE_REPOSITORY_DIALOG (widget);
  int step = current_step (self);

  if (step == 0)
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_SLIDE_RIGHT);
  gtk_stack_set_visible_child_name (self->stack, step_names[step - 1]);
}

/* ---- Step 1: name ---- */

static void
name_changed_cb (WharfCreateRepositoryDialog *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  g_autofree char *reason = check_name (self);
  g_autofree char *uri = NULL;
  const char *region = wharf_ecr_client_get_region (self->client);

  if (*name == '\0')
    {
      gtk_label_set_label (self->name_feedback,
                           _("Lowercase letters and digits, with “-”, “_” or “.” between them; use “/” for a namespace, as in team-a/web."));
      gtk_widget_remove_css_class (GTK_WIDGET (self->name_feedback), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->name_feedback), "dim-label");
      gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
    }
  else if (reason != NULL)
    {
      gtk_label_set_label (self->name_feedback, reason);
      gtk_widget_add_css_class (GTK_WIDGET (self->name_feedback), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->name_feedback), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");
    }
  else
    {
      gtk_label_set_label (self->name_feedback, _("This name can be used."));
      gtk_widget_remove_css_class (GTK_WIDGET (self->name_feedback), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->name_feedback), "dim-label");
      gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
    }

  /* The registry's own address when it told us (practice mode's is 127.0.0.1:PORT);
   * until then ECR's usual form. */
  if (self->registry_host != NULL)
    uri = g_strdup_printf ("%s/%s", self->registry_host, *name != '\0' ? name : "…");
  else
    uri = g_strdup_printf ("%s.dkr.ecr.%s.%s/%s",
                           self->account_id != NULL ? self->account_id : "…",
                           region != NULL ? region : "…",
                           region != NULL && g_str_has_prefix (region, "cn-") ? "amazonaws.com.cn" : "amazonaws.com",
                           *name != '\0' ? name : "…");
  adw_action_row_set_subtitle (self->uri_preview_row, uri);

  update_buttons (self);
}

static void
name_activated_cb (WharfCreateRepositoryDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "wizard.next", NULL);
}

/* ---- Step 2: tag immutability ---- */

static void encryption_changed_cb (WharfCreateRepositoryDialog *self);

static void
choice_selected_cb (WharfCreateRepositoryDialog *self,
                    GtkListBoxRow               *row,
                    GtkListBox                  *list)
{
  if (self->disposed)
    return;

  /* A list always keeps one choice. */
  if (row == NULL)
    {
      choose (list, 0);
      return;
    }

  if (list == self->encryption_list || list == self->key_list)
    encryption_changed_cb (self);
  else
    update_buttons (self);
}

static void
filter_changed_cb (WharfCreateRepositoryDialog *self)
{
  g_autofree char *reason = check_filters (self);

  show_error (self, reason);
  update_buttons (self);
}

static void
remove_row_clicked_cb (GtkButton *button,
                       GtkWidget *row)
{
  WharfCreateRepositoryDialog *self =
    WHARF_CREATE_REPOSITORY_DIALOG (gtk_widget_get_root (GTK_WIDGET (button)));

  if (g_ptr_array_remove (self->filter_rows, row))
    {
      adw_preferences_group_remove (self->filters_group, row);
      gtk_widget_set_sensitive (self->add_filter_button,
                                self->filter_rows->len < WHARF_ECR_TAG_MUTABILITY_FILTERS_MAX);
    }
  else if (g_ptr_array_remove (self->tag_rows, row))
    adw_preferences_group_remove (self->resource_tags_group, row);

  show_error (self, NULL);
  update_buttons (self);
}

static GtkWidget *
new_remove_button (GtkWidget  *row,
                   const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_signal_connect (button, "clicked", G_CALLBACK (remove_row_clicked_cb), row);

  return button;
}

static void
add_filter_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  WharfCreateRepositoryDialog *self = WHARF_CREATE_REPOSITORY_DIALOG (widget);
  GtkWidget *row;
  g_autofree char *title = NULL;

  if (self->filter_rows->len >= WHARF_ECR_TAG_MUTABILITY_FILTERS_MAX)
    return;

  row = adw_entry_row_new ();
  /* Translators: %u is the number of an exception pattern, 1 to 5 */
  title = g_strdup_printf (_("Exception %u"), self->filter_rows->len + 1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_signal_connect_object (row, "changed", G_CALLBACK (filter_changed_cb), self, G_CONNECT_SWAPPED);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), new_remove_button (row, _("Remove Exception")));

  g_ptr_array_add (self->filter_rows, row);
  adw_preferences_group_add (self->filters_group, row);
  gtk_widget_set_sensitive (self->add_filter_button,
                            self->filter_rows->len < WHARF_ECR_TAG_MUTABILITY_FILTERS_MAX);
  gtk_widget_grab_focus (row);
}

/* ---- Step 4: encryption ---- */

static void
encryption_changed_cb (WharfCreateRepositoryDialog *self)
{
  g_autofree char *reason = NULL;
  const char *key = gtk_editable_get_text (GTK_EDITABLE (self->kms_key_row));

  gtk_widget_set_sensitive (GTK_WIDGET (self->kms_group), uses_kms (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->kms_key_row),
                            uses_kms (self) && choice (self->key_list) == CUSTOM_KEY);

  reason = check_encryption (self);
  /* An empty key field is not an error yet: it only blocks Next. */
  gtk_widget_set_visible (GTK_WIDGET (self->kms_feedback), reason != NULL && *key != '\0');
  gtk_label_set_label (self->kms_feedback, reason);
  if (reason != NULL && *key != '\0')
    gtk_widget_add_css_class (GTK_WIDGET (self->kms_key_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->kms_key_row), "error");

  update_buttons (self);
}

/* ---- Step 5: resource tags ---- */

static void
tag_changed_cb (WharfCreateRepositoryDialog *self)
{
  g_autofree char *reason = check_resource_tags (self);

  show_error (self, reason);
  update_buttons (self);
}

static void
add_resource_tag_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  WharfCreateRepositoryDialog *self = WHARF_CREATE_REPOSITORY_DIALOG (widget);
  GtkWidget *box;
  GtkWidget *key_row;
  GtkWidget *value_row;
  GtkWidget *list;

  if (self->tag_rows->len >= WHARF_ECR_RESOURCE_TAGS_MAX)
    {
      show_error (self, _("A repository can have at most 50 resource tags."));
      return;
    }

  /* Key and value side by side, in a boxed list of their own. */
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_set_margin_bottom (list, 6);

  key_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (key_row), _("Key"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (key_row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Tag key"), -1);
  g_signal_connect_object (key_row, "changed", G_CALLBACK (tag_changed_cb), self, G_CONNECT_SWAPPED);

  value_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (value_row), _("Value"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (value_row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Tag value"), -1);
  g_signal_connect_object (value_row, "changed", G_CALLBACK (tag_changed_cb), self, G_CONNECT_SWAPPED);

  gtk_list_box_append (GTK_LIST_BOX (list), key_row);
  gtk_list_box_append (GTK_LIST_BOX (list), value_row);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), list);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (value_row), new_remove_button (box, _("Remove Resource Tag")));
  g_object_set_data (G_OBJECT (box), "key", key_row);
  g_object_set_data (G_OBJECT (box), "value", value_row);

  g_ptr_array_add (self->tag_rows, box);
  adw_preferences_group_add (self->resource_tags_group, box);
  gtk_widget_grab_focus (key_row);
}

/* ---- GObject ---- */

static void
registry_token_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(WharfCreateRepositoryDialog) self = user_data;
  g_autoptr(WharfAuthorizationToken) token = NULL;

  /* Only the address is used; a failure (no permission, say) keeps the usual form. */
  token = wharf_ecr_client_get_authorization_token_finish (WHARF_ECR_CLIENT (object), result, NULL);
  if (token == NULL || self->disposed)
    return;

  g_free (self->registry_host);
  self->registry_host = wharf_commands_endpoint_host (wharf_authorization_token_get_proxy_endpoint (token));
  name_changed_cb (self);
}

WharfCreateRepositoryDialog *
wharf_create_repository_dialog_new (GtkWindow      *parent,
                                    WharfEcrClient *client,
                                    GListStore     *existing,
                                    const char     *account_id)
{
  WharfCreateRepositoryDialog *self;

  g_return_val_if_fail (WHARF_IS_ECR_CLIENT (client), NULL);

  self = g_object_new (WHARF_TYPE_CREATE_REPOSITORY_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->client = g_object_ref (client);
  self->existing = existing != NULL ? g_object_ref (existing) : NULL;
  self->account_id = g_strdup (account_id);

  name_changed_cb (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));

  /* The preview names the address the registry gives (proxyEndpoint), not one made up. */
  wharf_ecr_client_get_authorization_token_async (self->client, self->cancellable,
                                                  registry_token_cb, g_object_ref (self));

  return self;
}

static void
wharf_create_repository_dialog_dispose (GObject *object)
{
  WharfCreateRepositoryDialog *self = WHARF_CREATE_REPOSITORY_DIALOG (object);

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), WHARF_TYPE_CREATE_REPOSITORY_DIALOG);
  g_clear_object (&self->client);
  g_clear_object (&self->existing);

  G_OBJECT_CLASS (wharf_create_repository_dialog_parent_class)->dispose (object);
}

static void
wharf_create_repository_dialog_finalize (GObject *object)
{
  WharfCreateRepositoryDialog *self = WHARF_CREATE_REPOSITORY_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->account_id, g_free);
  g_clear_pointer (&self->registry_host, g_free);
  g_clear_pointer (&self->filter_rows, g_ptr_array_unref);
  g_clear_pointer (&self->tag_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (wharf_create_repository_dialog_parent_class)->finalize (object);
}

static void
wharf_create_repository_dialog_class_init (WharfCreateRepositoryDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wharf_create_repository_dialog_dispose;
  object_class->finalize = wharf_create_repository_dialog_finalize;

  signals[CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, WHARF_TYPE_REPOSITORY);

  g_type_ensure (WHARF_TYPE_PROBLEM_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/wharf-create-repository-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, WharfCreateRepositoryDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, WharfCreateRepositoryDialog, back_button);
  gtk_widget_class_bind_template_child (widget_class, WharfCreateRepositoryDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, WharfCreateRepositoryDialog, next_button);
  gtk_widget_class_bind_template_child (widget_class, WharfCreateRepositoryDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, WharfCreateRepositoryDialog, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, WharfCreateRepositoryDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, WharfCreateRepositoryDialog, error_problem);
  gtk_widget_class_bind_template_child (widget_class, WharfCreateRepositoryDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, WharfCreateRepositoryDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, WharfCreateRepositoryDialog, name_feedback);
  gtk_widget_class_bind_template_child (widget_class, WharfCreateRepositoryDialog, uri_preview_row);
  gtk_widget_class_bind_template_child (widget_class, WharfCreateRepositoryDialog, mutability_list);
  gtk_widget_class_bind_template_child (widget_class, WharfCreateRepositoryDialog, filters_group);
  gtk_widget_class_bind_template_child (widget_class, WharfCreateRepositoryDialog, add_filter_button);
  gtk_widget_class_bind_template_child (widget_class, WharfCreateRepositoryDialog, scan_switch);
  gtk_widget_class_bind_template_child (widget_class, WharfCreateRepositoryDialog, encryption_list);
  gtk_widget_class_bind_template_child (widget_class, WharfCreateRepositoryDialog, kms_group);
  gtk_widget_class_bind_template_child (widget_class, WharfCreateRepositoryDialog, key_list);
  gtk_widget_class_bind_template_child (widget_class, WharfCreateRepositoryDialog, kms_key_row);
  gtk_widget_class_bind_template_child (widget_class, WharfCreateRepositoryDialog, kms_feedback);
  gtk_widget_class_bind_template_child (widget_class, WharfCreateRepositoryDialog, resource_tags_group);
  gtk_widget_class_bind_template_child (widget_class, WharfCreateRepositoryDialog, review_name_row);
  gtk_widget_class_bind_template_child (widget_class, WharfCreateRepositoryDialog, review_tags_row);
  gtk_widget_class_bind_template_child (widget_class, WharfCreateRepositoryDialog, review_scan_row);
  gtk_widget_class_bind_template_child (widget_class, WharfCreateRepositoryDialog, review_encryption_row);
  gtk_widget_class_bind_template_child (widget_class, WharfCreateRepositoryDialog, review_resource_tags_row);
  gtk_widget_class_bind_template_callback (widget_class, page_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, choice_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, encryption_changed_cb);

  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "wizard.add-filter", NULL, add_filter_action);
  gtk_widget_class_install_action (widget_class, "wizard.add-resource-tag", NULL,
                                   add_resource_tag_action);
}

static void
wharf_create_repository_dialog_init (WharfCreateRepositoryDialog *self)
{
  self->cancellable = g_cancellable_new ();
  self->filter_rows = g_ptr_array_new ();
  self->tag_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  wharf_problem_view_connect_fix (self->error_problem, "wizard.next");

  choose (self->mutability_list, MUTABLE);
  choose (self->encryption_list, AES256);
  choose (self->key_list, MANAGED_KEY);
}
