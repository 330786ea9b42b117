"""Clients of Hamlib's network daemons, ``rotctld`` (rotators) and ``rigctld`` (radios).

They speak the daemons' TCP protocol (Hamlib's rotctld(1) and rigctld(1) man pages, "Protocol") in
its *extended response* form: every command is sent with a ``+`` prefix, so that every answer,
whether a value or a setting, ends in a line ``RPRT n`` (0: done; negative: a Hamlib error code).
That makes each answer self-delimiting and lets a client tell a refusal from garbage::

    +p             ->  get_pos:\\nAzimuth: 14.11\\nElevation: 14.11\\nRPRT 0\\n
    +P 100 30      ->  set_pos: 100 30\\nRPRT 0\\n
    +F 145800000   ->  set_freq: 145800000\\nRPRT 0\\n
    +l STRENGTH    ->  get_level: STRENGTH\\n-23\\nRPRT 0\\n

Failures are :class:`~groundnet.errors.DeviceError` with a message saying what happened and what to
check: refused (``RPRT -n``, with Hamlib's name of the code), closed, garbage, timed out, absent.
A failed connection is dropped; the next command opens a new one.
"""

from __future__ import annotations

import re
import socket
import time

from ..errors import DeviceError

# Hamlib's error codes (rig.h, enum rig_errcode_e), as RPRT reports them negated.
HAMLIB_ERRORS = {
    1: "invalid parameter", 2: "invalid configuration", 3: "memory shortage", 4: "feature not implemented",
    5: "communication timed out", 6: "IO error", 7: "internal Hamlib error", 8: "protocol error",
    9: "command rejected by the device", 10: "command performed, but arg truncated", 11: "feature not available",
    12: "target VFO unaccessible", 13: "communication bus error", 14: "communication bus collision",
    15: "NULL RIG handle or invalid pointer parameter", 16: "invalid VFO", 17: "argument out of domain of func",
    18: "function deprecated", 19: "security error", 20: "rig is not powered on", 21: "limit exceeded",
    22: "access denied",
}
MAX_ANSWER_BYTES = 65536
_ECHO = re.compile(r"^[a-z_]+:")  # an extended answer starts with the command's long name
DEFAULT_TIMEOUT_S = 3.0


