"""The bundled spacecraft links: every published value in its band and quoted in its source, and what uses them."""

from __future__ import annotations

import json
import tomllib

import pytest
from typer.testing import CliRunner

from groundnet.cli import app
from groundnet.errors import InputFileError
from groundnet.missions import BAND_EDGES_HZ, band_of, bundled_spacecraft_path, get_spacecraft, load_spacecraft

SPEED_OF_LIGHT_KM_S = 299792.458


def _bundled_links():
    """(entry id, direction, link table, links_source) for every link of the bundled file, read as plain TOML."""
    data = tomllib.loads(bundled_spacecraft_path().read_text(encoding="utf-8"))
    for entry in data["spacecraft"]:
        for direction in ("downlink", "uplink"):
            if direction in entry:
                yield entry["id"], direction, entry[direction], entry.get("links_source", "")


def _as_written(value: float, unit: float) -> str:
    """``value`` in ``unit`` as a source writes it: 8090000000 -> '8090', 2078090600 -> '2078.0906' (MHz)."""
    return f"{value / unit:.6f}".rstrip("0").rstrip(".")


def test_every_published_frequency_lies_in_its_band_and_is_quoted_in_its_source():
    data = tomllib.loads(bundled_spacecraft_path().read_text(encoding="utf-8"))
    assert all(entry.get("links_source") for entry in data["spacecraft"])  # a source, or why unknown
    checked = 0
    for sid, direction, link, source in _bundled_links():
        assert link["band"] in BAND_EDGES_HZ, (sid, direction)
        if "frequency_hz" not in link:
            continue
        f = link["frequency_hz"]
        low, high = BAND_EDGES_HZ[link["band"]]
        assert low <= f < high, f"{sid} {direction}: {f} Hz is not in {link['band']}-band"
        assert source and not source.startswith("unknown"), sid
        # The number in the file and the number in the citation must agree: a typo in either fails here.
        quoted = {f"{_as_written(f, 1e6)} MHz", f"{_as_written(f, 1e9)} GHz"}
        assert any(q in source for q in quoted), f"{sid} {direction}: none of {quoted} in links_source"
        checked += 1
    assert checked >= 4  # Sentinel-6A up and down, Metop-B and -C down


def test_every_published_data_rate_is_quoted_in_its_source():
    for sid, direction, link, source in _bundled_links():
        if "data_rate_bps" in link:
            rate = link["data_rate_bps"]
            quoted = {f"{_as_written(rate, unit)} {prefix}bit/s" for unit, prefix in ((1e3, "k"), (1e6, "M"))}
            assert any(q in source for q in quoted), f"{sid} {direction}: none of {quoted} in links_source"


def test_links_as_loaded():
    fleet = load_spacecraft(catalog=None)
    s6 = get_spacecraft("SENTINEL-6A", fleet)
    # WMO OSCAR/Space, Sentinel-6A frequency table: XDD 8090 MHz 150000 kbps, Command 2078.0906 MHz 16 kbps.
    assert (s6.downlink.band, s6.downlink.frequency_hz, s6.downlink.data_rate_bps) == ("X", 8.09e9, 150e6)
    assert (s6.uplink.band, s6.uplink.frequency_hz, s6.uplink.data_rate_bps) == ("S", 2078.0906e6, 16e3)
    assert s6.downlink.allocation_centre_hz is not None
    # An Earth orbiter's unknown X-band channel is shown at the centre of the near-Earth allocation
    # (8025-8400 MHz), never in the deep-space band; Solar Orbiter keeps the deep-space one.
    cryosat, solo = get_spacecraft("CRYOSAT-2", fleet), get_spacecraft("SOLO", fleet)
    assert cryosat.downlink.frequency_hz is None and 8025e6 < cryosat.downlink.allocation_centre_hz < 8400e6
    assert 8400e6 < solo.downlink.allocation_centre_hz < 8450e6


def test_band_letters():
    assert [band_of(f) for f in (145.8e6, 437e6, 1.7013e9, 2.2e9, 5.4e9, 7.8e9, 8.4e9, 13.5e9, 26e9, 32e9, 50e9)] == [
        "VHF", "UHF", "L", "S", "C", "X", "X", "Ku", "K", "Ka", "?"]


@pytest.mark.parametrize("link, message", [
    ('band = "X"\nfrequency_hz = 2.2e9', r"downlink.frequency_hz 2.2e\+09 Hz is not in X-band"),
    ('band = "X"\nfrequency_hz = 8090', r"8090 Hz is not in X-band .* check the value and its unit"),
    ('band = "Q"', r"downlink.band 'Q' must be one of"),
    ('band = "S"\ndata_rate_bps = -1', r"downlink.data_rate_bps -1 must be a positive number"),
    ('band = "S"\nfrequency_hz = true', r"downlink.frequency_hz True must be a positive number"),
])
def test_a_link_typo_is_refused_with_file_entry_and_field(tmp_path, link, message):
    bad = tmp_path / "sc.toml"
    bad.write_text('[[spacecraft]]\nid = "MEX"\nkind = "approximate"\nat = "mars"\nerror_bound_km = 15000\n'
                   f'links_source = "test"\n[spacecraft.downlink]\n{link}\n')
    with pytest.raises(InputFileError, match=message) as err:
        load_spacecraft(bad)
    assert str(bad) in str(err.value) and "(MEX)" in str(err.value)


