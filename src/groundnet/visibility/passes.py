"""Pass prediction: every visibility window of every object over every antenna, fast and complete.

``find_passes(elements, antennas, start, end)`` returns a columnar ``PassTable``. It is a pure
function of its inputs: splitting the objects or the antennas into chunks and concatenating the
results gives the same table (after ``sort()``). docs/passes.md explains the search and why it
cannot miss a pass; in short:

1. each object is propagated with SGP4 on its own grid (a step from its orbit: minutes in LEO,
   an hour in GEO) and interpolated in between with quintic Hermite polynomials that use SGP4's
   positions and velocities and the J2 gravity acceleration;
2. a cheap, conservative cone test (how far the object's direction is from the station's zenith,
   against the widest cone in which it could be visible, widened by how far it can move in half
   a search step) discards every station-object-time block that cannot hold a visible moment;
3. in the blocks left, the sign of ``g = sin(elevation) - sin(threshold)`` and of its time
   derivative at each search sample bracket every AOS, LOS and elevation maximum (a maximum
   between two samples shows as the rate changing sign, so short grazing passes are found);
4. AOS/LOS are refined by safeguarded Newton steps, maxima by Newton steps on the rate.

Steps 1 and 2 run over all objects, antennas and samples at once (NumPy); steps 3 and 4 are per
event and run compiled (``search.py``).

The result type, ``PassTable``, is groundnet's one table of visibility windows, for every search
(element sets here, trajectories in ``deepspace.py``). Its API, kept small:

- ``PassTable(labels, obj, sta, aos, tca, los, max_elevation_deg, aos_azimuth_deg,
  los_azimuth_deg, aos_clipped, los_clipped)``: integer object and station indices into
  ``labels`` (``PassLabels(object_ids, object_names, station_ids, object_epochs_unix=None)``;
  ids are ints for NORAD/NAIF numbers or text such as ``"MEX"``), times in POSIX seconds;
- ``PassTable.from_columns(object_id=, object_name=, station_id=, aos=, ...)`` from per-row ids;
- ``sort()`` (the canonical order: AOS, object id with numbers before text, station id, object
  index; ``canonical_order`` on ``PassLabels.pair_key``), ``concat``, ``take``, ``len``;
- per-row views ``object_id``, ``object_name``, ``station_id``, ``duration_s``, ``elements_age_days``;
- ``to_arrow()`` (the columns of ``ROW_FIELDS``, what every writer in ``groundnet.output``
  writes), ``from_arrow``, ``to_rows()``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Callable, Iterable, Sequence

import numpy as np

from ..constants import EARTH_ROTATION_RAD_S
from ..orbits.elements import ElementSet
from ..orbits.propagation import (
    EARTH_RADIUS_KM,
    REASONS,
    Failures,
    OrbitShape,
    Propagator,
    first_failures,
    gravity_acceleration_km_s2,
)
from ..orbits.teme import EarthOrientation
from ..stations import Antenna
from ..timebase import format_utc, unix_to_jd
from .search import earth_fixed_samples, quintic_weights, screened_samples, search_windows

# SGP4 sampling: step = STEP_FACTOR / (largest angular rate of the orbit), rounded down to a
# whole divisor of a day between one minute and an hour (so day-long time blocks share grid points).
STEP_FACTOR = 0.55
STEP_LADDER_S = tuple(d for d in range(60, 3601) if 86400 % d == 0)
LOW_PERIGEE_KM = 250.0
HIGH_DRAG_BSTAR = 0.01
# Search samples per SGP4 step.
SEARCH_SUBDIVISION = 2
# Position error of the interpolation that the screening allows for (km); checked_steps keeps
# the real error below CHECK_ERROR_KM and a test checks it across the catalog.
INTERPOLATION_ERROR_KM = 0.5
SCREEN_MARGIN_RAD = math.radians(0.05)
# What checked_steps accepts: the interpolation's error at mid-step against SGP4.
CHECK_ERROR_KM = 0.5
CHECK_ERROR_RAD = 1e-4
BLOCK_S = 86400.0
# Working-set size (station x object x search samples) per batch.
BATCH_ELEMENTS = 2_000_000
# Windows shorter than this are numerical noise of a peak touching the threshold.
MIN_DURATION_S = 1e-3


# --------------------------------------------------------------------------------------------
# The result table: the one type for visibility windows (element sets and trajectories alike)

# The columns of a pass besides its object and station, in the order of ``PassTable.to_arrow``.
MEASURES = ("aos", "tca", "los", "max_elevation_deg", "aos_azimuth_deg", "los_azimuth_deg", "aos_clipped", "los_clipped")
# The public columns (rows, CSV, JSON, NDJSON, Parquet), in order.
ROW_FIELDS = ("object_id", "object_name", "station_id", "aos", "tca", "los", "max_elevation_deg",
              "aos_azimuth_deg", "los_azimuth_deg", "duration_s", "elements_age_days", "aos_clipped", "los_clipped")
SECONDS_PER_DAY = 86400.0


class PassLabels:
    """What a ``PassTable``'s integer indices mean: per object its id (a NORAD or NAIF number as
    ``int``, or a text id such as ``MEX``), its name and its element set's epoch (NaN for a
    trajectory); per station its id. Also the canonical order's key (``pair_key``)."""

    def __init__(self, object_ids, object_names, station_ids, object_epochs_unix=None):
        self.object_ids = np.array([_object_id(v) for v in object_ids] if len(object_ids) else [], dtype=object)
        self.object_names = np.array([str(v) for v in object_names], dtype=object)
        self.station_ids = np.array([str(v) for v in station_ids], dtype=object)
        epochs = np.full(len(self.object_ids), np.nan) if object_epochs_unix is None else object_epochs_unix
        self.object_epochs_unix = np.asarray(epochs, dtype=np.float64)
        self.is_number = np.array([isinstance(v, int) for v in self.object_ids.tolist()], dtype=bool)
        # Ranks in the canonical order: numbers before text ids, numbers by value, text by text;
        # equal ids share a rank (an element set given twice: the object's index breaks the tie).
        if self.numeric_ids:
            _, self._object_rank = np.unique(np.array(list(self.object_ids), dtype=np.int64), return_inverse=True)
        else:
            keys = [_label_key(v) for v in self.object_ids]
            rank_of = {k: i for i, k in enumerate(sorted(set(keys)))}
            self._object_rank = np.array([rank_of[k] for k in keys], dtype=np.int64)
        self._object_rank = self._object_rank.astype(np.int64).reshape(-1)
        m = len(self.station_ids)
        self._station_rank = np.empty(m, np.int64)
        self._station_rank[np.argsort(self.station_ids.astype(str), kind="stable")] = np.arange(m)

    @classmethod
    def of(cls, elements: Sequence[ElementSet], antennas: Sequence[Antenna]) -> "PassLabels":
        return cls([e.norad_id for e in elements], [e.name for e in elements], [a.id for a in antennas],
                   [e.epoch_unix for e in elements])

    @property
    def numeric_ids(self) -> bool:
        """Whether every object id is a number."""
        return bool(self.is_number.all())

    def object_id_column(self, numeric: bool | None = None) -> np.ndarray:
        """The object ids as one array: int64 when ``numeric`` (default: every id is a number),
        else text (``"25544"``)."""
        if self.numeric_ids if numeric is None else numeric:
            return np.array([v if n else 0 for v, n in zip(self.object_ids.tolist(), self.is_number)], dtype=np.int64)
        return np.array([str(v) for v in self.object_ids], dtype=object)

    def pair_key(self, obj: np.ndarray, sta: np.ndarray) -> np.ndarray:
        """One integer per pass that orders (object, station) as the canonical order does: by
        object id, then station id, then the object's index (element sets sharing an id), so that
        ties never depend on how the work was cut or in which order it finished."""
        obj = np.asarray(obj, dtype=np.int64)
        pair = self._object_rank[obj] * len(self._station_rank) + self._station_rank[np.asarray(sta, dtype=np.int64)]
        return pair * max(1, len(self._object_rank)) + obj

    def merged(self, other: "PassLabels") -> "PassLabels":
        """Both label sets, ``other``'s indices shifted by ``len(self.object_ids)`` and
        ``len(self.station_ids)`` (see ``PassTable.concat``)."""
        return PassLabels(np.r_[self.object_ids, other.object_ids], np.r_[self.object_names, other.object_names],
                          np.r_[self.station_ids, other.station_ids],
                          np.r_[self.object_epochs_unix, other.object_epochs_unix])


