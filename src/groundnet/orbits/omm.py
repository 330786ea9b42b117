"""CCSDS Orbit Mean-elements Messages (OMM, CCSDS 502.0-B-3) as CelesTrak and Space-Track serve them.

Four encodings carry the same keywords (``OBJECT_NAME``, ``EPOCH``, ``MEAN_MOTION``, ...):

- JSON: a list of flat objects (numbers, or numbers written as strings as Space-Track does);
- CSV: a header row of keywords, one row per object;
- XML: ``<ndm>`` holding ``<omm>`` elements, or a single ``<omm>`` (parsed with ``defusedxml``:
  a DTD or an entity declaration is refused, never resolved);
- KVN: ``KEYWORD = value [unit]`` lines, a message starting at ``CCSDS_OMM_VERS``.

Each reader streams its input and yields, per record, the 1-based line where the record starts
and its keyword → value mapping, or a :class:`RecordProblem` for a record it could not read. Only
mean elements for SGP4 (``MEAN_ELEMENT_THEORY`` SGP4 or SGP/SGP4) become element sets.
"""

from __future__ import annotations

import csv
import json
import math
import re
from datetime import datetime, timezone
from typing import IO, Any, Iterator

from .elements import ElementSet
from .tle import decode_catalog_number
from .validation import RecordProblem, check_elements

REQUIRED = ("EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE", "ARG_OF_PERICENTER",
            "MEAN_ANOMALY", "NORAD_CAT_ID")
SGP4_THEORIES = {"SGP4", "SGP/SGP4"}
_CHUNK = 1 << 20

OmmItem = tuple[int, dict[str, Any]] | RecordProblem

_EPOCH = re.compile(
    r"^\s*(\d{4})-(?:(\d{2})-(\d{2})|(\d{3}))(?:T(\d{2}):(\d{2})(?::(\d{2}(?:\.\d*)?))?)?\s*(Z|UTC)?\s*$",
    re.IGNORECASE)


def parse_ccsds_epoch(text: str) -> float:
    """POSIX seconds of a CCSDS epoch: ``2026-08-22T12:30:24.433632``, ``2020-064T10:34:41.4264``, optional ``Z``.

    Fractional seconds keep all their digits (no rounding to microseconds).
    """
    m = _EPOCH.match(text)
    if not m:
        raise ValueError(f"epoch '{text}' is not a CCSDS date (YYYY-MM-DDThh:mm:ss or YYYY-DDDThh:mm:ss)")
    year, month, day, doy, hh, mm, ss, _ = m.groups()
    try:
        if doy is not None:
            if not 1 <= int(doy) <= 366:
                raise ValueError
            base = datetime(int(year), 1, 1, tzinfo=timezone.utc).timestamp() + (int(doy) - 1) * 86400.0
        else:
            base = datetime(int(year), int(month), int(day), tzinfo=timezone.utc).timestamp()
    except ValueError:
        raise ValueError(f"epoch '{text}' is not a valid date") from None
    hours, minutes, seconds = int(hh or 0), int(mm or 0), float(ss or 0.0)
    if hours > 23 or minutes > 59 or seconds >= 61.0:
        raise ValueError(f"epoch '{text}' has an invalid time of day")
    return base + hours * 3600.0 + minutes * 60.0 + seconds


def _float(fields: dict[str, Any], key: str, default: float | None = None) -> float:
    value = fields.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if default is None:
            raise RecordProblem(f"{key} is missing", code="missing_field")
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise RecordProblem(f"{key} should be a number, found {type(value).__name__} {value!r:.40}", code="bad_type")
    if isinstance(value, str) and not value.isascii():
        raise RecordProblem(f"{key} '{value}' has non-ASCII characters", code="bad_value")
    if isinstance(value, str) and "_" in value:  # float() would read "1_5" as 15
        raise RecordProblem(f"{key} '{value}' is not a number", code="bad_value")
    try:
        number = float(value)
    except ValueError:
        raise RecordProblem(f"{key} '{value}' is not a number", code="bad_value") from None
    if not math.isfinite(number):
        raise RecordProblem(f"{key} is {value}", code="bad_value")
    return number


def _int(fields: dict[str, Any], key: str, default: int | None = None) -> int:
    number = _float(fields, key, None if default is None else float(default))
    if number != int(number):
        raise RecordProblem(f"{key} {fields.get(key)!r} is not a whole number", code="bad_value")
    return int(number)


def _text(fields: dict[str, Any], key: str, default: str = "") -> str:
    value = fields.get(key)
    if value is None:
        return default
    if isinstance(value, (dict, list, bool)):
        raise RecordProblem(f"{key} should be text, found {type(value).__name__}", code="bad_type")
    return str(value).strip()


