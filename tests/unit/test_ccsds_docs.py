"""The examples in docs/ccsds.md run: every `groundnet ...` line of its sh blocks, in order, in a scratch folder."""

from __future__ import annotations

import re
from pathlib import Path

from support import example_argv, run_cli

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
        assert run_cli(example_argv(line, shared_data, ROOT)) == 0, f"{line}\n{capsys.readouterr().err}"
    assert (tmp_path / "plan.xml").is_file() and (tmp_path / "residuals.png").is_file()
