"""The board: planned activity, what stations reported, the simulator's scripts, the geometry."""

from __future__ import annotations

import math

import pytest

from groundnet.live.board import BoardBuilder, EventLog, reported_link_state
from groundnet.missions import load_fleet
from groundnet.domain import BoardBlock, BoardPlan, Contact, StationEvent
from groundnet.live.simulator import StationSimulator
from groundnet.operations.records import decide_all
from groundnet.stations import load_network
from groundnet.timebase import parse_utc

T = parse_utc("2026-08-23T10:00:00Z").timestamp()


@pytest.fixture(scope="module")
def fleet():
    return [s for s in load_fleet() if s.id in ("ISS", "MEX")]


def contact(antenna="MSP", sc="MEX", start=T, length=1800.0, cid="c1") -> Contact:
    return Contact(cid, antenna, sc, sc, start - 600, start, start + length, start + length + 300, sc, "r1")


def ev(kind, t, antenna="MSP", eid=None, **detail) -> StationEvent:
    return StationEvent(eid or f"{kind}-{t}", antenna, kind, t, detail=detail)


def test_reported_links_follow_the_station():
    c = contact()
    assert reported_link_state([], c, T + 10) is None
    evs = [ev("aos", T + 5)]
    assert reported_link_state(evs, c, T + 6)["downlink"] == "carrier"
    evs.append(ev("telemetry_lock", T + 20))
    evs.append(ev("command_sent", T + 30, ranging=True))
    rep = reported_link_state(evs, c, T + 40)
    assert (rep["activity"], rep["downlink"], rep["uplink"]) == ("tracking", "data", "ranging")
    evs.append(ev("los", T + 1800))
    assert reported_link_state(evs, c, T + 1900)["activity"] == "teardown"
    assert reported_link_state(evs, c, T + 2200)["activity"] == "idle"


def test_board_planned_vs_reported_and_blocks(fleet):
    antennas = load_network().select(["MSP", "CEB", "KIR-1"])
    builder = BoardBuilder(antennas, fleet)
    c = contact(antenna="CEB", sc="MEX")
    plan = BoardPlan(T - 3600, T + 7200, [c], [BoardBlock("KIR-1", "maintenance", T - 60, T + 60, "drive")])
    log = EventLog([ev("aos", T + 5, antenna="CEB"), ev("carrier_lock", T + 9, antenna="CEB")])
    board = builder.build(T + 10, plan, log)
    rows = {a["id"]: a for a in board["antennas"]}
    ceb = rows["CEB"]
    assert (ceb["activity"], ceb["reported_activity"]) == ("tracking", "tracking")
    assert ceb["downlink"]["signal"] == "carrier" and ceb["downlink"]["band"] == "X"
    assert ceb["targets"] == [{"spacecraft_id": "MEX", "name": "Mars Express"}]
    # Mars in August 2026: 1.8-2.0 au from Earth (DE421), so the round trip takes 30-34 minutes.
    assert 1800 < ceb["rtlt_s"] < 2040
    # Upleg and downleg differ by the range rate over a light time (Earth-Mars: tens of km/s × ~16 min).
    assert ceb["upleg_range_km"] == pytest.approx(ceb["downleg_range_km"], abs=60 * 1000)
    assert ceb["rtlt_s"] == pytest.approx((ceb["upleg_range_km"] + ceb["downleg_range_km"]) / 299792.458, rel=1e-5)
    assert rows["KIR-1"]["activity"] == "maintenance" and rows["KIR-1"]["reported_activity"] is None
    assert rows["MSP"]["activity"] == "idle" and rows["MSP"]["targets"] == []
    # Setup points the antenna where the spacecraft will be at the contact's start.
    setup = {a["id"]: a for a in builder.build(T - 300, plan, EventLog())["antennas"]}["CEB"]
    at_start = {a["id"]: a for a in builder.build(T, plan, EventLog())["antennas"]}["CEB"]
    assert setup["activity"] == "setup" and setup["azimuth_deg"] == pytest.approx(at_start["azimuth_deg"], abs=1e-3)
    assert setup["downlink"]["signal"] == "none"
    # An outage event wins over the plan in the reported column.
    log.add(ev("outage_start", T + 20, antenna="CEB"))
    ceb = {a["id"]: a for a in builder.build(T + 30, plan, log)["antennas"]}["CEB"]
    assert ceb["reported_activity"] == "outage" and ceb["activity"] == "tracking"
    # The contact's state is its lifecycle record's, asked for once per board: in progress, then partial (the
    # outage cut the lock after 11 s) on the row's last contact once its teardown is over.
    asked = []

    def records(contacts, at):
        asked.append(sorted(c.id for c in contacts))
        evs = [e for a in ("CEB",) for e in log.upto(a, at)]
        outage = BoardBlock("CEB", "outage", T + 20, None, "", "outage_start-x")  # the store opens it from the event
        return {r.contact_id: r for r in decide_all(contacts, evs, [*plan.blocks, outage], at)}

    ceb = {a["id"]: a for a in builder.build(T + 30, plan, log, records=lambda cs: records(cs, T + 30))["antennas"]}["CEB"]
    assert (ceb["contact_status"], ceb["last_contact"]) == ("in-progress", None)
    after = c.teardown_end + 1
    rows = {a["id"]: a for a in builder.build(after, plan, log, records=lambda cs: records(cs, after))["antennas"]}
    assert rows["CEB"]["contact_status"] is None and rows["MSP"]["last_contact"] is None
    assert {k: rows["CEB"]["last_contact"][k] for k in ("id", "status", "cause")} == {
        "id": "c1", "status": "partial", "cause": "antenna"}
    assert asked == [["c1"], ["c1"]]


