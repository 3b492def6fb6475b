/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-template-preview"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <webkit/webkit.h>

#include "herald-template-preview.h"

/* A rendered email as an inbox and an email client would show it. The
 * preview is private by construction: JavaScript is off, a Content
 * Security Policy put in front of the email lets nothing load from the
 * network (remote images only when asked, for this preview), and links
 * never navigate inside it: a click opens them in the browser. */

#define MOBILE_WIDTH 375

struct _HeraldTemplatePreview
{
  GtkWidget        parent_instance;

  GtkToggleButton *desktop_button;
  GtkToggleButton *images_button;
  GtkBox          *inbox;
  GtkLabel        *preheader_label;
  AdwStatusPage   *problem_page;
  GtkLabel        *sender_label;
  GtkStack        *stack;
  GtkLabel        *subject_label;
  GtkToggleButton *text_button;
  GtkTextView     *text_view;
  GtkFrame        *web_frame;

  WebKitWebView   *web_view;
  char            *html;
};

G_DEFINE_FINAL_TYPE (HeraldTemplatePreview, herald_template_preview, GTK_TYPE_WIDGET)

static const char *
content_policy (gboolean images)
{
  return images
         ? "default-src 'none'; style-src 'unsafe-inline'; img-src data: https: http:"
         : "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
}

/* The policy goes first in <head>, before anything that could load. */
static char *
guard (const char *html,
       gboolean    images)
{
  g_autofree char *meta = g_strdup_printf ("<meta http-equiv=\"Content-Security-Policy\" content=\"%s\">",
                                           content_policy (images));
  g_autofree char *lower = g_ascii_strdown (html, -1);
  const char *head = strstr (lower, "<head");
  const char *insert_at = NULL;

  if (head != NULL && (insert_at = strchr (head, '>')) != NULL)
    insert_at++;
  else
    {
      /* No <head>: after the doctype, so the page keeps standards mode. */
      const char *doctype = strstr (lower, "<!doctype");

      insert_at = doctype == lower && strchr (doctype, '>') != NULL ? strchr (doctype, '>') + 1 : lower;
    }

  return g_strdup_printf ("%.*s%s%s", (int) (insert_at - lower), html, meta, html + (insert_at - lower));
}

static void
load (HeraldTemplatePreview *self)
{
  gboolean images = gtk_toggle_button_get_active (self->images_button);
  g_autofree char *guarded = NULL;

  if (self->html == NULL)
    return;
  webkit_settings_set_auto_load_images (webkit_web_view_get_settings (self->web_view), images);
  guarded = guard (self->html, images);
  webkit_web_view_load_html (self->web_view, guarded, "about:blank");
}

static gboolean
decide_policy_cb (HeraldTemplatePreview    *self,
                  WebKitPolicyDecision     *decision,
                  WebKitPolicyDecisionType  type)
{
  WebKitNavigationAction *action;
  WebKitURIRequest *request;
  const char *uri;

  if (type == WEBKIT_POLICY_DECISION_TYPE_RESPONSE)
    return FALSE;

  action = webkit_navigation_policy_decision_get_navigation_action (WEBKIT_NAVIGATION_POLICY_DECISION (decision));
  request = webkit_navigation_action_get_request (action);
  uri = webkit_uri_request_get_uri (request);

  /* The email itself, loaded as about:blank, is the only page shown. */
  if (type == WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION && g_strcmp0 (uri, "about:blank") == 0
      && webkit_navigation_action_get_navigation_type (action) != WEBKIT_NAVIGATION_TYPE_LINK_CLICKED)
    return FALSE;

  webkit_policy_decision_ignore (decision);

  if (webkit_navigation_action_is_user_gesture (action)
      && (g_str_has_prefix (uri, "https://") || g_str_has_prefix (uri, "http://")
          || g_str_has_prefix (uri, "mailto:")))
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

      gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
    }
  return TRUE;
}

static gboolean
context_menu_cb (HeraldTemplatePreview *self)
{
  /* Reload, back and forward would leave the email. */
  return TRUE;
}

