/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "herald-workspace.h"

G_BEGIN_DECLS

#define HERALD_TYPE_IMPORT_ASSISTANT (herald_import_assistant_get_type ())
G_DECLARE_FINAL_TYPE (HeraldImportAssistant, herald_import_assistant, HERALD, IMPORT_ASSISTANT, AdwWindow)

HeraldImportAssistant *herald_import_assistant_new (HeraldWorkspace  *workspace,
                                                    const char       *path,
                                                    GError          **error);

G_END_DECLS
