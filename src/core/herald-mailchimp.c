/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-mailchimp"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <libsoup/soup.h>
#include <math.h>
#include <string.h>

#include "herald-json-private.h"
#include "herald-mailchimp.h"
#include "herald-results-private.h"
#include "herald-workspace-private.h"

/* Campaign results fetched from the Mailchimp Marketing API: a campaign's
 * report and what each recipient did, stored as an import is, in one
 * transaction, so a failure anywhere leaves the workspace as it was.
 * Everything is fetched before anything is written: the workspace is not
 * kept locked while the network is slow. */

#define DEFAULT_TIMEOUT 30
/* Recipients per page of email activity; Mailchimp allows up to 1,000. */
#define PAGE_SIZE 1000
/* Mailchimp's answers are a few levels deep; more is not Mailchimp. */
#define MAX_DEPTH 32

struct _HeraldMailchimpClient
{
  GObject  parent_instance;

  char    *api_key;
  char    *datacenter;
  char    *base_url;
  char    *authorization;
  guint    timeout;
};

G_DEFINE_FINAL_TYPE (HeraldMailchimpClient, herald_mailchimp_client, G_TYPE_OBJECT)
G_DEFINE_QUARK (herald-mailchimp-error-quark, herald_mailchimp_error)

static const SecretSchema key_schema = {
  "io.github.heraldapp.Herald.ApiKey", SECRET_SCHEMA_NONE,
  {
    { "service", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

/* Keys and ids */

/*
 * Splits a key of the form KEY-DATACENTER, such as "0123abcd…-us6". The
 * datacenter becomes part of a host name, so only letters and digits are
 * taken.
 */
static gboolean
parse_key (const char  *api_key,
           char       **out_datacenter,
           GError     **error)
{
  const char *dash = api_key != NULL ? strrchr (api_key, '-') : NULL;
  gboolean valid = dash != NULL && dash != api_key && dash[1] != '\0';

  for (const char *p = api_key; valid && p < dash; p++)
    valid = g_ascii_isalnum (*p);
  for (const char *p = dash + (dash != NULL); valid && *p != '\0'; p++)
    valid = g_ascii_islower (*p) || g_ascii_isdigit (*p);
  if (valid)
    valid = g_ascii_islower (dash[1]) && g_ascii_isdigit (api_key[strlen (api_key) - 1]);

  if (!valid)
    {
      g_set_error_literal (error, HERALD_MAILCHIMP_ERROR, HERALD_MAILCHIMP_ERROR_INVALID_KEY,
                           _("This is not a Mailchimp API key. A key ends with a dash and its datacenter, "
                             "such as “-us6”: copy it whole from Account & billing › Extras › API keys."));
      return FALSE;
    }
  if (out_datacenter != NULL)
    *out_datacenter = g_strdup (dash + 1);
  return TRUE;
}

/**
 * herald_mailchimp_check_key:
 *
 * Returns: whether @api_key has the form of a Mailchimp API key
 */
gboolean
herald_mailchimp_check_key (const char  *api_key,
                            GError     **error)
{
  return parse_key (api_key, NULL, error);
}

/**
 * herald_mailchimp_check_campaign_id:
 *
 * Mailchimp's campaign ids are short words of letters and digits, such as
 * "42694e9e57"; anything else is refused before it reaches a URL.
 */
gboolean
herald_mailchimp_check_campaign_id (const char  *campaign_id,
                                    GError     **error)
{
  gboolean valid = campaign_id != NULL && *campaign_id != '\0' && strlen (campaign_id) <= 64;

  for (const char *p = campaign_id; valid && *p != '\0'; p++)
    valid = g_ascii_isalnum (*p) || *p == '_' || *p == '-';
  if (!valid)
    g_set_error (error, HERALD_MAILCHIMP_ERROR, HERALD_MAILCHIMP_ERROR_INVALID_CAMPAIGN,
                 _("“%s” is not a Mailchimp campaign id. Campaign ids are letters and digits, such as "
                   "“42694e9e57”, as in the “Unique Id” column of Mailchimp’s campaigns export."),
                 campaign_id != NULL ? campaign_id : "");
  return valid;
}

/**
 * herald_mailchimp_split_campaign_ids:
 * @text: ids as a person types them: separated by spaces, commas or lines
 *
 * Returns: (transfer full): the ids, each once, in their order
 */
GStrv
herald_mailchimp_split_campaign_ids (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) words = g_strsplit_set (text != NULL ? text : "", " \t\r\n,;", -1);

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0' && g_hash_table_add (seen, words[i]))
      g_strv_builder_add (builder, words[i]);
  return g_strv_builder_end (builder);
}

/* The client */

static void
herald_mailchimp_client_finalize (GObject *object)
{
  HeraldMailchimpClient *self = (HeraldMailchimpClient *) object;

  /* The key is a secret: it does not linger in freed memory. */
  if (self->api_key != NULL)
    memset (self->api_key, 0, strlen (self->api_key));
  if (self->authorization != NULL)
    memset (self->authorization, 0, strlen (self->authorization));
  g_free (self->api_key);
  g_free (self->authorization);
  g_free (self->datacenter);
  g_free (self->base_url);

  G_OBJECT_CLASS (herald_mailchimp_client_parent_class)->finalize (object);
}

static void
herald_mailchimp_client_class_init (HeraldMailchimpClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = herald_mailchimp_client_finalize;
}

static void
herald_mailchimp_client_init (HeraldMailchimpClient *self)
{
  self->timeout = DEFAULT_TIMEOUT;
}

/*
 * The base URL for tests only: HERALD_MAILCHIMP_BASE_URL points the client
 * at a local server that answers as Mailchimp does. It must be on this
 * computer, so the key never travels unencrypted to another one.
 */
static gboolean
test_base_url (char   **out_url,
               GError **error)
{
  const char *url = g_getenv ("HERALD_MAILCHIMP_BASE_URL");
  g_autoptr(GUri) uri = NULL;
  const char *host;

  *out_url = NULL;
  if (url == NULL || *url == '\0')
    return TRUE;
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  if (host == NULL || !(g_str_equal (host, "127.0.0.1") || g_str_equal (host, "::1")
                        || g_str_equal (host, "localhost")))
    {
      g_set_error (error, HERALD_MAILCHIMP_ERROR, HERALD_MAILCHIMP_ERROR_INVALID_KEY,
                   _("%s is for tests and must point at this computer."), "HERALD_MAILCHIMP_BASE_URL");
      return FALSE;
    }
  *out_url = g_str_has_suffix (url, "/") ? g_strndup (url, strlen (url) - 1) : g_strdup (url);
  return TRUE;
}

/**
 * herald_mailchimp_client_new:
 * @api_key: the account's API key, "KEY-DATACENTER"
 *
 * Returns: (transfer full): a client for the key's datacenter, or %NULL
 *   with @error set when @api_key is not a Mailchimp key
 */
HeraldMailchimpClient *
herald_mailchimp_client_new (const char  *api_key,
                             GError     **error)
{
  g_autoptr(HeraldMailchimpClient) self = NULL;
  g_autofree char *key = g_strstrip (g_strdup (api_key != NULL ? api_key : ""));
  g_autofree char *datacenter = NULL;
  g_autofree char *credentials = NULL;
  g_autofree char *encoded = NULL;
  char *base_url;

  if (!parse_key (key, &datacenter, error) || !test_base_url (&base_url, error))
    return NULL;

  self = g_object_new (HERALD_TYPE_MAILCHIMP_CLIENT, NULL);
  self->datacenter = g_steal_pointer (&datacenter);
  self->base_url = base_url != NULL ? base_url : g_strdup_printf ("https://%s.api.mailchimp.com/3.0", self->datacenter);
  /* HTTP basic authentication: any user name, the key as password. */
  credentials = g_strconcat ("herald:", key, NULL);
  encoded = g_base64_encode ((const guchar *) credentials, strlen (credentials));
  self->authorization = g_strconcat ("Basic ", encoded, NULL);
  memset (credentials, 0, strlen (credentials));
  memset (encoded, 0, strlen (encoded));
  self->api_key = g_steal_pointer (&key);
  return g_steal_pointer (&self);
}

const char *
herald_mailchimp_client_get_datacenter (HeraldMailchimpClient *self)
{
  g_return_val_if_fail (HERALD_IS_MAILCHIMP_CLIENT (self), NULL);

  return self->datacenter;
}

const char *
herald_mailchimp_client_get_base_url (HeraldMailchimpClient *self)
{
  g_return_val_if_fail (HERALD_IS_MAILCHIMP_CLIENT (self), NULL);

  return self->base_url;
}

/**
 * herald_mailchimp_client_set_timeout:
 * @seconds: how long to wait for Mailchimp at most, 30 by default
 *
 * Set it before fetching.
 */
void
herald_mailchimp_client_set_timeout (HeraldMailchimpClient *self,
                                     guint                  seconds)
{
  g_return_if_fail (HERALD_IS_MAILCHIMP_CLIENT (self));
  g_return_if_fail (seconds > 0);

  self->timeout = seconds;
}

/* HTTP */

/* Mailchimp explains a refusal in JSON: {"title": …, "detail": …}. */
static char *
problem_detail (GBytes *body)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  HeraldJsonProblem problem;
  JsonObject *object;
  const char *detail;

  if (body == NULL || g_bytes_get_size (body) == 0)
    return NULL;
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  root = _herald_json_parse (text, MAX_DEPTH, &problem);
  g_free (problem.detail);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  detail = json_object_get_string_member_with_default (object, "detail", NULL);
  if (detail == NULL || *detail == '\0')
    detail = json_object_get_string_member_with_default (object, "title", NULL);
  return detail != NULL && g_utf8_validate (detail, -1, NULL) ? g_strdup (detail) : NULL;
}

static void
set_status_error (guint         status,
                  const char   *campaign_id,
                  GBytes       *body,
                  GError      **error)
{
  g_autofree char *detail = problem_detail (body);

  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    g_set_error_literal (error, HERALD_MAILCHIMP_ERROR, HERALD_MAILCHIMP_ERROR_UNAUTHORIZED,
                         _("Mailchimp refused the API key. Check that it was copied whole and has not been "
                           "revoked, or create a new one in Account & billing › Extras › API keys."));
  else if (status == SOUP_STATUS_NOT_FOUND)
    g_set_error (error, HERALD_MAILCHIMP_ERROR, HERALD_MAILCHIMP_ERROR_NOT_FOUND,
                 _("No campaign “%s” at Mailchimp, or it has no report yet. Check the campaign id, and that "
                   "the API key belongs to the account that sent it."),
                 campaign_id);
  /* 429 Too Many Requests, which libsoup 3.2 has no name for. */
  else if (status == 429)
    g_set_error_literal (error, HERALD_MAILCHIMP_ERROR, HERALD_MAILCHIMP_ERROR_RATE_LIMITED,
                         _("Mailchimp is receiving too many requests from this account. Try again in a few "
                           "minutes."));
  else if (status >= 500)
    g_set_error (error, HERALD_MAILCHIMP_ERROR, HERALD_MAILCHIMP_ERROR_SERVER,
                 _("Mailchimp had a problem of its own (HTTP status %u). Try again later."), status);
  else if (detail != NULL)
    g_set_error (error, HERALD_MAILCHIMP_ERROR, HERALD_MAILCHIMP_ERROR_REFUSED,
                 _("Mailchimp refused the request (HTTP status %u): %s"), status, detail);
  else
    g_set_error (error, HERALD_MAILCHIMP_ERROR, HERALD_MAILCHIMP_ERROR_REFUSED,
                 _("Mailchimp refused the request (HTTP status %u)."), status);
}

static void
set_network_error (HeraldMailchimpClient  *self,
                   GError                 *cause,
                   GError                **error)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_error_copy (cause));
  else if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    g_set_error (error, HERALD_MAILCHIMP_ERROR, HERALD_MAILCHIMP_ERROR_NETWORK,
                 ngettext ("Mailchimp did not answer within %u second. Check your internet connection and try "
                           "again.",
                           "Mailchimp did not answer within %u seconds. Check your internet connection and try "
                           "again.",
                           self->timeout),
                 self->timeout);
  else if (cause->domain == G_TLS_ERROR)
    g_set_error (error, HERALD_MAILCHIMP_ERROR, HERALD_MAILCHIMP_ERROR_NETWORK,
                 _("The connection to Mailchimp is not secure, so nothing was sent: %s. A network that "
                   "intercepts encrypted connections can cause this."),
                 cause->message);
  else
    g_set_error (error, HERALD_MAILCHIMP_ERROR, HERALD_MAILCHIMP_ERROR_NETWORK,
                 _("Mailchimp could not be reached: %s. Check your internet connection and try again."),
                 cause->message);
}

