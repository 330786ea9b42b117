// The plan for the next 24 hours, one row per antenna: contacts with their setup and teardown,
// maintenance and outage blocks, and a line at the moment shown.
import { clear, h } from "./dom";
import { duration, hhmm } from "./format";
import type { AntennaState, Block, Contact, Plan } from "./types";

export const BEFORE_MS = 60 * 60 * 1000;
export const AFTER_MS = 24 * 60 * 60 * 1000;

export class Timeline {
  readonly root: HTMLElement;
  private readonly body: HTMLElement;
  private readonly nowLine: HTMLElement;
  private startMs = 0;
  private endMs = 1;

  constructor(container: HTMLElement, private readonly onContact: (c: Contact) => void) {
    this.body = h("div", { class: "tl-body", role: "list", "aria-label": "Plan per antenna" });
    this.nowLine = h("div", { class: "tl-now", "aria-hidden": "true" });
    this.root = h("div", { class: "timeline" }, this.body, this.nowLine);
    container.append(this.root);
  }

  /** Draw the plan over [start, end] with every antenna as a row, in the board's order. */
  render(plan: Plan, antennas: AntennaState[], startMs: number, endMs: number, showEmpty: boolean): void {
    this.startMs = startMs;
    this.endMs = endMs;
    clear(this.body);
    this.body.append(this.axis());
    const contacts = groupBy(plan.contacts, (c) => c.antenna_id);
    const blocks = groupBy(plan.blocks, (b) => b.antenna_id);
    for (const a of antennas) {
      const cs = (contacts.get(a.id) ?? []).filter((c) => this.overlaps(c.setup_start, c.teardown_end));
      const bs = (blocks.get(a.id) ?? []).filter((b) => this.overlaps(b.start, b.end ?? endIso(endMs)));
      if (!showEmpty && cs.length === 0 && bs.length === 0) continue;
      const lane = h("div", { class: "tl-lane" });
      for (const b of bs) lane.append(this.block(b));
      for (const c of cs) lane.append(this.contact(c));
      this.body.append(
        h("div", { class: `tl-row act-${a.activity}`, role: "listitem", "data-station-id": a.id, "aria-label": `${a.id}: ${cs.length} contacts` },
          h("div", { class: "tl-name" }, h("span", { class: "dot" }), a.id),
          lane),
      );
    }
  }

  /** Move the "now" line; the caller re-renders when the window must move. */
  setNow(ms: number): void {
    const f = (ms - this.startMs) / (this.endMs - this.startMs);
    this.nowLine.style.setProperty("--x", String(Math.min(1, Math.max(0, f))));
    this.nowLine.hidden = f < 0 || f > 1;
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
    el.style.width = `${Math.max(0.15, this.pct(endMs) - left)}%`;
    return el;
  }

  private axis(): HTMLElement {
    const ticks = h("div", { class: "tl-lane tl-ticks", "aria-hidden": "true" });
    const hour = 3600_000;
    for (let t = Math.ceil(this.startMs / hour) * hour; t <= this.endMs; t += hour) {
      const hour = new Date(t).getUTCHours();
      const major = hour % 3 === 0;
      const tick = h("span", { class: `tl-tick${major ? " major" : ""}${hour % 6 === 0 ? " h6" : ""}` }, major ? hhmm(t) : "");
      tick.style.left = `${this.pct(t)}%`;
      ticks.append(tick);
    }
    return h("div", { class: "tl-row tl-axis" }, h("div", { class: "tl-name" }, "UTC"), ticks);
  }

  private contact(c: Contact): HTMLElement {
    const setup = Date.parse(c.setup_start);
    const start = Date.parse(c.start);
    const end = Date.parse(c.end);
    const teardown = Date.parse(c.teardown_end);
    const total = Math.max(1, teardown - setup);
    const label = `${c.spacecraft_name} on ${c.antenna_id}, ${hhmm(start)} to ${hhmm(end)} UTC, ${c.status}`;
    const el = h("button", {
      type: "button",
      class: `tl-contact st-${c.status}`,
      "data-contact-id": c.id,
      "aria-label": label,
      title: `${label} (${duration((end - start) / 1000)})`,
      onclick: () => this.onContact(c),
    });
    el.style.setProperty("--setup", `${(100 * (start - setup)) / total}%`);
    el.style.setProperty("--teardown", `${(100 * (teardown - end)) / total}%`);
    el.append(h("span", { class: "tl-label" }, c.spacecraft_name));
    return this.place(el, setup, teardown);
  }

  private block(b: Block): HTMLElement {
    const end = b.end ? Date.parse(b.end) : this.endMs;
    const label = `${b.kind} ${hhmm(Date.parse(b.start))}–${b.end ? hhmm(end) : "until further notice"}${b.reason ? `: ${b.reason}` : ""}`;
    const el = h("div", { class: `tl-block ${b.kind}`, title: label, role: "img", "aria-label": label }, h("span", { class: "tl-label" }, b.kind));
    return this.place(el, Date.parse(b.start), end);
  }
}

function endIso(ms: number): string {
  return new Date(ms).toISOString();
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
