/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-retention"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "herald-json-private.h"
#include "herald-format.h"
#include "herald-retention.h"
#include "herald-segments-private.h"
#include "herald-workspace-private.h"

/* Retention figures from orders, per segment.
 *
 * An order is a conversion event with an order id or a value: an order
 * imported from a shop's export, or a purchase an email service reported
 * with its value. A conversion with neither (a goal reached, a sign-up)
 * is not a purchase. An order with an id and no amount counts as an order
 * worth nothing. Only orders up to the reference time count, so figures
 * "as of" a past day are what they were then.
 *
 *   customers                = members with at least one order
 *   average order value      = revenue / orders
 *   purchase frequency       = orders / customers
 *   repeat purchase rate     = customers with two orders or more / customers
 *   churn rate               = customers whose last order is more than the
 *                              churn window (180 days by default) before the
 *                              reference time / customers
 *   expected lifetime        = 1 / churn rate, in customers' histories
 *   customer lifetime value  = average order value × purchase frequency
 *                              × expected lifetime
 *
 * The lifetime value is the simple textbook form. Average order value ×
 * purchase frequency is what a customer has spent so far; if each customer,
 * after buying for as long as they have, lapses with the probability of
 * the churn rate or else buys as much again, the expected number of such
 * spans is 1 / churn rate (a geometric distribution). When every customer
 * has lapsed the value is exactly what they spent; the fewer have lapsed,
 * the more of their buying is still to come. When nobody has lapsed yet
 * the lifetime cannot be estimated: the value is then what customers have
 * spent so far, a floor, and the expected lifetime is n/a.
 *
 * Money is kept in minor units (cents) of the workspace currency, as
 * everywhere in Herald. */

#define DAY (24 * 60 * 60)

G_DEFINE_BOXED_TYPE (HeraldRetention, herald_retention, herald_retention_ref, herald_retention_unref)

/* One pass over the members' orders; the members' condition comes first
 * in the text, so its "?" parameters are numbered from 1. */
#define RETENTION_SQL \
  "WITH members AS MATERIALIZED (SELECT c.id FROM contacts c WHERE %s)," \
  " buyers AS (SELECT e.contact_id, count(*) AS orders, sum(coalesce(e.value_minor, 0)) AS revenue_minor," \
  "   max(e.occurred_at) AS last_order" \
  "  FROM events e" \
  "  WHERE e.kind = 'conversion' AND (e.external_id IS NOT NULL OR e.value_minor IS NOT NULL)" \
  "   AND e.occurred_at <= :as_of AND e.contact_id IN (SELECT id FROM members)" \
  "  GROUP BY e.contact_id)" \
  " SELECT (SELECT count(*) FROM members), count(*), coalesce(sum(orders), 0), coalesce(sum(revenue_minor), 0)," \
  "  count(*) FILTER (WHERE orders >= 2), count(*) FILTER (WHERE last_order < :cutoff)" \
  " FROM buyers"

HeraldRetention *
herald_retention_ref (HeraldRetention *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
herald_retention_unref (HeraldRetention *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->segment);
  g_free (self->currency);
  g_free (self);
}

