#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Fails when a catalog lacks a translation: every message in the sources
# (extracted afresh, so a string added without translating it counts) must
# be translated, none fuzzy, and msgfmt -c must accept the catalog.
set -eu

top=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

cd "$top"

# Every source file with translatable text is listed in POTFILES.in.
for f in $(grep -lE '_\(|N_\(|C_\(|ngettext|translatable="yes"' src/*/*.c src/*/*.ui src/*/*/*.ui 2>/dev/null); do
  if ! grep -qxF "$f" po/POTFILES.in; then
    echo "$f has translatable strings but is not in po/POTFILES.in"
    status=1
  fi
done

# The same keywords as meson's glib preset.
xgettext --package-name=herald --from-code=UTF-8 --add-comments=Translators \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --files-from=po/POTFILES.in --output="$work/herald.pot"

for lang in $(cat po/LINGUAS); do
  po=po/$lang.po
  if [ ! -f "$po" ]; then
    echo "$po is missing"
    status=1
    continue
  fi
  msgmerge --quiet --no-fuzzy-matching "$po" "$work/herald.pot" -o "$work/$lang.po"
  if ! stats=$(msgfmt --check --statistics -o /dev/null "$work/$lang.po" 2>&1); then
    echo "$po: $stats"
    status=1
    continue
  fi
  case "$stats" in
    *untranslated*|*fuzzy*)
      echo "$po: $stats"
      msgattrib --untranslated --no-obsolete "$work/$lang.po" | grep '^msgid' | head -20
      status=1 ;;
    *)
      echo "$po: $stats" ;;
  esac
done

exit $status
