/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-timeline-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "herald-format.h"
#include "herald-timeline-chart.h"
#include "herald-timeline.h"

/* Revenue and cost over time: two bars a period, revenue in the accent
 * colour and cost in the text colour, faded, both on one scale; the ROI
 * above and the period's name below. Drawn in the theme's colours, so it
 * reads in dark mode too, and told to screen readers period by period. */

#define CHART_HEIGHT 250.0
#define LABEL_SPACE 22.0
#define LEGEND_SPACE 30.0
#define BAR_GAP 2.0
#define MIN_SLOT 48.0

struct _HeraldTimelineChart
{
  GtkWidget  parent_instance;

  GPtrArray *periods;  /* HeraldPeriodFigures */
};

G_DEFINE_FINAL_TYPE (HeraldTimelineChart, herald_timeline_chart, GTK_TYPE_WIDGET)

static void
draw_text (cairo_t      *cr,
           PangoContext *context,
           const char   *text,
           double        x,
           double        y,
           double        width)
{
  g_autoptr(PangoLayout) layout = pango_layout_new (context);
  int text_width, text_height;

  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_get_pixel_size (layout, &text_width, &text_height);
  cairo_move_to (cr, x, y - text_height / 2.0);
  pango_cairo_show_layout (cr, layout);
}

static void
herald_timeline_chart_snapshot (GtkWidget   *widget,
                                GtkSnapshot *snapshot)
{
  HeraldTimelineChart *self = HERALD_TIMELINE_CHART (widget);
  int width = gtk_widget_get_width (widget);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  PangoContext *context = gtk_widget_get_pango_context (widget);
  double top = LABEL_SPACE, bottom = CHART_HEIGHT - LABEL_SPACE - LEGEND_SPACE, highest = 0, slot, bar;
  GdkRGBA foreground, accent;
  cairo_t *cr;

  if (self->periods == NULL || self->periods->len == 0 || width <= 0)
    return;
  gtk_style_context_get_color (style, &foreground);
  if (!gtk_style_context_lookup_color (style, "accent_bg_color", &accent))
    gdk_rgba_parse (&accent, "#3584e4");

  for (guint i = 0; i < self->periods->len; i++)
    {
      HeraldPeriodFigures *figures = self->periods->pdata[i];

      highest = MAX (highest, MAX (figures->revenue, figures->cost));
    }
  slot = (double) width / self->periods->len;
  bar = MIN (40.0, (slot - 12.0) / 2.0);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, CHART_HEIGHT));

  /* The baseline. */
  cairo_set_source_rgba (cr, foreground.red, foreground.green, foreground.blue, 0.3);
  cairo_rectangle (cr, 0, bottom, width, 1);
  cairo_fill (cr);

  for (guint i = 0; i < self->periods->len; i++)
    {
      HeraldPeriodFigures *figures = self->periods->pdata[i];
      double centre = slot * i + slot / 2.0;
      double revenue = highest > 0 ? (bottom - top - LABEL_SPACE) * figures->revenue / highest : 0;
      double cost = highest > 0 ? (bottom - top - LABEL_SPACE) * figures->cost / highest : 0;
      g_autofree char *roi = herald_format_percent (figures->roi);

      cairo_set_source_rgba (cr, accent.red, accent.green, accent.blue, 0.9);
      cairo_rectangle (cr, centre - bar - BAR_GAP / 2.0, bottom - revenue, bar, revenue);
      cairo_fill (cr);
      cairo_set_source_rgba (cr, foreground.red, foreground.green, foreground.blue, 0.35);
      cairo_rectangle (cr, centre + BAR_GAP / 2.0, bottom - cost, bar, cost);
      cairo_fill (cr);

      cairo_set_source_rgba (cr, foreground.red, foreground.green, foreground.blue, foreground.alpha);
      draw_text (cr, context, roi, centre - slot / 2.0, bottom - MAX (revenue, cost) - LABEL_SPACE / 2.0, slot);
      cairo_set_source_rgba (cr, foreground.red, foreground.green, foreground.blue, 0.7);
      draw_text (cr, context, figures->label, centre - slot / 2.0, bottom + LABEL_SPACE / 2.0 + 1, slot);
    }

  /* The legend, under the periods: which bar is which. */
  {
    const char *names[] = { _("Revenue"), _("Cost") };
    const GdkRGBA colours[] = { { accent.red, accent.green, accent.blue, 0.9 },
                                { foreground.red, foreground.green, foreground.blue, 0.35 } };
    double y = CHART_HEIGHT - LEGEND_SPACE / 2.0, x = 0;

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autoptr(PangoLayout) layout = pango_layout_new (context);
        int text_width, text_height;

        pango_layout_set_text (layout, names[i], -1);
        pango_layout_get_pixel_size (layout, &text_width, &text_height);
        gdk_cairo_set_source_rgba (cr, &colours[i]);
        cairo_rectangle (cr, x, y - 6, 12, 12);
        cairo_fill (cr);
        cairo_set_source_rgba (cr, foreground.red, foreground.green, foreground.blue, 0.7);
        cairo_move_to (cr, x + 18, y - text_height / 2.0);
        pango_cairo_show_layout (cr, layout);
        x += 18 + text_width + 24;
      }
  }
  cairo_destroy (cr);
}

