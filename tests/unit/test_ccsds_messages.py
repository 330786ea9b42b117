"""CCSDS messages: every Blue Book example in ../shared/data/ccsds loads with its values; written
OEM and TDM read back to the same values (KVN and XML)."""

from __future__ import annotations

import numpy as np
import pytest

from groundnet.ccsds import parse_message, read_message
from groundnet.ccsds.times import format_epoch, parse_epoch, to_unix
from groundnet.ccsds.writer import oem_text, predicted_tdm_segments, tdm_text
from groundnet.stations import load_network
from groundnet.timebase import format_utc
from groundnet.visibility.deepspace import link_geometry

EXAMPLES = ["bb502_oem_g11.kvn", "bb502_oem_g14.xml", "bb502_omm_g10.xml", "bb502_omm_g7.kvn",
            "bb502_opm_g1.kvn", "bb502_opm_g5.xml", "bb503_tdm_e1.kvn", "bb503_tdm_e21.xml"]


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_blue_book_example_loads(shared_data, name):
    msg = read_message(shared_data / "ccsds" / name)
    assert msg.kind == name.split("_")[1].upper()
    assert msg.encoding == ("XML" if name.endswith(".xml") else "KVN")


def test_oem_kvn_values_and_segments(shared_data):
    oem = read_message(shared_data / "ccsds" / "bb502_oem_g11.kvn")
    assert len(oem.segments) == 2
    first, second = oem.segments
    assert (first.object_name, first.center_name, first.ref_frame) == ("MARS GLOBAL SURVEYOR", "MARS BARYCENTER", "EME2000")
    assert (first.interpolation, first.interpolation_degree) == ("HERMITE", 7)
    assert format_utc(first.epochs_unix[0]) == "2019-12-18T12:00:00.331Z"
    np.testing.assert_allclose(first.positions_km[0], [2789.619, -280.045, -1746.755])
    np.testing.assert_allclose(first.velocities_km_s[0], [4.73372, -2.49586, -1.04195])
    np.testing.assert_allclose(second.positions_km[0], [-2432.166, -63.042, 1742.754])  # "-063.042" in the file
    assert format_utc(second.useable_start_unix) == "2019-12-28T22:08:02.500Z"
    assert second.comments == ["This block begins after trajectory correction maneuver TCM-3."]


def test_oem_xml_keeps_accelerations(shared_data):
    oem = read_message(shared_data / "ccsds" / "bb502_oem_g14.xml")
    seg = oem.segments[0]
    assert seg.accelerations_km_s2 is not None
    np.testing.assert_allclose(seg.accelerations_km_s2[0], [0.008, 0.001, -0.159])
    assert oem.header.message_id == "OEM 201113719185"


def test_omm_day_of_year_epochs_and_elements(shared_data):
    kvn = read_message(shared_data / "ccsds" / "bb502_omm_g7.kvn")
    xml = read_message(shared_data / "ccsds" / "bb502_omm_g10.xml")
    assert format_utc(kvn.epoch_unix) == "2020-03-04T10:34:41.426Z"  # 2020-064 is 4 March (leap year)
    assert kvn.epoch_unix == xml.epoch_unix
    for key in ("MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE", "ARG_OF_PERICENTER", "MEAN_ANOMALY"):
        assert kvn.values[key] == xml.values[key]


def test_opm_state_and_spacecraft_parameters(shared_data):
    opm = read_message(shared_data / "ccsds" / "bb502_opm_g5.xml")
    assert opm.ref_frame == "ITRF1997"
    np.testing.assert_allclose(opm.position_km, [6503.514, 1239.647, -717.49])
    np.testing.assert_allclose(opm.velocity_km_s, [-0.87316, 8.74042, -4.191076])
    assert (opm.mass_kg, opm.drag_coeff) == (3000.0, 2.5)


def test_tdm_observations_and_quoted_participant(shared_data):
    kvn = read_message(shared_data / "ccsds" / "bb503_tdm_e1.kvn")
    seg = kvn.segments[0]
    t, f = seg.series("RECEIVE_FREQ_1")
    assert t.size == 30 and f[0] == 32021034790.7265
    assert seg.metadata["PATH"] == "2,1"
    xml = read_message(shared_data / "ccsds" / "bb503_tdm_e21.xml")
    assert xml.segments[0].metadata["PARTICIPANT_1"] == "DSS-25"  # written with typographic quotes in the file
    t, f = xml.segments[0].series("TRANSMIT_FREQ_1")
    assert t.size == 4 and np.all(f == 7167941264.0)


def test_epochs_in_other_time_systems():
    reading = parse_epoch("2020-01-01T00:00:37")
    assert to_unix(reading, "TAI") == pytest.approx(parse_epoch("2020-01-01T00:00:00"))
    assert to_unix(parse_epoch("2020-01-01T00:01:09.184"), "TT") == pytest.approx(parse_epoch("2020-01-01T00:00:00"))
    assert format_epoch(parse_epoch("2020-01-01T00:00:00"), "GPS") == "2020-01-01T00:00:18.000000"


