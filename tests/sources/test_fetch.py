"""`groundnet catalog fetch` against a loopback server: each source, each format, each bad answer."""

from __future__ import annotations

import hashlib
import json
import time

import pytest

from groundnet.cli import main
from groundnet.errors import SourceError
from groundnet.orbits.catalog import load_catalog
from groundnet.sources.fetch import cached_outcome, fetch_query

from .conftest import GP, write_config
from .server import gzip_bomb

HOUR = 3600.0


def run(capsys, argv):
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("fmt, answer, ext, count", [
    ("json", "omm-json", "json", 13),
    ("csv", "omm-csv", "csv", 40),
    ("xml", "omm-xml", "xml", None),
    ("tle", "3le", "tle", 25),
])
def test_celestrak_each_format_through_the_command(capsys, loopback, recorded, isolated, fmt, answer, ext, count):
    loopback.route(f"{GP}?GROUP=stations&FORMAT={fmt}", recorded[answer])
    code, out, err = run(capsys, ["catalog", "fetch", "celestrak", "--group", "stations", "--data-format", fmt,
                                  "--base-url", loopback.url, "--format", "json"])
    assert code == 0, err
    (row,) = json.loads(out)
    assert row["status"] == "fetched" and row["rejected"] == 0
    cached = isolated / "sources" / "celestrak" / f"GROUP=stations_FORMAT={fmt}" / f"current.{ext}"
    assert row["path"] == str(cached) and cached.read_bytes() == recorded[answer]
    expected = len(load_catalog(cached).elements)
    assert row["records"] == expected and expected > 0 and (count is None or expected == count)
    meta = json.loads((cached.parent / "meta.json").read_text())
    assert meta["records"] == expected and meta["fetched_at"].endswith("Z")
    assert len(list((cached.parent / "snapshots").iterdir())) == 1


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_fetch_listing_formats_and_output_file(capsys, loopback, recorded, tmp_path, fmt):
    loopback.route(f"{GP}?CATNR=25544&FORMAT=json", recorded["omm-json"])
    out_path = tmp_path / f"fetch.{ {'table': 'txt'}.get(fmt, fmt)}"  # .txt: the terminal's table
    code, out, err = run(capsys, ["catalog", "fetch", "celestrak:CATNR=25544", "--base-url", loopback.url,
                                  "--format", fmt, "--output", str(out_path)])
    assert code == 0, err
    text = out_path.read_text()
    assert "celestrak:CATNR=25544" in text and "fetched" in text


@pytest.mark.parametrize("option, value, sent", [
    ("--catnr", "25544", "CATNR=25544"),
    ("--intdes", "1998-067", "INTDES=1998-067"),
    ("--name", "NOAA", "NAME=NOAA"),
    ("--special", "gpz", "SPECIAL=gpz"),
])
def test_each_celestrak_selector_is_asked_as_documented(capsys, loopback, recorded, option, value, sent):
    loopback.route(f"{GP}?{sent}&FORMAT=json", recorded["omm-json-weather"])
    code, out, err = run(capsys, ["catalog", "fetch", "celestrak", option, value, "--base-url", loopback.url,
                                  "--format", "json"])
    assert code == 0, err
    assert [r["path"] for r in loopback.requests] == [f"{GP}?{sent}&FORMAT=json"]
    assert json.loads(out)[0]["records"] == 72


def test_rejected_records_are_named_in_the_note(capsys, loopback, recorded):
    """A record the reader rejects is counted, and the note says which line and why (the rest are kept)."""
    lines = recorded["3le"].decode().splitlines(keepends=True)
    lines[1] = lines[1][:68] + str((int(lines[1][68]) + 1) % 10) + lines[1][69:]  # line 1 of the first object
    loopback.route(f"{GP}?GROUP=stations&FORMAT=tle", "".join(lines))
    code, out, err = run(capsys, ["catalog", "fetch", "celestrak:stations&FORMAT=tle", "--base-url", loopback.url,
                                  "--format", "json"])
    assert code == 0, err
    (row,) = json.loads(out)
    assert row["records"] == 24 and row["rejected"] == 1
    assert row["note"].startswith("1 record(s) rejected: line 1: ") and "checksum" in row["note"]


