/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "herald-core.h"

/* The Mustache specification's own cases, read from the folder the build
 * passes in HERALD_MUSTACHE_SPEC, then Herald's additions. */

typedef struct
{
  char     *name;
  JsonNode *test;
} SpecCase;

static void
spec_case_free (gpointer data)
{
  SpecCase *spec_case = data;

  g_free (spec_case->name);
  json_node_unref (spec_case->test);
  g_free (spec_case);
}

static GPtrArray *spec_cases;

static void
test_spec_case (gconstpointer data)
{
  const SpecCase *spec_case = data;
  JsonObject *test = json_node_get_object (spec_case->test);
  g_autoptr(HeraldTemplateLibrary) library = herald_template_library_new ();
  g_autoptr(HeraldTemplate) template = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;
  HeraldRenderOptions options = { .escape_html = TRUE, .library = library };

  if (json_object_has_member (test, "partials"))
    {
      JsonObject *partials = json_object_get_object_member (test, "partials");
      g_autoptr(GList) names = json_object_get_members (partials);

      for (GList *l = names; l != NULL; l = l->next)
        herald_template_library_add (library, l->data,
                                     json_object_get_string_member (partials, l->data));
    }

  template = herald_template_new (json_object_get_string_member (test, "template"), NULL, &error);
  g_assert_no_error (error);
  result = herald_template_render_string (template, json_object_get_member (test, "data"),
                                          &options, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result, ==, json_object_get_string_member (test, "expected"));
}

static guint
add_spec_cases (const char *folder)
{
  /* The optional modules other than inheritance (lambdas, dynamic names)
   * are not part of Herald's language. */
  static const char * const files[] = {
    "comments.json", "delimiters.json", "interpolation.json", "inverted.json",
    "partials.json", "sections.json", "~inheritance.json",
  };
  guint added = 0;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (folder, files[i], NULL);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonArray *tests;

      if (!json_parser_load_from_file (parser, path, &error))
        g_error ("%s", error->message);
      tests = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "tests");

      for (guint j = 0; j < json_array_get_length (tests); j++)
        {
          JsonObject *test = json_array_get_object_element (tests, j);
          SpecCase *spec_case = g_new0 (SpecCase, 1);
          g_autofree char *module = g_strndup (files[i][0] == '~' ? files[i] + 1 : files[i],
                                               strcspn (files[i][0] == '~' ? files[i] + 1 : files[i], "."));

          spec_case->name = g_strdup_printf ("/herald/template/spec/%s/%02u-%s", module, j,
                                             json_object_get_string_member (test, "name"));
          g_strdelimit (spec_case->name + strlen ("/herald/template/spec/"), " /", '-');
          spec_case->test = json_node_ref (json_array_get_element (tests, j));
          g_ptr_array_add (spec_cases, spec_case);
          g_test_add_data_func (spec_case->name, spec_case, test_spec_case);
          added++;
        }
    }
  return added;
}

/* Herald's additions */

static JsonNode *
json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

static char *
render (const char *source,
        const char *data,
        gboolean    html)
{
  g_autoptr(HeraldTemplate) template = NULL;
  g_autoptr(JsonNode) node = json (data);
  g_autoptr(GError) error = NULL;
  HeraldRenderOptions options = { .escape_html = html };
  char *result;

  template = herald_template_new (source, NULL, &error);
  g_assert_no_error (error);
  result = herald_template_render_string (template, node, &options, &error);
  g_assert_no_error (error);
  return result;
}

#define assert_renders(source, data, html, expected) \
  G_STMT_START { \
    g_autofree char *_result = render (source, data, html); \
    g_assert_cmpstr (_result, ==, expected); \
  } G_STMT_END

static void
test_filters (void)
{
  const char *data = "{\"first_name\": \"jOSÉ\", \"empty\": \"\", \"company\": \"Banque du Rivage\", \"n\": 12}";

  assert_renders ("Hi {{ first_name | default: \"there\" }}", data, FALSE, "Hi jOSÉ");
  assert_renders ("Hi {{ missing | default: \"there\" }}!", data, FALSE, "Hi there!");
  assert_renders ("Hi {{ empty | default: 'friend' }}!", data, FALSE, "Hi friend!");
  assert_renders ("{{ first_name | upcase }}", data, FALSE, "JOSÉ");
  assert_renders ("{{ first_name | downcase }}", data, FALSE, "josé");
  assert_renders ("{{ first_name | capitalize }}", data, FALSE, "José");
  assert_renders ("{{ company | truncate: 10 }}", data, FALSE, "Banque du…");
  assert_renders ("{{ company | truncate: 16 }}", data, FALSE, "Banque du Rivage");
  assert_renders ("{{ missing | default: \"ami\" | upcase }}", data, FALSE, "AMI");
  assert_renders ("{{ n | default: 5 }}", data, FALSE, "12");
  /* A fallback is escaped like any value in HTML. */
  assert_renders ("{{ missing | default: \"<you>\" }}", data, TRUE, "&lt;you&gt;");
  assert_renders ("{{{ missing | default: \"<you>\" }}}", data, TRUE, "<you>");
}

