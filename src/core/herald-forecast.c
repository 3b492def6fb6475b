/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-forecast"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "herald-forecast.h"
#include "herald-json-private.h"
#include "herald-format.h"
#include "herald-results.h"
#include "herald-segments.h"
#include "herald-workspace-private.h"

/* Past results count once this many emails were delivered: fewer say
 * more about chance than about the audience. */
#define MIN_DELIVERED 100
/* A decision that waits for an open or a click looks this long when its
 * step does not say. */
#define DEFAULT_WINDOW_DAYS 3.0
/* Of the opens and clicks an email gets, 90 % come on the first day,
 * 99 % by the second: the share within w days is 1 − 0.1^w. */
#define SHARE_LEFT_AFTER_A_DAY 0.1
/* Those who open do so half a day after the email, on average. */
#define DAYS_TO_RESPOND 0.5
/* A simulated loop, or a large loop solved by passing contacts round,
 * stops after this many rounds. */
#define MAX_ROUNDS 10000
/* More simulated runs add nothing a user could see. */
#define MAX_RUNS 100000
/* Loops up to this many steps are solved by elimination. */
#define DENSE_LIMIT 120

static const char * const rate_keys[HERALD_N_RATES] = {
  "open_rate", "click_rate", "conversion_rate", "bounce_rate", "unsubscribe_rate",
};
static const double rate_defaults[HERALD_N_RATES] = { 0.35, 0.05, 0.02, 0.01, 0.002 };
static const char * const cost_keys[HERALD_N_COSTS] = {
  "fixed", "per_email", "per_1000", "hourly_rate", "task_minutes",
};
static const double cost_defaults[HERALD_N_COSTS] = { 0.0, 0.0, 1.0, 40.0, 10.0 };
static const char * const source_keys[] = {
  "built-in", "preferences", "results", "template-results", "flow", "step",
};

struct _HeraldForecastBasis
{
  double        rates[HERALD_N_RATES];
  HeraldSource  rate_sources[HERALD_N_RATES];
  double        costs[HERALD_N_COSTS];
  HeraldSource  cost_sources[HERALD_N_COSTS];
  /* Template name (folded) → double[HERALD_N_RATES], NAN where unknown. */
  GHashTable   *template_rates;
  /* Segment name (folded) → gint64 count. */
  GHashTable   *segment_counts;
  /* Step id → HeraldKpis of the flow's past campaigns, or NULL. */
  GHashTable   *actuals;
  char         *currency;
};

G_DEFINE_BOXED_TYPE (HeraldForecast, herald_forecast, herald_forecast_ref, herald_forecast_unref)

/* Names */

const char *
herald_rate_key (HeraldRate rate)
{
  g_return_val_if_fail (rate < HERALD_N_RATES, NULL);
  return rate_keys[rate];
}

const char *
herald_rate_label (HeraldRate rate)
{
  static const char * const labels[HERALD_N_RATES] = {
    N_("Open rate"), N_("Click rate"), N_("Conversion rate"), N_("Bounce rate"), N_("Unsubscribe rate"),
  };

  g_return_val_if_fail (rate < HERALD_N_RATES, NULL);
  return _(labels[rate]);
}

const char *
herald_cost_key (HeraldCost cost)
{
  g_return_val_if_fail (cost < HERALD_N_COSTS, NULL);
  return cost_keys[cost];
}

const char *
herald_cost_label (HeraldCost cost)
{
  static const char * const labels[HERALD_N_COSTS] = {
    N_("Fixed costs"), N_("Cost per email"), N_("Cost per 1,000 emails"), N_("Hourly rate for tasks"),
    N_("Minutes per task and contact"),
  };

  g_return_val_if_fail (cost < HERALD_N_COSTS, NULL);
  return _(labels[cost]);
}

const char *
herald_source_key (HeraldSource source)
{
  g_return_val_if_fail (source < G_N_ELEMENTS (source_keys), NULL);
  return source_keys[source];
}

const char *
herald_source_label (HeraldSource source)
{
  static const char * const labels[] = {
    N_("Herald’s default"), N_("Your preferences"), N_("Past results of this workspace"),
    N_("Past results of this template"), N_("Set for this flow"), N_("Set for this step"),
  };

  g_return_val_if_fail (source < G_N_ELEMENTS (labels), NULL);
  return _(labels[source]);
}

double
herald_rate_default (HeraldRate rate)
{
  g_return_val_if_fail (rate < HERALD_N_RATES, NAN);
  return rate_defaults[rate];
}

double
herald_cost_default (HeraldCost cost)
{
  g_return_val_if_fail (cost < HERALD_N_COSTS, NAN);
  return cost_defaults[cost];
}

/* The basis */

/* Herald's own defaults, for a flow outside any workspace. */
HeraldForecastBasis *
herald_forecast_basis_new (void)
{
  HeraldForecastBasis *self = g_new0 (HeraldForecastBasis, 1);

  for (guint i = 0; i < HERALD_N_RATES; i++)
    self->rates[i] = rate_defaults[i];
  for (guint i = 0; i < HERALD_N_COSTS; i++)
    self->costs[i] = cost_defaults[i];
  self->template_rates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->segment_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->currency = g_strdup ("EUR");
  return self;
}

void
herald_forecast_basis_free (HeraldForecastBasis *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->template_rates);
  g_hash_table_unref (self->segment_counts);
  g_clear_pointer (&self->actuals, g_hash_table_unref);
  g_free (self->currency);
  g_free (self);
}

void
herald_forecast_basis_set_segment_count (HeraldForecastBasis *self,
                                         const char          *segment,
                                         gint64               count)
{
  g_return_if_fail (self != NULL && segment != NULL);

  g_hash_table_insert (self->segment_counts, g_utf8_casefold (segment, -1), g_memdup2 (&count, sizeof count));
}

/* Returns: the segment's count, or -1 when it is not known */
gint64
herald_forecast_basis_get_segment_count (const HeraldForecastBasis *self,
                                         const char                *segment)
{
  g_autofree char *key = NULL;
  gint64 *count;

  g_return_val_if_fail (self != NULL, -1);

  if (segment == NULL)
    return -1;
  key = g_utf8_casefold (segment, -1);
  count = g_hash_table_lookup (self->segment_counts, key);
  return count != NULL ? *count : -1;
}

/* Adds up the counts of past campaigns, of one template or (NULL) all:
 * sent, delivered, bounces, unique opens, unique clicks, unsubscribes,
 * conversions. A campaign with a report counts by its report; one known
 * only by per-recipient events counts each contact once per kind, as
 * unique opens and clicks do. */
