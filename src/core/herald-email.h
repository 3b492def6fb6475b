/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *herald_email_normalize (const char  *input,
                              char       **out_reason);

G_END_DECLS
