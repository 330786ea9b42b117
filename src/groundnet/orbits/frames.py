"""Reference frames and centres: GCRS/ICRF/EME2000, ITRS, TEME; Earth, Sun, Moon, planets.

Conventions (see docs/deep-space.md):

* Inertial axes: GCRS (geocentric), ICRF/BCRS (barycentric) and EME2000 (SPICE ``J2000``) are all
  treated as the same axes. EME2000 and ICRF differ by the frame bias (about 23 mas, i.e. 17 km at
  1 AU, 0.1 m at GEO); SPICE, the DE ephemerides and the SPK files we read label ICRF-aligned data
  ``J2000`` already, so applying the bias would be wrong for them.
* Earth-fixed: ITRS through Skyfield (IAU 2000A nutation, UT1 and polar motion from
  ``skyfield-data``'s finals2000A.all).
* Centres come from JPL DE421 (``timebase.planetary_ephemeris()``), barycentric, km and km/s.

Every function takes POSIX seconds (scalar or array of shape ``(n,)``) and returns arrays whose
first axis is x, y, z: ``(3,)`` or ``(3, n)``.
"""

from __future__ import annotations

import numpy as np

from ..constants import EARTH_ROTATION_RAD_S
from ..errors import TrajectoryError
from ..timebase import skyfield_times


# CCSDS CENTER_NAME / SPICE names -> DE421 segment names Skyfield understands.
_CENTRE_ALIASES = {
    "EARTH": "earth",
    "399": "earth",
    "SUN": "sun",
    "10": "sun",
    "MOON": "moon",
    "301": "moon",
    "SSB": "solar system barycenter",
    "0": "solar system barycenter",
    "SOLAR SYSTEM BARYCENTER": "solar system barycenter",
    "MERCURY": "mercury",
    "199": "mercury",
    "VENUS": "venus",
    "299": "venus",
    "EARTH BARYCENTER": "earth barycenter",
    "EARTH-MOON BARYCENTER": "earth barycenter",
    "EMB": "earth barycenter",
    "3": "earth barycenter",
    "MARS BARYCENTER": "mars barycenter",
    "4": "mars barycenter",
    # DE421 has no Mars body centre; Phobos and Deimos move it from the barycentre by under 20 cm.
    "MARS": "mars barycenter",
    "499": "mars barycenter",
    "JUPITER BARYCENTER": "jupiter barycenter",
    "JUPITER": "jupiter barycenter",
    "5": "jupiter barycenter",
    "SATURN BARYCENTER": "saturn barycenter",
    "SATURN": "saturn barycenter",
    "6": "saturn barycenter",
}


def centre_key(name: str | int) -> str:
    """The DE421 name of a CCSDS ``CENTER_NAME`` or NAIF id (``'MARS BARYCENTER'``, ``499``, ...)."""
    key = str(name).strip().upper()
    if key not in _CENTRE_ALIASES:
        raise TrajectoryError(
            f"unknown centre '{name}': groundnet knows {', '.join(sorted(k for k in _CENTRE_ALIASES if not k.isdigit()))}"
        )
    return _CENTRE_ALIASES[key]


def _as_times(times_unix) -> tuple[np.ndarray, bool]:
    t = np.asarray(times_unix, dtype=np.float64)
    return np.atleast_1d(t), t.ndim == 0


def barycentric_state(centre: str | int, times_unix) -> tuple[np.ndarray, np.ndarray]:
    """Position (km) and velocity (km/s) of a centre relative to the solar-system barycentre (ICRF)."""
    from ..timebase import planetary_ephemeris

    t, scalar = _as_times(times_unix)
    eph = planetary_ephemeris()
    name = centre_key(centre)
    if name == "solar system barycenter":
        pos = np.zeros((3, t.size))
        vel = np.zeros((3, t.size))
    else:
        p = eph[name].at(skyfield_times(t))
        pos = p.position.km
        vel = p.velocity.km_per_s
    return (pos[:, 0], vel[:, 0]) if scalar else (pos, vel)


