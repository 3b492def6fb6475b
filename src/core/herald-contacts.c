/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-contacts"

#include "config.h"

#include <glib/gi18n.h>

#include "herald-contact-private.h"
#include "herald-contacts.h"
#include "herald-country.h"
#include "herald-csv.h"
#include "herald-email.h"
#include "herald-file-private.h"
#include "herald-segments-private.h"
#include "herald-workspace-private.h"

G_DEFINE_QUARK (herald-contacts-error-quark, herald_contacts_error)

void
herald_consent_free (HeraldConsent *consent)
{
  if (consent == NULL)
    return;

  g_free (consent->purpose);
  g_free (consent->method);
  g_free (consent->source);
  g_free (consent->evidence);
  g_free (consent);
}

/**
 * herald_contacts_lookup:
 * @email: an address, in any case or spelling of its domain
 *
 * Returns: (transfer full): the contact, or %NULL with @error set
 */
HeraldContact *
herald_contacts_lookup (HeraldWorkspace  *workspace,
                        const char       *email,
                        GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *reason = NULL;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (email != NULL, NULL);

  if (!(normalized = herald_email_normalize (email, &reason)))
    {
      g_set_error (error, HERALD_CONTACTS_ERROR, HERALD_CONTACTS_ERROR_INVALID_EMAIL,
                   _("“%s” is not a valid email address: %s"), email, reason);
      return NULL;
    }

  stmt = _herald_workspace_prepare (workspace,
                                    "SELECT " HERALD_CONTACT_COLUMNS " FROM contacts WHERE email = ?1",
                                    error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, normalized, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, HERALD_CONTACTS_ERROR, HERALD_CONTACTS_ERROR_NOT_FOUND,
                   _("No contact has the address “%s”."), normalized);
      return NULL;
    }

  return _herald_contact_new_from_row (stmt);
}

/**
 * herald_contacts_get_tags:
 *
 * Returns: (transfer full): the contact's tags, sorted
 */
char **
herald_contacts_get_tags (HeraldWorkspace *workspace,
                          HeraldContact   *contact)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  stmt = _herald_workspace_prepare (workspace,
                                    "SELECT t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id "
                                    "WHERE ct.contact_id = ?1 ORDER BY t.name COLLATE NOCASE",
                                    NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, herald_contact_get_id (contact));
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_strv_builder_add (builder, (const char *)sqlite3_column_text (stmt, 0));
    }

  return g_strv_builder_end (builder);
}

/**
 * herald_contacts_get_custom:
 *
 * Returns: (transfer full) (element-type utf8 utf8): custom field name to value
 */
GHashTable *
herald_contacts_get_custom (HeraldWorkspace *workspace,
                            HeraldContact   *contact)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GHashTable *custom = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  stmt = _herald_workspace_prepare (workspace,
                                    "SELECT f.name, cf.value FROM contact_fields cf "
                                    "JOIN custom_fields f ON f.id = cf.field_id WHERE cf.contact_id = ?1",
                                    NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, herald_contact_get_id (contact));
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_hash_table_insert (custom,
                             g_strdup ((const char *)sqlite3_column_text (stmt, 0)),
                             g_strdup ((const char *)sqlite3_column_text (stmt, 1)));
    }

  return custom;
}

/**
 * herald_contacts_get_consents:
 *
 * Returns: (transfer full) (element-type HeraldConsent): the consent
 *   history, oldest first
 */
GPtrArray *
herald_contacts_get_consents (HeraldWorkspace *workspace,
                              HeraldContact   *contact)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *consents = g_ptr_array_new_with_free_func ((GDestroyNotify)herald_consent_free);

  stmt = _herald_workspace_prepare (workspace,
                                    "SELECT purpose, granted, method, source, recorded_at, evidence "
                                    "FROM consents WHERE contact_id = ?1 ORDER BY recorded_at, id",
                                    NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, herald_contact_get_id (contact));
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          HeraldConsent *consent = g_new0 (HeraldConsent, 1);

          consent->purpose = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
          consent->granted = sqlite3_column_int (stmt, 1);
          consent->method = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
          consent->source = g_strdup ((const char *)sqlite3_column_text (stmt, 3));
          consent->recorded_at = sqlite3_column_int64 (stmt, 4);
          consent->evidence = g_strdup ((const char *)sqlite3_column_text (stmt, 5));
          g_ptr_array_add (consents, consent);
        }
    }

  return consents;
}

static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_time);

  return time ? g_date_time_format_iso8601 (time) : NULL;
}

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/**
 * herald_contacts_to_json:
 *
 * Returns: (transfer full): the contact with the keys of DESIGN.md: the
 *   standard fields, "tags", "custom", "consents" and "events"
 */
