/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "herald-contact.h"

G_BEGIN_DECLS

/* The columns _herald_contact_new_from_row() reads, id first, then the
 * standard fields in HeraldContactField order. */
#define HERALD_CONTACT_COLUMNS \
  "id, email, first_name, last_name, company, job_title, industry, company_size, " \
  "country, city, phone, language, source, status, created_at, updated_at"

HeraldContact *_herald_contact_new_from_row (sqlite3_stmt *stmt);

G_END_DECLS
