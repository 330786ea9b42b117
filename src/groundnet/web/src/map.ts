// The world map: land from Natural Earth (world-atlas), day and night, stations by activity,
// spacecraft with ground tracks and footprints, and a line for every active link.
import { geoCircle, geoEquirectangular, geoGraticule10, geoPath } from "d3-geo";
import type { GeoPermissibleObjects } from "d3-geo";
import { feature, mesh } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import coarseWorldUrl from "world-atlas/countries-110m.json?url";
import fineWorldUrl from "world-atlas/countries-50m.json?url";
import { staleElements, staleText } from "./ages";
import { clear, s } from "./dom";
import { ACTIVITY_LABEL, known } from "./format";
import { LabelPlacer, clusterTexts, clusters, leader, textWidth } from "./maplabels";
import type { LabelFont, Placed } from "./maplabels";
import { groupSites } from "./sites";
import type { Site } from "./sites";
import { subsolarPoint } from "./sun";
import type { AntennaState, Board, GroundTrack, SpacecraftState } from "./contract";

const W = 1000;
const H = 500;
const TOP = 14; // crop the polar caps nobody tracks from: 85° N ...
const BOTTOM = 458; // ... to 75° S

const EARTH_ORBIT_MAX_KM = 100_000;
const HIGH_ORBIT_KM = 6_000; // above this a footprint covers a hemisphere: outline only
export const TRACK_HALF_SPAN_MS = 45 * 60_000;

export function isEarthOrbiter(sc: SpacecraftState): boolean {
  return sc.altitude_km != null && sc.altitude_km < EARTH_ORBIT_MAX_KM;
}

/** Spacecraft worth a ground track and a label: those an antenna works with, and the one chosen. */
export function focusSpacecraft(board: Board, chosen: string | null): Set<string> {
  const ids = new Set(board.antennas.flatMap((a) => a.targets.map((t) => t.spacecraft_id)));
  if (chosen) ids.add(chosen);
  return ids;
}

export function bandClass(band: string | null | undefined): string {
  const b = (band ?? "").toUpperCase();
  if (b === "S") return "band-s";
  if (b === "X") return "band-x";
  if (b === "KA" || b === "K") return "band-ka";
  return "band-other";
}

export interface MapOptions {
  /** How far before and after the moment shown a ground track is drawn (default ±45 min). */
  trackHalfSpanMs?: number;
  /** Draw the track of every chosen spacecraft, not only of Earth orbiters (a launch leaving the Earth). */
  anyOrbit?: boolean;
}

/** A fixed place on the map that is no antenna (a launch pad). */
export interface Place {
  latitude_deg: number;
  longitude_deg: number;
  label: string;
}

export class WorldMap {
  readonly svg: SVGSVGElement;
  private readonly projection = geoEquirectangular().fitExtent([[0, 0], [W, H]], { type: "Sphere" });
  private readonly path = geoPath(this.projection);
  private readonly layers: Record<string, SVGGElement> = {};
  private tracks = new Map<string, GroundTrack>();
  private scale = 1;
  private selected: string | null = null;
  private chosenSpacecraft: string | null = null;
  private roving: string | null = null; // the one station marker in the Tab order; arrows move it
  private lastBoard: Board | null = null;
  private lastTime = 0;
  private places: Place[] = [];

  constructor(container: HTMLElement, private readonly onSelect: (stationId: string) => void, private readonly options: MapOptions = {}) {
    this.svg = s("svg", {
      viewBox: `0 ${TOP} ${W} ${BOTTOM - TOP}`,
      class: "world",
      role: "group",
      "aria-label": "World map of stations, spacecraft and links; arrow keys move between stations",
      preserveAspectRatio: "xMidYMid meet",
    });
    for (const name of ["ocean", "land", "night", "places", "tracks", "links", "stations", "spacecraft", "labels"]) {
      this.layers[name] = s("g", { class: `layer-${name}` });
      this.svg.append(this.layers[name]);
    }
    this.layers.ocean.append(
      s("path", { class: "sphere", d: this.path({ type: "Sphere" }) ?? "" }),
      s("path", { class: "graticule", d: this.path(geoGraticule10()) ?? "" }),
    );
    container.append(this.svg);
    new ResizeObserver(() => {
      const width = this.svg.getBoundingClientRect().width || W;
      const scale = Math.min(2.6, Math.max(1, 900 / width));
      if (Math.abs(scale - this.scale) > 0.05) {
        this.scale = scale;
        this.svg.style.setProperty("--k", String(scale));
        if (this.lastBoard) this.update(this.lastBoard, this.lastTime);
        if (this.places.length) this.setPlaces(this.places);
      }
    }).observe(container);
  }

