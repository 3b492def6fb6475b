/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-demo"

#include "config.h"

#include <glib/gi18n.h>

#include "herald-demo.h"
#include "herald-flow.h"
#include "herald-results.h"
#include "herald-segments.h"
#include "herald-starters.h"
#include "herald-workspace-private.h"

/* The demo workspace is a small B2B software company's audience: people at
 * their customers and prospects across Europe and beyond. It is generated
 * from a fixed seed, so every demo looks the same and tests can count on it. */

#define DEMO_SEED 20261123
#define N_DEMO_CONTACTS 3000
#define DAY (24 * 60 * 60)

typedef struct
{
  const char *name;
  const char *domain;
  const char *industry;
  int         size;
  const char *country;
  const char *city;
  const char *language;
} DemoCompany;

static const DemoCompany companies[] = {
  { "Brightpath Logistics", "brightpath.example", "Logistics", 820, "DE", "Hamburg", "de" },
  { "Nordwind Energie", "nordwind-energie.example", "Energy", 1450, "DE", "Bremen", "de" },
  { "Kessler & Voss", "kessler-voss.example", "Finance", 260, "DE", "Frankfurt", "de" },
  { "Alpenblick Hotels", "alpenblick.example", "Hospitality", 140, "AT", "Innsbruck", "de" },
  { "Helvetia Medtech", "helvetia-medtech.example", "Healthcare", 530, "CH", "Basel", "de" },
  { "Maison Lumière", "maison-lumiere.example", "Retail", 75, "FR", "Lyon", "fr" },
  { "Atelier Garance", "atelier-garance.example", "Design", 18, "FR", "Paris", "fr" },
  { "Banque du Rivage", "banque-rivage.example", "Finance", 2300, "FR", "Bordeaux", "fr" },
  { "Vela Software", "velasoftware.example", "Software", 95, "IT", "Milano", "it" },
  { "Ferro Meccanica", "ferromeccanica.example", "Manufacturing", 610, "IT", "Torino", "it" },
  { "Olivarte", "olivarte.example", "Food & Beverage", 42, "IT", "Firenze", "it" },
  { "Solera Viajes", "solera-viajes.example", "Travel", 210, "ES", "Valencia", "es" },
  { "Cobalto Seguros", "cobalto-seguros.example", "Insurance", 1200, "ES", "Madrid", "es" },
  { "Brisa Digital", "brisa-digital.example", "Marketing", 35, "ES", "Barcelona", "es" },
  { "Harbour & Finch", "harbourfinch.example", "Consulting", 160, "GB", "London", "en" },
  { "Northgate Analytics", "northgate-analytics.example", "Software", 380, "GB", "Manchester", "en" },
  { "Cedar Ridge Health", "cedarridge.example", "Healthcare", 2900, "US", "Denver", "en" },
  { "Bluewater Outfitters", "bluewater-outfitters.example", "Retail", 450, "US", "Portland", "en" },
  { "Keystone Capital", "keystone-capital.example", "Finance", 700, "US", "Boston", "en" },
  { "Maple Leaf Learning", "mapleleaf-learning.example", "Education", 120, "CA", "Toronto", "en" },
  { "Dijkstra Bouw", "dijkstra-bouw.example", "Construction", 330, "NL", "Utrecht", "nl" },
  { "Fjordlys", "fjordlys.example", "Energy", 90, "NO", "Bergen", "no" },
  { "Qingshan Trading", "qingshan-trading.example", "Manufacturing", 980, "CN", "Shanghai", "zh" },
  { "Yunhe Cloud", "yunhe-cloud.example", "Software", 260, "CN", "Shenzhen", "zh" },
};

/* Given and family names by the language of the company people work at,
 * so that the demo reads like a real audience. */
