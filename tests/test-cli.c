/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <sys/stat.h>

#include "herald-test-utils.h"

static char *tmpdir;

typedef struct
{
  int   status;
  char *out;
  char *err;
} CliRun;

static void
cli_run_clear (CliRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliRun, cli_run_clear)

/* Runs herald-cli with @args (NULL-terminated) in an environment whose
 * language is English unless @language names another. */
static void
run_cli (CliRun      *run,
         const char  *language,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  int wait_status;
  va_list args;

  g_ptr_array_add (argv, (char *)g_getenv ("HERALD_CLI"));
  va_start (args, language);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *)arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  envp = g_environ_setenv (envp, "LANG", "C.UTF-8", TRUE);
  envp = g_environ_unsetenv (envp, "LC_ALL");
  envp = g_environ_unsetenv (envp, "LC_MESSAGES");
  envp = g_environ_setenv (envp, "LANGUAGE", language ? language : "en", TRUE);

  g_spawn_sync (NULL, (char **)argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &run->out, &run->err, &wait_status, &error);
  g_assert_no_error (error);

  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);
}

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static void
test_version (void)
{
  g_auto(CliRun) run = { 0 };

  run_cli (&run, NULL, "--version", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "herald-cli " PACKAGE_VERSION "\n");
}

static void
test_help (void)
{
  g_auto(CliRun) run = { 0 };

  run_cli (&run, NULL, "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Usage: herald-cli"));
  g_assert_nonnull (strstr (run.out, "contacts count"));
  g_assert_nonnull (strstr (run.out, "--workspace FILE"));
  g_assert_cmpstr (run.err, ==, "");
}

static void
test_help_translated (void)
{
  g_auto(CliRun) run = { 0 };

  run_cli (&run, "de", "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Befehle:"));
  g_assert_null (strstr (run.out, "Commands:"));
  cli_run_clear (&run);

  run_cli (&run, "fr", "frobnicate", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_null (strstr (run.err, "Unknown command"));
  g_assert_nonnull (strstr (run.err, "frobnicate"));
}

static void
test_usage_errors (void)
{
  static const char * const cases[][3] = {
    { NULL },
    { "frobnicate", NULL },
    { "contacts", NULL },
    { "contacts", "frobnicate", NULL },
    { "contacts", "count", "extra" },
    { "--workspace", NULL },
    { "--workspace=", "contacts", "count" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(CliRun) run = { 0 };

      run_cli (&run, NULL, cases[i][0], cases[i][1], cases[i][2], NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_true (g_str_has_prefix (run.err, "herald-cli: "));
      g_assert_nonnull (strstr (run.err, "herald-cli --help"));
    }
}

static void
test_count_new_workspace (void)
{
  g_autofree char *path = tmp_path ("count.herald");
  g_auto(CliRun) run = { 0 };
  struct stat st;

  run_cli (&run, NULL, "--workspace", path, "contacts", "count", NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "0\n");

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_count_json_anywhere (void)
{
  g_autofree char *path = tmp_path ("json.herald");
  g_autofree char *option = g_strconcat ("--workspace=", path, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto(CliRun) run = { 0 };
  JsonObject *object;

  /* Options may follow the verb. */
  run_cli (&run, NULL, "contacts", "count", "--json", option, NULL);
  g_assert_cmpint (run.status, ==, 0);

  json_parser_load_from_data (parser, run.out, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_has_member (object, "count"));
  g_assert_cmpint (json_object_get_int_member (object, "count"), ==, 0);
}

static void
test_count_not_workspace (void)
{
  g_autofree char *path = tmp_path ("contacts.csv");
  g_autofree char *contents = NULL;
  g_auto(CliRun) run = { 0 };

  g_assert_true (g_file_set_contents (path, "Email\nanna@example.com\n", -1, NULL));

  run_cli (&run, NULL, "contacts", "count", "--workspace", path, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, path));
  g_assert_nonnull (strstr (run.err, "not a Herald workspace"));

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "Email\nanna@example.com\n");
}

static void
test_count_default_workspace (void)
{
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "herald", "Default.herald", NULL);
  g_auto(CliRun) run = { 0 };

  run_cli (&run, NULL, "contacts", "count", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "0\n");
  g_assert_true (g_file_test (expected, G_FILE_TEST_IS_REGULAR));
}

static void
test_segments (void)
{
  g_autofree char *path = tmp_path ("segments.herald");
  g_autofree char *csv = tmp_path ("people.csv");
  g_autofree char *rules = tmp_path ("finance.json");
  g_autofree char *broken = tmp_path ("broken.json");
  g_auto(CliRun) run = { 0 };

  g_assert_true (g_file_set_contents (csv, "Email,Industry,Tags\na@x.example,Finance,vip\nb@x.example,Retail,\n"
                                           "c@x.example,finance,\n", -1, NULL));
  g_assert_true (g_file_set_contents (rules, "{\"rules\": [{\"field\": \"industry\", \"value\": \"FINANCE\"}]}",
                                      -1, NULL));
  g_assert_true (g_file_set_contents (broken, "{\"rules\": [{\"tag\": \"gold\"}]}", -1, NULL));

  run_cli (&run, NULL, "--workspace", path, "contacts", "import", csv, NULL);
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "segments", "count", rules, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "2\n");
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "segments", "save", "Finance", rules, "--description", "Banks", NULL);
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "--json", "segments", "count", "--name", "finance", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"count\" : 2"));
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "segments", "list", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "Finance"));
  cli_run_clear (&run);

  /* A rule naming a tag nobody has is the user's error, located. */
  run_cli (&run, NULL, "--workspace", path, "segments", "count", broken, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "broken.json"));
  g_assert_nonnull (strstr (run.err, "rules.rules[0]"));
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "segments", "count", NULL);
  g_assert_cmpint (run.status, ==, 2);
}

