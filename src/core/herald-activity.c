/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-activity"

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "herald-csv.h"
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

/**
 * herald_results_get_attribution_window:
 *
 * Returns: the days before an order in which an open or a click earns it
 *   for the campaign: the workspace's setting, or 5
 */
guint
herald_results_get_attribution_window (HeraldWorkspace *workspace)
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
  sqlite3_bind_int64 (update, 1, (gint64) herald_results_get_attribution_window (workspace) * DAY);
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

/**
 * herald_results_set_attribution_window:
 * @days: 0 to 365
 *
 * Sets the attribution window and gives every order again to the
 * campaign it belongs to under it, in one transaction.
 */
gboolean
herald_results_set_attribution_window (HeraldWorkspace  *workspace,
                                       guint             days,
                                       GError          **error)
{
  g_autofree char *text = g_strdup_printf ("%u", MIN (days, 365));

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), FALSE);

  if (!_herald_workspace_begin (workspace, error))
    return FALSE;
  if (!herald_workspace_set_setting (workspace, "attribution-window-days", text, error)
      || !_herald_results_attribute_orders (workspace, NULL, error))
    {
      _herald_workspace_rollback (workspace);
      return FALSE;
    }
  return _herald_workspace_commit (workspace, error);
}

/* Mapping a file's columns */

static const char * const column_keys[HERALD_RESULTS_N_COLUMNS] = {
  "email", "action", "time", "url", "campaign", "order", "amount",
};

/* Header names, compared without case, spaces or punctuation. */
static const char * const column_aliases[HERALD_RESULTS_N_COLUMNS][20] = {
  [HERALD_RESULTS_COLUMN_EMAIL] = { "email", "emailaddress", "e-mail", "mail", "recipient", "recipientemail",
                                    "subscriber", "subscriberemail", "customeremail", "contactemail", "buyeremail",
                                    "emailadresse", "correo", NULL },
  [HERALD_RESULTS_COLUMN_ACTION] = { "action", "event", "eventtype", "activity", "activitytype", "type", NULL },
  [HERALD_RESULTS_COLUMN_TIME] = { "timestamp", "time", "date", "datetime", "eventtime", "occurredat", "createdat",
                                   "orderdate", "processedat", "datecreated", "actiondate", "when", "placed", "placedat",
                                   "datum", "fecha", "data", "zeitpunkt", NULL },
  [HERALD_RESULTS_COLUMN_URL] = { "url", "link", "linkurl", "clickedurl", "clickedlink", NULL },
  [HERALD_RESULTS_COLUMN_CAMPAIGN] = { "campaign", "campaigntitle", "campaignname", "campaignid", "title", NULL },
  [HERALD_RESULTS_COLUMN_ORDER] = { "orderid", "order", "ordernumber", "orderno", "transactionid", "transaction",
                                    "invoice", "invoicenumber", "bestellnummer", "bestellung", "commande",
                                    "pedido", "ordine", "id", NULL },
  [HERALD_RESULTS_COLUMN_AMOUNT] = { "amount", "total", "ordertotal", "revenue", "value", "totalprice",
                                     "grandtotal", "price", "sales", "subtotal", "betrag", "summe", "montant",
                                     "importe", "importo", NULL },
};

const char *
herald_results_column_key (HeraldResultsColumn column)
{
  g_return_val_if_fail (column < HERALD_RESULTS_N_COLUMNS, NULL);
  return column_keys[column];
}