def _label_key(value) -> tuple:
    return (0, value, "") if isinstance(value, int) else (1, 0, str(value))


def _object_id(value):
    """NORAD (or NAIF) numbers as integers; a trajectory without one keeps its text id (e.g. ``MEX``)."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError("an object id is a number or a text id, not a boolean")
    if isinstance(value, (int, np.integer)):
        return int(value)
    text = str(value)
    try:
        return int(text) if text.strip().lstrip("+-").isdigit() else text
    except ValueError:
        return text


def canonical_order(aos: np.ndarray, key: np.ndarray) -> np.ndarray:
    """The one canonical order of passes: by AOS, then ``PassLabels.pair_key`` (object id, station
    id, object index). The order of ``np.lexsort((key, aos))`` at a fraction of its cost: a
    quick sort on the times, then the few tied times (passes clipped at the start, mostly)
    sorted by key and, as lexsort does, by position where the keys tie too."""
    order = np.argsort(aos)
    tied = np.flatnonzero(aos[order][1:] == aos[order][:-1])
    if tied.size:
        at = np.union1d(tied, tied + 1)  # positions inside runs of equal times
        rows = order[at]
        order[at] = rows[np.lexsort((rows, key[rows], aos[rows]))]
    return order


order_by_time_then_key = canonical_order


@dataclass
class PassTable:
    """Passes (visibility windows) as columns: the one pass table of groundnet.

    Each pass's object and station are integer indices (``obj``, ``sta``) into ``labels``
    (``PassLabels``: ids, names, element epochs), so NORAD numbers and text ids mix in one table.
    Times are POSIX seconds (float64), angles degrees. Per-row views: ``object_id``,
    ``object_name``, ``station_id``, ``duration_s``, ``elements_age_days`` (TCA minus the element
    set's epoch, NaN for trajectories).

    - ``find_passes`` (element sets) and ``from_columns`` (any other search: per-row ids) make one;
    - ``sort()`` puts it in the canonical order (``canonical_order``); ``find_passes`` returns it sorted;
    - ``concat``, ``take``, ``len``;
    - ``to_arrow()``: the public Arrow table (``ROW_FIELDS``; times as UTC timestamps in ns, exact),
      which every writer (CSV, JSON, NDJSON, Parquet: ``groundnet.output``) writes;
      ``from_arrow`` reads it back; ``to_rows()``: the JSON rows (ISO 8601 ``Z`` times).
    """

    labels: PassLabels
    obj: np.ndarray  # (passes,) int64 index into labels.object_ids
    sta: np.ndarray  # (passes,) int64 index into labels.station_ids
    aos: np.ndarray
    tca: np.ndarray
    los: np.ndarray
    max_elevation_deg: np.ndarray
    aos_azimuth_deg: np.ndarray
    los_azimuth_deg: np.ndarray
    aos_clipped: np.ndarray
    los_clipped: np.ndarray

    ROW_FIELDS = ROW_FIELDS

    @classmethod
    def empty(cls, labels: PassLabels | None = None) -> "PassTable":
        f, i = np.zeros(0), np.zeros(0, np.int64)
        return cls(labels or PassLabels([], [], []), i, i.copy(), f, f.copy(), f.copy(), f.copy(), f.copy(), f.copy(),
                   np.zeros(0, bool), np.zeros(0, bool))

    @classmethod
    def from_columns(cls, *, object_id, object_name, station_id, **measures) -> "PassTable":
        """A table from per-row ids and names (any search that has them as rows), in the order given."""
        n = len(measures["aos"])
        obj_keys = [(_object_id(o), str(nm)) for o, nm in zip(object_id, object_name)]
        obj_labels = list(dict.fromkeys(obj_keys))
        obj_index = {k: i for i, k in enumerate(obj_labels)}
        sta_labels = list(dict.fromkeys(str(s) for s in station_id))
        sta_index = {s: i for i, s in enumerate(sta_labels)}
        labels = PassLabels([k[0] for k in obj_labels], [k[1] for k in obj_labels], sta_labels)
        obj = np.fromiter((obj_index[k] for k in obj_keys), np.int64, n)
        sta = np.fromiter((sta_index[str(s)] for s in station_id), np.int64, n)
        cols = {name: np.asarray(measures[name], dtype=bool if name.endswith("clipped") else np.float64)
                for name in MEASURES}
        return cls(labels, obj, sta, **cols)

    @classmethod
    def concat(cls, tables: Iterable["PassTable"]) -> "PassTable":
        tables = list(tables)
        if not tables:
            return cls.empty()
        labels, obj, sta = tables[0].labels, [tables[0].obj], [tables[0].sta]
        for t in tables[1:]:
            obj.append(t.obj + len(labels.object_ids))
            sta.append(t.sta + len(labels.station_ids))
            labels = labels.merged(t.labels)
        cols = {name: np.concatenate([getattr(t, name) for t in tables]) for name in MEASURES}
        return cls(labels, np.concatenate(obj), np.concatenate(sta), **cols)

    def __len__(self) -> int:
        return int(self.aos.size)

    @property
    def numeric_ids(self) -> bool:
        """Whether every pass's object has a number for its id (then ``object_id`` is int64)."""
        return bool(self.labels.is_number[self.obj].all())

    @property
    def object_id(self) -> np.ndarray:
        """Per pass: int64 NORAD/NAIF numbers, or text where any pass's object has a text id."""
        return self.labels.object_id_column(self.numeric_ids)[self.obj]

    @property
    def object_name(self) -> np.ndarray:
        return self.labels.object_names[self.obj]

    @property
    def station_id(self) -> np.ndarray:
        return self.labels.station_ids[self.sta]

    @property
    def duration_s(self) -> np.ndarray:
        return self.los - self.aos

    @property
    def elements_age_days(self) -> np.ndarray:
        """Age of the element set at the pass (TCA minus epoch, days); NaN for a trajectory."""
        return (self.tca - self.labels.object_epochs_unix[self.obj]) / SECONDS_PER_DAY

    def take(self, index) -> "PassTable":
        return PassTable(self.labels, self.obj[index], self.sta[index],
                         **{name: getattr(self, name)[index] for name in MEASURES})

    def sort_order(self) -> np.ndarray:
        return canonical_order(self.aos, self.labels.pair_key(self.obj, self.sta))

    def sort(self) -> "PassTable":
        """The canonical order: by AOS, then object id (numbers before text ids), then station id."""
        return self.take(self.sort_order())

    def to_arrow(self):
        """The public Arrow table (columns ``ROW_FIELDS``): what every output format writes."""
        from .arrow import public_table

        return public_table(self)

    @classmethod
    def from_arrow(cls, table) -> "PassTable":
        from .arrow import pass_table

        return pass_table(table)

    def to_rows(self) -> list[dict]:
        """The JSON contract: ISO 8601 UTC times with milliseconds and ``Z``."""
        import json

        return json.loads(self.to_json())

    def to_json(self) -> str:
        from ..output import arrow_text

        return arrow_text(self.to_arrow(), "json")


# --------------------------------------------------------------------------------------------
# Antennas as the search sees them


@dataclass
class _Stations:
    itrs_km: np.ndarray  # (S, 3)
    enu_itrs: np.ndarray  # (S, 3, 3): rows east, north, up
    floor_deg: np.ndarray  # (S,) threshold where no mask rises above it: the lowest at any azimuth
    # Horizon masks, points sorted by azimuth in [0, 360): station s's are [offset[s], offset[s+1]).
    mask_offset: np.ndarray
    mask_az: np.ndarray
    mask_el: np.ndarray

    @classmethod
    def of(cls, antennas: Sequence[Antenna], override_deg: float | None) -> "_Stations":
        from .core import with_min_elevation

        antennas = with_min_elevation(antennas, override_deg)
        lat = np.radians([a.latitude_deg for a in antennas])
        lon = np.radians([a.longitude_deg for a in antennas])
        sl, cl, so, co = np.sin(lat), np.cos(lat), np.sin(lon), np.cos(lon)
        enu = np.stack([
            np.stack([-so, co, np.zeros_like(so)], -1),
            np.stack([-sl * co, -sl * so, cl], -1),
            np.stack([cl * co, cl * so, sl], -1),
        ], axis=1)
        floor = np.array([a.min_elevation_deg for a in antennas], float)
        points = [sorted(((az % 360.0, el) for az, el in a.horizon_mask), key=lambda p: p[0]) for a in antennas]
        flat = np.array([p for pts in points for p in pts], dtype=np.float64).reshape(-1, 2)
        return cls(
            itrs_km=np.array([a.itrs_km for a in antennas], dtype=np.float64).reshape(-1, 3),
            enu_itrs=enu.reshape(-1, 3, 3),
            floor_deg=floor,
            mask_offset=np.concatenate([[0], np.cumsum([len(p) for p in points])]).astype(np.int64),
            mask_az=flat[:, 0].copy(),
            mask_el=flat[:, 1].copy(),
        )

    def for_search(self, frame: "_Frame") -> tuple:
        """The antennas as ``search.py`` takes them, in the Earth-fixed frame of one block."""
        axes = np.ascontiguousarray(np.stack([frame.position, frame.east, frame.north, frame.up], axis=1))
        return (axes, self.floor_deg, np.sin(np.radians(self.floor_deg)), self.mask_offset, self.mask_az, self.mask_el)


@dataclass
class _Frame:
    """Stations in the pseudo Earth-fixed frame of one time block (polar motion applied once)."""

    position: np.ndarray  # (S, 3)
    east: np.ndarray
    north: np.ndarray
    up: np.ndarray
    radius: np.ndarray  # (S,) geocentric distance, km
    direction: np.ndarray  # (S, 3) geocentric unit vector
    tilt: np.ndarray  # (S,) angle between the geodetic up and the geocentric direction, rad

    @classmethod
    def at(cls, stations: _Stations, eop: EarthOrientation, t_mid: float) -> "_Frame":
        w = eop.polar_motion_matrix(np.array([t_mid]))[0]  # r_itrs = W r_pef
        pos = stations.itrs_km @ w  # rows: (W^T r)^T = r^T W
        enu = stations.enu_itrs @ w
        radius = np.linalg.norm(pos, axis=1)
        direction = pos / radius[:, None]
        tilt = np.arccos(np.clip(np.sum(direction * enu[:, 2], axis=1), -1.0, 1.0))
        return cls(pos, enu[:, 0], enu[:, 1], enu[:, 2], radius, direction, tilt)


# --------------------------------------------------------------------------------------------
# Interpolation between SGP4 samples


class _Track:
    """SGP4 samples of a group of objects on a common grid, interpolated anywhere in between
    (``search._earth_fixed_state``): positions, and velocities and accelerations scaled by the
    step and its square, the quintic Hermite coefficients at each grid point ``(objects, grid, 3)``.
    """

    def __init__(self, t0: float, step: float, position, velocity, accel):
        self.t0, self.step = t0, step
        self.n_grid = position.shape[1]
        self.position = position
        self.velocity_step = velocity * step
        self.accel_step2 = accel * step**2

    def for_search(self, theta0: float, theta_rate: float) -> tuple:
        """The track as ``search.py`` takes it, with the sidereal angle at each segment's start."""
        theta = theta0 + theta_rate * self.step * np.arange(self.n_grid - 1)
        return (self.position, self.velocity_step, self.accel_step2, self.n_grid - 1, self.t0, self.step,
                theta_rate, np.cos(theta), np.sin(theta))


# --------------------------------------------------------------------------------------------
# Earth-fixed states at the search samples


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Dot products along the first axis of ``(3, ...)`` arrays (one pass, no temporaries)."""
    return np.einsum("i...,i...->...", a, b)


# --------------------------------------------------------------------------------------------
# The search


def sgp4_step_s(shape: OrbitShape) -> np.ndarray:
    """SGP4 sampling step per object (s): a fraction of the time to sweep one radian at perigee."""
    raw = STEP_FACTOR / np.maximum(shape.max_angular_rate_rad_s, 1e-9)
    # Eccentric orbits change fastest around perigee, and low objects (high drag) drift from the
    # J2 acceleration the interpolation assumes: both get a shorter step.
    raw *= 1.0 - shape.eccentricity
    raw *= np.where(shape.perigee_radius_km - EARTH_RADIUS_KM < LOW_PERIGEE_KM, 0.7, 1.0)
    raw *= np.where(np.abs(shape.bstar) > HIGH_DRAG_BSTAR, 0.5, 1.0)
    return _ladder_step(raw)


def _ladder_step(raw: np.ndarray) -> np.ndarray:
    ladder = np.array(STEP_LADDER_S, dtype=np.float64)
    idx = np.searchsorted(ladder, raw, side="right") - 1
    return ladder[np.clip(idx, 0, ladder.size - 1)]


def checked_steps(elements: Sequence[ElementSet], shape: OrbitShape, start: float) -> np.ndarray:
    """``sgp4_step_s``, shortened where the interpolation is measured to miss SGP4 by too much.

    For the orbits where SGP4's own perturbation terms are large (very eccentric or high drag)
    the interpolation around the first perigee is compared with SGP4 there; an object whose
    worst error exceeds ``CHECK_ERROR_KM`` (or ``CHECK_ERROR_RAD`` times its
    perigee height, at least 1000 km: the nearest it is seen from near the horizon) has its
    step halved, up to three times. Only the object's own data decide.
    """
    steps = sgp4_step_s(shape)
    altitude = shape.perigee_radius_km - EARTH_RADIUS_KM
    risky = (shape.eccentricity > 0.25) | (np.abs(shape.bstar) > 0.5 * HIGH_DRAG_BSTAR)
    todo = np.flatnonzero(risky)
    for _ in range(3):
        if todo.size == 0:
            break
        worse = []
        for step in np.unique(steps[todo]):
            idx = todo[steps[todo] == step]
            err = _midpoint_error_km([elements[i] for i in idx], shape_subset(shape, idx), step, start)
            limit = np.minimum(CHECK_ERROR_KM, CHECK_ERROR_RAD * np.maximum(altitude[idx], 1000.0))
            worse.append(idx[err > limit])
        todo = np.concatenate(worse) if worse else todo[:0]
        steps[todo] = _ladder_step(0.5 * steps[todo] + 1e-6)
    return steps


def _midpoint_error_km(elements: Sequence[ElementSet], shape: OrbitShape, step: float, start: float) -> np.ndarray:
    """Interpolation error at mid-step around each object's first perigee after ``start``.

    Two steps are checked, one centred on perigee and one starting there: where an eccentric or
    decaying orbit moves fastest and its perturbations are largest.
    """
    n_rad_s = shape.mean_motion_rev_day * 2.0 * np.pi / 86400.0
    w = quintic_weights(np.array([0.5]), 0)[0, :, 0]
    worst = np.zeros(len(elements))
    for j, e in enumerate(elements):
        anomaly = math.radians(e.mean_anomaly_deg) + n_rad_s[j] * (start - e.epoch_unix)
        perigee = start + (-anomaly % (2.0 * math.pi)) / n_rad_s[j]
        t = perigee + step * np.array([-0.5, 0.0, 0.5, 1.0])
        err, r, v = e.satrec().sgp4_array(*unix_to_jd(t))
        if err.any():
            continue  # a state SGP4 cannot give: the search masks it anyway
        a = gravity_acceleration_km_s2(r)
        for i0, mid, i1 in ((0, 1, 2), (1, 2, 3)):
            guess = (w[0] * r[i0] + w[1] * step * v[i0] + w[2] * step**2 * a[i0]
                     + w[3] * r[i1] + w[4] * step * v[i1] + w[5] * step**2 * a[i1])
            worst[j] = max(worst[j], float(np.linalg.norm(guess - r[mid])))
    return worst


@dataclass
class _Windows:
    """Windows found in one block for one group, before merging across blocks."""

    obj: np.ndarray  # index into the group's elements
    sta: np.ndarray
    aos: np.ndarray
    los: np.ndarray
    tca: np.ndarray
    max_el: np.ndarray
    aos_az: np.ndarray
    los_az: np.ndarray
    aos_open: np.ndarray  # visible at the block's first instant
    los_open: np.ndarray  # visible at the block's last instant

    @classmethod
    def empty(cls) -> "_Windows":
        index, value, flag = np.zeros(0, np.int64), np.zeros(0), np.zeros(0, bool)
        return cls(index, index, value, value, value, value, value, value, flag, flag)


def find_passes(
    elements: Sequence[ElementSet],
    antennas: Sequence[Antenna],
    start_unix: float,
    end_unix: float,
    *,
    min_elevation_deg: float | None = None,
    progress: Callable[[int], None] | None = None,
    warn: Callable[[str], None] | None = None,
    failures: Failures | None = None,
) -> PassTable:
    """Every pass of every object over every antenna between two instants (POSIX seconds).

    A pass is a window in which the elevation is at or above the antenna's threshold: its
    ``elevation_floor_deg`` (minimum elevation and horizon mask), or ``min_elevation_deg`` for
    every antenna when given. Windows cut by the query's start or end are clipped to it and
    flagged (``aos_clipped``, ``los_clipped``). ``progress(n)`` is called with the number of
    objects finished after each batch.

    An element set that SGP4 fails for (decay, ...) before ``end_unix`` has no pass after its
    first failure (``orbits.propagation.first_failures``; pass ``failures`` if already known);
    ``warn(message)`` is called once per such element set with its NORAD id, the error and the time.
    """
    start, end = float(start_unix), float(end_unix)
    elements, antennas = list(elements), list(antennas)
    if not end > start or not elements or not antennas:
        return _assemble(elements, antennas, _Windows.empty(), start, end)
    if failures is None:
        failures = first_failures(elements, end)
    if warn is not None:
        for message in failure_warnings(elements, failures):
            warn(message)
    stations = _Stations.of(antennas, min_elevation_deg)
    shape = OrbitShape.of(elements)
    eop = EarthOrientation.covering(start, end + max(STEP_LADDER_S))
    n_blocks = max(1, int(math.ceil((end - start) / BLOCK_S - 1e-9)))
    block_start = [start + b * BLOCK_S for b in range(n_blocks)]
    frames = [_Frame.at(stations, eop, min(end, t + 0.5 * BLOCK_S)) for t in block_start]
    # Each block checks the steps from its own start (a decaying orbit may need a shorter step
    # days later), so that a window cut into slices of whole blocks is searched the same way.
    steps = np.stack([checked_steps(elements, shape, t) for t in block_start])  # (block, object)
    smallest = steps.min(axis=0)

    found = []  # windows with the objects' indices into ``elements``
    for step in np.unique(smallest):
        members = np.flatnonzero(smallest == step)
        samples = int(min(BLOCK_S, end - start) / (step / SEARCH_SUBDIVISION)) + 2
        batch = max(1, int(BATCH_ELEMENTS // (len(antennas) * samples)))
        for i in range(0, members.size, batch):
            idx = members[i:i + batch]
            pieces = []
            for b, t in enumerate(block_start):
                for block_step in np.unique(steps[b, idx]):  # one, but where a check changed its mind
                    sub = idx[steps[b, idx] == block_step]
                    piece = _search_block([elements[j] for j in sub], failures.subset(sub), shape_subset(shape, sub), float(block_step),
                                          stations, frames[b], eop, t, min(end, t + BLOCK_S))
                    piece.obj = sub[piece.obj]
                    pieces.append(piece)
            found.append(_merge_blocks(pieces))
            if progress is not None:
                progress(idx.size)
    return _assemble(elements, antennas, _concat_windows(found), start, end)


def failure_warnings(elements: Sequence[ElementSet], failures: Failures, after: str = "no pass after that time") -> list[str]:
    """One line per element set that fails in SGP4: its NORAD id, name, the error and the time."""
    return [f"{elements[i].norad_id} ({elements[i].name}): {REASONS[int(failures.reason[i])]} at "
            f"{format_utc(failures.time_unix[i])}; {after} (newer elements are needed)"
            for i in failures.failed()]


def compile_ahead() -> None:
    """Compile the search's numba functions now (``scripts/setup.sh`` does): they are cached on
    disk, so that no later run waits the few seconds of compiling. One small search of the
    bundled demo catalog."""
    from ..orbits.catalog import bundled_catalog_path, load_catalog
    from ..stations import load_network

    elements = load_catalog(bundled_catalog_path("demo")).elements[:3]
    start = elements[0].epoch_unix
    find_passes(elements, list(load_network())[:2], start, start + 3 * 3600.0)


def shape_subset(shape: OrbitShape, idx: np.ndarray) -> OrbitShape:
    return OrbitShape(**{f.name: getattr(shape, f.name)[idx] for f in fields(shape)})


def _search_block(elements, failures: Failures, shape: OrbitShape, step: float, stations: _Stations, frame: _Frame,
                  eop: EarthOrientation, t_begin: float, t_end: float) -> _Windows:
    """Windows of a group of objects sharing one SGP4 step, over one time block."""
    n_obj = len(elements)
    h = step / SEARCH_SUBDIVISION
    n_steps = int(math.ceil((t_end - t_begin) / step - 1e-9))
    grid = t_begin + step * np.arange(n_steps + 1)
    states = Propagator(elements, failures).propagate(grid)
    r = states.position_km
    _drop_erratic(r, states.velocity_km_s, step, shape)
    track = _Track(t_begin, step, r, states.velocity_km_s, gravity_acceleration_km_s2(r))
    theta, theta_rate = eop.gmst82_rad(np.array([t_begin, grid[-1]]))
    turns = np.round((theta[0] + theta_rate * (grid[-1] - t_begin) - theta[1]) / (2 * np.pi))
    rate = (theta[1] + 2 * np.pi * turns - theta[0]) / max(grid[-1] - t_begin, 1.0)

    # Search samples (shared by every station); the last one is exactly t_end.
    n_search = int(math.ceil((t_end - t_begin) / h - 1e-9)) + 1
    times = t_begin + h * np.arange(n_search)
    times[-1] = t_end
    earth_fixed = track.for_search(float(theta[0]), float(rate))
    r_pef, v_pef = earth_fixed_samples(earth_fixed, n_obj, times)  # (3, O, T)

    obj, sta, k = _screen(r_pef, shape, h, stations, frame)
    columns, unbalanced = search_windows(obj, sta, k, times, r_pef, v_pef, earth_fixed, stations.for_search(frame))
    if unbalanced:  # cannot happen: the screen keeps every visible sample and its neighbours
        raise RuntimeError("pass search: unbalanced AOS/LOS events")
    return _Windows(*columns)


def _drop_erratic(r: np.ndarray, v: np.ndarray, step: float, shape: OrbitShape) -> None:
    """Set to NaN the samples around SGP4 steps that no smooth orbit could make (in place).

    An element set propagated into its object's last days of decay can jump between samples
    without any SGP4 error code. Over one step a real orbit's position agrees with the
    trapezoid rule on its velocities to within about ``r (omega h)^3 / 12`` (the whole catalog
    stays below half of that); twenty times that, plus a kilometre, is the limit here. Flagged
    in the 2023-10-09 catalog: two debris pieces re-entering that day and a lunar mission.
    """
    jump = r[:, 1:] - r[:, :-1] - 0.5 * step * (v[:, 1:] + v[:, :-1])
    err = np.sqrt(np.einsum("okd,okd->ok", jump, jump))
    limit = (20.0 / 12.0 * shape.apogee_radius_km * (shape.max_angular_rate_rad_s * step) ** 3 + 1.0)[:, None]
    with np.errstate(invalid="ignore"):
        bad = err > limit
    if bad.any():
        o, k = np.nonzero(bad)
        r[o, k], r[o, k + 1] = np.nan, np.nan
        v[o, k], v[o, k + 1] = np.nan, np.nan


def _screen(r_pef: np.ndarray, shape: OrbitShape, h: float, stations: _Stations, frame: _Frame):
    """The (object, station, search sample) triples where the object could be visible within h/2,
    and their neighbours: ``search.screened_samples`` of a conservative cone test.

    The object at distance r can only be above elevation e from a station at geocentric
    distance R if the angle psi between their geocentric directions is at most
    ``arccos(R cos(e) / r) - e`` (e taken lower by the tilt between geodetic and geocentric
    verticals). Its direction moves at most ``omega_max + omega_earth`` rad/s, so within h/2 of a
    sample psi changes by at most that times h/2; r changes by at most the radial speed bound.
    """
    radius = np.sqrt(_dot(r_pef, r_pef))  # (O, T)
    # Single precision is plenty for a test with a margin of several hundredths of a degree.
    unit = (r_pef / radius).astype(np.float32)
    radial_bound = shape.max_radial_speed_km_s + 0.05  # SGP4's short-period terms, km/s
    r_ub = radius + (radial_bound * (0.5 * h))[:, None] + INTERPOLATION_ERROR_KM
    margin = ((shape.max_angular_rate_rad_s * 1.02 + EARTH_ROTATION_RAD_S) * (0.5 * h)
              + INTERPOLATION_ERROR_KM / np.maximum(shape.perigee_radius_km - EARTH_RADIUS_KM, 100.0)
              + SCREEN_MARGIN_RAD)  # (O,)
    e = np.radians(stations.floor_deg) - frame.tilt - SCREEN_MARGIN_RAD  # (S,)
    c_min = np.min(frame.radius * np.cos(e))  # smallest R cos(e): the widest cone, safe for all
    with np.errstate(invalid="ignore"):
        x = np.minimum(c_min / r_ub, 1.0)  # cone half-angle before the elevation term: arccos(x)
        y = np.sqrt(1.0 - x * x)
    beta = e[None, :] - margin[:, None]  # (O, S): cone = arccos(x) - beta
    cb, sb = np.cos(beta), np.sin(beta)
    cb[beta <= -0.5 * np.pi], sb[beta <= -0.5 * np.pi] = -2.0, 0.0  # margin wider than a hemisphere
    # cos(psi) against cos(arccos(x) - beta) = x cos(beta) + sqrt(1 - x^2) sin(beta)
    x, y, cb, sb, direction = (np.ascontiguousarray(a, dtype=np.float32) for a in (x, y, cb, sb, frame.direction))
    return screened_samples(unit, x, y, cb, sb, direction)


def _first_of_runs(keys: np.ndarray) -> np.ndarray:
    """Indices of the first element of each run of equal values in a sorted array."""
    return np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])


def _merge_blocks(pieces: list[_Windows]) -> _Windows:
    """Join windows cut by block boundaries (open at a block's end and at the next one's start)."""
    if len(pieces) == 1:
        return pieces[0]
    cols = {f.name: np.concatenate([getattr(p, f.name) for p in pieces]) for f in fields(_Windows)}
    order = np.lexsort((cols["aos"], cols["obj"], cols["sta"]))
    if order.size == 0:
        return pieces[0]
    w = {k: v[order] for k, v in cols.items()}
    # A window continues the previous one when both touch the same boundary instant.
    cont = np.zeros(order.size, bool)
    cont[1:] = ((w["sta"][1:] == w["sta"][:-1]) & (w["obj"][1:] == w["obj"][:-1])
                & w["los_open"][:-1] & w["aos_open"][1:] & (w["aos"][1:] == w["los"][:-1]))
    group = np.cumsum(~cont) - 1
    starts = np.flatnonzero(~cont)
    ends = np.append(starts[1:], order.size) - 1
    best = np.maximum.reduceat(w["max_el"], starts)
    hit_idx = np.flatnonzero(w["max_el"] == best[group])
    first = _first_of_runs(group[hit_idx])
    return _Windows(w["obj"][starts], w["sta"][starts], w["aos"][starts], w["los"][ends], w["tca"][hit_idx[first]],
                    best, w["aos_az"][starts], w["los_az"][ends], w["aos_open"][starts], w["los_open"][ends])


def _concat_windows(parts: list[_Windows]) -> _Windows:
    return _Windows(**{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(_Windows)})


def _assemble(elements, antennas, w: _Windows, start: float, end: float) -> PassTable:
    """The passes in the canonical order (``PassTable.sort``), sorted on integer keys."""
    aos_clipped = w.aos_open & (w.aos <= start)
    los_clipped = w.los_open & (w.los >= end)
    keep = (w.los - w.aos >= MIN_DURATION_S) | aos_clipped | los_clipped
    keep &= w.los > w.aos
    labels = PassLabels.of(elements, antennas)
    rows = np.flatnonzero(keep)
    rows = rows[canonical_order(w.aos[rows], labels.pair_key(w.obj[rows], w.sta[rows]))]
    return PassTable(labels, w.obj[rows].astype(np.int64), w.sta[rows].astype(np.int64), w.aos[rows], w.tca[rows],
                     w.los[rows], w.max_el[rows], w.aos_az[rows], w.los_az[rows], aos_clipped[rows], los_clipped[rows])