def omm_to_elements(fields: dict[str, Any], *, line: int, source: str = "") -> ElementSet:
    """Build and validate one element set from OMM keywords; raises :class:`RecordProblem`."""
    norad_id: int | None = None
    try:
        raw_id = fields.get("NORAD_CAT_ID")
        if isinstance(raw_id, str) and raw_id.strip() and not raw_id.strip().isdigit():
            try:
                norad_id = decode_catalog_number(raw_id)
            except ValueError as exc:
                raise RecordProblem(f"NORAD_CAT_ID: {exc}", code="bad_value") from None
        else:
            norad_id = _int(fields, "NORAD_CAT_ID")
        missing = [k for k in REQUIRED if fields.get(k) in (None, "")]
        if missing:
            raise RecordProblem(f"missing {', '.join(missing)}", code="missing_field")
        theory = _text(fields, "MEAN_ELEMENT_THEORY", "SGP4").upper()
        if theory not in SGP4_THEORIES:
            raise RecordProblem(f"MEAN_ELEMENT_THEORY is {theory}; only SGP4 mean elements can be used",
                                code="unsupported")
        for key, wanted in (("CENTER_NAME", "EARTH"), ("REF_FRAME", "TEME"), ("TIME_SYSTEM", "UTC")):
            value = _text(fields, key, wanted).upper()
            if value != wanted:
                raise RecordProblem(f"{key} is {value}; SGP4 elements need {wanted}", code="unsupported")
        epoch_text = fields["EPOCH"]
        if not isinstance(epoch_text, str):
            raise RecordProblem(f"EPOCH should be text, found {type(epoch_text).__name__}", code="bad_type")
        try:
            epoch = parse_ccsds_epoch(epoch_text)
        except ValueError as exc:
            raise RecordProblem(str(exc), code="bad_value") from None
        elements = ElementSet(
            norad_id=norad_id,
            name=_text(fields, "OBJECT_NAME"),
            epoch_unix=epoch,
            mean_motion_rev_day=_float(fields, "MEAN_MOTION"),
            eccentricity=_float(fields, "ECCENTRICITY"),
            inclination_deg=_float(fields, "INCLINATION"),
            raan_deg=_float(fields, "RA_OF_ASC_NODE"),
            arg_perigee_deg=_float(fields, "ARG_OF_PERICENTER"),
            mean_anomaly_deg=_float(fields, "MEAN_ANOMALY"),
            bstar=_float(fields, "BSTAR", 0.0),
            mean_motion_dot=_float(fields, "MEAN_MOTION_DOT", 0.0),
            mean_motion_ddot=_float(fields, "MEAN_MOTION_DDOT", 0.0),
            international_designator=_text(fields, "OBJECT_ID"),
            classification=_text(fields, "CLASSIFICATION_TYPE", "U") or "U",
            element_set_no=_int(fields, "ELEMENT_SET_NO", 999),
            rev_at_epoch=_int(fields, "REV_AT_EPOCH", 0),
            source=source,
            line=line,
        )
    except RecordProblem as problem:
        problem.line = line if problem.line is None else problem.line
        problem.object_id = norad_id
        raise
    check_elements(elements)
    return elements


# --- JSON ------------------------------------------------------------------------------------

