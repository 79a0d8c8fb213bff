"""Finding English left in a Welsh page.

The interface's own English is known: it is every English string of the Welsh
catalogue (perfreport/locale/cy/LC_MESSAGES/django.po). A Welsh page is read
as its reader sees it (its visible text, its <title>, and the words of its
attributes a screen reader speaks: aria-label, title, alt, placeholder, a
button's value), without what is not the interface's to translate:

- an element with ``lang="en-GB"`` (or ``en``): content shown in English for
  want of its Welsh, said to be English as WCAG 3.1.2 asks;
- an element with ``translate="no"``, and <code>, <kbd> and <samp>: names of
  columns, files, commands and addresses;
- the data: the names the register holds (organisations, directorates,
  services, indicators' references, owners, sources and units, people) and
  its content in either language (titles, descriptions, commentary, actions,
  progress), e-mail addresses and web addresses. Figures are numbers, which
  no word matches.

What is left must hold none of the English: no two-word-or-longer string of
the catalogue's English (a phrase), and no English word of the interface (a
word of the catalogue's English that no Welsh string of it uses: "API", "SPC",
"CSV" are the same in Welsh and so are not English here). English month and
day names count too: dates come from Django's own catalogue.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from po_files import WELSH_PO, read_po

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")
PLACEHOLDERS = re.compile(
    r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[a-z]|%[-#0+]*\d*(?:\.\d+)?[sdif]|\{[^}]*\}"
)
ADDRESS = re.compile(r"\S+@\S+|\b(?:https?://|www\.)\S+|(?<!\w)/[\w./?=&%-]+")
# Not the interface's English however the catalogue uses them: words Welsh
# writes the same (names of formats, products and standards), and Welsh words
# that are English words too.
SAME_IN_WELSH = {
    "perfreport", "api", "csv", "json", "xlsx", "pdf", "docx", "html", "odata", "spc",
    "gss", "url", "urls", "excel", "power", "bi", "typst", "openid", "oidc", "entra",
    "microsoft", "id", "ons", "cipfa", "dfe", "rag", "sso", "smtp", "utc", "wcag", "ua",
    "a", "i", "am", "at", "o", "y", "ac", "ar", "yn", "dim", "man", "hen", "pan", "tan",
}  # fmt: skip
MONTHS_AND_DAYS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
]
SKIPPED = ("script", "style", "template", "code", "kbd", "samp")
SPOKEN = ("aria-label", "title", "alt", "placeholder", "aria-description")


@dataclass(frozen=True)
class EnglishUI:
    phrases: tuple[str, ...]  # lower case, longest first
    words: frozenset[str]  # lower case


def _plain(text: str) -> list[str]:
    """A catalogue string as a reader may meet it: its pieces between
    placeholders and tags, whitespace made single."""
    pieces = PLACEHOLDERS.split(TAG.sub("\x00", text))
    return [SPACE.sub(" ", p).strip() for piece in pieces for p in piece.split("\x00")]


@cache
def english_ui() -> EnglishUI:
    """The interface's English phrases and words, from the Welsh catalogue."""
    entries = read_po(WELSH_PO)
    english: list[str] = []
    welsh_words: set[str] = set()
    same: set[str] = set()  # strings Welsh writes as English does ("CSV", "perfreport")
    for entry in entries:
        forms = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        for welsh in entry.msgstr.values():
            welsh_words.update(w.lower() for w in WORD.findall(TAG.sub(" ", welsh)))
            same.update(p.lower() for p in _plain(welsh))
        english += forms
    phrases = {
        piece.lower()
        for text in english
        for piece in _plain(text)
        if len(WORD.findall(piece)) >= 2 and piece.lower() not in same
    }
    words = {
        w.lower()
        for text in english
        for piece in _plain(text)
        for w in WORD.findall(piece)
        if len(w) > 1  # a letter alone is a symbol, a key or an initial
    }
    words -= welsh_words | SAME_IN_WELSH
    # Always English, even where a Welsh hint quotes them (an English period
    # label as the import reads it): a Welsh date has Welsh month names.
    words |= {m.lower() for m in MONTHS_AND_DAYS}
    return EnglishUI(tuple(sorted(phrases, key=len, reverse=True)), frozenset(words))


def _is_english(element: Any) -> bool:
    lang = element.get("lang") or element.get("{http://www.w3.org/XML/1998/namespace}lang") or ""
    return lang.lower().split("-")[0] == "en"


