"""Derive the ExoMars 2016 departure asymptote (C3, right ascension and declination) from the
published departure and arrival dates and the JPL DE421 planetary ephemeris.

The launch provider did not publish the escape hyperbola. What is public: separation from the
Breeze-M upper stage on 14 March 2016 at about 20:12 UTC (ESA: "about 21:12 CET") and Mars arrival
on 19 October 2016 (Schiaparelli atmospheric entry at 14:42 UTC). The transfer orbit joining
Earth's and Mars' positions at those instants (Lambert's problem, short way) gives the hyperbolic
excess velocity v_inf = v_transfer - v_Earth at departure: C3 = |v_inf|^2 and the asymptote's
direction in the GCRS (equatorial) frame. Run it with the project's Python:

    .venv/bin/python examples/leop/exomars_asymptote.py
"""

from __future__ import annotations

import math

import numpy as np

from groundnet.timebase import parse_utc, planetary_ephemeris, skyfield_times, to_unix

GM_SUN_KM3_S2 = 1.32712440018e11
DEPARTURE = "2016-03-14T20:12:00Z"
ARRIVAL = "2016-10-19T14:42:00Z"


def _stumpff(z):
    if z > 1e-8:
        s = math.sqrt(z)
        return (1 - math.cos(s)) / z, (s - math.sin(s)) / s**3
    if z < -1e-8:
        s = math.sqrt(-z)
        return (math.cosh(s) - 1) / (-z), (math.sinh(s) - s) / s**3
    return 0.5, 1.0 / 6.0


def lambert(r1, r2, tof_s, mu):
    """Universal-variable Lambert solution (short way, zero revolutions): velocities at r1 and r2."""
    n1, n2 = np.linalg.norm(r1), np.linalg.norm(r2)
    cos_dnu = float(r1 @ r2) / (n1 * n2)
    dnu = math.acos(max(-1.0, min(1.0, cos_dnu)))
    if np.cross(r1, r2)[2] < 0:  # prograde transfer
        dnu = 2 * math.pi - dnu
    A = math.sin(dnu) * math.sqrt(n1 * n2 / (1 - math.cos(dnu)))

    def y(z):
        C, S = _stumpff(z)
        return n1 + n2 + A * (z * S - 1) / math.sqrt(C)

    def tof(z):
        C, S = _stumpff(z)
        yz = y(z)
        return ((yz / C) ** 1.5 * S + A * math.sqrt(yz)) / math.sqrt(mu)

    lo, hi = -4 * math.pi**2, 4 * math.pi**2
    while y(lo) < 0:
        lo += 0.1
    for _ in range(200):  # bisection on the monotonic time of flight
        mid = 0.5 * (lo + hi)
        if tof(mid) > tof_s:
            hi = mid
        else:
            lo = mid
    z = 0.5 * (lo + hi)
    yz = y(z)
    f = 1 - yz / n1
    g = A * math.sqrt(yz / mu)
    gdot = 1 - yz / n2
    v1 = (r2 - f * r1) / g
    v2 = (gdot * r2 - r1) / g
    return v1, v2


def departure_asymptote(departure: str = DEPARTURE, arrival: str = ARRIVAL) -> dict:
    eph = planetary_ephemeris()
    sun, earth, mars = eph["sun"], eph["earth"], eph["mars barycenter"]
    t1, t2 = to_unix(parse_utc(departure)), to_unix(parse_utc(arrival))
    e = (earth - sun).at(skyfield_times(t1))
    m = (mars - sun).at(skyfield_times(t2))
    r1, v_earth = e.position.km, e.velocity.km_per_s
    r2 = m.position.km
    v1, _ = lambert(r1, r2, t2 - t1, GM_SUN_KM3_S2)
    v_inf = v1 - v_earth
    c3 = float(v_inf @ v_inf)
    ra = math.degrees(math.atan2(v_inf[1], v_inf[0])) % 360.0
    dec = math.degrees(math.asin(v_inf[2] / math.sqrt(c3)))
    return {"c3_km2_s2": c3, "asymptote_ra_deg": ra, "asymptote_dec_deg": dec, "v_inf_km_s": math.sqrt(c3)}


def fit_to_launch_plane(asym: dict, raan_deg: float, inclination_deg: float, perigee_altitude_km: float) -> dict:
    """Place the asymptote in the launch plane: the in-plane direction with the same declination
    (the plane's two candidates; the one nearer in right ascension), and the argument of perigee
    that puts the hyperbola's outgoing asymptote there."""
    from groundnet.leop import orbit

    a, e = orbit.conic_from_altitudes(perigee_altitude_km, c3_km2_s2=asym["c3_km2_s2"])
    nu_inf = float(orbit.asymptote_true_anomaly_deg(e))
    sin_u = math.sin(math.radians(asym["asymptote_dec_deg"])) / math.sin(math.radians(inclination_deg))
    best = None
    for u in (math.degrees(math.asin(sin_u)), 180.0 - math.degrees(math.asin(sin_u))):
        node, normal = orbit.plane_axes(raan_deg, inclination_deg)
        d = math.cos(math.radians(u)) * node + math.sin(math.radians(u)) * np.cross(normal, node)
        ra = math.degrees(math.atan2(d[1], d[0])) % 360.0
        miss = abs((ra - asym["asymptote_ra_deg"] + 180.0) % 360.0 - 180.0)
        if best is None or miss < best["ra_miss_deg"]:
            best = {"arg_perigee_deg": (u - nu_inf) % 360.0, "asymptote_u_deg": u % 360.0,
                    "asymptote_ra_in_plane_deg": ra, "ra_miss_deg": miss, "eccentricity": float(e)}
    return best


if __name__ == "__main__":
    import sys

    from groundnet.leop import orbit
    from groundnet.leop.injection import site_direction_gcrs
    from groundnet.orbits import numerical
    from groundnet.leop.scenario import LaunchSite

    asym = departure_asymptote()
    for k, v in asym.items():
        print(f"{k} = {v:.3f}")
    # The lift-off plane: Site 200/39 at 09:31:42 UTC, 51.5 deg, north-east (ascending).
    site = LaunchSite("Baikonur Site 200/39", 46.0398, 63.0320)
    raan0 = float(orbit.plane_through(site_direction_gcrs(site, to_unix(parse_utc("2016-03-14T09:31:42Z"))), 51.5))
    # J2 turns the node back while the stack circles in low and intermediate orbits (10.7 h):
    # at 51.5 deg and 200 km it is -5.0 deg/day; the higher intermediate orbits regress slower.
    rate = -1.5 * math.sqrt(orbit.MU_EARTH_KM3_S2 / 6578.0**3) * numerical.J2_EARTH * (orbit.EARTH_RADIUS_KM / 6578.0) ** 2 * math.cos(math.radians(51.5))
    drift = math.degrees(rate) * 10.7 * 3600 / 2.0  # half the low-orbit rate over the whole climb
    perigee = float(sys.argv[1]) if len(sys.argv) > 1 else 250.0
    print(f"raan_at_liftoff_deg = {raan0:.3f}")
    print(f"raan_drift_estimate_deg = {drift:.3f}")
    print(f"raan_deg = {(raan0 + drift) % 360:.3f}")
    for k, v in fit_to_launch_plane(asym, raan0 + drift, 51.5, perigee).items():
        print(f"{k} = {v:.3f}")
