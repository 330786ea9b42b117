"""Domain exceptions. Every message says what went wrong, where, and what to do instead."""

from __future__ import annotations

import math


class GroundnetError(Exception):
    """Base of every error groundnet raises on purpose (the CLI prints it on one line, exit 2)."""


class InputFileError(GroundnetError):
    """A file could not be used; names the file, the line (when known) and the field."""

    def __init__(self, path: str, reason: str, *, line: int | None = None, field: str | None = None):
        self.path = str(path)
        self.line = line
        self.field = field
        self.reason = reason
        where = self.path + (f":{line}" if line is not None else "")
        what = f" field '{field}':" if field else ""
        super().__init__(f"{where}:{what} {reason}")


class StationFileError(InputFileError):
    """A user station file (TOML) is invalid."""


class NotFoundError(GroundnetError):
    """A thing asked for by its id (antenna, spacecraft, scenario, report) does not exist (HTTP 404)."""


class PayloadTooLargeError(GroundnetError):
    """An input is larger than the limit for its kind (HTTP 413)."""


class UnknownStationError(NotFoundError):
    def __init__(self, station_id: str, known: list[str]):
        self.station_id = station_id
        super().__init__(
            f"unknown station '{station_id}'; known ids: {', '.join(known)} "
            "(run `groundnet stations` to list them, or add yours with --station-file)"
        )


class TimeRangeError(GroundnetError):
    """A time lies outside the span groundnet can compute (the planetary ephemeris' span)."""


class TimeParseError(GroundnetError):
    def __init__(self, text: str, what: str = "time"):
        super().__init__(
            f"cannot read {what} '{text}': write ISO 8601 UTC, e.g. 2026-11-21T08:00:00Z"
        )


class SelectionError(GroundnetError):
    """A command-line selection (objects, window) cannot be used."""


class CcsdsError(InputFileError):
    """A CCSDS navigation data message (OEM, OPM, OMM, TDM) could not be read.

    ``field`` holds the CCSDS keyword concerned; the message names the file and line.
    """


class UnsafeXmlError(CcsdsError):
    """An XML file declares a DTD or entities: refused, never resolved."""


class TrajectoryError(GroundnetError):
    """A trajectory (SPK, OEM, OPM, OMM, approximate) cannot give what was asked."""


class OutOfSpanError(TrajectoryError):
    """A time lies outside the span a trajectory covers; trajectories never extrapolate."""

    def __init__(self, source: str, start: str, end: str, first_bad: str, count: int):
        self.source = source
        super().__init__(
            f"{source}: {count} requested time(s) outside the trajectory's span {start} .. {end} "
            f"(first: {first_bad}); ask for times inside the span or supply a trajectory that covers them"
        )

class RequestFileError(InputFileError):
    """A tracking-request file (TOML or JSON) is invalid."""


class ScheduleInputError(GroundnetError):
    """An argument of a scheduling call cannot be used (a week name, an outage, a plan that does not fit)."""


class InvalidPlanError(GroundnetError):
    """A plan breaks the rules; the message lists the first violations found by the validator."""

    def __init__(self, violations: list):
        self.violations = list(violations)
        shown = "; ".join(str(v) for v in self.violations[:5])
        more = f" (and {len(self.violations) - 5} more)" if len(self.violations) > 5 else ""
        super().__init__(f"the plan breaks {len(self.violations)} rule(s): {shown}{more}")


class SettingsError(GroundnetError):
    """A service setting (a command-line option or a GROUNDNET_* variable) has a value that cannot be used."""


class StoreError(GroundnetError):
    """The database could not be opened or used (HTTP 503: the request may succeed later)."""


class StoreFullError(StoreError):
    """The database's disk or quota is full: nothing more can be stored until space is freed."""


class StoreUnavailableError(StoreError):
    """The database cannot be reached or is busy (a server down, a lock held too long)."""


class StoreInUseError(StoreError):
    """Another groundnet process already serves this embedded (SQLite) database."""


class EventError(GroundnetError):
    """A station event is invalid (names the field and what is allowed)."""


class FeedError(InputFileError):
    """A DSN Now feed (file or URL) could not be read."""


def is_finite_number(value) -> bool:
    """A real, finite number from a parsed file: ``True``/``False`` (an int in Python), NaN and inf are not."""
    return not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value)


class SourceError(GroundnetError):
    """A data source on the network (CelesTrak, Space-Track, SatNOGS DB, IERS, a DSN Now feed) gave no usable answer.

    The message names the source and the URL, says what happened and what to do; the cached copy
    of the data, if any, is left as it was.
    """

    def __init__(self, source: str, url: str, reason: str, *, status: int | None = None,
                 retry_after_s: float | None = None):
        self.source = source
        self.url = url
        self.reason = reason
        self.status = status
        self.retry_after_s = retry_after_s
        super().__init__(f"{source}: {url}: {reason}")


class DeviceError(GroundnetError):
    """A station device (Hamlib's rotctld or rigctld) refused a command, answered garbage, closed or is absent.

    ``refused`` is True when the device answered ``RPRT -n`` (it is there but said no): retrying the
    same command will not help, unlike a connection that closed or never opened.
    """

    def __init__(self, device: str, message: str, *, refused: bool = False, code: int | None = None):
        self.device = device
        self.refused = refused
        self.code = code
        super().__init__(f"{device}: {message}")
