"""The seeded station generator: deterministic, on land, spread out, readable as a station file."""

import numpy as np
import pytest

from groundnet.cli import main
from groundnet.errors import GroundnetError
from groundnet.stations import load_network
from groundnet.stations.generate import generate_network


def _latlon(antennas):
    return np.array([a.latitude_deg for a in antennas]), np.array([a.longitude_deg for a in antennas])


@pytest.fixture(scope="module")
def network400():
    return generate_network(400, seed=1)


def test_same_seed_same_network_other_seed_other_network(network400):
    assert generate_network(400, seed=1) == network400
    assert generate_network(400, seed=2) != network400
    # A smaller count with the same seed is a different draw, but equally deterministic.
    assert generate_network(20, seed=1) == generate_network(20, seed=1)


def test_every_station_is_on_land_by_the_full_resolution_grid(network400):
    # The package's own lookup decompresses the full 1/120° grid: an independent check of our
    # streamed 0.1° lattice.
    from global_land_mask import globe

    lat, lon = _latlon(network400)
    assert globe.is_land(lat, lon).all()
    # Well-known seas stay empty: no station in the open Atlantic, Pacific or Indian Ocean.
    assert not globe.is_land(np.array([30.0, 0.0, -30.0]), np.array([-40.0, -140.0, 80.0])).any()


def test_stations_are_spread_over_the_land_masses(network400):
    lat, lon = _latlon(network400)
    assert len({a.id for a in network400}) == 400
    assert lat.min() >= -60 and lat.max() <= 75
    xyz = np.column_stack([np.cos(np.radians(lat)) * np.cos(np.radians(lon)),
                           np.cos(np.radians(lat)) * np.sin(np.radians(lon)), np.sin(np.radians(lat))])
    dots = xyz @ xyz.T
    np.fill_diagonal(dots, -1.0)
    nearest_km = np.degrees(np.arccos(dots.max(axis=1))) * 111.2
    # 400 stations over ~1.3e8 km² of land: about 570 km apart if evenly spread. Best-candidate
    # sampling keeps every pair well apart (pure random draws would put some within ~20 km).
    assert nearest_km.min() > 150
    # Every continent gets stations (boxes: N America, S America, Europe, Africa, Asia, Australia).
    boxes = [(15, 70, -170, -50), (-56, 12, -82, -34), (36, 70, -10, 40), (-35, 35, -18, 52),
             (10, 75, 60, 180), (-44, -10, 112, 154)]
    for s, n, w, e in boxes:
        assert ((lat >= s) & (lat <= n) & (lon >= w) & (lon <= e)).sum() >= 10, (s, n, w, e)


def test_cli_writes_a_station_file_the_network_loader_reads(tmp_path, network400):
    out = tmp_path / "stations.toml"
    with pytest.raises(SystemExit) as done:
        main(["stations", "generate", "--count", "400", "--seed", "1", "--output", str(out)])
    assert done.value.code == 0
    net = load_network(out)
    generated = [a for a in net if a.network == "generated"]
    assert [a.id for a in generated] == [a.id for a in network400]
    assert [(a.latitude_deg, a.longitude_deg) for a in generated] == [
        (a.latitude_deg, a.longitude_deg) for a in network400
    ]
    assert net.get("GEN-400").min_elevation_deg == 5.0
    assert len(net) == 400 + len(load_network())


def test_bad_arguments_say_what_is_wrong():
    with pytest.raises(GroundnetError, match="count"):
        generate_network(0)
    with pytest.raises(GroundnetError, match="latitude"):
        generate_network(5, min_latitude_deg=10, max_latitude_deg=-10)
