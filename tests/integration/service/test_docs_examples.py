"""Every example of docs/service.md's "Examples" block runs, as written, against a real server."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from groundnet.api.app import create_app
from groundnet.api.settings import Settings
from groundnet.store import repo

from .conftest import T0_ISO, Served

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "service.md"
CURL_TIMEOUT = 28  # curl's exit status when --max-time ends a stream, as the SSE example means it to


def _examples() -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"### Examples\n.*?```sh\n(.*?)```", text, re.S)
    assert block, "docs/service.md has no Examples block"
    joined = block.group(1).replace("\\\n", " ")
    return [line.strip() for line in joined.splitlines() if line.strip() and not line.startswith("#")]


EXAMPLES = _examples()


def test_every_endpoint_has_an_example():
    """Each operation of /openapi.json (and the WebSocket) appears in the examples; the SatNOGS Network API
    that SatNOGS clients speak (under /api/, not /api/v1/) has its own examples in docs/satnogs.md."""
    app = create_app(Settings(database="sqlite:///:memory:"))
    paths = {p for p in app.openapi()["paths"] if p.startswith("/api/v1/") or not p.startswith("/api/")}
    paths |= {"/api/v1/live"}
    text = " ".join(EXAMPLES)
    missing = []
    for path in paths:
        pattern = re.escape(path).replace(r"\{spacecraft_id\}", r"[A-Z0-9-]+").replace(r"\{name\}", r"[a-z0-9_]+").replace(
            r"\{observation_id\}", r"[0-9]+").replace(r"\{antenna_id\}", r"[A-Z0-9-]+").replace(
            r"\{subscription_id\}", r"[^\s?'\"]+").replace(r"\{contact_id\}", r"[^\s?'\"]+")
        if not re.search(pattern + r"(?=[?\s'\"]|$)", text):
            missing.append(path)
    assert missing == [], f"endpoints without an example in docs/service.md: {missing}"


@pytest.mark.slow
def test_the_examples_run(tmp_path):
    app = create_app(Settings(database=f"sqlite:///{tmp_path / 'groundnet.sqlite'}", clock=T0_ISO,
                              plan_ahead_h=3, plan_behind_h=1))
    with Served(app) as served:
        with app.state.service.store.session() as s:
            token = repo.create_token(s, "docs", 0.0)
        env = {**os.environ, "GN": served.base, "TOKEN": token,
               "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"}
        for line in EXAMPLES:
            run = subprocess.run(["bash", "-c", line], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
            ok = run.returncode == 0 or (run.returncode == CURL_TIMEOUT and "--max-time" in line)
            assert ok, f"{line}\nexit {run.returncode}: {run.stderr[-1000:]}"
            assert run.stdout.strip() or " > " in line, f"{line}: printed nothing"
