/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-flows-page"

#include "config.h"

#include <glib/gi18n.h>

#include "herald-core.h"
#include "herald-flow-canvas.h"
#include "herald-flows-page.h"
#include "herald-forecast-panel.h"

/* The Flows page: the workspace's flows on the left, the chosen one on
 * the canvas, and its validation problems under it; a problem selects its
 * node. Every edit is saved a moment later, problems or not: a flow is
 * never lost to a validation error. */

#define SAVE_DELAY_MS 300

struct _HeraldFlowsPage
{
  GtkWidget           parent_instance;

  GtkBox             *palette;
  HeraldFlowCanvas   *canvas;
  AdwBin             *inspector;
  HeraldForecastPanel *forecast_panel;
  GtkStack           *side_stack;
  GtkWidget          *demo_button;
  GtkListBox         *flow_list;
  GtkListBox         *problem_list;
  GtkLabel           *problems_label;
  GtkStack           *stack;
  GtkEditableLabel   *title_label;
  GtkMenuButton      *empty_new_button;
  GMenu              *new_menu;

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
  static const char * const view[] = { "zoom-in", "zoom-out", "fit", "add-step", "delete-flow", "arrange",
                                       "export-json", "export-picture", "forecast" };

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
  herald_flow_canvas_set_problems (self->canvas, self->problems);
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

/* The inspector: the settings of the one selected step. Each change is
 * one step of undo. */

static void rebuild_inspector (HeraldFlowsPage *self);

static HeraldFlowNode *
selected_node (HeraldFlowsPage *self)
{
  g_auto(GStrv) selection = herald_flow_canvas_get_selection (self->canvas);
  HeraldFlow *flow = herald_flow_canvas_get_flow (self->canvas);

  if (flow == NULL || selection[0] == NULL || selection[1] != NULL)
    return NULL;
  return herald_flow_get_node (flow, selection[0]);
}

static HeraldFlowNode *
edited_node (HeraldFlowsPage *self,
             GObject         *control)
{
  HeraldFlowNode *node = selected_node (self);

  /* Only the node the control was made for. */
  if (node == NULL || g_strcmp0 (node->id, g_object_get_data (control, "node")) != 0)
    return NULL;
  return node;
}

static void
name_applied_cb (AdwEntryRow     *row,
                 HeraldFlowsPage *self)
{
  HeraldFlowNode *node = edited_node (self, G_OBJECT (row));

  if (node == NULL || g_strcmp0 (node->name ? node->name : "", gtk_editable_get_text (GTK_EDITABLE (row))) == 0)
    return;
  herald_flow_canvas_begin_edit (self->canvas);
  g_free (node->name);
  node->name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));
  herald_flow_canvas_end_edit (self->canvas);
}

static void
text_applied_cb (AdwEntryRow     *row,
                 HeraldFlowsPage *self)
{
  HeraldFlowNode *node = edited_node (self, G_OBJECT (row));
  const char *member = g_object_get_data (G_OBJECT (row), "member");
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  if (node == NULL || g_strcmp0 (text, g_object_get_data (G_OBJECT (row), "text")) == 0)
    return;
  g_object_set_data_full (G_OBJECT (row), "text", g_strdup (text), g_free);
  herald_flow_canvas_begin_edit (self->canvas);
  if (g_str_equal (member, "weights"))
    {
      g_auto(GStrv) parts = g_strsplit_set (text, ",;/ ", -1);
      JsonArray *weights = json_array_new ();

      for (guint i = 0; parts[i] != NULL; i++)
        if (parts[i][0] != '\0')
          json_array_add_double_element (weights, g_ascii_strtod (parts[i], NULL));
      /* A split keeps at least two ways, so its ports stay. */
      while (json_array_get_length (weights) < 2)
        json_array_add_double_element (weights, 0);
      json_object_set_array_member (node->config, "weights", weights);
    }
  else
    json_object_set_string_member (node->config, member, text);
  herald_flow_canvas_end_edit (self->canvas);
}

