"""The examples of docs/cli.md match the CLI: every option of a synopsis exists, every example parses,
and every example that needs no server, network or minutes of CPU runs, as written, in order."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import typer.main

from groundnet.cli import app
from support import example_argv, run_cli

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "cli.md"
ROOT_COMMAND = typer.main.get_command(app)

# Examples shown but not run here, each with where the same thing is run instead.
NOT_RUN = {
    r"^groundnet (serve|demo) ": "a server that runs until stopped (tests/integration/service)",
    r"^groundnet agent ": "a station run by a server, through Hamlib (tests/integration/service/test_agent_e2e.py)",
    r"^groundnet (catalog fetch|data update)\b": "fetches from the internet (tests/sources, on a loopback server)",
    r"--catalog celestrak:": "reads what `catalog fetch` cached (tests/sources)",
    r"--catalog (catalog\.tle|spacetrack_full_catalog\.txt) ": "a catalog of the reader's own over a week: "
                                                                "minutes of CPU (bench/scale.py runs that job)",
}


def _sections() -> list[tuple[str, str]]:
    """(heading, text) of each `## ` section of docs/cli.md."""
    parts = re.split(r"^## (.+)$", DOC.read_text(encoding="utf-8"), flags=re.M)
    return list(zip(parts[1::2], parts[2::2]))


def _blocks(text: str) -> list[str]:
    return [b.replace("\\\n", " ") for b in re.findall(r"^```[a-z]*\n(.*?)^```", text, flags=re.S | re.M)]


def _is_synopsis(line: str) -> bool:
    return bool(re.search(r"[\[\]|]|\.\.\.|\b(FILE|ID|ISO|PATH|NAME|URL)\b", line))


def examples() -> list[str]:
    """Every `groundnet ...` command line of docs/cli.md's code blocks that is not a synopsis, in order."""
    found = []
    for _, text in _sections():
        for block in _blocks(text):
            for line in block.splitlines():
                line = line.split("  #")[0].strip()
                inner = re.findall(r"\$\((groundnet [^)]*)\)", line)  # VAR=$(groundnet ...) groundnet ...
                line = re.sub(r"^(?:[A-Z_]+=\$\([^)]*\)\s+)+", "", line)  # a value only a shell makes
                for cmd in [*inner, line]:
                    if not _is_synopsis(cmd) and _split(cmd)[1][:1] == ["groundnet"]:
                        found.append(cmd)
    return found


def _split(line: str) -> tuple[dict[str, str], list[str]]:
    """`VAR=value ... groundnet ARGS` as the environment it sets and its words."""
    words = shlex.split(line)
    env = {}
    while words and re.match(r"^[A-Z_]+=", words[0]):
        name, value = words.pop(0).split("=", 1)
        env[name] = value
    return env, words


def _resolve(argv: list[str]):
    """The command an argv names, its path and the arguments left for it."""
    args = list(argv)
    while args and args[0].startswith("--"):  # the root's own options (--config FILE)
        args = args[2:]
    cmd, path = ROOT_COMMAND, ["groundnet"]
    while hasattr(cmd, "commands") and args and args[0] in cmd.commands:  # Typer ships its own click
        path.append(args[0])
        cmd = cmd.commands[args.pop(0)]
    return cmd, path, args


EXAMPLES = examples()


def test_the_examples_are_found():
    assert len(EXAMPLES) >= 35
    assert any(e.startswith("groundnet agent ") for e in EXAMPLES)  # after GROUNDNET_TOKEN=$(...)
    assert "GROUNDNET_TOKEN=abc groundnet config show --format json" in EXAMPLES
    assert "groundnet token create SMA-agent" in EXAMPLES


@pytest.mark.parametrize("heading, text", _sections(), ids=[h for h, _ in _sections()])
def test_code_blocks_are_closed(heading, text):
    """A fence left open turns the prose after it into code (and hides the examples in it)."""
    fences = [line for line in text.splitlines() if line.startswith("```")]
    assert len(fences) % 2 == 0, f"docs/cli.md '## {heading}': a code block is not closed"


def test_every_command_has_an_example():
    """Each command's section shows it used, but `alerts remove`, whose ID `alerts subscribe` prints."""
    shown = {" ".join(_resolve(_split(line)[1][1:])[1]) for line in EXAMPLES}
    commands = {heading for heading, _ in _sections() if heading.startswith("groundnet ")}
    assert commands - shown == {"groundnet alerts remove"}


@pytest.mark.parametrize("heading, text", _sections(), ids=[h for h, _ in _sections()])
def test_synopsis_options_exist(heading, text):
    """Each `--option` of a command's synopsis (its section's first code block) is one of its options."""
    if not heading.startswith("groundnet "):
        return
    cmd, _, _ = _resolve(heading.split()[1:])
    blocks = _blocks(text)
    assert blocks, f"docs/cli.md '## {heading}' has no synopsis block"
    known = {opt for p in cmd.params for opt in [*p.opts, *p.secondary_opts]}
    if hasattr(cmd, "commands"):
        known |= {opt for sub in cmd.commands.values() for p in sub.params for opt in [*p.opts, *p.secondary_opts]}
    used = set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", blocks[0]))
    assert used - known - {"--config"} == set(), f"'## {heading}': options the command does not have"


@pytest.mark.parametrize("line", EXAMPLES)
def test_example_parses(line):
    cmd, path, args = _resolve(_split(line)[1][1:])
    try:
        cmd.make_context(" ".join(path), args, parent=ROOT_COMMAND.context_class(ROOT_COMMAND, info_name="groundnet"))
    except Exception as exc:  # click's UsageError and BadParameter: an option or value the command refuses
        pytest.fail(f"{line}\n{getattr(exc, 'format_message', exc.__str__)()}")


@pytest.mark.slow
def test_examples_run(tmp_path, monkeypatch, shared_data, capsys):
    """In a scratch folder, `../shared/data` and `examples/` as in the repository, no cached state."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "var").mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("GROUNDNET_CONFIG", raising=False)
    monkeypatch.delenv("GROUNDNET_DATABASE", raising=False)
    ran = 0
    for line in EXAMPLES:
        env, words = _split(line)
        if any(re.search(pattern, shlex.join(words)) for pattern in NOT_RUN):
            continue
        capsys.readouterr()
        with monkeypatch.context() as scoped:
            for name, value in env.items():
                scoped.setenv(name, value)
            code = run_cli(example_argv(shlex.join(words), shared_data, ROOT))
        assert code == 0, f"{line}\n{capsys.readouterr().err}"
        ran += 1
    assert ran >= 40
    for written in ("passes.json", "pass.csv", "plan.xml", "residuals.png", "truth.json", "kir1.ics", "mex.oem",
                    "stations.csv", "plan-w10.json", "kir1-2026-08-23.html"):
        assert (tmp_path / written).stat().st_size > 0, written