static HeraldRetention *
retention_new (const char *segment,
               gint64      as_of,
               guint       churn_days,
               const char *currency)
{
  HeraldRetention *self = g_new0 (HeraldRetention, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->segment = g_strdup (segment);
  self->as_of = as_of;
  self->churn_days = churn_days;
  self->currency = g_strdup (currency != NULL ? currency : "EUR");
  return self;
}

static void
derive (HeraldRetention *self)
{
  self->average_order_value = herald_ratio (self->revenue, self->orders);
  self->purchase_frequency = herald_ratio (self->orders, self->customers);
  self->repeat_purchase_rate = herald_ratio (self->repeat_customers, self->customers);
  self->churn_rate = herald_ratio (self->churned_customers, self->customers);
  self->expected_lifetime = herald_ratio (1, self->churn_rate);
  if (isnan (self->churn_rate))
    self->customer_lifetime_value = NAN;
  else if (self->churn_rate == 0)
    self->customer_lifetime_value = self->average_order_value * self->purchase_frequency;
  else
    self->customer_lifetime_value = self->average_order_value * self->purchase_frequency * self->expected_lifetime;
}

static gint64
resolve_time (gint64 as_of)
{
  return as_of > 0 ? as_of : g_get_real_time () / G_USEC_PER_SEC;
}

/* @query: the members' condition, or %NULL for every contact */
static HeraldRetention *
compute (HeraldWorkspace     *workspace,
         HeraldSegmentQuery  *query,
         const char          *segment,
         gint64               as_of,
         guint                churn_days,
         GCancellable        *cancellable,
         GError             **error)
{
  g_autofree char *sql = g_strdup_printf (RETENTION_SQL, query != NULL ? _herald_segment_query_get_where (query) : "1");
  g_autofree char *currency = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  HeraldRetention *self;

  if (!(stmt = _herald_workspace_prepare (workspace, sql, error)))
    return NULL;

  if (query != NULL)
    _herald_segment_query_bind (query, stmt, 1);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":as_of"), as_of);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":cutoff"), as_of - (gint64) churn_days * DAY);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _herald_workspace_set_db_error (workspace, error);
      return NULL;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  currency = herald_workspace_get_setting (workspace, "currency");
  self = retention_new (segment, as_of, churn_days, currency);
  self->members = sqlite3_column_int64 (stmt, 0);
  self->customers = sqlite3_column_int64 (stmt, 1);
  self->orders = sqlite3_column_int64 (stmt, 2);
  self->revenue = sqlite3_column_int64 (stmt, 3) / 100.0;
  self->repeat_customers = sqlite3_column_int64 (stmt, 4);
  self->churned_customers = sqlite3_column_int64 (stmt, 5);
  derive (self);

  return self;
}

/**
 * herald_retention_compute:
 * @segment: (nullable): a saved segment's name, or %NULL for the whole
 *   audience
 * @as_of: the reference time in Unix seconds, or 0 for now
 * @churn_days: how long without an order makes a customer lapsed
 *
 * Returns: (transfer full): the retention figures of @segment's members,
 *   or %NULL with @error set
 */
HeraldRetention *
herald_retention_compute (HeraldWorkspace  *workspace,
                          const char       *segment,
                          gint64            as_of,
                          guint             churn_days,
                          GCancellable     *cancellable,
                          GError          **error)
{
  g_autoptr(HeraldSegmentQuery) query = NULL;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (churn_days > 0, NULL);

  if (segment != NULL && !(query = _herald_segment_query_new_for_name (workspace, segment, error)))
    return NULL;

  return compute (workspace, query, segment, resolve_time (as_of), churn_days, cancellable, error);
}

/**
 * herald_retention_compute_for_rules:
 * @rules: segment rules as JSON, such as those being edited
 * @source: (nullable): what to call the rules in messages
 *
 * Like herald_retention_compute(), for the members of @rules.
 */
HeraldRetention *
herald_retention_compute_for_rules (HeraldWorkspace  *workspace,
                                    const char       *rules,
                                    const char       *source,
                                    gint64            as_of,
                                    guint             churn_days,
                                    GCancellable     *cancellable,
                                    GError          **error)
{
  g_autoptr(HeraldSegmentQuery) query = NULL;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (rules != NULL, NULL);
  g_return_val_if_fail (churn_days > 0, NULL);

  if (!(query = _herald_segment_query_new (workspace, rules, source, error)))
    return NULL;

  return compute (workspace, query, source, resolve_time (as_of), churn_days, cancellable, error);
}

typedef struct
{
  char   *path;
  char   *rules;
  char   *source;
  gint64  as_of;
  guint   churn_days;
} ComputeData;

