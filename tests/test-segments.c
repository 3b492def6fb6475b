/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "herald-core.h"
#include "herald-test-utils.h"
#include "herald-workspace-private.h"

/* The fixture: contacts whose fields the expectations below are read from
 * by hand, so every count is checked against something the compiler did
 * not produce. */
typedef struct
{
  const char *email;
  const char *first;
  const char *company;
  const char *title;
  const char *industry;
  int         size;
  const char *country;
  const char *tags;
  const char *plan;
  const char *status;
  int         age_days;
} Person;

static const Person people[] = {
  { "ann@x.example", "Ann", "Kessler & Voss", "Head of Marketing", "Finance", 260, "DE", "vip,webinar-2026", "Pro", "subscribed", 10 },
  { "bo@x.example", "Bo", "Fjordlys", "CEO", "Energy", 90, "NO", "trial", "Free", "subscribed", 40 },
  { "cy@x.example", "Cy", "Banque du Rivage", "Marketing Manager", "finance", 2300, "FR", "vip", "Pro", "subscribed", 100 },
  { "di@x.example", "Di", "Vela", "CMO", "Software", 95, "IT", "webinar-2026", "Free", "unsubscribed", 5 },
  { "ed@x.example", "Ed", "Keystone", "Growth Lead", "Finance", 700, "US", "", "Pro", "bounced", 200 },
  { "fi@x.example", "Fi", "Cobalto", "CRM Manager", "Insurance", 1200, "ES", "vip", "", "subscribed", 400 },
  { "gu@x.example", "Gu", "100% Pure; DROP", "Founder", "Retail", 5, "GB", "", "Free", "pending", 1 },
  { "hu@x.example", "Hu", "", "", "", 0, "", "", "", "subscribed", 30 },
  { "ida@x.example", "Ida", "O'Brien_Co", "Email Marketing Specialist", "Marketing", 35, "IE", "trial,vip", "Pro", "complained", 60 },
};

static char *tmpdir;

static HeraldWorkspace *
fixture (void)
{
  static guint n;
  g_autofree char *name = g_strdup_printf ("segments-%u.herald", n++);
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autofree char *csv = g_build_filename (tmpdir, "people.csv", NULL);
  g_autoptr(GString) text = g_string_new ("Email,First Name,Company,Job Title,Industry,Employees,Country,Tags,Plan,Status\n");
  g_autoptr(HeraldContactImport) import = NULL;
  g_autoptr(HeraldImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  HeraldWorkspace *workspace;

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      const Person *p = &people[i];
      char size[16] = "";

      if (p->size != 0)
        g_snprintf (size, sizeof size, "%d", p->size);
      g_string_append_printf (text, "%s,%s,\"%s\",%s,%s,%s,%s,\"%s\",%s,%s\n", p->email, p->first, p->company,
                              p->title, p->industry, size, p->country, p->tags, p->plan, p->status);
    }

  workspace = herald_workspace_open (path, HERALD_WORKSPACE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (csv, text->str, -1, NULL));
  import = herald_contact_import_new (workspace, csv);
  g_assert_true (herald_contact_import_prepare (import, HERALD_IMPORT_PRESET_AUTO, NULL, NULL, &error));
  report = herald_contact_import_run (import, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (herald_import_report_get_imported (report), ==, G_N_ELEMENTS (people));

  /* Ages, a campaign and its events, and one withdrawn consent. */
  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      g_autofree char *sql = g_strdup_printf ("UPDATE contacts SET created_at = strftime('%%s', 'now') - %d * 86400 "
                                              "WHERE email = '%s'", people[i].age_days, people[i].email);

      g_assert_true (_herald_workspace_exec (workspace, sql, NULL));
    }
  g_assert_true (_herald_workspace_exec (workspace,
    "INSERT INTO campaigns (id, name, created_at) VALUES (1, 'Spring Launch', 0), (2, 'Summer', 0);"
    "INSERT INTO events (contact_id, campaign_id, kind, occurred_at) SELECT id, 1, 'open', strftime('%s', 'now') - 3 * 86400 "
    "  FROM contacts WHERE email IN ('ann@x.example', 'bo@x.example', 'cy@x.example');"
    "INSERT INTO events (contact_id, campaign_id, kind, occurred_at) SELECT id, 2, 'open', strftime('%s', 'now') - 120 * 86400 "
    "  FROM contacts WHERE email IN ('ann@x.example', 'fi@x.example');"
    "INSERT INTO events (contact_id, campaign_id, kind, occurred_at) SELECT id, 1, 'click', strftime('%s', 'now') - 1 * 86400 "
    "  FROM contacts WHERE email = 'ann@x.example';"
    "INSERT INTO consents (contact_id, purpose, granted, method, recorded_at) SELECT id, 'marketing-email', 1, 'form', 100 "
    "  FROM contacts WHERE email IN ('ann@x.example', 'bo@x.example', 'cy@x.example', 'fi@x.example');"
    "INSERT INTO consents (contact_id, purpose, granted, method, recorded_at) SELECT id, 'marketing-email', 0, 'unsubscribe', 200 "
    "  FROM contacts WHERE email = 'fi@x.example';",
    NULL));

  return workspace;
}

