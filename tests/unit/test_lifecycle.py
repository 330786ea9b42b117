"""The contact lifecycle as a pure function of the contact, the station's events, the blocks and the clock."""

from __future__ import annotations

import pytest

from groundnet.domain import BoardBlock, Contact, StationEvent
from groundnet.operations.alerts import backoff_s, sign, verify
from groundnet.operations.lifecycle import decide, revise
from groundnet.operations.performance import downtime_s
from groundnet.timebase import parse_utc, period_end, period_start, periods

T = parse_utc("2026-08-23T10:00:00Z").timestamp()
C = Contact("c1", "KIR-1", "ISS", "ISS", T - 300, T, T + 600, T + 720, mission="ISS")


def ev(kind: str, dt: float, eid: str | None = None, **detail) -> StationEvent:
    return StationEvent(eid or kind, "KIR-1", kind, T + dt, "ISS", detail)


NOMINAL = [ev("prepass_ok", -200), ev("aos", 1), ev("carrier_lock", 5), ev("telemetry_lock", 12), ev("los", 598)]


@pytest.mark.parametrize("now, state, phase", [
    (T - 400, "scheduled", None), (T - 100, "pre-pass", None), (T + 3, "in-progress", "aos"),
    (T + 20, "in-progress", "telemetry_lock"), (T + 650, "in-progress", "los"), (T + 800, "completed", None)])
def test_states_follow_the_events_and_the_clock(now, state, phase):
    rec = decide(C, NOMINAL, [], now)
    assert (rec.state, rec.phase) == (state, phase)


def test_an_outage_cuts_the_lock_and_is_the_cause():
    out = BoardBlock("KIR-1", "outage", T + 300, T + 900, "drive", "out-1")
    rec = decide(C, NOMINAL, [out], T + 3600)
    assert (rec.state, rec.cause) == ("partial", "antenna") and "out-1" in rec.evidence
    assert rec.report.in_lock_s == pytest.approx(295.0)
    assert rec.report.actual_los == T + 598


def test_causes_from_the_evidence():
    assert decide(C, [], [], T + 3600).state == "missed"
    said = decide(C, [ev("prepass_ok", -200), ev("los", 598, cause="weather")], [], T + 3600)
    assert (said.state, said.cause) == ("failed", "weather")
    ready = decide(C, [ev("prepass_ok", -200), ev("aos", 2), ev("los", 598)], [], T + 3600)
    assert (ready.state, ready.cause) == ("failed", "spacecraft")
    check = decide(C, [ev("prepass_failed", -200)], [], T + 3600)
    assert (check.state, check.cause) == ("failed", "antenna")
    late = decide(C, [ev("aos", 200), ev("carrier_lock", 200), ev("los", 598)], [], T + 3600)
    assert (late.state, late.cause) == ("partial", "unknown") and late.report.gaps == ()
    gap = decide(C, [*NOMINAL, ev("carrier_unlock", 100, "u"), ev("carrier_lock", 130, "l2")], [], T + 3600)
    assert gap.report.gaps == ((T + 100, T + 130),) and gap.state == "completed"
    from dataclasses import replace

    cancelled = replace(C, cancelled=True)
    assert decide(cancelled, [], [], T).cause == "pre-emption"
    assert decide(cancelled, [], [BoardBlock("KIR-1", "maintenance", T - 3600, T + 3600)], T).cause == "antenna"


def test_history_grows_only_on_change():
    rec = decide(C, NOMINAL, [], T + 800)
    h1 = revise([], rec, T + 800, "clock")
    assert revise(h1, rec, T + 900) is h1
    later = decide(C, [*NOMINAL, ev("carrier_unlock", 300, "late", cause="weather")], [], T + 9000)
    h2 = revise(h1, later, T + 9000, "late")
    assert [(h.state, h.cause, h.trigger) for h in h2] == [("completed", None, "clock"), ("partial", "weather", "late")]


