"""Edge cases of the compiled window search, each checked against the exact SGP4 elevation
(``geometry.look``, which shares nothing with the search but SGP4 itself): horizon masks (with
and without, in one call), windows that share a sample, block boundaries inside a pass, objects
that SGP4 stops propagating during the day, and the ``min_elevation_deg`` override."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from groundnet.orbits.propagation import OrbitShape
from groundnet.stations import load_network
from groundnet.visibility.geometry import look
from groundnet.visibility.passes import BLOCK_S, SEARCH_SUBDIVISION, find_passes, sgp4_step_s

DAY0 = 1696896000.0  # 2023-10-10T00:00:00Z, the day after the catalog's epoch
TOLERANCE_DEG = 0.01  # the search's interpolation is good to about 0.002 deg seen from the ground
MASK = ((0.0, 12.0), (90.0, 3.0), (180.0, 20.0), (270.0, 8.0))


@pytest.fixture(scope="module")
def leo(full_catalog):
    rng = np.random.default_rng(21)
    candidates = [e for e in full_catalog if 13.0 < e.mean_motion_rev_day < 16.0 and e.eccentricity < 0.02]
    return [candidates[i] for i in rng.choice(len(candidates), 12, replace=False)]


@pytest.fixture(scope="module")
def iss(full_catalog):
    return next(e for e in full_catalog if e.norad_id == 25544)


def _elevations(element, antenna, times):
    angles, _ = look([element], [antenna], np.asarray(times, dtype=np.float64))
    return angles.elevation_deg[0, 0], angles.azimuth_deg[0, 0]


def test_masked_passes_report_the_highest_elevation_not_the_highest_margin(leo):
    """TCA is the highest elevation in [AOS, LOS]; under a sloping mask that is not where the
    margin above the mask peaks (it was up to 10 deg lower before the search looked for the
    elevation's own maxima)."""
    vil = load_network().select("VIL-2")[0]
    masked = replace(vil, id="VIL-MASK", horizon_mask=MASK, min_elevation_deg=5.0)
    plain = replace(vil, min_elevation_deg=5.0)
    both = find_passes(leo, [masked, plain], DAY0, DAY0 + 86400.0)
    # An antenna without a mask gives the same passes whether or not a masked one is searched with it.
    alone = find_passes(leo, [plain], DAY0, DAY0 + 86400.0)
    with_plain = both.take(both.station_id == plain.id)
    assert with_plain.to_rows() == alone.to_rows()

    table = both.take(both.station_id == masked.id)
    assert len(table) > 30
    by_id = {e.norad_id: e for e in leo}
    for i in range(len(table)):
        e = by_id[table.object_id[i]]
        t = np.linspace(table.aos[i], table.los[i], 400)
        el, az = _elevations(e, masked, np.append(t, [table.tca[i], table.aos[i], table.los[i]]))
        assert el[:-3].max() <= table.max_elevation_deg[i] + TOLERANCE_DEG, (e.norad_id, el[:-3].max())
        assert abs(el[-3] - table.max_elevation_deg[i]) < TOLERANCE_DEG
        # The ends are on the mask, at the azimuth reported.
        for j, reported in ((-2, table.aos_azimuth_deg[i]), (-1, table.los_azimuth_deg[i])):
            if not (table.aos_clipped[i] if j == -2 else table.los_clipped[i]):
                assert abs(el[j] - float(masked.elevation_floor_deg(az[j]))) < TOLERANCE_DEG
                assert abs(az[j] - reported) < 0.01


def test_windows_sharing_samples_behind_a_mask_peak(iss):
    """A query of two search intervals centred on a high pass, with a narrow mask peak where the
    object is at the middle sample: every antenna sees two windows in three samples (the
    search's window arrays must grow: this wrote past them and corrupted the heap)."""
    vil = load_network().select("VIL-2")[0]
    day = find_passes([iss], [vil], DAY0, DAY0 + 86400.0, min_elevation_deg=0.0)
    top = int(np.argmax(day.max_elevation_deg))
    h = float(sgp4_step_s(OrbitShape.of([iss]))[0]) / SEARCH_SUBDIVISION
    start, tca = day.tca[top] - h, day.tca[top]
    el, az = _elevations(iss, vil, [start, tca, start + 2 * h])
    assert el[0] > 1.0 and el[2] > 1.0 and el[1] > 30.0  # above the 0 deg floor at the ends
    peak = ((az[1] - 3.0) % 360.0, 0.0), (az[1] % 360.0, 89.0), ((az[1] + 3.0) % 360.0, 0.0)
    antennas = [replace(vil, id=f"VIL-{j}", min_elevation_deg=0.0, horizon_mask=peak) for j in range(6)]
    table = find_passes([iss], antennas, start, start + 2 * h)
    assert len(table) == 2 * len(antennas)
    for a in antennas:
        mine = table.take(table.station_id == a.id)
        assert mine.aos_clipped.tolist() == [True, False] and mine.los_clipped.tolist() == [False, True]
        assert mine.los[0] < tca < mine.aos[1]
        # Each window's highest point: the elevation is highest next to the mask's peak.
        for i in range(2):
            t = np.linspace(mine.aos[i], mine.los[i], 200)
            assert _elevations(iss, a, t)[0].max() <= mine.max_elevation_deg[i] + TOLERANCE_DEG


def test_a_block_boundary_inside_a_pass_leaves_one_pass(iss):
    """Two day-long blocks whose boundary falls at a pass's TCA, just after its AOS, just before
    its LOS: the pieces are joined into the one pass, its ends on the threshold."""
    vil = load_network().select("VIL-2")[0]
    day = find_passes([iss], [vil], DAY0, DAY0 + 86400.0)
    assert len(day) >= 3
    cases = ((0, day.tca[0]), (1, day.aos[1] + 0.2), (len(day) - 1, day.los[-1] - 0.2))
    for i, edge in cases:
        two_days = find_passes([iss], [vil], edge - BLOCK_S, edge + BLOCK_S)
        assert not ((two_days.aos == edge) | (two_days.los == edge)).any()
        near = two_days.take(np.abs(two_days.aos - day.aos[i]) < 1.0)
        assert len(near) == 1 and not near.aos_clipped[0] and not near.los_clipped[0]
        assert near.aos[0] < edge < near.los[0]
        assert abs(near.aos[0] - day.aos[i]) < 0.05 and abs(near.los[0] - day.los[i]) < 0.05
        el, _ = _elevations(iss, vil, [near.aos[0], near.tca[0], near.los[0]])
        assert abs(el[0] - vil.min_elevation_deg) < TOLERANCE_DEG and abs(el[2] - vil.min_elevation_deg) < TOLERANCE_DEG
        assert abs(el[1] - near.max_elevation_deg[0]) < TOLERANCE_DEG
        assert abs(near.max_elevation_deg[0] - day.max_elevation_deg[i]) < TOLERANCE_DEG


def test_an_object_that_stops_propagating_ends_its_passes_before_the_failure(full_catalog):
    """AURORASAT (56312) on 2023-10-11: SGP4 gives sane states until about 08:55, then none (it
    re-enters). No pass reaches past the first failed state; every visible instant before it
    (but the last search samples next to it) is in a pass."""
    day = DAY0 + 86400.0
    sat = next(e for e in full_catalog if e.norad_id == 56312)
    stations = load_network().select("KIR-1,MLG,NNO-1,VIL-2,KRU-1,SMA")
    t = np.arange(day, day + 86400.0, 10.0)
    angles, states = look([sat], stations, t)
    assert states.valid[0, 0] and not states.valid[0, -1]
    first_bad = t[np.argmin(states.valid[0])]
    assert 8 * 3600 < first_bad - day < 10 * 3600
    iss = next(e for e in full_catalog if e.norad_id == 25544)
    table = find_passes([sat, iss], stations, day, day + 86400.0, min_elevation_deg=0.0)
    mine = table.take(table.object_id == sat.norad_id)
    assert len(mine) > 3 and (mine.los < first_bad).all()
    trusted = t < first_bad - 2 * float(sgp4_step_s(OrbitShape.of([sat]))[0])
    for s, a in enumerate(stations):
        sel = mine.station_id == a.id
        inside = np.zeros(t.size, bool)
        for aos, los in zip(mine.aos[sel], mine.los[sel]):
            inside |= (t >= aos - 1e-3) & (t <= los + 1e-3)
        visible = (angles.elevation_deg[s, 0] >= 1e-6) & trusted
        assert not (visible & ~inside).any(), (a.id, t[visible & ~inside][:3] - day)
    # The ISS, searched with it, is untouched.
    alone = find_passes([iss], stations, day, day + 86400.0, min_elevation_deg=0.0)
    assert table.take(table.object_id == 25544).to_rows() == alone.to_rows()


def test_the_elevation_override_replaces_the_mask(leo):
    vil = load_network().select("VIL-2")[0]
    masked = replace(vil, horizon_mask=MASK, min_elevation_deg=5.0)
    plain = replace(vil, horizon_mask=(), min_elevation_deg=5.0)
    overridden = find_passes(leo, [masked], DAY0, DAY0 + 43200.0, min_elevation_deg=2.0)
    reference = find_passes(leo, [plain], DAY0, DAY0 + 43200.0, min_elevation_deg=2.0)
    assert overridden.to_rows() == reference.to_rows() and len(reference) > 5
