/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-results-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "herald-flow.h"
#include "herald-format.h"
#include "herald-funnel-draw.h"
#include "herald-funnel.h"
#include "herald-mailchimp-dialog.h"
#include "herald-report.h"
#include "herald-results-mapping-dialog.h"
#include "herald-results-page.h"
#include "herald-results.h"
#include "herald-segments.h"
#include "herald-templates.h"
#include "herald-timeline-chart.h"
#include "herald-timeline.h"

/* The Results page: the campaigns whose results were imported, and for
 * the one chosen a funnel from sent to converted, every KPI with its
 * denominator, and what it earned against what it cost. */

struct _HeraldResultsPage
{
  GtkWidget            parent_instance;

  GtkListBox          *campaign_list;
  GtkLabel            *date_label;
  AdwPreferencesGroup *delivery_group;
  GtkWidget           *demo_button;
  GtkStack            *detail_stack;
  AdwPreferencesGroup *engagement_group;
  AdwPreferencesGroup *links_group;
  HeraldFunnel        *funnel;
  GtkDropDown         *metric_drop;
  AdwPreferencesGroup *money_group;
  AdwPreferencesGroup *origin_group;
  GtkDropDown         *period_drop;
  AdwPreferencesGroup *periods_group;
  GtkStack            *stack;
  HeraldTimelineChart *timeline_chart;
  GtkLabel            *title_label;
  AdwPreferencesGroup *variants_group;

  HeraldWorkspace     *workspace;
  GSimpleActionGroup  *actions;
  GPtrArray           *campaigns;  /* HeraldKpis */
  GPtrArray           *rows;       /* rows of the groups */
  HeraldKpis          *shown;
  /* The first row of the list: all campaigns over time. */
  GtkWidget           *timeline_row;
  /* The choices of the "Sent From" rows: template names, and flow and
   * step pairs, each after "None". */
  AdwComboRow         *template_row;
  AdwComboRow         *step_row;
  AdwComboRow         *segment_row;
  GStrv                templates;
  GStrv                segments;
  GPtrArray           *steps;  /* GStrv { flow, step } */
  gboolean             showing_origin;
};

G_DEFINE_FINAL_TYPE (HeraldResultsPage, herald_results_page, GTK_TYPE_WIDGET)

enum {
  RESULTS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void reload      (HeraldResultsPage *self,
                         const char        *select);
static void show_origin (HeraldResultsPage *self);

static void
add_toast (HeraldResultsPage *self,
           AdwToast          *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

/* A figure with, under its name, the rate it makes and of what. */
static GtkWidget *
add_row (HeraldResultsPage     *self,
         AdwPreferencesGroup   *group,
         const HeraldKpiFigure *figure)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (figure->value);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), figure->title);
  if (figure->detail != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), figure->detail);
  gtk_widget_add_css_class (label, "numeric");
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, row);
  return row;
}

/* A report is exported from the campaign shown, and only then. */
static void
set_export_enabled (HeraldResultsPage *self,
                    gboolean           enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), "export-report");

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

static void
clear_rows (HeraldResultsPage *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = self->rows->pdata[i];

      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP)),
                                    row);
    }
  g_ptr_array_set_size (self->rows, 0);
  self->template_row = self->step_row = self->segment_row = NULL;
}

/* The cost editor: a dialog of three amounts, saved together. */
static GtkSpinButton *
cost_row (AdwPreferencesGroup *group,
          const char          *title,
          double               value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (0, 1e9, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 2);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  adw_preferences_group_add (group, row);
  return GTK_SPIN_BUTTON (spin);
}

static void
costs_response_cb (AdwMessageDialog  *dialog,
                   const char        *response,
                   HeraldResultsPage *self)
{
  GtkSpinButton **spins = g_object_get_data (G_OBJECT (dialog), "spins");
  const char *campaign = g_object_get_data (G_OBJECT (dialog), "campaign");
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "save") || self->workspace == NULL)
    return;
  for (guint i = 0; i < 3; i++)
    gtk_spin_button_update (spins[i]);
  if (!herald_campaign_set_costs (self->workspace, campaign, gtk_spin_button_get_value (spins[0]),
                                  gtk_spin_button_get_value (spins[1]), gtk_spin_button_get_value (spins[2]), &error))
    {
      add_toast (self, adw_toast_new (error->message));
      return;
    }
  reload (self, campaign);
}