def test_geometry_matches_skyfield(fleet):
    """Look angles of the ISS against Skyfield's own EarthSatellite on the same elements (independent path)."""
    from sgp4.exporter import export_tle
    from skyfield.api import EarthSatellite, wgs84

    from groundnet.live.geometry import FleetGeometry
    from groundnet.timebase import skyfield_times, timescale

    iss = next(s for s in fleet if s.id == "ISS")
    line1, line2 = export_tle(iss.elements.satrec())
    sat = EarthSatellite(line1, line2, "ISS", timescale())
    antennas = list(load_network())
    t = iss.elements.epoch_unix + 7200.0
    obs = FleetGeometry([iss]).observe(antennas, t)
    for i, a in enumerate(antennas):
        alt, az, dist = (sat - wgs84.latlon(a.latitude_deg, a.longitude_deg, a.altitude_m)).at(skyfield_times(t)).altaz()
        assert obs.elevation_deg[i, 0] == pytest.approx(alt.degrees, abs=1e-4)  # 0.36 arcsec
        if alt.degrees > -80:
            assert (obs.azimuth_deg[i, 0] - az.degrees + 180) % 360 - 180 == pytest.approx(0, abs=1e-4)
        assert obs.downleg_km[i, 0] == pytest.approx(dist.km, abs=0.01)  # 10 m
    sub = wgs84.subpoint_of(sat.at(skyfield_times(t)))
    assert obs.latitude_deg[0] == pytest.approx(sub.latitude.degrees, abs=1e-4)
    assert obs.longitude_deg[0] == pytest.approx(sub.longitude.degrees, abs=1e-4)


def test_simulator_is_deterministic_and_troubled_as_asked():
    contacts = [contact(cid=f"c{i}", start=T + i * 3600) for i in range(400)]
    plan = BoardPlan(T - 3600, T + 401 * 3600, contacts)
    sim = StationSimulator(trouble=0.25, seed=7)
    troubles = [sim.trouble_of(c) for c in contacts]
    share = sum(t is not None for t in troubles) / len(troubles)
    assert 0.18 < share < 0.32
    assert {"late_aos", "no_lock", "outage"} <= set(troubles)
    assert StationSimulator(trouble=0.25, seed=7).script(contacts[3]) == sim.script(contacts[3])
    for c, trouble in zip(contacts, troubles):
        kinds = [e.kind for e in sim.script(c)]
        assert kinds[0] == "prepass_ok"  # the station's pre-pass check, during the setup
        kinds = kinds[1:]
        assert kinds[0] == "aos"
        if trouble == "no_lock":
            assert "carrier_lock" not in kinds and kinds[-1] == "los"
        elif trouble == "outage":
            assert kinds[-2:] == ["outage_start", "outage_end"]
        else:
            assert kinds[-1] == "los" and "telemetry_lock" in kinds
    # Events come out once: consecutive windows never repeat one.
    a = sim.events_between(plan, T, T + 7200)
    b = sim.events_between(plan, T + 7200, T + 14400)
    assert a and b and not {e.event_id for e in a} & {e.event_id for e in b}
    assert StationSimulator(trouble=0.0).trouble_of(contacts[0]) is None
    assert math.isclose(sum(1 for c in contacts if StationSimulator(trouble=1.0).trouble_of(c)) / 400, 1.0)


