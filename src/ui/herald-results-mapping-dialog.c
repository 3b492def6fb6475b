/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-results-mapping"

#include "config.h"

#include <glib/gi18n.h>

#include "herald-results-mapping-dialog.h"

/* Recipients' activity or orders from any CSV: the columns Herald found,
 * each changeable, with a value of the file beside it, then the import
 * in a worker thread that Cancel stops. */

struct _HeraldResultsMappingDialog
{
  AdwWindow             parent_instance;

  AdwEntryRow          *campaign_row;
  AdwPreferencesGroup  *campaign_group;
  AdwPreferencesGroup  *columns_group;
  GtkButton            *import_button;
  GtkLabel             *problem_label;
  GtkSpinner           *spinner;
  AdwWindowTitle       *window_title;

  HeraldWorkspace      *workspace;
  char                 *path;
  HeraldResultsMapping *mapping;
  AdwComboRow          *rows[HERALD_RESULTS_N_COLUMNS];
  GCancellable         *cancellable;
};

G_DEFINE_FINAL_TYPE (HeraldResultsMappingDialog, herald_results_mapping_dialog, ADW_TYPE_WINDOW)

enum
{
  IMPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
campaign_name (HeraldResultsMappingDialog *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->campaign_row));

  return gtk_widget_get_visible (GTK_WIDGET (self->campaign_group)) && *name != '\0' ? name : NULL;
}

/* The mapping as the rows have it; Import only when it is complete. */
static void
check_mapping (HeraldResultsMappingDialog *self)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  for (guint c = 0; c < HERALD_RESULTS_N_COLUMNS; c++)
    if (self->rows[c] != NULL)
      self->mapping->columns[c] = (int) adw_combo_row_get_selected (self->rows[c]) - 1;
  if (self->mapping->preset == HERALD_RESULTS_PRESET_ACTIVITY)
    gtk_widget_set_visible (GTK_WIDGET (self->campaign_group),
                            self->mapping->columns[HERALD_RESULTS_COLUMN_CAMPAIGN] < 0);
  ok = herald_results_mapping_check (self->mapping, campaign_name (self), &error);
  gtk_label_set_label (self->problem_label, ok ? "" : error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), !ok);
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), ok && self->cancellable == NULL);
}

/* A value from the file's first rows, to tell what a column holds. */
static char *
sample_of (HeraldResultsMapping *mapping,
           int                   column)
{
  for (guint r = 0; column >= 0 && r < mapping->samples->len; r++)
    {
      GStrv row = mapping->samples->pdata[r];

      if ((guint) column < g_strv_length (row) && *row[column] != '\0')
        /* Translators: a value of the file, such as “e.g. anna@example.com”. */
        return g_strdup_printf (_("e.g. %s"), row[column]);
    }
  return g_strdup ("");
}

static void
column_selected_cb (AdwComboRow                *row,
                    GParamSpec                 *pspec,
                    HeraldResultsMappingDialog *self)
{
  g_autofree char *sample = sample_of (self->mapping, (int) adw_combo_row_get_selected (row) - 1);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sample);
  check_mapping (self);
}

static void
build_rows (HeraldResultsMappingDialog *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  /* Translators: a choice for a column the file does not have. */
  gtk_string_list_append (names, _("Not in the File"));
  for (guint i = 0; self->mapping->header[i] != NULL; i++)
    gtk_string_list_append (names, self->mapping->header[i]);

  for (guint c = 0; c < HERALD_RESULTS_N_COLUMNS; c++)
    {
      AdwComboRow *row;

      if (!herald_results_column_used (self->mapping->preset, c))
        continue;
      row = ADW_COMBO_ROW (adw_combo_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), herald_results_column_label (c));
      adw_combo_row_set_model (row, G_LIST_MODEL (names));
      adw_combo_row_set_selected (row, (guint) (self->mapping->columns[c] + 1));
      g_signal_connect_object (row, "notify::selected", G_CALLBACK (column_selected_cb), self, 0);
      adw_preferences_group_add (self->columns_group, GTK_WIDGET (row));
      self->rows[c] = row;
      column_selected_cb (row, NULL, self);
    }
}

