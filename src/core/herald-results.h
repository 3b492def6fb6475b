/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "herald-workspace.h"

G_BEGIN_DECLS

#define HERALD_RESULTS_ERROR (herald_results_error_quark ())

typedef enum
{
  HERALD_RESULTS_ERROR_FORMAT,
  HERALD_RESULTS_ERROR_NOT_FOUND,
} HeraldResultsError;

typedef enum
{
  HERALD_RESULTS_PRESET_AUTO,
  /* Mailchimp's export of many campaigns, one row each. */
  HERALD_RESULTS_PRESET_MAILCHIMP_CAMPAIGNS,
  /* Mailchimp's report of one campaign, in key/value sections. */
  HERALD_RESULTS_PRESET_MAILCHIMP_REPORT,
  /* What each recipient did: email, action, time, link; from any CSV. */
  HERALD_RESULTS_PRESET_ACTIVITY,
  /* Orders: email, order id, time, amount; from any CSV. */
  HERALD_RESULTS_PRESET_ORDERS,
} HeraldResultsPreset;

/* What an import did: campaigns read, new, and replaced by the file's
 * figures. A file with a bad figure is refused as a whole. */
typedef struct
{
  guint rows;
  guint imported;
  guint updated;
  /* The names the campaigns have in the workspace. */
  GStrv campaigns;
  /* Recipients' events and orders that were new, orders given to a
   * campaign, and rows about people who are not in the audience. */
  guint events;
  guint orders;
  guint attributed;
  guint unknown_contacts;
  /* The kind of file that was read. */
  HeraldResultsPreset preset;
} HeraldResultsReport;

/* What a column of an activity or orders file holds. */
typedef enum
{
  HERALD_RESULTS_COLUMN_EMAIL,
  HERALD_RESULTS_COLUMN_ACTION,
  HERALD_RESULTS_COLUMN_TIME,
  HERALD_RESULTS_COLUMN_URL,
  HERALD_RESULTS_COLUMN_CAMPAIGN,
  HERALD_RESULTS_COLUMN_ORDER,
  HERALD_RESULTS_COLUMN_AMOUNT,
  HERALD_RESULTS_N_COLUMNS
} HeraldResultsColumn;

/* Which column of a file holds what, found from its header and changed
 * by the user before importing. Mailchimp's reports need no mapping: for
 * them only @preset is set. */
typedef struct
{
  HeraldResultsPreset  preset;
  GStrv                header;
  GPtrArray           *samples;  /* GStrv: the first rows after the header */
  int                  columns[HERALD_RESULTS_N_COLUMNS];  /* -1: none */
} HeraldResultsMapping;

/* A campaign's figures and the KPIs of DESIGN.md. A count the report did
 * not give, and a rate whose denominator is zero, are NAN: "n/a". */
typedef struct
{
  char           *campaign;
  char           *variant;
  gint64          sent_at;
  double          sent;
  double          delivered;
  double          bounces;
  double          unique_opens;
  double          total_opens;
  double          proxy_excluded_unique_opens;
  double          unique_clicks;
  double          total_clicks;
  double          unsubscribes;
  double          complaints;
  double          conversions;
  double          revenue;
  double          cost;
  double          profit;
  double          open_rate;
  double          click_rate;
  double          click_to_open_rate;
  double          bounce_rate;
  double          unsubscribe_rate;
  double          complaint_rate;
  double          conversion_rate;
  double          revenue_per_recipient;
  double          roi;
  double          roas;
  double          cost_per_conversion;
  char           *currency;
  /*< private >*/
  gatomicrefcount ref_count;
} HeraldKpis;

#define HERALD_TYPE_KPIS (herald_kpis_get_type ())

/* A link of a campaign's report; NAN where the report had no count. */
typedef struct
{
  char   *url;
  double  total_clicks;
  double  unique_clicks;
} HeraldCampaignLink;

/* What an A/B test compares: the share of recipients who opened, clicked
 * or converted. */
typedef enum
{
  HERALD_AB_METRIC_OPENS,
  HERALD_AB_METRIC_CLICKS,
  HERALD_AB_METRIC_CONVERSIONS,
  HERALD_N_AB_METRICS
} HeraldAbMetric;

typedef struct
{
  char   *variant;
  double  recipients;
  double  successes;
  double  rate;
} HeraldAbVariant;

/* The variants of a campaign, the best first, and whether the best beats
 * the runner-up: a two-proportion z-test, a winner only when p < 0.05. */
typedef struct
{
  HeraldAbMetric  metric;
  GPtrArray      *variants;  /* HeraldAbVariant */
  double          z;
  double          p_value;
  /* Each variant had at least five successes and five failures, so the
   * test's normal approximation holds. */
  gboolean        enough_data;
  gboolean        significant;
} HeraldAbTest;

GQuark               herald_results_error_quark  (void);

const char          *herald_results_preset_key   (HeraldResultsPreset   preset);
gboolean             herald_results_preset_from_key (const char        *key,
                                                  HeraldResultsPreset  *preset);

HeraldResultsReport *herald_results_import       (HeraldWorkspace      *workspace,
                                                  const char           *path,
                                                  HeraldResultsPreset   preset,
                                                  const char           *campaign,
                                                  GCancellable         *cancellable,
                                                  GError              **error);
