#!/usr/bin/env bash
# Brings the Welsh catalogue up to date with the code (`make messages`):
# every string marked for translation in perfreport/ (templates and Python)
# goes into perfreport/locale/cy/LC_MESSAGES/django.po, translations already
# there are kept, and the catalogue is compiled. Then translate what is new
# (an empty msgstr; docs/welsh.md). One run at a time (flock).
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
# similar one and marks it fuzzy (never compiled, and often wrong): forget
# it, so that the string shows as untranslated and the tests say so.
msgattrib --clear-fuzzy --empty --no-wrap -o "$po" "$po"
msgfmt --check --statistics -o "${po%.po}.mo" "$po"
