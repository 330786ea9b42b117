"""groundnet's own request file (TOML or JSON, same structure): see docs/scheduling.md.

    name = "week-48"
    horizon_start = "2026-11-23T00:00:00Z"
    horizon_end = "2026-11-30T00:00:00Z"
    passes_file = "passes.json"          # optional: `groundnet passes --format json` output, or
    catalog = "demo"                     # optional: TLE/OMM file (or "demo") to predict passes from

    [defaults]                           # optional: any request field, for every request
    setup_min = 30
    teardown_min = 15

    [[block]]                            # maintenance or outage of one antenna
    antenna = "DSS-14"
    start = "2026-11-24T08:00:00Z"
    end = "2026-11-24T12:00:00Z"

    [[request]]
    id = "MEX-001"
    mission = "MEX"
    duration_h = 8
    min_duration_h = 6                   # default: duration_h
    antennas = ["DSS-63", "DSS-43"]      # allowed antennas (optional)
    antenna_class = { dish_m = 70, band = "X" }   # or a class of the network (optional)
    arrays = [["DSS-34", "DSS-35"]]      # antennas used together (optional)
    window_start = "2026-11-23T00:00:00Z"
    window_end = "2026-11-26T00:00:00Z"
    split_min_piece_h = 4                # may be split into pieces of at least 4 h ...
    max_pieces = 2                       # ... at most 2 of them
    priority = 2
    min_gap_h = 1                        # gap to the mission's other contacts
    view_periods = [{ resource = "DSS-63", start = "...", end = "..." }]
    # or: object_id = 27386  (view periods from passes_file or catalog on the allowed antennas/arrays)

Times are ISO 8601 UTC (or Unix seconds, or TOML datetimes). Every bad request is reported with
the file, the request and the field; the good ones are kept.
"""

from __future__ import annotations

import json
import math
import tomllib
from datetime import datetime
from pathlib import Path

from .. import files
from ..errors import GroundnetError, RequestFileError, is_finite_number
from ..timebase import parse_utc, to_unix
from .model import Block, Problem, Request, ViewPeriod, parse_resource, resource_name
from .passes import view_periods_from_passes

REQUEST_FIELDS = {
    "id", "mission", "duration_h", "min_duration_h", "antennas", "antenna_class", "arrays", "window_start",
    "window_end", "setup_min", "teardown_min", "split_min_piece_h", "max_pieces", "priority", "min_gap_h",
    "view_periods", "object_id",
}


