/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "herald-flow.h"
#include "herald-forecast.h"

G_BEGIN_DECLS

#define HERALD_TYPE_FLOW_CANVAS (herald_flow_canvas_get_type ())
G_DECLARE_FINAL_TYPE (HeraldFlowCanvas, herald_flow_canvas, HERALD, FLOW_CANVAS, GtkWidget)

GtkWidget  *herald_flow_canvas_new            (void);
void        herald_flow_canvas_set_flow       (HeraldFlowCanvas *self,
                                               HeraldFlow       *flow);
HeraldFlow *herald_flow_canvas_get_flow       (HeraldFlowCanvas *self);
void        herald_flow_canvas_zoom           (HeraldFlowCanvas *self,
                                               double            factor);
void        herald_flow_canvas_fit            (HeraldFlowCanvas *self);
void        herald_flow_canvas_show_actual_size (HeraldFlowCanvas *self);
void        herald_flow_canvas_select         (HeraldFlowCanvas *self,
                                               const char       *id);
GStrv       herald_flow_canvas_get_selection  (HeraldFlowCanvas *self);
void        herald_flow_canvas_add_node       (HeraldFlowCanvas *self,
                                               HeraldFlowNodeType type);
void        herald_flow_canvas_add_node_at    (HeraldFlowCanvas *self,
                                               HeraldFlowNodeType type,
                                               double            widget_x,
                                               double            widget_y);
gboolean    herald_flow_canvas_connect        (HeraldFlowCanvas *self,
                                               const char       *from,
                                               const char       *port,
                                               const char       *to);
gboolean    herald_flow_canvas_copy           (HeraldFlowCanvas *self);
gboolean    herald_flow_canvas_paste          (HeraldFlowCanvas *self);
gboolean    herald_flow_canvas_duplicate      (HeraldFlowCanvas *self);
void        herald_flow_canvas_arrange        (HeraldFlowCanvas *self);
void        herald_flow_canvas_set_forecast   (HeraldFlowCanvas *self,
                                               HeraldForecast   *forecast);
void        herald_flow_canvas_set_problems   (HeraldFlowCanvas *self,
                                               GPtrArray        *problems);
gboolean    herald_flow_canvas_delete_selection (HeraldFlowCanvas *self);
gboolean    herald_flow_canvas_move_selection (HeraldFlowCanvas *self,
                                               double            dx,
                                               double            dy);
void        herald_flow_canvas_begin_edit     (HeraldFlowCanvas *self);
void        herald_flow_canvas_end_edit       (HeraldFlowCanvas *self);
gboolean    herald_flow_canvas_undo           (HeraldFlowCanvas *self);
gboolean    herald_flow_canvas_redo           (HeraldFlowCanvas *self);
gboolean    herald_flow_canvas_can_undo       (HeraldFlowCanvas *self);
gboolean    herald_flow_canvas_can_redo       (HeraldFlowCanvas *self);
guint       herald_flow_canvas_count_drawn    (HeraldFlowCanvas *self);

G_END_DECLS