def test_two_hour_rule_then_conditional_request(loopback, recorded):
    path = f"{GP}?GROUP=stations&FORMAT=json"
    loopback.route(path, recorded["omm-json"], etag='"v1"', headers={"Last-Modified": "Sat, 24 May 2025 21:00:00 GMT"})
    t0 = time.time()
    first = fetch_query("celestrak:stations", base_url=loopback.url, now=t0)
    assert first.status == "fetched" and len(loopback.hits(GP)) == 1
    # Within two hours CelesTrak is not asked again.
    again = fetch_query("celestrak:stations", base_url=loopback.url, now=t0 + 1.5 * HOUR)
    assert again.status == "cached" and "two hours" not in again.note and "2 h" in again.note
    assert len(loopback.hits(GP)) == 1
    # After two hours: a conditional request, answered 304; the copy counts as confirmed now.
    later = fetch_query("celestrak:stations", base_url=loopback.url, now=t0 + 2.5 * HOUR)
    assert later.status == "not-modified"
    sent = loopback.hits(GP)[-1]["headers"]
    assert sent["If-None-Match"] == '"v1"' and sent["If-Modified-Since"] == "Sat, 24 May 2025 21:00:00 GMT"
    assert cached_outcome("celestrak:stations").fetched_at == pytest.approx(t0 + 2.5 * HOUR, abs=0.01)
    assert len(first.entry.snapshots()) == 1


BAD_ANSWERS = [
    # (route kwargs, words of the one-line error)
    (dict(body="<!DOCTYPE html><html><body>Service unavailable</body></html>", headers={"Content-Type": "text/html"}),
     "HTML page"),
    (dict(behaviour="truncate"), "cut short"),
    (dict(status=403, body="Forbidden"), "access refused (HTTP 403)"),
    (dict(status=404, body="not here"), "not found (HTTP 404)"),
    (dict(status=429, body="slow down", headers={"Retry-After": "120"}), "try again in 120 s"),
    (dict(status=503, body="down"), "server error (HTTP 503)"),
    (dict(behaviour="slow"), "no answer within 1 s"),
    (dict(behaviour="gzip-bomb"), "byte limit (after decompression)"),
    (dict(body='{"error": "no such group", "code": 17}'), "holds no usable element set"),
    (dict(body='[{"OBJECT_NAME": "X", "NORAD_CAT_ID": 1}]'), "holds no usable element set"),
    (dict(body="No GP data found\n"), "it begins 'No GP data found'"),
]


@pytest.mark.parametrize("route, words", BAD_ANSWERS, ids=[w for _, w in BAD_ANSWERS])
def test_bad_answers_leave_the_cache_intact(loopback, recorded, route, words):
    path = f"{GP}?GROUP=stations&FORMAT=json"
    loopback.route(path, recorded["omm-json"])
    t0 = time.time()
    good = fetch_query("celestrak:stations", base_url=loopback.url, now=t0)
    before = digest(good.entry.data_path)
    snapshots = good.entry.snapshots()
    body = route.pop("body", recorded["omm-json"] if route.get("behaviour") in ("truncate", "slow") else b"")
    assert len(gzip_bomb()) < 200_000  # made before the request, so the server answers at once
    loopback.route(path, body, **route)
    with pytest.raises(SourceError) as err:
        fetch_query("celestrak:stations", base_url=loopback.url, now=t0 + 3 * HOUR, timeout_s=1.0,
                    limit_bytes=8 << 20)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith("celestrak:stations: http://127.0.0.1:")
    assert words in message
    assert "the cached copy fetched" in message and "is kept" in message
    assert digest(good.entry.data_path) == before and good.entry.snapshots() == snapshots
    assert not [p for p in good.entry.folder.iterdir() if p.name.startswith(".download-")]
    meta = good.entry.meta()
    assert meta["last_error"] and words.split(" (")[0] in meta["last_error"]
    assert cached_outcome("celestrak:stations").fetched_at == pytest.approx(t0, abs=0.01)


