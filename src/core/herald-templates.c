/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-templates"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "herald-contact-private.h"
#include "herald-contacts.h"
#include "herald-html.h"
#include "herald-links.h"
#include "herald-segments-private.h"
#include "herald-templates.h"
#include "herald-workspace-private.h"

/* Templates and snippets as the workspace stores them, the values a
 * template sees for a contact, rendering all parts of a message, and lint. */

#define LONG_SUBJECT 60

G_DEFINE_QUARK (herald-templates-error-quark, herald_templates_error)

HeraldTemplateRecord *
herald_template_record_new (const char *name)
{
  HeraldTemplateRecord *record = g_new0 (HeraldTemplateRecord, 1);

  record->name = g_strdup (name != NULL ? name : "");
  record->subject = g_strdup ("");
  record->preheader = g_strdup ("");
  record->html = g_strdup ("");
  return record;
}

HeraldTemplateRecord *
herald_template_record_copy (const HeraldTemplateRecord *record)
{
  HeraldTemplateRecord *copy = g_new0 (HeraldTemplateRecord, 1);

  copy->name = g_strdup (record->name);
  copy->subject = g_strdup (record->subject);
  copy->preheader = g_strdup (record->preheader);
  copy->html = g_strdup (record->html);
  copy->text = g_strdup (record->text);
  copy->updated_at = record->updated_at;
  return copy;
}

void
herald_template_record_free (HeraldTemplateRecord *record)
{
  g_free (record->name);
  g_free (record->subject);
  g_free (record->preheader);
  g_free (record->html);
  g_free (record->text);
  g_free (record);
}

void
herald_snippet_free (HeraldSnippet *snippet)
{
  g_free (snippet->name);
  g_free (snippet->body);
  g_free (snippet);
}

void
herald_message_free (HeraldMessage *message)
{
  g_free (message->subject);
  g_free (message->preheader);
  g_free (message->html);
  g_free (message->text);
  g_clear_pointer (&message->field_use, g_hash_table_unref);
  g_free (message);
}

void
herald_lint_problem_free (HeraldLintProblem *problem)
{
  g_free (problem->code);
  g_free (problem->message);
  g_free (problem->part);
  g_free (problem->field);
  g_free (problem);
}

/* A name as templates write it: lower case, words joined by `separator`
 * (“Finance leaders” is finance-leaders as a segment, “Favourite colour”
 * favourite_colour as a field). */
char *
herald_slug (const char *name,
             char        separator)
{
  g_autofree char *lower = g_utf8_strdown (name, -1);
  GString *slug = g_string_new (NULL);
  gboolean gap = FALSE;

  for (const char *p = lower; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c) || c == '_' || c == '-')
        {
          if (gap && slug->len > 0)
            g_string_append_c (slug, separator);
          g_string_append_unichar (slug, c);
          gap = FALSE;
        }
      else
        gap = TRUE;
    }
  return g_string_free (slug, FALSE);
}

static char *
check_name (const char *name,
            GError    **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (name != NULL ? name : ""));

  if (trimmed[0] == '\0')
    {
      g_set_error (error, HERALD_TEMPLATES_ERROR, HERALD_TEMPLATES_ERROR_INVALID,
                   _("A template needs a name."));
      return NULL;
    }
  return g_steal_pointer (&trimmed);
}

static gboolean
step_done (HeraldWorkspace *workspace,
           sqlite3_stmt    *stmt,
           GError         **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _herald_workspace_set_db_error (workspace, error);
      return FALSE;
    }
  return TRUE;
}

/* Saves the template under its name. With old_name, the template called
 * so is renamed; without, a template of the same name is replaced. Saving
 * never replaces a different template through a rename. */
