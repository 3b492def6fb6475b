/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-flow-canvas"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "herald-flow-canvas.h"
#include "herald-flow-draw.h"
#include "herald-format.h"

/* The flow drawn on a canvas one can pan, zoom and edit. Only the cards
 * and edges in view are drawn, so a large flow costs what is visible.
 * Every edit is first recorded as the flow's JSON, which is what undo
 * and redo go back and forth between. */

#define GRID 10.0
#define MIN_ZOOM 0.2
#define MAX_ZOOM 3.0
#define READABLE_ZOOM 0.6  /* below this, a card's text is too small to read */
#define UNDO_LIMIT 100
#define MINIMAP_WIDTH 180.0
#define MINIMAP_HEIGHT 110.0
#define MINIMAP_MARGIN 12.0

struct _HeraldFlowCanvas
{
  GtkWidget   parent_instance;

  HeraldFlow *flow;
  double      zoom;
  double      offset_x;
  double      offset_y;
  GHashTable *selection;
  GPtrArray  *undo;
  GPtrArray  *redo;
  guint       drawn;

  /* The drag under way: moving the selection, or panning. */
  gboolean    moving;
  double      drag_offset_x;
  double      drag_offset_y;
  double      moved_x;
  double      moved_y;
  char       *before_drag;
  double      pinch_zoom;
  double      fit_pending;  /* the least zoom to show the flow at once sized, or 0 */

  /* A rubber band being drawn, in widget coordinates. */
  gboolean    banding;
  double      band_x1, band_y1, band_x2, band_y2;
  gboolean    panning;

  /* The overview in the corner, drawn again only when the flow changes. */
  cairo_surface_t *minimap;
  double      minimap_scale;
  double      minimap_x;
  double      minimap_y;

  /* Node id → HeraldFlowProblemSeverity + 1, for badges on the cards. */
  GHashTable *problems;

  /* Figures shown on cards and edges in forecast mode, or NULL. */
  HeraldForecast *forecast;

  /* A connection being drawn from a port, and where the pointer is. */
  char       *connect_from;
  char       *connect_port;
  double      connect_x;
  double      connect_y;
};

G_DEFINE_FINAL_TYPE (HeraldFlowCanvas, herald_flow_canvas, GTK_TYPE_WIDGET)

/* Copied steps, as herald-flow JSON, for pasting in any flow. */
static char *clipboard;

enum {
  CHANGED,
  SELECTION_CHANGED,
  ACTIVATE_STEP,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
to_flow (HeraldFlowCanvas *self,
         double            x,
         double            y,
         double           *fx,
         double           *fy)
{
  *fx = (x - self->offset_x) / self->zoom;
  *fy = (y - self->offset_y) / self->zoom;
}

static HeraldFlowNode *
node_at (HeraldFlowCanvas *self,
         double            x,
         double            y)
{
  GPtrArray *nodes;
  double fx, fy;

  if (self->flow == NULL)
    return NULL;
  to_flow (self, x, y, &fx, &fy);
  nodes = herald_flow_get_nodes (self->flow);
  /* The last drawn is on top. */
  for (guint i = nodes->len; i > 0; i--)
    {
      HeraldFlowNode *node = nodes->pdata[i - 1];

      if (fx >= node->x && fx <= node->x + HERALD_FLOW_NODE_WIDTH
          && fy >= node->y && fy <= node->y + HERALD_FLOW_NODE_HEIGHT)
        return node;
    }
  return NULL;
}

/* The output port under the pointer, if any: its node and its name. */
static HeraldFlowNode *
port_at (HeraldFlowCanvas *self,
         double            x,
         double            y,
         char            **port)
{
  GPtrArray *nodes;
  double fx, fy;

  if (self->flow == NULL)
    return NULL;
  to_flow (self, x, y, &fx, &fy);
  nodes = herald_flow_get_nodes (self->flow);
  for (guint i = nodes->len; i > 0; i--)
    {
      HeraldFlowNode *node = nodes->pdata[i - 1];
      g_auto(GStrv) ports = herald_flow_node_ports (node);

      for (guint p = 0; ports[p] != NULL; p++)
        {
          double px, py;

          herald_flow_node_port_position (node, ports[p], &px, &py);
          if (hypot (fx - px, fy - py) <= 9 / MIN (self->zoom, 1.0))
            {
              *port = g_strdup (ports[p]);
              return node;
            }
        }
    }
  return NULL;
}

static gboolean
in_view (const HeraldFlowNode  *node,
         const graphene_rect_t *view)
{
  /* The card, and the figures a forecast may show under it. */
  graphene_rect_t card = GRAPHENE_RECT_INIT (node->x, node->y, HERALD_FLOW_NODE_WIDTH + 40,
                                             HERALD_FLOW_NODE_HEIGHT + HERALD_FLOW_FIGURES_HEIGHT + 6);

  return graphene_rect_intersection (&card, view, NULL);
}

/* The minimap's corner of the widget, when the flow does not fit the view. */
static gboolean
minimap_area (HeraldFlowCanvas *self,
              graphene_rect_t  *area)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double x, y, w, h;