CUT_QUIETLY = [
    # (source, path, recorded answer, words): each answer cut two thirds of the way, with nothing at the HTTP level
    # to tell (no Content-Length, the connection closed)
    ("celestrak:stations", f"{GP}?GROUP=stations&FORMAT=json", "omm-json", "before the JSON document's closing ']'"),
    ("celestrak:stations&FORMAT=csv", f"{GP}?GROUP=stations&FORMAT=csv", "omm-csv", "in the middle of a row"),
    ("celestrak:stations&FORMAT=xml", f"{GP}?GROUP=stations&FORMAT=xml", "omm-xml", "before the closing </ndm>"),
    ("celestrak:stations&FORMAT=tle", f"{GP}?GROUP=stations&FORMAT=tle", "3le", "in the middle of an element set"),
    ("satnogs:tle", "/api/tle/?format=json", "satnogs-tle", "not JSON (cut short"),
    ("satnogs:transmitters", "/api/transmitters/?format=json", "satnogs-transmitters", "not SatNOGS DB transmitters"),
]


@pytest.mark.parametrize("spec, path, answer, words", CUT_QUIETLY, ids=[c[0] for c in CUT_QUIETLY])
def test_an_answer_cut_short_without_a_sign_from_http_keeps_the_cache(loopback, recorded, spec, path, answer, words):
    """Without Content-Length a body that stops early looks complete to HTTP; the catalog readers would keep the
    records before the cut, so the answer's own end is checked before it replaces the copy."""
    loopback.route(path, recorded[answer])
    t0 = time.time()
    good = fetch_query(spec, base_url=loopback.url, now=t0)
    before = digest(good.entry.data_path)
    loopback.route(path, recorded[answer], behaviour="cut-quietly")
    with pytest.raises(SourceError) as err:
        fetch_query(spec, base_url=loopback.url, now=t0 + 3 * HOUR)
    message = str(err.value)
    assert words in message and "\n" not in message and "is kept" in message
    assert digest(good.entry.data_path) == before
    assert cached_outcome(spec).records == good.records


def test_a_gzip_bomb_stops_at_the_commands_own_limit(capsys, loopback, recorded, isolated):
    """`catalog fetch` with its default limit (256 MiB of element sets): 300 KB of gzip that would inflate to
    320 MiB stops at the limit, the cached copy stays, and nothing of the bomb is left on disk."""
    import zlib

    from groundnet.sources.registry import LIMIT_BYTES

    path = f"{GP}?GROUP=stations&FORMAT=json"
    loopback.route(path, recorded["omm-json"])
    assert run(capsys, ["catalog", "fetch", "celestrak:stations", "--base-url", loopback.url])[0] == 0
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    bomb = b"".join(comp.compress(b"\0" * (1 << 20)) for _ in range(320)) + comp.flush()
    assert len(bomb) < 400_000 and 320 << 20 > LIMIT_BYTES["catalog"]
    loopback.route(path, bomb, headers={"Content-Encoding": "gzip"})
    cached = cached_outcome("celestrak:stations")
    meta = json.loads(cached.entry.meta_path.read_text())
    meta["checked_at"] = meta["fetched_at"] = "2000-01-01T00:00:00Z"  # past CelesTrak's two hours
    cached.entry.meta_path.write_text(json.dumps(meta))
    code, _, err = run(capsys, ["catalog", "fetch", "celestrak:stations", "--base-url", loopback.url])
    assert code == 2 and err.count("\n") == 1
    assert f"passes the {LIMIT_BYTES['catalog']:,} byte limit (after decompression)" in err and "is kept" in err
    assert cached.entry.data_path.read_bytes() == recorded["omm-json"]
    assert not [p for p in cached.entry.folder.iterdir() if p.name.startswith(".download-")]


@pytest.mark.parametrize("fmt", ["tle", "csv", "xml"])
def test_no_gp_data_is_not_taken_for_a_cut(loopback, fmt):
    """CelesTrak's answer to a query that matches nothing, in every text format: no element set, said as such."""
    loopback.route(f"{GP}?GROUP=nosuch&FORMAT={fmt}", "No GP data found\n")
    with pytest.raises(SourceError, match="holds no usable element set .*'No GP data found'"):
        fetch_query(f"celestrak:nosuch&FORMAT={fmt}", base_url=loopback.url)


