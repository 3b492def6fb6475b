/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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
  else
    {
      g_autofree char *summary = herald_results_report_describe (report);

      g_print ("%s\n", summary);
    }
  return HERALD_CLI_EXIT_OK;
}

/* Progress on a terminal only: stderr may be a log. */
static void
fetch_progress_cb (guint    campaign,
                   guint    n_campaigns,
                   guint64  fetched,
                   guint64  total,
                   gpointer user_data)
{
  g_autofree char *fetched_text = herald_format_count (fetched);
  g_autofree char *total_text = herald_format_count (total);

  g_printerr ("\r");
  /* Translators: progress of `results fetch`: campaign 1 of 2, recipients
   * fetched of all of them. */
  g_printerr (ngettext ("Campaign %u of %u: %s of %s recipient", "Campaign %u of %u: %s of %s recipients",
                        (gulong) MIN (total, G_MAXULONG)),
              campaign + 1, n_campaigns, fetched_text, total_text);
  if (campaign + 1 == n_campaigns && fetched == total && total > 0)
    g_printerr ("\n");
}

/* The key a fetch uses: the environment's, for scripts, or the keyring's. */
static char *
fetch_key (GError **error)
{
  const char *key = g_getenv ("HERALD_MAILCHIMP_API_KEY");
  g_autoptr(GError) local_error = NULL;
  char *stored;

  if (key != NULL && *key != '\0')
    return g_strdup (key);
  stored = herald_mailchimp_key_lookup (NULL, &local_error);
  if (local_error != NULL)
    {
      g_set_error (error, HERALD_MAILCHIMP_ERROR, HERALD_MAILCHIMP_ERROR_KEYRING,
                   /* Translators: %s says why the keyring could not be used. */
                   _("%s Set %s to the key instead."), local_error->message, "HERALD_MAILCHIMP_API_KEY");
      return NULL;
    }
  if (stored == NULL)
    g_set_error (error, HERALD_MAILCHIMP_ERROR, HERALD_MAILCHIMP_ERROR_NO_KEY,
                 _("No Mailchimp API key: set %s, or store a key in the keyring with “%s”."),
                 "HERALD_MAILCHIMP_API_KEY", "herald-cli results fetch --save-key");
  return stored;
}

HeraldCliExit
herald_cli_results_fetch (HeraldCli *cli)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(HeraldMailchimpClient) client = NULL;
  g_autoptr(HeraldResultsReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  gboolean save_key = FALSE;

  for (guint i = 0; i < cli->n_args; i++)
    {
      if (g_str_equal (cli->args[i], "--save-key"))
        save_key = TRUE;
      else if (g_str_has_prefix (cli->args[i], "--"))
        return herald_cli_usage_error (_("Unknown option “%s”."), cli->args[i]);
      else
        g_ptr_array_add (ids, cli->args[i]);
    }
  if (ids->len == 0 && !save_key)
    return herald_cli_usage_error (_("“%s” needs the id of at least one Mailchimp campaign."), "results fetch");
  g_ptr_array_add (ids, NULL);

  /* The key is read from standard input, never from the command line,
   * where other users could see it. */
  if (save_key)
    {
      char line[512] = "";

      if (isatty (STDIN_FILENO))
        g_printerr (_("Mailchimp API key: "));
      if (fgets (line, sizeof line, stdin) == NULL)
        *line = '\0';
      key = g_strstrip (g_strdup (line));
      memset (line, 0, sizeof line);
      if (!herald_mailchimp_key_store (key, NULL, &error))
        return herald_cli_fail (cli, error);
      if (!cli->json)
        g_printerr (_("The API key is in the keyring.\n"));
      if (ids->len == 1)
        return HERALD_CLI_EXIT_OK;
    }
  else if ((key = fetch_key (&error)) == NULL)
    return herald_cli_fail (cli, error);

  if (!(client = herald_mailchimp_client_new (key, &error))
      || !(workspace = herald_cli_open_workspace (cli, &error))
      || !(report = herald_mailchimp_client_fetch (client, workspace, (const char * const *) ids->pdata,
                                                   isatty (STDERR_FILENO) ? fetch_progress_cb : NULL, NULL, NULL,
                                                   &error)))
    return herald_cli_fail (cli, error);

  if (cli->json)
    {
      g_autofree char *json = herald_results_report_to_json (report);

      g_print ("%s\n", json);
      return HERALD_CLI_EXIT_OK;
    }
  g_print (ngettext ("%u campaign fetched: ", "%u campaigns fetched: ", report->rows), report->rows);
  /* Translators: follows “N campaigns fetched: ”. */
  g_print (_("%u new, %u updated.\n"), report->imported, report->updated);
  g_print (ngettext ("%u new open, click or bounce of a contact.\n", "%u new opens, clicks and bounces of contacts.\n",
                     report->events),
           report->events);
  if (report->unknown_contacts > 0)
    g_print (ngettext ("%u recipient is not in the audience; their activity was left out.\n",
                       "%u recipients are not in the audience; their activity was left out.\n",
                       report->unknown_contacts),
             report->unknown_contacts);
  return HERALD_CLI_EXIT_OK;
}

/* results list: every campaign with results, the latest first, with its
 * key figures. */