static void
test_templates (void)
{
  g_autofree char *path = tmp_path ("templates.herald");
  g_autofree char *csv = tmp_path ("readers.csv");
  g_autofree char *html = tmp_path ("welcome.html");
  g_autofree char *footer = tmp_path ("footer.html");
  g_autofree char *data = tmp_path ("data.json");
  g_autofree char *broken = tmp_path ("broken.html");
  g_autofree char *partial = NULL;
  g_auto(CliRun) run = { 0 };

  g_assert_true (g_file_set_contents (csv, "Email,First Name,Company\nann@x.example,Ann,Kessler & Voss\nbo@x.example,,\n", -1, NULL));
  g_assert_true (g_file_set_contents (html, "<p>Hi {{first_name | default: \"there\"}} at {{company}}</p>{{> footer}}", -1, NULL));
  g_assert_true (g_file_set_contents (footer, "<a href=\"{{unsubscribe_url}}\">Unsubscribe</a>", -1, NULL));
  g_assert_true (g_file_set_contents (data, "{\"first_name\": \"Zoë\", \"company\": \"<Vela>\", \"unsubscribe_url\": \"https://u.example/1\"}", -1, NULL));
  g_assert_true (g_file_set_contents (broken, "<p>\n  {{#industry}}finance\n", -1, NULL));

  /* Against arbitrary data, with a partial from a file: exactly the result. */
  partial = g_strconcat ("footer=", footer, NULL);
  run_cli (&run, NULL, "templates", "render", html, "--data", data, "--partial", partial, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "<p>Hi Zoë at &lt;Vela&gt;</p><a href=\"https://u.example/1\">Unsubscribe</a>");
  cli_run_clear (&run);

  run_cli (&run, NULL, "templates", "render", html, "--data", data, "--partial", partial, "--text", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "Hi Zoë at <Vela>\n\nUnsubscribe (https://u.example/1)\n");
  cli_run_clear (&run);

  /* A broken template names the file, line and column and is not saved. */
  run_cli (&run, NULL, "--workspace", path, "templates", "add", "Broken", "--subject", "Hi", "--html", broken, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "broken.html"));
  g_assert_nonnull (strstr (run.err, "line 2, column 3"));
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "contacts", "import", csv, NULL);
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "templates", "add", "Welcome", "--subject", "Welcome, {{first_name}}",
           "--html", html, NULL);
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "--json", "templates", "list", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"Welcome, {{first_name}}\""));
  g_assert_null (strstr (run.out, "Broken"));
  cli_run_clear (&run);

  /* As a real contact sees it; the footer snippet is not in the workspace. */
  run_cli (&run, NULL, "--workspace", path, "templates", "render", "Welcome", "--contact", "ANN@x.example", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "<p>Hi Ann at Kessler &amp; Voss</p>");
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "templates", "render", "Welcome", "--contact", "bo@x.example", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "<p>Hi there at </p>");
  cli_run_clear (&run);

  /* No unsubscribe link is an error; the missing snippet a warning. */
  run_cli (&run, NULL, "--workspace", path, "--json", "templates", "lint", "Welcome", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "\"code\" : \"unsubscribe\""));
  g_assert_nonnull (strstr (run.out, "\"code\" : \"unknown-snippet\""));
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "templates", "export", "Welcome", "--mailchimp", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "<p>Hi *|IF:FNAME|**|FNAME|**|ELSE:|*there*|END:IF|* at *|COMPANY|*</p>");
  g_assert_nonnull (strstr (run.err, "*|COMPANY|*"));
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "templates", "render", "Nothing", "--contact", "ann@x.example", NULL);
  g_assert_cmpint (run.status, ==, 1);
  cli_run_clear (&run);

  run_cli (&run, NULL, "templates", "render", html, NULL);
  g_assert_cmpint (run.status, ==, 2);
}

