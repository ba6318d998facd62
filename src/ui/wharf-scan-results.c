/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "wharf-scan-results"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wharf-commands.h"
#include "wharf-image-format.h"
#include "wharf-scan-results.h"

/* Polling a running scan: first after 2 s, doubling up to 30 s. */
#define POLL_FIRST_MS 2000
#define POLL_MAX_MS   30000

struct _WharfScanResults
{
  AdwBin              parent_instance;

  GCancellable       *cancellable;      /* per image */
  WharfEcrClient     *client;
  WharfRepository    *repository;
  WharfImage         *image;
  WharfScanResult    *result;
  guint               poll_source;
  guint               poll_interval_ms;
  int                 severity_filter;   /* -1: all */
  GtkFileChooserNative *chooser;

  GtkFilterListModel *filter_model;
  GtkSortListModel   *sort_model;
  GtkCustomFilter    *severity_custom_filter;
  GtkStringFilter    *search_filter;

  GtkStack           *stack;
  GtkSpinner         *loading_spinner;
  AdwStatusPage      *status_page;
  GtkSpinner         *status_spinner;
  GtkWidget          *scan_now_button;
  GtkWidget          *retry_button;
  GtkLabel           *scanned_label;
  GtkLabel           *notice_label;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *sort_dropdown;
  GtkListView        *findings_view;
  GtkStack           *findings_stack;
  AdwStatusPage      *no_findings_page;
  GtkToggleButton    *severity_buttons[WHARF_N_SEVERITIES];
  GtkLabel           *severity_counts[WHARF_N_SEVERITIES];
};

G_DEFINE_FINAL_TYPE (WharfScanResults, wharf_scan_results, ADW_TYPE_BIN)

static void load_findings (WharfScanResults *self);

static const char * const severity_classes[WHARF_N_SEVERITIES] = {
  "critical", "high", "medium", "low", "informational", "undefined",
};

/* ---- Closures of the findings factory ---- */

static char *
severity_label_cb (gpointer      item,
                   WharfSeverity severity)
{
  return g_strdup (wharf_severity_get_label (severity));
}

static char **
severity_css_cb (gpointer      item,
                 WharfSeverity severity)
{
  const char *classes[] = { "wharf-severity",
                            severity < WHARF_N_SEVERITIES ? severity_classes[severity] : "undefined",
                            NULL };

  return g_strdupv ((char **) classes);
}

static gboolean
has_text_cb (gpointer    item,
             const char *text)
{
  return text != NULL && *text != '\0';
}

static char *
advisory_label_cb (gpointer    item,
                   const char *uri)
{
  return g_strdup (_("Advisory"));
}

static char *
package_label_cb (gpointer    item,
                  const char *package,
                  const char *version,
                  double      cvss)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (package != NULL && *package != '\0')
    {
      g_string_append (text, package);
      if (version != NULL && *version != '\0')
        g_string_append_printf (text, " %s", version);
    }
  else
    g_string_append (text, _("No package named"));

  if (cvss >= 0)
    g_string_append_printf (text, " · CVSS %.1f", cvss);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static int
finding_severity_rank (gpointer item)
{
  return wharf_scan_finding_get_severity (WHARF_SCAN_FINDING (item));
}

static char *
finding_search_text (gpointer item)
{
  WharfScanFinding *finding = WHARF_SCAN_FINDING (item);

  return g_strjoin ("\n",
                    wharf_scan_finding_get_name (finding) ?: "",
                    wharf_scan_finding_get_package_name (finding) ?: "",
                    wharf_scan_finding_get_package_version (finding) ?: "",
                    wharf_scan_finding_get_description (finding) ?: "",
                    NULL);
}

/* ---- CSV ---- */