def test_deep_space_links_interpolated_between_minutes_match_the_exact_geometry(fleet):
    from groundnet.live.board import DeepSpaceLinks
    from groundnet.visibility.deepspace import link_geometry

    mex = next(s for s in fleet if s.id == "MEX")
    ceb = load_network().get("CEB")
    links = DeepSpaceLinks()
    for offset in (0.0, 7.0, 10.0, 19.5):
        got = links.at(mex, ceb, T + offset)
        exact = link_geometry(mex.trajectory, [ceb], [T + offset])
        assert got["azimuth_deg"] == pytest.approx(exact.azimuth_deg[0, 0], abs=1e-4)  # 0.36 arcsec
        assert got["elevation_deg"] == pytest.approx(exact.elevation_deg[0, 0], abs=1e-4)
        assert got["downleg_range_km"] == pytest.approx(exact.downleg_range_km[0, 0], abs=0.01)  # 10 m in 2.8e8 km
        assert got["rtlt_s"] == pytest.approx(exact.rtlt_s[0, 0], abs=1e-8)


def test_deep_space_frequencies_follow_the_light_time_corrected_link():
    """MRO (published X band: 8439 MHz down, 7183 MHz up) from DSS-14: the board's received downlink and uplink to
    send agree with the exact Doppler ratios of ``link_geometry`` (light time, both legs) within 50 Hz; an Earth
    orbiter with only its bands known gets no frequency, and an idle antenna none at all."""
    from groundnet.visibility.deepspace import link_geometry

    fleet = [s for s in load_fleet() if s.id in ("MRO", "SENTINEL-2B")]
    mro = fleet[0] if fleet[0].id == "MRO" else fleet[1]
    antennas = load_network().select(["DSS-14", "KIR-1", "MSP"])
    plan = BoardPlan(T - 3600, T + 7200, [contact(antenna="DSS-14", sc="MRO"), contact(antenna="KIR-1", sc="SENTINEL-2B",
                                                                                       cid="c2")], [])
    for t in (T + 60.0, T + 73.5):
        rows = {a["id"]: a for a in BoardBuilder(antennas, fleet).build(t, plan, EventLog())["antennas"]}
        dss = rows["DSS-14"]
        exact = link_geometry(mro.trajectory, [antennas[0]], [t])
        assert dss["downlink_hz"] == 8439e6 and dss["uplink_hz"] == 7183e6
        assert dss["range_rate_km_s"] == pytest.approx(exact.range_rate_km_s[0, 0], abs=1e-5)
        assert dss["downlink_received_hz"] == pytest.approx(8439e6 * exact.downleg_doppler_ratio[0, 0], abs=50)
        assert dss["uplink_transmit_hz"] == pytest.approx(7183e6 / exact.upleg_doppler_ratio[0, 0], abs=50)
        assert abs(dss["downlink_received_hz"] - 8439e6) > 10e3, "Earth-Mars motion shifts X band by tens of kHz"
        s2 = rows["KIR-1"]
        assert s2["targets"] and s2["downlink"]["band"] == "X"
        assert s2["range_rate_km_s"] is not None
        assert (s2["downlink_hz"], s2["downlink_received_hz"], s2["uplink_hz"], s2["uplink_transmit_hz"]) == (None,) * 4
        assert all(rows["MSP"][k] is None for k in ("range_rate_km_s", "downlink_hz", "downlink_received_hz",
                                                       "uplink_hz", "uplink_transmit_hz"))
