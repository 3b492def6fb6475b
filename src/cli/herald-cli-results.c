/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "herald-cli-private.h"

/* results import and report: campaign results brought home from the email
 * service, and the KPIs worked out from them. */

HeraldCliExit
herald_cli_results_import (HeraldCli *cli)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(HeraldResultsReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) columns = g_ptr_array_new ();
  const char *path = NULL, *preset_key = NULL, *campaign = NULL, *flow = NULL, *step = NULL;
  HeraldResultsPreset preset = HERALD_RESULTS_PRESET_AUTO;
  const HeraldCliOption options[] = {
    { "--preset", NULL, &preset_key, NULL },
    { "--campaign", NULL, &campaign, NULL },
    { "--column", .values = columns },
    { "--flow", NULL, &flow, NULL },
    { "--step", NULL, &step, NULL },
    { NULL },
  };

  if (!herald_cli_parse (cli, "results import", options, &path))
    return HERALD_CLI_EXIT_USAGE;
  if (path == NULL)
    return herald_cli_usage_error (_("“%s” needs a file to import."), "results import");
  if (preset_key != NULL && !herald_results_preset_from_key (preset_key, &preset))
    return herald_cli_usage_error (_("Unknown preset “%s”. Use one of: %s."), preset_key,
                                   "auto, mailchimp-campaigns, mailchimp-report, activity, orders");

  if ((flow == NULL) != (step == NULL))
    return herald_cli_usage_error (_("“%s” and “%s” go together: the flow, and the step that sent the campaign."),
                                   "--flow", "--step");

  /* Columns named by hand: --column email="E-Mail" and so on. */
  for (guint i = 0; i < columns->len; i++)
    if (strchr (columns->pdata[i], '=') == NULL)
      return herald_cli_usage_error (_("“%s” needs KEY=COLUMN, such as email=\"E-Mail\"."), "--column");
  if (columns->len > 0)
    {
      g_autoptr(HeraldResultsMapping) mapping = herald_results_mapping_detect (path, preset, &error);

      if (mapping == NULL)
        return herald_cli_fail (cli, error);
      if (mapping->preset != HERALD_RESULTS_PRESET_ACTIVITY && mapping->preset != HERALD_RESULTS_PRESET_ORDERS)
        return herald_cli_usage_error (_("“%s” is only for activity and orders files."), "--column");
      for (guint i = 0; i < columns->len; i++)
        {
          const char *pair = columns->pdata[i];
          const char *equals = strchr (pair, '=');
          g_autofree char *key = g_strndup (pair, equals - pair);

          if (!herald_results_mapping_set (mapping, key, equals + 1, &error))
            return herald_cli_usage_error ("%s", error->message);
        }
      if (!(workspace = herald_cli_open_workspace (cli, &error))
          || !(report = herald_results_import_mapped (workspace, path, mapping, campaign, NULL, NULL, NULL, &error)))
        return herald_cli_fail (cli, error);
    }
  else if (!(workspace = herald_cli_open_workspace (cli, &error))
           || !(report = herald_results_import (workspace, path, preset, campaign, NULL, &error)))
    return herald_cli_fail (cli, error);

  /* A campaign a flow's step sent is set against the flow's forecast. */
  if (flow != NULL)
    {
      if (g_strv_length (report->campaigns) != 1)
        {
          guint n = g_strv_length (report->campaigns);

          g_set_error (&error, HERALD_RESULTS_ERROR, HERALD_RESULTS_ERROR_FORMAT,
                       ngettext ("“%s” holds %u campaign; a flow’s step is linked to one at a time.",
                                 "“%s” holds %u campaigns; a flow’s step is linked to one at a time.", n),
                       path, n);
          return herald_cli_fail (cli, error);
        }
      if (!herald_campaign_link_flow (workspace, report->campaigns[0], flow, step, &error))
        return herald_cli_fail (cli, error);
    }

  if (cli->json)
    {
      g_autofree char *json = herald_results_report_to_json (report);

      g_print ("%s\n", json);
    }
  else if (report->preset == HERALD_RESULTS_PRESET_ORDERS)
    {
      g_print (ngettext ("%u order read", "%u orders read", report->orders), report->orders);
      /* Translators: follows “N orders read”. */
      g_print (ngettext (", %u of them given to a campaign.\n", ", %u of them given to campaigns.\n",
                         report->attributed),
               report->attributed);
    }
  else if (report->preset == HERALD_RESULTS_PRESET_ACTIVITY)
    {
      g_print (ngettext ("%u row read: ", "%u rows read: ", report->rows), report->rows);
      /* Translators: follows “N rows read: ”. */
      g_print (ngettext ("%u new event.\n", "%u new events.\n", report->events), report->events);
    }
  else
    {
      g_print (ngettext ("%u campaign read: ", "%u campaigns read: ", report->rows), report->rows);
      /* Translators: follows “N campaigns read: ”. */
      g_print (_("%u new, %u updated.\n"), report->imported, report->updated);
    }
  if (!cli->json && report->unknown_contacts > 0)
    g_print (ngettext ("%u row is about someone who is not in the audience; it was left out.\n",
                       "%u rows are about people who are not in the audience; they were left out.\n",
                       report->unknown_contacts),
             report->unknown_contacts);
  return HERALD_CLI_EXIT_OK;
}

static void
print_figure (const char *label,
              const char *value,
              const char *denominator)
{
  g_autofree char *label_colon = g_strdup_printf (_("%s:"), label);

  if (denominator != NULL)
    g_print ("  %-24s %s  (%s)\n", label_colon, value, denominator);
  else
    g_print ("  %-24s %s\n", label_colon, value);
}