/* GETs @path under the base URL and returns its JSON object. */
static JsonObject *
get_object (HeraldMailchimpClient  *self,
            SoupSession            *session,
            const char             *path,
            const char             *campaign_id,
            GCancellable           *cancellable,
            GError                **error)
{
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  HeraldJsonProblem problem;
  SoupMessageHeaders *headers;
  guint status;

  if (message == NULL)
    {
      g_set_error (error, HERALD_MAILCHIMP_ERROR, HERALD_MAILCHIMP_ERROR_NETWORK,
                   _("Mailchimp could not be reached: “%s” is not a web address."), url);
      return NULL;
    }
  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Authorization", self->authorization);
  soup_message_headers_replace (headers, "Accept", "application/json");

  body = soup_session_send_and_read (session, message, cancellable, &local_error);
  if (body == NULL)
    {
      set_network_error (self, local_error, error);
      return NULL;
    }
  status = soup_message_get_status (message);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      set_status_error (status, campaign_id, body, error);
      return NULL;
    }

  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  root = _herald_json_parse (text, MAX_DEPTH, &problem);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autofree char *detail = problem.detail;

      if (root != NULL)
        g_set_error (error, HERALD_MAILCHIMP_ERROR, HERALD_MAILCHIMP_ERROR_MALFORMED,
                     _("Mailchimp’s answer about campaign “%s” is not what Mailchimp sends: a JSON object was "
                       "expected."),
                     campaign_id);
      else if (detail == NULL)
        g_set_error (error, HERALD_MAILCHIMP_ERROR, HERALD_MAILCHIMP_ERROR_MALFORMED,
                     _("Mailchimp’s answer about campaign “%s” is nested too deeply to be read."), campaign_id);
      else
        g_set_error (error, HERALD_MAILCHIMP_ERROR, HERALD_MAILCHIMP_ERROR_MALFORMED,
                     _("Mailchimp’s answer about campaign “%s” is not valid JSON (line %u, column %u: %s)."),
                     campaign_id, problem.line, problem.column, detail);
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/* Reading Mailchimp's JSON */

