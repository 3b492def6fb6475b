/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "herald-core.h"
#include "herald-test-utils.h"

/* The flow model: loading the herald-flow format, refusing what is not a
 * flow with a located error, saving, and validation. */

static char *tmpdir;

#define WELCOME \
  "{\"format\": \"herald-flow\", \"version\": 1, \"name\": \"Welcome series\"," \
  " \"nodes\": [" \
  "  {\"id\": \"t\", \"type\": \"trigger\", \"x\": 40, \"y\": 40, \"config\": {\"kind\": \"segment-entry\", \"segment\": \"New subscribers\"}}," \
  "  {\"id\": \"e1\", \"type\": \"email\", \"name\": \"Welcome\", \"config\": {\"template\": \"Welcome\"}}," \
  "  {\"id\": \"w1\", \"type\": \"wait\", \"config\": {\"days\": 2}}," \
  "  {\"id\": \"c1\", \"type\": \"condition\", \"config\": {\"kind\": \"opened\", \"email\": \"e1\", \"within_days\": 3}}," \
  "  {\"id\": \"s1\", \"type\": \"split\", \"config\": {\"weights\": [50, 50]}}," \
  "  {\"id\": \"a1\", \"type\": \"action\", \"config\": {\"kind\": \"add-tag\", \"tag\": \"engaged\"}}," \
  "  {\"id\": \"k1\", \"type\": \"task\", \"config\": {\"channel\": \"call\"}}," \
  "  {\"id\": \"g1\", \"type\": \"goal\", \"config\": {\"kind\": \"purchase\", \"value\": 49.0}}," \
  "  {\"id\": \"x\", \"type\": \"exit\"}]," \
  " \"edges\": [{\"from\": \"t\", \"to\": \"e1\"}, {\"from\": \"e1\", \"to\": \"w1\"}, {\"from\": \"w1\", \"to\": \"c1\"}," \
  "   {\"from\": \"c1\", \"port\": \"yes\", \"to\": \"s1\"}, {\"from\": \"c1\", \"port\": \"no\", \"to\": \"k1\"}," \
  "   {\"from\": \"s1\", \"port\": \"0\", \"to\": \"a1\"}, {\"from\": \"s1\", \"port\": \"1\", \"to\": \"g1\"}," \
  "   {\"from\": \"a1\", \"to\": \"g1\"}, {\"from\": \"k1\", \"to\": \"x\"}, {\"from\": \"g1\", \"to\": \"x\"}]," \
  " \"assumptions\": {\"open_rate\": 0.35}, \"costs\": {\"fixed\": 100.0}}"

static HeraldFlow *
load (const char *text)
{
  g_autoptr(GError) error = NULL;
  HeraldFlow *flow = herald_flow_load (text, "flow.json", &error);

  g_assert_no_error (error);
  return flow;
}

static GPtrArray *
codes (HeraldFlow      *flow,
       HeraldWorkspace *workspace)
{
  g_autoptr(GPtrArray) problems = herald_flow_validate (flow, workspace);
  GPtrArray *list = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < problems->len; i++)
    {
      HeraldFlowProblem *problem = problems->pdata[i];

      g_ptr_array_add (list, g_strdup_printf ("%s %s %s", problem->severity == HERALD_FLOW_PROBLEM_ERROR ? "E" : "W",
                                              problem->code, problem->node != NULL ? problem->node : "-"));
    }
  return list;
}

static gboolean
has (GPtrArray  *list,
     const char *entry)
{
  for (guint i = 0; i < list->len; i++)
    if (g_str_equal (list->pdata[i], entry))
      return TRUE;
  return FALSE;
}

