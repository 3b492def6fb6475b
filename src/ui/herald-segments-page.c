/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-segments-page"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "herald-core.h"
#include "herald-segments-page.h"
#include "herald-widgets.h"

#define COUNT_DELAY_MS 300
#define PREVIEW_SIZE 10

/* The retention figures between the rules and the matching contacts. */
typedef enum
{
  FIGURE_CUSTOMERS,
  FIGURE_ORDERS,
  FIGURE_REVENUE,
  FIGURE_ORDER_VALUE,
  FIGURE_REPEAT,
  FIGURE_CHURN,
  FIGURE_LIFETIME_VALUE,
  N_FIGURES
} Figure;

/* The editor works on the rules as JSON: each control changes the object of
 * its rule in place; adding, removing or changing a rule's kind rebuilds
 * the controls from the JSON. Every change counts again, off the main
 * thread, a moment after the last one. */

struct _HeraldSegmentsPage
{
  GtkWidget           parent_instance;

  HeraldWorkspace    *workspace;
  GSimpleActionGroup *actions;
  JsonNode           *rules;
  char               *current;
  GCancellable       *counting;
  GCancellable       *retention_cancellable;
  guint               count_source;
  gboolean            loading;

  /* Template widgets */
  GtkLabel           *count_label;
  GtkWidget          *demo_button;
  AdwEntryRow        *description_row;
  AdwEntryRow        *name_row;
  AdwPreferencesGroup *preview_group;
  GtkLabel           *problem_label;
  AdwPreferencesGroup *retention_group;
  AdwBin             *rules_bin;
  GtkListBox         *segment_list;
  GtkSpinner         *spinner;
  GtkStack           *stack;
  GtkSwitch          *suppressed_switch;

  GPtrArray          *preview_rows;
  /* Owned: in the retention group only while there are customers, so
   * that an empty group shows no empty list. */
  GtkWidget          *figure_rows[N_FIGURES];
  GtkLabel           *figure_values[N_FIGURES];
  gboolean            figures_shown;

  /* The rule being dragged to a new place, and the list it comes from. */
  JsonObject         *dragged;
  JsonArray          *dragged_from;
};

G_DEFINE_FINAL_TYPE (HeraldSegmentsPage, herald_segments_page, GTK_TYPE_WIDGET)

enum {
  SEGMENTS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void rebuild_rules (HeraldSegmentsPage *self);
static void schedule_count (HeraldSegmentsPage *self);

static void
add_toast (HeraldSegmentsPage *self,
           AdwToast           *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

static char *
rules_text (HeraldSegmentsPage *self)
{
  JsonObject *root = json_node_get_object (self->rules);

  json_object_set_boolean_member (root, "include_suppressed", gtk_switch_get_active (self->suppressed_switch));
  return json_to_string (self->rules, FALSE);
}

/* Choices */

static const struct {
  const char *key;
  const char *label;
} kinds[] = {
  { "field", N_("Field") },
  { "tag", N_("Tag") },
  { "consent", N_("Consent") },
  { "event", N_("Behaviour") },
  { "segment", N_("Segment") },
};

static const struct {
  const char *op;
  const char *label;
  gboolean    number;
  gboolean    date;
  gboolean    no_value;
} operators[] = {
  { "equals", N_("is"), FALSE, FALSE, FALSE },
  { "not_equals", N_("is not"), FALSE, FALSE, FALSE },
  { "contains", N_("contains"), FALSE, FALSE, FALSE },
  { "starts_with", N_("starts with"), FALSE, FALSE, FALSE },
  { "ends_with", N_("ends with"), FALSE, FALSE, FALSE },
  { "in", N_("is one of"), FALSE, FALSE, FALSE },
  { "is_empty", N_("is empty"), FALSE, FALSE, TRUE },
  { "is_not_empty", N_("is not empty"), FALSE, FALSE, TRUE },
  { "eq", N_("="), TRUE, FALSE, FALSE },
  { "ne", N_("≠"), TRUE, FALSE, FALSE },
  { "lt", N_("<"), TRUE, FALSE, FALSE },
  { "lte", N_("≤"), TRUE, FALSE, FALSE },
  { "gt", N_(">"), TRUE, FALSE, FALSE },
  { "gte", N_("≥"), TRUE, FALSE, FALSE },
  { "between", N_("between"), TRUE, FALSE, FALSE },
  { "before", N_("before"), FALSE, TRUE, FALSE },
  { "after", N_("after"), FALSE, TRUE, FALSE },
  { "within_days", N_("in the last days"), FALSE, TRUE, FALSE },
  { "not_within_days", N_("not in the last days"), FALSE, TRUE, FALSE },
};

static const struct {
  const char *kind;
  const char *label;
} events[] = {
  { "open", N_("opened an email") },
  { "click", N_("clicked a link") },
  { "conversion", N_("converted") },
  { "delivered", N_("received an email") },
  { "bounce", N_("bounced") },
  { "unsubscribe", N_("unsubscribed") },
  { "complaint", N_("complained") },
};

static gboolean
field_is_number (const char *key)
{
  return g_strcmp0 (key, "company_size") == 0;
}

static gboolean
field_is_date (const char *key)
{
  return g_strcmp0 (key, "created_at") == 0 || g_strcmp0 (key, "updated_at") == 0;
}

static gboolean
operator_fits (guint       i,
               const char *field)
{
  if (field_is_number (field))
    return operators[i].number;
  if (field_is_date (field))
    return operators[i].date;
  return !operators[i].number && !operators[i].date;
}

/* Builders */

static GtkWidget *
drop_down (const char * const *labels,
           guint               n,
           guint               selected,
           const char         *accessible)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  GtkWidget *widget;

  for (guint i = 0; i < n; i++)
    gtk_string_list_append (list, labels[i]);

  widget = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&list)), NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (widget), selected);
  gtk_widget_set_valign (widget, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);

  return widget;
}

static void
set_rule (GtkWidget  *widget,
          JsonObject *rule)
{
  g_object_set_data_full (G_OBJECT (widget), "rule", json_object_ref (rule), (GDestroyNotify)json_object_unref);
}

static JsonObject *
get_rule (gpointer widget)
{
  return g_object_get_data (G_OBJECT (widget), "rule");
}

