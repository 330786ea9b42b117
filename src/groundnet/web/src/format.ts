// Number and time formatting for people: units always shown, no false precision.

const C_KM_S = 299_792.458;
/** What the page says for a value nobody knows: never "none", "NaN", -1 or an empty cell. */
export const UNKNOWN = "unknown";
const AU_KM = 149_597_870.7;

export function isoUtc(ms: number): string {
  return new Date(ms).toISOString();
}

/** Which zone a time is shown in: UTC, or "local" (see localZoneName). */
export type Zone = "utc" | "local";

let zone: Zone = "utc";
/** The service's display.time_zone (GET /api/v1/display) when it is not UTC: "local" means it. */
let configured: string | null = null;
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** Every time the page shows is in UTC, or in the local zone when the viewer chose so. */
export function setDisplayZone(z: Zone): void {
  zone = z;
}

/** The zone the viewer picked. */
export function displayZone(): Zone {
  return zone;
}

/** The service's configured zone (an IANA name); UTC, empty or an unknown name: none. */
export function setConfiguredZone(iana: string | null | undefined): void {
  configured = null;
  if (!iana || /^(utc|etc\/utc|z)$/i.test(iana)) return;
  try {
    offsetFormat(iana);
    configured = iana;
  } catch {
    /* a name this browser does not know: the browser's own zone */
  }
}

/** What "local" is: the service's display.time_zone when configured, else this browser's zone. */
export function localZoneName(): string {
  return configured ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? "this browser's zone";
}

/** Whether "local" is the service's configured zone (not merely the browser's). */
export function zoneConfigured(): boolean {
  return configured != null;
}

function offsetFormat(iana: string | undefined): Intl.DateTimeFormat {
  const key = iana ?? "";
  let f = offsetFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: iana, timeZoneName: "longOffset" });
    offsetFormats.set(key, f);
  }
  return f;
}

/** Minutes east of UTC of a zone at a moment (daylight saving included). */
function offsetMinutes(ms: number, z: Zone): number {
  if (z === "utc" || !Number.isFinite(ms)) return 0;
  const name = offsetFormat(configured ?? undefined).formatToParts(ms).find((p) => p.type === "timeZoneName")?.value ?? "";
  const m = name.match(/([+-])(\d{1,2})(?::(\d{2}))?/);
  return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) : 0;
}

