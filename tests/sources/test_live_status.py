"""The live service refreshes its sources in the background and reports them in GET /api/v1/status."""

from __future__ import annotations

import time

import pytest
from support import wait_for
from fastapi.testclient import TestClient

from groundnet.api.app import create_app
from groundnet.api.settings import Settings
from groundnet.config import load_config
from groundnet.missions import load_fleet

from .server import Loopback

T0_ISO = "2026-08-23T10:00:00Z"  # inside the demo fleet's element-set span


@pytest.fixture(scope="module")
def small_fleet():
    return [s for s in load_fleet() if s.id in ("ISS", "SENTINEL-2B", "MEX")]


SOURCE_KEYS = {"name", "url", "fetched_at", "age_s", "refresh_interval_s", "stale", "last_error"}


def _client(url, fleet, config) -> TestClient:
    s = Settings(database=url, clock=T0_ISO, plan_ahead_h=6, plan_behind_h=2)
    return TestClient(create_app(s, fleet=fleet, config=config))


def _config(tmp_path, monkeypatch, server: Loopback, refresh: bool):
    monkeypatch.setenv("GROUNDNET_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "groundnet.toml"
    path.write_text(f"""
[catalog]
sources = ["celestrak:stations", "satnogs:transmitters"]
refresh_interval_s = 3600

[celestrak]
base_url = "{server.url}"

[satnogs]
base_url = "{server.url}"

[live]
refresh_sources = {str(refresh).lower()}
""")
    return load_config(path)


@pytest.mark.slow
def test_sources_are_refreshed_without_blocking_the_board(sqlite_url, small_fleet, tmp_path, monkeypatch, recorded):
    server = Loopback()
    try:
        answers = recorded
        # CelesTrak answers after 3 s; SatNOGS DB is down.
        server.route("/NORAD/elements/gp.php?GROUP=stations&FORMAT=json", answers["omm-json"], behaviour="slow")
        server.route("/api/transmitters/?format=json", b"busy", status=503)
        config = _config(tmp_path, monkeypatch, server, refresh=True)
        with _client(sqlite_url, small_fleet, config) as client:
            wait_for(lambda: server.hits("/NORAD"))  # the refresh has started and waits for CelesTrak
            started = time.monotonic()
            assert client.get("/api/v1/board").status_code == 200
            status = client.get("/api/v1/status").json()
            assert time.monotonic() - started < 2.0, "the board and status answer while a source is slow"
            assert [s["name"] for s in status["sources"]] == ["celestrak:stations", "satnogs:transmitters"]
            assert all(set(s) == SOURCE_KEYS for s in status["sources"])
            from groundnet.api.schemas import SourceStatusRead

            assert set(SourceStatusRead.model_fields) == SOURCE_KEYS
            for row in status["sources"]:
                SourceStatusRead.model_validate(row)

            def fetched():
                rows = client.get("/api/v1/status").json()["sources"]
                return rows if rows[0]["fetched_at"] and rows[1]["last_error"] else None

            celestrak, satnogs = wait_for(fetched, timeout=30)
            assert celestrak["stale"] is False and 0 <= celestrak["age_s"] < 60 and celestrak["last_error"] is None
            assert celestrak["refresh_interval_s"] == 3600 and celestrak["url"].startswith(server.url)
            assert satnogs["stale"] is True and satnogs["fetched_at"] is None and satnogs["age_s"] is None
            assert "server error (HTTP 503)" in satnogs["last_error"]
    finally:
        server.stop()


def test_without_refresh_the_sources_are_reported_but_not_fetched(sqlite_url, small_fleet, tmp_path, monkeypatch):
    server = Loopback()
    try:
        config = _config(tmp_path, monkeypatch, server, refresh=False)
        with _client(sqlite_url, small_fleet, config) as client:
            rows = client.get("/api/v1/status").json()["sources"]
            time.sleep(0.3)
            assert [r["stale"] for r in rows] == [True, True] and not server.requests
    finally:
        server.stop()


def test_no_configured_sources_means_an_empty_list(sqlite_url, small_fleet, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))
    monkeypatch.delenv("GROUNDNET_CONFIG", raising=False)
    s = Settings(database=sqlite_url, clock=T0_ISO, plan_ahead_h=6, plan_behind_h=2)
    with TestClient(create_app(s, fleet=small_fleet)) as client:
        assert client.get("/api/v1/status").json()["sources"] == []


