"""groundnet.toml: where it is found, what each value is and where it came from, secrets masked."""

from __future__ import annotations

import json
from pathlib import Path
import re

import pytest

from groundnet.cli import main
from groundnet.config import MASK, ConfigError, load_config, set_cli_path

GOOD = """
[stations]
file = "my-stations.toml"
default = ["KIR-1", "NNO-1"]

[catalog]
sources = ["celestrak:active", "satnogs:transmitters"]
refresh_interval_s = 7200

[agent]
server = "http://groundnet.example:8000/"
token = "s3cret-token"

[spacetrack]
identity = "ops@example.org"
password = "hunter2"

[display]
units = "imperial"
time_zone = "Europe/Madrid"
"""


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch, tmp_path):
    for var in ("GROUNDNET_CONFIG", "GROUNDNET_SERVER", "GROUNDNET_TOKEN", "GROUNDNET_CACHE_DIR",
                "GROUNDNET_SPACETRACK_IDENTITY", "GROUNDNET_SPACETRACK_PASSWORD", "GROUNDNET_REFRESH_INTERVAL_S",
                "GROUNDNET_REFRESH_SOURCES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    yield
    set_cli_path(None)


def _run(capsys, argv):
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_no_file_gives_the_defaults(tmp_path):
    cfg = load_config()
    assert cfg.path is None
    assert cfg.agent_server is None and cfg.agent_token is None
    assert cfg.refresh_interval_s == 43200.0
    assert cfg.cache_dir == tmp_path / "xdg-cache" / "groundnet"
    assert all(cfg.origin(r["key"]) == "default" for r in cfg.rows())


def test_the_xdg_file_is_read_and_relative_paths_follow_it(tmp_path):
    folder = tmp_path / "xdg-config" / "groundnet"
    folder.mkdir(parents=True)
    (folder / "groundnet.toml").write_text(GOOD)
    cfg = load_config()
    assert cfg.path == folder / "groundnet.toml"
    assert cfg.agent_server == "http://groundnet.example:8000"
    assert cfg.agent_token == "s3cret-token"
    assert cfg.station_file == folder / "my-stations.toml"
    assert cfg.default_stations == ["KIR-1", "NNO-1"]
    assert cfg.get("catalog.sources") == ["celestrak:active", "satnogs:transmitters"]
    assert cfg.spacetrack_credentials == ("ops@example.org", "hunter2")
    assert cfg.get("display.time_zone") == "Europe/Madrid"
    assert cfg.origin("agent.token") == f"file {folder / 'groundnet.toml'}"


def test_environment_wins_over_the_file(tmp_path, monkeypatch):
    path = tmp_path / "g.toml"
    path.write_text(GOOD)
    monkeypatch.setenv("GROUNDNET_CONFIG", str(path))
    monkeypatch.setenv("GROUNDNET_TOKEN", "from-env")
    monkeypatch.setenv("GROUNDNET_SERVER", "https://other.example")
    cfg = load_config()
    assert cfg.agent_token == "from-env" and cfg.origin("agent.token") == "environment GROUNDNET_TOKEN"
    assert cfg.agent_server == "https://other.example"


@pytest.mark.parametrize("text, words", [
    ("[agent]\nservr = 'x'\n", ["2", "agent.servr", "known keys of [agent]: server, token"]),
    ("[agent]\nserver = 'ftp://x'\n", ["2", "agent.server", "http://"]),
    ("[catalog]\n\nrefresh_interval_s = 1\n", ["3", "catalog.refresh_interval_s", "between 60"]),
    ("[display]\ntime_zone = 'Mars/Olympus'\n", ["display.time_zone", "IANA"]),
    ("agent = 3\n", ["must be a [section]"]),
    ("[agent\n", ["not valid TOML"]),
])
def test_bad_files_name_the_line_and_key(tmp_path, text, words):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert str(path) in message
    for w in words:
        assert w in message


def test_a_named_file_must_exist(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.toml")


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_config_show_masks_secrets_and_says_where_values_came_from(tmp_path, capsys, monkeypatch, fmt):
    path = tmp_path / "g.toml"
    path.write_text(GOOD)
    monkeypatch.setenv("GROUNDNET_SPACETRACK_PASSWORD", "env-password")
    code, out, err = _run(capsys, ["--config", str(path), "config", "show", "--format", fmt])
    assert code == 0, err
    assert "s3cret-token" not in out and "hunter2" not in out and "env-password" not in out
    assert MASK in out
    assert "GROUNDNET_SPACETRACK_PASSWORD" in out
    if fmt == "json":
        rows = {r["key"]: r for r in json.loads(out)}
        assert rows["agent.token"]["value"] == MASK
        assert rows["agent.server"]["value"] == "http://groundnet.example:8000"
        assert rows["agent.server"]["origin"] == f"file {path}"
        assert rows["spacetrack.password"]["origin"] == "environment GROUNDNET_SPACETRACK_PASSWORD"
        assert rows["display.units"]["value"] == "imperial"


def test_config_show_output_file(tmp_path, capsys):
    out_path = tmp_path / "config.csv"
    code, out, err = _run(capsys, ["config", "show", "--format", "csv", "--output", str(out_path)])
    assert code == 0, err
    text = out_path.read_text()
    assert text.startswith("key,value,origin,env")
    assert "agent.token,,default,GROUNDNET_TOKEN" in text


def test_bad_config_is_one_line_exit_2(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text("[agent]\ntoken = 3\n")
    code, out, err = _run(capsys, ["--config", str(path), "config", "show"])
    assert code == 2
    assert err.strip().count("\n") == 0 and "agent.token" in err and ":2:" in err


STATION_FILE = """
[[antenna]]
id = "HOME-1"
name = "Home station"
network = "HOME"
latitude_deg = 48.1
longitude_deg = 11.6
altitude_m = 520
dish_m = 1.0
bands = ["VHF", "UHF"]
min_elevation_deg = 10
"""
WINDOW = ["--start", "2026-08-23T00:00:00Z", "--end", "2026-08-23T06:00:00Z"]


def test_default_stations_and_station_file_apply_to_every_command(tmp_path, capsys):
    (tmp_path / "home.toml").write_text(STATION_FILE)
    config = tmp_path / "groundnet.toml"
    config.write_text('[stations]\nfile = "home.toml"\ndefault = ["HOME-1", "KIR-1"]\n')
    code, out, err = _run(capsys, ["--config", str(config), "passes", "--catalog", "demo", *WINDOW, "--format", "json"])
    assert code == 0, err
    assert {r["station_id"] for r in json.loads(out)} == {"HOME-1", "KIR-1"}
    code, out, err = _run(capsys, ["--config", str(config), "look", "--catalog", "demo", "--object", "25544",
                                   "--at", WINDOW[1], "--format", "json"])
    assert code == 0, err
    assert json.loads(out)[0]["station_id"] == "HOME-1"
    code, out, err = _run(capsys, ["--config", str(config), "stations", "--network", "HOME", "--format", "json"])
    assert code == 0, err
    assert [r["id"] for r in json.loads(out)] == ["HOME-1"]
    # What is given on the command line wins.
    code, out, err = _run(capsys, ["--config", str(config), "passes", "--catalog", "demo", "--stations", "NNO-1",
                                   *WINDOW, "--format", "json"])
    assert code == 0, err
    assert {r["station_id"] for r in json.loads(out)} == {"NNO-1"}


def test_without_a_config_the_station_options_stay_required(capsys):
    code, _, err = _run(capsys, ["passes", "--catalog", "demo", *WINDOW])
    assert code == 2 and "Missing option '--stations'" in err


def test_a_bad_config_stops_other_commands_with_one_line(tmp_path, capsys, monkeypatch):
    path = tmp_path / "bad.toml"
    path.write_text("[stations]\ndefault = 3\n")
    monkeypatch.setenv("GROUNDNET_CONFIG", str(path))
    code, _, err = _run(capsys, ["stations"])
    assert code == 2 and err.count("\n") == 1 and "stations.default" in err and ":2:" in err


def test_display_time_zone_and_units_apply_to_tables_only(tmp_path, capsys):
    config = tmp_path / "groundnet.toml"
    config.write_text('[display]\nunits = "imperial"\ntime_zone = "Europe/Madrid"\n')
    argv = ["--config", str(config), "look", "--catalog", "demo", "--object", "25544", "--station", "KIR-1",
            "--at", "2026-08-23T00:00:00Z"]
    code, table, err = _run(capsys, argv)
    assert code == 0, err
    assert "2026-08-23T02:00:00.000+02:00" in table and "range_mi" in table and "range_km" not in table
    assert "times in Europe/Madrid, imperial units" in table
    code, out, err = _run(capsys, argv + ["--format", "json"])
    (row,) = json.loads(out)
    assert row["time"] == "2026-08-23T00:00:00.000Z" and "range_km" in row  # data stays UTC and metric
    miles = float(re.search(r"│ (\d+\.\d+) +│ -?\d+\.\d+ +│ \d+\.\d+ +│ False", table).group(1))
    assert miles == pytest.approx(row["range_km"] / 1.609344, abs=0.002)
    # The next command without the file is back to UTC and metric.
    code, table, err = _run(capsys, argv[2:])
    assert "2026-08-23T00:00:00.000Z" in table and "range_km" in table


def test_the_documented_example_is_a_valid_configuration(tmp_path):
    """docs/configuration.md's example file loads as written."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "configuration.md").read_text(encoding="utf-8")
    example = re.search(r"## Example\n\n```toml\n(.*?)```", doc, re.S).group(1)
    path = tmp_path / "groundnet.toml"
    path.write_text(example.replace('token = "..."', 'token = "abc"'))
    cfg = load_config(path)
    assert cfg.get("catalog.sources") == ["celestrak:active", "satnogs:transmitters"]
    assert cfg.get("live.refresh_sources") is True and cfg.agent_server == "https://groundnet.example.org"
    assert cfg.station_file == tmp_path / "stations.toml"
    keys = set(re.findall(r"^\| `([a-z_]+\.[a-z_]+)` \|", doc, re.M))
    from groundnet.config import KEYS

    assert keys == {k.name for k in KEYS}, "every key is in the table of docs/configuration.md"
