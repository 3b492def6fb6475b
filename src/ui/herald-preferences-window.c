/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-preferences-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "herald-forecast.h"
#include "herald-preferences-window.h"
#include "herald-results.h"

/* How each forecast default is edited. Rates are shown in percent, and
 * the small ones (bounces, unsubscribes) need a second decimal. */
typedef struct
{
  double upper;
  double step;
  guint  digits;
} NumberSpec;

static const NumberSpec rate_specs[HERALD_N_RATES] = {
  [HERALD_RATE_OPEN]        = { 100.0, 1.0,  1 },
  [HERALD_RATE_CLICK]       = { 100.0, 0.5,  1 },
  [HERALD_RATE_CONVERSION]  = { 100.0, 0.1,  2 },
  [HERALD_RATE_BOUNCE]      = { 100.0, 0.1,  2 },
  [HERALD_RATE_UNSUBSCRIBE] = { 100.0, 0.01, 2 },
};

static const NumberSpec window_spec = { 365.0, 1.0, 0 };

static const NumberSpec cost_specs[HERALD_N_COSTS] = {
  [HERALD_COST_FIXED]        = { 1e9,    10.0,  2 },
  [HERALD_COST_PER_EMAIL]    = { 1000.0, 0.001, 3 },
  [HERALD_COST_PER_1000]     = { 1e6,    0.1,   2 },
  [HERALD_COST_HOURLY_RATE]  = { 1e6,    1.0,   2 },
  [HERALD_COST_TASK_MINUTES] = { 1440.0, 1.0,   1 },
};

struct _HeraldPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  HeraldWorkspace      *workspace;
  gboolean              loading;

  /* Built in _init, owned by the groups they are in. */
  GtkSpinButton        *rate_spins[HERALD_N_RATES];
  GtkSpinButton        *cost_spins[HERALD_N_COSTS];
  GtkLabel             *cost_units[HERALD_N_COSTS];
  GtkSpinButton        *window_spin;

  /* Template widgets */
  GtkStringList        *currencies;
  AdwComboRow          *currency_row;
  AdwPreferencesGroup  *costs_group;
  AdwEntryRow          *postal_address_row;
  AdwPreferencesGroup  *rates_group;
  AdwPreferencesGroup  *results_group;
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

  /* Nothing is saved while loading, nor once the window is disposed: the
   * focus leaving a spin button then would otherwise save it again. */
  if (self->loading || self->workspace == NULL)
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
save_number (HeraldPreferencesWindow *self,
             const char              *key,
             double                   value)
{
  g_autofree char *setting = g_strconcat ("forecast.", key, NULL);
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  /* Fifteen significant digits give back the number as entered ("0.4");
   * g_ascii_dtostr would write all seventeen ("0.40000000000000002"). */
  g_ascii_formatd (text, sizeof text, "%.15g", value);
  save_setting (self, setting, text);
}

/* The value as shown, without the digits a typed number had beyond them. */
static double
shown_value (GtkSpinButton *spin)
{
  double scale = pow (10.0, gtk_spin_button_get_digits (spin));

  return round (gtk_spin_button_get_value (spin) * scale) / scale;
}

static void
number_changed_cb (HeraldPreferencesWindow *self,
                   GtkSpinButton           *spin)
{
  for (guint i = 0; i < HERALD_N_RATES; i++)
    if (spin == self->rate_spins[i])
      {
        save_number (self, herald_rate_key (i), shown_value (spin) / 100.0);
        return;
      }

  for (guint i = 0; i < HERALD_N_COSTS; i++)
    if (spin == self->cost_spins[i])
      {
        save_number (self, herald_cost_key (i), shown_value (spin));
        return;
      }

  g_assert_not_reached ();
}

static const char *
get_currency (HeraldPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->currency_row);

  if (selected == GTK_INVALID_LIST_POSITION)
    return NULL;

  return gtk_string_list_get_string (self->currencies, selected);
}

static void
update_currency (HeraldPreferencesWindow *self)
{
  const char *currency = get_currency (self);
  g_autofree char *description = NULL;

  if (currency == NULL)
    return;

  /* Translators: %s is a currency code such as EUR. */
  description = g_strdup_printf (_("Amounts are in %s, the workspace currency. Flow forecasts start from these costs; a flow can also set its own."),
                                 currency);
  adw_preferences_group_set_description (self->costs_group, description);

  for (guint i = 0; i < HERALD_N_COSTS; i++)
    if (i != HERALD_COST_TASK_MINUTES)
      gtk_label_set_label (self->cost_units[i], currency);
}

static void
currency_changed_cb (HeraldPreferencesWindow *self)
{
  const char *currency = get_currency (self);

  if (currency != NULL)
    save_setting (self, "currency", currency);

  update_currency (self);
}