static gboolean
count_results (sqlite3     *db,
               const char  *template,
               double       counts[7],
               GError     **error)
{
  static const char * const queries[] = {
    "WITH once AS ("
    "  SELECT e.kind FROM events e JOIN campaigns c ON c.id = e.campaign_id"
    "  WHERE (?1 IS NULL OR c.template_id = (SELECT id FROM templates WHERE name = ?1))"
    "   AND NOT EXISTS (SELECT 1 FROM campaign_results r WHERE r.campaign_id = c.id)"
    "  GROUP BY e.campaign_id, e.contact_id, e.kind)"
    "SELECT count(*) FILTER (WHERE kind = 'sent'), count(*) FILTER (WHERE kind = 'delivered'),"
    "       count(*) FILTER (WHERE kind = 'bounce'), count(*) FILTER (WHERE kind = 'open'),"
    "       count(*) FILTER (WHERE kind = 'click'), count(*) FILTER (WHERE kind = 'unsubscribe'),"
    "       count(*) FILTER (WHERE kind = 'conversion')"
    "FROM once",
    /* Reports without a count of sends or deliveries give it from the other. */
    "SELECT total (coalesce (r.sent, r.delivered + coalesce (r.soft_bounces, 0) + coalesce (r.hard_bounces, 0))),"
    "       total (coalesce (r.delivered, r.sent - coalesce (r.soft_bounces, 0) - coalesce (r.hard_bounces, 0))),"
    "       total (coalesce (r.soft_bounces, 0) + coalesce (r.hard_bounces, 0)),"
    "       total (r.unique_opens), total (r.unique_clicks), total (r.unsubscribes), total (r.orders)"
    " FROM campaign_results r JOIN campaigns c ON c.id = r.campaign_id"
    " WHERE r.variant = '' AND (?1 IS NULL OR c.template_id = (SELECT id FROM templates WHERE name = ?1))",
  };

  for (guint i = 0; i < 7; i++)
    counts[i] = 0;
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      sqlite3_stmt *stmt = NULL;
      double row[7];

      if (sqlite3_prepare_v2 (db, queries[q], -1, &stmt, NULL) != SQLITE_OK
          || (template != NULL && sqlite3_bind_text (stmt, 1, template, -1, SQLITE_TRANSIENT) != SQLITE_OK)
          || sqlite3_step (stmt) != SQLITE_ROW)
        {
          g_set_error (error, HERALD_WORKSPACE_ERROR, HERALD_WORKSPACE_ERROR_DATABASE,
                       _("Could not read past results: %s"), sqlite3_errmsg (db));
          sqlite3_finalize (stmt);
          return FALSE;
        }
      for (guint i = 0; i < 7; i++)
        row[i] = sqlite3_column_double (stmt, i);
      sqlite3_finalize (stmt);
      /* Events may log deliveries without sends, or sends with bounces. */
      if (q == 0 && row[0] == 0)
        row[0] = row[1] + row[2];
      else if (q == 0)
        row[1] = row[0] - row[2];
      for (guint i = 0; i < 7; i++)
        counts[i] += row[i];
    }
  return TRUE;
}

/* The rates past results show, for one template or (NULL) all of them;
 * NAN where too few emails went out to tell. */
static gboolean
load_result_rates (sqlite3     *db,
                   const char  *template,
                   double       rates[HERALD_N_RATES],
                   GError     **error)
{
  double counts[7];

  for (guint i = 0; i < HERALD_N_RATES; i++)
    rates[i] = NAN;
  if (!count_results (db, template, counts, error))
    return FALSE;
  if (counts[1] >= MIN_DELIVERED)
    {
      rates[HERALD_RATE_OPEN] = counts[3] / counts[1];
      rates[HERALD_RATE_CLICK] = counts[4] / counts[1];
      rates[HERALD_RATE_UNSUBSCRIBE] = counts[5] / counts[1];
      rates[HERALD_RATE_CONVERSION] = counts[6] / counts[1];
      rates[HERALD_RATE_BOUNCE] = counts[0] > 0 ? counts[2] / counts[0] : 0;
    }
  return TRUE;
}

/**
 * herald_forecast_get_preference:
 * @key: a rate's or a cost's key, such as "open_rate" or "per_email"
 *
 * Returns: the value the user set in the preferences (the workspace
 *   setting "forecast.@key"), or NAN when there is none a forecast could
 *   use: a rate must be a fraction, a cost not negative
 */
double
herald_forecast_get_preference (HeraldWorkspace *workspace,
                                const char      *key)
{
  g_autofree char *setting_key = g_strconcat ("forecast.", key, NULL);
  g_autofree char *text = herald_workspace_get_setting (workspace, setting_key);
  gboolean rate = FALSE;
  char *end = NULL;
  double number;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NAN);

  if (text == NULL)
    return NAN;
  for (guint i = 0; i < HERALD_N_RATES; i++)
    rate |= g_str_equal (key, rate_keys[i]);
  number = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (number) || number < 0 || (rate && number > 1))
    return NAN;
  return number;
}

static void
load_preference (HeraldWorkspace *workspace,
                 const char      *key,
                 double          *value,
                 HeraldSource    *source)
{
  double number = herald_forecast_get_preference (workspace, key);

  if (isnan (number))
    return;
  *value = number;
  *source = HERALD_SOURCE_PREFERENCES;
}

/**
 * herald_forecast_basis_load:
 * @flow: (nullable): the flow whose templates and segments matter
 *
 * Reads the workspace's preferences (settings "forecast.open_rate", …,
 * "forecast.per_email", …), the rates of its past results overall and for
 * each template @flow sends, and the size of each segment its triggers
 * name.
 */
HeraldForecastBasis *
herald_forecast_basis_load (HeraldWorkspace  *workspace,
                            HeraldFlow       *flow,
                            GCancellable     *cancellable,
                            GError          **error)
{
  g_autoptr(HeraldForecastBasis) self = herald_forecast_basis_new ();
  sqlite3 *db;
  double rates[HERALD_N_RATES];
  g_autofree char *currency = NULL;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);

  db = _herald_workspace_get_db (workspace);
  for (guint i = 0; i < HERALD_N_RATES; i++)
    load_preference (workspace, rate_keys[i], &self->rates[i], &self->rate_sources[i]);
  for (guint i = 0; i < HERALD_N_COSTS; i++)
    load_preference (workspace, cost_keys[i], &self->costs[i], &self->cost_sources[i]);
  if ((currency = herald_workspace_get_setting (workspace, "currency")) != NULL)
    {
      g_free (self->currency);
      self->currency = g_steal_pointer (&currency);
    }

  if (!load_result_rates (db, NULL, rates, error))
    return NULL;
  for (guint i = 0; i < HERALD_N_RATES; i++)
    if (!isnan (rates[i]))
      {
        self->rates[i] = rates[i];
        self->rate_sources[i] = HERALD_SOURCE_RESULTS;
      }

  /* What the flow's steps brought when it ran, to set against the forecast. */
  if (flow != NULL && (self->actuals = herald_flow_get_actuals (workspace, herald_flow_get_name (flow), error)) == NULL)
    return NULL;
  if (self->actuals != NULL && g_hash_table_size (self->actuals) == 0)
    g_clear_pointer (&self->actuals, g_hash_table_unref);

  for (guint i = 0; flow != NULL && i < herald_flow_get_nodes (flow)->len; i++)
    {
      HeraldFlowNode *node = herald_flow_get_nodes (flow)->pdata[i];
      const char *name;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (node->type == HERALD_FLOW_NODE_EMAIL
          && (name = json_object_get_string_member_with_default (node->config, "template", NULL)) != NULL)
        {
          g_autofree char *key = g_utf8_casefold (name, -1);

          if (g_hash_table_contains (self->template_rates, key))
            continue;
          if (!load_result_rates (db, name, rates, error))
            return NULL;
          g_hash_table_insert (self->template_rates, g_steal_pointer (&key), g_memdup2 (rates, sizeof rates));
        }
      else if (node->type == HERALD_FLOW_NODE_TRIGGER
               && (name = json_object_get_string_member_with_default (node->config, "segment", NULL)) != NULL
               && herald_forecast_basis_get_segment_count (self, name) < 0)
        {
          g_autoptr(GError) count_error = NULL;
          gint64 count = herald_segments_count (workspace, name, cancellable, &count_error);

          /* A segment not written yet counts nobody; the flow says so itself. */
          if (count >= 0)
            herald_forecast_basis_set_segment_count (self, name, count);
          else if (g_error_matches (count_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&count_error));
              return NULL;
            }
        }
    }

  return g_steal_pointer (&self);
}

