"""Tables for a terminal: 80 columns, colour only when it is a terminal."""

from __future__ import annotations

from typing import IO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from perfreport.core.evaluation import Evaluation
from perfreport.core.quality import Finding, Severity
from perfreport.core.rating import Rating
from perfreport.data.selectors import PeriodEvaluation

STYLES = {
    Rating.RED: "bold red",
    Rating.AMBER: "bold dark_orange",
    Rating.GREEN: "bold green",
    Rating.BLUE: "bold blue",
    Rating.BASELINE: "",
    Rating.CONTEXTUAL: "",
}


def console_for(stream: IO[str]) -> Console:
    terminal = stream.isatty()
    return Console(
        file=stream,
        width=None if terminal else 80,
        soft_wrap=False,
        force_terminal=None,
        no_color=not terminal,
        highlight=False,
    )


def print_scorecard(stream: IO[str], result: PeriodEvaluation) -> None:
    """The scorecard table on ``stream``: the terminal's width, or 80 columns
    for a file or a pipe, which grows rather than cut a reference or a figure
    when they do not fit beside the shortest title."""
    console = console_for(stream)
    table = scorecard_table(result, console.width)
    if not stream.isatty():
        console.width = max(console.width, _needed_width(table))
    console.print(table)


def _needed_width(table: Table) -> int:
    widths = [column.width or 0 for column in table.columns]
    return sum(widths) + 2 * (len(widths) - 1)


def scorecard_table(result: PeriodEvaluation, width: int = 80) -> Table:
    """Ref, title, period, value, target, RAG and change: every column but the
    title keeps its full width, and the title takes what is left of 80."""
    missing = result.missing_printed_rating
    rows = [_scorecard_cells(row.evaluation, row.indicator.ref in missing) for row in result.rows]
    headers = ("Ref", "Indicator", "Period", "Value", "Target", "RAG", "Change")
    table = Table(
        title=f"Scorecard for {result.period.long_label}",
        title_justify="left",
        box=None,
        pad_edge=False,
        header_style="bold",
    )
    widths = [max([len(h)] + [len(str(r[i])) for r in rows]) for i, h in enumerate(headers)]
    others = sum(widths) - widths[1] + 2 * (len(headers) - 1)
    widths[1] = max(12, min(widths[1], width - others))
    for header, column_width in zip(headers, widths, strict=True):
        right = header in ("Value", "Target")
        table.add_column(
            header,
            no_wrap=True,
            overflow="ellipsis",
            width=column_width,
            justify="right" if right else "left",
        )
    for cells in rows:
        table.add_row(*cells)
    return table


def _scorecard_cells(e: Evaluation, printed_missing: bool) -> tuple[str | Text, ...]:
    if e.rating:
        rag = Text(f"{e.rating_symbol} {e.rating_label}", style=STYLES[e.rating])
        if e.rating_differs or printed_missing:
            rag.append("!", style="bold")
    else:
        rag = Text("–")
    return (
        e.indicator.ref,
        e.indicator.title,
        e.current.period.name if e.current else "none",
        e.shown(e.current),
        e.show(e.target.value) if e.target else "",
        rag,
        e.change.label if e.change else "",
    )


def findings_table(findings: list[Finding]) -> Table:
    table = Table(box=None, pad_edge=False, header_style="bold", show_header=True)
    table.add_column("Ref", no_wrap=True)
    table.add_column("Finding", no_wrap=True)
    table.add_column("Detail", ratio=1, overflow="fold")
    for f in findings:
        style = "bold red" if f.severity is Severity.ERROR else "dark_orange"
        table.add_row(f.ref, Text(f.code.value, style=style), f.message)
    return table
