/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-report"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "herald-file-private.h"
#include "herald-format.h"
#include "herald-funnel-draw.h"
#include "herald-report.h"

/* A campaign's report as people read it: its figures with what each rate
 * is a share of, as the Results page lists them, and the same on paper,
 * an A4 PDF of one or two pages with the funnel, the figures, the links
 * and the A/B test. */

/* A4 in points, with margins of about two centimetres. */
#define PAGE_WIDTH 595.276
#define PAGE_HEIGHT 841.89
#define MARGIN 56.0
#define CONTENT_WIDTH (PAGE_WIDTH - 2 * MARGIN)
#define FOOTER_Y (PAGE_HEIGHT - 40.0)
#define BOTTOM (FOOTER_Y - 16.0)

/* The columns of a table: a name, a number, and a note. */
#define VALUE_WIDTH 80.0
#define DETAIL_WIDTH 120.0
#define DETAIL_X (CONTENT_WIDTH - DETAIL_WIDTH)
#define VALUE_X (DETAIL_X - 16.0 - VALUE_WIDTH)
#define TITLE_WIDTH (VALUE_X - 16.0)
#define ROW_PADDING 3.5

/* The columns of figures, side by side. */
#define COLUMN_GAP 28.0
#define COLUMN_WIDTH ((CONTENT_WIDTH - COLUMN_GAP) / 2)

/* The links a report lists at most, so it stays within two pages. */
#define MAX_LINKS 12

/* Ink for paper: Adwaita's dark text, a dim grey, the accent blue, and a
 * light blue for the funnel's bars that dark text reads well on. */
static const HeraldFunnelColour ink = { 0.141, 0.122, 0.192, 1.0 };
static const HeraldFunnelColour dim = { 0.369, 0.361, 0.392, 1.0 };
static const HeraldFunnelColour rule = { 0.141, 0.122, 0.192, 0.15 };
static const HeraldFunnelColour accent = { 0.208, 0.518, 0.894, 1.0 };
static const HeraldFunnelColour bar = { 0.600, 0.757, 0.945, 1.0 };

#define FONT_TEXT "Sans 9.5"
#define FONT_SMALL "Sans 8"
#define FONT_HEADING "Sans Bold 12"
#define FONT_TITLE "Sans Bold 20"

/* The funnel is drawn smaller than on screen, with its text scaled back
 * to the size of the rest. */
#define FUNNEL_SCALE 0.8
#define FONT_FUNNEL "Sans 11.5"

static void
add_figure (GPtrArray        *figures,
            HeraldKpiSection  section,
            const char       *key,
            const char       *title,
            char             *value,
            double            rate,
            const char       *denominator)
{
  HeraldKpiFigure *figure = g_new0 (HeraldKpiFigure, 1);

  figure->section = section;
  figure->key = key;
  figure->title = title;
  figure->value = value;
  /* A rate shown as the figure itself, or not known, leaves only what it
   * is a share of. */
  if (denominator != NULL && isfinite (rate))
    {
      g_autofree char *percent = herald_format_percent (rate);

      /* Translators: a rate and its denominator under a figure, “46% of delivered”. */
      figure->detail = g_strdup_printf (C_("rate and denominator", "%s %s"), percent, denominator);
    }
  else
    figure->detail = g_strdup (denominator);
  g_ptr_array_add (figures, figure);
}

/**
 * herald_kpis_list_figures:
 *
 * Lists a campaign's figures in the order the Results page and the report
 * show them: delivery, engagement, then revenue and cost; every rate with
 * its denominator, "n/a" where the denominator is zero.
 *
 * Returns: (transfer container) (element-type HeraldKpiFigure): the figures
 */
