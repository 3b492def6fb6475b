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
  /* The row's fields one after the other, each ending in a NUL, and where
   * each starts: one buffer for every row rather than a string a field. */
  GString          *text;
  GArray           *starts;
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
  gsize start = reader->text->len;
  const char *p = data;
  const char *end = p + len;

  while (p != NULL && (p = memchr (p, '\n', end - p)) != NULL)
    {
      reader->newlines_in_row++;
      p++;
    }

  g_array_append_val (reader->starts, start);
  g_string_append_len (reader->text, data ? data : "", len);
  g_string_append_c (reader->text, '\0');
}

static void
row_cb (int   terminator,
        void *user_data)
{
  Reader *reader = user_data;
  gboolean blank = TRUE;

  if (reader->starts->len == 0)
    return;

  for (gsize i = 0; i < reader->text->len && blank; i++)
    blank = reader->text->str[i] == '\0' || g_ascii_isspace (reader->text->str[i]);

  if (!blank && !reader->stopped)
    {
      g_ptr_array_set_size (reader->fields, 0);
      for (guint i = 0; i < reader->starts->len; i++)
        g_ptr_array_add (reader->fields, reader->text->str + g_array_index (reader->starts, gsize, i));
      g_ptr_array_add (reader->fields, NULL);
      if (!reader->func (reader->line - reader->newlines_in_row,
                         (const char * const *)reader->fields->pdata,
                         reader->starts->len,
                         reader->user_data))
        reader->stopped = TRUE;
    }

  g_string_truncate (reader->text, 0);
  g_array_set_size (reader->starts, 0);
  reader->newlines_in_row = 0;
  reader->last_row_line = reader->line;
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

/* Windows-1252's letters and signs at 0x80-0x9F; the rest of its upper
 * half is Latin-1, which is Unicode's first 256 code points. */
static const gunichar cp1252_high[32] = {
  0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
  0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

#define CHUNK_SIZE (64 * 1024)
#define MAX_FIELD_SIZE (1024 * 1024)

/* The file is read a chunk at a time, decoded to UTF-8, cut into lines and
 * handed to libcsv a line (or, for a huge line, a piece) at a time, so
 * memory stays small whatever the size of the file. */
typedef struct
{
  const char       *display_name;
  HeraldCsvFormat   format;
  gboolean          explicit_encoding;
  gboolean          seen_multibyte;
  GString          *undecoded;
  GString          *text;
  guint             decoded_line;
  guint             decoded_column;
  gboolean          parser_ready;
  gboolean          at_line_start;
  guint             line_chars_fed;
  struct csv_parser parser;
  Reader            reader;
} Stream;

static void
count_position (Stream     *stream,
                const char *utf8,
                gsize       len)
{
  const char *p = utf8;
  const char *end = utf8 + len;
  const char *nl;

  while ((nl = memchr (p, '\n', end - p)) != NULL)
    {
      stream->decoded_line++;
      stream->decoded_column = 0;
      p = nl + 1;
    }

  stream->decoded_column += g_utf8_strlen (p, end - p);
}

static void
append_text (Stream     *stream,
             const char *utf8,
             gsize       len)
{
  count_position (stream, utf8, len);
  g_string_append_len (stream->text, utf8, len);
}

static void
append_cp1252 (Stream     *stream,
               const char *data,
               gsize       len)
{
  g_autoptr(GString) utf8 = g_string_sized_new (len + len / 8);

  for (gsize i = 0; i < len; i++)
    {
      guchar c = data[i];

      if (c < 0x80)
        g_string_append_c (utf8, c);
      else
        g_string_append_unichar (utf8, c < 0xA0 ? cp1252_high[c - 0x80] : c);
    }

  append_text (stream, utf8->str, utf8->len);
}

static gboolean
decode_chunk (Stream      *stream,
              const char  *data,
              gsize        len,
              gboolean     at_end,
              GError     **error)
{
  const char *invalid = NULL;
  const char *bytes;
  gsize n;

  if (stream->format.encoding == HERALD_CSV_ENCODING_WINDOWS_1252)
    {
      append_cp1252 (stream, data, len);
      return TRUE;
    }

  /* UTF-8, or UTF-16 already converted to it. A sequence cut by the end of
   * the chunk waits for the next one. */
  g_string_append_len (stream->undecoded, data, len);
  bytes = stream->undecoded->str;
  n = stream->undecoded->len;

  if (!g_utf8_validate_len (bytes, n, &invalid))
    {
      gsize valid = invalid - bytes;
      gboolean cut = !at_end && n - valid < 4 && g_utf8_get_char_validated (invalid, n - valid) == (gunichar)-2;

      for (gsize i = 0; i < valid && !stream->seen_multibyte; i++)
        stream->seen_multibyte = (guchar)bytes[i] >= 0x80;

      append_text (stream, bytes, valid);

      if (cut)
        {
          g_string_erase (stream->undecoded, 0, valid);
          return TRUE;
        }

      /* Only ASCII so far: this is a Windows file, and its ASCII part reads
       * the same in either encoding. */
      if (!stream->seen_multibyte && !stream->explicit_encoding &&
          stream->format.encoding == HERALD_CSV_ENCODING_UTF8)
        {
          stream->format.encoding = HERALD_CSV_ENCODING_WINDOWS_1252;
          append_cp1252 (stream, invalid, n - valid);
          g_string_truncate (stream->undecoded, 0);
          return TRUE;
        }

      g_set_error (error, HERALD_CSV_ERROR, HERALD_CSV_ERROR_ENCODING,
                   _("“%s”, line %u, column %u: the file is not valid UTF-8 here. "
                     "Save it again as UTF-8, or choose its encoding."),
                   stream->display_name, stream->decoded_line, stream->decoded_column + 1);
      return FALSE;
    }

  for (gsize i = 0; i < n && !stream->seen_multibyte; i++)
    stream->seen_multibyte = (guchar)bytes[i] >= 0x80;

  append_text (stream, bytes, n);
  g_string_truncate (stream->undecoded, 0);

  return TRUE;
}

static const char *
parse_error_hint (void)
{
  return _("A quote can only stand at the start and end of a field, and quotes inside a quoted "
           "field are written twice.");
}

/* Picks the delimiter that splits the first line into the most fields,
 * counting only outside quotes. */
static char
sniff_delimiter (const char *text,
                 gsize       len)
{
  static const char candidates[] = { ',', ';', '\t', '|' };
  guint counts[G_N_ELEMENTS (candidates)] = { 0 };
  gboolean quoted = FALSE;
  guint best = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (c == '"')
        quoted = !quoted;
      else if (!quoted && c == '\n')
        {
          gboolean any = FALSE;

          /* A blank first line says nothing: look at the next. */
          for (guint j = 0; j < G_N_ELEMENTS (candidates); j++)
            any |= counts[j] > 0;
          if (any)
            break;
        }
      else if (!quoted)
        for (guint j = 0; j < G_N_ELEMENTS (candidates); j++)
          if (c == candidates[j])
            counts[j]++;
    }

  for (guint i = 1; i < G_N_ELEMENTS (candidates); i++)
    if (counts[i] > counts[best])
      best = i;

  return candidates[best];
}

static gboolean
start_parser (Stream *stream)
{
  if (stream->format.delimiter == 0)
    stream->format.delimiter = sniff_delimiter (stream->text->str, stream->text->len);

  if (csv_init (&stream->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
    g_error ("Out of memory");

  csv_set_delim (&stream->parser, (unsigned char)stream->format.delimiter);
  csv_set_space_func (&stream->parser, never_space);
  csv_set_term_func (&stream->parser, is_line_end);
  stream->parser_ready = TRUE;

  return TRUE;
}

/* Hands @len bytes of text to libcsv; @ends_line says whether they end
 * with the line's newline. */
static gboolean
feed (Stream      *stream,
      const char  *text,
      gsize        len,
      gboolean     ends_line,
      GError     **error)
{
  gsize parsed;

  if (stream->at_line_start)
    {
      stream->reader.line++;
      stream->line_chars_fed = 0;
    }

  parsed = csv_parse (&stream->parser, text, len, field_cb, row_cb, &stream->reader);
  if (parsed != len)
    {
      g_set_error (error, HERALD_CSV_ERROR, HERALD_CSV_ERROR_PARSE,
                   _("“%s”, line %u, column %u: a quote is out of place. %s"),
                   stream->display_name, stream->reader.line,
                   stream->line_chars_fed + (guint)g_utf8_strlen (text, parsed) + 1,
                   parse_error_hint ());
      return FALSE;
    }

  if (csv_get_buffer_size (&stream->parser) > MAX_FIELD_SIZE)
    {
      g_set_error (error, HERALD_CSV_ERROR, HERALD_CSV_ERROR_PARSE,
                   _("“%s”, line %u: a field is longer than one megabyte. This is not a contact list, "
                     "or a quote is missing."),
                   stream->display_name, stream->reader.line - stream->reader.newlines_in_row);
      return FALSE;
    }

  /* Only a line fed in pieces needs to know where the next piece starts. */
  stream->at_line_start = ends_line;
  if (!ends_line)
    stream->line_chars_fed += g_utf8_strlen (text, len);

  return TRUE;
}

/* Feeds the complete lines of the decoded text, and at the end or for a
 * huge line, what is left. */
static gboolean
feed_text (Stream   *stream,
           gboolean  at_end,
           GError  **error)
{
  const char *start = stream->text->str;
  const char *end = start + stream->text->len;
  const char *p = start;
  const char *nl;

  if (!stream->parser_ready)
    {
      /* The delimiter is found on the first line, so wait for it. */
      if (!at_end && memchr (start, '\n', end - start) == NULL && stream->text->len < CHUNK_SIZE)
        return TRUE;

      start_parser (stream);
    }

  while (!stream->reader.stopped && (nl = memchr (p, '\n', end - p)) != NULL)
    {
      if (!feed (stream, p, nl - p + 1, TRUE, error))
        return FALSE;
      p = nl + 1;
    }

  /* A line longer than a chunk is fed in pieces, cut between characters. */
  if (!stream->reader.stopped && p < end && (at_end || end - p >= CHUNK_SIZE))
    {
      const char *cut = at_end ? end : g_utf8_find_prev_char (p, end);

      if (cut == NULL)
        cut = end;

      if (!feed (stream, p, cut - p, FALSE, error))
        return FALSE;
      p = cut;
    }

  g_string_erase (stream->text, 0, p - start);

  return TRUE;
}

static gboolean
read_stream (GInputStream          *input,
             goffset                total,
             const char            *display_name,
             HeraldCsvFormat       *format,
             HeraldCsvRowFunc       func,
             gpointer               user_data,
             GFileProgressCallback  progress,
             gpointer               progress_data,
             GCancellable          *cancellable,
             GError               **error)
{
  g_autoptr(GBufferedInputStream) buffered = NULL;
  g_autoptr(GInputStream) source = NULL;
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GString) row_text = g_string_sized_new (1024);
  g_autofree char *chunk = g_malloc (CHUNK_SIZE);
  const guchar *head;
  gsize head_len;
  goffset done = 0;
  gboolean ok = TRUE;
  Stream stream = { 0 };

  stream.display_name = display_name;
  stream.format = format ? *format : (HeraldCsvFormat) { 0 };
  stream.explicit_encoding = stream.format.encoding != HERALD_CSV_ENCODING_AUTO;
  stream.undecoded = g_string_new (NULL);
  stream.text = g_string_sized_new (2 * CHUNK_SIZE);
  stream.decoded_line = 1;
  stream.at_line_start = TRUE;
  stream.reader = (Reader) { func, user_data, row_text, starts, fields, 0, 0, 0, FALSE };

  /* The byte order mark, if any, says what the file is. */
  buffered = G_BUFFERED_INPUT_STREAM (g_buffered_input_stream_new_sized (input, CHUNK_SIZE));
  if (g_buffered_input_stream_fill (buffered, 4, cancellable, error) < 0)
    goto failed;

  head = g_buffered_input_stream_peek_buffer (buffered, &head_len);
  if (head_len == 0)
    {
      g_set_error (error, HERALD_CSV_ERROR, HERALD_CSV_ERROR_EMPTY, _("“%s” is empty."), display_name);
      goto failed;
    }

  if (head_len >= 3 && memcmp (head, "\xEF\xBB\xBF", 3) == 0 &&
      (!stream.explicit_encoding || stream.format.encoding == HERALD_CSV_ENCODING_UTF8))
    {
      stream.format.encoding = HERALD_CSV_ENCODING_UTF8;
      g_input_stream_skip (G_INPUT_STREAM (buffered), 3, NULL, NULL);
    }
  else if (head_len >= 2 && memcmp (head, "\xFF\xFE", 2) == 0 && !stream.explicit_encoding)
    {
      stream.format.encoding = HERALD_CSV_ENCODING_UTF16LE;
      g_input_stream_skip (G_INPUT_STREAM (buffered), 2, NULL, NULL);
    }
  else if (head_len >= 2 && memcmp (head, "\xFE\xFF", 2) == 0 && !stream.explicit_encoding)
    {
      stream.format.encoding = HERALD_CSV_ENCODING_UTF16BE;
      g_input_stream_skip (G_INPUT_STREAM (buffered), 2, NULL, NULL);
    }
  else if (!stream.explicit_encoding)
    stream.format.encoding = HERALD_CSV_ENCODING_UTF8;

  if (stream.format.encoding == HERALD_CSV_ENCODING_UTF16LE ||
      stream.format.encoding == HERALD_CSV_ENCODING_UTF16BE)
    {
      g_autoptr(GCharsetConverter) converter = NULL;

      converter = g_charset_converter_new ("UTF-8", herald_csv_encoding_label (stream.format.encoding), error);
      if (converter == NULL)
        goto failed;
      source = g_converter_input_stream_new (G_INPUT_STREAM (buffered), G_CONVERTER (converter));
    }
  else
    source = g_object_ref (G_INPUT_STREAM (buffered));

  for (;;)
    {
      g_autoptr(GError) read_error = NULL;
      gssize n = g_input_stream_read (source, chunk, CHUNK_SIZE, cancellable, &read_error);

      if (n < 0)
        {
          if (g_error_matches (read_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_propagate_error (error, g_steal_pointer (&read_error));
          else if (g_error_matches (read_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA))
            g_set_error (error, HERALD_CSV_ERROR, HERALD_CSV_ERROR_ENCODING,
                         _("“%s”, line %u: the file is not valid %s here. Choose its encoding."),
                         display_name, stream.decoded_line, herald_csv_encoding_label (stream.format.encoding));
          else
            g_set_error (error, HERALD_CSV_ERROR, HERALD_CSV_ERROR_IO,
                         _("“%s” could not be read: %s"), display_name, read_error->message);
          goto failed;
        }

      /* A NUL byte never occurs in text: this is a spreadsheet, an archive or
       * an image, not a CSV file. */
      if (n > 0 && memchr (chunk, '\0', n) != NULL)
        {
          g_set_error (error, HERALD_CSV_ERROR, HERALD_CSV_ERROR_ENCODING,
                       _("“%s” is not a text file. Save the spreadsheet as CSV and import that file."),
                       display_name);
          goto failed;
        }

      if (!decode_chunk (&stream, chunk, n, n == 0, error) ||
          !feed_text (&stream, n == 0, error))
        goto failed;

      if (n == 0 || stream.reader.stopped)
        break;

      done += n;
      if (progress != NULL)
        progress (MIN (done, total), total, progress_data);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto failed;
    }

  if (stream.parser_ready && !stream.reader.stopped &&
      csv_fini (&stream.parser, field_cb, row_cb, &stream.reader) != 0)
    {
      g_set_error (error, HERALD_CSV_ERROR, HERALD_CSV_ERROR_PARSE,
                   _("“%s”, line %u: a quoted field is never closed. %s"),
                   display_name, stream.reader.last_row_line + 1, parse_error_hint ());
      goto failed;
    }

  if (format != NULL)
    *format = stream.format;

  goto out;

failed:
  ok = FALSE;

out:
  if (stream.parser_ready)
    csv_free (&stream.parser);
  g_string_free (stream.undecoded, TRUE);
  g_string_free (stream.text, TRUE);

  return ok;
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
  g_autoptr(GInputStream) input = NULL;

  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  input = g_memory_input_stream_new_from_bytes (bytes);
  return read_stream (input, g_bytes_get_size (bytes), display_name, format, func, user_data,
                      NULL, NULL, cancellable, error);
}

/**
 * herald_csv_read_file:
 * @format: (inout) (nullable): the encoding and delimiter to use, zero
 *   for those to detect; set to what was used
 * @progress: (nullable) (scope call): called with the bytes read and the
 *   file's size
 *
 * Reads @path as CSV, streaming: memory use does not grow with the file.
 */
gboolean
herald_csv_read_file (const char             *path,
                      HeraldCsvFormat        *format,
                      HeraldCsvRowFunc        func,
                      gpointer                user_data,
                      GFileProgressCallback   progress,
                      gpointer                progress_data,
                      GCancellable           *cancellable,
                      GError                **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display = g_filename_display_name (path);

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (!(input = g_file_read (file, cancellable, &local_error)) ||
      !(info = g_file_input_stream_query_info (input, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, &local_error)))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      g_set_error (error, HERALD_CSV_ERROR, HERALD_CSV_ERROR_IO,
                   _("“%s” could not be read: %s"), display, local_error->message);
      return FALSE;
    }

  return read_stream (G_INPUT_STREAM (input), g_file_info_get_size (info), display, format, func, user_data,
                      progress, progress_data, cancellable, error);
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
