"""Link geometry for any trajectory, near or deep: light time, RTLT, range rate, Doppler, SEP angle.

All light-time equations are solved in the solar-system barycentric frame (ICRF axes), with the
station's position from the Earth's orientation (ITRS -> GCRS, UT1 and polar motion) and the
Earth's from DE421:

* downleg: the signal received at the station at ``t_r`` left the spacecraft at ``t_e`` with
  ``|S(t_e) - R(t_r)| = c (t_r - t_e)``;
* upleg: the signal the spacecraft turned around at ``t_e`` left the station at ``t_t`` with
  ``|S(t_e) - R(t_t)| = c (t_e - t_t)``;
* round-trip light time, as the DSN reports it (``rtlt`` in DSN Now): ``t_r - t_t``, the upleg
  plus the downleg light time; upleg and downleg ranges are ``c`` times each leg.

Azimuth and elevation are the direction the station receives from: the spacecraft at emission
time seen from the station at reception time, with the aberration of the station's own motion
(``aberration=True``), no refraction. Range rate and Doppler follow from differentiating the
light-time equations (the classical frequency ratio of each leg, exact in the Newtonian sense); relativistic
clock terms and the Shapiro delay (up to about 250 microseconds round trip near superior
conjunction, some 40 km of one-way range) are not modelled. Details: docs/deep-space.md.

Arrays are ``[station, time]`` for one trajectory; per-sample failures (the spacecraft outside its
trajectory's span at emission time) give NaN, never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..orbits import frames
from ..orbits.trajectory import Trajectory
from ..constants import EARTH_ROTATION_RAD_S
from ..constants import SPEED_OF_LIGHT_KM_S as C_KM_S
from .events import crossings, grazing_candidates, peaks, sample_windows
from .geometry import StationFrames, look_angles

# X-band transponder turnaround ratio 880/749 (ESA and NASA deep-space X-up/X-down; ECSS-E-ST-50-05C
# Table 5-1 and DSN 810-005 module 201): downlink = uplink x 880/749.
TURNAROUND_X_X = (880, 749)
TURNAROUND_S_S = (240, 221)
TURNAROUND_X_KA = (3344, 749)
TURNAROUND_S_X = (880, 221)
# Below a few degrees of Sun-Earth-probe angle the link crosses the solar corona: X-band telemetry
# and Doppler degrade, and missions plan solar-conjunction periods with reduced or no commanding.
# groundnet warns below 5 deg by default; pass the threshold the mission uses.
SOLAR_CONJUNCTION_SEP_DEG = 5.0
LIGHT_TIME_ITERATIONS = 4
LIGHT_TIME_CONTRACTION = 1e-3  # bound on |v| / c of a spacecraft relative to the barycentre


@dataclass
class LinkGeometry:
    """Geometry of one trajectory seen from stations over receive times; arrays ``[station, time]``."""

    station_ids: list[str]
    object_id: str
    times_unix: np.ndarray  # receive times at the station, (n,)
    azimuth_deg: np.ndarray
    elevation_deg: np.ndarray
    downleg_range_km: np.ndarray
    upleg_range_km: np.ndarray
    downleg_light_time_s: np.ndarray
    upleg_light_time_s: np.ndarray
    rtlt_s: np.ndarray
    emission_times_unix: np.ndarray  # when the spacecraft emitted / turned around the signal
    transmit_times_unix: np.ndarray  # when the station sent the uplink that came back at times_unix
    range_rate_km_s: np.ndarray  # downleg, positive when receding
    upleg_range_rate_km_s: np.ndarray
    downleg_doppler_ratio: np.ndarray  # received / emitted frequency on the downleg
    upleg_doppler_ratio: np.ndarray  # frequency the spacecraft receives / transmitted by the station
    sep_deg: np.ndarray  # Sun-Earth-probe angle, [time] (geocentric)
    solar_conjunction: np.ndarray  # SEP below the threshold, [time]
    sep_threshold_deg: float = SOLAR_CONJUNCTION_SEP_DEG
    distances: dict = field(default_factory=dict)

    def one_way_downlink_hz(self, spacecraft_downlink_hz: float) -> np.ndarray:
        """Frequency the station receives from a spacecraft transmitting ``spacecraft_downlink_hz`` (one-way)."""
        return spacecraft_downlink_hz * self.downleg_doppler_ratio

    def two_way_downlink_hz(self, uplink_hz: float, turnaround=TURNAROUND_X_X) -> np.ndarray:
        """Frequency received in two-way (coherent) mode for an uplink ``uplink_hz`` and a turnaround ratio."""
        num, den = turnaround
        return uplink_hz * (num / den) * self.upleg_doppler_ratio * self.downleg_doppler_ratio

    def two_way_doppler_hz(self, uplink_hz: float, turnaround=TURNAROUND_X_X) -> np.ndarray:
        """Received minus the zero-velocity frequency (uplink x ratio), Hz; negative when receding."""
        num, den = turnaround
        return self.two_way_downlink_hz(uplink_hz, turnaround) - uplink_hz * num / den

    def one_way_doppler_hz(self, spacecraft_downlink_hz: float) -> np.ndarray:
        return self.one_way_downlink_hz(spacecraft_downlink_hz) - spacecraft_downlink_hz

    def rows(self, station_index: int = 0) -> list[dict]:
        """One dict per time for one station (for tables and JSON)."""
        from ..timebase import format_utc

        s = station_index
        out = []
        for i, t in enumerate(self.times_unix):
            out.append({
                "time": format_utc(t),
                "station_id": self.station_ids[s],
                "object_id": self.object_id,
                "azimuth_deg": _f(self.azimuth_deg[s, i]),
                "elevation_deg": _f(self.elevation_deg[s, i]),
                "downleg_range_km": _f(self.downleg_range_km[s, i]),
                "upleg_range_km": _f(self.upleg_range_km[s, i]),
                "rtlt_s": _f(self.rtlt_s[s, i]),
                "range_rate_km_s": _f(self.range_rate_km_s[s, i]),
                "sep_deg": _f(self.sep_deg[i]),
                "solar_conjunction": bool(self.solar_conjunction[i]),
                "geocentric_km": _f(self.distances["geocentric_km"][i]),
                "heliocentric_km": _f(self.distances["heliocentric_km"][i]),
            })
        return out


def _f(x) -> float | None:
    x = float(x)
    return x if np.isfinite(x) else None


def _norm(v: np.ndarray) -> np.ndarray:
    return np.sqrt(np.einsum("i...,i...->...", v, v))


def distances(trajectory: Trajectory, times_unix) -> dict[str, np.ndarray]:
    """How far and how fast: geocentric and heliocentric distance (km) and speed (km/s), geometric."""
    t = np.atleast_1d(np.asarray(times_unix, dtype=np.float64))
    p, v = trajectory.state_gcrs(t, strict=False)
    ps, vs = frames.centre_state_gcrs("sun", t)
    return {
        "geocentric_km": _norm(p),
        "geocentric_speed_km_s": _norm(v),
        "heliocentric_km": _norm(p - ps),
        "heliocentric_speed_km_s": _norm(v - vs),
        "one_way_light_time_s": _norm(p) / C_KM_S,
    }


def _station_bary(itrs_km: np.ndarray, t: np.ndarray, rotation: np.ndarray | None = None):
    ps, vs = frames.station_state_gcrs(itrs_km, t, rotation)
    pe, ve = frames.barycentric_state("earth", t)
    return ps + pe, vs + ve


def _downleg(trajectory: Trajectory, itrs_km: np.ndarray, t_r: np.ndarray, tolerance_s: float = 1e-10,
             rotation: np.ndarray | None = None, tau0: np.ndarray | None = None):
    """Station (at reception) and spacecraft (at emission) barycentric states, and the light time.

    Each iteration shrinks the light-time error by the spacecraft's speed over c (under 1e-3 for
    anything in the solar system): once an update is below ``tolerance_s / 1e-3`` the error left is
    below ``tolerance_s``. From a 1,000 s guess, 1e-10 s takes three; the pass search asks for
    1e-6 s (1 mm of pointing at Mars). ``tau0``: a first guess of the light time (a search's model
    gives one to microseconds: then one iteration converges).
    """
    r_pos, r_vel = _station_bary(itrs_km, t_r, rotation)
    if tau0 is None:
        s_pos, s_vel = trajectory.state_barycentric(t_r, strict=False)
        tau = _norm(s_pos - r_pos) / C_KM_S
    else:
        tau = np.asarray(tau0, dtype=np.float64)
    for _ in range(LIGHT_TIME_ITERATIONS):
        s_pos, s_vel = trajectory.state_barycentric(t_r - np.nan_to_num(tau, nan=0.0), strict=False)
        new_tau = _norm(s_pos - r_pos) / C_KM_S
        converged = np.nanmax(np.abs(new_tau - tau), initial=0.0) * LIGHT_TIME_CONTRACTION < tolerance_s
        tau = new_tau
        if converged:
            break
    return r_pos, r_vel, s_pos, s_vel, tau


def _pointing(los: np.ndarray, r_vel: np.ndarray, t_r: np.ndarray, antenna, aberration: bool = True,
              rotation: np.ndarray | None = None):
    """Azimuth and elevation of the received direction ``los`` (station -> spacecraft, barycentric)."""
    d = los / _norm(los)
    if aberration:
        beta = r_vel / C_KM_S
        d = d + beta - np.einsum("in,in->n", d, beta) * d
        d = d / _norm(d)
    rotation = frames.itrs_rotation(t_r) if rotation is None else rotation
    d_itrs = np.einsum("ijn,jn->in", rotation.reshape(3, 3, -1), d)
    # The engine's look angles of a point one kilometre along the direction: same azimuth and elevation.
    station = StationFrames.of([antenna])
    look = look_angles(station, (station.position_km[0][:, None] + d_itrs).T)
    return look.azimuth_deg[0], look.elevation_deg[0]



def link_geometry(
    trajectory: Trajectory,
    antennas,
    times_unix,
    *,
    aberration: bool = True,
    sep_threshold_deg: float = SOLAR_CONJUNCTION_SEP_DEG,
) -> LinkGeometry:
    """Light-time-corrected geometry of ``trajectory`` from each antenna at receive times ``times_unix``."""
    antennas = list(antennas) if isinstance(antennas, (list, tuple)) else [antennas]
    t_r = np.atleast_1d(np.asarray(times_unix, dtype=np.float64))
    ns, nt = len(antennas), t_r.size
    shape = (ns, nt)
    out = {k: np.full(shape, np.nan) for k in (
        "az", "el", "rd", "ru", "ltd", "ltu", "te", "tt", "rrd", "rru", "dd", "du")}
    rotation = frames.itrs_rotation(t_r)  # the Earth's orientation at reception, shared by every antenna
    for s, ant in enumerate(antennas):
        itrs = ant.itrs_km
        r_pos, r_vel, s_pos, s_vel, tau = _downleg(trajectory, itrs, t_r, rotation=rotation)
        t_e = t_r - tau
        los = s_pos - r_pos  # station -> spacecraft, (3, n)
        rho_d = _norm(los)
        n_d = -los / rho_d  # spacecraft -> station
        # Upleg: iterate the transmit time.
        tau_u = tau.copy()
        for _ in range(LIGHT_TIME_ITERATIONS):
            t_t = t_e - np.nan_to_num(tau_u, nan=0.0)
            u_pos, u_vel = _station_bary(itrs, np.nan_to_num(t_t, nan=t_r[0]))
            tau_u = _norm(s_pos - u_pos) / C_KM_S
        t_t = t_e - tau_u
        up = s_pos - u_pos
        rho_u = _norm(up)
        n_u = up / rho_u  # station -> spacecraft
        # Doppler ratios from the light-time equations (Newtonian, exact in v/c per leg).
        down_ratio = (1.0 - np.einsum("in,in->n", n_d, r_vel) / C_KM_S) / \
            (1.0 - np.einsum("in,in->n", n_d, s_vel) / C_KM_S)
        up_ratio = (1.0 - np.einsum("in,in->n", n_u, s_vel) / C_KM_S) / \
            (1.0 - np.einsum("in,in->n", n_u, u_vel) / C_KM_S)
        az, el = _pointing(los, r_vel, t_r, ant, aberration, rotation)
        out["az"][s], out["el"][s] = az, el
        out["rd"][s], out["ru"][s] = rho_d, rho_u
        out["ltd"][s], out["ltu"][s] = tau, tau_u
        out["te"][s], out["tt"][s] = t_e, t_t
        out["rrd"][s] = C_KM_S * (1.0 - down_ratio)
        out["rru"][s] = C_KM_S * (1.0 - up_ratio)
        out["dd"][s], out["du"][s] = down_ratio, up_ratio
    # Sun-Earth-probe angle at the Earth's centre (geometric: light-time moves it by under v/c ~ 0.01 deg).
    probe, _ = trajectory.state_gcrs(t_r, strict=False)
    sun_geo, _ = frames.centre_state_gcrs("sun", t_r)
    cos_sep = np.einsum("in,in->n", probe, sun_geo) / (_norm(probe) * _norm(sun_geo))
    sep = np.degrees(np.arccos(np.clip(cos_sep, -1.0, 1.0)))
    return LinkGeometry(
        station_ids=[a.id for a in antennas], object_id=trajectory.object_id, times_unix=t_r,
        azimuth_deg=out["az"], elevation_deg=out["el"], downleg_range_km=out["rd"], upleg_range_km=out["ru"],
        downleg_light_time_s=out["ltd"], upleg_light_time_s=out["ltu"], rtlt_s=out["ltd"] + out["ltu"],
        emission_times_unix=out["te"], transmit_times_unix=out["tt"], range_rate_km_s=out["rrd"],
        upleg_range_rate_km_s=out["rru"], downleg_doppler_ratio=out["dd"], upleg_doppler_ratio=out["du"],
        sep_deg=sep, solar_conjunction=np.nan_to_num(sep, nan=180.0) < sep_threshold_deg,
        sep_threshold_deg=sep_threshold_deg, distances=distances(trajectory, t_r),
    )


# -------------------------------------------------------------------------------------------- passes

def _clearance(trajectory: Trajectory, antenna, t: np.ndarray, tau0: np.ndarray | None = None):
    """Elevation above the antenna's floor (mask and minimum elevation), light-time corrected; azimuth; elevation."""
    rotation = frames.itrs_rotation(t)
    r_pos, r_vel, s_pos, _, _ = _downleg(trajectory, antenna.itrs_km, t, tolerance_s=1e-6, rotation=rotation,
                                         tau0=tau0)
    az, el = _pointing(s_pos - r_pos, r_vel, t, antenna, rotation=rotation)
    return el - antenna.elevation_floor_deg(az), az, el


