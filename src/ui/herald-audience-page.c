/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-audience-page"

#include "config.h"

#include <glib/gi18n.h>

#include "herald-audience-page.h"
#include "herald-core.h"
#include "herald-import-assistant.h"
#include "herald-widgets.h"

struct _HeraldAudiencePage
{
  GtkWidget           parent_instance;

  HeraldWorkspace    *workspace;
  HeraldContactList  *contacts;
  GtkMultiSelection  *selection;
  GSimpleActionGroup *actions;
  GtkStringList      *tags;
  gboolean            updating_filters;
  GCancellable       *working;
  AdwToast           *work_toast;
  guint               work_toast_source;

  /* Template widgets */
  GtkColumnView      *column_view;
  GtkWidget          *demo_button;
  GtkScrolledWindow  *detail_scroller;
  GtkStack           *detail_stack;
  GtkStack           *list_stack;
  GtkSearchBar       *search_bar;
  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkDropDown        *status_filter;
  GtkLabel           *summary_label;
  GtkDropDown        *tag_filter;
};

/* The status filter's choices after "Any Status", in its order. */
static const char * const filter_statuses[] = {
  "subscribed", "unsubscribed", "bounced", "complained", "pending",
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

/* The ids of the selected contacts, in list order. */
static GArray *
selected_ids (HeraldAudiencePage *self)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GtkBitset) selected = NULL;
  GtkBitsetIter iter;
  guint position;

  if (self->selection == NULL)
    return ids;

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position);
       more;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      gint64 id = herald_contact_list_get_id (self->contacts, position);

      g_array_append_val (ids, id);
    }

  return ids;
}

