/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-results"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "herald-csv.h"
#include "herald-flow.h"
#include "herald-format.h"
#include "herald-json-private.h"
#include "herald-results.h"
#include "herald-results-private.h"
#include "herald-templates.h"
#include "herald-timeline.h"
#include "herald-workspace-private.h"

/* Campaign results as the email services report them: read from their
 * exports, kept as raw counts, and turned into the KPIs of DESIGN.md.
 * An import is one transaction: a file with a bad figure is refused with
 * its line and column, and the workspace stays as it was. */

G_DEFINE_QUARK (herald-results-error-quark, herald_results_error)
G_DEFINE_BOXED_TYPE (HeraldKpis, herald_kpis, herald_kpis_ref, herald_kpis_unref)

static const char * const preset_keys[] = { "auto", "mailchimp-campaigns", "mailchimp-report", "activity", "orders" };

static const char * const count_columns[N_COUNTS] = {
  "sent", "delivered", "soft_bounces", "hard_bounces", "unique_opens", "total_opens",
  "proxy_excluded_unique_opens", "unique_clicks", "total_clicks", "unsubscribes", "complaints", "orders",
  "revenue_minor", "reported_cost_minor",
};

void
_herald_results_link_free (HeraldResultsLink *link)
{
  g_free (link->url);
  g_free (link);
}

void
_herald_results_campaign_free (HeraldResultsCampaign *campaign)
{
  g_free (campaign->title);
  g_free (campaign->esp_id);
  g_free (campaign->variant);
  g_clear_pointer (&campaign->links, g_ptr_array_unref);
  g_free (campaign);
}

HeraldResultsCampaign *
_herald_results_campaign_new (guint line)
{
  HeraldResultsCampaign *campaign = g_new0 (HeraldResultsCampaign, 1);

  campaign->line = line;
  campaign->sent_at = -1;
  for (guint i = 0; i < N_COUNTS; i++)
    campaign->counts[i] = -1;
  return campaign;
}

/* A count of a row, NAN for NULL: a figure the report did not give. */
static double
column_count (sqlite3_stmt *stmt,
              int           column)
{
  return sqlite3_column_type (stmt, column) == SQLITE_NULL ? NAN : (double) sqlite3_column_int64 (stmt, column);
}

const char *
herald_results_preset_key (HeraldResultsPreset preset)
{
  g_return_val_if_fail (preset < G_N_ELEMENTS (preset_keys), NULL);
  return preset_keys[preset];
}

gboolean
herald_results_preset_from_key (const char          *key,
                                HeraldResultsPreset *preset)
{
  for (guint i = 0; key != NULL && i < G_N_ELEMENTS (preset_keys); i++)
    if (g_str_equal (key, preset_keys[i]))
      {
        *preset = i;
        return TRUE;
      }
  return FALSE;
}

/* Reading figures */

gboolean
_herald_results_collect_row (guint               line,
                             const char * const *fields,
                             guint               n_fields,
                             gpointer            user_data)
{
  HeraldResultsReader *reader = user_data;
  GStrv row = g_new0 (char *, n_fields + 1);

  for (guint i = 0; i < n_fields; i++)
    row[i] = g_strstrip (g_strdup (fields[i]));
  g_ptr_array_add (reader->rows, row);
  g_array_append_val (reader->lines, line);
  return reader->limit == 0 || reader->rows->len < reader->limit;
}

gboolean
_herald_results_fail_at (HeraldResultsReader *reader,
                         guint                line,
                         const char          *column,
                         const char          *format,
                         ...)
{
  g_autofree char *problem = NULL;
  va_list args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);
  if (column != NULL)
    /* Translators: file, line, column name, what is wrong. */
    g_set_error (reader->error, HERALD_RESULTS_ERROR, HERALD_RESULTS_ERROR_FORMAT, _("“%s”, line %u, column “%s”: %s"),
                 reader->file, line, column, problem);
  else
    g_set_error (reader->error, HERALD_RESULTS_ERROR, HERALD_RESULTS_ERROR_FORMAT, _("“%s”, line %u: %s"),
                 reader->file, line, problem);
  return FALSE;
}

gboolean
_herald_results_is_missing (const char *text)
{
  return text == NULL || *text == '\0' || g_ascii_strcasecmp (text, "n/a") == 0 || g_str_equal (text, "-");
}

/* A count as reports write it: "1,234", or "125 (7.2%)" with its rate,
 * which Herald works out again from the counts. */
gboolean
_herald_results_parse_count (HeraldResultsReader *reader,
                             guint                line,
                             const char          *column,
                             const char          *text,
                             gint64              *count)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  guint64 value;

  *count = -1;
  if (_herald_results_is_missing (text))
    return TRUE;
  for (const char *p = text; *p != '\0' && *p != '('; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
    else if (*p != ',' && *p != ' ' && *p != '\'')
      return _herald_results_fail_at (reader, line, column, _("“%s” is not a count"), text);
  if (!g_ascii_string_to_unsigned (digits->str, 10, 0, G_MAXINT64, &value, NULL))
    return _herald_results_fail_at (reader, line, column, _("“%s” is not a count"), text);
  *count = (gint64) value;
  return TRUE;
}

/* An amount such as "$1,234.56", "1234.5" or "€ 1.234,56", in minor
 * units. The last "." or "," is the decimal mark when one or two digits
 * follow it (or the amount is below one); the others group thousands. */
gboolean
_herald_results_parse_money (HeraldResultsReader *reader,
                             guint                line,
                             const char          *column,
                             const char          *text,
                             gint64              *minor)
{
  g_autoptr(GString) number = g_string_new (NULL);
  char *end = NULL;
  double value;
  int mark = -1;

  *minor = -1;
  if (_herald_results_is_missing (text))
    return TRUE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_ascii_isdigit (*p) || (*p == '-' && number->len == 0))
        g_string_append_c (number, *p);
      else if (*p == '.' || *p == ',')
        {
          mark = number->len;
          g_string_append_c (number, '.');
        }
      else if (g_unichar_isspace (c) || g_unichar_type (c) == G_UNICODE_CURRENCY_SYMBOL || g_ascii_isupper (*p)
               || *p == '\'')
        continue;
      else
        return _herald_results_fail_at (reader, line, column, _("“%s” is not an amount of money"), text);
    }
  /* Only the decimal mark stays. */
  if (mark >= 0)
    {
      gsize decimals = number->len - mark - 1;
      gboolean below_one = mark == 1 && number->str[0] == '0';
      gboolean is_decimal = decimals >= 1 && (decimals <= 2 || below_one);
      GString *digits = g_string_new (NULL);

      for (gsize i = 0; i < number->len; i++)
        if (number->str[i] != '.' || (is_decimal && i == (gsize) mark))
          g_string_append_c (digits, number->str[i]);
      g_string_assign (number, digits->str);
      g_string_free (digits, TRUE);
    }
  value = g_ascii_strtod (number->str, &end);
  if (number->len == 0 || *end != '\0' || !isfinite (value))
    return _herald_results_fail_at (reader, line, column, _("“%s” is not an amount of money"), text);
  *minor = (gint64) llround (value * 100);
  return TRUE;
}

/* "Jun 09, 2018 09:30 pm", in English whatever the language of the
 * export's reader; local time. */
gboolean
_herald_results_parse_date (HeraldResultsReader *reader,
                            guint                line,
                            const char          *column,
                            const char          *text,
                            gint64              *unix_time)
{
  static const char * const months[] = { "jan", "feb", "mar", "apr", "may", "jun",
                                         "jul", "aug", "sep", "oct", "nov", "dec" };
  char month[4] = { 0 }, meridiem[3] = { 0 };
  int day, year, hour, minute, consumed = 0;
  g_autoptr(GDateTime) time = NULL;
  int m = -1;

  *unix_time = -1;
  if (_herald_results_is_missing (text))
    return TRUE;
  if (sscanf (text, "%3s %d, %d %d:%d %2s%n", month, &day, &year, &hour, &minute, meridiem, &consumed) == 6
      && text[consumed] == '\0')
    {
      for (guint i = 0; i < G_N_ELEMENTS (months); i++)
        if (g_ascii_strcasecmp (month, months[i]) == 0)
          m = i + 1;
      if (g_ascii_strcasecmp (meridiem, "pm") == 0 && hour < 12)
        hour += 12;
      else if (g_ascii_strcasecmp (meridiem, "am") == 0 && hour == 12)
        hour = 0;
      else if (g_ascii_strcasecmp (meridiem, "am") != 0 && g_ascii_strcasecmp (meridiem, "pm") != 0)
        m = -1;
    }
  if (m > 0 && hour < 24 && minute < 60)
    time = g_date_time_new_local (year, m, day, hour, minute, 0);
  if (time == NULL)
    return _herald_results_fail_at (reader, line, column, _("“%s” is not a date such as “Jun 09, 2018 09:30 pm”"), text);
  *unix_time = g_date_time_to_unix (time);
  return TRUE;
}