def centre_state_gcrs(centre: str | int, times_unix) -> tuple[np.ndarray, np.ndarray]:
    """Position and velocity of a centre relative to the Earth's centre (GCRS axes, km, km/s)."""
    if centre_key(centre) == "earth":
        t, scalar = _as_times(times_unix)
        z = np.zeros((3,) if scalar else (3, t.size))
        return z, z.copy()
    p_c, v_c = barycentric_state(centre, times_unix)
    p_e, v_e = barycentric_state("earth", times_unix)
    return p_c - p_e, v_c - v_e


# Earth orientation is split into the fast spin (GMST, cheap, evaluated at every time) and slow parts
# (precession-nutation M, the equation of the equinoxes, polar motion), which are computed with
# Skyfield's IAU 2000A model once a day and interpolated with a cubic through the four nearest days.
# Nutation's fastest terms that matter (13.7 and 9.1 days) make that interpolation err by under
# 1e-9 rad (0.2 mas, 6 mm on the ground), while a full IAU 2000A evaluation costs about 70
# microseconds per time: a 20-year search needs 7,300 daily nodes where hourly ones would cost a
# hundred times more. Nodes are computed in blocks of ``_BLOCK`` days, kept as arrays for the process.
NODE_S = 86400.0
_BLOCK = 64
_SLOW_FIELDS = 19  # M (9), equation of the equinoxes in hours (1), polar motion (9)
_slow_blocks: dict[int, np.ndarray] = {}
_teme_blocks: dict[int, np.ndarray] = {}


def _node_days(block: int) -> np.ndarray:
    """The days whose nodes block ``block`` holds: one before it to two after it (the cubic's reach)."""
    return np.arange(block * _BLOCK - 1, (block + 1) * _BLOCK + 2, dtype=np.float64)


def _compute_slow_block(block: int) -> np.ndarray:
    tn = skyfield_times(_node_days(block) * NODE_S)
    n = tn.tt.size
    m = tn.M.reshape(9, n)
    eqeq_h = np.atleast_1d(tn.gast - tn.gmst)[None, :]
    if tn.ts.polar_motion_table is not None:
        pm = tn.polar_motion_matrix().reshape(9, n)
    else:
        pm = np.repeat(np.eye(3).reshape(9, 1), n, axis=1)
    return np.concatenate([m, eqeq_h, pm]).T  # (nodes, 19)


def _compute_teme_block(block: int) -> np.ndarray:
    from skyfield.sgp4lib import TEME

    tn = skyfield_times(_node_days(block) * NODE_S)
    return TEME.rotation_at(tn).reshape(9, -1).T  # (nodes, 9)


