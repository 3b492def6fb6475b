/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-import-assistant"

#include "config.h"

#include <glib/gi18n.h>

#include "herald-core.h"
#include "herald-import-assistant.h"

#define MAX_REJECTED_SHOWN 200

/* A column can become one of these; the combo rows list them in this
 * order, the standard fields after the special kinds. */
static const struct {
  HeraldColumnKind kind;
  const char      *label;
} special_targets[] = {
  { HERALD_COLUMN_IGNORE, N_("Leave Out") },
  { HERALD_COLUMN_CUSTOM, N_("Custom Field") },
  { HERALD_COLUMN_TAGS, N_("Tags") },
  { HERALD_COLUMN_OPTIN_TIME, N_("Opt-in Time") },
  { HERALD_COLUMN_CONFIRM_TIME, N_("Confirmation Time (Double Opt-in)") },
  { HERALD_COLUMN_CONSENT_EVIDENCE, N_("Consent Evidence") },
  { HERALD_COLUMN_OPTED_OUT, N_("Unsubscribed (Yes or No)") },
};

/* updated_at is Herald's own and never comes from a file. */
#define N_FIELD_TARGETS (HERALD_N_CONTACT_FIELDS - 1)

struct _HeraldImportAssistant
{
  AdwWindow            parent_instance;

  HeraldWorkspace     *workspace;
  HeraldContactImport *import;
  HeraldImportReport  *report;
  GCancellable        *cancellable;
  char                *path;
  GPtrArray           *column_rows;
  gboolean             updating;

  /* Template widgets */
  GtkWidget           *back_button;
  AdwPreferencesGroup *columns_group;
  GtkSwitch           *consent_switch;
  GtkSwitch           *domains_switch;
  AdwComboRow         *delimiter_row;
  AdwComboRow         *encoding_row;
  AdwEntryRow         *evidence_row;
  GtkWidget           *next_button;
  AdwComboRow         *policy_row;
  AdwComboRow         *preset_row;
  GtkProgressBar      *progress_bar;
  AdwPreferencesGroup *rejected_group;
  GtkStack            *stack;
  AdwPreferencesGroup *summary_group;
  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
};

G_DEFINE_FINAL_TYPE (HeraldImportAssistant, herald_import_assistant, ADW_TYPE_WINDOW)

enum {
  IMPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static guint
target_for_column (HeraldImportAssistant *self,
                   guint                  column)
{
  HeraldContactField field;
  HeraldColumnKind kind = herald_contact_import_get_column (self->import, column, &field);

  if (kind == HERALD_COLUMN_FIELD)
    return G_N_ELEMENTS (special_targets) + field;

  for (guint i = 0; i < G_N_ELEMENTS (special_targets); i++)
    if (special_targets[i].kind == kind)
      return i;

  return 0;
}

static GListModel *
new_target_model (void)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (special_targets); i++)
    gtk_string_list_append (list, _(special_targets[i].label));
  for (guint f = 0; f < N_FIELD_TARGETS; f++)
    gtk_string_list_append (list, herald_contact_field_label (f));

  return G_LIST_MODEL (list);
}

static void
sync_column_rows (HeraldImportAssistant *self)
{
  self->updating = TRUE;
  for (guint i = 0; i < self->column_rows->len; i++)
    adw_combo_row_set_selected (g_ptr_array_index (self->column_rows, i), target_for_column (self, i));
  self->updating = FALSE;
}

static void
column_target_changed_cb (AdwComboRow           *row,
                          GParamSpec            *pspec,
                          HeraldImportAssistant *self)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "column"));
  guint target = adw_combo_row_get_selected (row);

  if (self->updating || target == GTK_INVALID_LIST_POSITION)
    return;

  if (target < G_N_ELEMENTS (special_targets))
    herald_contact_import_set_column (self->import, column, special_targets[target].kind, 0);
  else
    herald_contact_import_set_column (self->import, column, HERALD_COLUMN_FIELD,
                                      target - G_N_ELEMENTS (special_targets));

  /* A field taken from another column shows that column's new role. */
  sync_column_rows (self);
}

static char *
preview_text (HeraldImportAssistant *self,
              guint                  column)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) values = NULL;
  guint n = herald_contact_import_get_n_preview_rows (self->import);

  for (guint r = 0; r < MIN (n, 3); r++)
    {
      const char *value = herald_contact_import_get_preview (self->import, r, column);

      if (value != NULL && value[0] != '\0')
        g_strv_builder_add (builder, value);
    }

  values = g_strv_builder_end (builder);
  if (values[0] == NULL)
    return g_strdup (_("Empty in the first rows"));

  return g_strjoinv (" · ", values);
}

