/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "herald-cli-private.h"

/* More runs say little more about the range, and each takes as long as a
 * whole forecast. */
#define MAX_RUNS 100000

static HeraldFlow *
read_flow (const char  *path,
           GError     **error)
{
  g_autofree char *text = herald_cli_read_text (path, error);
  g_autofree char *display = g_filename_display_name (path);
  HeraldFlow *flow;

  if (text == NULL || !(flow = herald_flow_load (text, display, error)))
    return NULL;

  /* A flow without a name is called after its file. */
  if (herald_flow_get_name (flow)[0] == '\0')
    {
      g_autofree char *base = g_path_get_basename (display);
      char *dot = strrchr (base, '.');

      if (dot != NULL && dot != base)
        *dot = '\0';
      herald_flow_set_name (flow, base);
    }
  return flow;
}

/* The flow a command names: a file on disk is taken as it is; otherwise
 * the name is a saved flow's, and @workspace is opened for it unless it
 * already is. */
static HeraldFlow *
open_flow (HeraldCli        *cli,
           const char       *target,
           HeraldWorkspace **workspace,
           GError          **error)
{
  if (g_file_test (target, G_FILE_TEST_IS_REGULAR))
    return read_flow (target, error);
  if (*workspace == NULL && !(*workspace = herald_cli_open_workspace (cli, error)))
    return NULL;
  return herald_flows_get (*workspace, target, error);
}

/* Prints the problems and says how many are errors. */
static guint
report (HeraldCli *cli,
        GPtrArray *problems)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint errors = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "problems");
  json_builder_begin_array (builder);
  for (guint i = 0; i < problems->len; i++)
    {
      HeraldFlowProblem *problem = problems->pdata[i];
      gboolean is_error = problem->severity == HERALD_FLOW_PROBLEM_ERROR;

      errors += is_error;
      if (cli->json)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "severity");
          json_builder_add_string_value (builder, is_error ? "error" : "warning");
          json_builder_set_member_name (builder, "code");
          json_builder_add_string_value (builder, problem->code);
          json_builder_set_member_name (builder, "node");
          if (problem->node != NULL)
            json_builder_add_string_value (builder, problem->node);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, problem->message);
          json_builder_end_object (builder);
        }
      else
        /* Translators: “warning: …” */
        g_print (_("%s: %s\n"), is_error ? _("error") : _("warning"), problem->message);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "errors");
  json_builder_add_int_value (builder, errors);
  json_builder_set_member_name (builder, "warnings");
  json_builder_add_int_value (builder, problems->len - errors);
  json_builder_end_object (builder);

  if (cli->json)
    herald_cli_print_json (builder);
  return errors;
}

HeraldCliExit
herald_cli_flows_validate (HeraldCli *cli)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(HeraldFlow) flow = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  const char *file = NULL;
  const HeraldCliOption options[] = { { NULL } };

  if (!herald_cli_parse (cli, "flows validate", options, &file))
    return HERALD_CLI_EXIT_USAGE;
  if (file == NULL)
    return herald_cli_usage_error (_("“%s” needs a flow file."), "flows validate");

  if (!(flow = read_flow (file, &error))
      || !(workspace = herald_cli_open_workspace (cli, &error)))
    return herald_cli_fail (cli, error);

  problems = herald_flow_validate (flow, workspace);
  if (report (cli, problems) > 0)
    return HERALD_CLI_EXIT_USER_ERROR;
  if (!cli->json && problems->len == 0)
    g_print (_("No problems found.\n"));
  return HERALD_CLI_EXIT_OK;
}

HeraldCliExit
herald_cli_flows_import (HeraldCli *cli)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(HeraldFlow) flow = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  const char *file = NULL;
  const HeraldCliOption options[] = { { NULL } };

  if (!herald_cli_parse (cli, "flows import", options, &file))
    return HERALD_CLI_EXIT_USAGE;
  if (file == NULL)
    return herald_cli_usage_error (_("“%s” needs a flow file."), "flows import");

  /* A flow with validation problems is saved all the same: it is a draft,
   * and no work is lost to a problem. */
  if (!(flow = read_flow (file, &error))
      || !(workspace = herald_cli_open_workspace (cli, &error))
      || !herald_flows_save (workspace, flow, &error))
    return herald_cli_fail (cli, error);

  problems = herald_flow_validate (flow, workspace);
  report (cli, problems);
  if (!cli->json)
    g_print (_("Flow “%s” saved.\n"), herald_flow_get_name (flow));
  return HERALD_CLI_EXIT_OK;
}