_REFINE_POINTS = 24
_REFINE_FRACTIONS = np.linspace(0.0, 1.0, _REFINE_POINTS)


def _sample_brackets(trajectory, antenna, lo, hi):
    """``_REFINE_POINTS`` instants across each bracket (a row per bracket), clearance and elevation there."""
    t = lo[:, None] + (hi - lo)[:, None] * _REFINE_FRACTIONS[None, :]
    clearance, _, elevation = _clearance(trajectory, antenna, t.ravel())
    return t, clearance.reshape(t.shape), elevation.reshape(t.shape)


def _refine_roots(trajectory, antenna, lo, hi, rising, tol_s: float = 1e-3) -> np.ndarray:
    """Crossing instants of the clearance, one per bracket [lo, hi], all brackets refined together.

    Each round samples every bracket at ``_REFINE_POINTS`` instants (one geometry call for all) and
    keeps the sub-interval holding the crossing; once brackets are under a second (the clearance
    is then linear to far better than ``tol_s``), the crossing is interpolated linearly.
    """
    lo, hi = np.array(lo, dtype=np.float64), np.array(hi, dtype=np.float64)
    rising = np.broadcast_to(np.asarray(rising, bool), lo.shape)
    if lo.size == 0:
        return lo
    rows = np.arange(lo.size)
    while True:
        t, c, _ = _sample_brackets(trajectory, antenna, lo, hi)
        after = np.where(rising[:, None], c >= 0.0, c < 0.0)  # True once past the crossing
        after[:, -1] = True  # inclusive bracket end
        k = np.maximum(np.argmax(after, axis=1), 1)
        lo, hi = t[rows, k - 1], t[rows, k]
        c_lo, c_hi = c[rows, k - 1], c[rows, k]
        if np.max(hi - lo) <= max(tol_s, 1.0):
            break
    with np.errstate(divide="ignore", invalid="ignore"):
        x = lo + (hi - lo) * c_lo / (c_lo - c_hi)
    return np.where(np.isfinite(x) & (x >= lo) & (x <= hi), x, 0.5 * (lo + hi))