static void
cancel_clicked_cb (HeraldResultsMappingDialog *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
import_finished_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(HeraldResultsMappingDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldResultsReport) report = herald_results_import_finish (HERALD_WORKSPACE (source), result, &error);
  g_autofree char *summary = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  gtk_spinner_stop (self->spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  if (report == NULL)
    {
      gtk_label_set_label (self->problem_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->problem_label), TRUE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), TRUE);
      return;
    }
  summary = herald_results_report_describe (report);
  g_signal_emit (self, signals[IMPORTED], 0, report->campaigns != NULL ? report->campaigns[0] : NULL, summary);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
import_clicked_cb (HeraldResultsMappingDialog *self)
{
  check_mapping (self);
  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->import_button)))
    return;
  self->cancellable = g_cancellable_new ();
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_start (self->spinner);
  herald_results_import_async (self->workspace, self->path, self->mapping->preset, self->mapping,
                               campaign_name (self), self->cancellable, import_finished_cb, g_object_ref (self));
}

static void
herald_results_mapping_dialog_dispose (GObject *object)
{
  HeraldResultsMappingDialog *self = HERALD_RESULTS_MAPPING_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), HERALD_TYPE_RESULTS_MAPPING_DIALOG);
  G_OBJECT_CLASS (herald_results_mapping_dialog_parent_class)->dispose (object);
}

static void
herald_results_mapping_dialog_finalize (GObject *object)
{
  HeraldResultsMappingDialog *self = HERALD_RESULTS_MAPPING_DIALOG (object);

  g_clear_object (&self->workspace);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->mapping, herald_results_mapping_free);
  g_free (self->path);
  G_OBJECT_CLASS (herald_results_mapping_dialog_parent_class)->finalize (object);
}

static void
herald_results_mapping_dialog_class_init (HeraldResultsMappingDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = herald_results_mapping_dialog_dispose;
  object_class->finalize = herald_results_mapping_dialog_finalize;

  /**
   * HeraldResultsMappingDialog::imported:
   * @campaign: (nullable): the first campaign the file was about
   * @summary: what the import did, for the user
   */
  signals[IMPORTED] = g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/heraldapp/Herald/herald-results-mapping-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HeraldResultsMappingDialog, campaign_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldResultsMappingDialog, campaign_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldResultsMappingDialog, columns_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldResultsMappingDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldResultsMappingDialog, problem_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldResultsMappingDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, HeraldResultsMappingDialog, window_title);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, check_mapping);
  gtk_widget_class_bind_template_callback (widget_class, import_clicked_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
herald_results_mapping_dialog_init (HeraldResultsMappingDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * herald_results_mapping_dialog_new:
 * @mapping: what herald_results_mapping_detect() found in @path: an
 *   activity or orders file
 */
HeraldResultsMappingDialog *
herald_results_mapping_dialog_new (HeraldWorkspace            *workspace,
                                   const char                 *path,
                                   const HeraldResultsMapping *mapping)
{
  HeraldResultsMappingDialog *self = g_object_new (HERALD_TYPE_RESULTS_MAPPING_DIALOG, NULL);
  g_autofree char *name = g_filename_display_basename (path);
  g_autofree char *description = NULL;
  gboolean orders = mapping->preset == HERALD_RESULTS_PRESET_ORDERS;
  guint days = herald_results_get_attribution_window (workspace);

  g_return_val_if_fail (orders || mapping->preset == HERALD_RESULTS_PRESET_ACTIVITY, NULL);

  self->workspace = g_object_ref (workspace);
  self->path = g_strdup (path);
  self->mapping = herald_results_mapping_copy (mapping);

  gtk_window_set_title (GTK_WINDOW (self), orders ? _("Import Orders") : _("Import Activity"));
  adw_window_title_set_title (self->window_title, orders ? _("Import Orders") : _("Import Activity"));
  adw_window_title_set_subtitle (self->window_title, name);
  if (orders)
    description = g_strdup_printf (ngettext ("Each order goes to the campaign whose email the buyer last opened or "
                                             "clicked within %u day before buying. Orders of people who are not in "
                                             "the audience are left out.",
                                             "Each order goes to the campaign whose email the buyer last opened or "
                                             "clicked within %u days before buying. Orders of people who are not in "
                                             "the audience are left out.",
                                             (gulong) days),
                                   days);
  else
    description = g_strdup (_("What each recipient did: opens, clicks, bounces, unsubscribes. Rows about people who "
                              "are not in the audience are left out; importing the file again adds nothing twice."));
  adw_preferences_group_set_description (self->columns_group, description);
  gtk_widget_set_visible (GTK_WIDGET (self->campaign_group), !orders);
  build_rows (self);
  check_mapping (self);
  return self;
}
