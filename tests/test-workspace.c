/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sys/stat.h>

#include "herald-core.h"
#include "herald-test-utils.h"
#include "herald-workspace-private.h"

static char *tmpdir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static char *
query_text (HeraldWorkspace *workspace,
            const char      *sql)
{
  g_autoptr(sqlite3_stmt) stmt = _herald_workspace_prepare (workspace, sql, NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);

  return g_strdup ((const char *)sqlite3_column_text (stmt, 0));
}

static gint64
query_int (HeraldWorkspace *workspace,
           const char      *sql)
{
  g_autofree char *text = query_text (workspace, sql);

  return g_ascii_strtoll (text, NULL, 10);
}

static void
test_create (void)
{
  g_autofree char *path = tmp_path ("create.herald");
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *journal = NULL;
  g_autofree char *foreign_keys = NULL;
  struct stat st;

  workspace = herald_workspace_open (path, HERALD_WORKSPACE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (workspace);

  g_assert_cmpstr (herald_workspace_get_name (workspace), ==, "create");
  g_assert_cmpstr (herald_workspace_get_path (workspace), ==, path);
  g_assert_cmpint (herald_workspace_get_schema_version (workspace), ==,
                   herald_workspace_get_latest_schema_version ());
  g_assert_cmpint (herald_workspace_get_latest_schema_version (), >=, 1);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  journal = query_text (workspace, "PRAGMA journal_mode");
  g_assert_cmpstr (journal, ==, "wal");
  foreign_keys = query_text (workspace, "PRAGMA foreign_keys");
  g_assert_cmpstr (foreign_keys, ==, "1");
  g_assert_cmpint (query_int (workspace, "PRAGMA application_id"), ==, HERALD_APPLICATION_ID);

  g_assert_cmpint (herald_workspace_count (workspace, HERALD_COLLECTION_CONTACTS, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (herald_workspace_count (workspace, HERALD_COLLECTION_FLOWS, &error), ==, 0);
  g_assert_no_error (error);
}

static void
test_reopen (void)
{
  g_autofree char *path = tmp_path ("reopen.herald");
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *currency = NULL;

  workspace = herald_workspace_open (path, HERALD_WORKSPACE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (herald_workspace_set_setting (workspace, "currency", "CHF", &error));
  g_assert_no_error (error);
  g_clear_object (&workspace);

  /* Without CREATE an existing workspace opens, and keeps what it held. */
  workspace = herald_workspace_open (path, HERALD_WORKSPACE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  currency = herald_workspace_get_setting (workspace, "currency");
  g_assert_cmpstr (currency, ==, "CHF");

  g_assert_true (herald_workspace_set_setting (workspace, "currency", NULL, &error));
  g_assert_no_error (error);
  g_assert_null (herald_workspace_get_setting (workspace, "currency"));
  g_clear_object (&workspace);

  /* A new workspace never replaces an existing file. */
  workspace = herald_workspace_open (path, HERALD_WORKSPACE_OPEN_CREATE | HERALD_WORKSPACE_OPEN_EXCLUSIVE, &error);
  g_assert_error (error, HERALD_WORKSPACE_ERROR, HERALD_WORKSPACE_ERROR_EXISTS);
  g_assert_null (workspace);
}

static void
test_missing (void)
{
  g_autofree char *path = tmp_path ("missing.herald");
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;

  workspace = herald_workspace_open (path, HERALD_WORKSPACE_OPEN_DEFAULT, &error);
  g_assert_error (error, HERALD_WORKSPACE_ERROR, HERALD_WORKSPACE_ERROR_NOT_FOUND);
  g_assert_null (workspace);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
assert_rejected_unchanged (const char *path,
                           int         code)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  gsize before_len, after_len;

  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));

  workspace = herald_workspace_open (path, HERALD_WORKSPACE_OPEN_CREATE, &error);
  g_assert_error (error, HERALD_WORKSPACE_ERROR, code);
  g_assert_null (workspace);

  /* The message names the file. */
  g_assert_nonnull (strstr (error->message, path));

  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

static void
test_not_workspace (void)
{
  g_autofree char *text = tmp_path ("contacts.csv");
  g_autofree char *empty = tmp_path ("empty.herald");
  g_autofree char *other = tmp_path ("other.sqlite");
  sqlite3 *db = NULL;

  g_assert_true (g_file_set_contents (text, "Email,First Name\nanna@example.com,Anna\n", -1, NULL));
  assert_rejected_unchanged (text, HERALD_WORKSPACE_ERROR_NOT_WORKSPACE);

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  assert_rejected_unchanged (empty, HERALD_WORKSPACE_ERROR_NOT_WORKSPACE);

  /* A SQLite database of another program is not ours either. */
  g_assert_cmpint (sqlite3_open (other, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hi')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  assert_rejected_unchanged (other, HERALD_WORKSPACE_ERROR_NOT_WORKSPACE);
}

static void
test_too_new (void)
{
  g_autofree char *path = tmp_path ("future.herald");
  g_autofree char *sql = NULL;
  sqlite3 *db = NULL;

  sql = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d; CREATE TABLE t (x)",
                         HERALD_APPLICATION_ID, herald_workspace_get_latest_schema_version () + 1);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  assert_rejected_unchanged (path, HERALD_WORKSPACE_ERROR_TOO_NEW);
}

static const HeraldMigration steps[] = {
  { "first", "CREATE TABLE a (x INTEGER)" },
  { "second", "ALTER TABLE a ADD COLUMN y TEXT; CREATE TABLE b (z TEXT)" },
  { "broken", "CREATE TABLE c (w TEXT); THIS IS NOT SQL" },
};

static void
test_migrate (void)
{
  g_autofree char *path = tmp_path ("migrate.herald");
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;
  g_autofree char *tables = NULL;

  workspace = _herald_workspace_open_with_migrations (path, HERALD_WORKSPACE_OPEN_CREATE, steps, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (herald_workspace_get_schema_version (workspace), ==, 1);
  g_assert_true (_herald_workspace_exec (workspace, "INSERT INTO a (x) VALUES (7)", &error));
  g_assert_no_error (error);
  g_clear_object (&workspace);

  /* A newer build adds a step: the file moves forward and keeps its rows. */
  workspace = _herald_workspace_open_with_migrations (path, HERALD_WORKSPACE_OPEN_DEFAULT, steps, 2, &error);
  g_assert_no_error (error);
  version = query_text (workspace, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, "2");
  g_assert_true (_herald_workspace_exec (workspace, "UPDATE a SET y = 'kept' WHERE x = 7", &error));
  g_assert_no_error (error);
  g_clear_object (&workspace);

  /* A step that fails rolls the whole migration back. */
  workspace = _herald_workspace_open_with_migrations (path, HERALD_WORKSPACE_OPEN_DEFAULT, steps, 3, &error);
  g_assert_error (error, HERALD_WORKSPACE_ERROR, HERALD_WORKSPACE_ERROR_DATABASE);
  g_assert_null (workspace);
  g_clear_error (&error);

  workspace = _herald_workspace_open_with_migrations (path, HERALD_WORKSPACE_OPEN_DEFAULT, steps, 2, &error);
  g_assert_no_error (error);
  g_free (version);
  version = query_text (workspace, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, "2");
  tables = query_text (workspace, "SELECT group_concat(name, ',') FROM "
                                  "(SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name)");
  g_assert_cmpstr (tables, ==, "a,b");
  g_free (version);
  version = query_text (workspace, "SELECT y FROM a WHERE x = 7");
  g_assert_cmpstr (version, ==, "kept");
}

static void
test_demo (void)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(HeraldContactList) contacts = NULL;
  g_autoptr(HeraldContact) first = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *demo_path = herald_workspace_get_demo_path ();
  g_autofree char *currency = NULL;
  gint64 count, tagged, consents;

  workspace = herald_demo_open (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (herald_workspace_get_path (workspace), ==, demo_path);
  g_assert_true (g_str_has_prefix (demo_path, g_get_user_data_dir ()));

  count = herald_workspace_count (workspace, HERALD_COLLECTION_CONTACTS, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count, >, 200);

  tagged = query_int (workspace, "SELECT count(DISTINCT contact_id) FROM contact_tags");
  g_assert_cmpint (tagged, >, 0);
  consents = query_int (workspace, "SELECT count(*) FROM consents");
  g_assert_cmpint (consents, >, count / 2);
  currency = herald_workspace_get_setting (workspace, "currency");
  g_assert_cmpstr (currency, ==, "EUR");

  /* Filling it again adds nothing. */
  g_assert_true (herald_demo_populate (workspace, &error));
  g_assert_no_error (error);
  g_assert_cmpint (herald_workspace_count (workspace, HERALD_COLLECTION_CONTACTS, NULL), ==, count);

  contacts = herald_contact_list_new (workspace);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (contacts)), ==, count);
  first = g_list_model_get_item (G_LIST_MODEL (contacts), 0);
  g_assert_nonnull (first);
  g_assert_nonnull (strchr (herald_contact_get_email (first), '@'));
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (contacts), count));

  /* The last item lives on a later page than the first. */
  g_clear_object (&first);
  first = g_list_model_get_item (G_LIST_MODEL (contacts), count - 1);
  g_assert_nonnull (first);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = herald_test_isolate_home ();
  int ret;

  g_test_init (&argc, &argv, NULL);

  tmpdir = g_build_filename (home, "workspaces", NULL);
  g_mkdir_with_parents (tmpdir, 0700);

  g_test_add_func ("/herald/workspace/create", test_create);
  g_test_add_func ("/herald/workspace/reopen", test_reopen);
  g_test_add_func ("/herald/workspace/missing", test_missing);
  g_test_add_func ("/herald/workspace/not-workspace", test_not_workspace);
  g_test_add_func ("/herald/workspace/too-new", test_too_new);
  g_test_add_func ("/herald/workspace/migrate", test_migrate);
  g_test_add_func ("/herald/workspace/demo", test_demo);

  ret = g_test_run ();

  herald_test_remove_tree (home);
  g_free (tmpdir);

  return ret;
}