HeraldCliExit
herald_cli_flows_draw (HeraldCli *cli)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(HeraldFlow) flow = NULL;
  g_autoptr(GError) error = NULL;
  const char *target = NULL;
  const char *output = NULL;
  const HeraldCliOption options[] = {
    { "--output", .value = &output },
    { NULL },
  };

  if (!herald_cli_parse (cli, "flows draw", options, &target))
    return HERALD_CLI_EXIT_USAGE;
  if (target == NULL || output == NULL)
    return herald_cli_usage_error (_("“%s” needs a flow and --output FILE.svg, .png or .pdf."), "flows draw");

  if (!(flow = open_flow (cli, target, &workspace, &error))
      || !herald_flow_draw_to_file (flow, output, &error))
    return herald_cli_fail (cli, error);
  return HERALD_CLI_EXIT_OK;
}

HeraldCliExit
herald_cli_flows_list (HeraldCli *cli)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_auto(GStrv) names = NULL;

  if (cli->n_args > 0)
    return herald_cli_usage_error (_("“%s” takes no arguments, but “%s” was given."), "flows list", cli->args[0]);

  if (!(workspace = herald_cli_open_workspace (cli, &error))
      || !(names = herald_flows_list (workspace, &error)))
    return herald_cli_fail (cli, error);

  json_builder_begin_array (builder);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(HeraldFlow) flow = herald_flows_get (workspace, names[i], NULL);
      g_autoptr(GPtrArray) problems = flow != NULL ? herald_flow_validate (flow, workspace) : NULL;
      guint nodes = flow != NULL ? herald_flow_get_nodes (flow)->len : 0;
      guint errors = 0;

      for (guint p = 0; problems != NULL && p < problems->len; p++)
        errors += ((HeraldFlowProblem *) problems->pdata[p])->severity == HERALD_FLOW_PROBLEM_ERROR;

      if (cli->json)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, names[i]);
          json_builder_set_member_name (builder, "nodes");
          json_builder_add_int_value (builder, nodes);
          json_builder_set_member_name (builder, "errors");
          json_builder_add_int_value (builder, errors);
          json_builder_end_object (builder);
        }
      else
        {
          /* Translators: how many steps a flow has, in the list of flows. */
          g_autofree char *steps = g_strdup_printf (ngettext ("%u step", "%u steps", nodes), nodes);

          g_print ("%-30s %s\n", names[i], steps);
        }
    }
  json_builder_end_array (builder);
  if (cli->json)
    herald_cli_print_json (builder);
  return HERALD_CLI_EXIT_OK;
}

/* ngettext needs a whole number. A figure shown with decimals (or as
 * n/a) takes the form of 2, the one most languages also use for
 * fractions: “1.5 days”, “1,5 дня”. */
static gulong
plural_for (double value,
            int    digits)
{
  double scale = pow (10, digits);
  double shown = round (fabs (value) * scale) / scale;

  if (!isfinite (shown) || shown != floor (shown) || shown > G_MAXULONG)
    return 2;
  return (gulong) shown;
}

static gulong
plural_for_count (double value)
{
  /* As herald_format_count() shows it: one decimal below ten. */
  return plural_for (value, fabs (value) < 10 ? 1 : 0);
}

/* Rows of a label and a figure, printed with the figures lined up. */
static void
add_row (GPtrArray  *rows,
         const char *label,
         char       *value)
{
  /* Translators: a label before its figure, as in “Emails sent: 1,000”. */
  g_ptr_array_add (rows, g_strdup_printf (_("%s:"), label));
  g_ptr_array_add (rows, value);
}

static void
print_rows (GPtrArray *rows)
{
  glong width = 0;

  for (guint i = 0; i < rows->len; i += 2)
    width = MAX (width, g_utf8_strlen (rows->pdata[i], -1));
  for (guint i = 0; i < rows->len; i += 2)
    g_print ("  %s%*s %s\n", (char *) rows->pdata[i], (int) (width - g_utf8_strlen (rows->pdata[i], -1)), "",
             (char *) rows->pdata[i + 1]);
  g_ptr_array_set_size (rows, 0);
}

static char *
forecast_and_actual (double expected,
                     double actual)
{
  g_autofree char *expected_text = herald_format_count (expected);
  g_autofree char *actual_text = herald_format_count (actual);

  /* Translators: a forecast figure and the actual one, “1,000 expected, 980 actual”. */
  return g_strdup_printf (_("%s expected, %s actual"), expected_text, actual_text);
}

