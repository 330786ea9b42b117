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
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Callable, Iterable, Sequence

import numpy as np

from ..orbits.elements import ElementSet
from ..orbits.propagation import EARTH_RADIUS_KM, OrbitShape, Propagator, gravity_acceleration_km_s2
from ..orbits.teme import EarthOrientation, teme_to_pef
from ..stations import Antenna
from ..timebase import format_utc

EARTH_ROTATION_RAD_S = 7.2921158553e-5
# SGP4 sampling: step = STEP_FACTOR / (largest angular rate of the orbit), rounded down to a
# step of this ladder (all divide a day, so day-long time blocks share grid points).
STEP_FACTOR = 0.5
STEP_LADDER_S = (60, 90, 120, 150, 180, 240, 300, 360, 450, 540, 600, 720, 900, 1200, 1800, 2400, 3600)
# Search samples per SGP4 step.
SEARCH_SUBDIVISION = 2
# Position error of the interpolation that the screening allows for (km); tests check the real
# error stays below it across the catalog.
INTERPOLATION_ERROR_KM = 0.5
SCREEN_MARGIN_RAD = math.radians(0.05)
BLOCK_S = 86400.0
# Working-set size (station x object x search samples) per batch.
BATCH_ELEMENTS = 6_000_000
ROOT_ITERATIONS = 5
MAX_ITERATIONS = 6
# Windows shorter than this are numerical noise of a peak touching the threshold.
MIN_DURATION_S = 1e-3


# --------------------------------------------------------------------------------------------
# The result table


