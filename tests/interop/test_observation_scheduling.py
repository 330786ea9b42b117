"""Observation scheduling over a SatNOGS-style network: the auto-scheduler's rules and the network plan."""

from __future__ import annotations

import json

import numpy as np
import pytest

from groundnet.cli import main
from groundnet.orbits.catalog import load_catalog
from groundnet.schedule import observations as obs
from groundnet.stations.network import load_network
from groundnet.timebase import parse_utc, to_unix

from .conftest import SAMPLES

CATALOG = SAMPLES.parents[1].parent / "shared" / "data" / "catalog" / "celestrak_active_3le_2026-05-07.txt"
START = "2026-05-08T00:00:00Z"


def candidates(passes, n_stations, requests):
    """Hand-made candidates: (station, request, start, end, culmination) per pass."""
    a = np.array(passes, dtype=float)
    return obs.Candidates([f"S{i}" for i in range(n_stations)], requests, a[:, 0].astype(int), a[:, 1].astype(int),
                          a[:, 2], a[:, 3], a[:, 4], 0.0, 10_000.0)


def booked(plan):
    c = plan.candidates
    return sorted((int(c.sta[i]), int(c.req[i]), float(c.start[i])) for i in plan.chosen)


def test_greedy_books_listed_satellites_first_then_by_culmination_and_never_overlaps():
    reqs = [obs.ObservationRequest(1), obs.ObservationRequest(2, priority=0.2), obs.ObservationRequest(3)]
    c = candidates([
        (0, 0, 100, 700, 80),   # the highest pass, but it overlaps the listed one
        (0, 1, 500, 900, 10),   # listed: booked first despite its low culmination
        (0, 2, 950, 1200, 40),  # free time after it
        (0, 2, 0, 90, 5),       # free time before
    ], 1, reqs)
    plan = obs.satnogs_greedy(c)
    assert booked(plan) == [(0, 1, 500.0), (0, 2, 0.0), (0, 2, 950.0)]
    # A wait between observations keeps the pass that starts 50 s after the listed one ends out.
    assert booked(obs.satnogs_greedy(c, wait_s=60)) == [(0, 1, 500.0), (0, 2, 0.0)]


def test_network_plan_sends_the_second_station_to_a_satellite_nobody_else_sees():
    # Both stations see satellite A at once; only station 1 sees B, at the same time.
    reqs = [obs.ObservationRequest(1, "A"), obs.ObservationRequest(2, "B")]
    c = candidates([(0, 0, 0, 600, 60), (1, 0, 0, 600, 70), (1, 1, 0, 600, 20)], 2, reqs)
    greedy = obs.satnogs_greedy(c)
    assert booked(greedy) == [(0, 0, 0.0), (1, 0, 0.0)]  # each station books its highest pass
    network = obs.network_plan(c, baseline=greedy)
    assert booked(network) == [(0, 0, 0.0), (1, 1, 0.0)]
    assert obs.satellite_hours(network).tolist() == pytest.approx([600 / 3600, 600 / 3600])
    assert obs.plan_metrics(network)["satellite_hours"] > obs.plan_metrics(greedy)["satellite_hours"]


def test_network_plan_gives_back_to_a_satellite_below_its_share_of_the_baseline():
    # Satellite A (listed, weight 2) competes with B for one station; without the share rule the
    # plan would give B nothing where the baseline gave it 500 s.
    reqs = [obs.ObservationRequest(1, "A", priority=1.0), obs.ObservationRequest(2, "B")]
    c = candidates([(0, 0, 0, 600, 10), (0, 1, 100, 600, 50)], 1, reqs)
    baseline = obs.ObservationPlan(c, np.array([1]), "given")
    plan = obs.network_plan(c, baseline=baseline, min_share=0.9)
    assert booked(plan) == [(0, 1, 100.0)]
    assert plan.detail["rounds"] >= 2


def test_conflicts_are_counted_by_the_schedule_validator():
    reqs = [obs.ObservationRequest(1), obs.ObservationRequest(2)]
    c = candidates([(0, 0, 0, 600, 10), (0, 1, 300, 900, 50)], 1, reqs)
    both = obs.ObservationPlan(c, np.array([0, 1]), "both")
    assert obs.plan_metrics(both)["conflicts"] == 1
    assert obs.plan_metrics(obs.satnogs_greedy(c))["conflicts"] == 0


