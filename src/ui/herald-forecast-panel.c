/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-forecast-panel"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "herald-flow-draw.h"
#include "herald-forecast-panel.h"
#include "herald-format.h"
#include "herald-results.h"

/* Forecast mode: what the flow on the canvas is likely to bring. The
 * workspace's defaults are read once in a worker thread; every edit of
 * the flow, the audience or an assumption then recomputes at once, and
 * the canvas shows the figures on its cards and edges. */

/* Simulated runs for the ranges: enough for steady percentiles, few
 * enough to recompute while a slider moves. */
#define RUNS 400
#define RUNS_LARGE_FLOW 50
#define LARGE_FLOW 200
/* Edits read the workspace's defaults again once they pause this long. */
#define RELOAD_DELAY_MS 500
/* When no trigger names a segment with contacts, an example audience. */
#define EXAMPLE_AUDIENCE 1000

typedef enum
{
  TOTAL_AUDIENCE,
  TOTAL_SENT,
  TOTAL_DELIVERED,
  TOTAL_OPENS,
  TOTAL_CLICKS,
  TOTAL_UNSUBSCRIBES,
  TOTAL_CONVERSIONS,
  TOTAL_REVENUE,
  TOTAL_COST,
  TOTAL_PROFIT,
  TOTAL_ROI,
  TOTAL_ROAS,
  TOTAL_COST_PER_CONVERSION,
  TOTAL_DAYS,
  N_TOTALS
} Total;

struct _HeraldForecastPanel
{
  GtkWidget            parent_instance;

  AdwPreferencesGroup *actual_group;
  AdwActionRow        *audience_row;
  GtkButton           *audience_reset;
  GtkSpinButton       *audience_spin;
  AdwPreferencesGroup *assumptions_group;
  AdwPreferencesGroup *costs_group;
  AdwPreferencesGroup *step_group;
  AdwPreferencesGroup *templates_group;
  AdwPreferencesGroup *totals_group;
  GtkLabel            *what_if_label;
  GtkScale            *what_if_scale;

  AdwActionRow        *total_rows[N_TOTALS];
  GtkLabel            *total_labels[N_TOTALS];
  AdwActionRow        *rate_rows[HERALD_N_RATES];
  GtkSpinButton       *rate_spins[HERALD_N_RATES];
  GtkWidget           *rate_resets[HERALD_N_RATES];
  AdwActionRow        *cost_rows[HERALD_N_COSTS];
  GtkSpinButton       *cost_spins[HERALD_N_COSTS];
  GtkWidget           *cost_resets[HERALD_N_COSTS];
  GPtrArray           *template_rows;
  GPtrArray           *step_rows;
  GPtrArray           *actual_rows;

  HeraldFlowCanvas    *canvas;
  HeraldWorkspace     *workspace;
  HeraldForecastBasis *basis;
  GCancellable        *loading;
  HeraldForecast      *forecast;
  HeraldForecastOptions options;
  gboolean             active;
  gboolean             updating;
  gboolean             example_audience;
  guint                reload_source;
};

G_DEFINE_FINAL_TYPE (HeraldForecastPanel, herald_forecast_panel, GTK_TYPE_WIDGET)

static const char *
total_label (Total total)
{
  static const char * const labels[N_TOTALS] = {
    N_("Contacts entering"), N_("Emails sent"), N_("Delivered"), N_("Opens"), N_("Clicks"), N_("Unsubscribes"),
    N_("Conversions"), N_("Revenue"), N_("Cost"), N_("Profit"), N_("Return on investment"),
    N_("Return on ad spend"), N_("Cost per conversion"), N_("Days to the end"),
  };

  return _(labels[total]);
}

