"""The core's words come out in the active language (issue 17).

GIVEN the application has installed Django's gettext into the core
(perfreport/core/i18n.py) and the Welsh catalogue is compiled (`make messages`)
WHEN Welsh is active
THEN period names, rating names, the Key of every built-in scheme, a rating's
explanation, change words, a data-quality finding and SPC and forecast
sentences are Welsh; and with English active they are exactly as before.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from perfreport.core.change import Change
from perfreport.core.commentary import CommentaryFacts, draft_commentary
from perfreport.core.forecast import RunRate, describe_run_rate
from perfreport.core.key import key_lines
from perfreport.core.periods import Frequency, in_words, parse_period, year_name
from perfreport.core.quality import check_published_series
from perfreport.core.rating import (
    MET,
    SEED,
    TOLERANCE,
    Polarity,
    Rating,
    Scheme,
    describe_rating,
    rate_against_target,
)
from perfreport.core.spc import Assurance, xmr
from perfreport.core.units import Unit
from perfreport.jobs.timing import describe
from perfreport.registry.models import Indicator

PERIODS = [
    # text, year start, English long label, Welsh long label, Welsh name
    pytest.param("2020/21 Q3", 4, "Quarter 3 2020/21", "Chwarter 3 2020/21", "2020/21 Q3", id="quarter_fy"),
    pytest.param("2020-09", 4, "September 2020", "Medi 2020", "2020-09", id="month"),
    pytest.param("2021-03", 1, "March 2021", "Mawrth 2021", "2021-03", id="month_calendar"),
    pytest.param("2020/21", 4, "2020/21", "2020/21", "2020/21", id="financial_year"),
    pytest.param("2023", 1, "calendar year 2023", "blwyddyn galendr 2023", "2023", id="calendar_year"),
    pytest.param("2020 Q3", 1, "Quarter 3 2020", "Chwarter 3 2020", "2020 Q3", id="quarter_calendar"),
    pytest.param(
        "2022/23", 9, "academic year 2022/23", "blwyddyn academaidd 2022/23",
        "blwyddyn academaidd 2022/23", id="academic_year",
    ),
    pytest.param(
        "2022/23 Q1", 9, "Quarter 1 of academic year 2022/23",
        "Chwarter 1 y flwyddyn academaidd 2022/23", "2022/23 Q1 (blwyddyn academaidd)",
        id="quarter_academic",
    ),
    pytest.param(
        "2022/23", 7, "year to June 2023", "blwyddyn hyd at fis Mehefin 2023",
        "blwyddyn hyd at fis Mehefin 2023", id="year_to_june",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "start", "english", "welsh", "welsh_name"), PERIODS)
def test_a_period_is_named_in_the_active_language(
    text: str, start: int, english: str, welsh: str, welsh_name: str
) -> None:
    period = parse_period(text, start)

    with translation.override("cy"):
        assert period.long_label == welsh
        assert period.name == welsh_name
    with translation.override("en-gb"):
        assert period.long_label == english


def test_year_kinds_and_period_nouns_are_welsh() -> None:
    with translation.override("cy"):
        assert [year_name(m) for m in (1, 4, 9, 7)] == [
            "blwyddyn galendr",
            "blwyddyn ariannol",
            "blwyddyn academaidd",
            "blwyddyn sy'n dechrau ym mis Gorffennaf",
        ]
        assert [f.noun for f in Frequency] == ["Mis", "Chwarter", "Blwyddyn"]
        assert in_words(parse_period("2019/20", 9)) == "Blwyddyn academaidd 2019/20"


def test_rating_and_change_names_are_welsh_and_english_is_unchanged() -> None:
    with translation.override("cy"):
        assert [r.label for r in Rating] == [
            "Coch", "Ambr", "Gwyrdd", "Glas", "Llinell sylfaen", "Cyd-destunol",
        ]  # fmt: skip
        assert [c.label for c in Change] == ["Yn gwella", "Yn gwaethygu", "Heb newid"]
        assert Polarity.LOWER.words == "gorau po isaf"
    with translation.override("en-gb"):
        assert [r.label for r in Rating] == [
            "Red", "Amber", "Green", "Blue", "Baseline", "Contextual",
        ]  # fmt: skip
        assert [c.label for c in Change] == ["Improving", "Declining", "Unchanged"]


KEYS = [
    pytest.param(
        SEED,
        [
            "Coch – oddi ar y targed o fwy na 10%",
            "Ambr – oddi ar y targed o 10% neu lai",
            "Gwyrdd – ar y targed, hyd at 5% drosto",
            "Glas – yn rhagori ar y targed o fwy na 5%",
        ],
        [
            "Red – off target by more than 10%",
            "Amber – off target by 10% or less",
            "Green – on target, up to 5% over",
            "Blue – exceeds target by more than 5%",
        ],
        id="seed",
    ),
    pytest.param(
        TOLERANCE,
        [
            "Coch – oddi ar y targed o fwy na 10%",
            "Ambr – oddi ar y targed o fwy na 5% a hyd at 10%",
            "Gwyrdd – ar y targed neu'n well, neu hyd at 5% oddi arno",
        ],
        [
            "Red – off target by more than 10%",
            "Amber – off target by more than 5% and up to 10%",
            "Green – on target or better, or up to 5% off it",
        ],
        id="tolerance",
    ),
    pytest.param(
        MET,
        ["Coch – oddi ar y targed", "Gwyrdd – ar y targed neu'n well"],
        ["Red – off target", "Green – on target or better"],
        id="met",
    ),
]


@pytest.mark.parametrize(("scheme", "welsh", "english"), KEYS)
def test_the_key_of_each_built_in_scheme_is_worded_in_welsh(
    scheme: Scheme, welsh: list[str], english: list[str]
) -> None:
    with translation.override("cy"):
        lines = [line.text for line in key_lines(scheme)]
    assert lines[: len(welsh)] == welsh
    assert lines[-2:] == [
        "Llinell sylfaen – mae perfformiad yn cael ei olrhain er mwyn llywio'r broses o osod "
        "targedau",
        "Cyd-destunol – yn olrhain gweithgarwch allweddol lle nad yw arweinydd y gwasanaeth o'r "
        "farn bod targed yn berthnasol",
    ]
    with translation.override("en-gb"):
        assert [line.text for line in key_lines(scheme, untargeted=False)] == english


def test_a_ratings_explanation_is_one_welsh_sentence() -> None:
    value, target = Decimal("83.4"), Decimal("90")
    outcome = rate_against_target(value, target, Polarity.HIGHER, SEED)

    def explained() -> str:
        return describe_rating(outcome, value, target, Polarity.HIGHER, SEED, Unit.PERCENT, 1)

    with translation.override("cy"):
        welsh = explained()
    with translation.override("en-gb"):
        english = explained()

    assert welsh.startswith("Mae 83.4% ")
    assert "6.6 pwynt canran (7.3%)" in welsh
    assert "islaw'r targed o 90.0%" in welsh
    assert welsh.endswith(": Ambr (oddi ar y targed o 10% neu lai)")
    assert english == (
        "83.4% is 6.6 percentage points (7.3%) below the 90.0% target: Amber (off target by 10% "
        "or less)"
    )


def test_a_data_quality_finding_is_welsh() -> None:
    series = [("2019", Decimal(5))] * 4 + [("2020", Decimal(0))]

    with translation.override("cy"):
        [(_code, welsh)] = check_published_series(series, percent=False)
    with translation.override("en-gb"):
        [(_code, english)] = check_published_series(series, percent=False)

    assert welsh == (
        "0 yw'r gwerth ar gyfer 2020 ar ôl 4 o werthoedd cynharach heb sero (yr olaf 5): "
        "gwiriwch ei fod yn sero go iawn, nid ffigur coll"
    )
    assert english == (
        "the value for 2020 is 0 after 4 earlier values with no zero (the last 5): check it is "
        "a real zero, not a missing figure"
    )


def test_spc_and_run_rate_sentences_are_welsh() -> None:
    chart = xmr([Decimal(v) for v in (1, 2, 3)], "increase")
    rate = RunRate(Decimal(500), Decimal(1200), 2, 2)

    with translation.override("cy"):
        assert chart.explanation.startswith("Gyda 3 o werthoedd, sy'n rhy ychydig")
        assert Assurance.HIT_OR_MISS.label == "Weithiau'n llwyddo, weithiau'n methu"
        assert describe_run_rate(rate, period_word="quarter", target_label="2020/21") == (
            "I gyrraedd 1,200 erbyn 2020/21, mae angen 350 y chwarter dros y 2 chwarter sy'n "
            "weddill; cyflawnwyd 250 y chwarter hyd yma."
        )
    with translation.override("en-gb"):
        assert describe_run_rate(rate, period_word="quarter", target_label="2020/21") == (
            "To reach 1,200 by 2020/21, 350 a quarter are needed over the 2 remaining quarters; "
            "250 a quarter have been achieved so far."
        )


def test_a_drafted_commentary_is_welsh() -> None:
    facts = CommentaryFacts(
        period_label="Chwarter 2 2020/21",
        value_text="97.82%",
        target_text="97.50%",
        rating=Rating.GREEN,
        change=Change.IMPROVING,
        polarity=Polarity.HIGHER,
        previous_text="97.78%",
        previous_period_label="Chwarter 1 2020/21",
    )

    with translation.override("cy"):
        welsh = draft_commentary(facts)

    assert welsh == (
        "Yn Chwarter 2 2020/21, 97.82% oedd y gwerth, i fyny o 97.78% yn Chwarter 1 2020/21 "
        "(yn gwella). Mae hyn yn cyrraedd y targed o 97.50% a'i sgôr yw Gwyrdd."
    )


def test_a_schedules_timing_and_the_registers_field_names_are_welsh() -> None:
    with translation.override("cy"):
        assert describe("30 7 * * mon") == "Bob wythnos ar ddydd Llun am 07:30"
        assert describe("0 6 1 * *") == "Ar y 1af o bob mis am 06:00"
        assert str(Indicator._meta.get_field("title_cy").verbose_name) == "teitl (Cymraeg)"
        assert dict(Indicator._meta.get_field("frequency").choices)["quarterly"] == "Chwarterol"
    with translation.override("en-gb"):
        assert describe("30 7 * * mon") == "Weekly on Monday at 07:30"
        assert str(Indicator._meta.get_field("title_cy").verbose_name) == "title (Welsh)"
