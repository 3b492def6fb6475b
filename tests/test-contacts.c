/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "herald-core.h"
#include "herald-test-utils.h"
#include "herald-workspace-private.h"

static char *tmpdir;

static HeraldWorkspace *
workspace_with (const char *csv)
{
  static guint n;
  g_autofree char *name = g_strdup_printf ("contacts-%u.herald", n);
  g_autofree char *csv_name = g_strdup_printf ("contacts-%u.csv", n++);
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autofree char *csv_path = g_build_filename (tmpdir, csv_name, NULL);
  g_autoptr(HeraldContactImport) import = NULL;
  g_autoptr(HeraldImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  HeraldWorkspace *workspace;

  workspace = herald_workspace_open (path, HERALD_WORKSPACE_OPEN_CREATE, &error);
  g_assert_no_error (error);

  g_assert_true (g_file_set_contents (csv_path, csv, -1, NULL));
  import = herald_contact_import_new (workspace, csv_path);
  g_assert_true (herald_contact_import_prepare (import, HERALD_IMPORT_PRESET_AUTO, NULL, NULL, &error));
  report = herald_contact_import_run (import, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  return workspace;
}

#define PEOPLE \
  "Email,First Name,Last Name,Company,Tags,Plan,OPTIN_TIME,CONFIRM_TIME\n" \
  "anna@example.com,Anna,Schmidt,Brightpath,\"vip, newsletter\",Pro,2024-01-02 10:00:00,2024-01-02 10:05:00\n" \
  "bo@example.com,Bo,Lind,Fjordlys,,Free,,\n" \
  "chen@example.com,Wei,Chen,Yunhe 100%,trial,,,\n" \
  "eve@example.com,Eve,Hacker,\"=HYPERLINK(\"\"http://x\"\")\",,@SUM(1),,\n"

static void
test_lookup_and_json (void)
{
  g_autoptr(HeraldWorkspace) workspace = workspace_with (PEOPLE);
  g_autoptr(HeraldContact) contact = NULL;
  g_autoptr(HeraldContact) missing = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonArray *consents;

  contact = herald_contacts_lookup (workspace, " ANNA@Example.com ", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (herald_contact_get_email (contact), ==, "anna@example.com");

  missing = herald_contacts_lookup (workspace, "nobody@example.com", &error);
  g_assert_error (error, HERALD_CONTACTS_ERROR, HERALD_CONTACTS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (herald_contacts_lookup (workspace, "not an address", &error));
  g_assert_error (error, HERALD_CONTACTS_ERROR, HERALD_CONTACTS_ERROR_INVALID_EMAIL);

  node = herald_contacts_to_json (workspace, contact);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "email"), ==, "anna@example.com");
  g_assert_cmpstr (json_object_get_string_member (object, "company"), ==, "Brightpath");
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "subscribed");
  g_assert_true (json_object_get_null_member (object, "job_title"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "tags")), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (object, "tags"), 0), ==, "newsletter");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "custom"), "Plan"), ==, "Pro");
  consents = json_object_get_array_member (object, "consents");
  g_assert_cmpuint (json_array_get_length (consents), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (consents, 0), "method"), ==,
                   "double-opt-in");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (consents, 0), "time"), ==,
                   "2024-01-02T10:05:00Z");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "events")), ==, 0);
}