const char *
herald_results_column_label (HeraldResultsColumn column)
{
  g_return_val_if_fail (column < HERALD_RESULTS_N_COLUMNS, NULL);

  switch (column)
    {
    case HERALD_RESULTS_COLUMN_EMAIL:
      return _("Email");
    case HERALD_RESULTS_COLUMN_ACTION:
      /* Translators: what a recipient did: opened, clicked, … */
      return _("Action");
    case HERALD_RESULTS_COLUMN_TIME:
      return _("Time");
    case HERALD_RESULTS_COLUMN_URL:
      return _("Link");
    case HERALD_RESULTS_COLUMN_CAMPAIGN:
      return _("Campaign");
    case HERALD_RESULTS_COLUMN_ORDER:
      return _("Order ID");
    case HERALD_RESULTS_COLUMN_AMOUNT:
      return _("Amount");
    case HERALD_RESULTS_N_COLUMNS:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Whether a kind of file has that column. */
gboolean
herald_results_column_used (HeraldResultsPreset preset,
                            HeraldResultsColumn column)
{
  if (preset == HERALD_RESULTS_PRESET_ACTIVITY)
    return column <= HERALD_RESULTS_COLUMN_CAMPAIGN;
  if (preset == HERALD_RESULTS_PRESET_ORDERS)
    return column == HERALD_RESULTS_COLUMN_EMAIL || column == HERALD_RESULTS_COLUMN_TIME
           || column >= HERALD_RESULTS_COLUMN_ORDER;
  return FALSE;
}

static char *
header_key (const char *name)
{
  GString *key = g_string_new (NULL);

  for (const char *p = name; *p != '\0'; p++)
    if (g_ascii_isalnum (*p) || (guchar) *p >= 0x80)
      g_string_append_c (key, g_ascii_tolower (*p));
  return g_string_free (key, FALSE);
}

static int
find_column (GStrv               header,
             HeraldResultsColumn column)
{
  /* The first alias that matches wins, so "Order ID" beats "ID". */
  for (guint a = 0; column_aliases[column][a] != NULL; a++)
    for (guint i = 0; header[i] != NULL; i++)
      {
        g_autofree char *key = header_key (header[i]);
        g_autofree char *alias = header_key (column_aliases[column][a]);

        if (g_str_equal (key, alias))
          return i;
      }
  return -1;
}

/* The rows read to tell what a file is. */
#define SAMPLE_ROWS 40

/**
 * herald_results_mapping_detect:
 * @preset: the kind of file, or HERALD_RESULTS_PRESET_AUTO to tell from
 *   its first rows
 *
 * Reads the first rows of a results file and tells what it is and, for
 * activity and orders, which column holds what.
 *
 * Returns: (transfer full): the mapping, or %NULL with @error set when
 *   the file cannot be read or is none of the files Herald knows
 */
HeraldResultsMapping *
herald_results_mapping_detect (const char           *path,
                               HeraldResultsPreset   preset,
                               GError              **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *display = g_filename_display_basename (path);
  g_autoptr(HeraldResultsMapping) mapping = g_new0 (HeraldResultsMapping, 1);
  HeraldCsvFormat format = { HERALD_CSV_ENCODING_AUTO, 0 };
  HeraldResultsReader sample = { display, rows, lines, error, SAMPLE_ROWS };
  GStrv header;

  g_return_val_if_fail (path != NULL, NULL);

  if (!herald_csv_read_file (path, &format, _herald_results_collect_row, &sample, NULL, NULL, NULL, error))
    return NULL;
  if (rows->len == 0)
    {
      g_set_error (error, HERALD_RESULTS_ERROR, HERALD_RESULTS_ERROR_FORMAT, _("“%s” is empty."), display);
      return NULL;
    }

  header = rows->pdata[0];
  mapping->preset = preset;
  mapping->header = g_strdupv (header);
  mapping->samples = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (guint r = 1; r < rows->len && r <= 5; r++)
    g_ptr_array_add (mapping->samples, g_strdupv (rows->pdata[r]));
  for (guint c = 0; c < HERALD_RESULTS_N_COLUMNS; c++)
    mapping->columns[c] = find_column (header, c);
  /* An email column of any name: the first whose value is an address. */
  for (guint i = 0; mapping->columns[HERALD_RESULTS_COLUMN_EMAIL] < 0 && rows->len > 1 && header[i] != NULL; i++)
    {
      GStrv first = rows->pdata[1];

      if (i < g_strv_length (first) && strchr (first[i], '@') != NULL && strchr (first[i], '/') == NULL)
        mapping->columns[HERALD_RESULTS_COLUMN_EMAIL] = i;
    }

  if (preset == HERALD_RESULTS_PRESET_AUTO)
    {
      if (_herald_results_column_index (header, "Title") >= 0
          && _herald_results_column_index (header, "Total Recipients") >= 0)
        mapping->preset = HERALD_RESULTS_PRESET_MAILCHIMP_CAMPAIGNS;
      for (guint r = 0; mapping->preset == HERALD_RESULTS_PRESET_AUTO && r < rows->len; r++)
        if (g_strcmp0 (((GStrv) rows->pdata[r])[0], "Total Recipients:") == 0)
          mapping->preset = HERALD_RESULTS_PRESET_MAILCHIMP_REPORT;
      if (mapping->preset == HERALD_RESULTS_PRESET_AUTO && mapping->columns[HERALD_RESULTS_COLUMN_EMAIL] >= 0)
        {
          if (mapping->columns[HERALD_RESULTS_COLUMN_ACTION] >= 0)
            mapping->preset = HERALD_RESULTS_PRESET_ACTIVITY;
          else if (mapping->columns[HERALD_RESULTS_COLUMN_AMOUNT] >= 0)
            mapping->preset = HERALD_RESULTS_PRESET_ORDERS;
        }
      if (mapping->preset == HERALD_RESULTS_PRESET_AUTO)
        {
          g_set_error (error, HERALD_RESULTS_ERROR, HERALD_RESULTS_ERROR_FORMAT,
                       _("“%s” is not a results file Herald knows: it has neither the columns of Mailchimp’s "
                         "campaign export nor the sections of a Mailchimp campaign report, and no email column "
                         "with actions (activity) or amounts (orders)."),
                       display);
          return NULL;
        }
    }

  /* A column a kind of file does not have is left out. */
  for (guint c = 0; c < HERALD_RESULTS_N_COLUMNS; c++)
    if (!herald_results_column_used (mapping->preset, c))
      mapping->columns[c] = -1;
  /* One column holds one thing: an order's "ID" is not its email. */
  for (guint c = 0; c < HERALD_RESULTS_N_COLUMNS; c++)
    for (guint d = 0; d < c; d++)
      if (mapping->columns[c] >= 0 && mapping->columns[c] == mapping->columns[d])
        mapping->columns[c] = -1;
  return g_steal_pointer (&mapping);
}

HeraldResultsMapping *
herald_results_mapping_copy (const HeraldResultsMapping *mapping)
{
  HeraldResultsMapping *copy = g_new0 (HeraldResultsMapping, 1);

  copy->preset = mapping->preset;
  copy->header = g_strdupv (mapping->header);
  copy->samples = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (guint i = 0; mapping->samples != NULL && i < mapping->samples->len; i++)
    g_ptr_array_add (copy->samples, g_strdupv (mapping->samples->pdata[i]));
  memcpy (copy->columns, mapping->columns, sizeof copy->columns);
  return copy;
}

void
herald_results_mapping_free (HeraldResultsMapping *mapping)
{
  if (mapping == NULL)
    return;
  g_strfreev (mapping->header);
  g_clear_pointer (&mapping->samples, g_ptr_array_unref);
  g_free (mapping);
}

/**
 * herald_results_mapping_set:
 * @key: what the column holds: "email", "action", "time", "url",
 *   "campaign", "order" or "amount"
 * @column: (nullable): a column of the header, or %NULL or "" for none
 *
 * Returns: %FALSE with @error set when @key or @column is unknown
 */
gboolean
herald_results_mapping_set (HeraldResultsMapping  *mapping,
                            const char            *key,
                            const char            *column,
                            GError               **error)
{
  int index = -1;

  for (guint c = 0; c < HERALD_RESULTS_N_COLUMNS; c++)
    if (g_strcmp0 (key, column_keys[c]) == 0 && herald_results_column_used (mapping->preset, c))
      {
        if (column != NULL && *column != '\0' && (index = _herald_results_column_index (mapping->header, column)) < 0)
          {
            g_set_error (error, HERALD_RESULTS_ERROR, HERALD_RESULTS_ERROR_FORMAT,
                         _("The file has no column “%s”."), column);
            return FALSE;
          }
        mapping->columns[c] = index;
        return TRUE;
      }
  g_set_error (error, HERALD_RESULTS_ERROR, HERALD_RESULTS_ERROR_FORMAT,
               mapping->preset == HERALD_RESULTS_PRESET_ORDERS
                 ? _("“%s” is not a column of an orders file: use email, order, time or amount.")
                 : _("“%s” is not a column of an activity file: use email, action, time, url or campaign."),
               key);
  return FALSE;
}

/**
 * herald_results_mapping_check:
 * @campaign: (nullable): the campaign all rows belong to, when the file
 *   has no campaign column
 *
 * Tells whether the mapping has what an import needs.
 */
gboolean
herald_results_mapping_check (const HeraldResultsMapping  *mapping,
                              const char                  *campaign,
                              GError                     **error)
{
  const HeraldResultsColumn activity[] = { HERALD_RESULTS_COLUMN_EMAIL, HERALD_RESULTS_COLUMN_ACTION,
                                           HERALD_RESULTS_COLUMN_TIME };
  const HeraldResultsColumn orders[] = { HERALD_RESULTS_COLUMN_EMAIL, HERALD_RESULTS_COLUMN_TIME,
                                         HERALD_RESULTS_COLUMN_AMOUNT };
  gboolean is_orders = mapping->preset == HERALD_RESULTS_PRESET_ORDERS;

  g_return_val_if_fail (is_orders || mapping->preset == HERALD_RESULTS_PRESET_ACTIVITY, FALSE);

  for (guint i = 0; i < 3; i++)
    {
      HeraldResultsColumn needed = is_orders ? orders[i] : activity[i];

      if (mapping->columns[needed] < 0)
        {
          g_set_error (error, HERALD_RESULTS_ERROR, HERALD_RESULTS_ERROR_FORMAT,
                       /* Translators: %s is what a column holds, such as “Email”. */
                       _("Choose the column that holds “%s”."), herald_results_column_label (needed));
          return FALSE;
        }
    }
  if (!is_orders && mapping->columns[HERALD_RESULTS_COLUMN_CAMPAIGN] < 0 && (campaign == NULL || *campaign == '\0'))
    {
      g_set_error_literal (error, HERALD_RESULTS_ERROR, HERALD_RESULTS_ERROR_FORMAT,
                           _("The file does not say which campaign each row belongs to: choose its campaign "
                             "column, or name the campaign."));
      return FALSE;
    }
  return TRUE;
}

/* Importing */

/* "2024-05-01T14:30:00+02:00", "2024-05-01 14:30", "2024-05-01", a Unix
 * time, or Mailchimp's "Jun 09, 2018 09:30 pm"; local time when the text
 * names no zone. */
static gboolean
parse_time (HeraldResultsReader *reader,
            guint                line,
            const char          *column,
            const char          *text,
            gint64              *unix_time)
{
  HeraldResultsReader quiet = { reader->file, NULL, NULL, NULL, 0 };
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *iso = NULL;
  guint64 seconds;
  gsize n = strlen (text);

  if (n >= 9 && n <= 12 && g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &seconds, NULL))
    {
      *unix_time = (gint64) seconds;
      return TRUE;
    }
  if (n == 10 && text[4] == '-' && text[7] == '-')
    iso = g_strconcat (text, "T00:00:00", NULL);
  else if (n == 16 && text[4] == '-' && (text[10] == ' ' || text[10] == 'T'))
    iso = g_strdup_printf ("%.10sT%s:00", text, text + 11);
  else
    {
      iso = g_strdup (text);
      if (n > 10 && iso[10] == ' ')
        iso[10] = 'T';
    }
  if ((time = g_date_time_new_from_iso8601 (iso, local)) != NULL)
    {
      *unix_time = g_date_time_to_unix (time);
      return TRUE;
    }
  if (!_herald_results_is_missing (text) && _herald_results_parse_date (&quiet, line, column, text, unix_time))
    return TRUE;
  return _herald_results_fail_at (reader, line, column,
                                  _("“%s” is not a time such as “2024-05-01 14:30” or “Jun 09, 2018 09:30 pm”"),
                                  text);
}

/* Actions as services write them, and the event each is. */
static const char *
action_kind (const char *action)
{
  static const char * const kinds[][2] = {
    { "open", "open" }, { "opened", "open" }, { "opens", "open" },
    { "click", "click" }, { "clicked", "click" }, { "clicks", "click" },
    { "bounce", "bounce" }, { "bounced", "bounce" }, { "hardbounce", "bounce" }, { "softbounce", "bounce" },
    { "unsubscribe", "unsubscribe" }, { "unsubscribed", "unsubscribe" }, { "unsub", "unsubscribe" },
    { "optout", "unsubscribe" },
    { "complaint", "complaint" }, { "abuse", "complaint" }, { "spam", "complaint" },
    { "abusecomplaint", "complaint" }, { "spamreport", "complaint" },
    { "sent", "sent" }, { "send", "sent" }, { "delivered", "delivered" }, { "delivery", "delivered" },
    { "conversion", "conversion" }, { "converted", "conversion" }, { "purchase", "conversion" },
    { "order", "conversion" },
  };
  g_autofree char *key = header_key (action);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (key, kinds[i][0]))
      return kinds[i][1];
  return NULL;
}

