/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-contact"

#include "config.h"

#include <glib/gi18n.h>

#include "herald-contact-private.h"

/* One row of the contacts table, read once and never changed: the list
 * models hand these out, and a change to the workspace makes new ones. */
struct _HeraldContact
{
  GObject  parent_instance;

  gint64   id;
  char    *fields[HERALD_N_CONTACT_FIELDS];
};

G_DEFINE_FINAL_TYPE (HeraldContact, herald_contact, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_EMAIL,
  PROP_FULL_NAME,
  PROP_COMPANY,
  PROP_COUNTRY,
  PROP_STATUS,
  PROP_STATUS_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct {
  const char *key;
  const char *label;
} field_info[HERALD_N_CONTACT_FIELDS] = {
  [HERALD_CONTACT_FIELD_EMAIL] = { "email", N_("Email") },
  [HERALD_CONTACT_FIELD_FIRST_NAME] = { "first_name", N_("First name") },
  [HERALD_CONTACT_FIELD_LAST_NAME] = { "last_name", N_("Last name") },
  [HERALD_CONTACT_FIELD_COMPANY] = { "company", N_("Company") },
  [HERALD_CONTACT_FIELD_JOB_TITLE] = { "job_title", N_("Job title") },
  [HERALD_CONTACT_FIELD_INDUSTRY] = { "industry", N_("Industry") },
  [HERALD_CONTACT_FIELD_COMPANY_SIZE] = { "company_size", N_("Company size") },
  [HERALD_CONTACT_FIELD_COUNTRY] = { "country", N_("Country") },
  [HERALD_CONTACT_FIELD_CITY] = { "city", N_("City") },
  [HERALD_CONTACT_FIELD_PHONE] = { "phone", N_("Phone") },
  [HERALD_CONTACT_FIELD_LANGUAGE] = { "language", N_("Language") },
  [HERALD_CONTACT_FIELD_SOURCE] = { "source", N_("Source") },
  [HERALD_CONTACT_FIELD_STATUS] = { "status", N_("Status") },
  [HERALD_CONTACT_FIELD_CREATED_AT] = { "created_at", N_("Created") },
  [HERALD_CONTACT_FIELD_UPDATED_AT] = { "updated_at", N_("Updated") },
};

static void
herald_contact_finalize (GObject *object)
{
  HeraldContact *self = (HeraldContact *)object;

  for (guint i = 0; i < HERALD_N_CONTACT_FIELDS; i++)
    g_clear_pointer (&self->fields[i], g_free);

  G_OBJECT_CLASS (herald_contact_parent_class)->finalize (object);
}

static void
herald_contact_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HeraldContact *self = HERALD_CONTACT (object);

  switch (prop_id)
    {
    case PROP_EMAIL:
      g_value_set_string (value, herald_contact_get_email (self));
      break;

    case PROP_FULL_NAME:
      g_value_take_string (value, herald_contact_dup_full_name (self));
      break;

    case PROP_COMPANY:
      g_value_set_string (value, self->fields[HERALD_CONTACT_FIELD_COMPANY]);
      break;

    case PROP_COUNTRY:
      g_value_set_string (value, self->fields[HERALD_CONTACT_FIELD_COUNTRY]);
      break;

    case PROP_STATUS:
      g_value_set_string (value, herald_contact_get_status (self));
      break;

    case PROP_STATUS_LABEL:
      g_value_set_string (value, herald_contact_status_label (herald_contact_get_status (self)));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_contact_class_init (HeraldContactClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = herald_contact_finalize;
  object_class->get_property = herald_contact_get_property;

  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FULL_NAME] =
    g_param_spec_string ("full-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_COMPANY] =
    g_param_spec_string ("company", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_COUNTRY] =
    g_param_spec_string ("country", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATUS_LABEL] =
    g_param_spec_string ("status-label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
herald_contact_init (HeraldContact *self)
{
}

HeraldContact *
_herald_contact_new_from_row (sqlite3_stmt *stmt)
{
  HeraldContact *self = g_object_new (HERALD_TYPE_CONTACT, NULL);

  self->id = sqlite3_column_int64 (stmt, 0);
  for (guint i = 0; i < HERALD_N_CONTACT_FIELDS; i++)
    self->fields[i] = g_strdup ((const char *)sqlite3_column_text (stmt, i + 1));

  return self;
}

const char *
herald_contact_field_key (HeraldContactField field)
{
  g_return_val_if_fail (field < HERALD_N_CONTACT_FIELDS, NULL);

  return field_info[field].key;
}

/**
 * herald_contact_field_label:
 *
 * Returns: the field's name as the user reads it, translated.
 */
const char *
herald_contact_field_label (HeraldContactField field)
{
  g_return_val_if_fail (field < HERALD_N_CONTACT_FIELDS, NULL);

  return _(field_info[field].label);
}

/**
 * herald_contact_status_label:
 * @status: a status key such as "subscribed"
 *
 * Returns: the status as the user reads it, translated.
 */
const char *
herald_contact_status_label (const char *status)
{
  if (g_strcmp0 (status, "subscribed") == 0)
    return C_("contact status", "Subscribed");
  if (g_strcmp0 (status, "unsubscribed") == 0)
    return C_("contact status", "Unsubscribed");
  if (g_strcmp0 (status, "bounced") == 0)
    return C_("contact status", "Bounced");
  if (g_strcmp0 (status, "complained") == 0)
    return C_("contact status", "Complained");
  if (g_strcmp0 (status, "pending") == 0)
    return C_("contact status", "Pending");

  return status;
}

gint64
herald_contact_get_id (HeraldContact *self)
{
  g_return_val_if_fail (HERALD_IS_CONTACT (self), 0);

  return self->id;
}

/**
 * herald_contact_get_field:
 *
 * Returns: (nullable): the field's stored text, %NULL when empty.
 */
const char *
herald_contact_get_field (HeraldContact      *self,
                          HeraldContactField  field)
{
  g_return_val_if_fail (HERALD_IS_CONTACT (self), NULL);
  g_return_val_if_fail (field < HERALD_N_CONTACT_FIELDS, NULL);

  return self->fields[field];
}

const char *
herald_contact_get_email (HeraldContact *self)
{
  return herald_contact_get_field (self, HERALD_CONTACT_FIELD_EMAIL);
}

const char *
herald_contact_get_status (HeraldContact *self)
{
  return herald_contact_get_field (self, HERALD_CONTACT_FIELD_STATUS);
}

/**
 * herald_contact_dup_full_name:
 *
 * Returns: (transfer full): first and last name, or the email when the
 *   contact has no name.
 */
char *
herald_contact_dup_full_name (HeraldContact *self)
{
  const char *first;
  const char *last;

  g_return_val_if_fail (HERALD_IS_CONTACT (self), NULL);

  first = self->fields[HERALD_CONTACT_FIELD_FIRST_NAME];
  last = self->fields[HERALD_CONTACT_FIELD_LAST_NAME];

  if (first != NULL && last != NULL)
    /* Names keep the order the source gave them in, whatever the UI language. */
    return g_strjoin (" ", first, last, NULL);

  if (first != NULL || last != NULL)
    return g_strdup (first != NULL ? first : last);

  return g_strdup (self->fields[HERALD_CONTACT_FIELD_EMAIL]);
}
