/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-segments"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "herald-contact-private.h"
#include "herald-country.h"
#include "herald-json-private.h"
#include "herald-segments-private.h"
#include "herald-workspace-private.h"

/* Segment rules compile to one WHERE clause over the contacts table "c".
 * Every value the rules hold is a bound parameter: the SQL text holds only
 * Herald's own words, whatever the rules say. */

#define MAX_DEPTH 32
#define DAY (24 * 60 * 60)

G_DEFINE_QUARK (herald-segment-error-quark, herald_segment_error)

typedef enum
{
  PARAM_INT,
  PARAM_DOUBLE,
  PARAM_TEXT,
} ParamType;

typedef struct
{
  ParamType  type;
  gint64     i;
  double     d;
  char      *s;
} Param;

struct _HeraldSegmentQuery
{
  GString *where;
  GArray  *params;
};

typedef struct
{
  HeraldWorkspace    *workspace;
  const char         *source;
  HeraldSegmentQuery *query;
  GPtrArray          *stack;
  gint64              now;
} Compiler;

typedef enum
{
  FIELD_TEXT,
  FIELD_NUMBER,
  FIELD_DATE,
} FieldType;

static void
param_clear (gpointer data)
{
  g_free (((Param *)data)->s);
}

static HeraldSegmentQuery *
query_new (void)
{
  HeraldSegmentQuery *query = g_new0 (HeraldSegmentQuery, 1);

  query->where = g_string_new (NULL);
  query->params = g_array_new (FALSE, TRUE, sizeof (Param));
  g_array_set_clear_func (query->params, param_clear);

  return query;
}

void
_herald_segment_query_free (HeraldSegmentQuery *query)
{
  if (query == NULL)
    return;

  g_string_free (query->where, TRUE);
  g_array_unref (query->params);
  g_free (query);
}

const char *
_herald_segment_query_get_where (HeraldSegmentQuery *query)
{
  return query->where->str;
}

/**
 * _herald_segment_query_bind:
 * @first: the index of the statement's parameter for the query's first
 *
 * Binds the query's values to @stmt, whose SQL holds the WHERE clause with
 * its "?" placeholders.
 */
void
_herald_segment_query_bind (HeraldSegmentQuery *query,
                            sqlite3_stmt       *stmt,
                            int                 first)
{
  for (guint i = 0; i < query->params->len; i++)
    {
      Param *param = &g_array_index (query->params, Param, i);

      switch (param->type)
        {
        case PARAM_INT:
          sqlite3_bind_int64 (stmt, first + i, param->i);
          break;
        case PARAM_DOUBLE:
          sqlite3_bind_double (stmt, first + i, param->d);
          break;
        case PARAM_TEXT:
        default:
          sqlite3_bind_text (stmt, first + i, param->s, -1, SQLITE_TRANSIENT);
          break;
        }
    }
}

static void
add_int (Compiler *c,
         gint64    value)
{
  Param param = { PARAM_INT, value, 0, NULL };

  g_string_append_c (c->query->where, '?');
  g_array_append_val (c->query->params, param);
}

static void
add_double (Compiler *c,
            double    value)
{
  Param param = { PARAM_DOUBLE, 0, value, NULL };

  g_string_append_c (c->query->where, '?');
  g_array_append_val (c->query->params, param);
}

static void
add_text (Compiler   *c,
          const char *value)
{
  Param param = { PARAM_TEXT, 0, 0, g_strdup (value) };

  g_string_append_c (c->query->where, '?');
  g_array_append_val (c->query->params, param);
}

