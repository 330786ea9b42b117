"""The network of antennas: the bundled ESTRACK + DSN catalog and user TOML overrides.

Each row of ``groundnet/data/stations.csv`` is one antenna with the source of its values. A user
file (TOML) adds antennas or overrides fields of bundled ones::

    [[antenna]]
    id = "MY-1"                      # required; an existing id overrides only the fields given
    name = "Rooftop 3.7 m"
    network = "private"
    latitude_deg = 52.2
    longitude_deg = 4.42
    altitude_m = 10
    dish_m = 3.7
    bands = ["S", "X"]
    roles = ["near-earth"]           # near-earth | deep-space | research | planned | retired (default: by dish)
    min_elevation_deg = 5
    horizon_mask = [[0, 8], [90, 12], [180, 3], [270, 5]]   # [azimuth_deg, elevation_deg]
    frequency_ranges_hz = [[144e6, 146e6], [430e6, 440e6]]  # what the antenna can receive
"""

from __future__ import annotations

import csv
import fnmatch
import math
import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

import numpy as np

from ..constants import WGS84_A_KM, WGS84_F

from .. import files
from ..errors import StationFileError, UnknownStationError, is_finite_number

ROLES = ("near-earth", "deep-space", "research", "planned", "retired")
DEEP_SPACE_DISH_M = 30.0  # without roles given, antennas at least this large serve deep space


def geodetic_to_itrs_km(latitude_deg: float, longitude_deg: float, altitude_m: float) -> np.ndarray:
    """Earth-fixed (ITRS) position in km of a WGS-84 geodetic point."""
    lat, lon = math.radians(latitude_deg), math.radians(longitude_deg)
    e2 = WGS84_F * (2.0 - WGS84_F)
    n = WGS84_A_KM / math.sqrt(1.0 - e2 * math.sin(lat) ** 2)
    h = altitude_m / 1000.0
    return np.array(
        [
            (n + h) * math.cos(lat) * math.cos(lon),
            (n + h) * math.cos(lat) * math.sin(lon),
            (n * (1.0 - e2) + h) * math.sin(lat),
        ]
    )


def geodetic_of_itrs(xyz_km: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """WGS-84 latitude, longitude (deg) and height (km) of Earth-fixed points [..., 3] (Bowring, 3 rounds)."""
    x, y, z = xyz_km[..., 0], xyz_km[..., 1], xyz_km[..., 2]
    e2 = WGS84_F * (2 - WGS84_F)
    p = np.hypot(x, y)
    lat = np.arctan2(z, p * (1 - e2))
    for _ in range(3):
        n = WGS84_A_KM / np.sqrt(1 - e2 * np.sin(lat) ** 2)
        h = p / np.maximum(np.cos(lat), 1e-12) - n
        lat = np.arctan2(z, p * (1 - e2 * n / (n + h)))
    n = WGS84_A_KM / np.sqrt(1 - e2 * np.sin(lat) ** 2)
    h = np.where(np.abs(np.cos(lat)) > 1e-9, p / np.maximum(np.cos(lat), 1e-12) - n, np.abs(z) - n * (1 - e2))
    return np.degrees(lat), np.degrees(np.arctan2(y, x)), h


@dataclass(frozen=True)
class Antenna:
    """One antenna of the network (an ESTRACK terminal or a DSN DSS)."""

    id: str
    name: str
    network: str
    latitude_deg: float
    longitude_deg: float
    altitude_m: float
    dish_m: float | None = None
    bands: tuple[str, ...] = ()
    # What the antenna serves: "near-earth" (Earth orbiters), "deep-space" (the Moon and beyond), "research"
    # (R&D: never an operational mission), "planned" (not in service yet), "retired". Empty: by dish size.
    roles: tuple[str, ...] = ()
    min_elevation_deg: float = 5.0
    # (azimuth_deg, elevation_deg) points, azimuth increasing in [0, 360); linear in between, wraps.
    horizon_mask: tuple[tuple[float, float], ...] = ()
    source: str = ""
    altitude_known: bool = True
    # (low_hz, high_hz) ranges the antenna receives (SatNOGS stations publish them); empty: not stated.
    frequency_ranges_hz: tuple[tuple[float, float], ...] = ()

    @property
    def itrs_km(self) -> np.ndarray:
        return geodetic_to_itrs_km(self.latitude_deg, self.longitude_deg, self.altitude_m)

    @property
    def service_roles(self) -> tuple[str, ...]:
        """The roles given, else the dish's: 30 m and more serve deep space, smaller dishes Earth orbiters."""
        if self.roles:
            return self.roles
        return ("deep-space",) if (self.dish_m or 0.0) >= DEEP_SPACE_DISH_M else ("near-earth",)

    def elevation_floor_deg(self, azimuth_deg) -> np.ndarray:
        """Lowest usable elevation at each azimuth: the mask, never below ``min_elevation_deg``."""
        az = np.asarray(azimuth_deg, dtype=np.float64)
        if not self.horizon_mask:
            return np.full(az.shape, self.min_elevation_deg)
        mask = np.array(self.horizon_mask, dtype=np.float64)
        mask_el = np.interp(np.mod(az, 360.0), mask[:, 0], mask[:, 1], period=360.0)
        return np.maximum(mask_el, self.min_elevation_deg)

    def receives(self, frequency_hz: float) -> bool:
        """Whether a signal at ``frequency_hz`` falls in one of the antenna's ranges (True when none are stated)."""
        if not self.frequency_ranges_hz:
            return True
        return any(low <= frequency_hz <= high for low, high in self.frequency_ranges_hz)

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "network": self.network,
            "latitude_deg": self.latitude_deg,
            "longitude_deg": self.longitude_deg,
            "altitude_m": self.altitude_m,
            "dish_m": self.dish_m,
            "bands": list(self.bands),
            "roles": list(self.service_roles),
            "min_elevation_deg": self.min_elevation_deg,
            "horizon_mask": [list(p) for p in self.horizon_mask],
            "frequency_ranges_hz": [list(r) for r in self.frequency_ranges_hz],
            "source": self.source,
        }


