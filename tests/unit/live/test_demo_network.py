"""The demo looks like a real network: its 24 h plan keeps every DSN and ESTRACK deep-space antenna busy,
gives R&D, planned and retired antennas nothing, and every contact a band both ends share."""

from __future__ import annotations

from collections import defaultdict

import pytest

from groundnet.missions import load_fleet
from groundnet.live.planning import PassPlanner
from groundnet.stations import load_network
from groundnet.timebase import parse_utc

# A day inside the demo catalog's element-set span (epochs 2026-08-19..22).
DAY_START = parse_utc("2026-08-23T00:00:00Z").timestamp()


@pytest.fixture(scope="module")
def demo_day():
    antennas = list(load_network())
    fleet = load_fleet()
    plan = PassPlanner(antennas, fleet).plan(DAY_START, DAY_START + 86400.0)
    return {a.id: a for a in antennas}, {s.id: s for s in fleet}, plan


def test_every_deep_space_antenna_is_busy(demo_day):
    antennas, _, plan = demo_day
    hours = defaultdict(float)
    for c in plan.contacts:
        hours[c.antenna_id] += (c.end - c.start) / 3600.0
    deep = [a for a in antennas.values() if "deep-space" in a.roles]
    assert {a.network for a in deep} == {"NASA-DSN", "ESTRACK-deep-space"}
    assert len(deep) >= 18  # 15 DSN antennas in service and ESA's three 35 m DSAs
    idle = [a.id for a in deep if hours[a.id] == 0.0]
    assert idle == [], f"deep-space antennas with nothing planned in 24 h: {idle}"
    # DSN Now on a typical day shows nearly every dish busy: the demo's deep-space antennas track about half the day.
    mean = sum(hours[a.id] for a in deep) / len(deep)
    assert mean >= 10.0, {a.id: round(hours[a.id], 1) for a in deep}


def test_no_research_planned_or_retired_antenna_tracks_a_mission(demo_day):
    antennas, _, plan = demo_day
    assert antennas["DSS-13"].roles == ("research",)
    assert {"DSS-15", "DSS-45"} <= {a.id for a in antennas.values() if a.roles == ("retired",)}
    off_duty = {a.id for a in antennas.values() if not {"deep-space", "near-earth"} & set(a.service_roles)}
    assert "DSS-13" in off_duty
    assert [c.id for c in plan.contacts if c.antenna_id in off_duty] == []


def test_every_contact_has_a_band_both_ends_share(demo_day):
    antennas, fleet, plan = demo_day
    assert [s.id for s in fleet.values() if s.downlink is None] == []
    for c in plan.contacts:
        band = fleet[c.spacecraft_id].downlink.band
        assert band in antennas[c.antenna_id].bands, (c.id, band, antennas[c.antenna_id].bands)
    # Every DSN antenna in service has its bands (none left blank).
    dsn = [a for a in antennas.values() if a.network == "NASA-DSN"]
    assert all(a.bands for a in dsn), [a.id for a in dsn if not a.bands]


def test_every_deep_space_mission_is_served_and_cited(demo_day):
    _, fleet, plan = demo_day
    deep = [s for s in fleet.values() if not s.is_earth_orbiter]
    assert len(deep) >= 14
    served = {c.spacecraft_id for c in plan.contacts}
    assert [s.id for s in deep if s.id not in served] == []
    for s in fleet.values():
        assert s.source and "unknown: no per-mission" not in s.links_source, s.id