/* LIKE's own characters in @value are meant literally. */
static char *
like_pattern (const char *prefix,
              const char *value,
              const char *suffix)
{
  GString *pattern = g_string_new (prefix);

  for (const char *p = value; *p; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append (pattern, suffix);

  return g_string_free (pattern, FALSE);
}

static gboolean G_GNUC_PRINTF (5, 6)
rule_error (Compiler    *c,
            GError     **error,
            const char  *path,
            int          code,
            const char  *format,
            ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: an error in a segment's rules: the file or segment, where
   * in the rules, and what is wrong, as in "“vip.json”, rules[2]: …". */
  g_set_error (error, HERALD_SEGMENT_ERROR, code, _("“%s”, %s: %s"), c->source, path, message);
  return FALSE;
}

static gboolean compile_rule (Compiler     *c,
                              JsonNode     *node,
                              const char   *path,
                              guint         depth,
                              GError      **error);

static gboolean
lookup_id (Compiler    *c,
           const char  *sql,
           const char  *name,
           gint64      *out_id,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _herald_workspace_prepare (c->workspace, sql, error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;

  *out_id = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gboolean
member_number (JsonObject *object,
               const char *name,
               double     *out_value)
{
  JsonNode *node = json_object_get_member (object, name);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *out_value = json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *out_value = json_node_get_double (node);
  else
    return FALSE;

  return TRUE;
}

static const char *
field_column (Compiler    *c,
              const char  *key,
              FieldType   *out_type,
              gint64      *out_custom_id)
{
  static const char * const standard[] = {
    "email", "first_name", "last_name", "company", "job_title", "industry", "company_size",
    "country", "city", "phone", "language", "source", "status", "created_at", "updated_at",
  };

  *out_custom_id = 0;
  *out_type = FIELD_TEXT;

  for (guint i = 0; i < G_N_ELEMENTS (standard); i++)
    if (g_str_equal (key, standard[i]))
      {
        if (g_str_equal (key, "company_size"))
          *out_type = FIELD_NUMBER;
        else if (g_str_equal (key, "created_at") || g_str_equal (key, "updated_at"))
          *out_type = FIELD_DATE;
        return standard[i];
      }

  if (lookup_id (c, "SELECT id FROM custom_fields WHERE name = ?1 COLLATE NOCASE", key, out_custom_id, NULL))
    return NULL;

  *out_custom_id = -1;
  return NULL;
}

/* Writes the column's expression: a standard field by its name (from
 * Herald's own list), a custom field as a lookup by its id. */
static void
append_column (Compiler   *c,
               const char *column,
               gint64      custom_id)
{
  if (column != NULL)
    {
      g_string_append_printf (c->query->where, "c.%s", column);
      return;
    }

  g_string_append (c->query->where, "(SELECT value FROM contact_fields WHERE contact_id = c.id AND field_id = ");
  add_int (c, custom_id);
  g_string_append (c->query->where, ")");
}

static gboolean
parse_date (const char *text,
            gint64     *out_time)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) time = NULL;
  int y, m, d;

  if (text == NULL)
    return FALSE;

  if ((time = g_date_time_new_from_iso8601 (text, utc)) == NULL &&
      sscanf (text, "%4d-%2d-%2d", &y, &m, &d) == 3 && strlen (text) == 10)
    time = g_date_time_new_utc (y, m, d, 0, 0, 0);

  if (time == NULL)
    return FALSE;

  *out_time = g_date_time_to_unix (time);
  return TRUE;
}

/* Country rules take names as well as codes, like imports do. */
static const char *
text_value (const char *column,
            const char *value)
{
  const char *code;

  if (g_strcmp0 (column, "country") == 0 && (code = herald_country_code_for_name (value)) != NULL)
    return code;

  return value;
}

static gboolean
compile_field (Compiler    *c,
               JsonObject  *rule,
               const char  *path,
               GError     **error)
{
  const char *key = member_string (rule, "field");
  const char *op = member_string (rule, "op");
  JsonNode *value = json_object_get_member (rule, "value");
  const char *column;
  FieldType type;
  gint64 custom_id;
  double number = 0, high = 0;
  GString *w = c->query->where;

  if (key == NULL)
    return rule_error (c, error, path, HERALD_SEGMENT_ERROR_INVALID_RULE, _("“field” must name a field"));

  column = field_column (c, key, &type, &custom_id);
  if (column == NULL && custom_id < 0)
    return rule_error (c, error, path, HERALD_SEGMENT_ERROR_UNKNOWN_FIELD,
                       _("no contact field is called “%s”"), key);

  if (op == NULL)
    op = type == FIELD_NUMBER ? "eq" : "equals";

  if (type == FIELD_TEXT)
    {
      const char *text = value && JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING
                         ? json_node_get_string (value) : NULL;
      gboolean needs_text = g_str_equal (op, "equals") || g_str_equal (op, "not_equals") ||
                            g_str_equal (op, "contains") || g_str_equal (op, "starts_with") ||
                            g_str_equal (op, "ends_with");

      if (needs_text && text == NULL)
        return rule_error (c, error, path, HERALD_SEGMENT_ERROR_INVALID_RULE,
                           _("“%s” needs a text “value”"), op);

      g_string_append_c (w, '(');
      if (g_str_equal (op, "equals"))
        {
          append_column (c, column, custom_id);
          g_string_append (w, " = ");
          add_text (c, text_value (column, text));
          g_string_append (w, " COLLATE NOCASE");
        }
      else if (g_str_equal (op, "not_equals"))
        {
          append_column (c, column, custom_id);
          g_string_append (w, " IS NULL OR ");
          append_column (c, column, custom_id);
          g_string_append (w, " <> ");
          add_text (c, text_value (column, text));
          g_string_append (w, " COLLATE NOCASE");
        }
      else if (g_str_equal (op, "contains") || g_str_equal (op, "starts_with") || g_str_equal (op, "ends_with"))
        {
          g_autofree char *pattern = like_pattern (g_str_equal (op, "starts_with") ? "" : "%", text,
                                                   g_str_equal (op, "ends_with") ? "" : "%");

          append_column (c, column, custom_id);
          g_string_append (w, " LIKE ");
          add_text (c, pattern);
          g_string_append (w, " ESCAPE '\\'");
        }
      else if (g_str_equal (op, "in"))
        {
          JsonArray *values = value && JSON_NODE_HOLDS_ARRAY (value) ? json_node_get_array (value) : NULL;

          if (values == NULL || json_array_get_length (values) == 0)
            return rule_error (c, error, path, HERALD_SEGMENT_ERROR_INVALID_RULE,
                               _("“in” needs a list of values, such as [\"IT\", \"FR\"]"));

          append_column (c, column, custom_id);
          g_string_append (w, " COLLATE NOCASE IN (");
          for (guint i = 0; i < json_array_get_length (values); i++)
            {
              JsonNode *item = json_array_get_element (values, i);

              if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
                return rule_error (c, error, path, HERALD_SEGMENT_ERROR_INVALID_RULE,
                                   _("“in” takes text values only"));
              if (i > 0)
                g_string_append (w, ", ");
              add_text (c, text_value (column, json_node_get_string (item)));
            }
          g_string_append_c (w, ')');
        }
      else if (g_str_equal (op, "is_empty") || g_str_equal (op, "is_not_empty"))
        {
          gboolean empty = g_str_equal (op, "is_empty");

          g_string_append (w, "coalesce(");
          append_column (c, column, custom_id);
          g_string_append (w, empty ? ", '') = ''" : ", '') <> ''");
        }
      else
        return rule_error (c, error, path, HERALD_SEGMENT_ERROR_INVALID_RULE,
                           _("“%s” is no operator for the text field “%s”"), op, key);
      g_string_append_c (w, ')');
      return TRUE;
    }

  if (type == FIELD_NUMBER)
    {
      static const struct { const char *op; const char *sql; } comparisons[] = {
        { "eq", " = " }, { "ne", " <> " }, { "lt", " < " }, { "lte", " <= " }, { "gt", " > " }, { "gte", " >= " },
      };

      if (g_str_equal (op, "between"))
        {
          JsonArray *range = value && JSON_NODE_HOLDS_ARRAY (value) ? json_node_get_array (value) : NULL;

          if (range == NULL || json_array_get_length (range) != 2 ||
              !JSON_NODE_HOLDS_VALUE (json_array_get_element (range, 0)) ||
              !JSON_NODE_HOLDS_VALUE (json_array_get_element (range, 1)))
            return rule_error (c, error, path, HERALD_SEGMENT_ERROR_INVALID_RULE,
                               _("“between” needs two numbers, such as [50, 250]"));

          number = json_node_get_double (json_array_get_element (range, 0));
          high = json_node_get_double (json_array_get_element (range, 1));
          g_string_append_c (w, '(');
          append_column (c, column, custom_id);
          g_string_append (w, " BETWEEN ");
          add_double (c, MIN (number, high));
          g_string_append (w, " AND ");
          add_double (c, MAX (number, high));
          g_string_append_c (w, ')');
          return TRUE;
        }

      if (!member_number (rule, "value", &number))
        return rule_error (c, error, path, HERALD_SEGMENT_ERROR_INVALID_RULE,
                           _("“%s” needs a number as “value”"), op);

      for (guint i = 0; i < G_N_ELEMENTS (comparisons); i++)
        if (g_str_equal (op, comparisons[i].op))
          {
            g_string_append_c (w, '(');
            append_column (c, column, custom_id);
            g_string_append (w, comparisons[i].sql);
            add_double (c, number);
            g_string_append_c (w, ')');
            return TRUE;
          }

      return rule_error (c, error, path, HERALD_SEGMENT_ERROR_INVALID_RULE,
                         _("“%s” is no operator for the number field “%s”"), op, key);
    }

  /* Dates */
  if (g_str_equal (op, "before") || g_str_equal (op, "after"))
    {
      gint64 time;

      if (!parse_date (member_string (rule, "value"), &time))
        return rule_error (c, error, path, HERALD_SEGMENT_ERROR_INVALID_RULE,
                           _("“%s” needs a date as “value”, such as \"2026-01-31\""), op);

      g_string_append_c (w, '(');
      append_column (c, column, custom_id);
      g_string_append (w, g_str_equal (op, "before") ? " < " : " >= ");
      add_int (c, g_str_equal (op, "before") ? time : time + DAY * (strlen (member_string (rule, "value")) == 10));
      g_string_append_c (w, ')');
      return TRUE;
    }

  if (g_str_equal (op, "within_days") || g_str_equal (op, "not_within_days"))
    {
      if (!member_number (rule, "value", &number) || number < 0)
        return rule_error (c, error, path, HERALD_SEGMENT_ERROR_INVALID_RULE,
                           _("“%s” needs a number of days as “value”"), op);

      g_string_append_c (w, '(');
      if (g_str_equal (op, "not_within_days"))
        {
          append_column (c, column, custom_id);
          g_string_append (w, " IS NULL OR ");
        }
      append_column (c, column, custom_id);
      g_string_append (w, g_str_equal (op, "within_days") ? " >= " : " < ");
      add_int (c, c->now - (gint64)(number * DAY));
      g_string_append_c (w, ')');
      return TRUE;
    }

  return rule_error (c, error, path, HERALD_SEGMENT_ERROR_INVALID_RULE,
                     _("“%s” is no operator for the date field “%s”"), op, key);
}

static gboolean
compile_tag (Compiler    *c,
             JsonObject  *rule,
             const char  *path,
             GError     **error)
{
  const char *tag = member_string (rule, "tag");
  const char *op = member_string (rule, "op");
  gint64 id;

  if (tag == NULL)
    return rule_error (c, error, path, HERALD_SEGMENT_ERROR_INVALID_RULE, _("“tag” must name a tag"));

  if (op != NULL && !g_str_equal (op, "has") && !g_str_equal (op, "has_not"))
    return rule_error (c, error, path, HERALD_SEGMENT_ERROR_INVALID_RULE,
                       _("a tag rule's “op” is “has” or “has_not”, not “%s”"), op);

  if (!lookup_id (c, "SELECT id FROM tags WHERE name = ?1 COLLATE NOCASE", tag, &id, NULL))
    return rule_error (c, error, path, HERALD_SEGMENT_ERROR_UNKNOWN_TAG, _("no contact has the tag “%s”"), tag);

  g_string_append (c->query->where, op != NULL && g_str_equal (op, "has_not") ? "(NOT EXISTS" : "(EXISTS");
  g_string_append (c->query->where, " (SELECT 1 FROM contact_tags WHERE contact_id = c.id AND tag_id = ");
  add_int (c, id);
  g_string_append (c->query->where, "))");

  return TRUE;
}

/* The latest record for a purpose decides: consent given and not withdrawn. */
static void
append_consent (Compiler   *c,
                const char *purpose,
                gboolean    granted)
{
  g_string_append (c->query->where,
                   "(coalesce((SELECT granted FROM consents WHERE contact_id = c.id AND purpose = ");
  add_text (c, purpose);
  g_string_append (c->query->where, " ORDER BY recorded_at DESC, id DESC LIMIT 1), 0) = ");
  g_string_append (c->query->where, granted ? "1)" : "0)");
}

static gboolean
compile_consent (Compiler    *c,
                 JsonObject  *rule,
                 const char  *path,
                 GError     **error)
{
  const char *purpose = member_string (rule, "consent");
  const char *op = member_string (rule, "op");

  if (purpose == NULL)
    return rule_error (c, error, path, HERALD_SEGMENT_ERROR_INVALID_RULE,
                       _("“consent” must name a purpose, such as \"marketing-email\""));

  if (op != NULL && !g_str_equal (op, "granted") && !g_str_equal (op, "not_granted"))
    return rule_error (c, error, path, HERALD_SEGMENT_ERROR_INVALID_RULE,
                       _("a consent rule's “op” is “granted” or “not_granted”, not “%s”"), op);

  append_consent (c, purpose, op == NULL || g_str_equal (op, "granted"));
  return TRUE;
}

static gboolean
compile_event (Compiler    *c,
               JsonObject  *rule,
               const char  *path,
               GError     **error)
{
  static const char * const kinds[][2] = {
    { "sent", "sent" }, { "delivered", "delivered" }, { "open", "open" }, { "opened", "open" },
    { "click", "click" }, { "clicked", "click" }, { "bounce", "bounce" }, { "bounced", "bounce" },
    { "unsubscribe", "unsubscribe" }, { "unsubscribed", "unsubscribe" }, { "complaint", "complaint" },
    { "conversion", "conversion" }, { "converted", "conversion" },
  };
  const char *event = member_string (rule, "event");
  const char *campaign = member_string (rule, "campaign");
  const char *op = member_string (rule, "op");
  const char *kind = NULL;
  double days = -1, count = 1;
  gint64 campaign_id = 0;
  GString *w = c->query->where;

  for (guint i = 0; event != NULL && i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (event, kinds[i][0]))
      kind = kinds[i][1];

  if (kind == NULL)
    return rule_error (c, error, path, HERALD_SEGMENT_ERROR_INVALID_RULE,
                       _("“event” is one of sent, delivered, open, click, bounce, unsubscribe, complaint "
                         "or conversion"));

  if (op != NULL && !g_str_equal (op, "did") && !g_str_equal (op, "did_not"))
    return rule_error (c, error, path, HERALD_SEGMENT_ERROR_INVALID_RULE,
                       _("an event rule's “op” is “did” or “did_not”, not “%s”"), op);

  if (json_object_has_member (rule, "within_days") && (!member_number (rule, "within_days", &days) || days < 0))
    return rule_error (c, error, path, HERALD_SEGMENT_ERROR_INVALID_RULE,
                       _("“within_days” needs a number of days"));

  if (json_object_has_member (rule, "count") && (!member_number (rule, "count", &count) || count < 1))
    return rule_error (c, error, path, HERALD_SEGMENT_ERROR_INVALID_RULE,
                       _("“count” needs a number of at least 1"));

  if (campaign != NULL && !g_str_equal (campaign, "*") &&
      !lookup_id (c, "SELECT id FROM campaigns WHERE name = ?1 COLLATE NOCASE", campaign, &campaign_id, NULL))
    return rule_error (c, error, path, HERALD_SEGMENT_ERROR_UNKNOWN_CAMPAIGN,
                       _("no campaign is called “%s”"), campaign);

  /* One pass over the events of that kind, grouped by contact when it
   * must have happened more than once. */
  g_string_append (w, op != NULL && g_str_equal (op, "did_not") ? "(c.id NOT IN" : "(c.id IN");
  g_string_append (w, " (SELECT contact_id FROM events WHERE kind = ");
  add_text (c, kind);
  if (campaign_id != 0)
    {
      g_string_append (w, " AND campaign_id = ");
      add_int (c, campaign_id);
    }
  if (days >= 0)
    {
      g_string_append (w, " AND occurred_at >= ");
      add_int (c, c->now - (gint64)(days * DAY));
    }
  if (count > 1)
    {
      g_string_append (w, " GROUP BY contact_id HAVING count(*) >= ");
      add_int (c, (gint64)count);
    }
  g_string_append (w, "))");

  return TRUE;
}

static gboolean compile_rules_text (Compiler    *c,
                                    const char  *rules,
                                    GError     **error);

static gboolean
compile_segment (Compiler    *c,
                 JsonObject  *rule,
                 const char  *path,
                 GError     **error)
{
  const char *name = member_string (rule, "segment");
  const char *op = member_string (rule, "op");
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *rules = NULL;
  g_autofree char *canonical = NULL;
  const char *outer_source = c->source;
  gboolean ok;

  if (name == NULL)
    return rule_error (c, error, path, HERALD_SEGMENT_ERROR_INVALID_RULE, _("“segment” must name a segment"));

  if (op != NULL && !g_str_equal (op, "in") && !g_str_equal (op, "not_in"))
    return rule_error (c, error, path, HERALD_SEGMENT_ERROR_INVALID_RULE,
                       _("a segment rule's “op” is “in” or “not_in”, not “%s”"), op);

  if (!(stmt = _herald_workspace_prepare (c->workspace, "SELECT name, rules FROM segments WHERE name = ?1 COLLATE NOCASE",
                                          error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return rule_error (c, error, path, HERALD_SEGMENT_ERROR_UNKNOWN_SEGMENT, _("no segment is called “%s”"), name);

  canonical = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  rules = g_strdup ((const char *)sqlite3_column_text (stmt, 1));

  for (guint i = 0; i < c->stack->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (c->stack, i), canonical) == 0)
      return rule_error (c, error, path, HERALD_SEGMENT_ERROR_CYCLE,
                         _("the segment “%s” contains itself through “%s”"), canonical,
                         (const char *)g_ptr_array_index (c->stack, c->stack->len - 1));

  g_string_append (c->query->where, op != NULL && g_str_equal (op, "not_in") ? "(NOT " : "(");
  g_ptr_array_add (c->stack, g_strdup (canonical));
  c->source = canonical;
  ok = compile_rules_text (c, rules, error);
  c->source = outer_source;
  g_ptr_array_remove_index (c->stack, c->stack->len - 1);
  g_string_append_c (c->query->where, ')');

  return ok;
}

static gboolean
compile_group (Compiler    *c,
               JsonObject  *group,
               const char  *path,
               guint        depth,
               GError     **error)
{
  const char *match = member_string (group, "match");
  JsonNode *rules = json_object_get_member (group, "rules");
  JsonArray *array;
  gboolean any;

  if (match != NULL && !g_str_equal (match, "all") && !g_str_equal (match, "any"))
    return rule_error (c, error, path, HERALD_SEGMENT_ERROR_INVALID_RULE,
                       _("“match” is “all” or “any”, not “%s”"), match);

  if (rules == NULL || !JSON_NODE_HOLDS_ARRAY (rules))
    return rule_error (c, error, path, HERALD_SEGMENT_ERROR_INVALID_RULE, _("a group needs a list of “rules”"));

  any = match != NULL && g_str_equal (match, "any");
  array = json_node_get_array (rules);

  /* An empty group matches everyone when all must hold, nobody when any. */
  if (json_array_get_length (array) == 0)
    {
      g_string_append (c->query->where, any ? "(0)" : "(1)");
      return TRUE;
    }

  g_string_append_c (c->query->where, '(');
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *child = g_strdup_printf ("%s.rules[%u]", path, i);

      if (i > 0)
        g_string_append (c->query->where, any ? " OR " : " AND ");
      if (!compile_rule (c, json_array_get_element (array, i), child, depth + 1, error))
        return FALSE;
    }
  g_string_append_c (c->query->where, ')');

  return TRUE;
}

static gboolean
compile_rule (Compiler    *c,
              JsonNode    *node,
              const char  *path,
              guint        depth,
              GError     **error)
{
  JsonObject *rule;

  if (depth > MAX_DEPTH)
    return rule_error (c, error, path, HERALD_SEGMENT_ERROR_INVALID_RULE,
                       _("groups are nested more than %u deep"), MAX_DEPTH);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return rule_error (c, error, path, HERALD_SEGMENT_ERROR_INVALID_RULE, _("a rule must be an object { … }"));

  rule = json_node_get_object (node);

  if (json_object_has_member (rule, "rules") || json_object_has_member (rule, "match"))
    return compile_group (c, rule, path, depth, error);
  if (json_object_has_member (rule, "field"))
    return compile_field (c, rule, path, error);
  if (json_object_has_member (rule, "tag"))
    return compile_tag (c, rule, path, error);
  if (json_object_has_member (rule, "consent"))
    return compile_consent (c, rule, path, error);
  if (json_object_has_member (rule, "event"))
    return compile_event (c, rule, path, error);
  if (json_object_has_member (rule, "segment"))
    return compile_segment (c, rule, path, error);

  return rule_error (c, error, path, HERALD_SEGMENT_ERROR_INVALID_RULE,
                     _("a rule has “field”, “tag”, “consent”, “event” or “segment”, or is a group with “rules”"));
}

static gboolean
compile_rules_text (Compiler    *c,
                    const char  *rules,
                    GError     **error)
{
  g_autoptr(JsonNode) parsed = NULL;
  HeraldJsonProblem problem;
  JsonObject *root;
  JsonNode *include;
  gboolean include_suppressed = FALSE;

  if (!(parsed = _herald_json_parse (rules, 2 * MAX_DEPTH + 4, &problem)))
    {
      g_autofree char *detail = problem.detail;

      if (detail == NULL)
        g_set_error (error, HERALD_SEGMENT_ERROR, HERALD_SEGMENT_ERROR_SYNTAX,
                     _("“%s”, line %u, column %u: the rules are nested too deeply."),
                     c->source, problem.line, problem.column);
      else if (problem.line > 0)
        g_set_error (error, HERALD_SEGMENT_ERROR, HERALD_SEGMENT_ERROR_SYNTAX,
                     _("“%s”, line %u, column %u: the rules are not valid JSON (%s)."),
                     c->source, problem.line, problem.column, detail);
      else
        g_set_error (error, HERALD_SEGMENT_ERROR, HERALD_SEGMENT_ERROR_SYNTAX,
                     _("“%s”: the rules are not valid JSON (%s)."), c->source, detail);
      return FALSE;
    }

  if (!JSON_NODE_HOLDS_OBJECT (parsed))
    {
      g_set_error (error, HERALD_SEGMENT_ERROR, HERALD_SEGMENT_ERROR_SYNTAX,
                   _("“%s”: the rules must be a JSON object with “match” and “rules”."), c->source);
      return FALSE;
    }

  root = json_node_get_object (parsed);
  include = json_object_get_member (root, "include_suppressed");
  if (include != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (include) || json_node_get_value_type (include) != G_TYPE_BOOLEAN)
        return rule_error (c, error, "include_suppressed", HERALD_SEGMENT_ERROR_INVALID_RULE,
                           _("“include_suppressed” is true or false"));
      include_suppressed = json_node_get_boolean (include);
    }

  g_string_append_c (c->query->where, '(');
  if (!compile_group (c, root, "rules", 0, error))
    return FALSE;

  /* A sending segment never reaches people who left, bounced, complained
   * or have not confirmed, nor, where the workspace requires consent for a
   * purpose, those without it. An analysis segment opts in to them. */
  if (!include_suppressed)
    {
      g_autofree char *required = herald_workspace_get_setting (c->workspace, "consent.required");

      g_string_append (c->query->where, " AND c.status = 'subscribed'");
      if (required != NULL && required[0] != '\0')
        {
          g_string_append (c->query->where, " AND ");
          append_consent (c, required, TRUE);
        }
    }
  g_string_append_c (c->query->where, ')');

  return TRUE;
}

static HeraldSegmentQuery *
compile (HeraldWorkspace  *workspace,
         const char       *rules,
         const char       *source,
         GError          **error)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func (g_free);
  HeraldSegmentQuery *query = query_new ();
  Compiler c = { workspace, source, query, stack, g_get_real_time () / G_USEC_PER_SEC };

  if (!compile_rules_text (&c, rules, error))
    {
      _herald_segment_query_free (query);
      return NULL;
    }

  return query;
}