JsonNode *
herald_contacts_to_json (HeraldWorkspace *workspace,
                         HeraldContact   *contact)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_auto(GStrv) tags = herald_contacts_get_tags (workspace, contact);
  g_autoptr(GHashTable) custom = herald_contacts_get_custom (workspace, contact);
  g_autoptr(GPtrArray) consents = herald_contacts_get_consents (workspace, contact);
  g_autoptr(sqlite3_stmt) events = NULL;
  g_autoptr(GList) names = NULL;

  json_builder_begin_object (builder);

  for (guint f = 0; f < HERALD_N_CONTACT_FIELDS; f++)
    {
      const char *value = herald_contact_get_field (contact, f);

      if (f == HERALD_CONTACT_FIELD_COMPANY_SIZE && value != NULL)
        {
          json_builder_set_member_name (builder, herald_contact_field_key (f));
          json_builder_add_int_value (builder, g_ascii_strtoll (value, NULL, 10));
        }
      else if ((f == HERALD_CONTACT_FIELD_CREATED_AT || f == HERALD_CONTACT_FIELD_UPDATED_AT) && value != NULL)
        {
          g_autofree char *iso = format_time (g_ascii_strtoll (value, NULL, 10));

          add_string_or_null (builder, herald_contact_field_key (f), iso);
        }
      else
        add_string_or_null (builder, herald_contact_field_key (f), value);
    }

  json_builder_set_member_name (builder, "tags");
  json_builder_begin_array (builder);
  for (guint i = 0; tags[i] != NULL; i++)
    json_builder_add_string_value (builder, tags[i]);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "custom");
  json_builder_begin_object (builder);
  names = g_list_sort (g_hash_table_get_keys (custom), (GCompareFunc)g_strcmp0);
  for (GList *l = names; l != NULL; l = l->next)
    add_string_or_null (builder, l->data, g_hash_table_lookup (custom, l->data));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "consents");
  json_builder_begin_array (builder);
  for (guint i = 0; i < consents->len; i++)
    {
      HeraldConsent *consent = g_ptr_array_index (consents, i);
      g_autofree char *time = format_time (consent->recorded_at);

      json_builder_begin_object (builder);
      add_string_or_null (builder, "purpose", consent->purpose);
      json_builder_set_member_name (builder, "granted");
      json_builder_add_boolean_value (builder, consent->granted);
      add_string_or_null (builder, "method", consent->method);
      add_string_or_null (builder, "source", consent->source);
      add_string_or_null (builder, "time", time);
      add_string_or_null (builder, "evidence", consent->evidence);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  events = _herald_workspace_prepare (workspace,
                                      "SELECT e.kind, e.occurred_at, c.name, e.url, e.value_minor FROM events e "
                                      "LEFT JOIN campaigns c ON c.id = e.campaign_id "
                                      "WHERE e.contact_id = ?1 ORDER BY e.occurred_at, e.id",
                                      NULL);
  if (events != NULL)
    {
      sqlite3_bind_int64 (events, 1, herald_contact_get_id (contact));
      while (sqlite3_step (events) == SQLITE_ROW)
        {
          g_autofree char *time = format_time (sqlite3_column_int64 (events, 1));

          json_builder_begin_object (builder);
          add_string_or_null (builder, "kind", (const char *)sqlite3_column_text (events, 0));
          add_string_or_null (builder, "time", time);
          add_string_or_null (builder, "campaign", (const char *)sqlite3_column_text (events, 2));
          add_string_or_null (builder, "url", (const char *)sqlite3_column_text (events, 3));
          json_builder_end_object (builder);
        }
    }
  json_builder_end_array (builder);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* An export is written this many bytes at a time. */
#define EXPORT_CHUNK (256 * 1024)

/* A cell a spreadsheet would take for a formula gets a leading apostrophe,
 * so that opening the export never runs what an address book held. */
static char *
neutralize_formula (const char *value)
{
  if (value != NULL && strchr ("=+-@\t\r", value[0]) != NULL && value[0] != '\0')
    return g_strconcat ("'", value, NULL);

  return g_strdup (value);
}

/**
 * herald_contacts_export:
 * @cancellable: (nullable)
 *
 * Writes every contact as CSV: the standard fields by their keys, "tags"
 * (separated by commas) and one column for each custom field. The file is
 * written as a stream, so memory stays small whatever the audience, and
 * replaced as a whole or not at all: a failure or a cancel leaves what was
 * there. Cells that start like a formula are neutralised. With @segment,
 * only that segment's contacts.
 */
gboolean
herald_contacts_export (HeraldWorkspace  *workspace,
                        const char       *path,
                        const char       *segment,
                        GCancellable     *cancellable,
                        guint            *out_n_contacts,
                        GError          **error)
{
  g_autoptr(HeraldSegmentQuery) query = NULL;
  g_autoptr(sqlite3_stmt) fields = NULL;
  g_autoptr(sqlite3_stmt) rows = NULL;
  g_autoptr(GPtrArray) custom_names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) custom_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) row = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) sql = NULL;
  g_autoptr(HeraldFileWriter) writer = NULL;
  guint n = 0;
  int rc;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (segment != NULL && !(query = _herald_segment_query_new_for_name (workspace, segment, error)))
    return FALSE;

  if (!(fields = _herald_workspace_prepare (workspace, "SELECT id, name FROM custom_fields ORDER BY name", error)))
    return FALSE;
  while (sqlite3_step (fields) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (fields, 0);

      g_array_append_val (custom_ids, id);
      g_ptr_array_add (custom_names, g_strdup ((const char *)sqlite3_column_text (fields, 1)));
    }

  /* One statement reads each contact with its tags and custom values. */
  sql = g_string_new ("SELECT c.id, c.email, c.first_name, c.last_name, c.company, c.job_title, c.industry, "
                      "c.company_size, c.country, c.city, c.phone, c.language, c.source, c.status, c.created_at, "
                      "c.updated_at, "
                      "(SELECT group_concat(name, ', ') FROM (SELECT t.name FROM contact_tags ct "
                      "JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = c.id ORDER BY t.name))");
  for (guint i = 0; i < custom_ids->len; i++)
    g_string_append_printf (sql, ", (SELECT value FROM contact_fields WHERE contact_id = c.id "
                                 "AND field_id = %" G_GINT64_FORMAT ")",
                            g_array_index (custom_ids, gint64, i));
  g_string_append (sql, " FROM contacts c");
  if (query != NULL)
    g_string_append_printf (sql, " WHERE %s", _herald_segment_query_get_where (query));
  g_string_append (sql, " ORDER BY c.id");

  if (!(rows = _herald_workspace_prepare (workspace, sql->str, error)))
    return FALSE;
  if (query != NULL)
    _herald_segment_query_bind (query, rows, 1);

  for (guint f = 0; f < HERALD_N_CONTACT_FIELDS; f++)
    g_ptr_array_add (row, g_strdup (herald_contact_field_key (f)));
  g_ptr_array_add (row, g_strdup ("tags"));
  for (guint i = 0; i < custom_names->len; i++)
    g_ptr_array_add (row, neutralize_formula (g_ptr_array_index (custom_names, i)));
  herald_csv_append_row (out, (const char * const *)row->pdata, row->len, ',');

  if (!(writer = _herald_file_writer_new (path, 0600, error)))
    return FALSE;

  while ((rc = sqlite3_step (rows)) == SQLITE_ROW)
    {
      g_ptr_array_set_size (row, 0);

      for (guint f = 0; f < HERALD_N_CONTACT_FIELDS; f++)
        {
          const char *value = (const char *)sqlite3_column_text (rows, f + 1);

          if ((f == HERALD_CONTACT_FIELD_CREATED_AT || f == HERALD_CONTACT_FIELD_UPDATED_AT) && value != NULL)
            g_ptr_array_add (row, format_time (g_ascii_strtoll (value, NULL, 10)));
          else
            g_ptr_array_add (row, neutralize_formula (value));
        }

      for (guint i = 0; i <= custom_names->len; i++)
        g_ptr_array_add (row, neutralize_formula ((const char *)sqlite3_column_text (rows, HERALD_N_CONTACT_FIELDS + 1 + i)));

      herald_csv_append_row (out, (const char * const *)row->pdata, row->len, ',');
      n++;

      if (out->len >= EXPORT_CHUNK)
        {
          if (!_herald_file_writer_write (writer, out->str, out->len) ||
              g_cancellable_is_cancelled (cancellable))
            break;
          g_string_truncate (out, 0);
        }
    }

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _herald_workspace_set_db_error (workspace, error);
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  _herald_file_writer_write (writer, out->str, out->len);
  if (!_herald_file_writer_finish (g_steal_pointer (&writer), TRUE, error))
    return FALSE;

  if (out_n_contacts != NULL)
    *out_n_contacts = n;

  return TRUE;
}

