/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "herald-core.h"

/* Forecasts a flow of 100 steps and one of 1000 built from the same
 * blocks, and prints the time a forecast takes for each and their ratio:
 * the time must grow with the size of the flow, no faster. */

/* Each size is forecast again and again for at least this long. */
#define MIN_SECONDS 0.5
#define MAX_RATIO 12.0

typedef struct
{
  HeraldFlow *flow;
  guint       n;
  guint       templates;
} Builder;

static HeraldFlowNode *
add (Builder            *builder,
     HeraldFlowNodeType  type)
{
  HeraldFlowNode *node = herald_flow_add_node (builder->flow, type, 0, 0);

  builder->n++;
  if (type == HERALD_FLOW_NODE_EMAIL)
    {
      g_autofree char *template = g_strdup_printf ("Newsletter %u", builder->templates++ % 7);

      json_object_set_string_member (node->config, "template", template);
    }
  return node;
}

static void
link_steps (Builder              *builder,
            const HeraldFlowNode *from,
            const char           *port,
            const HeraldFlowNode *to)
{
  if (!herald_flow_connect (builder->flow, from->id, port, to->id))
    g_error ("%s:%s → %s could not be connected", from->id, port, to->id);
}

static HeraldFlowNode *
add_wait (Builder *builder,
          int      days)
{
  HeraldFlowNode *wait = add (builder, HERALD_FLOW_NODE_WAIT);

  json_object_set_int_member (wait->config, "days", days);
  return wait;
}

static HeraldFlowNode *
add_decision (Builder              *builder,
              const char           *kind,
              const HeraldFlowNode *email,
              int                   days)
{
  HeraldFlowNode *condition = add (builder, HERALD_FLOW_NODE_CONDITION);

  json_object_set_string_member (condition->config, "kind", kind);
  json_object_set_string_member (condition->config, "email", email->id);
  json_object_set_int_member (condition->config, "within_days", days);
  return condition;
}

/* Where contacts come from into the next steps: one or two ports. */
typedef struct
{
  HeraldFlowNode *nodes[2];
  const char     *ports[2];
} Ends;

static void
connect_ends (Builder        *builder,
              const Ends     *ends,
              HeraldFlowNode *to)
{
  for (guint i = 0; i < G_N_ELEMENTS (ends->nodes) && ends->nodes[i] != NULL; i++)
    link_steps (builder, ends->nodes[i], ends->ports[i], to);
}

/* One block of twelve steps, as a marketer draws them:
 *
 *   email → wait → opened? ─yes→ email ─┐
 *                          └─no─→ email ─┴→ wait → reminder ⟲ → split
 *
 * The reminder is sent again after a wait until it is clicked: a loop
 * through a wait. The split sends 80 % on, 10 % to a goal that leads on
 * as well, 10 % out of the flow. */
static void
add_block (Builder *builder,
           Ends    *ends)
{
  HeraldFlowNode *email = add (builder, HERALD_FLOW_NODE_EMAIL);
  HeraldFlowNode *wait = add_wait (builder, 2);
  HeraldFlowNode *opened = add_decision (builder, "opened", email, 3);
  HeraldFlowNode *engaged = add (builder, HERALD_FLOW_NODE_EMAIL);
  HeraldFlowNode *resend = add (builder, HERALD_FLOW_NODE_EMAIL);
  HeraldFlowNode *rejoin = add_wait (builder, 1);
  HeraldFlowNode *reminder = add (builder, HERALD_FLOW_NODE_EMAIL);
  HeraldFlowNode *clicked = add_decision (builder, "clicked", reminder, 2);
  HeraldFlowNode *again = add_wait (builder, 3);
  HeraldFlowNode *split = add (builder, HERALD_FLOW_NODE_SPLIT);
  HeraldFlowNode *goal = add (builder, HERALD_FLOW_NODE_GOAL);
  HeraldFlowNode *exit = add (builder, HERALD_FLOW_NODE_EXIT);
  JsonArray *weights = json_array_new ();

  json_array_add_int_element (weights, 80);
  json_array_add_int_element (weights, 10);
  json_array_add_int_element (weights, 10);
  json_object_set_array_member (split->config, "weights", weights);
  json_object_set_string_member (goal->config, "kind", "purchase");
  json_object_set_double_member (goal->config, "value", 49.0);

  connect_ends (builder, ends, email);
  link_steps (builder, email, "out", wait);
  link_steps (builder, wait, "out", opened);
  link_steps (builder, opened, "yes", engaged);
  link_steps (builder, opened, "no", resend);
  link_steps (builder, engaged, "out", rejoin);
  link_steps (builder, resend, "out", rejoin);
  link_steps (builder, rejoin, "out", reminder);
  link_steps (builder, reminder, "out", clicked);
  link_steps (builder, clicked, "no", again);
  link_steps (builder, again, "out", reminder);
  link_steps (builder, clicked, "yes", split);
  link_steps (builder, split, "1", goal);
  link_steps (builder, split, "2", exit);

  *ends = (Ends) { { split, goal }, { "0", "out" } };
}