static gboolean
malformed (const char  *campaign_id,
           const char  *member,
           GError     **error)
{
  g_set_error (error, HERALD_MAILCHIMP_ERROR, HERALD_MAILCHIMP_ERROR_MALFORMED,
               _("Mailchimp’s answer about campaign “%s” has an unexpected “%s”."), campaign_id, member);
  return FALSE;
}

/* A member that is an object, NULL when it is missing or null. */
static gboolean
get_child (JsonObject   *object,
           const char   *member,
           const char   *campaign_id,
           JsonObject  **child,
           GError      **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *child = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return malformed (campaign_id, member, error);
  *child = json_node_get_object (node);
  return TRUE;
}

/* A whole number, times @scale and rounded for money; -1 when missing. */
static gboolean
get_number (JsonObject  *object,
            const char  *parent,
            const char  *member,
            double       scale,
            const char  *campaign_id,
            gint64      *out,
            GError     **error)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;
  g_autofree char *name = parent != NULL ? g_strconcat (parent, ".", member, NULL) : g_strdup (member);
  GType type;
  double value;

  *out = -1;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type == G_TYPE_INT64)
    value = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    value = json_node_get_double (node);
  else
    return malformed (campaign_id, name, error);
  value = round (value * scale);
  if (!isfinite (value) || value < 0 || value > 1e15)
    return malformed (campaign_id, name, error);
  *out = (gint64) value;
  return TRUE;
}

