/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "herald-templates.h"

G_BEGIN_DECLS

/* The templates a new one can start from. */
typedef enum
{
  HERALD_STARTER_BLANK,
  HERALD_STARTER_WELCOME,
  HERALD_STARTER_ONBOARDING,
  HERALD_STARTER_REENGAGEMENT,
  HERALD_STARTER_PROMOTION,
  HERALD_STARTER_SALES_FOLLOW_UP,
  HERALD_N_STARTERS
} HeraldStarter;

const char           *herald_starter_get_title       (HeraldStarter starter);
const char           *herald_starter_get_description (HeraldStarter starter);
HeraldTemplateRecord *herald_starter_build           (HeraldStarter starter,
                                                      const char   *name);

G_END_DECLS
