/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "herald-core.h"
#include "herald-test-utils.h"
#include "herald-workspace-private.h"

/* Campaign results read from Mailchimp's exports, and the KPIs worked
 * out from them, against figures computed by hand. */

static char *tmpdir;

/* Mailchimp's export of many campaigns, with the columns as Mailchimp
 * names them, rates as text, English dates and "n/a". */
#define CAMPAIGNS \
  "Title,Subject,List,Send Date,Send Weekday,Total Recipients,Successful Deliveries,Soft Bounces,Hard Bounces," \
  "Total Bounces,Times Forwarded,Forwarded Opens,Unique Opens,Open Rate,Total Opens,Unique Clicks,Click Rate," \
  "Total Clicks,Unsubscribes,Abuse Complaints,Times Liked on Facebook,Folder Id,Unique Id,Total Orders," \
  "Total Gross Sales,Total Revenue,Analytics ROI,Campaign Cost,Revenue Created\r\n" \
  "Spring sale,Our spring prices,Customers,\"Jun 09, 2018 09:30 pm\",Saturday,\"1,000\",980,12,8,20,0,0,450,45.92%%," \
  "700,90,9.18%%,130,5,1,0,n/a,a1b2c3,10,\"$1,000.00\",\"$1,000.00\",n/a,$300.00,n/a\r\n" \
  "Newsletter,June news,Customers,\"Jun 20, 2018 08:05 am\",Wednesday,500,500,0,0,0,0,0,100,20.00%%," \
  "150,0,0.00%%,0,0,0,0,n/a,d4e5f6,0,$0.00,$0.00,n/a,n/a,n/a\r\n"

