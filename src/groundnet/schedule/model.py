"""The scheduling problem and its plan: requests, view periods, antenna blocks, tracks.

A *resource* is one antenna (``("DSS-34",)``) or an array of antennas used together
(``("DSS-34", "DSS-35")``); its name joins the members with ``_`` (``"DSS-34_DSS-35"``), as the
SatNet benchmark writes it. Times are POSIX seconds (UTC); durations are seconds.

A *track* (one contact) transmits over ``[trx_on, trx_off]`` and occupies every member antenna of
its resource over ``[setup_start, teardown_end] = [trx_on - setup_s, trx_off + teardown_s]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

ARRAY_SEPARATOR = "_"

Resource = tuple[str, ...]


def resource_name(resource: Resource) -> str:
    """``("DSS-34", "DSS-35")`` -> ``"DSS-34_DSS-35"``."""
    return ARRAY_SEPARATOR.join(resource)


def parse_resource(name: str) -> Resource:
    """``"DSS-34_DSS-35"`` -> ``("DSS-34", "DSS-35")``."""
    return tuple(part for part in name.split(ARRAY_SEPARATOR) if part)


@dataclass(frozen=True)
class ViewPeriod:
    """A time span over which ``resource`` may transmit to the request's spacecraft."""

    resource: Resource
    start: float
    end: float

    @property
    def duration_s(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class Request:
    """One tracking request of a mission.

    The request receives nothing, or a total transmission time in ``[min_duration_s, duration_s]``.
    A request with ``split_min_s`` set may be served in up to ``max_pieces`` pieces of at least
    ``split_min_s`` each, every piece in its own view period and with its own setup and teardown.
    Pieces of one request never transmit at the same time. With ``min_gap_s`` set, this request's
    pieces also keep that gap from each other and from every other contact of the same mission.
    """

    id: str
    mission: str
    duration_s: float
    min_duration_s: float
    view_periods: tuple[ViewPeriod, ...]
    setup_s: float = 0.0
    teardown_s: float = 0.0
    window_start: float | None = None
    window_end: float | None = None
    split_min_s: float | None = None
    max_pieces: int = 1
    priority: int = 1
    min_gap_s: float | None = None

    @property
    def splittable(self) -> bool:
        return self.split_min_s is not None and self.max_pieces > 1

    @property
    def min_piece_s(self) -> float:
        """The shortest transmission one piece may have."""
        return self.split_min_s if self.splittable else self.min_duration_s

    @property
    def resources(self) -> tuple[Resource, ...]:
        seen: dict[Resource, None] = {}
        for vp in self.view_periods:
            seen.setdefault(vp.resource, None)
        return tuple(seen)


@dataclass(frozen=True)
class Block:
    """Antenna time that no contact may use: maintenance, or an outage."""

    antenna: str
    start: float
    end: float
    kind: str = "maintenance"  # maintenance | outage
    reason: str = ""


@dataclass(frozen=True)
class Problem:
    """What a planner receives: the requests, the antennas' blocks and the planning horizon."""

    name: str
    horizon_start: float
    horizon_end: float
    requests: tuple[Request, ...]
    blocks: tuple[Block, ...] = ()

    def request(self, request_id: str) -> Request:
        return self.requests_by_id[request_id]

    @property
    def requests_by_id(self) -> dict[str, Request]:
        cache = self.__dict__.get("_by_id")
        if cache is None:
            cache = {r.id: r for r in self.requests}
            object.__setattr__(self, "_by_id", cache)
        return cache

    @property
    def antennas(self) -> tuple[str, ...]:
        """Every antenna a request may use or a block names, sorted."""
        names = {b.antenna for b in self.blocks}
        for r in self.requests:
            for res in r.resources:
                names.update(res)
        return tuple(sorted(names))

    @property
    def missions(self) -> tuple[str, ...]:
        return tuple(sorted({r.mission for r in self.requests}))

    def with_blocks(self, extra: list[Block] | tuple[Block, ...]) -> "Problem":
        return replace(self, blocks=tuple(self.blocks) + tuple(extra))


@dataclass(frozen=True)
class Track:
    """One contact: a piece of a request on a resource."""

    request_id: str
    resource: Resource
    trx_on: float
    trx_off: float
    setup_start: float
    teardown_end: float

    @property
    def duration_s(self) -> float:
        return self.trx_off - self.trx_on

    @property
    def antennas(self) -> Resource:
        return self.resource

    @classmethod
    def place(cls, request: Request, resource: Resource, trx_on: float, trx_off: float) -> "Track":
        return cls(request.id, tuple(resource), trx_on, trx_off, trx_on - request.setup_s, trx_off + request.teardown_s)

    def as_dict(self) -> dict:
        return {
            "track_id": self.request_id,
            "resource": resource_name(self.resource),
            "trx_on": _plain_number(self.trx_on),
            "trx_off": _plain_number(self.trx_off),
            "setup_start": _plain_number(self.setup_start),
            "teardown_end": _plain_number(self.teardown_end),
        }


def _plain_number(x: float) -> int | float:
    return int(x) if float(x).is_integer() else float(x)


@dataclass
class Plan:
    """A set of tracks for one problem, sorted by time."""

    name: str
    tracks: list[Track] = field(default_factory=list)
    detail: dict = field(default_factory=dict)  # solver, status, objective, times: informative only

    def __post_init__(self) -> None:
        self.tracks = sorted(self.tracks, key=lambda t: (t.setup_start, t.request_id, resource_name(t.resource)))

    def by_request(self) -> dict[str, list[Track]]:
        out: dict[str, list[Track]] = {}
        for t in self.tracks:
            out.setdefault(t.request_id, []).append(t)
        return out

    def as_dict(self) -> dict:
        """The plan file: ``{"week": name, "tracks": [...]}`` with Unix seconds."""
        return {"week": self.name, "tracks": [t.as_dict() for t in self.tracks]}

