/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-contact-import"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "herald-contact-import.h"
#include "herald-contacts.h"
#include "herald-country.h"
#include "herald-email.h"
#include "herald-workspace-private.h"

#define N_PREVIEW_ROWS 5
#define CONSENT_PURPOSE "marketing-email"

G_DEFINE_QUARK (herald-import-error-quark, herald_import_error)

/* The report: counts, and the rows that were left out with the reason. */

typedef struct
{
  guint  line;
  char  *reason;
  char **fields;
} Rejected;

struct _HeraldImportReport
{
  gatomicrefcount  ref_count;
  guint            rows;
  guint            imported;
  guint            updated;
  guint            invalid;
  guint            duplicates;
  guint            suppressed;
  GArray          *rejected;
  char           **header;
  char             delimiter;
};

G_DEFINE_BOXED_TYPE (HeraldImportReport, herald_import_report,
                     herald_import_report_ref, herald_import_report_unref)

static void
rejected_clear (gpointer data)
{
  Rejected *rejected = data;

  g_free (rejected->reason);
  g_strfreev (rejected->fields);
}

static HeraldImportReport *
herald_import_report_new (void)
{
  HeraldImportReport *self = g_new0 (HeraldImportReport, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->rejected = g_array_new (FALSE, TRUE, sizeof (Rejected));
  g_array_set_clear_func (self->rejected, rejected_clear);

  return self;
}

HeraldImportReport *
herald_import_report_ref (HeraldImportReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
herald_import_report_unref (HeraldImportReport *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_array_unref (self->rejected);
      g_strfreev (self->header);
      g_free (self);
    }
}

guint herald_import_report_get_rows (HeraldImportReport *self) { return self->rows; }
guint herald_import_report_get_imported (HeraldImportReport *self) { return self->imported; }
guint herald_import_report_get_updated (HeraldImportReport *self) { return self->updated; }
guint herald_import_report_get_invalid (HeraldImportReport *self) { return self->invalid; }
guint herald_import_report_get_duplicates (HeraldImportReport *self) { return self->duplicates; }
guint herald_import_report_get_suppressed (HeraldImportReport *self) { return self->suppressed; }
guint herald_import_report_get_n_rejected (HeraldImportReport *self) { return self->rejected->len; }

/**
 * herald_import_report_get_rejected:
 * @out_reason: (out): why the row was left out, translated
 *
 * Returns: the line the rejected row starts on
 */
guint
herald_import_report_get_rejected (HeraldImportReport  *self,
                                   guint                index,
                                   const char         **out_reason)
{
  Rejected *rejected;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (index < self->rejected->len, 0);

  rejected = &g_array_index (self->rejected, Rejected, index);
  if (out_reason != NULL)
    *out_reason = rejected->reason;

  return rejected->line;
}

/**
 * herald_import_report_save_rejected:
 *
 * Writes the rejected rows as CSV, with the original header and two more
 * columns for the line and the reason, so they can be mended and imported
 * again.
 */
gboolean
herald_import_report_save_rejected (HeraldImportReport  *self,
                                    const char          *path,
                                    GError             **error)
{
  g_autoptr(GPtrArray) row = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  g_ptr_array_add (row, g_strdup (_("Line")));
  g_ptr_array_add (row, g_strdup (_("Reason")));
  for (guint i = 0; self->header && self->header[i]; i++)
    g_ptr_array_add (row, g_strdup (self->header[i]));
  herald_csv_append_row (out, (const char * const *)row->pdata, row->len, self->delimiter);

  for (guint r = 0; r < self->rejected->len; r++)
    {
      Rejected *rejected = &g_array_index (self->rejected, Rejected, r);

      g_ptr_array_set_size (row, 0);
      g_ptr_array_add (row, g_strdup_printf ("%u", rejected->line));
      g_ptr_array_add (row, g_strdup (rejected->reason));
      for (guint i = 0; rejected->fields && rejected->fields[i]; i++)
        g_ptr_array_add (row, g_strdup (rejected->fields[i]));
      herald_csv_append_row (out, (const char * const *)row->pdata, row->len, self->delimiter);
    }

  return g_file_set_contents_full (path, out->str, out->len,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* Presets and header aliases */

static const struct {
  const char *key;
  const char *label;
} presets[HERALD_N_IMPORT_PRESETS] = {
  [HERALD_IMPORT_PRESET_AUTO] = { "auto", N_("Detect automatically") },
  [HERALD_IMPORT_PRESET_MAILCHIMP] = { "mailchimp", N_("Mailchimp audience export") },
  [HERALD_IMPORT_PRESET_HUBSPOT] = { "hubspot", N_("HubSpot contacts export") },
  [HERALD_IMPORT_PRESET_SALESFORCE] = { "salesforce", N_("Salesforce report or Data Loader export") },
  [HERALD_IMPORT_PRESET_ACTIVECAMPAIGN] = { "activecampaign", N_("ActiveCampaign contacts export") },
  [HERALD_IMPORT_PRESET_BREVO] = { "brevo", N_("Brevo contacts export") },
  [HERALD_IMPORT_PRESET_GENERIC] = { "generic", N_("Spreadsheet") },
};

const char *
herald_import_preset_key (HeraldImportPreset preset)
{
  g_return_val_if_fail (preset < HERALD_N_IMPORT_PRESETS, NULL);

  return presets[preset].key;
}

const char *
herald_import_preset_label (HeraldImportPreset preset)
{
  g_return_val_if_fail (preset < HERALD_N_IMPORT_PRESETS, NULL);

  return _(presets[preset].label);
}

gboolean
herald_import_preset_from_key (const char         *key,
                               HeraldImportPreset *out_preset)
{
  for (guint i = 0; i < HERALD_N_IMPORT_PRESETS; i++)
    if (g_strcmp0 (key, presets[i].key) == 0)
      {
        *out_preset = i;
        return TRUE;
      }

  return FALSE;
}

typedef struct
{
  const char         *alias;
  HeraldColumnKind    kind;
  HeraldContactField  field;
} Alias;

#define FIELD(alias, field) { alias, HERALD_COLUMN_FIELD, HERALD_CONTACT_FIELD_##field }
#define KIND(alias, kind) { alias, HERALD_COLUMN_##kind, 0 }

/* Header spellings, compared in lower case with everything but letters and
 * digits removed ("E-Mail Address" is "emailaddress"). The labels of the
 * services' exports, their API names, and the common words of the five
 * languages Herald speaks. */
static const Alias aliases[] = {
  FIELD ("email", EMAIL), FIELD ("emailaddress", EMAIL), FIELD ("mail", EMAIL),
  FIELD ("emailadresse", EMAIL), FIELD ("mailadresse", EMAIL), FIELD ("courriel", EMAIL),
  FIELD ("adresseemail", EMAIL), FIELD ("correo", EMAIL), FIELD ("correoelectronico", EMAIL),
  FIELD ("indirizzoemail", EMAIL), FIELD ("emailaddresse", EMAIL),
  FIELD ("firstname", FIRST_NAME), FIELD ("first", FIRST_NAME), FIELD ("givenname", FIRST_NAME),
  FIELD ("vorname", FIRST_NAME), FIELD ("prenom", FIRST_NAME), FIELD ("nombre", FIRST_NAME),
  FIELD ("nome", FIRST_NAME), FIELD ("fname", FIRST_NAME),
  FIELD ("lastname", LAST_NAME), FIELD ("last", LAST_NAME), FIELD ("surname", LAST_NAME),
  FIELD ("familyname", LAST_NAME), FIELD ("nachname", LAST_NAME), FIELD ("nom", LAST_NAME),
  FIELD ("apellido", LAST_NAME), FIELD ("apellidos", LAST_NAME), FIELD ("cognome", LAST_NAME),
  FIELD ("lname", LAST_NAME),
  FIELD ("company", COMPANY), FIELD ("companyname", COMPANY), FIELD ("organization", COMPANY),
  FIELD ("organisation", COMPANY), FIELD ("accountname", COMPANY), FIELD ("account", COMPANY),
  FIELD ("associatedcompany", COMPANY), FIELD ("firma", COMPANY), FIELD ("unternehmen", COMPANY),
  FIELD ("entreprise", COMPANY), FIELD ("societe", COMPANY), FIELD ("empresa", COMPANY),
  FIELD ("azienda", COMPANY),
  FIELD ("jobtitle", JOB_TITLE), FIELD ("title", JOB_TITLE), FIELD ("position", JOB_TITLE),
  FIELD ("role", JOB_TITLE), FIELD ("jobrole", JOB_TITLE), FIELD ("berufsbezeichnung", JOB_TITLE),
  FIELD ("poste", JOB_TITLE), FIELD ("fonction", JOB_TITLE), FIELD ("cargo", JOB_TITLE),
  FIELD ("ruolo", JOB_TITLE),
  FIELD ("industry", INDUSTRY), FIELD ("branche", INDUSTRY), FIELD ("sector", INDUSTRY),
  FIELD ("secteur", INDUSTRY), FIELD ("settore", INDUSTRY), FIELD ("industria", INDUSTRY),
  FIELD ("companysize", COMPANY_SIZE), FIELD ("employees", COMPANY_SIZE),
  FIELD ("numberofemployees", COMPANY_SIZE), FIELD ("numemployees", COMPANY_SIZE),
  FIELD ("mitarbeiter", COMPANY_SIZE), FIELD ("effectif", COMPANY_SIZE),
  FIELD ("empleados", COMPANY_SIZE), FIELD ("dipendenti", COMPANY_SIZE),
  FIELD ("country", COUNTRY), FIELD ("mailingcountry", COUNTRY), FIELD ("countrycode", COUNTRY),
  FIELD ("cc", COUNTRY), FIELD ("land", COUNTRY), FIELD ("pays", COUNTRY), FIELD ("pais", COUNTRY),
  FIELD ("paese", COUNTRY),
  FIELD ("city", CITY), FIELD ("mailingcity", CITY), FIELD ("town", CITY), FIELD ("ort", CITY),
  FIELD ("stadt", CITY), FIELD ("ville", CITY), FIELD ("ciudad", CITY), FIELD ("citta", CITY),
  FIELD ("phone", PHONE), FIELD ("phonenumber", PHONE), FIELD ("mobile", PHONE),
  FIELD ("mobilephone", PHONE), FIELD ("sms", PHONE), FIELD ("telephone", PHONE),
  FIELD ("telefon", PHONE), FIELD ("telefono", PHONE), FIELD ("tel", PHONE),
  FIELD ("language", LANGUAGE), FIELD ("lang", LANGUAGE), FIELD ("locale", LANGUAGE),
  FIELD ("sprache", LANGUAGE), FIELD ("langue", LANGUAGE), FIELD ("idioma", LANGUAGE),
  FIELD ("lingua", LANGUAGE),
  FIELD ("source", SOURCE), FIELD ("leadsource", SOURCE), FIELD ("origin", SOURCE),
  FIELD ("quelle", SOURCE), FIELD ("fonte", SOURCE), FIELD ("origen", SOURCE),
  FIELD ("status", STATUS), FIELD ("subscriptionstatus", STATUS), FIELD ("emailstatus", STATUS),
  FIELD ("createdate", CREATED_AT), FIELD ("createdat", CREATED_AT), FIELD ("created", CREATED_AT),
  FIELD ("createddate", CREATED_AT), FIELD ("signupdate", CREATED_AT),
  KIND ("tags", TAGS), KIND ("tag", TAGS), KIND ("labels", TAGS), KIND ("etiquetas", TAGS),
  KIND ("etichette", TAGS), KIND ("schlagworte", TAGS),
  KIND ("optintime", OPTIN_TIME), KIND ("optindate", OPTIN_TIME),
  KIND ("confirmtime", CONFIRM_TIME), KIND ("confirmedat", CONFIRM_TIME),
  KIND ("hasoptedoutofemail", OPTED_OUT), KIND ("emailoptout", OPTED_OUT),
  KIND ("optedout", OPTED_OUT), KIND ("donotemail", OPTED_OUT), KIND ("unsubscribed", OPTED_OUT),
  /* Mailchimp's system columns that carry nothing a marketer plans with. */
  KIND ("optinip", CONSENT_EVIDENCE), KIND ("confirmip", CONSENT_EVIDENCE),
  KIND ("latitude", IGNORE),
  KIND ("longitude", IGNORE), KIND ("gmtoff", IGNORE), KIND ("dstoff", IGNORE),
  KIND ("timezone", IGNORE), KIND ("region", IGNORE), KIND ("lastchanged", IGNORE),
  KIND ("leid", IGNORE), KIND ("euid", IGNORE), KIND ("unsubcampaigntitle", IGNORE),
  KIND ("unsubcampaignid", IGNORE), KIND ("cleancampaigntitle", IGNORE),
  KIND ("cleancampaignid", IGNORE),
};

#undef FIELD
#undef KIND

static char *
header_key (const char *header)
{
  g_autofree char *ascii = g_str_to_ascii (header, "C");
  GString *key = g_string_new (NULL);

  for (const char *p = ascii; *p; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (key, g_ascii_tolower (*p));

  return g_string_free (key, FALSE);
}

typedef struct
{
  char               *header;
  char               *key;
  HeraldColumnKind    kind;
  HeraldContactField  field;
  gint64              custom_id;
} Column;

static void
column_clear (gpointer data)
{
  Column *column = data;

  g_free (column->header);
  g_free (column->key);
}

struct _HeraldContactImport
{
  GObject             parent_instance;

  HeraldWorkspace    *workspace;
  char               *path;
  char               *display_name;

  HeraldImportPreset  preset;
  HeraldCsvFormat     format;
  HeraldCsvEncoding   requested_encoding;
  GArray             *columns;
  GPtrArray          *preview;
  guint               header_line;

  HeraldMergePolicy   policy;
  gboolean            check_domains;
  char               *consent_purpose;
  char               *consent_evidence;

  /* The kind of export, from system columns: a Mailchimp unsubscribed or
   * cleaned export makes every row unsubscribed or bounced. */
  const char         *file_status;
};

G_DEFINE_FINAL_TYPE (HeraldContactImport, herald_contact_import, G_TYPE_OBJECT)

static void
herald_contact_import_finalize (GObject *object)
{
  HeraldContactImport *self = (HeraldContactImport *)object;

  g_clear_object (&self->workspace);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->columns, g_array_unref);
  g_clear_pointer (&self->preview, g_ptr_array_unref);
  g_clear_pointer (&self->consent_purpose, g_free);
  g_clear_pointer (&self->consent_evidence, g_free);

  G_OBJECT_CLASS (herald_contact_import_parent_class)->finalize (object);
}

static void
herald_contact_import_class_init (HeraldContactImportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = herald_contact_import_finalize;
}

static void
herald_contact_import_init (HeraldContactImport *self)
{
  self->columns = g_array_new (FALSE, TRUE, sizeof (Column));
  g_array_set_clear_func (self->columns, column_clear);
  self->preview = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  self->policy = HERALD_MERGE_UPDATE_EMPTY;
}

/**
 * herald_contact_import_new:
 * @path: a CSV file
 *
 * Returns: (transfer full): an import of @path into @workspace; call
 *   herald_contact_import_prepare() to read its columns.
 */
HeraldContactImport *
herald_contact_import_new (HeraldWorkspace *workspace,
                           const char      *path)
{
  HeraldContactImport *self;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (HERALD_TYPE_CONTACT_IMPORT, NULL);
  self->workspace = g_object_ref (workspace);
  self->path = g_strdup (path);
  self->display_name = g_filename_display_name (path);

  return self;
}

static gboolean
has_key (HeraldContactImport *self,
         const char          *key)
{
  for (guint i = 0; i < self->columns->len; i++)
    if (g_str_equal (g_array_index (self->columns, Column, i).key, key))
      return TRUE;

  return FALSE;
}

static HeraldImportPreset
detect_preset (HeraldContactImport *self)
{
  static const char * const mailchimp[] = { "memberrating", "optintime", "confirmtime", "leid", "euid" };
  static const char * const salesforce[] = { "hasoptedoutofemail", "accountid", "mailingcountry",
                                             "accountname", "leadsource", "mailingcity" };

  for (guint i = 0; i < G_N_ELEMENTS (mailchimp); i++)
    if (has_key (self, mailchimp[i]))
      return HERALD_IMPORT_PRESET_MAILCHIMP;

  if (has_key (self, "recordid") || has_key (self, "marketingcontactstatus"))
    return HERALD_IMPORT_PRESET_HUBSPOT;

  for (guint i = 0; i < G_N_ELEMENTS (salesforce); i++)
    if (has_key (self, salesforce[i]))
      return HERALD_IMPORT_PRESET_SALESFORCE;

  for (guint i = 0; i < self->columns->len; i++)
    if (g_str_equal (g_array_index (self->columns, Column, i).header, "EMAIL") &&
        (has_key (self, "firstname") || has_key (self, "sms") || has_key (self, "lastname")))
      return HERALD_IMPORT_PRESET_BREVO;

  return HERALD_IMPORT_PRESET_GENERIC;
}

static void
map_columns (HeraldContactImport *self)
{
  gboolean taken[HERALD_N_CONTACT_FIELDS] = { FALSE };
  gboolean tags_taken = FALSE;

  self->file_status = NULL;
  if (self->preset == HERALD_IMPORT_PRESET_MAILCHIMP && has_key (self, "unsubtime"))
    self->file_status = "unsubscribed";
  else if (self->preset == HERALD_IMPORT_PRESET_MAILCHIMP && has_key (self, "cleantime"))
    self->file_status = "bounced";

  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *column = &g_array_index (self->columns, Column, i);

      column->kind = HERALD_COLUMN_CUSTOM;
      column->field = 0;

      if (column->key[0] == '\0')
        {
          column->kind = HERALD_COLUMN_IGNORE;
          continue;
        }

      /* Mailchimp's field labels are the user's own, in the account's
       * language; the address is the first column whatever it is called. */
      if (self->preset == HERALD_IMPORT_PRESET_MAILCHIMP && i == 0)
        {
          column->kind = HERALD_COLUMN_FIELD;
          column->field = HERALD_CONTACT_FIELD_EMAIL;
          taken[HERALD_CONTACT_FIELD_EMAIL] = TRUE;
          continue;
        }

      if (self->preset == HERALD_IMPORT_PRESET_MAILCHIMP &&
          (g_str_equal (column->key, "unsubtime") || g_str_equal (column->key, "cleantime") ||
           g_str_equal (column->key, "unsubreason") || g_str_equal (column->key, "unsubreasonother")))
        {
          column->kind = HERALD_COLUMN_IGNORE;
          continue;
        }

      for (guint a = 0; a < G_N_ELEMENTS (aliases); a++)
        {
          if (!g_str_equal (aliases[a].alias, column->key))
            continue;

          if (aliases[a].kind == HERALD_COLUMN_FIELD && !taken[aliases[a].field])
            {
              column->kind = HERALD_COLUMN_FIELD;
              column->field = aliases[a].field;
              taken[aliases[a].field] = TRUE;
            }
          else if (aliases[a].kind == HERALD_COLUMN_TAGS && !tags_taken)
            {
              column->kind = HERALD_COLUMN_TAGS;
              tags_taken = TRUE;
            }
          else if (aliases[a].kind != HERALD_COLUMN_FIELD && aliases[a].kind != HERALD_COLUMN_TAGS)
            column->kind = aliases[a].kind;

          break;
        }
    }
}

typedef struct
{
  HeraldContactImport *self;
  guint                n_rows;
} PrepareData;

static gboolean
prepare_row_cb (guint               line,
                const char * const *fields,
                guint               n_fields,
                gpointer            user_data)
{
  PrepareData *data = user_data;
  HeraldContactImport *self = data->self;

  if (data->n_rows++ == 0)
    {
      self->header_line = line;
      for (guint i = 0; i < n_fields; i++)
        {
          Column column = { 0 };

          column.header = g_strstrip (g_strdup (fields[i]));
          column.key = header_key (column.header);
          g_array_append_val (self->columns, column);
        }
      return TRUE;
    }

  g_ptr_array_add (self->preview, g_strdupv ((char **)fields));

  return self->preview->len < N_PREVIEW_ROWS;
}

static gboolean
check_email_column (HeraldContactImport  *self,
                    GError              **error)
{
  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *column = &g_array_index (self->columns, Column, i);

      if (column->kind == HERALD_COLUMN_FIELD && column->field == HERALD_CONTACT_FIELD_EMAIL)
        return TRUE;
    }

  g_set_error (error, HERALD_IMPORT_ERROR, HERALD_IMPORT_ERROR_NO_EMAIL_COLUMN,
               _("“%s”, line %u: no column holds email addresses. Name that column “Email”, "
                 "or choose it in the import assistant."),
               self->display_name, self->header_line);
  return FALSE;
}

/**
 * herald_contact_import_prepare:
 * @preset: the kind of export, or %HERALD_IMPORT_PRESET_AUTO
 * @format: (nullable): the encoding and delimiter, zero to detect them
 *
 * Reads the header and the first rows, recognises the export and maps its
 * columns. Nothing is written.
 */
gboolean
herald_contact_import_prepare (HeraldContactImport  *self,
                               HeraldImportPreset    preset,
                               HeraldCsvFormat      *format,
                               GCancellable         *cancellable,
                               GError              **error)
{
  PrepareData data = { self, 0 };

  g_return_val_if_fail (HERALD_IS_CONTACT_IMPORT (self), FALSE);

  g_array_set_size (self->columns, 0);
  g_ptr_array_set_size (self->preview, 0);
  self->format = format ? *format : (HeraldCsvFormat) { 0 };
  self->requested_encoding = self->format.encoding;

  if (!herald_csv_read_file (self->path, &self->format, prepare_row_cb, &data, NULL, NULL, cancellable, error))
    return FALSE;

  if (self->columns->len == 0)
    {
      g_set_error (error, HERALD_IMPORT_ERROR, HERALD_IMPORT_ERROR_NO_HEADER,
                   _("“%s” has no header row. The first row must name the columns, such as “Email”."),
                   self->display_name);
      return FALSE;
    }

  self->preset = preset == HERALD_IMPORT_PRESET_AUTO ? detect_preset (self) : preset;
  map_columns (self);

  if (self->preview->len == 0)
    {
      g_set_error (error, HERALD_IMPORT_ERROR, HERALD_IMPORT_ERROR_NO_ROWS,
                   _("“%s” has a header but no contacts below it."), self->display_name);
      return FALSE;
    }

  return check_email_column (self, error);
  return TRUE;
}

HeraldImportPreset
herald_contact_import_get_preset (HeraldContactImport *self)
{
  g_return_val_if_fail (HERALD_IS_CONTACT_IMPORT (self), HERALD_IMPORT_PRESET_AUTO);

  return self->preset;
}

const HeraldCsvFormat *
herald_contact_import_get_format (HeraldContactImport *self)
{
  g_return_val_if_fail (HERALD_IS_CONTACT_IMPORT (self), NULL);

  return &self->format;
}

guint
herald_contact_import_get_n_columns (HeraldContactImport *self)
{
  g_return_val_if_fail (HERALD_IS_CONTACT_IMPORT (self), 0);

  return self->columns->len;
}

const char *
herald_contact_import_get_header (HeraldContactImport *self,
                                  guint                column)
{
  g_return_val_if_fail (HERALD_IS_CONTACT_IMPORT (self), NULL);
  g_return_val_if_fail (column < self->columns->len, NULL);

  return g_array_index (self->columns, Column, column).header;
}

HeraldColumnKind
herald_contact_import_get_column (HeraldContactImport *self,
                                  guint                column,
                                  HeraldContactField  *out_field)
{
  Column *c;

  g_return_val_if_fail (HERALD_IS_CONTACT_IMPORT (self), HERALD_COLUMN_IGNORE);
  g_return_val_if_fail (column < self->columns->len, HERALD_COLUMN_IGNORE);

  c = &g_array_index (self->columns, Column, column);
  if (out_field != NULL)
    *out_field = c->field;

  return c->kind;
}

/**
 * herald_contact_import_set_column:
 *
 * Maps @column by hand. A standard field or the tags can come from one
 * column only: the column that had it before becomes a custom field.
 */
void
herald_contact_import_set_column (HeraldContactImport *self,
                                  guint                column,
                                  HeraldColumnKind     kind,
                                  HeraldContactField   field)
{
  g_return_if_fail (HERALD_IS_CONTACT_IMPORT (self));
  g_return_if_fail (column < self->columns->len);
  g_return_if_fail (field < HERALD_N_CONTACT_FIELDS);

  if (kind == HERALD_COLUMN_FIELD || kind == HERALD_COLUMN_TAGS)
    for (guint i = 0; i < self->columns->len; i++)
      {
        Column *other = &g_array_index (self->columns, Column, i);

        if (i != column && other->kind == kind && (kind == HERALD_COLUMN_TAGS || other->field == field))
          other->kind = HERALD_COLUMN_CUSTOM;
      }

  g_array_index (self->columns, Column, column).kind = kind;
  g_array_index (self->columns, Column, column).field = kind == HERALD_COLUMN_FIELD ? field : 0;
}

guint
herald_contact_import_get_n_preview_rows (HeraldContactImport *self)
{
  g_return_val_if_fail (HERALD_IS_CONTACT_IMPORT (self), 0);

  return self->preview->len;
}

/**
 * herald_contact_import_get_preview:
 *
 * Returns: (nullable): the text of @column in preview @row, %NULL when the
 *   row is short
 */
const char *
herald_contact_import_get_preview (HeraldContactImport *self,
                                   guint                row,
                                   guint                column)
{
  char **fields;

  g_return_val_if_fail (HERALD_IS_CONTACT_IMPORT (self), NULL);
  g_return_val_if_fail (row < self->preview->len, NULL);

  fields = g_ptr_array_index (self->preview, row);
  return column < g_strv_length (fields) ? fields[column] : NULL;
}

void
herald_contact_import_set_policy (HeraldContactImport *self,
                                  HeraldMergePolicy    policy)
{
  g_return_if_fail (HERALD_IS_CONTACT_IMPORT (self));

  self->policy = policy;
}

/**
 * herald_contact_import_set_check_domains:
 *
 * Rejects addresses whose domain has no mail server, asking the DNS. Off
 * by default: nothing leaves the machine unless the user asks.
 */
void
herald_contact_import_set_check_domains (HeraldContactImport *self,
                                         gboolean             check_domains)
{
  g_return_if_fail (HERALD_IS_CONTACT_IMPORT (self));

  self->check_domains = check_domains;
}

/**
 * herald_contact_import_set_consent:
 * @purpose: (nullable): what the contacts agreed to, such as "marketing-email";
 *   %NULL records no consent beyond what the file's own columns say
 * @evidence: (nullable): how the consent can be shown, in the user's words
 *
 * Records consent for every imported contact, as the user states it was
 * given outside Herald.
 */
void
herald_contact_import_set_consent (HeraldContactImport *self,
                                   const char          *purpose,
                                   const char          *evidence)
{
  g_return_if_fail (HERALD_IS_CONTACT_IMPORT (self));

  g_free (self->consent_purpose);
  self->consent_purpose = g_strdup (purpose);
  g_free (self->consent_evidence);
  self->consent_evidence = g_strdup (evidence);
}

/* Values */

/* Times as exports write them: ISO 8601 (with an offset, or UTC when it
 * has none, as Mailchimp and HubSpot write "2024-05-17 08:30:00"), and the
 * day-first and month-first dates of spreadsheets. Returns 0 when unknown. */
static gint64
parse_time (const char *text)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) parsed = NULL;
  g_autofree char *iso = NULL;
  int y = 0, m = 0, d = 0, hh = 0, mm = 0, ss = 0;

  if (text == NULL || text[0] == '\0')
    return 0;

  iso = g_strstrip (g_strdup (text));
  if (strlen (iso) > 10 && iso[10] == ' ')
    iso[10] = 'T';

  if ((parsed = g_date_time_new_from_iso8601 (iso, utc)) != NULL)
    return g_date_time_to_unix (parsed);

  if (sscanf (text, "%4d-%2d-%2d %2d:%2d:%2d", &y, &m, &d, &hh, &mm, &ss) >= 3 ||
      sscanf (text, "%2d.%2d.%4d %2d:%2d", &d, &m, &y, &hh, &mm) >= 3 ||
      sscanf (text, "%2d/%2d/%4d %2d:%2d", &m, &d, &y, &hh, &mm) >= 3)
    parsed = g_date_time_new_utc (y, m, d, hh, mm, ss);

  return parsed ? g_date_time_to_unix (parsed) : 0;
}