@pytest.fixture(scope="module")
def real_network():
    network = load_network(None, include_bundled=False)
    from groundnet.interop.satnogs import read_network_stations, read_transmitters

    antennas, _ = read_network_stations(SAMPLES / "stations.json")
    transmitters, _ = read_transmitters(SAMPLES / "transmitters.json")
    elements = load_catalog(CATALOG).elements
    known = {e.norad_id for e in elements}
    requests = [r for r in obs.requests_from_transmitters(transmitters) if r.norad_id in known]
    start = to_unix(parse_utc(START))
    prefs = [obs.StationPreference("SATNOGS-2", only=frozenset({25544})),
             obs.StationPreference("SATNOGS-6", exclude=frozenset({25544}))]
    c = obs.candidate_observations(elements, antennas, requests, start, start + 86400, preferences=prefs,
                                   min_duration_s=120)
    assert network.antennas == []
    return antennas, c


def test_real_passes_respect_frequencies_preferences_duration_and_window(real_network):
    antennas, c = real_network
    assert len(c) > 100
    by_id = {a.id: a for a in antennas}
    for i in range(len(c)):
        station = by_id[c.station_ids[c.sta[i]]]
        request = c.requests[c.req[i]]
        assert station.receives(request.downlink_hz)
        assert c.end[i] - c.start[i] >= 120
        assert c.horizon_start <= c.start[i] < c.end[i] <= c.horizon_end
        if station.id == "SATNOGS-2":
            assert request.norad_id == 25544
        if station.id == "SATNOGS-6":
            assert request.norad_id != 25544
    # Cape Town receives VHF only; the UHF satellites (SO-50, FO-29) never reach it.
    cape = c.station_ids.index("SATNOGS-237")
    assert {c.requests[r].norad_id for r in c.req[c.sta == cape]} <= {25544, 43017, 39444}


def test_both_planners_give_valid_plans_and_the_network_covers_at_least_as_much(real_network):
    _, c = real_network
    greedy = obs.satnogs_greedy(c)
    network = obs.network_plan(c, baseline=greedy)
    g, n = obs.plan_metrics(greedy), obs.plan_metrics(network)
    assert g["conflicts"] == n["conflicts"] == 0
    assert n["satellite_hours"] >= g["satellite_hours"]
    assert set(network.chosen) <= set(range(len(c)))


REQUESTS = """
[[satellite]]
norad_id = 25544
priority = 0.8
min_elevation_deg = 10
downlink_hz = 145825000

[[satellite]]
norad_id = 24278
downlink_hz = 435795000

[[satellite]]
norad_id = 24278

[[satellite]]
norad_id = 27607
priority = 2

[[satellite]]
norad_id = "ISS"

[[satellite]]
norad_id = 43017
colour = "red"

[[station]]
id = "SATNOGS-2"
only = [25544]

[[station]]
id = "SATNOGS-6"
exclude = ["ISS"]
"""


def test_request_file_keeps_good_entries_and_names_each_bad_one(tmp_path):
    path = tmp_path / "requests.toml"
    path.write_text(REQUESTS, encoding="utf-8")
    requests, prefs, problems = obs.load_observation_requests(path)
    assert [r.norad_id for r in requests] == [25544, 24278]
    assert requests[0].priority == 0.8 and requests[0].min_elevation_deg == 10
    assert [p.station_id for p in prefs] == ["SATNOGS-2"]
    assert len(problems) == 5
    for words in ("#3", "requested twice", "'priority'", "'norad_id'", "'colour'", "only'/'exclude'"):
        assert any(words in p for p in problems), words


@pytest.fixture
def station_file(tmp_path):
    path = tmp_path / "satnogs.toml"
    with pytest.raises(SystemExit) as done:
        main(["satnogs", "stations", str(SAMPLES / "stations.json"), "--output", str(path)])
    assert done.value.code in (0, None)
    return path


