"""Properties of the pass search (hypothesis), checked against the exact SGP4 elevation.

The object pool mixes every kind of orbit of the real 2023-10-09 catalog: LEO, MEO, GEO, HEO
(Molniya, GTO) and decaying objects.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groundnet.orbits.catalog import load_catalog
from groundnet.stations import load_network
from groundnet.visibility.geometry import look
from groundnet.visibility.passes import PassTable, find_passes

DAY0 = 1696896000.0  # 2023-10-10T00:00:00Z
THRESHOLD_TOLERANCE_DEG = 0.01
ESTRACK = "KIR-1,RED-1,CEB,VIL-2,MSP,KRU-1,MLG,NNO-1,SMA,MLI"


@pytest.fixture(scope="module")
def pool(shared_data):
    elements = load_catalog(shared_data / "catalog" / "spacetrack_full_catalog_3le_2023-10-09.txt").elements
    period = np.array([e.period_min for e in elements])
    ecc = np.array([e.eccentricity for e in elements])
    rng = np.random.default_rng(7)
    kinds = [
        (period < 130) & (ecc < 0.1),  # LEO
        (period > 300) & (period < 1300) & (ecc < 0.1),  # MEO
        (np.abs(period - 1436) < 10) & (ecc < 0.01),  # GEO
        (np.abs(period - 718) < 20) & (ecc > 0.6),  # Molniya
        (ecc > 0.5) & (period < 700),  # GTO and other eccentric
    ]
    chosen = np.concatenate([rng.choice(np.flatnonzero(k), 8, replace=False) for k in kinds])
    return [elements[i] for i in chosen]


@pytest.fixture(scope="module")
def antennas():
    return load_network().select(ESTRACK)


def _elevation(elements_by_id, antennas_by_id, table: PassTable, which: str) -> np.ndarray:
    out = np.empty(len(table))
    for i in range(len(table)):
        e, a = elements_by_id[table.object_id[i]], antennas_by_id[table.station_id[i]]
        out[i] = look([e], [a], [getattr(table, which)[i]])[0].elevation_deg[0, 0, 0]
    return out


def _check_table(table: PassTable, elements, antennas, threshold: float, start: float, end: float):
    by_id = {e.norad_id: e for e in elements}
    ants = {a.id: a for a in antennas}
    assert (np.diff(table.aos) >= 0).all(), "sorted by AOS"
    unclipped = ~table.aos_clipped & ~table.los_clipped
    assert (table.aos[unclipped] < table.tca[unclipped]).all()
    assert (table.tca[unclipped] < table.los[unclipped]).all()
    assert (table.aos <= table.tca).all() and (table.tca <= table.los).all()
    assert (table.aos >= start).all() and (table.los <= end).all()
    assert (table.aos[table.aos_clipped] == start).all() and (table.los[table.los_clipped] == end).all()
    for oid in np.unique(table.object_id):
        for sid in np.unique(table.station_id):
            sel = (table.object_id == oid) & (table.station_id == sid)
            aos, los = table.aos[sel], table.los[sel]
            assert (los[:-1] < aos[1:]).all(), "passes of a pair are disjoint"
    for which, clipped in (("aos", table.aos_clipped), ("los", table.los_clipped)):
        sub = table.take(~clipped)
        el = _elevation(by_id, ants, sub, which)
        assert np.abs(el - threshold).max(initial=0.0) < THRESHOLD_TOLERANCE_DEG, (which, el)
    el_tca = _elevation(by_id, ants, table, "tca")
    assert np.abs(el_tca - table.max_elevation_deg).max(initial=0.0) < THRESHOLD_TOLERANCE_DEG


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    picks=st.lists(st.integers(0, 39), min_size=1, max_size=6, unique=True),
    station=st.integers(0, 9),
    start_offset_h=st.floats(0.0, 24.0),
    length_h=st.floats(0.5, 30.0),
    threshold=st.floats(0.0, 30.0),
)
def test_passes_are_ordered_disjoint_and_at_the_threshold(pool, antennas, picks, station, start_offset_h,
                                                          length_h, threshold):
    elements = [pool[i] for i in picks]
    ants = [antennas[station]]
    start = DAY0 + start_offset_h * 3600.0
    end = start + length_h * 3600.0
    table = find_passes(elements, ants, start, end, min_elevation_deg=threshold)
    _check_table(table, elements, ants, threshold, start, end)


def test_no_visible_instant_outside_the_passes(pool, antennas):
    """Dense 10 s sampling of the exact elevation: every instant above the threshold is in a pass."""
    start, end = DAY0, DAY0 + 86400.0
    table = find_passes(pool, antennas, start, end, min_elevation_deg=5.0)
    t = np.arange(start, end, 10.0)
    angles, states = look(pool, antennas, t)
    for s, a in enumerate(antennas):
        for o, e in enumerate(pool):
            visible = angles.elevation_deg[s, o] >= 5.0 + 1e-6
            sel = (table.object_id == e.norad_id) & (table.station_id == a.id)
            inside = np.zeros(t.size, bool)
            for aos, los in zip(table.aos[sel], table.los[sel]):
                inside |= (t >= aos - 1e-3) & (t <= los + 1e-3)
            assert not (visible & ~inside).any(), (e.norad_id, e.name, a.id, t[visible & ~inside][:3])


def test_grazing_passes_are_found(pool, antennas):
    """Lift the threshold to 0.011 deg under each pass's peak: the pass must still be there."""
    base = find_passes(pool, antennas, DAY0, DAY0 + 43200.0, min_elevation_deg=5.0)
    inner = base.take(~base.aos_clipped & ~base.los_clipped)
    rng = np.random.default_rng(3)
    by_id = {e.norad_id: e for e in pool}
    ants = {a.id: a for a in antennas}
    for i in rng.choice(len(inner), 40, replace=False):
        peak = inner.max_elevation_deg[i]
        e, a = by_id[inner.object_id[i]], ants[inner.station_id[i]]
        graze = find_passes([e], [a], DAY0, DAY0 + 43200.0, min_elevation_deg=peak - 0.011)
        assert np.abs(graze.tca - inner.tca[i]).min(initial=1e9) < 5.0, (e.norad_id, a.id, peak)


