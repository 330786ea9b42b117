"""The sources groundnet fetches from, each through its documented public interface.

A source is named on the command line and in groundnet.toml as ``SOURCE:QUERY``:

- ``celestrak:GROUP`` or ``celestrak:KEY=VALUE[&FORMAT=json|csv|xml|tle]`` with KEY one of GROUP,
  CATNR, INTDES, NAME, SPECIAL: CelesTrak's GP query ``/NORAD/elements/gp.php``;
- ``spacetrack:all``, ``spacetrack:25544,20580`` or ``spacetrack:PREDICATES`` (the path after
  ``class/gp/`` in Space-Track's query API, e.g. ``OBJECT_TYPE/PAYLOAD/decay_date/null-val``):
  the ``gp`` class, OMM JSON, after a login with the configured credentials;
- ``satnogs:tle``, ``satnogs:transmitters``, ``satnogs:satellites``, each optionally ``/NORAD_ID``:
  SatNOGS DB's JSON API (``/api/tle/``, ``/api/transmitters/``, ``/api/satellites/``);
- ``iers:finals2000A.all``: the IERS Earth-orientation table (``groundnet data update``).

Each source knows its URL, the minimum time between two downloads of the same data, and how to
check an answer before it replaces the cached copy (:func:`check_download`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import GroundnetError, SelectionError
from ..files import read_bytes

SOURCES = ("celestrak", "spacetrack", "satnogs", "iers")
CELESTRAK_KEYS = ("GROUP", "CATNR", "INTDES", "NAME", "SPECIAL")
CELESTRAK_FORMATS = {"json": "json", "csv": "csv", "xml": "xml", "tle": "tle", "3le": "tle"}
SPACETRACK_ALL = "decay_date/null-val/epoch/>now-30/orderby/norad_cat_id"
SATNOGS_KINDS = {"tle": "catalog", "transmitters": "transmitters", "satellites": "satellites"}
# Minimum seconds between two downloads of the same query: CelesTrak asks for two hours between
# downloads of the same data; Space-Track asks that GP queries be made at most once an hour.
# The IERS publishes its table once a day: once an hour is plenty.
MIN_INTERVAL_S = {"celestrak": 7200.0, "spacetrack": 3600.0, "satnogs": 0.0, "iers": 3600.0}
MIB = 1024 * 1024
LIMIT_BYTES = {"catalog": 256 * MIB, "transmitters": 64 * MIB, "satellites": 64 * MIB, "earth-orientation": 16 * MIB}
IERS_FINALS = (("file", "finals2000A.all"),)
IERS_PATH = "/products/eop/rapid/standard/finals2000A.all"  # where Skyfield takes it from


@dataclass(frozen=True)
class Query:
    """One query of one source: what is asked, the cache folder's key, the kind and file type of the answer."""

    source: str
    params: tuple[tuple[str, str], ...]
    kind: str  # "catalog" (element sets), "transmitters" or "satellites"
    ext: str  # file type of the cached copy: json, csv, xml, tle

    @property
    def key(self) -> str:
        return "&".join(f"{k}={v}" for k, v in self.params)

    @property
    def name(self) -> str:
        """The canonical ``source:query`` text."""
        if self.source == "celestrak":
            (k, v), fmt = self.params[0], dict(self.params)["FORMAT"]
            head = v if k == "GROUP" else f"{k}={v}"
            return f"celestrak:{head}" + ("" if fmt == "json" else f"&FORMAT={fmt}")
        if self.source == "spacetrack":
            pred = dict(self.params)["gp"]
            return "spacetrack:all" if pred == SPACETRACK_ALL else f"spacetrack:{pred}"
        p = dict(self.params)
        if self.source == "iers":
            return f"iers:{p['file']}"
        return f"satnogs:{p['api']}" + (f"/{p['norad_cat_id']}" if "norad_cat_id" in p else "")


def is_source_spec(text: str) -> bool:
    """Whether ``text`` names a source (``celestrak:active``) rather than a file."""
    head, sep, _ = text.partition(":")
    return bool(sep) and head.lower() in SOURCES


