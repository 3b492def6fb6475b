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
  g_assert_nonnull (strstr (run.out, "flows forecast"));
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

/* segments retention: orders imported from a shop's export, with dates
 * relative to today, as the verb reckons from now. */
static void
test_segments_retention (void)
{
  g_autofree char *path = tmp_path ("retention.herald");
  g_autofree char *people = tmp_path ("retention-people.csv");
  g_autofree char *orders = tmp_path ("retention-orders.csv");
  g_autofree char *vip = tmp_path ("vip.json");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) long_ago = g_date_time_add_days (now, -400);
  g_autoptr(GDateTime) recently = g_date_time_add_days (now, -10);
  g_autoptr(GDateTime) last_year = g_date_time_add_days (now, -300);
  g_autofree char *a1 = g_date_time_format (long_ago, "%Y-%m-%d %H:%M");
  g_autofree char *a2 = g_date_time_format (recently, "%Y-%m-%d %H:%M");
  g_autofree char *b1 = g_date_time_format (last_year, "%Y-%m-%d %H:%M");
  g_autofree char *csv = g_strdup_printf ("Email,Order ID,Date,Amount\n"
                                          "a@x.example,A-1,%s,100.00\n"
                                          "a@x.example,A-2,%s,50.00\n"
                                          "b@x.example,B-1,%s,30.00\n", a1, a2, b1);
  g_auto(CliRun) run = { 0 };

  g_assert_true (g_file_set_contents (people, "Email,Tags\na@x.example,vip\nb@x.example,\nc@x.example,\n", -1, NULL));
  g_assert_true (g_file_set_contents (orders, csv, -1, NULL));
  g_assert_true (g_file_set_contents (vip, "{\"rules\": [{\"tag\": \"vip\"}]}", -1, NULL));

  run_cli (&run, NULL, "--workspace", path, "contacts", "import", people, NULL);
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);
  run_cli (&run, NULL, "--workspace", path, "results", "import", orders, NULL);
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);
  run_cli (&run, NULL, "--workspace", path, "segments", "save", "VIP", vip, NULL);
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);

  /* 2 customers of 3, 3 orders worth 180; Bruno lapsed: a lifetime of
   * 1 / 0.5 = 2 histories, 60 × 1.5 × 2 = 180. */
  run_cli (&run, NULL, "--workspace", path, "segments", "retention", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Retention of the whole audience"));
  g_assert_nonnull (strstr (run.out, "2  (of 3 contacts)"));
  g_assert_nonnull (strstr (run.out, "€180.00"));
  g_assert_nonnull (strstr (run.out, "€60.00  (per order, of 3 orders)"));
  g_assert_nonnull (strstr (run.out, "Repeat purchase rate:      50%  (of 2 customers)"));
  g_assert_nonnull (strstr (run.out, "50%  (of 2 customers, with no order for 180 days)"));
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "--json", "segments", "retention", "vip", "--churn-days", "5", NULL);
  g_assert_cmpint (run.status, ==, 0);
  {
    g_autoptr(JsonNode) root = json_from_string (run.out, NULL);
    JsonObject *o = json_node_get_object (root);

    g_assert_cmpstr (json_object_get_string_member (o, "segment"), ==, "vip");
    g_assert_cmpint (json_object_get_int_member (o, "churn_days"), ==, 5);
    g_assert_cmpint (json_object_get_int_member (o, "customers"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (o, "orders"), ==, 2);
    g_assert_cmpfloat (json_object_get_double_member (o, "repeat_purchase_rate"), ==, 1);
    g_assert_cmpfloat (json_object_get_double_member (o, "churn_rate"), ==, 1);
    g_assert_cmpfloat (json_object_get_double_member (o, "customer_lifetime_value"), ==, 150);
  }
  cli_run_clear (&run);

  /* Nobody lapsed: the lifetime is unknown, the value what was spent. */
  run_cli (&run, NULL, "--workspace", path, "--json", "segments", "retention", "VIP", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"expected_lifetime\" : null"));
  g_assert_nonnull (strstr (run.out, "\"customer_lifetime_value\" : 150.0"));
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "segments", "retention", "Nobody", NULL);
  g_assert_cmpint (run.status, ==, 1);
  cli_run_clear (&run);
  run_cli (&run, NULL, "--workspace", path, "segments", "retention", "--churn-days", "soon", NULL);
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

