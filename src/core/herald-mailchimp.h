/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "herald-results.h"
#include "herald-workspace.h"

G_BEGIN_DECLS

#define HERALD_MAILCHIMP_ERROR (herald_mailchimp_error_quark ())

typedef enum
{
  /* The API key is not of the form KEY-DATACENTER. */
  HERALD_MAILCHIMP_ERROR_INVALID_KEY,
  /* A campaign id that cannot be one of Mailchimp's. */
  HERALD_MAILCHIMP_ERROR_INVALID_CAMPAIGN,
  /* 401 and 403: the key was refused. */
  HERALD_MAILCHIMP_ERROR_UNAUTHORIZED,
  /* 404: no such campaign, or no report of it yet. */
  HERALD_MAILCHIMP_ERROR_NOT_FOUND,
  /* 429: too many requests for now. */
  HERALD_MAILCHIMP_ERROR_RATE_LIMITED,
  /* 5xx: Mailchimp had a problem of its own. */
  HERALD_MAILCHIMP_ERROR_SERVER,
  /* Any other status Mailchimp answered with. */
  HERALD_MAILCHIMP_ERROR_REFUSED,
  /* Mailchimp could not be reached, in time or securely. */
  HERALD_MAILCHIMP_ERROR_NETWORK,
  /* The answer was not the JSON Mailchimp sends. */
  HERALD_MAILCHIMP_ERROR_MALFORMED,
  /* No key was given, and none is in the keyring. */
  HERALD_MAILCHIMP_ERROR_NO_KEY,
  /* The keyring could not be read or written. */
  HERALD_MAILCHIMP_ERROR_KEYRING,
} HeraldMailchimpError;

/**
 * HeraldMailchimpProgress:
 * @campaign: the campaign being fetched, from 0
 * @n_campaigns: how many campaigns are fetched
 * @fetched: the recipients of @campaign whose activity was fetched so far
 * @total: the recipients of @campaign, 0 until the first page is in
 *
 * How far a fetch has come; called in the thread (or, for the async
 * call, the main context) that started it.
 */
typedef void (*HeraldMailchimpProgress) (guint    campaign,
                                         guint    n_campaigns,
                                         guint64  fetched,
                                         guint64  total,
                                         gpointer user_data);

#define HERALD_TYPE_MAILCHIMP_CLIENT (herald_mailchimp_client_get_type ())
G_DECLARE_FINAL_TYPE (HeraldMailchimpClient, herald_mailchimp_client, HERALD, MAILCHIMP_CLIENT, GObject)

GQuark                 herald_mailchimp_error_quark          (void);

HeraldMailchimpClient *herald_mailchimp_client_new           (const char             *api_key,
                                                              GError                **error);
const char            *herald_mailchimp_client_get_datacenter (HeraldMailchimpClient *self);
const char            *herald_mailchimp_client_get_base_url  (HeraldMailchimpClient  *self);
void                   herald_mailchimp_client_set_timeout   (HeraldMailchimpClient  *self,
                                                              guint                   seconds);
HeraldResultsReport   *herald_mailchimp_client_fetch         (HeraldMailchimpClient  *self,
                                                              HeraldWorkspace        *workspace,
                                                              const char * const     *campaign_ids,
                                                              HeraldMailchimpProgress progress,
                                                              gpointer                progress_data,
                                                              GCancellable           *cancellable,
                                                              GError                **error);
void                   herald_mailchimp_client_fetch_async   (HeraldMailchimpClient  *self,
                                                              HeraldWorkspace        *workspace,
                                                              const char * const     *campaign_ids,
                                                              HeraldMailchimpProgress progress,
                                                              gpointer                progress_data,
                                                              GCancellable           *cancellable,
                                                              GAsyncReadyCallback     callback,
                                                              gpointer                user_data);
HeraldResultsReport   *herald_mailchimp_client_fetch_finish  (HeraldMailchimpClient  *self,
                                                              GAsyncResult           *result,
                                                              GError                **error);

gboolean               herald_mailchimp_check_key            (const char             *api_key,
                                                              GError                **error);
gboolean               herald_mailchimp_check_campaign_id    (const char             *campaign_id,
                                                              GError                **error);
GStrv                  herald_mailchimp_split_campaign_ids   (const char             *text);

/* The API key in the user's keyring, never in the workspace or a file. */
void                   herald_mailchimp_key_lookup_async     (GCancellable           *cancellable,
                                                              GAsyncReadyCallback     callback,
                                                              gpointer                user_data);
char                  *herald_mailchimp_key_lookup_finish    (GAsyncResult           *result,
                                                              GError                **error);
char                  *herald_mailchimp_key_lookup           (GCancellable           *cancellable,
                                                              GError                **error);
void                   herald_mailchimp_key_store_async      (const char             *api_key,
                                                              GCancellable           *cancellable,
                                                              GAsyncReadyCallback     callback,
                                                              gpointer                user_data);
gboolean               herald_mailchimp_key_store_finish     (GAsyncResult           *result,
                                                              GError                **error);
gboolean               herald_mailchimp_key_store            (const char             *api_key,
                                                              GCancellable           *cancellable,
                                                              GError                **error);
void                   herald_mailchimp_key_clear_async      (GCancellable           *cancellable,
                                                              GAsyncReadyCallback     callback,
                                                              gpointer                user_data);
gboolean               herald_mailchimp_key_clear_finish     (GAsyncResult           *result,
                                                              GError                **error);

G_END_DECLS