/* How a total is written: count, money, percent or days. */
static char *
format_total (HeraldForecastPanel *self,
              Total                total,
              double               value)
{
  const char *currency = self->forecast != NULL ? self->forecast->currency : NULL;

  switch (total)
    {
    case TOTAL_REVENUE:
    case TOTAL_COST:
    case TOTAL_PROFIT:
    case TOTAL_COST_PER_CONVERSION:
      return herald_format_money (value, currency);
    case TOTAL_ROI:
    case TOTAL_ROAS:
      return herald_format_percent (value);
    case TOTAL_DAYS:
      return herald_format_decimal (value, 1);
    case TOTAL_AUDIENCE:
    case TOTAL_SENT:
    case TOTAL_DELIVERED:
    case TOTAL_OPENS:
    case TOTAL_CLICKS:
    case TOTAL_UNSUBSCRIBES:
    case TOTAL_CONVERSIONS:
    case N_TOTALS:
    default:
      return herald_format_count (value);
    }
}

static double
total_value (HeraldForecast *forecast,
             Total           total)
{
  switch (total)
    {
    case TOTAL_AUDIENCE: return forecast->audience;
    case TOTAL_SENT: return forecast->emails_sent;
    case TOTAL_DELIVERED: return forecast->delivered;
    case TOTAL_OPENS: return forecast->opens;
    case TOTAL_CLICKS: return forecast->clicks;
    case TOTAL_UNSUBSCRIBES: return forecast->unsubscribes;
    case TOTAL_CONVERSIONS: return forecast->conversions;
    case TOTAL_REVENUE: return forecast->revenue;
    case TOTAL_COST: return forecast->cost;
    case TOTAL_PROFIT: return forecast->profit;
    case TOTAL_ROI: return forecast->roi;
    case TOTAL_ROAS: return forecast->roas;
    case TOTAL_COST_PER_CONVERSION: return forecast->cost_per_conversion;
    case TOTAL_DAYS: return forecast->days;
    case N_TOTALS:
    default: return NAN;
    }
}

static const HeraldForecastRange *
total_range (HeraldForecast *forecast,
             Total           total)
{
  switch (total)
    {
    case TOTAL_SENT: return &forecast->emails_sent_range;
    case TOTAL_CONVERSIONS: return &forecast->conversions_range;
    case TOTAL_REVENUE: return &forecast->revenue_range;
    case TOTAL_COST: return &forecast->cost_range;
    case TOTAL_ROI: return &forecast->roi_range;
    case TOTAL_AUDIENCE:
    case TOTAL_DELIVERED:
    case TOTAL_OPENS:
    case TOTAL_CLICKS:
    case TOTAL_UNSUBSCRIBES:
    case TOTAL_PROFIT:
    case TOTAL_ROAS:
    case TOTAL_COST_PER_CONVERSION:
    case TOTAL_DAYS:
    case N_TOTALS:
    default: return NULL;
    }
}

static GtkWidget *
value_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "numeric");
  return label;
}

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, rows->pdata[i]);
  g_ptr_array_set_size (rows, 0);
}

static AdwActionRow *
add_figure_row (AdwPreferencesGroup *group,
                GPtrArray           *rows,
                const char          *title,
                const char          *value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = value_label ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_label_set_label (GTK_LABEL (label), value);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (rows, row);
  return ADW_ACTION_ROW (row);
}

/* An actual figure, with what the forecast expected under its name. */
static void
add_actual_row (AdwPreferencesGroup *group,
                GPtrArray           *rows,
                const char          *title,
                char                *actual,
                char                *expected)
{
  AdwActionRow *row = add_figure_row (group, rows, title, actual);
  /* Translators: under an actual figure, what the forecast expected: “Expected 1,000”. */
  g_autofree char *subtitle = g_strdup_printf (_("Expected %s"), expected);

  adw_action_row_set_subtitle (row, subtitle);
  g_free (actual);
  g_free (expected);
}

/* Forecast against actual: for the flow, or one step (@actual). */
static void
add_actual_rows (AdwPreferencesGroup *group,
                 GPtrArray           *rows,
                 const char          *currency,
                 const double         expected[5],
                 const double         actual[5])
{
  add_actual_row (group, rows, total_label (TOTAL_SENT), herald_format_count (actual[0]),
                  herald_format_count (expected[0]));
  add_actual_row (group, rows, total_label (TOTAL_OPENS), herald_format_count (actual[1]),
                  herald_format_count (expected[1]));
  add_actual_row (group, rows, total_label (TOTAL_CLICKS), herald_format_count (actual[2]),
                  herald_format_count (expected[2]));
  add_actual_row (group, rows, total_label (TOTAL_CONVERSIONS), herald_format_count (actual[3]),
                  herald_format_count (expected[3]));
  add_actual_row (group, rows, total_label (TOTAL_REVENUE), herald_format_money (actual[4], currency),
                  herald_format_money (expected[4], currency));
}

