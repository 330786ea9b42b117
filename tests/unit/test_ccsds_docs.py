"""The examples in docs/ccsds.md run: every `groundnet ...` line of its sh blocks, in order, in a scratch folder."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from groundnet.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _examples() -> list[str]:
    text = (ROOT / "docs" / "ccsds.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    return [line for block in blocks for line in block.splitlines() if line.startswith("groundnet ")]


def test_docs_examples_run(tmp_path, monkeypatch, shared_data, capsys):
    lines = _examples()
    assert len(lines) >= 6
    monkeypatch.chdir(tmp_path)
    for line in lines:
        argv = [a.replace("../shared/data", str(shared_data)).replace("examples/", f"{ROOT}/examples/")
                for a in shlex.split(line)[1:]]
        try:
            main(argv)
            code = 0
        except SystemExit as exc:
            code = exc.code or 0
        assert code == 0, f"{line}\n{capsys.readouterr().err}"
    assert (tmp_path / "plan.xml").is_file() and (tmp_path / "residuals.png").is_file()
