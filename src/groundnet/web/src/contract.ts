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

// ---------------------------------------------------------------- not declared by the server yet

export interface TrackPoint {
  time: string;
  latitude_deg: number;
  longitude_deg: number;
  altitude_km: number;
}

export interface GroundTrack {
  points: TrackPoint[];
  footprint_radius_deg: number;
}

export interface Pass {
  object_id: number | string;
  object_name: string;
  station_id: string;
  aos: string;
  tca: string;
  los: string;
  max_elevation_deg: number;
  aos_azimuth_deg?: number;
  los_azimuth_deg?: number;
  duration_s: number;
  /** Days between the element set's epoch and AOS (Earth orbiters). */
  elements_age_days?: number | null;
}

export interface SpacecraftInfo {
  id: string;
  name: string;
  kind: string;
  norad_id?: number | null;
  /** The element set's epoch (Earth orbiters); null for a craft flown from a trajectory. */
  elements_epoch?: string | null;
  source?: string | null;
  approximate?: boolean;
  error_bound_km?: number | null;
  mission?: string | null;
  uplink?: Link | null;
  downlink?: Link | null;
  distance?: {
    geocentric_km: number | null;
    heliocentric_km: number | null;
    geocentric_speed_km_s: number | null;
    heliocentric_speed_km_s: number | null;
    one_way_light_time_s: number | null;
  };
  next_passes?: Pass[];
  element_sets?: { epoch: string | null; kind: string; source?: string | null; loaded_at?: string | null }[];
}

/** One data source the service refreshes (`GET /api/v1/status`, `sources`). */
export interface SourceStatus {
  name: string;
  url?: string | null;
  fetched_at: string | null;
  age_s: number | null;
  refresh_interval_s?: number | null;
  stale: boolean;
  last_error?: string | null;
}

export interface ServiceStatus {
  sources?: SourceStatus[];
}

export interface PartnerFeed {
  time: string | null;
  antennas: AntennaState[];
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

export interface LeopScenarioInfo {
  name: string;
  title: string;
  description: string;
}

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