gboolean
herald_templates_save (HeraldWorkspace            *workspace,
                       const HeraldTemplateRecord *record,
                       const char                 *old_name,
                       GError                    **error)
{
  g_autofree char *name = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), FALSE);
  g_return_val_if_fail (record != NULL, FALSE);

  if (!(name = check_name (record->name, error)))
    return FALSE;

  if (old_name != NULL && g_utf8_collate (old_name, name) != 0)
    {
      g_autoptr(HeraldTemplateRecord) existing = herald_templates_get (workspace, name, NULL);

      if (existing != NULL && g_ascii_strcasecmp (old_name, name) != 0)
        {
          g_set_error (error, HERALD_TEMPLATES_ERROR, HERALD_TEMPLATES_ERROR_EXISTS,
                       _("A template called “%s” exists already. Choose another name."), name);
          return FALSE;
        }
      stmt = _herald_workspace_prepare (workspace,
                                        "UPDATE templates SET name = ?1, subject = ?2, preheader = ?3, "
                                        "html = ?4, text = ?5, updated_at = ?6 WHERE name = ?7",
                                        error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 7, old_name, -1, SQLITE_TRANSIENT);
    }
  else
    {
      stmt = _herald_workspace_prepare (workspace,
                                        "INSERT INTO templates (name, subject, preheader, html, text, created_at, updated_at) "
                                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) ON CONFLICT (name) DO UPDATE SET "
                                        "subject = excluded.subject, preheader = excluded.preheader, "
                                        "html = excluded.html, text = excluded.text, updated_at = excluded.updated_at",
                                        error);
      if (stmt == NULL)
        return FALSE;
    }

  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, record->subject != NULL ? record->subject : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, record->preheader != NULL ? record->preheader : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, record->html != NULL ? record->html : "", -1, SQLITE_TRANSIENT);
  if (record->text != NULL)
    sqlite3_bind_text (stmt, 5, record->text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, now);

  if (!step_done (workspace, stmt, error))
    return FALSE;
  if (old_name != NULL && sqlite3_changes (_herald_workspace_get_db (workspace)) == 0)
    {
      g_set_error (error, HERALD_TEMPLATES_ERROR, HERALD_TEMPLATES_ERROR_NOT_FOUND,
                   _("There is no template called “%s”."), old_name);
      return FALSE;
    }
  return TRUE;
}

static HeraldTemplateRecord *
record_from_row (sqlite3_stmt *stmt)
{
  HeraldTemplateRecord *record = g_new0 (HeraldTemplateRecord, 1);

  record->name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  record->subject = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  record->preheader = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  record->html = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  record->text = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  record->updated_at = sqlite3_column_int64 (stmt, 5);
  return record;
}

HeraldTemplateRecord *
herald_templates_get (HeraldWorkspace  *workspace,
                      const char       *name,
                      GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  stmt = _herald_workspace_prepare (workspace,
                                    "SELECT name, subject, preheader, html, text, updated_at "
                                    "FROM templates WHERE name = ?1",
                                    error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, HERALD_TEMPLATES_ERROR, HERALD_TEMPLATES_ERROR_NOT_FOUND,
                   _("There is no template called “%s”."), name);
      return NULL;
    }
  return record_from_row (stmt);
}

GPtrArray *
herald_templates_list (HeraldWorkspace  *workspace,
                       GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *list;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);

  stmt = _herald_workspace_prepare (workspace,
                                    "SELECT name, subject, preheader, html, text, updated_at "
                                    "FROM templates ORDER BY name COLLATE NOCASE",
                                    error);
  if (stmt == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) herald_template_record_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (list, record_from_row (stmt));
  return list;
}

gboolean
herald_templates_delete (HeraldWorkspace  *workspace,
                         const char       *name,
                         GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  stmt = _herald_workspace_prepare (workspace, "DELETE FROM templates WHERE name = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (!step_done (workspace, stmt, error))
    return FALSE;
  if (sqlite3_changes (_herald_workspace_get_db (workspace)) == 0)
    {
      g_set_error (error, HERALD_TEMPLATES_ERROR, HERALD_TEMPLATES_ERROR_NOT_FOUND,
                   _("There is no template called “%s”."), name);
      return FALSE;
    }
  return TRUE;
}

/* Snippets */

gboolean
herald_snippets_save (HeraldWorkspace      *workspace,
                      const HeraldSnippet  *snippet,
                      const char           *old_name,
                      GError              **error)
{
  g_autofree char *name = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), FALSE);
  g_return_val_if_fail (snippet != NULL, FALSE);

  name = g_strstrip (g_strdup (snippet->name != NULL ? snippet->name : ""));
  if (name[0] == '\0' || strpbrk (name, " \t\r\n{}") != NULL)
    {
      g_set_error (error, HERALD_TEMPLATES_ERROR, HERALD_TEMPLATES_ERROR_INVALID,
                   _("A snippet needs a name without spaces or braces, such as “footer”."));
      return FALSE;
    }

  /* Saved even when broken, so no work is lost; rendering reports it. */
  if (old_name != NULL && g_strcmp0 (old_name, name) != 0)
    {
      stmt = _herald_workspace_prepare (workspace,
                                        "UPDATE snippets SET name = ?1, kind = ?2, body = ?3, updated_at = ?4 "
                                        "WHERE name = ?5",
                                        error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 5, old_name, -1, SQLITE_TRANSIENT);
    }
  else
    {
      stmt = _herald_workspace_prepare (workspace,
                                        "INSERT INTO snippets (name, kind, body, updated_at) VALUES (?1, ?2, ?3, ?4) "
                                        "ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, body = excluded.body, "
                                        "updated_at = excluded.updated_at",
                                        error);
      if (stmt == NULL)
        return FALSE;
    }
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, snippet->is_layout ? "layout" : "partial", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, snippet->body != NULL ? snippet->body : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time () / G_USEC_PER_SEC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_errcode (_herald_workspace_get_db (workspace)) == SQLITE_CONSTRAINT)
        g_set_error (error, HERALD_TEMPLATES_ERROR, HERALD_TEMPLATES_ERROR_EXISTS,
                     _("A snippet called “%s” exists already. Choose another name."), name);
      else
        _herald_workspace_set_db_error (workspace, error);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
