"""The SatNet benchmark (JPL, 2021): real DSN weeks of tracking requests, in and out.

A week file maps ``"W10_2018"`` to a list of requests (``subject``, ``track_id``, ``duration`` and
``duration_min`` in hours, ``setup_time``/``teardown_time`` in minutes, ``time_window_start``/
``_end`` and ``resource_vp_dict`` in Unix seconds). The maintenance file is a CSV of
``week,year,starttime,endtime,antenna``. The planning horizon is the ISO week's Monday 00:00 UTC
plus 180 h; view periods are clipped to it, as SatNet's own environment does.

Rules carried over: a request of 8 h or more may be split into pieces of at least 4 h, each in its
own view period with its own setup and teardown.
"""

from __future__ import annotations

import csv
import re
from datetime import date, datetime, time, timezone
from pathlib import Path

from ..errors import InputFileError, ScheduleInputError, is_finite_number
from .model import Block, Problem, Request, ViewPeriod, parse_resource
from .plan_file import read_json

# Published results per week: Goh, Venkataram, Balaji, Johnston, Wilson, "SatNet: A Benchmark for
# Satellite Scheduling Optimization", AAAI-22 workshop on ML for OR (as quoted in ../shared/data/README.md).
PUBLISHED = {
    "W10_2018": [
        {"planner": "MILP (Claudet et al.), published", "scheduled_hours": 822, "satisfied_requests": 203,
         "u_rms": 0.26, "u_max": 0.48, "time_s": 18 * 3600},
        {"planner": "reinforcement learning, published", "scheduled_hours": 886, "satisfied_requests": 204,
         "u_rms": 0.28, "u_max": 0.71, "time_s": None},
    ],
}
HORIZON_S = 180 * 3600
SPLIT_THRESHOLD_S = 8 * 3600
SPLIT_MIN_PIECE_S = 4 * 3600
_WEEK_KEY = re.compile(r"^W(\d{1,2})_(\d{4})$")
_REQUIRED = ("subject", "track_id", "duration", "duration_min", "setup_time", "teardown_time",
             "time_window_start", "time_window_end", "resource_vp_dict")


def week_start(week_key: str) -> float:
    """Unix seconds of Monday 00:00 UTC of the ISO week named ``W<week>_<year>``."""
    m = _WEEK_KEY.match(week_key)
    if not m:
        raise ScheduleInputError(f"week '{week_key}' is not of the form W<week>_<year>, e.g. W10_2018")
    week, year = int(m.group(1)), int(m.group(2))
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError as exc:
        raise ScheduleInputError(f"week '{week_key}': {exc}") from None
    return datetime.combine(monday, time(0), tzinfo=timezone.utc).timestamp()


def _number(path: str, where: str, key: str, value, *, minimum: float | None = None) -> float:
    if not is_finite_number(value):
        raise InputFileError(path, f"{where}: expected a number, got {value!r}", field=key)
    if minimum is not None and value < minimum:
        raise InputFileError(path, f"{where}: {value!r} is below {minimum}", field=key)
    return float(value)