/** "UTC", or the local zone's offset from it ("UTC+01:00"). */
export function zoneLabel(ms = Date.now(), z: Zone = zone): string {
  if (z === "utc") return "UTC";
  const off = offsetMinutes(ms, z);
  const sign = off >= 0 ? "+" : "-";
  const a = Math.abs(off);
  return `UTC${sign}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
}

/** ISO text of a moment in a zone, without the zone: "2026-11-21T06:00:00.000". */
function shown(ms: number, z: Zone = zone): string {
  if (!Number.isFinite(ms)) return "";
  return new Date(ms + offsetMinutes(ms, z) * 60_000).toISOString();
}

/** The moment a wall-clock text without a zone ("2026-11-21T08:30:00") names in a zone; NaN if none. */
export function parseShown(text: string, z: Zone = zone): number {
  const asUtc = Date.parse(`${text}Z`);
  if (!Number.isFinite(asUtc) || z === "utc") return asUtc;
  const guess = asUtc - offsetMinutes(asUtc, z) * 60_000;
  return asUtc - offsetMinutes(guess, z) * 60_000; // the offset at the moment itself (across a DST change)
}

/** Whether a view that keeps UTC (the launch) shows the local time beside it: the service configured a
 * display.time_zone, or the viewer chose local time. */
export function localBeside(): boolean {
  return configured != null || zone === "local";
}

/** "21:29:00 UTC", and the local time beside it when localBeside(): "21:29:00 UTC · 22:29:00 UTC+01:00". */
export function utcAndLocal(ms: number, seconds = true): string {
  const t = (z: Zone) => (seconds ? hhmmss(ms, z) : hhmm(ms, z));
  return localBeside() ? `${t("utc")} UTC · ${t("local")} ${zoneLabel(ms, "local")}` : `${t("utc")} UTC`;
}

export function clockText(ms: number, z: Zone = zone): { date: string; time: string } {
  const iso = shown(ms, z);
  return { date: iso.slice(0, 10), time: iso.slice(11, 19) };
}

export function hhmm(ms: number, z: Zone = zone): string {
  return shown(ms, z).slice(11, 16) || UNKNOWN;
}

export function hhmmss(ms: number, z: Zone = zone): string {
  return shown(ms, z).slice(11, 19) || UNKNOWN;
}

/** "2026-11-21 06:00" (seconds too with `seconds`), in the zone shown; "unknown" for no time. */
export function dateTime(value: number | string | null | undefined, seconds = false, z: Zone = zone): string {
  const ms = typeof value === "string" ? Date.parse(value) : value ?? NaN;
  if (!Number.isFinite(ms)) return UNKNOWN;
  return shown(ms, z).slice(0, seconds ? 19 : 16).replace("T", " ");
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

/** A radio channel to the kilohertz: "437.500 MHz", "8439.000 MHz" ("" when unknown). */
export function channel(hz: number | null | undefined): string {
  if (hz == null || !Number.isFinite(hz) || hz <= 0) return "";
  return `${(hz / 1e6).toLocaleString("en-US", { minimumFractionDigits: 3, maximumFractionDigits: 3, useGrouping: false })} MHz`;
}

/** A frequency difference with its sign: "+8.3 kHz", "−120 Hz". */
export function frequencyOffset(hz: number): string {
  const sign = hz > 0 ? "+" : hz < 0 ? "−" : "±";
  const a = Math.abs(hz);
  return a >= 1000 ? `${sign}${(a / 1000).toFixed(1)} kHz` : `${sign}${a.toFixed(0)} Hz`;
}

/** A published channel and the frequency at the antenna now (Doppler-shifted):
 * "437.500 MHz, received 437.508 MHz (+8.3 kHz)"; the channel alone when the shifted one is unknown;
 * "" when no channel is published (the page says nothing rather than "null"). */
export function shiftedFrequency(publishedHz: number | null | undefined, nowHz: number | null | undefined,
                                 verb: "received" | "send"): string {
  const published = channel(publishedHz);
  if (!published) return "";
  if (nowHz == null || !Number.isFinite(nowHz) || nowHz <= 0) return published;
  return `${published}, ${verb} ${channel(nowHz)} (${frequencyOffset(nowHz - publishedHz!)})`;
}

export function speed(kmS: number | null | undefined): string {
  if (kmS == null || !Number.isFinite(kmS)) return UNKNOWN;
  return `${kmS.toFixed(2)} km/s (${Math.round(kmS * 3600).toLocaleString("en-US")} km/h)`;
}

export function degrees(value: number | null | undefined, digits = 1): string {
  if (value == null || !Number.isFinite(value)) return UNKNOWN;
  return `${value.toFixed(digits)}°`;
}

/** A figure for a column whose header gives the unit: "31,399", "−161.9" (a true minus sign). */
export function figure(value: number | null | undefined, digits = 0): string {
  if (value == null || !Number.isFinite(value)) return UNKNOWN;
  const text = Math.abs(value).toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return value < 0 && Number(text.replace(/,/g, "")) !== 0 ? `\u2212${text}` : text;
}

/** A length of time as hours and minutes, "7:17" (for a column headed "h:min"). */
export function hoursMinutes(seconds: number): string {
  if (!Number.isFinite(seconds)) return UNKNOWN;
  const m = Math.floor(Math.abs(seconds) / 60);
  return `${Math.floor(m / 60)}:${String(m % 60).padStart(2, "0")}`;
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