/* The figures of the one selected step. */
static void
update_step (HeraldForecastPanel *self)
{
  HeraldFlow *flow = herald_flow_canvas_get_flow (self->canvas);
  g_auto(GStrv) selection = herald_flow_canvas_get_selection (self->canvas);
  const HeraldForecastNode *figures;
  HeraldFlowNode *node;
  g_autofree char *title = NULL;
  const char *currency = self->forecast->currency;

  clear_rows (self->step_group, self->step_rows);
  if (flow == NULL || g_strv_length (selection) != 1 || (node = herald_flow_get_node (flow, selection[0])) == NULL
      || (figures = herald_forecast_get_node (self->forecast, node->id)) == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->step_group), FALSE);
      return;
    }

  title = herald_flow_node_dup_title (node);
  adw_preferences_group_set_title (self->step_group, title);
  adw_preferences_group_set_description (self->step_group, herald_flow_node_type_label (node->type));
  {
    g_autofree char *contacts = herald_format_count (figures->contacts);
    g_autofree char *days = herald_format_decimal (figures->days, 1);

    add_figure_row (self->step_group, self->step_rows, _("Contacts reaching it"), contacts);
    add_figure_row (self->step_group, self->step_rows, _("Days after entry"), days);
  }
  if (node->type == HERALD_FLOW_NODE_EMAIL)
    {
      const double values[] = { figures->sent, figures->delivered, figures->opens, figures->clicks,
                                figures->unsubscribes };
      const Total totals[] = { TOTAL_SENT, TOTAL_DELIVERED, TOTAL_OPENS, TOTAL_CLICKS, TOTAL_UNSUBSCRIBES };

      for (guint i = 0; i < G_N_ELEMENTS (values); i++)
        {
          g_autofree char *text = herald_format_count (values[i]);

          add_figure_row (self->step_group, self->step_rows, total_label (totals[i]), text);
        }
      for (guint i = 0; i < HERALD_N_RATES; i++)
        {
          g_autofree char *rate = herald_format_percent (figures->rates[i]);
          /* Translators: a rate, and where it came from: “35 % (Your preferences)”. */
          g_autofree char *text = g_strdup_printf (_("%s (%s)"), rate, herald_source_label (figures->sources[i]));

          add_figure_row (self->step_group, self->step_rows, herald_rate_label (i), text);
        }
    }
  if (self->forecast->actuals != NULL)
    {
      HeraldKpis *actual = g_hash_table_lookup (self->forecast->actuals, node->id);

      if (actual != NULL)
        {
          const double expected[5] = { figures->sent, figures->opens, figures->clicks, figures->conversions,
                                       figures->revenue };
          const double actuals[5] = { actual->sent, actual->unique_opens, actual->unique_clicks, actual->conversions,
                                      actual->revenue };

          add_actual_rows (self->step_group, self->step_rows, currency, expected, actuals);
        }
    }
  if (node->type == HERALD_FLOW_NODE_GOAL)
    {
      g_autofree char *conversions = herald_format_count (figures->conversions);
      g_autofree char *revenue = herald_format_money (figures->revenue, currency);

      add_figure_row (self->step_group, self->step_rows, total_label (TOTAL_CONVERSIONS), conversions);
      add_figure_row (self->step_group, self->step_rows, total_label (TOTAL_REVENUE), revenue);
    }
  if (figures->cost > 0)
    {
      g_autofree char *cost = herald_format_money (figures->cost, currency);

      add_figure_row (self->step_group, self->step_rows, total_label (TOTAL_COST), cost);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->step_group), TRUE);
}

