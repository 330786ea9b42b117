"""Observation scheduling for a SatNOGS-style network: many small stations, one satellite each at a time.

The problem: satellites to observe (each with a downlink frequency, a priority and a minimum
culmination), stations (each with its horizon and the frequency ranges its antennas receive), and
the passes of every satellite over every station that can receive it. An observation is a whole
pass, AOS to LOS, as SatNOGS schedules them. A station observes one satellite at a time.

Two planners:

- :func:`satnogs_greedy`, the per-station greedy the SatNOGS auto-scheduler applies (rules
  reproduced, see docs/satnogs.md): each station on its own, priority-listed satellites first in
  descending priority, then every other pass by culmination / 90; a pass is booked when it does not
  overlap one already booked on that station (with an optional wait between observations).
- :func:`network_plan`, the whole network at once: a lazy greedy on the *new* satellite coverage
  each observation adds (a satellite seen by two stations at once is seen once), weighted by priority,
  which re-weights any satellite that ends up with less coverage than the baseline gave it, then fills
  each station's idle time with the passes left.

Both give a :class:`ObservationPlan`; :func:`plan_metrics` measures station-hours, distinct
satellite-hours, satellites covered, fairness (Jain's index) and conflicts, the last through the
independent validator of :mod:`groundnet.schedule.validate`.
"""

from __future__ import annotations

import bisect
import heapq
import math
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from ..errors import GroundnetError
from ..stations.network import Antenna
from .model import Plan, Problem, Request, Track, ViewPeriod
from .validate import validate

# Passes shorter than this are not worth an observation (the SatNOGS auto-scheduler's default minimum).
DEFAULT_MIN_DURATION_S = 60.0
# The value of an observation's station time that adds no new coverage, against one new second.
REDUNDANT_WEIGHT = 1e-3


@dataclass(frozen=True)
class ObservationRequest:
    """One satellite to observe.

    ``priority`` in [0, 1] puts the satellite on the priority list (as the auto-scheduler's priority
    file does); ``None`` leaves it off. ``downlink_hz`` decides which stations can receive it
    (``None``: every station).
    """

    norad_id: int
    name: str = ""
    priority: float | None = None
    min_elevation_deg: float = 0.0
    downlink_hz: float | None = None
    transmitter: str = ""
    mode: str = ""
    baud: float | None = None

    @property
    def weight(self) -> float:
        """The value of one second of new coverage in :func:`network_plan`: 1, up to 2 when listed."""
        return 1.0 + (self.priority or 0.0)


@dataclass(frozen=True)
class StationPreference:
    """A station owner's choice: observe only these satellites, or never these."""

    station_id: str
    only: frozenset[int] | None = None
    exclude: frozenset[int] = frozenset()

    def allows(self, norad_id: int) -> bool:
        return (self.only is None or norad_id in self.only) and norad_id not in self.exclude


@dataclass
class Candidates:
    """Every observation a planner may book, as columns: station and request indices, AOS, LOS, culmination."""

    station_ids: list[str]
    requests: list[ObservationRequest]
    sta: np.ndarray
    req: np.ndarray
    start: np.ndarray
    end: np.ndarray
    max_elevation_deg: np.ndarray
    horizon_start: float
    horizon_end: float

    def __len__(self) -> int:
        return int(self.start.size)

    @property
    def duration_s(self) -> np.ndarray:
        return self.end - self.start


@dataclass
class ObservationPlan:
    """The observations a planner booked: indices into its candidates."""

    candidates: Candidates
    chosen: np.ndarray
    method: str
    detail: dict = field(default_factory=dict)

    def rows(self) -> list[dict]:
        """One row per observation, by start time: station, satellite, start, end, culmination."""
        from ..timebase import format_utc

        c = self.candidates
        order = self.chosen[np.lexsort((c.sta[self.chosen], c.start[self.chosen]))]
        out = []
        for i in order:
            r = c.requests[c.req[i]]
            out.append({
                "station_id": c.station_ids[c.sta[i]],
                "norad_id": r.norad_id,
                "name": r.name,
                "start": format_utc(c.start[i]),
                "end": format_utc(c.end[i]),
                "duration_s": round(float(c.end[i] - c.start[i]), 1),
                "max_elevation_deg": round(float(c.max_elevation_deg[i]), 2),
                "downlink_hz": None if r.downlink_hz is None else round(r.downlink_hz),
                "mode": r.mode,
                "transmitter": r.transmitter,
            })
        return out

    def as_schedule(self) -> tuple[Problem, Plan]:
        """The booked observations as the schedule engine's problem and plan (one request per
        observation, its pass as the only view period), for :func:`groundnet.schedule.validate.validate`."""
        c = self.candidates
        requests, tracks = [], []
        for i in self.chosen:
            resource = (c.station_ids[c.sta[i]],)
            norad = c.requests[c.req[i]].norad_id
            duration = float(c.end[i] - c.start[i])
            request = Request(id=f"obs-{int(i)}", mission=str(norad), duration_s=duration, min_duration_s=duration,
                              view_periods=(ViewPeriod(resource, float(c.start[i]), float(c.end[i])),))
            requests.append(request)
            tracks.append(Track.place(request, resource, float(c.start[i]), float(c.end[i])))
        problem = Problem(self.method, c.horizon_start, c.horizon_end, tuple(requests))
        return problem, Plan(self.method, tracks)