static void
test_export_roundtrip (void)
{
  g_autoptr(HeraldWorkspace) workspace = workspace_with (PEOPLE);
  g_autofree char *path = g_build_filename (tmpdir, "export.csv", NULL);
  g_autofree char *text = NULL;
  g_autoptr(HeraldWorkspace) copy = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_assert_true (herald_contacts_export (workspace, path, NULL, NULL, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 4);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "email,first_name,last_name,company,job_title,industry,company_size,"
                                         "country,city,phone,language,source,status,created_at,updated_at,tags,Plan\r\n"));
  g_assert_nonnull (strstr (text, "\r\nanna@example.com,Anna,Schmidt,Brightpath,"));
  g_assert_nonnull (strstr (text, ",\"newsletter, vip\",Pro\r\n"));

  /* Formulas reach the spreadsheet as text. */
  g_assert_nonnull (strstr (text, ",\"'=HYPERLINK(\"\"http://x\"\")\","));
  g_assert_nonnull (strstr (text, ",'@SUM(1)\r\n"));

  /* Herald reads its own export back whole, apostrophes taken off. */
  copy = workspace_with (text);
  g_assert_cmpint (herald_workspace_count (copy, HERALD_COLLECTION_CONTACTS, NULL), ==, 4);
  {
    g_autoptr(HeraldContact) eve = herald_contacts_lookup (copy, "eve@example.com", NULL);
    g_autoptr(GHashTable) custom = herald_contacts_get_custom (copy, eve);

    g_assert_cmpstr (herald_contact_get_field (eve, HERALD_CONTACT_FIELD_COMPANY), ==, "=HYPERLINK(\"http://x\")");
    g_assert_cmpstr (g_hash_table_lookup (custom, "Plan"), ==, "@SUM(1)");
  }
}

static void
export_finished_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static guint
count_files_in (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (handle) != NULL)
    n++;
  return n;
}

/* A large export is written as a stream in a worker thread; cancelled, it
 * leaves the file that was there, and nothing beside it. */
