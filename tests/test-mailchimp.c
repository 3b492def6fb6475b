/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <libsoup/soup.h>
#include <sqlite3.h>
#include <string.h>

#include "herald-core.h"
#include "herald-test-utils.h"
#include "herald-workspace-private.h"

/* Campaign results fetched from the Mailchimp Marketing API, against a
 * local server that answers with responses shaped as Mailchimp's are. No
 * request leaves the machine. */

#define KEY "0123456789abcdef0123456789abcdef-us6"

static char *tmpdir;
static SoupServer *server;
static char *base_url;
/* "path?query" of every request the server answered. */
static GPtrArray *requests;
static GCancellable *cancel_on_request;
static GPtrArray *paused;

#define REPORT_JSON \
  "{\"id\": \"%s\", \"campaign_title\": \"Spring sale\", \"type\": \"regular\"," \
  " \"list_id\": \"57afe96172\", \"list_is_active\": true, \"list_name\": \"Customers\"," \
  " \"subject_line\": \"Our spring prices\", \"preview_text\": \"Ten days only\"," \
  " \"emails_sent\": 1000, \"abuse_reports\": 1, \"unsubscribed\": 5," \
  " \"send_time\": \"2018-06-09T21:30:00+00:00\", \"rss_last_send\": \"\"," \
  " \"bounces\": {\"hard_bounces\": 8, \"soft_bounces\": 12, \"syntax_errors\": 0}," \
  " \"forwards\": {\"forwards_count\": 0, \"forwards_opens\": 0}," \
  " \"opens\": {\"opens_total\": 700, \"unique_opens\": 450, \"open_rate\": 0.4591836734693878," \
  "   \"last_open\": \"2018-06-12T10:00:00+00:00\", \"proxy_excluded_opens\": 480," \
  "   \"proxy_excluded_unique_opens\": 300, \"proxy_excluded_open_rate\": 0.30612244897959184}," \
  " \"clicks\": {\"clicks_total\": 130, \"unique_clicks\": 95, \"unique_subscriber_clicks\": 90," \
  "   \"click_rate\": 0.09183673469387756, \"last_click\": \"2018-06-11T09:30:00+00:00\"}," \
  " \"facebook_likes\": {\"recipient_likes\": 0, \"unique_likes\": 0, \"facebook_likes\": 0}," \
  " \"industry_stats\": {\"type\": \"Retail\", \"open_rate\": 0.2, \"click_rate\": 0.02, \"bounce_rate\": 0.01," \
  "   \"unopen_rate\": 0.8, \"unsub_rate\": 0.001, \"abuse_rate\": 0.0001}," \
  " \"list_stats\": {\"sub_rate\": 3, \"unsub_rate\": 1, \"open_rate\": 40.5, \"click_rate\": 8.1}," \
  " \"ecommerce\": {\"total_orders\": 10, \"total_spent\": 1000.5, \"total_revenue\": 1000.5," \
  "   \"currency_code\": \"USD\"}," \
  " \"timeseries\": [{\"timestamp\": \"2018-06-09T21:00:00+00:00\", \"emails_sent\": 1000," \
  "   \"unique_opens\": 120, \"recipients_clicks\": 20}]," \
  " \"_links\": []}"

/* Four recipients: two in the audience who did something, one who is not
 * in it, and one in it who did nothing. */