def test_link_command_uses_the_published_downlink_for_doppler():
    result = CliRunner().invoke(app, ["link", "--spacecraft", "SENTINEL-6A", "--stations", "KIR-1", "--start",
                                      "2026-11-21T00:00:00Z", "--end", "2026-11-21T01:00:00Z", "--step", "600",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 7
    for r in rows:
        # One-way Doppler of the published 8090 MHz carrier: -f * range rate / c (first order; the
        # second-order term (v/c)^2 f is below 10 Hz for a low Earth orbiter).
        expected = -8.09e9 * r["range_rate_km_s"] / SPEED_OF_LIGHT_KM_S
        assert r["one_way_doppler_hz"] == pytest.approx(expected, abs=10.0)
    # Without a published frequency there is nothing to compute unless --downlink-hz is given.
    result = CliRunner().invoke(app, ["link", "--spacecraft", "CRYOSAT-2", "--stations", "KIR-1", "--at",
                                      "2026-11-21T00:00:00Z", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "one_way_doppler_hz" not in json.loads(result.stdout)[0]


def test_board_fleet_carries_the_published_values():
    from groundnet.missions import load_fleet

    fleet = {sc.id: sc for sc in load_fleet()}
    assert fleet["METOP-B"].downlink.display_dict() == {"band": "X", "frequency_hz": 7.8e9, "data_rate_bps": 70e6}
    assert fleet["SENTINEL-1A"].downlink.data_rate_bps == 520e6
    assert fleet["SENTINEL-1A"].downlink.frequency_hz is None  # not published
    assert fleet["SENTINEL-1A"].downlink.display_frequency_hz == pytest.approx(8212.5e6)  # allocation centre, labelled so
    # One Spacecraft type: the fleet's craft are the list's, with their elements or trajectory.
    assert fleet["METOP-B"] in load_spacecraft() and fleet["METOP-B"].is_earth_orbiter
    assert not fleet["MEX"].is_earth_orbiter and fleet["MEX"].trajectory.kind == "approximate"


def test_the_api_link_and_performance_schemas_are_built_from_the_one_declaration():
    import dataclasses

    from groundnet.api import schemas
    from groundnet.missions import Link
    from groundnet.operations.performance import PerformanceRow

    link = Link("X", "down", None, 2e6)
    shown = link.display_dict()
    assert list(schemas.MissionLink.model_fields) == list(Link.DISPLAY_FIELDS) == list(shown)
    assert schemas.MissionLink.model_validate(shown).model_dump() == shown
    # An antenna's link now: the same fields and the signal; no data rate unless it carries data.
    for signal in ("carrier", "data", "ranging", "none"):
        row = link.display_dict(signal)
        assert schemas.Link.model_validate(row).model_dump() == row
        assert row["data_rate_bps"] == (2e6 if signal == "data" else 0.0)
    assert list(schemas.Link.model_fields) == [*Link.DISPLAY_FIELDS, "signal"]
    assert list(schemas.PartnerLink.model_fields) == [*Link.DISPLAY_FIELDS, "signal", "power_dbm"]
    with pytest.raises(ValueError, match="signal must be one of"):
        link.display_dict("loud")
    descriptions = {f.name: f.metadata.get("description") for f in dataclasses.fields(Link)}
    assert schemas.Link.model_fields["data_rate_bps"].description == descriptions["data_rate_bps"]
    # Performance rows: the API's fields are the row's, in its order, times as text.
    assert list(schemas.PerformanceRead.model_fields) == [f.name for f in dataclasses.fields(PerformanceRow)]
    row = PerformanceRow(0.0, 86400.0, "antenna", "KIR-1", 2, 1, 0, 1, 0, 0, 1.5, 1.2, 0.5, 0.0, 1.0, 1, 24.0)
    assert schemas.PerformanceRead.model_validate(row.as_dict()).model_dump() == row.as_dict()
    assert schemas.PerformanceRead.model_fields["availability"].description.startswith("Share of the period")


def test_the_api_spacecraft_summary_is_built_from_the_one_declaration():
    import dataclasses

    from groundnet.api import schemas
    from groundnet.missions import SpacecraftSummary, load_fleet

    declared = [f.name for f in dataclasses.fields(SpacecraftSummary)]
    assert list(schemas.SpacecraftSummary.model_fields) == declared
    # The spacecraft view is the summary and more.
    assert list(schemas.SpacecraftView.model_fields)[:len(declared)] == declared
    assert schemas.SpacecraftSummary.model_fields["kind"].description.startswith("Trajectory kind")
    assert schemas.SpacecraftSummary.model_fields["downlink"].annotation == schemas.MissionLink | None
    fleet = {sc.id: sc for sc in load_fleet()}
    for sc_id in ("METOP-B", "MEX"):
        row = fleet[sc_id].summary()
        assert list(row) == declared
        assert schemas.SpacecraftSummary.model_validate(row).model_dump() == row
    assert fleet["METOP-B"].summary()["elements_epoch"].endswith("Z")
    assert fleet["MEX"].summary()["elements_epoch"] is None and fleet["MEX"].summary()["norad_id"] is None
