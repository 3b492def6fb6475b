/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "herald-starters"

#include "config.h"

#include <glib/gi18n.h>

#include "herald-starters.h"

/* Starter templates: short, honest emails in the user's language, laid
 * out as email clients need (tables, inline styles, 600 px wide), with a
 * footer that already carries the sender's postal address and the
 * unsubscribe link, so that a new template passes lint. */

typedef struct
{
  const char *title;
  const char *description;
} StarterInfo;

static const StarterInfo starters[HERALD_N_STARTERS] = {
  [HERALD_STARTER_BLANK] = {
    N_("Blank"), N_("Only the layout, the footer and the unsubscribe link") },
  [HERALD_STARTER_WELCOME] = {
    N_("Welcome"), N_("Greets a new subscriber and asks for one first step") },
  [HERALD_STARTER_ONBOARDING] = {
    N_("Onboarding"), N_("Three steps that get a new customer going") },
  [HERALD_STARTER_REENGAGEMENT] = {
    N_("Re-engagement"), N_("Asks quiet subscribers whether they still want to hear from you") },
  [HERALD_STARTER_PROMOTION] = {
    N_("Promotion"), N_("An offer with a deadline, and early access for VIP contacts") },
  [HERALD_STARTER_SALES_FOLLOW_UP] = {
    N_("Sales follow-up"), N_("A personal note in 10-80-10 form: a hook, the core, a P.S.") },
};

const char *
herald_starter_get_title (HeraldStarter starter)
{
  g_return_val_if_fail (starter < HERALD_N_STARTERS, NULL);

  return _(starters[starter].title);
}

const char *
herald_starter_get_description (HeraldStarter starter)
{
  g_return_val_if_fail (starter < HERALD_N_STARTERS, NULL);

  return _(starters[starter].description);
}

/* A merge tag with a fallback in the user's language. */
static char *
field (const char *name,
       const char *fallback)
{
  return g_strdup_printf ("{{%s | default: \"%s\"}}", name, fallback);
}

static void
paragraph (GString    *body,
           const char *text)
{
  g_string_append_printf (body, "<p style=\"margin:0 0 16px;\">%s</p>\n", text);
}

static void
button (GString    *body,
        const char *label,
        const char *url)
{
  g_string_append_printf (body,
                          "<p style=\"margin:24px 0;\"><a href=\"%s\" style=\"display:inline-block;"
                          "padding:12px 24px;border-radius:6px;background:#3584e4;color:#ffffff;"
                          "text-decoration:none;font-weight:bold;\">%s</a></p>\n",
                          url, label);
}

static void
list (GString            *body,
      const char * const *items)
{
  g_string_append (body, "<ul style=\"margin:0 0 16px;padding-left:24px;\">\n");
  for (guint i = 0; items[i] != NULL; i++)
    g_string_append_printf (body, "<li style=\"margin:0 0 8px;\">%s</li>\n", items[i]);
  g_string_append (body, "</ul>\n");
}

static void
greeting (GString *body)
{
  g_autofree char *name = field ("first_name", _("there"));
  /* Translators: the greeting of an email; %s is the first name, or a
   * word such as “there” when it is unknown. */
  g_autofree char *text = g_strdup_printf (_("Hi %s,"), name);

  paragraph (body, text);
}

static void
sign_off (GString *body)
{
  g_autofree char *text = g_strdup_printf ("%s<br>\n{{sender.name}}", _("Best regards,"));

  paragraph (body, text);
}

static char *
wrap (const char *body)
{
  GString *html = g_string_new (NULL);

  g_string_append (html,
    "<!DOCTYPE html>\n"
    "<html>\n"
    "<head>\n"
    "<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>{{campaign.subject}}</title>\n"
    "</head>\n"
    "<body style=\"margin:0;padding:0;background:#f6f5f4;\">\n"
    "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"background:#f6f5f4;\">\n"
    "<tr><td align=\"center\" style=\"padding:24px 12px;\">\n"
    "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"max-width:600px;"
    "background:#ffffff;border-radius:8px;font-family:Cantarell,Helvetica,Arial,sans-serif;font-size:16px;"
    "line-height:1.5;color:#241f31;\">\n"
    "<tr><td style=\"padding:32px;\">\n");
  g_string_append (html, body);
  g_string_append (html,
    "</td></tr>\n"
    "<tr><td style=\"padding:16px 32px;font-size:12px;line-height:1.4;color:#77767b;border-top:1px solid #deddda;\">\n"
    "<p style=\"margin:0;\">{{sender.name}} · {{sender.address}}</p>\n");
  g_string_append_printf (html,
    "<p style=\"margin:8px 0 0;\">%s <a href=\"{{unsubscribe_url}}\" style=\"color:#1c71d8;\">%s</a></p>\n",
    _("You receive this email because you subscribed to our news."), _("Unsubscribe"));
  g_string_append (html,
    "</td></tr>\n"
    "</table>\n"
    "</td></tr>\n"
    "</table>\n"
    "</body>\n"
    "</html>\n");
  return g_string_free (html, FALSE);
}

