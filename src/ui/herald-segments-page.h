/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "herald-workspace.h"

G_BEGIN_DECLS

#define HERALD_TYPE_SEGMENTS_PAGE (herald_segments_page_get_type ())
G_DECLARE_FINAL_TYPE (HeraldSegmentsPage, herald_segments_page, HERALD, SEGMENTS_PAGE, GtkWidget)

void          herald_segments_page_set_workspace  (HeraldSegmentsPage *self,
                                                   HeraldWorkspace    *workspace,
                                                   gboolean            is_demo);
GActionGroup *herald_segments_page_get_actions    (HeraldSegmentsPage *self);
void          herald_segments_page_reload_results (HeraldSegmentsPage *self);

G_END_DECLS
