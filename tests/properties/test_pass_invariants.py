"""Invariants of every pass, over horizon masks, orbits and windows (hypothesis), each checked
against the exact SGP4 elevation (``geometry.look``): AOS <= TCA <= LOS, the maximum elevation
is reached inside [AOS, LOS] and is at or above the usable elevation there; and no sample after
an element set's first SGP4 failure counts as visible."""

from __future__ import annotations

import math
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sgp4.api import WGS72
from sgp4.model import Satrec as ReferenceSatrec

from groundnet.orbits.catalog import load_catalog
from groundnet.orbits.elements import SGP4_EPOCH_JD
from groundnet.orbits.propagation import first_failures, secular_coefficients
from groundnet.stations.network import Antenna
from groundnet.timebase import UNIX_EPOCH_JD, unix_to_jd
from groundnet.visibility.geometry import look
from groundnet.visibility.passes import find_passes

DAY0 = 1696896000.0  # 2023-10-10T00:00:00Z
TOLERANCE_DEG = 0.01
STEPPED_MASK = ((0, 0), (44, 0), (45, 10), (135, 10), (136, 0))


def _paris(mask=STEPPED_MASK, min_elevation_deg=0.0):
    return Antenna("PAR", "Paris", "TEST", 48.85, 2.35, 35.0, min_elevation_deg=min_elevation_deg, horizon_mask=mask)


def _check_passes(table, elements, antenna, start, end, samples=200):
    """Every invariant of every pass of ``table`` against SGP4's own elevation."""
    by_id = {e.norad_id: e for e in elements}
    assert (table.aos <= table.tca).all() and (table.tca <= table.los).all(), "AOS <= TCA <= LOS"
    assert (table.aos >= start).all() and (table.los <= end).all()
    for i in range(len(table)):
        e = by_id[int(table.object_id[i])]
        t = np.linspace(table.aos[i], table.los[i], samples)
        angles, _ = look([e], [antenna], np.append(t, table.tca[i]))
        el, az = angles.elevation_deg[0, 0], angles.azimuth_deg[0, 0]
        # The maximum elevation is the elevation at TCA, and nothing in the window is higher.
        assert abs(el[-1] - table.max_elevation_deg[i]) < TOLERANCE_DEG, (e.norad_id, el[-1], table.max_elevation_deg[i])
        assert el[:-1].max() <= table.max_elevation_deg[i] + TOLERANCE_DEG
        # ... and it is usable: at or above the antenna's floor at TCA's azimuth (at a step of the
        # mask, two points at one azimuth, the floor on either side: TCA is known to milliseconds).
        floor = antenna.elevation_floor_deg(az[-1] + np.array([-TOLERANCE_DEG, 0.0, TOLERANCE_DEG])).min()
        assert el[-1] >= floor - TOLERANCE_DEG, (e.norad_id, el[-1], az[-1])


def test_stepped_mask_keeps_tca_inside_the_window():
    """The ISS over Paris behind a 10 deg wall from 45 to 135 deg azimuth: the pass setting behind
    the wall at 00:35:46 had TCA at 00:36:04 (after LOS) and its elevation from outside the window."""
    iss = [e for e in load_catalog("demo").elements if e.norad_id == 25544]
    start = iss[0].epoch_unix
    table = find_passes(iss, [_paris()], start, start + 5 * 86400.0)
    assert len(table) > 20
    _check_passes(table, iss, _paris(), start, start + 5 * 86400.0)


@pytest.mark.parametrize("norad_id, mask, minimum, start, end", [
    # Rising behind a ramp to a 25 deg peak at 308 deg: DELTA 1 DEB dips behind the peak for a
    # minute between two search samples 240 s apart (it was one window, TCA in the hidden part).
    (21461, ((0.0, 0.0), (154.0, 0.0), (308.0, 25.0)), 0.0, DAY0, DAY0 + 19 * 3600.0),
    # A maximum at the corner where the mask rises above the minimum elevation, near the zenith
    # (TCA was 0.9 s from the maximum elevation it reported).
    (57390, ((0.0, 0.0), (4.5, 0.0), (91.4, 5.2)), 3.9631067833111153, 1696981683.5474036, 1697048606.8207364),
    # A wall given as two points at one azimuth, passed from both sides.
    (57390, ((0.0, 0.0), (206.9, 0.0), (300.0, 12.6), (300.0, 0.0)), 0.0, DAY0, 1696920458.8584938),
])
def test_windows_behind_mask_peaks_and_corners(full_catalog, norad_id, mask, minimum, start, end):
    elements = [e for e in full_catalog if e.norad_id == norad_id]
    antenna = _paris(mask, minimum)
    table = find_passes(elements, [antenna], start, end)
    assert len(table) > 2
    _check_passes(table, elements, antenna, start, end, samples=400)