static gint64
count (HeraldWorkspace *workspace,
       const char      *rules)
{
  g_autoptr(GError) error = NULL;
  gint64 n = herald_segment_count (workspace, rules, "test", NULL, &error);

  if (error != NULL)
    g_error ("%s: %s", rules, error->message);
  return n;
}

/* Counts the fixture's people for whom @predicate holds: the sending ones
 * (subscribed), or everyone for analysis. */
static gint64
expected (gboolean (*predicate) (const Person *),
          gboolean analysis)
{
  gint64 n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    if ((analysis || g_str_equal (people[i].status, "subscribed")) && predicate (&people[i]))
      n++;

  return n;
}

static gboolean is_finance (const Person *p) { return g_ascii_strcasecmp (p->industry, "finance") == 0; }
static gboolean not_finance (const Person *p) { return !is_finance (p); }
static gboolean
title_marketing (const Person *p)
{
  g_autofree char *lower = g_ascii_strdown (p->title, -1);

  return strstr (lower, "marketing") != NULL;
}
static gboolean title_starts_head (const Person *p) { return g_ascii_strncasecmp (p->title, "head", 4) == 0; }
static gboolean title_ends_manager (const Person *p) { return g_str_has_suffix (p->title, "Manager"); }
static gboolean in_countries (const Person *p) { return g_strv_contains ((const char *[]) { "IT", "FR", "DE", NULL }, p->country); }
static gboolean no_industry (const Person *p) { return p->industry[0] == '\0'; }
static gboolean has_industry (const Person *p) { return p->industry[0] != '\0'; }
static gboolean size_gte_200 (const Person *p) { return p->size != 0 && p->size >= 200; }
static gboolean size_lt_100 (const Person *p) { return p->size != 0 && p->size < 100; }
static gboolean size_eq_90 (const Person *p) { return p->size == 90; }
static gboolean size_ne_90 (const Person *p) { return p->size != 0 && p->size != 90; }
static gboolean size_between (const Person *p) { return p->size >= 50 && p->size <= 700; }
static gboolean size_lte_95 (const Person *p) { return p->size != 0 && p->size <= 95; }
static gboolean size_gt_2000 (const Person *p) { return p->size > 2000; }
static gboolean young (const Person *p) { return p->age_days <= 35; }
static gboolean old (const Person *p) { return p->age_days > 35; }
static gboolean vip (const Person *p) { return strstr (p->tags, "vip") != NULL; }
static gboolean not_vip (const Person *p) { return strstr (p->tags, "vip") == NULL; }
static gboolean pro (const Person *p) { return g_str_equal (p->plan, "Pro"); }
static gboolean nested (const Person *p) { return is_finance (p) && (title_marketing (p) || g_str_equal (p->country, "US")); }
static gboolean any_of (const Person *p) { return vip (p) || size_eq_90 (p); }
static gboolean everyone (const Person *p) { return TRUE; }
static gboolean nobody (const Person *p) { return FALSE; }
static gboolean quote_company (const Person *p) { return strstr (p->company, "'") != NULL; }
static gboolean percent_company (const Person *p) { return strstr (p->company, "100%") != NULL; }
static gboolean underscore_company (const Person *p) { return strstr (p->company, "_") != NULL; }

