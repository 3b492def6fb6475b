/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-mailchimp-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "herald-format.h"
#include "herald-mailchimp.h"
#include "herald-mailchimp-dialog.h"

/* Fetch From Mailchimp: the API key (from the keyring when it is there)
 * and the campaigns' ids, then a progress bar with Cancel while the
 * reports and the recipients' activity come in. Errors stay in the
 * dialog, next to what can be corrected. */

struct _HeraldMailchimpDialog
{
  AdwWindow             parent_instance;

  AdwEntryRow          *campaigns_row;
  GtkWidget            *cancel_button;
  GtkWidget            *error_box;
  GtkLabel             *error_label;
  GtkWidget            *fetch_button;
  AdwPreferencesGroup  *form_group;
  AdwPasswordEntryRow  *key_row;
  GtkWidget            *progress_box;
  GtkProgressBar       *progress_bar;
  GtkLabel             *progress_label;
  GtkSwitch            *remember_switch;
  AdwPreferencesGroup  *campaigns_group;

  HeraldWorkspace      *workspace;
  GCancellable         *cancellable;
  /* The key found in the keyring, to forget it when the user asks to. */
  gboolean              key_in_keyring;
  gboolean              fetching;
};

G_DEFINE_FINAL_TYPE (HeraldMailchimpDialog, herald_mailchimp_dialog, ADW_TYPE_WINDOW)

enum {
  FETCHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (HeraldMailchimpDialog *self,
            const char            *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (self->error_box, message != NULL);
}

static void
set_fetching (HeraldMailchimpDialog *self,
              gboolean               fetching)
{
  self->fetching = fetching;
  gtk_widget_set_sensitive (GTK_WIDGET (self->form_group), !fetching);
  gtk_widget_set_sensitive (GTK_WIDGET (self->campaigns_group), !fetching);
  gtk_widget_set_sensitive (self->fetch_button, !fetching);
  gtk_widget_set_visible (self->progress_box, fetching);
  if (fetching)
    {
      gtk_progress_bar_set_fraction (self->progress_bar, 0);
      gtk_label_set_label (self->progress_label, _("Asking Mailchimp…"));
      show_error (self, NULL);
    }
}

static void
form_changed_cb (HeraldMailchimpDialog *self)
{
  g_auto(GStrv) ids = herald_mailchimp_split_campaign_ids (gtk_editable_get_text (GTK_EDITABLE (self->campaigns_row)));
  const char *key = gtk_editable_get_text (GTK_EDITABLE (self->key_row));

  gtk_widget_set_sensitive (self->fetch_button, !self->fetching && *key != '\0' && ids[0] != NULL);
}

static void
progress_cb (guint    campaign,
             guint    n_campaigns,
             guint64  fetched,
             guint64  total,
             gpointer user_data)
{
  HeraldMailchimpDialog *self = user_data;
  g_autofree char *fetched_text = herald_format_count (fetched);
  g_autofree char *total_text = herald_format_count (total);
  g_autofree char *label = NULL;
  double part = total > 0 ? (double) fetched / total : 0;

  gtk_progress_bar_set_fraction (self->progress_bar, (campaign + part) / MAX (n_campaigns, 1));
  /* Translators: while fetching: “Campaign 1 of 2: 1,000 of 2,500
   * recipients”. */
  label = g_strdup_printf (ngettext ("Campaign %u of %u: %s of %s recipient", "Campaign %u of %u: %s of %s recipients",
                                     (gulong) MIN (total, G_MAXULONG)),
                           campaign + 1, n_campaigns, fetched_text, total_text);
  gtk_label_set_label (self->progress_label, label);
}

static void
fetched_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(HeraldMailchimpDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldResultsReport) report = herald_mailchimp_client_fetch_finish (HERALD_MAILCHIMP_CLIENT (source),
                                                                                result, &error);

  g_clear_object (&self->cancellable);
  set_fetching (self, FALSE);
  if (report == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      form_changed_cb (self);
      return;
    }
  g_signal_emit (self, signals[FETCHED], 0, report);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
start_fetch (HeraldMailchimpDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldMailchimpClient) client = herald_mailchimp_client_new (gtk_editable_get_text (GTK_EDITABLE (self->key_row)),
                                                                         &error);
  g_auto(GStrv) ids = herald_mailchimp_split_campaign_ids (gtk_editable_get_text (GTK_EDITABLE (self->campaigns_row)));

  if (client == NULL)
    {
      set_fetching (self, FALSE);
      show_error (self, error->message);
      form_changed_cb (self);
      return;
    }
  self->cancellable = g_cancellable_new ();
  herald_mailchimp_client_fetch_async (client, self->workspace, (const char * const *) ids, progress_cb, self,
                                       self->cancellable, fetched_cb, g_object_ref (self));
}