herald_snippets_list (HeraldWorkspace  *workspace,
                      GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *list;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);

  stmt = _herald_workspace_prepare (workspace,
                                    "SELECT name, kind, body FROM snippets ORDER BY name COLLATE NOCASE",
                                    error);
  if (stmt == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) herald_snippet_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      HeraldSnippet *snippet = g_new0 (HeraldSnippet, 1);

      snippet->name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      snippet->is_layout = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), "layout") == 0;
      snippet->body = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      g_ptr_array_add (list, snippet);
    }
  return list;
}

gboolean
herald_snippets_delete (HeraldWorkspace  *workspace,
                        const char       *name,
                        GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), FALSE);

  stmt = _herald_workspace_prepare (workspace, "DELETE FROM snippets WHERE name = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (!step_done (workspace, stmt, error))
    return FALSE;
  if (sqlite3_changes (_herald_workspace_get_db (workspace)) == 0)
    {
      g_set_error (error, HERALD_TEMPLATES_ERROR, HERALD_TEMPLATES_ERROR_NOT_FOUND,
                   _("There is no snippet called “%s”."), name);
      return FALSE;
    }
  return TRUE;
}

/* Every snippet and layout of the workspace, ready to be included. */
HeraldTemplateLibrary *
herald_snippets_load (HeraldWorkspace  *workspace,
                      GError          **error)
{
  g_autoptr(GPtrArray) snippets = herald_snippets_list (workspace, error);
  HeraldTemplateLibrary *library;

  if (snippets == NULL)
    return NULL;
  library = herald_template_library_new ();
  for (guint i = 0; i < snippets->len; i++)
    {
      HeraldSnippet *snippet = g_ptr_array_index (snippets, i);

      herald_template_library_add (library, snippet->name, snippet->body);
    }
  return library;
}

/* Context */

struct _HeraldTemplateContext
{
  HeraldWorkspace *workspace;
  gint64           contact_id;
  JsonNode        *data;
  /* Whether campaign.* was given, rather than taken from the message. */
  gboolean         campaign_set;
  /* segment slug → JsonNode boolean, filled as templates ask */
  GHashTable      *segments;
};

static void
set_string (JsonObject *object,
            const char *key,
            const char *value)
{
  json_object_set_string_member (object, key, value != NULL ? value : "");
}

/* The values a template sees: every standard field by its key, custom
 * fields by their slug (and under custom.*), tags.<name> true for the
 * contact's tags, sender.* from the workspace settings, campaign.* and
 * unsubscribe_url; segment.<slug> is worked out only when asked. Without a
 * contact, fields are empty, as for a contact who has none. */
HeraldTemplateContext *
herald_template_context_new (HeraldWorkspace *workspace,
                             HeraldContact   *contact)
{
  HeraldTemplateContext *context = g_new0 (HeraldTemplateContext, 1);
  JsonObject *root = json_object_new ();
  JsonObject *tags = json_object_new ();
  JsonObject *custom = json_object_new ();
  JsonObject *sender = json_object_new ();
  JsonObject *campaign = json_object_new ();
  static const char * const sender_keys[][2] = {
    { "name", "sender.name" },
    { "email", "sender.email" },
    { "address", "sender.postal_address" },
  };

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);

  context->workspace = g_object_ref (workspace);
  context->contact_id = contact != NULL ? herald_contact_get_id (contact) : -1;
  context->segments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) json_node_unref);

  for (guint f = 0; f < HERALD_N_CONTACT_FIELDS; f++)
    {
      const char *value = contact != NULL ? herald_contact_get_field (contact, f) : NULL;

      if (f == HERALD_CONTACT_FIELD_COMPANY_SIZE && value != NULL && value[0] != '\0')
        json_object_set_int_member (root, herald_contact_field_key (f), g_ascii_strtoll (value, NULL, 10));
      else
        set_string (root, herald_contact_field_key (f), value);
    }

  if (contact != NULL)
    {
      g_auto(GStrv) names = herald_contacts_get_tags (workspace, contact);
      g_autoptr(GHashTable) fields = herald_contacts_get_custom (workspace, contact);
      GHashTableIter iter;
      gpointer key, value;

      for (guint i = 0; names[i] != NULL; i++)
        json_object_set_boolean_member (tags, names[i], TRUE);

      g_hash_table_iter_init (&iter, fields);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          g_autofree char *slug = herald_slug (key, '_');

          set_string (custom, slug, value);
          if (!json_object_has_member (root, slug))
            set_string (root, slug, value);
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (sender_keys); i++)
    {
      g_autofree char *value = herald_workspace_get_setting (workspace, sender_keys[i][1]);

      set_string (sender, sender_keys[i][0], value);
    }
  set_string (campaign, "name", NULL);
  set_string (campaign, "subject", NULL);

  {
    g_autofree char *unsubscribe = herald_workspace_get_setting (workspace, "unsubscribe_url");

    /* Email services put their own link here; Mailchimp's tag is the most
     * common, and shows what will happen in a preview. */
    set_string (root, "unsubscribe_url", unsubscribe != NULL ? unsubscribe : "*|UNSUB|*");
  }

  json_object_set_object_member (root, "tags", tags);
  json_object_set_object_member (root, "custom", custom);
  json_object_set_object_member (root, "sender", sender);
  json_object_set_object_member (root, "campaign", campaign);
  context->data = json_node_init_object (json_node_alloc (), root);
  json_object_unref (root);
  return context;
}