GPtrArray *
herald_kpis_list_figures (const HeraldKpis *kpis)
{
  GPtrArray *figures = g_ptr_array_new_with_free_func ((GDestroyNotify) herald_kpi_figure_free);
  const char *currency;

  g_return_val_if_fail (kpis != NULL, NULL);

  currency = kpis->currency;
  add_figure (figures, HERALD_KPI_SECTION_DELIVERY, "sent", _("Sent"), herald_format_count (kpis->sent), NAN, NULL);
  add_figure (figures, HERALD_KPI_SECTION_DELIVERY, "delivered", _("Delivered"), herald_format_count (kpis->delivered),
              NAN, NULL);
  add_figure (figures, HERALD_KPI_SECTION_DELIVERY, "bounces", _("Bounces"), herald_format_count (kpis->bounces),
              kpis->bounce_rate, _("of sent"));

  add_figure (figures, HERALD_KPI_SECTION_ENGAGEMENT, "unique_opens", _("Unique opens"),
              herald_format_count (kpis->unique_opens), kpis->open_rate, _("of delivered"));
  if (!isnan (kpis->proxy_excluded_unique_opens))
    add_figure (figures, HERALD_KPI_SECTION_ENGAGEMENT, "proxy_excluded_unique_opens",
                _("Opens without privacy proxies"), herald_format_count (kpis->proxy_excluded_unique_opens),
                kpis->delivered > 0 ? kpis->proxy_excluded_unique_opens / kpis->delivered : NAN, _("of delivered"));
  add_figure (figures, HERALD_KPI_SECTION_ENGAGEMENT, "unique_clicks", _("Unique clicks"),
              herald_format_count (kpis->unique_clicks), kpis->click_rate, _("of delivered"));
  add_figure (figures, HERALD_KPI_SECTION_ENGAGEMENT, "click_to_open_rate", _("Click-to-open rate"),
              herald_format_percent (kpis->click_to_open_rate), NAN, _("of unique opens"));
  add_figure (figures, HERALD_KPI_SECTION_ENGAGEMENT, "unsubscribes", _("Unsubscribes"),
              herald_format_count (kpis->unsubscribes), kpis->unsubscribe_rate, _("of delivered"));
  add_figure (figures, HERALD_KPI_SECTION_ENGAGEMENT, "complaints", _("Complaints"),
              herald_format_count (kpis->complaints), kpis->complaint_rate, _("of delivered"));
  add_figure (figures, HERALD_KPI_SECTION_ENGAGEMENT, "conversions", _("Conversions"),
              herald_format_count (kpis->conversions), kpis->conversion_rate, _("of delivered"));

  add_figure (figures, HERALD_KPI_SECTION_MONEY, "revenue", _("Revenue"), herald_format_money (kpis->revenue, currency),
              NAN, NULL);
  add_figure (figures, HERALD_KPI_SECTION_MONEY, "revenue_per_recipient", _("Revenue per recipient"),
              herald_format_money (kpis->revenue_per_recipient, currency), NAN, NULL);
  add_figure (figures, HERALD_KPI_SECTION_MONEY, "cost", _("Cost"), herald_format_money (kpis->cost, currency), NAN,
              NULL);
  add_figure (figures, HERALD_KPI_SECTION_MONEY, "profit", _("Profit"), herald_format_money (kpis->profit, currency),
              NAN, NULL);
  add_figure (figures, HERALD_KPI_SECTION_MONEY, "roi", _("Return on investment"), herald_format_percent (kpis->roi),
              NAN, _("profit of cost"));
  add_figure (figures, HERALD_KPI_SECTION_MONEY, "roas", _("Return on ad spend"), herald_format_percent (kpis->roas),
              NAN, _("revenue of cost"));
  add_figure (figures, HERALD_KPI_SECTION_MONEY, "cost_per_conversion", _("Cost per conversion"),
              herald_format_money (kpis->cost_per_conversion, currency), NAN, NULL);
  return figures;
}

void
herald_kpi_figure_free (HeraldKpiFigure *figure)
{
  if (figure == NULL)
    return;
  g_free (figure->value);
  g_free (figure->detail);
  g_free (figure);
}

