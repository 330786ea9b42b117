"""docs/station-agent.md's walk-through, run as written: its commands parse, the tracking table and the note said
before AOS are what the page shows, and the pass it drives through Hamlib's dummies runs to LOS with the log
columns the page lists. (Its third step, a server and `groundnet agent`, is run by
tests/integration/service/test_agent_e2e.py, at another replay speed.)"""

from __future__ import annotations

import csv
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from service.hamlib_daemons import Daemon
from unit.test_cli_docs_examples import ROOT_COMMAND, _resolve

PAGE = Path(__file__).resolve().parents[2] / "docs" / "station-agent.md"
CLI = [sys.executable, "-c", "from groundnet.cli import main; main()"]


def _walkthrough() -> str:
    text = PAGE.read_text(encoding="utf-8")
    return text.split("## Walk-through with Hamlib's dummies", 1)[1].split("\n## ", 1)[0]


def _blocks() -> list[str]:
    return [b.replace("\\\n", " ") for b in re.findall(r"^```[a-z]*\n(.*?)^```", _walkthrough(), flags=re.S | re.M)]


def _commands() -> list[str]:
    """Every `groundnet ...` command of the walk-through, `$(groundnet ...)` included, in order."""
    found = []
    for block in _blocks():
        for line in block.splitlines():
            line = line.strip().removesuffix("&").strip()
            found += re.findall(r"\$\((groundnet [^)]*)\)", line)
            if line.startswith("groundnet "):
                found.append(line)
    return found


def _track(dry_run: bool) -> list[str]:
    (line,) = [c for c in _commands() if c.startswith("groundnet track") and ("--dry-run" in c) == dry_run]
    return shlex.split(line)[1:]


def _run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *argv], capture_output=True, text=True, timeout=600, cwd=cwd)


def test_the_walkthrough_commands_parse():
    commands = _commands()
    assert [shlex.split(c)[1] for c in commands] == ["track", "track", "token", "serve", "agent"]
    for line in commands:
        cmd, path, args = _resolve(shlex.split(line)[1:])
        cmd.make_context(" ".join(path), args, parent=ROOT_COMMAND.context_class(ROOT_COMMAND, info_name="groundnet"))


def test_step_1_the_table_and_the_note_are_as_shown(tmp_path):
    r = _run(_track(dry_run=True), tmp_path)
    assert r.returncode == 0, r.stderr
    with (tmp_path / "pass.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["time", "azimuth_deg", "elevation_deg", "range_km", "range_rate_km_s", "downlink_hz",
                             "uplink_hz", "rotator_az_deg", "rotator_el_deg"]
    # "with --flip the azimuth stays at 286 deg and the elevation runs from 5 through 90 to 172 deg"
    az = [float(row["rotator_az_deg"]) for row in rows]
    el = [float(row["rotator_el_deg"]) for row in rows]
    assert all(abs(a - 286) < 0.5 for a in az)
    assert round(el[0]) == 5 and round(el[-1]) == 175 and max(el) == el[-1] and all(b >= a for a, b in zip(el, el[1:]))
    assert max(float(row["elevation_deg"]) for row in rows) == pytest.approx(89.7, abs=0.05)
    # Without --flip: the note said before AOS, word for word.
    r = _run([a for a in _track(dry_run=True) if a != "--flip"] + ["--no-flip", "--output", "noflip.csv"], tmp_path)
    shown = next(b for b in _blocks() if b.startswith("note: the rotator cannot follow"))
    assert " ".join(shown.split()) in " ".join(r.stderr.split())


@pytest.mark.slow
def test_step_2_drives_the_dummies_to_los_with_the_columns_listed(tmp_path):
    rot, rig = Daemon("rotctld", "-C", "max_el=180"), Daemon("rigctld")
    try:
        argv = [a.replace("127.0.0.1:4533", rot.address).replace("127.0.0.1:4532", rig.address)
                for a in _track(dry_run=False)]
        r = _run(argv, tmp_path)
    finally:
        rot.kill()
        rig.kill()
    assert r.returncode == 0, r.stderr
    assert "AOS 2026-08-22T07:44:" in r.stderr and "LOS 2026-08-22T07:52:49" in r.stderr and "pass tracked" in r.stdout
    header = next(b for b in _blocks() if b.startswith("time,az_deg,")).splitlines()[0]
    with (tmp_path / "pass-log.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert ",".join(rows[0]) == header
    assert any(row["uplink_hz"] for row in rows) and any(row["pointing_error_deg"] for row in rows)