# --------------------------------------------------------------------------------------------- candidates


def candidate_observations(
    elements: Sequence,
    antennas: Sequence[Antenna],
    requests: Sequence[ObservationRequest],
    start_unix: float,
    end_unix: float,
    *,
    preferences: Sequence[StationPreference] = (),
    min_duration_s: float = DEFAULT_MIN_DURATION_S,
    progress: Callable[[int], None] | None = None,
) -> Candidates:
    """Every whole pass each station may observe: the station receives the satellite's downlink,
    the pass culminates at or above the request's minimum elevation, lasts at least
    ``min_duration_s``, lies inside the window (passes cut by its ends are left out) and the
    station's preferences allow the satellite.

    ``elements`` are the satellites' element sets (any order, matched to requests by NORAD id);
    passes come from the one pass search, :func:`groundnet.visibility.passes.find_passes`,
    above each station's own minimum elevation and horizon mask.
    """
    from ..visibility.passes import find_passes

    by_norad = {}
    for e in elements:
        by_norad.setdefault(e.norad_id, e)
    missing = [r.norad_id for r in requests if r.norad_id not in by_norad]
    if missing:
        shown = ", ".join(str(m) for m in missing[:10]) + (" ..." if len(missing) > 10 else "")
        raise GroundnetError(f"no element set for NORAD id {shown}: add them to the catalog, or remove them from the requests")
    norads = [r.norad_id for r in requests]
    if len(set(norads)) != len(norads):
        raise GroundnetError("a satellite is requested twice: give one request per NORAD id")
    antennas = list(antennas)
    passes = find_passes([by_norad[n] for n in norads], antennas, start_unix, end_unix, progress=progress)

    req, sta = passes.obj.astype(np.int64), passes.sta.astype(np.int64)
    keep = ~(passes.aos_clipped | passes.los_clipped)
    keep &= (passes.los - passes.aos) >= min_duration_s
    min_el = np.array([r.min_elevation_deg for r in requests])
    keep &= passes.max_elevation_deg >= min_el[req]
    # Which station can receive which satellite: one (station, request) table, then a lookup per pass.
    receivable = np.array([[r.downlink_hz is None or a.receives(r.downlink_hz) for r in requests] for a in antennas])
    prefs = {p.station_id.upper(): p for p in preferences}
    for s, a in enumerate(antennas):
        pref = prefs.get(a.id.upper())
        if pref is not None:
            receivable[s] &= np.array([pref.allows(r.norad_id) for r in requests])
    keep &= receivable[sta, req]
    return Candidates(
        station_ids=[a.id for a in antennas],
        requests=list(requests),
        sta=sta[keep],
        req=req[keep],
        start=passes.aos[keep].astype(np.float64),
        end=passes.los[keep].astype(np.float64),
        max_elevation_deg=passes.max_elevation_deg[keep].astype(np.float64),
        horizon_start=float(start_unix),
        horizon_end=float(end_unix),
    )


# --------------------------------------------------------------------------------------------- timelines


class _Timeline:
    """Disjoint busy intervals of one station, sorted; ``wait_s`` kept free after each one."""

    __slots__ = ("starts", "ends", "wait_s")

    def __init__(self, wait_s: float = 0.0):
        self.starts: list[float] = []
        self.ends: list[float] = []
        self.wait_s = wait_s

    def is_free(self, start: float, end: float) -> bool:
        k = bisect.bisect_left(self.starts, start)
        # The interval before must end (plus the wait) by our start; ours must end (plus wait) by the next start.
        if k > 0 and self.ends[k - 1] + self.wait_s > start:
            return False
        return not (k < len(self.starts) and end + self.wait_s > self.starts[k])

    def add(self, start: float, end: float) -> None:
        k = bisect.bisect_left(self.starts, start)
        self.starts.insert(k, start)
        self.ends.insert(k, end)


