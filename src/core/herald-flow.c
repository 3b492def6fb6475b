/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-flow"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "herald-flow.h"
#include "herald-json-private.h"
#include "herald-segments.h"
#include "herald-templates.h"
#include "herald-workspace-private.h"

/* A flow is a graph of nodes and edges, read from and written to the
 * herald-flow JSON format. Loading refuses what cannot be a flow (each
 * refusal names the file and the place in it, and nothing is half
 * loaded); validation then reports, and never changes, what keeps a
 * loaded flow from running as drawn. */

#define FORMAT "herald-flow"
#define VERSION 1
#define MAX_DEPTH 32

G_DEFINE_QUARK (herald-flow-error-quark, herald_flow_error)

struct _HeraldFlow
{
  char       *name;
  GPtrArray  *nodes;
  GPtrArray  *edges;
  GHashTable *by_id;
  JsonObject *assumptions;
  JsonObject *costs;
};

static const char * const type_keys[HERALD_N_FLOW_NODE_TYPES] = {
  [HERALD_FLOW_NODE_TRIGGER] = "trigger",
  [HERALD_FLOW_NODE_EMAIL] = "email",
  [HERALD_FLOW_NODE_WAIT] = "wait",
  [HERALD_FLOW_NODE_CONDITION] = "condition",
  [HERALD_FLOW_NODE_SPLIT] = "split",
  [HERALD_FLOW_NODE_ACTION] = "action",
  [HERALD_FLOW_NODE_TASK] = "task",
  [HERALD_FLOW_NODE_GOAL] = "goal",
  [HERALD_FLOW_NODE_EXIT] = "exit",
};

const char *
herald_flow_node_type_key (HeraldFlowNodeType type)
{
  g_return_val_if_fail (type < HERALD_N_FLOW_NODE_TYPES, NULL);

  return type_keys[type];
}

gboolean
herald_flow_node_type_from_key (const char         *key,
                                HeraldFlowNodeType *type)
{
  for (guint i = 0; i < HERALD_N_FLOW_NODE_TYPES; i++)
    if (g_strcmp0 (key, type_keys[i]) == 0)
      {
        *type = i;
        return TRUE;
      }
  return FALSE;
}

static guint
split_ways (const HeraldFlowNode *node)
{
  JsonNode *weights = json_object_get_member (node->config, "weights");

  return weights != NULL && JSON_NODE_HOLDS_ARRAY (weights)
         ? json_array_get_length (json_node_get_array (weights)) : 0;
}

/* The node's output ports, in order. */
GStrv
herald_flow_node_ports (const HeraldFlowNode *node)
{
  g_autoptr(GStrvBuilder) ports = g_strv_builder_new ();

  switch (node->type)
    {
    case HERALD_FLOW_NODE_EXIT:
      break;
    case HERALD_FLOW_NODE_CONDITION:
      g_strv_builder_add (ports, "yes");
      g_strv_builder_add (ports, "no");
      break;
    case HERALD_FLOW_NODE_SPLIT:
      for (guint i = 0; i < split_ways (node); i++)
        {
          g_autofree char *port = g_strdup_printf ("%u", i);

          g_strv_builder_add (ports, port);
        }
      break;
    case HERALD_FLOW_NODE_TRIGGER:
    case HERALD_FLOW_NODE_EMAIL:
    case HERALD_FLOW_NODE_WAIT:
    case HERALD_FLOW_NODE_ACTION:
    case HERALD_FLOW_NODE_TASK:
    case HERALD_FLOW_NODE_GOAL:
    case HERALD_N_FLOW_NODE_TYPES:
    default:
      g_strv_builder_add (ports, "out");
      break;
    }
  return g_strv_builder_end (ports);
}

/* How messages name a node: its name with its id, or its id. */
char *
herald_flow_node_dup_title (const HeraldFlowNode *node)
{
  if (node->name != NULL && node->name[0] != '\0' && g_strcmp0 (node->name, node->id) != 0)
    /* Translators: a node of a flow, its name and its id: “Welcome (e1)”. */
    return g_strdup_printf (_("%s (%s)"), node->name, node->id);
  return g_strdup (node->id);
}

static void
node_free (gpointer data)
{
  HeraldFlowNode *node = data;

  g_free (node->id);
  g_free (node->name);
  g_clear_pointer (&node->config, json_object_unref);
  g_free (node);
}

static void
edge_free (gpointer data)
{
  HeraldFlowEdge *edge = data;

  g_free (edge->from);
  g_free (edge->port);
  g_free (edge->to);
  g_free (edge);
}

void
herald_flow_problem_free (HeraldFlowProblem *problem)
{
  g_free (problem->code);
  g_free (problem->node);
  g_free (problem->message);
  g_free (problem);
}

HeraldFlow *
herald_flow_new (const char *name)
{
  HeraldFlow *self = g_atomic_rc_box_new0 (HeraldFlow);

  self->name = g_strdup (name != NULL ? name : "");
  self->nodes = g_ptr_array_new_with_free_func (node_free);
  self->edges = g_ptr_array_new_with_free_func (edge_free);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  return self;
}

static void
flow_clear (gpointer data)
{
  HeraldFlow *self = data;

  g_hash_table_unref (self->by_id);
  g_ptr_array_unref (self->edges);
  g_ptr_array_unref (self->nodes);
  g_clear_pointer (&self->assumptions, json_object_unref);
  g_clear_pointer (&self->costs, json_object_unref);
  g_free (self->name);
}