static void
herald_timeline_chart_measure (GtkWidget      *widget,
                               GtkOrientation  orientation,
                               int             for_size,
                               int            *minimum,
                               int            *natural,
                               int            *minimum_baseline,
                               int            *natural_baseline)
{
  HeraldTimelineChart *self = HERALD_TIMELINE_CHART (widget);
  guint n = self->periods != NULL ? self->periods->len : 0;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* Slots narrower than a label would crowd; beyond a dozen periods
       * each gets less room and its name is shortened. */
      *minimum = (int) (MIN (n, 12) * MIN_SLOT);
      *natural = (int) (n * MIN_SLOT * 2);
    }
  else
    *minimum = *natural = n > 0 ? (int) CHART_HEIGHT : 0;
}

static void
herald_timeline_chart_finalize (GObject *object)
{
  HeraldTimelineChart *self = HERALD_TIMELINE_CHART (object);

  g_clear_pointer (&self->periods, g_ptr_array_unref);
  G_OBJECT_CLASS (herald_timeline_chart_parent_class)->finalize (object);
}

static void
herald_timeline_chart_class_init (HeraldTimelineChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = herald_timeline_chart_finalize;
  widget_class->snapshot = herald_timeline_chart_snapshot;
  widget_class->measure = herald_timeline_chart_measure;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_widget_class_set_css_name (widget_class, "timeline-chart");
}

static void
herald_timeline_chart_init (HeraldTimelineChart *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Revenue and cost over time"), -1);
}

GtkWidget *
herald_timeline_chart_new (void)
{
  return g_object_new (HERALD_TYPE_TIMELINE_CHART, NULL);
}

/* Shows the periods, the oldest first; a screen reader hears each as
 * "Jun 2026: 3 campaigns, revenue €1,470.00, cost €341.80, ROI 330%". */
void
herald_timeline_chart_set_periods (HeraldTimelineChart *self,
                                   GPtrArray           *periods)
{
  g_autoptr(GString) description = g_string_new (NULL);

  g_return_if_fail (HERALD_IS_TIMELINE_CHART (self));

  g_clear_pointer (&self->periods, g_ptr_array_unref);
  self->periods = periods != NULL ? g_ptr_array_ref (periods) : NULL;
  for (guint i = 0; periods != NULL && i < periods->len; i++)
    {
      HeraldPeriodFigures *figures = periods->pdata[i];
      g_autofree char *line = herald_period_describe (figures);

      /* Translators: a period read aloud, “Jun 2026: 3 campaigns, …”. */
      g_string_append_printf (description, _("%s: %s. "), figures->label, line);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description->str, -1);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}
