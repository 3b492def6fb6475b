/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "herald-cli-private.h"

HeraldCliExit
herald_cli_contacts_count (HeraldCli *cli)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  gint64 count;

  if (cli->n_args > 0)
    return herald_cli_usage_error (_("“contacts count” takes no arguments, but “%s” was given."),
                                   cli->args[0]);

  if (!(workspace = herald_cli_open_workspace (cli, &error)))
    return herald_cli_fail (cli, error);

  if ((count = herald_workspace_count (workspace, HERALD_COLLECTION_CONTACTS, &error)) < 0)
    return herald_cli_fail (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "count");
      json_builder_add_int_value (builder, count);
      json_builder_end_object (builder);
      herald_cli_print_json (builder);
    }
  else
    {
      g_print ("%" G_GINT64_FORMAT "\n", count);
    }

  return HERALD_CLI_EXIT_OK;
}
