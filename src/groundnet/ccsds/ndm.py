"""Reading the two encodings of CCSDS Navigation Data Messages into one neutral form.

KVN (``KEY = value [unit]`` lines, CCSDS 502.0-B-3 / 503.0-B-2) and XML (CCSDS 505.0-B-2 NDM/XML)
both become a :class:`RawMessage`: a header, and segments of metadata and data items, each item
keeping its keyword, text, unit and line number so that every later error can name them.

XML is parsed with ``defusedxml`` and any DTD, entity declaration or external reference is refused
before anything is resolved.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from .. import files
from ..errors import CcsdsError, UnsafeXmlError

MESSAGE_KINDS = ("OEM", "OPM", "OMM", "TDM")
# Every message a combined <ndm> may hold (CCSDS 505.0-B-3); the ones not in MESSAGE_KINDS are
# recognised and counted, not read.
NDM_KINDS = {
    "OEM": "orbit ephemeris", "OPM": "orbit parameter", "OMM": "orbit mean-elements", "TDM": "tracking data",
    "OCM": "orbit comprehensive", "AEM": "attitude ephemeris", "APM": "attitude parameter",
    "ACM": "attitude comprehensive", "CDM": "conjunction data", "RDM": "re-entry data",
}


@dataclass
class Item:
    """One keyword = value (KVN line or XML element)."""

    keyword: str
    text: str
    line: int
    unit: str | None = None


@dataclass
class RawSegment:
    metadata: list[Item] = field(default_factory=list)
    # Data items in file order: single keywords (OPM/OMM, TDM observations) and, for OEM, one item
    # per ephemeris line whose ``keyword`` is ``EPHEMERIS`` and text holds the numbers.
    data: list[Item] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    metadata_line: int = 0
    # OEM covariance blocks in file order: EPOCH, COV_REF_FRAME and, in KVN, one ``COV_ROW`` item per
    # lower-triangular row (its numbers as text); in XML, the 21 named terms (CX_X, CY_X, ...).
    covariance: list[Item] = field(default_factory=list)


@dataclass
class Unsupported:
    """A message of a combined ``<ndm>`` that groundnet recognises but does not read (OCM, AEM, ...)."""

    kind: str
    line: int | None
    index: int  # 1-based position in the <ndm>


@dataclass
class RawMessage:
    kind: str  # OEM, OPM, OMM, TDM
    version: str
    encoding: str  # KVN or XML
    path: str
    header: list[Item] = field(default_factory=list)
    segments: list[RawSegment] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def fail(path: str, reason: str, line: int | None = None, keyword: str | None = None) -> CcsdsError:
    return CcsdsError(path, reason, line=line, field=keyword)


def read_text(path: str | Path) -> str:
    """A CCSDS message file as text: a regular file within ``CCSDS_LIMIT_BYTES`` (devices, FIFOs refused)."""
    data = files.read_bytes(path, limit_bytes=files.CCSDS_LIMIT_BYTES, what="CCSDS message", error=CcsdsError)
    if b"\x00" in data[:4096]:
        raise fail(str(path), "binary file (NUL bytes): a CCSDS message is KVN or XML text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise fail(str(path), "not UTF-8 text; CCSDS messages are ASCII KVN or XML", line=line) from None


def parse(text: str, path: str = "<string>") -> RawMessage:
    """Detect the encoding and read the one message of the text."""
    found = parse_all(text, path)
    if len(found) == 1 and isinstance(found[0], RawMessage):
        return found[0]
    if len(found) == 1:
        kind = found[0].kind
        raise fail(path, f"a CCSDS {kind} ({NDM_KINDS[kind]} message), which groundnet does not read yet (it reads "
                         "OEM, OPM, OMM, TDM)", line=found[0].line, keyword=kind)
    raise fail(path, f"a combined <ndm> holding {count_kinds(found)}: this needs a file with exactly one message "
                     "(`groundnet ccsds check` reads them all)", line=_first_line(found))


def parse_all(text: str, path: str = "<string>") -> list[RawMessage | Unsupported]:
    """Every message of the text: one for KVN or a single XML message, each message of a combined ``<ndm>``."""
    stripped = text.lstrip()
    if not stripped:
        raise fail(path, "empty file: expected a CCSDS OEM, OPM, OMM or TDM message")
    if stripped.startswith("<"):
        return parse_xml_all(text, path)
    first = _KVN_VERSION.match(stripped)
    if first and first.group(1) in NDM_KINDS and first.group(1) not in MESSAGE_KINDS:
        return [Unsupported(first.group(1), text[: len(text) - len(stripped)].count("\n") + 1, 1)]
    if first and first.group(1) == "NDM":
        raise fail(path, "CCSDS_NDM_VERS: a combined NDM exists only in XML (<ndm>); in KVN each message is its own "
                         "file", line=1, keyword="CCSDS_NDM_VERS")
    return [parse_kvn(text, path)]


_KVN_VERSION = re.compile(r"CCSDS_([A-Z]{3})_VERS\s*=")


def count_kinds(found: list[RawMessage | Unsupported]) -> str:
    """``4 messages (2 OEM, 1 OPM, 1 OCM)``."""
    counts: dict[str, int] = {}
    for m in found:
        counts[m.kind] = counts.get(m.kind, 0) + 1
    parts = ", ".join(f"{n} {k}" for k, n in counts.items())
    return f"{len(found)} message{'s' if len(found) != 1 else ''} ({parts})" if found else "no message"


def _first_line(found) -> int | None:
    for m in found:
        if isinstance(m, Unsupported):
            return m.line
    return None


# --------------------------------------------------------------------------------------------- KVN

_KVN_LINE = re.compile(r"^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$")
_UNIT = re.compile(r"^(.*?)\s*\[([^\]]*)\]\s*$")
_BLOCK_MARKERS = {"META_START", "META_STOP", "DATA_START", "DATA_STOP", "COVARIANCE_START", "COVARIANCE_STOP"}


def parse_kvn(text: str, path: str = "<string>") -> RawMessage:
    lines = text.splitlines()
    msg: RawMessage | None = None
    seg: RawSegment | None = None
    state = "header"  # header -> meta -> data (-> covariance) -> meta ...
    for n, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        if msg is None:
            m = _KVN_LINE.match(line)
            kind_match = re.fullmatch(r"CCSDS_(OEM|OPM|OMM|TDM)_VERS", m.group(1)) if m else None
            if not kind_match:
                raise fail(path, "the first line must be CCSDS_OEM_VERS, CCSDS_OPM_VERS, CCSDS_OMM_VERS or "
                                 f"CCSDS_TDM_VERS = <version>; found '{line[:60]}'", line=n)
            msg = RawMessage(kind=kind_match.group(1), version=m.group(2), encoding="KVN", path=path)
            continue
        if line.startswith("COMMENT"):
            (seg.comments if seg is not None else msg.comments).append(line[7:].strip())
            continue
        if line in _BLOCK_MARKERS:
            if line == "META_START":
                if state == "meta":
                    raise fail(path, "META_START inside a metadata block (missing META_STOP?)", line=n, keyword=line)
                seg = RawSegment(metadata_line=n)
                msg.segments.append(seg)
                state = "meta"
            elif line == "META_STOP":
                if state != "meta":
                    raise fail(path, "META_STOP without META_START", line=n, keyword=line)
                state = "data"
            elif line == "DATA_START":
                if seg is None or state not in ("data",):
                    raise fail(path, "DATA_START must follow a META_START ... META_STOP block", line=n, keyword=line)
                state = "data"
            elif line == "DATA_STOP":
                state = "between"
            elif line == "COVARIANCE_START":
                if seg is None or msg.kind != "OEM":
                    raise fail(path, "COVARIANCE_START outside an OEM segment", line=n, keyword=line)
                state = "covariance"
            elif line == "COVARIANCE_STOP":
                state = "data"
            continue
        m = _KVN_LINE.match(line)
        if m is None:
            if msg.kind == "OEM" and state == "data":
                seg.data.append(Item("EPHEMERIS", line, n))
                continue
            if state == "covariance":
                seg.covariance.append(Item("COV_ROW", line, n))
                continue
            raise fail(path, f"cannot read '{line[:60]}': expected KEYWORD = value", line=n)
        key, value = m.group(1), m.group(2)
        unit = None
        um = _UNIT.match(value)
        if um:
            value, unit = um.group(1), um.group(2).strip()
        item = Item(key, value, n, unit)
        if state == "covariance":
            seg.covariance.append(item)
            continue
        if msg.kind in ("OPM", "OMM"):
            # OPM and OMM have no META blocks in KVN: everything after the header is one segment;
            # the keyword decides whether it is metadata or data.
            if seg is None and key in _HEADER_KEYS:
                msg.header.append(item)
                continue
            if seg is None:
                seg = RawSegment(metadata_line=n)
                msg.segments.append(seg)
            (seg.metadata if key in _SEGMENT_METADATA_KEYS else seg.data).append(item)
            continue
        if state == "header":
            msg.header.append(item)
        elif state == "meta":
            seg.metadata.append(item)
        elif state == "data":
            if msg.kind == "OEM":
                raise fail(path, f"keyword {key} inside OEM data: expected 'epoch x y z vx vy vz' lines "
                                 "(missing META_START?)", line=n, keyword=key)
            seg.data.append(item)
        else:
            raise fail(path, f"keyword {key} outside any META or DATA block", line=n, keyword=key)
    if msg is None:
        raise fail(path, "no CCSDS_<OEM|OPM|OMM|TDM>_VERS line: not a CCSDS navigation data message")
    if state == "meta":
        raise fail(path, "file ends inside a metadata block (META_STOP missing): truncated?", line=len(lines))
    if msg.kind == "TDM" and state == "data":
        raise fail(path, "file ends inside a data block (DATA_STOP missing): truncated?", line=len(lines))
    return msg


_HEADER_KEYS = {"CREATION_DATE", "ORIGINATOR", "MESSAGE_ID", "CLASSIFICATION"}
_SEGMENT_METADATA_KEYS = {
    "OBJECT_NAME", "OBJECT_ID", "CENTER_NAME", "REF_FRAME", "REF_FRAME_EPOCH", "TIME_SYSTEM",
    "MEAN_ELEMENT_THEORY",
}


# --------------------------------------------------------------------------------------------- XML

class _LineTreeBuilder(ET.TreeBuilder):
    """Remembers the line each element starts on (ElementTree itself forgets it)."""

    def __init__(self):
        super().__init__()
        self.lines: dict[ET.Element, int] = {}
        self.parser = None

    def start(self, tag, attrs):
        elem = super().start(tag, attrs)
        self.lines[elem] = self.parser.parser.CurrentLineNumber
        return elem


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_xml(text: str, path: str = "<string>") -> RawMessage:
    """The one message of an NDM/XML text."""
    return parse(text, path)


def parse_xml_all(text: str, path: str = "<string>") -> list[RawMessage | Unsupported]:
    root, lines = parse_xml_tree(text, path)
    kind = _local(root.tag).upper()
    if kind != "NDM":
        if kind in MESSAGE_KINDS:
            return [_xml_message(root, lines, path)]
        if kind in NDM_KINDS:
            return [Unsupported(kind, lines.get(root), 1)]
        raise fail(path, f"root element <{_local(root.tag)}> is not one of <oem>, <opm>, <omm>, <tdm> or <ndm>",
                   line=lines.get(root))
    found: list[RawMessage | Unsupported] = []
    for child in root:
        name = _local(child.tag)
        if name in ("COMMENT", "MESSAGE_ID"):
            continue
        if name.upper() not in NDM_KINDS or name != name.lower():
            raise fail(path, f"<{name}> inside <ndm>: a combined message holds <{'>, <'.join(k.lower() for k in NDM_KINDS)}>",
                       line=lines.get(child), keyword=name)
        if name.upper() in MESSAGE_KINDS:
            found.append(_xml_message(child, lines, path))
        else:
            found.append(Unsupported(name.upper(), lines.get(child), len(found) + 1))
    if not found:
        raise fail(path, "the <ndm> holds no message", line=lines.get(root))
    return found


def parse_xml_tree(text: str | bytes, path: str = "<string>", error=None) -> tuple[ET.Element, dict]:
    """A safely parsed XML tree and the line each element starts on (DTDs and entities refused)."""
    builder = _LineTreeBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    try:
        parser.feed(text)
        root = parser.close()
    except DefusedXmlException as exc:
        raise UnsafeXmlError(
            path, f"refused: the XML declares a DTD or entities ({type(exc).__name__}); CCSDS XML needs "
                  "neither, and groundnet never resolves them. Remove the <!DOCTYPE ...> declaration.",
        ) from None
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise (error or CcsdsError)(path, f"not well-formed XML ({exc.msg if hasattr(exc, 'msg') else exc}); "
                                          "truncated or corrupted?", line=line) from None
    return root, builder.lines


def _xml_message(root: ET.Element, lines: dict, path: str) -> RawMessage:
    kind = _local(root.tag).upper()
    msg = RawMessage(kind=kind, version=root.get("version", ""), encoding="XML", path=path)
    header = _child(root, "header")
    body = _child(root, "body")
    if header is None or body is None:
        raise fail(path, f"<{kind.lower()}> needs a <header> and a <body>", line=lines.get(root))
    msg.header = _leaves(header, lines, msg.comments)
    for seg_el in body:
        if _local(seg_el.tag) != "segment":
            continue
        seg = RawSegment(metadata_line=lines.get(seg_el, 0))
        meta = _child(seg_el, "metadata")
        data = _child(seg_el, "data")
        if meta is None:
            raise fail(path, "<segment> without <metadata>", line=lines.get(seg_el))
        seg.metadata = _leaves(meta, lines, seg.comments)
        if data is not None:
            for el in data:
                name = _local(el.tag)
                if name == "COMMENT":
                    seg.comments.append((el.text or "").strip())
                elif name == "stateVector" and kind == "OEM":
                    seg.data.append(_oem_state_item(el, lines, path))
                elif name == "covarianceMatrix" and kind == "OEM":
                    block = _leaves(el, lines, seg.comments)
                    if not block or block[0].keyword != "EPOCH":
                        raise fail(path, "<covarianceMatrix> must begin with its <EPOCH>", line=lines.get(el),
                                   keyword="EPOCH")
                    seg.covariance.extend(block)
                elif len(el):
                    # container (stateVector, meanElements, tleParameters, covarianceMatrix, observation, ...): flatten
                    seg.data.extend(_leaves(el, lines, seg.comments))
                else:
                    seg.data.append(Item(name, (el.text or "").strip(), lines.get(el, 0), el.get("units")))
        msg.segments.append(seg)
    if not msg.segments:
        raise fail(path, "no <segment> in <body>: empty or truncated message", line=lines.get(body))
    return msg


def _child(el: ET.Element, name: str) -> ET.Element | None:
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _leaves(el: ET.Element, lines: dict, comments: list[str]) -> list[Item]:
    out = []
    for c in el.iter():
        if c is el or len(c):
            continue
        name = _local(c.tag)
        if name == "COMMENT":
            comments.append((c.text or "").strip())
            continue
        if name == "USER_DEFINED" and c.get("parameter"):
            name = f"USER_DEFINED_{c.get('parameter')}"
        out.append(Item(name, (c.text or "").strip(), lines.get(c, 0), c.get("units")))
    return out


_OEM_XML_FIELDS = ("EPOCH", "X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT", "X_DDOT", "Y_DDOT", "Z_DDOT")


def _oem_state_item(el: ET.Element, lines: dict, path: str) -> Item:
    """An OEM <stateVector> as one ephemeris line 'epoch x y z vx vy vz [ax ay az]'."""
    values = {}
    for c in el:
        name = _local(c.tag)
        if name == "COMMENT":
            continue
        if name not in _OEM_XML_FIELDS:
            raise fail(path, f"unexpected <{name}> in <stateVector>", line=lines.get(c), keyword=name)
        units = c.get("units")
        expected = "km" if name in ("X", "Y", "Z") else "km/s" if name.endswith("_DOT") else "km/s**2"
        if units is not None and name != "EPOCH" and units.strip().lower() != expected:
            raise fail(path, f"units '{units}' where CCSDS requires {expected}", line=lines.get(c), keyword=name)
        values[name] = (c.text or "").strip()
    missing = [k for k in _OEM_XML_FIELDS[:7] if k not in values]
    if missing:
        raise fail(path, f"<stateVector> lacks {', '.join(missing)}", line=lines.get(el), keyword=missing[0])
    parts = [values[k] for k in _OEM_XML_FIELDS if k in values]
    return Item("EPHEMERIS", " ".join(parts), lines.get(el, 0))
