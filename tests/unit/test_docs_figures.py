"""A speed or accuracy figure quoted in docs/ is one a benchmark script recorded in bench/RESULTS.md.

A paragraph of docs/*.md (or README.md) that speaks of speed (takes, wall, CPU, faster, p99, ...)
and quotes a time, a ratio or a memory size (`9.0 s`, `34 us`, `165x`, `2.5×`, `1.45 GB`) must quote
a number that appears, as written, in bench/RESULTS.md (so `1.5 GB` for a recorded `1.45` fails): the figure comes from the script that reproduces it, or it goes.
Values that are settings, not measurements (`--time-limit 30`, "every 0.5 s", "default 30 s",
"within 250 ms" as a target) are not figures; fenced code blocks are commands, not claims.

Accuracy likewise: a sentence or table row that compares with a reference (Skyfield, SPICE, GMAT,
Vallado's set, python-sgp4's readers, a published example) and speaks of agreement (worst, largest difference,
measured, within, agree, ...) must quote every physical figure (`0.35 s`, `8 cm`, `4e-5 °`,
`20 Hz`, `8e-10 rad`) as bench/accuracy.py (or another script) recorded it. Tolerances a test
asserts, written as such (`limit 1 m`, `test bound 1 s`, `< 1 µs`), are claims the script's table
records beside each measurement, not figures to look up.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "RESULTS.md"
DOCS = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]

# A number with a unit of time, a ratio or a size after it: "9.0 s", "34 us", "2 min", "165x", "2.5×", "313 MB".
FIGURE = re.compile(r"(?<![\w.,/-])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)? ?(ns|µs|us|ms|s|min|h|x|×|KiB|MiB|MB|GB)(?![\w°/])")
# Words that make a paragraph a claim about speed.
SPEED = re.compile(
    r"\b(takes?|took|taking|wall|CPU|faster|slower|speed-?up|measured|median|p50|p99|latency|"
    r"per (?:pass|satellite-station-day|pair-day|object-station-day|board|task)|costs?|spent|run in|ran in|"
    r"in about|vs Skyfield|against Skyfield|throughput)\b",
    re.IGNORECASE,
)
# What just precedes a number that is a setting or a bound, not a measurement.
SETTING = re.compile(
    r"(--[\w-]+[ =]|\b(?:every|default|defaults? to|limit|timeout|at most|at least|up to|under|within|"
    r"after|before|step|steps of|target:?|targets?|budget|sigma|doubling to|back-off|retries|retry|cycle|"
    r"lead|each|paused at|periods? of|between|>=|<=|<|>|≤|≥)\s*(?:\(?[a-z_ ]*\)?\s*)?"
    r"|\bbetween [\d.,]+ ?\w+ and )$",
    re.IGNORECASE,
)


def _numbers(text: str) -> set[str]:
    """Every number of ``text`` as written there, thousands separators dropped."""
    return {m.group(0).replace(",", "") for m in re.finditer(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", text)}


def _paragraphs(path: Path) -> list[list[tuple[int, str]]]:
    """The prose of ``path`` as paragraphs of numbered lines (blank lines and headings end one; a
    table is one, its header included); fenced code blocks left out."""
    paragraphs: list[list[tuple[int, str]]] = [[]]
    fenced = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            paragraphs.append([])
        elif not fenced:
            if not line.strip() or line.startswith("#"):
                paragraphs.append([])
            paragraphs[-1].append((number, line))
    return [p for p in paragraphs if p]


def unrecorded_figures(path: Path, recorded: set[str], root: Path = ROOT) -> list[str]:
    """``file:line: figure`` for every speed figure of ``path`` that bench/RESULTS.md does not hold."""
    found = []
    for paragraph in _paragraphs(path):
        if not SPEED.search(" ".join(line for _, line in paragraph)):
            continue
        for number, line in paragraph:
            found += _unrecorded_in_line(path.relative_to(root), number, line, recorded)
    return found


def _unrecorded_in_line(name: Path, number: int, line: str, recorded: set[str]) -> list[str]:
    found = []
    for m in FIGURE.finditer(line):
        if SETTING.search(line[max(0, m.start() - 40):m.start()]):
            continue
        value = (m.group(1) + (m.group(2) or "")).replace(",", "")
        if value not in recorded:
            found.append(f"{name}:{number}: {m.group(0)!r} in: {line.strip()}")
    return found


# A number, in decimal or `a.be-n` notation, with a unit of length, time, angle or frequency after it.
ACCURACY_FIGURE = re.compile(
    r"(?<![\w.,/-])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(e-\d+)? ?"
    r"(µm|mm/s|mm|cm/s|cm|m/s|m|km|ns|µs|us|ms|s|°|deg|arcsec(?:onds?)?|mas|mdeg|mHz|kHz|Hz|rad)(?![\w/])")
# A paragraph compares with a reference nobody here produced ...
REFERENCE = re.compile(r"\b(Skyfield|C?SPICE|Vallado|tcppver|twoline2rv|sgp4\.omm|python-sgp4|G3RUH|GMAT)\b")
# ... and says how well it agrees.
AGREEMENT = re.compile(r"\b(worst|largest difference|measured|median|percentile|agree(?:s|d|ment)?|within|off by)\b",
                       re.IGNORECASE)
# What just precedes a tolerance a test asserts (a claim, recorded beside the measurement) or a setting.
TOLERANCE = re.compile(r"(--[\w-]+[ =]|\b(?:limit|test bound|bound|tolerance|target:?|every|default|step|sigma)\s*"
                       r"|[<≤>≥]\s*)$", re.IGNORECASE)


def _claims(paragraph: list[tuple[int, str]]) -> list[list[tuple[int | None, str]]]:
    """The sentences of a paragraph as (line number, text) pieces, one per line each spans; each row
    of a table one sentence, read with the table's header."""
    sentences, current, header = [], [], None
    for number, line in paragraph:
        if line.lstrip().startswith("|"):
            header = header or line
            if line is not header:
                sentences.append([(None, header), (number, line)])  # the header read, not checked
            continue
        pieces = re.split(r"(?<=[.;])\s+(?=[A-Z(`*])", line)
        for k, piece in enumerate(pieces):
            current.append((number, piece))
            if k < len(pieces) - 1:
                sentences.append(current)
                current = []
    return sentences + [current]


