/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-html"

#include "config.h"

#include <glib/gi18n.h>
#include <libxml/HTMLparser.h>
#include <string.h>

#include "herald-html.h"

/* HTML bodies are read with libxml2's forgiving HTML parser, never
 * fetching anything: to derive the plain-text part of an email and to find
 * the links and images lint looks at. */

static const int parse_options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING
                                 | HTML_PARSE_NONET;

static htmlDocPtr
parse (const char *html)
{
  return htmlReadMemory (html, strlen (html), NULL, "UTF-8", parse_options);
}

typedef struct
{
  GString *out;
  /* Newlines owed before the next word: 1 for a line break, 2 for a new
   * paragraph; and whether a space is owed. */
  guint    breaks;
  gboolean space;
} Text;

static void
text_break (Text *text,
            guint breaks)
{
  if (text->out->len > 0)
    text->breaks = MAX (text->breaks, breaks);
  text->space = FALSE;
}

static void
text_word (Text       *text,
           const char *word,
           gsize       length)
{
  if (length == 0)
    return;
  if (text->breaks > 0)
    {
      for (guint i = 0; i < text->breaks; i++)
        g_string_append_c (text->out, '\n');
      text->breaks = 0;
    }
  else if (text->space && text->out->len > 0)
    g_string_append_c (text->out, ' ');
  text->space = FALSE;
  g_string_append_len (text->out, word, length);
}

static void
text_append (Text       *text,
             const char *content)
{
  const char *p = content;

  /* Runs of whitespace collapse to one space, as a browser shows them. */
  while (*p != '\0')
    {
      const char *start;

      if (g_ascii_isspace (*p))
        {
          text->space = TRUE;
          while (g_ascii_isspace (*p))
            p++;
          continue;
        }
      start = p;
      while (*p != '\0' && !g_ascii_isspace (*p))
        p++;
      text_word (text, start, p - start);
    }
}

static gboolean
is_named (xmlNodePtr  node,
          const char *names)
{
  g_auto(GStrv) list = g_strsplit (names, " ", -1);

  for (guint i = 0; list[i] != NULL; i++)
    if (g_ascii_strcasecmp ((const char *) node->name, list[i]) == 0)
      return TRUE;
  return FALSE;
}

static char *
attribute (xmlNodePtr  node,
           const char *name)
{
  xmlChar *value = xmlGetProp (node, (const xmlChar *) name);
  char *copy = value != NULL ? g_strstrip (g_strdup ((const char *) value)) : NULL;

  xmlFree (value);
  return copy;
}

static void walk_text (Text *text, xmlNodePtr node);

static void
walk_children (Text       *text,
               xmlNodePtr  node)
{
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    walk_text (text, child);
}

static void
walk_text (Text       *text,
           xmlNodePtr  node)
{
  if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE)
    {
      text_append (text, (const char *) node->content);
      return;
    }
  if (node->type != XML_ELEMENT_NODE)
    return;

  if (is_named (node, "head script style title template"))
    return;

  if (is_named (node, "br"))
    {
      text_break (text, 1);
      return;
    }

  if (is_named (node, "img"))
    {
      g_autofree char *alt = attribute (node, "alt");

      if (alt != NULL)
        text_append (text, alt);
      return;
    }

  if (is_named (node, "hr"))
    {
      text_break (text, 2);
      text_word (text, "----", 4);
      text_break (text, 2);
      return;
    }

  if (is_named (node, "a"))
    {
      g_autofree char *href = attribute (node, "href");
      g_autoptr(GString) inner = g_string_new (NULL);
      Text link = { .out = inner };

      walk_children (&link, node);
      if (href == NULL || href[0] == '\0' || href[0] == '#')
        text_append (text, inner->str);
      else if (inner->len == 0)
        text_append (text, href);
      else
        {
          const char *shown = g_str_has_prefix (href, "mailto:") ? href + 7 : href;

          text_append (text, inner->str);
          if (!g_str_equal (inner->str, shown))
            {
              g_autofree char *suffix = g_strdup_printf ("(%s)", shown);

              text->space = TRUE;
              text_word (text, suffix, strlen (suffix));
            }
        }
      return;
    }

  if (is_named (node, "li"))
    {
      text_break (text, 1);
      text_word (text, "-", 1);
      text->space = TRUE;
      walk_children (text, node);
      text_break (text, 1);
      return;
    }

  if (is_named (node, "td th"))
    {
      text->space = TRUE;
      walk_children (text, node);
      text->space = TRUE;
      return;
    }

  if (is_named (node, "tr div table tbody thead tfoot ul ol"))
    {
      text_break (text, 1);
      walk_children (text, node);
      text_break (text, 1);
      return;
    }

  if (is_named (node, "p h1 h2 h3 h4 h5 h6 blockquote section article header footer pre address"))
    {
      text_break (text, 2);
      walk_children (text, node);
      text_break (text, 2);
      return;
    }

  walk_children (text, node);
}

/* The plain-text part of an email, derived from its HTML: paragraphs and
 * line breaks kept, links written as “text (url)”, images as their alt
 * text, and nothing from <head>, scripts or styles. */
char *
herald_html_to_text (const char *html)
{
  htmlDocPtr doc;
  g_autoptr(GString) out = g_string_new (NULL);
  Text text = { .out = out };

  g_return_val_if_fail (html != NULL, NULL);

  doc = parse (html);
  if (doc != NULL)
    {
      for (xmlNodePtr node = doc->children; node != NULL; node = node->next)
        walk_text (&text, node);
      xmlFreeDoc (doc);
    }
  if (out->len > 0)
    g_string_append_c (out, '\n');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
herald_html_reference_free (HeraldHtmlReference *reference)
{
  g_free (reference->url);
  g_free (reference->alt);
  g_free (reference);
}

static void
collect_references (xmlNodePtr  node,
                    GPtrArray  *references)
{
  for (; node != NULL; node = node->next)
    {
      if (node->type != XML_ELEMENT_NODE)
        continue;

      if (is_named (node, "a img"))
        {
          HeraldHtmlReference *reference = g_new0 (HeraldHtmlReference, 1);

          reference->is_image = is_named (node, "img");
          reference->url = attribute (node, reference->is_image ? "src" : "href");
          reference->alt = reference->is_image ? attribute (node, "alt") : NULL;
          reference->line = xmlGetLineNo (node);
          g_ptr_array_add (references, reference);
        }
      collect_references (node->children, references);
    }
}

/* Every link (<a href>) and image (<img src>) in document order. */
GPtrArray *
herald_html_references (const char *html)
{
  GPtrArray *references = g_ptr_array_new_with_free_func ((GDestroyNotify) herald_html_reference_free);
  htmlDocPtr doc;

  g_return_val_if_fail (html != NULL, NULL);

  doc = parse (html);
  if (doc != NULL)
    {
      collect_references (doc->children, references);
      xmlFreeDoc (doc);
    }
  return references;
}
