/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-audience-page"

#include "config.h"

#include <glib/gi18n.h>

#include "herald-audience-page.h"
#include "herald-core.h"
#include "herald-import-assistant.h"

struct _HeraldAudiencePage
{
  GtkWidget           parent_instance;

  HeraldWorkspace    *workspace;
  HeraldContactList  *contacts;
  GtkSingleSelection *selection;

  /* Template widgets */
  GtkColumnView      *column_view;
  GtkWidget          *demo_button;
  GtkScrolledWindow  *detail_scroller;
  GtkStack           *detail_stack;
  GtkStack           *list_stack;
  GtkSearchBar       *search_bar;
  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkLabel           *summary_label;
};

G_DEFINE_FINAL_TYPE (HeraldAudiencePage, herald_audience_page, GTK_TYPE_WIDGET)

enum {
  CONTACTS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
add_toast (HeraldAudiencePage *self,
           AdwToast           *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

static void
show_error (HeraldAudiencePage *self,
            const char         *heading,
            const char         *message)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              heading, message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static HeraldContact *
selected_contact (HeraldAudiencePage *self)
{
  return self->selection ? gtk_single_selection_get_selected_item (self->selection) : NULL;
}

static char *
format_date (const char *unix_time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (g_ascii_strtoll (unix_time, NULL, 10));
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

  return local ? g_date_time_format (local, "%x") : g_strdup (unix_time);
}

static void
add_row (AdwPreferencesGroup *group,
         const char          *title,
         const char          *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_add_css_class (row, "property");
  adw_preferences_group_add (group, row);
}

static GtkWidget *
build_detail (HeraldAudiencePage *self,
              HeraldContact      *contact)
{
  static const HeraldContactField shown[] = {
    HERALD_CONTACT_FIELD_COMPANY, HERALD_CONTACT_FIELD_JOB_TITLE, HERALD_CONTACT_FIELD_INDUSTRY,
    HERALD_CONTACT_FIELD_COMPANY_SIZE, HERALD_CONTACT_FIELD_COUNTRY, HERALD_CONTACT_FIELD_CITY,
    HERALD_CONTACT_FIELD_PHONE, HERALD_CONTACT_FIELD_LANGUAGE, HERALD_CONTACT_FIELD_SOURCE,
    HERALD_CONTACT_FIELD_CREATED_AT,
  };
  g_autofree char *name = herald_contact_dup_full_name (contact);
  g_auto(GStrv) tags = herald_contacts_get_tags (self->workspace, contact);
  g_autoptr(GHashTable) custom = herald_contacts_get_custom (self->workspace, contact);
  g_autoptr(GPtrArray) consents = herald_contacts_get_consents (self->workspace, contact);
  g_autoptr(GList) names = NULL;
  AdwPreferencesGroup *group;
  GtkWidget *clamp, *box, *heading, *label, *buttons, *button;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  heading = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), heading);

  label = gtk_label_new (name);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "title-2");
  gtk_box_append (GTK_BOX (heading), label);

  label = gtk_label_new (herald_contact_get_email (contact));
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (heading), label);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Details"));
  add_row (group, herald_contact_field_label (HERALD_CONTACT_FIELD_STATUS),
           herald_contact_status_label (herald_contact_get_status (contact)));
  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    {
      const char *value = herald_contact_get_field (contact, shown[i]);
      g_autofree char *date = NULL;

      if (value == NULL)
        continue;

      if (shown[i] == HERALD_CONTACT_FIELD_CREATED_AT)
        value = date = format_date (value);

      add_row (group, herald_contact_field_label (shown[i]), value);
    }
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (group));

  if (tags[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (", ", tags);

      group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
      adw_preferences_group_set_title (group, _("Tags"));
      add_row (group, joined, NULL);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (group));
    }

  if (g_hash_table_size (custom) > 0)
    {
      group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
      adw_preferences_group_set_title (group, _("Custom Fields"));
      names = g_list_sort (g_hash_table_get_keys (custom), (GCompareFunc)g_utf8_collate);
      for (GList *l = names; l != NULL; l = l->next)
        add_row (group, l->data, g_hash_table_lookup (custom, l->data));
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (group));
    }

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Consent"));
  if (consents->len == 0)
    add_row (group, _("No consent recorded"), NULL);
  for (guint i = 0; i < consents->len; i++)
    {
      HeraldConsent *consent = g_ptr_array_index (consents, i);
      g_autofree char *time = g_strdup_printf ("%" G_GINT64_FORMAT, consent->recorded_at);
      g_autofree char *date = format_date (time);
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;

      title = g_strdup_printf (consent->granted
                               /* Translators: a consent record, "marketing-email: granted". */
                               ? _("%s: granted") : _("%s: withdrawn"), consent->purpose);
      subtitle = g_strjoin (" · ", date, consent->method ? consent->method : "",
                            consent->evidence ? consent->evidence : consent->source, NULL);
      add_row (group, title, subtitle);
    }
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (group));

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);

  button = gtk_button_new_with_mnemonic (_("_Erase Personal Data…"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "audience.erase");
  gtk_widget_set_tooltip_text (button, _("Delete everything about this person for good, as privacy law requires on request"));
  gtk_box_append (GTK_BOX (buttons), button);

  button = gtk_button_new_with_mnemonic (_("_Delete"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "audience.delete");
  gtk_widget_add_css_class (button, "destructive-action");
  gtk_box_append (GTK_BOX (buttons), button);
  gtk_box_append (GTK_BOX (box), buttons);

  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 560);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);

  return clamp;
}