const char *
herald_kpi_section_title (HeraldKpiSection section)
{
  switch (section)
    {
    case HERALD_KPI_SECTION_DELIVERY: return _("Delivery");
    case HERALD_KPI_SECTION_ENGAGEMENT: return _("Engagement");
    case HERALD_KPI_SECTION_MONEY: return _("Revenue and Cost");
    case HERALD_N_KPI_SECTIONS:
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * herald_kpis_describe_sent_at:
 *
 * Returns: (transfer full) (nullable): when the campaign went out, in a
 *   sentence, or %NULL when the report did not say
 */
char *
herald_kpis_describe_sent_at (const HeraldKpis *kpis)
{
  g_autoptr(GDateTime) sent = NULL;

  g_return_val_if_fail (kpis != NULL, NULL);

  if (kpis->sent_at < 0 || (sent = g_date_time_new_from_unix_local (kpis->sent_at)) == NULL)
    return NULL;
  /* Translators: when a campaign went out, in strftime format. */
  return g_date_time_format (sent, _("Sent on %x at %H:%M"));
}

/**
 * herald_campaign_suggest_pdf_name:
 *
 * Returns: (transfer full): a file name for the campaign's report, with
 *   what a file system would not take replaced
 */
char *
herald_campaign_suggest_pdf_name (const char *campaign)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (campaign != NULL, NULL);

  name = g_strdelimit (g_utf8_make_valid (campaign, -1), "/\\:*?\"<>|\t\r\n", '-');
  /* A name with a leading dot would be a hidden file. */
  while (*name == '.' || *name == ' ')
    memmove (name, name + 1, strlen (name));
  return g_strconcat (*name != '\0' ? name : _("Report"), ".pdf", NULL);
}

/* The report's pages are laid out twice: once to count them, for the
 * footer's "page 1 of 2", and once to draw them. */
typedef struct
{
  cairo_t      *cr;
  gboolean      drawing;
  double        y;
  guint         page;
  guint         n_pages;
  const char   *generated;
  HeraldKpis   *kpis;
  GPtrArray    *figures;
  GPtrArray    *links;
  HeraldAbTest *test;
} Report;

/* Lays out a text in @width (wrapped, or on one line cut with "…" when
 * @ellipsize is set), draws it when the pass draws, and gives its height. */
static double
show_text (Report             *report,
           const char         *text,
           const char         *font,
           const HeraldFunnelColour *colour,
           double              x,
           double              y,
           double              width,
           PangoAlignment      alignment,
           PangoEllipsizeMode  ellipsize)
{
  PangoLayout *layout = pango_cairo_create_layout (report->cr);
  PangoFontDescription *description = pango_font_description_from_string (font);
  PangoAttrList *attributes = pango_attr_list_new ();
  int height;

  pango_layout_set_font_description (layout, description);
  /* Figures of the same width, so that columns of them line up. */
  pango_attr_list_insert (attributes, pango_attr_font_features_new ("tnum=1"));
  pango_layout_set_attributes (layout, attributes);
  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_alignment (layout, alignment);
  if (ellipsize != PANGO_ELLIPSIZE_NONE)
    pango_layout_set_ellipsize (layout, ellipsize);
  else
    pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_get_pixel_size (layout, NULL, &height);
  if (report->drawing)
    {
      cairo_set_source_rgba (report->cr, colour->red, colour->green, colour->blue, colour->alpha);
      cairo_move_to (report->cr, x, y);
      pango_cairo_show_layout (report->cr, layout);
    }
  pango_attr_list_unref (attributes);
  pango_font_description_free (description);
  g_object_unref (layout);
  return height;
}

static double
text_height (Report     *report,
             const char *text,
             const char *font,
             double      width)
{
  gboolean drawing = report->drawing;
  double height;

  report->drawing = FALSE;
  height = show_text (report, text, font, &ink, 0, 0, width, PANGO_ALIGN_LEFT, PANGO_ELLIPSIZE_NONE);
  report->drawing = drawing;
  return height;
}

static double
text_width (Report     *report,
            const char *text,
            const char *font)
{
  PangoLayout *layout = pango_cairo_create_layout (report->cr);
  PangoFontDescription *description = pango_font_description_from_string (font);
  PangoAttrList *attributes = pango_attr_list_new ();
  int width;

  pango_layout_set_font_description (layout, description);
  pango_attr_list_insert (attributes, pango_attr_font_features_new ("tnum=1"));
  pango_layout_set_attributes (layout, attributes);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, NULL);
  pango_attr_list_unref (attributes);
  pango_font_description_free (description);
  g_object_unref (layout);
  return width;
}

static void
draw_line (Report                   *report,
           const HeraldFunnelColour *colour,
           double                    line_width,
           double                    x,
           double                    width,
           double                    y)
{
  if (!report->drawing)
    return;
  cairo_set_source_rgba (report->cr, colour->red, colour->green, colour->blue, colour->alpha);
  cairo_set_line_width (report->cr, line_width);
  cairo_move_to (report->cr, x, y);
  cairo_line_to (report->cr, x + width, y);
  cairo_stroke (report->cr);
}