static const char * const recipients_json[] = {
  "{\"campaign_id\": \"42694e9e57\", \"list_id\": \"57afe96172\", \"list_is_active\": true,"
  " \"email_id\": \"a1\", \"email_address\": \"anna@example.com\", \"activity\": ["
  "  {\"action\": \"open\", \"timestamp\": \"2018-06-10T08:00:00+00:00\", \"ip\": \"192.0.2.1\"},"
  "  {\"action\": \"click\", \"timestamp\": \"2018-06-10T08:01:00+00:00\","
  "   \"url\": \"https://example.com/spring\", \"ip\": \"192.0.2.1\"},"
  "  {\"action\": \"open\", \"timestamp\": \"2018-06-11T09:00:00+00:00\", \"ip\": \"192.0.2.1\"}]}",
  "{\"campaign_id\": \"42694e9e57\", \"list_id\": \"57afe96172\", \"list_is_active\": true,"
  " \"email_id\": \"b2\", \"email_address\": \"Bo@Example.com\", \"activity\": ["
  "  {\"action\": \"bounce\", \"type\": \"hard\", \"timestamp\": \"2018-06-09T21:31:00+00:00\"}]}",
  "{\"campaign_id\": \"42694e9e57\", \"list_id\": \"57afe96172\", \"list_is_active\": true,"
  " \"email_id\": \"c3\", \"email_address\": \"stranger@example.org\", \"activity\": ["
  "  {\"action\": \"open\", \"timestamp\": \"2018-06-10T10:00:00+00:00\", \"ip\": \"192.0.2.9\"},"
  "  {\"action\": \"click\", \"timestamp\": \"2018-06-10T10:02:00+00:00\","
  "   \"url\": \"https://example.com/spring\", \"ip\": \"192.0.2.9\"}]}",
  "{\"campaign_id\": \"42694e9e57\", \"list_id\": \"57afe96172\", \"list_is_active\": true,"
  " \"email_id\": \"d4\", \"email_address\": \"cy@example.com\", \"activity\": []}",
};

/* The server gives two recipients a page, fewer than asked for: the
 * client must page on by what it received. */
#define SERVED_PER_PAGE 2

static void
respond (SoupServerMessage *message,
         guint              status,
         const char        *body)
{
  soup_server_message_set_status (message, status, NULL);
  soup_server_message_set_response (message, status < 400 ? "application/json" : "application/problem+json",
                                    SOUP_MEMORY_COPY, body, strlen (body));
}

static void
respond_problem (SoupServerMessage *message,
                 guint              status,
                 const char        *title,
                 const char        *detail)
{
  g_autofree char *body = g_strdup_printf ("{\"type\": \"https://mailchimp.com/developer/marketing/docs/errors/\","
                                           " \"title\": \"%s\", \"status\": %u, \"detail\": \"%s\","
                                           " \"instance\": \"995c5cb0-3280-4a6e-808b-3b096d0bb219\"}",
                                           title, status, detail);

  respond (message, status, body);
}

static gboolean
authorized (SoupServerMessage *message)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (message),
                                                     "Authorization");
  g_autofree guchar *decoded = NULL;
  g_autofree char *credentials = NULL;
  gsize length;
  const char *colon;

  if (header == NULL || !g_str_has_prefix (header, "Basic "))
    return FALSE;
  decoded = g_base64_decode (header + strlen ("Basic "), &length);
  credentials = g_strndup ((const char *) decoded, length);
  colon = strchr (credentials, ':');
  return colon != NULL && g_str_equal (colon + 1, KEY);
}

static void
activity_page (SoupServerMessage *message,
               const char        *campaign,
               GHashTable        *query)
{
  const char *count = query != NULL ? g_hash_table_lookup (query, "count") : NULL;
  const char *offset_text = query != NULL ? g_hash_table_lookup (query, "offset") : NULL;
  g_autoptr(GString) body = g_string_new ("{\"emails\": [");
  guint64 offset = 0;

  g_assert_cmpstr (count, ==, "1000");
  g_assert_true (g_ascii_string_to_unsigned (offset_text, 10, 0, 100000, &offset, NULL));
  if (g_str_equal (campaign, "badpage"))
    {
      respond (message, SOUP_STATUS_OK, "{\"emails\": 3, \"total_items\": 4}");
      return;
    }
  for (guint64 i = offset; i < offset + SERVED_PER_PAGE && i < G_N_ELEMENTS (recipients_json); i++)
    {
      if (i > offset)
        g_string_append (body, ", ");
      g_string_append (body, recipients_json[i]);
    }
  g_string_append_printf (body, "], \"campaign_id\": \"%s\", \"total_items\": %u, \"_links\": []}", campaign,
                          (guint) G_N_ELEMENTS (recipients_json));
  respond (message, SOUP_STATUS_OK, body->str);
}