static GtkSpinButton *
add_number_row (AdwPreferencesGroup  *group,
                const char           *title,
                const char           *unit,
                const NumberSpec     *spec,
                GtkLabel            **unit_label)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  GtkAdjustment *adjustment = gtk_adjustment_new (0.0, 0.0, spec->upper, spec->step, spec->step * 10.0, 0.0);
  GtkWidget *spin = gtk_spin_button_new (adjustment, spec->step, spec->digits);
  GtkWidget *label = gtk_label_new (unit);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);

  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_editable_set_alignment (GTK_EDITABLE (spin), 1.0);
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 8);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (spin, "numeric");
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);

  /* The unit sits after the number, at a fixed width, so the numbers line up. */
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_width_chars (GTK_LABEL (label), 4);
  gtk_widget_add_css_class (label, "dim-label");

  adw_action_row_add_suffix (row, spin);
  adw_action_row_add_suffix (row, label);
  adw_action_row_set_activatable_widget (row, spin);
  adw_preferences_group_add (group, GTK_WIDGET (row));

  if (unit_label != NULL)
    *unit_label = GTK_LABEL (label);

  return GTK_SPIN_BUTTON (spin);
}

static void
build_forecast_rows (HeraldPreferencesWindow *self)
{
  for (guint i = 0; i < HERALD_N_RATES; i++)
    {
      self->rate_spins[i] = add_number_row (self->rates_group, herald_rate_label (i),
                                            /* Translators: the unit after a rate, in percent. */
                                            _("%"), &rate_specs[i], NULL);
      g_signal_connect_object (self->rate_spins[i], "value-changed",
                               G_CALLBACK (number_changed_cb), self, G_CONNECT_SWAPPED);
    }

  /* The money units are set with the currency, in update_currency(). */
  for (guint i = 0; i < HERALD_N_COSTS; i++)
    {
      self->cost_spins[i] = add_number_row (self->costs_group, herald_cost_label (i),
                                            /* Translators: the unit after a number of minutes. */
                                            i == HERALD_COST_TASK_MINUTES ? _("min") : NULL,
                                            &cost_specs[i], &self->cost_units[i]);
      g_signal_connect_object (self->cost_spins[i], "value-changed",
                               G_CALLBACK (number_changed_cb), self, G_CONNECT_SWAPPED);
    }
}

/* Orders are given to campaigns again under the new window. */
static void
window_changed_cb (HeraldPreferencesWindow *self,
                   GtkSpinButton           *spin)
{
  g_autoptr(GError) error = NULL;

  if (self->loading || self->workspace == NULL)
    return;
  if (!herald_results_set_attribution_window (self->workspace, (guint) gtk_spin_button_get_value_as_int (spin),
                                              &error))
    {
      g_autoptr(AdwToast) toast = adw_toast_new (error->message);

      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), g_steal_pointer (&toast));
    }
}

static void
build_results_rows (HeraldPreferencesWindow *self)
{
  /* Translators: the unit after a number of days. */
  self->window_spin = add_number_row (self->results_group, _("Attribution Window"), _("days"), &window_spec, NULL);
  g_signal_connect_object (self->window_spin, "value-changed", G_CALLBACK (window_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

/* The stored value, or @fallback when there is none a forecast would use. */
static double
get_number_setting (HeraldPreferencesWindow *self,
                    const char              *key,
                    double                   fallback)
{
  double value = herald_forecast_get_preference (self->workspace, key);

  return isnan (value) ? fallback : value;
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

  for (guint i = 0; i < HERALD_N_RATES; i++)
    gtk_spin_button_set_value (self->rate_spins[i],
                               100.0 * get_number_setting (self, herald_rate_key (i), herald_rate_default (i)));
  for (guint i = 0; i < HERALD_N_COSTS; i++)
    gtk_spin_button_set_value (self->cost_spins[i],
                               get_number_setting (self, herald_cost_key (i), herald_cost_default (i)));

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

  update_currency (self);
  gtk_spin_button_set_value (self->window_spin, herald_results_get_attribution_window (self->workspace));

  self->loading = FALSE;
}

static void
herald_preferences_window_dispose (GObject *object)
{
  HeraldPreferencesWindow *self = (HeraldPreferencesWindow *)object;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  /* A number still being typed counts when the window goes, as it would
   * when the focus left it. Only the focused one, so the others keep any
   * digits they had beyond those shown. */
  if (focus != NULL && (focus = gtk_widget_get_ancestor (focus, GTK_TYPE_SPIN_BUTTON)) != NULL)
    gtk_spin_button_update (GTK_SPIN_BUTTON (focus));

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
  gtk_widget_class_bind_template_child (widget_class, HeraldPreferencesWindow, costs_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldPreferencesWindow, currency_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldPreferencesWindow, postal_address_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldPreferencesWindow, rates_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldPreferencesWindow, results_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldPreferencesWindow, sender_email_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldPreferencesWindow, sender_name_row);
  gtk_widget_class_bind_template_callback (widget_class, currency_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
}

static void
herald_preferences_window_init (HeraldPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  build_forecast_rows (self);
  build_results_rows (self);
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
