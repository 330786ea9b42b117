// The launch view: a bundled launch scenario replayed with the board's clock. The server computed
// everything (docs/leop.md): who acquires first and when, the coverage of the first orbits, the
// dispersions, the events, the ground track. The page only places the moment shown among them.
import { normalizeAntenna } from "./api";
import { clear, h } from "./dom";
import { dateTime, degrees, duration, figure, hhmmss, hoursMinutes, localBeside, localZoneName, rangeKm, utcAndLocal, zoneLabel } from "./format";
import { WorldMap } from "./map";
import type { AntennaState, Board, LeopEvent, LeopLaunch, LeopReport, SpacecraftState, TrackPoint } from "./contract";

export const LAUNCH_CRAFT_ID = "leop"; // the launched spacecraft's id on the launch map
const EARTH_RADIUS_KM = 6378.137;

const EVENT_LABEL: Record<string, string> = {
  liftoff: "Lift-off",
  separation: "Separation",
  transmitter_on: "Transmitter on",
  first_signal_expected: "First signal expected",
  first_aos: "First AOS",
  aos: "AOS",
  los: "LOS",
  gap_start: "Gap: no station in view",
  gap_end: "Gap ends",
  analysis_end: "End of the analysis",
};

/** "T+11:57:18" (or "T−00:05:00" before lift-off): the time since lift-off as launch teams say it. */
export function missionTime(ms: number, liftoffMs: number): string {
  const s = Math.round((ms - liftoffMs) / 1000);
  const a = Math.abs(s);
  const hms = `${Math.floor(a / 3600)}:${String(Math.floor(a / 60) % 60).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
  return `T${s < 0 ? "−" : "+"}${hms}`;
}

const ms = (iso: string) => Date.parse(iso);

interface Moments {
  liftoff: number;
  separation: number;
  switchOn: number;
  firstAos: number | null;
  end: number;
}

export class LaunchView {
  private report: LeopReport | null = null;
  private launch: LeopLaunch | null = null;
  private moments: Moments | null = null;
  private signature = "";
  private drawnWidth = 0; // the coverage's width when its lanes were drawn
  private readonly cursor: HTMLElement;
  private readonly lanes: HTMLElement;

  constructor(
    private readonly el: { status: HTMLElement; events: HTMLElement; table: HTMLElement; coverage: HTMLElement },
    private readonly map: WorldMap,
    private readonly onJump: (ms: number) => void,
  ) {
    this.lanes = h("div", { class: "tl-body" });
    this.cursor = h("div", { class: "lc-cursor", "aria-hidden": "true" });
    el.coverage.append(h("div", { class: "timeline lc-timeline" }, this.lanes, this.cursor));
    // The hour labels follow the lanes' width: drawn again when it changes (a phone turned, the view shown).
    new ResizeObserver(() => {
      if (this.report && Math.abs(el.coverage.clientWidth - this.drawnWidth) > 24) this.drawCoverage();
    }).observe(el.coverage);
  }

  get loaded(): LeopReport | null {
    return this.report;
  }

  /** Lift-off and the end of the analysis of the launch shown: the span worth replaying. */
  span(): { start: number; end: number } | null {
    return this.moments ? { start: this.moments.liftoff, end: this.moments.end } : null;
  }

  setReport(report: LeopReport): void {
    this.report = report;
    this.launch = report.launches[0] ?? null;
    const l = this.launch;
    this.moments = l && {
      liftoff: ms(l.launch),
      separation: ms(l.separation),
      switchOn: ms(l.switch_on),
      firstAos: l.acquisitions.length ? ms(l.acquisitions[0].aos) : null,
      end: ms(l.coverage.end),
    };
    const site = report.scenario.launch_site;
    this.map.setPlaces(site ? [{ ...site, label: site.name.split("(")[0].trim() }] : []);
    this.map.select(l?.first_station ?? null);
    this.signature = "";
    this.drawTable();
    this.drawCoverage();
  }

  /** The zone of the times shown changed: the table and the coverage again. */
  redraw(now: number): void {
    if (!this.report) return;
    this.signature = "";
    this.drawTable();
    this.drawCoverage();
    this.render(now);
  }

  render(now: number): void {
    const l = this.launch;
    const m = this.moments;
    if (!l || !m || !this.report) return;
    const board = this.boardAt(now);
    this.map.chooseSpacecraft(LAUNCH_CRAFT_ID);
    const point = board.spacecraft[0];
    this.map.setTracks(new Map(point ? [[LAUNCH_CRAFT_ID, { spacecraft_id: LAUNCH_CRAFT_ID, points: l.ground_track?.points ?? [], footprint_radius_deg: footprintDeg(point.altitude_km) }]] : []));
    this.map.update(board, now);
    this.map.drawSun(now);
    this.drawStatus(now, board);
    // The moving parts only; the rest is redrawn when what it shows changes.
    const inView = board.antennas.filter((a) => a.activity === "tracking").map((a) => a.id);
    const next = this.eventIndex(now);
    const sig = `${inView.join(",")}|${next}`;
    if (sig !== this.signature) {
      this.signature = sig;
      for (const row of this.el.table.querySelectorAll<HTMLElement>("tr[data-station-id]")) {
        row.classList.toggle("current", inView.includes(row.dataset.stationId ?? ""));
      }
      this.drawEvents(now);
    }
    const w = this.coverageWindow();
    const f = (now - w.start) / (w.end - w.start);
    this.cursor.style.setProperty("--x", String(Math.min(1, Math.max(0, f))));
    this.cursor.hidden = f < 0 || f > 1;
    this.cursor.dataset.label = missionTime(now, m.liftoff);
  }

  /** The scenario's stations and spacecraft at a moment, in the board's own shape, for the map. */
  private boardAt(now: number): Board {
    const l = this.launch as LeopLaunch;
    const m = this.moments as Moments;
    const sc = this.report!.scenario;
    const afterSwitchOn = now >= m.switchOn;
    const inPass = (id: string) => l.coverage.passes.some((p) => p.station_id === id && ms(p.aos) <= now && now < ms(p.los ?? l.coverage.end));
    const target = [{ spacecraft_id: LAUNCH_CRAFT_ID, name: sc.spacecraft }];
    const antennas: AntennaState[] = sc.antennas.map((a) => {
      let state: Partial<AntennaState> = {};
      if (afterSwitchOn && inPass(a.id)) {
        state = { activity: "tracking", targets: target, downlink: { band: sc.downlink_band, frequency_hz: sc.downlink_hz, data_rate_bps: null, signal: "carrier" } };
      } else if (a.id === l.first_station && now >= m.separation && (m.firstAos == null || now < m.firstAos)) {
        state = { activity: "setup", targets: target }; // pointing where the first signal is expected
      }
      return normalizeAntenna({ ...a, ...state });
    });
    const p = trackPoint(l.ground_track?.points ?? [], now);
    const spacecraft: SpacecraftState[] = p
      ? [{
          id: LAUNCH_CRAFT_ID, name: sc.spacecraft, kind: "leop", latitude_deg: p.latitude_deg, longitude_deg: p.longitude_deg,
          altitude_km: p.altitude_km, geocentric_km: p.altitude_km + EARTH_RADIUS_KM,
          in_view_of: antennas.filter((a) => a.activity === "tracking").map((a) => a.id),
        }]
      : [];
    const iso = new Date(now).toISOString();
    return { time: iso, mode: "replay", speed: 1, generated_at: iso, antennas, spacecraft };
  }

  /** Index of the next event of the timeline after `now` (its length at the end). */
  private eventIndex(now: number): number {
    const events = this.launch?.timeline ?? [];
    const i = events.findIndex((e) => ms(e.time) > now);
    return i < 0 ? events.length : i;
  }

  private drawStatus(now: number, board: Board): void {
    const l = this.launch as LeopLaunch;
    const m = this.moments as Moments;
    const tracking = board.antennas.filter((a) => a.activity === "tracking").map((a) => a.id);
    let phase: string;
    let cls: string;
    if (now < m.liftoff) [phase, cls] = ["Before lift-off", "idle"];
    else if (now < m.separation) [phase, cls] = ["Climbing with the upper stage", "idle"];
    else if (now < m.switchOn) [phase, cls] = ["Separated · transmitter off", "setup"];
    else if (m.firstAos == null) [phase, cls] = ["Transmitter on · no station acquires", "outage"];
    else if (now < m.firstAos) [phase, cls] = ["Transmitter on · waiting for the first signal", "setup"];
    else if (now > m.end) [phase, cls] = ["End of the analysis", "idle"];
    else if (tracking.length) [phase, cls] = [`Signal: ${tracking.join(", ")}`, "tracking"];
    else [phase, cls] = ["Gap: no station in view", "outage"];

    const events = l.timeline;
    const next = events[this.eventIndex(now)];
    const point = board.spacecraft[0];
    const first = l.acquisitions[0];
    const facts: [string, string][] = [
      ["UTC", dateTime(now, true, "utc")],
      ...(localBeside() ? [[zoneLabel(now, "local"), `${dateTime(now, true, "local")} (${localZoneName()})`] as [string, string]] : []),
      ["Next", next ? `${eventText(next)} in ${duration((ms(next.time) - now) / 1000)}` : "—"],
      ["Height", point ? rangeKm(point.altitude_km) : now < m.separation ? "on the upper stage (not modelled)" : "—"],
      ["Sub-point", point ? `${degrees(point.latitude_deg)} lat, ${degrees(point.longitude_deg)} lon` : "—"],
      ["First signal", first ? `${first.station_id} at ${utcAndLocal(ms(first.aos))} (${missionTime(ms(first.aos), m.liftoff)})` : "none within the analysis"],
    ];
    const box = this.el.status;
    box.className = `lc-status act-${cls}`;
    box.replaceChildren(
      h("div", { class: "lc-met" }, h("span", { class: "lc-met-time num" }, missionTime(now, m.liftoff)), h("span", { class: "lc-phase", role: "status" }, phase)),
      h("dl", { class: "facts wide" }, ...facts.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
    );
  }

  private drawEvents(now: number): void {
    const l = this.launch as LeopLaunch;
    const m = this.moments as Moments;
    const shown = l.timeline.filter((e) => e.event !== "first_signal_expected"); // the first AOS row says it
    const next = shown.findIndex((e) => ms(e.time) > now);
    const items = shown
      .map((e, i) => {
        const t = ms(e.time);
        const past = t <= now;
        return h("li", { class: `lc-event ev-${e.event}${past ? " past" : ""}${i === next ? " next" : ""}`, "aria-current": i === next ? "step" : null },
          h("button", { type: "button", class: "linkish", onclick: () => this.onJump(t), title: `Replay from ${dateTime(e.time, true, "utc")} UTC${localBeside() ? ` (${dateTime(e.time, true, "local")} ${zoneLabel(t, "local")})` : ""}` },
            h("span", { class: "num lc-event-t" }, missionTime(t, m.liftoff)),
            h("span", { class: "lc-event-what" }, eventText(e))));
      });
    this.el.events.replaceChildren(h("ol", { class: "lc-events" }, ...items));
    // Keep the next event in sight where the list scrolls beside the map (not on a phone, where it
    // would move the page under the reader's finger).
    const scroller = this.el.events.closest<HTMLElement>(".side-inner");
    const li = items[next];
    if (li && scroller && getComputedStyle(scroller).position === "absolute") {
      const top = li.offsetTop - scroller.offsetTop;
      if (top < scroller.scrollTop || top + li.offsetHeight > scroller.scrollTop + scroller.clientHeight) {
        scroller.scrollTop = Math.max(0, top - scroller.clientHeight / 2);
      }
    }
  }

  private drawTable(): void {
    const l = this.launch;
    const m = this.moments;
    clear(this.el.table);
    if (!l || !m || !this.report) return;
    const sc = this.report.scenario;
    // Units in the headers, figures alone in the cells: the table fits beside the coverage on a laptop,
    // and a phone shows each row as a block of labelled figures (the header as each cell's label).
    // AOS in UTC, the local time under it when it is shown beside UTC.
    const local = localBeside() ? zoneLabel(m.liftoff, "local") : null;
    const columns: [string, string][] = [["AOS", local ? `UTC · ${local}` : "UTC"], ["From lift-off", ""], ["Az", "°"], ["El", "°"],
      ["Range", "km"], ["Range rate", "km/s"], ["Doppler", "kHz"], ["Pass", "h:min"]];
    const head = [h("th", { scope: "col" }, "Station"),
      ...columns.map(([name, unit]) => h("th", { scope: "col" }, name, unit ? h("small", { class: "unit" }, unit) : ""))];
    const cell = (i: number, title: string | null, ...content: (string | HTMLElement)[]) =>
      h("td", { class: "num", title, "data-label": columns[i][1] ? `${columns[i][0]} (${columns[i][1]})` : columns[i][0] }, ...content);
    const liftoffDay = Math.floor(m.liftoff / 86400_000);
    const rows = l.acquisitions.map((a, i) =>
      h("tr", { "data-station-id": a.station_id, class: i === 0 ? "first" : "" },
        h("th", { scope: "row", title: a.station_name }, h("button", { type: "button", class: "linkish", onclick: () => this.onJump(ms(a.aos)) }, a.station_id),
          i === 0 ? h("span", { class: "pill act-tracking lc-first" }, "first") : ""),
        cell(0, `${dateTime(a.aos, true, "utc")} UTC`, hhmmss(ms(a.aos), "utc"), dayMark(Math.floor(ms(a.aos) / 86400_000) - liftoffDay),
          local ? h("small", { class: "alt-zone", "data-zone": "local" }, hhmmss(ms(a.aos), "local")) : ""),
        cell(1, null, missionTime(ms(a.aos), m.liftoff), a.in_view_at_switch_on ? h("abbr", { title: "in view when the transmitter comes on" }, " *") : ""),
        cell(2, null, figure(a.azimuth_deg, 1)),
        cell(3, null, figure(a.elevation_deg, 1)),
        cell(4, null, figure(a.range_km)),
        cell(5, null, figure(a.range_rate_km_s, 3)),
        cell(6, null, figure(a.doppler_hz / 1000, 1)),
        a.pass_duration_s == null
          ? cell(7, `still in view at the end of the analysis: at least ${duration((m.end - ms(a.aos)) / 1000)}`, `≥ ${hoursMinutes((m.end - ms(a.aos)) / 1000)}`)
          : cell(7, duration(a.pass_duration_s), hoursMinutes(a.pass_duration_s))));
    const d = l.dispersion;
    const spread = d?.first_aos;
    const share = d ? Object.entries(d.first_station_share).map(([k, v]) => `${k} ${Math.round(100 * v)} %`).join(", ") : "";
    this.el.table.append(
      h("h2", {}, "Acquisition after switch-on"),
      h("p", { class: "muted lc-about" }, `${sc.spacecraft} · lift-off ${dateTime(l.launch, true, "utc")} UTC${local ? ` (${dateTime(l.launch, true, "local")} ${local})` : ""} · ${sc.description}`),
      rows.length
        ? h("div", { class: "table-wrap" }, h("table", { class: "lc-table blocks-on-phone" },
            h("thead", {}, h("tr", {}, ...head)),
            h("tbody", {}, ...rows)))
        : h("p", { class: "warn" }, "No station of the scenario acquires within the analysis."),
      h("p", { class: "muted note" }, `Geometry at AOS; Doppler on the ${(sc.downlink_hz / 1e9).toFixed(2)} GHz downlink; * in view when the transmitter comes on.`),
      d && spread?.earliest && spread.latest && spread.earliest_from_liftoff_s != null && spread.latest_from_liftoff_s != null
        ? h("p", { class: "lc-dispersion" },
            h("strong", {}, "Dispersions "), `(${d.method.replace("_", " ")}, ${d.samples} samples): first AOS earliest `,
            h("span", { class: "num" }, `${utcAndLocal(ms(spread.earliest))} (${missionTime(ms(spread.earliest), m.liftoff)})`),
            ", latest ", h("span", { class: "num" }, `${utcAndLocal(ms(spread.latest))} (${missionTime(ms(spread.latest), m.liftoff)})`),
            `, spread ${duration(spread.spread_s ?? 0)}; first station ${share}`,
            d.samples_without_acquisition ? `; ${d.samples_without_acquisition} samples never acquired` : "", ".")
        : "",
    );
  }

  /** The coverage timeline's span: from just before separation (the climb before it has no signal
   * to show) to the end of the analysis. */
  private coverageWindow(): { start: number; end: number } {
    const m = this.moments as Moments;
    return { start: m.separation - 0.05 * (m.end - m.separation), end: m.end };
  }

  /** One row per station from separation to the end of the analysis: its passes, then the network's gaps. */
  private drawCoverage(): void {
    const l = this.launch;
    const m = this.moments;
    clear(this.lanes);
    if (!l || !m || !this.report) return;
    const { start, end } = this.coverageWindow();
    const span = end - start;
    const pct = (t: number) => (100 * (Math.min(end, Math.max(start, t)) - start)) / span;
    const place = (el: HTMLElement, a: number, b: number) => {
      el.style.left = `${pct(a)}%`;
      el.style.width = `${Math.max(0.3, pct(b) - pct(a))}%`;
      return el;
    };
    const lane = (...children: HTMLElement[]) => {
      const el = h("div", { class: "tl-lane" }, ...children);
      // a click on the lane (not on a pass) replays from that moment
      el.addEventListener("click", (ev) => {
        if ((ev.target as HTMLElement).closest("button")) return;
        const box = el.getBoundingClientRect();
        this.onJump(start + ((ev.clientX - box.left) / box.width) * span);
      });
      return el;
    };
    const dark = () => place(h("div", { class: "lc-dark", title: "transmitter off" }), start, m.switchOn);

    // axis: whole hours after lift-off
    // As many hour labels as the lane's width holds (one per 64 px), none beside the separation and
    // switch-on marks nor where it would run past the lane's end (44 px).
    const ticks = h("div", { class: "tl-lane tl-ticks", "aria-hidden": "true" });
    this.lanes.append(h("div", { class: "tl-row tl-axis" }, h("div", { class: "tl-name" }, ""), ticks));
    const px = ticks.clientWidth || 640; // hidden: drawn again when shown
    this.drawnWidth = this.el.coverage.clientWidth;
    const maxTicks = Math.max(3, Math.min(10, Math.floor(px / 64)));
    const stepH = [1, 2, 3, 4, 6, 12].find((x) => span / (x * 3600_000) <= maxTicks) ?? 24;
    const marked = (t: number) => [m.separation, m.switchOn].some((x) => Math.abs(x - t) < 0.04 * span) || ((end - t) / span) * px < 44;
    for (let t = m.liftoff + Math.ceil((start - m.liftoff) / (stepH * 3600_000)) * stepH * 3600_000; t <= end; t += stepH * 3600_000) {
      const tick = h("span", { class: "tl-tick major" }, marked(t) ? "" : `T+${Math.round((t - m.liftoff) / 3600_000)} h`);
      tick.style.left = `${pct(t)}%`;
      tick.title = utcAndLocal(t, false);
      ticks.append(tick);
    }
    // separation and switch-on: one mark when they are too close to label apart (Galileo: 60 s)
    const together = m.switchOn - m.separation < 0.06 * span;
    const marks: [number, string][] = together ? [[m.switchOn, "sep. · Tx on"]] : [[m.separation, "sep."], [m.switchOn, "Tx on"]];
    for (const [t, label] of marks) {
      const mark = h("span", { class: "lc-mark" }, label);
      mark.style.left = `${pct(t)}%`;
      ticks.append(mark);
    }

    const passes = new Map<string, LeopLaunch["coverage"]["passes"]>();
    for (const p of l.coverage.passes) passes.set(p.station_id, [...(passes.get(p.station_id) ?? []), p]);
    const order = [...this.report.scenario.antennas].sort((a, b) =>
      (passes.has(a.id) ? ms(passes.get(a.id)![0].aos) : Infinity) - (passes.has(b.id) ? ms(passes.get(b.id)![0].aos) : Infinity));
    for (const a of order) {
      const bars = (passes.get(a.id) ?? []).map((p) => {
        const aos = ms(p.aos);
        const los = p.los ? ms(p.los) : end;
        const label = `${a.id} in view from ${utcAndLocal(aos, false)} to ${p.los ? utcAndLocal(los, false) : "beyond the analysis"} (${duration(p.duration_s)})`;
        return place(h("button", { type: "button", class: `tl-contact st-pass lc-pass${p.los ? "" : " open"}`, "aria-label": label, title: label,
          "data-station-id": a.id, onclick: () => this.onJump(aos) }, h("span", { class: "tl-label" }, `${hoursMinutes(p.duration_s)} h`)), aos, los);
      });
      const extra: HTMLElement[] = [];
      const spread = l.dispersion?.per_station.find((s) => s.station_id === a.id);
      if (a.id === l.first_station && spread?.earliest && spread.latest) {
        extra.push(place(h("div", { class: "lc-spread", title: `first AOS with dispersions: ${utcAndLocal(ms(spread.earliest))} to ${utcAndLocal(ms(spread.latest))}` }),
          ms(spread.earliest), ms(spread.latest)));
      }
      this.lanes.append(h("div", { class: `tl-row${passes.has(a.id) ? "" : " lc-none"}`, "data-station-id": a.id },
        h("div", { class: "tl-name", title: a.name }, a.id), lane(dark(), ...bars, ...extra)));
    }
    const gaps = l.coverage.gaps.map((g) =>
      place(h("div", { class: "lc-gap", title: `no station in view from ${utcAndLocal(ms(g.start), false)} to ${utcAndLocal(ms(g.end), false)} (${duration(g.duration_s)})` }), ms(g.start), ms(g.end)));
    const covered = place(h("div", { class: "lc-covered" }), m.switchOn, end);
    const orbits = l.coverage.orbits ? ` over ${l.coverage.orbits.toFixed(1)} orbits` : "";
    this.lanes.append(h("div", { class: "tl-row lc-network" },
      h("div", { class: "tl-name", title: `${(100 * l.coverage.covered_fraction).toFixed(1)} % covered${orbits}` }, "network"),
      lane(dark(), covered, ...gaps)));
    this.el.coverage.querySelector(".lc-caption")?.remove();
    this.el.coverage.prepend(h("p", { class: "lc-caption muted" },
      `Coverage from switch-on${orbits}: ${(100 * l.coverage.covered_fraction).toFixed(1)} % `,
      l.coverage.gaps.length ? `with ${l.coverage.gaps.length} gap(s), the longest ${duration(l.coverage.longest_gap_s)}.` : "without a gap.",
      " Click a pass or the lane to replay from there."));
  }
}

function dayMark(days: number): HTMLElement | string {
  return days > 0 ? h("sup", { class: "muted", title: `${days} day(s) after lift-off` }, ` +${days} d`) : "";
}

function eventText(e: LeopEvent): string {
  const label = EVENT_LABEL[e.event] ?? e.event;
  if (e.event === "first_aos" || e.event === "aos") {
    return `${label} ${e.station_id}${e.elevation_deg != null ? ` (el ${e.elevation_deg.toFixed(0)}°, ${rangeKm(e.range_km)})` : ""}`;
  }
  if (e.event === "los") return `${label} ${e.station_id}`;
  if (e.event === "gap_start" && e.duration_s) return `${label} for ${duration(e.duration_s)}`;
  return label;
}

/** The sub-point at a moment, between the two samples around it (longitude across the date line). */
export function trackPoint(points: TrackPoint[], now: number): TrackPoint | null {
  if (points.length < 2 || now < ms(points[0].time) || now > ms(points[points.length - 1].time)) return null;
  let lo = 0;
  let hi = points.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (ms(points[mid].time) <= now) lo = mid;
    else hi = mid;
  }
  const a = points[lo];
  const b = points[hi];
  const f = (now - ms(a.time)) / Math.max(1, ms(b.time) - ms(a.time));
  const dLon = ((b.longitude_deg - a.longitude_deg + 540) % 360) - 180;
  return {
    time: new Date(now).toISOString(),
    latitude_deg: a.latitude_deg + f * (b.latitude_deg - a.latitude_deg),
    longitude_deg: ((a.longitude_deg + f * dLon + 540) % 360) - 180,
    altitude_km: a.altitude_km + f * (b.altitude_km - a.altitude_km),
  };
}

function footprintDeg(altitudeKm: number | null): number {
  if (altitudeKm == null || altitudeKm <= 0) return 0;
  return (Math.acos(EARTH_RADIUS_KM / (EARTH_RADIUS_KM + altitudeKm)) * 180) / Math.PI;
}
