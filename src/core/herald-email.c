/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-email"

#include "config.h"

#include <glib/gi18n.h>
#include <idn2.h>

#include "herald-email.h"

/* Addresses are checked against the practical form of RFC 5321 that mail
 * servers accept: a dot-atom before the @ and a host name after it. What
 * is legal in theory but bounces in practice (quoted local parts, IP
 * literals, single-label domains) is rejected, with a reason a marketer
 * can act on. */

#define MAX_LOCAL_LENGTH 64
#define MAX_ADDRESS_LENGTH 254

static gboolean
is_atext (char c)
{
  return g_ascii_isalnum (c) || strchr ("!#$%&'*+/=?^_`{|}~-", c) != NULL;
}

static char *
check_local_part (const char *local,
                  gsize       len)
{
  if (len == 0)
    return g_strdup (_("nothing comes before the @"));

  if (len > MAX_LOCAL_LENGTH)
    return g_strdup (_("the part before the @ is longer than 64 characters"));

  if (local[0] == '.' || local[len - 1] == '.')
    return g_strdup (_("the part before the @ starts or ends with a dot"));

  for (gsize i = 0; i < len; i++)
    {
      if (local[i] == '.' && local[i + 1] == '.')
        return g_strdup (_("the address has two dots in a row"));

      if ((guchar)local[i] >= 0x80)
        return g_strdup (_("the part before the @ has letters that most mail servers refuse"));

      if (local[i] != '.' && !is_atext (local[i]))
        return g_strdup_printf (_("the address contains “%c”, which is not allowed"), local[i]);
    }

  return NULL;
}

static char *
check_ascii_domain (const char *domain)
{
  g_auto(GStrv) labels = NULL;
  guint n_labels;
  const char *tld;

  if (strlen (domain) > 253)
    return g_strdup (_("the domain is too long"));

  if (domain[0] == '.' || g_str_has_suffix (domain, ".") || strstr (domain, "..") != NULL)
    return g_strdup (_("the domain has a misplaced dot"));

  labels = g_strsplit (domain, ".", -1);
  n_labels = g_strv_length (labels);
  if (n_labels < 2)
    return g_strdup (_("the domain has no ending such as .com or .de"));

  for (guint i = 0; i < n_labels; i++)
    {
      gsize len = strlen (labels[i]);

      if (len == 0 || len > 63)
        return g_strdup (_("the domain is not valid"));

      if (labels[i][0] == '-' || labels[i][len - 1] == '-')
        return g_strdup (_("a part of the domain starts or ends with a hyphen"));

      for (gsize j = 0; j < len; j++)
        if (!g_ascii_isalnum (labels[i][j]) && labels[i][j] != '-')
          return g_strdup_printf (_("the domain contains “%c”, which is not allowed"), labels[i][j]);
    }

  tld = labels[n_labels - 1];
  if (strlen (tld) < 2 || (!g_str_has_prefix (tld, "xn--") && !g_ascii_isalpha (tld[0])))
    return g_strdup (_("the domain has no ending such as .com or .de"));

  for (const char *p = tld; !g_str_has_prefix (tld, "xn--") && *p; p++)
    if (!g_ascii_isalpha (*p))
      return g_strdup (_("the domain has no ending such as .com or .de"));

  return NULL;
}

static gboolean
is_plain_ascii_domain (const char *domain)
{
  for (const char *p = domain; *p; p++)
    {
      if ((guchar)*p >= 0x80)
        return FALSE;

      /* An xn-- label is an IDN in its ASCII form, stored decoded. */
      if ((p == domain || p[-1] == '.') && g_ascii_strncasecmp (p, "xn--", 4) == 0)
        return FALSE;
    }

  return TRUE;
}

/* International domains as written, to their normalised form, for this
 * thread: IDN processing costs more than the rest of the checks together. */
#define IDN_CACHE_SIZE 1024

static GPrivate idn_cache = G_PRIVATE_INIT ((GDestroyNotify)g_hash_table_unref);

static const char *
idn_cache_lookup (const char *domain)
{
  GHashTable *cache = g_private_get (&idn_cache);

  return cache ? g_hash_table_lookup (cache, domain) : NULL;
}

static void
idn_cache_insert (const char *domain,
                  const char *normalized)
{
  GHashTable *cache = g_private_get (&idn_cache);

  if (cache == NULL)
    {
      cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_private_set (&idn_cache, cache);
    }

  if (g_hash_table_size (cache) >= IDN_CACHE_SIZE)
    g_hash_table_remove_all (cache);

  g_hash_table_insert (cache, g_strdup (domain), g_strdup (normalized));
}