def _not_exposed(tree: Any) -> list[Any]:
    """What no assistive technology reads inside an image (role="img": its
    children are presentational, WAI-ARIA 1.2): the chart library's own
    descriptions of its marks and axes, and hover titles. Its aria-* words
    are removed and its <title> and <desc> returned for dropping; the text it
    draws (axis titles and labels) is still read."""
    hidden = []
    for image in tree.iter():
        if not isinstance(image.tag, str) or image.get("role") != "img":
            continue
        for element in image.iterdescendants():
            if not isinstance(element.tag, str):
                continue
            for name in [n for n in element.attrib if n.startswith("aria-")]:
                del element.attrib[name]
            if element.tag.split("}")[-1] in ("title", "desc"):
                hidden.append(element)
    return hidden


def visible_text(html: str) -> str:
    """What a reader sees and hears of the page's interface: its text, the
    <title>, and the spoken attributes, without English content said to be
    English (lang="en-GB"), scripts, styles, code and what is marked
    translate="no"."""
    from lxml import etree
    from lxml import html as lxml_html

    tree = lxml_html.document_fromstring(html)
    etree.strip_elements(tree, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    for element in _not_exposed(tree):
        element.drop_tree()
    unread = [
        element
        for element in tree.iter(etree.Element)
        if element.getparent() is not None
        and (
            element.tag in SKIPPED
            or _is_english(element)
            or (element.get("translate") or "").lower() == "no"
        )
    ]
    for element in unread:
        element.drop_tree()
    spoken = []
    for element in tree.iter(etree.Element):
        spoken += [element.get(name) or "" for name in SPOKEN]
        if element.tag == "input" and element.get("type") in ("submit", "button", "reset"):
            spoken.append(element.get("value") or "")
        spoken += [v for k, v in element.attrib.items() if k.startswith("data-") and _is_words(v)]
    body = tree.find("body")
    head_title = tree.findtext(".//title") or ""
    text = " ".join([head_title, *(body.itertext() if body is not None else []), *spoken])
    return SPACE.sub(" ", text).strip()


def _is_words(value: str) -> bool:
    """A data- attribute holding words for a script to show, not data."""
    return " " in value and not any(c in value for c in "{[/<=")


@cache
def data_strings() -> tuple[str, ...]:
    """The data as stored, longest first, a line at a time (see the module's
    docstring): every text of the register and of the figures' words, in
    English and in Welsh."""
    from django.apps import apps
    from django.contrib.auth.models import User
    from django.db import models

    wanted = {"registry", "data", "accounts", "feeds", "distribution", "jobs"}
    found: set[str] = set()
    for model in apps.get_models():
        if model._meta.app_label not in wanted:
            continue
        fields = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, (models.CharField, models.TextField))
            and not f.choices
            and f.name not in ("scheme", "label", "label_cy", "colour", "symbol", "state")
        ]
        if fields:
            for row in model.objects.values_list(*fields):
                found.update(
                    line.strip() for value in row if value for line in str(value).splitlines()
                )
    for user in User.objects.all():
        found.update({user.username, user.get_full_name(), user.first_name, user.last_name})
    return tuple(sorted((s for s in found if len(s) > 1), key=len, reverse=True))


def forget_data() -> None:
    data_strings.cache_clear()
    english_content.cache_clear()


def english_in(text: str, ui: EnglishUI | None = None, data: Iterable[str] = ()) -> list[str]:
    """The interface's English found in ``text``: each phrase, then each
    word not inside a phrase found, with a few words around it."""
    ui = ui or english_ui()
    for value in data:
        if len(value) >= 4 and value in text:
            text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ¶ ", text)
    text = ADDRESS.sub(" ¶ ", text)
    lowered = f" {SPACE.sub(' ', text).lower()} "
    found = []
    for phrase in ui.phrases:
        if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", lowered):
            found.append(f'"{phrase}"')
            lowered = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", " ¶ ", lowered)
    words = WORD.findall(lowered)
    seen: set[str] = set()
    for index, word in enumerate(words):
        if word in ui.words and word not in seen:
            seen.add(word)
            around = " ".join(words[max(0, index - 3) : index + 4])
            found.append(f"{word} (in “{around}”)")
    return found


# -- reading every Welsh page ----------------------------------------------------

LINK = re.compile(r"""<a\b[^>]*\bhref=["']([^"'#]+)""", re.IGNORECASE)
# Not pages: files, JSON twins, feeds. Their words are data (docs/welsh.md).
NOT_PAGES = re.compile(r"(_json|_file|_download|_data|_template|^web:unsubscribe)$")
FILE_FORMATS = {"pdf", "docx", "xlsx", "csv", "json", "zip", "parquet", "odt"}


@dataclass(frozen=True)
class Page:
    name: str  # the URL pattern's name
    url: str
    status: int
    html: str


