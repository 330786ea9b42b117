"""SatNOGS Network stations and SatNOGS DB transmitters and satellites, read into groundnet's terms."""

from __future__ import annotations

import json

import pytest

from groundnet.errors import InputFileError
from groundnet.interop.satnogs import corrected_hz, read_network_stations, read_satellites, read_transmitters
from groundnet.stations import load_network
from groundnet.stations.network import network_toml

from .conftest import SAMPLES

CATALOG = SAMPLES.parents[1].parent / "shared" / "data" / "catalog" / "celestrak_active_3le_2026-05-07.txt"


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


def test_a_transmitter_becomes_links_with_band_drift_corrected_frequency_and_baud():
    from groundnet.interop.satnogs import transmitter_links

    found, _ = read_transmitters(SAMPLES / "transmitters.json")
    so50 = next(t for t in found if t.norad_id == 27607)
    down, up = transmitter_links(so50)
    assert (down.band, down.direction, down.near_earth) == ("UHF", "down", True)
    assert down.frequency_hz == pytest.approx(436795000 * (1 - 2300e-9))
    assert (up.band, up.frequency_hz) == ("VHF", 145850000)
    beacon = next(t for t in found if t.norad_id == 24278)
    down, up = transmitter_links(beacon)
    assert down.data_rate_bps == 12 and up is None


def test_the_fleet_takes_satnogs_links_and_the_jobs_satellites():
    from groundnet.interop.satnogs import fleet_with_satnogs, job_contacts, tle_lines
    from groundnet.missions import load_fleet
    from groundnet.orbits.catalog import load_catalog

    found, _ = read_transmitters(SAMPLES / "transmitters.json")
    fleet = [s for s in load_fleet() if s.id in ("ISS", "SENTINEL-2B")]
    so50_elements = load_catalog(CATALOG).by_id()[27607]
    line1, line2 = tle_lines(so50_elements)
    jobs = [{"id": 9, "norad_cat_id": 27607, "tle0": so50_elements.name, "tle1": line1, "tle2": line2,
             "frequency": 436793995, "mode": "FM", "baud": None, "transmitter": "tzvNPnQgZfuX6w7KYnk65p",
             "ground_station": 6, "start": "2026-05-08T00:53:11Z", "end": "2026-05-08T00:59:37Z"},
            {"id": 10, "norad_cat_id": 25544, "tle0": "ISS", "tle1": "", "tle2": "", "frequency": 145825000,
             "mode": "AFSK", "baud": 1200, "transmitter": "NBTj56vc8Rf5aF47VU6H7d", "ground_station": 6,
             "start": "2026-05-08T01:01:00Z", "end": "2026-05-08T01:08:00Z"}]
    out, links = fleet_with_satnogs(fleet, transmitters=found, jobs=jobs)
    by_id = {s.id: s for s in out}
    assert set(by_id) == {"ISS", "SENTINEL-2B", "NORAD-27607"}  # the ISS is in the fleet already
    assert by_id["ISS"].downlink.band == "S" and links["ISS"].downlink_hz == 145825000  # the S-band mission link stays
    assert "SENTINEL-2B" not in links and by_id["SENTINEL-2B"] is next(s for s in fleet if s.id == "SENTINEL-2B")
    so50 = by_id["NORAD-27607"]
    assert so50.is_earth_orbiter and so50.elements.epoch_unix == pytest.approx(so50_elements.epoch_unix, abs=1e-3)
    assert (so50.mission, so50.downlink.band, so50.uplink.frequency_hz) == ("SatNOGS", "UHF", 145850000)
    assert links["NORAD-27607"].downlink_drift_ppb == -2300 and "CC BY-SA" in so50.links_source
    # Without transmitters the job's own frequency, mode and baud give the link.
    _, from_jobs = fleet_with_satnogs([], jobs=jobs[:1])
    assert (from_jobs["NORAD-27607"].downlink_hz, from_jobs["NORAD-27607"].mode) == (436793995, "FM")

    # Each job is a contact of its station; its teardown (the time for the uploads) stops at the next job there.
    first, second = job_contacts(jobs, {n: s.id for s in out for n in [s.norad_id]})
    assert (first.id, first.antenna_id, first.spacecraft_id, first.mission) == (
        "satnogs-9", "SATNOGS-6", "NORAD-27607", "SatNOGS")
    assert first.setup_start == first.start and first.teardown_end == second.start
    assert second.spacecraft_id == "ISS" and second.teardown_end == second.end + 300