/* A time as Mailchimp writes it, "2024-03-05T10:12:45+00:00"; -1 for an
 * empty one, such as the send time of a campaign not sent. */
static gboolean
get_time (JsonObject  *object,
          const char  *member,
          const char  *campaign_id,
          gint64      *out,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) time = NULL;
  const char *text;

  *out = -1;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return malformed (campaign_id, member, error);
  text = json_node_get_string (node);
  if (*text == '\0')
    return TRUE;
  if ((time = g_date_time_new_from_iso8601 (text, utc)) == NULL)
    return malformed (campaign_id, member, error);
  *out = g_date_time_to_unix (time);
  return TRUE;
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* GET /reports/{id}: the campaign's counts. */
static HeraldResultsCampaign *
read_report (JsonObject  *report,
             const char  *campaign_id,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  HeraldResultsCampaign *campaign = _herald_results_campaign_new (0);
  JsonObject *bounces, *opens, *clicks, *ecommerce;
  const char *title = get_string (report, "campaign_title");
  gint64 *counts = campaign->counts;

  if (title == NULL || *title == '\0')
    title = get_string (report, "subject_line");
  campaign->title = g_strdup (title != NULL && *title != '\0' ? title : campaign_id);
  campaign->esp_id = g_strdup (campaign_id);
  campaign->variant = g_strdup ("");

  if (!get_child (report, "bounces", campaign_id, &bounces, &local_error)
      || !get_child (report, "opens", campaign_id, &opens, &local_error)
      || !get_child (report, "clicks", campaign_id, &clicks, &local_error)
      || !get_child (report, "ecommerce", campaign_id, &ecommerce, &local_error)
      || !get_time (report, "send_time", campaign_id, &campaign->sent_at, &local_error)
      || !get_number (report, NULL, "emails_sent", 1, campaign_id, &counts[COUNT_SENT], &local_error)
      || !get_number (bounces, "bounces", "soft_bounces", 1, campaign_id, &counts[COUNT_SOFT_BOUNCES], &local_error)
      || !get_number (bounces, "bounces", "hard_bounces", 1, campaign_id, &counts[COUNT_HARD_BOUNCES], &local_error)
      || !get_number (opens, "opens", "unique_opens", 1, campaign_id, &counts[COUNT_UNIQUE_OPENS], &local_error)
      || !get_number (opens, "opens", "opens_total", 1, campaign_id, &counts[COUNT_TOTAL_OPENS], &local_error)
      || !get_number (opens, "opens", "proxy_excluded_unique_opens", 1, campaign_id,
                      &counts[COUNT_PROXY_EXCLUDED_UNIQUE_OPENS], &local_error)
      /* People who clicked, not clicks per link. */
      || !get_number (clicks, "clicks", "unique_subscriber_clicks", 1, campaign_id, &counts[COUNT_UNIQUE_CLICKS],
                      &local_error)
      || !get_number (clicks, "clicks", "clicks_total", 1, campaign_id, &counts[COUNT_TOTAL_CLICKS], &local_error)
      || !get_number (report, NULL, "unsubscribed", 1, campaign_id, &counts[COUNT_UNSUBSCRIBES], &local_error)
      || !get_number (report, NULL, "abuse_reports", 1, campaign_id, &counts[COUNT_COMPLAINTS], &local_error)
      || !get_number (ecommerce, "ecommerce", "total_orders", 1, campaign_id, &counts[COUNT_ORDERS], &local_error)
      || !get_number (ecommerce, "ecommerce", "total_revenue", 100, campaign_id, &counts[COUNT_REVENUE_MINOR],
                      &local_error))
    {
      _herald_results_campaign_free (campaign);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (counts[COUNT_SENT] >= 0)
    counts[COUNT_DELIVERED] = MAX (0, counts[COUNT_SENT] - MAX (0, counts[COUNT_HARD_BOUNCES])
                                      - MAX (0, counts[COUNT_SOFT_BOUNCES]));
  return campaign;
}

typedef struct
{
  char   *email;
  char   *kind;
  char   *url;
  gint64  occurred_at;
} Activity;

static void
activity_free (Activity *activity)
{
  g_free (activity->email);
  g_free (activity->kind);
  g_free (activity->url);
  g_free (activity);
}

/* A page of GET /reports/{id}/email-activity: each recipient's opens,
 * clicks and bounces, and how many recipients the page held. */
static gboolean
read_activity_page (JsonObject  *page,
                    const char  *campaign_id,
                    GPtrArray   *activity,
                    guint       *n_emails,
                    gint64      *total_items,
                    GError     **error)
{
  JsonNode *node = json_object_get_member (page, "emails");
  JsonArray *emails;

  if (!get_number (page, NULL, "total_items", 1, campaign_id, total_items, error))
    return FALSE;
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return malformed (campaign_id, "emails", error);
  if (*total_items < 0)
    return malformed (campaign_id, "total_items", error);
  emails = json_node_get_array (node);
  *n_emails = json_array_get_length (emails);

  for (guint i = 0; i < *n_emails; i++)
    {
      JsonNode *item = json_array_get_element (emails, i);
      JsonObject *recipient = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
      const char *email = recipient != NULL ? get_string (recipient, "email_address") : NULL;
      JsonNode *actions_node = recipient != NULL ? json_object_get_member (recipient, "activity") : NULL;
      JsonArray *actions;

      if (email == NULL)
        return malformed (campaign_id, "emails.email_address", error);
      if (actions_node == NULL || JSON_NODE_HOLDS_NULL (actions_node))
        continue;
      if (!JSON_NODE_HOLDS_ARRAY (actions_node))
        return malformed (campaign_id, "emails.activity", error);
      actions = json_node_get_array (actions_node);
      for (guint j = 0; j < json_array_get_length (actions); j++)
        {
          JsonNode *action_node = json_array_get_element (actions, j);
          JsonObject *action = JSON_NODE_HOLDS_OBJECT (action_node) ? json_node_get_object (action_node) : NULL;
          const char *kind = action != NULL ? get_string (action, "action") : NULL;
          const char *url;
          Activity *item_activity;
          gint64 at;

          if (kind == NULL)
            return malformed (campaign_id, "emails.activity.action", error);
          /* Only what Herald keeps as a recipient's event. */
          if (!g_str_equal (kind, "open") && !g_str_equal (kind, "click") && !g_str_equal (kind, "bounce"))
            continue;
          if (!get_time (action, "timestamp", campaign_id, &at, error))
            return FALSE;
          if (at < 0)
            return malformed (campaign_id, "emails.activity.timestamp", error);
          url = g_str_equal (kind, "click") ? get_string (action, "url") : NULL;

          item_activity = g_new0 (Activity, 1);
          item_activity->email = g_strdup (email);
          item_activity->kind = g_strdup (kind);
          item_activity->url = g_strdup (url);
          item_activity->occurred_at = at;
          g_ptr_array_add (activity, item_activity);
        }
    }
  return TRUE;
}

/* Fetching */

static HeraldResultsCampaign *
fetch_campaign (HeraldMailchimpClient    *self,
                SoupSession              *session,
                const char               *campaign_id,
                guint                     index,
                guint                     n_campaigns,
                GPtrArray                *activity,
                HeraldMailchimpProgress   progress,
                gpointer                  progress_data,
                GCancellable             *cancellable,
                GError                  **error)
{
  g_autofree char *escaped = g_uri_escape_string (campaign_id, NULL, FALSE);
  g_autofree char *path = g_strconcat ("/reports/", escaped, NULL);
  g_autoptr(JsonObject) report = get_object (self, session, path, campaign_id, cancellable, error);
  HeraldResultsCampaign *campaign;
  guint64 offset = 0;
  gint64 total = 0;

  if (report == NULL || (campaign = read_report (report, campaign_id, error)) == NULL)
    return NULL;
  if (progress != NULL)
    progress (index, n_campaigns, 0, 0, progress_data);

  do
    {
      g_autofree char *page_path = g_strdup_printf ("/reports/%s/email-activity?count=%u&offset=%" G_GUINT64_FORMAT,
                                                    escaped, PAGE_SIZE, offset);
      g_autoptr(JsonObject) page = get_object (self, session, page_path, campaign_id, cancellable, error);
      guint n_emails;

      if (page == NULL || !read_activity_page (page, campaign_id, activity, &n_emails, &total, error))
        {
          _herald_results_campaign_free (campaign);
          return NULL;
        }
      offset += n_emails;
      if (progress != NULL)
        progress (index, n_campaigns, MIN (offset, (guint64) total), total, progress_data);
      /* A page with nobody on it ends the paging even when the total
       * promised more, so a changing list cannot loop for ever. */
      if (n_emails == 0)
        break;
    }
  while (offset < (guint64) total);
  return campaign;
}

/* Writes the campaigns and their recipients' events in one transaction. */
static gboolean
store (HeraldWorkspace      *workspace,
       GPtrArray            *campaigns,
       GPtrArray            *activities,
       HeraldResultsReport  *report,
       GError              **error)
{
  g_autoptr(HeraldEventWriter) writer = NULL;
  g_autoptr(GHashTable) contacts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) unknown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!_herald_workspace_begin (workspace, error))
    return FALSE;
  if (!_herald_results_store (workspace, campaigns, report, error)
      || (writer = _herald_event_writer_new (workspace, error)) == NULL)
    goto fail;

  for (guint i = 0; i < campaigns->len; i++)
    {
      HeraldResultsCampaign *campaign = campaigns->pdata[i];
      GPtrArray *activity = activities->pdata[i];

      g_hash_table_remove_all (unknown);
      for (guint j = 0; j < activity->len; j++)
        {
          Activity *item = activity->pdata[j];
          gint64 *cached = NULL;
          gint64 contact;
          gboolean added;

          if (g_hash_table_lookup_extended (contacts, item->email, NULL, (gpointer *) &cached))
            contact = cached != NULL ? *cached : 0;
          else
            {
              if ((contact = _herald_event_writer_find_contact (writer, item->email, error)) < 0)
                goto fail;
              g_hash_table_insert (contacts, g_strdup (item->email),
                                   contact > 0 ? g_memdup2 (&contact, sizeof contact) : NULL);
            }

          /* Someone who is not in the audience is counted once per
           * campaign and left out. */
          if (contact == 0)
            {
              if (g_hash_table_add (unknown, g_strdup (item->email)))
                report->unknown_contacts++;
              continue;
            }
          if (!_herald_event_writer_add (writer, campaign->id, contact, item->kind, item->occurred_at, item->url, -1,
                                         NULL, &added, error))
            goto fail;
          report->events += added;
        }
    }

  if (!_herald_results_attribute_orders (workspace, &report->attributed, error))
    goto fail;
  g_clear_pointer (&writer, _herald_event_writer_free);
  return _herald_workspace_commit (workspace, error);

