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
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "count");
      json_builder_add_int_value (builder, count);
      json_builder_end_object (builder);
      herald_cli_print_json (builder);
    }
  else
    {
      g_print ("%" G_GINT64_FORMAT "\n", count);
    }

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

  for (guint i = 0; i < cli->n_args; i++)
    {
      const char *arg = cli->args[i];
      const char *value = i + 1 < cli->n_args ? cli->args[i + 1] : NULL;

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
  if (consent != NULL)
    herald_contact_import_set_consent (import, consent, evidence);

  if (!(report = herald_contact_import_run (import, NULL, NULL, NULL, &error)))
    return herald_cli_fail (cli, error);

  if (rejected != NULL && !herald_import_report_save_rejected (report, rejected, &error))
    return herald_cli_fail (cli, error);

  print_import_report (cli, report);

  return HERALD_CLI_EXIT_OK;
}