void
herald_template_context_free (HeraldTemplateContext *context)
{
  g_clear_object (&context->workspace);
  g_clear_pointer (&context->data, json_node_unref);
  g_clear_pointer (&context->segments, g_hash_table_unref);
  g_free (context);
}

JsonNode *
herald_template_context_get_data (HeraldTemplateContext *context)
{
  return context->data;
}

void
herald_template_context_set_campaign (HeraldTemplateContext *context,
                                      const char            *name,
                                      const char            *subject)
{
  JsonObject *campaign = json_object_get_object_member (json_node_get_object (context->data), "campaign");

  set_string (campaign, "name", name);
  set_string (campaign, "subject", subject);
  context->campaign_set = TRUE;
}

static gboolean
contact_in_segment (HeraldTemplateContext *context,
                    const char            *slug)
{
  g_autoptr(GPtrArray) segments = herald_segments_list (context->workspace, NULL);

  if (segments == NULL || context->contact_id < 0)
    return FALSE;

  for (guint i = 0; i < segments->len; i++)
    {
      HeraldSegmentInfo *info = g_ptr_array_index (segments, i);
      g_autofree char *candidate = herald_slug (info->name, '-');
      g_autoptr(HeraldSegmentQuery) query = NULL;
      g_autoptr(sqlite3_stmt) stmt = NULL;
      g_autofree char *sql = NULL;

      if (!g_str_equal (candidate, slug))
        continue;
      query = _herald_segment_query_new_for_name (context->workspace, info->name, NULL);
      if (query == NULL)
        return FALSE;
      sql = g_strdup_printf ("SELECT EXISTS (SELECT 1 FROM contacts c WHERE (%s) AND c.id = ?)",
                             _herald_segment_query_get_where (query));
      stmt = _herald_workspace_prepare (context->workspace, sql, NULL);
      if (stmt == NULL)
        return FALSE;
      _herald_segment_query_bind (query, stmt, 1);
      sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_count (stmt), context->contact_id);
      return sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
    }
  return FALSE;
}

static JsonNode *
resolve_cb (const char * const *path,
            gpointer            user_data)
{
  HeraldTemplateContext *context = user_data;
  JsonNode *node;

  if (!g_str_equal (path[0], "segment") || path[1] == NULL || path[2] != NULL)
    return NULL;

  node = g_hash_table_lookup (context->segments, path[1]);
  if (node == NULL)
    {
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_boolean (node, contact_in_segment (context, path[1]));
      g_hash_table_insert (context->segments, g_strdup (path[1]), node);
    }
  return node;
}

/* Rendering */

/* A template's part (subject, preheader, html, text) as people call it. */
const char *
herald_template_part_label (const char *part)
{
  if (g_str_equal (part, "subject"))
    return _("Subject");
  if (g_str_equal (part, "preheader"))
    return _("Preheader");
  if (g_str_equal (part, "html"))
    return _("HTML body");
  return _("Plain text");
}

static char *
render_part (const char            *part,
             const char            *source,
             gboolean               html,
             HeraldTemplateLibrary *library,
             HeraldTemplateContext *context,
             JsonNode              *data,
             GHashTable            *field_use,
             GError               **error)
{
  g_autoptr(HeraldTemplate) template = NULL;
  g_autoptr(GError) local_error = NULL;
  HeraldRenderOptions options = {
    .escape_html = html,
    .library = library,
    .resolver = context != NULL ? resolve_cb : NULL,
    .resolver_data = context,
    .field_use = field_use,
  };
  char *result;

  template = herald_template_new (source != NULL ? source : "", NULL, &local_error);
  if (template != NULL)
    result = herald_template_render_string (template, data, &options, &local_error);
  if (template == NULL || result == NULL)
    {
      /* Translators: “Subject: line 1, column 4: …” */
      g_set_error (error, HERALD_TEMPLATE_ERROR, local_error->code, _("%s: %s"),
                   herald_template_part_label (part), local_error->message);
      return NULL;
    }
  return result;
}

