// The board: wires the server's data (REST and live push) to the views. No business logic here:
// the server decides activities, links and plans; the page shows them at the moment chosen.
import "./style.css";
import { api, normalizeAntenna } from "./api";
import { activityRank, renderCard, tickCountdowns } from "./cards";
import { impactText, renderEvents, renderLinks, renderPartnerSummary, renderPartners, renderSummary } from "./panels";
import { SPEEDS, ViewClock, readUrl, writeUrl } from "./clock";
import { h } from "./dom";
import { ACTIVITY_LABEL, clockText, countdown, duration, hhmmss, isoUtc } from "./format";
import { LiveLink, type LinkStatus } from "./live";
import { TRACK_HALF_SPAN_MS, WorldMap, focusSpacecraft, isEarthOrbiter } from "./map";
import { renderSpacecraftDetail, renderSpacecraftList } from "./spacecraft";
import { AFTER_MS, BEFORE_MS, Timeline } from "./timeline";
import type { AntennaState, Board, Contact, GroundEvent, GroundTrack, PartnerFeed, Plan, SpacecraftInfo } from "./types";

const VIEWS = ["network", "timeline", "spacecraft", "events", "partners"] as const;
type View = (typeof VIEWS)[number];

const TRACK_SLACK_MS = 10 * 60_000;
const STALE_AFTER_MS = 5_000;

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

const url = readUrl();
const clock = new ViewClock();
const state = {
  view: (VIEWS as readonly string[]).includes(url.view) ? (url.view as View) : "network",
  board: null as Board | null,
  boardReceived: 0, // performance.now() of the last board shown
  serverBoard: null as Board | null, // the latest pushed board, kept while replaying
  link: "connecting" as LinkStatus,
  linkAttempt: 0,
  replayError: null as string | null,
  events: [] as GroundEvent[],
  plan: null as Plan | null,
  planWindow: { start: 0, end: 0 },
  planFetchedAt: 0,
  planChanged: false, // the server re-planned: fetch the plan again
  partner: null as PartnerFeed | null,
  selected: url.station,
  spacecraftId: url.spacecraft,
  spacecraftList: null as SpacecraftInfo[] | null,
  spacecraftDetail: null as SpacecraftInfo | null,
  spacecraftFetchedAt: 0,
  spacecraftServerTime: null as string | null, // set when distances are of another time than the one shown
  tracks: new Map<string, GroundTrack>(),
  trackCentre: new Map<string, number>(),
  painted: false,
};

if (url.t != null) clock.replay(url.t, url.speed, url.paused);
if (url.kiosk) document.body.classList.add("kiosk"); // a wall screen: no controls, just the board

// ---------------------------------------------------------------- views and navigation

const worldMap = new WorldMap($("map"), (id) => selectStation(id, true));
// The spacecraft view's own map: every station, the one spacecraft, its track and its links.
const craftMap = new WorldMap($("sc-map"), (id) => {
  setView("network");
  selectStation(id, true);
});
let craftMapLoaded = false;
const timeline = new Timeline($("timeline"), showContact);