static const struct {
  const char *language;
  const char *first[8];
  const char *last[8];
} names[] = {
  { "de", { "Anna", "Jonas", "Lea", "Felix", "Sophie", "Lukas", "Clara", "Elias" },
          { "Schmidt", "Becker", "Hoffmann", "Wagner", "Keller", "Brandt", "Huber", "Weber" } },
  { "fr", { "Marie", "Hugo", "Camille", "Louis", "Chloé", "Julien", "Inès", "Théo" },
          { "Dubois", "Lefèvre", "Moreau", "Girard", "Laurent", "Fontaine", "Mercier", "Roux" } },
  { "it", { "Giulia", "Marco", "Chiara", "Luca", "Francesca", "Matteo", "Sara", "Davide" },
          { "Rossi", "Bianchi", "Ferrari", "Esposito", "Romano", "Colombo", "Ricci", "Greco" } },
  { "es", { "Lucía", "Javier", "Carmen", "Pablo", "Elena", "Diego", "Marta", "Álvaro" },
          { "García", "Martín", "López", "Sánchez", "Fernández", "Ruiz", "Navarro", "Torres" } },
  { "en", { "Olivia", "James", "Amelia", "Noah", "Emily", "Daniel", "Grace", "Ethan" },
          { "Bennett", "Whitaker", "Clarke", "Fletcher", "Carter", "Reyes", "Kim", "Patel" } },
  { "nl", { "Sanne", "Daan", "Lotte", "Bram", "Fleur", "Sem", "Eva", "Thijs" },
          { "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder" } },
  { "no", { "Ingrid", "Ola", "Nora", "Henrik", "Sofie", "Magnus", "Ida", "Lars" },
          { "Larsen", "Hansen", "Johansen", "Olsen", "Berg", "Haugen", "Dahl", "Lie" } },
  { "zh", { "Wei", "Fang", "Min", "Jie", "Xiaoling", "Hao", "Yan", "Lei" },
          { "Li", "Wang", "Zhang", "Chen", "Liu", "Yang", "Zhao", "Huang" } },
};

static const char *job_titles[] = {
  "Marketing Manager", "Head of Marketing", "CMO", "Email Marketing Specialist",
  "CRM Manager", "Growth Lead", "Sales Director", "Account Executive", "CEO",
  "Founder", "Operations Manager", "Head of E-Commerce", "Content Strategist",
  "Demand Generation Manager", "Customer Success Manager", "IT Director",
};

static const char *sources[] = {
  "Website form", "Webinar", "Trade fair", "Mailchimp import", "Referral", "Whitepaper download",
};

static const char *tag_names[] = {
  "newsletter", "customer", "trial", "webinar-2026", "vip", "event-berlin", "whitepaper",
};

static gboolean
step_done (HeraldWorkspace  *workspace,
           sqlite3_stmt     *stmt,
           GError          **error)
{
  gboolean ok = sqlite3_step (stmt) == SQLITE_DONE;

  if (!ok)
    _herald_workspace_set_db_error (workspace, error);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  return ok;
}

static gboolean
insert_settings (HeraldWorkspace  *workspace,
                 GError          **error)
{
  static const char * const settings[][2] = {
    { "currency", "EUR" },
    { "sender.name", "Maya Lindner, Lumen Analytics" },
    { "sender.email", "maya@lumen-analytics.example" },
    { "sender.postal_address", "Lumen Analytics GmbH, Torstraße 140, 10119 Berlin, Germany" },
    { "consent.required", "marketing-email" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    if (!herald_workspace_set_setting (workspace, settings[i][0], settings[i][1], error))
      return FALSE;

  return TRUE;
}

static gboolean
insert_tags (HeraldWorkspace  *workspace,
             GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = _herald_workspace_prepare (workspace, "INSERT INTO tags (name) VALUES (?)", error)))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (tag_names); i++)
    {
      sqlite3_bind_text (stmt, 1, tag_names[i], -1, SQLITE_STATIC);
      if (!step_done (workspace, stmt, error))
        return FALSE;
    }

  return _herald_workspace_exec (workspace, "INSERT INTO custom_fields (name) VALUES ('Plan')", error);
}

static char *
ascii_local_part (const char *first,
                  const char *last)
{
  g_autofree char *joined = g_strdup_printf ("%s.%s", first, last);
  g_autofree char *ascii = g_str_to_ascii (joined, "C");
  GString *local = g_string_new (NULL);

  for (const char *p = ascii; *p; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '.')
        g_string_append_c (local, g_ascii_tolower (*p));
    }

  return g_string_free (local, FALSE);
}

