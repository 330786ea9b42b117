"""bench/_results.py rewrites one section of RESULTS.md and keeps the others as they were."""

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("_results", Path(__file__).resolve().parents[2] / "bench" / "_results.py")
_results = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_results)

DOC = "# Benchmark results\n\n## A (bench/a.py)\n\nold a\n\n## B (bench/b.py)\n\n| b |\n"


def test_replaces_only_its_section(tmp_path):
    path = tmp_path / "RESULTS.md"
    path.write_text(DOC)
    _results.record_section("## A (bench/a.py)\n\nnew a\n", path)
    assert path.read_text() == DOC.replace("old a", "new a")
    _results.record_section("## B (bench/b.py)\n\n| b2 |", path)
    assert path.read_text() == DOC.replace("old a", "new a").replace("| b |", "| b2 |")


def test_appends_a_new_section_and_creates_the_file(tmp_path):
    path = tmp_path / "RESULTS.md"
    _results.record_section("## C (bench/c.py)\n\nc\n", path)
    assert path.read_text() == "# Benchmark results\n\n## C (bench/c.py)\n\nc\n"
    with pytest.raises(ValueError, match="## "):
        _results.record_section("no heading", path)


def test_a_heading_matches_whole_lines_only(tmp_path):
    # bench/passes.py records "## Pass prediction (bench/passes.py)" beside longer headings
    # for other runs of the same script.
    path = tmp_path / "RESULTS.md"
    path.write_text("# Benchmark results\n\n## A, 7 days\n\nweek\n\n## A\n\nday\n")
    assert _results.read_section("## A", path) == "## A\n\nday\n"
    assert _results.read_section("## A, 7 days", path) == "## A, 7 days\n\nweek\n\n"
    assert _results.read_section("## B", path) is None
    _results.record_section("## A\n\nnew day", path)
    assert path.read_text() == "# Benchmark results\n\n## A, 7 days\n\nweek\n\n## A\n\nnew day\n"