/* A trigger, an email, a goal worth 10 and an exit, with the flow's own
 * assumptions and costs, so the figures are known in advance. */
static char *
write_forecast_flow (const char *file,
                     const char *name,
                     double      per_email)
{
  g_autofree char *path = tmp_path (file);
  g_autofree char *text = NULL;
  char cost[G_ASCII_DTOSTR_BUF_SIZE];

  text = g_strdup_printf (
    "{\"format\": \"herald-flow\", \"version\": 1, \"name\": \"%s\", \"nodes\": ["
    "{\"id\": \"t\", \"type\": \"trigger\"}, {\"id\": \"e\", \"type\": \"email\", \"name\": \"Welcome\"},"
    " {\"id\": \"g\", \"type\": \"goal\", \"config\": {\"value\": 10}}, {\"id\": \"x\", \"type\": \"exit\"}],"
    " \"edges\": [{\"from\": \"t\", \"to\": \"e\"}, {\"from\": \"e\", \"port\": \"out\", \"to\": \"g\"},"
    " {\"from\": \"g\", \"to\": \"x\"}],"
    " \"assumptions\": {\"open_rate\": 0.5, \"click_rate\": 0.1, \"conversion_rate\": 0.01,"
    " \"bounce_rate\": 0, \"unsubscribe_rate\": 0},"
    " \"costs\": {\"per_email\": %s, \"per_1000\": 0}}",
    name, g_ascii_dtostr (cost, sizeof cost, per_email));
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return g_steal_pointer (&path);
}

static JsonObject *
parse_object (JsonParser *parser,
              const char *text)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

/* Figures of n/a are words, never what printf makes of NaN or infinity. */
static void
assert_no_nan (const char *text)
{
  g_autofree char *lower = g_ascii_strdown (text, -1);

  g_assert_null (strstr (lower, "nan"));
  g_assert_null (strstr (lower, "inf"));
}