def test_retry_after_is_respected(loopback, recorded):
    path = f"{GP}?GROUP=stations&FORMAT=json"
    loopback.route(path, b"slow down", status=429, headers={"Retry-After": "600"})
    t0 = time.time()
    with pytest.raises(SourceError, match="nothing is cached yet"):
        fetch_query("celestrak:stations", base_url=loopback.url, now=t0)
    loopback.route(path, recorded["omm-json"])
    with pytest.raises(SourceError, match="asked not to be asked again before"):
        fetch_query("celestrak:stations", base_url=loopback.url, now=t0 + 60)
    assert len(loopback.hits(GP)) == 1
    assert fetch_query("celestrak:stations", base_url=loopback.url, now=t0 + 601).status == "fetched"


def test_gzip_answers_are_read(loopback, recorded):
    loopback.route(f"{GP}?GROUP=weather&FORMAT=json", recorded["omm-json-weather"], behaviour="gzip")
    out = fetch_query("celestrak:weather", base_url=loopback.url)
    assert out.entry.data_path.read_bytes() == recorded["omm-json-weather"]
    assert loopback.hits(GP)[0]["headers"]["Accept-Encoding"] == "gzip, deflate"


def test_a_bad_answer_through_the_command_is_one_line_and_exit_2(capsys, loopback):
    loopback.route(f"{GP}?GROUP=nosuchgroup&FORMAT=json", "<html><body>Invalid query</body></html>")
    code, out, err = run(capsys, ["catalog", "fetch", "celestrak", "--group", "nosuchgroup", "--base-url", loopback.url])
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("error: celestrak:nosuchgroup: ") and "HTML page" in err
    assert "nothing is cached yet" in err


def test_unreachable_server(capsys, loopback):
    url = loopback.url
    loopback.stop()
    code, out, err = run(capsys, ["catalog", "fetch", "celestrak:stations", "--base-url", url, "--timeout", "2"])
    assert code == 2 and "cannot connect" in err and err.count("\n") == 1


# --- Space-Track ---------------------------------------------------------------------------------

SPACETRACK_PATH = "/basicspacedata/query/class/gp/NORAD_CAT_ID/25544,33591,20580/orderby/norad_cat_id/format/json"


def test_spacetrack_logs_in_with_configured_credentials_and_never_shows_them(capsys, loopback, recorded, tmp_path,
                                                                            monkeypatch, isolated):
    loopback.route("/ajaxauth/login", b"", headers={"Set-Cookie": "chocolatechip=abc123; Path=/"})
    loopback.route(SPACETRACK_PATH, recorded["spacetrack-gp"])
    config = write_config(tmp_path, f'[spacetrack]\nidentity = "ops@example.org"\nbase_url = "{loopback.url}"\n')
    monkeypatch.setenv("GROUNDNET_SPACETRACK_PASSWORD", "pa55-w0rd")
    code, out, err = run(capsys, ["--config", str(config), "catalog", "fetch", "spacetrack:25544,33591,20580",
                                  "--format", "json"])
    assert code == 0, err
    (row,) = json.loads(out)
    assert row["records"] == 3 and row["status"] == "fetched"
    login, query = loopback.requests
    assert login["method"] == "POST" and b"identity=ops%40example.org" in login["body"] and b"pa55-w0rd" in login["body"]
    assert query["headers"]["Cookie"] == "chocolatechip=abc123"
    leaked = [p for p in isolated.rglob("*") if p.is_file() and b"pa55-w0rd" in p.read_bytes()]
    assert not leaked and "pa55-w0rd" not in out + err


def test_spacetrack_without_credentials_or_with_a_refused_login(capsys, loopback, tmp_path, monkeypatch):
    config = write_config(tmp_path, f'[spacetrack]\nbase_url = "{loopback.url}"\n')
    code, _, err = run(capsys, ["--config", str(config), "catalog", "fetch", "spacetrack", "--query", "25544"])
    assert code == 2 and "no Space-Track credentials" in err and not loopback.requests
    loopback.route("/ajaxauth/login", b'{"Login":"Failed"}')
    monkeypatch.setenv("GROUNDNET_SPACETRACK_IDENTITY", "ops@example.org")
    monkeypatch.setenv("GROUNDNET_SPACETRACK_PASSWORD", "wrong")
    code, _, err = run(capsys, ["--config", str(config), "catalog", "fetch", "spacetrack", "--query", "25544"])
    assert code == 2 and "login refused" in err and "wrong" not in err


