/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <pango/pango.h>

#include "herald-results.h"

G_BEGIN_DECLS

/* The stages of a campaign's funnel: sent, delivered, opened, clicked,
 * converted. */
#define HERALD_FUNNEL_N_STAGES 5

/* A colour with its opacity, each from 0 to 1. */
typedef struct
{
  double red;
  double green;
  double blue;
  double alpha;
} HeraldFunnelColour;

void   herald_funnel_get_stages  (const HeraldKpis           *kpis,
                                  const char                **labels,
                                  double                     *values);
double herald_funnel_get_height  (guint                       n_stages);
double herald_funnel_get_minimum_width (void);
void   herald_funnel_draw        (cairo_t                    *cr,
                                  PangoContext               *context,
                                  const PangoFontDescription *font,
                                  const char * const         *labels,
                                  const double               *values,
                                  guint                       n_stages,
                                  double                      width,
                                  const HeraldFunnelColour   *foreground,
                                  const HeraldFunnelColour   *bar);

G_END_DECLS