HeraldFlow *
herald_flow_ref (HeraldFlow *self)
{
  return g_atomic_rc_box_acquire (self);
}

void
herald_flow_unref (HeraldFlow *self)
{
  g_atomic_rc_box_release_full (self, flow_clear);
}

const char *
herald_flow_get_name (HeraldFlow *self)
{
  return self->name;
}

void
herald_flow_set_name (HeraldFlow *self,
                      const char *name)
{
  g_free (self->name);
  self->name = g_strdup (name != NULL ? name : "");
}

/**
 * herald_flow_get_nodes:
 *
 * Returns: (transfer none) (element-type HeraldFlowNode): the nodes
 */
GPtrArray *
herald_flow_get_nodes (HeraldFlow *self)
{
  return self->nodes;
}

/**
 * herald_flow_get_edges:
 *
 * Returns: (transfer none) (element-type HeraldFlowEdge): the edges
 */
GPtrArray *
herald_flow_get_edges (HeraldFlow *self)
{
  return self->edges;
}

HeraldFlowNode *
herald_flow_get_node (HeraldFlow *self,
                      const char *id)
{
  return g_hash_table_lookup (self->by_id, id);
}

/* Adds a node of the type, with the settings a new one starts with, and
 * an id no other node has. */
HeraldFlowNode *
herald_flow_add_node (HeraldFlow         *self,
                      HeraldFlowNodeType  type,
                      double              x,
                      double              y)
{
  HeraldFlowNode *node = g_new0 (HeraldFlowNode, 1);

  g_return_val_if_fail (type < HERALD_N_FLOW_NODE_TYPES, NULL);

  for (guint n = 1; node->id == NULL; n++)
    {
      g_autofree char *id = g_strdup_printf ("%s%u", type_keys[type], n);

      if (!g_hash_table_contains (self->by_id, id))
        node->id = g_steal_pointer (&id);
    }
  node->type = type;
  node->x = x;
  node->y = y;
  node->config = json_object_new ();
  if (type == HERALD_FLOW_NODE_SPLIT)
    {
      JsonArray *weights = json_array_new ();

      json_array_add_int_element (weights, 50);
      json_array_add_int_element (weights, 50);
      json_object_set_array_member (node->config, "weights", weights);
    }
  else if (type == HERALD_FLOW_NODE_WAIT)
    json_object_set_int_member (node->config, "days", 1);
  else if (type == HERALD_FLOW_NODE_TRIGGER)
    json_object_set_string_member (node->config, "kind", "manual");

  g_ptr_array_add (self->nodes, node);
  g_hash_table_insert (self->by_id, node->id, node);
  return node;
}

/* Connects a port to a node, in place of whatever the port led to; a
 * NULL `to` disconnects the port. Returns FALSE when the port does not
 * exist or the node cannot be entered (a trigger, or the node itself). */
gboolean
herald_flow_connect (HeraldFlow *self,
                     const char *from,
                     const char *port,
                     const char *to)
{
  HeraldFlowNode *source = herald_flow_get_node (self, from);
  HeraldFlowNode *target = to != NULL ? herald_flow_get_node (self, to) : NULL;
  g_auto(GStrv) ports = NULL;
  HeraldFlowEdge *edge;

  if (source == NULL || (to != NULL && (target == NULL || target == source
                                        || target->type == HERALD_FLOW_NODE_TRIGGER)))
    return FALSE;
  ports = herald_flow_node_ports (source);
  if (!g_strv_contains ((const char * const *) ports, port))
    return FALSE;

  for (guint i = self->edges->len; i > 0; i--)
    {
      edge = self->edges->pdata[i - 1];
      if (g_str_equal (edge->from, from) && g_str_equal (edge->port, port))
        g_ptr_array_remove_index (self->edges, i - 1);
    }
  if (target == NULL)
    return TRUE;

  edge = g_new0 (HeraldFlowEdge, 1);
  edge->from = g_strdup (from);
  edge->port = g_strdup (port);
  edge->to = g_strdup (to);
  g_ptr_array_add (self->edges, edge);
  return TRUE;
}

/* The nodes with these ids and the edges between them, as a herald-flow
 * document: what copying puts on the clipboard. */
char *
herald_flow_copy_nodes (HeraldFlow         *self,
                        const char * const *ids)
{
  g_autoptr(HeraldFlow) part = herald_flow_new (self->name);

  for (guint i = 0; i < self->nodes->len; i++)
    {
      HeraldFlowNode *node = self->nodes->pdata[i];
      HeraldFlowNode *copy;

      if (!g_strv_contains (ids, node->id))
        continue;
      copy = g_new0 (HeraldFlowNode, 1);
      copy->id = g_strdup (node->id);
      copy->type = node->type;
      copy->name = g_strdup (node->name);
      copy->x = node->x;
      copy->y = node->y;
      /* Shared for as long as it takes to write the copy out. */
      copy->config = json_object_ref (node->config);
      g_ptr_array_add (part->nodes, copy);
      g_hash_table_insert (part->by_id, copy->id, copy);
    }
  for (guint i = 0; i < self->edges->len; i++)
    {
      HeraldFlowEdge *edge = self->edges->pdata[i];

      if (g_strv_contains (ids, edge->from) && g_strv_contains (ids, edge->to))
        herald_flow_connect (part, edge->from, edge->port, edge->to);
    }
  return herald_flow_to_json (part);
}

