/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "herald-workspace.h"

G_BEGIN_DECLS

typedef enum
{
  HERALD_CONTACT_SORT_ADDED,
  HERALD_CONTACT_SORT_NAME,
  HERALD_CONTACT_SORT_EMAIL,
  HERALD_CONTACT_SORT_COMPANY,
  HERALD_CONTACT_SORT_COUNTRY,
  HERALD_CONTACT_SORT_STATUS,
} HeraldContactSort;

#define HERALD_TYPE_CONTACT_LIST (herald_contact_list_get_type ())
G_DECLARE_FINAL_TYPE (HeraldContactList, herald_contact_list, HERALD, CONTACT_LIST, GObject)

HeraldContactList *herald_contact_list_new        (HeraldWorkspace    *workspace);
gboolean           herald_contact_list_reload     (HeraldContactList  *self,
                                                   GError            **error);
void               herald_contact_list_set_search (HeraldContactList  *self,
                                                   const char         *text);
void               herald_contact_list_set_status (HeraldContactList  *self,
                                                   const char         *status);
void               herald_contact_list_set_tag    (HeraldContactList  *self,
                                                   const char         *tag);
void               herald_contact_list_set_sort   (HeraldContactList  *self,
                                                   HeraldContactSort   sort,
                                                   gboolean            descending);
gint64             herald_contact_list_get_id     (HeraldContactList  *self,
                                                   guint               position);

G_END_DECLS