/* The condition of @rules, for other modules' queries over a segment's
 * members: one compiler for every use of segment rules. */
HeraldSegmentQuery *
_herald_segment_query_new (HeraldWorkspace  *workspace,
                           const char       *rules,
                           const char       *source,
                           GError          **error)
{
  return compile (workspace, rules, source != NULL ? source : _("the rules"), error);
}

static char *
segment_rules (HeraldWorkspace  *workspace,
               const char       *name,
               char            **out_canonical,
               GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = _herald_workspace_prepare (workspace, "SELECT rules, name FROM segments WHERE name = ?1 COLLATE NOCASE",
                                          error)))
    return NULL;

  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, HERALD_SEGMENT_ERROR, HERALD_SEGMENT_ERROR_NOT_FOUND,
                   _("No segment is called “%s”."), name);
      return NULL;
    }

  if (out_canonical != NULL)
    *out_canonical = g_strdup ((const char *)sqlite3_column_text (stmt, 1));

  return g_strdup ((const char *)sqlite3_column_text (stmt, 0));
}

HeraldSegmentQuery *
_herald_segment_query_new_for_name (HeraldWorkspace  *workspace,
                                    const char       *name,
                                    GError          **error)
{
  g_autofree char *canonical = NULL;
  g_autofree char *rules = segment_rules (workspace, name, &canonical, error);
  g_autoptr(GPtrArray) stack = NULL;
  HeraldSegmentQuery *query;
  Compiler c;

  if (rules == NULL)
    return NULL;

  stack = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (stack, g_strdup (canonical));
  query = query_new ();
  c = (Compiler) { workspace, canonical, query, stack, g_get_real_time () / G_USEC_PER_SEC };

  if (!compile_rules_text (&c, rules, error))
    {
      _herald_segment_query_free (query);
      return NULL;
    }

  return query;
}