static void
update_view (HeraldForecastPanel *self)
{
  HeraldForecast *forecast = self->forecast;
  g_autoptr(GList) templates = NULL;
  g_autofree char *percent = herald_format_percent (self->options.what_if);
  g_autofree char *what_if = NULL;

  self->updating = TRUE;

  gtk_spin_button_set_value (self->audience_spin, forecast->audience);
  gtk_widget_set_visible (GTK_WIDGET (self->audience_reset), self->options.audience >= 0 && !self->example_audience);
  if (self->example_audience)
    adw_action_row_set_subtitle (self->audience_row, _("An example: no trigger names a segment with contacts"));
  else if (self->options.audience >= 0)
    adw_action_row_set_subtitle (self->audience_row, _("Set by hand"));
  else
    adw_action_row_set_subtitle (self->audience_row, _("The contacts in the triggers’ segments"));

  for (Total t = 0; t < N_TOTALS; t++)
    {
      g_autofree char *text = format_total (self, t, total_value (forecast, t));
      const HeraldForecastRange *range = total_range (forecast, t);

      gtk_label_set_label (self->total_labels[t], text);
      if (range != NULL && forecast->runs > 0)
        {
          g_autofree char *low = format_total (self, t, range->low);
          g_autofree char *high = format_total (self, t, range->high);
          /* Translators: the range where nine simulated runs in ten fall: “1,800 to 2,200”. */
          g_autofree char *subtitle = g_strdup_printf (_("9 runs in 10: %s to %s"), low, high);

          adw_action_row_set_subtitle (self->total_rows[t], subtitle);
        }
    }
  if (forecast->endless[0] != NULL)
    adw_preferences_group_set_description (self->totals_group,
                                           _("Some steps form a loop that contacts never leave: figures that depend on it are n/a."));
  else
    adw_preferences_group_set_description (self->totals_group, NULL);

  /* Translators: the what-if slider; %s is a percentage such as 120 %. */
  what_if = g_strdup_printf (_("Opens, clicks and conversions at %s of the assumptions"), percent);
  gtk_label_set_label (self->what_if_label, what_if);

  for (HeraldRate r = 0; r < HERALD_N_RATES; r++)
    {
      if (!gtk_widget_has_focus (GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (self->rate_spins[r])))))
        gtk_spin_button_set_value (self->rate_spins[r], forecast->rates[r] * 100);
      adw_action_row_set_subtitle (self->rate_rows[r], herald_source_label (forecast->rate_sources[r]));
      gtk_widget_set_visible (self->rate_resets[r], forecast->rate_sources[r] == HERALD_SOURCE_FLOW);
    }
  for (HeraldCost c = 0; c < HERALD_N_COSTS; c++)
    {
      if (!gtk_widget_has_focus (GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (self->cost_spins[c])))))
        gtk_spin_button_set_value (self->cost_spins[c], forecast->costs[c]);
      adw_action_row_set_subtitle (self->cost_rows[c], herald_source_label (forecast->cost_sources[c]));
      gtk_widget_set_visible (self->cost_resets[c], forecast->cost_sources[c] == HERALD_SOURCE_FLOW);
    }

  clear_rows (self->actual_group, self->actual_rows);
  if (forecast->actuals != NULL)
    {
      const double expected[5] = { forecast->emails_sent, forecast->opens, forecast->clicks, forecast->conversions,
                                   forecast->revenue };
      const double actuals[5] = { forecast->actual_sent, forecast->actual_opens, forecast->actual_clicks,
                                  forecast->actual_conversions, forecast->actual_revenue };

      add_actual_rows (self->actual_group, self->actual_rows, forecast->currency, expected, actuals);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->actual_group), forecast->actuals != NULL);

  clear_rows (self->templates_group, self->template_rows);
  templates = g_list_sort (g_hash_table_get_keys (forecast->sent_by_template), (GCompareFunc) g_utf8_collate);
  for (GList *l = templates; l != NULL; l = l->next)
    {
      g_autofree char *text = herald_format_count (*(double *) g_hash_table_lookup (forecast->sent_by_template, l->data));

      add_figure_row (self->templates_group, self->template_rows, l->data, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->templates_group), templates != NULL);

  update_step (self);
  self->updating = FALSE;
}

