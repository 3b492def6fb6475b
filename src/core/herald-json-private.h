/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Where JSON text went wrong: line and column count from 1 (0 when
 * unknown); detail is json-glib's own words, NULL when the text is nested
 * deeper than allowed. */
typedef struct
{
  guint  line;
  guint  column;
  char  *detail;
} HeraldJsonProblem;

JsonNode *_herald_json_parse      (const char        *text,
                                   guint              max_depth,
                                   HeraldJsonProblem *problem);
void      _herald_json_add_figure (JsonBuilder       *builder,
                                   const char        *key,
                                   double             value);

G_END_DECLS
