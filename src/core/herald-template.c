/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-template"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "herald-template.h"

/* Herald's template language is Mustache (the core modules and
 * inheritance) plus a few filters. A template is parsed once into a tree
 * of nodes whose text points into the template's own copy of its source;
 * rendering walks the tree and appends to one GString.
 *
 * Indentation follows the specification: a standalone partial, layout or
 * block adds its indentation to every line it brings in. Instead of
 * re-parsing an indented copy, the parser leaves an INDENT node at the
 * start of every line, and rendering emits there whatever indentation the
 * current inclusion asks for (nothing at the top level). A block's content
 * loses its own indentation at parse time, so it can be re-indented
 * wherever it is expanded. */

#define MAX_NESTING 100
#define MAX_INCLUDE_DEPTH 64
#define MAX_OUTPUT (64 * 1024 * 1024)

G_DEFINE_QUARK (herald-template-error-quark, herald_template_error)

typedef enum
{
  NODE_TEXT,
  NODE_INDENT,
  NODE_VARIABLE,
  NODE_SECTION,
  NODE_INVERTED,
  NODE_PARTIAL,
  NODE_PARENT,
  NODE_BLOCK,
} NodeKind;

typedef enum
{
  FILTER_DEFAULT,
  FILTER_UPCASE,
  FILTER_DOWNCASE,
  FILTER_CAPITALIZE,
  FILTER_TRUNCATE,
} FilterKind;

typedef struct
{
  FilterKind  kind;
  char       *text;
  gint64      number;
} Filter;

typedef struct _Node Node;

struct _Node
{
  NodeKind    kind;
  gsize       offset;
  /* NODE_TEXT: a slice of the template's source. */
  const char *text;
  gsize       length;
  /* Variables and sections: the name as written and split at dots; a NULL
   * path is the implicit iterator "." */
  char       *name;
  char      **path;
  gboolean    escape;
  GArray     *filters;
  /* Sections, blocks and layouts. */
  GPtrArray  *children;
  /* Partials, layouts and blocks included on a line of their own add
   * `indent` to every line they bring in. */
  gboolean    standalone;
  char       *indent;
};

struct _HeraldTemplate
{
  char      *source;
  GPtrArray *nodes;
};

struct _HeraldTemplateLibrary
{
  GHashTable *sources;
  GHashTable *compiled;
};

static void
filter_clear (gpointer data)
{
  Filter *filter = data;

  g_free (filter->text);
}

static void
node_free (gpointer data)
{
  Node *node = data;

  g_free (node->name);
  g_strfreev (node->path);
  g_clear_pointer (&node->filters, g_array_unref);
  g_clear_pointer (&node->children, g_ptr_array_unref);
  g_free (node->indent);
  g_free (node);
}

static Node *
node_new (NodeKind kind,
          gsize    offset)
{
  Node *node = g_new0 (Node, 1);

  node->kind = kind;
  node->offset = offset;
  if (kind == NODE_SECTION || kind == NODE_INVERTED
      || kind == NODE_PARENT || kind == NODE_BLOCK)
    node->children = g_ptr_array_new_with_free_func (node_free);
  return node;
}

/* Tokens */

typedef enum
{
  TOKEN_TEXT,
  TOKEN_TAG,
} TokenKind;

typedef struct
{
  TokenKind kind;
  /* 0 for a variable, otherwise one of { & # ^ / ! > < $ = */
  char      sigil;
  gsize     start;
  gsize     end;
  gsize     content_start;
  gsize     content_end;
  gboolean  standalone;
  gboolean  dropped;
  /* For a standalone line: its leading whitespace. */
  gsize     indent_start;
  gsize     indent_end;
} Token;

typedef struct
{
  const char             *source;
  gsize                   length;
  GArray                 *tokens;
  HeraldTemplateLocation *location;
  GError                **error;
} Parser;

static void
location_at (const char             *source,
             gsize                   offset,
             gsize                   length,
             HeraldTemplateLocation *location)
{
  const char *line_start = source;

  location->line = 1;
  for (const char *p = source; p < source + offset; p++)
    if (*p == '\n')
      {
        location->line++;
        line_start = p + 1;
      }
  location->column = g_utf8_strlen (line_start, source + offset - line_start) + 1;
  location->length = g_utf8_strlen (source + offset, length);
}

static guint
line_at (const char *source,
         gsize       offset)
{
  HeraldTemplateLocation location;

  location_at (source, offset, 0, &location);
  return location.line;
}

G_GNUC_PRINTF (4, 5)
static gboolean
parser_fail (Parser     *parser,
             gsize       offset,
             gsize       length,
             const char *format,
             ...)
{
  HeraldTemplateLocation location;
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  location_at (parser->source, offset, length, &location);
  if (parser->location != NULL)
    *parser->location = location;
  /* Translators: a problem in a template; the last %s says what is wrong. */
  g_set_error (parser->error, HERALD_TEMPLATE_ERROR, HERALD_TEMPLATE_ERROR_SYNTAX,
               _("line %u, column %u: %s"), location.line, location.column, message);
  return FALSE;
}

static const char *
find (const char *haystack,
      gsize       from,
      gsize       length,
      const char *needle)
{
  gsize needle_length = strlen (needle);

  if (needle_length == 0 || from > length)
    return NULL;
  for (gsize i = from; i + needle_length <= length; i++)
    if (haystack[i] == needle[0] && memcmp (haystack + i, needle, needle_length) == 0)
      return haystack + i;
  return NULL;
}

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

static void
add_text (Parser *parser,
          gsize   start,
          gsize   end)
{
  /* Text is cut after each newline, so that a token never spans lines and
   * the standalone pass can look at one line at a time. */
  while (start < end)
    {
      const char *newline = memchr (parser->source + start, '\n', end - start);
      gsize stop = newline != NULL ? (gsize) (newline - parser->source) + 1 : end;
      Token token = { .kind = TOKEN_TEXT, .start = start, .end = stop };

      g_array_append_val (parser->tokens, token);
      start = stop;
    }
}

static void
trim (const char *source,
      gsize      *start,
      gsize      *end)
{
  while (*start < *end && g_ascii_isspace (source[*start]))
    (*start)++;
  while (*end > *start && g_ascii_isspace (source[*end - 1]))
    (*end)--;
}