/* Renders every part of the template against `data` (or the context's
 * data): the subject, preheader and plain text as they are, the HTML with
 * values escaped, and the plain text derived from the rendered HTML when
 * the template has none of its own. */
HeraldMessage *
herald_template_record_render (const HeraldTemplateRecord *record,
                               HeraldTemplateLibrary      *library,
                               HeraldTemplateContext      *context,
                               JsonNode                   *data,
                               GError                    **error)
{
  g_autoptr(HeraldMessage) message = g_new0 (HeraldMessage, 1);

  g_return_val_if_fail (record != NULL, NULL);

  if (data == NULL && context != NULL)
    data = context->data;
  message->field_use = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!(message->subject = render_part ("subject", record->subject, FALSE, library, context, data,
                                        message->field_use, error)))
    return NULL;

  /* Without a campaign, {{campaign.subject}} (the <title> of most emails)
   * is the subject this contact gets. */
  if (context != NULL && !context->campaign_set && data == context->data)
    {
      JsonObject *campaign = json_object_get_object_member (json_node_get_object (context->data), "campaign");

      set_string (campaign, "name", record->name);
      set_string (campaign, "subject", message->subject);
    }

  if (!(message->preheader = render_part ("preheader", record->preheader, FALSE, library, context,
                                             data, message->field_use, error))
      || !(message->html = render_part ("html", record->html, TRUE, library, context, data,
                                        message->field_use, error)))
    return NULL;

  if (record->text != NULL && record->text[0] != '\0')
    message->text = render_part ("text", record->text, FALSE, library, context, data,
                                 message->field_use, error);
  else
    message->text = herald_html_to_text (message->html);
  if (message->text == NULL)
    return NULL;

  return g_steal_pointer (&message);
}

/* Lint */

static HeraldLintProblem *
add_problem (GPtrArray          *problems,
             HeraldLintSeverity  severity,
             const char         *code,
             const char         *part,
             guint               line,
             guint               column,
             char               *message)
{
  HeraldLintProblem *problem = g_new0 (HeraldLintProblem, 1);

  problem->severity = severity;
  problem->code = g_strdup (code);
  problem->part = g_strdup (part);
  problem->line = line;
  problem->column = column;
  problem->message = message;
  g_ptr_array_add (problems, problem);
  return problem;
}

static gboolean
is_known_name (HeraldWorkspace *workspace,
               const char      *name,
               GHashTable      *custom,
               GHashTable      *segments)
{
  g_auto(GStrv) path = g_strsplit (name, ".", 2);

  for (guint f = 0; f < HERALD_N_CONTACT_FIELDS; f++)
    if (g_str_equal (path[0], herald_contact_field_key (f)))
      return path[1] == NULL;

  if (g_str_equal (path[0], "unsubscribe_url"))
    return path[1] == NULL;
  if (g_str_equal (path[0], "tags"))
    return TRUE;
  if (g_str_equal (path[0], "sender"))
    return path[1] != NULL && (g_str_equal (path[1], "name") || g_str_equal (path[1], "email")
                               || g_str_equal (path[1], "address"));
  if (g_str_equal (path[0], "campaign"))
    return path[1] != NULL && (g_str_equal (path[1], "name") || g_str_equal (path[1], "subject"));
  if (g_str_equal (path[0], "segment"))
    return path[1] != NULL && g_hash_table_contains (segments, path[1]);
  if (g_str_equal (path[0], "custom"))
    return path[1] != NULL && g_hash_table_contains (custom, path[1]);
  return path[1] == NULL && g_hash_table_contains (custom, path[0]);
}

static GHashTable *
custom_field_slugs (HeraldWorkspace *workspace)
{
  g_autoptr(GPtrArray) names = herald_contacts_list_custom_fields (workspace);
  GHashTable *slugs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < names->len; i++)
    g_hash_table_insert (slugs, herald_slug (names->pdata[i], '_'), g_strdup (names->pdata[i]));
  return slugs;
}

static GHashTable *
segment_slugs (HeraldWorkspace *workspace)
{
  g_autoptr(GPtrArray) segments = herald_segments_list (workspace, NULL);
  GHashTable *slugs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; segments != NULL && i < segments->len; i++)
    {
      HeraldSegmentInfo *info = g_ptr_array_index (segments, i);

      g_hash_table_insert (slugs, herald_slug (info->name, '-'), g_strdup (info->name));
    }
  return slugs;
}

/* The condition, on contacts "c", that a standard or custom field is
 * empty; NULL when the name is neither. The field's column comes from
 * Herald's own list, never from the template; a custom field's name is the
 * last bound parameter, returned in custom_name. */