static gint64
count_query (HeraldWorkspace     *workspace,
             HeraldSegmentQuery  *query,
             GCancellable        *cancellable,
             GError             **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM contacts c WHERE %s", query->where->str);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = _herald_workspace_prepare (workspace, sql, error)))
    return -1;

  _herald_segment_query_bind (query, stmt, 1);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _herald_workspace_set_db_error (workspace, error);
      return -1;
    }

  return sqlite3_column_int64 (stmt, 0);
}

/**
 * herald_segment_count:
 * @rules: the rules as JSON
 * @source: what to call the rules in messages: a file or segment name
 *
 * Returns: how many contacts match @rules, or -1 with @error set naming
 *   the rule that is wrong
 */
gint64
herald_segment_count (HeraldWorkspace  *workspace,
                      const char       *rules,
                      const char       *source,
                      GCancellable     *cancellable,
                      GError          **error)
{
  g_autoptr(HeraldSegmentQuery) query = NULL;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), -1);
  g_return_val_if_fail (rules != NULL, -1);

  if (!(query = compile (workspace, rules, source ? source : _("the rules"), error)))
    return -1;

  return count_query (workspace, query, cancellable, error);
}

/**
 * herald_segments_count:
 *
 * Returns: how many contacts the saved segment @name holds, or -1 with
 *   @error set
 */