def _interpolate_nodes(t: np.ndarray, cache: dict[int, np.ndarray], compute) -> np.ndarray:
    """Cubic (four-point Lagrange) interpolation of daily node rows at times ``t``: (fields, n)."""
    if t.size == 0:
        return np.zeros((_SLOW_FIELDS if cache is _slow_blocks else 9, 0))
    day = np.floor(t / NODE_S)
    u = t / NODE_S - day
    block = (day // _BLOCK).astype(np.int64)
    row = (day - block * _BLOCK).astype(np.int64)  # node row of ``day`` is row + 1 in its block
    blocks, inverse = np.unique(block, return_inverse=True)
    for b in blocks.tolist():
        if b not in cache:
            if len(cache) > 4096:  # some 700 years of days
                cache.clear()
            cache[b] = compute(b)
    table = np.stack([cache[b] for b in blocks.tolist()])  # (blocks, nodes, fields)
    weights = (-u * (u - 1) * (u - 2) / 6.0, (u + 1) * (u - 1) * (u - 2) / 2.0,
               -(u + 1) * u * (u - 2) / 2.0, (u + 1) * u * (u - 1) / 6.0)
    out = np.zeros((table.shape[2], t.size))
    for k, w in enumerate(weights):
        out += table[inverse, row + k].T * w
    return out


def _slow_parts(t: np.ndarray):
    """Interpolated M (3,3,n), equation of the equinoxes (hours, n) and polar motion (3,3,n)."""
    rows = _interpolate_nodes(t, _slow_blocks, _compute_slow_block)
    return rows[:9].reshape(3, 3, -1), rows[9], rows[10:].reshape(3, 3, -1)


def _teme_rotation(t: np.ndarray) -> np.ndarray:
    """Interpolated TEME -> GCRS rotation (3, 3, n) (Skyfield's ``TEME.rotation_at``)."""
    return _interpolate_nodes(t, _teme_blocks, _compute_teme_block).reshape(3, 3, -1)


def sidereal_parts(times_unix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The Earth's orientation in parts: M (3,3,n), Greenwich apparent sidereal angle (rad, n), polar motion (3,3,n).

    ``itrs_rotation = polar motion @ R3(-gast) @ M``; a search that needs the orientation at many
    times can rotate into the true equator and equinox of date once (M) and spin cheaply (gast).
    """
    t, _ = _as_times(times_unix)
    m, eqeq_h, pm = _slow_parts(t)
    gast_rad = (np.atleast_1d(skyfield_times(t).gmst) + eqeq_h) * (np.pi / 12.0)
    return m, gast_rad, pm


def gmst82_rad(times_unix) -> tuple[np.ndarray, float]:
    """Greenwich mean sidereal time of the 1982 formula at UT1 (rad, (n,)), and its rate (rad/s).

    The angle that turns SGP4's TEME into the pseudo Earth-fixed frame (AIAA 2006-6753 Appendix C;
    Skyfield's ``theta_GMST1982``, on the UT1 of ``timebase.skyfield_times``), not the IAU 2006
    GMST of ``sidereal_parts``: the two differ by tens of milliarcseconds (-28 mas in 1995, +49 in
    2023), which SGP4's frame keeps.
    """
    from skyfield.sgp4lib import theta_GMST1982

    t, _ = _as_times(times_unix)
    if t.size == 0:
        return np.zeros(0), 0.0
    tn = skyfield_times(t)
    theta, theta_dot = theta_GMST1982(tn.whole, tn.ut1_fraction)
    rate = float(np.atleast_1d(theta_dot)[0]) / 86400.0  # per day of UT1; UT1 runs at the rate of UTC to 1e-9
    return np.atleast_1d(np.asarray(theta, dtype=np.float64)), rate


def polar_motion(times_unix) -> np.ndarray:
    """Polar motion ``W`` (3, 3, n) with ``r_itrs = W r_pef`` (``R1(yp) R2(xp) R3(-s')``, Skyfield's)."""
    t, _ = _as_times(times_unix)
    return _slow_parts(t)[2]


def _rot_z_stack(angle: np.ndarray) -> np.ndarray:
    c, s = np.cos(angle), np.sin(angle)
    z, o = np.zeros_like(angle), np.ones_like(angle)
    return np.array([[c, -s, z], [s, c, z], [z, z, o]])


def _mxm(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.einsum("ijn,jkn->ikn", a, b)


def itrs_rotation(times_unix) -> np.ndarray:
    """Rotation matrices R (3, 3) or (3, 3, n) with r_itrs = R @ r_gcrs (precession, nutation, UT1, polar motion)."""
    t, scalar = _as_times(times_unix)
    m, gast_rad, pm = sidereal_parts(t)
    r = _mxm(pm, _mxm(_rot_z_stack(-gast_rad), m))
    return r[:, :, 0] if scalar else r


def _apply(r: np.ndarray, v: np.ndarray, transpose: bool = False) -> np.ndarray:
    """Apply (3,3[,n]) rotations to (3[,n]) vectors, optionally transposed."""
    sub = "jin,jn->in" if transpose else "ijn,jn->in"
    if r.ndim == 2:
        return (r.T if transpose else r) @ v
    return np.einsum(sub, r, v if v.ndim == 2 else np.repeat(v[:, None], r.shape[2], axis=1))


def _omega_cross(r: np.ndarray) -> np.ndarray:
    return np.stack([-EARTH_ROTATION_RAD_S * r[1], EARTH_ROTATION_RAD_S * r[0], np.zeros_like(r[2])])


def itrs_to_gcrs(pos_km, vel_km_s, times_unix, rotation: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Earth-fixed state (a fixed station: velocity zeros) to GCRS, including the Earth's rotation.

    ``rotation``: ``itrs_rotation(times_unix)`` when the caller has it already.
    """
    r = itrs_rotation(times_unix) if rotation is None else rotation
    pos = np.asarray(pos_km, dtype=np.float64)
    vel = np.asarray(vel_km_s, dtype=np.float64)
    if r.ndim == 3 and pos.ndim == 1:
        pos = np.repeat(pos[:, None], r.shape[2], axis=1)
        vel = np.repeat(vel[:, None], r.shape[2], axis=1)
    return _apply(r, pos, transpose=True), _apply(r, vel + _omega_cross(pos), transpose=True)


def gcrs_to_itrs(pos_km, vel_km_s, times_unix) -> tuple[np.ndarray, np.ndarray]:
    """GCRS state to Earth-fixed ITRS (velocity relative to the rotating Earth)."""
    r = itrs_rotation(times_unix)
    p = _apply(r, np.asarray(pos_km, dtype=np.float64))
    v = _apply(r, np.asarray(vel_km_s, dtype=np.float64))
    return p, v - _omega_cross(p)


def teme_to_gcrs(pos_km, vel_km_s, times_unix) -> tuple[np.ndarray, np.ndarray]:
    """SGP4's TEME state to GCRS (TEME turns slowly against GCRS: its rate is negligible)."""
    t, scalar = _as_times(times_unix)
    r = _teme_rotation(t)
    pos = np.asarray(pos_km, dtype=np.float64).reshape(3, -1)
    vel = np.asarray(vel_km_s, dtype=np.float64).reshape(3, -1)
    p, v = _apply(r, pos, transpose=True), _apply(r, vel, transpose=True)
    return (p[:, 0], v[:, 0]) if scalar else (p, v)


def station_state_gcrs(itrs_km: np.ndarray, times_unix, rotation: np.ndarray | None = None):
    """A ground station's GCRS position and velocity (km, km/s) at the given times."""
    return itrs_to_gcrs(itrs_km, np.zeros(3), times_unix, rotation)


def true_pole_gcrs(time_unix: float) -> np.ndarray:
    """Unit vector of the Earth's rotation pole (ITRS z-axis) in GCRS at one instant."""
    return itrs_rotation(float(time_unix))[2, :]


# Inertial frame names accepted in CCSDS messages (REF_FRAME) and what we do with them.
INERTIAL_FRAMES = {"EME2000", "ICRF", "GCRF", "J2000", "ICRF2", "ICRF3"}
EARTH_FIXED_FRAMES = {"ITRF", "ITRF93", "ITRF97", "ITRF2000", "ITRF2005", "ITRF2008", "ITRF2014", "ITRF2020",
                      "ITRF1997", "ITRF-93", "ITRF-97", "ITRS", "GRC", "ECEF"}


def to_gcrs(frame: str, pos_km, vel_km_s, times_unix) -> tuple[np.ndarray, np.ndarray]:
    """A state in a named CCSDS frame (axes only, same centre) to GCRS/ICRF axes."""
    name = frame.strip().upper()
    if name in INERTIAL_FRAMES:
        return np.asarray(pos_km, dtype=np.float64), np.asarray(vel_km_s, dtype=np.float64)
    if name in EARTH_FIXED_FRAMES:
        return itrs_to_gcrs(pos_km, vel_km_s, times_unix)
    if name == "TEME":
        return teme_to_gcrs(pos_km, vel_km_s, times_unix)
    raise TrajectoryError(
        f"reference frame '{frame}' is not supported; use one of "
        f"{', '.join(sorted(INERTIAL_FRAMES | EARTH_FIXED_FRAMES | {'TEME'}))}"
    )