static gboolean
insert_contacts (HeraldWorkspace  *workspace,
                 GError          **error)
{
  g_autoptr(sqlite3_stmt) contact = NULL;
  g_autoptr(sqlite3_stmt) tag = NULL;
  g_autoptr(sqlite3_stmt) consent = NULL;
  g_autoptr(sqlite3_stmt) plan = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (DEMO_SEED);
  g_autoptr(GHashTable) emails = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  contact = _herald_workspace_prepare (workspace,
                                       "INSERT INTO contacts (email, first_name, last_name, "
                                       "company, job_title, industry, company_size, country, city, phone, "
                                       "language, source, status, created_at, updated_at) "
                                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)",
                                       error);
  tag = _herald_workspace_prepare (workspace,
                                   "INSERT OR IGNORE INTO contact_tags (contact_id, tag_id, added_at) "
                                   "SELECT ?1, id, ?3 FROM tags WHERE name = ?2",
                                   error);
  consent = _herald_workspace_prepare (workspace,
                                       "INSERT INTO consents (contact_id, purpose, granted, method, source, "
                                       "recorded_at, evidence) VALUES (?1, 'marketing-email', ?2, ?3, ?4, ?5, ?6)",
                                       error);
  plan = _herald_workspace_prepare (workspace,
                                    "INSERT INTO contact_fields (contact_id, field_id, value) "
                                    "SELECT ?1, id, ?2 FROM custom_fields WHERE name = 'Plan'",
                                    error);
  if (!contact || !tag || !consent || !plan)
    return FALSE;

  for (guint i = 0; i < N_DEMO_CONTACTS; i++)
    {
      const DemoCompany *company = &companies[g_rand_int_range (rand, 0, G_N_ELEMENTS (companies))];
      guint culture = 0;
      const char *first;
      const char *last;

      while (culture + 1 < G_N_ELEMENTS (names) && !g_str_equal (names[culture].language, company->language))
        culture++;
      first = names[culture].first[g_rand_int_range (rand, 0, G_N_ELEMENTS (names[culture].first))];
      last = names[culture].last[g_rand_int_range (rand, 0, G_N_ELEMENTS (names[culture].last))];
      g_autofree char *local = ascii_local_part (first, last);
      g_autofree char *email = g_strdup_printf ("%s@%s", local, company->domain);
      g_autofree char *phone = NULL;
      gint64 created = now - g_rand_int_range (rand, 1, 540) * (gint64)DAY;
      gint32 roll = g_rand_int_range (rand, 0, 100);
      const char *status;
      gint64 id;

      status = roll < 84 ? "subscribed"
             : roll < 91 ? "unsubscribed"
             : roll < 95 ? "pending"
             : roll < 99 ? "bounced"
             : "complained";

      if (g_rand_boolean (rand))
        phone = g_strdup_printf ("+%d %03d %04d", 30 + g_rand_int_range (rand, 0, 20),
                                 g_rand_int_range (rand, 100, 999), g_rand_int_range (rand, 0, 9999));

      /* Namesakes at one company get the address pattern such companies use. */
      if (g_hash_table_contains (emails, email))
        {
          g_free (email);
          email = g_strdup_printf ("%s%u@%s", local, i, company->domain);
        }
      g_hash_table_add (emails, g_strdup (email));

      sqlite3_bind_text (contact, 1, email, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (contact, 2, first, -1, SQLITE_STATIC);
      sqlite3_bind_text (contact, 3, last, -1, SQLITE_STATIC);
      sqlite3_bind_text (contact, 4, company->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (contact, 5, job_titles[g_rand_int_range (rand, 0, G_N_ELEMENTS (job_titles))], -1, SQLITE_STATIC);
      sqlite3_bind_text (contact, 6, company->industry, -1, SQLITE_STATIC);
      sqlite3_bind_int (contact, 7, company->size);
      sqlite3_bind_text (contact, 8, company->country, -1, SQLITE_STATIC);
      sqlite3_bind_text (contact, 9, company->city, -1, SQLITE_STATIC);
      if (phone != NULL)
        sqlite3_bind_text (contact, 10, phone, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (contact, 11, company->language, -1, SQLITE_STATIC);
      sqlite3_bind_text (contact, 12, sources[g_rand_int_range (rand, 0, G_N_ELEMENTS (sources))], -1, SQLITE_STATIC);
      sqlite3_bind_text (contact, 13, status, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (contact, 14, created);

      if (!step_done (workspace, contact, error))
        return FALSE;

      id = sqlite3_last_insert_rowid (_herald_workspace_get_db (workspace));

      for (guint t = 0; t < G_N_ELEMENTS (tag_names); t++)
        {
          /* Earlier tags are common, later ones rare. */
          if (g_rand_int_range (rand, 0, 100) >= 60 / (gint32)(t + 1))
            continue;

          sqlite3_bind_int64 (tag, 1, id);
          sqlite3_bind_text (tag, 2, tag_names[t], -1, SQLITE_STATIC);
          sqlite3_bind_int64 (tag, 3, created + g_rand_int_range (rand, 0, 30) * (gint64)DAY);
          if (!step_done (workspace, tag, error))
            return FALSE;
        }

      if (g_strcmp0 (status, "pending") != 0)
        {
          gboolean double_opt_in = g_rand_boolean (rand);
          g_autofree char *evidence = g_strdup_printf ("IP 192.0.2.%d", g_rand_int_range (rand, 1, 254));

          sqlite3_bind_int64 (consent, 1, id);
          sqlite3_bind_int (consent, 2, g_strcmp0 (status, "unsubscribed") != 0);
          sqlite3_bind_text (consent, 3, double_opt_in ? "double-opt-in" : "form", -1, SQLITE_STATIC);
          sqlite3_bind_text (consent, 4, "lumen-analytics.example/newsletter", -1, SQLITE_STATIC);
          sqlite3_bind_int64 (consent, 5, created);
          sqlite3_bind_text (consent, 6, evidence, -1, SQLITE_TRANSIENT);
          if (!step_done (workspace, consent, error))
            return FALSE;
        }

      sqlite3_bind_int64 (plan, 1, id);
      sqlite3_bind_text (plan, 2, roll % 3 == 0 ? "Enterprise" : roll % 3 == 1 ? "Pro" : "Free", -1, SQLITE_STATIC);
      if (!step_done (workspace, plan, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
insert_segments (HeraldWorkspace  *workspace,
                 GError          **error)
{
  static const char * const segments[][3] = {
    { "Finance decision-makers", "Marketing and management at finance companies of 200 people or more",
      "{\"match\": \"all\", \"rules\": ["
      "{\"field\": \"industry\", \"op\": \"equals\", \"value\": \"Finance\"},"
      "{\"field\": \"company_size\", \"op\": \"gte\", \"value\": 200},"
      "{\"match\": \"any\", \"rules\": ["
      "{\"field\": \"job_title\", \"op\": \"contains\", \"value\": \"marketing\"},"
      "{\"field\": \"job_title\", \"op\": \"in\", \"value\": [\"CEO\", \"CMO\", \"Founder\"]}]}]}" },
    { "VIPs in DACH", "Our best customers in Germany, Austria and Switzerland",
      "{\"match\": \"all\", \"rules\": [{\"tag\": \"vip\"},"
      "{\"field\": \"country\", \"op\": \"in\", \"value\": [\"DE\", \"AT\", \"CH\"]}]}" },
    { "Webinar trials", "Trial users who came to the 2026 webinar",
      "{\"match\": \"all\", \"rules\": [{\"tag\": \"trial\"}, {\"tag\": \"webinar-2026\"}]}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (segments); i++)
    if (!herald_segments_save (workspace, segments[i][0], segments[i][2], segments[i][1], NULL, error))
      return FALSE;

  return TRUE;
}

static gboolean
insert_templates (HeraldWorkspace  *workspace,
                  GError          **error)
{
  /* A signature snippet the templates could share, shown in the list. */
  HeraldSnippet signature = {
    .name = "signature",
    .body = "<p style=\"margin:0;\">{{sender.name}}<br>{{sender.email}}</p>\n",
  };

  for (HeraldStarter starter = HERALD_STARTER_WELCOME; starter < HERALD_N_STARTERS; starter++)
    {
      g_autoptr(HeraldTemplateRecord) record = herald_starter_build (starter, NULL);

      if (!herald_templates_save (workspace, record, NULL, error))
        return FALSE;
    }

  return herald_snippets_save (workspace, &signature, NULL, error);
}

/* A welcome series for the webinar's trial users, drawn with the demo's
 * own templates, so the flow's emails have real content. */
static gboolean
insert_flows (HeraldWorkspace  *workspace,
              GError          **error)
{
  g_autofree char *text = g_strdup_printf (
    "{\"format\": \"herald-flow\", \"version\": 1, \"name\": \"Webinar welcome series\","
    " \"nodes\": ["
    "  {\"id\": \"start\", \"type\": \"trigger\", \"x\": 40, \"y\": 200,"
    "   \"config\": {\"kind\": \"segment-entry\", \"segment\": \"Webinar trials\"}},"
    "  {\"id\": \"welcome\", \"type\": \"email\", \"x\": 260, \"y\": 200, \"config\": {\"template\": \"%s\"}},"
    "  {\"id\": \"wait\", \"type\": \"wait\", \"x\": 480, \"y\": 200, \"config\": {\"days\": 2}},"
    "  {\"id\": \"opened\", \"type\": \"condition\", \"x\": 700, \"y\": 200,"
    "   \"config\": {\"kind\": \"opened\", \"email\": \"welcome\", \"within_days\": 3}},"
    "  {\"id\": \"onboarding\", \"type\": \"email\", \"x\": 920, \"y\": 100, \"config\": {\"template\": \"%s\"}},"
    "  {\"id\": \"reengage\", \"type\": \"email\", \"x\": 920, \"y\": 300, \"config\": {\"template\": \"%s\"}},"
    "  {\"id\": \"call\", \"type\": \"task\", \"x\": 1140, \"y\": 300, \"config\": {\"channel\": \"call\", \"minutes\": 5}},"
    "  {\"id\": \"purchase\", \"type\": \"goal\", \"x\": 1140, \"y\": 100, \"config\": {\"kind\": \"purchase\", \"value\": 490.0, \"rate\": 0.12}},"
    "  {\"id\": \"end\", \"type\": \"exit\", \"x\": 1360, \"y\": 200}],"
    " \"edges\": [{\"from\": \"start\", \"to\": \"welcome\"}, {\"from\": \"welcome\", \"to\": \"wait\"},"
    "   {\"from\": \"wait\", \"to\": \"opened\"}, {\"from\": \"opened\", \"port\": \"yes\", \"to\": \"onboarding\"},"
    "   {\"from\": \"opened\", \"port\": \"no\", \"to\": \"reengage\"}, {\"from\": \"onboarding\", \"to\": \"purchase\"},"
    "   {\"from\": \"reengage\", \"to\": \"call\"}, {\"from\": \"purchase\", \"to\": \"end\"},"
    "   {\"from\": \"call\", \"to\": \"end\"}],"
    /* Trial users read more than a newsletter's readers; a sale is a
     * yearly plan, and a call takes five minutes of a sales rep's time. */
    " \"assumptions\": {\"open_rate\": 0.42, \"click_rate\": 0.06},"
    " \"costs\": {\"per_1000\": 1.0, \"hourly_rate\": 35.0}}",
    herald_starter_get_title (HERALD_STARTER_WELCOME), herald_starter_get_title (HERALD_STARTER_ONBOARDING),
    herald_starter_get_title (HERALD_STARTER_REENGAGEMENT));
  g_autoptr(HeraldFlow) flow = herald_flow_load (text, "demo", error);

  return flow != NULL && herald_flows_save (workspace, flow, error);
}

/* Results of the campaigns the demo company has sent, as a Mailchimp
 * export would bring them, with the costs the marketer gave; two are the
 * welcome series' own emails, so its forecast meets actual figures. */
static gboolean
insert_results (HeraldWorkspace  *workspace,
                GError          **error)
{
  return _herald_workspace_exec (workspace,
    "INSERT INTO campaigns (name, esp, esp_id, sent_at, created_at) VALUES"
    " ('Spring promotion', 'mailchimp', '7f3a91c2d4', strftime ('%s', '2026-04-14 08:00'), strftime ('%s', 'now')),"
    " ('May newsletter', 'mailchimp', '81be02f7a9', strftime ('%s', '2026-05-05 07:30'), strftime ('%s', 'now')),"
    " ('Webinar invitation', 'mailchimp', '9c44d1e0b3', strftime ('%s', '2026-06-02 09:00'), strftime ('%s', 'now')),"
    " ('Welcome, June', 'mailchimp', 'a02f6b8e51', strftime ('%s', '2026-06-10 09:00'), strftime ('%s', 'now')),"
    " ('Onboarding, June', 'mailchimp', 'a13c7d9f62', strftime ('%s', '2026-06-12 09:00'), strftime ('%s', 'now'));"
    "WITH v (name, sent, delivered, soft, hard, opens, total_opens, proxy, clicks, total_clicks, unsubscribes,"
    "  complaints, orders, revenue) AS (VALUES"
    "  ('Spring promotion', 2400, 2364, 20, 16, 968, 1530, 702, 171, 240, 9, 1, 23, 1127000),"
    "  ('May newsletter', 2950, 2921, 17, 12, 1140, 1688, 829, 132, 175, 14, 0, 4, 196000),"
    "  ('Webinar invitation', 1800, 1782, 10, 8, 802, 1105, 590, 260, 341, 5, 0, 0, 0),"
    "  ('Welcome, June', 54, 54, 0, 0, 25, 31, 19, 4, 5, 0, 0, 0, 0),"
    "  ('Onboarding, June', 21, 21, 0, 0, 11, 14, 8, 3, 4, 0, 0, 3, 147000))"
    "INSERT INTO campaign_results (campaign_id, sent, delivered, soft_bounces, hard_bounces, unique_opens,"
    "  total_opens, proxy_excluded_unique_opens, unique_clicks, total_clicks, unsubscribes, complaints, orders,"
    "  revenue_minor, source, imported_at)"
    " SELECT c.id, v.sent, v.delivered, v.soft, v.hard, v.opens, v.total_opens, v.proxy, v.clicks, v.total_clicks,"
    "  v.unsubscribes, v.complaints, v.orders, v.revenue, 'mailchimp', strftime ('%s', 'now')"
    " FROM campaigns c JOIN v ON v.name = c.name;"
    "INSERT INTO campaign_costs (campaign_id, fixed_minor, per_1000_minor, labour_minor)"
    " SELECT id, 40000, 100, 12000 FROM campaigns WHERE name = 'Spring promotion'"
    " UNION ALL SELECT id, 15000, 100, 6000 FROM campaigns WHERE name = 'May newsletter'"
    " UNION ALL SELECT id, 25000, 100, 9000 FROM campaigns WHERE name = 'Webinar invitation';",
    error)
    /* Where each came from, in the demo's own transaction: two are the
     * welcome series' steps, which bring their templates; two sent the
     * promotion template to one of the demo's segments. Template names
     * are in the user's language. */
    && herald_campaign_link_flow (workspace, "Welcome, June", "Webinar welcome series", "welcome", error)
    && herald_campaign_link_flow (workspace, "Onboarding, June", "Webinar welcome series", "onboarding", error)
    && herald_campaign_set_template (workspace, "Spring promotion",
                                     herald_starter_get_title (HERALD_STARTER_PROMOTION), error)
    && herald_campaign_set_segment (workspace, "Spring promotion", "Finance decision-makers", error)
    && herald_campaign_set_template (workspace, "Webinar invitation",
                                     herald_starter_get_title (HERALD_STARTER_PROMOTION), error)
    && herald_campaign_set_segment (workspace, "Webinar invitation", "Webinar trials", error);
}

/* Orders from the demo company's shop, plans and add-ons bought by the
 * people tagged as customers: a third bought once, the others come back
 * every month or few, and some of both have not ordered for more than
 * half a year, so a segment's retention figures have something to say. */
static gboolean
insert_orders (HeraldWorkspace  *workspace,
               GError          **error)
{
  static const gint64 prices[] = { 4900, 9900, 19000, 49000, 49000, 129000 };
  g_autoptr(sqlite3_stmt) buyers = NULL;
  g_autoptr(sqlite3_stmt) order = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (DEMO_SEED + 1);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint number = 10001;

  buyers = _herald_workspace_prepare (workspace,
                                      "SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id"
                                      " WHERE t.name = 'customer' ORDER BY ct.contact_id",
                                      error);
  order = _herald_workspace_prepare (workspace,
                                     "INSERT INTO events (contact_id, kind, occurred_at, value_minor, external_id)"
                                     " VALUES (?1, 'conversion', ?2, ?3, ?4)",
                                     error);
  if (!buyers || !order)
    return FALSE;

  while (sqlite3_step (buyers) == SQLITE_ROW)
    {
      gint64 contact = sqlite3_column_int64 (buyers, 0);
      guint n = g_rand_int_range (rand, 0, 3) == 0 ? 1 : g_rand_int_range (rand, 2, 8);
      gboolean lapsed = g_rand_int_range (rand, 0, 100) < 30;
      gint64 time = now - (lapsed ? g_rand_int_range (rand, 190, 420) : g_rand_int_range (rand, 1, 170)) * (gint64)DAY
                    - g_rand_int_range (rand, 0, DAY);

      /* From the last order back: a loyal customer's orders come closer. */
      for (guint i = 0; i < n && time > now - 720 * (gint64)DAY; i++)
        {
          g_autofree char *id = g_strdup_printf ("LA-%u", number++);

          sqlite3_bind_int64 (order, 1, contact);
          sqlite3_bind_int64 (order, 2, time);
          sqlite3_bind_int64 (order, 3, prices[g_rand_int_range (rand, 0, G_N_ELEMENTS (prices))]);
          sqlite3_bind_text (order, 4, id, -1, SQLITE_TRANSIENT);
          if (!step_done (workspace, order, error))
            return FALSE;
          time -= g_rand_int_range (rand, n > 4 ? 20 : 45, n > 4 ? 75 : 150) * (gint64)DAY;
        }
    }

  return TRUE;
}

/**
 * herald_demo_populate:
 * @workspace: an empty workspace
 * @error: return location for a #GError
 *
 * Fills @workspace with the demo audience, in one transaction. A workspace
 * that has contacts already is left as it is.
 */
gboolean
herald_demo_populate (HeraldWorkspace  *workspace,
                      GError          **error)
{
  gint64 existing;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), FALSE);

  if (!_herald_workspace_begin (workspace, error))
    return FALSE;

  existing = herald_workspace_count (workspace, HERALD_COLLECTION_CONTACTS, error);
  if (existing < 0)
    goto failed;

  if (existing == 0 &&
      !(insert_settings (workspace, error) &&
        insert_tags (workspace, error) &&
        insert_contacts (workspace, error) &&
        insert_segments (workspace, error) &&
        insert_templates (workspace, error) &&
        insert_flows (workspace, error) &&
        insert_results (workspace, error) &&
        insert_orders (workspace, error)))
    goto failed;

  return _herald_workspace_commit (workspace, error);

failed:
  _herald_workspace_rollback (workspace);
  return FALSE;
}

/**
 * herald_demo_open:
 *
 * Opens the demo workspace, creating and filling it the first time.
 *
 * Returns: (transfer full): the demo workspace, or %NULL with @error set
 */
HeraldWorkspace *
herald_demo_open (GError **error)
{
  g_autofree char *path = herald_workspace_get_demo_path ();
  g_autoptr(HeraldWorkspace) workspace = NULL;

  if (!(workspace = herald_workspace_open (path, HERALD_WORKSPACE_OPEN_CREATE, error)))
    return NULL;

  if (!herald_demo_populate (workspace, error))
    return NULL;

  return g_steal_pointer (&workspace);
}
