"""Tracking data against predictions: the residuals (measured - predicted) of a TDM.

For each TDM segment the participants and ``PATH`` say who transmitted and who received:
``PATH = 1,2,1`` is two-way (the station transmits and receives), ``PATH = 2,1`` one-way (the
spacecraft transmits). The receiving participant must be an antenna of the network; the prediction
is groundnet's light-time corrected link geometry (``visibility.deepspace.link_geometry``) at the
receive times, the same geometry ``ccsds tdm`` writes predicted tracking from, with the same
conventions:

- ``RANGE`` (km): two-way, half of upleg plus downleg range; one-way, the downleg range.
- ``DOPPLER_INSTANTANEOUS`` / ``DOPPLER_INTEGRATED`` (km/s, positive receding): two-way, half of the
  upleg plus downleg range rates; one-way, the downleg's. Integrated Doppler is compared at the
  middle of its integration interval (``INTEGRATION_INTERVAL``, ``INTEGRATION_REF``).
- ``RECEIVE_FREQ_n`` (Hz): two-way, the uplink frequency in effect at the transmit time
  (``TRANSMIT_FREQ_1`` of the segment) times the turnaround ratio
  (``TURNAROUND_NUMERATOR/DENOMINATOR``) times both legs' Doppler ratios; one-way, the
  spacecraft's ``TRANSMIT_FREQ_2`` times the downleg Doppler ratio.
- ``ANGLE_1`` / ``ANGLE_2`` with ``ANGLE_TYPE = AZEL`` (deg): azimuth (residual wrapped to
  +-180) and elevation, the light-time and aberration corrected receive direction.

Every other observable is read and kept by the TDM reader and counted here as not compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import CcsdsError
from ..timebase import format_utc
from .messages import Tdm, TdmSegment

DEFAULT_TURNAROUND = (880, 749)
# The unit of each observable in a TDM (what ``measured`` and ``predicted`` are in).
UNITS = {"RANGE": "km", "DOPPLER_INSTANTANEOUS": "km/s", "DOPPLER_INTEGRATED": "km/s", "ANGLE_1": "deg",
         "ANGLE_2": "deg", **{f"RECEIVE_FREQ_{i}": "Hz" for i in range(1, 6)}, "RECEIVE_FREQ": "Hz"}
# The unit residuals are reported and drawn in, and its factor from the TDM's unit: tables and CSV show
# three decimals, so range is in m (to the mm), Doppler in mm/s, angles in millidegrees (to 3.6 mas),
# frequency in Hz (to the mHz); in the TDM's own units a 1 mm/s Doppler offset would print as 0.
RESIDUAL_UNITS = {"km": ("m", 1e3), "km/s": ("mm/s", 1e6), "deg": ("mdeg", 1e3), "Hz": ("Hz", 1.0)}


@dataclass
class ResidualSeries:
    """One observable of one station: measured, predicted and their difference over time."""

    station: str
    observable: str
    unit: str  # the TDM's unit of the observable (km, km/s, deg, Hz)
    path: str  # two-way | one-way
    times_unix: np.ndarray
    measured: np.ndarray
    predicted: np.ndarray

    @property
    def residual(self) -> np.ndarray:
        """measured - predicted, in the TDM's unit (``unit``)."""
        r = self.measured - self.predicted
        if self.observable == "ANGLE_1":  # azimuth: the short way round
            r = (r + 180.0) % 360.0 - 180.0
        return r

    @property
    def residual_unit(self) -> str:
        """The unit residuals are reported in (m, mm/s, mdeg, Hz): see ``RESIDUAL_UNITS``."""
        return RESIDUAL_UNITS[self.unit][0]

    @property
    def reported(self) -> np.ndarray:
        """The residuals in ``residual_unit``."""
        return self.residual * RESIDUAL_UNITS[self.unit][1]

    def between(self, start: float, end: float) -> "ResidualSeries":
        """The part of the series with start <= t <= end."""
        keep = (self.times_unix >= start) & (self.times_unix <= end)
        return ResidualSeries(self.station, self.observable, self.unit, self.path, self.times_unix[keep],
                              self.measured[keep], self.predicted[keep])

    def stats(self) -> dict:
        """Count, mean, std, RMS, min and max of the residuals, in ``residual_unit``."""
        r = self.reported
        ok = r[np.isfinite(r)]
        row = {"station": self.station, "observable": self.observable, "path": self.path, "unit": self.residual_unit,
               "samples": int(ok.size)}
        if ok.size:
            row.update(mean=float(ok.mean()), std=float(ok.std(ddof=1)) if ok.size > 1 else 0.0,
                       rms=float(np.sqrt(np.mean(ok ** 2))), min=float(ok.min()), max=float(ok.max()),
                       start=format_utc(float(self.times_unix[0])), end=format_utc(float(self.times_unix[-1])))
        return row


