/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "herald-core.h"
#include "herald-test-utils.h"
#include "herald-workspace-private.h"

static char *tmpdir;

static HeraldWorkspace *
new_workspace (void)
{
  static guint n;
  g_autofree char *name = g_strdup_printf ("import-%u.herald", n++);
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;
  HeraldWorkspace *workspace = herald_workspace_open (path, HERALD_WORKSPACE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  return workspace;
}

static char *
write_file (const char *name,
            const char *contents)
{
  char *path = g_build_filename (tmpdir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static char *
query (HeraldWorkspace *workspace,
       const char      *sql,
       const char      *email)
{
  g_autoptr(sqlite3_stmt) stmt = _herald_workspace_prepare (workspace, sql, NULL);

  g_assert_nonnull (stmt);
  if (email != NULL)
    sqlite3_bind_text (stmt, 1, email, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  return g_strdup ((const char *)sqlite3_column_text (stmt, 0));
}

static void
assert_query (HeraldWorkspace *workspace,
              const char      *sql,
              const char      *email,
              const char      *expected)
{
  g_autofree char *value = query (workspace, sql, email);

  g_assert_cmpstr (value, ==, expected);
}

static HeraldImportReport *
import_file (HeraldWorkspace    *workspace,
             const char         *path,
             HeraldImportPreset  preset,
             HeraldMergePolicy   policy,
             HeraldImportPreset *out_detected)
{
  g_autoptr(HeraldContactImport) import = herald_contact_import_new (workspace, path);
  g_autoptr(GError) error = NULL;
  HeraldImportReport *report;

  g_assert_true (herald_contact_import_prepare (import, preset, NULL, NULL, &error));
  g_assert_no_error (error);
  if (out_detected != NULL)
    *out_detected = herald_contact_import_get_preset (import);

  herald_contact_import_set_policy (import, policy);
  report = herald_contact_import_run (import, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);

  return report;
}

static void
assert_report (HeraldImportReport *report,
               guint               rows,
               guint               imported,
               guint               updated,
               guint               invalid,
               guint               duplicates,
               guint               suppressed)
{
  g_assert_cmpuint (herald_import_report_get_rows (report), ==, rows);
  g_assert_cmpuint (herald_import_report_get_imported (report), ==, imported);
  g_assert_cmpuint (herald_import_report_get_updated (report), ==, updated);
  g_assert_cmpuint (herald_import_report_get_invalid (report), ==, invalid);
  g_assert_cmpuint (herald_import_report_get_duplicates (report), ==, duplicates);
  g_assert_cmpuint (herald_import_report_get_suppressed (report), ==, suppressed);
}

#define MAILCHIMP_HEADER "MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE," \
                         "GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,LEID,EUID,NOTES,TAGS"

static void
test_mailchimp_localized (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ();
  g_autofree char *path = write_file ("mailchimp-de.csv",
    "Emailadresse,Vorname,Nachname,Firma," MAILCHIMP_HEADER "\n"
    "Anna.Schmidt@Example.DE,Anna,Schmidt,Brightpath,4,2024-01-02 10:00:00,192.0.2.1,"
      "2024-01-02 10:05:00,192.0.2.1,,,,,,DE,,2024-01-03 10:00:00,1,a,Met at fair,\"\"\"vip\"\",\"\"newsletter\"\"\"\n"
    "jonas@example.de,Jonas,Becker,,2,2024-02-01 08:00:00,,,,,,,,,AT,,,2,b,,\n");
  g_autoptr(HeraldImportReport) report = NULL;
  HeraldImportPreset detected;

  report = import_file (workspace, path, HERALD_IMPORT_PRESET_AUTO, HERALD_MERGE_UPDATE_EMPTY, &detected);
  g_assert_cmpint (detected, ==, HERALD_IMPORT_PRESET_MAILCHIMP);
  assert_report (report, 2, 2, 0, 0, 0, 0);

  /* The address is the first column, whatever the account calls it. */
  assert_query (workspace, "SELECT first_name || ' ' || last_name || ', ' || country FROM contacts WHERE email = ?1",
                "anna.schmidt@example.de", "Anna Schmidt, DE");
  assert_query (workspace, "SELECT group_concat(t.name, ',') FROM (SELECT t.name FROM contact_tags ct "
                           "JOIN tags t ON t.id = ct.tag_id JOIN contacts c ON c.id = ct.contact_id "
                           "WHERE c.email = ?1 ORDER BY t.name) t",
                "anna.schmidt@example.de", "newsletter,vip");

  /* CONFIRM_TIME makes it double opt-in, with the IPs as evidence; an
   * OPTIN_TIME alone is a form sign-up. */
  assert_query (workspace, "SELECT method || ' ' || granted || ' ' || evidence FROM consents "
                           "JOIN contacts c ON c.id = contact_id WHERE c.email = ?1",
                "anna.schmidt@example.de", "double-opt-in 1 OPTIN_IP: 192.0.2.1, CONFIRM_IP: 192.0.2.1");
  assert_query (workspace, "SELECT method FROM consents JOIN contacts c ON c.id = contact_id WHERE c.email = ?1",
                "jonas@example.de", "form");

  /* System columns are left out, the member rating and notes kept. */
  assert_query (workspace, "SELECT group_concat(name, ',') FROM (SELECT name FROM custom_fields ORDER BY name)",
                NULL, "MEMBER_RATING,NOTES");
  assert_query (workspace, "SELECT value FROM contact_fields JOIN custom_fields f ON f.id = field_id "
                           "JOIN contacts c ON c.id = contact_id WHERE f.name = 'NOTES' AND c.email = ?1",
                "anna.schmidt@example.de", "Met at fair");
}

static void
test_mailchimp_unsubscribed (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ();
  g_autofree char *subscribed = write_file ("mc-subscribed.csv",
    "Email Address,First Name," MAILCHIMP_HEADER "\n"
    "ola@example.no,Ola,2,2024-01-01 09:00:00,,,,,,,,,NO,,,,,,\n"
    "ida@example.no,Ida,2,2024-01-01 09:00:00,,,,,,,,,NO,,,,,,\n");
  g_autofree char *unsubscribed = write_file ("mc-unsubscribed.csv",
    "Email Address,First Name," MAILCHIMP_HEADER ",UNSUB_TIME,UNSUB_CAMPAIGN_TITLE,UNSUB_CAMPAIGN_ID,UNSUB_REASON\n"
    "ola@example.no,Ola,1,2024-01-01 09:00:00,,,,,,,,,NO,,,,,,,2024-06-01 10:00:00,June news,abc,No longer interested\n");
  g_autofree char *cleaned = write_file ("mc-cleaned.csv",
    "Email Address,First Name," MAILCHIMP_HEADER ",CLEAN_TIME,CLEAN_CAMPAIGN_TITLE,CLEAN_CAMPAIGN_ID\n"
    "ida@example.no,Ida,1,,,,,,,,,,,,,,,,,2024-06-01 10:00:00,June news,abc\n");
  g_autoptr(HeraldImportReport) first = NULL;
  g_autoptr(HeraldImportReport) second = NULL;
  g_autoptr(HeraldImportReport) third = NULL;
  g_autoptr(HeraldImportReport) again = NULL;

  first = import_file (workspace, subscribed, HERALD_IMPORT_PRESET_AUTO, HERALD_MERGE_UPDATE_EMPTY, NULL);
  assert_report (first, 2, 2, 0, 0, 0, 0);

  second = import_file (workspace, unsubscribed, HERALD_IMPORT_PRESET_AUTO, HERALD_MERGE_UPDATE_EMPTY, NULL);
  assert_report (second, 1, 0, 1, 0, 0, 1);
  assert_query (workspace, "SELECT status FROM contacts WHERE email = ?1", "ola@example.no", "unsubscribed");
  assert_query (workspace, "SELECT count(*) FROM consents JOIN contacts c ON c.id = contact_id "
                           "WHERE c.email = ?1 AND granted = 0", "ola@example.no", "1");

  third = import_file (workspace, cleaned, HERALD_IMPORT_PRESET_AUTO, HERALD_MERGE_UPDATE_EMPTY, NULL);
  assert_report (third, 1, 0, 1, 0, 0, 1);
  assert_query (workspace, "SELECT status FROM contacts WHERE email = ?1", "ida@example.no", "bounced");

  /* The old subscribed export, imported again even with overwrite, never
   * brings them back. */
  again = import_file (workspace, subscribed, HERALD_IMPORT_PRESET_AUTO, HERALD_MERGE_OVERWRITE, NULL);
  assert_report (again, 2, 0, 2, 0, 0, 2);
  assert_query (workspace, "SELECT status FROM contacts WHERE email = ?1", "ola@example.no", "unsubscribed");
  assert_query (workspace, "SELECT status FROM contacts WHERE email = ?1", "ida@example.no", "bounced");
}

static void
test_hubspot (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ();
  g_autofree char *path = write_file ("hubspot.csv",
    "Record ID,First Name,Last Name,Email,Phone Number,Contact owner,Primary Associated Company ID,"
    "Last Activity Date,Lead Status,Marketing contact status,Create Date,Associated Company\n"
    "101,Olivia,Bennett,olivia@harbourfinch.example,+44 20 7946 0000,Sam,9,2024-05-01 10:00,Open,"
    "Marketing contact,2023-03-15 09:30,Harbour & Finch\n");
  g_autoptr(HeraldImportReport) report = NULL;
  HeraldImportPreset detected;

  report = import_file (workspace, path, HERALD_IMPORT_PRESET_AUTO, HERALD_MERGE_UPDATE_EMPTY, &detected);
  g_assert_cmpint (detected, ==, HERALD_IMPORT_PRESET_HUBSPOT);
  assert_report (report, 1, 1, 0, 0, 0, 0);
  assert_query (workspace, "SELECT company || ' ' || phone FROM contacts WHERE email = ?1",
                "olivia@harbourfinch.example", "Harbour & Finch +44 20 7946 0000");
  assert_query (workspace, "SELECT created_at FROM contacts WHERE email = ?1",
                "olivia@harbourfinch.example", "1678872600");
  assert_query (workspace, "SELECT count(*) FROM custom_fields WHERE name IN ('Record ID', 'Lead Status')",
                NULL, "2");
}

static void
test_salesforce (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ();
  g_autofree char *loader = write_file ("salesforce-loader.csv",
    "Id,FirstName,LastName,Email,AccountId,Title,HasOptedOutOfEmail,MailingCountry\n"
    "003A,James,Whitaker,james@keystone.example,001A,CMO,false,United States\n"
    "003B,Emily,Carter,emily@keystone.example,001A,Growth Lead,true,USA\n");
  g_autofree char *report_file = write_file ("salesforce-report.csv",
    "First Name,Last Name,Account Name,Title,Email,Phone,Mailing City,Mailing Country,Lead Source\n"
    "Marco,Rossi,Vela Software,Head of Marketing,marco@velasoftware.example,,Milano,Italia,Webinar\n");
  g_autoptr(HeraldImportReport) first = NULL;
  g_autoptr(HeraldImportReport) second = NULL;
  HeraldImportPreset detected;

  first = import_file (workspace, loader, HERALD_IMPORT_PRESET_AUTO, HERALD_MERGE_UPDATE_EMPTY, &detected);
  g_assert_cmpint (detected, ==, HERALD_IMPORT_PRESET_SALESFORCE);
  assert_report (first, 2, 2, 0, 0, 0, 1);
  assert_query (workspace, "SELECT status || ' ' || country || ' ' || job_title FROM contacts WHERE email = ?1",
                "emily@keystone.example", "unsubscribed US Growth Lead");
  assert_query (workspace, "SELECT status FROM contacts WHERE email = ?1", "james@keystone.example", "subscribed");

  second = import_file (workspace, report_file, HERALD_IMPORT_PRESET_AUTO, HERALD_MERGE_UPDATE_EMPTY, &detected);
  g_assert_cmpint (detected, ==, HERALD_IMPORT_PRESET_SALESFORCE);
  assert_query (workspace, "SELECT company || ', ' || city || ', ' || country || ', ' || source FROM contacts "
                           "WHERE email = ?1", "marco@velasoftware.example", "Vela Software, Milano, IT, Webinar");
}

static void
test_brevo_and_generic (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ();
  g_autofree char *brevo = write_file ("brevo.csv",
    "CONTACT ID;EMAIL;FIRSTNAME;LASTNAME;SMS\n"
    "7;lucia@solera.example;Lucía;García;+34600000000\n");
  g_autofree char *generic = write_file ("people.csv",
    "Full Name,E-Mail,Job Title,Company Size,Employees Range,Country,Tags,Favourite colour\n"
    "Ana Ruiz,ana@brisa.example,CMO,\"1,200\",51-200,Spain,\"trial; webinar-2026\",blue\n");
  g_autoptr(HeraldImportReport) first = NULL;
  g_autoptr(HeraldImportReport) second = NULL;
  HeraldImportPreset detected;

  first = import_file (workspace, brevo, HERALD_IMPORT_PRESET_AUTO, HERALD_MERGE_UPDATE_EMPTY, &detected);
  g_assert_cmpint (detected, ==, HERALD_IMPORT_PRESET_BREVO);
  assert_query (workspace, "SELECT first_name || ' ' || last_name || ' ' || phone FROM contacts WHERE email = ?1",
                "lucia@solera.example", "Lucía García +34600000000");

  second = import_file (workspace, generic, HERALD_IMPORT_PRESET_AUTO, HERALD_MERGE_UPDATE_EMPTY, &detected);
  g_assert_cmpint (detected, ==, HERALD_IMPORT_PRESET_GENERIC);
  assert_query (workspace, "SELECT job_title || ' ' || company_size || ' ' || country FROM contacts WHERE email = ?1",
                "ana@brisa.example", "CMO 1200 ES");
  assert_query (workspace, "SELECT count(*) FROM contact_tags JOIN contacts c ON c.id = contact_id WHERE c.email = ?1",
                "ana@brisa.example", "2");
  assert_query (workspace, "SELECT group_concat(name, ',') FROM (SELECT name FROM custom_fields ORDER BY name)",
                NULL, "CONTACT ID,Employees Range,Favourite colour,Full Name");
}

static void
test_duplicates_and_policies (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ();
  g_autofree char *first_file = write_file ("first.csv",
    "Email,First Name,Company,City\n"
    "anna@example.com,Anna,,Berlin\n"
    "ANNA@example.com,Anne,Lumen,\n"
    "bo@example.com,Bo,Acme,Oslo\n");
  g_autofree char *second_file = write_file ("second.csv",
    "Email,First Name,Company,City\n"
    "anna@example.com,Annabel,Other,\n");
  g_autoptr(HeraldImportReport) first = NULL;
  g_autoptr(HeraldImportReport) overwrite = NULL;
  g_autoptr(HeraldImportReport) skip = NULL;

  /* The second Anna row only fills what the first left empty. */
  first = import_file (workspace, first_file, HERALD_IMPORT_PRESET_AUTO, HERALD_MERGE_UPDATE_EMPTY, NULL);
  assert_report (first, 3, 2, 0, 0, 1, 0);
  assert_query (workspace, "SELECT first_name || ' ' || company || ' ' || city FROM contacts WHERE email = ?1",
                "anna@example.com", "Anna Lumen Berlin");

  skip = import_file (workspace, second_file, HERALD_IMPORT_PRESET_AUTO, HERALD_MERGE_SKIP, NULL);
  assert_report (skip, 1, 0, 0, 0, 1, 0);
  assert_query (workspace, "SELECT first_name FROM contacts WHERE email = ?1", "anna@example.com", "Anna");

  /* Overwrite takes the file's values, but an empty cell erases nothing. */
  overwrite = import_file (workspace, second_file, HERALD_IMPORT_PRESET_AUTO, HERALD_MERGE_OVERWRITE, NULL);
  assert_report (overwrite, 1, 0, 1, 0, 0, 0);
  assert_query (workspace, "SELECT first_name || ' ' || company || ' ' || city FROM contacts WHERE email = ?1",
                "anna@example.com", "Annabel Other Berlin");
  assert_query (workspace, "SELECT count(*) FROM contacts", NULL, "2");
}

/* A person already in the workspace, met twice in a file, is updated once
 * and counted once as a duplicate, whatever the size of their id. */
static void
test_existing_met_twice (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ();
  g_autofree char *path = write_file ("twice.csv",
    "Email,First Name,City\n"
    "small@example.com,Sam,\n"
    "large@example.com,Lara,\n"
    "SMALL@example.com,,Oslo\n"
    "large@example.com,,Rome\n");
  g_autoptr(HeraldImportReport) report = NULL;

  g_assert_true (_herald_workspace_exec (workspace,
                                         "INSERT INTO contacts (id, email, created_at, updated_at) VALUES "
                                         "(7, 'small@example.com', 0, 0), (1099511627776, 'large@example.com', 0, 0)",
                                         NULL));
  report = import_file (workspace, path, HERALD_IMPORT_PRESET_AUTO, HERALD_MERGE_UPDATE_EMPTY, NULL);
  assert_report (report, 4, 0, 2, 0, 2, 0);
  assert_query (workspace, "SELECT first_name || ' ' || city FROM contacts WHERE email = ?1",
                "small@example.com", "Sam Oslo");
  assert_query (workspace, "SELECT first_name || ' ' || city FROM contacts WHERE email = ?1",
                "large@example.com", "Lara Rome");
}

static void
test_rejected_rows (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ();
  g_autofree char *path = write_file ("messy.csv",
    "Email,Name\n"
    "good@example.com,Good\n"
    "no-at-sign.example.com,Bad\n"
    "\n"
    "too@example.com,Many,Fields\n"
    ",Nobody\n"
    "other@example.com,\"Multi\nline\"\n"
    "double..dot@example.com,Bad\n");
  g_autofree char *rejected_path = g_build_filename (tmpdir, "rejected.csv", NULL);
  g_autofree char *rejected = NULL;
  g_autoptr(HeraldImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const char *reason;

  report = import_file (workspace, path, HERALD_IMPORT_PRESET_AUTO, HERALD_MERGE_UPDATE_EMPTY, NULL);
  assert_report (report, 6, 2, 0, 4, 0, 0);

  g_assert_cmpuint (herald_import_report_get_n_rejected (report), ==, 4);
  g_assert_cmpuint (herald_import_report_get_rejected (report, 0, &reason), ==, 3);
  g_assert_nonnull (strstr (reason, "no-at-sign.example.com"));
  g_assert_cmpuint (herald_import_report_get_rejected (report, 1, &reason), ==, 5);
  g_assert_nonnull (strstr (reason, "3 fields"));
  g_assert_cmpuint (herald_import_report_get_rejected (report, 2, &reason), ==, 6);
  g_assert_cmpuint (herald_import_report_get_rejected (report, 3, &reason), ==, 9);
  g_assert_nonnull (strstr (reason, "two dots"));

  g_assert_true (herald_import_report_save_rejected (report, rejected_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (rejected_path, &rejected, NULL, NULL));
  g_assert_true (g_str_has_prefix (rejected, "Line,Reason,Email,Name\r\n3,"));
  g_assert_nonnull (strstr (rejected, "\r\n5,"));
  g_assert_nonnull (strstr (rejected, ",too@example.com,Many,Fields\r\n"));
}

static void
test_bad_file_changes_nothing (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ();
  g_autofree char *good = write_file ("good.csv", "Email\nkeep@example.com\n");
  g_autofree char *broken = write_file ("broken.csv",
    "Email,Name\nnew1@example.com,One\nnew2@example.com,Two\nnew3@example.com,Three\n"
    "new4@example.com,Four\nnew5@example.com,Five\nnew6@example.com,Six\nnew7@example.com,Se\"ven\n");
  g_autofree char *no_email = write_file ("no-email.csv", "Name,City\nAna,Madrid\n");
  g_autoptr(HeraldImportReport) report = NULL;
  g_autoptr(HeraldContactImport) import = NULL;
  g_autoptr(HeraldImportReport) failed = NULL;
  g_autoptr(GError) error = NULL;

  report = import_file (workspace, good, HERALD_IMPORT_PRESET_AUTO, HERALD_MERGE_UPDATE_EMPTY, NULL);

  /* The header and the preview read fine; the broken quote is found
   * during the run, after six rows were written, and the transaction takes
   * them back. */
  import = herald_contact_import_new (workspace, broken);
  g_assert_true (herald_contact_import_prepare (import, HERALD_IMPORT_PRESET_AUTO, NULL, NULL, &error));
  g_assert_no_error (error);
  failed = herald_contact_import_run (import, NULL, NULL, NULL, &error);
  g_assert_null (failed);
  g_assert_error (error, HERALD_CSV_ERROR, HERALD_CSV_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "line 8, column 20"));
  g_clear_error (&error);

  assert_query (workspace, "SELECT group_concat(email) FROM contacts", NULL, "keep@example.com");
  assert_query (workspace, "SELECT count(*) FROM imports", NULL, "1");

  g_clear_object (&import);
  import = herald_contact_import_new (workspace, no_email);
  g_assert_false (herald_contact_import_prepare (import, HERALD_IMPORT_PRESET_AUTO, NULL, NULL, &error));
  g_assert_error (error, HERALD_IMPORT_ERROR, HERALD_IMPORT_ERROR_NO_EMAIL_COLUMN);
  g_assert_nonnull (strstr (error->message, "no-email.csv"));
}

/* Custom values and tags are written many rows at a time: a person
 * repeated in the file, even in a later batch, fills an empty value and
 * adds tags, and the policy decides between filling and overwriting. */
static void
test_custom_values_in_bulk (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ();
  g_autoptr(GString) text = g_string_new ("Email,Plan,Tags\n");
  g_autofree char *path = NULL;
  g_autofree char *silver = NULL;
  g_autoptr(HeraldImportReport) report = NULL;
  g_autoptr(HeraldImportReport) filled = NULL;
  g_autoptr(HeraldImportReport) overwritten = NULL;
  const char *plan = "SELECT value FROM contact_fields JOIN custom_fields f ON f.id = field_id "
                     "JOIN contacts c ON c.id = contact_id WHERE f.name = 'Plan' AND c.email = ?1";

  for (guint i = 0; i < 2500; i++)
    g_string_append_printf (text, "person%u@example.com,%s,t%u\n", i, i % 2 ? "Pro" : "", i % 3);
  for (guint i = 0; i < 2500; i += 2)
    g_string_append_printf (text, "PERSON%u@example.com,Gold,\"t%u, t9\"\n", i, i % 3);
  path = write_file ("custom-bulk.csv", text->str);

  report = import_file (workspace, path, HERALD_IMPORT_PRESET_AUTO, HERALD_MERGE_UPDATE_EMPTY, NULL);
  assert_report (report, 3750, 2500, 0, 0, 1250, 0);
  assert_query (workspace, plan, "person0@example.com", "Gold");
  assert_query (workspace, plan, "person2498@example.com", "Gold");
  assert_query (workspace, plan, "person1@example.com", "Pro");
  assert_query (workspace, "SELECT count(*) FROM contact_fields", NULL, "2500");
  assert_query (workspace, "SELECT count(*) FROM contact_tags", NULL, "3750");
  assert_query (workspace, "SELECT group_concat(t.name, ',') FROM (SELECT t.name FROM contact_tags ct "
                           "JOIN tags t ON t.id = ct.tag_id JOIN contacts c ON c.id = ct.contact_id "
                           "WHERE c.email = ?1 ORDER BY t.name) t",
                "person4@example.com", "t1,t9");

  silver = write_file ("custom-silver.csv", "Email,Plan\nperson1@example.com,Silver\nperson3@example.com,\n");
  filled = import_file (workspace, silver, HERALD_IMPORT_PRESET_AUTO, HERALD_MERGE_UPDATE_EMPTY, NULL);
  assert_report (filled, 2, 0, 2, 0, 0, 0);
  assert_query (workspace, plan, "person1@example.com", "Pro");
  overwritten = import_file (workspace, silver, HERALD_IMPORT_PRESET_AUTO, HERALD_MERGE_OVERWRITE, NULL);
  assert_report (overwritten, 2, 0, 2, 0, 0, 0);
  assert_query (workspace, plan, "person1@example.com", "Silver");
  assert_query (workspace, plan, "person3@example.com", "Pro");
}

/* A file larger than the workspace is written with its indexes set
 * aside and built again at the end; when the file turns out broken, the
 * transaction takes that back too, indexes and all. */
static void
test_bulk_indexes (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ();
  g_autoptr(GString) text = g_string_new ("Email,First Name,Tags,Plan\n");
  g_autofree char *path = NULL;
  g_autofree char *broken = NULL;
  g_autoptr(HeraldImportReport) report = NULL;
  g_autoptr(HeraldContactImport) import = NULL;
  g_autoptr(HeraldImportReport) failed = NULL;
  g_autoptr(GError) error = NULL;
  const char *indexes = "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN ('contacts_status',"
                        " 'contacts_created', 'contact_fields_field', 'contact_tags_tag', 'consents_contact')";

  for (guint i = 0; i < 60; i++)
    g_string_append_printf (text, "person%u@example.com,Person %u,%s,%s\n", i, i, i % 2 ? "vip" : "", i % 3 ? "Pro" : "");
  path = write_file ("bulk.csv", text->str);
  report = import_file (workspace, path, HERALD_IMPORT_PRESET_AUTO, HERALD_MERGE_UPDATE_EMPTY, NULL);
  g_assert_cmpuint (herald_import_report_get_imported (report), ==, 60);
  assert_query (workspace, indexes, NULL, "5");
  assert_query (workspace, "SELECT count(*) FROM contacts WHERE status = 'subscribed'", NULL, "60");
  assert_query (workspace, "SELECT count(*) FROM contact_tags", NULL, "30");

  g_string_append (text, "late@example.com,\"Late,vip,Pro\n");
  broken = write_file ("bulk-broken.csv", text->str);
  import = herald_contact_import_new (workspace, broken);
  g_assert_true (herald_contact_import_prepare (import, HERALD_IMPORT_PRESET_AUTO, NULL, NULL, &error));
  failed = herald_contact_import_run (import, NULL, NULL, NULL, &error);
  g_assert_null (failed);
  g_assert_error (error, HERALD_CSV_ERROR, HERALD_CSV_ERROR_PARSE);
  assert_query (workspace, indexes, NULL, "5");
  assert_query (workspace, "SELECT count(*) FROM contacts", NULL, "60");
}

static void
assert_prepare_fails (const char *name,
                      const char *contents,
                      gssize      len,
                      GQuark      domain,
                      int         code,
                      const char *says)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ();
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(HeraldContactImport) import = NULL;
  g_autoptr(HeraldImportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, contents, len, NULL));
  import = herald_contact_import_new (workspace, path);

  if (herald_contact_import_prepare (import, HERALD_IMPORT_PRESET_AUTO, NULL, NULL, &error))
    report = herald_contact_import_run (import, NULL, NULL, NULL, &error);

  g_assert_null (report);
  g_assert_error (error, domain, code);
  g_assert_nonnull (strstr (error->message, name));
  if (strstr (error->message, says) == NULL)
    g_error ("“%s” does not say “%s”", error->message, says);
  g_assert_cmpint (herald_workspace_count (workspace, HERALD_COLLECTION_CONTACTS, NULL), ==, 0);
}

static void
test_bad_files (void)
{
  g_autoptr(GString) huge = g_string_new ("Email,Note\nanna@example.com,\"");
  static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

  assert_prepare_fails ("empty.csv", "", 0, HERALD_CSV_ERROR, HERALD_CSV_ERROR_EMPTY, "empty");
  assert_prepare_fails ("header-only.csv", "Email,First Name\n", -1,
                        HERALD_IMPORT_ERROR, HERALD_IMPORT_ERROR_NO_ROWS, "no contacts");
  assert_prepare_fails ("picture.csv", png, sizeof png - 1,
                        HERALD_CSV_ERROR, HERALD_CSV_ERROR_ENCODING, "not a text file");

  /* A single field of 100 MB is no contact list: reading stops early. */
  gsize prefix = huge->len;

  g_string_set_size (huge, 100 * 1024 * 1024);
  memset (huge->str + prefix, 'x', huge->len - prefix);
  assert_prepare_fails ("huge-field.csv", huge->str, huge->len,
                        HERALD_CSV_ERROR, HERALD_CSV_ERROR_PARSE, "line 2: a field is longer than one megabyte");
}

static void
test_chunk_boundaries (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ();
  g_autoptr(GString) text = g_string_new ("Email,Note\n");
  g_autoptr(GString) windows = g_string_new ("Email,Note\n");
  g_autofree char *path = NULL;
  g_autofree char *windows_path = NULL;
  g_autoptr(HeraldImportReport) report = NULL;
  g_autoptr(HeraldImportReport) windows_report = NULL;
  g_autoptr(HeraldContact) long_note = NULL;
  g_autoptr(HeraldContact) rene = NULL;
  g_autoptr(GHashTable) custom = NULL;
  g_autoptr(GHashTable) rene_custom = NULL;
  guint i = 0;

  /* Rows of "ü" so that two-byte characters straddle every 64 KiB boundary,
   * and one field of 200 KiB. */
  while (text->len < 300 * 1024)
    g_string_append_printf (text, "p%u@example.com,Jürgen Müller\n", i++);
  g_string_append (text, "long@example.com,\"");
  for (guint j = 0; j < 200 * 1024; j++)
    g_string_append_c (text, "abc\n"[j % 4]);
  g_string_append (text, "\"\n");
  path = write_file ("boundaries.csv", text->str);

  report = import_file (workspace, path, HERALD_IMPORT_PRESET_AUTO, HERALD_MERGE_UPDATE_EMPTY, NULL);
  assert_report (report, i + 1, i + 1, 0, 0, 0, 0);
  for (guint k = 0; k < i; k += 997)
    {
      g_autofree char *email = g_strdup_printf ("p%u@example.com", k);
      g_autoptr(HeraldContact) contact = herald_contacts_lookup (workspace, email, NULL);
      g_autoptr(GHashTable) fields = herald_contacts_get_custom (workspace, contact);

      g_assert_cmpstr (g_hash_table_lookup (fields, "Note"), ==, "Jürgen Müller");
    }
  long_note = herald_contacts_lookup (workspace, "long@example.com", NULL);
  custom = herald_contacts_get_custom (workspace, long_note);
  g_assert_cmpuint (strlen (g_hash_table_lookup (custom, "Note")), ==, 200 * 1024 - 1);

  /* 200 KiB of ASCII, then a Windows-1252 letter: Windows-1252 it is. */
  while (windows->len < 200 * 1024)
    g_string_append_printf (windows, "w%u@example.com,plain\n", i++);
  g_string_append (windows, "rene@example.com,Ren\xE9\n");
  windows_path = write_file ("windows.csv", windows->str);
  windows_report = import_file (workspace, windows_path, HERALD_IMPORT_PRESET_AUTO, HERALD_MERGE_UPDATE_EMPTY, NULL);
  g_assert_cmpuint (herald_import_report_get_invalid (windows_report), ==, 0);
  rene = herald_contacts_lookup (workspace, "rene@example.com", NULL);
  rene_custom = herald_contacts_get_custom (workspace, rene);
  g_assert_cmpstr (g_hash_table_lookup (rene_custom, "Note"), ==, "René");
}

/* Imports @rows people with @cancellable cancelled before the start or,
 * with @progress, on the way; nothing is written, and no index is lost. */
static void
assert_import_cancelled (guint                  rows,
                         GFileProgressCallback  progress,
                         GCancellable          *cancellable)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ();
  g_autoptr(GString) text = g_string_new ("Email,Tags,Plan\n");
  g_autofree char *path = NULL;
  g_autoptr(HeraldContactImport) import = NULL;
  g_autoptr(HeraldImportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < rows; i++)
    g_string_append_printf (text, "person%u@example.com,vip,Pro\n", i);
  path = write_file ("cancelled.csv", text->str);

  import = herald_contact_import_new (workspace, path);
  g_assert_true (herald_contact_import_prepare (import, HERALD_IMPORT_PRESET_AUTO, NULL, NULL, &error));
  report = herald_contact_import_run (import, cancellable, progress, cancellable, &error);
  g_assert_null (report);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_query (workspace, "SELECT count(*) FROM contacts", NULL, "0");
  assert_query (workspace, "SELECT count(*) FROM sqlite_schema WHERE name IN ('contacts_status', "
                           "'contacts_created', 'contact_fields_field', 'contact_tags_tag')", NULL, "4");
}

static void
test_cancel (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_cancellable_cancel (cancellable);
  assert_import_cancelled (10000, NULL, cancellable);
}

/* Once the rows are written, the indexes set aside are built again; a
 * cancel then still leaves the workspace as it was. */
static void
cancel_when_rebuilding_cb (goffset  current,
                           goffset  total,
                           gpointer user_data)
{
  if (current > total * 0.7)
    g_cancellable_cancel (user_data);
}

static void
test_cancel_while_finishing (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  assert_import_cancelled (3000, cancel_when_rebuilding_cb, cancellable);
}

static void
progress_cb (goffset  current,
             goffset  total,
             gpointer user_data)
{
  goffset *last = user_data;

  g_assert_cmpint (current, <=, total);
  g_assert_cmpint (current, >=, *last);
  *last = current;
}

static void
run_finished_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  HeraldImportReport **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = herald_contact_import_run_finish (HERALD_CONTACT_IMPORT (object), result, &error);
  g_assert_no_error (error);
}

static void
test_async (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ();
  g_autoptr(GString) big = g_string_new ("Email,First Name\n");
  g_autofree char *path = NULL;
  g_autoptr(HeraldContactImport) import = NULL;
  g_autoptr(GError) error = NULL;
  HeraldImportReport *report = NULL;
  goffset last = 0;

  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (big, "person%u@example.com,Person %u\n", i, i);
  path = write_file ("async.csv", big->str);

  import = herald_contact_import_new (workspace, path);
  g_assert_true (herald_contact_import_prepare (import, HERALD_IMPORT_PRESET_AUTO, NULL, NULL, &error));
  g_assert_cmpuint (herald_contact_import_get_n_preview_rows (import), ==, 5);
  g_assert_cmpstr (herald_contact_import_get_preview (import, 1, 0), ==, "person1@example.com");

  herald_contact_import_run_async (import, NULL, progress_cb, &last, run_finished_cb, &report);
  while (report == NULL)
    g_main_context_iteration (NULL, TRUE);

  /* Progress messages still queued arrive before the loop is left. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_assert_cmpuint (herald_import_report_get_imported (report), ==, 5000);
  g_assert_cmpint (last, >, 0);
  herald_import_report_unref (report);
}

static void
test_mapping_by_hand (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ();
  g_autofree char *path = write_file ("odd.csv", "Kontakt,Wer\nzoe@example.com,Zoë\n");
  g_autoptr(HeraldContactImport) import = herald_contact_import_new (workspace, path);
  g_autoptr(HeraldImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  HeraldContactField field;

  /* No column is recognised as the address. */
  g_assert_false (herald_contact_import_prepare (import, HERALD_IMPORT_PRESET_AUTO, NULL, NULL, &error));
  g_assert_error (error, HERALD_IMPORT_ERROR, HERALD_IMPORT_ERROR_NO_EMAIL_COLUMN);
  g_clear_error (&error);

  /* Running it so would import nothing, and says why. */
  g_assert_null (herald_contact_import_run (import, NULL, NULL, NULL, &error));
  g_assert_error (error, HERALD_IMPORT_ERROR, HERALD_IMPORT_ERROR_NO_EMAIL_COLUMN);
  g_clear_error (&error);

  /* The columns are known all the same, and can be chosen by hand. */
  g_assert_cmpuint (herald_contact_import_get_n_columns (import), ==, 2);
  g_assert_cmpint (herald_contact_import_get_column (import, 0, &field), ==, HERALD_COLUMN_CUSTOM);
  herald_contact_import_set_column (import, 0, HERALD_COLUMN_FIELD, HERALD_CONTACT_FIELD_EMAIL);
  herald_contact_import_set_column (import, 1, HERALD_COLUMN_FIELD, HERALD_CONTACT_FIELD_FIRST_NAME);
  g_assert_cmpint (herald_contact_import_get_column (import, 1, &field), ==, HERALD_COLUMN_FIELD);
  g_assert_cmpint (field, ==, HERALD_CONTACT_FIELD_FIRST_NAME);

  report = herald_contact_import_run (import, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_report (report, 1, 1, 0, 0, 0, 0);
  assert_query (workspace, "SELECT first_name FROM contacts WHERE email = ?1", "zoe@example.com", "Zoë");
}

/* A DNS that knows two domains: one with a mail server, one with only an
 * address. Every other name does not exist. */
typedef struct { GResolver parent_instance; } FakeResolver;
typedef struct { GResolverClass parent_class; } FakeResolverClass;
static GType fake_resolver_get_type (void);
G_DEFINE_TYPE (FakeResolver, fake_resolver, G_TYPE_RESOLVER)

static GList *
fake_lookup_records (GResolver           *resolver,
                     const char          *name,
                     GResolverRecordType  type,
                     GCancellable        *cancellable,
                     GError             **error)
{
  if (g_str_equal (name, "mail.example"))
    return g_list_prepend (NULL, g_variant_ref_sink (g_variant_new ("(qs)", 10, "mx.mail.example")));

  g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "No MX for %s", name);
  return NULL;
}

static GList *
fake_lookup_by_name (GResolver     *resolver,
                     const char    *name,
                     GCancellable  *cancellable,
                     GError       **error)
{
  if (g_str_equal (name, "web.example") || g_str_equal (name, "xn--mller-kva.example"))
    return g_list_prepend (NULL, g_inet_address_new_from_string ("192.0.2.7"));

  g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "No address for %s", name);
  return NULL;
}