static char *
empty_condition (const char  *name,
                 GHashTable  *custom,
                 const char **custom_name)
{
  *custom_name = NULL;
  for (guint f = 0; f < HERALD_N_CONTACT_FIELDS; f++)
    if (g_str_equal (name, herald_contact_field_key (f)))
      return g_strdup_printf ("coalesce(c.%s, '') = ''", herald_contact_field_key (f));

  *custom_name = g_hash_table_lookup (custom, g_str_has_prefix (name, "custom.") ? name + 7 : name);
  if (*custom_name == NULL)
    return NULL;
  return g_strdup ("NOT EXISTS (SELECT 1 FROM contact_fields cf JOIN custom_fields f ON f.id = cf.field_id "
                   "WHERE cf.contact_id = c.id AND f.name = ? AND coalesce(cf.value, '') != '')");
}

static sqlite3_stmt *
prepare_empty (HeraldWorkspace    *workspace,
               HeraldSegmentQuery *query,
               const char         *what,
               const char         *name,
               GHashTable         *custom,
               const char         *tail)
{
  const char *custom_name;
  g_autofree char *condition = empty_condition (name, custom, &custom_name);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;

  if (condition == NULL)
    return NULL;
  sql = g_strdup_printf ("SELECT %s FROM contacts c WHERE (%s) AND %s%s", what,
                         _herald_segment_query_get_where (query), condition, tail);
  stmt = _herald_workspace_prepare (workspace, sql, NULL);
  if (stmt == NULL)
    return NULL;
  _herald_segment_query_bind (query, stmt, 1);
  if (custom_name != NULL)
    sqlite3_bind_text (stmt, sqlite3_bind_parameter_count (stmt), custom_name, -1, SQLITE_TRANSIENT);
  return stmt;
}

/* How many contacts of the segment have no value for a standard or custom
 * field; -1 when the name is neither. */
static gint64
count_empty (HeraldWorkspace    *workspace,
             HeraldSegmentQuery *query,
             const char         *name,
             GHashTable         *custom)
{
  g_autoptr(sqlite3_stmt) stmt = prepare_empty (workspace, query, "count(*)", name, custom, "");

  return stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : -1;
}

/**
 * herald_templates_list_empty:
 * @segment: a saved segment's name
 * @field: a standard field's key or a custom field's slug
 * @limit: how many contacts at most
 *
 * The contacts of @segment for whom @field is empty: the people a merge
 * field without a fallback would greet with nothing.
 *
 * Returns: (transfer full) (element-type HeraldContact): the contacts, or
 *   %NULL with @error set
 */
GPtrArray *
herald_templates_list_empty (HeraldWorkspace  *workspace,
                             const char       *segment,
                             const char       *field,
                             guint             limit,
                             GError          **error)
{
  g_autoptr(HeraldSegmentQuery) query = NULL;
  g_autoptr(GHashTable) custom = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *tail = g_strdup_printf (" ORDER BY c.id LIMIT %u", limit);
  GPtrArray *contacts;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (segment != NULL && field != NULL, NULL);

  if (!(query = _herald_segment_query_new_for_name (workspace, segment, error)))
    return NULL;
  custom = custom_field_slugs (workspace);
  stmt = prepare_empty (workspace, query, HERALD_CONTACT_COLUMNS, field, custom, tail);
  if (stmt == NULL)
    {
      g_set_error (error, HERALD_TEMPLATES_ERROR, HERALD_TEMPLATES_ERROR_NOT_FOUND,
                   _("No contact field is called “%s”."), field);
      return NULL;
    }
  contacts = g_ptr_array_new_with_free_func (g_object_unref);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (contacts, _herald_contact_new_from_row (stmt));
  return contacts;
}

static gboolean
mentions_unsubscribe (GPtrArray *names,
                      GPtrArray *references)
{
  for (guint i = 0; i < names->len; i++)
    if (g_str_equal (((HeraldTemplateName *) names->pdata[i])->name, "unsubscribe_url"))
      return TRUE;
  for (guint i = 0; i < references->len; i++)
    {
      HeraldHtmlReference *reference = references->pdata[i];
      g_autofree char *lower = reference->url != NULL ? g_ascii_strdown (reference->url, -1) : NULL;

      if (!reference->is_image && lower != NULL
          && (strstr (lower, "unsub") != NULL || strstr (lower, "optout") != NULL
              || strstr (lower, "opt-out") != NULL))
        return TRUE;
    }
  return FALSE;
}

/* Checks a template for what would make it non-compliant (no unsubscribe
 * link, no postal address) or poor (subject, unknown fields, images
 * without alt text, plain http links); with a segment, also counts for
 * every merge field without a fallback how many of its contacts would get
 * an empty value. */