/**
 * herald_email_normalize:
 * @input: an address as a file or a person wrote it
 * @out_reason: (out) (optional): why it was refused, translated
 *
 * Trims @input and brings it to the one form Herald stores: lower case,
 * the domain in Unicode (an IDN given as xn-- is decoded), so that the
 * same mailbox is the same contact whoever typed it.
 *
 * Returns: (transfer full) (nullable): the address, or %NULL when it would
 *   bounce
 */
char *
herald_email_normalize (const char  *input,
                        char       **out_reason)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *local = NULL;
  g_autofree char *domain_nfc = NULL;
  char *ascii_domain = NULL;
  char *unicode_domain = NULL;
  const char *cached;
  const char *at;
  char *result = NULL;
  int rc;

  g_return_val_if_fail (input != NULL, NULL);

  trimmed = g_strstrip (g_strdup (input));
  if (g_str_has_prefix (trimmed, "mailto:"))
    memmove (trimmed, trimmed + strlen ("mailto:"), strlen (trimmed) - strlen ("mailto:") + 1);
  if (trimmed[0] == '<' && g_str_has_suffix (trimmed, ">"))
    {
      trimmed[strlen (trimmed) - 1] = '\0';
      memmove (trimmed, trimmed + 1, strlen (trimmed));
    }

  if (!g_utf8_validate (trimmed, -1, NULL))
    reason = g_strdup (_("the address is not valid text"));
  else if (trimmed[0] == '\0')
    reason = g_strdup (_("the address is empty"));
  else if (strpbrk (trimmed, " \t\r\n") != NULL || strstr (trimmed, "\xC2\xA0") != NULL)
    reason = g_strdup (_("the address contains a space"));
  else if ((at = strchr (trimmed, '@')) == NULL)
    reason = g_strdup (_("the address has no @"));
  else if (strchr (at + 1, '@') != NULL)
    reason = g_strdup (_("the address has more than one @"));
  else if (at[1] == '\0')
    reason = g_strdup (_("nothing comes after the @"));
  else if (!(reason = check_local_part (trimmed, at - trimmed)) && is_plain_ascii_domain (at + 1))
    {
      /* Most addresses: an ASCII host name needs no IDN processing. */
      g_autofree char *lower = g_ascii_strdown (at + 1, -1);

      if (!(reason = check_ascii_domain (lower)))
        {
          if ((at - trimmed) + 1 + strlen (lower) > MAX_ADDRESS_LENGTH)
            reason = g_strdup (_("the address is longer than 254 characters"));
          else
            {
              local = g_ascii_strdown (trimmed, at - trimmed);
              result = g_strconcat (local, "@", lower, NULL);
            }
        }
    }
  else if (reason == NULL && (cached = idn_cache_lookup (at + 1)) != NULL)
    {
      /* The same international domain comes back row after row. */
      local = g_ascii_strdown (trimmed, at - trimmed);
      if (strlen (local) + 1 + strlen (cached) > MAX_ADDRESS_LENGTH)
        reason = g_strdup (_("the address is longer than 254 characters"));
      else
        result = g_strconcat (local, "@", cached, NULL);
    }
  else if (reason == NULL)
    {
      local = g_ascii_strdown (trimmed, at - trimmed);
      domain_nfc = g_utf8_normalize (at + 1, -1, G_NORMALIZE_NFC);
      {
        g_autofree char *lower = g_utf8_strdown (domain_nfc, -1);

        rc = idn2_lookup_u8 ((const uint8_t *)lower, (uint8_t **)&ascii_domain,
                             IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
      }

      if (rc != IDN2_OK)
        reason = g_strdup (_("the domain is not valid"));
      else if (!(reason = check_ascii_domain (ascii_domain)))
        {
          if (idn2_to_unicode_8z8z (ascii_domain, &unicode_domain, 0) != IDN2_OK)
            reason = g_strdup (_("the domain is not valid"));
          else if (strlen (local) + 1 + strlen (ascii_domain) > MAX_ADDRESS_LENGTH)
            reason = g_strdup (_("the address is longer than 254 characters"));
          else
            {
              idn_cache_insert (at + 1, unicode_domain);
              result = g_strconcat (local, "@", unicode_domain, NULL);
            }
        }
    }

  idn2_free (ascii_domain);
  idn2_free (unicode_domain);

  if (out_reason != NULL)
    *out_reason = g_steal_pointer (&reason);

  return result;
}
