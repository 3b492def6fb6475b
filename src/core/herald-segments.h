/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "herald-workspace.h"

G_BEGIN_DECLS

#define HERALD_SEGMENT_ERROR (herald_segment_error_quark ())

typedef enum
{
  HERALD_SEGMENT_ERROR_SYNTAX,
  HERALD_SEGMENT_ERROR_INVALID_RULE,
  HERALD_SEGMENT_ERROR_UNKNOWN_FIELD,
  HERALD_SEGMENT_ERROR_UNKNOWN_TAG,
  HERALD_SEGMENT_ERROR_UNKNOWN_CAMPAIGN,
  HERALD_SEGMENT_ERROR_UNKNOWN_SEGMENT,
  HERALD_SEGMENT_ERROR_CYCLE,
  HERALD_SEGMENT_ERROR_NOT_FOUND,
} HeraldSegmentError;

/* A saved segment as the list shows it. */
typedef struct
{
  char *name;
  char *description;
  char *rules;
} HeraldSegmentInfo;

void        herald_segment_info_free     (HeraldSegmentInfo  *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldSegmentInfo, herald_segment_info_free)

GQuark      herald_segment_error_quark   (void);

gint64      herald_segment_count         (HeraldWorkspace    *workspace,
                                          const char         *rules,
                                          const char         *source,
                                          GCancellable       *cancellable,
                                          GError            **error);
void        herald_segment_count_async   (HeraldWorkspace    *workspace,
                                          const char         *rules,
                                          const char         *source,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);
gint64      herald_segment_count_finish  (HeraldWorkspace    *workspace,
                                          GAsyncResult       *result,
                                          GError            **error);
gint64      herald_segments_count        (HeraldWorkspace    *workspace,
                                          const char         *name,
                                          GCancellable       *cancellable,
                                          GError            **error);
GPtrArray  *herald_segment_preview       (HeraldWorkspace    *workspace,
                                          const char         *rules,
                                          guint               limit,
                                          GError            **error);
gboolean    herald_segments_save         (HeraldWorkspace    *workspace,
                                          const char         *name,
                                          const char         *rules,
                                          const char         *description,
                                          const char         *source,
                                          GError            **error);
GPtrArray  *herald_segments_list         (HeraldWorkspace    *workspace,
                                          GError            **error);
gboolean    herald_segments_delete       (HeraldWorkspace    *workspace,
                                          const char         *name,
                                          GError            **error);

G_END_DECLS