static void
edit_costs_cb (HeraldResultsPage *self)
{
  GtkWidget *dialog;
  GtkWidget *group = adw_preferences_group_new ();
  GtkSpinButton **spins = g_new0 (GtkSpinButton *, 3);
  g_autofree char *body = NULL;
  double fixed, per_1000, labour;

  if (self->shown == NULL)
    return;
  herald_campaign_get_costs (self->workspace, self->shown->campaign, &fixed, &per_1000, &labour);
  /* Translators: %s is a currency code such as EUR. */
  body = g_strdup_printf (_("In %s. What you give here replaces the cost in the email service’s report."),
                          self->shown->currency);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), _("Campaign Costs"), body);
  spins[0] = cost_row (ADW_PREFERENCES_GROUP (group), _("Fixed costs"), fixed);
  spins[1] = cost_row (ADW_PREFERENCES_GROUP (group), _("Cost per 1,000 emails"), per_1000);
  spins[2] = cost_row (ADW_PREFERENCES_GROUP (group), _("Labour"), labour);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), group);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  g_object_set_data_full (G_OBJECT (dialog), "spins", spins, g_free);
  g_object_set_data_full (G_OBJECT (dialog), "campaign", g_strdup (self->shown->campaign), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (costs_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The links of the report, the most clicked first. */
static void
show_links (HeraldResultsPage *self,
            HeraldKpis        *kpis)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) links = herald_campaign_list_links (self->workspace, kpis->campaign, &error);

  if (links == NULL)
    g_warning ("Links not read: %s", error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->links_group), links != NULL && links->len > 0);
  for (guint i = 0; links != NULL && i < links->len; i++)
    {
      HeraldCampaignLink *link = links->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *unique = herald_format_count (link->unique_clicks);
      g_autofree char *total = herald_format_count (link->total_clicks);
      /* Translators: under a link, every click on it. */
      g_autofree char *subtitle = g_strdup_printf (ngettext ("%s click in all", "%s clicks in all",
                                                             (gulong) MIN (link->total_clicks, 1e6)),
                                                   total);
      GtkWidget *label = gtk_label_new (unique);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), link->url);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      adw_preferences_group_add (self->links_group, row);
      g_ptr_array_add (self->rows, row);
    }
}

/* The campaign's A/B combinations on the chosen metric, and the verdict. */
static void
show_variants (HeraldResultsPage *self,
               HeraldKpis        *kpis)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldAbTest) test = herald_campaign_ab_test (self->workspace, kpis->campaign,
                                                          gtk_drop_down_get_selected (self->metric_drop), &error);
  g_autofree char *verdict = NULL;
  GtkWidget *row, *label;

  if (test == NULL)
    g_warning ("Variants not read: %s", error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->variants_group), test != NULL && test->variants->len > 1);
  if (test == NULL || test->variants->len < 2)
    return;

  for (guint i = 0; i < test->variants->len; i++)
    {
      HeraldAbVariant *variant = test->variants->pdata[i];
      g_autofree char *title = g_strdup_printf (_("Variant %s"), variant->variant);
      g_autofree char *successes = herald_format_count (variant->successes);
      g_autofree char *recipients = herald_format_count (variant->recipients);
      /* Translators: under a variant, “75 of 870”: successes of recipients. */
      g_autofree char *subtitle = g_strdup_printf (_("%s of %s"), successes, recipients);

      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      {
        g_autofree char *rate = herald_format_percent (variant->rate);

        label = gtk_label_new (rate);
      }
      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      adw_preferences_group_add (self->variants_group, row);
      g_ptr_array_add (self->rows, row);
    }

  verdict = herald_ab_test_describe (test);
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), verdict);
  if (test->significant)
    gtk_widget_add_css_class (row, "property");
  adw_preferences_group_add (self->variants_group, row);
  g_ptr_array_add (self->rows, row);
}

