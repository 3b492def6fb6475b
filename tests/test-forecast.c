/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "herald-core.h"
#include "herald-test-utils.h"
#include "herald-workspace-private.h"

/* Forecasts checked against figures worked out by hand. Every flow sets
 * its rates, so Herald's defaults never blur the arithmetic. */

#define RATES(open, click, conversion, bounce, unsubscribe) \
  "\"assumptions\": {\"open_rate\": " #open ", \"click_rate\": " #click ", \"conversion_rate\": " #conversion \
  ", \"bounce_rate\": " #bounce ", \"unsubscribe_rate\": " #unsubscribe "}"

#define FLOW(nodes, edges, extra) \
  "{\"format\": \"herald-flow\", \"version\": 1, \"name\": \"Test\", \"nodes\": [" nodes "], \"edges\": [" edges "], " \
  extra "}"

#define EPSILON 1e-9

static HeraldFlow *
load (const char *text)
{
  g_autoptr(GError) error = NULL;
  HeraldFlow *flow = herald_flow_load (text, "flow.json", &error);

  g_assert_no_error (error);
  return flow;
}

static HeraldForecast *
forecast (const char *text,
          double      audience)
{
  g_autoptr(HeraldFlow) flow = load (text);
  HeraldForecastOptions options = HERALD_FORECAST_OPTIONS_INIT;

  options.audience = audience;
  return herald_forecast_compute (flow, NULL, &options);
}

static const HeraldForecastNode *
node (HeraldForecast *forecast,
      const char     *id)
{
  const HeraldForecastNode *figures = herald_forecast_get_node (forecast, id);

  g_assert_nonnull (figures);
  return figures;
}

static double
edge (HeraldForecast *forecast,
      const char     *from,
      const char     *port,
      const char     *to)
{
  for (guint i = 0; i < forecast->edges->len; i++)
    {
      HeraldForecastEdge *e = forecast->edges->pdata[i];

      if (g_str_equal (e->from, from) && g_strcmp0 (e->port, port) == 0 && g_str_equal (e->to, to))
        return e->contacts;
    }
  g_assert_not_reached ();
}

/* Four emails two days apart: 1 % bounce and 0.5 % unsubscribe at each
 * one leave, so each email reaches 0.99 × 0.995 of the one before. */
