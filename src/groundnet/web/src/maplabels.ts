// Map labels that never overlap each other, never cover a marker and never leave the map: each label
// is measured in the map's font, tried around its marker from near to far, and dropped when no spot
// is free. Spacecraft drawn on top of each other (the craft orbiting Mars) share one label.

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface Placed extends Box {
  tx: number;
  ty: number;
  anchor: "start" | "end" | "middle";
  /** 1 beside its marker; 2 further out, where a leader line joins it to its marker. */
  ring: number;
}

/** A font as the map's CSS sets it for a kind of label, in map units (the SVG's user space). */
export interface LabelFont {
  size: number;
  weight: number;
}

let ruler: CanvasRenderingContext2D | null = null;

/** The width of a text in a font, in the unit of the font's size (canvas metrics: no layout needed,
 * so labels are measured while their view is hidden). */
export function textWidth(text: string, font: LabelFont, family: string): number {
  ruler ??= document.createElement("canvas").getContext("2d");
  if (!ruler) return text.length * font.size * 0.65;
  ruler.font = `${font.weight} ${font.size}px ${family}`;
  return ruler.measureText(text).width;
}

export function overlaps(a: Box, b: Box): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

export class LabelPlacer {
  private readonly taken: Box[] = [];

  /** `bounds`: the visible part of the map; `halo`: the outline each label keeps free around it. */
  constructor(private readonly bounds: Box, private readonly family: string, private readonly halo: number) {}

  /** Keep a marker or a fixed label free of labels. */
  block(box: Box): void {
    this.taken.push(box);
  }

  /** A round marker of radius `r` at (x, y). */
  blockMarker(x: number, y: number, r: number): void {
    this.block({ x0: x - r, y0: y - r, x1: x + r, y1: y + r });
  }

  /** The box a text takes with its baseline at (tx, ty): the font's ascent and descent, and the halo. */
  box(tx: number, ty: number, anchor: Placed["anchor"], width: number, font: LabelFont, ring = 1): Placed {
    const x0 = anchor === "end" ? tx - width : anchor === "middle" ? tx - width / 2 : tx;
    const p = this.halo;
    return { x0: x0 - p, y0: ty - 0.95 * font.size - p, x1: x0 + width + p, y1: ty + 0.27 * font.size + p, tx, ty, anchor, ring };
  }

  /** The first free spot for `text` around a marker at (x, y) whose edge is `offset` away: right, left,
   * above, below, the four corners, then the same twice as far out (with a leader line); null when none is free. */
  place(x: number, y: number, text: string, offset: number, font: LabelFont): Placed | null {
    const width = textWidth(text, font, this.family);
    const size = font.size;
    const mid = 0.34 * size; // the baseline that centres the text's x-height on the marker
    for (const ring of [1, 2]) {
      const d = offset * ring + (ring - 1) * 0.6 * size;
      const spots: [number, number, Placed["anchor"]][] = [
        [x + d, y + mid, "start"],
        [x - d, y + mid, "end"],
        [x, y - d - 0.3 * size, "middle"],
        [x, y + d + 0.95 * size, "middle"],
        [x + d * 0.8, y + d * 0.8 + 0.8 * size, "start"],
        [x + d * 0.8, y - d * 0.8, "start"],
        [x - d * 0.8, y + d * 0.8 + 0.8 * size, "end"],
        [x - d * 0.8, y - d * 0.8, "end"],
      ];
      for (const [tx, ty, anchor] of spots) {
        const box = this.box(tx, ty, anchor, width, font, ring);
        const b = this.bounds;
        if (box.x0 < b.x0 || box.x1 > b.x1 || box.y0 < b.y0 || box.y1 > b.y1) continue; // inside the map, never clipped
        if (this.taken.some((t) => overlaps(t, box))) continue;
        return box;
      }
    }
    return null;
  }

  /** Claim a spot `place` found (a label that is shown). */
  take(box: Box): void {
    this.taken.push(box);
  }
}

/** Points closer than `distance` to one another, grouped (single linkage); groups keep the input's order. */
export function clusters<T>(items: T[], at: (item: T) => [number, number], distance: number): T[][] {
  const groups: { members: T[]; points: [number, number][] }[] = [];
  for (const item of items) {
    const p = at(item);
    const near = groups.filter((g) => g.points.some((q) => Math.hypot(q[0] - p[0], q[1] - p[1]) < distance));
    const merged = { members: [...near.flatMap((g) => g.members), item], points: [...near.flatMap((g) => g.points), p] };
    for (const g of near) groups.splice(groups.indexOf(g), 1);
    groups.push(merged);
  }
  return groups.map((g) => g.members);
}

/** The texts a cluster's label may take, longest first: "MEX, TGO, MRO", then "MEX, TGO +1", then "MEX +2". */
export function clusterTexts(ids: string[]): string[] {
  const out: string[] = [];
  for (let shown = Math.min(ids.length, 5); shown >= 1; shown--) {
    const rest = ids.length - shown;
    out.push(ids.slice(0, shown).join(", ") + (rest ? ` +${rest}` : ""));
  }
  return out;
}

/** The leader line of a label placed away from its marker: from the marker's edge (radius `r`) to the
 * nearest point of the label's box. */
export function leader(x: number, y: number, r: number, box: Box, halo: number): [number, number, number, number] {
  const tx = Math.min(Math.max(x, box.x0 + halo), box.x1 - halo);
  const ty = Math.min(Math.max(y, box.y0 + halo), box.y1 - halo);
  const d = Math.hypot(tx - x, ty - y) || 1;
  return [x + ((tx - x) * r) / d, y + ((ty - y) * r) / d, tx, ty];
}