static gboolean
tokenize (Parser *parser)
{
  g_autofree char *open = g_strdup ("{{");
  g_autofree char *close = g_strdup ("}}");
  gsize pos = 0;

  while (pos < parser->length)
    {
      const char *tag = find (parser->source, pos, parser->length, open);
      const char *closing;
      Token token = { .kind = TOKEN_TAG };
      gsize inner;

      if (tag == NULL)
        {
          add_text (parser, pos, parser->length);
          break;
        }

      token.start = tag - parser->source;
      add_text (parser, pos, token.start);
      inner = token.start + strlen (open);

      if (inner < parser->length && parser->source[inner] == '{')
        {
          g_autofree char *end = g_strconcat ("}", close, NULL);

          closing = find (parser->source, inner + 1, parser->length, end);
          token.sigil = '{';
          token.content_start = inner + 1;
          token.content_end = closing != NULL ? (gsize) (closing - parser->source) : 0;
          token.end = closing != NULL ? token.content_end + strlen (end) : 0;
        }
      else if (inner < parser->length && parser->source[inner] == '=')
        {
          g_autofree char *end = g_strconcat ("=", close, NULL);

          closing = find (parser->source, inner + 1, parser->length, end);
          token.sigil = '=';
          token.content_start = inner + 1;
          token.content_end = closing != NULL ? (gsize) (closing - parser->source) : 0;
          token.end = closing != NULL ? token.content_end + strlen (end) : 0;
        }
      else
        {
          closing = find (parser->source, inner, parser->length, close);
          token.content_start = inner;
          if (inner < parser->length && strchr ("&#^/!><$", parser->source[inner]) != NULL
              && parser->source[inner] != '\0')
            {
              token.sigil = parser->source[inner];
              token.content_start++;
            }
          token.content_end = closing != NULL ? (gsize) (closing - parser->source) : 0;
          token.end = closing != NULL ? token.content_end + strlen (close) : 0;
        }

      if (closing == NULL)
        return parser_fail (parser, token.start, strlen (open),
                            _("the tag opened with “%s” is never closed"), open);

      trim (parser->source, &token.content_start, &token.content_end);

      if (token.sigil == '=')
        {
          g_autofree char *content = g_strndup (parser->source + token.content_start,
                                                token.content_end - token.content_start);
          g_auto(GStrv) parts = g_strsplit_set (content, " \t\r\n", -1);
          g_autoptr(GPtrArray) delimiters = g_ptr_array_new ();

          for (guint i = 0; parts[i] != NULL; i++)
            if (parts[i][0] != '\0')
              g_ptr_array_add (delimiters, parts[i]);
          if (delimiters->len != 2
              || strchr (delimiters->pdata[0], '=') != NULL
              || strchr (delimiters->pdata[1], '=') != NULL)
            return parser_fail (parser, token.start, token.end - token.start,
                                _("“%s” must set two delimiters without spaces or “=”, such as {{=<< >>=}}"),
                                content);
          g_free (open);
          g_free (close);
          open = g_strdup (delimiters->pdata[0]);
          close = g_strdup (delimiters->pdata[1]);
        }

      g_array_append_val (parser->tokens, token);
      pos = token.end;
    }

  return TRUE;
}

static gboolean
same_name (Parser      *parser,
           const Token *a,
           const Token *b)
{
  gsize length = a->content_end - a->content_start;

  return length == b->content_end - b->content_start
         && memcmp (parser->source + a->content_start,
                    parser->source + b->content_start, length) == 0;
}

/* A line holding only whitespace and tags that print nothing themselves
 * (sections, comments, partials, delimiters, layouts, blocks) disappears
 * from the output, newline included. A block or section opened and closed
 * on the same line stays inline: it stands for content, like a variable. */
static void
mark_standalone (Parser *parser)
{
  guint line_start = 0;

  while (line_start < parser->tokens->len)
    {
      guint line_end = line_start;
      gboolean standalone = TRUE;
      gboolean any_tag = FALSE;

      while (line_end < parser->tokens->len)
        {
          Token *token = &g_array_index (parser->tokens, Token, line_end++);

          if (token->kind == TOKEN_TEXT && parser->source[token->end - 1] == '\n')
            break;
        }

      for (guint i = line_start; i < line_end && standalone; i++)
        {
          Token *token = &g_array_index (parser->tokens, Token, i);

          if (token->kind == TOKEN_TEXT)
            {
              for (gsize p = token->start; p < token->end; p++)
                if (!is_blank (parser->source[p]) && parser->source[p] != '\r'
                    && parser->source[p] != '\n')
                  standalone = FALSE;
            }
          else if (token->sigil == 0 || token->sigil == '{' || token->sigil == '&')
            standalone = FALSE;
          else
            {
              any_tag = TRUE;
              if (token->sigil == '#' || token->sigil == '^' || token->sigil == '$')
                for (guint j = i + 1; j < line_end; j++)
                  {
                    Token *other = &g_array_index (parser->tokens, Token, j);

                    if (other->kind == TOKEN_TAG && other->sigil == '/'
                        && same_name (parser, token, other))
                      standalone = FALSE;
                  }
            }
        }

      if (standalone && any_tag)
        {
          Token *first = &g_array_index (parser->tokens, Token, line_start);
          gsize indent_start = first->start;
          gsize indent_end = first->kind == TOKEN_TEXT ? first->end : first->start;

          for (guint i = line_start; i < line_end; i++)
            {
              Token *token = &g_array_index (parser->tokens, Token, i);

              token->indent_start = indent_start;
              token->indent_end = indent_end;
              if (token->kind == TOKEN_TEXT)
                token->dropped = TRUE;
              else
                token->standalone = TRUE;
            }
        }

      line_start = line_end;
    }
}

/* Tree building */

typedef struct
{
  Node        *node;
  const Token *token;
  /* The indentation stripped from every line inside the nearest block. */
  const char  *strip;
} Frame;

typedef struct
{
  Parser    *parser;
  GArray    *frames;
  gboolean   line_used;
  gboolean   suppress_indent;
} Builder;

static Frame *
top_frame (Builder *builder)
{
  return &g_array_index (builder->frames, Frame, builder->frames->len - 1);
}

