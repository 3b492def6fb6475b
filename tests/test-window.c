/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "herald-application.h"
#include "herald-audience-page.h"
#include "herald-core.h"
#include "herald-flow-canvas.h"
#include "herald-flows-page.h"
#include "herald-forecast-panel.h"
#include "herald-import-assistant.h"
#include "herald-preferences-window.h"
#include "herald-results-mapping-dialog.h"
#include "herald-results-page.h"
#include "herald-segments-page.h"
#include "herald-template-preview.h"
#include "herald-templates-page.h"
#include "herald-test-ui.h"
#include "herald-test-utils.h"
#include "herald-window.h"
#include "herald-workspace-private.h"

static char *tmpdir;

/* Destroys @window and checks that nothing kept it alive. */
static void
assert_finalized (GtkWindow *window)
{
  gpointer weak = window;

  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_destroy (window);
  flush_main_loop ();
  g_assert_null (weak);
}

/* The label showing @text, anywhere below @widget. */
static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static HeraldWorkspace *
new_workspace (const char *name)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;
  HeraldWorkspace *workspace;

  workspace = herald_workspace_open (path, HERALD_WORKSPACE_OPEN_CREATE, &error);
  g_assert_no_error (error);

  return workspace;
}

static void
test_window_pages (void)
{
  static const char * const pages[] = { "audience", "segments", "templates", "flows", "results" };
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  HeraldWindow *window;
  GtkStack *stack;

  workspace = herald_demo_open (&error);
  g_assert_no_error (error);

  window = herald_window_new (NULL);
  herald_window_set_workspace (window, workspace);
  g_assert_true (herald_window_get_workspace (window) == workspace);
  gtk_window_present (GTK_WINDOW (window));
  flush_main_loop ();

  g_assert_true (g_str_has_prefix (gtk_window_get_title (GTK_WINDOW (window)), "Demo"));

  stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (window), HERALD_TYPE_WINDOW, "stack"));
  g_assert_nonnull (stack);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      herald_window_show_page (window, pages[i]);
      flush_main_loop ();
      g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, pages[i]);
    }

  /* The same pages through the window's action, as the keyboard reaches them. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "flows");
  flush_main_loop ();
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "flows");

  assert_finalized (GTK_WINDOW (window));
}

static void
test_window_audience (void)
{
  g_autoptr(HeraldWorkspace) empty = new_workspace ("empty.herald");
  g_autoptr(HeraldWorkspace) demo = NULL;
  g_autoptr(GError) error = NULL;
  HeraldWindow *window;
  GtkWidget *page;
  GtkStack *page_stack;
  GtkColumnView *column_view;
  GListModel *model;

  window = herald_window_new (NULL);
  herald_window_set_workspace (window, empty);
  gtk_window_present (GTK_WINDOW (window));
  flush_main_loop ();

  page = find_descendant (GTK_WIDGET (window), HERALD_TYPE_AUDIENCE_PAGE);
  g_assert_nonnull (page);
  page_stack = GTK_STACK (gtk_widget_get_template_child (page, HERALD_TYPE_AUDIENCE_PAGE, "stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page_stack), ==, "empty");

  /* Switching to the demo fills the audience. */
  demo = herald_demo_open (&error);
  g_assert_no_error (error);
  herald_window_set_workspace (window, demo);
  flush_main_loop ();
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page_stack), ==, "contacts");

  column_view = GTK_COLUMN_VIEW (find_descendant (page, GTK_TYPE_COLUMN_VIEW));
  model = G_LIST_MODEL (gtk_column_view_get_model (column_view));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==,
                    herald_workspace_count (demo, HERALD_COLLECTION_CONTACTS, NULL));

  assert_finalized (GTK_WINDOW (window));
}

/* Waits for a list that reloads in the background to have its rows. */
/* Changes to contacts run in a worker thread; export is enabled again
 * when they are done. */
static void
wait_for_audience (HeraldAudiencePage *page)
{
  GActionGroup *actions = herald_audience_page_get_actions (page);

  while (!g_action_group_get_action_enabled (actions, "export"))
    g_main_context_iteration (NULL, TRUE);
  flush_main_loop ();
}

static void
wait_for_list (GListModel *model)
{
  GListModel *contacts = gtk_multi_selection_get_model (GTK_MULTI_SELECTION (model));
  gboolean loading = TRUE;

  while (loading)
    {
      g_object_get (contacts, "loading", &loading, NULL);
      if (loading)
        g_main_context_iteration (NULL, TRUE);
    }
  flush_main_loop ();
}

/* What a click does, without the pressed animation gtk_widget_activate()
 * waits for. */
static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  flush_main_loop ();
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  /* A button's label, or the label it holds when that one wraps. */
  if (GTK_IS_BUTTON (widget))
    {
      GtkWidget *child = gtk_button_get_child (GTK_BUTTON (widget));
      const char *text = GTK_IS_LABEL (child) ? gtk_label_get_label (GTK_LABEL (child))
                                              : gtk_button_get_label (GTK_BUTTON (widget));

      if (g_strcmp0 (text, label) == 0)
        return widget;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static HeraldImportAssistant *
find_assistant (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (HERALD_IS_IMPORT_ASSISTANT (window))
        return HERALD_IMPORT_ASSISTANT (window);
    }

  return NULL;
}