/* The one selected contact, or %NULL when none or several are. */
static HeraldContact *
selected_contact (HeraldAudiencePage *self)
{
  g_autoptr(GtkBitset) selected = NULL;

  if (self->selection == NULL)
    return NULL;

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  if (gtk_bitset_get_size (selected) != 1)
    return NULL;

  return g_list_model_get_item (G_LIST_MODEL (self->selection), gtk_bitset_get_nth (selected, 0));
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

static void
field_applied_cb (AdwEntryRow        *row,
                  HeraldAudiencePage *self)
{
  HeraldContactField field = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "field"));
  gint64 id = *(gint64 *)g_object_get_data (G_OBJECT (row), "contact-id");
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  g_autoptr(GError) error = NULL;
  guint position = GTK_INVALID_LIST_POSITION;

  /* Enter on a value that was not changed saves nothing. */
  if (g_strcmp0 (text, g_object_get_data (G_OBJECT (row), "value")) == 0)
    return;

  if (!herald_contacts_set_field (self->workspace, id, field, text, &error))
    {
      add_toast (self, adw_toast_new (error->message));
      return;
    }
  g_object_set_data_full (G_OBJECT (row), "value", g_strdup (text), g_free);

  /* Show the stored, normalised value and keep the contact selected. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->contacts)); i++)
    if (herald_contact_list_get_id (self->contacts, i) == id)
      position = i;

  herald_contact_list_reload (self->contacts, NULL);
  if (position != GTK_INVALID_LIST_POSITION && position < g_list_model_get_n_items (G_LIST_MODEL (self->contacts)))
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  add_toast (self, adw_toast_new (_("Contact saved")));
}

static void
status_chosen_cb (AdwComboRow        *row,
                  GParamSpec         *pspec,
                  HeraldAudiencePage *self)
{
  gint64 id = *(gint64 *)g_object_get_data (G_OBJECT (row), "contact-id");
  guint selected = adw_combo_row_get_selected (row);
  g_autoptr(GError) error = NULL;

  if (selected >= G_N_ELEMENTS (filter_statuses))
    return;

  if (!herald_contacts_set_field (self->workspace, id, HERALD_CONTACT_FIELD_STATUS,
                                  filter_statuses[selected], &error))
    add_toast (self, adw_toast_new (error->message));
}

static void
add_entry_row (HeraldAudiencePage  *self,
               AdwPreferencesGroup *group,
               HeraldContact       *contact,
               HeraldContactField   field)
{
  GtkWidget *row = adw_entry_row_new ();
  gint64 *id = g_new (gint64, 1);
  const char *value = herald_contact_get_field (contact, field);

  *id = herald_contact_get_id (contact);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), herald_contact_field_label (field));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (row), value ? value : "");
  g_object_set_data (G_OBJECT (row), "field", GUINT_TO_POINTER (field));
  g_object_set_data_full (G_OBJECT (row), "contact-id", id, g_free);
  g_object_set_data_full (G_OBJECT (row), "value", g_strdup (value ? value : ""), g_free);
  /* libadwaita 1.2 applies only with the button; Enter saves too. */
  g_signal_connect_object (row, "apply", G_CALLBACK (field_applied_cb), self, 0);
  g_signal_connect_object (row, "entry-activated", G_CALLBACK (field_applied_cb), self, 0);
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
  AdwPreferencesGroup *tags_group;
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
  {
    GtkWidget *status_row = adw_combo_row_new ();
    g_autoptr(GtkStringList) statuses = gtk_string_list_new (NULL);
    gint64 *id = g_new (gint64, 1);
    guint current = 0;

    for (guint i = 0; i < G_N_ELEMENTS (filter_statuses); i++)
      {
        gtk_string_list_append (statuses, herald_contact_status_label (filter_statuses[i]));
        if (g_strcmp0 (filter_statuses[i], herald_contact_get_status (contact)) == 0)
          current = i;
      }

    *id = herald_contact_get_id (contact);
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (status_row),
                                   herald_contact_field_label (HERALD_CONTACT_FIELD_STATUS));
    adw_combo_row_set_model (ADW_COMBO_ROW (status_row), G_LIST_MODEL (statuses));
    adw_combo_row_set_selected (ADW_COMBO_ROW (status_row), current);
    g_object_set_data_full (G_OBJECT (status_row), "contact-id", id, g_free);
    g_signal_connect_object (status_row, "notify::selected", G_CALLBACK (status_chosen_cb), self, 0);
    adw_preferences_group_add (group, status_row);
  }
  add_entry_row (self, group, contact, HERALD_CONTACT_FIELD_EMAIL);
  add_entry_row (self, group, contact, HERALD_CONTACT_FIELD_FIRST_NAME);
  add_entry_row (self, group, contact, HERALD_CONTACT_FIELD_LAST_NAME);
  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    {
      const char *value = herald_contact_get_field (contact, shown[i]);
      g_autofree char *date = NULL;

      if (shown[i] != HERALD_CONTACT_FIELD_CREATED_AT)
        {
          add_entry_row (self, group, contact, shown[i]);
          continue;
        }

      if (value != NULL)
        {
          date = format_date (value);
          add_row (group, herald_contact_field_label (shown[i]), date);
        }
    }
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (group));

  tags_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (tags_group, _("Tags"));
  for (guint i = 0; tags[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
      g_autofree char *tooltip = g_strdup_printf (_("Remove the Tag “%s”"), tags[i]);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), tags[i]);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, tooltip);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "audience.remove-tag");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "s", tags[i]);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      adw_preferences_group_add (tags_group, row);
    }
  if (tags[0] == NULL)
    add_row (tags_group, _("No tags"), NULL);
  {
    /* A row of its own, so that no language's label crowds the title. */
    GtkWidget *row = adw_action_row_new ();

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("_Add Tag…"));
    adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
    adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("list-add-symbolic"));
    gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
    gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "audience.add-tag");
    adw_preferences_group_add (tags_group, row);
  }
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (tags_group));

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

  button = herald_wrapping_button_new (_("_Erase Personal Data…"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "audience.erase");
  gtk_widget_set_tooltip_text (button, _("Delete everything about this person for good, as privacy law requires on request"));
  gtk_box_append (GTK_BOX (buttons), button);

  button = herald_wrapping_button_new (_("_Delete"));
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
set_action_enabled (HeraldAudiencePage *self,
                    const char         *name,
                    gboolean            enabled)
{
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), name)),
                               enabled);
}