typedef struct
{
  char       *path;
  HeraldFlow *flow;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->path);
  herald_flow_unref (data->flow);
  g_free (data);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(HeraldWorkspace) workspace = NULL;
  HeraldForecastBasis *basis;
  GError *error = NULL;

  if (!(workspace = herald_workspace_open (data->path, HERALD_WORKSPACE_OPEN_PRIVATE, &error))
      || !(basis = herald_forecast_basis_load (workspace, data->flow, cancellable, &error)))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, basis, (GDestroyNotify) herald_forecast_basis_free);
}

/* Loads the basis in a worker thread on a connection of its own: counting
 * a large segment must not stop the window. */
void
herald_forecast_basis_load_async (HeraldWorkspace     *workspace,
                                  HeraldFlow          *flow,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (HERALD_IS_WORKSPACE (workspace));
  g_return_if_fail (flow != NULL);

  data = g_new0 (LoadData, 1);
  data->path = g_strdup (herald_workspace_get_path (workspace));
  /* The thread reads a copy: the canvas goes on editing the flow. */
  {
    g_autofree char *json = herald_flow_to_json (flow);

    data->flow = herald_flow_load (json, herald_flow_get_name (flow), NULL);
  }
  task = g_task_new (workspace, cancellable, callback, user_data);
  g_task_set_source_tag (task, herald_forecast_basis_load_async);
  if (data->flow == NULL)
    {
      g_free (data->path);
      g_free (data);
      g_task_return_new_error (task, HERALD_FLOW_ERROR, HERALD_FLOW_ERROR_INVALID, "%s",
                               _("The flow could not be read for its forecast."));
      return;
    }
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

HeraldForecastBasis *
herald_forecast_basis_load_finish (HeraldWorkspace  *workspace,
                                   GAsyncResult     *result,
                                   GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, workspace), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Computing */

typedef struct
{
  HeraldFlowNode *node;
  double          rates[HERALD_N_RATES];
  HeraldSource    sources[HERALD_N_RATES];
  /* Of the contacts that arrive, the share that goes on: bounces and
   * unsubscribes leave at an email. */
  double          keep;
  /* Indexes into the edges, and for each the share of those going on
   * that takes it and the days it adds. */
  GArray         *out;
  double          entry;
  int             scc;
} Step;

typedef struct
{
  guint   to;
  guint   edge;
  double  share;
  double  delay;
} Out;

typedef struct
{
  GPtrArray  *nodes;
  Step       *steps;
  guint       n;
  GHashTable *index;
  /* Strongly connected components in topological order, each a GArray of
   * step indexes. */
  GPtrArray  *sccs;
} Graph;

static double
config_number (JsonObject *config,
               const char *key,
               double      fallback)
{
  JsonNode *member = json_object_get_member (config, key);

  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member)
      || (json_node_get_value_type (member) != G_TYPE_DOUBLE && json_node_get_value_type (member) != G_TYPE_INT64))
    return fallback;
  return json_node_get_double (member);
}

static void
step_rates (Step                      *step,
            HeraldFlow                *flow,
            const HeraldForecastBasis *basis,
            const HeraldForecastOptions *options)
{
  double *template_rates = NULL;
  const char *template;

  if (step->node->type == HERALD_FLOW_NODE_EMAIL
      && (template = json_object_get_string_member_with_default (step->node->config, "template", NULL)) != NULL)
    {
      g_autofree char *key = g_utf8_casefold (template, -1);

      template_rates = g_hash_table_lookup (basis->template_rates, key);
    }

  for (guint i = 0; i < HERALD_N_RATES; i++)
    {
      double value = config_number (step->node->config, rate_keys[i], NAN);

      if (!isnan (value) && value >= 0 && value <= 1)
        step->sources[i] = HERALD_SOURCE_STEP;
      else if (herald_flow_lookup_figure (flow, "assumptions", rate_keys[i], &value) && value >= 0 && value <= 1)
        step->sources[i] = HERALD_SOURCE_FLOW;
      else if (template_rates != NULL && !isnan (template_rates[i]))
        {
          value = template_rates[i];
          step->sources[i] = HERALD_SOURCE_TEMPLATE_RESULTS;
        }
      else
        {
          value = basis->rates[i];
          step->sources[i] = basis->rate_sources[i];
        }
      if (i == HERALD_RATE_OPEN || i == HERALD_RATE_CLICK || i == HERALD_RATE_CONVERSION)
        value = CLAMP (value * options->what_if, 0.0, 1.0);
      step->rates[i] = value;
    }
}

/* The share of contacts that take each port of a step. */
static double
port_share (Graph      *graph,
            Step       *step,
            const char *port)
{
  JsonObject *config = step->node->config;

  switch (step->node->type)
    {
    case HERALD_FLOW_NODE_CONDITION:
      {
        const char *kind = json_object_get_string_member_with_default (config, "kind", "");
        double yes;

        if (g_str_equal (kind, "opened") || g_str_equal (kind, "clicked"))
          {
            const char *email = json_object_get_string_member_with_default (config, "email", "");
            gpointer index;
            HeraldRate rate = g_str_equal (kind, "opened") ? HERALD_RATE_OPEN : HERALD_RATE_CLICK;
            double window = MAX (config_number (config, "within_days", DEFAULT_WINDOW_DAYS), 0);

            /* The email asked about sets the odds; without it, this step's. */
            if (g_hash_table_lookup_extended (graph->index, email, NULL, &index))
              yes = graph->steps[GPOINTER_TO_UINT (index)].rates[rate];
            else
              yes = step->rates[rate];
            yes *= 1 - pow (SHARE_LEFT_AFTER_A_DAY, window);
          }
        else
          yes = CLAMP (config_number (config, "rate", 0.5), 0.0, 1.0);
        return g_str_equal (port, "yes") ? yes : 1 - yes;
      }

    case HERALD_FLOW_NODE_SPLIT:
      {
        JsonArray *weights = json_object_get_array_member (config, "weights");
        guint64 index;
        double total = 0;
        guint n = weights != NULL ? json_array_get_length (weights) : 0;

        if (n == 0 || !g_ascii_string_to_unsigned (port, 10, 0, n - 1, &index, NULL))
          return 0;
        for (guint i = 0; i < n; i++)
          total += MAX (json_array_get_double_element (weights, i), 0);
        return total > 0 ? MAX (json_array_get_double_element (weights, index), 0) / total : 1.0 / n;
      }

    case HERALD_FLOW_NODE_TRIGGER:
    case HERALD_FLOW_NODE_EMAIL:
    case HERALD_FLOW_NODE_WAIT:
    case HERALD_FLOW_NODE_ACTION:
    case HERALD_FLOW_NODE_TASK:
    case HERALD_FLOW_NODE_GOAL:
    case HERALD_FLOW_NODE_EXIT:
    case HERALD_N_FLOW_NODE_TYPES:
    default:
      return 1;
    }
}

/* The days a port adds: a wait's duration, a decision's window. */
static double
port_delay (Step       *step,
            const char *port)
{
  JsonObject *config = step->node->config;

  if (step->node->type == HERALD_FLOW_NODE_WAIT)
    return MAX (config_number (config, "days", 0), 0) + MAX (config_number (config, "hours", 0), 0) / 24;
  if (step->node->type == HERALD_FLOW_NODE_CONDITION)
    {
      const char *kind = json_object_get_string_member_with_default (config, "kind", "");
      double window = MAX (config_number (config, "within_days", DEFAULT_WINDOW_DAYS), 0);

      if (g_str_equal (kind, "opened") || g_str_equal (kind, "clicked"))
        return g_str_equal (port, "yes") ? MIN (DAYS_TO_RESPOND, window) : window;
    }
  return 0;
}

/* Tarjan's algorithm without recursion, so a long chain cannot overflow
 * the stack. Components come out sinks first; they are stored reversed,
 * in the order contacts reach them. */
