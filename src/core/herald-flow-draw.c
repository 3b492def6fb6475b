/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-flow-draw"

#include "config.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "herald-flow-draw.h"

/* How a flow looks: node cards with their type, name and key setting,
 * ports, and curved edges with their labels. The canvas and the pictures
 * of `flows draw` share this geometry. Every type has its own colour and
 * its name written on the card, so types are told apart without colour. */

#define MARGIN 40.0
#define RADIUS 8.0
#define STRIPE 6.0
#define PORT_RADIUS 5.0

typedef struct
{
  double r, g, b;
} Colour;

static const Colour type_colours[HERALD_N_FLOW_NODE_TYPES] = {
  [HERALD_FLOW_NODE_TRIGGER] = { 0.18, 0.76, 0.49 },
  [HERALD_FLOW_NODE_EMAIL] = { 0.21, 0.52, 0.89 },
  [HERALD_FLOW_NODE_WAIT] = { 0.96, 0.76, 0.07 },
  [HERALD_FLOW_NODE_CONDITION] = { 1.00, 0.47, 0.00 },
  [HERALD_FLOW_NODE_SPLIT] = { 0.57, 0.25, 0.67 },
  [HERALD_FLOW_NODE_ACTION] = { 0.53, 0.37, 0.24 },
  [HERALD_FLOW_NODE_TASK] = { 0.88, 0.11, 0.14 },
  [HERALD_FLOW_NODE_GOAL] = { 0.13, 0.56, 0.64 },
  [HERALD_FLOW_NODE_EXIT] = { 0.47, 0.46, 0.48 },
};

const char *
herald_flow_node_type_label (HeraldFlowNodeType type)
{
  switch (type)
    {
    case HERALD_FLOW_NODE_TRIGGER: return _("Trigger");
    case HERALD_FLOW_NODE_EMAIL: return _("Email");
    case HERALD_FLOW_NODE_WAIT: return _("Wait");
    case HERALD_FLOW_NODE_CONDITION: return _("Condition");
    case HERALD_FLOW_NODE_SPLIT: return _("Split");
    case HERALD_FLOW_NODE_ACTION: return _("Action");
    case HERALD_FLOW_NODE_TASK: return _("Task");
    case HERALD_FLOW_NODE_GOAL: return _("Goal");
    case HERALD_FLOW_NODE_EXIT: return _("Exit");
    case HERALD_N_FLOW_NODE_TYPES:
    default:
      g_return_val_if_reached (NULL);
    }
}

static const char *
config_text (const HeraldFlowNode *node,
             const char           *key)
{
  return json_object_get_string_member_with_default (node->config, key, "");
}

/* The node's key setting in a few words: what it sends, how long it
 * waits, what it asks. */