static void
show_campaign (HeraldResultsPage *self,
               HeraldKpis        *kpis)
{
  AdwPreferencesGroup *groups[HERALD_N_KPI_SECTIONS] = { self->delivery_group, self->engagement_group,
                                                         self->money_group };
  const char *labels[HERALD_FUNNEL_N_STAGES];
  double stages[HERALD_FUNNEL_N_STAGES];
  g_autoptr(GPtrArray) figures = herald_kpis_list_figures (kpis);
  g_autofree char *date = herald_kpis_describe_sent_at (kpis);

  gtk_stack_set_visible_child_name (self->detail_stack, "campaign");
  gtk_label_set_label (self->title_label, kpis->campaign);
  gtk_label_set_label (self->date_label, date != NULL ? date : "");
  herald_funnel_get_stages (kpis, labels, stages);
  herald_funnel_set_stages (self->funnel, labels, stages, G_N_ELEMENTS (stages));

  clear_rows (self);
  for (guint i = 0; i < figures->len; i++)
    {
      HeraldKpiFigure *figure = figures->pdata[i];
      GtkWidget *row = add_row (self, groups[figure->section], figure);

      if (g_str_equal (figure->key, "cost"))
        {
          GtkWidget *edit = gtk_button_new_from_icon_name ("document-edit-symbolic");

          gtk_widget_set_valign (edit, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (edit, "flat");
          gtk_widget_set_tooltip_text (edit, _("Edit the Campaign’s Costs"));
          g_signal_connect_object (edit, "clicked", G_CALLBACK (edit_costs_cb), self, G_CONNECT_SWAPPED);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), edit);
        }
    }
  show_links (self, kpis);
  show_variants (self, kpis);
  self->shown = kpis;
  show_origin (self);
  set_export_enabled (self, TRUE);
}

/* "Sent From": the campaign's template and flow step, each a choice
 * that is saved at once. */
static void
origin_changed_cb (HeraldResultsPage *self)
{
  g_autoptr(GError) error = NULL;
  guint template = adw_combo_row_get_selected (self->template_row);
  guint step = adw_combo_row_get_selected (self->step_row);
  guint segment = adw_combo_row_get_selected (self->segment_row);
  GStrv pair;

  if (self->showing_origin || self->shown == NULL)
    return;
  pair = step > 0 && step <= self->steps->len ? self->steps->pdata[step - 1] : NULL;
  if (!herald_campaign_set_origin (self->workspace, self->shown->campaign,
                                   template > 0 ? self->templates[template - 1] : NULL,
                                   pair != NULL ? pair[0] : NULL, pair != NULL ? pair[1] : NULL,
                                   segment > 0 ? self->segments[segment - 1] : NULL, &error))
    add_toast (self, adw_toast_new (error->message));

  /* The rows stay (they are in their own signal): the template follows a
   * step's, and is a choice of its own only without one. */
  {
    g_autofree char *name = NULL;
    guint index = 0;

    herald_campaign_get_origin (self->workspace, self->shown->campaign, &name, NULL, NULL, NULL, NULL);
    for (guint i = 0; name != NULL && self->templates[i] != NULL; i++)
      if (g_str_equal (self->templates[i], name))
        index = i + 1;
    self->showing_origin = TRUE;
    adw_combo_row_set_selected (self->template_row, index);
    gtk_widget_set_sensitive (GTK_WIDGET (self->template_row), step == 0);
    self->showing_origin = FALSE;
  }
  g_signal_emit (self, signals[RESULTS_CHANGED], 0);
}

static AdwComboRow *
add_choice_row (HeraldResultsPage *self,
                const char        *title,
                GtkStringList     *choices,
                guint              selected)
{
  AdwComboRow *row = ADW_COMBO_ROW (adw_combo_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (row, G_LIST_MODEL (choices));
  adw_combo_row_set_selected (row, selected);
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (origin_changed_cb), self, G_CONNECT_SWAPPED);
  adw_preferences_group_add (self->origin_group, GTK_WIDGET (row));
  g_ptr_array_add (self->rows, row);
  return row;
}

