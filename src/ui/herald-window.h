/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "herald-workspace.h"

G_BEGIN_DECLS

#define HERALD_TYPE_WINDOW (herald_window_get_type ())
G_DECLARE_FINAL_TYPE (HeraldWindow, herald_window, HERALD, WINDOW, AdwApplicationWindow)

HeraldWindow    *herald_window_new           (GtkApplication  *application);
HeraldWorkspace *herald_window_get_workspace (HeraldWindow    *self);
void             herald_window_set_workspace (HeraldWindow    *self,
                                              HeraldWorkspace *workspace);
void             herald_window_show_page     (HeraldWindow    *self,
                                              const char      *name);
void             herald_window_import_contacts (HeraldWindow  *self,
                                                const char    *path);
void             herald_window_show_error    (HeraldWindow    *self,
                                              const char      *heading,
                                              const char      *message);

G_END_DECLS