void                 herald_results_import_async (HeraldWorkspace      *workspace,
                                                  const char           *path,
                                                  HeraldResultsPreset   preset,
                                                  const HeraldResultsMapping *mapping,
                                                  const char           *campaign,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
HeraldResultsReport *herald_results_import_finish (HeraldWorkspace     *workspace,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void                 herald_results_report_free  (HeraldResultsReport  *report);

HeraldResultsMapping *herald_results_mapping_detect (const char          *path,
                                                  HeraldResultsPreset   preset,
                                                  GError              **error);
HeraldResultsMapping *herald_results_mapping_copy (const HeraldResultsMapping *mapping);
void                 herald_results_mapping_free (HeraldResultsMapping *mapping);
gboolean             herald_results_mapping_set  (HeraldResultsMapping *mapping,
                                                  const char           *key,
                                                  const char           *column,
                                                  GError              **error);
gboolean             herald_results_mapping_check (const HeraldResultsMapping *mapping,
                                                  const char           *campaign,
                                                  GError              **error);
const char          *herald_results_column_key   (HeraldResultsColumn   column);
const char          *herald_results_column_label (HeraldResultsColumn   column);
gboolean             herald_results_column_used  (HeraldResultsPreset   preset,
                                                  HeraldResultsColumn   column);
HeraldResultsReport *herald_results_import_mapped (HeraldWorkspace     *workspace,
                                                  const char           *path,
                                                  const HeraldResultsMapping *mapping,
                                                  const char           *campaign,
                                                  GFileProgressCallback progress,
                                                  gpointer              progress_data,
                                                  GCancellable         *cancellable,
                                                  GError              **error);
char                *herald_results_report_to_json (HeraldResultsReport *report);
char                *herald_results_report_describe (const HeraldResultsReport *report);

GType                herald_kpis_get_type        (void) G_GNUC_CONST;
HeraldKpis          *herald_kpis_ref             (HeraldKpis           *self);
void                 herald_kpis_unref           (HeraldKpis           *self);
HeraldKpis          *herald_campaign_get_kpis    (HeraldWorkspace      *workspace,
                                                  const char           *campaign,
                                                  GError              **error);
GPtrArray           *herald_campaigns_list_kpis  (HeraldWorkspace      *workspace,
                                                  GError              **error);
GPtrArray           *herald_template_list_kpis   (HeraldWorkspace      *workspace,
                                                  const char           *template,
                                                  GError              **error);
char                *herald_template_describe_results (HeraldWorkspace *workspace,
                                                  const char           *template);
GPtrArray           *herald_segment_list_kpis    (HeraldWorkspace      *workspace,
                                                  const char           *segment,
                                                  GError              **error);
char                *herald_segment_describe_results (HeraldWorkspace  *workspace,
                                                  const char           *segment);
gboolean             herald_campaign_get_origin  (HeraldWorkspace      *workspace,
                                                  const char           *campaign,
                                                  char                **template,
                                                  char                **flow,
                                                  char                **step,
                                                  char                **segment,
                                                  GError              **error);
gboolean             herald_campaign_set_template (HeraldWorkspace     *workspace,
                                                  const char           *campaign,
                                                  const char           *template,
                                                  GError              **error);
gboolean             herald_campaign_set_segment (HeraldWorkspace      *workspace,
                                                  const char           *campaign,
                                                  const char           *segment,
                                                  GError              **error);
gboolean             herald_campaign_set_origin  (HeraldWorkspace      *workspace,
                                                  const char           *campaign,
                                                  const char           *template,
                                                  const char           *flow,
                                                  const char           *step,
                                                  const char           *segment,
                                                  GError              **error);
char                *herald_kpis_to_json         (const HeraldKpis     *self);
GPtrArray           *herald_campaign_list_links  (HeraldWorkspace      *workspace,
                                                  const char           *campaign,
                                                  GError              **error);
void                 herald_campaign_link_free   (HeraldCampaignLink   *link);
gboolean             herald_campaign_set_costs   (HeraldWorkspace      *workspace,
                                                  const char           *campaign,
                                                  double                fixed,
                                                  double                per_1000,
                                                  double                labour,
                                                  GError              **error);
gboolean             herald_campaign_get_costs   (HeraldWorkspace      *workspace,
                                                  const char           *campaign,
                                                  double               *fixed,
                                                  double               *per_1000,
                                                  double               *labour);
const char          *herald_ab_metric_key        (HeraldAbMetric        metric);
gboolean             herald_ab_metric_from_key   (const char           *key,
                                                  HeraldAbMetric       *metric);
double               herald_two_proportion_z_test (double               successes_a,
                                                  double               trials_a,
                                                  double               successes_b,
                                                  double               trials_b,
                                                  double              *p_value);
HeraldAbTest        *herald_campaign_ab_test     (HeraldWorkspace      *workspace,
                                                  const char           *campaign,
                                                  HeraldAbMetric        metric,
                                                  GError              **error);
char                *herald_ab_test_describe     (const HeraldAbTest   *test);
void                 herald_ab_test_free         (HeraldAbTest         *test);
gboolean             herald_campaign_link_flow   (HeraldWorkspace      *workspace,
                                                  const char           *campaign,
                                                  const char           *flow,
                                                  const char           *step,
                                                  GError              **error);
guint                herald_results_get_attribution_window (HeraldWorkspace *workspace);
gboolean             herald_results_set_attribution_window (HeraldWorkspace *workspace,
                                                  guint                 days,
                                                  GError              **error);
GHashTable          *herald_flow_get_actuals     (HeraldWorkspace      *workspace,
                                                  const char           *flow,
                                                  GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldKpis, herald_kpis_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldResultsReport, herald_results_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldAbTest, herald_ab_test_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldResultsMapping, herald_results_mapping_free)

G_END_DECLS