static void
show_origin (HeraldResultsPage *self)
{
  g_autoptr(GtkStringList) templates = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) steps = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) records = herald_templates_list (self->workspace, NULL);
  g_auto(GStrv) flows = herald_flows_list (self->workspace, NULL);
  g_autoptr(GtkStringList) segments = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) infos = herald_segments_list (self->workspace, NULL);
  g_autofree char *template = NULL;
  g_autofree char *flow = NULL;
  g_autofree char *step = NULL;
  g_autofree char *segment = NULL;
  guint template_index = 0, step_index = 0, segment_index = 0;

  if (!herald_campaign_get_origin (self->workspace, self->shown->campaign, &template, &flow, &step, &segment, NULL))
    return;
  self->showing_origin = TRUE;
  /* Translators: a choice for a campaign sent from no template or no
   * flow step. */
  gtk_string_list_append (templates, C_("origin", "None"));
  g_clear_pointer (&self->templates, g_strfreev);
  self->templates = g_new0 (char *, (records != NULL ? records->len : 0) + 1);
  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      HeraldTemplateRecord *record = records->pdata[i];

      self->templates[i] = g_strdup (record->name);
      gtk_string_list_append (templates, record->name);
      if (g_strcmp0 (template, record->name) == 0)
        template_index = i + 1;
    }

  gtk_string_list_append (steps, C_("origin", "None"));
  g_ptr_array_set_size (self->steps, 0);
  for (guint f = 0; flows != NULL && flows[f] != NULL; f++)
    {
      g_autoptr(HeraldFlow) loaded = herald_flows_get (self->workspace, flows[f], NULL);
      GPtrArray *nodes = loaded != NULL ? herald_flow_get_nodes (loaded) : NULL;

      for (guint n = 0; nodes != NULL && n < nodes->len; n++)
        {
          HeraldFlowNode *node = nodes->pdata[n];
          g_autofree char *name = NULL;
          g_autofree char *label = NULL;
          char *pair[] = { flows[f], node->id, NULL };

          if (node->type != HERALD_FLOW_NODE_EMAIL)
            continue;
          name = herald_flow_node_dup_title (node);
          /* Translators: a flow and one of its email steps: "Welcome
           * series › Welcome email". */
          label = g_strdup_printf (_("%s › %s"), flows[f], name);
          gtk_string_list_append (steps, label);
          g_ptr_array_add (self->steps, g_strdupv (pair));
          if (g_strcmp0 (flow, flows[f]) == 0 && g_strcmp0 (step, node->id) == 0)
            step_index = self->steps->len;
        }
    }

  gtk_string_list_append (segments, C_("origin", "None"));
  g_clear_pointer (&self->segments, g_strfreev);
  self->segments = g_new0 (char *, (infos != NULL ? infos->len : 0) + 1);
  for (guint i = 0; infos != NULL && i < infos->len; i++)
    {
      HeraldSegmentInfo *info = infos->pdata[i];

      self->segments[i] = g_strdup (info->name);
      gtk_string_list_append (segments, info->name);
      if (g_strcmp0 (segment, info->name) == 0)
        segment_index = i + 1;
    }

  self->template_row = add_choice_row (self, _("Template"), templates, template_index);
  self->step_row = add_choice_row (self, _("Flow Step"), steps, step_index);
  /* Translators: the segment a campaign was sent to. */
  self->segment_row = add_choice_row (self, _("Segment"), segments, segment_index);
  /* A flow's step says which template it sent. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->template_row), step_index == 0);
  self->showing_origin = FALSE;
}

static void
metric_changed_cb (HeraldResultsPage *self)
{
  if (self->shown != NULL)
    show_campaign (self, self->shown);
}

/* The campaigns of each month, quarter or year added up: a chart of
 * revenue against cost, and a row a period. */
