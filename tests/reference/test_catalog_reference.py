"""Element sets from our readers propagate exactly as the ``sgp4`` package's own readers say.

References nobody here produced:
- ``sgp4.api.Satrec.twoline2rv`` (Vallado's C++ TLE reader as shipped by python-sgp4) for TLEs;
- ``sgp4.omm.initialize`` (python-sgp4's OMM reader) for CelesTrak OMM CSV, JSON and XML;
- CelesTrak's OMM CSV of 2026-08-22 against TLEs of the same epoch (the demo catalog, written
  from those records by python-sgp4's ``exporter.export_tle``).
"""

from __future__ import annotations

import csv
import json
import math

import numpy as np
import pytest
from sgp4 import omm as sgp4_omm
from sgp4.api import WGS72, Satrec

from groundnet.orbits import tle
from groundnet.orbits.catalog import load_catalog

ONE_METRE_KM = 1e-3
TEN_METRES_KM = 1e-2
TLE_FILES = [
    "catalog/spacetrack_full_catalog_3le_2023-10-09.txt",
    "catalog/celestrak_active_3le_2026-05-07.txt",
    "catalog/celestrak_groups_3le_2026-05-30/geo.tle",
]
OFFSETS_MIN = (0.0, 90.0, 1440.0)


def _positions(sat: Satrec) -> np.ndarray:
    out = []
    for minutes in OFFSETS_MIN:
        err, r, _ = sat.sgp4_tsince(minutes)
        out.append(r if err == 0 else (math.nan,) * 3)
    return np.array(out)


def _max_difference_km(ours: list[Satrec], theirs: list[Satrec]) -> tuple[float, int]:
    a = np.array([_positions(s) for s in ours])
    b = np.array([_positions(s) for s in theirs])
    both = np.isfinite(a).all(axis=-1) & np.isfinite(b).all(axis=-1)
    assert (np.isfinite(a).all(axis=-1) == np.isfinite(b).all(axis=-1)).all(), "SGP4 errors differ"
    return float(np.linalg.norm(a - b, axis=-1)[both].max()), int(both.sum())


def tle_difference_km(path) -> tuple[float, int, int]:
    """Largest position difference (km) between our reader and ``Satrec.twoline2rv``, positions
    compared, records."""
    lines = path.read_text().splitlines()
    records = [g for g in tle.group_tle_lines(enumerate(lines, 1)) if isinstance(g, tle.TleRecord)]
    ours = load_catalog(path).elements
    assert [e.line for e in ours] == [r.line_no for r in records]
    diff, n = _max_difference_km([e.satrec() for e in ours],
                                 [Satrec.twoline2rv(r.line1, r.line2, WGS72) for r in records])
    return diff, n, len(records)


@pytest.mark.parametrize("relpath", TLE_FILES)
def test_tle_reader_matches_sgp4_twoline2rv(shared_data, relpath):
    diff, n, records = tle_difference_km(shared_data / relpath)
    assert n > 0.99 * 3 * records
    # Both routes give the same epoch to ~1e-7 s; positions agree to well under a metre.
    assert diff < ONE_METRE_KM, f"{relpath}: {diff * 1e3:.3f} m"


def _sgp4_reference(fields: dict) -> Satrec:
    sat = Satrec()
    sgp4_omm.initialize(sat, {k: str(v) for k, v in fields.items()})
    return sat


@pytest.mark.parametrize("relpath", [
    "catalog/celestrak_active_omm_2026-08-22.csv",
    "catalog/celestrak_groups_omm_json_2025-05-24/stations.json",
    "catalog/celestrak_groups_omm_json_2025-05-24/weather.json",
    "catalog/celestrak_omm_xml_sample_globalstar_2026-02-20.xml",
])
def test_omm_reader_matches_sgp4_omm(shared_data, relpath):
    diff, n, rows = omm_difference_km(shared_data / relpath)
    assert n > 0.99 * 3 * rows
    assert diff < ONE_METRE_KM, f"{relpath}: {diff * 1e3:.3f} m"


def omm_difference_km(path) -> tuple[float, int, int]:
    """Largest position difference (km) between our reader and ``sgp4.omm``, positions compared, records."""
    if path.suffix == ".csv":
        with path.open(newline="") as f:
            rows = list(sgp4_omm.parse_csv(f))
    elif path.suffix == ".json":
        rows = json.loads(path.read_text())
    else:
        with path.open("rb") as f:
            rows = list(sgp4_omm.parse_xml(f))
    ours = load_catalog(path).elements
    assert [e.norad_id for e in ours] == [int(r["NORAD_CAT_ID"]) for r in rows]
    diff, n = _max_difference_km([e.satrec() for e in ours], [_sgp4_reference(r) for r in rows])
    return diff, n, len(rows)


def test_omm_and_tle_of_the_same_epoch_agree(shared_data):
    diff, n, records = omm_tle_difference_km(shared_data)
    assert n == 3 * records
    assert diff < TEN_METRES_KM, f"{diff * 1e3:.2f} m"


def omm_tle_difference_km(shared_data) -> tuple[float, int, int]:
    """Each demo-catalog TLE and the CelesTrak OMM record it was written from give the same orbit.

    No object in ../shared/data has a TLE and an OMM of identical epoch from CelesTrak itself, so
    the TLE side is python-sgp4's TLE writer applied to CelesTrak's OMM, read back by our TLE
    reader; the OMM side is our OMM reader. TLE rounding (epoch to 1e-8 day = 0.86 ms, B* to five
    digits) bounds the difference: a few metres at most over a day.
    """
    omm = load_catalog(shared_data / "catalog/celestrak_active_omm_2026-08-22.csv").by_id()
    demo = load_catalog("demo").elements
    assert len(demo) >= 30
    for e in demo:
        o = omm[e.norad_id]
        assert abs(e.epoch_unix - o.epoch_unix) < 0.5e-3  # the TLE epoch's rounding
        # Equal to half a unit of the TLE's last digit (CelesTrak's CSV carries an eighth eccentricity digit).
        for field, half_unit in (("inclination_deg", 5e-5), ("raan_deg", 5e-5), ("arg_perigee_deg", 5e-5),
                                 ("mean_anomaly_deg", 5e-5), ("eccentricity", 5e-8), ("mean_motion_rev_day", 5e-9)):
            assert abs(getattr(e, field) - getattr(o, field)) <= half_unit * 1.0001, (e.name, field)
    diff, n = _max_difference_km([e.satrec() for e in demo], [omm[e.norad_id].satrec() for e in demo])
    return diff, n, len(demo)


def test_demo_catalog_names_its_source_records(shared_data):
    """Every demo record is a real CelesTrak record: the sidecar's line points at that object's row."""
    from groundnet.orbits.catalog import bundled_catalog_path

    sidecar = bundled_catalog_path("demo").with_suffix(".md").read_text()
    with (shared_data / "catalog/celestrak_active_omm_2026-08-22.csv").open(newline="") as f:
        rows = {line_no: row for line_no, row in enumerate(csv.DictReader(f), 2)}
    for e in load_catalog("demo").elements:
        entry = next(line for line in sidecar.splitlines() if line.startswith(f"| {e.norad_id} |"))
        line_no = int(entry.rsplit("line", 1)[1].strip(" |"))
        assert int(rows[line_no]["NORAD_CAT_ID"]) == e.norad_id
        assert rows[line_no]["OBJECT_NAME"] == e.name
