/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-templates-page"

#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>
#include <string.h>

#include "herald-core.h"
#include "herald-template-preview.h"
#include "herald-templates-page.h"

/* The Templates page: templates and snippets on the left; on the right the
 * name, subject and preheader, the source beside a live preview as a real
 * contact would see it, and lint problems under the source. Every change
 * is saved a moment after typing stops. */

#define SAVE_DELAY_MS 400
#define PREVIEW_DELAY_MS 150
#define PREVIEW_CONTACTS 200
#define LIST_EMPTY_LIMIT 50

struct _HeraldTemplatesPage
{
  GtkWidget              parent_instance;

  GtkWidget             *check_button;
  GtkLabel              *contact_label;
  GtkWidget             *demo_button;
  GtkLabel              *field_use_label;
  GtkMenuButton         *find_button;
  GtkEditable           *find_entry;
  GtkToggleButton       *html_part_button;
  GtkMenuButton         *insert_button;
  GtkWidget             *layout_row;
  GtkSwitch             *layout_switch;
  GtkLabel              *lint_label;
  GtkListBox            *lint_list;
  GtkSpinner            *lint_spinner;
  GtkWidget             *links_button;
  GMenuModel            *new_menu;
  AdwEntryRow           *name_row;
  GtkWidget             *part_switcher;
  AdwEntryRow           *preheader_row;
  HeraldTemplatePreview *preview;
  GtkDropDown           *segment_drop;
  GtkListBox            *snippet_list;
  GtkSourceView         *source_view;
  GtkStack              *stack;
  AdwEntryRow           *subject_row;
  GtkWidget             *text_hint;
  GtkToggleButton       *text_part_button;
  GtkListBox            *template_list;

  HeraldWorkspace       *workspace;
  GSimpleActionGroup    *actions;
  GtkSourceBuffer       *html_buffer;
  GtkSourceBuffer       *text_buffer;
  GtkStringList         *segment_names;

  /* What is being edited: a template or a snippet, by its saved name. */
  gboolean               editing_snippet;
  char                  *current;
  gboolean               loading;
  gboolean               text_is_derived;

  GPtrArray             *contacts;
  guint                  contact_index;
  GPtrArray             *problems;
  GCancellable          *linting;
  guint                  save_source;
  guint                  preview_source;
};

G_DEFINE_FINAL_TYPE (HeraldTemplatesPage, herald_templates_page, GTK_TYPE_WIDGET)

enum {
  TEMPLATES_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void schedule_preview (HeraldTemplatesPage *self);
static void reload_lists (HeraldTemplatesPage *self,
                          const char          *select,
                          gboolean             select_snippet);

static void
add_toast (HeraldTemplatesPage *self,
           AdwToast            *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

static char *
buffer_text (GtkSourceBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (buffer), &start, &end);
  return gtk_text_buffer_get_text (GTK_TEXT_BUFFER (buffer), &start, &end, FALSE);
}

static void
set_buffer_text (GtkSourceBuffer *buffer,
                 const char      *text)
{
  /* Loading a template is not an edit to undo. */
  gtk_text_buffer_begin_irreversible_action (GTK_TEXT_BUFFER (buffer));
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (buffer), text != NULL ? text : "", -1);
  gtk_text_buffer_end_irreversible_action (GTK_TEXT_BUFFER (buffer));
}

/* The template as the editor holds it now. */
static HeraldTemplateRecord *
current_record (HeraldTemplatesPage *self)
{
  HeraldTemplateRecord *record = herald_template_record_new (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  g_autofree char *text = buffer_text (self->text_buffer);

  g_free (record->subject);
  record->subject = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->subject_row)));
  g_free (record->preheader);
  record->preheader = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->preheader_row)));
  g_free (record->html);
  record->html = buffer_text (self->html_buffer);
  if (!self->text_is_derived && text[strspn (text, " \t\r\n")] != '\0')
    record->text = g_steal_pointer (&text);
  return record;
}

static char *
sender_line (HeraldTemplatesPage *self)
{
  g_autofree char *name = herald_workspace_get_setting (self->workspace, "sender.name");
  g_autofree char *email = herald_workspace_get_setting (self->workspace, "sender.email");

  if (name != NULL && email != NULL)
    /* Translators: the From line of an email, “Name <address>”. */
    return g_strdup_printf (_("%s <%s>"), name, email);
  if (email != NULL)
    return g_strdup (email);
  return g_strdup (_("Set the sender in Preferences"));
}

/* Saving */

static void
save_now (HeraldTemplatesPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  gboolean renamed;

  g_clear_handle_id (&self->save_source, g_source_remove);
  if (self->workspace == NULL || self->current == NULL)
    return;

  renamed = g_strcmp0 (name, self->current) != 0;

  if (self->editing_snippet)
    {
      HeraldSnippet snippet = {
        .name = name,
        .is_layout = gtk_switch_get_active (self->layout_switch),
      };
      g_autofree char *body = buffer_text (self->html_buffer);

      snippet.body = body;
      if (!herald_snippets_save (self->workspace, &snippet, self->current, &error))
        {
          /* The old name keeps the work; the field says what is wrong. */
          HeraldSnippet keep = snippet;

          keep.name = self->current;
          herald_snippets_save (self->workspace, &keep, NULL, NULL);
          gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");
          gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_row), error->message);
          return;
        }
    }
  else
    {
      g_autoptr(HeraldTemplateRecord) record = current_record (self);

      if (!herald_templates_save (self->workspace, record, self->current, &error))
        {
          g_free (record->name);
          record->name = g_strdup (self->current);
          herald_templates_save (self->workspace, record, self->current, NULL);
          gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");
          gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_row), error->message);
          return;
        }
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_row), NULL);
  if (renamed)
    {
      g_free (self->current);
      self->current = g_steal_pointer (&name);
      reload_lists (self, self->current, self->editing_snippet);
    }
}

static gboolean
save_timeout_cb (gpointer user_data)
{
  HeraldTemplatesPage *self = user_data;

  self->save_source = 0;
  save_now (self);
  return G_SOURCE_REMOVE;
}

static void
edited_cb (HeraldTemplatesPage *self)
{
  if (self->loading)
    return;

  g_clear_handle_id (&self->save_source, g_source_remove);
  self->save_source = g_timeout_add (SAVE_DELAY_MS, save_timeout_cb, self);
  schedule_preview (self);
}

