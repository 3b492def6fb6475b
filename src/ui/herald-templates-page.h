/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "herald-workspace.h"

G_BEGIN_DECLS

#define HERALD_TYPE_TEMPLATES_PAGE (herald_templates_page_get_type ())
G_DECLARE_FINAL_TYPE (HeraldTemplatesPage, herald_templates_page, HERALD, TEMPLATES_PAGE, GtkWidget)

void          herald_templates_page_set_workspace  (HeraldTemplatesPage *self,
                                                    HeraldWorkspace     *workspace,
                                                    gboolean             is_demo);
GActionGroup *herald_templates_page_get_actions    (HeraldTemplatesPage *self);
GMenuModel   *herald_templates_page_get_new_menu   (HeraldTemplatesPage *self);
void          herald_templates_page_reload_results (HeraldTemplatesPage *self);

G_END_DECLS
