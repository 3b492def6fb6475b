/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The standard contact fields, in the order DESIGN.md gives their keys. */
typedef enum
{
  HERALD_CONTACT_FIELD_EMAIL,
  HERALD_CONTACT_FIELD_FIRST_NAME,
  HERALD_CONTACT_FIELD_LAST_NAME,
  HERALD_CONTACT_FIELD_COMPANY,
  HERALD_CONTACT_FIELD_JOB_TITLE,
  HERALD_CONTACT_FIELD_INDUSTRY,
  HERALD_CONTACT_FIELD_COMPANY_SIZE,
  HERALD_CONTACT_FIELD_COUNTRY,
  HERALD_CONTACT_FIELD_CITY,
  HERALD_CONTACT_FIELD_PHONE,
  HERALD_CONTACT_FIELD_LANGUAGE,
  HERALD_CONTACT_FIELD_SOURCE,
  HERALD_CONTACT_FIELD_STATUS,
  HERALD_CONTACT_FIELD_CREATED_AT,
  HERALD_CONTACT_FIELD_UPDATED_AT,
  HERALD_N_CONTACT_FIELDS
} HeraldContactField;

#define HERALD_TYPE_CONTACT (herald_contact_get_type ())
G_DECLARE_FINAL_TYPE (HeraldContact, herald_contact, HERALD, CONTACT, GObject)

const char *herald_contact_field_key      (HeraldContactField  field);
const char *herald_contact_field_label    (HeraldContactField  field);
const char *herald_contact_status_label   (const char         *status);

gint64      herald_contact_get_id         (HeraldContact      *self);
const char *herald_contact_get_field      (HeraldContact      *self,
                                           HeraldContactField  field);
const char *herald_contact_get_email      (HeraldContact      *self);
const char *herald_contact_get_status     (HeraldContact      *self);
char       *herald_contact_dup_full_name  (HeraldContact      *self);

G_END_DECLS