/* The footer: when the report was made, and the page of how many. */
static void
finish_page (Report *report)
{
  g_autofree char *page = NULL;

  draw_line (report, &rule, 0.5, MARGIN, CONTENT_WIDTH, FOOTER_Y - 6);
  show_text (report, report->generated, FONT_SMALL, &dim, MARGIN, FOOTER_Y, CONTENT_WIDTH * 0.7, PANGO_ALIGN_LEFT,
             PANGO_ELLIPSIZE_END);
  /* Translators: in the footer of a report’s page, “Page 1 of 2”. */
  page = g_strdup_printf (_("Page %u of %u"), report->page, report->n_pages);
  show_text (report, page, FONT_SMALL, &dim, MARGIN + CONTENT_WIDTH * 0.7, FOOTER_Y, CONTENT_WIDTH * 0.3,
             PANGO_ALIGN_RIGHT, PANGO_ELLIPSIZE_END);
}

/* Goes to the next page unless @height still fits on this one. */
static void
make_room (Report *report,
           double  height)
{
  if (report->y + height <= BOTTOM || report->y <= MARGIN)
    return;
  finish_page (report);
  if (report->drawing)
    cairo_show_page (report->cr);
  report->page++;
  report->y = MARGIN;
}

/* A section's heading, kept on the page of what follows it. */
static void
show_heading (Report     *report,
              const char *heading,
              double      following)
{
  double height = text_height (report, heading, FONT_HEADING, CONTENT_WIDTH);

  report->y += 14;
  make_room (report, height + 8 + following);
  report->y += show_text (report, heading, FONT_HEADING, &ink, MARGIN, report->y, CONTENT_WIDTH, PANGO_ALIGN_LEFT,
                          PANGO_ELLIPSIZE_NONE);
  report->y += 6;
}

/* A row of a table: a name, a number set right, and a dim note. Drawn
 * when the pass draws; gives its height. */
static double
lay_out_row (Report                   *report,
             double                    y,
             const char               *title,
             PangoEllipsizeMode        title_ellipsize,
             const char               *value,
             const char               *detail,
             const HeraldFunnelColour *colour)
{
  double height;

  y += ROW_PADDING;
  height = show_text (report, title, FONT_TEXT, colour, MARGIN, y, TITLE_WIDTH, PANGO_ALIGN_LEFT, title_ellipsize);
  if (value != NULL)
    {
      /* A long heading over the numbers reaches into the gap before them. */
      double width = MIN (MAX (VALUE_WIDTH, text_width (report, value, FONT_TEXT)), VALUE_WIDTH + 40);

      height = MAX (height, show_text (report, value, FONT_TEXT, colour, MARGIN + VALUE_X + VALUE_WIDTH - width, y,
                                       width, PANGO_ALIGN_RIGHT, PANGO_ELLIPSIZE_END));
    }
  if (detail != NULL)
    height = MAX (height, show_text (report, detail, FONT_TEXT, &dim, MARGIN + DETAIL_X, y, CONTENT_WIDTH - DETAIL_X,
                                     PANGO_ALIGN_LEFT, PANGO_ELLIPSIZE_NONE));
  return height + 2 * ROW_PADDING;
}

static double
one_row_height (Report *report)
{
  return text_height (report, "Ag", FONT_TEXT, CONTENT_WIDTH) + 2 * ROW_PADDING;
}

static void
show_row (Report                   *report,
          const char               *title,
          PangoEllipsizeMode        title_ellipsize,
          const char               *value,
          const char               *detail,
          const HeraldFunnelColour *colour)
{
  gboolean drawing = report->drawing;
  double height;

  report->drawing = FALSE;
  height = lay_out_row (report, 0, title, title_ellipsize, value, detail, colour);
  report->drawing = drawing;
  make_room (report, height);
  lay_out_row (report, report->y, title, title_ellipsize, value, detail, colour);
  report->y += height;
  draw_line (report, &rule, 0.5, MARGIN, CONTENT_WIDTH, report->y);
}