static void
show_timeline (HeraldResultsPage *self)
{
  g_autoptr(GPtrArray) periods = NULL;
  g_autoptr(GError) error = NULL;
  HeraldPeriod period = gtk_drop_down_get_selected (self->period_drop);

  self->shown = NULL;
  set_export_enabled (self, FALSE);
  gtk_stack_set_visible_child_name (self->detail_stack, "timeline");
  clear_rows (self);
  if (self->workspace == NULL || period >= HERALD_N_PERIODS
      || !(periods = herald_results_by_period (self->workspace, period, &error)))
    {
      if (error != NULL)
        g_warning ("Results over time not read: %s", error->message);
      herald_timeline_chart_set_periods (self->timeline_chart, NULL);
      return;
    }
  herald_timeline_chart_set_periods (self->timeline_chart, periods);
  /* The latest first in the list, as the campaigns are. */
  for (guint i = periods->len; i-- > 0;)
    {
      HeraldPeriodFigures *figures = periods->pdata[i];
      g_autofree char *detail = herald_period_describe (figures);
      g_autofree char *profit = herald_format_money (figures->profit, figures->currency);
      HeraldKpiFigure figure = { HERALD_KPI_SECTION_MONEY, "profit", figures->label, profit, detail };

      add_row (self, self->periods_group, &figure);
    }
  if (periods->len == 0)
    adw_preferences_group_set_description (self->periods_group,
                                           _("No campaign with results has a send date yet."));
  else
    adw_preferences_group_set_description (self->periods_group,
                                           _("The campaigns sent in each period, added up: their profit, and "
                                             "what they earned against what they cost."));
}

static void
period_changed_cb (HeraldResultsPage *self)
{
  if (self->timeline_row != NULL
      && gtk_list_box_get_selected_row (self->campaign_list) == GTK_LIST_BOX_ROW (self->timeline_row))
    show_timeline (self);
}

static void
campaign_selected_cb (HeraldResultsPage *self,
                      GtkListBoxRow     *row)
{
  int index;

  if (row == NULL)
    return;
  if (GTK_WIDGET (row) == self->timeline_row)
    {
      show_timeline (self);
      return;
    }
  /* The campaigns follow the timeline's row. */
  index = gtk_list_box_row_get_index (row) - 1;
  if (index >= 0 && (guint) index < self->campaigns->len)
    show_campaign (self, self->campaigns->pdata[index]);
}

static void
reload (HeraldResultsPage *self,
        const char        *select)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  GtkListBoxRow *selected = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->campaign_list))) != NULL)
    gtk_list_box_remove (self->campaign_list, child);
  self->shown = NULL;
  set_export_enabled (self, FALSE);
  g_clear_pointer (&self->campaigns, g_ptr_array_unref);
  if (self->workspace == NULL || (self->campaigns = herald_campaigns_list_kpis (self->workspace, &error)) == NULL)
    {
      if (error != NULL)
        g_warning ("Campaign results not read: %s", error->message);
      self->campaigns = g_ptr_array_new_with_free_func ((GDestroyNotify) herald_kpis_unref);
    }

  self->timeline_row = NULL;
  if (self->campaigns->len > 0)
    {
      self->timeline_row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->timeline_row), _("Over Time"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->timeline_row), _("Revenue, cost and ROI by period"));
      adw_action_row_add_prefix (ADW_ACTION_ROW (self->timeline_row),
                                 gtk_image_new_from_icon_name ("x-office-calendar-symbolic"));
      gtk_list_box_append (self->campaign_list, self->timeline_row);
    }
  for (guint i = 0; i < self->campaigns->len; i++)
    {
      HeraldKpis *kpis = self->campaigns->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *open_rate = herald_format_percent (kpis->open_rate);
      /* Translators: under a campaign in the list, its open rate. */
      g_autofree char *subtitle = g_strdup_printf (_("Open rate %s"), open_rate);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), kpis->campaign);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (self->campaign_list, row);
      if (selected == NULL || g_strcmp0 (select, kpis->campaign) == 0)
        selected = GTK_LIST_BOX_ROW (row);
    }
  gtk_stack_set_visible_child_name (self->stack, self->campaigns->len > 0 ? "results" : "empty");
  if (selected != NULL)
    gtk_list_box_select_row (self->campaign_list, selected);
}