fail:
  g_clear_pointer (&writer, _herald_event_writer_free);
  _herald_workspace_rollback (workspace);
  return FALSE;
}

/**
 * herald_mailchimp_client_fetch:
 * @campaign_ids: (array zero-terminated=1): Mailchimp's ids of the campaigns
 * @progress: (scope call) (nullable): called after every request
 *
 * Fetches the campaigns' reports and their recipients' activity, then
 * stores them in one transaction: the campaigns' counts, and an event for
 * every open, click and bounce of a person in the audience (others are
 * counted in the report's unknown_contacts and left out). Fetching again
 * replaces the counts and adds only new events.
 *
 * Returns: (transfer full): what was stored, or %NULL with @error set and
 *   the workspace unchanged
 */
HeraldResultsReport *
herald_mailchimp_client_fetch (HeraldMailchimpClient    *self,
                               HeraldWorkspace          *workspace,
                               const char * const       *campaign_ids,
                               HeraldMailchimpProgress   progress,
                               gpointer                  progress_data,
                               GCancellable             *cancellable,
                               GError                  **error)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GPtrArray) campaigns = g_ptr_array_new_with_free_func ((GDestroyNotify) _herald_results_campaign_free);
  g_autoptr(GPtrArray) activities = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(HeraldResultsReport) report = NULL;
  guint n_campaigns;

  g_return_val_if_fail (HERALD_IS_MAILCHIMP_CLIENT (self), NULL);
  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (campaign_ids != NULL, NULL);

  n_campaigns = g_strv_length ((GStrv) campaign_ids);
  if (n_campaigns == 0)
    {
      g_set_error_literal (error, HERALD_MAILCHIMP_ERROR, HERALD_MAILCHIMP_ERROR_INVALID_CAMPAIGN,
                           _("Give the id of at least one Mailchimp campaign."));
      return NULL;
    }
  for (guint i = 0; i < n_campaigns; i++)
    if (!herald_mailchimp_check_campaign_id (campaign_ids[i], error))
      return NULL;

  /* TLS certificates are verified against the system's authorities, the
   * default, which is never turned off. */
  session = soup_session_new_with_options ("timeout", self->timeout, "idle-timeout", self->timeout,
                                           "user-agent", "Herald/" PACKAGE_VERSION, NULL);
  for (guint i = 0; i < n_campaigns; i++)
    {
      GPtrArray *activity = g_ptr_array_new_with_free_func ((GDestroyNotify) activity_free);
      HeraldResultsCampaign *campaign;

      g_ptr_array_add (activities, activity);
      campaign = fetch_campaign (self, session, campaign_ids[i], i, n_campaigns, activity, progress, progress_data,
                                 cancellable, error);
      if (campaign == NULL)
        return NULL;
      g_ptr_array_add (campaigns, campaign);
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  report = g_new0 (HeraldResultsReport, 1);
  report->rows = n_campaigns;
  report->preset = HERALD_RESULTS_PRESET_MAILCHIMP_REPORT;
  if (!store (workspace, campaigns, activities, report, error))
    return NULL;
  return g_steal_pointer (&report);
}