static const char *
parse_status (const char *text)
{
  static const char * const map[][2] = {
    { "subscribed", "subscribed" }, { "subscriber", "subscribed" }, { "active", "subscribed" },
    { "optedin", "subscribed" }, { "unsubscribed", "unsubscribed" }, { "optedout", "unsubscribed" },
    { "optout", "unsubscribed" }, { "unsubscriber", "unsubscribed" }, { "blocklisted", "unsubscribed" },
    { "blacklisted", "unsubscribed" }, { "bounced", "bounced" }, { "cleaned", "bounced" },
    { "hardbounce", "bounced" }, { "bounce", "bounced" }, { "complained", "complained" },
    { "spam", "complained" }, { "abuse", "complained" }, { "pending", "pending" },
    { "unconfirmed", "pending" },
  };
  g_autofree char *key = NULL;

  if (text == NULL || text[0] == '\0')
    return NULL;

  key = header_key (text);
  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (key, map[i][0]))
      return map[i][1];

  return NULL;
}

static gboolean
parse_boolean (const char *text)
{
  g_autofree char *key = text ? header_key (text) : NULL;

  return key != NULL && (g_str_equal (key, "true") || g_str_equal (key, "1") ||
                         g_str_equal (key, "yes") || g_str_equal (key, "y") ||
                         g_str_equal (key, "x") || g_str_equal (key, "ja") ||
                         g_str_equal (key, "oui") || g_str_equal (key, "si"));
}