/* Mailchimp's export of many campaigns */

typedef enum
{
  FIELD_COUNT,
  FIELD_MONEY,
} FieldKind;

static const struct
{
  const char *header;
  HeraldResultsCount count;
  FieldKind   kind;
} campaign_columns[] = {
  { "Total Recipients", COUNT_SENT, FIELD_COUNT },
  { "Successful Deliveries", COUNT_DELIVERED, FIELD_COUNT },
  { "Soft Bounces", COUNT_SOFT_BOUNCES, FIELD_COUNT },
  { "Hard Bounces", COUNT_HARD_BOUNCES, FIELD_COUNT },
  { "Unique Opens", COUNT_UNIQUE_OPENS, FIELD_COUNT },
  { "Total Opens", COUNT_TOTAL_OPENS, FIELD_COUNT },
  { "Unique Clicks", COUNT_UNIQUE_CLICKS, FIELD_COUNT },
  { "Total Clicks", COUNT_TOTAL_CLICKS, FIELD_COUNT },
  { "Unsubscribes", COUNT_UNSUBSCRIBES, FIELD_COUNT },
  { "Abuse Complaints", COUNT_COMPLAINTS, FIELD_COUNT },
  { "Total Orders", COUNT_ORDERS, FIELD_COUNT },
  { "Total Revenue", COUNT_REVENUE_MINOR, FIELD_MONEY },
  { "Campaign Cost", COUNT_REPORTED_COST_MINOR, FIELD_MONEY },
};

int
_herald_results_column_index (GStrv       header,
                              const char *name)
{
  for (guint i = 0; header[i] != NULL; i++)
    if (g_ascii_strcasecmp (header[i], name) == 0)
      return i;
  return -1;
}

static gboolean
read_campaigns (HeraldResultsReader *reader,
                GPtrArray           *campaigns)
{
  GStrv header = reader->rows->pdata[0];
  int title = _herald_results_column_index (header, "Title");
  int id = _herald_results_column_index (header, "Unique Id");
  int date = _herald_results_column_index (header, "Send Date");
  int columns[G_N_ELEMENTS (campaign_columns)];

  if (title < 0 || _herald_results_column_index (header, "Total Recipients") < 0)
    return _herald_results_fail_at (reader, g_array_index (reader->lines, guint, 0), NULL,
                    _("a campaign export needs the columns “Title” and “Total Recipients”"));
  for (guint c = 0; c < G_N_ELEMENTS (campaign_columns); c++)
    columns[c] = _herald_results_column_index (header, campaign_columns[c].header);

  for (guint r = 1; r < reader->rows->len; r++)
    {
      GStrv row = reader->rows->pdata[r];
      guint line = g_array_index (reader->lines, guint, r);
      guint n = g_strv_length (row);
      HeraldResultsCampaign *campaign;

      if (n != g_strv_length (header))
        return _herald_results_fail_at (reader, line, NULL,
                        ngettext ("the row has %u field where the header has %u",
                                  "the row has %u fields where the header has %u", n),
                        n, g_strv_length (header));
      if (*row[title] == '\0')
        return _herald_results_fail_at (reader, line, header[title], _("a campaign needs a title"));

      campaign = _herald_results_campaign_new (line);
      g_ptr_array_add (campaigns, campaign);
      campaign->title = g_strdup (row[title]);
      campaign->esp_id = id >= 0 && !_herald_results_is_missing (row[id]) ? g_strdup (row[id]) : NULL;
      campaign->variant = g_strdup ("");
      if (date >= 0 && !_herald_results_parse_date (reader, line, header[date], row[date], &campaign->sent_at))
        return FALSE;
      for (guint c = 0; c < G_N_ELEMENTS (campaign_columns); c++)
        {
          int i = columns[c];
          gint64 *value = &campaign->counts[campaign_columns[c].count];

          if (i < 0)
            continue;
          if (campaign_columns[c].kind == FIELD_COUNT ? !_herald_results_parse_count (reader, line, header[i], row[i], value)
                                                      : !_herald_results_parse_money (reader, line, header[i], row[i], value))
            return FALSE;
        }
    }
  return TRUE;
}

/* Mailchimp's report of one campaign */

static const struct
{
  const char *key;
  HeraldResultsCount count;
} report_keys[] = {
  { "Total Recipients:", COUNT_SENT },
  { "Successful Deliveries:", COUNT_DELIVERED },
  { "Recipients Who Opened:", COUNT_UNIQUE_OPENS },
  { "Total Opens:", COUNT_TOTAL_OPENS },
  { "Recipients Who Clicked:", COUNT_UNIQUE_CLICKS },
  { "Total Clicks:", COUNT_TOTAL_CLICKS },
  { "Total Unsubs:", COUNT_UNSUBSCRIBES },
  { "Total Abuse Complaints:", COUNT_COMPLAINTS },
};

