/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "herald-cli-private.h"

/* Checks that a part compiles, naming the file and place when it does not. */
static gboolean
check_part (const char  *source,
            const char  *file,
            const char  *part,
            GError     **error)
{
  g_autoptr(HeraldTemplate) template = herald_template_new (source, NULL, error);

  if (template == NULL)
    {
      if (file != NULL)
        {
          g_autofree char *display = g_filename_display_name (file);

          /* Translators: the start of an error message naming a file. */
          g_prefix_error (error, _("“%s”: "), display);
        }
      else
        g_prefix_error (error, "%s: ", part);
      return FALSE;
    }
  return TRUE;
}

HeraldCliExit
herald_cli_templates_add (HeraldCli *cli)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(HeraldTemplateRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  const char *name = NULL;
  const char *subject = NULL;
  const char *preheader = "";
  const char *html_file = NULL;
  const char *text_file = NULL;

  const HeraldCliOption options[] = {
    { "--subject", .value = &subject },
    { "--preheader", .value = &preheader },
    { "--html", .value = &html_file },
    { "--text", .value = &text_file },
    { NULL },
  };

  if (!herald_cli_parse (cli, "templates add", options, &name))
    return HERALD_CLI_EXIT_USAGE;

  if (name == NULL || subject == NULL || html_file == NULL)
    return herald_cli_usage_error (_("“%s” needs a name, --subject and --html."), "templates add");

  record = herald_template_record_new (name);
  g_free (record->subject);
  record->subject = g_strdup (subject);
  g_free (record->preheader);
  record->preheader = g_strdup (preheader);
  g_free (record->html);
  if (!(record->html = herald_cli_read_text (html_file, &error))
      || (text_file != NULL && !(record->text = herald_cli_read_text (text_file, &error))))
    return herald_cli_fail (cli, error);

  /* A broken template is not saved: the files stay as they are, to be fixed. */
  if (!check_part (record->subject, NULL, "--subject", &error)
      || !check_part (record->preheader, NULL, "--preheader", &error)
      || !check_part (record->html, html_file, NULL, &error)
      || (record->text != NULL && !check_part (record->text, text_file, NULL, &error)))
    return herald_cli_fail (cli, error);

  if (!(workspace = herald_cli_open_workspace (cli, &error))
      || !herald_templates_save (workspace, record, NULL, &error))
    return herald_cli_fail (cli, error);

  if (cli->json)
    herald_cli_print_json_member ("saved", json_node_init_string (json_node_alloc (), record->name));
  else
    g_print (_("Template “%s” saved.\n"), record->name);
  return HERALD_CLI_EXIT_OK;
}

static JsonNode *
read_data (const char  *path,
           GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = herald_cli_read_text (path, error);
  g_autofree char *display = g_filename_display_name (path);

  if (text == NULL)
    return NULL;
  if (!json_parser_load_from_data (parser, text, -1, &local_error))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, _("“%s” is not valid JSON: %s"),
                   display, local_error->message);
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

static gboolean
add_partial (HeraldTemplateLibrary  *library,
             const char             *spec,
             GError                **error)
{
  g_autofree char *name = NULL;
  g_autofree char *source = NULL;
  const char *equals = strchr (spec, '=');

  if (equals == NULL || equals == spec || equals[1] == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” must be written NAME=FILE, such as footer=footer.html."), "--partial");
      return FALSE;
    }
  name = g_strndup (spec, equals - spec);
  if (!(source = herald_cli_read_text (equals + 1, error)))
    return FALSE;
  herald_template_library_add (library, name, source);
  return TRUE;
}

static void
print_exactly (const char *text)
{
  /* Exactly what the template gave: no conversion, nothing added. */
  fwrite (text, 1, strlen (text), stdout);
  fflush (stdout);
}

