// A pass's sky plot as on a station's polar display: north up, east to the right, the horizon at
// the rim and the zenith at the centre, the antenna's horizon mask shaded.
import type { PassPointing } from "./contract";
import { h, s } from "./dom";
import { degrees, hhmm, zoneLabel } from "./format";

const R = 100; // the horizon's radius in the drawing's units

function xy(azDeg: number, elDeg: number): [number, number] {
  const r = (R * (90 - Math.max(0, Math.min(90, elDeg)))) / 90;
  const a = (azDeg * Math.PI) / 180;
  return [r * Math.sin(a), -r * Math.cos(a)];
}

function pathOf(points: [number, number][]): string {
  return points.map(([x, y], i) => `${i ? "L" : "M"}${x.toFixed(2)},${y.toFixed(2)}`).join("");
}

/** The plot with its caption; `nowMs` marks where the spacecraft is at the moment shown, when inside the pass. */
export function renderSkyPlot(p: PassPointing, nowMs: number, title: string): HTMLElement {
  const svg = s("svg", { class: "skyplot", viewBox: `${-R - 16} ${-R - 16} ${2 * R + 32} ${2 * R + 32}`, role: "img", "aria-label": title });
  // The mask: what lies between the usable elevation and the horizon cannot be used.
  const floor = p.floor_deg.map((el, i) => xy(i * 2, el));
  const rim = p.floor_deg.map((_, i) => xy(i * 2, 0));
  svg.append(s("circle", { class: "sky", r: R }));
  svg.append(s("path", { class: "mask", d: `${pathOf(rim)}Z${pathOf(floor.reverse())}Z`, "fill-rule": "evenodd" },
    s("title", {}, `Horizon mask, at least ${degrees(p.min_elevation_deg, 0)} elevation`)));
  for (const el of [30, 60]) svg.append(s("circle", { class: "ring", r: (R * (90 - el)) / 90 }));
  for (const az of [0, 90, 180, 270]) {
    const [x, y] = xy(az, 0);
    svg.append(s("line", { class: "spoke", x1: 0, y1: 0, x2: x, y2: y }));
    const [lx, ly] = xy(az, -10);
    const [tx, ty] = [lx * 1.08, ly * 1.08];
    svg.append(s("text", { class: "cardinal", x: tx, y: ty + 4, "text-anchor": "middle" }, ["N", "E", "S", "W"][az / 90]));
  }
  for (const el of [30, 60]) svg.append(s("text", { class: "ring-label", x: 2, y: -(R * (90 - el)) / 90 - 2 }, `${el}°`));

  const times = p.times.map((t) => Date.parse(t));
  const above: [number, number][][] = [];
  let run: [number, number][] = [];
  const inPass: number[] = [];
  p.azimuth_deg.forEach((az, i) => {
    const el = p.elevation_deg[i];
    if (az == null || el == null || el < 0) {
      if (run.length) above.push(run);
      run = [];
      return;
    }
    run.push(xy(az, el));
    inPass.push(i);
  });
  if (run.length) above.push(run);
  for (const seg of above) svg.append(s("path", { class: "pass", d: pathOf(seg) }));
  const caption = h("figcaption", {});
  if (inPass.length) {
    const first = inPass[0];
    const last = inPass[inPass.length - 1];
    let top = first;
    for (const i of inPass) if ((p.elevation_deg[i] ?? -90) > (p.elevation_deg[top] ?? -90)) top = i;
    const mark = (i: number, cls: string, label: string) => {
      const [x, y] = xy(p.azimuth_deg[i] ?? 0, p.elevation_deg[i] ?? 0);
      svg.append(s("circle", { class: cls, cx: x, cy: y, r: 3.5 }, s("title", {}, label)));
    };
    mark(first, "aos", `AOS ${hhmm(times[first])}, azimuth ${degrees(p.azimuth_deg[first])}`);
    mark(last, "los", `LOS ${hhmm(times[last])}, azimuth ${degrees(p.azimuth_deg[last])}`);
    if (nowMs >= times[0] && nowMs <= times[times.length - 1]) {
      const k = times.findIndex((t) => t >= nowMs);
      if (k >= 0 && (p.elevation_deg[k] ?? -1) >= 0) mark(k, "now", "At the moment shown");
    }
    caption.append(
      `From ${p.station_id}: rises at azimuth ${degrees(p.azimuth_deg[first], 0)} (${hhmm(times[first])}), `,
      `highest ${degrees(p.elevation_deg[top])} at azimuth ${degrees(p.azimuth_deg[top], 0)} (${hhmm(times[top])}), `,
      `sets at azimuth ${degrees(p.azimuth_deg[last], 0)} (${hhmm(times[last])}) ${zoneLabel(times[first])}. Shaded: below the horizon mask.`,
    );
  } else {
    caption.append(`${p.spacecraft_id} stays below ${p.station_id}'s horizon over this window.`);
  }
  return h("figure", { class: "skyplot-figure", "data-station-id": p.station_id, "data-spacecraft-id": p.spacecraft_id }, svg, caption);
}