char *
herald_flow_node_summary (const HeraldFlowNode *node)
{
  const char *kind = config_text (node, "kind");
  gint64 days;

  switch (node->type)
    {
    case HERALD_FLOW_NODE_TRIGGER:
      if (g_str_equal (kind, "segment-entry"))
        return g_strdup_printf (_("Enters the segment “%s”"), config_text (node, "segment"));
      if (g_str_equal (kind, "tag-added"))
        return g_strdup_printf (_("Gets the tag “%s”"), config_text (node, "tag"));
      if (g_str_equal (kind, "anniversary"))
        return g_strdup_printf (_("Anniversary of “%s”"), config_text (node, "field"));
      return g_strdup (_("Added by hand"));

    case HERALD_FLOW_NODE_EMAIL:
      return config_text (node, "template")[0] != '\0'
             ? g_strdup (config_text (node, "template"))
             : g_strdup (_("No template yet"));

    case HERALD_FLOW_NODE_WAIT:
      days = json_object_get_int_member_with_default (node->config, "days", 0);
      return g_strdup_printf (ngettext ("%u day", "%u days", days), (guint) days);

    case HERALD_FLOW_NODE_CONDITION:
      days = json_object_get_int_member_with_default (node->config, "within_days", 0);
      if (g_str_equal (kind, "opened"))
        return g_strdup_printf (ngettext ("Opened “%s” within %u day?", "Opened “%s” within %u days?", days),
                                config_text (node, "email"), (guint) days);
      if (g_str_equal (kind, "clicked"))
        return g_strdup_printf (ngettext ("Clicked in “%s” within %u day?", "Clicked in “%s” within %u days?", days),
                                config_text (node, "email"), (guint) days);
      if (g_str_equal (kind, "tag"))
        return g_strdup_printf (_("Has the tag “%s”?"), config_text (node, "tag"));
      if (g_str_equal (kind, "segment"))
        return g_strdup_printf (_("In the segment “%s”?"), config_text (node, "segment"));
      return g_strdup (_("Matches a field rule?"));

    case HERALD_FLOW_NODE_SPLIT:
      {
        JsonArray *weights = json_object_get_array_member (node->config, "weights");
        GString *text = g_string_new (NULL);

        for (guint i = 0; i < json_array_get_length (weights); i++)
          g_string_append_printf (text, "%s%g %%", i > 0 ? " / " : "", json_array_get_double_element (weights, i));
        return g_string_free (text, FALSE);
      }

    case HERALD_FLOW_NODE_ACTION:
      if (g_str_equal (kind, "add-tag"))
        return g_strdup_printf (_("Add the tag “%s”"), config_text (node, "tag"));
      if (g_str_equal (kind, "remove-tag"))
        return g_strdup_printf (_("Remove the tag “%s”"), config_text (node, "tag"));
      if (g_str_equal (kind, "set-field"))
        return g_strdup_printf (_("Set the field “%s”"), config_text (node, "field"));
      return g_strdup (_("Unsubscribe"));

    case HERALD_FLOW_NODE_TASK:
      if (config_text (node, "note")[0] != '\0')
        return g_strdup (config_text (node, "note"));
      if (g_str_equal (config_text (node, "channel"), "call"))
        return g_strdup (_("Call"));
      if (g_str_equal (config_text (node, "channel"), "social"))
        return g_strdup (_("Social touch"));
      return g_strdup (_("Custom task"));

    case HERALD_FLOW_NODE_GOAL:
      /* Translators: the value of reaching a goal, such as “Worth 49”. */
      return g_strdup_printf (_("Worth %g"), json_object_get_double_member_with_default (node->config, "value", 0));

    case HERALD_FLOW_NODE_EXIT:
    case HERALD_N_FLOW_NODE_TYPES:
    default:
      return g_strdup (_("End of the flow"));
    }
}

void
herald_flow_node_port_position (const HeraldFlowNode *node,
                                const char           *port,
                                double               *x,
                                double               *y)
{
  g_auto(GStrv) ports = herald_flow_node_ports (node);
  guint n = g_strv_length (ports);

  *x = node->x + HERALD_FLOW_NODE_WIDTH;
  *y = node->y + HERALD_FLOW_NODE_HEIGHT / 2;
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (ports[i], port) == 0)
      *y = node->y + HERALD_FLOW_NODE_HEIGHT * (i + 1) / (n + 1);
}

/* The area the flow's cards cover, with a margin around them. */
void
herald_flow_get_extents (HeraldFlow *flow,
                         double     *x,
                         double     *y,
                         double     *width,
                         double     *height)
{
  GPtrArray *nodes = herald_flow_get_nodes (flow);
  double x1 = 0, y1 = 0, x2 = 0, y2 = 0;

  for (guint i = 0; i < nodes->len; i++)
    {
      HeraldFlowNode *node = nodes->pdata[i];

      if (i == 0 || node->x < x1)
        x1 = node->x;
      if (i == 0 || node->y < y1)
        y1 = node->y;
      if (i == 0 || node->x + HERALD_FLOW_NODE_WIDTH > x2)
        x2 = node->x + HERALD_FLOW_NODE_WIDTH;
      if (i == 0 || node->y + HERALD_FLOW_NODE_HEIGHT > y2)
        y2 = node->y + HERALD_FLOW_NODE_HEIGHT;
    }

  *x = x1 - MARGIN;
  *y = y1 - MARGIN;
  *width = x2 - x1 + 2 * MARGIN;
  *height = y2 - y1 + 2 * MARGIN;
}

static void
rounded_rectangle (cairo_t *cr,
                   double   x,
                   double   y,
                   double   width,
                   double   height,
                   double   radius)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + width - radius, y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, x + width - radius, y + height - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, x + radius, y + height - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
show_text (cairo_t    *cr,
           const char *text,
           const char *font,
           double      x,
           double      y,
           double      width)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *description = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, description);
  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (description);
  g_object_unref (layout);
}

static double
text_width (cairo_t    *cr,
            const char *text,
            const char *font)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *description = pango_font_description_from_string (font);
  int width;

  pango_layout_set_font_description (layout, description);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, NULL);
  pango_font_description_free (description);
  g_object_unref (layout);
  return width;
}

