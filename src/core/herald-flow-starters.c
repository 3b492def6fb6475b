/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-flow-starters"

#include "config.h"

#include <glib/gi18n.h>

#include "herald-flow-starters.h"
#include "herald-starters.h"

/* Starter flows, drawn left to right, in the user's language. Emails name
 * the starter templates where one fits and otherwise templates still to
 * write: marketers plan flows before the emails, and validation says
 * which are missing. */

#define STEP 230.0
#define ROW 110.0

static const char * const titles[HERALD_N_FLOW_STARTERS] = {
  [HERALD_FLOW_STARTER_BLANK] = N_("Blank flow"),
  [HERALD_FLOW_STARTER_WELCOME] = N_("Welcome series"),
  [HERALD_FLOW_STARTER_ONBOARDING] = N_("Onboarding"),
  [HERALD_FLOW_STARTER_REENGAGEMENT] = N_("Win back, then clean the list"),
  [HERALD_FLOW_STARTER_POST_PURCHASE] = N_("After a purchase"),
  [HERALD_FLOW_STARTER_SALES_CADENCE] = N_("Sales cadence"),
};

const char *
herald_flow_starter_get_title (HeraldFlowStarter starter)
{
  g_return_val_if_fail (starter < HERALD_N_FLOW_STARTERS, NULL);

  return _(titles[starter]);
}

typedef struct
{
  HeraldFlow     *flow;
  HeraldFlowNode *last;
  const char     *port;
  guint           column;
  double          row;
} Builder;

/* Adds a step after the last one, in the next column. */
static HeraldFlowNode *
step (Builder            *b,
      HeraldFlowNodeType  type,
      const char         *name)
{
  HeraldFlowNode *node = herald_flow_add_node (b->flow, type, 40 + b->column++ * STEP, 200 + b->row * ROW);

  node->name = g_strdup (name);
  if (b->last != NULL)
    herald_flow_connect (b->flow, b->last->id, b->port != NULL ? b->port : "out", node->id);
  b->last = node;
  b->port = NULL;
  return node;
}

static HeraldFlowNode *
email (Builder    *b,
       const char *name,
       const char *template)
{
  HeraldFlowNode *node = step (b, HERALD_FLOW_NODE_EMAIL, name);

  json_object_set_string_member (node->config, "template", template);
  return node;
}

static void
wait (Builder *b,
      gint64   days)
{
  g_autofree char *name = g_strdup_printf (ngettext ("Wait %d day", "Wait %d days", days), (int) days);
  HeraldFlowNode *node = step (b, HERALD_FLOW_NODE_WAIT, name);

  json_object_set_int_member (node->config, "days", days);
}

static HeraldFlowNode *
trigger (Builder    *b,
         const char *kind,
         const char *member,
         const char *value)
{
  HeraldFlowNode *node = step (b, HERALD_FLOW_NODE_TRIGGER, _("Start"));

  json_object_set_string_member (node->config, "kind", kind);
  if (member != NULL)
    json_object_set_string_member (node->config, member, value);
  return node;
}

static HeraldFlowNode *
condition (Builder        *b,
           const char     *kind,
           HeraldFlowNode *email_node,
           gint64          days)
{
  HeraldFlowNode *node = step (b, HERALD_FLOW_NODE_CONDITION,
                               g_str_equal (kind, "opened") ? _("Opened?") : _("Clicked?"));

  json_object_set_string_member (node->config, "kind", kind);
  json_object_set_string_member (node->config, "email", email_node->id);
  json_object_set_int_member (node->config, "within_days", days);
  return node;
}

/* Continues from a port of an earlier step, on another row. */
static void
branch (Builder        *b,
        HeraldFlowNode *from,
        const char     *port,
        double          row)
{
  b->last = from;
  b->port = port;
  b->column = (guint) ((from->x - 40) / STEP) + 1;
  b->row = row;
}