static void
value_changed_cb (GtkEditable        *entry,
                  HeraldSegmentsPage *self)
{
  JsonObject *rule = get_rule (entry);
  const char *key = g_object_get_data (G_OBJECT (entry), "member");
  const char *op = json_object_get_string_member_with_default (rule, "op", "");
  const char *text = gtk_editable_get_text (entry);

  if (g_str_equal (key, "value") && g_str_equal (op, "in"))
    {
      g_auto(GStrv) parts = g_strsplit (text, ",", -1);
      JsonArray *array = json_array_new ();

      for (guint i = 0; parts[i] != NULL; i++)
        if (g_strstrip (parts[i])[0] != '\0')
          json_array_add_string_element (array, parts[i]);
      json_object_set_array_member (rule, "value", array);
    }
  else if (g_str_equal (key, "value") && g_str_equal (op, "between"))
    {
      g_auto(GStrv) parts = g_strsplit_set (text, ",;–-", 2);
      JsonArray *array = json_array_new ();

      for (guint i = 0; parts[i] != NULL; i++)
        json_array_add_double_element (array, g_ascii_strtod (g_strstrip (parts[i]), NULL));
      json_object_set_array_member (rule, "value", array);
    }
  else if (g_object_get_data (G_OBJECT (entry), "number") != NULL)
    json_object_set_double_member (rule, key, g_ascii_strtod (text, NULL));
  else
    json_object_set_string_member (rule, key, text);

  schedule_count (self);
}

static GtkWidget *
value_entry (HeraldSegmentsPage *self,
             JsonObject         *rule,
             const char         *member,
             gboolean            number,
             const char         *placeholder)
{
  GtkWidget *entry = gtk_entry_new ();
  JsonNode *value = json_object_get_member (rule, member);
  g_autofree char *text = NULL;

  /* Narrow when room is short; the entry grows into what is left. */
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), 6);

  if (value != NULL && JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonArray *array = json_node_get_array (value);
      g_autoptr(GString) joined = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (i > 0)
            g_string_append (joined, ", ");
          if (json_node_get_value_type (item) == G_TYPE_STRING)
            g_string_append (joined, json_node_get_string (item));
          else
            g_string_append_printf (joined, "%g", json_node_get_double (item));
        }
      text = g_string_free (g_steal_pointer (&joined), FALSE);
    }
  else if (value != NULL && JSON_NODE_HOLDS_VALUE (value))
    text = json_node_get_value_type (value) == G_TYPE_STRING ? g_strdup (json_node_get_string (value))
                                                             : g_strdup_printf ("%g", json_node_get_double (value));

  gtk_editable_set_text (GTK_EDITABLE (entry), text ? text : "");
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_widget_set_hexpand (entry, TRUE);
  gtk_widget_set_valign (entry, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, placeholder, -1);
  set_rule (entry, rule);
  g_object_set_data (G_OBJECT (entry), "member", (gpointer)member);
  if (number)
    g_object_set_data (G_OBJECT (entry), "number", GINT_TO_POINTER (TRUE));
  g_signal_connect_object (entry, "changed", G_CALLBACK (value_changed_cb), self, 0);

  return entry;
}

/* Suggestions: the values contacts really have for the rule's field. */

static void
suggestion_clicked_cb (GtkButton *button,
                       GtkEntry  *entry)
{
  JsonObject *rule = get_rule (entry);
  const char *value = gtk_button_get_label (button);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  /* “is one of” collects values; the others take one. */
  if (g_strcmp0 (json_object_get_string_member_with_default (rule, "op", ""), "in") == 0 && text[0] != '\0')
    {
      g_autofree char *joined = g_strdup_printf ("%s, %s", text, value);

      gtk_editable_set_text (GTK_EDITABLE (entry), joined);
    }
  else
    gtk_editable_set_text (GTK_EDITABLE (entry), value);

  gtk_popover_popdown (GTK_POPOVER (gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_POPOVER)));
}

static void
suggestions_shown_cb (GtkPopover         *popover,
                      HeraldSegmentsPage *self)
{
  GtkEntry *entry = g_object_get_data (G_OBJECT (popover), "entry");
  JsonObject *rule = get_rule (entry);
  g_auto(GStrv) values = herald_contacts_list_values (self->workspace,
                                                      json_object_get_string_member_with_default (rule, "field", ""),
                                                      30);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  for (guint i = 0; values[i] != NULL; i++)
    {
      GtkWidget *button = gtk_button_new_with_label (values[i]);

      gtk_widget_add_css_class (button, "flat");
      gtk_label_set_xalign (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))), 0);
      g_signal_connect_object (button, "clicked", G_CALLBACK (suggestion_clicked_cb), entry, 0);
      gtk_box_append (GTK_BOX (box), button);
    }
  if (values[0] == NULL)
    {
      GtkWidget *label = gtk_label_new (_("No contact has a value here yet"));

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);
      gtk_box_append (GTK_BOX (box), label);
    }

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), box);
  gtk_popover_set_child (popover, scrolled);
}

