/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "herald-results.h"

G_BEGIN_DECLS

#define HERALD_TYPE_RESULTS_MAPPING_DIALOG (herald_results_mapping_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HeraldResultsMappingDialog, herald_results_mapping_dialog, HERALD, RESULTS_MAPPING_DIALOG,
                      AdwWindow)

HeraldResultsMappingDialog *herald_results_mapping_dialog_new (HeraldWorkspace            *workspace,
                                                               const char                 *path,
                                                               const HeraldResultsMapping *mapping);

G_END_DECLS
