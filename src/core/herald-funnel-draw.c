/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-funnel-draw"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "herald-format.h"
#include "herald-funnel-draw.h"

/* How a funnel looks: one bar a stage, each as long as its share of the
 * first, with the count and the share of the stage before. The Results
 * page and the printed report draw the same chart from here. */

#define BAR_HEIGHT 26.0
#define GAP 8.0
#define LABEL_WIDTH 110.0

/**
 * herald_funnel_get_stages:
 * @labels: (out caller-allocates): %HERALD_FUNNEL_N_STAGES names
 * @values: (out caller-allocates): %HERALD_FUNNEL_N_STAGES counts
 *
 * Gives the funnel of a campaign, from sent to converted. Conversions a
 * report did not give count as none, so the funnel still ends.
 */
void
herald_funnel_get_stages (const HeraldKpis  *kpis,
                          const char       **labels,
                          double            *values)
{
  g_return_if_fail (kpis != NULL);

  labels[0] = _("Sent");
  labels[1] = _("Delivered");
  labels[2] = _("Opened");
  labels[3] = _("Clicked");
  labels[4] = _("Converted");
  values[0] = kpis->sent;
  values[1] = kpis->delivered;
  values[2] = kpis->unique_opens;
  values[3] = kpis->unique_clicks;
  values[4] = isnan (kpis->conversions) ? 0 : kpis->conversions;
}

double
herald_funnel_get_height (guint n_stages)
{
  return n_stages == 0 ? 0 : n_stages * (BAR_HEIGHT + GAP) - GAP;
}

double
herald_funnel_get_minimum_width (void)
{
  return LABEL_WIDTH + 120;
}

static void
draw_text (cairo_t                    *cr,
           PangoContext               *context,
           const PangoFontDescription *font,
           const char                 *text,
           double                      x,
           double                      y,
           double                      width,
           gboolean                    bold)
{
  PangoLayout *layout = context != NULL ? pango_layout_new (context) : pango_cairo_create_layout (cr);
  PangoAttrList *attributes = pango_attr_list_new ();
  int height;

  if (font != NULL)
    pango_layout_set_font_description (layout, font);
  if (bold)
    pango_attr_list_insert (attributes, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  /* Figures of the same width, so the counts of the stages line up. */
  pango_attr_list_insert (attributes, pango_attr_font_features_new ("tnum=1"));
  pango_layout_set_attributes (layout, attributes);
  pango_attr_list_unref (attributes);
  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, (int) (MAX (width, 1) * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (layout, NULL, &height);
  /* Centred on the bar, whatever the size of the font. */
  cairo_move_to (cr, x, y + (BAR_HEIGHT - height) / 2);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
}

static void
set_colour (cairo_t                  *cr,
            const HeraldFunnelColour *colour,
            double                    alpha)
{
  cairo_set_source_rgba (cr, colour->red, colour->green, colour->blue, alpha);
}

/**
 * herald_funnel_draw:
 * @context: (nullable): the context of the text, such as a widget's; by
 *   default one for @cr
 * @font: (nullable): the font of the text; by default @context's
 * @width: the width of the chart; its height is herald_funnel_get_height()
 * @foreground: the colour of the text, and faintly of the bars' tracks
 * @bar: the colour of the bars, with its opacity
 *
 * Draws a funnel at the origin of @cr, the first stage the widest.
 */
void
herald_funnel_draw (cairo_t                    *cr,
                    PangoContext               *context,
                    const PangoFontDescription *font,
                    const char * const         *labels,
                    const double               *values,
                    guint                       n_stages,
                    double                      width,
                    const HeraldFunnelColour   *foreground,
                    const HeraldFunnelColour   *bar)
{
  double first, bar_space;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (foreground != NULL && bar != NULL);

  if (n_stages == 0)
    return;

  first = values[0];
  bar_space = MAX (width - LABEL_WIDTH - 12, 40);
  for (guint i = 0; i < n_stages; i++)
    {
      double y = i * (BAR_HEIGHT + GAP);
      double value = values[i];
      double share = first > 0 && isfinite (value) ? CLAMP (value / first, 0, 1) : 0;
      g_autofree char *count = herald_format_count (value);
      g_autofree char *percent = i > 0 ? herald_format_percent (values[i - 1] > 0 ? value / values[i - 1] : NAN)
                                       : NULL;
      g_autofree char *figure = percent != NULL ? g_strdup_printf ("%s · %s", count, percent) : g_strdup (count);

      set_colour (cr, foreground, foreground->alpha);
      draw_text (cr, context, font, labels[i], 0, y, LABEL_WIDTH - 6, FALSE);

      /* The track, faint, and the bar over it. */
      set_colour (cr, foreground, 0.08);
      cairo_rectangle (cr, LABEL_WIDTH, y, bar_space, BAR_HEIGHT);
      cairo_fill (cr);
      set_colour (cr, bar, bar->alpha);
      cairo_rectangle (cr, LABEL_WIDTH, y, MAX (bar_space * share, 2), BAR_HEIGHT);
      cairo_fill (cr);

      set_colour (cr, foreground, foreground->alpha);
      draw_text (cr, context, font, figure, LABEL_WIDTH + 8, y, bar_space - 16, TRUE);
    }
}