function setView(view: View, focus = false): void {
  state.view = view;
  for (const v of VIEWS) $(`view-${v}`).hidden = v !== view;
  for (const a of document.querySelectorAll<HTMLAnchorElement>(".tabs a")) {
    if (a.dataset.view === view) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  syncUrl();
  renderView(true);
  if (focus) $("main").focus({ preventScroll: true });
}

function renderView(full: boolean): void {
  if (!state.board) return; // the clock is only known once the first board has come
  const now = clock.now();
  if (state.view === "network") renderNetwork(now);
  else if (state.view === "timeline") ensurePlan(now, full);
  else if (state.view === "spacecraft") ensureSpacecraft(now, full);
  else if (state.view === "events") showEvents();
  else if (state.view === "partners") renderPartners($("partner-meta"), $("partner-cards"), state.partner, now);
}

function syncUrl(): void {
  writeUrl({
    view: state.view,
    t: clock.mode === "replay" ? clock.now() : null,
    speed: clock.speed,
    paused: clock.paused,
    station: state.selected,
    spacecraft: state.view === "spacecraft" ? state.spacecraftId : null,
    kiosk: url.kiosk,
  });
}

// ---------------------------------------------------------------- the network view

const cardCache = new Map<string, { sig: string; el: HTMLElement }>();

function renderNetwork(now: number): void {
  const board = state.board;
  if (!board) return;
  worldMap.chooseSpacecraft(state.spacecraftId);
  worldMap.update(board, now);
  worldMap.drawSun(now);
  refreshTracks(board, now);
  renderCards(board, now);
  renderLinks($("links"), board, (id) => selectStation(id, true));
  renderSummary($("summary"), board);
  renderPartnerSummary($("partner-summary"), state.partner);
}

function renderCards(board: Board, now: number): void {
  const container = $("cards");
  const query = ($("filter") as HTMLInputElement).value.trim().toLowerCase();
  const network = ($("network-filter") as HTMLSelectElement).value;
  const activeOnly = ($("active-only") as HTMLInputElement).checked;
  const shown = board.antennas
    .filter((a) => !network || a.network === network)
    .filter((a) => !activeOnly || a.activity !== "idle")
    .filter((a) => !query || [a.id, a.name, ...a.targets.map((t) => t.name)].some((x) => x.toLowerCase().includes(query)))
    .sort((a, b) => activityRank(a) - activityRank(b) || nextStart(a) - nextStart(b) || a.id.localeCompare(b.id));

  const focusKey = (document.activeElement as HTMLElement | null)?.dataset?.focusKey;
  const elements = shown.map((a) => {
    const sig = JSON.stringify(a) + (a.id === state.selected ? "*" : "");
    const cached = cardCache.get(a.id);
    if (cached && cached.sig === sig) return cached.el;
    const el = renderCard(a, { nowMs: now, selected: a.id === state.selected, onSelect: (id) => selectStation(id, false), onSpacecraft: openSpacecraft });
    if (cached) cached.el.replaceWith(el);
    cardCache.set(a.id, { sig, el });
    return el;
  });
  const current = [...container.children];
  if (current.length !== elements.length || elements.some((el, i) => current[i] !== el)) container.replaceChildren(...elements);
  if (!shown.length) container.replaceChildren(h("p", { class: "muted" }, "No antenna matches the filter."));
  if (focusKey && !container.contains(document.activeElement)) {
    container.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus();
  }
  tickCountdowns(container, now);
}

function nextStart(a: AntennaState): number {
  return a.next_contact ? Date.parse(a.next_contact.start) : Number.MAX_SAFE_INTEGER;
}

function selectStation(id: string, scroll: boolean): void {
  state.selected = id;
  worldMap.select(id);
  if (state.board) renderCards(state.board, clock.now());
  syncUrl();
  if (scroll) {
    const card = $("cards").querySelector<HTMLElement>(`.card[data-station-id="${CSS.escape(id)}"]`);
    card?.scrollIntoView({ behavior: "smooth", block: "nearest" });
    card?.focus({ preventScroll: true });
  }
}

// ground tracks of the Earth orbiters in contact (and the one chosen), ±45 min around the moment shown
function refreshTracks(board: Board, now: number): void {
  const focus = focusSpacecraft(board, state.spacecraftId);
  for (const sc of board.spacecraft) {
    if (!isEarthOrbiter(sc) || !focus.has(sc.id)) continue;
    const centre = state.trackCentre.get(sc.id);
    if (centre !== undefined && Math.abs(centre - now) < TRACK_SLACK_MS) continue;
    state.trackCentre.set(sc.id, now);
    const span = TRACK_HALF_SPAN_MS + TRACK_SLACK_MS;
    api.track(sc.id, isoUtc(now - span), isoUtc(now + span), 60).then(
      (track) => {
        state.tracks.set(sc.id, track);
        worldMap.setTracks(state.tracks);
        craftMap.setTracks(state.tracks);
      },
      () => state.tracks.delete(sc.id),
    );
  }
}

// ---------------------------------------------------------------- timeline

let planInflight = false;
function ensurePlan(now: number, redraw: boolean): void {
  const { start } = state.planWindow;
  const stale = !state.plan || state.planChanged || now < start || now > start + BEFORE_MS + 15 * 60_000 ||
    performance.now() - state.planFetchedAt > 60_000;
  if (stale && !planInflight) {
    planInflight = true;
    state.planChanged = false;
    // A phone gets half a day, so that a contact is wider than a hair.
    const after = matchMedia("(max-width: 720px)").matches ? AFTER_MS / 2 : AFTER_MS;
    const window = { start: now - BEFORE_MS, end: now + after };
    api.plan(isoUtc(window.start), isoUtc(window.end)).then(
      (plan) => {
        planInflight = false;
        state.plan = plan;
        state.planWindow = window;
        state.planFetchedAt = performance.now();
        $("timeline-title").textContent = `Plan, next ${Math.round((window.end - now) / 3600_000)} h`;
        if (state.view === "timeline") drawTimeline(clock.now());
      },
      (err) => {
        planInflight = false;
        state.planFetchedAt = performance.now();
        toast(`Plan unavailable: ${err.message}`);
      },
    );
  }
  if (redraw) drawTimeline(now);
  else timeline.setNow(now);
}

function drawTimeline(now: number): void {
  if (!state.plan) return;
  const antennas = state.board?.antennas ?? [];
  timeline.render(state.plan, antennas, state.planWindow.start, state.planWindow.end, ($("show-empty") as HTMLInputElement).checked);
  timeline.setNow(now);
}

function showContact(c: Contact): void {
  const start = Date.parse(c.start);
  const end = Date.parse(c.end);
  const rows: [string, string][] = [
    ["Spacecraft", `${c.spacecraft_name} (${c.spacecraft_id})`],
    ["Mission", c.mission ?? "—"],
    ["Antenna", c.antenna_id],
    ["Status", c.status],
    ["Setup from", `${c.setup_start.replace("T", " ").slice(0, 19)} UTC`],
    ["Contact", `${c.start.replace("T", " ").slice(0, 19)} – ${hhmmss(end)} UTC`],
    ["Duration", duration((end - start) / 1000)],
    ["Teardown until", `${c.teardown_end.replace("T", " ").slice(0, 19)} UTC`],
    ["Starts", countdown(start, clock.now())],
    ["Request", c.request_id ?? "—"],
  ];
  openDialog(`${c.spacecraft_name} on ${c.antenna_id}`,
    h("dl", { class: "facts wide" }, ...rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
    h("p", { class: "actions" },
      h("button", { type: "button", onclick: () => { closeDialog(); jumpTo(start); } }, "Replay from AOS"),
      h("button", { type: "button", onclick: () => { closeDialog(); openSpacecraft(c.spacecraft_id); } }, "Spacecraft page")),
  );
}

// ---------------------------------------------------------------- spacecraft

function openSpacecraft(id: string): void {
  state.spacecraftId = id;
  state.spacecraftDetail = null;
  state.spacecraftFetchedAt = 0;
  setView("spacecraft", true);
}

function ensureSpacecraft(now: number, force: boolean): void {
  if (!state.spacecraftList) {
    state.spacecraftList = [];
    api.spacecraftList().then(
      (list) => {
        state.spacecraftList = list;
        if (!state.spacecraftId && list.length) state.spacecraftId = list[0].id;
        ensureSpacecraft(clock.now(), true);
      },
      (err) => toast(`Spacecraft list unavailable: ${err.message}`),
    );
  }
  renderSpacecraftList($("sc-list"), state.spacecraftList, state.board, state.spacecraftId, (id) => {
    state.spacecraftId = id;
    state.spacecraftDetail = null;
    syncUrl();
    ensureSpacecraft(clock.now(), true);
  });
  if (state.board) drawCraftMap(state.board, now);
  const id = state.spacecraftId;
  if (id && (force || performance.now() - state.spacecraftFetchedAt > 10_000)) {
    state.spacecraftFetchedAt = performance.now();
    // The server gives distance, speed and next passes at its own clock's time; in a replay the
    // passes come from /passes at the moment shown.
    const replaying = clock.mode === "replay";
    Promise.all([api.spacecraft(id), replaying ? api.passes(id, isoUtc(now), isoUtc(now + 86400_000)) : null]).then(
      ([detail, passes]) => {
        if (state.spacecraftId !== id) return;
        state.spacecraftDetail = passes ? { ...detail, next_passes: passes } : detail;
        state.spacecraftServerTime = replaying ? state.serverBoard?.time ?? null : null;
        drawSpacecraft();
      },
      (err) => $("sc-detail").replaceChildren(h("p", { class: "warn" }, `Spacecraft ${id}: ${err.message}`)),
    );
  }
  drawSpacecraft();
}

function drawCraftMap(board: Board, now: number): void {
  const id = state.spacecraftId;
  if (!craftMapLoaded) {
    craftMapLoaded = true;
    craftMap.loadWorld().catch(() => undefined);
  }
  craftMap.chooseSpacecraft(id);
  craftMap.update({ ...board, spacecraft: board.spacecraft.filter((sc) => sc.id === id) }, now);
  craftMap.drawSun(now);
  refreshTracks(board, now);
}

function drawSpacecraft(): void {
  renderSpacecraftDetail($("sc-detail"), state.spacecraftDetail, state.board, clock.now(), state.spacecraftServerTime, (id) => {
    setView("network");
    selectStation(id, true);
  });
}

function showEvents(): void {
  const antenna = ($("event-filter") as HTMLSelectElement).value;
  renderEvents($("events"), state.events, antenna, clock.mode === "replay" ? clock.now() : null);
}

// ---------------------------------------------------------------- dialogs and toasts

const dialog = $("dialog") as HTMLDialogElement;

function openDialog(title: string, ...body: HTMLElement[]): void {
  $("dialog-title").textContent = title;
  $("dialog-body").replaceChildren(...body);
  if (!dialog.open) dialog.showModal();
}

function closeDialog(): void {
  dialog.close();
}

let toastTimer: number | undefined;
function toast(message: string): void {
  const el = $("toast");
  el.textContent = message;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => (el.hidden = true), 4000);
}

function showHelp(): void {
  const keys: [string, string][] = [
    ["1 – 5", "Network, Timeline, Spacecraft, Events, Partners"],
    ["Space", "Pause or play (pausing live switches to replay)"],
    ["← / →", "Step back / forward by the chosen step"],
    ["Shift + ← / →", "Step ten times further"],
    ["+ / −", "Faster / slower replay"],
    ["L", "Back to live"],
    ["/", "Find a station or spacecraft"],
    ["Esc", "Close this dialog"],
  ];
  openDialog("Keyboard shortcuts", h("dl", { class: "facts wide keys" }, ...keys.flatMap(([k, v]) => [h("dt", {}, h("kbd", {}, k)), h("dd", {}, v)])));
}

// ---------------------------------------------------------------- time: live and replay

function goLive(): void {
  clock.mode = "follow";
  state.replayError = null;
  state.spacecraftFetchedAt = 0;
  const latest = state.serverBoard;
  if (latest) showBoard(latest);
  else api.board().then(showBoard, () => undefined);
  syncUrl();
  renderControls();
}

function jumpTo(ms: number, speed = clock.speed, paused = clock.paused): void {
  clock.replay(ms, speed, paused);
  state.trackCentre.clear();
  state.spacecraftFetchedAt = 0;
  syncUrl();
  renderControls();
  renderClock(clock.now());
  fetchReplayBoard(true);
}

function enterReplay(): void {
  if (clock.mode === "follow") clock.replay(clock.now(), clock.speed, clock.paused);
}

let replayInflight = false;
let replayRequest = 0; // only the newest request may show its board: answers can come out of order
function fetchReplayBoard(force = false): void {
  if (clock.mode !== "replay" || (replayInflight && !force)) return;
  replayInflight = true;
  const request = ++replayRequest;
  api.board(isoUtc(clock.now())).then(
    (board) => {
      if (request !== replayRequest) return;
      replayInflight = false;
      state.replayError = null;
      if (clock.mode === "replay") showBoard(board);
    },
    (err) => {
      if (request !== replayRequest) return;
      replayInflight = false;
      state.replayError = err.message ?? "server unreachable";
    },
  );
}

function showBoard(board: Board): void {
  if (!state.board) performance.mark("groundnet:first-board");
  board.antennas = board.antennas.map(normalizeAntenna);
  state.board = board;
  state.boardReceived = performance.now();
  if (clock.mode === "follow") clock.follow(Date.parse(board.time), board.speed);
  fillNetworkFilter(board);
  renderView(false);
  if (!state.painted && worldLoaded) markPainted();
}

function fillNetworkFilter(board: Board): void {
  const select = $("network-filter") as HTMLSelectElement;
  const events = $("event-filter") as HTMLSelectElement;
  if (select.options.length > 1) return;
  for (const n of [...new Set(board.antennas.map((a) => a.network))].sort()) select.append(h("option", { value: n }, n));
  for (const a of board.antennas) events.append(h("option", { value: a.id }, a.id));
}

function markPainted(): void {
  state.painted = true;
  document.body.dataset.ready = "1";
  performance.mark("groundnet:board-painted");
}

function renderControls(): void {
  const replay = clock.mode === "replay";
  const paused = replay && clock.paused;
  $("play-icon").setAttribute("d", paused ? "M4 2.5v11l9-5.5z" : "M4 3h3v10H4zM9 3h3v10H9z");
  $("play-label").textContent = paused ? "Play" : "Pause";
  $("play").setAttribute("aria-pressed", String(paused));
  $("go-live").setAttribute("aria-pressed", String(!replay));
  $("go-live").classList.toggle("on", !replay);
  const speed = $("speed") as HTMLSelectElement;
  const value = String(clock.speed);
  if (![...speed.options].some((o) => o.value === value)) speed.append(h("option", { value }, `${clock.speed}×`));
  speed.value = value;
  document.body.dataset.mode = replay ? "replay" : "live";
}

function renderClock(now: number): void {
  const { date, time } = clockText(now);
  const timeEl = $("clock-time");
  timeEl.textContent = time;
  timeEl.setAttribute("datetime", isoUtc(now));
  $("clock-date").textContent = `${date} UTC`;
  const input = $("time-input") as HTMLInputElement;
  if (document.activeElement !== input) input.value = isoUtc(now).slice(0, 19).replace("T", " ");

  const mode = $("mode");
  const fresh = $("fresh");
  const age = state.board ? (performance.now() - state.boardReceived) / 1000 : Infinity;
  let modeText: string;
  let cls: string;
  let freshText: string;
  if (clock.mode === "replay") {
    modeText = clock.paused ? "Replay · paused" : `Replay · ${clock.speed}×`;
    cls = state.replayError ? "bad" : "replay";
    const shown = state.board ? `board of ${hhmmss(Date.parse(state.board.time))}` : "";
    freshText = state.replayError
      ? "server unreachable, retrying"
      : replayInflight && clock.paused
        ? `loading the board of ${hhmmss(now)}…`
        : state.board ? `${shown}, fetched ${age.toFixed(1)} s ago` : "loading…";
  } else if (state.link !== "open") {
    modeText = state.link === "connecting" ? "Connecting" : "Offline";
    cls = state.link === "connecting" ? "replay" : "bad";
    freshText = state.link === "reconnecting"
      ? `reconnecting (try ${state.linkAttempt})${Number.isFinite(age) ? `, last data ${duration(age)} ago` : ""}`
      : "";
  } else {
    const serverReplay = state.board?.mode === "replay";
    modeText = serverReplay ? `Server replay · ${state.board?.speed ?? 1}×` : "Live";
    cls = age * 1000 > STALE_AFTER_MS ? "stale" : serverReplay ? "server-replay" : "live";
    freshText = Number.isFinite(age) ? `updated ${age < 10 ? age.toFixed(1) : Math.round(age)} s ago` : "waiting for data";
  }
  if (mode.textContent !== modeText) mode.textContent = modeText;
  mode.className = `mode ${cls}`;
  fresh.textContent = freshText;
  document.body.dataset.link = state.link;
}

let lastUrlSync = 0;
function tick(): void {
  const now = clock.now();
  renderClock(now);
  if (clock.mode === "replay" && (!clock.paused || !state.board)) fetchReplayBoard();
  if (state.view === "network") {
    tickCountdowns($("cards"), now);
  } else if (state.view === "timeline") {
    ensurePlan(now, false);
  } else if (state.view === "spacecraft") {
    ensureSpacecraft(now, false);
  }
  if (clock.mode === "replay" && performance.now() - lastUrlSync > 2000) {
    lastUrlSync = performance.now();
    syncUrl();
  }
}

// ---------------------------------------------------------------- wiring

function renderLegend(): void {
  const item = (cls: string, text: string, style = "") => h("span", {}, h("i", { class: cls, style }), text);
  $("legend").replaceChildren(
    ...["tracking", "setup", "teardown", "maintenance", "outage", "idle"].map((k) => item("", ACTIVITY_LABEL[k], `background: var(--${k})`)),
    item("line", "downlink", "border-color: var(--band-x)"),
    item("line up", "uplink", "border-color: var(--band-x)"),
    h("span", {}, h("span", { class: "band band-s" }, "S"), h("span", { class: "band band-x" }, "X"), h("span", { class: "band band-ka" }, "Ka")),
  );
}

function wireControls(): void {
  renderLegend();
  const speed = $("speed") as HTMLSelectElement;
  for (const v of SPEEDS) speed.append(h("option", { value: String(v) }, `${v}×`));

  $("play").addEventListener("click", togglePlay);
  $("step-back").addEventListener("click", () => step(-1));
  $("step-fwd").addEventListener("click", () => step(1));
  $("go-live").addEventListener("click", goLive);
  $("help").addEventListener("click", showHelp);
  speed.addEventListener("change", () => {
    enterReplay();
    clock.setSpeed(Number(speed.value));
    syncUrl();
    renderControls();
  });
  $("time-input").addEventListener("change", (ev) => {
    const input = ev.target as HTMLInputElement;
    const ms = parseUtcInput(input.value);
    input.setAttribute("aria-invalid", String(ms == null));
    if (ms == null) toast(`Not a UTC time: "${input.value}" (write 2026-11-21 08:30 or 2026-11-21T08:30:00Z)`);
    else jumpTo(ms);
  });
  $("replay").addEventListener("submit", (ev) => ev.preventDefault());
  $("share").addEventListener("click", share);

  for (const a of document.querySelectorAll<HTMLAnchorElement>("a[data-view]")) {
    a.addEventListener("click", (ev) => {
      ev.preventDefault();
      setView(a.dataset.view as View, true);
    });
  }
  $("partner-summary").addEventListener("click", (ev) => {
    const a = (ev.target as HTMLElement).closest<HTMLAnchorElement>("a[data-view]");
    if (a) {
      ev.preventDefault();
      setView(a.dataset.view as View, true);
    }
  });
  for (const id of ["filter", "network-filter", "active-only"]) {
    $(id).addEventListener("input", () => state.board && renderCards(state.board, clock.now()));
  }
  $("show-empty").addEventListener("change", () => drawTimeline(clock.now()));
  $("event-filter").addEventListener("change", () => showEvents());

  document.addEventListener("keydown", onKey);
}

/** "2026-11-21 08:30", "2026-11-21T08:30:15Z" or a date alone, always UTC. */
function parseUtcInput(text: string): number | null {
  const m = text.trim().match(/^(\d{4}-\d{2}-\d{2})(?:[T ](\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*(?:Z|UTC)?$/i);
  if (!m) return null;
  const time = m[2] ?? "00:00";
  const ms = Date.parse(`${m[1]}T${time.length <= 5 ? `${time.padStart(5, "0")}:00` : time.padStart(8, "0")}Z`);
  return Number.isFinite(ms) ? ms : null;
}

function togglePlay(): void {
  if (clock.mode === "follow") {
    clock.replay(clock.now(), clock.speed, true);
  } else {
    clock.togglePause();
  }
  syncUrl();
  renderControls();
  renderClock(clock.now());
  fetchReplayBoard(true);
}

function step(direction: number, times = 1): void {
  enterReplay();
  clock.step(direction * times * Number(($("step") as HTMLSelectElement).value));
  syncUrl();
  renderControls();
  renderClock(clock.now());
  fetchReplayBoard(true);
}

function share(): void {
  const q = new URLSearchParams(location.search);
  q.set("t", isoUtc(clock.now()).replace(/\.\d+Z$/, "Z"));
  const link = `${location.origin}${location.pathname}?${q}`;
  navigator.clipboard?.writeText(link).then(() => toast(`Link copied: ${link}`), () => toast(link)) ?? toast(link);
}

function onKey(ev: KeyboardEvent): void {
  const target = ev.target as HTMLElement;
  if (target.closest("input, select, textarea") || ev.ctrlKey || ev.metaKey || ev.altKey) {
    if (ev.key === "Escape" && target instanceof HTMLInputElement) target.blur();
    return;
  }
  if (dialog.open) return;
  const viewIndex = ["1", "2", "3", "4", "5"].indexOf(ev.key);
  if (viewIndex >= 0) {
    setView(VIEWS[viewIndex], true);
  } else if (ev.key === " " && !target.closest("button, a, [role=button]")) {
    togglePlay();
  } else if (ev.key === "ArrowLeft" || ev.key === "ArrowRight") {
    if (target.closest("[role=button]")) return;
    step(ev.key === "ArrowLeft" ? -1 : 1, ev.shiftKey ? 10 : 1);
  } else if (ev.key === "l" || ev.key === "L") {
    goLive();
  } else if (ev.key === "+" || ev.key === "-") {
    const i = SPEEDS.indexOf(clock.speed);
    const next = SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, (i < 0 ? 0 : i) + (ev.key === "+" ? 1 : -1)))];
    enterReplay();
    clock.setSpeed(next);
    syncUrl();
    renderControls();
  } else if (ev.key === "/") {
    setView("network");
    $("filter").focus();
  } else if (ev.key === "?") {
    showHelp();
  } else {
    return;
  }
  ev.preventDefault();
}

