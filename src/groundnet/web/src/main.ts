// The board's wiring: the controller owns time, URL and boards; each view is a module (views/)
// that hears one Moment at a time. Here: the header (clock, freshness, badges), the replay controls,
// the keyboard, dialogs, and the side data several views share. No business logic: the server
// decides activities, links and plans; the page shows them at the moment chosen.
import "./style.css";
import { api, partnerAntenna } from "./api";
import { SPEEDS } from "./clock";
import type { Board, DsnFeed } from "./contract";
import { Controller, type Moment } from "./controller";
import { h } from "./dom";
import { learnAgeLimits, learnFleet } from "./ages";
import { ACTIVITY_LABEL, clockText, displayZone, duration, hhmmss, isoUtc, localZoneName, parseShown, setConfiguredZone, zoneConfigured,
  zoneLabel } from "./format";
import { LiveLink } from "./live";
import { impactText } from "./panels";
import { loadSettings, saveSettings } from "./settings";
import { SourceBadges } from "./sources";
import { TrackCache } from "./tracks";
import { EventsView } from "./views/events";
import { LaunchView } from "./views/launch";
import { NetworkView } from "./views/network";
import { PartnersView } from "./views/partners";
import { ResidualsView } from "./views/residuals";
import { ReportsView } from "./views/reports";
import { SpacecraftView } from "./views/spacecraft";
import { TimelineView } from "./views/timeline";
import { $, type App, type SideData, type View } from "./views/view";

const STALE_AFTER_MS = 5_000;

const controller = new Controller();
const settings = loadSettings();
const data: SideData = { events: [], partner: null, planChanged: false };
const dialog = $("dialog") as HTMLDialogElement;
let toastTimer: number | undefined;

const app: App = {
  controller,
  settings,
  data,
  show: (id, focus = false) => show(id, focus),
  openSpacecraft(id) {
    spacecraftView.choose(id);
    show("spacecraft", true);
  },
  openResiduals(contactId) {
    residualsView.choose(contactId);
    show("residuals", true);
  },
  selectStation(id, scroll) {
    controller.setParam("station", id);
    networkView.select(id);
    if (scroll) {
      const card = $("cards").querySelector<HTMLElement>(`.card[data-station-id="${CSS.escape(id)}"]`);
      card?.scrollIntoView({ behavior: "smooth", block: "nearest" });
      card?.focus({ preventScroll: true });
    }
  },
  toast(message) {
    const el = $("toast");
    el.textContent = message;
    el.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = window.setTimeout(() => (el.hidden = true), 4000);
  },
  openDialog(title, ...body) {
    $("dialog-title").textContent = title;
    $("dialog-body").replaceChildren(...body);
    if (!dialog.open) dialog.showModal();
  },
  closeDialog: () => dialog.close(),
};

const tracks = new TrackCache();
const networkView = new NetworkView(app, tracks);
const timelineView = new TimelineView(app);
const spacecraftView = new SpacecraftView(app, tracks);
const eventsView = new EventsView(app);
const partnersView = new PartnersView(app);
const launchView = new LaunchView(app);
const residualsView = new ResidualsView(app);
const reportsView = new ReportsView(app);
/** In the order of their tabs and of the number keys. */
const views: View[] = [networkView, timelineView, spacecraftView, eventsView, partnersView, launchView, residualsView,
  reportsView];
const sources = new SourceBadges($("sources"));

let current: View = views.find((v) => v.id === controller.url.view) ?? networkView;
let painted = false;
let worldLoaded = false;

// ---------------------------------------------------------------- views

function show(id: string, focus = false): void {
  const next = views.find((v) => v.id === id) ?? networkView;
  const previous = current;
  if (previous !== next) previous.leave();
  current = next;
  for (const v of views) $(`view-${v.id}`).hidden = v !== next;
  for (const a of document.querySelectorAll<HTMLAnchorElement>(".tabs a")) {
    if (a.dataset.view === next.id) {
      a.setAttribute("aria-current", "page");
      a.scrollIntoView({ block: "nearest", inline: "nearest" }); // on a phone the tabs scroll sideways
    } else a.removeAttribute("aria-current");
  }
  controller.setParam("view", next.id);
  controller.boardWanted = next.needsBoard;
  const m = controller.moment(true);
  next.enter(m);
  if (next.needsBoard && controller.board) next.onBoard(controller.board, m);
  // A view that fetched no board (the launch replay) hands over to one that wants the board of the moment.
  if (!previous.needsBoard && next.needsBoard) controller.fetchReplayBoard(true);
  if (focus) $("main").focus({ preventScroll: true });
}