@pytest.fixture(scope="module")
def pool(full_catalog):
    period = np.array([e.period_min for e in full_catalog])
    ecc = np.array([e.eccentricity for e in full_catalog])
    rng = np.random.default_rng(12)
    kinds = [(period < 130) & (ecc < 0.1), (period > 300) & (period < 1300) & (ecc < 0.1),
             (np.abs(period - 1436) < 10) & (ecc < 0.01), (ecc > 0.5)]
    chosen = np.concatenate([rng.choice(np.flatnonzero(k), 6, replace=False) for k in kinds])
    return [full_catalog[i] for i in chosen]


masks = st.lists(st.tuples(st.floats(0.0, 359.0), st.floats(0.0, 25.0)), min_size=1, max_size=8).map(
    lambda pts: tuple(sorted(((round(a, 1), round(e, 1)) for a, e in pts), key=lambda p: p[0])))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(picks=st.lists(st.integers(0, 23), min_size=1, max_size=4, unique=True), mask=masks,
       minimum=st.floats(0.0, 10.0), start_offset_h=st.floats(0.0, 24.0), length_h=st.floats(1.0, 30.0))
def test_tca_and_maximum_are_inside_and_usable_for_any_mask(pool, picks, mask, minimum, start_offset_h, length_h):
    elements = [pool[i] for i in picks]
    antenna = _paris(mask, minimum)
    start = DAY0 + start_offset_h * 3600.0
    end = start + length_h * 3600.0
    table = find_passes(elements, [antenna], start, end)
    _check_passes(table, elements, antenna, start, end, samples=80)


# --------------------------------------------------------------------------------------------
# SGP4 failures


def test_secular_drag_coefficients_are_sgp4s_own(full_catalog):
    """The vectorised secular model against python-sgp4's reference implementation of sgp4init."""
    rng = np.random.default_rng(5)
    sample = [full_catalog[i] for i in rng.choice(len(full_catalog), 200, replace=False)]
    ours = secular_coefficients(sample)
    checked = 0
    for j, e in enumerate(sample):
        if not ours["near_earth"][j]:
            continue
        ref = ReferenceSatrec()
        xpdotp = 1440.0 / (2.0 * math.pi)
        ref.sgp4init(WGS72, "i", 0, e.epoch_unix / 86400.0 + UNIX_EPOCH_JD - SGP4_EPOCH_JD, e.bstar, 0.0, 0.0, e.eccentricity,
                     math.radians(e.arg_perigee_deg), math.radians(e.inclination_deg), math.radians(e.mean_anomaly_deg),
                     e.mean_motion_rev_day / xpdotp, math.radians(e.raan_deg))
        names = ("cc1", "cc4", "d2", "d3", "d4") + (() if ref.isimp else ("cc5",))
        for name in names:
            assert getattr(ref, name) == pytest.approx(ours[name][j], rel=1e-9, abs=1e-300), (e.norad_id, name)
        assert ref.a == pytest.approx(ours["a_er"][j], rel=1e-12)
        checked += 1
    assert checked > 100


def test_first_failures_are_sgp4s_first_errors(full_catalog):
    """Against a plain one-minute SGP4 scan from each epoch (fast LEO objects with elements of the
    last ten days): every element set that fails in the scan is found, at its first failing time
    (to the scan's step); none is found that the scan does not see fail."""
    until = DAY0 + 86400.0
    fast = [e for e in full_catalog if e.mean_motion_rev_day > 15.9 and until - e.epoch_unix < 10 * 86400.0]
    found = first_failures(fast, until)
    failing = 0
    for i, e in enumerate(fast):
        t = np.arange(e.epoch_unix, until, 60.0)
        err, r, _ = e.satrec().sgp4_array(*unix_to_jd(t))
        bad = np.flatnonzero(err)
        if bad.size:
            failing += 1
            assert t[bad[0]] - 60.0 < found.time_unix[i] <= t[bad[0]], (e.norad_id, found.time_unix[i] - t[bad[0]])
            assert found.reason[i] == err[bad[0]] or found.reason[i] == 7
        else:
            assert not np.isfinite(found.time_unix[i]) or found.reason[i] == 7, e.norad_id
    assert failing > 20

