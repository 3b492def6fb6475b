/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writes a realistic contact export for benchmarks: people of several
 * countries and languages at companies of many industries and sizes, with
 * titles and tags, and a share of invalid and duplicate rows as real exports
 * have them. The same arguments always give the same file.
 *
 *   generate-contacts ROWS FILE
 */
#include <glib.h>
#include <stdio.h>

static const char *first_names[] = {
  "Anna", "Jonas", "Lea", "Felix", "Sophie", "Lukas", "Marie", "Hugo", "Camille", "Louis", "Chloé",
  "Giulia", "Marco", "Chiara", "Luca", "Lucía", "Javier", "Carmen", "Pablo", "Olivia", "James",
  "Amelia", "Noah", "Emily", "Daniel", "Sanne", "Daan", "Ingrid", "Ola", "Wei", "Fang", "Min",
  "Jie", "Aylin", "Mateo", "Nora", "Elias", "Zoë", "Åsa", "Søren", "Björn", "Małgorzata", "Jiří",
};
static const char *last_names[] = {
  "Schmidt", "Becker", "Hoffmann", "Wagner", "Dubois", "Lefèvre", "Moreau", "Rossi", "Bianchi",
  "Ferrari", "García", "Martín", "López", "Bennett", "Whitaker", "Clarke", "Fletcher", "de Vries",
  "Jansen", "Larsen", "Hansen", "Li", "Wang", "Zhang", "Chen", "Yılmaz", "Silva", "Novák",
  "Kowalski", "Nielsen", "Müller", "O'Brien", "Núñez", "Åberg",
};
static const char *companies[] = {
  "Brightpath Logistics", "Nordwind Energie", "Kessler & Voss", "Alpenblick Hotels", "Helvetia Medtech",
  "Maison Lumière", "Atelier Garance", "Banque du Rivage", "Vela Software", "Ferro Meccanica",
  "Olivarte", "Solera Viajes", "Cobalto Seguros", "Brisa Digital", "Harbour & Finch",
  "Northgate Analytics", "Cedar Ridge Health", "Bluewater Outfitters", "Keystone Capital",
  "Maple Leaf Learning", "Dijkstra Bouw", "Fjordlys", "Qingshan Trading", "Yunhe Cloud",
};
static const char *industries[] = {
  "Logistics", "Energy", "Finance", "Hospitality", "Healthcare", "Retail", "Design", "Software",
  "Manufacturing", "Food & Beverage", "Travel", "Insurance", "Marketing", "Consulting", "Education",
  "Construction",
};
static const char *titles[] = {
  "Marketing Manager", "Head of Marketing", "CMO", "Email Marketing Specialist", "CRM Manager",
  "Growth Lead", "Sales Director", "Account Executive", "CEO", "Founder", "Operations Manager",
  "Head of E-Commerce", "Content Strategist", "Customer Success Manager", "IT Director",
};
static const char *countries[] = {
  "DE", "Germany", "FR", "France", "IT", "Italia", "ES", "España", "GB", "United Kingdom", "US",
  "USA", "NL", "NO", "CN", "CH", "AT", "CA",
};
static const char *tags[] = {
  "newsletter", "customer", "trial", "webinar-2026", "vip", "event-berlin", "whitepaper",
};
static const char *domains[] = {
  "example.com", "example.org", "example.net", "mail.example", "firma.example", "société.example",
};

static void
field (GString    *out,
       const char *value)
{
  gboolean quote = strpbrk (value, ",\"\n") != NULL;

  if (!quote)
    {
      g_string_append (out, value);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = value; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

#define PICK(array) array[g_rand_int_range (rand, 0, G_N_ELEMENTS (array))]

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1123);
  g_autoptr(GString) row = g_string_new (NULL);
  guint64 rows;
  FILE *out;

  if (argc != 3)
    {
      fprintf (stderr, "usage: %s ROWS FILE\n", argv[0]);
      return 2;
    }

  rows = g_ascii_strtoull (argv[1], NULL, 10);
  if (!(out = fopen (argv[2], "w")))
    {
      perror (argv[2]);
      return 1;
    }

  fputs ("Email,First Name,Last Name,Company,Job Title,Industry,Employees,Country,City,Tags,Plan\n", out);

  for (guint64 i = 0; i < rows; i++)
    {
      const char *first = PICK (first_names);
      const char *last = PICK (last_names);
      g_autofree char *local = g_str_to_ascii (first, "C");
      g_autofree char *email = NULL;
      gint32 roll = g_rand_int_range (rand, 0, 1000);
      guint64 n = i;

      /* About 1 % repeat an earlier person, 0.5 % are broken addresses. */
      if (roll < 10 && i > 0)
        n = g_rand_int_range (rand, 0, i);

      email = roll >= 10 && roll < 15
              ? g_strdup_printf ("%s.%" G_GUINT64_FORMAT "@@%s", local, n, PICK (domains))
              : g_strdup_printf ("%s.%" G_GUINT64_FORMAT "@%s", local, n, PICK (domains));

      g_string_truncate (row, 0);
      field (row, email); g_string_append_c (row, ',');
      field (row, first); g_string_append_c (row, ',');
      field (row, last); g_string_append_c (row, ',');
      field (row, PICK (companies)); g_string_append_c (row, ',');
      field (row, PICK (titles)); g_string_append_c (row, ',');
      field (row, PICK (industries)); g_string_append_c (row, ',');
      g_string_append_printf (row, "%d,", g_rand_int_range (rand, 1, 5000));
      field (row, PICK (countries)); g_string_append_c (row, ',');
      g_string_append (row, "City,");
      if (g_rand_boolean (rand))
        {
          g_autofree char *joined = g_strdup_printf ("%s, %s", PICK (tags), PICK (tags));

          field (row, joined);
        }
      g_string_append_c (row, ',');
      g_string_append (row, roll % 3 == 0 ? "Pro" : "Free");
      g_string_append_c (row, '\n');
      fputs (row->str, out);
    }

  return fclose (out) == 0 ? 0 : 1;
}