gint64
herald_segments_count (HeraldWorkspace  *workspace,
                       const char       *name,
                       GCancellable     *cancellable,
                       GError          **error)
{
  g_autoptr(HeraldSegmentQuery) query = NULL;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), -1);
  g_return_val_if_fail (name != NULL, -1);

  if (!(query = _herald_segment_query_new_for_name (workspace, name, error)))
    return -1;

  return count_query (workspace, query, cancellable, error);
}

/**
 * herald_segments_save:
 * @description: (nullable): the persona in words
 *
 * Saves @rules under @name, replacing a segment of that name, after
 * checking them: rules that would not count are not saved.
 */
gboolean
herald_segments_save (HeraldWorkspace  *workspace,
                      const char       *name,
                      const char       *rules,
                      const char       *description,
                      const char       *source,
                      GError          **error)
{
  g_autoptr(HeraldSegmentQuery) query = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *trimmed = g_strstrip (g_strdup (name ? name : ""));
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  Compiler c;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), FALSE);
  g_return_val_if_fail (rules != NULL, FALSE);

  if (trimmed[0] == '\0')
    {
      g_set_error (error, HERALD_SEGMENT_ERROR, HERALD_SEGMENT_ERROR_INVALID_RULE, _("A segment needs a name."));
      return FALSE;
    }

  /* Compiled as the segment itself, so rules that reach back to it are a cycle. */
  g_ptr_array_add (stack, g_strdup (trimmed));
  query = query_new ();
  c = (Compiler) { workspace, source ? source : trimmed, query, stack, now };
  if (!compile_rules_text (&c, rules, error))
    return FALSE;

  stmt = _herald_workspace_prepare (workspace,
                                    "INSERT INTO segments (name, description, rules, created_at, updated_at) "
                                    "VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (name) DO UPDATE SET "
                                    "description = excluded.description, rules = excluded.rules, "
                                    "updated_at = excluded.updated_at",
                                    error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, trimmed, -1, SQLITE_TRANSIENT);
  if (description != NULL)
    sqlite3_bind_text (stmt, 2, description, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, rules, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, now);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _herald_workspace_set_db_error (workspace, error);
      return FALSE;
    }

  return TRUE;
}