GPtrArray *
herald_template_record_lint (HeraldWorkspace            *workspace,
                             const HeraldTemplateRecord *record,
                             HeraldTemplateLibrary      *library,
                             const char                 *segment,
                             GError                    **error)
{
  static const char * const parts[] = { "subject", "preheader", "html", "text" };
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) herald_lint_problem_free);
  g_autoptr(GPtrArray) all_names = g_ptr_array_new ();
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) references = NULL;
  g_autoptr(GHashTable) custom = custom_field_slugs (workspace);
  g_autoptr(GHashTable) segments = segment_slugs (workspace);
  g_autoptr(GHashTable) reported = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(HeraldSegmentQuery) query = NULL;
  g_autofree char *address = herald_workspace_get_setting (workspace, "sender.postal_address");
  gboolean uses_address = FALSE;
  gboolean html_broken = FALSE;
  glong subject_length;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (record != NULL, NULL);

  if (segment != NULL && !(query = _herald_segment_query_new_for_name (workspace, segment, error)))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      const char *source = i == 0 ? record->subject : i == 1 ? record->preheader
                           : i == 2 ? record->html : record->text;
      HeraldTemplateLocation location = { 0 };
      g_autoptr(GError) syntax = NULL;
      g_autoptr(HeraldTemplate) template = NULL;
      g_autoptr(GPtrArray) partials = NULL;
      GPtrArray *names;

      if (source == NULL)
        continue;
      template = herald_template_new (source, &location, &syntax);
      if (template == NULL)
        {
          add_problem (problems, HERALD_LINT_ERROR, "syntax", parts[i], location.line, location.column,
                       g_strdup (syntax->message));
          html_broken |= i == 2;
          continue;
        }

      partials = herald_template_list_partials (template);
      for (guint j = 0; j < partials->len; j++)
        if (library == NULL || !herald_template_library_contains (library, partials->pdata[j]))
          add_problem (problems, HERALD_LINT_WARNING, "unknown-snippet", parts[i], 0, 0,
                       g_strdup_printf (_("There is no snippet or layout called “%s”; it will print nothing."),
                                        (char *) partials->pdata[j]));

      names = herald_template_list_names (template, library);
      g_ptr_array_add (keep, names);
      for (guint j = 0; j < names->len; j++)
        {
          HeraldTemplateName *name = names->pdata[j];

          g_ptr_array_add (all_names, name);
          if (g_str_equal (name->name, "sender.address"))
            uses_address = TRUE;
          if (!name->in_section && !is_known_name (workspace, name->name, custom, segments))
            add_problem (problems, HERALD_LINT_WARNING, "unknown-field", parts[i], name->line, name->column,
                         g_str_has_prefix (name->name, "segment.")
                         ? g_strdup_printf (_("There is no segment whose name gives “%s”."), name->name)
                         : g_strdup_printf (_("No contact field is called “%s”; it will print nothing."), name->name))
              ->field = g_strdup (name->name);
        }
    }

  references = herald_html_references (record->html != NULL ? record->html : "");

  /* What a broken body refers to is unknown until it is fixed. */
  if (!html_broken && !mentions_unsubscribe (all_names, references))
    add_problem (problems, HERALD_LINT_ERROR, "unsubscribe", "html", 0, 0,
                 g_strdup (_("There is no unsubscribe link. CAN-SPAM, CASL and the GDPR require one: add a link to {{unsubscribe_url}}.")));

  if (!html_broken && !uses_address && (address == NULL || address[0] == '\0'
                        || record->html == NULL || strstr (record->html, address) == NULL))
    add_problem (problems, HERALD_LINT_WARNING, "postal-address", "html", 0, 0,
                 address == NULL || address[0] == '\0'
                 ? g_strdup (_("The sender’s postal address is missing, which CAN-SPAM requires. Set it in Preferences and add {{sender.address}}."))
                 : g_strdup (_("The sender’s postal address is missing, which CAN-SPAM requires: add {{sender.address}}.")));

  {
    /* Measured as a contact with no fields would see it, fallbacks and all. */
    g_autoptr(HeraldTemplate) subject = NULL;
    g_autofree char *rendered = NULL;

    if (record->subject != NULL && (subject = herald_template_new (record->subject, NULL, NULL)) != NULL)
      rendered = herald_template_render_string (subject, NULL, NULL, NULL);
    if (rendered == NULL)
      rendered = g_strdup (record->subject != NULL ? record->subject : "");
    subject_length = g_utf8_strlen (g_strstrip (rendered), -1);
  }
  if (record->subject == NULL)
    ;
  else if (subject_length == 0)
    add_problem (problems, HERALD_LINT_ERROR, "subject-empty", "subject", 0, 0,
                 g_strdup (_("The subject is empty.")));
  else if (subject_length > LONG_SUBJECT)
    add_problem (problems, HERALD_LINT_WARNING, "subject-long", "subject", 0, 0,
                 g_strdup_printf (ngettext ("The subject is %ld character long; inboxes cut it after about %d.",
                                            "The subject is %ld characters long; inboxes cut it after about %d.",
                                            subject_length),
                                  subject_length, LONG_SUBJECT));

  for (guint i = 0; i < references->len; i++)
    {
      HeraldHtmlReference *reference = references->pdata[i];

      if (reference->is_image && reference->alt == NULL)
        add_problem (problems, HERALD_LINT_WARNING, "image-alt", "html", reference->line, 0,
                     g_strdup_printf (_("The image “%s” has no alt text for readers who do not load images."),
                                      reference->url != NULL ? reference->url : ""));
      else if (reference->url != NULL && g_ascii_strncasecmp (reference->url, "http://", 7) == 0)
        add_problem (problems, HERALD_LINT_WARNING, "insecure-link", "html", reference->line, 0,
                     g_strdup_printf (_("“%s” is not a secure link; use https://."), reference->url));
    }

  if (query != NULL)
    for (guint i = 0; i < all_names->len; i++)
      {
        HeraldTemplateName *name = all_names->pdata[i];
        gint64 empty;

        if (name->has_fallback || name->in_section || !g_hash_table_add (reported, name->name))
          continue;
        empty = count_empty (workspace, query, name->name, custom);
        if (empty > 0)
          add_problem (problems, HERALD_LINT_WARNING, "empty-field", "html", 0, 0,
                       g_strdup_printf (ngettext ("“%s” is empty for %'lld contact in “%s” and has no fallback; add one with | default: \"…\".",
                                                  "“%s” is empty for %'lld contacts in “%s” and has no fallback; add one with | default: \"…\".",
                                                  empty),
                                        name->name, (long long) empty, segment))
            ->field = g_strdup (name->name);
      }

  return g_steal_pointer (&problems);
}