typedef struct
{
  char *workspace;
  char *path;
  char *segment;
  guint n_contacts;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_free (data->workspace);
  g_free (data->path);
  g_free (data->segment);
  g_free (data);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *data = task_data;
  g_autoptr(HeraldWorkspace) workspace = NULL;
  GError *error = NULL;

  /* The worker reads through a connection of its own. */
  if (!(workspace = herald_workspace_open (data->workspace, HERALD_WORKSPACE_OPEN_PRIVATE, &error)) ||
      !herald_contacts_export (workspace, data->path, data->segment, cancellable, &data->n_contacts, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * herald_contacts_export_async:
 *
 * Runs herald_contacts_export() in a worker thread.
 */
void
herald_contacts_export_async (HeraldWorkspace     *workspace,
                              const char          *path,
                              const char          *segment,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *data;

  g_return_if_fail (HERALD_IS_WORKSPACE (workspace));
  g_return_if_fail (path != NULL);

  data = g_new0 (ExportData, 1);
  data->workspace = g_strdup (herald_workspace_get_path (workspace));
  data->path = g_strdup (path);
  data->segment = g_strdup (segment);
  task = g_task_new (workspace, cancellable, callback, user_data);
  g_task_set_source_tag (task, herald_contacts_export_async);
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
herald_contacts_export_finish (HeraldWorkspace  *workspace,
                               GAsyncResult     *result,
                               guint            *out_n_contacts,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, workspace), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (out_n_contacts != NULL)
    *out_n_contacts = ((ExportData *) g_task_get_task_data (G_TASK (result)))->n_contacts;
  return TRUE;
}

static gboolean
run_with_id (HeraldWorkspace  *workspace,
             const char       *sql,
             gint64            id,
             const char       *text,
             GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = _herald_workspace_prepare (workspace, sql, error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  if (text != NULL)
    sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _herald_workspace_set_db_error (workspace, error);
      return FALSE;
    }

  return TRUE;
}

/* The whole record of a contact as JSON, for undo: its row, custom values,
 * tags, consent and events, with their ids, so a restore is exact. */
#define SNAPSHOT_SQL \
  "SELECT json_object(" \
  "'contact', (SELECT json_array(id, email, first_name, last_name, company, job_title, industry, " \
  "  company_size, country, city, phone, language, source, status, created_at, updated_at) " \
  "  FROM contacts WHERE id = ?1), " \
  "'fields', (SELECT json_group_array(json_array(field_id, value)) FROM contact_fields WHERE contact_id = ?1), " \
  "'tags', (SELECT json_group_array(json_array(tag_id, added_at)) FROM contact_tags WHERE contact_id = ?1), " \
  "'consents', (SELECT json_group_array(json_array(id, purpose, granted, method, source, recorded_at, evidence)) " \
  "  FROM consents WHERE contact_id = ?1), " \
  "'events', (SELECT json_group_array(json_array(id, campaign_id, kind, occurred_at, url, value_minor, " \
  "  external_id)) FROM events WHERE contact_id = ?1))"

/* How many contacts a bulk change handles between looks at its
 * cancellable. */
#define CHANGE_STEP 1024

/**
 * herald_contacts_delete:
 * @contact_ids: (array length=n_ids): the contacts to delete
 * @cancellable: (nullable): stops the deletion, which then changes nothing
 * @out_snapshot: (out) (optional) (transfer full): what
 *   herald_contacts_restore() needs to undo the deletion
 *
 * Deletes contacts with everything recorded about them, in one
 * transaction.
 */
gboolean
herald_contacts_delete (HeraldWorkspace  *workspace,
                        const gint64     *contact_ids,
                        guint             n_ids,
                        GCancellable     *cancellable,
                        char            **out_snapshot,
                        GError          **error)
{
  g_autoptr(sqlite3_stmt) snapshot = NULL;
  g_autoptr(sqlite3_stmt) delete = NULL;
  g_autoptr(GString) snapshots = g_string_new (NULL);

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), FALSE);

  if (!_herald_workspace_begin (workspace, error))
    return FALSE;

  if ((out_snapshot != NULL && !(snapshot = _herald_workspace_prepare (workspace, SNAPSHOT_SQL, error))) ||
      !(delete = _herald_workspace_prepare (workspace, "DELETE FROM contacts WHERE id = ?1", error)))
    goto failed;

  for (guint i = 0; i < n_ids; i++)
    {
      if (i % CHANGE_STEP == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        goto failed;

      /* One line of JSON a contact. */
      if (snapshot != NULL)
        {
          sqlite3_bind_int64 (snapshot, 1, contact_ids[i]);
          if (sqlite3_step (snapshot) != SQLITE_ROW)
            goto db_failed;
          g_string_append_printf (snapshots, "%s%s", snapshots->len ? "\n" : "",
                                  (const char *)sqlite3_column_text (snapshot, 0));
          sqlite3_reset (snapshot);
        }

      sqlite3_bind_int64 (delete, 1, contact_ids[i]);
      if (sqlite3_step (delete) != SQLITE_DONE)
        goto db_failed;
      sqlite3_reset (delete);
    }

  if (!_herald_workspace_commit (workspace, error))
    return FALSE;
  if (out_snapshot != NULL)
    *out_snapshot = g_string_free (g_steal_pointer (&snapshots), FALSE);
  return TRUE;

db_failed:
  _herald_workspace_set_db_error (workspace, error);
failed:
  _herald_workspace_rollback (workspace);
  return FALSE;
}

/**
 * herald_contacts_restore:
 * @snapshot: what herald_contacts_delete() returned
 *
 * Puts deleted contacts back as they were, in one transaction. Tags and
 * campaigns deleted in the meantime are left out.
 */
gboolean
herald_contacts_restore (HeraldWorkspace  *workspace,
                         const char       *snapshot,
                         GError          **error)
{
  static const char * const steps[] = {
    "INSERT INTO contacts (id, email, first_name, last_name, company, job_title, industry, company_size, "
    "country, city, phone, language, source, status, created_at, updated_at) SELECT "
    "json_extract(?2, '$.contact[0]'), json_extract(?2, '$.contact[1]'), json_extract(?2, '$.contact[2]'), "
    "json_extract(?2, '$.contact[3]'), json_extract(?2, '$.contact[4]'), json_extract(?2, '$.contact[5]'), "
    "json_extract(?2, '$.contact[6]'), json_extract(?2, '$.contact[7]'), json_extract(?2, '$.contact[8]'), "
    "json_extract(?2, '$.contact[9]'), json_extract(?2, '$.contact[10]'), json_extract(?2, '$.contact[11]'), "
    "json_extract(?2, '$.contact[12]'), json_extract(?2, '$.contact[13]'), json_extract(?2, '$.contact[14]'), "
    "json_extract(?2, '$.contact[15]')",
    "INSERT INTO contact_fields (contact_id, field_id, value) SELECT json_extract(?2, '$.contact[0]'), "
    "json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?2, '$.fields') "
    "WHERE json_extract(value, '$[0]') IN (SELECT id FROM custom_fields)",
    "INSERT INTO contact_tags (contact_id, tag_id, added_at) SELECT json_extract(?2, '$.contact[0]'), "
    "json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?2, '$.tags') "
    "WHERE json_extract(value, '$[0]') IN (SELECT id FROM tags)",
    "INSERT INTO consents (id, contact_id, purpose, granted, method, source, recorded_at, evidence) SELECT "
    "json_extract(value, '$[0]'), json_extract(?2, '$.contact[0]'), json_extract(value, '$[1]'), "
    "json_extract(value, '$[2]'), json_extract(value, '$[3]'), json_extract(value, '$[4]'), "
    "json_extract(value, '$[5]'), json_extract(value, '$[6]') FROM json_each(?2, '$.consents')",
    "INSERT INTO events (id, contact_id, campaign_id, kind, occurred_at, url, value_minor, external_id) SELECT "
    "json_extract(value, '$[0]'), json_extract(?2, '$.contact[0]'), "
    "(SELECT id FROM campaigns WHERE id = json_extract(value, '$[1]')), json_extract(value, '$[2]'), "
    "json_extract(value, '$[3]'), json_extract(value, '$[4]'), json_extract(value, '$[5]'), "
    "json_extract(value, '$[6]') FROM json_each(?2, '$.events')",
  };

  sqlite3_stmt *stmts[G_N_ELEMENTS (steps)] = { NULL };
  gboolean ok = TRUE;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), FALSE);
  g_return_val_if_fail (snapshot != NULL, FALSE);

  if (!_herald_workspace_begin (workspace, error))
    return FALSE;

  for (guint i = 0; ok && i < G_N_ELEMENTS (steps); i++)
    ok = (stmts[i] = _herald_workspace_prepare (workspace, steps[i], error)) != NULL;

  /* A line of JSON a contact. */
  for (const char *line = snapshot; ok && *line != '\0'; )
    {
      const char *end = strchr (line, '\n');
      gsize length = end ? (gsize)(end - line) : strlen (line);

      for (guint i = 0; ok && i < G_N_ELEMENTS (steps); i++)
        {
          sqlite3_bind_text (stmts[i], 2, line, length, SQLITE_STATIC);
          if (!(ok = sqlite3_step (stmts[i]) == SQLITE_DONE))
            _herald_workspace_set_db_error (workspace, error);
          sqlite3_reset (stmts[i]);
        }
      line += end ? length + 1 : length;
    }

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    g_clear_pointer (&stmts[i], sqlite3_finalize);

  if (!ok)
    {
      _herald_workspace_rollback (workspace);
      return FALSE;
    }
  return _herald_workspace_commit (workspace, error);
}

