/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <stdio.h>

#include "herald-core.h"
#include "herald-flow-canvas.h"

/* Draws the same 1000 × 600 view of a flow of 10 steps and of a flow of
 * 500 steps, the 10 in view being the same in both, and prints the time a
 * frame takes for each and their ratio: what is out of view must cost
 * (next to) nothing. */

#define FRAMES 300

static HeraldFlow *
grid (guint n)
{
  HeraldFlow *flow = herald_flow_new ("Grid");
  HeraldFlowNode *previous = NULL;

  /* Ten steps fill the view; the others lie to the right of it and below. */
  for (guint i = 0; i < n; i++)
    {
      guint column = i < 10 ? i % 5 : 5 + (i - 10) % 20;
      guint row = i < 10 ? i / 5 : (i - 10) / 20;
      HeraldFlowNode *node = herald_flow_add_node (flow, i == 0 ? HERALD_FLOW_NODE_TRIGGER : HERALD_FLOW_NODE_EMAIL,
                                                   20 + column * 200.0, 20 + row * 120.0);

      if (previous != NULL)
        herald_flow_connect (flow, previous->id, "out", node->id);
      previous = node;
    }
  return flow;
}

static double
frame_time (GtkWidget  *canvas,
            HeraldFlow *flow)
{
  gint64 start;

  herald_flow_canvas_set_flow (HERALD_FLOW_CANVAS (canvas), flow);
  /* The same view for both: the top left at the flow's origin, 100 %. */
  herald_flow_canvas_show_actual_size (HERALD_FLOW_CANVAS (canvas));
  while (g_main_context_iteration (NULL, FALSE))
    ;

  start = g_get_monotonic_time ();
  for (guint i = 0; i < FRAMES; i++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      GskRenderNode *node;

      GTK_WIDGET_GET_CLASS (canvas)->snapshot (canvas, snapshot);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node != NULL)
        gsk_render_node_unref (node);
    }
  return (g_get_monotonic_time () - start) / 1000.0 / FRAMES;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(HeraldFlow) small = grid (10);
  g_autoptr(HeraldFlow) large = grid (500);
  GtkWidget *window;
  GtkWidget *canvas;
  double small_ms, large_ms;
  guint drawn_small, drawn_large;

  gtk_init ();
  window = gtk_window_new ();
  canvas = herald_flow_canvas_new ();
  gtk_window_set_child (GTK_WINDOW (window), canvas);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 600);
  gtk_window_present (GTK_WINDOW (window));
  while (gtk_widget_get_width (canvas) == 0)
    g_main_context_iteration (NULL, TRUE);

  small_ms = frame_time (canvas, small);
  drawn_small = herald_flow_canvas_count_drawn (HERALD_FLOW_CANVAS (canvas));
  large_ms = frame_time (canvas, large);
  drawn_large = herald_flow_canvas_count_drawn (HERALD_FLOW_CANVAS (canvas));

  printf ("view:              %d × %d\n", gtk_widget_get_width (canvas), gtk_widget_get_height (canvas));
  printf ("10 steps:          %.3f ms a frame, %u cards drawn\n", small_ms, drawn_small);
  printf ("500 steps:         %.3f ms a frame, %u cards drawn\n", large_ms, drawn_large);
  printf ("ratio:             %.2f (target 1.5 at most)\n", large_ms / small_ms);

  gtk_window_destroy (GTK_WINDOW (window));
  return large_ms / small_ms <= 1.5 ? 0 : 1;
}