static void
recompute (HeraldForecastPanel *self)
{
  HeraldFlow *flow;
  HeraldForecastOptions options;

  if (!self->active || self->basis == NULL || self->canvas == NULL
      || (flow = herald_flow_canvas_get_flow (self->canvas)) == NULL)
    return;

  options = self->options;
  options.runs = herald_flow_get_nodes (flow)->len > LARGE_FLOW ? RUNS_LARGE_FLOW : RUNS;
  g_clear_pointer (&self->forecast, herald_forecast_unref);
  self->forecast = herald_forecast_compute (flow, self->basis, &options);

  /* A flow whose triggers count nobody still shows what it would do. */
  if (self->options.audience < 0 && self->forecast->audience == 0)
    {
      self->example_audience = TRUE;
      self->options.audience = options.audience = EXAMPLE_AUDIENCE;
      g_clear_pointer (&self->forecast, herald_forecast_unref);
      self->forecast = herald_forecast_compute (flow, self->basis, &options);
    }

  herald_flow_canvas_set_forecast (self->canvas, self->forecast);
  update_view (self);
}

static void
basis_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(HeraldForecastPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  HeraldForecastBasis *basis = herald_forecast_basis_load_finish (HERALD_WORKSPACE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->loading);
  /* Without the workspace's defaults, Herald's own still give a forecast. */
  if (basis == NULL)
    {
      g_warning ("Forecast defaults not read: %s", error->message);
      basis = herald_forecast_basis_new ();
    }
  g_clear_pointer (&self->basis, herald_forecast_basis_free);
  self->basis = basis;
  recompute (self);
}

static void
load_basis (HeraldForecastPanel *self)
{
  HeraldFlow *flow;

  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  if (!self->active || self->workspace == NULL || self->canvas == NULL
      || (flow = herald_flow_canvas_get_flow (self->canvas)) == NULL)
    return;
  self->loading = g_cancellable_new ();
  herald_forecast_basis_load_async (self->workspace, flow, self->loading, basis_loaded_cb, g_object_ref (self));
}

static gboolean
reload_basis_cb (gpointer user_data)
{
  HeraldForecastPanel *self = user_data;

  self->reload_source = 0;
  load_basis (self);
  return G_SOURCE_REMOVE;
}

static void
canvas_changed_cb (HeraldForecastPanel *self)
{
  /* A new template or segment may change the defaults: recompute now
   * with those at hand, and again once they are read, when the edits
   * pause. */
  recompute (self);
  if (!self->active)
    return;
  g_clear_handle_id (&self->reload_source, g_source_remove);
  self->reload_source = g_timeout_add (RELOAD_DELAY_MS, reload_basis_cb, self);
}

static void
selection_changed_cb (HeraldForecastPanel *self)
{
  if (self->active && self->forecast != NULL)
    update_step (self);
}

static void
audience_changed_cb (HeraldForecastPanel *self)
{
  if (self->updating)
    return;
  self->example_audience = FALSE;
  self->options.audience = gtk_spin_button_get_value (self->audience_spin);
  recompute (self);
}

static void
audience_reset_cb (HeraldForecastPanel *self)
{
  self->options.audience = -1;
  self->example_audience = FALSE;
  recompute (self);
}

static void
what_if_changed_cb (HeraldForecastPanel *self)
{
  if (self->updating)
    return;
  self->options.what_if = gtk_range_get_value (GTK_RANGE (self->what_if_scale)) / 100;
  recompute (self);
}

/* An assumption set for the flow is an edit of the flow, with undo. */
static void
set_figure (HeraldForecastPanel *self,
            const char          *group,
            const char          *key,
            double               value)
{
  HeraldFlow *flow = herald_flow_canvas_get_flow (self->canvas);
  double current;

  if (self->updating || flow == NULL)
    return;
  if (!isnan (value) && herald_flow_lookup_figure (flow, group, key, &current) && fabs (current - value) < 1e-12)
    return;
  herald_flow_canvas_begin_edit (self->canvas);
  herald_flow_set_figure (flow, group, key, value);
  herald_flow_canvas_end_edit (self->canvas);
}