static void
test_flows_forecast (void)
{
  g_autofree char *path = tmp_path ("forecast.herald");
  g_autofree char *tiny = write_forecast_flow ("tiny.json", "Tiny", 0.03);
  g_autofree char *free_flow = write_forecast_flow ("free.json", "Free", 0);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(CliRun) run = { 0 };
  JsonObject *object;
  JsonArray *nodes;
  const char *keys[] = { "audience", "emails_sent", "conversions", "revenue", "cost", "roi" };

  run_cli (&run, NULL, "--workspace", path, "--json", "flows", "forecast", tiny, "--audience", "1000", NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  object = parse_object (parser, run.out);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_true (json_object_has_member (object, keys[i]));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "audience"), 1000, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "emails_sent"), 1000, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "conversions"), 10, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "revenue"), 100, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "cost"), 30, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "roi"), 70.0 / 30.0, 1e-4);
  g_assert_false (json_object_has_member (object, "range"));
  nodes = json_object_get_array_member (object, "nodes");
  g_assert_cmpuint (json_array_get_length (nodes), ==, 4);
  for (guint i = 0; i < json_array_get_length (nodes); i++)
    {
      JsonObject *node = json_array_get_object_element (nodes, i);

      g_assert_nonnull (json_object_get_string_member (node, "id"));
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (node, "contacts"), 1000, 1e-9);
    }
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (nodes, 1), "id"), ==, "e");
  cli_run_clear (&run);

  /* The summary, in words and with the steps by their titles. */
  run_cli (&run, NULL, "--workspace", path, "flows", "forecast", tiny, "--audience", "1000", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_nonnull (strstr (run.out, "“Tiny”"));
  g_assert_nonnull (strstr (run.out, "1,000 emails sent"));
  g_assert_nonnull (strstr (run.out, "Welcome (e)"));
  g_assert_nonnull (strstr (run.out, "10 conversions"));
  g_assert_nonnull (strstr (run.out, "233%"));
  g_assert_nonnull (strstr (run.out, "Set for this flow"));
  g_assert_null (strstr (run.out, "percentile"));
  assert_no_nan (run.out);
  cli_run_clear (&run);

  /* Nothing spent: ROI and ROAS cannot be known. */
  run_cli (&run, NULL, "--workspace", path, "--json", "flows", "forecast", free_flow, "--audience", "1000", NULL);
  g_assert_cmpint (run.status, ==, 0);
  object = parse_object (parser, run.out);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "cost"), 0, 1e-9);
  g_assert_true (json_object_has_member (object, "roi"));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "roi")));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "roas")));
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "flows", "forecast", free_flow, "--audience", "1000", "--runs", "50", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "n/a"));
  g_assert_nonnull (strstr (run.out, "50 simulated runs"));
  assert_no_nan (run.out);
  cli_run_clear (&run);

  /* The same seed gives the same range. */
  {
    g_autofree char *first = NULL;

    run_cli (&run, NULL, "--workspace", path, "--json", "flows", "forecast", tiny, "--audience", "1000",
             "--runs", "200", "--seed", "7", NULL);
    g_assert_cmpint (run.status, ==, 0);
    object = parse_object (parser, run.out);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "range"), "runs"), ==, 200);
    first = g_steal_pointer (&run.out);
    cli_run_clear (&run);
    run_cli (&run, NULL, "--workspace", path, "--json", "flows", "forecast", tiny, "--audience", "1000",
             "--runs", "200", "--seed", "7", NULL);
    g_assert_cmpstr (run.out, ==, first);
    cli_run_clear (&run);
  }

  /* A saved flow is forecast by its name. */
  run_cli (&run, NULL, "--workspace", path, "flows", "import", tiny, NULL);
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);
  run_cli (&run, NULL, "--workspace", path, "--json", "flows", "forecast", "tiny", "--audience", "10", NULL);
  g_assert_cmpint (run.status, ==, 0);
  object = parse_object (parser, run.out);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "emails_sent"), 10, 1e-9);
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "flows", "forecast", "No such flow", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "No such flow"));
  cli_run_clear (&run);

  {
    static const char * const cases[][4] = {
      { "--audience", "-5" },
      { "--audience", "many" },
      { "--audience", "nan" },
      { "--runs", "-1" },
      { "--runs", "1.5" },
      { "--seed", "x" },
      { "--audience", "10", "--segment", "Finance" },
      { "--audience" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        run_cli (&run, NULL, "--workspace", path, "flows", "forecast", tiny,
                 cases[i][0], cases[i][1], cases[i][2], cases[i][3], NULL);
        g_assert_cmpint (run.status, ==, 2);
        g_assert_cmpstr (run.out, ==, "");
        g_assert_nonnull (strstr (run.err, "herald-cli --help"));
        cli_run_clear (&run);
      }
    run_cli (&run, NULL, "--workspace", path, "flows", "forecast", NULL);
    g_assert_cmpint (run.status, ==, 2);
    cli_run_clear (&run);
  }
}

