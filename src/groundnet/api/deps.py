"""Request dependencies: the service, token checks for writes (and reads when not public), and the
one reading of time windows and moments every route shares.

Time windows: ``start`` and ``end`` (ISO 8601 UTC) with defaults relative to the service clock, ``start``
before ``end``, at most a route's longest span, and both inside the span groundnet computes
(``groundnet.timebase.SPAN_START_UNIX`` .. ``SPAN_END_UNIX``). A route declares its window with
``time_window(...)``; a bad window is a 422 naming the parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from fastapi import Depends, HTTPException, Query, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ..errors import SelectionError
from ..live.service import LiveService
from ..timebase import check_in_span, format_utc, parse_utc_in_span

_bearer = HTTPBearer(auto_error=False, description="An API token from `groundnet token create NAME`.")

# The largest id a stored row can have (the store's id columns are INTEGER: 32 bits on PostgreSQL): larger
# ids are refused with 422, never sent to SQL.
MAX_ID = 2**31 - 1


def get_service(request: Request) -> LiveService:
    return request.app.state.service


def require_token(request: Request, creds: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> str:
    """The token's name; 401 without a valid token."""
    name = None
    if creds is not None and creds.scheme.lower() == "bearer" and creds.credentials:
        name = get_service(request).token_name(creds.credentials)
    if name is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED,
                            detail="this needs an API token: send 'Authorization: Bearer <token>' "
                                   "(create one with `groundnet token create NAME`)",
                            headers={"WWW-Authenticate": "Bearer"})
    return name


def read_access(request: Request, creds: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> None:
    """Reads are public unless the service runs with public_read off."""
    if not request.app.state.settings.public_read:
        require_token(request, creds)


@dataclass(frozen=True)
class TimeWindow:
    """[start, end) in POSIX seconds, as a route was asked for it (or defaulted)."""

    start: float
    end: float

    @property
    def span_s(self) -> float:
        return self.end - self.start

    def as_dict(self) -> dict:
        return {"start": format_utc(self.start), "end": format_utc(self.end)}


def _hours(seconds: float) -> str:
    h = seconds / 3600.0
    return f"{h:g} h" if h < 48 else f"{h / 24:g} days"


def time_window(*, before_now_s: float, span_s: float, max_span_s: float) -> Callable[..., TimeWindow]:
    """A dependency reading ``?start=&end=``.

    Defaults: ``start`` is the clock's now minus ``before_now_s`` (or ``end - span_s`` when only ``end`` is
    given); ``end`` is ``start + span_s``. Refused with 422: a text that is not ISO 8601, a time outside the
    computable span, ``end`` not after ``start``, or a window longer than ``max_span_s``.
    """
    if before_now_s:
        start_doc = f"ISO 8601 UTC; default: the clock's now minus {_hours(before_now_s)}."
    else:
        start_doc = "ISO 8601 UTC; default: the clock's now."
    end_doc = f"ISO 8601 UTC, after start, at most {_hours(max_span_s)} later; default: start plus {_hours(span_s)}."

    def window(start: str | None = Query(None, description=start_doc, max_length=40),
               end: str | None = Query(None, description=end_doc, max_length=40),
               service: LiveService = Depends(get_service)) -> TimeWindow:
        t1 = None if end is None else parse_utc_in_span(end, "end")
        if start is not None:
            t0 = parse_utc_in_span(start, "start")
        elif t1 is not None:
            t0 = t1 - span_s
        else:
            t0 = service.clock.now() - before_now_s
        if t1 is None:
            t1 = t0 + span_s
        check_in_span(t0, "start")
        check_in_span(t1, "end")
        if not t0 < t1:
            raise SelectionError(f"end ({format_utc(t1)}) must be after start ({format_utc(t0)})")
        if t1 - t0 > max_span_s:
            raise SelectionError(f"the window {format_utc(t0)} .. {format_utc(t1)} is longer than "
                                 f"{_hours(max_span_s)}: ask for a shorter one")
        return TimeWindow(t0, t1)

    return window


def moment(description: str = "A moment (ISO 8601 UTC); default: the clock's now.") -> Callable[..., float | None]:
    """A dependency reading ``?at=``: POSIX seconds inside the computable span, or None for the clock's now."""

    def at_dep(at: str | None = Query(None, description=description, max_length=40)) -> float | None:
        return None if at is None else parse_utc_in_span(at, "at")

    return at_dep