/**
 * herald_flow_paste:
 * @text: what herald_flow_copy_nodes() wrote
 * @dx: how far right of the originals the copies go
 * @dy: how far below
 *
 * Adds copies of the nodes with ids of their own, and of the edges
 * between them.
 *
 * Returns: (transfer full): the new nodes' ids, or %NULL when @text is
 *   not a flow
 */
GStrv
herald_flow_paste (HeraldFlow *self,
                   const char *text,
                   double      dx,
                   double      dy)
{
  g_autoptr(HeraldFlow) part = herald_flow_load (text, "", NULL);
  g_autoptr(GHashTable) renamed = NULL;
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

  if (part == NULL)
    return NULL;
  renamed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < part->nodes->len; i++)
    {
      HeraldFlowNode *node = part->nodes->pdata[i];
      HeraldFlowNode *copy = herald_flow_add_node (self, node->type, node->x + dx, node->y + dy);

      copy->name = g_strdup (node->name);
      json_object_unref (copy->config);
      copy->config = json_object_ref (node->config);
      g_hash_table_insert (renamed, g_strdup (node->id), g_strdup (copy->id));
      g_strv_builder_add (ids, copy->id);
    }
  for (guint i = 0; i < part->edges->len; i++)
    {
      HeraldFlowEdge *edge = part->edges->pdata[i];

      herald_flow_connect (self, g_hash_table_lookup (renamed, edge->from), edge->port,
                           g_hash_table_lookup (renamed, edge->to));
    }
  return g_strv_builder_end (ids);
}

/* Arranges the steps left to right: each in the column after the
 * furthest step leading to it (loops aside), steps of a column one under
 * the other in the order they were reached. */
void
herald_flow_auto_layout (HeraldFlow *self,
                         double      column_width,
                         double      row_height)
{
  g_autoptr(GHashTable) column = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) rows = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GPtrArray) queue = g_ptr_array_new ();
  guint n = self->nodes->len;

  /* Longest paths from the triggers, each edge followed at most once per
   * node so that loops end; steps no trigger reaches start a column 0 of
   * their own. */
  for (guint i = 0; i < n; i++)
    {
      HeraldFlowNode *node = self->nodes->pdata[i];

      if (node->type == HERALD_FLOW_NODE_TRIGGER)
        {
          g_hash_table_insert (column, node->id, GUINT_TO_POINTER (1));
          g_ptr_array_add (queue, node);
        }
    }
  for (guint round = 0; round < n && queue->len > 0; round++)
    {
      g_autoptr(GPtrArray) next = g_ptr_array_new ();

      for (guint q = 0; q < queue->len; q++)
        {
          HeraldFlowNode *node = queue->pdata[q];
          guint level = GPOINTER_TO_UINT (g_hash_table_lookup (column, node->id));

          for (guint e = 0; e < self->edges->len; e++)
            {
              HeraldFlowEdge *edge = self->edges->pdata[e];
              guint target;

              if (!g_str_equal (edge->from, node->id))
                continue;
              target = GPOINTER_TO_UINT (g_hash_table_lookup (column, edge->to));
              if (target < level + 1 && level + 1 <= n)
                {
                  g_hash_table_insert (column, edge->to, GUINT_TO_POINTER (level + 1));
                  g_ptr_array_add (next, herald_flow_get_node (self, edge->to));
                }
            }
        }
      g_ptr_array_set_size (queue, 0);
      g_ptr_array_extend_and_steal (queue, g_steal_pointer (&next));
    }

  {
    guint last = 0;

    for (guint i = 0; i < n; i++)
      last = MAX (last, GPOINTER_TO_UINT (g_hash_table_lookup (column, ((HeraldFlowNode *) self->nodes->pdata[i])->id)));

    for (guint i = 0; i < n; i++)
      {
        HeraldFlowNode *node = self->nodes->pdata[i];
        guint level = GPOINTER_TO_UINT (g_hash_table_lookup (column, node->id));
        guint row;

        /* What no trigger reaches goes in a column after the others. */
        if (level == 0)
          level = last + 1;
        row = GPOINTER_TO_UINT (g_hash_table_lookup (rows, GUINT_TO_POINTER (level)));
        node->x = 40 + (level - 1) * column_width;
        node->y = 40 + row * row_height;
        g_hash_table_insert (rows, GUINT_TO_POINTER (level), GUINT_TO_POINTER (row + 1));
      }
  }
}

/* Removes the node and every edge to or from it. */
gboolean
herald_flow_remove_node (HeraldFlow *self,
                         const char *id)
{
  HeraldFlowNode *node = herald_flow_get_node (self, id);

  if (node == NULL)
    return FALSE;
  for (guint i = self->edges->len; i > 0; i--)
    {
      HeraldFlowEdge *edge = self->edges->pdata[i - 1];

      if (g_str_equal (edge->from, id) || g_str_equal (edge->to, id))
        g_ptr_array_remove_index (self->edges, i - 1);
    }
  g_hash_table_remove (self->by_id, id);
  g_ptr_array_remove (self->nodes, node);
  return TRUE;
}

/* Loading */

typedef struct
{
  const char  *source;
  GError     **error;
} Loader;

G_GNUC_PRINTF (3, 4)
static gboolean
fail_at (Loader     *loader,
         const char *path,
         const char *format,
         ...)
{
  g_autofree char *problem = NULL;
  va_list args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: “file”, where in it, what is wrong: “welcome.json”, nodes[2]: … */
  g_set_error (loader->error, HERALD_FLOW_ERROR, HERALD_FLOW_ERROR_INVALID, _("“%s”, %s: %s"),
               loader->source, path, problem);
  return FALSE;
}

