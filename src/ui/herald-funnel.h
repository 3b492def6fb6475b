/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HERALD_TYPE_FUNNEL (herald_funnel_get_type ())
G_DECLARE_FINAL_TYPE (HeraldFunnel, herald_funnel, HERALD, FUNNEL, GtkWidget)

GtkWidget *herald_funnel_new        (void);
void       herald_funnel_set_stages (HeraldFunnel       *self,
                                     const char * const *labels,
                                     const double       *values,
                                     guint               n_stages);

G_END_DECLS