typedef struct
{
  char                    *workspace;
  GStrv                    campaign_ids;
  HeraldMailchimpProgress  progress;
  gpointer                 progress_data;
} FetchData;

static void
fetch_data_free (FetchData *data)
{
  g_free (data->workspace);
  g_strfreev (data->campaign_ids);
  g_free (data);
}

typedef struct
{
  GTask   *task;
  guint    campaign;
  guint    n_campaigns;
  guint64  fetched;
  guint64  total;
} ProgressUpdate;

static void
progress_update_free (ProgressUpdate *update)
{
  g_object_unref (update->task);
  g_free (update);
}

static gboolean
report_progress_cb (gpointer user_data)
{
  ProgressUpdate *update = user_data;
  FetchData *data = g_task_get_task_data (update->task);

  data->progress (update->campaign, update->n_campaigns, update->fetched, update->total, data->progress_data);
  return G_SOURCE_REMOVE;
}

/* Progress made in the worker thread is told in the caller's context,
 * before the result, which is queued after it. */
static void
thread_progress_cb (guint    campaign,
                    guint    n_campaigns,
                    guint64  fetched,
                    guint64  total,
                    gpointer user_data)
{
  GTask *task = user_data;
  ProgressUpdate *update = g_new0 (ProgressUpdate, 1);

  update->task = g_object_ref (task);
  update->campaign = campaign;
  update->n_campaigns = n_campaigns;
  update->fetched = fetched;
  update->total = total;
  g_main_context_invoke_full (g_task_get_context (task), G_PRIORITY_DEFAULT, report_progress_cb, update,
                              (GDestroyNotify) progress_update_free);
}