static void
rebuild_columns (HeraldImportAssistant *self)
{
  const HeraldCsvFormat *format = herald_contact_import_get_format (self->import);
  const char *delimiter;

  for (guint i = 0; i < self->column_rows->len; i++)
    adw_preferences_group_remove (self->columns_group, g_ptr_array_index (self->column_rows, i));
  g_ptr_array_set_size (self->column_rows, 0);

  for (guint i = 0; i < herald_contact_import_get_n_columns (self->import); i++)
    {
      g_autoptr(GListModel) model = new_target_model ();
      g_autofree char *preview = preview_text (self, i);
      const char *header = herald_contact_import_get_header (self->import, i);
      AdwComboRow *row;

      row = ADW_COMBO_ROW (adw_combo_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), header[0] ? header : _("(no name)"));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), preview);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
      adw_combo_row_set_model (row, model);
      g_object_set_data (G_OBJECT (row), "column", GUINT_TO_POINTER (i));
      g_signal_connect_object (row, "notify::selected", G_CALLBACK (column_target_changed_cb), self, 0);

      adw_preferences_group_add (self->columns_group, GTK_WIDGET (row));
      g_ptr_array_add (self->column_rows, row);
    }

  sync_column_rows (self);

  /* What was found shows under the choice, which stays "detect" until the
   * user picks one. */
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->encoding_row),
                               herald_csv_encoding_label (format->encoding));
  switch (format->delimiter)
    {
    case ';': delimiter = _("Semicolon"); break;
    case '\t': delimiter = _("Tab"); break;
    case '|': delimiter = _("Vertical bar"); break;
    default: delimiter = _("Comma"); break;
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->delimiter_row), delimiter);

  self->updating = TRUE;
  adw_combo_row_set_selected (self->preset_row, herald_contact_import_get_preset (self->import));
  self->updating = FALSE;
}

static gboolean
prepare (HeraldImportAssistant  *self,
         HeraldImportPreset      preset,
         GError                **error)
{
  static const HeraldCsvEncoding encodings[] = {
    HERALD_CSV_ENCODING_AUTO, HERALD_CSV_ENCODING_UTF8, HERALD_CSV_ENCODING_UTF16LE,
    HERALD_CSV_ENCODING_UTF16BE, HERALD_CSV_ENCODING_WINDOWS_1252,
  };
  static const char delimiters[] = { 0, ',', ';', '\t', '|' };
  guint encoding = adw_combo_row_get_selected (self->encoding_row);
  guint delimiter = adw_combo_row_get_selected (self->delimiter_row);
  HeraldCsvFormat format = {
    encoding < G_N_ELEMENTS (encodings) ? encodings[encoding] : HERALD_CSV_ENCODING_AUTO,
    delimiter < G_N_ELEMENTS (delimiters) ? delimiters[delimiter] : 0,
  };
  g_autoptr(GError) local_error = NULL;

  if (!herald_contact_import_prepare (self->import, preset, &format, NULL, &local_error) &&
      !g_error_matches (local_error, HERALD_IMPORT_ERROR, HERALD_IMPORT_ERROR_NO_EMAIL_COLUMN))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  rebuild_columns (self);

  /* Without an address column the user picks it here. */
  if (local_error != NULL)
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (local_error->message));

  return TRUE;
}

static void
preset_changed_cb (HeraldImportAssistant *self)
{
  g_autoptr(GError) error = NULL;

  if (self->updating)
    return;

  if (!prepare (self, adw_combo_row_get_selected (self->preset_row), &error))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
}

static void
format_changed_cb (HeraldImportAssistant *self)
{
  g_autoptr(GError) error = NULL;

  if (self->updating || self->import == NULL)
    return;

  if (!prepare (self, adw_combo_row_get_selected (self->preset_row), &error))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
}

static void
update_buttons (HeraldImportAssistant *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  /* The first step offers to cancel, the second to go back. */
  gtk_widget_set_visible (self->back_button, g_str_equal (page, "columns") || g_str_equal (page, "options"));
  gtk_button_set_label (GTK_BUTTON (self->back_button), g_str_equal (page, "columns") ? _("_Cancel") : _("_Back"));
  gtk_widget_set_visible (self->next_button, !g_str_equal (page, "progress"));
  gtk_button_set_label (GTK_BUTTON (self->next_button),
                        g_str_equal (page, "columns") ? _("_Next")
                        : g_str_equal (page, "options") ? _("_Import")
                        : _("_Done"));
}

static void
add_count_row (AdwPreferencesGroup *group,
               const char          *title,
               guint                count)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *text = g_strdup_printf ("%'u", count);
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "numeric");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_preferences_group_add (group, row);
}