static void
append_node (Builder *builder,
             Node    *node)
{
  g_ptr_array_add (top_frame (builder)->node->children, node);
}

/* Called before anything that prints: the first thing on a line starts
 * with the current indentation, except the first line of a template or of
 * a standalone block, whose indentation the place including it supplies. */
static void
begin_output (Builder *builder,
              gsize    offset)
{
  if (builder->line_used)
    return;
  builder->line_used = TRUE;
  if (builder->suppress_indent)
    builder->suppress_indent = FALSE;
  else
    append_node (builder, node_new (NODE_INDENT, offset));
}

static gsize
common_blank_prefix (const char *text,
                     gsize       length,
                     const char *prefix)
{
  gsize n = 0;

  while (n < length && prefix[n] != '\0' && text[n] == prefix[n])
    n++;
  return n;
}

static char *
strip_prefix (const char *indent,
              const char *outer)
{
  gsize n = common_blank_prefix (indent, strlen (indent), outer);

  return g_strdup (indent + n);
}

static gboolean
is_line_start (Parser *parser,
               gsize   offset)
{
  return offset == 0 || parser->source[offset - 1] == '\n';
}

static char *
blank_run (const char *source,
           gsize       from,
           gsize       length)
{
  gsize end = from;

  while (end < length && is_blank (source[end]))
    end++;
  return g_strndup (source + from, end - from);
}

static gboolean
parse_filters (Builder     *builder,
               const Token *token,
               const char  *content,
               Node        *node)
{
  Parser *parser = builder->parser;
  const char *p = content;

  /* content points just after the name's '|'. */
  node->filters = g_array_new (FALSE, TRUE, sizeof (Filter));
  g_array_set_clear_func (node->filters, filter_clear);

  while (*p != '\0')
    {
      Filter filter = { 0 };
      const char *name_start;
      g_autofree char *name = NULL;
      g_autofree char *argument = NULL;
      gboolean quoted = FALSE;

      while (g_ascii_isspace (*p))
        p++;
      name_start = p;
      while (g_ascii_isalnum (*p) || *p == '_')
        p++;
      name = g_strndup (name_start, p - name_start);
      while (g_ascii_isspace (*p))
        p++;

      if (*p == ':')
        {
          const char *arg_start;

          p++;
          while (g_ascii_isspace (*p))
            p++;
          if (*p == '"' || *p == '\'')
            {
              char quote = *p++;

              arg_start = p;
              while (*p != '\0' && *p != quote)
                p++;
              if (*p != quote)
                return parser_fail (parser, token->start, token->end - token->start,
                                    _("the quoted value after “%s” is never closed"), name);
              argument = g_strndup (arg_start, p - arg_start);
              quoted = TRUE;
              p++;
            }
          else
            {
              arg_start = p;
              while (*p != '\0' && *p != '|' && !g_ascii_isspace (*p))
                p++;
              argument = g_strndup (arg_start, p - arg_start);
            }
          while (g_ascii_isspace (*p))
            p++;
        }

      if (*p != '\0' && *p != '|')
        return parser_fail (parser, token->start, token->end - token->start,
                            _("unexpected “%c” in the filters of this tag; write filters as | name or | name: value"),
                            *p);

      if (g_str_equal (name, "default"))
        {
          if (argument == NULL || (!quoted && argument[0] == '\0'))
            return parser_fail (parser, token->start, token->end - token->start,
                                _("the filter “default” needs a value, such as | default: \"there\""));
          filter.kind = FILTER_DEFAULT;
          filter.text = g_steal_pointer (&argument);
        }
      else if (g_str_equal (name, "truncate"))
        {
          guint64 number = 0;

          if (argument == NULL || quoted
              || !g_ascii_string_to_unsigned (argument, 10, 1, 100000, &number, NULL))
            return parser_fail (parser, token->start, token->end - token->start,
                                _("the filter “truncate” needs a number of characters, such as | truncate: 20"));
          filter.kind = FILTER_TRUNCATE;
          filter.number = number;
        }
      else if (g_str_equal (name, "upcase") || g_str_equal (name, "downcase")
               || g_str_equal (name, "capitalize"))
        {
          if (argument != NULL)
            return parser_fail (parser, token->start, token->end - token->start,
                                _("the filter “%s” takes no value"), name);
          filter.kind = g_str_equal (name, "upcase") ? FILTER_UPCASE
                        : g_str_equal (name, "downcase") ? FILTER_DOWNCASE
                        : FILTER_CAPITALIZE;
        }
      else
        return parser_fail (parser, token->start, token->end - token->start,
                            _("there is no filter called “%s”; the filters are default, upcase, downcase, capitalize and truncate"),
                            name);

      g_array_append_val (node->filters, filter);
      if (*p == '|')
        p++;
    }

  return TRUE;
}

/* Sets node->name and node->path from the tag, with filters when the tag
 * is a variable. */
static gboolean
parse_name (Builder     *builder,
            const Token *token,
            Node        *node,
            gboolean     allow_filters)
{
  Parser *parser = builder->parser;
  g_autofree char *content = g_strndup (parser->source + token->content_start,
                                        token->content_end - token->content_start);
  char *bar = allow_filters ? strchr (content, '|') : NULL;

  if (bar != NULL)
    {
      if (!parse_filters (builder, token, bar + 1, node))
        return FALSE;
      *bar = '\0';
      g_strchomp (content);
    }

  if (content[0] == '\0')
    return parser_fail (parser, token->start, token->end - token->start,
                        _("this tag has no name"));
  for (const char *p = content; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || (*p == '|' && !allow_filters))
      return parser_fail (parser, token->start, token->end - token->start,
                          strchr (content, '|') != NULL
                          ? _("filters such as “| default” work only in {{name}} tags")
                          : _("“%s” is not a valid name: names cannot contain spaces"),
                          content);

  if (!g_str_equal (content, "."))
    node->path = g_strsplit (content, ".", -1);
  node->name = g_steal_pointer (&content);
  return TRUE;
}

static gboolean
open_frame (Builder     *builder,
            const Token *token,
            Node        *node,
            const char  *strip)
{
  Frame frame = { .node = node, .token = token, .strip = strip };

  if (builder->frames->len > MAX_NESTING)
    {
      node_free (node);
      return parser_fail (builder->parser, token->start, token->end - token->start,
                          _("sections nest more than %u levels deep"), MAX_NESTING);
    }
  append_node (builder, node);
  g_array_append_val (builder->frames, frame);
  return TRUE;
}

