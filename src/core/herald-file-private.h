/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A file written as a stream into a temporary file beside it, which takes
 * its place only when all of it is written: a failure or a cancel leaves
 * whatever was there before. */
typedef struct _HeraldFileWriter HeraldFileWriter;

HeraldFileWriter *_herald_file_writer_new    (const char        *path,
                                              int                mode,
                                              GError           **error);
gboolean          _herald_file_writer_write  (HeraldFileWriter  *self,
                                              const void        *data,
                                              gsize              length);
gboolean          _herald_file_writer_finish (HeraldFileWriter  *self,
                                              gboolean           keep,
                                              GError           **error);
void              _herald_file_writer_abort  (HeraldFileWriter  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldFileWriter, _herald_file_writer_abort)

gboolean          _herald_file_set_write_error (GError         **error,
                                                const char      *path,
                                                int              code,
                                                const char      *reason);

G_END_DECLS