static void
test_linear_series (void)
{
  g_autoptr(HeraldForecast) f = forecast (
    FLOW ("{\"id\": \"t\", \"type\": \"trigger\"},"
          "{\"id\": \"e1\", \"type\": \"email\", \"config\": {\"template\": \"Welcome\"}},"
          "{\"id\": \"w1\", \"type\": \"wait\", \"config\": {\"days\": 2}},"
          "{\"id\": \"e2\", \"type\": \"email\", \"config\": {\"template\": \"Catalogue\"}},"
          "{\"id\": \"w2\", \"type\": \"wait\", \"config\": {\"days\": 2}},"
          "{\"id\": \"e3\", \"type\": \"email\", \"config\": {\"template\": \"Offers\"}},"
          "{\"id\": \"w3\", \"type\": \"wait\", \"config\": {\"days\": 3}},"
          "{\"id\": \"e4\", \"type\": \"email\", \"config\": {\"template\": \"Offers\"}},"
          "{\"id\": \"x\", \"type\": \"exit\"}",
          "{\"from\": \"t\", \"to\": \"e1\"}, {\"from\": \"e1\", \"to\": \"w1\"}, {\"from\": \"w1\", \"to\": \"e2\"},"
          "{\"from\": \"e2\", \"to\": \"w2\"}, {\"from\": \"w2\", \"to\": \"e3\"}, {\"from\": \"e3\", \"to\": \"w3\"},"
          "{\"from\": \"w3\", \"to\": \"e4\"}, {\"from\": \"e4\", \"to\": \"x\"}",
          RATES (0.4, 0.1, 0.02, 0.01, 0.005) ", \"costs\": {\"per_email\": 0.01, \"per_1000\": 2}"),
    10000);
  double keep = 0.99 * 0.995;
  double *offers;

  g_assert_cmpfloat_with_epsilon (f->audience, 10000, EPSILON);
  g_assert_cmpfloat_with_epsilon (node (f, "e1")->sent, 10000, EPSILON);
  g_assert_cmpfloat_with_epsilon (node (f, "e1")->bounces, 100, EPSILON);
  g_assert_cmpfloat_with_epsilon (node (f, "e1")->delivered, 9900, EPSILON);
  g_assert_cmpfloat_with_epsilon (node (f, "e1")->opens, 3960, EPSILON);
  g_assert_cmpfloat_with_epsilon (node (f, "e1")->clicks, 990, EPSILON);
  g_assert_cmpfloat_with_epsilon (node (f, "e1")->unsubscribes, 49.5, EPSILON);
  g_assert_cmpfloat_with_epsilon (node (f, "e2")->sent, 10000 * keep, 1e-6);
  g_assert_cmpfloat_with_epsilon (node (f, "e4")->sent, 10000 * pow (keep, 3), 1e-6);
  g_assert_cmpfloat_with_epsilon (node (f, "x")->contacts, 10000 * pow (keep, 4), 1e-6);
  g_assert_cmpfloat_with_epsilon (edge (f, "e1", "out", "w1"), 10000 * keep, 1e-6);

  g_assert_cmpfloat_with_epsilon (f->emails_sent, 10000 * (1 + keep + keep * keep + pow (keep, 3)), 1e-6);
  /* 1 cent an email and 2 per 1,000: 1.2 cents an email. */
  g_assert_cmpfloat_with_epsilon (f->cost, f->emails_sent * 0.012, 1e-6);
  /* No goal: nothing converts, the return is a loss of all the cost. */
  g_assert_cmpfloat_with_epsilon (f->conversions, 0, EPSILON);
  g_assert_cmpfloat_with_epsilon (f->roi, -1, EPSILON);
  g_assert_true (isnan (f->cost_per_conversion));

  /* The timeline: waits add their days, emails none. */
  g_assert_cmpfloat_with_epsilon (node (f, "t")->days, 0, EPSILON);
  g_assert_cmpfloat_with_epsilon (node (f, "e2")->days, 2, 1e-9);
  g_assert_cmpfloat_with_epsilon (node (f, "e3")->days, 4, 1e-9);
  g_assert_cmpfloat_with_epsilon (node (f, "e4")->days, 7, 1e-9);
  g_assert_cmpfloat_with_epsilon (f->days, 7, 1e-9);

  /* Sends per template add up across steps. */
  offers = g_hash_table_lookup (f->sent_by_template, "Offers");
  g_assert_nonnull (offers);
  g_assert_cmpfloat_with_epsilon (*offers, 10000 * (keep * keep + pow (keep, 3)), 1e-6);

  g_assert_cmpint (f->rate_sources[HERALD_RATE_OPEN], ==, HERALD_SOURCE_FLOW);
  g_assert_cmpint (f->cost_sources[HERALD_COST_PER_EMAIL], ==, HERALD_SOURCE_FLOW);
  g_assert_cmpint (f->cost_sources[HERALD_COST_FIXED], ==, HERALD_SOURCE_BUILT_IN);
}

/* A decision on opens within one day: 90 % of opens come that soon, so
 * yes is 0.4 × 0.9 of those who got the email, after half a day; no
 * waits the whole day. */
