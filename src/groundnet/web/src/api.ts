// REST calls to the server (same origin, under /api/v1), typed by the server's own OpenAPI
// document through openapi-fetch: a path, a parameter or a response shape the server no longer
// has fails `tsc`. No logic beyond fetching.
import createClient from "openapi-fetch";
import { known } from "./format";
import type { AntennaState, DsnFeed, LeopReport, Link, PartnerAntenna, PartnerFeed, SpacecraftInfo } from "./contract";
import type { paths } from "./generated/api";

export const API = "api/v1";

export class HttpError extends Error {
  constructor(readonly status: number, readonly path: string, message: string) {
    super(message);
  }
}

// Relative to the page, so that the board works under a path prefix behind a proxy.
const client = createClient<paths>({ baseUrl: new URL(".", location.href).href.replace(/\/$/, ""), headers: { Accept: "application/json" } });

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of an answer, or an HttpError that says the path, the status and the server's detail. */
async function unwrap<T>(path: string, call: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await call;
  } catch (err) {
    throw new HttpError(0, path, `${path}: server unreachable (${(err as Error).message})`);
  }
  const { data, error, response } = answer;
  if (!response.ok || data === undefined) {
    const detail = (error as { detail?: unknown } | undefined)?.detail;
    const text = typeof detail === "string" ? detail : detail != null ? JSON.stringify(detail) : response.statusText;
    throw new HttpError(response.status, path, `${path}: ${response.status} ${text}`);
  }
  return data;
}

// Where the server declares a shape only loosely (a launch report), the page's reading of it is
// written in contract.ts.
const as = <T>(p: Promise<unknown>) => p as Promise<T>;

export const api = {
  board: (at?: string) => unwrap("board", client.GET("/api/v1/board", { params: { query: { at } } })),
  clock: () => unwrap("clock", client.GET("/api/v1/clock")),
  status: () => unwrap("status", client.GET("/api/v1/status")),
  display: () => unwrap("display", client.GET("/api/v1/display")),
  plan: (start: string, end: string) => unwrap("plan", client.GET("/api/v1/plan", { params: { query: { start, end } } })),
  events: (sinceId?: number, limit = 200) =>
    unwrap("events", client.GET("/api/v1/events", { params: { query: { since_id: sinceId, limit } } })),
  spacecraftList: (): Promise<SpacecraftInfo[]> => unwrap("spacecraft", client.GET("/api/v1/spacecraft")),
  /** One spacecraft with its distance, speed and next 24 h of passes at `at` (default: the server clock's now). */
  spacecraft: (id: string, at?: string): Promise<SpacecraftInfo> =>
    unwrap(`spacecraft/${id}`, client.GET("/api/v1/spacecraft/{spacecraft_id}", { params: { path: { spacecraft_id: id }, query: { at } } })),
  track: (id: string, start: string, end: string, stepS = 60) =>
    unwrap(`spacecraft/${id}/track`, client.GET("/api/v1/spacecraft/{spacecraft_id}/track", {
      params: { path: { spacecraft_id: id }, query: { start, end, step_s: stepS } },
    })),
  pointing: (id: string, station: string, start: string, end: string) =>
    unwrap(`spacecraft/${id}/pointing`, client.GET("/api/v1/spacecraft/{spacecraft_id}/pointing", {
      params: { path: { spacecraft_id: id }, query: { station, start, end } },
    })),
  performance: (start: string, end: string, period: "day" | "week" | "month", by: "mission" | "antenna") =>
    unwrap("reports/performance", client.GET("/api/v1/reports/performance", { params: { query: { start, end, period, by } } })),
  partnerDsn: () => unwrap("partners/dsn", client.GET("/api/v1/partners/dsn")),
  partnerSsf: (at?: string) =>
    as<PartnerSchedule>(unwrap("partners/ssf", client.GET("/api/v1/partners/ssf", { params: { query: { at } } }))),
  residuals: (tdm: string, query: { contact?: string; spacecraft?: string }) =>
    as<Residuals>(unwrap("residuals", client.POST("/api/v1/residuals", {
      params: { query }, body: tdm as never, bodySerializer: (b: unknown) => String(b), headers: { "Content-Type": "text/plain" },
    }))),
  leopScenarios: () => unwrap("leop/scenarios", client.GET("/api/v1/leop/scenarios")),
  leopScenario: (name: string) => // the report's inner shape is not declared yet
    as<LeopReport>(unwrap(`leop/scenarios/${name}`, client.GET("/api/v1/leop/scenarios/{name}", {
      params: { path: { name }, query: { ground_track: true } },
    }))),
};

