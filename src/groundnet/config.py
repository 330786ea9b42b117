"""The user's configuration file, ``groundnet.toml``, merged with the environment.

Where the file is, first match wins: the path given to :func:`load_config` (the ``--config``
option), else ``GROUNDNET_CONFIG``, else ``$XDG_CONFIG_HOME/groundnet/groundnet.toml`` (``~/.config``
when ``XDG_CONFIG_HOME`` is unset). A missing file at the default place is not an error: every key
has a default. A file named explicitly must exist.

Each value comes from, in order: its environment variable (when it has one), the file, the
default. :class:`Config` keeps where each value came from, so ``groundnet config show`` can say it.

Small API::

    from groundnet.config import load_config
    cfg = load_config()               # or load_config("path/to/groundnet.toml")
    cfg.agent_server, cfg.agent_token # [agent] server / token, or GROUNDNET_SERVER / GROUNDNET_TOKEN
    cfg.get("catalog.refresh_interval_s")
    cfg.origin("agent.token")         # "environment GROUNDNET_TOKEN", "file /.../groundnet.toml", "default"

Secrets (the agent token, the Space-Track password) are never printed: :meth:`Config.rows` masks them.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from .errors import InputFileError
from .files import CONFIG_LIMIT_BYTES, read_text

CONFIG_FILE_NAME = "groundnet.toml"
CONFIG_ENV = "GROUNDNET_CONFIG"
CACHE_ENV = "GROUNDNET_CACHE_DIR"
MASK = "********"

# The path given with the global ``--config`` option (set by the command line before a command runs).
_cli_path: Path | None = None


class ConfigError(InputFileError):
    """The configuration file (or a GROUNDNET_* variable standing for one of its keys) cannot be used."""


def _xdg(var: str, fallback: str) -> Path:
    base = os.environ.get(var, "").strip()
    return Path(base) if base and os.path.isabs(base) else Path.home() / fallback


def default_config_path() -> Path:
    """``$XDG_CONFIG_HOME/groundnet/groundnet.toml`` (``~/.config/groundnet/groundnet.toml``)."""
    return _xdg("XDG_CONFIG_HOME", ".config") / "groundnet" / CONFIG_FILE_NAME


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/groundnet`` (``~/.cache/groundnet``)."""
    return _xdg("XDG_CACHE_HOME", ".cache") / "groundnet"


# --- value checks: each returns the cleaned value or raises ValueError("what is allowed") ---

def _str(v: Any) -> str:
    if not isinstance(v, str) or not v.strip():
        raise ValueError("give a non-empty string")
    return v.strip()


def _url(v: Any) -> str:
    s = _str(v)
    if not s.startswith(("http://", "https://")):
        raise ValueError("give an http:// or https:// URL")
    return s.rstrip("/")


def _str_list(v: Any) -> list[str]:
    if isinstance(v, str):
        v = [s for s in v.split(",")]
    if not isinstance(v, list) or not all(isinstance(s, str) for s in v):
        raise ValueError('give a list of strings, e.g. ["KIR-1", "NNO-1"]')
    return [s.strip() for s in v if s.strip()]


def _seconds(v: Any) -> float:
    if isinstance(v, str):
        try:
            v = float(v)
        except ValueError:
            raise ValueError("give a number of seconds, e.g. 43200") from None
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not (60 <= v <= 365 * 86400):
        raise ValueError("give a number of seconds between 60 and 31536000")
    return float(v)


def _bool(v: Any) -> bool:
    if isinstance(v, str) and v.strip().lower() in ("1", "true", "yes", "on", "0", "false", "no", "off"):
        return v.strip().lower() in ("1", "true", "yes", "on")
    if not isinstance(v, bool):
        raise ValueError("give true or false")
    return v


def _units(v: Any) -> str:
    s = _str(v).lower()
    if s not in ("metric", "imperial"):
        raise ValueError("give 'metric' or 'imperial'")
    return s


def _zone(v: Any) -> str:
    s = _str(v)
    if s.upper() == "UTC":
        return "UTC"
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(s)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("give an IANA time zone name such as UTC or Europe/Madrid") from None
    return s


def _path(v: Any) -> str:
    return _str(v)


@dataclass(frozen=True)
class Key:
    """One configuration key: ``section.name`` in the file, its environment variable, its default."""

    name: str
    check: Callable[[Any], Any]
    default: Any
    env: str | None
    help: str
    secret: bool = False
    is_path: bool = False  # relative paths in the file are taken from the file's folder


