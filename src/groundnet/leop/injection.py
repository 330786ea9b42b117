"""The spacecraft's inertial state at separation, for a given lift-off time, from any scenario source.

Published elements are placed in space with :mod:`groundnet.leop.orbit`; a launcher's TLE goes
through SGP4 and Skyfield's TEME frame; OEM and OPM files through :mod:`groundnet.orbits.trajectory`.
Within a launch window a derived node (``raan_from = "launch_site"``) follows the lift-off time, a
given node or an escape asymptote stays fixed in space, and a file made for ``reference_launch``
keeps its ground track: the same Earth-fixed state, later by the delay.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import GroundnetError
from ..orbits.frames import itrs_rotation
from ..stations import geodetic_to_itrs_km
from . import orbit
from .geometry import gcrs_to_itrs, itrs_to_gcrs
from .scenario import Injection, LaunchSite, Scenario


class InjectionError(GroundnetError):
    """The injection parameters describe no usable orbit (a plane that cannot reach a direction, ...)."""


def site_direction_gcrs(site: LaunchSite, t_unix: float) -> np.ndarray:
    """Unit vector (GCRS) from the Earth's centre to the launch site at ``t_unix``."""
    r_itrs = geodetic_to_itrs_km(site.latitude_deg, site.longitude_deg, site.altitude_m)
    d = itrs_rotation(t_unix).T @ r_itrs
    return d / np.linalg.norm(d)


def elements_at_epoch(inj: Injection, site: LaunchSite | None, launch_unix: float) -> dict:
    """The injection's classical elements (km, deg) with the node and anomaly resolved."""
    a, e = orbit.conic_from_altitudes(inj.perigee_altitude_km, inj.apogee_altitude_km, inj.c3_km2_s2)
    a, e = float(a), float(e)
    inc = inj.inclination_deg
    argp = inj.arg_perigee_deg or 0.0
    try:
        if inj.raan_from == "launch_site":
            raan = float(orbit.plane_through(site_direction_gcrs(site, launch_unix), inc, inj.ascending))
        elif inj.raan_from == "asymptote":
            ra, dec = math.radians(inj.asymptote_ra_deg), math.radians(inj.asymptote_dec_deg)
            s = np.array([math.cos(dec) * math.cos(ra), math.cos(dec) * math.sin(ra), math.sin(dec)])
            raan = float(orbit.plane_through(s, inc, inj.ascending))
            argp = float(orbit.argument_of_latitude(s, raan, inc) - orbit.asymptote_true_anomaly_deg(e)) % 360.0
        else:
            raan = inj.raan_deg
    except ValueError as exc:
        raise InjectionError(f"injection: {exc}; lower |declination| or raise the inclination") from None
    if inj.true_anomaly_deg is not None:
        nu = inj.true_anomaly_deg
    elif inj.time_since_perigee_s is not None:
        nu = orbit.true_anomaly_from_time_deg(a, e, inj.time_since_perigee_s)
    elif inj.argument_of_latitude_deg is not None:
        nu = inj.argument_of_latitude_deg - argp
    else:
        u_site = float(orbit.argument_of_latitude(site_direction_gcrs(site, launch_unix), raan, inc))
        nu = u_site + inj.downrange_from_site_deg - argp
    if e >= 1.0 and abs((nu + 180.0) % 360.0 - 180.0) >= orbit.asymptote_true_anomaly_deg(e):
        raise InjectionError(f"injection: true anomaly {nu:.2f} deg is beyond the asymptote of this hyperbola "
                             f"(|nu| < {orbit.asymptote_true_anomaly_deg(e):.2f} deg)")
    return {"semi_major_axis_km": a, "eccentricity": e, "inclination_deg": inc, "raan_deg": raan % 360.0,
            "arg_perigee_deg": argp % 360.0, "true_anomaly_deg": nu % 360.0}


