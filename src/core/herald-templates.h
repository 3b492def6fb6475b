/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "herald-contact.h"
#include "herald-template.h"
#include "herald-workspace.h"

G_BEGIN_DECLS

#define HERALD_TEMPLATES_ERROR (herald_templates_error_quark ())

typedef enum
{
  HERALD_TEMPLATES_ERROR_NOT_FOUND,
  HERALD_TEMPLATES_ERROR_INVALID,
  HERALD_TEMPLATES_ERROR_EXISTS,
} HeraldTemplatesError;

/* A template as the workspace stores it. A NULL text means the plain-text
 * part is derived from the HTML. */
typedef struct
{
  char   *name;
  char   *subject;
  char   *preheader;
  char   *html;
  char   *text;
  gint64  updated_at;
} HeraldTemplateRecord;

/* A snippet (a partial included with {{> name}}) or a layout (extended
 * with {{< name}}). */
typedef struct
{
  char     *name;
  gboolean  is_layout;
  char     *body;
} HeraldSnippet;

/* A template rendered for one contact. */
typedef struct
{
  char       *subject;
  char       *preheader;
  char       *html;
  char       *text;
  /* Interpolated names that came out empty: HeraldFieldUse flags. */
  GHashTable *field_use;
} HeraldMessage;

typedef enum
{
  HERALD_LINT_ERROR,
  HERALD_LINT_WARNING,
} HeraldLintSeverity;

typedef struct
{
  HeraldLintSeverity  severity;
  /* A stable key: syntax, unsubscribe, postal-address, subject-empty,
   * subject-long, unknown-field, unknown-snippet, image-alt,
   * insecure-link, empty-field, broken-link. */
  char               *code;
  char               *message;
  /* subject, preheader, html or text; line 0 when the problem has no
   * place. */
  char               *part;
  guint               line;
  guint               column;
  /* The merge field an unknown-field or empty-field problem is about. */
  char               *field;
} HeraldLintProblem;

/* The values a template sees for one contact. */
typedef struct _HeraldTemplateContext HeraldTemplateContext;

GQuark                 herald_templates_error_quark   (void);

HeraldTemplateRecord  *herald_template_record_new     (const char             *name);
HeraldTemplateRecord  *herald_template_record_copy    (const HeraldTemplateRecord *record);
void                   herald_template_record_free    (HeraldTemplateRecord   *record);
void                   herald_snippet_free            (HeraldSnippet          *snippet);
void                   herald_message_free            (HeraldMessage          *message);
void                   herald_lint_problem_free       (HeraldLintProblem      *problem);

gboolean               herald_templates_save          (HeraldWorkspace        *workspace,
                                                       const HeraldTemplateRecord *record,
                                                       const char             *old_name,
                                                       GError                **error);
HeraldTemplateRecord  *herald_templates_get           (HeraldWorkspace        *workspace,
                                                       const char             *name,
                                                       GError                **error);
GPtrArray             *herald_templates_list          (HeraldWorkspace        *workspace,
                                                       GError                **error);
gboolean               herald_templates_delete        (HeraldWorkspace        *workspace,
                                                       const char             *name,
                                                       GError                **error);

gboolean               herald_snippets_save           (HeraldWorkspace        *workspace,
                                                       const HeraldSnippet    *snippet,
                                                       const char             *old_name,
                                                       GError                **error);
GPtrArray             *herald_snippets_list           (HeraldWorkspace        *workspace,
                                                       GError                **error);
gboolean               herald_snippets_delete         (HeraldWorkspace        *workspace,
                                                       const char             *name,
                                                       GError                **error);
HeraldTemplateLibrary *herald_snippets_load           (HeraldWorkspace        *workspace,
                                                       GError                **error);

HeraldTemplateContext *herald_template_context_new    (HeraldWorkspace        *workspace,
                                                       HeraldContact          *contact);
void                   herald_template_context_free   (HeraldTemplateContext  *context);
JsonNode              *herald_template_context_get_data (HeraldTemplateContext *context);
void                   herald_template_context_set_campaign (HeraldTemplateContext *context,
                                                       const char             *name,
                                                       const char             *subject);

HeraldMessage         *herald_template_record_render  (const HeraldTemplateRecord *record,
                                                       HeraldTemplateLibrary  *library,
                                                       HeraldTemplateContext  *context,
                                                       JsonNode               *data,
                                                       GError                **error);
GPtrArray             *herald_template_record_lint    (HeraldWorkspace        *workspace,
                                                       const HeraldTemplateRecord *record,
                                                       HeraldTemplateLibrary  *library,
                                                       const char             *segment,
                                                       GError                **error);
void                   herald_template_record_lint_async (HeraldWorkspace   *workspace,
                                                       const HeraldTemplateRecord *record,
                                                       const char             *segment,
                                                       GCancellable           *cancellable,
                                                       GAsyncReadyCallback     callback,
                                                       gpointer                user_data);
GPtrArray             *herald_template_record_lint_finish (HeraldWorkspace  *workspace,
                                                       GAsyncResult           *result,
                                                       GError                **error);
void                   herald_lint_problems_add_links (GPtrArray            *problems,
                                                       GPtrArray              *results);
GPtrArray             *herald_templates_list_empty    (HeraldWorkspace        *workspace,
                                                       const char             *segment,
                                                       const char             *field,
                                                       guint                   limit,
                                                       GError                **error);

const char            *herald_template_part_label (const char          *part);
char                  *herald_slug                    (const char             *name,
                                                       char                    separator);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldTemplateRecord, herald_template_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldSnippet, herald_snippet_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldMessage, herald_message_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldLintProblem, herald_lint_problem_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldTemplateContext, herald_template_context_free)

G_END_DECLS
