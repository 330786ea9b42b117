"""bench/RESULTS.md: each benchmark script owns one ``## `` section and rewrites only that one.

    from _results import record_section
    record_section("## My benchmark (bench/mine.py)\n\nMeasured ...\n\n| table |")

A section runs from its heading line to the next ``## `` heading; a new one is appended at the end.
"""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def _span(text: str, heading: str) -> tuple[int, int] | None:
    """Start and end in ``text`` of the section whose heading line is exactly ``heading``."""
    # A whole line: "## Pass prediction (bench/passes.py)" must not match a longer heading it begins.
    at = ("\n" + text + "\n").find("\n" + heading + "\n")
    if at < 0:
        return None
    nxt = text.find("\n## ", at + len(heading))
    return at, (nxt + 1 if nxt >= 0 else len(text))


def read_section(heading: str, results: Path = RESULTS) -> str | None:
    """The section under ``heading`` as it is now (heading line included), or None."""
    text = results.read_text(encoding="utf-8") if results.exists() else ""
    span = _span(text, heading)
    return text[span[0]:span[1]] if span else None


def record_section(section: str, results: Path = RESULTS) -> Path:
    """Replace (or append) the section whose heading is ``section``'s first line; keep every other one."""
    heading = section.split("\n", 1)[0]
    if not heading.startswith("## "):
        raise ValueError(f"a RESULTS.md section starts with a '## ' heading, not {heading!r}")
    body = section.rstrip("\n") + "\n"
    text = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n"
    span = _span(text, heading)
    if span:
        rest = text[span[1]:]
        text = text[:span[0]] + body + ("\n" + rest if rest else "")
    else:
        text = text.rstrip("\n") + "\n\n" + body
    results.write_text(text, encoding="utf-8")
    return results