static gboolean
open_block (Builder     *builder,
            const Token *token,
            Node        *node)
{
  Parser *parser = builder->parser;
  const char *outer = top_frame (builder)->strip;
  g_autofree char *own = NULL;

  node->standalone = token->standalone;
  if (token->standalone)
    {
      /* The indentation of a block on a line of its own is that of its
       * first line of content. */
      const char *newline = memchr (parser->source + token->end, '\n',
                                    parser->length - token->end);

      own = newline != NULL
            ? blank_run (parser->source, newline - parser->source + 1, parser->length)
            : g_strdup ("");
    }
  else
    {
      gsize start = token->start;

      while (start > 0 && is_blank (parser->source[start - 1]))
        start--;
      own = is_line_start (parser, start)
            ? g_strndup (parser->source + start, token->start - start)
            : g_strdup ("");
    }

  if (!g_str_has_prefix (own, outer))
    {
      g_free (own);
      own = g_strdup (outer);
    }
  node->indent = g_strdup (own + strlen (outer));

  /* Interned: frames hold borrowed strings, and indentations are few. */
  if (!open_frame (builder, token, node, g_intern_string (own)))
    return FALSE;
  if (token->standalone)
    builder->suppress_indent = TRUE;
  return TRUE;
}

static gboolean
close_frame (Builder     *builder,
             const Token *token)
{
  Parser *parser = builder->parser;
  Frame *frame = top_frame (builder);
  g_autofree char *name = g_strndup (parser->source + token->content_start,
                                     token->content_end - token->content_start);

  if (builder->frames->len == 1)
    return parser_fail (parser, token->start, token->end - token->start,
                        _("“{{/%s}}” closes a section that was never opened"), name);

  if (!same_name (parser, frame->token, token))
    {
      g_autofree char *open = g_strndup (parser->source + frame->token->content_start,
                                         frame->token->content_end - frame->token->content_start);

      return parser_fail (parser, token->start, token->end - token->start,
                          _("“{{/%s}}” does not close “{{%c%s}}”, opened on line %u"),
                          name, frame->token->sigil, open,
                          line_at (parser->source, frame->token->start));
    }

  if (frame->node->kind == NODE_BLOCK)
    builder->suppress_indent = FALSE;
  g_array_set_size (builder->frames, builder->frames->len - 1);
  return TRUE;
}

static gboolean
build (Builder *builder)
{
  Parser *parser = builder->parser;

  for (guint i = 0; i < parser->tokens->len; i++)
    {
      const Token *token = &g_array_index (parser->tokens, Token, i);
      const char *strip = top_frame (builder)->strip;
      Node *node;

      if (is_line_start (parser, token->start))
        builder->line_used = FALSE;

      if (token->kind == TOKEN_TEXT)
        {
          gsize start = token->start;

          if (token->dropped)
            continue;
          if (is_line_start (parser, start))
            start += common_blank_prefix (parser->source + start, token->end - start, strip);
          if (start == token->end)
            continue;
          begin_output (builder, start);
          node = node_new (NODE_TEXT, start);
          node->text = parser->source + start;
          node->length = token->end - start;
          append_node (builder, node);
          continue;
        }

      switch (token->sigil)
        {
        case '!':
        case '=':
          break;

        case 0:
        case '{':
        case '&':
          node = node_new (NODE_VARIABLE, token->start);
          node->escape = token->sigil == 0;
          if (!parse_name (builder, token, node, TRUE))
            {
              node_free (node);
              return FALSE;
            }
          begin_output (builder, token->start);
          append_node (builder, node);
          break;

        case '#':
        case '^':
          node = node_new (token->sigil == '#' ? NODE_SECTION : NODE_INVERTED, token->start);
          if (!parse_name (builder, token, node, FALSE))
            {
              node_free (node);
              return FALSE;
            }
          if (!token->standalone)
            begin_output (builder, token->start);
          if (!open_frame (builder, token, node, strip))
            return FALSE;
          break;

        case '$':
          node = node_new (NODE_BLOCK, token->start);
          if (!parse_name (builder, token, node, FALSE))
            {
              node_free (node);
              return FALSE;
            }
          if (!token->standalone)
            begin_output (builder, token->start);
          if (!open_block (builder, token, node))
            return FALSE;
          break;

        case '>':
        case '<':
          node = node_new (token->sigil == '>' ? NODE_PARTIAL : NODE_PARENT, token->start);
          if (!parse_name (builder, token, node, FALSE))
            {
              node_free (node);
              return FALSE;
            }
          node->standalone = token->standalone;
          if (token->standalone)
            {
              g_autofree char *indent = g_strndup (parser->source + token->indent_start,
                                                   token->indent_end - token->indent_start);

              node->indent = strip_prefix (indent, strip);
            }
          else
            begin_output (builder, token->start);
          if (token->sigil == '>')
            append_node (builder, node);
          else if (!open_frame (builder, token, node, strip))
            return FALSE;
          break;

        case '/':
          if (!close_frame (builder, token))
            return FALSE;
          break;

        default:
          g_assert_not_reached ();
        }
    }

  if (builder->frames->len > 1)
    {
      Frame *frame = top_frame (builder);
      g_autofree char *name = g_strndup (parser->source + frame->token->content_start,
                                         frame->token->content_end - frame->token->content_start);

      return parser_fail (parser, frame->token->start, frame->token->end - frame->token->start,
                          _("“{{%c%s}}” opened on line %u is never closed"),
                          frame->token->sigil, name, line_at (parser->source, frame->token->start));
    }

  return TRUE;
}

