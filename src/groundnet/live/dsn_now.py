"""NASA DSN Now feeds: our board written as ``dsn.xml`` / ``config.xml``, and a real feed read back.

The writer follows the schema of the 2022 ``dsn.xml`` capture in ``../shared/data/feeds`` element
for element: ``<dsn>`` holds, per site, a ``<station>`` followed by its ``<dish>`` elements (each
with ``downSignal``/``upSignal`` children and one ``target`` per spacecraft), then ``<timestamp>``.
Attributes are written in the capture's order (alphabetical) and number formats (see ``_sig4``):
frequencies in Hz on the downlink and MHz on the uplink, ranges in km as ``%.3e``, RTLT in seconds,
times in milliseconds since 1970. Received power and wind speed are not modelled by groundnet and
are written as zero.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from xml.etree.ElementTree import Element, SubElement, tostring
from zoneinfo import ZoneInfo

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from ..errors import FeedError
from ..missions import band_of
from ..stations import Antenna
from ..stations.sites import site_of
from ..timebase import UTC, format_utc, parse_utc

def dish_name(antenna_id: str) -> str:
    """DSN writes ``DSS24``; ours drop the hyphen the same way (``KIR1``, ``NNO1``, ``CEB``)."""
    return antenna_id.replace("-", "")


def _sig4(x: float | None) -> str:
    """Four significant digits as DSN Now prints them: ``103.0``, ``0.9455``, ``0.0000``, ``87650``."""
    if x is None or not math.isfinite(x):
        return "0.0000"
    if x == 0:
        return "0.0000"
    mag = math.floor(math.log10(abs(x)))
    if mag >= 4:
        return str(int(round(x, 3 - mag)))
    return f"{x:.{3 - mag}f}"


def _exp3(x: float | None) -> str:
    return "-1.000e+00" if x is None or not math.isfinite(x) else f"{x:.3e}"


def _rtlt(x: float | None) -> str:
    return "-1.0000" if x is None or not math.isfinite(x) else _sig4(x)


def _child(parent: Element, tag: str, **values: str) -> Element:
    el = SubElement(parent, tag)
    for k in sorted(values):  # the capture's attribute order
        el.set(k, values[k])
    return el


def _zone_offset_ms(zone: str | None, antenna: Antenna, t: float) -> int:
    if zone:
        try:
            off = datetime.fromtimestamp(t, UTC).astimezone(ZoneInfo(zone)).utcoffset()
            return int(off.total_seconds() * 1000)
        except Exception:  # noqa: BLE001 - a missing zone database falls back to the longitude
            pass
    return int(round(antenna.longitude_deg / 15.0)) * 3600000


def naif_id(spacecraft) -> int:
    """NAIF id (negative): the mission's own, else -100000 - NORAD number (NAIF's rule for Earth orbiters)."""
    nid = spacecraft.naif_id if spacecraft is not None else None
    if nid is not None:
        return int(nid)
    if spacecraft is not None and spacecraft.norad_id is not None:
        return -100000 - int(spacecraft.norad_id)
    return -99


def dsn_xml(board: dict, antennas: list[Antenna], fleet: dict) -> bytes:
    """The board as DSN Now's ``dsn.xml``."""
    t = parse_utc(board["time"]).timestamp()
    ms = str(int(round(t * 1000)))
    root = Element("dsn")
    by_id = {a.id: a for a in antennas}
    sites: dict[str, list[dict]] = {}
    for row in board["antennas"]:
        sites.setdefault(site_of(by_id[row["id"]])[0], []).append(row)
    for code, rows in sites.items():
        first = by_id[rows[0]["id"]]
        _, friendly, zone = site_of(first)
        _child(root, "station", friendlyName=friendly, name=code, timeUTC=ms,
               timeZoneOffset=str(_zone_offset_ms(zone, first, t)))
        for row in rows:
            dish = _child(root, "dish", azimuthAngle=_sig4(row["azimuth_deg"]), elevationAngle=_sig4(row["elevation_deg"]),
                   isArray="false", isDDOR="false", isMSPA="true" if len(row["targets"]) > 1 else "false",
                   name=dish_name(row["id"]), windSpeed=_sig4(0.0))
            for target in row["targets"]:
                sc = fleet.get(target["spacecraft_id"])
                nid = naif_id(sc)
                common = {"spacecraft": target["spacecraft_id"], "spacecraftID": str(nid), "power": "0.0000"}
                down, up = row["downlink"], row["uplink"]
                if down:
                    _child(dish, "downSignal", dataRate=_sig4(down["data_rate_bps"]),
                           frequency=str(int(round(down["frequency_hz"] or 0))), signalType=down["signal"], **common)
                if up:
                    _child(dish, "upSignal", dataRate=_sig4(up["data_rate_bps"]),
                           frequency=_sig4((up["frequency_hz"] or 0) / 1e6), signalType=up["signal"], **common)
                _child(dish, "target", downlegRange=_exp3(row["downleg_range_km"]), id=str(-nid),
                       name=target["spacecraft_id"], rtlt=_rtlt(row["rtlt_s"]), uplegRange=_exp3(row["upleg_range_km"]))
    SubElement(root, "timestamp").text = ms
    return b"<?xml version='1.0' encoding='utf-8'?>\n" + tostring(root, encoding="utf-8", short_empty_elements=True)