static gboolean
is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
is_number (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && (json_node_get_value_type (node) == G_TYPE_INT64 || json_node_get_value_type (node) == G_TYPE_DOUBLE);
}

static gboolean
load_node (Loader     *loader,
           HeraldFlow *flow,
           JsonNode   *item,
           guint       index)
{
  g_autofree char *path = g_strdup_printf ("nodes[%u]", index);
  g_autoptr(GString) types = g_string_new (NULL);
  HeraldFlowNode *node;
  JsonObject *object;
  JsonNode *member;
  HeraldFlowNodeType type;
  const char *id;

  if (!JSON_NODE_HOLDS_OBJECT (item))
    return fail_at (loader, path, _("a node must be an object { … }"));
  object = json_node_get_object (item);

  member = json_object_get_member (object, "id");
  if (!is_string (member) || json_node_get_string (member)[0] == '\0')
    return fail_at (loader, path, _("a node needs an “id”, such as \"welcome\""));
  id = json_node_get_string (member);
  if (g_hash_table_contains (flow->by_id, id))
    return fail_at (loader, path, _("another node has the id “%s” already"), id);

  member = json_object_get_member (object, "type");
  if (!is_string (member) || !herald_flow_node_type_from_key (json_node_get_string (member), &type))
    {
      for (guint i = 0; i < HERALD_N_FLOW_NODE_TYPES; i++)
        g_string_append_printf (types, "%s%s", i > 0 ? ", " : "", type_keys[i]);
      return fail_at (loader, path, _("“%s” is not a node type; the types are %s"),
                      is_string (member) ? json_node_get_string (member) : "", types->str);
    }

  if ((json_object_has_member (object, "x") && !is_number (json_object_get_member (object, "x")))
      || (json_object_has_member (object, "y") && !is_number (json_object_get_member (object, "y"))))
    return fail_at (loader, path, _("“x” and “y” must be numbers"));

  member = json_object_get_member (object, "name");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member) && !is_string (member))
    return fail_at (loader, path, _("“name” must be text"));

  member = json_object_get_member (object, "config");
  if (member != NULL && !JSON_NODE_HOLDS_OBJECT (member))
    return fail_at (loader, path, _("“config” must be an object { … }"));

  node = g_new0 (HeraldFlowNode, 1);
  node->id = g_strdup (id);
  node->type = type;
  node->name = is_string (json_object_get_member (object, "name"))
               ? g_strdup (json_object_get_string_member (object, "name")) : NULL;
  node->x = json_object_get_double_member_with_default (object, "x", 0);
  node->y = json_object_get_double_member_with_default (object, "y", 0);
  node->config = member != NULL ? json_object_ref (json_node_get_object (member)) : json_object_new ();

  if (type == HERALD_FLOW_NODE_SPLIT)
    {
      JsonNode *weights = json_object_get_member (node->config, "weights");
      JsonArray *array = weights != NULL && JSON_NODE_HOLDS_ARRAY (weights) ? json_node_get_array (weights) : NULL;

      for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
        if (!is_number (json_array_get_element (array, i)))
          array = NULL;
      if (array == NULL || json_array_get_length (array) < 2)
        {
          node_free (node);
          return fail_at (loader, path, _("a split needs “weights”, a list of at least two numbers such as [50, 50]"));
        }
    }

  g_ptr_array_add (flow->nodes, node);
  g_hash_table_insert (flow->by_id, node->id, node);
  return TRUE;
}

static gboolean
load_edge (Loader     *loader,
           HeraldFlow *flow,
           JsonNode   *item,
           guint       index)
{
  g_autofree char *path = g_strdup_printf ("edges[%u]", index);
  g_auto(GStrv) ports = NULL;
  HeraldFlowNode *from, *to;
  HeraldFlowEdge *edge;
  JsonObject *object;
  const char *port;

  if (!JSON_NODE_HOLDS_OBJECT (item))
    return fail_at (loader, path, _("an edge must be an object with “from” and “to”"));
  object = json_node_get_object (item);
  if (!is_string (json_object_get_member (object, "from")) || !is_string (json_object_get_member (object, "to")))
    return fail_at (loader, path, _("an edge must be an object with “from” and “to”"));

  from = herald_flow_get_node (flow, json_object_get_string_member (object, "from"));
  to = herald_flow_get_node (flow, json_object_get_string_member (object, "to"));
  if (from == NULL)
    return fail_at (loader, path, _("no node has the id “%s”"), json_object_get_string_member (object, "from"));
  if (to == NULL)
    return fail_at (loader, path, _("no node has the id “%s”"), json_object_get_string_member (object, "to"));

  ports = herald_flow_node_ports (from);
  if (ports[0] == NULL)
    return fail_at (loader, path, _("“%s” is an exit, which ends the flow: nothing can follow it"), from->id);

  if (json_object_has_member (object, "port") && !is_string (json_object_get_member (object, "port")))
    return fail_at (loader, path, _("“port” must be text, such as \"yes\""));
  port = json_object_get_string_member_with_default (object, "port", ports[1] == NULL ? ports[0] : NULL);
  if (port == NULL || !g_strv_contains ((const char * const *) ports, port))
    {
      g_autofree char *list = g_strjoinv (", ", ports);

      return fail_at (loader, path, _("“%s” has no port “%s”; its ports are %s"),
                      from->id, port != NULL ? port : "", list);
    }

  edge = g_new0 (HeraldFlowEdge, 1);
  edge->from = g_strdup (from->id);
  edge->port = g_strdup (port);
  edge->to = g_strdup (to->id);
  g_ptr_array_add (flow->edges, edge);
  return TRUE;
}

