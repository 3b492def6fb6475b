/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "herald-segments.h"

G_BEGIN_DECLS

/* A condition on the contacts table, aliased "c", and its parameters. */
typedef struct _HeraldSegmentQuery HeraldSegmentQuery;

HeraldSegmentQuery *_herald_segment_query_new          (HeraldWorkspace     *workspace,
                                                        const char          *rules,
                                                        const char          *source,
                                                        GError             **error);
HeraldSegmentQuery *_herald_segment_query_new_for_name (HeraldWorkspace     *workspace,
                                                        const char          *name,
                                                        GError             **error);
const char         *_herald_segment_query_get_where    (HeraldSegmentQuery  *query);
void                _herald_segment_query_bind         (HeraldSegmentQuery  *query,
                                                        sqlite3_stmt        *stmt,
                                                        int                  first);
void                _herald_segment_query_free         (HeraldSegmentQuery  *query);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldSegmentQuery, _herald_segment_query_free)

G_END_DECLS