static void
text_edited_cb (HeraldTemplatesPage *self)
{
  if (self->loading)
    return;

  /* Typing in the derived text makes it the template's own; emptying it
   * derives it again. */
  {
    g_autofree char *text = buffer_text (self->text_buffer);

    self->text_is_derived = text[strspn (text, " \t\r\n")] == '\0';
  }
  gtk_widget_set_visible (self->text_hint, self->text_is_derived);
  edited_cb (self);
}

/* Preview and lint */

static void
clear_errors (GtkSourceBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (buffer), &start, &end);
  gtk_text_buffer_remove_tag_by_name (GTK_TEXT_BUFFER (buffer), "error", &start, &end);
}

static void
underline (GtkSourceBuffer *buffer,
           guint            line,
           guint            column,
           guint            length)
{
  GtkTextIter start, end;

  if (line == 0)
    return;
  gtk_text_buffer_get_iter_at_line_offset (GTK_TEXT_BUFFER (buffer), &start, line - 1, column > 0 ? column - 1 : 0);
  end = start;
  if (length > 0)
    gtk_text_iter_forward_chars (&end, length);
  else
    gtk_text_iter_forward_to_line_end (&end);
  gtk_text_buffer_apply_tag_by_name (GTK_TEXT_BUFFER (buffer), "error", &start, &end);
}

static GtkSourceBuffer *
buffer_for_part (HeraldTemplatesPage *self,
                 const char          *part)
{
  if (g_strcmp0 (part, "html") == 0)
    return self->html_buffer;
  if (g_strcmp0 (part, "text") == 0)
    return self->text_buffer;
  return NULL;
}

static GtkWidget *
problem_row (HeraldLintProblem *problem)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (problem->severity == HERALD_LINT_ERROR
                                                  ? "dialog-error-symbolic" : "dialog-warning-symbolic");
  const char *part = herald_template_part_label (problem->part);
  g_autofree char *place = problem->line > 0 && !g_str_equal (problem->code, "syntax")
                           ? g_strdup_printf (_("%s, line %u"), part, problem->line)
                           : g_strdup (part);

  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  problem->severity == HERALD_LINT_ERROR ? _("Error") : _("Warning"), -1);
  gtk_widget_add_css_class (icon, problem->severity == HERALD_LINT_ERROR ? "error" : "warning");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), problem->message);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), place);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row),
                                    problem->line > 0 || g_str_equal (problem->code, "empty-field"));
  return row;
}

static void
show_problems (HeraldTemplatesPage *self,
               GPtrArray           *problems)
{
  GtkWidget *child;
  guint errors = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->lint_list))) != NULL)
    gtk_list_box_remove (self->lint_list, child);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  self->problems = g_ptr_array_ref (problems);

  clear_errors (self->html_buffer);
  clear_errors (self->text_buffer);
  for (guint i = 0; i < problems->len; i++)
    {
      HeraldLintProblem *problem = problems->pdata[i];
      GtkSourceBuffer *buffer = buffer_for_part (self, problem->part);

      errors += problem->severity == HERALD_LINT_ERROR;
      if (buffer != NULL && problem->line > 0)
        underline (buffer, problem->line, problem->column, 0);
      gtk_list_box_append (self->lint_list, problem_row (problem));
    }

  gtk_widget_set_visible (GTK_WIDGET (self->lint_list), problems->len > 0);
  if (problems->len == 0)
    gtk_label_set_label (self->lint_label, _("No problems found"));
  else
    {
      g_autofree char *label = g_strdup_printf (ngettext ("%u problem", "%u problems", problems->len),
                                                problems->len);

      gtk_label_set_label (self->lint_label, label);
    }
  (void) errors;
}

static HeraldContact *
current_contact (HeraldTemplatesPage *self)
{
  if (self->contacts == NULL || self->contacts->len == 0)
    return NULL;
  return g_ptr_array_index (self->contacts, MIN (self->contact_index, self->contacts->len - 1));
}

static void
show_field_use (HeraldTemplatesPage *self,
                GHashTable          *field_use)
{
  g_autoptr(GString) empty = g_string_new (NULL);
  g_autoptr(GString) fallback = g_string_new (NULL);
  g_autoptr(GList) names = g_list_sort (g_hash_table_get_keys (field_use), (GCompareFunc) g_strcmp0);
  g_autoptr(GString) label = g_string_new (NULL);

  for (GList *l = names; l != NULL; l = l->next)
    {
      guint use = GPOINTER_TO_UINT (g_hash_table_lookup (field_use, l->data));
      GString *list = use & HERALD_FIELD_FALLBACK ? fallback : empty;

      if (list->len > 0)
        g_string_append (list, ", ");
      g_string_append (list, l->data);
    }

  if (empty->len > 0)
    /* Translators: followed by a list of field names. */
    g_string_append_printf (label, _("Empty for this contact: %s"), empty->str);
  if (fallback->len > 0)
    {
      if (label->len > 0)
        g_string_append (label, "\n");
      /* Translators: followed by a list of field names. */
      g_string_append_printf (label, _("Fallback used: %s"), fallback->str);
    }
  gtk_label_set_label (self->field_use_label, label->str);
  gtk_widget_set_visible (GTK_WIDGET (self->field_use_label), label->len > 0);
}

