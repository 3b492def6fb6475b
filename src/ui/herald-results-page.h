/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "herald-workspace.h"

G_BEGIN_DECLS

#define HERALD_TYPE_RESULTS_PAGE (herald_results_page_get_type ())
G_DECLARE_FINAL_TYPE (HeraldResultsPage, herald_results_page, HERALD, RESULTS_PAGE, GtkWidget)

void          herald_results_page_set_workspace (HeraldResultsPage *self,
                                                 HeraldWorkspace   *workspace,
                                                 gboolean           is_demo);
GActionGroup *herald_results_page_get_actions   (HeraldResultsPage *self);
void          herald_results_page_import_file   (HeraldResultsPage *self,
                                                 GFile             *file);

G_END_DECLS