static char *
erasure_hash (const char *normalized)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, normalized, -1);
}

/**
 * herald_contacts_erase:
 *
 * Erases a person on request (GDPR article 17): the contact and all that
 * was recorded about them are deleted in one transaction. Only a one-way
 * hash of the address is kept, so a later import cannot add them again.
 */
gboolean
herald_contacts_erase (HeraldWorkspace  *workspace,
                       const char       *email,
                       GError          **error)
{
  g_autoptr(HeraldContact) contact = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *hash = NULL;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), FALSE);
  g_return_val_if_fail (email != NULL, FALSE);

  if (!(contact = herald_contacts_lookup (workspace, email, error)))
    return FALSE;

  hash = erasure_hash (herald_contact_get_email (contact));

  if (!_herald_workspace_begin (workspace, error))
    return FALSE;

  if (!run_with_id (workspace, "DELETE FROM contacts WHERE id = ?1", herald_contact_get_id (contact), NULL, error) ||
      !(stmt = _herald_workspace_prepare (workspace,
                                          "INSERT OR REPLACE INTO erasures (email_hash, erased_at) VALUES (?1, ?2)",
                                          error)))
    {
      _herald_workspace_rollback (workspace);
      return FALSE;
    }

  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time () / G_USEC_PER_SEC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _herald_workspace_set_db_error (workspace, error);
      _herald_workspace_rollback (workspace);
      return FALSE;
    }

  return _herald_workspace_commit (workspace, error);
}