static void
update_preview (HeraldTemplatesPage *self)
{
  g_autoptr(HeraldTemplateRecord) record = NULL;
  g_autoptr(HeraldTemplateLibrary) library = NULL;
  g_autoptr(HeraldTemplateContext) context = NULL;
  g_autoptr(HeraldMessage) message = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sender = NULL;
  HeraldContact *contact;

  g_clear_handle_id (&self->preview_source, g_source_remove);
  if (self->workspace == NULL || self->current == NULL)
    return;

  library = herald_snippets_load (self->workspace, NULL);
  record = current_record (self);
  if (self->editing_snippet)
    {
      /* A snippet is previewed as a body of its own. */
      g_free (record->subject);
      record->subject = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
      g_free (record->preheader);
      record->preheader = g_strdup ("");
      g_clear_pointer (&record->text, g_free);
    }

  contact = current_contact (self);
  context = herald_template_context_new (self->workspace, contact);
  if (contact != NULL)
    {
      g_autofree char *name = herald_contact_dup_full_name (contact);
      /* Translators: which contact the preview shows, “Name · 3 of 120”. */
      g_autofree char *label = g_strdup_printf (_("%s · %u of %u"),
                                                name != NULL && name[0] != '\0' ? name : herald_contact_get_email (contact),
                                                self->contact_index + 1, self->contacts->len);

      gtk_label_set_label (self->contact_label, label);
    }
  else
    gtk_label_set_label (self->contact_label, _("No contacts to preview"));

  message = herald_template_record_render (record, library, context, NULL, &error);
  sender = sender_line (self);
  if (message != NULL)
    {
      herald_template_preview_show_message (self->preview, message, sender);
      show_field_use (self, message->field_use);
      if (self->text_is_derived)
        {
          self->loading = TRUE;
          set_buffer_text (self->text_buffer, message->text);
          self->loading = FALSE;
        }
    }
  else
    {
      herald_template_preview_show_problem (self->preview, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->field_use_label), FALSE);
    }

  if (self->editing_snippet)
    {
      HeraldTemplateLocation location = { 0 };
      g_autoptr(HeraldTemplate) compiled = herald_template_new (record->html, &location, NULL);

      problems = g_ptr_array_new_with_free_func ((GDestroyNotify) herald_lint_problem_free);
      if (compiled == NULL)
        {
          HeraldLintProblem *problem = g_new0 (HeraldLintProblem, 1);

          problem->severity = HERALD_LINT_ERROR;
          problem->code = g_strdup ("syntax");
          problem->part = g_strdup ("html");
          problem->line = location.line;
          problem->column = location.column;
          problem->message = g_strdup (error != NULL ? error->message : "");
          g_ptr_array_add (problems, problem);
        }
    }
  else
    problems = herald_template_record_lint (self->workspace, record, library, NULL, NULL);

  if (problems != NULL)
    show_problems (self, problems);
}

static gboolean
preview_timeout_cb (gpointer user_data)
{
  HeraldTemplatesPage *self = user_data;

  self->preview_source = 0;
  update_preview (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_preview (HeraldTemplatesPage *self)
{
  g_clear_handle_id (&self->preview_source, g_source_remove);
  self->preview_source = g_timeout_add (PREVIEW_DELAY_MS, preview_timeout_cb, self);
}

static void
lint_finished_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(HeraldTemplatesPage) self = user_data;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  problems = herald_template_record_lint_finish (HERALD_WORKSPACE (object), result, &error);
  gtk_widget_set_sensitive (self->check_button, !self->editing_snippet);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_stop (self->lint_spinner);
  if (problems == NULL)
    {
      add_toast (self, adw_toast_new (error->message));
      return;
    }
  show_problems (self, problems);
}

static const char *
chosen_segment (HeraldTemplatesPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->segment_drop);

  /* The first entry is all contacts. */
  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return NULL;
  return gtk_string_list_get_string (self->segment_names, selected);
}

static void
check_data_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  HeraldTemplatesPage *self = user_data;
  g_autoptr(HeraldTemplateRecord) record = NULL;
  const char *segment = chosen_segment (self);

  if (self->workspace == NULL || self->editing_snippet)
    return;
  if (segment == NULL)
    {
      add_toast (self, adw_toast_new (_("Choose a segment above the preview to check its contacts")));
      return;
    }

  if (self->linting != NULL)
    g_cancellable_cancel (self->linting);
  g_clear_object (&self->linting);
  self->linting = g_cancellable_new ();

  record = current_record (self);
  gtk_spinner_start (self->lint_spinner);
  gtk_widget_set_sensitive (self->check_button, FALSE);
  herald_template_record_lint_async (self->workspace, record, segment, self->linting,
                                     lint_finished_cb, g_object_ref (self));
}

static void
links_checked_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(HeraldTemplatesPage) self = user_data;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint broken = 0;

  results = herald_links_check_finish (result, &error);
  gtk_widget_set_sensitive (self->links_button, TRUE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_stop (self->lint_spinner);
  if (results == NULL)
    {
      add_toast (self, adw_toast_new (error->message));
      return;
    }

  /* The broken links join the problems already listed. */
  problems = g_ptr_array_new_with_free_func ((GDestroyNotify) herald_lint_problem_free);
  for (guint i = 0; self->problems != NULL && i < self->problems->len; i++)
    {
      HeraldLintProblem *old = self->problems->pdata[i];
      HeraldLintProblem *copy = g_new0 (HeraldLintProblem, 1);

      *copy = *old;
      copy->code = g_strdup (old->code);
      copy->message = g_strdup (old->message);
      copy->part = g_strdup (old->part);
      copy->field = g_strdup (old->field);
      if (!g_str_equal (copy->code, "broken-link"))
        g_ptr_array_add (problems, copy);
      else
        herald_lint_problem_free (copy);
    }
  herald_lint_problems_add_links (problems, results);
  for (guint i = 0; i < results->len; i++)
    broken += !((HeraldLinkResult *) results->pdata[i])->ok;
  show_problems (self, problems);

  if (broken == 0)
    message = g_strdup_printf (ngettext ("The link works", "All %u links work", results->len), results->len);
  else
    message = g_strdup_printf (ngettext ("%u of %u links is broken", "%u of %u links are broken", results->len),
                               broken, results->len);
  add_toast (self, adw_toast_new (message));
}

static void
check_links_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  HeraldTemplatesPage *self = user_data;
  g_autoptr(HeraldTemplateRecord) record = NULL;
  g_autoptr(HeraldTemplateLibrary) library = NULL;
  g_autoptr(HeraldTemplateContext) context = NULL;
  g_autoptr(HeraldMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) urls = NULL;

  if (self->workspace == NULL || self->current == NULL)
    return;

  /* The links as the previewed contact gets them, merge fields filled. */
  record = current_record (self);
  library = herald_snippets_load (self->workspace, NULL);
  context = herald_template_context_new (self->workspace, current_contact (self));
  if (!(message = herald_template_record_render (record, library, context, NULL, &error)))
    {
      add_toast (self, adw_toast_new (error->message));
      return;
    }
  urls = herald_links_collect (message->html);
  if (urls[0] == NULL)
    {
      add_toast (self, adw_toast_new (_("There are no web links to check")));
      return;
    }

  if (self->linting != NULL)
    g_cancellable_cancel (self->linting);
  g_clear_object (&self->linting);
  self->linting = g_cancellable_new ();
  gtk_spinner_start (self->lint_spinner);
  gtk_widget_set_sensitive (self->links_button, FALSE);
  herald_links_check_async ((const char * const *) urls, self->linting, links_checked_cb, g_object_ref (self));
}

