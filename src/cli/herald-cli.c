/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdarg.h>
#include <stdio.h>

#include "herald-cli-private.h"

/* Verbs of DESIGN.md join this table as their capabilities land; a verb is
 * listed only when it does what its summary says. */
static const HeraldCliCommand commands[] = {
  { "contacts", "import",
    "FILE [--preset auto|mailchimp|hubspot|salesforce|activecampaign|brevo|generic] "
    "[--policy update-empty|overwrite|skip] [--consent PURPOSE [--evidence TEXT]] "
    "[--encoding auto|utf-8|utf-16le|utf-16be|windows-1252] [--delimiter ,|;|tab|pipe] [--rejected FILE] "
    "[--check-domains]",
    N_("Import contacts from a CSV export"), herald_cli_contacts_import },
  { "contacts", "count", "", N_("Print how many contacts the workspace holds"),
    herald_cli_contacts_count },
  { "contacts", "show", "EMAIL", N_("Show a contact with tags, custom fields and consent"),
    herald_cli_contacts_show },
  { "contacts", "export", "FILE [--segment NAME]", N_("Write the contacts, or a segment's, to a CSV file"),
    herald_cli_contacts_export },
  { "contacts", "erase", "EMAIL", N_("Erase a person on request, keeping them from being imported again"),
    herald_cli_contacts_erase },
  { "segments", "save", "NAME RULES.json [--description TEXT]", N_("Check rules and save them as a segment"),
    herald_cli_segments_save },
  { "segments", "count", "(RULES.json | --name NAME)", N_("Count the contacts that match rules or a segment"),
    herald_cli_segments_count },
  { "segments", "list", "", N_("List the segments with their counts"),
    herald_cli_segments_list },
  { "segments", "retention", "[NAME] [--churn-days N]",
    N_("Show customers, orders, repeat purchases, churn and lifetime value of a segment"),
    herald_cli_segments_retention },
  { "templates", "add", "NAME --subject S --html FILE [--text FILE] [--preheader S]",
    N_("Check a template and save it in the workspace"), herald_cli_templates_add },
  { "templates", "render", "(NAME | FILE) (--contact EMAIL | --data DATA.json) [--partial NAME=FILE]… [--text]",
    N_("Print a template as one contact, or any data, would see it"), herald_cli_templates_render },
  { "templates", "lint", "(NAME | FILE) [--segment NAME] [--check-links]",
    N_("Check a template for compliance and quality problems"), herald_cli_templates_lint },
  { "templates", "list", "", N_("List the templates with their subjects"),
    herald_cli_templates_list },
  { "templates", "export", "NAME --mailchimp [--output FILE]",
    N_("Write a template's HTML in Mailchimp's merge language"), herald_cli_templates_export },
  { "flows", "validate", "FLOW.json", N_("Check a flow and list its errors and warnings"),
    herald_cli_flows_validate },
  { "flows", "import", "FLOW.json", N_("Save a flow in the workspace, even as a draft"),
    herald_cli_flows_import },
  { "flows", "list", "", N_("List the flows with their number of steps"),
    herald_cli_flows_list },
  { "flows", "draw", "(NAME | FLOW.json) --output FILE.(svg|png|pdf)",
    N_("Draw a flow as a picture for presentations"), herald_cli_flows_draw },
  { "flows", "forecast", "(NAME | FLOW.json) [--audience N | --segment NAME] [--runs N] [--seed N]",
    N_("Forecast a flow’s emails, conversions, revenue, cost and ROI"), herald_cli_flows_forecast },
  { "results", "import",
    "FILE [--preset auto|mailchimp-campaigns|mailchimp-report|activity|orders] [--campaign NAME]"
    " [--column KEY=COLUMN…] [--flow NAME --step ID]",
    N_("Import campaign results, recipients’ activity or orders from an export"), herald_cli_results_import },
  { "results", "list", "", N_("List the campaigns with results and their key figures"), herald_cli_results_list },
  { "results", "timeline", "[--by month|quarter|year]",
    N_("Show revenue, cost and ROI of the campaigns of each month, quarter or year"), herald_cli_results_timeline },
  { "results", "fetch", "CAMPAIGN_ID… [--save-key]",
    N_("Fetch campaigns’ results from Mailchimp’s API. The API key comes from HERALD_MAILCHIMP_API_KEY, "
       "or else the keyring; --save-key reads a key from standard input into the keyring"),
    herald_cli_results_fetch },
  { "report", NULL, "CAMPAIGN [--metric opens|clicks|conversions] [--output FILE.pdf]",
    N_("Show a campaign’s results, rates, revenue, cost and ROI"), herald_cli_report },
};

