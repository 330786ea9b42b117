"""bench/RESULTS.md: each benchmark script owns one ``## `` section and rewrites only that one.

    from _results import record_section
    record_section("## My benchmark (bench/mine.py)\n\nMeasured ...\n\n| table |")

A section runs from its heading line to the next ``## `` heading; a new one is appended at the end.
"""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def record_section(section: str, results: Path = RESULTS) -> Path:
    """Replace (or append) the section whose heading is ``section``'s first line; keep every other one."""
    heading = section.split("\n", 1)[0]
    if not heading.startswith("## "):
        raise ValueError(f"a RESULTS.md section starts with a '## ' heading, not {heading!r}")
    body = section.rstrip("\n") + "\n"
    text = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n"
    start = text.find(heading)
    if start >= 0:
        nxt = text.find("\n## ", start + len(heading))
        rest = text[nxt + 1:] if nxt >= 0 else ""
        text = text[:start] + body + ("\n" + rest if rest else "")
    else:
        text = text.rstrip("\n") + "\n\n" + body
    results.write_text(text, encoding="utf-8")
    return results
