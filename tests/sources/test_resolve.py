"""`--catalog celestrak:GROUP`: fetched once, then passes computed from the cache with the server gone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from groundnet.errors import SelectionError
from groundnet.orbits.catalog import load_catalog, parse_catalog_text
from groundnet.sources.fetch import fetch_query
from groundnet.sources.resolve import resolve_catalog
from groundnet.stations import load_network
from groundnet.timebase import parse_utc
from groundnet.visibility.passes import find_passes

from .conftest import GP, write_config
from .test_fetch import run

# The recorded CelesTrak "stations" group has epochs of 2025-05-24.
START, END = "2025-05-25T00:00:00Z", "2025-05-25T06:00:00Z"
FETCHED = parse_utc("2025-05-24T22:00:00Z").timestamp()


def test_fetch_stop_the_server_then_passes_and_look_from_the_cache(capsys, loopback, recorded, tmp_path):
    loopback.route(f"{GP}?GROUP=stations&FORMAT=json", recorded["omm-json"])
    config = write_config(tmp_path, f'[celestrak]\nbase_url = "{loopback.url}"\n')
    code, _, err = run(capsys, ["--config", str(config), "catalog", "fetch", "celestrak:stations"])
    assert code == 0, err
    loopback.stop()

    code, out, err = run(capsys, ["--config", str(config), "passes", "--catalog", "celestrak:stations",
                                  "--stations", "KIR-1,NNO-1", "--start", START, "--end", END, "--format", "json"])
    assert code == 0, err
    rows = json.loads(out)
    # The same passes as from the recorded answer itself.
    expected = find_passes(parse_catalog_text(recorded["omm-json"]).elements,
                           load_network().select("KIR-1,NNO-1"), parse_utc(START).timestamp(),
                           parse_utc(END).timestamp()).to_rows()
    assert rows == json.loads(json.dumps(expected)) and len(rows) > 5
    # The window is in the past of the download: the command says which copy it used.
    assert "celestrak:stations" in err and "is used" in err

    code, out, err = run(capsys, ["--config", str(config), "look", "--catalog", "celestrak:stations", "--object",
                                  "25544", "--station", "KIR-1", "--at", START, "--format", "json"])
    assert code == 0, err
    assert json.loads(out)[0]["object_id"] == 25544


def test_without_a_network_the_old_copy_is_used_with_a_warning(capsys, loopback, recorded, tmp_path, isolated):
    loopback.route(f"{GP}?GROUP=stations&FORMAT=json", recorded["omm-json"])
    fetch_query("celestrak:stations", base_url=loopback.url, now=FETCHED)
    url = loopback.url
    loopback.stop()
    config = write_config(tmp_path, f'[celestrak]\nbase_url = "{url}"\n')
    code, out, err = run(capsys, ["--config", str(config), "catalog", "list", "celestrak:stations", "--format", "json"])
    assert code == 0, err
    assert len(json.loads(out)) == 13
    assert "warning: celestrak:stations:" in err and "cannot connect" in err and "days old" in err


def test_nothing_cached_and_no_network_is_one_line_exit_2(capsys, loopback, tmp_path):
    url = loopback.url
    loopback.stop()
    config = write_config(tmp_path, f'[celestrak]\nbase_url = "{url}"\n')
    code, out, err = run(capsys, ["--config", str(config), "passes", "--catalog", "celestrak:active",
                                  "--stations", "KIR-1"])
    assert code == 2 and err.count("\n") == 1
    assert "cannot connect" in err and "nothing is cached yet" in err


def test_fresh_copy_is_used_without_asking(loopback, recorded):
    loopback.route(f"{GP}?GROUP=stations&FORMAT=json", recorded["omm-json"])
    notes = []
    path = resolve_catalog("celestrak:stations", now=FETCHED, config=_config(loopback), note=notes.append)
    assert len(loopback.requests) == 1 and "fetched 13 element sets" in notes[0]
    again = resolve_catalog("celestrak:stations", now=FETCHED + 3600, config=_config(loopback), note=notes.append)
    assert again == path and len(loopback.requests) == 1
    assert notes[-1] == "note: celestrak:stations: elements fetched 2025-05-24T22:00:00.000Z (60 min ago)"
    # Older than the refresh interval (12 h): asked again (conditionally).
    resolve_catalog("celestrak:stations", now=FETCHED + 13 * 3600, config=_config(loopback), note=notes.append)
    assert len(loopback.requests) == 2


def test_a_replay_of_the_past_uses_the_snapshot_current_then(loopback, recorded):
    path = f"{GP}?GROUP=active&FORMAT=csv"
    july, august = parse_utc("2026-07-19T18:00:00Z").timestamp(), parse_utc("2026-08-22T20:00:00Z").timestamp()
    loopback.route(path, recorded["omm-csv-older"])
    fetch_query("celestrak:active&FORMAT=csv", base_url=loopback.url, now=july)
    loopback.route(path, recorded["omm-csv"])
    latest = fetch_query("celestrak:active&FORMAT=csv", base_url=loopback.url, now=august)
    assert len(latest.entry.snapshots()) == 2
    cfg = _config(loopback)
    notes = []
    past = resolve_catalog("celestrak:active&FORMAT=csv", at_unix=july + 5 * 86400, now=august + 60, config=cfg,
                           note=notes.append)
    assert past.endswith("20260719T180000Z.csv.gz") and "the one current then" in notes[0]
    epochs = {e.epoch_iso[:10] for e in load_catalog(past).elements}
    assert max(epochs) <= "2026-07-19"
    now = resolve_catalog("celestrak:active&FORMAT=csv", at_unix=august, now=august + 60, config=cfg)
    assert now == str(latest.entry.data_path)
    assert max(e.epoch_iso[:10] for e in load_catalog(now).elements) == "2026-08-22"


def test_non_catalog_sources_and_files_pass_through():
    assert resolve_catalog("demo") == "demo"
    assert resolve_catalog("some/file.tle") == "some/file.tle"
    with pytest.raises(SelectionError, match="gives transmitters; this needs element sets"):
        resolve_catalog("satnogs:transmitters")


def _config(loopback):
    """The configuration with CelesTrak on the loopback server."""
    from dataclasses import replace

    from groundnet.config import load_config

    cfg = load_config()
    return replace(cfg, values={**cfg.values, "celestrak.base_url": loopback.url})


def test_satnogs_transmitters_from_the_cache(capsys, loopback, recorded, tmp_path):
    loopback.route("/api/transmitters/?format=json", recorded["satnogs-transmitters"])
    loopback.route("/api/satellites/?format=json", recorded["satnogs-satellites"])
    config = write_config(tmp_path, f'[satnogs]\nbase_url = "{loopback.url}"\n')
    code, out, err = run(capsys, ["--config", str(config), "satnogs", "transmitters", "satnogs:transmitters",
                                  "--satellites", "satnogs:satellites", "--format", "json"])
    assert code == 0, err
    rows = json.loads(out)
    noaa = next(r for r in rows if r["norad_id"] == 33591)
    assert noaa["downlink_hz"] == round(137100000 * (1 + 450e-9))  # drift-corrected from the cached answer
    assert "note: satnogs:transmitters: fetched 2 transmitters" in err
    code, _, err = run(capsys, ["--config", str(config), "satnogs", "transmitters", "celestrak:active"])
    assert code == 2 and "gives catalog; this needs transmitters: satnogs:transmitters" in err


# The catalog named on the command line, or left to groundnet.toml's [catalog] default.
CATALOG_GIVEN = {"option": ("", ["--catalog", "celestrak:active"]), "default": ('[catalog]\ndefault = "celestrak:active"\n', [])}


@pytest.mark.parametrize("given", CATALOG_GIVEN)
def test_serve_with_a_source_that_cannot_be_fetched_stops_before_starting(capsys, loopback, tmp_path, given):
    url = loopback.url
    loopback.stop()
    settings, option = CATALOG_GIVEN[given]
    config = write_config(tmp_path, f'[celestrak]\nbase_url = "{url}"\n{settings}')
    code, _, err = run(capsys, ["--config", str(config), "serve", *option,
                                "--database", f"sqlite:///{tmp_path / 'g.sqlite'}", "--port", "0"])
    assert code == 2 and err.count("\n") == 1 and "cannot connect" in err and "nothing is cached yet" in err


SAMPLES = Path(__file__).resolve().parents[2] / "examples" / "satnogs"


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_schedule_observations_from_sources(capsys, loopback, recorded, tmp_path, fmt):
    """`schedule observations` takes its elements, transmitters and satellites by source name, through the cache."""
    loopback.route(f"{GP}?GROUP=stations&FORMAT=json", recorded["omm-json"])
    loopback.route(f"{GP}?GROUP=weather&FORMAT=json", recorded["omm-json-weather"])
    loopback.route("/api/transmitters/?format=json", recorded["satnogs-transmitters"])
    loopback.route("/api/satellites/?format=json", recorded["satnogs-satellites"])
    config = write_config(tmp_path, f'[celestrak]\nbase_url = "{loopback.url}"\n[satnogs]\nbase_url = "{loopback.url}"\n')
    stations = tmp_path / "satnogs.toml"
    assert run(capsys, ["satnogs", "stations", str(SAMPLES / "stations.json"), "--output", str(stations)])[0] == 0
    out = tmp_path / f"plan.{ {'table': 'txt'}.get(fmt, fmt)}"
    code, _, err = run(capsys, ["--config", str(config), "schedule", "observations", "--station-file", str(stations),
                                "--catalog", "celestrak:stations", "--catalog", "celestrak:weather",
                                "--transmitters", "satnogs:transmitters", "--satellites", "satnogs:satellites",
                                "--start", START, "--hours", "12", "--format", fmt, "--output", str(out)])
    assert code == 0, err
    assert "note: celestrak:weather: fetched" in err and "note: satnogs:transmitters: fetched" in err
    text = out.read_text()
    if fmt == "json":
        rows = json.loads(text)
        assert {r["norad_id"] for r in rows} == {25544, 33591}
        noaa = next(r for r in rows if r["norad_id"] == 33591)
        assert noaa["downlink_hz"] == round(137100000 * (1 + 450e-9))  # drift-corrected, from the cached answer
    else:
        assert "ISS (ZARYA)" in text and "NOAA 19" in text
    code, _, err = run(capsys, ["--config", str(config), "schedule", "observations", "--station-file", str(stations),
                                "--catalog", "satnogs:transmitters", "--transmitters", "satnogs:transmitters",
                                "--start", START])
    assert code == 2 and err.count("\n") == 1 and "gives transmitters; this needs element sets" in err


def test_track_tunes_from_cached_satnogs_transmitters(capsys, loopback, recorded, tmp_path):
    loopback.route(f"{GP}?GROUP=weather&FORMAT=json", recorded["omm-json-weather"])
    loopback.route("/api/transmitters/?format=json", recorded["satnogs-transmitters"])
    config = write_config(tmp_path, f'[celestrak]\nbase_url = "{loopback.url}"\n[satnogs]\nbase_url = "{loopback.url}"\n')
    code, out, err = run(capsys, ["--config", str(config), "track", "--station", "KIR-1", "--catalog", "celestrak:weather",
                                  "--object", "33591", "--transmitters", "satnogs:transmitters", "--start", START,
                                  "--end", "2025-05-25T12:00:00Z", "--dry-run", "--format", "json"])
    assert code == 0, err
    assert "note: satnogs:transmitters: fetched" in err and f"downlink {round(137100000 * (1 + 450e-9))} Hz" in err


@pytest.mark.parametrize("given", CATALOG_GIVEN)
def test_agent_resolves_its_catalog_source_before_it_starts(capsys, loopback, tmp_path, given):
    url = loopback.url
    loopback.stop()
    settings, option = CATALOG_GIVEN[given]
    config = write_config(tmp_path, f'[celestrak]\nbase_url = "{url}"\n{settings}')
    code, _, err = run(capsys, ["--config", str(config), "agent", "--station", "KIR-1", "--server", "http://127.0.0.1:9",
                                "--token", "t", *option, "--max-contacts", "1"])
    last = err.splitlines()[-1]  # after the agent's note that it runs without devices
    assert code == 2 and last.startswith("error: celestrak:active: ") and "nothing is cached yet" in last


def test_old_elements_say_how_to_get_fresh_ones(capsys):
    """The element-age warning tells a newcomer where fresh elements come from."""
    code, _, err = run(capsys, ["look", "--catalog", "demo", "--object", "25544", "--station", "KIR-1",
                                "--at", "2027-06-01T00:00:00Z", "--format", "json"])
    assert code == 0, err
    assert "predictions drift with age" in err and "--catalog celestrak:active" in err and "docs/catalogs.md" in err


def test_one_fetch_then_every_command_uses_the_default_catalog(capsys, loopback, recorded, tmp_path):
    """`catalog fetch celestrak --group stations` once, `[catalog] default` (or catalog.sources) in groundnet.toml: the
    commands given no --catalog take their elements from the cached copy, with the server gone."""
    loopback.route(f"{GP}?GROUP=stations&FORMAT=json", recorded["omm-json"])
    bare = write_config(tmp_path, f'[celestrak]\nbase_url = "{loopback.url}"\n')
    code, _, err = run(capsys, ["--config", str(bare), "catalog", "fetch", "celestrak", "--group", "stations"])
    assert code == 0, err
    assert 'add `default = "celestrak:stations"` under [catalog] in groundnet.toml' in err  # how to make it the default
    loopback.stop()
    code, _, err = run(capsys, ["--config", str(bare), "look", "--object", "25544", "--station", "KIR-1", "--at", START])
    assert code == 2 and err.count("\n") == 1 and "set `default` under [catalog] in groundnet.toml" in err

    expected = find_passes(parse_catalog_text(recorded["omm-json"]).elements, load_network().select("KIR-1,NNO-1"),
                           parse_utc(START).timestamp(), parse_utc(END).timestamp()).to_rows()
    # Named as the default, or as the first element source listed to keep fresh (transmitters are no catalog).
    for n, settings in enumerate(('default = "celestrak:stations"', 'sources = ["satnogs:transmitters", "celestrak:stations"]')):
        (tmp_path / str(n)).mkdir()
        config = write_config(tmp_path / str(n), f'[celestrak]\nbase_url = "{loopback.url}"\n[catalog]\n{settings}\n')
        code, out, err = run(capsys, ["--config", str(config), "passes", "--stations", "KIR-1,NNO-1", "--start", START,
                                      "--end", END, "--format", "json"])
        assert code == 0, err
        assert json.loads(out) == json.loads(json.dumps(expected)) and len(expected) > 2
        code, out, err = run(capsys, ["--config", str(config), "look", "--object", "25544", "--station", "KIR-1",
                                      "--at", START, "--format", "json"])
        assert code == 0, err
        assert json.loads(out)[0]["object_name"] == "ISS (ZARYA)"
        first = expected[0]
        code, out, err = run(capsys, ["--config", str(config), "track", "--station", first["station_id"], "--object",
                                      str(first["object_id"]), "--start", START, "--end", END, "--dry-run", "--format", "csv"])
        assert code == 0, err
        assert out.startswith("time,") and len(out.splitlines()) > 60  # a pass, second by second
        # A bundled spacecraft keeps the bundled elements (the server's), whatever the default catalog holds.
        code, out, err = run(capsys, ["--config", str(config), "track", "--station", "VIL-2", "--spacecraft", "ISS",
                                      "--start", "2026-08-22T00:00:00Z", "--dry-run", "--format", "csv"])
        assert code == 0, err
        assert out.startswith("time,") and len(out.splitlines()) > 60
    stations = tmp_path / "satnogs.toml"
    assert run(capsys, ["satnogs", "stations", str(SAMPLES / "stations.json"), "--output", str(stations)])[0] == 0
    code, out, err = run(capsys, ["--config", str(config), "schedule", "observations", "--station-file", str(stations),
                                  "--transmitters", str(SAMPLES / "transmitters.json"), "--start", START, "--hours", "6",
                                  "--format", "json"])
    assert code == 0, err
    assert 25544 in {r["norad_id"] for r in json.loads(out)}
