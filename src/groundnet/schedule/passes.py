"""View periods from pass prediction: the engine's ``PassTable`` -> :class:`ViewPeriod` list.

``groundnet.visibility.core.find_windows`` (the one pass search) returns a ``PassTable`` (columns ``object_id``,
``station_id``, ``aos``, ``los`` in POSIX seconds, one row per pass). A single antenna's view
periods are its passes of the object; an array's are the stretches when every member sees it.
Any object with those four columns (or an iterable of rows with those keys) is accepted, so this
module does not depend on the engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .model import Resource, ViewPeriod


def _rows(passes) -> list[tuple[str, str, float, float]]:
    if hasattr(passes, "station_id") and hasattr(passes, "aos"):
        return [(str(o), str(s), float(a), float(b))
                for o, s, a, b in zip(passes.object_id, passes.station_id, passes.aos, passes.los)]
    return [(str(p["object_id"]), str(p["station_id"]), float(p["aos"]), float(p["los"])) for p in passes]


def _intersect(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if hi > lo:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def view_periods_from_passes(passes, object_id: str | int, resources: Sequence[Resource] | Iterable[Resource],
                             *, min_duration_s: float = 0.0) -> list[ViewPeriod]:
    """View periods of ``object_id`` on each resource (an antenna or an array of antennas)."""
    per_station: dict[str, list[tuple[float, float]]] = {}
    for obj, station, aos, los in _rows(passes):
        if obj == str(object_id) and los > aos:
            per_station.setdefault(station, []).append((aos, los))
    for spans in per_station.values():
        spans.sort()
    out: list[ViewPeriod] = []
    for resource in resources:
        spans = per_station.get(resource[0], [])
        for member in resource[1:]:
            spans = _intersect(spans, per_station.get(member, []))
        out.extend(ViewPeriod(tuple(resource), lo, hi) for lo, hi in spans if hi - lo >= min_duration_s)
    return out