static void
test_audience_import (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ("audience.herald");
  g_autofree char *csv = g_build_filename (tmpdir, "people.csv", NULL);
  HeraldWindow *window;
  HeraldAudiencePage *page;
  HeraldImportAssistant *assistant;
  GtkWidget *next;
  GtkStack *steps;
  GtkColumnView *column_view;
  GtkSelectionModel *selection;
  GListModel *contacts;

  g_assert_true (g_file_set_contents (csv,
                                      "Email,First Name,Last Name,Company\n"
                                      "anna@example.com,Anna,Schmidt,Brightpath\n"
                                      "bo@example.com,Bo,Lind,Fjordlys\n"
                                      "broken-address,Cy,Moe,Acme\n", -1, NULL));

  window = herald_window_new (NULL);
  herald_window_set_workspace (window, workspace);
  gtk_window_present (GTK_WINDOW (window));
  flush_main_loop ();

  page = HERALD_AUDIENCE_PAGE (find_descendant (GTK_WIDGET (window), HERALD_TYPE_AUDIENCE_PAGE));
  herald_audience_page_import_file (page, csv);
  flush_main_loop ();

  assistant = find_assistant ();
  g_assert_nonnull (assistant);
  steps = GTK_STACK (template_child (assistant, HERALD_TYPE_IMPORT_ASSISTANT, "stack"));
  next = template_child (assistant, HERALD_TYPE_IMPORT_ASSISTANT, "next_button");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (steps), ==, "columns");

  /* Columns, then options (Back keeps what was chosen), then the import. */
  click (next);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (steps), ==, "options");
  click (template_child (assistant, HERALD_TYPE_IMPORT_ASSISTANT, "back_button"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (steps), ==, "columns");
  click (next);
  click (next);

  while (!g_str_equal (gtk_stack_get_visible_child_name (steps), "summary"))
    g_main_context_iteration (NULL, TRUE);
  flush_main_loop ();

  g_assert_true (gtk_widget_get_visible (template_child (assistant, HERALD_TYPE_IMPORT_ASSISTANT, "rejected_group")));
  click (next);
  g_assert_null (find_assistant ());

  /* The page shows the new contacts, and the window counts them. */
  column_view = GTK_COLUMN_VIEW (template_child (page, HERALD_TYPE_AUDIENCE_PAGE, "column_view"));
  selection = gtk_column_view_get_model (column_view);
  contacts = G_LIST_MODEL (selection);
  g_assert_cmpuint (g_list_model_get_n_items (contacts), ==, 2);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (template_child (window, HERALD_TYPE_WINDOW, "audience_count"))),
                   ==, "2");

  /* Both selected: tagged together, and filtered by that tag. */
  gtk_selection_model_select_all (selection);
  flush_main_loop ();
  g_action_group_activate_action (herald_audience_page_get_actions (page), "remove-tag", g_variant_new_string ("none"));
  wait_for_audience (page);
  g_assert_true (g_action_group_get_action_enabled (herald_audience_page_get_actions (page), "add-tag"));
  g_assert_false (g_action_group_get_action_enabled (herald_audience_page_get_actions (page), "erase"));

  /* Selecting one shows its detail, where a field can be edited. */
  gtk_selection_model_select_item (selection, 0, TRUE);
  flush_main_loop ();
  g_assert_true (g_action_group_get_action_enabled (herald_audience_page_get_actions (page), "erase"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (template_child (page, HERALD_TYPE_AUDIENCE_PAGE,
                                                                                "detail_stack"))), ==, "contact");
  {
    GtkWidget *row = find_descendant (template_child (page, HERALD_TYPE_AUDIENCE_PAGE, "detail_scroller"),
                                      ADW_TYPE_ENTRY_ROW);
    g_autoptr(HeraldContact) edited = NULL;

    /* The first entry row is the address. */
    gtk_editable_set_text (GTK_EDITABLE (row), "anna.schmidt@example.com");
    g_signal_emit_by_name (row, "apply");
    flush_main_loop ();
    edited = herald_contacts_lookup (workspace, "anna.schmidt@example.com", NULL);
    g_assert_nonnull (edited);
    g_clear_object (&edited);

    /* Enter saves too. */
    row = find_descendant (template_child (page, HERALD_TYPE_AUDIENCE_PAGE, "detail_scroller"), ADW_TYPE_ENTRY_ROW);
    gtk_editable_set_text (GTK_EDITABLE (row), "anna.s@example.com");
    g_signal_emit_by_name (row, "entry-activated");
    flush_main_loop ();
    edited = herald_contacts_lookup (workspace, "anna.s@example.com", NULL);
    g_assert_nonnull (edited);
  }

  /* The status filter narrows the list. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (template_child (page, HERALD_TYPE_AUDIENCE_PAGE, "status_filter")), 2);
  wait_for_list (contacts);
  g_assert_cmpuint (g_list_model_get_n_items (contacts), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (template_child (page, HERALD_TYPE_AUDIENCE_PAGE,
                                                                                "list_stack"))), ==, "no-results");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (template_child (page, HERALD_TYPE_AUDIENCE_PAGE, "status_filter")), 0);
  wait_for_list (contacts);
  g_assert_cmpuint (g_list_model_get_n_items (contacts), ==, 2);
  gtk_selection_model_select_item (selection, 0, TRUE);
  flush_main_loop ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "audience.delete", NULL));
  wait_for_audience (page);
  g_assert_cmpint (herald_workspace_count (workspace, HERALD_COLLECTION_CONTACTS, NULL), ==, 1);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (template_child (window, HERALD_TYPE_WINDOW, "audience_count"))),
                   ==, "1");

  /* Searching narrows the list. */
  gtk_editable_set_text (GTK_EDITABLE (template_child (page, HERALD_TYPE_AUDIENCE_PAGE, "search_entry")), "zzz");
  while (g_list_model_get_n_items (contacts) != 0)
    g_main_context_iteration (NULL, TRUE);
  wait_for_list (contacts);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (template_child (page, HERALD_TYPE_AUDIENCE_PAGE,
                                                                                "list_stack"))), ==, "no-results");

  assert_finalized (GTK_WINDOW (window));
}

static void spin (guint milliseconds);