static void
rate_changed_cb (GtkSpinButton       *spin,
                 HeraldForecastPanel *self)
{
  HeraldRate rate = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (spin), "rate"));

  /* Unchanged figures shown from a default stay defaults. */
  if (self->forecast != NULL && fabs (self->forecast->rates[rate] * 100 - gtk_spin_button_get_value (spin)) < 1e-9)
    return;
  set_figure (self, "assumptions", herald_rate_key (rate), gtk_spin_button_get_value (spin) / 100);
}

static void
cost_changed_cb (GtkSpinButton       *spin,
                 HeraldForecastPanel *self)
{
  HeraldCost cost = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (spin), "cost"));

  if (self->forecast != NULL && fabs (self->forecast->costs[cost] - gtk_spin_button_get_value (spin)) < 1e-9)
    return;
  set_figure (self, "costs", herald_cost_key (cost), gtk_spin_button_get_value (spin));
}

static void
reset_clicked_cb (GtkButton           *button,
                  HeraldForecastPanel *self)
{
  set_figure (self, g_object_get_data (G_OBJECT (button), "group"), g_object_get_data (G_OBJECT (button), "key"), NAN);
}

/* The wheel over a spin button or the slider scrolls the panel, as the
 * hand on the wheel means, unless it has the focus: a figure must not
 * change in passing. */
static gboolean
spin_scroll_cb (GtkEventControllerScroll *controller,
                double                    dx,
                double                    dy,
                gpointer                  user_data)
{
  GtkWidget *spin = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkWidget *focus = GTK_IS_EDITABLE (spin) ? GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (spin))) : spin;
  GtkWidget *scrolled;
  GtkAdjustment *adjustment;

  if (gtk_widget_has_focus (focus))
    return FALSE;
  if ((scrolled = gtk_widget_get_ancestor (spin, GTK_TYPE_SCROLLED_WINDOW)) == NULL)
    return TRUE;
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment)
                                        + dy * gtk_adjustment_get_step_increment (adjustment));
  return TRUE;
}

static void
guard_scroll (GtkWidget *spin)
{
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL
                                                                | GTK_EVENT_CONTROLLER_SCROLL_DISCRETE);

  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  g_signal_connect (scroll, "scroll", G_CALLBACK (spin_scroll_cb), NULL);
  gtk_widget_add_controller (spin, scroll);
}

/* A row with a number to edit, and a button to go back to the default. */
static AdwActionRow *
number_row (HeraldForecastPanel *self,
            AdwPreferencesGroup *group,
            const char          *title,
            const char          *figure_group,
            const char          *key,
            double               upper,
            double               step,
            guint                digits,
            GtkSpinButton      **spin_out,
            GtkWidget          **reset_out)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (0, upper, step);
  GtkWidget *reset = gtk_button_new_from_icon_name ("edit-undo-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  /* Narrow, so the row's title keeps the room it needs beside it. */
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), digits + 3);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  guard_scroll (spin);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_widget_set_valign (reset, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (reset, "flat");
  gtk_widget_set_tooltip_text (reset, _("Use the Default Again"));
  gtk_widget_set_visible (reset, FALSE);
  g_object_set_data_full (G_OBJECT (reset), "group", g_strdup (figure_group), g_free);
  g_object_set_data_full (G_OBJECT (reset), "key", g_strdup (key), g_free);
  g_signal_connect_object (reset, "clicked", G_CALLBACK (reset_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), reset);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  adw_preferences_group_add (group, row);

  *spin_out = GTK_SPIN_BUTTON (spin);
  *reset_out = reset;
  return ADW_ACTION_ROW (row);
}