static void
show_summary (HeraldImportAssistant *self)
{
  HeraldImportReport *report = self->report;
  guint n_rejected = herald_import_report_get_n_rejected (report);

  add_count_row (self->summary_group, _("Rows read"), herald_import_report_get_rows (report));
  add_count_row (self->summary_group, _("New contacts"), herald_import_report_get_imported (report));
  add_count_row (self->summary_group, _("Contacts updated"), herald_import_report_get_updated (report));
  add_count_row (self->summary_group, _("Duplicates merged"), herald_import_report_get_duplicates (report));
  add_count_row (self->summary_group, _("Unsubscribed, bounced or complained"),
                 herald_import_report_get_suppressed (report));
  add_count_row (self->summary_group, _("Rows rejected"), herald_import_report_get_invalid (report));

  gtk_widget_set_visible (GTK_WIDGET (self->rejected_group), n_rejected > 0);

  for (guint i = 0; i < MIN (n_rejected, MAX_REJECTED_SHOWN); i++)
    {
      const char *reason;
      guint line = herald_import_report_get_rejected (report, i, &reason);
      g_autofree char *title = g_strdup_printf (_("Line %u"), line);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), reason);
      adw_preferences_group_add (self->rejected_group, row);
    }

  if (n_rejected > MAX_REJECTED_SHOWN)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *more = g_strdup_printf (ngettext ("%u more row: save them to see all",
                                                         "%u more rows: save them to see all",
                                                         n_rejected - MAX_REJECTED_SHOWN),
                                               n_rejected - MAX_REJECTED_SHOWN);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), more);
      adw_preferences_group_add (self->rejected_group, row);
    }

  gtk_stack_set_visible_child_name (self->stack, "summary");
  update_buttons (self);
}

static void
progress_cb (goffset  current,
             goffset  total,
             gpointer user_data)
{
  HeraldImportAssistant *self = HERALD_IMPORT_ASSISTANT (user_data);

  if (total > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, CLAMP ((double)current / total, 0.0, 1.0));
}

static void
import_finished_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(HeraldImportAssistant) self = HERALD_IMPORT_ASSISTANT (user_data);
  g_autoptr(GError) error = NULL;

  self->report = herald_contact_import_run_finish (HERALD_CONTACT_IMPORT (object), result, &error);
  g_clear_object (&self->cancellable);

  if (self->report != NULL)
    g_signal_emit (self, signals[IMPORTED], 0, self->report);

  /* The window may have been closed while the import ran. */
  if (self->stack == NULL)
    return;

  if (self->report == NULL)
    {
      /* Nothing was written: go back to the options, with the reason. */
      gtk_stack_set_visible_child_name (self->stack, "options");
      update_buttons (self);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      else
        adw_toast_overlay_add_toast (self->toast_overlay,
                                     adw_toast_new (_("Import cancelled. Nothing was changed.")));
      return;
    }

  show_summary (self);
}

static void
start_import (HeraldImportAssistant *self)
{
  const char *evidence = gtk_editable_get_text (GTK_EDITABLE (self->evidence_row));

  herald_contact_import_set_policy (self->import, adw_combo_row_get_selected (self->policy_row));
  herald_contact_import_set_check_domains (self->import, gtk_switch_get_active (self->domains_switch));
  herald_contact_import_set_consent (self->import,
                                     gtk_switch_get_active (self->consent_switch) ? "marketing-email" : NULL,
                                     evidence[0] ? evidence : NULL);

  self->cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_stack_set_visible_child_name (self->stack, "progress");
  update_buttons (self);

  herald_contact_import_run_async (self->import, self->cancellable, progress_cb, self,
                                   import_finished_cb, g_object_ref (self));
}

static gboolean
has_email_column (HeraldImportAssistant *self)
{
  for (guint i = 0; i < herald_contact_import_get_n_columns (self->import); i++)
    {
      HeraldContactField field;

      if (herald_contact_import_get_column (self->import, i, &field) == HERALD_COLUMN_FIELD &&
          field == HERALD_CONTACT_FIELD_EMAIL)
        return TRUE;
    }

  return FALSE;
}

static void
next_clicked_cb (HeraldImportAssistant *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (g_str_equal (page, "columns"))
    {
      if (!has_email_column (self))
        {
          adw_toast_overlay_add_toast (self->toast_overlay,
                                       adw_toast_new (_("Choose the column that holds the email addresses.")));
          return;
        }

      gtk_stack_set_visible_child_name (self->stack, "options");
      update_buttons (self);
    }
  else if (g_str_equal (page, "options"))
    start_import (self);
  else
    gtk_window_close (GTK_WINDOW (self));
}

static void
back_clicked_cb (HeraldImportAssistant *self)
{
  if (g_str_equal (gtk_stack_get_visible_child_name (self->stack), "columns"))
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, "columns");
  update_buttons (self);
}

