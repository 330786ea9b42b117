"""The one entry point: every provider goes to its strategy, and the answer is one table."""

from __future__ import annotations

import numpy as np
import pytest

from groundnet.missions import get_spacecraft
from groundnet.orbits.trajectory import AtBodyTrajectory
from groundnet.stations import load_network
from groundnet.visibility.core import find_windows, usable_elevation_deg
from groundnet.visibility.deepspace import trajectory_pass_table
from groundnet.visibility.passes import PassTable
from groundnet.visibility.passes import find_passes

START = 1.7955e9
END = START + 2 * 86400.0


def _same(a, b):
    assert len(a) == len(b)
    for name in ("aos", "tca", "los", "max_elevation_deg", "aos_azimuth_deg", "los_azimuth_deg"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert a.object_id.tolist() == b.object_id.tolist() and a.station_id.tolist() == b.station_id.tolist()


def test_each_provider_goes_to_its_strategy_and_mixes_in_one_table():
    antennas = load_network().select("NNO-1,KIR-1")
    sentinel, mex = get_spacecraft("SENTINEL-2A"), get_spacecraft("MEX")
    mars = AtBodyTrajectory("mars barycenter", name="Mars", object_id="4", error_bound_km=0.0)
    # Element sets (also an Earth-orbiting spacecraft, under its own name) take the compiled search.
    by_elements = find_passes([sentinel.elements], antennas, START, END)
    _same(find_windows(sentinel, antennas, START, END), by_elements)
    _same(find_windows([sentinel.trajectory], antennas, START, END), by_elements)
    assert set(find_windows(sentinel, antennas, START, END).object_name) == {"Sentinel-2A"}
    # Trajectories and deep-space spacecraft take the light-time-corrected search.
    _same(find_windows(mars, antennas, START, END), trajectory_pass_table(mars, antennas, START, END))
    _same(find_windows(mex, antennas, START, END), trajectory_pass_table(mex.trajectory, antennas, START, END))
    # Mixed: numbers and text ids in one table, in the canonical order.
    mixed = find_windows([sentinel, mex, mars], antennas, START, END)
    assert set(mixed.object_id.tolist()) == {"40697", "MEX", "4"}
    assert np.all(np.diff(mixed.aos) >= 0)
    assert len(mixed) == len(by_elements) + 2 * len(find_windows(mex, antennas, START, END))


def test_one_usable_elevation_for_every_strategy():
    antenna = load_network().get("NNO-1")
    az = np.array([0.0, 90.0, 180.0, 270.0])
    np.testing.assert_array_equal(usable_elevation_deg(antenna, az), antenna.elevation_floor_deg(az))
    np.testing.assert_array_equal(usable_elevation_deg(antenna, az, 25.0), np.full(4, 25.0))
    with pytest.raises(TypeError, match="not a position provider"):
        find_windows(["nonsense"], [antenna], START, END)


def test_a_trajectory_fills_the_one_pass_table_with_the_columns_of_element_sets():
    antennas = load_network().select("NNO-1,KIR-1")
    mex, sentinel = get_spacecraft("MEX"), get_spacecraft("SENTINEL-2A")
    table = find_windows(mex, antennas, START, END)
    assert isinstance(table, PassTable) and len(table) >= 2
    assert set(table.object_id.tolist()) == {"MEX"} and set(table.station_id.tolist()) == {"NNO-1", "KIR-1"}
    assert np.isnan(table.elements_age_days).all()
    assert np.all(table.aos <= table.tca) and np.all(table.tca <= table.los)
    rows, sgp4_rows = table.to_rows(), find_windows(sentinel, antennas, START, END).to_rows()
    assert list(rows[0]) == list(sgp4_rows[0]) == list(PassTable.ROW_FIELDS)
    assert rows[0]["elements_age_days"] is None and sgp4_rows[0]["elements_age_days"] is not None
    # Nothing in the window: an empty table that still names the object and the antennas.
    empty = trajectory_pass_table(mex.trajectory, antennas, START, START)
    assert len(empty) == 0 and empty.labels.object_ids.tolist() == ["MEX"]
