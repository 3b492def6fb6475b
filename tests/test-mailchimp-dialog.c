/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <libsoup/soup.h>
#include <string.h>

#include "herald-core.h"
#include "herald-mailchimp-dialog.h"
#include "herald-results-page.h"
#include "herald-test-ui.h"
#include "herald-test-utils.h"
#include "herald-window.h"

/* The Results page's Fetch From Mailchimp dialog, driven as a person
 * would, against a local server that answers as Mailchimp does. */

#define KEY "0123456789abcdef0123456789abcdef-us6"

static char *tmpdir;

static void
server_cb (SoupServer        *server,
           SoupServerMessage *message,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  const char *body;

  if (g_str_has_suffix (path, "/email-activity"))
    body = "{\"emails\": [{\"email_address\": \"anna@example.com\", \"activity\": ["
           " {\"action\": \"open\", \"timestamp\": \"2018-06-10T08:00:00+00:00\"}]}], \"total_items\": 1}";
  else
    body = "{\"id\": \"42694e9e57\", \"campaign_title\": \"Spring sale\", \"emails_sent\": 1000,"
           " \"send_time\": \"2018-06-09T21:30:00+00:00\", \"unsubscribed\": 5, \"abuse_reports\": 1,"
           " \"bounces\": {\"hard_bounces\": 8, \"soft_bounces\": 12},"
           " \"opens\": {\"opens_total\": 700, \"unique_opens\": 450},"
           " \"clicks\": {\"clicks_total\": 130, \"unique_subscriber_clicks\": 90}}";
  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
}

static HeraldMailchimpDialog *
find_dialog (void)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next)
    if (HERALD_IS_MAILCHIMP_DIALOG (l->data))
      return l->data;
  return NULL;
}

static void
test_fetch_dialog (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "dialog.herald", NULL);
  g_autofree char *csv = g_build_filename (tmpdir, "contacts.csv", NULL);
  g_autoptr(HeraldWorkspace) workspace = herald_workspace_open (path, HERALD_WORKSPACE_OPEN_CREATE, NULL);
  g_autoptr(HeraldContactImport) import = NULL;
  g_autoptr(HeraldImportReport) imported = NULL;
  g_autoptr(HeraldKpis) kpis = NULL;
  HeraldMailchimpDialog *dialog;
  gpointer weak;
  HeraldWindow *window;
  GtkWidget *page, *fetch_button, *error_box;
  GtkEditable *key_row, *campaigns_row;
  GtkStack *stack;

  g_assert_true (g_file_set_contents (csv, "Email\nanna@example.com\n", -1, NULL));
  import = herald_contact_import_new (workspace, csv);
  g_assert_true (herald_contact_import_prepare (import, HERALD_IMPORT_PRESET_AUTO, NULL, NULL, NULL));
  imported = herald_contact_import_run (import, NULL, NULL, NULL, NULL);
  g_assert_nonnull (imported);

  window = herald_window_new (NULL);
  herald_window_set_workspace (window, workspace);
  gtk_window_present (GTK_WINDOW (window));
  herald_window_show_page (window, "results");
  spin (100);
  page = find_descendant (GTK_WIDGET (window), HERALD_TYPE_RESULTS_PAGE);
  stack = GTK_STACK (template_child (page, HERALD_TYPE_RESULTS_PAGE, "stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");

  g_assert_true (gtk_widget_activate_action (page, "results.fetch-mailchimp", NULL));
  flush_main_loop ();
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  fetch_button = template_child (dialog, HERALD_TYPE_MAILCHIMP_DIALOG, "fetch_button");
  error_box = template_child (dialog, HERALD_TYPE_MAILCHIMP_DIALOG, "error_box");
  key_row = GTK_EDITABLE (template_child (dialog, HERALD_TYPE_MAILCHIMP_DIALOG, "key_row"));
  campaigns_row = GTK_EDITABLE (template_child (dialog, HERALD_TYPE_MAILCHIMP_DIALOG, "campaigns_row"));
  /* The keyring is left alone. */
  gtk_switch_set_active (GTK_SWITCH (template_child (dialog, HERALD_TYPE_MAILCHIMP_DIALOG, "remember_switch")), FALSE);

  /* Fetch needs a key and a campaign. */
  g_assert_false (gtk_widget_get_sensitive (fetch_button));
  gtk_editable_set_text (key_row, "not a key");
  gtk_editable_set_text (campaigns_row, "42694e9e57");
  g_assert_true (gtk_widget_get_sensitive (fetch_button));

  /* A key of the wrong form is pointed out without asking Mailchimp. */
  g_signal_emit_by_name (fetch_button, "clicked");
  flush_main_loop ();
  g_assert_true (gtk_widget_get_visible (error_box));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (template_child (dialog, HERALD_TYPE_MAILCHIMP_DIALOG,
                                                                            "error_label"))),
                            "API key"));

  gtk_editable_set_text (key_row, KEY);
  /* No entry keeps the focus as the dialog closes: without a window
   * manager, GTK would warn that it never lost it. */
  gtk_window_set_focus (GTK_WINDOW (dialog), NULL);
  g_signal_emit_by_name (fetch_button, "clicked");
  g_assert_false (gtk_widget_get_visible (error_box));
  g_assert_true (gtk_widget_get_visible (template_child (dialog, HERALD_TYPE_MAILCHIMP_DIALOG, "progress_box")));
  for (guint i = 0; i < 500 && find_dialog () != NULL; i++)
    spin (20);
  /* Done: the dialog closes, and the page shows the campaign. */
  g_assert_null (find_dialog ());
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "results");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (template_child (page, HERALD_TYPE_RESULTS_PAGE, "title_label"))),
                   ==, "Spring sale");
  kpis = herald_campaign_get_kpis (workspace, "Spring sale", NULL);
  g_assert_nonnull (kpis);
  g_assert_cmpfloat (kpis->delivered, ==, 980);

  gtk_window_destroy (GTK_WINDOW (window));
  flush_main_loop ();
  /* Nothing keeps the dialog alive once the keyring has answered. */
  for (guint i = 0; i < 1500 && weak != NULL; i++)
    spin (20);
  g_assert_null (weak);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = herald_test_isolate_home ();
  g_autoptr(SoupServer) server = NULL;
  g_autofree char *base_url = NULL;
  GSList *uris;
  int ret;

  gtk_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-mailchimp-dialog");
  adw_init ();
  tmpdir = home;

  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, "/3.0/reports", server_cb, NULL, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, NULL));
  uris = soup_server_get_uris (server);
  base_url = g_strdup_printf ("http://127.0.0.1:%d/3.0", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_setenv ("HERALD_MAILCHIMP_BASE_URL", base_url, TRUE);

  g_test_add_func ("/herald/ui/mailchimp-dialog/fetch", test_fetch_dialog);
  ret = g_test_run ();

  g_clear_object (&server);
  herald_test_remove_tree (home);
  return ret;
}