static void
replace_string (char       **field,
                const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

/* Key/value rows; an A/B campaign repeats its statistics under
 * "Combination N Stats", each a variant of its own. The table of links
 * that follows is not a campaign's figures. */
static gboolean
read_report (HeraldResultsReader *reader,
             const char          *name,
             GPtrArray           *campaigns)
{
  HeraldResultsCampaign *whole = _herald_results_campaign_new (g_array_index (reader->lines, guint, 0));
  HeraldResultsCampaign *current = whole;

  g_ptr_array_add (campaigns, whole);
  whole->variant = g_strdup ("");

  for (guint r = 0; r < reader->rows->len; r++)
    {
      GStrv row = reader->rows->pdata[r];
      guint line = g_array_index (reader->lines, guint, r);
      const char *key = row[0];
      const char *value = row[0] != NULL && row[1] != NULL ? row[1] : "";

      if (key == NULL)
        continue;
      if (g_str_has_prefix (key, "Combination ") && g_str_has_suffix (key, " Stats"))
        {
          current = _herald_results_campaign_new (line);
          current->variant = g_strndup (key + strlen ("Combination "),
                                        strlen (key) - strlen ("Combination ") - strlen (" Stats"));
          g_ptr_array_add (campaigns, current);
          continue;
        }
      /* The table of links: "URL","Total Clicks","Unique Clicks". */
      if (g_ascii_strcasecmp (key, "URL") == 0)
        {
          whole->links = g_ptr_array_new_with_free_func ((GDestroyNotify) _herald_results_link_free);
          for (r++; r < reader->rows->len; r++)
            {
              GStrv link_row = reader->rows->pdata[r];
              HeraldResultsLink *link;

              line = g_array_index (reader->lines, guint, r);
              if (g_strv_length (link_row) < 3 || *link_row[0] == '\0')
                continue;
              link = g_new0 (HeraldResultsLink, 1);
              link->url = g_strdup (link_row[0]);
              g_ptr_array_add (whole->links, link);
              if (!_herald_results_parse_count (reader, line, "Total Clicks", link_row[1], &link->total_clicks)
                  || !_herald_results_parse_count (reader, line, "Unique Clicks", link_row[2], &link->unique_clicks))
                return FALSE;
            }
          break;
        }
      if (g_str_equal (key, "Title:"))
        replace_string (&whole->title, value);
      else if (g_str_equal (key, "Delivery Date/Time:")
               && !_herald_results_parse_date (reader, line, key, value, &whole->sent_at))
        return FALSE;
      for (guint k = 0; k < G_N_ELEMENTS (report_keys); k++)
        if (g_str_equal (key, report_keys[k].key)
            && !_herald_results_parse_count (reader, line, key, value, &current->counts[report_keys[k].count]))
          return FALSE;
    }

  if (name != NULL)
    replace_string (&whole->title, name);
  if (whole->title == NULL || *whole->title == '\0')
    return _herald_results_fail_at (reader, whole->line, NULL, _("the report has no “Title:”; name the campaign"));
  if (whole->counts[COUNT_SENT] < 0)
    return _herald_results_fail_at (reader, whole->line, NULL, _("the report has no “Total Recipients:”"));
  for (guint i = 1; i < campaigns->len; i++)
    {
      HeraldResultsCampaign *variant = campaigns->pdata[i];

      variant->title = g_strdup (whole->title);
      variant->sent_at = whole->sent_at;
    }
  return TRUE;
}

/* Storing */

static gint64
find_or_add_campaign (HeraldWorkspace        *workspace,
                      HeraldResultsCampaign  *campaign,
                      char                  **out_name,
                      GError                **error)
{
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autoptr(sqlite3_stmt) add = NULL;
  g_autofree char *name = g_strdup (campaign->title);

  /* The same campaign imported again is found by its id at the service,
   * or else by its name. */
  find = _herald_workspace_prepare (workspace,
                                    "SELECT id, name FROM campaigns"
                                    " WHERE (?1 IS NOT NULL AND esp = 'mailchimp' AND esp_id = ?1)"
                                    " OR (?1 IS NULL AND name = ?2)",
                                    error);
  if (find == NULL)
    return -1;
  sqlite3_bind_text (find, 1, campaign->esp_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (find, 2, campaign->title, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (find) == SQLITE_ROW)
    {
      *out_name = g_strdup ((const char *) sqlite3_column_text (find, 1));
      return sqlite3_column_int64 (find, 0);
    }

  /* Two campaigns of one title, such as every month's newsletter, are told
   * apart by their date. */
  for (guint n = 2;; n++)
    {
      g_autoptr(sqlite3_stmt) taken = _herald_workspace_prepare (workspace, "SELECT 1 FROM campaigns WHERE name = ?1",
                                                                 error);

      if (taken == NULL)
        return -1;
      sqlite3_bind_text (taken, 1, name, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (taken) != SQLITE_ROW)
        break;
      g_free (name);
      name = g_strdup_printf ("%s (%u)", campaign->title, n);
    }

  add = _herald_workspace_prepare (workspace,
                                   "INSERT INTO campaigns (name, esp, esp_id, sent_at, created_at)"
                                   " VALUES (?1, 'mailchimp', ?2, ?3, ?4)",
                                   error);
  if (add == NULL)
    return -1;
  sqlite3_bind_text (add, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (add, 2, campaign->esp_id, -1, SQLITE_TRANSIENT);
  if (campaign->sent_at >= 0)
    sqlite3_bind_int64 (add, 3, campaign->sent_at);
  sqlite3_bind_int64 (add, 4, g_get_real_time () / G_USEC_PER_SEC);
  if (sqlite3_step (add) != SQLITE_DONE)
    {
      _herald_workspace_set_db_error (workspace, error);
      return -1;
    }
  *out_name = g_steal_pointer (&name);
  return sqlite3_last_insert_rowid (_herald_workspace_get_db (workspace));
}

/* Replaces the campaign's figures: the same file twice counts once. */
static gboolean
store_results (HeraldWorkspace        *workspace,
               gint64                  id,
               HeraldResultsCampaign  *campaign,
               gboolean               *updated,
               GError                **error)
{
  g_autoptr(sqlite3_stmt) exists = NULL;
  g_autoptr(sqlite3_stmt) replace = NULL;
  g_autoptr(GString) sql = g_string_new ("INSERT OR REPLACE INTO campaign_results (campaign_id, variant, source, imported_at");

  exists = _herald_workspace_prepare (workspace, "SELECT 1 FROM campaign_results WHERE campaign_id = ?1 AND variant = ?2",
                                      error);
  if (exists == NULL)
    return FALSE;
  sqlite3_bind_int64 (exists, 1, id);
  sqlite3_bind_text (exists, 2, campaign->variant, -1, SQLITE_TRANSIENT);
  *updated = sqlite3_step (exists) == SQLITE_ROW;

  for (guint i = 0; i < N_COUNTS; i++)
    g_string_append_printf (sql, ", %s", count_columns[i]);
  g_string_append (sql, ") VALUES (?1, ?2, 'mailchimp', ?3");
  for (guint i = 0; i < N_COUNTS; i++)
    g_string_append_printf (sql, ", ?%u", i + 4);
  g_string_append (sql, ")");

  replace = _herald_workspace_prepare (workspace, sql->str, error);
  if (replace == NULL)
    return FALSE;
  sqlite3_bind_int64 (replace, 1, id);
  sqlite3_bind_text (replace, 2, campaign->variant, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (replace, 3, g_get_real_time () / G_USEC_PER_SEC);
  for (guint i = 0; i < N_COUNTS; i++)
    if (campaign->counts[i] >= 0)
      sqlite3_bind_int64 (replace, i + 4, campaign->counts[i]);
  if (sqlite3_step (replace) != SQLITE_DONE)
    {
      _herald_workspace_set_db_error (workspace, error);
      return FALSE;
    }

  /* A report's links replace those of the last import of it. */
  if (campaign->links != NULL)
    {
      g_autoptr(sqlite3_stmt) clear = _herald_workspace_prepare (workspace,
                                                                 "DELETE FROM campaign_links WHERE campaign_id = ?1",
                                                                 error);
      g_autoptr(sqlite3_stmt) add = NULL;

      if (clear == NULL)
        return FALSE;
      sqlite3_bind_int64 (clear, 1, id);
      if (sqlite3_step (clear) != SQLITE_DONE
          || !(add = _herald_workspace_prepare (workspace,
                                                "INSERT OR REPLACE INTO campaign_links (campaign_id, url, total_clicks,"
                                                " unique_clicks) VALUES (?1, ?2, ?3, ?4)",
                                                error)))
        {
          if (add == NULL && error != NULL && *error == NULL)
            _herald_workspace_set_db_error (workspace, error);
          return FALSE;
        }
      for (guint i = 0; i < campaign->links->len; i++)
        {
          HeraldResultsLink *link = campaign->links->pdata[i];

          sqlite3_reset (add);
          sqlite3_bind_int64 (add, 1, id);
          sqlite3_bind_text (add, 2, link->url, -1, SQLITE_TRANSIENT);
          if (link->total_clicks >= 0)
            sqlite3_bind_int64 (add, 3, link->total_clicks);
          else
            sqlite3_bind_null (add, 3);
          if (link->unique_clicks >= 0)
            sqlite3_bind_int64 (add, 4, link->unique_clicks);
          else
            sqlite3_bind_null (add, 4);
          if (sqlite3_step (add) != SQLITE_DONE)
            {
              _herald_workspace_set_db_error (workspace, error);
              return FALSE;
            }
        }
    }
  return TRUE;
}

/*
 * _herald_results_store:
 * @campaigns: (element-type HeraldResultsCampaign): a campaign as a whole,
 *   then its A/B variants, if any; or many campaigns
 *
 * Stores the figures in the transaction the caller opened, sets each
 * campaign's id, and counts new and updated campaigns and their names in
 * @report.
 */
gboolean
_herald_results_store (HeraldWorkspace      *workspace,
                       GPtrArray            *campaigns,
                       HeraldResultsReport  *report,
                       GError              **error)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  for (guint i = 0; i < campaigns->len; i++)
    {
      HeraldResultsCampaign *item = campaigns->pdata[i];
      g_autofree char *name = NULL;
      gboolean updated;

      /* The variants of a report belong to the campaign as a whole. */
      if (*item->variant != '\0' && item->esp_id == NULL)
        item->esp_id = g_strdup (((HeraldResultsCampaign *) campaigns->pdata[0])->esp_id);
      if ((item->id = find_or_add_campaign (workspace, item, &name, error)) < 0
          || !store_results (workspace, item->id, item, &updated, error))
        return FALSE;
      if (*item->variant == '\0')
        {
          report->imported += !updated;
          report->updated += updated;
          g_strv_builder_add (names, name);
        }
    }
  g_strfreev (report->campaigns);
  report->campaigns = g_strv_builder_end (names);
  return TRUE;
}

/**
 * herald_campaign_list_links:
 *
 * Returns: (transfer full) (element-type HeraldCampaignLink): the links of
 *   the campaign's report, the most clicked first; empty when it has none
 */
GPtrArray *
herald_campaign_list_links (HeraldWorkspace  *workspace,
                            const char       *campaign,
                            GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func ((GDestroyNotify) herald_campaign_link_free);
  int rc;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);

  stmt = _herald_workspace_prepare (workspace,
                                    "SELECT l.url, l.total_clicks, l.unique_clicks FROM campaign_links l"
                                    " JOIN campaigns c ON c.id = l.campaign_id WHERE c.name = ?1"
                                    " ORDER BY l.unique_clicks DESC, l.total_clicks DESC, l.url",
                                    error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, campaign, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HeraldCampaignLink *link = g_new0 (HeraldCampaignLink, 1);

      link->url = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      link->total_clicks = column_count (stmt, 1);
      link->unique_clicks = column_count (stmt, 2);
      g_ptr_array_add (links, link);
    }
  if (rc != SQLITE_DONE)
    {
      _herald_workspace_set_db_error (workspace, error);
      return NULL;
    }
  return g_steal_pointer (&links);
}

void
herald_campaign_link_free (HeraldCampaignLink *link)
{
  g_free (link->url);
  g_free (link);
}

void
herald_results_report_free (HeraldResultsReport *report)
{
  if (report == NULL)
    return;
  g_strfreev (report->campaigns);
  g_free (report);
}

/**
 * herald_results_import:
 * @preset: the kind of file, or HERALD_RESULTS_PRESET_AUTO to tell from
 *   its first rows
 * @campaign: (nullable): the name for a single campaign's report, instead
 *   of its "Title:"
 *
 * Imports campaign results in one transaction. Importing the same file
 * again replaces the figures it gave, so nothing is counted twice.
 *
 * Returns: (transfer full): what was imported, or %NULL with @error set
 *   (naming the file, line and column) and the workspace unchanged
 */
HeraldResultsReport *
herald_results_import (HeraldWorkspace      *workspace,
                       const char           *path,
                       HeraldResultsPreset   preset,
                       const char           *campaign,
                       GCancellable         *cancellable,
                       GError              **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) campaigns = g_ptr_array_new_with_free_func ((GDestroyNotify) _herald_results_campaign_free);
  g_autofree char *display = g_filename_display_basename (path);
  g_autoptr(HeraldResultsReport) report = NULL;
  HeraldCsvFormat format = { HERALD_CSV_ENCODING_AUTO, 0 };
  HeraldResultsReader reader = { display, rows, lines, error, 0 };

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  /* Activity and orders are streamed through a mapping; Mailchimp's
   * reports are read whole. */
  if (preset == HERALD_RESULTS_PRESET_AUTO || preset == HERALD_RESULTS_PRESET_ACTIVITY
      || preset == HERALD_RESULTS_PRESET_ORDERS)
    {
      g_autoptr(HeraldResultsMapping) mapping = herald_results_mapping_detect (path, preset, error);

      if (mapping == NULL)
        return NULL;
      if (mapping->preset == HERALD_RESULTS_PRESET_ACTIVITY || mapping->preset == HERALD_RESULTS_PRESET_ORDERS)
        return herald_results_import_mapped (workspace, path, mapping, campaign, NULL, NULL, cancellable, error);
      preset = mapping->preset;
    }

  if (!herald_csv_read_file (path, &format, _herald_results_collect_row, &reader, NULL, NULL, cancellable, error))
    return NULL;
  if (rows->len == 0)
    {
      g_set_error (error, HERALD_RESULTS_ERROR, HERALD_RESULTS_ERROR_FORMAT, _("“%s” is empty."), display);
      return NULL;
    }

  if (preset == HERALD_RESULTS_PRESET_MAILCHIMP_CAMPAIGNS ? !read_campaigns (&reader, campaigns)
                                                           : !read_report (&reader, campaign, campaigns))
    return NULL;

  report = g_new0 (HeraldResultsReport, 1);
  report->preset = preset;
  report->rows = preset == HERALD_RESULTS_PRESET_MAILCHIMP_CAMPAIGNS ? rows->len - 1 : 1;

  if (!_herald_workspace_begin (workspace, error))
    return NULL;
  if (!_herald_results_store (workspace, campaigns, report, error))
    {
      _herald_workspace_rollback (workspace);
      return NULL;
    }
  if (!_herald_workspace_commit (workspace, error))
    return NULL;
  return g_steal_pointer (&report);
}

typedef struct
{
  char                *workspace;
  char                *path;
  char                 *campaign;
  HeraldResultsPreset   preset;
  HeraldResultsMapping *mapping;
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_free (data->workspace);
  g_free (data->path);
  g_free (data->campaign);
  g_clear_pointer (&data->mapping, herald_results_mapping_free);
  g_free (data);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportData *data = task_data;
  g_autoptr(HeraldWorkspace) workspace = NULL;
  HeraldResultsReport *report;
  GError *error = NULL;

  if (!(workspace = herald_workspace_open (data->workspace, HERALD_WORKSPACE_OPEN_PRIVATE, &error))
      || !(report = data->mapping != NULL
                        ? herald_results_import_mapped (workspace, data->path, data->mapping, data->campaign, NULL, NULL,
                                                        cancellable, &error)
                        : herald_results_import (workspace, data->path, data->preset, data->campaign, cancellable,
                                                 &error)))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) herald_results_report_free);
}

