// The plan around the moment shown, one row per antenna: contacts with their setup and teardown,
// maintenance and outage blocks, and a line at the moment shown ("now" live, "replay" otherwise).
// Zoomable from the whole window down to one hour across the screen, where an 8-minute contact is
// a labelled bar; each contact says whether it is done, in progress, ahead, failed, partial, missed or cancelled
// at the moment shown, so that a replay of the past reads as the past.
import { clear, h } from "./dom";
import { duration, hhmm, zoneLabel } from "./format";
import type { AntennaState, Block, Contact, Plan } from "./contract";

export const BEFORE_MS = 60 * 60 * 1000;
export const AFTER_MS = 24 * 60 * 60 * 1000;
/** The zoom levels: hours across the screen (0: the whole window). */
export const ZOOM_HOURS = [0, 12, 6, 3, 1] as const;
/** Narrower than this a bar carries no text (a clipped "S." says nothing); its tooltip and label say it. */
const MIN_LABEL_PX = 44;

export type Phase = "done" | "now" | "ahead" | "failed" | "partial" | "missed" | "cancelled";

/** The end states the server's contact record (`status`) gives that a bar shows as such. */
const ENDED: Partial<Record<Contact["status"], Phase>> = { failed: "failed", partial: "partial", missed: "missed" };

/** What a contact is at a moment: a failure or a completion is only known once it has happened. */
export function phaseAt(c: Pick<Contact, "status" | "start" | "end">, nowMs: number): Phase {
  if (c.status === "cancelled") return "cancelled";
  const start = Date.parse(c.start);
  const end = Date.parse(c.end);
  if (nowMs < start) return "ahead";
  // In a replay the record may already say how a contact ended: not before its end.
  if (nowMs < end) return "now";
  return ENDED[c.status] ?? "done";
}

const PHASE_TEXT: Record<Phase, string> = { done: "done", now: "in progress", ahead: "ahead", failed: "failed", partial: "partial",
  missed: "missed", cancelled: "cancelled" };

export class Timeline {
  readonly root: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly inner: HTMLElement;
  private readonly body: HTMLElement;
  private readonly nowLine: HTMLElement;
  private startMs = 0;
  private endMs = 1;
  private zoomHours: number = ZOOM_HOURS[0];
  private nowMs = 0;

  constructor(container: HTMLElement, private readonly onContact: (c: Contact) => void) {
    this.body = h("div", { class: "tl-body", role: "list", "aria-label": "Plan per antenna" });
    this.nowLine = h("div", { class: "tl-now", "aria-hidden": "true", "data-label": "now" });
    this.inner = h("div", { class: "tl-inner" }, this.body, this.nowLine);
    this.scroller = h("div", { class: "tl-scroll", tabindex: 0, role: "region", "aria-label": "Plan, scroll sideways when zoomed in" }, this.inner);
    this.root = h("div", { class: "timeline plan-timeline" }, this.scroller);
    container.append(this.root);
    this.scroller.addEventListener("scroll", () => this.hideUnderNames(), { passive: true });
  }

  get zoom(): number {
    return this.zoomHours;
  }

  /** Hours across the screen (0: the whole window); the moment shown stays in sight. */
  setZoom(hours: number): void {
    this.zoomHours = hours;
    this.inner.style.setProperty("--zoom", String(this.factor()));
    this.root.classList.toggle("zoomed", this.factor() > 1);
    this.scrollToNow();
  }

  private factor(): number {
    const windowH = (this.endMs - this.startMs) / 3600_000;
    return this.zoomHours > 0 && windowH > this.zoomHours ? windowH / this.zoomHours : 1;
  }