static void
find_components (Graph *graph)
{
  g_autofree int *index = g_new (int, graph->n);
  g_autofree int *low = g_new (int, graph->n);
  g_autofree gboolean *on_stack = g_new0 (gboolean, graph->n);
  g_autofree guint *next_out = g_new0 (guint, graph->n);
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) calls = g_array_new (FALSE, FALSE, sizeof (guint));
  int counter = 0;

  for (guint i = 0; i < graph->n; i++)
    index[i] = -1;
  graph->sccs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);

  for (guint root = 0; root < graph->n; root++)
    {
      if (index[root] >= 0)
        continue;
      g_array_append_val (calls, root);
      index[root] = low[root] = counter++;
      g_array_append_val (stack, root);
      on_stack[root] = TRUE;

      while (calls->len > 0)
        {
          guint v = g_array_index (calls, guint, calls->len - 1);
          Step *step = &graph->steps[v];

          if (next_out[v] < step->out->len)
            {
              guint w = g_array_index (step->out, Out, next_out[v]++).to;

              if (index[w] < 0)
                {
                  index[w] = low[w] = counter++;
                  g_array_append_val (stack, w);
                  on_stack[w] = TRUE;
                  g_array_append_val (calls, w);
                }
              else if (on_stack[w])
                low[v] = MIN (low[v], index[w]);
              continue;
            }

          g_array_set_size (calls, calls->len - 1);
          if (calls->len > 0)
            {
              guint parent = g_array_index (calls, guint, calls->len - 1);

              low[parent] = MIN (low[parent], low[v]);
            }
          if (low[v] == index[v])
            {
              GArray *component = g_array_new (FALSE, FALSE, sizeof (guint));
              guint w;

              do
                {
                  w = g_array_index (stack, guint, stack->len - 1);
                  g_array_set_size (stack, stack->len - 1);
                  on_stack[w] = FALSE;
                  graph->steps[w].scc = graph->sccs->len;
                  g_array_append_val (component, w);
                }
              while (w != v);
              g_ptr_array_add (graph->sccs, component);
            }
        }
    }

  /* Sources first, and each component's number to match. */
  for (guint i = 0, j = graph->sccs->len; i + 1 < j; i++, j--)
    {
      gpointer swap = graph->sccs->pdata[i];

      graph->sccs->pdata[i] = graph->sccs->pdata[j - 1];
      graph->sccs->pdata[j - 1] = swap;
    }
  for (guint i = 0; i < graph->sccs->len; i++)
    {
      GArray *component = graph->sccs->pdata[i];

      for (guint k = 0; k < component->len; k++)
        graph->steps[g_array_index (component, guint, k)].scc = i;
    }
}

static void
graph_clear (Graph *graph)
{
  for (guint i = 0; i < graph->n; i++)
    g_array_unref (graph->steps[i].out);
  g_free (graph->steps);
  g_clear_pointer (&graph->index, g_hash_table_unref);
  g_clear_pointer (&graph->sccs, g_ptr_array_unref);
}

static void
graph_init (Graph                       *graph,
            HeraldFlow                  *flow,
            const HeraldForecastBasis   *basis,
            const HeraldForecastOptions *options,
            double                      *audience)
{
  GPtrArray *edges = herald_flow_get_edges (flow);
  g_autoptr(GHashTable) siblings = NULL;
  guint triggers = 0;

  graph->nodes = herald_flow_get_nodes (flow);
  graph->n = graph->nodes->len;
  graph->steps = g_new0 (Step, graph->n);
  graph->index = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < graph->n; i++)
    {
      Step *step = &graph->steps[i];

      step->node = graph->nodes->pdata[i];
      step->out = g_array_new (FALSE, FALSE, sizeof (Out));
      g_hash_table_insert (graph->index, step->node->id, GUINT_TO_POINTER (i));
      step_rates (step, flow, basis, options);
      step->keep = step->node->type == HERALD_FLOW_NODE_EMAIL
                   ? (1 - step->rates[HERALD_RATE_BOUNCE]) * (1 - step->rates[HERALD_RATE_UNSUBSCRIBE])
                   : 1;
      triggers += step->node->type == HERALD_FLOW_NODE_TRIGGER;
    }

  /* Each port's share goes to its edges, evenly when it has several. */
  siblings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint e = 0; e < edges->len; e++)
    {
      HeraldFlowEdge *edge = edges->pdata[e];
      char *key = g_strconcat (edge->from, "\n", edge->port != NULL ? edge->port : "out", NULL);

      g_hash_table_insert (siblings, key, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (siblings, key)) + 1));
    }
  for (guint e = 0; e < edges->len; e++)
    {
      HeraldFlowEdge *edge = edges->pdata[e];
      const char *port = edge->port != NULL ? edge->port : "out";
      g_autofree char *key = g_strconcat (edge->from, "\n", port, NULL);
      gpointer from, to;
      Out out;

      if (!g_hash_table_lookup_extended (graph->index, edge->from, NULL, &from)
          || !g_hash_table_lookup_extended (graph->index, edge->to, NULL, &to))
        continue;
      out.to = GPOINTER_TO_UINT (to);
      out.edge = e;
      out.share = port_share (graph, &graph->steps[GPOINTER_TO_UINT (from)], port)
                  / MAX (GPOINTER_TO_UINT (g_hash_table_lookup (siblings, key)), 1);
      out.delay = port_delay (&graph->steps[GPOINTER_TO_UINT (from)], port);
      g_array_append_val (graph->steps[GPOINTER_TO_UINT (from)].out, out);
    }

  /* Who enters: the audience given, shared by the triggers, or else the
   * segment each trigger names. */
  *audience = 0;
  for (guint i = 0; i < graph->n; i++)
    {
      Step *step = &graph->steps[i];

      if (step->node->type != HERALD_FLOW_NODE_TRIGGER)
        continue;
      if (options->audience >= 0)
        step->entry = options->audience / triggers;
      else
        step->entry = MAX (herald_forecast_basis_get_segment_count (
                             basis, json_object_get_string_member_with_default (step->node->config, "segment", NULL)),
                           0);
      *audience += step->entry;
    }

  find_components (graph);
}

/* Solves (I − A) x = b in place for a small dense system, b holding
 * several right-hand sides. Returns FALSE when contacts never leave. */
static gboolean
solve (double *a,
       double *b,
       guint   k,
       guint   columns)
{
  for (guint c = 0; c < k; c++)
    {
      guint pivot = c;

      for (guint r = c + 1; r < k; r++)
        if (fabs (a[r * k + c]) > fabs (a[pivot * k + c]))
          pivot = r;
      if (fabs (a[pivot * k + c]) < 1e-12)
        return FALSE;
      if (pivot != c)
        {
          for (guint j = 0; j < k; j++)
            {
              double swap = a[c * k + j];

              a[c * k + j] = a[pivot * k + j];
              a[pivot * k + j] = swap;
            }
          for (guint j = 0; j < columns; j++)
            {
              double swap = b[c * columns + j];

              b[c * columns + j] = b[pivot * columns + j];
              b[pivot * columns + j] = swap;
            }
        }
      for (guint r = 0; r < k; r++)
        {
          double factor;

          if (r == c || a[r * k + c] == 0)
            continue;
          factor = a[r * k + c] / a[c * k + c];
          for (guint j = c; j < k; j++)
            a[r * k + j] -= factor * a[c * k + j];
          for (guint j = 0; j < columns; j++)
            b[r * columns + j] -= factor * b[c * columns + j];
        }
    }
  for (guint r = 0; r < k; r++)
    for (guint j = 0; j < columns; j++)
      b[r * columns + j] /= a[r * k + r];
  return TRUE;
}

