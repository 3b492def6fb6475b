/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-audience-page"

#include "config.h"

#include <glib/gi18n.h>

#include "herald-audience-page.h"
#include "herald-core.h"

struct _HeraldAudiencePage
{
  GtkWidget           parent_instance;

  HeraldContactList  *contacts;

  /* Template widgets */
  GtkColumnView      *column_view;
  GtkWidget          *demo_button;
  GtkStack           *stack;
  GtkLabel           *summary_label;
};

G_DEFINE_FINAL_TYPE (HeraldAudiencePage, herald_audience_page, GTK_TYPE_WIDGET)

static void
herald_audience_page_dispose (GObject *object)
{
  HeraldAudiencePage *self = (HeraldAudiencePage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), HERALD_TYPE_AUDIENCE_PAGE);

  g_clear_object (&self->contacts);

  G_OBJECT_CLASS (herald_audience_page_parent_class)->dispose (object);
}

static void
herald_audience_page_class_init (HeraldAudiencePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = herald_audience_page_dispose;

  /* The column factories look the contact's properties up by type name. */
  g_type_ensure (HERALD_TYPE_CONTACT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/heraldapp/Herald/herald-audience-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HeraldAudiencePage, column_view);
  gtk_widget_class_bind_template_child (widget_class, HeraldAudiencePage, demo_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldAudiencePage, stack);
  gtk_widget_class_bind_template_child (widget_class, HeraldAudiencePage, summary_label);
}

static void
herald_audience_page_init (HeraldAudiencePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * herald_audience_page_set_workspace:
 * @is_demo: whether @workspace is the demo, which needs no invitation to itself
 */
void
herald_audience_page_set_workspace (HeraldAudiencePage *self,
                                    HeraldWorkspace    *workspace,
                                    gboolean            is_demo)
{
  g_autoptr(GtkNoSelection) selection = NULL;
  g_autofree char *summary = NULL;
  guint n_contacts;

  g_return_if_fail (HERALD_IS_AUDIENCE_PAGE (self));
  g_return_if_fail (HERALD_IS_WORKSPACE (workspace));

  g_clear_object (&self->contacts);
  self->contacts = herald_contact_list_new (workspace);
  n_contacts = g_list_model_get_n_items (G_LIST_MODEL (self->contacts));

  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->contacts)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));

  summary = g_strdup_printf (ngettext ("%'u contact", "%'u contacts", n_contacts), n_contacts);
  gtk_label_set_label (self->summary_label, summary);

  gtk_widget_set_visible (self->demo_button, !is_demo);
  gtk_stack_set_visible_child_name (self->stack, n_contacts > 0 ? "contacts" : "empty");
}
