/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <sqlite3.h>

#include "herald-core.h"
#include "herald-test-utils.h"
#include "herald-workspace-private.h"

/* Retention figures from orders, against a small audience whose figures
 * are worked out by hand below. */

static char *tmpdir;

/* As of 1 July 2026, midnight UTC. */
#define AS_OF 1782864000

/* Five contacts, three of them in Germany. Ada bought three times, the
 * last in June, and once more after the reference time; Bruno twice last
 * autumn; Carla once in May; Dan once in June 2025, a purchase an email
 * service reported with its value but no order id. Eve converted without
 * a value or an order id (a sign-up, not a purchase) and clicked.
 *
 *   customers 4, orders 7, revenue 100 + 50 + 30 + 40 + 60 + 70 + 20 = 370
 *   average order value 370 / 7, purchase frequency 7 / 4 = 1.75
 *   repeat purchase rate 2 / 4 (Ada, Bruno)
 *   churn, 180 days (last order before 2026-01-02): Bruno, Dan: 2 / 4
 *   expected lifetime 1 / 0.5 = 2, lifetime value 370 / 4 × 2 = 185 */
#define FIXTURE \
  "INSERT INTO settings (key, value) VALUES ('currency', 'EUR') ON CONFLICT (key) DO UPDATE SET value = 'EUR';" \
  "INSERT INTO contacts (id, email, country, created_at, updated_at) VALUES" \
  " (1, 'ada@example.com', 'DE', 0, 0), (2, 'bruno@example.com', 'DE', 0, 0)," \
  " (3, 'carla@example.com', 'FR', 0, 0), (4, 'dan@example.com', 'FR', 0, 0)," \
  " (5, 'eve@example.com', 'DE', 0, 0);" \
  "INSERT INTO events (contact_id, kind, occurred_at, value_minor, external_id) VALUES" \
  " (1, 'conversion', strftime ('%s', '2026-01-10 12:00'), 10000, 'O-1')," \
  " (1, 'conversion', strftime ('%s', '2026-03-15 12:00'), 5000, 'O-2')," \
  " (1, 'conversion', strftime ('%s', '2026-06-20 12:00'), 3000, 'O-3')," \
  " (1, 'conversion', strftime ('%s', '2026-08-01 12:00'), 9900, 'O-9')," \
  " (1, 'open', strftime ('%s', '2026-06-19 08:00'), NULL, NULL)," \
  " (2, 'conversion', strftime ('%s', '2025-09-01 12:00'), 4000, 'O-4')," \
  " (2, 'conversion', strftime ('%s', '2025-10-01 12:00'), 6000, 'O-5')," \
  " (3, 'conversion', strftime ('%s', '2026-05-01 12:00'), 7000, 'O-6')," \
  " (4, 'conversion', strftime ('%s', '2025-06-01 12:00'), 2000, NULL)," \
  " (5, 'conversion', strftime ('%s', '2026-06-01 12:00'), NULL, NULL)," \
  " (5, 'click', strftime ('%s', '2026-06-01 11:00'), NULL, NULL);"

static HeraldWorkspace *
new_workspace (const char *name,
               gboolean    with_fixture)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;
  HeraldWorkspace *workspace = herald_workspace_open (path, HERALD_WORKSPACE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  if (with_fixture)
    {
      _herald_workspace_exec (workspace, FIXTURE, &error);
      g_assert_no_error (error);
      herald_segments_save (workspace, "Germany",
                            "{\"match\": \"all\", \"rules\": [{\"field\": \"country\", \"op\": \"equals\", \"value\": \"DE\"}]}",
                            NULL, NULL, &error);
      g_assert_no_error (error);
      herald_segments_save (workspace, "Italy",
                            "{\"match\": \"all\", \"rules\": [{\"field\": \"country\", \"op\": \"equals\", \"value\": \"IT\"}]}",
                            NULL, NULL, &error);
      g_assert_no_error (error);
      herald_segments_save (workspace, "Eve",
                            "{\"match\": \"all\", \"rules\": [{\"field\": \"email\", \"op\": \"starts_with\", \"value\": \"eve@\"}]}",
                            NULL, NULL, &error);
      g_assert_no_error (error);
    }
  return workspace;
}

#define assert_figure(value, expected) g_assert_cmpfloat_with_epsilon ((value), (expected), 1e-9)