static void
show_title (Report *report)
{
  g_autofree char *sent = herald_kpis_describe_sent_at (report->kpis);

  /* Translators: the heading over a campaign's name in its printed report. */
  report->y += show_text (report, _("Campaign Report"), FONT_TEXT, &accent, MARGIN, report->y, CONTENT_WIDTH,
                          PANGO_ALIGN_LEFT, PANGO_ELLIPSIZE_END);
  report->y += 2;
  report->y += show_text (report, report->kpis->campaign, FONT_TITLE, &ink, MARGIN, report->y, CONTENT_WIDTH,
                          PANGO_ALIGN_LEFT, PANGO_ELLIPSIZE_NONE);
  if (sent != NULL)
    report->y += 2 + show_text (report, sent, FONT_TEXT, &dim, MARGIN, report->y + 2, CONTENT_WIDTH, PANGO_ALIGN_LEFT,
                                PANGO_ELLIPSIZE_NONE);
  report->y += 8;
  draw_line (report, &accent, 1.5, MARGIN, CONTENT_WIDTH, report->y);
  report->y += 4;
}

static void
show_funnel (Report *report)
{
  const char *labels[HERALD_FUNNEL_N_STAGES];
  double values[HERALD_FUNNEL_N_STAGES];
  double height = herald_funnel_get_height (HERALD_FUNNEL_N_STAGES) * FUNNEL_SCALE;

  herald_funnel_get_stages (report->kpis, labels, values);
  show_heading (report, _("Funnel"), height);
  if (report->drawing)
    {
      PangoFontDescription *font = pango_font_description_from_string (FONT_FUNNEL);

      cairo_save (report->cr);
      cairo_translate (report->cr, MARGIN, report->y);
      cairo_scale (report->cr, FUNNEL_SCALE, FUNNEL_SCALE);
      herald_funnel_draw (report->cr, NULL, font, labels, values, HERALD_FUNNEL_N_STAGES, CONTENT_WIDTH / FUNNEL_SCALE,
                          &ink, &bar);
      cairo_restore (report->cr);
      pango_font_description_free (font);
    }
  report->y += height;
}

/* A column of figures, each with what it is a share of under its name
 * and its value set right, as the Results page shows them. */
static double
show_figure_column (Report   *report,
                    double    x,
                    double    y,
                    gboolean  money)
{
  gboolean first = TRUE;

  for (guint i = 0; i < report->figures->len; i++)
    {
      HeraldKpiFigure *figure = report->figures->pdata[i];
      double height, value_height, value_width, title_width;

      if ((figure->section == HERALD_KPI_SECTION_MONEY) != money)
        continue;
      if (i == 0 || figure->section != ((HeraldKpiFigure *) report->figures->pdata[i - 1])->section)
        {
          y += first ? 0 : 14;
          y += show_text (report, herald_kpi_section_title (figure->section), FONT_HEADING, &ink, x, y, COLUMN_WIDTH,
                          PANGO_ALIGN_LEFT, PANGO_ELLIPSIZE_NONE);
          y += 4;
          first = FALSE;
        }
      /* The value takes the room it needs, the name the rest. */
      value_width = MIN (text_width (report, figure->value, FONT_TEXT), COLUMN_WIDTH / 2);
      title_width = COLUMN_WIDTH - value_width - 10;
      y += ROW_PADDING;
      height = show_text (report, figure->title, FONT_TEXT, &ink, x, y, title_width, PANGO_ALIGN_LEFT,
                          PANGO_ELLIPSIZE_NONE);
      if (figure->detail != NULL)
        height += 1 + show_text (report, figure->detail, FONT_SMALL, &dim, x, y + height + 1, title_width,
                                 PANGO_ALIGN_LEFT, PANGO_ELLIPSIZE_NONE);
      value_height = show_text (report, figure->value, FONT_TEXT, &ink, x + COLUMN_WIDTH - value_width, y,
                                value_width, PANGO_ALIGN_RIGHT, PANGO_ELLIPSIZE_END);
      y += MAX (height, value_height) + ROW_PADDING;
      draw_line (report, &rule, 0.5, x, COLUMN_WIDTH, y);
    }
  return y;
}

/* The figures in two columns, delivery and engagement on the left, money
 * on the right, kept together on one page. */