/**
 * herald_contacts_is_erased:
 * @email: a normalized address
 *
 * Returns: whether the person with @email asked to be erased
 */
gboolean
herald_contacts_is_erased (HeraldWorkspace *workspace,
                           const char      *email)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *hash = erasure_hash (email);

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), FALSE);

  if (!(stmt = _herald_workspace_prepare (workspace, "SELECT 1 FROM erasures WHERE email_hash = ?1", NULL)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

/**
 * herald_contacts_list_tags:
 *
 * Returns: (transfer full): the names of the tags in use, sorted
 */
char **
herald_contacts_list_tags (HeraldWorkspace *workspace)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);

  stmt = _herald_workspace_prepare (workspace,
                                    "SELECT name FROM tags WHERE id IN (SELECT tag_id FROM contact_tags) "
                                    "ORDER BY name COLLATE NOCASE",
                                    NULL);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *)sqlite3_column_text (stmt, 0));

  return g_strv_builder_end (builder);
}

/**
 * herald_contacts_list_values:
 * @field: a standard field's key or a custom field's name
 * @limit: how many values at most
 *
 * The values contacts have for @field, the most common first, for pickers
 * that offer real values. Text is compared as stored.
 *
 * Returns: (transfer full): the values, possibly none
 */
char **
herald_contacts_list_values (HeraldWorkspace *workspace,
                             const char      *field,
                             guint            limit)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *sql = NULL;
  gboolean standard = FALSE;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (field != NULL, NULL);

  for (guint f = 0; f < HERALD_N_CONTACT_FIELDS; f++)
    standard |= g_str_equal (field, herald_contact_field_key (f));

  /* A standard field's column comes from Herald's own list, never from
   * the caller; a custom field's name is bound. */
  if (standard)
    sql = g_strdup_printf ("SELECT %s FROM contacts WHERE coalesce(%s, '') != '' "
                           "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT %u", field, field, limit);
  else
    sql = g_strdup_printf ("SELECT cf.value FROM contact_fields cf JOIN custom_fields f ON f.id = cf.field_id "
                           "WHERE f.name = ?1 AND coalesce(cf.value, '') != '' "
                           "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT %u", limit);

  stmt = _herald_workspace_prepare (workspace, sql, NULL);
  if (stmt != NULL && !standard)
    sqlite3_bind_text (stmt, 1, field, -1, SQLITE_TRANSIENT);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));

  return g_strv_builder_end (builder);
}

