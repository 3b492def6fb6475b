/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-workspace"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>

#include "herald-workspace-private.h"

struct _HeraldWorkspace
{
  GObject  parent_instance;

  char    *path;
  char    *name;
  sqlite3 *db;
  int      schema_version;
};

G_DEFINE_FINAL_TYPE (HeraldWorkspace, herald_workspace, G_TYPE_OBJECT)

G_DEFINE_QUARK (herald-workspace-error-quark, herald_workspace_error)

enum {
  PROP_0,
  PROP_PATH,
  PROP_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The schema, one step per version. A step is never edited once released:
 * later changes are new steps, so every older file can be brought forward.
 * Checks are written as OR chains: SQLite builds a temporary table for an
 * IN list on every row it inserts. */
static const HeraldMigration migrations[] = {
  {
    "contacts, tags, consent, segments, templates, flows, campaigns and events",
    "CREATE TABLE settings ("
    "  key TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL"
    ") WITHOUT ROWID;"

    /* Addresses are stored as herald_email_normalize() leaves them, lower
     * case, so the unique index compares them byte for byte. */
    "CREATE TABLE contacts ("
    "  id INTEGER PRIMARY KEY,"
    "  email TEXT NOT NULL UNIQUE,"
    "  first_name TEXT,"
    "  last_name TEXT,"
    "  company TEXT,"
    "  job_title TEXT,"
    "  industry TEXT,"
    "  company_size INTEGER,"
    "  country TEXT,"
    "  city TEXT,"
    "  phone TEXT,"
    "  language TEXT,"
    "  source TEXT,"
    "  status TEXT NOT NULL DEFAULT 'subscribed' CHECK (status = 'subscribed' OR"
    "    status = 'unsubscribed' OR status = 'bounced' OR status = 'complained' OR status = 'pending'),"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX contacts_status ON contacts (status);"

    "CREATE TABLE custom_fields ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE COLLATE NOCASE"
    ");"
    "CREATE TABLE contact_fields ("
    "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
    "  field_id INTEGER NOT NULL REFERENCES custom_fields (id) ON DELETE CASCADE,"
    "  value TEXT,"
    "  PRIMARY KEY (contact_id, field_id)"
    ") WITHOUT ROWID;"
    "CREATE INDEX contact_fields_field ON contact_fields (field_id, value);"

    "CREATE TABLE tags ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE COLLATE NOCASE"
    ");"
    "CREATE TABLE contact_tags ("
    "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
    "  tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,"
    "  added_at INTEGER NOT NULL,"
    "  PRIMARY KEY (contact_id, tag_id)"
    ") WITHOUT ROWID;"
    "CREATE INDEX contact_tags_tag ON contact_tags (tag_id, contact_id);"

    "CREATE TABLE consents ("
    "  id INTEGER PRIMARY KEY,"
    "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
    "  purpose TEXT NOT NULL,"
    "  granted INTEGER NOT NULL CHECK (granted = 0 OR granted = 1),"
    "  method TEXT,"
    "  source TEXT,"
    "  recorded_at INTEGER NOT NULL,"
    "  evidence TEXT"
    ");"
    "CREATE INDEX consents_contact ON consents (contact_id, purpose, recorded_at);"

    "CREATE TABLE segments ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    "  description TEXT,"
    "  rules TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"

    "CREATE TABLE snippets ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    "  kind TEXT NOT NULL CHECK (kind = 'partial' OR kind = 'layout'),"
    "  body TEXT NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"

    "CREATE TABLE templates ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    "  subject TEXT NOT NULL DEFAULT '',"
    "  preheader TEXT NOT NULL DEFAULT '',"
    "  html TEXT NOT NULL DEFAULT '',"
    "  text TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"

    "CREATE TABLE flows ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    "  graph TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"

    "CREATE TABLE campaigns ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    "  flow_id INTEGER REFERENCES flows (id) ON DELETE SET NULL,"
    "  flow_node TEXT,"
    "  template_id INTEGER REFERENCES templates (id) ON DELETE SET NULL,"
    "  variant TEXT,"
    "  esp TEXT,"
    "  esp_id TEXT,"
    "  sent_at INTEGER,"
    "  created_at INTEGER NOT NULL"
    ");"

    "CREATE TABLE events ("
    "  id INTEGER PRIMARY KEY,"
    "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
    "  campaign_id INTEGER REFERENCES campaigns (id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL CHECK (kind = 'sent' OR kind = 'delivered' OR kind = 'open' OR"
    "    kind = 'click' OR kind = 'bounce' OR kind = 'unsubscribe' OR kind = 'complaint' OR"
    "    kind = 'conversion'),"
    "  occurred_at INTEGER NOT NULL,"
    "  url TEXT,"
    "  value_minor INTEGER,"
    "  external_id TEXT"
    ");"
    "CREATE INDEX events_contact ON events (contact_id, kind, occurred_at);"
    "CREATE INDEX events_campaign ON events (campaign_id, kind);"

    "CREATE TABLE imports ("
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL,"
    "  file TEXT,"
    "  state TEXT NOT NULL CHECK (state = 'running' OR state = 'done' OR state = 'failed' OR"
    "    state = 'cancelled'),"
    "  started_at INTEGER NOT NULL,"
    "  finished_at INTEGER,"
    "  summary TEXT"
    ");"
  },
  {
    "erasures: people who asked to be forgotten, kept as address hashes",
    "CREATE TABLE erasures ("
    "  email_hash TEXT PRIMARY KEY,"
    "  erased_at INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE INDEX contacts_created ON contacts (created_at);"
  },
  {
    "contacts remember the import that last touched them",
    "ALTER TABLE contacts ADD COLUMN import_id INTEGER;"
  },
  {
    "behaviour rules find events by kind and time",
    "CREATE INDEX events_kind ON events (kind, occurred_at, contact_id);"
  },
  {
    "campaign results as the email service reports them, and campaign costs",
    /* The counts a report gives, kept raw so any rate can be worked out
     * again; NULL where the report has none ("n/a"). Money in minor
     * units of the workspace currency. A variant is an A/B combination,
     * '' for the campaign as a whole. */
    "CREATE TABLE campaign_results ("
    "  campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,"
    "  variant TEXT NOT NULL DEFAULT '',"
    "  sent INTEGER,"
    "  delivered INTEGER,"
    "  soft_bounces INTEGER,"
    "  hard_bounces INTEGER,"
    "  unique_opens INTEGER,"
    "  total_opens INTEGER,"
    "  proxy_excluded_unique_opens INTEGER,"
    "  unique_clicks INTEGER,"
    "  total_clicks INTEGER,"
    "  unsubscribes INTEGER,"
    "  complaints INTEGER,"
    "  orders INTEGER,"
    "  revenue_minor INTEGER,"
    "  reported_cost_minor INTEGER,"
    "  source TEXT NOT NULL,"
    "  imported_at INTEGER NOT NULL,"
    "  PRIMARY KEY (campaign_id, variant)"
    ") WITHOUT ROWID;"
    /* What the marketer says a campaign cost: fixed, per 1,000 emails and
     * labour, each in minor units. */
    "CREATE TABLE campaign_costs ("
    "  campaign_id INTEGER PRIMARY KEY REFERENCES campaigns (id) ON DELETE CASCADE,"
    "  fixed_minor INTEGER NOT NULL DEFAULT 0,"
    "  per_1000_minor INTEGER NOT NULL DEFAULT 0,"
    "  labour_minor INTEGER NOT NULL DEFAULT 0"
    ");"
    /* The links of a campaign's report and the clicks each got. */
    "CREATE TABLE campaign_links ("
    "  campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,"
    "  url TEXT NOT NULL,"
    "  total_clicks INTEGER,"
    "  unique_clicks INTEGER,"
    "  PRIMARY KEY (campaign_id, url)"
    ") WITHOUT ROWID;"
    "CREATE UNIQUE INDEX campaigns_esp ON campaigns (esp, esp_id) WHERE esp_id IS NOT NULL;"
  },
  {
    "a recipient's event is kept once, and an order once by its id",
    /* The same activity imported twice counts once; this index also
     * serves every look-up by contact, kind and time. */
    "DELETE FROM events WHERE id NOT IN (SELECT min(id) FROM events GROUP BY contact_id, kind, occurred_at,"
    "  coalesce(campaign_id, 0), coalesce(url, ''), coalesce(external_id, ''));"
    "DROP INDEX events_contact;"
    "CREATE UNIQUE INDEX events_once ON events (contact_id, kind, occurred_at, coalesce(campaign_id, 0),"
    "  coalesce(url, ''), coalesce(external_id, ''));"
    "CREATE UNIQUE INDEX events_orders ON events (external_id) WHERE kind = 'conversion' AND external_id IS NOT NULL;"
  },
  {
    "campaigns remember the segment they were sent to",
    "ALTER TABLE campaigns ADD COLUMN segment_id INTEGER REFERENCES segments (id) ON DELETE SET NULL;"
  },
};

static void
herald_workspace_finalize (GObject *object)
{
  HeraldWorkspace *self = (HeraldWorkspace *)object;

  g_clear_pointer (&self->db, sqlite3_close_v2);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (herald_workspace_parent_class)->finalize (object);
}

static void
herald_workspace_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  HeraldWorkspace *self = HERALD_WORKSPACE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_workspace_class_init (HeraldWorkspaceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = herald_workspace_finalize;
  object_class->get_property = herald_workspace_get_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
herald_workspace_init (HeraldWorkspace *self)
{
}

/**
 * herald_workspace_name_for_path:
 *
 * Returns: (transfer full): the name a user knows the workspace at @path
 *   by: its file name without the suffix.
 */
char *
herald_workspace_name_for_path (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);

  if (g_str_has_suffix (base, HERALD_WORKSPACE_SUFFIX) &&
      strlen (base) > strlen (HERALD_WORKSPACE_SUFFIX))
    base[strlen (base) - strlen (HERALD_WORKSPACE_SUFFIX)] = '\0';

  return g_filename_display_name (base);
}

static void
set_sqlite_error (sqlite3     *db,
                  const char  *path,
                  GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, HERALD_WORKSPACE_ERROR, HERALD_WORKSPACE_ERROR_DATABASE,
               _("The workspace “%s” could not be read or written: %s"),
               display, db ? sqlite3_errmsg (db) : _("out of memory"));
}