controller.listen({
  onMoment(m) {
    if (m.jumped) {
      tracks.reset();
      renderControls();
    }
    renderClock(m);
    current.onMoment(m);
  },
  onBoard(board, m) {
    for (const v of views) if (v === current || v === eventsView) v.onBoard(board, m);
    if (!painted && worldLoaded) markPainted();
    renderClock(m);
  },
});

function markPainted(): void {
  painted = true;
  document.body.dataset.ready = "1";
  performance.mark("groundnet:board-painted");
  loadSideData(); // the event log, the partner feed and the sources' ages: after the first paint
}

// ---------------------------------------------------------------- the header

function renderControls(): void {
  const clock = controller.clock;
  const replay = controller.replaying;
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

function renderClock(m: Moment): void {
  const now = m.now;
  const { date, time } = clockText(now);
  const zone = zoneLabel(now);
  const timeEl = $("clock-time");
  timeEl.textContent = time;
  timeEl.setAttribute("datetime", isoUtc(now));
  $("clock-date").textContent = `${date} ${zone}`;
  $("time-label").textContent = `Time (${zone})`;
  const input = $("time-input") as HTMLInputElement;
  if (document.activeElement !== input) input.value = clockText(now).date + " " + clockText(now).time;

  const board = controller.board;
  const age = board ? (performance.now() - controller.boardReceived) / 1000 : Infinity;
  let modeText: string;
  let cls: string;
  let freshText: string;
  const own = current.statusText?.(m);
  if (own) {
    modeText = own.mode;
    cls = "replay";
    freshText = own.fresh;
  } else if (m.mode === "replay") {
    modeText = m.paused ? "Replay · paused" : `Replay · ${m.speed}×`;
    cls = controller.replayError ? "bad" : "replay";
    freshText = controller.replayError
      ? "server unreachable, retrying"
      : controller.replayInflight && m.paused
        ? `loading the board of ${hhmmss(now)}…`
        : board ? `board of ${hhmmss(Date.parse(board.time))}, fetched ${age.toFixed(1)} s ago`
          : current.needsBoard ? "loading…" : ""; // a view that shows no board waits for none
  } else if (controller.link !== "open") {
    modeText = controller.link === "connecting" ? "Connecting" : "Offline";
    cls = controller.link === "connecting" ? "replay" : "bad";
    freshText = controller.link === "reconnecting"
      ? `reconnecting (try ${controller.linkAttempt})${Number.isFinite(age) ? `, last data ${duration(age)} ago` : ""}`
      : "";
  } else {
    const serverReplay = board?.mode === "replay";
    modeText = serverReplay ? `Server replay · ${board?.speed ?? 1}×` : "Live";
    cls = age * 1000 > STALE_AFTER_MS ? "stale" : serverReplay ? "server-replay" : "live";
    freshText = Number.isFinite(age) ? `updated ${age < 10 ? age.toFixed(1) : Math.round(age)} s ago` : "waiting for data";
  }
  const mode = $("mode");
  if (mode.textContent !== modeText) mode.textContent = modeText;
  mode.className = `mode ${cls}`;
  $("fresh").textContent = freshText;
  document.body.dataset.link = controller.link;
}

function renderLegend(): void {
  const item = (cls: string, text: string, style = "") => h("span", {}, h("i", { class: cls, style }), text);
  $("legend").replaceChildren(
    ...["tracking", "setup", "teardown", "maintenance", "outage", "idle"].map((k) => item("", ACTIVITY_LABEL[k], `background: var(--${k})`)),
    item("line", "downlink", "border-color: var(--band-x)"),
    item("line up", "uplink", "border-color: var(--band-x)"),
    h("span", {}, h("span", { class: "band band-s" }, "S"), h("span", { class: "band band-x" }, "X"), h("span", { class: "band band-ka" }, "Ka")),
  );
}

// ---------------------------------------------------------------- controls and keyboard

/** "2026-11-21 08:30", "2026-11-21T08:30:15Z" or a date alone, in the zone shown ("Z" or "UTC": UTC). */
function parseTimeInput(text: string): number | null {
  const m = text.trim().match(/^(\d{4}-\d{2}-\d{2})(?:[T ](\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*(Z|UTC)?$/i);
  if (!m) return null;
  const time = m[2] ?? "00:00";
  const text8 = `${m[1]}T${time.length <= 5 ? `${time.padStart(5, "0")}:00` : time.padStart(8, "0")}`;
  const ms = parseShown(text8, m[3] ? "utc" : displayZone());
  return Number.isFinite(ms) ? ms : null;
}

function stepBy(direction: number, times = 1): void {
  controller.step(direction * times * Number(($("step") as HTMLSelectElement).value));
}

function share(): void {
  const q = new URLSearchParams(location.search);
  q.set("t", isoUtc(controller.clock.now()).replace(/\.\d+Z$/, "Z"));
  const link = `${location.origin}${location.pathname}?${q}`;
  navigator.clipboard?.writeText(link).then(() => app.toast(`Link copied: ${link}`), () => app.toast(link)) ?? app.toast(link);
}

function showHelp(): void {
  const keys: [string, string][] = [
    [`1 – ${views.length}`, views.map((v) => v.title).join(", ")],
    ["Space", "Pause or play (pausing live switches to replay)"],
    ["← / →", "Step back / forward by the chosen step"],
    ["Shift + ← / →", "Step ten times further"],
    ["+ / −", "Faster / slower replay"],
    ["L", "Back to live"],
    ["/", "Find a station or spacecraft"],
    ["Esc", "Close this dialog"],
  ];
  app.openDialog("Keyboard shortcuts", h("dl", { class: "facts wide keys" }, ...keys.flatMap(([k, v]) => [h("dt", {}, h("kbd", {}, k)), h("dd", {}, v)])));
}

function onKey(ev: KeyboardEvent): void {
  const target = ev.target as HTMLElement;
  if (target.closest("input, select, textarea") || ev.ctrlKey || ev.metaKey || ev.altKey) {
    if (ev.key === "Escape" && target instanceof HTMLInputElement) target.blur();
    return;
  }
  if (dialog.open) return;
  const viewIndex = /^[1-9]$/.test(ev.key) ? Number(ev.key) - 1 : -1;
  if (viewIndex >= 0 && viewIndex < views.length) {
    show(views[viewIndex].id, true);
  } else if (ev.key === " " && !target.closest("button, a, [role=button]")) {
    controller.togglePlay();
  } else if (ev.key === "ArrowLeft" || ev.key === "ArrowRight") {
    if (target.closest("[role=button], .tl-scroll")) return;
    stepBy(ev.key === "ArrowLeft" ? -1 : 1, ev.shiftKey ? 10 : 1);
  } else if (ev.key === "l" || ev.key === "L") {
    goLive();
  } else if (ev.key === "+" || ev.key === "-") {
    const i = SPEEDS.indexOf(controller.clock.speed);
    controller.setSpeed(SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, (i < 0 ? 0 : i) + (ev.key === "+" ? 1 : -1)))]);
    renderControls();
  } else if (ev.key === "/") {
    show("network");
    $("filter").focus();
  } else if (ev.key === "?") {
    showHelp();
  } else {
    return;
  }
  ev.preventDefault();
}

