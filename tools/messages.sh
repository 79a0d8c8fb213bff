#!/usr/bin/env bash
# Brings the Welsh catalogue up to date with the code (`make messages`):
# every string marked for translation in perfreport/ (templates and Python)
# goes into perfreport/locale/cy/LC_MESSAGES/django.po, translations already
# there are kept, those in perfreport/locale/fragments/*.po (if any) fill the
# gaps, and the catalogue is compiled. One run at a time (flock).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${BIN:-$here/.venv/bin}
locale=$here/perfreport/locale
po=$locale/cy/LC_MESSAGES/django.po
exec 9>"$locale/.messages.lock"
flock 9
cd "$here/perfreport"
"$bin/perfreport" manage makemessages --locale cy --no-obsolete --add-location file \
    --ignore 'locale/*' --ignore 'static/*' --ignore '*/static/*' -v 0
# makemessages guesses a translation for a new or changed string from a
# similar one and marks it fuzzy (never compiled): the guess would keep the
# fragments' own translation out, so forget it.
msgattrib --clear-fuzzy --empty --no-wrap -o "$po" "$po"
shopt -s nullglob
fragments=("$locale"/fragments/*.po)
if ((${#fragments[@]})); then
    compendium=$(mktemp --suffix .po)
    trap 'rm -f "$compendium"' EXIT
    msgcat --use-first --no-location -o "$compendium" "${fragments[@]}"
    # The catalogue's own translations win; its untranslated entries are left
    # out of the definitions, or msgmerge keeps an empty plural instead of
    # taking the fragments' (GNU gettext 0.21 does so for plurals only).
    msgattrib --translated --no-wrap -o "$po.def" "$po"
    msgmerge --quiet --no-fuzzy-matching --no-wrap --compendium="$compendium" -o "$po.new" "$po.def" "$po"
    rm -f "$po.def"
    mv "$po.new" "$po"
fi
msgfmt --check --statistics -o "${po%.po}.mo" "$po"