static void
mode_toggled_cb (HeraldTemplatePreview *self)
{
  gboolean mobile = !gtk_toggle_button_get_active (self->desktop_button);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "problem") != 0)
    gtk_stack_set_visible_child_name (self->stack,
                                      gtk_toggle_button_get_active (self->text_button) ? "text" : "html");
  gtk_widget_set_size_request (GTK_WIDGET (self->web_frame), mobile ? MOBILE_WIDTH : -1, -1);
  gtk_widget_set_halign (GTK_WIDGET (self->web_frame), mobile ? GTK_ALIGN_CENTER : GTK_ALIGN_FILL);
}

static void
images_toggled_cb (HeraldTemplatePreview *self)
{
  load (self);
}

static void
herald_template_preview_dispose (GObject *object)
{
  HeraldTemplatePreview *self = (HeraldTemplatePreview *) object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), HERALD_TYPE_TEMPLATE_PREVIEW);
  /* The toolbar boxes are not template children of their own. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->html, g_free);

  G_OBJECT_CLASS (herald_template_preview_parent_class)->dispose (object);
}

static void
herald_template_preview_class_init (HeraldTemplatePreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = herald_template_preview_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/heraldapp/Herald/herald-template-preview.ui");
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatePreview, desktop_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatePreview, images_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatePreview, inbox);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatePreview, preheader_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatePreview, problem_page);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatePreview, sender_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatePreview, stack);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatePreview, subject_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatePreview, text_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatePreview, text_view);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatePreview, web_frame);
  gtk_widget_class_bind_template_callback (widget_class, images_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, mode_toggled_cb);
}

static void
herald_template_preview_init (HeraldTemplatePreview *self)
{
  WebKitSettings *settings;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->web_view = WEBKIT_WEB_VIEW (webkit_web_view_new ());
  settings = webkit_web_view_get_settings (self->web_view);
  webkit_settings_set_enable_javascript (settings, FALSE);
  webkit_settings_set_enable_javascript_markup (settings, FALSE);
  webkit_settings_set_auto_load_images (settings, FALSE);
  webkit_settings_set_enable_page_cache (settings, FALSE);
  webkit_settings_set_enable_html5_local_storage (settings, FALSE);
  webkit_settings_set_enable_html5_database (settings, FALSE);
  webkit_settings_set_enable_developer_extras (settings, FALSE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->web_view), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->web_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Email Preview"), -1);
  g_signal_connect_object (self->web_view, "decide-policy", G_CALLBACK (decide_policy_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->web_view, "context-menu", G_CALLBACK (context_menu_cb), self, G_CONNECT_SWAPPED);
  gtk_frame_set_child (self->web_frame, GTK_WIDGET (self->web_view));
}

/* Shows the message; `sender` is the From line. */
void
herald_template_preview_show_message (HeraldTemplatePreview *self,
                                      const HeraldMessage   *message,
                                      const char            *sender)
{
  g_return_if_fail (HERALD_IS_TEMPLATE_PREVIEW (self));
  g_return_if_fail (message != NULL);

  gtk_label_set_label (self->sender_label, sender);
  gtk_label_set_label (self->subject_label, message->subject[0] != '\0' ? message->subject : _("(No subject)"));
  gtk_label_set_label (self->preheader_label, message->preheader);
  gtk_widget_set_visible (GTK_WIDGET (self->preheader_label), message->preheader[0] != '\0');
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), message->text, -1);

  if (g_strcmp0 (self->html, message->html) != 0)
    {
      g_free (self->html);
      self->html = g_strdup (message->html);
      load (self);
    }

  gtk_stack_set_visible_child_name (self->stack, "html");
  mode_toggled_cb (self);
}

/* Says why the preview cannot be shown, keeping the last good one aside. */
void
herald_template_preview_show_problem (HeraldTemplatePreview *self,
                                      const char            *problem)
{
  g_return_if_fail (HERALD_IS_TEMPLATE_PREVIEW (self));

  adw_status_page_set_description (self->problem_page, problem);
  gtk_stack_set_visible_child_name (self->stack, "problem");
}