static void
set_not_workspace_error (const char  *path,
                         GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, HERALD_WORKSPACE_ERROR, HERALD_WORKSPACE_ERROR_NOT_WORKSPACE,
               _("“%s” is not a Herald workspace. Choose a file saved by Herald, or create a new workspace."),
               display);
}

/* Creates the empty file ourselves, so that it (and the -wal and -shm files
 * SQLite derives from it) is private to the user from the first byte. */
/* Herald never asks SQLite how much memory it uses, and counting it takes
 * a lock on every allocation: a large import is a few percent faster
 * without. This has to come before SQLite starts, at the first open. */
static void
configure_sqlite (void)
{
  static gsize configured = 0;

  if (g_once_init_enter (&configured))
    {
      sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
      g_once_init_leave (&configured, 1);
    }
}

static gboolean
create_private_file (const char  *path,
                     GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *display = g_filename_display_name (path);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, HERALD_WORKSPACE_ERROR, HERALD_WORKSPACE_ERROR_IO,
                   _("The workspace “%s” could not be created: %s"),
                   display, g_strerror (saved_errno));
      return FALSE;
    }

  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, HERALD_WORKSPACE_ERROR,
                   saved_errno == EEXIST ? HERALD_WORKSPACE_ERROR_EXISTS : HERALD_WORKSPACE_ERROR_IO,
                   _("The workspace “%s” could not be created: %s"),
                   display, g_strerror (saved_errno));
      return FALSE;
    }

  g_close (fd, NULL);
  return TRUE;
}

