/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "herald-results.h"
#include "herald-workspace.h"

G_BEGIN_DECLS

/* The groups a campaign's figures are shown in. */
typedef enum
{
  HERALD_KPI_SECTION_DELIVERY,
  HERALD_KPI_SECTION_ENGAGEMENT,
  HERALD_KPI_SECTION_MONEY,
  HERALD_N_KPI_SECTIONS
} HeraldKpiSection;

/* A figure of a campaign as people read it: its name, its value in the
 * user's language, and what a rate is a share of, "46% of delivered". */
typedef struct
{
  HeraldKpiSection  section;
  /* The figure's key in the report's JSON: "bounces", "cost", "roi"… */
  const char       *key;
  const char       *title;
  char             *value;
  /* NULL for a figure that is no share of anything. */
  char             *detail;
} HeraldKpiFigure;

const char *herald_kpi_section_title   (HeraldKpiSection   section);
GPtrArray  *herald_kpis_list_figures   (const HeraldKpis  *kpis);
void        herald_kpi_figure_free     (HeraldKpiFigure   *figure);
char       *herald_kpis_describe_sent_at (const HeraldKpis *kpis);

gboolean    herald_campaign_write_pdf  (HeraldWorkspace      *workspace,
                                        const char           *campaign,
                                        HeraldAbMetric        metric,
                                        const char           *path,
                                        GCancellable         *cancellable,
                                        GError              **error);
void        herald_campaign_write_pdf_async (HeraldWorkspace      *workspace,
                                        const char           *campaign,
                                        HeraldAbMetric        metric,
                                        const char           *path,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean    herald_campaign_write_pdf_finish (HeraldWorkspace *workspace,
                                        GAsyncResult         *result,
                                        GError              **error);
char       *herald_campaign_suggest_pdf_name (const char     *campaign);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldKpiFigure, herald_kpi_figure_free)

G_END_DECLS