/**
 * herald_flow_load:
 * @text: a flow in the herald-flow JSON format
 * @source: what to call it in errors, such as the file's name
 *
 * Returns: (transfer full): the flow, or %NULL with @error set
 */
HeraldFlow *
herald_flow_load (const char  *text,
                  const char  *source,
                  GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(HeraldFlow) flow = NULL;
  HeraldJsonProblem problem;
  Loader loader = { source, error };
  JsonObject *object;
  JsonNode *member;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (source != NULL, NULL);

  if (!(root = _herald_json_parse (text, MAX_DEPTH, &problem)))
    {
      g_autofree char *detail = problem.detail;

      if (detail == NULL)
        g_set_error (error, HERALD_FLOW_ERROR, HERALD_FLOW_ERROR_SYNTAX,
                     _("“%s”, line %u, column %u: the flow is nested too deeply."),
                     source, problem.line, problem.column);
      else if (problem.line > 0)
        g_set_error (error, HERALD_FLOW_ERROR, HERALD_FLOW_ERROR_SYNTAX,
                     _("“%s”, line %u, column %u: the flow is not valid JSON (%s)."),
                     source, problem.line, problem.column, detail);
      else
        g_set_error (error, HERALD_FLOW_ERROR, HERALD_FLOW_ERROR_SYNTAX,
                     _("“%s”: the flow is not valid JSON (%s)."), source, detail);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root)
      || g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (root), "format", NULL),
                    FORMAT) != 0)
    {
      g_set_error (error, HERALD_FLOW_ERROR, HERALD_FLOW_ERROR_FORMAT,
                   _("“%s” is not a Herald flow: it needs “format”: \"herald-flow\"."), source);
      return NULL;
    }
  object = json_node_get_object (root);

  member = json_object_get_member (object, "version");
  if (!is_number (member) || json_node_get_int (member) < 1)
    {
      g_set_error (error, HERALD_FLOW_ERROR, HERALD_FLOW_ERROR_FORMAT,
                   _("“%s” has no valid “version”; this Herald reads version %d."), source, VERSION);
      return NULL;
    }
  if (json_node_get_int (member) > VERSION)
    {
      g_set_error (error, HERALD_FLOW_ERROR, HERALD_FLOW_ERROR_FORMAT,
                   _("“%s” is a flow of version %d, newer than this Herald reads (%d)."),
                   source, (int) json_node_get_int (member), VERSION);
      return NULL;
    }

  member = json_object_get_member (object, "name");
  if (member != NULL && !is_string (member))
    {
      fail_at (&loader, "name", _("“name” must be text"));
      return NULL;
    }
  flow = herald_flow_new (member != NULL ? json_node_get_string (member) : "");

  member = json_object_get_member (object, "nodes");
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    {
      fail_at (&loader, "nodes", _("“nodes” must be a list of nodes"));
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (member)); i++)
    if (!load_node (&loader, flow, json_array_get_element (json_node_get_array (member), i), i))
      return NULL;

  member = json_object_get_member (object, "edges");
  if (member != NULL && !JSON_NODE_HOLDS_ARRAY (member))
    {
      fail_at (&loader, "edges", _("“edges” must be a list of edges"));
      return NULL;
    }
  for (guint i = 0; member != NULL && i < json_array_get_length (json_node_get_array (member)); i++)
    if (!load_edge (&loader, flow, json_array_get_element (json_node_get_array (member), i), i))
      return NULL;

  for (guint i = 0; i < 2; i++)
    {
      const char *key = i == 0 ? "assumptions" : "costs";

      member = json_object_get_member (object, key);
      if (member == NULL)
        continue;
      if (!JSON_NODE_HOLDS_OBJECT (member))
        {
          fail_at (&loader, key, _("“%s” must be an object { … }"), key);
          return NULL;
        }
      /* Rates are fractions, costs never negative: a forecast from
       * anything else would mislead. */
      {
        g_autoptr(GList) names = json_object_get_members (json_node_get_object (member));

        for (GList *l = names; l != NULL; l = l->next)
          {
            JsonNode *value = json_object_get_member (json_node_get_object (member), l->data);
            g_autofree char *path = g_strdup_printf ("%s.%s", key, (const char *) l->data);

            if (!is_number (value) || json_node_get_double (value) < 0
                || (i == 0 && json_node_get_double (value) > 1))
              {
                fail_at (&loader, path, i == 0 ? _("a rate must be a number from 0 to 1, such as 0.35")
                                               : _("a cost must be a number of 0 or more"));
                return NULL;
              }
          }
      }
      if (i == 0)
        flow->assumptions = json_object_ref (json_node_get_object (member));
      else
        flow->costs = json_object_ref (json_node_get_object (member));
    }

  return g_steal_pointer (&flow);
}

static JsonObject **
figure_group (HeraldFlow *self,
              const char *group)
{
  if (g_str_equal (group, "assumptions"))
    return &self->assumptions;
  g_return_val_if_fail (g_str_equal (group, "costs"), NULL);
  return &self->costs;
}

