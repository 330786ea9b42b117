// The data contract of docs/board-contract.md, as the page reads it. The types of every route that
// declares a response model come from the server's OpenAPI document (src/generated/api.ts, written
// by `npm run generate` at each build), so a change on the server fails `tsc` where the board reads
// the old shape. The few shapes below the server does not declare yet are written here.
import type { components } from "./generated/api";

type Schemas = components["schemas"];
export type AntennaState = Schemas["AntennaState"];
export type Activity = AntennaState["activity"];
export type Board = Schemas["Board"];
export type ClockInfo = Schemas["ClockRead"];
export type Contact = Schemas["Contact"];
export type Block = Schemas["PlanBlock"];
export type Plan = Schemas["PlanRead"];
export type GroundEvent = Schemas["EventRead"];
export type Link = Schemas["Link"];
export type NextContact = Schemas["NextContact"];
export type SpacecraftState = Schemas["SpacecraftState"];
export type Target = Schemas["Target"];
export type PassPointing = Schemas["PassPointing"];
export type TrackPoint = Schemas["TrackPoint"];
export type GroundTrack = Schemas["GroundTrack"];
export type DsnFeed = Schemas["DsnFeed"];
export type LeopScenarioInfo = Schemas["LeopScenarioSummary"];
/** A craft of the fleet; the details (distance, passes, element sets) only in the one-craft view. */
export type SpacecraftInfo = Schemas["SpacecraftSummary"] & Partial<Pick<Schemas["SpacecraftView"], "distance" | "next_passes" | "element_sets" | "links_now">>;
/** A pass; `elements_age_days` (days from the element set's epoch to AOS) where the server gives it. */
export type Pass = Schemas["Pass"] & { elements_age_days?: number | null };
export type ServiceStatus = Schemas["StatusRead"];
/** One data source the service refreshes (`GET /api/v1/status`, `sources`): the stale-data badges. */
export type SourceStatus = Schemas["SourceStatusRead"];

// ---------------------------------------------------------------- not declared by the server yet

/** A partner network's dish (DSN Now): our antenna state, and whether the feed marks it out of service. */
export type PartnerAntenna = AntennaState & { out_of_service?: boolean };

export interface PartnerFeed {
  time: string | null;
  antennas: PartnerAntenna[];
}

/** The plan in force; after an outage (`reason: "replan"`) with its impact per mission. */
export interface PlanVersion {
  id?: number;
  reason?: string;
  created_at?: number;
  solver?: string;
  impact?: {
    antenna_id?: string;
    event_id?: string;
    cancelled?: string[];
    added?: string[];
    missions?: Record<string, { hours_lost?: number; requests_dropped?: string[] }>;
  };
}

export type LiveMessage =
  | { type: "board"; seq: number; data: Board }
  | { type: "event"; seq: number; data: GroundEvent }
  | { type: "plan"; seq: number; data: PlanVersion }
  | { type: "partner"; seq: number; data: unknown };

// ---------------------------------------------------------------- launch support (docs/leop.md)

export interface LeopAcquisition {
  station_id: string;
  station_name: string;
  aos: string;
  aos_from_liftoff_s: number;
  aos_from_switch_on_s: number;
  in_view_at_switch_on: boolean;
  azimuth_deg: number;
  elevation_deg: number;
  range_km: number;
  range_rate_km_s: number;
  doppler_hz: number;
  los: string | null;
  pass_duration_s: number | null;
  los_after_horizon: boolean;
}

export interface LeopEvent {
  time: string;
  event: string;
  from_liftoff_s: number;
  station_id?: string;
  azimuth_deg?: number;
  elevation_deg?: number;
  range_km?: number;
  duration_s?: number;
}

export interface LeopAosSpread {
  earliest: string | null;
  latest: string | null;
  earliest_from_liftoff_s?: number;
  latest_from_liftoff_s?: number;
  spread_s?: number;
}

export interface LeopLaunch {
  launch: string;
  separation: string;
  switch_on: string;
  first_station: string | null;
  acquisitions: LeopAcquisition[];
  coverage: {
    start: string;
    end: string;
    orbits: number | null;
    covered_fraction: number;
    passes: { station_id: string; aos: string; los: string | null; duration_s: number }[];
    gaps: { start: string; end: string; duration_s: number }[];
    longest_gap_s: number;
  };
  dispersion: {
    method: string;
    samples: number;
    samples_without_acquisition: number;
    first_aos: LeopAosSpread;
    first_station_share: Record<string, number>;
    per_station: ({ station_id: string; samples_acquired: number } & LeopAosSpread)[];
  } | null;
  timeline: LeopEvent[];
  ground_track?: { step_s: number; points: TrackPoint[] };
}

export interface LeopReport {
  scenario: {
    name: string;
    file: string;
    description: string;
    spacecraft: string;
    downlink_hz: number;
    downlink_band: string;
    stations: string[];
    antennas: { id: string; name: string; network: string; latitude_deg: number; longitude_deg: number }[];
    launch_site: { name: string; latitude_deg: number; longitude_deg: number } | null;
  };
  launches: LeopLaunch[];
}
