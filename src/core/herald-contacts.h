/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "herald-contact.h"
#include "herald-workspace.h"

G_BEGIN_DECLS

#define HERALD_CONTACTS_ERROR (herald_contacts_error_quark ())

typedef enum
{
  HERALD_CONTACTS_ERROR_NOT_FOUND,
  HERALD_CONTACTS_ERROR_INVALID_EMAIL,
  HERALD_CONTACTS_ERROR_INVALID_VALUE,
} HeraldContactsError;

/* One consent record: what the contact agreed to or withdrew, and how
 * that can be shown. */
typedef struct
{
  char    *purpose;
  gboolean granted;
  char    *method;
  char    *source;
  gint64   recorded_at;
  char    *evidence;
} HeraldConsent;

void            herald_consent_free             (HeraldConsent    *consent);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldConsent, herald_consent_free)

GQuark          herald_contacts_error_quark     (void);

HeraldContact  *herald_contacts_lookup          (HeraldWorkspace  *workspace,
                                                 const char       *email,
                                                 GError          **error);
char          **herald_contacts_get_tags        (HeraldWorkspace  *workspace,
                                                 HeraldContact    *contact);
GHashTable     *herald_contacts_get_custom      (HeraldWorkspace  *workspace,
                                                 HeraldContact    *contact);
GPtrArray      *herald_contacts_get_consents    (HeraldWorkspace  *workspace,
                                                 HeraldContact    *contact);
JsonNode       *herald_contacts_to_json         (HeraldWorkspace  *workspace,
                                                 HeraldContact    *contact);
gboolean        herald_contacts_export          (HeraldWorkspace  *workspace,
                                                 const char       *path,
                                                 const char       *segment,
                                                 GCancellable     *cancellable,
                                                 guint            *out_n_contacts,
                                                 GError          **error);
void            herald_contacts_export_async    (HeraldWorkspace  *workspace,
                                                 const char       *path,
                                                 const char       *segment,
                                                 GCancellable     *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer          user_data);
gboolean        herald_contacts_export_finish   (HeraldWorkspace  *workspace,
                                                 GAsyncResult     *result,
                                                 guint            *out_n_contacts,
                                                 GError          **error);
gboolean        herald_contacts_delete          (HeraldWorkspace  *workspace,
                                                 const gint64     *contact_ids,
                                                 guint             n_ids,
                                                 GCancellable     *cancellable,
                                                 char            **out_snapshot,
                                                 GError          **error);
gboolean        herald_contacts_restore         (HeraldWorkspace  *workspace,
                                                 const char       *snapshot,
                                                 GError          **error);
gboolean        herald_contacts_erase           (HeraldWorkspace  *workspace,
                                                 const char       *email,
                                                 GError          **error);
gboolean        herald_contacts_is_erased       (HeraldWorkspace  *workspace,
                                                 const char       *email);
char          **herald_contacts_list_tags       (HeraldWorkspace  *workspace);
GPtrArray      *herald_contacts_list_custom_fields (HeraldWorkspace *workspace);
char          **herald_contacts_list_values     (HeraldWorkspace  *workspace,
                                                 const char       *field,
                                                 guint             limit);
gboolean        herald_contacts_set_field       (HeraldWorkspace  *workspace,
                                                 gint64            contact_id,
                                                 HeraldContactField field,
                                                 const char       *value,
                                                 GError          **error);
gboolean        herald_contacts_tag             (HeraldWorkspace  *workspace,
                                                 const gint64     *ids,
                                                 guint             n_ids,
                                                 const char       *tag,
                                                 gboolean          add,
                                                 GCancellable     *cancellable,
                                                 GError          **error);

/* What herald_contacts_change_async() does. */
typedef enum
{
  HERALD_CONTACTS_CHANGE_DELETE,
  HERALD_CONTACTS_CHANGE_DELETE_FOREVER,
  HERALD_CONTACTS_CHANGE_RESTORE,
  HERALD_CONTACTS_CHANGE_ADD_TAG,
  HERALD_CONTACTS_CHANGE_REMOVE_TAG,
} HeraldContactsChange;

void            herald_contacts_change_async    (HeraldWorkspace  *workspace,
                                                 HeraldContactsChange change,
                                                 const gint64     *ids,
                                                 guint             n_ids,
                                                 const char       *text,
                                                 GCancellable     *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer          user_data);
gboolean        herald_contacts_change_finish   (HeraldWorkspace  *workspace,
                                                 GAsyncResult     *result,
                                                 char            **out_snapshot,
                                                 GError          **error);

G_END_DECLS
