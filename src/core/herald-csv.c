/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-csv"

#include "config.h"

#include <glib/gi18n.h>
#include <csv.h>

#include "herald-csv.h"

/* libcsv does the parsing; this file adds what it lacks: encodings, the
 * delimiter, line numbers for messages, and leaving blank rows out. The
 * text is fed to libcsv a line at a time, which is how every row learns
 * the line it starts on. */

G_DEFINE_QUARK (herald-csv-error-quark, herald_csv_error)

typedef struct
{
  HeraldCsvRowFunc  func;
  gpointer          user_data;
  GPtrArray        *fields;
  guint             line;
  guint             newlines_in_row;
  guint             last_row_line;
  gboolean          stopped;
} Reader;

static int
never_space (unsigned char c)
{
  /* Spaces are data: " Anna" stays " Anna" until the importer trims it. */
  return 0;
}

static int
is_line_end (unsigned char c)
{
  return c == CSV_CR || c == CSV_LF;
}

static void
field_cb (void   *data,
          size_t  len,
          void   *user_data)
{
  Reader *reader = user_data;
  char *field = g_strndup (data ? data : "", len);

  for (const char *p = field; *p; p++)
    if (*p == '\n')
      reader->newlines_in_row++;

  g_ptr_array_add (reader->fields, field);
}

static void
row_cb (int   terminator,
        void *user_data)
{
  Reader *reader = user_data;
  gboolean blank = TRUE;

  if (reader->fields->len == 0)
    return;

  for (guint i = 0; i < reader->fields->len && blank; i++)
    {
      const char *field = g_ptr_array_index (reader->fields, i);

      for (const char *p = field; *p && blank; p++)
        blank = g_ascii_isspace (*p);
    }

  if (!blank && !reader->stopped)
    {
      g_ptr_array_add (reader->fields, NULL);
      if (!reader->func (reader->line - reader->newlines_in_row,
                         (const char * const *)reader->fields->pdata,
                         reader->fields->len - 1,
                         reader->user_data))
        reader->stopped = TRUE;
    }

  g_ptr_array_set_size (reader->fields, 0);
  reader->newlines_in_row = 0;
  reader->last_row_line = reader->line;
}

/* The first line after @after that is not blank: where a row that never
 * ended began. */
static guint
next_content_line (const char *text,
                   guint       after)
{
  guint line = 1;
  const char *p = text;

  for (; *p && line <= after; p++)
    if (*p == '\n')
      line++;

  while (*p)
    {
      const char *end = strchr (p, '\n');
      gboolean blank = TRUE;

      for (const char *q = p; q < (end ? end : p + strlen (p)) && blank; q++)
        blank = g_ascii_isspace (*q);

      if (!blank || end == NULL)
        break;

      p = end + 1;
      line++;
    }

  return line;
}

const char *
herald_csv_encoding_label (HeraldCsvEncoding encoding)
{
  switch (encoding)
    {
    case HERALD_CSV_ENCODING_UTF8:
      return "UTF-8";
    case HERALD_CSV_ENCODING_UTF16LE:
      return "UTF-16LE";
    case HERALD_CSV_ENCODING_UTF16BE:
      return "UTF-16BE";
    case HERALD_CSV_ENCODING_WINDOWS_1252:
      return "WINDOWS-1252";
    case HERALD_CSV_ENCODING_AUTO:
    default:
      return NULL;
    }
}

/* Finds the line and column of byte @offset in @text, both from 1. */
static void
locate (const char *text,
        gsize       offset,
        guint      *out_line,
        guint      *out_column)
{
  const char *line_start = text;
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    if (text[i] == '\n')
      {
        line++;
        line_start = text + i + 1;
      }

  *out_line = line;
  *out_column = g_utf8_strlen (line_start, text + offset - line_start) + 1;
}

/* Returns the text as UTF-8 without a byte order mark, or NULL with
 * @error set. Files with a BOM say what they are; other files are UTF-8
 * when they are valid UTF-8, and Windows-1252 (which covers Latin-1's
 * letters) when they hold no UTF-8 at all. */