static void
import_finished_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(HeraldResultsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldResultsReport) report = herald_results_import_finish (HERALD_WORKSPACE (source), result, &error);
  g_autofree char *title = NULL;

  if (report == NULL)
    {
      AdwToast *toast = adw_toast_new (error->message);

      adw_toast_set_timeout (toast, 0);
      add_toast (self, toast);
      return;
    }
  title = g_strdup_printf (ngettext ("Results of %u campaign imported", "Results of %u campaigns imported",
                                     report->rows),
                           report->rows);
  add_toast (self, adw_toast_new (title));
  reload (self, report->campaigns != NULL ? report->campaigns[0] : NULL);
  g_signal_emit (self, signals[RESULTS_CHANGED], 0);
}

static void
mapped_import_cb (HeraldResultsPage *self,
                  const char        *campaign,
                  const char        *summary)
{
  add_toast (self, adw_toast_new (summary));
  reload (self, campaign);
  g_signal_emit (self, signals[RESULTS_CHANGED], 0);
}

/**
 * herald_results_page_import_file:
 *
 * Imports a campaign report in a worker thread and shows its campaign;
 * recipients' activity and orders go through the mapping dialog first.
 */
void
herald_results_page_import_file (HeraldResultsPage *self,
                                 GFile             *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(HeraldResultsMapping) mapping = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (HERALD_IS_RESULTS_PAGE (self));

  if (self->workspace == NULL || path == NULL)
    return;

  /* Activity and orders are mapped by the user first. */
  mapping = herald_results_mapping_detect (path, HERALD_RESULTS_PRESET_AUTO, &error);
  if (mapping != NULL
      && (mapping->preset == HERALD_RESULTS_PRESET_ACTIVITY || mapping->preset == HERALD_RESULTS_PRESET_ORDERS))
    {
      HeraldResultsMappingDialog *dialog = herald_results_mapping_dialog_new (self->workspace, path, mapping);

      gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
      g_signal_connect_object (dialog, "imported", G_CALLBACK (mapped_import_cb), self, G_CONNECT_SWAPPED);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  herald_results_import_async (self->workspace, path, HERALD_RESULTS_PRESET_AUTO, NULL, NULL, NULL, import_finished_cb,
                               g_object_ref (self));
}

static void
chooser_response_cb (GtkNativeDialog   *chooser,
                     int                response,
                     HeraldResultsPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      herald_results_page_import_file (self, file);
    }
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
import_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  HeraldResultsPage *self = HERALD_RESULTS_PAGE (user_data);
  GtkFileChooserNative *chooser;
  GtkFileFilter *filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Import Results"), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Campaign Reports (CSV)"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
mailchimp_fetched_cb (HeraldResultsPage   *self,
                      HeraldResultsReport *report)
{
  g_autofree char *title = g_strdup_printf (ngettext ("Results of %u campaign fetched from Mailchimp",
                                                      "Results of %u campaigns fetched from Mailchimp", report->rows),
                                            report->rows);

  add_toast (self, adw_toast_new (title));
  reload (self, report->campaigns != NULL ? report->campaigns[0] : NULL);
  g_signal_emit (self, signals[RESULTS_CHANGED], 0);
}

static void
fetch_mailchimp_activated (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  HeraldResultsPage *self = HERALD_RESULTS_PAGE (user_data);
  HeraldMailchimpDialog *dialog;

  if (self->workspace == NULL)
    return;
  dialog = herald_mailchimp_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), self->workspace);
  g_signal_connect_object (dialog, "fetched", G_CALLBACK (mailchimp_fetched_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_finished_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(HeraldResultsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  AdwToast *toast;

  if (!herald_campaign_write_pdf_finish (HERALD_WORKSPACE (source), result, &error))
    {
      toast = adw_toast_new (error->message);
      adw_toast_set_timeout (toast, 0);
    }
  else
    toast = adw_toast_new (_("Report exported"));
  add_toast (self, toast);
}

static void
export_chooser_response_cb (GtkNativeDialog   *chooser,
                            int                response,
                            HeraldResultsPage *self)
{
  const char *campaign = g_object_get_data (G_OBJECT (chooser), "campaign");

  if (response == GTK_RESPONSE_ACCEPT && self->workspace != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        herald_campaign_write_pdf_async (self->workspace, campaign, gtk_drop_down_get_selected (self->metric_drop),
                                         path, NULL, export_finished_cb, g_object_ref (self));
    }
  g_object_unref (chooser);
  g_object_unref (self);
}

/* The shown campaign's report as a PDF, written in a worker thread. */
static void
export_report_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  HeraldResultsPage *self = HERALD_RESULTS_PAGE (user_data);
  GtkFileChooserNative *chooser;
  GtkFileFilter *filter;
  g_autofree char *name = NULL;

  if (self->shown == NULL || self->workspace == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Export Report"), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("PDF Documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_filter_add_pattern (filter, "*.pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  name = herald_campaign_suggest_pdf_name (self->shown->campaign);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data_full (G_OBJECT (chooser), "campaign", g_strdup (self->shown->campaign), g_free);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (export_chooser_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static const GActionEntry actions[] = {
  { "import", import_activated },
  { "export-report", export_report_activated },
  { "fetch-mailchimp", fetch_mailchimp_activated },
};

static void
herald_results_page_dispose (GObject *object)
{
  HeraldResultsPage *self = (HeraldResultsPage *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), HERALD_TYPE_RESULTS_PAGE);
  g_clear_object (&self->workspace);
  g_clear_object (&self->actions);
  g_clear_pointer (&self->campaigns, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->steps, g_ptr_array_unref);
  g_clear_pointer (&self->templates, g_strfreev);
  g_clear_pointer (&self->segments, g_strfreev);

  G_OBJECT_CLASS (herald_results_page_parent_class)->dispose (object);
}

static void
herald_results_page_class_init (HeraldResultsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = herald_results_page_dispose;

  /**
   * HeraldResultsPage::results-changed:
   *
   * Emitted when results were imported.
   */
  signals[RESULTS_CHANGED] = g_signal_new ("results-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (HERALD_TYPE_FUNNEL);
  g_type_ensure (HERALD_TYPE_TIMELINE_CHART);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/heraldapp/Herald/herald-results-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HeraldResultsPage, campaign_list);
  gtk_widget_class_bind_template_child (widget_class, HeraldResultsPage, date_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldResultsPage, delivery_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldResultsPage, demo_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldResultsPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, HeraldResultsPage, engagement_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldResultsPage, funnel);
  gtk_widget_class_bind_template_child (widget_class, HeraldResultsPage, links_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldResultsPage, metric_drop);
  gtk_widget_class_bind_template_child (widget_class, HeraldResultsPage, money_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldResultsPage, origin_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldResultsPage, period_drop);
  gtk_widget_class_bind_template_child (widget_class, HeraldResultsPage, periods_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldResultsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, HeraldResultsPage, timeline_chart);
  gtk_widget_class_bind_template_child (widget_class, HeraldResultsPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldResultsPage, variants_group);
  gtk_widget_class_bind_template_callback (widget_class, campaign_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, metric_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, period_changed_cb);
}

static void
herald_results_page_init (HeraldResultsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  {
    g_autoptr(GtkStringList) periods = gtk_string_list_new (NULL);

    for (guint i = 0; i < HERALD_N_PERIODS; i++)
      gtk_string_list_append (periods, herald_period_label (i));
    gtk_drop_down_set_model (self->period_drop, G_LIST_MODEL (periods));
  }
  self->rows = g_ptr_array_new ();
  self->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), actions, G_N_ELEMENTS (actions), self);
  set_export_enabled (self, FALSE);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "results", G_ACTION_GROUP (self->actions));
}

void
herald_results_page_set_workspace (HeraldResultsPage *self,
                                   HeraldWorkspace   *workspace,
                                   gboolean           is_demo)
{
  g_return_if_fail (HERALD_IS_RESULTS_PAGE (self));
  g_return_if_fail (HERALD_IS_WORKSPACE (workspace));

  g_set_object (&self->workspace, workspace);
  gtk_widget_set_visible (self->demo_button, !is_demo);
  reload (self, NULL);
}

/**
 * herald_results_page_get_actions:
 *
 * Returns: (transfer none): the page's actions, "results.…"
 */
GActionGroup *
herald_results_page_get_actions (HeraldResultsPage *self)
{
  g_return_val_if_fail (HERALD_IS_RESULTS_PAGE (self), NULL);

  return G_ACTION_GROUP (self->actions);
}