static void
selection_changed_cb (HeraldAudiencePage *self)
{
  HeraldContact *contact = selected_contact (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audience.delete", contact != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audience.erase", contact != NULL);

  if (contact == NULL)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      return;
    }

  gtk_scrolled_window_set_child (self->detail_scroller, build_detail (self, contact));
  gtk_stack_set_visible_child_name (self->detail_stack, "contact");
}

static void
update_summary (HeraldAudiencePage *self)
{
  g_autofree char *summary = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->contacts));
  gint64 total = herald_workspace_count (self->workspace, HERALD_COLLECTION_CONTACTS, NULL);
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (search[0] != '\0')
    /* Translators: a search result, "12 of 240 contacts". */
    summary = g_strdup_printf (ngettext ("%'u of %'" G_GINT64_FORMAT " contact",
                                         "%'u of %'" G_GINT64_FORMAT " contacts", total),
                               n, total);
  else
    summary = g_strdup_printf (ngettext ("%'u contact", "%'u contacts", n), n);

  gtk_label_set_label (self->summary_label, summary);
  gtk_stack_set_visible_child_name (self->list_stack, n > 0 ? "list" : "no-results");
  gtk_stack_set_visible_child_name (self->stack, total > 0 ? "contacts" : "empty");
}

static void
reload (HeraldAudiencePage *self)
{
  g_autoptr(GError) error = NULL;

  if (!herald_contact_list_reload (self->contacts, &error))
    g_warning ("%s", error->message);

  update_summary (self);
  selection_changed_cb (self);
  g_signal_emit (self, signals[CONTACTS_CHANGED], 0);
}

static void
search_changed_cb (HeraldAudiencePage *self)
{
  if (self->contacts == NULL)
    return;

  herald_contact_list_set_search (self->contacts, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  update_summary (self);
  selection_changed_cb (self);
}

static void
undo_delete_cb (AdwToast           *toast,
                HeraldAudiencePage *self)
{
  const char *snapshot = g_object_get_data (G_OBJECT (toast), "snapshot");
  HeraldWorkspace *workspace = g_object_get_data (G_OBJECT (toast), "workspace");
  g_autoptr(GError) error = NULL;

  if (!herald_contacts_restore (workspace, snapshot, &error))
    {
      show_error (self, _("Could Not Restore the Contact"), error->message);
      return;
    }

  if (workspace == self->workspace)
    reload (self);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HeraldAudiencePage *self = HERALD_AUDIENCE_PAGE (widget);
  HeraldContact *contact = selected_contact (self);
  g_autofree char *snapshot = NULL;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;
  g_autoptr(GError) error = NULL;
  AdwToast *toast;

  if (contact == NULL)
    return;

  name = herald_contact_dup_full_name (contact);
  if (!herald_contacts_delete (self->workspace, herald_contact_get_id (contact), &snapshot, &error))
    {
      show_error (self, _("Could Not Delete the Contact"), error->message);
      return;
    }

  /* Translators: a toast after deleting, "“Anna Schmidt” deleted". */
  title = g_strdup_printf (_("“%s” deleted"), name);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (toast), "snapshot", g_steal_pointer (&snapshot), g_free);
  g_object_set_data_full (G_OBJECT (toast), "workspace", g_object_ref (self->workspace), g_object_unref);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_delete_cb), self, 0);

  reload (self);
  add_toast (self, toast);
}

static void
erase_response_cb (AdwMessageDialog   *dialog,
                   const char         *response,
                   HeraldAudiencePage *self)
{
  const char *email = g_object_get_data (G_OBJECT (dialog), "email");
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "erase"))
    return;

  if (!herald_contacts_erase (self->workspace, email, &error))
    {
      show_error (self, _("Could Not Erase the Contact"), error->message);
      return;
    }

  reload (self);
  add_toast (self, adw_toast_new (_("Personal data erased")));
}