  /** Draw the plan over [start, end] with every antenna as a row, in the board's order. */
  render(plan: Plan, antennas: AntennaState[], startMs: number, endMs: number, showEmpty: boolean): void {
    const moved = startMs !== this.startMs;
    this.startMs = startMs;
    this.endMs = endMs;
    const factor = this.factor();
    this.inner.style.setProperty("--zoom", String(factor));
    this.root.classList.toggle("zoomed", factor > 1);
    // The names' column fits the longest antenna id (SATNOGS-1378 as well as DSS-14).
    this.root.style.setProperty("--name-chars", String(antennas.reduce((n, a) => Math.max(n, a.id.length), 0)));
    clear(this.body);
    this.body.append(this.axis());
    // The width a lane has on screen, for deciding which bars can carry text.
    const namePx = this.body.querySelector<HTMLElement>(".tl-name")?.offsetWidth || 88;
    const lanePx = Math.max(200, this.scroller.clientWidth - namePx) * factor;
    const contacts = groupBy(plan.contacts, (c) => c.antenna_id);
    const blocks = groupBy(plan.blocks, (b) => b.antenna_id);
    for (const a of antennas) {
      const cs = (contacts.get(a.id) ?? []).filter((c) => this.overlaps(c.setup_start, c.teardown_end));
      const bs = (blocks.get(a.id) ?? []).filter((b) => this.overlaps(b.start, b.end ?? new Date(endMs).toISOString()));
      if (!showEmpty && cs.length === 0 && bs.length === 0) continue;
      const lane = h("div", { class: "tl-lane" });
      for (const b of bs) lane.append(this.block(b));
      // What follows each contact in the lane, for the room its name has beside a narrow bar.
      const starts = [...cs.map((c) => Date.parse(c.setup_start)), ...bs.map((b) => Date.parse(b.start))].sort((x, y) => x - y);
      for (const c of cs) {
        const end = Date.parse(c.teardown_end);
        const next = starts.find((t) => t >= end) ?? this.endMs;
        lane.append(...this.contact(c, lanePx, next));
      }
      this.body.append(
        h("div", { class: `tl-row act-${a.activity}`, role: "listitem", "data-station-id": a.id, "aria-label": `${a.id}: ${cs.length} contacts` },
          h("div", { class: "tl-name" }, h("span", { class: "dot" }), a.id),
          lane),
      );
    }
    this.setNow(this.nowMs);
    if (moved) this.scrollToNow();
    this.hideUnderNames();
  }

  /** What is scrolled under the antenna names is hidden: the line at the moment shown, and the label of a
   * contact whose bar shows less of itself than its label needs (a stub such as "0" says nothing). */
  private hideUnderNames(): void {
    const names = this.inner.querySelector<HTMLElement>(".tl-name")?.offsetWidth ?? 0;
    const edge = this.scroller.scrollLeft + names;
    this.nowLine.classList.toggle("under-names", this.nowLine.offsetLeft < edge);
    for (const label of this.body.querySelectorAll<HTMLElement>(".tl-contact > .tl-label")) {
      const bar = label.parentElement as HTMLElement;
      const left = bar.offsetLeft + names; // the bar's left within the lane, plus the names column before the lane
      const room = left + bar.offsetWidth - Math.max(edge, left);
      label.classList.toggle("no-room", left < edge && room < label.offsetWidth);
    }
  }

  /** Move the line to the moment shown, and say of each contact what it is at that moment. */
  setNow(ms: number, replay = this.nowLine.dataset.label === "replay"): void {
    this.nowMs = ms;
    const f = (ms - this.startMs) / (this.endMs - this.startMs);
    this.nowLine.style.setProperty("--x", String(Math.min(1, Math.max(0, f))));
    this.nowLine.hidden = !(f >= 0 && f <= 1);
    this.nowLine.dataset.label = replay ? "replay" : "now";
    this.hideUnderNames();
    for (const el of this.body.querySelectorAll<HTMLElement>(".tl-contact")) {
      const phase = phaseAt(JSON.parse(el.dataset.contact ?? "{}") as Contact, ms);
      if (el.dataset.phase === phase) continue;
      el.dataset.phase = phase;
      el.setAttribute("aria-label", `${el.dataset.label}, ${PHASE_TEXT[phase]}`);
      const outside = el.nextElementSibling as HTMLElement | null;
      if (outside?.classList.contains("tl-outside")) outside.dataset.phase = phase;
    }
  }

  /** Scroll so that the moment shown sits a quarter from the left. */
  scrollToNow(): void {
    const f = (this.nowMs - this.startMs) / (this.endMs - this.startMs);
    const lane = this.inner.scrollWidth - (this.inner.querySelector<HTMLElement>(".tl-name")?.offsetWidth ?? 0);
    this.scroller.scrollLeft = Math.max(0, f * lane - this.scroller.clientWidth / 4);
  }

  private overlaps(start: string, end: string): boolean {
    return Date.parse(end) > this.startMs && Date.parse(start) < this.endMs;
  }

