"""A scenario file with mistakes gets messages naming the file, line, table and key, and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from groundnet.leop import ScenarioError, load_scenario

GOOD = '''
[launch]
time = "2016-05-24T08:48:43Z"
site = { name = "Kourou", latitude_deg = 5.3019, longitude_deg = -52.8346 }

[injection]
kind = "elements"
epoch_offset_s = 13677
perigee_altitude_km = 23522
apogee_altitude_km = 23522
inclination_deg = 57.394
raan_from = "launch_site"
downrange_from_site_deg = 225

[spacecraft]
downlink_hz = 2.2e9
separation_offset_s = 13677
'''


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "scenario.toml"
    p.write_text(text, encoding="utf-8")
    return p


def _problems(tmp_path, text) -> tuple[str, list[str]]:
    p = _write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(p)
    msg = str(info.value)
    assert msg.startswith(str(p)), msg  # the file is named first
    return msg, info.value.problems


def test_the_good_scenario_loads(tmp_path):
    sc = load_scenario(_write(tmp_path, GOOD))
    assert sc.injection.raan_from == "launch_site" and len(sc.launch_times_unix) == 1


@pytest.mark.parametrize("old, new, expect", [
    ('time = "2016-05-24T08:48:43Z"', 'time = "24/05/2016 08:48"', ["line 3", "[launch] time", "ISO 8601"]),
    ("inclination_deg = 57.394", 'inclination_deg = "57"', ["line 11", "[injection] inclination_deg", "must be a number"]),
    ("inclination_deg = 57.394", "inclination_deg = 257", ["[injection] inclination_deg", "outside [0, 180]"]),
    ("apogee_altitude_km = 23522", "apogee_altitude_km = 2000", ["[injection] apogee_altitude_km", "below the perigee", "swap"]),
    ("apogee_altitude_km = 23522", "apogee_altitude_km = 23522\nc3_km2_s2 = 10", ["exactly one"]),
    ('raan_from = "launch_site"', "", ["[injection] raan_deg", 'raan_from = "launch_site"']),
    ('raan_from = "launch_site"', 'raan_from = "pad"', ["'pad' is not one of launch_site, asymptote"]),
    ("downrange_from_site_deg = 225", "", ["exactly one of true_anomaly_deg"]),
    ('kind = "elements"', 'kind = "sp3"', ["[injection] kind", "not one of elements, tle, oem, opm"]),
    ("separation_offset_s = 13677", "separation_offset = 13677", ["[spacecraft] separation_offset:", "unknown key", "[spacecraft] separation_offset_s", "missing"]),
    ("downlink_hz = 2.2e9", "downlink_hz = 2.2", ["[spacecraft] downlink_hz", "outside"]),
])
def test_each_kind_of_mistake_is_named(tmp_path, old, new, expect):
    assert old in GOOD
    msg, _ = _problems(tmp_path, GOOD.replace(old, new))
    for piece in expect:
        assert piece in msg, (piece, msg)


def test_launch_site_needed_for_derived_node(tmp_path):
    text = GOOD.replace('site = { name = "Kourou", latitude_deg = 5.3019, longitude_deg = -52.8346 }\n', "")
    msg, problems = _problems(tmp_path, text)
    assert "[injection] raan_from" in msg and "add site" in msg
    assert any("downrange_from_site_deg" in p for p in problems)


def test_every_problem_is_reported_at_once(tmp_path):
    text = GOOD.replace("57.394", "-3").replace('"2016-05-24T08:48:43Z"', '"yesterday"').replace("2.2e9", "true")
    msg, problems = _problems(tmp_path, text)
    assert len(problems) == 3, problems
    assert msg.count("line ") == 3


def test_window_and_dispersions_validated(tmp_path):
    text = GOOD.replace('time = "2016-05-24T08:48:43Z"', 'window = { start = "2016-05-24T09:00:00Z", end = "2016-05-24T08:00:00Z", step_s = 60 }')
    text += '\n[dispersions]\nmethod = "bootstrap"\nsamples = 1\nseed = -4\ntiming_sigma_s = -1\n'
    msg, problems = _problems(tmp_path, text)
    for piece in ("end is before start", "[dispersions] method", "[dispersions] samples", "[dispersions] seed", "[dispersions] timing_sigma_s"):
        assert piece in msg, piece


def test_stations_and_files(tmp_path):
    text = GOOD + '\n[stations]\nids = "NNO-1"\nfile = "nowhere.toml"\n'
    msg, _ = _problems(tmp_path, text)
    assert '[stations] ids: must be "all" or a list' in msg
    assert "no such file" in msg and "relative to the scenario file" in msg


@pytest.mark.parametrize("content, expect", [
    (None, "file not found"),
    ("[launch\ntime=1", "not valid TOML"),
    (b"\xff\xfe\x00binary", "not UTF-8"),
])
def test_unreadable_files(tmp_path, content, expect):
    p = tmp_path / "s.toml"
    if isinstance(content, bytes):
        p.write_bytes(content)
    elif content is not None:
        p.write_text(content)
    with pytest.raises(ScenarioError, match=expect):
        load_scenario(p)


def test_unknown_station_and_unreachable_asymptote_fail_clearly(tmp_path):
    from groundnet.errors import GroundnetError
    from groundnet.leop import run_scenario

    sc = load_scenario(_write(tmp_path, GOOD + '\n[stations]\nids = ["NNO-1", "XYZ-9"]\n'))
    with pytest.raises(GroundnetError, match="unknown station 'XYZ-9'"):
        run_scenario(sc)
    text = GOOD.replace("apogee_altitude_km = 23522", "c3_km2_s2 = 10").replace("perigee_altitude_km = 23522", "perigee_altitude_km = 300")
    text = text.replace('raan_from = "launch_site"', 'raan_from = "asymptote"\nasymptote_ra_deg = 10\nasymptote_dec_deg = -70')
    msg, _ = _problems(tmp_path, text)
    assert "cannot be reached by a plane inclined 57.394 deg" in msg


def test_cli_prints_one_line_and_exits_2(tmp_path):
    import subprocess
    import sys

    p = _write(tmp_path, GOOD.replace("57.394", "-3"))
    exe = Path(sys.executable).with_name("groundnet")
    out = subprocess.run([str(exe), "leop", str(p)], capture_output=True, text=True)
    assert out.returncode == 2
    lines = [l for l in out.stderr.splitlines() if l.startswith("error:")]
    assert len(lines) == 1 and "[injection] inclination_deg" in lines[0]


def test_missing_table_and_unknown_top_level_key(tmp_path):
    text = "lauch = 3\n" + GOOD.split("[spacecraft]")[0]
    msg, problems = _problems(tmp_path, text)
    assert "line 1: lauch: unknown key; allowed keys are" in msg
    assert "[spacecraft]: missing table; add the [spacecraft] section" in msg
    assert not any(p.startswith("[spacecraft] ") for p in problems)  # one message for the table, not one per key