@pytest.mark.parametrize("planner", ["network", "satnogs-greedy", "compare"])
@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_schedule_observations_command(station_file, tmp_path, capsys, planner, fmt):
    # A file's format follows its extension; the terminal's follows --format.
    out = None if fmt == "table" else tmp_path / f"plan.{fmt}"
    args = ["schedule", "observations", "--station-file", str(station_file), "--catalog", str(CATALOG),
            "--transmitters", str(SAMPLES / "transmitters.json"), "--satellites", str(SAMPLES / "satellites.json"),
            "--start", START, "--hours", "6", "--planner", planner, "--format", fmt]
    with pytest.raises(SystemExit) as done:
        main(args + ([] if out is None else ["--output", str(out)]))
    assert done.value.code in (0, None)
    captured = capsys.readouterr()
    assert "NORAD 25338" in captured.err and "no element set" in captured.err  # NOAA 15 is not in this catalog
    text = captured.out if out is None else out.read_text(encoding="utf-8")
    if fmt == "json":
        rows = json.loads(text)
        if planner == "compare":
            assert [r["planner"] for r in rows] == ["satnogs-greedy", "network"]
            assert all(r["conflicts"] == 0 for r in rows)
        else:
            assert rows and {"station_id", "norad_id", "start", "end", "downlink_hz"} <= set(rows[0])
            assert all(r["station_id"].startswith("SATNOGS-") for r in rows)
    elif fmt == "csv":
        assert text.splitlines()[0].startswith("planner," if planner == "compare" else "station_id,")
    else:
        assert ("satellite_hours" if planner == "compare" else "ISS (ZARYA)") in text


def test_schedule_observations_from_a_request_file(station_file, tmp_path, capsys):
    requests = tmp_path / "requests.toml"
    requests.write_text(REQUESTS, encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        main(["schedule", "observations", "--station-file", str(station_file), "--catalog", str(CATALOG),
              "--requests", str(requests), "--start", START, "--hours", "12", "--format", "json"])
    assert done.value.code in (0, None)
    captured = capsys.readouterr()
    rows = json.loads(captured.out)
    assert {r["norad_id"] for r in rows} <= {25544, 24278}
    assert all(r["norad_id"] == 25544 for r in rows if r["station_id"] == "SATNOGS-2")
    assert all(r["max_elevation_deg"] >= 10 for r in rows if r["norad_id"] == 25544)
    assert "'colour'" in captured.err


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_satnogs_listing_commands(tmp_path, capsys, fmt):
    for args in (["satnogs", "stations", str(SAMPLES / "stations_bad.json")],
                 ["satnogs", "transmitters", str(SAMPLES / "transmitters.json"), "--satellites",
                  str(SAMPLES / "satellites.json")],
                 ["satnogs", "transmitters", str(SAMPLES / "transmitters_bad.json"), "--all"]):
        with pytest.raises(SystemExit) as done:
            main(args + ["--format", fmt])
        assert done.value.code in (0, None)
    captured = capsys.readouterr()
    assert "id=9001" in captured.err and "field 'lat'" in captured.err
    if fmt == "json":
        assert '"downlink_hz": 436793995' in captured.out


def test_track_tunes_to_the_satnogs_transmitter_with_its_drift_and_doppler(capsys):
    with pytest.raises(SystemExit) as done:
        main(["track", "--station", "KIR-1", "--catalog", str(CATALOG), "--object", "27607", "--start", START,
              "--dry-run", "--transmitters", str(SAMPLES / "transmitters.json"), "--format", "json"])
    assert done.value.code in (0, None)
    captured = capsys.readouterr()
    rows = json.loads(captured.out)
    assert "tzvNPnQgZfuX6w7KYnk65p" in captured.err
    published = 436_795_000 * (1 - 2300e-9)  # SO-50's downlink with SatNOGS's measured drift
    c = 299_792.458
    for row in rows[:: max(1, len(rows) // 20)]:
        assert row["downlink_hz"] == pytest.approx(published * (1 - row["range_rate_km_s"] / c), abs=1.0)
        assert row["uplink_hz"] == pytest.approx(145_850_000 * (1 + row["range_rate_km_s"] / c), abs=1.0)


def test_track_refuses_an_object_with_no_satnogs_transmitter():
    with pytest.raises(SystemExit) as done:
        main(["track", "--station", "KIR-1", "--catalog", str(CATALOG), "--object", "20580", "--start", START,
              "--dry-run", "--transmitters", str(SAMPLES / "transmitters.json")])
    assert done.value.code == 2
