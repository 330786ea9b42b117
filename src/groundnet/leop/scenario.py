"""The LEOP scenario file (TOML): launch, injection, spacecraft, dispersions, stations, analysis.

Every mistake is collected and reported at once, each naming the file, the line (where the key
is written), the table and key, and what to write instead. See docs/leop.md for the format.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..errors import InputFileError, TimeParseError, is_finite_number
from ..timebase import parse_utc, to_unix


class ScenarioError(InputFileError):
    """A LEOP scenario file is invalid; ``problems`` lists every mistake found."""

    def __init__(self, path: str, problems: list[str]):
        self.problems = problems
        head = f"{len(problems)} problem{'s' if len(problems) > 1 else ''} in the scenario: " if len(problems) > 1 else ""
        super().__init__(path, head + " | ".join(problems))


INJECTION_KINDS = ("elements", "tle", "oem", "opm")
TOP_LEVEL = "<top level>"


@dataclass(frozen=True)
class LaunchSite:
    name: str
    latitude_deg: float
    longitude_deg: float
    altitude_m: float = 0.0


@dataclass(frozen=True)
class Injection:
    """Where the spacecraft is put, in one of four forms (``kind``)."""

    kind: str
    # kind = "elements": published injection parameters (epoch = lift-off + epoch_offset_s)
    epoch_offset_s: float = 0.0
    perigee_altitude_km: float | None = None
    apogee_altitude_km: float | None = None
    c3_km2_s2: float | None = None
    inclination_deg: float | None = None
    raan_deg: float | None = None  # None: derived (see raan_from)
    raan_from: str | None = None  # "launch_site" or "asymptote"
    ascending: bool = True
    arg_perigee_deg: float | None = None
    true_anomaly_deg: float | None = None
    argument_of_latitude_deg: float | None = None
    downrange_from_site_deg: float | None = None
    time_since_perigee_s: float | None = None
    asymptote_ra_deg: float | None = None
    asymptote_dec_deg: float | None = None
    # kind = "tle" | "oem" | "opm": a file (relative to the scenario) and, for a launch window,
    # the lift-off time the file was made for
    file: Path | None = None
    tle_lines: tuple[str, str] | None = None
    reference_launch_unix: float | None = None


@dataclass(frozen=True)
class Dispersions:
    method: str = "none"  # none | monte_carlo | grid
    samples: int = 200
    seed: int = 0
    grid_sigma: float = 3.0
    timing_sigma_s: float = 0.0
    switch_on_sigma_s: float = 0.0
    semi_major_axis_sigma_km: float = 0.0
    velocity_sigma_m_s: float = 0.0
    inclination_sigma_deg: float = 0.0

    @property
    def active(self) -> bool:
        return self.method != "none" and any(
            s > 0
            for s in (self.timing_sigma_s, self.switch_on_sigma_s, self.semi_major_axis_sigma_km,
                      self.velocity_sigma_m_s, self.inclination_sigma_deg)
        )


@dataclass(frozen=True)
class Scenario:
    path: str
    name: str
    launch_times_unix: tuple[float, ...]
    site: LaunchSite | None
    injection: Injection
    spacecraft_name: str
    downlink_hz: float
    separation_offset_s: float
    switch_on_delay_s: float
    dispersions: Dispersions
    station_ids: tuple[str, ...] | None  # None = every antenna of the network
    station_file: Path | None
    min_elevation_deg: float | None
    coverage_orbits: float | None
    coverage_hours: float | None
    search_step_s: float
    pointing_before_s: float
    pointing_after_s: float
    sources: dict = field(default_factory=dict)
    description: str = ""


# ----------------------------------------------------------------------------------------------

class _Reader:
    """Pulls typed values out of the parsed TOML, recording every problem with its line."""

    def __init__(self, path: str, text: str, data: dict):
        self.path, self.text, self.data = path, text, data
        self._problems: list[tuple[float, int, str]] = []  # (line or inf, order found, text)
        self.missing_tables: set[str] = set()  # reported once, not key by key

    def line_of(self, table: str, key: str | None) -> int | None:
        table = "" if table == TOP_LEVEL else table
        header = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\- ]+?)\s*\]\s*(#.*)?$")
        current = ""
        for n, line in enumerate(self.text.splitlines(), start=1):
            m = header.match(line)
            if m:
                current = m.group(1)
                if key is None and current == table:
                    return n
                continue
            if key and current == table and re.match(rf"^\s*{re.escape(key)}\s*=", line):
                return n
        return None

    def fail(self, table: str, key: str | None, reason: str) -> None:
        line = self.line_of(table, key)
        where = f"line {line}: " if line else ""
        name = (key or "") if table == TOP_LEVEL else (f"[{table}] {key}" if key else f"[{table}]")
        self._problems.append((line or math.inf, len(self._problems), f"{where}{name}: {reason}"))

    @property
    def problems(self) -> list[str]:
        """Every problem, in the order of the file's lines (those without a line last)."""
        return [text for _, _, text in sorted(self._problems)]

    def table(self, name: str, required: bool = True) -> dict:
        value = self.data.get(name)
        if value is None:
            if required:
                self.fail(name, None, f"missing table; add the [{name}] section (see docs/leop.md)")
                self.missing_tables.add(name)
            return {}
        if not isinstance(value, dict):
            self.fail(name, None, f"must be a table [{name}], not a {type(value).__name__}")
            return {}
        return value

    def unknown_keys(self, table: str, values: dict, allowed: set[str]) -> None:
        for key in values:
            if key not in allowed:
                self.fail(table, key, f"unknown key; allowed keys are {', '.join(sorted(allowed))}")

    def number(self, table: str, values: dict, key: str, *, lo=-math.inf, hi=math.inf,
               default=None, required=False, unit_hint: str = "") -> float | None:
        if key not in values:
            if required and table not in self.missing_tables:
                self.fail(table, key, f"missing: add {key} = ..." + (f" ({unit_hint})" if unit_hint else ""))
            return default
        v = values[key]
        if not is_finite_number(v):
            self.fail(table, key, f"must be a number{(' (' + unit_hint + ')') if unit_hint else ''}, got {v!r}")
            return default
        if not lo <= v <= hi:
            self.fail(table, key, f"{v} is outside [{lo}, {hi}]")
            return default
        return float(v)

    def string(self, table: str, values: dict, key: str, *, choices=None, default=None, required=False):
        if key not in values:
            if required and table not in self.missing_tables:
                self.fail(table, key, "missing" + (f"; one of {', '.join(choices)}" if choices else ""))
            return default
        v = values[key]
        if not isinstance(v, str) or not v.strip():
            self.fail(table, key, f"must be a non-empty string, got {v!r}")
            return default
        if choices and v not in choices:
            self.fail(table, key, f"'{v}' is not one of {', '.join(choices)}")
            return default
        return v.strip()

    def time(self, table: str, values: dict, key: str, required=True) -> float | None:
        v = values.get(key)
        if v is None:
            if required and table not in self.missing_tables:
                self.fail(table, key, "missing: write an ISO 8601 UTC time such as 2016-05-24T08:48:43Z")
            return None
        if hasattr(v, "isoformat"):  # TOML datetime literal
            if getattr(v, "tzinfo", None) is None:
                self.fail(table, key, "a date-time without offset is ambiguous; end it with Z for UTC")
                return None
            return to_unix(v)
        if not isinstance(v, str):
            self.fail(table, key, f"must be an ISO 8601 UTC time, got {v!r}")
            return None
        try:
            return to_unix(parse_utc(v, key))
        except TimeParseError as exc:
            self.fail(table, key, str(exc))
            return None


