/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-funnel"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "herald-format.h"
#include "herald-funnel.h"

/* A funnel chart: one bar a stage (sent, delivered, opened, clicked,
 * converted), each as long as its share of the first, with the count and
 * the share of the stage before. Drawn in the theme's colours, so it reads
 * in dark mode too, and described in words for screen readers. */

#define BAR_HEIGHT 26.0
#define GAP 8.0
#define LABEL_WIDTH 110.0

struct _HeraldFunnel
{
  GtkWidget  parent_instance;

  GStrv      labels;
  double    *values;
  guint      n_stages;
};

G_DEFINE_FINAL_TYPE (HeraldFunnel, herald_funnel, GTK_TYPE_WIDGET)

static void
draw_text (GtkWidget  *widget,
           cairo_t    *cr,
           const char *text,
           double      x,
           double      y,
           double      width,
           gboolean    bold)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);

  if (bold)
    {
      PangoAttrList *attributes = pango_attr_list_new ();

      pango_attr_list_insert (attributes, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_layout_set_attributes (layout, attributes);
      pango_attr_list_unref (attributes);
    }
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
}

static void
herald_funnel_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  HeraldFunnel *self = HERALD_FUNNEL (widget);
  int width = gtk_widget_get_width (widget);
  GdkRGBA foreground, accent;
  double first, bar_space;
  cairo_t *cr;

  if (self->n_stages == 0 || width <= 0)
    return;
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &foreground);
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), "accent_bg_color", &accent))
    gdk_rgba_parse (&accent, "#3584e4");

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, gtk_widget_get_height (widget)));
  first = self->values[0];
  bar_space = MAX (width - LABEL_WIDTH - 12, 40);
  for (guint i = 0; i < self->n_stages; i++)
    {
      double y = i * (BAR_HEIGHT + GAP);
      double value = self->values[i];
      double share = first > 0 && isfinite (value) ? CLAMP (value / first, 0, 1) : 0;
      g_autofree char *count = herald_format_count (value);
      g_autofree char *percent = i > 0 ? herald_format_percent (self->values[i - 1] > 0 ? value / self->values[i - 1]
                                                                                         : NAN)
                                       : NULL;
      g_autofree char *figure = percent != NULL ? g_strdup_printf ("%s · %s", count, percent) : g_strdup (count);

      cairo_set_source_rgba (cr, foreground.red, foreground.green, foreground.blue, foreground.alpha);
      draw_text (widget, cr, self->labels[i], 0, y + 4, LABEL_WIDTH - 6, FALSE);

      /* The track, faint, and the bar in the accent colour over it. */
      cairo_set_source_rgba (cr, foreground.red, foreground.green, foreground.blue, 0.08);
      cairo_rectangle (cr, LABEL_WIDTH, y, bar_space, BAR_HEIGHT);
      cairo_fill (cr);
      cairo_set_source_rgba (cr, accent.red, accent.green, accent.blue, 0.85);
      cairo_rectangle (cr, LABEL_WIDTH, y, MAX (bar_space * share, 2), BAR_HEIGHT);
      cairo_fill (cr);

      cairo_set_source_rgba (cr, foreground.red, foreground.green, foreground.blue, foreground.alpha);
      draw_text (widget, cr, figure, LABEL_WIDTH + 8, y + 4, bar_space - 16, TRUE);
    }
  cairo_destroy (cr);
}

static void
herald_funnel_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  HeraldFunnel *self = HERALD_FUNNEL (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) LABEL_WIDTH + 120;
      *natural = (int) LABEL_WIDTH + 360;
    }
  else
    *minimum = *natural = self->n_stages == 0 ? 0 : (int) (self->n_stages * (BAR_HEIGHT + GAP) - GAP);
}

static void
herald_funnel_finalize (GObject *object)
{
  HeraldFunnel *self = (HeraldFunnel *) object;

  g_strfreev (self->labels);
  g_free (self->values);

  G_OBJECT_CLASS (herald_funnel_parent_class)->finalize (object);
}

static void
herald_funnel_class_init (HeraldFunnelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = herald_funnel_finalize;
  widget_class->snapshot = herald_funnel_snapshot;
  widget_class->measure = herald_funnel_measure;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_widget_class_set_css_name (widget_class, "funnel");
}

static void
herald_funnel_init (HeraldFunnel *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Funnel"), -1);
}

GtkWidget *
herald_funnel_new (void)
{
  return g_object_new (HERALD_TYPE_FUNNEL, NULL);
}

/* Shows the stages, the first the widest; a screen reader hears them as
 * "Sent 1,000, Delivered 980, …". */
void
herald_funnel_set_stages (HeraldFunnel       *self,
                          const char * const *labels,
                          const double       *values,
                          guint               n_stages)
{
  g_autoptr(GString) description = g_string_new (NULL);

  g_return_if_fail (HERALD_IS_FUNNEL (self));

  g_strfreev (self->labels);
  g_free (self->values);
  self->labels = g_strdupv ((char **) labels);
  self->values = g_memdup2 (values, sizeof (double) * n_stages);
  self->n_stages = n_stages;

  for (guint i = 0; i < n_stages; i++)
    {
      g_autofree char *count = herald_format_count (values[i]);

      if (i > 0)
        /* Translators: between the stages of a funnel read aloud. */
        g_string_append (description, _(", "));
      /* Translators: a stage of a funnel and its count, “Opened 450”. */
      g_string_append_printf (description, C_("funnel stage", "%s %s"), labels[i], count);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description->str, -1);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}