static void
test_escaping (void)
{
  const char *data = "{\"company\": \"Kessler & Voss <\\\"KV\\\"> 'x'\"}";

  assert_renders ("{{company}}", data, TRUE, "Kessler &amp; Voss &lt;&quot;KV&quot;&gt; &#39;x&#39;");
  assert_renders ("{{company}}", data, FALSE, "Kessler & Voss <\"KV\"> 'x'");
  assert_renders ("{{{company}}}|{{&company}}", data, TRUE,
                  "Kessler & Voss <\"KV\"> 'x'|Kessler & Voss <\"KV\"> 'x'");
}

static void
test_truthiness (void)
{
  const char *data = "{\"company\": \"\", \"size\": 0, \"tags\": {\"vip\": true}, \"segment\": {\"finance\": false}}";

  assert_renders ("{{#company}}at {{company}}{{/company}}{{^company}}no company{{/company}}", data, FALSE, "no company");
  assert_renders ("{{#size}}big{{/size}}{{^size}}none{{/size}}", data, FALSE, "none");
  assert_renders ("{{#tags.vip}}VIP{{/tags.vip}}{{#tags.trial}}trial{{/tags.trial}}", data, FALSE, "VIP");
  assert_renders ("{{^segment.finance}}not finance{{/segment.finance}}", data, FALSE, "not finance");
}

static JsonNode *
resolve_cb (const char * const *path,
            gpointer            user_data)
{
  GHashTable *asked = user_data;
  static JsonNode *yes;

  if (yes == NULL)
    {
      yes = json_node_new (JSON_NODE_VALUE);
      json_node_set_boolean (yes, TRUE);
    }
  g_hash_table_add (asked, g_strjoinv (".", (char **) path));
  return g_str_equal (path[0], "segment") && g_strcmp0 (path[1], "vip") == 0 ? yes : NULL;
}

static void
test_resolver (void)
{
  g_autoptr(GHashTable) asked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(HeraldTemplate) template = NULL;
  g_autoptr(JsonNode) data = json ("{\"first_name\": \"Ann\"}");
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;
  HeraldRenderOptions options = { .resolver = resolve_cb, .resolver_data = asked };

  template = herald_template_new ("{{first_name}}{{#segment.vip}} (VIP){{/segment.vip}}{{#segment.trial}} (trial){{/segment.trial}}",
                                  NULL, &error);
  g_assert_no_error (error);
  result = herald_template_render_string (template, data, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result, ==, "Ann (VIP)");
  /* Only names no context holds reach the resolver. */
  g_assert_cmpuint (g_hash_table_size (asked), ==, 2);
  g_assert_true (g_hash_table_contains (asked, "segment.vip"));
  g_assert_false (g_hash_table_contains (asked, "first_name"));
}

static void
test_field_use (void)
{
  g_autoptr(GHashTable) use = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(HeraldTemplate) template = NULL;
  g_autoptr(JsonNode) data = json ("{\"first_name\": \"\", \"company\": \"Vela\"}");
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;
  HeraldRenderOptions options = { .field_use = use };

  template = herald_template_new ("{{first_name | default: \"there\"}} {{company}} {{city}}", NULL, &error);
  g_assert_no_error (error);
  result = herald_template_render_string (template, data, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result, ==, "there Vela ");
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (use, "first_name")), ==,
                    HERALD_FIELD_EMPTY | HERALD_FIELD_FALLBACK);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (use, "city")), ==, HERALD_FIELD_EMPTY);
  g_assert_false (g_hash_table_contains (use, "company"));
}

typedef struct
{
  const char *source;
  guint       line;
  guint       column;
  const char *message;
} BadTemplate;