HeraldCliExit
herald_cli_report (HeraldCli *cli)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(HeraldKpis) kpis = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldAbTest) test = NULL;
  const char *campaign = NULL, *metric_key = NULL;
  HeraldAbMetric metric = HERALD_AB_METRIC_OPENS;
  const HeraldCliOption options[] = {
    { "--metric", NULL, &metric_key, NULL },
    { NULL },
  };

  if (!herald_cli_parse (cli, "report", options, &campaign))
    return HERALD_CLI_EXIT_USAGE;
  if (campaign == NULL)
    return herald_cli_usage_error (_("“%s” needs the name of a campaign."), "report");
  if (metric_key != NULL && !herald_ab_metric_from_key (metric_key, &metric))
    return herald_cli_usage_error (_("“%s” takes one of: %s."), "--metric", "opens, clicks, conversions");

  if (!(workspace = herald_cli_open_workspace (cli, &error))
      || !(kpis = herald_campaign_get_kpis (workspace, campaign, &error))
      || !(test = herald_campaign_ab_test (workspace, campaign, metric, &error)))
    return herald_cli_fail (cli, error);

  if (cli->json)
    {
      g_autofree char *json = herald_kpis_to_json (kpis);
      g_autoptr(JsonNode) root = json_from_string (json, NULL);
      JsonObject *ab = json_object_new ();
      JsonArray *variants = json_array_new ();

      json_object_set_string_member (ab, "metric", herald_ab_metric_key (metric));
      for (guint i = 0; i < test->variants->len; i++)
        {
          HeraldAbVariant *variant = test->variants->pdata[i];
          JsonObject *item = json_object_new ();

          json_object_set_string_member (item, "variant", variant->variant);
          json_object_set_double_member (item, "recipients", isnan (variant->recipients) ? 0 : variant->recipients);
          json_object_set_double_member (item, "successes", isnan (variant->successes) ? 0 : variant->successes);
          if (isfinite (variant->rate))
            json_object_set_double_member (item, "rate", variant->rate);
          else
            json_object_set_null_member (item, "rate");
          json_array_add_object_element (variants, item);
        }
      json_object_set_array_member (ab, "variants", variants);
      if (isfinite (test->p_value))
        json_object_set_double_member (ab, "p_value", test->p_value);
      else
        json_object_set_null_member (ab, "p_value");
      if (test->significant)
        json_object_set_string_member (ab, "winner", ((HeraldAbVariant *) test->variants->pdata[0])->variant);
      else
        json_object_set_null_member (ab, "winner");
      json_object_set_object_member (json_node_get_object (root), "ab_test", ab);
      herald_cli_print_json_node (root);
      return HERALD_CLI_EXIT_OK;
    }

  {
    const struct { const char *label; double value; } counts[] = {
      { _("Sent"), kpis->sent }, { _("Delivered"), kpis->delivered }, { _("Bounces"), kpis->bounces },
      { _("Unique opens"), kpis->unique_opens }, { _("Unique clicks"), kpis->unique_clicks },
      { _("Unsubscribes"), kpis->unsubscribes }, { _("Complaints"), kpis->complaints },
      { _("Conversions"), kpis->conversions },
    };
    /* Every rate with its denominator: the services do not agree on them. */
    const struct { const char *label; double value; const char *denominator; } rates[] = {
      { _("Open rate"), kpis->open_rate, _("of delivered") },
      { _("Click rate"), kpis->click_rate, _("of delivered") },
      { _("Click-to-open rate"), kpis->click_to_open_rate, _("of unique opens") },
      { _("Bounce rate"), kpis->bounce_rate, _("of sent") },
      { _("Unsubscribe rate"), kpis->unsubscribe_rate, _("of delivered") },
      { _("Complaint rate"), kpis->complaint_rate, _("of delivered") },
      { _("Conversion rate"), kpis->conversion_rate, _("of delivered") },
      { _("Return on investment"), kpis->roi, _("profit of cost") },
      { _("Return on ad spend"), kpis->roas, _("revenue of cost") },
    };
    const struct { const char *label; double value; } money[] = {
      { _("Revenue"), kpis->revenue }, { _("Cost"), kpis->cost }, { _("Profit"), kpis->profit },
      { _("Revenue per recipient"), kpis->revenue_per_recipient },
      { _("Cost per conversion"), kpis->cost_per_conversion },
    };

    /* Translators: the heading of a campaign's report. */
    g_print (_("Results of “%s”\n\n"), kpis->campaign);
    for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
      {
        g_autofree char *text = herald_format_count (counts[i].value);

        print_figure (counts[i].label, text, NULL);
      }
    g_print ("\n");
    for (guint i = 0; i < G_N_ELEMENTS (rates); i++)
      {
        g_autofree char *text = herald_format_percent (rates[i].value);

        print_figure (rates[i].label, text, rates[i].denominator);
      }
    g_print ("\n");
    for (guint i = 0; i < G_N_ELEMENTS (money); i++)
      {
        g_autofree char *text = herald_format_money (money[i].value, kpis->currency);

        print_figure (money[i].label, text, NULL);
      }
  }

  if (test->variants->len > 0)
    {
      g_autofree char *verdict = herald_ab_test_describe (test);

      g_print ("\n");
      g_print (_("Variants:\n"));
      for (guint i = 0; i < test->variants->len; i++)
        {
          HeraldAbVariant *variant = test->variants->pdata[i];
          g_autofree char *rate = herald_format_percent (variant->rate);
          g_autofree char *label = g_strdup_printf (_("Variant %s"), variant->variant);

          print_figure (label, rate, NULL);
        }
      g_print ("  %s\n", verdict);
    }
  return HERALD_CLI_EXIT_OK;
}