static char *
format_range (const HeraldForecastRange *range,
              char                    *(*format) (double value))
{
  g_autofree char *low = format (range->low);
  g_autofree char *high = format (range->high);

  /* Translators: the low and high end of a range of outcomes, “8 to 12”. */
  return g_strdup_printf (_("%s to %s"), low, high);
}

static char *
format_money_range (const HeraldForecastRange *range,
                    const char                *currency)
{
  g_autofree char *low = herald_format_money (range->low, currency);
  g_autofree char *high = herald_format_money (range->high, currency);

  return g_strdup_printf (_("%s to %s"), low, high);
}

static char *
format_cost (HeraldCost  cost,
             double      value,
             const char *currency)
{
  g_autofree char *money = NULL;
  g_autofree char *nothing = NULL;

  if (cost == HERALD_COST_TASK_MINUTES)
    return herald_format_decimal (value, 1);

  /* A cost per email is often a fraction of the smallest coin, which the
   * currency's digits would show as nothing at all. */
  money = herald_format_money (value, currency);
  nothing = herald_format_money (0, currency);
  if (cost == HERALD_COST_PER_EMAIL && value > 0 && g_str_equal (money, nothing))
    {
      g_autofree char *thousand = herald_format_money (value * 1000, currency);

      /* Translators: the cost of sending emails, when one email costs less than a cent. */
      return g_strdup_printf (_("%s per 1,000 emails"), thousand);
    }
  return g_steal_pointer (&money);
}

static char *
with_source (char         *value,
             HeraldSource  source)
{
  g_autofree char *owned = value;

  /* Translators: an assumption and where it comes from, “35 % (Your preferences)”. */
  return g_strdup_printf (_("%s (%s)"), owned, herald_source_label (source));
}

/* The figures of one step, such as “1,000 contacts, 350 opens, day 3”. */
static char *
describe_step (const HeraldFlowNode     *node,
               const HeraldForecastNode *figures,
               const char               *currency)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *contacts = herald_format_count (figures->contacts);
  g_autofree char *days = herald_format_decimal (figures->days, 1);

  /* Translators: expected contacts reaching a step of a flow. */
  g_ptr_array_add (parts, g_strdup_printf (ngettext ("%s contact", "%s contacts", plural_for_count (figures->contacts)),
                                           contacts));
  if (node->type == HERALD_FLOW_NODE_EMAIL)
    {
      g_autofree char *sent = herald_format_count (figures->sent);
      g_autofree char *opens = herald_format_count (figures->opens);
      g_autofree char *clicks = herald_format_count (figures->clicks);

      g_ptr_array_add (parts, g_strdup_printf (ngettext ("%s email sent", "%s emails sent",
                                                         plural_for_count (figures->sent)), sent));
      g_ptr_array_add (parts, g_strdup_printf (ngettext ("%s open", "%s opens",
                                                         plural_for_count (figures->opens)), opens));
      g_ptr_array_add (parts, g_strdup_printf (ngettext ("%s click", "%s clicks",
                                                         plural_for_count (figures->clicks)), clicks));
    }
  else if (node->type == HERALD_FLOW_NODE_GOAL)
    {
      g_autofree char *conversions = herald_format_count (figures->conversions);
      g_autofree char *revenue = herald_format_money (figures->revenue, currency);

      g_ptr_array_add (parts, g_strdup_printf (ngettext ("%s conversion", "%s conversions",
                                                         plural_for_count (figures->conversions)), conversions));
      /* Translators: the expected revenue of a goal of a flow, “€490.00 revenue”. */
      g_ptr_array_add (parts, g_strdup_printf (_("%s revenue"), revenue));
    }
  /* Translators: how long after entering the flow contacts reach a step, on average. */
  g_ptr_array_add (parts, g_strdup_printf (ngettext ("%s day after entry", "%s days after entry",
                                                     plural_for (figures->days, 1)), days));
  g_ptr_array_add (parts, NULL);

  /* Translators: between the figures of a step: “1,000 contacts, 350 opens”. */
  return g_strjoinv (_(", "), (char **) parts->pdata);
}

