"""The bundled spacecraft set and the deep-space commands (link, spacecraft, ccsds, passes --trajectory)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from groundnet.ccsds import parse_message, read_message
from groundnet.cli import app
from groundnet.errors import InputFileError, TrajectoryError
from groundnet.missions import get_spacecraft, load_spacecraft
from groundnet.timebase import parse_utc, to_unix
from groundnet.visibility.deepspace import distances

AT = "2026-11-21T10:00:00Z"


@pytest.fixture(scope="module")
def fleet():
    return load_spacecraft()


def test_every_spacecraft_has_a_trajectory_now(fleet):
    t = to_unix(parse_utc(AT))
    kinds = {sc.kind for sc in fleet}
    assert kinds == {"tle", "spk", "approximate"}
    for sc in fleet:
        d = distances(sc.trajectory, t)
        assert np.isfinite(d["geocentric_km"][0]), sc.id
        if sc.kind == "tle":
            assert 6500 < d["geocentric_km"][0] < 200_000, sc.id


def test_deep_space_entries_are_what_the_docs_say(fleet):
    solo, mex, tgo = (get_spacecraft(i, fleet) for i in ("SOLO", "MEX", "TGO"))
    assert solo.kind == "spk" and solo.naif_id == -144 and solo.spk_path.endswith(".bsp")
    start, end = solo.trajectory.span_unix
    assert start < to_unix(parse_utc("2020-02-11T00:00:00Z")) and end > to_unix(parse_utc("2030-11-17T00:00:00Z"))
    for sc, bound in ((mex, 15000.0), (tgo, 4000.0)):
        assert sc.approximate and sc.error_bound_km == bound and sc.error_bound_source
        traj = sc.trajectory
        assert traj.kind == "approximate" and traj.error_bound_km == bound
        assert "Mars" in sc.name or "Mars" in sc.description


def test_earth_orbiters_come_from_the_demo_catalog(fleet):
    from groundnet.orbits.catalog import load_catalog

    demo = load_catalog("demo").by_id()
    for sc in fleet:
        if sc.kind == "tle":
            assert sc.norad_id in demo, sc.id
            assert sc.trajectory.elements == demo[sc.norad_id]


def test_bad_spacecraft_files_are_reported(tmp_path):
    bad = tmp_path / "sc.toml"
    bad.write_text('[[spacecraft]]\nid = "X"\nkind = "warp"\n')
    with pytest.raises(InputFileError, match="kind 'warp' must be tle, spk or approximate"):
        load_spacecraft(bad)
    bad.write_text('[[spacecraft]]\nid = "X"\nkind = "approximate"\nat = "mars"\n')
    with pytest.raises(InputFileError, match="error_bound_km"):
        load_spacecraft(bad)
    with pytest.raises(TrajectoryError, match="unknown spacecraft 'NOPE'"):
        get_spacecraft("NOPE")


runner = CliRunner()


def test_cli_spacecraft_lists_distances():
    result = runner.invoke(app, ["spacecraft", "--at", AT, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert rows["SOLO"]["heliocentric_km"] < 1.4e8 and rows["MEX"]["approximate"] is True
    assert rows["MEX"]["one_way_light_time_s"] == pytest.approx(rows["MEX"]["geocentric_km"] / 299792.458)


def test_cli_link_gives_doppler_and_conjunction_flag():
    result = runner.invoke(app, ["link", "--spacecraft", "MEX", "--stations", "CEB,NNO-1", "--at", AT,
                                 "--uplink-hz", "7.15e9", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["station_id"] for r in rows] == ["CEB", "NNO-1"]
    for r in rows:
        assert r["rtlt_s"] == pytest.approx((r["upleg_range_km"] + r["downleg_range_km"]) / 299792.458, rel=1e-9)
        assert r["solar_conjunction"] is False and r["sep_deg"] > 5
        # Approaching Earth (negative range rate) shifts the two-way downlink up.
        assert np.sign(r["two_way_doppler_hz"]) == -np.sign(r["range_rate_km_s"])


def test_cli_oem_and_tdm_write_readable_messages(tmp_path):
    oem_path = tmp_path / "solo.oem"
    result = runner.invoke(app, ["ccsds", "oem", "--spacecraft", "SOLO", "--start", "2026-11-21T00:00:00Z",
                                 "--end", "2026-11-21T01:00:00Z", "--step", "600", "--output", str(oem_path)])
    assert result.exit_code == 0, result.output
    oem = read_message(oem_path)
    assert oem.segments[0].epochs_unix.size == 7 and oem.segments[0].center_name == "EARTH"
    tdm_path = tmp_path / "mex.xml"
    result = runner.invoke(app, ["ccsds", "tdm", "--spacecraft", "MEX", "--stations", "CEB", "--start",
                                 "2026-11-21T06:00:00Z", "--end", "2026-11-21T07:00:00Z", "--step", "900",
                                 "--uplink-hz", "7.15e9", "--encoding", "xml", "--output", str(tdm_path)])
    assert result.exit_code == 0, result.output
    tdm = read_message(tdm_path)
    assert tdm.encoding == "XML" and tdm.segments[0].metadata["PATH"] == "1,2,1"
    _, elevations = tdm.segments[0].series("ANGLE_2")
    assert elevations.size == 5 and np.all(elevations >= 10.0)


def test_cli_passes_with_a_trajectory_file_has_the_engine_columns(shared_data):
    result = runner.invoke(app, ["passes", "--trajectory", str(shared_data / "ephemerides" / "MarsExpress_Short.bsp"),
                                 "--stations", "NNO-1,CEB", "--start", "2010-06-02T00:00:00Z",
                                 "--end", "2010-06-03T00:00:00Z", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and {r["station_id"] for r in rows} == {"NNO-1", "CEB"}
    assert set(rows[0]) >= {"object_id", "object_name", "station_id", "aos", "tca", "los", "max_elevation_deg",
                            "aos_azimuth_deg", "los_azimuth_deg", "duration_s"}
    assert rows[0]["object_id"] == -41 and rows[0]["object_name"] == "MARS EXPRESS"
    result = runner.invoke(app, ["passes", "--trajectory", str(shared_data / "ephemerides" / "MarsExpress_Short.bsp"),
                                 "--stations", "NNO-1", "--start", "2026-01-01T00:00:00Z"])
    assert "covers 2010-05-31" in str(result.exception)  # outside the SPK: a clear error (exit 2 from main)


def test_cli_passes_needs_exactly_one_source():
    from groundnet.cli import main

    with pytest.raises(SystemExit) as err:
        main(["passes", "--stations", "CEB", "--start", AT])
    assert err.value.code == 2
