/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "herald-cli-private.h"

HeraldCliExit
herald_cli_contacts_count (HeraldCli *cli)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  gint64 count;

  if (cli->n_args > 0)
    return herald_cli_usage_error (_("“contacts count” takes no arguments, but “%s” was given."),
                                   cli->args[0]);

  if (!(workspace = herald_cli_open_workspace (cli, &error)))
    return herald_cli_fail (cli, error);

  if ((count = herald_workspace_count (workspace, HERALD_COLLECTION_CONTACTS, &error)) < 0)
    return herald_cli_fail (cli, error);

  if (cli->json)
    herald_cli_print_json_member ("count", json_node_init_int (json_node_alloc (), count));
  else
    g_print ("%" G_GINT64_FORMAT "\n", count);

  return HERALD_CLI_EXIT_OK;
}

static gboolean
parse_policy (const char        *text,
              HeraldMergePolicy *out_policy)
{
  static const char * const names[] = {
    [HERALD_MERGE_UPDATE_EMPTY] = "update-empty",
    [HERALD_MERGE_OVERWRITE] = "overwrite",
    [HERALD_MERGE_SKIP] = "skip",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (text, names[i]) == 0)
      {
        *out_policy = i;
        return TRUE;
      }

  return FALSE;
}

static gboolean
parse_encoding (const char        *text,
                HeraldCsvEncoding *out_encoding)
{
  g_autofree char *upper = g_ascii_strup (text, -1);

  if (g_str_equal (upper, "AUTO"))
    *out_encoding = HERALD_CSV_ENCODING_AUTO;
  else if (g_str_equal (upper, "UTF-8") || g_str_equal (upper, "UTF8"))
    *out_encoding = HERALD_CSV_ENCODING_UTF8;
  else if (g_str_equal (upper, "UTF-16LE"))
    *out_encoding = HERALD_CSV_ENCODING_UTF16LE;
  else if (g_str_equal (upper, "UTF-16BE"))
    *out_encoding = HERALD_CSV_ENCODING_UTF16BE;
  else if (g_str_equal (upper, "WINDOWS-1252") || g_str_equal (upper, "CP1252") ||
           g_str_equal (upper, "LATIN-1") || g_str_equal (upper, "LATIN1") ||
           g_str_equal (upper, "ISO-8859-1"))
    *out_encoding = HERALD_CSV_ENCODING_WINDOWS_1252;
  else
    return FALSE;

  return TRUE;
}

static gboolean
parse_delimiter (const char *text,
                 char       *out_delimiter)
{
  if (g_str_equal (text, "tab") || g_str_equal (text, "\\t"))
    *out_delimiter = '\t';
  else if (g_str_equal (text, "pipe"))
    *out_delimiter = '|';
  else if (strlen (text) == 1 && strchr (",;|\t", text[0]))
    *out_delimiter = text[0];
  else
    return FALSE;

  return TRUE;
}

static void
print_import_report (HeraldCli          *cli,
                     HeraldImportReport *report)
{
  guint n_rejected = herald_import_report_get_n_rejected (report);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "rows");
      json_builder_add_int_value (builder, herald_import_report_get_rows (report));
      json_builder_set_member_name (builder, "imported");
      json_builder_add_int_value (builder, herald_import_report_get_imported (report));
      json_builder_set_member_name (builder, "updated");
      json_builder_add_int_value (builder, herald_import_report_get_updated (report));
      json_builder_set_member_name (builder, "invalid");
      json_builder_add_int_value (builder, herald_import_report_get_invalid (report));
      json_builder_set_member_name (builder, "duplicates");
      json_builder_add_int_value (builder, herald_import_report_get_duplicates (report));
      json_builder_set_member_name (builder, "suppressed");
      json_builder_add_int_value (builder, herald_import_report_get_suppressed (report));
      json_builder_set_member_name (builder, "errors");
      json_builder_begin_array (builder);
      for (guint i = 0; i < n_rejected; i++)
        {
          const char *reason;
          guint line = herald_import_report_get_rejected (report, i, &reason);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "line");
          json_builder_add_int_value (builder, line);
          json_builder_set_member_name (builder, "reason");
          json_builder_add_string_value (builder, reason);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      herald_cli_print_json (builder);
      return;
    }

  g_print (ngettext ("%u row read\n", "%u rows read\n", herald_import_report_get_rows (report)),
           herald_import_report_get_rows (report));
  g_print (ngettext ("%u new contact\n", "%u new contacts\n", herald_import_report_get_imported (report)),
           herald_import_report_get_imported (report));
  g_print (ngettext ("%u contact updated\n", "%u contacts updated\n", herald_import_report_get_updated (report)),
           herald_import_report_get_updated (report));
  g_print (ngettext ("%u duplicate merged\n", "%u duplicates merged\n", herald_import_report_get_duplicates (report)),
           herald_import_report_get_duplicates (report));
  g_print (ngettext ("%u contact suppressed (unsubscribed, bounced or complained)\n",
                     "%u contacts suppressed (unsubscribed, bounced or complained)\n",
                     herald_import_report_get_suppressed (report)),
           herald_import_report_get_suppressed (report));
  g_print (ngettext ("%u row rejected\n", "%u rows rejected\n", herald_import_report_get_invalid (report)),
           herald_import_report_get_invalid (report));

  for (guint i = 0; i < n_rejected; i++)
    {
      const char *reason;
      guint line = herald_import_report_get_rejected (report, i, &reason);

      g_print (_("  line %u: %s\n"), line, reason);
    }
}

