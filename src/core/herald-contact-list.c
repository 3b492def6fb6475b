/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-contact-list"

#include "config.h"

#include <glib/gi18n.h>

#include "herald-contact-list.h"
#include "herald-contact-private.h"
#include "herald-workspace-private.h"

/* The list holds only the ids of the matching contacts, in order: eight
 * bytes a contact. Rows are read a page at a time as a list view asks for
 * them, and only the pages read last are kept, so an audience of a
 * million costs only what is on screen. */
#define PAGE_SIZE 128
#define MAX_PAGES 32

/* A reload that changes more rows than this starts the view again from
 * the top: a list view told that rows it shows were replaced looks for
 * them among all the new rows, which would read every one. */
#define MAX_REPLACED_ROWS 4096

struct _HeraldContactList
{
  GObject            parent_instance;

  HeraldWorkspace   *workspace;
  GArray            *ids;
  GHashTable        *pages;
  GQueue             page_order;
  sqlite3_stmt      *page_stmt;

  char              *pattern;
  char              *status;
  char              *tag;
  HeraldContactSort  sort;
  gboolean           descending;

  gboolean           background;
  GCancellable      *loading;
};

enum {
  PROP_0,
  PROP_BACKGROUND,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HeraldContactList, herald_contact_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static const char * const sort_columns[] = {
  [HERALD_CONTACT_SORT_ADDED] = "id",
  [HERALD_CONTACT_SORT_NAME] = "coalesce(first_name, '') || ' ' || coalesce(last_name, '') COLLATE NOCASE",
  [HERALD_CONTACT_SORT_EMAIL] = "email",
  [HERALD_CONTACT_SORT_COMPANY] = "company IS NULL, company COLLATE NOCASE",
  [HERALD_CONTACT_SORT_COUNTRY] = "country IS NULL, country",
  [HERALD_CONTACT_SORT_STATUS] = "status",
};

static GPtrArray *
load_page (HeraldContactList *self,
           guint              page)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  guint first = page * PAGE_SIZE;
  guint n = MIN (PAGE_SIZE, self->ids->len - first);
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_object_unref);

  if (self->page_stmt == NULL)
    {
      g_autoptr(GString) sql = g_string_new ("SELECT " HERALD_CONTACT_COLUMNS " FROM contacts WHERE id IN (?");
      g_autoptr(GError) error = NULL;

      for (guint i = 1; i < PAGE_SIZE; i++)
        g_string_append (sql, ", ?");
      g_string_append (sql, ")");

      if (!(self->page_stmt = _herald_workspace_prepare (self->workspace, sql->str, &error)))
        {
          g_warning ("%s", error->message);
          return rows;
        }
    }

  sqlite3_clear_bindings (self->page_stmt);
  for (guint i = 0; i < n; i++)
    sqlite3_bind_int64 (self->page_stmt, i + 1, g_array_index (self->ids, gint64, first + i));

  while (sqlite3_step (self->page_stmt) == SQLITE_ROW)
    {
      HeraldContact *contact = _herald_contact_new_from_row (self->page_stmt);
      gint64 *key = g_new (gint64, 1);

      *key = herald_contact_get_id (contact);
      g_hash_table_insert (by_id, key, contact);
    }
  sqlite3_reset (self->page_stmt);

  /* A contact deleted since the ids were read leaves a gap: the page is
   * shorter, and the view is told when the list reloads. */
  for (guint i = 0; i < n; i++)
    {
      gint64 id = g_array_index (self->ids, gint64, first + i);
      HeraldContact *contact = g_hash_table_lookup (by_id, &id);

      if (contact != NULL)
        g_ptr_array_add (rows, g_object_ref (contact));
    }

  return rows;
}

static GType
herald_contact_list_get_item_type (GListModel *model)
{
  return HERALD_TYPE_CONTACT;
}

static guint
herald_contact_list_get_n_items (GListModel *model)
{
  return HERALD_CONTACT_LIST (model)->ids->len;
}