/**
 * herald_contacts_set_field:
 * @value: (nullable): the new text, %NULL or empty to clear the field
 *
 * Changes one standard field of a contact, checked and normalised as an
 * import would: an address must be valid and not another contact's, a
 * status one of Herald's, a company size a number, a country known.
 */
gboolean
herald_contacts_set_field (HeraldWorkspace     *workspace,
                           gint64               contact_id,
                           HeraldContactField   field,
                           const char          *value,
                           GError             **error)
{
  static const char * const statuses[] = { "subscribed", "unsubscribed", "bounced", "complained", "pending" };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (value ? value : ""));

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), FALSE);
  g_return_val_if_fail (field < HERALD_N_CONTACT_FIELDS, FALSE);
  g_return_val_if_fail (field != HERALD_CONTACT_FIELD_CREATED_AT && field != HERALD_CONTACT_FIELD_UPDATED_AT, FALSE);

  switch (field)
    {
    case HERALD_CONTACT_FIELD_EMAIL:
      {
        g_autofree char *reason = NULL;

        if (!(normalized = herald_email_normalize (trimmed, &reason)))
          {
            g_set_error (error, HERALD_CONTACTS_ERROR, HERALD_CONTACTS_ERROR_INVALID_VALUE,
                         _("“%s” is not a valid email address: %s"), trimmed, reason);
            return FALSE;
          }
      }
      break;

    case HERALD_CONTACT_FIELD_STATUS:
      for (guint i = 0; i < G_N_ELEMENTS (statuses) && normalized == NULL; i++)
        if (g_str_equal (trimmed, statuses[i]))
          normalized = g_strdup (trimmed);

      if (normalized == NULL)
        {
          g_set_error (error, HERALD_CONTACTS_ERROR, HERALD_CONTACTS_ERROR_INVALID_VALUE,
                       _("“%s” is not a contact status."), trimmed);
          return FALSE;
        }
      break;

    case HERALD_CONTACT_FIELD_COMPANY_SIZE:
      for (const char *p = trimmed; *p; p++)
        if (!g_ascii_isdigit (*p))
          {
            g_set_error (error, HERALD_CONTACTS_ERROR, HERALD_CONTACTS_ERROR_INVALID_VALUE,
                         _("The company size must be a whole number of employees, not “%s”."), trimmed);
            return FALSE;
          }
      normalized = g_strdup (trimmed);
      break;

    case HERALD_CONTACT_FIELD_COUNTRY:
      if (trimmed[0] != '\0')
        {
          const char *code = herald_country_code_for_name (trimmed);

          if (code == NULL)
            {
              g_set_error (error, HERALD_CONTACTS_ERROR, HERALD_CONTACTS_ERROR_INVALID_VALUE,
                           _("“%s” is not a country Herald knows. Use a name such as “Germany” or a code such as “DE”."),
                           trimmed);
              return FALSE;
            }
          normalized = g_strdup (code);
        }
      break;

    default:
      normalized = g_strdup (trimmed);
      break;
    }

  /* The column name comes from Herald's own table of fields, never from
   * the caller's text. */
  sql = g_strdup_printf ("UPDATE contacts SET %s = ?2, updated_at = ?3 WHERE id = ?1",
                         herald_contact_field_key (field));
  if (!(stmt = _herald_workspace_prepare (workspace, sql, error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, contact_id);
  if (normalized != NULL && normalized[0] != '\0')
    sqlite3_bind_text (stmt, 2, normalized, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (field == HERALD_CONTACT_FIELD_EMAIL &&
          sqlite3_extended_errcode (_herald_workspace_get_db (workspace)) == SQLITE_CONSTRAINT_UNIQUE)
        g_set_error (error, HERALD_CONTACTS_ERROR, HERALD_CONTACTS_ERROR_INVALID_VALUE,
                     _("Another contact has the address “%s” already."), normalized);
      else
        _herald_workspace_set_db_error (workspace, error);
      return FALSE;
    }

  return TRUE;
}

/**
 * herald_contacts_tag:
 * @ids: (array length=n_ids): the contacts
 * @tag: a tag name
 * @add: %TRUE to add the tag, %FALSE to take it off
 *
 * Adds or removes a tag on many contacts in one transaction.
 */
gboolean
herald_contacts_tag (HeraldWorkspace  *workspace,
                     const gint64     *ids,
                     guint             n_ids,
                     const char       *tag,
                     gboolean          add,
                     GCancellable     *cancellable,
                     GError          **error)
{
  g_autoptr(sqlite3_stmt) create = NULL;
  g_autoptr(sqlite3_stmt) change = NULL;
  g_autofree char *name = g_strstrip (g_strdup (tag ? tag : ""));
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), FALSE);

  if (name[0] == '\0' || strpbrk (name, ",;") != NULL)
    {
      g_set_error (error, HERALD_CONTACTS_ERROR, HERALD_CONTACTS_ERROR_INVALID_VALUE,
                   _("A tag needs a name without commas or semicolons."));
      return FALSE;
    }

  if (!_herald_workspace_begin (workspace, error))
    return FALSE;

  if (add)
    {
      if (!(create = _herald_workspace_prepare (workspace, "INSERT OR IGNORE INTO tags (name) VALUES (?1)", error)))
        goto failed;
      sqlite3_bind_text (create, 1, name, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (create) != SQLITE_DONE)
        goto db_failed;
    }

  change = _herald_workspace_prepare (workspace,
                                      add ? "INSERT OR IGNORE INTO contact_tags (contact_id, tag_id, added_at) "
                                            "SELECT ?1, id, ?3 FROM tags WHERE name = ?2"
                                          : "DELETE FROM contact_tags WHERE contact_id = ?1 "
                                            "AND tag_id = (SELECT id FROM tags WHERE name = ?2)",
                                      error);
  if (change == NULL)
    goto failed;

  for (guint i = 0; i < n_ids; i++)
    {
      if (i % CHANGE_STEP == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        goto failed;
      sqlite3_bind_int64 (change, 1, ids[i]);
      sqlite3_bind_text (change, 2, name, -1, SQLITE_TRANSIENT);
      if (add)
        sqlite3_bind_int64 (change, 3, now);
      if (sqlite3_step (change) != SQLITE_DONE)
        goto db_failed;
      sqlite3_reset (change);
    }

  return _herald_workspace_commit (workspace, error);

db_failed:
  _herald_workspace_set_db_error (workspace, error);
failed:
  _herald_workspace_rollback (workspace);
  return FALSE;
}