static GtkWidget *
suggestions_button (HeraldSegmentsPage *self,
                    GtkWidget          *entry)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-list-symbolic");
  gtk_widget_set_tooltip_text (button, _("Values Contacts Have"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  g_object_set_data (G_OBJECT (popover), "entry", entry);
  /* Read when opened: a rule rebuilt while typing costs no query. */
  g_signal_connect_object (popover, "show", G_CALLBACK (suggestions_shown_cb), self, 0);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  return button;
}

/* A drop-down whose choice is written as a string member of the rule;
 * @keys are what is written, in the order of the labels. */
static void
choice_changed_cb (GtkDropDown        *drop,
                   GParamSpec         *pspec,
                   HeraldSegmentsPage *self)
{
  JsonObject *rule = get_rule (drop);
  const char *member = g_object_get_data (G_OBJECT (drop), "member");
  GStrv keys = g_object_get_data (G_OBJECT (drop), "keys");
  guint selected = gtk_drop_down_get_selected (drop);

  if (selected >= g_strv_length (keys))
    return;

  json_object_set_string_member (rule, member, keys[selected]);

  /* A new field or operator may need other controls. */
  if (g_object_get_data (G_OBJECT (drop), "rebuild") != NULL)
    {
      rebuild_rules (self);
      return;
    }

  schedule_count (self);
}

static GtkWidget *
choice (HeraldSegmentsPage *self,
        JsonObject         *rule,
        const char         *member,
        GStrv               keys,
        GStrv               labels,
        gboolean            rebuild,
        const char         *accessible)
{
  const char *current = json_object_get_string_member_with_default (rule, member, "");
  guint selected = 0;
  GtkWidget *drop;

  for (guint i = 0; keys[i] != NULL; i++)
    if (g_str_equal (keys[i], current))
      selected = i;

  drop = drop_down ((const char * const *)labels, g_strv_length (labels), selected, accessible);
  set_rule (drop, rule);
  g_object_set_data (G_OBJECT (drop), "member", (gpointer)member);
  g_object_set_data_full (G_OBJECT (drop), "keys", keys, (GDestroyNotify)g_strfreev);
  g_strfreev (labels);
  if (rebuild)
    g_object_set_data (G_OBJECT (drop), "rebuild", GINT_TO_POINTER (TRUE));

  /* The rule holds the shown choice even when it held none before. */
  if (keys[0] != NULL && !g_str_equal (current, keys[selected]))
    json_object_set_string_member (rule, member, keys[selected]);

  g_signal_connect_object (drop, "notify::selected", G_CALLBACK (choice_changed_cb), self, 0);
  return drop;
}

static void
strvs_add (GStrvBuilder *keys,
           GStrvBuilder *labels,
           const char   *key,
           const char   *label)
{
  g_strv_builder_add (keys, key);
  g_strv_builder_add (labels, label);
}

static void
build_field_rule (HeraldSegmentsPage *self,
                  GtkBox             *box,
                  JsonObject         *rule)
{
  g_autoptr(GStrvBuilder) field_keys = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) field_labels = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) op_keys = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) op_labels = g_strv_builder_new ();
  g_autoptr(GPtrArray) custom = NULL;
  const char *field;
  const char *op;

  for (guint f = 0; f < HERALD_N_CONTACT_FIELDS; f++)
    strvs_add (field_keys, field_labels, herald_contact_field_key (f), herald_contact_field_label (f));
  custom = herald_contacts_list_custom_fields (self->workspace);
  for (guint i = 0; i < custom->len; i++)
    strvs_add (field_keys, field_labels, g_ptr_array_index (custom, i), g_ptr_array_index (custom, i));

  gtk_box_append (box, choice (self, rule, "field", g_strv_builder_end (field_keys),
                               g_strv_builder_end (field_labels), TRUE, _("Field")));
  field = json_object_get_string_member (rule, "field");

  for (guint i = 0; i < G_N_ELEMENTS (operators); i++)
    if (operator_fits (i, field))
      strvs_add (op_keys, op_labels, operators[i].op, _(operators[i].label));

  gtk_box_append (box, choice (self, rule, "op", g_strv_builder_end (op_keys),
                               g_strv_builder_end (op_labels), TRUE, _("Comparison")));
  op = json_object_get_string_member (rule, "op");

  for (guint i = 0; i < G_N_ELEMENTS (operators); i++)
    if (g_str_equal (operators[i].op, op) && !operators[i].no_value)
      {
        GtkWidget *entry = value_entry (self, rule, "value",
                                        operators[i].number || g_str_has_suffix (op, "within_days"),
                                        g_str_equal (op, "in") ? _("Values, separated by commas")
                                        : g_str_equal (op, "between") ? _("From, to")
                                        : operators[i].date && !g_str_has_suffix (op, "within_days")
                                          ? _("Date, such as 2026-01-31")
                                        : _("Value"));

        gtk_box_append (box, entry);
        if (!operators[i].number && !operators[i].date)
          gtk_box_append (box, suggestions_button (self, entry));
      }
}

static GStrv
strv_of (const char *first,
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

static void
build_tag_rule (HeraldSegmentsPage *self,
                GtkBox             *box,
                JsonObject         *rule)
{
  g_auto(GStrv) tags = herald_contacts_list_tags (self->workspace);

  gtk_box_append (box, choice (self, rule, "op", strv_of ("has", "has_not", NULL),
                               strv_of (_("has the tag"), _("does not have the tag"), NULL), FALSE, _("Tag rule")));

  if (tags[0] != NULL)
    gtk_box_append (box, choice (self, rule, "tag", g_strdupv (tags), g_strdupv (tags), FALSE, _("Tag")));
  else
    gtk_box_append (box, value_entry (self, rule, "tag", FALSE, _("Tag")));
}

static void
build_consent_rule (HeraldSegmentsPage *self,
                    GtkBox             *box,
                    JsonObject         *rule)
{
  gtk_box_append (box, choice (self, rule, "op", strv_of ("granted", "not_granted", NULL),
                               strv_of (_("gave consent to"), _("did not give consent to"), NULL), FALSE,
                               _("Consent rule")));
  gtk_box_append (box, value_entry (self, rule, "consent", FALSE, _("Purpose, such as marketing-email")));
}

static void
build_event_rule (HeraldSegmentsPage *self,
                  GtkBox             *box,
                  JsonObject         *rule)
{
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();

  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    strvs_add (keys, labels, events[i].kind, _(events[i].label));

  gtk_box_append (box, choice (self, rule, "op", strv_of ("did", "did_not", NULL),
                               strv_of (_("has"), _("has not"), NULL), FALSE, _("Behaviour rule")));
  gtk_box_append (box, choice (self, rule, "event", g_strv_builder_end (keys), g_strv_builder_end (labels), FALSE,
                               _("Behaviour")));
  gtk_box_append (box, value_entry (self, rule, "within_days", TRUE, _("In the last days")));
}

static void
build_segment_rule (HeraldSegmentsPage *self,
                    GtkBox             *box,
                    JsonObject         *rule)
{
  g_autoptr(GPtrArray) segments = herald_segments_list (self->workspace, NULL);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  for (guint i = 0; segments != NULL && i < segments->len; i++)
    {
      HeraldSegmentInfo *info = g_ptr_array_index (segments, i);

      if (g_strcmp0 (info->name, self->current) != 0)
        g_strv_builder_add (names, info->name);
    }

  gtk_box_append (box, choice (self, rule, "op", strv_of ("in", "not_in", NULL),
                               strv_of (_("is in the segment"), _("is not in the segment"), NULL), FALSE,
                               _("Segment rule")));
  {
    GStrv list = g_strv_builder_end (names);

    if (list[0] != NULL)
      gtk_box_append (box, choice (self, rule, "segment", g_strdupv (list), list, FALSE, _("Segment")));
    else
      {
        g_strfreev (list);
        gtk_box_append (box, value_entry (self, rule, "segment", FALSE, _("Segment")));
      }
  }
}

static void
remove_clicked_cb (GtkButton          *button,
                   HeraldSegmentsPage *self)
{
  JsonArray *parent = g_object_get_data (G_OBJECT (button), "parent");
  JsonObject *rule = get_rule (button);

  for (guint i = 0; i < json_array_get_length (parent); i++)
    if (json_array_get_object_element (parent, i) == rule)
      {
        json_array_remove_element (parent, i);
        break;
      }

  rebuild_rules (self);
}

static void
kind_changed_cb (GtkDropDown        *drop,
                 GParamSpec         *pspec,
                 HeraldSegmentsPage *self)
{
  JsonObject *rule = get_rule (drop);
  guint kind = gtk_drop_down_get_selected (drop);
  g_autoptr(GList) members = json_object_get_members (rule);

  for (GList *l = members; l != NULL; l = l->next)
    json_object_remove_member (rule, l->data);

  switch (kind)
    {
    case 1:
      json_object_set_string_member (rule, "tag", "");
      break;
    case 2:
      json_object_set_string_member (rule, "consent", "marketing-email");
      break;
    case 3:
      json_object_set_string_member (rule, "event", "open");
      json_object_set_int_member (rule, "within_days", 90);
      break;
    case 4:
      json_object_set_string_member (rule, "segment", "");
      break;
    default:
      json_object_set_string_member (rule, "field", "industry");
      json_object_set_string_member (rule, "op", "equals");
      json_object_set_string_member (rule, "value", "");
      break;
    }

  rebuild_rules (self);
}

/* Moving rules: by dragging their handle, or from the handle's menu. */

static gboolean
contains_rule (JsonObject *group,
               JsonObject *rule)
{
  JsonArray *rules;

  if (group == rule)
    return TRUE;
  if (!json_object_has_member (group, "rules"))
    return FALSE;
  rules = json_object_get_array_member (group, "rules");
  for (guint i = 0; i < json_array_get_length (rules); i++)
    {
      JsonNode *node = json_array_get_element (rules, i);

      if (JSON_NODE_HOLDS_OBJECT (node) && contains_rule (json_node_get_object (node), rule))
        return TRUE;
    }
  return FALSE;
}

static int
index_of (JsonArray  *array,
          JsonObject *rule)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (json_array_get_object_element (array, i) == rule)
      return i;
  return -1;
}