def test_periods_downtime_signatures_and_backoff():
    t = parse_utc("2026-08-19T13:00:00Z").timestamp()  # a Wednesday
    assert period_start(t, "week") == parse_utc("2026-08-17T00:00:00Z").timestamp()
    assert period_end(period_start(t, "month"), "month") == parse_utc("2026-09-01T00:00:00Z").timestamp()
    assert period_end(parse_utc("2026-12-01T00:00:00Z").timestamp(), "month") == parse_utc("2027-01-01").timestamp()
    assert len(periods(t, t + 40 * 86400, "month")) == 2
    blocks = [BoardBlock("A", "outage", 0, 100), BoardBlock("A", "maintenance", 50, 150), BoardBlock("A", "outage", 300, None)]
    assert downtime_s(blocks, 0, 400) == 250
    body = b'{"a":1}'
    # RFC 4231 test case 2 shape: HMAC-SHA256 of "what do ya want for nothing?" with key "Jefe".
    assert sign("Jefe", b"what do ya want for nothing?") == (
        "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    assert verify("k" * 16, body, sign("k" * 16, body)) and not verify("k" * 16, body + b" ", sign("k" * 16, body))
    assert [backoff_s(n) for n in (1, 2, 3, 4)] == [1, 2, 4, 8] and backoff_s(30) == 600


def test_a_station_that_only_uploads_is_judged_by_what_it_delivered():
    """A SatNOGS client reports no lock, only its uploads after the pass (data_received naming the contact)."""
    def up(dt, eid, **detail):
        return ev("data_received", dt, eid, contact_id="c1", **detail)

    recorded = [up(700, "w", artifact="waterfall", filename="w.png", data_volume_bytes=2000),
                up(710, "a", artifact="payload", filename="a.ogg", data_volume_bytes=50000)]
    done = decide(C, recorded, [], T + 3600)
    assert (done.state, done.cause) == ("completed", None) and done.evidence == ("w", "a")
    assert done.report.data_volume_bytes == 52000
    assert done.report.data_products == ("waterfall:w.png", "payload:a.ogg")
    nothing = decide(C, [up(700, "m", artifact="client_metadata", filename="client_metadata.json")], [], T + 3600)
    assert (nothing.state, nothing.cause) == ("failed", "antenna") and "without a recording" in nothing.reason
    other = [ev("data_received", 700, "x", contact_id="c2", filename="b.ogg", data_volume_bytes=9)]
    assert decide(C, other, [], T + 3600).state == "missed"  # another contact's upload
    # A station that reports lock is judged by its lock; the data it delivered is in its report.
    mixed = decide(C, [*NOMINAL, up(700, "p", artifact="payload", filename="a.ogg", data_volume_bytes=7)], [], T + 3600)
    assert mixed.state == "completed" and mixed.report.data_volume_bytes == 7


def test_the_pointing_error_is_the_stations_own_over_the_pass():
    """A station agent reports the error at AOS and, at LOS, the max and RMS over every cycle of the pass: the record
    takes those, not the one sample at AOS; stations that send samples only are judged on them."""
    agent = [ev("aos", 1, pointing_error_deg=35.1), ev("carrier_lock", 1),
             ev("los", 598, max_pointing_error_deg=35.1, rms_pointing_error_deg=5.49)]
    report = decide(C, agent, [], T + 3600).report
    assert (report.pointing_error_max_deg, report.pointing_error_rms_deg) == (35.1, pytest.approx(5.49))
    samples = [ev("aos", 1, pointing_error_deg=0.3), ev("los", 598, "l", pointing_error_deg=0.4)]
    report = decide(C, samples, [], T + 3600).report
    assert report.pointing_error_max_deg == 0.4 and report.pointing_error_rms_deg == pytest.approx(0.3536, abs=1e-4)
    assert decide(C, NOMINAL, [], T + 3600).report.pointing_error_rms_deg is None