static void
number_changed_cb (GtkSpinButton   *spin,
                   HeraldFlowsPage *self)
{
  HeraldFlowNode *node = edited_node (self, G_OBJECT (spin));
  const char *member = g_object_get_data (G_OBJECT (spin), "member");
  gboolean optional = g_object_get_data (G_OBJECT (spin), "optional") != NULL;
  double scale = g_object_get_data (G_OBJECT (spin), "percent") != NULL ? 100 : 1;
  double value = gtk_spin_button_get_value (spin) / scale;

  if (node == NULL || json_object_get_double_member_with_default (node->config, member, optional ? 0 : -1) == value)
    return;
  herald_flow_canvas_begin_edit (self->canvas);
  /* An optional figure at zero is none of the step's own: the flow's applies. */
  if (optional && value == 0)
    json_object_remove_member (node->config, member);
  else if (gtk_spin_button_get_digits (spin) == 0)
    json_object_set_int_member (node->config, member, gtk_spin_button_get_value_as_int (spin));
  else
    json_object_set_double_member (node->config, member, value);
  herald_flow_canvas_end_edit (self->canvas);
}

static void
choice_changed_cb (AdwComboRow     *row,
                   GParamSpec      *pspec,
                   HeraldFlowsPage *self)
{
  HeraldFlowNode *node = edited_node (self, G_OBJECT (row));
  const char *member = g_object_get_data (G_OBJECT (row), "member");
  GStrv keys = g_object_get_data (G_OBJECT (row), "keys");
  guint selected = adw_combo_row_get_selected (row);

  if (node == NULL || selected >= g_strv_length (keys)
      || g_strcmp0 (json_object_get_string_member_with_default (node->config, member, ""), keys[selected]) == 0)
    return;
  herald_flow_canvas_begin_edit (self->canvas);
  json_object_set_string_member (node->config, member, keys[selected]);
  herald_flow_canvas_end_edit (self->canvas);
  /* Another kind may need other settings. */
  if (g_str_equal (member, "kind"))
    rebuild_inspector (self);
}

static GtkWidget *
text_row (HeraldFlowsPage *self,
          HeraldFlowNode  *node,
          const char      *member,
          const char      *title)
{
  GtkWidget *row = adw_entry_row_new ();
  JsonNode *value = json_object_get_member (node->config, member);
  g_autoptr(GString) text = g_string_new (NULL);

  if (value != NULL && JSON_NODE_HOLDS_ARRAY (value))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (value)); i++)
      g_string_append_printf (text, "%s%g", i > 0 ? ", " : "",
                              json_array_get_double_element (json_node_get_array (value), i));
  else if (value != NULL && JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    g_string_append (text, json_node_get_string (value));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text->str);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "node", g_strdup (node->id), g_free);
  g_object_set_data (G_OBJECT (row), "member", (gpointer) member);
  g_object_set_data_full (G_OBJECT (row), "text", g_strdup (text->str), g_free);
  /* libadwaita 1.2 applies only with the button; Enter applies too. */
  g_signal_connect_object (row, "apply", G_CALLBACK (text_applied_cb), self, 0);
  g_signal_connect_object (row, "entry-activated", G_CALLBACK (text_applied_cb), self, 0);
  return row;
}

static GtkWidget *
number_row (HeraldFlowsPage *self,
            HeraldFlowNode  *node,
            const char      *member,
            const char      *title,
            double           max,
            guint            digits)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (0, max, digits == 0 ? 1 : 0.01);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin),
                             json_object_get_double_member_with_default (node->config, member, 0));
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_object_set_data_full (G_OBJECT (spin), "node", g_strdup (node->id), g_free);
  g_object_set_data (G_OBJECT (spin), "member", (gpointer) member);
  g_signal_connect_object (spin, "value-changed", G_CALLBACK (number_changed_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  return row;
}

/* A figure of the step's own, such as a rate in percent; at zero, the
 * flow's applies. */
static GtkWidget *
own_figure_row (HeraldFlowsPage *self,
                HeraldFlowNode  *node,
                const char      *member,
                const char      *title,
                gboolean         percent,
                const char      *subtitle)
{
  GtkWidget *row = number_row (self, node, member, title, percent ? 100 : 1440, percent ? 2 : 0);
  GtkWidget *spin = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));

  g_object_set_data (G_OBJECT (spin), "optional", GINT_TO_POINTER (TRUE));
  g_object_set_data (G_OBJECT (spin), "percent", GINT_TO_POINTER (percent));
  g_signal_handlers_block_by_func (spin, number_changed_cb, self);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin),
                             (percent ? 100 : 1) * json_object_get_double_member_with_default (node->config, member, 0));
  g_signal_handlers_unblock_by_func (spin, number_changed_cb, self);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