HeraldTemplate *
herald_template_new (const char              *source,
                     HeraldTemplateLocation  *location,
                     GError                 **error)
{
  g_autoptr(HeraldTemplate) self = NULL;
  g_autoptr(GArray) tokens = g_array_new (FALSE, TRUE, sizeof (Token));
  g_autoptr(GArray) frames = g_array_new (FALSE, TRUE, sizeof (Frame));
  Node *root = node_new (NODE_SECTION, 0);
  Parser parser = { 0 };
  Builder builder = { 0 };
  Frame frame = { .node = root, .strip = "" };
  gboolean ok;

  g_return_val_if_fail (source != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_atomic_rc_box_new0 (HeraldTemplate);
  self->source = g_strdup (source);

  parser.source = self->source;
  parser.length = strlen (self->source);
  parser.tokens = tokens;
  parser.location = location;
  parser.error = error;

  g_array_append_val (frames, frame);
  builder.parser = &parser;
  builder.frames = frames;
  builder.suppress_indent = TRUE;

  if (!g_utf8_validate (source, -1, NULL))
    ok = parser_fail (&parser, 0, 0, _("the template is not valid UTF-8 text"));
  else
    ok = tokenize (&parser);
  if (ok)
    {
      mark_standalone (&parser);
      ok = build (&builder);
    }

  self->nodes = g_steal_pointer (&root->children);
  node_free (root);
  if (!ok)
    return NULL;
  return g_steal_pointer (&self);
}

static void
template_clear (gpointer data)
{
  HeraldTemplate *self = data;

  g_clear_pointer (&self->nodes, g_ptr_array_unref);
  g_free (self->source);
}

HeraldTemplate *
herald_template_ref (HeraldTemplate *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
herald_template_unref (HeraldTemplate *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, template_clear);
}

/* Rendering */

typedef struct
{
  const HeraldRenderOptions *options;
  GString                   *out;
  GPtrArray                 *contexts;
  GPtrArray                 *layouts;
  guint                      depth;
  GError                   **error;
  /* Set when exporting to Mailchimp's merge language instead of
   * rendering: receives what could not be converted. */
  GPtrArray                 *export_warnings;
} Render;

static gboolean render_nodes (Render     *render,
                              GPtrArray  *nodes,
                              const char *indent);

static JsonNode *
lookup (Render     *render,
        const Node *node)
{
  JsonNode *found = NULL;

  if (node->path == NULL)
    return render->contexts->len > 0
           ? g_ptr_array_index (render->contexts, render->contexts->len - 1)
           : NULL;

  for (guint i = render->contexts->len; i > 0 && found == NULL; i--)
    {
      JsonNode *context = g_ptr_array_index (render->contexts, i - 1);

      if (JSON_NODE_HOLDS_OBJECT (context))
        found = json_object_get_member (json_node_get_object (context), node->path[0]);
    }

  if (found == NULL)
    return render->options != NULL && render->options->resolver != NULL
           ? render->options->resolver ((const char * const *) node->path,
                                        render->options->resolver_data)
           : NULL;

  for (guint i = 1; node->path[i] != NULL; i++)
    {
      if (!JSON_NODE_HOLDS_OBJECT (found))
        return NULL;
      found = json_object_get_member (json_node_get_object (found), node->path[i]);
      if (found == NULL)
        return NULL;
    }
  return found;
}

static gboolean
is_falsey (JsonNode *value)
{
  if (value == NULL)
    return TRUE;

  switch (json_node_get_node_type (value))
    {
    case JSON_NODE_NULL:
      return TRUE;
    case JSON_NODE_ARRAY:
      return json_array_get_length (json_node_get_array (value)) == 0;
    case JSON_NODE_OBJECT:
      return FALSE;
    case JSON_NODE_VALUE:
    default:
      break;
    }

  switch (json_node_get_value_type (value))
    {
    case G_TYPE_BOOLEAN:
      return !json_node_get_boolean (value);
    case G_TYPE_STRING:
      return json_node_get_string (value)[0] == '\0';
    case G_TYPE_INT64:
      return json_node_get_int (value) == 0;
    case G_TYPE_DOUBLE:
      return json_node_get_double (value) == 0.0;
    default:
      return FALSE;
    }
}

/* Appends the value as text. Returns FALSE when it printed nothing. */
static gboolean
append_value (GString  *out,
              JsonNode *value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (value == NULL || !JSON_NODE_HOLDS_VALUE (value))
    return FALSE;

  switch (json_node_get_value_type (value))
    {
    case G_TYPE_STRING:
      {
        const char *text = json_node_get_string (value);

        g_string_append (out, text);
        return text[0] != '\0';
      }
    case G_TYPE_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (value));
      return TRUE;
    case G_TYPE_DOUBLE:
      {
        double number = json_node_get_double (value);

        /* The shortest form that reads back as the same number: 1.1, not
         * 1.1000000000000001. */
        for (int digits = 15; digits <= 17; digits++)
          {
            g_ascii_formatd (buffer, sizeof buffer, digits == 15 ? "%.15g" : digits == 16 ? "%.16g" : "%.17g", number);
            if (g_ascii_strtod (buffer, NULL) == number)
              break;
          }
        g_string_append (out, buffer);
      }
      return TRUE;
    case G_TYPE_BOOLEAN:
      g_string_append (out, json_node_get_boolean (value) ? "true" : "false");
      return TRUE;
    default:
      return FALSE;
    }
}

static void
append_escaped (GString    *out,
                const char *text,
                gsize       length)
{
  const char *run = text;

  for (const char *p = text; p < text + length; p++)
    {
      const char *entity;

      switch (*p)
        {
        case '&': entity = "&amp;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        case '"': entity = "&quot;"; break;
        case '\'': entity = "&#39;"; break;
        default: continue;
        }
      g_string_append_len (out, run, p - run);
      g_string_append (out, entity);
      run = p + 1;
    }
  g_string_append_len (out, run, text + length - run);
}