def test_the_fleet_takes_its_elements_from_a_cached_source(sqlite_url, tmp_path, monkeypatch, recorded):
    server = Loopback()
    try:
        server.route("/NORAD/elements/gp.php?GROUP=stations&FORMAT=json", recorded["omm-json"])
        config = _config(tmp_path, monkeypatch, server, refresh=False)
        monkeypatch.setenv("GROUNDNET_CONFIG", str(config.path))
        s = Settings(database=sqlite_url, clock="2025-05-25T00:00:00Z", plan_ahead_h=2, plan_behind_h=1,
                     catalog="celestrak:stations")
        with TestClient(create_app(s, config=config)) as client:
            fleet = {sc["id"]: sc for sc in client.get("/api/v1/spacecraft").json()}
            assert "ISS" in fleet and "SENTINEL-2B" not in fleet  # the stations group has the ISS only
            iss = client.get("/api/v1/spacecraft/ISS").json()
            assert iss["element_sets"][0]["epoch"].startswith("2025-05-24")
        assert len(server.hits("/NORAD")) == 1
    finally:
        server.stop()


def test_the_iers_table_can_be_a_refreshed_source(tmp_path, monkeypatch):
    from groundnet.sources.refresher import SourceRefresher

    from .test_iers import FINALS_PATH, PACKAGED

    server = Loopback()
    try:
        server.route(FINALS_PATH, PACKAGED.read_bytes())
        monkeypatch.setenv("GROUNDNET_CACHE_DIR", str(tmp_path / "cache"))
        path = tmp_path / "groundnet.toml"
        path.write_text(f'[catalog]\nsources = ["iers:finals2000A.all"]\n[iers]\nbase_url = "{server.url}"\n'
                        '[live]\nrefresh_sources = true\n')
        refresher = SourceRefresher(["iers:finals2000A.all"], load_config(path), enabled=True)
        refresher.run_once()
        (row,) = refresher.status()
        assert row["name"] == "iers:finals2000A.all" and row["stale"] is False and row["last_error"] is None
        refresher.run_once()  # fresh: not asked again
        assert len(server.hits(FINALS_PATH)) == 1
    finally:
        server.stop()


def test_a_watched_source_copy_is_read_again_when_a_refresh_changes_it(tmp_path, monkeypatch, recorded):
    """`serve --satnogs-transmitters satnogs:transmitters` follows the cached copy: the refresher's round that fetches
    a new copy reads it again (one status row for the source, with a reading error if the copy cannot be used)."""
    from groundnet.errors import GroundnetError
    from groundnet.sources.fetch import cached_outcome
    from groundnet.sources.refresher import SourceRefresher
    from groundnet.sources.registry import parse_spec

    server = Loopback()
    try:
        server.route("/api/transmitters/?format=json", recorded["satnogs-transmitters"])
        monkeypatch.setenv("GROUNDNET_CACHE_DIR", str(tmp_path / "cache"))
        path = tmp_path / "groundnet.toml"
        path.write_text(f'[satnogs]\nbase_url = "{server.url}"\n[live]\nrefresh_sources = true\n')
        config = load_config(path)
        refresher = SourceRefresher([], config, enabled=True)
        loaded = []
        copy = lambda: cached_outcome(parse_spec("satnogs:transmitters"), config).entry.data_path  # noqa: E731

        def load(p):
            if p.read_bytes().startswith(b"bad"):
                raise GroundnetError(f"{p}: not a transmitters export")
            loaded.append(p.read_bytes())

        refresher.watch("satnogs:transmitters", copy, load, spec="satnogs:transmitters")
        assert refresher.specs == ["satnogs:transmitters"]
        refresher.run_once()  # fetched: a new copy, read
        assert loaded == [recorded["satnogs-transmitters"]]
        (row,) = refresher.status()
        assert row["name"] == "satnogs:transmitters" and row["stale"] is False and row["last_error"] is None
        refresher.run_once()  # fresh, unchanged: neither fetched nor read again
        assert len(loaded) == 1 and len(server.hits("/api/transmitters/")) == 1
        copy().write_bytes(b"bad copy")
        refresher.run_once()
        (row,) = refresher.status()
        assert "not a transmitters export" in row["last_error"] and len(loaded) == 1
    finally:
        server.stop()


