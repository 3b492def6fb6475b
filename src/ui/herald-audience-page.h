/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "herald-workspace.h"

G_BEGIN_DECLS

#define HERALD_TYPE_AUDIENCE_PAGE (herald_audience_page_get_type ())
G_DECLARE_FINAL_TYPE (HeraldAudiencePage, herald_audience_page, HERALD, AUDIENCE_PAGE, GtkWidget)

void         herald_audience_page_set_workspace  (HeraldAudiencePage *self,
                                                  HeraldWorkspace    *workspace,
                                                  gboolean            is_demo);
GtkSearchBar *herald_audience_page_get_search_bar (HeraldAudiencePage *self);
GActionGroup *herald_audience_page_get_actions    (HeraldAudiencePage *self);
void         herald_audience_page_import_file    (HeraldAudiencePage *self,
                                                  const char         *path);

G_END_DECLS