static gboolean
is_suppressed (const char *status)
{
  return g_strcmp0 (status, "unsubscribed") == 0 || g_strcmp0 (status, "bounced") == 0 ||
         g_strcmp0 (status, "complained") == 0;
}

/* The run
 *
 * A thread of its own reads the file and makes each row ready: its cells
 * trimmed and normalised, its address checked, its status and consent
 * found. The calling thread writes the rows it hands over, so reading and
 * writing go on at the same time, each on a processor. Rows travel in
 * batches whose text lives in one string chunk, and a few batches go back
 * and forth between the two, so memory stays the same whatever the size
 * of the file. */

#define BATCH_ROWS 1024
#define BATCH_BYTES (1024 * 1024)
#define N_BATCHES 4

typedef struct
{
  guint        line;
  guint        first_cell;
  guint        n_fields;
  const char  *reason;
  const char  *email;
  const char  *values[HERALD_N_CONTACT_FIELDS];
  const char  *status;
  /* Each tag's name ending in a NUL, and an empty name after the last. */
  const char  *tags;
  const char  *evidence;
  gint64       created_at;
  gint64       optin_time;
  gint64       confirm_time;
} Row;

typedef struct
{
  GStringChunk *chunk;
  GPtrArray    *cells;
  GArray       *rows;
  gsize         bytes;
  goffset       done;
  goffset       total;
  gboolean      last;
} Batch;