static GtkWidget *
build_multiple (HeraldAudiencePage *self,
                guint               n)
{
  g_autofree char *title = g_strdup_printf (ngettext ("%'u Contact Selected", "%'u Contacts Selected", n), n);
  GtkWidget *page = adw_status_page_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  static const struct {
    const char *label;
    const char *action;
    const char *style;
  } buttons[] = {
    { N_("_Add Tag…"), "audience.add-tag", NULL },
    { N_("_Remove Tag…"), "audience.remove-tag-from-selection", NULL },
    { N_("_Delete"), "audience.delete", "destructive-action" },
  };

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), "herald-audience-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (page), title);
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);

  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_(buttons[i].label));

      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), buttons[i].action);
      gtk_widget_add_css_class (button, "pill");
      if (buttons[i].style != NULL)
        gtk_widget_add_css_class (button, buttons[i].style);
      gtk_box_append (GTK_BOX (box), button);
    }

  adw_status_page_set_child (ADW_STATUS_PAGE (page), box);
  return page;
}

/* While contacts are being changed or exported, nothing else changes
 * them. */
static void
set_actions (HeraldAudiencePage *self,
             guint               n_selected,
             gboolean            one_contact)
{
  gboolean idle = self->working == NULL;

  set_action_enabled (self, "delete", idle && n_selected > 0);
  set_action_enabled (self, "add-tag", idle && n_selected > 0);
  set_action_enabled (self, "remove-tag", idle && n_selected > 0);
  set_action_enabled (self, "remove-tag-from-selection", idle && n_selected > 0);
  set_action_enabled (self, "erase", idle && one_contact);
  set_action_enabled (self, "export", idle);
}

static void
update_actions (HeraldAudiencePage *self)
{
  g_autoptr(HeraldContact) contact = selected_contact (self);
  g_autoptr(GArray) ids = selected_ids (self);

  set_actions (self, ids->len, contact != NULL);
}

static gboolean
show_work_toast_cb (gpointer user_data)
{
  HeraldAudiencePage *self = user_data;

  self->work_toast_source = 0;
  add_toast (self, g_object_ref (self->work_toast));
  return G_SOURCE_REMOVE;
}

/* Starts work for a worker thread: if it takes more than a moment, a
 * toast says what runs, and can cancel it when @cancel. */
static GCancellable *
begin_work (HeraldAudiencePage *self,
            const char         *message,
            gboolean            cancel)
{
  g_assert (self->working == NULL);

  self->working = g_cancellable_new ();
  self->work_toast = g_object_ref_sink (adw_toast_new (message));
  adw_toast_set_timeout (self->work_toast, 0);
  if (cancel)
    {
      adw_toast_set_button_label (self->work_toast, _("_Cancel"));
      g_signal_connect_object (self->work_toast, "button-clicked", G_CALLBACK (g_cancellable_cancel),
                               self->working, G_CONNECT_SWAPPED);
    }
  self->work_toast_source = g_timeout_add (300, show_work_toast_cb, self);
  update_actions (self);
  return self->working;
}

/* Returns: %FALSE when the page went away while the work ran. */
static gboolean
end_work (HeraldAudiencePage *self)
{
  g_clear_handle_id (&self->work_toast_source, g_source_remove);
  if (self->work_toast != NULL)
    adw_toast_dismiss (self->work_toast);
  g_clear_object (&self->work_toast);
  g_clear_object (&self->working);

  if (self->actions == NULL)
    return FALSE;
  update_actions (self);
  return TRUE;
}

static void
selection_changed_cb (HeraldAudiencePage *self)
{
  g_autoptr(HeraldContact) contact = selected_contact (self);
  g_autoptr(GArray) ids = selected_ids (self);

  set_actions (self, ids->len, contact != NULL);

  if (ids->len == 0)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      return;
    }

  gtk_scrolled_window_set_child (self->detail_scroller,
                                 contact != NULL ? build_detail (self, contact) : build_multiple (self, ids->len));
  gtk_stack_set_visible_child_name (self->detail_stack, "contact");
}

