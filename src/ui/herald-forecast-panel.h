/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "herald-flow-canvas.h"
#include "herald-forecast.h"
#include "herald-workspace.h"

G_BEGIN_DECLS

#define HERALD_TYPE_FORECAST_PANEL (herald_forecast_panel_get_type ())
G_DECLARE_FINAL_TYPE (HeraldForecastPanel, herald_forecast_panel, HERALD, FORECAST_PANEL, GtkWidget)

GtkWidget      *herald_forecast_panel_new           (void);
void            herald_forecast_panel_set_canvas    (HeraldForecastPanel *self,
                                                     HeraldFlowCanvas    *canvas);
void            herald_forecast_panel_set_workspace (HeraldForecastPanel *self,
                                                     HeraldWorkspace     *workspace);
void            herald_forecast_panel_set_active    (HeraldForecastPanel *self,
                                                     gboolean             active);
gboolean        herald_forecast_panel_get_active    (HeraldForecastPanel *self);
void            herald_forecast_panel_reload        (HeraldForecastPanel *self);
void            herald_forecast_panel_set_audience  (HeraldForecastPanel *self,
                                                     double               audience);
void            herald_forecast_panel_set_what_if   (HeraldForecastPanel *self,
                                                     double               factor);
HeraldForecast *herald_forecast_panel_get_forecast  (HeraldForecastPanel *self);

G_END_DECLS