static Batch *
batch_new (void)
{
  Batch *batch = g_new0 (Batch, 1);

  batch->chunk = g_string_chunk_new (64 * 1024);
  batch->cells = g_ptr_array_sized_new (BATCH_ROWS * 16);
  batch->rows = g_array_sized_new (FALSE, FALSE, sizeof (Row), BATCH_ROWS);

  return batch;
}

static void
batch_free (Batch *batch)
{
  g_string_chunk_free (batch->chunk);
  g_ptr_array_unref (batch->cells);
  g_array_unref (batch->rows);
  g_free (batch);
}

static void
batch_clear (Batch *batch)
{
  g_string_chunk_clear (batch->chunk);
  g_ptr_array_set_size (batch->cells, 0);
  g_array_set_size (batch->rows, 0);
  batch->bytes = 0;
  batch->last = FALSE;
}

/* The cells of @row, as the file has them. */
static const char * const *
batch_row_fields (Batch     *batch,
                  const Row *row)
{
  return (const char * const *)batch->cells->pdata + row->first_cell;
}

/* The reading side */
typedef struct
{
  HeraldContactImport  *self;
  HeraldCsvFormat       format;
  GCancellable         *cancellable;
  GAsyncQueue          *filled;
  GAsyncQueue          *empty;
  Batch                *batch;
  GHashTable           *domains;
  GString              *evidence;
  GString              *tags;
  gboolean              header_seen;
  goffset               done;
  goffset               total;
  int                   stop;
  GError               *error;
} Feed;

/* A cell without the spaces around it, nor the apostrophe that an export
 * (Herald's own included) puts before a cell that would read as a
 * formula: its start and, in @len, its length. */
static const char *
cell_span (const char *raw,
           gsize      *len)
{
  const char *start = raw ? raw : "";
  const char *end;

  while (g_ascii_isspace (*start))
    start++;
  end = start + strlen (start);
  while (end > start && g_ascii_isspace (end[-1]))
    end--;

  if (end - start > 1 && start[0] == '\'' && strchr ("=+-@", start[1]) != NULL)
    start++;

  *len = end - start;
  return start;
}

/* The text a standard field stores, normalised, kept in @chunk; NULL when
 * empty. */
static const char *
field_value (GStringChunk       *chunk,
             HeraldContactField  field,
             const char         *raw)
{
  gsize len;
  const char *span = cell_span (raw, &len);
  char *text;

  if (len == 0)
    return NULL;

  if (field == HERALD_CONTACT_FIELD_COMPANY_SIZE)
    {
      /* "1,200", "51-200" and "200+" all start with the number to keep. */
      char digits[32];
      gsize n = 0;

      for (const char *p = span; p < span + len && (g_ascii_isdigit (*p) || *p == ',' || *p == '.' || *p == ' '); p++)
        if (g_ascii_isdigit (*p) && n < sizeof digits - 1)
          digits[n++] = *p;

      return n > 0 ? g_string_chunk_insert_len (chunk, digits, n) : NULL;
    }

  text = g_string_chunk_insert_len (chunk, span, len);

  switch (field)
    {
    case HERALD_CONTACT_FIELD_COUNTRY:
      {
        const char *code = herald_country_code_for_name (text);

        return code ? code : text;
      }

    case HERALD_CONTACT_FIELD_LANGUAGE:
      for (char *p = text; *p; p++)
        *p = g_ascii_tolower (*p);
      return text;

    default:
      return text;
    }
}

/* Whether the domain of @email can receive mail: it has an MX record, or
 * failing that an address. Only a clear "no such domain or record" counts
 * against it; a network problem does not. Each domain is asked once. */
static gboolean
domain_receives_mail (Feed       *feed,
                      const char *email)
{
  const char *domain = strrchr (email, '@') + 1;
  g_autoptr(GResolver) resolver = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ascii = NULL;
  GList *records;
  gpointer known;
  gboolean receives = TRUE;

  if (g_hash_table_lookup_extended (feed->domains, domain, NULL, &known))
    return GPOINTER_TO_INT (known);

  resolver = g_resolver_get_default ();
  ascii = g_hostname_to_ascii (domain);
  records = g_resolver_lookup_records (resolver, ascii ? ascii : domain, G_RESOLVER_RECORD_MX,
                                       feed->cancellable, &error);
  if (records != NULL)
    g_list_free_full (records, (GDestroyNotify)g_variant_unref);
  else if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    {
      GList *addresses;

      g_clear_error (&error);
      addresses = g_resolver_lookup_by_name (resolver, ascii ? ascii : domain, feed->cancellable, &error);
      if (addresses != NULL)
        g_resolver_free_addresses (addresses);
      else
        receives = !g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND);
    }

  g_hash_table_insert (feed->domains, g_strdup (domain), GINT_TO_POINTER (receives));
  return receives;
}

/* The names in a tags cell, kept in the batch one after the other. Tags
 * are separated by commas or semicolons; Mailchimp quotes each one:
 * "vip","newsletter". */
static const char *
split_tags (Feed       *feed,
            const char *text)
{
  g_autofree char *copy = g_strdup (text);
  char *rest = copy;
  char *name;

  g_string_truncate (feed->tags, 0);
  while ((name = strsep (&rest, ",;")) != NULL)
    {
      name = g_strstrip (name);
      if (name[0] == '"' && name[1] != '\0' && g_str_has_suffix (name, "\""))
        {
          name[strlen (name) - 1] = '\0';
          name = g_strstrip (name + 1);
        }

      if (name[0] != '\0')
        g_string_append_len (feed->tags, name, strlen (name) + 1);
    }

  return g_string_chunk_insert_len (feed->batch->chunk, feed->tags->str, feed->tags->len);
}

/* Makes the row ready to be written, or says in its reason why it is left
 * out. */
