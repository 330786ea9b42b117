// REST calls to the server (same origin, under /api/v1). No logic beyond fetching.
import type { AntennaState, Board, ClockInfo, GroundEvent, GroundTrack, PartnerFeed, Pass, Plan, SpacecraftInfo } from "./types";

export const API = "api/v1";

export class HttpError extends Error {
  constructor(readonly status: number, readonly path: string, message: string) {
    super(message);
  }
}

async function get<T>(path: string, params: Record<string, string | number | undefined> = {}): Promise<T> {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) query.set(k, String(v));
  const qs = query.toString();
  const url = `${API}/${path}${qs ? `?${qs}` : ""}`;
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    let detail = response.statusText;
    try {
      const body = await response.json();
      detail = typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail ?? body);
    } catch {
      /* keep the status text */
    }
    throw new HttpError(response.status, path, `${path}: ${response.status} ${detail}`);
  }
  return (await response.json()) as T;
}

export const api = {
  board: (at?: string) => get<Board>("board", { at }),
  clock: () => get<ClockInfo>("clock"),
  plan: (start: string, end: string) => get<Plan>("plan", { start, end }),
  events: (sinceId?: number, limit = 200) => get<GroundEvent[]>("events", { since_id: sinceId, limit }),
  spacecraftList: () => get<SpacecraftInfo[]>("spacecraft"),
  spacecraft: (id: string) => get<SpacecraftInfo>(`spacecraft/${encodeURIComponent(id)}`),
  passes: (object: string, start: string, end: string) => get<Pass[]>("passes", { object, start, end }),
  track: (id: string, start: string, end: string, stepS = 60) =>
    get<GroundTrack>(`spacecraft/${encodeURIComponent(id)}/track`, { start, end, step_s: stepS }),
  partnerDsn: () => get<PartnerFeed>("partners/dsn"),
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