/**
 * herald_lint_problems_add_links:
 * @problems: (element-type HeraldLintProblem): lint problems to add to
 * @results: (element-type HeraldLinkResult): what a link check found
 *
 * Adds a problem for every broken link.
 */
void
herald_lint_problems_add_links (GPtrArray *problems,
                                GPtrArray *results)
{
  for (guint i = 0; i < results->len; i++)
    {
      HeraldLinkResult *result = results->pdata[i];

      if (!result->ok)
        add_problem (problems, HERALD_LINT_WARNING, "broken-link", "html", 0, 0,
                     /* Translators: the first %s is a link, the second what went wrong. */
                     g_strdup_printf (_("The link “%s” is broken: %s"), result->url, result->problem));
    }
}

typedef struct
{
  char                 *path;
  HeraldTemplateRecord *record;
  char                 *segment;
} LintData;

static void
lint_data_free (LintData *data)
{
  g_free (data->path);
  herald_template_record_free (data->record);
  g_free (data->segment);
  g_free (data);
}

static void
lint_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LintData *data = task_data;
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(HeraldTemplateLibrary) library = NULL;
  GPtrArray *problems = NULL;
  GError *error = NULL;

  if (!(workspace = herald_workspace_open (data->path, HERALD_WORKSPACE_OPEN_PRIVATE, &error))
      || !(library = herald_snippets_load (workspace, &error))
      || !(problems = herald_template_record_lint (workspace, data->record, library, data->segment, &error)))
    g_task_return_error (task, error);
  else if (!g_task_return_error_if_cancelled (task))
    g_task_return_pointer (task, problems, (GDestroyNotify) g_ptr_array_unref);
  else
    g_ptr_array_unref (problems);
}

/**
 * herald_template_record_lint_async:
 *
 * Lints in a worker thread, on a connection of its own: counting empty
 * fields over a large segment takes a while.
 */
void
herald_template_record_lint_async (HeraldWorkspace            *workspace,
                                   const HeraldTemplateRecord *record,
                                   const char                 *segment,
                                   GCancellable               *cancellable,
                                   GAsyncReadyCallback         callback,
                                   gpointer                    user_data)
{
  g_autoptr(GTask) task = NULL;
  LintData *data;

  g_return_if_fail (HERALD_IS_WORKSPACE (workspace));
  g_return_if_fail (record != NULL);

  data = g_new0 (LintData, 1);
  data->path = g_strdup (herald_workspace_get_path (workspace));
  data->record = herald_template_record_copy (record);
  data->segment = g_strdup (segment);

  task = g_task_new (workspace, cancellable, callback, user_data);
  g_task_set_source_tag (task, herald_template_record_lint_async);
  g_task_set_task_data (task, data, (GDestroyNotify) lint_data_free);
  g_task_run_in_thread (task, lint_thread);
}

GPtrArray *
herald_template_record_lint_finish (HeraldWorkspace  *workspace,
                                    GAsyncResult     *result,
                                    GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, workspace), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