/* A choice written as the string member of the node's config; keys are
 * what is written, in the order of the labels. */
static GtkWidget *
choice_row (HeraldFlowsPage *self,
            HeraldFlowNode  *node,
            const char      *member,
            const char      *title,
            GStrv            keys,
            GStrv            labels)
{
  GtkWidget *row = adw_combo_row_new ();
  GtkStringList *model = gtk_string_list_new ((const char * const *) labels);
  const char *current = json_object_get_string_member_with_default (node->config, member, "");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  g_object_unref (model);
  /* Nothing chosen yet shows as nothing chosen. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), GTK_INVALID_LIST_POSITION);
  for (guint i = 0; keys[i] != NULL; i++)
    if (g_str_equal (keys[i], current))
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), i);
  g_object_set_data_full (G_OBJECT (row), "node", g_strdup (node->id), g_free);
  g_object_set_data (G_OBJECT (row), "member", (gpointer) member);
  g_object_set_data_full (G_OBJECT (row), "keys", keys, (GDestroyNotify) g_strfreev);
  g_strfreev (labels);
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (choice_changed_cb), self, 0);
  return row;
}

static GStrv
strv (const char *first,
      ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  va_list args;

  va_start (args, first);
  for (const char *s = first; s != NULL; s = va_arg (args, const char *))
    g_strv_builder_add (builder, s);
  va_end (args);
  return g_strv_builder_end (builder);
}

static GtkWidget *
segment_row (HeraldFlowsPage *self,
             HeraldFlowNode  *node)
{
  g_autoptr(GPtrArray) segments = herald_segments_list (self->workspace, NULL);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  for (guint i = 0; segments != NULL && i < segments->len; i++)
    g_strv_builder_add (names, ((HeraldSegmentInfo *) segments->pdata[i])->name);
  if (segments == NULL || segments->len == 0)
    return text_row (self, node, "segment", _("Segment"));
  {
    GStrv keys = g_strv_builder_end (names);

    return choice_row (self, node, "segment", _("Segment"), keys, g_strdupv (keys));
  }
}

static GtkWidget *
build_inspector (HeraldFlowsPage *self,
                 HeraldFlowNode  *node)
{
  GtkWidget *group = adw_preferences_group_new ();
  AdwPreferencesGroup *g = ADW_PREFERENCES_GROUP (group);
  GtkWidget *name = adw_entry_row_new ();
  const char *kind = json_object_get_string_member_with_default (node->config, "kind", "");

  adw_preferences_group_set_title (g, herald_flow_node_type_label (node->type));
  adw_preferences_group_set_description (g, node->id);
  gtk_widget_set_margin_top (group, 6);
  gtk_widget_set_margin_bottom (group, 6);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (name), _("Name"));
  gtk_editable_set_text (GTK_EDITABLE (name), node->name != NULL ? node->name : "");
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (name), TRUE);
  g_object_set_data_full (G_OBJECT (name), "node", g_strdup (node->id), g_free);
  g_signal_connect_object (name, "apply", G_CALLBACK (name_applied_cb), self, 0);
  g_signal_connect_object (name, "entry-activated", G_CALLBACK (name_applied_cb), self, 0);
  adw_preferences_group_add (g, name);

  switch (node->type)
    {
    case HERALD_FLOW_NODE_TRIGGER:
      adw_preferences_group_add (g, choice_row (self, node, "kind", _("Starts When a Contact"),
                                                strv ("segment-entry", "tag-added", "manual", NULL),
                                                strv (_("Enters a segment"), _("Gets a tag"), _("Is added by hand"), NULL)));
      kind = json_object_get_string_member_with_default (node->config, "kind", "");
      if (g_str_equal (kind, "segment-entry"))
        adw_preferences_group_add (g, segment_row (self, node));
      else if (g_str_equal (kind, "tag-added"))
        adw_preferences_group_add (g, text_row (self, node, "tag", _("Tag")));
      break;

    case HERALD_FLOW_NODE_EMAIL:
      {
        g_autoptr(GPtrArray) templates = herald_templates_list (self->workspace, NULL);
        g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

        for (guint i = 0; templates != NULL && i < templates->len; i++)
          g_strv_builder_add (names, ((HeraldTemplateRecord *) templates->pdata[i])->name);
        if (templates != NULL && templates->len > 0)
          {
            GStrv keys = g_strv_builder_end (names);

            adw_preferences_group_add (g, choice_row (self, node, "template", _("Template"), keys, g_strdupv (keys)));
          }
        else
          adw_preferences_group_add (g, text_row (self, node, "template", _("Template")));
      }
      break;

    case HERALD_FLOW_NODE_WAIT:
      adw_preferences_group_add (g, number_row (self, node, "days", _("Days"), 365, 0));
      break;

    case HERALD_FLOW_NODE_CONDITION:
      adw_preferences_group_add (g, choice_row (self, node, "kind", _("Asks Whether the Contact"),
                                                strv ("opened", "clicked", "tag", "segment", NULL),
                                                strv (_("Opened an email"), _("Clicked in an email"),
                                                      _("Has a tag"), _("Is in a segment"), NULL)));
      kind = json_object_get_string_member_with_default (node->config, "kind", "");
      if (g_str_equal (kind, "opened") || g_str_equal (kind, "clicked"))
        {
          GPtrArray *nodes = herald_flow_get_nodes (herald_flow_canvas_get_flow (self->canvas));
          g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();
          g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();

          for (guint i = 0; i < nodes->len; i++)
            {
              HeraldFlowNode *email = nodes->pdata[i];
              g_autofree char *title = herald_flow_node_dup_title (email);

              if (email->type != HERALD_FLOW_NODE_EMAIL)
                continue;
              g_strv_builder_add (keys, email->id);
              g_strv_builder_add (labels, title);
            }
          adw_preferences_group_add (g, choice_row (self, node, "email", _("Email"), g_strv_builder_end (keys),
                                                    g_strv_builder_end (labels)));
          adw_preferences_group_add (g, number_row (self, node, "within_days", _("Within Days"), 365, 0));
        }
      else if (g_str_equal (kind, "tag"))
        adw_preferences_group_add (g, text_row (self, node, "tag", _("Tag")));
      else
        adw_preferences_group_add (g, segment_row (self, node));
      break;

    case HERALD_FLOW_NODE_SPLIT:
      adw_preferences_group_add (g, text_row (self, node, "weights", _("Shares in Percent, Such as 50, 50")));
      break;

    case HERALD_FLOW_NODE_ACTION:
      adw_preferences_group_add (g, choice_row (self, node, "kind", _("Does"),
                                                strv ("add-tag", "remove-tag", "unsubscribe", NULL),
                                                strv (_("Add a tag"), _("Remove a tag"), _("Unsubscribe"), NULL)));
      kind = json_object_get_string_member_with_default (node->config, "kind", "");
      if (!g_str_equal (kind, "unsubscribe"))
        adw_preferences_group_add (g, text_row (self, node, "tag", _("Tag")));
      break;

    case HERALD_FLOW_NODE_TASK:
      adw_preferences_group_add (g, choice_row (self, node, "channel", _("Channel"),
                                                strv ("call", "social", "custom", NULL),
                                                strv (_("Call"), _("Social touch"), _("Custom task"), NULL)));
      adw_preferences_group_add (g, text_row (self, node, "note", _("Note")));
      adw_preferences_group_add (g, own_figure_row (self, node, "minutes", _("Minutes per Contact"), FALSE,
                                                    _("At 0, the flow’s minutes per task apply")));
      break;

    case HERALD_FLOW_NODE_GOAL:
      adw_preferences_group_add (g, number_row (self, node, "value", _("Value of a Conversion"), 1e9, 2));
      adw_preferences_group_add (g, own_figure_row (self, node, "rate", _("Conversion Rate (%)"), TRUE,
                                                    _("At 0, the flow’s conversion rate applies")));
      break;

    case HERALD_FLOW_NODE_EXIT:
    case HERALD_N_FLOW_NODE_TYPES:
    default:
      break;
    }

  return group;
}

static void
rebuild_inspector (HeraldFlowsPage *self)
{
  HeraldFlowNode *node = selected_node (self);

  if (node != NULL)
    adw_bin_set_child (self->inspector, build_inspector (self, node));
  else
    {
      GtkWidget *hint = gtk_label_new (_("Select a step to change its settings."));

      gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
      gtk_widget_add_css_class (hint, "dim-label");
      gtk_widget_set_margin_top (hint, 24);
      gtk_widget_set_margin_start (hint, 12);
      gtk_widget_set_margin_end (hint, 12);
      adw_bin_set_child (self->inspector, hint);
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
  /* After undo or redo the settings shown may be out of date. */
  if (selected_node (self) == NULL)
    rebuild_inspector (self);
}