/* A new flow from a starter, named `name` (or the starter's title). */
HeraldFlow *
herald_flow_starter_build (HeraldFlowStarter  starter,
                           const char        *name)
{
  Builder b = { .flow = herald_flow_new (name != NULL ? name : herald_flow_starter_get_title (starter)) };
  HeraldFlowNode *first, *ask, *node;
  HeraldFlowNode *exit;

  g_return_val_if_fail (starter < HERALD_N_FLOW_STARTERS, NULL);

  switch (starter)
    {
    case HERALD_FLOW_STARTER_BLANK:
      trigger (&b, "manual", NULL, NULL);
      break;

    case HERALD_FLOW_STARTER_WELCOME:
      trigger (&b, "tag-added", "tag", "newsletter");
      email (&b, _("Welcome"), herald_starter_get_title (HERALD_STARTER_WELCOME));
      wait (&b, 2);
      email (&b, _("Our catalogue"), _("Catalogue invitation"));
      wait (&b, 3);
      email (&b, _("Products for you"), _("Product offers"));
      wait (&b, 4);
      email (&b, _("A coupon"), _("Welcome coupon"));
      node = step (&b, HERALD_FLOW_NODE_GOAL, _("First order"));
      json_object_set_double_member (node->config, "value", 40);
      break;

    case HERALD_FLOW_STARTER_ONBOARDING:
      trigger (&b, "tag-added", "tag", "customer");
      first = email (&b, _("First steps"), herald_starter_get_title (HERALD_STARTER_ONBOARDING));
      wait (&b, 3);
      ask = condition (&b, "clicked", first, 4);
      b.port = "yes";
      b.row = -1;
      node = step (&b, HERALD_FLOW_NODE_GOAL, _("Active customer"));
      json_object_set_double_member (node->config, "value", 120);
      exit = step (&b, HERALD_FLOW_NODE_EXIT, _("Done"));
      branch (&b, ask, "no", 1);
      node = step (&b, HERALD_FLOW_NODE_TASK, _("Offer help"));
      json_object_set_string_member (node->config, "channel", "call");
      herald_flow_connect (b.flow, node->id, "out", exit->id);
      b.last = NULL;
      break;

    case HERALD_FLOW_STARTER_REENGAGEMENT:
      trigger (&b, "segment-entry", "segment", _("Inactive for six months"));
      first = email (&b, _("We miss you"), herald_starter_get_title (HERALD_STARTER_REENGAGEMENT));
      wait (&b, 7);
      ask = condition (&b, "opened", first, 7);
      b.port = "yes";
      b.row = -1;
      node = step (&b, HERALD_FLOW_NODE_ACTION, _("Back again"));
      json_object_set_string_member (node->config, "kind", "add-tag");
      json_object_set_string_member (node->config, "tag", "re-engaged");
      exit = step (&b, HERALD_FLOW_NODE_EXIT, _("Done"));
      branch (&b, ask, "no", 1);
      node = step (&b, HERALD_FLOW_NODE_ACTION, _("Clean the list"));
      json_object_set_string_member (node->config, "kind", "unsubscribe");
      herald_flow_connect (b.flow, node->id, "out", exit->id);
      b.last = NULL;
      break;

    case HERALD_FLOW_STARTER_POST_PURCHASE:
      trigger (&b, "tag-added", "tag", "customer");
      wait (&b, 1);
      email (&b, _("Thank you"), _("Thank you for your order"));
      wait (&b, 7);
      email (&b, _("Review"), _("Review request"));
      ask = step (&b, HERALD_FLOW_NODE_SPLIT, _("A/B test"));
      b.port = "0";
      b.row = -1;
      email (&b, _("Offer A"), _("Cross-sell A"));
      node = step (&b, HERALD_FLOW_NODE_GOAL, _("Second order"));
      json_object_set_double_member (node->config, "value", 60);
      exit = step (&b, HERALD_FLOW_NODE_EXIT, _("Done"));
      branch (&b, ask, "1", 1);
      email (&b, _("Offer B"), _("Cross-sell B"));
      herald_flow_connect (b.flow, b.last->id, "out", node->id);
      b.last = NULL;
      (void) exit;
      break;

    case HERALD_FLOW_STARTER_SALES_CADENCE:
      trigger (&b, "manual", NULL, NULL);
      email (&b, _("Introduction"), herald_starter_get_title (HERALD_STARTER_SALES_FOLLOW_UP));
      wait (&b, 2);
      node = step (&b, HERALD_FLOW_NODE_TASK, _("Call"));
      json_object_set_string_member (node->config, "channel", "call");
      wait (&b, 2);
      node = step (&b, HERALD_FLOW_NODE_TASK, _("Connect on social media"));
      json_object_set_string_member (node->config, "channel", "social");
      wait (&b, 3);
      email (&b, _("Last note"), _("Break-up email"));
      node = step (&b, HERALD_FLOW_NODE_GOAL, _("Meeting booked"));
      json_object_set_double_member (node->config, "value", 300);
      break;

    case HERALD_N_FLOW_STARTERS:
    default:
      g_assert_not_reached ();
    }

  if (b.last != NULL)
    step (&b, HERALD_FLOW_NODE_EXIT, _("Done"));
  return b.flow;
}
