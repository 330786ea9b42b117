"""The groundnet commands of docs/satnogs.md's examples run as written (the server and curl lines are run by
tests/integration/service: test_satnogs_api.py and test_docs_examples.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "satnogs.md"


def _commands() -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split("  #")[0].strip()
            if line.startswith("groundnet ") and not line.startswith("groundnet serve"):
                lines.append(line)
    return lines


COMMANDS = _commands()


def test_the_doc_has_examples_of_each_command():
    text = " ".join(COMMANDS)
    for command in ("satnogs stations", "satnogs transmitters", "schedule observations", "token create",
                    "report contacts", "report performance"):
        assert f"groundnet {command}" in text, command


@pytest.mark.slow
def test_the_examples_run_in_order(tmp_path):
    # The examples run from the repository's root, beside ../shared/data: the same layout, in a scratch directory.
    work = tmp_path / "groundnet"
    work.mkdir()
    (work / "examples").symlink_to(ROOT / "examples")
    (tmp_path / "shared").symlink_to(ROOT.parent / "shared")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
           "PYTHONPATH": str(ROOT / "src")}
    for line in COMMANDS:
        run = subprocess.run(["bash", "-c", line], cwd=work, env=env, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, f"{line}\nexit {run.returncode}: {run.stderr[-1500:]}"
        assert run.stdout.strip() or ">" in line or "--output" in line, f"{line}: printed nothing"
    assert "SATNOGS-1378" in (work / "satnogs.toml").read_text()
    assert (work / "jobs.json").stat().st_size > 100
