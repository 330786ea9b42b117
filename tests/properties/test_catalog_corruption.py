"""Random damage to one line of a catalog never costs the other records, and is never silent.

For TLE (3-line and 2-line), OMM JSON and OMM CSV built from real CelesTrak records: whatever
happens to one line (a character replaced, deleted or inserted, the line cut, replaced, deleted
or doubled), every other record still loads with exactly its values, and the damaged record is
either loaded or named by a rejection that points into its lines.
"""

from __future__ import annotations

import json
from dataclasses import astuple, replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groundnet.orbits.catalog import parse_catalog_text

CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@st.composite
def damage(draw, n_lines: int, first: int = 0):
    """(line index, what becomes of it): a new text, or None to delete it, or 'double' to repeat it."""
    index = draw(st.integers(first, n_lines - 1))
    kind = draw(st.sampled_from(["replace_char", "delete_char", "insert_char", "truncate", "new_text", "delete",
                                 "double"]))
    return index, kind, draw(st.integers(0, 80)), draw(CHARS), draw(st.text(CHARS, max_size=80))


def apply(lines: list[str], index: int, kind: str, at: int, ch: str, text: str) -> tuple[list[str], int]:
    """The damaged lines and how many lines the damaged line now spans (0, 1 or 2)."""
    out = list(lines)
    line = out[index]
    at = min(at, len(line))
    if kind == "replace_char":
        out[index] = line[:at] + ch + line[at + 1:]
    elif kind == "delete_char":
        out[index] = line[:at] + line[at + 1:]
    elif kind == "insert_char":
        out[index] = line[:at] + ch + line[at:]
    elif kind == "truncate":
        out[index] = line[:at]
    elif kind == "new_text":
        out[index] = text
    elif kind == "delete":
        del out[index]
        return out, 0
    else:
        out.insert(index, line)
        return out, 2
    return out, 1


def values(e) -> tuple:
    return astuple(replace(e, line=0, source=""))


def check(clean: str, damaged: str, span: tuple[int, int], victim: int, fmt: str | None = None,
          may_vanish: bool = False):
    """Every object but ``victim`` loads unchanged; ``victim`` loads or a rejection lands in ``span`` (1-based lines)."""
    before = {e.norad_id: values(e) for e in parse_catalog_text(clean, format=fmt).elements}
    result = parse_catalog_text(damaged, format=fmt)
    after = {e.norad_id: values(e) for e in result.elements}
    for norad_id, vals in before.items():
        if norad_id != victim:
            assert after.get(norad_id) == vals, f"object {norad_id} lost or changed: {result.rejected}"
    renamed = set(after) - set(before)
    if victim not in after and renamed:
        # A digit changed inside the catalog number of a format with no checksum (OMM): the record
        # is still valid, under another id. Nobody can tell; everything else must be intact.
        (new_id,) = renamed
        assert after[new_id][1:] == before[victim][1:]
    elif victim not in after and not may_vanish:
        lo, hi = span
        assert any(r.line is not None and r.line <= hi and (r.last_line or r.line) >= lo for r in result.rejected), \
            (span, result.rejected)
    c = result.counts
    assert c["records"] == c["accepted"] + c["rejected"] + c["duplicates_replaced"]


@pytest.fixture(scope="module")
def three_line(shared_data) -> list[str]:
    return (shared_data / "catalog/celestrak_groups_3le_2026-05-30/science.tle").read_text().splitlines()[:30]


@SETTINGS
@given(data=st.data())
def test_one_damaged_line_in_a_3le_file(three_line, data):
    index, kind, at, ch, text = data.draw(damage(len(three_line)))
    lines, _ = apply(three_line, index, kind, at, ch, text)
    record = index // 3
    victim = int(three_line[3 * record + 1][2:7])
    check("\n".join(three_line), "\n".join(lines), (3 * record, 3 * record + 4), victim)


@SETTINGS
@given(data=st.data())
def test_one_damaged_line_in_a_2le_file(three_line, data):
    two_line = [line for i, line in enumerate(three_line) if i % 3]
    index, kind, at, ch, text = data.draw(damage(len(two_line)))
    lines, _ = apply(two_line, index, kind, at, ch, text)
    record = index // 2
    victim = int(two_line[2 * record][2:7])
    check("\n".join(two_line), "\n".join(lines), (2 * record, 2 * record + 3), victim)


@pytest.fixture(scope="module")
def json_lines(shared_data) -> tuple[list[str], list[int]]:
    """Six CelesTrak OMM objects as pretty JSON lines, and the first line (0-based) of each object."""
    objects = json.loads((shared_data / "catalog/celestrak_groups_omm_json_2025-05-24/stations.json").read_text())[:6]
    lines = json.dumps(objects, indent=2).splitlines()
    return lines, [i for i, line in enumerate(lines) if line.strip() == "{"]


@SETTINGS
@given(data=st.data())
def test_one_damaged_line_in_omm_json(json_lines, data):
    lines, starts = json_lines
    index, kind, at, ch, text = data.draw(damage(len(lines)))
    damaged, _ = apply(lines, index, kind, at, ch, text)
    owner = max((i for i, s in enumerate(starts) if s <= index), default=0)
    first = starts[owner]
    last = starts[owner + 1] - 1 if owner + 1 < len(starts) else len(lines) - 1
    victim = json.loads("\n".join(lines))[owner]["NORAD_CAT_ID"]
    # The brackets around the list belong to no object: damage to them may only add a rejection.
    check("\n".join(lines), "\n".join(damaged), (first, last + 3), victim, fmt="omm-json")


@pytest.fixture(scope="module")
def csv_lines(shared_data) -> list[str]:
    return (shared_data / "catalog/celestrak_active_omm_2026-08-22.csv").read_text().splitlines()[:21]


@SETTINGS
@given(data=st.data())
def test_one_damaged_row_in_omm_csv(csv_lines, data):
    """Any row but the header (without it no row can be read: that is reported for the whole file).

    A row deleted or emptied leaves a valid file with one object fewer: nobody can tell, so only
    the other rows are checked then.
    """
    index, kind, at, ch, text = data.draw(damage(len(csv_lines), first=1))
    damaged, spans = apply(csv_lines, index, kind, at, ch, text)
    gone = spans == 0 or not damaged[index].strip()
    victim = int(csv_lines[index].split(",")[11])
    check("\n".join(csv_lines), "\n".join(damaged), (index, index + 2), victim, fmt="omm-csv", may_vanish=gone)
