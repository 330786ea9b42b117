"""Dispersions bracket the nominal case; the command's outputs (JSON timeline, pointing CSV, CCSDS)."""

from __future__ import annotations

import dataclasses
import csv
import io
import json
import tomllib
from pathlib import Path

import numpy as np
import pytest

from groundnet.leop import load_scenario, report
from groundnet.leop.acquisition import analyse_launch, scenario_antennas
from groundnet.timebase import parse_utc, to_unix

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "groundnet" / "data" / "leop"


def _run(name, **dispersions):
    sc = load_scenario(EXAMPLES / name)
    sc = dataclasses.replace(sc, dispersions=dataclasses.replace(sc.dispersions, **dispersions))
    return sc, analyse_launch(sc, sc.launch_times_unix[0], scenario_antennas(sc), with_pointing=False)


def _t(s):
    return to_unix(parse_utc(s))


@pytest.mark.parametrize("name, method", [("galileo_vs15.toml", "monte_carlo"), ("galileo_vs15.toml", "grid"),
                                          ("exomars_2016.toml", "monte_carlo")])
def test_dispersions_bracket_the_nominal_first_aos(name, method):
    sc, res = _run(name, method=method, samples=40)
    d = res.dispersion
    nominal = _t(res.acquisitions[0]["aos"])
    assert _t(d["first_aos"]["earliest"]) <= nominal <= _t(d["first_aos"]["latest"])
    assert d["first_aos"]["spread_s"] > 0
    # per station too, wherever the station acquires in every sample
    for row in res.acquisitions:
        st = next(s for s in d["per_station"] if s["station_id"] == row["station_id"])
        if st["samples_acquired"] == d["samples"]:
            assert _t(st["earliest"]) - 1e-3 <= _t(row["aos"]) <= _t(st["latest"]) + 1e-3, row["station_id"]


def test_monte_carlo_is_reproducible_with_its_seed():
    _, a = _run("exomars_2016.toml", samples=10, seed=7)
    _, b = _run("exomars_2016.toml", samples=10, seed=7)
    _, c = _run("exomars_2016.toml", samples=10, seed=8)
    assert a.dispersion["first_aos"] == b.dispersion["first_aos"]
    assert a.dispersion["first_aos"] != c.dispersion["first_aos"]


def test_switch_on_timing_moves_aos_one_for_one_when_already_in_view():
    """ExoMars: Malindi has the spacecraft in view throughout the expected AOS window, so the
    first AOS is the switch-on itself and its spread is the switch-on spread."""
    sc, res = _run("exomars_2016.toml", method="grid", timing_sigma_s=0, velocity_sigma_m_s=0, inclination_sigma_deg=0)
    first = res.acquisitions[0]
    assert first["station_id"] == "MLI" and first["in_view_at_switch_on"]
    k = sc.dispersions.grid_sigma * sc.dispersions.switch_on_sigma_s
    assert res.dispersion["first_aos"]["spread_s"] == pytest.approx(2 * k, abs=1e-3)


def test_exomars_malindi_in_view_over_the_expected_aos_window():
    """ESA: signal not earlier than 22:25 CET (21:25 UTC), most likely about 22:29 CET (21:29 UTC)."""
    import numpy as np

    sc, res = _run("exomars_2016.toml", method="none")
    track = res.track
    mli = [a.id for a in track.antennas].index("MLI")
    t = np.arange(_t("2016-03-14T21:25:00Z"), _t("2016-03-14T21:35:00Z") + 1, 60.0)
    look = track.look(np.full(t.shape, mli), np.zeros(t.shape, dtype=int), t)
    assert np.all(look["elevation_deg"] > 20.0)