static void
herald_forecast_panel_dispose (GObject *object)
{
  HeraldForecastPanel *self = (HeraldForecastPanel *) object;
  GtkWidget *child;

  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  g_clear_handle_id (&self->reload_source, g_source_remove);
  if (self->canvas != NULL)
    g_signal_handlers_disconnect_by_data (self->canvas, self);
  g_clear_object (&self->canvas);
  g_clear_object (&self->workspace);
  g_clear_pointer (&self->basis, herald_forecast_basis_free);
  g_clear_pointer (&self->forecast, herald_forecast_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), HERALD_TYPE_FORECAST_PANEL);
  /* The scrolled window around the groups is no template child of its own. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (herald_forecast_panel_parent_class)->dispose (object);
}

static void
herald_forecast_panel_finalize (GObject *object)
{
  HeraldForecastPanel *self = (HeraldForecastPanel *) object;

  g_ptr_array_unref (self->template_rows);
  g_ptr_array_unref (self->step_rows);
  g_ptr_array_unref (self->actual_rows);

  G_OBJECT_CLASS (herald_forecast_panel_parent_class)->finalize (object);
}

static void
herald_forecast_panel_class_init (HeraldForecastPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = herald_forecast_panel_dispose;
  object_class->finalize = herald_forecast_panel_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/heraldapp/Herald/herald-forecast-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, HeraldForecastPanel, actual_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldForecastPanel, assumptions_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldForecastPanel, audience_reset);
  gtk_widget_class_bind_template_child (widget_class, HeraldForecastPanel, audience_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldForecastPanel, audience_spin);
  gtk_widget_class_bind_template_child (widget_class, HeraldForecastPanel, costs_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldForecastPanel, step_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldForecastPanel, templates_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldForecastPanel, totals_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldForecastPanel, what_if_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldForecastPanel, what_if_scale);
  gtk_widget_class_bind_template_callback (widget_class, audience_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, audience_reset_cb);
  gtk_widget_class_bind_template_callback (widget_class, what_if_changed_cb);
}

static void
herald_forecast_panel_init (HeraldForecastPanel *self)
{
  static const HeraldForecastOptions defaults = HERALD_FORECAST_OPTIONS_INIT;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->options = defaults;
  self->template_rows = g_ptr_array_new ();
  self->step_rows = g_ptr_array_new ();
  self->actual_rows = g_ptr_array_new ();
  gtk_scale_add_mark (self->what_if_scale, 100, GTK_POS_BOTTOM, NULL);
  guard_scroll (GTK_WIDGET (self->audience_spin));
  guard_scroll (GTK_WIDGET (self->what_if_scale));

  for (Total t = 0; t < N_TOTALS; t++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *label = value_label ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), total_label (t));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      if (t == TOTAL_PROFIT || t == TOTAL_ROI || t == TOTAL_REVENUE)
        gtk_widget_add_css_class (label, "heading");
      adw_preferences_group_add (self->totals_group, row);
      self->total_rows[t] = ADW_ACTION_ROW (row);
      self->total_labels[t] = GTK_LABEL (label);
    }

  for (HeraldRate r = 0; r < HERALD_N_RATES; r++)
    {
      /* Translators: a rate in percent, such as “Open rate (%)”. */
      g_autofree char *title = g_strdup_printf (_("%s (%%)"), herald_rate_label (r));

      self->rate_rows[r] = number_row (self, self->assumptions_group, title, "assumptions", herald_rate_key (r),
                                       100, r == HERALD_RATE_OPEN || r == HERALD_RATE_CLICK ? 1 : 0.1, 2,
                                       &self->rate_spins[r], &self->rate_resets[r]);
      g_object_set_data (G_OBJECT (self->rate_spins[r]), "rate", GUINT_TO_POINTER (r));
      g_signal_connect_object (self->rate_spins[r], "value-changed", G_CALLBACK (rate_changed_cb), self, 0);
    }
  for (HeraldCost c = 0; c < HERALD_N_COSTS; c++)
    {
      self->cost_rows[c] = number_row (self, self->costs_group, herald_cost_label (c), "costs", herald_cost_key (c),
                                       1e9, c == HERALD_COST_PER_EMAIL ? 0.001 : 1,
                                       c == HERALD_COST_PER_EMAIL ? 4 : c == HERALD_COST_TASK_MINUTES ? 0 : 2,
                                       &self->cost_spins[c], &self->cost_resets[c]);
      g_object_set_data (G_OBJECT (self->cost_spins[c]), "cost", GUINT_TO_POINTER (c));
      g_signal_connect_object (self->cost_spins[c], "value-changed", G_CALLBACK (cost_changed_cb), self, 0);
    }
}