static void
test_operators (void)
{
  g_autoptr(HeraldWorkspace) workspace = fixture ();
  static const struct {
    const char *rules;
    gboolean  (*predicate) (const Person *);
    gboolean    analysis;
  } cases[] = {
    { "{\"rules\": [{\"field\": \"industry\", \"op\": \"equals\", \"value\": \"FINANCE\"}]}", is_finance },
    { "{\"rules\": [{\"field\": \"industry\", \"op\": \"not_equals\", \"value\": \"finance\"}]}", not_finance },
    { "{\"rules\": [{\"field\": \"job_title\", \"op\": \"contains\", \"value\": \"MARKETING\"}]}", title_marketing },
    { "{\"rules\": [{\"field\": \"job_title\", \"op\": \"starts_with\", \"value\": \"head\"}]}", title_starts_head },
    { "{\"rules\": [{\"field\": \"job_title\", \"op\": \"ends_with\", \"value\": \"manager\"}]}", title_ends_manager },
    { "{\"rules\": [{\"field\": \"country\", \"op\": \"in\", \"value\": [\"it\", \"France\", \"DE\"]}]}", in_countries },
    { "{\"rules\": [{\"field\": \"industry\", \"op\": \"is_empty\"}]}", no_industry },
    { "{\"rules\": [{\"field\": \"industry\", \"op\": \"is_not_empty\"}]}", has_industry },
    { "{\"rules\": [{\"field\": \"company_size\", \"op\": \"gte\", \"value\": 200}]}", size_gte_200 },
    { "{\"rules\": [{\"field\": \"company_size\", \"op\": \"lt\", \"value\": 100}]}", size_lt_100 },
    { "{\"rules\": [{\"field\": \"company_size\", \"op\": \"eq\", \"value\": 90}]}", size_eq_90 },
    { "{\"rules\": [{\"field\": \"company_size\", \"op\": \"ne\", \"value\": 90}]}", size_ne_90 },
    { "{\"rules\": [{\"field\": \"company_size\", \"op\": \"lte\", \"value\": 95.0}]}", size_lte_95 },
    { "{\"rules\": [{\"field\": \"company_size\", \"op\": \"gt\", \"value\": 2000}]}", size_gt_2000 },
    { "{\"rules\": [{\"field\": \"company_size\", \"op\": \"between\", \"value\": [700, 50]}]}", size_between },
    { "{\"rules\": [{\"field\": \"created_at\", \"op\": \"within_days\", \"value\": 35}]}", young },
    { "{\"rules\": [{\"field\": \"created_at\", \"op\": \"not_within_days\", \"value\": 35}]}", old },
    { "{\"rules\": [{\"tag\": \"VIP\"}]}", vip },
    { "{\"rules\": [{\"tag\": \"vip\", \"op\": \"has_not\"}]}", not_vip },
    { "{\"rules\": [{\"field\": \"Plan\", \"op\": \"equals\", \"value\": \"pro\"}]}", pro },
    { "{\"match\": \"all\", \"rules\": [{\"field\": \"industry\", \"value\": \"Finance\"}, {\"match\": \"any\", \"rules\": "
      "[{\"field\": \"job_title\", \"op\": \"contains\", \"value\": \"marketing\"}, {\"field\": \"country\", \"op\": \"in\", "
      "\"value\": [\"US\"]}]}]}", nested },
    { "{\"match\": \"any\", \"rules\": [{\"tag\": \"vip\"}, {\"field\": \"company_size\", \"value\": 90}]}", any_of },
    { "{\"match\": \"all\", \"rules\": []}", everyone },
    { "{\"match\": \"any\", \"rules\": []}", nobody },
    { "{\"include_suppressed\": true, \"rules\": []}", everyone, TRUE },
    { "{\"include_suppressed\": true, \"rules\": [{\"field\": \"industry\", \"value\": \"finance\"}]}", is_finance, TRUE },
    /* Values that mean something to SQL mean nothing here. */
    { "{\"include_suppressed\": true, \"rules\": [{\"field\": \"company\", \"op\": \"contains\", \"value\": \"'\"}]}",
      quote_company, TRUE },
    { "{\"include_suppressed\": true, \"rules\": [{\"field\": \"company\", \"op\": \"contains\", \"value\": \"100%\"}]}",
      percent_company, TRUE },
    { "{\"include_suppressed\": true, \"rules\": [{\"field\": \"company\", \"op\": \"contains\", \"value\": \"_\"}]}",
      underscore_company, TRUE },
    { "{\"include_suppressed\": true, \"rules\": [{\"field\": \"company\", \"value\": \"'; DROP TABLE contacts; --\"}]}",
      nobody, TRUE },
    { "{\"include_suppressed\": true, \"rules\": [{\"field\": \"company\", \"op\": \"starts_with\", \"value\": \"\\\\\"}]}",
      nobody, TRUE },
    { "{\"include_suppressed\": true, \"rules\": [{\"field\": \"company\", \"op\": \"in\", \"value\": [\"Ünïcødé ✉\", \"%\"]}]}",
      nobody, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 want = expected (cases[i].predicate, cases[i].analysis);
      gint64 got = count (workspace, cases[i].rules);

      if (got != want)
        g_error ("case %u, %s: %" G_GINT64_FORMAT " contacts, expected %" G_GINT64_FORMAT, i, cases[i].rules, got, want);
    }

  /* The contacts table survived the rules above. */
  g_assert_cmpint (herald_workspace_count (workspace, HERALD_COLLECTION_CONTACTS, NULL), ==, G_N_ELEMENTS (people));
}

static void
test_consent_and_events (void)
{
  g_autoptr(HeraldWorkspace) workspace = fixture ();
  g_autoptr(GError) error = NULL;

  /* ann, bo and cy granted; fi granted, then withdrew. */
  g_assert_cmpint (count (workspace, "{\"rules\": [{\"consent\": \"marketing-email\"}]}"), ==, 3);
  g_assert_cmpint (count (workspace, "{\"include_suppressed\": true, \"rules\": [{\"consent\": \"marketing-email\", "
                                     "\"op\": \"not_granted\"}]}"), ==, G_N_ELEMENTS (people) - 3);

  /* A workspace that requires consent leaves out those without it. */
  g_assert_cmpint (count (workspace, "{\"rules\": []}"), ==, 5);
  g_assert_true (herald_workspace_set_setting (workspace, "consent.required", "marketing-email", NULL));
  g_assert_cmpint (count (workspace, "{\"rules\": []}"), ==, 3);
  g_assert_true (herald_workspace_set_setting (workspace, "consent.required", NULL, NULL));

  g_assert_cmpint (count (workspace, "{\"rules\": [{\"event\": \"open\"}]}"), ==, 4);
  g_assert_cmpint (count (workspace, "{\"rules\": [{\"event\": \"open\", \"within_days\": 90}]}"), ==, 3);
  g_assert_cmpint (count (workspace, "{\"rules\": [{\"event\": \"opened\", \"campaign\": \"summer\"}]}"), ==, 2);
  g_assert_cmpint (count (workspace, "{\"rules\": [{\"event\": \"open\", \"count\": 2}]}"), ==, 1);
  g_assert_cmpint (count (workspace, "{\"rules\": [{\"event\": \"click\", \"campaign\": \"*\", \"within_days\": 7}]}"), ==, 1);
  g_assert_cmpint (count (workspace, "{\"rules\": [{\"event\": \"open\", \"op\": \"did_not\"}]}"), ==, 1);
  g_assert_cmpint (count (workspace, "{\"rules\": [{\"event\": \"conversion\"}]}"), ==, 0);

  g_assert_cmpint (herald_segment_count (workspace, "{\"rules\": [{\"event\": \"open\", \"campaign\": \"Winter\"}]}",
                                         "test", NULL, &error), ==, -1);
  g_assert_error (error, HERALD_SEGMENT_ERROR, HERALD_SEGMENT_ERROR_UNKNOWN_CAMPAIGN);
}

static void
test_saved_segments (void)
{
  g_autoptr(HeraldWorkspace) workspace = fixture ();
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = g_build_filename (tmpdir, "segment.csv", NULL);
  guint n = 0;

  g_assert_true (herald_segments_save (workspace, "VIPs", "{\"rules\": [{\"tag\": \"vip\"}]}", "Our best", NULL, &error));
  g_assert_true (herald_segments_save (workspace, "Pro VIPs", "{\"rules\": [{\"segment\": \"vips\"}, "
                                       "{\"field\": \"Plan\", \"value\": \"Pro\"}]}", NULL, NULL, &error));
  g_assert_true (herald_segments_save (workspace, "Others", "{\"rules\": [{\"segment\": \"VIPs\", \"op\": \"not_in\"}]}",
                                       NULL, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (herald_segments_count (workspace, "vips", NULL, NULL), ==, expected (vip, FALSE));
  g_assert_cmpint (herald_segments_count (workspace, "Pro VIPs", NULL, NULL), ==, 2);
  g_assert_cmpint (herald_segments_count (workspace, "Others", NULL, NULL), ==, expected (not_vip, FALSE));

  list = herald_segments_list (workspace, &error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpstr (((HeraldSegmentInfo *)g_ptr_array_index (list, 2))->name, ==, "VIPs");
  g_assert_cmpstr (((HeraldSegmentInfo *)g_ptr_array_index (list, 2))->description, ==, "Our best");

  /* A → B → A is refused, and the saved A stays as it was. */
  g_assert_false (herald_segments_save (workspace, "VIPs", "{\"rules\": [{\"segment\": \"Pro VIPs\"}]}", NULL, NULL, &error));
  g_assert_error (error, HERALD_SEGMENT_ERROR, HERALD_SEGMENT_ERROR_CYCLE);
  g_assert_nonnull (strstr (error->message, "Pro VIPs"));
  g_clear_error (&error);
  g_assert_false (herald_segments_save (workspace, "Self", "{\"rules\": [{\"segment\": \"self\"}]}", NULL, NULL, &error));
  g_assert_error (error, HERALD_SEGMENT_ERROR, HERALD_SEGMENT_ERROR_UNKNOWN_SEGMENT);
  g_clear_error (&error);
  g_assert_cmpint (herald_segments_count (workspace, "VIPs", NULL, NULL), ==, expected (vip, FALSE));

  g_assert_true (herald_contacts_export (workspace, csv, "Pro VIPs", NULL, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);

  g_assert_true (herald_segments_delete (workspace, "others", &error));
  g_assert_false (herald_segments_delete (workspace, "others", &error));
  g_assert_error (error, HERALD_SEGMENT_ERROR, HERALD_SEGMENT_ERROR_NOT_FOUND);
}

static void
test_errors (void)
{
  g_autoptr(HeraldWorkspace) workspace = fixture ();
  g_autoptr(GString) deep = g_string_new (NULL);
  static const struct {
    const char *rules;
    int         code;
    const char *says;
  } cases[] = {
    { "{\"rules\": [{\"field\": \"shoe_size\", \"value\": \"42\"}]}", HERALD_SEGMENT_ERROR_UNKNOWN_FIELD, "rules.rules[0]" },
    { "{\"rules\": [{\"tag\": \"nonexistent\"}]}", HERALD_SEGMENT_ERROR_UNKNOWN_TAG, "nonexistent" },
    { "{\"rules\": [{\"segment\": \"Ghost\"}]}", HERALD_SEGMENT_ERROR_UNKNOWN_SEGMENT, "Ghost" },
    { "{\"rules\": [{\"match\": \"any\", \"rules\": [{\"field\": \"company_size\", \"op\": \"contains\", \"value\": 1}]}]}",
      HERALD_SEGMENT_ERROR_INVALID_RULE, "rules.rules[0].rules[0]" },
    { "{\"rules\": [{\"field\": \"company_size\", \"op\": \"gte\", \"value\": \"many\"}]}", HERALD_SEGMENT_ERROR_INVALID_RULE, "number" },
    { "{\"rules\": [{\"field\": \"created_at\", \"op\": \"before\", \"value\": \"someday\"}]}", HERALD_SEGMENT_ERROR_INVALID_RULE, "date" },
    { "{\"rules\": [{\"field\": \"country\", \"op\": \"in\", \"value\": \"DE\"}]}", HERALD_SEGMENT_ERROR_INVALID_RULE, "list" },
    { "{\"match\": \"most\", \"rules\": []}", HERALD_SEGMENT_ERROR_INVALID_RULE, "most" },
    { "{\"rules\": [{\"colour\": \"blue\"}]}", HERALD_SEGMENT_ERROR_INVALID_RULE, "rules.rules[0]" },
    { "{\"rules\": [42]}", HERALD_SEGMENT_ERROR_INVALID_RULE, "rules.rules[0]" },
    { "{\"rules\": {}}", HERALD_SEGMENT_ERROR_INVALID_RULE, "rules" },
    { "[1, 2]", HERALD_SEGMENT_ERROR_SYNTAX, "JSON object" },
    { "{\"rules\": [\n  {\"tag\": \"vip\"},,\n]}", HERALD_SEGMENT_ERROR_SYNTAX, "line 2" },
    { "{\"include_suppressed\": \"yes\", \"rules\": []}", HERALD_SEGMENT_ERROR_INVALID_RULE, "include_suppressed" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (herald_segment_count (workspace, cases[i].rules, "rules.json", NULL, &error), ==, -1);
      if (!g_error_matches (error, HERALD_SEGMENT_ERROR, cases[i].code) ||
          !g_str_has_prefix (error->message, "“rules.json”") || strstr (error->message, cases[i].says) == NULL)
        g_error ("case %u: %s", i, error ? error->message : "no error");
    }

  /* Nesting 100,000 deep is refused before json-glib recurses into it. */
  for (guint i = 0; i < 100000; i++)
    g_string_append (deep, "{\"rules\": [");
  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (herald_segment_count (workspace, deep->str, "deep.json", NULL, &error), ==, -1);
    g_assert_error (error, HERALD_SEGMENT_ERROR, HERALD_SEGMENT_ERROR_SYNTAX);
    g_assert_nonnull (strstr (error->message, "line 1"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = herald_test_isolate_home ();
  int ret;

  g_test_init (&argc, &argv, NULL);

  tmpdir = g_build_filename (home, "files", NULL);
  g_mkdir_with_parents (tmpdir, 0700);

  g_test_add_func ("/herald/segments/operators", test_operators);
  g_test_add_func ("/herald/segments/consent-and-events", test_consent_and_events);
  g_test_add_func ("/herald/segments/saved", test_saved_segments);
  g_test_add_func ("/herald/segments/errors", test_errors);

  ret = g_test_run ();

  herald_test_remove_tree (home);
  g_free (tmpdir);

  return ret;
}