/* Puts `rule` from `from` into `to` at `position`; json-glib appends only,
 * so the list is rebuilt in its new order. */
static void
move_rule (JsonArray  *from,
           JsonObject *rule,
           JsonArray  *to,
           guint       position)
{
  g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  int old = index_of (from, rule);
  JsonNode *moved;

  if (old < 0)
    return;
  moved = json_node_ref (json_array_get_element (from, old));
  json_array_remove_element (from, old);
  if (from == to && (guint) old < position)
    position--;

  for (guint i = 0; i < json_array_get_length (to); i++)
    g_ptr_array_add (nodes, json_node_ref (json_array_get_element (to, i)));
  g_ptr_array_insert (nodes, MIN (position, nodes->len), moved);
  while (json_array_get_length (to) > 0)
    json_array_remove_element (to, json_array_get_length (to) - 1);
  for (guint i = 0; i < nodes->len; i++)
    json_array_add_element (to, json_node_ref (nodes->pdata[i]));
}

static gboolean
rebuild_idle_cb (gpointer user_data)
{
  g_autoptr(HeraldSegmentsPage) self = user_data;

  if (self->workspace != NULL)
    rebuild_rules (self);
  return G_SOURCE_REMOVE;
}

static void
move_clicked_cb (GtkButton          *button,
                 HeraldSegmentsPage *self)
{
  JsonArray *parent = g_object_get_data (G_OBJECT (button), "parent");
  JsonObject *rule = get_rule (button);
  int step = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "step"));
  int index = index_of (parent, rule);

  gtk_popover_popdown (GTK_POPOVER (gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_POPOVER)));
  if (index < 0 || index + step < 0 || (guint) (index + step) >= json_array_get_length (parent))
    return;
  move_rule (parent, rule, parent, step > 0 ? index + 2 : index - 1);
  g_idle_add (rebuild_idle_cb, g_object_ref (self));
}

static GdkContentProvider *
drag_prepare_cb (GtkDragSource      *source,
                 double              x,
                 double              y,
                 HeraldSegmentsPage *self)
{
  GtkWidget *handle = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));

  self->dragged = get_rule (handle);
  self->dragged_from = g_object_get_data (G_OBJECT (handle), "parent");
  return gdk_content_provider_new_typed (G_TYPE_STRING, "herald-segment-rule");
}

static gboolean
drop_cb (GtkDropTarget      *target,
         const GValue       *value,
         double              x,
         double              y,
         HeraldSegmentsPage *self)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target));
  JsonObject *onto = get_rule (row);
  JsonArray *to = g_object_get_data (G_OBJECT (row), "parent");
  int position;

  if (self->dragged == NULL || to == NULL || onto == NULL || contains_rule (self->dragged, onto))
    return FALSE;

  /* Dropped on the lower half of a rule, it goes after it. */
  position = index_of (to, onto);
  if (y > gtk_widget_get_height (row) / 2.0)
    position++;
  move_rule (self->dragged_from, self->dragged, to, position);
  self->dragged = NULL;
  self->dragged_from = NULL;
  /* Not now: the drop is still being delivered to these widgets. */
  g_idle_add (rebuild_idle_cb, g_object_ref (self));
  return TRUE;
}

/* The handle at the start of a rule or group: drag it to move the rule,
 * or open it to move the rule up or down with the keyboard. */
static GtkWidget *
move_handle (HeraldSegmentsPage *self,
             JsonObject         *rule,
             JsonArray          *parent)
{
  GtkWidget *handle = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkDragSource *source = gtk_drag_source_new ();
  static const struct { const char *label; int step; } moves[] = {
    { N_("Move _Up"), -1 },
    { N_("Move _Down"), 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (moves); i++)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_(moves[i].label));

      gtk_widget_add_css_class (button, "flat");
      set_rule (button, rule);
      g_object_set_data_full (G_OBJECT (button), "parent", json_array_ref (parent), (GDestroyNotify) json_array_unref);
      g_object_set_data (G_OBJECT (button), "step", GINT_TO_POINTER (moves[i].step));
      g_signal_connect_object (button, "clicked", G_CALLBACK (move_clicked_cb), self, 0);
      gtk_box_append (GTK_BOX (box), button);
    }
  gtk_popover_set_child (GTK_POPOVER (popover), box);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (handle), "list-drag-handle-symbolic");
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (handle), popover);
  gtk_widget_set_tooltip_text (handle, _("Drag to Move, or Open to Move Up or Down"));
  gtk_widget_set_valign (handle, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (handle, "flat");
  set_rule (handle, rule);
  g_object_set_data_full (G_OBJECT (handle), "parent", json_array_ref (parent), (GDestroyNotify) json_array_unref);

  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect_object (source, "prepare", G_CALLBACK (drag_prepare_cb), self, 0);
  gtk_widget_add_controller (handle, GTK_EVENT_CONTROLLER (source));
  return handle;
}

/* Makes a rule's or group's widget a place to drop dragged rules. */
static void
accept_drops (HeraldSegmentsPage *self,
              GtkWidget          *widget,
              JsonObject         *rule,
              JsonArray          *parent)
{
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE);

  set_rule (widget, rule);
  g_object_set_data_full (G_OBJECT (widget), "parent", json_array_ref (parent), (GDestroyNotify) json_array_unref);
  g_signal_connect_object (target, "drop", G_CALLBACK (drop_cb), self, 0);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (target));
}

static GtkWidget *build_group (HeraldSegmentsPage *self,
                               JsonObject         *group,
                               JsonArray          *parent,
                               guint               depth);