static void
test_flows_forecast_segment (void)
{
  g_autofree char *path = tmp_path ("forecast-segment.herald");
  g_autofree char *csv = tmp_path ("forecast-people.csv");
  g_autofree char *rules = tmp_path ("forecast-finance.json");
  g_autofree char *tiny = write_forecast_flow ("forecast-segment.json", "Tiny", 0.03);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(CliRun) run = { 0 };
  JsonObject *object;

  g_assert_true (g_file_set_contents (csv, "Email,Industry\na@x.example,Finance\nb@x.example,Retail\n"
                                           "c@x.example,Finance\n", -1, NULL));
  g_assert_true (g_file_set_contents (rules, "{\"rules\": [{\"field\": \"industry\", \"value\": \"finance\"}]}",
                                      -1, NULL));
  run_cli (&run, NULL, "--workspace", path, "contacts", "import", csv, NULL);
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);
  run_cli (&run, NULL, "--workspace", path, "segments", "save", "Finance", rules, NULL);
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "--json", "flows", "forecast", tiny, "--segment", "finance", NULL);
  g_assert_cmpint (run.status, ==, 0);
  object = parse_object (parser, run.out);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "audience"), 2, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "emails_sent"), 2, 1e-9);
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "flows", "forecast", tiny, "--segment", "Insurance", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "“Insurance”"));
}

/* Contacts that never leave a loop: its steps are named, their figures n/a. */
static void
test_flows_forecast_endless (void)
{
  g_autofree char *path = tmp_path ("forecast-endless.herald");
  g_autofree char *flow = tmp_path ("endless.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(CliRun) run = { 0 };
  JsonObject *object;

  g_assert_true (g_file_set_contents (flow,
    "{\"format\": \"herald-flow\", \"version\": 1, \"nodes\": ["
    "{\"id\": \"t\", \"type\": \"trigger\"}, {\"id\": \"e\", \"type\": \"email\", \"name\": \"Reminder\"},"
    " {\"id\": \"w\", \"type\": \"wait\", \"config\": {\"days\": 2}}],"
    " \"edges\": [{\"from\": \"t\", \"to\": \"e\"}, {\"from\": \"e\", \"to\": \"w\"},"
    " {\"from\": \"w\", \"to\": \"e\"}],"
    " \"assumptions\": {\"bounce_rate\": 0, \"unsubscribe_rate\": 0}}", -1, NULL));

  run_cli (&run, NULL, "--workspace", path, "flows", "forecast", flow, "--audience", "100", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "warning: "));
  g_assert_nonnull (strstr (run.out, "“Reminder (e)”, “w”"));
  g_assert_nonnull (strstr (run.out, "n/a"));
  assert_no_nan (run.out);
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "--json", "flows", "forecast", flow, "--audience", "100", NULL);
  g_assert_cmpint (run.status, ==, 0);
  object = parse_object (parser, run.out);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "endless")), ==, 2);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "emails_sent")));
}

/* results import and report: a Mailchimp campaign export, its KPIs as
 * text and JSON, the same file twice, and a file that is not one. */
