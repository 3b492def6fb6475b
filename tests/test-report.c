/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "herald-core.h"
#include "herald-test-utils.h"

/* A campaign's report: its figures as the Results page lists them, and
 * the same as a PDF of one or two A4 pages, written whole or not at all. */

static char *tmpdir;

/* Mailchimp's report of one campaign, with two A/B combinations and the
 * links of the email. */
#define REPORT \
  "\"Title:\",\"Summer test\"\n" \
  "\"Delivery Date/Time:\",\"Jul 01, 2024 06:15 pm\"\n" \
  "\"Total Recipients:\",\"1,740\"\n" \
  "\"Successful Deliveries:\",\"1,730\"\n" \
  "\"Bounces:\",\"10 (0.6%)\"\n" \
  "\"Recipients Who Opened:\",\"125 (7.2%)\"\n" \
  "\"Total Opens:\",\"301\"\n" \
  "\"Recipients Who Clicked:\",\"40 (2.3%)\"\n" \
  "\"Total Clicks:\",\"61\"\n" \
  "\"Total Unsubs:\",\"3\"\n" \
  "\"Total Abuse Complaints:\",\"0\"\n" \
  "\n" \
  "\"Combination 1 Stats\"\n" \
  "\"Total Recipients:\",\"870\"\n" \
  "\"Recipients Who Opened:\",\"50 (5.8%)\"\n" \
  "\"Combination 2 Stats\"\n" \
  "\"Total Recipients:\",\"870\"\n" \
  "\"Recipients Who Opened:\",\"75 (8.6%)\"\n" \
  "\n" \
  "\"URL\",\"Total Clicks\",\"Unique Clicks\"\n" \
  "\"https://example.com/a\",\"40\",\"30\"\n" \
  "\"https://example.com/b\",\"12\",\"9\"\n"

static HeraldWorkspace *
new_workspace (const char *name)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autofree char *csv = g_build_filename (tmpdir, "report.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldResultsReport) report = NULL;
  HeraldWorkspace *workspace = herald_workspace_open (path, HERALD_WORKSPACE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (csv, REPORT, -1, NULL));
  report = herald_results_import (workspace, csv, HERALD_RESULTS_PRESET_AUTO, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->imported, ==, 1);
  return workspace;
}

/* Where @needle is in @data, which holds binary streams with NUL bytes
 * as well as text. */
static const char *
find_bytes (const char *data,
            gsize       length,
            const char *from,
            const char *needle)
{
  gsize size = strlen (needle);

  for (const char *at = from; at + size <= data + length; at++)
    if (memcmp (at, needle, size) == 0)
      return at;
  return NULL;
}

/* The pages of a PDF: its page objects, not the tree of them. */
static guint
count_pages (const char *data,
             gsize       length)
{
  const char *at = data;
  guint pages = 0;

  while ((at = find_bytes (data, length, at, "/Type /Page")) != NULL)
    {
      at += strlen ("/Type /Page");
      if (at < data + length && *at != 's')
        pages++;
    }
  return pages;
}

static const HeraldKpiFigure *
find_figure (GPtrArray  *figures,
             const char *key)
{
  for (guint i = 0; i < figures->len; i++)
    if (g_str_equal (((HeraldKpiFigure *) figures->pdata[i])->key, key))
      return figures->pdata[i];
  return NULL;
}

static void
test_figures (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ("figures.herald");
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldKpis) kpis = herald_campaign_get_kpis (workspace, "Summer test", &error);
  g_autoptr(GPtrArray) figures = NULL;
  g_autofree char *sent = NULL;
  const char *labels[HERALD_FUNNEL_N_STAGES];
  double stages[HERALD_FUNNEL_N_STAGES];
  const HeraldKpiFigure *figure;

  g_assert_no_error (error);
  figures = herald_kpis_list_figures (kpis);

  /* A rate under its figure, with what it is a share of. */
  figure = find_figure (figures, "unique_opens");
  g_assert_nonnull (figure);
  g_assert_cmpint (figure->section, ==, HERALD_KPI_SECTION_ENGAGEMENT);
  g_assert_cmpstr (figure->value, ==, "125");
  g_assert_cmpstr (figure->detail, ==, "7.2% of delivered");
  figure = find_figure (figures, "bounces");
  g_assert_cmpstr (figure->detail, ==, "0.6% of sent");
  /* A figure that is itself a rate keeps only its denominator. */
  figure = find_figure (figures, "click_to_open_rate");
  g_assert_cmpstr (figure->value, ==, "32%");
  g_assert_cmpstr (figure->detail, ==, "of unique opens");
  /* No cost: ROI over zero is n/a, and so is cost per conversion. */
  figure = find_figure (figures, "roi");
  g_assert_cmpint (figure->section, ==, HERALD_KPI_SECTION_MONEY);
  g_assert_cmpstr (figure->value, ==, "n/a");
  g_assert_cmpstr (figure->detail, ==, "profit of cost");
  g_assert_cmpstr (find_figure (figures, "cost_per_conversion")->value, ==, "n/a");
  g_assert_null (find_figure (figures, "revenue")->detail);
  /* The report gave no opens without proxies: no such line. */
  g_assert_null (find_figure (figures, "proxy_excluded_unique_opens"));
  for (guint i = 1; i < figures->len; i++)
    g_assert_cmpint (((HeraldKpiFigure *) figures->pdata[i - 1])->section, <=,
                     ((HeraldKpiFigure *) figures->pdata[i])->section);
  g_assert_cmpstr (herald_kpi_section_title (HERALD_KPI_SECTION_MONEY), ==, "Revenue and Cost");

  herald_funnel_get_stages (kpis, labels, stages);
  g_assert_cmpstr (labels[0], ==, "Sent");
  g_assert_cmpfloat (stages[0], ==, 1740);
  g_assert_cmpfloat (stages[3], ==, 40);
  g_assert_cmpfloat (stages[4], ==, 0);

  sent = herald_kpis_describe_sent_at (kpis);
  g_assert_nonnull (sent);
  g_assert_true (g_str_has_prefix (sent, "Sent on "));
}