static void
compute_data_free (ComputeData *data)
{
  g_free (data->path);
  g_free (data->rules);
  g_free (data->source);
  g_free (data);
}

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ComputeData *data = task_data;
  g_autoptr(HeraldWorkspace) workspace = NULL;
  HeraldRetention *retention = NULL;
  GError *error = NULL;

  if (!(workspace = herald_workspace_open (data->path, HERALD_WORKSPACE_OPEN_PRIVATE, &error)) ||
      !(retention = herald_retention_compute_for_rules (workspace, data->rules, data->source, data->as_of,
                                                        data->churn_days, cancellable, &error)))
    g_task_return_error (task, error);
  else if (!g_task_return_error_if_cancelled (task))
    g_task_return_pointer (task, retention, (GDestroyNotify) herald_retention_unref);
  else
    herald_retention_unref (retention);
}

/**
 * herald_retention_compute_for_rules_async:
 *
 * Works the figures out in a worker thread, on a connection of its own,
 * so that a large workspace never stops the window.
 */
void
herald_retention_compute_for_rules_async (HeraldWorkspace     *workspace,
                                          const char          *rules,
                                          const char          *source,
                                          gint64               as_of,
                                          guint                churn_days,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ComputeData *data;

  g_return_if_fail (HERALD_IS_WORKSPACE (workspace));
  g_return_if_fail (rules != NULL);
  g_return_if_fail (churn_days > 0);

  data = g_new0 (ComputeData, 1);
  data->path = g_strdup (herald_workspace_get_path (workspace));
  data->rules = g_strdup (rules);
  data->source = g_strdup (source);
  data->as_of = as_of;
  data->churn_days = churn_days;

  task = g_task_new (workspace, cancellable, callback, user_data);
  g_task_set_source_tag (task, herald_retention_compute_for_rules_async);
  g_task_set_task_data (task, data, (GDestroyNotify) compute_data_free);
  g_task_run_in_thread (task, compute_thread);
}

/**
 * herald_retention_compute_for_rules_finish:
 *
 * Returns: (transfer full): the figures, or %NULL with @error set
 */
HeraldRetention *
herald_retention_compute_for_rules_finish (HeraldWorkspace  *workspace,
                                           GAsyncResult     *result,
                                           GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, workspace), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * herald_retention_to_json:
 *
 * Returns: (transfer full): the figures for `herald-cli segments retention
 *   --json`: rates as fractions, money in major units, n/a as null
 */
char *
herald_retention_to_json (const HeraldRetention *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) as_of = NULL;
  g_autofree char *as_of_text = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  as_of = g_date_time_new_from_unix_utc (self->as_of);
  as_of_text = as_of != NULL ? g_date_time_format_iso8601 (as_of) : NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "segment");
  if (self->segment != NULL)
    json_builder_add_string_value (builder, self->segment);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "as_of");
  if (as_of_text != NULL)
    json_builder_add_string_value (builder, as_of_text);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "churn_days");
  json_builder_add_int_value (builder, self->churn_days);
  json_builder_set_member_name (builder, "members");
  json_builder_add_int_value (builder, (gint64) self->members);
  json_builder_set_member_name (builder, "customers");
  json_builder_add_int_value (builder, (gint64) self->customers);
  json_builder_set_member_name (builder, "orders");
  json_builder_add_int_value (builder, (gint64) self->orders);
  json_builder_set_member_name (builder, "repeat_customers");
  json_builder_add_int_value (builder, (gint64) self->repeat_customers);
  json_builder_set_member_name (builder, "churned_customers");
  json_builder_add_int_value (builder, (gint64) self->churned_customers);
  _herald_json_add_figure (builder, "revenue", self->revenue);
  _herald_json_add_figure (builder, "average_order_value", self->average_order_value);
  _herald_json_add_figure (builder, "purchase_frequency", self->purchase_frequency);
  _herald_json_add_figure (builder, "repeat_purchase_rate", self->repeat_purchase_rate);
  _herald_json_add_figure (builder, "churn_rate", self->churn_rate);
  _herald_json_add_figure (builder, "expected_lifetime", self->expected_lifetime);
  _herald_json_add_figure (builder, "customer_lifetime_value", self->customer_lifetime_value);
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, self->currency);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}