  /** Natural Earth land and borders: the coarse 1:110m map first (fast), then the 1:50m one. */
  async loadWorld(fine = false): Promise<void> {
    const response = await fetch(fine ? fineWorldUrl : coarseWorldUrl);
    const world = (await response.json()) as Topology<{ countries: GeometryCollection; land: GeometryCollection }>;
    const land = feature(world, world.objects.land);
    const borders = mesh(world, world.objects.countries, (a, b) => a !== b);
    this.layers.land.replaceChildren(
      s("path", { class: "land", d: this.path(land as GeoPermissibleObjects) ?? "", "data-scale": fine ? "50m" : "110m" }),
      s("path", { class: "borders", d: this.path(borders) ?? "" }),
    );
  }

  /** The spacecraft the viewer picked: it gets a track and a label even when no antenna works with it. */
  chooseSpacecraft(id: string | null): void {
    this.chosenSpacecraft = id;
  }

  setTracks(tracks: Map<string, GroundTrack>): void {
    this.tracks = tracks;
    if (this.lastBoard) this.drawSpacecraft(this.lastBoard, this.lastTime);
  }

  setPlaces(places: Place[]): void {
    this.places = places;
    clear(this.layers.places);
    const k = this.scale;
    for (const p of places) {
      const xy = this.xy(p.longitude_deg, p.latitude_deg);
      if (!xy) continue;
      const r = 5 * k;
      this.layers.places.append(
        s("g", { class: "place", transform: `translate(${xy[0].toFixed(1)},${xy[1].toFixed(1)})` },
          s("path", { d: `M0,${-r}L${r * 0.87},${r * 0.5}L${-r * 0.87},${r * 0.5}Z` }),
          s("text", { x: 0, y: -r - 3 * k, "text-anchor": "middle" }, p.label), // above: a station may share the spot
          s("title", {}, p.label)),
      );
    }
  }

  select(stationId: string | null): void {
    this.selected = stationId;
    for (const el of this.svg.querySelectorAll<SVGElement>("[data-station-id]")) {
      el.classList.toggle("selected", el.dataset.stationId === stationId);
    }
  }

  /** Day and night: shaded caps where the Sun is below 0°, -6°, -12° and -18°. */
  drawSun(timeMs: number): void {
    const sun = subsolarPoint(timeMs);
    const anti: [number, number] = [sun.longitude_deg + 180, -sun.latitude_deg];
    clear(this.layers.night);
    const day = geoCircle().center([sun.longitude_deg, sun.latitude_deg]).radius(90).precision(2)();
    this.layers.night.append(s("path", { class: "day", d: this.path(day) ?? "" }));
    for (const radius of [90, 84, 78, 72]) {
      const cap = geoCircle().center(anti).radius(radius).precision(2)();
      this.layers.night.append(s("path", { class: "night", d: this.path(cap) ?? "" }));
    }
    const [x, y] = this.projection([sun.longitude_deg, sun.latitude_deg]) ?? [0, 0];
    this.layers.night.append(
      s("circle", { class: "sun", cx: x, cy: y, r: 4.5 * this.scale }, s("title", {}, "Subsolar point")),
    );
  }

  update(board: Board, timeMs: number): void {
    this.lastBoard = board;
    this.lastTime = timeMs;
    this.drawStations(board);
    this.drawSpacecraft(board, timeMs);
    this.drawLabels(board, timeMs);
  }

  private xy(lon: number | null, lat: number | null): [number, number] | null {
    if (lon == null || lat == null) return null;
    return this.projection([lon, lat]) ?? null;
  }

  private drawStations(board: Board): void {
    const k = this.scale;
    // Markers are redrawn with every board: a keyboard user's focus must survive that.
    const focused = (document.activeElement as SVGElement | null)?.closest?.("[data-station-id]") as SVGElement | null;
    const refocus = focused && this.layers.stations.contains(focused) ? focused.dataset.stationId : null;
    clear(this.layers.stations);
    for (const site of groupSites(board.antennas)) {
      const centre = this.xy(site.longitude_deg, site.latitude_deg);
      if (!centre) continue;
      const n = site.antennas.length;
      const ring = siteRing(n, k);
      site.antennas.forEach((a, i) => {
        const angle = (2 * Math.PI * i) / n - Math.PI / 2;
        const x = centre[0] + ring * Math.cos(angle);
        const y = centre[1] + ring * Math.sin(angle);
        this.layers.stations.append(this.stationMarker(a, x, y, k));
      });
    }
    this.select(this.selected);
    const markers = [...this.layers.stations.querySelectorAll<SVGElement>("[data-station-id]")];
    const current = markers.find((m) => m.dataset.stationId === (this.roving ?? this.selected)) ?? markers[0];
    current?.setAttribute("tabindex", "0");
    if (refocus) markers.find((m) => m.dataset.stationId === refocus)?.focus();
  }