  if (self->flow == NULL || herald_flow_get_nodes (self->flow)->len == 0
      || width < 2 * MINIMAP_WIDTH || height < 2 * MINIMAP_HEIGHT)
    return FALSE;
  /* Drawn only while part of the flow is out of view. */
  herald_flow_get_extents (self->flow, &x, &y, &w, &h);
  x = x * self->zoom + self->offset_x;
  y = y * self->zoom + self->offset_y;
  if (x >= 0 && y >= 0 && x + w * self->zoom <= width && y + h * self->zoom <= height)
    return FALSE;
  *area = GRAPHENE_RECT_INIT (width - MINIMAP_WIDTH - MINIMAP_MARGIN, height - MINIMAP_HEIGHT - MINIMAP_MARGIN,
                              MINIMAP_WIDTH, MINIMAP_HEIGHT);
  return TRUE;
}

static void
render_minimap (HeraldFlowCanvas *self)
{
  GPtrArray *nodes = herald_flow_get_nodes (self->flow);
  double x, y, w, h;
  cairo_t *cr;

  herald_flow_get_extents (self->flow, &x, &y, &w, &h);
  /* The flow, with a margin, centred in the minimap. */
  self->minimap_scale = MIN (MINIMAP_WIDTH / (w + 4 * GRID), MINIMAP_HEIGHT / (h + 4 * GRID));
  self->minimap_x = x - (MINIMAP_WIDTH / self->minimap_scale - w) / 2;
  self->minimap_y = y - (MINIMAP_HEIGHT / self->minimap_scale - h) / 2;
  self->minimap = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) MINIMAP_WIDTH, (int) MINIMAP_HEIGHT);
  cr = cairo_create (self->minimap);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.92);
  cairo_paint (cr);
  cairo_scale (cr, self->minimap_scale, self->minimap_scale);
  cairo_translate (cr, -self->minimap_x, -self->minimap_y);
  cairo_set_source_rgb (cr, 0.6, 0.6, 0.62);
  for (guint i = 0; i < nodes->len; i++)
    {
      HeraldFlowNode *node = nodes->pdata[i];

      cairo_rectangle (cr, node->x, node->y, HERALD_FLOW_NODE_WIDTH, HERALD_FLOW_NODE_HEIGHT);
    }
  cairo_fill (cr);
  cairo_destroy (cr);
}

static void
herald_flow_canvas_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  HeraldFlowCanvas *self = HERALD_FLOW_CANVAS (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  graphene_rect_t view;
  GdkRGBA accent;
  cairo_t *cr;
  GPtrArray *nodes, *edges;

  self->drawn = 0;
  if (self->flow == NULL || width <= 0 || height <= 0)
    return;

  {
    double vx, vy;

    to_flow (self, 0, 0, &vx, &vy);
    view = GRAPHENE_RECT_INIT (vx, vy, width / self->zoom, height / self->zoom);
  }

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_save (cr);
  cairo_translate (cr, self->offset_x, self->offset_y);
  cairo_scale (cr, self->zoom, self->zoom);

  nodes = herald_flow_get_nodes (self->flow);
  edges = herald_flow_get_edges (self->flow);

  /* An edge is drawn when either end is in view; one passing across the
   * view between two cards out of it is rare enough to wait for a pan. */
  for (guint i = 0; i < edges->len; i++)
    {
      HeraldFlowEdge *edge = edges->pdata[i];

      if (in_view (herald_flow_get_node (self->flow, edge->from), &view)
          || in_view (herald_flow_get_node (self->flow, edge->to), &view))
        herald_flow_draw_edge (self->flow, edge, cr);
    }

  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), "accent_color", &accent))
    gdk_rgba_parse (&accent, "#3584e4");

  for (guint i = 0; i < nodes->len; i++)
    {
      HeraldFlowNode *node = nodes->pdata[i];

      if (!in_view (node, &view))
        continue;
      self->drawn++;
      herald_flow_draw_node (node, cr);
      if (self->forecast != NULL)
        {
          g_autofree char *figures = herald_forecast_describe_node (self->forecast, node);

          if (figures != NULL)
            herald_flow_draw_node_figures (node, figures, cr);
        }
      if (self->problems != NULL && g_hash_table_contains (self->problems, node->id))
        {
          gboolean error = GPOINTER_TO_INT (g_hash_table_lookup (self->problems, node->id)) - 1
                           == HERALD_FLOW_PROBLEM_ERROR;

          /* A badge with an exclamation mark, red for errors, amber for
           * warnings: the mark tells them apart from the card's colours. */
          cairo_arc (cr, node->x + HERALD_FLOW_NODE_WIDTH - 4, node->y + 4, 8, 0, 2 * G_PI);
          cairo_set_source_rgb (cr, error ? 0.88 : 0.90, error ? 0.11 : 0.65, error ? 0.14 : 0.04);
          cairo_fill (cr);
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_set_line_width (cr, 2);
          cairo_move_to (cr, node->x + HERALD_FLOW_NODE_WIDTH - 4, node->y);
          cairo_line_to (cr, node->x + HERALD_FLOW_NODE_WIDTH - 4, node->y + 5);
          cairo_stroke (cr);
          cairo_arc (cr, node->x + HERALD_FLOW_NODE_WIDTH - 4, node->y + 8, 1.2, 0, 2 * G_PI);
          cairo_fill (cr);
        }
      if (g_hash_table_contains (self->selection, node->id))
        {
          cairo_set_source_rgba (cr, accent.red, accent.green, accent.blue, 1);
          cairo_set_line_width (cr, 3 / self->zoom);
          cairo_rectangle (cr, node->x - 3, node->y - 3, HERALD_FLOW_NODE_WIDTH + 6, HERALD_FLOW_NODE_HEIGHT + 6);
          cairo_stroke (cr);
        }
    }

  /* Edge labels over the cards, so none hides behind one. */
  for (guint i = 0; i < edges->len; i++)
    {
      HeraldFlowEdge *edge = edges->pdata[i];
      g_autofree char *figure = NULL;

      if (!in_view (herald_flow_get_node (self->flow, edge->from), &view)
          && !in_view (herald_flow_get_node (self->flow, edge->to), &view))
        continue;
      if (self->forecast != NULL && i < self->forecast->edges->len)
        figure = herald_format_count (((HeraldForecastEdge *) self->forecast->edges->pdata[i])->contacts);
      herald_flow_draw_edge_label (self->flow, edge, figure, cr);
    }

  if (self->banding)
    {
      double x1, y1, x2, y2;

      to_flow (self, self->band_x1, self->band_y1, &x1, &y1);
      to_flow (self, self->band_x2, self->band_y2, &x2, &y2);
      cairo_rectangle (cr, MIN (x1, x2), MIN (y1, y2), ABS (x2 - x1), ABS (y2 - y1));
      cairo_set_source_rgba (cr, accent.red, accent.green, accent.blue, 0.15);
      cairo_fill_preserve (cr);
      cairo_set_source_rgba (cr, accent.red, accent.green, accent.blue, 1);
      cairo_set_line_width (cr, 1 / self->zoom);
      cairo_stroke (cr);
    }

  if (self->connect_from != NULL)
    {
      HeraldFlowNode *from = herald_flow_get_node (self->flow, self->connect_from);
      double x1, y1, x2, y2;

      herald_flow_node_port_position (from, self->connect_port, &x1, &y1);
      to_flow (self, self->connect_x, self->connect_y, &x2, &y2);
      cairo_set_source_rgba (cr, accent.red, accent.green, accent.blue, 1);
      cairo_set_line_width (cr, 2 / self->zoom);
      cairo_move_to (cr, x1, y1);
      cairo_curve_to (cr, x1 + 60, y1, x2 - 60, y2, x2, y2);
      cairo_stroke (cr);
    }

  cairo_restore (cr);

  {
    graphene_rect_t area;

    if (minimap_area (self, &area))
      {
        double vx, vy;

        if (self->minimap == NULL)
          render_minimap (self);
        cairo_set_source_surface (cr, self->minimap, area.origin.x, area.origin.y);
        cairo_paint (cr);
        cairo_rectangle (cr, area.origin.x + 0.5, area.origin.y + 0.5, area.size.width - 1, area.size.height - 1);
        cairo_set_source_rgba (cr, 0.47, 0.46, 0.48, 1);
        cairo_set_line_width (cr, 1);
        cairo_stroke (cr);

        /* Where the view is. */
        to_flow (self, 0, 0, &vx, &vy);
        cairo_save (cr);
        cairo_rectangle (cr, area.origin.x, area.origin.y, area.size.width, area.size.height);
        cairo_clip (cr);
        cairo_rectangle (cr, area.origin.x + (vx - self->minimap_x) * self->minimap_scale,
                         area.origin.y + (vy - self->minimap_y) * self->minimap_scale,
                         width / self->zoom * self->minimap_scale, height / self->zoom * self->minimap_scale);
        cairo_set_source_rgba (cr, accent.red, accent.green, accent.blue, 1);
        cairo_set_line_width (cr, 2);
        cairo_stroke (cr);
        cairo_restore (cr);
      }
  }

  cairo_destroy (cr);
}

