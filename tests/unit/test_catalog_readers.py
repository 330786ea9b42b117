"""Catalog readers: every real file in ../shared/data/catalog loads with its published record count."""

from __future__ import annotations

import gzip
import math
from functools import lru_cache

import pytest

from groundnet.orbits import tle
from groundnet.orbits.catalog import load_catalog, parse_catalog_text, sniff_format
from groundnet.orbits.omm import parse_ccsds_epoch
from groundnet.timebase import parse_utc, to_unix

# Record counts as stated in ../shared/data/README.md and PROVENANCE.md (objects per file).
EXPECTED = {
    "catalog/spacetrack_full_catalog_3le_2023-10-09.txt": ("tle", 26_140),
    "catalog/celestrak_active_3le_2026-05-07.txt": ("tle", 15_347),
    "catalog/celestrak_active_omm_2026-08-22.csv": ("omm-csv", 16_400),
    "catalog/celestrak_active_omm_2026-07-19.csv": ("omm-csv", 16_066),
    "catalog/celestrak_groups_omm_json_2025-05-24/stations.json": ("omm-json", 13),
    "catalog/celestrak_groups_omm_json_2025-05-24/weather.json": ("omm-json", 72),
    "catalog/celestrak_groups_omm_json_2025-05-24/resource.json": ("omm-json", 158),
    "catalog/celestrak_groups_omm_json_2025-05-24/amateur.json": ("omm-json", 85),
    "catalog/celestrak_groups_omm_json_2025-05-24/noaa.json": ("omm-json", 23),
    "catalog/celestrak_groups_omm_json_2025-05-24/goes.json": ("omm-json", 19),
    "catalog/celestrak_groups_omm_json_2025-05-24/starlink.json": ("omm-json", 7_483),
    "catalog/celestrak_groups_3le_2026-05-30/geo.tle": ("tle", 574),
    "catalog/celestrak_groups_3le_2026-05-30/stations.tle": ("tle", 25),
    "catalog/celestrak_omm_xml_sample_globalstar_2026-02-20.xml": ("omm-xml", 3),
    "ccsds/bb502_omm_g10.xml": ("omm-xml", 1),
    "ccsds/bb502_omm_g7.kvn": ("omm-kvn", 1),
}


@lru_cache(maxsize=None)
def load_once(path):
    """Each real file is read once per test session (the results are not modified)."""
    return load_catalog(path)


@pytest.mark.parametrize("relpath", sorted(EXPECTED))
def test_real_file_loads_completely(shared_data, relpath):
    fmt, count = EXPECTED[relpath]
    result = load_once(shared_data / relpath)
    assert result.files[0].format == fmt
    assert result.rejected == []
    assert len(result.elements) == count
    assert len(result.by_id()) == count


def test_every_file_of_the_shared_catalog_folder_loads(shared_data):
    """The files whose counts the README does not state load without a single rejection too."""
    files = sorted(p for p in (shared_data / "catalog").rglob("*") if p.is_file())
    assert len(files) >= 19
    for path in files:
        result = load_once(path)
        assert result.rejected == [], (path, result.rejected[:3])
        assert len(result.elements) == independent_count(path), path
        assert result.counts["records"] == result.files[0].accepted


def independent_count(path) -> int:
    """Records in a file counted without our readers: TLE line 2s, CSV rows, JSON/XML/KVN catalog-number keys."""
    text = path.read_text()
    if path.suffix in (".txt", ".tle"):
        return sum(1 for line in text.splitlines() if line.startswith("2 "))
    if path.suffix == ".csv":
        return len(text.strip().splitlines()) - 1
    return text.count("NORAD_CAT_ID") // (2 if path.suffix == ".xml" else 1)


def test_space_track_file_alpha5_and_unpadded_ids(shared_data):
    result = load_once(shared_data / "catalog/spacetrack_full_catalog_3le_2023-10-09.txt")
    by_id = result.by_id()
    assert sum(1 for e in result.elements if e.norad_id > 99_999) == 266  # PROVENANCE.md: 266 Alpha-5 ids
    t0288 = by_id[270_288]  # "T0288": T is the 18th Alpha-5 letter → 27
    assert t0288.name == "TBA - TO BE ASSIGNED"
    assert t0288.mean_motion_rev_day == 12.95390622
    assert by_id[5].name == "VANGUARD 1"  # "0 VANGUARD 1", CRLF
    assert by_id[29].inclination_deg == 48.3807  # "1    29U": unpadded id
    assert by_id[5].international_designator == "1958-002B"