static void
prepare_row (Feed               *feed,
             Row                *row,
             const char * const *fields,
             guint               n_fields)
{
  HeraldContactImport *self = feed->self;
  GStringChunk *chunk = feed->batch->chunk;
  g_autofree char *email = NULL;
  g_autofree char *reason = NULL;
  gboolean opted_out = FALSE;

  if (n_fields != self->columns->len)
    {
      reason = g_strdup_printf (ngettext ("the row has %u field, the header has %u",
                                          "the row has %u fields, the header has %u", n_fields),
                                n_fields, self->columns->len);
      row->reason = g_string_chunk_insert (chunk, reason);
      return;
    }

  g_string_truncate (feed->evidence, 0);

  for (guint i = 0; i < n_fields; i++)
    {
      Column *column = &g_array_index (self->columns, Column, i);

      switch (column->kind)
        {
        case HERALD_COLUMN_FIELD:
          /* Times are kept as numbers; the import sets when a contact
           * was updated. */
          if (column->field == HERALD_CONTACT_FIELD_CREATED_AT)
            row->created_at = parse_time (field_value (chunk, column->field, fields[i]));
          else if (column->field != HERALD_CONTACT_FIELD_UPDATED_AT)
            row->values[column->field] = field_value (chunk, column->field, fields[i]);
          break;

        case HERALD_COLUMN_TAGS:
          row->tags = split_tags (feed, fields[i]);
          break;

        case HERALD_COLUMN_OPTIN_TIME:
          row->optin_time = parse_time (fields[i]);
          break;

        case HERALD_COLUMN_CONFIRM_TIME:
          row->confirm_time = parse_time (fields[i]);
          break;

        case HERALD_COLUMN_OPTED_OUT:
          opted_out |= parse_boolean (fields[i]);
          break;

        case HERALD_COLUMN_CONSENT_EVIDENCE:
          if (fields[i][0] != '\0')
            g_string_append_printf (feed->evidence, "%s%s: %s", feed->evidence->len ? ", " : "",
                                    column->header, fields[i]);
          break;

        case HERALD_COLUMN_CUSTOM:
        case HERALD_COLUMN_IGNORE:
        default:
          break;
        }
    }

  if (feed->evidence->len > 0)
    row->evidence = g_string_chunk_insert_len (chunk, feed->evidence->str, feed->evidence->len);

  if (!(email = herald_email_normalize (row->values[HERALD_CONTACT_FIELD_EMAIL] ? row->values[HERALD_CONTACT_FIELD_EMAIL] : "",
                                        &reason)))
    {
      const char *shown = row->values[HERALD_CONTACT_FIELD_EMAIL];
      g_autofree char *message = shown ? g_strdup_printf (_("“%s” is not a valid email address: %s"), shown, reason)
                                       : g_strdup (_("the email address is missing"));

      row->reason = g_string_chunk_insert (chunk, message);
      return;
    }

  if (self->check_domains && !domain_receives_mail (feed, email))
    {
      g_autofree char *message = g_strdup_printf (_("the domain of %s does not receive email"), email);

      row->reason = g_string_chunk_insert (chunk, message);
      return;
    }

  row->email = g_string_chunk_insert (chunk, email);

  row->status = self->file_status;
  if (row->status == NULL && opted_out)
    row->status = "unsubscribed";
  if (row->status == NULL)
    row->status = parse_status (row->values[HERALD_CONTACT_FIELD_STATUS]);
}

static gboolean
feed_row_cb (guint               line,
             const char * const *fields,
             guint               n_fields,
             gpointer            user_data)
{
  Feed *feed = user_data;
  Batch *batch = feed->batch;
  Row row = { 0 };

  if (g_atomic_int_get (&feed->stop))
    return FALSE;

  if (!feed->header_seen)
    {
      feed->header_seen = TRUE;
      return TRUE;
    }

  /* The cells are kept as they are: a row left out is reported with them,
   * and custom fields are read from them. */
  row.line = line;
  row.first_cell = batch->cells->len;
  row.n_fields = n_fields;
  for (guint i = 0; i < n_fields; i++)
    {
      gsize len = strlen (fields[i]);

      g_ptr_array_add (batch->cells, g_string_chunk_insert_len (batch->chunk, fields[i], len));
      batch->bytes += len;
    }
  g_ptr_array_add (batch->cells, NULL);

  prepare_row (feed, &row, (const char * const *)batch->cells->pdata + row.first_cell, n_fields);
  g_array_append_val (batch->rows, row);

  /* A batch is handed over when it is full, or large: rows with long
   * notes in them keep memory small too. */
  if (batch->rows->len >= BATCH_ROWS || batch->bytes >= BATCH_BYTES)
    {
      batch->done = feed->done;
      batch->total = feed->total;
      g_async_queue_push (feed->filled, batch);
      feed->batch = g_async_queue_pop (feed->empty);
    }

  return TRUE;
}

static void
feed_progress_cb (goffset  current,
                  goffset  total,
                  gpointer user_data)
{
  Feed *feed = user_data;

  feed->done = current;
  feed->total = total;
}

static gpointer
feed_thread (gpointer data)
{
  Feed *feed = data;

  feed->batch = g_async_queue_pop (feed->empty);
  herald_csv_read_file (feed->self->path, &feed->format, feed_row_cb, feed, feed_progress_cb, feed,
                        feed->cancellable, &feed->error);
  feed->batch->done = feed->done;
  feed->batch->total = feed->total;
  feed->batch->last = TRUE;
  g_async_queue_push (feed->filled, feed->batch);

  return NULL;
}

/* The writing side */

/* Rows of contact_fields or contact_tags wait here and are written many
 * to a statement, which costs SQLite much less than a statement a row.
 * Their text lives in the batch being written, so they are written before
 * it goes back to the reading thread. */
#define LINKS_AT_ONCE 64

typedef struct
{
  gint64      contact_id;
  gint64      id;
  const char *value;
  gsize       len;
} Link;

typedef struct
{
  sqlite3_stmt *many;
  sqlite3_stmt *one;
  GArray       *pending;
  gboolean      with_value;
} Links;

static void
links_clear (Links *links)
{
  g_clear_pointer (&links->many, sqlite3_finalize);
  g_clear_pointer (&links->one, sqlite3_finalize);
  g_clear_pointer (&links->pending, g_array_unref);
}

static void
links_add (Links      *links,
           gint64      contact_id,
           gint64      id,
           const char *value,
           gsize       len)
{
  Link link = { contact_id, id, value, len };

  g_array_append_val (links->pending, link);
}

typedef struct
{
  HeraldContactImport  *self;
  HeraldWorkspace      *workspace;
  HeraldImportReport   *report;
  gint64                now;
  gint64                import_id;
  char                 *consent_source;
  GHashTable           *tag_ids;
  gboolean              has_erasures;
  GError               *error;

  sqlite3_stmt         *upsert;
  sqlite3_stmt         *find;
  sqlite3_stmt         *set_status;

  /* The contacts that were in the workspace before, up to this id, and
   * those of them the import has updated already: a bit an id, or for a
   * very large id, a set. A contact met again is a duplicate row. */
  gint64                last_id_before;
  GByteArray           *updated_bits;
  GHashTable           *updated_large;

  sqlite3_stmt         *tag;
  Links                 custom_values;
  Links                 tag_links;
  sqlite3_stmt         *consent;

  /* Indexes set aside while a large file is written, built again at the
   * end: sorting once is faster than keeping them up to date row by row. */
  GStrv                 deferred_indexes;

  GCancellable         *cancellable;
  GFileProgressCallback progress;
  gpointer              progress_data;
  goffset               total;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->upsert, sqlite3_finalize);
  g_clear_pointer (&run->find, sqlite3_finalize);
  g_clear_pointer (&run->set_status, sqlite3_finalize);
  g_clear_pointer (&run->updated_bits, g_byte_array_unref);
  g_clear_pointer (&run->updated_large, g_hash_table_unref);
  g_clear_pointer (&run->tag, sqlite3_finalize);
  links_clear (&run->custom_values);
  links_clear (&run->tag_links);
  g_clear_pointer (&run->consent, sqlite3_finalize);
  g_clear_pointer (&run->tag_ids, g_hash_table_unref);
  g_clear_pointer (&run->deferred_indexes, g_strfreev);
  g_clear_pointer (&run->consent_source, g_free);
}

static void
reject (Run                *run,
        guint               line,
        const char * const *fields,
        char               *reason)
{
  Rejected rejected = { line, reason, g_strdupv ((char **)fields) };

  run->report->invalid++;
  g_array_append_val (run->report->rejected, rejected);
}

static gboolean
step (Run          *run,
      sqlite3_stmt *stmt)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _herald_workspace_set_db_error (run->workspace, &run->error);
      return FALSE;
    }

  return TRUE;
}

/* The row's values outlive the statement's step, so SQLite need not copy. */
static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL && text[0] != '\0')
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, index);
}

static gint64
tag_id (Run        *run,
        const char *name)
{
  g_autofree char *key = NULL;
  gpointer id;

  /* Tags repeat as written; case folding is for the first sight only. */
  if (g_hash_table_lookup_extended (run->tag_ids, name, NULL, &id))
    return GPOINTER_TO_SIZE (id);

  key = g_utf8_casefold (name, -1);
  if (g_hash_table_lookup_extended (run->tag_ids, key, NULL, &id))
    {
      g_hash_table_insert (run->tag_ids, g_strdup (name), id);
      return GPOINTER_TO_SIZE (id);
    }

  sqlite3_bind_text (run->tag, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (run->tag) != SQLITE_ROW)
    {
      sqlite3_reset (run->tag);
      _herald_workspace_set_db_error (run->workspace, &run->error);
      return -1;
    }

  id = GSIZE_TO_POINTER (sqlite3_column_int64 (run->tag, 0));
  sqlite3_reset (run->tag);
  g_hash_table_insert (run->tag_ids, g_strdup (name), id);
  g_hash_table_insert (run->tag_ids, g_steal_pointer (&key), id);

  return GPOINTER_TO_SIZE (id);
}

