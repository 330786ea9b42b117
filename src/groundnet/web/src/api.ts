// REST calls to the server (same origin, under /api/v1), typed by the server's own OpenAPI
// document through openapi-fetch: a path, a parameter or a response shape the server no longer
// has fails `tsc`. No logic beyond fetching.
import createClient from "openapi-fetch";
import type { AntennaState, GroundTrack, LeopReport, LeopScenarioInfo, PartnerFeed, Pass, ServiceStatus, SpacecraftInfo } from "./contract";
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

// Routes that declare no response model yet answer `unknown` in the generated types; their shape is
// the one written in contract.ts until the server declares it.
const as = <T>(p: Promise<unknown>) => p as Promise<T>;

export const api = {
  board: (at?: string) => unwrap("board", client.GET("/api/v1/board", { params: { query: { at } } })),
  clock: () => unwrap("clock", client.GET("/api/v1/clock")),
  status: () => as<ServiceStatus>(unwrap("status", client.GET("/api/v1/status"))),
  plan: (start: string, end: string) => unwrap("plan", client.GET("/api/v1/plan", { params: { query: { start, end } } })),
  events: (sinceId?: number, limit = 200) =>
    unwrap("events", client.GET("/api/v1/events", { params: { query: { since_id: sinceId, limit } } })),
  spacecraftList: () => as<SpacecraftInfo[]>(unwrap("spacecraft", client.GET("/api/v1/spacecraft"))),
  spacecraft: (id: string) =>
    as<SpacecraftInfo>(unwrap(`spacecraft/${id}`, client.GET("/api/v1/spacecraft/{spacecraft_id}", { params: { path: { spacecraft_id: id } } }))),
  passes: (object: string, start: string, end: string) =>
    as<Pass[]>(unwrap("passes", client.GET("/api/v1/passes", { params: { query: { object, start, end } } }))),
  track: (id: string, start: string, end: string, stepS = 60) =>
    as<GroundTrack>(unwrap(`spacecraft/${id}/track`, client.GET("/api/v1/spacecraft/{spacecraft_id}/track", {
      params: { path: { spacecraft_id: id }, query: { start, end, step_s: stepS } },
    }))),
  pointing: (id: string, station: string, start: string, end: string) =>
    unwrap(`spacecraft/${id}/pointing`, client.GET("/api/v1/spacecraft/{spacecraft_id}/pointing", {
      params: { path: { spacecraft_id: id }, query: { station, start, end } },
    })),
  performance: (start: string, end: string, period: "day" | "week" | "month", by: "mission" | "antenna") =>
    unwrap("reports/performance", client.GET("/api/v1/reports/performance", { params: { query: { start, end, period, by } } })),
  partnerDsn: () => as<PartnerFeed>(unwrap("partners/dsn", client.GET("/api/v1/partners/dsn"))),
  leopScenarios: () => as<LeopScenarioInfo[]>(unwrap("leop/scenarios", client.GET("/api/v1/leop/scenarios"))),
  leopScenario: (name: string) =>
    as<LeopReport>(unwrap(`leop/scenarios/${name}`, client.GET("/api/v1/leop/scenarios/{name}", {
      params: { path: { name }, query: { ground_track: true } },
    }))),
};

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
    next_contact: null,
    ...a,
    bands: a.bands ?? [],
    targets: a.targets ?? [],
  };
}
