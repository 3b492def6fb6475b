/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "herald-templates.h"

G_BEGIN_DECLS

#define HERALD_TYPE_TEMPLATE_PREVIEW (herald_template_preview_get_type ())
G_DECLARE_FINAL_TYPE (HeraldTemplatePreview, herald_template_preview, HERALD, TEMPLATE_PREVIEW, GtkWidget)

void herald_template_preview_show_message (HeraldTemplatePreview *self,
                                           const HeraldMessage   *message,
                                           const char            *sender);
void herald_template_preview_show_problem (HeraldTemplatePreview *self,
                                           const char            *problem);

G_END_DECLS
