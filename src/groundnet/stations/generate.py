"""A seeded, SatNOGS-sized network of stations spread over the land masses.

Land and sea come from the ``global-land-mask`` package (pinned in pyproject.toml): the NOAA GLOBE
1 km (1/120°) land/sea grid, 2.4 MB compressed inside the wheel, nothing downloaded. The package
decompresses the whole 930 MB grid when imported, so we stream its data file instead and keep
every 12th row and column (a 0.1° grid of 1/120° cells, 6.5 MB). A station is placed inside one of
those kept cells, so the full-resolution grid says "land" at its exact position.

Stations are spread, not merely scattered: each one is the best of a few random land candidates
(uniform over the sphere's area), the one farthest from the stations already placed (Mitchell's
best-candidate sampling). The same seed and count give the same network on every machine.
"""

from __future__ import annotations

import importlib.util
import math
import zipfile
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import GroundnetError
from .network import Antenna

# The source grid: 21600 rows from 90° N southwards, 43200 columns from 180° W eastwards.
_CELL_DEG = 1.0 / 120.0
_STRIDE = 12  # keep every 12th row and column: a 0.1° lattice of 1/120° cells
_CANDIDATES = 16  # best-candidate sampling: draws per station

LAND_MASK_SOURCE = "NOAA GLOBE 1 km land/sea grid via the global-land-mask package"


class LandMaskError(GroundnetError):
    pass


def _mask_file() -> Path:
    spec = importlib.util.find_spec("global_land_mask")
    if spec is None or spec.origin is None:
        raise LandMaskError(
            "the land/sea grid needs the 'global-land-mask' package: run ./scripts/setup.sh (it installs it)"
        )
    return Path(spec.origin).parent / "globe_combined_mask_compressed.npz"


@lru_cache(maxsize=1)
def land_lattice() -> np.ndarray:
    """Boolean [1800, 3600]: is source cell (12 i, 12 j) land? Row 0 starts at 90° N, column 0 at 180° W."""
    path = _mask_file()
    with zipfile.ZipFile(path) as archive, archive.open("mask.npy") as f:
        version = np.lib.format.read_magic(f)
        if version != (1, 0):
            raise LandMaskError(f"{path}: unexpected .npy version {version}; groundnet expects global-land-mask 1.0.0")
        (n_rows, n_cols), fortran_order, dtype = np.lib.format.read_array_header_1_0(f)
        if fortran_order or dtype != np.bool_ or (n_rows, n_cols) != (21600, 43200):
            raise LandMaskError(f"{path}: unexpected grid {dtype} {n_rows}x{n_cols}; groundnet expects global-land-mask 1.0.0")
        kept = []
        for row in range(n_rows):
            line = f.read(n_cols)
            if row % _STRIDE == 0:
                kept.append(np.frombuffer(line, dtype=np.bool_)[::_STRIDE])
    ocean = np.array(kept)
    return ~ocean


def _draw_land_points(rng: np.random.Generator, count: int, min_lat: float, max_lat: float) -> np.ndarray:
    """``count`` land points [lat_deg, lon_deg], uniform over the sphere's land area between the latitudes."""
    land = land_lattice()
    out = np.empty((0, 2))
    lo, hi = math.sin(math.radians(min_lat)), math.sin(math.radians(max_lat))
    while len(out) < count:
        n = 4 * (count - len(out)) + 64
        lat = np.degrees(np.arcsin(rng.uniform(lo, hi, n)))
        lon = rng.uniform(-180.0, 180.0, n)
        # The kept source cell of the 0.1° lattice cell each point falls in.
        i = np.clip(((90.0 - lat) / (_CELL_DEG * _STRIDE)).astype(np.int64), 0, land.shape[0] - 1)
        j = np.clip(((lon + 180.0) / (_CELL_DEG * _STRIDE)).astype(np.int64), 0, land.shape[1] - 1)
        ok = land[i, j]
        i, j = i[ok], j[ok]
        # Move the point into that source cell, away from its edges so rounding cannot leave it.
        frac = rng.uniform(0.1, 0.9, (len(i), 2))
        cell_lat = 90.0 - (i * _STRIDE + frac[:, 0]) * _CELL_DEG
        cell_lon = -180.0 + (j * _STRIDE + frac[:, 1]) * _CELL_DEG
        inside = (cell_lat >= min_lat) & (cell_lat <= max_lat)
        out = np.vstack([out, np.column_stack([cell_lat, cell_lon])[inside]])
    return out[:count]


def _unit_vectors(lat_lon_deg: np.ndarray) -> np.ndarray:
    lat, lon = np.radians(lat_lon_deg[:, 0]), np.radians(lat_lon_deg[:, 1])
    return np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


def generate_network(
    count: int = 400,
    seed: int = 1,
    *,
    prefix: str = "GEN",
    min_elevation_deg: float = 5.0,
    min_latitude_deg: float = -60.0,
    max_latitude_deg: float = 75.0,
) -> list[Antenna]:
    """``count`` antennas on land, spread over the land masses between the latitudes, from ``seed``.

    Ids are ``{prefix}-001`` ...; altitude 0 m (the land/sea grid carries no heights).
    """
    if count < 1:
        raise GroundnetError(f"--count must be at least 1, got {count}")
    if not -90.0 <= min_latitude_deg < max_latitude_deg <= 90.0:
        raise GroundnetError(
            f"latitude range [{min_latitude_deg}, {max_latitude_deg}] is empty or outside [-90, 90]"
        )
    rng = np.random.default_rng(seed)
    candidates = _draw_land_points(rng, count * _CANDIDATES, min_latitude_deg, max_latitude_deg)
    candidates = candidates.reshape(count, _CANDIDATES, 2)
    chosen = np.empty((count, 2))
    chosen_xyz = np.empty((count, 3))
    for k in range(count):
        options = candidates[k]
        if k == 0:
            best = 0
        else:
            # The candidate whose nearest placed station is farthest (largest angle = smallest dot).
            nearest_dot = (_unit_vectors(options) @ chosen_xyz[:k].T).max(axis=1)
            best = int(np.argmin(nearest_dot))
        chosen[k] = options[best]
        chosen_xyz[k] = _unit_vectors(options[best : best + 1])[0]
    width = max(3, len(str(count)))
    return [
        Antenna(
            id=f"{prefix}-{k + 1:0{width}d}",
            name=f"{prefix} station {k + 1}",
            network="generated",
            latitude_deg=round(float(lat), 5),
            longitude_deg=round(float(lon), 5),
            altitude_m=0.0,
            min_elevation_deg=min_elevation_deg,
            source=f"generated: seed {seed}, {LAND_MASK_SOURCE}",
        )
        for k, (lat, lon) in enumerate(chosen)
    ]
