/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What checking one link found. */
typedef struct
{
  char     *url;
  gboolean  ok;
  guint     status;
  /* Where redirects led, when they did. */
  char     *final_url;
  /* Why the link is broken, for people; NULL when it works. */
  char     *problem;
} HeraldLinkResult;

void       herald_link_result_free    (HeraldLinkResult     *result);

GPtrArray *herald_links_check         (const char * const   *urls,
                                       GCancellable         *cancellable,
                                       GError              **error);
void       herald_links_check_async   (const char * const   *urls,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
GPtrArray *herald_links_check_finish  (GAsyncResult         *result,
                                       GError              **error);
char     **herald_links_collect       (const char           *html);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldLinkResult, herald_link_result_free)

G_END_DECLS