static GtkWidget *
remove_button (HeraldSegmentsPage *self,
               JsonObject         *rule,
               JsonArray          *parent,
               const char         *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("list-remove-symbolic");

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  set_rule (button, rule);
  g_object_set_data_full (G_OBJECT (button), "parent", json_array_ref (parent), (GDestroyNotify)json_array_unref);
  g_signal_connect_object (button, "clicked", G_CALLBACK (remove_clicked_cb), self, 0);

  return button;
}

static GtkWidget *
build_rule (HeraldSegmentsPage *self,
            JsonObject         *rule,
            JsonArray          *parent,
            guint               depth)
{
  const char *kind_labels[G_N_ELEMENTS (kinds)];
  GtkWidget *box;
  GtkWidget *drop;
  guint kind = 0;

  if (json_object_has_member (rule, "rules") || json_object_has_member (rule, "match"))
    return build_group (self, rule, parent, depth + 1);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      kind_labels[i] = _(kinds[i].label);
      if (json_object_has_member (rule, kinds[i].key))
        kind = i;
    }

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);

  gtk_box_append (GTK_BOX (box), move_handle (self, rule, parent));
  accept_drops (self, box, rule, parent);

  drop = drop_down (kind_labels, G_N_ELEMENTS (kinds), kind, _("Kind of rule"));
  set_rule (drop, rule);
  g_signal_connect_object (drop, "notify::selected", G_CALLBACK (kind_changed_cb), self, 0);
  gtk_box_append (GTK_BOX (box), drop);

  switch (kind)
    {
    case 1: build_tag_rule (self, GTK_BOX (box), rule); break;
    case 2: build_consent_rule (self, GTK_BOX (box), rule); break;
    case 3: build_event_rule (self, GTK_BOX (box), rule); break;
    case 4: build_segment_rule (self, GTK_BOX (box), rule); break;
    default: build_field_rule (self, GTK_BOX (box), rule); break;
    }

  gtk_box_append (GTK_BOX (box), remove_button (self, rule, parent, _("Remove This Rule")));

  return box;
}

static void
add_rule_clicked_cb (GtkButton          *button,
                     HeraldSegmentsPage *self)
{
  JsonObject *group = get_rule (button);
  JsonObject *rule = json_object_new ();
  gboolean is_group = g_object_get_data (G_OBJECT (button), "group") != NULL;

  if (is_group)
    {
      json_object_set_string_member (rule, "match", "any");
      json_object_set_array_member (rule, "rules", json_array_new ());
    }
  else
    {
      json_object_set_string_member (rule, "field", "industry");
      json_object_set_string_member (rule, "op", "equals");
      json_object_set_string_member (rule, "value", "");
    }

  json_array_add_object_element (json_object_get_array_member (group, "rules"), rule);
  rebuild_rules (self);
}

static GtkWidget *
build_group (HeraldSegmentsPage *self,
             JsonObject         *group,
             JsonArray          *parent,
             guint               depth)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *button;
  JsonArray *rules;

  if (!json_object_has_member (group, "rules"))
    json_object_set_array_member (group, "rules", json_array_new ());
  rules = json_object_get_array_member (group, "rules");

  if (depth > 0)
    {
      gtk_widget_set_margin_start (box, 12);
      gtk_widget_set_margin_top (box, 6);
      gtk_widget_set_margin_bottom (box, 6);
      gtk_widget_set_margin_end (box, 6);
    }

  if (parent != NULL)
    {
      gtk_box_append (GTK_BOX (header), move_handle (self, group, parent));
      accept_drops (self, box, group, parent);
    }

  gtk_box_append (GTK_BOX (header),
                  choice (self, group, "match", strv_of ("all", "any", NULL),
                          strv_of (_("All of these rules"), _("Any of these rules"), NULL), FALSE,
                          _("How the rules of this group combine")));

  button = herald_wrapping_button_new (_("Add _Rule"));
  set_rule (button, group);
  g_signal_connect_object (button, "clicked", G_CALLBACK (add_rule_clicked_cb), self, 0);
  gtk_widget_set_hexpand (button, TRUE);
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (header), button);

  button = herald_wrapping_button_new (_("Add _Group"));
  set_rule (button, group);
  g_object_set_data (G_OBJECT (button), "group", GINT_TO_POINTER (TRUE));
  g_signal_connect_object (button, "clicked", G_CALLBACK (add_rule_clicked_cb), self, 0);
  gtk_box_append (GTK_BOX (header), button);

  if (parent != NULL)
    gtk_box_append (GTK_BOX (header), remove_button (self, group, parent, _("Remove This Group")));

  gtk_box_append (GTK_BOX (box), header);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  for (guint i = 0; i < json_array_get_length (rules); i++)
    {
      JsonNode *node = json_array_get_element (rules, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        gtk_list_box_append (GTK_LIST_BOX (list), build_rule (self, json_node_get_object (node), rules, depth));
    }

  if (json_array_get_length (rules) == 0)
    {
      GtkWidget *empty = gtk_label_new (depth == 0 ? _("No rules: every contact that can be emailed matches.")
                                                   : _("No rules in this group yet."));

      gtk_widget_add_css_class (empty, "dim-label");
      gtk_widget_set_margin_top (empty, 12);
      gtk_widget_set_margin_bottom (empty, 12);
      gtk_list_box_append (GTK_LIST_BOX (list), empty);
    }

  gtk_box_append (GTK_BOX (box), list);

  return box;
}

static void
rebuild_rules (HeraldSegmentsPage *self)
{
  adw_bin_set_child (self->rules_bin, build_group (self, json_node_get_object (self->rules), NULL, 0));
  schedule_count (self);
}

/* Counting */

static void
show_preview (HeraldSegmentsPage *self,
              const char         *rules)
{
  g_autoptr(GPtrArray) contacts = herald_segment_preview (self->workspace, rules, PREVIEW_SIZE, NULL);

  for (guint i = 0; i < self->preview_rows->len; i++)
    adw_preferences_group_remove (self->preview_group, g_ptr_array_index (self->preview_rows, i));
  g_ptr_array_set_size (self->preview_rows, 0);

  for (guint i = 0; contacts != NULL && i < contacts->len; i++)
    {
      HeraldContact *contact = g_ptr_array_index (contacts, i);
      g_autofree char *name = herald_contact_dup_full_name (contact);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), herald_contact_get_email (contact));
      adw_preferences_group_add (self->preview_group, row);
      g_ptr_array_add (self->preview_rows, row);
    }
}