def config_xml(antennas: list[Antenna], fleet: dict) -> bytes:
    """DSN Now's ``config.xml``: the sites with their dishes, and the spacecraft names."""
    root = Element("config")
    sites_el = SubElement(root, "sites")
    seen: dict[str, Element] = {}
    for a in antennas:
        code, friendly, _ = site_of(a)
        if code not in seen:
            seen[code] = _child(sites_el, "site", flag=a.network, friendlyName=friendly,
                                latitude=f"{a.latitude_deg:.4f}", longitude=f"{a.longitude_deg:.4f}", name=code)
        _child(seen[code], "dish", friendlyName=a.name, name=dish_name(a.id), type=f"{a.dish_m:g}M" if a.dish_m else "")
    sc_el = SubElement(root, "spacecraftMap")
    for sc in fleet.values():
        _child(sc_el, "spacecraft", explorerName=f"sc_{sc.id.lower()}", friendlyName=sc.name, name=sc.id.lower(),
               thumbnail="false")
    return b"<?xml version='1.0' encoding='utf-8'?>\n" + tostring(root, encoding="utf-8", short_empty_elements=True)


# ---------------------------------------------------------------------------------- reading a feed


def _float(el, name: str, where: str) -> float | None:
    v = el.get(name)
    if v is None or v == "":
        return None
    try:
        x = float(v)
    except ValueError:
        raise FeedError(where, f"attribute {name}={v!r} is not a number", field=name) from None
    return x if math.isfinite(x) else None


def parse_dsn_xml(text: str | bytes, source: str = "dsn.xml", antennas: list[Antenna] = ()) -> dict:
    """A DSN Now ``dsn.xml`` as ``{time, source, antennas: [antenna state as on our board]}``."""
    try:
        root = SafeET.fromstring(text)
    except DefusedXmlException as exc:
        raise FeedError(source, f"refused: {exc} (a feed never needs DTDs or entities)") from None
    except Exception as exc:  # noqa: BLE001 - ParseError and friends
        raise FeedError(source, f"not well-formed XML: {exc}") from None
    if root.tag != "dsn":
        raise FeedError(source, f"root element is <{root.tag}>, expected <dsn> (a DSN Now dsn.xml)")
    ours = {dish_name(a.id): a for a in antennas}
    station = None
    rows = []
    stamp = root.findtext("timestamp")
    for el in root:
        if el.tag == "station":
            station = {"name": el.get("name"), "friendly_name": el.get("friendlyName")}
            continue
        if el.tag != "dish":
            continue
        name = el.get("name") or "?"
        where = f"{source}: dish {name}"
        targets = [{"spacecraft_id": tg.get("name"), "name": tg.get("name"), "id": tg.get("id")} for tg in el.findall("target")]
        target = el.find("target")

        def link(tag: str, hz_scale: float):
            sigs = el.findall(tag)
            if not sigs:
                return None
            # Several signals per direction (e.g. S and Ka from JWST): show the one carrying data, else the first.
            best = next((s for s in sigs if s.get("signalType") not in (None, "none")), sigs[0])
            f = (_float(best, "frequency", where) or 0.0) * hz_scale
            return {"band": band_of(f), "frequency_hz": f, "data_rate_bps": _float(best, "dataRate", where) or 0.0,
                    "signal": best.get("signalType") or "none", "power_dbm": _float(best, "power", where)}

        down, up = link("downSignal", 1.0), link("upSignal", 1e6)
        active = any(s and s["signal"] != "none" for s in (down, up))
        a = ours.get(name)
        rtlt = _float(target, "rtlt", where) if target is not None else None
        downleg = _float(target, "downlegRange", where) if target is not None else None
        upleg = _float(target, "uplegRange", where) if target is not None else None
        rows.append({
            "id": name, "name": a.name if a else name, "network": "NASA-DSN (DSN Now)",
            "station": station, "latitude_deg": a.latitude_deg if a else None,
            "longitude_deg": a.longitude_deg if a else None, "dish_m": a.dish_m if a else None,
            "activity": "tracking" if active else ("idle" if not targets else "setup"),
            "reported_activity": None, "targets": targets, "uplink": up, "downlink": down,
            "azimuth_deg": _float(el, "azimuthAngle", where), "elevation_deg": _float(el, "elevationAngle", where),
            "upleg_range_km": upleg if upleg is None or upleg >= 0 else None,
            "downleg_range_km": downleg if downleg is None or downleg >= 0 else None,
            "rtlt_s": rtlt if rtlt is None or rtlt >= 0 else None,
            "is_array": el.get("isArray") == "true", "is_mspa": el.get("isMSPA") == "true",
            "is_ddor": el.get("isDDOR") == "true",
        })
    when = None
    if stamp and stamp.strip().isdigit():
        when = format_utc(int(stamp) / 1000.0)
    return {"time": when, "source": source, "antennas": rows}


FEED_LIMIT_BYTES = 8 * 1024 * 1024  # a real dsn.xml is ~10 KB; a whole network's a few hundred KB


def load_dsn_feed(source: str, antennas: list[Antenna] = (), timeout_s: float = 10.0) -> dict:
    """Read a DSN Now feed from a file or an http(s) URL, at most ``FEED_LIMIT_BYTES`` (streamed, bounded)."""
    if re.match(r"https?://", source):
        from ..sources.http import read_feed

        body = read_feed(source, what="DSN Now feed", limit_bytes=FEED_LIMIT_BYTES, timeout_s=timeout_s, error=FeedError)
        return parse_dsn_xml(body, source, antennas)
    from ..files import read_bytes

    data = read_bytes(source, limit_bytes=FEED_LIMIT_BYTES, what="DSN Now feed (dsn.xml) or http(s) URL",
                      error=FeedError)
    return parse_dsn_xml(data, str(source), antennas)