static void
show_empty_contacts (HeraldTemplatesPage *self,
                     GtkWidget           *row,
                     HeraldLintProblem   *problem)
{
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *popover;
  GtkWidget *list;
  GtkWidget *scrolled;
  const char *segment = chosen_segment (self);

  if (segment == NULL || problem->field == NULL)
    return;
  contacts = herald_templates_list_empty (self->workspace, segment, problem->field, LIST_EMPTY_LIMIT, &error);
  if (contacts == NULL)
    {
      add_toast (self, adw_toast_new (error->message));
      return;
    }

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  for (guint i = 0; i < contacts->len; i++)
    {
      HeraldContact *contact = contacts->pdata[i];
      g_autofree char *name = herald_contact_dup_full_name (contact);
      GtkWidget *item = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (item), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (item), herald_contact_get_email (contact));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (item), name != NULL ? name : "");
      gtk_list_box_append (GTK_LIST_BOX (list), item);
    }

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 360);
  gtk_widget_set_size_request (scrolled, 320, -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);

  popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (popover), scrolled);
  gtk_widget_set_parent (popover, row);
  g_signal_connect (popover, "closed", G_CALLBACK (gtk_widget_unparent), NULL);
  gtk_popover_popup (GTK_POPOVER (popover));
}

static void
problem_activated_cb (HeraldTemplatesPage *self,
                      GtkListBoxRow       *row)
{
  int index = gtk_list_box_row_get_index (row);
  HeraldLintProblem *problem;
  GtkSourceBuffer *buffer;
  GtkTextIter iter;

  if (self->problems == NULL || index < 0 || (guint) index >= self->problems->len)
    return;
  problem = self->problems->pdata[index];

  if (g_str_equal (problem->code, "empty-field"))
    {
      show_empty_contacts (self, GTK_WIDGET (row), problem);
      return;
    }

  buffer = buffer_for_part (self, problem->part);
  if (buffer == NULL || problem->line == 0)
    return;

  gtk_toggle_button_set_active (buffer == self->html_buffer ? self->html_part_button : self->text_part_button, TRUE);
  gtk_text_buffer_get_iter_at_line_offset (GTK_TEXT_BUFFER (buffer), &iter, problem->line - 1,
                                           problem->column > 0 ? problem->column - 1 : 0);
  gtk_text_buffer_place_cursor (GTK_TEXT_BUFFER (buffer), &iter);
  gtk_text_view_scroll_to_iter (GTK_TEXT_VIEW (self->source_view), &iter, 0.2, FALSE, 0, 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->source_view));
}

/* Hovering an underlined error shows what is wrong there. */
static gboolean
query_tooltip_cb (HeraldTemplatesPage *self,
                  int                  x,
                  int                  y,
                  gboolean             keyboard,
                  GtkTooltip          *tooltip)
{
  GtkTextView *view = GTK_TEXT_VIEW (self->source_view);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "error");
  const char *part = buffer == GTK_TEXT_BUFFER (self->text_buffer) ? "text" : "html";
  GtkTextIter iter;
  int bx, by;

  if (keyboard || self->problems == NULL || tag == NULL)
    return FALSE;

  gtk_text_view_window_to_buffer_coords (view, GTK_TEXT_WINDOW_WIDGET, x, y, &bx, &by);
  if (!gtk_text_view_get_iter_at_location (view, &iter, bx, by) || !gtk_text_iter_has_tag (&iter, tag))
    return FALSE;

  for (guint i = 0; i < self->problems->len; i++)
    {
      HeraldLintProblem *problem = self->problems->pdata[i];

      if (g_str_equal (problem->part, part)
          && problem->line == (guint) gtk_text_iter_get_line (&iter) + 1)
        {
          gtk_tooltip_set_text (tooltip, problem->message);
          return TRUE;
        }
    }
  return FALSE;
}

/* Preview contacts */

static void
load_contacts (HeraldTemplatesPage *self)
{
  const char *segment = chosen_segment (self);
  g_autofree char *rules = NULL;

  g_clear_pointer (&self->contacts, g_ptr_array_unref);
  self->contact_index = 0;
  if (self->workspace == NULL)
    return;

  if (segment != NULL)
    {
      g_autoptr(GPtrArray) segments = herald_segments_list (self->workspace, NULL);

      for (guint i = 0; segments != NULL && i < segments->len; i++)
        {
          HeraldSegmentInfo *info = segments->pdata[i];

          if (g_str_equal (info->name, segment))
            rules = g_strdup (info->rules);
        }
    }
  if (rules == NULL)
    rules = g_strdup ("{\"match\": \"all\", \"rules\": [], \"include_suppressed\": true}");

  self->contacts = herald_segment_preview (self->workspace, rules, PREVIEW_CONTACTS, NULL);
}

static void
segment_changed_cb (HeraldTemplatesPage *self)
{
  if (self->loading)
    return;
  load_contacts (self);
  update_preview (self);
}

static void
step_contact (HeraldTemplatesPage *self,
              int                  step)
{
  if (self->contacts == NULL || self->contacts->len == 0)
    return;
  self->contact_index = (self->contact_index + self->contacts->len + step) % self->contacts->len;
  update_preview (self);
}

/* Previews one contact picked by address, ahead of the segment's. */
static void
find_contact_cb (HeraldTemplatesPage *self)
{
  g_autoptr(HeraldContact) contact = NULL;
  g_autoptr(GError) error = NULL;

  if (self->workspace == NULL)
    return;
  contact = herald_contacts_lookup (self->workspace, gtk_editable_get_text (self->find_entry), &error);
  if (contact == NULL)
    {
      add_toast (self, adw_toast_new (error->message));
      return;
    }

  if (self->contacts == NULL)
    self->contacts = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_insert (self->contacts, 0, g_steal_pointer (&contact));
  self->contact_index = 0;
  gtk_menu_button_popdown (self->find_button);
  update_preview (self);
}

static void
previous_contact_activated (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  step_contact (user_data, -1);
}

static void
next_contact_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  step_contact (user_data, 1);
}

/* Loading */

static void
show_part (HeraldTemplatesPage *self)
{
  gboolean text = gtk_toggle_button_get_active (self->text_part_button) && !self->editing_snippet;

  gtk_text_view_set_buffer (GTK_TEXT_VIEW (self->source_view),
                            GTK_TEXT_BUFFER (text ? self->text_buffer : self->html_buffer));
  gtk_widget_set_visible (self->text_hint, text && self->text_is_derived);
}