/* A loop of up to DENSE_LIMIT steps is solved exactly, by elimination:
 * contacts x first, then the sum of their days m, which depends on x. */
static gboolean
solve_dense (Graph        *graph,
             GArray       *component,
             const double *inflow,
             const double *inflow_days,
             double       *x,
             double       *m)
{
  guint k = component->len;
  g_autofree double *a = g_new0 (double, k * k);
  g_autofree double *a2 = g_new0 (double, k * k);
  g_autofree double *b = g_new0 (double, k);
  g_autofree double *b2 = g_new0 (double, k);
  g_autoptr(GHashTable) position = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < k; i++)
    g_hash_table_insert (position, GUINT_TO_POINTER (g_array_index (component, guint, i)), GUINT_TO_POINTER (i));
  for (guint i = 0; i < k; i++)
    {
      guint v = g_array_index (component, guint, i);
      Step *step = &graph->steps[v];

      a[i * k + i] += 1;
      b[i] = inflow[v];
      for (guint o = 0; o < step->out->len; o++)
        {
          Out *out = &g_array_index (step->out, Out, o);
          gpointer j;

          if (g_hash_table_lookup_extended (position, GUINT_TO_POINTER (out->to), NULL, &j))
            a[GPOINTER_TO_UINT (j) * k + i] -= step->keep * out->share;
        }
    }
  memcpy (a2, a, sizeof (double) * k * k);
  if (!solve (a, b, k, 1))
    return FALSE;

  for (guint i = 0; i < k; i++)
    x[g_array_index (component, guint, i)] = MAX (b[i], 0);
  for (guint i = 0; i < k; i++)
    {
      guint v = g_array_index (component, guint, i);
      Step *step = &graph->steps[v];

      b2[i] += inflow_days[v];
      for (guint o = 0; o < step->out->len; o++)
        {
          Out *out = &g_array_index (step->out, Out, o);
          gpointer j;

          if (g_hash_table_lookup_extended (position, GUINT_TO_POINTER (out->to), NULL, &j))
            b2[GPOINTER_TO_UINT (j)] += x[v] * step->keep * out->share * out->delay;
        }
    }
  solve (a2, b2, k, 1);
  for (guint i = 0; i < k; i++)
    m[g_array_index (component, guint, i)] = MAX (b2[i], 0);
  return TRUE;
}

/* One round of a large loop: what enters it plus what its own steps pass
 * on. Returns the largest change relative to the values. */
static double
propagate (Graph        *graph,
           GArray       *component,
           const double *rhs,
           const double *x,
           const double *values,
           double       *next,
           gboolean      days)
{
  double change = 0, scale = 1e-300;

  for (guint i = 0; i < component->len; i++)
    {
      guint v = g_array_index (component, guint, i);

      next[v] = rhs[v];
    }
  for (guint i = 0; i < component->len; i++)
    {
      guint v = g_array_index (component, guint, i);
      Step *step = &graph->steps[v];

      for (guint o = 0; o < step->out->len; o++)
        {
          Out *out = &g_array_index (step->out, Out, o);

          if (graph->steps[out->to].scc != step->scc)
            continue;
          next[out->to] += (values[v] + (days ? x[v] * out->delay : 0)) * step->keep * out->share;
        }
    }
  for (guint i = 0; i < component->len; i++)
    {
      guint v = g_array_index (component, guint, i);

      change = MAX (change, fabs (next[v] - values[v]));
      scale = MAX (scale, fabs (next[v]));
    }
  return change / scale;
}

/* A larger loop would cost the cube of its size to eliminate: its sum is
 * found by passing contacts round until what is left to pass is below
 * the precision of a double, in time that grows with its edges. */
static gboolean
solve_iterating (Graph        *graph,
                 GArray       *component,
                 const double *inflow,
                 const double *inflow_days,
                 double       *x,
                 double       *m)
{
  g_autofree double *next = g_new0 (double, graph->n);
  gboolean converged = FALSE;

  for (guint i = 0; i < component->len; i++)
    {
      guint v = g_array_index (component, guint, i);

      x[v] = inflow[v];
      m[v] = inflow_days[v];
    }
  for (guint round_ = 0; round_ < MAX_ROUNDS && !converged; round_++)
    {
      converged = propagate (graph, component, inflow, x, x, next, FALSE) < 1e-13;
      for (guint i = 0; i < component->len; i++)
        x[g_array_index (component, guint, i)] = next[g_array_index (component, guint, i)];
    }
  if (!converged)
    return FALSE;
  converged = FALSE;
  for (guint round_ = 0; round_ < MAX_ROUNDS && !converged; round_++)
    {
      converged = propagate (graph, component, inflow_days, x, m, next, TRUE) < 1e-13;
      for (guint i = 0; i < component->len; i++)
        m[g_array_index (component, guint, i)] = next[g_array_index (component, guint, i)];
    }
  return converged;
}

/* Expected contacts reaching each step (x) and the sum of their days
 * since entry (m), component by component: a loop is solved exactly as
 * the linear system it is, the rest is one pass. */
static void
expected_contacts (Graph    *graph,
                   double   *x,
                   double   *m,
                   gboolean *stuck)
{
  g_autofree double *inflow = g_new0 (double, graph->n);
  g_autofree double *inflow_days = g_new0 (double, graph->n);

  for (guint i = 0; i < graph->n; i++)
    inflow[i] = graph->steps[i].entry;

  for (guint c = 0; c < graph->sccs->len; c++)
    {
      GArray *component = graph->sccs->pdata[c];
      guint k = component->len;
      gboolean loop = k > 1;

      if (k == 1)
        {
          Step *step = &graph->steps[g_array_index (component, guint, 0)];

          for (guint o = 0; o < step->out->len; o++)
            loop |= g_array_index (step->out, Out, o).to == g_array_index (component, guint, 0);
        }

      if (!loop)
        {
          guint v = g_array_index (component, guint, 0);

          x[v] = inflow[v];
          m[v] = inflow_days[v];
        }
      else if (!(k <= DENSE_LIMIT ? solve_dense (graph, component, inflow, inflow_days, x, m)
                                  : solve_iterating (graph, component, inflow, inflow_days, x, m)))
        for (guint i = 0; i < k; i++)
          {
            guint v = g_array_index (component, guint, i);

            x[v] = m[v] = NAN;
            stuck[v] = TRUE;
          }

      /* What leaves the component flows on. */
      for (guint i = 0; i < k; i++)
        {
          guint v = g_array_index (component, guint, i);
          Step *step = &graph->steps[v];

          for (guint o = 0; o < step->out->len; o++)
            {
              Out *out = &g_array_index (step->out, Out, o);

              if (graph->steps[out->to].scc == (int) c)
                continue;
              inflow[out->to] += x[v] * step->keep * out->share;
              inflow_days[out->to] += (m[v] + x[v] * out->delay) * step->keep * out->share;
            }
        }
    }
}

static void
forecast_node_free (HeraldForecastNode *node)
{
  g_free (node->id);
  g_free (node);
}

static void
forecast_edge_free (HeraldForecastEdge *edge)
{
  g_free (edge->from);
  g_free (edge->port);
  g_free (edge->to);
  g_free (edge);
}

