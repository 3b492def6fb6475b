/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-activity"

#include "config.h"

#include <glib/gi18n.h>

#include "herald-email.h"
#include "herald-results-private.h"

/* What each recipient did, and what people bought: events kept once
 * each, and orders given to the email that brought them. */

#define DAY (24 * 60 * 60)

struct _HeraldEventWriter
{
  HeraldWorkspace *workspace;
  sqlite3_stmt    *find;
  sqlite3_stmt    *add;
  sqlite3_stmt    *order;
};

HeraldEventWriter *
_herald_event_writer_new (HeraldWorkspace  *workspace,
                          GError          **error)
{
  g_autoptr(HeraldEventWriter) writer = g_new0 (HeraldEventWriter, 1);

  writer->workspace = g_object_ref (workspace);
  if (!(writer->find = _herald_workspace_prepare (workspace, "SELECT id FROM contacts WHERE email = ?1", error))
      || !(writer->add = _herald_workspace_prepare (workspace,
                                                    "INSERT OR IGNORE INTO events (campaign_id, contact_id, kind,"
                                                    " occurred_at, url, value_minor) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                                    error))
      /* An order imported again takes its new figures, and keeps the
       * campaign it was given until the next attribution. */
      || !(writer->order = _herald_workspace_prepare (workspace,
                                                      "INSERT INTO events (campaign_id, contact_id, kind, occurred_at,"
                                                      " url, value_minor, external_id)"
                                                      " VALUES (?1, ?2, 'conversion', ?4, ?5, ?6, ?7)"
                                                      " ON CONFLICT (external_id)"
                                                      " WHERE kind = 'conversion' AND external_id IS NOT NULL"
                                                      " DO UPDATE SET contact_id = excluded.contact_id,"
                                                      " occurred_at = excluded.occurred_at,"
                                                      " value_minor = excluded.value_minor",
                                                      error)))
    return NULL;
  return g_steal_pointer (&writer);
}

void
_herald_event_writer_free (HeraldEventWriter *writer)
{
  if (writer == NULL)
    return;
  sqlite3_finalize (writer->find);
  sqlite3_finalize (writer->add);
  sqlite3_finalize (writer->order);
  g_clear_object (&writer->workspace);
  g_free (writer);
}

gint64
_herald_event_writer_find_contact (HeraldEventWriter  *writer,
                                   const char         *email,
                                   GError            **error)
{
  g_autofree char *normal = herald_email_normalize (email, NULL);
  gint64 id = 0;
  int rc;

  if (normal == NULL)
    return 0;
  sqlite3_reset (writer->find);
  sqlite3_bind_text (writer->find, 1, normal, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (writer->find);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (writer->find, 0);
  else if (rc != SQLITE_DONE)
    {
      _herald_workspace_set_db_error (writer->workspace, error);
      return -1;
    }
  sqlite3_reset (writer->find);
  return id;
}

gboolean
_herald_event_writer_add (HeraldEventWriter  *writer,
                          gint64              campaign_id,
                          gint64              contact_id,
                          const char         *kind,
                          gint64              occurred_at,
                          const char         *url,
                          gint64              value_minor,
                          const char         *external_id,
                          gboolean           *added,
                          GError            **error)
{
  sqlite3 *db = _herald_workspace_get_db (writer->workspace);
  sqlite3_stmt *stmt = external_id != NULL ? writer->order : writer->add;
  int rc;

  g_return_val_if_fail (external_id == NULL || g_str_equal (kind, "conversion"), FALSE);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (campaign_id > 0)
    sqlite3_bind_int64 (stmt, 1, campaign_id);
  sqlite3_bind_int64 (stmt, 2, contact_id);
  if (external_id == NULL)
    sqlite3_bind_text (stmt, 3, kind, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, occurred_at);
  if (url != NULL && *url != '\0')
    sqlite3_bind_text (stmt, 5, url, -1, SQLITE_TRANSIENT);
  if (value_minor >= 0)
    sqlite3_bind_int64 (stmt, 6, value_minor);
  if (external_id != NULL)
    sqlite3_bind_text (stmt, 7, external_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      _herald_workspace_set_db_error (writer->workspace, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  if (added != NULL)
    *added = sqlite3_changes (db) > 0;
  sqlite3_reset (stmt);
  return TRUE;
}

/* The attribution window in days: the workspace's setting, or 5. */
static guint
attribution_window (HeraldWorkspace *workspace)
{
  g_autofree char *text = herald_workspace_get_setting (workspace, "attribution-window-days");
  guint64 days = 5;

  if (text != NULL && !g_ascii_string_to_unsigned (text, 10, 0, 365, &days, NULL))
    days = 5;
  return (guint) days;
}

gboolean
_herald_results_attribute_orders (HeraldWorkspace  *workspace,
                                  guint            *attributed,
                                  GError          **error)
{
  g_autoptr(sqlite3_stmt) update = NULL;
  g_autoptr(sqlite3_stmt) count = NULL;

  /* The last open or click of a campaign's email at or before the order,
   * within the window. */
  update = _herald_workspace_prepare (workspace,
                                      "UPDATE events AS o SET campaign_id = ("
                                      "  SELECT e.campaign_id FROM events e"
                                      "  WHERE e.contact_id = o.contact_id AND e.kind IN ('open', 'click')"
                                      "   AND e.campaign_id IS NOT NULL"
                                      "   AND e.occurred_at BETWEEN o.occurred_at - ?1 AND o.occurred_at"
                                      "  ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1)"
                                      " WHERE o.kind = 'conversion' AND o.external_id IS NOT NULL",
                                      error);
  if (update == NULL)
    return FALSE;
  sqlite3_bind_int64 (update, 1, (gint64) attribution_window (workspace) * DAY);
  if (sqlite3_step (update) != SQLITE_DONE)
    {
      _herald_workspace_set_db_error (workspace, error);
      return FALSE;
    }
  if (attributed == NULL)
    return TRUE;

  count = _herald_workspace_prepare (workspace,
                                     "SELECT count(*) FROM events WHERE kind = 'conversion'"
                                     " AND external_id IS NOT NULL AND campaign_id IS NOT NULL",
                                     error);
  if (count == NULL || sqlite3_step (count) != SQLITE_ROW)
    {
      if (count != NULL)
        _herald_workspace_set_db_error (workspace, error);
      return FALSE;
    }
  *attributed = (guint) sqlite3_column_int64 (count, 0);
  return TRUE;
}