static void
part_toggled_cb (HeraldTemplatesPage *self)
{
  show_part (self);
}

static void
load_template (HeraldTemplatesPage        *self,
               const HeraldTemplateRecord *record)
{
  save_now (self);

  self->loading = TRUE;
  self->editing_snippet = FALSE;
  g_free (self->current);
  self->current = g_strdup (record->name);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), record->name);
  gtk_editable_set_text (GTK_EDITABLE (self->subject_row), record->subject);
  gtk_editable_set_text (GTK_EDITABLE (self->preheader_row), record->preheader);
  set_buffer_text (self->html_buffer, record->html);
  self->text_is_derived = record->text == NULL || record->text[0] == '\0';
  set_buffer_text (self->text_buffer, record->text);
  gtk_widget_set_visible (GTK_WIDGET (self->subject_row), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->preheader_row), TRUE);
  gtk_widget_set_visible (self->layout_row, FALSE);
  gtk_widget_set_visible (self->part_switcher, TRUE);
  gtk_widget_set_sensitive (self->check_button, TRUE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
  self->loading = FALSE;

  show_part (self);
  update_preview (self);
}

static void
load_snippet (HeraldTemplatesPage *self,
              const HeraldSnippet *snippet)
{
  save_now (self);

  self->loading = TRUE;
  self->editing_snippet = TRUE;
  g_free (self->current);
  self->current = g_strdup (snippet->name);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), snippet->name);
  gtk_switch_set_active (self->layout_switch, snippet->is_layout);
  set_buffer_text (self->html_buffer, snippet->body);
  set_buffer_text (self->text_buffer, "");
  gtk_widget_set_visible (GTK_WIDGET (self->subject_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->preheader_row), FALSE);
  gtk_widget_set_visible (self->layout_row, TRUE);
  gtk_widget_set_visible (self->part_switcher, FALSE);
  gtk_widget_set_sensitive (self->check_button, FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
  gtk_toggle_button_set_active (self->html_part_button, TRUE);
  self->loading = FALSE;

  show_part (self);
  update_preview (self);
}

static void
row_selected_cb (HeraldTemplatesPage *self,
                 GtkListBoxRow       *row,
                 GtkListBox          *list)
{
  gpointer data;

  if (row == NULL || self->loading)
    return;

  /* One selection across both lists. */
  self->loading = TRUE;
  gtk_list_box_unselect_all (list == self->template_list ? self->snippet_list : self->template_list);
  self->loading = FALSE;

  data = g_object_get_data (G_OBJECT (row), "record");
  if (data != NULL)
    {
      g_autoptr(HeraldTemplateRecord) record = herald_templates_get (self->workspace, ((HeraldTemplateRecord *) data)->name, NULL);

      if (record != NULL)
        load_template (self, record);
      return;
    }
  data = g_object_get_data (G_OBJECT (row), "snippet");
  if (data != NULL)
    load_snippet (self, data);
}

/* A row of the lists: a name, and under it up to two lines, such as a
 * template's subject and what the campaigns that sent it brought. */
static GtkWidget *
list_row (const char *title,
          const char *subtitle,
          const char *detail)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label = gtk_label_new (title);
  const char *lines[] = { subtitle, detail };

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), label);
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    if (lines[i] != NULL && lines[i][0] != '\0')
      {
        GtkWidget *sub = gtk_label_new (lines[i]);

        gtk_label_set_xalign (GTK_LABEL (sub), 0);
        gtk_label_set_ellipsize (GTK_LABEL (sub), PANGO_ELLIPSIZE_END);
        gtk_widget_add_css_class (sub, "caption");
        gtk_widget_add_css_class (sub, "dim-label");
        gtk_box_append (GTK_BOX (box), sub);
      }
  /* The list is narrow: the whole of the lines when pointed at. */
  if (detail != NULL)
    {
      g_autofree char *tooltip = g_strdup_printf ("%s\n%s", subtitle != NULL ? subtitle : "", detail);

      gtk_widget_set_tooltip_text (row, tooltip);
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
reload_lists (HeraldTemplatesPage *self,
              const char          *select,
              gboolean             select_snippet)
{
  g_autoptr(GPtrArray) templates = herald_templates_list (self->workspace, NULL);
  g_autoptr(GPtrArray) snippets = herald_snippets_list (self->workspace, NULL);
  GtkListBoxRow *selected = NULL;
  GtkListBox *selected_list = NULL;

  self->loading = TRUE;
  clear_list (self->template_list);
  clear_list (self->snippet_list);

  for (guint i = 0; templates != NULL && i < templates->len; i++)
    {
      HeraldTemplateRecord *record = templates->pdata[i];
      g_autofree char *results = herald_template_describe_results (self->workspace, record->name);
      GtkWidget *row = list_row (record->name, record->subject, results);

      g_object_set_data_full (G_OBJECT (row), "record", herald_template_record_copy (record),
                              (GDestroyNotify) herald_template_record_free);
      gtk_list_box_append (self->template_list, row);
      if ((!select_snippet && g_strcmp0 (select, record->name) == 0) || (select == NULL && selected == NULL))
        {
          selected = GTK_LIST_BOX_ROW (row);
          selected_list = self->template_list;
        }
    }

  for (guint i = 0; snippets != NULL && i < snippets->len; i++)
    {
      HeraldSnippet *snippet = snippets->pdata[i];
      GtkWidget *row = list_row (snippet->name, snippet->is_layout ? _("Layout") : _("Snippet"), NULL);
      HeraldSnippet *copy = g_new0 (HeraldSnippet, 1);

      copy->name = g_strdup (snippet->name);
      copy->is_layout = snippet->is_layout;
      copy->body = g_strdup (snippet->body);
      g_object_set_data_full (G_OBJECT (row), "snippet", copy, (GDestroyNotify) herald_snippet_free);
      gtk_list_box_append (self->snippet_list, row);
      if ((select_snippet && g_strcmp0 (select, snippet->name) == 0) || (select == NULL && selected == NULL))
        {
          selected = GTK_LIST_BOX_ROW (row);
          selected_list = self->snippet_list;
        }
    }
  self->loading = FALSE;

  gtk_stack_set_visible_child_name (self->stack, selected != NULL ? "templates" : "empty");
  if (selected != NULL)
    {
      /* Selecting the row being edited again would reload it. */
      if (select != NULL && g_strcmp0 (select, self->current) == 0)
        self->loading = TRUE;
      gtk_list_box_select_row (selected_list, selected);
      self->loading = FALSE;
    }
  else
    g_clear_pointer (&self->current, g_free);

  g_signal_emit (self, signals[TEMPLATES_CHANGED], 0);
}

/* Insert field menu */

static void
add_insert_item (GMenu      *menu,
                 const char *label,
                 const char *text)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target (item, "templates.insert", "s", text);
  g_menu_append_item (menu, item);
}