static void
test_roundtrip (void)
{
  g_autoptr(HeraldFlow) flow = load (WELCOME);
  g_autoptr(HeraldFlow) again = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_again = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_auto(GStrv) ports = NULL;
  HeraldFlowNode *node;

  g_assert_cmpstr (herald_flow_get_name (flow), ==, "Welcome series");
  g_assert_cmpuint (herald_flow_get_nodes (flow)->len, ==, 9);
  g_assert_cmpuint (herald_flow_get_edges (flow)->len, ==, 10);
  node = herald_flow_get_node (flow, "s1");
  ports = herald_flow_node_ports (node);
  g_assert_cmpuint (g_strv_length (ports), ==, 2);
  g_assert_cmpstr (ports[1], ==, "1");
  node = herald_flow_get_node (flow, "t");
  g_assert_cmpfloat (node->x, ==, 40);

  /* Written and read again, the flow is the same. */
  json = herald_flow_to_json (flow);
  again = load (json);
  json_again = herald_flow_to_json (again);
  g_assert_cmpstr (json, ==, json_again);

  /* Arranged, every step is right of the steps leading to it, loops aside,
   * and no two cards overlap. */
  herald_flow_auto_layout (again, 230, 100);
  {
    GPtrArray *all = herald_flow_get_nodes (again);
    GPtrArray *edges = herald_flow_get_edges (again);

    for (guint i = 0; i < edges->len; i++)
      {
        HeraldFlowEdge *edge = edges->pdata[i];

        g_assert_cmpfloat (herald_flow_get_node (again, edge->from)->x, <, herald_flow_get_node (again, edge->to)->x);
      }
    for (guint i = 0; i < all->len; i++)
      for (guint j = i + 1; j < all->len; j++)
        {
          HeraldFlowNode *a = all->pdata[i], *b = all->pdata[j];

          g_assert_false (a->x == b->x && a->y == b->y);
        }
  }

  /* Removing a node takes its edges with it. */
  g_assert_true (herald_flow_remove_node (again, "c1"));
  g_assert_false (herald_flow_remove_node (again, "c1"));
  g_assert_null (herald_flow_get_node (again, "c1"));
  g_assert_cmpuint (herald_flow_get_edges (again)->len, ==, 7);

  /* New steps get ids of their own; a port leads to one step at most. */
  {
    HeraldFlowNode *added = herald_flow_add_node (again, HERALD_FLOW_NODE_SPLIT, 100, 100);
    HeraldFlowNode *second = herald_flow_add_node (again, HERALD_FLOW_NODE_SPLIT, 100, 200);
    guint edges = herald_flow_get_edges (again)->len;

    g_assert_cmpstr (added->id, ==, "split1");
    g_assert_cmpstr (second->id, ==, "split2");
    g_assert_true (herald_flow_connect (again, "split1", "0", "x"));
    g_assert_true (herald_flow_connect (again, "split1", "0", "g1"));
    g_assert_cmpuint (herald_flow_get_edges (again)->len, ==, edges + 1);
    g_assert_false (herald_flow_connect (again, "split1", "7", "x"));
    g_assert_false (herald_flow_connect (again, "split1", "1", "t"));
    g_assert_false (herald_flow_connect (again, "split1", "1", "split1"));
    g_assert_true (herald_flow_connect (again, "split1", "0", NULL));
    g_assert_cmpuint (herald_flow_get_edges (again)->len, ==, edges);
  }

  /* Copied steps keep the edges between them, not those to the rest. */
  {
    const char *ids[] = { "c1", "s1", "a1", NULL };
    g_autofree char *copied = herald_flow_copy_nodes (flow, ids);
    g_auto(GStrv) pasted = NULL;
    guint nodes = herald_flow_get_nodes (flow)->len;
    guint edges = herald_flow_get_edges (flow)->len;

    pasted = herald_flow_paste (flow, copied, 30, 30);
    g_assert_cmpuint (g_strv_length (pasted), ==, 3);
    g_assert_cmpuint (herald_flow_get_nodes (flow)->len, ==, nodes + 3);
    /* c1 → s1 (yes) and s1 → a1 (0). */
    g_assert_cmpuint (herald_flow_get_edges (flow)->len, ==, edges + 2);
    g_assert_cmpfloat (herald_flow_get_node (flow, pasted[0])->x, ==, herald_flow_get_node (flow, "c1")->x + 30);
    g_assert_null (herald_flow_paste (flow, "not a flow", 0, 0));
    for (guint i = 0; pasted[i] != NULL; i++)
      herald_flow_remove_node (flow, pasted[i]);
  }

  /* Without a workspace, a well-drawn flow has no problems. */
  problems = herald_flow_validate (flow, NULL);
  g_assert_cmpuint (problems->len, ==, 0);
}

typedef struct
{
  const char *text;
  const char *says;
} Bad;