static gpointer
herald_contact_list_get_item (GListModel *model,
                              guint       position)
{
  HeraldContactList *self = HERALD_CONTACT_LIST (model);
  guint page = position / PAGE_SIZE;
  GPtrArray *rows;

  if (position >= self->ids->len)
    return NULL;

  if (!(rows = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page))))
    {
      rows = load_page (self, page);
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), rows);
      g_queue_push_tail (&self->page_order, GUINT_TO_POINTER (page));
      if (g_queue_get_length (&self->page_order) > MAX_PAGES)
        g_hash_table_remove (self->pages, g_queue_pop_head (&self->page_order));
    }

  for (guint i = 0; i < rows->len; i++)
    {
      HeraldContact *contact = g_ptr_array_index (rows, i);

      if (herald_contact_get_id (contact) == g_array_index (self->ids, gint64, position))
        return g_object_ref (contact);
    }

  return NULL;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = herald_contact_list_get_item_type;
  iface->get_n_items = herald_contact_list_get_n_items;
  iface->get_item = herald_contact_list_get_item;
}

static void
herald_contact_list_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  HeraldContactList *self = HERALD_CONTACT_LIST (object);

  switch (prop_id)
    {
    case PROP_BACKGROUND:
      g_value_set_boolean (value, self->background);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_contact_list_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  HeraldContactList *self = HERALD_CONTACT_LIST (object);

  switch (prop_id)
    {
    case PROP_BACKGROUND:
      self->background = g_value_get_boolean (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_contact_list_dispose (GObject *object)
{
  HeraldContactList *self = (HeraldContactList *)object;

  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);

  G_OBJECT_CLASS (herald_contact_list_parent_class)->dispose (object);
}

static void
herald_contact_list_finalize (GObject *object)
{
  HeraldContactList *self = (HeraldContactList *)object;

  g_clear_pointer (&self->page_stmt, sqlite3_finalize);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_queue_clear (&self->page_order);
  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_pointer (&self->pattern, g_free);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->tag, g_free);
  g_clear_object (&self->workspace);

  G_OBJECT_CLASS (herald_contact_list_parent_class)->finalize (object);
}

static void
herald_contact_list_class_init (HeraldContactListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = herald_contact_list_dispose;
  object_class->finalize = herald_contact_list_finalize;
  object_class->get_property = herald_contact_list_get_property;
  object_class->set_property = herald_contact_list_set_property;

  /**
   * HeraldContactList:background:
   *
   * Whether changing the search, filters or sort reloads in a worker
   * thread rather than at once.
   */
  properties[PROP_BACKGROUND] =
    g_param_spec_boolean ("background", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * HeraldContactList:loading:
   *
   * Whether a reload in the background is under way.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
herald_contact_list_init (HeraldContactList *self)
{
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify)g_ptr_array_unref);
}

/**
 * herald_contact_list_new:
 *
 * Returns: (transfer full): every contact of @workspace, in the order they
 *   were added until a sort, search or filter is set.
 */
HeraldContactList *
herald_contact_list_new (HeraldWorkspace *workspace)
{
  HeraldContactList *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);

  self = g_object_new (HERALD_TYPE_CONTACT_LIST, NULL);
  self->workspace = g_object_ref (workspace);

  if (!herald_contact_list_reload (self, &error))
    g_warning ("%s", error->message);

  return self;
}

/* What a reload asks for, copied so that a worker thread can use it while
 * the list's own settings change. */
typedef struct
{
  char              *path;
  char              *pattern;
  char              *status;
  char              *tag;
  HeraldContactSort  sort;
  gboolean           descending;
} Query;

static Query *
query_new (HeraldContactList *self)
{
  Query *query = g_new0 (Query, 1);

  query->path = g_strdup (herald_workspace_get_path (self->workspace));
  query->pattern = g_strdup (self->pattern);
  query->status = g_strdup (self->status);
  query->tag = g_strdup (self->tag);
  query->sort = self->sort;
  query->descending = self->descending;

  return query;
}

static void
query_free (Query *query)
{
  g_free (query->path);
  g_free (query->pattern);
  g_free (query->status);
  g_free (query->tag);
  g_free (query);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Query, query_free)