static void
key_saved_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(HeraldMailchimpDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean remember = gtk_switch_get_active (self->remember_switch);

  g_clear_object (&self->cancellable);
  if (!(remember ? herald_mailchimp_key_store_finish (result, &error)
                 : herald_mailchimp_key_clear_finish (result, &error)))
    {
      set_fetching (self, FALSE);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      form_changed_cb (self);
      return;
    }
  self->key_in_keyring = remember;
  start_fetch (self);
}

static void
fetch_clicked_cb (HeraldMailchimpDialog *self)
{
  g_auto(GStrv) ids = herald_mailchimp_split_campaign_ids (gtk_editable_get_text (GTK_EDITABLE (self->campaigns_row)));
  g_autofree char *key = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->key_row))));
  g_autoptr(GError) error = NULL;

  if (self->fetching || !gtk_widget_get_sensitive (self->fetch_button))
    return;
  /* Mistakes that need no request are pointed out at once. */
  if (!herald_mailchimp_check_key (key, &error))
    {
      show_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->key_row));
      return;
    }
  for (guint i = 0; ids[i] != NULL; i++)
    if (!herald_mailchimp_check_campaign_id (ids[i], &error))
      {
        show_error (self, error->message);
        gtk_widget_grab_focus (GTK_WIDGET (self->campaigns_row));
        return;
      }

  set_fetching (self, TRUE);
  /* The key is remembered, or forgotten, as the user chose before it is
   * used; the workspace never holds it. */
  self->cancellable = g_cancellable_new ();
  if (gtk_switch_get_active (self->remember_switch))
    herald_mailchimp_key_store_async (key, self->cancellable, key_saved_cb, g_object_ref (self));
  else if (self->key_in_keyring)
    herald_mailchimp_key_clear_async (self->cancellable, key_saved_cb, g_object_ref (self));
  else
    {
      g_clear_object (&self->cancellable);
      start_fetch (self);
    }
}

static void
cancel_clicked_cb (HeraldMailchimpDialog *self)
{
  if (self->fetching && self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  else
    gtk_window_close (GTK_WINDOW (self));
}

static gboolean
herald_mailchimp_dialog_close_request (GtkWindow *window)
{
  HeraldMailchimpDialog *self = HERALD_MAILCHIMP_DIALOG (window);

  /* Closed while fetching: nothing is stored. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (herald_mailchimp_dialog_parent_class)->close_request (window);
}

static void
key_found_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(HeraldMailchimpDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = herald_mailchimp_key_lookup_finish (result, &error);

  /* Without a keyring the key is typed each time, and nothing is said:
   * the switch's store will tell if the keyring cannot be used. */
  if (key == NULL)
    {
      if (error != NULL)
        g_debug ("No key from the keyring: %s", error->message);
      return;
    }
  self->key_in_keyring = TRUE;
  if (*gtk_editable_get_text (GTK_EDITABLE (self->key_row)) == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->key_row), key);
  gtk_switch_set_active (self->remember_switch, TRUE);
}

static void
herald_mailchimp_dialog_dispose (GObject *object)
{
  HeraldMailchimpDialog *self = (HeraldMailchimpDialog *) object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), HERALD_TYPE_MAILCHIMP_DIALOG);
  g_clear_object (&self->workspace);

  G_OBJECT_CLASS (herald_mailchimp_dialog_parent_class)->dispose (object);
}

static void
herald_mailchimp_dialog_class_init (HeraldMailchimpDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = herald_mailchimp_dialog_dispose;
  window_class->close_request = herald_mailchimp_dialog_close_request;

  /**
   * HeraldMailchimpDialog::fetched:
   * @report: (type gpointer): the HeraldResultsReport of the fetch
   *
   * Emitted when results were fetched and stored, before the dialog
   * closes.
   */
  signals[FETCHED] = g_signal_new ("fetched", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, G_TYPE_POINTER);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/heraldapp/Herald/herald-mailchimp-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HeraldMailchimpDialog, campaigns_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldMailchimpDialog, campaigns_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldMailchimpDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldMailchimpDialog, error_box);
  gtk_widget_class_bind_template_child (widget_class, HeraldMailchimpDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldMailchimpDialog, fetch_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldMailchimpDialog, form_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldMailchimpDialog, key_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldMailchimpDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, HeraldMailchimpDialog, progress_box);
  gtk_widget_class_bind_template_child (widget_class, HeraldMailchimpDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldMailchimpDialog, remember_switch);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, fetch_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, form_changed_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
herald_mailchimp_dialog_init (HeraldMailchimpDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * herald_mailchimp_dialog_new:
 *
 * Returns: (transfer none): a dialog over @parent that fetches results
 *   into @workspace; the key is looked up in the keyring meanwhile
 */
HeraldMailchimpDialog *
herald_mailchimp_dialog_new (GtkWindow       *parent,
                             HeraldWorkspace *workspace)
{
  HeraldMailchimpDialog *self;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);

  self = g_object_new (HERALD_TYPE_MAILCHIMP_DIALOG, "transient-for", parent, NULL);
  self->workspace = g_object_ref (workspace);
  herald_mailchimp_key_lookup_async (NULL, key_found_cb, g_object_ref (self));
  return self;
}
