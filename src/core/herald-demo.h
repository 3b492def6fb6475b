/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "herald-workspace.h"

G_BEGIN_DECLS

gboolean         herald_demo_populate (HeraldWorkspace  *workspace,
                                       GError          **error);
HeraldWorkspace *herald_demo_open     (GError          **error);

G_END_DECLS