/* What a step does to the contacts reaching it, expected or simulated. */
static void
step_figures (Step                      *step,
              const double               costs[HERALD_N_COSTS],
              HeraldForecastNode        *figures)
{
  double contacts = figures->contacts;

  switch (step->node->type)
    {
    case HERALD_FLOW_NODE_EMAIL:
      figures->sent = contacts;
      figures->bounces = contacts * step->rates[HERALD_RATE_BOUNCE];
      figures->delivered = contacts - figures->bounces;
      figures->opens = figures->delivered * step->rates[HERALD_RATE_OPEN];
      figures->clicks = figures->delivered * step->rates[HERALD_RATE_CLICK];
      figures->unsubscribes = figures->delivered * step->rates[HERALD_RATE_UNSUBSCRIBE];
      figures->cost = contacts * costs[HERALD_COST_PER_EMAIL] + contacts * costs[HERALD_COST_PER_1000] / 1000;
      break;

    case HERALD_FLOW_NODE_GOAL:
      figures->conversions = contacts * CLAMP (config_number (step->node->config, "rate",
                                                              step->rates[HERALD_RATE_CONVERSION]), 0.0, 1.0);
      figures->revenue = figures->conversions * MAX (config_number (step->node->config, "value", 0), 0);
      break;

    case HERALD_FLOW_NODE_TASK:
      figures->cost = contacts * MAX (config_number (step->node->config, "minutes", costs[HERALD_COST_TASK_MINUTES]), 0)
                      / 60 * costs[HERALD_COST_HOURLY_RATE];
      break;

    case HERALD_FLOW_NODE_ACTION:
      if (g_str_equal (json_object_get_string_member_with_default (step->node->config, "kind", ""), "unsubscribe"))
        figures->unsubscribes = contacts;
      break;

    case HERALD_FLOW_NODE_TRIGGER:
    case HERALD_FLOW_NODE_WAIT:
    case HERALD_FLOW_NODE_CONDITION:
    case HERALD_FLOW_NODE_SPLIT:
    case HERALD_FLOW_NODE_EXIT:
    case HERALD_N_FLOW_NODE_TYPES:
    default:
      break;
    }
}

static void
add_totals (HeraldForecast *self)
{
  self->profit = self->revenue - self->cost;
  self->roi = herald_ratio (self->revenue - self->cost, self->cost);
  self->roas = herald_ratio (self->revenue, self->cost);
  self->cost_per_conversion = herald_ratio (self->cost, self->conversions);
}

/* Simulation */

static double
binomial (GRand  *rng,
          double  n,
          double  p)
{
  double mean, sd, draw, u1, u2;

  if (!(n > 0) || !(p > 0))
    return 0;
  if (p >= 1)
    return n;
  if (n < 50)
    {
      double hits = 0;

      for (int i = 0; i < (int) n; i++)
        hits += g_rand_double (rng) < p;
      return hits;
    }
  /* Many trials: the normal approximation, rounded and kept in range. */
  mean = n * p;
  sd = sqrt (n * p * (1 - p));
  u1 = MAX (g_rand_double (rng), 1e-300);
  u2 = g_rand_double (rng);
  draw = round (mean + sd * sqrt (-2 * log (u1)) * cos (2 * G_PI * u2));
  return CLAMP (draw, 0, n);
}

typedef struct
{
  double emails_sent;
  double conversions;
  double revenue;
  double cost;
  double roi;
} Run;

/* One simulated run: whole contacts, each step's outcomes drawn at its
 * rates, loops followed round by round until nobody is left in them. */
