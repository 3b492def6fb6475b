/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "herald-workspace.h"

G_BEGIN_DECLS

#define HERALD_FLOW_ERROR (herald_flow_error_quark ())

typedef enum
{
  HERALD_FLOW_ERROR_SYNTAX,
  HERALD_FLOW_ERROR_FORMAT,
  HERALD_FLOW_ERROR_INVALID,
  HERALD_FLOW_ERROR_NOT_FOUND,
} HeraldFlowError;

typedef enum
{
  HERALD_FLOW_NODE_TRIGGER,
  HERALD_FLOW_NODE_EMAIL,
  HERALD_FLOW_NODE_WAIT,
  HERALD_FLOW_NODE_CONDITION,
  HERALD_FLOW_NODE_SPLIT,
  HERALD_FLOW_NODE_ACTION,
  HERALD_FLOW_NODE_TASK,
  HERALD_FLOW_NODE_GOAL,
  HERALD_FLOW_NODE_EXIT,
  HERALD_N_FLOW_NODE_TYPES
} HeraldFlowNodeType;

/* A step of a flow. config is never NULL; a split's ports are "0", "1", …
 * in the order of its weights. */
typedef struct
{
  char               *id;
  HeraldFlowNodeType  type;
  char               *name;
  double              x;
  double              y;
  JsonObject         *config;
} HeraldFlowNode;

typedef struct
{
  char *from;
  char *port;
  char *to;
} HeraldFlowEdge;

typedef enum
{
  HERALD_FLOW_PROBLEM_ERROR,
  HERALD_FLOW_PROBLEM_WARNING,
} HeraldFlowProblemSeverity;

/* What validation found. Errors mean the flow cannot run as drawn;
 * warnings mark a draft that can be saved and forecast. */
typedef struct
{
  HeraldFlowProblemSeverity  severity;
  /* no-trigger, email-not-upstream, cycle-without-wait, split-weights,
   * missing-template, missing-segment, unreachable, dead-end,
   * unconnected-port */
  char                      *code;
  /* The node the problem is about, or NULL for the whole flow. */
  char                      *node;
  char                      *message;
} HeraldFlowProblem;

typedef struct _HeraldFlow HeraldFlow;

GQuark              herald_flow_error_quark     (void);

const char         *herald_flow_node_type_key   (HeraldFlowNodeType  type);
gboolean            herald_flow_node_type_from_key (const char      *key,
                                                 HeraldFlowNodeType *type);
GStrv               herald_flow_node_ports      (const HeraldFlowNode *node);
char               *herald_flow_node_dup_title  (const HeraldFlowNode *node);

HeraldFlow         *herald_flow_new             (const char          *name);
HeraldFlow         *herald_flow_load            (const char          *text,
                                                 const char          *source,
                                                 GError             **error);
HeraldFlow         *herald_flow_ref             (HeraldFlow          *self);
void                herald_flow_unref           (HeraldFlow          *self);
const char         *herald_flow_get_name        (HeraldFlow          *self);
void                herald_flow_set_name        (HeraldFlow          *self,
                                                 const char          *name);
GPtrArray          *herald_flow_get_nodes       (HeraldFlow          *self);
GPtrArray          *herald_flow_get_edges       (HeraldFlow          *self);
HeraldFlowNode     *herald_flow_get_node        (HeraldFlow          *self,
                                                 const char          *id);
HeraldFlowNode     *herald_flow_add_node        (HeraldFlow          *self,
                                                 HeraldFlowNodeType   type,
                                                 double               x,
                                                 double               y);
gboolean            herald_flow_connect         (HeraldFlow          *self,
                                                 const char          *from,
                                                 const char          *port,
                                                 const char          *to);
char               *herald_flow_copy_nodes      (HeraldFlow          *self,
                                                 const char * const  *ids);
GStrv               herald_flow_paste           (HeraldFlow          *self,
                                                 const char          *text,
                                                 double               dx,
                                                 double               dy);
void                herald_flow_auto_layout     (HeraldFlow          *self,
                                                 double               column_width,
                                                 double               row_height);
gboolean            herald_flow_remove_node     (HeraldFlow          *self,
                                                 const char          *id);
gboolean            herald_flow_lookup_figure   (HeraldFlow          *self,
                                                 const char          *group,
                                                 const char          *key,
                                                 double              *value);
void                herald_flow_set_figure      (HeraldFlow          *self,
                                                 const char          *group,
                                                 const char          *key,
                                                 double               value);
char               *herald_flow_to_json         (HeraldFlow          *self);
GPtrArray          *herald_flow_validate        (HeraldFlow          *self,
                                                 HeraldWorkspace     *workspace);

gboolean            herald_flows_save           (HeraldWorkspace     *workspace,
                                                 HeraldFlow          *flow,
                                                 GError             **error);
HeraldFlow         *herald_flows_get            (HeraldWorkspace     *workspace,
                                                 const char          *name,
                                                 GError             **error);
gboolean            herald_flows_rename         (HeraldWorkspace     *workspace,
                                                 const char          *old_name,
                                                 const char          *new_name,
                                                 GError             **error);
GStrv               herald_flows_list           (HeraldWorkspace     *workspace,
                                                 GError             **error);
gboolean            herald_flows_delete         (HeraldWorkspace     *workspace,
                                                 const char          *name,
                                                 GError             **error);

void                herald_flow_problem_free    (HeraldFlowProblem   *problem);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldFlow, herald_flow_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldFlowProblem, herald_flow_problem_free)

G_END_DECLS