typedef struct
{
  HeraldWorkspace            *workspace;
  const HeraldResultsMapping *mapping;
  HeraldResultsReader         reader;
  HeraldEventWriter          *writer;
  HeraldResultsReport        *report;
  sqlite3_stmt               *remember_order;
  /* Campaigns by the name or id a file gives, and those it touched. */
  GHashTable                 *campaigns;
  GHashTable                 *touched;
  gint64                      campaign_id;
  guint                       n_header;
  gboolean                    header_seen;
  gboolean                    failed;
} Import;

static const char *
field (Import              *import,
       const char * const  *fields,
       HeraldResultsColumn  column)
{
  int i = import->mapping->columns[column];

  return i >= 0 ? fields[i] : NULL;
}

/* The campaign a file names, by its name or its id at the service; a new
 * one when the workspace has none of that name. */
static gint64
find_campaign (Import      *import,
               const char  *name,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autoptr(sqlite3_stmt) add = NULL;
  gpointer cached;
  gint64 id;

  if (g_hash_table_lookup_extended (import->campaigns, name, NULL, &cached))
    return GPOINTER_TO_SIZE (cached);

  find = _herald_workspace_prepare (import->workspace,
                                    "SELECT id FROM campaigns WHERE name = ?1 COLLATE NOCASE OR esp_id = ?1"
                                    " ORDER BY name = ?1 COLLATE NOCASE DESC LIMIT 1",
                                    error);
  if (find == NULL)
    return -1;
  sqlite3_bind_text (find, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (find) == SQLITE_ROW)
    id = sqlite3_column_int64 (find, 0);
  else
    {
      add = _herald_workspace_prepare (import->workspace,
                                       "INSERT INTO campaigns (name, created_at) VALUES (?1, ?2)", error);
      if (add == NULL)
        return -1;
      sqlite3_bind_text (add, 1, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (add, 2, g_get_real_time () / G_USEC_PER_SEC);
      if (sqlite3_step (add) != SQLITE_DONE)
        {
          _herald_workspace_set_db_error (import->workspace, error);
          return -1;
        }
      id = sqlite3_last_insert_rowid (_herald_workspace_get_db (import->workspace));
      import->report->imported++;
    }
  g_hash_table_insert (import->campaigns, g_strdup (name), GSIZE_TO_POINTER ((gsize) id));
  return id;
}

static gboolean
import_row (Import             *import,
            guint               line,
            const char * const *fields)
{
  HeraldResultsReader *reader = &import->reader;
  gboolean orders = import->mapping->preset == HERALD_RESULTS_PRESET_ORDERS;
  const char *email = field (import, fields, HERALD_RESULTS_COLUMN_EMAIL);
  const char *time_text = field (import, fields, HERALD_RESULTS_COLUMN_TIME);
  GStrv header = import->mapping->header;
  g_autofree char *order_id = NULL;
  const char *kind = "conversion";
  const char *url = NULL;
  gint64 contact, occurred_at, amount = -1, campaign = import->campaign_id;
  gboolean added;

  if ((contact = _herald_event_writer_find_contact (import->writer, email, reader->error)) < 0)
    return FALSE;
  if (contact == 0)
    {
      import->report->unknown_contacts++;
      return TRUE;
    }
  if (!parse_time (reader, line, header[import->mapping->columns[HERALD_RESULTS_COLUMN_TIME]], time_text,
                   &occurred_at))
    return FALSE;

  if (orders)
    {
      const char *id = field (import, fields, HERALD_RESULTS_COLUMN_ORDER);
      int amount_column = import->mapping->columns[HERALD_RESULTS_COLUMN_AMOUNT];

      if (!_herald_results_parse_money (reader, line, header[amount_column], fields[amount_column], &amount))
        return FALSE;
      if (amount < 0)
        return _herald_results_fail_at (reader, line, header[amount_column], _("an order needs an amount"));
      /* Without an order id, an order is known again by who bought what
       * when. */
      order_id = id != NULL && *id != '\0' ? g_strdup (id)
                                           : g_strdup_printf ("%" G_GINT64_FORMAT "@%" G_GINT64_FORMAT ":%"
                                                              G_GINT64_FORMAT, contact, occurred_at, amount);
      campaign = 0;
      if (!_herald_event_writer_add (import->writer, 0, contact, kind, occurred_at, NULL, amount, order_id, &added,
                                     reader->error))
        return FALSE;
      sqlite3_reset (import->remember_order);
      sqlite3_bind_text (import->remember_order, 1, order_id, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (import->remember_order) != SQLITE_DONE)
        {
          _herald_workspace_set_db_error (import->workspace, reader->error);
          return FALSE;
        }
      import->report->orders++;
      return TRUE;
    }

  {
    const char *action = field (import, fields, HERALD_RESULTS_COLUMN_ACTION);
    const char *name = field (import, fields, HERALD_RESULTS_COLUMN_CAMPAIGN);

    if ((kind = action_kind (action)) == NULL)
      return _herald_results_fail_at (reader, line, header[import->mapping->columns[HERALD_RESULTS_COLUMN_ACTION]],
                                      _("“%s” is not an action: use open, click, bounce, unsubscribe, complaint, "
                                        "sent, delivered or conversion"),
                                      action);
    url = field (import, fields, HERALD_RESULTS_COLUMN_URL);
    if (name != NULL && *name != '\0' && (campaign = find_campaign (import, name, reader->error)) < 0)
      return FALSE;
    if (campaign <= 0)
      return _herald_results_fail_at (reader, line, NULL, _("the row does not say which campaign it belongs to"));
  }

  if (!_herald_event_writer_add (import->writer, campaign, contact, kind, occurred_at, url, -1, NULL, &added,
                                 reader->error))
    return FALSE;
  import->report->events += added;
  g_hash_table_add (import->touched, GSIZE_TO_POINTER ((gsize) campaign));
  return TRUE;
}

static gboolean
import_row_cb (guint               line,
               const char * const *fields,
               guint               n_fields,
               gpointer            user_data)
{
  Import *import = user_data;

  if (!import->header_seen)
    {
      import->header_seen = TRUE;
      import->n_header = n_fields;
      return TRUE;
    }
  import->report->rows++;
  if (n_fields != import->n_header)
    {
      import->failed = TRUE;
      return _herald_results_fail_at (&import->reader, line, NULL,
                                       ngettext ("the row has %u field where the header has %u",
                                                 "the row has %u fields where the header has %u", n_fields),
                                       n_fields, import->n_header);
    }
  if (!import_row (import, line, fields))
    {
      import->failed = TRUE;
      return FALSE;
    }
  return TRUE;
}

/* The campaigns an import touched, by name, and a send date for those
 * that had none: their first event. */
static gboolean
finish_campaigns (Import  *import,
                  GError **error)
{
  g_autoptr(sqlite3_stmt) date = NULL;
  g_autoptr(sqlite3_stmt) name = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer key;

  date = _herald_workspace_prepare (import->workspace,
                                    "UPDATE campaigns SET sent_at = (SELECT min(occurred_at) FROM events"
                                    " WHERE campaign_id = ?1) WHERE id = ?1 AND sent_at IS NULL",
                                    error);
  name = _herald_workspace_prepare (import->workspace, "SELECT name FROM campaigns WHERE id = ?1", error);
  if (date == NULL || name == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, import->touched);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      sqlite3_reset (date);
      sqlite3_reset (name);
      sqlite3_bind_int64 (date, 1, GPOINTER_TO_SIZE (key));
      sqlite3_bind_int64 (name, 1, GPOINTER_TO_SIZE (key));
      if (sqlite3_step (date) != SQLITE_DONE || sqlite3_step (name) != SQLITE_ROW)
        {
          _herald_workspace_set_db_error (import->workspace, error);
          return FALSE;
        }
      g_strv_builder_add (names, (const char *) sqlite3_column_text (name, 0));
    }
  import->report->updated = g_hash_table_size (import->touched) - MIN (import->report->imported,
                                                                        g_hash_table_size (import->touched));
  g_strfreev (import->report->campaigns);
  import->report->campaigns = g_strv_builder_end (names);
  return TRUE;
}

