/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-country"

#include "config.h"

#include <unicode/uloc.h>
#include <unicode/ustring.h>

#include "herald-country.h"

/* Exports name countries in many ways: "DE", "DEU", "Germany",
 * "Deutschland", "Allemagne". ICU knows the codes and the names in every
 * language; the names in the languages Herald speaks are matched, with
 * case and accents ignored. */

static const char * const display_locales[] = { "en", "de", "fr", "es", "it", "zh" };

static const char * const extra_names[][2] = {
  { "usa", "US" }, { "unitedstatesofamerica", "US" }, { "america", "US" },
  { "uk", "GB" }, { "england", "GB" }, { "scotland", "GB" }, { "wales", "GB" },
  { "greatbritain", "GB" }, { "holland", "NL" }, { "korea", "KR" }, { "southkorea", "KR" },
  { "russia", "RU" }, { "czechia", "CZ" }, { "czechrepublic", "CZ" },
};

static char *
name_key (const char *name)
{
  g_autofree char *folded = g_utf8_casefold (name, -1);
  g_autofree char *ascii = g_str_to_ascii (folded, "C");
  GString *key = g_string_new (NULL);

  /* Names in Chinese have no ASCII form: keep them as they are. */
  if (strchr (ascii, '?') != NULL)
    {
      g_string_append (key, folded);
      return g_string_free (key, FALSE);
    }

  for (const char *p = ascii; *p; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (key, *p);

  return g_string_free (key, FALSE);
}

static void
add_name (GHashTable *table,
          const char *name,
          const char *code)
{
  char *key = name_key (name);

  if (key[0] == '\0' || g_hash_table_contains (table, key))
    g_free (key);
  else
    g_hash_table_insert (table, key, (gpointer)code);
}

static GHashTable *
build_table (void)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char * const *codes = uloc_getISOCountries ();

  for (guint i = 0; codes[i] != NULL; i++)
    {
      g_autofree char *locale = g_strdup_printf ("und_%s", codes[i]);
      const char *alpha3 = uloc_getISO3Country (locale);

      add_name (table, codes[i], codes[i]);
      if (alpha3 != NULL && alpha3[0] != '\0')
        add_name (table, alpha3, codes[i]);

      for (guint l = 0; l < G_N_ELEMENTS (display_locales); l++)
        {
          UChar buffer[256];
          char utf8[512];
          UErrorCode status = U_ZERO_ERROR;
          int32_t len;

          len = uloc_getDisplayCountry (locale, display_locales[l], buffer, G_N_ELEMENTS (buffer), &status);
          if (U_FAILURE (status) || len <= 0)
            continue;

          u_strToUTF8 (utf8, sizeof utf8, NULL, buffer, len, &status);
          if (U_SUCCESS (status))
            add_name (table, utf8, codes[i]);
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (extra_names); i++)
    {
      const char * const *code;

      for (code = codes; *code && !g_str_equal (*code, extra_names[i][1]); code++)
        ;
      if (*code != NULL)
        add_name (table, extra_names[i][0], *code);
    }

  return table;
}

/* Names as written to their codes, for this thread: a file names the same
 * few countries again and again. */
static GPrivate seen_names = G_PRIVATE_INIT ((GDestroyNotify)g_hash_table_unref);

/**
 * herald_country_code_for_name:
 * @name: a country as an export writes it
 *
 * Returns: (nullable): the ISO 3166 alpha-2 code, or %NULL when @name is
 *   no country Herald knows
 */
const char *
herald_country_code_for_name (const char *name)
{
  static gsize table_once;
  static GHashTable *table;
  g_autofree char *key = NULL;
  GHashTable *seen;
  const char *code;

  g_return_val_if_fail (name != NULL, NULL);

  if (g_once_init_enter (&table_once))
    {
      table = build_table ();
      g_once_init_leave (&table_once, 1);
    }

  seen = g_private_get (&seen_names);
  if (seen == NULL)
    {
      seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_private_set (&seen_names, seen);
    }

  if (g_hash_table_lookup_extended (seen, name, NULL, (gpointer *)&code))
    return code;

  key = name_key (name);
  code = g_hash_table_lookup (table, key);

  if (g_hash_table_size (seen) >= 4096)
    g_hash_table_remove_all (seen);
  g_hash_table_insert (seen, g_strdup (name), (gpointer)code);

  return code;
}
