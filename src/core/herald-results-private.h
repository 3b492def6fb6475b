/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "herald-results.h"
#include "herald-workspace-private.h"

G_BEGIN_DECLS

/* The counts of one campaign (or one A/B combination) in a report; -1
 * where the report gives none. */
typedef enum
{
  COUNT_SENT,
  COUNT_DELIVERED,
  COUNT_SOFT_BOUNCES,
  COUNT_HARD_BOUNCES,
  COUNT_UNIQUE_OPENS,
  COUNT_TOTAL_OPENS,
  COUNT_PROXY_EXCLUDED_UNIQUE_OPENS,
  COUNT_UNIQUE_CLICKS,
  COUNT_TOTAL_CLICKS,
  COUNT_UNSUBSCRIBES,
  COUNT_COMPLAINTS,
  COUNT_ORDERS,
  COUNT_REVENUE_MINOR,
  COUNT_REPORTED_COST_MINOR,
  N_COUNTS
} HeraldResultsCount;


typedef struct
{
  char   *url;
  gint64  total_clicks;
  gint64  unique_clicks;
} HeraldResultsLink;

typedef struct
{
  /* Set once stored: the campaign's row in the workspace. */
  gint64     id;
  guint      line;
  char      *title;
  char      *esp_id;
  char      *variant;
  gint64     sent_at;
  gint64     counts[N_COUNTS];
  GPtrArray *links;  /* HeraldResultsLink, or NULL when the report has none */
} HeraldResultsCampaign;

/* A CSV file read whole: its rows, where each starts, and where a
 * problem is reported. */
typedef struct
{
  const char *file;
  GPtrArray  *rows;   /* GStrv */
  GArray     *lines;  /* guint */
  GError    **error;
  /* Rows to read at most, 0 for all. */
  guint       limit;
} HeraldResultsReader;

gboolean  _herald_results_collect_row  (guint                   line,
                                        const char * const     *fields,
                                        guint                   n_fields,
                                        gpointer                user_data);
gboolean  _herald_results_fail_at      (HeraldResultsReader    *reader,
                                        guint                   line,
                                        const char             *column,
                                        const char             *format,
                                        ...) G_GNUC_PRINTF (4, 5);
gboolean  _herald_results_is_missing   (const char             *text);
gboolean  _herald_results_parse_count  (HeraldResultsReader    *reader,
                                        guint                   line,
                                        const char             *column,
                                        const char             *text,
                                        gint64                 *count);
gboolean  _herald_results_parse_money  (HeraldResultsReader    *reader,
                                        guint                   line,
                                        const char             *column,
                                        const char             *text,
                                        gint64                 *minor);
gboolean  _herald_results_parse_date   (HeraldResultsReader    *reader,
                                        guint                   line,
                                        const char             *column,
                                        const char             *text,
                                        gint64                 *unix_time);
int       _herald_results_column_index (GStrv                   header,
                                        const char             *name);

HeraldResultsCampaign *_herald_results_campaign_new   (guint                   line);
void                   _herald_results_campaign_free  (HeraldResultsCampaign  *campaign);
void                   _herald_results_link_free      (HeraldResultsLink      *link);
gboolean               _herald_results_store          (HeraldWorkspace        *workspace,
                                                       GPtrArray              *campaigns,
                                                       HeraldResultsReport    *report,
                                                       GError                **error);

/* Writes recipients' events, each once: the same event imported again is
 * left as it was. Orders are conversions with their order id, kept once
 * by that id (a later import of the order replaces it). */
typedef struct _HeraldEventWriter HeraldEventWriter;

HeraldEventWriter     *_herald_event_writer_new       (HeraldWorkspace        *workspace,
                                                       GError                **error);
void                   _herald_event_writer_free      (HeraldEventWriter      *writer);
/* The contact with this address (any case), 0 when it is not in the
 * audience, -1 with @error set when the workspace could not be read. */
gint64                 _herald_event_writer_find_contact (HeraldEventWriter *writer,
                                                       const char             *email,
                                                       GError                **error);
/* @kind: sent, delivered, open, click, bounce, unsubscribe, complaint or
 * conversion; @campaign_id 0 for none; @value_minor -1 for none;
 * @external_id: an order's id, or %NULL. @added tells whether the event
 * is new. */
gboolean               _herald_event_writer_add       (HeraldEventWriter      *writer,
                                                       gint64                  campaign_id,
                                                       gint64                  contact_id,
                                                       const char             *kind,
                                                       gint64                  occurred_at,
                                                       const char             *url,
                                                       gint64                  value_minor,
                                                       const char             *external_id,
                                                       gboolean               *added,
                                                       GError                **error);
/* Gives every order to the campaign whose email its buyer last opened or
 * clicked within the workspace's attribution window (the setting
 * "attribution-window-days", 5 by default), or to none. Call it in the
 * transaction that added events or orders. */
gboolean               _herald_results_attribute_orders (HeraldWorkspace      *workspace,
                                                       guint                  *attributed,
                                                       GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldEventWriter, _herald_event_writer_free)

G_END_DECLS