static void
test_segments_page (void)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  HeraldWindow *window;
  GtkWidget *page;
  GtkLabel *count_label;
  GtkListBox *list;
  GActionGroup *actions;
  gint64 before;

  workspace = herald_demo_open (&error);
  g_assert_no_error (error);
  before = herald_workspace_count (workspace, HERALD_COLLECTION_SEGMENTS, NULL);

  window = herald_window_new (NULL);
  herald_window_set_workspace (window, workspace);
  gtk_window_present (GTK_WINDOW (window));
  herald_window_show_page (window, "segments");

  page = find_descendant (GTK_WIDGET (window), HERALD_TYPE_SEGMENTS_PAGE);
  count_label = GTK_LABEL (template_child (page, HERALD_TYPE_SEGMENTS_PAGE, "count_label"));
  list = GTK_LIST_BOX (template_child (page, HERALD_TYPE_SEGMENTS_PAGE, "segment_list"));
  actions = herald_segments_page_get_actions (HERALD_SEGMENTS_PAGE (page));

  /* The first saved segment is open, and its live count arrives. */
  g_assert_nonnull (gtk_list_box_get_selected_row (list));
  while (!g_str_has_suffix (gtk_label_get_label (count_label), "contacts"))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (g_ascii_strtoll (gtk_label_get_label (count_label), NULL, 10), ==,
                   herald_segments_count (workspace, "Finance decision-makers", NULL, NULL));

  /* A new segment with one rule group, saved and then deleted. */
  g_action_group_activate_action (actions, "new", NULL);
  flush_main_loop ();
  click (find_button (template_child (page, HERALD_TYPE_SEGMENTS_PAGE, "rules_bin"), "Add _Rule"));
  gtk_editable_set_text (GTK_EDITABLE (template_child (page, HERALD_TYPE_SEGMENTS_PAGE, "name_row")), "Industry set");
  g_action_group_activate_action (actions, "save", NULL);
  flush_main_loop ();
  g_assert_cmpint (herald_workspace_count (workspace, HERALD_COLLECTION_SEGMENTS, NULL), ==, before + 1);
  g_assert_cmpint (herald_segments_count (workspace, "Industry set", NULL, NULL), ==, 0);

  /* A second rule, moved above the first from its handle's menu. */
  click (find_button (template_child (page, HERALD_TYPE_SEGMENTS_PAGE, "rules_bin"), "Add _Group"));
  click (find_button (template_child (page, HERALD_TYPE_SEGMENTS_PAGE, "rules_bin"), "Move _Down"));
  spin (50);
  g_action_group_activate_action (actions, "save", NULL);
  flush_main_loop ();
  {
    g_autoptr(GPtrArray) saved = herald_segments_list (workspace, NULL);

    for (guint i = 0; i < saved->len; i++)
      {
        HeraldSegmentInfo *info = saved->pdata[i];

        if (g_str_equal (info->name, "Industry set"))
          g_assert_true (strstr (info->rules, "\"match\"") < strstr (info->rules, "\"field\""));
      }
  }

  g_action_group_activate_action (actions, "delete", NULL);
  flush_main_loop ();
  g_assert_cmpint (herald_workspace_count (workspace, HERALD_COLLECTION_SEGMENTS, NULL), ==, before);

  assert_finalized (GTK_WINDOW (window));
}

static char *
source_text (GtkWidget *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
test_templates_page (void)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(HeraldTemplateRecord) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_label = NULL;
  g_autofree char *html = NULL;
  HeraldWindow *window;
  GtkWidget *page;
  GtkWidget *preview;
  GtkWidget *source;
  GtkLabel *contact_label;
  GtkLabel *lint_label;
  GActionGroup *actions;
  GtkTextIter end;
  gint64 before;

  workspace = herald_demo_open (&error);
  g_assert_no_error (error);
  before = herald_workspace_count (workspace, HERALD_COLLECTION_TEMPLATES, NULL);
  g_assert_cmpint (before, ==, 5);

  window = herald_window_new (NULL);
  herald_window_set_workspace (window, workspace);
  gtk_window_present (GTK_WINDOW (window));
  herald_window_show_page (window, "templates");
  flush_main_loop ();

  page = find_descendant (GTK_WIDGET (window), HERALD_TYPE_TEMPLATES_PAGE);
  actions = herald_templates_page_get_actions (HERALD_TEMPLATES_PAGE (page));
  source = template_child (page, HERALD_TYPE_TEMPLATES_PAGE, "source_view");
  preview = template_child (page, HERALD_TYPE_TEMPLATES_PAGE, "preview");
  contact_label = GTK_LABEL (template_child (page, HERALD_TYPE_TEMPLATES_PAGE, "contact_label"));
  lint_label = GTK_LABEL (template_child (page, HERALD_TYPE_TEMPLATES_PAGE, "lint_label"));

  /* The first template is open, previewed as the first demo contact. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (template_child (page, HERALD_TYPE_TEMPLATES_PAGE, "name_row"))),
                   ==, "Onboarding");
  html = source_text (source);
  g_assert_true (g_str_has_prefix (html, "<!DOCTYPE html>"));
  g_assert_true (g_str_has_suffix (gtk_label_get_label (contact_label), "1 of 200"));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_widget_get_template_child (preview, HERALD_TYPE_TEMPLATE_PREVIEW,
                                                                                   "subject_label"))),
                   ==, "Your first three steps");
  g_assert_cmpstr (gtk_label_get_label (lint_label), ==, "No problems found");

  /* Stepping through contacts. */
  first_label = g_strdup (gtk_label_get_label (contact_label));
  g_action_group_activate_action (actions, "next-contact", NULL);
  flush_main_loop ();
  g_assert_true (g_str_has_suffix (gtk_label_get_label (contact_label), "2 of 200"));
  g_action_group_activate_action (actions, "previous-contact", NULL);
  g_action_group_activate_action (actions, "previous-contact", NULL);
  flush_main_loop ();
  g_assert_true (g_str_has_suffix (gtk_label_get_label (contact_label), "200 of 200"));

  /* One contact picked by address goes first. */
  {
    g_autoptr(GPtrArray) some = herald_segment_preview (workspace, "{\"rules\": []}", 5, NULL);
    GtkWidget *find = template_child (page, HERALD_TYPE_TEMPLATES_PAGE, "find_entry");
    g_autofree char *name = herald_contact_dup_full_name (some->pdata[4]);

    gtk_editable_set_text (GTK_EDITABLE (find), herald_contact_get_email (some->pdata[4]));
    g_signal_emit_by_name (find, "activate");
    flush_main_loop ();
    g_assert_true (g_str_has_prefix (gtk_label_get_label (contact_label), name));
    g_assert_true (g_str_has_suffix (gtk_label_get_label (contact_label), "1 of 201"));
  }

  /* A broken tag is reported with its place, and the edit is saved. */
  gtk_text_buffer_get_end_iter (gtk_text_view_get_buffer (GTK_TEXT_VIEW (source)), &end);
  gtk_text_buffer_insert (gtk_text_view_get_buffer (GTK_TEXT_VIEW (source)), &end, "{{#industry}}", -1);
  spin (600);
  g_assert_cmpstr (gtk_label_get_label (lint_label), ==, "1 problem");
  saved = herald_templates_get (workspace, "Onboarding", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (saved->html, "{{#industry}}"));

  /* A new template from a starter, then deleted. */
  g_action_group_activate_action (actions, "new", g_variant_new_uint32 (HERALD_STARTER_WELCOME));
  flush_main_loop ();
  g_assert_cmpint (herald_workspace_count (workspace, HERALD_COLLECTION_TEMPLATES, NULL), ==, before + 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (template_child (page, HERALD_TYPE_TEMPLATES_PAGE, "name_row"))),
                   ==, "Welcome 2");
  g_action_group_activate_action (actions, "delete", NULL);
  flush_main_loop ();
  g_assert_cmpint (herald_workspace_count (workspace, HERALD_COLLECTION_TEMPLATES, NULL), ==, before);

  assert_finalized (GTK_WINDOW (window));
}

