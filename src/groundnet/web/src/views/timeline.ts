// The timeline view: the plan per antenna around the moment shown; a contact opens its details.
import { api } from "../api";
import type { Board, Contact, Plan } from "../contract";
import type { Moment } from "../controller";
import { h } from "../dom";
import { countdown, dateTime, duration, hhmmss, isoUtc, known, zoneLabel } from "../format";
import { renderSkyPlot } from "../skyplot";
import { AFTER_MS, BEFORE_MS, Timeline, ZOOM_HOURS } from "../timeline";
import { $, type App, type View } from "./view";

export class TimelineView implements View {
  readonly id = "timeline";
  readonly title = "Timeline";
  readonly needsBoard = true;
  private readonly timeline: Timeline;
  private plan: Plan | null = null;
  private window = { start: 0, end: 0 };
  private fetchedAt = 0;
  private inflight = false;
  private board: Board | null = null;
  private drawnWithAntennas = false; // a plan that came before the first board is drawn again with it

  constructor(private readonly app: App) {
    this.timeline = new Timeline($("timeline"), (c) => this.showContact(c));
    $("show-empty").addEventListener("change", () => this.draw(app.controller.moment()));
    const zoom = $("tl-zoom") as HTMLSelectElement;
    const setZoom = (hours: number) => {
      zoom.value = String(hours);
      this.timeline.setZoom(hours);
      this.draw(app.controller.moment());
      this.timeline.scrollToNow();
    };
    zoom.addEventListener("change", () => setZoom(Number(zoom.value)));
    const levels = ZOOM_HOURS.map(String);
    const by = (d: number) => () => setZoom(Number(levels[Math.min(levels.length - 1, Math.max(0, levels.indexOf(zoom.value) + d))]));
    $("tl-zoom-in").addEventListener("click", by(1));
    $("tl-zoom-out").addEventListener("click", by(-1));
  }

  enter(m: Moment): void {
    this.ensurePlan(m);
    this.draw(m);
  }

  leave(): void {}

  onMoment(m: Moment): void {
    this.ensurePlan(m);
    if (m.jumped) this.draw(m);
    else this.timeline.setNow(m.now, m.mode === "replay");
  }

  onBoard(board: Board, m: Moment): void {
    this.board = board;
    if (!this.drawnWithAntennas) this.draw(m);
  }

  /** The plan changed on the server, or the time zone changed. */
  redraw(): void {
    this.fetchedAt = 0;
    this.draw(this.app.controller.moment());
  }

  private ensurePlan(m: Moment): void {
    const now = m.now;
    const { start } = this.window;
    const stale = !this.plan || this.app.data.planChanged || now < start || now > start + BEFORE_MS + 15 * 60_000 ||
      performance.now() - this.fetchedAt > 60_000;
    if (!stale || this.inflight) return;
    this.inflight = true;
    this.app.data.planChanged = false;
    // A phone gets half a day, so that a contact is wider than a hair.
    const after = matchMedia("(max-width: 720px)").matches ? AFTER_MS / 2 : AFTER_MS;
    const window = { start: now - BEFORE_MS, end: now + after };
    api.plan(isoUtc(window.start), isoUtc(window.end)).then(
      (plan) => {
        this.inflight = false;
        this.plan = plan;
        this.window = window;
        this.fetchedAt = performance.now();
        this.draw(this.app.controller.moment());
      },
      (err: Error) => {
        this.inflight = false;
        this.fetchedAt = performance.now();
        this.app.toast(`Plan unavailable: ${err.message}`);
      },
    );
  }

  private draw(m: Moment): void {
    if (!this.plan) return;
    const antennas = this.board?.antennas ?? [];
    this.drawnWithAntennas = antennas.length > 0;
    const hours = Math.round((this.window.end - this.window.start - BEFORE_MS) / 3600_000);
    $("timeline-title").textContent = m.mode === "replay" ? `Plan around the replayed moment (${hours} h)` : `Plan, next ${hours} h`;
    this.timeline.render(this.plan, antennas, this.window.start, this.window.end, ($("show-empty") as HTMLInputElement).checked);
    this.timeline.setNow(m.now, m.mode === "replay");
  }

  /** The contact's pass as its antenna sees it, inside the contact's dialog. */
  private showSky(c: Contact, into: HTMLElement): void {
    const title = `Sky plot of ${c.spacecraft_name} over ${c.antenna_id}, ${dateTime(c.start)} ${zoneLabel(Date.parse(c.start))}`;
    into.replaceChildren(h("p", { class: "muted" }, "Loading the sky plot…"));
    api.pointing(c.spacecraft_id, c.antenna_id, c.start, c.end).then(
      (pointing) => into.replaceChildren(renderSkyPlot(pointing, this.app.controller.clock.now(), title)),
      (err: Error) => into.replaceChildren(h("p", { class: "warn" }, `Sky plot unavailable: ${err.message}`)),
    );
  }

  private showContact(c: Contact): void {
    const start = Date.parse(c.start);
    const end = Date.parse(c.end);
    const zone = zoneLabel(start);
    const rows: [string, string][] = [
      ["Spacecraft", `${c.spacecraft_name} (${c.spacecraft_id})`],
      ["Mission", known(c.mission)],
      ["Antenna", c.antenna_id],
      ["Status", c.cause ? `${c.status} (cause: ${c.cause})` : c.status],
      ...(c.reason ? [["Why", c.reason] as [string, string]] : []),
      ["Setup from", `${dateTime(c.setup_start, true)} ${zone}`],
      ["Contact", `${dateTime(c.start, true)} – ${hhmmss(end)} ${zone}`],
      ["Duration", duration((end - start) / 1000)],
      ["Teardown until", `${dateTime(c.teardown_end, true)} ${zone}`],
      ["Starts", countdown(start, this.app.controller.clock.now())],
      ["Request", known(c.request_id, "not from a request")],
    ];
    const controller = this.app.controller;
    const sky = h("div", { class: "sc-sky", "aria-live": "polite" });
    this.app.openDialog(`${c.spacecraft_name} on ${c.antenna_id}`,
      h("dl", { class: "facts wide" }, ...rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
      h("p", { class: "actions" },
        h("button", { type: "button", onclick: () => { this.app.closeDialog(); controller.jumpTo(start); } }, "Replay from AOS"),
        h("button", { type: "button", onclick: () => { this.app.closeDialog(); this.app.openSpacecraft(c.spacecraft_id); } }, "Spacecraft page"),
        h("button", { type: "button", onclick: () => { this.app.closeDialog(); this.app.openResiduals(c.id); } }, "Tracking residuals"),
        h("button", { type: "button", class: "sky-btn", onclick: () => this.showSky(c, sky) }, "Sky plot")),
      sky,
    );
  }
}