/* Imports in a worker thread, on a connection of its own; with
 * @mapping, an activity or orders file mapped by the user. */
void
herald_results_import_async (HeraldWorkspace            *workspace,
                             const char                 *path,
                             HeraldResultsPreset         preset,
                             const HeraldResultsMapping *mapping,
                             const char                 *campaign,
                             GCancellable               *cancellable,
                             GAsyncReadyCallback         callback,
                             gpointer                    user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportData *data;

  g_return_if_fail (HERALD_IS_WORKSPACE (workspace));
  g_return_if_fail (path != NULL);

  data = g_new0 (ImportData, 1);
  data->workspace = g_strdup (herald_workspace_get_path (workspace));
  data->path = g_strdup (path);
  data->campaign = g_strdup (campaign);
  data->preset = preset;
  data->mapping = mapping != NULL ? herald_results_mapping_copy (mapping) : NULL;
  task = g_task_new (workspace, cancellable, callback, user_data);
  g_task_set_source_tag (task, herald_results_import_async);
  g_task_set_task_data (task, data, (GDestroyNotify) import_data_free);
  g_task_run_in_thread (task, import_thread);
}

HeraldResultsReport *
herald_results_import_finish (HeraldWorkspace  *workspace,
                              GAsyncResult     *result,
                              GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, workspace), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * herald_results_report_describe:
 *
 * Returns: (transfer full): what an import did, in a sentence for the
 *   user: campaigns read, events added or orders given to campaigns
 */
char *
herald_results_report_describe (const HeraldResultsReport *report)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;

  switch ((int) report->preset)
    {
    case HERALD_RESULTS_PRESET_ORDERS:
      first = g_strdup_printf (ngettext ("%u order read", "%u orders read", report->orders), report->orders);
      /* Translators: follows “N orders read”. */
      second = g_strdup_printf (ngettext (", %u of them given to a campaign.", ", %u of them given to campaigns.",
                                          report->attributed),
                                report->attributed);
      break;
    case HERALD_RESULTS_PRESET_ACTIVITY:
      first = g_strdup_printf (ngettext ("%u row read: ", "%u rows read: ", report->rows), report->rows);
      /* Translators: follows “N rows read: ”. */
      second = g_strdup_printf (ngettext ("%u new event.", "%u new events.", report->events), report->events);
      break;
    default:
      first = g_strdup_printf (ngettext ("%u campaign read: ", "%u campaigns read: ", report->rows), report->rows);
      /* Translators: follows “N campaigns read: ”. */
      second = g_strdup_printf (_("%u new, %u updated."), report->imported, report->updated);
      break;
    }
  if (report->unknown_contacts == 0)
    return g_strconcat (first, second, NULL);
  third = g_strdup_printf (ngettext ("%u row is about someone who is not in the audience; it was left out.",
                                     "%u rows are about people who are not in the audience; they were left out.",
                                     report->unknown_contacts),
                           report->unknown_contacts);
  return g_strconcat (first, second, " ", third, NULL);
}

