/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-window"

#include "config.h"

#include <glib/gi18n.h>

#include "herald-audience-page.h"
#include "herald-core.h"
#include "herald-flows-page.h"
#include "herald-results-page.h"
#include "herald-segments-page.h"
#include "herald-templates-page.h"
#include "herald-window.h"

struct _HeraldWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  HeraldWorkspace      *workspace;

  /* Template widgets */
  GtkLabel             *audience_count;
  HeraldAudiencePage   *audience_page;
  GtkListBoxRow        *audience_row;
  GtkToggleButton      *audience_search_button;
  AdwWindowTitle       *content_title;
  GtkLabel             *flows_count;
  HeraldFlowsPage      *flows_page;
  GtkMenuButton        *new_flow_button;
  GtkStack             *header_stack;
  AdwLeaflet           *leaflet;
  GMenu                *primary_recent_section;
  GtkLabel             *results_count;
  HeraldResultsPage    *results_page;
  GtkLabel             *segments_count;
  HeraldSegmentsPage   *segments_page;
  GtkListBox           *sidebar;
  GtkStack             *stack;
  GtkLabel             *templates_count;
  HeraldTemplatesPage  *templates_page;
  GtkMenuButton        *new_template_button;
  AdwToastOverlay      *toast_overlay;
  GtkLabel             *workspace_label;
  GMenu                *workspace_recent_section;
};

G_DEFINE_FINAL_TYPE (HeraldWindow, herald_window, ADW_TYPE_APPLICATION_WINDOW)

static void
rebuild_recent_menus (HeraldWindow *self)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-workspaces");
  g_autoptr(GMenu) items = g_menu_new ();
  const char *current = self->workspace ? herald_workspace_get_path (self->workspace) : NULL;
  g_autofree char *current_absolute = current ? g_canonicalize_filename (current, NULL) : NULL;

  for (guint i = 0; recent[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuItem) item = NULL;

      if (g_strcmp0 (recent[i], current_absolute) == 0 || !g_file_test (recent[i], G_FILE_TEST_EXISTS))
        continue;

      name = herald_workspace_name_for_path (recent[i]);
      item = g_menu_item_new (name, NULL);
      g_menu_item_set_action_and_target (item, "app.open-recent", "s", recent[i]);
      g_menu_append_item (items, item);
    }

  g_menu_remove_all (self->primary_recent_section);
  g_menu_remove_all (self->workspace_recent_section);

  if (g_menu_model_get_n_items (G_MENU_MODEL (items)) > 0)
    {
      g_menu_append_submenu (self->primary_recent_section, _("_Recent Workspaces"), G_MENU_MODEL (items));
      g_menu_append_section (self->workspace_recent_section, NULL, G_MENU_MODEL (items));
    }
}

static void
recent_workspaces_changed_cb (HeraldWindow *self)
{
  rebuild_recent_menus (self);
}

static void
set_count (GtkLabel   *label,
           gint64      count)
{
  /* The ' flag groups thousands as the locale does. */
  g_autofree char *text = count > 0 ? g_strdup_printf ("%'" G_GINT64_FORMAT, count) : NULL;

  gtk_label_set_label (label, text ? text : "");
}

static void
update_counts (HeraldWindow *self)
{
  static const HeraldCollection collections[] = {
    HERALD_COLLECTION_CONTACTS,
    HERALD_COLLECTION_SEGMENTS,
    HERALD_COLLECTION_TEMPLATES,
    HERALD_COLLECTION_FLOWS,
    HERALD_COLLECTION_CAMPAIGNS,
  };
  GtkLabel *labels[] = {
    self->audience_count,
    self->segments_count,
    self->templates_count,
    self->flows_count,
    self->results_count,
  };

  for (guint i = 0; i < G_N_ELEMENTS (collections); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 count = herald_workspace_count (self->workspace, collections[i], &error);

      if (count < 0)
        g_warning ("%s", error->message);

      set_count (labels[i], MAX (count, 0));
    }
}

static void
update_title (HeraldWindow *self)
{
  GtkStackPage *page = gtk_stack_get_page (self->stack, gtk_stack_get_visible_child (self->stack));

  adw_window_title_set_title (self->content_title, gtk_stack_page_get_title (page));
}