static void
test_results (void)
{
  g_autofree char *path = tmp_path ("results.herald");
  g_autofree char *csv = tmp_path ("campaigns.csv");
  g_autofree char *bad = tmp_path ("bad-campaigns.csv");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(CliRun) run = { 0 };
  JsonObject *object;

  g_assert_true (g_file_set_contents (csv,
    "Title,Send Date,Total Recipients,Successful Deliveries,Unique Opens,Open Rate,Unique Clicks,"
    "Unsubscribes,Unique Id,Total Orders,Total Revenue,Campaign Cost\n"
    "Spring sale,\"Jun 09, 2018 09:30 pm\",\"1,000\",980,450,45.92%,90,5,a1b2c3,10,\"$100.00\",$30.00\n", -1, NULL));
  g_assert_true (g_file_set_contents (bad, "Title,Total Recipients\nSpring sale,lots\n", -1, NULL));

  run_cli (&run, NULL, "--workspace", path, "results", "import", csv, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "1 new"));
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "--json", "results", "import", csv, "--preset", "mailchimp-campaigns", NULL);
  g_assert_cmpint (run.status, ==, 0);
  object = parse_object (parser, run.out);
  g_assert_cmpint (json_object_get_int_member (object, "imported"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (object, "updated"), ==, 1);
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "report", "Spring sale", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  object = parse_object (parser, run.out);
  g_assert_cmpstr (json_object_get_string_member (object, "campaign"), ==, "Spring sale");
  g_assert_cmpfloat (json_object_get_double_member (object, "sent"), ==, 1000);
  g_assert_cmpfloat (json_object_get_double_member (object, "delivered"), ==, 980);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "open_rate"), 450.0 / 980, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "roi"), 70.0 / 30, 1e-9);
  g_assert_cmpfloat (json_object_get_double_member (object, "revenue"), ==, 100);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "complaint_rate")));
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "report", "Spring sale", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "233%"));
  g_assert_nonnull (strstr (run.out, "(of delivered)"));
  assert_no_nan (run.out);
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "results", "import", bad, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "line 2"));
  g_assert_nonnull (strstr (run.err, "Total Recipients"));
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "report", "Spring sale", "--metric", "likes", NULL);
  g_assert_cmpint (run.status, ==, 2);
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "--json", "report", "Spring sale", "--metric", "clicks", NULL);
  g_assert_cmpint (run.status, ==, 0);
  object = parse_object (parser, run.out);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "ab_test"), "metric"), ==,
                   "clicks");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (json_object_get_object_member (object, "ab_test"),
                                                               "winner")));
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "report", "Winter sale", NULL);
  g_assert_cmpint (run.status, ==, 1);
  cli_run_clear (&run);

  /* The printable report: a PDF, and none for a campaign not there. */
  {
    g_autofree char *pdf = tmp_path ("spring.pdf");
    g_autofree char *missing = tmp_path ("winter.pdf");
    g_autofree char *data = NULL;

    run_cli (&run, NULL, "--workspace", path, "report", "Spring sale", "--output", pdf, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "spring.pdf"));
    g_assert_true (g_file_get_contents (pdf, &data, NULL, NULL));
    g_assert_true (g_str_has_prefix (data, "%PDF-"));
    cli_run_clear (&run);

    run_cli (&run, NULL, "--workspace", path, "--json", "report", "Spring sale", "--output", pdf, NULL);
    g_assert_cmpint (run.status, ==, 0);
    object = parse_object (parser, run.out);
    g_assert_cmpstr (json_object_get_string_member (object, "output"), ==, pdf);
    cli_run_clear (&run);

    run_cli (&run, NULL, "--workspace", path, "report", "Winter sale", "--output", missing, NULL);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
    cli_run_clear (&run);
  }

  run_cli (&run, NULL, "--workspace", path, "results", "import", csv, "--preset", "hubspot", NULL);
  g_assert_cmpint (run.status, ==, 2);
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "report", NULL);
  g_assert_cmpint (run.status, ==, 2);
  cli_run_clear (&run);

  /* Results linked to the step that sent them meet the flow's forecast. */
  {
    g_autofree char *flow = tmp_path ("linked-flow.json");

    g_assert_true (g_file_set_contents (flow,
      "{\"format\": \"herald-flow\", \"version\": 1, \"name\": \"Spring flow\", \"nodes\": ["
      "{\"id\": \"t\", \"type\": \"trigger\"}, {\"id\": \"e\", \"type\": \"email\"},"
      " {\"id\": \"x\", \"type\": \"exit\"}],"
      " \"edges\": [{\"from\": \"t\", \"to\": \"e\"}, {\"from\": \"e\", \"to\": \"x\"}]}", -1, NULL));
    run_cli (&run, NULL, "--workspace", path, "flows", "import", flow, NULL);
    g_assert_cmpint (run.status, ==, 0);
    cli_run_clear (&run);

    run_cli (&run, NULL, "--workspace", path, "results", "import", csv, "--flow", "Spring flow", NULL);
    g_assert_cmpint (run.status, ==, 2);
    cli_run_clear (&run);

    run_cli (&run, NULL, "--workspace", path, "results", "import", csv, "--flow", "Spring flow", "--step", "e", NULL);
    g_assert_cmpint (run.status, ==, 0);
    cli_run_clear (&run);

    run_cli (&run, NULL, "--workspace", path, "--json", "flows", "forecast", "Spring flow", "--audience", "1000", NULL);
    g_assert_cmpint (run.status, ==, 0);
    object = parse_object (parser, run.out);
    g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (object, "actual"), "emails_sent"),
                       ==, 1000);
    cli_run_clear (&run);

    run_cli (&run, NULL, "--workspace", path, "flows", "forecast", "Spring flow", "--audience", "1000", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "1,000 expected, 1,000 actual"));
  }
}

