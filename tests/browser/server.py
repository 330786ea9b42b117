"""A real ``groundnet serve`` in a subprocess on a free loopback port, for the browser tests and bench/board.py."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
from support import free_port

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "src" / "groundnet" / "web" / "dist"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]


class BoardEnvironmentError(RuntimeError):
    """Something the browser tests need is missing; the message says how to get it."""


def check_environment() -> None:
    if not Path(CHROMIUM).exists():
        raise BoardEnvironmentError(
            f"{CHROMIUM} is missing: run ./scripts/setup.sh (without GROUNDNET_SKIP_APT) to install Debian's chromium")
    if not (DIST / "index.html").exists():
        raise BoardEnvironmentError(f"{DIST}/index.html is missing: run ./scripts/setup.sh to build the board (npm)")


def groundnet_command() -> list[str]:
    exe = Path(sys.executable).with_name("groundnet")
    return [str(exe)] if exe.exists() else [shutil.which("groundnet") or "groundnet"]


class Server:
    """``groundnet serve`` with its own database and a replay clock; restartable on the same port."""

    def __init__(self, workdir: Path, clock: str, port: int | None = None, extra: list[str] | None = None,
                 config: str | None = None):
        """``config``: the text of the groundnet.toml the server reads (GROUNDNET_CONFIG); none by default."""
        self.workdir = workdir
        self.clock = clock
        self.port = port or free_port()
        self.extra = extra or []
        self.config = config
        self.database = f"sqlite:///{workdir / 'groundnet.db'}"
        self.proc: subprocess.Popen | None = None
        self.log = workdir / "serve.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout_s: float = 180.0) -> "Server":
        cmd = [*groundnet_command(), "serve", "--host", "127.0.0.1", "--port", str(self.port),
               "--database", self.database, "--clock", self.clock, *self.extra]
        # PYTHONFAULTHANDLER: a crash in native code leaves each thread's traceback in serve.log.
        env = {**os.environ, "GROUNDNET_DATA_DIR": str(self.workdir), "PYTHONFAULTHANDLER": "1"}
        env.pop("GROUNDNET_CONFIG", None)
        if self.config is not None:
            (self.workdir / "groundnet.toml").write_text(self.config, encoding="utf-8")
            env["GROUNDNET_CONFIG"] = str(self.workdir / "groundnet.toml")
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(cmd, cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"`{' '.join(cmd)}` exited with {self.proc.returncode}:\n{self.log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.url}/api/v1/clock", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"groundnet serve did not answer within {timeout_s:.0f} s:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        self.proc = None

    def check_alive(self) -> None:
        """Raise with the exit status and the end of serve.log if the server has died."""
        if self.proc is not None and self.proc.poll() is not None:
            raise RuntimeError(f"groundnet serve died with exit status {self.proc.returncode}:\n"
                               f"{self.log.read_text(errors='replace')[-6000:]}")

    def token(self, name: str = "browser-tests") -> str:
        """An API token in this server's database (for the writes a station would make)."""
        out = subprocess.run([*groundnet_command(), "token", "create", name, "--database", self.database],
                             capture_output=True, text=True, check=True, cwd=self.workdir)
        return out.stdout.strip().splitlines()[-1]

    def post(self, path: str, body: dict, token: str) -> object:
        self.check_alive()
        response = httpx.post(f"{self.url}/api/v1/{path}", json=body, headers={"Authorization": f"Bearer {token}"}, timeout=60)
        response.raise_for_status()
        return response.json()

    def get(self, path: str, **params) -> object:
        self.check_alive()
        response = httpx.get(f"{self.url}/api/v1/{path}", params=params, timeout=60)
        response.raise_for_status()
        return response.json()
