"""TDM residuals: a TDM groundnet writes from a known trajectory, perturbed by known offsets, shows
exactly those offsets as residuals (two-way and one-way); the command's outputs and PNG."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from groundnet.ccsds import read_message
from groundnet.ccsds.residuals import tdm_residuals
from groundnet.ccsds.writer import predicted_tdm_segments, tdm_text
from groundnet.cli import app, main
from groundnet.errors import CcsdsError
from groundnet.missions import get_spacecraft
from groundnet.stations import load_network
from groundnet.visibility.deepspace import link_geometry

T0 = 1795392000.0  # 2026-11-23T00:00:00Z
# Known offsets and the tolerance each must be recovered within (physical units).
OFFSETS = {"RANGE": (0.050, 1e-6), "RECEIVE_FREQ_1": (0.5, 1e-3), "ANGLE_2": (0.01, 1e-7),
           "ANGLE_1": (0.0, 1e-7), "DOPPLER_INSTANTANEOUS": (0.0, 1e-9)}


def _perturbed(segments: list[dict]) -> list[dict]:
    out = []
    for seg in segments:
        obs = [(k, t, v + OFFSETS.get(k, (0.0,))[0]) for k, t, v in seg["observations"]]
        out.append({"metadata": seg["metadata"], "observations": obs})
    return out


@pytest.fixture(scope="module")
def mex():
    return get_spacecraft("MEX").trajectory


@pytest.fixture(scope="module")
def network():
    return {a.id: a for a in load_network()}


@pytest.mark.parametrize("encoding", ["KVN", "XML"])
def test_perturbed_two_way_tdm_shows_the_perturbation(tmp_path, mex, network, encoding):
    antennas = [network["NNO-1"], network["CEB"]]
    geo = link_geometry(mex, antennas, T0 + 900.0 * np.arange(97))
    segments = []
    for s in range(2):
        from groundnet.commands.ccsds import _station_view

        segments += predicted_tdm_segments(_station_view(geo, s), participant="MEX", uplink_hz=7.16e9,
                                           min_elevation_deg=10.0)
    path = tmp_path / f"perturbed.{encoding.lower()}"
    path.write_text(tdm_text(_perturbed(segments), creation_unix=T0, encoding=encoding))
    report = tdm_residuals(read_message(path), mex, network)
    seen = set()
    for s in report.series:
        offset, tol = OFFSETS[s.observable]
        assert s.path == "two-way" and s.residual.size > 5
        np.testing.assert_allclose(s.residual, offset, atol=tol, err_msg=f"{s.station} {s.observable}")
        seen.add((s.station, s.observable))
    assert seen == {(st, k) for st in ("NNO-1", "CEB") for k in OFFSETS}
    assert report.not_compared == {}


def test_perturbed_one_way_tdm_shows_the_perturbation(tmp_path, mex, network):
    geo = link_geometry(mex, [network["NNO-1"]], T0 + 600.0 * np.arange(100))
    segments = predicted_tdm_segments(geo, participant="MEX", downlink_hz=8.42e9, min_elevation_deg=10.0)
    path = tmp_path / "one_way.tdm"
    path.write_text(tdm_text(_perturbed(segments), creation_unix=T0))
    report = tdm_residuals(read_message(path), mex, network)
    got = {s.observable: s for s in report.series}
    assert set(got) == {"ANGLE_1", "ANGLE_2", "DOPPLER_INSTANTANEOUS", "RECEIVE_FREQ_1"}
    for key, s in got.items():
        assert s.path == "one-way"
        np.testing.assert_allclose(s.residual, OFFSETS[key][0], atol=OFFSETS[key][1])


@pytest.mark.parametrize("ref, tag_s", [("END", 30.0), ("START", -30.0), ("MIDDLE", 0.0)])
def test_integrated_doppler_is_compared_at_the_middle_of_its_interval(tmp_path, mex, network, ref, tag_s):
    """DOPPLER_INTEGRATED over 60 s, tagged at the interval's end, start or middle: the prediction at the
    middle matches the instantaneous range rate there (a 30 s slip would show as about 1 m/s at Cebreros)."""
    geo = link_geometry(mex, [network["CEB"]], T0 + 600.0 * np.arange(60))
    (seg,) = predicted_tdm_segments(geo, participant="MEX", min_elevation_deg=10.0)
    meta = [(k, ref if k == "INTEGRATION_REF" else v) for k, v in seg["metadata"]] + [("INTEGRATION_INTERVAL", "60")]
    obs = [("DOPPLER_INTEGRATED", t + tag_s, v) for k, t, v in seg["observations"] if k == "DOPPLER_INSTANTANEOUS"]
    path = tmp_path / "integrated.tdm"
    path.write_text(tdm_text([{"metadata": meta, "observations": obs}], creation_unix=T0))
    (s,) = tdm_residuals(read_message(path), mex, network).series
    assert s.observable == "DOPPLER_INTEGRATED" and s.residual_unit == "mm/s" and s.residual.size > 10
    # The integral over 60 s of a range rate differs from its middle value by its curvature only (< 0.01 mm/s).
    np.testing.assert_allclose(s.reported, 0.0, atol=0.01)
    if tag_s:  # the same data read as instantaneous (no shift) is off by the slip
        shifted = [("DOPPLER_INSTANTANEOUS", t, v) for _, t, v in obs]
        path.write_text(tdm_text([{"metadata": meta, "observations": shifted}], creation_unix=T0))
        (s,) = tdm_residuals(read_message(path), mex, network).series
        assert np.abs(s.reported).max() > 100.0  # mm/s


def test_a_wrong_trajectory_shows_large_residuals(tmp_path, mex, network):
    """The same TDM against another spacecraft: residuals far from the offsets (the check can fail)."""
    geo = link_geometry(mex, [network["CEB"]], T0 + 900.0 * np.arange(60))
    path = tmp_path / "mex.tdm"
    path.write_text(tdm_text(predicted_tdm_segments(geo, participant="MEX", uplink_hz=7.16e9), creation_unix=T0))
    report = tdm_residuals(read_message(path), get_spacecraft("SOLO").trajectory, network)
    rng = next(s for s in report.series if s.observable == "RANGE")
    assert np.abs(rng.residual).min() > 1e6  # km: Solar Orbiter is nowhere near Mars


def test_cli_residuals_outputs_and_png(tmp_path):
    runner = CliRunner()
    tdm = tmp_path / "s1a.tdm"
    r = runner.invoke(app, ["ccsds", "tdm", "--spacecraft", "SENTINEL-1A", "--stations", "KIR-1", "--start",
                            "2026-11-23T00:00:00Z", "--end", "2026-11-23T12:00:00Z", "--step", "30",
                            "--uplink-hz", "2.06e9", "--turnaround", "240/221", "--band", "S", "--output", str(tdm)])
    assert r.exit_code == 0, r.output
    png = tmp_path / "res.png"
    r = runner.invoke(app, ["ccsds", "residuals", str(tdm), "--catalog", "demo", "--object", "39634",
                            "--format", "json", "--plot", str(png)])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert {row["observable"] for row in rows} == {"ANGLE_1", "ANGLE_2", "RANGE", "DOPPLER_INSTANTANEOUS",
                                                   "RECEIVE_FREQ_1"}
    assert all(abs(row["mean"]) < 1e-6 and row["station"] == "KIR-1" for row in rows)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    for fmt in ("table", "csv"):
        r = runner.invoke(app, ["ccsds", "residuals", str(tdm), "--spacecraft", "SENTINEL-1A", "--format", fmt])
        assert r.exit_code == 0 and "RECEIVE_FREQ_1" in r.stdout, r.output
    out = tmp_path / "stats.csv"
    r = runner.invoke(app, ["ccsds", "residuals", str(tdm), "--spacecraft", "SENTINEL-1A", "--format", "csv",
                            "--output", str(out)])
    assert r.exit_code == 0 and out.read_text().startswith("station,observable,path,unit,samples")


def test_small_offsets_show_in_the_printed_statistics(tmp_path, mex, network):
    """1 m of range, 1 mm/s of Doppler and 10 micro-degrees of elevation are well above tracking noise:
    the table and CSV (three decimals) must show them, not round them to 0."""
    geo = link_geometry(mex, [network["CEB"]], T0 + 900.0 * np.arange(60))
    segments = predicted_tdm_segments(geo, participant="MEX", uplink_hz=7.16e9, min_elevation_deg=10.0)
    small = {"RANGE": 0.001, "DOPPLER_INSTANTANEOUS": 1e-6, "ANGLE_2": 1e-5}
    obs = [(k, t, v + small.get(k, 0.0)) for k, t, v in segments[0]["observations"]]
    path = tmp_path / "small.tdm"
    path.write_text(tdm_text([{"metadata": segments[0]["metadata"], "observations": obs}], creation_unix=T0))
    out = tmp_path / "stats.csv"
    r = CliRunner().invoke(app, ["ccsds", "residuals", str(path), "--spacecraft", "MEX", "--format", "csv",
                                 "--output", str(out)])
    assert r.exit_code == 0, r.output
    import csv

    rows = {row["observable"]: row for row in csv.DictReader(out.open())}
    expected = {"RANGE": ("m", 1.0), "DOPPLER_INSTANTANEOUS": ("mm/s", 1.0), "ANGLE_2": ("mdeg", 0.01),
                "ANGLE_1": ("mdeg", 0.0), "RECEIVE_FREQ_1": ("Hz", 0.0)}
    for key, (unit, mean) in expected.items():
        assert rows[key]["unit"] == unit and float(rows[key]["mean"]) == pytest.approx(mean, abs=1e-3), rows[key]
    r = CliRunner().invoke(app, ["ccsds", "residuals", str(path), "--spacecraft", "MEX"])
    assert r.exit_code == 0 and "mm/s" in r.stdout and "mdeg" in r.stdout, r.stdout


@pytest.mark.parametrize("source, stations, start, end", [
    ("oem", "CEB", "2026-11-23T06:00:00Z", "2026-11-23T12:00:00Z"),
    ("spk", "NNO-1", "2010-06-02T04:00:00Z", "2010-06-02T10:00:00Z"),
    ("opm", "MLI", "2022-12-18T15:00:00Z", "2022-12-18T21:00:00Z"),
])
def test_residuals_against_a_trajectory_file(tmp_path, shared_data, source, stations, start, end):
    """The prediction from an OEM, an SPK or an OPM file (`--trajectory`): a range moved by 1 m shows as 1 m."""
    runner = CliRunner()
    if source == "oem":
        traj = [str(tmp_path / "mex.oem")]
        r = runner.invoke(app, ["ccsds", "oem", "--spacecraft", "MEX", "--start", "2026-11-23T05:00:00Z", "--end",
                                "2026-11-23T13:00:00Z", "--step", "300", "--output", traj[0]])
        assert r.exit_code == 0, r.output
    elif source == "spk":
        traj = [str(shared_data / "ephemerides" / "MarsExpress_Short.bsp"), "--object", "-41"]
    else:
        traj = [str(shared_data / "ccsds" / "bb502_opm_g1.kvn")]
    tdm = tmp_path / "measured.tdm"
    r = runner.invoke(app, ["ccsds", "tdm", "--trajectory", *traj, "--stations", stations, "--start", start, "--end",
                            end, "--step", "120", "--uplink-hz", "7.16e9", "--output", str(tdm)])
    assert r.exit_code == 0, r.output
    text = tdm.read_text()
    lines = [ln if not ln.startswith("RANGE ") else f"{ln.rsplit(' ', 1)[0]} {float(ln.rsplit(' ', 1)[1]) + 0.001!r}"
             for ln in text.splitlines()]
    assert lines != text.splitlines()
    tdm.write_text("\n".join(lines) + "\n")
    r = runner.invoke(app, ["ccsds", "residuals", str(tdm), "--trajectory", *traj, "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = {row["observable"]: row for row in json.loads(r.stdout)}
    assert rows["RANGE"]["unit"] == "m" and rows["RANGE"]["samples"] > 10
    assert rows["RANGE"]["mean"] == pytest.approx(1.0, abs=1e-3) and rows["RANGE"]["std"] < 1e-3
    assert abs(rows["DOPPLER_INSTANTANEOUS"]["mean"]) < 1e-3 and abs(rows["ANGLE_2"]["mean"]) < 1e-3


def _run(capsys, argv: list[str]) -> tuple[int, str]:
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    return code, capsys.readouterr().err


def test_residuals_errors_name_the_problem(capsys, shared_data):
    tdm, opm = str(shared_data / "ccsds" / "bb503_tdm_e1.kvn"), str(shared_data / "ccsds" / "bb502_opm_g1.kvn")
    # The Blue Book one-way TDM: its station DSS-25 is known, its data (2005) lies outside SOLO's trajectory.
    code, err = _run(capsys, ["ccsds", "residuals", tdm, "--spacecraft", "SOLO"])
    assert code == 2 and "outside the trajectory's span" in err
    code, err = _run(capsys, ["ccsds", "residuals", opm, "--spacecraft", "MEX"])
    assert code == 2 and "TDM was expected" in err
    code, err = _run(capsys, ["ccsds", "residuals", tdm, "--catalog", "demo", "--spacecraft", "MEX"])
    assert code == 2 and "--catalog FILE goes with --object" in err


def test_bad_segment_metadata_is_named(tmp_path, mex, network):
    geo = link_geometry(mex, [network["CEB"]], T0 + 900.0 * np.arange(40))
    text = tdm_text(predicted_tdm_segments(geo, participant="MEX", uplink_hz=7.16e9), creation_unix=T0)
    cases = [("PATH = 1,2,1", "PATH = 1,2,3\nPARTICIPANT_3 = NNO-1", "three-way"),
             ("PATH = 1,2,1", "PATH = 1,2,3", "PARTICIPANT_3 is not given"), ("PATH = 1,2,1", "PATH = 1,x", "not a list"),
             ("PARTICIPANT_1 = CEB", "PARTICIPANT_1 = ATLANTIS", "not an antenna of the network"),
             ("INTEGRATION_REF = END", "INTEGRATION_REF = END\nINTEGRATION_INTERVAL = soon", "INTEGRATION_INTERVAL")]
    for old, new, words in cases:
        path = tmp_path / "bad.tdm"
        path.write_text(text.replace(old, new))
        with pytest.raises(CcsdsError) as err:
            tdm_residuals(read_message(path), mex, network)
        assert words in str(err.value) and "bad.tdm:" in str(err.value)