static void
test_malformed (void)
{
  static const Bad bad[] = {
    { "", "not valid JSON" },
    { "{\"format\": \"herald-flow\", \"version\": 1, \"nodes\": [}", "line 1, column" },
    { "[1, 2]", "not a Herald flow" },
    { "{\"format\": \"mailchimp\", \"version\": 1}", "not a Herald flow" },
    { "{\"format\": \"herald-flow\"}", "no valid “version”" },
    { "{\"format\": \"herald-flow\", \"version\": 9, \"nodes\": []}", "version 9" },
    { "{\"format\": \"herald-flow\", \"version\": 1}", "“nodes” must be a list" },
    { "{\"format\": \"herald-flow\", \"version\": 1, \"nodes\": [3]}", "nodes[0]: a node must be an object" },
    { "{\"format\": \"herald-flow\", \"version\": 1, \"nodes\": [{\"type\": \"email\"}]}", "nodes[0]: a node needs an “id”" },
    { "{\"format\": \"herald-flow\", \"version\": 1, \"nodes\": [{\"id\": \"a\", \"type\": \"emial\"}]}", "“emial” is not a node type" },
    { "{\"format\": \"herald-flow\", \"version\": 1, \"nodes\": [{\"id\": \"a\", \"type\": \"exit\"}, {\"id\": \"a\", \"type\": \"exit\"}]}",
      "nodes[1]: another node has the id “a”" },
    { "{\"format\": \"herald-flow\", \"version\": 1, \"nodes\": [{\"id\": \"a\", \"type\": \"exit\", \"x\": \"left\"}]}", "“x” and “y” must be numbers" },
    { "{\"format\": \"herald-flow\", \"version\": 1, \"nodes\": [{\"id\": \"a\", \"type\": \"email\", \"config\": 7}]}", "“config” must be an object" },
    { "{\"format\": \"herald-flow\", \"version\": 1, \"nodes\": [{\"id\": \"s\", \"type\": \"split\", \"config\": {\"weights\": [100]}}]}",
      "a split needs “weights”" },
    { "{\"format\": \"herald-flow\", \"version\": 1, \"nodes\": [{\"id\": \"a\", \"type\": \"email\"}], \"edges\": [{\"from\": \"a\", \"to\": \"b\"}]}",
      "edges[0]: no node has the id “b”" },
    { "{\"format\": \"herald-flow\", \"version\": 1, \"nodes\": [{\"id\": \"c\", \"type\": \"condition\"}, {\"id\": \"x\", \"type\": \"exit\"}],"
      " \"edges\": [{\"from\": \"c\", \"to\": \"x\"}]}", "“c” has no port “”; its ports are yes, no" },
    { "{\"format\": \"herald-flow\", \"version\": 1, \"nodes\": [{\"id\": \"c\", \"type\": \"condition\"}, {\"id\": \"x\", \"type\": \"exit\"}],"
      " \"edges\": [{\"from\": \"c\", \"port\": \"maybe\", \"to\": \"x\"}]}", "no port “maybe”" },
    { "{\"format\": \"herald-flow\", \"version\": 1, \"nodes\": [{\"id\": \"x\", \"type\": \"exit\"}, {\"id\": \"y\", \"type\": \"exit\"}],"
      " \"edges\": [{\"from\": \"x\", \"to\": \"y\"}]}", "“x” is an exit" },
    { "{\"format\": \"herald-flow\", \"version\": 1, \"nodes\": [], \"edges\": {}}", "“edges” must be a list" },
    { "{\"format\": \"herald-flow\", \"version\": 1, \"nodes\": [], \"costs\": []}", "“costs” must be an object" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HeraldFlow) flow = herald_flow_load (bad[i].text, "flow.json", &error);

      g_assert_null (flow);
      g_assert_nonnull (error);
      g_assert_error (error, HERALD_FLOW_ERROR, error->code);
      if (strstr (error->message, bad[i].says) == NULL || strstr (error->message, "flow.json") == NULL)
        g_error ("%s: “%s” does not say “%s”", bad[i].text, error->message, bad[i].says);
    }

  /* Nesting deep enough to exhaust a recursive parser is refused first. */
  {
    g_autoptr(GString) deep = g_string_new ("{\"format\": \"herald-flow\", \"version\": 1, \"nodes\": [], \"x\": ");
    g_autoptr(GError) error = NULL;
    g_autoptr(HeraldFlow) flow = NULL;

    for (guint i = 0; i < 100000; i++)
      g_string_append_c (deep, '[');
    flow = herald_flow_load (deep->str, "flow.json", &error);
    g_assert_null (flow);
    g_assert_error (error, HERALD_FLOW_ERROR, HERALD_FLOW_ERROR_SYNTAX);
    g_assert_nonnull (strstr (error->message, "nested too deeply"));
  }
}