function goLive(): void {
  if (!current.needsBoard) show("network"); // a launch is only ever replayed; live is the network's
  controller.goLive();
}

function wireControls(): void {
  renderLegend();
  const speed = $("speed") as HTMLSelectElement;
  for (const v of SPEEDS) speed.append(h("option", { value: String(v) }, `${v}×`));
  $("play").addEventListener("click", () => controller.togglePlay());
  $("step-back").addEventListener("click", () => stepBy(-1));
  $("step-fwd").addEventListener("click", () => stepBy(1));
  $("go-live").addEventListener("click", goLive);
  $("help").addEventListener("click", showHelp);
  speed.addEventListener("change", () => {
    controller.setSpeed(Number(speed.value));
    renderControls();
  });
  $("time-input").addEventListener("change", (ev) => {
    const input = ev.target as HTMLInputElement;
    const ms = parseTimeInput(input.value);
    input.setAttribute("aria-invalid", String(ms == null));
    if (ms == null) app.toast(`Not a time: "${input.value}" (write 2026-11-21 08:30, or 2026-11-21T08:30:00Z for UTC)`);
    else controller.jumpTo(ms);
  });
  $("replay").addEventListener("submit", (ev) => ev.preventDefault());
  $("share").addEventListener("click", share);
  const localTime = $("local-time") as HTMLInputElement;
  localTime.checked = settings.localTime;
  localTime.addEventListener("change", () => {
    settings.localTime = localTime.checked;
    saveSettings(settings);
    redrawTimes();
  });

  for (const a of document.querySelectorAll<HTMLAnchorElement>("a[data-view]")) {
    a.addEventListener("click", (ev) => {
      ev.preventDefault();
      show(a.dataset.view ?? "network", true);
    });
  }
  $("partner-summary").addEventListener("click", (ev) => {
    const a = (ev.target as HTMLElement).closest<HTMLAnchorElement>("a[data-view]");
    if (a) {
      ev.preventDefault();
      show(a.dataset.view ?? "network", true);
    }
  });
  document.addEventListener("keydown", onKey);
}

