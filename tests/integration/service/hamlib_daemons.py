"""Hamlib's dummy daemons (Debian libhamlib-utils) on free loopback ports, for the station agent's tests."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
from support import free_port


def _need(binary: str) -> str:
    path = shutil.which(binary)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{binary} is not installed: scripts/setup.sh installs Debian's libhamlib-utils")
        pytest.skip(f"{binary} is not installed (Debian libhamlib-utils; scripts/setup.sh installs it)")
    return path


class Daemon:
    """rotctld or rigctld -m 1 on a free loopback port; restartable on the same port. With ``log``, the daemon
    runs verbose and writes every command it receives there."""

    def __init__(self, binary: str, *extra: str, log=None):
        self.binary, self.extra, self.port, self.log = _need(binary), extra, free_port(), log
        self.proc = None
        self.start()

    def start(self) -> None:
        verbose = ("-vvvvv",) if self.log else ()
        stderr = open(self.log, "ab") if self.log else subprocess.DEVNULL
        self.proc = subprocess.Popen([self.binary, "-m", "1", "-T", "127.0.0.1", "-t", str(self.port), *self.extra,
                                      *verbose], stdout=subprocess.DEVNULL, stderr=stderr)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"{self.binary} did not start")

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=5)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"