def _active_rows(shared_data, date: str, ids=(25544, 42063)) -> bytes:
    """CelesTrak's active group of ``date`` (OMM CSV) cut to the header and the rows of ``ids``."""
    lines = (shared_data / "catalog" / f"celestrak_active_omm_{date}.csv").read_bytes().splitlines(keepends=True)
    column = lines[0].decode().split(",").index("NORAD_CAT_ID")
    return b"".join([lines[0]] + [l for l in lines[1:] if int(l.decode().split(",")[column]) in ids])


def test_the_served_catalog_follows_its_refreshed_copy(sqlite_url, tmp_path, monkeypatch, shared_data):
    """`serve --catalog celestrak:active`: the source is refreshed and reported with the others, and when its cached
    copy changes (here: `groundnet catalog fetch` beside the server) the Earth orbiters take the newer elements."""
    from groundnet.sources.fetch import fetch_query

    server = Loopback()
    try:
        gp = "/NORAD/elements/gp.php?GROUP=active&FORMAT=csv"
        server.route(gp, _active_rows(shared_data, "2026-07-19"))
        monkeypatch.setenv("GROUNDNET_CACHE_DIR", str(tmp_path / "cache"))
        path = tmp_path / "groundnet.toml"
        path.write_text(f'[celestrak]\nbase_url = "{server.url}"\n')
        monkeypatch.setenv("GROUNDNET_CONFIG", str(path))
        config = load_config(path)
        s = Settings(database=sqlite_url, clock="2026-08-23T10:00:00Z", plan_ahead_h=2, plan_behind_h=1,
                     catalog="celestrak:active&FORMAT=csv", sources_check_s=0.2)
        with TestClient(create_app(s, config=config)) as client:
            iss = client.get("/api/v1/spacecraft/ISS").json()
            assert iss["elements_epoch"].startswith("2026-07-19")
            assert iss["source"] == "elements from celestrak:active&FORMAT=csv"
            (row,) = client.get("/api/v1/status").json()["sources"]
            assert row["name"] == "celestrak:active&FORMAT=csv" and row["stale"] is False

            server.route(gp, _active_rows(shared_data, "2026-08-22"))
            fetch_query("celestrak:active&FORMAT=csv", config=config, now=time.time() + 3 * 3600)

            def renewed():
                sc = client.get("/api/v1/spacecraft/ISS").json()
                return sc if sc["elements_epoch"].startswith("2026-08-22") else None

            iss = wait_for(renewed, timeout=20)
            assert [e["epoch"][:10] for e in iss["element_sets"]] == ["2026-07-19", "2026-08-22"]
            assert {e["source"] for e in iss["element_sets"]} == {"elements from celestrak:active&FORMAT=csv"}
            s2b = client.get("/api/v1/spacecraft/SENTINEL-2B").json()
            assert s2b["elements_epoch"].startswith("2026-08-2")
            # The board's geometry and the planner's next plans use them too.
            svc = client.app.state.service
            epochs = {sc.elements.epoch_iso[:10] for sc in svc.builder.geometry.fleet + list(svc.planner.fleet.values())
                      if sc.id == "ISS"}
            assert epochs == {"2026-08-22"} and client.get("/api/v1/board").status_code == 200
        assert len(server.hits("/NORAD")) == 2
    finally:
        server.stop()