/**
 * herald_contacts_list_custom_fields:
 *
 * Returns: (transfer full) (element-type utf8): the custom fields' names, sorted
 */
GPtrArray *
herald_contacts_list_custom_fields (HeraldWorkspace *workspace)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), names);

  stmt = _herald_workspace_prepare (workspace, "SELECT name FROM custom_fields ORDER BY name COLLATE NOCASE", NULL);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (names, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));

  return names;
}

typedef struct
{
  char                 *workspace;
  HeraldContactsChange  change;
  GArray               *ids;
  char                 *text;
  char                 *snapshot;
} ChangeData;

static void
change_data_free (ChangeData *data)
{
  g_free (data->workspace);
  g_array_unref (data->ids);
  g_free (data->text);
  g_free (data->snapshot);
  g_free (data);
}

static void
change_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ChangeData *data = task_data;
  const gint64 *ids = (const gint64 *) data->ids->data;
  g_autoptr(HeraldWorkspace) workspace = NULL;
  GError *error = NULL;
  gboolean ok = FALSE;

  /* The worker writes through a connection of its own. */
  if ((workspace = herald_workspace_open (data->workspace, HERALD_WORKSPACE_OPEN_PRIVATE, &error)))
    switch (data->change)
      {
      case HERALD_CONTACTS_CHANGE_DELETE:
        ok = herald_contacts_delete (workspace, ids, data->ids->len, cancellable, &data->snapshot, &error);
        break;
      case HERALD_CONTACTS_CHANGE_DELETE_FOREVER:
        ok = herald_contacts_delete (workspace, ids, data->ids->len, cancellable, NULL, &error);
        break;
      case HERALD_CONTACTS_CHANGE_RESTORE:
        ok = herald_contacts_restore (workspace, data->text, &error);
        break;
      case HERALD_CONTACTS_CHANGE_ADD_TAG:
      case HERALD_CONTACTS_CHANGE_REMOVE_TAG:
        ok = herald_contacts_tag (workspace, ids, data->ids->len, data->text,
                                  data->change == HERALD_CONTACTS_CHANGE_ADD_TAG, cancellable, &error);
        break;
      default:
        g_assert_not_reached ();
      }

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * herald_contacts_change_async:
 * @ids: (array length=n_ids): the contacts, for a deletion or a tag
 * @text: (nullable): the tag, or for a restore the snapshot
 *
 * Deletes, restores or tags contacts in a worker thread, so that a large
 * selection never stops the window: see herald_contacts_delete(),
 * herald_contacts_restore() and herald_contacts_tag().
 */
