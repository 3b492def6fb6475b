/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "herald-workspace.h"

G_BEGIN_DECLS

#define HERALD_TYPE_FLOWS_PAGE (herald_flows_page_get_type ())
G_DECLARE_FINAL_TYPE (HeraldFlowsPage, herald_flows_page, HERALD, FLOWS_PAGE, GtkWidget)

void          herald_flows_page_set_workspace (HeraldFlowsPage *self,
                                               HeraldWorkspace *workspace,
                                               gboolean         is_demo);
GActionGroup *herald_flows_page_get_actions   (HeraldFlowsPage *self);
GMenuModel   *herald_flows_page_get_new_menu  (HeraldFlowsPage *self);

G_END_DECLS
