/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-json"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "herald-json-private.h"

/* json-glib follows nesting by recursion: text nested deeper than the
 * caller allows is refused before it is parsed. */
static gboolean
check_depth (const char *text,
             guint       max_depth,
             guint      *out_line,
             guint      *out_column)
{
  gboolean quoted = FALSE;
  guint depth = 0, line = 1, column = 0;

  for (const char *p = text; *p; p++)
    {
      column++;
      if (*p == '\n')
        {
          line++;
          column = 0;
        }
      else if (quoted && *p == '\\' && p[1] != '\0')
        {
          p++;
          column++;
        }
      else if (*p == '"')
        quoted = !quoted;
      else if (!quoted && (*p == '{' || *p == '['))
        {
          if (++depth > max_depth)
            {
              *out_line = line;
              *out_column = column;
              return FALSE;
            }
        }
      else if (!quoted && (*p == '}' || *p == ']') && depth > 0)
        depth--;
    }

  return TRUE;
}

/* Parses JSON text for a file format of Herald's; on failure returns NULL
 * and says where in `problem`, whose detail the caller frees. */
JsonNode *
_herald_json_parse (const char        *text,
                    guint              max_depth,
                    HeraldJsonProblem *problem)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  *problem = (HeraldJsonProblem) { 0 };

  if (!check_depth (text, max_depth, &problem->line, &problem->column))
    return NULL;

  if (!json_parser_load_from_data (parser, text, -1, &error))
    {
      /* json-glib says "<data>:LINE:COLUMN: message". */
      if (sscanf (error->message, "<data>:%u:%u:", &problem->line, &problem->column) == 2)
        {
          const char *rest = strstr (error->message + strlen ("<data>:"), ": ");

          problem->detail = g_strdup (rest != NULL ? rest + 2 : error->message);
        }
      else
        problem->detail = g_strdup (error->message);
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL)
    {
      problem->detail = g_strdup (_("there is nothing in it"));
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

/* Adds a figure to an object; one that cannot be known (NAN or infinite)
 * is null, never NaN or infinity, which JSON does not have. */
void
_herald_json_add_figure (JsonBuilder *builder,
                         const char  *key,
                         double       value)
{
  json_builder_set_member_name (builder, key);
  if (isfinite (value))
    json_builder_add_double_value (builder, value);
  else
    json_builder_add_null_value (builder);
}
