/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "herald-preferences-window.h"

struct _HeraldPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  HeraldWorkspace      *workspace;
  gboolean              loading;

  /* Template widgets */
  GtkStringList        *currencies;
  AdwComboRow          *currency_row;
  AdwEntryRow          *postal_address_row;
  AdwEntryRow          *sender_email_row;
  AdwEntryRow          *sender_name_row;
};

G_DEFINE_FINAL_TYPE (HeraldPreferencesWindow, herald_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
save_setting (HeraldPreferencesWindow *self,
              const char              *key,
              const char              *value)
{
  g_autoptr(GError) error = NULL;

  if (self->loading)
    return;

  if (!herald_workspace_set_setting (self->workspace, key, value[0] != '\0' ? value : NULL, &error))
    {
      g_autoptr(AdwToast) toast = adw_toast_new (error->message);

      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), g_steal_pointer (&toast));
    }
}

static const char *
setting_for_row (HeraldPreferencesWindow *self,
                 AdwEntryRow             *row)
{
  if (row == self->sender_name_row)
    return "sender.name";
  if (row == self->sender_email_row)
    return "sender.email";
  if (row == self->postal_address_row)
    return "sender.postal_address";

  g_assert_not_reached ();
}

static void
entry_changed_cb (HeraldPreferencesWindow *self,
                  GtkEditable             *editable)
{
  save_setting (self, setting_for_row (self, ADW_ENTRY_ROW (editable)), gtk_editable_get_text (editable));
}

static void
currency_changed_cb (HeraldPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->currency_row);

  if (selected != GTK_INVALID_LIST_POSITION)
    save_setting (self, "currency", gtk_string_list_get_string (self->currencies, selected));
}

static void
load_entry (HeraldPreferencesWindow *self,
            AdwEntryRow             *row)
{
  g_autofree char *value = herald_workspace_get_setting (self->workspace, setting_for_row (self, row));

  gtk_editable_set_text (GTK_EDITABLE (row), value ? value : "");
}

static void
load (HeraldPreferencesWindow *self)
{
  g_autofree char *currency = herald_workspace_get_setting (self->workspace, "currency");
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->currencies));

  self->loading = TRUE;

  load_entry (self, self->sender_name_row);
  load_entry (self, self->sender_email_row);
  load_entry (self, self->postal_address_row);

  /* A currency not in the list is added, so a workspace never shows a wrong one. */
  if (currency != NULL)
    {
      guint i;

      for (i = 0; i < n; i++)
        if (g_str_equal (gtk_string_list_get_string (self->currencies, i), currency))
          break;

      if (i == n)
        gtk_string_list_append (self->currencies, currency);

      adw_combo_row_set_selected (self->currency_row, i);
    }

  self->loading = FALSE;
}

static void
herald_preferences_window_dispose (GObject *object)
{
  HeraldPreferencesWindow *self = (HeraldPreferencesWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), HERALD_TYPE_PREFERENCES_WINDOW);

  g_clear_object (&self->workspace);

  G_OBJECT_CLASS (herald_preferences_window_parent_class)->dispose (object);
}

static void
herald_preferences_window_class_init (HeraldPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = herald_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/heraldapp/Herald/herald-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HeraldPreferencesWindow, currencies);
  gtk_widget_class_bind_template_child (widget_class, HeraldPreferencesWindow, currency_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldPreferencesWindow, postal_address_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldPreferencesWindow, sender_email_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldPreferencesWindow, sender_name_row);
  gtk_widget_class_bind_template_callback (widget_class, currency_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
}

static void
herald_preferences_window_init (HeraldPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

HeraldPreferencesWindow *
herald_preferences_window_new (HeraldWorkspace *workspace)
{
  HeraldPreferencesWindow *self;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);

  self = g_object_new (HERALD_TYPE_PREFERENCES_WINDOW, NULL);
  self->workspace = g_object_ref (workspace);
  load (self);

  return self;
}
