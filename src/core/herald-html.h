/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A link or image found in an HTML body, with the line it is on. */
typedef struct
{
  gboolean  is_image;
  char     *url;
  char     *alt;
  guint     line;
} HeraldHtmlReference;

void       herald_html_reference_free (HeraldHtmlReference *reference);

char      *herald_html_to_text        (const char          *html);
GPtrArray *herald_html_references     (const char          *html);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldHtmlReference, herald_html_reference_free)

G_END_DECLS