  /** Every label of the map, none over another, over a marker or past the map's edge. First the sites at
   * work, then the spacecraft they work with (one label for craft drawn on top of each other, such as
   * those at Mars: "MEX, TGO, MRO"), then the idle sites where room is left. */
  private drawLabels(board: Board, timeMs: number): void {
    const k = this.scale;
    clear(this.layers.labels);
    const family = getComputedStyle(this.svg).fontFamily || "sans-serif";
    const placer = new LabelPlacer({ x0: 0, y0: TOP, x1: W, y1: BOTTOM }, family, 1.5 * k);
    const siteFont = (active: boolean): LabelFont => ({ size: 10.5 * k, weight: active ? 600 : 400 });
    const craftFont: LabelFont = { size: 9.5 * k, weight: 600 };

    for (const p of this.places) {
      const xy = this.xy(p.longitude_deg, p.latitude_deg);
      if (!xy) continue;
      const font = { size: 9.5 * k, weight: 400 };
      placer.blockMarker(xy[0], xy[1], 5 * k);
      placer.block(placer.box(xy[0], xy[1] - 8 * k, "middle", textWidth(p.label, font, family), font));
    }
    const sites = groupSites(board.antennas)
      .map((site) => ({ site, centre: this.xy(site.longitude_deg, site.latitude_deg), ring: siteRing(site.antennas.length, k) }))
      .filter((x): x is { site: Site; centre: [number, number]; ring: number } => x.centre != null);
    for (const { centre, ring } of sites) placer.blockMarker(centre[0], centre[1], ring + 4.5 * k);

    const focus = focusSpacecraft(board, this.chosenSpacecraft);
    const shown = board.spacecraft
      .filter((sc) => focus.has(sc.id))
      .map((sc) => ({ sc, p: this.xy(sc.longitude_deg, sc.latitude_deg), r: craftRadius(sc, true, k) }))
      .filter((x): x is { sc: SpacecraftState; p: [number, number]; r: number } => x.p != null);
    for (const { p, r } of shown) placer.blockMarker(p[0], p[1], r * 1.3);

    // A label away from its marker gets a leader line to it (the marker's centre at (x, y), radius r).
    const label = (text: string, box: Placed, cls: string, x: number, y: number, r: number, extra: Record<string, string> = {}): void => {
      const el = s("text", { class: cls, x: box.tx.toFixed(1), y: box.ty.toFixed(1), "text-anchor": box.anchor, "aria-hidden": "true", ...extra }, text);
      this.layers.labels.append(el);
      if (getComputedStyle(el).display === "none") return; // a label the screen hides keeps no room
      placer.take(box);
      if (box.ring > 1) {
        const [x1, y1, x2, y2] = leader(x, y, r, box, 1.5 * k);
        this.layers.labels.prepend(s("line", { class: `label-leader${cls.startsWith("craft") ? " to-craft" : ""}`, x1: x1.toFixed(1), y1: y1.toFixed(1), x2: x2.toFixed(1), y2: y2.toFixed(1), "aria-hidden": "true" }));
      }
    };
    const siteLabel = ({ site, centre, ring }: (typeof sites)[number]) => {
      const active = activeCount(site.antennas) > 0;
      const text = site.antennas.length > 1 ? `${site.name} ×${site.antennas.length}` : site.name;
      const box = placer.place(centre[0], centre[1], text, ring + 6 * k, siteFont(active));
      if (box) label(text, box, `site-label${active ? " active" : ""}`, centre[0], centre[1], ring + 4.5 * k);
    };
    sites.sort((a, b) => activeCount(b.site.antennas) - activeCount(a.site.antennas));
    for (const site of sites) if (activeCount(site.site.antennas) > 0) siteLabel(site);

    // The biggest clusters first: the craft at Mars before a lone orbiter.
    for (const group of clusters(shown, (x) => x.p, 11 * k).sort((a, b) => b.length - a.length)) {
      group.sort((a, b) => a.sc.id.localeCompare(b.sc.id));
      const x = group.reduce((sum, g) => sum + g.p[0], 0) / group.length;
      const y = group.reduce((sum, g) => sum + g.p[1], 0) / group.length;
      const reach = Math.max(...group.map((g) => Math.hypot(g.p[0] - x, g.p[1] - y) + g.r));
      const texts = group.length === 1 ? [group[0].sc.name, group[0].sc.id] : clusterTexts(group.map((g) => g.sc.id));
      const stale = group.some((g) => staleElements(g.sc.id, timeMs));
      for (const text of texts) {
        const box = placer.place(x, y, text, reach + 4 * k, craftFont);
        if (!box) continue;
        label(text, box, `craft-label in-view${stale ? " stale" : ""}${group.length > 1 ? " cluster" : ""}`, x, y, reach,
          { "data-spacecraft-ids": group.map((g) => g.sc.id).join(" ") });
        break;
      }
    }
    for (const site of sites) if (activeCount(site.site.antennas) === 0) siteLabel(site);
  }