char *
wharf_scan_results_build_csv (GListModel *findings)
{
  g_autoptr(GString) csv = g_string_new (NULL);
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (findings), NULL);

  /* Column names are data for other programs: not translated. */
  g_string_append (csv, "name,severity,package,version,cvss,description,uri\r\n");

  n = g_list_model_get_n_items (findings);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WharfScanFinding) finding = g_list_model_get_item (findings, i);
      const char *fields[7];
      g_autofree char *cvss = NULL;

      if (wharf_scan_finding_get_cvss_score (finding) >= 0)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          cvss = g_strdup (g_ascii_formatd (buf, sizeof buf, "%.1f",
                                            wharf_scan_finding_get_cvss_score (finding)));
        }

      fields[0] = wharf_scan_finding_get_name (finding);
      fields[1] = wharf_severity_to_string (wharf_scan_finding_get_severity (finding));
      fields[2] = wharf_scan_finding_get_package_name (finding);
      fields[3] = wharf_scan_finding_get_package_version (finding);
      fields[4] = cvss;
      fields[5] = wharf_scan_finding_get_description (finding);
      fields[6] = wharf_scan_finding_get_uri (finding);

      for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        {
          g_autofree char *field = wharf_commands_csv_field (fields[f]);

          if (f > 0)
            g_string_append_c (csv, ',');
          g_string_append (csv, field);
        }
      g_string_append (csv, "\r\n");
    }

  return g_string_free (g_steal_pointer (&csv), FALSE);
}

/* ---- State ---- */

static void
stop_polling (WharfScanResults *self)
{
  g_clear_handle_id (&self->poll_source, g_source_remove);
}

static void
show_status (WharfScanResults *self,
             const char       *icon_name,
             const char       *title,
             const char       *description,
             gboolean          spinning,
             gboolean          offer_scan,
             gboolean          offer_retry)
{
  g_autofree char *escaped = description != NULL ? g_markup_escape_text (description, -1) : NULL;

  adw_status_page_set_icon_name (self->status_page, icon_name);
  adw_status_page_set_title (self->status_page, title);
  /* ECR's status texts and error messages are plain text; the page reads markup. */
  adw_status_page_set_description (self->status_page, escaped);
  gtk_widget_set_visible (GTK_WIDGET (self->status_spinner), spinning);
  if (spinning)
    gtk_spinner_start (self->status_spinner);
  else
    gtk_spinner_stop (self->status_spinner);
  gtk_widget_set_visible (self->scan_now_button, offer_scan);
  gtk_widget_set_visible (self->retry_button, offer_retry);
  gtk_stack_set_visible_child_name (self->stack, "status");
}

static GDateTime *
next_allowed_scan (WharfScanResults *self)
{
  GDateTime *base = NULL;

  if (self->result != NULL)
    base = wharf_scan_result_get_completed_at (self->result);
  if (base == NULL && self->image != NULL)
    base = wharf_image_get_scan_completed_at (self->image);
  if (base == NULL && self->image != NULL)
    base = wharf_image_get_pushed_at (self->image);
  if (base == NULL)
    return NULL;

  return g_date_time_add (base, G_TIME_SPAN_DAY);
}

static char *
limit_message (WharfScanResults *self)
{
  g_autoptr(GDateTime) next = next_allowed_scan (self);
  g_autofree char *exact = NULL;
  g_autofree char *relative = NULL;

  if (next == NULL)
    return g_strdup (_("Amazon ECR scans an image at most once every 24 hours. Try again tomorrow."));

  exact = wharf_format_exact_date (next);
  relative = wharf_format_relative_date (next, NULL);

  /* Translators: the first %s is a date and time, the second "in 5 hours". */
  return g_strdup_printf (_("Amazon ECR scans an image at most once every 24 hours. "
                            "The next scan of this image is possible after %s (%s)."),
                          exact, relative);
}