def test_a_geostationary_object_gives_one_window_clipped_at_both_ends(pool, antennas):
    geo = [e for e in pool if abs(e.period_min - 1436) < 10]
    table = find_passes(geo, antennas, DAY0, DAY0 + 86400.0, min_elevation_deg=5.0)
    always = table.take(table.aos_clipped & table.los_clipped)
    assert len(always) > 0
    for oid, sid in zip(always.object_id, always.station_id):
        assert ((table.object_id == oid) & (table.station_id == sid)).sum() == 1
    # TCA of a near-stationary object: the time of its highest elevation in the window.
    by_id, ants = {e.norad_id: e for e in geo}, {a.id: a for a in antennas}
    t = np.arange(DAY0, DAY0 + 86400.0 + 1.0, 300.0)
    for i in range(len(always)):
        e, a = by_id[always.object_id[i]], ants[always.station_id[i]]
        el = look([e], [a], t)[0].elevation_deg[0, 0]
        assert always.max_elevation_deg[i] >= el.max() - 1e-4
        at_tca = look([e], [a], [always.tca[i]])[0].elevation_deg[0, 0, 0]
        assert abs(at_tca - always.max_elevation_deg[i]) < 1e-4


def test_chunks_of_objects_or_stations_give_the_same_table(pool, antennas):
    start, end = DAY0 + 3600.0, DAY0 + 3600.0 + 86400.0
    whole = find_passes(pool, antennas, start, end)
    by_objects = PassTable.concat([find_passes(pool[i::3], antennas, start, end) for i in range(3)]).sort()
    by_stations = PassTable.concat([find_passes(pool, [a], start, end) for a in antennas]).sort()
    for other in (by_objects, by_stations):
        assert whole.to_rows() == other.to_rows()
        np.testing.assert_array_equal(whole.aos, other.aos)
        np.testing.assert_array_equal(whole.tca, other.tca)


def test_horizon_mask_and_minimum_elevation_are_honoured(pool, antennas):
    masked = replace(antennas[0], horizon_mask=((0.0, 12.0), (90.0, 3.0), (180.0, 20.0), (270.0, 8.0)),
                     min_elevation_deg=5.0)
    table = find_passes(pool, [masked], DAY0, DAY0 + 86400.0)
    assert len(table) > 10
    by_id = {e.norad_id: e for e in pool}
    for which, clipped, az in (("aos", table.aos_clipped, table.aos_azimuth_deg),
                               ("los", table.los_clipped, table.los_azimuth_deg)):
        for i in np.flatnonzero(~clipped):
            e = by_id[table.object_id[i]]
            angles, _ = look([e], [masked], [getattr(table, which)[i]])
            floor = float(masked.elevation_floor_deg(angles.azimuth_deg[0, 0, 0]))
            assert abs(angles.elevation_deg[0, 0, 0] - floor) < THRESHOLD_TOLERANCE_DEG
            assert abs(angles.azimuth_deg[0, 0, 0] - az[i]) < 0.01
