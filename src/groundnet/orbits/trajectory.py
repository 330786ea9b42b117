"""One interface for every trajectory: SGP4 elements, SPICE SPK, CCSDS OEM/OPM/OMM, or "at a planet".

    traj = load_trajectory("solo.bsp", object_id="-144")
    pos_km, vel_km_s = traj.state_gcrs(times_unix)    # (3, n) geocentric, GCRS axes
    traj.kind, traj.span_unix, traj.error_bound_km

Every trajectory gives the geocentric position and velocity (km, km/s, GCRS/ICRF axes) at arrays
of POSIX times, its span (never extrapolated: :class:`~groundnet.errors.OutOfSpanError`, or NaN
with ``strict=False``), its kind (``tle``, ``spk``, ``oem``, ``opm``, ``approximate``) and its
error bound in km when one is known.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from pathlib import Path

import numpy as np

from ..errors import InputFileError, OutOfSpanError, TrajectoryError
from ..timebase import format_utc
from . import frames

KINDS = ("tle", "spk", "oem", "opm", "approximate")


class Trajectory(ABC):
    """Geocentric states of one object over a span of time."""

    kind: str = ""
    name: str = ""
    object_id: str = ""
    source: str = ""
    # Largest expected position error in km, when it can be stated (None: see ``accuracy``).
    error_bound_km: float | None = None
    accuracy: str = ""

    @property
    @abstractmethod
    def span_unix(self) -> tuple[float, float]:
        """First and last POSIX time the trajectory covers."""

    @abstractmethod
    def _states(self, times_unix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions and velocities (3, n) for times already known to lie in the span."""

    def spans_unix(self) -> list[tuple[float, float]]:
        """The pieces of time covered (several when a file's segments leave gaps)."""
        return [self.span_unix]

    def covers(self, times_unix) -> np.ndarray:
        t = np.asarray(times_unix, dtype=np.float64)
        inside = np.zeros(t.shape, dtype=bool)
        for start, end in self.spans_unix():
            inside |= (t >= start) & (t <= end)
        return inside

    def _inside(self, t: np.ndarray, strict: bool) -> np.ndarray:
        """Which times the span covers; with ``strict`` any other time is an :class:`OutOfSpanError`."""
        inside = self.covers(t) & np.isfinite(t)
        if strict and not inside.all():
            bad = t[~inside]
            start, end = self.span_unix
            raise OutOfSpanError(self.source or self.name, format_utc(start), format_utc(end),
                                 format_utc(bad[0]) if np.isfinite(bad[0]) else str(bad[0]), int(bad.size))
        return inside

    def state_gcrs(self, times_unix, *, strict: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Geocentric position (km) and velocity (km/s), GCRS axes, shape (3,) or (3, n).

        Outside the span: raises :class:`OutOfSpanError` (``strict``) or gives NaN.
        """
        t = np.asarray(times_unix, dtype=np.float64)
        scalar = t.ndim == 0
        t = np.atleast_1d(t)
        inside = self._inside(t, strict)
        pos = np.full((3, t.size), np.nan)
        vel = np.full((3, t.size), np.nan)
        if inside.any():
            p, v = self._states(t[inside])
            pos[:, inside], vel[:, inside] = p, v
        return (pos[:, 0], vel[:, 0]) if scalar else (pos, vel)

    def state_barycentric(self, times_unix, *, strict: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Position and velocity relative to the solar-system barycentre (ICRF axes)."""
        p, v = self.state_gcrs(times_unix, strict=strict)
        pe, ve = frames.barycentric_state("earth", times_unix)
        return p + pe, v + ve

    def describe(self) -> dict:
        start, end = self.span_unix
        return {
            "object_id": self.object_id,
            "name": self.name,
            "kind": self.kind,
            "source": self.source,
            "span_start": format_utc(start) if math.isfinite(start) else None,
            "span_end": format_utc(end) if math.isfinite(end) else None,
            "approximate": self.kind == "approximate",
            "error_bound_km": self.error_bound_km,
            "accuracy": self.accuracy,
        }


# ------------------------------------------------------------------------------------------- SGP4

class Sgp4Trajectory(Trajectory):
    """SGP4 mean elements (TLE or OMM) through the engine's batch propagator, TEME rotated to GCRS.

    Samples SGP4 flags (decay, error codes, unphysical states of stale elements) are NaN.
    """

    kind = "tle"
    accuracy = "SGP4 mean elements: about 1 km at epoch, growing by a few km per day away from it"
    # SGP4 runs at any time, but a year from the epoch its answers are meaningless for any orbit.
    MAX_AGE_DAYS = 365.0

    def __init__(self, elements, source: str = ""):
        from .propagation import Propagator

        self.elements = elements
        self.propagator = Propagator([elements])
        self.name = elements.name
        self.object_id = str(elements.norad_id)
        self.source = source or elements.source or f"NORAD {elements.norad_id}"

    @property
    def span_unix(self) -> tuple[float, float]:
        e = self.elements.epoch_unix
        return e - self.MAX_AGE_DAYS * 86400.0, e + self.MAX_AGE_DAYS * 86400.0

    def _states(self, t):
        states = self.propagator.propagate(t)
        return frames.teme_to_gcrs(states.position_km[0].T, states.velocity_km_s[0].T, t)


# -------------------------------------------------------------------------------------------- SPK

class SpkTrajectory(Trajectory):
    """A body of a SPICE SPK file (any SPK type CSPICE reads), chained to the Earth through DE421."""

    kind = "spk"
    accuracy = "as accurate as the SPK file (predicted parts of mission kernels drift from the real orbit)"
    error_bound_km = None

    def __init__(self, path: str | Path, object_id: int | str | None = None, name: str = ""):
        from . import spk

        self.path = str(path)
        self.source = self.path
        segments = spk.spk_segments(path)
        bodies = sorted({s.target for s in segments})
        if object_id is None:
            if len(bodies) != 1:
                raise TrajectoryError(f"{path}: holds bodies {bodies}; choose one with --object ID")
            object_id = bodies[0]
        try:
            target = int(object_id)
        except ValueError:
            raise TrajectoryError(f"{path}: object '{object_id}' must be a NAIF id number; the file holds {bodies}") \
                from None
        if target not in bodies:
            raise TrajectoryError(f"{path}: no body {target} in this SPK; it holds {bodies}")
        self.target = target
        self.segments = sorted((s for s in segments if s.target == target), key=lambda s: s.start_unix)
        self.object_id = str(target)
        self.name = name or _naif_name(target)
        self._chebyshev = _chebyshev_body(self.path, target, segments)

    @property
    def span_unix(self):
        return self.segments[0].start_unix, self.segments[-1].end_unix

    def spans_unix(self):
        return [(s.start_unix, s.end_unix) for s in self.segments]

    def _states(self, t):
        from . import spk

        if self._chebyshev is not None:
            p, v = self._barycentric(t)
            pe, ve = frames.barycentric_state("earth", t)
            return p - pe, v - ve
        states = spk.geocentric_states(self.path, self.target, spk.unix_to_et(t))
        return states[:, :3].T, states[:, 3:].T

    def _barycentric(self, t: np.ndarray):
        from ..timebase import skyfield_times

        at = self._chebyshev.at(skyfield_times(t))
        return at.position.km.reshape(3, -1), at.velocity.km_per_s.reshape(3, -1)

    def state_barycentric(self, times_unix, *, strict: bool = True):
        if self._chebyshev is None:
            return super().state_barycentric(times_unix, strict=strict)
        # Planetary ephemeris segments (Chebyshev) chained to the barycentre in the file: read at once.
        t = np.asarray(times_unix, dtype=np.float64)
        scalar = t.ndim == 0
        t = np.atleast_1d(t)
        inside = self._inside(t, strict)
        pos, vel = np.full((3, t.size), np.nan), np.full((3, t.size), np.nan)
        if inside.any():
            pos[:, inside], vel[:, inside] = self._barycentric(t[inside])
        return (pos[:, 0], vel[:, 0]) if scalar else (pos, vel)


def _chebyshev_body(path: str, target: int, segments) -> object | None:
    """The body as a vectorised Chebyshev chain to the solar-system barycentre, when the file allows it.

    Planetary ephemerides (SPK types 2 and 3, such as JPL's DE files) are read with jplephem through
    Skyfield, all times at once; any other segment type (spacecraft kernels: 13, 18, 19, ...) or a
    chain that leaves the file goes through CSPICE, one time per call.
    """
    if any(s.data_type not in (2, 3) for s in segments):
        return None
    from skyfield.api import load_file

    try:
        return load_file(path)[target]
    except (KeyError, ValueError):
        return None


def _naif_name(target: int) -> str:
    """SPICE's built-in name of a NAIF id (-144 -> SOLAR ORBITER), or 'NAIF <id>'.

    The planets' and barycentres' names (the same as SPICE's) come from Skyfield's table, which
    spares loading CSPICE for a planetary ephemeris.
    """
    from skyfield.vectorlib import _jpl_code_name_dict

    if int(target) in _jpl_code_name_dict:
        return _jpl_code_name_dict[int(target)].upper()
    import spiceypy
    from spiceypy.utils.exceptions import SpiceyError

    from .spk import SPICE_LOCK

    try:
        with SPICE_LOCK:
            return spiceypy.bodc2n(int(target))
    except SpiceyError:
        return f"NAIF {target}"


# ------------------------------------------------------------------------------------ tabulated

class TabulatedTrajectory(Trajectory):
    """States at nodes, interpolated (Lagrange or Hermite of a given degree), inside the nodes' span only.

    Several segments (an OEM's, split at manoeuvres) are kept apart: a time is interpolated only
    from the segment that contains it.
    """

    def __init__(self, segments: list[dict], *, kind: str, name: str, object_id: str, source: str):
        # each segment: nodes_unix (n,), pos (n,3) and vel (n,3) geocentric GCRS, method, degree, start, end
        self.segments = sorted(segments, key=lambda s: s["start"])
        self.kind, self.name, self.object_id, self.source = kind, name, object_id, source

    @property
    def span_unix(self):
        return self.segments[0]["start"], self.segments[-1]["end"]

    def spans_unix(self):
        return [(s["start"], s["end"]) for s in self.segments]

    def _states(self, t):
        from .interpolation import interpolate_states

        pos = np.full((3, t.size), np.nan)
        vel = np.full((3, t.size), np.nan)
        done = np.zeros(t.size, dtype=bool)
        for s in reversed(self.segments):  # a later segment wins where two overlap
            sel = ~done & (t >= s["start"]) & (t <= s["end"])
            if sel.any():
                p, v = interpolate_states(s["method"], s["degree"], s["nodes"], s["pos"], s["vel"], t[sel])
                pos[:, sel], vel[:, sel] = p.T, v.T
                done |= sel
        return pos, vel


def oem_trajectory(oem, source: str = "") -> TabulatedTrajectory:
    """An OEM's segments as one trajectory (centre moved to the Earth, frame to GCRS)."""
    segments = []
    for seg in oem.segments:
        t = seg.epochs_unix
        p, v = frames.to_gcrs(seg.ref_frame, seg.positions_km.T, seg.velocities_km_s.T, t)
        pc, vc = frames.centre_state_gcrs(seg.center_name, t)
        start = seg.useable_start_unix if seg.useable_start_unix is not None else seg.start_unix
        end = seg.useable_stop_unix if seg.useable_stop_unix is not None else seg.stop_unix
        segments.append({
            "nodes": t, "pos": (p + pc).T, "vel": (v + vc).T, "method": seg.interpolation,
            "degree": seg.interpolation_degree, "start": max(start, t[0]), "end": min(end, t[-1]),
        })
    first = oem.segments[0]
    traj = TabulatedTrajectory(segments, kind="oem", name=first.object_name, object_id=first.object_id,
                               source=source or oem.path)
    traj.accuracy = "as accurate as the OEM, interpolated as its header says (" + \
        f"{first.interpolation} degree {first.interpolation_degree})"
    return traj


def opm_trajectory(opm, *, arc_days: float = 2.0, force_model=None, source: str = "") -> TabulatedTrajectory:
    """An OPM's state propagated numerically ``arc_days`` either side of its epoch, tabulated for speed."""
    from .numerical import FULL, propagate

    if frames.centre_key(opm.center_name) != "earth":
        raise TrajectoryError(f"{opm.path}: OPM centre {opm.center_name}: groundnet propagates OPMs about the "
                              "Earth only (CENTER_NAME = EARTH)")
    if opm.maneuvers:
        raise TrajectoryError(f"{opm.path}: the OPM lists manoeuvres, which groundnet's propagator does not apply; "
                              "supply an OEM of the planned trajectory instead")
    model = force_model or FULL
    epoch = opm.epoch_unix
    p0, v0 = frames.to_gcrs(opm.ref_frame, opm.position_km, opm.velocity_km_s, epoch)
    r = float(np.linalg.norm(p0))
    period = 2.0 * math.pi * math.sqrt(r**3 / model.gm_km3_s2)
    step = float(np.clip(period / 200.0, 10.0, 600.0))
    half = arc_days * 86400.0
    nodes = epoch + np.arange(-half, half + step / 2, step)
    pos, vel = propagate(np.concatenate([p0, v0]), epoch, nodes, model)
    traj = TabulatedTrajectory(
        [{"nodes": nodes, "pos": pos.T, "vel": vel.T, "method": "HERMITE", "degree": 5,
          "start": nodes[0], "end": nodes[-1]}],
        kind="opm", name=opm.object_name, object_id=opm.object_id, source=source or opm.path,
    )
    traj.accuracy = (f"numerical propagation ({model.name}) of the OPM state over +/-{arc_days:g} days; "
                     "drag, radiation pressure and higher harmonics not modelled")
    traj.force_model = model
    return traj


# ----------------------------------------------------------------------------------- approximate

class AtBodyTrajectory(Trajectory):
    """An object placed at the centre of a planet (DE421): approximate, with a stated error bound.

    For an orbiter with no public trajectory (Mars Express, ExoMars/TGO): the geometry seen from the
    Earth is right to within the orbit's size, ``error_bound_km`` (its largest distance from the body).
    """

    kind = "approximate"

    def __init__(self, body: str, *, name: str, object_id: str, error_bound_km: float, reason: str = ""):
        self.body = frames.centre_key(body)
        self.name, self.object_id = name, object_id
        self.error_bound_km = float(error_bound_km)
        self.source = f"at {self.body} (JPL DE421)"
        self.accuracy = (reason or f"placed at the centre of {self.body}") + \
            f"; position error up to {self.error_bound_km:,.0f} km"

    @property
    def span_unix(self):
        # DE421 covers 1899-07-29 .. 2053-10-09.
        return -2218838400.0, 2643667200.0

    def _states(self, t):
        return frames.centre_state_gcrs(self.body, t)

    def state_barycentric(self, times_unix, *, strict: bool = True):
        # Straight from DE421 (the light-time loop calls this repeatedly: no round trip via the Earth).
        t = np.asarray(times_unix, dtype=np.float64)
        self._inside(np.atleast_1d(t), strict)
        return frames.barycentric_state(self.body, t)


# ---------------------------------------------------------------------------------------- loading

def load_trajectory(path: str | Path, object_id: str | int | None = None, **options) -> Trajectory:
    """A trajectory from a file: SPICE SPK (``.bsp``; ``object_id`` = NAIF id), CCSDS OEM, OPM or OMM."""
    p = Path(path)
    if not p.exists():
        raise InputFileError(str(path), "file not found")
    head = p.open("rb").read(8)
    if head.startswith(b"DAF/SPK") or head.startswith(b"NAIF/DAF"):
        return SpkTrajectory(p, object_id, name=options.get("name", ""))
    from ..ccsds import read_message

    msg = read_message(p)
    if msg.kind == "OEM":
        return oem_trajectory(msg)
    if msg.kind == "OPM":
        return opm_trajectory(msg, **{k: v for k, v in options.items() if k in ("arc_days", "force_model")})
    if msg.kind == "OMM":
        if "MEAN_MOTION" not in msg.values:
            raise TrajectoryError(f"{path}: its mean elements (theory '{msg.mean_element_theory or 'not given'}') give "
                                  "SEMI_MAJOR_AXIS, not MEAN_MOTION: groundnet propagates SGP/SGP4 elements only; "
                                  "use an OEM or OPM of this object")
        return _omm_trajectory(p, object_id)
    raise TrajectoryError(f"{path}: a CCSDS {msg.kind} holds tracking data, not a trajectory; use an OEM, OPM, OMM or SPK")


def _omm_trajectory(path: Path, object_id) -> Sgp4Trajectory:
    """SGP4 elements of an OMM through the catalog reader (the one OMM-to-elements mapping in groundnet)."""
    from .catalog import load_catalog

    load = load_catalog(path)
    elements = load.elements
    if object_id is not None:
        elements = [e for e in elements if str(e.norad_id) == str(object_id) or e.name == str(object_id)]
    if not elements:
        reasons = "; ".join(f"line {r.line}: {r.reason}" for r in load.rejected[:3]) if load.rejected else \
            f"no object {object_id}"
        raise TrajectoryError(f"{path}: no usable SGP4 element set ({reasons})")
    return Sgp4Trajectory(elements[0], source=str(path))