static void
update_summary (HeraldAudiencePage *self)
{
  g_autofree char *summary = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->contacts));
  gint64 total = herald_workspace_count (self->workspace, HERALD_COLLECTION_CONTACTS, NULL);

  if ((gint64)n != total)
    /* Translators: a search or filter result, "12 of 240 contacts". */
    summary = g_strdup_printf (ngettext ("%'u of %'u contact", "%'u of %'u contacts", (guint)total),
                               n, (guint)total);
  else
    summary = g_strdup_printf (ngettext ("%'u contact", "%'u contacts", n), n);

  gtk_label_set_label (self->summary_label, summary);
  gtk_stack_set_visible_child_name (self->list_stack, n > 0 ? "list" : "no-results");
  gtk_stack_set_visible_child_name (self->stack, total > 0 ? "contacts" : "empty");
}

/* The tag filter offers the tags in use; the choice survives a reload when
 * the tag still exists. */
static void
update_tag_filter (HeraldAudiencePage *self)
{
  g_auto(GStrv) tags = herald_contacts_list_tags (self->workspace);
  g_autofree char *current = NULL;
  guint selected = gtk_drop_down_get_selected (self->tag_filter);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tags));
  guint keep = 0;

  if (selected > 0 && selected < n)
    current = g_strdup (gtk_string_list_get_string (self->tags, selected));

  self->updating_filters = TRUE;
  gtk_string_list_splice (self->tags, 1, n - 1, NULL);
  for (guint i = 0; tags[i] != NULL; i++)
    {
      gtk_string_list_append (self->tags, tags[i]);
      if (g_strcmp0 (tags[i], current) == 0)
        keep = i + 1;
    }
  gtk_drop_down_set_selected (self->tag_filter, keep);
  self->updating_filters = FALSE;

  if (current != NULL && keep == 0)
    herald_contact_list_set_tag (self->contacts, NULL);
}

static void
reload (HeraldAudiencePage *self)
{
  g_autoptr(GError) error = NULL;

  update_tag_filter (self);
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
filter_changed_cb (HeraldAudiencePage *self)
{
  guint status = gtk_drop_down_get_selected (self->status_filter);
  guint tag = gtk_drop_down_get_selected (self->tag_filter);

  if (self->contacts == NULL || self->updating_filters)
    return;

  herald_contact_list_set_status (self->contacts,
                                  status > 0 && status <= G_N_ELEMENTS (filter_statuses)
                                  ? filter_statuses[status - 1] : NULL);
  herald_contact_list_set_tag (self->contacts,
                               tag > 0 && tag != GTK_INVALID_LIST_POSITION
                               ? gtk_string_list_get_string (self->tags, tag) : NULL);
  update_summary (self);
  selection_changed_cb (self);
}

static void
restored_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(HeraldAudiencePage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean restored = herald_contacts_change_finish (HERALD_WORKSPACE (source), result, NULL, &error);

  if (!end_work (self))
    return;
  if (!restored)
    show_error (self, _("Could Not Restore the Contact"), error->message);
  if (HERALD_WORKSPACE (source) == self->workspace)
    reload (self);
}

static void
undo_delete_cb (AdwToast           *toast,
                HeraldAudiencePage *self)
{
  if (self->working != NULL)
    return;

  /* Once begun, a restore is seen through. */
  herald_contacts_change_async (g_object_get_data (G_OBJECT (toast), "workspace"), HERALD_CONTACTS_CHANGE_RESTORE,
                                NULL, 0, g_object_get_data (G_OBJECT (toast), "snapshot"),
                                begin_work (self, _("Restoring contacts…"), FALSE), restored_cb, g_object_ref (self));
}

/* A deletion or a tag under way, and what the toast that tells it says. */
typedef struct
{
  HeraldAudiencePage *self;
  char               *title;
  gboolean            tagging;
} Change;

static Change *
change_new (HeraldAudiencePage *self,
            char               *title,
            gboolean            tagging)
{
  Change *change = g_new0 (Change, 1);

  change->self = g_object_ref (self);
  change->title = title;
  change->tagging = tagging;
  return change;
}

static void
changed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Change *change = user_data;
  g_autoptr(HeraldAudiencePage) self = change->self;
  g_autofree char *title = change->title;
  gboolean tagging = change->tagging;
  g_autoptr(GError) error = NULL;
  g_autofree char *snapshot = NULL;
  gboolean changed = herald_contacts_change_finish (HERALD_WORKSPACE (source), result, &snapshot, &error);
  AdwToast *toast;

  g_free (change);
  if (!end_work (self))
    return;
  if (!changed)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (tagging)
        add_toast (self, adw_toast_new (error->message));
      else
        show_error (self, _("Could Not Delete the Contact"), error->message);
      return;
    }

  toast = adw_toast_new (title);
  if (snapshot != NULL)
    {
      adw_toast_set_button_label (toast, _("_Undo"));
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
      g_object_set_data_full (G_OBJECT (toast), "snapshot", g_steal_pointer (&snapshot), g_free);
      g_object_set_data_full (G_OBJECT (toast), "workspace", g_object_ref (source), g_object_unref);
      g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_delete_cb), self, 0);
    }

  if (tagging)
    {
      update_tag_filter (self);
      selection_changed_cb (self);
    }
  else if (HERALD_WORKSPACE (source) == self->workspace)
    reload (self);
  add_toast (self, toast);
}