static void
selection_changed_cb (HeraldFlowsPage *self)
{
  update_actions (self);
  rebuild_inspector (self);
}

/* Enter on a step moves the focus into its settings; Escape there comes back. */
static void
activate_step_cb (HeraldFlowsPage *self)
{
  gtk_widget_child_focus (GTK_WIDGET (self->inspector), GTK_DIR_TAB_FORWARD);
}

static gboolean
inspector_key_pressed_cb (HeraldFlowsPage *self,
                          guint            keyval,
                          guint            keycode,
                          GdkModifierType  state)
{
  if (keyval != GDK_KEY_Escape)
    return FALSE;
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
  return TRUE;
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
  gtk_editable_set_text (GTK_EDITABLE (self->title_label), herald_flow_get_name (flow));
  herald_flow_canvas_set_flow (self->canvas, flow);
  herald_forecast_panel_reload (self->forecast_panel);
  show_problems (self);
  update_actions (self);
}

static void
reload_list_selecting (HeraldFlowsPage *self,
                       const char      *select)
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
    {
      int index = 0;

      for (guint i = 0; select != NULL && names[i] != NULL; i++)
        if (g_ascii_strcasecmp (names[i], select) == 0)
          index = i;
      gtk_list_box_select_row (self->flow_list, gtk_list_box_get_row_at_index (self->flow_list, index));
    }
  else
    herald_flow_canvas_set_flow (self->canvas, NULL);
  g_signal_emit (self, signals[FLOWS_CHANGED], 0);
}