static void
server_cb (SoupServer        *soup_server,
           SoupServerMessage *message,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  GUri *uri = soup_server_message_get_uri (message);
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  const char *campaign;

  g_ptr_array_add (requests, g_strdup_printf ("%s?%s", path, g_uri_get_query (uri) ? g_uri_get_query (uri) : ""));

  /* "", "3.0", "reports", id[, "email-activity"] */
  if (g_strv_length (parts) < 4 || !g_str_equal (parts[1], "3.0") || !g_str_equal (parts[2], "reports"))
    {
      respond_problem (message, SOUP_STATUS_NOT_FOUND, "Resource Not Found", "The requested resource could not be found.");
      return;
    }
  if (!authorized (message))
    {
      respond_problem (message, SOUP_STATUS_UNAUTHORIZED, "API Key Invalid", "Your API key may be invalid, or you've attempted to access the wrong datacenter.");
      return;
    }

  campaign = parts[3];
  if (g_str_equal (campaign, "notthere"))
    respond_problem (message, SOUP_STATUS_NOT_FOUND, "Resource Not Found", "The requested resource could not be found.");
  else if (g_str_equal (campaign, "busy"))
    respond_problem (message, 429, "Too Many Requests", "You have exceeded the limit of 10 simultaneous connections.");
  else if (g_str_equal (campaign, "broken"))
    respond (message, SOUP_STATUS_INTERNAL_SERVER_ERROR, "<html><body>Internal Server Error</body></html>");
  else if (g_str_equal (campaign, "garbled"))
    respond (message, SOUP_STATUS_OK, "{\"id\": \"garbled\", \"emails_sent\": ");
  else if (g_str_equal (campaign, "wrongtype"))
    respond (message, SOUP_STATUS_OK, "{\"id\": \"wrongtype\", \"emails_sent\": \"many\"}");
  else if (g_str_equal (campaign, "slow"))
    {
      soup_server_message_pause (message);
      g_ptr_array_add (paused, g_object_ref (message));
    }
  else if (g_strv_length (parts) == 5 && g_str_equal (parts[4], "email-activity"))
    activity_page (message, campaign, query);
  else
    {
      g_autofree char *body = g_strdup_printf (REPORT_JSON, campaign);

      if (g_str_equal (campaign, "cancelme"))
        g_cancellable_cancel (cancel_on_request);
      respond (message, SOUP_STATUS_OK, body);
    }
}

