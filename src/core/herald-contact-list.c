/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-contact-list"

#include "config.h"

#include <glib/gi18n.h>

#include "herald-contact-list.h"
#include "herald-contact-private.h"
#include "herald-workspace-private.h"

/* Rows are read a page at a time as a list view asks for them, so that an
 * audience of a million contacts costs only what is on screen. */
#define PAGE_SIZE 256

struct _HeraldContactList
{
  GObject          parent_instance;

  HeraldWorkspace *workspace;
  GHashTable      *pages;
  guint            n_items;
  char            *pattern;
};

/* The search matches anywhere in the address, the names or the company. */
#define SEARCH_WHERE \
  " WHERE ?3 IS NULL OR email LIKE ?3 ESCAPE '\\' OR company LIKE ?3 ESCAPE '\\' " \
  "OR (coalesce(first_name, '') || ' ' || coalesce(last_name, '')) LIKE ?3 ESCAPE '\\' "

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HeraldContactList, herald_contact_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GPtrArray *
load_page (HeraldContactList *self,
           guint              page)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *rows;

  rows = g_ptr_array_new_with_free_func (g_object_unref);

  stmt = _herald_workspace_prepare (self->workspace,
                                    "SELECT " HERALD_CONTACT_COLUMNS " FROM contacts "
                                    SEARCH_WHERE "ORDER BY id LIMIT ?1 OFFSET ?2",
                                    &error);
  if (stmt == NULL)
    {
      g_warning ("%s", error->message);
      return rows;
    }

  sqlite3_bind_int (stmt, 1, PAGE_SIZE);
  sqlite3_bind_int64 (stmt, 2, (gint64)page * PAGE_SIZE);
  if (self->pattern != NULL)
    sqlite3_bind_text (stmt, 3, self->pattern, -1, SQLITE_TRANSIENT);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (rows, _herald_contact_new_from_row (stmt));

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
  return HERALD_CONTACT_LIST (model)->n_items;
}

static gpointer
herald_contact_list_get_item (GListModel *model,
                              guint       position)
{
  HeraldContactList *self = HERALD_CONTACT_LIST (model);
  guint page = position / PAGE_SIZE;
  GPtrArray *rows;

  if (position >= self->n_items)
    return NULL;

  if (!(rows = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page))))
    {
      rows = load_page (self, page);
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), rows);
    }

  if (position % PAGE_SIZE >= rows->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (rows, position % PAGE_SIZE));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = herald_contact_list_get_item_type;
  iface->get_n_items = herald_contact_list_get_n_items;
  iface->get_item = herald_contact_list_get_item;
}

static void
herald_contact_list_finalize (GObject *object)
{
  HeraldContactList *self = (HeraldContactList *)object;

  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->pattern, g_free);
  g_clear_object (&self->workspace);

  G_OBJECT_CLASS (herald_contact_list_parent_class)->finalize (object);
}

static void
herald_contact_list_class_init (HeraldContactListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = herald_contact_list_finalize;
}

static void
herald_contact_list_init (HeraldContactList *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify)g_ptr_array_unref);
}

/**
 * herald_contact_list_new:
 *
 * Returns: (transfer full): every contact of @workspace in the order they
 *   were added.
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

/**
 * herald_contact_list_reload:
 *
 * Reads the contacts again after the workspace changed.
 */
gboolean
herald_contact_list_reload (HeraldContactList  *self,
                            GError            **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint old_n_items;
  gint64 count;

  g_return_val_if_fail (HERALD_IS_CONTACT_LIST (self), FALSE);

  if (!(stmt = _herald_workspace_prepare (self->workspace, "SELECT count(*) FROM contacts" SEARCH_WHERE, error)))
    return FALSE;
  if (self->pattern != NULL)
    sqlite3_bind_text (stmt, 3, self->pattern, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _herald_workspace_set_db_error (self->workspace, error);
      return FALSE;
    }
  count = sqlite3_column_int64 (stmt, 0);

  old_n_items = self->n_items;
  g_hash_table_remove_all (self->pages);
  self->n_items = (guint)MIN (count, G_MAXUINT);

  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n_items, self->n_items);

  return TRUE;
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
  g_autoptr(GError) error = NULL;
  GString *pattern;

  g_return_if_fail (HERALD_IS_CONTACT_LIST (self));

  g_clear_pointer (&self->pattern, g_free);

  if (text != NULL && text[0] != '\0')
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (text));

      /* LIKE's wildcards in the text are meant literally. */
      pattern = g_string_new ("%");
      for (const char *p = trimmed; *p; p++)
        {
          if (*p == '%' || *p == '_' || *p == '\\')
            g_string_append_c (pattern, '\\');
          g_string_append_c (pattern, *p);
        }
      g_string_append_c (pattern, '%');
      self->pattern = g_string_free (pattern, FALSE);
    }

  if (!herald_contact_list_reload (self, &error))
    g_warning ("%s", error->message);
}