/* Editing */

/* Screen readers hear which step is selected and what it does. */
static void
describe_selection (HeraldFlowCanvas *self)
{
  g_auto(GStrv) ids = herald_flow_canvas_get_selection (self);
  HeraldFlowNode *node = ids[0] != NULL && ids[1] == NULL && self->flow != NULL
                         ? herald_flow_get_node (self->flow, ids[0]) : NULL;

  if (node != NULL)
    {
      g_autofree char *title = herald_flow_node_dup_title (node);
      g_autofree char *summary = herald_flow_node_summary (node);
      /* Translators: the selected step for screen readers: its type, name and setting. */
      g_autofree char *text = g_strdup_printf (_("%s “%s”: %s"), herald_flow_node_type_label (node->type), title, summary);

      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
    }
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static void
remember (HeraldFlowCanvas *self,
          char             *before)
{
  g_ptr_array_add (self->undo, before);
  if (self->undo->len > UNDO_LIMIT)
    g_ptr_array_remove_index (self->undo, 0);
  g_ptr_array_set_size (self->redo, 0);
}

static void
forget_minimap (HeraldFlowCanvas *self)
{
  g_clear_pointer (&self->minimap, cairo_surface_destroy);
}

static void
edited (HeraldFlowCanvas *self)
{
  forget_minimap (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[CHANGED], 0);
}

static gboolean
restore (HeraldFlowCanvas *self,
         GPtrArray        *from,
         GPtrArray        *to)
{
  g_autoptr(HeraldFlow) flow = NULL;
  char *json;

  if (from->len == 0 || self->flow == NULL)
    return FALSE;
  json = g_ptr_array_steal_index (from, from->len - 1);
  flow = herald_flow_load (json, herald_flow_get_name (self->flow), NULL);
  if (flow == NULL)
    {
      g_free (json);
      return FALSE;
    }
  herald_flow_set_name (flow, herald_flow_get_name (self->flow));
  g_ptr_array_add (to, herald_flow_to_json (self->flow));
  g_free (json);

  g_clear_pointer (&self->flow, herald_flow_unref);
  self->flow = g_steal_pointer (&flow);
  g_hash_table_remove_all (self->selection);
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
  edited (self);
  return TRUE;
}

gboolean
herald_flow_canvas_undo (HeraldFlowCanvas *self)
{
  g_return_val_if_fail (HERALD_IS_FLOW_CANVAS (self), FALSE);

  return restore (self, self->undo, self->redo);
}

gboolean
herald_flow_canvas_redo (HeraldFlowCanvas *self)
{
  g_return_val_if_fail (HERALD_IS_FLOW_CANVAS (self), FALSE);

  return restore (self, self->redo, self->undo);
}

gboolean
herald_flow_canvas_can_undo (HeraldFlowCanvas *self)
{
  return self->undo->len > 0;
}

gboolean
herald_flow_canvas_can_redo (HeraldFlowCanvas *self)
{
  return self->redo->len > 0;
}

gboolean
herald_flow_canvas_delete_selection (HeraldFlowCanvas *self)
{
  g_autofree char *before = NULL;
  GHashTableIter iter;
  gpointer id;

  g_return_val_if_fail (HERALD_IS_FLOW_CANVAS (self), FALSE);

  if (self->flow == NULL || g_hash_table_size (self->selection) == 0)
    return FALSE;

  before = herald_flow_to_json (self->flow);
  g_hash_table_iter_init (&iter, self->selection);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    herald_flow_remove_node (self->flow, id);
  g_hash_table_remove_all (self->selection);
  remember (self, g_steal_pointer (&before));
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
  edited (self);
  return TRUE;
}

/* For changes made elsewhere, such as in an inspector: call before
 * changing a node, so that undo can go back, and after. */
void
herald_flow_canvas_begin_edit (HeraldFlowCanvas *self)
{
  g_return_if_fail (HERALD_IS_FLOW_CANVAS (self));

  if (self->flow != NULL)
    remember (self, herald_flow_to_json (self->flow));
}

void
herald_flow_canvas_end_edit (HeraldFlowCanvas *self)
{
  g_return_if_fail (HERALD_IS_FLOW_CANVAS (self));

  edited (self);
}

/* Adds a step of the type centred on a point of the widget, selected. */
void
herald_flow_canvas_add_node_at (HeraldFlowCanvas   *self,
                                HeraldFlowNodeType  type,
                                double              widget_x,
                                double              widget_y)
{
  HeraldFlowNode *node;
  double x, y;

  g_return_if_fail (HERALD_IS_FLOW_CANVAS (self));

  if (self->flow == NULL)
    return;
  remember (self, herald_flow_to_json (self->flow));
  to_flow (self, widget_x, widget_y, &x, &y);
  node = herald_flow_add_node (self->flow, type,
                               round ((x - HERALD_FLOW_NODE_WIDTH / 2) / GRID) * GRID,
                               round ((y - HERALD_FLOW_NODE_HEIGHT / 2) / GRID) * GRID);
  g_hash_table_remove_all (self->selection);
  g_hash_table_add (self->selection, g_strdup (node->id));
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
  edited (self);
}

/* Adds a step of the type in the middle of the view. */
void
herald_flow_canvas_add_node (HeraldFlowCanvas   *self,
                             HeraldFlowNodeType  type)
{
  herald_flow_canvas_add_node_at (self, type, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                                  gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

/* Connects a port to a step (NULL to disconnect it), as dragging from
 * the port does. */
gboolean
herald_flow_canvas_connect (HeraldFlowCanvas *self,
                            const char       *from,
                            const char       *port,
                            const char       *to)
{
  g_autofree char *before = NULL;

  g_return_val_if_fail (HERALD_IS_FLOW_CANVAS (self), FALSE);

  if (self->flow == NULL)
    return FALSE;
  before = herald_flow_to_json (self->flow);
  if (!herald_flow_connect (self->flow, from, port, to))
    return FALSE;
  remember (self, g_steal_pointer (&before));
  edited (self);
  return TRUE;
}

static void
shift_selection (HeraldFlowCanvas *self,
                 double            dx,
                 double            dy)
{
  GPtrArray *nodes = herald_flow_get_nodes (self->flow);

  for (guint i = 0; i < nodes->len; i++)
    {
      HeraldFlowNode *node = nodes->pdata[i];

      if (g_hash_table_contains (self->selection, node->id))
        {
          node->x += dx;
          node->y += dy;
        }
    }
}

static void
snap_selection (HeraldFlowCanvas *self)
{
  GPtrArray *nodes = herald_flow_get_nodes (self->flow);

  for (guint i = 0; i < nodes->len; i++)
    {
      HeraldFlowNode *node = nodes->pdata[i];

      if (g_hash_table_contains (self->selection, node->id))
        {
          node->x = round (node->x / GRID) * GRID;
          node->y = round (node->y / GRID) * GRID;
        }
    }
}

/* Copies the selected steps, and the edges between them. */
gboolean
herald_flow_canvas_copy (HeraldFlowCanvas *self)
{
  g_auto(GStrv) ids = NULL;

  g_return_val_if_fail (HERALD_IS_FLOW_CANVAS (self), FALSE);

  if (self->flow == NULL || g_hash_table_size (self->selection) == 0)
    return FALSE;
  ids = herald_flow_canvas_get_selection (self);
  g_free (clipboard);
  clipboard = herald_flow_copy_nodes (self->flow, (const char * const *) ids);
  return TRUE;
}

/* Pastes copied steps beside where they were, selected. */
gboolean
herald_flow_canvas_paste (HeraldFlowCanvas *self)
{
  g_autofree char *before = NULL;
  g_auto(GStrv) ids = NULL;

  g_return_val_if_fail (HERALD_IS_FLOW_CANVAS (self), FALSE);

  if (self->flow == NULL || clipboard == NULL)
    return FALSE;
  before = herald_flow_to_json (self->flow);
  ids = herald_flow_paste (self->flow, clipboard, 3 * GRID, 3 * GRID);
  if (ids == NULL)
    return FALSE;
  remember (self, g_steal_pointer (&before));
  g_hash_table_remove_all (self->selection);
  for (guint i = 0; ids[i] != NULL; i++)
    g_hash_table_add (self->selection, g_strdup (ids[i]));
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
  edited (self);
  return TRUE;
}

gboolean
herald_flow_canvas_duplicate (HeraldFlowCanvas *self)
{
  g_return_val_if_fail (HERALD_IS_FLOW_CANVAS (self), FALSE);

  return herald_flow_canvas_copy (self) && herald_flow_canvas_paste (self);
}

/* Shows as much of the flow as fits at no less than @min_zoom: all of it,
 * centred, or else its start, where a flow begins to be read. */
static void
show_flow (HeraldFlowCanvas *self,
           double            min_zoom)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double x, y, w, h;

  if (self->flow == NULL || herald_flow_get_nodes (self->flow)->len == 0)
    return;
  if (width <= 0 || height <= 0)
    {
      self->fit_pending = min_zoom;
      return;
    }
  self->fit_pending = 0;
  herald_flow_get_extents (self->flow, &x, &y, &w, &h);
  self->zoom = CLAMP (MIN (width / w, height / h), min_zoom, 1.0);
  if (w * self->zoom <= width)
    self->offset_x = (width - w * self->zoom) / 2 - x * self->zoom;
  else
    self->offset_x = 2 * GRID - x * self->zoom;
  if (h * self->zoom <= height)
    self->offset_y = (height - h * self->zoom) / 2 - y * self->zoom;
  else
    self->offset_y = 2 * GRID - y * self->zoom;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Arranges the steps left to right, as one step of undo. */
void
herald_flow_canvas_arrange (HeraldFlowCanvas *self)
{
  g_return_if_fail (HERALD_IS_FLOW_CANVAS (self));

  if (self->flow == NULL)
    return;
  remember (self, herald_flow_to_json (self->flow));
  herald_flow_auto_layout (self->flow, HERALD_FLOW_NODE_WIDTH + 40, HERALD_FLOW_NODE_HEIGHT + 40);
  show_flow (self, READABLE_ZOOM);
  edited (self);
}

/* Shows a forecast's figures on the cards and edges, or none (NULL). The
 * forecast must be of the flow shown, edges in the same order. */
void
herald_flow_canvas_set_forecast (HeraldFlowCanvas *self,
                                 HeraldForecast   *forecast)
{
  g_return_if_fail (HERALD_IS_FLOW_CANVAS (self));

  if (forecast != NULL)
    herald_forecast_ref (forecast);
  g_clear_pointer (&self->forecast, herald_forecast_unref);
  self->forecast = forecast;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Marks steps with problems: id → HeraldFlowProblemSeverity. */
void
herald_flow_canvas_set_problems (HeraldFlowCanvas *self,
                                 GPtrArray        *problems)
{
  g_return_if_fail (HERALD_IS_FLOW_CANVAS (self));

  g_clear_pointer (&self->problems, g_hash_table_unref);
  self->problems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      HeraldFlowProblem *problem = problems->pdata[i];
      int old;

      if (problem->node == NULL)
        continue;
      old = GPOINTER_TO_INT (g_hash_table_lookup (self->problems, problem->node));
      /* An error outranks a warning. */
      if (old == 0 || (int) problem->severity + 1 < old)
        g_hash_table_insert (self->problems, g_strdup (problem->node), GINT_TO_POINTER (problem->severity + 1));
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Moves the selected cards, as the arrow keys do. */
gboolean
herald_flow_canvas_move_selection (HeraldFlowCanvas *self,
                                   double            dx,
                                   double            dy)
{
  g_return_val_if_fail (HERALD_IS_FLOW_CANVAS (self), FALSE);

  if (self->flow == NULL || g_hash_table_size (self->selection) == 0)
    return FALSE;
  remember (self, herald_flow_to_json (self->flow));
  shift_selection (self, dx, dy);
  snap_selection (self);
  edited (self);
  return TRUE;
}

void
herald_flow_canvas_select (HeraldFlowCanvas *self,
                           const char       *id)
{
  HeraldFlowNode *node;

  g_return_if_fail (HERALD_IS_FLOW_CANVAS (self));

  g_hash_table_remove_all (self->selection);
  if (self->flow != NULL && id != NULL && (node = herald_flow_get_node (self->flow, id)) != NULL)
    {
      int width = gtk_widget_get_width (GTK_WIDGET (self));
      int height = gtk_widget_get_height (GTK_WIDGET (self));
      double sx = node->x * self->zoom + self->offset_x;
      double sy = node->y * self->zoom + self->offset_y;

      g_hash_table_add (self->selection, g_strdup (id));
      /* A node out of view is brought to the middle. */
      if (width > 0 && (sx < 0 || sy < 0 || sx > width - HERALD_FLOW_NODE_WIDTH * self->zoom
                        || sy > height - HERALD_FLOW_NODE_HEIGHT * self->zoom))
        {
          self->offset_x = width / 2.0 - (node->x + HERALD_FLOW_NODE_WIDTH / 2) * self->zoom;
          self->offset_y = height / 2.0 - (node->y + HERALD_FLOW_NODE_HEIGHT / 2) * self->zoom;
        }
    }
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * herald_flow_canvas_get_selection:
 *
 * Returns: (transfer full): the ids of the selected nodes
 */
GStrv
herald_flow_canvas_get_selection (HeraldFlowCanvas *self)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer id;

  g_hash_table_iter_init (&iter, self->selection);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_strv_builder_add (ids, id);
  return g_strv_builder_end (ids);
}

/* How many cards the last frame drew. */
guint
herald_flow_canvas_count_drawn (HeraldFlowCanvas *self)
{
  return self->drawn;
}

/* View */

static void
zoom_at (HeraldFlowCanvas *self,
         double            factor,
         double            x,
         double            y)
{
  double zoom = CLAMP (self->zoom * factor, MIN_ZOOM, MAX_ZOOM);
  double fx, fy;

  to_flow (self, x, y, &fx, &fy);
  self->zoom = zoom;
  self->offset_x = x - fx * zoom;
  self->offset_y = y - fy * zoom;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
herald_flow_canvas_zoom (HeraldFlowCanvas *self,
                         double            factor)
{
  g_return_if_fail (HERALD_IS_FLOW_CANVAS (self));

  zoom_at (self, factor, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
           gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

/* Shows the flow at its real size, its top left corner in view. */
void
herald_flow_canvas_show_actual_size (HeraldFlowCanvas *self)
{
  double x, y, w, h;

  g_return_if_fail (HERALD_IS_FLOW_CANVAS (self));

  if (self->flow == NULL)
    return;
  self->fit_pending = 0;
  herald_flow_get_extents (self->flow, &x, &y, &w, &h);
  self->zoom = 1.0;
  self->offset_x = -x;
  self->offset_y = -y;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Shows the whole flow. */
void
herald_flow_canvas_fit (HeraldFlowCanvas *self)
{
  g_return_if_fail (HERALD_IS_FLOW_CANVAS (self));

  show_flow (self, MIN_ZOOM);
}

/* Input */

static void
drag_begin_cb (GtkGestureDrag   *gesture,
               double            x,
               double            y,
               HeraldFlowCanvas *self)
{
  g_autofree char *port = NULL;
  HeraldFlowNode *from = port_at (self, x, y, &port);
  HeraldFlowNode *node = from == NULL ? node_at (self, x, y) : NULL;
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));

  gtk_widget_grab_focus (GTK_WIDGET (self));

  /* A click in the minimap brings that part of the flow into view. */
  {
    graphene_rect_t area;

    if (minimap_area (self, &area) && self->minimap != NULL
        && graphene_rect_contains_point (&area, &GRAPHENE_POINT_INIT (x, y)))
      {
        double fx = self->minimap_x + (x - area.origin.x) / self->minimap_scale;
        double fy = self->minimap_y + (y - area.origin.y) / self->minimap_scale;

        self->offset_x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0 - fx * self->zoom;
        self->offset_y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0 - fy * self->zoom;
        self->moving = FALSE;
        self->panning = TRUE;
        self->drag_offset_x = self->offset_x;
        self->drag_offset_y = self->offset_y;
        gtk_widget_queue_draw (GTK_WIDGET (self));
        return;
      }
  }

  if (from != NULL)
    {
      /* Dragging from a port draws a connection. */
      g_free (self->connect_from);
      g_free (self->connect_port);
      self->connect_from = g_strdup (from->id);
      self->connect_port = g_steal_pointer (&port);
      self->connect_x = x;
      self->connect_y = y;
      self->moving = FALSE;
      return;
    }
  self->moving = node != NULL;
  self->drag_offset_x = self->offset_x;
  self->drag_offset_y = self->offset_y;
  self->moved_x = self->moved_y = 0;

  /* The middle button pans; the primary one on empty space draws a
   * rubber band that selects the cards it touches. */
  self->panning = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture)) == GDK_BUTTON_MIDDLE;
  if (self->panning)
    {
      self->moving = FALSE;
      return;
    }

  if (node == NULL)
    {
      self->banding = TRUE;
      self->band_x1 = self->band_x2 = x;
      self->band_y1 = self->band_y2 = y;
      if (!(state & GDK_SHIFT_MASK) && g_hash_table_size (self->selection) > 0)
        {
          g_hash_table_remove_all (self->selection);
          g_signal_emit (self, signals[SELECTION_CHANGED], 0);
        }
    }
  else
    {
      if (state & GDK_SHIFT_MASK)
        {
          if (!g_hash_table_remove (self->selection, node->id))
            g_hash_table_add (self->selection, g_strdup (node->id));
        }
      else if (!g_hash_table_contains (self->selection, node->id))
        {
          g_hash_table_remove_all (self->selection);
          g_hash_table_add (self->selection, g_strdup (node->id));
        }
      g_free (self->before_drag);
      self->before_drag = herald_flow_to_json (self->flow);
      g_signal_emit (self, signals[SELECTION_CHANGED], 0);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_update_cb (GtkGestureDrag   *gesture,
                double            dx,
                double            dy,
                HeraldFlowCanvas *self)
{
  if (self->connect_from != NULL)
    {
      double x, y;

      gtk_gesture_drag_get_start_point (gesture, &x, &y);
      self->connect_x = x + dx;
      self->connect_y = y + dy;
    }
  else if (self->moving)
    {
      shift_selection (self, dx / self->zoom - self->moved_x, dy / self->zoom - self->moved_y);
      self->moved_x = dx / self->zoom;
      self->moved_y = dy / self->zoom;
    }
  else if (self->banding)
    {
      self->band_x2 = self->band_x1 + dx;
      self->band_y2 = self->band_y1 + dy;
    }
  else
    {
      self->offset_x = self->drag_offset_x + dx;
      self->offset_y = self->drag_offset_y + dy;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_end_cb (GtkGestureDrag   *gesture,
             double            dx,
             double            dy,
             HeraldFlowCanvas *self)
{
  if (self->connect_from != NULL)
    {
      g_autofree char *from = g_steal_pointer (&self->connect_from);
      g_autofree char *port = g_steal_pointer (&self->connect_port);
      double x, y;
      HeraldFlowNode *to;

      /* Dropped on a step, the port leads there; dropped elsewhere, the
       * port is disconnected. */
      gtk_gesture_drag_get_start_point (gesture, &x, &y);
      to = node_at (self, x + dx, y + dy);
      if (!herald_flow_canvas_connect (self, from, port, to != NULL ? to->id : NULL))
        gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }

  if (self->banding)
    {
      GPtrArray *nodes = herald_flow_get_nodes (self->flow);
      double x1, y1, x2, y2;
      graphene_rect_t band;

      self->banding = FALSE;
      to_flow (self, self->band_x1, self->band_y1, &x1, &y1);
      to_flow (self, self->band_x2, self->band_y2, &x2, &y2);
      band = GRAPHENE_RECT_INIT (MIN (x1, x2), MIN (y1, y2), ABS (x2 - x1), ABS (y2 - y1));
      for (guint i = 0; i < nodes->len; i++)
        if (in_view (nodes->pdata[i], &band))
          g_hash_table_add (self->selection, g_strdup (((HeraldFlowNode *) nodes->pdata[i])->id));
      g_signal_emit (self, signals[SELECTION_CHANGED], 0);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }

  if (self->moving && (self->moved_x != 0 || self->moved_y != 0))
    {
      snap_selection (self);
      remember (self, g_steal_pointer (&self->before_drag));
      edited (self);
    }
  g_clear_pointer (&self->before_drag, g_free);
  self->moving = FALSE;
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           HeraldFlowCanvas         *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (state & GDK_CONTROL_MASK)
    {
      double x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      double y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
      GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));

      if (event != NULL)
        gdk_event_get_position (event, &x, &y);
      zoom_at (self, dy < 0 ? 1.1 : 1 / 1.1, x, y);
    }
  else
    {
      self->offset_x -= dx * 40;
      self->offset_y -= dy * 40;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  return TRUE;
}

static void
zoom_begin_cb (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               HeraldFlowCanvas *self)
{
  self->pinch_zoom = self->zoom;
}

static void
zoom_gesture_cb (GtkGestureZoom   *gesture,
                 double            scale,
                 HeraldFlowCanvas *self)
{
  double x, y;

  /* The scale counts from the start of the pinch. */
  gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y);
  zoom_at (self, self->pinch_zoom * scale / self->zoom, x, y);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                HeraldFlowCanvas      *self)
{
  double step = (state & GDK_SHIFT_MASK) ? 5 * GRID : GRID;
  GPtrArray *nodes;

  if (state & GDK_CONTROL_MASK)
    switch (keyval)
      {
      case GDK_KEY_c:
        return herald_flow_canvas_copy (self);
      case GDK_KEY_v:
        return herald_flow_canvas_paste (self);
      case GDK_KEY_d:
        return herald_flow_canvas_duplicate (self);
      case GDK_KEY_a:
        for (guint i = 0; self->flow != NULL && i < herald_flow_get_nodes (self->flow)->len; i++)
          g_hash_table_add (self->selection,
                            g_strdup (((HeraldFlowNode *) herald_flow_get_nodes (self->flow)->pdata[i])->id));
        g_signal_emit (self, signals[SELECTION_CHANGED], 0);
        gtk_widget_queue_draw (GTK_WIDGET (self));
        return TRUE;
      default:
        return FALSE;
      }

  switch (keyval)
    {
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
      if (g_hash_table_size (self->selection) != 1)
        return FALSE;
      g_signal_emit (self, signals[ACTIVATE_STEP], 0);
      return TRUE;
    case GDK_KEY_Delete:
    case GDK_KEY_BackSpace:
      return herald_flow_canvas_delete_selection (self);
    case GDK_KEY_Left:
      return herald_flow_canvas_move_selection (self, -step, 0);
    case GDK_KEY_Right:
      return herald_flow_canvas_move_selection (self, step, 0);
    case GDK_KEY_Up:
      return herald_flow_canvas_move_selection (self, 0, -step);
    case GDK_KEY_Down:
      return herald_flow_canvas_move_selection (self, 0, step);
    case GDK_KEY_Tab:
    case GDK_KEY_ISO_Left_Tab:
      /* Tab walks the nodes in order, and selects the one it reaches. */
      if (self->flow == NULL || (nodes = herald_flow_get_nodes (self->flow))->len == 0)
        return FALSE;
      {
        g_auto(GStrv) selected = herald_flow_canvas_get_selection (self);
        gboolean back = keyval == GDK_KEY_ISO_Left_Tab || (state & GDK_SHIFT_MASK);
        guint next = back ? nodes->len - 1 : 0;

        for (guint i = 0; selected[0] != NULL && i < nodes->len; i++)
          if (g_str_equal (((HeraldFlowNode *) nodes->pdata[i])->id, selected[0]))
            next = back ? (i + nodes->len - 1) % nodes->len : (i + 1) % nodes->len;
        herald_flow_canvas_select (self, ((HeraldFlowNode *) nodes->pdata[next])->id);
        return TRUE;
      }
    default:
      return FALSE;
    }
}

/* A double click on a step opens its settings. */
static void
click_pressed_cb (GtkGestureClick  *gesture,
                  int               n_press,
                  double            x,
                  double            y,
                  HeraldFlowCanvas *self)
{
  if (n_press == 2 && node_at (self, x, y) != NULL && g_hash_table_size (self->selection) == 1)
    g_signal_emit (self, signals[ACTIVATE_STEP], 0);
}

/* A step type dragged from the palette lands where it is dropped. */
static gboolean
palette_drop_cb (GtkDropTarget    *target,
                 const GValue     *value,
                 double            x,
                 double            y,
                 HeraldFlowCanvas *self)
{
  HeraldFlowNodeType type;

  if (self->flow == NULL || !herald_flow_node_type_from_key (g_value_get_string (value), &type))
    return FALSE;
  herald_flow_canvas_add_node_at (self, type, x, y);
  gtk_widget_grab_focus (GTK_WIDGET (self));
  return TRUE;
}

static void
herald_flow_canvas_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  HeraldFlowCanvas *self = HERALD_FLOW_CANVAS (widget);

  /* A flow shown before the canvas had a size is fitted once it has one. */
  if (self->fit_pending > 0 && width > 0 && height > 0)
    show_flow (self, self->fit_pending);
}

static void
herald_flow_canvas_dispose (GObject *object)
{
  HeraldFlowCanvas *self = (HeraldFlowCanvas *) object;

  g_clear_pointer (&self->flow, herald_flow_unref);
  g_clear_pointer (&self->before_drag, g_free);
  g_clear_pointer (&self->connect_from, g_free);
  g_clear_pointer (&self->connect_port, g_free);
  g_clear_pointer (&self->forecast, herald_forecast_unref);
  forget_minimap (self);

  G_OBJECT_CLASS (herald_flow_canvas_parent_class)->dispose (object);
}

static void
herald_flow_canvas_finalize (GObject *object)
{
  HeraldFlowCanvas *self = (HeraldFlowCanvas *) object;

  g_hash_table_unref (self->selection);
  g_clear_pointer (&self->problems, g_hash_table_unref);
  g_ptr_array_unref (self->undo);
  g_ptr_array_unref (self->redo);

  G_OBJECT_CLASS (herald_flow_canvas_parent_class)->finalize (object);
}

static void
herald_flow_canvas_class_init (HeraldFlowCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = herald_flow_canvas_dispose;
  object_class->finalize = herald_flow_canvas_finalize;
  widget_class->snapshot = herald_flow_canvas_snapshot;
  widget_class->size_allocate = herald_flow_canvas_size_allocate;

  /**
   * HeraldFlowCanvas::changed:
   *
   * Emitted after every edit of the flow, undo and redo included.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SELECTION_CHANGED] = g_signal_new_class_handler ("selection-changed", G_TYPE_FROM_CLASS (klass),
                                                           G_SIGNAL_RUN_FIRST, G_CALLBACK (describe_selection),
                                                           NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Enter or a double click on the one selected step: its settings are wanted. */
  signals[ACTIVATE_STEP] = g_signal_new ("activate-step", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_css_name (widget_class, "flowcanvas");
}

static void
herald_flow_canvas_init (HeraldFlowCanvas *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *zoom = gtk_gesture_zoom_new ();
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  self->zoom = 1.0;
  self->selection = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->undo = g_ptr_array_new_with_free_func (g_free);
  self->redo = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Flow Canvas"), -1);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), 0);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (zoom, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect (zoom, "scale-changed", G_CALLBACK (zoom_gesture_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (zoom));
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  g_signal_connect (click, "pressed", G_CALLBACK (click_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  {
    GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_COPY);

    g_signal_connect (drop, "drop", G_CALLBACK (palette_drop_cb), self);
    gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  }
}

GtkWidget *
herald_flow_canvas_new (void)
{
  return g_object_new (HERALD_TYPE_FLOW_CANVAS, NULL);
}

/* Shows the flow, which the canvas then edits; undo starts afresh. */
void
herald_flow_canvas_set_flow (HeraldFlowCanvas *self,
                             HeraldFlow       *flow)
{
  g_return_if_fail (HERALD_IS_FLOW_CANVAS (self));

  g_clear_pointer (&self->flow, herald_flow_unref);
  forget_minimap (self);
  self->flow = flow != NULL ? herald_flow_ref (flow) : NULL;
  g_hash_table_remove_all (self->selection);
  g_ptr_array_set_size (self->undo, 0);
  g_ptr_array_set_size (self->redo, 0);
  show_flow (self, READABLE_ZOOM);
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

HeraldFlow *
herald_flow_canvas_get_flow (HeraldFlowCanvas *self)
{
  g_return_val_if_fail (HERALD_IS_FLOW_CANVAS (self), NULL);

  return self->flow;
}
