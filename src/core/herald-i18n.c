/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-i18n"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "herald-i18n.h"

/**
 * herald_i18n_init:
 *
 * Sets up the locale and Herald's message catalogs. HERALD_LOCALEDIR
 * points at the catalogs of an uninstalled build, as the tests use them.
 */
void
herald_i18n_init (void)
{
  const char *localedir = g_getenv ("HERALD_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