void
herald_segment_info_free (HeraldSegmentInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->name);
  g_free (info->description);
  g_free (info->rules);
  g_free (info);
}

/**
 * herald_segments_list:
 *
 * Returns: (transfer full) (element-type HeraldSegmentInfo): the saved
 *   segments by name
 */
GPtrArray *
herald_segments_list (HeraldWorkspace  *workspace,
                      GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *list;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);

  if (!(stmt = _herald_workspace_prepare (workspace,
                                          "SELECT name, description, rules FROM segments ORDER BY name COLLATE NOCASE",
                                          error)))
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify)herald_segment_info_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      HeraldSegmentInfo *info = g_new0 (HeraldSegmentInfo, 1);

      info->name = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      info->description = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
      info->rules = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
      g_ptr_array_add (list, info);
    }

  return list;
}

gboolean
herald_segments_delete (HeraldWorkspace  *workspace,
                        const char       *name,
                        GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), FALSE);

  if (!(stmt = _herald_workspace_prepare (workspace, "DELETE FROM segments WHERE name = ?1 COLLATE NOCASE", error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _herald_workspace_set_db_error (workspace, error);
      return FALSE;
    }

  if (sqlite3_changes (_herald_workspace_get_db (workspace)) == 0)
    {
      g_set_error (error, HERALD_SEGMENT_ERROR, HERALD_SEGMENT_ERROR_NOT_FOUND,
                   _("No segment is called “%s”."), name);
      return FALSE;
    }

  return TRUE;
}

typedef struct
{
  char *path;
  char *rules;
  char *source;
} CountData;

static void
count_data_free (CountData *data)
{
  g_free (data->path);
  g_free (data->rules);
  g_free (data->source);
  g_free (data);
}

static void
count_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CountData *data = task_data;
  g_autoptr(HeraldWorkspace) workspace = NULL;
  GError *error = NULL;
  gint64 count;

  if (!(workspace = herald_workspace_open (data->path, HERALD_WORKSPACE_OPEN_PRIVATE, &error)) ||
      (count = herald_segment_count (workspace, data->rules, data->source, cancellable, &error)) < 0)
    g_task_return_error (task, error);
  else if (!g_task_return_error_if_cancelled (task))
    g_task_return_int (task, count);
}

