// The reports view: how the network did over the days before the moment shown. Bars per mission
// (service hours scheduled and delivered, success rate) and a heatmap antenna x day (success rate,
// with downtime marked). Figures come from GET /api/v1/reports/performance (docs/operations.md).
import { api } from "../api";
import type { Moment } from "../controller";
import { h, s } from "../dom";
import { isoUtc } from "../format";
import type { components } from "../generated/api";
import { $, type App, type View } from "./view";

type Row = components["schemas"]["PerformanceRead"];
const DAY_MS = 86_400_000;
const REFETCH_MS = 3_600_000;

interface MissionTotal { key: string; scheduled: number; delivered: number; judged: number; completed: number; contacts: number }

/** Rows of several periods summed per mission. */
export function totals(rows: Row[]): MissionTotal[] {
  const by = new Map<string, MissionTotal>();
  for (const r of rows) {
    const t = by.get(r.key) ?? { key: r.key, scheduled: 0, delivered: 0, judged: 0, completed: 0, contacts: 0 };
    t.scheduled += r.scheduled_h;
    t.delivered += r.delivered_h;
    t.judged += r.completed + r.partial + r.failed + r.missed;
    t.completed += r.completed;
    t.contacts += r.contacts;
    by.set(r.key, t);
  }
  return [...by.values()].filter((t) => t.contacts > 0).sort((a, b) => b.scheduled - a.scheduled || a.key.localeCompare(b.key));
}

const pct = (x: number | null | undefined) => (x == null ? "–" : `${(100 * x).toFixed(x >= 0.999 || x === 0 ? 0 : 1)} %`);

/** Green at full success, through amber, to red at half or less. */
function heat(rate: number): string {
  const t = Math.max(0, Math.min(1, (rate - 0.5) / 0.5));
  return `hsl(${Math.round(120 * t)} 65% ${38 + 8 * (1 - t)}%)`;
}

export class ReportsView implements View {
  readonly id = "reports";
  readonly title = "Reports";
  readonly needsBoard = false;
  private fetchedEnd = 0;
  private days = 30;
  private inflight = false;
  private again = false;

  constructor(private readonly app: App) {
    const span = $("reports-days") as HTMLSelectElement;
    span.addEventListener("change", () => {
      this.days = Number(span.value);
      this.fetchedEnd = 0;
      this.load(this.app.controller.moment());
    });
  }

  enter(m: Moment): void {
    this.load(m);
  }

  leave(): void {}

  onMoment(m: Moment): void {
    if (m.jumped || Math.abs(m.now - this.fetchedEnd) > REFETCH_MS) this.load(m);
  }

  onBoard(): void {}

  private async load(m: Moment): Promise<void> {
    if (this.inflight) {
      this.again = true; // the span or the moment changed while a load ran: load once more after it
      return;
    }
    this.inflight = true;
    const end = Math.floor(m.now / DAY_MS) * DAY_MS + DAY_MS; // to the end of the day shown
    const start = end - this.days * DAY_MS;
    this.fetchedEnd = m.now;
    $("reports-window").textContent = `${isoUtc(start).slice(0, 10)} to ${isoUtc(end - 1).slice(0, 10)} UTC`;
    try {
      const [missions, antennas] = await Promise.all([
        api.performance(isoUtc(start), isoUtc(end), "month", "mission"),
        api.performance(isoUtc(start), isoUtc(end), "day", "antenna"),
      ]);
      this.renderBars(totals(missions));
      this.renderHeatmap(antennas, start, end);
    } catch (err) {
      $("reports-bars").replaceChildren(h("p", { class: "muted" }, `Reports unavailable: ${(err as Error).message}`));
      $("reports-heatmap").replaceChildren();
    } finally {
      this.inflight = false;
    }
    if (this.again) {
      this.again = false;
      await this.load(this.app.controller.moment());
    }
  }

