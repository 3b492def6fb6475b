/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-links"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "herald-html.h"
#include "herald-links.h"

/* Checking the links of an email over HTTP, only ever when the user asks:
 * HEAD first, GET when a server refuses HEAD, redirects followed, a
 * timeout per link, and one result per distinct link. */

#define TIMEOUT_SECONDS 10

void
herald_link_result_free (HeraldLinkResult *result)
{
  g_free (result->url);
  g_free (result->final_url);
  g_free (result->problem);
  g_free (result);
}

static gboolean
is_checkable (const char *url)
{
  /* Merge tags are filled in by the email service: nothing to check yet. */
  return url != NULL
         && (g_ascii_strncasecmp (url, "http://", 7) == 0 || g_ascii_strncasecmp (url, "https://", 8) == 0)
         && strstr (url, "{{") == NULL && strstr (url, "*|") == NULL;
}

/* The distinct http and https links and image sources of an HTML body, in
 * order. */
char **
herald_links_collect (const char *html)
{
  g_autoptr(GPtrArray) references = herald_html_references (html);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *urls = g_ptr_array_new ();

  for (guint i = 0; i < references->len; i++)
    {
      HeraldHtmlReference *reference = references->pdata[i];

      if (is_checkable (reference->url) && g_hash_table_add (seen, reference->url))
        g_ptr_array_add (urls, g_strdup (reference->url));
    }
  g_ptr_array_add (urls, NULL);
  return (char **) g_ptr_array_free (urls, FALSE);
}

static guint
send (SoupSession  *session,
      const char   *method,
      const char   *url,
      char        **final_url,
      GCancellable *cancellable,
      GError      **error)
{
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GInputStream) body = NULL;

  if (message == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("This is not a valid address."));
      return 0;
    }

  body = soup_session_send (session, message, cancellable, error);
  if (body == NULL)
    return 0;
  /* Only the status matters: the body is never read. */
  g_input_stream_close (body, NULL, NULL);

  g_free (*final_url);
  *final_url = g_uri_to_string (soup_message_get_uri (message));
  return soup_message_get_status (message);
}

/**
 * herald_links_check:
 *
 * Checks each link in turn, blocking: call it from a worker thread.
 *
 * Returns: (transfer full) (element-type HeraldLinkResult): one result per
 *   link, or %NULL with @error set when cancelled
 */
GPtrArray *
herald_links_check (const char * const  *urls,
                    GCancellable        *cancellable,
                    GError             **error)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", TIMEOUT_SECONDS,
                                                                  "idle-timeout", TIMEOUT_SECONDS,
                                                                  NULL);
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) herald_link_result_free);

  g_return_val_if_fail (urls != NULL, NULL);

  soup_session_set_user_agent (session, "Herald link check (" PACKAGE_VERSION ")");

  for (guint i = 0; urls[i] != NULL; i++)
    {
      HeraldLinkResult *result = g_new0 (HeraldLinkResult, 1);
      g_autoptr(GError) local_error = NULL;
      g_autofree char *final_url = NULL;
      guint status;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          herald_link_result_free (result);
          return NULL;
        }

      result->url = g_strdup (urls[i]);
      status = send (session, "HEAD", urls[i], &final_url, cancellable, &local_error);
      /* Some servers answer HEAD badly; GET tells the truth. */
      if (status == SOUP_STATUS_METHOD_NOT_ALLOWED || status == SOUP_STATUS_NOT_IMPLEMENTED
          || status == SOUP_STATUS_FORBIDDEN || status == SOUP_STATUS_NOT_FOUND)
        {
          g_clear_error (&local_error);
          status = send (session, "GET", urls[i], &final_url, cancellable, &local_error);
        }

      result->status = status;
      result->ok = SOUP_STATUS_IS_SUCCESSFUL (status);
      if (final_url != NULL && !g_str_equal (final_url, urls[i]))
        result->final_url = g_steal_pointer (&final_url);

      if (local_error != NULL)
        result->problem = g_strdup (local_error->message);
      else if (!result->ok)
        /* Translators: %u is an HTTP status such as 404, %s its meaning. */
        result->problem = g_strdup_printf (_("The server answered %u, %s."), status,
                                           soup_status_get_phrase (status));
      g_ptr_array_add (results, result);
    }

  return g_steal_pointer (&results);
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *results = herald_links_check (task_data, cancellable, &error);

  if (results == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, results, (GDestroyNotify) g_ptr_array_unref);
}

void
herald_links_check_async (const char * const  *urls,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, herald_links_check_async);
  g_task_set_task_data (task, g_strdupv ((char **) urls), (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, check_thread);
}

GPtrArray *
herald_links_check_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