def parse_spec(text: str, what: str = "source") -> Query:
    """``celestrak:active``, ``spacetrack:25544``, ``satnogs:transmitters`` ... as a :class:`Query`."""
    head, _, rest = text.strip().partition(":")
    source = head.lower()
    rest = rest.strip()
    if source == "celestrak":
        return _celestrak(rest, text, what)
    if source == "spacetrack":
        return _spacetrack(rest, text, what)
    if source == "satnogs":
        return _satnogs(rest, text, what)
    if source == "iers":
        if rest.lower() not in ("", "finals2000a.all", "finals2000a"):
            raise SelectionError(f"{what} '{text}': the IERS table groundnet reads is iers:finals2000A.all")
        return Query("iers", IERS_FINALS, "earth-orientation", "all")
    raise SelectionError(f"{what} '{text}': unknown source '{head}'; known: {', '.join(SOURCES)} "
                         "(e.g. celestrak:active, spacetrack:25544, satnogs:transmitters)")


def _celestrak(rest: str, text: str, what: str) -> Query:
    if not rest:
        raise SelectionError(f"{what} '{text}': name a CelesTrak group or query, e.g. celestrak:active, "
                             "celestrak:CATNR=25544")
    fields: dict[str, str] = {}
    parts = rest.split("&")
    if "=" not in parts[0]:  # celestrak:active, celestrak:active&FORMAT=csv
        fields["GROUP"] = parts.pop(0).strip()
    for part in parts:
        k, sep, v = part.partition("=")
        k, v = k.strip().upper(), v.strip()
        if not sep or not v or k not in CELESTRAK_KEYS + ("FORMAT",):
            raise SelectionError(f"{what} '{text}': '{part}' is not KEY=VALUE with KEY one of "
                                 f"{', '.join(CELESTRAK_KEYS)}, FORMAT")
        fields[k] = v
    selectors = [k for k in CELESTRAK_KEYS if k in fields]
    if len(selectors) != 1:
        raise SelectionError(f"{what} '{text}': give exactly one of {', '.join(CELESTRAK_KEYS)}")
    fmt = fields.get("FORMAT", "json").lower()
    if fmt not in CELESTRAK_FORMATS:
        raise SelectionError(f"{what} '{text}': FORMAT '{fmt}' is not one of json, csv, xml, tle")
    fmt = "tle" if fmt == "3le" else fmt
    k = selectors[0]
    v = fields[k].lower() if k in ("GROUP", "SPECIAL") else fields[k]
    if not re.fullmatch(r"[A-Za-z0-9 ,._()+\-]{1,80}", v):
        raise SelectionError(f"{what} '{text}': '{v}' has characters a CelesTrak {k} never has")
    return Query("celestrak", ((k, v), ("FORMAT", fmt)), "catalog", CELESTRAK_FORMATS[fmt])


def _spacetrack(rest: str, text: str, what: str) -> Query:
    rest = rest.strip().strip("/")
    if rest in ("", "all"):
        pred = SPACETRACK_ALL
    elif re.fullmatch(r"[0-9]+(,[0-9]+)*", rest):
        pred = f"NORAD_CAT_ID/{rest}/orderby/norad_cat_id"
    else:
        parts = rest.split("/")
        if len(parts) % 2 or any(not p for p in parts) or any(p.lower() in ("class", "format") for p in parts[::2]):
            raise SelectionError(f"{what} '{text}': give Space-Track gp predicates as FIELD/VALUE pairs, "
                                 "e.g. spacetrack:OBJECT_TYPE/PAYLOAD/decay_date/null-val (no class/ or format/)")
        if not re.fullmatch(r"[A-Za-z0-9_,<>=~^.\-/ %:]+", rest):
            raise SelectionError(f"{what} '{text}': the query has characters Space-Track predicates never have")
        pred = rest
    return Query("spacetrack", (("gp", pred),), "catalog", "json")


def _satnogs(rest: str, text: str, what: str) -> Query:
    api, _, norad = (rest or "tle").partition("/")
    api = api.strip().lower()
    if api not in SATNOGS_KINDS:
        raise SelectionError(f"{what} '{text}': SatNOGS DB data is one of tle, transmitters, satellites "
                             "(optionally /NORAD_ID, e.g. satnogs:transmitters/25544)")
    params: tuple[tuple[str, str], ...] = (("api", api),)
    if norad.strip():
        if not norad.strip().isdigit():
            raise SelectionError(f"{what} '{text}': '{norad}' is not a NORAD catalog number")
        params += (("norad_cat_id", str(int(norad))),)
    return Query("satnogs", params, SATNOGS_KINDS[api], "tle" if api == "tle" else "json")


