/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "herald-workspace.h"

G_BEGIN_DECLS

/* A customer who has not ordered for this many days counts as lapsed. */
#define HERALD_RETENTION_DEFAULT_CHURN_DAYS 180

/* What a segment's (or the whole audience's) orders say about its
 * customers, as of a reference time; see herald-retention.c for the
 * definitions. Counts are whole numbers held as doubles, money is in
 * major units of @currency, rates are fractions; a figure whose
 * denominator is zero is NAN: "n/a". */
typedef struct
{
  char           *segment;          /* NULL: the whole audience */
  gint64          as_of;            /* Unix seconds */
  guint           churn_days;
  double          members;
  double          customers;
  double          orders;
  double          repeat_customers;
  double          churned_customers;
  double          revenue;
  double          average_order_value;
  double          purchase_frequency;
  double          repeat_purchase_rate;
  double          churn_rate;
  double          expected_lifetime;  /* in churn windows */
  double          customer_lifetime_value;
  char           *currency;
  /*< private >*/
  gatomicrefcount ref_count;
} HeraldRetention;

#define HERALD_TYPE_RETENTION (herald_retention_get_type ())

GType            herald_retention_get_type      (void) G_GNUC_CONST;
HeraldRetention *herald_retention_ref           (HeraldRetention     *self);
void             herald_retention_unref         (HeraldRetention     *self);

HeraldRetention *herald_retention_compute       (HeraldWorkspace     *workspace,
                                                 const char          *segment,
                                                 gint64               as_of,
                                                 guint                churn_days,
                                                 GCancellable        *cancellable,
                                                 GError             **error);
HeraldRetention *herald_retention_compute_for_rules (HeraldWorkspace *workspace,
                                                 const char          *rules,
                                                 const char          *source,
                                                 gint64               as_of,
                                                 guint                churn_days,
                                                 GCancellable        *cancellable,
                                                 GError             **error);
void             herald_retention_compute_for_rules_async (HeraldWorkspace *workspace,
                                                 const char          *rules,
                                                 const char          *source,
                                                 gint64               as_of,
                                                 guint                churn_days,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
HeraldRetention *herald_retention_compute_for_rules_finish (HeraldWorkspace *workspace,
                                                 GAsyncResult        *result,
                                                 GError             **error);
char            *herald_retention_to_json       (const HeraldRetention *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldRetention, herald_retention_unref)

G_END_DECLS
