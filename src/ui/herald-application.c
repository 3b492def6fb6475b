/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-application"

#include "config.h"

#include <glib/gi18n.h>

#include "herald-application.h"
#include "herald-core.h"
#include "herald-preferences-window.h"
#include "herald-window.h"

#define MAX_RECENT_WORKSPACES 8

struct _HeraldApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (HeraldApplication, herald_application, ADW_TYPE_APPLICATION)

static HeraldWindow *
ensure_window (HeraldApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (herald_window_new (GTK_APPLICATION (self)));

  return HERALD_WINDOW (window);
}

static void
remember_workspace (HeraldApplication *self,
                    const char        *path)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-workspaces");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;
  guint n = 1;

  g_strv_builder_add (builder, path);
  for (guint i = 0; recent[i] != NULL && n < MAX_RECENT_WORKSPACES; i++)
    {
      if (g_str_equal (recent[i], path))
        continue;

      g_strv_builder_add (builder, recent[i]);
      n++;
    }

  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-workspaces", (const char * const *)updated);
  g_settings_set_string (self->settings, "last-workspace", path);
}

static void
show_workspace (HeraldApplication *self,
                HeraldWorkspace   *workspace)
{
  HeraldWindow *window = ensure_window (self);
  g_autofree char *absolute = g_canonicalize_filename (herald_workspace_get_path (workspace), NULL);

  herald_window_set_workspace (window, workspace);
  remember_workspace (self, absolute);
  gtk_window_present (GTK_WINDOW (window));
}

static gboolean
open_path (HeraldApplication        *self,
           const char               *path,
           HeraldWorkspaceOpenFlags  flags)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;

  if (!(workspace = herald_workspace_open (path, flags, &error)))
    {
      HeraldWindow *window = ensure_window (self);

      gtk_window_present (GTK_WINDOW (window));
      herald_window_show_error (window, _("Could Not Open the Workspace"), error->message);
      return FALSE;
    }

  show_workspace (self, workspace);
  return TRUE;
}

static void
open_demo (HeraldApplication *self)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;

  if (!(workspace = herald_demo_open (&error)))
    {
      HeraldWindow *window = ensure_window (self);

      gtk_window_present (GTK_WINDOW (window));
      herald_window_show_error (window, _("Could Not Open the Demo Workspace"), error->message);
      return;
    }

  show_workspace (self, workspace);
}

static void
herald_application_activate (GApplication *app)
{
  HeraldApplication *self = HERALD_APPLICATION (app);
  g_autofree char *last = NULL;
  g_autofree char *default_path = NULL;
  GtkWindow *window;

  if ((window = gtk_application_get_active_window (GTK_APPLICATION (app))) != NULL)
    {
      gtk_window_present (window);
      return;
    }

  last = g_settings_get_string (self->settings, "last-workspace");
  if (last[0] != '\0' && g_file_test (last, G_FILE_TEST_EXISTS) &&
      open_path (self, last, HERALD_WORKSPACE_OPEN_DEFAULT))
    return;

  default_path = herald_workspace_get_default_path ();
  open_path (self, default_path, HERALD_WORKSPACE_OPEN_CREATE);
}

static void
herald_application_open (GApplication  *app,
                         GFile        **files,
                         int            n_files,
                         const char    *hint)
{
  HeraldApplication *self = HERALD_APPLICATION (app);

  /* One window shows one workspace: the last workspace named wins, and any
   * that fails says so in the window. Other files are contact lists to
   * import into the workspace that is open. */
  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *path = g_file_get_path (files[i]);

      if (path != NULL && g_str_has_suffix (path, HERALD_WORKSPACE_SUFFIX))
        open_path (self, path, HERALD_WORKSPACE_OPEN_DEFAULT);
    }

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *path = g_file_get_path (files[i]);

      if (path == NULL || g_str_has_suffix (path, HERALD_WORKSPACE_SUFFIX))
        continue;

      if (gtk_application_get_active_window (GTK_APPLICATION (self)) == NULL)
        herald_application_activate (app);

      herald_window_import_contacts (ensure_window (self), path);
    }
}

static int
herald_application_handle_local_options (GApplication *app,
                                         GVariantDict *options)
{
  g_autoptr(GError) error = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("herald %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_contains (options, "demo"))
    {
      if (!g_application_register (app, NULL, &error))
        {
          g_printerr ("herald: %s\n", error->message);
          return 1;
        }

      g_action_group_activate_action (G_ACTION_GROUP (app), "open-demo", NULL);
      return 0;
    }

  return -1;
}

static void
file_chooser_response_cb (GtkNativeDialog *dialog,
                          int              response,
                          gpointer         user_data)
{
  HeraldApplication *self = HERALD_APPLICATION (user_data);
  gboolean create = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "create"));
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

  if (file != NULL && (path = g_file_get_path (file)) != NULL)
    {
      if (create && !g_str_has_suffix (path, HERALD_WORKSPACE_SUFFIX))
        {
          char *with_suffix = g_strconcat (path, HERALD_WORKSPACE_SUFFIX, NULL);

          g_free (path);
          path = with_suffix;
        }

      open_path (self, path,
                 create ? HERALD_WORKSPACE_OPEN_CREATE | HERALD_WORKSPACE_OPEN_EXCLUSIVE
                        : HERALD_WORKSPACE_OPEN_DEFAULT);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_application_release (G_APPLICATION (self));
}