static gboolean
add_tags (Run        *run,
          gint64      contact_id,
          const char *names)
{
  for (const char *name = names; *name != '\0'; name += strlen (name) + 1)
    {
      gint64 id;

      if ((id = tag_id (run, name)) < 0)
        return FALSE;

      links_add (&run->tag_links, contact_id, id, NULL, 0);
    }

  return TRUE;
}

static gboolean
add_consent (Run        *run,
             gint64      contact_id,
             gboolean    granted,
             const char *purpose,
             const char *method,
             gint64      time,
             const char *evidence)
{
  sqlite3_bind_int64 (run->consent, 1, contact_id);
  sqlite3_bind_text (run->consent, 2, purpose, -1, SQLITE_STATIC);
  sqlite3_bind_int (run->consent, 3, granted);
  sqlite3_bind_text (run->consent, 4, method, -1, SQLITE_STATIC);
  sqlite3_bind_text (run->consent, 5, run->consent_source, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (run->consent, 6, time > 0 ? time : run->now);
  bind_text_or_null (run->consent, 7, evidence);

  return step (run, run->consent);
}

/* Ids below this are kept a bit each, in 8 MB at the most. */
#define UPDATED_BITS_IDS (G_GINT64_CONSTANT (1) << 26)

/* Notes that the import updated the contact @id, which was in the
 * workspace before it began. Returns: %FALSE when it had already. */
static gboolean
mark_updated (Run    *run,
              gint64  id)
{
  if (id < UPDATED_BITS_IDS)
    {
      guint byte = id / 8;
      guint8 bit = 1 << (id % 8);
      gboolean first;

      if (run->updated_bits->len <= byte)
        {
          guint len = run->updated_bits->len;

          g_byte_array_set_size (run->updated_bits, MAX (byte + 1, MIN (len * 2, UPDATED_BITS_IDS / 8)));
          memset (run->updated_bits->data + len, 0, run->updated_bits->len - len);
        }
      first = !(run->updated_bits->data[byte] & bit);
      run->updated_bits->data[byte] |= bit;
      return first;
    }

  return g_hash_table_add (run->updated_large, g_memdup2 (&id, sizeof id));
}

static gboolean
write_row (Run                *run,
           const Row          *row,
           const char * const *fields)
{
  HeraldContactImport *self = run->self;
  const char *status = row->status;
  gboolean existed;
  gboolean duplicate = FALSE;
  gint64 contact_id;
  g_autofree char *existing_status = NULL;

  run->report->rows++;

  if (row->reason != NULL)
    {
      reject (run, row->line, fields, g_strdup (row->reason));
      return TRUE;
    }

  if (run->has_erasures && herald_contacts_is_erased (run->workspace, row->email))
    {
      reject (run, row->line, fields,
              g_strdup_printf (_("%s asked to be erased and is not added again"), row->email));
      return TRUE;
    }

  /* One statement adds the contact or, when its address is taken, merges
   * the row into the one there. Only an insert sets the last inserted id,
   * cleared before; a contact that was there is then looked up. */
  {
    sqlite3 *db = _herald_workspace_get_db (run->workspace);

    sqlite3_bind_text (run->upsert, 1, row->email, -1, SQLITE_STATIC);
    for (guint f = HERALD_CONTACT_FIELD_FIRST_NAME; f <= HERALD_CONTACT_FIELD_SOURCE; f++)
      bind_text_or_null (run->upsert, f + 1, row->values[f]);
    sqlite3_bind_text (run->upsert, HERALD_CONTACT_FIELD_STATUS + 1, status ? status : "subscribed", -1, SQLITE_STATIC);
    sqlite3_bind_int64 (run->upsert, HERALD_CONTACT_FIELD_CREATED_AT + 1,
                        row->created_at > 0 ? row->created_at : run->now);
    sqlite3_bind_int64 (run->upsert, HERALD_CONTACT_FIELD_UPDATED_AT + 1, run->now);
    sqlite3_bind_int64 (run->upsert, HERALD_CONTACT_FIELD_UPDATED_AT + 2, run->import_id);
    sqlite3_set_last_insert_rowid (db, 0);
    if (!step (run, run->upsert))
      return FALSE;
    contact_id = sqlite3_last_insert_rowid (db);
    existed = contact_id == 0;
  }

  if (existed)
    {
      sqlite3_bind_text (run->find, 1, row->email, -1, SQLITE_STATIC);
      if (sqlite3_step (run->find) != SQLITE_ROW)
        {
          sqlite3_reset (run->find);
          _herald_workspace_set_db_error (run->workspace, &run->error);
          return FALSE;
        }
      contact_id = sqlite3_column_int64 (run->find, 0);
      existing_status = g_strdup ((const char *)sqlite3_column_text (run->find, 1));
      sqlite3_reset (run->find);

      /* A contact this import added or updated before is a duplicate row
       * in the file. */
      duplicate = contact_id > run->last_id_before || !mark_updated (run, contact_id);

      /* A status only moves towards suppression: an old file never
       * subscribes again someone who left, bounced or complained. */
      if (status != NULL && g_strcmp0 (status, existing_status) != 0 &&
          (is_suppressed (status) || (!is_suppressed (existing_status) && self->policy != HERALD_MERGE_SKIP)))
        {
          sqlite3_bind_int64 (run->set_status, 1, contact_id);
          sqlite3_bind_text (run->set_status, 2, status, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (run->set_status, 3, run->now);
          if (!step (run, run->set_status))
            return FALSE;
        }
      else if (is_suppressed (existing_status))
        status = existing_status;

      if (duplicate)
        run->report->duplicates++;
      else if (self->policy == HERALD_MERGE_SKIP)
        run->report->duplicates++;
      else
        run->report->updated++;
    }
  else
    run->report->imported++;

  if (is_suppressed (status))
    run->report->suppressed++;

  if (existed && self->policy == HERALD_MERGE_SKIP && !duplicate)
    return TRUE;

  for (guint i = 0; i < row->n_fields; i++)
    {
      Column *column = &g_array_index (self->columns, Column, i);
      const char *value;
      gsize len;

      if (column->kind != HERALD_COLUMN_CUSTOM)
        continue;

      value = cell_span (fields[i], &len);
      if (len == 0)
        continue;

      links_add (&run->custom_values, contact_id, column->custom_id, value, len);
    }

  if (row->tags != NULL && !add_tags (run, contact_id, row->tags))
    return FALSE;

  if (row->optin_time > 0 || row->confirm_time > 0)
    {
      if (!add_consent (run, contact_id, TRUE, CONSENT_PURPOSE,
                        row->confirm_time > 0 ? "double-opt-in" : "form",
                        row->confirm_time > 0 ? row->confirm_time : row->optin_time,
                        row->evidence))
        return FALSE;
    }
  else if (self->consent_purpose != NULL && !is_suppressed (status))
    {
      if (!add_consent (run, contact_id, TRUE, self->consent_purpose, "import", run->now,
                        self->consent_evidence))
        return FALSE;
    }

  if (g_strcmp0 (status, "unsubscribed") == 0 && g_strcmp0 (existing_status, "unsubscribed") != 0 &&
      !add_consent (run, contact_id, FALSE, CONSENT_PURPOSE, "unsubscribe", run->now, NULL))
    return FALSE;

  return TRUE;
}

/* Writes the links waiting in @links. */
static gboolean
links_write (Run   *run,
             Links *links)
{
  guint width = links->with_value ? 3 : 2;
  guint n = links->pending->len;
  guint i = 0;

  while (i < n)
    {
      sqlite3_stmt *stmt = n - i >= LINKS_AT_ONCE ? links->many : links->one;
      guint rows = stmt == links->many ? LINKS_AT_ONCE : 1;

      for (guint k = 0; k < rows; k++, i++)
        {
          const Link *link = &g_array_index (links->pending, Link, i);
          int param = 2 + k * width;

          sqlite3_bind_int64 (stmt, param, link->contact_id);
          sqlite3_bind_int64 (stmt, param + 1, link->id);
          if (links->with_value)
            sqlite3_bind_text (stmt, param + 2, link->value, link->len, SQLITE_STATIC);
        }

      if (!step (run, stmt))
        break;
    }

  g_array_set_size (links->pending, 0);
  return run->error == NULL;
}

/* Prepares the statement that writes @rows links at once: @sql is the
 * start of an INSERT, each row of values holds the contact, the other id
 * and, @with_value, the text; ?1 is bound to @first for them all, and
 * @tail follows the values. */
static sqlite3_stmt *
links_prepare_statement (Run        *run,
                         const char *sql,
                         gboolean    with_value,
                         const char *tail,
                         guint       rows,
                         gint64      first)
{
  g_autoptr(GString) text = g_string_new (sql);
  sqlite3_stmt *stmt;

  for (guint k = 0, param = 2; k < rows; k++)
    {
      if (with_value)
        g_string_append_printf (text, "%s(?%u, ?%u, ?%u)", k ? ", " : "", param, param + 1, param + 2);
      else
        g_string_append_printf (text, "%s(?%u, ?%u, ?1)", k ? ", " : "", param, param + 1);
      param += with_value ? 3 : 2;
    }
  g_string_append (text, tail);

  if ((stmt = _herald_workspace_prepare (run->workspace, text->str, &run->error)) != NULL)
    sqlite3_bind_int64 (stmt, 1, first);

  return stmt;
}

static gboolean
links_prepare (Run        *run,
               Links      *links,
               const char *sql,
               gboolean    with_value,
               const char *tail,
               gint64      first)
{
  links->with_value = with_value;
  links->pending = g_array_sized_new (FALSE, FALSE, sizeof (Link), BATCH_ROWS * 2);
  links->many = links_prepare_statement (run, sql, with_value, tail, LINKS_AT_ONCE, first);
  links->one = links_prepare_statement (run, sql, with_value, tail, 1, first);

  return links->many != NULL && links->one != NULL;
}

/* Building the indexes set aside takes about this share of a large
 * import's time, the rows the rest. */
#define REBUILD_SHARE 0.35

/* Tells how far the import has come: @fraction of the rows, then of the
 * indexes, reported out of the file's size. */
static void
report_progress (Run      *run,
                 double    fraction,
                 gboolean  rebuilding)
{
  double share = run->deferred_indexes != NULL ? REBUILD_SHARE : 0.0;
  double done = rebuilding ? 1.0 - share + share * fraction : (1.0 - share) * fraction;

  if (run->progress != NULL && run->total > 0)
    run->progress ((goffset)(CLAMP (done, 0.0, 1.0) * run->total), run->total, run->progress_data);
}

/* Writes what the reading thread hands over, until its last batch; after
 * a failure the rest is only handed back, and the reading told to stop. */
static gboolean
write_rows (Run  *run,
            Feed *feed)
{
  gboolean ok = TRUE;
  gboolean last;

  do
    {
      Batch *batch = g_async_queue_pop (feed->filled);

      for (guint i = 0; ok && i < batch->rows->len; i++)
        {
          const Row *row = &g_array_index (batch->rows, Row, i);

          ok = write_row (run, row, batch_row_fields (batch, row));
        }
      ok = ok && links_write (run, &run->custom_values) && links_write (run, &run->tag_links);

      if (!ok)
        g_atomic_int_set (&feed->stop, TRUE);
      else if (batch->total > 0)
        {
          run->total = batch->total;
          report_progress (run, (double)batch->done / batch->total, FALSE);
        }

      last = batch->last;
      batch_clear (batch);
      g_async_queue_push (feed->empty, batch);
    }
  while (!last);

  return ok;
}

static gboolean
prepare_statements (Run *run)
{
  HeraldWorkspace *workspace = run->workspace;
  g_autoptr(sqlite3_stmt) custom_field = NULL;
  g_autoptr(sqlite3_stmt) last_id = NULL;

  run->find = _herald_workspace_prepare (workspace, "SELECT id, status FROM contacts WHERE email = ?1", &run->error);
  /* ?17 chooses between overwriting and filling only what is empty, and
   * ?18 whether to merge at all; an empty value in the file never erases
   * what the workspace knows. */
#define MERGE(col) col " = CASE WHEN NOT ?18 OR excluded." col " IS NULL THEN " col \
                   " WHEN ?17 OR " col " IS NULL OR " col " = '' THEN excluded." col " ELSE " col " END"
  run->upsert = _herald_workspace_prepare (workspace, "INSERT INTO contacts (email, first_name, last_name, company, "
                                           "job_title, industry, company_size, country, city, phone, language, "
                                           "source, status, created_at, updated_at, import_id) VALUES "
                                           "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) "
                                           "ON CONFLICT (email) DO UPDATE SET "
                                           MERGE ("first_name") ", " MERGE ("last_name") ", "
                                           MERGE ("company") ", " MERGE ("job_title") ", "
                                           MERGE ("industry") ", " MERGE ("company_size") ", "
                                           MERGE ("country") ", " MERGE ("city") ", "
                                           MERGE ("phone") ", " MERGE ("language") ", "
                                           MERGE ("source") ", updated_at = CASE WHEN ?18 THEN excluded.updated_at "
                                           "ELSE updated_at END, import_id = excluded.import_id",
                                           &run->error);
#undef MERGE
  if (run->upsert != NULL)
    {
      sqlite3_bind_int (run->upsert, 17, run->self->policy == HERALD_MERGE_OVERWRITE);
      sqlite3_bind_int (run->upsert, 18, run->self->policy != HERALD_MERGE_SKIP);
    }
  run->set_status = _herald_workspace_prepare (workspace,
                                               "UPDATE contacts SET status = ?2, updated_at = ?3 WHERE id = ?1",
                                               &run->error);
  run->tag = _herald_workspace_prepare (workspace,
                                        "INSERT INTO tags (name) VALUES (?1) ON CONFLICT (name) "
                                        "DO UPDATE SET name = name RETURNING id",
                                        &run->error);
  /* Importing the same file twice records its consent once. */
  run->consent = _herald_workspace_prepare (workspace,
                                            "INSERT INTO consents (contact_id, purpose, granted, method, source, "
                                            "recorded_at, evidence) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 "
                                            "WHERE NOT EXISTS (SELECT 1 FROM consents WHERE contact_id = ?1 "
                                            "AND purpose = ?2 AND granted = ?3 AND method = ?4 AND recorded_at = ?6)",
                                            &run->error);
  custom_field = _herald_workspace_prepare (workspace,
                                            "INSERT INTO custom_fields (name) VALUES (?1) ON CONFLICT (name) "
                                            "DO UPDATE SET name = name RETURNING id",
                                            &run->error);

  run->has_erasures = herald_workspace_count (workspace, HERALD_COLLECTION_ERASURES, NULL) > 0;

  last_id = _herald_workspace_prepare (workspace, "SELECT coalesce(max(id), 0) FROM contacts", &run->error);
  if (last_id == NULL || sqlite3_step (last_id) != SQLITE_ROW)
    {
      if (last_id != NULL)
        _herald_workspace_set_db_error (workspace, &run->error);
      return FALSE;
    }
  run->last_id_before = sqlite3_column_int64 (last_id, 0);
  run->updated_bits = g_byte_array_new ();
  run->updated_large = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  if (!run->upsert || !run->find || !run->set_status || !run->tag ||
      !run->consent || !custom_field)
    return FALSE;

  /* ?1 chooses between overwriting a custom value and filling it only
   * when it is empty; a value that stays the same is not written. */
  if (!links_prepare (run, &run->custom_values, "INSERT INTO contact_fields (contact_id, field_id, value) VALUES ",
                      TRUE, " ON CONFLICT (contact_id, field_id) DO UPDATE SET value = excluded.value "
                      "WHERE (?1 OR value IS NULL OR value = '') AND value IS NOT excluded.value",
                      run->self->policy == HERALD_MERGE_OVERWRITE) ||
      !links_prepare (run, &run->tag_links, "INSERT OR IGNORE INTO contact_tags (contact_id, tag_id, added_at) VALUES ",
                      FALSE, "", run->now))
    return FALSE;

  for (guint i = 0; i < run->self->columns->len; i++)
    {
      Column *column = &g_array_index (run->self->columns, Column, i);

      if (column->kind != HERALD_COLUMN_CUSTOM)
        continue;

      sqlite3_bind_text (custom_field, 1, column->header, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (custom_field) != SQLITE_ROW)
        {
          _herald_workspace_set_db_error (workspace, &run->error);
          return FALSE;
        }
      column->custom_id = sqlite3_column_int64 (custom_field, 0);
      sqlite3_reset (custom_field);
    }

  return TRUE;
}

/* The import's entry in the journal is written in the same transaction as
 * its contacts: it exists exactly when they do. */
static gboolean
begin_journal (Run *run)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = _herald_workspace_prepare (run->workspace,
                                    "INSERT INTO imports (kind, file, state, started_at) "
                                    "VALUES ('contacts', ?1, 'running', ?2)",
                                    &run->error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, run->self->path, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, run->now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _herald_workspace_set_db_error (run->workspace, &run->error);
      return FALSE;
    }

  run->import_id = sqlite3_last_insert_rowid (_herald_workspace_get_db (run->workspace));
  return TRUE;
}

/* The tables an import writes, whose indexes it may set aside. */
#define IMPORT_TABLES "'contacts', 'contact_fields', 'contact_tags', 'consents'"

/* A file with more rows than the workspace has contacts (at 100 bytes or
 * more a row) is written without the indexes that enforce nothing; the
 * unique ones stay, as duplicates are found through them. */
static gboolean
defer_indexes (Run *run)
{
  g_autoptr(sqlite3_stmt) list = NULL;
  g_autoptr(GStrvBuilder) indexes = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) drops = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;
  gint64 contacts = herald_workspace_count (run->workspace, HERALD_COLLECTION_CONTACTS, NULL);
  GStatBuf file;

  if (contacts < 0 || g_stat (run->self->path, &file) != 0 || file.st_size / 100 <= contacts)
    return TRUE;
  list = _herald_workspace_prepare (run->workspace,
                                    "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL"
                                    " AND tbl_name IN (" IMPORT_TABLES ") AND sql NOT LIKE 'CREATE UNIQUE%'",
                                    &run->error);
  if (list == NULL)
    return FALSE;
  while (sqlite3_step (list) == SQLITE_ROW)
    {
      g_strv_builder_add (drops, (const char *) sqlite3_column_text (list, 0));
      g_strv_builder_add (indexes, (const char *) sqlite3_column_text (list, 1));
    }
  g_clear_pointer (&list, sqlite3_finalize);
  names = g_strv_builder_end (drops);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *drop = g_strdup_printf ("DROP INDEX \"%s\"", names[i]);

      if (!_herald_workspace_exec (run->workspace, drop, &run->error))
        return FALSE;
    }
  run->deferred_indexes = g_strv_builder_end (indexes);
  return TRUE;
}