HeraldCliExit
herald_cli_templates_render (HeraldCli *cli)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(HeraldTemplateRecord) record = NULL;
  g_autoptr(HeraldTemplateLibrary) library = NULL;
  g_autoptr(HeraldTemplateContext) context = NULL;
  g_autoptr(HeraldContact) contact = NULL;
  g_autoptr(HeraldMessage) message = NULL;
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GPtrArray) partials = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *target = NULL;
  const char *email = NULL;
  const char *data_file = NULL;
  gboolean text = FALSE;
  gboolean from_file;

  const HeraldCliOption options[] = {
    { "--text", .flag = &text },
    { "--contact", .value = &email },
    { "--data", .value = &data_file },
    { "--partial", .values = partials },
    { NULL },
  };

  if (!herald_cli_parse (cli, "templates render", options, &target))
    return HERALD_CLI_EXIT_USAGE;

  if (target == NULL || (email == NULL) == (data_file == NULL))
    return herald_cli_usage_error (_("“%s” needs a template name or file, and either --contact EMAIL or --data DATA.json."),
                                   "templates render");

  /* A file on disk is rendered as it is; otherwise the name is a saved
   * template's. --text prints the plain-text part, derived from the HTML
   * unless the template has its own. Rendering a file against --data needs no workspace. */
  from_file = g_file_test (target, G_FILE_TEST_IS_REGULAR);
  if (!from_file || email != NULL)
    {
      if (!(workspace = herald_cli_open_workspace (cli, &error))
          || !(library = herald_snippets_load (workspace, &error)))
        return herald_cli_fail (cli, error);
    }
  else
    library = herald_template_library_new ();

  for (guint i = 0; i < partials->len; i++)
    if (!add_partial (library, partials->pdata[i], &error))
      return herald_cli_fail (cli, error);

  if (from_file)
    {
      g_autofree char *source = herald_cli_read_text (target, &error);

      if (source == NULL || !check_part (source, target, NULL, &error))
        return herald_cli_fail (cli, error);
      /* A .txt file is a plain-text template; anything else is HTML. */
      record = herald_template_record_new (target);
      if (g_str_has_suffix (target, ".txt"))
        record->text = g_steal_pointer (&source);
      else
        {
          g_free (record->html);
          record->html = g_steal_pointer (&source);
        }
    }
  else if (!(record = herald_templates_get (workspace, target, &error)))
    return herald_cli_fail (cli, error);

  if (email != NULL)
    {
      if (!(contact = herald_contacts_lookup (workspace, email, &error)))
        return herald_cli_fail (cli, error);
      context = herald_template_context_new (workspace, contact);
    }
  else if (!(data = read_data (data_file, &error)))
    return herald_cli_fail (cli, error);

  if (!(message = herald_template_record_render (record, library, context, data, &error)))
    {
      if (from_file)
        {
          g_autofree char *display = g_filename_display_name (target);

          g_prefix_error (&error, _("“%s”: "), display);
        }
      return herald_cli_fail (cli, error);
    }

  print_exactly (text || (from_file && record->text != NULL) ? message->text : message->html);
  return HERALD_CLI_EXIT_OK;
}

static char *
describe_place (const HeraldLintProblem *problem)
{
  const char *part = herald_template_part_label (problem->part);

  /* Syntax errors say where they are themselves. */
  if (problem->line == 0 || g_str_equal (problem->code, "syntax"))
    return g_strdup (part);
  if (problem->column == 0)
    /* Translators: a place in a template, such as “HTML body, line 12”. */
    return g_strdup_printf (_("%s, line %u"), part, problem->line);
  /* Translators: a place in a template, such as “HTML body, line 12, column 4”. */
  return g_strdup_printf (_("%s, line %u, column %u"), part, problem->line, problem->column);
}

