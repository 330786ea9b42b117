// Number and time formatting for people: units always shown, no false precision.

const C_KM_S = 299_792.458;
/** What the page says for a value nobody knows: never "none", "NaN", -1 or an empty cell. */
export const UNKNOWN = "unknown";
const AU_KM = 149_597_870.7;

export function isoUtc(ms: number): string {
  return new Date(ms).toISOString();
}

let zone: "utc" | "local" = "utc";

/** Every time the page shows is in UTC, or in the browser's time zone when the viewer chose so. */
export function setDisplayZone(z: "utc" | "local"): void {
  zone = z;
}

/** "UTC", or the browser's offset from it ("UTC+01:00") when showing local time. */
export function zoneLabel(ms = Date.now()): string {
  if (zone === "utc") return "UTC";
  const off = -new Date(ms).getTimezoneOffset();
  const sign = off >= 0 ? "+" : "-";
  const a = Math.abs(off);
  return `UTC${sign}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
}

/** ISO text of a moment in the zone shown, without the zone: "2026-11-21T06:00:00.000". */
function shown(ms: number): string {
  if (!Number.isFinite(ms)) return "";
  const off = zone === "local" ? -new Date(ms).getTimezoneOffset() * 60_000 : 0;
  return new Date(ms + off).toISOString();
}

export function clockText(ms: number): { date: string; time: string } {
  const iso = shown(ms);
  return { date: iso.slice(0, 10), time: iso.slice(11, 19) };
}

export function hhmm(ms: number): string {
  return shown(ms).slice(11, 16) || UNKNOWN;
}

export function hhmmss(ms: number): string {
  return shown(ms).slice(11, 19) || UNKNOWN;
}

/** "2026-11-21 06:00" (seconds too with `seconds`), in the zone shown; "unknown" for no time. */
export function dateTime(value: number | string | null | undefined, seconds = false): string {
  const ms = typeof value === "string" ? Date.parse(value) : value ?? NaN;
  if (!Number.isFinite(ms)) return UNKNOWN;
  return shown(ms).slice(0, seconds ? 19 : 16).replace("T", " ");
}

/** Text from a feed or a record, or "unknown" for what says nothing ("none", "NaN", "-1", "", null). */
export function known(value: string | number | null | undefined, unknown = UNKNOWN): string {
  if (value == null) return unknown;
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? String(value) : unknown;
  const text = value.trim();
  return !text || /^(none|null|nan|n\/a|-1|undefined)$/i.test(text) ? unknown : text;
}

/** A duration as people say it: 42 s, 12 min 05 s, 3 h 20 min, 2 d 4 h. */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return UNKNOWN;
  const s = Math.abs(seconds);
  if (s < 60) return `${Math.floor(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(Math.floor(s % 60)).padStart(2, "0")} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

/** Countdown to a moment, "in 4 min 10 s" or "2 min ago". */
export function countdown(targetMs: number, nowMs: number): string {
  const ds = (targetMs - nowMs) / 1000;
  if (!Number.isFinite(ds)) return "at an unknown time";
  return ds >= 0 ? `in ${duration(ds)}` : `${duration(ds)} ago`;
}

export function rangeKm(km: number | null | undefined): string {
  if (km == null || !Number.isFinite(km) || km < 0) return UNKNOWN;
  if (km >= 0.01 * AU_KM) return `${(km / AU_KM).toFixed(km >= AU_KM ? 3 : 4)} AU`;
  if (km >= 1e6) return `${(km / 1e6).toFixed(2)} M km`;
  if (km >= 1e4) return `${Math.round(km).toLocaleString("en-US")} km`;
  return `${km.toFixed(0)} km`;
}

export function lightTime(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return UNKNOWN;
  if (seconds < 1) return `${(seconds * 1000).toFixed(1)} ms`;
  if (seconds < 60) return `${seconds.toFixed(2)} s`;
  return duration(seconds);
}

export function lightTimeFromKm(km: number | null | undefined): number | null {
  return km == null ? null : km / C_KM_S;
}

export function dataRate(bps: number | null | undefined): string {
  if (bps == null || !Number.isFinite(bps) || bps <= 0) return UNKNOWN;
  if (bps >= 1e6) return `${trim(bps / 1e6)} Mb/s`;
  if (bps >= 1e3) return `${trim(bps / 1e3)} kb/s`;
  return `${trim(bps)} b/s`;
}

export function frequency(hz: number | null | undefined): string {
  if (hz == null || !Number.isFinite(hz) || hz <= 0) return "";
  if (hz >= 1e9) return `${(hz / 1e9).toFixed(3)} GHz`;
  if (hz >= 1e6) return `${(hz / 1e6).toFixed(2)} MHz`;
  return `${hz.toFixed(0)} Hz`;
}

export function speed(kmS: number | null | undefined): string {
  if (kmS == null || !Number.isFinite(kmS)) return UNKNOWN;
  return `${kmS.toFixed(2)} km/s (${Math.round(kmS * 3600).toLocaleString("en-US")} km/h)`;
}

export function degrees(value: number | null | undefined, digits = 1): string {
  if (value == null || !Number.isFinite(value)) return UNKNOWN;
  return `${value.toFixed(digits)}°`;
}

function trim(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1).replace(/\.0$/, "") : x.toFixed(2).replace(/\.?0+$/, "");
}

export const ACTIVITY_LABEL: Record<string, string> = {
  idle: "Idle",
  setup: "Setup",
  tracking: "Tracking",
  teardown: "Teardown",
  maintenance: "Maintenance",
  outage: "Outage",
};
