/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "herald-workspace.h"

G_BEGIN_DECLS

#define HERALD_TYPE_MAILCHIMP_DIALOG (herald_mailchimp_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HeraldMailchimpDialog, herald_mailchimp_dialog, HERALD, MAILCHIMP_DIALOG, AdwWindow)

HeraldMailchimpDialog *herald_mailchimp_dialog_new (GtkWindow       *parent,
                                                    HeraldWorkspace *workspace);

G_END_DECLS
