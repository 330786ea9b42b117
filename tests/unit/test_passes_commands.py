"""``groundnet passes`` and ``groundnet look`` on the bundled demo catalog, through the real CLI."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from groundnet.cli import main
from groundnet.orbits.catalog import load_catalog
from groundnet.stations import load_network
from groundnet.timebase import parse_utc, to_unix
from groundnet.visibility.passes import find_passes

ISO_MS_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
WINDOW = ["--start", "2026-08-23T00:00:00Z", "--end", "2026-08-23T12:00:00Z"]


def _run(capsys, *args) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    out, err = capsys.readouterr()
    return code, out, err


def test_passes_json_contract(capsys):
    code, out, _ = _run(capsys, "passes", "--catalog", "demo", "--stations", "KIR-1,MLG", *WINDOW, "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert rows, "the demo catalog has passes over Kiruna and Malargue in 12 hours"
    for row in rows:
        assert isinstance(row["object_id"], int)
        assert row["station_id"] in ("KIR-1", "MLG")
        for key in ("aos", "tca", "los"):
            assert ISO_MS_Z.match(row[key]), row[key]
        assert row["aos"] <= row["tca"] <= row["los"]
        assert row["max_elevation_deg"] >= 5.0 - 0.01
        assert 0.0 <= row["aos_azimuth_deg"] < 360.0 and 0.0 <= row["los_azimuth_deg"] < 360.0
        duration = to_unix(parse_utc(row["los"])) - to_unix(parse_utc(row["aos"]))
        assert abs(row["duration_s"] - duration) < 0.002
    assert [r["aos"] for r in rows] == sorted(r["aos"] for r in rows)


def test_passes_objects_filter_csv_and_output_file(capsys, tmp_path):
    path = tmp_path / "passes.csv"
    code, _, _ = _run(capsys, "passes", "--catalog", "demo", "--stations", "all", *WINDOW, "--objects", "25544",
                      "--min-elevation", "10", "--format", "csv", "--output", str(path))
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    assert rows and {r["object_id"] for r in rows} == {"25544"}
    assert min(float(r["max_elevation_deg"]) for r in rows) >= 10.0 - 0.01
    # The command prints what the library computes.
    elements = [e for e in load_catalog("demo").elements if e.norad_id == 25544]
    t0, t1 = (to_unix(parse_utc(x)) for x in WINDOW[1::2])
    table = find_passes(elements, list(load_network()), t0, t1, min_elevation_deg=10.0)
    assert len(rows) == len(table)


@pytest.mark.parametrize("args, words", [
    (["--stations", "NOPE"], "unknown station 'NOPE'"),
    (["--stations", "KIR-1", "--objects", "99999999"], "--objects"),
    (["--stations", "KIR-1", "--start", "2026-08-23T12:00:00Z", "--end", "2026-08-23T00:00:00Z"], "must be after"),
    (["--stations", "KIR-1", "--start", "yesterday"], "cannot read --start"),
])
def test_passes_errors_are_one_line_and_exit_2(capsys, args, words):
    code, _, err = _run(capsys, "passes", "--catalog", "demo", *args)
    assert code == 2
    assert words in err and err.count("\n") == 1


def test_look_geometry_with_doppler(capsys):
    code, out, _ = _run(capsys, "look", "--catalog", "demo", "--object", "25544", "--station", "KIR-1",
                        "--at", "2026-08-23T06:00:00Z", "--frequency-hz", "2.2e9", "--format", "json")
    assert code == 0
    (row,) = json.loads(out)
    assert row["time"] == "2026-08-23T06:00:00.000Z"
    assert -90.0 <= row["elevation_deg"] <= 90.0 and 0.0 <= row["azimuth_deg"] < 360.0
    assert row["light_time_s"] == pytest.approx(row["range_km"] / 299792.458)
    assert row["doppler_hz"] == pytest.approx(-2.2e9 * row["range_rate_km_s"] / 299792.458)
    assert 300.0 < row["range_km"] < 14000.0  # the ISS is somewhere between overhead and the far side


def test_look_unknown_object_is_an_error(capsys):
    code, _, err = _run(capsys, "look", "--catalog", "demo", "--object", "1", "--station", "KIR-1")
    assert code == 2 and "not in demo" in err


MIXED = ["--stations", "NNO-1,KIR-1", "--start", "2026-11-21T00:00:00Z", "--end", "2026-11-22T00:00:00Z", "--quiet"]


def test_numbers_and_text_ids_in_one_listing(capsys):
    """An Earth orbiter (NORAD number) and a deep-space craft (text id) in one table: every format."""
    code, out, err = _run(capsys, "passes", "--spacecraft", "SENTINEL-2A,MEX", *MIXED, "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert {r["object_id"] for r in rows} == {"40697", "MEX"}  # one type per column: text where any id is text
    keys = [(r["aos"], r["object_id"], r["station_id"]) for r in rows]
    assert keys == sorted(keys, key=lambda k: (k[0], not k[1].isdigit(), k[1], k[2]))
    code, out, err = _run(capsys, "passes", "--spacecraft", "SENTINEL-2A,MEX", *MIXED, "--format", "csv")
    assert code == 0 and len(list(csv.DictReader(io.StringIO(out)))) == len(rows)
    code, out, err = _run(capsys, "passes", "--spacecraft", "SENTINEL-2A,MEX", *MIXED)
    assert code == 0 and "Mars Express" in out and "Sentinel-2A" in out


@pytest.mark.parametrize("ext", ["parquet", "csv", "json", "ndjson", "txt"])
def test_output_extension_decides_the_format_on_every_path(capsys, tmp_path, ext):
    import pyarrow.parquet as pq

    from groundnet.visibility.passes import ROW_FIELDS

    for source in (["--spacecraft", "MEX"], ["--catalog", "demo", "--objects", "25544"]):
        path = tmp_path / f"{source[1]}.{ext}"
        code, out, err = _run(capsys, "passes", *source, *MIXED, "--output", str(path))
        assert code == 0, err
        assert out == ""
        if ext == "parquet":
            table = pq.read_table(path)
            assert table.num_rows > 0 and table.schema.names == list(ROW_FIELDS)
            rows = table.to_pylist()
        elif ext == "csv":
            rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        elif ext == "json":
            rows = json.loads(path.read_text(encoding="utf-8"))
        elif ext == "txt":  # the terminal's table
            text = path.read_text(encoding="utf-8")
            assert "object_id" in text and "aos" in text and ("Mars Express" in text or "ISS" in text)
            continue
        else:
            rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        assert rows and set(rows[0]) == set(ROW_FIELDS)


def test_unknown_or_conflicting_output_is_refused_before_any_work(capsys, tmp_path):
    code, _, err = _run(capsys, "passes", "--spacecraft", "MEX", *MIXED, "--output", str(tmp_path / "p.xlsx"))
    assert code == 2 and "extension '.xlsx'" in err and ".parquet" in err and err.count("\n") == 1
    code, _, err = _run(capsys, "passes", "--catalog", "demo", *MIXED, "--format", "json",
                        "--output", str(tmp_path / "p.csv"))
    assert code == 2 and "--format json does not match" in err
    assert not list(tmp_path.iterdir())


def test_element_age_column_and_warnings(capsys, shared_data):
    catalog = str(shared_data / "catalog" / "spacetrack_full_catalog_3le_2023-10-09.txt")
    window = ["--start", "2023-10-10T00:00:00Z", "--end", "2023-10-11T00:00:00Z", "--stations", "KIR-1,MLG"]
    code, out, err = _run(capsys, "passes", "--catalog", catalog, "--objects", "25544,40377", *window,
                          "--format", "json", "--quiet")
    assert code == 0, err
    rows = json.loads(out)
    iss = next(e for e in load_catalog(catalog).elements if e.norad_id == 25544)
    assert rows and {r["object_id"] for r in rows} == {25544}  # FIREBIRD 3 decayed in August
    for r in rows:
        assert abs(r["elements_age_days"] - (to_unix(parse_utc(r["tca"])) - iss.epoch_unix) / 86400.0) < 1e-3
    lines = err.splitlines()
    assert any(line.startswith("warning: 40377 (FIREBIRD 3): SGP4 error 6") and "2023-08-03T07:33" in line
               for line in lines), err
    assert any("40377 (FIREBIRD 3, LEO) 71." in line and "> 7 d" in line for line in lines), err
    assert not any("25544" in line for line in lines)  # a day old: within the LEO limit
    code, out, err = _run(capsys, "passes", "--catalog", catalog, "--objects", "25544", *window,
                          "--max-element-age-days", "0.5", "--format", "csv", "--quiet")
    assert code == 0 and "25544 (ISS (ZARYA), LEO) 1." in err and "--max-element-age-days" in err


def test_look_warns_about_age_and_refuses_a_decayed_object(capsys, shared_data):
    catalog = str(shared_data / "catalog" / "spacetrack_full_catalog_3le_2023-10-09.txt")
    code, out, err = _run(capsys, "look", "--catalog", catalog, "--object", "25544", "--station", "KIR-1",
                          "--at", "2023-10-25T00:00:00Z", "--format", "json")
    assert code == 0
    assert 15.0 < json.loads(out)[0]["elements_age_days"] < 16.0
    assert "warning: 1 element set(s)" in err and "25544" in err
    code, out, err = _run(capsys, "look", "--catalog", catalog, "--object", "40377", "--station", "KIR-1",
                          "--at", "2023-10-10T00:00:00Z")
    assert code == 2 and "SGP4 error 6" in err and "2023-08-03" in err