static void
reload_list (HeraldFlowsPage *self)
{
  reload_list_selecting (self, NULL);
}

/* Renaming: the title is an editable label. */
static void
title_editing_cb (HeraldFlowsPage *self)
{
  HeraldFlow *flow = herald_flow_canvas_get_flow (self->canvas);
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;

  if (gtk_editable_label_get_editing (self->title_label) || flow == NULL)
    return;
  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_label))));
  if (g_str_equal (name, herald_flow_get_name (flow)))
    return;

  save_now (self);
  if (!herald_flows_rename (self->workspace, herald_flow_get_name (flow), name, &error))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->title_label), herald_flow_get_name (flow));
      add_toast (self, adw_toast_new (error->message));
      return;
    }
  herald_flow_set_name (flow, name);
  reload_list_selecting (self, name);
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

static char *
unique_flow_name (HeraldFlowsPage *self,
                  const char      *base)
{
  g_auto(GStrv) names = herald_flows_list (self->workspace, NULL);

  for (guint n = 1; ; n++)
    {
      /* Translators: a name made unique, such as “Welcome series 2”. */
      g_autofree char *name = n == 1 ? g_strdup (base) : g_strdup_printf (_("%s %u"), base, n);
      gboolean taken = FALSE;

      for (guint i = 0; names != NULL && names[i] != NULL; i++)
        taken |= g_ascii_strcasecmp (names[i], name) == 0;
      if (!taken)
        return g_steal_pointer (&name);
    }
}