GtkWidget *
herald_forecast_panel_new (void)
{
  return g_object_new (HERALD_TYPE_FORECAST_PANEL, NULL);
}

void
herald_forecast_panel_set_canvas (HeraldForecastPanel *self,
                                  HeraldFlowCanvas    *canvas)
{
  g_return_if_fail (HERALD_IS_FORECAST_PANEL (self));
  g_return_if_fail (HERALD_IS_FLOW_CANVAS (canvas));

  if (self->canvas != NULL)
    g_signal_handlers_disconnect_by_data (self->canvas, self);
  g_set_object (&self->canvas, canvas);
  g_signal_connect_swapped (canvas, "changed", G_CALLBACK (canvas_changed_cb), self);
  g_signal_connect_swapped (canvas, "selection-changed", G_CALLBACK (selection_changed_cb), self);
}

void
herald_forecast_panel_set_workspace (HeraldForecastPanel *self,
                                     HeraldWorkspace     *workspace)
{
  g_return_if_fail (HERALD_IS_FORECAST_PANEL (self));

  g_set_object (&self->workspace, workspace);
  g_clear_pointer (&self->basis, herald_forecast_basis_free);
  load_basis (self);
}

/* Turns forecast mode on or off; off, the canvas shows no figures. */
void
herald_forecast_panel_set_active (HeraldForecastPanel *self,
                                  gboolean             active)
{
  g_return_if_fail (HERALD_IS_FORECAST_PANEL (self));

  if (self->active == !!active)
    return;
  self->active = !!active;
  if (self->active)
    {
      recompute (self);
      load_basis (self);
    }
  else
    {
      g_cancellable_cancel (self->loading);
      g_clear_object (&self->loading);
      if (self->canvas != NULL)
        herald_flow_canvas_set_forecast (self->canvas, NULL);
    }
}

gboolean
herald_forecast_panel_get_active (HeraldForecastPanel *self)
{
  g_return_val_if_fail (HERALD_IS_FORECAST_PANEL (self), FALSE);

  return self->active;
}

/* Another flow is on the canvas: its own audience, no what-if. */
void
herald_forecast_panel_reload (HeraldForecastPanel *self)
{
  static const HeraldForecastOptions defaults = HERALD_FORECAST_OPTIONS_INIT;

  g_return_if_fail (HERALD_IS_FORECAST_PANEL (self));

  self->options = defaults;
  self->example_audience = FALSE;
  self->updating = TRUE;
  gtk_range_set_value (GTK_RANGE (self->what_if_scale), 100);
  self->updating = FALSE;
  g_clear_pointer (&self->basis, herald_forecast_basis_free);
  if (self->canvas != NULL)
    herald_flow_canvas_set_forecast (self->canvas, NULL);
  load_basis (self);
}

void
herald_forecast_panel_set_audience (HeraldForecastPanel *self,
                                    double               audience)
{
  g_return_if_fail (HERALD_IS_FORECAST_PANEL (self));

  gtk_spin_button_set_value (self->audience_spin, audience);
  /* The same value as shown changes nothing, but is still a choice. */
  self->options.audience = audience;
  self->example_audience = FALSE;
  recompute (self);
}

void
herald_forecast_panel_set_what_if (HeraldForecastPanel *self,
                                   double               factor)
{
  g_return_if_fail (HERALD_IS_FORECAST_PANEL (self));

  gtk_range_set_value (GTK_RANGE (self->what_if_scale), factor * 100);
}

/* Returns: (transfer none) (nullable): the forecast shown */
HeraldForecast *
herald_forecast_panel_get_forecast (HeraldForecastPanel *self)
{
  g_return_val_if_fail (HERALD_IS_FORECAST_PANEL (self), NULL);

  return self->forecast;
}
