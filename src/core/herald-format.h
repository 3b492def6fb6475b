/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Figures as the user's language writes them, with ICU. A figure that
 * cannot be known (NAN or infinite) is written "n/a". */
char *herald_format_money   (double      amount,
                             const char *currency);
char *herald_format_percent (double      fraction);
char *herald_format_count   (double      value);
char *herald_format_decimal (double      value,
                             int         digits);

/* A share of a denominator: NAN ("n/a") when the denominator is zero or
 * either figure is unknown. */
double herald_ratio         (double      numerator,
                             double      denominator);

G_END_DECLS