/* How many of this import's orders went to a campaign. */
static gboolean
count_attributed (Import  *import,
                  GError **error)
{
  g_autoptr(sqlite3_stmt) count = _herald_workspace_prepare (import->workspace,
                                                             "SELECT count(*) FROM events e JOIN temp.imported_orders o"
                                                             " ON o.id = e.external_id WHERE e.kind = 'conversion'"
                                                             " AND e.campaign_id IS NOT NULL",
                                                             error);

  if (count == NULL)
    return FALSE;
  if (sqlite3_step (count) != SQLITE_ROW)
    {
      _herald_workspace_set_db_error (import->workspace, error);
      return FALSE;
    }
  import->report->attributed = (guint) sqlite3_column_int64 (count, 0);
  return TRUE;
}

/**
 * herald_results_import_mapped:
 * @mapping: an activity or orders mapping, from
 *   herald_results_mapping_detect() and changed as the user chose
 * @campaign: (nullable): the campaign of rows that name none
 *
 * Imports what each recipient did, or orders, in one transaction and
 * reading the file as it goes. Events already in the workspace are not
 * added again; an order imported again takes its new figures. Orders
 * then go to the campaign whose email the buyer last opened or clicked
 * within the attribution window. Rows about people who are not in the
 * audience are counted and left out.
 *
 * Returns: (transfer full): what was imported, or %NULL with @error set
 *   (naming the file, line and column) and the workspace unchanged
 */