char *
herald_results_report_to_json (HeraldResultsReport *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "rows");
  json_builder_add_int_value (builder, report->rows);
  json_builder_set_member_name (builder, "imported");
  json_builder_add_int_value (builder, report->imported);
  json_builder_set_member_name (builder, "updated");
  json_builder_add_int_value (builder, report->updated);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, herald_results_preset_key (report->preset));
  json_builder_set_member_name (builder, "events");
  json_builder_add_int_value (builder, report->events);
  json_builder_set_member_name (builder, "orders");
  json_builder_add_int_value (builder, report->orders);
  json_builder_set_member_name (builder, "attributed");
  json_builder_add_int_value (builder, report->attributed);
  json_builder_set_member_name (builder, "unknown_contacts");
  json_builder_add_int_value (builder, report->unknown_contacts);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

/* KPIs */

HeraldKpis *
herald_kpis_ref (HeraldKpis *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
herald_kpis_unref (HeraldKpis *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->campaign);
  g_free (self->variant);
  g_free (self->currency);
  g_free (self);
}

/* A campaign's figures: its report's, or else counted from its
 * recipients' events (each person once, as unique opens and clicks are);
 * orders given to it by attribution are its conversions and revenue. */
#define KPI_EVENTS(where) \
  "WITH ev AS (SELECT campaign_id," \
  " count(DISTINCT contact_id) FILTER (WHERE kind = 'sent') AS sent," \
  " count(DISTINCT contact_id) FILTER (WHERE kind = 'delivered') AS delivered," \
  " count(DISTINCT contact_id) FILTER (WHERE kind = 'bounce') AS bounces," \
  " count(DISTINCT contact_id) FILTER (WHERE kind = 'open') AS unique_opens," \
  " count(*) FILTER (WHERE kind = 'open') AS total_opens," \
  " count(DISTINCT contact_id) FILTER (WHERE kind = 'click') AS unique_clicks," \
  " count(*) FILTER (WHERE kind = 'click') AS total_clicks," \
  " count(DISTINCT contact_id) FILTER (WHERE kind = 'unsubscribe') AS unsubscribes," \
  " count(DISTINCT contact_id) FILTER (WHERE kind = 'complaint') AS complaints," \
  " count(*) FILTER (WHERE kind = 'conversion') AS conversions," \
  " sum(value_minor) FILTER (WHERE kind = 'conversion') AS revenue_minor" \
  " FROM events WHERE " where " GROUP BY campaign_id) "

#define KPI_COUNT(column) "CASE WHEN r.campaign_id IS NULL THEN ev." column " ELSE r." column " END"

#define KPI_SELECT \
  "SELECT c.name, '', c.sent_at," \
  " CASE WHEN r.campaign_id IS NULL THEN nullif (ev.sent, 0) ELSE r.sent END," \
  " CASE WHEN r.campaign_id IS NULL THEN nullif (ev.delivered, 0) ELSE r.delivered END," \
  " CASE WHEN r.campaign_id IS NULL THEN ev.bounces ELSE r.soft_bounces END, r.hard_bounces," \
  " " KPI_COUNT ("unique_opens") ", " KPI_COUNT ("total_opens") ", r.proxy_excluded_unique_opens," \
  " " KPI_COUNT ("unique_clicks") ", " KPI_COUNT ("total_clicks") "," \
  " " KPI_COUNT ("unsubscribes") ", " KPI_COUNT ("complaints") "," \
  " CASE WHEN ev.conversions > 0 OR r.campaign_id IS NULL THEN ev.conversions ELSE r.orders END," \
  " CASE WHEN ev.conversions > 0 OR r.campaign_id IS NULL THEN ev.revenue_minor ELSE r.revenue_minor END," \
  " r.reported_cost_minor, k.fixed_minor, k.per_1000_minor, k.labour_minor" \
  " FROM campaigns c LEFT JOIN campaign_results r ON r.campaign_id = c.id AND r.variant = ''" \
  " LEFT JOIN ev ON ev.campaign_id = c.id" \
  " LEFT JOIN campaign_costs k ON k.campaign_id = c.id" \
  " WHERE (r.campaign_id IS NOT NULL OR ev.campaign_id IS NOT NULL)"

/* The KPIs of DESIGN.md from a row of KPI_SELECT. */
static HeraldKpis *
kpis_from_row (sqlite3_stmt *stmt,
               const char   *currency)
{
  HeraldKpis *self = g_new0 (HeraldKpis, 1);
  double soft, hard;

  g_atomic_ref_count_init (&self->ref_count);
  self->campaign = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  self->variant = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  self->sent_at = sqlite3_column_type (stmt, 2) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 2);
  self->sent = column_count (stmt, 3);
  self->delivered = column_count (stmt, 4);
  soft = column_count (stmt, 5);
  hard = column_count (stmt, 6);
  /* Bounces as the report counts them, or what did not arrive. */
  if (!isnan (soft) || !isnan (hard))
    self->bounces = (isnan (soft) ? 0 : soft) + (isnan (hard) ? 0 : hard);
  else
    self->bounces = self->sent - self->delivered;
  if (isnan (self->delivered))
    self->delivered = self->sent - self->bounces;
  if (isnan (self->sent) && !isnan (self->delivered))
    self->sent = self->delivered + (isnan (self->bounces) ? 0 : self->bounces);
  self->unique_opens = column_count (stmt, 7);
  self->total_opens = column_count (stmt, 8);
  self->proxy_excluded_unique_opens = column_count (stmt, 9);
  self->unique_clicks = column_count (stmt, 10);
  self->total_clicks = column_count (stmt, 11);
  self->unsubscribes = column_count (stmt, 12);
  self->complaints = column_count (stmt, 13);
  self->conversions = column_count (stmt, 14);
  self->revenue = column_count (stmt, 15) / 100;
  if (isnan (self->revenue))
    self->revenue = 0;

  /* The costs the marketer gave, or else what the report says. */
  if (sqlite3_column_type (stmt, 17) != SQLITE_NULL)
    self->cost = (sqlite3_column_int64 (stmt, 17) + sqlite3_column_int64 (stmt, 19)
                  + sqlite3_column_int64 (stmt, 18) * (isnan (self->sent) ? 0 : self->sent) / 1000) / 100;
  else if (sqlite3_column_type (stmt, 16) != SQLITE_NULL)
    self->cost = sqlite3_column_int64 (stmt, 16) / 100.0;
  self->currency = g_strdup (currency);

  self->profit = self->revenue - self->cost;
  self->open_rate = herald_ratio (self->unique_opens, self->delivered);
  self->click_rate = herald_ratio (self->unique_clicks, self->delivered);
  self->click_to_open_rate = herald_ratio (self->unique_clicks, self->unique_opens);
  self->bounce_rate = herald_ratio (self->bounces, self->sent);
  self->unsubscribe_rate = herald_ratio (self->unsubscribes, self->delivered);
  self->complaint_rate = herald_ratio (self->complaints, self->delivered);
  self->conversion_rate = herald_ratio (self->conversions, self->delivered);
  self->revenue_per_recipient = herald_ratio (self->revenue, self->delivered);
  self->roi = herald_ratio (self->revenue - self->cost, self->cost);
  self->roas = herald_ratio (self->revenue, self->cost);
  self->cost_per_conversion = herald_ratio (self->cost, self->conversions);
  return self;
}

/**
 * herald_campaign_get_kpis:
 *
 * Returns: (transfer full): the campaign's figures and KPIs, or %NULL
 *   with @error set when it has no results
 */
HeraldKpis *
herald_campaign_get_kpis (HeraldWorkspace  *workspace,
                          const char       *campaign,
                          GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *currency = NULL;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (campaign != NULL, NULL);

  stmt = _herald_workspace_prepare (workspace,
                                    KPI_EVENTS ("campaign_id = (SELECT id FROM campaigns WHERE name = ?1)")
                                    KPI_SELECT " AND c.name = ?1",
                                    error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, campaign, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, HERALD_RESULTS_ERROR, HERALD_RESULTS_ERROR_NOT_FOUND,
                   _("No campaign called “%s” has results. Import its report first."), campaign);
      return NULL;
    }
  currency = herald_workspace_get_setting (workspace, "currency");
  return kpis_from_row (stmt, currency != NULL ? currency : "EUR");
}

