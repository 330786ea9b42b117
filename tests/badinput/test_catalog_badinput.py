"""Broken catalogs give a report, never a crash: each bad record named with its line, good ones kept.

The corpus is built here from real CelesTrak records (../shared/data), damaged one way per case.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
from pathlib import Path

import pytest

from groundnet.orbits import tle
from groundnet.orbits.catalog import load_catalog, parse_catalog_text

CORPUS = Path(__file__).parent / "corpus"


@pytest.fixture(scope="module")
def stations_3le(shared_data) -> list[str]:
    """CelesTrak's 'stations' group (25 objects, 75 lines), as lines without line ends."""
    return (shared_data / "catalog/celestrak_groups_3le_2026-05-30/stations.tle").read_text().splitlines()


def fix_checksum(line: str) -> str:
    return line[:68] + str(tle.checksum(line))


def damaged(lines: list[str], index: int, new: str | None) -> str:
    out = list(lines)
    if new is None:
        del out[index]
    else:
        out[index] = new
    return "\n".join(out) + "\n"


def assert_reported(result, *, kept: int, line: int, words: str, object_id: int | None = None):
    """One rejection at ``line`` whose reason mentions ``words``; ``kept`` records accepted."""
    assert len(result.elements) == kept
    hits = [r for r in result.rejected if r.line == line]
    assert hits, f"no rejection at line {line}: {result.rejected}"
    assert words in hits[0].reason, hits[0].reason
    if object_id is not None:
        assert hits[0].object_id == object_id
    c = result.counts
    assert c["records"] == c["accepted"] + c["rejected"] + c["duplicates_replaced"]


# --- TLE ------------------------------------------------------------------------------------

def test_bad_checksum(stations_3le):
    l1 = stations_3le[1]
    wrong = l1[:68] + str((int(l1[68]) + 1) % 10)
    result = parse_catalog_text(damaged(stations_3le, 1, wrong))
    assert_reported(result, kept=24, line=1, words="checksum", object_id=25544)
    assert result.rejected[0].code == "checksum"


def test_truncated_line(stations_3le):
    result = parse_catalog_text(damaged(stations_3le, 5, stations_3le[5][:50]))
    assert_reported(result, kept=24, line=4, words="truncated")


def test_shifted_columns(stations_3le):
    shifted = fix_checksum(stations_3le[2][:8] + " " + stations_3le[2][8:68])
    result = parse_catalog_text(damaged(stations_3le, 2, shifted))
    assert_reported(result, kept=24, line=1, words="shifted")


def test_non_ascii(stations_3le):
    l2 = stations_3le[2]
    result = parse_catalog_text(damaged(stations_3le, 2, l2[:20] + "é" + l2[21:]))
    assert_reported(result, kept=24, line=1, words="non-ASCII character at column 21")


def test_non_utf8_bytes_in_a_name_are_kept_and_warned(stations_3le):
    data = damaged(stations_3le, 0, "ISS").encode().replace(b"ISS", b"IS\xff", 1)
    result = parse_catalog_text(data)
    assert len(result.elements) == 25
    assert result.elements[0].name == "IS\ufffd"
    assert [w.code for w in result.warnings] == ["name_encoding"]


def test_nan_and_inf_in_fields(stations_3le):
    l2 = stations_3le[2]
    nan_motion = fix_checksum(l2[:52] + "        nan" + l2[63:])
    result = parse_catalog_text(damaged(stations_3le, 2, nan_motion))
    assert_reported(result, kept=24, line=1, words="mean motion (columns 53-63) holds 'n' at column 61")
    l1 = stations_3le[1]
    inf_ndot = fix_checksum(l1[:33] + "       inf" + l1[43:])
    result = parse_catalog_text(damaged(stations_3le, 1, inf_ndot))
    assert_reported(result, kept=24, line=1, words="first derivative of mean motion (columns 34-43) holds 'i'")