/* A new template from a starter, named `name` (or the starter's title). */
HeraldTemplateRecord *
herald_starter_build (HeraldStarter  starter,
                      const char    *name)
{
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *first_name = field ("first_name", _("friend"));
  HeraldTemplateRecord *record;
  char *subject = NULL;
  const char *preheader = "";

  g_return_val_if_fail (starter < HERALD_N_STARTERS, NULL);

  switch (starter)
    {
    case HERALD_STARTER_BLANK:
      subject = g_strdup ("");
      greeting (body);
      paragraph (body, "");
      sign_off (body);
      break;

    case HERALD_STARTER_WELCOME:
      /* Translators: an email subject; %s is the first name or “friend”. */
      subject = g_strdup_printf (_("Welcome, %s!"), first_name);
      preheader = _("What to expect from us, and one thing to do first.");
      greeting (body);
      paragraph (body, _("Thank you for subscribing. Every other week we will send you practical ideas for your work, and never more than that."));
      paragraph (body, _("To make every email worth opening, tell us which topics matter to you. It takes a minute."));
      button (body, _("Choose my topics"), "https://example.com/preferences");
      sign_off (body);
      break;

    case HERALD_STARTER_ONBOARDING:
      {
        const char *steps[] = {
          _("Import your contacts from the tool you use today."),
          _("Invite the colleagues who work with you."),
          _("Plan your first campaign with one of our templates."),
          NULL,
        };

        subject = g_strdup (_("Your first three steps"));
        preheader = _("Ten minutes now make everything after easier.");
        greeting (body);
        paragraph (body, _("Customers who get going in their first week get the most out of their account. Here is where they start:"));
        list (body, steps);
        button (body, _("Start now"), "https://example.com/start");
        paragraph (body, _("Stuck anywhere? Reply to this email and a person will answer."));
        sign_off (body);
      }
      break;

    case HERALD_STARTER_REENGAGEMENT:
      /* Translators: an email subject; %s is the first name or “friend”. */
      subject = g_strdup_printf (_("Do you still want to hear from us, %s?"), first_name);
      preheader = _("One click keeps you subscribed.");
      greeting (body);
      paragraph (body, _("It has been a while since you opened one of our emails. We would rather write less often than fill your inbox with mail you do not read."));
      button (body, _("Yes, keep me subscribed"), "https://example.com/stay");
      paragraph (body, _("If we do not hear from you within two weeks, we will stop writing. No hard feelings, and you can come back at any time."));
      sign_off (body);
      break;

    case HERALD_STARTER_PROMOTION:
      subject = g_strdup (_("This week only: our best prices of the year"));
      preheader = _("The offer ends on Sunday at midnight.");
      greeting (body);
      g_string_append_printf (body, "{{#tags.vip}}\n");
      paragraph (body, _("As one of our closest customers, you get the offer a day before everyone else."));
      g_string_append_printf (body, "{{/tags.vip}}\n");
      paragraph (body, _("Until Sunday, every plan costs a fifth less for its whole first year. Use this code when you order:"));
      g_string_append (body, "<p style=\"margin:0 0 16px;font-size:24px;font-weight:bold;letter-spacing:2px;\">SPRING26</p>\n");
      button (body, _("See the offer"), "https://example.com/offer");
      sign_off (body);
      break;

    case HERALD_STARTER_SALES_FOLLOW_UP:
      {
        g_autofree char *company = field ("company", _("your team"));
        /* Translators: an email subject; %s is a company name or “your team”. */
        g_autofree char *hook = g_strdup_printf (_("A quick idea for %s"), company);
        const char *points[] = {
          _("one place for your audience, segments and templates;"),
          _("a forecast of what each flow will bring before it runs;"),
          _("results and ROI per campaign, imported from your email service."),
          NULL,
        };
        g_autofree char *ps = g_strdup_printf ("<strong>%s</strong> %s", _("P.S."),
                                               _("If now is not the right time, tell me when is, and I will write again then."));

        subject = g_strdup (hook);
        preheader = _("Fifteen minutes, and you decide whether it is worth more.");
        greeting (body);
        /* The hook: a tenth of the email. */
        paragraph (body, _("Teams like yours often tell us that planning email campaigns takes longer than writing them."));
        /* The core: most of the email. */
        paragraph (body, _("We built our tool for exactly that. In a short call I would show you three things:"));
        list (body, points);
        paragraph (body, _("Would Tuesday or Thursday afternoon suit you?"));
        button (body, _("Pick a time"), "https://example.com/meet");
        sign_off (body);
        /* The P.S.: the last tenth, and often the line read first. */
        paragraph (body, ps);
      }
      break;

    case HERALD_N_STARTERS:
    default:
      g_assert_not_reached ();
    }

  record = herald_template_record_new (name != NULL ? name : herald_starter_get_title (starter));
  g_free (record->subject);
  record->subject = subject;
  g_free (record->preheader);
  record->preheader = g_strdup (preheader);
  g_free (record->html);
  record->html = wrap (body->str);
  return record;
}
