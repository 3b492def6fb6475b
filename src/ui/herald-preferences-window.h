/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "herald-workspace.h"

G_BEGIN_DECLS

#define HERALD_TYPE_PREFERENCES_WINDOW (herald_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (HeraldPreferencesWindow, herald_preferences_window, HERALD, PREFERENCES_WINDOW, AdwPreferencesWindow)

HeraldPreferencesWindow *herald_preferences_window_new (HeraldWorkspace *workspace);

G_END_DECLS