static void
test_flows (void)
{
  g_autofree char *path = tmp_path ("flows.herald");
  g_autofree char *good = tmp_path ("welcome-series.json");
  g_autofree char *draft = tmp_path ("draft.json");
  g_autofree char *broken = tmp_path ("broken.json");
  g_auto(CliRun) run = { 0 };

  g_assert_true (g_file_set_contents (good,
    "{\"format\": \"herald-flow\", \"version\": 1, \"nodes\": ["
    "{\"id\": \"t\", \"type\": \"trigger\"}, {\"id\": \"x\", \"type\": \"exit\"}],"
    " \"edges\": [{\"from\": \"t\", \"to\": \"x\"}]}", -1, NULL));
  g_assert_true (g_file_set_contents (draft,
    "{\"format\": \"herald-flow\", \"version\": 1, \"name\": \"Draft\", \"nodes\": ["
    "{\"id\": \"e\", \"type\": \"email\", \"config\": {\"template\": \"Soon\"}}]}", -1, NULL));
  g_assert_true (g_file_set_contents (broken,
    "{\"format\": \"herald-flow\", \"version\": 1, \"nodes\": [{\"id\": \"a\", \"type\": \"emial\"}]}", -1, NULL));

  run_cli (&run, NULL, "--workspace", path, "flows", "validate", good, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "No problems found.\n");
  cli_run_clear (&run);

  /* Errors make the exit status 1; warnings alone do not. */
  run_cli (&run, NULL, "--workspace", path, "--json", "flows", "validate", draft, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "\"code\" : \"no-trigger\""));
  g_assert_nonnull (strstr (run.out, "\"code\" : \"missing-template\""));
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "flows", "validate", broken, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "broken.json"));
  g_assert_nonnull (strstr (run.err, "nodes[0]"));
  cli_run_clear (&run);

  /* A draft with problems is saved all the same; a broken file is not. */
  run_cli (&run, NULL, "--workspace", path, "flows", "import", draft, NULL);
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);
  run_cli (&run, NULL, "--workspace", path, "flows", "import", good, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "“welcome-series”"));
  cli_run_clear (&run);
  run_cli (&run, NULL, "--workspace", path, "flows", "import", broken, NULL);
  g_assert_cmpint (run.status, ==, 1);
  cli_run_clear (&run);

  {
    g_autofree char *picture = tmp_path ("draft.svg");

    run_cli (&run, NULL, "--workspace", path, "flows", "draw", "Draft", "--output", picture, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_file_test (picture, G_FILE_TEST_IS_REGULAR));
    cli_run_clear (&run);
  }

  run_cli (&run, NULL, "--workspace", path, "--json", "flows", "list", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"Draft\""));
  g_assert_nonnull (strstr (run.out, "\"welcome-series\""));
  g_assert_null (strstr (run.out, "broken"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = herald_test_isolate_home ();
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_assert_nonnull (g_getenv ("HERALD_CLI"));
  tmpdir = g_build_filename (home, "workspaces", NULL);
  g_mkdir_with_parents (tmpdir, 0700);

  g_test_add_func ("/herald/cli/version", test_version);
  g_test_add_func ("/herald/cli/help", test_help);
  g_test_add_func ("/herald/cli/help-translated", test_help_translated);
  g_test_add_func ("/herald/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/herald/cli/count-new-workspace", test_count_new_workspace);
  g_test_add_func ("/herald/cli/count-json-anywhere", test_count_json_anywhere);
  g_test_add_func ("/herald/cli/count-not-workspace", test_count_not_workspace);
  g_test_add_func ("/herald/cli/count-default-workspace", test_count_default_workspace);
  g_test_add_func ("/herald/cli/segments", test_segments);
  g_test_add_func ("/herald/cli/templates", test_templates);
  g_test_add_func ("/herald/cli/flows", test_flows);

  ret = g_test_run ();

  herald_test_remove_tree (home);
  g_free (tmpdir);

  return ret;
}
