"""The tracking core: rotator paths (wrap, overwind, flip, limits), Doppler against Skyfield, the gates."""

from __future__ import annotations

import numpy as np
import pytest

from groundnet.errors import SelectionError
from groundnet.orbits.catalog import load_catalog
from groundnet.stations import load_network
from groundnet.timebase import parse_utc
from groundnet.tracking import DopplerGate, Rotator, TargetTrack, angular_separation_deg, downlink_hz, plan_path, uplink_hz
from groundnet.tracking.pointing import parse_az_range

# High ISS passes of the bundled demo catalog (found with `groundnet passes`): over Villafranca
# (40.4 N) up to 82 deg, crossing north; over Maspalomas up to 87.6 deg, through the zenith's neighbourhood.
VIL_AOS, VIL_LOS = "2026-08-21T03:40:47.633Z", "2026-08-21T03:49:14.388Z"
MSP_AOS, MSP_LOS = "2026-08-22T02:48:39.364Z", "2026-08-22T02:57:04.998Z"
C_KM_S = 299792.458


@pytest.fixture(scope="module")
def iss():
    return next(e for e in load_catalog("demo").elements if e.norad_id == 25544)


def _track(iss, station, aos, los):
    return TargetTrack.from_elements(iss, load_network().get(station), parse_utc(aos).timestamp(),
                                     parse_utc(los).timestamp())


def _path(track, rotator, **kw):
    return plan_path(track.times_unix, track.azimuth_deg, track.elevation_deg, rotator, **kw)


def test_a_pass_across_north_unwinds_on_0_360_and_is_said(iss):
    track = _track(iss, "VIL-2", VIL_AOS, VIL_LOS)
    path = _path(track, Rotator(0, 360, 0, 90))
    assert path.unwinds == 1
    assert any("without unwinding" in w for w in path.warnings)


@pytest.mark.parametrize("az_range, el_max", [("0..450", 90), ("-180..180", 90), ("0..360", 180)])
def test_overwind_minus180_or_flip_keep_the_same_pass_without_unwinding(iss, az_range, el_max):
    track = _track(iss, "VIL-2", VIL_AOS, VIL_LOS)
    low, high = parse_az_range(az_range)
    path = _path(track, Rotator(low, high, 0, el_max))
    assert path.unwinds == 0
    assert not any("unwinding" in w for w in path.warnings)
    assert path.az_deg.min() >= low and path.az_deg.max() <= high
    # Every axis position points where the object is (the path is exact wherever it is not a plane sweep).
    assert np.max(angular_separation_deg(path.az_deg, path.el_deg, track.azimuth_deg, track.elevation_deg)) < 1e-6


def test_zenith_pass_without_flip_is_said_before_aos_and_flip_follows_it(iss):
    track = _track(iss, "MSP", MSP_AOS, MSP_LOS)
    plain = _path(track, Rotator(0, 450, 0, 90))
    assert any("cannot follow" in w and "azimuth" in w for w in plain.warnings)
    assert plain.needed_az_rate_deg_s > 20
    flipped = _path(track, Rotator(0, 450, 0, 180))
    assert flipped.any_flip and flipped.el_deg.max() > 90
    assert flipped.needed_az_rate_deg_s < 6 and flipped.needed_el_rate_deg_s < 6
    assert not flipped.warnings
    # Held in one vertical plane, the antenna is off by at most 90 deg minus the pass's peak (2.4 deg here).
    off = angular_separation_deg(flipped.az_deg, flipped.el_deg, track.azimuth_deg, track.elevation_deg)
    assert off.max() <= 90 - track.elevation_deg.max() + 0.05
    assert flipped.predicted_lag_deg.max() < plain.predicted_lag_deg.max() / 3


def test_low_pass_on_a_flip_rotator_is_not_flipped(iss):
    t0 = parse_utc("2026-08-21T00:00:00Z").timestamp()
    from groundnet.visibility.passes import find_passes

    vil = load_network().get("VIL-2")
    rows = [r for r in find_passes([iss], [vil], t0, t0 + 86400).to_rows() if r["max_elevation_deg"] < 30]
    track = _track(iss, "VIL-2", rows[0]["aos"], rows[0]["los"])
    path = _path(track, Rotator(-180, 540 - 180, 0, 180))
    assert not path.any_flip and path.el_deg.max() <= 90