static void
rebuild_insert_menu (HeraldTemplatesPage *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) fields = g_menu_new ();
  g_autoptr(GMenu) sender = g_menu_new ();
  g_autoptr(GMenu) tags = g_menu_new ();
  g_autoptr(GMenu) segments = g_menu_new ();
  g_autoptr(GPtrArray) segment_list = herald_segments_list (self->workspace, NULL);
  g_auto(GStrv) tag_names = herald_contacts_list_tags (self->workspace);

  g_autoptr(GPtrArray) custom = herald_contacts_list_custom_fields (self->workspace);

  for (guint f = 0; f < HERALD_N_CONTACT_FIELDS; f++)
    {
      g_autofree char *tag = g_strdup_printf ("{{%s}}", herald_contact_field_key (f));

      add_insert_item (fields, herald_contact_field_label (f), tag);
    }
  /* Custom fields go in by the slug templates know them by. */
  for (guint i = 0; custom != NULL && i < custom->len; i++)
    {
      g_autofree char *slug = herald_slug (custom->pdata[i], '_');
      g_autofree char *tag = g_strdup_printf ("{{%s}}", slug);

      add_insert_item (fields, custom->pdata[i], tag);
    }
  g_menu_append_section (menu, _("Contact"), G_MENU_MODEL (fields));

  add_insert_item (sender, _("Sender’s name"), "{{sender.name}}");
  add_insert_item (sender, _("Sender’s email"), "{{sender.email}}");
  add_insert_item (sender, _("Sender’s postal address"), "{{sender.address}}");
  add_insert_item (sender, _("Unsubscribe link"), "<a href=\"{{unsubscribe_url}}\">Unsubscribe</a>");
  g_menu_append_section (menu, _("Sender and Campaign"), G_MENU_MODEL (sender));

  for (guint i = 0; tag_names != NULL && tag_names[i] != NULL; i++)
    {
      g_autofree char *text = g_strdup_printf ("{{#tags.%s}}\n\n{{/tags.%s}}", tag_names[i], tag_names[i]);

      add_insert_item (tags, tag_names[i], text);
    }
  if (tag_names != NULL && tag_names[0] != NULL)
    g_menu_append_submenu (menu, _("Only for Contacts With the Tag"), G_MENU_MODEL (tags));

  for (guint i = 0; segment_list != NULL && i < segment_list->len; i++)
    {
      HeraldSegmentInfo *info = segment_list->pdata[i];
      g_autofree char *slug = herald_slug (info->name, '-');
      g_autofree char *text = g_strdup_printf ("{{#segment.%s}}\n\n{{/segment.%s}}", slug, slug);

      add_insert_item (segments, info->name, text);
    }
  if (segment_list != NULL && segment_list->len > 0)
    g_menu_append_submenu (menu, _("Only for Contacts in the Segment"), G_MENU_MODEL (segments));

  gtk_menu_button_set_menu_model (self->insert_button, G_MENU_MODEL (menu));
}

static void
insert_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  HeraldTemplatesPage *self = user_data;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->source_view));

  gtk_text_buffer_insert_at_cursor (buffer, g_variant_get_string (parameter, NULL), -1);
  gtk_widget_grab_focus (GTK_WIDGET (self->source_view));
}

/* Actions */

static char *
unique_name (HeraldTemplatesPage *self,
             const char          *base,
             gboolean             snippet)
{
  for (guint n = 1; ; n++)
    {
      g_autofree char *name = n == 1 ? g_strdup (base)
                              /* Translators: a name made unique, such as “Welcome 2”. */
                              : g_strdup_printf (snippet ? "%s-%u" : _("%s %u"), base, n);
      g_autoptr(HeraldTemplateRecord) existing = NULL;
      gboolean taken = FALSE;

      if (snippet)
        {
          g_autoptr(GPtrArray) snippets = herald_snippets_list (self->workspace, NULL);

          for (guint i = 0; snippets != NULL && i < snippets->len; i++)
            taken |= g_ascii_strcasecmp (((HeraldSnippet *) snippets->pdata[i])->name, name) == 0;
        }
      else
        taken = (existing = herald_templates_get (self->workspace, name, NULL)) != NULL;

      if (!taken)
        return g_steal_pointer (&name);
    }
}