def test_letters_that_float_or_the_checksum_would_miss(stations_3le):
    """'0' → 'e' keeps the checksum (both count 0) and float() may still read the field: refused all the same."""
    l2 = stations_3le[2]
    at = l2.index("0", 8)  # the first '0' among the numeric fields of line 2
    sneaky = l2[:at] + "e" + l2[at + 1:]
    assert tle.checksum(sneaky) == tle.checksum(l2)
    result = parse_catalog_text(damaged(stations_3le, 2, sneaky))
    assert_reported(result, kept=24, line=1, words=f"holds 'e' at column {at + 1}")
    underscore = parse_catalog_text(damaged(stations_3le, 2, l2[:at] + "_" + l2[at + 1:]))  # float("1_0") == 10.0
    assert_reported(underscore, kept=24, line=1, words=f"holds '_' at column {at + 1}")


def test_values_out_of_range(stations_3le):
    l2 = stations_3le[2]
    cases = {
        "inclination": fix_checksum(l2[:8] + "200.0000" + l2[16:]),
        "mean motion": fix_checksum(l2[:52] + " 0.00000000" + l2[63:]),
    }
    for words, line in cases.items():
        assert_reported(parse_catalog_text(damaged(stations_3le, 2, line)), kept=24, line=1, words=words)
    l1 = stations_3le[1]
    bad_day = fix_checksum(l1[:20] + "400.00000000" + l1[32:])
    assert_reported(parse_catalog_text(damaged(stations_3le, 1, bad_day)), kept=24, line=1, words="day of year")


def test_wrong_catalog_number_pairing(stations_3le):
    """Line 2 of the ISS followed by the line 1 of the next object: both records refused, the rest kept."""
    lines = list(stations_3le)
    lines[2], lines[5] = lines[5], lines[2]
    result = parse_catalog_text("\n".join(lines))
    assert len(result.elements) == 23
    assert all("different objects" in r.reason for r in result.rejected) and len(result.rejected) == 2


def test_alpha5_with_forbidden_letter(stations_3le):
    l1, l2 = stations_3le[1], stations_3le[2]
    text = damaged(damaged(stations_3le, 1, fix_checksum(l1[:2] + "I5544" + l1[7:])).splitlines(), 2,
                   fix_checksum(l2[:2] + "I5544" + l2[7:]))
    assert_reported(parse_catalog_text(text), kept=24, line=1, words="does not use the letters I and O")


def test_missing_line_2_and_orphan_line_2(stations_3le):
    result = parse_catalog_text(damaged(stations_3le, 2, None))
    assert len(result.elements) == 24
    assert result.rejected[0].line == 1 and "without a line 2" in result.rejected[0].reason
    result = parse_catalog_text(damaged(stations_3le, 1, None))
    assert len(result.elements) == 24
    assert "without a line 1" in result.rejected[0].reason and result.rejected[0].object_id == 25544


def test_empty_blank_and_binary_files(tmp_path):
    empty = tmp_path / "empty.tle"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.tle"
    blank.write_bytes(b"\r\n\n   \n")
    binary = tmp_path / "random.bin"
    binary.write_bytes(bytes(range(256)) * 64)
    for path, code in ((empty, "empty"), (blank, "empty"), (binary, "binary")):
        result = load_catalog(path)
        assert result.elements == []
        assert [(r.code, r.line) for r in result.rejected] == [(code, None)]


