/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define HERALD_TEMPLATE_ERROR (herald_template_error_quark ())

typedef enum
{
  HERALD_TEMPLATE_ERROR_SYNTAX,
  HERALD_TEMPLATE_ERROR_TOO_DEEP,
  HERALD_TEMPLATE_ERROR_PARTIAL,
} HeraldTemplateError;

/* Where a template is broken, for error underlines in the editor. Lines and
 * columns count from 1; columns and length are in characters. */
typedef struct
{
  guint line;
  guint column;
  guint length;
} HeraldTemplateLocation;

/* A compiled template: parsed once, rendered many times, immutable and so
 * safe to share between threads. */
typedef struct _HeraldTemplate HeraldTemplate;

/* Named partials (snippets) and layouts a template can include with
 * {{> name}} or extend with {{< name}}. Each is compiled the first time a
 * render needs it; a library is meant for one thread at a time. */
typedef struct _HeraldTemplateLibrary HeraldTemplateLibrary;

/* Called for a name whose first part no context holds, so that costly
 * values (segment membership) are worked out only when a template asks.
 * Returns a node the resolver keeps alive, or NULL. */
typedef JsonNode *(*HeraldTemplateResolver) (const char * const *path,
                                             gpointer            user_data);

typedef enum
{
  HERALD_FIELD_EMPTY    = 1 << 0,
  HERALD_FIELD_FALLBACK = 1 << 1,
} HeraldFieldUse;

typedef struct
{
  gboolean                escape_html;
  HeraldTemplateLibrary  *library;
  HeraldTemplateResolver  resolver;
  gpointer                resolver_data;
  /* When set, receives each interpolated name that came out empty, mapped
   * to HeraldFieldUse flags (GUINT_TO_POINTER). */
  GHashTable             *field_use;
} HeraldRenderOptions;

/* What a template refers to, for lint and for the missing-data report. */
typedef struct
{
  char     *name;
  gboolean  has_fallback;
  gboolean  in_section;
  guint     line;
  guint     column;
} HeraldTemplateName;

GQuark                 herald_template_error_quark      (void);

HeraldTemplate        *herald_template_new              (const char              *source,
                                                         HeraldTemplateLocation  *location,
                                                         GError                 **error);
HeraldTemplate        *herald_template_ref              (HeraldTemplate          *self);
void                   herald_template_unref            (HeraldTemplate          *self);
gboolean               herald_template_render           (HeraldTemplate          *self,
                                                         JsonNode                *data,
                                                         const HeraldRenderOptions *options,
                                                         GString                 *out,
                                                         GError                 **error);
char                  *herald_template_render_string    (HeraldTemplate          *self,
                                                         JsonNode                *data,
                                                         const HeraldRenderOptions *options,
                                                         GError                 **error);
char                  *herald_template_export_mailchimp (HeraldTemplate       *self,
                                                         HeraldTemplateLibrary  *library,
                                                         GPtrArray              *warnings,
                                                         GError                **error);
GPtrArray             *herald_template_list_names       (HeraldTemplate          *self,
                                                         HeraldTemplateLibrary   *library);
GPtrArray             *herald_template_list_partials    (HeraldTemplate          *self);

HeraldTemplateLibrary *herald_template_library_new      (void);
void                   herald_template_library_free     (HeraldTemplateLibrary   *self);
void                   herald_template_library_add      (HeraldTemplateLibrary   *self,
                                                         const char              *name,
                                                         const char              *source);
gboolean               herald_template_library_contains (HeraldTemplateLibrary   *self,
                                                         const char              *name);
HeraldTemplate        *herald_template_library_get      (HeraldTemplateLibrary   *self,
                                                         const char              *name,
                                                         GError                 **error);

void                   herald_template_name_free        (HeraldTemplateName      *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldTemplate, herald_template_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldTemplateLibrary, herald_template_library_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldTemplateName, herald_template_name_free)

G_END_DECLS
