// Tracking residuals of a contact: a station's TDM sent to the server (POST /api/v1/residuals), its
// statistics per observable and each observable's residuals over the contact drawn as points.
import type { Moment } from "../controller";
import { h, s } from "../dom";
import { api, type Residuals } from "../api";
import { $, type App, type View } from "./view";

const W = 640;
const H = 150;
const PAD = { left: 64, right: 10, top: 22, bottom: 22 };

function fmt(x: number | null | undefined): string {
  if (x == null || !Number.isFinite(x)) return "—";
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(3) : x.toPrecision(4);
}

/** One observable's residuals over time, as points around a zero line. */
function chart(series: Residuals["series"], observable: string, unit: string): SVGSVGElement {
  const pts = series.flatMap((sr) => sr.times.map((t, i) => [Date.parse(t), sr.residuals[i], sr.station] as const))
    .filter((p): p is readonly [number, number, string] => p[1] != null && Number.isFinite(p[1]));
  const t0 = Math.min(...pts.map((p) => p[0]));
  const t1 = Math.max(...pts.map((p) => p[0]), t0 + 1);
  // Symmetric about zero, so that an offset reads as a distance from the zero line.
  const m = Math.max(...pts.map((p) => Math.abs(p[1])), 0) || 1;
  const hi = m;
  const lo = -m;
  const x = (t: number) => PAD.left + ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + (0.5 - v / (2.2 * m)) * (H - PAD.top - PAD.bottom);
  const stations = [...new Set(pts.map((p) => p[2]))];
  return s("svg", { viewBox: `0 0 ${W} ${H}`, class: "residual-chart", role: "img",
    "aria-label": `${observable} residuals (${unit}) over time` },
    s("line", { x1: PAD.left, x2: W - PAD.right, y1: y(0), y2: y(0), class: "zero" }),
    s("text", { x: PAD.left - 6, y: y(hi) + 4, "text-anchor": "end" }, fmt(hi)),
    s("text", { x: PAD.left - 6, y: y(lo) + 4, "text-anchor": "end" }, fmt(lo)),
    s("text", { x: PAD.left, y: H - 6 }, new Date(t0).toISOString().slice(11, 19)),
    s("text", { x: W - PAD.right, y: H - 6, "text-anchor": "end" }, new Date(t1).toISOString().slice(11, 19) + " UTC"),
    s("text", { x: 4, y: 14, class: "title" }, `${observable} [${unit}] · measured − predicted`),
    ...pts.map((p) => s("circle", { cx: x(p[0]), cy: y(p[1]), r: 2, class: `st-${stations.indexOf(p[2]) % 4}` })),
  );
}

export class ResidualsView implements View {
  readonly id = "residuals";
  readonly title = "Residuals";
  readonly needsBoard = false;
  private readonly toast: (message: string) => void;

  /** `?view=residuals&contact=ID` opens the view for that contact (read before the controller rewrites the URL). */
  private readonly linkedContact = new URLSearchParams(location.search).get("contact");

  constructor(app: App) {
    this.toast = (m) => app.toast(m);
    $("residual-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      void this.submit();
    });
  }

  enter(_m: Moment): void {
    const input = $("residual-contact") as HTMLInputElement;
    if (this.linkedContact && !input.value) input.value = this.linkedContact;
  }

  /** Compare for this contact (from the timeline's contact details). */
  choose(contactId: string): void {
    ($("residual-contact") as HTMLInputElement).value = contactId;
    ($("residual-spacecraft") as HTMLInputElement).value = "";
  }

  leave(): void {}

  onMoment(): void {}

  onBoard(): void {}

  private async submit(): Promise<void> {
    const file = ($("residual-file") as HTMLInputElement).files?.[0];
    const contact = ($("residual-contact") as HTMLInputElement).value.trim();
    const spacecraft = ($("residual-spacecraft") as HTMLInputElement).value.trim();
    const out = $("residual-result");
    if (!file || (!contact && !spacecraft)) {
      out.replaceChildren(h("p", { class: "muted" }, "Choose a TDM file and give a contact id (or a spacecraft id)."));
      return;
    }
    out.replaceChildren(h("p", { class: "muted" }, "Comparing with the prediction…"));
    try {
      const r = await api.residuals(await file.text(), contact ? { contact } : { spacecraft });
      this.show(r);
    } catch (err) {
      out.replaceChildren(h("p", { class: "error", role: "alert" }, (err as Error).message));
    }
  }

  show(r: Residuals): void {
    const head = ["station", "observable", "path", "unit", "samples", "mean", "std", "rms", "min", "max"] as const;
    const table = h("table", { class: "residual-stats" },
      h("thead", {}, h("tr", {}, ...head.map((k) => h("th", { scope: "col" }, k)))),
      h("tbody", {}, ...r.stats.map((row) => h("tr", { "data-observable": row.observable },
        ...head.map((k) => h("td", { class: typeof row[k] === "number" ? "num" : "" },
          typeof row[k] === "number" && k !== "samples" ? fmt(row[k] as number) : String(row[k] ?? "—")))))));
    const observables = [...new Set(r.series.map((sr) => sr.observable))];
    const skipped = Object.entries(r.not_compared);
    $("residual-result").replaceChildren(
      h("p", { class: "muted" }, r.contact
        ? `Contact ${r.contact.id}: ${r.object} on ${r.contact.antenna_id}, ${r.contact.start.slice(0, 19).replace("T", " ")} – ${r.contact.end.slice(11, 19)} UTC`
        : `Spacecraft ${r.object}`),
      h("div", { class: "table-wrap" }, table),
      ...observables.map((o) => chart(r.series.filter((sr) => sr.observable === o), o, r.series.find((sr) => sr.observable === o)?.unit ?? "")),
    );
    if (skipped.length) {
      $("residual-result").append(h("p", { class: "muted" }, `Read, not compared: ${skipped.map(([k, n]) => `${k} (${n})`).join(", ")}`));
    }
    this.toast(`Residuals of ${r.stats.length} series computed.`);
  }
}