def read_json(stream: IO[str]) -> Iterator[OmmItem]:
    """Stream a JSON list of OMM objects (or a single object), one object at a time.

    Objects are found by scanning for ``{`` and decoded one by one, so a damaged object is
    reported and skipped and the file is never held in memory whole.
    """
    decoder = json.JSONDecoder()
    buf = ""
    pos = 0
    line_at_pos = 1  # line number of buf[pos]
    eof = False

    def more() -> bool:
        nonlocal buf, pos, eof
        if eof:
            return False
        chunk = stream.read(_CHUNK)
        if not chunk:
            eof = True
            return False
        buf = buf[pos:] + chunk
        pos = 0
        return True

    def advance(to: int) -> None:
        nonlocal pos, line_at_pos
        line_at_pos += buf.count("\n", pos, to)
        pos = to

    # The top level: a list of objects, or one object.
    while True:
        while pos < len(buf) and buf[pos] in " \t\r\n\ufeff":
            advance(pos + 1)
        if pos < len(buf) or not more():
            break
    if pos >= len(buf):
        yield RecordProblem("the file holds no JSON value", line=1, code="empty")
        return
    in_list = buf[pos] == "["
    if in_list:
        advance(pos + 1)
    elif buf[pos] != "{":
        # Not JSON after all, or a damaged opening bracket: say so, and still read any objects that follow.
        yield RecordProblem(f"JSON OMM must be a list of objects; the file starts with '{buf[pos:pos + 20]}'",
                            line=line_at_pos, code="malformed")
        in_list = True
        while buf.find("{", pos) < 0 and more():
            pass
        advance(buf.find("{", pos) if "{" in buf[pos:] else len(buf))
    while True:
        start = buf.find("{", pos)
        while start < 0 and more():
            start = buf.find("{", pos)
        gap = buf[pos:start] if start >= 0 else buf[pos:]
        stripped = gap.strip()
        # Where the text between objects starts, for the report.
        gap_line = line_at_pos + gap.count("\n", 0, len(gap) - len(gap.lstrip()))
        if start < 0:
            if stripped.startswith(","):
                stripped = stripped[1:].strip()
            if in_list and stripped == "":
                yield RecordProblem("the JSON list is not closed (file truncated?)", line=gap_line, code="malformed")
            elif stripped not in ("]", "") or (stripped == "]" and not in_list):
                yield RecordProblem(f"unexpected text after the last object: '{stripped[:30]}'", line=gap_line,
                                    code="malformed")
            return
        advance(start)
        if stripped not in ("", ","):
            yield RecordProblem(f"unexpected text between objects: '{stripped[:30]}'", line=gap_line,
                                code="malformed", object_id=_guess_id(stripped))
        while buf.find("}", pos) < 0 and more():  # the whole (flat) object in the buffer first
            pass
        while True:
            try:
                obj, end = decoder.raw_decode(buf, pos)
                break
            except json.JSONDecodeError as exc:
                # A brace inside a string can still cut an object at the end of the buffer: read on.
                if (exc.pos >= len(buf) - 1 or exc.msg.startswith("Unterminated")) and more():
                    continue
                # Skip the damaged object: up to its closing brace (OMM objects are flat).
                close = buf.find("}", pos + 1)
                nxt = buf.find("{", pos + 1)
                while close < 0 and nxt < 0 and more():
                    close, nxt = buf.find("}", pos + 1), buf.find("{", pos + 1)
                stop = min(x for x in (close + 1 if close >= 0 else len(buf), nxt if nxt >= 0 else len(buf)))
                yield RecordProblem(f"not valid JSON: {exc.msg} (line {line_at_pos + buf.count(chr(10), pos, exc.pos)})",
                                    line=line_at_pos, code="malformed", object_id=_guess_id(buf[pos:stop]))
                obj, end = None, stop
                break
        if obj is not None:
            if isinstance(obj, dict):
                yield (line_at_pos, obj)
            else:
                yield RecordProblem(f"expected an object, found {type(obj).__name__}", line=line_at_pos,
                                    code="bad_type")
        advance(end)


_ID_IN_TEXT = re.compile(r'"NORAD_CAT_ID"\s*:\s*"?(\d+)')


def _guess_id(text: str) -> int | None:
    m = _ID_IN_TEXT.search(text)
    return int(m.group(1)) if m else None


# --- CSV -------------------------------------------------------------------------------------

def read_csv(stream: IO[str]) -> Iterator[OmmItem]:
    """Stream OMM CSV (a header row of keywords, then one row per object).

    Each physical line is one row (CelesTrak's CSV never breaks a field across lines), so a stray
    quote damages its own row only instead of swallowing the rows after it.
    """
    header: list[str] | None = None
    for line_no, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            # Plain rows split on commas; the csv module only for rows with quotes.
            row = next(csv.reader([line])) if '"' in line else line.rstrip("\r\n").split(",")
        except csv.Error as exc:
            if header is None:
                yield RecordProblem(f"unreadable CSV header: {exc}", line=line_no, code="malformed")
                return
            yield RecordProblem(f"unreadable CSV row: {exc}", line=line_no, code="malformed",
                                object_id=_id_in_csv_line(line, header))
            continue
        if header is None:
            header = [h.strip().lstrip("\ufeff").upper() for h in row]
            missing = [k for k in REQUIRED if k not in header]
            if missing:
                yield RecordProblem(f"the CSV header lacks {', '.join(missing)}: not an OMM CSV file (no row "
                                    "can be read without it)", line=line_no, code="not_a_catalog")
                return
            continue
        if len(row) != len(header):
            yield RecordProblem(f"{len(row)} columns, the header has {len(header)}", line=line_no, code="malformed",
                                object_id=_id_in_csv_line(line, header))
            continue
        yield (line_no, dict(zip(header, row)))
    if header is None:
        yield RecordProblem("the file is empty", line=1, code="empty")


