/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "herald-core.h"
#include "herald-test-utils.h"

/* Stored templates and snippets, the values a template sees for a contact,
 * whole messages, lint, and the plain text derived from HTML. */

static char *tmpdir;

static HeraldWorkspace *
fixture (void)
{
  static guint n;
  g_autofree char *name = g_strdup_printf ("templates-%u.herald", n++);
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autofree char *csv = g_build_filename (tmpdir, "readers.csv", NULL);
  g_autoptr(HeraldContactImport) import = NULL;
  g_autoptr(HeraldImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  HeraldWorkspace *workspace;

  g_assert_true (g_file_set_contents (csv,
    "Email,First Name,Company,Industry,Tags,Favourite Colour\n"
    "ann@x.example,Ann,Kessler & Voss,Finance,vip,teal\n"
    "bo@x.example,,Fjordlys,Energy,,\n"
    "cy@x.example,Cy,,Finance,,\n", -1, NULL));
  workspace = herald_workspace_open (path, HERALD_WORKSPACE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  import = herald_contact_import_new (workspace, csv);
  g_assert_true (herald_contact_import_prepare (import, HERALD_IMPORT_PRESET_AUTO, NULL, NULL, &error));
  report = herald_contact_import_run (import, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (herald_import_report_get_imported (report), ==, 3);
  g_assert_true (herald_segments_save (workspace, "Finance leaders",
                                       "{\"rules\": [{\"field\": \"industry\", \"value\": \"finance\"}]}",
                                       NULL, NULL, &error));
  g_assert_no_error (error);
  return workspace;
}

static HeraldTemplateRecord *
record (const char *name,
        const char *subject,
        const char *html)
{
  HeraldTemplateRecord *record = herald_template_record_new (name);

  g_free (record->subject);
  record->subject = g_strdup (subject);
  g_free (record->html);
  record->html = g_strdup (html);
  return record;
}

static void
test_storage (void)
{
  g_autoptr(HeraldWorkspace) workspace = fixture ();
  g_autoptr(HeraldTemplateRecord) welcome = record ("Welcome", "Hi", "<p>Hi</p>");
  g_autoptr(HeraldTemplateRecord) promo = record ("Promotion", "Sale", "<p>Sale</p>");
  g_autoptr(HeraldTemplateRecord) loaded = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  HeraldSnippet footer = { .name = "footer", .body = "{{sender.address}}" };
  g_autoptr(GPtrArray) snippets = NULL;
  g_autoptr(HeraldTemplateLibrary) library = NULL;

  g_assert_true (herald_templates_save (workspace, welcome, NULL, &error));
  g_assert_true (herald_templates_save (workspace, promo, NULL, &error));
  g_assert_no_error (error);

  /* Saving under the same name replaces; renaming onto another fails. */
  g_free (welcome->subject);
  welcome->subject = g_strdup ("Welcome aboard");
  g_assert_true (herald_templates_save (workspace, welcome, NULL, &error));
  g_free (welcome->name);
  welcome->name = g_strdup ("promotion");
  g_assert_false (herald_templates_save (workspace, welcome, "Welcome", &error));
  g_assert_error (error, HERALD_TEMPLATES_ERROR, HERALD_TEMPLATES_ERROR_EXISTS);
  g_clear_error (&error);
  g_free (welcome->name);
  welcome->name = g_strdup ("Welcome series 1");
  g_assert_true (herald_templates_save (workspace, welcome, "Welcome", &error));
  g_assert_no_error (error);

  list = herald_templates_list (workspace, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (((HeraldTemplateRecord *) list->pdata[0])->name, ==, "Promotion");
  loaded = herald_templates_get (workspace, "welcome series 1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->subject, ==, "Welcome aboard");
  g_assert_null (loaded->text);

  g_assert_true (herald_templates_delete (workspace, "Promotion", &error));
  g_assert_false (herald_templates_delete (workspace, "Promotion", &error));
  g_assert_error (error, HERALD_TEMPLATES_ERROR, HERALD_TEMPLATES_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A template with no name is refused. */
  g_free (promo->name);
  promo->name = g_strdup ("  ");
  g_assert_false (herald_templates_save (workspace, promo, NULL, &error));
  g_assert_error (error, HERALD_TEMPLATES_ERROR, HERALD_TEMPLATES_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (herald_snippets_save (workspace, &footer, NULL, &error));
  footer.name = "brand";
  footer.is_layout = TRUE;
  footer.body = "<main>{{$body}}{{/body}}</main>";
  g_assert_true (herald_snippets_save (workspace, &footer, NULL, &error));
  footer.name = "my footer";
  g_assert_false (herald_snippets_save (workspace, &footer, NULL, &error));
  g_assert_error (error, HERALD_TEMPLATES_ERROR, HERALD_TEMPLATES_ERROR_INVALID);
  g_clear_error (&error);
  snippets = herald_snippets_list (workspace, &error);
  g_assert_cmpuint (snippets->len, ==, 2);
  g_assert_true (((HeraldSnippet *) snippets->pdata[0])->is_layout);
  library = herald_snippets_load (workspace, &error);
  g_assert_true (herald_template_library_contains (library, "footer"));
  g_assert_true (herald_snippets_delete (workspace, "footer", &error));
  g_assert_no_error (error);
}

static HeraldMessage *
render_for (HeraldWorkspace            *workspace,
            const HeraldTemplateRecord *template,
            const char                 *email)
{
  g_autoptr(HeraldContact) contact = herald_contacts_lookup (workspace, email, NULL);
  g_autoptr(HeraldTemplateContext) context = herald_template_context_new (workspace, contact);
  g_autoptr(HeraldTemplateLibrary) library = herald_snippets_load (workspace, NULL);
  g_autoptr(GError) error = NULL;
  HeraldMessage *message;

  g_assert_nonnull (contact);
  message = herald_template_record_render (template, library, context, NULL, &error);
  g_assert_no_error (error);
  return message;
}

static void
test_contact_context (void)
{
  g_autoptr(HeraldWorkspace) workspace = fixture ();
  g_autoptr(HeraldTemplateRecord) template = NULL;
  g_autoptr(HeraldMessage) ann = NULL;
  g_autoptr(HeraldMessage) bo = NULL;
  g_autoptr(GError) error = NULL;
  HeraldSnippet layout = { .name = "brand", .is_layout = TRUE,
                           .body = "<main>{{$body}}{{/body}}</main><footer>{{sender.address}}</footer>" };

  g_assert_true (herald_workspace_set_setting (workspace, "sender.postal_address", "Hauptstraße 1 <Berlin>", &error));
  g_assert_true (herald_snippets_save (workspace, &layout, NULL, &error));
  template = record ("Welcome", "{{first_name | default: \"Hello\"}} & {{company}}",
                     "{{<brand}}{{$body}}<p>{{first_name | default: \"there\"}} at {{company}}"
                     "{{#tags.vip}} VIP{{/tags.vip}}{{#segment.finance-leaders}} FIN{{/segment.finance-leaders}}"
                     " likes {{favourite_colour}} / {{custom.favourite_colour}}</p>{{/body}}{{/brand}}");

  ann = render_for (workspace, template, "ann@x.example");
  g_assert_cmpstr (ann->subject, ==, "Ann & Kessler & Voss");
  g_assert_cmpstr (ann->html, ==, "<main><p>Ann at Kessler &amp; Voss VIP FIN likes teal / teal</p></main>"
                                  "<footer>Hauptstraße 1 &lt;Berlin&gt;</footer>");
  g_assert_cmpstr (ann->text, ==, "Ann at Kessler & Voss VIP FIN likes teal / teal\n\nHauptstraße 1 <Berlin>\n");
  g_assert_cmpuint (g_hash_table_size (ann->field_use), ==, 0);

  bo = render_for (workspace, template, "bo@x.example");
  g_assert_cmpstr (bo->html, ==, "<main><p>there at Fjordlys likes  / </p></main><footer>Hauptstraße 1 &lt;Berlin&gt;</footer>");
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (bo->field_use, "first_name")), ==,
                    HERALD_FIELD_EMPTY | HERALD_FIELD_FALLBACK);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (bo->field_use, "favourite_colour")), ==,
                    HERALD_FIELD_EMPTY);
}

static gboolean
has_problem (GPtrArray  *problems,
             const char *code)
{
  for (guint i = 0; i < problems->len; i++)
    if (g_str_equal (((HeraldLintProblem *) problems->pdata[i])->code, code))
      return TRUE;
  return FALSE;
}

static void
test_lint (void)
{
  g_autoptr(HeraldWorkspace) workspace = fixture ();
  g_autoptr(HeraldTemplateRecord) bad = NULL;
  g_autoptr(HeraldTemplateRecord) good = NULL;
  g_autoptr(HeraldTemplateRecord) broken = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const expected[] = {
    "unsubscribe", "postal-address", "subject-long", "unknown-field", "unknown-snippet",
    "image-alt", "insecure-link",
  };
  HeraldLintProblem *problem;

  bad = record ("Bad", "A subject line that goes on and on well past what any inbox shows in full",
                "<p>Hi {{first_name}} {{shoe_size}}</p>\n<img src=\"https://x.example/a.png\">\n"
                "<a href=\"http://x.example\">x</a>{{> missing}}");
  problems = herald_template_record_lint (workspace, bad, NULL, "Finance leaders", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    if (!has_problem (problems, expected[i]))
      g_error ("lint did not report %s", expected[i]);
  problem = problems->pdata[0];
  g_assert_cmpstr (problem->code, ==, "unknown-snippet");
  for (guint i = 0; i < problems->len; i++)
    {
      problem = problems->pdata[i];
      if (g_str_equal (problem->code, "unknown-field"))
        {
          g_assert_nonnull (strstr (problem->message, "shoe_size"));
          g_assert_cmpuint (problem->line, ==, 1);
          g_assert_cmpuint (problem->column, ==, 22);
        }
      if (g_str_equal (problem->code, "image-alt"))
        g_assert_cmpuint (problem->line, ==, 2);
      /* Both contacts in Finance leaders have a first name, and
       * shoe_size is no field to count. */
      if (g_str_equal (problem->code, "empty-field"))
        g_error ("unexpected empty-field: %s", problem->message);
    }
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* Company is empty for Cy, who is in the segment. */
  g_free (bad->html);
  bad->html = g_strdup ("<p>{{company}} {{first_name | default: \"there\"}}</p>");
  problems = herald_template_record_lint (workspace, bad, NULL, "Finance leaders", &error);
  g_assert_true (has_problem (problems, "empty-field"));
  for (guint i = 0; i < problems->len; i++)
    if (g_str_equal (((HeraldLintProblem *) problems->pdata[i])->code, "empty-field"))
      g_assert_nonnull (strstr (((HeraldLintProblem *) problems->pdata[i])->message, "“company” is empty for 1 contact"));
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* One click lists them. */
  {
    g_autoptr(GPtrArray) empty = herald_templates_list_empty (workspace, "Finance leaders", "company", 10, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (empty->len, ==, 1);
    g_assert_cmpstr (herald_contact_get_email (empty->pdata[0]), ==, "cy@x.example");
    g_assert_null (herald_templates_list_empty (workspace, "Finance leaders", "shoe_size", 10, &error));
    g_assert_error (error, HERALD_TEMPLATES_ERROR, HERALD_TEMPLATES_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  g_assert_true (herald_workspace_set_setting (workspace, "sender.postal_address", "Hauptstraße 1", &error));
  good = record ("Good", "Your quarter, {{first_name | default: \"friend\"}}",
                 "<p>Hi {{first_name | default: \"there\"}}</p><img src=\"https://x.example/a.png\" alt=\"Logo\">"
                 "<p>{{sender.address}} <a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p>");
  problems = herald_template_record_lint (workspace, good, NULL, "Finance leaders", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  g_clear_pointer (&problems, g_ptr_array_unref);

  broken = record ("Broken", "", "<p>\n  {{#industry}}");
  problems = herald_template_record_lint (workspace, broken, NULL, NULL, &error);
  g_assert_true (has_problem (problems, "syntax"));
  g_assert_true (has_problem (problems, "subject-empty"));
  problem = problems->pdata[0];
  g_assert_cmpstr (problem->part, ==, "html");
  g_assert_cmpuint (problem->line, ==, 2);
  g_assert_cmpuint (problem->column, ==, 3);
  g_clear_pointer (&problems, g_ptr_array_unref);

  g_assert_null (herald_template_record_lint (workspace, good, NULL, "No such segment", &error));
  g_assert_nonnull (error);
}

static void
test_starters (void)
{
  g_autoptr(HeraldWorkspace) workspace = fixture ();
  g_autoptr(HeraldTemplateLibrary) library = herald_template_library_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (herald_workspace_set_setting (workspace, "sender.postal_address", "Hauptstraße 1", &error));

  /* Every starter renders and passes lint; only the blank one lacks a subject. */
  for (HeraldStarter starter = 0; starter < HERALD_N_STARTERS; starter++)
    {
      g_autoptr(HeraldTemplateRecord) template = herald_starter_build (starter, NULL);
      g_autoptr(GPtrArray) problems = herald_template_record_lint (workspace, template, library, NULL, &error);
      g_autoptr(HeraldMessage) message = render_for (workspace, template, "bo@x.example");

      g_assert_no_error (error);
      g_assert_cmpstr (template->name, ==, herald_starter_get_title (starter));
      for (guint i = 0; i < problems->len; i++)
        {
          HeraldLintProblem *problem = problems->pdata[i];

          if (!(starter == HERALD_STARTER_BLANK && g_str_equal (problem->code, "subject-empty")))
            g_error ("%s: %s", template->name, problem->message);
        }
      g_assert_nonnull (strstr (message->html, "Hauptstraße 1"));
      g_assert_nonnull (strstr (message->text, "Unsubscribe (*|UNSUB|*)"));
    }
}

static void
test_html_to_text (void)
{
  static const char * const cases[][2] = {
    { "<html><head><title>T</title><style>p { color: red }</style></head><body><h1>Spring</h1>"
      "<p>Dear   Ann,\n  welcome.</p><p>Line<br>break</p></body></html>",
      "Spring\n\nDear Ann, welcome.\n\nLine\nbreak\n" },
    { "<p>Read <a href=\"https://x.example/guide\">the guide</a> or <a href=\"https://x.example\">https://x.example</a>.</p>",
      "Read the guide (https://x.example/guide) or https://x.example.\n" },
    { "<ul><li>One</li><li>Two</li></ul><p><img src=\"a.png\" alt=\"Logo\"> <a href=\"mailto:hi@x.example\">hi@x.example</a></p>",
      "- One\n- Two\n\nLogo hi@x.example\n" },
    { "<table><tr><td>A</td><td>B</td></tr><tr><td>C</td></tr></table><script>alert(1)</script>",
      "A B\nC\n" },
    { "", "" },
    { "no markup & all", "no markup & all\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = herald_html_to_text (cases[i][0]);

      g_assert_cmpstr (text, ==, cases[i][1]);
    }
}

static void
serve_cb (SoupServer        *server,
          SoupServerMessage *message,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  gboolean head = g_str_equal (soup_server_message_get_method (message), "HEAD");

  if (g_str_equal (path, "/ok"))
    soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  else if (g_str_equal (path, "/moved"))
    {
      soup_server_message_set_redirect (message, SOUP_STATUS_MOVED_PERMANENTLY, "/ok");
    }
  else if (g_str_equal (path, "/no-head"))
    soup_server_message_set_status (message, head ? SOUP_STATUS_METHOD_NOT_ALLOWED : SOUP_STATUS_OK, NULL);
  else
    soup_server_message_set_status (message, SOUP_STATUS_NOT_FOUND, NULL);
}

static void
links_checked_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GPtrArray **results = user_data;
  g_autoptr(GError) error = NULL;

  *results = herald_links_check_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_links (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_auto(GStrv) urls = NULL;
  g_autofree char *html = NULL;
  GSList *uris;
  guint port;
  HeraldLinkResult *result;

  /* A server of the test's own on the loopback interface: nothing leaves
   * the machine. */
  soup_server_add_handler (server, NULL, serve_cb, NULL, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  html = g_strdup_printf ("<a href=\"http://127.0.0.1:%u/ok\">a</a><a href=\"http://127.0.0.1:%u/moved\">b</a>"
                          "<a href=\"http://127.0.0.1:%u/gone\">c</a><img src=\"http://127.0.0.1:%u/no-head\" alt=\"\">"
                          "<a href=\"http://127.0.0.1:%u/ok\">again</a><a href=\"{{unsubscribe_url}}\">u</a>"
                          "<a href=\"mailto:x@example.com\">m</a>",
                          port, port, port, port, port);
  urls = herald_links_collect (html);
  g_assert_cmpuint (g_strv_length (urls), ==, 4);

  herald_links_check_async ((const char * const *) urls, NULL, links_checked_cb, &results);
  while (results == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (results->len, ==, 4);
  result = results->pdata[0];
  g_assert_true (result->ok);
  g_assert_null (result->problem);
  result = results->pdata[1];
  g_assert_true (result->ok);
  g_assert_true (g_str_has_suffix (result->final_url, "/ok"));
  result = results->pdata[2];
  g_assert_false (result->ok);
  g_assert_cmpuint (result->status, ==, 404);
  g_assert_nonnull (result->problem);
  result = results->pdata[3];
  g_assert_true (result->ok);
}

static void
test_slug (void)
{
  static const char * const cases[][3] = {
    { "Finance leaders", "-", "finance-leaders" },
    { "  Clientes España 2026 ", "-", "clientes-españa-2026" },
    { "Favourite Colour", "_", "favourite_colour" },
    { "webinar-2026", "-", "webinar-2026" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *slug = herald_slug (cases[i][0], cases[i][1][0]);

      g_assert_cmpstr (slug, ==, cases[i][2]);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = herald_test_isolate_home ();
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_build_filename (home, "workspaces", NULL);
  g_mkdir_with_parents (tmpdir, 0700);

  g_test_add_func ("/herald/templates/storage", test_storage);
  g_test_add_func ("/herald/templates/contact-context", test_contact_context);
  g_test_add_func ("/herald/templates/lint", test_lint);
  g_test_add_func ("/herald/templates/starters", test_starters);
  g_test_add_func ("/herald/templates/html-to-text", test_html_to_text);
  g_test_add_func ("/herald/templates/links", test_links);
  g_test_add_func ("/herald/templates/slug", test_slug);

  status = g_test_run ();
  herald_test_remove_tree (home);
  return status;
}