static void
erase_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  HeraldAudiencePage *self = HERALD_AUDIENCE_PAGE (widget);
  HeraldContact *contact = selected_contact (self);
  g_autofree char *name = NULL;
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (contact == NULL)
    return;

  name = herald_contact_dup_full_name (contact);
  heading = g_strdup_printf (_("Erase “%s”?"), name);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), heading,
                                   _("Everything Herald holds about this person is deleted for good, "
                                     "as they may ask under privacy law. Only a one-way hash of the "
                                     "address is kept, so that no import adds them again. This cannot "
                                     "be undone."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "erase", _("_Erase"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "erase", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "email", g_strdup (herald_contact_get_email (contact)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (erase_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
imported_cb (HeraldAudiencePage *self)
{
  reload (self);
}

/**
 * herald_audience_page_import_file:
 *
 * Opens the import assistant on @path.
 */
void
herald_audience_page_import_file (HeraldAudiencePage *self,
                                  const char         *path)
{
  g_autoptr(GError) error = NULL;
  HeraldImportAssistant *assistant;

  g_return_if_fail (HERALD_IS_AUDIENCE_PAGE (self));

  if (!(assistant = herald_import_assistant_new (self->workspace, path, &error)))
    {
      show_error (self, _("Could Not Read the File"), error->message);
      return;
    }

  gtk_window_set_transient_for (GTK_WINDOW (assistant), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  g_signal_connect_object (assistant, "imported", G_CALLBACK (imported_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (assistant));
}

static void
import_response_cb (GtkNativeDialog    *chooser,
                    int                 response,
                    HeraldAudiencePage *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      (path = g_file_get_path (file)) != NULL)
    herald_audience_page_import_file (self, path);

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HeraldAudiencePage *self = HERALD_AUDIENCE_PAGE (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  gtk_file_filter_set_name (csv, _("CSV and Text Files"));
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_filter_add_mime_type (csv, "text/plain");
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_filter_add_suffix (csv, "txt");
  gtk_file_filter_add_suffix (csv, "tsv");
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");

  chooser = gtk_file_chooser_native_new (_("Import Contacts"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (import_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_response_cb (GtkNativeDialog    *chooser,
                    int                 response,
                    HeraldAudiencePage *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      (path = g_file_get_path (file)) != NULL)
    {
      if (!herald_contacts_export (self->workspace, path, &n, &error))
        show_error (self, _("Could Not Export the Contacts"), error->message);
      else
        {
          g_autofree char *title = g_strdup_printf (ngettext ("%'u contact exported", "%'u contacts exported", n), n);

          add_toast (self, adw_toast_new (title));
        }
    }

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GtkFileChooserNative *chooser;
  g_autofree char *name = g_strdup_printf ("%s.csv", _("Contacts"));

  chooser = gtk_file_chooser_native_new (_("Export Contacts"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
herald_audience_page_dispose (GObject *object)
{
  HeraldAudiencePage *self = (HeraldAudiencePage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), HERALD_TYPE_AUDIENCE_PAGE);

  g_clear_object (&self->selection);
  g_clear_object (&self->contacts);
  g_clear_object (&self->workspace);

  G_OBJECT_CLASS (herald_audience_page_parent_class)->dispose (object);
}

static void
herald_audience_page_class_init (HeraldAudiencePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = herald_audience_page_dispose;

  /**
   * HeraldAudiencePage::contacts-changed:
   *
   * Emitted when contacts were added, deleted or restored.
   */
  signals[CONTACTS_CHANGED] = g_signal_new ("contacts-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /* The column factories look the contact's properties up by type name. */
  g_type_ensure (HERALD_TYPE_CONTACT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/heraldapp/Herald/herald-audience-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HeraldAudiencePage, column_view);
  gtk_widget_class_bind_template_child (widget_class, HeraldAudiencePage, demo_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldAudiencePage, detail_scroller);
  gtk_widget_class_bind_template_child (widget_class, HeraldAudiencePage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, HeraldAudiencePage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, HeraldAudiencePage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, HeraldAudiencePage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, HeraldAudiencePage, stack);
  gtk_widget_class_bind_template_child (widget_class, HeraldAudiencePage, summary_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);

  gtk_widget_class_install_action (widget_class, "audience.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "audience.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "audience.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "audience.erase", NULL, erase_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "audience.delete", NULL);
}

static void
herald_audience_page_init (HeraldAudiencePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audience.delete", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audience.erase", FALSE);
}

/**
 * herald_audience_page_set_workspace:
 * @is_demo: whether @workspace is the demo, which needs no invitation to itself
 */
void
herald_audience_page_set_workspace (HeraldAudiencePage *self,
                                    HeraldWorkspace    *workspace,
                                    gboolean            is_demo)
{
  g_return_if_fail (HERALD_IS_AUDIENCE_PAGE (self));
  g_return_if_fail (HERALD_IS_WORKSPACE (workspace));

  g_set_object (&self->workspace, workspace);
  g_clear_object (&self->contacts);
  g_clear_object (&self->selection);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  self->contacts = herald_contact_list_new (workspace);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->contacts)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_object (self->selection, "notify::selected", G_CALLBACK (selection_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  gtk_widget_set_visible (self->demo_button, !is_demo);
  update_summary (self);
  selection_changed_cb (self);
}

/**
 * herald_audience_page_get_search_bar:
 *
 * Returns: (transfer none): the search bar, for the header bar's toggle
 */
GtkSearchBar *
herald_audience_page_get_search_bar (HeraldAudiencePage *self)
{
  g_return_val_if_fail (HERALD_IS_AUDIENCE_PAGE (self), NULL);

  return self->search_bar;
}