static void
test_suggested_name (void)
{
  g_autofree char *plain = herald_campaign_suggest_pdf_name ("Summer test");
  g_autofree char *slashes = herald_campaign_suggest_pdf_name ("../A/B: test");
  g_autofree char *empty = herald_campaign_suggest_pdf_name ("");

  g_assert_cmpstr (plain, ==, "Summer test.pdf");
  g_assert_cmpstr (slashes, ==, "-A-B- test.pdf");
  g_assert_null (strchr (empty, '/'));
  g_assert_true (g_str_has_suffix (empty, ".pdf"));
  g_assert_cmpint (empty[0], !=, '.');
}

static void
test_write_pdf (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ("pdf.herald");
  g_autofree char *path = g_build_filename (tmpdir, "summer.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  gsize length;
  guint pages;

  g_assert_true (herald_campaign_write_pdf (workspace, "Summer test", HERALD_AB_METRIC_OPENS, path, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  g_assert_true (g_str_has_prefix (data, "%PDF-"));
  g_assert_nonnull (find_bytes (data, length, data, "%%EOF"));
  pages = count_pages (data, length);
  g_assert_cmpuint (pages, >=, 1);
  g_assert_cmpuint (pages, <=, 2);

  /* Written again over itself, and nothing left beside it. */
  g_assert_true (herald_campaign_write_pdf (workspace, "Summer test", HERALD_AB_METRIC_CLICKS, path, NULL, &error));
  g_assert_no_error (error);
  dir = g_dir_open (tmpdir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (g_str_has_prefix (name, ".summer.pdf"));
}

/* A report of many links still fits two pages: the least clicked are
 * counted, not listed. */
static void
test_many_links (void)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(GString) csv = g_string_new (REPORT);
  g_autofree char *csv_path = g_build_filename (tmpdir, "many-links.csv", NULL);
  g_autofree char *path = g_build_filename (tmpdir, "many-links.pdf", NULL);
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldResultsReport) report = NULL;
  gsize length;

  workspace = new_workspace ("many-links.herald");
  for (guint i = 0; i < 200; i++)
    g_string_append_printf (csv, "\"https://example.com/page/%u/with/a/rather/long/path?utm_source=herald\",\"%u\",\"%u\"\n",
                            i, 300 - i, 200 - i);
  g_string_replace (csv, "Summer test", "Many links", 0);
  g_assert_true (g_file_set_contents (csv_path, csv->str, -1, NULL));
  report = herald_results_import (workspace, csv_path, HERALD_RESULTS_PRESET_AUTO, NULL, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (herald_campaign_write_pdf (workspace, "Many links", HERALD_AB_METRIC_OPENS, path, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  g_assert_cmpuint (count_pages (data, length), ==, 2);
}

static void
test_errors (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ("errors.herald");
  g_autofree char *missing = g_build_filename (tmpdir, "missing.pdf", NULL);
  g_autofree char *file = g_build_filename (tmpdir, "not-a-folder", NULL);
  g_autofree char *inside = g_build_filename (file, "report.pdf", NULL);
  g_autoptr(GError) error = NULL;

  /* An unknown campaign: an error, and no file. */
  g_assert_false (herald_campaign_write_pdf (workspace, "Winter test", HERALD_AB_METRIC_OPENS, missing, NULL, &error));
  g_assert_error (error, HERALD_RESULTS_ERROR, HERALD_RESULTS_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* A place no file can go: the error names it. */
  g_assert_true (g_file_set_contents (file, "", -1, NULL));
  g_assert_false (herald_campaign_write_pdf (workspace, "Summer test", HERALD_AB_METRIC_OPENS, inside, NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_IO_ERROR);
  g_assert_nonnull (strstr (error->message, inside));
  g_clear_error (&error);

  /* A cancelled export writes nothing. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    g_assert_false (herald_campaign_write_pdf (workspace, "Summer test", HERALD_AB_METRIC_OPENS, missing, cancellable,
                                               &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  }
}

typedef struct
{
  gboolean  done;
  gboolean  written;
  GError   *error;
} Outcome;

static void
write_finished_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->written = herald_campaign_write_pdf_finish (HERALD_WORKSPACE (source), result, &outcome->error);
  outcome->done = TRUE;
}

static void
test_write_async (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ("async.herald");
  g_autofree char *path = g_build_filename (tmpdir, "async.pdf", NULL);
  Outcome outcome = { 0 };

  herald_campaign_write_pdf_async (workspace, "Summer test", HERALD_AB_METRIC_OPENS, path, NULL, write_finished_cb,
                                   &outcome);
  while (!outcome.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.written);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = herald_test_isolate_home ();
  int status;

  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  tmpdir = g_build_filename (home, "files", NULL);
  g_mkdir_with_parents (tmpdir, 0700);

  g_test_add_func ("/herald/report/figures", test_figures);
  g_test_add_func ("/herald/report/suggested-name", test_suggested_name);
  g_test_add_func ("/herald/report/write-pdf", test_write_pdf);
  g_test_add_func ("/herald/report/many-links", test_many_links);
  g_test_add_func ("/herald/report/errors", test_errors);
  g_test_add_func ("/herald/report/write-async", test_write_async);

  status = g_test_run ();
  herald_test_remove_tree (home);
  g_free (tmpdir);
  return status;
}
