/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-flows-page"

#include "config.h"

#include <glib/gi18n.h>

#include "herald-core.h"
#include "herald-flow-canvas.h"
#include "herald-flows-page.h"

/* The Flows page: the workspace's flows on the left, the chosen one on
 * the canvas, and its validation problems under it; a problem selects its
 * node. Every edit is saved a moment later, problems or not: a flow is
 * never lost to a validation error. */

#define SAVE_DELAY_MS 300

struct _HeraldFlowsPage
{
  GtkWidget           parent_instance;

  GtkMenuButton      *add_button;
  HeraldFlowCanvas   *canvas;
  GtkWidget          *demo_button;
  GtkListBox         *flow_list;
  GtkListBox         *problem_list;
  GtkLabel           *problems_label;
  GtkStack           *stack;
  GtkLabel           *title_label;

  HeraldWorkspace    *workspace;
  GSimpleActionGroup *actions;
  GPtrArray          *problems;
  guint               save_source;
  gboolean            loading;
};

G_DEFINE_FINAL_TYPE (HeraldFlowsPage, herald_flows_page, GTK_TYPE_WIDGET)

enum {
  FLOWS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
add_toast (HeraldFlowsPage *self,
           AdwToast        *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

static void
update_actions (HeraldFlowsPage *self)
{
  g_auto(GStrv) selection = herald_flow_canvas_get_selection (self->canvas);
  gboolean has_flow = herald_flow_canvas_get_flow (self->canvas) != NULL;
  static const char * const view[] = { "zoom-in", "zoom-out", "fit", "add-step" };

  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), "undo")),
                               herald_flow_canvas_can_undo (self->canvas));
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), "redo")),
                               herald_flow_canvas_can_redo (self->canvas));
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions),
                                                                            "delete-steps")),
                               selection[0] != NULL);
  for (guint i = 0; i < G_N_ELEMENTS (view); i++)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), view[i])),
                                 has_flow);
}

static void
show_problems (HeraldFlowsPage *self)
{
  HeraldFlow *flow = herald_flow_canvas_get_flow (self->canvas);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->problem_list))) != NULL)
    gtk_list_box_remove (self->problem_list, child);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  if (flow == NULL)
    return;

  self->problems = herald_flow_validate (flow, self->workspace);
  for (guint i = 0; i < self->problems->len; i++)
    {
      HeraldFlowProblem *problem = self->problems->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      gboolean is_error = problem->severity == HERALD_FLOW_PROBLEM_ERROR;
      GtkWidget *icon = gtk_image_new_from_icon_name (is_error ? "dialog-error-symbolic" : "dialog-warning-symbolic");

      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      is_error ? _("Error") : _("Warning"), -1);
      gtk_widget_add_css_class (icon, is_error ? "error" : "warning");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), problem->message);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), problem->node != NULL);
      gtk_list_box_append (self->problem_list, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->problem_list), self->problems->len > 0);
  if (self->problems->len == 0)
    gtk_label_set_label (self->problems_label, _("No problems found"));
  else
    {
      g_autofree char *label = g_strdup_printf (ngettext ("%u problem", "%u problems", self->problems->len),
                                                self->problems->len);

      gtk_label_set_label (self->problems_label, label);
    }
}

static void
problem_activated_cb (HeraldFlowsPage *self,
                      GtkListBoxRow   *row)
{
  int index = gtk_list_box_row_get_index (row);
  HeraldFlowProblem *problem;

  if (self->problems == NULL || index < 0 || (guint) index >= self->problems->len)
    return;
  problem = self->problems->pdata[index];
  if (problem->node != NULL)
    {
      herald_flow_canvas_select (self->canvas, problem->node);
      gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
    }
}

static void
save_now (HeraldFlowsPage *self)
{
  HeraldFlow *flow = herald_flow_canvas_get_flow (self->canvas);
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->save_source, g_source_remove);
  if (self->workspace == NULL || flow == NULL)
    return;
  if (!herald_flows_save (self->workspace, flow, &error))
    add_toast (self, adw_toast_new (error->message));
}

static gboolean
save_timeout_cb (gpointer user_data)
{
  HeraldFlowsPage *self = user_data;

  self->save_source = 0;
  save_now (self);
  return G_SOURCE_REMOVE;
}

static void
canvas_changed_cb (HeraldFlowsPage *self)
{
  g_clear_handle_id (&self->save_source, g_source_remove);
  self->save_source = g_timeout_add (SAVE_DELAY_MS, save_timeout_cb, self);
  show_problems (self);
  update_actions (self);
}

static void
selection_changed_cb (HeraldFlowsPage *self)
{
  update_actions (self);
}

static void
flow_selected_cb (HeraldFlowsPage *self,
                  GtkListBoxRow   *row)
{
  g_autoptr(HeraldFlow) flow = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;

  if (row == NULL || self->loading)
    return;
  save_now (self);

  name = g_object_get_data (G_OBJECT (row), "name");
  flow = herald_flows_get (self->workspace, name, &error);
  if (flow == NULL)
    {
      add_toast (self, adw_toast_new (error->message));
      return;
    }
  gtk_label_set_label (self->title_label, herald_flow_get_name (flow));
  herald_flow_canvas_set_flow (self->canvas, flow);
  show_problems (self);
  update_actions (self);
}

