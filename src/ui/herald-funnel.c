/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-funnel"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "herald-format.h"
#include "herald-funnel-draw.h"
#include "herald-funnel.h"

/* A funnel chart: one bar a stage (sent, delivered, opened, clicked,
 * converted), each as long as its share of the first, with the count and
 * the share of the stage before. Drawn by the core, as in the printed
 * report, in the theme's colours so it reads in dark mode too, and
 * described in words for screen readers. */

struct _HeraldFunnel
{
  GtkWidget  parent_instance;

  GStrv      labels;
  double    *values;
  guint      n_stages;
};

G_DEFINE_FINAL_TYPE (HeraldFunnel, herald_funnel, GTK_TYPE_WIDGET)

static void
herald_funnel_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  HeraldFunnel *self = HERALD_FUNNEL (widget);
  int width = gtk_widget_get_width (widget);
  GdkRGBA foreground, accent;
  HeraldFunnelColour text, bar;
  cairo_t *cr;

  if (self->n_stages == 0 || width <= 0)
    return;
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &foreground);
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), "accent_bg_color", &accent))
    gdk_rgba_parse (&accent, "#3584e4");
  text = (HeraldFunnelColour) { foreground.red, foreground.green, foreground.blue, foreground.alpha };
  bar = (HeraldFunnelColour) { accent.red, accent.green, accent.blue, 0.85 };

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, gtk_widget_get_height (widget)));
  herald_funnel_draw (cr, gtk_widget_get_pango_context (widget), NULL, (const char * const *) self->labels,
                      self->values, self->n_stages, width, &text, &bar);
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
      *minimum = (int) herald_funnel_get_minimum_width ();
      *natural = *minimum + 240;
    }
  else
    *minimum = *natural = (int) ceil (herald_funnel_get_height (self->n_stages));
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
  self->labels = g_new0 (char *, n_stages + 1);
  for (guint i = 0; i < n_stages; i++)
    self->labels[i] = g_strdup (labels[i]);
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
