/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "herald-core.h"

G_BEGIN_DECLS

typedef enum
{
  HERALD_CLI_EXIT_OK = 0,
  HERALD_CLI_EXIT_USER_ERROR = 1,
  HERALD_CLI_EXIT_USAGE = 2,
} HeraldCliExit;

/* What every command is handed: the options that apply anywhere on the
 * command line, and the words after the command's own name. */
typedef struct
{
  char      *workspace_path;
  gboolean   json;
  char     **args;
  guint      n_args;
} HeraldCli;

typedef HeraldCliExit (*HeraldCliCommandFunc) (HeraldCli *cli);

/* One option of a command: a flag, an option with a value, or one whose
 * values may repeat; set exactly one of the three. */
typedef struct
{
  const char  *name;
  gboolean    *flag;
  const char **value;
  GPtrArray   *values;
} HeraldCliOption;

typedef struct
{
  const char           *group;
  const char           *verb;
  const char           *synopsis;
  const char           *summary;
  HeraldCliCommandFunc  func;
} HeraldCliCommand;

char            *herald_cli_read_text      (const char  *path,
                                            GError     **error);
gboolean         herald_cli_parse          (HeraldCli             *cli,
                                            const char            *command,
                                            const HeraldCliOption *options,
                                            const char           **argument);
HeraldWorkspace *herald_cli_open_workspace (HeraldCli   *cli,
                                            GError     **error);
HeraldCliExit    herald_cli_fail           (HeraldCli   *cli,
                                            GError      *error);
HeraldCliExit    herald_cli_usage_error    (const char  *format,
                                            ...) G_GNUC_PRINTF (1, 2);
void             herald_cli_print_json     (JsonBuilder *builder);
void             herald_cli_print_figure   (const char  *label,
                                            const char  *value,
                                            const char  *denominator);
void             herald_cli_print_json_node (JsonNode   *node);
void             herald_cli_print_json_member (const char *name,
                                               JsonNode   *value);

HeraldCliExit    herald_cli_contacts_count  (HeraldCli   *cli);
HeraldCliExit    herald_cli_contacts_import (HeraldCli   *cli);
HeraldCliExit    herald_cli_contacts_show   (HeraldCli   *cli);
HeraldCliExit    herald_cli_contacts_export (HeraldCli   *cli);
HeraldCliExit    herald_cli_contacts_erase  (HeraldCli   *cli);
HeraldCliExit    herald_cli_segments_save   (HeraldCli   *cli);
HeraldCliExit    herald_cli_segments_count  (HeraldCli   *cli);
HeraldCliExit    herald_cli_segments_list   (HeraldCli   *cli);
HeraldCliExit    herald_cli_segments_retention (HeraldCli *cli);
HeraldCliExit    herald_cli_templates_add   (HeraldCli   *cli);
HeraldCliExit    herald_cli_templates_render (HeraldCli  *cli);
HeraldCliExit    herald_cli_templates_lint  (HeraldCli   *cli);
HeraldCliExit    herald_cli_templates_list  (HeraldCli   *cli);
HeraldCliExit    herald_cli_templates_export (HeraldCli  *cli);
HeraldCliExit    herald_cli_flows_validate  (HeraldCli   *cli);
HeraldCliExit    herald_cli_flows_import    (HeraldCli   *cli);
HeraldCliExit    herald_cli_flows_list      (HeraldCli   *cli);
HeraldCliExit    herald_cli_results_import  (HeraldCli   *cli);
HeraldCliExit    herald_cli_results_fetch   (HeraldCli   *cli);
HeraldCliExit    herald_cli_results_list    (HeraldCli   *cli);
HeraldCliExit    herald_cli_results_timeline (HeraldCli  *cli);
HeraldCliExit    herald_cli_report          (HeraldCli   *cli);
HeraldCliExit    herald_cli_flows_draw      (HeraldCli   *cli);
HeraldCliExit    herald_cli_flows_forecast  (HeraldCli   *cli);

G_END_DECLS