static void
reload_list (HeraldFlowsPage *self)
{
  g_auto(GStrv) names = herald_flows_list (self->workspace, NULL);
  GtkWidget *child;

  self->loading = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->flow_list))) != NULL)
    gtk_list_box_remove (self->flow_list, child);
  self->loading = FALSE;

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *label = gtk_label_new (names[i]);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      g_object_set_data_full (G_OBJECT (row), "name", g_strdup (names[i]), g_free);
      gtk_list_box_append (self->flow_list, row);
    }

  gtk_stack_set_visible_child_name (self->stack, names != NULL && names[0] != NULL ? "flows" : "empty");
  if (names != NULL && names[0] != NULL)
    gtk_list_box_select_row (self->flow_list, gtk_list_box_get_row_at_index (self->flow_list, 0));
  else
    herald_flow_canvas_set_flow (self->canvas, NULL);
  g_signal_emit (self, signals[FLOWS_CHANGED], 0);
}

/* Actions */

static void
undo_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  HeraldFlowsPage *self = user_data;

  herald_flow_canvas_undo (self->canvas);
}

static void
redo_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  HeraldFlowsPage *self = user_data;

  herald_flow_canvas_redo (self->canvas);
}

static void
delete_steps_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  HeraldFlowsPage *self = user_data;

  herald_flow_canvas_delete_selection (self->canvas);
}

static void
zoom_in_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  herald_flow_canvas_zoom (HERALD_FLOWS_PAGE (user_data)->canvas, 1.25);
}

static void
zoom_out_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  herald_flow_canvas_zoom (HERALD_FLOWS_PAGE (user_data)->canvas, 1 / 1.25);
}

static void
fit_activated (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  herald_flow_canvas_fit (HERALD_FLOWS_PAGE (user_data)->canvas);
}

static void
add_step_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  HeraldFlowsPage *self = user_data;
  HeraldFlowNodeType type;

  if (herald_flow_node_type_from_key (g_variant_get_string (parameter, NULL), &type))
    {
      herald_flow_canvas_add_node (self->canvas, type);
      gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
    }
}

static const GActionEntry actions[] = {
  { "add-step", add_step_activated, "s" },
  { "undo", undo_activated },
  { "redo", redo_activated },
  { "delete-steps", delete_steps_activated },
  { "zoom-in", zoom_in_activated },
  { "zoom-out", zoom_out_activated },
  { "fit", fit_activated },
};

static void
herald_flows_page_dispose (GObject *object)
{
  HeraldFlowsPage *self = (HeraldFlowsPage *) object;

  save_now (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), HERALD_TYPE_FLOWS_PAGE);
  g_clear_handle_id (&self->save_source, g_source_remove);
  g_clear_object (&self->actions);
  g_clear_object (&self->workspace);
  g_clear_pointer (&self->problems, g_ptr_array_unref);

  G_OBJECT_CLASS (herald_flows_page_parent_class)->dispose (object);
}

static void
herald_flows_page_class_init (HeraldFlowsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = herald_flows_page_dispose;

  /**
   * HeraldFlowsPage::flows-changed:
   *
   * Emitted when the list of flows changed.
   */
  signals[FLOWS_CHANGED] = g_signal_new ("flows-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (HERALD_TYPE_FLOW_CANVAS);

  /* Bound to the page, so they leave text fields elsewhere their own. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "flows.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "flows.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "flows.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "flows.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "flows.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "flows.fit", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/heraldapp/Herald/herald-flows-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HeraldFlowsPage, add_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldFlowsPage, canvas);
  gtk_widget_class_bind_template_child (widget_class, HeraldFlowsPage, demo_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldFlowsPage, flow_list);
  gtk_widget_class_bind_template_child (widget_class, HeraldFlowsPage, problem_list);
  gtk_widget_class_bind_template_child (widget_class, HeraldFlowsPage, problems_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldFlowsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, HeraldFlowsPage, title_label);
  gtk_widget_class_bind_template_callback (widget_class, canvas_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, flow_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, problem_activated_cb);
}

static void
herald_flows_page_init (HeraldFlowsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), actions, G_N_ELEMENTS (actions), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "flows", G_ACTION_GROUP (self->actions));
  g_signal_connect_object (self->canvas, "selection-changed", G_CALLBACK (selection_changed_cb), self,
                           G_CONNECT_SWAPPED);
  update_actions (self);

  /* The steps one can add, by their names on the cards. */
  {
    g_autoptr(GMenu) menu = g_menu_new ();

    for (HeraldFlowNodeType type = 0; type < HERALD_N_FLOW_NODE_TYPES; type++)
      {
        g_autoptr(GMenuItem) item = g_menu_item_new (herald_flow_node_type_label (type), NULL);

        g_menu_item_set_action_and_target (item, "flows.add-step", "s", herald_flow_node_type_key (type));
        g_menu_append_item (menu, item);
      }
    gtk_menu_button_set_menu_model (self->add_button, G_MENU_MODEL (menu));
  }
}

void
herald_flows_page_set_workspace (HeraldFlowsPage *self,
                                 HeraldWorkspace *workspace,
                                 gboolean         is_demo)
{
  g_return_if_fail (HERALD_IS_FLOWS_PAGE (self));
  g_return_if_fail (HERALD_IS_WORKSPACE (workspace));

  save_now (self);
  g_set_object (&self->workspace, workspace);
  gtk_widget_set_visible (self->demo_button, !is_demo);
  reload_list (self);
}

/**
 * herald_flows_page_get_actions:
 *
 * Returns: (transfer none): the page's actions, "flows.…"
 */
GActionGroup *
herald_flows_page_get_actions (HeraldFlowsPage *self)
{
  g_return_val_if_fail (HERALD_IS_FLOWS_PAGE (self), NULL);

  return G_ACTION_GROUP (self->actions);
}