@dataclass
class ResidualReport:
    object_name: str
    series: list[ResidualSeries] = field(default_factory=list)
    not_compared: dict[str, int] = field(default_factory=dict)  # keyword -> observations read but not compared
    notes: list[str] = field(default_factory=list)

    def stats_rows(self) -> list[dict]:
        return [s.stats() for s in self.series]

    def as_dict(self) -> dict:
        """For the board and JSON clients: statistics and every residual over time."""
        return {
            "object": self.object_name,
            "stats": self.stats_rows(),
            "series": [{"station": s.station, "observable": s.observable, "unit": s.residual_unit, "path": s.path,
                        "times": [format_utc(float(t)) for t in s.times_unix],
                        "residuals": [None if not np.isfinite(x) else float(x) for x in s.reported]}
                       for s in self.series],
            "not_compared": dict(self.not_compared),
            "notes": list(self.notes),
        }


def _path(seg: TdmSegment, tdm: Tdm) -> tuple[str, str, str]:
    """(kind, receiving participant's value, spacecraft participant's value) of a segment."""
    text = seg.metadata.get("PATH", "")
    try:
        legs = [int(p) for p in text.replace(" ", "").split(",")]
    except ValueError:
        raise CcsdsError(tdm.path, f"PATH '{text}' is not a list of participant numbers such as 1,2,1", line=seg.line,
                         field="PATH") from None
    names = {i: seg.metadata.get(f"PARTICIPANT_{i}") for i in range(1, 6)}
    if any(names.get(i) is None for i in legs):
        missing = next(i for i in legs if names.get(i) is None)
        raise CcsdsError(tdm.path, f"PATH {text} names participant {missing}, but PARTICIPANT_{missing} is not given",
                         line=seg.line, field="PATH")
    if len(legs) == 3 and legs[0] == legs[2]:
        return "two-way", names[legs[2]], names[legs[1]]
    if len(legs) == 2:
        return "one-way", names[legs[1]], names[legs[0]]
    raise CcsdsError(tdm.path, f"PATH {text}: groundnet predicts two-way (1,2,1) and one-way (2,1) tracking; "
                               "three-way and uplink-only paths are not compared", line=seg.line, field="PATH")


def _turnaround(seg: TdmSegment, tdm: Tdm, given) -> tuple[int, int]:
    if given is not None:
        return given
    num, den = seg.metadata.get("TURNAROUND_NUMERATOR"), seg.metadata.get("TURNAROUND_DENOMINATOR")
    if num is None or den is None:
        return DEFAULT_TURNAROUND
    try:
        return int(num), int(den)
    except ValueError:
        raise CcsdsError(tdm.path, f"turnaround ratio {num}/{den} is not two whole numbers", line=seg.line,
                         field="TURNAROUND_NUMERATOR") from None