static char *
decode (const char         *data,
        gsize               len,
        const char         *display_name,
        HeraldCsvEncoding  *encoding,
        GError            **error)
{
  const char *invalid = NULL;
  g_autoptr(GError) convert_error = NULL;
  char *text;

  /* A NUL byte never occurs in text outside UTF-16: this is a spreadsheet,
   * an archive or an image, not a CSV file. */
  if (*encoding != HERALD_CSV_ENCODING_UTF16LE && *encoding != HERALD_CSV_ENCODING_UTF16BE &&
      !(len >= 2 && (memcmp (data, "\xFF\xFE", 2) == 0 || memcmp (data, "\xFE\xFF", 2) == 0)) &&
      memchr (data, '\0', len) != NULL)
    {
      g_set_error (error, HERALD_CSV_ERROR, HERALD_CSV_ERROR_ENCODING,
                   _("“%s” is not a text file. Save the spreadsheet as CSV and import that file."),
                   display_name);
      return NULL;
    }

  if (*encoding == HERALD_CSV_ENCODING_AUTO)
    {
      if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
        *encoding = HERALD_CSV_ENCODING_UTF8;
      else if (len >= 2 && memcmp (data, "\xFF\xFE", 2) == 0)
        *encoding = HERALD_CSV_ENCODING_UTF16LE;
      else if (len >= 2 && memcmp (data, "\xFE\xFF", 2) == 0)
        *encoding = HERALD_CSV_ENCODING_UTF16BE;
      else if (g_utf8_validate_len (data, len, &invalid))
        *encoding = HERALD_CSV_ENCODING_UTF8;
      else
        {
          /* Valid multi-byte sequences before the first invalid byte mean
           * a UTF-8 file with a broken spot, not a Windows file. */
          for (const char *p = data; p < invalid; p++)
            if ((guchar)*p >= 0x80)
              {
                guint line, column;

                locate (data, invalid - data, &line, &column);
                g_set_error (error, HERALD_CSV_ERROR, HERALD_CSV_ERROR_ENCODING,
                             _("“%s”, line %u, column %u: the file is not valid UTF-8 here. "
                               "Save it again as UTF-8, or choose its encoding."),
                             display_name, line, column);
                return NULL;
              }

          *encoding = HERALD_CSV_ENCODING_WINDOWS_1252;
        }
    }

  if (*encoding == HERALD_CSV_ENCODING_UTF8)
    {
      if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
        {
          data += 3;
          len -= 3;
        }

      if (!g_utf8_validate_len (data, len, &invalid))
        {
          guint line, column;

          locate (data, invalid - data, &line, &column);
          g_set_error (error, HERALD_CSV_ERROR, HERALD_CSV_ERROR_ENCODING,
                       _("“%s”, line %u, column %u: the file is not valid UTF-8 here. "
                         "Save it again as UTF-8, or choose its encoding."),
                       display_name, line, column);
          return NULL;
        }

      return g_strndup (data, len);
    }

  if ((*encoding == HERALD_CSV_ENCODING_UTF16LE && len >= 2 && memcmp (data, "\xFF\xFE", 2) == 0) ||
      (*encoding == HERALD_CSV_ENCODING_UTF16BE && len >= 2 && memcmp (data, "\xFE\xFF", 2) == 0))
    {
      data += 2;
      len -= 2;
    }

  text = g_convert (data, len, "UTF-8", herald_csv_encoding_label (*encoding), NULL, NULL, &convert_error);
  if (text == NULL)
    {
      g_set_error (error, HERALD_CSV_ERROR, HERALD_CSV_ERROR_ENCODING,
                   _("“%s” could not be read as %s: %s"),
                   display_name, herald_csv_encoding_label (*encoding), convert_error->message);
      return NULL;
    }

  return text;
}

/* Picks the delimiter that splits the first row into the most fields,
 * counting only outside quotes. */
static char
sniff_delimiter (const char *text)
{
  static const char candidates[] = { ',', ';', '\t', '|' };
  guint counts[G_N_ELEMENTS (candidates)] = { 0 };
  gboolean quoted = FALSE;
  guint best = 0;

  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (!quoted && *p == '\n')
        {
          /* A first line that is blank says nothing: look at the next. */
          gboolean any = FALSE;

          for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
            any |= counts[i] > 0;
          if (any)
            break;
        }
      else if (!quoted)
        for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
          if (*p == candidates[i])
            counts[i]++;
    }

  for (guint i = 1; i < G_N_ELEMENTS (candidates); i++)
    if (counts[i] > counts[best])
      best = i;

  return candidates[best];
}

static const char *
parse_error_hint (void)
{
  return _("A quote can only stand at the start and end of a field, and quotes inside a quoted "
           "field are written twice.");
}