def test_damaged_gzip(tmp_path, stations_3le):
    """A gzip file cut short: the records before the cut are kept and the damage is reported."""
    path = tmp_path / "catalog.tle.gz"
    noise = base64.encodebytes(os.urandom(300_000))  # incompressible: the cut falls inside the data
    whole = gzip.compress(("\n".join(stations_3le) + "\n").encode() + noise)
    path.write_bytes(whole[: len(whole) // 2])
    result = load_catalog(path)
    assert len(result.elements) == 25
    assert result.rejected[-1].code == "unreadable" and "gzip" in result.rejected[-1].reason


def test_junk_between_records_is_one_rejection(stations_3le):
    lines = stations_3le[:3] + ["this is not a TLE", "neither is this"] + stations_3le[3:]
    result = parse_catalog_text("\n".join(lines))
    assert len(result.elements) == 25
    assert [(r.line, r.last_line) for r in result.rejected] == [(4, 5)]


def test_huge_file_streams(tmp_path, stations_3le):
    """60,000 records (ids across the Alpha-5 boundary) and 50 MB of junk: read in one pass, no crash."""
    name, l1, l2 = stations_3le[0], stations_3le[1], stations_3le[2]
    path = tmp_path / "huge.tle"
    with path.open("w") as f:
        for i in range(90_001, 150_001):
            sat = tle.encode_catalog_number(i)
            f.write(f"{name}\n{fix_checksum(l1[:2] + sat + l1[7:])}\n{fix_checksum(l2[:2] + sat + l2[7:])}\n")
    result = load_catalog(path)
    assert len(result.elements) == 60_000 and result.rejected == []
    assert result.by_id()[150_000].name == name.strip()  # written as "F0000"

    junk = tmp_path / "junk.txt"
    with junk.open("wb") as f:
        block = base64.encodebytes(os.urandom(3 * 1024 * 1024))  # 76-column lines of printable text
        for _ in range(13):
            f.write(block)
    assert junk.stat().st_size > 50_000_000
    result = load_catalog(junk)
    assert result.elements == []
    assert 1 <= len(result.rejected) <= 10  # runs of junk are reported as runs, not line by line


# --- OMM ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def stations_json(shared_data) -> list[dict]:
    return json.loads((shared_data / "catalog/celestrak_groups_omm_json_2025-05-24/stations.json").read_text())


@pytest.mark.parametrize("field, value, words", [
    ("MEAN_MOTION", [15.5], "should be a number, found list"),
    ("MEAN_MOTION", True, "should be a number, found bool"),
    ("ECCENTRICITY", None, "missing ECCENTRICITY"),
    ("INCLINATION", "abc", "'abc' is not a number"),
    ("NORAD_CAT_ID", {"id": 1}, "found dict"),
    ("EPOCH", 20250524, "EPOCH should be text"),
    ("EPOCH", "2025-02-30T00:00:00", "not a valid date"),
    ("ECCENTRICITY", 1.5, "outside [0, 1)"),
    ("MEAN_MOTION", -1, "outside (0, 20]"),
    ("MEAN_MOTION", "NaN", "MEAN_MOTION is NaN"),
    ("BSTAR", "Infinity", "BSTAR is Infinity"),
    ("MEAN_MOTION", "１５.５", "non-ASCII"),
    ("MEAN_ELEMENT_THEORY", "DSST", "only SGP4 mean elements"),
    ("REF_FRAME", "GCRF", "REF_FRAME is GCRF"),
])
def test_json_wrong_types_and_values(stations_json, field, value, words):
    records = [dict(r) for r in stations_json]
    records[3][field] = value
    text = json.dumps(records, indent=2)
    result = parse_catalog_text(text)
    assert len(result.elements) == 12
    (rejection,) = result.rejected
    assert words in rejection.reason
    assert text.splitlines()[rejection.line - 1].strip() == "{"


def test_json_damaged_object_truncation_and_trailing_text(stations_json):
    text = json.dumps(stations_json, indent=2)
    broken = text.replace('"OBJECT_NAME": "CSS (TIANHE)",', '"OBJECT_NAME": "CSS (TIANHE)" oops,')
    result = parse_catalog_text(broken)
    assert len(result.elements) == 12 and "not valid JSON" in result.rejected[0].reason
    assert result.rejected[0].object_id == 48274  # CSS (TIANHE)
    truncated = parse_catalog_text(text[: len(text) // 2])
    assert 0 < len(truncated.elements) < 13 and truncated.rejected
    trailing = parse_catalog_text(text + "\ngarbage")
    assert len(trailing.elements) == 13 and "after the last object" in trailing.rejected[0].reason
    not_a_list = parse_catalog_text("42", format="omm-json")
    assert not_a_list.elements == [] and not_a_list.rejected


def test_csv_bad_rows_and_bad_header(shared_data):
    lines = (shared_data / "catalog/celestrak_active_omm_2026-08-22.csv").read_text().splitlines()[:50]
    lines[5] = lines[5].replace(",", ",,", 1)  # one column too many
    lines[7] = '"' + lines[7]  # an unbalanced quote must not swallow the rows after it
    fields = lines[9].split(",")
    fields[3] = "nan"  # MEAN_MOTION
    lines[9] = ",".join(fields)
    result = parse_catalog_text("\n".join(lines))
    assert len(result.elements) == 46
    assert sorted(r.line for r in result.rejected) == [6, 8, 10]
    header_gone = parse_catalog_text("\n".join(["OBJECT_NAME,EPOCH,FOO"] + lines[1:]), format="omm-csv")
    assert header_gone.elements == [] and "lacks" in header_gone.rejected[0].reason


def test_kvn_garbage_line(shared_data):
    text = (shared_data / "ccsds/bb502_omm_g7.kvn").read_text()
    result = parse_catalog_text(text.replace("INCLINATION = 3.0539", "INCLINATION 3.0539"))
    assert result.elements == [] and "not 'KEYWORD = value'" in result.rejected[0].reason
    assert result.rejected[0].object_id == 23581


# --- XML: a DTD or an entity is refused and never resolved -----------------------------------

XML_RECORD = (CORPUS / "omm_one_record.xml")


@pytest.mark.parametrize("name", ["omm_external_entity.xml", "omm_billion_laughs.xml", "omm_dtd.xml"])
def test_xml_with_dtd_or_entities_is_refused(name, tmp_path):
    path = CORPUS / name
    result = load_catalog(path)
    assert result.elements == []
    (rejection,) = result.rejected
    assert rejection.code == "xml_refused" and "never resolved" in rejection.reason
    assert "root:" not in json.dumps(result.report())  # nothing of /etc/passwd leaked into the report


def test_xml_well_formed_records_before_a_break_are_kept():
    lines = XML_RECORD.read_text().splitlines()
    doubled = "\n".join(lines[:4] + [lines[2], lines[3].replace("25162", "25163"), "<omm><oops>", "</ndm>"])
    result = parse_catalog_text(doubled)
    assert len(result.elements) == 2
    assert result.rejected[0].code == "malformed" and "not read" in result.rejected[0].reason


def test_xml_record_with_a_bad_value():
    text = XML_RECORD.read_text().replace("<ECCENTRICITY>.0002098</ECCENTRICITY>", "<ECCENTRICITY>x</ECCENTRICITY>")
    result = parse_catalog_text(text)
    assert result.elements == [] and "ECCENTRICITY 'x'" in result.rejected[0].reason
    assert result.rejected[0].line == 3


@pytest.mark.parametrize("blank", [b"\n", b"\r\n", b" \t\n"])
def test_a_catalog_led_by_more_than_64_kib_of_blank_lines_is_read(tmp_path, stations_3le, blank):
    """The format sniffer looked at the first 64 KiB only: a TLE file led by that many blank lines
    was read as empty."""
    body = ("\n".join(stations_3le) + "\n").encode()
    lead = blank * (70_000 // len(blank) + 1)
    path = tmp_path / "late.tle"
    path.write_bytes(lead + body)
    result = load_catalog(path)
    assert len(result.elements) == 25 and not result.rejected
    assert result.elements[0].line == lead.count(b"\n") + 1  # line numbers count the blank lines
    zipped = tmp_path / "late.tle.gz"
    zipped.write_bytes(gzip.compress(lead + body))
    assert len(load_catalog(zipped).elements) == 25


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_devices_and_fifos_are_refused_before_any_read(tmp_path, kind):
    from groundnet.orbits.catalog import CatalogFileError

    if kind == "device":
        path = Path("/dev/zero")
    else:
        path = tmp_path / "pipe"
        os.mkfifo(path)
    with pytest.raises(CatalogFileError, match="not a regular file"):
        load_catalog(path)


def test_a_gzip_that_decompresses_past_the_limit_is_refused(tmp_path, stations_3le, monkeypatch):
    from groundnet.orbits import catalog

    monkeypatch.setattr(catalog, "CATALOG_LIMIT_BYTES", 100_000)
    path = tmp_path / "bomb.tle.gz"
    path.write_bytes(gzip.compress(("\n".join(stations_3le) + "\n").encode() + b" " * 200_000))
    result = load_catalog(path)
    assert any("decompresses past the 100,000 byte limit" in r.reason for r in result.rejected)