def _jd_reading(jd1: float, jd2: float) -> float:
    """A two-part Julian date as seconds since 1970-01-01 of the same time scale."""
    return (jd1 - 2440587.5) * 86400.0 + jd2 * 86400.0


@pytest.mark.parametrize("scale, given, scale_to, expected", [
    # IAU SOFA's validation vectors (t_sofa.c: iauTcbtdb, iauTcgtt, iauTdbtcb), JD 2453750.5 + fraction.
    ("TCB", 0.893019599, "TDB", 0.8928551362746343397),
    ("TCG", 0.892862531, "TT", 0.8928551387488816828),
    ("TDB", 0.892855137, "TCB", 0.8930195997253656716),
])
def test_coordinate_time_systems_against_sofa(scale, given, scale_to, expected):
    unix = to_unix(_jd_reading(2453750.5, given), scale)
    assert unix == pytest.approx(float(to_unix(_jd_reading(2453750.5, expected), scale_to)), abs=1e-6)
    assert parse_epoch(format_epoch(float(unix), scale)) == pytest.approx(_jd_reading(2453750.5, given), abs=1e-6)


@pytest.mark.parametrize("encoding", ["KVN", "XML"])
def test_oem_round_trip_preserves_values(encoding):
    rng = np.random.default_rng(7)
    t = 1.8e9 + 60.0 * np.arange(12) + 0.123456
    p = rng.normal(0, 1e5, (12, 3))
    v = rng.normal(0, 10, (12, 3))
    text = oem_text(object_name="TEST SAT", object_id="2026-001A", times_unix=t, positions_km=p, velocities_km_s=v,
                    creation_unix=1.8e9, encoding=encoding, comments=["round trip <&> test"])
    oem = parse_message(text, "written")
    seg = oem.segments[0]
    assert oem.encoding == encoding and seg.object_name == "TEST SAT"
    np.testing.assert_array_equal(seg.positions_km, p)
    np.testing.assert_array_equal(seg.velocities_km_s, v)
    np.testing.assert_allclose(seg.epochs_unix, t, atol=1e-6)


@pytest.mark.parametrize("encoding", ["KVN", "XML"])
def test_tdm_of_predicted_tracking_round_trips(encoding):
    from groundnet.orbits.trajectory import AtBodyTrajectory

    mex = AtBodyTrajectory("mars", name="Mars Express", object_id="MEX", error_bound_km=15000)
    antenna = load_network().get("CEB")
    times = 1.79e9 + 600.0 * np.arange(6)
    g = link_geometry(mex, [antenna], times)
    segments = predicted_tdm_segments(g, participant="MEX", uplink_hz=7.15e9)
    text = tdm_text(segments, creation_unix=1.79e9, encoding=encoding)
    tdm = parse_message(text, "written")
    seg = tdm.segments[0]
    assert seg.metadata["PARTICIPANT_1"] == "CEB" and seg.metadata["TURNAROUND_NUMERATOR"] == "880"
    _, az = seg.series("ANGLE_1")
    _, el = seg.series("ANGLE_2")
    _, rng = seg.series("RANGE")
    _, rx = seg.series("RECEIVE_FREQ_1")
    np.testing.assert_array_equal(az, g.azimuth_deg[0])
    np.testing.assert_array_equal(el, g.elevation_deg[0])
    np.testing.assert_array_equal(rng, 0.5 * (g.upleg_range_km[0] + g.downleg_range_km[0]))
    np.testing.assert_array_equal(rx, g.two_way_downlink_hz(7.15e9)[0])


def test_one_way_tdm_like_the_blue_book_example(shared_data):
    from groundnet.orbits.trajectory import load_trajectory

    solo = load_trajectory(shared_data / "ephemerides" / "solo_ANC_soc-orbit_20200210-20301118_L006_V1_00018_V01.bsp")
    antenna = load_network().get("MLG")
    times = 1.7e9 + 60.0 * np.arange(5)
    g = link_geometry(solo, [antenna], times)
    downlink_hz = 32023442781.733  # the spacecraft reference of bb503_tdm_e1.kvn
    tdm = parse_message(tdm_text(predicted_tdm_segments(g, participant="SOLO", downlink_hz=downlink_hz, band="KA"),
                                 creation_unix=1.7e9), "one-way")
    seg = tdm.segments[0]
    example = read_message(shared_data / "ccsds" / "bb503_tdm_e1.kvn").segments[0]
    assert seg.metadata["PATH"] == example.metadata["PATH"] == "2,1"
    assert {"TRANSMIT_FREQ_2", "RECEIVE_FREQ_1"} <= set(seg.keywords) & set(example.keywords)
    _, rx = seg.series("RECEIVE_FREQ_1")
    _, rate = seg.series("DOPPLER_INSTANTANEOUS")
    # The received frequency is the transmitted one shifted by the range rate, to first order.
    np.testing.assert_allclose(rx - downlink_hz, -downlink_hz * rate / 299792.458, rtol=1e-4)