static void
fetch_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  HeraldMailchimpClient *self = source_object;
  FetchData *data = task_data;
  g_autoptr(HeraldWorkspace) workspace = NULL;
  HeraldResultsReport *report = NULL;
  GError *error = NULL;

  if (!(workspace = herald_workspace_open (data->workspace, HERALD_WORKSPACE_OPEN_PRIVATE, &error))
      || !(report = herald_mailchimp_client_fetch (self, workspace, (const char * const *) data->campaign_ids,
                                                   data->progress != NULL ? thread_progress_cb : NULL, task,
                                                   cancellable, &error)))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) herald_results_report_free);
}

/**
 * herald_mailchimp_client_fetch_async:
 * @progress: (scope notified) (nullable): called in the thread-default
 *   main context of the caller, never after @callback
 *
 * Fetches and stores as herald_mailchimp_client_fetch() does, in a worker
 * thread with a connection of its own to the workspace.
 */
void
herald_mailchimp_client_fetch_async (HeraldMailchimpClient    *self,
                                     HeraldWorkspace          *workspace,
                                     const char * const       *campaign_ids,
                                     HeraldMailchimpProgress   progress,
                                     gpointer                  progress_data,
                                     GCancellable             *cancellable,
                                     GAsyncReadyCallback       callback,
                                     gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  FetchData *data;

  g_return_if_fail (HERALD_IS_MAILCHIMP_CLIENT (self));
  g_return_if_fail (HERALD_IS_WORKSPACE (workspace));
  g_return_if_fail (campaign_ids != NULL);

  data = g_new0 (FetchData, 1);
  data->workspace = g_strdup (herald_workspace_get_path (workspace));
  data->campaign_ids = g_strdupv ((GStrv) campaign_ids);
  data->progress = progress;
  data->progress_data = progress_data;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, herald_mailchimp_client_fetch_async);
  g_task_set_task_data (task, data, (GDestroyNotify) fetch_data_free);
  /* A cancelled fetch returns its error, not a report that was stored. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, fetch_thread);
}

HeraldResultsReport *
herald_mailchimp_client_fetch_finish (HeraldMailchimpClient  *self,
                                      GAsyncResult           *result,
                                      GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The keyring */