static gboolean
rebuild_indexes (Run *run)
{
  /* Sorting takes as much memory as the page cache may: the two together
   * stay within what an import may use. */
  if (run->deferred_indexes != NULL
      && !_herald_workspace_exec (run->workspace, "PRAGMA cache_size = -4096", &run->error))
    return FALSE;
  for (guint i = 0; run->deferred_indexes != NULL && run->deferred_indexes[i] != NULL; i++)
    {
      if (g_cancellable_set_error_if_cancelled (run->cancellable, &run->error) ||
          !_herald_workspace_exec (run->workspace, run->deferred_indexes[i], &run->error))
        return FALSE;
      report_progress (run, (double)(i + 1) / g_strv_length (run->deferred_indexes), TRUE);
    }
  return TRUE;
}

static gboolean
finish_journal (Run *run)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *summary = NULL;

  summary = g_strdup_printf ("{\"rows\": %u, \"imported\": %u, \"updated\": %u, \"invalid\": %u, "
                             "\"duplicates\": %u, \"suppressed\": %u, \"preset\": \"%s\"}",
                             run->report->rows, run->report->imported, run->report->updated,
                             run->report->invalid, run->report->duplicates, run->report->suppressed,
                             herald_import_preset_key (run->self->preset));

  stmt = _herald_workspace_prepare (run->workspace,
                                    "UPDATE imports SET state = 'done', finished_at = ?2, summary = ?3 WHERE id = ?1",
                                    &run->error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, run->import_id);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_text (stmt, 3, summary, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _herald_workspace_set_db_error (run->workspace, &run->error);
      return FALSE;
    }

  return TRUE;
}