/**
 * herald_flow_lookup_figure:
 * @group: "assumptions" or "costs"
 *
 * Returns: whether the flow sets @key in @group, and if so its value
 */
gboolean
herald_flow_lookup_figure (HeraldFlow *self,
                           const char *group,
                           const char *key,
                           double     *value)
{
  JsonObject **object;
  JsonNode *member;

  g_return_val_if_fail (self != NULL, FALSE);

  object = figure_group (self, group);
  if (object == NULL || *object == NULL || (member = json_object_get_member (*object, key)) == NULL
      || !is_number (member))
    return FALSE;
  if (value != NULL)
    *value = json_node_get_double (member);
  return TRUE;
}

/* Sets a flow-wide assumption or cost; NAN takes it away again, so the
 * workspace's default applies. */
void
herald_flow_set_figure (HeraldFlow *self,
                        const char *group,
                        const char *key,
                        double      value)
{
  JsonObject **object;

  g_return_if_fail (self != NULL);

  object = figure_group (self, group);
  g_return_if_fail (object != NULL);
  if (isnan (value))
    {
      if (*object != NULL)
        json_object_remove_member (*object, key);
      if (*object != NULL && json_object_get_size (*object) == 0)
        g_clear_pointer (object, json_object_unref);
      return;
    }
  if (*object == NULL)
    *object = json_object_new ();
  json_object_set_double_member (*object, key, value);
}

/* Writes the flow in the herald-flow format, positions included. */
char *
herald_flow_to_json (HeraldFlow *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, FORMAT);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, VERSION);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);

  json_builder_set_member_name (builder, "nodes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->nodes->len; i++)
    {
      HeraldFlowNode *node = self->nodes->pdata[i];
      JsonNode *config = json_node_init_object (json_node_alloc (), node->config);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, node->id);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, type_keys[node->type]);
      if (node->name != NULL)
        {
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, node->name);
        }
      json_builder_set_member_name (builder, "x");
      json_builder_add_double_value (builder, node->x);
      json_builder_set_member_name (builder, "y");
      json_builder_add_double_value (builder, node->y);
      json_builder_set_member_name (builder, "config");
      json_builder_add_value (builder, config);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "edges");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->edges->len; i++)
    {
      HeraldFlowEdge *edge = self->edges->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "from");
      json_builder_add_string_value (builder, edge->from);
      json_builder_set_member_name (builder, "port");
      json_builder_add_string_value (builder, edge->port);
      json_builder_set_member_name (builder, "to");
      json_builder_add_string_value (builder, edge->to);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (self->assumptions != NULL)
    {
      json_builder_set_member_name (builder, "assumptions");
      json_builder_add_value (builder, json_node_init_object (json_node_alloc (), self->assumptions));
    }
  if (self->costs != NULL)
    {
      json_builder_set_member_name (builder, "costs");
      json_builder_add_value (builder, json_node_init_object (json_node_alloc (), self->costs));
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

/* Validation */

G_GNUC_PRINTF (5, 6)
static void
add_problem (GPtrArray                 *problems,
             HeraldFlowProblemSeverity  severity,
             const char                *code,
             const HeraldFlowNode      *node,
             const char                *format,
             ...)
{
  HeraldFlowProblem *problem = g_new0 (HeraldFlowProblem, 1);
  va_list args;

  va_start (args, format);
  problem->message = g_strdup_vprintf (format, args);
  va_end (args);
  problem->severity = severity;
  problem->code = g_strdup (code);
  problem->node = node != NULL ? g_strdup (node->id) : NULL;
  g_ptr_array_add (problems, problem);
}

/* Waits and decisions that wait for behaviour let time pass: a loop
 * through one of them is a cadence, not a storm. */
static gboolean
lets_time_pass (const HeraldFlowNode *node)
{
  const char *kind;

  if (node->type == HERALD_FLOW_NODE_WAIT)
    return TRUE;
  if (node->type != HERALD_FLOW_NODE_CONDITION)
    return FALSE;
  kind = json_object_get_string_member_with_default (node->config, "kind", "");
  return g_str_equal (kind, "opened") || g_str_equal (kind, "clicked");
}

static GPtrArray *
successors (HeraldFlow *self,
            const char *id)
{
  GPtrArray *next = g_ptr_array_new ();

  for (guint i = 0; i < self->edges->len; i++)
    {
      HeraldFlowEdge *edge = self->edges->pdata[i];

      if (g_str_equal (edge->from, id))
        g_ptr_array_add (next, herald_flow_get_node (self, edge->to));
    }
  return next;
}

/* Depth-first search for loops among nodes that let no time pass; colour
 * 1 is on the current path, 2 is done. */
static void
find_storms (HeraldFlow     *self,
             HeraldFlowNode *node,
             GHashTable     *colour,
             GHashTable     *reported,
             GPtrArray      *problems)
{
  g_autoptr(GPtrArray) next = NULL;

  g_hash_table_insert (colour, node->id, GINT_TO_POINTER (1));
  next = successors (self, node->id);
  for (guint i = 0; i < next->len; i++)
    {
      HeraldFlowNode *to = next->pdata[i];
      int state = GPOINTER_TO_INT (g_hash_table_lookup (colour, to->id));

      if (lets_time_pass (to))
        continue;
      if (state == 1 && g_hash_table_add (reported, to->id))
        {
          g_autofree char *title = herald_flow_node_dup_title (to);

          add_problem (problems, HERALD_FLOW_PROBLEM_ERROR, "cycle-without-wait", to,
                       _("“%s” is in a loop without a wait: contacts would go round it without end."), title);
        }
      else if (state == 0)
        find_storms (self, to, colour, reported, problems);
    }
  g_hash_table_insert (colour, node->id, GINT_TO_POINTER (2));
}

static void
mark_reachable (HeraldFlow     *self,
                HeraldFlowNode *node,
                GHashTable     *seen)
{
  g_autoptr(GPtrArray) next = NULL;

  if (!g_hash_table_add (seen, node->id))
    return;
  next = successors (self, node->id);
  for (guint i = 0; i < next->len; i++)
    mark_reachable (self, next->pdata[i], seen);
}

static gboolean
is_upstream (HeraldFlow *self,
             const char *ancestor,
             const char *node)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  HeraldFlowNode *start = herald_flow_get_node (self, ancestor);

  if (start == NULL)
    return FALSE;
  /* Whatever the ancestor reaches, except through the node itself. */
  mark_reachable (self, start, seen);
  return g_hash_table_contains (seen, node) && g_strcmp0 (ancestor, node) != 0;
}