static void
count_finished_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  HeraldSegmentsPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 count = herald_segment_count_finish (HERALD_WORKSPACE (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_stop (self->spinner);
  g_clear_object (&self->counting);

  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), count < 0);
  if (count < 0)
    {
      gtk_label_set_label (self->problem_label, error->message);
      gtk_label_set_label (self->count_label, "—");
      return;
    }

  text = g_strdup_printf (ngettext ("%'u contact", "%'u contacts", (guint)count), (guint)count);
  gtk_label_set_label (self->count_label, text);

  {
    g_autofree char *rules = rules_text (self);

    show_preview (self, rules);
  }
}

/* Retention */

static void
set_figure (HeraldSegmentsPage *self,
            Figure              figure,
            const char         *value,
            const char         *subtitle)
{
  gtk_label_set_label (self->figure_values[figure], value);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->figure_rows[figure]), subtitle);
}

static void
show_figure_rows (HeraldSegmentsPage *self,
                  gboolean            show)
{
  if (show == self->figures_shown)
    return;

  for (guint i = 0; i < N_FIGURES; i++)
    {
      if (show)
        adw_preferences_group_add (self->retention_group, self->figure_rows[i]);
      else
        adw_preferences_group_remove (self->retention_group, self->figure_rows[i]);
    }
  self->figures_shown = show;
}

static void
show_retention (HeraldSegmentsPage    *self,
                const HeraldRetention *r)
{
  gulong members = (gulong) r->members, customers = (gulong) r->customers, orders = (gulong) r->orders;
  g_autofree char *members_text = herald_format_decimal (r->members, 0);
  g_autofree char *customers_text = herald_format_decimal (r->customers, 0);
  g_autofree char *orders_text = herald_format_decimal (r->orders, 0);
  g_autofree char *frequency = herald_format_decimal (r->purchase_frequency, 1);
  g_autofree char *revenue = herald_format_money (r->revenue, r->currency);
  g_autofree char *per_customer = herald_format_money (r->average_order_value * r->purchase_frequency,
                                                              r->currency);
  g_autofree char *order_value = herald_format_money (r->average_order_value, r->currency);
  g_autofree char *repeat = herald_format_percent (r->repeat_purchase_rate);
  g_autofree char *churn = herald_format_percent (r->churn_rate);
  g_autofree char *lifetime_value = herald_format_money (r->customer_lifetime_value, r->currency);
  g_autofree char *of_members = NULL, *of_customers = NULL, *of_orders = NULL, *frequency_text = NULL;
  g_autofree char *revenue_text = NULL, *repeat_text = NULL, *window = NULL, *churn_text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->retention_group), TRUE);

  if (r->customers == 0)
    {
      show_figure_rows (self, FALSE);
      adw_preferences_group_set_description (self->retention_group,
                                             _("None of these contacts has ordered yet. Import orders on the "
                                               "Results page to see repeat purchases, churn and lifetime value."));
      return;
    }
  adw_preferences_group_set_description (self->retention_group, NULL);
  show_figure_rows (self, TRUE);

  of_members = g_strdup_printf (ngettext ("Of %s contact", "Of %s contacts", members), members_text);
  /* Translators: under the number of orders, the purchase frequency. */
  frequency_text = g_strdup_printf (_("%s per customer"), frequency);
  /* Translators: under the revenue, the revenue per customer. */
  revenue_text = g_strdup_printf (_("%s per customer"), per_customer);
  of_orders = g_strdup_printf (ngettext ("Revenue per order, of %s order", "Revenue per order, of %s orders", orders),
                               orders_text);
  of_customers = g_strdup_printf (ngettext ("of %s customer", "of %s customers", customers), customers_text);
  /* Translators: under the repeat purchase rate; %s is “of 40 customers”. */
  repeat_text = g_strdup_printf (_("Ordered twice or more, %s"), of_customers);
  window = g_strdup_printf (ngettext ("No order for %u day", "No order for %u days", r->churn_days), r->churn_days);
  /* Translators: under the churn rate: “No order for 180 days”, “of 40 customers”. */
  churn_text = g_strdup_printf (C_("churn", "%s, %s"), window, of_customers);

  set_figure (self, FIGURE_CUSTOMERS, customers_text, of_members);
  set_figure (self, FIGURE_ORDERS, orders_text, frequency_text);
  set_figure (self, FIGURE_REVENUE, revenue, revenue_text);
  set_figure (self, FIGURE_ORDER_VALUE, order_value, of_orders);
  set_figure (self, FIGURE_REPEAT, repeat, repeat_text);
  set_figure (self, FIGURE_CHURN, churn, churn_text);
  /* The definitions are in herald-retention.c. */
  set_figure (self, FIGURE_LIFETIME_VALUE, lifetime_value,
              r->churn_rate == 0 ? _("Spent per customer so far: nobody has lapsed yet, so the lifetime is unknown")
                                 : _("Average order value × orders per customer ÷ churn rate"));
}

static void
retention_finished_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  HeraldSegmentsPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldRetention) retention = herald_retention_compute_for_rules_finish (HERALD_WORKSPACE (object),
                                                                                    result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->retention_cancellable);

  /* Rules that do not count say why above; there are no figures then. */
  if (retention == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->retention_group), FALSE);
      return;
    }

  show_retention (self, retention);
}

static void
compute_retention (HeraldSegmentsPage *self,
                   const char         *rules)
{
  if (self->retention_cancellable != NULL)
    g_cancellable_cancel (self->retention_cancellable);
  g_set_object (&self->retention_cancellable, g_cancellable_new ());

  herald_retention_compute_for_rules_async (self->workspace, rules,
                                            gtk_editable_get_text (GTK_EDITABLE (self->name_row)), 0,
                                            HERALD_RETENTION_DEFAULT_CHURN_DAYS, self->retention_cancellable,
                                            retention_finished_cb, self);
}

static gboolean
count_now_cb (gpointer user_data)
{
  HeraldSegmentsPage *self = user_data;
  g_autofree char *rules = rules_text (self);

  self->count_source = 0;

  if (self->counting != NULL)
    g_cancellable_cancel (self->counting);
  g_set_object (&self->counting, g_cancellable_new ());

  gtk_spinner_start (self->spinner);
  herald_segment_count_async (self->workspace, rules, gtk_editable_get_text (GTK_EDITABLE (self->name_row)),
                              self->counting, count_finished_cb, self);
  compute_retention (self, rules);

  return G_SOURCE_REMOVE;
}

static void
schedule_count (HeraldSegmentsPage *self)
{
  if (self->workspace == NULL || self->loading)
    return;

  g_clear_handle_id (&self->count_source, g_source_remove);
  self->count_source = g_timeout_add (COUNT_DELAY_MS, count_now_cb, self);
}

static void
rules_changed_cb (HeraldSegmentsPage *self)
{
  schedule_count (self);
}

/* The list */