HeraldResultsReport *
herald_results_import_mapped (HeraldWorkspace             *workspace,
                              const char                  *path,
                              const HeraldResultsMapping  *mapping,
                              const char                  *campaign,
                              GFileProgressCallback        progress,
                              gpointer                     progress_data,
                              GCancellable                *cancellable,
                              GError                     **error)
{
  g_autofree char *display = g_filename_display_basename (path);
  g_autoptr(HeraldResultsReport) report = g_new0 (HeraldResultsReport, 1);
  g_autoptr(HeraldEventWriter) writer = NULL;
  g_autoptr(GHashTable) campaigns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) touched = g_hash_table_new (NULL, NULL);
  GError *local_error = NULL;
  HeraldCsvFormat format = { HERALD_CSV_ENCODING_AUTO, 0 };
  Import import = { workspace, mapping, { display, NULL, NULL, &local_error, 0 }, NULL, report, NULL, campaigns,
                    touched, 0, 0, FALSE, FALSE };
  gboolean ok;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (path != NULL && mapping != NULL, NULL);

  if (!herald_results_mapping_check (mapping, campaign, error))
    return NULL;
  report->preset = mapping->preset;
  if (!_herald_workspace_exec (workspace, "CREATE TEMP TABLE IF NOT EXISTS imported_orders (id TEXT PRIMARY KEY);"
                                          "DELETE FROM temp.imported_orders", error)
      || !_herald_workspace_begin (workspace, error))
    return NULL;

  ok = (writer = _herald_event_writer_new (workspace, &local_error)) != NULL
       && (import.remember_order = _herald_workspace_prepare (workspace,
                                                              "INSERT OR IGNORE INTO temp.imported_orders VALUES (?1)",
                                                              &local_error)) != NULL;
  import.writer = writer;
  if (ok && mapping->preset == HERALD_RESULTS_PRESET_ACTIVITY && campaign != NULL && *campaign != '\0')
    {
      ok = (import.campaign_id = find_campaign (&import, campaign, &local_error)) > 0;
      if (ok)
        g_hash_table_add (touched, GSIZE_TO_POINTER ((gsize) import.campaign_id));
    }
  if (ok)
    ok = herald_csv_read_file (path, &format, import_row_cb, &import, progress, progress_data, cancellable,
                               &local_error)
         && !import.failed;
  if (ok && !import.header_seen)
    {
      g_set_error (&local_error, HERALD_RESULTS_ERROR, HERALD_RESULTS_ERROR_FORMAT, _("“%s” is empty."), display);
      ok = FALSE;
    }
  ok = ok && _herald_results_attribute_orders (workspace, NULL, &local_error)
       && count_attributed (&import, &local_error)
       && finish_campaigns (&import, &local_error);
  g_clear_pointer (&import.remember_order, sqlite3_finalize);
  g_clear_pointer (&writer, _herald_event_writer_free);
  if (!ok)
    {
      _herald_workspace_rollback (workspace);
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (!_herald_workspace_commit (workspace, error))
    return NULL;
  return g_steal_pointer (&report);
}
