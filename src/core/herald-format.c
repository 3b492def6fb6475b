/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-format"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include <unicode/unum.h>
#include <unicode/ustring.h>

#include "herald-format.h"

/* The locale of the messages, so figures read like the words around
 * them: "de" gives 1.234,50 €, "fr" 1 234,50 €. */
static const char *
icu_locale (void)
{
  static char *locale;
  static gsize once;

  if (g_once_init_enter (&once))
    {
      locale = g_strdup (g_get_language_names ()[0]);
      locale[strcspn (locale, ".@")] = '\0';
      if (g_str_equal (locale, "C") || g_str_equal (locale, "POSIX"))
        {
          g_free (locale);
          locale = g_strdup ("en_US");
        }
      g_once_init_leave (&once, 1);
    }
  return locale;
}

static char *
format (UNumberFormatStyle  style,
        double              value,
        int                 min_digits,
        int                 max_digits,
        const char         *currency)
{
  UErrorCode status = U_ZERO_ERROR;
  UNumberFormat *fmt;
  UChar buffer[128];
  int32_t length;
  char *text;

  if (!isfinite (value))
    return g_strdup (C_("figure", "n/a"));

  fmt = unum_open (style, NULL, 0, icu_locale (), NULL, &status);
  if (U_FAILURE (status))
    return g_strdup_printf ("%.*f", max_digits, value);
  if (currency != NULL && *currency != '\0')
    {
      UChar code[4] = { 0 };

      u_charsToUChars (currency, code, MIN (strlen (currency), 3));
      unum_setTextAttribute (fmt, UNUM_CURRENCY_CODE, code, -1, &status);
    }
  if (min_digits >= 0)
    {
      unum_setAttribute (fmt, UNUM_MIN_FRACTION_DIGITS, min_digits);
      unum_setAttribute (fmt, UNUM_MAX_FRACTION_DIGITS, max_digits);
    }
  length = unum_formatDouble (fmt, value, buffer, G_N_ELEMENTS (buffer), NULL, &status);
  unum_close (fmt);
  if (U_FAILURE (status))
    return g_strdup_printf ("%.*f", MAX (max_digits, 0), value);
  text = g_utf16_to_utf8 ((const gunichar2 *) buffer, length, NULL, NULL, NULL);
  return text != NULL ? text : g_strdup_printf ("%.*f", MAX (max_digits, 0), value);
}

/**
 * herald_format_money:
 * @currency: an ISO 4217 code, such as "EUR"
 *
 * Returns: (transfer full): @amount in the currency's usual digits.
 */
char *
herald_format_money (double      amount,
                     const char *currency)
{
  return format (UNUM_CURRENCY, amount, -1, -1, currency != NULL ? currency : "EUR");
}

/* A fraction as a percentage: 2.3333 is "233 %", 0.0125 "1.3 %". */
char *
herald_format_percent (double fraction)
{
  int digits = isfinite (fraction) && fabs (fraction) < 0.1 && fraction != 0 ? 1 : 0;

  return format (UNUM_PERCENT, fraction, 0, digits, NULL);
}

/* An expected number of contacts or emails: whole above ten, one decimal
 * below, so a small flow does not show only zeros. */
char *
herald_format_count (double value)
{
  return format (UNUM_DECIMAL, value, 0, isfinite (value) && fabs (value) < 10 ? 1 : 0, NULL);
}

char *
herald_format_decimal (double value,
                       int    digits)
{
  return format (UNUM_DECIMAL, value, 0, digits, NULL);
}

double
herald_ratio (double numerator,
              double denominator)
{
  return denominator > 0 && isfinite (numerator) && isfinite (denominator) ? numerator / denominator : NAN;
}