static void
row_count_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GtkLabel) label = user_data;
  g_autoptr(GError) error = NULL;
  gint64 count = herald_segment_count_finish (HERALD_WORKSPACE (object), result, &error);
  g_autofree char *text = count >= 0 ? g_strdup_printf ("%'" G_GINT64_FORMAT, count) : g_strdup ("!");

  gtk_label_set_label (label, text);
  if (count < 0)
    gtk_widget_set_tooltip_text (GTK_WIDGET (label), error->message);
}

static HeraldSegmentInfo *
copy_info (const HeraldSegmentInfo *info)
{
  HeraldSegmentInfo *copy = g_new0 (HeraldSegmentInfo, 1);

  copy->name = g_strdup (info->name);
  copy->description = g_strdup (info->description);
  copy->rules = g_strdup (info->rules);

  return copy;
}

static void
load (HeraldSegmentsPage *self,
      const char         *name,
      const char         *description,
      const char         *rules)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;

  self->loading = TRUE;
  g_free (self->current);
  self->current = g_strdup (name);

  if (rules == NULL || !json_parser_load_from_data (parser, rules, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    json_parser_load_from_data (parser, "{\"match\": \"all\", \"rules\": []}", -1, NULL);

  g_clear_pointer (&self->rules, json_node_unref);
  self->rules = json_node_copy (json_parser_get_root (parser));
  root = json_node_get_object (self->rules);

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name ? name : _("New Segment"));
  gtk_editable_set_text (GTK_EDITABLE (self->description_row), description ? description : "");
  gtk_switch_set_active (self->suppressed_switch,
                         json_object_get_boolean_member_with_default (root, "include_suppressed", FALSE));
  self->loading = FALSE;

  rebuild_rules (self);
}

static void
segment_selected_cb (HeraldSegmentsPage *self,
                     GtkListBoxRow      *row)
{
  HeraldSegmentInfo *info;

  if (row == NULL || self->loading)
    return;

  info = g_object_get_data (G_OBJECT (row), "info");
  load (self, info->name, info->description, info->rules);
}

/* Under a segment's name, what the campaigns sent to it brought. */
static void
show_row_results (HeraldSegmentsPage *self,
                  GtkWidget          *row)
{
  HeraldSegmentInfo *info = g_object_get_data (G_OBJECT (row), "info");
  GtkLabel *label = g_object_get_data (G_OBJECT (row), "results-label");
  g_autofree char *results = herald_segment_describe_results (self->workspace, info->name);
  g_autofree char *tooltip = NULL;

  gtk_label_set_label (label, results != NULL ? results : "");
  gtk_widget_set_visible (GTK_WIDGET (label), results != NULL);
  if (results != NULL && info->description != NULL && *info->description != '\0')
    tooltip = g_strdup_printf ("%s\n%s", info->description, results);
  else
    tooltip = g_strdup (results != NULL ? results : info->description);
  gtk_widget_set_tooltip_text (row, tooltip);
}

static void
reload_list (HeraldSegmentsPage *self,
             const char         *select)
{
  g_autoptr(GPtrArray) segments = herald_segments_list (self->workspace, NULL);
  GtkWidget *child;
  GtkListBoxRow *selected = NULL;

  self->loading = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->segment_list))) != NULL)
    gtk_list_box_remove (self->segment_list, child);
  self->loading = FALSE;

  for (guint i = 0; segments != NULL && i < segments->len; i++)
    {
      HeraldSegmentInfo *info = g_ptr_array_index (segments, i);
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *names = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *label = gtk_label_new (info->name);
      GtkWidget *count = gtk_label_new ("…");
      GtkWidget *detail = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_xalign (GTK_LABEL (detail), 0);
      gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (detail, "caption");
      gtk_widget_add_css_class (detail, "dim-label");
      gtk_widget_set_hexpand (names, TRUE);
      gtk_widget_add_css_class (count, "dim-label");
      gtk_widget_add_css_class (count, "numeric");
      gtk_box_append (GTK_BOX (names), label);
      gtk_box_append (GTK_BOX (names), detail);
      gtk_box_append (GTK_BOX (box), names);
      gtk_box_append (GTK_BOX (box), count);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      g_object_set_data (G_OBJECT (row), "results-label", detail);

      herald_segment_count_async (self->workspace, info->rules, info->name, NULL, row_count_cb, g_object_ref (count));
      g_object_set_data_full (G_OBJECT (row), "info", copy_info (info), (GDestroyNotify)herald_segment_info_free);
      show_row_results (self, row);
      gtk_list_box_append (self->segment_list, row);

      if (g_strcmp0 (select, info->name) == 0 || (select == NULL && selected == NULL))
        selected = GTK_LIST_BOX_ROW (row);
    }

  gtk_stack_set_visible_child_name (self->stack, selected != NULL || self->current != NULL ? "segments" : "empty");
  if (selected != NULL)
    gtk_list_box_select_row (self->segment_list, selected);

  g_signal_emit (self, signals[SEGMENTS_CHANGED], 0);
}

/* Actions */

static void
new_activated (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  HeraldSegmentsPage *self = user_data;

  gtk_list_box_unselect_all (self->segment_list);
  gtk_stack_set_visible_child_name (self->stack, "segments");
  load (self, NULL, NULL, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static gboolean
save_as (HeraldSegmentsPage *self,
         const char         *name)
{
  g_autofree char *rules = rules_text (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) existing = herald_segments_list (self->workspace, NULL);
  const char *description = gtk_editable_get_text (GTK_EDITABLE (self->description_row));

  /* Saving never replaces another segment: only the one being edited. */
  for (guint i = 0; existing != NULL && i < existing->len; i++)
    {
      HeraldSegmentInfo *info = g_ptr_array_index (existing, i);

      if (g_ascii_strcasecmp (info->name, name) == 0 &&
          (self->current == NULL || g_ascii_strcasecmp (info->name, self->current) != 0))
        {
          g_autofree char *message = g_strdup_printf (_("A segment called “%s” exists already. Choose another name."),
                                                      info->name);

          add_toast (self, adw_toast_new (message));
          return FALSE;
        }
    }

  if (!herald_segments_save (self->workspace, name, rules, description[0] ? description : NULL, name, &error))
    {
      add_toast (self, adw_toast_new (error->message));
      return FALSE;
    }

  return TRUE;
}

static void
save_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  HeraldSegmentsPage *self = user_data;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));

  if (!save_as (self, name))
    return;

  /* A new name is a rename: the old one goes. */
  if (self->current != NULL && g_ascii_strcasecmp (self->current, name) != 0)
    herald_segments_delete (self->workspace, self->current, NULL);

  g_free (self->current);
  self->current = g_strdup (name);
  reload_list (self, name);
  add_toast (self, adw_toast_new (_("Segment saved")));
}

