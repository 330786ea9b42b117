"""SatNOGS Network stations and SatNOGS DB transmitters and satellites, read into groundnet's terms."""

from __future__ import annotations

import json

import pytest

from groundnet.errors import InputFileError
from groundnet.interop.satnogs import corrected_hz, read_network_stations, read_satellites, read_transmitters
from groundnet.stations import load_network
from groundnet.stations.network import network_toml

from .conftest import SAMPLES


def test_stations_keep_position_horizon_and_what_their_antennas_receive():
    antennas, problems = read_network_stations(SAMPLES / "stations.json")
    assert problems == []
    by_id = {a.id: a for a in antennas}
    # Offline stations are left out by default; Online and Testing kept.
    assert "SATNOGS-380" not in by_id and {"SATNOGS-40", "SATNOGS-1500"} <= set(by_id)
    tartu = by_id["SATNOGS-77"]
    assert (tartu.latitude_deg, tartu.longitude_deg, tartu.altitude_m, tartu.min_elevation_deg) == (58.38, 26.72, 60, 5)
    assert tartu.frequency_ranges_hz == ((135e6, 146e6), (430e6, 440e6))
    cape_town = by_id["SATNOGS-237"]
    assert cape_town.receives(137.62e6) and not cape_town.receives(437.8e6)
    everything, _ = read_network_stations(SAMPLES / "stations.json", statuses=("Online", "Testing", "Offline"))
    assert len(everything) == len(antennas) + 1


def test_station_file_written_from_satnogs_reads_back_the_same(tmp_path):
    antennas, _ = read_network_stations(SAMPLES / "stations.json")
    path = tmp_path / "satnogs.toml"
    path.write_text(network_toml(antennas), encoding="utf-8")
    again = load_network(path, include_bundled=False).antennas
    assert again == antennas


def test_bad_station_records_are_reported_with_id_and_field_and_the_good_kept():
    antennas, problems = read_network_stations(SAMPLES / "stations_bad.json")
    assert [a.id for a in antennas] == ["SATNOGS-2", "SATNOGS-6"]
    found = {(p.record, p.field) for p in problems}
    assert found == {("id=9001", "lat"), ("id=9002", "antenna[0].frequency"), ("id=2", "id"), ("id=9003", "lat")}
    assert any("95.0 is outside [-90, 90]" in str(p) for p in problems)
    assert all(str(SAMPLES / "stations_bad.json") in str(p) for p in problems)


def test_transmitter_frequencies_are_corrected_for_their_drift():
    transmitters, problems = read_transmitters(SAMPLES / "transmitters.json")
    assert problems == []
    so50 = next(t for t in transmitters if t.norad_id == 27607)
    assert so50.downlink_drift_ppb == -2300
    # 436.795 MHz x (1 - 2300e-9): 1004.6 Hz below the published value.
    assert so50.downlink_hz == pytest.approx(436_795_000 - 1004.6285, abs=1e-3)
    assert so50.uplink_hz == 145_850_000
    assert corrected_hz(None, 10) is None
    meteor = next(t for t in transmitters if t.norad_id == 40069)
    assert meteor.status == "inactive" and not meteor.usable


def test_bad_transmitter_records_are_reported_and_the_good_kept():
    transmitters, problems = read_transmitters(SAMPLES / "transmitters_bad.json")
    assert len(transmitters) == 2
    fields = sorted(p.field for p in problems)
    assert fields == ["downlink_drift", "downlink_low", "norad_cat_id", "uuid"]
    assert any("5000000 is outside [-100000, 100000]" in str(p) for p in problems)


def test_satellites_are_read_with_their_status():
    satellites, problems = read_satellites(SAMPLES / "satellites.json")
    assert problems == []
    assert {s.norad_id: s.status for s in satellites}[40069] == "dead"


@pytest.mark.parametrize("content, words", [
    ("not json", "not JSON"),
    ('{"detail": "Invalid token."}', "expected a JSON list"),
])
def test_an_export_that_is_not_a_list_of_records_is_refused(tmp_path, content, words):
    path = tmp_path / "x.json"
    path.write_text(content, encoding="utf-8")
    for reader in (read_network_stations, read_transmitters, read_satellites):
        with pytest.raises(InputFileError, match=words):
            reader(path)


def test_a_paginated_page_is_read_as_its_results(tmp_path):
    page = {"count": 1, "next": None, "previous": None, "results": json.loads((SAMPLES / "satellites.json").read_text())[:1]}
    path = tmp_path / "page.json"
    path.write_text(json.dumps(page), encoding="utf-8")
    satellites, _ = read_satellites(path)
    assert [s.norad_id for s in satellites] == [25544]


def test_a_device_is_refused():
    with pytest.raises(InputFileError, match="character device"):
        read_transmitters("/dev/zero")


def test_a_station_file_with_a_bad_frequency_range_names_the_field(tmp_path):
    from groundnet.errors import StationFileError

    path = tmp_path / "s.toml"
    path.write_text('[[antenna]]\nid = "X"\nlatitude_deg = 1\nlongitude_deg = 2\nfrequency_ranges_hz = [[440e6, 430e6]]\n')
    with pytest.raises(StationFileError, match="frequency_ranges_hz.*0 < low <= high"):
        load_network(path)