def holds_elements(source: str) -> bool:
    """Whether a source name (``celestrak:active``) gives element sets, a catalog."""
    from .errors import GroundnetError
    from .sources.registry import parse_spec

    try:
        return parse_spec(source).kind == "catalog"
    except GroundnetError:  # checked, and said, where the source is fetched
        return False


KEYS: tuple[Key, ...] = (
    Key("stations.file", _path, None, None, "TOML station file used when --station-file is not given.", is_path=True),
    Key("stations.default", _str_list, [], None, "Antennas used when a command's station option is not given."),
    Key("catalog.default", _str, None, "GROUNDNET_CATALOG",
        "Catalog used when a command is given no --catalog: a file or a source read through the cache "
        "(celestrak:active); default: the first element source of catalog.sources."),
    Key("catalog.sources", _str_list, [], None,
        "Catalogs kept fresh: `catalog fetch` with no source fetches these, and `serve` refreshes them "
        "when live.refresh_sources is true (e.g. celestrak:active, satnogs:transmitters)."),
    Key("catalog.refresh_interval_s", _seconds, 43200.0, "GROUNDNET_REFRESH_INTERVAL_S",
        "A cached catalog older than this is fetched again when used (CelesTrak's two-hour minimum always holds)."),
    Key("cache.dir", _path, None, CACHE_ENV, "Where fetched data is kept (default: $XDG_CACHE_HOME/groundnet).",
        is_path=True),
    Key("agent.server", _url, None, "GROUNDNET_SERVER", "URL of the groundnet server a station agent reports to."),
    Key("agent.token", _str, None, "GROUNDNET_TOKEN", "API token of the station agent (`groundnet token create`).",
        secret=True),
    Key("spacetrack.identity", _str, None, "GROUNDNET_SPACETRACK_IDENTITY", "Space-Track account name (e-mail)."),
    Key("spacetrack.password", _str, None, "GROUNDNET_SPACETRACK_PASSWORD", "Space-Track password.", secret=True),
    Key("celestrak.base_url", _url, "https://celestrak.org", None, "CelesTrak server (or a mirror)."),
    Key("spacetrack.base_url", _url, "https://www.space-track.org", None, "Space-Track server (or a mirror)."),
    Key("satnogs.base_url", _url, "https://db.satnogs.org", None, "SatNOGS DB server (or a mirror)."),
    Key("iers.base_url", _url, "https://datacenter.iers.org", None,
        "IERS data centre (or a mirror) for `groundnet data update`'s finals2000A.all."),
    Key("live.refresh_sources", _bool, False, "GROUNDNET_REFRESH_SOURCES",
        "`serve` and `demo` refresh catalog.sources (and the source of `serve --catalog SOURCE`) in the "
        "background on the refresh interval."),
    Key("display.units", _units, "metric", None, "Units for display: metric or imperial."),
    Key("display.time_zone", _zone, "UTC", None, "Time zone for display (IANA name); data stays in UTC."),
)
KEYS_BY_NAME = {k.name: k for k in KEYS}


@dataclass(frozen=True)
class Config:
    """The effective configuration: each key's value and where it came from."""

    path: Path | None  # the file read, or None when there was none
    values: Mapping[str, Any]
    origins: Mapping[str, str] = field(default_factory=dict)

    def get(self, name: str) -> Any:
        if name not in KEYS_BY_NAME:
            raise KeyError(f"unknown configuration key {name!r}")
        return self.values[name]

    def origin(self, name: str) -> str:
        return self.origins.get(name, "default")

    # The values other parts of groundnet read most.
    @property
    def agent_server(self) -> str | None:
        return self.values["agent.server"]

    @property
    def agent_token(self) -> str | None:
        return self.values["agent.token"]

    @property
    def spacetrack_credentials(self) -> tuple[str, str] | None:
        ident, pw = self.values["spacetrack.identity"], self.values["spacetrack.password"]
        return (ident, pw) if ident and pw else None

    @property
    def cache_dir(self) -> Path:
        v = self.values["cache.dir"]
        return Path(v) if v else default_cache_dir()

    @property
    def refresh_interval_s(self) -> float:
        return float(self.values["catalog.refresh_interval_s"])

    @property
    def station_file(self) -> Path | None:
        v = self.values["stations.file"]
        return Path(v) if v else None

    @property
    def default_stations(self) -> list[str]:
        return list(self.values["stations.default"])

    @property
    def default_catalog(self) -> str | None:
        """``catalog.default``, else the first of ``catalog.sources`` that holds element sets (not
        SatNOGS transmitters or satellites, not the IERS table)."""
        if self.values["catalog.default"]:
            return self.values["catalog.default"]
        return next((s for s in self.values["catalog.sources"] if holds_elements(s)), None)

    def base_url(self, source: str) -> str:
        return self.values[f"{source}.base_url"]

    def rows(self) -> list[dict]:
        """One row per key (key, value, origin, env), secrets masked: what ``config show`` prints."""
        out = []
        for k in KEYS:
            v = self.values[k.name]
            if k.secret and v is not None:
                v = MASK
            elif k.name == "cache.dir" and v is None:
                v = str(default_cache_dir())
            out.append({"key": k.name, "value": v, "origin": self.origin(k.name), "env": k.env or ""})
        return out


