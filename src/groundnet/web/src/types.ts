// The data contract of docs/board-contract.md, as the page reads it.

export type Activity = "idle" | "setup" | "tracking" | "teardown" | "maintenance" | "outage";
export type Signal = "carrier" | "data" | "ranging" | "none";

export interface Link {
  band: string | null;
  frequency_hz: number | null;
  data_rate_bps: number | null;
  signal: Signal | null;
}

export interface Target {
  spacecraft_id: string;
  name: string;
}

export interface NextContact {
  id: string;
  spacecraft_id: string;
  spacecraft_name?: string;
  setup_start?: string;
  start: string;
  end: string;
}

export interface AntennaState {
  id: string;
  name: string;
  network: string;
  latitude_deg: number;
  longitude_deg: number;
  dish_m: number | null;
  bands: string[];
  activity: Activity;
  reported_activity: Activity | null;
  targets: Target[];
  uplink: Link | null;
  downlink: Link | null;
  azimuth_deg: number | null;
  elevation_deg: number | null;
  upleg_range_km: number | null;
  downleg_range_km: number | null;
  rtlt_s: number | null;
  contact_id: string | null;
  next_contact: NextContact | null;
}

export interface SpacecraftState {
  id: string;
  name: string;
  kind: string;
  latitude_deg: number | null;
  longitude_deg: number | null;
  altitude_km: number | null;
  geocentric_km: number | null;
  in_view_of: string[];
}

export interface Board {
  time: string;
  mode: "live" | "replay";
  speed: number;
  generated_at: string;
  antennas: AntennaState[];
  spacecraft: SpacecraftState[];
  plan?: PlanVersion;
}

export interface Contact {
  id: string;
  antenna_id: string;
  spacecraft_id: string;
  spacecraft_name: string;
  setup_start: string;
  start: string;
  end: string;
  teardown_end: string;
  status: string;
  request_id: string | null;
  mission: string | null;
}

export interface Block {
  antenna_id: string;
  kind: "maintenance" | "outage";
  start: string;
  end: string | null; // an outage whose end the station has not reported yet
  reason: string | null;
}

export interface Plan {
  contacts: Contact[];
  blocks: Block[];
}

export interface GroundEvent {
  id: number;
  event_id: string;
  antenna_id: string;
  spacecraft_id: string | null;
  kind: string;
  time: string;
  received_at: string;
  detail: unknown;
}

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
}

export interface SpacecraftInfo {
  id: string;
  name: string;
  kind: string;
  norad_id?: number | null;
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
  element_sets?: { epoch: string; kind: string; source?: string | null; loaded_at?: string | null }[];
}

export interface PartnerFeed {
  time: string | null;
  antennas: AntennaState[];
}

export interface ClockInfo {
  time: string;
  mode: "live" | "replay";
  speed: number;
  paused: boolean;
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
