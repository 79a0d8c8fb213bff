"""Making Data Count's variation and assurance icons, drawn by us as small SVGs.

The icons follow the Making Data Count legend (NHS England, *Making Data
Count: strengthening your decisions*, 2019): a circle with a letter, blue for
improvement, orange for concern, purple for neutral and grey for common
cause. The artwork is our own. Each colour has at least 3:1 contrast against
white (WCAG 1.4.11), and each icon carries its meaning in a letter and in a
``<title>``, never in colour alone.

>>> variation_icon(Variation.CONCERN_LOW).count("<title>")
1
"""

from __future__ import annotations

from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import get_language

from perfreport.core.spc import Assurance, Signal, Variation

__all__ = [
    "COMMON_CAUSE_GREY",
    "SIGNAL_COLOURS",
    "assurance_icon",
    "variation_icon",
]

ICON_FONT = "Liberation Sans, Arial, sans-serif"
COMMON_CAUSE_GREY = "#505a5f"
# MDC's blue #00B0F0 has 2.4:1 against white, short of 3:1, and its orange
# #E46C0A only 3.3:1: both are darkened to about 4.9:1, so the letters in the
# icons read as well as body text would.
SIGNAL_COLOURS = {
    Signal.IMPROVEMENT: "#0072c6",
    Signal.CONCERN: "#b65500",
    Signal.NEUTRAL: "#6f3c97",
}
_ASSURANCE_COLOURS = {
    Assurance.PASS: SIGNAL_COLOURS[Signal.IMPROVEMENT],
    Assurance.FAIL: SIGNAL_COLOURS[Signal.CONCERN],
    Assurance.HIT_OR_MISS: COMMON_CAUSE_GREY,
}
_ASSURANCE_LETTERS = {Assurance.PASS: "P", Assurance.FAIL: "F", Assurance.HIT_OR_MISS: "?"}


def variation_icon(variation: Variation | str) -> str:
    """The variation icon, named in the active language."""
    return _variation_icon(variation, get_language() or "")


@lru_cache(maxsize=32)
def _variation_icon(variation: Variation | str, language: str) -> str:
    """The variation icon: a grey flat line for common cause, else H or L
    (higher or lower) with an arrow, in the colour of the signal."""
    variation = Variation(variation)
    if variation is Variation.COMMON_CAUSE:
        grey = COMMON_CAUSE_GREY
        dots = "".join(f'<circle cx="{x}" cy="20" r="2.5" fill="{grey}"/>' for x in (12, 20, 28))
        body = (
            f'<path d="M9 20H31" stroke="{grey}" stroke-width="2.5" stroke-linecap="round"/>{dots}'
        )
        return _svg(variation.description, grey, body)
    signal, side = variation.value.split("_")
    colour = SIGNAL_COLOURS[Signal(signal)]
    if side == "high":
        body = _letter("H", colour, 30, 17) + _arrow(colour, "M20 7L25 12.5H15Z")
    else:
        body = _letter("L", colour, 23, 17) + _arrow(colour, "M20 33L25 27.5H15Z")
    return _svg(variation.description, colour, body)


def assurance_icon(assurance: Assurance | str) -> str:
    """The assurance icon, named in the active language."""
    return _assurance_icon(assurance, get_language() or "")


@lru_cache(maxsize=16)
def _assurance_icon(assurance: Assurance | str, language: str) -> str:
    """The assurance icon: P (consistently passing), F (consistently failing)
    or ? (hit and miss)."""
    assurance = Assurance(assurance)
    colour = _ASSURANCE_COLOURS[assurance]
    body = _letter(_ASSURANCE_LETTERS[assurance], colour, 27, 20)
    return _svg(assurance.description, colour, body)


def _svg(title: str, colour: str, body: str) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" width="40" height="40" '
        f'role="img" aria-label={quoteattr(title)}>'
        f"<title>{escape(title)}</title>"
        f'<circle cx="20" cy="20" r="17.5" fill="white" stroke="{colour}" stroke-width="3"/>'
        f"{body}</svg>"
    )


def _letter(letter: str, colour: str, baseline: float, size: float) -> str:
    return (
        f'<text x="20" y="{baseline}" text-anchor="middle" font-family="{ICON_FONT}" '
        f'font-size="{size}" font-weight="bold" fill="{colour}">{escape(letter)}</text>'
    )


def _arrow(colour: str, path: str) -> str:
    return f'<path d="{path}" fill="{colour}"/>'