static void
apply_filter (const Filter *filter,
              GString      *text,
              gboolean     *fallback)
{
  switch (filter->kind)
    {
    case FILTER_DEFAULT:
      if (text->len == 0)
        {
          g_string_assign (text, filter->text);
          *fallback = TRUE;
        }
      break;

    case FILTER_UPCASE:
    case FILTER_DOWNCASE:
      {
        g_autofree char *changed = filter->kind == FILTER_UPCASE
                                   ? g_utf8_strup (text->str, text->len)
                                   : g_utf8_strdown (text->str, text->len);

        g_string_assign (text, changed);
      }
      break;

    case FILTER_CAPITALIZE:
      if (text->len > 0)
        {
          const char *rest = g_utf8_next_char (text->str);
          g_autofree char *first = g_utf8_strup (text->str, rest - text->str);
          g_autofree char *tail = g_utf8_strdown (rest, text->str + text->len - rest);

          g_string_printf (text, "%s%s", first, tail);
        }
      break;

    case FILTER_TRUNCATE:
      if ((gint64) g_utf8_strlen (text->str, text->len) > filter->number)
        {
          /* The ellipsis counts towards the length, as in Liquid. */
          const char *end = g_utf8_offset_to_pointer (text->str, filter->number - 1);

          g_string_truncate (text, end - text->str);
          g_string_append (text, "…");
        }
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
note_field_use (Render     *render,
                const Node *node,
                guint       flags)
{
  GHashTable *field_use = render->options != NULL ? render->options->field_use : NULL;

  if (field_use != NULL && node->path != NULL)
    {
      guint old = GPOINTER_TO_UINT (g_hash_table_lookup (field_use, node->name));

      g_hash_table_insert (field_use, g_strdup (node->name), GUINT_TO_POINTER (old | flags));
    }
}

static void
render_variable (Render     *render,
                 const Node *node)
{
  JsonNode *value = lookup (render, node);
  gboolean escape = node->escape && render->options != NULL && render->options->escape_html;
  gsize before = render->out->len;
  gboolean printed;

  if (node->filters == NULL || node->filters->len == 0)
    {
      if (!escape || value == NULL || !JSON_NODE_HOLDS_VALUE (value)
          || json_node_get_value_type (value) != G_TYPE_STRING)
        printed = append_value (render->out, value);
      else
        {
          const char *text = json_node_get_string (value);

          append_escaped (render->out, text, strlen (text));
          printed = text[0] != '\0';
        }
      if (!printed)
        {
          g_string_truncate (render->out, before);
          note_field_use (render, node, HERALD_FIELD_EMPTY);
        }
    }
  else
    {
      g_autoptr(GString) text = g_string_new (NULL);
      gboolean fallback = FALSE;

      if (!(value != NULL && JSON_NODE_HOLDS_VALUE (value)
            && json_node_get_value_type (value) == G_TYPE_BOOLEAN
            && !json_node_get_boolean (value)))
        append_value (text, value);
      if (text->len == 0)
        note_field_use (render, node, HERALD_FIELD_EMPTY);
      for (guint i = 0; i < node->filters->len; i++)
        apply_filter (&g_array_index (node->filters, Filter, i), text, &fallback);
      if (fallback)
        note_field_use (render, node, HERALD_FIELD_FALLBACK);
      if (escape)
        append_escaped (render->out, text->str, text->len);
      else
        g_string_append_len (render->out, text->str, text->len);
    }
}

static gboolean
render_children (Render     *render,
                 const Node *node,
                 JsonNode   *context,
                 const char *indent)
{
  gboolean ok;

  g_ptr_array_add (render->contexts, context);
  ok = render_nodes (render, node->children, indent);
  g_ptr_array_set_size (render->contexts, render->contexts->len - 1);
  return ok;
}

static gboolean
render_section (Render     *render,
                const Node *node,
                const char *indent)
{
  JsonNode *value = lookup (render, node);

  if (is_falsey (value))
    return TRUE;

  if (JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonArray *items = json_node_get_array (value);
      guint n = json_array_get_length (items);

      for (guint i = 0; i < n; i++)
        if (!render_children (render, node, json_array_get_element (items, i), indent))
          return FALSE;
      return TRUE;
    }

  return render_children (render, node, value, indent);
}

static HeraldTemplate *
find_included (Render     *render,
               const Node *node,
               gboolean   *ok)
{
  HeraldTemplateLibrary *library = render->options != NULL ? render->options->library : NULL;
  HeraldTemplate *included;

  *ok = TRUE;
  if (library == NULL || !herald_template_library_contains (library, node->name))
    return NULL;

  if (render->depth >= MAX_INCLUDE_DEPTH)
    {
      g_set_error (render->error, HERALD_TEMPLATE_ERROR, HERALD_TEMPLATE_ERROR_TOO_DEEP,
                   _("Snippets and layouts nest more than %u levels deep. Does “%s” include itself?"),
                   MAX_INCLUDE_DEPTH, node->name);
      *ok = FALSE;
      return NULL;
    }

  included = herald_template_library_get (library, node->name, render->error);
  if (included == NULL)
    *ok = FALSE;
  return included;
}

static gboolean
render_included (Render         *render,
                 const Node     *node,
                 HeraldTemplate *included,
                 const char     *indent)
{
  g_autofree char *inner = NULL;
  gboolean ok;

  if (node->standalone && node->indent != NULL && node->indent[0] != '\0')
    indent = inner = g_strconcat (indent, node->indent, NULL);
  if (node->standalone && included->nodes->len > 0)
    g_string_append (render->out, indent);

  render->depth++;
  ok = render_nodes (render, included->nodes, indent);
  render->depth--;
  return ok;
}

static const Node *
find_override (Render     *render,
               const Node *block)
{
  /* The outermost template that fills a block wins. */
  for (guint i = 0; i < render->layouts->len; i++)
    {
      const Node *layout = g_ptr_array_index (render->layouts, i);

      for (guint j = 0; j < layout->children->len; j++)
        {
          const Node *child = g_ptr_array_index (layout->children, j);

          if (child->kind == NODE_BLOCK && g_str_equal (child->name, block->name))
            return child;
        }
    }
  return block;
}

/* Mailchimp export */

static void
export_warn (Render     *render,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static void
export_warn (Render     *render,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  for (guint i = 0; i < render->export_warnings->len; i++)
    if (g_str_equal (render->export_warnings->pdata[i], message))
      return;
  g_ptr_array_add (render->export_warnings, g_steal_pointer (&message));
}

/* Mailchimp's merge tag for a name, or NULL when it has none. */
static char *
mailchimp_tag (Render     *render,
               const Node *node)
{
  static const char * const known[][2] = {
    { "first_name", "FNAME" },
    { "last_name", "LNAME" },
    { "email", "EMAIL" },
    { "phone", "PHONE" },
    { "unsubscribe_url", "UNSUB" },
    { "sender.name", "LIST:COMPANY" },
    { "sender.address", "LIST:ADDRESSLINE" },
    { "campaign.subject", "MC:SUBJECT" },
  };
  g_autofree char *tag = NULL;

  if (node->path == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_str_equal (node->name, known[i][0]))
      return g_strdup (known[i][1]);

  if (node->path[1] != NULL)
    return NULL;

  /* Any other field is an audience field whose tag the user chose;
   * Mailchimp's tags are upper case and at most ten characters long. */
  tag = g_ascii_strup (node->name, -1);
  if (strlen (tag) > 10)
    tag[10] = '\0';
  export_warn (render, _("“%s” became *|%s|*: your Mailchimp audience needs a merge field with that tag."),
               node->name, tag);
  return g_steal_pointer (&tag);
}

static void
export_variable (Render     *render,
                 const Node *node)
{
  g_autofree char *tag = mailchimp_tag (render, node);
  const char *fallback = NULL;

  for (guint i = 0; node->filters != NULL && i < node->filters->len; i++)
    {
      const Filter *filter = &g_array_index (node->filters, Filter, i);

      if (filter->kind == FILTER_DEFAULT)
        fallback = filter->text;
      else
        export_warn (render, _("Mailchimp has no filter like “%s”; it was left out."),
                     filter->kind == FILTER_UPCASE ? "upcase" : filter->kind == FILTER_DOWNCASE ? "downcase"
                     : filter->kind == FILTER_CAPITALIZE ? "capitalize" : "truncate");
    }

  if (tag == NULL)
    {
      export_warn (render, _("“%s” has no Mailchimp equivalent; it was left out."), node->name);
      if (fallback != NULL)
        g_string_append (render->out, fallback);
      return;
    }

  if (fallback != NULL)
    g_string_append_printf (render->out, "*|IF:%s|**|%s|**|ELSE:|*%s*|END:IF|*", tag, tag, fallback);
  else
    g_string_append_printf (render->out, "*|%s|*", tag);
}

static gboolean
export_section (Render     *render,
                const Node *node,
                const char *indent)
{
  g_autofree char *tag = NULL;

  if (node->path != NULL && (g_str_equal (node->path[0], "tags") || g_str_equal (node->path[0], "segment")))
    tag = NULL;
  else
    tag = mailchimp_tag (render, node);

  /* Conditions on a field convert; tags, segments and lists do not, and
   * their content then goes to everyone. */
  if (tag == NULL || g_str_has_prefix (tag, "LIST:") || g_str_has_prefix (tag, "MC:") || g_str_equal (tag, "UNSUB"))
    {
      export_warn (render, _("The section “%s” has no Mailchimp equivalent; its content is shown to everyone."),
                   node->name);
      return node->kind == NODE_SECTION ? render_nodes (render, node->children, indent) : TRUE;
    }

  g_string_append_printf (render->out, node->kind == NODE_SECTION ? "*|IF:%s|*" : "*|IFNOT:%s|*", tag);
  if (!render_nodes (render, node->children, indent))
    return FALSE;
  g_string_append (render->out, "*|END:IF|*");
  return TRUE;
}

static gboolean
render_nodes (Render     *render,
              GPtrArray  *nodes,
              const char *indent)
{
  for (guint i = 0; i < nodes->len; i++)
    {
      const Node *node = g_ptr_array_index (nodes, i);

      switch (node->kind)
        {
        case NODE_TEXT:
          g_string_append_len (render->out, node->text, node->length);
          break;

        case NODE_INDENT:
          if (indent[0] != '\0')
            g_string_append (render->out, indent);
          break;

        case NODE_VARIABLE:
          if (render->export_warnings != NULL)
            export_variable (render, node);
          else
            render_variable (render, node);
          break;

        case NODE_SECTION:
          if (render->export_warnings != NULL ? !export_section (render, node, indent)
                                              : !render_section (render, node, indent))
            return FALSE;
          break;

        case NODE_INVERTED:
          if (render->export_warnings != NULL)
            {
              if (!export_section (render, node, indent))
                return FALSE;
            }
          else if (is_falsey (lookup (render, node))
                   && !render_nodes (render, node->children, indent))
            return FALSE;
          break;

        case NODE_PARTIAL:
        case NODE_PARENT:
          {
            gboolean ok;
            HeraldTemplate *included = find_included (render, node, &ok);

            if (!ok)
              return FALSE;
            if (included == NULL)
              break;
            if (node->kind == NODE_PARENT)
              g_ptr_array_add (render->layouts, (gpointer) node);
            ok = render_included (render, node, included, indent);
            if (node->kind == NODE_PARENT)
              g_ptr_array_set_size (render->layouts, render->layouts->len - 1);
            if (!ok)
              return FALSE;
          }
          break;

        case NODE_BLOCK:
          {
            const Node *content = find_override (render, node);
            g_autofree char *inner = g_strconcat (indent, node->indent, NULL);

            if (node->standalone && content->children->len > 0)
              g_string_append (render->out, inner);
            if (!render_nodes (render, content->children, inner))
              return FALSE;
          }
          break;

        default:
          g_assert_not_reached ();
        }

      if (G_UNLIKELY (render->out->len > MAX_OUTPUT))
        {
          g_set_error (render->error, HERALD_TEMPLATE_ERROR, HERALD_TEMPLATE_ERROR_TOO_DEEP,
                       _("The result would be larger than %u MB; check the sections that repeat."),
                       MAX_OUTPUT / (1024 * 1024));
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
herald_template_render (HeraldTemplate            *self,
                        JsonNode                  *data,
                        const HeraldRenderOptions *options,
                        GString                   *out,
                        GError                   **error)
{
  g_autoptr(GPtrArray) contexts = g_ptr_array_new ();
  g_autoptr(GPtrArray) layouts = g_ptr_array_new ();
  Render render = {
    .options = options,
    .out = out,
    .contexts = contexts,
    .layouts = layouts,
    .error = error,
  };
  gsize before = out->len;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (data != NULL)
    g_ptr_array_add (contexts, data);

  if (!render_nodes (&render, self->nodes, ""))
    {
      g_string_truncate (out, before);
      return FALSE;
    }
  return TRUE;
}

char *
herald_template_render_string (HeraldTemplate            *self,
                               JsonNode                  *data,
                               const HeraldRenderOptions *options,
                               GError                   **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (!herald_template_render (self, data, options, out, error))
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * herald_template_export_mailchimp:
 * @warnings: (element-type utf8): receives what could not be converted
 *
 * Writes the template in Mailchimp's merge language: snippets and layouts
 * inlined, fields as *|FNAME|*, fallbacks and conditions on fields as
 * *|IF:…|*. What has no equivalent (filters other than default, tags,
 * segments, lists) is left out or shown to everyone, with a warning.
 *
 * Returns: the converted template, or %NULL with @error set
 */
char *
herald_template_export_mailchimp (HeraldTemplate         *self,
                                  HeraldTemplateLibrary  *library,
                                  GPtrArray              *warnings,
                                  GError                **error)
{
  g_autoptr(GPtrArray) contexts = g_ptr_array_new ();
  g_autoptr(GPtrArray) layouts = g_ptr_array_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  HeraldRenderOptions options = { .library = library };
  Render render = {
    .options = &options,
    .out = out,
    .contexts = contexts,
    .layouts = layouts,
    .error = error,
    .export_warnings = warnings,
  };

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (warnings != NULL, NULL);

  if (!render_nodes (&render, self->nodes, ""))
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* What a template refers to */

void
herald_template_name_free (HeraldTemplateName *name)
{
  g_free (name->name);
  g_free (name);
}

static void
collect_names (HeraldTemplate        *template,
               GPtrArray             *nodes,
               HeraldTemplateLibrary *library,
               GHashTable            *visited,
               gboolean               in_section,
               GPtrArray             *names)
{
  for (guint i = 0; i < nodes->len; i++)
    {
      const Node *node = g_ptr_array_index (nodes, i);

      switch (node->kind)
        {
        case NODE_VARIABLE:
        case NODE_SECTION:
        case NODE_INVERTED:
          if (node->path != NULL)
            {
              HeraldTemplateName *name = g_new0 (HeraldTemplateName, 1);
              HeraldTemplateLocation location;

              name->name = g_strdup (node->name);
              name->in_section = in_section;
              if (node->filters != NULL)
                for (guint j = 0; j < node->filters->len; j++)
                  if (g_array_index (node->filters, Filter, j).kind == FILTER_DEFAULT)
                    name->has_fallback = TRUE;
              location_at (template->source, node->offset, 0, &location);
              name->line = location.line;
              name->column = location.column;
              g_ptr_array_add (names, name);
            }
          if (node->children != NULL)
            collect_names (template, node->children, library, visited, TRUE, names);
          break;

        case NODE_BLOCK:
          collect_names (template, node->children, library, visited, in_section, names);
          break;

        case NODE_PARTIAL:
        case NODE_PARENT:
          if (node->children != NULL)
            collect_names (template, node->children, library, visited, in_section, names);
          if (library != NULL && herald_template_library_contains (library, node->name)
              && g_hash_table_add (visited, node->name))
            {
              HeraldTemplate *included = herald_template_library_get (library, node->name, NULL);

              if (included != NULL)
                collect_names (included, included->nodes, library, visited, in_section, names);
            }
          break;

        case NODE_TEXT:
        case NODE_INDENT:
        default:
          break;
        }
    }
}

/* Every name the template (and the snippets and layouts it includes)
 * interpolates or tests, in order of appearance, as HeraldTemplateName.
 * Locations of names inside snippets are within the snippet. */
GPtrArray *
herald_template_list_names (HeraldTemplate        *self,
                            HeraldTemplateLibrary *library)
{
  g_autoptr(GHashTable) visited = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *names = g_ptr_array_new_with_free_func ((GDestroyNotify) herald_template_name_free);

  g_return_val_if_fail (self != NULL, NULL);

  collect_names (self, self->nodes, library, visited, FALSE, names);
  return names;
}

static void
collect_partials (GPtrArray  *nodes,
                  GHashTable *seen,
                  GPtrArray  *partials)
{
  for (guint i = 0; i < nodes->len; i++)
    {
      const Node *node = g_ptr_array_index (nodes, i);

      if ((node->kind == NODE_PARTIAL || node->kind == NODE_PARENT)
          && g_hash_table_add (seen, node->name))
        g_ptr_array_add (partials, g_strdup (node->name));
      if (node->children != NULL)
        collect_partials (node->children, seen, partials);
    }
}

/* The names of the snippets and layouts the template itself includes. */
GPtrArray *
herald_template_list_partials (HeraldTemplate *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *partials = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (self != NULL, NULL);

  collect_partials (self->nodes, seen, partials);
  return partials;
}

/* Library */

HeraldTemplateLibrary *
herald_template_library_new (void)
{
  HeraldTemplateLibrary *self = g_new0 (HeraldTemplateLibrary, 1);

  self->sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->compiled = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) herald_template_unref);
  return self;
}

void
herald_template_library_free (HeraldTemplateLibrary *self)
{
  g_return_if_fail (self != NULL);

  g_hash_table_unref (self->sources);
  g_hash_table_unref (self->compiled);
  g_free (self);
}

void
herald_template_library_add (HeraldTemplateLibrary *self,
                             const char            *name,
                             const char            *source)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (source != NULL);

  g_hash_table_remove (self->compiled, name);
  g_hash_table_insert (self->sources, g_strdup (name), g_strdup (source));
}

gboolean
herald_template_library_contains (HeraldTemplateLibrary *self,
                                  const char            *name)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return g_hash_table_contains (self->sources, name);
}

/* Returns the compiled snippet or layout, owned by the library. */
HeraldTemplate *
herald_template_library_get (HeraldTemplateLibrary *self,
                             const char            *name,
                             GError               **error)
{
  HeraldTemplate *compiled;
  const char *source;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  compiled = g_hash_table_lookup (self->compiled, name);
  if (compiled != NULL)
    return compiled;

  source = g_hash_table_lookup (self->sources, name);
  if (source == NULL)
    return NULL;

  compiled = herald_template_new (source, NULL, &local_error);
  if (compiled == NULL)
    {
      g_set_error (error, HERALD_TEMPLATE_ERROR, HERALD_TEMPLATE_ERROR_PARTIAL,
                   /* Translators: the first %s is a snippet's name, the second the problem. */
                   _("Snippet “%s”, %s"), name, local_error->message);
      return NULL;
    }
  g_hash_table_insert (self->compiled, g_strdup (name), compiled);
  return compiled;
}