HeraldCliExit
herald_cli_contacts_import (HeraldCli *cli)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(HeraldContactImport) import = NULL;
  g_autoptr(HeraldImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  HeraldImportPreset preset = HERALD_IMPORT_PRESET_AUTO;
  HeraldMergePolicy policy = HERALD_MERGE_UPDATE_EMPTY;
  HeraldCsvFormat format = { HERALD_CSV_ENCODING_AUTO, 0 };
  const char *file = NULL;
  const char *consent = NULL;
  const char *evidence = NULL;
  const char *rejected = NULL;
  gboolean check_domains = FALSE;

  for (guint i = 0; i < cli->n_args; i++)
    {
      const char *arg = cli->args[i];
      const char *value = i + 1 < cli->n_args ? cli->args[i + 1] : NULL;

      if (g_str_equal (arg, "--check-domains"))
        {
          check_domains = TRUE;
          continue;
        }

      if (g_str_has_prefix (arg, "--") && value == NULL)
        return herald_cli_usage_error (_("“%s” needs a value."), arg);

      if (g_str_equal (arg, "--preset"))
        {
          if (!herald_import_preset_from_key (value, &preset))
            return herald_cli_usage_error (_("Unknown preset “%s”. Use one of: %s."), value,
                                           "auto, mailchimp, hubspot, salesforce, activecampaign, brevo, generic");
          i++;
        }
      else if (g_str_equal (arg, "--policy"))
        {
          if (!parse_policy (value, &policy))
            return herald_cli_usage_error (_("Unknown policy “%s”. Use one of: %s."), value,
                                           "update-empty, overwrite, skip");
          i++;
        }
      else if (g_str_equal (arg, "--encoding"))
        {
          if (!parse_encoding (value, &format.encoding))
            return herald_cli_usage_error (_("Unknown encoding “%s”. Use one of: %s."), value,
                                           "auto, utf-8, utf-16le, utf-16be, windows-1252");
          i++;
        }
      else if (g_str_equal (arg, "--delimiter"))
        {
          if (!parse_delimiter (value, &format.delimiter))
            return herald_cli_usage_error (_("Unknown delimiter “%s”. Use one of: %s."), value,
                                           ", ; | tab");
          i++;
        }
      else if (g_str_equal (arg, "--consent"))
        consent = cli->args[++i];
      else if (g_str_equal (arg, "--evidence"))
        evidence = cli->args[++i];
      else if (g_str_equal (arg, "--rejected"))
        rejected = cli->args[++i];
      else if (g_str_has_prefix (arg, "--"))
        return herald_cli_usage_error (_("Unknown option “%s”."), arg);
      else if (file == NULL)
        file = arg;
      else
        return herald_cli_usage_error (_("“contacts import” takes one file, but “%s” was given too."), arg);
    }

  if (file == NULL)
    return herald_cli_usage_error (_("“contacts import” needs the file to import."));

  if (!(workspace = herald_cli_open_workspace (cli, &error)))
    return herald_cli_fail (cli, error);

  import = herald_contact_import_new (workspace, file);
  if (!herald_contact_import_prepare (import, preset, &format, NULL, &error))
    return herald_cli_fail (cli, error);

  herald_contact_import_set_policy (import, policy);
  herald_contact_import_set_check_domains (import, check_domains);
  if (consent != NULL)
    herald_contact_import_set_consent (import, consent, evidence);

  if (!(report = herald_contact_import_run (import, NULL, NULL, NULL, &error)))
    return herald_cli_fail (cli, error);

  if (rejected != NULL && !herald_import_report_save_rejected (report, rejected, &error))
    return herald_cli_fail (cli, error);

  print_import_report (cli, report);

  return HERALD_CLI_EXIT_OK;
}

static HeraldCliExit
require_one_argument (HeraldCli  *cli,
                      const char *command,
                      const char *what)
{
  for (guint i = 0; i < cli->n_args; i++)
    if (g_str_has_prefix (cli->args[i], "--"))
      return herald_cli_usage_error (_("Unknown option “%s”."), cli->args[i]);

  if (cli->n_args == 0)
    return herald_cli_usage_error (_("“%s” needs %s."), command, what);

  if (cli->n_args > 1)
    return herald_cli_usage_error (_("“%s” takes one argument, but “%s” was given too."),
                                   command, cli->args[1]);

  return HERALD_CLI_EXIT_OK;
}

