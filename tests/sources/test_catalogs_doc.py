"""Every `groundnet` command of docs/catalogs.md's "Fresh catalogs from the sources" runs as written, in order,
against a loopback server standing in for CelesTrak, Space-Track and SatNOGS DB (recorded answers)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from .conftest import GP, write_config
from .test_fetch import run

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "catalogs.md"
SHARED = ROOT.parent / "shared" / "data" / "catalog"


def examples() -> list[list[str]]:
    """The command lines of the section's code blocks (a leading `$ ` and `\\` continuations allowed)."""
    text = DOC.read_text(encoding="utf-8").split("## Fresh catalogs from the sources", 1)[1]
    found = []
    for block in re.findall(r"^```[a-z]*\n(.*?)^```", text, flags=re.S | re.M):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.removeprefix("$ ").strip()
            if line.startswith("groundnet "):
                found.append(shlex.split(line)[1:])
    return found


def test_the_sources_examples_run_as_written(capsys, loopback, recorded, tmp_path, monkeypatch):
    answers = {
        f"{GP}?GROUP=active&FORMAT=json": recorded["omm-json"],
        f"{GP}?GROUP=stations&FORMAT=json": recorded["omm-json"],
        f"{GP}?CATNR=25544&FORMAT=tle": recorded["3le"],
        f"{GP}?INTDES=1998-067&FORMAT=csv": recorded["omm-csv"],
        f"{GP}?GROUP=amateur&FORMAT=json": (SHARED / "celestrak_groups_omm_json_2025-05-24" / "amateur.json").read_bytes(),
        "/basicspacedata/query/class/gp/NORAD_CAT_ID/25544,20580/orderby/norad_cat_id/format/json":
            recorded["spacetrack-gp"],
        "/ajaxauth/login": b"",
        "/api/transmitters/?format=json": recorded["satnogs-transmitters"],
        "/api/satellites/?format=json": recorded["satnogs-satellites"],
    }
    for path, body in answers.items():
        loopback.route(path, body)
    urls = "".join(f'[{s}]\nbase_url = "{loopback.url}"\n' for s in ("celestrak", "spacetrack", "satnogs"))
    monkeypatch.setenv("GROUNDNET_CONFIG", str(write_config(tmp_path, urls)))
    monkeypatch.setenv("GROUNDNET_SPACETRACK_IDENTITY", "ops@example.org")  # the section's `export` line
    monkeypatch.setenv("GROUNDNET_SPACETRACK_PASSWORD", "not-on-the-command-line")
    monkeypatch.chdir(tmp_path)
    assert run(capsys, ["satnogs", "stations", str(ROOT / "examples" / "satnogs" / "stations.json"),
                        "--output", "satnogs.toml"])[0] == 0  # the station file of docs/cli.md's example
    commands = examples()
    assert len(commands) >= 10 and {c[0] for c in commands} >= {"catalog", "passes", "satnogs", "schedule"}
    for argv in commands:
        code, out, err = run(capsys, argv)
        assert code == 0, f"{shlex.join(argv)}: {err}"
    asked = {r["path"] for r in loopback.requests}
    assert set(answers) <= asked, f"examples that fetched nothing: {set(answers) - asked}"