def page_name(url: str) -> str | None:
    from django.urls import Resolver404, resolve
    from django.utils import translation

    try:
        with translation.override("cy"):  # /cy/... is resolved for Welsh alone
            match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}" if match.namespace else str(match.url_name)


def read_welsh_pages(
    client: Any, seeds: Iterable[str], *, per_kind: int = 3, limit: int = 400
) -> list[Page]:
    """Every Welsh page reachable from ``seeds`` by its links (GET only),
    at most ``per_kind`` addresses for each page and set of query parameters
    (the page for three indicators, not for thirty): the pages a reader of
    that role can open, as they open them."""
    queue = deque(seeds)
    seen: set[str] = set()
    kinds: Counter[tuple[str, frozenset[str]]] = Counter()
    pages: list[Page] = []
    while queue and len(pages) < limit:
        url = queue.popleft()
        if url in seen or not url.startswith("/cy/"):
            continue
        seen.add(url)
        name = page_name(url)
        query = dict(parse_qsl(urlsplit(url).query))
        if name is None or not _is_page(name, query):
            continue
        kind = (name, frozenset(query))
        if kinds[kind] >= per_kind:
            continue
        kinds[kind] += 1
        response = client.get(url)
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        html_page = response.get("Content-Type", "").startswith("text/html")
        if not html_page or response.status_code not in (200, 403, 404) or not response.content:
            continue  # not a page, or a form's POST (405)
        html = response.content.decode()
        pages.append(Page(name, url, response.status_code, html))
        queue.extend(LINK.findall(html))
    return pages


def _is_page(name: str, query: dict[str, str]) -> bool:
    if not name.startswith("web:") or query.get("format") in FILE_FORMATS:
        return False
    if name.endswith("report_download"):  # the report's HTML is a page; its files are not
        return query.get("format") == "html"
    return not NOT_PAGES.search(name)


def english_on_pages(pages: Iterable[Page], content_marked: bool = True) -> dict[str, list[str]]:
    """``{"url (page name)": [the English found]}`` for every page with some:
    the interface's English, and (``content_marked``) English content not
    said to be English."""
    data, content = data_strings(), english_content()
    found = {}
    for page in pages:
        english = english_in(visible_text(page.html), data=data)
        if content_marked:
            english += [f"not lang=en-GB: {c}" for c in unmarked_english(page.html, content)]
        if english:
            found[f"{page.url} ({page.name}, {page.status})"] = english
    return found


def describe(found: dict[str, list[str]], limit: int = 40, each: int = 20) -> str:
    lines = [
        f"{url}: {'; '.join(english[:each])}"
        + (f" (and {len(english) - each} more)" if len(english) > each else "")
        for url, english in found.items()
    ]
    more = f"\n... and {len(lines) - limit} pages more" if len(lines) > limit else ""
    return "\n".join(lines[:limit]) + more


# -- content in English, said to be English ------------------------------------------


@cache
def english_content() -> tuple[str, ...]:
    """Content that has a Welsh field and no Welsh yet (a title, a
    commentary), a line at a time: a Welsh page shows it in English, and
    must say so (lang="en-GB", WCAG 3.1.2)."""
    from django.apps import apps

    found: set[str] = set()
    for model in apps.get_models():
        names = {f.name for f in model._meta.get_fields()}
        pairs = [(n, f"{n}_cy") for n in names if f"{n}_cy" in names]
        pairs += [("text", "text_cy")] if {"text", "text_cy"} <= names else []
        for english, welsh in set(pairs):
            for value, cy in model.objects.values_list(english, welsh):
                if value and not (cy or "").strip():
                    found.update(SPACE.sub(" ", line).strip() for line in value.splitlines())
    return tuple(sorted((s for s in found if len(s) >= 12), key=len, reverse=True))


def unmarked_english(html: str, content: Iterable[str]) -> list[str]:
    """English content in the page's text that no element says is English
    (options and the <title> aside: they can hold no element)."""
    from lxml import etree
    from lxml import html as lxml_html

    tree = lxml_html.document_fromstring(html)
    etree.strip_elements(tree, etree.Comment, with_tail=False)
    for element in _not_exposed(tree):
        element.drop_tree()
    unread = [
        e
        for e in tree.iter(etree.Element)
        if e.getparent() is not None
        and (e.tag in (*SKIPPED, "title", "option", "head") or _is_english(e))
    ]
    for element in unread:
        element.drop_tree()
    text = SPACE.sub(" ", " ".join(tree.itertext()))
    return [f"“{value[:60]}”" for value in content if value in text]