HeraldCliExit
herald_cli_contacts_show (HeraldCli *cli)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(HeraldContact) contact = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) tags = NULL;
  g_autoptr(GHashTable) custom = NULL;
  g_autoptr(GPtrArray) consents = NULL;
  g_autoptr(GList) names = NULL;
  HeraldCliExit status;

  /* Translators: what "contacts show" needs, as in "“contacts show” needs an email address." */
  if ((status = require_one_argument (cli, "contacts show", _("an email address"))) != HERALD_CLI_EXIT_OK)
    return status;

  if (!(workspace = herald_cli_open_workspace (cli, &error)) ||
      !(contact = herald_contacts_lookup (workspace, cli->args[0], &error)))
    return herald_cli_fail (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonNode) node = herald_contacts_to_json (workspace, contact);

      herald_cli_print_json_node (node);
      return HERALD_CLI_EXIT_OK;
    }

  for (guint f = 0; f < HERALD_N_CONTACT_FIELDS; f++)
    {
      const char *value = herald_contact_get_field (contact, f);
      g_autofree char *shown = NULL;

      if (value == NULL)
        continue;

      if (f == HERALD_CONTACT_FIELD_STATUS)
        value = herald_contact_status_label (value);
      else if (f == HERALD_CONTACT_FIELD_CREATED_AT || f == HERALD_CONTACT_FIELD_UPDATED_AT)
        {
          g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (g_ascii_strtoll (value, NULL, 10));
          g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

          value = shown = local ? g_date_time_format (local, "%x %X") : g_strdup (value);
        }

      g_print ("%-16s %s\n", herald_contact_field_label (f), value);
    }

  tags = herald_contacts_get_tags (workspace, contact);
  if (tags[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (", ", tags);

      g_print ("%-16s %s\n", _("Tags"), joined);
    }

  custom = herald_contacts_get_custom (workspace, contact);
  names = g_list_sort (g_hash_table_get_keys (custom), (GCompareFunc)g_strcmp0);
  for (GList *l = names; l != NULL; l = l->next)
    g_print ("%-16s %s\n", (const char *)l->data, (const char *)g_hash_table_lookup (custom, l->data));

  consents = herald_contacts_get_consents (workspace, contact);
  for (guint i = 0; i < consents->len; i++)
    {
      HeraldConsent *consent = g_ptr_array_index (consents, i);
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (consent->recorded_at);
      g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
      g_autofree char *when = local ? g_date_time_format (local, "%x") : g_strdup ("");

      g_print ("%-16s ", i == 0 ? _("Consent") : "");
      if (consent->granted)
        /* Translators: a consent record: purpose, date, method ("double-opt-in", "form", "import"). */
        g_print (_("%s granted on %s (%s)"), consent->purpose, when, consent->method ? consent->method : "");
      else
        /* Translators: a consent record: purpose, date, method ("unsubscribe"). */
        g_print (_("%s withdrawn on %s (%s)"), consent->purpose, when, consent->method ? consent->method : "");
      if (consent->evidence != NULL)
        g_print (" — %s", consent->evidence);
      g_print ("\n");
    }

  return HERALD_CLI_EXIT_OK;
}

HeraldCliExit
herald_cli_contacts_export (HeraldCli *cli)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  const char *file = NULL;
  const char *segment = NULL;
  guint n = 0;

  const HeraldCliOption options[] = {
    { "--segment", .value = &segment },
    { NULL },
  };

  if (!herald_cli_parse (cli, "contacts export", options, &file))
    return HERALD_CLI_EXIT_USAGE;

  if (file == NULL)
    /* Translators: what "contacts export" needs, as in "“contacts export” needs the file to write." */
    return herald_cli_usage_error (_("“%s” needs %s."), "contacts export", _("the file to write"));

  if (!(workspace = herald_cli_open_workspace (cli, &error)) ||
      !herald_contacts_export (workspace, file, segment, NULL, &n, &error))
    return herald_cli_fail (cli, error);

  if (cli->json)
    herald_cli_print_json_member ("exported", json_node_init_int (json_node_alloc (), n));
  else
    g_print (ngettext ("%u contact exported\n", "%u contacts exported\n", n), n);

  return HERALD_CLI_EXIT_OK;
}

HeraldCliExit
herald_cli_contacts_erase (HeraldCli *cli)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  HeraldCliExit status;

  if ((status = require_one_argument (cli, "contacts erase", _("an email address"))) != HERALD_CLI_EXIT_OK)
    return status;

  if (!(workspace = herald_cli_open_workspace (cli, &error)) ||
      !herald_contacts_erase (workspace, cli->args[0], &error))
    return herald_cli_fail (cli, error);

  if (!cli->json)
    g_print (_("%s was erased. Only a one-way hash of the address is kept, so that no import adds it again.\n"),
             cli->args[0]);
  else
    herald_cli_print_json_member ("erased", json_node_init_boolean (json_node_alloc (), TRUE));

  return HERALD_CLI_EXIT_OK;
}