static void
remove_created_files (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (wal);
  g_unlink (shm);
  g_unlink (path);
}

static gboolean
read_header_int (sqlite3    *db,
                 const char *pragma,
                 int        *out_value,
                 int        *out_rc)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, pragma, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    *out_value = sqlite3_column_int (stmt, 0);

  sqlite3_finalize (stmt);
  *out_rc = rc;

  return rc == SQLITE_ROW;
}

static gboolean
exec_sql (sqlite3 *db,
          const char *sql)
{
  return sqlite3_exec (db, sql, NULL, NULL, NULL) == SQLITE_OK;
}

static gboolean
migrate (sqlite3                *db,
         const char             *path,
         gboolean                created,
         int                     from_version,
         const HeraldMigration  *steps,
         guint                   n_steps,
         GError                **error)
{
  g_autofree char *set_version = NULL;

  if (!exec_sql (db, "BEGIN IMMEDIATE"))
    {
      set_sqlite_error (db, path, error);
      return FALSE;
    }

  for (guint i = from_version; i < n_steps; i++)
    {
      g_debug ("Migrating %s to schema %u: %s", path, i + 1, steps[i].description);

      if (!exec_sql (db, steps[i].sql))
        goto failed;
    }

  set_version = g_strdup_printf ("PRAGMA user_version = %u", n_steps);
  if (!exec_sql (db, set_version))
    goto failed;

  if (created)
    {
      g_autofree char *set_id = g_strdup_printf ("PRAGMA application_id = %d", HERALD_APPLICATION_ID);

      if (!exec_sql (db, set_id))
        goto failed;
    }

  if (!exec_sql (db, "COMMIT"))
    goto failed;

  return TRUE;

failed:
  set_sqlite_error (db, path, error);
  exec_sql (db, "ROLLBACK");
  return FALSE;
}