/* results import of recipients' activity and of orders, with columns
 * named by hand. */
static void
test_results_activity (void)
{
  g_autofree char *path = tmp_path ("activity.herald");
  g_autofree char *people = tmp_path ("activity-people.csv");
  g_autofree char *activity = tmp_path ("activity.csv");
  g_autofree char *orders = tmp_path ("orders.csv");
  g_auto(CliRun) run = { 0 };

  g_assert_true (g_file_set_contents (people, "Email\nann@x.example\nbo@x.example\n", -1, NULL));
  g_assert_true (g_file_set_contents (activity, "Email,Action,Timestamp,Campaign\n"
                                                "ann@x.example,open,2024-05-01T10:00:00Z,June news\n"
                                                "bo@x.example,click,2024-05-01T11:00:00Z,June news\n"
                                                "zoe@x.example,open,2024-05-01T11:00:00Z,June news\n",
                                      -1, NULL));
  g_assert_true (g_file_set_contents (orders, "Kunde;Nr;Datum;Wert\nann@x.example;A-1;2024-05-02 09:00;19,90\n",
                                      -1, NULL));

  run_cli (&run, NULL, "--workspace", path, "contacts", "import", people, NULL);
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "results", "import", activity, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "3 rows read: 2 new events."));
  g_assert_nonnull (strstr (run.out, "1 row is about someone who is not in the audience"));
  cli_run_clear (&run);

  /* "Wert" is no amount column Herald knows: it is named by hand. */
  run_cli (&run, NULL, "--workspace", path, "results", "import", orders, NULL);
  g_assert_cmpint (run.status, !=, 0);
  cli_run_clear (&run);
  run_cli (&run, NULL, "--workspace", path, "--json", "results", "import", orders, "--preset", "orders",
           "--column", "amount=Wert", "--column", "order=Nr", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"orders\" : 1"));
  g_assert_nonnull (strstr (run.out, "\"attributed\" : 1"));
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "--json", "report", "June news", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"unique_opens\" : 1"));
  g_assert_nonnull (strstr (run.out, "\"conversions\" : 1.0"));
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "results", "list", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "June news: n/a sent, n/a opened, €19.90 revenue, ROI n/a"));
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "results", "timeline", "--by", "year", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "2024: 1 campaign, revenue €19.90, cost €0.00, ROI n/a"));
  cli_run_clear (&run);
  run_cli (&run, NULL, "--workspace", path, "results", "timeline", "--by", "week", NULL);
  g_assert_cmpint (run.status, ==, 2);
  cli_run_clear (&run);

  run_cli (&run, NULL, "--workspace", path, "results", "import", orders, "--column", "email", NULL);
  g_assert_cmpint (run.status, ==, 2);
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
  g_test_add_func ("/herald/cli/segments-retention", test_segments_retention);
  g_test_add_func ("/herald/cli/templates", test_templates);
  g_test_add_func ("/herald/cli/flows", test_flows);
  g_test_add_func ("/herald/cli/flows-forecast", test_flows_forecast);
  g_test_add_func ("/herald/cli/flows-forecast-segment", test_flows_forecast_segment);
  g_test_add_func ("/herald/cli/flows-forecast-endless", test_flows_forecast_endless);
  g_test_add_func ("/herald/cli/results", test_results);
  g_test_add_func ("/herald/cli/results-activity", test_results_activity);

  ret = g_test_run ();

  herald_test_remove_tree (home);
  g_free (tmpdir);

  return ret;
}