def parse_address(text: str, default_port: int) -> tuple[str, int]:
    """``HOST:PORT`` (or ``HOST``, or ``[v6]:PORT``) as a pair; a one-line error otherwise."""
    from ..errors import SelectionError

    host, sep, port = (text or "").strip().rpartition(":")
    if not sep:
        host, port = text.strip(), str(default_port)
    host = host.strip("[]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise SelectionError(f"'{text}': write HOST:PORT, e.g. 127.0.0.1:{default_port}")
    return host, int(port)


class HamlibClient:
    """One TCP connection to a Hamlib daemon, opened on first use and reopened after a failure."""

    kind = "hamlib"

    def __init__(self, host: str, port: int, *, timeout_s: float = DEFAULT_TIMEOUT_S):
        self.host, self.port, self.timeout_s = host, port, timeout_s
        self._sock: socket.socket | None = None
        self._buffer = b""
        self.commands_sent = 0

    @property
    def name(self) -> str:
        return f"{self.kind} {self.host}:{self.port}"

    def _fail(self, message: str, **kw) -> DeviceError:
        self.close()
        return DeviceError(self.name, message, **kw)

    def connect(self) -> None:
        if self._sock is not None:
            return
        try:
            self._sock = socket.create_connection((self.host, self.port), timeout=self.timeout_s)
            self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError as exc:
            self._sock = None
            raise DeviceError(self.name, f"cannot connect ({exc.strerror or exc}): is {self.kind} running and "
                                         f"listening on {self.host}:{self.port}?") from None
        self._buffer = b""

    def close(self) -> None:
        if self._sock is not None:
            try:
                self._sock.close()
            except OSError:
                pass
        self._sock = None
        self._buffer = b""

    def _readline(self, deadline: float) -> str:
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise self._fail(f"no complete answer within {self.timeout_s:g} s")
            self._sock.settimeout(remaining)
            try:
                chunk = self._sock.recv(4096)
            except socket.timeout:
                raise self._fail(f"no complete answer within {self.timeout_s:g} s") from None
            except OSError as exc:
                raise self._fail(f"connection lost ({exc.strerror or exc})") from None
            if not chunk:
                raise self._fail("closed the connection")
            self._buffer += chunk
            if len(self._buffer) > MAX_ANSWER_BYTES:
                raise self._fail(f"answered more than {MAX_ANSWER_BYTES} bytes without a line end (garbage)")
        line, _, self._buffer = self._buffer.partition(b"\n")
        try:
            return line.decode("ascii").strip()
        except UnicodeDecodeError:
            raise self._fail(f"answered garbage: {line[:40]!r}") from None

    def command(self, cmd: str) -> list[str]:
        """Send one command (without the ``+``); the answer's lines between its echo and ``RPRT 0``."""
        self.connect()
        try:
            self._sock.sendall(f"+{cmd}\n".encode("ascii"))
        except OSError as exc:
            raise self._fail(f"connection lost while sending '{cmd}' ({exc.strerror or exc})") from None
        self.commands_sent += 1
        deadline = time.monotonic() + self.timeout_s
        lines: list[str] = []
        while True:
            line = self._readline(deadline)
            if line.startswith("RPRT"):
                try:
                    code = int(line.split()[1])
                except (IndexError, ValueError):
                    raise self._fail(f"answered garbage to '{cmd}': {line[:40]!r}") from None
                if code != 0:
                    why = HAMLIB_ERRORS.get(-code, "unknown Hamlib error")
                    # The daemon is fine and the connection stays usable: only this command was refused.
                    raise DeviceError(self.name, f"refused '{cmd}': RPRT {code} ({why})", refused=True, code=code)
                break
            if not lines and not _ECHO.match(line):
                raise self._fail(f"answered garbage to '{cmd}': {line[:40]!r} "
                                 "(expected the command's name; is this a Hamlib daemon?)")
            lines.append(line)
            if len(lines) > 64:
                raise self._fail(f"answered garbage to '{cmd}' (no RPRT line)")
        if not lines:
            raise self._fail(f"answered garbage to '{cmd}': {(lines[0] if lines else '')[:40]!r} "
                             "(expected the command's name; is this a Hamlib daemon?)")
        return lines[1:]

    def _value(self, cmd: str, lines: list[str], index: int) -> float:
        try:
            text = lines[index].rpartition(":")[2] if ":" in lines[index] else lines[index]
            return float(text)
        except (IndexError, ValueError):
            raise self._fail(f"answered garbage to '{cmd}': {lines!r}") from None


class Rotctld(HamlibClient):
    """``rotctld``: position, set position, stop, park."""

    kind = "rotctld"

    def get_position(self) -> tuple[float, float]:
        lines = self.command("p")
        return self._value("p", lines, 0), self._value("p", lines, 1)

    def set_position(self, azimuth_deg: float, elevation_deg: float) -> None:
        self.command(f"P {azimuth_deg:.2f} {elevation_deg:.2f}")

    def stop(self) -> None:
        self.command("S")

    def park(self) -> None:
        self.command("K")


class Rigctld(HamlibClient):
    """``rigctld``: frequency, split (uplink on the transmit VFO), signal strength."""

    kind = "rigctld"

    def get_frequency(self) -> float:
        return self._value("f", self.command("f"), 0)

    def set_frequency(self, hz: float) -> None:
        self.command(f"F {round(hz)}")

    def set_split(self, on: bool, tx_vfo: str = "VFOB") -> None:
        self.command(f"S {1 if on else 0} {tx_vfo}")

    def set_split_frequency(self, hz: float) -> None:
        """The transmit frequency while split is on (Hamlib's ``I``)."""
        self.command(f"I {round(hz)}")

    def get_strength_db(self) -> float:
        """Signal strength in dB relative to S9 (Hamlib's STRENGTH level; S0 is -54)."""
        return self._value("l STRENGTH", self.command("l STRENGTH"), 0)