static void
simulate (Graph        *graph,
          const double  costs[HERALD_N_COSTS],
          GRand        *rng,
          Run          *run)
{
  g_autofree double *pending = g_new0 (double, graph->n);

  memset (run, 0, sizeof *run);
  for (guint i = 0; i < graph->n; i++)
    pending[i] = round (graph->steps[i].entry);

  for (guint c = 0; c < graph->sccs->len; c++)
    {
      GArray *component = graph->sccs->pdata[c];

      for (guint round_ = 0; round_ < MAX_ROUNDS; round_++)
        {
          gboolean moved = FALSE;

          for (guint i = 0; i < component->len; i++)
            {
              guint v = g_array_index (component, guint, i);
              Step *step = &graph->steps[v];
              HeraldForecastNode figures = { 0 };
              double going;

              if (pending[v] <= 0)
                continue;
              moved = TRUE;
              figures.contacts = pending[v];
              pending[v] = 0;

              going = figures.contacts;
              if (step->node->type == HERALD_FLOW_NODE_EMAIL)
                {
                  double bounces = binomial (rng, going, step->rates[HERALD_RATE_BOUNCE]);
                  double delivered = going - bounces;

                  going = delivered - binomial (rng, delivered, step->rates[HERALD_RATE_UNSUBSCRIBE]);
                }
              step_figures (step, costs, &figures);
              if (step->node->type == HERALD_FLOW_NODE_GOAL)
                {
                  figures.conversions = binomial (rng, figures.contacts, figures.conversions / figures.contacts);
                  figures.revenue = figures.conversions * MAX (config_number (step->node->config, "value", 0), 0);
                }
              run->emails_sent += figures.sent;
              run->conversions += figures.conversions;
              run->revenue += figures.revenue;
              run->cost += figures.cost;

              /* Each way out draws its share of those still to place. */
              {
                double left_share = 1;

                for (guint o = 0; o < step->out->len && going > 0; o++)
                  {
                    Out *out = &g_array_index (step->out, Out, o);
                    double taking = binomial (rng, going, left_share > 0 ? out->share / left_share : 0);

                    pending[out->to] += taking;
                    going -= taking;
                    left_share -= out->share;
                  }
              }
            }
          if (!moved)
            break;
        }
    }

  run->cost += costs[HERALD_COST_FIXED];
  run->roi = herald_ratio (run->revenue - run->cost, run->cost);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The 5th and 95th percentiles, nearest rank; n/a if any run had none. */
static HeraldForecastRange
percentiles (double *values,
             guint   n)
{
  HeraldForecastRange range = { NAN, NAN };

  for (guint i = 0; i < n; i++)
    if (!isfinite (values[i]))
      return range;
  qsort (values, n, sizeof (double), compare_doubles);
  range.low = values[(guint) floor (0.05 * (n - 1))];
  range.high = values[(guint) ceil (0.95 * (n - 1))];
  return range;
}

static void
simulate_runs (HeraldForecast              *self,
               Graph                       *graph,
               const HeraldForecastOptions *options)
{
  g_autoptr(GRand) rng = g_rand_new_with_seed (options->seed);
  guint n = MIN (options->runs, MAX_RUNS);
  g_autofree double *values = g_new (double, (gsize) n * 5);

  for (guint r = 0; r < n; r++)
    {
      Run run;

      simulate (graph, self->costs, rng, &run);
      values[0 * n + r] = run.emails_sent;
      values[1 * n + r] = run.conversions;
      values[2 * n + r] = run.revenue;
      values[3 * n + r] = run.cost;
      values[4 * n + r] = run.roi;
    }
  self->runs = n;
  self->emails_sent_range = percentiles (values + 0 * n, n);
  self->conversions_range = percentiles (values + 1 * n, n);
  self->revenue_range = percentiles (values + 2 * n, n);
  self->cost_range = percentiles (values + 3 * n, n);
  self->roi_range = percentiles (values + 4 * n, n);
}

/**
 * herald_forecast_compute:
 * @basis: (nullable): the workspace's defaults, or %NULL for Herald's own
 * @options: (nullable): %NULL for HERALD_FORECAST_OPTIONS_INIT
 *
 * Computes the expected figures of every step, edge and the whole flow.
 * The expected values are exact: loops are solved as the linear systems
 * they are. The time grows with the size of the flow (and the size of
 * its largest loop).
 *
 * Returns: (transfer full): the forecast
 */
HeraldForecast *
herald_forecast_compute (HeraldFlow                  *flow,
                         const HeraldForecastBasis   *basis,
                         const HeraldForecastOptions *options)
{
  static const HeraldForecastOptions defaults = HERALD_FORECAST_OPTIONS_INIT;
  g_autoptr(HeraldForecastBasis) own_basis = NULL;
  HeraldForecast *self;
  Graph graph = { 0 };
  g_autofree double *x = NULL;
  g_autofree double *m = NULL;
  g_autofree gboolean *stuck = NULL;
  g_autoptr(GPtrArray) endless = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *edges;
  Step probe = { 0 };
  HeraldFlowNode flow_wide = { 0 };

  g_return_val_if_fail (flow != NULL, NULL);

  if (basis == NULL)
    basis = own_basis = herald_forecast_basis_new ();
  if (options == NULL)
    options = &defaults;

  self = g_new0 (HeraldForecast, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) forecast_node_free);
  self->edges = g_ptr_array_new_with_free_func ((GDestroyNotify) forecast_edge_free);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->sent_by_template = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->currency = g_strdup (basis->currency);

  /* The flow-wide assumptions are those of a step that sets none. */
  flow_wide.type = HERALD_FLOW_NODE_EXIT;
  flow_wide.config = json_object_new ();
  probe.node = &flow_wide;
  step_rates (&probe, flow, basis, &(HeraldForecastOptions) { 0, 1.0, 0, 0 });
  json_object_unref (flow_wide.config);
  memcpy (self->rates, probe.rates, sizeof self->rates);
  memcpy (self->rate_sources, probe.sources, sizeof self->rate_sources);
  for (guint i = 0; i < HERALD_N_COSTS; i++)
    {
      double value;

      if (herald_flow_lookup_figure (flow, "costs", cost_keys[i], &value) && value >= 0)
        {
          self->costs[i] = value;
          self->cost_sources[i] = HERALD_SOURCE_FLOW;
        }
      else
        {
          self->costs[i] = basis->costs[i];
          self->cost_sources[i] = basis->cost_sources[i];
        }
    }

  graph_init (&graph, flow, basis, options, &self->audience);
  x = g_new0 (double, MAX (graph.n, 1));
  m = g_new0 (double, MAX (graph.n, 1));
  stuck = g_new0 (gboolean, MAX (graph.n, 1));
  expected_contacts (&graph, x, m, stuck);
  for (guint i = 0; i < graph.n; i++)
    if (stuck[i])
      g_ptr_array_add (endless, g_strdup (graph.steps[i].node->id));

  self->days = 0;
  for (guint i = 0; i < graph.n; i++)
    {
      Step *step = &graph.steps[i];
      HeraldForecastNode *figures = g_new0 (HeraldForecastNode, 1);
      const char *template;

      figures->id = g_strdup (step->node->id);
      figures->contacts = x[i];
      step_figures (step, self->costs, figures);
      figures->days = herald_ratio (m[i], x[i]);
      if (step->node->type == HERALD_FLOW_NODE_TRIGGER && isfinite (x[i]))
        figures->days = 0;
      memcpy (figures->rates, step->rates, sizeof figures->rates);
      memcpy (figures->sources, step->sources, sizeof figures->sources);
      g_ptr_array_add (self->nodes, figures);
      g_hash_table_insert (self->by_id, figures->id, figures);

      self->emails_sent += figures->sent;
      self->delivered += figures->delivered;
      self->bounces += figures->bounces;
      self->opens += figures->opens;
      self->clicks += figures->clicks;
      self->unsubscribes += figures->unsubscribes;
      self->conversions += figures->conversions;
      self->revenue += figures->revenue;
      self->cost += figures->cost;
      if (isfinite (figures->days) && figures->days > self->days)
        self->days = figures->days;
      else if (isnan (x[i]))
        self->days = NAN;

      if (step->node->type == HERALD_FLOW_NODE_EMAIL
          && (template = json_object_get_string_member_with_default (step->node->config, "template", NULL)) != NULL
          && *template != '\0')
        {
          double *sent = g_hash_table_lookup (self->sent_by_template, template);

          if (sent == NULL)
            g_hash_table_insert (self->sent_by_template, g_strdup (template), sent = g_new0 (double, 1));
          *sent += figures->sent;
        }
    }
  self->cost += self->costs[HERALD_COST_FIXED];
  add_totals (self);

  edges = herald_flow_get_edges (flow);
  for (guint e = 0; e < edges->len; e++)
    {
      HeraldFlowEdge *edge = edges->pdata[e];
      HeraldForecastEdge *figures = g_new0 (HeraldForecastEdge, 1);

      figures->from = g_strdup (edge->from);
      figures->port = g_strdup (edge->port);
      figures->to = g_strdup (edge->to);
      g_ptr_array_add (self->edges, figures);
    }
  for (guint i = 0; i < graph.n; i++)
    {
      Step *step = &graph.steps[i];

      for (guint o = 0; o < step->out->len; o++)
        {
          Out *out = &g_array_index (step->out, Out, o);

          ((HeraldForecastEdge *) self->edges->pdata[out->edge])->contacts = x[i] * step->keep * out->share;
        }
    }

  g_ptr_array_add (endless, NULL);
  self->endless = (GStrv) g_ptr_array_steal (endless, NULL);

  self->actual_sent = self->actual_opens = self->actual_clicks = NAN;
  self->actual_conversions = self->actual_revenue = NAN;
  if (basis->actuals != NULL)
    {
      GHashTableIter iter;
      HeraldKpis *kpis;

      self->actuals = g_hash_table_ref (basis->actuals);
      self->actual_sent = self->actual_opens = self->actual_clicks = 0;
      self->actual_conversions = self->actual_revenue = 0;
      g_hash_table_iter_init (&iter, self->actuals);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &kpis))
        {
          self->actual_sent += isnan (kpis->sent) ? 0 : kpis->sent;
          self->actual_opens += isnan (kpis->unique_opens) ? 0 : kpis->unique_opens;
          self->actual_clicks += isnan (kpis->unique_clicks) ? 0 : kpis->unique_clicks;
          self->actual_conversions += isnan (kpis->conversions) ? 0 : kpis->conversions;
          self->actual_revenue += kpis->revenue;
        }
    }

  /* A loop nobody leaves has no range either: a simulation would only
   * show where it gave up. */
  if (options->runs > 0 && self->endless[0] == NULL)
    simulate_runs (self, &graph, options);
  else
    {
      HeraldForecastRange none = { NAN, NAN };

      self->emails_sent_range = self->conversions_range = self->revenue_range = none;
      self->cost_range = self->roi_range = none;
    }

  graph_clear (&graph);
  return self;
}