@dataclass
class Network:
    """An ordered collection of antennas, looked up by id (case-insensitive)."""

    antennas: list[Antenna] = field(default_factory=list)

    def __iter__(self):
        return iter(self.antennas)

    def __len__(self) -> int:
        return len(self.antennas)

    def ids(self) -> list[str]:
        return [a.id for a in self.antennas]

    def get(self, antenna_id: str) -> Antenna:
        key = antenna_id.strip().upper()
        for a in self.antennas:
            if a.id.upper() == key:
                return a
        raise UnknownStationError(antenna_id, self.ids())

    def select(self, ids: str | list[str] | None) -> list[Antenna]:
        """Antennas by id (a list or ``"KIR-1,CEB"``); ``None`` or ``"all"`` selects every one.

        An id with ``*`` or ``?`` is a pattern (``GEN-*``: every generated station), case-insensitive.
        """
        if ids is None or ids == "all":
            return list(self.antennas)
        if isinstance(ids, str):
            ids = [s for s in ids.split(",") if s.strip()]
        chosen: list[Antenna] = []
        for wanted in ids:
            if "*" in wanted or "?" in wanted:
                pattern = wanted.strip().upper()
                matches = [a for a in self.antennas if fnmatch.fnmatchcase(a.id.upper(), pattern)]
                if not matches:
                    raise UnknownStationError(wanted, self.ids())
                chosen += [a for a in matches if a not in chosen]
            else:
                chosen.append(self.get(wanted))
        return chosen


