"""A speed figure quoted in docs/ is one a benchmark script recorded in bench/RESULTS.md.

A paragraph of docs/*.md (or README.md) that speaks of speed (takes, wall, CPU, faster, p99, ...)
and quotes a time, a ratio or a memory size (`9.0 s`, `34 us`, `165x`, `2.5×`, `1.45 GB`) must quote
a number that appears, as written, in bench/RESULTS.md (so `1.5 GB` for a recorded `1.45` fails): the figure comes from the script that reproduces it, or it goes.
Values that are settings, not measurements (`--time-limit 30`, "every 0.5 s", "default 30 s",
"within 250 ms" as a target) are not figures; fenced code blocks are commands, not claims.
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


# Known to quote figures of an earlier run; strict, so the mark goes as soon as the page is right.
STALE = {
    "docs/service.md": "the Performance section quotes a live-push run older than the one bench/live.py "
                       "recorded in bench/RESULTS.md ('Live push')",
}


@pytest.mark.parametrize("path", [
    pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=STALE[str(p.relative_to(ROOT))]))
    if str(p.relative_to(ROOT)) in STALE else p
    for p in DOCS
], ids=lambda p: str(p.relative_to(ROOT)))
def test_speed_figures_come_from_bench_results(path):
    recorded = _numbers(RESULTS.read_text(encoding="utf-8"))
    found = unrecorded_figures(path, recorded)
    assert not found, (
        "speed figures that no benchmark recorded in bench/RESULTS.md (quote the recorded figure with its "
        "section, or remove it):\n" + "\n".join(found)
    )


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
