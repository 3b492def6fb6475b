/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "herald-format.h"
#include "herald-json-private.h"
#include "herald-results.h"
#include "herald-timeline.h"

/* Results over time: the campaigns of each month, quarter or year added
 * up, from the same KPIs as each campaign's, so a period's revenue is
 * exactly the sum of its campaigns'. */

static const char * const period_keys[HERALD_N_PERIODS] = { "month", "quarter", "year" };

const char *
herald_period_key (HeraldPeriod period)
{
  g_return_val_if_fail (period < HERALD_N_PERIODS, NULL);
  return period_keys[period];
}

gboolean
herald_period_from_key (const char   *key,
                        HeraldPeriod *period)
{
  for (guint i = 0; key != NULL && i < HERALD_N_PERIODS; i++)
    if (g_str_equal (key, period_keys[i]))
      {
        *period = i;
        return TRUE;
      }
  return FALSE;
}

const char *
herald_period_label (HeraldPeriod period)
{
  switch (period)
    {
    case HERALD_PERIOD_MONTH:
      return _("By Month");
    case HERALD_PERIOD_QUARTER:
      return _("By Quarter");
    case HERALD_PERIOD_YEAR:
      return _("By Year");
    case HERALD_N_PERIODS:
    default:
      g_return_val_if_reached (NULL);
    }
}

void
herald_period_figures_free (HeraldPeriodFigures *figures)
{
  if (figures == NULL)
    return;
  g_free (figures->label);
  g_free (figures->currency);
  g_free (figures);
}

/* A figure a campaign may not have: n/a counts as nothing in a sum. */
static void
add (double *sum,
     double  value)
{
  if (isfinite (value))
    *sum += value;
}

/* The first day of the period that holds @time, in local time. */
static GDateTime *
period_start (gint64       time,
              HeraldPeriod period)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (time);
  int month = g_date_time_get_month (local);

  if (period == HERALD_PERIOD_QUARTER)
    month = (month - 1) / 3 * 3 + 1;
  else if (period == HERALD_PERIOD_YEAR)
    month = 1;
  return g_date_time_new_local (g_date_time_get_year (local), month, 1, 0, 0, 0);
}

static char *
period_name (GDateTime    *start,
             HeraldPeriod  period)
{
  switch (period)
    {
    case HERALD_PERIOD_MONTH:
      /* Translators: a month and its year in a chart and a list, as
       * strftime() writes them: "Jun 2026". */
      return g_date_time_format (start, C_("period", "%b %Y"));
    case HERALD_PERIOD_QUARTER:
      /* Translators: a quarter and its year: "Q2 2026". */
      return g_strdup_printf (C_("period", "Q%d %d"), (g_date_time_get_month (start) - 1) / 3 + 1,
                              g_date_time_get_year (start));
    case HERALD_PERIOD_YEAR:
    case HERALD_N_PERIODS:
    default:
      return g_strdup_printf ("%d", g_date_time_get_year (start));
    }
}

static void
add_campaign (HeraldPeriodFigures *figures,
              const HeraldKpis    *kpis)
{
  if (figures->currency == NULL)
    figures->currency = g_strdup (kpis->currency);
  figures->campaigns++;
  add (&figures->sent, kpis->sent);
  add (&figures->delivered, kpis->delivered);
  add (&figures->unique_opens, kpis->unique_opens);
  add (&figures->unique_clicks, kpis->unique_clicks);
  add (&figures->conversions, kpis->conversions);
  add (&figures->revenue, kpis->revenue);
  add (&figures->cost, kpis->cost);
}

static void
finish_figures (HeraldPeriodFigures *figures)
{
  figures->profit = figures->revenue - figures->cost;
  figures->open_rate = herald_ratio (figures->unique_opens, figures->delivered);
  figures->click_rate = herald_ratio (figures->unique_clicks, figures->delivered);
  figures->roi = herald_ratio (figures->profit, figures->cost);
}

/**
 * herald_kpis_add_up:
 * @campaigns: (element-type HeraldKpis): campaigns' figures
 *
 * Returns: (transfer full): the campaigns' figures added up, with their
 *   rates and ROI; its @start and @label are unset
 */
HeraldPeriodFigures *
herald_kpis_add_up (GPtrArray *campaigns)
{
  HeraldPeriodFigures *figures = g_new0 (HeraldPeriodFigures, 1);

  for (guint i = 0; i < campaigns->len; i++)
    add_campaign (figures, campaigns->pdata[i]);
  finish_figures (figures);
  return figures;
}