static void
test_flows_page (void)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(HeraldFlow) saved = NULL;
  g_autoptr(GError) error = NULL;
  HeraldWindow *window;
  GtkWidget *page;
  HeraldFlowCanvas *canvas;
  GActionGroup *actions;
  GtkLabel *problems;
  double x;

  workspace = herald_demo_open (&error);
  g_assert_no_error (error);

  window = herald_window_new (NULL);
  herald_window_set_workspace (window, workspace);
  gtk_window_present (GTK_WINDOW (window));
  herald_window_show_page (window, "flows");
  spin (100);

  page = find_descendant (GTK_WIDGET (window), HERALD_TYPE_FLOWS_PAGE);
  canvas = HERALD_FLOW_CANVAS (template_child (page, HERALD_TYPE_FLOWS_PAGE, "canvas"));
  problems = GTK_LABEL (template_child (page, HERALD_TYPE_FLOWS_PAGE, "problems_label"));
  actions = herald_flows_page_get_actions (HERALD_FLOWS_PAGE (page));

  /* The demo's flow is open, fitted into view, and has no problems. */
  g_assert_nonnull (herald_flow_canvas_get_flow (canvas));
  g_assert_cmpstr (gtk_label_get_label (problems), ==, "No problems found");
  for (guint i = 0; i < 40 && herald_flow_canvas_count_drawn (canvas) < 9; i++)
    spin (50);
  g_assert_cmpuint (herald_flow_canvas_count_drawn (canvas), >, 0);

  /* A step moved with the keyboard is saved a moment later. */
  herald_flow_canvas_select (canvas, "wait");
  x = herald_flow_get_node (herald_flow_canvas_get_flow (canvas), "wait")->x;
  g_assert_true (herald_flow_canvas_move_selection (canvas, 10, 0));
  spin (500);
  saved = herald_flows_get (workspace, "Webinar welcome series", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (herald_flow_get_node (saved, "wait")->x, ==, x + 10);

  /* Deleting a step leaves problems, which undo takes away again. */
  g_action_group_activate_action (actions, "delete-steps", NULL);
  flush_main_loop ();
  g_assert_null (herald_flow_get_node (herald_flow_canvas_get_flow (canvas), "wait"));
  g_assert_cmpstr (gtk_label_get_label (problems), !=, "No problems found");
  g_action_group_activate_action (actions, "undo", NULL);
  flush_main_loop ();
  g_assert_nonnull (herald_flow_get_node (herald_flow_canvas_get_flow (canvas), "wait"));
  g_assert_cmpstr (gtk_label_get_label (problems), ==, "No problems found");
  g_action_group_activate_action (actions, "redo", NULL);
  g_action_group_activate_action (actions, "undo", NULL);

  /* A new step from the palette, connected after the goal in place of the exit. */
  click (find_button (template_child (page, HERALD_TYPE_FLOWS_PAGE, "palette"), "Task"));
  flush_main_loop ();
  g_assert_nonnull (herald_flow_get_node (herald_flow_canvas_get_flow (canvas), "task1"));
  g_assert_true (herald_flow_canvas_connect (canvas, "purchase", "out", "task1"));
  g_assert_true (herald_flow_canvas_connect (canvas, "task1", "out", "end"));
  g_assert_cmpstr (gtk_label_get_label (problems), ==, "No problems found");
  g_assert_false (herald_flow_canvas_connect (canvas, "task1", "out", "start"));

  /* Duplicating the selection, then undoing it. */
  {
    guint before = herald_flow_get_nodes (herald_flow_canvas_get_flow (canvas))->len;

    herald_flow_canvas_select (canvas, "wait");
    g_assert_true (herald_flow_canvas_duplicate (canvas));
    g_assert_cmpuint (herald_flow_get_nodes (herald_flow_canvas_get_flow (canvas))->len, ==, before + 1);
    g_action_group_activate_action (actions, "undo", NULL);
    flush_main_loop ();
    g_assert_cmpuint (herald_flow_get_nodes (herald_flow_canvas_get_flow (canvas))->len, ==, before);
  }

  /* Copying a step and pasting it twice makes two new steps. */
  {
    guint before = herald_flow_get_nodes (herald_flow_canvas_get_flow (canvas))->len;

    herald_flow_canvas_select (canvas, "welcome");
    g_assert_true (herald_flow_canvas_copy (canvas));
    g_assert_true (herald_flow_canvas_paste (canvas));
    g_assert_true (herald_flow_canvas_paste (canvas));
    g_assert_cmpuint (herald_flow_get_nodes (herald_flow_canvas_get_flow (canvas))->len, ==, before + 2);
    g_action_group_activate_action (actions, "undo", NULL);
    g_action_group_activate_action (actions, "undo", NULL);
    flush_main_loop ();
    g_assert_cmpuint (herald_flow_get_nodes (herald_flow_canvas_get_flow (canvas))->len, ==, before);
  }

  /* Arranging moves the steps and can be undone. */
  g_action_group_activate_action (actions, "arrange", NULL);
  flush_main_loop ();
  g_assert_true (herald_flow_canvas_can_undo (canvas));
  g_action_group_activate_action (actions, "undo", NULL);
  flush_main_loop ();

  /* A new flow from a starter opens on the canvas; deleting it goes back. */
  g_action_group_activate_action (actions, "new", g_variant_new_uint32 (HERALD_FLOW_STARTER_SALES_CADENCE));
  flush_main_loop ();
  g_assert_cmpstr (herald_flow_get_name (herald_flow_canvas_get_flow (canvas)), ==, "Sales cadence");
  g_assert_cmpint (herald_workspace_count (workspace, HERALD_COLLECTION_FLOWS, NULL), ==, 2);
  g_action_group_activate_action (actions, "delete-flow", NULL);
  flush_main_loop ();
  g_assert_cmpint (herald_workspace_count (workspace, HERALD_COLLECTION_FLOWS, NULL), ==, 1);
  g_assert_cmpstr (herald_flow_get_name (herald_flow_canvas_get_flow (canvas)), ==, "Webinar welcome series");

  /* The selected step's settings, changed in the inspector. */
  herald_flow_canvas_select (canvas, "wait");
  flush_main_loop ();
  {
    GtkWidget *inspector = template_child (page, HERALD_TYPE_FLOWS_PAGE, "inspector");
    GtkWidget *spin_button = find_descendant (inspector, GTK_TYPE_SPIN_BUTTON);

    g_assert_nonnull (spin_button);

    /* Enter on the step moves the focus into its settings. */
    g_signal_emit_by_name (canvas, "activate-step");
    g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), inspector));

    gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin_button), 5);
    flush_main_loop ();
    g_assert_cmpint (json_object_get_int_member (herald_flow_get_node (herald_flow_canvas_get_flow (canvas),
                                                                       "wait")->config, "days"), ==, 5);
    g_action_group_activate_action (actions, "undo", NULL);
    flush_main_loop ();
    g_assert_cmpint (json_object_get_int_member (herald_flow_get_node (herald_flow_canvas_get_flow (canvas),
                                                                       "wait")->config, "days"), ==, 2);
  }
  spin (500);

  /* Forecast mode: figures for the flow on the canvas, recomputed as the
   * audience, the what-if slider and the assumptions change. */
  {
    GtkWidget *panel = template_child (page, HERALD_TYPE_FLOWS_PAGE, "forecast_panel");
    HeraldForecast *forecast;
    double sent, opens, value;

    g_action_group_activate_action (actions, "forecast", NULL);
    for (guint i = 0; i < 100 && herald_forecast_panel_get_forecast (HERALD_FORECAST_PANEL (panel)) == NULL; i++)
      spin (20);
    forecast = herald_forecast_panel_get_forecast (HERALD_FORECAST_PANEL (panel));
    g_assert_nonnull (forecast);
    g_assert_cmpfloat (forecast->audience, >, 0);
    g_assert_cmpfloat (forecast->emails_sent, >=, forecast->audience);

    herald_forecast_panel_set_audience (HERALD_FORECAST_PANEL (panel), 10000);
    forecast = herald_forecast_panel_get_forecast (HERALD_FORECAST_PANEL (panel));
    g_assert_cmpfloat (forecast->audience, ==, 10000);
    sent = forecast->emails_sent;
    opens = forecast->opens;
    g_assert_cmpfloat (herald_forecast_get_node (forecast, "welcome")->sent, ==, 10000);

    /* Opens 50 % better: more clicks and conversions, the same sends. The
     * forecast shown is a new one. */
    herald_forecast_panel_set_what_if (HERALD_FORECAST_PANEL (panel), 1.5);
    forecast = herald_forecast_panel_get_forecast (HERALD_FORECAST_PANEL (panel));
    g_assert_cmpfloat (forecast->emails_sent, ==, sent);
    g_assert_cmpfloat (forecast->opens, >, opens);
    herald_forecast_panel_set_what_if (HERALD_FORECAST_PANEL (panel), 1.0);

    /* An assumption set in the panel belongs to the flow, with undo. */
    {
      GtkWidget *group = template_child (panel, HERALD_TYPE_FORECAST_PANEL, "assumptions_group");
      GtkWidget *open_rate = find_descendant (group, GTK_TYPE_SPIN_BUTTON);

      gtk_spin_button_set_value (GTK_SPIN_BUTTON (open_rate), 50);
      flush_main_loop ();
      g_assert_true (herald_flow_lookup_figure (herald_flow_canvas_get_flow (canvas), "assumptions", "open_rate", &value));
      g_assert_cmpfloat (value, ==, 0.5);
      forecast = herald_forecast_panel_get_forecast (HERALD_FORECAST_PANEL (panel));
      g_assert_cmpint (forecast->rate_sources[HERALD_RATE_OPEN], ==, HERALD_SOURCE_FLOW);
      g_action_group_activate_action (actions, "undo", NULL);
      flush_main_loop ();
      g_assert_true (herald_flow_lookup_figure (herald_flow_canvas_get_flow (canvas), "assumptions", "open_rate", &value));
      g_assert_cmpfloat (value, ==, 0.42);
    }

    g_action_group_activate_action (actions, "forecast", NULL);
    flush_main_loop ();
    g_assert_false (herald_forecast_panel_get_active (HERALD_FORECAST_PANEL (panel)));
  }
  spin (500);

  assert_finalized (GTK_WINDOW (window));
}