/**
 * herald_flow_validate:
 * @workspace: (nullable): to check that templates and segments exist
 *
 * Returns: (transfer full) (element-type HeraldFlowProblem): the problems,
 *   errors and warnings, in the order of the nodes
 */
GPtrArray *
herald_flow_validate (HeraldFlow      *self,
                      HeraldWorkspace *workspace)
{
  GPtrArray *problems = g_ptr_array_new_with_free_func ((GDestroyNotify) herald_flow_problem_free);
  g_autoptr(GHashTable) reachable = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) colour = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) reported = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) segments = workspace != NULL ? herald_segments_list (workspace, NULL) : NULL;
  gboolean has_trigger = FALSE;

  for (guint i = 0; i < self->nodes->len; i++)
    {
      HeraldFlowNode *node = self->nodes->pdata[i];

      if (node->type == HERALD_FLOW_NODE_TRIGGER)
        {
          has_trigger = TRUE;
          mark_reachable (self, node, reachable);
        }
    }
  if (!has_trigger)
    add_problem (problems, HERALD_FLOW_PROBLEM_ERROR, "no-trigger", NULL,
                 _("The flow has no trigger: add one so that contacts can enter it."));

  for (guint i = 0; i < self->nodes->len; i++)
    {
      HeraldFlowNode *node = self->nodes->pdata[i];

      if (node->type == HERALD_FLOW_NODE_TRIGGER && !g_hash_table_contains (colour, node->id))
        find_storms (self, node, colour, reported, problems);
    }
  /* Loops no trigger reaches are loops all the same. */
  for (guint i = 0; i < self->nodes->len; i++)
    {
      HeraldFlowNode *node = self->nodes->pdata[i];

      if (!g_hash_table_contains (colour, node->id))
        find_storms (self, node, colour, reported, problems);
    }

  for (guint i = 0; i < self->nodes->len; i++)
    {
      HeraldFlowNode *node = self->nodes->pdata[i];
      g_autofree char *title = herald_flow_node_dup_title (node);
      g_auto(GStrv) ports = herald_flow_node_ports (node);
      guint connected = 0;

      if (node->type == HERALD_FLOW_NODE_CONDITION && lets_time_pass (node))
        {
          const char *email = json_object_get_string_member_with_default (node->config, "email", NULL);
          HeraldFlowNode *target = email != NULL ? herald_flow_get_node (self, email) : NULL;

          if (target == NULL || target->type != HERALD_FLOW_NODE_EMAIL || !is_upstream (self, email, node->id))
            add_problem (problems, HERALD_FLOW_PROBLEM_ERROR, "email-not-upstream", node,
                         _("“%s” waits for behaviour on “%s”, which is not an email before it."),
                         title, email != NULL ? email : "");
        }

      if (node->type == HERALD_FLOW_NODE_SPLIT)
        {
          JsonArray *weights = json_object_get_array_member (node->config, "weights");
          double sum = 0;

          for (guint w = 0; w < json_array_get_length (weights); w++)
            sum += json_array_get_double_element (weights, w);
          if (ABS (sum - 100.0) > 1e-6)
            add_problem (problems, HERALD_FLOW_PROBLEM_ERROR, "split-weights", node,
                         _("The weights of “%s” add up to %g, not 100."), title, sum);
        }

      if (workspace != NULL && node->type == HERALD_FLOW_NODE_EMAIL)
        {
          const char *template = json_object_get_string_member_with_default (node->config, "template", "");
          g_autoptr(HeraldTemplateRecord) record = template[0] != '\0'
                                                   ? herald_templates_get (workspace, template, NULL) : NULL;

          if (record == NULL && template[0] != '\0')
            add_problem (problems, HERALD_FLOW_PROBLEM_WARNING, "missing-template", node,
                         _("“%s” sends the template “%s”, which does not exist yet."), title, template);
          else if (record == NULL)
            add_problem (problems, HERALD_FLOW_PROBLEM_WARNING, "missing-template", node,
                         _("“%s” has no template to send yet."), title);
        }

      if (workspace != NULL
          && (node->type == HERALD_FLOW_NODE_TRIGGER || node->type == HERALD_FLOW_NODE_CONDITION)
          && json_object_has_member (node->config, "segment"))
        {
          const char *segment = json_object_get_string_member_with_default (node->config, "segment", "");
          gboolean found = FALSE;

          for (guint s = 0; segments != NULL && s < segments->len; s++)
            found |= g_ascii_strcasecmp (((HeraldSegmentInfo *) segments->pdata[s])->name, segment) == 0;
          if (!found)
            add_problem (problems, HERALD_FLOW_PROBLEM_WARNING, "missing-segment", node,
                         _("“%s” uses the segment “%s”, which does not exist yet."), title, segment);
        }

      if (has_trigger && !g_hash_table_contains (reachable, node->id))
        add_problem (problems, HERALD_FLOW_PROBLEM_WARNING, "unreachable", node,
                     _("No path from a trigger reaches “%s”."), title);

      for (guint p = 0; ports[p] != NULL; p++)
        {
          gboolean used = FALSE;

          for (guint e = 0; e < self->edges->len; e++)
            {
              HeraldFlowEdge *edge = self->edges->pdata[e];

              used |= g_str_equal (edge->from, node->id) && g_str_equal (edge->port, ports[p]);
            }
          connected += used;
          if (!used && ports[1] != NULL)
            add_problem (problems, HERALD_FLOW_PROBLEM_WARNING, "unconnected-port", node,
                         _("The way “%s” out of “%s” leads nowhere yet."), ports[p], title);
        }
      if (ports[0] != NULL && ports[1] == NULL && connected == 0)
        add_problem (problems, HERALD_FLOW_PROBLEM_WARNING, "dead-end", node,
                     _("“%s” leads nowhere: connect it to the next step or to an exit."), title);
    }

  return problems;
}