/**
 * herald_segment_count_async:
 *
 * Counts in a worker thread, on a connection of its own, so that a live
 * count over a large audience never stops the window. A count that is
 * superseded is cancelled.
 */
void
herald_segment_count_async (HeraldWorkspace     *workspace,
                            const char          *rules,
                            const char          *source,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CountData *data;

  g_return_if_fail (HERALD_IS_WORKSPACE (workspace));
  g_return_if_fail (rules != NULL);

  data = g_new0 (CountData, 1);
  data->path = g_strdup (herald_workspace_get_path (workspace));
  data->rules = g_strdup (rules);
  data->source = g_strdup (source);

  task = g_task_new (workspace, cancellable, callback, user_data);
  g_task_set_source_tag (task, herald_segment_count_async);
  g_task_set_task_data (task, data, (GDestroyNotify)count_data_free);
  g_task_run_in_thread (task, count_thread);
}

gint64
herald_segment_count_finish (HeraldWorkspace  *workspace,
                             GAsyncResult     *result,
                             GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, workspace), -1);

  return g_task_propagate_int (G_TASK (result), error);
}

/**
 * herald_segment_preview:
 * @limit: how many contacts at most
 *
 * Returns: (transfer full) (element-type HeraldContact): the first contacts
 *   that match @rules, in the order they were added, or %NULL with @error
 *   set
 */
GPtrArray *
herald_segment_preview (HeraldWorkspace  *workspace,
                        const char       *rules,
                        guint             limit,
                        GError          **error)
{
  g_autoptr(HeraldSegmentQuery) query = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = NULL;
  GPtrArray *contacts;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (rules != NULL, NULL);

  if (!(query = compile (workspace, rules, _("the rules"), error)))
    return NULL;

  sql = g_strdup_printf ("SELECT " HERALD_CONTACT_COLUMNS " FROM contacts c WHERE %s ORDER BY c.id LIMIT %u",
                         query->where->str, limit);
  if (!(stmt = _herald_workspace_prepare (workspace, sql, error)))
    return NULL;

  _herald_segment_query_bind (query, stmt, 1);
  contacts = g_ptr_array_new_with_free_func (g_object_unref);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (contacts, _herald_contact_new_from_row (stmt));

  return contacts;
}