static void
test_errors (void)
{
  static const BadTemplate bad[] = {
    { "Hi\n\n\n  {{#industry}}\nx", 4, 3, "“{{#industry}}” opened on line 4 is never closed" },
    { "{{#a}}{{/b}}", 1, 7, "“{{/b}}” does not close “{{#a}}”, opened on line 1" },
    { "x {{/a}}", 1, 3, "“{{/a}}” closes a section that was never opened" },
    { "Hello {{first_name", 1, 7, "the tag opened with “{{” is never closed" },
    { "é {{}}", 1, 3, "this tag has no name" },
    { "{{first name}}", 1, 1, "“first name” is not a valid name: names cannot contain spaces" },
    { "{{ x | shout }}", 1, 1, "there is no filter called “shout”" },
    { "{{ x | truncate: many }}", 1, 1, "the filter “truncate” needs a number" },
    { "{{ x | default }}", 1, 1, "the filter “default” needs a value" },
    { "{{ x | upcase: 2 }}", 1, 1, "the filter “upcase” takes no value" },
    { "{{#x | upcase}}{{/x}}", 1, 1, "filters such as “| default” work only in {{name}} tags" },
    { "{{=<% %>", 1, 1, "never closed" },
    { "{{= a =}}", 1, 1, "must set two delimiters" },
    { "{{ x | default: \"open }}", 1, 1, "never closed" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      HeraldTemplateLocation location = { 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(HeraldTemplate) template = herald_template_new (bad[i].source, &location, &error);

      g_assert_null (template);
      g_assert_error (error, HERALD_TEMPLATE_ERROR, HERALD_TEMPLATE_ERROR_SYNTAX);
      if (strstr (error->message, bad[i].message) == NULL)
        g_error ("“%s”: “%s” does not say “%s”", bad[i].source, error->message, bad[i].message);
      g_assert_cmpuint (location.line, ==, bad[i].line);
      g_assert_cmpuint (location.column, ==, bad[i].column);
    }
}

static void
test_nesting_limits (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(HeraldTemplateLibrary) library = herald_template_library_new ();
  g_autoptr(HeraldTemplate) template = NULL;
  g_autoptr(JsonNode) data = json ("{}");
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;
  HeraldRenderOptions options = { .library = library };

  for (guint i = 0; i < 500; i++)
    g_string_append (deep, "{{#a}}");
  template = herald_template_new (deep->str, NULL, &error);
  g_assert_null (template);
  g_assert_error (error, HERALD_TEMPLATE_ERROR, HERALD_TEMPLATE_ERROR_SYNTAX);
  g_clear_error (&error);

  /* A snippet that includes itself unconditionally stops with an error. */
  herald_template_library_add (library, "loop", "x{{> loop}}");
  template = herald_template_new ("{{> loop}}", NULL, &error);
  g_assert_no_error (error);
  result = herald_template_render_string (template, data, &options, &error);
  g_assert_null (result);
  g_assert_error (error, HERALD_TEMPLATE_ERROR, HERALD_TEMPLATE_ERROR_TOO_DEEP);
  g_clear_error (&error);

  /* A broken snippet names itself. */
  herald_template_library_add (library, "footer", "{{#open}}");
  g_clear_pointer (&template, herald_template_unref);
  template = herald_template_new ("{{> footer}}", NULL, &error);
  g_assert_no_error (error);
  result = herald_template_render_string (template, data, &options, &error);
  g_assert_null (result);
  g_assert_error (error, HERALD_TEMPLATE_ERROR, HERALD_TEMPLATE_ERROR_PARTIAL);
  g_assert_nonnull (strstr (error->message, "“footer”"));
}

static void
test_names (void)
{
  g_autoptr(HeraldTemplateLibrary) library = herald_template_library_new ();
  g_autoptr(HeraldTemplate) template = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) partials = NULL;
  g_autoptr(GError) error = NULL;
  HeraldTemplateName *name;

  herald_template_library_add (library, "footer", "{{sender.address}}");
  template = herald_template_new ("Hi {{first_name | default: \"there\"}}\n{{#items}}{{title}}{{/items}}{{> footer}}{{> gone}}",
                                  NULL, &error);
  g_assert_no_error (error);
  names = herald_template_list_names (template, library);
  g_assert_cmpuint (names->len, ==, 4);
  name = names->pdata[0];
  g_assert_cmpstr (name->name, ==, "first_name");
  g_assert_true (name->has_fallback);
  g_assert_false (name->in_section);
  g_assert_cmpuint (name->line, ==, 1);
  g_assert_cmpuint (name->column, ==, 4);
  name = names->pdata[1];
  g_assert_cmpstr (name->name, ==, "items");
  g_assert_cmpuint (name->line, ==, 2);
  name = names->pdata[2];
  g_assert_cmpstr (name->name, ==, "title");
  g_assert_true (name->in_section);
  name = names->pdata[3];
  g_assert_cmpstr (name->name, ==, "sender.address");

  partials = herald_template_list_partials (template);
  g_assert_cmpuint (partials->len, ==, 2);
  g_assert_cmpstr (partials->pdata[1], ==, "gone");
}

static void
test_export_mailchimp (void)
{
  g_autoptr(HeraldTemplateLibrary) library = herald_template_library_new ();
  g_autoptr(HeraldTemplate) template = NULL;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;

  herald_template_library_add (library, "footer", "<a href=\"{{unsubscribe_url}}\">x</a> {{sender.address}}");
  template = herald_template_new ("Hi {{first_name | default: \"there\"}}, {{#company}}at {{company}}{{/company}}"
                                  "{{^phone}} no phone{{/phone}} {{> footer}}", NULL, &error);
  g_assert_no_error (error);
  result = herald_template_export_mailchimp (template, library, warnings, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result, ==, "Hi *|IF:FNAME|**|FNAME|**|ELSE:|*there*|END:IF|*, *|IF:COMPANY|*at *|COMPANY|**|END:IF|*"
                               "*|IFNOT:PHONE|* no phone*|END:IF|* <a href=\"*|UNSUB|*\">x</a> *|LIST:ADDRESSLINE|*");
  /* COMPANY is not one of Mailchimp's own fields: said once. */
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_nonnull (strstr (warnings->pdata[0], "*|COMPANY|*"));
  g_clear_pointer (&result, g_free);
  g_clear_pointer (&template, herald_template_unref);
  g_ptr_array_set_size (warnings, 0);

  template = herald_template_new ("{{#tags.vip}}VIP {{/tags.vip}}{{first_name | upcase}}{{segment.x}}", NULL, &error);
  result = herald_template_export_mailchimp (template, library, warnings, &error);
  g_assert_cmpstr (result, ==, "VIP *|FNAME|*");
  g_assert_cmpuint (warnings->len, ==, 3);
}

static void
test_never_crashes (void)
{
  /* Fragments of templates in every order must give a result or an
   * error, never a crash. */
  static const char * const pieces[] = {
    "{{", "}}", "{{{", "}}}", "{{#a}}", "{{/a}}", "{{^a}}", "{{>p}}", "{{<p}}", "{{$b}}",
    "{{/b}}", "{{/p}}", "{{=| |=}}", "|x|", "{{! c }}", "\n", "  ", "{{a|default:\"", "é", "{{.}}",
  };
  g_autoptr(HeraldTemplateLibrary) library = herald_template_library_new ();
  g_autoptr(JsonNode) data = json ("{\"a\": [1, {\"a\": \"x\"}, [true]], \"b\": \"<\"}");
  GRand *rand = g_rand_new_with_seed (20261123);
  HeraldRenderOptions options = { .escape_html = TRUE, .library = library };

  herald_template_library_add (library, "p", "[{{$b}}d{{/b}}{{a}}]\n");

  for (guint round = 0; round < 20000; round++)
    {
      g_autoptr(GString) source = g_string_new (NULL);
      g_autoptr(HeraldTemplate) template = NULL;
      g_autoptr(GError) error = NULL;
      guint n = g_rand_int_range (rand, 1, 12);

      for (guint i = 0; i < n; i++)
        g_string_append (source, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);

      template = herald_template_new (source->str, NULL, &error);
      if (template != NULL)
        {
          g_autofree char *result = herald_template_render_string (template, data, &options, &error);

          g_assert_true ((result == NULL) == (error != NULL));
        }
      else
        g_assert_nonnull (error);
    }
  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  const char *folder = g_getenv ("HERALD_MUSTACHE_SPEC");
  guint added = 0;
  int status;

  g_test_init (&argc, &argv, NULL);
  spec_cases = g_ptr_array_new_with_free_func (spec_case_free);

  if (folder != NULL && g_file_test (folder, G_FILE_TEST_IS_DIR))
    added = add_spec_cases (folder);
  else
    g_test_message ("The Mustache specification folder is absent: 0 specification cases run.");
  g_test_message ("%u Mustache specification cases.", added);

  g_test_add_func ("/herald/template/filters", test_filters);
  g_test_add_func ("/herald/template/escaping", test_escaping);
  g_test_add_func ("/herald/template/truthiness", test_truthiness);
  g_test_add_func ("/herald/template/resolver", test_resolver);
  g_test_add_func ("/herald/template/field-use", test_field_use);
  g_test_add_func ("/herald/template/errors", test_errors);
  g_test_add_func ("/herald/template/nesting-limits", test_nesting_limits);
  g_test_add_func ("/herald/template/names", test_names);
  g_test_add_func ("/herald/template/export-mailchimp", test_export_mailchimp);
  g_test_add_func ("/herald/template/never-crashes", test_never_crashes);

  status = g_test_run ();
  g_ptr_array_unref (spec_cases);
  return status;
}