def test_alpha5_round_trip():
    assert tle.decode_catalog_number("A0000") == 100_000
    assert tle.decode_catalog_number("T0288") == 270_288
    assert tle.decode_catalog_number("Z9999") == 339_999
    assert tle.decode_catalog_number("   29") == 29
    for n in (0, 5, 99_999, 100_000, 182_345, 339_999):
        assert tle.decode_catalog_number(tle.encode_catalog_number(n)) == n
    for bad in ("I0001", "O1234", "12A45", "", "T028"):
        with pytest.raises(ValueError):
            tle.decode_catalog_number(bad)


ISS = ("ISS (ZARYA)",
       "1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927",
       "2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537")


def test_tle_fields_in_tle_units():
    """The ISS element set printed in the Wikipedia/Space-Track TLE format description."""
    e = parse_catalog_text("\n".join(ISS)).elements[0]
    assert (e.norad_id, e.name, e.international_designator) == (25544, "ISS (ZARYA)", "1998-067A")
    assert e.epoch_iso == "2008-09-20T12:25:40.104Z"  # day 264.51782528 of 2008
    assert e.mean_motion_dot == -0.00002182
    assert e.bstar == pytest.approx(-0.11606e-4, rel=1e-12)
    assert e.mean_motion_ddot == 0.0
    assert (e.inclination_deg, e.raan_deg, e.eccentricity) == (51.6416, 247.4627, 0.0006703)
    assert (e.arg_perigee_deg, e.mean_anomaly_deg, e.mean_motion_rev_day) == (130.536, 325.0288, 15.72125391)
    assert (e.element_set_no, e.rev_at_epoch) == (292, 56353)


@pytest.mark.parametrize("variant", ["2le", "3le", "0-prefix", "crlf", "blank-lines", "trailing-spaces"])
def test_tle_layout_variants(variant):
    name, l1, l2 = ISS
    text = {
        "2le": f"{l1}\n{l2}\n",
        "3le": f"{name}\n{l1}\n{l2}\n",
        "0-prefix": f"0 {name}\n{l1}\n{l2}",
        "crlf": f"{name}\r\n{l1}\r\n{l2}\r\n",
        "blank-lines": f"\n\n{name}\n\n{l1}\n{l2}\n\n",
        "trailing-spaces": f"{name:24s}\n{l1}   \n{l2}  \n",
    }[variant]
    result = parse_catalog_text(text)
    assert result.rejected == []
    assert [e.norad_id for e in result.elements] == [25544]
    assert result.elements[0].name == ("" if variant == "2le" else name)


def test_sniffing_uses_content_not_extension(shared_data, tmp_path):
    src = shared_data / "catalog/celestrak_groups_omm_json_2025-05-24/stations.json"
    disguised = tmp_path / "stations.txt"
    disguised.write_bytes(src.read_bytes())
    result = load_catalog(disguised)
    assert result.files[0].format == "omm-json" and len(result.elements) == 13
    assert sniff_format(b"CCSDS_OMM_VERS = 3.0\n") == "omm-kvn"
    assert sniff_format(b"OBJECT_NAME,OBJECT_ID,EPOCH\n") == "omm-csv"
    assert sniff_format(b"\xef\xbb\xbf[{") == "omm-json"
    assert sniff_format(b"  <?xml version='1.0'?>") == "omm-xml"
    assert sniff_format(b"\x00\x01\x02") is None


def test_gzip_compressed_file_is_read(shared_data, tmp_path):
    path = tmp_path / "stations.tle.gz"
    path.write_bytes(gzip.compress((shared_data / "catalog/celestrak_groups_3le_2026-05-30/stations.tle").read_bytes()))
    assert len(load_catalog(path).elements) == 25


def test_directory_loads_every_file_and_resolves_duplicates(shared_data):
    """The 3LE groups and the active 3LE share objects: each is kept once, at its newest epoch, with a warning."""
    result = load_catalog([shared_data / "catalog/celestrak_active_3le_2026-05-07.txt",
                           shared_data / "catalog/celestrak_groups_3le_2026-05-30"])
    c = result.counts
    assert c["records"] == c["accepted"] + c["rejected"] + c["duplicates_replaced"]
    assert c["duplicates_replaced"] > 0
    iss = result.by_id()[25544]
    assert "celestrak_groups_3le_2026-05-30" in iss.source  # the newer of the two ISS element sets
    dup = next(w for w in result.warnings if w.code == "duplicate" and w.object_id == 25544)
    assert "celestrak_active_3le_2026-05-07.txt" in dup.file and "kept" in dup.reason and "dropped" in dup.reason


