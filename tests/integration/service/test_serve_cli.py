"""The user paths around `groundnet serve` and `groundnet demo`: --host, --hub, and the setup script's modes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from support import free_port, wait_for

ROOT = Path(__file__).resolve().parents[3]
CLI = [sys.executable, "-c", "from groundnet.cli import main; main()"]


@pytest.mark.slow
def test_demo_listens_on_the_host_given(tmp_path):
    port = free_port()
    env = {**os.environ, "GROUNDNET_DATA_DIR": str(tmp_path), "GROUNDNET_PLAN_AHEAD_H": "2",
           "GROUNDNET_PLAN_BEHIND_H": "1"}
    proc = subprocess.Popen([*CLI, "demo", "--host", "127.0.0.1", "--port", str(port), "--clock", "2026-08-23T10:00:00Z"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"

    def up():
        if proc.poll() is not None:
            raise AssertionError(f"demo exited: {proc.stderr.read()[-2000:]}")
        try:
            return httpx.get(f"{base}/api/v1/status", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_for(up, timeout=120, every=0.2)
        status = httpx.get(f"{base}/api/v1/status").json()
        assert status["hub"] == "memory" and status["plan"]["contacts"] > 0
        assert (tmp_path / "groundnet.sqlite").exists()
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert f"http://localhost:{port}/" in out


def test_a_hub_that_is_not_memory_or_postgresql_is_one_line(tmp_path):
    run = subprocess.run([*CLI, "serve", "--database", f"sqlite:///{tmp_path / 'g.sqlite'}", "--hub", "redis://x"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "--hub 'redis://x'" in lines[0] and "postgresql://" in lines[0], run.stderr


def test_the_setup_script_knows_its_two_modes():
    run = subprocess.run([str(ROOT / "scripts" / "setup.sh"), "everything"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "use 'run'" in run.stderr and "'test'" in run.stderr
    text = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    # Debian packages (chromium, postgresql) only for the tests; `make run` asks for the run mode.
    apt_block = text[text.index('if [ "$mode" = "test" ] && [ "${GROUNDNET_SKIP_APT'):text.index("PY=")]
    assert "chromium" in apt_block and "postgresql" in apt_block
    assert "chromium" not in text.replace(apt_block, "").split("set -euo pipefail", 1)[1]
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "./scripts/setup.sh run" in make and "./scripts/setup.sh test" in make
