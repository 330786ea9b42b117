"""Injection states from published launch parameters.

Launch providers publish the injection orbit as perigee and apogee altitudes (or, for an
escape, the perigee altitude and the characteristic energy C3), an inclination, and sometimes
the node and the argument of perigee. This module turns those numbers into a Cartesian state in
the Earth-centred inertial frame (GCRS, which equals EME2000 to 0.02 arcseconds);
:mod:`groundnet.orbits.numerical` propagates them. Arrays broadcast over leading axes.
"""

from __future__ import annotations

import math

import numpy as np

from ..constants import WGS84_A_KM, WGS84_GM_KM3_S2

MU_EARTH_KM3_S2 = WGS84_GM_KM3_S2  # IERS 2010 / EGM2008 GM
EARTH_RADIUS_KM = WGS84_A_KM  # WGS-84 / EGM2008 equatorial radius (J2 reference radius)


# --------------------------------------------------------------------------------------------
# Orbit shape and orientation
# --------------------------------------------------------------------------------------------

def conic_from_altitudes(perigee_altitude_km, apogee_altitude_km=None, c3_km2_s2=None):
    """Semi-major axis (km, negative for a hyperbola) and eccentricity.

    Give the apogee altitude for a closed orbit, or C3 (km^2/s^2, twice the orbital energy;
    positive for an escape) instead of the apogee.
    """
    rp = EARTH_RADIUS_KM + np.asarray(perigee_altitude_km, dtype=np.float64)
    if c3_km2_s2 is not None:
        a = -MU_EARTH_KM3_S2 / np.asarray(c3_km2_s2, dtype=np.float64)
    else:
        ra = EARTH_RADIUS_KM + np.asarray(apogee_altitude_km, dtype=np.float64)
        a = (rp + ra) / 2.0
    e = 1.0 - rp / a
    return a, e


def plane_through(direction, inclination_deg, ascending=True):
    """Right ascension of the ascending node (deg) of the plane of inclination ``inclination_deg``
    that contains ``direction`` (a unit vector, or many as [..., 3]).

    ``ascending`` picks the plane in which the body crosses ``direction`` northbound (the usual
    case for a lift-off towards the north-east; ``False`` for a south-east launch). The same
    construction places the launch site on its orbit and an escape asymptote on its hyperbola.
    Raises ``ValueError`` where the plane cannot reach the direction (|declination| > inclination).
    """
    d = np.asarray(direction, dtype=np.float64)
    ra = np.arctan2(d[..., 1], d[..., 0])
    dec = np.arcsin(np.clip(d[..., 2] / np.linalg.norm(d, axis=-1), -1.0, 1.0))
    inc = np.radians(inclination_deg)
    x = np.tan(dec) / np.tan(inc)
    if np.any(np.abs(x) > 1.0):
        raise ValueError(
            f"a plane inclined {float(np.max(inclination_deg)):.3f} deg cannot contain a direction at "
            f"declination {float(np.degrees(np.max(np.abs(dec)))):.3f} deg"
        )
    offset = np.arcsin(x)
    raan = ra - offset if ascending else ra + math.pi + offset
    return np.degrees(np.mod(raan, 2 * math.pi))


def argument_of_latitude(direction, raan_deg, inclination_deg):
    """Angle (deg) from the ascending node to ``direction`` measured in the orbit plane."""
    d = np.asarray(direction, dtype=np.float64)
    d = d / np.linalg.norm(d, axis=-1, keepdims=True)
    node, normal = plane_axes(raan_deg, inclination_deg)
    in_plane = np.cross(normal, node)
    return np.degrees(np.mod(np.arctan2(np.sum(d * in_plane, -1), np.sum(d * node, -1)), 2 * math.pi))


def plane_axes(raan_deg, inclination_deg):
    """Unit vectors of the ascending node and of the orbit normal for a plane (raan, inclination)."""
    raan, inc = np.radians(raan_deg), np.radians(inclination_deg)
    node = np.stack([np.cos(raan), np.sin(raan), np.zeros_like(raan)], axis=-1)
    normal = np.stack([np.sin(inc) * np.sin(raan), -np.sin(inc) * np.cos(raan), np.cos(inc) * np.ones_like(raan)], axis=-1)
    return node, normal


def asymptote_true_anomaly_deg(eccentricity):
    """True anomaly (deg) of the outgoing asymptote of a hyperbola (e > 1)."""
    return np.degrees(np.arccos(-1.0 / np.asarray(eccentricity, dtype=np.float64)))


def state_from_elements(a_km, e, inclination_deg, raan_deg, arg_perigee_deg, true_anomaly_deg):
    """Inertial position (km) and velocity (km/s), [..., 3], from classical elements.

    Works for ellipses and hyperbolas (a < 0, e > 1). Arrays broadcast.
    """
    a, e = np.asarray(a_km, dtype=np.float64), np.asarray(e, dtype=np.float64)
    nu = np.radians(true_anomaly_deg)
    p = a * (1.0 - e * e)
    r = p / (1.0 + e * np.cos(nu))
    u = np.radians(arg_perigee_deg) + nu
    node, normal = plane_axes(raan_deg, inclination_deg)
    in_plane = np.cross(normal, node)
    radial = np.cos(u)[..., None] * node + np.sin(u)[..., None] * in_plane
    along = -np.sin(u)[..., None] * node + np.cos(u)[..., None] * in_plane
    sqrt_mu_p = np.sqrt(MU_EARTH_KM3_S2 / p)
    v_radial = sqrt_mu_p * e * np.sin(nu)
    v_along = sqrt_mu_p * (1.0 + e * np.cos(nu))
    pos = r[..., None] * radial
    vel = v_radial[..., None] * radial + v_along[..., None] * along
    return pos, vel


def true_anomaly_from_time_deg(a_km: float, e: float, time_since_perigee_s: float) -> float:
    """True anomaly (deg) reached ``time_since_perigee_s`` after perigee (Kepler's equation,
    elliptic or hyperbolic, solved by Newton's method)."""
    n = math.sqrt(MU_EARTH_KM3_S2 / abs(a_km) ** 3)
    m = n * time_since_perigee_s
    if e < 1.0:
        E = m if e < 0.8 else math.pi
        for _ in range(50):
            E -= (E - e * math.sin(E) - m) / (1 - e * math.cos(E))
        nu = 2 * math.atan2(math.sqrt(1 + e) * math.sin(E / 2), math.sqrt(1 - e) * math.cos(E / 2))
    else:
        H = math.asinh(m / e)
        for _ in range(50):
            H -= (e * math.sinh(H) - H - m) / (e * math.cosh(H) - 1)
        nu = 2 * math.atan(math.sqrt((e + 1) / (e - 1)) * math.tanh(H / 2))
    return math.degrees(nu)


def period_s(a_km) -> float:
    """Orbital period (s) of a closed orbit; ``inf`` for an escape."""
    a = float(a_km)
    return 2 * math.pi * math.sqrt(a**3 / MU_EARTH_KM3_S2) if a > 0 else math.inf
