/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *herald_country_code_for_name (const char *name);

G_END_DECLS