static void
new_activated (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  HeraldTemplatesPage *self = user_data;
  HeraldStarter starter = g_variant_get_uint32 (parameter);
  g_autoptr(HeraldTemplateRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  if (self->workspace == NULL || starter >= HERALD_N_STARTERS)
    return;

  save_now (self);
  name = unique_name (self, starter == HERALD_STARTER_BLANK ? _("New Template") : herald_starter_get_title (starter), FALSE);
  record = herald_starter_build (starter, name);
  if (!herald_templates_save (self->workspace, record, NULL, &error))
    {
      add_toast (self, adw_toast_new (error->message));
      return;
    }
  reload_lists (self, name, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static void
new_snippet_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  HeraldTemplatesPage *self = user_data;
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;
  HeraldSnippet snippet = { .body = "<p>{{sender.name}}</p>\n" };

  if (self->workspace == NULL)
    return;

  save_now (self);
  /* Snippet names go into tags, {{> footer}}: one word, lower case. */
  name = unique_name (self, "snippet", TRUE);
  snippet.name = name;
  if (!herald_snippets_save (self->workspace, &snippet, NULL, &error))
    {
      add_toast (self, adw_toast_new (error->message));
      return;
    }
  reload_lists (self, name, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static void
duplicate_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  HeraldTemplatesPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *base = NULL;

  if (self->workspace == NULL || self->current == NULL)
    return;
  save_now (self);

  if (self->editing_snippet)
    {
      g_autofree char *body = buffer_text (self->html_buffer);
      HeraldSnippet snippet = { .is_layout = gtk_switch_get_active (self->layout_switch), .body = body };

      base = g_strdup_printf ("%s-copy", self->current);
      name = unique_name (self, base, TRUE);
      snippet.name = name;
      if (!herald_snippets_save (self->workspace, &snippet, NULL, &error))
        add_toast (self, adw_toast_new (error->message));
    }
  else
    {
      g_autoptr(HeraldTemplateRecord) record = current_record (self);

      /* Translators: the name of a copy of a template. */
      base = g_strdup_printf (_("%s (Copy)"), self->current);
      name = unique_name (self, base, FALSE);
      g_free (record->name);
      record->name = g_strdup (name);
      if (!herald_templates_save (self->workspace, record, NULL, &error))
        add_toast (self, adw_toast_new (error->message));
    }
  reload_lists (self, name, self->editing_snippet);
}

static void
undo_delete_cb (AdwToast            *toast,
                HeraldTemplatesPage *self)
{
  HeraldTemplateRecord *record = g_object_get_data (G_OBJECT (toast), "record");
  HeraldSnippet *snippet = g_object_get_data (G_OBJECT (toast), "snippet");
  g_autoptr(GError) error = NULL;

  if (self->workspace == NULL)
    return;
  if ((record != NULL && !herald_templates_save (self->workspace, record, NULL, &error))
      || (snippet != NULL && !herald_snippets_save (self->workspace, snippet, NULL, &error)))
    {
      add_toast (self, adw_toast_new (error->message));
      return;
    }
  reload_lists (self, record != NULL ? record->name : snippet->name, snippet != NULL);
}

static void
delete_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  HeraldTemplatesPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (self->workspace == NULL || self->current == NULL)
    return;
  save_now (self);

  if (self->editing_snippet)
    {
      HeraldSnippet *snippet = g_new0 (HeraldSnippet, 1);

      snippet->name = g_strdup (self->current);
      snippet->is_layout = gtk_switch_get_active (self->layout_switch);
      snippet->body = buffer_text (self->html_buffer);
      if (!herald_snippets_delete (self->workspace, self->current, &error))
        {
          herald_snippet_free (snippet);
          add_toast (self, adw_toast_new (error->message));
          return;
        }
      /* Translators: a toast after deleting a snippet. */
      title = g_strdup_printf (_("Snippet “%s” deleted"), snippet->name);
      toast = adw_toast_new (title);
      g_object_set_data_full (G_OBJECT (toast), "snippet", snippet, (GDestroyNotify) herald_snippet_free);
    }
  else
    {
      HeraldTemplateRecord *record = current_record (self);

      if (!herald_templates_delete (self->workspace, self->current, &error))
        {
          herald_template_record_free (record);
          add_toast (self, adw_toast_new (error->message));
          return;
        }
      g_free (record->name);
      record->name = g_strdup (self->current);
      /* Translators: a toast after deleting a template. */
      title = g_strdup_printf (_("Template “%s” deleted"), record->name);
      toast = adw_toast_new (title);
      g_object_set_data_full (G_OBJECT (toast), "record", record, (GDestroyNotify) herald_template_record_free);
    }

  adw_toast_set_button_label (toast, _("_Undo"));
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_delete_cb), self, 0);
  g_clear_pointer (&self->current, g_free);
  reload_lists (self, NULL, FALSE);
  add_toast (self, toast);
}

/* Export */

static char *
export_content (HeraldTemplatesPage  *self,
                gboolean              mailchimp,
                GPtrArray            *warnings,
                GError              **error)
{
  g_autoptr(HeraldTemplateRecord) record = current_record (self);
  g_autoptr(HeraldTemplateLibrary) library = herald_snippets_load (self->workspace, error);
  g_autoptr(HeraldTemplateContext) context = NULL;
  g_autoptr(HeraldMessage) message = NULL;
  g_autoptr(HeraldTemplate) template = NULL;

  if (library == NULL)
    return NULL;

  if (mailchimp)
    {
      if (!(template = herald_template_new (record->html, NULL, error)))
        return NULL;
      return herald_template_export_mailchimp (template, library, warnings, error);
    }

  /* As the preview shows it, for the contact it shows. */
  context = herald_template_context_new (self->workspace, current_contact (self));
  if (!(message = herald_template_record_render (record, library, context, NULL, error)))
    return NULL;
  return g_strdup (message->html);
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  g_autoptr(HeraldTemplatesPage) self = user_data;
  gboolean mailchimp = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "mailchimp"));
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *content = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);

  if (file == NULL || self->workspace == NULL)
    return;

  if (!(content = export_content (self, mailchimp, warnings, &error))
      || !g_file_replace_contents (file, content, strlen (content), NULL, FALSE,
                                   G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, &error))
    {
      add_toast (self, adw_toast_new (error->message));
      return;
    }

  if (warnings->len > 0)
    {
      g_autoptr(GString) body = g_string_new (NULL);
      GtkWidget *dialog_window;

      for (guint i = 0; i < warnings->len; i++)
        g_string_append_printf (body, "%s• %s", i > 0 ? "\n" : "", (char *) warnings->pdata[i]);
      dialog_window = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              _("Exported With Changes"), body->str);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog_window), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog_window));
    }
  else
    add_toast (self, adw_toast_new (_("Template exported")));
}