static void
test_export_in_background (void)
{
  g_autoptr(GString) csv = g_string_new ("Email,First Name,Plan\n");
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autofree char *dir = g_build_filename (tmpdir, "exports", NULL);
  g_autofree char *path = g_build_filename (dir, "all.csv", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  guint n = 0;

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (csv, "person%u@example.com,Person %u,Pro\n", i, i);
  workspace = workspace_with (csv->str);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);

  herald_contacts_export_async (workspace, path, NULL, NULL, export_finished_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (herald_contacts_export_finish (workspace, result, &n, &error));
  g_assert_cmpuint (n, ==, 20000);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\r\nperson19999@example.com,Person 19999,"));

  g_assert_true (g_file_set_contents (path, "before", -1, NULL));
  g_cancellable_cancel (cancellable);
  g_assert_false (herald_contacts_export (workspace, path, NULL, cancellable, &n, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "before");
  g_assert_cmpuint (count_files_in (dir), ==, 1);
}

static void
test_delete_and_restore (void)
{
  g_autoptr(HeraldWorkspace) workspace = workspace_with (PEOPLE);
  g_autoptr(HeraldContact) contact = herald_contacts_lookup (workspace, "anna@example.com", NULL);
  g_autoptr(HeraldContact) other = herald_contacts_lookup (workspace, "bo@example.com", NULL);
  g_autoptr(HeraldContact) restored = NULL;
  g_autoptr(JsonNode) before = herald_contacts_to_json (workspace, contact);
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *snapshot = NULL;
  gint64 ids[] = { herald_contact_get_id (contact), herald_contact_get_id (other) };

  g_assert_true (herald_contacts_delete (workspace, ids, G_N_ELEMENTS (ids), NULL, &snapshot, &error));
  g_assert_no_error (error);
  g_assert_cmpint (herald_workspace_count (workspace, HERALD_COLLECTION_CONTACTS, NULL), ==, 2);
  g_assert_null (herald_contacts_lookup (workspace, "anna@example.com", NULL));

  g_assert_true (herald_contacts_restore (workspace, snapshot, &error));
  g_assert_no_error (error);
  g_assert_cmpint (herald_workspace_count (workspace, HERALD_COLLECTION_CONTACTS, NULL), ==, 4);

  restored = herald_contacts_lookup (workspace, "anna@example.com", &error);
  g_assert_no_error (error);
  g_assert_cmpint (herald_contact_get_id (restored), ==, herald_contact_get_id (contact));
  after = herald_contacts_to_json (workspace, restored);
  g_assert_true (json_node_equal (before, after));
  g_clear_object (&restored);
  restored = herald_contacts_lookup (workspace, "bo@example.com", &error);
  g_assert_cmpint (herald_contact_get_id (restored), ==, herald_contact_get_id (other));
}

static void
changed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
change_and_wait (HeraldWorkspace       *workspace,
                 HeraldContactsChange   change,
                 GArray                *ids,
                 const char            *text,
                 GCancellable          *cancellable,
                 char                 **out_snapshot,
                 GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  herald_contacts_change_async (workspace, change, ids ? (const gint64 *)ids->data : NULL, ids ? ids->len : 0,
                                text, cancellable, changed_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return herald_contacts_change_finish (workspace, result, out_snapshot, error);
}

/* Many contacts deleted, tagged and put back in a worker thread; a
 * cancelled deletion changes nothing. */
static void
test_change_in_background (void)
{
  g_autoptr(GString) csv = g_string_new ("Email\n");
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *snapshot = NULL;

  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (csv, "person%u@example.com\n", i);
  workspace = workspace_with (csv->str);
  for (gint64 id = 1; id <= 3000; id++)
    g_array_append_val (ids, id);

  g_assert_true (change_and_wait (workspace, HERALD_CONTACTS_CHANGE_ADD_TAG, ids, "webinar", NULL, NULL, &error));
  g_assert_cmpint (herald_workspace_count (workspace, HERALD_COLLECTION_CONTACTS, NULL), ==, 5000);
  g_assert_false (change_and_wait (workspace, HERALD_CONTACTS_CHANGE_ADD_TAG, ids, "a;b", NULL, NULL, &error));
  g_assert_error (error, HERALD_CONTACTS_ERROR, HERALD_CONTACTS_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  g_assert_false (change_and_wait (workspace, HERALD_CONTACTS_CHANGE_DELETE, ids, NULL, cancellable, &snapshot,
                                   &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_null (snapshot);
  g_assert_cmpint (herald_workspace_count (workspace, HERALD_COLLECTION_CONTACTS, NULL), ==, 5000);

  g_assert_true (change_and_wait (workspace, HERALD_CONTACTS_CHANGE_DELETE, ids, NULL, NULL, &snapshot, &error));
  g_assert_cmpint (herald_workspace_count (workspace, HERALD_COLLECTION_CONTACTS, NULL), ==, 2000);
  g_assert_true (change_and_wait (workspace, HERALD_CONTACTS_CHANGE_RESTORE, NULL, snapshot, NULL, NULL, &error));
  g_assert_cmpint (herald_workspace_count (workspace, HERALD_COLLECTION_CONTACTS, NULL), ==, 5000);
  {
    g_autoptr(HeraldContact) contact = herald_contacts_lookup (workspace, "person2999@example.com", NULL);
    g_auto(GStrv) tags = herald_contacts_get_tags (workspace, contact);

    g_assert_cmpstr (tags[0], ==, "webinar");
  }

  /* A deletion for good keeps nothing to undo it with. */
  g_clear_pointer (&snapshot, g_free);
  g_assert_true (change_and_wait (workspace, HERALD_CONTACTS_CHANGE_DELETE_FOREVER, ids, NULL, NULL, &snapshot,
                                  &error));
  g_assert_null (snapshot);
  g_assert_cmpint (herald_workspace_count (workspace, HERALD_COLLECTION_CONTACTS, NULL), ==, 2000);
}

static void
test_erase (void)
{
  g_autoptr(HeraldWorkspace) workspace = workspace_with (PEOPLE);
  g_autofree char *csv = g_build_filename (tmpdir, "again.csv", NULL);
  g_autoptr(HeraldContactImport) import = NULL;
  g_autoptr(HeraldImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const char *reason;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_true (herald_contacts_erase (workspace, "Bo@Example.com", &error));
  g_assert_no_error (error);
  g_assert_null (herald_contacts_lookup (workspace, "bo@example.com", NULL));
  g_assert_true (herald_contacts_is_erased (workspace, "bo@example.com"));

  /* Nothing readable of the address stays behind. */
  stmt = _herald_workspace_prepare (workspace, "SELECT email_hash FROM erasures", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_null (strstr ((const char *)sqlite3_column_text (stmt, 0), "bo"));

  g_assert_true (g_file_set_contents (csv, "Email\nbo@example.com\nnew@example.com\n", -1, NULL));
  import = herald_contact_import_new (workspace, csv);
  g_assert_true (herald_contact_import_prepare (import, HERALD_IMPORT_PRESET_AUTO, NULL, NULL, &error));
  report = herald_contact_import_run (import, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (herald_import_report_get_imported (report), ==, 1);
  g_assert_cmpuint (herald_import_report_get_rejected (report, 0, &reason), ==, 2);
  g_assert_nonnull (strstr (reason, "erased"));

  g_assert_false (herald_contacts_erase (workspace, "bo@example.com", &error));
  g_assert_error (error, HERALD_CONTACTS_ERROR, HERALD_CONTACTS_ERROR_NOT_FOUND);
}

static void
test_search (void)
{
  g_autoptr(HeraldWorkspace) workspace = workspace_with (PEOPLE);
  g_autoptr(HeraldContactList) list = herald_contact_list_new (workspace);
  g_autoptr(HeraldContact) first = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 4);

  herald_contact_list_set_search (list, "SCHMIDT");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpstr (herald_contact_get_email (first), ==, "anna@example.com");

  herald_contact_list_set_search (list, "anna schmidt");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  herald_contact_list_set_search (list, "fjord");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);

  /* Wildcards are plain characters. */
  herald_contact_list_set_search (list, "100%");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  herald_contact_list_set_search (list, "%");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  herald_contact_list_set_search (list, "_");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);

  herald_contact_list_set_search (list, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 4);
}

static void
record_change_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GString    *changes)
{
  g_string_append_printf (changes, "%s%u-%u+%u", changes->len ? " " : "", position, removed, added);
}

/* A list view told that rows it shows were replaced looks for them among
 * all the rows added, so a reload never replaces many rows at once: it
 * empties the list first. What stays in place is only read again where
 * it was read before. */
static void
test_list_changes (void)
{
  g_autoptr(GString) csv = g_string_new ("Email,First Name\n");
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(HeraldContactList) list = NULL;
  g_autoptr(GString) changes = g_string_new (NULL);
  g_autoptr(HeraldContact) renamed = NULL;
  g_autoptr(HeraldContact) read_again = NULL;

  for (guint i = 0; i < 6000; i++)
    g_string_append_printf (csv, "person%u@example.com,%s\n", i, i % 1000 == 7 ? "Match" : "Other");
  workspace = workspace_with (csv->str);
  list = herald_contact_list_new (workspace);
  g_signal_connect (list, "items-changed", G_CALLBACK (record_change_cb), changes);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 6000);

  herald_contact_list_set_search (list, "match");
  g_assert_cmpstr (changes->str, ==, "0-6000+6");
  g_string_truncate (changes, 0);
  herald_contact_list_set_search (list, NULL);
  g_assert_cmpstr (changes->str, ==, "0-6+0 0-0+6000");
  g_string_truncate (changes, 0);

  /* Rows 0 and 300 were read; a renamed contact is read again. */
  renamed = g_list_model_get_item (G_LIST_MODEL (list), 300);
  g_clear_object (&renamed);
  renamed = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_true (herald_contacts_set_field (workspace, herald_contact_get_id (renamed),
                                            HERALD_CONTACT_FIELD_FIRST_NAME, "Renamed", NULL));
  g_assert_true (herald_contact_list_reload (list, NULL));
  g_assert_cmpstr (changes->str, ==, "256-128+128 0-128+128");
  read_again = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpstr (herald_contact_get_field (read_again, HERALD_CONTACT_FIELD_FIRST_NAME), ==, "Renamed");
}

static char *
emails_in (HeraldContactList *list)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr(HeraldContact) contact = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_assert_cmpint (herald_contact_list_get_id (list, i), ==, herald_contact_get_id (contact));
      g_string_append_printf (out, "%s%c", herald_contact_get_email (contact), ' ');
    }

  return g_strchomp (g_string_free (g_steal_pointer (&out), FALSE));
}

static void
assert_emails (HeraldContactList *list,
               const char        *expected)
{
  g_autofree char *emails = emails_in (list);

  g_assert_cmpstr (emails, ==, expected);
}

static void
test_filter_and_sort (void)
{
  g_autoptr(HeraldWorkspace) workspace = workspace_with (PEOPLE "dan@example.com,Dan,Abel,,trial,,,\n");
  g_autoptr(HeraldContactList) list = herald_contact_list_new (workspace);
  g_autoptr(HeraldContact) chen = herald_contacts_lookup (workspace, "chen@example.com", NULL);
  g_auto(GStrv) tags = herald_contacts_list_tags (workspace);
  g_autofree char *joined = g_strjoinv (",", tags);

  g_assert_cmpstr (joined, ==, "newsletter,trial,vip");
  assert_emails (list, "anna@example.com bo@example.com chen@example.com eve@example.com dan@example.com");

  herald_contact_list_set_sort (list, HERALD_CONTACT_SORT_NAME, FALSE);
  assert_emails (list, "anna@example.com bo@example.com dan@example.com eve@example.com chen@example.com");
  herald_contact_list_set_sort (list, HERALD_CONTACT_SORT_COMPANY, TRUE);
  assert_emails (list, "chen@example.com bo@example.com anna@example.com eve@example.com dan@example.com");
  herald_contact_list_set_sort (list, HERALD_CONTACT_SORT_EMAIL, FALSE);

  herald_contact_list_set_tag (list, "trial");
  assert_emails (list, "chen@example.com dan@example.com");

  g_assert_true (herald_contacts_set_field (workspace, herald_contact_get_id (chen), HERALD_CONTACT_FIELD_STATUS,
                                            "unsubscribed", NULL));
  herald_contact_list_set_status (list, "subscribed");
  assert_emails (list, "dan@example.com");
  herald_contact_list_set_tag (list, NULL);
  herald_contact_list_set_status (list, "unsubscribed");
  assert_emails (list, "chen@example.com");
  herald_contact_list_set_status (list, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 5);

  /* In the background the list changes when the worker is done, and a
   * newer request supersedes an older one. */
  g_object_set (list, "background", TRUE, NULL);
  herald_contact_list_set_tag (list, "vip");
  herald_contact_list_set_tag (list, "trial");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 5);
  for (gboolean loading = TRUE; loading; )
    {
      g_object_get (list, "loading", &loading, NULL);
      if (loading)
        g_main_context_iteration (NULL, TRUE);
    }
  assert_emails (list, "chen@example.com dan@example.com");
}

static void
test_edit (void)
{
  g_autoptr(HeraldWorkspace) workspace = workspace_with (PEOPLE);
  g_autoptr(HeraldContact) bo = herald_contacts_lookup (workspace, "bo@example.com", NULL);
  g_autoptr(HeraldContact) anna = herald_contacts_lookup (workspace, "anna@example.com", NULL);
  g_autoptr(HeraldContact) after = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = herald_contact_get_id (bo);
  const gint64 ids[] = { id, herald_contact_get_id (anna) };
  g_auto(GStrv) tags = NULL;

  g_assert_true (herald_contacts_set_field (workspace, id, HERALD_CONTACT_FIELD_COUNTRY, "Norwegen", &error));
  g_assert_true (herald_contacts_set_field (workspace, id, HERALD_CONTACT_FIELD_COMPANY_SIZE, "90", &error));
  g_assert_true (herald_contacts_set_field (workspace, id, HERALD_CONTACT_FIELD_COMPANY, "  ", &error));
  g_assert_true (herald_contacts_set_field (workspace, id, HERALD_CONTACT_FIELD_EMAIL, " Bo.Lind@Example.COM ", &error));
  g_assert_no_error (error);

  after = herald_contacts_lookup (workspace, "bo.lind@example.com", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (herald_contact_get_field (after, HERALD_CONTACT_FIELD_COUNTRY), ==, "NO");
  g_assert_cmpstr (herald_contact_get_field (after, HERALD_CONTACT_FIELD_COMPANY_SIZE), ==, "90");
  g_assert_null (herald_contact_get_field (after, HERALD_CONTACT_FIELD_COMPANY));

  g_assert_false (herald_contacts_set_field (workspace, id, HERALD_CONTACT_FIELD_EMAIL, "anna@example.com", &error));
  g_assert_error (error, HERALD_CONTACTS_ERROR, HERALD_CONTACTS_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "anna@example.com"));
  g_clear_error (&error);
  g_assert_false (herald_contacts_set_field (workspace, id, HERALD_CONTACT_FIELD_EMAIL, "nope", &error));
  g_clear_error (&error);
  g_assert_false (herald_contacts_set_field (workspace, id, HERALD_CONTACT_FIELD_COMPANY_SIZE, "about 10", &error));
  g_clear_error (&error);
  g_assert_false (herald_contacts_set_field (workspace, id, HERALD_CONTACT_FIELD_COUNTRY, "Atlantis", &error));
  g_clear_error (&error);
  g_assert_false (herald_contacts_set_field (workspace, id, HERALD_CONTACT_FIELD_STATUS, "happy", &error));
  g_clear_error (&error);

  g_assert_true (herald_contacts_tag (workspace, ids, G_N_ELEMENTS (ids), " webinar ", TRUE, NULL, &error));
  g_assert_no_error (error);
  tags = herald_contacts_get_tags (workspace, after);
  g_assert_cmpstr (tags[0], ==, "webinar");
  g_clear_pointer (&tags, g_strfreev);

  g_assert_true (herald_contacts_tag (workspace, ids, G_N_ELEMENTS (ids), "vip", FALSE, NULL, &error));
  tags = herald_contacts_list_tags (workspace);
  g_assert_false (g_strv_contains ((const char * const *)tags, "vip"));

  g_assert_false (herald_contacts_tag (workspace, ids, 1, "a,b", TRUE, NULL, &error));
  g_assert_error (error, HERALD_CONTACTS_ERROR, HERALD_CONTACTS_ERROR_INVALID_VALUE);
}

static void
test_list_values (void)
{
  g_autoptr(HeraldWorkspace) workspace = workspace_with ("Email,Industry,Plan\n"
                                                         "a@x.example,Finance,Pro\n"
                                                         "b@x.example,Retail,\n"
                                                         "c@x.example,Finance,Free\n"
                                                         "d@x.example,,Pro\n"
                                                         "e@x.example,Energy,Pro\n");
  g_auto(GStrv) industries = herald_contacts_list_values (workspace, "industry", 10);
  g_auto(GStrv) plans = herald_contacts_list_values (workspace, "Plan", 1);
  g_auto(GStrv) none = herald_contacts_list_values (workspace, "Shoe size", 10);

  /* The most common first, then by name; empty values are no values. */
  g_assert_cmpuint (g_strv_length (industries), ==, 3);
  g_assert_cmpstr (industries[0], ==, "Finance");
  g_assert_cmpstr (industries[1], ==, "Energy");
  g_assert_cmpstr (industries[2], ==, "Retail");
  g_assert_cmpuint (g_strv_length (plans), ==, 1);
  g_assert_cmpstr (plans[0], ==, "Pro");
  g_assert_cmpuint (g_strv_length (none), ==, 0);
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

  g_test_add_func ("/herald/contacts/lookup-and-json", test_lookup_and_json);
  g_test_add_func ("/herald/contacts/export-roundtrip", test_export_roundtrip);
  g_test_add_func ("/herald/contacts/export-in-background", test_export_in_background);
  g_test_add_func ("/herald/contacts/delete-and-restore", test_delete_and_restore);
  g_test_add_func ("/herald/contacts/change-in-background", test_change_in_background);
  g_test_add_func ("/herald/contacts/erase", test_erase);
  g_test_add_func ("/herald/contacts/search", test_search);
  g_test_add_func ("/herald/contacts/filter-and-sort", test_filter_and_sort);
  g_test_add_func ("/herald/contacts/list-changes", test_list_changes);
  g_test_add_func ("/herald/contacts/edit", test_edit);
  g_test_add_func ("/herald/contacts/list-values", test_list_values);

  ret = g_test_run ();

  herald_test_remove_tree (home);
  g_free (tmpdir);

  return ret;
}