/**
 * herald_results_by_period:
 *
 * Returns: (transfer full) (element-type HeraldPeriodFigures): every
 *   period with a campaign that has results and a send date, the oldest
 *   first, or %NULL with @error set
 */
GPtrArray *
herald_results_by_period (HeraldWorkspace  *workspace,
                          HeraldPeriod      period,
                          GError          **error)
{
  g_autoptr(GPtrArray) campaigns = NULL;
  g_autoptr(GPtrArray) periods = g_ptr_array_new_with_free_func ((GDestroyNotify) herald_period_figures_free);
  g_autoptr(GHashTable) by_start = g_hash_table_new (g_int64_hash, g_int64_equal);

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (period < HERALD_N_PERIODS, NULL);

  if (!(campaigns = herald_campaigns_list_kpis (workspace, error)))
    return NULL;

  /* The list is the latest first: walking it backwards gives the periods
   * in time order. */
  for (guint i = campaigns->len; i-- > 0;)
    {
      HeraldKpis *kpis = campaigns->pdata[i];
      g_autoptr(GDateTime) start = NULL;
      HeraldPeriodFigures *figures;
      gint64 key;

      if (kpis->sent_at < 0)
        continue;
      start = period_start (kpis->sent_at, period);
      key = g_date_time_to_unix (start);
      if (!(figures = g_hash_table_lookup (by_start, &key)))
        {
          figures = g_new0 (HeraldPeriodFigures, 1);
          figures->start = key;
          figures->label = period_name (start, period);
          g_ptr_array_add (periods, figures);
          g_hash_table_insert (by_start, &figures->start, figures);
        }
      add_campaign (figures, kpis);
    }

  for (guint i = 0; i < periods->len; i++)
    finish_figures (periods->pdata[i]);
  return g_steal_pointer (&periods);
}

/**
 * herald_period_describe:
 *
 * Returns: (transfer full): a period's figures in a line: its campaigns,
 *   revenue, cost and return on investment
 */
char *
herald_period_describe (const HeraldPeriodFigures *figures)
{
  g_autofree char *campaigns = g_strdup_printf (ngettext ("%u campaign", "%u campaigns", figures->campaigns),
                                                figures->campaigns);
  g_autofree char *revenue = herald_format_money (figures->revenue, figures->currency);
  g_autofree char *cost = herald_format_money (figures->cost, figures->currency);
  g_autofree char *roi = herald_format_percent (figures->roi);

  /* Translators: a period's figures: "3 campaigns, revenue €1,200.00,
   * cost €300.00, ROI 300%". */
  return g_strdup_printf (_("%s, revenue %s, cost %s, ROI %s"), campaigns, revenue, cost, roi);
}

/**
 * herald_periods_to_json:
 *
 * Returns: (transfer full): the periods for `herald-cli results timeline
 *   --json`: rates as fractions, money in major units, n/a as null
 */
char *
herald_periods_to_json (GPtrArray *periods)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < periods->len; i++)
    {
      HeraldPeriodFigures *figures = periods->pdata[i];
      g_autoptr(GDateTime) start = g_date_time_new_from_unix_local (figures->start);
      g_autofree char *date = g_date_time_format (start, "%Y-%m-%d");

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "start");
      json_builder_add_string_value (builder, date);
      json_builder_set_member_name (builder, "campaigns");
      json_builder_add_int_value (builder, figures->campaigns);
      _herald_json_add_figure (builder, "sent", figures->sent);
      _herald_json_add_figure (builder, "delivered", figures->delivered);
      _herald_json_add_figure (builder, "unique_opens", figures->unique_opens);
      _herald_json_add_figure (builder, "unique_clicks", figures->unique_clicks);
      _herald_json_add_figure (builder, "conversions", figures->conversions);
      _herald_json_add_figure (builder, "revenue", figures->revenue);
      _herald_json_add_figure (builder, "cost", figures->cost);
      _herald_json_add_figure (builder, "profit", figures->profit);
      _herald_json_add_figure (builder, "open_rate", figures->open_rate);
      _herald_json_add_figure (builder, "click_rate", figures->click_rate);
      _herald_json_add_figure (builder, "roi", figures->roi);
      json_builder_set_member_name (builder, "currency");
      json_builder_add_string_value (builder, figures->currency);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}