/* The KPIs of each row of @stmt, a KPI_SELECT with ?1 bound to @name. */
static GPtrArray *
list_kpis (HeraldWorkspace  *workspace,
           const char       *sql,
           const char       *name,
           GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) herald_kpis_unref);
  g_autofree char *currency = NULL;
  int rc;

  if (!(stmt = _herald_workspace_prepare (workspace, sql, error)))
    return NULL;
  if (name != NULL)
    sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  currency = herald_workspace_get_setting (workspace, "currency");
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, kpis_from_row (stmt, currency != NULL ? currency : "EUR"));
  if (rc != SQLITE_DONE)
    {
      _herald_workspace_set_db_error (workspace, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

/**
 * herald_campaigns_list_kpis:
 *
 * Returns: (transfer full) (element-type HeraldKpis): every campaign with
 *   results, the latest first
 */
GPtrArray *
herald_campaigns_list_kpis (HeraldWorkspace  *workspace,
                            GError          **error)
{
  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);

  return list_kpis (workspace, KPI_EVENTS ("campaign_id IS NOT NULL") KPI_SELECT " ORDER BY c.sent_at DESC, c.name",
                    NULL, error);
}

/**
 * herald_template_list_kpis:
 *
 * Returns: (transfer full) (element-type HeraldKpis): the campaigns with
 *   results that sent the template, the latest first
 */
GPtrArray *
herald_template_list_kpis (HeraldWorkspace  *workspace,
                           const char       *template,
                           GError          **error)
{
  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (template != NULL, NULL);

  return list_kpis (workspace,
                    KPI_EVENTS ("campaign_id IN (SELECT id FROM campaigns"
                                " WHERE template_id = (SELECT id FROM templates WHERE name = ?1))")
                    KPI_SELECT " AND c.template_id = (SELECT id FROM templates WHERE name = ?1)"
                    " ORDER BY c.sent_at DESC, c.name",
                    template, error);
}

/**
 * herald_template_describe_results:
 *
 * Returns: (transfer full) (nullable): what the campaigns that sent the
 *   template brought, in a line: "2 campaigns, open rate 45%, revenue
 *   €1,200.00"; %NULL when none has results
 */
char *
herald_template_describe_results (HeraldWorkspace *workspace,
                                  const char      *template)
{
  g_autoptr(GPtrArray) list = herald_template_list_kpis (workspace, template, NULL);
  g_autoptr(HeraldPeriodFigures) figures = NULL;
  g_autofree char *campaigns = NULL;
  g_autofree char *open_rate = NULL;
  g_autofree char *revenue = NULL;

  if (list == NULL || list->len == 0)
    return NULL;
  figures = herald_kpis_add_up (list);
  campaigns = g_strdup_printf (ngettext ("%u campaign", "%u campaigns", figures->campaigns), figures->campaigns);
  open_rate = herald_format_percent (figures->open_rate);
  revenue = herald_format_money (figures->revenue, figures->currency);
  /* Translators: what the campaigns that sent a template brought:
   * "2 campaigns, open rate 45%, revenue €1,200.00". */
  return g_strdup_printf (_("%s, open rate %s, revenue %s"), campaigns, open_rate, revenue);
}

/**
 * herald_segment_list_kpis:
 *
 * Returns: (transfer full) (element-type HeraldKpis): the campaigns with
 *   results that were sent to the segment, the latest first
 */
GPtrArray *
herald_segment_list_kpis (HeraldWorkspace  *workspace,
                          const char       *segment,
                          GError          **error)
{
  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (segment != NULL, NULL);

  return list_kpis (workspace,
                    KPI_EVENTS ("campaign_id IN (SELECT id FROM campaigns"
                                " WHERE segment_id = (SELECT id FROM segments WHERE name = ?1))")
                    KPI_SELECT " AND c.segment_id = (SELECT id FROM segments WHERE name = ?1)"
                    " ORDER BY c.sent_at DESC, c.name",
                    segment, error);
}

/**
 * herald_segment_describe_results:
 *
 * Returns: (transfer full) (nullable): what the campaigns sent to the
 *   segment brought, in a line: "2 campaigns, revenue €1,200.00, cost
 *   €300.00, ROI 300%"; %NULL when none has results
 */
char *
herald_segment_describe_results (HeraldWorkspace *workspace,
                                 const char      *segment)
{
  g_autoptr(GPtrArray) list = herald_segment_list_kpis (workspace, segment, NULL);
  g_autoptr(HeraldPeriodFigures) figures = NULL;

  if (list == NULL || list->len == 0)
    return NULL;
  figures = herald_kpis_add_up (list);
  return herald_period_describe (figures);
}

/**
 * herald_campaign_get_origin:
 * @template: (out) (optional) (nullable): the template the campaign sent
 * @flow: (out) (optional) (nullable): the flow whose step sent it
 * @step: (out) (optional) (nullable): that step's id
 * @segment: (out) (optional) (nullable): the segment it was sent to
 *
 * Returns: %FALSE with @error set when there is no such campaign
 */
gboolean
herald_campaign_get_origin (HeraldWorkspace  *workspace,
                            const char       *campaign,
                            char            **template,
                            char            **flow,
                            char            **step,
                            char            **segment,
                            GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), FALSE);

  stmt = _herald_workspace_prepare (workspace,
                                    "SELECT t.name, f.name, c.flow_node, s.name FROM campaigns c"
                                    " LEFT JOIN templates t ON t.id = c.template_id"
                                    " LEFT JOIN flows f ON f.id = c.flow_id"
                                    " LEFT JOIN segments s ON s.id = c.segment_id WHERE c.name = ?1",
                                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, campaign, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, HERALD_RESULTS_ERROR, HERALD_RESULTS_ERROR_NOT_FOUND, _("There is no campaign “%s”."),
                   campaign);
      return FALSE;
    }
  if (template != NULL)
    *template = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (flow != NULL)
    *flow = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  if (step != NULL)
    *step = sqlite3_column_type (stmt, 1) != SQLITE_NULL ? g_strdup ((const char *) sqlite3_column_text (stmt, 2))
                                                         : NULL;
  if (segment != NULL)
    *segment = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  return TRUE;
}

/* Sets a campaign's template or segment (@table, "templates" or
 * "segments") by name, or none. */
static gboolean
set_campaign_link (HeraldWorkspace  *workspace,
                   const char       *campaign,
                   const char       *column,
                   const char       *table,
                   const char       *name,
                   GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = g_strdup_printf ("UPDATE campaigns SET %s = (SELECT id FROM %s WHERE name = ?2)"
                                          " WHERE name = ?1 AND (?2 IS NULL OR EXISTS (SELECT 1 FROM %s"
                                          " WHERE name = ?2))",
                                          column, table, table);

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), FALSE);
  g_return_val_if_fail (campaign != NULL, FALSE);

  if (!(stmt = _herald_workspace_prepare (workspace, sql, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, campaign, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _herald_workspace_set_db_error (workspace, error);
      return FALSE;
    }
  if (sqlite3_changes (_herald_workspace_get_db (workspace)) == 0)
    {
      if (name != NULL && g_str_equal (table, "templates"))
        g_set_error (error, HERALD_RESULTS_ERROR, HERALD_RESULTS_ERROR_NOT_FOUND,
                     _("There is no campaign “%s” or no template “%s”."), campaign, name);
      else if (name != NULL)
        g_set_error (error, HERALD_RESULTS_ERROR, HERALD_RESULTS_ERROR_NOT_FOUND,
                     _("There is no campaign “%s” or no segment “%s”."), campaign, name);
      else
        g_set_error (error, HERALD_RESULTS_ERROR, HERALD_RESULTS_ERROR_NOT_FOUND, _("There is no campaign “%s”."),
                     campaign);
      return FALSE;
    }
  return TRUE;
}

/**
 * herald_campaign_set_template:
 * @template: (nullable): the template the campaign sent, or %NULL for none
 */
gboolean
herald_campaign_set_template (HeraldWorkspace  *workspace,
                              const char       *campaign,
                              const char       *template,
                              GError          **error)
{
  return set_campaign_link (workspace, campaign, "template_id", "templates", template, error);
}

/**
 * herald_campaign_set_segment:
 * @segment: (nullable): the segment the campaign was sent to, or %NULL
 */
gboolean
herald_campaign_set_segment (HeraldWorkspace  *workspace,
                             const char       *campaign,
                             const char       *segment,
                             GError          **error)
{
  return set_campaign_link (workspace, campaign, "segment_id", "segments", segment, error);
}

/* Costs */

/**
 * herald_campaign_set_costs:
 *
 * Sets what a campaign cost, in the workspace currency: fixed costs, a
 * price per 1,000 emails and labour. These replace the cost its report
 * gave in every KPI.
 */
gboolean
herald_campaign_set_costs (HeraldWorkspace  *workspace,
                           const char       *campaign,
                           double            fixed,
                           double            per_1000,
                           double            labour,
                           GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), FALSE);
  g_return_val_if_fail (campaign != NULL, FALSE);
  g_return_val_if_fail (fixed >= 0 && per_1000 >= 0 && labour >= 0, FALSE);

  stmt = _herald_workspace_prepare (workspace,
                                    "INSERT OR REPLACE INTO campaign_costs (campaign_id, fixed_minor, per_1000_minor,"
                                    " labour_minor) SELECT id, ?2, ?3, ?4 FROM campaigns WHERE name = ?1",
                                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, campaign, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, llround (fixed * 100));
  sqlite3_bind_int64 (stmt, 3, llround (per_1000 * 100));
  sqlite3_bind_int64 (stmt, 4, llround (labour * 100));
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _herald_workspace_set_db_error (workspace, error);
      return FALSE;
    }
  if (sqlite3_changes (_herald_workspace_get_db (workspace)) == 0)
    {
      g_set_error (error, HERALD_RESULTS_ERROR, HERALD_RESULTS_ERROR_NOT_FOUND,
                   _("There is no campaign called “%s”."), campaign);
      return FALSE;
    }
  return TRUE;
}

