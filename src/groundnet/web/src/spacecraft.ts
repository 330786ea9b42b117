// The spacecraft page: what describes its trajectory, how far and how fast it is, the light
// time, and its next passes over each station.
import { clear, h, type Attrs, type Child } from "./dom";
import { ageBadge, ageDays, ageLimitDays } from "./ages";
import { countdown, dataRate, dateTime, degrees, duration, frequency, hhmm, known, lightTime, rangeKm, shiftedFrequency, speed, zoneLabel } from "./format";
import type { Board, Link, Pass, SpacecraftInfo } from "./contract";

const KIND_LABEL: Record<string, string> = {
  tle: "SGP4 from a two-line element set",
  omm: "SGP4 from a CCSDS OMM element set",
  sgp4: "SGP4 from mean elements",
  spk: "SPICE SPK ephemeris",
  oem: "CCSDS OEM ephemeris (interpolated)",
  opm: "CCSDS OPM state (propagated)",
  planet: "At its planet (approximate)",
  approximate: "Approximate: placed at its planet",
};

/** The badge of a craft flown from a trajectory: what kind of trajectory (it has no element age). */
const SHORT_KIND: Record<string, string> = { spk: "SPK trajectory", oem: "OEM trajectory", opm: "OPM state", planet: "at its planet", approximate: "approximate position" };

export function kindLabel(kind: string): string {
  return KIND_LABEL[kind.toLowerCase()] ?? kind;
}

export function renderSpacecraftList(
  nav: HTMLElement,
  list: SpacecraftInfo[] | null,
  board: Board | null,
  selected: string | null,
  nowMs: number,
  onPick: (id: string) => void,
): void {
  const inView = new Map((board?.spacecraft ?? []).map((sc) => [sc.id, sc.in_view_of]));
  const items = (list ?? []).map((sc) => {
    const views = inView.get(sc.id) ?? [];
    return h("li", {},
      h("button", {
        type: "button",
        class: `sc-item${sc.id === selected ? " selected" : ""}`,
        "data-spacecraft-id": sc.id,
        "aria-current": sc.id === selected ? "true" : null,
        onclick: () => onPick(sc.id),
      },
        h("span", { class: `dot ${views.length ? "on" : ""}`, "aria-hidden": "true" }),
        h("span", { class: "sc-name" }, sc.name),
        h("span", { class: "sc-kind" },
          views.length > 3 ? `above ${views.length} stations` : views.length ? `above ${views.join(", ")}` : kindLabel(sc.kind)),
        sc.elements_epoch ? ageBadge(ageDays(sc.elements_epoch, nowMs), ageLimitDays(sc.id)) : null));
  });
  const signature = items.map((li) => li.innerHTML).join("|") + selected; // a badge turned stale changes no text
  if (nav.dataset.sig === signature) return;
  nav.dataset.sig = signature;
  const focused = (document.activeElement as HTMLElement | null)?.dataset?.spacecraftId;
  nav.replaceChildren(h("ul", {}, ...(items.length ? items : [h("li", { class: "muted" }, list ? "No spacecraft known to the server." : "Loading…")])));
  if (focused && nav.contains(document.activeElement) === false) {
    nav.querySelector<HTMLElement>(`[data-spacecraft-id="${CSS.escape(focused)}"]`)?.focus();
  }
  // The chosen craft in sight inside the list (which scrolls by itself), without scrolling the page.
  const chosen = nav.querySelector<HTMLElement>(".sc-item.selected");
  if (chosen && nav.scrollHeight > nav.clientHeight) {
    const top = chosen.offsetTop;
    if (top < nav.scrollTop || top + chosen.offsetHeight > nav.scrollTop + nav.clientHeight) nav.scrollTop = top - nav.clientHeight / 3;
  }
}

export interface DetailHandlers {
  onStation: (id: string) => void;
  /** A pass row's "Sky plot": the caller fetches the pointing and shows it. */
  onPass: (pass: Pass) => void;
}

