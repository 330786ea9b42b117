"""Fixtures for the source tests: a loopback server with recorded answers and an isolated cache and config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from groundnet.config import set_cli_path

from .server import Loopback

DATA = Path(__file__).resolve().parents[1] / "data" / "sources"
ENV = ("GROUNDNET_CONFIG", "GROUNDNET_SERVER", "GROUNDNET_TOKEN", "GROUNDNET_SPACETRACK_IDENTITY",
       "GROUNDNET_SPACETRACK_PASSWORD", "GROUNDNET_REFRESH_INTERVAL_S", "GROUNDNET_REFRESH_SOURCES")
GP = "/NORAD/elements/gp.php"
SPACETRACK_IDS = ("25544", "33591", "20580")


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Each test has its own cache and no configuration file but the one it writes."""
    for var in ENV:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("GROUNDNET_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    yield tmp_path / "cache"
    set_cli_path(None)


@pytest.fixture
def loopback():
    server = Loopback()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def recorded(shared_data) -> dict[str, bytes]:
    """Answers in each source's real format, from the reference data."""
    return recorded_answers(shared_data)


def recorded_answers(shared_data: Path) -> dict[str, bytes]:
    cat = shared_data / "catalog"
    return {
        "omm-json": (cat / "celestrak_groups_omm_json_2025-05-24" / "stations.json").read_bytes(),
        "omm-json-weather": (cat / "celestrak_groups_omm_json_2025-05-24" / "weather.json").read_bytes(),
        "omm-csv": b"".join((cat / "celestrak_active_omm_2026-08-22.csv").open("rb").readlines()[:41]),
        "omm-csv-older": b"".join((cat / "celestrak_active_omm_2026-07-19.csv").open("rb").readlines()[:41]),
        "omm-xml": (cat / "celestrak_omm_xml_sample_globalstar_2026-02-20.xml").read_bytes(),
        "3le": (cat / "celestrak_groups_3le_2026-05-30" / "stations.tle").read_bytes(),
        "spacetrack-gp": spacetrack_gp(cat / "spacetrack_full_catalog_3le_2023-10-09.txt"),
        "satnogs-tle": satnogs_tle(cat / "celestrak_groups_3le_2026-05-30" / "weather.tle"),
        "satnogs-transmitters": (DATA / "satnogs_transmitters.json").read_bytes(),
        "satnogs-satellites": (DATA / "satnogs_satellites.json").read_bytes(),
    }


def spacetrack_gp(path: Path) -> bytes:
    """A few objects of the Space-Track 3LE catalog as Space-Track ``gp`` JSON (every value a string, as it sends)."""
    from groundnet.orbits.catalog import load_catalog

    lines = path.read_text().splitlines()
    out = []
    for e in load_catalog(path).elements:
        if str(e.norad_id) not in SPACETRACK_IDS:
            continue
        l0, l1, l2 = (lines[e.line - 1 + i].strip() for i in range(3))
        out.append({
            "CCSDS_OMM_VERS": "2.0", "COMMENT": "GENERATED VIA SPACE-TRACK.ORG API", "CREATION_DATE": "2023-10-09T12:00:00",
            "ORIGINATOR": "18 SPCS", "OBJECT_NAME": e.name, "OBJECT_ID": e.international_designator,
            "CENTER_NAME": "EARTH", "REF_FRAME": "TEME", "TIME_SYSTEM": "UTC", "MEAN_ELEMENT_THEORY": "SGP4",
            "EPOCH": e.epoch_iso.rstrip("Z"), "MEAN_MOTION": f"{e.mean_motion_rev_day:.8f}",
            "ECCENTRICITY": f"{e.eccentricity:.7f}", "INCLINATION": f"{e.inclination_deg:.4f}",
            "RA_OF_ASC_NODE": f"{e.raan_deg:.4f}", "ARG_OF_PERICENTER": f"{e.arg_perigee_deg:.4f}",
            "MEAN_ANOMALY": f"{e.mean_anomaly_deg:.4f}", "EPHEMERIS_TYPE": "0", "CLASSIFICATION_TYPE": "U",
            "NORAD_CAT_ID": str(e.norad_id), "ELEMENT_SET_NO": str(e.element_set_no), "REV_AT_EPOCH": str(e.rev_at_epoch),
            "BSTAR": f"{e.bstar:.10f}", "MEAN_MOTION_DOT": f"{e.mean_motion_dot:.8f}",
            "MEAN_MOTION_DDOT": f"{e.mean_motion_ddot:.13f}", "OBJECT_TYPE": "PAYLOAD", "DECAY_DATE": None,
            "GP_ID": str(250000000 + e.norad_id), "TLE_LINE0": l0 if l0.startswith("0 ") else "0 " + l0,
            "TLE_LINE1": l1, "TLE_LINE2": l2,
        })
    assert len(out) == len(SPACETRACK_IDS)
    return json.dumps(out).encode()


def satnogs_tle(path: Path) -> bytes:
    """3LE records as SatNOGS DB's ``/api/tle/`` sends them (tle0 with its ``0 `` prefix)."""
    lines = [l.rstrip() for l in path.read_text().splitlines() if l.strip()]
    out = []
    for i in range(0, len(lines) - 2, 3):
        out.append({"tle0": "0 " + lines[i].strip(), "tle1": lines[i + 1], "tle2": lines[i + 2],
                    "tle_source": "Celestrak (weather)", "sat_id": f"SAT-{i // 3:04d}",
                    "norad_cat_id": int(lines[i + 1][2:7]), "updated": "2026-05-30T12:00:00+0000"})
    return json.dumps(out).encode()


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "groundnet.toml"
    path.write_text(text)
    return path