static void
test_preferences (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ("preferences.herald");
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *currency = NULL;
  HeraldPreferencesWindow *preferences;
  GtkWidget *entry_row;
  GtkWidget *combo_row;

  g_assert_true (herald_workspace_set_setting (workspace, "currency", "GBP", &error));
  g_assert_no_error (error);

  preferences = herald_preferences_window_new (workspace);
  gtk_window_present (GTK_WINDOW (preferences));
  flush_main_loop ();

  combo_row = find_descendant (GTK_WIDGET (preferences), ADW_TYPE_COMBO_ROW);
  g_assert_nonnull (combo_row);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (combo_row)), ==, 2);

  /* The first entry row is the sender's name; typing there saves it. */
  entry_row = find_descendant (GTK_WIDGET (preferences), ADW_TYPE_ENTRY_ROW);
  g_assert_nonnull (entry_row);
  gtk_editable_set_text (GTK_EDITABLE (entry_row), "Maya Lindner");
  flush_main_loop ();
  name = herald_workspace_get_setting (workspace, "sender.name");
  g_assert_cmpstr (name, ==, "Maya Lindner");

  adw_combo_row_set_selected (ADW_COMBO_ROW (combo_row), 1);
  currency = herald_workspace_get_setting (workspace, "currency");
  g_assert_cmpstr (currency, ==, "USD");

  /* The forecast defaults: a spin button for each rate, in percent, then
   * one for each cost, each in a row titled with its label. */
  {
    g_autoptr(GPtrArray) spins = g_ptr_array_new ();
    g_autofree char *open_rate = NULL;
    g_autofree char *unsubscribe_rate = NULL;
    g_autofree char *minutes = NULL;
    g_autofree char *click_rate = NULL;
    GtkWidget *root = GTK_WIDGET (preferences);
    GtkWidget *row;

    /* The window's widgets in document order. */
    for (GtkWidget *widget = root; widget != NULL;)
      {
        if (GTK_IS_SPIN_BUTTON (widget))
          g_ptr_array_add (spins, widget);

        if (!GTK_IS_SPIN_BUTTON (widget) && gtk_widget_get_first_child (widget) != NULL)
          {
            widget = gtk_widget_get_first_child (widget);
            continue;
          }
        while (widget != root && gtk_widget_get_next_sibling (widget) == NULL)
          widget = gtk_widget_get_parent (widget);
        widget = widget != root ? gtk_widget_get_next_sibling (widget) : NULL;
      }

    /* First, on the workspace page, the attribution window in days. */
    g_assert_cmpuint (spins->len, ==, 1 + HERALD_N_RATES + HERALD_N_COSTS);
    row = gtk_widget_get_ancestor (spins->pdata[0], ADW_TYPE_ACTION_ROW);
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Attribution Window");
    g_assert_cmpfloat (gtk_spin_button_get_value (spins->pdata[0]), ==, 5);
    gtk_spin_button_set_value (spins->pdata[0], 12);
    g_assert_cmpuint (herald_results_get_attribution_window (workspace), ==, 12);
    g_ptr_array_remove_index (spins, 0);

    for (guint i = 0; i < HERALD_N_RATES; i++)
      {
        row = gtk_widget_get_ancestor (spins->pdata[i], ADW_TYPE_ACTION_ROW);
        g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, herald_rate_label (i));
      }
    for (guint i = 0; i < HERALD_N_COSTS; i++)
      {
        row = gtk_widget_get_ancestor (spins->pdata[HERALD_N_RATES + i], ADW_TYPE_ACTION_ROW);
        g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, herald_cost_label (i));
      }

    /* Unset settings show Herald's defaults and stay unset. */
    g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (spins->pdata[HERALD_RATE_CLICK]),
                                    100.0 * herald_rate_default (HERALD_RATE_CLICK), 1e-9);
    g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (spins->pdata[HERALD_N_RATES + HERALD_COST_PER_1000]),
                                    herald_cost_default (HERALD_COST_PER_1000), 1e-9);
    click_rate = herald_workspace_get_setting (workspace, "forecast.click_rate");
    g_assert_null (click_rate);

    /* Money is in the workspace currency, shown after the number. */
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_widget_get_next_sibling (spins->pdata[HERALD_N_RATES + HERALD_COST_PER_1000]))),
                     ==, "USD");

    /* A changed value is saved at once, as a fraction for a rate. */
    gtk_spin_button_set_value (spins->pdata[HERALD_RATE_OPEN], 40.0);
    open_rate = herald_workspace_get_setting (workspace, "forecast.open_rate");
    g_assert_cmpstr (open_rate, ==, "0.4");
    gtk_spin_button_set_value (spins->pdata[HERALD_RATE_UNSUBSCRIBE], 0.25);
    unsubscribe_rate = herald_workspace_get_setting (workspace, "forecast.unsubscribe_rate");
    g_assert_cmpstr (unsubscribe_rate, ==, "0.0025");
    gtk_spin_button_set_value (spins->pdata[HERALD_N_RATES + HERALD_COST_TASK_MINUTES], 15.0);
    minutes = herald_workspace_get_setting (workspace, "forecast.task_minutes");
    g_assert_cmpstr (minutes, ==, "15");

    /* A number still being typed is saved when the window closes. */
    adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (preferences),
                                             ADW_PREFERENCES_PAGE (gtk_widget_get_ancestor (spins->pdata[HERALD_RATE_OPEN],
                                                                                            ADW_TYPE_PREFERENCES_PAGE)));
    flush_main_loop ();
    g_assert_true (gtk_widget_grab_focus (spins->pdata[HERALD_RATE_OPEN]));
    gtk_editable_set_text (GTK_EDITABLE (spins->pdata[HERALD_RATE_OPEN]), "45");
    g_object_add_weak_pointer (G_OBJECT (preferences), (gpointer *)&preferences);
    gtk_window_close (GTK_WINDOW (preferences));
    flush_main_loop ();
    g_assert_null (preferences);
    g_clear_pointer (&open_rate, g_free);
    open_rate = herald_workspace_get_setting (workspace, "forecast.open_rate");
    g_assert_cmpstr (open_rate, ==, "0.45");

    /* Opened again, the window shows what was saved. */
    preferences = herald_preferences_window_new (workspace);
    gtk_window_present (GTK_WINDOW (preferences));
    flush_main_loop ();
    row = find_descendant (GTK_WIDGET (preferences), GTK_TYPE_SPIN_BUTTON);
    g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (row)), ==, 12);
    row = find_descendant (template_child (preferences, HERALD_TYPE_PREFERENCES_WINDOW, "rates_group"),
                           GTK_TYPE_SPIN_BUTTON);
    g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (GTK_SPIN_BUTTON (row)), 45.0, 1e-9);
  }

  assert_finalized (GTK_WINDOW (preferences));
}