class _Coverage:
    """The union of the intervals in which one satellite is observed by some station."""

    __slots__ = ("starts", "ends")

    def __init__(self):
        self.starts: list[float] = []
        self.ends: list[float] = []

    def _span(self, start: float, end: float) -> tuple[int, int]:
        """Indices [lo, hi) of the intervals that overlap or touch [start, end]."""
        lo = bisect.bisect_left(self.ends, start)
        hi = bisect.bisect_right(self.starts, end)
        return lo, hi

    def new_seconds(self, start: float, end: float) -> float:
        lo, hi = self._span(start, end)
        covered = 0.0
        for k in range(lo, hi):
            covered += max(0.0, min(end, self.ends[k]) - max(start, self.starts[k]))
        return (end - start) - covered

    def add(self, start: float, end: float) -> None:
        lo, hi = self._span(start, end)
        if lo < hi:
            start = min(start, self.starts[lo])
            end = max(end, self.ends[hi - 1])
        self.starts[lo:hi] = [start]
        self.ends[lo:hi] = [end]

    @property
    def total_s(self) -> float:
        return float(sum(e - s for s, e in zip(self.starts, self.ends)))


# --------------------------------------------------------------------------------------------- planners


def satnogs_greedy(c: Candidates, *, wait_s: float = 0.0) -> ObservationPlan:
    """The SatNOGS auto-scheduler's rules, station by station (see the module docstring)."""
    listed = np.array([r.priority is not None for r in c.requests], dtype=bool)
    priority = np.array([r.priority if r.priority is not None else 0.0 for r in c.requests])
    is_listed = listed[c.req]
    # The auto-scheduler's priority of an unlisted pass: culmination / 90 x the transmitter's success
    # rate; groundnet has no success rates, so every transmitter counts as 1.
    score = np.where(is_listed, priority[c.req], c.max_elevation_deg / 90.0)
    # Per station: listed passes first, each group by descending score, then by start (a stable tie-break).
    order = np.lexsort((c.start, -score, ~is_listed, c.sta))
    chosen = []
    timelines = [_Timeline(wait_s) for _ in c.station_ids]
    for i in order:
        t = timelines[c.sta[i]]
        if t.is_free(c.start[i], c.end[i]):
            t.add(c.start[i], c.end[i])
            chosen.append(i)
    return ObservationPlan(c, np.array(sorted(chosen), dtype=np.int64), "satnogs-greedy", {"wait_s": wait_s})


def _coverage_greedy(c: Candidates, weights: np.ndarray, wait_s: float) -> tuple[list[int], list[_Timeline]]:
    """Lazy greedy on weighted new coverage (plus a little for the station time itself).

    The heap holds one integer per candidate, its gain in milliseconds shifted above its index:
    integers compare far faster than (gain, index) tuples, and 1 ms is finer than any pass time.
    """
    n = len(c)
    shift = max(1, n).bit_length()
    mask = (1 << shift) - 1
    duration = c.duration_s
    gains = weights[c.req] * duration + REDUNDANT_WEIGHT * duration
    heap = ((-np.round(gains * 1000.0).astype(np.int64)) << shift | np.arange(n, dtype=np.int64)).tolist()
    heapq.heapify(heap)
    coverage = [_Coverage() for _ in c.requests]
    timelines = [_Timeline(wait_s) for _ in c.station_ids]
    chosen: list[int] = []
    starts, ends, sta, req = c.start.tolist(), c.end.tolist(), c.sta.tolist(), c.req.tolist()
    w = weights.tolist()
    pop, push = heapq.heappop, heapq.heappush
    while heap:
        i = pop(heap) & mask
        s, e = starts[i], ends[i]
        timeline = timelines[sta[i]]
        if not timeline.is_free(s, e):
            continue  # its station is busy then: it will never fit again
        fresh = -round((w[req[i]] * coverage[req[i]].new_seconds(s, e) + REDUNDANT_WEIGHT * (e - s)) * 1000.0)
        if heap and fresh > heap[0] >> shift:
            push(heap, fresh << shift | i)  # worth less than when queued: look again later
            continue
        timeline.add(s, e)
        coverage[req[i]].add(s, e)
        chosen.append(i)
    return chosen, timelines


def satellite_hours(plan: ObservationPlan) -> np.ndarray:
    """Per request: hours in which at least one station observes the satellite."""
    c = plan.candidates
    coverage = [_Coverage() for _ in c.requests]
    for i in plan.chosen:
        coverage[c.req[i]].add(float(c.start[i]), float(c.end[i]))
    return np.array([cov.total_s / 3600.0 for cov in coverage])