/* Deleting more contacts than this is not undone, but asked first: what
 * undo keeps would take too much memory. */
#define MAX_UNDONE_DELETIONS 10000

static void
delete_contacts (HeraldAudiencePage *self,
                 GArray             *ids,
                 char               *title,
                 gboolean            undo)
{
  herald_contacts_change_async (self->workspace,
                                undo ? HERALD_CONTACTS_CHANGE_DELETE : HERALD_CONTACTS_CHANGE_DELETE_FOREVER,
                                (const gint64 *)ids->data, ids->len, NULL,
                                begin_work (self, _("Deleting contacts…"), TRUE), changed_cb,
                                change_new (self, title, FALSE));
}

static void
delete_response_cb (AdwMessageDialog   *dialog,
                    const char         *response,
                    HeraldAudiencePage *self)
{
  GArray *ids = g_object_get_data (G_OBJECT (dialog), "ids");

  if (g_str_equal (response, "delete") && self->working == NULL)
    delete_contacts (self, ids, g_strdup_printf (ngettext ("%'u contact deleted", "%'u contacts deleted", ids->len),
                                                 ids->len),
                     FALSE);
}

static void
delete_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  HeraldAudiencePage *self = HERALD_AUDIENCE_PAGE (user_data);
  g_autoptr(GArray) ids = selected_ids (self);
  g_autoptr(HeraldContact) contact = selected_contact (self);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (ids->len == 0 || self->working != NULL)
    return;

  if (contact != NULL)
    {
      g_autofree char *name = herald_contact_dup_full_name (contact);

      /* Translators: a toast after deleting, "“Anna Schmidt” deleted". */
      delete_contacts (self, ids, g_strdup_printf (_("“%s” deleted"), name), TRUE);
      return;
    }

  if (ids->len <= MAX_UNDONE_DELETIONS)
    {
      delete_contacts (self, ids, g_strdup_printf (ngettext ("%'u contact deleted", "%'u contacts deleted", ids->len),
                                                   ids->len),
                       TRUE);
      return;
    }

  heading = g_strdup_printf (ngettext ("Delete %'u Contact?", "Delete %'u Contacts?", ids->len), ids->len);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading,
                                   _("They are deleted with their tags, consent and activity. So many deletions "
                                     "cannot be undone."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "ids", g_steal_pointer (&ids), (GDestroyNotify)g_array_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
change_tag (HeraldAudiencePage *self,
            const char         *tag,
            gboolean            add)
{
  g_autoptr(GArray) ids = selected_ids (self);
  char *title;

  if (ids->len == 0 || self->working != NULL)
    return;

  if (add)
    title = g_strdup_printf (ngettext ("Tag “%s” added to %'u contact", "Tag “%s” added to %'u contacts", ids->len),
                             tag, ids->len);
  else
    title = g_strdup_printf (ngettext ("Tag “%s” removed from %'u contact", "Tag “%s” removed from %'u contacts",
                                       ids->len),
                             tag, ids->len);

  herald_contacts_change_async (self->workspace,
                                add ? HERALD_CONTACTS_CHANGE_ADD_TAG : HERALD_CONTACTS_CHANGE_REMOVE_TAG,
                                (const gint64 *)ids->data, ids->len, tag,
                                begin_work (self, add ? _("Adding the tag…") : _("Removing the tag…"), TRUE),
                                changed_cb, change_new (self, title, TRUE));
}

static void
tag_response_cb (AdwMessageDialog   *dialog,
                 const char         *response,
                 HeraldAudiencePage *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");

  if (g_str_equal (response, "add") || g_str_equal (response, "remove"))
    change_tag (self, gtk_editable_get_text (entry), g_str_equal (response, "add"));
}

static void
ask_tag (HeraldAudiencePage *self,
         gboolean            add)
{
  g_autoptr(GArray) ids = selected_ids (self);
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  GtkWidget *entry;

  body = add ? g_strdup_printf (ngettext ("The tag is added to the %'u selected contact.",
                                          "The tag is added to the %'u selected contacts.", ids->len), ids->len)
             : g_strdup_printf (ngettext ("The tag is removed from the %'u selected contact.",
                                          "The tag is removed from the %'u selected contacts.", ids->len), ids->len);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   add ? _("Add Tag") : _("Remove Tag"), body);

  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Tag name"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Tag name"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    add ? "add" : "remove", add ? _("_Add") : _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), add ? "add" : "remove",
                                              add ? ADW_RESPONSE_SUGGESTED : ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), add ? "add" : "remove");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (tag_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_tag_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  ask_tag (HERALD_AUDIENCE_PAGE (user_data), TRUE);
}