HeraldWorkspace *
_herald_workspace_open_with_migrations (const char                *path,
                                        HeraldWorkspaceOpenFlags   flags,
                                        const HeraldMigration     *steps,
                                        guint                      n_steps,
                                        GError                   **error)
{
  g_autoptr(HeraldWorkspace) self = NULL;
  g_autofree char *display = NULL;
  sqlite3 *db = NULL;
  gboolean created = FALSE;
  int application_id = 0;
  int user_version = 0;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  display = g_filename_display_name (path);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      set_not_workspace_error (path, error);
      return NULL;
    }

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (!(flags & HERALD_WORKSPACE_OPEN_CREATE))
        {
          g_set_error (error, HERALD_WORKSPACE_ERROR, HERALD_WORKSPACE_ERROR_NOT_FOUND,
                       _("The workspace “%s” does not exist."), display);
          return NULL;
        }

      if (!create_private_file (path, error))
        return NULL;

      created = TRUE;
    }
  else if (flags & HERALD_WORKSPACE_OPEN_EXCLUSIVE)
    {
      g_set_error (error, HERALD_WORKSPACE_ERROR, HERALD_WORKSPACE_ERROR_EXISTS,
                   _("The file “%s” exists already. Choose another name for the new workspace."),
                   display);
      return NULL;
    }

  configure_sqlite ();
  rc = sqlite3_open_v2 (path, &db,
                        SQLITE_OPEN_READWRITE |
                        ((flags & HERALD_WORKSPACE_OPEN_PRIVATE) ? SQLITE_OPEN_NOMUTEX : SQLITE_OPEN_FULLMUTEX),
                        NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (db, path, error);
      goto failed;
    }

  sqlite3_extended_result_codes (db, 1);
  sqlite3_busy_timeout (db, 5000);

  /* Nothing is written before the file has shown it is one of ours. */
  if (!read_header_int (db, "PRAGMA application_id", &application_id, &rc) ||
      !read_header_int (db, "PRAGMA user_version", &user_version, &rc))
    {
      if ((rc & 0xff) == SQLITE_NOTADB)
        set_not_workspace_error (path, error);
      else
        set_sqlite_error (db, path, error);
      goto failed;
    }

  if (!created && application_id != HERALD_APPLICATION_ID)
    {
      set_not_workspace_error (path, error);
      goto failed;
    }

  if (user_version > (int)n_steps)
    {
      g_set_error (error, HERALD_WORKSPACE_ERROR, HERALD_WORKSPACE_ERROR_TOO_NEW,
                   _("The workspace “%s” was saved by a newer version of Herald. Update Herald to open it."),
                   display);
      goto failed;
    }

  /* A private connection does one long job, such as an import: a larger
   * page cache saves it reading the same index pages again. */
  if ((flags & HERALD_WORKSPACE_OPEN_PRIVATE) && !exec_sql (db, "PRAGMA cache_size = -16384"))
    {
      set_sqlite_error (db, path, error);
      goto failed;
    }

  if (!exec_sql (db, "PRAGMA journal_mode = WAL") ||
      !exec_sql (db, "PRAGMA foreign_keys = ON") ||
      !exec_sql (db, "PRAGMA synchronous = NORMAL"))
    {
      set_sqlite_error (db, path, error);
      goto failed;
    }

  if (user_version < (int)n_steps &&
      !migrate (db, path, created, user_version, steps, n_steps, error))
    goto failed;

  self = g_object_new (HERALD_TYPE_WORKSPACE, NULL);
  self->db = db;
  self->path = g_strdup (path);
  self->name = herald_workspace_name_for_path (path);
  self->schema_version = n_steps;

  return g_steal_pointer (&self);

failed:
  g_clear_pointer (&db, sqlite3_close_v2);
  if (created)
    remove_created_files (path);

  return NULL;
}

/**
 * herald_workspace_open:
 * @path: the workspace file
 * @flags: whether to create it
 * @error: return location for a #GError
 *
 * Opens a workspace, bringing its schema up to date in one transaction.
 * A file that is not a workspace, or that a newer Herald wrote, is left
 * untouched and reported as an error.
 */
HeraldWorkspace *
herald_workspace_open (const char                *path,
                       HeraldWorkspaceOpenFlags   flags,
                       GError                   **error)
{
  return _herald_workspace_open_with_migrations (path, flags, migrations,
                                                 G_N_ELEMENTS (migrations), error);
}

int
herald_workspace_get_latest_schema_version (void)
{
  return G_N_ELEMENTS (migrations);
}

const char *
herald_workspace_get_path (HeraldWorkspace *self)
{
  g_return_val_if_fail (HERALD_IS_WORKSPACE (self), NULL);

  return self->path;
}