def _bundled_rows() -> list[dict]:
    text = resources.files("groundnet.data").joinpath("stations.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _antenna_from_row(row: dict) -> Antenna:
    alt = row["alt_m"].strip()
    source = row["source"]
    if not alt:
        source += "; altitude unknown: 0 m assumed"
    return Antenna(
        id=row["id"],
        name=row["name"],
        network=row["network"],
        latitude_deg=float(row["lat_deg"]),
        longitude_deg=float(row["lon_deg"]),
        altitude_m=float(alt) if alt else 0.0,
        dish_m=float(row["dish_m"]) if row["dish_m"].strip() else None,
        bands=tuple(b for b in row["bands"].split("/") if b),
        roles=tuple(r for r in row["roles"].split("/") if r),
        min_elevation_deg=float(row["min_elevation_deg"]),
        source=source + "; min elevation: " + row["min_elevation_source"],
        altitude_known=bool(alt),
    )


_FIELDS = {
    "id": str,
    "name": str,
    "network": str,
    "latitude_deg": float,
    "longitude_deg": float,
    "altitude_m": float,
    "dish_m": float,
    "bands": list,
    "roles": list,
    "min_elevation_deg": float,
    "horizon_mask": list,
    "frequency_ranges_hz": list,
    "source": str,
}
_REQUIRED_NEW = ("id", "latitude_deg", "longitude_deg")


def _check_value(path: str, where: str, key: str, value):
    def fail(reason: str):
        raise StationFileError(path, f"{where}: {reason}", field=key)

    kind = _FIELDS.get(key)
    if kind is None:
        fail(f"unknown field; allowed fields are {', '.join(_FIELDS)}")
    if kind is float:
        if not is_finite_number(value):
            fail(f"must be a number, got {value!r}")
        value = float(value)
        limits = {
            "latitude_deg": (-90, 90),
            "longitude_deg": (-180, 360),
            "altitude_m": (-500, 9000),
            "dish_m": (0.1, 200),
            "min_elevation_deg": (-5, 90),
        }[key]
        if not limits[0] <= value <= limits[1]:
            fail(f"{value} is outside [{limits[0]}, {limits[1]}]")
        if key == "longitude_deg" and value > 180:
            value -= 360.0
        return value
    if kind is str:
        if not isinstance(value, str) or not value.strip():
            fail(f"must be a non-empty string, got {value!r}")
        return value.strip()
    if key == "bands":
        if not isinstance(value, list) or not all(isinstance(b, str) and b for b in value):
            fail('must be a list of band names such as ["S", "X", "Ka"]')
        return tuple(value)
    if key == "roles":
        if not isinstance(value, list) or not value or not all(r in ROLES for r in value):
            fail(f"must be a list of roles from {', '.join(ROLES)}, e.g. [\"near-earth\"]")
        return tuple(value)
    if key == "frequency_ranges_hz":
        ranges = []
        for i, r in enumerate(value if isinstance(value, list) else [None]):
            ok = (
                isinstance(r, list)
                and len(r) == 2
                and all(is_finite_number(v) for v in r)
                and 0 < r[0] <= r[1] <= 3e11
            )
            if not ok:
                fail(f"range {i} must be [low_hz, high_hz] with 0 < low <= high <= 300 GHz, got {r!r}")
            ranges.append((float(r[0]), float(r[1])))
        return tuple(sorted(ranges))
    # horizon_mask
    points = []
    for i, p in enumerate(value if isinstance(value, list) else [None]):
        ok = (
            isinstance(p, list)
            and len(p) == 2
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in p)
            and 0 <= p[0] < 360
            and -5 <= p[1] <= 90
        )
        if not ok:
            fail(f"point {i} must be [azimuth_deg in 0..360, elevation_deg in -5..90], got {p!r}")
        points.append((float(p[0]), float(p[1])))
    points.sort()
    if len({p[0] for p in points}) != len(points):
        fail("two points share an azimuth")
    return tuple(points)


def load_network(user_file: str | Path | None = None, *, include_bundled: bool = True) -> Network:
    """The bundled network, with a user TOML file's antennas added or overriding by id."""
    antennas = [_antenna_from_row(r) for r in _bundled_rows()] if include_bundled else []
    if user_file is None:
        return Network(antennas)
    path = str(user_file)
    text = files.read_text(path, what="station file (TOML)", error=StationFileError)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise StationFileError(path, f"not valid TOML: {exc}") from None
    entries = data.get("antenna")
    if not isinstance(entries, list) or not entries:
        raise StationFileError(path, "expected one or more [[antenna]] tables", field="antenna")
    by_id = {a.id.upper(): i for i, a in enumerate(antennas)}
    for n, entry in enumerate(entries, start=1):
        where = f"[[antenna]] #{n}"
        if "id" not in entry:
            raise StationFileError(path, f"{where}: every antenna needs an id", field="id")
        values = {k: _check_value(path, f"{where} ({entry.get('id')})", k, v) for k, v in entry.items()}
        key = values["id"].upper()
        if key in by_id:
            old = antennas[by_id[key]]
            antennas[by_id[key]] = replace(old, **values, source=values.get("source", f"user file {path}"))
            continue
        missing = [k for k in _REQUIRED_NEW if k not in values]
        if missing:
            raise StationFileError(
                path, f"{where} ({values['id']}): a new antenna needs {', '.join(missing)}", field=missing[0]
            )
        values.setdefault("name", values["id"])
        values.setdefault("network", "user")
        values.setdefault("altitude_m", 0.0)
        values.setdefault("source", f"user file {path}")
        by_id[key] = len(antennas)
        antennas.append(Antenna(**values))
    return Network(antennas)


def network_toml(antennas: list[Antenna]) -> str:
    """The antennas as a station file (``[[antenna]]`` tables) that :func:`load_network` reads back."""
    import tomli_w

    entries = []
    for a in antennas:
        entry = {
            "id": a.id,
            "name": a.name,
            "network": a.network,
            "latitude_deg": a.latitude_deg,
            "longitude_deg": a.longitude_deg,
            "altitude_m": a.altitude_m,
            "min_elevation_deg": a.min_elevation_deg,
        }
        # Optional fields only when set, so a file stays as short as its content.
        if a.dish_m is not None:
            entry["dish_m"] = a.dish_m
        if a.bands:
            entry["bands"] = list(a.bands)
        if a.horizon_mask:
            entry["horizon_mask"] = [list(p) for p in a.horizon_mask]
        if a.frequency_ranges_hz:
            entry["frequency_ranges_hz"] = [list(r) for r in a.frequency_ranges_hz]
        entry["source"] = a.source
        entries.append(entry)
    return tomli_w.dumps({"antenna": entries})