static void
test_validation (void)
{
  g_autoptr(HeraldFlow) none = load ("{\"format\": \"herald-flow\", \"version\": 1, \"nodes\": ["
                                     "{\"id\": \"e\", \"type\": \"email\"}, {\"id\": \"x\", \"type\": \"exit\"}],"
                                     " \"edges\": [{\"from\": \"e\", \"to\": \"x\"}]}");
  g_autoptr(HeraldFlow) faulty = load ("{\"format\": \"herald-flow\", \"version\": 1, \"nodes\": ["
                                       "{\"id\": \"t\", \"type\": \"trigger\"},"
                                       "{\"id\": \"e1\", \"type\": \"email\"},"
                                       "{\"id\": \"a1\", \"type\": \"action\"},"
                                       "{\"id\": \"c1\", \"type\": \"condition\", \"config\": {\"kind\": \"opened\", \"email\": \"e2\"}},"
                                       "{\"id\": \"e2\", \"type\": \"email\"},"
                                       "{\"id\": \"s1\", \"type\": \"split\", \"config\": {\"weights\": [60, 30]}},"
                                       "{\"id\": \"lost\", \"type\": \"task\"},"
                                       "{\"id\": \"x\", \"type\": \"exit\"}],"
                                       " \"edges\": [{\"from\": \"t\", \"to\": \"e1\"}, {\"from\": \"e1\", \"to\": \"a1\"},"
                                       " {\"from\": \"a1\", \"to\": \"e1\"}, {\"from\": \"e1\", \"to\": \"c1\"},"
                                       " {\"from\": \"c1\", \"port\": \"yes\", \"to\": \"s1\"},"
                                       " {\"from\": \"s1\", \"port\": \"0\", \"to\": \"x\"}, {\"from\": \"s1\", \"port\": \"1\", \"to\": \"e2\"}]}");
  g_autoptr(GPtrArray) list = codes (none, NULL);

  g_assert_true (has (list, "E no-trigger -"));
  g_clear_pointer (&list, g_ptr_array_unref);

  list = codes (faulty, NULL);
  /* e1 → a1 → e1 lets no time pass. */
  g_assert_true (has (list, "E cycle-without-wait e1") || has (list, "E cycle-without-wait a1"));
  /* c1 waits for an email that comes after it. */
  g_assert_true (has (list, "E email-not-upstream c1"));
  g_assert_true (has (list, "E split-weights s1"));
  g_assert_true (has (list, "W unreachable lost"));
  g_assert_true (has (list, "W dead-end lost"));
  g_assert_true (has (list, "W dead-end e2"));
  g_assert_true (has (list, "W unconnected-port c1"));
  g_assert_false (has (list, "W unreachable x"));
}

