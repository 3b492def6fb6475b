/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "herald-cli-private.h"

HeraldCliExit
herald_cli_segments_save (HeraldCli *cli)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rules = NULL;
  g_autofree char *display = NULL;
  const char *description = NULL;
  const char *words[2] = { NULL, NULL };
  guint n_words = 0;

  for (guint i = 0; i < cli->n_args; i++)
    {
      if (g_str_equal (cli->args[i], "--description"))
        {
          if (i + 1 >= cli->n_args)
            return herald_cli_usage_error (_("“%s” needs a value."), "--description");
          description = cli->args[++i];
        }
      else if (g_str_has_prefix (cli->args[i], "--"))
        return herald_cli_usage_error (_("Unknown option “%s”."), cli->args[i]);
      else if (n_words < 2)
        words[n_words++] = cli->args[i];
      else
        return herald_cli_usage_error (_("“%s” takes a name and a rules file, but “%s” was given too."),
                                       "segments save", cli->args[i]);
    }

  if (n_words < 2)
    return herald_cli_usage_error (_("“%s” needs a name and a rules file."), "segments save");

  if (!(rules = herald_cli_read_text (words[1], &error)))
    return herald_cli_fail (cli, error);

  display = g_filename_display_name (words[1]);
  if (!(workspace = herald_cli_open_workspace (cli, &error)) ||
      !herald_segments_save (workspace, words[0], rules, description, display, &error))
    return herald_cli_fail (cli, error);

  if (cli->json)
    herald_cli_print_json_member ("saved", json_node_init_string (json_node_alloc (), words[0]));
  else
    g_print (_("Segment “%s” saved.\n"), words[0]);

  return HERALD_CLI_EXIT_OK;
}

HeraldCliExit
herald_cli_segments_count (HeraldCli *cli)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  const char *name = NULL;
  const char *file = NULL;
  gint64 count;

  const HeraldCliOption options[] = {
    { "--name", .value = &name },
    { NULL },
  };

  if (!herald_cli_parse (cli, "segments count", options, &file))
    return HERALD_CLI_EXIT_USAGE;

  if ((name == NULL) == (file == NULL))
    return herald_cli_usage_error (_("“%s” needs a rules file or --name NAME."), "segments count");

  if (!(workspace = herald_cli_open_workspace (cli, &error)))
    return herald_cli_fail (cli, error);

  if (name != NULL)
    count = herald_segments_count (workspace, name, NULL, &error);
  else
    {
      g_autofree char *rules = herald_cli_read_text (file, &error);
      g_autofree char *display = g_filename_display_name (file);

      count = rules ? herald_segment_count (workspace, rules, display, NULL, &error) : -1;
    }

  if (count < 0)
    return herald_cli_fail (cli, error);

  if (cli->json)
    herald_cli_print_json_member ("count", json_node_init_int (json_node_alloc (), count));
  else
    g_print ("%" G_GINT64_FORMAT "\n", count);

  return HERALD_CLI_EXIT_OK;
}

HeraldCliExit
herald_cli_segments_list (HeraldCli *cli)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(GPtrArray) segments = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;

  if (cli->n_args > 0)
    return herald_cli_usage_error (_("“%s” takes no arguments, but “%s” was given."), "segments list", cli->args[0]);

  if (!(workspace = herald_cli_open_workspace (cli, &error)) ||
      !(segments = herald_segments_list (workspace, &error)))
    return herald_cli_fail (cli, error);

  builder = json_builder_new ();
  json_builder_begin_array (builder);

  for (guint i = 0; i < segments->len; i++)
    {
      HeraldSegmentInfo *info = g_ptr_array_index (segments, i);
      g_autoptr(GError) count_error = NULL;
      gint64 count = herald_segments_count (workspace, info->name, NULL, &count_error);

      if (cli->json)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, info->name);
          json_builder_set_member_name (builder, "description");
          if (info->description != NULL)
            json_builder_add_string_value (builder, info->description);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "count");
          if (count >= 0)
            json_builder_add_int_value (builder, count);
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
        }
      else if (count >= 0)
        g_print ("%-30s %10" G_GINT64_FORMAT "\n", info->name, count);
      else
        /* A segment whose rules no longer hold, such as a deleted tag, says why. */
        g_print ("%-30s %s\n", info->name, count_error->message);
    }

  json_builder_end_array (builder);
  if (cli->json)
    herald_cli_print_json (builder);

  return HERALD_CLI_EXIT_OK;
}