def test_cli_json_and_pointing_files(tmp_path):
    from typer.testing import CliRunner

    from groundnet.cli import app

    src = (EXAMPLES / "galileo_vs15.toml").read_text().replace("samples = 100", "samples = 8")
    scen = tmp_path / "g.toml"
    scen.write_text(src)
    out = CliRunner().invoke(app, ["leop", str(scen), "--format", "json", "--pointing-dir", str(tmp_path / "pt")])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout[out.stdout.index("{"):])
    launch = doc["launches"][0]
    assert launch["first_station"] == "NNO-1"
    kinds = [e["event"] for e in launch["timeline"]]
    assert kinds[:3] == ["liftoff", "separation", "transmitter_on"] and "first_signal_expected" in kinds
    assert all(launch["timeline"][i]["from_liftoff_s"] <= launch["timeline"][i + 1]["from_liftoff_s"] for i in range(len(kinds) - 1))
    gaps = launch["coverage"]["gaps"]
    assert len(gaps) >= 1 and kinds.count("gap_start") == kinds.count("gap_end") == len(gaps)
    assert kinds.count("first_aos") == len(launch["acquisitions"])
    files = sorted(p.name for p in (tmp_path / "pt").iterdir())
    assert any(f.endswith("NNO-1_pointing.csv") for f in files) and any(f.endswith(".oem") for f in files)
    csv_lines = next((tmp_path / "pt").glob("*NNO-1_pointing.csv")).read_text().splitlines()
    # 1 s steps from AOS - pointing_before_s (not before separation) to AOS + pointing_after_s
    an = tomllib.loads(src)["analysis"]
    aos, sep = _t(launch["acquisitions"][0]["aos"]), _t(launch["separation"])
    expected = int(aos + an["pointing_after_s"] - max(aos - an["pointing_before_s"], sep)) + 1
    assert len(csv_lines) == 1 + expected
    # the CCSDS files load with the project's reader and carry the same numbers
    from groundnet.ccsds import read_message
    from groundnet.orbits.trajectory import load_trajectory

    tdm = read_message(next((tmp_path / "pt").glob("*NNO-1_pointing.tdm")))
    seg = tdm.segments[0]
    assert seg.metadata["ANGLE_TYPE"] == "AZEL" and seg.metadata["PARTICIPANT_1"] == "NNO-1"
    t_az, az = seg.series("ANGLE_1")
    rows = list(csv.DictReader(io.StringIO("\n".join(csv_lines))))
    assert len(az) == len(rows)
    assert az[5] == pytest.approx(float(rows[5]["azimuth_deg"]), abs=1e-4)
    assert t_az[5] == pytest.approx(_t(rows[5]["time"]), abs=1e-6)
    # the OEM, interpolated as its header says, gives back the pointing CSV's range at a time between samples
    oem = load_trajectory(next((tmp_path / "pt").glob("*.oem")))
    from groundnet.stations import load_network
    from groundnet.visibility.geometry import StationFrames, look_angles
    from groundnet.orbits.frames import gcrs_to_itrs

    t_mid = _t(rows[30]["time"])
    p, v = oem.state_gcrs(np.array([t_mid]))
    p_itrs, v_itrs = gcrs_to_itrs(p, v, np.array([t_mid]))
    la = look_angles(StationFrames.of([load_network().get("NNO-1")]), p_itrs.T, v_itrs.T)
    assert la.range_km[0, 0] == pytest.approx(float(rows[30]["range_km"]), abs=1e-3)  # 1 m


def test_launch_window_gives_one_result_per_launch_time(tmp_path):
    from groundnet.leop import run_scenario

    src = (EXAMPLES / "galileo_vs15.toml").read_text()
    src = src.replace('time = "2016-05-24T08:48:43Z"', 'window = { start = "2016-05-24T08:48:43Z", end = "2016-05-24T09:48:43Z", step_s = 1800 }')
    src = src.replace('method = "monte_carlo"', 'method = "none"')
    p = tmp_path / "w.toml"
    p.write_text(src)
    sc = load_scenario(p)
    results = run_scenario(sc, with_pointing=False)
    doc = report(sc, results)
    assert [l["launch"] for l in doc["launches"]] == ["2016-05-24T08:48:43.000Z", "2016-05-24T09:18:43.000Z", "2016-05-24T09:48:43.000Z"]
    # the node follows the lift-off time (15 deg per hour of delay)
    nodes = [l["injection"]["raan_deg"] for l in doc["launches"]]
    assert nodes[1] - nodes[0] == pytest.approx(7.52, abs=0.05)
    json.dumps(doc, allow_nan=False)


def test_station_file_masks_are_honoured(tmp_path):
    """A station file raising New Norcia's horizon to 75 deg (the satellites pass at 69.5 deg at
    switch-on) takes the first signal away from it; an elevation floor override does too."""
    src = (EXAMPLES / "galileo_vs15.toml").read_text().replace('method = "monte_carlo"', 'method = "none"')
    (tmp_path / "mask.toml").write_text('[[antenna]]\nid = "NNO-1"\nhorizon_mask = [[0, 75], [180, 75]]\n')
    scen = tmp_path / "g.toml"
    scen.write_text(src.replace('ids = ["NNO-1"', 'file = "mask.toml"\nids = ["NNO-1"'))
    sc = load_scenario(scen)
    res = analyse_launch(sc, sc.launch_times_unix[0], scenario_antennas(sc), with_pointing=False)
    assert res.acquisitions[0]["station_id"] == "MLI"
    assert "NNO-1" not in [a["station_id"] for a in res.acquisitions if a["in_view_at_switch_on"]]
    scen.write_text(src.replace('ids = ["NNO-1"', 'min_elevation_deg = 70\nids = ["NNO-1"'))
    sc = load_scenario(scen)
    res = analyse_launch(sc, sc.launch_times_unix[0], scenario_antennas(sc), with_pointing=False)
    assert not any(a["in_view_at_switch_on"] for a in res.acquisitions)
    assert all(a["elevation_deg"] == pytest.approx(70.0, abs=0.01) for a in res.acquisitions)
