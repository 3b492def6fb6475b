/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Small widgets that several pages share. */

GtkWidget *herald_wrapping_button_new (const char *mnemonic);

G_END_DECLS
