"""`groundnet data update`: the IERS table fetched, checked, cached, and used when newer; no expiry warning."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import groundnet.timebase as timebase
from groundnet.sources.iers import last_mjd

from .test_fetch import run

FINALS_PATH = "/products/eop/rapid/standard/finals2000A.all"
PACKAGED = Path(timebase.skyfield_data_dir()) / "finals2000A.all"


@pytest.fixture
def older_packaged_table(tmp_path, monkeypatch):
    """skyfield-data's folder as it was 200 days earlier: its table cut 200 rows short (real rows)."""
    folder = tmp_path / "skyfield-data"
    folder.mkdir()
    lines = PACKAGED.read_bytes().splitlines(keepends=True)
    (folder / "finals2000A.all").write_bytes(b"".join(lines[:-200]))
    (folder / "de421.bsp").symlink_to(PACKAGED.parent / "de421.bsp")
    monkeypatch.setattr(timebase, "skyfield_data_dir", lambda: str(folder))
    for fn in (timebase.earth_orientation_file, timebase.timescale):
        fn.cache_clear()
    yield folder
    for fn in (timebase.earth_orientation_file, timebase.timescale):
        fn.cache_clear()


def test_update_fetches_the_table_and_it_is_used_when_newer(capsys, loopback, older_packaged_table, isolated):
    loopback.route(FINALS_PATH, PACKAGED.read_bytes(), headers={"Last-Modified": "Mon, 19 Oct 2026 00:00:00 GMT"})
    code, out, err = run(capsys, ["data", "update", "--base-url", loopback.url, "--format", "json"])
    assert code == 0, err
    (row,) = json.loads(out)
    assert row["status"] == "fetched" and row["in_use"] is True and row["rows"] > 19000
    assert row["last_date"] > row["packaged_last_date"]
    cached = Path(row["path"])
    assert cached.read_bytes() == PACKAGED.read_bytes() and cached.is_relative_to(isolated)
    assert timebase.earth_orientation_file() == str(cached)
    # UT1-UTC near the end of the fetched table comes from it (the cut-short packaged table has no row there).
    t = timebase.timescale().utc(2026, 10, 1)
    assert abs(float(t.dut1)) < 0.9 and last_mjd(cached) - last_mjd(older_packaged_table / "finals2000A.all") == 200


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_update_listing_formats(capsys, loopback, fmt, tmp_path):
    loopback.route(FINALS_PATH, PACKAGED.read_bytes())
    out_path = tmp_path / f"iers.{ {'table': 'txt'}.get(fmt, fmt)}"  # .txt: the terminal's table
    code, out, err = run(capsys, ["data", "update", "--base-url", loopback.url, "--format", fmt, "--output", str(out_path)])
    assert code == 0, err
    text = out_path.read_text()
    assert "finals2000A.all" in text and "fetched" in text


def test_an_older_table_is_not_used(loopback, capsys):
    lines = PACKAGED.read_bytes().splitlines(keepends=True)
    loopback.route(FINALS_PATH, b"".join(lines[:-400]))
    code, out, err = run(capsys, ["data", "update", "--base-url", loopback.url, "--format", "json"])
    assert code == 0, err
    assert json.loads(out)[0]["in_use"] is False
    timebase.earth_orientation_file.cache_clear()
    try:
        assert timebase.earth_orientation_file() == str(PACKAGED)
    finally:
        timebase.earth_orientation_file.cache_clear()


@pytest.mark.parametrize("body, words", [
    (b"<html><body>Maintenance</body></html>", "HTML page"),
    (b"this is not a table\n" * 50, "not a complete IERS finals2000A.all table"),
    (PACKAGED.read_bytes()[:-100], "ends in the middle of a row of the table"),  # cut short, as HTTP cannot tell
])
def test_bad_tables_are_refused_and_the_previous_one_stays(capsys, loopback, body, words, isolated):
    loopback.route(FINALS_PATH, PACKAGED.read_bytes())
    from groundnet.sources.iers import update_earth_orientation

    first = update_earth_orientation(base_url=loopback.url, now=time.time() - 3 * 3600)
    loopback.route(FINALS_PATH, body)
    from groundnet.sources.iers import FINALS
    from groundnet.sources.fetch import fetch_query
    from groundnet.errors import SourceError

    with pytest.raises(SourceError, match=words):
        fetch_query(FINALS, base_url=loopback.url, now=time.time() - 2 * 3600)
    assert first.entry.data_path.read_bytes() == PACKAGED.read_bytes()
    code, _, err = run(capsys, ["data", "update", "--base-url", loopback.url])
    assert code == 2 and words in err and "is kept" in err


@pytest.mark.slow
def test_no_expired_table_warning_reaches_the_user(tmp_path):
    """skyfield-data's own table has expired (2026-10); commands must not say so at every run."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"}  # what a user's shell has
    env = {**env, "GROUNDNET_CACHE_DIR": str(tmp_path / "cache"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    proc = subprocess.run([sys.executable, "-c", "from groundnet.cli import main; main()", "look", "--catalog", "demo", "--object", "25544",
                           "--station", "KIR-1", "--at", "2026-12-03T12:00:00Z", "--format", "json",
                           "--max-element-age-days", "1000"],  # the demo elements are months old: no age warning
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "expired" not in proc.stderr.lower() and "warning" not in proc.stderr.lower(), proc.stderr