static void
set_keyring_error (GError  *cause,
                   GError **error)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_error_copy (cause));
  else
    g_set_error (error, HERALD_MAILCHIMP_ERROR, HERALD_MAILCHIMP_ERROR_KEYRING,
                 _("The keyring could not be used: %s"), cause->message);
}

/* A copy in memory that is freed as usual; the keyring's own is wiped. */
static char *
take_secret (char *secret)
{
  char *copy = g_strdup (secret);

  secret_password_free (secret);
  return copy;
}

void
herald_mailchimp_key_lookup_async (GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  secret_password_lookup (&key_schema, cancellable, callback, user_data, "service", "mailchimp", NULL);
}

/**
 * herald_mailchimp_key_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the key in the keyring, or %NULL
 *   without @error set when there is none
 */
char *
herald_mailchimp_key_lookup_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  char *secret = secret_password_lookup_finish (result, &local_error);

  if (local_error != NULL)
    {
      set_keyring_error (local_error, error);
      return NULL;
    }
  return secret != NULL ? take_secret (secret) : NULL;
}

char *
herald_mailchimp_key_lookup (GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  char *secret = secret_password_lookup_sync (&key_schema, cancellable, &local_error, "service", "mailchimp", NULL);

  if (local_error != NULL)
    {
      set_keyring_error (local_error, error);
      return NULL;
    }
  return secret != NULL ? take_secret (secret) : NULL;
}

void
herald_mailchimp_key_store_async (const char          *api_key,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *key = g_strstrip (g_strdup (api_key != NULL ? api_key : ""));
  GError *error = NULL;

  if (!parse_key (key, NULL, &error))
    {
      g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

      g_task_set_source_tag (task, herald_mailchimp_key_store_async);
      g_task_return_error (task, error);
      return;
    }
  secret_password_store (&key_schema, SECRET_COLLECTION_DEFAULT, _("Mailchimp API key for Herald"), key, cancellable,
                         callback, user_data, "service", "mailchimp", NULL);
}

gboolean
herald_mailchimp_key_store_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  if (g_task_get_source_tag (G_TASK (result)) == herald_mailchimp_key_store_async)
    return g_task_propagate_boolean (G_TASK (result), error);
  if (!secret_password_store_finish (result, &local_error))
    {
      set_keyring_error (local_error, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
herald_mailchimp_key_store (const char    *api_key,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autofree char *key = g_strstrip (g_strdup (api_key != NULL ? api_key : ""));
  g_autoptr(GError) local_error = NULL;

  if (!parse_key (key, NULL, error))
    return FALSE;
  if (!secret_password_store_sync (&key_schema, SECRET_COLLECTION_DEFAULT, _("Mailchimp API key for Herald"), key,
                                   cancellable, &local_error, "service", "mailchimp", NULL))
    {
      set_keyring_error (local_error, error);
      return FALSE;
    }
  return TRUE;
}

void
herald_mailchimp_key_clear_async (GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  secret_password_clear (&key_schema, cancellable, callback, user_data, "service", "mailchimp", NULL);
}

/**
 * herald_mailchimp_key_clear_finish:
 *
 * Returns: %TRUE when the keyring holds no key any more, whether or not
 *   it held one
 */
gboolean
herald_mailchimp_key_clear_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  secret_password_clear_finish (result, &local_error);
  if (local_error != NULL)
    {
      set_keyring_error (local_error, error);
      return FALSE;
    }
  return TRUE;
}