gboolean
herald_csv_read_bytes (GBytes            *bytes,
                       const char        *display_name,
                       HeraldCsvFormat   *format,
                       HeraldCsvRowFunc   func,
                       gpointer           user_data,
                       GCancellable      *cancellable,
                       GError           **error)
{
  HeraldCsvFormat found = { HERALD_CSV_ENCODING_AUTO, 0 };
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL;
  struct csv_parser parser;
  Reader reader = { func, user_data, fields, 0, 0, 0, FALSE };
  const char *line_start;
  gsize len;
  const char *data;
  gboolean ok = TRUE;

  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (format != NULL)
    found = *format;

  data = g_bytes_get_data (bytes, &len);
  if (!(text = decode (data, len, display_name, &found.encoding, error)))
    return FALSE;

  if (found.delimiter == 0)
    found.delimiter = sniff_delimiter (text);

  if (format != NULL)
    *format = found;

  if (csv_init (&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
    g_error ("Out of memory");

  csv_set_delim (&parser, (unsigned char)found.delimiter);
  csv_set_space_func (&parser, never_space);
  csv_set_term_func (&parser, is_line_end);

  line_start = text;
  while (*line_start && !reader.stopped)
    {
      const char *line_end = strchr (line_start, '\n');
      gsize line_len = line_end ? (gsize)(line_end - line_start + 1) : strlen (line_start);
      gsize parsed;

      reader.line++;

      if (reader.line % 4096 == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }

      parsed = csv_parse (&parser, line_start, line_len, field_cb, row_cb, &reader);
      if (parsed != line_len)
        {
          g_set_error (error, HERALD_CSV_ERROR, HERALD_CSV_ERROR_PARSE,
                       _("“%s”, line %u, column %u: a quote is out of place. %s"),
                       display_name, reader.line,
                       (guint)g_utf8_strlen (line_start, parsed) + 1,
                       parse_error_hint ());
          ok = FALSE;
          break;
        }

      line_start += line_len;
    }

  if (ok && !reader.stopped && csv_fini (&parser, field_cb, row_cb, &reader) != 0)
    {
      g_set_error (error, HERALD_CSV_ERROR, HERALD_CSV_ERROR_PARSE,
                   _("“%s”, line %u: a quoted field is never closed. %s"),
                   display_name, next_content_line (text, reader.last_row_line), parse_error_hint ());
      ok = FALSE;
    }

  csv_free (&parser);

  return ok;
}

gboolean
herald_csv_read_file (const char        *path,
                      HeraldCsvFormat   *format,
                      HeraldCsvRowFunc   func,
                      gpointer           user_data,
                      GCancellable      *cancellable,
                      GError           **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display = g_filename_display_name (path);

  if (!(mapped = g_mapped_file_new (path, FALSE, &local_error)))
    {
      g_set_error (error, HERALD_CSV_ERROR, HERALD_CSV_ERROR_IO,
                   _("“%s” could not be read: %s"), display, local_error->message);
      return FALSE;
    }

  bytes = g_mapped_file_get_bytes (mapped);
  if (g_bytes_get_size (bytes) == 0)
    {
      g_set_error (error, HERALD_CSV_ERROR, HERALD_CSV_ERROR_EMPTY,
                   _("“%s” is empty."), display);
      return FALSE;
    }

  return herald_csv_read_bytes (bytes, display, format, func, user_data, cancellable, error);
}

/**
 * herald_csv_append_row:
 *
 * Appends one row to @out, quoting the fields that need it, ending in CRLF
 * as RFC 4180 has it.
 */
void
herald_csv_append_row (GString            *out,
                       const char * const *fields,
                       guint               n_fields,
                       char                delimiter)
{
  for (guint i = 0; i < n_fields; i++)
    {
      const char *field = fields[i] ? fields[i] : "";
      gboolean quote = strchr (field, delimiter) || strpbrk (field, "\"\r\n") ||
                       g_ascii_isspace (field[0]) ||
                       (field[0] && g_ascii_isspace (field[strlen (field) - 1]));

      if (i > 0)
        g_string_append_c (out, delimiter);

      if (!quote)
        {
          g_string_append (out, field);
          continue;
        }

      g_string_append_c (out, '"');
      for (const char *p = field; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }

  g_string_append (out, "\r\n");
}