def set_cli_path(path: str | os.PathLike | None) -> None:
    """Remember the global ``--config`` path for :func:`load_config` calls made without one."""
    global _cli_path
    _cli_path = Path(path) if path is not None else None


def config_path(path: str | os.PathLike | None = None) -> tuple[Path, bool]:
    """The file to read and whether it was named explicitly (then it must exist)."""
    if path is not None:
        return Path(path), True
    if _cli_path is not None:
        return _cli_path, True
    env = os.environ.get(CONFIG_ENV, "").strip()
    if env:
        return Path(env), True
    return default_config_path(), False


def _flatten(doc: dict, path: Path, text: str) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for section, table in doc.items():
        if not isinstance(table, dict):
            raise ConfigError(str(path), f"'{section}' must be a [section]; known sections: "
                              f"{', '.join(sorted({k.name.split('.')[0] for k in KEYS}))}",
                              line=_line_of(text, section))
        for name, value in table.items():
            key = f"{section}.{name}"
            if key not in KEYS_BY_NAME:
                known = ", ".join(k.name.split(".")[1] for k in KEYS if k.name.startswith(section + "."))
                hint = f"known keys of [{section}]: {known}" if known else "see docs/configuration.md for the keys"
                raise ConfigError(str(path), f"unknown key '{key}'; {hint}", line=_line_of(text, name), field=key)
            flat[key] = value
    return flat


def _line_of(text: str, name: str) -> int | None:
    for i, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if s.startswith(name) and s[len(name):].lstrip().startswith(("=", "]")) or s == f"[{name}]":
            return i
    return None


def load_config(path: str | os.PathLike | None = None, environ: Mapping[str, str] | None = None) -> Config:
    """Read the configuration file (see the module's documentation for where) and the environment.

    Raises :class:`ConfigError` naming the file, line and key for a value that cannot be used.
    """
    env = os.environ if environ is None else environ
    file, explicit = config_path(path)
    flat: dict[str, Any] = {}
    text = ""
    read_path: Path | None = None
    if explicit or file.exists():
        text = read_text(file, limit_bytes=CONFIG_LIMIT_BYTES, what="groundnet.toml configuration file",
                         error=ConfigError)
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            line = getattr(exc, "lineno", None)
            raise ConfigError(str(file), f"not valid TOML ({str(exc).split(' (at')[0]}); "
                              "see docs/configuration.md", line=line) from None
        flat = _flatten(doc, file, text)
        read_path = file
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for k in KEYS:
        if k.env and env.get(k.env, "").strip():
            raw, origin = env[k.env], f"environment {k.env}"
            try:
                values[k.name] = k.check(raw)
            except ValueError as exc:
                raise ConfigError(k.env, f"environment variable: {exc}", field=k.name) from None
        elif k.name in flat:
            origin = f"file {file}"
            try:
                v = k.check(flat[k.name])
            except ValueError as exc:
                raise ConfigError(str(file), str(exc), line=_line_of(text, k.name.split(".")[1]),
                                  field=k.name) from None
            if k.is_path and not os.path.isabs(os.path.expanduser(v)):
                v = str((file.parent / v).resolve())
            elif k.is_path:
                v = os.path.expanduser(v)
            values[k.name] = v
        else:
            values[k.name], origin = k.default, "default"
        origins[k.name] = origin
    return Config(path=read_path, values=values, origins=origins)


__all__ = [
    "CACHE_ENV",
    "CONFIG_ENV",
    "Config",
    "ConfigError",
    "KEYS",
    "default_cache_dir",
    "default_config_path",
    "load_config",
    "set_cli_path",
]