static HeraldWorkspace *
new_workspace (const char *name)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autofree char *csv = g_build_filename (tmpdir, "contacts.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldContactImport) import = NULL;
  g_autoptr(HeraldImportReport) report = NULL;
  HeraldWorkspace *workspace = herald_workspace_open (path, HERALD_WORKSPACE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (csv, "Email,First Name\nanna@example.com,Anna\nbo@example.com,Bo\n"
                                           "cy@example.com,Cy\n", -1, NULL));
  import = herald_contact_import_new (workspace, csv);
  g_assert_true (herald_contact_import_prepare (import, HERALD_IMPORT_PRESET_AUTO, NULL, NULL, &error));
  report = herald_contact_import_run (import, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (herald_import_report_get_imported (report), ==, 3);
  return workspace;
}

static gint64
count_rows (HeraldWorkspace *workspace,
            const char      *sql)
{
  g_autoptr(sqlite3_stmt) stmt = _herald_workspace_prepare (workspace, sql, NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

typedef struct
{
  guint   calls;
  guint   campaign;
  guint64 fetched;
  guint64 total;
} Progress;

static void
progress_cb (guint    campaign,
             guint    n_campaigns,
             guint64  fetched,
             guint64  total,
             gpointer user_data)
{
  Progress *progress = user_data;

  g_assert_cmpuint (campaign, <, n_campaigns);
  g_assert_cmpuint (fetched, <=, total);
  progress->calls++;
  progress->campaign = campaign;
  progress->fetched = fetched;
  progress->total = total;
}

static void
fetched_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Fetches as the application does: asynchronously, while this thread's
 * main context serves the requests. */
static HeraldResultsReport *
fetch (HeraldWorkspace     *workspace,
       const char          *key,
       const char * const  *ids,
       guint                timeout,
       GCancellable        *cancellable,
       Progress            *progress,
       GError             **error)
{
  g_autoptr(HeraldMailchimpClient) client = herald_mailchimp_client_new (key, error);
  g_autoptr(GAsyncResult) result = NULL;

  if (client == NULL)
    return NULL;
  if (timeout > 0)
    herald_mailchimp_client_set_timeout (client, timeout);
  herald_mailchimp_client_fetch_async (client, workspace, ids, progress != NULL ? progress_cb : NULL, progress,
                                       cancellable, fetched_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return herald_mailchimp_client_fetch_finish (client, result, error);
}

static void
test_keys (void)
{
  static const char * const good[][2] = {
    { KEY, "us6" },
    { "abc-us21", "us21" },
    { "  abc-us6\n", "us6" },
  };
  static const char * const bad[] = {
    "", "nodash", "-us6", "abc-", "abc-US6", "abc-us", "abc-6", "abc-us6.example.com", "a/b-us6", "ab c-us6",
    "abc-us6/x",
  };
  const char *saved = g_getenv ("HERALD_MAILCHIMP_BASE_URL");
  g_autofree char *saved_url = g_strdup (saved);

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HeraldMailchimpClient) client = herald_mailchimp_client_new (good[i][0], &error);

      g_assert_no_error (error);
      g_assert_cmpstr (herald_mailchimp_client_get_datacenter (client), ==, good[i][1]);
      g_assert_true (herald_mailchimp_check_key (good[i][0], NULL) || i == 2);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HeraldMailchimpClient) client = herald_mailchimp_client_new (bad[i], &error);

      g_assert_null (client);
      g_assert_error (error, HERALD_MAILCHIMP_ERROR, HERALD_MAILCHIMP_ERROR_INVALID_KEY);
      g_assert_nonnull (strstr (error->message, "API key"));
    }

  /* Without the tests' override, the key's datacenter over HTTPS. */
  g_unsetenv ("HERALD_MAILCHIMP_BASE_URL");
  {
    g_autoptr(HeraldMailchimpClient) client = herald_mailchimp_client_new ("abc-us21", NULL);

    g_assert_cmpstr (herald_mailchimp_client_get_base_url (client), ==, "https://us21.api.mailchimp.com/3.0");
  }
  /* The override never sends a key to another computer. */
  g_setenv ("HERALD_MAILCHIMP_BASE_URL", "http://example.com/3.0", TRUE);
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (herald_mailchimp_client_new ("abc-us21", &error));
    g_assert_error (error, HERALD_MAILCHIMP_ERROR, HERALD_MAILCHIMP_ERROR_INVALID_KEY);
  }
  g_setenv ("HERALD_MAILCHIMP_BASE_URL", saved_url, TRUE);
}

static void
test_campaign_ids (void)
{
  g_auto(GStrv) ids = herald_mailchimp_split_campaign_ids (" 42694e9e57, b03bfc273a\n42694e9e57;;c1 ");
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (g_strv_length (ids), ==, 3);
  g_assert_cmpstr (ids[0], ==, "42694e9e57");
  g_assert_cmpstr (ids[1], ==, "b03bfc273a");
  g_assert_cmpstr (ids[2], ==, "c1");
  g_assert_true (herald_mailchimp_check_campaign_id ("42694e9e57", NULL));
  g_assert_false (herald_mailchimp_check_campaign_id ("../lists", &error));
  g_assert_error (error, HERALD_MAILCHIMP_ERROR, HERALD_MAILCHIMP_ERROR_INVALID_CAMPAIGN);
  g_clear_error (&error);
  g_assert_false (herald_mailchimp_check_campaign_id ("a?b", NULL));
  g_assert_false (herald_mailchimp_check_campaign_id ("", NULL));
}

