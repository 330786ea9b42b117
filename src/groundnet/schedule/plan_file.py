"""The plan file: ``{"week": name, "tracks": [{track_id, resource, trx_on, trx_off, setup_start,
teardown_end}, ...]}`` with Unix seconds and ``resource`` as SatNet writes it (``DSS-34_DSS-35``)."""

from __future__ import annotations

import json
from pathlib import Path

from .. import files
from ..errors import InputFileError, is_finite_number
from .model import Plan, Problem, Track, parse_resource

TRACK_FIELDS = ("track_id", "resource", "trx_on", "trx_off", "setup_start", "teardown_end")


def read_json(path: str):
    """A JSON file's content; a missing or malformed file is an :class:`InputFileError` naming it."""
    text = files.read_text(path, what="JSON file", limit_bytes=files.DATA_LIMIT_BYTES)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputFileError(path, f"not valid JSON: {exc.msg}", line=exc.lineno) from None


def load_plan(path: str | Path, problem: Problem | None = None) -> Plan:
    """Read a plan file; with ``problem``, its week must match the problem's name."""
    path = str(path)
    data = read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("tracks"), list):
        raise InputFileError(path, "expected {\"week\": ..., \"tracks\": [...]}", field="tracks")
    name = str(data.get("week", ""))
    if problem is not None and name != problem.name:
        raise InputFileError(path, f"plan is for '{name}', the problem is '{problem.name}'", field="week")
    tracks = []
    for k, raw in enumerate(data["tracks"]):
        where = f"tracks[{k}]"
        if not isinstance(raw, dict):
            raise InputFileError(path, f"{where}: expected an object")
        missing = [f for f in TRACK_FIELDS if f not in raw]
        if missing:
            raise InputFileError(path, f"{where}: missing", field=missing[0])
        times = []
        for key in TRACK_FIELDS[2:]:
            v = raw[key]
            if not is_finite_number(v):
                raise InputFileError(path, f"{where}: expected Unix seconds, got {v!r}", field=key)
            times.append(float(v))
        tracks.append(Track(str(raw["track_id"]), parse_resource(str(raw["resource"])), *times))
    return Plan(name, tracks, {"source": path})