HeraldCliExit
herald_cli_segments_retention (HeraldCli *cli)
{
  g_autoptr(HeraldWorkspace) workspace = NULL;
  g_autoptr(HeraldRetention) r = NULL;
  g_autoptr(GError) error = NULL;
  const char *name = NULL, *churn_text = NULL;
  guint64 churn_days = HERALD_RETENTION_DEFAULT_CHURN_DAYS;
  const HeraldCliOption options[] = {
    { "--churn-days", NULL, &churn_text, NULL },
    { NULL },
  };

  if (!herald_cli_parse (cli, "segments retention", options, &name))
    return HERALD_CLI_EXIT_USAGE;
  if (churn_text != NULL && !g_ascii_string_to_unsigned (churn_text, 10, 1, 36500, &churn_days, NULL))
    return herald_cli_usage_error (_("“%s” takes a number of days from 1 to 36,500."), "--churn-days");

  if (!(workspace = herald_cli_open_workspace (cli, &error)) ||
      !(r = herald_retention_compute (workspace, name, 0, (guint) churn_days, NULL, &error)))
    return herald_cli_fail (cli, error);

  if (cli->json)
    {
      g_autofree char *json = herald_retention_to_json (r);

      g_print ("%s\n", json);
      return HERALD_CLI_EXIT_OK;
    }

  {
    gulong members = (gulong) r->members, customers = (gulong) r->customers, orders = (gulong) r->orders;
    g_autofree char *members_text = herald_format_decimal (r->members, 0);
    g_autofree char *customers_text = herald_format_decimal (r->customers, 0);
    g_autofree char *orders_text = herald_format_decimal (r->orders, 0);
    g_autofree char *revenue = herald_format_money (r->revenue, r->currency);
    g_autofree char *aov = herald_format_money (r->average_order_value, r->currency);
    g_autofree char *frequency = herald_format_decimal (r->purchase_frequency, 2);
    g_autofree char *repeat = herald_format_percent (r->repeat_purchase_rate);
    g_autofree char *churn = herald_format_percent (r->churn_rate);
    g_autofree char *clv = herald_format_money (r->customer_lifetime_value, r->currency);
    g_autofree char *of_members = g_strdup_printf (ngettext ("of %s contact", "of %s contacts", members),
                                                   members_text);
    g_autofree char *of_orders = g_strdup_printf (ngettext ("per order, of %s order", "per order, of %s orders",
                                                            orders), orders_text);
    g_autofree char *of_customers = g_strdup_printf (ngettext ("of %s customer", "of %s customers", customers),
                                                     customers_text);
    g_autofree char *window = g_strdup_printf (ngettext ("%u day", "%u days", r->churn_days), r->churn_days);
    /* Translators: after the churn rate: "of 40 customers", and how long
     * without an order makes a customer lapsed, "180 days". */
    g_autofree char *churn_note = g_strdup_printf (_("%s, with no order for %s"), of_customers, window);
    const char *clv_note = NULL;

    /* The lifetime value's definition is in herald-retention.c. */
    if (r->churn_rate == 0)
      clv_note = _("spent so far: no customer has lapsed yet");
    else if (r->churned_customers > 0)
      clv_note = _("average order value × purchase frequency ÷ churn rate");

    if (r->segment != NULL)
      /* Translators: the heading of `herald-cli segments retention`. */
      g_print (_("Retention of “%s”\n\n"), r->segment);
    else
      g_print (_("Retention of the whole audience\n\n"));

    herald_cli_print_figure (_("Customers"), customers_text, of_members);
    herald_cli_print_figure (_("Orders"), orders_text, NULL);
    herald_cli_print_figure (_("Revenue"), revenue, NULL);
    /* Translators: the average order value is revenue divided by orders. */
    herald_cli_print_figure (_("Average order value"), aov, of_orders);
    herald_cli_print_figure (_("Purchase frequency"), frequency, _("orders per customer"));
    herald_cli_print_figure (_("Repeat purchase rate"), repeat, of_customers);
    herald_cli_print_figure (_("Churn rate"), churn, churn_note);
    herald_cli_print_figure (_("Customer lifetime value"), clv, clv_note);
  }

  return HERALD_CLI_EXIT_OK;
}