def bundled_scenarios() -> dict[str, Path]:
    """The scenarios shipped with groundnet (``groundnet/data/leop``), by name (file stem)."""
    folder = resources.files("groundnet.data").joinpath("leop")
    return {Path(f.name).stem: Path(str(f)) for f in sorted(folder.iterdir(), key=lambda f: f.name)
            if f.name.endswith(".toml")}


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file, or a bundled scenario by name (``galileo_vs15``);
    raises :class:`ScenarioError` listing every problem."""
    p = Path(path)
    if not p.exists() and str(path) in bundled_scenarios():
        p = bundled_scenarios()[str(path)]
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        names = ", ".join(bundled_scenarios())
        raise ScenarioError(str(p), [f"file not found; give the path of a .toml scenario or a bundled one's name ({names})"]) from None
    except UnicodeDecodeError:
        raise ScenarioError(str(p), ["not UTF-8 text; a scenario is a TOML file"]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(str(p), [f"not valid TOML: {exc}"]) from None
    return parse_scenario(data, text=text, path=str(p), base_dir=p.parent)


def parse_scenario(data: dict, *, text: str = "", path: str = "<scenario>", base_dir: Path | None = None,
                   allow_files: bool = True) -> Scenario:
    """Validate parsed TOML. ``allow_files=False`` (scenarios received by the service) refuses
    keys that name files on this machine."""
    r = _Reader(path, text, data)
    if not allow_files:
        for table in ("stations", "injection"):
            if isinstance(data.get(table), dict) and "file" in data[table]:
                r.fail(table, "file", "a scenario sent to the service cannot name files on the server; "
                       "give the TLE inline (line1, line2) or the injection as elements, and stations by id")
                data = {**data, table: {k: v for k, v in data[table].items() if k != "file"}}
    base_dir = base_dir or Path(".")
    r.unknown_keys(TOP_LEVEL, data,
                   {"scenario", "launch", "injection", "spacecraft", "dispersions", "stations", "analysis", "sources"})

    meta = r.table("scenario", required=False)
    r.unknown_keys("scenario", meta, {"name", "description"})
    name = r.string("scenario", meta, "name", default=Path(path).stem)
    description = meta.get("description", "") if isinstance(meta.get("description", ""), str) else ""

    # --- launch ---
    launch = r.table("launch")
    r.unknown_keys("launch", launch, {"time", "window", "site"})
    launch_times: list[float] = []
    if "time" in launch and "window" in launch:
        r.fail("launch", "window", "give either time (one launch) or window (start, end, step_s), not both")
    elif "window" in launch:
        w = launch["window"]
        if not isinstance(w, dict):
            r.fail("launch", "window", 'must be a table: window = { start = "...Z", end = "...Z", step_s = 300 }')
        else:
            r.unknown_keys("launch", {f"window.{k}": v for k, v in w.items()}, {"window.start", "window.end", "window.step_s"})
            start = r.time("launch", w, "start")
            end = r.time("launch", w, "end")
            step = r.number("launch", w, "step_s", lo=1, hi=86400 * 30, required=True, unit_hint="seconds between launch times, e.g. 300")
            if start is not None and end is not None and step is not None:
                if end < start:
                    r.fail("launch", "window", "end is before start")
                else:
                    n = int(math.floor((end - start) / step + 1e-9)) + 1
                    if n > 500:
                        r.fail("launch", "window", f"{n} launch times; at most 500 (raise step_s)")
                    else:
                        launch_times = [start + i * step for i in range(n)]
    else:
        t = r.time("launch", launch, "time")
        if t is not None:
            launch_times = [t]
    site = None
    if "site" in launch:
        s = launch["site"]
        if not isinstance(s, dict):
            r.fail("launch", "site", "must be a table: site = { name = \"Kourou ELS\", latitude_deg = 5.30, longitude_deg = -52.83 }")
        else:
            lat = r.number("launch", s, "latitude_deg", lo=-90, hi=90, required=True, unit_hint="degrees north")
            lon = r.number("launch", s, "longitude_deg", lo=-180, hi=360, required=True, unit_hint="degrees east")
            alt = r.number("launch", s, "altitude_m", lo=-500, hi=9000, default=0.0)
            if lat is not None and lon is not None:
                site = LaunchSite(str(s.get("name", "launch site")), lat, lon if lon <= 180 else lon - 360, alt or 0.0)

    # --- spacecraft ---
    sc = r.table("spacecraft")
    r.unknown_keys("spacecraft", sc, {"name", "downlink_hz", "separation_offset_s", "switch_on_delay_s"})
    sc_name = r.string("spacecraft", sc, "name", default="spacecraft")
    downlink_hz = r.number("spacecraft", sc, "downlink_hz", lo=1e6, hi=1e12, required=True, unit_hint="carrier in Hz, e.g. 2.2e9")
    separation = r.number("spacecraft", sc, "separation_offset_s", lo=0, hi=30 * 86400, required=True, unit_hint="seconds from lift-off to separation")
    switch_on = r.number("spacecraft", sc, "switch_on_delay_s", lo=0, hi=30 * 86400, default=0.0)

    injection = _parse_injection(r, base_dir, site)

    dispersions = _parse_dispersions(r)

    # --- stations ---
    st = r.table("stations", required=False)
    r.unknown_keys("stations", st, {"ids", "file", "min_elevation_deg"})
    ids = st.get("ids", "all")
    station_ids: tuple[str, ...] | None = None
    if ids != "all":
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) and i.strip() for i in ids):
            r.fail("stations", "ids", 'must be "all" or a list of station ids such as ["NNO-1", "KRU-1"] (see `groundnet stations`)')
        else:
            station_ids = tuple(i.strip() for i in ids)
    station_file = None
    if "file" in st:
        f = r.string("stations", st, "file")
        if f:
            station_file = (base_dir / f) if not Path(f).is_absolute() else Path(f)
            if not station_file.is_file():
                r.fail("stations", "file", f"no such file {station_file}; the path is relative to the scenario file")
                station_file = None
    min_el = r.number("stations", st, "min_elevation_deg", lo=-5, hi=90)

    # --- analysis ---
    an = r.table("analysis", required=False)
    r.unknown_keys("analysis", an, {"coverage_orbits", "coverage_hours", "search_step_s", "pointing_before_s", "pointing_after_s"})
    cov_orbits = r.number("analysis", an, "coverage_orbits", lo=0.1, hi=50)
    cov_hours = r.number("analysis", an, "coverage_hours", lo=0.01, hi=24 * 30)
    if cov_orbits is not None and cov_hours is not None:
        r.fail("analysis", "coverage_hours", "give coverage_orbits or coverage_hours, not both")
    step = r.number("analysis", an, "search_step_s", lo=0.5, hi=600, default=10.0)
    before = r.number("analysis", an, "pointing_before_s", lo=0, hi=86400, default=300.0)
    after = r.number("analysis", an, "pointing_after_s", lo=1, hi=86400, default=900.0)

    sources = data.get("sources", {})
    if not isinstance(sources, dict):
        r.fail("sources", None, "must be a table of key = \"citation\" strings")
        sources = {}

    if r.problems:
        raise ScenarioError(path, r.problems)
    return Scenario(
        path=path, name=name, launch_times_unix=tuple(launch_times), site=site, injection=injection,
        spacecraft_name=sc_name, downlink_hz=downlink_hz, separation_offset_s=separation,
        switch_on_delay_s=switch_on, dispersions=dispersions, station_ids=station_ids,
        station_file=station_file, min_elevation_deg=min_el, coverage_orbits=cov_orbits,
        coverage_hours=cov_hours, search_step_s=step, pointing_before_s=before, pointing_after_s=after,
        sources=sources, description=description,
    )


_ELEMENT_KEYS = {
    "kind", "epoch_offset_s", "perigee_altitude_km", "apogee_altitude_km", "c3_km2_s2", "inclination_deg",
    "raan_deg", "raan_from", "ascending", "arg_perigee_deg", "true_anomaly_deg", "argument_of_latitude_deg",
    "downrange_from_site_deg", "time_since_perigee_s", "asymptote_ra_deg", "asymptote_dec_deg",
}
_FILE_KEYS = {"kind", "file", "line1", "line2", "reference_launch"}


def _parse_injection(r: _Reader, base_dir: Path, site: LaunchSite | None) -> Injection:
    T = "injection"
    inj = r.table(T)
    if not inj:
        return Injection(kind="elements")
    kind = r.string(T, inj, "kind", choices=INJECTION_KINDS, required=True)
    if kind is None:
        return Injection(kind="elements")
    if kind != "elements":
        r.unknown_keys(T, inj, _FILE_KEYS)
        ref = r.time(T, inj, "reference_launch", required=False)
        if kind == "tle" and "line1" in inj:
            l1, l2 = inj.get("line1"), inj.get("line2")
            if not (isinstance(l1, str) and isinstance(l2, str)):
                r.fail(T, "line2", "a TLE needs both line1 and line2 as strings")
                return Injection(kind=kind)
            return Injection(kind=kind, tle_lines=(l1.rstrip(), l2.rstrip()), reference_launch_unix=ref)
        f = r.string(T, inj, "file", required=True)
        if f is None:
            return Injection(kind=kind)
        fp = Path(f) if Path(f).is_absolute() else base_dir / f
        if not fp.is_file():
            r.fail(T, "file", f"no such file {fp}; the path is relative to the scenario file")
        return Injection(kind=kind, file=fp, reference_launch_unix=ref)

    r.unknown_keys(T, inj, _ELEMENT_KEYS)
    num = lambda k, **kw: r.number(T, inj, k, **kw)  # noqa: E731
    perigee = num("perigee_altitude_km", lo=80, hi=1e6, required=True, unit_hint="km above the equatorial radius")
    apogee = num("apogee_altitude_km", lo=80, hi=1e7)
    c3 = num("c3_km2_s2", lo=-60, hi=200)
    if (apogee is None) == (c3 is None):
        r.fail(T, "apogee_altitude_km", "give apogee_altitude_km (a closed orbit) or c3_km2_s2 (an escape), exactly one")
    if apogee is not None and perigee is not None and apogee < perigee:
        r.fail(T, "apogee_altitude_km", f"{apogee} km is below the perigee ({perigee} km); swap them")
    inc = num("inclination_deg", lo=0, hi=180, required=True, unit_hint="degrees, e.g. 57.394")
    raan = num("raan_deg", lo=0, hi=360)
    raan_from = r.string(T, inj, "raan_from", choices=("launch_site", "asymptote"))
    if (raan is None) == (raan_from is None):
        r.fail(T, "raan_deg", 'give raan_deg, or raan_from = "launch_site" (needs [launch] site) or "asymptote", exactly one')
    if raan_from == "launch_site" and site is None:
        r.fail(T, "raan_from", '"launch_site" needs the launch site: add site = { latitude_deg = ..., longitude_deg = ... } to [launch]')
    asc = inj.get("ascending", True)
    if not isinstance(asc, bool):
        r.fail(T, "ascending", "must be true (the site or asymptote is crossed northbound) or false")
        asc = True
    ra, dec = num("asymptote_ra_deg", lo=0, hi=360), num("asymptote_dec_deg", lo=-90, hi=90)
    if raan_from == "asymptote":
        if c3 is None or c3 <= 0:
            r.fail(T, "raan_from", '"asymptote" places an escape hyperbola: it needs c3_km2_s2 > 0')
        if ra is None or dec is None:
            r.fail(T, "asymptote_dec_deg", "raan_from = \"asymptote\" needs asymptote_ra_deg and asymptote_dec_deg")
        elif inc is not None and abs(dec) > min(inc, 180 - inc):
            r.fail(T, "asymptote_dec_deg", f"|{dec}| deg cannot be reached by a plane inclined {inc} deg")
    elif ra is not None or dec is not None:
        r.fail(T, "asymptote_ra_deg", 'the asymptote is used only with raan_from = "asymptote"')
    argp = num("arg_perigee_deg", lo=0, hi=360)
    where = {k: num(k, lo=-360, hi=720) for k in ("true_anomaly_deg", "argument_of_latitude_deg", "downrange_from_site_deg")}
    where["time_since_perigee_s"] = num("time_since_perigee_s", lo=-86400, hi=86400)
    given = [k for k, v in where.items() if v is not None]
    if len(given) != 1:
        r.fail(T, "true_anomaly_deg", "say where the spacecraft is at the epoch with exactly one of true_anomaly_deg, "
               "argument_of_latitude_deg (circular orbits), downrange_from_site_deg (angle flown from the lift-off point) "
               "or time_since_perigee_s")
    if given == ["downrange_from_site_deg"] and site is None:
        r.fail(T, "downrange_from_site_deg", "needs the launch site: add site = { ... } to [launch]")
    circular = apogee is not None and perigee is not None and abs(apogee - perigee) < 1e-9
    if argp is None and raan_from != "asymptote" and not circular:
        r.fail(T, "arg_perigee_deg", "an eccentric orbit needs arg_perigee_deg (or raan_from = \"asymptote\" for an escape)")
    if raan_from == "asymptote" and argp is not None:
        r.fail(T, "arg_perigee_deg", "with raan_from = \"asymptote\" the argument of perigee follows from the asymptote; remove it")
    return Injection(
        kind="elements", epoch_offset_s=num("epoch_offset_s", lo=-30 * 86400, hi=30 * 86400, default=0.0),
        perigee_altitude_km=perigee, apogee_altitude_km=apogee, c3_km2_s2=c3, inclination_deg=inc,
        raan_deg=raan, raan_from=raan_from, ascending=asc, arg_perigee_deg=argp,
        true_anomaly_deg=where["true_anomaly_deg"], argument_of_latitude_deg=where["argument_of_latitude_deg"],
        downrange_from_site_deg=where["downrange_from_site_deg"], time_since_perigee_s=where["time_since_perigee_s"],
        asymptote_ra_deg=ra, asymptote_dec_deg=dec,
    )


def _parse_dispersions(r: _Reader) -> Dispersions:
    T = "dispersions"
    d = r.table(T, required=False)
    if not d:
        return Dispersions()
    r.unknown_keys(T, d, {"method", "samples", "seed", "grid_sigma", "timing_sigma_s", "switch_on_sigma_s",
                          "semi_major_axis_sigma_km", "velocity_sigma_m_s", "inclination_sigma_deg"})
    method = r.string(T, d, "method", choices=("none", "monte_carlo", "grid"), default="monte_carlo")
    samples = d.get("samples", 200)
    if isinstance(samples, bool) or not isinstance(samples, int) or not 2 <= samples <= 20000:
        r.fail(T, "samples", f"must be a whole number in [2, 20000], got {samples!r}")
        samples = 200
    seed = d.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        r.fail(T, "seed", f"must be a whole number >= 0 (the same seed gives the same samples), got {seed!r}")
        seed = 0
    sig = {k: r.number(T, d, k, lo=0, hi=hi, default=0.0) for k, hi in (
        ("timing_sigma_s", 3600), ("switch_on_sigma_s", 86400), ("semi_major_axis_sigma_km", 10000),
        ("velocity_sigma_m_s", 1000), ("inclination_sigma_deg", 10))}
    return Dispersions(method=method or "monte_carlo", samples=samples, seed=seed,
                       grid_sigma=r.number(T, d, "grid_sigma", lo=0.1, hi=10, default=3.0), **sig)