static void
visible_page_changed_cb (HeraldWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  update_title (self);

  /* Each page brings its own buttons into the header bar. */
  gtk_stack_set_visible_child_name (self->header_stack,
                                    gtk_stack_get_child_by_name (self->header_stack, page) ? page : "none");
}

static void
contacts_changed_cb (HeraldWindow *self)
{
  update_counts (self);
}

static void
import_contacts_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  HeraldWindow *self = HERALD_WINDOW (widget);

  herald_window_show_page (self, "audience");
  g_action_group_activate_action (herald_audience_page_get_actions (self->audience_page), "import", NULL);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HeraldWindow *self = HERALD_WINDOW (widget);

  if (g_str_equal (gtk_stack_get_visible_child_name (self->stack), "audience"))
    gtk_toggle_button_set_active (self->audience_search_button,
                                  !gtk_toggle_button_get_active (self->audience_search_button));
}

static void
sidebar_row_activated_cb (HeraldWindow  *self,
                          GtkListBoxRow *row)
{
  gtk_stack_set_visible_child_name (self->stack, gtk_widget_get_name (GTK_WIDGET (row)));
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
back_clicked_cb (HeraldWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  herald_window_show_page (HERALD_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
herald_window_dispose (GObject *object)
{
  HeraldWindow *self = (HeraldWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), HERALD_TYPE_WINDOW);

  g_clear_object (&self->workspace);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (herald_window_parent_class)->dispose (object);
}

static void
herald_window_class_init (HeraldWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = herald_window_dispose;

  g_type_ensure (HERALD_TYPE_AUDIENCE_PAGE);
  g_type_ensure (HERALD_TYPE_SEGMENTS_PAGE);
  g_type_ensure (HERALD_TYPE_TEMPLATES_PAGE);
  g_type_ensure (HERALD_TYPE_FLOWS_PAGE);
  g_type_ensure (HERALD_TYPE_RESULTS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/heraldapp/Herald/herald-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HeraldWindow, audience_count);
  gtk_widget_class_bind_template_child (widget_class, HeraldWindow, audience_page);
  gtk_widget_class_bind_template_child (widget_class, HeraldWindow, audience_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldWindow, audience_search_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, HeraldWindow, flows_count);
  gtk_widget_class_bind_template_child (widget_class, HeraldWindow, flows_page);
  gtk_widget_class_bind_template_child (widget_class, HeraldWindow, header_stack);
  gtk_widget_class_bind_template_child (widget_class, HeraldWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, HeraldWindow, new_flow_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldWindow, new_template_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldWindow, primary_recent_section);
  gtk_widget_class_bind_template_child (widget_class, HeraldWindow, results_count);
  gtk_widget_class_bind_template_child (widget_class, HeraldWindow, results_page);
  gtk_widget_class_bind_template_child (widget_class, HeraldWindow, segments_count);
  gtk_widget_class_bind_template_child (widget_class, HeraldWindow, segments_page);
  gtk_widget_class_bind_template_child (widget_class, HeraldWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, HeraldWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, HeraldWindow, templates_count);
  gtk_widget_class_bind_template_child (widget_class, HeraldWindow, templates_page);
  gtk_widget_class_bind_template_child (widget_class, HeraldWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HeraldWindow, workspace_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldWindow, workspace_recent_section);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.import-contacts", NULL, import_contacts_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
}

static void
herald_window_init (HeraldWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);

  g_signal_connect_object (self->settings, "changed::recent-workspaces",
                           G_CALLBACK (recent_workspaces_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->stack, "notify::visible-child",
                           G_CALLBACK (visible_page_changed_cb), self, G_CONNECT_SWAPPED);

  g_object_bind_property (self->audience_search_button, "active",
                          herald_audience_page_get_search_bar (self->audience_page), "search-mode-enabled",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "audience",
                                  herald_audience_page_get_actions (self->audience_page));
  gtk_widget_insert_action_group (GTK_WIDGET (self), "segments",
                                  herald_segments_page_get_actions (self->segments_page));
  g_signal_connect_object (self->segments_page, "segments-changed",
                           G_CALLBACK (contacts_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "templates",
                                  herald_templates_page_get_actions (self->templates_page));
  gtk_menu_button_set_menu_model (self->new_template_button,
                                  herald_templates_page_get_new_menu (self->templates_page));
  g_signal_connect_object (self->templates_page, "templates-changed",
                           G_CALLBACK (contacts_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "flows",
                                  herald_flows_page_get_actions (self->flows_page));
  gtk_menu_button_set_menu_model (self->new_flow_button, herald_flows_page_get_new_menu (self->flows_page));
  g_signal_connect_object (self->flows_page, "flows-changed",
                           G_CALLBACK (contacts_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->audience_page, "contacts-changed",
                           G_CALLBACK (contacts_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "results",
                                  herald_results_page_get_actions (self->results_page));
  g_signal_connect_object (self->results_page, "results-changed",
                           G_CALLBACK (contacts_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->results_page, "results-changed",
                           G_CALLBACK (herald_templates_page_reload_results), self->templates_page, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->results_page, "results-changed",
                           G_CALLBACK (herald_segments_page_reload_results), self->segments_page, G_CONNECT_SWAPPED);

  gtk_list_box_select_row (self->sidebar, self->audience_row);
  visible_page_changed_cb (self);
  rebuild_recent_menus (self);
}

HeraldWindow *
herald_window_new (GtkApplication *application)
{
  return g_object_new (HERALD_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

/**
 * herald_window_get_workspace:
 *
 * Returns: (nullable) (transfer none): the workspace shown
 */
HeraldWorkspace *
herald_window_get_workspace (HeraldWindow *self)
{
  g_return_val_if_fail (HERALD_IS_WINDOW (self), NULL);

  return self->workspace;
}

void
herald_window_set_workspace (HeraldWindow    *self,
                             HeraldWorkspace *workspace)
{
  g_autofree char *title = NULL;
  g_autofree char *demo_path = NULL;
  g_autofree char *absolute = NULL;
  gboolean is_demo;

  g_return_if_fail (HERALD_IS_WINDOW (self));
  g_return_if_fail (HERALD_IS_WORKSPACE (workspace));

  if (!g_set_object (&self->workspace, workspace))
    return;

  demo_path = herald_workspace_get_demo_path ();
  absolute = g_canonicalize_filename (herald_workspace_get_path (workspace), NULL);
  is_demo = g_str_equal (demo_path, absolute);

  /* Translators: the window title, "workspace name — Herald". */
  title = g_strdup_printf (_("%s — Herald"), herald_workspace_get_name (workspace));
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_label_set_label (self->workspace_label, herald_workspace_get_name (workspace));
  adw_window_title_set_subtitle (self->content_title, herald_workspace_get_name (workspace));

  herald_audience_page_set_workspace (self->audience_page, workspace, is_demo);
  herald_segments_page_set_workspace (self->segments_page, workspace, is_demo);
  herald_templates_page_set_workspace (self->templates_page, workspace, is_demo);
  herald_flows_page_set_workspace (self->flows_page, workspace, is_demo);
  herald_results_page_set_workspace (self->results_page, workspace, is_demo);
  update_counts (self);
  rebuild_recent_menus (self);
}

/**
 * herald_window_show_page:
 * @name: audience, segments, templates, flows or results
 */
void
herald_window_show_page (HeraldWindow *self,
                         const char   *name)
{
  g_return_if_fail (HERALD_IS_WINDOW (self));

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      if (GTK_IS_LIST_BOX_ROW (row) && g_strcmp0 (gtk_widget_get_name (row), name) == 0)
        {
          gtk_list_box_select_row (self->sidebar, GTK_LIST_BOX_ROW (row));
          sidebar_row_activated_cb (self, GTK_LIST_BOX_ROW (row));
          return;
        }
    }

  g_warning ("No page named “%s”", name);
}

/**
 * herald_window_show_error:
 * @heading: what failed, in title case
 * @message: why, and what to do next
 */
void
herald_window_show_error (HeraldWindow *self,
                          const char   *heading,
                          const char   *message)
{
  GtkWidget *dialog;

  g_return_if_fail (HERALD_IS_WINDOW (self));

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * herald_window_import_contacts:
 * @path: a CSV file
 *
 * Shows the audience and starts importing @path into the workspace.
 */
void
herald_window_import_contacts (HeraldWindow *self,
                               const char   *path)
{
  g_return_if_fail (HERALD_IS_WINDOW (self));

  if (self->workspace == NULL)
    return;

  herald_window_show_page (self, "audience");
  gtk_window_present (GTK_WINDOW (self));
  herald_audience_page_import_file (self->audience_page, path);
}
