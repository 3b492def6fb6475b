/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "herald-contact.h"
#include "herald-contact-import.h"
#include "herald-contact-list.h"
#include "herald-contacts.h"
#include "herald-csv.h"
#include "herald-demo.h"
#include "herald-email.h"
#include "herald-flow.h"
#include "herald-html.h"
#include "herald-i18n.h"
#include "herald-links.h"
#include "herald-segments.h"
#include "herald-starters.h"
#include "herald-template.h"
#include "herald-templates.h"
#include "herald-workspace.h"