def _request(path: str, index: int, raw, h0: float, h1: float) -> Request:
    where = f"request #{index}"
    if not isinstance(raw, dict):
        raise InputFileError(path, f"{where}: expected an object, got {type(raw).__name__}")
    missing = [k for k in _REQUIRED if k not in raw]
    if missing:
        raise InputFileError(path, f"{where}: missing field(s) {', '.join(missing)}", field=missing[0])
    track_id = str(raw["track_id"])
    where = f"request #{index} ({track_id})"
    duration_s = _number(path, where, "duration", raw["duration"], minimum=0) * 3600.0
    min_duration_s = _number(path, where, "duration_min", raw["duration_min"], minimum=0) * 3600.0
    if min_duration_s > duration_s:
        raise InputFileError(path, f"{where}: duration_min {raw['duration_min']} exceeds duration {raw['duration']}",
                             field="duration_min")
    setup_s = _number(path, where, "setup_time", raw["setup_time"], minimum=0) * 60.0
    teardown_s = _number(path, where, "teardown_time", raw["teardown_time"], minimum=0) * 60.0
    window_start = _number(path, where, "time_window_start", raw["time_window_start"])
    window_end = _number(path, where, "time_window_end", raw["time_window_end"])
    vp_dict = raw["resource_vp_dict"]
    if not isinstance(vp_dict, dict):
        raise InputFileError(path, f"{where}: expected an object resource -> view periods", field="resource_vp_dict")
    periods: list[ViewPeriod] = []
    for name, vps in vp_dict.items():
        resource = parse_resource(str(name))
        if not resource or not isinstance(vps, list):
            raise InputFileError(path, f"{where}: resource {name!r} needs a list of view periods",
                                 field="resource_vp_dict")
        for k, vp in enumerate(vps):
            vp_where = f"{where} {name} view period #{k}"
            if not isinstance(vp, dict) or "TRX ON" not in vp or "TRX OFF" not in vp:
                raise InputFileError(path, f"{vp_where}: needs 'TRX ON' and 'TRX OFF'", field="resource_vp_dict")
            on = _number(path, vp_where, "TRX ON", vp["TRX ON"])
            off = _number(path, vp_where, "TRX OFF", vp["TRX OFF"])
            if off < on:
                raise InputFileError(path, f"{vp_where}: TRX OFF {off:.0f} before TRX ON {on:.0f}", field="TRX OFF")
            on, off = max(on, h0), min(off, h1)  # clipped to the horizon, as SatNet does
            if off > on:
                periods.append(ViewPeriod(resource, on, off))
    split = duration_s >= SPLIT_THRESHOLD_S
    return Request(
        id=track_id,
        mission=str(raw["subject"]),
        duration_s=duration_s,
        min_duration_s=min_duration_s,
        view_periods=tuple(periods),
        setup_s=setup_s,
        teardown_s=teardown_s,
        window_start=window_start,
        window_end=window_end,
        split_min_s=SPLIT_MIN_PIECE_S if split else None,
        max_pieces=int(duration_s // SPLIT_MIN_PIECE_S) if split else 1,
    )


def load_maintenance(path: str | Path, horizon_start: float, horizon_end: float) -> tuple[list[Block], list[str]]:
    """Maintenance blocks of a SatNet ``maintenance.csv`` overlapping the horizon (clipped to it).

    Returns the blocks and one message per rejected row (file, line, reason).
    """
    path = str(path)
    blocks: list[Block] = []
    problems: list[str] = []
    try:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            need = {"starttime", "endtime", "antenna"}
            if not reader.fieldnames or not need <= set(reader.fieldnames):
                raise InputFileError(path, f"header must name {', '.join(sorted(need))} (got {reader.fieldnames})", line=1)
            for row in reader:
                line = reader.line_num
                try:
                    start, end = float(row["starttime"]), float(row["endtime"])
                except (TypeError, ValueError):
                    problems.append(f"{path}:{line}: starttime/endtime are not numbers; row skipped")
                    continue
                antenna = (row.get("antenna") or "").strip()
                if not antenna or not end > start:
                    problems.append(f"{path}:{line}: needs an antenna and endtime after starttime; row skipped")
                    continue
                start, end = max(start, horizon_start), min(end, horizon_end)
                if end > start:
                    blocks.append(Block(antenna, start, end, "maintenance", f"{Path(path).name}:{line}"))
    except OSError as exc:
        raise InputFileError(path, f"cannot read: {exc.strerror or exc}") from None
    return blocks, problems


def load_satnet(path: str | Path, week: str | None = None, maintenance: str | Path | None = None) -> tuple[Problem, list[str]]:
    """Import one week of a SatNet problems file (and its maintenance) as a :class:`Problem`.

    ``week`` may be omitted when the file holds one week. Bad requests are reported (file, request,
    field, reason) and skipped; the good ones are kept. Returns the problem and those reports.
    """
    path = str(path)
    data = read_json(path)
    if not isinstance(data, dict) or not data:
        raise InputFileError(path, "expected an object mapping a week (e.g. W10_2018) to its list of requests")
    if week is None:
        if len(data) != 1:
            raise InputFileError(path, f"holds {len(data)} weeks: choose one with --week ({', '.join(sorted(data))})")
        week = next(iter(data))
    if week not in data:
        raise InputFileError(path, f"has no week '{week}' (weeks: {', '.join(sorted(data)[:20])})")
    raw_requests = data[week]
    if not isinstance(raw_requests, list):
        raise InputFileError(path, f"week '{week}' must be a list of requests", field=week)
    h0 = week_start(week)
    h1 = h0 + HORIZON_S
    requests: list[Request] = []
    problems: list[str] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_requests):
        try:
            req = _request(path, i, raw, h0, h1)
        except InputFileError as exc:
            problems.append(str(exc) + "; request skipped")
            continue
        if req.id in seen:
            problems.append(f"{path}: request #{i}: duplicate track_id {req.id}; request skipped")
            continue
        seen.add(req.id)
        requests.append(req)
    if not requests:
        raise InputFileError(path, f"no usable request in week '{week}'" + (f" ({problems[0]})" if problems else ""))
    blocks: list[Block] = []
    if maintenance is not None:
        blocks, mproblems = load_maintenance(maintenance, h0, h1)
        problems.extend(mproblems)
    return Problem(week, h0, h1, tuple(requests), tuple(blocks)), problems