static void
print_forecast (HeraldFlow           *flow,
                const HeraldForecast *forecast)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  const char *currency = forecast->currency;
  guint n_endless = g_strv_length (forecast->endless);

  g_print (_("Forecast for “%s”\n"), herald_flow_get_name (flow));

  if (n_endless > 0)
    {
      g_autoptr(GString) steps = g_string_new (NULL);
      g_autofree char *message = NULL;

      /* In the flow's order, as the steps are listed below. */
      for (guint i = 0; i < forecast->nodes->len; i++)
        {
          const HeraldForecastNode *figures = forecast->nodes->pdata[i];
          HeraldFlowNode *node = herald_flow_get_node (flow, figures->id);
          g_autofree char *title = NULL;

          if (node == NULL || !g_strv_contains ((const char * const *) forecast->endless, figures->id))
            continue;
          title = herald_flow_node_dup_title (node);
          if (steps->len > 0)
            g_string_append (steps, _(", "));
          g_string_append_printf (steps, _("“%s”"), title);
        }
      message = g_strdup_printf (ngettext ("Contacts never leave the loop through %s, so its figures are n/a. "
                                           "Give the loop a way out, such as a condition leading on.",
                                           "Contacts never leave the loop through %s, so their figures are n/a. "
                                           "Give the loop a way out, such as a condition leading on.",
                                           n_endless),
                                 steps->str);
      g_print (_("%s: %s\n"), _("warning"), message);
    }
  g_print ("\n");

  add_row (rows, _("Audience"), herald_format_count (forecast->audience));
  add_row (rows, _("Emails sent"), herald_format_count (forecast->emails_sent));
  add_row (rows, _("Delivered"), herald_format_count (forecast->delivered));
  add_row (rows, _("Opens"), herald_format_count (forecast->opens));
  add_row (rows, _("Clicks"), herald_format_count (forecast->clicks));
  add_row (rows, _("Conversions"), herald_format_count (forecast->conversions));
  add_row (rows, _("Revenue"), herald_format_money (forecast->revenue, currency));
  add_row (rows, _("Cost"), herald_format_money (forecast->cost, currency));
  add_row (rows, _("Profit"), herald_format_money (forecast->profit, currency));
  add_row (rows, _("ROI"), herald_format_percent (forecast->roi));
  add_row (rows, _("ROAS"), herald_format_percent (forecast->roas));
  add_row (rows, _("Cost per conversion"), herald_format_money (forecast->cost_per_conversion, currency));
  if (isfinite (forecast->days))
    {
      g_autofree char *days = herald_format_decimal (forecast->days, 1);

      add_row (rows, _("Duration"), g_strdup_printf (ngettext ("%s day", "%s days", plural_for (forecast->days, 1)),
                                                     days));
    }
  else
    add_row (rows, _("Duration"), herald_format_decimal (forecast->days, 1));
  print_rows (rows);

  if (forecast->runs > 0)
    {
      g_print ("\n");
      g_print (ngettext ("From 5th to 95th percentile of %u simulated run:\n",
                         "From 5th to 95th percentile of %u simulated runs:\n", forecast->runs),
               forecast->runs);
      add_row (rows, _("Emails sent"), format_range (&forecast->emails_sent_range, herald_format_count));
      add_row (rows, _("Conversions"), format_range (&forecast->conversions_range, herald_format_count));
      add_row (rows, _("Revenue"), format_money_range (&forecast->revenue_range, currency));
      add_row (rows, _("Cost"), format_money_range (&forecast->cost_range, currency));
      add_row (rows, _("ROI"), format_range (&forecast->roi_range, herald_format_percent));
      print_rows (rows);
    }

  /* What the flow's steps brought when it ran, beside what was expected. */
  if (forecast->actuals != NULL)
    {
      g_print ("\n");
      g_print (_("Forecast against actual results of the linked campaigns:\n"));
      add_row (rows, _("Emails sent"), forecast_and_actual (forecast->emails_sent, forecast->actual_sent));
      add_row (rows, _("Opens"), forecast_and_actual (forecast->opens, forecast->actual_opens));
      add_row (rows, _("Clicks"), forecast_and_actual (forecast->clicks, forecast->actual_clicks));
      add_row (rows, _("Conversions"), forecast_and_actual (forecast->conversions, forecast->actual_conversions));
      {
        g_autofree char *expected = herald_format_money (forecast->revenue, currency);
        g_autofree char *actual = herald_format_money (forecast->actual_revenue, currency);

        add_row (rows, _("Revenue"), g_strdup_printf (_("%s expected, %s actual"), expected, actual));
      }
      print_rows (rows);
    }

  g_print ("\n");
  g_print (_("Assumptions for the whole flow:\n"));
  for (HeraldRate r = 0; r < HERALD_N_RATES; r++)
    add_row (rows, herald_rate_label (r),
             with_source (herald_format_percent (forecast->rates[r]), forecast->rate_sources[r]));
  for (HeraldCost c = 0; c < HERALD_N_COSTS; c++)
    add_row (rows, herald_cost_label (c),
             with_source (format_cost (c, forecast->costs[c], currency), forecast->cost_sources[c]));
  print_rows (rows);

  g_print ("\n");
  g_print (_("Steps:\n"));
  for (guint i = 0; i < forecast->nodes->len; i++)
    {
      const HeraldForecastNode *figures = forecast->nodes->pdata[i];
      HeraldFlowNode *node = herald_flow_get_node (flow, figures->id);

      g_autofree char *title = NULL;

      if (node == NULL)
        continue;
      title = herald_flow_node_dup_title (node);
      add_row (rows, title, describe_step (node, figures, currency));
    }
  print_rows (rows);
}