def test_spacetrack_credentials_never_reach_the_service_logs_or_status(caplog, loopback, recorded, tmp_path,
                                                                        monkeypatch):
    """The live service's refresher, every logger at DEBUG (httpx and httpcore included), a good query and a
    refused one: the password is in no log record and in no status row."""
    import logging

    from groundnet.config import load_config
    from groundnet.sources.refresher import SourceRefresher

    loopback.route("/ajaxauth/login", b"", headers={"Set-Cookie": "chocolatechip=abc123; Path=/"})
    loopback.route(SPACETRACK_PATH, recorded["spacetrack-gp"])
    monkeypatch.setenv("GROUNDNET_SPACETRACK_IDENTITY", "ops@example.org")
    monkeypatch.setenv("GROUNDNET_SPACETRACK_PASSWORD", "pa55-w0rd")
    config = load_config(write_config(tmp_path, f'[spacetrack]\nbase_url = "{loopback.url}"\n'
                                                '[live]\nrefresh_sources = true\n'))
    refresher = SourceRefresher(["spacetrack:25544,33591,20580", "spacetrack:99999"], config, enabled=True)
    caplog.set_level(logging.DEBUG)
    refresher.run_once()
    rows = refresher.status()
    assert rows[0]["last_error"] is None and "not found (HTTP 404)" in rows[1]["last_error"]
    assert [r for r in loopback.requests if r["method"] == "POST" and b"pa55-w0rd" in r["body"]]  # it was sent
    assert "pa55-w0rd" not in caplog.text and "pa55-w0rd" not in json.dumps(rows)
    assert "source spacetrack:NORAD_CAT_ID/25544,33591,20580/orderby/norad_cat_id: fetched" in caplog.text


# --- SatNOGS DB ----------------------------------------------------------------------------------

def test_satnogs_tle_transmitters_and_satellites(capsys, loopback, recorded, isolated):
    loopback.route("/api/tle/?format=json", recorded["satnogs-tle"])
    loopback.route("/api/transmitters/?format=json", recorded["satnogs-transmitters"])
    loopback.route("/api/satellites/?format=json", recorded["satnogs-satellites"])
    code, out, err = run(capsys, ["catalog", "fetch", "satnogs:tle", "satnogs:transmitters", "satnogs:satellites",
                                  "--base-url", loopback.url, "--format", "json"])
    assert code == 0, err
    rows = {r["source"]: r for r in json.loads(out)}
    tle_path = isolated / "sources" / "satnogs" / "api=tle" / "current.tle"
    assert rows["satnogs:tle"]["records"] == len(json.loads(recorded["satnogs-tle"])) == len(load_catalog(tle_path).elements)
    assert load_catalog(tle_path).elements[0].name and not load_catalog(tle_path).elements[0].name.startswith("0 ")
    # The transmitter with a negative frequency is reported; the good ones count, and the SatNOGS reader
    # reads them from the cached answer.
    assert rows["satnogs:transmitters"]["records"] == 2 and rows["satnogs:transmitters"]["rejected"] == 1
    assert "record uuid=Zw7Jk8eYfGf3QzJv2ZrFZP: field 'downlink_low'" in rows["satnogs:transmitters"]["note"]
    from groundnet.interop.satnogs import read_transmitters

    good, problems = read_transmitters(isolated / "sources" / "satnogs" / "api=transmitters" / "current.json")
    assert [t.downlink_drift_ppb for t in good] == [None, 450] and len(problems) == 1
    assert rows["satnogs:satellites"]["records"] == 2


def test_satnogs_filter_and_wrong_shape(loopback, recorded):
    loopback.route("/api/transmitters/?format=json&satellite__norad_cat_id=25544", recorded["satnogs-transmitters"])
    assert fetch_query("satnogs:transmitters/25544", base_url=loopback.url).records == 2
    loopback.route("/api/satellites/?format=json", b'{"detail": "Not found."}')
    with pytest.raises(SourceError, match="not SatNOGS DB satellites .*expected a JSON list"):
        fetch_query("satnogs:satellites", base_url=loopback.url)
    loopback.route("/api/satellites/?format=json", b'[{"name": "no ids"}]')
    with pytest.raises(SourceError, match="no usable satellites record .*field 'sat_id'"):
        fetch_query("satnogs:satellites", base_url=loopback.url)