  private pct(ms: number): number {
    return (100 * (Math.min(this.endMs, Math.max(this.startMs, ms)) - this.startMs)) / (this.endMs - this.startMs);
  }

  private place(el: HTMLElement, startMs: number, endMs: number): HTMLElement {
    const left = this.pct(startMs);
    el.style.left = `${left}%`;
    el.style.width = `${Math.max(0.08, this.pct(endMs) - left)}%`;
    return el;
  }

  private axis(): HTMLElement {
    const ticks = h("div", { class: "tl-lane tl-ticks", "aria-hidden": "true" });
    const visibleH = (this.endMs - this.startMs) / 3600_000 / this.factor();
    // A tick every 15 min to every hour, a label every 30 min to every 3 h, as the zoom allows.
    const [stepMin, labelMin] = visibleH <= 1.5 ? [10, 10] : visibleH <= 3.5 ? [15, 30] : visibleH <= 7 ? [30, 60] : visibleH <= 13 ? [60, 60] : [60, 180];
    const step = stepMin * 60_000;
    for (let t = Math.ceil(this.startMs / step) * step; t <= this.endMs; t += step) {
      const minute = Math.round(t / 60_000);
      const major = minute % labelMin === 0;
      const tick = h("span", { class: `tl-tick${major ? " major" : ""}${minute % 360 === 0 ? " h6" : ""}` }, major ? hhmm(t) : "");
      tick.style.left = `${this.pct(t)}%`;
      ticks.append(tick);
    }
    return h("div", { class: "tl-row tl-axis" }, h("div", { class: "tl-name" }, zoneLabel(this.startMs)), ticks);
  }

  /** The contact's bar; a bar too narrow for its name gets the name beside it when the lane is free until `nextMs`. */
  private contact(c: Contact, lanePx: number, nextMs: number): HTMLElement[] {
    const setup = Date.parse(c.setup_start);
    const start = Date.parse(c.start);
    const end = Date.parse(c.end);
    const teardown = Date.parse(c.teardown_end);
    const total = Math.max(1, teardown - setup);
    const label = `${c.spacecraft_name} on ${c.antenna_id}, ${hhmm(start)} to ${hhmm(end)} ${zoneLabel(start)}`;
    const el = h("button", {
      type: "button",
      class: `tl-contact st-${c.status}`,
      "data-contact-id": c.id,
      "data-label": label,
      "data-contact": JSON.stringify({ id: c.id, status: c.status, start: c.start, end: c.end }),
      title: `${label} (${duration((end - start) / 1000)})`,
      onclick: () => this.onContact(c),
    });
    el.style.setProperty("--setup", `${(100 * (start - setup)) / total}%`);
    el.style.setProperty("--teardown", `${(100 * (teardown - end)) / total}%`);
    const pxPerMs = lanePx / (this.endMs - this.startMs);
    const px = (teardown - setup) * pxPerMs;
    if (px >= MIN_LABEL_PX) {
      el.append(h("span", { class: "tl-label" }, c.spacecraft_name, px >= 150 ? h("small", {}, ` ${hhmm(start)}–${hhmm(end)}`) : null));
      return [this.place(el, setup, teardown)];
    }
    const room = (Math.min(nextMs, this.endMs) - teardown) * pxPerMs - 4;
    if (room < MIN_LABEL_PX) return [this.place(el, setup, teardown)];
    const beside = h("span", { class: "tl-outside", "aria-hidden": "true", "data-contact-id": c.id }, c.spacecraft_name);
    beside.style.left = `${this.pct(teardown)}%`;
    beside.style.maxWidth = `${Math.floor(room)}px`;
    beside.classList.add("tl-label");
    return [this.place(el, setup, teardown), beside];
  }

  private block(b: Block): HTMLElement {
    const end = b.end ? Date.parse(b.end) : this.endMs;
    const label = `${b.kind} ${hhmm(Date.parse(b.start))}–${b.end ? hhmm(end) : "until further notice"}${b.reason ? `: ${b.reason}` : ""}`;
    const el = h("div", { class: `tl-block ${b.kind}`, title: label, role: "img", "aria-label": label }, h("span", { class: "tl-label" }, b.kind));
    return this.place(el, Date.parse(b.start), end);
  }
}

function groupBy<T>(items: T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of items) {
    const k = key(x);
    const list = out.get(k);
    if (list) list.push(x);
    else out.set(k, [x]);
  }
  return out;
}
