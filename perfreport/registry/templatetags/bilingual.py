"""``{% load bilingual %}``: content in the page's language.

``{% in_language indicator "title" %}`` prints the Welsh title on a Welsh page
when there is one, and otherwise the English, wrapped in
``<span lang="en-GB">`` on a Welsh page so that it is read as English.
``{{ indicator|in_language:"title" }}`` gives the plain text, for a
``<title>``, an attribute or a filter chain, where no element can go.
``{% pick english welsh %}`` does the same for two strings in hand.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from perfreport.registry import bilingual

register = template.Library()


def _marked(text: bilingual.Text) -> str:
    if text.is_fallback and text:
        return format_html('<span lang="{}">{}</span>', text.lang, str(text))
    return format_html("{}", str(text))


@register.simple_tag(name="in_language")
def in_language_tag(obj: Any, field: str) -> str:
    return _marked(bilingual.text(obj, field))


@register.filter(name="in_language")
def in_language_filter(obj: Any, field: str) -> str:
    return str(bilingual.text(obj, field))


@register.simple_tag(name="pick")
def pick_tag(english: str, welsh: str) -> str:
    return _marked(bilingual.pick(english, welsh))


@register.filter(name="marking")
def marking_filter(sentence: str, content: Any) -> str:
    """``sentence`` (escaped) with ``content`` in it marked as English where
    it is English shown on a Welsh page: "Siart linell o <span
    lang="en-GB">Take-up of superfast broadband</span>, …"."""
    if not isinstance(content, bilingual.Text) or not content.is_fallback or not content:
        return format_html("{}", sentence)
    escaped, inner = str(escape(sentence)), str(escape(str(content)))
    marked = format_html('<span lang="{}">{}</span>', content.lang, str(content))
    return mark_safe(escaped.replace(inner, marked, 1))
