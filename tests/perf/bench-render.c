/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>

#include "herald-core.h"

/* The template benchmark's Herald side.
 *
 *   bench-render generate DIR ROWS   writes newsletter.mustache (about
 *                                    20 KB, 15 merge fields, 2 sections, a
 *                                    partial), footer.mustache and
 *                                    contacts.json into DIR
 *   bench-render run DIR             renders the newsletter once for every
 *                                    contact and prints the seconds spent
 *                                    rendering, then the bytes produced
 *
 * bench-render.mjs does the same with mustache.js, on the same files. */

static const char *industries[] = { "Finance", "Software", "Retail", "Energy", "Insurance" };
static const char *cities[] = { "Berlin", "Lyon", "Milano", "Madrid", "Dublin", "Oslo" };

static void
generate (const char *dir,
          guint       rows)
{
  g_autoptr(GString) html = g_string_new (NULL);
  g_autoptr(GString) data = g_string_new ("[");
  g_autofree char *template_path = g_build_filename (dir, "newsletter.mustache", NULL);
  g_autofree char *footer_path = g_build_filename (dir, "footer.mustache", NULL);
  g_autofree char *data_path = g_build_filename (dir, "contacts.json", NULL);
  g_autoptr(GError) error = NULL;

  g_string_append (html,
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<title>{{campaign.subject}}</title>\n</head>\n<body style=\"margin:0;background:#f6f5f4\">\n"
    "<table role=\"presentation\" width=\"100%\"><tr><td>\n"
    "<p>Hi {{first_name | default: \"there\"}} {{last_name}},</p>\n"
    "<p>As {{job_title}} at {{company}} you know the {{industry}} market in {{city}}, {{country}}.</p>\n"
    "{{#tags.vip}}<p class=\"vip\">Thank you for being one of our closest customers, {{first_name}}.</p>{{/tags.vip}}\n");
  /* Static body copy, as long newsletters have, up to about 20 KB. */
  for (guint i = 0; html->len < 18 * 1024; i++)
    g_string_append_printf (html,
      "<tr><td style=\"padding:12px 24px;font-family:Cantarell,sans-serif;font-size:15px;color:#241f31\">\n"
      "<h2 style=\"margin:0 0 8px\">Story %u: planning the quarter</h2>\n"
      "<p>Teams that plan their email calendar a quarter ahead send fewer, better messages. "
      "This section walks through segmenting by engagement, writing a subject line that earns the open, "
      "and measuring what each send brought in.</p>\n"
      "<p><a href=\"https://example.com/stories/%u\" style=\"color:#1c71d8\">Read the whole story</a></p>\n"
      "</td></tr>\n", i + 1, i + 1);
  g_string_append (html,
    "<h3>Picked for {{company}}</h3>\n<ul>\n"
    "{{#recommendations}}<li><a href=\"{{url}}\">{{title}}</a> ({{price}})</li>\n{{/recommendations}}"
    "</ul>\n<p>Questions? Write to {{sender.email}} or call {{phone}}.</p>\n"
    "{{> footer}}\n</td></tr></table>\n</body>\n</html>\n");

  if (!g_file_set_contents (template_path, html->str, html->len, &error)
      || !g_file_set_contents (footer_path,
                               "<p style=\"font-size:12px\">{{sender.name}} · {{sender.address}}<br>\n"
                               "You receive this as {{email}}. <a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p>\n",
                               -1, &error))
    g_error ("%s", error->message);

  for (guint i = 0; i < rows; i++)
    {
      g_string_append_printf (data,
        "%s\n{\"email\":\"person%u@example.com\",\"first_name\":\"%s\",\"last_name\":\"Doe%u\","
        "\"company\":\"Company %u & Co\",\"job_title\":\"Marketing Manager\",\"industry\":\"%s\","
        "\"city\":\"%s\",\"country\":\"DE\",\"phone\":\"+49 30 %07u\","
        "\"tags\":{\"vip\":%s},"
        "\"recommendations\":[{\"title\":\"Guide %u\",\"url\":\"https://example.com/g/%u\",\"price\":\"€%u\"},"
        "{\"title\":\"Webinar\",\"url\":\"https://example.com/w\",\"price\":\"free\"}],"
        "\"sender\":{\"name\":\"Herald Demo\",\"email\":\"hello@example.com\",\"address\":\"Hauptstraße 1, 10115 Berlin\"},"
        "\"campaign\":{\"subject\":\"Your quarter\"},"
        "\"unsubscribe_url\":\"https://example.com/u/%u\"}",
        i == 0 ? "" : ",", i, i % 7 == 0 ? "" : "Jane", i, i % 5000, industries[i % 5],
        cities[i % 6], i, i % 3 == 0 ? "true" : "false", i % 40, i % 40, 10 + i % 90, i);
    }
  g_string_append (data, "]\n");
  if (!g_file_set_contents (data_path, data->str, data->len, &error))
    g_error ("%s", error->message);
}

static void
run (const char *dir)
{
  g_autofree char *template_path = g_build_filename (dir, "newsletter.mustache", NULL);
  g_autofree char *footer_path = g_build_filename (dir, "footer.mustache", NULL);
  g_autofree char *data_path = g_build_filename (dir, "contacts.json", NULL);
  g_autofree char *source = NULL;
  g_autofree char *footer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(HeraldTemplateLibrary) library = herald_template_library_new ();
  g_autoptr(HeraldTemplate) template = NULL;
  g_autoptr(GString) out = g_string_sized_new (32 * 1024);
  g_autoptr(GError) error = NULL;
  HeraldRenderOptions options = { .escape_html = TRUE, .library = library };
  JsonArray *contacts;
  guint64 bytes = 0;
  gint64 start;

  if (!g_file_get_contents (template_path, &source, NULL, &error)
      || !g_file_get_contents (footer_path, &footer, NULL, &error)
      || !json_parser_load_from_mapped_file (parser, data_path, &error))
    g_error ("%s", error->message);
  contacts = json_node_get_array (json_parser_get_root (parser));

  /* Compiling is part of the work, as mustache.js parses on first use. */
  start = g_get_monotonic_time ();
  herald_template_library_add (library, "footer", footer);
  template = herald_template_new (source, NULL, &error);
  if (template == NULL)
    g_error ("%s", error->message);

  for (guint i = 0; i < json_array_get_length (contacts); i++)
    {
      g_string_truncate (out, 0);
      if (!herald_template_render (template, json_array_get_element (contacts, i), &options, out, &error))
        g_error ("%s", error->message);
      bytes += out->len;
    }

  printf ("%.3f\n%" G_GUINT64_FORMAT "\n", (g_get_monotonic_time () - start) / 1e6, bytes);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "generate"))
    generate (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10));
  else if (argc == 3 && g_str_equal (argv[1], "run"))
    run (argv[2]);
  else
    {
      fprintf (stderr, "usage: bench-render generate DIR ROWS | run DIR\n");
      return 2;
    }
  return 0;
}