static void
update_counts (WharfScanResults *self)
{
  int counts[WHARF_N_SEVERITIES] = { 0 };
  GListModel *findings = wharf_scan_result_get_findings (self->result);

  if (!wharf_scan_result_get_counts (self->result, counts))
    {
      guint n = g_list_model_get_n_items (findings);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(WharfScanFinding) finding = g_list_model_get_item (findings, i);
          WharfSeverity s = wharf_scan_finding_get_severity (finding);

          if (s < WHARF_N_SEVERITIES)
            counts[s]++;
        }
    }

  for (guint s = 0; s < WHARF_N_SEVERITIES; s++)
    {
      g_autofree char *number = g_strdup_printf ("%d", counts[s]);
      g_autofree char *accessible = g_strdup_printf ("%s: %d", wharf_severity_get_label (s),
                                                     counts[s]);

      gtk_label_set_text (self->severity_counts[s], number);
      gtk_widget_set_opacity (GTK_WIDGET (self->severity_counts[s]), counts[s] > 0 ? 1.0 : 0.45);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->severity_buttons[s]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                      -1);
    }
}

static void
update_findings_page (WharfScanResults *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->sort_model));
  guint total = self->result != NULL
    ? g_list_model_get_n_items (wharf_scan_result_get_findings (self->result)) : 0;

  if (shown > 0)
    {
      gtk_stack_set_visible_child_name (self->findings_stack, "list");
      return;
    }

  if (total == 0)
    {
      adw_status_page_set_title (self->no_findings_page, _("No Findings"));
      adw_status_page_set_description (self->no_findings_page,
                                       _("The scan found no known vulnerabilities in this image."));
    }
  else
    {
      adw_status_page_set_title (self->no_findings_page, _("No Matching Findings"));
      adw_status_page_set_description (self->no_findings_page,
                                       _("Try another search or severity."));
    }
  gtk_stack_set_visible_child_name (self->findings_stack, "none");
}

static void
show_result (WharfScanResults *self)
{
  g_autofree char *completed = NULL;
  g_autofree char *source = NULL;
  g_autoptr(GString) info = g_string_new (NULL);
  GDateTime *completed_at = wharf_scan_result_get_completed_at (self->result);
  GDateTime *source_at = wharf_scan_result_get_vulnerability_source_updated_at (self->result);

  gtk_filter_list_model_set_model (self->filter_model, wharf_scan_result_get_findings (self->result));
  update_counts (self);

  if (completed_at != NULL)
    {
      completed = wharf_format_relative_date (completed_at, NULL);
      g_string_append_printf (info, _("Scanned %s"), completed);
    }
  gtk_label_set_text (self->scanned_label, info->str);

  g_string_truncate (info, 0);
  if (completed_at != NULL)
    {
      g_autofree char *exact = wharf_format_exact_date (completed_at);

      g_string_append_printf (info, _("Scan completed on %s"), exact);
    }
  if (source_at != NULL)
    {
      source = wharf_format_exact_date (source_at);
      if (info->len > 0)
        g_string_append_c (info, '\n');
      g_string_append_printf (info, _("Vulnerability data of %s"), source);
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->scanned_label), info->len > 0 ? info->str : NULL);

  update_findings_page (self);
  gtk_stack_set_visible_child_name (self->stack, "results");
}

/* A scan that did not start: over a finished scan's findings, a notice above them (the
 * findings stay useful); otherwise a status page. */
static void
show_scan_not_started (WharfScanResults *self,
                       const char       *notice,
                       const char       *icon_name,
                       const char       *title,
                       const char       *description,
                       gboolean          offer_scan)
{
  if (self->result != NULL &&
      wharf_scan_result_get_status (self->result) == WHARF_SCAN_STATUS_COMPLETE)
    {
      gtk_label_set_text (self->notice_label, notice);
      gtk_widget_set_visible (GTK_WIDGET (self->notice_label), TRUE);
      show_result (self);
    }
  else
    show_status (self, icon_name, title, description, FALSE, offer_scan, FALSE);
}

static void
set_image_summary_from_result (WharfScanResults *self)
{
  int counts[WHARF_N_SEVERITIES];
  gboolean has_counts;

  if (self->image == NULL || self->result == NULL)
    return;

  has_counts = wharf_scan_result_get_counts (self->result, counts);
  wharf_image_set_scan_summary (self->image,
                                wharf_scan_result_get_status (self->result),
                                wharf_scan_result_get_description (self->result),
                                has_counts ? counts : NULL,
                                wharf_scan_result_get_completed_at (self->result));
}