static void
fake_resolver_class_init (FakeResolverClass *klass)
{
  G_RESOLVER_CLASS (klass)->lookup_records = fake_lookup_records;
  G_RESOLVER_CLASS (klass)->lookup_by_name = fake_lookup_by_name;
}

static void
fake_resolver_init (FakeResolver *self)
{
}

static void
test_check_domains (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ();
  g_autofree char *path = write_file ("domains.csv",
                                      "Email\nann@mail.example\nbo@web.example\ncy@nowhere.example\n"
                                      "di@mail.example\nev@müller.example\n");
  g_autoptr(GResolver) fake = g_object_new (fake_resolver_get_type (), NULL);
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  g_autoptr(HeraldContactImport) import = herald_contact_import_new (workspace, path);
  g_autoptr(HeraldImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const char *reason;

  g_resolver_set_default (fake);

  g_assert_true (herald_contact_import_prepare (import, HERALD_IMPORT_PRESET_AUTO, NULL, NULL, &error));
  herald_contact_import_set_check_domains (import, TRUE);
  report = herald_contact_import_run (import, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_report (report, 5, 4, 0, 1, 0, 0);
  g_assert_cmpuint (herald_import_report_get_rejected (report, 0, &reason), ==, 4);
  g_assert_nonnull (strstr (reason, "cy@nowhere.example"));

  g_resolver_set_default (previous);
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

  g_test_add_func ("/herald/import/mailchimp-localized", test_mailchimp_localized);
  g_test_add_func ("/herald/import/mailchimp-unsubscribed", test_mailchimp_unsubscribed);
  g_test_add_func ("/herald/import/hubspot", test_hubspot);
  g_test_add_func ("/herald/import/salesforce", test_salesforce);
  g_test_add_func ("/herald/import/brevo-and-generic", test_brevo_and_generic);
  g_test_add_func ("/herald/import/duplicates-and-policies", test_duplicates_and_policies);
  g_test_add_func ("/herald/import/existing-met-twice", test_existing_met_twice);
  g_test_add_func ("/herald/import/rejected-rows", test_rejected_rows);
  g_test_add_func ("/herald/import/bad-file-changes-nothing", test_bad_file_changes_nothing);
  g_test_add_func ("/herald/import/bad-files", test_bad_files);
  g_test_add_func ("/herald/import/chunk-boundaries", test_chunk_boundaries);
  g_test_add_func ("/herald/import/cancel", test_cancel);
  g_test_add_func ("/herald/import/cancel-while-finishing", test_cancel_while_finishing);
  g_test_add_func ("/herald/import/bulk-indexes", test_bulk_indexes);
  g_test_add_func ("/herald/import/custom-values-in-bulk", test_custom_values_in_bulk);
  g_test_add_func ("/herald/import/async", test_async);
  g_test_add_func ("/herald/import/mapping-by-hand", test_mapping_by_hand);
  g_test_add_func ("/herald/import/check-domains", test_check_domains);

  ret = g_test_run ();

  herald_test_remove_tree (home);
  g_free (tmpdir);

  return ret;
}
