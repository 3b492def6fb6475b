/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HERALD_CSV_ERROR (herald_csv_error_quark ())

typedef enum
{
  HERALD_CSV_ERROR_ENCODING,
  HERALD_CSV_ERROR_PARSE,
  HERALD_CSV_ERROR_EMPTY,
  HERALD_CSV_ERROR_IO,
} HeraldCsvError;

typedef enum
{
  HERALD_CSV_ENCODING_AUTO,
  HERALD_CSV_ENCODING_UTF8,
  HERALD_CSV_ENCODING_UTF16LE,
  HERALD_CSV_ENCODING_UTF16BE,
  HERALD_CSV_ENCODING_WINDOWS_1252,
} HeraldCsvEncoding;

/* How a file was read: given by the caller, or found by looking at it. */
typedef struct
{
  HeraldCsvEncoding encoding;
  char              delimiter;
} HeraldCsvFormat;

/* Called once a row, blank rows left out. @line is where the row starts in
 * the file, counting from 1. Return FALSE to stop reading. */
typedef gboolean (*HeraldCsvRowFunc) (guint               line,
                                      const char * const *fields,
                                      guint               n_fields,
                                      gpointer            user_data);

GQuark      herald_csv_error_quark    (void);

gboolean    herald_csv_read_file      (const char            *path,
                                       HeraldCsvFormat       *format,
                                       HeraldCsvRowFunc       func,
                                       gpointer               user_data,
                                       GFileProgressCallback  progress,
                                       gpointer               progress_data,
                                       GCancellable          *cancellable,
                                       GError               **error);
gboolean    herald_csv_read_bytes     (GBytes            *bytes,
                                       const char        *display_name,
                                       HeraldCsvFormat   *format,
                                       HeraldCsvRowFunc   func,
                                       gpointer           user_data,
                                       GCancellable      *cancellable,
                                       GError           **error);

void        herald_csv_append_row     (GString            *out,
                                       const char * const *fields,
                                       guint               n_fields,
                                       char                delimiter);

const char *herald_csv_encoding_label (HeraldCsvEncoding   encoding);

G_END_DECLS
