// The moment the page shows. Following the server, it is the server clock's time (live or the
// server's own replay) advanced smoothly between pushes; in replay, the viewer chose a moment and a
// speed, and may pause and step. The URL carries replay state so a view can be shared.

export type ClockMode = "follow" | "replay";

export const SPEEDS = [1, 10, 60, 300, 600, 3600];

export class ViewClock {
  mode: ClockMode = "follow";
  speed = 1;
  paused = false;
  private anchorMs = Date.now();
  private anchorWall = performance.now();

  now(): number {
    if (this.paused) return this.anchorMs;
    return this.anchorMs + (performance.now() - this.anchorWall) * this.speed;
  }

  /** Follow the server: anchor on the time of the latest board and the server clock's speed. */
  follow(serverMs: number, serverSpeed: number): void {
    this.mode = "follow";
    this.paused = false;
    this.speed = serverSpeed > 0 ? serverSpeed : 1;
    this.anchor(serverMs);
  }

  replay(ms: number, speed = this.speed, paused = this.paused): void {
    this.mode = "replay";
    this.speed = speed;
    this.paused = paused;
    this.anchor(ms);
  }

  setSpeed(speed: number): void {
    this.anchor(this.now());
    this.speed = speed;
  }

  togglePause(): void {
    this.anchor(this.now());
    this.paused = !this.paused;
  }

  step(seconds: number): void {
    this.anchor(this.now() + seconds * 1000);
  }

  private anchor(ms: number): void {
    this.anchorMs = ms;
    this.anchorWall = performance.now();
  }
}

export interface UrlState {
  view: string;
  t: number | null;
  speed: number;
  paused: boolean;
  station: string | null;
  spacecraft: string | null;
  kiosk: boolean;
}

export function readUrl(): UrlState {
  const q = new URLSearchParams(location.search);
  const t = q.get("t");
  const parsed = t ? Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(t) ? t : `${t}Z`) : NaN;
  const speed = Number(q.get("speed") ?? "1");
  return {
    view: q.get("view") ?? "network",
    t: Number.isFinite(parsed) ? parsed : null,
    speed: Number.isFinite(speed) && speed > 0 ? speed : 1,
    paused: q.get("paused") === "1",
    station: q.get("station"),
    spacecraft: q.get("spacecraft"),
    kiosk: q.get("kiosk") === "1",
  };
}

export function writeUrl(state: UrlState): void {
  const q = new URLSearchParams();
  if (state.view !== "network") q.set("view", state.view);
  if (state.t != null) {
    q.set("t", new Date(Math.round(state.t / 1000) * 1000).toISOString().replace(".000Z", "Z"));
    if (state.speed !== 1) q.set("speed", String(state.speed));
    if (state.paused) q.set("paused", "1");
  }
  if (state.station) q.set("station", state.station);
  if (state.spacecraft) q.set("spacecraft", state.spacecraft);
  if (state.kiosk) q.set("kiosk", "1");
  const qs = q.toString();
  const url = `${location.pathname}${qs ? `?${qs}` : ""}`;
  if (url !== `${location.pathname}${location.search}`) history.replaceState(null, "", url);
}