/** The zone of the times shown changed (the viewer's choice, or the service's display.time_zone): every view again. */
function redrawTimes(): void {
  const local = $("local-time").closest("label");
  if (local) local.title = `Show every time in ${localZoneName()}${zoneConfigured() ? " (the service's display.time_zone)" : " (this browser's time zone)"}`;
  networkView.redraw();
  timelineView.redraw();
  spacecraftView.redraw();
  eventsView.render();
  partnersView.render();
  launchView.redraw();
  renderClock(controller.moment());
}

// ---------------------------------------------------------------- side data and the live link

/** The service's display time zone and element-age limits, and the fleet's element epochs: every view's times
 * and age badges depend on them. */
function loadDisplay(): void {
  Promise.all([api.display(), api.spacecraftList()]).then(([display, fleet]) => {
    setConfiguredZone(display.time_zone);
    learnAgeLimits(display.element_age_limit_days);
    learnFleet(fleet);
    redrawTimes();
  }, () => undefined); // without them: UTC and the browser's zone, and no element-age judgement
}

function loadSideData(): void {
  api.events(undefined, 300).then(
    (events) => {
      const known = new Set(data.events.map((e) => e.event_id));
      data.events = [...events.filter((e) => !known.has(e.event_id)), ...data.events].sort((a, b) => a.id - b.id);
      eventsView.render();
    },
    () => undefined,
  );
  // Partner networks: the DSN Now feed and a partner's CCSDS Simple Schedule, shown together.
  const at = controller.replaying ? isoUtc(controller.clock.now()) : undefined; // a schedule: as at the moment shown
  Promise.all([api.partnerDsn().catch(() => null), api.partnerSsf(at).catch(() => null)]).then(([dsn, ssf]) => {
    if (!dsn && !ssf) return;
    const raw = [...(dsn?.antennas ?? []), ...((ssf?.antennas ?? []) as unknown as DsnFeed["antennas"])];
    data.partner = { time: dsn?.time ?? ssf?.time ?? null, antennas: raw.map(partnerAntenna) };
    partnersView.render();
    partnersView.loadSchedule();
    networkView.partnerChanged();
  });
  sources.refresh();
}

function start(): void {
  if (controller.url.kiosk) document.body.classList.add("kiosk"); // a wall screen: no controls, just the board
  wireControls();
  show(current.id);
  renderControls();
  if (controller.url.station) networkView.map.select(controller.url.station);
  loadDisplay();

  networkView.map.loadWorld().then(
    () => {
      performance.mark("groundnet:world-drawn");
      worldLoaded = true;
      if ((controller.board || !current.needsBoard) && !painted) markPainted(); // a view of no board is ready with the map
      // The finer map once the page is up; the coarse one stays if it cannot be had.
      window.setTimeout(() => networkView.map.loadWorld(true).catch(() => undefined), 1500);
    },
    () => app.toast("World map data missing: rebuild the board (npm run build)."),
  );
  controller.start();

  new LiveLink({
    message(msg) {
      if (msg.type === "board") {
        controller.pushed(msg.data as Board);
      } else if (msg.type === "event") {
        if (!data.events.some((e) => e.event_id === msg.data.event_id)) data.events.push(msg.data);
        eventsView.render();
      } else if (msg.type === "plan") {
        data.planChanged = true; // the timeline asks for the new plan on its next moment
        app.toast(impactText(msg.data) ?? "The plan changed.");
      } else if (msg.type === "partner") {
        loadSideData();
      }
    },
    status(status, attempt, transport) {
      document.body.dataset.transport = transport;
      const reconnected = controller.link === "reconnecting" && status === "open";
      controller.link = status;
      controller.linkAttempt = attempt;
      if (reconnected) {
        loadSideData();
        data.planChanged = true;
      }
      renderClock(controller.moment());
    },
  }).start();

  window.setTimeout(() => painted || loadSideData(), 3000); // a page that cannot paint still gets them
  window.setInterval(() => controller.tick(), 1000);
  window.setInterval(() => sources.refresh(), 60_000);
  controller.tick();
}

start();