static char *
edge_label (HeraldFlow           *flow,
            const HeraldFlowEdge *edge)
{
  HeraldFlowNode *from = herald_flow_get_node (flow, edge->from);

  if (from->type == HERALD_FLOW_NODE_CONDITION)
    return g_strdup (g_str_equal (edge->port, "yes") ? _("Yes") : _("No"));
  if (from->type == HERALD_FLOW_NODE_SPLIT)
    {
      JsonArray *weights = json_object_get_array_member (from->config, "weights");
      guint index = (guint) g_ascii_strtoull (edge->port, NULL, 10);

      if (index < json_array_get_length (weights))
        return g_strdup_printf ("%g %%", json_array_get_double_element (weights, index));
    }
  return NULL;
}

static void
edge_geometry (HeraldFlow           *flow,
               const HeraldFlowEdge *edge,
               double               *x1,
               double               *y1,
               double               *x2,
               double               *y2,
               double               *reach)
{
  HeraldFlowNode *from = herald_flow_get_node (flow, edge->from);
  HeraldFlowNode *to = herald_flow_get_node (flow, edge->to);

  herald_flow_node_port_position (from, edge->port, x1, y1);
  *x2 = to->x;
  *y2 = to->y + HERALD_FLOW_NODE_HEIGHT / 2;
  *reach = MAX (50.0, ABS (*x2 - *x1) / 2);
}

/* Draws an edge's curve and arrow head; its label comes later, over the
 * cards, so a card never hides it. */
void
herald_flow_draw_edge (HeraldFlow           *flow,
                       const HeraldFlowEdge *edge,
                       cairo_t              *cr)
{
  double x1, y1, x2, y2, reach;

  edge_geometry (flow, edge, &x1, &y1, &x2, &y2, &reach);
  cairo_set_source_rgb (cr, 0.47, 0.46, 0.48);
  cairo_set_line_width (cr, 2);
  cairo_move_to (cr, x1, y1);
  cairo_curve_to (cr, x1 + reach, y1, x2 - reach, y2, x2 - 6, y2);
  cairo_stroke (cr);

  /* The arrow head, pointing into the next card. */
  cairo_move_to (cr, x2, y2);
  cairo_line_to (cr, x2 - 9, y2 - 5);
  cairo_line_to (cr, x2 - 9, y2 + 5);
  cairo_close_path (cr);
  cairo_fill (cr);
}

/* Draws an edge's label: yes or no, a split's share, and @figure when
 * given (the contacts a forecast expects to take it). */
void
herald_flow_draw_edge_label (HeraldFlow           *flow,
                             const HeraldFlowEdge *edge,
                             const char           *figure,
                             cairo_t              *cr)
{
  g_autofree char *port_label = edge_label (flow, edge);
  g_autofree char *label = port_label != NULL && figure != NULL ? g_strdup_printf ("%s · %s", port_label, figure)
                           : g_strdup (port_label != NULL ? port_label : figure);
  double x1, y1, x2, y2, reach, mx, my, width;

  if (label == NULL)
    return;
  edge_geometry (flow, edge, &x1, &y1, &x2, &y2, &reach);
  mx = (x1 + x2) / 2 + (x1 + reach - (x2 - reach)) / 8;
  my = (y1 + y2) / 2;
  width = MAX (text_width (cr, label, "Sans 8") + 12, 44);

  cairo_set_source_rgb (cr, 1, 1, 1);
  rounded_rectangle (cr, mx - width / 2, my - 10, width, 20, 10);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.47, 0.46, 0.48);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
  cairo_set_source_rgb (cr, 0.14, 0.12, 0.19);
  show_text (cr, label, "Sans 8", mx - width / 2 + 6, my - 7, width - 10);
}

/* A line of figures in a tag under a card: what a forecast expects of
 * the step. */
void
herald_flow_draw_node_figures (const HeraldFlowNode *node,
                               const char           *text,
                               cairo_t              *cr)
{
  double width = MIN (text_width (cr, text, "Sans 8") + 14, HERALD_FLOW_NODE_WIDTH + 40);
  double x = node->x + 8, y = node->y + HERALD_FLOW_NODE_HEIGHT + 4;

  rounded_rectangle (cr, x, y, width, HERALD_FLOW_FIGURES_HEIGHT, HERALD_FLOW_FIGURES_HEIGHT / 2);
  cairo_set_source_rgb (cr, 0.93, 0.95, 0.99);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
  cairo_set_source_rgb (cr, 0.10, 0.30, 0.60);
  show_text (cr, text, "Sans 8", x + 7, y + 3, width - 12);
}