/** GET /api/v1/partners/ssf: a partner's CCSDS Simple Schedule as the partner model, with its activities. */
export interface PartnerSchedule extends PartnerFeed {
  originator: string | null;
  activities: { activity_id: string; user: string; site: string; aperture: string; status: string;
    beginning_of_activity: string; beginning_of_track: string; end_of_track: string; end_of_activity: string }[];
  problems: string[];
}

/** What POST /api/v1/residuals answers (docs/service.md). */
export interface Residuals {
  object: string;
  stats: { station: string; observable: string; path: string; unit: string; samples: number; mean?: number; std?: number;
    rms?: number; min?: number; max?: number }[];
  series: { station: string; observable: string; unit: string; path: string; times: string[]; residuals: (number | null)[] }[];
  not_compared: Record<string, number>;
  contact: { id: string; antenna_id: string; start: string; end: string } | null;
}

/** An antenna state with every field of the contract, whatever a feed left out (partner feeds say less). */
export function normalizeAntenna(a: Partial<AntennaState> & { id: string }): AntennaState {
  return {
    name: a.id,
    network: "",
    latitude_deg: 0,
    longitude_deg: 0,
    dish_m: null,
    activity: "idle",
    reported_activity: null,
    uplink: null,
    downlink: null,
    azimuth_deg: null,
    elevation_deg: null,
    upleg_range_km: null,
    downleg_range_km: null,
    rtlt_s: null,
    contact_id: null,
    contact_status: null,
    next_contact: null,
    last_contact: null,
    ...a,
    bands: a.bands ?? [],
    targets: a.targets ?? [],
  };
}

/** DSN Now's way of saying a dish is out of service: a target named "DSN" or "DSS" with id 99. */
const ACTIVITIES = ["idle", "setup", "tracking", "teardown", "maintenance", "outage"] as const;

function outOfService(t: { name?: string | null; id?: unknown }): boolean {
  return String(t.id) === "99" && /^(DSN|DSS)$/i.test(String(t.name ?? "").trim());
}

/** A feed's link without the feed's placeholders: no band ("?", "none"), no rate (0), no frequency (0). */
function cleanLink(link: Link | null): Link | null {
  if (!link) return null;
  const band = /^(\?|none|)$/i.test(String(link.band ?? "").trim()) ? "" : link.band;
  const rate = link.data_rate_bps != null && link.data_rate_bps > 0 ? link.data_rate_bps : null;
  const hz = link.frequency_hz != null && link.frequency_hz > 0 ? link.frequency_hz : null;
  return { ...link, band, data_rate_bps: rate, frequency_hz: hz };
}

/** A partner feed's dish as a card shows it: placeholders gone, a dish out of service said so. */
export function partnerAntenna(raw: DsnFeed["antennas"][number]): PartnerAntenna {
  const a = normalizeAntenna({
    ...raw,
    activity: (ACTIVITIES as readonly string[]).includes(raw.activity) ? (raw.activity as AntennaState["activity"]) : "idle",
    latitude_deg: raw.latitude_deg ?? 0,
    longitude_deg: raw.longitude_deg ?? 0,
    targets: raw.targets.map((t) => ({ spacecraft_id: t.spacecraft_id ?? "", name: known(t.name), id: t.id })),
    downlink: raw.downlink as Link | null,
    uplink: raw.uplink as Link | null,
  });
  const down = cleanLink(a.downlink);
  const up = cleanLink(a.uplink);
  if (a.targets.some(outOfService)) {
    return { ...a, activity: "outage", targets: [], downlink: null, uplink: null, out_of_service: true };
  }
  return { ...a, downlink: down, uplink: up };
}