  /** Arrow keys walk the station markers (one Tab stop for the whole map). */
  private moveFocus(from: string, step: number): void {
    const markers = [...this.layers.stations.querySelectorAll<SVGElement>("[data-station-id]")];
    const i = markers.findIndex((m) => m.dataset.stationId === from);
    const next = markers[(i + step + markers.length) % markers.length];
    if (!next) return;
    markers[i]?.setAttribute("tabindex", "-1");
    next.setAttribute("tabindex", "0");
    this.roving = next.dataset.stationId ?? null;
    next.focus();
  }

  private stationMarker(a: AntennaState, x: number, y: number, k: number): SVGGElement {
    const target = a.targets.map((t) => t.name).join(", ");
    const label = `${a.id} ${a.name}: ${ACTIVITY_LABEL[a.activity] ?? a.activity}${target ? ` ${target}` : ""}`;
    const g = s("g", {
      class: `station act-${a.activity}${a.reported_activity && a.reported_activity !== a.activity ? " mismatch" : ""}`,
      "data-station-id": a.id,
      "data-activity": a.activity,
      transform: `translate(${x.toFixed(1)},${y.toFixed(1)})`,
      tabindex: -1,
      role: "button",
      "aria-label": label,
      onclick: () => this.onSelect(a.id),
      onkeydown: ((ev: KeyboardEvent) => {
        if (ev.key === "Enter" || ev.key === " ") {
          ev.preventDefault();
          this.onSelect(a.id);
        } else if (ev.key.startsWith("Arrow")) {
          ev.preventDefault();
          this.moveFocus(a.id, ev.key === "ArrowRight" || ev.key === "ArrowDown" ? 1 : -1);
        }
      }) as EventListener,
    });
    if (a.activity === "tracking") g.append(s("circle", { class: "pulse", r: 4 * k }));
    g.append(s("circle", { class: "dot", r: 3.4 * k }), s("title", {}, label));
    return g;
  }