static void
cancel_clicked_cb (HeraldImportAssistant *self)
{
  g_cancellable_cancel (self->cancellable);
}

static void
save_response_cb (GtkNativeDialog       *chooser,
                  int                    response,
                  HeraldImportAssistant *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      (path = g_file_get_path (file)) != NULL)
    {
      if (!herald_import_report_save_rejected (self->report, path, &error))
        adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      else
        adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Rejected rows saved")));
    }

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
save_rejected_clicked_cb (HeraldImportAssistant *self)
{
  GtkFileChooserNative *chooser;
  g_autofree char *base = g_path_get_basename (self->path);
  g_autofree char *stem = g_strdup (base);
  g_autofree char *name = NULL;

  if (strrchr (stem, '.') != NULL)
    *strrchr (stem, '.') = '\0';
  /* Translators: the file name for rejected rows; %s is the imported file's name. */
  name = g_strdup_printf (_("%s (rejected).csv"), stem);

  chooser = gtk_file_chooser_native_new (_("Save Rejected Rows"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (save_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
herald_import_assistant_close_request (GtkWindow *window)
{
  HeraldImportAssistant *self = HERALD_IMPORT_ASSISTANT (window);

  /* Closing while importing cancels, which writes nothing. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (herald_import_assistant_parent_class)->close_request (window);
}

static void
herald_import_assistant_dispose (GObject *object)
{
  HeraldImportAssistant *self = (HeraldImportAssistant *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), HERALD_TYPE_IMPORT_ASSISTANT);

  g_clear_object (&self->import);
  g_clear_object (&self->workspace);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->column_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (herald_import_assistant_parent_class)->dispose (object);
}

static void
herald_import_assistant_finalize (GObject *object)
{
  HeraldImportAssistant *self = (HeraldImportAssistant *)object;

  g_clear_pointer (&self->report, herald_import_report_unref);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (herald_import_assistant_parent_class)->finalize (object);
}

static void
herald_import_assistant_class_init (HeraldImportAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = herald_import_assistant_dispose;
  object_class->finalize = herald_import_assistant_finalize;
  window_class->close_request = herald_import_assistant_close_request;

  /**
   * HeraldImportAssistant::imported:
   * @report: what the import did
   *
   * Emitted when contacts were written to the workspace.
   */
  signals[IMPORTED] = g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                    HERALD_TYPE_IMPORT_REPORT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/heraldapp/Herald/herald-import-assistant.ui");
  gtk_widget_class_bind_template_child (widget_class, HeraldImportAssistant, back_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldImportAssistant, columns_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldImportAssistant, consent_switch);
  gtk_widget_class_bind_template_child (widget_class, HeraldImportAssistant, domains_switch);
  gtk_widget_class_bind_template_child (widget_class, HeraldImportAssistant, delimiter_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldImportAssistant, encoding_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldImportAssistant, evidence_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldImportAssistant, next_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldImportAssistant, policy_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldImportAssistant, preset_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldImportAssistant, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, HeraldImportAssistant, rejected_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldImportAssistant, stack);
  gtk_widget_class_bind_template_child (widget_class, HeraldImportAssistant, summary_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldImportAssistant, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HeraldImportAssistant, window_title);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, next_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, preset_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_rejected_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
herald_import_assistant_init (HeraldImportAssistant *self)
{
  g_autoptr(GtkStringList) presets = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->column_rows = g_ptr_array_new ();

  for (guint i = 0; i < HERALD_N_IMPORT_PRESETS; i++)
    gtk_string_list_append (presets, herald_import_preset_label (i));
  self->updating = TRUE;
  adw_combo_row_set_model (self->preset_row, G_LIST_MODEL (presets));
  self->updating = FALSE;
}

/**
 * herald_import_assistant_new:
 * @path: the CSV file the user chose
 *
 * Returns: (transfer none): the assistant, its columns read from
 *   @path, or %NULL with @error set when the file cannot be read
 */
HeraldImportAssistant *
herald_import_assistant_new (HeraldWorkspace  *workspace,
                             const char       *path,
                             GError          **error)
{
  HeraldImportAssistant *self;
  g_autofree char *display = NULL;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (HERALD_TYPE_IMPORT_ASSISTANT, NULL);
  self->workspace = g_object_ref (workspace);
  self->path = g_strdup (path);
  self->import = herald_contact_import_new (workspace, path);

  display = g_filename_display_basename (path);
  adw_window_title_set_subtitle (self->window_title, display);

  if (!prepare (self, HERALD_IMPORT_PRESET_AUTO, error))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return NULL;
    }

  update_buttons (self);

  return self;
}