const char *
herald_workspace_get_name (HeraldWorkspace *self)
{
  g_return_val_if_fail (HERALD_IS_WORKSPACE (self), NULL);

  return self->name;
}

int
herald_workspace_get_schema_version (HeraldWorkspace *self)
{
  g_return_val_if_fail (HERALD_IS_WORKSPACE (self), 0);

  return self->schema_version;
}

sqlite3 *
_herald_workspace_get_db (HeraldWorkspace *self)
{
  g_assert (HERALD_IS_WORKSPACE (self));

  return self->db;
}

void
_herald_workspace_set_db_error (HeraldWorkspace  *self,
                                GError          **error)
{
  set_sqlite_error (self->db, self->path, error);
}

gboolean
_herald_workspace_exec (HeraldWorkspace  *self,
                        const char       *sql,
                        GError          **error)
{
  if (!exec_sql (self->db, sql))
    {
      set_sqlite_error (self->db, self->path, error);
      return FALSE;
    }

  return TRUE;
}

gboolean
_herald_workspace_begin (HeraldWorkspace  *self,
                         GError          **error)
{
  return _herald_workspace_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
_herald_workspace_commit (HeraldWorkspace  *self,
                          GError          **error)
{
  if (!_herald_workspace_exec (self, "COMMIT", error))
    {
      _herald_workspace_rollback (self);
      return FALSE;
    }

  return TRUE;
}

void
_herald_workspace_rollback (HeraldWorkspace *self)
{
  if (!sqlite3_get_autocommit (self->db))
    exec_sql (self->db, "ROLLBACK");
}

sqlite3_stmt *
_herald_workspace_prepare (HeraldWorkspace  *self,
                           const char       *sql,
                           GError          **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self->db, self->path, error);
      return NULL;
    }

  return stmt;
}

/**
 * herald_workspace_count:
 *
 * Returns: the number of items in @collection, or -1 with @error set.
 */
gint64
herald_workspace_count (HeraldWorkspace   *self,
                        HeraldCollection   collection,
                        GError           **error)
{
  static const char * const queries[] = {
    [HERALD_COLLECTION_CONTACTS] = "SELECT count(*) FROM contacts",
    [HERALD_COLLECTION_SEGMENTS] = "SELECT count(*) FROM segments",
    [HERALD_COLLECTION_TEMPLATES] = "SELECT count(*) FROM templates",
    [HERALD_COLLECTION_FLOWS] = "SELECT count(*) FROM flows",
    [HERALD_COLLECTION_CAMPAIGNS] = "SELECT count(*) FROM campaigns",
    [HERALD_COLLECTION_ERASURES] = "SELECT count(*) FROM erasures",
  };
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (self), -1);
  g_return_val_if_fail (collection < G_N_ELEMENTS (queries), -1);

  if (!(stmt = _herald_workspace_prepare (self, queries[collection], error)))
    return -1;

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      set_sqlite_error (self->db, self->path, error);
      return -1;
    }

  return sqlite3_column_int64 (stmt, 0);
}

/**
 * herald_workspace_get_setting:
 *
 * Returns: (nullable) (transfer full): the value, or %NULL when unset.
 */
char *
herald_workspace_get_setting (HeraldWorkspace *self,
                              const char      *key)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (!(stmt = _herald_workspace_prepare (self, "SELECT value FROM settings WHERE key = ?", NULL)))
    return NULL;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  return g_strdup ((const char *)sqlite3_column_text (stmt, 0));
}

/**
 * herald_workspace_set_setting:
 * @value: (nullable): the new value, or %NULL to unset
 */
gboolean
herald_workspace_set_setting (HeraldWorkspace  *self,
                              const char       *key,
                              const char       *value,
                              GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  stmt = _herald_workspace_prepare (self,
                                    value != NULL
                                      ? "INSERT INTO settings (key, value) VALUES (?1, ?2) "
                                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                                      : "DELETE FROM settings WHERE key = ?1",
                                    error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_sqlite_error (self->db, self->path, error);
      return FALSE;
    }

  return TRUE;
}

/**
 * herald_workspace_get_default_path:
 *
 * Returns: (transfer full): where the workspace lives that Herald opens
 *   when the user has not chosen one.
 */
char *
herald_workspace_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "herald", "Default" HERALD_WORKSPACE_SUFFIX, NULL);
}

/**
 * herald_workspace_get_demo_path:
 *
 * Returns: (transfer full): where the demo workspace lives.
 */
char *
herald_workspace_get_demo_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "herald", "Demo" HERALD_WORKSPACE_SUFFIX, NULL);
}
