/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "herald-cli-private.h"

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

  /* A file on disk is drawn as it is; otherwise the name is a saved flow's. */
  if (g_file_test (target, G_FILE_TEST_IS_REGULAR))
    flow = read_flow (target, &error);
  else if ((workspace = herald_cli_open_workspace (cli, &error)) != NULL)
    flow = herald_flows_get (workspace, target, &error);

  if (flow == NULL || !herald_flow_draw_to_file (flow, output, &error))
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