def network_plan(
    c: Candidates,
    *,
    baseline: ObservationPlan | None = None,
    min_share: float = 0.9,
    rounds: int = 6,
    wait_s: float = 0.0,
) -> ObservationPlan:
    """One plan for the whole network (see the module docstring).

    With a ``baseline``, a satellite whose coverage falls below ``min_share`` of the baseline's has
    its weight doubled and the network is planned again, up to ``rounds`` times; the plan kept is
    the one with the fewest satellites below their share, then the most coverage.
    """
    base_hours = satellite_hours(baseline) if baseline is not None else None
    weights = np.array([r.weight for r in c.requests])
    best = None
    for round_ in range(max(1, rounds)):
        chosen, timelines = _coverage_greedy(c, weights, wait_s)
        hours = _hours_of(c, chosen)
        short = np.zeros(len(c.requests), bool) if base_hours is None else hours < min_share * base_hours - 1e-9
        key = (int(short.sum()), -float(hours.sum()))
        if best is None or key < best[0]:
            best = (key, chosen, timelines, round_)
        if not short.any():
            break
        weights = np.where(short, weights * 2.0, weights)
    (_, chosen, timelines, round_) = best
    filled = _fill_idle_time(c, set(chosen), timelines)
    detail = {"rounds": round_ + 1, "filled": len(filled), "min_share": min_share}
    return ObservationPlan(c, np.array(sorted(chosen + filled), dtype=np.int64), "network", detail)


def _hours_of(c: Candidates, chosen: list[int]) -> np.ndarray:
    return satellite_hours(ObservationPlan(c, np.array(chosen, dtype=np.int64), "round"))


def _fill_idle_time(c: Candidates, taken: set[int], timelines: list[_Timeline]) -> list[int]:
    """Book the passes left wherever their station is idle, longest first: more observations of
    satellites already covered (another station's view, a second chance at the data)."""
    filled = []
    for i in np.argsort(-c.duration_s, kind="stable"):
        i = int(i)
        if i in taken:
            continue
        t = timelines[c.sta[i]]
        if t.is_free(c.start[i], c.end[i]):
            t.add(c.start[i], c.end[i])
            filled.append(i)
    return filled


# --------------------------------------------------------------------------------------------- metrics


def jain_index(values: np.ndarray) -> float:
    """Jain's fairness index: 1 when all equal, 1/n when one gets everything."""
    values = np.asarray(values, dtype=np.float64)
    if values.size == 0 or not np.any(values):
        return 0.0
    return float(values.sum() ** 2 / (values.size * np.square(values).sum()))


def plan_metrics(plan: ObservationPlan) -> dict:
    """Station-hours, distinct satellite-hours, satellites covered, fairness and conflicts of a plan."""
    c = plan.candidates
    hours = satellite_hours(plan)
    problem, schedule = plan.as_schedule()
    violations = validate(problem, schedule)
    return {
        "planner": plan.method,
        "observations": int(plan.chosen.size),
        "station_hours": round(float(c.duration_s[plan.chosen].sum() / 3600.0), 2),
        "satellite_hours": round(float(hours.sum()), 2),
        "satellites_covered": int(np.count_nonzero(hours)),
        "satellites": len(c.requests),
        "fairness_jain": round(jain_index(hours), 4),
        "conflicts": len(violations),
    }


def compare_to_baseline(plan: ObservationPlan, baseline: ObservationPlan) -> dict:
    """How ``plan`` stands against ``baseline``: gains in hours, and the satellite worst off."""
    ours, theirs = satellite_hours(plan), satellite_hours(baseline)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(theirs > 0, ours / theirs, np.inf)
    worst = int(np.argmin(ratio))
    m_ours, m_theirs = plan_metrics(plan), plan_metrics(baseline)
    return {
        "satellite_hours_gain_pct": _pct(m_ours["satellite_hours"], m_theirs["satellite_hours"]),
        "station_hours_gain_pct": _pct(m_ours["station_hours"], m_theirs["station_hours"]),
        "worst_satellite": plan.candidates.requests[worst].norad_id,
        "worst_satellite_share": round(float(ratio[worst]), 4) if math.isfinite(ratio[worst]) else None,
        "satellites_below_90pct": int(np.count_nonzero(ratio < 0.9 - 1e-9)),
    }


def _pct(new: float, old: float) -> float | None:
    return round(100.0 * (new - old) / old, 2) if old else None


# --------------------------------------------------------------------------------------------- request files