export function renderSpacecraftDetail(
  container: HTMLElement,
  sc: SpacecraftInfo | null,
  chosen: string | null,
  board: Board | null,
  nowMs: number,
  distanceTime: string | null,
  on: DetailHandlers,
): void {
  if (!sc) {
    // A craft is chosen and its details are on their way: say so, never the previous craft's details.
    const text = chosen ? `Loading ${chosen}…` : "Choose a spacecraft.";
    if (container.textContent !== text) container.replaceChildren(h("p", { class: "muted" }, text));
    return;
  }
  const state = board?.spacecraft.find((x) => x.id === sc.id);
  const d = sc.distance;
  const owlt = d?.one_way_light_time_s ?? null;
  const facts: [string, string | HTMLElement][] = [
    ["Trajectory", kindLabel(sc.kind)],
    ["Source", known(sc.source)],
  ];
  if (sc.mission && sc.mission !== sc.id) facts.push(["Mission", sc.mission]);
  if (sc.norad_id) facts.push(["NORAD id", String(sc.norad_id)]);
  // The newest element set with an epoch (a trajectory's record has none).
  const epochs = (sc.element_sets ?? []).map((e) => e.epoch).filter((e): e is string => !!e && Number.isFinite(Date.parse(e)));
  const epoch = sc.elements_epoch ?? epochs.sort((a, b) => Date.parse(b) - Date.parse(a))[0] ?? null;
  const age = ageDays(epoch, nowMs);
  if (epoch) facts.push(["Elements epoch", h("span", {}, `${dateTime(epoch)} ${zoneLabel(Date.parse(epoch))} `, ageBadge(age, ageLimitDays(sc.id)))]);
  if (sc.downlink) facts.push(["Downlink", linkText(sc.downlink)]);
  if (sc.uplink) facts.push(["Uplink", linkText(sc.uplink)]);
  // At each antenna in contact with it now: the published channels and what the antenna receives and sends (the
  // board's figures, live; the craft's own view until a board arrives).
  const linksNow = board
    ? board.antennas.filter((a) => a.targets.some((t) => t.spacecraft_id === sc.id))
      .map((a) => ({ ...a, antenna_id: a.id }))
    : sc.links_now ?? [];
  for (const now of linksNow) {
    const down = shiftedFrequency(now.downlink_hz, now.downlink_received_hz, "received");
    const up = shiftedFrequency(now.uplink_hz, now.uplink_transmit_hz, "send");
    if (!down && !up) continue;
    facts.push([`At ${now.antenna_id} now`, h("span", { class: "tuned", "data-station-id": now.antenna_id },
      down ? h("span", { class: "tuned-down" }, `↓ ${down}`) : "",
      down && up ? h("br") : "",
      up ? h("span", { class: "tuned-up" }, `↑ ${up}`) : "")]);
  }
  if (sc.approximate) facts.push(["Accuracy", `approximate${sc.error_bound_km ? `, within ${rangeKm(sc.error_bound_km)}` : ""}`]);
  if (state?.latitude_deg != null && state.longitude_deg != null) {
    facts.push(["Sub-point", `${degrees(state.latitude_deg, 2)} lat, ${degrees(state.longitude_deg, 2)} lon`]);
  }
  if (state?.in_view_of.length) {
    const links = h("span", {});
    state.in_view_of.forEach((id, i) => links.append(i ? ", " : "", h("button", { type: "button", class: "linkish", onclick: () => on.onStation(id) }, id)));
    facts.push(["In view of", links]);
  }

  const stats = h("div", { class: "stats" },
    stat("From Earth", rangeKm(d?.geocentric_km ?? state?.geocentric_km)),
    stat("From the Sun", rangeKm(d?.heliocentric_km)),
    stat("Speed (Earth)", speed(d?.geocentric_speed_km_s)),
    stat("Speed (Sun)", speed(d?.heliocentric_speed_km_s)),
    stat("Light time, one way", lightTime(owlt)),
    stat("Round trip", lightTime(owlt == null ? null : 2 * owlt)),
  );

  // One row per station: its next pass, then the times of the later ones; soonest first.
  const byStation = new Map<string, Pass[]>();
  for (const p of sc.next_passes ?? []) {
    if (!(Date.parse(p.los) >= nowMs)) continue;
    const list = byStation.get(p.station_id) ?? [];
    list.push(p);
    byStation.set(p.station_id, list);
  }
  const groups = [...byStation.values()].map((list) => list.sort((a, b) => Date.parse(a.aos) - Date.parse(b.aos)));
  groups.sort((a, b) => Date.parse(a[0].aos) - Date.parse(b[0].aos));
  const rows = groups.map((list) => passRow(list[0], list.slice(1), nowMs, on, epoch, ageLimitDays(sc.id)));
  const zone = zoneLabel(nowMs);

  // The sky plot's box is kept across refreshes (its plot is drawn again into it), so that what is scrolled to stays.
  const sky = container.querySelector<HTMLElement>("#sc-sky") ?? h("div", { id: "sc-sky", class: "sc-sky", "aria-live": "polite" });
  clear(container);
  container.append(
    h("header", { class: "sc-head" },
      h("div", { class: "sc-title" }, h("h2", {}, sc.name), epoch ? ageBadge(age, ageLimitDays(sc.id)) : ageBadge(null, null, SHORT_KIND[sc.kind.toLowerCase()] ?? "trajectory")),
      h("p", { class: "muted" }, `${sc.id}${state?.in_view_of.length ? " · in view now" : ""}`)),
    stats,
    // A replay running fast moves on between two fetches of the details: their moment is said.
    distanceTime && Math.abs(Date.parse(distanceTime) - nowMs) > 60_000
      ? h("p", { class: "muted note" }, `Distance and speed at ${dateTime(distanceTime, true)} ${zoneLabel(Date.parse(distanceTime))}.`) : "",
    h("dl", { class: "facts wide" }, ...facts.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
    h("h3", {}, "Next passes per station"),
    rows.length
      ? h("div", { class: "table-wrap" },
          h("table", { class: "passes blocks-on-phone" },
            h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Station"),
              ...PASS_COLUMNS.map((t) => h("th", { scope: "col" }, t === "Next AOS" ? `${t} (${zone})` : t)))),
            h("tbody", {}, ...rows)))
      : h("p", { class: "muted" }, "No pass ahead in the server's window."),
    sky,
  );
}

