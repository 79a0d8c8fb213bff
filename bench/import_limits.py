"""Benchmark: hostile import files (issue 13).

1. A ``values.csv`` of about 300 MB (rows with a long commentary): the time
   and peak memory (max RSS) of ``perfreport import`` with the default size
   limit (refused before reading); with ``PERFREPORT_IMPORT_MAX_MB`` raised
   above the file, first for indicators not in the register (every row read
   and checked, then refused), then with an ``indicators.csv`` that registers
   them (every row checked and written).
2. A zip-bomb workbook of about 1 MB whose ``values`` sheet unpacks to 1 GB
   of XML: the time to refuse it.

Each import runs as the ``perfreport`` command in its own process, as a BI
analyst would run it. ``--head DIR`` runs the code in DIR instead (for
example ``git archive HEAD | tar -x -C DIR``), to measure before a change.

    python bench/import_limits.py [--csv-mb 300] [--bomb-gb 1] [--only csv|bomb]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

EXE = Path(sys.executable).parent / "perfreport"
COMMENT = "Performance held up this month as the narrative explains at length. " * 14


def make_values(folder: Path, megabytes: int) -> int:
    """A values.csv of about ``megabytes`` million bytes; returns its rows."""
    target = megabytes * 1_000_000
    rows = 0
    with (folder / "values.csv").open("w", newline="") as handle:
        handle.write("ref,period,value,target,stated_rag,commentary,actions\n")
        written = 0
        while written < target:
            year, month = divmod(rows, 12)
            line = f"Z{rows // 600:05d},{2000 + year % 600:04d}-{month + 1:02d},87.5,85,green,{COMMENT},\n"
            handle.write(line)
            written += len(line)
            rows += 1
    return rows


def make_register(folder: Path, rows: int) -> None:
    """An indicators.csv with every indicator of values.csv, so that the
    import is accepted and written, not refused."""
    with (folder / "indicators.csv").open("w", newline="") as handle:
        handle.write("ref,title,unit,polarity,frequency,rating_basis\n")
        for n in range(rows // 600 + 1):
            handle.write(f"Z{n:05d},Benchmark indicator {n},percent,higher,monthly,targeted\n")


def make_bomb(path: Path, gigabytes: float) -> None:
    """A workbook whose values sheet is ``gigabytes`` of XML: rows and spaces."""
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData>"
    )
    # 200 rows, then spaces (allowed between elements): deflate packs a run of
    # one byte best (about 1,000 to 1), so 1 GB of sheet fits in about 1 MB.
    rows = '<row><c t="inlineStr"><is><t>A</t></is></c></row>' * 200
    chunk = (rows + " " * (1_000_000 - len(rows))).encode()
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="indicators" sheetId="1" r:id="rId1"/>'
            '<sheet name="values" sheetId="2" r:id="rId2"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": head + "</sheetData></worksheet>",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet2.xml", "w", force_zip64=True) as sheet:
            sheet.write(head.encode())
            for _ in range(int(gigabytes * 1000)):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")


def timed(args: list[str], env: dict[str, str], cwd: Path, limit: float) -> tuple[str, str, str]:
    """Run the command in a child: wall seconds, peak RSS in MiB, last line of output."""
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # child: exec the command, output to a file
        out = os.open(cwd / "out.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.chdir(cwd)
        os.execve(str(EXE), [str(EXE), *args], env)
    while True:
        done, _, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if time.perf_counter() - start > limit:
            os.kill(pid, 9)
            _, _, usage = os.wait4(pid, 0)
            break
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    lines = (cwd / "out.txt").read_text(errors="replace").strip().splitlines()
    said = lines[0][:150] if lines else ""
    shown = f"{seconds:.2f}" if seconds <= limit else f"> {limit:.0f} (stopped)"
    return shown, f"{usage.ru_maxrss / 1024:,.0f}", said


def refuse_in_process(bomb: Path) -> tuple[str, str, str]:
    """The refusal alone, without the command's start-up (tables.py needs no Django)."""
    from perfreport.imports.tables import read_source

    start = time.perf_counter()
    _, problems = read_source(bomb)
    return f"{time.perf_counter() - start:.4f}", "", str(problems[0])[:150]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--csv-mb", type=int, default=300)
    parser.add_argument("--bomb-gb", type=float, default=1.0)
    parser.add_argument("--only", choices=("csv", "bomb"))
    parser.add_argument("--head", type=Path, help="run the perfreport package found in this folder")
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}"}
        if args.head:
            env["PYTHONPATH"] = str(args.head.resolve())
        timed(["migrate", "-v", "0"], env, work, args.timeout)
        results.append(
            ("perfreport --version (start-up only)", *timed(["--version"], env, work, 60))
        )
        if args.only in (None, "csv"):
            data = work / "data"
            data.mkdir()
            rows = make_values(data, args.csv_mb)
            size = (data / "values.csv").stat().st_size
            what = f"values.csv, {size / 1e6:,.0f} MB, {rows:,} rows"
            results.append(
                (f"{what}, default limit", *timed(["import", str(data)], env, work, args.timeout))
            )
            raised = {**env, "PERFREPORT_IMPORT_MAX_MB": str(args.csv_mb + 100)}
            results.append(
                (f"{what}, limit raised", *timed(["import", str(data)], raised, work, args.timeout))
            )
            make_register(data, rows)
            results.append(
                (
                    f"{what}, limit raised, written",
                    *timed(["import", str(data)], raised, work, args.timeout),
                )
            )
        if args.only in (None, "bomb"):
            bomb = work / "bomb.xlsx"
            make_bomb(bomb, args.bomb_gb)
            with zipfile.ZipFile(bomb) as archive:
                unpacked = sum(member.file_size for member in archive.infolist())
            what = (
                f"zip bomb, {bomb.stat().st_size / 1e6:.1f} MB, unpacks to {unpacked / 1e9:.1f} GB"
            )
            results.append((what, *timed(["import", str(bomb)], env, work, args.timeout)))
            if not args.head:
                results.append(
                    ("the same, read_source() in this process", *refuse_in_process(bomb))
                )
    print(f"{'import':<58}{'seconds':>20}{'peak MiB':>10}  first line of output")
    for name, seconds, peak, said in results:
        print(f"{name:<58}{seconds:>20}{peak:>10}  {said}")


if __name__ == "__main__":
    main()
