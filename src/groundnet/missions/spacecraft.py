"""The spacecraft groundnet knows (``groundnet/data/spacecraft.toml``, documented in docs/spacecraft.md).

    from groundnet.missions import load_spacecraft
    for sc in load_spacecraft():
        traj = sc.trajectory              # a groundnet.orbits.trajectory.Trajectory
        sc.kind, sc.approximate, sc.error_bound_km, sc.downlink.band, sc.is_earth_orbiter

One ``Spacecraft`` type serves the commands, the live service and the board; ``load_fleet`` is the
list the live service runs (Earth orbiters whose elements the catalog holds, and every other craft).

Earth orbiters take their SGP4 elements from the bundled demo catalog (or another catalog given
to :func:`load_spacecraft`) by NORAD id; Solar Orbiter its SPK shipped in the package; Mars
Express and ExoMars/TGO sit at Mars with their error bound. Frequencies and data rates appear
only where a published value is cited; otherwise they are ``None`` (unknown).
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path

from .. import files
from ..errors import InputFileError, TrajectoryError, is_finite_number
from ..orbits.trajectory import KINDS, AtBodyTrajectory, SpkTrajectory, Sgp4Trajectory, Trajectory
from .bands import BAND_ALLOCATIONS_MHZ, BAND_EDGES_HZ, NEAR_EARTH_ALLOCATIONS_MHZ, band_of

SIGNALS = ("carrier", "data", "ranging", "none")  # what an antenna's link carries now (the board)


@dataclass(frozen=True)
class Link:
    """One direction of the radio link as the mission publishes it (``None``: unknown).

    The one link type: the board and the API show it as ``display_dict`` (the fields of
    ``DISPLAY_FIELDS``, described by each field's ``metadata``), and the API's link schemas are
    built from those fields (``groundnet.api.schemas``).
    """

    band: str = field(metadata={"description": "Band letter: VHF, UHF, L, S, C, X, Ku, K or Ka."})
    direction: str = field(metadata={"description": "up (to the spacecraft) or down."})
    frequency_hz: float | None = field(default=None, metadata={
        "description": "The mission's channel, else the band's allocation centre (None: neither known)."})
    data_rate_bps: float | None = field(default=None, metadata={
        "description": "None where the mission's rate is not published."})
    near_earth: bool = False  # an Earth orbiter: its allocation, when shown, is the near-Earth one

    DISPLAY_FIELDS = ("band", "frequency_hz", "data_rate_bps")

    @property
    def allocation_centre_hz(self) -> float | None:
        key = (self.band, self.direction)
        band = (self.near_earth and NEAR_EARTH_ALLOCATIONS_MHZ.get(key)) or BAND_ALLOCATIONS_MHZ.get(key)
        return None if band is None else 0.5 * (band[0] + band[1]) * 1e6

    @property
    def display_frequency_hz(self) -> float | None:
        """The mission's channel, else the band's allocation centre (a display value for the board)."""
        return self.frequency_hz or self.allocation_centre_hz

    def as_dict(self) -> dict:
        return {"band": self.band, "frequency_hz": self.frequency_hz, "data_rate_bps": self.data_rate_bps,
                "allocation_centre_hz": self.allocation_centre_hz}

    def display_dict(self, signal: str | None = None) -> dict:
        """As the board and the API show it (``DISPLAY_FIELDS``): the display frequency, the rate
        where published. With ``signal`` (one of ``SIGNALS``: what an antenna's link carries now), also
        the signal, and a rate of 0 unless it carries data."""
        out = {"band": self.band, "frequency_hz": self.display_frequency_hz, "data_rate_bps": self.data_rate_bps}
        if signal is not None:
            if signal not in SIGNALS:
                raise ValueError(f"signal must be one of {', '.join(SIGNALS)}, got '{signal}'")
            if signal != "data" and self.data_rate_bps is not None:
                out["data_rate_bps"] = 0.0
            out["signal"] = signal
        return out


@dataclass(frozen=True)
class Spacecraft:
    id: str
    name: str
    kind: str  # tle | spk | approximate
    description: str = ""
    norad_id: int | None = None
    naif_id: int | None = None
    spk_path: str | None = None
    at_body: str | None = None
    error_bound_km: float | None = None
    error_bound_source: str = ""
    trajectory_source: str = ""
    links_source: str = ""
    downlink: Link | None = None
    uplink: Link | None = None
    ranging: bool = False
    mission: str = ""  # the mission the craft serves (default: its id)
    catalog: object = field(default=None, repr=False, compare=False)  # a CatalogLoad for kind "tle"

    @property
    def approximate(self) -> bool:
        return self.kind == "approximate"

    @property
    def source(self) -> str:
        return self.trajectory_source

    @property
    def elements(self):
        """The SGP4 element set of an Earth orbiter (kind ``tle``) from the catalog given, else None."""
        if self.kind != "tle" or self.catalog is None:
            return None
        return _by_id(self.catalog).get(self.norad_id)

    @property
    def is_earth_orbiter(self) -> bool:
        return self.elements is not None

    @property
    def trajectory(self) -> Trajectory:
        """This spacecraft's trajectory (built once per spacecraft and cached)."""
        return _trajectory(self)

    def links_dict(self) -> dict:
        """Both links as the board and the API show them (``Link.display_dict``)."""
        return {"uplink": self.uplink and self.uplink.display_dict(),
                "downlink": self.downlink and self.downlink.display_dict(), "ranging": self.ranging}

    def trajectory_record(self) -> tuple[float, dict]:
        """(epoch, data) of the trajectory source, as the store's element-set history keeps it."""
        e = self.elements
        if e is not None:
            return e.epoch_unix, {
                "norad_id": e.norad_id, "name": e.name, "epoch": e.epoch_iso, "mean_motion_rev_day": e.mean_motion_rev_day,
                "eccentricity": e.eccentricity, "inclination_deg": e.inclination_deg, "raan_deg": e.raan_deg,
                "arg_perigee_deg": e.arg_perigee_deg, "mean_anomaly_deg": e.mean_anomaly_deg, "bstar": e.bstar,
                "mean_motion_dot": e.mean_motion_dot, "mean_motion_ddot": e.mean_motion_ddot,
                "international_designator": e.international_designator, "source": e.source, "line": e.line,
            }
        return 0.0, {"kind": self.kind, "source": self.source}

    def summary(self) -> dict:
        """The board's and the API's view of the craft (``GET /api/v1/spacecraft``): a ``SpacecraftSummary``."""
        elements = self.elements
        return asdict(SpacecraftSummary(
            id=self.id, name=self.name, kind=self.kind, norad_id=self.norad_id, source=self.source,
            approximate=self.approximate, error_bound_km=self.error_bound_km, mission=self.mission or self.id,
            elements_epoch=elements.epoch_iso if elements is not None else None, **self.links_dict()))

    def as_dict(self) -> dict:
        return {
            "id": self.id, "name": self.name, "kind": self.kind, "description": self.description,
            "norad_id": self.norad_id, "naif_id": self.naif_id, "approximate": self.approximate,
            "error_bound_km": self.error_bound_km, "error_bound_source": self.error_bound_source or None,
            "source": self.trajectory_source, "links_source": self.links_source,
            "downlink": self.downlink.as_dict() if self.downlink else None,
            "uplink": self.uplink.as_dict() if self.uplink else None,
        }


@dataclass(frozen=True)
class SpacecraftSummary:
    """The board's and the API's view of a craft (``Spacecraft.summary``, ``GET /api/v1/spacecraft``).

    The one declaration of that view: the API's ``SpacecraftSummary`` schema is built from these
    fields and their ``metadata`` descriptions (``groundnet.api.schemas.model_of``).
    """

    id: str = field(metadata={"description": "The spacecraft's id, e.g. ISS or MEX."})
    name: str
    kind: str = field(metadata={"description": "Trajectory kind: tle (SGP4), spk, oem, opm, omm, approximate ..."})
    norad_id: int | None = field(metadata={"description": "NORAD catalog number; None for a craft without one."})
    source: str = field(metadata={"description": "Where the trajectory comes from."})
    approximate: bool = field(metadata={"description": "The position is approximate (within error_bound_km)."})
    error_bound_km: float | None
    mission: str = field(metadata={"description": "The mission the craft serves (its id unless given)."})
    # the links as ``Link.display_dict`` shows them (the API's ``MissionLink``)
    uplink: dict | None = field(metadata={"description": "The uplink: band, channel, rate; None: not published."})
    downlink: dict | None = field(metadata={"description": "The downlink: band, channel, rate; None: not published."})
    ranging: bool
    elements_epoch: str | None = field(metadata={
        "description": "The element set's epoch (Earth orbiters); null for a trajectory."})


_cache: dict[tuple, Trajectory] = {}
_catalogs: dict[int, tuple[object, dict]] = {}


def _by_id(catalog) -> dict:
    """A catalog's element sets by NORAD id, built once per catalog (the catalog is kept alive with it)."""
    held = _catalogs.get(id(catalog))
    if held is None or held[0] is not catalog:
        held = _catalogs[id(catalog)] = (catalog, catalog.by_id())
    return held[1]


def _trajectory(sc: Spacecraft) -> Trajectory:
    key = (sc.id, sc.kind, sc.norad_id, sc.spk_path, id(sc.catalog))
    if key in _cache:
        return _cache[key]
    if sc.kind == "tle":
        elements = sc.elements
        if elements is None:
            raise TrajectoryError(f"{sc.id}: NORAD {sc.norad_id} is not in the catalog given; add its elements")
        traj = Sgp4Trajectory(elements)
        traj.name = sc.name
    elif sc.kind == "spk":
        traj = SpkTrajectory(sc.spk_path, sc.naif_id, name=sc.name)
    else:
        traj = AtBodyTrajectory(sc.at_body, name=sc.name, object_id=sc.id, error_bound_km=sc.error_bound_km,
                                reason=sc.trajectory_source)
    traj.object_id = sc.id if sc.kind != "tle" else traj.object_id
    _cache[key] = traj
    return traj


def bundled_spacecraft_path() -> Path:
    return Path(str(resources.files("groundnet.data").joinpath("spacecraft.toml")))


def load_spacecraft(path: str | Path | None = None, *, catalog="demo") -> list[Spacecraft]:
    """The spacecraft list (bundled by default); Earth orbiters' elements from ``catalog``.

    ``catalog``: ``"demo"`` (the bundled demo catalog), a path, or an already loaded ``CatalogLoad``;
    ``None`` skips it (then ``trajectory()`` of an Earth orbiter raises).
    """
    file = Path(path) if path is not None else bundled_spacecraft_path()
    text = files.read_text(file, what="spacecraft file (TOML)")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError(str(file), f"not valid TOML: {exc}") from None
    entries = data.get("spacecraft")
    if not isinstance(entries, list) or not entries:
        raise InputFileError(str(file), "expected [[spacecraft]] tables", field="spacecraft")
    load = None
    if catalog is not None and any(e.get("kind") == "tle" for e in entries):
        from ..orbits.catalog import load_catalog

        load = load_catalog(catalog) if isinstance(catalog, (str, Path)) else catalog
    ephemerides = Path(str(resources.files("groundnet.data").joinpath("ephemerides")))
    out, seen = [], set()
    for n, e in enumerate(entries, start=1):
        where = f"[[spacecraft]] #{n} ({e.get('id', '?')})"

        def need(key, kind=str):
            if key not in e or not isinstance(e[key], kind) or isinstance(e[key], bool):
                what = "a number" if isinstance(kind, tuple) else {str: "a string", int: "a whole number"}[kind]
                raise InputFileError(str(file), f"{where}: needs {key} ({what})", field=key)
            return e[key]

        sid = need("id")
        if sid in seen:
            raise InputFileError(str(file), f"{where}: id {sid} appears twice", field="id")
        seen.add(sid)
        kind = need("kind")
        if kind not in ("tle", "spk", "approximate"):
            raise InputFileError(str(file), f"{where}: kind '{kind}' must be tle, spk or approximate "
                                            f"(trajectory kinds: {', '.join(KINDS)})", field="kind")
        spk = None
        if kind == "tle":
            need("norad_id", int)
        elif kind == "spk":
            spk_name = need("spk")
            spk_file = Path(spk_name) if Path(spk_name).is_absolute() else (
                (file.parent / spk_name) if (file.parent / spk_name).exists() else ephemerides / spk_name)
            if not spk_file.exists():
                raise InputFileError(str(file), f"{where}: SPK file {spk_name} not found", field="spk")
            spk = str(spk_file)
            need("naif_id", int)
        else:
            need("at")
            need("error_bound_km", (int, float))
        out.append(Spacecraft(
            id=sid, name=e.get("name", sid), kind=kind, description=e.get("description", ""),
            norad_id=e.get("norad_id"), naif_id=e.get("naif_id"), spk_path=spk, at_body=e.get("at"),
            error_bound_km=float(e["error_bound_km"]) if "error_bound_km" in e else None,
            error_bound_source=e.get("error_bound_source", ""),
            trajectory_source=e.get("trajectory_source", "bundled demo catalog (docs/spacecraft.md)"
                                    if kind == "tle" else ""),
            links_source=e.get("links_source", ""),
            downlink=_link(e.get("downlink"), "down", kind, file, where),
            uplink=_link(e.get("uplink"), "up", kind, file, where), catalog=load,
        ))
    return out


def _link(table: dict | None, direction: str, kind: str, file: Path, where: str) -> Link | None:
    """One ``[spacecraft.downlink]``/``[spacecraft.uplink]`` table; a frequency must lie in its band."""
    if not table:
        return None
    name = f"{direction}link"
    band = table.get("band")
    if band not in BAND_EDGES_HZ:
        raise InputFileError(str(file), f"{where}: {name}.band {band!r} must be one of {', '.join(BAND_EDGES_HZ)}",
                             field=f"{name}.band")
    for key in ("frequency_hz", "data_rate_bps"):
        value = table.get(key)
        if value is not None and not (is_finite_number(value) and value > 0):
            raise InputFileError(str(file), f"{where}: {name}.{key} {value!r} must be a positive number",
                                 field=f"{name}.{key}")
    frequency_hz = table.get("frequency_hz")
    if frequency_hz is not None and band_of(frequency_hz) != band:
        low, high = BAND_EDGES_HZ[band]
        raise InputFileError(str(file), f"{where}: {name}.frequency_hz {frequency_hz:g} Hz is not in {band}-band "
                                        f"({low:g}-{high:g} Hz); check the value and its unit (Hz)",
                             field=f"{name}.frequency_hz")
    return Link(band, direction, frequency_hz, table.get("data_rate_bps"), near_earth=kind == "tle")


def load_fleet(path=None, catalog: str = "demo") -> list[Spacecraft]:
    """The spacecraft the live service runs: every craft of the list whose trajectory can be built
    (an Earth orbiter only when the catalog holds its elements)."""
    return [sc for sc in load_spacecraft(path, catalog=catalog) if sc.kind != "tle" or sc.elements is not None]


def get_spacecraft(spacecraft_id: str, spacecraft: list[Spacecraft] | None = None) -> Spacecraft:
    """One spacecraft by id (case-insensitive) or NORAD id."""
    fleet = spacecraft if spacecraft is not None else load_spacecraft()
    key = spacecraft_id.strip().upper()
    for sc in fleet:
        if sc.id.upper() == key or (sc.norad_id is not None and str(sc.norad_id) == key):
            return sc
    raise TrajectoryError(f"unknown spacecraft '{spacecraft_id}'; known: {', '.join(s.id for s in fleet)} "
                          "(`groundnet spacecraft` lists them)")


def resolve_trajectory(trajectory_file: str | Path | None = None, object_id: str | None = None,
                       spacecraft_id: str | None = None) -> Trajectory:
    """The trajectory a command asks for: a file (SPK with ``object_id``, OEM, OPM, OMM) or a bundled spacecraft."""
    from ..orbits.trajectory import load_trajectory

    if (trajectory_file is None) == (spacecraft_id is None):
        raise TrajectoryError("give either --trajectory FILE (SPK, OEM, OPM or OMM) or --spacecraft ID "
                              "(`groundnet spacecraft` lists the bundled ones)")
    if trajectory_file is not None:
        return load_trajectory(trajectory_file, object_id)
    return get_spacecraft(spacecraft_id).trajectory