let worldLoaded = false;

function start(): void {
  wireControls();
  setView(state.view);
  renderControls();
  if (state.selected) worldMap.select(state.selected);

  worldMap.loadWorld().then(
    () => {
      performance.mark("groundnet:world-drawn");
      worldLoaded = true;
      if (state.board && !state.painted) markPainted();
      // The finer map once the page is up; the coarse one stays if it cannot be had.
      window.setTimeout(() => worldMap.loadWorld(true).catch(() => undefined), 1500);
    },
    () => toast("World map data missing: rebuild the board (npm run build)."),
  );

  if (clock.mode === "replay") fetchReplayBoard(true);
  else api.board().then((b) => clock.mode === "follow" && !state.board && showBoard(b), () => undefined);

  new LiveLink({
    message(msg) {
      if (msg.type === "board") {
        state.serverBoard = msg.data;
        if (clock.mode === "follow") showBoard(msg.data);
      } else if (msg.type === "event") {
        if (!state.events.some((e) => e.event_id === msg.data.event_id)) state.events.push(msg.data);
        if (state.view === "events") showEvents();
      } else if (msg.type === "plan") {
        state.planChanged = true; // the timeline asks for the new plan on its next tick
        toast(impactText(msg.data) ?? "The plan changed.");
      } else if (msg.type === "partner") {
        loadSideData();
      }
    },
    status(status, attempt, transport) {
      document.body.dataset.transport = transport;
      const reconnected = state.link === "reconnecting" && status === "open";
      state.link = status;
      state.linkAttempt = attempt;
      if (reconnected) {
        loadSideData();
        state.planChanged = true;
      }
      renderClock(clock.now());
    },
  }).start();

  loadSideData();
  window.setInterval(tick, 1000);
  tick();
}

function loadSideData(): void {
  api.events(undefined, 300).then(
    (events) => {
      const known = new Set(state.events.map((e) => e.event_id));
      state.events = [...events.filter((e) => !known.has(e.event_id)), ...state.events].sort((a, b) => a.id - b.id);
      if (state.view === "events") showEvents();
    },
    () => undefined,
  );
  api.partnerDsn().then(
    (feed) => {
      state.partner = { time: feed.time, antennas: (feed.antennas ?? []).map(normalizeAntenna) };
      if (state.view === "partners") renderPartners($("partner-meta"), $("partner-cards"), state.partner, clock.now());
      renderPartnerSummary($("partner-summary"), state.partner);
    },
    () => undefined,
  );
}

start();