static void
show_figures (Report *report)
{
  gboolean drawing = report->drawing;
  double left, right;

  report->y += 14;
  report->drawing = FALSE;
  left = show_figure_column (report, MARGIN, 0, FALSE);
  right = show_figure_column (report, MARGIN, 0, TRUE);
  report->drawing = drawing;
  make_room (report, MAX (left, right));
  left = show_figure_column (report, MARGIN, report->y, FALSE);
  right = show_figure_column (report, MARGIN + COLUMN_WIDTH + COLUMN_GAP, report->y, TRUE);
  report->y = MAX (left, right);
}

/* The room the A/B test takes, the heading and the verdict included. */
static double
variants_height (Report *report)
{
  g_autofree char *verdict = NULL;

  if (report->test == NULL || report->test->variants->len < 2)
    return 0;
  verdict = herald_ab_test_describe (report->test);
  return 14 + text_height (report, _("Variants"), FONT_HEADING, CONTENT_WIDTH) + 6
         + report->test->variants->len * one_row_height (report)
         + 8 + text_height (report, verdict, FONT_TEXT, CONTENT_WIDTH);
}

/* The links, the most clicked first: people who clicked, and all clicks.
 * On the last page only as many as leave room for the A/B test. */
static void
show_links (Report *report)
{
  double reserve = variants_height (report) + one_row_height (report);
  guint shown;

  if (report->links->len == 0)
    return;
  show_heading (report, _("Links"), 2 * one_row_height (report));
  show_row (report, _("Link"), PANGO_ELLIPSIZE_END, _("Unique clicks"), NULL, &dim);
  for (shown = 0; shown < MIN (report->links->len, MAX_LINKS); shown++)
    {
      HeraldCampaignLink *link = report->links->pdata[shown];
      g_autofree char *unique = NULL;
      g_autofree char *total = NULL;
      g_autofree char *detail = NULL;

      if (report->page > 1 && report->y + one_row_height (report) + reserve > BOTTOM)
        break;
      unique = herald_format_count (link->unique_clicks);
      total = herald_format_count (link->total_clicks);
      /* Translators: under a link, every click on it. */
      detail = g_strdup_printf (ngettext ("%s click in all", "%s clicks in all",
                                          isnan (link->total_clicks) ? 0 : (gulong) MIN (link->total_clicks, 1e6)),
                                total);
      show_row (report, link->url, PANGO_ELLIPSIZE_END, unique, detail, &ink);
    }
  if (report->links->len > shown)
    {
      guint more = report->links->len - shown;
      /* Translators: under the links of a report that lists the first of them only. */
      g_autofree char *text = g_strdup_printf (ngettext ("%u more link, clicked less", "%u more links, clicked less",
                                                         more),
                                               more);

      show_row (report, text, PANGO_ELLIPSIZE_END, NULL, NULL, &dim);
    }
}

/* The A/B combinations, the best first, and the test's verdict. */
static void
show_variants (Report *report)
{
  g_autofree char *verdict = NULL;
  double height;

  if (report->test == NULL || report->test->variants->len < 2)
    return;
  show_heading (report, _("Variants"), 3 * one_row_height (report));
  for (guint i = 0; i < report->test->variants->len; i++)
    {
      HeraldAbVariant *variant = report->test->variants->pdata[i];
      g_autofree char *title = g_strdup_printf (_("Variant %s"), variant->variant);
      g_autofree char *successes = herald_format_count (variant->successes);
      g_autofree char *recipients = herald_format_count (variant->recipients);
      /* Translators: under a variant, “75 of 870”: successes of recipients. */
      g_autofree char *detail = g_strdup_printf (_("%s of %s"), successes, recipients);
      g_autofree char *rate = herald_format_percent (variant->rate);

      show_row (report, title, PANGO_ELLIPSIZE_END, rate, detail, &ink);
    }
  verdict = herald_ab_test_describe (report->test);
  height = text_height (report, verdict, FONT_TEXT, CONTENT_WIDTH);
  make_room (report, height + 8);
  report->y += 8;
  report->y += show_text (report, verdict, FONT_TEXT, report->test->significant ? &accent : &ink, MARGIN, report->y,
                          CONTENT_WIDTH, PANGO_ALIGN_LEFT, PANGO_ELLIPSIZE_NONE);
}

