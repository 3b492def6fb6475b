/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "herald-workspace.h"

G_BEGIN_DECLS

typedef enum
{
  HERALD_PERIOD_MONTH,
  HERALD_PERIOD_QUARTER,
  HERALD_PERIOD_YEAR,
  HERALD_N_PERIODS
} HeraldPeriod;

/* What the campaigns sent in one period brought, added up; rates and ROI
 * NAN ("n/a") where their denominator is zero. */
typedef struct
{
  gint64  start;
  char   *label;
  guint   campaigns;
  double  sent;
  double  delivered;
  double  unique_opens;
  double  unique_clicks;
  double  conversions;
  double  revenue;
  double  cost;
  double  profit;
  double  open_rate;
  double  click_rate;
  double  roi;
  char   *currency;
} HeraldPeriodFigures;

const char *herald_period_key           (HeraldPeriod               period);
gboolean    herald_period_from_key      (const char                *key,
                                         HeraldPeriod              *period);
const char *herald_period_label         (HeraldPeriod               period);
GPtrArray  *herald_results_by_period    (HeraldWorkspace           *workspace,
                                         HeraldPeriod               period,
                                         GError                   **error);
char       *herald_periods_to_json      (GPtrArray                 *periods);
char       *herald_period_describe      (const HeraldPeriodFigures *figures);
HeraldPeriodFigures *herald_kpis_add_up (GPtrArray                 *campaigns);
void        herald_period_figures_free  (HeraldPeriodFigures       *figures);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldPeriodFigures, herald_period_figures_free)

G_END_DECLS
