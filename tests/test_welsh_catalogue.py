"""The Welsh catalogue (perfreport/locale/cy/LC_MESSAGES/django.po) is
complete, compiles, keeps every placeholder, and is up to date with the code.

GIVEN the committed catalogue
THEN every entry is translated (no empty Welsh, no fuzzy entry, every one of
Welsh's four plural forms written); GNU msgfmt --check compiles it; each
Welsh string holds exactly the placeholders of its English (%(name)s, {name},
%s: a missing one loses a figure, an extra one fails at run time); and
makemessages, run over a copy of the code, finds no marked string the
catalogue lacks and none it holds that the code no longer has (`make messages`
brings it up to date: docs/welsh.md)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from po_files import ROOT, WELSH_PO, Entry, placeholders, read_po

WELSH_FORMS = 4  # nplurals=4: one, two, few (3-6 and the rest), many (8, 11)

# As tools/messages.sh runs makemessages (`make messages`).
MAKEMESSAGES = [
    "makemessages", "--locale", "cy", "--no-obsolete", "--add-location", "file",
    "--ignore", "locale/*", "--ignore", "static/*", "--ignore", "*/static/*", "-v", "0",
]  # fmt: skip


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return read_po(WELSH_PO)


def _listed(labels: list[str], limit: int = 40) -> str:
    more = f"\n... and {len(labels) - limit} more" if len(labels) > limit else ""
    return f"{len(labels)}:\n" + "\n".join(labels[:limit]) + more


def test_the_catalogue_has_entries(entries: list[Entry]) -> None:
    assert len(entries) > 20, "the Welsh catalogue was read"


def test_every_string_is_translated(entries: list[Entry]) -> None:
    untranslated = [e.label() for e in entries if not any(v.strip() for v in e.msgstr.values())]

    assert not untranslated, "untranslated in the Welsh catalogue, " + _listed(untranslated)


def test_no_translation_is_fuzzy(entries: list[Entry]) -> None:
    fuzzy = [e.label() for e in entries if e.fuzzy]

    assert not fuzzy, "fuzzy (a guess msgmerge made, unchecked) " + _listed(fuzzy)


def test_every_plural_has_all_four_welsh_forms(entries: list[Entry]) -> None:
    plurals = [e for e in entries if e.msgid_plural is not None]
    short = [
        f"{e.label()}: forms {sorted(k for k, v in e.msgstr.items() if v.strip())}"
        for e in plurals
        if sorted(k for k, v in e.msgstr.items() if v.strip()) != list(range(WELSH_FORMS))
    ]

    assert not short, "plurals without all four Welsh forms, " + _listed(short)


def test_the_catalogue_says_welsh_has_four_plural_forms() -> None:
    header = WELSH_PO.read_text(encoding="utf-8").split("\n\n", 1)[0]

    assert "nplurals=4; plural=(n==1) ? 0 : (n==2) ? 1 : (n != 8 && n != 11) ? 2 : 3;" in header
    assert '"Language: cy\\n"' in header


def test_the_catalogue_compiles_with_msgfmt_check(tmp_path: Path) -> None:
    done = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(WELSH_PO)],
        capture_output=True,
        text=True,
    )

    assert done.returncode == 0, done.stderr
    # "N translated messages." and nothing fuzzy or untranslated.
    assert "fuzzy" not in done.stderr and "untranslated" not in done.stderr, done.stderr


# A plural's count, named, may be left out of a form (Welsh "un dangosydd",
# "dau ddangosydd", as English "one indicator"); a positional %d may not (the
# % operator would fail), nor any other placeholder.
COUNTS = {f"%({name}){kind}" for name in ("count", "counter", "n") for kind in "sd"} | {
    "{count}",
    "{n}",
}


def _placeholder_problems(entry: Entry) -> list[str]:
    problems = []
    for form, welsh in sorted(entry.msgstr.items()):
        if not welsh.strip():
            continue  # untranslated: said by test_every_string_is_translated
        found = placeholders(welsh)
        if entry.msgid_plural is None:
            english = placeholders(entry.msgid)
            if found != english:
                problems.append(f"{entry.label()}: Welsh has {found}, English has {english}")
            continue
        allowed = set(placeholders(entry.msgid)) | set(placeholders(entry.msgid_plural))
        if not set(found) <= allowed or not allowed - COUNTS <= set(found):
            problems.append(
                f"{entry.label()} form {form}: Welsh has {found}, English has {sorted(allowed)}"
            )
    return problems


def test_every_translation_keeps_the_placeholders_of_its_english(entries: list[Entry]) -> None:
    problems = [problem for entry in entries for problem in _placeholder_problems(entry)]

    assert not problems, "placeholders lost or added, " + _listed(problems)


def test_the_placeholder_check_would_see_a_lost_placeholder() -> None:
    lost = Entry("%(count)s of %(total)s indicators", msgstr={0: "%(count)s o ddangosyddion"})
    moved = Entry("Due {date}", msgstr={0: "Erbyn {dyddiad}"})
    kept = Entry("Due {date}", msgstr={0: "Erbyn {date}"})
    plural = Entry(
        "%(count)s indicator in %(round)s",
        msgid_plural="%(count)s indicators in %(round)s",
        msgstr={0: "Un dangosydd yn %(round)s", 1: "Dau ddangosydd", 2: "%(count)s", 3: "%(count)s yn %(round)s"},
    )  # fmt: skip

    assert _placeholder_problems(lost) and _placeholder_problems(moved)
    assert _placeholder_problems(kept) == []
    sign = Entry("85.5 (the % sign is optional)", msgstr={0: "85.5 (mae'r arwydd % yn ddewisol)"})
    assert _placeholder_problems(sign) == []  # "% s" is words, not a placeholder
    assert [p.split(" form ")[1][:1] for p in _placeholder_problems(plural)] == ["1", "2"]


# -- up to date with the code ------------------------------------------------------


def _ignored(folder: str, names: list[str]) -> set[str]:
    return {n for n in names if n in ("static", "__pycache__") or n.endswith((".mo", ".pyc"))}


@pytest.fixture(scope="module")
def catalogue_from_the_code(tmp_path_factory: pytest.TempPathFactory) -> list[Entry]:
    """makemessages over a copy of perfreport/ with the committed catalogue,
    as `make messages` runs it: the checkout is left as it is. Settings that
    name the copy's locale folder make sure of that."""
    work = tmp_path_factory.mktemp("messages")
    copy = work / "perfreport"
    shutil.copytree(ROOT / "perfreport", copy, ignore=_ignored)
    (work / "messages_settings.py").write_text(
        "from perfreport.settings import *  # noqa: F403\n"
        f"LOCALE_PATHS = [{str(copy / 'locale')!r}]\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "messages_settings",
        "PYTHONPATH": os.pathsep.join([str(work), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, "-m", "django", *MAKEMESSAGES],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return read_po(copy / "locale" / "cy" / "LC_MESSAGES" / "django.po")


def test_every_marked_string_in_the_code_is_in_the_catalogue(
    entries: list[Entry], catalogue_from_the_code: list[Entry]
) -> None:
    committed = {e.key for e in entries}
    missing = [
        e.label().rsplit(" (line", 1)[0] for e in catalogue_from_the_code if e.key not in committed
    ]

    assert not missing, (
        "marked in the code but not in the Welsh catalogue (run `make messages`, then translate), "
        + _listed(missing)
    )


def test_the_catalogue_holds_no_string_the_code_no_longer_has(
    entries: list[Entry], catalogue_from_the_code: list[Entry]
) -> None:
    in_code = {e.key for e in catalogue_from_the_code}
    gone = [e.label() for e in entries if e.key not in in_code]

    assert not gone, "in the Welsh catalogue but no longer in the code (run `make messages`), " + (
        _listed(gone)
    )


def test_the_check_against_the_code_reads_the_code(catalogue_from_the_code: list[Entry]) -> None:
    """It would see a newly marked string: the layout's own are found."""
    found = {e.msgid for e in catalogue_from_the_code}

    assert {"Skip to main content", "Published performance", "Sign in"} <= found
