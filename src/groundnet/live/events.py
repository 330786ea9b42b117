"""Station events: validation against the network and the fleet, and what each kind means."""

from __future__ import annotations

from dataclasses import replace

from ..errors import EventError
from ..domain import EVENT_KINDS, StationEvent

# How far an event's own time may lie from the service clock: stations report what just happened.
MAX_FUTURE_S = 3600.0


def validate_event(ev: StationEvent, antenna_ids: set[str], spacecraft_ids: set[str], now: float) -> StationEvent:
    """The event with its antenna id in canonical case, or an EventError naming the bad field."""
    if ev.kind not in EVENT_KINDS:
        raise EventError(f"field 'kind': unknown event kind '{ev.kind}'; allowed: {', '.join(EVENT_KINDS)}")
    canonical = {a.upper(): a for a in antenna_ids}
    antenna = canonical.get(ev.antenna_id.strip().upper())
    if antenna is None:
        raise EventError(f"field 'antenna_id': unknown antenna '{ev.antenna_id}'; GET /api/v1/stations lists them")
    if ev.spacecraft_id is not None and ev.spacecraft_id not in spacecraft_ids:
        raise EventError(f"field 'spacecraft_id': unknown spacecraft '{ev.spacecraft_id}'; "
                         "GET /api/v1/spacecraft lists them")
    if ev.time > now + MAX_FUTURE_S:
        raise EventError(f"field 'time': the event lies more than {MAX_FUTURE_S:.0f} s after the service clock; "
                         "send events when they happen")
    if ev.time < 0:
        raise EventError("field 'time': before 1970")
    return replace(ev, antenna_id=antenna)