static int
is_cancelled (void *data)
{
  return g_cancellable_is_cancelled (data);
}

/**
 * herald_contact_import_run:
 * @progress: (nullable) (scope call): called with how far the import has
 *   come, out of the file's size: the rows read and written and, for a
 *   large file, the indexes built again at the end
 *
 * Imports the file in one transaction, on a connection of its own so that
 * it can run in a worker thread while the workspace stays readable: the
 * workspace holds all of it or, on an error or when cancelled, none of it.
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
HeraldImportReport *
herald_contact_import_run (HeraldContactImport   *self,
                           GCancellable          *cancellable,
                           GFileProgressCallback  progress,
                           gpointer               progress_data,
                           GError               **error)
{
  g_autoptr(HeraldImportReport) report = NULL;
  g_autoptr(HeraldWorkspace) workspace = NULL;
  HeraldCsvFormat format;
  gboolean ok;
  Run run = { 0 };

  g_return_val_if_fail (HERALD_IS_CONTACT_IMPORT (self), NULL);

  if (self->columns->len == 0)
    {
      g_set_error (error, HERALD_IMPORT_ERROR, HERALD_IMPORT_ERROR_NOT_PREPARED,
                   "The import of %s was not prepared", self->display_name);
      return NULL;
    }

  if (!check_email_column (self, error))
    return NULL;

  workspace = herald_workspace_open (herald_workspace_get_path (self->workspace),
                                     HERALD_WORKSPACE_OPEN_PRIVATE, error);
  if (workspace == NULL)
    return NULL;

  report = herald_import_report_new ();
  report->delimiter = self->format.delimiter;
  report->header = g_new0 (char *, self->columns->len + 1);
  for (guint i = 0; i < self->columns->len; i++)
    report->header[i] = g_strdup (g_array_index (self->columns, Column, i).header);

  format = self->format;
  run.cancellable = cancellable;
  run.progress = progress;
  run.progress_data = progress_data;
  run.self = self;
  run.workspace = workspace;
  run.report = report;
  run.now = g_get_real_time () / G_USEC_PER_SEC;
  run.tag_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  {
    g_autofree char *base = g_path_get_basename (self->path);

    run.consent_source = g_strdup_printf ("import:%s", base);
  }

  /* The import writes parents before children on a connection of its own,
   * so foreign keys need no checking row by row. A page cache larger than
   * 16 MB makes a large import no faster, only bigger in memory. */
  if (!_herald_workspace_exec (workspace, "PRAGMA foreign_keys = OFF; PRAGMA cache_size = -16384", error)
      || !_herald_workspace_begin (workspace, error))
    {
      run_clear (&run);
      return NULL;
    }

  /* Cancelling stops SQLite too, in the middle of building an index; only
   * the commit, once begun, is carried through. */
  if (cancellable != NULL)
    sqlite3_progress_handler (_herald_workspace_get_db (workspace), 10000, is_cancelled, cancellable);

  ok = begin_journal (&run) && defer_indexes (&run) && prepare_statements (&run);
  if (ok)
    {
      Feed feed = { 0 };
      GThread *thread;

      feed.self = self;
      /* The first rows may have been plain ASCII: an encoding found by
       * looking is looked for again over the whole file. */
      feed.format = self->format;
      feed.format.encoding = self->requested_encoding;
      feed.cancellable = cancellable;
      feed.filled = g_async_queue_new ();
      feed.empty = g_async_queue_new_full ((GDestroyNotify)batch_free);
      feed.domains = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      feed.evidence = g_string_new (NULL);
      feed.tags = g_string_new (NULL);
      for (guint i = 0; i < N_BATCHES; i++)
        g_async_queue_push (feed.empty, batch_new ());

      thread = g_thread_new ("herald-import", feed_thread, &feed);
      ok = write_rows (&run, &feed);
      g_thread_join (thread);

      if (ok && feed.error != NULL)
        {
          g_propagate_error (&run.error, g_steal_pointer (&feed.error));
          ok = FALSE;
        }
      if (ok)
        format = feed.format;

      g_clear_error (&feed.error);
      g_async_queue_unref (feed.filled);
      g_async_queue_unref (feed.empty);
      g_hash_table_unref (feed.domains);
      g_string_free (feed.evidence, TRUE);
      g_string_free (feed.tags, TRUE);
    }
  ok = ok && rebuild_indexes (&run) && finish_journal (&run);
  run_clear (&run);
  sqlite3_progress_handler (_herald_workspace_get_db (workspace), 0, NULL, NULL);

  if (!ok)
    {
      _herald_workspace_rollback (workspace);
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_clear_error (&run.error);
          g_cancellable_set_error_if_cancelled (cancellable, error);
        }
      else
        g_propagate_error (error, g_steal_pointer (&run.error));
      return NULL;
    }

  if (!_herald_workspace_commit (workspace, error))
    return NULL;

  self->format = format;

  return g_steal_pointer (&report);
}

typedef struct
{
  GMainContext         *context;
  GFileProgressCallback progress;
  gpointer              progress_data;
  goffset               current;
  goffset               total;
} AsyncProgress;

static gboolean
deliver_progress_cb (gpointer user_data)
{
  AsyncProgress *progress = user_data;

  progress->progress (progress->current, progress->total, progress->progress_data);
  return G_SOURCE_REMOVE;
}

static void
thread_progress_cb (goffset  current,
                    goffset  total,
                    gpointer user_data)
{
  AsyncProgress *progress = g_memdup2 (user_data, sizeof (AsyncProgress));

  progress->current = current;
  progress->total = total;
  g_main_context_invoke_full (progress->context, G_PRIORITY_DEFAULT, deliver_progress_cb, progress, g_free);
}

static void
async_progress_free (AsyncProgress *progress)
{
  g_main_context_unref (progress->context);
  g_free (progress);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  AsyncProgress *progress = task_data;
  HeraldImportReport *report;
  GError *error = NULL;

  report = herald_contact_import_run (source_object, cancellable,
                                      progress->progress ? thread_progress_cb : NULL, progress,
                                      &error);
  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify)herald_import_report_unref);
}

/**
 * herald_contact_import_run_async:
 * @progress: (nullable): called in the caller's main context
 *
 * Runs herald_contact_import_run() in a worker thread.
 */
void
herald_contact_import_run_async (HeraldContactImport   *self,
                                 GCancellable          *cancellable,
                                 GFileProgressCallback  progress,
                                 gpointer               progress_data,
                                 GAsyncReadyCallback    callback,
                                 gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncProgress *data;

  g_return_if_fail (HERALD_IS_CONTACT_IMPORT (self));

  data = g_new0 (AsyncProgress, 1);
  data->context = g_main_context_ref_thread_default ();
  data->progress = progress;
  data->progress_data = progress_data;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, herald_contact_import_run_async);
  /* An import cancelled too late to stop has still been made: say so. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, data, (GDestroyNotify)async_progress_free);
  g_task_run_in_thread (task, run_thread);
}

HeraldImportReport *
herald_contact_import_run_finish (HeraldContactImport  *self,
                                  GAsyncResult         *result,
                                  GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