def _time(path: str, where: str, key: str, value) -> float:
    if isinstance(value, datetime):
        return to_unix(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    if isinstance(value, str):
        try:
            return to_unix(parse_utc(value, key))
        except GroundnetError as exc:
            raise RequestFileError(path, f"{where}: {exc}", field=key) from None
    raise RequestFileError(path, f"{where}: expected an ISO 8601 UTC time or Unix seconds, got {value!r}", field=key)


def _number(path: str, where: str, key: str, value, minimum: float = 0.0) -> float:
    if not is_finite_number(value) or value < minimum:
        raise RequestFileError(path, f"{where}: expected a number >= {minimum:g}, got {value!r}", field=key)
    return float(value)


def _resources(path: str, where: str, raw: dict, network) -> list[tuple[str, ...]] | None:
    """The resources a request allows, or None when it does not restrict them."""
    allowed: list[tuple[str, ...]] = []
    given = False
    if "antennas" in raw:
        given = True
        if not isinstance(raw["antennas"], list) or not all(isinstance(a, str) for a in raw["antennas"]):
            raise RequestFileError(path, f"{where}: expected a list of antenna ids", field="antennas")
        allowed += [(a,) for a in raw["antennas"]]
    if "antenna_class" in raw:
        given = True
        cls = raw["antenna_class"]
        if not isinstance(cls, dict) or not set(cls) <= {"dish_m", "band"} or not cls:
            raise RequestFileError(path, f"{where}: expected a table with dish_m and/or band", field="antenna_class")
        if network is None:
            from ..stations import load_network
            network = load_network()
        matches = [a.id for a in network
                   if ("dish_m" not in cls or (a.dish_m is not None and abs(a.dish_m - float(cls["dish_m"])) < 0.05))
                   and ("band" not in cls or str(cls["band"]).upper() in {b.upper() for b in a.bands})]
        if not matches:
            raise RequestFileError(path, f"{where}: no antenna of the network matches {cls}", field="antenna_class")
        allowed += [(a,) for a in matches]
    if "arrays" in raw:
        given = True
        arrays = raw["arrays"]
        if not isinstance(arrays, list) or not all(isinstance(x, list) and len(x) >= 2 for x in arrays):
            raise RequestFileError(path, f"{where}: expected a list of lists of at least two antenna ids", field="arrays")
        allowed += [tuple(str(a) for a in x) for x in arrays]
    return allowed if given else None


def _request(path: str, where: str, raw: dict, passes, network) -> Request:
    unknown = sorted(set(raw) - REQUEST_FIELDS)
    if unknown:
        raise RequestFileError(path, f"{where}: unknown field(s) {', '.join(unknown)}", field=unknown[0])
    for key in ("id", "mission", "duration_h"):
        if key not in raw:
            raise RequestFileError(path, f"{where}: missing", field=key)
    duration_s = _number(path, where, "duration_h", raw["duration_h"]) * 3600.0
    if duration_s <= 0:
        raise RequestFileError(path, f"{where}: must be positive", field="duration_h")
    min_s = _number(path, where, "min_duration_h", raw.get("min_duration_h", raw["duration_h"])) * 3600.0
    if min_s > duration_s:
        raise RequestFileError(path, f"{where}: exceeds duration_h", field="min_duration_h")
    allowed = _resources(path, where, raw, network)
    periods: list[ViewPeriod] = []
    if "view_periods" in raw:
        if not isinstance(raw["view_periods"], list):
            raise RequestFileError(path, f"{where}: expected a list of {{resource, start, end}}", field="view_periods")
        for k, vp in enumerate(raw["view_periods"]):
            vw = f"{where} view_periods[{k}]"
            if not isinstance(vp, dict) or not {"resource", "start", "end"} <= set(vp):
                raise RequestFileError(path, f"{vw}: needs resource, start and end", field="view_periods")
            resource = parse_resource(str(vp["resource"]))
            start, end = _time(path, vw, "start", vp["start"]), _time(path, vw, "end", vp["end"])
            if end <= start:
                raise RequestFileError(path, f"{vw}: end must come after start", field="end")
            if allowed is not None and resource not in allowed:
                raise RequestFileError(path, f"{vw}: {resource_name(resource)} is not among the request's allowed "
                                       "antennas/arrays", field="resource")
            periods.append(ViewPeriod(resource, start, end))
    elif "object_id" in raw:
        if passes is None:
            raise RequestFileError(path, f"{where}: object_id needs a top-level passes_file or catalog",
                                   field="object_id")
        if allowed is None:
            raise RequestFileError(path, f"{where}: object_id needs antennas, antenna_class or arrays to choose "
                                   "where to track", field="object_id")
        periods = view_periods_from_passes(passes, raw["object_id"], allowed)
    else:
        raise RequestFileError(path, f"{where}: give view_periods, or object_id with a passes_file or catalog",
                               field="view_periods")
    split_min = raw.get("split_min_piece_h")
    max_pieces = int(_number(path, where, "max_pieces", raw.get("max_pieces", 1 if split_min is None else 2), 1))
    return Request(
        id=str(raw["id"]),
        mission=str(raw["mission"]),
        duration_s=duration_s,
        min_duration_s=min_s,
        view_periods=tuple(periods),
        setup_s=_number(path, where, "setup_min", raw.get("setup_min", 0)) * 60.0,
        teardown_s=_number(path, where, "teardown_min", raw.get("teardown_min", 0)) * 60.0,
        window_start=_time(path, where, "window_start", raw["window_start"]) if "window_start" in raw else None,
        window_end=_time(path, where, "window_end", raw["window_end"]) if "window_end" in raw else None,
        split_min_s=None if split_min is None else _number(path, where, "split_min_piece_h", split_min) * 3600.0,
        max_pieces=max_pieces,
        priority=int(_number(path, where, "priority", raw.get("priority", 1), 1)),
        min_gap_s=_number(path, where, "min_gap_h", raw["min_gap_h"]) * 3600.0 if "min_gap_h" in raw else None,
    )


def _load_passes(path: Path, ref: str, base: Path) -> list[dict]:
    p = (base / ref) if not Path(ref).is_absolute() else Path(ref)
    try:
        rows = json.loads(files.read_text(p, what="passes file (JSON)", limit_bytes=files.DATA_LIMIT_BYTES))
    except (InputFileError, json.JSONDecodeError) as exc:
        raise RequestFileError(str(path), f"passes_file {p}: {exc}", field="passes_file") from None
    out = []
    for k, row in enumerate(rows if isinstance(rows, list) else []):
        try:
            out.append({"object_id": row["object_id"], "station_id": row["station_id"],
                        "aos": _time(str(p), f"pass #{k}", "aos", row["aos"]),
                        "los": _time(str(p), f"pass #{k}", "los", row["los"])})
        except (KeyError, TypeError):
            raise RequestFileError(str(p), f"pass #{k}: needs object_id, station_id, aos and los") from None
    return out


def _predict_passes(path: Path, ref: str, raw_requests: list, defaults: dict, h0: float, h1: float, network):
    """Passes of every object a request names, over the antennas it allows, from a catalog."""
    from ..errors import UnknownStationError
    from ..orbits.catalog import load_catalog
    from ..stations import load_network
    from ..visibility.core import find_windows
    from ..visibility.passes import PassTable

    objects: set[str] = set()
    antennas: set[str] = set()
    for raw in raw_requests:
        merged = {**defaults, **raw} if isinstance(raw, dict) else {}
        if "object_id" not in merged or "view_periods" in merged:
            continue
        try:
            allowed = _resources(str(path), "", merged, network)
        except RequestFileError:
            continue  # reported with the request itself
        if allowed:
            objects.add(str(merged["object_id"]))
            antennas.update(a for res in allowed for a in res)
    if not objects:
        return PassTable.empty()
    catalog = ref if ref == "demo" or Path(ref).is_absolute() else str(path.parent / ref)
    elements = [e for e in load_catalog(catalog).elements if str(e.norad_id) in objects]
    network = load_network() if network is None else network
    try:
        chosen = [network.get(a) for a in sorted(antennas)]
    except UnknownStationError as exc:
        raise RequestFileError(str(path), str(exc), field="antennas") from None
    return find_windows(elements, chosen, h0, h1)


def load_requests(path: str | Path, *, network=None) -> tuple[Problem, list[str]]:
    """Read a request file; returns the problem and one message per skipped request or block."""
    path = Path(path)
    text = files.read_text(path, what="request file (TOML or JSON)", error=RequestFileError)
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except json.JSONDecodeError as exc:
        raise RequestFileError(str(path), f"not valid JSON: {exc.msg}", line=exc.lineno) from None
    except tomllib.TOMLDecodeError as exc:
        raise RequestFileError(str(path), f"not valid TOML: {exc}") from None
    if not isinstance(data, dict):
        raise RequestFileError(str(path), "expected a table/object at the top level")
    for key in ("horizon_start", "horizon_end"):
        if key not in data:
            raise RequestFileError(str(path), "missing", field=key)
    h0 = _time(str(path), "top level", "horizon_start", data["horizon_start"])
    h1 = _time(str(path), "top level", "horizon_end", data["horizon_end"])
    if h1 <= h0:
        raise RequestFileError(str(path), "must come after horizon_start", field="horizon_end")
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        raise RequestFileError(str(path), "expected a table", field="defaults")
    problems: list[str] = []
    requests: list[Request] = []
    seen: set[str] = set()
    raw_requests = data.get("request", [])
    if not isinstance(raw_requests, list):
        raise RequestFileError(str(path), "expected an array of tables [[request]]", field="request")
    passes = None
    if "passes_file" in data:
        passes = _load_passes(path, str(data["passes_file"]), path.parent)
    elif "catalog" in data:
        passes = _predict_passes(path, str(data["catalog"]), raw_requests, defaults, h0, h1, network)
    for k, raw in enumerate(raw_requests):
        where = f"request #{k}" + (f" ({raw.get('id')})" if isinstance(raw, dict) and "id" in raw else "")
        try:
            if not isinstance(raw, dict):
                raise RequestFileError(str(path), f"{where}: expected a table")
            req = _request(str(path), where, {**defaults, **raw}, passes, network)
            if req.id in seen:
                raise RequestFileError(str(path), f"{where}: duplicate id", field="id")
        except RequestFileError as exc:
            problems.append(f"{exc}; request skipped")
            continue
        seen.add(req.id)
        requests.append(req)
    blocks: list[Block] = []
    for k, raw in enumerate(data.get("block", [])):
        where = f"block #{k}"
        try:
            if not isinstance(raw, dict) or not {"antenna", "start", "end"} <= set(raw):
                raise RequestFileError(str(path), f"{where}: needs antenna, start and end")
            start, end = _time(str(path), where, "start", raw["start"]), _time(str(path), where, "end", raw["end"])
            if end <= start:
                raise RequestFileError(str(path), f"{where}: end must come after start", field="end")
            kind = str(raw.get("kind", "maintenance"))
            if kind not in ("maintenance", "outage"):
                raise RequestFileError(str(path), f"{where}: kind is maintenance or outage", field="kind")
            blocks.append(Block(str(raw["antenna"]), start, end, kind, str(raw.get("reason", ""))))
        except RequestFileError as exc:
            problems.append(f"{exc}; block skipped")
    if not requests:
        raise RequestFileError(str(path), "no usable request" + (f": {problems[0]}" if problems else ""))
    return Problem(str(data.get("name", path.stem)), h0, h1, tuple(requests), tuple(blocks)), problems