def test_a_failure_time_does_not_depend_on_the_other_element_sets(full_catalog):
    """Each element set's failure is its own: computed alone, with the whole catalog or with a
    worker's share of it, the same instant (a shared bisection gave times up to 0.6 s apart, so
    a sliced run and one call could clip a pass differently)."""
    until = DAY0 + 3 * 86400.0
    whole = first_failures(full_catalog, until)
    failed = whole.failed()
    assert len(failed) > 250
    for k in (56312, 43851, 35742):
        i = next(j for j, e in enumerate(full_catalog) if e.norad_id == k)
        alone = first_failures([full_catalog[i]], until)
        assert alone.time_unix[0] == whole.time_unix[i] and alone.reason[0] == whole.reason[i], k
    share = failed[::7]
    np.testing.assert_array_equal(first_failures([full_catalog[i] for i in share], until).time_unix,
                                  whole.time_unix[share])


@pytest.mark.parametrize("norad_id", [40377, 43938])
def test_no_pass_after_a_decay(full_catalog, norad_id):
    """FIREBIRD 3 and ALE-1 decay in SGP4 (error 6) days after their epochs; SGP4 then returns
    states again without an error code, which gave passes after the decay."""
    element = next(e for e in full_catalog if e.norad_id == norad_id)
    stations = [a for a in _estrack()]
    start = element.epoch_unix
    warnings: list[str] = []
    table = find_passes([element], stations, start, start + 10 * 86400.0, warn=warnings.append)
    failure = first_failures([element], start + 10 * 86400.0)
    assert np.isfinite(failure.time_unix[0]) and failure.reason[0] == 6
    assert len(table) > 10 and (table.los <= failure.time_unix[0]).all()
    assert len(warnings) == 1 and str(norad_id) in warnings[0] and "SGP4 error 6" in warnings[0] and "2023-" in warnings[0]


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pick=st.integers(0, 59), offset_days=st.floats(-1.0, 6.0), length_days=st.floats(0.2, 4.0))
def test_no_visible_sample_after_a_failure(decaying, pick, offset_days, length_days):
    element, failed_at = decaying[pick]
    start = element.epoch_unix + offset_days * 86400.0
    end = start + length_days * 86400.0
    table = find_passes([element], _estrack(), start, end)
    assert (table.los <= failed_at + 1e-6).all()


@pytest.fixture(scope="module")
def decaying(full_catalog):
    leo = [e for e in full_catalog if e.mean_motion_rev_day > 15.9]
    found = first_failures(leo, DAY0)
    failed = [(leo[i], found.time_unix[i]) for i in found.failed()]
    assert len(failed) >= 60
    rng = np.random.default_rng(9)
    return [failed[i] for i in rng.choice(len(failed), 60, replace=False)]


def _estrack():
    from groundnet.stations import load_network

    return load_network().select("KIR-1,CEB,MLG,NNO-1,KRU-1")


def test_a_failure_inside_one_call_masks_every_later_sample(full_catalog):
    """Without the precomputed failure time, ``Propagator.propagate`` still masks everything after
    the first failing sample it meets."""
    from groundnet.orbits.propagation import Propagator

    element = next(e for e in full_catalog if e.norad_id == 40377)
    t = element.epoch_unix + np.arange(0.0, 10 * 86400.0, 60.0)
    err, _, _ = element.satrec().sgp4_array(*unix_to_jd(t))
    first = np.flatnonzero(err)[0]
    assert (err[first:] == 0).any(), "SGP4 gives states again after the decay"
    states = Propagator([element]).propagate(t)
    assert states.valid[0, :first].all() and not states.valid[0, first:].any()
    assert (states.reason[0, first:] == 6).all()