def request_of(query: Query, base_url: str) -> tuple[str, dict[str, str]]:
    """The URL and query parameters of a query against ``base_url``."""
    base = base_url.rstrip("/")
    p = dict(query.params)
    if query.source == "celestrak":
        return f"{base}/NORAD/elements/gp.php", dict(query.params)
    if query.source == "spacetrack":
        return f"{base}/basicspacedata/query/class/gp/{p['gp']}/format/json", {}
    if query.source == "iers":
        return f"{base}{IERS_PATH}", {}
    params = {"format": "json"}
    if "norad_cat_id" in p:
        params["satellite__norad_cat_id" if p["api"] == "transmitters" else "norad_cat_id"] = p["norad_cat_id"]
    return f"{base}/api/{p['api']}/", params


# --- checking an answer before it replaces the cache ---------------------------------------------

class BadAnswer(Exception):
    """The answer is not the data asked for; the message says what it is instead and what to do."""


@dataclass
class Checked:
    records: int
    rejected: int = 0
    note: str = ""


def _looks_like_html(head: bytes) -> bool:
    h = head.lstrip()[:200].lower()
    return h.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in h


def _first_line(head: bytes) -> str:
    line = head.lstrip().split(b"\n", 1)[0][:100].decode("utf-8", "replace")
    return "".join(c if c.isprintable() else "?" for c in line).strip()


def check_download(query: Query, path: Path, limit_bytes: int) -> Checked:
    """Check a downloaded answer in place (rewriting it when the cached form differs: SatNOGS TLEs as 3LE).

    Raises :class:`BadAnswer` when it holds nothing usable.
    """
    with open(path, "rb") as f:
        head = f.read(4096)
    if not head.strip():
        raise BadAnswer("the answer is empty; check the query (group, id or name)")
    if _looks_like_html(head):
        raise BadAnswer("the answer is an HTML page, not data (an error or login page?); "
                        "check the query and --base-url, or try again later")
    if query.source == "iers":
        if not _tail(path, 1).endswith(b"\n"):
            raise _cut_short("in the middle of a row of the table")
        return _check_finals(path, head)
    if query.source in ("celestrak", "spacetrack"):
        if query.source == "spacetrack" and head.lstrip().startswith(b"{"):
            raise BadAnswer(f"the answer is not a list of element sets (it begins '{_first_line(head)}'); "
                            "check the query and the Space-Track credentials")
        checked = _check_catalog(path, head)  # first: an answer with no element set at all says so
        _check_complete(path, head, query.ext)
        return checked
    if query.kind != "catalog":
        return _satnogs_records(path, query.kind)
    return _satnogs_tle(path, _json_list(path, limit_bytes))


def _tail(path: Path, size: int = 8192) -> bytes:
    with open(path, "rb") as f:
        f.seek(0, 2)
        f.seek(max(0, f.tell() - size))
        return f.read()


def _cut_short(what: str) -> BadAnswer:
    return BadAnswer(f"the answer ends {what} (cut short on the way?); try again later")


def _check_complete(path: Path, head: bytes, ext: str) -> None:
    """Refuse an answer that stops before its end: a body cut short where HTTP could not tell (no
    Content-Length, the connection closed early, e.g. by a proxy). The catalog readers keep every
    record before a damaged one, so such an answer would otherwise replace the whole copy with part of it."""
    tail = _tail(path).rstrip()
    if ext == "json":
        closing = {b"[": b"]", b"{": b"}"}.get(head.lstrip()[:1])
        if closing is not None and not tail.endswith(closing):
            raise _cut_short(f"before the JSON document's closing '{closing.decode()}'")
    elif ext == "xml":
        root = re.search(rb"<([A-Za-z_][\w.:-]*)", re.sub(rb"<[?!][^>]*>", b"", head))
        if root is not None and not re.search(rb"</" + re.escape(root.group(1)) + rb"\s*>$", tail):
            raise _cut_short(f"before the closing </{root.group(1).decode('ascii', 'replace')}> of its XML document")
    elif ext == "tle":
        last = tail.rsplit(b"\n", 1)[-1].strip()
        if not (last.startswith(b"2 ") and len(last) >= 69):
            raise _cut_short(f"in the middle of an element set (its last line is '{_first_line(last)}', "
                             "not a complete line 2)")
    elif ext == "csv" and not _tail(path, 1).endswith(b"\n"):
        import csv

        first = head.lstrip().split(b"\n", 1)[0].decode("utf-8", "replace")
        last = tail.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")
        if len(next(csv.reader([first]))) != len(next(csv.reader([last]))):
            raise _cut_short("in the middle of a row (fewer columns than the header)")


