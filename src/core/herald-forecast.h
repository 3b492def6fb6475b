/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "herald-flow.h"
#include "herald-workspace.h"

G_BEGIN_DECLS

/* The rates a forecast assumes, as fractions: opens, clicks, bounces and
 * unsubscribes of an email, conversions at a goal. */
typedef enum
{
  HERALD_RATE_OPEN,
  HERALD_RATE_CLICK,
  HERALD_RATE_CONVERSION,
  HERALD_RATE_BOUNCE,
  HERALD_RATE_UNSUBSCRIBE,
  HERALD_N_RATES
} HeraldRate;

/* The cost model: money in the workspace currency, except the minutes a
 * task takes for each contact. */
typedef enum
{
  HERALD_COST_FIXED,
  HERALD_COST_PER_EMAIL,
  HERALD_COST_PER_1000,
  HERALD_COST_HOURLY_RATE,
  HERALD_COST_TASK_MINUTES,
  HERALD_N_COSTS
} HeraldCost;

/* Where an assumption came from, from the weakest to the strongest. */
typedef enum
{
  HERALD_SOURCE_BUILT_IN,
  HERALD_SOURCE_PREFERENCES,
  HERALD_SOURCE_RESULTS,
  HERALD_SOURCE_TEMPLATE_RESULTS,
  HERALD_SOURCE_FLOW,
  HERALD_SOURCE_STEP,
} HeraldSource;

/* What the workspace knows before a forecast: its preferences, the rates
 * of its past results, and the size of the segments the triggers name.
 * Loading it reads the workspace; computing from it is then instant. */
typedef struct _HeraldForecastBasis HeraldForecastBasis;

typedef struct
{
  /* Contacts entering the flow; below zero, the triggers' segments. */
  double  audience;
  /* A factor on the open, click and conversion rates, for "what if". */
  double  what_if;
  /* Simulated runs for a range of outcomes; 0 for none. */
  guint   runs;
  guint32 seed;
} HeraldForecastOptions;

#define HERALD_FORECAST_OPTIONS_INIT { -1.0, 1.0, 0, 1 }

/* Expected figures at one step. A figure that cannot be known, such as
 * the days to a step nobody reaches, is NAN: shown as "n/a". */
typedef struct
{
  char         *id;
  double        contacts;
  double        sent;
  double        delivered;
  double        bounces;
  double        opens;
  double        clicks;
  double        unsubscribes;
  double        conversions;
  double        revenue;
  double        cost;
  double        days;
  double        rates[HERALD_N_RATES];
  HeraldSource  sources[HERALD_N_RATES];
} HeraldForecastNode;

typedef struct
{
  char   *from;
  char   *port;
  char   *to;
  double  contacts;
} HeraldForecastEdge;

/* The 5th and 95th percentiles over the simulated runs. */
typedef struct
{
  double low;
  double high;
} HeraldForecastRange;

typedef struct
{
  double               audience;
  double               emails_sent;
  double               delivered;
  double               bounces;
  double               opens;
  double               clicks;
  double               unsubscribes;
  double               conversions;
  double               revenue;
  double               cost;
  double               profit;
  double               roi;
  double               roas;
  double               cost_per_conversion;
  double               days;
  /* The flow-wide assumptions and costs, and where each came from. */
  double               rates[HERALD_N_RATES];
  HeraldSource         rate_sources[HERALD_N_RATES];
  double               costs[HERALD_N_COSTS];
  HeraldSource         cost_sources[HERALD_N_COSTS];
  char                *currency;
  /* HeraldForecastNode in the flow's order, HeraldForecastEdge likewise. */
  GPtrArray           *nodes;
  GPtrArray           *edges;
  /* Template name → emails sent with it, as a pointer to a double. */
  GHashTable          *sent_by_template;
  /* Steps in a loop that contacts never leave: their figures are n/a. */
  GStrv                endless;
  /* Step id → HeraldKpis of the campaigns it sent, once results are
   * imported and linked to the flow's steps; NULL before. */
  GHashTable          *actuals;
  /* Those results added up, NAN without any. */
  double               actual_sent;
  double               actual_opens;
  double               actual_clicks;
  double               actual_conversions;
  double               actual_revenue;
  guint                runs;
  HeraldForecastRange  emails_sent_range;
  HeraldForecastRange  conversions_range;
  HeraldForecastRange  revenue_range;
  HeraldForecastRange  cost_range;
  HeraldForecastRange  roi_range;
  /*< private >*/
  gatomicrefcount      ref_count;
  GHashTable          *by_id;
} HeraldForecast;

#define HERALD_TYPE_FORECAST (herald_forecast_get_type ())

const char          *herald_rate_key                 (HeraldRate                  rate);
const char          *herald_rate_label               (HeraldRate                  rate);
const char          *herald_cost_key                 (HeraldCost                  cost);
const char          *herald_cost_label               (HeraldCost                  cost);
const char          *herald_source_key               (HeraldSource                source);
const char          *herald_source_label             (HeraldSource                source);
double               herald_rate_default             (HeraldRate                  rate);
double               herald_cost_default             (HeraldCost                  cost);
double               herald_forecast_get_preference  (HeraldWorkspace            *workspace,
                                                      const char                 *key);

HeraldForecastBasis *herald_forecast_basis_new       (void);
HeraldForecastBasis *herald_forecast_basis_load      (HeraldWorkspace            *workspace,
                                                      HeraldFlow                 *flow,
                                                      GCancellable               *cancellable,
                                                      GError                    **error);
void                 herald_forecast_basis_load_async (HeraldWorkspace           *workspace,
                                                      HeraldFlow                 *flow,
                                                      GCancellable               *cancellable,
                                                      GAsyncReadyCallback         callback,
                                                      gpointer                    user_data);
HeraldForecastBasis *herald_forecast_basis_load_finish (HeraldWorkspace          *workspace,
                                                      GAsyncResult               *result,
                                                      GError                    **error);
void                 herald_forecast_basis_set_segment_count (HeraldForecastBasis *self,
                                                      const char                 *segment,
                                                      gint64                      count);
gint64               herald_forecast_basis_get_segment_count (const HeraldForecastBasis *self,
                                                      const char                 *segment);
void                 herald_forecast_basis_free      (HeraldForecastBasis        *self);

GType                herald_forecast_get_type        (void) G_GNUC_CONST;
HeraldForecast      *herald_forecast_compute         (HeraldFlow                 *flow,
                                                      const HeraldForecastBasis  *basis,
                                                      const HeraldForecastOptions *options);
HeraldForecast      *herald_forecast_ref             (HeraldForecast             *self);
void                 herald_forecast_unref           (HeraldForecast             *self);
const HeraldForecastNode *herald_forecast_get_node   (const HeraldForecast       *self,
                                                      const char                 *id);
char                *herald_forecast_describe_node   (const HeraldForecast       *self,
                                                      const HeraldFlowNode       *node);
char                *herald_forecast_to_json         (const HeraldForecast       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldForecast, herald_forecast_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldForecastBasis, herald_forecast_basis_free)

G_END_DECLS
