/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "herald-core.h"
#include "herald-country.h"
#include "herald-test-utils.h"

typedef struct
{
  GPtrArray *rows;
} Collected;

static gboolean
collect_cb (guint               line,
            const char * const *fields,
            guint               n_fields,
            gpointer            user_data)
{
  Collected *collected = user_data;
  g_autofree char *joined = g_strjoinv ("|", (char **)fields);

  g_ptr_array_add (collected->rows, g_strdup_printf ("%u:%s", line, joined));
  return TRUE;
}

/* Reads @data (of @len bytes, -1 for a string) and returns the rows as
 * "line:field|field" strings, or NULL with @error set. */
static GPtrArray *
read_csv (const char       *data,
          gssize            len,
          HeraldCsvFormat  *format,
          GError          **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len < 0 ? strlen (data) : (gsize)len);
  Collected collected = { g_ptr_array_new_with_free_func (g_free) };

  if (!herald_csv_read_bytes (bytes, "test.csv", format, collect_cb, &collected, NULL, error))
    {
      g_ptr_array_unref (collected.rows);
      return NULL;
    }

  return collected.rows;
}

static void
assert_rows (GPtrArray          *rows,
             const char * const *expected)
{
  g_assert_nonnull (rows);
  g_assert_cmpuint (rows->len, ==, g_strv_length ((char **)expected));

  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpstr (g_ptr_array_index (rows, i), ==, expected[i]);
}