/* The Results page: empty with a way to import, then a campaign's funnel
 * and KPIs once a report is imported, and the demo's campaigns. */
static void
test_results_page (void)
{
  g_autoptr(HeraldWorkspace) workspace = new_workspace ("results.herald");
  g_autoptr(HeraldWorkspace) demo = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = g_build_filename (g_get_user_data_dir (), "spring.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (csv);
  HeraldWindow *window;
  GtkWidget *page;
  GtkStack *stack;
  GtkWidget *funnel;
  GtkListBox *list;

  g_assert_true (g_file_set_contents (csv,
                                      "Title,Send Date,Total Recipients,Successful Deliveries,Unique Opens,Unique Clicks,"
                                      "Unsubscribes,Abuse Complaints,Total Orders,Total Revenue,Campaign Cost\n"
                                      "Spring sale,\"Jun 09, 2018 09:30 pm\",\"1,000\",980,450,90,5,1,10,$100.00,$30.00\n",
                                      -1, NULL));

  window = herald_window_new (NULL);
  herald_window_set_workspace (window, workspace);
  gtk_window_present (GTK_WINDOW (window));
  herald_window_show_page (window, "results");
  spin (100);

  page = find_descendant (GTK_WIDGET (window), HERALD_TYPE_RESULTS_PAGE);
  stack = GTK_STACK (template_child (page, HERALD_TYPE_RESULTS_PAGE, "stack"));
  list = GTK_LIST_BOX (template_child (page, HERALD_TYPE_RESULTS_PAGE, "campaign_list"));
  funnel = template_child (page, HERALD_TYPE_RESULTS_PAGE, "funnel");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  /* A report is exported from a campaign shown, and only then. */
  g_assert_true (g_action_group_has_action (herald_results_page_get_actions (HERALD_RESULTS_PAGE (page)),
                                            "export-report"));
  g_assert_false (g_action_group_get_action_enabled (herald_results_page_get_actions (HERALD_RESULTS_PAGE (page)),
                                                     "export-report"));

  herald_results_page_import_file (HERALD_RESULTS_PAGE (page), file);
  for (guint i = 0; i < 100 && g_strcmp0 (gtk_stack_get_visible_child_name (stack), "results") != 0; i++)
    spin (20);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "results");
  g_assert_nonnull (gtk_list_box_get_selected_row (list));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (template_child (page, HERALD_TYPE_RESULTS_PAGE, "title_label"))),
                   ==, "Spring sale");
  g_assert_true (g_action_group_get_action_enabled (herald_results_page_get_actions (HERALD_RESULTS_PAGE (page)),
                                                    "export-report"));
  /* Every KPI with its denominator; the chart is told to screen readers. */
  g_assert_nonnull (find_label (page, "233%"));
  g_assert_nonnull (find_label (page, "46% of delivered"));
  g_assert_true (gtk_widget_get_visible (funnel));
  g_assert_cmpint (herald_workspace_count (workspace, HERALD_COLLECTION_CAMPAIGNS, NULL), ==, 1);

  /* The campaign's costs, given in a dialog, replace the reported ones. */
  {
    GtkWidget *edit = find_label (page, "€30.00");
    AdwMessageDialog *dialog = NULL;
    GListModel *toplevels = gtk_window_get_toplevels ();
    GtkWidget *spin_button;

    g_assert_nonnull (edit);
    edit = gtk_widget_get_next_sibling (edit);
    g_assert_true (GTK_IS_BUTTON (edit));
    click (edit);
    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

        if (ADW_IS_MESSAGE_DIALOG (item))
          dialog = ADW_MESSAGE_DIALOG (item);
      }
    g_assert_nonnull (dialog);
    spin_button = find_descendant (adw_message_dialog_get_extra_child (dialog), GTK_TYPE_SPIN_BUTTON);
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin_button), 50);
    adw_message_dialog_response (dialog, "save");
    gtk_window_destroy (GTK_WINDOW (dialog));
    flush_main_loop ();
    g_assert_nonnull (find_label (page, "€50.00"));
    g_assert_nonnull (find_label (page, "100%"));
  }

  /* An A/B report: its variants, the best first, and the verdict. */
  {
    g_autofree char *ab = g_build_filename (g_get_user_data_dir (), "summer.csv", NULL);
    g_autoptr(GFile) ab_file = g_file_new_for_path (ab);
    GtkLabel *title = GTK_LABEL (template_child (page, HERALD_TYPE_RESULTS_PAGE, "title_label"));

    g_assert_true (g_file_set_contents (ab,
                                        "\"Title:\",\"Summer test\"\n\"Total Recipients:\",\"1,740\"\n"
                                        "\"Recipients Who Opened:\",\"125 (7.2%)\"\n"
                                        "\"Combination 1 Stats\"\n\"Total Recipients:\",\"870\"\n"
                                        "\"Recipients Who Opened:\",\"50 (5.7%)\"\n"
                                        "\"Combination 2 Stats\"\n\"Total Recipients:\",\"870\"\n"
                                        "\"Recipients Who Opened:\",\"75 (8.6%)\"\n", -1, NULL));
    herald_results_page_import_file (HERALD_RESULTS_PAGE (page), ab_file);
    for (guint i = 0; i < 100 && g_strcmp0 (gtk_label_get_label (title), "Summer test") != 0; i++)
      spin (20);
    g_assert_cmpstr (gtk_label_get_label (title), ==, "Summer test");
    g_assert_true (gtk_widget_get_visible (template_child (page, HERALD_TYPE_RESULTS_PAGE, "variants_group")));
    g_assert_nonnull (find_label (page, "Variant 2 wins on opens (p = 0.02)."));
    gtk_drop_down_set_selected (GTK_DROP_DOWN (template_child (page, HERALD_TYPE_RESULTS_PAGE, "metric_drop")),
                                HERALD_AB_METRIC_CLICKS);
    g_assert_null (find_label (page, "Variant 2 wins on opens (p = 0.02)."));
  }

  /* The first row shows every campaign over time: a chart, and a row a
   * month. */
  {
    GtkStack *detail = GTK_STACK (template_child (page, HERALD_TYPE_RESULTS_PAGE, "detail_stack"));

    gtk_list_box_select_row (list, gtk_list_box_get_row_at_index (list, 0));
    g_assert_cmpstr (gtk_stack_get_visible_child_name (detail), ==, "timeline");
    g_assert_nonnull (find_label (page, "Jun 2018"));
    gtk_drop_down_set_selected (GTK_DROP_DOWN (template_child (page, HERALD_TYPE_RESULTS_PAGE, "period_drop")),
                                HERALD_PERIOD_YEAR);
    g_assert_nonnull (find_label (page, "2018"));
    g_assert_null (find_label (page, "Jun 2018"));
    gtk_list_box_select_row (list, gtk_list_box_get_row_at_index (list, 1));
    g_assert_cmpstr (gtk_stack_get_visible_child_name (detail), ==, "campaign");
  }

  /* Recipients' activity goes through the mapping dialog: Import waits
   * until every column it needs is chosen. */
  {
    g_autofree char *activity = g_build_filename (g_get_user_data_dir (), "activity.csv", NULL);
    g_autoptr(GFile) activity_file = g_file_new_for_path (activity);
    GtkLabel *title = GTK_LABEL (template_child (page, HERALD_TYPE_RESULTS_PAGE, "title_label"));
    GListModel *toplevels = gtk_window_get_toplevels ();
    HeraldResultsMappingDialog *dialog = NULL;
    GtkWidget *import_button;
    GtkWidget *email_row;

    g_assert_true (_herald_workspace_exec (workspace,
                                           "INSERT INTO contacts (email, created_at, updated_at)"
                                           " VALUES ('ann@x.example', 0, 0)",
                                           &error));
    g_assert_true (g_file_set_contents (activity,
                                        "Who,Action,Timestamp\n"
                                        "ann@x.example,open,2024-05-01T10:00:00Z\n"
                                        "ann@x.example,click,2024-05-01T10:02:00Z\n",
                                        -1, NULL));
    herald_results_page_import_file (HERALD_RESULTS_PAGE (page), activity_file);
    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

        if (HERALD_IS_RESULTS_MAPPING_DIALOG (item))
          dialog = HERALD_RESULTS_MAPPING_DIALOG (item);
      }
    g_assert_nonnull (dialog);
    /* "Who" holds addresses, so it is the email column; no campaign yet. */
    import_button = template_child (dialog, HERALD_TYPE_RESULTS_MAPPING_DIALOG, "import_button");
    g_assert_false (gtk_widget_get_sensitive (import_button));
    email_row = find_descendant (template_child (dialog, HERALD_TYPE_RESULTS_MAPPING_DIALOG, "columns_group"),
                                 ADW_TYPE_COMBO_ROW);
    g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (email_row)), ==, 1);
    adw_combo_row_set_selected (ADW_COMBO_ROW (email_row), 0);
    g_assert_false (gtk_widget_get_sensitive (import_button));
    adw_combo_row_set_selected (ADW_COMBO_ROW (email_row), 1);
    gtk_editable_set_text (GTK_EDITABLE (template_child (dialog, HERALD_TYPE_RESULTS_MAPPING_DIALOG, "campaign_row")),
                           "June news");
    g_assert_true (gtk_widget_get_sensitive (import_button));
    click (import_button);
    for (guint i = 0; i < 100 && g_strcmp0 (gtk_label_get_label (title), "June news") != 0; i++)
      spin (20);
    g_assert_cmpstr (gtk_label_get_label (title), ==, "June news");
    g_assert_nonnull (find_label (page, "1"));
  }

  /* The demo comes with campaigns of its own. */
  demo = herald_demo_open (&error);
  g_assert_no_error (error);
  herald_window_set_workspace (window, demo);
  spin (50);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "results");
  g_assert_nonnull (gtk_list_box_get_row_at_index (list, 4));

  /* Its welcome email was sent by the welcome series' first step, whose
   * template it took; choosing no step frees the template's choice. */
  {
    GtkWidget *template_row;
    GtkWidget *step_row;
    g_autofree char *template = NULL;

    gtk_list_box_select_row (list, gtk_list_box_get_row_at_index (list, 2));
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (template_child (page, HERALD_TYPE_RESULTS_PAGE, "title_label"))),
                     ==, "Welcome, June");
    template_row = find_descendant (template_child (page, HERALD_TYPE_RESULTS_PAGE, "origin_group"),
                                    ADW_TYPE_COMBO_ROW);
    step_row = gtk_widget_get_next_sibling (template_row);
    g_assert_true (ADW_IS_COMBO_ROW (step_row));
    g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (step_row)), >, 0);
    g_assert_false (gtk_widget_get_sensitive (template_row));
    adw_combo_row_set_selected (ADW_COMBO_ROW (step_row), 0);
    template_row = find_descendant (template_child (page, HERALD_TYPE_RESULTS_PAGE, "origin_group"),
                                    ADW_TYPE_COMBO_ROW);
    g_assert_true (gtk_widget_get_sensitive (template_row));
    adw_combo_row_set_selected (ADW_COMBO_ROW (template_row), 0);
    g_assert_true (herald_campaign_get_origin (demo, "Welcome, June", &template, NULL, NULL, NULL, &error));
    g_assert_null (template);
  }

  assert_finalized (GTK_WINDOW (window));
}