static void
remove_tag_from_selection_activated (GSimpleAction *action,
                                     GVariant      *parameter,
                                     gpointer       user_data)
{
  ask_tag (HERALD_AUDIENCE_PAGE (user_data), FALSE);
}

static void
remove_tag_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  change_tag (HERALD_AUDIENCE_PAGE (user_data), g_variant_get_string (parameter, NULL), FALSE);
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
erase_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  HeraldAudiencePage *self = HERALD_AUDIENCE_PAGE (user_data);
  GtkWidget *widget = GTK_WIDGET (self);
  g_autoptr(HeraldContact) contact = selected_contact (self);
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
import_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  HeraldAudiencePage *self = HERALD_AUDIENCE_PAGE (user_data);
  GtkWidget *widget = GTK_WIDGET (self);
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
export_finished_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(HeraldAudiencePage) self = user_data;
  g_autoptr(GError) error = NULL;
  guint n = 0;
  gboolean exported = herald_contacts_export_finish (HERALD_WORKSPACE (source), result, &n, &error);

  if (!end_work (self))
    return;

  if (exported)
    {
      g_autofree char *title = g_strdup_printf (ngettext ("%'u contact exported", "%'u contacts exported", n), n);

      add_toast (self, adw_toast_new (title));
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    add_toast (self, adw_toast_new (_("Export cancelled. No file was written.")));
  else
    show_error (self, _("Could Not Export the Contacts"), error->message);
}

