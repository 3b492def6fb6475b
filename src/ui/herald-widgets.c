/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "herald-widgets.h"

/**
 * herald_wrapping_button_new:
 * @mnemonic: the label, with an underline before its mnemonic
 *
 * A button whose label wraps between words when room is short, so that a
 * long label in some language never makes a page too wide for the window.
 */
GtkWidget *
herald_wrapping_button_new (const char *mnemonic)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *label = gtk_label_new_with_mnemonic (mnemonic);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), button);
  gtk_button_set_child (GTK_BUTTON (button), label);
  return button;
}