def test_preposition_time_and_a_late_start_are_said(iss):
    track = _track(iss, "VIL-2", VIL_AOS, VIL_LOS)
    rot = Rotator(0, 450, 0, 90, 3.0, 3.0, park_az_deg=0, park_el_deg=90)
    early = _path(track, rot, lead_s=300)
    assert early.preposition_s > 20 and not any("pre-positioning" in w for w in early.warnings)
    late = _path(track, rot, lead_s=0)
    assert any("pre-positioning needs" in w for w in late.warnings)
    assert late.predicted_lag_deg[0] > 10 > early.predicted_lag_deg[0]


def test_elevation_limits_clip_the_axis(iss):
    track = _track(iss, "VIL-2", "2026-08-21T03:40:00Z", VIL_LOS)  # starts below the horizon
    path = _path(track, Rotator(0, 450, 0, 90))
    assert path.el_deg.min() >= 0


@pytest.mark.parametrize("text, message", [("0..100", "span 360"), ("north", "MIN..MAX")])
def test_bad_az_range_is_one_clear_error(text, message):
    with pytest.raises(SelectionError, match=message):
        parse_az_range(text)


def test_bad_rotator_is_one_clear_error():
    with pytest.raises(SelectionError, match="park position"):
        Rotator(0, 360, 0, 90, park_az_deg=400)
    with pytest.raises(SelectionError, match="az_rate_deg_s"):
        Rotator(0, 360, 0, 90, az_rate_deg_s=0)


def test_angular_separation_undoes_the_flip():
    assert angular_separation_deg(10.0, 100.0, 190.0, 80.0) == pytest.approx(0.0, abs=1e-9)
    assert angular_separation_deg(0.0, 0.0, 90.0, 0.0) == pytest.approx(90.0)
    assert angular_separation_deg(0.0, 90.0, 123.0, 90.0) == pytest.approx(0.0, abs=1e-6)


def test_doppler_matches_skyfield_within_a_hertz():
    """f(1 -/+ rdot/c) with the range rate from Skyfield's own SGP4 and frames, read from the same TLE text."""
    from datetime import datetime, timezone
    from importlib import resources

    from skyfield.api import EarthSatellite, load, wgs84

    text = resources.files("groundnet.data").joinpath("demo_catalog.tle").read_text()
    line1 = next(ln for ln in text.splitlines() if ln.startswith("1 25544"))
    line2 = next(ln for ln in text.splitlines() if ln.startswith("2 25544"))
    iss = next(e for e in load_catalog("demo").elements if e.norad_id == 25544)
    vil = load_network().get("VIL-2")
    track = _track(iss, "VIL-2", VIL_AOS, VIL_LOS)
    idx = np.arange(0, track.times_unix.size, 20)
    ts = load.timescale(builtin=True)
    t = ts.from_datetimes([datetime.fromtimestamp(x, timezone.utc) for x in track.times_unix[idx]])
    sat = EarthSatellite(line1, line2, ts=ts)
    site = wgs84.latlon(vil.latitude_deg, vil.longitude_deg, elevation_m=vil.altitude_m)
    *_, range_rate = (sat - site).at(t).frame_latlon_and_rates(site)
    rr = range_rate.km_per_s
    f = 145.8e6
    assert np.max(np.abs(downlink_hz(f, track.range_rate_km_s[idx]) - f * (1 - rr / C_KM_S))) < 1.0
    assert np.max(np.abs(uplink_hz(f, track.range_rate_km_s[idx]) - f * (1 + rr / C_KM_S))) < 1.0


def test_doppler_gate_sends_only_changes_of_a_step():
    gate = DopplerGate(10.0)
    assert gate.offer(145_800_000.4) == 145_800_000.0
    gate.sent(145_800_000.0)
    assert gate.offer(145_800_009.0) is None
    assert gate.offer(145_800_010.2) == 145_800_010.0
    gate.reset()
    assert gate.offer(145_800_001.0) == 145_800_001.0
    with pytest.raises(ValueError):
        DopplerGate(-1)
