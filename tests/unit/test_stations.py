import csv

import numpy as np
import pytest

from groundnet.errors import StationFileError, UnknownStationError
from groundnet.stations import load_network

ESTRACK_IDS = ["KIR-1", "RED-1", "CEB", "VIL-2", "MSP", "KRU-1", "MLG", "NNO-1", "SMA", "MLI"]


def test_bundled_network_matches_reference_file(shared_data):
    net = load_network()
    ref = list(csv.DictReader(open(shared_data / "stations_reference.csv", encoding="utf-8")))
    assert net.ids() == [r["id"] for r in ref]
    for r in ref:
        a = net.get(r["id"])
        assert a.latitude_deg == pytest.approx(float(r["lat_deg"]), abs=1e-9)
        assert a.longitude_deg == pytest.approx(float(r["lon_deg"]), abs=1e-9)
        # The positions' sources as the reference gives them; bands and roles were completed here since.
        assert a.source.startswith(r["source"].split("; bands: not confirmed")[0])
    for sid in ESTRACK_IDS + ["DSS-14", "DSS-43", "DSS-63"]:
        assert net.get(sid)
    assert net.get("cEb").id == "CEB"
    assert net.get("CEB").min_elevation_deg == 10.0


def test_itrs_position_of_dss14_matches_dsn_cartesian():
    # DSN 810-005 301 Rev. P, DSS-14 ITRF93 (m): -2353621.420, -4641341.472, 3677052.318
    xyz = load_network().get("DSS-14").itrs_km * 1000.0
    assert np.allclose(xyz, [-2353621.420, -4641341.472, 3677052.318], atol=0.5)


def test_unknown_station_names_the_known_ones():
    with pytest.raises(UnknownStationError, match="KIR-1"):
        load_network().get("NOPE")


def test_user_file_adds_and_overrides(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text(
        """
[[antenna]]
id = "ROOF-1"
latitude_deg = 52.2
longitude_deg = 4.42
bands = ["S"]
horizon_mask = [[90, 12], [0, 8], [180, 3]]

[[antenna]]
id = "KIR-1"
min_elevation_deg = 7.5
"""
    )
    net = load_network(f)
    roof = net.get("ROOF-1")
    assert roof.network == "user" and roof.bands == ("S",)
    assert roof.horizon_mask[0] == (0.0, 8.0)
    assert roof.elevation_floor_deg([0.0, 45.0, 135.0, 359.0]) == pytest.approx([8.0, 10.0, 7.5, 8.0], abs=0.1)
    assert net.get("KIR-1").min_elevation_deg == 7.5
    assert net.get("KIR-1").latitude_deg == pytest.approx(67.8571278)


@pytest.mark.parametrize(
    "body, field",
    [
        ('[[antenna]]\nid = "X"\nlatitude_deg = 95\nlongitude_deg = 0\n', "latitude_deg"),
        ('[[antenna]]\nid = "X"\nlongitude_deg = 0\n', "latitude_deg"),
        ('[[antenna]]\nid = "X"\nlatitude_deg = 1\nlongitude_deg = 0\ncolour = "red"\n', "colour"),
        ('[[antenna]]\nid = "X"\nlatitude_deg = 1\nlongitude_deg = 0\nhorizon_mask = [[400, 1]]\n', "horizon_mask"),
        ('[[antenna]]\nid = "X"\nlatitude_deg = "north"\nlongitude_deg = 0\n', "latitude_deg"),
        ("[station]\n", "antenna"),
    ],
)
def test_user_file_errors_name_the_field(tmp_path, body, field):
    f = tmp_path / "bad.toml"
    f.write_text(body)
    with pytest.raises(StationFileError) as exc:
        load_network(f)
    assert exc.value.field == field
    assert str(f) in str(exc.value)


def test_user_file_not_toml(tmp_path):
    f = tmp_path / "bad.toml"
    f.write_text("[[antenna]\nid=")
    with pytest.raises(StationFileError, match="not valid TOML"):
        load_network(f)


def test_select_by_pattern():
    net = load_network()
    assert [a.id for a in net.select("DSS-1*")] == [i for i in net.ids() if i.startswith("DSS-1")]
    assert [a.id for a in net.select("kir-*,CEB")] == [i for i in net.ids() if i.startswith("KIR-")] + ["CEB"]
    with pytest.raises(UnknownStationError):
        net.select("NOPE-*")
