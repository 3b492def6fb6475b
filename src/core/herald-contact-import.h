/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "herald-contact.h"
#include "herald-csv.h"
#include "herald-workspace.h"

G_BEGIN_DECLS

#define HERALD_IMPORT_ERROR (herald_import_error_quark ())

typedef enum
{
  HERALD_IMPORT_ERROR_NO_HEADER,
  HERALD_IMPORT_ERROR_NO_EMAIL_COLUMN,
  HERALD_IMPORT_ERROR_NOT_PREPARED,
  HERALD_IMPORT_ERROR_NO_ROWS,
} HeraldImportError;

typedef enum
{
  HERALD_IMPORT_PRESET_AUTO,
  HERALD_IMPORT_PRESET_MAILCHIMP,
  HERALD_IMPORT_PRESET_HUBSPOT,
  HERALD_IMPORT_PRESET_SALESFORCE,
  HERALD_IMPORT_PRESET_ACTIVECAMPAIGN,
  HERALD_IMPORT_PRESET_BREVO,
  HERALD_IMPORT_PRESET_GENERIC,
  HERALD_N_IMPORT_PRESETS
} HeraldImportPreset;

/* What happens to a contact that is in the workspace already. */
typedef enum
{
  HERALD_MERGE_UPDATE_EMPTY,
  HERALD_MERGE_OVERWRITE,
  HERALD_MERGE_SKIP,
} HeraldMergePolicy;

/* What a column of the file becomes. */
typedef enum
{
  HERALD_COLUMN_IGNORE,
  HERALD_COLUMN_FIELD,
  HERALD_COLUMN_CUSTOM,
  HERALD_COLUMN_TAGS,
  HERALD_COLUMN_OPTIN_TIME,
  HERALD_COLUMN_CONFIRM_TIME,
  HERALD_COLUMN_OPTED_OUT,
  HERALD_COLUMN_CONSENT_EVIDENCE,
} HeraldColumnKind;

#define HERALD_TYPE_IMPORT_REPORT (herald_import_report_get_type ())
typedef struct _HeraldImportReport HeraldImportReport;

GType               herald_import_report_get_type        (void) G_GNUC_CONST;
HeraldImportReport *herald_import_report_ref             (HeraldImportReport  *self);
void                herald_import_report_unref           (HeraldImportReport  *self);
guint               herald_import_report_get_rows        (HeraldImportReport  *self);
guint               herald_import_report_get_imported    (HeraldImportReport  *self);
guint               herald_import_report_get_updated     (HeraldImportReport  *self);
guint               herald_import_report_get_invalid     (HeraldImportReport  *self);
guint               herald_import_report_get_duplicates  (HeraldImportReport  *self);
guint               herald_import_report_get_suppressed  (HeraldImportReport  *self);
guint               herald_import_report_get_n_rejected  (HeraldImportReport  *self);
guint               herald_import_report_get_rejected    (HeraldImportReport  *self,
                                                          guint                index,
                                                          const char         **out_reason);
gboolean            herald_import_report_save_rejected   (HeraldImportReport  *self,
                                                          const char          *path,
                                                          GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldImportReport, herald_import_report_unref)

#define HERALD_TYPE_CONTACT_IMPORT (herald_contact_import_get_type ())
G_DECLARE_FINAL_TYPE (HeraldContactImport, herald_contact_import, HERALD, CONTACT_IMPORT, GObject)

GQuark               herald_import_error_quark                (void);
const char          *herald_import_preset_key                 (HeraldImportPreset    preset);
const char          *herald_import_preset_label               (HeraldImportPreset    preset);
gboolean             herald_import_preset_from_key            (const char           *key,
                                                               HeraldImportPreset   *out_preset);

HeraldContactImport *herald_contact_import_new                (HeraldWorkspace      *workspace,
                                                               const char           *path);
gboolean             herald_contact_import_prepare            (HeraldContactImport  *self,
                                                               HeraldImportPreset    preset,
                                                               HeraldCsvFormat      *format,
                                                               GCancellable         *cancellable,
                                                               GError              **error);
HeraldImportPreset   herald_contact_import_get_preset         (HeraldContactImport  *self);
const HeraldCsvFormat *herald_contact_import_get_format       (HeraldContactImport  *self);
guint                herald_contact_import_get_n_columns      (HeraldContactImport  *self);
const char          *herald_contact_import_get_header         (HeraldContactImport  *self,
                                                               guint                 column);
HeraldColumnKind     herald_contact_import_get_column         (HeraldContactImport  *self,
                                                               guint                 column,
                                                               HeraldContactField   *out_field);
void                 herald_contact_import_set_column         (HeraldContactImport  *self,
                                                               guint                 column,
                                                               HeraldColumnKind      kind,
                                                               HeraldContactField    field);
guint                herald_contact_import_get_n_preview_rows (HeraldContactImport  *self);
const char          *herald_contact_import_get_preview        (HeraldContactImport  *self,
                                                               guint                 row,
                                                               guint                 column);
void                 herald_contact_import_set_policy         (HeraldContactImport  *self,
                                                               HeraldMergePolicy     policy);
void                 herald_contact_import_set_check_domains  (HeraldContactImport  *self,
                                                               gboolean              check_domains);
void                 herald_contact_import_set_consent        (HeraldContactImport  *self,
                                                               const char           *purpose,
                                                               const char           *evidence);
HeraldImportReport  *herald_contact_import_run                (HeraldContactImport  *self,
                                                               GCancellable         *cancellable,
                                                               GFileProgressCallback progress,
                                                               gpointer              progress_data,
                                                               GError              **error);
void                 herald_contact_import_run_async          (HeraldContactImport  *self,
                                                               GCancellable         *cancellable,
                                                               GFileProgressCallback progress,
                                                               gpointer              progress_data,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
HeraldImportReport  *herald_contact_import_run_finish         (HeraldContactImport  *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

G_END_DECLS
