"""What a station tracks: an element set from a catalog or a bundled spacecraft, its passes and its track."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import SelectionError
from ..stations import Antenna
from ..timebase import format_utc
from ..tracking import TargetTrack, downlink_hz, uplink_hz
from ..tracking.pointing import PassPath

PASS_SEARCH_S = 2 * 86400.0


@dataclass
class TrackObject:
    """One object to point at: SGP4 elements, or any other trajectory (light-time corrected)."""

    label: str
    element: object | None = None
    trajectory: object | None = None
    spacecraft_id: str | None = None  # the fleet's id, for events
    downlink_hz: float | None = None  # the published link, when known
    uplink_hz: float | None = None

    def track(self, antenna: Antenna, start: float, end: float) -> TargetTrack:
        if self.element is not None:
            return TargetTrack.from_elements(self.element, antenna, start, end)
        return TargetTrack.from_trajectory(self.trajectory, antenna, start, end)

    def age_warnings(self, start: float, end: float, max_age_days: float | None = None) -> list[str]:
        """One line when the element set is used further from its epoch than its age limit (none for trajectories)."""
        from ..orbits.validation import age_warnings

        return [] if self.element is None else age_warnings([self.element], start, end, max_age_days)

    def windows(self, antenna: Antenna, start: float, end: float) -> list[tuple[float, float]]:
        """(AOS, LOS) of every pass over [start, end): the one pass search (``visibility.core.find_windows``)."""
        from ..visibility.core import find_windows

        table = find_windows(self.element if self.element is not None else self.trajectory, [antenna], start, end)
        return sorted((float(a), float(b)) for a, b in zip(table.aos, table.los))


def resolve_object(catalog: str | None, object_id: str | None, spacecraft_id: str | None,
                   fleet=None) -> TrackObject:
    """``--catalog FILE --object ID`` or ``--spacecraft ID`` (a bundled spacecraft, or one of ``fleet``).
    An object is looked up in ``catalog``, else the configured default catalog (``[catalog] default``); a
    bundled spacecraft's elements come from ``catalog``, else the bundled demo catalog (as the server's)."""
    from ..commands.catalog import NO_CATALOG, catalog_file, configured_catalog

    if (spacecraft_id is None) == (object_id is None):
        raise SelectionError("give either --catalog FILE --object NORAD_ID or --spacecraft ID "
                             "(`groundnet spacecraft` lists the bundled ones)")
    if object_id is not None:
        from ..commands.passes import load_elements

        catalog = catalog or configured_catalog()
        if catalog is None:
            raise SelectionError(f"--object: {NO_CATALOG}")
        (element,) = load_elements(catalog, object_id, quiet=True)
        sc = _fleet_by_norad(fleet, element.norad_id)
        return TrackObject(f"{element.name} ({element.norad_id})", element=element,
                           spacecraft_id=sc.id if sc else None, downlink_hz=_freq(sc, "downlink"),
                           uplink_hz=_freq(sc, "uplink"))
    if fleet is None:
        from ..missions import load_fleet

        fleet = load_fleet(catalog=catalog_file(catalog, quiet=True) if catalog else "demo")
    key = spacecraft_id.strip().upper()
    for sc in fleet:
        if sc.id.upper() == key or (sc.norad_id is not None and str(sc.norad_id) == key):
            return TrackObject(sc.name, element=sc.elements, trajectory=sc.trajectory, spacecraft_id=sc.id,
                               downlink_hz=_freq(sc, "downlink"), uplink_hz=_freq(sc, "uplink"))
    raise SelectionError(f"unknown spacecraft '{spacecraft_id}'; known: {', '.join(s.id for s in fleet)} "
                         "(`groundnet spacecraft` lists them)")


def _fleet_by_norad(fleet, norad_id):
    if fleet is None:
        from ..missions import load_fleet

        fleet = load_fleet()
    return next((s for s in fleet if s.norad_id == norad_id), None)


def _freq(sc, which: str) -> float | None:
    link = getattr(sc, which, None) if sc is not None else None
    return None if link is None else link.frequency_hz


def pass_window(obj: TrackObject, antenna: Antenna, start: float, end: float | None) -> tuple[float, float]:
    """The pass to track: the one under way at ``start`` or the next, cut to [start, end]."""
    search_end = end if end is not None else start + PASS_SEARCH_S
    for aos, los in obj.windows(antenna, start - 3600.0, search_end):
        if los > start:
            return max(aos, start), los if end is None else min(los, end)
    raise SelectionError(f"{obj.label} does not rise above {antenna.id}'s floor between {format_utc(start)} and "
                         f"{format_utc(search_end)}; pick another --start or --station")


def dry_run_rows(track: TargetTrack, path: PassPath | None, down_hz: float | None, up_hz: float | None,
                 end_unix: float | None = None) -> list[dict]:
    """The per-second tracking table: geometry, the rotator's axes along the path, Doppler-corrected frequencies;
    up to ``end_unix`` (the track's samples run on to the whole second past it)."""
    rows = []
    rr = track.range_rate_km_s
    down = downlink_hz(down_hz, rr) if down_hz is not None else None
    up = uplink_hz(up_hz, rr) if up_hz is not None else None
    for i, t in enumerate(track.times_unix):
        if end_unix is not None and t > end_unix + 1e-6:
            break
        axis = path.at(t) if path is not None and path.times_unix[0] <= t <= path.times_unix[-1] else (None, None)
        rows.append({
            "time": format_utc(t),
            "azimuth_deg": _r(track.azimuth_deg[i], 3), "elevation_deg": _r(track.elevation_deg[i], 3),
            "range_km": _r(track.range_km[i], 3), "range_rate_km_s": _r(rr[i], 6),
            "downlink_hz": None if down is None else int(round(float(down[i]))),
            "uplink_hz": None if up is None else int(round(float(up[i]))),
            "rotator_az_deg": None if axis[0] is None else round(axis[0], 2),
            "rotator_el_deg": None if axis[1] is None else round(axis[1], 2),
        })
    return rows


def _r(x, digits: int):
    x = float(x)
    return round(x, digits) if np.isfinite(x) else None