static void
lay_out (Report *report)
{
  report->page = 1;
  report->y = MARGIN;
  show_title (report);
  show_funnel (report);
  show_figures (report);
  show_links (report);
  show_variants (report);
  finish_page (report);
}

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  return _herald_file_writer_write (closure, data, length) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/**
 * herald_campaign_write_pdf:
 * @campaign: the campaign's name
 * @metric: what its variants are compared on
 * @path: where to write the PDF
 *
 * Writes a campaign's report, an A4 PDF of one or two pages in the
 * user's language. The file is written beside @path and renamed when
 * complete, so a failure never leaves half a report behind.
 */
gboolean
herald_campaign_write_pdf (HeraldWorkspace  *workspace,
                           const char       *campaign,
                           HeraldAbMetric    metric,
                           const char       *path,
                           GCancellable     *cancellable,
                           GError          **error)
{
  g_autoptr(HeraldKpis) kpis = NULL;
  g_autoptr(GPtrArray) figures = NULL;
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(HeraldAbTest) test = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = NULL;
  g_autofree char *generated = NULL;
  g_autofree char *title = NULL;
  g_autoptr(HeraldFileWriter) writer = NULL;
  g_autoptr(GError) write_error = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  Report report = { 0 };

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), FALSE);
  g_return_val_if_fail (campaign != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(kpis = herald_campaign_get_kpis (workspace, campaign, error))
      || !(links = herald_campaign_list_links (workspace, campaign, error))
      || !(test = herald_campaign_ab_test (workspace, campaign, metric, error)))
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  figures = herald_kpis_list_figures (kpis);

  date = g_date_time_format (now, "%x");
  /* Translators: in the footer of a report; %s is the date. */
  generated = g_strdup_printf (_("Made with Herald on %s"), date);

  if (!(writer = _herald_file_writer_new (path, 0666, error)))
    return FALSE;

  surface = cairo_pdf_surface_create_for_stream (write_cb, writer, PAGE_WIDTH, PAGE_HEIGHT);
  /* Translators: the title of a report's PDF file; %s is the campaign. */
  title = g_strdup_printf (_("Report on %s"), kpis->campaign);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Herald " PACKAGE_VERSION);

  report.cr = cairo_create (surface);
  report.generated = generated;
  report.kpis = kpis;
  report.figures = figures;
  report.links = links;
  report.test = test;
  lay_out (&report);
  report.n_pages = report.page;
  report.drawing = TRUE;
  lay_out (&report);
  cairo_destroy (report.cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (!_herald_file_writer_finish (g_steal_pointer (&writer), status == CAIRO_STATUS_SUCCESS, &write_error))
    {
      if (write_error != NULL)
        g_propagate_error (error, g_steal_pointer (&write_error));
      else
        _herald_file_set_write_error (error, path, 0, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  char           *workspace;
  char           *campaign;
  char           *path;
  HeraldAbMetric  metric;
} WriteData;

static void
write_data_free (WriteData *data)
{
  g_free (data->workspace);
  g_free (data->campaign);
  g_free (data->path);
  g_free (data);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteData *data = task_data;
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;

  /* The worker reads through a connection of its own. */
  if (!(workspace = herald_workspace_open (data->workspace, HERALD_WORKSPACE_OPEN_PRIVATE, &error))
      || !herald_campaign_write_pdf (workspace, data->campaign, data->metric, data->path, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * herald_campaign_write_pdf_async:
 *
 * Writes a campaign's report in a worker thread; see
 * herald_campaign_write_pdf().
 */
void
herald_campaign_write_pdf_async (HeraldWorkspace     *workspace,
                                 const char          *campaign,
                                 HeraldAbMetric       metric,
                                 const char          *path,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  WriteData *data;

  g_return_if_fail (HERALD_IS_WORKSPACE (workspace));
  g_return_if_fail (campaign != NULL);
  g_return_if_fail (path != NULL);

  data = g_new0 (WriteData, 1);
  data->workspace = g_strdup (herald_workspace_get_path (workspace));
  data->campaign = g_strdup (campaign);
  data->path = g_strdup (path);
  data->metric = metric;
  task = g_task_new (workspace, cancellable, callback, user_data);
  g_task_set_source_tag (task, herald_campaign_write_pdf_async);
  g_task_set_task_data (task, data, (GDestroyNotify) write_data_free);
  g_task_run_in_thread (task, write_thread);
}

gboolean
herald_campaign_write_pdf_finish (HeraldWorkspace  *workspace,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, workspace), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