static void
print_help (const char *group)
{
  g_autofree char *default_path = herald_workspace_get_default_path ();
  GString *help = g_string_new (NULL);

  g_string_append_printf (help, _("Usage: %s [--workspace FILE] [--json] COMMAND [ARGUMENTS…]"),
                          "herald-cli");
  g_string_append (help, "\n\n");
  g_string_append (help, _("Plan email marketing from the command line. Herald keeps your "
                           "audience, segments, templates, flows and results in one local "
                           "workspace file."));
  g_string_append (help, "\n\n");
  g_string_append (help, _("Commands:"));
  g_string_append_c (help, '\n');

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *usage = NULL;

      if (group != NULL && g_strcmp0 (group, commands[i].group) != 0)
        continue;

      usage = commands[i].verb != NULL
              ? g_strchomp (g_strjoin (" ", commands[i].group, commands[i].verb, commands[i].synopsis, NULL))
              : g_strchomp (g_strjoin (" ", commands[i].group, commands[i].synopsis, NULL));
      if (strlen (usage) > 30)
        g_string_append_printf (help, "  %s\n  %-30s %s\n", usage, "", _(commands[i].summary));
      else
        g_string_append_printf (help, "  %-30s %s\n", usage, _(commands[i].summary));
    }

  g_string_append_c (help, '\n');
  g_string_append (help, _("Options, accepted anywhere on the command line:"));
  g_string_append_c (help, '\n');
  g_string_append_printf (help, "  %-30s ", "--workspace FILE");
  g_string_append_printf (help, _("The workspace to use (default: %s)"), default_path);
  g_string_append_c (help, '\n');
  g_string_append_printf (help, "  %-30s %s\n", "--json", _("Print machine-readable JSON"));
  g_string_append_printf (help, "  %-30s %s\n", "--help", _("Show this help and exit"));
  g_string_append_printf (help, "  %-30s %s\n", "--version", _("Show the version and exit"));
  g_string_append_c (help, '\n');
  g_string_append (help, _("Exit status: 0 on success, 1 when the command could not be done "
                           "(the message says why), 2 when the command line is wrong."));
  g_string_append_c (help, '\n');

  g_print ("%s", help->str);
  g_string_free (help, TRUE);
}

HeraldCliExit
herald_cli_usage_error (const char *format,
                        ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("herald-cli: %s\n", message);
  g_printerr (_("Run “%s” to see the commands."), "herald-cli --help");
  g_printerr ("\n");

  return HERALD_CLI_EXIT_USAGE;
}

HeraldCliExit
herald_cli_fail (HeraldCli *cli,
                 GError    *error)
{
  g_printerr ("herald-cli: %s\n", error->message);

  return HERALD_CLI_EXIT_USER_ERROR;
}

/**
 * herald_cli_parse:
 * @options: the command's options, ending with one whose name is %NULL
 * @argument: (out): receives the one word that is not an option, if any
 *
 * Sorts a command's words into its options and its one argument.
 *
 * Returns: %FALSE after printing a usage error
 */
gboolean
herald_cli_parse (HeraldCli              *cli,
                  const char             *command,
                  const HeraldCliOption  *options,
                  const char            **argument)
{
  *argument = NULL;

  for (guint i = 0; i < cli->n_args; i++)
    {
      const char *word = cli->args[i];
      const HeraldCliOption *option = NULL;

      for (guint j = 0; options[j].name != NULL && option == NULL; j++)
        if (g_str_equal (word, options[j].name))
          option = &options[j];

      if (option != NULL && option->flag != NULL)
        *option->flag = TRUE;
      else if (option != NULL)
        {
          if (i + 1 >= cli->n_args)
            {
              herald_cli_usage_error (_("“%s” needs a value."), word);
              return FALSE;
            }
          if (option->value != NULL)
            *option->value = cli->args[++i];
          else
            g_ptr_array_add (option->values, cli->args[++i]);
        }
      else if (g_str_has_prefix (word, "--"))
        {
          herald_cli_usage_error (_("Unknown option “%s”."), word);
          return FALSE;
        }
      else if (*argument == NULL)
        *argument = word;
      else
        {
          herald_cli_usage_error (_("“%s” takes one argument, but “%s” was given too."), command, word);
          return FALSE;
        }
    }

  return TRUE;
}

/* Reads a UTF-8 text file named on the command line. */
char *
herald_cli_read_text (const char  *path,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display = g_filename_display_name (path);
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, &local_error))
    {
      g_set_error (error, G_FILE_ERROR, local_error->code, _("“%s” could not be read: %s"),
                   display, local_error->message);
      return NULL;
    }

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_free (text);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, _("“%s” is not UTF-8 text."), display);
      return NULL;
    }

  return text;
}