def _in_effect(times: np.ndarray, values: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The value of a stepwise quantity (a transmitted frequency) in effect at each time ``at``."""
    order = np.argsort(times, kind="stable")
    times, values = times[order], values[order]
    idx = np.clip(np.searchsorted(times, at + 1e-6, side="right") - 1, 0, len(times) - 1)
    return values[idx]


def tdm_residuals(tdm: Tdm, trajectory, antennas: dict, *, turnaround: tuple[int, int] | None = None,
                  on_warning=lambda message: None) -> ResidualReport:
    """Residuals of every comparable observation of ``tdm`` against ``trajectory``.

    ``antennas`` maps antenna ids to :class:`groundnet.stations.Antenna`; ``turnaround`` overrides
    the segments' own ratio.
    """
    from ..visibility.deepspace import link_geometry

    report = ResidualReport(trajectory.name or trajectory.object_id)
    for seg in tdm.segments:
        if not seg.keywords:
            continue
        kind, receiver, _ = _path(seg, tdm)
        antenna = antennas.get(receiver)
        if antenna is None:
            raise CcsdsError(tdm.path, f"receiving participant '{receiver}' is not an antenna of the network "
                                       "(add it with --station-file)", line=seg.line, field="PARTICIPANT_1")
        angle_type = seg.metadata.get("ANGLE_TYPE", "").upper()
        range_units = seg.metadata.get("RANGE_UNITS", "km")
        try:
            interval = float(seg.metadata.get("INTEGRATION_INTERVAL", "0") or 0.0)
        except ValueError:
            raise CcsdsError(tdm.path, f"INTEGRATION_INTERVAL '{seg.metadata['INTEGRATION_INTERVAL']}' is not a number "
                                       "of seconds", line=seg.line, field="INTEGRATION_INTERVAL") from None
        ref = seg.metadata.get("INTEGRATION_REF", "END").upper()
        shift = {"START": 0.5, "MIDDLE": 0.0, "END": -0.5}.get(ref, 0.0) * interval
        keywords = np.array(seg.keywords)
        wanted = []
        for key in dict.fromkeys(seg.keywords):
            reason = None
            if key in ("TRANSMIT_FREQ_1", "TRANSMIT_FREQ_2"):
                continue  # the transmitted frequency a received one is predicted from
            if key not in UNITS:
                reason = "not a predicted observable"
            elif key.startswith("ANGLE") and angle_type != "AZEL":
                reason = f"ANGLE_TYPE {angle_type or 'missing'} (only AZEL is predicted)"
            elif key == "RANGE" and range_units != "km":
                reason = f"RANGE_UNITS {range_units} (only km is predicted)"
            if reason is None:
                wanted.append(key)
            else:
                report.not_compared[key] = report.not_compared.get(key, 0) + int((keywords == key).sum())
                if key in UNITS:
                    on_warning(f"{tdm.path}:{seg.line}: {key} not compared: {reason}")
        if not wanted:
            continue
        # One geometry for every receive time of the segment (integrated Doppler at its interval's middle).
        times = {k: seg.epochs_unix[keywords == k] + (shift if k == "DOPPLER_INTEGRATED" else 0.0) for k in wanted}
        grid = np.unique(np.concatenate(list(times.values())))
        trajectory.state_gcrs(grid)  # the TDM's times must lie in the trajectory's span (OutOfSpanError)
        geo = link_geometry(trajectory, [antenna], grid)
        two = kind == "two-way"
        num, den = _turnaround(seg, tdm, turnaround) if two else (1, 1)

        def at(array: np.ndarray, t: np.ndarray) -> np.ndarray:
            return array[0][np.searchsorted(grid, t)]

        for key in wanted:
            t = times[key]
            measured = seg.values[keywords == key]
            if key == "RANGE":
                pred = 0.5 * (at(geo.upleg_range_km, t) + at(geo.downleg_range_km, t)) if two else \
                    at(geo.downleg_range_km, t)
            elif key.startswith("DOPPLER"):
                pred = 0.5 * (at(geo.upleg_range_rate_km_s, t) + at(geo.range_rate_km_s, t)) if two else \
                    at(geo.range_rate_km_s, t)
            elif key == "ANGLE_1":
                pred = at(geo.azimuth_deg, t)
            elif key == "ANGLE_2":
                pred = at(geo.elevation_deg, t)
            else:  # a received frequency
                source = "TRANSMIT_FREQ_1" if two else "TRANSMIT_FREQ_2"
                if source not in seg.keywords:
                    report.not_compared[key] = report.not_compared.get(key, 0) + len(t)
                    on_warning(f"{tdm.path}:{seg.line}: {key} not compared: no {source} in the segment")
                    continue
                ft, fv = seg.series(source)
                if two:
                    sent = _in_effect(ft, fv, at(geo.transmit_times_unix, t))
                    pred = sent * (num / den) * at(geo.upleg_doppler_ratio, t) * at(geo.downleg_doppler_ratio, t)
                else:
                    sent = _in_effect(ft, fv, at(geo.emission_times_unix, t))
                    pred = sent * at(geo.downleg_doppler_ratio, t)
            report.series.append(ResidualSeries(antenna.id, key, UNITS[key], kind, t, measured, pred))
    report.not_compared = {k: v for k, v in report.not_compared.items() if v}
    return report


def plot_residuals(report: ResidualReport, path, title: str = "") -> None:
    """A PNG of the residuals over time: one panel per observable, one line per station."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    keys = list(dict.fromkeys(s.observable for s in report.series))
    if not keys:
        raise CcsdsError(str(path), "no residual to draw: the TDM holds no observable groundnet predicts")
    t0 = min(float(s.times_unix.min()) for s in report.series)
    fig, axes = plt.subplots(len(keys), 1, figsize=(9, 2.4 * len(keys) + 0.8), sharex=True, squeeze=False)
    for ax, key in zip(axes[:, 0], keys):
        for s in (s for s in report.series if s.observable == key):
            ax.plot((s.times_unix - t0) / 3600.0, s.reported, ".", markersize=3, label=f"{s.station} ({s.path})")
        unit = RESIDUAL_UNITS[UNITS[key]][0]
        ax.set_ylabel(f"{key}\n[{unit}]", fontsize=8)
        ax.axhline(0.0, color="0.6", linewidth=0.8)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="upper right")
    axes[-1, 0].set_xlabel(f"hours since {format_utc(t0)}")
    fig.suptitle(title or f"TDM residuals (measured - predicted): {report.object_name}", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