static void
choose_workspace (HeraldApplication *self,
                  gboolean           create)
{
  HeraldWindow *window = ensure_window (self);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) workspaces = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  gtk_file_filter_set_name (workspaces, _("Herald Workspaces"));
  gtk_file_filter_add_mime_type (workspaces, "application/x-herald-workspace");
  gtk_file_filter_add_suffix (workspaces, "herald");
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");

  if (create)
    {
      g_autofree char *name = g_strconcat (_("New Workspace"), HERALD_WORKSPACE_SUFFIX, NULL);

      chooser = gtk_file_chooser_native_new (_("New Workspace"), GTK_WINDOW (window),
                                             GTK_FILE_CHOOSER_ACTION_SAVE,
                                             _("_Create"), _("_Cancel"));
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
    }
  else
    {
      chooser = gtk_file_chooser_native_new (_("Open Workspace"), GTK_WINDOW (window),
                                             GTK_FILE_CHOOSER_ACTION_OPEN,
                                             _("_Open"), _("_Cancel"));
    }

  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), workspaces);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_object_set_data (G_OBJECT (chooser), "create", GINT_TO_POINTER (create));

  g_application_hold (G_APPLICATION (self));
  g_signal_connect (chooser, "response", G_CALLBACK (file_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
new_workspace_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  choose_workspace (HERALD_APPLICATION (user_data), TRUE);
}

static void
open_workspace_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  choose_workspace (HERALD_APPLICATION (user_data), FALSE);
}

static void
open_recent_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  open_path (HERALD_APPLICATION (user_data), g_variant_get_string (parameter, NULL),
             HERALD_WORKSPACE_OPEN_DEFAULT);
}

static void
open_demo_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  open_demo (HERALD_APPLICATION (user_data));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  HeraldWindow *window = ensure_window (HERALD_APPLICATION (user_data));
  HeraldWorkspace *workspace = herald_window_get_workspace (window);
  HeraldPreferencesWindow *preferences;

  if (workspace == NULL)
    return;

  preferences = herald_preferences_window_new (workspace);
  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  HeraldWindow *window = ensure_window (HERALD_APPLICATION (user_data));
  static const char *developers[] = { "The Herald developers", NULL };

  adw_show_about_window (GTK_WINDOW (window),
                         "application-name", _("Herald"),
                         "application-icon", APPLICATION_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Plan email marketing and see what it earns"),
                         "developer-name", _("The Herald developers"),
                         "developers", developers,
                         "website", "https://github.com/heraldapp/herald",
                         "issue-url", "https://github.com/heraldapp/herald/issues",
                         "copyright", "© 2026 The Herald developers",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         /* Translators: replace with your names, one a line. */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "new-workspace", new_workspace_action },
  { "open-workspace", open_workspace_action },
  { "open-recent", open_recent_action, "s" },
  { "open-demo", open_demo_action },
  { "preferences", preferences_action },
  { "about", about_action },
  { "quit", quit_action },
};

static void
herald_application_startup (GApplication *app)
{
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.new-workspace", { "<Primary><Shift>n", NULL } },
    { "app.open-workspace", { "<Primary>o", NULL } },
    { "app.preferences", { "<Primary>comma", NULL } },
    { "app.quit", { "<Primary>q", NULL } },
    { "win.show-help-overlay", { "<Primary>question", NULL } },
    { "window.close", { "<Primary>w", NULL } },
    { "win.import-contacts", { "<Primary>i", NULL } },
    { "win.search", { "<Primary>f", NULL } },
    { "win.show-page::audience", { "<Alt>1", NULL } },
    { "win.show-page::segments", { "<Alt>2", NULL } },
    { "win.show-page::templates", { "<Alt>3", NULL } },
    { "win.show-page::flows", { "<Alt>4", NULL } },
    { "win.show-page::results", { "<Alt>5", NULL } },
  };

  G_APPLICATION_CLASS (herald_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action, accels[i].accels);
}

static void
herald_application_dispose (GObject *object)
{
  HeraldApplication *self = (HeraldApplication *)object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (herald_application_parent_class)->dispose (object);
}

static void
herald_application_class_init (HeraldApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = herald_application_dispose;

  app_class->activate = herald_application_activate;
  app_class->open = herald_application_open;
  app_class->startup = herald_application_startup;
  app_class->handle_local_options = herald_application_handle_local_options;
}

static void
herald_application_init (HeraldApplication *self)
{
  static const GOptionEntry options[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Open the demo workspace, creating it the first time"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
    { NULL }
  };

  self->settings = g_settings_new (APPLICATION_ID);

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[WORKSPACE…]"));
}

HeraldApplication *
herald_application_new (void)
{
  return g_object_new (HERALD_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/heraldapp/Herald",
                       NULL);
}