static gboolean
poll_cb (gpointer user_data)
{
  WharfScanResults *self = user_data;

  self->poll_source = 0;
  load_findings (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_poll (WharfScanResults *self)
{
  stop_polling (self);
  if (self->poll_interval_ms == 0)
    self->poll_interval_ms = POLL_FIRST_MS;
  else
    self->poll_interval_ms = MIN (self->poll_interval_ms * 2, POLL_MAX_MS);

  self->poll_source = g_timeout_add (self->poll_interval_ms, poll_cb, self);
}

static void
show_in_progress (WharfScanResults *self)
{
  show_status (self, "security-medium-symbolic", _("Scanning…"),
               _("Amazon ECR is scanning this image. The results appear here when the scan "
                 "is done."),
               TRUE, FALSE, FALSE);
}

static void
handle_result (WharfScanResults *self)
{
  WharfScanStatus status = wharf_scan_result_get_status (self->result);
  const char *description = wharf_scan_result_get_description (self->result);

  set_image_summary_from_result (self);

  switch (status)
    {
    case WHARF_SCAN_STATUS_IN_PROGRESS:
    case WHARF_SCAN_STATUS_PENDING:
      show_in_progress (self);
      schedule_poll (self);
      return;

    case WHARF_SCAN_STATUS_COMPLETE:
    case WHARF_SCAN_STATUS_ACTIVE:
      self->poll_interval_ms = 0;
      show_result (self);
      return;

    case WHARF_SCAN_STATUS_UNSUPPORTED_IMAGE:
      show_status (self, "action-unavailable-symbolic", _("This Image Cannot Be Scanned"),
                   description != NULL ? description
                                       : _("Amazon ECR does not support scanning this kind of image."),
                   FALSE, FALSE, FALSE);
      return;

    case WHARF_SCAN_STATUS_FAILED:
      {
        g_autofree char *text = g_strdup_printf (_("Amazon ECR could not scan this image: %s"),
                                                 description != NULL ? description
                                                                     : _("no reason was given."));

        show_status (self, "dialog-warning-symbolic", _("The Scan Failed"), text,
                     FALSE, TRUE, FALSE);
      }
      return;

    case WHARF_SCAN_STATUS_LIMIT_EXCEEDED:
      {
        g_autofree char *text = limit_message (self);

        show_status (self, "alarm-symbolic", _("Daily Scan Limit Reached"), text,
                     FALSE, FALSE, FALSE);
      }
      return;

    case WHARF_SCAN_STATUS_NONE:
      show_status (self, "security-medium-symbolic", _("Not Scanned Yet"),
                   _("Scan this image to find known vulnerabilities in its operating system "
                     "packages."),
                   FALSE, TRUE, FALSE);
      return;

    case WHARF_SCAN_STATUS_SCAN_ELIGIBILITY_EXPIRED:
    case WHARF_SCAN_STATUS_FINDINGS_UNAVAILABLE:
    case WHARF_SCAN_STATUS_IMAGE_ARCHIVED:
    case WHARF_SCAN_STATUS_UNKNOWN:
    default:
      show_status (self, "dialog-information-symbolic",
                   wharf_scan_status_get_label (status),
                   description != NULL ? description : _("Amazon ECR has no findings for this image."),
                   FALSE, FALSE, FALSE);
      return;
    }
}

static gboolean
is_aws_code (const GError *error,
             const char   *code)
{
  return error != NULL && error->domain == WHARF_AWS_ERROR &&
         g_strcmp0 (wharf_aws_error_get_aws_code (error), code) == 0;
}

static void
describe_findings_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  WharfScanResults *self;
  g_autoptr(WharfScanResult) scan = NULL;
  g_autoptr(GError) error = NULL;

  scan = wharf_ecr_client_describe_image_scan_findings_finish (WHARF_ECR_CLIENT (object),
                                                               result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = WHARF_SCAN_RESULTS (user_data);

  if (is_aws_code (error, "ScanNotFoundException"))
    {
      if (self->image != NULL)
        wharf_image_set_scan_summary (self->image, WHARF_SCAN_STATUS_NONE, NULL, NULL, NULL);
      show_status (self, "security-medium-symbolic", _("Not Scanned Yet"),
                   _("Scan this image to find known vulnerabilities in its operating system "
                     "packages."),
                   FALSE, TRUE, FALSE);
      return;
    }

  if (error != NULL)
    {
      show_status (self, "dialog-error-symbolic", _("Could Not Load the Findings"),
                   error->message, FALSE, FALSE, TRUE);
      return;
    }

  g_set_object (&self->result, scan);
  handle_result (self);
}

static void
load_findings (WharfScanResults *self)
{
  g_autoptr(WharfImageId) id = NULL;

  if (self->image == NULL || self->client == NULL || self->repository == NULL)
    return;

  if (self->result == NULL)
    {
      gtk_spinner_start (self->loading_spinner);
      gtk_stack_set_visible_child_name (self->stack, "loading");
    }

  id = wharf_image_id_new (wharf_image_get_digest (self->image), NULL);
  wharf_ecr_client_describe_image_scan_findings_async (self->client,
                                                       wharf_repository_get_name (self->repository),
                                                       id, TRUE, self->cancellable,
                                                       describe_findings_cb, self);
}

static void
start_scan_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  WharfScanResults *self;
  g_autoptr(GError) error = NULL;
  WharfScanStatus status;

  status = wharf_ecr_client_start_image_scan_finish (WHARF_ECR_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = WHARF_SCAN_RESULTS (user_data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "image.scan-now", TRUE);

  if (is_aws_code (error, "LimitExceededException") ||
      (error != NULL && g_error_matches (error, WHARF_AWS_ERROR, WHARF_AWS_ERROR_LIMIT_EXCEEDED)))
    {
      g_autofree char *text = limit_message (self);

      show_scan_not_started (self, text, "alarm-symbolic", _("Daily Scan Limit Reached"), text,
                             FALSE);
      return;
    }

  if (is_aws_code (error, "UnsupportedImageTypeException"))
    {
      show_status (self, "action-unavailable-symbolic", _("This Image Cannot Be Scanned"),
                   wharf_aws_error_get_aws_message (error) ?: error->message,
                   FALSE, FALSE, FALSE);
      return;
    }

  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Could not start the scan: %s"), error->message);

      show_scan_not_started (self, text, "dialog-error-symbolic", _("Could Not Start the Scan"),
                             error->message, TRUE);
      return;
    }

  g_clear_object (&self->result);
  if (self->image != NULL)
    wharf_image_set_scan_summary (self->image, status, NULL, NULL, NULL);
  show_in_progress (self);
  self->poll_interval_ms = 0;
  schedule_poll (self);
}

void
wharf_scan_results_start_scan (WharfScanResults *self)
{
  g_autoptr(WharfImageId) id = NULL;

  g_return_if_fail (WHARF_IS_SCAN_RESULTS (self));

  if (self->image == NULL || self->client == NULL || self->repository == NULL)
    return;

  stop_polling (self);
  gtk_widget_set_visible (GTK_WIDGET (self->notice_label), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "image.scan-now", FALSE);

  id = wharf_image_id_new (wharf_image_get_digest (self->image), NULL);
  wharf_ecr_client_start_image_scan_async (self->client,
                                           wharf_repository_get_name (self->repository),
                                           id, self->cancellable, start_scan_cb, self);
}

void
wharf_scan_results_set_image (WharfScanResults *self,
                              WharfEcrClient   *client,
                              WharfRepository  *repository,
                              WharfImage       *image)
{
  g_return_if_fail (WHARF_IS_SCAN_RESULTS (self));

  if (image != NULL && image == self->image && self->result != NULL)
    return;

  stop_polling (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->poll_interval_ms = 0;

  g_set_object (&self->client, client);
  g_set_object (&self->repository, repository);
  g_set_object (&self->image, image);
  g_clear_object (&self->result);
  gtk_filter_list_model_set_model (self->filter_model, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->notice_label), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "image.scan-now", image != NULL);

  if (image == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  load_findings (self);
}

WharfImage *
wharf_scan_results_get_image (WharfScanResults *self)
{
  g_return_val_if_fail (WHARF_IS_SCAN_RESULTS (self), NULL);

  return self->image;
}

WharfScanResult *
wharf_scan_results_get_result (WharfScanResults *self)
{
  g_return_val_if_fail (WHARF_IS_SCAN_RESULTS (self), NULL);

  return self->result;
}

/* ---- Filtering and sorting ---- */

static gboolean
severity_filter_func (gpointer item,
                      gpointer user_data)
{
  WharfScanResults *self = user_data;

  return self->severity_filter < 0 ||
         (int) wharf_scan_finding_get_severity (WHARF_SCAN_FINDING (item)) == self->severity_filter;
}

static void
severity_toggled_cb (WharfScanResults *self,
                     GtkToggleButton  *button)
{
  static gboolean updating;
  int severity = -1;

  if (updating)
    return;

  updating = TRUE;
  for (guint s = 0; s < WHARF_N_SEVERITIES; s++)
    {
      if (self->severity_buttons[s] == button && gtk_toggle_button_get_active (button))
        severity = s;
      else
        gtk_toggle_button_set_active (self->severity_buttons[s], FALSE);
    }
  updating = FALSE;

  self->severity_filter = severity;
  gtk_filter_changed (GTK_FILTER (self->severity_custom_filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_findings_page (self);
}

static void
search_changed_cb (WharfScanResults *self,
                   GtkSearchEntry   *entry)
{
  gtk_string_filter_set_search (self->search_filter,
                                gtk_editable_get_text (GTK_EDITABLE (entry)));
  update_findings_page (self);
}

static GtkSorter *
create_sorter (guint choice)
{
  GtkMultiSorter *sorter = gtk_multi_sorter_new ();
  GtkExpression *severity;
  GtkExpression *name;
  GtkExpression *package;

  severity = gtk_cclosure_expression_new (G_TYPE_INT, NULL, 0, NULL,
                                          G_CALLBACK (finding_severity_rank), NULL, NULL);
  name = gtk_property_expression_new (WHARF_TYPE_SCAN_FINDING, NULL, "name");
  package = gtk_property_expression_new (WHARF_TYPE_SCAN_FINDING, NULL, "package-name");

  switch (choice)
    {
    case 1:
      gtk_multi_sorter_append (sorter, GTK_SORTER (gtk_string_sorter_new (gtk_expression_ref (name))));
      break;
    case 2:
      gtk_multi_sorter_append (sorter, GTK_SORTER (gtk_string_sorter_new (gtk_expression_ref (package))));
      gtk_multi_sorter_append (sorter, GTK_SORTER (gtk_numeric_sorter_new (gtk_expression_ref (severity))));
      break;
    default:
      gtk_multi_sorter_append (sorter, GTK_SORTER (gtk_numeric_sorter_new (gtk_expression_ref (severity))));
      break;
    }
  gtk_multi_sorter_append (sorter, GTK_SORTER (gtk_string_sorter_new (gtk_expression_ref (name))));

  gtk_expression_unref (severity);
  gtk_expression_unref (name);
  gtk_expression_unref (package);

  return GTK_SORTER (sorter);
}

static void
sort_changed_cb (WharfScanResults *self)
{
  g_autoptr(GtkSorter) sorter = create_sorter (gtk_drop_down_get_selected (self->sort_dropdown));

  gtk_sort_list_model_set_sorter (self->sort_model, sorter);
}

/* ---- Actions ---- */

static void
scan_now_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  wharf_scan_results_start_scan (WHARF_SCAN_RESULTS (widget));
}

static void
reload_findings_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  WharfScanResults *self = WHARF_SCAN_RESULTS (widget);

  stop_polling (self);
  load_findings (self);
}

static void
replace_contents_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkWidget) widget = user_data;
  g_autofree char *text = NULL;
  GtkWidget *overlay;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    text = g_strdup_printf (_("Could not save the findings: %s"), error->message);
  else
    {
      g_autofree char *name = g_file_get_basename (G_FILE (object));

      text = g_strdup_printf (_("Findings saved to “%s”"), name);
    }

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (text, -1);

      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (escaped));
    }
}