static void
test_lines (void)
{
  const char *data = "Email,Note\r\n"
                     "\r\n"
                     "a@example.com,\"two\nlines\"\r\n"
                     ",\r\n"
                     "b@example.com, kept spaces \r\n"
                     "c@example.com,\"say \"\"hi\"\"\"";
  const char * const expected[] = {
    "1:Email|Note",
    "3:a@example.com|two\nlines",
    "6:b@example.com| kept spaces ",
    "7:c@example.com|say \"hi\"",
    NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = read_csv (data, -1, NULL, &error);

  g_assert_no_error (error);
  assert_rows (rows, expected);
}

static void
test_delimiters (void)
{
  static const struct {
    const char *data;
    char        delimiter;
  } cases[] = {
    { "EMAIL;FIRSTNAME;LASTNAME\na@example.com;Ana;García\n", ';' },
    { "Email\tName\na@example.com\tAna\n", '\t' },
    { "Email|Name\na@example.com|Ana\n", '|' },
    { "Email,Name\na@example.com,\"Ana; María\"\n", ',' },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HeraldCsvFormat format = { 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = read_csv (cases[i].data, -1, &format, &error);

      g_assert_no_error (error);
      g_assert_cmpint (format.delimiter, ==, cases[i].delimiter);
      g_assert_cmpuint (rows->len, ==, 2);
      g_assert_true (g_str_has_prefix (g_ptr_array_index (rows, 1), "2:a@example.com|Ana"));
    }
}

static void
test_encodings (void)
{
  /* Excel's "Unicode text": UTF-16 LE with a BOM, tab-separated. */
  static const char utf16le[] = "\xFF\xFE" "E\0m\0a\0i\0l\0\t\0N\0a\0m\0e\0\r\0\n\0"
                         "a\0@\0x\0.\0d\0e\0\t\0J\0\xFC\0r\0g\0e\0n\0\r\0\n\0";
  static const char utf16be[] = "\xFE\xFF" "\0E\0m\0a\0i\0l\0,\0N\0\n\0a\0@\0x\0.\0d\0e\0,\0\xE9";
  static const char cp1252[] = "Email;Name\na@x.fr;Ren\xE9 \x80\n";
  static const char utf8_bom[] = "\xEF\xBB\xBF" "Email,Name\na@x.de,J\xC3\xBCrgen\n";
  static const struct {
    const char        *data;
    gsize              len;
    HeraldCsvEncoding  encoding;
    const char        *last;
  } cases[] = {
    { utf16le, sizeof utf16le - 1, HERALD_CSV_ENCODING_UTF16LE, "2:a@x.de|Jürgen" },
    { utf16be, sizeof utf16be - 1, HERALD_CSV_ENCODING_UTF16BE, "2:a@x.de|é" },
    { cp1252, sizeof cp1252 - 1, HERALD_CSV_ENCODING_WINDOWS_1252, "2:a@x.fr|René €" },
    { utf8_bom, sizeof utf8_bom - 1, HERALD_CSV_ENCODING_UTF8, "2:a@x.de|Jürgen" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HeraldCsvFormat format = { 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = read_csv (cases[i].data, cases[i].len, &format, &error);

      g_assert_no_error (error);
      g_assert_cmpint (format.encoding, ==, cases[i].encoding);
      g_assert_cmpstr (g_ptr_array_index (rows, 0), ==, format.delimiter == '\t' ? "1:Email|Name" :
                       i == 1 ? "1:Email|N" : "1:Email|Name");
      g_assert_cmpstr (g_ptr_array_index (rows, rows->len - 1), ==, cases[i].last);
    }
}

static void
test_errors (void)
{
  static const struct {
    const char *data;
    gsize       len;
    int         code;
    const char *location;
  } cases[] = {
    /* A quote in the middle of an unquoted field. */
    { "Email,Name\na@x.de,Ana\nb@x.de,Jo\"hn\n", 0, HERALD_CSV_ERROR_PARSE, "line 3, column 10" },
    /* Text after a closing quote. */
    { "Email,Name\n\"a@x.de\"x,Ana\n", 0, HERALD_CSV_ERROR_PARSE, "line 2, column 9" },
    /* A quote that never closes. */
    { "Email,Name\na@x.de,\"Ana\nb@x.de,Bo\n", 0, HERALD_CSV_ERROR_PARSE, "line 2" },
    /* UTF-8 broken after valid UTF-8 further up. */
    { "Email,Name\na@x.de,J\xC3\xBCrgen\nb@x.de,Bj\xF6rn\n", 0, HERALD_CSV_ERROR_ENCODING, "line 3, column 10" },
    /* A spreadsheet saved as .xlsx is a ZIP archive. */
    { "PK\x03\x04\x14\0\x06\0", 10, HERALD_CSV_ERROR_ENCODING, "not a text file" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = read_csv (cases[i].data, cases[i].len ? (gssize)cases[i].len : -1, NULL, &error);

      g_assert_null (rows);
      g_assert_error (error, HERALD_CSV_ERROR, cases[i].code);
      g_assert_true (g_str_has_prefix (error->message, "“test.csv”"));
      if (strstr (error->message, cases[i].location) == NULL)
        g_error ("case %u: “%s” does not say “%s”", i, error->message, cases[i].location);
    }
}

static void
test_write (void)
{
  const char * const fields[] = { "plain", "with,comma", "say \"hi\"", "two\nlines", " padded", "" };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  herald_csv_append_row (out, fields, G_N_ELEMENTS (fields), ',');
  g_assert_cmpstr (out->str, ==, "plain,\"with,comma\",\"say \"\"hi\"\"\",\"two\nlines\",\" padded\",\r\n");

  /* What is written reads back the same. */
  rows = read_csv (out->str, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_ptr_array_index (rows, 0), ==, "1:plain|with,comma|say \"hi\"|two\nlines| padded|");
}

static void
test_email (void)
{
  static const char * const valid[][2] = {
    { "anna@example.com", "anna@example.com" },
    { "  Anna.Schmidt@Example.COM ", "anna.schmidt@example.com" },
    { "mailto:info@example.org", "info@example.org" },
    { "<o'brien+news@example.ie>", "o'brien+news@example.ie" },
    { "jonas@MÜLLER.de", "jonas@müller.de" },
    { "jonas@xn--mller-kva.de", "jonas@müller.de" },
    { "x@sub.domain.co.uk", "x@sub.domain.co.uk" },
    { "info@xn--fsqu00a.xn--fiqs8s", "info@例子.中国" },
  };
  static const char * const invalid[] = {
    "", "anna", "anna@", "@example.com", "anna@@example.com", "anna@exa mple.com",
    "an na@example.com", "anna..s@example.com", ".anna@example.com", "anna.@example.com",
    "anna@example", "anna@example.c", "anna@example.123", "anna@-example.com",
    "anna@example..com", "anna@example.com.", "anna@[192.0.2.1]", "\"anna\"@example.com",
    "anna(comment)@example.com", "jürgen@example.de", "anna@exa_mple.com",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.com",
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autofree char *reason = NULL;
      g_autofree char *normalized = herald_email_normalize (valid[i][0], &reason);

      if (normalized == NULL)
        g_error ("“%s” refused: %s", valid[i][0], reason);
      g_assert_cmpstr (normalized, ==, valid[i][1]);
      g_assert_null (reason);
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autofree char *reason = NULL;
      g_autofree char *normalized = herald_email_normalize (invalid[i], &reason);

      if (normalized != NULL)
        g_error ("“%s” accepted as “%s”", invalid[i], normalized);
      g_assert_nonnull (reason);
      g_assert_cmpstr (reason, !=, "");
    }
}

static void
test_country (void)
{
  static const char * const cases[][2] = {
    { "DE", "DE" }, { "de", "DE" }, { "DEU", "DE" }, { "Germany", "DE" }, { "Deutschland", "DE" },
    { "Allemagne", "DE" }, { "Alemania", "DE" }, { "Germania", "DE" }, { "德国", "DE" },
    { "United States", "US" }, { "USA", "US" }, { "UK", "GB" }, { "United Kingdom", "GB" },
    { "Schweiz", "CH" }, { "Suisse", "CH" }, { "España", "ES" }, { "espana", "ES" },
    { "Côte d’Ivoire", "CI" }, { "Österreich", "AT" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (herald_country_code_for_name (cases[i][0]), ==, cases[i][1]);

  g_assert_null (herald_country_code_for_name ("Atlantis"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = herald_test_isolate_home ();
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/herald/csv/lines", test_lines);
  g_test_add_func ("/herald/csv/delimiters", test_delimiters);
  g_test_add_func ("/herald/csv/encodings", test_encodings);
  g_test_add_func ("/herald/csv/errors", test_errors);
  g_test_add_func ("/herald/csv/write", test_write);
  g_test_add_func ("/herald/email/normalize", test_email);
  g_test_add_func ("/herald/country/names", test_country);

  ret = g_test_run ();
  herald_test_remove_tree (home);

  return ret;
}
