/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "herald-workspace.h"

G_BEGIN_DECLS

/* Herald's SQLite application_id ("HRLD"): a file without it is not a workspace. */
#define HERALD_APPLICATION_ID 0x48524c44

typedef struct
{
  const char *description;
  const char *sql;
} HeraldMigration;

HeraldWorkspace *_herald_workspace_open_with_migrations (const char                *path,
                                                         HeraldWorkspaceOpenFlags   flags,
                                                         const HeraldMigration     *migrations,
                                                         guint                      n_migrations,
                                                         GError                   **error);
sqlite3         *_herald_workspace_get_db               (HeraldWorkspace           *self);
gboolean         _herald_workspace_begin                (HeraldWorkspace           *self,
                                                         GError                   **error);
gboolean         _herald_workspace_commit               (HeraldWorkspace           *self,
                                                         GError                   **error);
void             _herald_workspace_rollback             (HeraldWorkspace           *self);
gboolean         _herald_workspace_exec                 (HeraldWorkspace           *self,
                                                         const char                *sql,
                                                         GError                   **error);
sqlite3_stmt    *_herald_workspace_prepare              (HeraldWorkspace           *self,
                                                         const char                *sql,
                                                         GError                   **error);
void             _herald_workspace_set_db_error         (HeraldWorkspace           *self,
                                                         GError                   **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

G_END_DECLS