def _refine_peaks(trajectory, antenna, lo, hi, parabola_s: float = 60.0) -> np.ndarray:
    """Instants of highest elevation, one per interval [lo, hi], all refined together.

    Rounds of sampling narrow each interval around its best sample until the samples are closer
    than ``parabola_s``/23; the vertex of the parabola through the best sample and its neighbours
    then places the peak (elevation is smooth there: well under a second of error).
    """
    lo, hi = np.array(lo, dtype=np.float64), np.array(hi, dtype=np.float64)
    if lo.size == 0:
        return lo
    rows = np.arange(lo.size)
    while True:
        t, _, el = _sample_brackets(trajectory, antenna, lo, hi)
        el = np.where(np.isfinite(el), el, -np.inf)
        k = np.argmax(el, axis=1)
        if np.max(hi - lo) <= parabola_s:
            break
        lo, hi = t[rows, np.maximum(k - 1, 0)], t[rows, np.minimum(k + 1, _REFINE_POINTS - 1)]
    km = np.clip(k, 1, _REFINE_POINTS - 2)
    y0, y1, y2 = el[rows, km - 1], el[rows, km], el[rows, km + 1]
    h = (hi - lo) / (_REFINE_POINTS - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        shift = 0.5 * h * (y0 - y2) / (y0 - 2.0 * y1 + y2)
    vertex = t[rows, km] + np.where(np.isfinite(shift) & (np.abs(shift) <= h), shift, 0.0)
    return np.clip(vertex, t[:, 0], t[:, -1])


# A trajectory whose closest approach to the Earth's centre is beyond this is a slow mover: its
# direction drifts by a few degrees a day at most, and the sky turns it around each antenna once a
# sidereal day. Closer objects (the Moon's distance and in) take the generic search.
SLOW_MOVER_KM = 1.0e6
SLOW_NODE_S = 12 * 3600.0  # nodes of the apparent position (cubic between them: metres at Mars)
SLOW_STEP_S = 1800.0  # coarse step of the search on an antenna without a horizon mask
SLOW_STEP_MASKED_S = 300.0  # with a horizon mask (a step in the mask can open a short window)


def trajectory_pass_table(
    trajectory: Trajectory,
    antennas,
    start_unix: float,
    end_unix: float,
    *,
    min_elevation_deg: float | None = None,
    step_s: float | None = None,
):
    """Every pass of ``trajectory`` over each antenna in [start, end], light-time corrected, as the
    one ``PassTable`` (canonical order; ``elements_age_days`` NaN, as for every trajectory).

    The floor is each antenna's own (its minimum elevation and horizon mask: 10 deg for the 35 m
    deep-space antennas), or ``min_elevation_deg`` for all when given. AOS and LOS are where the
    light-time-corrected, aberrated elevation crosses the floor (to a millisecond); TCA is the
    highest elevation inside [AOS, LOS]. A pass under way at ``start`` or ``end`` is clipped there.
    The time span is clipped to the trajectory's span. ``object_id`` is the NORAD or NAIF number
    when the trajectory has one (``-144`` for Solar Orbiter), else its text id (an OEM's
    ``OBJECT_ID``, a spacecraft id such as ``MEX``).

    Two strategies, chosen by the trajectory's closest distance: slow movers (beyond
    ``SLOW_MOVER_KM``) are searched on a model of their apparent direction (light time and
    aberration from the geocentre at nodes hours apart, the Earth spun by the sidereal angle) with
    a coarse step, and every crossing is then corrected by the full light-time solution from the
    antenna; nearer objects are sampled with the full solution on a fine grid (``step_s`` forces
    that strategy with the given step). Callers go through ``visibility.core.find_windows``.
    """
    from .core import with_min_elevation
    from .passes import PassLabels, PassTable

    antennas = with_min_elevation(antennas if isinstance(antennas, (list, tuple)) else [antennas], min_elevation_deg)
    labels = PassLabels([trajectory.object_id], [trajectory.name], [a.id for a in antennas])
    span_lo, span_hi = trajectory.span_unix
    lo, hi = max(start_unix, span_lo), min(end_unix, span_hi)
    if hi <= lo or not antennas:
        return PassTable.empty(labels)
    closest = _closest_km(trajectory, lo, hi)
    sky = _SkyModel(trajectory, lo, hi) if closest > SLOW_MOVER_KM and step_s is None else None
    columns = []  # per antenna: (aos, tca, los, max_el, aos_az, los_az)
    for antenna in antennas:
        if sky is not None:
            columns.append(_slow_mover_passes(trajectory, sky, antenna, lo, hi))
        else:
            aos, los = _sampled_crossings(trajectory, antenna, lo, hi, step_s or _grid_step_s(closest))
            columns.append(_windows_of(trajectory, antenna, aos, los))
    aos, tca, los, max_el, aos_az, los_az = (np.concatenate([np.asarray(c[k], dtype=np.float64) for c in columns])
                                             for k in range(6))
    sta = np.concatenate([np.full(len(c[0]), i, dtype=np.int64) for i, c in enumerate(columns)])
    return PassTable(labels, np.zeros(aos.size, np.int64), sta, aos, tca, los, max_el, aos_az, los_az,
                     aos <= lo, los >= hi).sort()


def _closest_km(trajectory: Trajectory, start: float, end: float) -> float:
    probe = np.linspace(start, end, 9)
    p, _ = trajectory.state_gcrs(probe, strict=False)
    return float(np.nanmin(_norm(p))) if np.isfinite(p).any() else 1e9


def _grid_step_s(closest_km: float) -> float:
    """Sampling step of the generic search: no pass of the trajectory fits between two samples unseen."""
    if closest_km > 1.0e5:  # beyond the Moon: the sky turns at the Earth's rate (15 deg/h) at most
        return 600.0
    if closest_km > 2.0e4:  # MEO, GEO, HEO apogee arcs
        return 60.0
    return 15.0


def _sampled_crossings(trajectory, antenna, lo: float, hi: float, step: float):
    """The generic strategy: the full light-time solution sampled every ``step`` and refined at each crossing."""
    grid = np.unique(np.concatenate([np.arange(lo, hi, step), [hi]]))
    clear, _, _ = _clearance(trajectory, antenna, grid)
    valid = np.isfinite(clear)
    up = valid & (np.nan_to_num(clear, nan=-1.0) >= 0.0)
    first, last, aos_open, los_open = sample_windows(up, valid)
    aos, los = grid[first].copy(), grid[last].copy()
    a_idx, l_idx = first[aos_open], last[los_open]
    crossings = _refine_roots(trajectory, antenna, np.concatenate([grid[a_idx - 1], grid[l_idx]]),
                              np.concatenate([grid[a_idx], grid[l_idx + 1]]),
                              np.concatenate([np.ones(a_idx.size, bool), np.zeros(l_idx.size, bool)]))
    aos[aos_open], los[los_open] = crossings[:a_idx.size], crossings[a_idx.size:]
    cand = grazing_candidates(clear, valid, up)
    if cand.size:
        tops = _refine_peaks(trajectory, antenna, grid[cand - 1], grid[cand + 1])
        above = _clearance(trajectory, antenna, tops)[0] >= 0.0
        cand, tops = cand[above], tops[above]
        if cand.size:
            aos = np.concatenate([aos, _refine_roots(trajectory, antenna, grid[cand - 1], tops, True)])
            los = np.concatenate([los, _refine_roots(trajectory, antenna, tops, grid[cand + 1], False)])
    return aos, los


class _SkyModel:
    """The apparent position of a slow mover in the true equator and equinox of date, cheap at any time.

    At nodes ``SLOW_NODE_S`` apart: the position seen from the Earth's centre, light-time corrected
    and aberrated by the Earth's orbital motion, rotated by precession-nutation (``frames``);
    between nodes, a cubic. At any instant the Earth is spun by the Greenwich apparent sidereal angle
    (interpolated linearly between nodes, where it is linear to far under a milliarcsecond). What it
    leaves out (the antenna's own light time and diurnal aberration, polar motion: a fraction of an
    arcsecond) moves a crossing by hundredths of a second, which the full solution at each crossing
    then removes.
    """

    def __init__(self, trajectory: Trajectory, lo: float, hi: float):
        span_lo, span_hi = trajectory.span_unix
        self.t0 = lo - 2 * SLOW_NODE_S
        nodes = self.t0 + SLOW_NODE_S * np.arange(int(np.ceil((hi - self.t0) / SLOW_NODE_S)) + 4)
        at = np.clip(nodes, span_lo, span_hi)
        pe, ve = frames.barycentric_state("earth", at)
        s_pos, _ = trajectory.state_barycentric(at, strict=False)
        for _ in range(2):
            tau = _norm(s_pos - pe) / C_KM_S
            s_pos, _ = trajectory.state_barycentric(np.clip(at - np.nan_to_num(tau), span_lo, span_hi), strict=False)
        q = s_pos - pe
        r = _norm(q)
        d = q / r
        beta = ve / C_KM_S
        d = d + beta - np.einsum("in,in->n", d, beta) * d
        q = d / _norm(d) * r
        m, gast, _ = frames.sidereal_parts(at)
        q = np.einsum("ijn,jn->in", m, q)
        # Cubic through nodes k-1..k+2 on [k, k+1], as power-series coefficients in u per interval.
        p0, p1, p2, p3 = q[:, :-3], q[:, 1:-2], q[:, 2:-1], q[:, 3:]
        self.coef = np.stack([p1, (-2 * p0 - 3 * p1 + 6 * p2 - p3) / 6.0, (p0 - 2 * p1 + p2) / 2.0,
                              (-p0 + 3 * p1 - 3 * p2 + p3) / 6.0]).transpose(2, 0, 1).copy()  # (interval, 4, 3)
        self.nodes = nodes
        # Unwrapped with the Earth's rotation rate: nodes half a day apart are 180.5 degrees apart.
        expected = gast[0] + EARTH_ROTATION_RAD_S * (nodes - nodes[0])
        self.gast = gast + 2.0 * np.pi * np.round((expected - gast) / (2.0 * np.pi))
        self._grids: dict = {}

    def itrs_km(self, t: np.ndarray) -> np.ndarray:
        """Apparent position (3, n) in the rotating Earth's frame (polar motion left out)."""
        x = (t - self.t0) / SLOW_NODE_S
        k = np.clip(np.floor(x).astype(np.int64), 1, self.nodes.size - 3)
        u = (x - k)[:, None]
        c = self.coef[k - 1]  # (n, 4, 3)
        q = (c[:, 0] + u * (c[:, 1] + u * (c[:, 2] + u * c[:, 3]))).T
        return self._spin(q, np.interp(t, self.nodes, self.gast))

    @staticmethod
    def _spin(q: np.ndarray, gast: np.ndarray) -> np.ndarray:
        c, s = np.cos(gast), np.sin(gast)
        return np.stack([c * q[0] + s * q[1], c * q[1] - s * q[0], q[2]])

    def grid(self, lo: float, hi: float, step: float) -> tuple[np.ndarray, np.ndarray]:
        """Times from ``lo`` every ``step`` (a divisor of the node spacing) to ``hi``, and the positions there.

        The samples fall at the same few fractions of every node interval, so the cubic is evaluated
        per fraction over all intervals at once; the result is kept for the next antenna.
        """
        key = (lo, hi, step)
        if key not in self._grids:
            per = int(round(SLOW_NODE_S / step))
            n = int(np.ceil((hi - lo) / step))
            first = int(round((lo - self.t0) / SLOW_NODE_S))  # lo is a node: t0 + 2 node spacings
            intervals = -(-n // per)
            c = self.coef[first - 1:first - 1 + intervals]  # (K, 4, 3)
            u = (np.arange(per) / per)[None, :, None]
            q = c[:, None, 0] + u * (c[:, None, 1] + u * (c[:, None, 2] + u * c[:, None, 3]))
            t = lo + step * np.arange(n)
            q = q.reshape(-1, 3)[:n].T
            pos = np.concatenate([self._spin(q, np.interp(t, self.nodes, self.gast)), self.itrs_km(np.array([hi]))],
                                 axis=1)
            self._grids = {key: (np.append(t, hi), pos)}
        return self._grids[key]

    def clearance(self, antenna, t: np.ndarray, frames_of=None, position_km: np.ndarray | None = None,
                  azimuth: bool = True):
        """Elevation above the antenna's floor, azimuth and elevation (deg) of the model at times ``t``.

        Without a horizon mask the floor does not depend on the azimuth: ``azimuth=False`` skips it
        (the azimuth returned is then None).
        """
        station = frames_of or StationFrames.of([antenna])
        pos = self.itrs_km(t) if position_km is None else position_km
        rho = pos - station.position_km[0][:, None]
        u = station.up[0] @ rho
        el = np.degrees(np.arcsin(u / np.sqrt(np.einsum("in,in->n", rho, rho))))
        if not azimuth and not antenna.horizon_mask:
            return el - antenna.min_elevation_deg, None, el
        az = np.mod(np.degrees(np.arctan2(station.east[0] @ rho, station.north[0] @ rho)), 360.0)
        return el - antenna.elevation_floor_deg(az), az, el


def _slow_mover_passes(trajectory: Trajectory, sky: _SkyModel, antenna, lo: float, hi: float):
    """Passes of a slow mover: coarse search on the sky model, then the full solution at each crossing."""
    station = StationFrames.of([antenna])

    def clear(t):
        return sky.clearance(antenna, t, station, azimuth=False)[0]

    def clear_of(_index, t):
        return clear(t)

    step = SLOW_STEP_MASKED_S if antenna.horizon_mask else SLOW_STEP_S
    grid, positions = sky.grid(lo, hi, step)
    c = sky.clearance(antenna, grid, station, positions, azimuth=False)[0]
    valid = np.isfinite(c)
    up = valid & (np.nan_to_num(c, nan=-1.0) >= 0.0)
    first, last, aos_open, los_open = sample_windows(up, valid)
    aos, los = grid[first].copy(), grid[last].copy()
    a_idx, l_idx = first[aos_open], last[los_open]
    b_lo = np.concatenate([grid[a_idx - 1], grid[l_idx]])
    b_hi = np.concatenate([grid[a_idx], grid[l_idx + 1]])
    rising = np.concatenate([np.ones(a_idx.size, bool), np.zeros(l_idx.size, bool)])
    cand = grazing_candidates(c, valid, up)
    if cand.size:
        tops = peaks(clear_of, grid[cand - 1], grid[cand + 1])
        keep = clear(tops) >= 0.0
        cand, tops = cand[keep], tops[keep]
        b_lo = np.concatenate([b_lo, grid[cand - 1], tops])
        b_hi = np.concatenate([b_hi, tops, grid[cand + 1]])
        rising = np.concatenate([rising, np.ones(cand.size, bool), np.zeros(cand.size, bool)])
    roots = crossings(clear_of, b_lo, b_hi, rising)
    n_a, n_l, n_g = a_idx.size, l_idx.size, cand.size
    aos[aos_open], los[los_open] = roots[:n_a], roots[n_a:n_a + n_l]
    aos = np.concatenate([aos, roots[n_a + n_l:n_a + n_l + n_g]])
    los = np.concatenate([los, roots[n_a + n_l + n_g:]])
    if not aos.size:
        return (np.zeros(0),) * 6
    tca = peaks(lambda _index, t: sky.clearance(antenna, t, station, azimuth=False)[2], aos, los)
    # The full solution (the antenna's own light time, aberration, polar motion) at every crossing and
    # peak in one call; a Newton step with the model's slope moves each crossing onto it.
    crossing = np.concatenate([aos, los])
    is_crossing = np.concatenate([aos > lo, los < hi])
    events = np.concatenate([crossing, tca])
    tau0 = _norm(sky.itrs_km(events) - station.position_km[0][:, None]) / C_KM_S  # to microseconds
    exact, az, el = _clearance(trajectory, antenna, events, tau0)
    n = crossing.size
    slope = (clear(crossing + 0.5) - clear(crossing - 0.5))
    with np.errstate(divide="ignore", invalid="ignore"):
        moved = crossing - exact[:n] / slope
    ok = np.isfinite(moved) & (np.abs(moved - crossing) < 2.0)
    fix = is_crossing & ~ok & np.isfinite(exact[:n])
    moved = np.where(ok & is_crossing, moved, crossing)
    if fix.any():  # grazing crossings, where the slope is nearly flat: bracket the full solution itself
        idx = np.nonzero(fix)[0]
        rise = idx < aos.size
        moved[idx] = _refine_roots(trajectory, antenna, np.maximum(crossing[idx] - 60.0, lo),
                                   np.minimum(crossing[idx] + 60.0, hi), rise)
    aos_t, los_t = np.clip(moved[:aos.size], lo, hi), np.clip(moved[aos.size:], lo, hi)
    tca = np.clip(tca, aos_t, los_t)
    return aos_t, tca, los_t, el[n:], az[:aos.size], az[aos.size:n]


def _windows_of(trajectory: Trajectory, antenna, aos: np.ndarray, los: np.ndarray):
    """TCA (the highest elevation in each window), maximum elevation and the AOS/LOS azimuths."""
    if not aos.size:
        return (np.zeros(0),) * 6
    tca = _refine_peaks(trajectory, antenna, aos, los)
    _, az, el = _clearance(trajectory, antenna, np.concatenate([aos, tca, los]))
    n = aos.size
    return aos, tca, los, el[n:2 * n], az[:n], az[2 * n:]