  private drawSpacecraft(board: Board, timeMs: number): void {
    const k = this.scale;
    clear(this.layers.tracks);
    clear(this.layers.links);
    clear(this.layers.spacecraft);
    const byId = new Map(board.spacecraft.map((sc) => [sc.id, sc]));
    const focus = focusSpacecraft(board, this.chosenSpacecraft);

    const halfSpan = this.options.trackHalfSpanMs ?? TRACK_HALF_SPAN_MS;
    for (const sc of board.spacecraft) {
      if (!(isEarthOrbiter(sc) || this.options.anyOrbit) || !focus.has(sc.id)) continue;
      const track = this.tracks.get(sc.id);
      if (!track || track.points.length < 2) continue;
      const past: [number, number][] = [];
      const future: [number, number][] = [];
      for (const p of track.points) {
        const t = Date.parse(p.time);
        if (Math.abs(t - timeMs) > halfSpan) continue;
        const pt: [number, number] = [p.longitude_deg, p.latitude_deg];
        if (t <= timeMs) past.push(pt);
        else future.push(pt);
      }
      if (past.length && future.length) future.unshift(past[past.length - 1]);
      if (past.length > 1) this.layers.tracks.append(s("path", { class: "track past", d: this.path({ type: "LineString", coordinates: past }) ?? "" }));
      if (future.length > 1) this.layers.tracks.append(s("path", { class: "track future", d: this.path({ type: "LineString", coordinates: future }) ?? "" }));
      const radius = track.footprint_radius_deg;
      if (sc.longitude_deg != null && sc.latitude_deg != null && radius != null && radius > 0) {
        const footprint = geoCircle().center([sc.longitude_deg, sc.latitude_deg]).radius(radius).precision(2)();
        const high = (sc.altitude_km ?? 0) > HIGH_ORBIT_KM;
        this.layers.tracks.append(s("path", { class: `footprint${high ? " high" : ""}`, d: this.path(footprint) ?? "" }));
      }
    }

    for (const a of board.antennas) {
      for (const t of a.targets) {
        const sc = byId.get(t.spacecraft_id);
        if (!sc || sc.longitude_deg == null || sc.latitude_deg == null) continue;
        const line = { type: "LineString" as const, coordinates: [[a.longitude_deg, a.latitude_deg], [sc.longitude_deg, sc.latitude_deg]] };
        const d = this.path(line) ?? "";
        const linkId = `${a.id}:${sc.id}`;
        const age = staleElements(sc.id, timeMs);
        const note = age ? ` (${staleText(age)})` : "";
        if (a.downlink && a.downlink.signal !== "none") {
          this.layers.links.append(
            s("path", { class: `link down ${bandClass(a.downlink.band)}`, d, "data-link": linkId, "data-direction": "down" },
              s("title", {}, `${sc.name} → ${a.id} downlink, ${known(a.downlink.band, "unknown")} band${note}`)),
          );
        }
        if (a.uplink && a.uplink.signal !== "none") {
          this.layers.links.append(
            s("path", { class: `link up ${bandClass(a.uplink.band)}`, d, "data-link": linkId, "data-direction": "up" },
              s("title", {}, `${a.id} → ${sc.name} uplink, ${known(a.uplink.band, "unknown")} band${note}`)),
          );
        }
        if ((!a.downlink || a.downlink.signal === "none") && (!a.uplink || a.uplink.signal === "none")) {
          // Antenna time on the spacecraft without a carrier (yet): setup, teardown or an unreported link.
          this.layers.links.append(
            s("path", { class: `link contact act-${a.activity}`, d, "data-link": linkId, "data-direction": "none" },
              s("title", {}, `${a.id} ⟷ ${sc.name}: ${ACTIVITY_LABEL[a.activity] ?? a.activity}, no carrier${note}`)),
          );
        }
      }
    }

    // Spacecraft in contact last, so that they are drawn on top.
    const ordered = [...board.spacecraft].sort((a, b) => Number(focus.has(a.id)) - Number(focus.has(b.id)));
    for (const sc of ordered) {
      const p = this.xy(sc.longitude_deg, sc.latitude_deg);
      if (!p) continue;
      const earth = isEarthOrbiter(sc);
      const inView = focus.has(sc.id);
      const age = staleElements(sc.id, timeMs);
      const label = `${sc.name}${sc.in_view_of.length ? ` — above the horizon of ${sc.in_view_of.join(", ")}` : ""}${age ? `; ${staleText(age)}` : ""}`;
      const g = s("g", {
        class: `craft ${earth ? "earth" : "deep"}${inView ? " in-view" : ""}${age ? " stale" : ""}`,
        "data-spacecraft-id": sc.id,
        "data-stale-days": age ? age.days.toFixed(1) : null,
        transform: `translate(${p[0].toFixed(1)},${p[1].toFixed(1)})`,
      });
      const r = craftRadius(sc, inView, k);
      if (earth) g.append(s("path", { class: "mark", d: `M0,${-r}L${r},0L0,${r}L${-r},0Z` }));
      else g.append(s("circle", { class: "mark", r }), s("circle", { class: "halo", r: r * 1.9 }));
      // Elements past their limit: a dashed ring says the position shown may be kilometres off.
      if (age && inView) g.append(s("circle", { class: "stale-ring", r: r * 2 }));
      g.append(s("title", {}, label));
      this.layers.spacecraft.append(g);
    }
  }
}

function activeCount(antennas: AntennaState[]): number {
  return antennas.filter((a) => a.activity !== "idle").length;
}

/** The radius of the ring of a site's antennas around its centre (none for a lone antenna). */
function siteRing(antennas: number, k: number): number {
  return antennas === 1 ? 0 : (3.2 + antennas * 0.9) * k;
}

function craftRadius(sc: SpacecraftState, inView: boolean, k: number): number {
  return (isEarthOrbiter(sc) ? 4 : 3.6) * k * (inView ? 1 : 0.7);
}