/**
 * herald_campaign_get_costs:
 *
 * Returns: whether costs were given for the campaign; the three amounts
 *   are 0 when not
 */
gboolean
herald_campaign_get_costs (HeraldWorkspace *workspace,
                           const char      *campaign,
                           double          *fixed,
                           double          *per_1000,
                           double          *labour)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), FALSE);

  *fixed = *per_1000 = *labour = 0;
  stmt = _herald_workspace_prepare (workspace,
                                    "SELECT k.fixed_minor, k.per_1000_minor, k.labour_minor FROM campaign_costs k"
                                    " JOIN campaigns c ON c.id = k.campaign_id WHERE c.name = ?1",
                                    NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, campaign, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  *fixed = sqlite3_column_int64 (stmt, 0) / 100.0;
  *per_1000 = sqlite3_column_int64 (stmt, 1) / 100.0;
  *labour = sqlite3_column_int64 (stmt, 2) / 100.0;
  return TRUE;
}

/* A/B tests */

static const char * const metric_keys[HERALD_N_AB_METRICS] = { "opens", "clicks", "conversions" };
static const char * const metric_columns[HERALD_N_AB_METRICS] = { "unique_opens", "unique_clicks", "orders" };

const char *
herald_ab_metric_key (HeraldAbMetric metric)
{
  g_return_val_if_fail (metric < HERALD_N_AB_METRICS, NULL);
  return metric_keys[metric];
}

gboolean
herald_ab_metric_from_key (const char     *key,
                           HeraldAbMetric *metric)
{
  for (guint i = 0; key != NULL && i < HERALD_N_AB_METRICS; i++)
    if (g_str_equal (key, metric_keys[i]))
      {
        *metric = i;
        return TRUE;
      }
  return FALSE;
}

/**
 * herald_two_proportion_z_test:
 * @p_value: (out): the two-sided p-value, NAN when it cannot be known
 *
 * Returns: z for the difference of two shares, A's minus B's, with the
 *   pooled standard error; NAN when a side has no trials or the pooled
 *   share is 0 or 1
 */
double
herald_two_proportion_z_test (double  successes_a,
                              double  trials_a,
                              double  successes_b,
                              double  trials_b,
                              double *p_value)
{
  double pooled, error, z;

  *p_value = NAN;
  if (!(trials_a > 0) || !(trials_b > 0))
    return NAN;
  pooled = (successes_a + successes_b) / (trials_a + trials_b);
  error = sqrt (pooled * (1 - pooled) * (1 / trials_a + 1 / trials_b));
  if (!(error > 0))
    return NAN;
  z = (successes_a / trials_a - successes_b / trials_b) / error;
  *p_value = erfc (fabs (z) / G_SQRT2);
  return z;
}

static void
ab_variant_free (HeraldAbVariant *variant)
{
  g_free (variant->variant);
  g_free (variant);
}

void
herald_ab_test_free (HeraldAbTest *test)
{
  if (test == NULL)
    return;
  g_ptr_array_unref (test->variants);
  g_free (test);
}

static int
compare_rates (gconstpointer a,
               gconstpointer b)
{
  const HeraldAbVariant *x = *(HeraldAbVariant **) a, *y = *(HeraldAbVariant **) b;

  if (isnan (x->rate) || isnan (y->rate))
    return isnan (x->rate) - isnan (y->rate);
  return (y->rate > x->rate) - (y->rate < x->rate);
}

/**
 * herald_campaign_ab_test:
 *
 * Compares the variants of a campaign (its A/B combinations) on @metric,
 * per delivered email, or per email sent where the report gives no
 * deliveries.
 *
 * Returns: (transfer full): the test, with no variants for a campaign
 *   that had none, or %NULL with @error set
 */
HeraldAbTest *
herald_campaign_ab_test (HeraldWorkspace  *workspace,
                         const char       *campaign,
                         HeraldAbMetric    metric,
                         GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(HeraldAbTest) test = g_new0 (HeraldAbTest, 1);
  g_autofree char *sql = NULL;
  int rc;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (metric < HERALD_N_AB_METRICS, NULL);

  test->metric = metric;
  test->variants = g_ptr_array_new_with_free_func ((GDestroyNotify) ab_variant_free);
  test->z = test->p_value = NAN;

  sql = g_strdup_printf ("SELECT r.variant, coalesce (r.delivered, r.sent), r.%s FROM campaign_results r"
                         " JOIN campaigns c ON c.id = r.campaign_id WHERE c.name = ?1 AND r.variant != ''"
                         " ORDER BY r.variant",
                         metric_columns[metric]);
  if ((stmt = _herald_workspace_prepare (workspace, sql, error)) == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, campaign, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HeraldAbVariant *variant = g_new0 (HeraldAbVariant, 1);

      variant->variant = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      variant->recipients = column_count (stmt, 1);
      variant->successes = column_count (stmt, 2);
      variant->rate = herald_ratio (variant->successes, variant->recipients);
      g_ptr_array_add (test->variants, variant);
    }
  if (rc != SQLITE_DONE)
    {
      _herald_workspace_set_db_error (workspace, error);
      return NULL;
    }

  g_ptr_array_sort (test->variants, compare_rates);
  if (test->variants->len >= 2)
    {
      HeraldAbVariant *best = test->variants->pdata[0];
      HeraldAbVariant *next = test->variants->pdata[1];

      test->z = herald_two_proportion_z_test (best->successes, best->recipients, next->successes, next->recipients,
                                              &test->p_value);
      test->enough_data = TRUE;
      for (guint i = 0; i < 2; i++)
        {
          HeraldAbVariant *variant = test->variants->pdata[i];

          test->enough_data &= !isnan (variant->successes) && variant->successes >= 5
                               && variant->recipients - variant->successes >= 5;
        }
      test->significant = test->enough_data && test->p_value < 0.05;
    }
  return g_steal_pointer (&test);
}

/**
 * herald_ab_test_describe:
 *
 * Returns: (transfer full): the test's verdict in a sentence, as the
 *   report and the Results page give it
 */
char *
herald_ab_test_describe (const HeraldAbTest *test)
{
  static const char * const metrics[HERALD_N_AB_METRICS] = { N_("opens"), N_("clicks"), N_("conversions") };
  g_autofree char *p = NULL;

  g_return_val_if_fail (test != NULL, NULL);

  if (test->variants->len < 2)
    return g_strdup (_("There is nothing to compare: the campaign has one variant."));
  if (!test->enough_data)
    /* Translators: %s is opens, clicks or conversions. */
    return g_strdup_printf (_("Too few %s to tell the variants apart; a test needs at least five of them, and five "
                              "recipients without, in each."),
                            _(metrics[test->metric]));
  p = herald_format_decimal (test->p_value, 3);
  if (test->significant)
    /* Translators: variant, opens/clicks/conversions, p-value: “Variant 2 wins on opens (p = 0.020).” */
    return g_strdup_printf (_("Variant %s wins on %s (p = %s)."),
                            ((HeraldAbVariant *) test->variants->pdata[0])->variant, _(metrics[test->metric]), p);
  /* Translators: opens/clicks/conversions, p-value. */
  return g_strdup_printf (_("No winner on %s yet: the difference may be chance (p = %s)."), _(metrics[test->metric]), p);
}

