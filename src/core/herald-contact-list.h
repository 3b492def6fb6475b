/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "herald-workspace.h"

G_BEGIN_DECLS

#define HERALD_TYPE_CONTACT_LIST (herald_contact_list_get_type ())
G_DECLARE_FINAL_TYPE (HeraldContactList, herald_contact_list, HERALD, CONTACT_LIST, GObject)

HeraldContactList *herald_contact_list_new    (HeraldWorkspace    *workspace);
gboolean           herald_contact_list_reload (HeraldContactList  *self,
                                               GError            **error);
void               herald_contact_list_set_search (HeraldContactList *self,
                                                   const char        *text);

G_END_DECLS