/* A number of contacts: 0 or more, and not n/a. */
static gboolean
parse_audience (const char *text,
                double     *audience)
{
  char *end = NULL;
  double value = g_ascii_strtod (text, &end);

  if (end == text || *end != '\0' || !isfinite (value) || value < 0)
    return FALSE;
  *audience = value;
  return TRUE;
}

HeraldCliExit
herald_cli_flows_forecast (HeraldCli *cli)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(HeraldFlow) flow = NULL;
  g_autoptr(HeraldForecastBasis) basis = NULL;
  g_autoptr(HeraldForecast) forecast = NULL;
  g_autoptr(GError) error = NULL;
  HeraldForecastOptions settings = HERALD_FORECAST_OPTIONS_INIT;
  const char *target = NULL;
  const char *audience = NULL;
  const char *segment = NULL;
  const char *runs = NULL;
  const char *seed = NULL;
  guint64 number;
  const HeraldCliOption options[] = {
    { "--audience", .value = &audience },
    { "--segment", .value = &segment },
    { "--runs", .value = &runs },
    { "--seed", .value = &seed },
    { NULL },
  };

  if (!herald_cli_parse (cli, "flows forecast", options, &target))
    return HERALD_CLI_EXIT_USAGE;
  if (target == NULL)
    return herald_cli_usage_error (_("“%s” needs a flow name or a flow file."), "flows forecast");
  if (audience != NULL && segment != NULL)
    return herald_cli_usage_error (_("“%s” takes “%s” or “%s”, not both."),
                                   "flows forecast", "--audience", "--segment");
  if (audience != NULL && !parse_audience (audience, &settings.audience))
    return herald_cli_usage_error (_("“%s” needs a number of contacts, 0 or more, but “%s” was given."),
                                   "--audience", audience);
  if (runs != NULL)
    {
      if (!g_ascii_string_to_unsigned (runs, 10, 0, MAX_RUNS, &number, NULL))
        return herald_cli_usage_error (_("“%s” needs a whole number from 0 to %u, but “%s” was given."),
                                       "--runs", MAX_RUNS, runs);
      settings.runs = number;
    }
  if (seed != NULL)
    {
      if (!g_ascii_string_to_unsigned (seed, 10, 0, G_MAXUINT32, &number, NULL))
        return herald_cli_usage_error (_("“%s” needs a whole number from 0 to %u, but “%s” was given."),
                                       "--seed", G_MAXUINT32, seed);
      settings.seed = number;
    }

  /* Even a flow from a file is forecast with the workspace's preferences,
   * past results and segments. */
  if (!(flow = open_flow (cli, target, &workspace, &error))
      || (workspace == NULL && !(workspace = herald_cli_open_workspace (cli, &error)))
      || !(basis = herald_forecast_basis_load (workspace, flow, NULL, &error)))
    return herald_cli_fail (cli, error);

  if (segment != NULL)
    {
      gint64 count = herald_segments_count (workspace, segment, NULL, &error);

      if (count < 0)
        return herald_cli_fail (cli, error);
      settings.audience = count;
    }

  forecast = herald_forecast_compute (flow, basis, &settings);
  if (cli->json)
    {
      g_autofree char *json = herald_forecast_to_json (forecast);

      /* JSON is UTF-8 whatever the locale, so it bypasses g_print's conversion. */
      fputs (json, stdout);
      fputc ('\n', stdout);
    }
  else
    print_forecast (flow, forecast);
  return HERALD_CLI_EXIT_OK;
}