def _tle_state(inj: Injection, t_unix: float) -> tuple[np.ndarray, np.ndarray]:
    from sgp4.api import Satrec

    from ..orbits.frames import teme_to_gcrs
    from ..timebase import unix_to_jd

    if inj.tle_lines:
        l1, l2 = inj.tle_lines
    else:
        lines = [ln.rstrip() for ln in inj.file.read_text(encoding="utf-8", errors="replace").splitlines() if ln.strip()]
        ones = [i for i, ln in enumerate(lines) if ln.startswith("1 ")]
        if not ones or ones[0] + 1 >= len(lines) or not lines[ones[0] + 1].startswith("2 "):
            raise InjectionError(f"{inj.file}: no TLE (a line starting '1 ' followed by one starting '2 ') found")
        l1, l2 = lines[ones[0]], lines[ones[0] + 1]
    sat = Satrec.twoline2rv(l1, l2)
    jd, fr = unix_to_jd(t_unix)
    err, r, v = sat.sgp4(float(jd), float(fr))
    if err:
        raise InjectionError(f"injection TLE: SGP4 error {err} at separation; is the element set for this launch?")
    return teme_to_gcrs(np.array(r), np.array(v), t_unix)


def _ccsds_state(inj: Injection, t_unix: float) -> tuple[np.ndarray, np.ndarray]:
    """An OEM interpolated at ``t_unix`` (never extrapolated); an OPM's state propagated to it."""
    if inj.kind == "oem":
        from ..orbits.trajectory import load_trajectory

        return load_trajectory(inj.file).state_gcrs(t_unix)
    from ..ccsds import read_message
    from ..orbits import frames, numerical

    opm = read_message(inj.file, expect="OPM")
    if frames.centre_key(opm.center_name) != "earth" or opm.maneuvers:
        raise InjectionError(f"{inj.file}: an injection OPM must be Earth-centred and without manoeuvres")
    p0, v0 = frames.to_gcrs(opm.ref_frame, opm.position_km, opm.velocity_km_s, opm.epoch_unix)
    if abs(t_unix - opm.epoch_unix) < 1e-6:
        return np.asarray(p0), np.asarray(v0)
    pos, vel = numerical.propagate(np.concatenate([p0, v0]), opm.epoch_unix, t_unix)
    return pos.ravel(), vel.ravel()


def separation_state(sc: Scenario, launch_unix: float) -> tuple[np.ndarray, np.ndarray, dict]:
    """Inertial (GCRS) position (km) and velocity (km/s) at separation, and what they came from."""
    inj = sc.injection
    sep_unix = launch_unix + sc.separation_offset_s
    if inj.kind == "elements":
        el = elements_at_epoch(inj, sc.site, launch_unix)
        pos, vel = orbit.state_from_elements(el["semi_major_axis_km"], el["eccentricity"], el["inclination_deg"],
                                             el["raan_deg"], el["arg_perigee_deg"], el["true_anomaly_deg"])
        if abs(sc.separation_offset_s - inj.epoch_offset_s) > 1e-6:
            from ..orbits import numerical

            pos, vel = numerical.propagate(np.hstack([pos, vel]), launch_unix + inj.epoch_offset_s, sep_unix)
            pos, vel = pos.ravel(), vel.ravel()
        return np.asarray(pos), np.asarray(vel), {"source": "published elements", **el}
    ref = inj.reference_launch_unix if inj.reference_launch_unix is not None else launch_unix
    delay = launch_unix - ref
    if inj.kind == "tle":
        pos, vel = _tle_state(inj, sep_unix - delay)
    else:
        pos, vel = _ccsds_state(inj, sep_unix - delay)
    if delay:
        # A delayed launch flies the same ground track later: the same Earth-fixed state, later.
        p_itrs, v_itrs = gcrs_to_itrs(sep_unix - delay, pos[None, :], vel[None, :])
        p, v = itrs_to_gcrs(sep_unix, p_itrs, v_itrs)
        pos, vel = p[0], v[0]
    return np.asarray(pos), np.asarray(vel), {"source": inj.kind.upper(), "file": str(inj.file) if inj.file else None,
                                              "launch_delay_s": delay}