def test_duplicate_keeps_newest_epoch_whatever_the_order():
    old = "\n".join(ISS)
    newer_l1 = "1 25544U 98067A   08265.51782528 -.00002182  00000-0 -11606-4 0  2928"
    newer = f"ISS NEWER\n{newer_l1}\n{ISS[2]}"
    for text in (old + "\n" + newer, newer + "\n" + old):
        result = parse_catalog_text(text)
        assert [e.name for e in result.elements] == ["ISS NEWER"]
        assert [w.code for w in result.warnings] == ["duplicate"]
        assert result.counts["records"] == 2


def test_stale_epochs_are_warned_relative_to_the_reference_time():
    text = "\n".join(ISS)
    epoch = to_unix(parse_utc("2008-09-20T12:25:40.104Z"))
    assert parse_catalog_text(text).warnings == []  # reference = newest epoch in the load
    late = parse_catalog_text(text, reference_time_unix=epoch + 31 * 86400.0)
    assert [w.code for w in late.warnings] == ["stale"] and "31.0 days" in late.warnings[0].reason
    assert parse_catalog_text(text, reference_time_unix=epoch + 29 * 86400.0).warnings == []
    assert parse_catalog_text(text, reference_time_unix=epoch + 10 * 86400.0, stale_after_days=7).warnings[0].code == "stale"
    early = parse_catalog_text(text, reference_time_unix=epoch - 5 * 86400.0)
    assert [w.code for w in early.warnings] == ["future_epoch"]


def test_ccsds_epochs():
    assert parse_ccsds_epoch("2020-064T10:34:41.4264") == pytest.approx(
        to_unix(parse_utc("2020-03-04T10:34:41.4264Z")), abs=1e-6)
    assert parse_ccsds_epoch("2026-08-22T12:30:24.433632") == to_unix(parse_utc("2026-08-22T12:30:24.433632Z"))
    assert parse_ccsds_epoch("2026-08-22T12:30:24Z") == to_unix(parse_utc("2026-08-22T12:30:24Z"))
    for bad in ("2026-13-01T00:00:00", "2026-367T00:00:00", "yesterday", "2026-08-22T25:00:00"):
        with pytest.raises(ValueError):
            parse_ccsds_epoch(bad)


def test_blue_book_omm_xml_and_kvn_agree(shared_data):
    """CCSDS 502.0-B-3 examples G-7 (KVN) and G-10 (XML) describe the same GOES-9 elements."""
    kvn = load_catalog(shared_data / "ccsds/bb502_omm_g7.kvn").elements[0]
    xml = load_catalog(shared_data / "ccsds/bb502_omm_g10.xml").elements[0]
    assert kvn.norad_id == xml.norad_id == 23581
    assert kvn.epoch_iso == xml.epoch_iso == "2020-03-04T10:34:41.426Z"
    for field in ("mean_motion_rev_day", "eccentricity", "inclination_deg", "raan_deg", "arg_perigee_deg",
                  "mean_anomaly_deg", "bstar", "mean_motion_dot", "element_set_no", "rev_at_epoch"):
        assert getattr(kvn, field) == getattr(xml, field), field
    assert kvn.element_set_no == 925 and kvn.mean_motion_rev_day == 1.00273272


def test_omm_json_with_numbers_as_strings_space_track_style():
    text = """[{"OBJECT_NAME":"ISS (ZARYA)","OBJECT_ID":"1998-067A","EPOCH":"2025-05-24T20:37:27.097824",
    "MEAN_MOTION":"15.49717269","ECCENTRICITY":"0.0002122","INCLINATION":"51.636","RA_OF_ASC_NODE":"62.6541",
    "ARG_OF_PERICENTER":"144.9421","MEAN_ANOMALY":"215.1708","NORAD_CAT_ID":"25544","BSTAR":"0.00020518",
    "MEAN_MOTION_DOT":"0.00011156","MEAN_MOTION_DDOT":"0"}]"""
    result = parse_catalog_text(text)
    assert result.rejected == [] and result.elements[0].mean_motion_rev_day == 15.49717269


def test_kvn_with_units_comments_and_two_messages(shared_data):
    one = (shared_data / "ccsds/bb502_omm_g7.kvn").read_text()
    text = one.replace("MEAN_MOTION = 1.00273272", "COMMENT a comment\nMEAN_MOTION = 1.00273272 [rev/day]")
    second = one.replace("NORAD_CAT_ID = 23581", "NORAD_CAT_ID = 23582")
    result = parse_catalog_text(text + "\n" + second)
    assert sorted(result.by_id()) == [23581, 23582]
    assert result.elements[1].line == one.count("\n") + 3  # second message starts at its CCSDS_OMM_VERS line