/**
 * herald_campaign_link_flow:
 * @flow: (nullable): the flow whose step sent the campaign, or %NULL to
 *   link it to none
 * @step: (nullable): the step's id
 *
 * Links a campaign to the flow step that sent it, so the flow's forecast
 * meets its results; an email step's template becomes the campaign's.
 */
gboolean
herald_campaign_link_flow (HeraldWorkspace  *workspace,
                           const char       *campaign,
                           const char       *flow,
                           const char       *step,
                           GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(HeraldFlow) loaded = NULL;
  g_autoptr(HeraldTemplateRecord) record = NULL;
  HeraldFlowNode *node;
  const char *template;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), FALSE);
  g_return_val_if_fail (campaign != NULL && (flow == NULL || step != NULL), FALSE);

  stmt = _herald_workspace_prepare (workspace,
                                    "UPDATE campaigns SET flow_id = (SELECT id FROM flows WHERE name = ?2), flow_node = ?3"
                                    " WHERE name = ?1 AND (?2 IS NULL OR EXISTS (SELECT 1 FROM flows WHERE name = ?2))",
                                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, campaign, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, flow, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, flow != NULL ? step : NULL, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _herald_workspace_set_db_error (workspace, error);
      return FALSE;
    }
  if (sqlite3_changes (_herald_workspace_get_db (workspace)) == 0)
    {
      if (flow != NULL)
        g_set_error (error, HERALD_RESULTS_ERROR, HERALD_RESULTS_ERROR_NOT_FOUND,
                     _("There is no campaign “%s” or no flow “%s”."), campaign, flow);
      else
        g_set_error (error, HERALD_RESULTS_ERROR, HERALD_RESULTS_ERROR_NOT_FOUND, _("There is no campaign “%s”."),
                     campaign);
      return FALSE;
    }
  if (flow == NULL || !(loaded = herald_flows_get (workspace, flow, NULL))
      || !(node = herald_flow_get_node (loaded, step)) || node->type != HERALD_FLOW_NODE_EMAIL)
    return TRUE;
  template = json_object_get_string_member_with_default (node->config, "template", "");
  /* A step may name a template the workspace no longer has. */
  if (*template == '\0' || !(record = herald_templates_get (workspace, template, NULL)))
    return TRUE;
  return herald_campaign_set_template (workspace, campaign, template, error);
}

/**
 * herald_campaign_set_origin:
 * @template: (nullable): the template, used when @flow is %NULL; a flow's
 *   email step brings its own
 * @flow: (nullable): the flow whose step sent the campaign, or %NULL
 * @step: (nullable): that step's id
 * @segment: (nullable): the segment the campaign was sent to
 *
 * Sets where a campaign came from, all of it or none in one transaction.
 */
gboolean
herald_campaign_set_origin (HeraldWorkspace  *workspace,
                            const char       *campaign,
                            const char       *template,
                            const char       *flow,
                            const char       *step,
                            const char       *segment,
                            GError          **error)
{
  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), FALSE);

  if (!_herald_workspace_begin (workspace, error))
    return FALSE;
  if (!herald_campaign_set_segment (workspace, campaign, segment, error)
      || !herald_campaign_link_flow (workspace, campaign, flow, step, error)
      || (flow == NULL && !herald_campaign_set_template (workspace, campaign, template, error)))
    {
      _herald_workspace_rollback (workspace);
      return FALSE;
    }
  return _herald_workspace_commit (workspace, error);
}

/**
 * herald_flow_get_actuals:
 *
 * Returns: (transfer full) (element-type utf8 HeraldKpis): step id → the
 *   results of the campaigns that step sent, added up; empty when none
 *   is linked to the flow
 */
GHashTable *
herald_flow_get_actuals (HeraldWorkspace  *workspace,
                         const char       *flow,
                         GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) actuals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) herald_kpis_unref);
  g_autofree char *currency = NULL;
  int rc;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (flow != NULL, NULL);

  /* The columns of KPI_SELECT, added up over the step's campaigns; each
   * campaign's own costs are worked out before they are added. */
  stmt = _herald_workspace_prepare (workspace,
    "SELECT c.flow_node, '', max (c.sent_at), sum (r.sent), sum (r.delivered), sum (r.soft_bounces),"
    " sum (r.hard_bounces), sum (r.unique_opens), sum (r.total_opens), sum (r.proxy_excluded_unique_opens),"
    " sum (r.unique_clicks), sum (r.total_clicks), sum (r.unsubscribes), sum (r.complaints), sum (r.orders),"
    " sum (r.revenue_minor), sum (r.reported_cost_minor),"
    " CAST (round (sum (k.fixed_minor + k.labour_minor + k.per_1000_minor * coalesce (r.sent, 0) / 1000.0)) AS INTEGER),"
    " 0, 0"
    " FROM campaigns c JOIN flows f ON f.id = c.flow_id"
    " JOIN campaign_results r ON r.campaign_id = c.id AND r.variant = ''"
    " LEFT JOIN campaign_costs k ON k.campaign_id = c.id"
    " WHERE f.name = ?1 AND c.flow_node IS NOT NULL GROUP BY c.flow_node",
    error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, flow, -1, SQLITE_TRANSIENT);
  currency = herald_workspace_get_setting (workspace, "currency");
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HeraldKpis *kpis = kpis_from_row (stmt, currency != NULL ? currency : "EUR");

      g_hash_table_insert (actuals, g_strdup (kpis->campaign), kpis);
    }
  if (rc != SQLITE_DONE)
    {
      _herald_workspace_set_db_error (workspace, error);
      return NULL;
    }
  return g_steal_pointer (&actuals);
}

/**
 * herald_kpis_to_json:
 *
 * Returns: (transfer full): the keys of `herald-cli report --json`: rates
 *   and ROI as fractions, money in major units, n/a as null
 */
char *
herald_kpis_to_json (const HeraldKpis *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "campaign");
  json_builder_add_string_value (builder, self->campaign);
  _herald_json_add_figure (builder, "sent", self->sent);
  _herald_json_add_figure (builder, "delivered", self->delivered);
  _herald_json_add_figure (builder, "bounces", self->bounces);
  _herald_json_add_figure (builder, "unique_opens", self->unique_opens);
  _herald_json_add_figure (builder, "total_opens", self->total_opens);
  _herald_json_add_figure (builder, "proxy_excluded_unique_opens", self->proxy_excluded_unique_opens);
  _herald_json_add_figure (builder, "unique_clicks", self->unique_clicks);
  _herald_json_add_figure (builder, "total_clicks", self->total_clicks);
  _herald_json_add_figure (builder, "unsubscribes", self->unsubscribes);
  _herald_json_add_figure (builder, "complaints", self->complaints);
  _herald_json_add_figure (builder, "conversions", self->conversions);
  _herald_json_add_figure (builder, "revenue", self->revenue);
  _herald_json_add_figure (builder, "cost", self->cost);
  _herald_json_add_figure (builder, "profit", self->profit);
  _herald_json_add_figure (builder, "open_rate", self->open_rate);
  _herald_json_add_figure (builder, "click_rate", self->click_rate);
  _herald_json_add_figure (builder, "click_to_open_rate", self->click_to_open_rate);
  _herald_json_add_figure (builder, "bounce_rate", self->bounce_rate);
  _herald_json_add_figure (builder, "unsubscribe_rate", self->unsubscribe_rate);
  _herald_json_add_figure (builder, "complaint_rate", self->complaint_rate);
  _herald_json_add_figure (builder, "conversion_rate", self->conversion_rate);
  _herald_json_add_figure (builder, "revenue_per_recipient", self->revenue_per_recipient);
  _herald_json_add_figure (builder, "roi", self->roi);
  _herald_json_add_figure (builder, "roas", self->roas);
  _herald_json_add_figure (builder, "cost_per_conversion", self->cost_per_conversion);
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, self->currency);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}