static void
new_activated (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  HeraldFlowsPage *self = user_data;
  HeraldFlowStarter starter = g_variant_get_uint32 (parameter);
  g_autoptr(HeraldFlow) flow = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  if (self->workspace == NULL || starter >= HERALD_N_FLOW_STARTERS)
    return;
  save_now (self);
  name = unique_flow_name (self, herald_flow_starter_get_title (starter));
  flow = herald_flow_starter_build (starter, name);
  if (!herald_flows_save (self->workspace, flow, &error))
    {
      add_toast (self, adw_toast_new (error->message));
      return;
    }
  reload_list_selecting (self, name);
}

static void
undo_delete_cb (AdwToast        *toast,
                HeraldFlowsPage *self)
{
  const char *json = g_object_get_data (G_OBJECT (toast), "flow");
  g_autoptr(HeraldFlow) flow = herald_flow_load (json, "", NULL);
  g_autoptr(GError) error = NULL;

  if (flow == NULL || self->workspace == NULL)
    return;
  if (!herald_flows_save (self->workspace, flow, &error))
    {
      add_toast (self, adw_toast_new (error->message));
      return;
    }
  reload_list_selecting (self, herald_flow_get_name (flow));
}

static void
delete_flow_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  HeraldFlowsPage *self = user_data;
  HeraldFlow *flow = herald_flow_canvas_get_flow (self->canvas);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (self->workspace == NULL || flow == NULL)
    return;
  save_now (self);
  if (!herald_flows_delete (self->workspace, herald_flow_get_name (flow), &error))
    {
      add_toast (self, adw_toast_new (error->message));
      return;
    }
  /* Translators: a toast after deleting a flow. */
  title = g_strdup_printf (_("Flow “%s” deleted"), herald_flow_get_name (flow));
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  g_object_set_data_full (G_OBJECT (toast), "flow", herald_flow_to_json (flow), g_free);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_delete_cb), self, 0);
  herald_flow_canvas_set_flow (self->canvas, NULL);
  reload_list (self);
  add_toast (self, toast);
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  g_autoptr(HeraldFlowsPage) self = user_data;
  gboolean picture = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "picture"));
  HeraldFlow *flow = herald_flow_canvas_get_flow (self->canvas);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  gboolean ok;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  if (file == NULL || flow == NULL || (path = g_file_get_path (file)) == NULL)
    return;

  if (picture)
    ok = herald_flow_draw_to_file (flow, path, &error);
  else
    {
      g_autofree char *json = herald_flow_to_json (flow);

      ok = g_file_set_contents (path, json, -1, &error);
    }
  add_toast (self, adw_toast_new (ok ? _("Flow exported") : error->message));
}

static void
export (HeraldFlowsPage *self,
        gboolean         picture)
{
  HeraldFlow *flow = herald_flow_canvas_get_flow (self->canvas);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  if (flow == NULL)
    return;
  save_now (self);
  chooser = gtk_file_chooser_native_new (_("Export Flow"), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  name = g_strdup_printf ("%s.%s", herald_flow_get_name (flow), picture ? "png" : "json");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_object_set_data (G_OBJECT (chooser), "picture", GINT_TO_POINTER (picture));
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_json_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  export (user_data, FALSE);
}

static void
export_picture_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  export (user_data, TRUE);
}

static void
arrange_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  herald_flow_canvas_arrange (HERALD_FLOWS_PAGE (user_data)->canvas);
}

/* Forecast mode: figures on the canvas, and the forecast beside it in
 * place of the step settings. */
static void
forecast_changed (GSimpleAction *action,
                  GVariant      *state,
                  gpointer       user_data)
{
  HeraldFlowsPage *self = HERALD_FLOWS_PAGE (user_data);
  gboolean active = g_variant_get_boolean (state);

  g_simple_action_set_state (action, state);
  herald_forecast_panel_set_active (self->forecast_panel, active);
  gtk_stack_set_visible_child_name (self->side_stack, active ? "forecast" : "inspector");
}