static void
duplicate_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  HeraldSegmentsPage *self = user_data;
  /* Translators: the name of a copy of a segment. */
  g_autofree char *name = g_strdup_printf (_("%s (Copy)"), gtk_editable_get_text (GTK_EDITABLE (self->name_row)));

  if (!save_as (self, name))
    return;

  g_free (self->current);
  self->current = g_strdup (name);
  reload_list (self, name);
}

static void
undo_delete_cb (AdwToast           *toast,
                HeraldSegmentsPage *self)
{
  HeraldSegmentInfo *info = g_object_get_data (G_OBJECT (toast), "info");
  g_autoptr(GError) error = NULL;

  if (!herald_segments_save (self->workspace, info->name, info->rules, info->description, info->name, &error))
    add_toast (self, adw_toast_new (error->message));
  reload_list (self, info->name);
}

static void
delete_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  HeraldSegmentsPage *self = user_data;
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->segment_list);
  HeraldSegmentInfo *info;
  HeraldSegmentInfo *copy;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (row == NULL || self->current == NULL)
    {
      /* An unsaved segment is only let go. */
      g_clear_pointer (&self->current, g_free);
      reload_list (self, NULL);
      return;
    }

  info = g_object_get_data (G_OBJECT (row), "info");
  if (!herald_segments_delete (self->workspace, info->name, &error))
    {
      add_toast (self, adw_toast_new (error->message));
      return;
    }

  copy = copy_info (info);

  /* Translators: a toast after deleting a segment. */
  title = g_strdup_printf (_("Segment “%s” deleted"), copy->name);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  g_object_set_data_full (G_OBJECT (toast), "info", copy, (GDestroyNotify)herald_segment_info_free);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_delete_cb), self, 0);

  g_clear_pointer (&self->current, g_free);
  reload_list (self, NULL);
  add_toast (self, toast);
}

static const GActionEntry actions[] = {
  { "new", new_activated },
  { "save", save_activated },
  { "duplicate", duplicate_activated },
  { "delete", delete_activated },
};

static void
add_figure_rows (HeraldSegmentsPage *self)
{
  static const char * const titles[N_FIGURES] = {
    [FIGURE_CUSTOMERS] = N_("Contacts Who Ordered"),
    [FIGURE_ORDERS] = N_("Orders"),
    [FIGURE_REVENUE] = N_("Revenue"),
    [FIGURE_ORDER_VALUE] = N_("Average Order Value"),
    [FIGURE_REPEAT] = N_("Repeat Purchase Rate"),
    [FIGURE_CHURN] = N_("Churn Rate"),
    [FIGURE_LIFETIME_VALUE] = N_("Customer Lifetime Value"),
  };

  for (guint i = 0; i < N_FIGURES; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *value = gtk_label_new (NULL);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(titles[i]));
      gtk_widget_add_css_class (value, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);
      self->figure_rows[i] = g_object_ref_sink (row);
      self->figure_values[i] = GTK_LABEL (value);
    }
}

static void
herald_segments_page_dispose (GObject *object)
{
  HeraldSegmentsPage *self = (HeraldSegmentsPage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), HERALD_TYPE_SEGMENTS_PAGE);

  if (self->counting != NULL)
    g_cancellable_cancel (self->counting);
  g_clear_object (&self->counting);
  if (self->retention_cancellable != NULL)
    g_cancellable_cancel (self->retention_cancellable);
  g_clear_object (&self->retention_cancellable);
  g_clear_handle_id (&self->count_source, g_source_remove);
  g_clear_object (&self->actions);
  g_clear_object (&self->workspace);
  g_clear_pointer (&self->rules, json_node_unref);
  g_clear_pointer (&self->current, g_free);
  g_clear_pointer (&self->preview_rows, g_ptr_array_unref);
  for (guint i = 0; i < N_FIGURES; i++)
    g_clear_object (&self->figure_rows[i]);

  G_OBJECT_CLASS (herald_segments_page_parent_class)->dispose (object);
}

static void
herald_segments_page_class_init (HeraldSegmentsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = herald_segments_page_dispose;

  /**
   * HeraldSegmentsPage::segments-changed:
   *
   * Emitted when segments were saved or deleted.
   */
  signals[SEGMENTS_CHANGED] = g_signal_new ("segments-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/heraldapp/Herald/herald-segments-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HeraldSegmentsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldSegmentsPage, demo_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldSegmentsPage, description_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldSegmentsPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldSegmentsPage, preview_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldSegmentsPage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldSegmentsPage, retention_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldSegmentsPage, rules_bin);
  gtk_widget_class_bind_template_child (widget_class, HeraldSegmentsPage, segment_list);
  gtk_widget_class_bind_template_child (widget_class, HeraldSegmentsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, HeraldSegmentsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, HeraldSegmentsPage, suppressed_switch);
  gtk_widget_class_bind_template_callback (widget_class, rules_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, segment_selected_cb);
}

static void
herald_segments_page_init (HeraldSegmentsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->preview_rows = g_ptr_array_new ();
  add_figure_rows (self);
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), actions, G_N_ELEMENTS (actions), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "segments", G_ACTION_GROUP (self->actions));
}

void
herald_segments_page_set_workspace (HeraldSegmentsPage *self,
                                    HeraldWorkspace    *workspace,
                                    gboolean            is_demo)
{
  g_return_if_fail (HERALD_IS_SEGMENTS_PAGE (self));
  g_return_if_fail (HERALD_IS_WORKSPACE (workspace));

  if (self->counting != NULL)
    g_cancellable_cancel (self->counting);
  if (self->retention_cancellable != NULL)
    g_cancellable_cancel (self->retention_cancellable);
  g_clear_handle_id (&self->count_source, g_source_remove);
  g_set_object (&self->workspace, workspace);
  g_clear_pointer (&self->current, g_free);
  gtk_widget_set_visible (self->demo_button, !is_demo);

  load (self, NULL, NULL, NULL);
  reload_list (self, NULL);
}

/**
 * herald_segments_page_reload_results:
 *
 * Shows again, under each segment, what the campaigns sent to it
 * brought; the segment being edited stays as it is.
 */
void
herald_segments_page_reload_results (HeraldSegmentsPage *self)
{
  g_return_if_fail (HERALD_IS_SEGMENTS_PAGE (self));

  if (self->workspace == NULL)
    return;
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->segment_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_object_get_data (G_OBJECT (row), "info") != NULL)
      show_row_results (self, row);
}

/**
 * herald_segments_page_get_actions:
 *
 * Returns: (transfer none): the page's actions, "segments.…"
 */
GActionGroup *
herald_segments_page_get_actions (HeraldSegmentsPage *self)
{
  g_return_val_if_fail (HERALD_IS_SEGMENTS_PAGE (self), NULL);

  return G_ACTION_GROUP (self->actions);
}