void
herald_flow_draw_node (const HeraldFlowNode *node,
                       cairo_t              *cr)
{
  const Colour *colour = &type_colours[node->type];
  g_autofree char *summary = herald_flow_node_summary (node);
  g_auto(GStrv) ports = herald_flow_node_ports (node);
  double x = node->x, y = node->y;

  rounded_rectangle (cr, x, y, HERALD_FLOW_NODE_WIDTH, HERALD_FLOW_NODE_HEIGHT, RADIUS);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.75, 0.75, 0.74);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);

  cairo_save (cr);
  rounded_rectangle (cr, x, y, HERALD_FLOW_NODE_WIDTH, HERALD_FLOW_NODE_HEIGHT, RADIUS);
  cairo_clip (cr);
  cairo_rectangle (cr, x, y, STRIPE, HERALD_FLOW_NODE_HEIGHT);
  cairo_set_source_rgb (cr, colour->r, colour->g, colour->b);
  cairo_fill (cr);
  cairo_restore (cr);

  cairo_set_source_rgb (cr, colour->r * 0.7, colour->g * 0.7, colour->b * 0.7);
  show_text (cr, herald_flow_node_type_label (node->type), "Sans Bold 7", x + STRIPE + 8, y + 6,
             HERALD_FLOW_NODE_WIDTH - STRIPE - 16);
  cairo_set_source_rgb (cr, 0.14, 0.12, 0.19);
  show_text (cr, node->name != NULL && node->name[0] != '\0' ? node->name : node->id, "Sans Bold 10",
             x + STRIPE + 8, y + 20, HERALD_FLOW_NODE_WIDTH - STRIPE - 16);
  cairo_set_source_rgb (cr, 0.37, 0.36, 0.39);
  show_text (cr, summary, "Sans 8", x + STRIPE + 8, y + 40, HERALD_FLOW_NODE_WIDTH - STRIPE - 16);

  if (node->type != HERALD_FLOW_NODE_TRIGGER)
    {
      cairo_arc (cr, x, y + HERALD_FLOW_NODE_HEIGHT / 2, PORT_RADIUS, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 0.47, 0.46, 0.48);
      cairo_stroke (cr);
    }
  for (guint i = 0; ports[i] != NULL; i++)
    {
      double px, py;

      herald_flow_node_port_position (node, ports[i], &px, &py);
      cairo_arc (cr, px, py, PORT_RADIUS, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, colour->r, colour->g, colour->b);
      cairo_fill (cr);
    }
}

/* Draws the flow in its own coordinates: edges first, cards over them,
 * the edges' labels over both. */
void
herald_flow_draw (HeraldFlow *flow,
                  cairo_t    *cr)
{
  GPtrArray *nodes = herald_flow_get_nodes (flow);
  GPtrArray *edges = herald_flow_get_edges (flow);

  for (guint i = 0; i < edges->len; i++)
    herald_flow_draw_edge (flow, edges->pdata[i], cr);
  for (guint i = 0; i < nodes->len; i++)
    herald_flow_draw_node (nodes->pdata[i], cr);
  for (guint i = 0; i < edges->len; i++)
    herald_flow_draw_edge_label (flow, edges->pdata[i], NULL, cr);
}

/**
 * herald_flow_draw_to_file:
 * @path: where to write; its extension, .svg, .png or .pdf, chooses the format
 *
 * Writes a picture of the flow for presentations.
 */
gboolean
herald_flow_draw_to_file (HeraldFlow  *flow,
                          const char  *path,
                          GError     **error)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  g_autofree char *display = g_filename_display_name (path);
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  double x, y, width, height;

  herald_flow_get_extents (flow, &x, &y, &width, &height);

  if (g_str_has_suffix (lower, ".svg"))
    surface = cairo_svg_surface_create (path, width, height);
  else if (g_str_has_suffix (lower, ".pdf"))
    surface = cairo_pdf_surface_create (path, width, height);
  else if (g_str_has_suffix (lower, ".png"))
    surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) ceil (width), (int) ceil (height));
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” must end in .svg, .png or .pdf."), display);
      return FALSE;
    }

  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_translate (cr, -x, -y);
  herald_flow_draw (flow, cr);
  cairo_destroy (cr);

  if (g_str_has_suffix (lower, ".png"))
    status = cairo_surface_write_to_png (surface, path);
  else
    {
      cairo_surface_finish (surface);
      status = cairo_surface_status (surface);
    }
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("“%s” could not be written: %s"),
                   display, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