static const GActionEntry actions[] = {
  { "forecast", NULL, NULL, "false", forecast_changed },
  { "new", new_activated, "u" },
  { "arrange", arrange_activated },
  { "delete-flow", delete_flow_activated },
  { "export-json", export_json_activated },
  { "export-picture", export_picture_activated },
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
  g_clear_object (&self->new_menu);

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
  g_type_ensure (HERALD_TYPE_FORECAST_PANEL);

  /* Bound to the page, so they leave text fields elsewhere their own. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "flows.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "flows.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "flows.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "flows.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "flows.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "flows.fit", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/heraldapp/Herald/herald-flows-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HeraldFlowsPage, palette);
  gtk_widget_class_bind_template_child (widget_class, HeraldFlowsPage, canvas);
  gtk_widget_class_bind_template_child (widget_class, HeraldFlowsPage, demo_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldFlowsPage, empty_new_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldFlowsPage, inspector);
  gtk_widget_class_bind_template_child (widget_class, HeraldFlowsPage, flow_list);
  gtk_widget_class_bind_template_child (widget_class, HeraldFlowsPage, forecast_panel);
  gtk_widget_class_bind_template_child (widget_class, HeraldFlowsPage, problem_list);
  gtk_widget_class_bind_template_child (widget_class, HeraldFlowsPage, problems_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldFlowsPage, side_stack);
  gtk_widget_class_bind_template_child (widget_class, HeraldFlowsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, HeraldFlowsPage, title_label);
  gtk_widget_class_bind_template_callback (widget_class, canvas_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, flow_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, problem_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, title_editing_cb);
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
  g_signal_connect_object (self->canvas, "activate-step", G_CALLBACK (activate_step_cb), self,
                           G_CONNECT_SWAPPED);
  herald_forecast_panel_set_canvas (self->forecast_panel, self->canvas);
  {
    GtkEventController *keys = gtk_event_controller_key_new ();

    g_signal_connect_object (keys, "key-pressed", G_CALLBACK (inspector_key_pressed_cb), self, G_CONNECT_SWAPPED);
    gtk_widget_add_controller (GTK_WIDGET (self->inspector), keys);
  }
  update_actions (self);

  /* The palette: drag a step onto the canvas, or click to add it in the
   * middle of the view. */
  for (HeraldFlowNodeType type = 0; type < HERALD_N_FLOW_NODE_TYPES; type++)
    {
      GtkWidget *button = gtk_button_new_with_label (herald_flow_node_type_label (type));
      GtkDragSource *source = gtk_drag_source_new ();
      g_autoptr(GdkContentProvider) content = gdk_content_provider_new_typed (G_TYPE_STRING,
                                                                              herald_flow_node_type_key (type));

      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "flows.add-step");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", herald_flow_node_type_key (type));
      gtk_widget_set_tooltip_text (button, _("Drag onto the Canvas, or Click to Add in the Middle"));
      gtk_drag_source_set_content (source, content);
      gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
      gtk_widget_add_controller (button, GTK_EVENT_CONTROLLER (source));
      gtk_box_append (self->palette, button);
    }

  /* The starters a new flow can begin from. */
  self->new_menu = g_menu_new ();
  for (HeraldFlowStarter starter = 0; starter < HERALD_N_FLOW_STARTERS; starter++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (herald_flow_starter_get_title (starter), NULL);

      g_menu_item_set_action_and_target (item, "flows.new", "u", starter);
      g_menu_append_item (self->new_menu, item);
    }
  gtk_menu_button_set_menu_model (self->empty_new_button, G_MENU_MODEL (self->new_menu));
}

/**
 * herald_flows_page_get_new_menu:
 *
 * Returns: (transfer none): the menu of starters for a new flow
 */
GMenuModel *
herald_flows_page_get_new_menu (HeraldFlowsPage *self)
{
  g_return_val_if_fail (HERALD_IS_FLOWS_PAGE (self), NULL);

  return G_MENU_MODEL (self->new_menu);
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
  herald_forecast_panel_set_workspace (self->forecast_panel, workspace);
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
