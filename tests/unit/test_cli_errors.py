"""Bad input on the command line, as a newcomer types it: one line naming what is wrong, exit status 2
(or the status docs/cli.md documents), never a Python traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from groundnet.cli import main

START, END = "2026-11-21T00:00:00Z", "2026-11-22T00:00:00Z"


@pytest.fixture(scope="module")
def bad(tmp_path_factory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("bad")
    (root / "broken.toml").write_text("this is = = not toml\n[")
    (root / "a-directory").mkdir()
    (root / "prose.txt").write_text("hello\n")
    return {"toml": str(root / "broken.toml"), "dir": str(root / "a-directory"),
            "missing": str(root / "missing.toml"), "prose": str(root / "prose.txt"),
            "nodir_out": str(root / "no-such-folder" / "out.csv"), "root": str(root)}


def _run(capsys, argv: list[str]) -> tuple[int, str]:
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    return code, capsys.readouterr().err


# (argv template, the words the one line must contain); {name} is filled from the `bad` fixture.
CASES = [
    # unknown ids
    ("passes --catalog demo --stations NOPE", "unknown station 'NOPE'"),
    ("look --catalog demo --object 25544 --station NOPE", "unknown station 'NOPE'"),
    # a UTC day as people write it elsewhere: the message shows it as typed
    ("calendar sheet --antenna KIR-1 --date 02/08/2026 --database sqlite:///{root}/cal.sqlite",
     "cannot read --date '02/08/2026'"),
    ("calendar sheet --antenna KIR-1 --date 9999-01-01 --database sqlite:///{root}/cal.sqlite",
     "--date '9999-01-01' lies outside the span"),
    ("report contacts --start 2026-08-23T00:00:00Z --database sqlite:///{root}/typo.sqlite", "no database at"),
    ("link --spacecraft MEX --stations NOPE --at " + START, "unknown station 'NOPE'"),
    ("ccsds tdm --spacecraft MEX --stations NOPE --start " + START + " --end " + END, "unknown station 'NOPE'"),
    ("passes --spacecraft NOPE --stations NNO-1", "unknown spacecraft 'NOPE'"),
    ("look --catalog demo --object abc --station KIR-1", "not a NORAD catalog number"),
    ("leop no_such_scenario", "file not found"),
    # missing files
    ("passes --catalog {missing} --stations KIR-1", "no such file"),
    ("passes --trajectory {missing} --stations NNO-1", "file not found"),
    ("stations --station-file {missing}", "file not found"),
    ("spacecraft --file {missing}", "file not found"),
    ("catalog list {missing}", "no such file"),
    ("schedule plan {missing}", "file not found"),
    ("schedule satnet {missing}", "file not found"),
    ("leop {missing}", "file not found"),
    # a directory where a file belongs
    ("stations --station-file {dir}", "is a directory"),
    ("spacecraft --file {dir}", "is a directory"),
    ("passes --trajectory {dir} --stations NNO-1", "is a directory"),
    ("link --trajectory {dir} --stations NNO-1 --at " + START, "is a directory"),
    ("ccsds oem --trajectory {dir} --start " + START + " --end " + END, "is a directory"),
    ("catalog list {dir}", "holds no files"),
    ("schedule plan {dir}", "is a directory"),
    ("leop {dir}", "is a directory"),
    ("stations --output {dir}", "is a directory"),
    ("stations --output {nodir_out}", "no such file or directory"),
    # malformed TOML and files of the wrong kind
    ("stations --station-file {toml}", "not valid TOML"),
    ("spacecraft --file {toml}", "not valid TOML"),
    ("schedule plan {toml}", "not valid TOML"),
    ("leop {toml}", "not valid TOML"),
    ("serve --station-file {toml}", "not valid TOML"),
    ("passes --catalog {prose} --stations KIR-1", "no usable element set"),
    ("passes --trajectory {prose} --stations NNO-1", "CCSDS_OEM_VERS"),
    # bad times, windows and values
    ("passes --catalog demo --stations KIR-1 --start yesterday", "ISO 8601"),
    ("look --catalog demo --object 25544 --station KIR-1 --at nonsense", "ISO 8601"),
    ("spacecraft --at soon", "ISO 8601"),
    ("catalog check demo --reference-time bad", "ISO 8601"),
    ("ccsds oem --spacecraft MEX --start bad --end " + END, "ISO 8601"),
    ("serve --clock bad", "ISO 8601"),
    ("demo --clock bad", "ISO 8601"),
    ("passes --catalog demo --stations KIR-1 --start " + END + " --end " + START, "must be after --start"),
    ("link --spacecraft MEX --stations NNO-1 --start " + END + " --end " + START, "before --start"),
    ("ccsds oem --spacecraft MEX --start " + END + " --end " + START, "before --start"),
    ("link --spacecraft MEX --stations NNO-1 --start " + START + " --end " + END + " --step 0", "--step"),
    ("passes --catalog demo --stations KIR-1 --min-elevation 95", "--min-elevation"),
    ("link --spacecraft MEX --stations NNO-1 --at " + START + " --turnaround abc", "880/749"),
    ("serve --speed -1", "--speed"),
    ("serve --port 99999", "--port"),
    ("serve --database nonsense://x", "unsupported database"),
    ("token list --database sqlite:///{dir}", "cannot open the database"),
    ("schedule replan {prose} --outage x --requests {toml}", "not valid TOML"),
    # the station agent
    ("track --station NOPE --spacecraft ISS --dry-run", "unknown station 'NOPE'"),
    ("track --station MSP --spacecraft NOPE --dry-run", "unknown spacecraft 'NOPE'"),
    ("track --station MSP --spacecraft ISS --dry-run --start bad", "ISO 8601"),
    ("track --station MSP --spacecraft ISS --dry-run --start " + END + " --end " + START, "must be after --start"),
    ("track --station MSP --spacecraft ISS --dry-run --threshold-deg -1", "--threshold-deg"),
    ("track --station MSP --spacecraft ISS --dry-run --downlink-hz -5", "--downlink-hz"),
    ("track --station MSP --spacecraft ISS --dry-run --station-file {toml}", "not valid TOML"),
    ("track --station MSP --spacecraft ISS --dry-run --format xml", "'xml' is not one of"),
    ("agent --station MSP --server ftp://x", "http:// or https://"),
    ("agent --station MSP", "give --server URL"),
    ("agent --station NOPE --server http://127.0.0.1:9", "unknown station 'NOPE'"),
    ("agent --station MSP --server http://127.0.0.1:9 --az-range 0..10", "must span 360"),
    # CCSDS schedules and residuals
    ("ccsds ssf {missing}", "file not found"),
    ("ccsds ssf {dir}", "is a directory"),
    ("ccsds ssf {prose}", "not valid JSON"),
    ("ccsds ssf {prose} --requests {toml} --satnet {toml}", "not both"),
    ("ccsds residuals {missing} --spacecraft MEX", "file not found"),
    ("ccsds residuals {prose} --spacecraft MEX", "CCSDS_OEM_VERS"),
    ("ccsds residuals {prose} --spacecraft NOPE", "unknown spacecraft 'NOPE'"),
    ("ccsds residuals {prose} --spacecraft MEX --turnaround x", "880/749"),
    ("ccsds residuals {prose} --catalog demo --object 25544 --spacecraft MEX", "--catalog FILE goes with --object"),
    # usage: unknown format, option, command; missing option
    ("stations --format xml", "'xml' is not one of"),
    ("passes --catalog demo --stations KIR-1 --format xml", "'xml' is not one of"),
    ("catalog check demo --format csv", "'csv' is not one of"),
    ("catalog list demo --format xml", "'xml' is not one of"),
    ("token list --format xml", "'xml' is not one of"),
    ("leop galileo_vs15 --format xml", "'xml' is not one of"),
    ("schedule satnet {missing} --format csv", "'csv' is not one of"),
    ("ccsds oem --spacecraft MEX --start " + START + " --end " + END + " --encoding json", "'json' is not one of"),
    ("stations --bogus", "No such option: --bogus"),
    ("no-such-command", "No such command"),
    ("passes --catalog demo", "Missing option '--stations'"),
    ("passes --stations KIR-1", "--catalog FILE"),
    # the configuration file and data sources
    ("--config {toml} stations", "not valid TOML"),
    ("--config {missing} stations", "file not found"),
    ("--config {dir} config show", "is a directory"),
    ("catalog fetch nowhere:x", "unknown source 'nowhere'"),
    ("catalog fetch celestrak", "give one of --group"),
    ("catalog fetch spacetrack:class/gp", "FIELD/VALUE pairs"),
    ("passes --catalog satnogs:transmitters --stations KIR-1", "gives transmitters"),
    ("serve --satnogs-transmitters {missing}", "file not found"),
    ("serve --satnogs-transmitters {prose}", "not JSON"),
    ("serve --satnogs-transmitters satnogs:tle", "gives catalog"),
    ("catalog fetch celestrak --group active --format xml", "'xml' is not one of"),
    ("data update --format xml", "'xml' is not one of"),
    ("config show --format xml", "'xml' is not one of"),
]


@pytest.mark.parametrize("template, words", CASES, ids=[c[0].split(" --")[0][:40] + f"#{i}" for i, c in enumerate(CASES)])
def test_bad_input_gives_one_line_and_status_2(capsys, bad, template, words):
    argv = template.format(**bad).split()
    code, err = _run(capsys, argv)
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2, err
    assert "Traceback" not in err
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and words in lines[0], lines[0]


def test_usage_errors_point_at_the_commands_help(capsys):
    code, err = _run(capsys, ["catalog", "list", "demo", "--format", "xml"])
    assert code == 2 and err.strip().endswith("(see `groundnet catalog list --help`)")


def test_check_commands_keep_their_documented_status(capsys, bad):
    # docs/cli.md: `ccsds check` exits 1 when any file is bad (each reported in its row); `catalog check`
    # exits 1 when no record was accepted.
    code, err = _run(capsys, ["ccsds", "check", bad["dir"], bad["missing"]])
    assert code == 1 and "Traceback" not in err
    code, err = _run(capsys, ["catalog", "check", bad["prose"]])
    assert code == 1 and "Traceback" not in err


def test_no_arguments_shows_the_help(capsys):
    with pytest.raises(SystemExit) as exc:
        main([])
    assert exc.value.code == 2
    out, err = capsys.readouterr()
    assert "Commands" in out and "passes" in out and "Traceback" not in err


def test_the_installed_command_prints_no_traceback(bad):
    # Through the console script, as a newcomer runs it: the same one line, the same status.
    exe = Path(sys.executable).with_name("groundnet")
    for argv, words in ([["stations", "--format", "xml"], "is not one of"],
                        [["stations", "--station-file", bad["dir"]], "is a directory"]):
        done = subprocess.run([str(exe), *argv], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert done.stderr.count("\n") == 1 and words in done.stderr, done.stderr