static void
test_storage_and_references (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "flows.herald", NULL);
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(HeraldFlow) flow = load (WELCOME);
  g_autoptr(HeraldFlow) loaded = NULL;
  g_autoptr(HeraldTemplateRecord) welcome = herald_template_record_new ("Welcome");
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  workspace = herald_workspace_open (path, HERALD_WORKSPACE_OPEN_CREATE, &error);
  g_assert_no_error (error);

  /* Planned before the email and the segment exist: warnings only. */
  list = codes (flow, workspace);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_true (has (list, "W missing-template e1"));
  g_assert_true (has (list, "W missing-segment t"));
  g_clear_pointer (&list, g_ptr_array_unref);

  g_assert_true (herald_templates_save (workspace, welcome, NULL, &error));
  g_assert_true (herald_segments_save (workspace, "New subscribers", "{\"rules\": []}", NULL, NULL, &error));
  g_assert_no_error (error);
  list = codes (flow, workspace);
  g_assert_cmpuint (list->len, ==, 0);

  g_assert_true (herald_flows_save (workspace, flow, &error));
  g_assert_no_error (error);
  names = herald_flows_list (workspace, &error);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  loaded = herald_flows_get (workspace, "welcome series", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (herald_flow_get_nodes (loaded)->len, ==, 9);
  g_assert_true (herald_flows_rename (workspace, "Welcome series", "Welcome, renamed", &error));
  g_assert_no_error (error);
  g_assert_false (herald_flows_rename (workspace, "Welcome series", "Anything", &error));
  g_assert_error (error, HERALD_FLOW_ERROR, HERALD_FLOW_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (herald_flows_rename (workspace, "Welcome, renamed", "Welcome series", &error));

  /* Every starter is a flow that runs, or a draft missing only emails and
   * segments still to write. */
  for (HeraldFlowStarter starter = 0; starter < HERALD_N_FLOW_STARTERS; starter++)
    {
      g_autoptr(HeraldFlow) built = herald_flow_starter_build (starter, NULL);
      g_autoptr(GPtrArray) found = herald_flow_validate (built, workspace);

      g_assert_cmpstr (herald_flow_get_name (built), ==, herald_flow_starter_get_title (starter));
      for (guint i = 0; i < found->len; i++)
        {
          HeraldFlowProblem *problem = found->pdata[i];

          if (!g_str_equal (problem->code, "missing-template") && !g_str_equal (problem->code, "missing-segment"))
            g_error ("%s: %s", herald_flow_get_name (built), problem->message);
        }
    }

  g_assert_true (herald_flows_delete (workspace, "Welcome series", &error));
  g_assert_false (herald_flows_delete (workspace, "Welcome series", &error));
  g_assert_error (error, HERALD_FLOW_ERROR, HERALD_FLOW_ERROR_NOT_FOUND);
}

static void
test_draw (void)
{
  g_autoptr(HeraldFlow) flow = load (WELCOME);
  static const char * const formats[][2] = {
    { "flow.png", "\x89PNG" },
    { "flow.svg", "<?xml" },
    { "flow.pdf", "%PDF" },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *wrong = g_build_filename (tmpdir, "flow.gif", NULL);
  double x, y, width, height;
  HeraldFlowNode *condition = herald_flow_get_node (flow, "c1");
  double yes_x, yes_y, no_x, no_y;

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *path = g_build_filename (tmpdir, formats[i][0], NULL);
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_true (herald_flow_draw_to_file (flow, path, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_assert_true (length > 100);
      g_assert_true (g_str_has_prefix (contents, formats[i][1]));
    }

  g_assert_false (herald_flow_draw_to_file (flow, wrong, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);

  /* The picture covers every card with a margin; a condition's ports
   * are yes above no on the card's right edge. */
  herald_flow_get_extents (flow, &x, &y, &width, &height);
  g_assert_cmpfloat (x, ==, -40);
  g_assert_cmpfloat (width, ==, 40 + HERALD_FLOW_NODE_WIDTH + 40 + 40);
  herald_flow_node_port_position (condition, "yes", &yes_x, &yes_y);
  herald_flow_node_port_position (condition, "no", &no_x, &no_y);
  g_assert_cmpfloat (yes_x, ==, HERALD_FLOW_NODE_WIDTH);
  g_assert_cmpfloat (yes_y, <, no_y);
}

static void
test_demo (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "demo.herald", NULL);
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(HeraldFlow) flow = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  /* The demo's flow uses the demo's own templates and segment. */
  workspace = herald_workspace_open (path, HERALD_WORKSPACE_OPEN_CREATE, &error);
  g_assert_true (herald_demo_populate (workspace, &error));
  g_assert_no_error (error);
  flow = herald_flows_get (workspace, "Webinar welcome series", &error);
  g_assert_no_error (error);
  problems = herald_flow_validate (flow, workspace);
  g_assert_cmpuint (problems->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = herald_test_isolate_home ();
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_build_filename (home, "workspaces", NULL);
  g_mkdir_with_parents (tmpdir, 0700);

  g_test_add_func ("/herald/flows/roundtrip", test_roundtrip);
  g_test_add_func ("/herald/flows/malformed", test_malformed);
  g_test_add_func ("/herald/flows/validation", test_validation);
  g_test_add_func ("/herald/flows/storage-and-references", test_storage_and_references);
  g_test_add_func ("/herald/flows/draw", test_draw);
  g_test_add_func ("/herald/flows/demo", test_demo);

  status = g_test_run ();
  herald_test_remove_tree (home);
  return status;
}