static HeraldFlow *
build_flow (guint n)
{
  Builder builder = { herald_flow_new ("Benchmark"), 0, 0 };
  Ends ends = { { add (&builder, HERALD_FLOW_NODE_TRIGGER) }, { "out" } };

  /* Blocks, then a chain of emails and waits to the exact size. */
  while (builder.n + 12 + 1 <= n)
    add_block (&builder, &ends);
  while (builder.n + 1 < n)
    {
      HeraldFlowNode *step = builder.n % 2 == 0 ? add (&builder, HERALD_FLOW_NODE_EMAIL) : add_wait (&builder, 1);

      connect_ends (&builder, &ends, step);
      ends = (Ends) { { step }, { "out" } };
    }
  connect_ends (&builder, &ends, add (&builder, HERALD_FLOW_NODE_EXIT));

  g_assert_cmpuint (herald_flow_get_nodes (builder.flow)->len, ==, n);
  return builder.flow;
}

/* Seconds a forecast takes, averaged over as many as fit MIN_SECONDS. */
static double
time_forecast (HeraldFlow *flow,
               guint      *out_repetitions)
{
  HeraldForecastOptions options = HERALD_FORECAST_OPTIONS_INIT;
  gint64 start, elapsed;
  guint repetitions = 0;

  options.audience = 100000;
  options.runs = 0;

  /* Once to check the figures, and to warm the caches. */
  {
    g_autoptr(HeraldForecast) forecast = herald_forecast_compute (flow, NULL, &options);

    if (forecast->endless[0] != NULL || !isfinite (forecast->emails_sent) || !isfinite (forecast->days)
        || forecast->conversions <= 0)
      g_error ("The benchmark flow's forecast is wrong: %s", herald_forecast_to_json (forecast));
  }

  start = g_get_monotonic_time ();
  do
    {
      for (guint i = 0; i < 10; i++)
        herald_forecast_unref (herald_forecast_compute (flow, NULL, &options));
      repetitions += 10;
      elapsed = g_get_monotonic_time () - start;
    }
  while (elapsed < MIN_SECONDS * G_USEC_PER_SEC);

  *out_repetitions = repetitions;
  return elapsed / 1e6 / repetitions;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(HeraldFlow) small = build_flow (100);
  g_autoptr(HeraldFlow) large = build_flow (1000);
  guint small_reps, large_reps;
  double small_s, large_s, ratio;

  small_s = time_forecast (small, &small_reps);
  large_s = time_forecast (large, &large_reps);
  ratio = large_s / small_s;

  printf ("100 steps, %3u edges:  %8.3f ms a forecast (%u forecasts)\n",
          herald_flow_get_edges (small)->len, small_s * 1e3, small_reps);
  printf ("1000 steps, %u edges: %8.3f ms a forecast (%u forecasts)\n",
          herald_flow_get_edges (large)->len, large_s * 1e3, large_reps);
  printf ("ratio:                 %8.2f (linear is 10; %.0f at most)\n", ratio, MAX_RATIO);

  return ratio <= MAX_RATIO ? 0 : 1;
}
