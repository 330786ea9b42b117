"""Contacts as records: from a simulated span with known faults, every record and figure equals the truth."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from typer.testing import CliRunner

from groundnet.cli import app
from groundnet.missions import load_fleet
from groundnet.domain import StationEvent
from groundnet.live.planning import PassPlanner
from groundnet.live.simulator import Fault
from groundnet.operations.reports import performance_report
from groundnet.operations.records import update_records
from groundnet.operations.simulate import simulate, truth_figures
from groundnet.stations import load_network
from groundnet.store import open_store, repo
from groundnet.timebase import parse_utc

from .conftest import FLEET_IDS

DAY = 86400.0
START = parse_utc("2026-08-23T00:00:00Z").timestamp()


@pytest.fixture(scope="module")
def network():
    fleet = [s for s in load_fleet() if s.id in FLEET_IDS]
    antennas = list(load_network())
    planner = PassPlanner(antennas, fleet)
    contacts = sorted(planner.plan(START, START + DAY).contacts, key=lambda c: c.start)
    return antennas, fleet, planner, contacts


def targeted_faults(contacts) -> list[Fault]:
    """One fault of each kind, each aimed at a planned contact of the busiest antennas."""
    by_antenna: dict[str, list] = {}
    for c in contacts:
        by_antenna.setdefault(c.antenna_id, []).append(c)
    busy = sorted(by_antenna, key=lambda k: (-len(by_antenna[k]), k))

    def at(c, share):
        return c.start + share * (c.end - c.start)

    a, b, c, d = (by_antenna[k] for k in busy[:4])
    return [
        Fault("outage", at(a[1], 0.4), at(a[1], 0.6), a[1].antenna_id, None, "drive fault"),
        Fault("outage", at(a[3], 0.5), a[3].end + 600, a[3].antenna_id, None, "power cut"),
        Fault("weather", at(b[1], 0.3), at(b[1], 0.5), b[1].antenna_id, None, "rain fade"),
        Fault("weather", b[3].setup_start, b[3].teardown_end, b[3].antenna_id, None, "storm"),
        Fault("silent", c[1].start - 10, c[1].start + 10, c[1].antenna_id),
        Fault("preempt", c[3].start - 10, c[3].start + 10, c[3].antenna_id),
        Fault("maintenance", d[1].start - 3600, d[1].start + 10, d[1].antenna_id, None, "feed swap"),
        Fault("spacecraft", d[3].start - 10, d[3].start + 10, None, d[3].spacecraft_id, "safe mode"),
    ]


def test_every_record_and_figure_equals_the_truth(network, database_url):
    antennas, _, planner, contacts = network
    faults = targeted_faults(contacts)
    store = open_store(database_url)
    try:
        result = simulate(store, planner, START, START + DAY, seed=3, faults=faults)
        with store.session() as s:
            records = {r.contact_id: r for r, _ in repo.contact_records(s, START - DAY, START + 2 * DAY)}
        states = {(t.state, t.cause) for t in result.truth.values()}
        # Every end state and cause the faults can give is there.
        assert states >= {("completed", None), ("partial", "antenna"), ("failed", "weather"), ("partial", "weather"),
                          ("missed", "unknown"), ("cancelled", "pre-emption"), ("cancelled", "antenna"),
                          ("failed", "spacecraft")}
        for c in result.contacts:
            want, got = result.truth[c.id], records[c.id]
            assert (got.state, got.cause) == (want.state, want.cause), (c.id, got.reason)
            assert got.report.in_lock_s == pytest.approx(want.in_lock_s, abs=1e-6)
            if got.state not in ("completed", "cancelled", "missed"):
                assert got.evidence, c.id
        ids = sorted(a.id for a in antennas)
        for period in ("day", "week", "month"):
            for by in ("mission", "antenna"):
                got_rows = performance_report(store, START, START + DAY, period, by, ids)
                assert got_rows == truth_figures(result, period, by, ids if by == "antenna" else None)
        # Figures by hand for the antenna with the 20 % outage of one pass: availability and MTBF.
        out = faults[0]
        row = next(r for r in performance_report(store, START, START + DAY, "day", "antenna", ids)
                   if r.key == out.antenna_id)
        down_h = ((out.end - out.start) + (faults[1].end - faults[1].start)) / 3600.0
        assert row.availability == pytest.approx(1 - down_h / 24.0, abs=1e-9)
        assert row.failures == 2 and row.mtbf_h == pytest.approx((24.0 - down_h) / 2, abs=1e-9)
        assert row.partial == 2 and row.success_rate == pytest.approx((row.contacts - 2) / row.contacts)
    finally:
        store.close()


def test_a_late_event_revises_a_past_contact_and_keeps_its_history(network, sqlite_url):
    _, _, planner, contacts = network
    store = open_store(sqlite_url)
    try:
        result = simulate(store, planner, START, START + DAY, seed=3, faults=[])
        c = next(c for c in result.contacts if result.truth[c.id].state == "completed")
        with store.session() as s:
            rec, history = repo.contact_record(s, c.id)
        assert rec.state == "completed" and [h.state for h in history] == ["completed"]
        # Days later the station reports it lost lock at mid-pass, in rain.
        mid = c.start + 0.5 * (c.end - c.start)
        late = StationEvent("late-unlock", c.antenna_id, "carrier_unlock", mid, c.spacecraft_id, {"cause": "weather"},
                            received_at=result.now + 3 * DAY)
        with store.session() as s:
            repo.insert_event(s, late, "test")
        changed = update_records(store, c.setup_start, c.teardown_end, result.now + 3 * DAY,
                                 antenna_id=c.antenna_id, trigger="late-unlock")
        assert [(r.contact_id, before) for r, before in changed] == [(c.id, "completed")]
        with store.session() as s:
            rec, history = repo.contact_record(s, c.id)
        assert (rec.state, rec.cause) == ("partial", "weather") and "late-unlock" in rec.evidence
        assert [(h.state, h.cause, h.trigger) for h in history] == [("completed", None, "simulate"),
                                                                   ("partial", "weather", "late-unlock")]
    finally:
        store.close()


def test_simulate_and_report_commands_agree_with_the_truth(tmp_path, network):
    _, _, _, contacts = network
    db = f"sqlite:///{tmp_path / 'sim.sqlite'}"
    faults = tmp_path / "faults.csv"
    from groundnet.timebase import format_utc

    lines = ["kind,start,end,antenna_id,spacecraft_id,reason"]
    for f in targeted_faults(contacts):
        lines.append(f"{f.kind},{format_utc(f.start)},{format_utc(f.end)},{f.antenna_id or ''},"
                     f"{f.spacecraft_id or ''},{f.reason}")
    lines.append("meteor,2026-08-23T01:00:00Z,2026-08-23T02:00:00Z,KIR-1,,")  # a bad record: reported, skipped
    faults.write_text("\n".join(lines) + "\n")
    truth_file = tmp_path / "truth.json"
    runner = CliRunner()
    r = runner.invoke(app, ["simulate", "--start", "2026-08-23T00:00:00Z", "--days", "1", "--seed", "3",
                            "--faults", str(faults), "--database", db, "--truth", str(truth_file), "--format", "json"])
    assert r.exit_code == 0, r.output
    assert "faults.csv:10: field 'kind': unknown fault kind 'meteor'" in r.output
    summary = json.loads(r.stdout[r.stdout.index("["):])
    truth = json.loads(truth_file.read_text())
    assert sum(row["contacts"] for row in summary) == len(truth["contacts"])
    for period in ("day", "week", "month"):
        for by in ("mission", "antenna"):
            out = tmp_path / f"{period}-{by}.json"
            r = runner.invoke(app, ["report", "performance", "--start", "2026-08-23T00:00:00Z", "--days", "1",
                                    "--period", period, "--by", by, "--database", db, "--format", "json",
                                    "--output", str(out)])
            assert r.exit_code == 0, r.output
            assert json.loads(out.read_text()) == truth["performance"][period][by]
    r = runner.invoke(app, ["report", "contacts", "--start", "2026-08-23T00:00:00Z", "--days", "1", "--database", db,
                            "--format", "json", "--history"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert {row["contact_id"]: (row["state"], row["cause"]) for row in rows} == {
        cid: (t["state"], t["cause"]) for cid, t in truth["contacts"].items()}
    assert all(row["history"] for row in rows)
    for fmt in ("csv", "table"):
        r = runner.invoke(app, ["report", "contacts", "--start", "2026-08-23T00:00:00Z", "--days", "1", "--state",
                                "failed", "--database", db, "--format", fmt])
        assert r.exit_code == 0 and "failed" in r.stdout
        r = runner.invoke(app, ["report", "performance", "--start", "2026-08-23T00:00:00Z", "--end",
                                "2026-08-24T00:00:00Z", "--by", "antenna", "--database", db, "--format", fmt])
        assert r.exit_code == 0 and "KIR-1" in r.stdout
    r = runner.invoke(app, ["report", "performance", "--start", "2026-08-23T00:00:00Z", "--period", "year",
                            "--database", db])
    assert r.exit_code != 0


def test_alerts_commands(tmp_path):
    db = f"sqlite:///{tmp_path / 'alerts.sqlite'}"
    runner = CliRunner()
    r = runner.invoke(app, ["alerts", "subscribe", "noc", "--url", "http://127.0.0.1:9/hook", "--event", "aos",
                            "--state", "failed", "--antenna", "KIR-1", "--pass-at-risk", "--secret",
                            "0123456789abcdef0123", "--database", db])
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == ["subscription 1", "secret 0123456789abcdef0123"]
    r = runner.invoke(app, ["alerts", "subscribe", "x", "--url", "http://127.0.0.1:9/", "--event", "meteor",
                            "--database", db])
    assert r.exit_code != 0
    r = runner.invoke(app, ["alerts", "subscribe", "x", "--url", "http://127.0.0.1:9/", "--antenna", "KIR-1",
                            "--database", db])
    assert r.exit_code != 0  # nothing to send
    out = tmp_path / "subs.json"
    r = runner.invoke(app, ["alerts", "list", "--database", db, "--format", "json", "--output", str(out)])
    assert r.exit_code == 0
    subs = json.loads(out.read_text())
    assert [(s["name"], s["events"], s["states"], s["antennas"], s["pass_at_risk"]) for s in subs] == [
        ("noc", ["aos"], ["failed"], ["KIR-1"], True)] and "secret" not in subs[0]
    for fmt in ("table", "csv"):
        r = runner.invoke(app, ["alerts", "list", "--database", db, "--format", fmt])
        assert r.exit_code == 0 and "noc" in r.stdout
        r = runner.invoke(app, ["alerts", "deliveries", "--database", db, "--format", fmt])
        assert r.exit_code == 0 and "idempotency_key" in r.stdout
    r = runner.invoke(app, ["alerts", "deliveries", "--database", db, "--format", "json"])
    assert r.exit_code == 0 and json.loads(r.stdout) == []
    assert runner.invoke(app, ["alerts", "remove", "1", "--database", db]).exit_code == 0
    assert runner.invoke(app, ["alerts", "remove", "1", "--database", db]).exit_code != 0
    r = runner.invoke(app, ["alerts", "list", "--database", db, "--format", "json"])
    assert json.loads(r.stdout) == []


def test_passes_at_risk_and_a_dead_letter(sqlite_url):
    from groundnet.domain import Contact
    from groundnet.operations.alerts import Dispatcher, enqueue_for_event, enqueue_stale, stale_element_risks

    from support import free_port

    store = open_store(sqlite_url)
    try:
        with store.session() as s:
            sub = repo.create_subscription(s, name="risk", url=f"http://127.0.0.1:{free_port()}/closed",
                                           secret="x" * 16, pass_at_risk=True, antennas=["KIR-1"],
                                           created_at=START).id
        soon = Contact("c-soon", "KIR-1", "ISS", "ISS", START + 600, START + 900, START + 1500, START + 1620)
        other = Contact("c-other", "MSP", "ISS", "ISS", START + 600, START + 900, START + 1500, START + 1620)
        later = Contact("c-later", "KIR-1", "ISS", "ISS", START + 9000, START + 9300, START + 9800, START + 9900)
        check = StationEvent("pp-1", "KIR-1", "prepass_failed", START + 700, "ISS", {"reason": "LNA fault"})
        with store.session() as s:
            assert enqueue_for_event(s, check, [soon, other, later], START + 700) == 1
            assert enqueue_for_event(s, check, [soon, other, later], START + 700) == 0  # once per key
            # Elements of 2026-08-10 are 13 days old at the contact: at risk; only contacts of the next 2 h count.
            risks = stale_element_risks([soon, other, later], {"ISS": START - 13 * DAY}, START, 7200.0)
            assert [c.id for c, _ in risks] == ["c-soon", "c-other"] and "13.0 days old" in risks[0][1]
            assert enqueue_stale(s, risks, START) == 1  # the subscription watches KIR-1 only
            keys = sorted(o.idempotency_key for o in repo.outbox(s, sub))
        assert keys == [f"{sub}:risk:c-soon:pp-1", f"{sub}:risk:c-soon:stale"]
        # Nobody listens: each attempt fails, is logged, and after the last one the alert is dead.
        clock = [START + 700]
        dispatcher = Dispatcher(store, wall=lambda: clock[0], timeout_s=2.0, max_attempts=3)
        try:
            for _ in range(3):
                assert dispatcher.run_once() == 0
                clock[0] += 3600.0
        finally:
            dispatcher.close()
        with store.session() as s:
            assert {o.status for o in repo.outbox(s, sub)} == {"dead"}
            log = repo.deliveries(s, sub)
        assert len(log) == 6 and all(d.status_code is None and "Connect" in d.error for d, _ in log)
    finally:
        store.close()


def test_simulate_output_formats_and_bad_fault_files(tmp_path):
    runner = CliRunner()
    db = f"sqlite:///{tmp_path / 'q.sqlite'}"
    out = tmp_path / "summary.csv"
    r = runner.invoke(app, ["simulate", "--start", "2026-08-23T00:00:00Z", "--days", "0.25", "--seed", "2",
                            "--database", db, "--format", "table", "--output", str(out)])
    assert r.exit_code == 0, r.output
    assert "completed" in out.read_text() and "contacts" in out.read_text()
    r = runner.invoke(app, ["simulate", "--start", "2026-08-23T00:00:00Z", "--days", "0.25", "--seed", "2",
                            "--database", db, "--format", "csv"])
    assert r.exit_code == 0 and r.stdout.splitlines()[0] == "state,cause,contacts"
    bad = tmp_path / "bad.csv"
    bad.write_text("kind,start,end,antenna_id,spacecraft_id,reason\noutage,yesterday,2026-08-23T02:00:00Z,KIR-1,,\n"
                   "spacecraft,2026-08-23T01:00:00Z,2026-08-23T02:00:00Z,,NOPE,\n")
    r = runner.invoke(app, ["simulate", "--start", "2026-08-23T00:00:00Z", "--days", "0.25", "--faults", str(bad),
                            "--database", db])
    assert r.exit_code != 0
    assert "bad.csv:2: field 'start'" in r.output and "bad.csv:3: field 'spacecraft_id'" in r.output
    headless = tmp_path / "headless.csv"
    headless.write_text("outage,2026-08-23T01:00:00Z,2026-08-23T02:00:00Z,KIR-1,,\n")
    r = runner.invoke(app, ["simulate", "--start", "2026-08-23T00:00:00Z", "--faults", str(headless), "--database", db])
    assert r.exit_code != 0 and "header" in str(r.exception)


def test_calendar_commands(tmp_path, network):
    import icalendar

    _, _, planner, contacts = network
    db = f"sqlite:///{tmp_path / 'cal.sqlite'}"
    store = open_store(db)
    try:
        simulate(store, planner, START, START + DAY, seed=3, faults=targeted_faults(contacts))
    finally:
        store.close()
    antenna = contacts[0].antenna_id
    mine = [c for c in contacts if c.antenna_id == antenna]
    runner = CliRunner()
    out = tmp_path / "a.ics"
    r = runner.invoke(app, ["calendar", "ics", "--antenna", antenna, "--start", "2026-08-23T00:00:00Z", "--days", "1",
                            "--database", db, "--output", str(out)])
    assert r.exit_code == 0, r.output
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {f"{c.id}@groundnet" for c in mine}
    first = events[f"{mine[0].id}@groundnet"]
    assert first.decoded("DTSTART").timestamp() == pytest.approx(mine[0].start)
    cancelled = {str(e["UID"]) for e in cal.walk("VEVENT") if str(e["STATUS"]) == "CANCELLED"}
    r = runner.invoke(app, ["calendar", "ics", "--spacecraft", contacts[0].spacecraft_id, "--start",
                            "2026-08-23T00:00:00Z", "--days", "1", "--database", db])
    assert r.exit_code == 0 and f"{contacts[0].id}@groundnet" in r.stdout.replace("\r\n ", "")
    assert runner.invoke(app, ["calendar", "ics", "--start", "2026-08-23T00:00:00Z", "--database", db]).exit_code != 0
    sheet = tmp_path / "s.html"
    r = runner.invoke(app, ["calendar", "sheet", "--antenna", antenna, "--date", "2026-08-23", "--database", db,
                            "--output", str(sheet)])
    assert r.exit_code == 0, r.output
    html = sheet.read_text()
    assert html.count("<tr><td>") == len(mine) and mine[0].spacecraft_name in html
    assert ("cancelled" in html) == bool(cancelled)
    assert runner.invoke(app, ["calendar", "sheet", "--antenna", "NOPE", "--date", "2026-08-23",
                               "--database", db]).exit_code != 0


def test_two_writers_store_one_new_record_without_a_unique_key_error(network, database_url):
    """Two servers on one database (or the clock's and an event's refresh in one) both decide a contact that has no
    record yet: each reads none, one inserts it, then the other must update it, not fail on the unique key."""
    from sqlalchemy import event

    from groundnet.domain import BoardPlan
    from groundnet.operations.lifecycle import decide

    _, _, _, contacts = network
    c = contacts[0]
    stores = [open_store(database_url), open_store(database_url)]  # two engines: two processes' connections
    try:
        with stores[0].session() as s:
            repo.save_plan(s, BoardPlan(START, START + DAY, [c], []), created_at=START, reason="test")
        aos = StationEvent("two-writers-aos", c.antenna_id, "aos", c.start, c.spacecraft_id)
        early, late = decide(c, [], [], c.setup_start + 1.0), decide(c, [aos], [], c.start + 1.0)
        def the_other_writer_between_read_and_write(state):
            # The first writer has just read the records (none): the second stores one and commits.
            result = state.invoke_statement()
            if state.is_select and not raced:
                raced.append(True)
                with stores[1].session() as second:
                    assert [b for _, b in repo.save_records(second, [early], at=c.setup_start + 1.0)] == [None]
            return result

        raced: list[bool] = []
        with stores[0].session() as first:
            event.listen(first, "do_orm_execute", the_other_writer_between_read_and_write)
            assert [before for _, before in repo.save_records(first, [late], at=c.start + 1.0)] == [None]
            first.flush()
        assert raced
        with stores[1].session() as s:
            rec, history = repo.contact_record(s, c.id)
        assert (rec.state, rec.phase) == ("in-progress", "aos")
        assert [h.state for h in history] == ["in-progress"]
        # Both writers know the record now: the next change adds to its history.
        with stores[0].session() as s:
            changed = repo.save_records(s, [decide(c, [aos], [], c.teardown_end + 1.0)], at=c.teardown_end + 1.0)
        assert [(r.state, before) for r, before in changed] == [("failed", "in-progress")]
        with stores[1].session() as s:
            assert [h.state for h in repo.contact_record(s, c.id)[1]] == ["in-progress", "failed"]
    finally:
        for st in stores:
            st.close()


def test_reading_commands_refuse_a_missing_database_and_ids_with_no_contact(tmp_path, network, capsys):
    """A mistyped --database or id must not give an empty report: one line says what is wrong, and no database
    file is left behind."""
    from groundnet.cli import main
    from groundnet.domain import BoardPlan

    _, _, _, contacts = network
    db = tmp_path / "plan.sqlite"
    store = open_store(f"sqlite:///{db}")
    try:
        with store.session() as s:
            repo.save_plan(s, BoardPlan(START, START + DAY, contacts, []), created_at=START, reason="test")
    finally:
        store.close()

    def run(*argv) -> tuple[int, str]:
        try:
            main(list(argv))
        except SystemExit as exc:
            return exc.code, capsys.readouterr().err
        return 0, capsys.readouterr().err

    window = ["--start", "2026-08-23T00:00:00Z"]
    missing = tmp_path / "typo" / "plna.sqlite"
    for argv in (["report", "performance", *window], ["report", "contacts", *window],
                 ["calendar", "ics", "--antenna", "KIR-1", *window],
                 ["calendar", "sheet", "--antenna", "KIR-1", "--date", "2026-08-23"],
                 ["alerts", "list"], ["alerts", "deliveries"], ["alerts", "remove", "1"]):
        code, err = run(*argv, "--database", f"sqlite:///{missing}")
        assert code == 2 and err.startswith(f"error: no database at {missing}: ") and "--database" in err, argv
        assert len(err.strip().splitlines()) == 1
    assert not missing.parent.exists()
    antenna, spacecraft = contacts[0].antenna_id, contacts[0].spacecraft_id
    for argv, what in ((["report", "contacts", *window, "--antenna", "KIR-9"], "antenna 'KIR-9'"),
                       (["report", "contacts", *window, "--spacecraft", "SOLO-2"], "spacecraft 'SOLO-2'"),
                       (["calendar", "ics", *window, "--antenna", "KIR-9"], "antenna 'KIR-9'"),
                       (["calendar", "ics", *window, "--spacecraft", "SOLO-2"], "spacecraft 'SOLO-2'")):
        code, err = run(*argv, "--database", f"sqlite:///{db}")
        assert code == 2 and f"error: no contact of {what} is stored" in err, (argv, err)
        assert (antenna if "antenna" in what else spacecraft) in err  # the ids it has are named
    code, _ = run("report", "contacts", *window, "--antenna", antenna, "--database", f"sqlite:///{db}")
    assert code == 0


@pytest.mark.slow
def test_a_simulated_month_with_drawn_faults_reports_the_truth(sqlite_url):
    """A month (August) of three spacecraft with the faults ``simulate --seed`` draws: every figure of every report
    (day, week, month; by mission and by antenna) equals the truth, and the antennas' downtime and failures equal
    the injected outages and maintenance summed by hand."""
    from collections import Counter

    from groundnet.operations.simulate import random_faults

    fleet = [s for s in load_fleet() if s.id in ("SENTINEL-2B", "ISS", "SOLO")]
    antennas = list(load_network())
    planner = PassPlanner(antennas, fleet)
    start = parse_utc("2026-08-01T00:00:00Z").timestamp()
    end = start + 31 * DAY
    faults = random_faults(7, start, end, [a.id for a in antennas], [s.id for s in fleet])
    assert {f.kind for f in faults} == {"outage", "maintenance", "weather", "spacecraft", "silent", "preempt"}
    store = open_store(sqlite_url)
    try:
        result = simulate(store, planner, start, end, seed=7, faults=faults)
        ids = sorted(a.id for a in antennas)
        for period in ("day", "week", "month"):
            for by in ("mission", "antenna"):
                assert performance_report(store, start, end, period, by, ids) == \
                    truth_figures(result, period, by, ids if by == "antenna" else None), (period, by)
        month = performance_report(store, start, end, "month", "antenna", ids)
        assert len(month) == len(ids)
        for row in month:
            mine = [f for f in faults if f.antenna_id == row.key]
            down_s = sum(f.end - f.start for f in mine if f.kind in ("outage", "maintenance"))
            assert row.downtime_h == pytest.approx(down_s / 3600.0, abs=1e-9)
            assert row.availability == pytest.approx(1 - down_s / (31 * DAY), abs=1e-12)
            assert row.failures == sum(f.kind == "outage" for f in mine)
        truth = Counter(t.state for t in result.truth.values())
        for state in ("completed", "partial", "failed", "missed", "cancelled"):
            assert sum(getattr(r, state) for r in month) == truth[state], state
        assert truth["completed"] and truth["cancelled"] and truth["partial"] + truth["failed"] + truth["missed"], truth
    finally:
        store.close()


def test_report_contacts_table_is_the_gist_and_csv_json_every_field(tmp_path, network):
    from groundnet.domain import BoardPlan
    from groundnet.operations.records import decide_all
    from groundnet.operations.reports import CONTACT_COLUMNS, CONTACT_TABLE_COLUMNS

    _, _, _, contacts = network
    db = f"sqlite:///{tmp_path / 'plan.sqlite'}"
    store = open_store(db)
    try:
        with store.session() as s:
            repo.save_plan(s, BoardPlan(START, START + DAY, contacts, []), created_at=START, reason="test")
            repo.save_records(s, decide_all(contacts, [], [], START + 2 * DAY), at=START + 2 * DAY)  # all missed
    finally:
        store.close()
    runner = CliRunner()
    argv = ["report", "contacts", "--start", "2026-08-23T00:00:00Z", "--days", "0.25", "--database", db]
    table = runner.invoke(app, argv, env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    header = next(line for line in table.stdout.splitlines() if "antenna_id" in line)
    assert [h.strip() for h in header.strip("┃│ ").split("┃")] == CONTACT_TABLE_COLUMNS
    assert "missed" in table.stdout and "the station reported nothing" in table.stdout
    csv_out = runner.invoke(app, [*argv, "--format", "csv"])
    assert csv_out.stdout.splitlines()[0].split(",") == CONTACT_COLUMNS
    assert set(json.loads(runner.invoke(app, [*argv, "--format", "json"]).stdout)[0]) == set(CONTACT_COLUMNS)
    out = tmp_path / "contacts.csv"
    assert runner.invoke(app, [*argv, "--output", str(out)]).exit_code == 0
    assert out.read_text().splitlines()[0].split(",") == CONTACT_COLUMNS