HeraldWorkspace *
herald_cli_open_workspace (HeraldCli  *cli,
                           GError    **error)
{
  g_autofree char *default_path = NULL;
  const char *path = cli->workspace_path;

  if (path == NULL)
    path = default_path = herald_workspace_get_default_path ();

  return herald_workspace_open (path, HERALD_WORKSPACE_OPEN_CREATE, error);
}

void
herald_cli_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  herald_cli_print_json_node (root);
}

/* One figure of a report: its label, its value and, if it is a rate,
 * what it is a share of. */
void
herald_cli_print_figure (const char *label,
                         const char *value,
                         const char *denominator)
{
  g_autofree char *label_colon = g_strdup_printf (_("%s:"), label);

  if (denominator != NULL)
    g_print ("  %-26s %s  (%s)\n", label_colon, value, denominator);
  else
    g_print ("  %-26s %s\n", label_colon, value);
}

void
herald_cli_print_json_node (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);

  /* JSON is UTF-8 whatever the locale, so it bypasses g_print's conversion. */
  fputs (text, stdout);
  fputc ('\n', stdout);
}

/* Finds the command for @group and @verb; @out_first is the group's first
 * command, for a hint when the verb is missing or wrong. */
/**
 * herald_cli_print_json_member:
 * @value: (transfer full): the member's value
 *
 * Prints an object of one member, the answer of most commands.
 */
void
herald_cli_print_json_member (const char *name,
                              JsonNode   *value)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_member (object, name, value);
  json_node_set_object (root, object);
  herald_cli_print_json_node (root);
}

static const HeraldCliCommand *
find_command (const char              *group,
              const char              *verb,
              const HeraldCliCommand **out_first)
{
  *out_first = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_strcmp0 (commands[i].group, group) != 0)
        continue;

      if (*out_first == NULL)
        *out_first = &commands[i];

      /* A group that is a command of its own, such as "report CAMPAIGN". */
      if (commands[i].verb == NULL || g_strcmp0 (commands[i].verb, verb) == 0)
        return &commands[i];
    }

  return NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) words = g_ptr_array_new ();
  g_autofree char *workspace_path = NULL;
  const HeraldCliCommand *command;
  gboolean options_done = FALSE;
  const HeraldCliCommand *first;
  gboolean help = FALSE;
  gboolean version = FALSE;
  HeraldCli cli = { 0 };

  herald_i18n_init ();
  g_set_prgname ("herald-cli");

  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];

      if (options_done)
        g_ptr_array_add (words, argv[i]);
      else if (g_str_equal (arg, "--"))
        options_done = TRUE;
      else if (g_str_equal (arg, "--workspace"))
        {
          if (i + 1 >= argc || argv[i + 1][0] == '\0')
            return herald_cli_usage_error (_("“%s” needs a file name."), "--workspace");

          g_free (workspace_path);
          workspace_path = g_strdup (argv[++i]);
        }
      else if (g_str_has_prefix (arg, "--workspace="))
        {
          if (arg[strlen ("--workspace=")] == '\0')
            return herald_cli_usage_error (_("“%s” needs a file name."), "--workspace");

          g_free (workspace_path);
          workspace_path = g_strdup (arg + strlen ("--workspace="));
        }
      else if (g_str_equal (arg, "--json"))
        cli.json = TRUE;
      else if (g_str_equal (arg, "--help") || g_str_equal (arg, "-h"))
        help = TRUE;
      else if (g_str_equal (arg, "--version"))
        version = TRUE;
      else
        g_ptr_array_add (words, argv[i]);
    }

  if (version)
    {
      g_print ("herald-cli %s\n", PACKAGE_VERSION);
      return HERALD_CLI_EXIT_OK;
    }

  if (help)
    {
      print_help (words->len > 0 ? g_ptr_array_index (words, 0) : NULL);
      return HERALD_CLI_EXIT_OK;
    }

  if (words->len == 0)
    return herald_cli_usage_error (_("No command given."));

  command = find_command (g_ptr_array_index (words, 0),
                          words->len > 1 ? g_ptr_array_index (words, 1) : NULL,
                          &first);

  if (command == NULL && first == NULL)
    return herald_cli_usage_error (_("Unknown command “%s”."), (char *)g_ptr_array_index (words, 0));

  if (command == NULL && words->len < 2)
    return herald_cli_usage_error (_("“%s” needs a command after it, such as “%s %s”."),
                                   (char *)g_ptr_array_index (words, 0),
                                   first->group, first->verb);

  if (command == NULL)
    return herald_cli_usage_error (_("Unknown command “%s %s”."),
                                   (char *)g_ptr_array_index (words, 0),
                                   (char *)g_ptr_array_index (words, 1));

  cli.workspace_path = workspace_path;
  cli.args = (char **)words->pdata + (command->verb != NULL ? 2 : 1);
  cli.n_args = words->len - (command->verb != NULL ? 2 : 1);

  return command->func (&cli);
}