static GArray *
query_ids (Query            *query,
           HeraldWorkspace  *workspace,
           GCancellable     *cancellable,
           GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) sql = g_string_new ("SELECT id FROM contacts WHERE 1");
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint n = 0;

  /* Every value is a bound parameter; only Herald's own text is pasted. */
  if (query->pattern != NULL)
    g_string_append (sql, " AND (email LIKE ?1 ESCAPE '\\' OR company LIKE ?1 ESCAPE '\\' "
                          "OR (coalesce(first_name, '') || ' ' || coalesce(last_name, '')) LIKE ?1 ESCAPE '\\')");
  if (query->status != NULL)
    g_string_append (sql, " AND status = ?2");
  if (query->tag != NULL)
    g_string_append (sql, " AND id IN (SELECT ct.contact_id FROM contact_tags ct "
                          "JOIN tags t ON t.id = ct.tag_id WHERE t.name = ?3)");
  g_string_append_printf (sql, " ORDER BY %s%s, id%s", sort_columns[query->sort],
                          query->descending ? " DESC" : "", query->descending ? " DESC" : "");

  if (!(stmt = _herald_workspace_prepare (workspace, sql->str, error)))
    return NULL;

  if (query->pattern != NULL)
    sqlite3_bind_text (stmt, 1, query->pattern, -1, SQLITE_TRANSIENT);
  if (query->status != NULL)
    sqlite3_bind_text (stmt, 2, query->status, -1, SQLITE_TRANSIENT);
  if (query->tag != NULL)
    sqlite3_bind_text (stmt, 3, query->tag, -1, SQLITE_TRANSIENT);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);

      if (++n % 65536 == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
    }

  return g_steal_pointer (&ids);
}

/* Tells the view that the rows from @position changed, @removed of them
 * making way for @added. */
static void
emit_changed (HeraldContactList *self,
              guint              position,
              guint              removed,
              guint              added)
{
  if (removed > 0 || added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

static void
set_ids (HeraldContactList *self,
         GArray            *ids)
{
  g_autoptr(GArray) old = self->ids;
  g_autoptr(GList) pages = g_queue_peek_head_link (&self->page_order);
  guint old_n = old->len;
  guint new_n = ids->len;
  guint prefix = 0;
  guint suffix = 0;

  /* Only the rows between what stayed at the start and at the end moved. */
  while (prefix < old_n && prefix < new_n &&
         g_array_index (old, gint64, prefix) == g_array_index (ids, gint64, prefix))
    prefix++;
  while (suffix < old_n - prefix && suffix < new_n - prefix &&
         g_array_index (old, gint64, old_n - 1 - suffix) == g_array_index (ids, gint64, new_n - 1 - suffix))
    suffix++;

  g_queue_init (&self->page_order);
  g_hash_table_remove_all (self->pages);

  if (old_n - prefix - suffix > 0 && new_n - prefix - suffix > MAX_REPLACED_ROWS)
    {
      self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      emit_changed (self, 0, old_n, 0);
      g_array_unref (self->ids);
      self->ids = g_array_ref (ids);
      emit_changed (self, 0, 0, new_n);
      return;
    }

  self->ids = g_array_ref (ids);
  emit_changed (self, prefix, old_n - prefix - suffix, new_n - prefix - suffix);

  /* The rows read before may have changed where the order did not: they
   * are read again, at their new places. */
  for (GList *l = pages; l != NULL; l = l->next)
    {
      guint start = GPOINTER_TO_UINT (l->data) * PAGE_SIZE;
      guint end = MIN (start + PAGE_SIZE, old_n);

      if (start < prefix)
        emit_changed (self, start, MIN (end, prefix) - start, MIN (end, prefix) - start);
      if (end > old_n - suffix)
        {
          guint from = MAX (start, old_n - suffix);

          emit_changed (self, from + new_n - old_n, end - from, end - from);
        }
    }
}

/**
 * herald_contact_list_reload:
 *
 * Reads the matching contacts again, after the workspace changed or the
 * search, filters or sort did.
 */
gboolean
herald_contact_list_reload (HeraldContactList  *self,
                            GError            **error)
{
  g_autoptr(Query) query = NULL;
  g_autoptr(GArray) ids = NULL;

  g_return_val_if_fail (HERALD_IS_CONTACT_LIST (self), FALSE);

  /* A reload supersedes one still running in the background. */
  if (self->loading != NULL)
    {
      g_cancellable_cancel (self->loading);
      g_clear_object (&self->loading);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }

  query = query_new (self);
  if (!(ids = query_ids (query, self->workspace, NULL, error)))
    return FALSE;

  set_ids (self, ids);
  return TRUE;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Query *query = task_data;
  g_autoptr(HeraldWorkspace) workspace = NULL;
  GError *error = NULL;
  GArray *ids;

  if (!(workspace = herald_workspace_open (query->path, HERALD_WORKSPACE_OPEN_PRIVATE, &error)) ||
      !(ids = query_ids (query, workspace, cancellable, &error)))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, ids, (GDestroyNotify)g_array_unref);
}

static void
load_finished_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  HeraldContactList *self = HERALD_CONTACT_LIST (object);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  ids = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);

  if (ids == NULL)
    g_warning ("%s", error->message);
  else
    set_ids (self, ids);
}