static void
export_response_cb (GtkNativeDialog    *chooser,
                    int                 response,
                    HeraldAudiencePage *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT && self->workspace != NULL && self->working == NULL &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      (path = g_file_get_path (file)) != NULL)
    herald_contacts_export_async (self->workspace, path, NULL, begin_work (self, _("Exporting contacts…"), TRUE),
                                  export_finished_cb, g_object_ref (self));

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
export_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  GtkWidget *widget = GTK_WIDGET (user_data);
  GtkFileChooserNative *chooser;
  g_autofree char *name = g_strdup_printf ("%s.csv", _("Contacts"));

  chooser = gtk_file_chooser_native_new (_("Export Contacts"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static const struct {
  const char        *name;
  HeraldContactSort  sort;
} sorts[] = {
  { "added", HERALD_CONTACT_SORT_ADDED },
  { "name", HERALD_CONTACT_SORT_NAME },
  { "email", HERALD_CONTACT_SORT_EMAIL },
  { "company", HERALD_CONTACT_SORT_COMPANY },
  { "country", HERALD_CONTACT_SORT_COUNTRY },
  { "status", HERALD_CONTACT_SORT_STATUS },
};

static void
apply_sort (HeraldAudiencePage *self)
{
  g_autoptr(GVariant) sort = g_action_group_get_action_state (G_ACTION_GROUP (self->actions), "sort");
  g_autoptr(GVariant) descending = g_action_group_get_action_state (G_ACTION_GROUP (self->actions), "sort-descending");

  for (guint i = 0; i < G_N_ELEMENTS (sorts); i++)
    if (g_str_equal (g_variant_get_string (sort, NULL), sorts[i].name))
      herald_contact_list_set_sort (self->contacts, sorts[i].sort, g_variant_get_boolean (descending));

  selection_changed_cb (self);
}

static void
sort_changed (GSimpleAction *action,
              GVariant      *value,
              gpointer       user_data)
{
  HeraldAudiencePage *self = HERALD_AUDIENCE_PAGE (user_data);

  g_simple_action_set_state (action, value);
  if (self->contacts != NULL)
    apply_sort (self);
}

static const GActionEntry actions[] = {
  { "import", import_activated },
  { "export", export_activated },
  { "delete", delete_activated },
  { "erase", erase_activated },
  { "add-tag", add_tag_activated },
  { "remove-tag", remove_tag_activated, "s" },
  { "remove-tag-from-selection", remove_tag_from_selection_activated },
  { "sort", NULL, "s", "'added'", sort_changed },
  { "sort-descending", NULL, NULL, "false", sort_changed },
};

static void
herald_audience_page_dispose (GObject *object)
{
  HeraldAudiencePage *self = (HeraldAudiencePage *)object;

  g_cancellable_cancel (self->working);
  g_clear_handle_id (&self->work_toast_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), HERALD_TYPE_AUDIENCE_PAGE);

  g_clear_object (&self->actions);
  g_clear_object (&self->tags);
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
  gtk_widget_class_bind_template_child (widget_class, HeraldAudiencePage, status_filter);
  gtk_widget_class_bind_template_child (widget_class, HeraldAudiencePage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldAudiencePage, tag_filter);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "audience.delete", NULL);
}

static void
herald_audience_page_init (HeraldAudiencePage *self)
{
  g_autoptr(GtkStringList) statuses = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The actions live in a group the window shows to its header bar too. */
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), actions, G_N_ELEMENTS (actions), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "audience", G_ACTION_GROUP (self->actions));

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));

  self->updating_filters = TRUE;
  gtk_string_list_append (statuses, _("Any Status"));
  for (guint i = 0; i < G_N_ELEMENTS (filter_statuses); i++)
    gtk_string_list_append (statuses, herald_contact_status_label (filter_statuses[i]));
  gtk_drop_down_set_model (self->status_filter, G_LIST_MODEL (statuses));

  self->tags = gtk_string_list_new (NULL);
  gtk_string_list_append (self->tags, _("Any Tag"));
  gtk_drop_down_set_model (self->tag_filter, G_LIST_MODEL (self->tags));
  self->updating_filters = FALSE;
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

  /* A new workspace starts unfiltered. */
  self->updating_filters = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_drop_down_set_selected (self->status_filter, 0);
  gtk_drop_down_set_selected (self->tag_filter, 0);
  self->updating_filters = FALSE;

  self->contacts = herald_contact_list_new (workspace);
  g_object_set (self->contacts, "background", TRUE, NULL);
  g_signal_connect_object (self->contacts, "items-changed", G_CALLBACK (update_summary), self, G_CONNECT_SWAPPED);
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->contacts)));
  g_signal_connect_object (self->selection, "selection-changed", G_CALLBACK (selection_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  apply_sort (self);

  gtk_widget_set_visible (self->demo_button, !is_demo);
  update_tag_filter (self);
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

/**
 * herald_audience_page_get_actions:
 *
 * Returns: (transfer none): the page's actions, for the window to show
 *   its header bar's buttons and menu as "audience.…"
 */
GActionGroup *
herald_audience_page_get_actions (HeraldAudiencePage *self)
{
  g_return_val_if_fail (HERALD_IS_AUDIENCE_PAGE (self), NULL);

  return G_ACTION_GROUP (self->actions);
}