def test_real_values_are_finite_and_in_range(shared_data):
    result = load_once(shared_data / "catalog/celestrak_active_omm_2026-08-22.csv")
    for e in result.elements:
        assert 0 <= e.eccentricity < 1 and 0 < e.mean_motion_rev_day <= 20 and math.isfinite(e.bstar)


def test_re_entering_objects_are_warned(shared_data):
    """Cluster II FM7 and FM8 have perigees below the surface in CelesTrak's 2026-08-22 elements."""
    result = load_once(shared_data / "catalog/celestrak_active_omm_2026-08-22.csv")
    low = {w.object_id: w.reason for w in result.warnings if w.code == "subsurface_perigee"}
    assert sorted(low) == [26410, 26464]
    assert "36 km below" in low[26410]


def test_catalog_numbers_beyond_alpha5_still_propagate(shared_data):
    """OMM carries 9-digit catalog numbers; python-sgp4 stops at 339,999 but the orbit does not depend on it."""
    text = (shared_data / "ccsds/bb502_omm_g7.kvn").read_text()
    big = parse_catalog_text(text.replace("23581", "800000123")).elements[0]
    small = parse_catalog_text(text).elements[0]
    assert big.norad_id == 800_000_123
    assert big.satrec().sgp4_tsince(60.0) == small.satrec().sgp4_tsince(60.0)


@pytest.mark.parametrize("chunk", [7, 64, 1000])
def test_streaming_readers_do_not_depend_on_chunk_boundaries(shared_data, monkeypatch, chunk):
    """JSON and XML are read in chunks: objects cut by a chunk boundary must load like the others."""
    from groundnet.orbits import omm

    monkeypatch.setattr(omm, "_CHUNK", chunk)
    assert len(load_catalog(shared_data / "catalog/celestrak_groups_omm_json_2025-05-24/stations.json").elements) == 13
    xml = load_catalog(shared_data / "catalog/celestrak_omm_xml_sample_globalstar_2026-02-20.xml")
    assert [e.line for e in xml.elements] == [3, 5, 7] and xml.rejected == []
    compact = parse_catalog_text((shared_data / "catalog/celestrak_groups_omm_json_2025-05-24/noaa.json")
                                 .read_text().replace("\n", "").replace("  ", ""))
    assert len(compact.elements) == 23 and compact.rejected == []


def test_quick_and_checked_tle_paths_agree_on_every_real_record(shared_data):
    """Well-formed records take a one-pass path; the field-by-field path must give identical values."""
    lines = (shared_data / "catalog/spacetrack_full_catalog_3le_2023-10-09.txt").read_text().splitlines()
    lines += (shared_data / "catalog/celestrak_active_3le_2026-05-07.txt").read_text().splitlines()
    records = [g for g in tle.group_tle_lines(enumerate(lines, 1)) if isinstance(g, tle.TleRecord)]
    assert len(records) == 26_140 + 15_347
    for rec in records:
        quick = tle._quick_elements(rec, "x")
        assert quick is not None, rec
        assert quick == tle.checked_record_to_elements(rec, "x"), rec


def test_whole_file_reading_equals_the_line_reader_on_every_real_tle_file(shared_data, monkeypatch):
    """``tle.parse_clean_file`` (every record at once) gives the very element sets, rejections and
    warnings of the line-by-line reader, on every real TLE file of the reference data, and on
    a copy with damaged records (which go to the checking path)."""
    from groundnet.orbits import catalog as catalog_module

    paths = [shared_data / "catalog" / "spacetrack_full_catalog_3le_2023-10-09.txt",
             shared_data / "catalog" / "celestrak_active_3le_2026-05-07.txt",
             *sorted((shared_data / "catalog" / "celestrak_groups_3le_2026-05-30").glob("*"))]
    lines = paths[0].read_text().splitlines()
    lines[4] = lines[4][:30] + "X" + lines[4][31:]  # a bad character in a line 1
    lines[8] = lines[8][:-1] + str((int(lines[8][-1]) + 1) % 10)  # a wrong checksum
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "damaged.tle"
        copy.write_text("\n".join(lines) + "\n")
        for path in [*paths, copy]:
            whole = load_catalog(path)
            with monkeypatch.context() as m:
                m.setattr(catalog_module, "WHOLE_FILE_BYTES", 0)
                by_line = load_catalog(path)
            assert whole.elements == by_line.elements, path
            assert whole.rejected == by_line.rejected and whole.warnings == by_line.warnings, path
            assert whole.report() == by_line.report()
        assert len(load_catalog(copy).rejected) == 2