void
herald_contacts_change_async (HeraldWorkspace      *workspace,
                              HeraldContactsChange  change,
                              const gint64         *ids,
                              guint                 n_ids,
                              const char           *text,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  ChangeData *data;

  g_return_if_fail (HERALD_IS_WORKSPACE (workspace));

  data = g_new0 (ChangeData, 1);
  data->workspace = g_strdup (herald_workspace_get_path (workspace));
  data->change = change;
  data->ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_ids);
  g_array_append_vals (data->ids, ids, n_ids);
  data->text = g_strdup (text);
  task = g_task_new (workspace, cancellable, callback, user_data);
  g_task_set_source_tag (task, herald_contacts_change_async);
  g_task_set_task_data (task, data, (GDestroyNotify) change_data_free);
  g_task_run_in_thread (task, change_thread);
}

/**
 * herald_contacts_change_finish:
 * @out_snapshot: (out) (optional) (transfer full): after a deletion that
 *   can be undone, what undoes it
 */
gboolean
herald_contacts_change_finish (HeraldWorkspace  *workspace,
                               GAsyncResult     *result,
                               char            **out_snapshot,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, workspace), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (out_snapshot != NULL)
    *out_snapshot = g_steal_pointer (&((ChangeData *) g_task_get_task_data (G_TASK (result)))->snapshot);
  return TRUE;
}
