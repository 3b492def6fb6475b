/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>

#include "herald-flow.h"

G_BEGIN_DECLS

/* The size of a node's card on the canvas and in pictures. */
#define HERALD_FLOW_NODE_WIDTH  190.0
#define HERALD_FLOW_NODE_HEIGHT  64.0
/* The tag of forecast figures under a card. */
#define HERALD_FLOW_FIGURES_HEIGHT 18.0

const char *herald_flow_node_type_label (HeraldFlowNodeType    type);
char       *herald_flow_node_summary    (const HeraldFlowNode *node);
void        herald_flow_node_port_position (const HeraldFlowNode *node,
                                         const char           *port,
                                         double               *x,
                                         double               *y);
void        herald_flow_get_extents     (HeraldFlow           *flow,
                                         double               *x,
                                         double               *y,
                                         double               *width,
                                         double               *height);
void        herald_flow_draw            (HeraldFlow           *flow,
                                         cairo_t              *cr);
void        herald_flow_draw_node       (const HeraldFlowNode *node,
                                         cairo_t              *cr);
void        herald_flow_draw_edge       (HeraldFlow           *flow,
                                         const HeraldFlowEdge *edge,
                                         cairo_t              *cr);
void        herald_flow_draw_edge_label (HeraldFlow           *flow,
                                         const HeraldFlowEdge *edge,
                                         const char           *figure,
                                         cairo_t              *cr);
void        herald_flow_draw_node_figures (const HeraldFlowNode *node,
                                         const char           *text,
                                         cairo_t              *cr);
gboolean    herald_flow_draw_to_file    (HeraldFlow           *flow,
                                         const char           *path,
                                         GError              **error);

G_END_DECLS