  private renderBars(rows: MissionTotal[]): void {
    const box = $("reports-bars");
    if (!rows.length) {
      box.replaceChildren(h("p", { class: "muted" }, "No contact in this window: the plan and records start when the service runs (or after groundnet simulate)."));
      return;
    }
    const max = Math.max(...rows.map((r) => r.scheduled), 1e-9);
    // As wide as the panel (a phone too): the bars give way, the names and figures keep their room.
    const avail = box.clientWidth || 760;
    const narrow = avail < 600;
    const rowH = 22, labelW = narrow ? 96 : 150, textW = narrow ? 128 : 190;
    const barW = Math.max(90, Math.min(420, avail - labelW - textW));
    const w = labelW + barW + textW, ht = rows.length * rowH + 24;
    const svg = s("svg", { class: "bars", viewBox: `0 0 ${w} ${ht}`, width: w, height: ht, role: "img",
      "aria-label": "Service hours scheduled and delivered per mission" });
    rows.forEach((r, i) => {
      const y = 20 + i * rowH;
      const rate = r.judged ? r.completed / r.judged : null;
      svg.append(
        s("text", { x: labelW - 8, y: y + 14, "text-anchor": "end", class: "bar-label" }, r.key),
        s("rect", { x: labelW, y: y + 3, width: (barW * r.scheduled) / max, height: rowH - 6, class: "bar-scheduled" },
          s("title", {}, `${r.key}: ${r.scheduled.toFixed(1)} h scheduled`)),
        s("rect", { x: labelW, y: y + 3, width: (barW * r.delivered) / max, height: rowH - 6, class: "bar-delivered",
          fill: rate == null ? "var(--muted)" : heat(rate) },
          s("title", {}, `${r.key}: ${r.delivered.toFixed(1)} h delivered of ${r.scheduled.toFixed(1)} h; success ${pct(rate)}`)),
        s("text", { x: labelW + barW + 8, y: y + 14, class: "bar-value" },
          `${r.delivered.toFixed(1)} / ${r.scheduled.toFixed(1)} h · ${pct(rate)}`),
      );
    });
    svg.append(s("text", { x: narrow ? 0 : labelW, y: 12, class: "bar-head" },
      narrow ? "delivered / scheduled hours · success rate" : "delivered / scheduled service hours · contact success rate"));
    // Nothing delivered anywhere: no station reported on its contacts (a contact nobody reports on is missed).
    const silent = rows.every((r) => r.delivered === 0) && rows.some((r) => r.judged > 0);
    box.replaceChildren(...(silent ? [h("p", { class: "warn reports-silent", role: "note" },
      "No station reported on its contacts in this span, so none counts as delivered: stations report through ",
      h("code", {}, "groundnet agent"), " (or the service simulates them with ", h("code", {}, "serve --simulate"), ").")] : []), svg);
  }

  private renderHeatmap(rows: Row[], start: number, end: number): void {
    const box = $("reports-heatmap");
    const days = Math.round((end - start) / DAY_MS);
    const keys = [...new Set(rows.map((r) => r.key))].sort();
    const cell = new Map(rows.map((r) => [`${r.key}|${Math.round((Date.parse(r.period_start) - start) / DAY_MS)}`, r]));
    // Every day in sight on a phone too (the latest days matter most): narrower cells, never a sideways scroll.
    const labelW = 80, ch = 18, top = 18;
    const cw = Math.max(8, Math.min(44, Math.floor(Math.min(760, (box.clientWidth || 760) - labelW - 4) / days)));
    const w = labelW + days * cw + 4, ht = top + keys.length * ch + 4;
    const svg = s("svg", { class: "heatmap", viewBox: `0 0 ${w} ${ht}`, width: w, height: ht, role: "img",
      "aria-label": "Contact success rate per antenna and day" });
    for (let d = 0; d < days; d += Math.max(1, Math.ceil(days / 10), Math.ceil(40 / cw))) {
      svg.append(s("text", { x: labelW + d * cw, y: 12, class: "hm-day" }, isoUtc(start + d * DAY_MS).slice(5, 10)));
    }
    keys.forEach((key, i) => {
      const y = top + i * ch;
      svg.append(s("text", { x: labelW - 6, y: y + 12, "text-anchor": "end", class: "hm-label" }, key));
      for (let d = 0; d < days; d++) {
        const r = cell.get(`${key}|${d}`);
        const judged = r ? r.completed + r.partial + r.failed + r.missed : 0;
        const rate = r && judged ? r.completed / judged : null;
        const down = r?.downtime_h ?? 0;
        const title = r ? `${key} ${r.period_start.slice(0, 10)}: ${r.completed}/${judged} completed (${pct(rate)}), ` +
          `${r.partial} partial, ${r.failed} failed, ${r.missed} missed, ${r.cancelled} cancelled; availability ${pct(r.availability)}` : key;
        svg.append(s("rect", { x: labelW + d * cw, y, width: cw - 2, height: ch - 2, rx: 2,
          class: rate == null ? "hm-cell hm-empty" : "hm-cell", fill: rate == null ? undefined : heat(rate),
          stroke: down > 0 ? "var(--outage)" : undefined, "stroke-width": down > 0 ? 2 : undefined }, s("title", {}, title)));
      }
    });
    box.replaceChildren(svg);
  }
}