static void
test_condition_on_opens (void)
{
  g_autoptr(HeraldForecast) f = forecast (
    FLOW ("{\"id\": \"t\", \"type\": \"trigger\"},"
          "{\"id\": \"e1\", \"type\": \"email\", \"config\": {\"template\": \"Welcome\"}},"
          "{\"id\": \"c\", \"type\": \"condition\", \"config\": {\"kind\": \"opened\", \"email\": \"e1\", \"within_days\": 1}},"
          "{\"id\": \"yes\", \"type\": \"exit\"},"
          "{\"id\": \"e2\", \"type\": \"email\", \"config\": {\"template\": \"Reminder\", \"open_rate\": 0.2}},"
          "{\"id\": \"no\", \"type\": \"exit\"}",
          "{\"from\": \"t\", \"to\": \"e1\"}, {\"from\": \"e1\", \"to\": \"c\"},"
          "{\"from\": \"c\", \"port\": \"yes\", \"to\": \"yes\"}, {\"from\": \"c\", \"port\": \"no\", \"to\": \"e2\"},"
          "{\"from\": \"e2\", \"to\": \"no\"}",
          RATES (0.4, 0.1, 0.02, 0, 0)),
    1000);

  g_assert_cmpfloat_with_epsilon (node (f, "c")->contacts, 1000, EPSILON);
  g_assert_cmpfloat_with_epsilon (node (f, "yes")->contacts, 1000 * 0.4 * 0.9, 1e-9);
  g_assert_cmpfloat_with_epsilon (node (f, "e2")->contacts, 1000 * (1 - 0.36), 1e-9);
  g_assert_cmpfloat_with_epsilon (edge (f, "c", "no", "e2"), 640, 1e-9);
  g_assert_cmpfloat_with_epsilon (node (f, "yes")->days, 0.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (node (f, "e2")->days, 1, 1e-9);
  /* The reminder sets its own open rate, and says so. */
  g_assert_cmpfloat_with_epsilon (node (f, "e2")->opens, 640 * 0.2, 1e-9);
  g_assert_cmpint (node (f, "e2")->sources[HERALD_RATE_OPEN], ==, HERALD_SOURCE_STEP);
  g_assert_cmpint (node (f, "e1")->sources[HERALD_RATE_OPEN], ==, HERALD_SOURCE_FLOW);
  /* The flow ends when the last contacts reach an exit. */
  g_assert_cmpfloat_with_epsilon (f->days, 1, 1e-9);
}

/* A 70/30 split, then one goal for each half. */
static void
test_split (void)
{
  g_autoptr(HeraldForecast) f = forecast (
    FLOW ("{\"id\": \"t\", \"type\": \"trigger\"},"
          "{\"id\": \"s\", \"type\": \"split\", \"config\": {\"weights\": [70, 30]}},"
          "{\"id\": \"a\", \"type\": \"email\", \"config\": {\"template\": \"A\"}},"
          "{\"id\": \"b\", \"type\": \"email\", \"config\": {\"template\": \"B\"}},"
          "{\"id\": \"g\", \"type\": \"goal\", \"config\": {\"value\": 20}},"
          "{\"id\": \"x\", \"type\": \"exit\"}",
          "{\"from\": \"t\", \"to\": \"s\"}, {\"from\": \"s\", \"port\": \"0\", \"to\": \"a\"},"
          "{\"from\": \"s\", \"port\": \"1\", \"to\": \"b\"}, {\"from\": \"a\", \"to\": \"g\"},"
          "{\"from\": \"b\", \"to\": \"g\"}, {\"from\": \"g\", \"to\": \"x\"}",
          RATES (0.3, 0.05, 0.1, 0, 0)),
    2000);

  g_assert_cmpfloat_with_epsilon (node (f, "a")->sent, 1400, 1e-9);
  g_assert_cmpfloat_with_epsilon (node (f, "b")->sent, 600, 1e-9);
  g_assert_cmpfloat_with_epsilon (edge (f, "s", "1", "b"), 600, 1e-9);
  g_assert_cmpfloat_with_epsilon (node (f, "g")->contacts, 2000, 1e-9);
  g_assert_cmpfloat_with_epsilon (f->conversions, 200, 1e-9);
  g_assert_cmpfloat_with_epsilon (f->revenue, 4000, 1e-9);
}

/* The seed example: 100 revenue on 30 cost is an ROI of 233 %. */
static void
test_seed_roi (void)
{
  g_autoptr(HeraldForecast) f = forecast (
    FLOW ("{\"id\": \"t\", \"type\": \"trigger\"},"
          "{\"id\": \"e\", \"type\": \"email\", \"config\": {\"template\": \"Offer\"}},"
          "{\"id\": \"g\", \"type\": \"goal\", \"config\": {\"kind\": \"purchase\", \"value\": 10}},"
          "{\"id\": \"x\", \"type\": \"exit\"}",
          "{\"from\": \"t\", \"to\": \"e\"}, {\"from\": \"e\", \"to\": \"g\"}, {\"from\": \"g\", \"to\": \"x\"}",
          RATES (0.5, 0.1, 0.01, 0, 0) ", \"costs\": {\"per_email\": 0.03, \"per_1000\": 0}"),
    1000);
  g_autofree char *percent = NULL;

  g_assert_cmpfloat_with_epsilon (f->revenue, 100, 1e-9);
  g_assert_cmpfloat_with_epsilon (f->cost, 30, 1e-9);
  g_assert_cmpfloat_with_epsilon (f->profit, 70, 1e-9);
  g_assert_cmpfloat_with_epsilon (f->roi, 70.0 / 30.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (f->roas, 100.0 / 30.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (f->cost_per_conversion, 3, 1e-9);
  percent = herald_format_percent (f->roi);
  g_assert_nonnull (strstr (percent, "233"));
}

/* A goal with its own rate and value, and a task that costs time. */
static void
test_goal_and_task (void)
{
  g_autoptr(HeraldForecast) f = forecast (
    FLOW ("{\"id\": \"t\", \"type\": \"trigger\"},"
          "{\"id\": \"k\", \"type\": \"task\", \"config\": {\"channel\": \"call\", \"minutes\": 15}},"
          "{\"id\": \"g\", \"type\": \"goal\", \"config\": {\"value\": 500, \"rate\": 0.04}},"
          "{\"id\": \"x\", \"type\": \"exit\"}",
          "{\"from\": \"t\", \"to\": \"k\"}, {\"from\": \"k\", \"to\": \"g\"}, {\"from\": \"g\", \"to\": \"x\"}",
          RATES (0.3, 0.05, 0.5, 0, 0) ", \"costs\": {\"hourly_rate\": 60, \"fixed\": 250}"),
    200);

  /* 200 calls of 15 minutes at 60 an hour, and the fixed costs. */
  g_assert_cmpfloat_with_epsilon (node (f, "k")->cost, 3000, 1e-9);
  g_assert_cmpfloat_with_epsilon (f->cost, 3250, 1e-9);
  g_assert_cmpfloat_with_epsilon (f->conversions, 8, 1e-9);
  g_assert_cmpfloat_with_epsilon (f->revenue, 4000, 1e-9);
  g_assert_cmpfloat_with_epsilon (f->roi, 750.0 / 3250.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (f->emails_sent, 0, EPSILON);
}

/* A reminder loop: wait a week, ask whether the email was opened; if not,
 * send it again. Each round half the contacts go on, so the email is sent
 * 1 + 1/2 + 1/4 + … = 2 times per contact, exactly. */
static void
test_cycle_with_wait (void)
{
  g_autoptr(HeraldForecast) f = forecast (
    FLOW ("{\"id\": \"t\", \"type\": \"trigger\"},"
          "{\"id\": \"e\", \"type\": \"email\", \"config\": {\"template\": \"Nudge\"}},"
          "{\"id\": \"w\", \"type\": \"wait\", \"config\": {\"days\": 7}},"
          "{\"id\": \"c\", \"type\": \"condition\", \"config\": {\"kind\": \"tag\", \"tag\": \"done\", \"rate\": 0.5}},"
          "{\"id\": \"x\", \"type\": \"exit\"}",
          "{\"from\": \"t\", \"to\": \"e\"}, {\"from\": \"e\", \"to\": \"w\"}, {\"from\": \"w\", \"to\": \"c\"},"
          "{\"from\": \"c\", \"port\": \"yes\", \"to\": \"x\"}, {\"from\": \"c\", \"port\": \"no\", \"to\": \"e\"}",
          RATES (0.3, 0.05, 0.02, 0, 0)),
    1000);
  HeraldForecastOptions options = HERALD_FORECAST_OPTIONS_INIT;
  g_autoptr(HeraldFlow) flow = NULL;
  g_autoptr(HeraldForecast) simulated = NULL;

  g_assert_cmpfloat_with_epsilon (node (f, "e")->sent, 2000, 1e-6);
  g_assert_cmpfloat_with_epsilon (node (f, "x")->contacts, 1000, 1e-6);
  g_assert_cmpfloat_with_epsilon (edge (f, "c", "no", "e"), 1000, 1e-6);
  /* Exits come after 1, 2, 3, … weeks with odds 1/2, 1/4, 1/8, …: two weeks
   * on average. The sends go out after 0, 1, 2, … weeks, to 1000, 500,
   * 250, … contacts: one week on average over the 2000 of them. */
  g_assert_cmpfloat_with_epsilon (node (f, "x")->days, 14, 1e-6);
  g_assert_cmpfloat_with_epsilon (node (f, "e")->days, 7, 1e-6);
  g_assert_cmpuint (g_strv_length (f->endless), ==, 0);

  /* Simulated runs land around the same figures, the same for a seed. */
  flow = load (FLOW ("{\"id\": \"t\", \"type\": \"trigger\"},"
                     "{\"id\": \"e\", \"type\": \"email\", \"config\": {\"template\": \"Nudge\"}},"
                     "{\"id\": \"w\", \"type\": \"wait\", \"config\": {\"days\": 7}},"
                     "{\"id\": \"c\", \"type\": \"condition\", \"config\": {\"kind\": \"tag\", \"rate\": 0.5}},"
                     "{\"id\": \"g\", \"type\": \"goal\", \"config\": {\"value\": 10}},"
                     "{\"id\": \"x\", \"type\": \"exit\"}",
                     "{\"from\": \"t\", \"to\": \"e\"}, {\"from\": \"e\", \"to\": \"w\"}, {\"from\": \"w\", \"to\": \"c\"},"
                     "{\"from\": \"c\", \"port\": \"yes\", \"to\": \"g\"}, {\"from\": \"c\", \"port\": \"no\", \"to\": \"e\"},"
                     "{\"from\": \"g\", \"to\": \"x\"}",
                     RATES (0.3, 0.05, 0.1, 0, 0) ", \"costs\": {\"fixed\": 50}"));
  options.audience = 1000;
  options.runs = 200;
  options.seed = 7;
  simulated = herald_forecast_compute (flow, NULL, &options);
  g_assert_cmpuint (simulated->runs, ==, 200);
  g_assert_cmpfloat (simulated->emails_sent_range.low, <=, simulated->emails_sent);
  g_assert_cmpfloat (simulated->emails_sent_range.high, >=, simulated->emails_sent);
  g_assert_cmpfloat (simulated->emails_sent_range.low, >, 1800);
  g_assert_cmpfloat (simulated->emails_sent_range.high, <, 2200);
  g_assert_cmpfloat (simulated->conversions_range.low, <=, 100);
  g_assert_cmpfloat (simulated->conversions_range.high, >=, 100);
  g_assert_cmpfloat (simulated->revenue_range.low, <, simulated->revenue_range.high);
  {
    g_autoptr(HeraldForecast) again = herald_forecast_compute (flow, NULL, &options);

    g_assert_cmpfloat (again->revenue_range.low, ==, simulated->revenue_range.low);
    g_assert_cmpfloat (again->roi_range.high, ==, simulated->roi_range.high);
  }
}

/* A loop too large to eliminate is passed round until it settles, to
 * the same figures: 150 waits of a day, then a decision that lets half
 * the contacts out. Each contact goes round twice, 300 days on average. */
static void
test_large_loop (void)
{
  g_autoptr(HeraldFlow) flow = herald_flow_new ("Long loop");
  HeraldForecastOptions options = HERALD_FORECAST_OPTIONS_INIT;
  g_autoptr(HeraldForecast) f = NULL;
  HeraldFlowNode *trigger = herald_flow_add_node (flow, HERALD_FLOW_NODE_TRIGGER, 0, 0);
  HeraldFlowNode *decision = herald_flow_add_node (flow, HERALD_FLOW_NODE_CONDITION, 0, 0);
  HeraldFlowNode *exit_ = herald_flow_add_node (flow, HERALD_FLOW_NODE_EXIT, 0, 0);
  g_autofree char *first = NULL;
  g_autofree char *previous = g_strdup (trigger->id);

  json_object_set_string_member (decision->config, "kind", "tag");
  json_object_set_double_member (decision->config, "rate", 0.5);
  for (guint i = 0; i < 150; i++)
    {
      HeraldFlowNode *wait = herald_flow_add_node (flow, HERALD_FLOW_NODE_WAIT, 0, 0);

      json_object_set_int_member (wait->config, "days", 1);
      g_assert_true (herald_flow_connect (flow, previous, "out", wait->id));
      g_free (previous);
      previous = g_strdup (wait->id);
      if (first == NULL)
        first = g_strdup (wait->id);
    }
  g_assert_true (herald_flow_connect (flow, previous, "out", decision->id));
  g_assert_true (herald_flow_connect (flow, decision->id, "no", first));
  g_assert_true (herald_flow_connect (flow, decision->id, "yes", exit_->id));

  options.audience = 1000;
  f = herald_forecast_compute (flow, NULL, &options);
  g_assert_cmpuint (g_strv_length (f->endless), ==, 0);
  g_assert_cmpfloat_with_epsilon (node (f, first)->contacts, 2000, 1e-6);
  g_assert_cmpfloat_with_epsilon (node (f, exit_->id)->contacts, 1000, 1e-6);
  g_assert_cmpfloat_with_epsilon (node (f, exit_->id)->days, 300, 1e-6);
}

/* Nothing in, a zero cost, a loop nobody leaves: "n/a", never NaN or
 * infinity in what the user reads. */
static void
test_degenerate (void)
{
  g_autoptr(HeraldForecast) empty = forecast (FLOW ("", "", "\"costs\": {\"per_1000\": 0}"), 1000);
  g_autoptr(HeraldForecast) nobody = NULL;
  g_autoptr(HeraldForecast) endless = NULL;
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;
  g_autofree char *money = NULL;

  g_assert_cmpfloat (empty->audience, ==, 0);
  g_assert_true (isnan (empty->roi));
  g_assert_true (isnan (empty->roas));
  g_assert_true (isnan (empty->cost_per_conversion));
  g_assert_cmpfloat (empty->profit, ==, 0);

  nobody = forecast (FLOW ("{\"id\": \"t\", \"type\": \"trigger\"},"
                           "{\"id\": \"e\", \"type\": \"email\", \"config\": {\"template\": \"A\"}},"
                           "{\"id\": \"x\", \"type\": \"exit\"}",
                           "{\"from\": \"t\", \"to\": \"e\"}, {\"from\": \"e\", \"to\": \"x\"}",
                           RATES (0.3, 0.05, 0.02, 0, 0) ", \"costs\": {\"per_1000\": 0}"),
                     0);
  g_assert_cmpfloat (nobody->emails_sent, ==, 0);
  g_assert_true (isnan (nobody->roi));
  /* Nobody reaches the email, so when they would is not known. */
  g_assert_true (isnan (node (nobody, "e")->days));
  json = herald_forecast_to_json (nobody);
  g_assert_nonnull (strstr (json, "\"roi\" : null"));
  g_assert_null (strstr (json, "nan"));
  g_assert_null (strstr (json, "inf"));

  /* Waiting for ever: contacts never leave the loop. */
  endless = forecast (FLOW ("{\"id\": \"t\", \"type\": \"trigger\"},"
                            "{\"id\": \"w1\", \"type\": \"wait\", \"config\": {\"days\": 1}},"
                            "{\"id\": \"w2\", \"type\": \"wait\", \"config\": {\"days\": 1}},"
                            "{\"id\": \"e\", \"type\": \"email\", \"config\": {\"template\": \"A\"}}",
                            "{\"from\": \"t\", \"to\": \"w1\"}, {\"from\": \"w1\", \"to\": \"w2\"},"
                            "{\"from\": \"w2\", \"to\": \"w1\"}",
                            RATES (0.3, 0.05, 0.02, 0, 0)),
                      100);
  g_assert_cmpuint (g_strv_length (endless->endless), ==, 2);
  g_assert_true (isnan (node (endless, "w1")->contacts));
  g_assert_cmpfloat (node (endless, "e")->contacts, ==, 0);
  g_clear_pointer (&json, g_free);
  json = herald_forecast_to_json (endless);
  g_assert_null (strstr (json, "nan"));
  g_assert_nonnull (strstr (json, "\"endless\" : [\n    \"w"));

  text = herald_format_percent (NAN);
  g_assert_cmpstr (text, ==, "n/a");
  money = herald_format_money (INFINITY, "EUR");
  g_assert_cmpstr (money, ==, "n/a");
}

/* Flow-wide rates must be fractions and costs not negative; a file that
 * says otherwise is refused with the place named. */
static void
test_bad_assumptions (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldFlow) flow = herald_flow_load (FLOW ("", "", "\"assumptions\": {\"open_rate\": 35}"),
                                                 "plan.json", &error);

  g_assert_null (flow);
  g_assert_error (error, HERALD_FLOW_ERROR, HERALD_FLOW_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "plan.json"));
  g_assert_nonnull (strstr (error->message, "assumptions.open_rate"));
  g_clear_error (&error);

  flow = herald_flow_load (FLOW ("", "", "\"costs\": {\"fixed\": \"lots\"}"), "plan.json", &error);
  g_assert_null (flow);
  g_assert_nonnull (strstr (error->message, "costs.fixed"));
}

/* Defaults come from preferences, then from the workspace's past results,
 * the results of the same template first; triggers count their segments. */
static void
test_basis (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldWorkspace) workspace = herald_demo_open (&error);
  g_autoptr(HeraldForecastBasis) basis = NULL;
  g_autoptr(HeraldFlow) flow = NULL;
  g_autoptr(HeraldForecast) f = NULL;
  HeraldForecastOptions options = HERALD_FORECAST_OPTIONS_INIT;
  g_autofree char *json = NULL;
  g_autoptr(GPtrArray) segments = NULL;
  const char *segment;
  gint64 count;
  sqlite3 *db;
  char *sql;

  g_assert_no_error (error);
  segments = herald_segments_list (workspace, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (segments->len, >, 0);
  segment = ((HeraldSegmentInfo *) segments->pdata[0])->name;
  count = herald_segments_count (workspace, segment, NULL, &error);
  g_assert_no_error (error);

  /* The demo's reports set aside for now: the preferences apply. Its
   * campaigns leave their templates, so the figures below are the
   * test's own. */
  g_assert_cmpint (sqlite3_exec (_herald_workspace_get_db (workspace),
                                 "CREATE TEMP TABLE reports AS SELECT * FROM campaign_results;"
                                 "DELETE FROM campaign_results;"
                                 "UPDATE campaigns SET template_id = NULL;", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (herald_workspace_set_setting (workspace, "forecast.open_rate", "0.25", &error));
  g_assert_true (herald_workspace_set_setting (workspace, "forecast.per_email", "0.004", &error));
  g_assert_true (herald_workspace_set_setting (workspace, "forecast.click_rate", "lots", &error));
  g_assert_true (herald_workspace_set_setting (workspace, "currency", "CHF", &error));

  json = g_strdup_printf (FLOW ("{\"id\": \"t\", \"type\": \"trigger\", \"config\": {\"kind\": \"segment-entry\", \"segment\": \"%s\"}},"
                                "{\"id\": \"e1\", \"type\": \"email\", \"config\": {\"template\": \"Welcome\"}},"
                                "{\"id\": \"e2\", \"type\": \"email\", \"config\": {\"template\": \"Promotion\"}},"
                                "{\"id\": \"x\", \"type\": \"exit\"}",
                                "{\"from\": \"t\", \"to\": \"e1\"}, {\"from\": \"e1\", \"to\": \"e2\"}, {\"from\": \"e2\", \"to\": \"x\"}",
                                "\"costs\": {}"),
                          segment);
  flow = load (json);

  basis = herald_forecast_basis_load (workspace, flow, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (herald_forecast_basis_get_segment_count (basis, segment), ==, count);
  f = herald_forecast_compute (flow, basis, &options);
  g_assert_cmpfloat (f->audience, ==, count);
  g_assert_cmpstr (f->currency, ==, "CHF");
  g_assert_cmpfloat (f->rates[HERALD_RATE_OPEN], ==, 0.25);
  g_assert_cmpint (f->rate_sources[HERALD_RATE_OPEN], ==, HERALD_SOURCE_PREFERENCES);
  /* A setting that is not a rate is ignored. */
  g_assert_cmpint (f->rate_sources[HERALD_RATE_CLICK], ==, HERALD_SOURCE_BUILT_IN);
  g_assert_cmpfloat (f->costs[HERALD_COST_PER_EMAIL], ==, 0.004);
  g_clear_pointer (&f, herald_forecast_unref);
  g_clear_pointer (&basis, herald_forecast_basis_free);

  /* Past results of the Welcome template: 200 sent, 20 bounced, 90 of the
   * 180 delivered opened, some more than once. */
  db = _herald_workspace_get_db (workspace);
  sql = "INSERT INTO campaigns (name, template_id, created_at)"
        "  VALUES ('Welcome, May', (SELECT id FROM templates WHERE name = 'Welcome'), 0);"
        "INSERT INTO events (contact_id, campaign_id, kind, occurred_at)"
        "  SELECT id, (SELECT id FROM campaigns WHERE name = 'Welcome, May'), 'sent', 0 FROM contacts WHERE id <= 200;"
        "INSERT INTO events (contact_id, campaign_id, kind, occurred_at)"
        "  SELECT id, (SELECT id FROM campaigns WHERE name = 'Welcome, May'), 'bounce', 0 FROM contacts WHERE id <= 20;"
        "INSERT INTO events (contact_id, campaign_id, kind, occurred_at)"
        "  SELECT id, (SELECT id FROM campaigns WHERE name = 'Welcome, May'), 'open', 0 FROM contacts WHERE id > 20 AND id <= 110;"
        "INSERT INTO events (contact_id, campaign_id, kind, occurred_at)"
        "  SELECT id, (SELECT id FROM campaigns WHERE name = 'Welcome, May'), 'open', 1 FROM contacts WHERE id > 20 AND id <= 50;";
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);

  basis = herald_forecast_basis_load (workspace, flow, NULL, &error);
  g_assert_no_error (error);
  f = herald_forecast_compute (flow, basis, &options);
  g_assert_cmpfloat_with_epsilon (node (f, "e1")->rates[HERALD_RATE_OPEN], 0.5, 1e-9);
  g_assert_cmpint (node (f, "e1")->sources[HERALD_RATE_OPEN], ==, HERALD_SOURCE_TEMPLATE_RESULTS);
  g_assert_cmpfloat_with_epsilon (node (f, "e1")->rates[HERALD_RATE_BOUNCE], 0.1, 1e-9);
  /* The other template has no results of its own: the workspace's apply. */
  g_assert_cmpint (node (f, "e2")->sources[HERALD_RATE_OPEN], ==, HERALD_SOURCE_RESULTS);
  g_assert_cmpint (f->rate_sources[HERALD_RATE_OPEN], ==, HERALD_SOURCE_RESULTS);

  /* The campaign reports of the workspace count as its past results too,
   * those of the Promotion template for its emails. */
  g_clear_pointer (&f, herald_forecast_unref);
  g_clear_pointer (&basis, herald_forecast_basis_free);
  g_assert_cmpint (sqlite3_exec (_herald_workspace_get_db (workspace),
                                 "INSERT INTO campaign_results SELECT * FROM reports;"
                                 "INSERT INTO campaigns (name, template_id, created_at)"
                                 "  VALUES ('Promotion, July', (SELECT id FROM templates WHERE name = 'Promotion'), 0);"
                                 "INSERT INTO campaign_results (campaign_id, sent, delivered, unique_opens, source, imported_at)"
                                 "  SELECT id, 1000, 1000, 300, 'test', 0 FROM campaigns WHERE name = 'Promotion, July';",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  basis = herald_forecast_basis_load (workspace, flow, NULL, &error);
  g_assert_no_error (error);
  f = herald_forecast_compute (flow, basis, &options);
  g_assert_cmpfloat_with_epsilon (node (f, "e2")->rates[HERALD_RATE_OPEN], 0.3, 1e-9);
  g_assert_cmpint (node (f, "e2")->sources[HERALD_RATE_OPEN], ==, HERALD_SOURCE_TEMPLATE_RESULTS);
  g_assert_cmpint (node (f, "e1")->sources[HERALD_RATE_OPEN], ==, HERALD_SOURCE_TEMPLATE_RESULTS);

  /* What if opens and clicks did 20 % better? */
  g_clear_pointer (&f, herald_forecast_unref);
  options.what_if = 1.2;
  f = herald_forecast_compute (flow, basis, &options);
  g_assert_cmpfloat_with_epsilon (node (f, "e1")->rates[HERALD_RATE_OPEN], 0.6, 1e-9);
  g_assert_cmpfloat_with_epsilon (node (f, "e1")->rates[HERALD_RATE_BOUNCE], 0.1, 1e-9);
}

/* Once a step's campaign has results, the forecast sets them beside its
 * own figures, for the step and the flow. */
static void
test_against_actual (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "actual.herald", NULL);
  g_autoptr(HeraldWorkspace) workspace = herald_workspace_open (path, HERALD_WORKSPACE_OPEN_CREATE, &error);
  g_autoptr(HeraldFlow) flow = load (FLOW ("{\"id\": \"t\", \"type\": \"trigger\"},"
                                           "{\"id\": \"e\", \"type\": \"email\", \"config\": {\"template\": \"A\"}},"
                                           "{\"id\": \"x\", \"type\": \"exit\"}",
                                           "{\"from\": \"t\", \"to\": \"e\"}, {\"from\": \"e\", \"to\": \"x\"}",
                                           RATES (0.3, 0.05, 0.02, 0, 0)));
  g_autoptr(HeraldForecastBasis) basis = NULL;
  g_autoptr(HeraldForecast) f = NULL;
  g_autofree char *json = NULL;
  HeraldForecastOptions options = HERALD_FORECAST_OPTIONS_INIT;
  HeraldKpis *actual;

  g_assert_no_error (error);
  g_assert_true (herald_flows_save (workspace, flow, &error));
  basis = herald_forecast_basis_load (workspace, flow, NULL, &error);
  g_assert_no_error (error);
  options.audience = 1000;
  f = herald_forecast_compute (flow, basis, &options);
  g_assert_null (f->actuals);
  g_assert_true (isnan (f->actual_sent));
  g_clear_pointer (&f, herald_forecast_unref);
  g_clear_pointer (&basis, herald_forecast_basis_free);

  g_assert_cmpint (sqlite3_exec (_herald_workspace_get_db (workspace),
                                 "INSERT INTO campaigns (name, created_at) VALUES ('Welcome, May', 0);"
                                 "INSERT INTO campaign_results (campaign_id, sent, delivered, unique_opens, unique_clicks,"
                                 "  orders, revenue_minor, source, imported_at)"
                                 "  SELECT id, 900, 880, 400, 50, 3, 15000, 'test', 0 FROM campaigns;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (herald_campaign_link_flow (workspace, "Welcome, May", "Test", "e", &error));
  g_assert_false (herald_campaign_link_flow (workspace, "Welcome, May", "No such flow", "e", NULL));

  basis = herald_forecast_basis_load (workspace, flow, NULL, &error);
  g_assert_no_error (error);
  f = herald_forecast_compute (flow, basis, &options);
  g_assert_nonnull (f->actuals);
  actual = g_hash_table_lookup (f->actuals, "e");
  g_assert_nonnull (actual);
  g_assert_cmpfloat (actual->sent, ==, 900);
  g_assert_cmpfloat (f->actual_sent, ==, 900);
  g_assert_cmpfloat (f->actual_opens, ==, 400);
  g_assert_cmpfloat (f->actual_revenue, ==, 150);
  g_assert_cmpfloat (f->emails_sent, ==, 1000);
  json = herald_forecast_to_json (f);
  g_assert_nonnull (strstr (json, "\"actual\" : {"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = herald_test_isolate_home ();
  int status;

  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/herald/forecast/linear-series", test_linear_series);
  g_test_add_func ("/herald/forecast/condition-on-opens", test_condition_on_opens);
  g_test_add_func ("/herald/forecast/split", test_split);
  g_test_add_func ("/herald/forecast/seed-roi", test_seed_roi);
  g_test_add_func ("/herald/forecast/goal-and-task", test_goal_and_task);
  g_test_add_func ("/herald/forecast/cycle-with-wait", test_cycle_with_wait);
  g_test_add_func ("/herald/forecast/large-loop", test_large_loop);
  g_test_add_func ("/herald/forecast/degenerate", test_degenerate);
  g_test_add_func ("/herald/forecast/bad-assumptions", test_bad_assumptions);
  g_test_add_func ("/herald/forecast/basis", test_basis);
  g_test_add_func ("/herald/forecast/against-actual", test_against_actual);

  status = g_test_run ();
  herald_test_remove_tree (home);
  return status;
}