static void
test_audience (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ("audience.herald", TRUE);
  g_autoptr(HeraldRetention) r = NULL;
  g_autoptr(GError) error = NULL;

  r = herald_retention_compute (workspace, NULL, AS_OF, HERALD_RETENTION_DEFAULT_CHURN_DAYS, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (r->segment);
  g_assert_cmpint (r->as_of, ==, AS_OF);
  g_assert_cmpuint (r->churn_days, ==, 180);
  g_assert_cmpstr (r->currency, ==, "EUR");
  g_assert_cmpfloat (r->members, ==, 5);
  g_assert_cmpfloat (r->customers, ==, 4);
  g_assert_cmpfloat (r->orders, ==, 7);
  g_assert_cmpfloat (r->repeat_customers, ==, 2);
  g_assert_cmpfloat (r->churned_customers, ==, 2);
  assert_figure (r->revenue, 370);
  assert_figure (r->average_order_value, 370.0 / 7);
  assert_figure (r->purchase_frequency, 1.75);
  assert_figure (r->repeat_purchase_rate, 0.5);
  assert_figure (r->churn_rate, 0.5);
  assert_figure (r->expected_lifetime, 2);
  assert_figure (r->customer_lifetime_value, 185);
}

static void
test_churn_window (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ("window.herald", TRUE);
  g_autoptr(HeraldRetention) month = NULL;
  g_autoptr(HeraldRetention) long_window = NULL;
  g_autoptr(HeraldRetention) earlier = NULL;
  g_autoptr(GError) error = NULL;

  /* 30 days: only Ada ordered after 1 June 2026. */
  month = herald_retention_compute (workspace, NULL, AS_OF, 30, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (month->churned_customers, ==, 3);
  assert_figure (month->churn_rate, 0.75);
  assert_figure (month->expected_lifetime, 4.0 / 3);
  assert_figure (month->customer_lifetime_value, 370.0 / 4 * 4 / 3);

  /* 400 days: nobody has lapsed, so the lifetime is unknown and the
   * lifetime value is what customers spent so far. */
  long_window = herald_retention_compute (workspace, NULL, AS_OF, 400, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (long_window->churned_customers, ==, 0);
  assert_figure (long_window->churn_rate, 0);
  g_assert_true (isnan (long_window->expected_lifetime));
  assert_figure (long_window->customer_lifetime_value, 92.5);

  /* As of the last day of 2025 only Bruno's and Dan's orders had been
   * made: Dan's is 213 days old then. */
  earlier = herald_retention_compute (workspace, NULL, AS_OF - 182 * 24 * 3600, 180, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (earlier->customers, ==, 2);
  g_assert_cmpfloat (earlier->orders, ==, 3);
  assert_figure (earlier->revenue, 120);
  assert_figure (earlier->repeat_purchase_rate, 0.5);
  assert_figure (earlier->churn_rate, 0.5);
  assert_figure (earlier->customer_lifetime_value, 120);
}

static void
test_segment (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ("segment.herald", TRUE);
  g_autoptr(HeraldRetention) germany = NULL;
  g_autoptr(HeraldRetention) rules = NULL;
  g_autoptr(HeraldRetention) missing = NULL;
  g_autoptr(GError) error = NULL;

  /* Ada, Bruno and Eve: 5 orders, 280 in revenue, Bruno lapsed. */
  germany = herald_retention_compute (workspace, "germany", AS_OF, 180, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (germany->segment, ==, "germany");
  g_assert_cmpfloat (germany->members, ==, 3);
  g_assert_cmpfloat (germany->customers, ==, 2);
  g_assert_cmpfloat (germany->orders, ==, 5);
  assert_figure (germany->revenue, 280);
  assert_figure (germany->average_order_value, 56);
  assert_figure (germany->purchase_frequency, 2.5);
  assert_figure (germany->repeat_purchase_rate, 1);
  assert_figure (germany->churn_rate, 0.5);
  assert_figure (germany->customer_lifetime_value, 280);

  /* Rules being edited, not saved yet: the French customers. */
  rules = herald_retention_compute_for_rules (workspace,
                                              "{\"match\": \"all\", \"rules\": "
                                              "[{\"field\": \"country\", \"op\": \"in\", \"value\": [\"FR\"]}]}",
                                              "france.json", AS_OF, 180, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (rules->customers, ==, 2);
  g_assert_cmpfloat (rules->orders, ==, 2);
  assert_figure (rules->revenue, 90);
  assert_figure (rules->repeat_purchase_rate, 0);
  assert_figure (rules->churn_rate, 0.5);

  missing = herald_retention_compute (workspace, "Nowhere", AS_OF, 180, NULL, &error);
  g_assert_null (missing);
  g_assert_error (error, HERALD_SEGMENT_ERROR, HERALD_SEGMENT_ERROR_NOT_FOUND);
}

static void
assert_all_na (const HeraldRetention *r)
{
  g_assert_cmpfloat (r->customers, ==, 0);
  g_assert_cmpfloat (r->orders, ==, 0);
  g_assert_cmpfloat (r->revenue, ==, 0);
  g_assert_true (isnan (r->average_order_value));
  g_assert_true (isnan (r->purchase_frequency));
  g_assert_true (isnan (r->repeat_purchase_rate));
  g_assert_true (isnan (r->churn_rate));
  g_assert_true (isnan (r->expected_lifetime));
  g_assert_true (isnan (r->customer_lifetime_value));
}

static void
test_not_available (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ("na.herald", TRUE);
  g_autoptr(HeraldWorkspace) empty = new_workspace ("empty.herald", FALSE);
  g_autoptr(HeraldRetention) nobody = NULL;
  g_autoptr(HeraldRetention) no_orders = NULL;
  g_autoptr(HeraldRetention) nothing = NULL;
  g_autoptr(GError) error = NULL;

  /* No members at all. */
  nobody = herald_retention_compute (workspace, "Italy", AS_OF, 180, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (nobody->members, ==, 0);
  assert_all_na (nobody);

  /* A member whose conversion was no purchase. */
  no_orders = herald_retention_compute (workspace, "Eve", AS_OF, 180, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (no_orders->members, ==, 1);
  assert_all_na (no_orders);

  nothing = herald_retention_compute (empty, NULL, 0, 180, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (nothing->members, ==, 0);
  g_assert_cmpstr (nothing->currency, ==, "EUR");
  assert_all_na (nothing);
}

static void
test_json (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ("json.herald", TRUE);
  g_autoptr(HeraldRetention) r = NULL;
  g_autoptr(HeraldRetention) na = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *na_json = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) na_root = NULL;
  JsonObject *o;

  r = herald_retention_compute (workspace, "Germany", AS_OF, 180, NULL, &error);
  g_assert_no_error (error);
  json = herald_retention_to_json (r);
  root = json_from_string (json, &error);
  g_assert_no_error (error);
  o = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (o, "segment"), ==, "Germany");
  g_assert_cmpstr (json_object_get_string_member (o, "as_of"), ==, "2026-07-01T00:00:00Z");
  g_assert_cmpint (json_object_get_int_member (o, "churn_days"), ==, 180);
  g_assert_cmpint (json_object_get_int_member (o, "members"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "customers"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (o, "orders"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (o, "repeat_customers"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (o, "churned_customers"), ==, 1);
  assert_figure (json_object_get_double_member (o, "revenue"), 280);
  assert_figure (json_object_get_double_member (o, "average_order_value"), 56);
  assert_figure (json_object_get_double_member (o, "purchase_frequency"), 2.5);
  assert_figure (json_object_get_double_member (o, "repeat_purchase_rate"), 1);
  assert_figure (json_object_get_double_member (o, "churn_rate"), 0.5);
  assert_figure (json_object_get_double_member (o, "expected_lifetime"), 2);
  assert_figure (json_object_get_double_member (o, "customer_lifetime_value"), 280);
  g_assert_cmpstr (json_object_get_string_member (o, "currency"), ==, "EUR");

  /* n/a is null; the whole audience has no segment. */
  na = herald_retention_compute (workspace, "Italy", AS_OF, 180, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&na->segment, g_free);
  na_json = herald_retention_to_json (na);
  na_root = json_from_string (na_json, &error);
  g_assert_no_error (error);
  o = json_node_get_object (na_root);
  g_assert_true (json_object_get_null_member (o, "segment"));
  g_assert_cmpint (json_object_get_int_member (o, "customers"), ==, 0);
  assert_figure (json_object_get_double_member (o, "revenue"), 0);
  g_assert_true (json_object_get_null_member (o, "average_order_value"));
  g_assert_true (json_object_get_null_member (o, "purchase_frequency"));
  g_assert_true (json_object_get_null_member (o, "repeat_purchase_rate"));
  g_assert_true (json_object_get_null_member (o, "churn_rate"));
  g_assert_true (json_object_get_null_member (o, "expected_lifetime"));
  g_assert_true (json_object_get_null_member (o, "customer_lifetime_value"));
}

static void
computed_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  HeraldRetention **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = herald_retention_compute_for_rules_finish (HERALD_WORKSPACE (object), result, &error);
  g_assert_no_error (error);
}

static void
test_async (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ("async.herald", TRUE);
  g_autoptr(HeraldRetention) r = NULL;

  herald_retention_compute_for_rules_async (workspace, "{\"match\": \"all\", \"rules\": []}", NULL, AS_OF, 180,
                                            NULL, computed_cb, &r);
  while (r == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpfloat (r->customers, ==, 4);
  assert_figure (r->customer_lifetime_value, 185);
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

  g_test_add_func ("/herald/retention/audience", test_audience);
  g_test_add_func ("/herald/retention/churn-window", test_churn_window);
  g_test_add_func ("/herald/retention/segment", test_segment);
  g_test_add_func ("/herald/retention/not-available", test_not_available);
  g_test_add_func ("/herald/retention/json", test_json);
  g_test_add_func ("/herald/retention/async", test_async);

  status = g_test_run ();
  herald_test_remove_tree (home);
  g_free (tmpdir);
  return status;
}