HeraldCliExit
herald_cli_templates_lint (HeraldCli *cli)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(HeraldTemplateRecord) record = NULL;
  g_autoptr(HeraldTemplateLibrary) library = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *target = NULL;
  const char *segment = NULL;
  gboolean check_links = FALSE;
  guint errors = 0;

  const HeraldCliOption options[] = {
    { "--segment", .value = &segment },
    { "--check-links", .flag = &check_links },
    { NULL },
  };

  if (!herald_cli_parse (cli, "templates lint", options, &target))
    return HERALD_CLI_EXIT_USAGE;

  if (target == NULL)
    return herald_cli_usage_error (_("“%s” needs a template name or file."), "templates lint");

  if (!(workspace = herald_cli_open_workspace (cli, &error))
      || !(library = herald_snippets_load (workspace, &error)))
    return herald_cli_fail (cli, error);

  if (g_file_test (target, G_FILE_TEST_IS_REGULAR))
    {
      /* A file is an HTML body without a subject to check. */
      record = herald_template_record_new (target);
      g_clear_pointer (&record->subject, g_free);
      g_free (record->html);
      if (!(record->html = herald_cli_read_text (target, &error)))
        return herald_cli_fail (cli, error);
    }
  else if (!(record = herald_templates_get (workspace, target, &error)))
    return herald_cli_fail (cli, error);

  if (!(problems = herald_template_record_lint (workspace, record, library, segment, &error)))
    return herald_cli_fail (cli, error);

  /* Over the network, and so only when asked. */
  if (check_links)
    {
      g_auto(GStrv) urls = herald_links_collect (record->html);
      g_autoptr(GPtrArray) results = herald_links_check ((const char * const *) urls, NULL, &error);

      if (results == NULL)
        return herald_cli_fail (cli, error);
      herald_lint_problems_add_links (problems, results);
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "problems");
  json_builder_begin_array (builder);
  for (guint i = 0; i < problems->len; i++)
    {
      HeraldLintProblem *problem = problems->pdata[i];
      g_autofree char *place = describe_place (problem);
      gboolean is_error = problem->severity == HERALD_LINT_ERROR;

      errors += is_error;
      if (cli->json)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "severity");
          json_builder_add_string_value (builder, is_error ? "error" : "warning");
          json_builder_set_member_name (builder, "code");
          json_builder_add_string_value (builder, problem->code);
          json_builder_set_member_name (builder, "part");
          json_builder_add_string_value (builder, problem->part);
          json_builder_set_member_name (builder, "line");
          json_builder_add_int_value (builder, problem->line);
          json_builder_set_member_name (builder, "column");
          json_builder_add_int_value (builder, problem->column);
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, problem->message);
          json_builder_end_object (builder);
        }
      else
        /* Translators: “error: HTML body, line 3: The image … has no alt text” */
        g_print (_("%s: %s: %s\n"), is_error ? _("error") : _("warning"), place, problem->message);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  if (cli->json)
    herald_cli_print_json (builder);
  else if (problems->len == 0)
    g_print (_("No problems found.\n"));

  return errors > 0 ? HERALD_CLI_EXIT_USER_ERROR : HERALD_CLI_EXIT_OK;
}

HeraldCliExit
herald_cli_templates_export (HeraldCli *cli)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(HeraldTemplateRecord) record = NULL;
  g_autoptr(HeraldTemplateLibrary) library = NULL;
  g_autoptr(HeraldTemplate) template = NULL;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;
  const char *name = NULL;
  const char *output = NULL;
  gboolean mailchimp = FALSE;

  const HeraldCliOption options[] = {
    { "--mailchimp", .flag = &mailchimp },
    { "--output", .value = &output },
    { NULL },
  };

  if (!herald_cli_parse (cli, "templates export", options, &name))
    return HERALD_CLI_EXIT_USAGE;

  if (name == NULL || !mailchimp)
    return herald_cli_usage_error (_("“%s” needs a template name and --mailchimp."), "templates export");

  if (!(workspace = herald_cli_open_workspace (cli, &error))
      || !(library = herald_snippets_load (workspace, &error))
      || !(record = herald_templates_get (workspace, name, &error))
      || !(template = herald_template_new (record->html, NULL, &error))
      || !(result = herald_template_export_mailchimp (template, library, warnings, &error)))
    return herald_cli_fail (cli, error);

  for (guint i = 0; i < warnings->len; i++)
    /* Translators: “warning: …” */
    g_printerr (_("%s: %s\n"), _("warning"), (char *) warnings->pdata[i]);

  if (output != NULL)
    {
      if (!g_file_set_contents (output, result, -1, &error))
        return herald_cli_fail (cli, error);
    }
  else
    print_exactly (result);
  return HERALD_CLI_EXIT_OK;
}

HeraldCliExit
herald_cli_templates_list (HeraldCli *cli)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (cli->n_args > 0)
    return herald_cli_usage_error (_("“%s” takes no arguments, but “%s” was given."), "templates list", cli->args[0]);

  if (!(workspace = herald_cli_open_workspace (cli, &error))
      || !(templates = herald_templates_list (workspace, &error)))
    return herald_cli_fail (cli, error);

  json_builder_begin_array (builder);
  for (guint i = 0; i < templates->len; i++)
    {
      HeraldTemplateRecord *record = templates->pdata[i];

      if (cli->json)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, record->name);
          json_builder_set_member_name (builder, "subject");
          json_builder_add_string_value (builder, record->subject);
          json_builder_set_member_name (builder, "preheader");
          json_builder_add_string_value (builder, record->preheader);
          json_builder_end_object (builder);
        }
      else
        g_print ("%-30s %s\n", record->name, record->subject);
    }
  json_builder_end_array (builder);
  if (cli->json)
    herald_cli_print_json (builder);
  return HERALD_CLI_EXIT_OK;
}