function linkText(link: Pick<Link, "band" | "frequency_hz" | "data_rate_bps">): string {
  const parts = [known(link.band, ""), frequency(link.frequency_hz)];
  if (link.data_rate_bps) parts.push(dataRate(link.data_rate_bps));
  return parts.filter(Boolean).join(" · ") || "unknown";
}

function stat(label: string, value: string): HTMLElement {
  return h("div", { class: "stat" }, h("span", { class: "stat-label" }, label), h("span", { class: "stat-value" }, value));
}

/** The passes table's columns after the station's: each cell's label too, where a phone shows a row as a block. */
const PASS_COLUMNS = ["Next AOS", "LOS", "Max el.", "Duration", "Starts", "Elements", "Later AOS", "Sky"];

function passRow(p: Pass, later: Pass[], nowMs: number, on: DetailHandlers, epoch: string | null, limitDays: number | null): HTMLElement {
  const aos = Date.parse(p.aos);
  // The age at AOS: from the pass when the server gives it, else from the craft's element set.
  const age = p.elements_age_days ?? ageDays(epoch, aos);
  const los = Date.parse(p.los);
  const current = aos <= nowMs && nowMs < los;
  return h("tr", { class: current ? "current" : "", "data-station-id": p.station_id },
    h("th", { scope: "row" }, h("button", { type: "button", class: "linkish", onclick: () => on.onStation(p.station_id) }, p.station_id)),
    ...([
      [{ class: "num" }, dateTime(aos)],
      [{ class: "num" }, hhmm(los)],
      [{ class: "num" }, degrees(p.max_elevation_deg)],
      [{ class: "num" }, duration(p.duration_s)],
      [{ class: "num" }, current ? "in progress" : countdown(aos, nowMs)],
      [{}, age != null ? ageBadge(age, limitDays) : "trajectory"],
      [{ class: "num later" }, later.map((x) => hhmm(Date.parse(x.aos))).join(" · ") || "no other"],
      [{}, h("button", { type: "button", class: "linkish sky-btn", "aria-label": `Sky plot of the pass over ${p.station_id} at ${hhmm(aos)}`, onclick: () => on.onPass(p) }, "Sky plot")],
    ] as [Attrs, Child][]).map(([attrs, content], i) => h("td", { ...attrs, "data-label": PASS_COLUMNS[i] }, content)));
}