def _id_in_csv_line(line: str, header: list[str]) -> int | None:
    cells = line.split(",")
    if "NORAD_CAT_ID" in header and len(cells) == len(header):
        return _safe_id(cells[header.index("NORAD_CAT_ID")])
    return None


def _safe_id(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


# --- KVN -------------------------------------------------------------------------------------

_KVN_LINE = re.compile(r"^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*(\[[^\]]*\])?\s*$")
_KVN_BLOCKS = {"META_START", "META_STOP", "DATA_START", "DATA_STOP", "COVARIANCE_START", "COVARIANCE_STOP",
               "USER_DEFINED_START", "USER_DEFINED_STOP"}


def read_kvn(stream: IO[str]) -> Iterator[OmmItem]:
    """Stream OMM KVN: ``KEYWORD = value`` lines; ``CCSDS_OMM_VERS`` (or a second ``OBJECT_NAME``) starts a message."""
    fields: dict[str, Any] = {}
    start = 0
    broken: RecordProblem | None = None
    for line_no, raw in enumerate(stream, 1):
        text = raw.strip()
        if not text or text.startswith("COMMENT") or text in _KVN_BLOCKS:
            continue
        m = _KVN_LINE.match(text)
        if not m:
            if broken is None:
                broken = RecordProblem(f"line {line_no} is not 'KEYWORD = value': '{text[:40]}'", line=line_no,
                                       code="malformed")
            continue
        key, value = m.group(1), m.group(2)
        if key == "CCSDS_OMM_VERS" or (key == "OBJECT_NAME" and "OBJECT_NAME" in fields):
            if fields or broken:
                yield _kvn_item(start, fields, broken)
            fields, broken, start = {}, None, line_no
        if not fields and not start:
            start = line_no
        fields.setdefault(key, value)
    if fields or broken:
        yield _kvn_item(start or 1, fields, broken)


def _kvn_item(start: int, fields: dict[str, Any], broken: RecordProblem | None) -> OmmItem:
    if broken is not None:
        broken.line = broken.line or start
        broken.object_id = _safe_id(fields.get("NORAD_CAT_ID"))
        return broken
    return (start, fields)


# --- XML -------------------------------------------------------------------------------------

def read_xml(stream: IO[bytes]) -> Iterator[OmmItem]:
    """Stream NDM/OMM XML with ``defusedxml``'s SAX parser: one record per ``<omm>`` element."""
    import xml.sax

    from defusedxml import DefusedXmlException
    from defusedxml.expatreader import DefusedExpatParser

    records: list[OmmItem] = []

    class Handler(xml.sax.handler.ContentHandler):
        def __init__(self) -> None:
            super().__init__()
            self.fields: dict[str, Any] | None = None
            self.start = 0
            self.text: list[str] = []
            self.depth_in_user = 0

        def startElement(self, name, attrs):  # noqa: N802
            tag = name.rsplit(":", 1)[-1]
            if tag == "omm":
                self.fields, self.start = {}, parser.getLineNumber()
            if tag in ("USER_DEFINED", "COMMENT", "covarianceMatrix"):
                self.depth_in_user += 1
            self.text = []

        def characters(self, content):
            self.text.append(content)

        def endElement(self, name):  # noqa: N802
            tag = name.rsplit(":", 1)[-1]
            if tag in ("USER_DEFINED", "COMMENT", "covarianceMatrix"):
                self.depth_in_user -= 1
            elif tag == "omm":
                if self.fields is not None:
                    records.append((self.start, self.fields))
                self.fields = None
            elif self.fields is not None and not self.depth_in_user:
                value = "".join(self.text).strip()
                if tag.isupper():
                    self.fields.setdefault(tag, value)
            self.text = []

    handler = Handler()
    # Refuses DTDs, entity declarations and external references outright: none is ever resolved.
    parser = DefusedExpatParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setFeature(xml.sax.handler.feature_external_ges, False)
    parser.setFeature(xml.sax.handler.feature_external_pes, False)
    parser.setContentHandler(handler)
    problem: RecordProblem | None = None
    try:
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                parser.close()
                break
            parser.feed(chunk)
            yield from records
            records.clear()
    except DefusedXmlException as exc:
        line = parser.getLineNumber()
        problem = RecordProblem(f"XML refused: {type(exc).__name__} ({exc}); a DTD, entity declaration or external "
                                "reference is never resolved: remove it from the file", line=line, code="xml_refused")
    except xml.sax.SAXParseException as exc:
        problem = RecordProblem(f"XML is not well-formed: {exc.getMessage()} at line {exc.getLineNumber()} column "
                                f"{exc.getColumnNumber()}; records after this point are not read",
                                line=exc.getLineNumber(), code="malformed")
    yield from records
    if problem is not None:
        yield problem