static void
export (HeraldTemplatesPage *self,
        gboolean             mailchimp)
{
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  if (self->workspace == NULL || self->current == NULL || self->editing_snippet)
    return;
  save_now (self);

  chooser = gtk_file_chooser_native_new (mailchimp ? _("Export for Mailchimp") : _("Export HTML"),
                                         GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  name = g_strdup_printf ("%s.html", self->current);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_object_set_data (G_OBJECT (chooser), "mailchimp", GINT_TO_POINTER (mailchimp));
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_html_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  export (user_data, FALSE);
}

static void
export_mailchimp_activated (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  export (user_data, TRUE);
}

static const GActionEntry actions[] = {
  { "export-html", export_html_activated },
  { "export-mailchimp", export_mailchimp_activated },
  { "new", new_activated, "u" },
  { "new-snippet", new_snippet_activated },
  { "duplicate", duplicate_activated },
  { "delete", delete_activated },
  { "insert", insert_activated, "s" },
  { "check-data", check_data_activated },
  { "check-links", check_links_activated },
  { "previous-contact", previous_contact_activated },
  { "next-contact", next_contact_activated },
};

static GtkSourceBuffer *
new_buffer (HeraldTemplatesPage *self,
            GCallback            changed)
{
  static GtkSourceLanguageManager *languages;
  GtkSourceBuffer *buffer;
  GtkSourceStyleScheme *scheme;

  if (languages == NULL)
    {
      languages = gtk_source_language_manager_new ();
      gtk_source_language_manager_append_search_path (languages, "resource:///io/github/heraldapp/Herald/language-specs");
    }

  buffer = gtk_source_buffer_new_with_language (gtk_source_language_manager_get_language (languages, "herald-template"));
  gtk_text_buffer_create_tag (GTK_TEXT_BUFFER (buffer), "error",
                              "underline", PANGO_UNDERLINE_ERROR,
                              NULL);
  scheme = gtk_source_style_scheme_manager_get_scheme (gtk_source_style_scheme_manager_get_default (),
                                                       adw_style_manager_get_dark (adw_style_manager_get_default ())
                                                       ? "Adwaita-dark" : "Adwaita");
  if (scheme != NULL)
    gtk_source_buffer_set_style_scheme (buffer, scheme);
  g_signal_connect_object (buffer, "changed", changed, self, G_CONNECT_SWAPPED);
  return buffer;
}

static void
herald_templates_page_dispose (GObject *object)
{
  HeraldTemplatesPage *self = (HeraldTemplatesPage *) object;

  save_now (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), HERALD_TYPE_TEMPLATES_PAGE);

  if (self->linting != NULL)
    g_cancellable_cancel (self->linting);
  g_clear_object (&self->linting);
  g_clear_handle_id (&self->save_source, g_source_remove);
  g_clear_handle_id (&self->preview_source, g_source_remove);
  g_clear_object (&self->actions);
  g_clear_object (&self->workspace);
  g_clear_object (&self->html_buffer);
  g_clear_object (&self->text_buffer);
  g_clear_object (&self->segment_names);
  g_clear_pointer (&self->current, g_free);
  g_clear_pointer (&self->contacts, g_ptr_array_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);

  G_OBJECT_CLASS (herald_templates_page_parent_class)->dispose (object);
}

static void
herald_templates_page_class_init (HeraldTemplatesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = herald_templates_page_dispose;

  /**
   * HeraldTemplatesPage::templates-changed:
   *
   * Emitted when templates or snippets were added, renamed or deleted.
   */
  signals[TEMPLATES_CHANGED] = g_signal_new ("templates-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                             0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_source_init ();
  g_type_ensure (HERALD_TYPE_TEMPLATE_PREVIEW);
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/heraldapp/Herald/herald-templates-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, check_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, contact_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, demo_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, field_use_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, find_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, find_entry);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, html_part_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, insert_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, layout_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, layout_switch);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, lint_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, lint_list);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, lint_spinner);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, links_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, new_menu);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, part_switcher);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, preheader_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, preview);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, segment_drop);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, snippet_list);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, source_view);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, subject_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, template_list);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, text_hint);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, text_part_button);
  gtk_widget_class_bind_template_callback (widget_class, edited_cb);
  gtk_widget_class_bind_template_callback (widget_class, find_contact_cb);
  gtk_widget_class_bind_template_callback (widget_class, part_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, problem_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, segment_changed_cb);
}

static void
herald_templates_page_init (HeraldTemplatesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), actions, G_N_ELEMENTS (actions), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "templates", G_ACTION_GROUP (self->actions));

  gtk_widget_set_has_tooltip (GTK_WIDGET (self->source_view), TRUE);
  g_signal_connect_object (self->source_view, "query-tooltip", G_CALLBACK (query_tooltip_cb), self, G_CONNECT_SWAPPED);

  self->html_buffer = new_buffer (self, G_CALLBACK (edited_cb));
  self->text_buffer = new_buffer (self, G_CALLBACK (text_edited_cb));
  gtk_text_view_set_buffer (GTK_TEXT_VIEW (self->source_view), GTK_TEXT_BUFFER (self->html_buffer));

  self->segment_names = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->segment_drop, G_LIST_MODEL (self->segment_names));
}

void
herald_templates_page_set_workspace (HeraldTemplatesPage *self,
                                     HeraldWorkspace     *workspace,
                                     gboolean             is_demo)
{
  g_autoptr(GPtrArray) segments = NULL;

  g_return_if_fail (HERALD_IS_TEMPLATES_PAGE (self));
  g_return_if_fail (HERALD_IS_WORKSPACE (workspace));

  save_now (self);
  if (self->linting != NULL)
    g_cancellable_cancel (self->linting);
  g_set_object (&self->workspace, workspace);
  g_clear_pointer (&self->current, g_free);
  gtk_widget_set_visible (self->demo_button, !is_demo);

  /* The segments to preview contacts from. */
  self->loading = TRUE;
  gtk_string_list_splice (self->segment_names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->segment_names)), NULL);
  gtk_string_list_append (self->segment_names, _("All contacts"));
  segments = herald_segments_list (workspace, NULL);
  for (guint i = 0; segments != NULL && i < segments->len; i++)
    gtk_string_list_append (self->segment_names, ((HeraldSegmentInfo *) segments->pdata[i])->name);
  gtk_drop_down_set_selected (self->segment_drop, 0);
  self->loading = FALSE;

  load_contacts (self);
  rebuild_insert_menu (self);
  reload_lists (self, NULL, FALSE);
}

/**
 * herald_templates_page_reload_results:
 *
 * Shows again, under each template, what the campaigns that sent it
 * brought; the template being edited stays as it is.
 */
void
herald_templates_page_reload_results (HeraldTemplatesPage *self)
{
  g_return_if_fail (HERALD_IS_TEMPLATES_PAGE (self));

  if (self->workspace != NULL)
    reload_lists (self, self->current, self->editing_snippet);
}

/**
 * herald_templates_page_get_actions:
 *
 * Returns: (transfer none): the page's actions, "templates.…"
 */
GActionGroup *
herald_templates_page_get_actions (HeraldTemplatesPage *self)
{
  g_return_val_if_fail (HERALD_IS_TEMPLATES_PAGE (self), NULL);

  return G_ACTION_GROUP (self->actions);
}

/**
 * herald_templates_page_get_new_menu:
 *
 * Returns: (transfer none): the menu of starters for a new template
 */
GMenuModel *
herald_templates_page_get_new_menu (HeraldTemplatesPage *self)
{
  g_return_val_if_fail (HERALD_IS_TEMPLATES_PAGE (self), NULL);

  return self->new_menu;
}
