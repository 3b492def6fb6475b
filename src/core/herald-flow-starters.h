/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "herald-flow.h"

G_BEGIN_DECLS

/* The flows a new one can start from. */
typedef enum
{
  HERALD_FLOW_STARTER_BLANK,
  HERALD_FLOW_STARTER_WELCOME,
  HERALD_FLOW_STARTER_ONBOARDING,
  HERALD_FLOW_STARTER_REENGAGEMENT,
  HERALD_FLOW_STARTER_POST_PURCHASE,
  HERALD_FLOW_STARTER_SALES_CADENCE,
  HERALD_N_FLOW_STARTERS
} HeraldFlowStarter;

const char *herald_flow_starter_get_title (HeraldFlowStarter starter);
HeraldFlow *herald_flow_starter_build     (HeraldFlowStarter starter,
                                           const char       *name);

G_END_DECLS