def _check_catalog(path: Path, head: bytes) -> Checked:
    from ..orbits.catalog import load_catalog

    try:
        load = load_catalog(path)
    except GroundnetError as exc:
        raise BadAnswer(f"the answer cannot be read as element sets ({exc}); check the query") from None
    if not load.elements:
        why = load.rejected[0].reason if load.rejected else "no records"
        raise BadAnswer(f"the answer holds no usable element set (it begins '{_first_line(head)}': {why}); "
                        "check the query (for CelesTrak, the group names are listed at celestrak.org/NORAD/elements)")
    reasons = [f"line {r.line}: {r.reason}" if r.line else r.reason for r in load.rejected[:3]]
    return Checked(len(load.elements), len(load.rejected), "; ".join(reasons))


def _check_finals(path: Path, head: bytes) -> Checked:
    """An IERS finals2000A.all table: daily rows from 1973 on, dates in order (as Skyfield reads it)."""
    from skyfield.data import iers

    with open(path, "rb") as f:
        rows = iers.parse_x_y_dut1_from_finals_all(f)
    mjd = rows["utc_mjd"]
    if len(mjd) < 1000 or mjd[0] > 41700 or (len(mjd) > 1 and not (mjd[1:] > mjd[:-1]).all()):
        raise BadAnswer(f"the answer is not a complete IERS finals2000A.all table (it begins '{_first_line(head)}', "
                        f"{len(mjd)} daily rows); check --base-url")
    return Checked(len(mjd))


def _json_list(path: Path, limit_bytes: int) -> list:
    try:
        doc = json.loads(read_bytes(path, limit_bytes=limit_bytes, what="download"))
    except ValueError:
        raise BadAnswer("the answer is not JSON (cut short, or not the SatNOGS DB API?); try again later "
                        "or check --base-url") from None
    if isinstance(doc, dict) and isinstance(doc.get("results"), list):  # a paginated answer
        doc = doc["results"]
    if not isinstance(doc, list):
        keys = ", ".join(list(doc)[:5]) if isinstance(doc, dict) else type(doc).__name__
        raise BadAnswer(f"the answer is JSON of the wrong shape (an object with {keys}, not a list of records); "
                        "check --base-url points at SatNOGS DB's API")
    return doc


def _satnogs_records(path: Path, kind: str) -> Checked:
    """Transmitters or satellites, checked record by record by the SatNOGS reader (the answer is kept as sent)."""
    from ..interop.satnogs import SatnogsFileError, read_satellites, read_transmitters

    try:
        good, problems = (read_transmitters if kind == "transmitters" else read_satellites)(path)
    except SatnogsFileError as exc:
        raise BadAnswer(f"the answer is not SatNOGS DB {kind} ({exc.reason}); check --base-url") from None
    reasons = [f"record {p.record}: field '{p.field}': {p.reason}" for p in problems]
    if not good:
        first = reasons[0] if reasons else "the list is empty"
        raise BadAnswer(f"the answer holds no usable {kind} record ({first}); check the query and --base-url")
    return Checked(len(good), len(problems), "; ".join(reasons[:3]))


def _satnogs_tle(path: Path, data: list) -> Checked:
    from ..orbits.catalog import parse_catalog_text

    lines, problems = [], []
    for i, rec in enumerate(data):
        if not isinstance(rec, dict) or not all(isinstance(rec.get(k), str) for k in ("tle1", "tle2")):
            problems.append(f"record {i + 1}: no tle1/tle2 text")
            continue
        name = str(rec.get("tle0") or "").strip()
        name = name[2:] if name.startswith("0 ") else name
        lines += ([name] if name else []) + [rec["tle1"].strip(), rec["tle2"].strip()]
    text = "\n".join(lines) + "\n"
    load = parse_catalog_text(text, source="satnogs:tle") if lines else None
    if load is None or not load.elements:
        first = problems[0] if problems else (load.rejected[0].reason if load and load.rejected else "no records")
        raise BadAnswer(f"the answer holds no usable TLE ({first}); check the query and --base-url")
    path.write_text(text, encoding="utf-8")
    return Checked(len(load.elements), len(problems) + len(load.rejected))


__all__ = ["BadAnswer", "LIMIT_BYTES", "MIN_INTERVAL_S", "Query", "SOURCES", "check_download", "is_source_spec",
           "parse_spec", "request_of"]