def load_observation_requests(path) -> tuple[list[ObservationRequest], list[StationPreference], list[str]]:
    """An observation request file (TOML): ``[[satellite]]`` tables (norad_id, and optionally name,
    priority in [0, 1], min_elevation_deg, downlink_hz, transmitter, mode) and ``[[station]]``
    preferences (id, only = [...] or exclude = [...]).

    Returns the requests, the preferences and one message per skipped entry (file, entry, field).
    """
    import tomllib

    from .. import files
    from ..errors import RequestFileError, is_finite_number

    path = str(path)
    text = files.read_text(path, what="observation request file (TOML)", error=RequestFileError)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RequestFileError(path, f"not valid TOML: {exc}") from None
    unknown = sorted(set(data) - {"satellite", "station"})
    if unknown:
        raise RequestFileError(path, f"unknown table {unknown[0]!r}; use [[satellite]] and [[station]]", field=unknown[0])
    entries = data.get("satellite")
    if not isinstance(entries, list) or not entries:
        raise RequestFileError(path, "expected one or more [[satellite]] tables", field="satellite")
    problems: list[str] = []
    requests: list[ObservationRequest] = []
    seen: set[int] = set()
    limits = {"priority": (0.0, 1.0), "min_elevation_deg": (-5.0, 90.0), "downlink_hz": (1.0, 3e11)}
    for n, entry in enumerate(entries, start=1):
        where = f"{path}: [[satellite]] #{n}"
        norad = entry.get("norad_id")
        if isinstance(norad, bool) or not isinstance(norad, int) or norad < 1:
            problems.append(f"{where}: field 'norad_id': must be a whole number >= 1, got {norad!r}")
            continue
        if norad in seen:
            problems.append(f"{where}: field 'norad_id': {norad} is requested twice; the first entry is kept")
            continue
        values, bad = {}, None
        for key, value in entry.items():
            if key in limits:
                low, high = limits[key]
                if not is_finite_number(value) or not low <= value <= high:
                    bad = f"field '{key}': must be a number in [{low:g}, {high:g}], got {value!r}"
                    break
                values[key] = float(value)
            elif key == "baud":
                if not is_finite_number(value) or value < 0:
                    bad = f"field 'baud': must be a number >= 0, got {value!r}"
                    break
                values[key] = float(value)
            elif key in ("name", "transmitter", "mode"):
                if not isinstance(value, str):
                    bad = f"field '{key}': must be text, got {value!r}"
                    break
                values[key] = value
            elif key != "norad_id":
                bad = f"field '{key}': unknown; allowed: norad_id, name, priority, min_elevation_deg, downlink_hz, transmitter, mode, baud"
                break
        if bad:
            problems.append(f"{where} (NORAD {norad}): {bad}")
            continue
        seen.add(norad)
        requests.append(ObservationRequest(norad_id=norad, **values))
    preferences: list[StationPreference] = []
    for n, entry in enumerate(data.get("station") or [], start=1):
        where = f"{path}: [[station]] #{n}"
        station_id = entry.get("id")
        lists = {k: entry.get(k) for k in ("only", "exclude") if k in entry}
        extra = sorted(set(entry) - {"id", "only", "exclude"})
        if not isinstance(station_id, str) or not station_id.strip():
            problems.append(f"{where}: field 'id': must be a station id, got {station_id!r}")
        elif extra:
            problems.append(f"{where} ({station_id}): field '{extra[0]}': unknown; allowed: id, only, exclude")
        elif not all(isinstance(v, list) and all(isinstance(x, int) and not isinstance(x, bool) for x in v)
                     for v in lists.values()):
            problems.append(f"{where} ({station_id}): fields 'only'/'exclude' must be lists of NORAD ids")
        else:
            only = frozenset(lists["only"]) if "only" in lists else None
            preferences.append(StationPreference(station_id.strip(), only, frozenset(lists.get("exclude", []))))
    return requests, preferences, problems


def requests_from_transmitters(transmitters, satellites=None) -> list[ObservationRequest]:
    """One request per satellite with a usable SatNOGS DB transmitter (its first, in file order),
    observed on that transmitter's drift-corrected downlink; with ``satellites``, only those alive."""
    from ..interop.satnogs import first_usable

    alive = None if satellites is None else {s.norad_id for s in satellites if s.status == "alive"}
    return [ObservationRequest(norad_id=t.norad_id, downlink_hz=t.downlink_hz, transmitter=t.uuid, mode=t.mode,
                               baud=t.baud)
            for t in first_usable(transmitters).values() if alive is None or t.norad_id in alive]