static char *
write_file (const char *name,
            const char *text)
{
  char *path = g_build_filename (tmpdir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static HeraldWorkspace *
new_workspace (const char *name)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;
  HeraldWorkspace *workspace = herald_workspace_open (path, HERALD_WORKSPACE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  return workspace;
}

static void
test_campaigns_export (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ("campaigns.herald");
  g_autofree char *csv = g_strdup_printf (CAMPAIGNS);
  g_autofree char *path = write_file ("campaigns.csv", csv);
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldResultsReport) report = NULL;
  g_autoptr(HeraldKpis) kpis = NULL;
  g_autoptr(HeraldKpis) newsletter = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GDateTime) sent = NULL;
  g_autofree char *json = NULL;

  report = herald_results_import (workspace, path, HERALD_RESULTS_PRESET_AUTO, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->rows, ==, 2);
  g_assert_cmpuint (report->imported, ==, 2);
  g_assert_cmpuint (report->updated, ==, 0);

  kpis = herald_campaign_get_kpis (workspace, "Spring sale", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (kpis->sent, ==, 1000);
  g_assert_cmpfloat (kpis->delivered, ==, 980);
  g_assert_cmpfloat (kpis->bounces, ==, 20);
  g_assert_cmpfloat (kpis->unique_opens, ==, 450);
  g_assert_cmpfloat (kpis->unique_clicks, ==, 90);
  g_assert_cmpfloat (kpis->conversions, ==, 10);
  g_assert_cmpfloat (kpis->revenue, ==, 1000);
  g_assert_cmpfloat (kpis->cost, ==, 300);
  /* Rates are worked out from the counts, per delivered email. */
  g_assert_cmpfloat_with_epsilon (kpis->open_rate, 450.0 / 980, 1e-12);
  g_assert_cmpfloat_with_epsilon (kpis->click_rate, 90.0 / 980, 1e-12);
  g_assert_cmpfloat_with_epsilon (kpis->click_to_open_rate, 0.2, 1e-12);
  g_assert_cmpfloat_with_epsilon (kpis->bounce_rate, 0.02, 1e-12);
  g_assert_cmpfloat_with_epsilon (kpis->unsubscribe_rate, 5.0 / 980, 1e-12);
  g_assert_cmpfloat_with_epsilon (kpis->complaint_rate, 1.0 / 980, 1e-12);
  g_assert_cmpfloat_with_epsilon (kpis->conversion_rate, 10.0 / 980, 1e-12);
  g_assert_cmpfloat_with_epsilon (kpis->revenue_per_recipient, 1000.0 / 980, 1e-12);
  g_assert_cmpfloat_with_epsilon (kpis->roi, 700.0 / 300, 1e-12);
  g_assert_cmpfloat_with_epsilon (kpis->roas, 1000.0 / 300, 1e-12);
  g_assert_cmpfloat_with_epsilon (kpis->cost_per_conversion, 30, 1e-12);
  g_assert_true (isnan (kpis->proxy_excluded_unique_opens));
  sent = g_date_time_new_from_unix_local (kpis->sent_at);
  g_assert_cmpint (g_date_time_get_year (sent), ==, 2018);
  g_assert_cmpint (g_date_time_get_month (sent), ==, 6);
  g_assert_cmpint (g_date_time_get_day_of_month (sent), ==, 9);
  g_assert_cmpint (g_date_time_get_hour (sent), ==, 21);
  g_assert_cmpint (g_date_time_get_minute (sent), ==, 30);

  /* No clicks, no cost: the rates over zero are n/a, in JSON null. */
  newsletter = herald_campaign_get_kpis (workspace, "Newsletter", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (newsletter->click_rate, ==, 0);
  g_assert_true (isnan (newsletter->roi));
  g_assert_true (isnan (newsletter->cost_per_conversion));
  json = herald_kpis_to_json (newsletter);
  g_assert_nonnull (strstr (json, "\"roi\" : null"));
  g_assert_null (strstr (json, "nan"));

  list = herald_campaigns_list_kpis (workspace, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (((HeraldKpis *) list->pdata[0])->campaign, ==, "Newsletter");

  /* The same file again replaces its figures: nothing is counted twice. */
  g_clear_pointer (&report, herald_results_report_free);
  report = herald_results_import (workspace, path, HERALD_RESULTS_PRESET_MAILCHIMP_CAMPAIGNS, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->imported, ==, 0);
  g_assert_cmpuint (report->updated, ==, 2);
  g_assert_cmpint (herald_workspace_count (workspace, HERALD_COLLECTION_CAMPAIGNS, NULL), ==, 2);
  g_clear_pointer (&kpis, herald_kpis_unref);
  kpis = herald_campaign_get_kpis (workspace, "Spring sale", &error);
  g_assert_cmpfloat (kpis->unique_opens, ==, 450);
}

/* The seed example: 100 revenue on 30 cost is an ROI of 233 %; costs the
 * marketer gives take the place of the reported one. */
static void
test_costs_and_roi (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ("roi.herald");
  g_autofree char *path = write_file ("roi.csv",
                                      "Title,Send Date,Total Recipients,Successful Deliveries,Unique Opens,"
                                      "Unique Clicks,Total Orders,Total Revenue,Campaign Cost\n"
                                      "Offer,\"Jan 05, 2024 10:00 am\",\"2,000\",\"2,000\",800,100,4,$100.00,$50.00\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldResultsReport) report = NULL;
  g_autoptr(HeraldKpis) kpis = NULL;
  g_autofree char *percent = NULL;

  report = herald_results_import (workspace, path, HERALD_RESULTS_PRESET_AUTO, NULL, NULL, &error);
  g_assert_no_error (error);
  /* 10 fixed, 5 per 1,000 emails (10 for 2,000), 10 of work: 30. */
  {
    double fixed, per_1000, labour;

    g_assert_false (herald_campaign_get_costs (workspace, "Offer", &fixed, &per_1000, &labour));
    g_assert_true (herald_campaign_set_costs (workspace, "Offer", 10, 5, 10, &error));
    g_assert_no_error (error);
    g_assert_true (herald_campaign_get_costs (workspace, "Offer", &fixed, &per_1000, &labour));
    g_assert_cmpfloat (per_1000, ==, 5);
    g_assert_false (herald_campaign_set_costs (workspace, "Nothing", 1, 1, 1, &error));
    g_assert_error (error, HERALD_RESULTS_ERROR, HERALD_RESULTS_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  kpis = herald_campaign_get_kpis (workspace, "Offer", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (kpis->cost, 30, 1e-9);
  g_assert_cmpfloat_with_epsilon (kpis->roi, 70.0 / 30.0, 1e-12);
  percent = herald_format_percent (kpis->roi);
  g_assert_nonnull (strstr (percent, "233"));
}

/* A single campaign's report, with two A/B combinations. */
static void
test_campaign_report (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ("report.herald");
  g_autofree char *path = write_file ("report.csv",
                                      "\"Title:\",\"Summer test\"\n"
                                      "\"Subject Line:\",\"Two subjects\"\n"
                                      "\"Delivery Date/Time:\",\"Jul 01, 2024 06:15 pm\"\n"
                                      "\"Total Recipients:\",\"1,740\"\n"
                                      "\"Successful Deliveries:\",\"1,730\"\n"
                                      "\"Bounces:\",\"10 (0.6%)\"\n"
                                      "\"Recipients Who Opened:\",\"125 (7.2%)\"\n"
                                      "\"Total Opens:\",\"301\"\n"
                                      "\"Recipients Who Clicked:\",\"40 (2.3%)\"\n"
                                      "\"Total Clicks:\",\"61\"\n"
                                      "\"Total Unsubs:\",\"3\"\n"
                                      "\"Total Abuse Complaints:\",\"0\"\n"
                                      "\n"
                                      "\"Combination 1 Stats\"\n"
                                      "\"Total Recipients:\",\"870\"\n"
                                      "\"Recipients Who Opened:\",\"50 (5.8%)\"\n"
                                      "\"Combination 2 Stats\"\n"
                                      "\"Total Recipients:\",\"870\"\n"
                                      "\"Recipients Who Opened:\",\"75 (8.6%)\"\n"
                                      "\n"
                                      "\"URL\",\"Total Clicks\",\"Unique Clicks\"\n"
                                      "\"https://example.com/a\",\"40\",\"30\"\n"
                                      "\"https://example.com/b\",\"12\",\"9\"\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldResultsReport) report = NULL;
  g_autoptr(HeraldKpis) kpis = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  report = herald_results_import (workspace, path, HERALD_RESULTS_PRESET_AUTO, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->imported, ==, 1);

  kpis = herald_campaign_get_kpis (workspace, "Summer test", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (kpis->sent, ==, 1740);
  g_assert_cmpfloat (kpis->delivered, ==, 1730);
  g_assert_cmpfloat (kpis->bounces, ==, 10);
  g_assert_cmpfloat (kpis->unique_opens, ==, 125);
  g_assert_cmpfloat (kpis->total_opens, ==, 301);
  g_assert_cmpfloat (kpis->unique_clicks, ==, 40);
  g_assert_cmpfloat (kpis->unsubscribes, ==, 3);
  g_assert_cmpfloat_with_epsilon (kpis->open_rate, 125.0 / 1730, 1e-12);

  stmt = _herald_workspace_prepare (workspace, "SELECT variant, sent, unique_opens FROM campaign_results"
                                               " WHERE variant != '' ORDER BY variant", &error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "1");
  g_assert_cmpint (sqlite3_column_int64 (stmt, 2), ==, 50);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "2");
  g_assert_cmpint (sqlite3_column_int64 (stmt, 2), ==, 75);

  /* The report's links, the most clicked first. */
  {
    g_autoptr(GPtrArray) links = herald_campaign_list_links (workspace, "Summer test", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (links->len, ==, 2);
    g_assert_cmpstr (((HeraldCampaignLink *) links->pdata[0])->url, ==, "https://example.com/a");
    g_assert_cmpfloat (((HeraldCampaignLink *) links->pdata[0])->unique_clicks, ==, 30);
    g_assert_cmpfloat (((HeraldCampaignLink *) links->pdata[1])->total_clicks, ==, 12);
  }

  /* The combinations compared on opens: 75 of 870 against 50 of 870,
   * z = 2.321, p = 0.0203, so the second wins. */
  {
    g_autoptr(HeraldAbTest) test = herald_campaign_ab_test (workspace, "Summer test", HERALD_AB_METRIC_OPENS, &error);
    HeraldAbVariant *best;

    g_assert_no_error (error);
    g_assert_cmpuint (test->variants->len, ==, 2);
    best = test->variants->pdata[0];
    g_assert_cmpstr (best->variant, ==, "2");
    g_assert_cmpfloat_with_epsilon (best->rate, 75.0 / 870, 1e-12);
    g_assert_cmpfloat_with_epsilon (test->z, 2.32099050063217, 1e-9);
    g_assert_cmpfloat_with_epsilon (test->p_value, 0.020287356544707102, 1e-9);
    g_assert_true (test->enough_data);
    g_assert_true (test->significant);
  }
  /* No clicks per combination in the report: nothing to compare on. */
  {
    g_autoptr(HeraldAbTest) test = herald_campaign_ab_test (workspace, "Summer test", HERALD_AB_METRIC_CLICKS, &error);

    g_assert_no_error (error);
    g_assert_false (test->enough_data);
    g_assert_false (test->significant);
  }

  /* Named on import, the report becomes the campaign of that name. */
  g_clear_pointer (&report, herald_results_report_free);
  report = herald_results_import (workspace, path, HERALD_RESULTS_PRESET_MAILCHIMP_REPORT, "July A/B", NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&kpis, herald_kpis_unref);
  kpis = herald_campaign_get_kpis (workspace, "July A/B", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (kpis->sent, ==, 1740);
}

/* A bad figure is refused with its line and column; nothing is written. */
static void
test_bad_files (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ("bad.herald");
  g_autofree char *bad_count = write_file ("bad-count.csv",
                                           "Title,Total Recipients,Unique Opens\n"
                                           "Good,100,10\n"
                                           "Bad,200,many\n");
  g_autofree char *bad_date = write_file ("bad-date.csv",
                                          "Title,Send Date,Total Recipients\n"
                                          "Dated,9 June 2018,100\n");
  g_autofree char *contacts = write_file ("contacts.csv", "Email Address,First Name\nanna@example.com,Anna\n");
  g_autoptr(GError) error = NULL;
  HeraldResultsReport *report;

  report = herald_results_import (workspace, bad_count, HERALD_RESULTS_PRESET_AUTO, NULL, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, HERALD_RESULTS_ERROR, HERALD_RESULTS_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "bad-count.csv"));
  g_assert_nonnull (strstr (error->message, "line 3"));
  g_assert_nonnull (strstr (error->message, "Unique Opens"));
  g_assert_cmpint (herald_workspace_count (workspace, HERALD_COLLECTION_CAMPAIGNS, NULL), ==, 0);
  g_clear_error (&error);

  report = herald_results_import (workspace, bad_date, HERALD_RESULTS_PRESET_AUTO, NULL, NULL, &error);
  g_assert_null (report);
  g_assert_nonnull (strstr (error->message, "Send Date"));
  g_clear_error (&error);

  report = herald_results_import (workspace, contacts, HERALD_RESULTS_PRESET_AUTO, NULL, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, HERALD_RESULTS_ERROR, HERALD_RESULTS_ERROR_FORMAT);
  g_clear_error (&error);

  g_assert_null (herald_campaign_get_kpis (workspace, "Good", &error));
  g_assert_error (error, HERALD_RESULTS_ERROR, HERALD_RESULTS_ERROR_NOT_FOUND);
}

/* Three people of the audience; a fourth address is not in it. */
static void
add_people (HeraldWorkspace *workspace)
{
  g_autoptr(GError) error = NULL;

  _herald_workspace_exec (workspace,
                          "INSERT INTO contacts (email, created_at, updated_at) VALUES"
                          " ('anna@example.com', 0, 0), ('ben@example.com', 0, 0), ('cleo@example.com', 0, 0)",
                          &error);
  g_assert_no_error (error);
}

static gint64
count_rows (HeraldWorkspace *workspace,
            const char      *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = _herald_workspace_prepare (workspace, sql, &error);

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

/* What each recipient did, with a campaign column and actions, times and
 * links as services write them. */
#define ACTIVITY \
  "Email Address,Action,Timestamp,URL,Campaign\n" \
  "anna@example.com,open,2024-05-01T10:00:00Z,,Welcome\n" \
  "ANNA@example.com,Opened,2024-05-01 12:30:00Z,,Welcome\n" \
  "anna@example.com,click,2024-05-01T10:05:00Z,https://example.com/a,Welcome\n" \
  "ben@example.com,open,2024-05-02T09:00:00Z,,Welcome\n" \
  "ben@example.com,bounce,2024-05-02T09:00:00Z,,Welcome\n" \
  "dora@example.com,open,2024-05-02T09:00:00Z,,Welcome\n" \
  "cleo@example.com,sent,1714550400,,Welcome\n" \
  "anna@example.com,sent,1714550400,,Welcome\n" \
  "ben@example.com,sent,1714550400,,Welcome\n"

static void
test_activity (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ("activity.herald");
  g_autofree char *path = write_file ("activity.csv", ACTIVITY);
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldResultsReport) report = NULL;
  g_autoptr(HeraldResultsReport) again = NULL;
  g_autoptr(HeraldResultsMapping) mapping = NULL;
  g_autoptr(HeraldKpis) kpis = NULL;
  gint64 clicked;

  add_people (workspace);
  mapping = herald_results_mapping_detect (path, HERALD_RESULTS_PRESET_AUTO, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mapping->preset, ==, HERALD_RESULTS_PRESET_ACTIVITY);
  g_assert_cmpint (mapping->columns[HERALD_RESULTS_COLUMN_EMAIL], ==, 0);
  g_assert_cmpint (mapping->columns[HERALD_RESULTS_COLUMN_TIME], ==, 2);
  g_assert_cmpint (mapping->columns[HERALD_RESULTS_COLUMN_CAMPAIGN], ==, 4);
  g_assert_cmpint (mapping->columns[HERALD_RESULTS_COLUMN_AMOUNT], ==, -1);
  g_assert_cmpuint (mapping->samples->len, ==, 5);

  report = herald_results_import (workspace, path, HERALD_RESULTS_PRESET_AUTO, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->rows, ==, 9);
  g_assert_cmpuint (report->events, ==, 8);
  g_assert_cmpuint (report->unknown_contacts, ==, 1);
  g_assert_cmpuint (report->imported, ==, 1);
  g_assert_cmpstr (report->campaigns[0], ==, "Welcome");

  /* Each person once for unique counts; every open for the total. */
  kpis = herald_campaign_get_kpis (workspace, "Welcome", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (kpis->sent, ==, 3);
  g_assert_cmpfloat (kpis->bounces, ==, 1);
  g_assert_cmpfloat (kpis->delivered, ==, 2);
  g_assert_cmpfloat (kpis->unique_opens, ==, 2);
  g_assert_cmpfloat (kpis->total_opens, ==, 3);
  g_assert_cmpfloat (kpis->unique_clicks, ==, 1);
  g_assert_cmpfloat_with_epsilon (kpis->open_rate, 1.0, 1e-9);
  g_assert_cmpint (kpis->sent_at, ==, 1714550400);

  /* The same file again adds nothing. */
  again = herald_results_import (workspace, path, HERALD_RESULTS_PRESET_ACTIVITY, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->events, ==, 0);
  g_assert_cmpuint (again->imported, ==, 0);
  g_assert_cmpuint (again->updated, ==, 1);
  g_assert_cmpint (count_rows (workspace, "SELECT count(*) FROM events"), ==, 8);

  /* The events feed segments. */
  clicked = herald_segment_count (workspace, "{\"rules\": [{\"event\": \"click\", \"campaign\": \"Welcome\"}]}", NULL,
                                  NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (clicked, ==, 1);
}

/* Orders go to the campaign whose email the buyer last opened or
 * clicked within the window: five days unless the workspace says else. */
static void
test_orders (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ("orders.herald");
  g_autofree char *activity = write_file ("orders-activity.csv", ACTIVITY);
  g_autofree char *path = write_file ("orders.csv",
                                      "Order ID;Customer Email;Created At;Total\n"
                                      "1001;anna@example.com;2024-05-03 10:00;\"€ 120,00\"\n"
                                      "1002;ben@example.com;2024-05-12 10:00;80.50\n"
                                      "1003;dora@example.com;2024-05-03 10:00;10\n"
                                      "1004;cleo@example.com;2024-05-03;1.234,56\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldResultsReport) activity_report = NULL;
  g_autoptr(HeraldResultsReport) report = NULL;
  g_autoptr(HeraldResultsReport) again = NULL;
  g_autoptr(HeraldKpis) kpis = NULL;
  g_autoptr(HeraldKpis) wider = NULL;

  add_people (workspace);
  activity_report = herald_results_import (workspace, activity, HERALD_RESULTS_PRESET_AUTO, NULL, NULL, &error);
  g_assert_no_error (error);

  report = herald_results_import (workspace, path, HERALD_RESULTS_PRESET_AUTO, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->rows, ==, 4);
  g_assert_cmpuint (report->orders, ==, 3);
  g_assert_cmpuint (report->attributed, ==, 1);
  g_assert_cmpuint (report->unknown_contacts, ==, 1);

  kpis = herald_campaign_get_kpis (workspace, "Welcome", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (kpis->conversions, ==, 1);
  g_assert_cmpfloat_with_epsilon (kpis->revenue, 120, 1e-9);

  /* Imported again, nothing counts twice; a wider window takes Ben's
   * order, ten days after his open, too. */
  g_assert_true (herald_workspace_set_setting (workspace, "attribution-window-days", "15", &error));
  again = herald_results_import (workspace, path, HERALD_RESULTS_PRESET_ORDERS, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->attributed, ==, 2);
  g_assert_cmpint (count_rows (workspace, "SELECT count(*) FROM events WHERE kind = 'conversion'"), ==, 3);
  g_assert_cmpint (count_rows (workspace, "SELECT value_minor FROM events WHERE external_id = '1004'"), ==, 123456);
  g_assert_cmpint (count_rows (workspace, "SELECT count(*) FROM events WHERE external_id = '1004'"
                                          " AND campaign_id IS NULL"), ==, 1);
  wider = herald_campaign_get_kpis (workspace, "Welcome", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (wider->conversions, ==, 2);
  g_assert_cmpfloat_with_epsilon (wider->revenue, 200.5, 1e-9);
}

/* A mapping the user changed, and files that cannot be imported: each
 * refused with its place, the workspace as it was. */
static void
test_activity_mapping (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ("mapping.herald");
  g_autofree char *plain = write_file ("plain.csv",
                                       "who,what,when,where\n"
                                       "anna@example.com,click,2024-05-01,https://example.com/b\n");
  g_autofree char *bad_action = write_file ("bad-action.csv",
                                            "Email,Event,Date\n"
                                            "anna@example.com,open,2024-05-01\n"
                                            "ben@example.com,looked,2024-05-01\n");
  g_autofree char *bad_time = write_file ("bad-time.csv",
                                          "Email,Event,Date,Campaign\n"
                                          "anna@example.com,open,yesterday,Welcome\n");
  g_autofree char *ragged = write_file ("ragged.csv",
                                        "Email,Event,Date,Campaign\n"
                                        "anna@example.com,open,2024-05-01,Welcome\n"
                                        "ben@example.com,open\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldResultsMapping) mapping = NULL;
  g_autoptr(HeraldResultsReport) report = NULL;
  HeraldResultsReport *failed;

  add_people (workspace);
  mapping = herald_results_mapping_detect (plain, HERALD_RESULTS_PRESET_ACTIVITY, &error);
  g_assert_no_error (error);
  /* "who" holds addresses, so it is the email column. */
  g_assert_cmpint (mapping->columns[HERALD_RESULTS_COLUMN_EMAIL], ==, 0);
  g_assert_cmpint (mapping->columns[HERALD_RESULTS_COLUMN_ACTION], ==, -1);
  g_assert_true (herald_results_mapping_set (mapping, "email", "", &error));
  g_assert_false (herald_results_mapping_check (mapping, "Welcome", &error));
  g_assert_nonnull (strstr (error->message, "Email"));
  g_clear_error (&error);
  g_assert_false (herald_results_mapping_set (mapping, "email", "nobody", &error));
  g_clear_error (&error);
  g_assert_false (herald_results_mapping_set (mapping, "amount", "what", &error));
  g_clear_error (&error);
  g_assert_true (herald_results_mapping_set (mapping, "email", "who", &error));
  g_assert_true (herald_results_mapping_set (mapping, "action", "what", &error));
  g_assert_true (herald_results_mapping_set (mapping, "time", "when", &error));
  g_assert_true (herald_results_mapping_set (mapping, "url", "where", &error));
  g_assert_false (herald_results_mapping_check (mapping, NULL, &error));
  g_clear_error (&error);
  report = herald_results_import_mapped (workspace, plain, mapping, "Spring sale", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->events, ==, 1);
  g_assert_cmpint (count_rows (workspace, "SELECT count(*) FROM events WHERE url = 'https://example.com/b'"), ==, 1);

  failed = herald_results_import (workspace, bad_action, HERALD_RESULTS_PRESET_AUTO, "Welcome", NULL, &error);
  g_assert_null (failed);
  g_assert_error (error, HERALD_RESULTS_ERROR, HERALD_RESULTS_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "bad-action.csv"));
  g_assert_nonnull (strstr (error->message, "line 3"));
  g_assert_nonnull (strstr (error->message, "Event"));
  g_clear_error (&error);

  failed = herald_results_import (workspace, bad_time, HERALD_RESULTS_PRESET_AUTO, NULL, NULL, &error);
  g_assert_null (failed);
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_assert_nonnull (strstr (error->message, "yesterday"));
  g_clear_error (&error);

  failed = herald_results_import (workspace, ragged, HERALD_RESULTS_PRESET_AUTO, NULL, NULL, &error);
  g_assert_null (failed);
  g_assert_nonnull (strstr (error->message, "line 3"));
  g_clear_error (&error);

  /* Nothing of the refused files was kept, not even their campaigns. */
  g_assert_cmpint (count_rows (workspace, "SELECT count(*) FROM events"), ==, 1);
  g_assert_cmpint (count_rows (workspace, "SELECT count(*) FROM campaigns"), ==, 1);
}

/* Results over time: the campaigns of each period added up, the oldest
 * period first; a campaign without a send date is in none. */
static void
test_timeline (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ("timeline.herald");
  g_autofree char *csv = g_strdup_printf (CAMPAIGNS);
  g_autofree char *path = write_file ("timeline.csv", csv);
  g_autofree char *july = write_file ("july.csv",
                                      "Title,Send Date,Total Recipients,Successful Deliveries,Unique Opens,"
                                      "Total Revenue,Campaign Cost\n"
                                      "July deals,\"Jul 01, 2018 10:00 am\",200,200,50,$50.00,$100.00\n"
                                      "Undated,,100,100,10,n/a,n/a\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldResultsReport) first = NULL;
  g_autoptr(HeraldResultsReport) second = NULL;
  g_autoptr(GPtrArray) months = NULL;
  g_autoptr(GPtrArray) years = NULL;
  g_autofree char *json = NULL;
  HeraldPeriodFigures *june, *year;
  HeraldPeriod period;

  first = herald_results_import (workspace, path, HERALD_RESULTS_PRESET_AUTO, NULL, NULL, &error);
  g_assert_no_error (error);
  second = herald_results_import (workspace, july, HERALD_RESULTS_PRESET_AUTO, NULL, NULL, &error);
  g_assert_no_error (error);

  months = herald_results_by_period (workspace, HERALD_PERIOD_MONTH, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (months->len, ==, 2);
  june = months->pdata[0];
  g_assert_cmpstr (june->label, ==, "Jun 2018");
  g_assert_cmpuint (june->campaigns, ==, 2);
  g_assert_cmpfloat (june->sent, ==, 1500);
  g_assert_cmpfloat (june->delivered, ==, 1480);
  g_assert_cmpfloat (june->unique_opens, ==, 550);
  g_assert_cmpfloat_with_epsilon (june->revenue, 1000, 1e-9);
  g_assert_cmpfloat_with_epsilon (june->cost, 300, 1e-9);
  g_assert_cmpfloat_with_epsilon (june->roi, 700.0 / 300.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (june->open_rate, 550.0 / 1480.0, 1e-9);
  g_assert_cmpstr (((HeraldPeriodFigures *) months->pdata[1])->label, ==, "Jul 2018");

  years = herald_results_by_period (workspace, HERALD_PERIOD_YEAR, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (years->len, ==, 1);
  year = years->pdata[0];
  g_assert_cmpstr (year->label, ==, "2018");
  g_assert_cmpuint (year->campaigns, ==, 3);
  g_assert_cmpfloat_with_epsilon (year->profit, 1050 - 400, 1e-9);

  g_assert_true (herald_period_from_key ("quarter", &period));
  g_assert_cmpint (period, ==, HERALD_PERIOD_QUARTER);
  g_assert_false (herald_period_from_key ("week", &period));
  json = herald_periods_to_json (months);
  g_assert_nonnull (strstr (json, "\"start\" : \"2018-06-01\""));
  g_assert_nonnull (strstr (json, "\"campaigns\" : 2"));
}

/* Where a campaign came from: a template set by hand, or a flow's email
 * step, whose template it takes; a template then has its results. */
static void
test_origin (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ("origin.herald");
  g_autofree char *csv = g_strdup_printf (CAMPAIGNS);
  g_autofree char *path = write_file ("origin.csv", csv);
  HeraldTemplateRecord sale = { "Sale", "Our prices", NULL, "<p>Sale</p>", NULL, 0 };
  HeraldTemplateRecord news = { "News", "June news", NULL, "<p>News</p>", NULL, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldResultsReport) report = NULL;
  g_autoptr(HeraldFlow) flow = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *template = NULL;
  g_autofree char *flow_name = NULL;
  g_autofree char *step = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *none = NULL;
  g_autofree char *segment_summary = NULL;
  g_autofree char *segment = NULL;

  report = herald_results_import (workspace, path, HERALD_RESULTS_PRESET_AUTO, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (herald_templates_save (workspace, &sale, NULL, &error));
  g_assert_true (herald_templates_save (workspace, &news, NULL, &error));
  flow = herald_flow_load ("{\"format\": \"herald-flow\", \"version\": 1, \"name\": \"Newsletter flow\", \"nodes\": ["
                           "{\"id\": \"t\", \"type\": \"trigger\", \"config\": {\"segment\": \"All\"}},"
                           "{\"id\": \"e\", \"type\": \"email\", \"config\": {\"template\": \"News\"}}],"
                           " \"edges\": [{\"from\": \"t\", \"to\": \"e\"}]}",
                           "flow.json", &error);
  g_assert_no_error (error);
  g_assert_true (herald_flows_save (workspace, flow, &error));

  g_assert_true (herald_campaign_set_template (workspace, "Spring sale", "Sale", &error));
  g_assert_true (herald_campaign_link_flow (workspace, "Newsletter", "Newsletter flow", "e", &error));
  g_assert_no_error (error);
  g_assert_true (herald_campaign_get_origin (workspace, "Newsletter", &template, &flow_name, &step, NULL, &error));
  g_assert_cmpstr (template, ==, "News");
  g_assert_cmpstr (flow_name, ==, "Newsletter flow");
  g_assert_cmpstr (step, ==, "e");

  /* Sent to a segment, the campaigns add up to the segment's ROI. */
  g_assert_true (herald_segments_save (workspace, "Customers", "{\"rules\": []}", NULL, "test", &error));
  g_assert_no_error (error);
  g_assert_true (herald_campaign_set_segment (workspace, "Spring sale", "Customers", &error));
  g_assert_true (herald_campaign_set_segment (workspace, "Newsletter", "Customers", &error));
  g_assert_false (herald_campaign_set_segment (workspace, "Newsletter", "Nobody", &error));
  g_assert_error (error, HERALD_RESULTS_ERROR, HERALD_RESULTS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  segment_summary = herald_segment_describe_results (workspace, "Customers");
  g_assert_cmpstr (segment_summary, ==, "2 campaigns, revenue €1,000.00, cost €300.00, ROI 233%");
  g_assert_true (herald_campaign_get_origin (workspace, "Spring sale", NULL, NULL, NULL, &segment, &error));
  g_assert_cmpstr (segment, ==, "Customers");

  list = herald_template_list_kpis (workspace, "Sale", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((HeraldKpis *) list->pdata[0])->campaign, ==, "Spring sale");
  summary = herald_template_describe_results (workspace, "Sale");
  g_assert_cmpstr (summary, ==, "1 campaign, open rate 46%, revenue €1,000.00");
  none = herald_template_describe_results (workspace, "Nothing");
  g_assert_null (none);

  /* Unlinked, the campaign keeps its template but leaves the flow. */
  g_assert_true (herald_campaign_link_flow (workspace, "Newsletter", NULL, NULL, &error));
  g_clear_pointer (&template, g_free);
  g_clear_pointer (&flow_name, g_free);
  g_clear_pointer (&step, g_free);
  g_assert_true (herald_campaign_get_origin (workspace, "Newsletter", &template, &flow_name, &step, NULL, &error));
  g_assert_cmpstr (template, ==, "News");
  g_assert_null (flow_name);
  g_assert_null (step);
  g_assert_true (herald_campaign_set_template (workspace, "Newsletter", NULL, &error));
  g_assert_false (herald_campaign_set_template (workspace, "Newsletter", "Missing", &error));
  g_assert_error (error, HERALD_RESULTS_ERROR, HERALD_RESULTS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* All of a campaign's origin is set together, or none of it. */
  g_assert_true (herald_campaign_set_origin (workspace, "Newsletter", "Sale", NULL, NULL, "Customers", &error));
  g_assert_false (herald_campaign_set_origin (workspace, "Newsletter", "News", "No such flow", "e", NULL, &error));
  g_assert_error (error, HERALD_RESULTS_ERROR, HERALD_RESULTS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_pointer (&template, g_free);
  g_clear_pointer (&segment, g_free);
  g_assert_true (herald_campaign_get_origin (workspace, "Newsletter", &template, NULL, NULL, &segment, &error));
  g_assert_cmpstr (template, ==, "Sale");
  g_assert_cmpstr (segment, ==, "Customers");
  g_assert_false (herald_campaign_get_origin (workspace, "Nobody", NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, HERALD_RESULTS_ERROR, HERALD_RESULTS_ERROR_NOT_FOUND);
}

/* The z-test against values worked out by hand: 200 of 1,000 against
 * 250 of 1,000 is z = −2.6774, p = 0.00742; nothing to compare is NAN. */
static void
test_z_test (void)
{
  double p;
  double z = herald_two_proportion_z_test (200, 1000, 250, 1000, &p);

  g_assert_cmpfloat_with_epsilon (z, -2.677397763008329, 1e-9);
  g_assert_cmpfloat_with_epsilon (p, 0.007419649261025693, 1e-9);
  z = herald_two_proportion_z_test (200, 1000, 200, 1000, &p);
  g_assert_cmpfloat (z, ==, 0);
  g_assert_cmpfloat (p, ==, 1);
  g_assert_true (isnan (herald_two_proportion_z_test (0, 1000, 0, 1000, &p)));
  g_assert_true (isnan (p));
  g_assert_true (isnan (herald_two_proportion_z_test (1, 0, 2, 10, &p)));
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

  g_test_add_func ("/herald/results/campaigns-export", test_campaigns_export);
  g_test_add_func ("/herald/results/costs-and-roi", test_costs_and_roi);
  g_test_add_func ("/herald/results/campaign-report", test_campaign_report);
  g_test_add_func ("/herald/results/bad-files", test_bad_files);
  g_test_add_func ("/herald/results/z-test", test_z_test);
  g_test_add_func ("/herald/results/activity", test_activity);
  g_test_add_func ("/herald/results/orders", test_orders);
  g_test_add_func ("/herald/results/activity-mapping", test_activity_mapping);
  g_test_add_func ("/herald/results/timeline", test_timeline);
  g_test_add_func ("/herald/results/origin", test_origin);

  status = g_test_run ();
  herald_test_remove_tree (home);
  g_free (tmpdir);
  return status;
}
