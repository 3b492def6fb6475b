/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HERALD_TYPE_TIMELINE_CHART (herald_timeline_chart_get_type ())
G_DECLARE_FINAL_TYPE (HeraldTimelineChart, herald_timeline_chart, HERALD, TIMELINE_CHART, GtkWidget)

GtkWidget *herald_timeline_chart_new         (void);
void       herald_timeline_chart_set_periods (HeraldTimelineChart *self,
                                              GPtrArray           *periods);

G_END_DECLS