/* Storage */

gboolean
herald_flows_save (HeraldWorkspace  *workspace,
                   HeraldFlow       *flow,
                   GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *graph = NULL;
  g_autofree char *name = g_strstrip (g_strdup (flow->name));
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), FALSE);

  if (name[0] == '\0')
    {
      g_set_error (error, HERALD_FLOW_ERROR, HERALD_FLOW_ERROR_INVALID, _("A flow needs a name."));
      return FALSE;
    }

  graph = herald_flow_to_json (flow);
  stmt = _herald_workspace_prepare (workspace,
                                    "INSERT INTO flows (name, graph, created_at, updated_at) VALUES (?1, ?2, ?3, ?3) "
                                    "ON CONFLICT (name) DO UPDATE SET graph = excluded.graph, "
                                    "updated_at = excluded.updated_at",
                                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, graph, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _herald_workspace_set_db_error (workspace, error);
      return FALSE;
    }
  return TRUE;
}

HeraldFlow *
herald_flows_get (HeraldWorkspace  *workspace,
                  const char       *name,
                  GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  HeraldFlow *flow;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);

  stmt = _herald_workspace_prepare (workspace, "SELECT name, graph FROM flows WHERE name = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, HERALD_FLOW_ERROR, HERALD_FLOW_ERROR_NOT_FOUND, _("There is no flow called “%s”."), name);
      return NULL;
    }
  flow = herald_flow_load ((const char *) sqlite3_column_text (stmt, 1), name, error);
  if (flow != NULL)
    herald_flow_set_name (flow, (const char *) sqlite3_column_text (stmt, 0));
  return flow;
}

/* Renames a saved flow; never over another flow. */
gboolean
herald_flows_rename (HeraldWorkspace  *workspace,
                     const char       *old_name,
                     const char       *new_name,
                     GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *name = g_strstrip (g_strdup (new_name != NULL ? new_name : ""));

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), FALSE);

  if (name[0] == '\0')
    {
      g_set_error (error, HERALD_FLOW_ERROR, HERALD_FLOW_ERROR_INVALID, _("A flow needs a name."));
      return FALSE;
    }
  stmt = _herald_workspace_prepare (workspace, "UPDATE flows SET name = ?1, updated_at = ?3 WHERE name = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, old_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_errcode (_herald_workspace_get_db (workspace)) == SQLITE_CONSTRAINT)
        g_set_error (error, HERALD_FLOW_ERROR, HERALD_FLOW_ERROR_INVALID,
                     _("A flow called “%s” exists already. Choose another name."), name);
      else
        _herald_workspace_set_db_error (workspace, error);
      return FALSE;
    }
  if (sqlite3_changes (_herald_workspace_get_db (workspace)) == 0)
    {
      g_set_error (error, HERALD_FLOW_ERROR, HERALD_FLOW_ERROR_NOT_FOUND, _("There is no flow called “%s”."), old_name);
      return FALSE;
    }
  return TRUE;
}

GStrv
herald_flows_list (HeraldWorkspace  *workspace,
                   GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), NULL);

  stmt = _herald_workspace_prepare (workspace, "SELECT name FROM flows ORDER BY name COLLATE NOCASE", error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_strv_builder_add (names, (const char *) sqlite3_column_text (stmt, 0));
  return g_strv_builder_end (names);
}

gboolean
herald_flows_delete (HeraldWorkspace  *workspace,
                     const char       *name,
                     GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (HERALD_IS_WORKSPACE (workspace), FALSE);

  stmt = _herald_workspace_prepare (workspace, "DELETE FROM flows WHERE name = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _herald_workspace_set_db_error (workspace, error);
      return FALSE;
    }
  if (sqlite3_changes (_herald_workspace_get_db (workspace)) == 0)
    {
      g_set_error (error, HERALD_FLOW_ERROR, HERALD_FLOW_ERROR_NOT_FOUND, _("There is no flow called “%s”."), name);
      return FALSE;
    }
  return TRUE;
}