HeraldCliExit
herald_cli_results_list (HeraldCli *cli)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  const HeraldCliOption options[] = { { NULL } };
  const char *argument = NULL;

  if (!herald_cli_parse (cli, "results list", options, &argument))
    return HERALD_CLI_EXIT_USAGE;
  if (argument != NULL)
    return herald_cli_usage_error (_("“%s” takes no arguments."), "results list");
  if (!(workspace = herald_cli_open_workspace (cli, &error))
      || !(list = herald_campaigns_list_kpis (workspace, &error)))
    return herald_cli_fail (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_sized_new (list->len);

      for (guint i = 0; i < list->len; i++)
        {
          g_autofree char *json = herald_kpis_to_json (list->pdata[i]);

          json_array_add_element (array, json_from_string (json, NULL));
        }
      json_node_take_array (root, array);
      herald_cli_print_json_node (root);
      return HERALD_CLI_EXIT_OK;
    }

  for (guint i = 0; i < list->len; i++)
    {
      HeraldKpis *kpis = list->pdata[i];
      g_autofree char *sent = herald_format_count (kpis->sent);
      g_autofree char *open_rate = herald_format_percent (kpis->open_rate);
      g_autofree char *revenue = herald_format_money (kpis->revenue, kpis->currency);
      g_autofree char *roi = herald_format_percent (kpis->roi);

      /* Translators: a campaign in a list: its name, then emails sent, open
       * rate, revenue and return on investment. */
      g_print (_("%s: %s sent, %s opened, %s revenue, ROI %s\n"), kpis->campaign, sent, open_rate, revenue, roi);
    }
  if (list->len == 0)
    g_print ("%s\n", _("No campaign has results yet. Import a report with “herald-cli results import FILE”."));
  return HERALD_CLI_EXIT_OK;
}

/* results timeline: the campaigns of each month, quarter or year added
 * up. */
HeraldCliExit
herald_cli_results_timeline (HeraldCli *cli)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(GPtrArray) periods = NULL;
  g_autoptr(GError) error = NULL;
  const char *argument = NULL, *by = NULL;
  HeraldPeriod period = HERALD_PERIOD_MONTH;
  const HeraldCliOption options[] = {
    { "--by", NULL, &by, NULL },
    { NULL },
  };

  if (!herald_cli_parse (cli, "results timeline", options, &argument))
    return HERALD_CLI_EXIT_USAGE;
  if (argument != NULL)
    return herald_cli_usage_error (_("“%s” takes no arguments."), "results timeline");
  if (by != NULL && !herald_period_from_key (by, &period))
    return herald_cli_usage_error (_("“%s” takes one of: %s."), "--by", "month, quarter, year");
  if (!(workspace = herald_cli_open_workspace (cli, &error))
      || !(periods = herald_results_by_period (workspace, period, &error)))
    return herald_cli_fail (cli, error);

  if (cli->json)
    {
      g_autofree char *json = herald_periods_to_json (periods);

      g_print ("%s\n", json);
      return HERALD_CLI_EXIT_OK;
    }
  for (guint i = 0; i < periods->len; i++)
    {
      HeraldPeriodFigures *figures = periods->pdata[i];
      g_autofree char *line = herald_period_describe (figures);

      g_print ("%s: %s\n", figures->label, line);
    }
  if (periods->len == 0)
    g_print ("%s\n", _("No campaign with results has a send date yet."));
  return HERALD_CLI_EXIT_OK;
}

HeraldCliExit
herald_cli_report (HeraldCli *cli)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(HeraldKpis) kpis = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldAbTest) test = NULL;
  const char *campaign = NULL, *metric_key = NULL, *output = NULL;
  HeraldAbMetric metric = HERALD_AB_METRIC_OPENS;
  const HeraldCliOption options[] = {
    { "--metric", NULL, &metric_key, NULL },
    { "--output", NULL, &output, NULL },
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
  /* The printable report, as a PDF. */
  if (output != NULL && !herald_campaign_write_pdf (workspace, campaign, metric, output, NULL, &error))
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
      if (output != NULL)
        json_object_set_string_member (json_node_get_object (root), "output", output);
      herald_cli_print_json_node (root);
      return HERALD_CLI_EXIT_OK;
    }
  if (output != NULL)
    {
      g_autofree char *display = g_filename_display_name (output);

      /* Translators: the campaign, then the PDF file. */
      g_print (_("The report on “%s” was written to “%s”.\n"), kpis->campaign, display);
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

        herald_cli_print_figure (counts[i].label, text, NULL);
      }
    g_print ("\n");
    for (guint i = 0; i < G_N_ELEMENTS (rates); i++)
      {
        g_autofree char *text = herald_format_percent (rates[i].value);

        herald_cli_print_figure (rates[i].label, text, rates[i].denominator);
      }
    g_print ("\n");
    for (guint i = 0; i < G_N_ELEMENTS (money); i++)
      {
        g_autofree char *text = herald_format_money (money[i].value, kpis->currency);

        herald_cli_print_figure (money[i].label, text, NULL);
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

          herald_cli_print_figure (label, rate, NULL);
        }
      g_print ("  %s\n", verdict);
    }
  return HERALD_CLI_EXIT_OK;
}
