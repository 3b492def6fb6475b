/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HERALD_WORKSPACE_ERROR (herald_workspace_error_quark ())

typedef enum
{
  HERALD_WORKSPACE_ERROR_NOT_WORKSPACE,
  HERALD_WORKSPACE_ERROR_TOO_NEW,
  HERALD_WORKSPACE_ERROR_NOT_FOUND,
  HERALD_WORKSPACE_ERROR_EXISTS,
  HERALD_WORKSPACE_ERROR_IO,
  HERALD_WORKSPACE_ERROR_DATABASE,
} HeraldWorkspaceError;

typedef enum
{
  HERALD_WORKSPACE_OPEN_DEFAULT = 0,
  /* Create the file when it does not exist yet. */
  HERALD_WORKSPACE_OPEN_CREATE = 1 << 0,
  /* Fail when the file exists already (with CREATE: a new workspace only). */
  HERALD_WORKSPACE_OPEN_EXCLUSIVE = 1 << 1,
  /* A connection one thread uses alone, for long work off the main thread. */
  HERALD_WORKSPACE_OPEN_PRIVATE = 1 << 2,
} HeraldWorkspaceOpenFlags;

/* The things a workspace holds that the application counts. */
typedef enum
{
  HERALD_COLLECTION_CONTACTS,
  HERALD_COLLECTION_SEGMENTS,
  HERALD_COLLECTION_TEMPLATES,
  HERALD_COLLECTION_FLOWS,
  HERALD_COLLECTION_CAMPAIGNS,
  HERALD_COLLECTION_ERASURES,
} HeraldCollection;

#define HERALD_WORKSPACE_SUFFIX ".herald"

#define HERALD_TYPE_WORKSPACE (herald_workspace_get_type ())
G_DECLARE_FINAL_TYPE (HeraldWorkspace, herald_workspace, HERALD, WORKSPACE, GObject)

GQuark           herald_workspace_error_quark        (void);

HeraldWorkspace *herald_workspace_open               (const char                *path,
                                                      HeraldWorkspaceOpenFlags   flags,
                                                      GError                   **error);
const char      *herald_workspace_get_path           (HeraldWorkspace           *self);
const char      *herald_workspace_get_name           (HeraldWorkspace           *self);
int              herald_workspace_get_schema_version (HeraldWorkspace           *self);
int              herald_workspace_get_latest_schema_version (void);

gint64           herald_workspace_count              (HeraldWorkspace           *self,
                                                      HeraldCollection           collection,
                                                      GError                   **error);

char            *herald_workspace_get_setting        (HeraldWorkspace           *self,
                                                      const char                *key);
gboolean         herald_workspace_set_setting        (HeraldWorkspace           *self,
                                                      const char                *key,
                                                      const char                *value,
                                                      GError                   **error);

char            *herald_workspace_name_for_path      (const char                *path);
char            *herald_workspace_get_default_path   (void);
char            *herald_workspace_get_demo_path      (void);

G_END_DECLS