static void
test_help_overlay (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/heraldapp/Herald/gtk/help-overlay.ui");
  GObject *overlay = gtk_builder_get_object (builder, "help_overlay");

  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  gtk_window_present (GTK_WINDOW (overlay));
  flush_main_loop ();
  gtk_window_destroy (GTK_WINDOW (overlay));
}

static void
test_application_demo (void)
{
  g_autoptr(HeraldApplication) app = herald_application_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *demo_path = herald_workspace_get_demo_path ();
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_auto(GStrv) recent = NULL;
  g_autofree char *last = NULL;
  GtkWindow *window;
  HeraldWorkspace *workspace;

  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_action_group_activate_action (G_ACTION_GROUP (app), "open-demo", NULL);
  flush_main_loop ();

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (HERALD_IS_WINDOW (window));
  workspace = herald_window_get_workspace (HERALD_WINDOW (window));
  g_assert_nonnull (workspace);
  g_assert_cmpstr (herald_workspace_get_path (workspace), ==, demo_path);

  last = g_settings_get_string (settings, "last-workspace");
  g_assert_cmpstr (last, ==, demo_path);
  recent = g_settings_get_strv (settings, "recent-workspaces");
  g_assert_cmpstr (recent[0], ==, demo_path);

  /* The primary menu's entries all have an action the window can reach. */
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "new-workspace"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "open-workspace"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "open-recent"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "preferences"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "about"));

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  flush_main_loop ();
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  flush_main_loop ();

  /* Closing every window leaves nothing behind. */
  for (GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));
       windows != NULL;
       windows = gtk_application_get_windows (GTK_APPLICATION (app)))
    gtk_window_destroy (windows->data);
  flush_main_loop ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = herald_test_isolate_home ();
  int ret;

  gtk_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-window");
  adw_init ();

  tmpdir = g_build_filename (home, "workspaces", NULL);
  g_mkdir_with_parents (tmpdir, 0700);

  g_test_add_func ("/herald/ui/window/pages", test_window_pages);
  g_test_add_func ("/herald/ui/window/audience", test_window_audience);
  g_test_add_func ("/herald/ui/audience/import", test_audience_import);
  g_test_add_func ("/herald/ui/segments", test_segments_page);
  g_test_add_func ("/herald/ui/templates", test_templates_page);
  g_test_add_func ("/herald/ui/flows", test_flows_page);
  g_test_add_func ("/herald/ui/results", test_results_page);
  g_test_add_func ("/herald/ui/preferences", test_preferences);
  g_test_add_func ("/herald/ui/help-overlay", test_help_overlay);
  g_test_add_func ("/herald/ui/application/demo", test_application_demo);

  ret = g_test_run ();

  herald_test_remove_tree (home);
  g_free (tmpdir);

  return ret;
}