static void
test_fetch (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ("fetch.herald");
  const char * const ids[] = { "42694e9e57", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldResultsReport) report = NULL;
  g_autoptr(HeraldResultsReport) again = NULL;
  g_autoptr(HeraldKpis) kpis = NULL;
  Progress progress = { 0 };
  guint pages = 0;

  g_ptr_array_set_size (requests, 0);
  report = fetch (workspace, KEY, ids, 0, NULL, &progress, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->rows, ==, 1);
  g_assert_cmpuint (report->imported, ==, 1);
  g_assert_cmpuint (report->updated, ==, 0);
  g_assert_cmpstrv (report->campaigns, ((const char * const[]) { "Spring sale", NULL }));
  /* Anna's two opens and her click, and Bo's bounce; the stranger's open
   * and click are left out, and the stranger counted once. */
  g_assert_cmpuint (report->events, ==, 4);
  g_assert_cmpuint (report->unknown_contacts, ==, 1);

  /* The report first, then the activity in pages of up to 1,000, paged on
   * by what each page held. */
  g_assert_cmpuint (requests->len, ==, 3);
  g_assert_cmpstr (requests->pdata[0], ==, "/3.0/reports/42694e9e57?");
  for (guint i = 1; i < requests->len; i++)
    {
      g_autofree char *expected = g_strdup_printf ("/3.0/reports/42694e9e57/email-activity?count=1000&offset=%u",
                                                   (i - 1) * SERVED_PER_PAGE);

      g_assert_cmpstr (requests->pdata[i], ==, expected);
      pages++;
    }
  g_assert_cmpuint (pages, ==, 2);
  g_assert_cmpuint (progress.calls, ==, 3);
  g_assert_cmpuint (progress.fetched, ==, 4);
  g_assert_cmpuint (progress.total, ==, 4);

  kpis = herald_campaign_get_kpis (workspace, "Spring sale", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kpis->sent_at, ==, 1528579800);
  g_assert_cmpfloat (kpis->sent, ==, 1000);
  g_assert_cmpfloat (kpis->delivered, ==, 980);
  g_assert_cmpfloat (kpis->bounces, ==, 20);
  g_assert_cmpfloat (kpis->unique_opens, ==, 450);
  g_assert_cmpfloat (kpis->total_opens, ==, 700);
  g_assert_cmpfloat (kpis->proxy_excluded_unique_opens, ==, 300);
  /* People who clicked, not the per-link unique clicks. */
  g_assert_cmpfloat (kpis->unique_clicks, ==, 90);
  g_assert_cmpfloat (kpis->total_clicks, ==, 130);
  g_assert_cmpfloat (kpis->unsubscribes, ==, 5);
  g_assert_cmpfloat (kpis->complaints, ==, 1);
  g_assert_cmpfloat (kpis->conversions, ==, 10);
  g_assert_cmpfloat_with_epsilon (kpis->revenue, 1000.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (kpis->open_rate, 450.0 / 980, 1e-12);

  g_assert_cmpint (count_rows (workspace, "SELECT count(*) FROM campaigns WHERE esp = 'mailchimp'"
                                          " AND esp_id = '42694e9e57'"), ==, 1);
  g_assert_cmpint (count_rows (workspace, "SELECT count(*) FROM events e JOIN contacts c ON c.id = e.contact_id"
                                          " WHERE c.email = 'anna@example.com' AND e.kind = 'open'"), ==, 2);
  g_assert_cmpint (count_rows (workspace, "SELECT count(*) FROM events e JOIN contacts c ON c.id = e.contact_id"
                                          " WHERE c.email = 'anna@example.com' AND e.kind = 'click'"
                                          " AND e.url = 'https://example.com/spring'"
                                          " AND e.occurred_at = 1528617660"), ==, 1);
  g_assert_cmpint (count_rows (workspace, "SELECT count(*) FROM events e JOIN contacts c ON c.id = e.contact_id"
                                          " WHERE c.email = 'bo@example.com' AND e.kind = 'bounce'"), ==, 1);
  g_assert_cmpint (count_rows (workspace, "SELECT count(*) FROM events WHERE campaign_id IS NULL"), ==, 0);

  /* Fetched again: the same figures, no event twice. */
  again = fetch (workspace, KEY, ids, 0, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->imported, ==, 0);
  g_assert_cmpuint (again->updated, ==, 1);
  g_assert_cmpuint (again->events, ==, 0);
  g_assert_cmpuint (again->unknown_contacts, ==, 1);
  g_assert_cmpint (count_rows (workspace, "SELECT count(*) FROM events"), ==, 4);
  g_assert_cmpint (herald_workspace_count (workspace, HERALD_COLLECTION_CAMPAIGNS, NULL), ==, 1);
  g_clear_pointer (&kpis, herald_kpis_unref);
  kpis = herald_campaign_get_kpis (workspace, "Spring sale", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (kpis->unique_opens, ==, 450);
}

static void
test_sync (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ("sync.herald");
  g_autoptr(HeraldMailchimpClient) client = herald_mailchimp_client_new (KEY, NULL);
  const char * const none[] = { NULL };
  const char * const bad[] = { "ok1", "../lists", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_null (herald_mailchimp_client_fetch (client, workspace, none, NULL, NULL, NULL, &error));
  g_assert_error (error, HERALD_MAILCHIMP_ERROR, HERALD_MAILCHIMP_ERROR_INVALID_CAMPAIGN);
  g_clear_error (&error);
  g_ptr_array_set_size (requests, 0);
  g_assert_null (herald_mailchimp_client_fetch (client, workspace, bad, NULL, NULL, NULL, &error));
  g_assert_error (error, HERALD_MAILCHIMP_ERROR, HERALD_MAILCHIMP_ERROR_INVALID_CAMPAIGN);
  g_assert_nonnull (strstr (error->message, "../lists"));
  /* Refused before any request. */
  g_assert_cmpuint (requests->len, ==, 0);
}

static void
test_errors (void)
{
  static const struct
  {
    const char *key;
    const char *id;
    int         code;
    const char *says;
  } cases[] = {
    { "fedcba9876543210fedcba9876543210-us6", "42694e9e57", HERALD_MAILCHIMP_ERROR_UNAUTHORIZED, "API key" },
    { KEY, "notthere", HERALD_MAILCHIMP_ERROR_NOT_FOUND, "“notthere”" },
    { KEY, "busy", HERALD_MAILCHIMP_ERROR_RATE_LIMITED, "Try again" },
    { KEY, "broken", HERALD_MAILCHIMP_ERROR_SERVER, "500" },
    { KEY, "garbled", HERALD_MAILCHIMP_ERROR_MALFORMED, "not valid JSON" },
    { KEY, "wrongtype", HERALD_MAILCHIMP_ERROR_MALFORMED, "“emails_sent”" },
    { KEY, "badpage", HERALD_MAILCHIMP_ERROR_MALFORMED, "“emails”" },
  };
  g_autoptr(HeraldWorkspace) workspace = new_workspace ("errors.herald");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      /* A good campaign first: it is not stored either. */
      const char * const ids[] = { "42694e9e57", cases[i].id, NULL };
      g_autoptr(GError) error = NULL;
      HeraldResultsReport *report = fetch (workspace, cases[i].key, ids, 0, NULL, NULL, &error);

      g_assert_null (report);
      g_assert_error (error, HERALD_MAILCHIMP_ERROR, cases[i].code);
      if (strstr (error->message, cases[i].says) == NULL)
        g_error ("“%s” does not say “%s”", error->message, cases[i].says);
      g_assert_cmpint (herald_workspace_count (workspace, HERALD_COLLECTION_CAMPAIGNS, NULL), ==, 0);
      g_assert_cmpint (count_rows (workspace, "SELECT count(*) FROM events"), ==, 0);
      g_assert_cmpint (count_rows (workspace, "SELECT count(*) FROM campaign_results"), ==, 0);
    }
}

static void
test_cancel (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ("cancel.herald");
  const char * const ids[] = { "42694e9e57", "cancelme", NULL };
  g_autoptr(GError) error = NULL;

  /* Cancelled while Mailchimp answers. */
  cancel_on_request = g_cancellable_new ();
  g_assert_null (fetch (workspace, KEY, ids, 0, cancel_on_request, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (herald_workspace_count (workspace, HERALD_COLLECTION_CAMPAIGNS, NULL), ==, 0);
  g_assert_cmpint (count_rows (workspace, "SELECT count(*) FROM events"), ==, 0);
  g_clear_error (&error);

  /* Cancelled before it started. */
  g_ptr_array_set_size (requests, 0);
  g_assert_null (fetch (workspace, KEY, ids, 0, cancel_on_request, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (requests->len, ==, 0);
  g_clear_object (&cancel_on_request);
}

static void
test_timeout (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ("timeout.herald");
  const char * const ids[] = { "slow", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_null (fetch (workspace, KEY, ids, 1, NULL, NULL, &error));
  g_assert_error (error, HERALD_MAILCHIMP_ERROR, HERALD_MAILCHIMP_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "1 second"));
  g_assert_cmpint (herald_workspace_count (workspace, HERALD_COLLECTION_CAMPAIGNS, NULL), ==, 0);

  for (guint i = 0; i < paused->len; i++)
    {
      respond (paused->pdata[i], SOUP_STATUS_SERVICE_UNAVAILABLE, "");
      soup_server_message_unpause (paused->pdata[i]);
    }
  g_ptr_array_set_size (paused, 0);
}

/* herald-cli, with the key from the environment, against the server. */
static void
test_cli (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ("cli.herald");
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                                       | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  g_subprocess_launcher_setenv (launcher, "HERALD_MAILCHIMP_API_KEY", KEY, TRUE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "en", TRUE);
  g_subprocess_launcher_setenv (launcher, "LANG", "C.UTF-8", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("HERALD_CLI"), "--workspace",
                                         herald_workspace_get_path (workspace), "results", "fetch", "42694e9e57",
                                         "--json", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, fetched_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_communicate_utf8_finish (process, result, &out, &err, &error));
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (process) != 0)
    g_error ("herald-cli failed: %s", err);
  root = json_from_string (out, &error);
  g_assert_no_error (error);
  object = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (object, "imported"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "events"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (object, "unknown_contacts"), ==, 1);

  /* A refusal is a user error, said on stderr. */
  g_clear_object (&result);
  g_clear_object (&process);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("HERALD_CLI"), "--workspace",
                                         herald_workspace_get_path (workspace), "results", "fetch", "notthere", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, fetched_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_communicate_utf8_finish (process, result, &out, &err, &error));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  g_assert_nonnull (strstr (err, "No campaign “notthere” at Mailchimp"));
  g_assert_cmpstr (out, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  GSList *uris;
  int status;

  tmpdir = herald_test_isolate_home ();
  g_test_init (&argc, &argv, NULL);

  requests = g_ptr_array_new_with_free_func (g_free);
  paused = g_ptr_array_new_with_free_func (g_object_unref);
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, "/", server_cb, NULL, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  base_url = g_strdup_printf ("http://127.0.0.1:%d/3.0", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_setenv ("HERALD_MAILCHIMP_BASE_URL", base_url, TRUE);

  g_test_add_func ("/herald/mailchimp/keys", test_keys);
  g_test_add_func ("/herald/mailchimp/campaign-ids", test_campaign_ids);
  g_test_add_func ("/herald/mailchimp/fetch", test_fetch);
  g_test_add_func ("/herald/mailchimp/sync-checks", test_sync);
  g_test_add_func ("/herald/mailchimp/errors", test_errors);
  g_test_add_func ("/herald/mailchimp/cancel", test_cancel);
  g_test_add_func ("/herald/mailchimp/timeout", test_timeout);
  g_test_add_func ("/herald/mailchimp/cli", test_cli);
  status = g_test_run ();

  g_clear_object (&server);
  g_ptr_array_unref (paused);
  g_ptr_array_unref (requests);
  g_free (base_url);
  herald_test_remove_tree (tmpdir);
  g_free (tmpdir);
  return status;
}