@pytest.mark.parametrize("argv, words", [
    (["catalog", "fetch", "celestrak"], "give one of --group"),
    (["catalog", "fetch", "nowhere"], "unknown source 'nowhere'"),
    (["catalog", "fetch", "celestrak:GROUP=a&CATNR=1"], "exactly one of"),
    (["catalog", "fetch", "celestrak:active&yaml"], "is not KEY=VALUE"),
    (["catalog", "fetch", "celestrak:GROUP=active&FORMAT=yaml"], "FORMAT 'yaml'"),
    (["catalog", "fetch", "satnogs:frequencies"], "one of tle, transmitters, satellites"),
    (["catalog", "fetch", "spacetrack:class/gp"], "FIELD/VALUE pairs"),
    (["catalog", "fetch"], "catalog.sources"),
    (["catalog", "fetch", "celestrak:active", "satnogs:tle", "--base-url", "http://127.0.0.1:9"], "one source"),
])
def test_bad_source_names(capsys, argv, words):
    code, _, err = run(capsys, argv)
    assert code == 2 and words in err and err.count("\n") == 1


def test_fetch_without_a_source_fetches_the_configured_ones(capsys, loopback, recorded, tmp_path):
    loopback.route(f"{GP}?GROUP=stations&FORMAT=json", recorded["omm-json"])
    loopback.route("/api/satellites/?format=json", recorded["satnogs-satellites"])
    config = write_config(tmp_path, f'[catalog]\nsources = ["celestrak:stations", "satnogs:satellites"]\n'
                                    f'[celestrak]\nbase_url = "{loopback.url}"\n[satnogs]\nbase_url = "{loopback.url}"\n')
    code, out, err = run(capsys, ["--config", str(config), "catalog", "fetch", "--format", "json"])
    assert code == 0, err
    assert [(r["source"], r["status"]) for r in json.loads(out)] == [("celestrak:stations", "fetched"),
                                                                      ("satnogs:satellites", "fetched")]


def test_one_source_failing_does_not_stop_the_others(capsys, loopback, recorded):
    loopback.route(f"{GP}?GROUP=stations&FORMAT=json", recorded["omm-json"])
    code, out, err = run(capsys, ["catalog", "fetch", "celestrak:nosuch", "celestrak:stations", "--base-url",
                                  loopback.url, "--format", "json"])
    assert code == 2
    assert [r["source"] for r in json.loads(out)] == ["celestrak:stations"]
    assert err.count("\n") == 1 and "celestrak:nosuch" in err and "not found (HTTP 404)" in err


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_catalog_cached_lists_every_copy_with_its_age(capsys, loopback, recorded, tmp_path, fmt):
    loopback.route(f"{GP}?GROUP=stations&FORMAT=json", recorded["omm-json"])
    loopback.route("/api/transmitters/?format=json", recorded["satnogs-transmitters"])
    loopback.route("/api/satellites/?format=json", b"down", status=503)
    t0 = time.time()
    fetch_query("celestrak:stations", base_url=loopback.url, now=t0 - 2 * 86400)
    fetch_query("satnogs:transmitters", base_url=loopback.url, now=t0 - 60)
    with pytest.raises(SourceError):
        fetch_query("satnogs:satellites", base_url=loopback.url, now=t0)
    out_path = tmp_path / f"cached.{ {'table': 'txt'}.get(fmt, fmt)}"  # .txt: the terminal's table
    code, out, err = run(capsys, ["catalog", "cached", "--format", fmt, "--output", str(out_path)])
    assert code == 0, err
    text = out_path.read_text()
    assert "celestrak:stations" in text and "satnogs:transmitters" in text
    assert "satnogs:satellites" not in text  # nothing was ever cached for it
    if fmt == "json":
        rows = {r["name"]: r for r in json.loads(text)}
        assert rows["celestrak:stations"]["stale"] is True and rows["celestrak:stations"]["age_s"] > 86400
        assert rows["celestrak:stations"]["records"] == 13
        assert rows["satnogs:transmitters"]["stale"] is False and rows["satnogs:transmitters"]["records"] == 2