static void
chooser_response_cb (WharfScanResults     *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GtkSortListModel) sorted = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *csv;

  if (response == GTK_RESPONSE_ACCEPT && self->result != NULL)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      /* Every finding, most severe first, whatever the filter shows. */
      sorted = gtk_sort_list_model_new (g_object_ref (wharf_scan_result_get_findings (self->result)),
                                        create_sorter (0));
      csv = wharf_scan_results_build_csv (G_LIST_MODEL (sorted));
      bytes = g_bytes_new_take (csv, strlen (csv));

      g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                           G_FILE_CREATE_REPLACE_DESTINATION,
                                           self->cancellable, replace_contents_cb,
                                           g_object_ref (self));
    }

  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (chooser));
  g_clear_object (&self->chooser);
}

static void
export_findings_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  WharfScanResults *self = WHARF_SCAN_RESULTS (widget);
  g_autofree char *name = NULL;
  g_autofree char *short_name = NULL;
  const char * const *tags;
  GtkRoot *root;

  if (self->result == NULL || self->image == NULL || self->chooser != NULL)
    return;

  root = gtk_widget_get_root (widget);
  self->chooser = gtk_file_chooser_native_new (_("Export Findings"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);

  tags = wharf_image_get_tags (self->image);
  if (tags[0] != NULL)
    short_name = g_strdup (tags[0]);
  else
    {
      const char *digest = wharf_image_get_digest (self->image);
      const char *colon = strchr (digest, ':');

      short_name = g_strndup (colon != NULL ? colon + 1 : digest, 12);
    }
  name = g_strdup_printf ("%s-%s-findings.csv",
                          wharf_repository_get_short_name (self->repository), short_name);
  g_strdelimit (name, "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);

  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ---- GObject ---- */

static void
wharf_scan_results_dispose (GObject *object)
{
  WharfScanResults *self = WHARF_SCAN_RESULTS (object);

  stop_polling (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->result);
  g_clear_object (&self->image);
  g_clear_object (&self->repository);
  g_clear_object (&self->client);

  /* The template's root is both a bound child and AdwBin's child: let AdwBin drop it
   * first, so that it is not unparented twice. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), WHARF_TYPE_SCAN_RESULTS);

  g_clear_object (&self->sort_model);

  G_OBJECT_CLASS (wharf_scan_results_parent_class)->dispose (object);
}

static void
wharf_scan_results_class_init (WharfScanResultsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wharf_scan_results_dispose;

  g_type_ensure (WHARF_TYPE_SCAN_FINDING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/wharf-scan-results.ui");
  gtk_widget_class_bind_template_child (widget_class, WharfScanResults, stack);
  gtk_widget_class_bind_template_child (widget_class, WharfScanResults, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, WharfScanResults, status_page);
  gtk_widget_class_bind_template_child (widget_class, WharfScanResults, status_spinner);
  gtk_widget_class_bind_template_child (widget_class, WharfScanResults, scan_now_button);
  gtk_widget_class_bind_template_child (widget_class, WharfScanResults, retry_button);
  gtk_widget_class_bind_template_child (widget_class, WharfScanResults, scanned_label);
  gtk_widget_class_bind_template_child (widget_class, WharfScanResults, notice_label);
  gtk_widget_class_bind_template_child (widget_class, WharfScanResults, search_entry);
  gtk_widget_class_bind_template_child (widget_class, WharfScanResults, sort_dropdown);
  gtk_widget_class_bind_template_child (widget_class, WharfScanResults, findings_view);
  gtk_widget_class_bind_template_child (widget_class, WharfScanResults, findings_stack);
  gtk_widget_class_bind_template_child (widget_class, WharfScanResults, no_findings_page);
  gtk_widget_class_bind_template_child_full (widget_class, "critical_button", FALSE,
                                             G_STRUCT_OFFSET (WharfScanResults, severity_buttons[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "high_button", FALSE,
                                             G_STRUCT_OFFSET (WharfScanResults, severity_buttons[1]));
  gtk_widget_class_bind_template_child_full (widget_class, "medium_button", FALSE,
                                             G_STRUCT_OFFSET (WharfScanResults, severity_buttons[2]));
  gtk_widget_class_bind_template_child_full (widget_class, "low_button", FALSE,
                                             G_STRUCT_OFFSET (WharfScanResults, severity_buttons[3]));
  gtk_widget_class_bind_template_child_full (widget_class, "informational_button", FALSE,
                                             G_STRUCT_OFFSET (WharfScanResults, severity_buttons[4]));
  gtk_widget_class_bind_template_child_full (widget_class, "undefined_button", FALSE,
                                             G_STRUCT_OFFSET (WharfScanResults, severity_buttons[5]));
  gtk_widget_class_bind_template_child_full (widget_class, "critical_count", FALSE,
                                             G_STRUCT_OFFSET (WharfScanResults, severity_counts[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "high_count", FALSE,
                                             G_STRUCT_OFFSET (WharfScanResults, severity_counts[1]));
  gtk_widget_class_bind_template_child_full (widget_class, "medium_count", FALSE,
                                             G_STRUCT_OFFSET (WharfScanResults, severity_counts[2]));
  gtk_widget_class_bind_template_child_full (widget_class, "low_count", FALSE,
                                             G_STRUCT_OFFSET (WharfScanResults, severity_counts[3]));
  gtk_widget_class_bind_template_child_full (widget_class, "informational_count", FALSE,
                                             G_STRUCT_OFFSET (WharfScanResults, severity_counts[4]));
  gtk_widget_class_bind_template_child_full (widget_class, "undefined_count", FALSE,
                                             G_STRUCT_OFFSET (WharfScanResults, severity_counts[5]));
  gtk_widget_class_bind_template_callback (widget_class, severity_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sort_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, severity_label_cb);
  gtk_widget_class_bind_template_callback (widget_class, severity_css_cb);
  gtk_widget_class_bind_template_callback (widget_class, has_text_cb);
  gtk_widget_class_bind_template_callback (widget_class, advisory_label_cb);
  gtk_widget_class_bind_template_callback (widget_class, package_label_cb);

  gtk_widget_class_install_action (widget_class, "image.scan-now", NULL, scan_now_action);
  gtk_widget_class_install_action (widget_class, "image.reload-findings", NULL, reload_findings_action);
  gtk_widget_class_install_action (widget_class, "image.export-findings", NULL, export_findings_action);
}

static void
wharf_scan_results_init (WharfScanResults *self)
{
  g_autoptr(GtkEveryFilter) filter = NULL;
  GtkExpression *search;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->severity_filter = -1;

  self->severity_custom_filter = gtk_custom_filter_new (severity_filter_func, self, NULL);
  search = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                        G_CALLBACK (finding_search_text), NULL, NULL);
  self->search_filter = gtk_string_filter_new (search);
  gtk_string_filter_set_match_mode (self->search_filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  gtk_string_filter_set_ignore_case (self->search_filter, TRUE);

  filter = gtk_every_filter_new ();
  gtk_multi_filter_append (GTK_MULTI_FILTER (filter), GTK_FILTER (self->severity_custom_filter));
  gtk_multi_filter_append (GTK_MULTI_FILTER (filter), GTK_FILTER (self->search_filter));

  self->filter_model = gtk_filter_list_model_new (NULL, GTK_FILTER (g_steal_pointer (&filter)));
  self->sort_model = gtk_sort_list_model_new (G_LIST_MODEL (self->filter_model), create_sorter (0));
  gtk_list_view_set_model (self->findings_view,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->sort_model)))));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "image.scan-now", FALSE);
}