def unrecorded_accuracy_figures(path: Path, results_text: str, root: Path = ROOT) -> list[str]:
    """``file:line: figure`` for every accuracy figure of ``path`` that bench/RESULTS.md does not hold."""
    recorded = _numbers(results_text)
    found = []
    for paragraph in _paragraphs(path):
        for sentence in _claims(paragraph):
            text = " ".join(piece for _, piece in sentence)
            if not (REFERENCE.search(text) and AGREEMENT.search(text)):
                continue
            for number, piece in sentence:
                for m in ACCURACY_FIGURE.finditer(piece if number else ""):
                    if TOLERANCE.search(piece[max(0, m.start() - 20):m.start()]):
                        continue
                    value = (m.group(1) + (m.group(2) or "")).replace(",", "")
                    held = (value + m.group(3)) in results_text if m.group(3) else value in recorded
                    if not held:
                        found.append(f"{path.relative_to(root)}:{number}: {m.group(0)!r} in: {piece.strip()}")
    return found


# Each check: what it finds in a doc, given bench/RESULTS.md's text, and what to do about it.
CHECKS = {
    "speed": (lambda path, results: unrecorded_figures(path, _numbers(results)),
              "speed figures that no benchmark recorded in bench/RESULTS.md (quote the recorded figure with its "
              "section, or remove it)"),
    "accuracy": (unrecorded_accuracy_figures,
                 "accuracy figures that no script recorded in bench/RESULTS.md (run bench/accuracy.py and quote "
                 "what it measured, or remove the figure)"),
}


@pytest.mark.parametrize("kind", CHECKS)
@pytest.mark.parametrize("path", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_figures_come_from_bench_results(path, kind):
    check, what = CHECKS[kind]
    found = check(path, RESULTS.read_text(encoding="utf-8"))
    assert not found, f"{what}:\n" + "\n".join(found)


def test_the_check_finds_an_unrecorded_figure_and_passes_settings(tmp_path):
    doc = tmp_path / "x.md"
    doc.write_text(
        "The whole catalog takes 12.3 s of wall time, 165x faster than Skyfield.\n"
        "With `--time-limit 30` it takes every 0.5 s a step; the target is under 10 s of wall time.\n"
        "```sh\ngroundnet passes takes 99 s\n```\n"
        "1920×1080 screens, at 1 Hz, on 2 cores.\n\n"
        "Measured on 2 cores, the whole search\nneeded 4.4 s.\n\n"
        "| run | wall | peak memory |\n|---|---|---|\n| one day | 7.7 s | 1.5 GB |\n",
        encoding="utf-8",
    )
    found = unrecorded_figures(doc, {"165"}, root=tmp_path)
    assert found == [
        "x.md:1: '12.3 s' in: The whole catalog takes 12.3 s of wall time, 165x faster than Skyfield.",
        "x.md:9: '4.4 s' in: needed 4.4 s.",
        "x.md:13: '7.7 s' in: | one day | 7.7 s | 1.5 GB |",
        "x.md:13: '1.5 GB' in: | one day | 7.7 s | 1.5 GB |",
    ]


def test_the_check_finds_an_unrecorded_accuracy_figure_and_passes_tolerances(tmp_path):
    doc = tmp_path / "x.md"
    doc.write_text(
        "Rises and sets agree with Skyfield within 0.08 s; the worst of 2,266 AOS is 0.35 s (limit 1 s).\n\n"
        "| what | reference | agreement |\n|---|---|---|\n| range | SPICE | < 10 m (measured: 0.4 m), 2.7e-5 µs |\n\n"
        "A 2 s step, within 0.5 s of nothing in particular.\n",
        encoding="utf-8",
    )
    found = unrecorded_accuracy_figures(doc, "| AOS | 0.35 s | < 1 s |\n| light time | 2.7e-6 µs |", root=tmp_path)
    assert found == [
        "x.md:1: '0.08 s' in: Rises and sets agree with Skyfield within 0.08 s; the worst of 2,266 AOS is 0.35 s (limit 1 s).",
        "x.md:5: '0.4 m' in: | range | SPICE | < 10 m (measured: 0.4 m), 2.7e-5 µs |",
        "x.md:5: '2.7e-5 µs' in: | range | SPICE | < 10 m (measured: 0.4 m), 2.7e-5 µs |",
    ]