HeraldForecast *
herald_forecast_ref (HeraldForecast *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
herald_forecast_unref (HeraldForecast *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_ptr_array_unref (self->nodes);
  g_ptr_array_unref (self->edges);
  g_hash_table_unref (self->by_id);
  g_hash_table_unref (self->sent_by_template);
  g_strfreev (self->endless);
  g_clear_pointer (&self->actuals, g_hash_table_unref);
  g_free (self->currency);
  g_free (self);
}

const HeraldForecastNode *
herald_forecast_get_node (const HeraldForecast *self,
                          const char           *id)
{
  g_return_val_if_fail (self != NULL, NULL);

  return id != NULL ? g_hash_table_lookup (self->by_id, id) : NULL;
}

/**
 * herald_forecast_describe_node:
 *
 * Returns: (transfer full): the key figures of a step in a line, as the
 *   canvas shows them under its card
 */
char *
herald_forecast_describe_node (const HeraldForecast *self,
                               const HeraldFlowNode *node)
{
  const HeraldForecastNode *figures;
  g_autofree char *contacts = NULL;

  g_return_val_if_fail (self != NULL && node != NULL, NULL);

  if ((figures = herald_forecast_get_node (self, node->id)) == NULL)
    return NULL;
  contacts = herald_format_count (figures->contacts);
  switch (node->type)
    {
    case HERALD_FLOW_NODE_EMAIL:
      {
        g_autofree char *opens = herald_format_count (figures->opens);
        g_autofree char *clicks = herald_format_count (figures->clicks);

        /* Translators: expected figures of an email: sent, opens and clicks. */
        return g_strdup_printf (_("Sent %s · Opens %s · Clicks %s"), contacts, opens, clicks);
      }

    case HERALD_FLOW_NODE_GOAL:
      {
        g_autofree char *conversions = herald_format_count (figures->conversions);
        g_autofree char *revenue = herald_format_money (figures->revenue, self->currency);

        /* Translators: expected conversions at a goal, and the revenue they bring. */
        return g_strdup_printf (_("Conversions %s · %s"), conversions, revenue);
      }

    case HERALD_FLOW_NODE_TASK:
      {
        g_autofree char *cost = herald_format_money (figures->cost, self->currency);

        /* Translators: contacts a task reaches, and what the work costs. */
        return g_strdup_printf (_("Contacts %s · Cost %s"), contacts, cost);
      }

    case HERALD_FLOW_NODE_TRIGGER:
    case HERALD_FLOW_NODE_WAIT:
    case HERALD_FLOW_NODE_CONDITION:
    case HERALD_FLOW_NODE_SPLIT:
    case HERALD_FLOW_NODE_ACTION:
    case HERALD_FLOW_NODE_EXIT:
    case HERALD_N_FLOW_NODE_TYPES:
    default:
      /* Translators: contacts expected to reach a step. */
      return g_strdup_printf (_("Contacts %s"), contacts);
    }
}

/* JSON */

static void
add_range (JsonBuilder               *builder,
           const char                *key,
           const HeraldForecastRange *range)
{
  json_builder_set_member_name (builder, key);
  json_builder_begin_object (builder);
  _herald_json_add_figure (builder, "low", range->low);
  _herald_json_add_figure (builder, "high", range->high);
  json_builder_end_object (builder);
}

/**
 * herald_forecast_to_json:
 *
 * Returns: (transfer full): the forecast with the stable keys of
 *   `herald-cli flows forecast --json`: rates and ROI as fractions, money
 *   in the currency's major unit, n/a as null
 */
char *
herald_forecast_to_json (const HeraldForecast *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) templates = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);
  _herald_json_add_figure (builder, "audience", self->audience);
  _herald_json_add_figure (builder, "emails_sent", self->emails_sent);
  _herald_json_add_figure (builder, "delivered", self->delivered);
  _herald_json_add_figure (builder, "bounces", self->bounces);
  _herald_json_add_figure (builder, "opens", self->opens);
  _herald_json_add_figure (builder, "clicks", self->clicks);
  _herald_json_add_figure (builder, "unsubscribes", self->unsubscribes);
  _herald_json_add_figure (builder, "conversions", self->conversions);
  _herald_json_add_figure (builder, "revenue", self->revenue);
  _herald_json_add_figure (builder, "cost", self->cost);
  _herald_json_add_figure (builder, "profit", self->profit);
  _herald_json_add_figure (builder, "roi", self->roi);
  _herald_json_add_figure (builder, "roas", self->roas);
  _herald_json_add_figure (builder, "cost_per_conversion", self->cost_per_conversion);
  _herald_json_add_figure (builder, "days", self->days);
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, self->currency);

  json_builder_set_member_name (builder, "assumptions");
  json_builder_begin_object (builder);
  for (guint i = 0; i < HERALD_N_RATES; i++)
    {
      json_builder_set_member_name (builder, rate_keys[i]);
      json_builder_begin_object (builder);
      _herald_json_add_figure (builder, "value", self->rates[i]);
      json_builder_set_member_name (builder, "source");
      json_builder_add_string_value (builder, source_keys[self->rate_sources[i]]);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "costs");
  json_builder_begin_object (builder);
  for (guint i = 0; i < HERALD_N_COSTS; i++)
    {
      json_builder_set_member_name (builder, cost_keys[i]);
      json_builder_begin_object (builder);
      _herald_json_add_figure (builder, "value", self->costs[i]);
      json_builder_set_member_name (builder, "source");
      json_builder_add_string_value (builder, source_keys[self->cost_sources[i]]);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "sent_by_template");
  json_builder_begin_object (builder);
  templates = g_list_sort (g_hash_table_get_keys (self->sent_by_template), (GCompareFunc) g_strcmp0);
  for (GList *l = templates; l != NULL; l = l->next)
    _herald_json_add_figure (builder, l->data, *(double *) g_hash_table_lookup (self->sent_by_template, l->data));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "endless");
  json_builder_begin_array (builder);
  for (guint i = 0; self->endless[i] != NULL; i++)
    json_builder_add_string_value (builder, self->endless[i]);
  json_builder_end_array (builder);

  if (self->actuals != NULL)
    {
      json_builder_set_member_name (builder, "actual");
      json_builder_begin_object (builder);
      _herald_json_add_figure (builder, "emails_sent", self->actual_sent);
      _herald_json_add_figure (builder, "opens", self->actual_opens);
      _herald_json_add_figure (builder, "clicks", self->actual_clicks);
      _herald_json_add_figure (builder, "conversions", self->actual_conversions);
      _herald_json_add_figure (builder, "revenue", self->actual_revenue);
      json_builder_end_object (builder);
    }

  if (self->runs > 0)
    {
      json_builder_set_member_name (builder, "range");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "runs");
      json_builder_add_int_value (builder, self->runs);
      add_range (builder, "emails_sent", &self->emails_sent_range);
      add_range (builder, "conversions", &self->conversions_range);
      add_range (builder, "revenue", &self->revenue_range);
      add_range (builder, "cost", &self->cost_range);
      add_range (builder, "roi", &self->roi_range);
      json_builder_end_object (builder);
    }

  json_builder_set_member_name (builder, "nodes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->nodes->len; i++)
    {
      HeraldForecastNode *node = self->nodes->pdata[i];
      HeraldKpis *actual;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, node->id);
      _herald_json_add_figure (builder, "contacts", node->contacts);
      _herald_json_add_figure (builder, "sent", node->sent);
      _herald_json_add_figure (builder, "delivered", node->delivered);
      _herald_json_add_figure (builder, "bounces", node->bounces);
      _herald_json_add_figure (builder, "opens", node->opens);
      _herald_json_add_figure (builder, "clicks", node->clicks);
      _herald_json_add_figure (builder, "unsubscribes", node->unsubscribes);
      _herald_json_add_figure (builder, "conversions", node->conversions);
      _herald_json_add_figure (builder, "revenue", node->revenue);
      _herald_json_add_figure (builder, "cost", node->cost);
      _herald_json_add_figure (builder, "days", node->days);
      if (self->actuals != NULL && (actual = g_hash_table_lookup (self->actuals, node->id)) != NULL)
        {
          json_builder_set_member_name (builder, "actual");
          json_builder_begin_object (builder);
          _herald_json_add_figure (builder, "sent", actual->sent);
          _herald_json_add_figure (builder, "delivered", actual->delivered);
          _herald_json_add_figure (builder, "opens", actual->unique_opens);
          _herald_json_add_figure (builder, "clicks", actual->unique_clicks);
          _herald_json_add_figure (builder, "conversions", actual->conversions);
          _herald_json_add_figure (builder, "revenue", actual->revenue);
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "edges");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->edges->len; i++)
    {
      HeraldForecastEdge *edge = self->edges->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "from");
      json_builder_add_string_value (builder, edge->from);
      json_builder_set_member_name (builder, "port");
      json_builder_add_string_value (builder, edge->port != NULL ? edge->port : "out");
      json_builder_set_member_name (builder, "to");
      json_builder_add_string_value (builder, edge->to);
      _herald_json_add_figure (builder, "contacts", edge->contacts);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}