@dataclass
class PassTable:
    """Passes as columns (NumPy arrays of equal length); times are POSIX seconds."""

    object_id: np.ndarray
    object_name: np.ndarray
    station_id: np.ndarray
    aos: np.ndarray
    tca: np.ndarray
    los: np.ndarray
    max_elevation_deg: np.ndarray
    aos_azimuth_deg: np.ndarray
    los_azimuth_deg: np.ndarray
    aos_clipped: np.ndarray
    los_clipped: np.ndarray

    ROW_FIELDS = (
        "object_id", "object_name", "station_id", "aos", "tca", "los",
        "max_elevation_deg", "aos_azimuth_deg", "los_azimuth_deg", "duration_s",
    )

    @classmethod
    def empty(cls) -> "PassTable":
        f = np.zeros(0)
        return cls(np.zeros(0, np.int64), np.zeros(0, object), np.zeros(0, object), f, f.copy(), f.copy(),
                   f.copy(), f.copy(), f.copy(), np.zeros(0, bool), np.zeros(0, bool))

    @classmethod
    def concat(cls, tables: Iterable["PassTable"]) -> "PassTable":
        tables = [t for t in tables if len(t)]
        if not tables:
            return cls.empty()
        return cls(**{f.name: np.concatenate([getattr(t, f.name) for t in tables]) for f in fields(cls)})

    def __len__(self) -> int:
        return int(self.aos.size)

    @property
    def duration_s(self) -> np.ndarray:
        return self.los - self.aos

    def take(self, index) -> "PassTable":
        return PassTable(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    def sort(self) -> "PassTable":
        """By AOS, then object id, then station id (the canonical order)."""
        order = np.lexsort((self.station_id.astype(str), self.object_id, self.aos))
        return self.take(order)

    def to_rows(self) -> list[dict]:
        """The JSON contract: ISO 8601 UTC times with milliseconds and ``Z``."""
        rows = []
        for i in range(len(self)):
            rows.append({
                "object_id": int(self.object_id[i]),
                "object_name": str(self.object_name[i]),
                "station_id": str(self.station_id[i]),
                "aos": format_utc(self.aos[i]),
                "tca": format_utc(self.tca[i]),
                "los": format_utc(self.los[i]),
                "max_elevation_deg": round(float(self.max_elevation_deg[i]), 3),
                "aos_azimuth_deg": round(float(self.aos_azimuth_deg[i]), 3),
                "los_azimuth_deg": round(float(self.los_azimuth_deg[i]), 3),
                "duration_s": round(float(self.los[i] - self.aos[i]), 3),
                "aos_clipped": bool(self.aos_clipped[i]),
                "los_clipped": bool(self.los_clipped[i]),
            })
        return rows


# --------------------------------------------------------------------------------------------
# Antennas as the search sees them


@dataclass
class _Stations:
    ids: np.ndarray  # (S,) str
    itrs_km: np.ndarray  # (S, 3)
    enu_itrs: np.ndarray  # (S, 3, 3): rows east, north, up
    lowest_threshold_deg: np.ndarray  # (S,) lowest elevation threshold over all azimuths
    constant_threshold: np.ndarray  # (S,) bool: no azimuth-dependent mask applies
    antennas: list[Antenna]
    override_deg: float | None

    @classmethod
    def of(cls, antennas: Sequence[Antenna], override_deg: float | None) -> "_Stations":
        lat = np.radians([a.latitude_deg for a in antennas])
        lon = np.radians([a.longitude_deg for a in antennas])
        sl, cl, so, co = np.sin(lat), np.cos(lat), np.sin(lon), np.cos(lon)
        enu = np.stack([
            np.stack([-so, co, np.zeros_like(so)], -1),
            np.stack([-sl * co, -sl * so, cl], -1),
            np.stack([cl * co, cl * so, sl], -1),
        ], axis=1)
        if override_deg is not None:
            lowest = np.full(len(antennas), float(override_deg))
            constant = np.ones(len(antennas), bool)
        else:
            lowest = np.array([
                min(a.min_elevation_deg, *(max(p[1], a.min_elevation_deg) for p in a.horizon_mask))
                if a.horizon_mask else a.min_elevation_deg for a in antennas], dtype=np.float64)
            constant = np.array([not a.horizon_mask for a in antennas])
        return cls(
            ids=np.array([a.id for a in antennas], dtype=object),
            itrs_km=np.array([a.itrs_km for a in antennas], dtype=np.float64).reshape(-1, 3),
            enu_itrs=enu.reshape(-1, 3, 3),
            lowest_threshold_deg=lowest,
            constant_threshold=constant,
            antennas=list(antennas),
            override_deg=override_deg,
        )

    def threshold(self, station: np.ndarray, azimuth_deg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Elevation threshold (deg) at each (station, azimuth) and its slope d(threshold)/d(azimuth)."""
        thr = self.lowest_threshold_deg[station].copy()
        slope = np.zeros_like(thr)
        for s in np.flatnonzero(~self.constant_threshold):
            sel = station == s
            if not sel.any():
                continue
            ant = self.antennas[s]
            mask = np.array(ant.horizon_mask, dtype=np.float64)
            az_pts = np.concatenate([mask[:, 0] - 360.0, mask[:, 0], mask[:, 0] + 360.0])
            el_pts = np.tile(mask[:, 1], 3)
            az = np.mod(azimuth_deg[sel], 360.0)
            m = np.interp(az, az_pts, el_pts)
            j = np.clip(np.searchsorted(az_pts, az, side="right") - 1, 0, az_pts.size - 2)
            seg_slope = (el_pts[j + 1] - el_pts[j]) / np.maximum(az_pts[j + 1] - az_pts[j], 1e-9)
            above = m > ant.min_elevation_deg
            thr[sel] = np.where(above, m, ant.min_elevation_deg)
            slope[sel] = np.where(above, seg_slope, 0.0)
        return thr, slope


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


def _quintic_weights(s):
    s2 = s * s
    s3 = s2 * s
    s4 = s3 * s
    s5 = s4 * s
    w = (
        1 - 10 * s3 + 15 * s4 - 6 * s5,
        s - 6 * s3 + 8 * s4 - 3 * s5,
        0.5 * (s2 - 3 * s3 + 3 * s4 - s5),
        10 * s3 - 15 * s4 + 6 * s5,
        -4 * s3 + 7 * s4 - 3 * s5,
        0.5 * (s3 - 2 * s4 + s5),
    )
    dw = (
        -30 * s2 + 60 * s3 - 30 * s4,
        1 - 18 * s2 + 32 * s3 - 15 * s4,
        0.5 * (2 * s - 9 * s2 + 12 * s3 - 5 * s4),
        30 * s2 - 60 * s3 + 30 * s4,
        -12 * s2 + 28 * s3 - 15 * s4,
        0.5 * (3 * s2 - 8 * s3 + 5 * s4),
    )
    ddw = (
        -60 * s + 180 * s2 - 120 * s3,
        -36 * s + 96 * s2 - 60 * s3,
        0.5 * (2 - 18 * s + 36 * s2 - 20 * s3),
        60 * s - 180 * s2 + 120 * s3,
        -24 * s + 84 * s2 - 60 * s3,
        0.5 * (6 * s - 24 * s2 + 20 * s3),
    )
    return w, dw, ddw


@dataclass
class _Track:
    """SGP4 samples of a group of objects on a common grid, interpolated anywhere in between."""

    t0: float
    step: float
    position: np.ndarray  # (O, K, 3) TEME km
    velocity: np.ndarray  # (O, K, 3) km/s, pre-multiplied by step
    accel: np.ndarray  # (O, K, 3) km/s^2, pre-multiplied by step^2

    def at(self, obj: np.ndarray, t: np.ndarray, second_derivative: bool = False):
        """TEME position, velocity (and acceleration) of objects ``obj`` at times ``t`` (both (N,))."""
        x = (t - self.t0) / self.step
        k = np.clip(np.floor(x).astype(np.int64), 0, self.position.shape[1] - 2)
        s = x - k
        w, dw, ddw = _quintic_weights(s)
        coef = (self.position[obj, k], self.velocity[obj, k], self.accel[obj, k],
                self.position[obj, k + 1], self.velocity[obj, k + 1], self.accel[obj, k + 1])
        r = sum(wi[:, None] * c for wi, c in zip(w, coef))
        v = sum(wi[:, None] * c for wi, c in zip(dw, coef)) / self.step
        a = sum(wi[:, None] * c for wi, c in zip(ddw, coef)) / self.step**2 if second_derivative else None
        return r, v, a

    def dense(self, sub: int) -> tuple[np.ndarray, np.ndarray]:
        """Positions and velocities at every ``step / sub``: ``(O, (K-1)*sub + 1, 3)``."""
        n_obj, n = self.position.shape[:2]
        shape = (n_obj, (n - 1) * sub + 1, 3)
        r, v = np.empty(shape), np.empty(shape)
        r[:, ::sub], v[:, ::sub] = self.position, self.velocity / self.step
        p0, v0, a0 = self.position[:, :-1], self.velocity[:, :-1], self.accel[:, :-1]
        p1, v1, a1 = self.position[:, 1:], self.velocity[:, 1:], self.accel[:, 1:]
        for j in range(1, sub):
            w, dw, _ = _quintic_weights(j / sub)
            r[:, j::sub] = w[0] * p0 + w[1] * v0 + w[2] * a0 + w[3] * p1 + w[4] * v1 + w[5] * a1
            v[:, j::sub] = (dw[0] * p0 + dw[1] * v0 + dw[2] * a0 + dw[3] * p1 + dw[4] * v1 + dw[5] * a1) / self.step
        return r, v


# --------------------------------------------------------------------------------------------
# Geometry of g = sin(elevation) - sin(threshold) and its time derivatives


def _sin_elevation(frame: _Frame, station, r_pef, v_pef, a_pef=None):
    """sin(el), its first and (if ``a_pef``) second time derivative, plus azimuth terms."""
    rho = r_pef - frame.position[station]
    up = frame.up[station]
    rng = np.sqrt(np.einsum("ij,ij->i", rho, rho))
    q = np.einsum("ij,ij->i", rho, up)
    dq = np.einsum("ij,ij->i", v_pef, up)
    rr = np.einsum("ij,ij->i", rho, v_pef) / rng  # range rate
    sin_el = q / rng
    dsin_el = (dq - sin_el * rr) / rng
    ddsin_el = None
    if a_pef is not None:
        ddq = np.einsum("ij,ij->i", a_pef, up)
        vv = np.einsum("ij,ij->i", v_pef, v_pef)
        ddr = (vv + np.einsum("ij,ij->i", rho, a_pef) - rr * rr) / rng
        ddsin_el = (ddq - 2.0 * dsin_el * rr - sin_el * ddr) / rng
    return rho, rng, sin_el, dsin_el, ddsin_el


def _azimuth(frame: _Frame, station, rho, v_pef=None):
    e = np.einsum("ij,ij->i", rho, frame.east[station])
    n = np.einsum("ij,ij->i", rho, frame.north[station])
    az = np.mod(np.degrees(np.arctan2(e, n)), 360.0)
    if v_pef is None:
        return az, None
    de = np.einsum("ij,ij->i", v_pef, frame.east[station])
    dn = np.einsum("ij,ij->i", v_pef, frame.north[station])
    with np.errstate(divide="ignore", invalid="ignore"):
        daz = np.degrees((n * de - e * dn) / (e * e + n * n))
    return az, np.nan_to_num(daz)


class _Evaluator:
    """g(t), g'(t) (and g'') for (object, station) events of one group and time block."""

    def __init__(self, track: _Track, frame: _Frame, stations: _Stations, eop: EarthOrientation):
        self.track, self.frame, self.stations, self.eop = track, frame, stations, eop

    def pef(self, obj, t, second=False):
        r, v, a = self.track.at(obj, t, second)
        theta, rate = self.eop.gmst82_rad(t)
        r_pef, v_pef = teme_to_pef(r, v, theta, rate)
        a_pef = None
        if second:
            # Acceleration seen in the rotating frame: rotate, then the Coriolis and centrifugal terms.
            a_rot, _ = teme_to_pef(a, None, theta, rate)
            w = rate
            a_pef = a_rot + np.stack([2 * w * v_pef[:, 1] + w * w * r_pef[:, 0],
                                      -2 * w * v_pef[:, 0] + w * w * r_pef[:, 1],
                                      np.zeros_like(t)], -1)
        return r_pef, v_pef, a_pef

    def g(self, obj, sta, r_pef, v_pef, a_pef=None):
        """g, g', g'' (NaN where a mask makes it unknown), elevation and azimuth (deg)."""
        rho, rng, s, ds, dds = _sin_elevation(self.frame, sta, r_pef, v_pef, a_pef)
        az, daz = _azimuth(self.frame, sta, rho, v_pef)
        thr, slope = self.stations.threshold(sta, az)
        thr_rad = np.radians(thr)
        g = s - np.sin(thr_rad)
        dg = ds - np.cos(thr_rad) * np.radians(slope) * daz
        if dds is not None:
            dds = np.where(slope != 0.0, np.nan, dds)
        el = np.degrees(np.arcsin(np.clip(s, -1.0, 1.0)))
        return g, dg, dds, el, az

    def at(self, obj, sta, t, second=False):
        r, v, a = self.pef(obj, t, second)
        return self.g(obj, sta, r, v, a)


# --------------------------------------------------------------------------------------------
# The search


def sgp4_step_s(shape: OrbitShape) -> np.ndarray:
    """SGP4 sampling step per object (s): a fraction of the time to sweep one radian at perigee."""
    raw = STEP_FACTOR / np.maximum(shape.max_angular_rate_rad_s, 1e-9)
    ladder = np.array(STEP_LADDER_S, dtype=np.float64)
    idx = np.searchsorted(ladder, raw, side="right") - 1
    return ladder[np.clip(idx, 0, ladder.size - 1)]


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


def find_passes(
    elements: Sequence[ElementSet],
    antennas: Sequence[Antenna],
    start_unix: float,
    end_unix: float,
    *,
    min_elevation_deg: float | None = None,
    progress: Callable[[int], None] | None = None,
) -> PassTable:
    """Every pass of every object over every antenna between two instants (POSIX seconds).

    A pass is a window in which the elevation is at or above the antenna's threshold: its
    ``elevation_floor_deg`` (minimum elevation and horizon mask), or ``min_elevation_deg`` for
    every antenna when given. Windows cut by the query's start or end are clipped to it and
    flagged (``aos_clipped``, ``los_clipped``). ``progress(n)`` is called with the number of
    objects finished after each batch.
    """
    start, end = float(start_unix), float(end_unix)
    if not end > start or not elements or not antennas:
        return PassTable.empty()
    elements = list(elements)
    stations = _Stations.of(antennas, min_elevation_deg)
    shape = OrbitShape.of(elements)
    steps = sgp4_step_s(shape)
    eop = EarthOrientation.covering(start, end + max(STEP_LADDER_S))
    n_blocks = max(1, int(math.ceil((end - start) / BLOCK_S - 1e-9)))
    frames = [_Frame.at(stations, eop, min(end, start + (b + 0.5) * BLOCK_S)) for b in range(n_blocks)]

    tables = []
    for step in np.unique(steps):
        members = np.flatnonzero(steps == step)
        samples = int(min(BLOCK_S, end - start) / (step / SEARCH_SUBDIVISION)) + 2
        batch = max(1, int(BATCH_ELEMENTS // (len(antennas) * samples)))
        for i in range(0, members.size, batch):
            idx = members[i:i + batch]
            group = [elements[j] for j in idx]
            pieces = [
                _search_block(group, shape_subset(shape, idx), float(step), stations, frames[b], eop,
                              start + b * BLOCK_S, min(end, start + (b + 1) * BLOCK_S))
                for b in range(n_blocks)
            ]
            tables.append(_assemble(group, stations, _merge_blocks(pieces), start, end))
            if progress is not None:
                progress(idx.size)
    return PassTable.concat(tables).sort()


def shape_subset(shape: OrbitShape, idx: np.ndarray) -> OrbitShape:
    return OrbitShape(**{f.name: getattr(shape, f.name)[idx] for f in fields(shape)})


def _search_block(elements, shape: OrbitShape, step: float, stations: _Stations, frame: _Frame,
                  eop: EarthOrientation, t_begin: float, t_end: float) -> _Windows:
    n_obj, n_sta = len(elements), len(stations.ids)
    sub = SEARCH_SUBDIVISION
    h = step / sub
    n_steps = int(math.ceil((t_end - t_begin) / step - 1e-9))
    grid = t_begin + step * np.arange(n_steps + 1)
    states = Propagator(elements).propagate(grid)
    r = states.position_km
    track = _Track(t_begin, step, r, states.velocity_km_s * step, gravity_acceleration_km_s2(r) * step**2)

    # Search samples (shared by every station); the last one is exactly t_end.
    n_search = int(math.ceil((t_end - t_begin) / h - 1e-9)) + 1
    times = t_begin + h * np.arange(n_search)
    times[-1] = t_end
    r_d, v_d = track.dense(sub)
    r_d, v_d = r_d[:, :n_search].copy(), v_d[:, :n_search].copy()
    last_r, last_v, _ = track.at(np.arange(n_obj), np.full(n_obj, t_end))
    r_d[:, -1], v_d[:, -1] = last_r, last_v
    theta, rate = eop.gmst82_rad(times)
    r_pef, v_pef = teme_to_pef(r_d, v_d, theta, rate)

    near = _screen(r_pef, shape, h, stations, frame)  # (S, O, T)
    needed = near.copy()
    needed[:, :, 1:] |= near[:, :, :-1]
    needed[:, :, :-1] |= near[:, :, 1:]
    sta, obj, k = np.nonzero(needed)
    evaluator = _Evaluator(track, frame, stations, eop)
    g, dg, _, el, az = evaluator.g(obj, sta, r_pef[obj, k], v_pef[obj, k])
    t = times[k]
    return _events_to_windows(evaluator, sta, obj, k, t, g, dg, el, az, n_search - 1)


def _screen(r_pef: np.ndarray, shape: OrbitShape, h: float, stations: _Stations, frame: _Frame) -> np.ndarray:
    """Conservative test per (station, object, search sample): could the object be visible within h/2?

    The object at distance r can only be above elevation e from a station at geocentric
    distance R if the angle psi between their geocentric directions is at most
    ``arccos(R cos(e) / r) - e`` (e taken lower by the tilt between geodetic and geocentric
    verticals). Its direction moves at most ``omega_max + omega_earth`` rad/s, so within h/2 of a
    sample psi changes by at most that times h/2; r changes by at most the radial speed bound.
    """
    radius = np.sqrt(np.sum(r_pef * r_pef, axis=-1))  # (O, T)
    unit = r_pef / radius[..., None]
    radial_bound = shape.max_radial_speed_km_s + 0.05  # SGP4's short-period terms, km/s
    r_ub = radius + (radial_bound * (0.5 * h))[:, None] + INTERPOLATION_ERROR_KM
    margin = ((shape.max_angular_rate_rad_s * 1.02 + EARTH_ROTATION_RAD_S) * (0.5 * h)
              + INTERPOLATION_ERROR_KM / np.maximum(shape.perigee_radius_km - EARTH_RADIUS_KM, 100.0)
              + SCREEN_MARGIN_RAD)  # (O,)
    e = np.radians(stations.lowest_threshold_deg) - frame.tilt - SCREEN_MARGIN_RAD  # (S,)
    c_min = np.min(frame.radius * np.cos(e))  # smallest R cos(e): widest cone, conservative for all
    with np.errstate(invalid="ignore"):
        x = np.minimum(c_min / r_ub, 1.0)  # cos of the horizon angle arccos(x)
        y = np.sqrt(1.0 - x * x)
    beta = e[:, None] - margin[None, :]  # (S, O): cone = arccos(x) - beta
    cb, sb = np.cos(beta), np.sin(beta)
    always = beta <= -0.5 * np.pi
    cos_psi = (unit[None, :, :, 0] * frame.direction[:, None, None, 0]
               + unit[None, :, :, 1] * frame.direction[:, None, None, 1]
               + unit[None, :, :, 2] * frame.direction[:, None, None, 2])
    # cos(arccos(x) - beta) = x cos(beta) + sqrt(1 - x^2) sin(beta)
    limit = x[None] * cb[:, :, None] + y[None] * sb[:, :, None]
    limit[always] = -2.0
    return cos_psi >= limit  # NaN states compare False


def _events_to_windows(ev: _Evaluator, sta, obj, k, t, g, dg, el, az, last_k) -> _Windows:
    nan = np.isnan(g)
    g = np.where(nan, -1.0, g)
    # Intervals between consecutive needed samples of the same pair.
    same = (sta[1:] == sta[:-1]) & (obj[1:] == obj[:-1]) & (k[1:] == k[:-1] + 1)
    a = np.flatnonzero(same)
    b = a + 1
    ga, gb, dga, dgb = g[a], g[b], dg[a], dg[b]
    ta, tb = t[a], t[b]
    bad = nan[a] | nan[b]
    io, isa = obj[a], sta[a]

    up = (ga < 0) & (gb >= 0)
    down = (ga >= 0) & (gb < 0)
    peak = (dga > 0) & (dgb <= 0) & ~bad

    # Maxima of g.
    pi = np.flatnonzero(peak)
    t_max = refine_max(ev, io[pi], isa[pi], ta[pi], tb[pi], dga[pi], dgb[pi])
    g_max, _, _, el_max, _ = ev.at(io[pi], isa[pi], t_max)
    graze = np.zeros(a.size, bool)
    graze[pi] = (ga[pi] < 0) & (gb[pi] < 0) & (g_max >= 0)
    tm_full = np.full(a.size, np.nan)
    tm_full[pi] = t_max
    gm_full = np.full(a.size, -np.inf)
    gm_full[pi] = g_max
    elm_full = np.full(a.size, -np.inf)
    elm_full[pi] = el_max

    # Roots: AOS in rising intervals, LOS in falling ones, both around a grazing maximum.
    t_aos = np.full(a.size, np.nan)
    t_los = np.full(a.size, np.nan)
    for mask, out, rising in ((up, t_aos, True), (down, t_los, False)):
        ri = np.flatnonzero(mask & ~bad)
        out[ri] = refine_root(ev, io[ri], isa[ri], ta[ri], tb[ri], ga[ri], gb[ri], dga[ri], dgb[ri])
        rb = np.flatnonzero(mask & bad)  # a state SGP4 could not give: the window ends at the good sample
        out[rb] = np.where(rising, tb[rb], ta[rb])
    gi = np.flatnonzero(graze)
    if gi.size:
        gm, tm = gm_full[gi], tm_full[gi]
        _, dgm, _, _, _ = ev.at(io[gi], isa[gi], tm)
        t_aos[gi] = refine_root(ev, io[gi], isa[gi], ta[gi], tm, ga[gi], gm, dga[gi], dgm)
        t_los[gi] = refine_root(ev, io[gi], isa[gi], tm, tb[gi], gm, gb[gi], dgm, dgb[gi])
    has_aos = up | graze
    has_los = down | graze

    # Slots in time order within each interval: open AOS, AOS, maximum, LOS, open LOS.
    open_aos = (k[a] == 0) & (ga >= 0)
    open_los = (k[b] == last_k) & (gb >= 0)
    n = a.size
    kind = np.zeros((n, 5), np.int8)  # +1 opens a window, -1 closes it, 0 a candidate maximum
    valid = np.zeros((n, 5), bool)
    time = np.zeros((n, 5))
    elev = np.full((n, 5), -np.inf)
    valid[:, 0], kind[:, 0], time[:, 0], elev[:, 0] = open_aos, 1, ta, el[a]
    valid[:, 1], kind[:, 1], time[:, 1] = has_aos, 1, t_aos
    valid[:, 2], time[:, 2], elev[:, 2] = np.isfinite(tm_full), tm_full, elm_full
    valid[:, 3], kind[:, 3], time[:, 3] = has_los, -1, t_los
    valid[:, 4], kind[:, 4], time[:, 4], elev[:, 4] = open_los, -1, tb, el[b]
    slot_obj = np.repeat(io, 5).reshape(n, 5)[valid]
    slot_sta = np.repeat(isa, 5).reshape(n, 5)[valid]
    kind, time, elev = kind[valid], time[valid], elev[valid]
    is_open_edge = np.zeros((n, 5), bool)
    is_open_edge[:, 0] = True
    is_open_edge[:, 4] = True
    is_open_edge = is_open_edge[valid]

    opens = np.cumsum(kind == 1)
    closes = np.cumsum(kind == -1)
    inside = (opens - closes + (kind == -1)) == 1
    elev = np.where(inside, elev, -np.inf)
    w_start = np.flatnonzero(kind == 1)
    w_end = np.flatnonzero(kind == -1)
    if w_start.size != w_end.size:  # cannot happen: crossings alternate by construction
        raise RuntimeError("pass search: unbalanced AOS/LOS events")
    if w_start.size == 0:
        e = np.zeros(0)
        return _Windows(np.zeros(0, np.int64), np.zeros(0, np.int64), e, e, e, e, e, e,
                        np.zeros(0, bool), np.zeros(0, bool))
    best = np.maximum.reduceat(elev, w_start)
    wid = opens - 1
    hit = inside & (elev == best[np.clip(wid, 0, None)]) & (wid >= 0)
    hit_idx = np.flatnonzero(hit)
    _, first = np.unique(wid[hit_idx], return_index=True)
    tca = time[hit_idx[first]]

    wo, ws = slot_obj[w_start], slot_sta[w_start]
    t_a, t_l = time[w_start], time[w_end]
    # Azimuths at AOS and LOS.
    both_o = np.concatenate([wo, wo])
    both_s = np.concatenate([ws, ws])
    _, _, _, _, az_edges = ev.at(both_o, both_s, np.concatenate([t_a, t_l]))
    m = wo.size
    return _Windows(wo, ws, t_a, t_l, tca, best, az_edges[:m], az_edges[m:],
                    is_open_edge[w_start], is_open_edge[w_end])


def refine_root(ev: _Evaluator, obj, sta, lo, hi, g_lo, g_hi, dg_lo, dg_hi):
    from .refine import refine_roots

    def value_and_rate(t, which):
        g, dg, _, _, _ = ev.at(obj[which], sta[which], t)
        return g, dg

    return refine_roots(value_and_rate, lo, hi, g_lo, g_hi, dg_lo, dg_hi, ROOT_ITERATIONS)


def refine_max(ev: _Evaluator, obj, sta, lo, hi, d_lo, d_hi):
    from .refine import refine_maxima

    def rate(t, which):
        _, dg, ddg, _, _ = ev.at(obj[which], sta[which], t, second=True)
        return dg, ddg

    return refine_maxima(rate, lo, hi, d_lo, d_hi, MAX_ITERATIONS)


def _merge_blocks(pieces: list[_Windows]) -> _Windows:
    """Join windows cut by block boundaries (open at a block's end and at the next one's start)."""
    if len(pieces) == 1:
        return pieces[0]
    cols = {f.name: np.concatenate([getattr(p, f.name) for p in pieces]) for f in fields(_Windows)}
    order = np.lexsort((cols["aos"], cols["obj"], cols["sta"]))
    w = {k: v[order] for k, v in cols.items()}
    # A window continues the previous one when both touch the same boundary instant.
    cont = np.zeros(order.size, bool)
    cont[1:] = ((w["sta"][1:] == w["sta"][:-1]) & (w["obj"][1:] == w["obj"][:-1])
                & w["los_open"][:-1] & w["aos_open"][1:] & (w["aos"][1:] == w["los"][:-1]))
    group = np.cumsum(~cont) - 1
    starts = np.flatnonzero(~cont)
    ends = np.append(starts[1:], order.size) - 1
    best = np.maximum.reduceat(w["max_el"], starts)
    hit = w["max_el"] == best[group]
    hit_idx = np.flatnonzero(hit)
    _, first = np.unique(group[hit_idx], return_index=True)
    return _Windows(w["obj"][starts], w["sta"][starts], w["aos"][starts], w["los"][ends], w["tca"][hit_idx[first]],
                    best, w["aos_az"][starts], w["los_az"][ends], w["aos_open"][starts], w["los_open"][ends])


def _assemble(elements, stations: _Stations, w: _Windows, start: float, end: float) -> PassTable:
    aos_clipped = w.aos_open & (w.aos <= start)
    los_clipped = w.los_open & (w.los >= end)
    keep = (w.los - w.aos >= MIN_DURATION_S) | aos_clipped | los_clipped
    keep &= w.los > w.aos
    ids = np.array([e.norad_id for e in elements], dtype=np.int64)
    names = np.array([e.name for e in elements], dtype=object)
    return PassTable(
        object_id=ids[w.obj][keep],
        object_name=names[w.obj][keep],
        station_id=stations.ids[w.sta][keep],
        aos=w.aos[keep],
        tca=w.tca[keep],
        los=w.los[keep],
        max_elevation_deg=w.max_el[keep],
        aos_azimuth_deg=w.aos_az[keep],
        los_azimuth_deg=w.los_az[keep],
        aos_clipped=aos_clipped[keep],
        los_clipped=los_clipped[keep],
    )