/* In the background a reload reads the ids on a connection of its own in a
 * worker thread, so that sorting a million contacts never stops the
 * window; the list changes when they are in. */
static void
reload_in_background (HeraldContactList *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_set_object (&self->loading, g_cancellable_new ());

  task = g_task_new (self, self->loading, load_finished_cb, NULL);
  g_task_set_source_tag (task, reload_in_background);
  g_task_set_task_data (task, query_new (self), (GDestroyNotify)query_free);
  g_task_run_in_thread (task, load_thread);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
reload_or_warn (HeraldContactList *self)
{
  g_autoptr(GError) error = NULL;

  if (self->background)
    reload_in_background (self);
  else if (!herald_contact_list_reload (self, &error))
    g_warning ("%s", error->message);
}

/**
 * herald_contact_list_set_search:
 * @text: (nullable): words to look for, or %NULL for every contact
 *
 * Keeps the contacts whose address, name or company contains @text,
 * ignoring case.
 */
void
herald_contact_list_set_search (HeraldContactList *self,
                                const char        *text)
{
  g_return_if_fail (HERALD_IS_CONTACT_LIST (self));

  g_clear_pointer (&self->pattern, g_free);

  if (text != NULL && text[0] != '\0')
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (text));
      GString *pattern = g_string_new ("%");

      /* LIKE's wildcards in the text are meant literally. */
      for (const char *p = trimmed; *p; p++)
        {
          if (*p == '%' || *p == '_' || *p == '\\')
            g_string_append_c (pattern, '\\');
          g_string_append_c (pattern, *p);
        }
      g_string_append_c (pattern, '%');
      self->pattern = g_string_free (pattern, FALSE);
    }

  reload_or_warn (self);
}

/**
 * herald_contact_list_set_status:
 * @status: (nullable): a status such as "subscribed", or %NULL for any
 */
void
herald_contact_list_set_status (HeraldContactList *self,
                                const char        *status)
{
  g_return_if_fail (HERALD_IS_CONTACT_LIST (self));

  g_free (self->status);
  self->status = g_strdup (status);
  reload_or_warn (self);
}

/**
 * herald_contact_list_set_tag:
 * @tag: (nullable): a tag the contacts must have, or %NULL for any
 */
void
herald_contact_list_set_tag (HeraldContactList *self,
                             const char        *tag)
{
  g_return_if_fail (HERALD_IS_CONTACT_LIST (self));

  g_free (self->tag);
  self->tag = g_strdup (tag);
  reload_or_warn (self);
}

void
herald_contact_list_set_sort (HeraldContactList *self,
                              HeraldContactSort  sort,
                              gboolean           descending)
{
  g_return_if_fail (HERALD_IS_CONTACT_LIST (self));
  g_return_if_fail (sort < G_N_ELEMENTS (sort_columns));

  self->sort = sort;
  self->descending = descending;
  reload_or_warn (self);
}

/**
 * herald_contact_list_get_id:
 *
 * Returns: the id of the contact at @position, without reading the contact
 */
gint64
herald_contact_list_get_id (HeraldContactList *self,
                            guint              position)
{
  g_return_val_if_fail (HERALD_IS_CONTACT_LIST (self), 0);
  g_return_val_if_fail (position < self->ids->len, 0);

  return g_array_index (self->ids, gint64, position);
}
